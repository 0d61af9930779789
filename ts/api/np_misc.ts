// Assorted numpy functions (jnp's): gcd lcm, modf spacing i0, unwrap, cumulativeSum
// cumulativeProd, vecdot matvec vecmat, rowStack, histogramBinEdges histogram2d, piecewise,
// applyAlongAxis, vectorize. Composed from the np and lax functions, so they differentiate,
// batch and jit as those do.
import { NDArray, type ArrayInput } from './array.js';
import * as lax from './lax.js';
import {
  astype, floatDtype, commonDtype, prepare, reshape, ravel, where, equal, less, greater, greaterEqual, lessEqual, add, subtract,
  multiply, divide, abs, conj, matmul, concatenate, broadcastTo, broadcastShapes, expandDims, squeeze, sum, full, zerosLike,
} from './numpy.js';
import { cumsum, cumprod } from './np_reductions.js';
import { nextafter } from './np_bits.js';
import { signbit, remainder, floorDivide, logicalAnd, isinf } from './np_elementwise.js';
import { moveaxis, slice } from './np_rearrange.js';
import { vstack } from './np_stacking.js';
import { histogram } from './np_more.js';
import { take } from './np_indexing.js';
import { searchsorted } from './np_sorting.js';
import { diff } from './np_statistics.js';
import { foriLoop } from './lax_control.js';
import { vmap } from './transforms/vmap.js';
import { heavyComposite, operand, requireComputable, normalizeAxisList } from './np_shared.js';
import { atMost, readOptions, required, show, intAxis } from './options.js';
import { filled } from './creation.js';
import { AxisError, DTypeError, ShapeError, ValueError, describe } from '../core/errors.js';
import { isComplex, isInteger, isInexact, type DType } from '../core/dtype.js';

// ---------------------------------------------------------------- gcd, lcm

/** The two integer operands of gcd/lcm, broadcast, in their common integer dtype (JS integers take the other's). */
function intPair(where: string, x1: ArrayInput, x2: ArrayInput): [NDArray, NDArray] {
  required(where, 'x2', x2);
  const given = [x1, x2].filter((v) => v instanceof NDArray) as NDArray[];
  const dt: DType = given.length === 0 ? 'int32' : commonDtype(where, given);
  [x1, x2].forEach((v, i) => {
    if (v instanceof NDArray) {
      if (!isInteger(v.dtype)) throw new DTypeError(`${where}: arguments must be integers (jnp's), got x${i + 1} ${describe(v.shape, v.dtype)}`);
      return;
    }
    const flat = Array.isArray(v) ? (v as unknown[]).flat(Infinity) : [v];
    const bad = flat.find((e) => typeof e !== 'number' || !Number.isInteger(e));
    if (bad !== undefined) throw new DTypeError(`${where}: arguments must be integers (jnp's), got ${show(bad)} in x${i + 1}`);
  });
  if (!isInteger(dt)) throw new DTypeError(`${where}: arguments must be integers (jnp's), got ${dt}`);
  const [a, b] = prepare(where, [x1, x2], dt);
  return [a, b];
}

/** |a| as uint32 (int32's -2^31 becomes 2^31, as numpy's unsigned arithmetic would have it). */
function magnitude(a: NDArray): NDArray {
  return a.dtype === 'uint32' ? a : lax.convertElementType(lax.abs(a), 'uint32');
}

/** gcd of two uint32 arrays of one shape: 48 Euclid steps, enough for any 32-bit pair (Lamé: F(48) > 2^32). */
function euclid(a: NDArray, b: NDArray): NDArray {
  const zero = lax.full(a.shape, 0, 'uint32'), one = lax.full(a.shape, 1, 'uint32');
  const [g] = foriLoop(0, 48, (_i, [p, q]: NDArray[]) => {
    const nz = lax.ne(q, zero);
    return [lax.select(nz, q, p), lax.select(nz, lax.rem(p, lax.select(nz, q, one)), zero)];
  }, [a, b]);
  return g;
}

/**
 * np.gcd(x1, x2): the greatest common divisor of |x1| and |x2|, elementwise with broadcasting
 * (integers only, as jnp; gcd(0, 0) = 0). A fixed 48 Euclid steps, so it jits and vmaps.
 */
export function gcd(x1: ArrayInput, x2: ArrayInput): NDArray {
  const [a, b] = intPair('np.gcd', x1, x2);
  if (a.size === 0) return a;
  return heavyComposite([a, b], () => {
    const g = euclid(magnitude(a), magnitude(b));
    return a.dtype === 'uint32' ? g : lax.convertElementType(g, a.dtype);
  });
}

/**
 * np.lcm(x1, x2): the least common multiple of |x1| and |x2| (0 when either is 0), elementwise
 * with broadcasting; integers only (jnp's); a product past the dtype wraps, as numpy's.
 */
