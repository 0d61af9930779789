// NumPy-style printing (numpy's array2string defaults: floatmode 'maxprec', precision 8):
// each float in its shortest round-trip form for its dtype (dragon4 "unique"), at most 8
// fractional digits inside arrays, scientific notation when the magnitudes call for it
// (max >= 1e8, min < 1e-4, or max/min > 1e3), columns padded the way numpy pads them.
// 0-d arrays print their shortest repr, as numpy scalars do.
import { DType, TypedArray } from '../core/dtype.js';

const PRECISION = 8;

/** Shortest decimal that reads back as the same float32 / float64. */
export function shortest(v: number, dtype: DType): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Object.is(v, -0)) return '-0';
  if (dtype !== 'float32') return String(v);
  for (let p = 1; p <= 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(v);
}

/** [sign, digits, decimal exponent] of the shortest repr: value = 0.d1d2... x 10^exp. */
function decompose(v: number, dtype: DType): [string, string, number] {
  const s = shortest(Math.abs(v), dtype);
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  const [m, e] = s.split('e');
  const exp = e === undefined ? 0 : Number(e);
  const [ip, fp = ''] = m.split('.');
  let digits = (ip + fp).replace(/^0+/, '');
  const lead = (ip + fp).length - (ip + fp).replace(/^0+/, '').length;
  if (digits === '') return [sign, '0', 1];
  digits = digits.replace(/0+$/, '');
  return [sign, digits, ip.length - lead + exp];
}

/** Positional, unique digits, at most `prec` fractional digits (rounded), "1." for whole numbers. */
function positional(v: number, dtype: DType, prec: number | null): string {
  if (!Number.isFinite(v)) return shortest(v, dtype);
  let [sign, digits, exp] = decompose(v, dtype);
  let s: string;
  if (exp <= 0) s = '0.' + '0'.repeat(-exp) + digits;
  else if (exp >= digits.length) s = digits + '0'.repeat(exp - digits.length) + '.';
  else s = digits.slice(0, exp) + '.' + digits.slice(exp);
  if (prec !== null) {
    const frac = s.length - s.indexOf('.') - 1;
    if (frac > prec) s = Math.abs(v).toFixed(prec).replace(/0+$/, '');
  }
  if (digits === '0') sign = Object.is(v, -0) ? '-' : '';
  return sign + s;
}

/** Scientific, unique digits (at most prec after the point): "1.e-05", "-2.5e+10". */
function scientific(v: number, dtype: DType, prec: number): string {
  if (!Number.isFinite(v)) return shortest(v, dtype);
  const [sign, digits0, exp0] = decompose(v, dtype);
  let digits = digits0, exp = exp0 - 1;
  if (digits.length - 1 > prec) {
    const [m, e] = Math.abs(v).toExponential(prec).split('e');
    digits = m.replace('.', '').replace(/0+$/, '');
    exp = Number(e);
  }
  if (digits0 === '0') exp = 0;
  const mant = digits[0] + '.' + digits.slice(1);
  return `${sign}${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

function useScientific(values: number[]): boolean {
  const mags = values.filter((v) => Number.isFinite(v) && v !== 0).map(Math.abs);
  if (mags.length === 0) return false;
  const max = Math.max(...mags), min = Math.min(...mags);
  return max >= 1e8 || min < 1e-4 || max / min > 1e3;
}

/**
 * numpy's padding: integer parts right-aligned and fraction parts left-aligned with spaces;
 * in scientific mode mantissas are zero-padded to one length and exponents to one width;
 * nan and inf right-aligned to the full width.
 */
function pad(values: number[], items: string[], sci: boolean): string[] {
  const finite = items.filter((_, i) => Number.isFinite(values[i]));
  if (finite.length === 0) { const w = Math.max(...items.map((x) => x.length)); return items.map((x) => x.padStart(w)); }
  const parts = finite.map((x) => {
    const [m, e = ''] = x.split('e');
    const dot = m.indexOf('.');
    return { int: m.slice(0, dot), frac: m.slice(dot + 1), exp: e };
  });
  const li = Math.max(...parts.map((q) => q.int.length));
  const lf = Math.max(...parts.map((q) => q.frac.length));
  const le = Math.max(...parts.map((q) => q.exp.length - 1));
  const out = parts.map((q) => sci
    ? `${q.int.padStart(li)}.${q.frac.padEnd(lf, '0')}e${q.exp[0]}${q.exp.slice(1).padStart(le, '0')}`
    : `${q.int.padStart(li)}.${q.frac.padEnd(lf)}`);
  const width = li + 1 + lf + (sci ? le + 2 : 0);
  let k = 0;
  return items.map((x, i) => (Number.isFinite(values[i]) ? out[k++] : x.padStart(width)));
}

function formatFloats(values: number[], dtype: DType, scalar: boolean): string[] {
  if (scalar) return values.map((v) => positionalOrRepr(v, dtype));
  const sci = useScientific(values);
  return pad(values, values.map((v) => (sci ? scientific(v, dtype, PRECISION) : positional(v, dtype, PRECISION))), sci);
}

/** A 0-d array prints like a numpy scalar: the shortest repr, positional unless extreme. */
function positionalOrRepr(v: number, dtype: DType): string {
  const a = Math.abs(v);
  if (Number.isFinite(v) && v !== 0 && (a >= 1e16 || a < 1e-4)) return scientific(v, dtype, 17).replace('.e', 'e');
  return positional(v, dtype, null);
}

export function formatArray(data: TypedArray, shape: number[], dtype: DType): string {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n === 0) return '[]';
  const scalar = shape.length === 0;
  let items: string[];
  if (dtype === 'bool') {
    items = Array.from(data.subarray(0, n), (v) => (v ? 'True' : 'False'));
    if (!scalar) { const w = Math.max(...items.map((s) => s.length)); items = items.map((s) => s.padStart(w)); }
  } else if (dtype === 'int32' || dtype === 'uint32') {
    items = Array.from(data.subarray(0, n), String);
    if (!scalar) { const w = Math.max(...items.map((s) => s.length)); items = items.map((s) => s.padStart(w)); }
  } else if (dtype === 'complex64' || dtype === 'complex128') {
    const part: DType = dtype === 'complex64' ? 'float32' : 'float64';
    const re = formatFloats(Array.from({ length: n }, (_, i) => data[2 * i]), part, scalar);
    const im = formatFloats(Array.from({ length: n }, (_, i) => Math.abs(data[2 * i + 1])), part, scalar);
    items = re.map((r, i) => `${r}${data[2 * i + 1] < 0 || Object.is(data[2 * i + 1], -0) ? '-' : '+'}${im[i].trim()}j`);
  } else {
    items = formatFloats(Array.from(data.subarray(0, n)), dtype, scalar);
  }
  if (scalar) return items[0];
  const build = (axis: number, offset: number, indent: string): string => {
    if (axis === shape.length - 1) return '[' + items.slice(offset, offset + shape[axis]).join(' ') + ']';
    let stride = 1;
    for (let i = axis + 1; i < shape.length; i++) stride *= shape[i];
    const parts: string[] = [];
    for (let i = 0; i < shape[axis]; i++) parts.push(build(axis + 1, offset + i * stride, indent + ' '));
    return '[' + parts.join('\n'.repeat(shape.length - axis - 1) + indent + ' ') + ']';
  };
  return build(0, 0, '');
}
