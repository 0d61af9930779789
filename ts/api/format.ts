// NumPy-style printing (numpy's array2string defaults: floatmode 'maxprec', precision 8):
// each float in its shortest round-trip form for its dtype (dragon4 "unique"), at most 8
// fractional digits inside arrays, scientific notation when the magnitudes call for it
// (max >= 1e8 (float32: 1e6), min < 1e-4, or max/min > 1e3), columns padded the way numpy pads
// them, rows wrapped at 75 characters. 0-d arrays print as numpy prints their scalar.
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
    if (Math.fround(Number(s)) !== v) continue;
    // at the shortest length, a tie goes to even, as dragon4's (float32 1256603.25 is 1256603.2, not
    // .3); a tie is possible only where the next digit is a 5 (the exact check is the slow part)
    if (!/5(e|$)/.test(v.toPrecision(p + 1))) return String(Number(s));
    const even = (v < 0 ? '-' : '') + expHalfEven(Math.abs(v), p - 1);
    return String(Number(Math.fround(Number(even)) === v ? even : s));
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
    if (frac > prec) s = fixedHalfEven(Math.abs(v), prec).replace(/0+$/, '');
  }
  if (digits === '0') sign = Object.is(v, -0) ? '-' : '';
  return sign + s;
}

/**
 * x.toFixed(d) / x.toExponential(d), except that an exact tie (the value's decimal expansion ends
 * in a 5 just past the last digit kept) rounds to even, as numpy's dragon4 does (-140415.625
 * prints -140415.62; JS rounds ties up). An x >= 0.
 */
function fixedHalfEven(x: number, d: number): string {
  return tieToEven(x.toFixed(Math.min(100, d + 30)), x.toFixed(d), d);
}
function expHalfEven(x: number, d: number): string {
  const up = x.toExponential(d), [m, e] = x.toExponential(Math.min(100, d + 30)).split('e');
  const [upM] = up.split('e');
  const r = tieToEven(m, upM, d);
  return r === upM ? up : `${r}e${e}`; // (rounding up may carry into the exponent: keep JS's whole form then)
}
/** The rounding of `long` (the value to d + 30 fraction digits) to d digits: `up` (JS's), or the truncation at an exact tie with an even last digit. */
function tieToEven(long: string, up: string, d: number): string {
  const dot = long.indexOf('.'), rest = long.slice(dot + 1 + d);
  if (!/^50*$/.test(rest)) return up;
  const kept = long.slice(0, d === 0 ? dot : dot + 1 + d), last = kept.charCodeAt(kept.length - 1) - 48;
  return last % 2 === 0 ? kept : up;
}