export function lcm(x1: ArrayInput, x2: ArrayInput): NDArray {
  const [a, b] = intPair('np.lcm', x1, x2);
  if (a.size === 0) return a;
  return heavyComposite([a, b], () => {
    const ua = magnitude(a), ub = magnitude(b), g = euclid(ua, ub);
    const zero = lax.full(a.shape, 0, 'uint32'), gz = lax.eq(g, zero);
    const l = lax.select(gz, zero, lax.mul(lax.div(ua, lax.select(gz, lax.full(a.shape, 1, 'uint32'), g)), ub));
    return a.dtype === 'uint32' ? l : lax.convertElementType(l, a.dtype);
  });
}

// ---------------------------------------------------------------- modf, spacing, i0

/** A real float operand (integers and bools as float32, jnp's); complex refused. */
function realFloat(where: string, x: ArrayInput): NDArray {
  const d = floatDtype(where, [x]);
  if (isComplex(d)) throw new DTypeError(`${where}: not defined for complex values, got ${show(x)}`);
  const [a] = prepare(where, [x], d);
  return a;
}

/**
 * np.modf(x): [fractional, integral] parts, both with x's sign (numpy's: modf(-3) is [-0, -3],
 * modf(-inf) [-0, -inf]; jnp gives +0 and NaN there). Integers as float32 (jnp's). The
 * fractional part's derivative is 1, the integral part's 0.
 */
export function modf(x: ArrayInput): [NDArray, NDArray] {
  const a = realFloat('np.modf', x);
  return heavyComposite([a], () => {
    const t = lax.trunc(a), neg = signbit(a);
    const z = lax.full(a.shape, 0, a.dtype);
    // x - t gives +0 at negative integers; -(t - x) keeps the sign
    const frac = lax.select(neg, lax.neg(lax.sub(t, a)), lax.sub(a, t));
    const signedZero = lax.select(neg, lax.neg(z), z);
    return [lax.select(isinf(a), signedZero, frac), t];
  }) as [NDArray, NDArray];
}

/**
 * np.spacing(x): the distance from x to the next float away from zero, negative for negative x
 * (numpy's: spacing(+-0) is the smallest subnormal, positive; inf and NaN give NaN). Integers
 * as float32 (jnp's). Its derivative is 0.
 */
export function spacing(x: ArrayInput): NDArray {
  const a = lax.stopGradient(realFloat('np.spacing', x));
  return heavyComposite([a], () => {
    const inf = lax.full(a.shape, Infinity, a.dtype);
    const r = lax.sub(nextafter(a, lax.select(signbit(a), lax.neg(inf), inf)), a);
    const tiny = lax.full(a.shape, a.dtype === 'float64' ? 5e-324 : 2 ** -149, a.dtype);
    return lax.select(lax.eq(a, lax.full(a.shape, 0, a.dtype)), tiny, r);
  });
}

// I0(x) = sum_k (x^2/4)^k / (k!)^2: every term positive, so Horner's sum is accurate to a few
// ulps; for |x| <= 8 30 terms reach float64's rounding.
const I0_SERIES = Array.from({ length: 30 }, (_, k) => { let f = 1; for (let j = 2; j <= k; j++) f *= j; return 1 / (f * f); });
// sqrt(x) e^-x I0(x) for x >= 8 as a Chebyshev series in t = 16/x - 1 (t in (-1, 1]): our own
// fit, the coefficients from interpolation at 40 Chebyshev nodes in 50-digit arithmetic (mpmath),
// cut where they fall below 1e-19 (max relative error of the whole i0 ~2.5 ulp against mpmath).
const I0_CHEB = [0.4022452055070544, 0.0033691164782556943, 6.889758346916825e-05, 2.8913705208347567e-06,
  2.0489185894690638e-07, 2.266668990498178e-08, 3.3962320257083865e-09, 4.94060238822497e-10, 1.1889147107846439e-11,
  -3.1499165279632416e-11, -1.3215811840447713e-11, -1.7941785315068062e-12, 7.180124451383666e-13, 3.8527783827421426e-13,
  1.54008621752141e-14, -4.150569347287222e-14, -9.554846698828307e-15, 3.811680669352621e-15, 1.7725601330565245e-15,
  -3.425485619677142e-16, -2.827623980516646e-16, 3.461222867695658e-17, 4.465621420302078e-17, -4.8305044859640105e-18,
  -7.233180488043844e-18, 9.921475415657038e-19, 1.1936508909418693e-18, -2.488709852186011e-19];

/**
 * np.i0(x): the modified Bessel function of the first kind, order 0, accurate to a few ulps
 * (float64) over its whole range: its power series for |x| <= 8, a Chebyshev series of
 * sqrt(x) e^-x I0(x) past it, e^|x| applied in two halves so values up to ~713.98 stay finite
 * (numpy's and jnp's e^x overflow first, to inf, past 709.78). Integers as float32 (jnp's);
 * complex refused. Derivatives are those of the series (i1, then i0 - i1/x), smooth at 0.
 */
