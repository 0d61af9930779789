// numpy's order statistics and NaN-aware reductions, composed from sort, the reductions and
// where (so they differentiate, batch and trace as those do): quantile/percentile/nanquantile/
// nanpercentile/median (jnp's five methods of numpy's), ptp, average, the nan* reductions, countNonzero, diff.
import { NDArray, ArrayInput } from './array.js';
import * as lax from './lax.js';
import {
  add, subtract, multiply, divide, sum, where, isnan, isinf, notEqual, astype, reshape, moveaxis, checkAxes, broadcastTo, Axis,
  greaterEqual, lessEqual, sqrt, concatenate, commonDtype, takeMask, masked, maskOf, maximum,
} from './numpy.js';
import { floor, ceil, round } from './np_elementwise.js';
import { take, takeAlongAxis, int32, nestedInts } from './np_indexing.js';
import { max, min, prod, any as anyOf, cumsum, cumprod, type ReduceOptions, type VarOptions } from './np_reductions.js';
import { sort } from './np_sorting.js';
import { slice } from './np_rearrange.js';
import { operand, composite } from './np_shared.js';
import { OptionSpec, atMost, intAxis, readOptions, readOptionalPositions, show } from './options.js';
import { filled } from './creation.js';
import { DTypeError, ShapeError, ValueError, describe } from '../core/errors.js';
import { DType, isComplex, isInexact, promoteFloat, realOf } from '../core/dtype.js';

const REDUCE: OptionSpec = { axis: 'axis', keepdims: 'boolean' };

/** Float operand (ints and bools in float32, as jnp's statistics). */
function floatOperand(where: string, x: ArrayInput): NDArray {
  const a = operand(where, 0, x);
  return isInexact(a.dtype) ? a : astype(a, 'float32');
}

/** The reduced axes moved last and flattened into one: [..., n], with the kept axes' shape. */
function gathered(a: NDArray, axes: number[]): { flat: NDArray; keptShape: number[]; n: number } {
  const kept = [...a.shape.keys()].filter((i) => !axes.includes(i));
  const moved = moveaxis(a, axes, axes.map((_, j) => a.ndim - axes.length + j));
  const keptShape = kept.map((i) => a.shape[i]);
  const n = axes.reduce((p, i) => p * a.shape[i], 1);
  return { flat: reshape(moved, [...keptShape, n]), keptShape, n };
}

export type QuantileMethod = 'linear' | 'lower' | 'higher' | 'midpoint' | 'nearest';
export interface QuantileOptions { axis?: number | number[] | null; keepdims?: boolean; method?: QuantileMethod }
const QUANTILE: OptionSpec = { axis: 'axis', keepdims: 'boolean', method: 'any' };
const METHODS: readonly string[] = ['linear', 'lower', 'higher', 'midpoint', 'nearest'];

/**
 * numpy.quantile(x, q, { axis, keepdims, method }): sorted values v, virtual position q (n - 1),
 * numpy's rule per method: 'linear' (the default) interpolates between its floor and ceiling,
 * 'lower' / 'higher' take the floor / ceiling, 'nearest' the nearest (a half to the even index,
 * numpy's np.around), 'midpoint' the mean of floor and ceiling. q a number, a list (the result's
 * leading axes) or an Array. A slice holding NaN gives NaN (sort puts NaN last; numpy propagates).
 */
export function quantile(x: ArrayInput, q: number | number[] | NDArray, opts?: QuantileOptions | Axis): NDArray {
  atMost('np.quantile', arguments.length, 3);
  return quantileNamed('np.quantile', x, q, opts, 1, false);
}
/** numpy.percentile: quantile at q / 100. */
export function percentile(x: ArrayInput, q: number | number[] | NDArray, opts?: QuantileOptions | Axis): NDArray {
  atMost('np.percentile', arguments.length, 3);
  return quantileNamed('np.percentile', x, q, opts, 100, false);
}
/** numpy.nanquantile: quantile of each slice's non-NaN entries (a slice of NaNs only: NaN). */
export function nanquantile(x: ArrayInput, q: number | number[] | NDArray, opts?: QuantileOptions | Axis): NDArray {
  atMost('np.nanquantile', arguments.length, 3);
  return quantileNamed('np.nanquantile', x, q, opts, 1, true);
}
/** numpy.nanpercentile: nanquantile at q / 100. */
export function nanpercentile(x: ArrayInput, q: number | number[] | NDArray, opts?: QuantileOptions | Axis): NDArray {
  atMost('np.nanpercentile', arguments.length, 3);
  return quantileNamed('np.nanpercentile', x, q, opts, 100, true);
}
/** numpy.median: the 0.5 quantile. */
export function median(x: ArrayInput, opts?: ReduceOptions | Axis): NDArray {
  atMost('np.median', arguments.length, 2);
  return quantileNamed('np.median', x, 0.5, readOptions<ReduceOptions>('np.median', opts, REDUCE, 'axis'), 1, false);
}

