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

/** Loops, not Math.max(...xs): spreading a large array overflows the call stack. */
function maxOf(xs: number[]): number { let m = -Infinity; for (const x of xs) if (x > m) m = x; return m; }
function minOf(xs: number[]): number { let m = Infinity; for (const x of xs) if (x < m) m = x; return m; }
const widest = (items: string[]): number => maxOf(items.map((x) => x.length));

function useScientific(values: number[]): boolean {
  const mags = values.filter((v) => Number.isFinite(v) && v !== 0).map(Math.abs);
  if (mags.length === 0) return false;
  const max = maxOf(mags), min = minOf(mags);
  return max >= 1e8 || min < 1e-4 || max / min > 1e3;
}

/**
 * numpy's padding: integer parts right-aligned and fraction parts left-aligned with spaces;
 * in scientific mode mantissas are zero-padded to one length and exponents to one width;
 * nan and inf right-aligned to the full width.
 */
function pad(values: number[], items: string[], sci: boolean): string[] {
  const finite = items.filter((_, i) => Number.isFinite(values[i]));
  if (finite.length === 0) { const w = widest(items); return items.map((x) => x.padStart(w)); }
  const parts = finite.map((x) => {
    const [m, e = ''] = x.split('e');
    const dot = m.indexOf('.');
    return { int: m.slice(0, dot), frac: m.slice(dot + 1), exp: e };
  });
  const li = maxOf(parts.map((q) => q.int.length));
  const lf = maxOf(parts.map((q) => q.frac.length));
  const le = maxOf(parts.map((q) => q.exp.length - 1));
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

// numpy's print options: arrays of more than THRESHOLD elements print EDGE_ITEMS at each end of
// every long axis, with '...' between; formats are chosen from the printed values only.
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;

/** The indices printed along an axis of length n (-1 marks the '...'). */
function shownIndices(n: number, summarize: boolean): number[] {
  if (!summarize || n <= 2 * EDGE_ITEMS) return [...Array(n).keys()];
  return [0, 1, 2, -1, n - 3, n - 2, n - 1];
}

function formatItems(values: number[], dtype: DType, scalar: boolean, imag: number[] | null): string[] {
  if (dtype === 'bool' || dtype === 'int32' || dtype === 'uint32') {
    let items = values.map((v) => (dtype === 'bool' ? (v ? 'True' : 'False') : String(v)));
    if (!scalar) { const w = widest(items); items = items.map((x) => x.padStart(w)); }
    return items;
  }
  if (imag !== null) {
    const part: DType = dtype === 'complex64' ? 'float32' : 'float64';
    const re = formatFloats(values, part, scalar);
    const im = formatFloats(imag.map(Math.abs), part, scalar);
    return re.map((r, i) => `${r}${imag[i] < 0 || Object.is(imag[i], -0) ? '-' : '+'}${im[i].trim()}j`);
  }
  return formatFloats(values, dtype, scalar);
}

export function formatArray(data: TypedArray, shape: readonly number[], dtype: DType): string {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n === 0) return '[]';
  const scalar = shape.length === 0;
  const summarize = n > THRESHOLD;
  const complex = dtype === 'complex64' || dtype === 'complex128';
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  // The flat offsets of the printed elements, in order; then their strings.
  const offsets: number[] = [];
  const collect = (axis: number, offset: number): void => {
    if (axis === shape.length) { offsets.push(offset); return; }
    for (const i of shownIndices(shape[axis], summarize)) if (i >= 0) collect(axis + 1, offset + i * strides[axis]);
  };
  collect(0, 0);
  const values = offsets.map((o) => data[complex ? 2 * o : o]);
  const items = formatItems(values, dtype, scalar, complex ? offsets.map((o) => data[2 * o + 1]) : null);
  if (scalar) return items[0];
  let next = 0;
  const build = (axis: number, indent: string): string => {
    const shown = shownIndices(shape[axis], summarize);
    if (axis === shape.length - 1) return '[' + shown.map((i) => (i < 0 ? '...' : items[next++])).join(' ') + ']';
    const sep = '\n'.repeat(shape.length - axis - 1) + indent + ' ';
    return '[' + shown.map((i) => (i < 0 ? '...' : build(axis + 1, indent + ' '))).join(sep) + ']';
  };
  return build(0, '');
}