export function i0(x: ArrayInput): NDArray {
  const a = realFloat('np.i0', x);
  if (a.size === 0) return a;
  return heavyComposite([a], () => i0Of(a));
}
function i0Of(a: NDArray): NDArray {
  const c = (v: number) => lax.full(a.shape, v, a.dtype);
  const ax = lax.abs(a), small = lax.le(ax, c(8));
  // each branch on inputs inside its domain, so neither puts inf or NaN into the other's
  // derivative: the large one on [8, clamp] (past clamp the value is inf, and its intermediates
  // stay finite: an inf one times a zero cotangent is NaN in reverse mode)
  const xs = lax.select(small, a, c(0)), xl = lax.select(small, c(16), lax.min(ax, c(a.dtype === 'float32' ? 100 : 1000)));
  const t = lax.mul(lax.mul(xs, xs), c(0.25));
  let p = c(I0_SERIES[I0_SERIES.length - 1]);
  for (let k = I0_SERIES.length - 2; k >= 0; k--) p = lax.add(lax.mul(p, t), c(I0_SERIES[k]));
  const u = lax.sub(lax.div(c(16), xl), c(1)), u2 = lax.add(u, u);
  // the Chebyshev series times 2^40 (exactly): see below
  let b1 = c(0), b2 = c(0);
  for (let k = I0_CHEB.length - 1; k >= 1; k--) [b1, b2] = [lax.add(lax.sub(lax.mul(u2, b1), b2), c(I0_CHEB[k] * 2 ** 40)), b1];
  const G = lax.add(lax.sub(lax.mul(u, b1), b2), c(I0_CHEB[0] * 2 ** 40));
  // e^x g / sqrt(x) as (e^(x/2) G) ((e^(x/2) 2^-40) / sqrt(x)), so that it stays finite up to
  // ~713.98 and so does every node's reverse-mode cotangent (the value over the node's, for a
  // factor) while the value does: in (h (g / sqrt x)) h the node g / sqrt(x) had cotangent
  // e^x, inf past 709.78, and grad(i0)(710) was NaN (helper-198). x/2 twice as two nodes
  // (x/2 and x - x/2, equal), else that node's cotangent is 2 i0(x), inf near the top.
  const A = lax.mul(xl, c(0.5)), B = lax.sub(xl, A);
  const big = lax.mul(lax.mul(lax.exp(A), G), lax.div(lax.mul(lax.exp(B), c(2 ** -40)), lax.sqrt(xl)));
  // past the range the value is inf and so is every derivative (i1 = i0', then (i0 + i2)/2 = i0'',
  // +inf; odd orders signed as x), through e^(x^2), which overflows there (x^2 > 8,400 in float32,
  // 509,000 in float64) with derivatives 2x e^(x^2), (2 + 4x^2) e^(x^2), ... all +-inf. (|x| times
  // inf had second derivative 0: grad(grad(i0))(100) in float32 was 0, helper-231.) x selected
  // first, so that the inf derivatives reach only those elements (0 inf is NaN)
  const over = isinf(big);
  const xo = lax.select(over, a, c(0));
  const inf = lax.exp(lax.mul(xo, xo));
  return lax.select(small, p, lax.select(over, inf, big));
}

// ---------------------------------------------------------------- unwrap

export interface UnwrapOptions { discont?: ArrayInput | null; axis?: number; period?: ArrayInput }

/**
 * np.unwrap(p, { discont = period / 2, axis = -1, period = 2 pi }): p with every jump along
 * `axis` larger than discont replaced by its remainder modulo period (numpy's). Integer p with
 * an integer period stays integer; with a float period it computes in float32 (jnp's, numpy's
 * float64). discont may be given positionally. For an odd integer period numpy's boundary rule
 * (jnp maps -period//2 to +period//2 there too, which is not a multiple of the period).
 */
export function unwrap(p: ArrayInput, opts?: UnwrapOptions | ArrayInput | null): NDArray {
  const where_ = 'np.unwrap';
  atMost(where_, arguments.length, 2);
  const o = readOptions<UnwrapOptions>(where_, opts === null ? undefined : opts, { discont: 'any', axis: 'any', period: 'any' }, 'discont');
  const axis0 = intAxis(where_, o.axis, -1);
  const period = o.period ?? 2 * Math.PI;
  const p0 = operand(where_, 0, p);
  if (isComplex(p0.dtype)) throw new DTypeError(`${where_}: complex values are not supported (jnp's), got ${describe(p0.shape, p0.dtype)}`);
  const intPeriod = typeof period === 'number' ? Number.isInteger(period) : operand(where_, 1, period).dtype !== 'bool' && isInteger(operand(where_, 1, period).dtype);
  const integral = isInteger(p0.dtype) && intPeriod;
  const dt = integral ? p0.dtype : floatDtype(where_, [p0, period]);
  if (isComplex(dt)) throw new DTypeError(`${where_}: period may not be complex, got ${show(period)}`);
  const a = astype(p0, dt);
  if (a.ndim === 0) throw new ValueError(`${where_}: p must have at least 1 dimension, got ${describe(a.shape, a.dtype)}`);
  const [axis] = normalizeAxisList(where_, [axis0], a.ndim);
  if (a.shape[axis] === 0) return a;
  const per = astype(operand(where_, 1, period, dt), dt);
  return heavyComposite([a, per], () => unwrapOf(a, per, o.discont, axis, integral, dt));
}