function quantileNamed(fn: string, x: ArrayInput, q: number | number[] | NDArray, opts: unknown, scale: number, skipNaN: boolean): NDArray {
  const o = readOptions<QuantileOptions>(fn, opts, QUANTILE, 'axis');
  const method = o.method ?? 'linear';
  if (typeof method !== 'string' || !METHODS.includes(method)) {
    throw new ValueError(`${fn}: method must be one of ${METHODS.map((m) => `'${m}'`).join(', ')} (jnp's; numpy's others are not supported), got ${show(method)}`);
  }
  const a = floatOperand(fn, x);
  if (isComplex(a.dtype)) throw new DTypeError(`${fn}: complex values have no order to take quantiles in (jnp refuses them too), got ${describe(a.shape, a.dtype)}`);
  // jnp takes an array q. A concrete one is checked here (numpy's ValueError) and then computed as
  // a traced one is, in the operand's dtype: its values read as JS doubles gave float32 positions
  // in double (quantile([3, -2, 5, 4, -9, 1], float32(0.3)) was -0.49999976 eagerly, -0.5 under jit)
  if (q instanceof NDArray && !q.isTracer && !isComplex(q.dtype) && q.dtype !== 'bool') {
    const vs = Array.from(q.dataSync() as ArrayLike<number>);
    if (vs.some((v) => !(v >= 0 && v <= scale))) throw new ValueError(`${fn}: q must be a number or a list of numbers in [0, ${scale}], got ${show(q.tolist())}`);
  }
  if (q instanceof NDArray) return quantileOfArrayQ(fn, a, q, o, method, scale, skipNaN);
  // a nested list: its numbers in order, the result's leading axes its shape (numpy's q of any shape)
  let qShape = typeof q === 'number' ? [] : Array.isArray(q) ? [q.length] : [];
  if (Array.isArray(q) && q.some(Array.isArray)) {
    let nested: { vals: number[]; shape: number[] };
    try { nested = nestedInts(q); } catch { throw new ValueError(`${fn}: a nested q must be rectangular (as numpy's), got ${show(q)}`); }
    q = nested.vals; qShape = nested.shape;
  }
  const qs = typeof q === 'number' ? [q] : Array.isArray(q) ? q : null;
  if (qs === null || qs.some((v) => typeof v !== 'number' || !(v >= 0 && v <= scale))) {
    throw new ValueError(`${fn}: q must be a number or a list of numbers in [0, ${scale}], got ${show(q)}`);
  }
  const axes = checkAxes(fn, o.axis, a.ndim);
  const { flat, keptShape, n } = gathered(a, axes);
  const outKept = o.keepdims ? a.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : keptShape;
  // (numpy's and jnp's median of an empty slice is NaN, as is numpy's nanquantile of one; numpy's quantile raises)
  if (n === 0 && (fn === 'np.median' || skipNaN)) return lax.full([...qShape, ...outKept], NaN, a.dtype);
  if (n === 0) throw new ValueError(`${fn}: an empty slice has no quantile (${describe(a.shape, a.dtype)}, axes [${axes}])`);
  const sorted = sort(flat, { axis: -1 });
  if (skipNaN) { // each slice's count of non-NaN entries sets its positions: computed as Arrays
    const out = nanQuantilesOfList(qs.map((v) => v / scale), method, sorted, flat, keptShape);
    return reshape(out, [...qShape, ...outKept]);
  }
  const hasNaN = anyOf(isnan(flat), { axis: -1 });
  if (typeof q !== 'number') { // a list: one gather per end for all of q (per q, 16,000 q took seconds)
    const out = quantilesOfList(qs.map((v) => v / scale), method, sorted, hasNaN, keptShape, n);
    return reshape(out, [...qShape, ...outKept]);
  }
  // one q (a JS number): its ends read by slices
  const last = (i: number) => reshape(slice(sorted, [...keptShape.map(() => 0), i], [...keptShape, i + 1]), keptShape);
  const { lo, hi, t } = jsPosition(qs[0] / scale, n, method);
  let at: NDArray;
  if (t === 0) at = last(lo);
  // jnp.median's midpoint, halves added (the same bits as (a + b) / 2, which overflowed to inf for
  // two values near the dtype's max: numpy's does, quantile's lerp and JAX's do not)
  else if (fn === 'np.median') at = add(multiply(last(lo), 0.5), multiply(last(hi), 0.5));
  else at = lerp(last(lo), last(hi), t, 1 - t, t >= 0.5);
  const out = where(hasNaN, NaN, at);
  return reshape(out, outKept);
}