/** Scientific, unique digits (at most prec after the point): "1.e-05", "-2.5e+10". */
function scientific(v: number, dtype: DType, prec: number): string {
  if (!Number.isFinite(v)) return shortest(v, dtype);
  const [sign, digits0, exp0] = decompose(v, dtype);
  let digits = digits0, exp = exp0 - 1;
  if (digits.length - 1 > prec) {
    const [m, e] = expHalfEven(Math.abs(v), prec).split('e');
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

/**
 * numpy's FloatingFormat switch to scientific notation: max >= 10^min(8, precision) (1e6 for
 * float32, whose 7 digits would otherwise print an integer it does not hold: 99999992 as
 * 99999990.), min < 1e-4 or max / min > 1e3, compared in the dtype (float32(1e-4) is not below
 * float32's 1e-4).
 */
function useScientific(values: number[], dtype: DType): boolean {
  const mags = values.filter((v) => Number.isFinite(v) && v !== 0).map(Math.abs);
  if (mags.length === 0) return false;
  const max = maxOf(mags), min = minOf(mags), f32 = dtype === 'float32';
  return max >= (f32 ? 1e6 : 1e8) || min < (f32 ? Math.fround(1e-4) : 1e-4) || max / min > 1e3;
}

/**
 * numpy's padding: integer parts right-aligned and fraction parts left-aligned with spaces;
 * in scientific mode mantissas are padded to one length (with their own digits) and exponents to one width; nan
 * and inf right-aligned to the integer and fraction widths, which they widen (numpy's
 * FloatingFormat: [[nan, 1], [2, 3]] prints " 1." under "nan").
 */
function pad(values: number[], items: string[], sci: boolean, plus: boolean): string[] {
  const finite = items.filter((_, i) => Number.isFinite(values[i]));
  if (finite.length === 0) { const w = widest(items); return items.map((x) => x.padStart(w)); }
  const parts = finite.map((x) => {
    const [m, e = ''] = x.split('e');
    const dot = m.indexOf('.');
    return { int: m.slice(0, dot), frac: m.slice(dot + 1), exp: e };
  });
  let li = maxOf(parts.map((q) => q.int.length));
  const lf = maxOf(parts.map((q) => q.frac.length));
  const le = maxOf(parts.map((q) => q.exp.length - 1));
  const right = lf + (sci ? le + 2 : 0); // (numpy's pad_right: the fraction and, in scientific mode, the exponent)
  if (finite.length !== items.length) {
    const negInf = plus || values.some((v) => v === -Infinity);
    li = Math.max(li, 3 - (right + 1), 3 + (negInf ? 1 : 0) - (right + 1));
  }
  const finiteValues = values.filter((v) => Number.isFinite(v));
  const out = parts.map((q, j) => {
    if (!sci) return `${q.int.padStart(li)}.${q.frac.padEnd(lf)}`;
    // a shorter mantissa gets the value's own further digits, as numpy's (dragon4 min_digits), not
    // zeros: -4.412065e-35 beside 8-digit mantissas is -4.4120651e-35, not -4.4120650e-35
    let int = q.int, frac = q.frac, exp = q.exp;
    if (frac.length < lf) {
      // the leading digit too: float32 1e-5 is 9.99999975e-06, so beside 8-digit mantissas it is
      // 9.9999997e-06 (taking only the fraction's digits printed 1.9999997e-06)
      const [m, e] = expHalfEven(Math.abs(finiteValues[j]), lf).split('e');
      int = (q.int.startsWith('-') ? '-' : q.int.startsWith('+') ? '+' : '') + m.slice(0, m.indexOf('.'));
      frac = m.slice(m.indexOf('.') + 1);
      exp = (e.startsWith('-') ? '-' : '+') + e.replace(/^[+-]/, '').padStart(2, '0');
    }
    return `${int.padStart(li)}.${frac}e${exp[0]}${exp.slice(1).padStart(le, '0')}`;
  });
  let k = 0;
  return items.map((x, i) => (Number.isFinite(values[i]) ? out[k++] : x.padStart(li + 1 + right)));
}

/** Array elements (scalar: a 0-d array's one value); plus: every value signed, as numpy's imaginary parts ("+9.", "-0.5"). */
function formatFloats(values: number[], dtype: DType, scalar: boolean, plus = false): string[] {
  if (scalar) return values.map((v) => scalarStr(v, dtype));
  const sci = useScientific(values, dtype);
  const items = values.map((v) => { const x = sci ? scientific(v, dtype, PRECISION) : positional(v, dtype, PRECISION); return plus && !x.startsWith('-') ? `+${x}` : x; });
  return pad(values, items, sci, plus);
}

/**
 * A 0-d array prints as numpy prints its scalar (str(np.float32(x))): the shortest repr,
 * positional with a ".0" for whole numbers ("1.0", "-0.0"), scientific from 1e16 (float64) or
 * 1e6 (float32) and below 1e-4 ("1e+06", "1.2345679e+08", "9e-05").
 */
function scalarStr(v: number, dtype: DType): string {
  const a = Math.abs(v);
  if (Number.isFinite(v) && v !== 0 && (a >= (dtype === 'float32' ? 1e6 : 1e16) || a < 1e-4)) return scientific(v, dtype, 17).replace('.e', 'e');
  const s = positional(v, dtype, null);
  return s.endsWith('.') ? `${s}0` : s;
}

/** A complex 0-d array as numpy (Python) prints a complex scalar: "(1-2j)", "(1.5+2.25j)", "1j" (a real part of +0 left out). */
function complexScalarStr(re: number, im: number, part: DType): string {
  const bare = (v: number) => { const t = scalarStr(v, part); return t.endsWith('.0') ? t.slice(0, -2) : t; };
  const imag = `${bare(im)}j`;
  if (Object.is(re, 0)) return imag;
  return `(${bare(re)}${imag.startsWith('-') ? '' : '+'}${imag})`;
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

function formatItems(values: number[], dtype: DType, scalar: boolean, imag: number[] | null, zeroD = scalar): string[] {
  if (dtype === 'bool' || dtype === 'int32' || dtype === 'uint32') {
    // numpy's BoolFormat: ' True' beside 'False' in any array (not a 0-d one), even when no
    // False is printed: [ True  True]; a 0-d array's str and repr print True
    let items = values.map((v) => (dtype === 'bool' ? (v ? (zeroD ? 'True' : ' True') : 'False') : String(v)));
    if (!scalar) { const w = widest(items); items = items.map((x) => x.padStart(w)); }
    return items;
  }
  if (imag !== null) {
    const part: DType = dtype === 'complex64' ? 'float32' : 'float64';
    if (scalar) return values.map((r, i) => complexScalarStr(r, imag[i], part));
    // numpy's ComplexFloatingFormat: the imaginary parts signed and padded as a column of their
    // own ("2. +9.j" beside "1.+10.j"), the j before their trailing padding
    const re = formatFloats(values, part, false);
    const im = formatFloats(imag, part, false, true);
    return re.map((r, i) => { const t = im[i].trimEnd(); return `${r}${t}j${im[i].slice(t.length)}`; });
  }
  return formatFloats(values, dtype, scalar);
}

/** numpy's default line width: rows wrap past it. */
const LINE_WIDTH = 75;

/**
 * The array as numpy's str (separator ' ') or, with separator ', ' and the prefix and suffix the
 * caller prints around it ('Array(', ')'), as its repr: numpy's _formatArray, rows wrapped at 75 characters
 * with continuation lines aligned under the first element.
 */
export function formatArray(data: TypedArray, shape: readonly number[], dtype: DType, separator = ' ', prefix = '', suffix = ''): string {
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
  // (a 0-d array's str is its scalar's, "1.0" and "(1-2j)"; its repr, with a prefix, the element's: Array(1., dtype=float32))
  const items = formatItems(values, dtype, scalar && prefix === '', complex ? offsets.map((o) => data[2 * o + 1]) : null, scalar);
  if (scalar) return items[0];
  let next = 0;
  const sepEnd = separator.trimEnd();
  // numpy's _extendLine: a word that would pass the width starts a new line (unless the line is only its indent)
  const extend = (state: { s: string; line: string }, word: string, width: number, hanging: string): void => {
    if (state.line.length + word.length > width && state.line.length > hanging.length) {
      state.s += state.line.trimEnd() + '\n';
      state.line = hanging;
    }
    state.line += word;
  };
  const recurse = (axis: number, hanging: string, width: number): string => {
    const shown = shownIndices(shape[axis], summarize);
    const left = shape.length - axis;
    let body: string;
    if (left === 1) {
      const elemWidth = width - Math.max(sepEnd.length, 1);
      const state = { s: '', line: hanging };
      shown.forEach((i, k) => {
        extend(state, i < 0 ? '...' : items[next++], elemWidth, hanging);
        if (k < shown.length - 1) state.line += separator;
      });
      body = state.s + state.line;
    } else {
      const lineSep = sepEnd + '\n'.repeat(left - 1);
      body = shown.map((i) => hanging + (i < 0 ? '...' : recurse(axis + 1, hanging + ' ', width - 1))).join(lineSep);
    }
    return '[' + body.slice(hanging.length) + ']';
  };
  return recurse(0, ' '.repeat(prefix.length + 1), LINE_WIDTH - suffix.length);
}