/** unwrap's arithmetic (a one-shot program on large operands: eight passes over it). */
function unwrapOf(a: NDArray, per: NDArray, discont0: ArrayInput | null | undefined, axis: number, integral: boolean, dt: DType): NDArray {
  const discont = discont0 === undefined || discont0 === null ? divide(per, 2) : discont0;
  const dd = diff(a, { axis });
  let ddmod: NDArray;
  if (integral) {
    const hi = floorDivide(per, 2);
    ddmod = subtract(remainder(add(dd, hi), per), hi);
    // (odd periods have no ambiguous boundary: numpy's rule)
    ddmod = where(logicalAnd(logicalAnd(equal(ddmod, multiply(hi, -1)), greater(dd, 0)), equal(remainder(per, 2), 0)), hi, ddmod);
  } else {
    const hi = divide(per, 2);
    ddmod = subtract(remainder(add(dd, hi), per), hi);
    ddmod = where(logicalAnd(equal(ddmod, multiply(hi, -1)), greater(dd, 0)), hi, ddmod);
  }
  const correct = where(less(abs(dd), discont), 0, subtract(ddmod, dd));
  const start = a.shape.map(() => 0), stop = a.shape.slice();
  const head = slice(a, start, stop.map((s, i) => (i === axis ? 1 : s))), rest = slice(a, start.map((s, i) => (i === axis ? 1 : s)), stop);
  return astype(concatenate([head, add(rest, cumsum(astype(correct, dt), { axis }))], { axis }), dt);
}

// ---------------------------------------------------------------- cumulativeSum, cumulativeProd

export interface CumulativeOptions { axis?: number | null; dtype?: DType; includeInitial?: boolean }

function cumulativeWith(where_: string, x: ArrayInput, opts: unknown, scan: typeof cumsum, initial: number): NDArray {
  const o = readOptions<CumulativeOptions>(where_, opts, { axis: 'any', dtype: 'dtype', includeInitial: 'boolean' });
  const a = operand(where_, 0, x);
  if (a.ndim === 0) throw new ValueError(`${where_}: the input must have at least 1 dimension, got ${describe(a.shape, a.dtype)}`);
  if ((o.axis === undefined || o.axis === null) && a.ndim > 1) {
    throw new AxisError(`${where_}: axis is required for an input of ${a.ndim} dimensions (${describe(a.shape, a.dtype)}); it may be left out for 1-d input only`);
  }
  const [axis] = normalizeAxisList(where_, [intAxis(where_, o.axis ?? undefined, 0)], a.ndim);
  const out = scan(a, o.dtype === undefined ? { axis } : { axis, dtype: o.dtype });
  if (!o.includeInitial) return out;
  const shape = a.shape.slice(); shape[axis] = 1;
  return concatenate([filled(where_, shape, out.dtype === 'bool' ? initial !== 0 : initial, out.dtype), out], { axis });
}

/**
 * np.cumulative_sum(x, { axis, dtype, includeInitial }): the array-API running sum; axis may be
 * left out for 1-d x only; includeInitial puts a 0 first (one longer along axis). bool sums
 * in int32 (jnp's default int).
 */
export function cumulativeSum(x: ArrayInput, opts?: CumulativeOptions): NDArray {
  atMost('np.cumulativeSum', arguments.length, 2);
  return cumulativeWith('np.cumulativeSum', x, opts, cumsum, 0);
}

/** np.cumulative_prod(x, { axis, dtype, includeInitial }): as cumulativeSum, with products and an initial 1. */
export function cumulativeProd(x: ArrayInput, opts?: CumulativeOptions): NDArray {
  atMost('np.cumulativeProd', arguments.length, 2);
  return cumulativeWith('np.cumulativeProd', x, opts, cumprod, 1);
}

// ---------------------------------------------------------------- vecdot, matvec, vecmat

function conjIfComplex(a: NDArray): NDArray { return isComplex(a.dtype) ? conj(a) : a; }

/**
 * np.vecdot(x1, x2, { axis = -1 }): sum(conj(x1) x2) along axis (its sizes must match), the
 * other axes broadcast (numpy 2's; x1 conjugated, as jnp.vecdot).
 */
export function vecdot(x1: ArrayInput, x2: ArrayInput, opts?: { axis?: number }): NDArray {
  const where_ = 'np.vecdot';
  atMost(where_, arguments.length, 3);
  required(where_, 'x2', x2);
  const o = readOptions<{ axis?: number }>(where_, opts, { axis: 'any' });
  const ax = intAxis(where_, o.axis, -1);
  const [a0, b0] = weakPair(where_, x1, x2);
  if (a0.ndim === 0 || b0.ndim === 0) throw new ValueError(`${where_}: operands must have at least 1 dimension, got ${describe(a0.shape, a0.dtype)} and ${describe(b0.shape, b0.dtype)}`);
  const [ia] = normalizeAxisList(where_, [ax], a0.ndim), [ib] = normalizeAxisList(where_, [ax], b0.ndim);
  if (a0.shape[ia] !== b0.shape[ib]) {
    throw new ShapeError(`${where_}: the sizes along axis ${ax} must match, got ${describe(a0.shape, a0.dtype)} and ${describe(b0.shape, b0.dtype)}`);
  }
  const a = moveaxis(a0, ia, -1), b = moveaxis(b0, ib, -1);
  broadcastShapes(where_, a.shape.slice(0, -1), b.shape.slice(0, -1));
  const r = matmul(expandDims(conjIfComplex(a), -2), expandDims(b, -1));
  return squeeze(r, [-2, -1]);
}

