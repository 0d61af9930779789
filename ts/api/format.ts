// NumPy-style printing: each float in its shortest round-trip form for its dtype (numpy's
// "unique" dragon4 mode), columns padded like numpy's array2string.
import { DType, TypedArray } from '../core/dtype.js';

/** Shortest decimal that reads back as the same float32 / float64. */
export function shortest(v: number, dtype: DType): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (dtype !== 'float32') return String(v);
  for (let p = 1; p <= 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(v);
}

/** Positional notation as numpy prints it: "1." for whole numbers, no exponent when small. */
function positional(v: number, dtype: DType): string {
  let s = shortest(v, dtype);
  if (s === 'nan' || s.endsWith('inf')) return s;
  if (/e/.test(s)) {
    const abs = Math.abs(v);
    if (abs >= 1e16 || (abs < 1e-4 && abs !== 0)) return sci(s);
    s = expandExponent(s);
  }
  if (!s.includes('.')) s += '.';
  return s;
}

function sci(s: string): string {
  const [m, e] = s.split('e');
  const mant = m.includes('.') ? m : m + '.';
  const exp = Number(e);
  return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

function expandExponent(s: string): string {
  const [m, e] = s.split('e');
  const exp = Number(e);
  const neg = m.startsWith('-');
  const digits = m.replace('-', '').replace('.', '');
  const point = (m.replace('-', '').indexOf('.') === -1 ? m.replace('-', '').length : m.replace('-', '').indexOf('.')) + exp;
  let out: string;
  if (point <= 0) out = '0.' + '0'.repeat(-point) + digits;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = digits.slice(0, point) + '.' + digits.slice(point);
  return (neg ? '-' : '') + out;
}

function formatScalar(v: number, dtype: DType): string {
  if (dtype === 'bool') return v ? 'True' : 'False';
  if (dtype === 'int32' || dtype === 'uint32') return String(v);
  return positional(v, dtype);
}

export function formatArray(data: TypedArray, shape: number[], dtype: DType): string {
  const complex = dtype === 'complex64' || dtype === 'complex128';
  const part: DType = dtype === 'complex64' ? 'float32' : dtype === 'complex128' ? 'float64' : dtype;
  const n = shape.reduce((a, b) => a * b, 1);
  const items: string[] = [];
  for (let i = 0; i < n; i++) {
    if (complex) {
      const re = data[2 * i], im = data[2 * i + 1];
      items.push(`${formatScalar(re, part)}${im < 0 || Object.is(im, -0) ? '-' : '+'}${formatScalar(Math.abs(im), part)}j`);
    } else items.push(formatScalar(data[i], dtype));
  }
  if (shape.length === 0) return items[0];
  // Pad like numpy: align the integer parts right and the fraction parts left.
  let padded = items;
  if (!complex && (dtype === 'float32' || dtype === 'float64') && items.every((s) => !s.includes('e'))) {
    const ints = items.map((s) => s.split('.')[0].length);
    const fracs = items.map((s) => (s.split('.')[1] ?? '').length);
    const mi = Math.max(...ints), mf = Math.max(...fracs);
    padded = items.map((s, i) => ' '.repeat(mi - ints[i]) + s + ' '.repeat(mf - fracs[i]));
  } else {
    const w = Math.max(...items.map((s) => s.length));
    padded = items.map((s) => s.padStart(w));
  }
  const build = (axis: number, offset: number, indent: string): string => {
    if (axis === shape.length - 1) {
      return '[' + padded.slice(offset, offset + shape[axis]).join(' ') + ']';
    }
    let stride = 1;
    for (let i = axis + 1; i < shape.length; i++) stride *= shape[i];
    const parts: string[] = [];
    for (let i = 0; i < shape[axis]; i++) parts.push(build(axis + 1, offset + i * stride, indent + ' '));
    const sep = '\n'.repeat(shape.length - axis - 1) + indent + ' ';
    return '[' + parts.join(sep) + ']';
  };
  if (n === 0) return '[]';
  return build(0, 0, '');
}