/**
 * The sorted positions a JS q (already in [0, 1]) reads among n values, in JS doubles as numpy
 * computes them ((n - 1) q first): the value is lerp(v[lo], v[hi], t), t = 0 meaning v[lo] itself.
 */
function jsPosition(q: number, n: number, method: string): { lo: number; hi: number; t: number } {
  const v = (n - 1) * q, fl = Math.floor(v), ce = Math.ceil(v);
  switch (method) {
    case 'lower': return { lo: fl, hi: fl, t: 0 };
    case 'higher': return { lo: ce, hi: ce, t: 0 };
    case 'nearest': { const r = roundHalfEven(v); return { lo: r, hi: r, t: 0 }; }
    case 'midpoint': return fl === ce ? { lo: fl, hi: fl, t: 0 } : { lo: fl, hi: ce, t: 0.5 };
    default: return v >= n - 1 ? { lo: n - 1, hi: n - 1, t: 0 } : { lo: fl, hi: fl + 1, t: v - fl };
  }
}

/** np.around of a double: the nearest integer, a half to the even one. */
function roundHalfEven(v: number): number {
  const r = Math.round(v); // (halves up)
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * numpy's _lerp: a + (b - a) t, or b - (b - a) (1 - t) where t >= 0.5 (so t = 1 gives b exactly);
 * where an end is infinite JAX's a (1 - t) + b t, since -inf + (5 - -inf) t is NaN (the median of
 * [-inf, 5] is -inf; of [inf, inf], inf). t and 1 - t JS numbers (rounded to the dtype as weak
 * scalars, numpy's weak q) or Arrays broadcasting against a and b.
 */
function lerp(a0: NDArray, b0: NDArray, t: number | NDArray, omt: number | NDArray, ge: boolean | NDArray): NDArray {
  const d = subtract(b0, a0);
  const up = subtract(b0, multiply(d, omt)), down = add(a0, multiply(d, t));
  const fin = typeof ge === 'boolean' ? (ge ? up : down) : where(ge, up, down);
  return where(lax.bitwiseOr(isinf(a0), isinf(b0)), add(multiply(a0, omt), multiply(b0, t)), fin);
}

/** A column of JS numbers in dtype dt, shaped [m, 1, ..., 1] (k ones) to meet [m, ...kept]. */
function column(v: number[], dt: DType, k: number): NDArray {
  const m = v.length;
  const data = dt === 'float64' ? Float64Array.from(v) : dt === 'bool' ? Uint8Array.from(v) : Float32Array.from(v);
  return reshape(new NDArray([m], dt, data), [m, ...Array(k).fill(1)]);
}

/**
 * quantileNamed's values for a list of q (each already in [0, 1]), [q.length, ...kept]: positions,
 * floors and fractions in JS doubles as for one q, the sorted values gathered at all low and all
 * high ends at once, and the same lerp elementwise (each fraction rounded to the dtype as a JS
 * scalar would be), so each row has the bits one q alone gives.
 */
function quantilesOfList(qs: number[], method: string, sorted: NDArray, hasNaN: NDArray, keptShape: number[], n: number): NDArray {
  const dt = sorted.dtype, m = qs.length, k = keptShape.length;
  if (m === 0) return filled('np.quantile', [0, ...keptShape], 0, dt);
  const ps = qs.map((v) => jsPosition(v, n, method));
  const ends = (idx: number[]) => moveaxis(take(sorted, int32(idx), { axis: -1 }), -1, 0); // [m, ...kept]
  const a0 = ends(ps.map((p) => p.lo));
  if (ps.every((p) => p.t === 0)) return where(hasNaN, NaN, a0);
  const b0 = ends(ps.map((p) => p.hi));
  const t = ps.map((p) => p.t);
  const out = lerp(a0, b0, column(t, dt, k), column(t.map((v) => 1 - v), dt, k), column(t.map((v) => (v >= 0.5 ? 1 : 0)), 'bool', k));
  return where(hasNaN, NaN, where(column(t.map((v) => (v === 0 ? 1 : 0)), 'bool', k), a0, out));
}

/**
 * The positions of numpy's methods as Arrays: pos (any shape) the virtual positions q (n - 1);
 * lo and hi the indices to gather (floats, whole), t the fraction (0 where the value is v[lo]).
 */
function arrayPositions(pos: NDArray, method: string): { lo: NDArray; hi: NDArray; t: NDArray | null } {
  const fl = floor(pos);
  switch (method) {
    case 'lower': return { lo: fl, hi: fl, t: null };
    case 'higher': { const ce = ceil(pos); return { lo: ce, hi: ce, t: null }; }
    case 'nearest': { const r = round(pos); return { lo: r, hi: r, t: null }; } // (half to even, np.around's)
    case 'midpoint': { const ce = ceil(pos); return { lo: fl, hi: ce, t: where(lax.eq(fl, ce), 0, lax.full(pos.shape, 0.5, pos.dtype)) }; }
    default: return { lo: fl, hi: ceil(pos), t: subtract(pos, fl) };
  }
}

/** The value at positions: v[lo], or the lerp to v[hi] by t (t and 1 - t turned to the values' dtype). */
function valueAt(gather: (p: NDArray) => NDArray, p: { lo: NDArray; hi: NDArray; t: NDArray | null }, dt: DType): NDArray {
  const a0 = gather(p.lo);
  if (p.t === null) return a0;
  const t = p.t, omt = subtract(1, t); // (1 - t in the positions' dtype, then rounded: numpy's weak gamma)
  const td = astype(t, dt), omtd = astype(omt, dt);
  const whole = lax.eq(t, lax.full(t.shape, 0, t.dtype));
  return where(whole, a0, lerp(a0, gather(p.hi), td, omtd, greaterEqual(t, 0.5)));
}

/**
 * nanquantile's values for a list of q (each in [0, 1]), [q.length, ...kept]: each slice's
 * positions (c - 1) q over its c non-NaN entries (the first c of the sorted slice), computed in
 * float64 as numpy's are in doubles; a slice of NaNs only gives NaN.
 */
function nanQuantilesOfList(qs: number[], method: string, sorted: NDArray, flat: NDArray, keptShape: number[]): NDArray {
  const dt = sorted.dtype, m = qs.length, k = keptShape.length;
  if (m === 0) return filled('np.nanquantile', [0, ...keptShape], 0, dt);
  const count = sum(lax.convertElementType(lax.bitwiseNot(isnan(flat)), 'float64'), { axis: -1, keepdims: true }); // [...kept, 1]
  const qcol = reshape(new NDArray([m], 'float64', Float64Array.from(qs)), [...Array(k).fill(1), m]);
  const pos = multiply(subtract(count, 1), qcol); // [...kept, m]: numpy's (n - 1) * q
  const gather = (p: NDArray) => takeAlongAxis(sorted, astype(p, 'int32'), -1, { mode: 'clip' });
  const out = where(lax.eq(count, lax.full(count.shape, 0, 'float64')), NaN, valueAt(gather, arrayPositions(pos, method), dt));
  return moveaxis(out, -1, 0);
}

/**
 * quantile at an Array q that is traced (differentiated, batched or under jit) or of 2+ dims: the
 * positions computed as Arrays in the operand's dtype, JAX's way (floor and ceil of q (n - 1),
 * the values gathered at both, lerped by q's fraction), so the result differentiates in q:
 * (v_hi - v_lo) (n - 1) / scale for 'linear', 0 where q (n - 1) is a whole number (floor = ceil,
 * as jnp.quantile) and for the other methods. Shape q.shape + the kept axes; a q outside
 * [0, scale] (not checkable while traced) gives NaN. skipNaN: each slice's n is its count of
 * non-NaN entries (nanquantile; a slice of NaNs only gives NaN).
 */
function quantileOfArrayQ(fn: string, a: NDArray, q: NDArray, o: QuantileOptions, method: string, scale: number, skipNaN: boolean): NDArray {
  if (!isInexact(q.dtype) && q.dtype !== 'int32' && q.dtype !== 'uint32') throw new DTypeError(`${fn}: q must be a real number Array, got ${describe(q.shape, q.dtype)}`);
  if (isComplex(q.dtype)) throw new DTypeError(`${fn}: q must be real, got ${describe(q.shape, q.dtype)}`);
  const axes = checkAxes(fn, o.axis, a.ndim);
  const { flat, keptShape, n } = gathered(a, axes);
  const outKept = o.keepdims ? a.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : keptShape;
  if (n === 0 && skipNaN) return lax.full([...q.shape, ...outKept], NaN, a.dtype);
  if (n === 0) throw new ValueError(`${fn}: an empty slice has no quantile (${describe(a.shape, a.dtype)}, axes [${axes}])`);
  const dt = a.dtype, K = keptShape.length, m = q.size;
  const qa = reshape(astype(q, dt), [...Array(K).fill(1), m]); // [1..., m]
  const sorted = sort(flat, { axis: -1 });
  const inRange = lax.bitwiseAnd(greaterEqual(qa, 0), lessEqual(qa, scale));
  let out: NDArray;
  if (skipNaN) {
    const count = sum(lax.convertElementType(lax.bitwiseNot(isnan(flat)), dt), { axis: -1, keepdims: true }); // [...kept, 1]
    const pos = multiply(divide(qa, scale), subtract(count, 1)); // [...kept, m]
    const gather = (p: NDArray) => takeAlongAxis(sorted, astype(p, 'int32'), -1, { mode: 'clip' });
    out = where(lax.eq(count, lax.full(count.shape, 0, dt)), NaN, valueAt(gather, arrayPositions(pos, method), dt));
  } else {
    const hasNaN = anyOf(isnan(flat), { axis: -1, keepdims: true }); // [...kept, 1]
    const pos = reshape(multiply(divide(qa, scale), n - 1), [m]);
    const gather = (p: NDArray) => take(sorted, astype(p, 'int32'), { axis: -1, mode: 'clip' }); // [...kept, m]
    out = where(hasNaN, NaN, valueAt(gather, arrayPositions(pos, method), dt));
  }
  out = where(inRange, out, NaN);
  out = moveaxis(out, -1, 0); // [m, ...kept]: q's axes first, as numpy
  return reshape(out, [...q.shape, ...outKept]);
}

/** numpy.ptp: max - min over the axes. */
export function ptp(x: ArrayInput, opts?: ReduceOptions | Axis): NDArray {
  atMost('np.ptp', arguments.length, 2);
  const a = nonEmptyOperand('np.ptp', x, opts);
  return subtract(max(a, opts as ReduceOptions), min(a, opts as ReduceOptions));
}

/** Operand 0 of a reduction with no identity (max, min): refused, under this name, when a reduced axis is empty. */
function nonEmptyOperand(where: string, x: ArrayInput, opts: unknown): NDArray {
  const a = operand(where, 0, x);
  const axes = checkAxes(where, readOptions<ReduceOptions>(where, opts, REDUCE, 'axis').axis, a.ndim);
  if (axes.some((i) => a.shape[i] === 0)) {
    throw new ValueError(`${where}: zero-size array to reduction operation which has no identity (${describe(a.shape, a.dtype)}, axes [${axes}])`);
  }
  return a;
}

export interface AverageOptions { axis?: number | number[] | null; weights?: ArrayInput; keepdims?: boolean; returned?: boolean }

/**
 * numpy.average: sum(x w) / sum(w) over the axes (the mean without weights). 1-d weights along
 * a single axis are broadcast along it, as numpy; otherwise they must have x's shape. With
 * `returned`: [the average, the sum of the weights] (the count without weights), the second
 * broadcast to the first's shape, as numpy's and jnp's.
 */
export function average(x: ArrayInput, opts: AverageOptions & { returned: true }): [NDArray, NDArray];
export function average(x: ArrayInput, opts?: AverageOptions | number | number[] | null): NDArray;
export function average(x: ArrayInput, opts?: AverageOptions | number | number[] | null): NDArray | [NDArray, NDArray] {
  const where_ = 'np.average';
  atMost(where_, arguments.length, 2);
  const o = readOptions<AverageOptions>(where_, opts, { axis: 'axis', weights: 'any', keepdims: 'boolean', returned: 'boolean' }, 'axis');
  const a0 = operand(where_, 0, x);
  const a = isInexact(a0.dtype) ? a0 : astype(a0, 'float32');
  const r = { axis: o.axis ?? null, keepdims: o.keepdims };
  let avg: NDArray, total: NDArray | number;
  if (o.weights === undefined) {
    total = checkAxes(where_, o.axis, a.ndim).reduce((p, i) => p * a.shape[i], 1);
    avg = divide(sum(a, r), total);
  } else {
    let w = operand(where_, 1, o.weights, o.weights instanceof NDArray ? undefined : a.dtype); // (JS weights in a's precision)
    if (w.ndim === 1 && a.ndim > 1) {
      const axes = checkAxes(where_, o.axis, a.ndim);
      if (axes.length !== 1 || a.shape[axes[0]] !== w.size) {
        throw new ShapeError(`${where_}: 1-d weights ${describe(w.shape, w.dtype)} need one axis of that length, got x ${describe(a.shape, a.dtype)} and axis ${show(o.axis)}`);
      }
      w = broadcastTo(reshape(w, a.shape.map((d, i) => (i === axes[0] ? d : 1))), a.shape);
    } else if (!lax.sameShape(w.shape, a.shape)) {
      throw new ShapeError(`${where_}: weights ${describe(w.shape, w.dtype)} must have x's shape ${describe(a.shape, a.dtype)} (or be 1-d along one axis)`);
    }
    // a and w in one inexact dtype before summing (jnp's promote_dtypes_inexact): int32 weights
    // [2e9, 2e9] summed in int32 wrapped, so average([1, 3]) was -27.12
    // (from x's own dtype: int32 x with float64 weights went through float32 first, so
    // average(2147483647 - k for k < 1000, weights float64 ones) was 2147483147.776, not .5)
    const dt = promoteFloat([a0.dtype, w.dtype]);
    const aw = astype(a0, dt);
    w = astype(w, dt);
    total = sum(w, r);
    avg = divide(sum(multiply(aw, w), r), total);
  }
  if (!o.returned) return avg;
  return [avg, broadcastTo(astype(typeof total === 'number' ? lax.full([], total, avg.dtype) : total, avg.dtype), avg.shape)];
}

/** numpy.nancumsum / nancumprod: the running sum (product) with NaN entries taken as 0 (1). */
export function nancumsum(x: ArrayInput, opts?: { axis?: number | null; dtype?: DType } | number | null): NDArray {
  const a = operand('np.nancumsum', 0, x);
  return cumsum(isInexact(a.dtype) ? where(isnan(a), 0, a) : a, opts);
}
export function nancumprod(x: ArrayInput, opts?: { axis?: number | null; dtype?: DType } | number | null): NDArray {
  const a = operand('np.nancumprod', 0, x);
  return cumprod(isInexact(a.dtype) ? where(isnan(a), 1, a) : a, opts);
}

/** numpy.nansum / nanmean / nanmax / nanmin: NaN entries left out (all NaN: 0, NaN, NaN, NaN). */
export function nansum(x: ArrayInput, opts?: ReduceOptions | Axis): NDArray {
  const a = operand('np.nansum', 0, x);
  // integers and bools hold no NaN: the plain sum, in its dtype (JAX's _nan_reduction)
  return sum(isInexact(a.dtype) ? where(isnan(a), 0, a) : a, opts);
}
export function nanmean(x: ArrayInput, opts?: NanOptions | Axis): NDArray {
  const m = takeMask('np.nanmean', opts, REDUCE, false);
  opts = m.rest;
  readOptions<ReduceOptions>('np.nanmean', opts, REDUCE, 'axis'); // (axis and keepdims: a dtype was passed on to the sums, half applied)
  const a = leftOut('np.nanmean', floatOperand('np.nanmean', x), m.mask);
  const ok = lax.convertElementType(lax.bitwiseNot(isnan(a)), a.dtype);
  return divide(sum(where(isnan(a), 0, a), opts), sum(ok, opts));
}
/** jnp's (and numpy's) `where` on the nan reductions: the entries it leaves out, as NaN, are left out too. */
export interface NanOptions extends ReduceOptions { where?: ArrayInput }
function leftOut(where_: string, a: NDArray, mask: ArrayInput | undefined): NDArray {
  return mask === undefined ? a : masked(where_, a, mask, NaN);
}

/** numpy.nanprod: NaN entries as 1 (all NaN: 1). */
export function nanprod(x: ArrayInput, opts?: ReduceOptions | Axis): NDArray {
  const a = operand('np.nanprod', 0, x);
  return prod(isInexact(a.dtype) ? where(isnan(a), 1, a) : a, opts);
}
/** numpy.nanvar / nanstd: var / std over the entries that are not NaN; NaN where n - ddof <= 0 (numpy's). */
export function nanvar(x: ArrayInput, opts?: VarOptions | Axis): NDArray { return nanVariance('np.nanvar', x, opts, false); }
export function nanstd(x: ArrayInput, opts?: VarOptions | Axis): NDArray { return nanVariance('np.nanstd', x, opts, true); }
function nanVariance(where_: string, x: ArrayInput, opts: unknown, root: boolean): NDArray {
  const spec: OptionSpec = { axis: 'axis', keepdims: 'boolean', ddof: 'number' };
  const m = takeMask(where_, opts, spec, false);
  const o = readOptions<VarOptions>(where_, m.rest, spec, 'axis');
  const a = leftOut(where_, floatOperand(where_, x), m.mask);
  return composite(() => {
    const nan = isnan(a), real = realOf(a.dtype);
    const ok = astype(lax.bitwiseNot(nan), real);
    const m = divide(sum(where(nan, 0, a), { axis: o.axis, keepdims: true }), sum(ok, { axis: o.axis, keepdims: true }));
    const d = where(nan, 0, subtract(a, m));
    const d2 = isComplex(d.dtype) ? lax.real(multiply(d, lax.conj(d))) : multiply(d, d); // |d|^2
    const dof = subtract(sum(ok, { axis: o.axis, keepdims: o.keepdims }), Number(o.ddof ?? 0));
    // corrected two-pass (np.var's): less |sum d|^2 / count, the mean's rounding error, clamped at 0
    // (float32 nanvar of values near 2^20 was 3% off; zero in exact arithmetic, so derivatives are unchanged)
    const sd = sum(d, { axis: o.axis, keepdims: o.keepdims }), sd2 = isComplex(sd.dtype) ? lax.real(multiply(sd, lax.conj(sd))) : multiply(sd, sd);
    const ss = maximum(subtract(sum(d2, { axis: o.axis, keepdims: o.keepdims }), divide(sd2, sum(ok, { axis: o.axis, keepdims: o.keepdims }))), 0);
    const v = where(lessEqual(dof, 0), NaN, divide(ss, dof));
    return root ? sqrt(v) : v;
  });
}
export function nanmax(x: ArrayInput, opts?: (NanOptions & { initial?: number }) | Axis): NDArray { return nanExtremum('np.nanmax', x, opts, max, -Infinity); }
export function nanmin(x: ArrayInput, opts?: (NanOptions & { initial?: number }) | Axis): NDArray { return nanExtremum('np.nanmin', x, opts, min, Infinity); }

function nanExtremum(where_: string, x: ArrayInput, opts: unknown, f: typeof max, fill: number): NDArray {
  const m = takeMask(where_, opts, REDUCE);
  if (m.mask !== undefined || m.initial !== undefined) {
    // numpy's and jnp's where and initial: max (min) over the entries where keeps that are not NaN, from initial
    if (m.mask !== undefined && m.initial === undefined) {
      throw new ValueError(`${where_}: a where mask needs an initial value (the reduction has no identity; numpy and jnp raise too): ${where_}(x, { where, initial })`);
    }
    const a = operand(where_, 0, x);
    const keep = isInexact(a.dtype) ? lax.bitwiseNot(isnan(a)) : null;
    const mask = m.mask === undefined ? keep : keep === null ? maskOf(where_, a, m.mask) : lax.bitwiseAnd(keep, maskOf(where_, a, m.mask));
    const o = typeof m.rest === 'object' && m.rest !== null && !Array.isArray(m.rest) ? m.rest : { axis: m.rest };
    return f(a, { ...o, initial: m.initial, ...(mask === null ? {} : { where: mask }) });
  }
  const a = nonEmptyOperand(where_, x, opts);
  if (!isInexact(a.dtype)) return f(a, opts as ReduceOptions); // no NaN to skip: the plain max/min, in its dtype
  const nan = isnan(a);
  const allNaN = lax.bitwiseNot(anyOf(lax.bitwiseNot(nan), opts as ReduceOptions));
  return where(allNaN, NaN, f(where(nan, fill, a), opts as ReduceOptions));
}

/** numpy.count_nonzero: int32 counts of nonzero entries over the axes (all by default). */
export function countNonzero(x: ArrayInput, opts?: ReduceOptions | Axis): NDArray {
  const a = operand('np.countNonzero', 0, x);
  return sum(astype(notEqual(a, 0), 'int32'), opts);
}

export interface DiffOptions { n?: number; axis?: number; prepend?: ArrayInput; append?: ArrayInput }

/**
 * numpy.diff(x, { n = 1, axis = -1, prepend, append }): the n-th forward difference along the
 * axis, of x with `prepend` and `append` concatenated before and after it along the axis (a
 * 0-d value broadcast to one slice, as numpy's; the dtypes promote as concatenate's).
 */
export function diff(x: ArrayInput, opts?: DiffOptions): NDArray;
/** numpy's positional form, diff(a, n, axis, prepend, append) (an options object may follow, or stand in any place). */
export function diff(x: ArrayInput, n?: number | null | DiffOptions, axis?: number | null | DiffOptions, prepend?: ArrayInput | null | DiffOptions,
  append?: ArrayInput | null | DiffOptions, opts?: DiffOptions): NDArray;
export function diff(x: ArrayInput, ...rest: unknown[]): NDArray {
  const where_ = 'np.diff';
  atMost(where_, arguments.length, 6);
  const o = readOptionalPositions<DiffOptions>(where_, rest, ['n', 'axis', 'prepend', 'append'], { n: 'number', axis: 'axis', prepend: 'any', append: 'any' });
  let a = operand(where_, 0, x);
  const n = o.n ?? 1;
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`${where_}: n must be a non-negative integer, got ${show(n)}`);
  if (a.ndim === 0) throw new ValueError(`${where_}: needs at least one dimension, got a 0-d array`);
  // one integer axis (numpy's and jnp.diff's int): null was read as -1 and a list as its first axis
  const ax = checkAxes(where_, intAxis(where_, o.axis, -1), a.ndim)[0];
  if (n === 0) return a; // (numpy: the input as it is, prepend and append left out)
  if (o.prepend !== undefined || o.append !== undefined) {
    const side = (v: ArrayInput, name: string) => {
      // a JS value weak beside x (a float32 16777219 made diff(int32 x, { prepend: 16777219 }) float32)
      const b = operand(`${where_}: ${name}`, 0, v, commonDtype(`${where_}: ${name}`, [a, v]));
      return b.ndim === 0 ? broadcastTo(b, a.shape.map((d, i) => (i === ax ? 1 : d))) : b;
    };
    const parts = [...(o.prepend !== undefined ? [side(o.prepend, 'prepend')] : []), a, ...(o.append !== undefined ? [side(o.append, 'append')] : [])];
    a = concatenate(parts, { axis: ax });
  }
  for (let k = 0; k < n && a.shape[ax] > 0; k++) {
    const len = a.shape[ax];
    const start = (s: number) => a.shape.map((_, i) => (i === ax ? s : 0));
    const stop = (e: number) => a.shape.map((d, i) => (i === ax ? e : d));
    a = a.dtype === 'bool' ? notEqual(slice(a, start(1), stop(len)), slice(a, start(0), stop(len - 1)))
      : subtract(slice(a, start(1), stop(len)), slice(a, start(0), stop(len - 1)));
  }
  return a;
}