/** The two operands in their common dtype, JS values weak beside the other as np.matmul reads them (vecdot(int32 [16777217, 5], [1, 0]) was float32 16777216). */
function weakPair(where_: string, x1: ArrayInput, x2: ArrayInput): [NDArray, NDArray] {
  const dt = commonDtype(where_, [x1, x2]);
  return [operand(where_, 0, x1, dt), operand(where_, 1, x2, dt)];
}

/** np.matvec(x1, x2): x1 [..., m, n] times x2 [..., n] -> [..., m], the batch axes broadcast (numpy 2.2's). */
export function matvec(x1: ArrayInput, x2: ArrayInput): NDArray {
  const where_ = 'np.matvec';
  required(where_, 'x2', x2);
  const [a, b] = weakPair(where_, x1, x2);
  if (a.ndim < 2 || b.ndim < 1 || a.shape[a.ndim - 1] !== b.shape[b.ndim - 1]) {
    throw new ShapeError(`${where_}: needs x1 [..., m, n] and x2 [..., n], got ${describe(a.shape, a.dtype)} and ${describe(b.shape, b.dtype)}`);
  }
  broadcastShapes(where_, a.shape.slice(0, -2), b.shape.slice(0, -1));
  return squeeze(matmul(a, expandDims(b, -1)), -1);
}

/** np.vecmat(x1, x2): conj(x1) [..., m] times x2 [..., m, n] -> [..., n], the batch axes broadcast (numpy 2.2's). */
export function vecmat(x1: ArrayInput, x2: ArrayInput): NDArray {
  const where_ = 'np.vecmat';
  required(where_, 'x2', x2);
  const [a, b] = weakPair(where_, x1, x2);
  if (a.ndim < 1 || b.ndim < 2 || a.shape[a.ndim - 1] !== b.shape[b.ndim - 2]) {
    throw new ShapeError(`${where_}: needs x1 [..., m] and x2 [..., m, n], got ${describe(a.shape, a.dtype)} and ${describe(b.shape, b.dtype)}`);
  }
  broadcastShapes(where_, a.shape.slice(0, -1), b.shape.slice(0, -2));
  return squeeze(matmul(expandDims(conjIfComplex(a), -2), b), -2);
}

/** np.row_stack: np.vstack under its older name (errors name np.vstack). */
export function rowStack(tup: ArrayInput[] | NDArray): NDArray {
  return vstack(tup);
}

// ---------------------------------------------------------------- histogramBinEdges, histogram2d

export interface BinEdgesOptions { bins?: number | ArrayInput; range?: [number, number] | null; weights?: ArrayInput | null }

/**
 * np.histogram_bin_edges(a, { bins = 10, range, weights }): the edges np.histogram would use
 * (the same code: a count of equal bins over range or a's min and max, or given edges). weights
 * are checked against a's shape and otherwise unused (no string estimators, as jnp).
 */
export function histogramBinEdges(a: ArrayInput, opts?: BinEdgesOptions | number | ArrayInput): NDArray {
  const where_ = 'np.histogramBinEdges';
  atMost(where_, arguments.length, 2);
  const o = readOptions<BinEdgesOptions>(where_, opts, { bins: 'any', range: 'any', weights: 'any' }, 'bins');
  if (typeof o.bins === 'string') throw new ValueError(`${where_}: string bin estimators are not supported (as in jnp), got ${show(o.bins)}`);
  return histogram(a, { bins: o.bins ?? undefined, range: o.range ?? undefined, weights: o.weights ?? undefined })[1];
}

export interface Histogram2dOptions {
  bins?: number | ArrayInput | [number | ArrayInput, number | ArrayInput];
  range?: [[number, number] | null, [number, number] | null] | null;
  weights?: ArrayInput | null;
  density?: boolean;
}

/**
 * np.histogram2d(x, y, { bins = 10, range, weights, density }): [counts, xedges, yedges] of the
 * points (x[i], y[i]); bins a count, edges, or a pair of either (one per axis); the edges and
 * out-of-range rule np.histogram's. Counts are int32 without weights (jnp's; numpy's float64),
 * the weights' dtype with them, float with density (counts / total / bin area).
 */
export function histogram2d(x: ArrayInput, y: ArrayInput, opts?: Histogram2dOptions | number | ArrayInput): NDArray[] {
  const where_ = 'np.histogram2d';
  atMost(where_, arguments.length, 3);
  required(where_, 'y', y);
  const o = readOptions<Histogram2dOptions>(where_, opts, { bins: 'any', range: 'any', weights: 'any', density: 'boolean' }, 'bins');
  // (JS values in the pair's float dtype: a list of y beside float64 x was float32 first, 0.1 -> 0.10000000149011612)
  const hint = floatDtype(where_, [x, y]);
  const xa = operand(where_, 0, x, hint), ya = operand(where_, 1, y, hint);
  requireComputable(where_, [xa, ya]);
  if (xa.ndim !== 1 || ya.ndim !== 1 || xa.size !== ya.size) {
    throw new ShapeError(`${where_}: x and y must be 1-d of one length, got ${describe(xa.shape, xa.dtype)} and ${describe(ya.shape, ya.dtype)}`);
  }
  if (isComplex(xa.dtype) || isComplex(ya.dtype)) throw new DTypeError(`${where_}: complex values are not supported, got ${xa.dtype} and ${ya.dtype}`);
  const fd = floatDtype(where_, [xa, ya]);
  const xs = astype(xa, fd), ys = astype(ya, fd);
  const b = o.bins ?? 10;
  let per: unknown[];
  const len = b instanceof NDArray ? (b.ndim === 0 ? -1 : b.shape[0]) : Array.isArray(b) ? b.length : -1;
  if (len === -1) per = [b, b];
  else if (len === 2) per = b instanceof NDArray ? [take(b, 0), take(b, 1)].map((v) => v.item()) : (b as unknown[]);
  else if (len === 1) throw new ValueError(`${where_}: bins must be a count, edges, or one of either per axis (2), got ${show(b)}`);
  else per = [b, b];
  const r = o.range ?? null;
  if (r !== null && (!Array.isArray(r) || r.length !== 2)) throw new ValueError(`${where_}: range must be [[xmin, xmax], [ymin, ymax]] (either may be null), got ${show(r)}`);
  const ranges = r === null ? [null, null] : r;
  let w: NDArray | null = null;
  if (o.weights !== undefined && o.weights !== null) {
    w = operand(where_, 2, o.weights, fd);
    if (w.ndim !== 1 || w.size !== xs.size) throw new ShapeError(`${where_}: weights must be 1-d with one weight per point (${xs.size}), got ${describe(w.shape, w.dtype)}`);
    w = astype(w, w.dtype === 'bool' ? 'int32' : isInexact(w.dtype) ? w.dtype : fd);
  }
  const binned = [xs, ys].map((v, d) => {
    const bins = per[d];
    if (bins === null || bins === undefined) throw new ValueError(`${where_}: bins for axis ${d} is missing, got ${show(b)}`);
    const edges = histogram(v, { bins: bins as number | ArrayInput, range: (ranges[d] ?? undefined) as [number, number] | undefined })[1];
    const m = edges.size, nb = m - 1;
    let bin = subtract(searchsorted(edges, v, { side: 'right' }), 1);
    bin = where(equal(v, take(edges, m - 1)), nb - 1, bin);
    const inside = logicalAnd(greaterEqual(v, take(edges, 0)), lessEqual(v, take(edges, m - 1)));
    return { edges, nb, bin, inside };
  });
  const [bx, by] = binned, nx = bx.nb, ny = by.nb;
  const flat = where(logicalAnd(bx.inside, by.inside), add(multiply(bx.bin, ny), by.bin), nx * ny);
  const dt = w === null ? 'int32' : w.dtype;
  const n = xs.size;
  const dims = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] };
  let counts = n === 0 ? filled(where_, [nx * ny], 0, dt)
    : lax.scatterAdd(filled(where_, [nx * ny], 0, dt), reshape(flat, [n, 1]), w ?? lax.full([n], 1, 'int32'), dims, { mode: 'fill' });
  counts = reshape(counts, [nx, ny]);
  if (o.density) {
    const c = isInexact(counts.dtype) ? counts : astype(counts, fd);
    const area = multiply(reshape(diff(bx.edges), [nx, 1]), reshape(diff(by.edges), [1, ny]));
    counts = divide(divide(c, sum(c)), area);
  }
  return [counts, bx.edges, by.edges];
}

// ---------------------------------------------------------------- piecewise

type PieceFn = ((x: NDArray) => ArrayInput) | ArrayInput;

/**
 * np.piecewise(x, condlist, funclist): funclist[k] where condlist[k] holds (a later true
 * condition wins), funclist's extra last entry (or 0) where none does; entries are functions
 * or constants, results in x's dtype. As jnp, a function sees each element of x as a 0-d
 * Array (vmapped over x), so it must be traceable; every function is evaluated on all of x
 * (where-selected), which is what lets it jit and vmap.
 */
export function piecewise(x: ArrayInput, condlist: ArrayInput | ArrayInput[] | boolean, funclist: PieceFn[]): NDArray {
  const where_ = 'np.piecewise';
  required(where_, 'condlist', condlist);
  const a = operand(where_, 0, x);
  if (!Array.isArray(funclist)) throw new ValueError(`${where_}: funclist must be a list of functions or constants, got ${show(funclist)}`);
  // numpy's rule: a single condition (a scalar, or a flat list / 1-d Array for non-0-d x) is a list of one
  let conds: ArrayInput[];
  if (condlist instanceof NDArray) {
    conds = condlist.ndim === 0 || (condlist.ndim === 1 && a.ndim !== 0) ? [condlist]
      : Array.from({ length: condlist.shape[0] }, (_, i) => take(condlist, i, { axis: 0 }));
  } else if (!Array.isArray(condlist)) conds = [condlist as ArrayInput];
  else if (condlist.length > 0 && !Array.isArray(condlist[0]) && !(condlist[0] instanceof NDArray) && a.ndim !== 0) conds = [condlist as ArrayInput];
  else conds = condlist as ArrayInput[];
  const nc = conds.length, nf = funclist.length;
  if (nf !== nc && nf !== nc + 1) throw new ValueError(`${where_}: with ${nc} condition(s), either ${nc} or ${nc + 1} functions are expected; got ${nf}`);
  const masks = conds.map((c, k) => {
    const m = operand(`${where_}: condlist[${k}]`, 0, c);
    try { return broadcastTo(astype(m, 'bool'), a.shape); } catch (e) {
      if (e instanceof ShapeError || e instanceof ValueError) throw new ShapeError(`${where_}: condition ${k} ${describe(m.shape, m.dtype)} does not broadcast to x's shape ${describe(a.shape, a.dtype)}`);
      throw e;
    }
  });
  const value = (f: PieceFn, k: number): NDArray => {
    if (typeof f !== 'function') return broadcastTo(astype(operand(`${where_}: funclist[${k}]`, 0, f as ArrayInput, a.dtype), a.dtype), a.shape);
    const one = (v: NDArray) => {
      const r = operand(`${where_}: funclist[${k}]'s result`, 0, (f as (x: NDArray) => ArrayInput)(v));
      if (r.ndim !== 0) throw new ShapeError(`${where_}: funclist[${k}] must return a scalar for a scalar input (it is applied elementwise, as jnp's), got ${describe(r.shape, r.dtype)}`);
      return astype(r, a.dtype);
    };
    if (a.ndim === 0) return one(a);
    return reshape(vmap(one)(ravel(a)) as NDArray, a.shape);
  };
  if (a.size === 0) return zerosLike(a);
  let out = nf === nc + 1 ? value(funclist[nc], nc) : full(a.shape, 0, a.dtype);
  for (let k = 0; k < nc; k++) out = where(masks[k], value(funclist[k], k), out);
  return out;
}

// ---------------------------------------------------------------- applyAlongAxis, vectorize

/**
 * np.apply_along_axis(func1d, axis, arr): func1d on every 1-d slice of arr along axis, its
 * result's axes put where axis was. Through vmap (jnp's), so func1d must be traceable; extra
 * arguments go in a closure.
 */
export function applyAlongAxis(func1d: (v: NDArray) => unknown, axis: number, arr: ArrayInput): NDArray {
  const where_ = 'np.applyAlongAxis';
  if (typeof func1d !== 'function') throw new ValueError(`${where_}: func1d must be a function, got ${show(func1d)}`);
  required(where_, 'arr', arr);
  const a = operand(where_, 2, arr);
  if (a.ndim === 0) throw new AxisError(`${where_}: arr must have at least 1 dimension, got ${describe(a.shape, a.dtype)}`);
  const [ax] = normalizeAxisList(where_, [intAxis(where_, axis, 0)], a.ndim);
  let fn = (v: NDArray) => func1d(v) as NDArray;
  for (let i = 1; i < a.ndim - ax; i++) fn = vmap(fn, { inAxes: i, outAxes: -1 }) as (v: NDArray) => NDArray;
  for (let i = 0; i < ax; i++) fn = vmap(fn, { inAxes: 0, outAxes: 0 }) as (v: NDArray) => NDArray;
  return fn(a);
}

export interface VectorizeOptions { excluded?: Iterable<number>; signature?: string | null }

/** '(m,n),(n)->(m)' as [[['m', 'n'], ['n']], [['m']]] (numpy's gufunc grammar). */
function parseSignature(where_: string, sig: string): [string[][], string[][]] {
  const s = sig.replace(/\s+/g, '');
  const arg = '\\((?:\\w+(?:,\\w+)*)?\\)', list = `${arg}(?:,${arg})*`;
  if (!new RegExp(`^${list}->${list}$`).test(s)) throw new ValueError(`${where_}: not a valid gufunc signature: ${show(sig)}`);
  const side = (t: string) => (t.match(/\([^)]*\)/g) ?? []).map((g) => g.slice(1, -1).split(',').filter((d) => d !== ''));
  const [ins, outs] = s.split('->');
  return [side(ins), side(outs)];
}

function coreSizes(where_: string, sizes: Map<string, number>, shape: readonly number[], dims: string[], what: string, input: boolean): void {
  if (input ? shape.length < dims.length : shape.length !== dims.length) {
    throw new ShapeError(`${where_}: ${what} has shape [${shape}], ${input ? 'not enough dimensions for' : 'which does not match'} its core dimensions (${dims.join(',')})`);
  }
  const core = shape.slice(shape.length - dims.length);
  dims.forEach((d, i) => {
    const known = sizes.get(d);
    if (known === undefined) sizes.set(d, core[i]);
    else if (known !== core[i]) throw new ShapeError(`${where_}: inconsistent size for core dimension '${d}': ${core[i]} in ${what} vs ${known}`);
  });
}

/**
 * np.vectorize(pyfunc, { excluded, signature }): jnp's: pyfunc mapped by vmap over the
 * broadcast leading axes of its arguments; without a signature it sees 0-d Arrays, with one
 * ('(n),(n)->()', '(m,n),(n)->(m)', '()->(),()' for two outputs, returned as a list) the core
 * axes named there, checked for consistent sizes. excluded: argument positions passed through
 * as they are (null arguments too). Returns the vectorized function.
 */
export function vectorize<F extends (...args: any[]) => any>(pyfunc: F, opts?: VectorizeOptions): (...args: unknown[]) => any {
  const where_ = 'np.vectorize';
  atMost(where_, arguments.length, 2);
  if (typeof pyfunc !== 'function') throw new ValueError(`${where_}: pyfunc must be a function, got ${show(pyfunc)}`);
  const o = readOptions<VectorizeOptions>(where_, opts, { excluded: 'any', signature: 'any' });
  const excluded = new Set<number>();
  if (o.excluded !== undefined && o.excluded !== null) {
    if (typeof o.excluded !== 'object' || typeof (o.excluded as Iterable<number>)[Symbol.iterator] !== 'function') {
      throw new ValueError(`${where_}: excluded must be a list (or Set) of argument positions, got ${show(o.excluded)}`);
    }
    for (const e of o.excluded) {
      if (typeof e !== 'number' || !Number.isInteger(e) || e < 0) throw new ValueError(`${where_}: excluded must hold non-negative integer positions (JS has no keyword arguments), got ${show(e)}`);
      excluded.add(e);
    }
  }
  if (o.signature !== undefined && o.signature !== null && typeof o.signature !== 'string') throw new ValueError(`${where_}: signature must be a string such as '(n),(n)->()', got ${show(o.signature)}`);
  const sig = typeof o.signature === 'string' ? parseSignature(where_, o.signature) : null;
  const context = `(np.vectorize with signature ${sig === null ? 'none' : `'${o.signature}'`})`;
  return function vectorized(...args: unknown[]): any {
    const fixed = new Map<number, unknown>();
    const dynamic: NDArray[] = [];
    args.forEach((v, i) => {
      if (excluded.has(i) || v === null || v === undefined) fixed.set(i, v);
      else dynamic.push(operand(`${where_}: argument ${i}`, 0, v as ArrayInput));
    });
    const call = (...dyn: NDArray[]) => {
      const full_: unknown[] = []; let k = 0;
      for (let i = 0; i < args.length; i++) full_.push(fixed.has(i) ? fixed.get(i) : dyn[k++]);
      return pyfunc(...full_);
    };
    const inCore = sig === null ? dynamic.map(() => [] as string[]) : sig[0];
    if (inCore.length !== dynamic.length) {
      throw new ValueError(`${where_}: wrong number of positional arguments: the signature takes ${inCore.length}, got ${dynamic.length} ${context}`);
    }
    const sizes = new Map<string, number>();
    dynamic.forEach((v, i) => coreSizes(where_, sizes, v.shape, inCore[i], `argument ${i}`, true));
    const outer = dynamic.map((v, i) => v.shape.slice(0, v.ndim - inCore[i].length));
    const bshape = broadcastShapes(where_, ...outer);
    let fn: (...a: NDArray[]) => any = call;
    if (sig !== null) {
      const outCore = sig[1];
      fn = (...a: NDArray[]) => {
        const r = call(...a);
        const outs: unknown[] = outCore.length > 1 ? r : [r];
        if (outCore.length > 1 && !Array.isArray(r)) throw new ValueError(`${where_}: the function must return a list of ${outCore.length} outputs ${context}`);
        if (outs.length !== outCore.length) throw new ValueError(`${where_}: wrong number of outputs: expected ${outCore.length}, got ${outs.length} ${context}`);
        const s = new Map(sizes);
        outs.forEach((v, i) => coreSizes(where_, s, operand(`${where_}: output ${i}`, 0, v as ArrayInput).shape, outCore[i], `output ${i}`, false));
        return r;
      };
    }
    // each argument's size-1 (or missing) outer axes dropped: vmap maps only the others, and
    // the axes no argument maps are put back (1 long) at the end, as jnp's
    const squeezed = dynamic.map((v, i) => {
      const ones = outer[i].flatMap((d, j) => (d === 1 ? [j] : []));
      return ones.length === 0 ? v : squeeze(v, ones);
    });
    const revFilled = outer.map((s) => [...Array(bshape.length - s.length).fill(1), ...s].reverse());
    const expand: number[] = [];
    for (let neg = 0; neg < bshape.length; neg++) {
      const inAxes = revFilled.map((s) => (s[neg] === 1 ? null : 0));
      if (inAxes.every((v) => v === null)) expand.push(bshape.length - 1 - neg);
      else fn = vmap(fn, { inAxes: dynamic.length === 1 ? inAxes[0] : inAxes });
    }
    const result = fn(...squeezed);
    if (expand.length === 0) return result;
    const grow = (r: unknown) => expandDims(r as NDArray, expand.slice().sort((p, q) => p - q));
    return Array.isArray(result) ? result.map(grow) : grow(result);
  };
}

