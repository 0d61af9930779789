// More of jax.lax, composed from the primitives of lax.ts (and the numpy functions built on them),
// so each is differentiable, jit-able and batchable through them: clamp, pad (negative and interior
// padding), rev, sort (several operands, numKeys), cumsum/cumprod/cummax/cummin/cumlogsumexp (JAX's
// axis 0 and reverse), expandDims, squeeze, integerPow, pow with an integer exponent, select with a
// scalar predicate, slice (JAX's bounds) and bitcastConvertType/nextafter (np_bits.ts); square,
// rsqrt, reciprocal, logistic, broadcast, broadcastedIota, fullLike, sliceInDim, indexInDim,
// reduceProd/And/Or/Xor (trees of the binary primitive) and dot.
import { NDArray } from './array.js';
import * as L from './lax.js';
import { flip, slice as npSlice } from './np_rearrange.js';
import { takeAlongAxis } from './np_indexing.js';
import { cumsum as npCumsum, cumprod as npCumprod, cummax as npCummax, cummin as npCummin } from './np_reductions.js';
import { logaddexp } from './np_elementwise.js';
import { power, sigmoidNamed } from './numpy.js';
import { filled } from './creation.js';
import { show } from './options.js';
import { bind } from './bind.js';
import { customJvp } from './custom.js';
import { AxisError, DTypeError, IndexError, NotImplementedError, ShapeError, ValueError, describe } from '../core/errors.js';
import { DTYPES, DTYPE_CODE, isDType, isComplex, isFloating, isInteger, type DType } from '../core/dtype.js';

const desc = (x: NDArray) => describe(x.shape, x.dtype);

function arrayArg(where: string, what: string, x: unknown): NDArray {
  // (lax takes JS numbers and lists now, lax_public.ts; sort alone does not: a JS list there is a list of operands)
  const hint = where === 'lax.sort' ? 'lax.sort takes an Array or a list of Arrays: wrap JS numbers and lists with np.array' : 'lax takes Arrays, JS numbers, booleans and nested lists';
  if (!(x instanceof NDArray)) throw new ValueError(`${where}: ${what} must be an Array, got ${show(x)} (${hint})`);
  return x;
}

function intArg(where: string, what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new ValueError(`${where}: ${what} must be an integer, got ${show(v)}`);
  return v;
}

function intListArg(where: string, what: string, v: unknown): number[] {
  if (!Array.isArray(v) || v.some((d) => typeof d !== 'number' || !Number.isInteger(d))) {
    throw new ValueError(`${where}: ${what} must be a list of integers, got ${show(v)}`);
  }
  return v as number[];
}

/** An axis in [-ndim, ndim), made non-negative. */
function axisIn(where: string, what: string, a: unknown, ndim: number, shapeText: string): number {
  const ax = intArg(where, what, a);
  if (ax < -ndim || ax >= ndim) throw new AxisError(`${where}: ${what} ${ax} is out of bounds for ${shapeText} (${ndim} axes)`);
  return ax < 0 ? ax + ndim : ax;
}

/** A scalar operand (a 0-d Array of x's dtype, or a JS number / boolean taken in it, as JAX's weakly typed Python scalars) broadcast to `shape`. */
function scalarLike(where: string, what: string, v: unknown, x: NDArray, shape: number[]): NDArray {
  if (v instanceof NDArray) {
    if (v.dtype !== x.dtype) throw new DTypeError(`${where}: ${what} ${desc(v)} must have the operand's dtype ${x.dtype} (lax does not promote; convert with lax.convertElementType)`);
    if (v.ndim !== 0) throw new ShapeError(`${where}: ${what} must be a scalar (0-d), got ${desc(v)}`);
    return L.broadcastInDim(v, shape, []);
  }
  if (typeof v === 'boolean' && x.dtype === 'bool') return L.full(shape, Number(v), 'bool');
  if (typeof v !== 'number') throw new ValueError(`${where}: ${what} must be a 0-d Array of dtype ${x.dtype} or a JS number, got ${show(v)}`);
  if (isInteger(x.dtype) || x.dtype === 'bool') {
    if (!Number.isInteger(v)) throw new DTypeError(`${where}: ${what} ${v} is not a value of the operand's dtype ${x.dtype}`);
  }
  if (x.dtype === 'int32' && (v < -(2 ** 31) || v >= 2 ** 31)) throw new ValueError(`${where}: ${what} ${v} is out of range for int32`);
  if (x.dtype === 'uint32' && (v < 0 || v >= 2 ** 32)) throw new ValueError(`${where}: ${what} ${v} is out of range for uint32`);
  return isComplex(x.dtype) ? filled(where, shape, v, x.dtype) : L.full(shape, v, x.dtype);
}

// ---------------------------------------------------------------- clamp

/**
 * jax.lax.clamp(min, x, max): min(max(x, min), max) elementwise, min and max scalars (0-d, or JS
 * numbers) or of x's shape. Derivatives are JAX's: x's where min < x < max, min's where x < min <
 * max, max's where max < x; at a tie none gets one.
 */
export function clamp(min: NDArray | number, x: NDArray, max: NDArray | number): NDArray {
  const where = 'lax.clamp';
  const a = arrayArg(where, 'x (argument 1; JAX\'s order is clamp(min, x, max))', x);
  if (isComplex(a.dtype)) throw new DTypeError(`${where}: complex operands have no order, got x ${desc(a)}`);
  for (const [what, v] of [['min', min], ['max', max]] as const) {
    if (v instanceof NDArray && v.ndim !== 0 && !L.sameShape(v.shape, a.shape)) {
      throw new ShapeError(`${where}: ${what} must be a scalar or have x's shape, got ${what} ${desc(v)} for x ${desc(a)} (JAX's rule)`);
    }
  }
  const side = (what: string, v: unknown) => (v instanceof NDArray && v.ndim !== 0
    ? (v.dtype === a.dtype ? v : (() => { throw new DTypeError(`${where}: ${what} ${desc(v)} must have x's dtype ${a.dtype}`); })())
    : scalarLike(where, what, v, a, a.shape));
  const lo = side('min', min), hi = side('max', max);
  if (a.dtype === 'bool') {
    const i = (b: NDArray) => L.convertElementType(b, 'int32');
    return L.convertElementType(clamp(i(lo), i(a), i(hi)), 'bool');
  }
  const and = L.bitwiseAnd;
  const inside = and(L.gt(a, lo), L.lt(a, hi));
  const loWins = and(L.gt(lo, a), L.lt(lo, hi));
  const hiWins = L.lt(hi, a);
  const value = L.stopGradient(L.min(L.max(a, lo), hi)); // (ties, NaNs: the value, with no derivative, as JAX's)
  return L.select(inside, a, L.select(hiWins, hi, L.select(loWins, lo, value)));
}

// ---------------------------------------------------------------- pad

/**
 * jax.lax.pad(x, paddingValue, paddingConfig): one [lo, hi, interior] per axis; interior >= 0
 * values go between neighbours, then lo and hi at the ends, a negative lo or hi cropping instead.
 * paddingValue is a 0-d Array of x's dtype (or a JS number); its derivative is the sum over the
 * positions it fills.
 */
export function pad(x: NDArray, paddingValue: NDArray | number, paddingConfig: [number, number, number][]): NDArray {
  const where = 'lax.pad';
  let a = arrayArg(where, 'x', x);
  if (!Array.isArray(paddingConfig) || paddingConfig.length !== a.ndim
    || paddingConfig.some((c) => !Array.isArray(c) || c.length !== 3 || c.some((v) => typeof v !== 'number' || !Number.isInteger(v)))) {
    throw new ValueError(`${where}: paddingConfig must be a list of one [lo, hi, interior] integer triple per axis of ${desc(a)} (${a.ndim}), got ${show(paddingConfig)}`);
  }
  if (paddingConfig.some((c) => c[2] < 0)) throw new ValueError(`${where}: interior padding must be non-negative, got paddingConfig ${JSON.stringify(paddingConfig)}`);
  const out = a.shape.map((n, d) => { const [lo, hi, k] = paddingConfig[d]; return lo + hi + (n === 0 ? 0 : n + (n - 1) * k); });
  if (out.some((n) => n < 0)) {
    throw new ValueError(`${where}: dimension size after padding is not at least 0, got result shape [${out}] for paddingConfig ${JSON.stringify(paddingConfig)} and x ${desc(a)}`);
  }
  if (paddingValue instanceof NDArray && (paddingValue.ndim !== 0 || paddingValue.dtype !== a.dtype)) {
    throw new DTypeError(`${where}: paddingValue must be a scalar (0-d) of x's dtype, got ${desc(paddingValue)} for x ${desc(a)}`);
  }
  const fill = (shape: number[]) => scalarLike(where, 'paddingValue', paddingValue, a, shape);
  fill([]); // (checks a JS value even when nothing is padded)
  const long = out.find((n) => n > 2 ** 31 - 1);
  if (long !== undefined) throw new ShapeError(`${where}: result shape [${out}] has an axis of ${long} (paddingConfig ${JSON.stringify(paddingConfig)}); axes are at most 2^31 - 1 long`);
  // Nothing of x reaches an empty result, and an empty x leaves only padding: the fill itself
  // (the steps below built intermediates such as [n * (k + 1), 0] past 2^31 - 1 on the way).
  if (a.size === 0 || out.includes(0)) return fill(out);
  paddingConfig.forEach(([lo, hi, k], d) => {
    const with_ = (w: number) => a.shape.map((s, i) => (i === d ? w : s));
    const n = a.shape[d];
    if (k > 0 && n > 1) { // [a p b p c]: the first n - 1 elements each followed by k fills, then the last
      const head = L.split(a, [n - 1, 1], d);
      const col = [...with_(n - 1).slice(0, d + 1), 1, ...a.shape.slice(d + 1)];
      const pads = [...with_(n - 1).slice(0, d + 1), k, ...a.shape.slice(d + 1)];
      const woven = L.reshape(L.concatenate([L.reshape(head[0], col), fill(pads)], d + 1), with_((n - 1) * (k + 1)));
      a = L.concatenate([woven, head[1]], d);
    }
    // The window [cutL, total - cutR) of (lo fills, a, hi fills), taken part by part, so that no
    // intermediate is longer than the result (pad then crop made [3 + 2^31] for lo = -2^31, hi = 2^31).
    const m = a.shape[d], left = Math.max(lo, 0), right = Math.max(hi, 0);
    const ws = Math.max(-lo, 0), we = left + m + right - Math.max(-hi, 0);
    const nl = Math.max(0, Math.min(we, left) - ws);
    const s0 = Math.max(ws, left) - left, e0 = Math.min(we, left + m) - left;
    const nr = Math.max(0, we - Math.max(ws, left + m));
    if (s0 > 0 || e0 < m) a = e0 > s0 ? L.split(a, [s0, e0 - s0, m - e0], d)[1] : L.split(a, [0, m], d)[0];
    if (nl > 0 || nr > 0) a = L.concatenate([fill(with_(nl)), a, fill(with_(nr))].filter((p) => p.shape[d] > 0), d);
  });
  return a;
}

// ---------------------------------------------------------------- rev, expandDims, squeeze

/** jax.lax.rev(x, dimensions): x reversed along each of `dimensions` (unique, 0 <= d < ndim). */
export function rev(x: NDArray, dimensions: number[]): NDArray {
  const where = 'lax.rev';
  const a = arrayArg(where, 'x', x);
  const dims = intListArg(where, 'dimensions', dimensions);
  if (new Set(dims).size !== dims.length) throw new ValueError(`${where}: dimensions must be unique, got [${dims}]`);
  if (dims.some((d) => d < 0 || d >= a.ndim)) throw new AxisError(`${where}: dimensions must be axes 0 <= d < ${a.ndim} of ${desc(a)}, got [${dims}]`);
  if (dims.length === 0 || a.size === 0) return a;
  return flip(a, dims);
}

/** jax.lax.expand_dims(x, dimensions): size-1 axes inserted at `dimensions` (axes of the result; negative from its end). */
export function expandDims(x: NDArray, dimensions: number[]): NDArray {
  const where = 'lax.expandDims';
  const a = arrayArg(where, 'x', x);
  const dims = intListArg(where, 'dimensions', dimensions);
  const nd = a.ndim + dims.length;
  const norm = dims.map((d) => axisIn(where, 'dimension', d, nd, `a result of ${nd} axes`));
  if (new Set(norm).size !== norm.length) throw new ValueError(`${where}: repeated axis in dimensions [${dims}] (result axes [${norm}])`);
  const shape = [...a.shape];
  for (const d of [...norm].sort((p, q) => p - q)) shape.splice(d, 0, 1);
  return L.broadcastInDim(a, shape, [...Array(nd).keys()].filter((i) => !norm.includes(i)));
}

/** jax.lax.squeeze(x, dimensions): the size-1 axes `dimensions` removed (a non-1 axis is a ShapeError). */
export function squeeze(x: NDArray, dimensions: number[]): NDArray {
  const where = 'lax.squeeze';
  const a = arrayArg(where, 'x', x);
  const dims = intListArg(where, 'dimensions', dimensions).map((d) => axisIn(where, 'dimension', d, a.ndim, desc(a)));
  if (new Set(dims).size !== dims.length) throw new ValueError(`${where}: dimensions are not unique: [${dimensions}]`);
  const bad = dims.filter((d) => a.shape[d] !== 1);
  if (bad.length > 0) {
    throw new ShapeError(`${where}: cannot squeeze out an axis whose size is not 1: axis ${bad[0]} of ${desc(a)} has size ${a.shape[bad[0]]} (dimensions [${dimensions}])`);
  }
  return L.reshape(a, a.shape.filter((_, i) => !dims.includes(i)));
}

// ---------------------------------------------------------------- sort

export interface SortOptions { dimension?: number; isStable?: boolean; numKeys?: number }

/**
 * jax.lax.sort(operand | operands, { dimension = -1, isStable = true, numKeys = 1 }): sorts along
 * `dimension`; given a list, every operand is permuted by the lexicographic order of the first
 * numKeys, and a list of the same length is returned. NaNs go last, -0 and 0 tie (JAX's total
 * order); the sort is always stable. Values are differentiable through the permutation.
 */
export function sort(operand: NDArray, opts?: SortOptions | number): NDArray;
export function sort(operand: NDArray[], opts?: SortOptions | number): NDArray[];
export function sort(operand: NDArray | NDArray[], opts?: SortOptions | number): NDArray | NDArray[];
export function sort(operand: NDArray | NDArray[], opts: SortOptions | number = {}): NDArray | NDArray[] {
  const where = 'lax.sort';
  const list = Array.isArray(operand);
  const ops = (list ? operand : [operand]) as unknown[];
  if (ops.length === 0) throw new ValueError(`${where}: needs at least one operand`);
  const xs = ops.map((o, i) => arrayArg(where, list ? `operand ${i}` : 'operand', o));
  const o: SortOptions = typeof opts === 'number' ? { dimension: opts } : opts;
  if (o === null || typeof o !== 'object') throw new ValueError(`${where}: options must be { dimension, isStable, numKeys } or a dimension, got ${show(opts)}`);
  for (const k of Object.keys(o)) if (!['dimension', 'isStable', 'numKeys'].includes(k)) throw new ValueError(`${where}: unknown option '${k}' (dimension, isStable, numKeys)`);
  const shape = xs[0].shape;
  xs.forEach((x, i) => { if (!L.sameShape(x.shape, shape)) throw new ShapeError(`${where}: operands must share one shape, got ${desc(xs[0])} and operand ${i} ${desc(x)}`); });
  if (o.isStable !== undefined && typeof o.isStable !== 'boolean') throw new ValueError(`${where}: isStable must be true or false, got ${show(o.isStable)}`);
  const numKeys = o.numKeys === undefined ? 1 : intArg(where, 'numKeys', o.numKeys);
  if (numKeys < 1 || numKeys > xs.length) throw new ValueError(`${where}: numKeys must be from 1 to the number of operands (${xs.length}), got ${numKeys}`);
  if (xs[0].ndim === 0) throw new ShapeError(`${where}: cannot sort a 0-d operand ${desc(xs[0])} (it needs an axis)`);
  const dim = axisIn(where, 'dimension', o.dimension ?? -1, xs[0].ndim, desc(xs[0]));
  if (shape[dim] <= 1) return list ? xs : xs[0];
  // the keys, most significant first; complex as (real, imaginary), bool as int32
  const keys = xs.slice(0, numKeys).flatMap((k) => (isComplex(k.dtype) ? [L.real(k), L.imag(k)]
    : k.dtype === 'bool' ? [L.convertElementType(k, 'int32')] : [k])).map((k) => L.stopGradient(k));
  let perm = L.argsort(keys[keys.length - 1], dim);
  for (let i = keys.length - 2; i >= 0; i--) perm = takeAlongAxis(perm, L.argsort(takeAlongAxis(keys[i], perm, dim, { mode: 'clip' }), dim), dim, { mode: 'clip' });
  const out = xs.map((x) => (x.dtype === 'bool'
    ? L.convertElementType(takeAlongAxis(L.convertElementType(x, 'int32'), perm, dim, { mode: 'clip' }), 'bool')
    : takeAlongAxis(x, perm, dim, { mode: 'clip' })));
  return list ? out : out[0];
}

// ---------------------------------------------------------------- cumulative reductions

export interface CumulativeOptions { axis?: number; reverse?: boolean }

function cumulative(name: string, kind: 'sum' | 'prod' | 'max' | 'min' | 'logsumexp') {
  const where = `lax.${name}`;
  return (x: NDArray, opts: CumulativeOptions | number = {}, reverseArg?: boolean): NDArray => {
    const a = arrayArg(where, 'x', x);
    const o: CumulativeOptions = typeof opts === 'number' ? { axis: opts, reverse: reverseArg } : opts;
    if (o === null || typeof o !== 'object') throw new ValueError(`${where}: options must be { axis, reverse } or an axis, got ${show(opts)}`);
    if (typeof opts === 'object' && reverseArg !== undefined) throw new ValueError(`${where}: reverse given after an options object; put it in the object`);
    for (const k of Object.keys(o)) if (!['axis', 'reverse'].includes(k)) throw new ValueError(`${where}: unknown option '${k}' (axis, reverse)`);
    const reverse = o.reverse ?? false;
    if (typeof reverse !== 'boolean') throw new ValueError(`${where}: reverse must be true or false, got ${show(reverse)}`);
    if (a.ndim === 0) throw new ShapeError(`${where}: needs an axis, got a 0-d ${desc(a)}`);
    const axis = axisIn(where, 'axis', o.axis ?? 0, a.ndim, desc(a));
    const ok = kind === 'logsumexp' ? isFloating(a.dtype)
      : kind === 'max' || kind === 'min' ? isFloating(a.dtype) || isInteger(a.dtype)
        : a.dtype !== 'bool';
    if (!ok) throw new DTypeError(`${where}: not defined for ${desc(a)} (${kind === 'logsumexp' ? 'float32 or float64' : kind === 'max' || kind === 'min' ? 'a real dtype' : 'a numeric dtype'})`);
    if (a.size === 0) return a;
    const r0 = reverse ? flip(a, [axis]) : a;
    let r: NDArray;
    if (kind === 'sum') r = npCumsum(r0, { axis });
    else if (kind === 'prod') r = npCumprod(r0, { axis });
    else if (kind === 'max') r = npCummax(r0, { axis });
    else if (kind === 'min') r = npCummin(r0, { axis });
    else r = cumlogsumexpAlong(r0, axis);
    if (r.dtype !== a.dtype) r = L.convertElementType(r, a.dtype);
    return reverse ? flip(r, [axis]) : r;
  };
}

/**
 * Running logsumexp along `axis`: log2(n) steps of logaddexp with the array shifted by 1, 2, 4, ...
 * (Hillis-Steele), each on the elements past the first s only, which stay as they are (np's
 * scanLast). (They were combined with a -inf fill, and logaddexp(-inf, -inf)'s derivative is half
 * to each side: d y_0 / d x_0 at x_0 = -inf was 2^-ceil(log2 n), 0.25 for n = 4, not 1 (y_0 = x_0;
 * JAX's associative scan never combines the first element).)
 */
function cumlogsumexpAlong(a: NDArray, axis: number): NDArray {
  const n = a.shape[axis];
  let y = a;
  for (let s = 1; s < n; s *= 2) {
    const [first, rest] = L.split(y, [s, n - s], axis);
    const [earlier] = L.split(y, [n - s, s], axis);
    y = L.concatenate([first, logaddexp(rest, earlier)], axis);
  }
  return y;
}

export const cumsum = cumulative('cumsum', 'sum');
export const cumprod = cumulative('cumprod', 'prod');
export const cummax = cumulative('cummax', 'max');
export const cummin = cumulative('cummin', 'min');
export const cumlogsumexp = cumulative('cumlogsumexp', 'logsumexp');

// ---------------------------------------------------------------- powers, select

/**
 * jax.lax.integer_pow(x, y): x^y for a JS integer y by repeated multiplication (JAX's), 1 / x^|y|
 * for a negative y (floats and complex only; integers cannot take a negative power). Derivative
 * y x^(y-1).
 */
export function integerPow(x: NDArray, y: number): NDArray {
  const where = 'lax.integerPow';
  const a = arrayArg(where, 'x', x);
  const n = intArg(where, 'y', y);
  if (Math.abs(n) >= 2 ** 31) throw new ValueError(`${where}: y must be a 32-bit integer, got ${n}`);
  if (a.dtype === 'bool') throw new DTypeError(`${where}: not defined for ${desc(a)} (a numeric dtype)`);
  if (n < 0 && !isFloating(a.dtype) && !isComplex(a.dtype)) throw new ValueError(`${where}: integers cannot be raised to negative powers, got ${desc(a)} and y = ${n} (JAX's TypeError)`);
  return power(a, n);
}

/**
 * jax.lax.pow(x, y): x float or complex; y of x's dtype, or an integer Array (int32, uint32) of
 * x's shape, converted to x's dtype as JAX's lowering does (its derivative in x is y x^(y-1), 0
 * where y = 0; none in y).
 */
export function pow(x: NDArray, y: NDArray): NDArray {
  if (x instanceof NDArray && y instanceof NDArray && (isFloating(x.dtype) || isComplex(x.dtype)) && isInteger(y.dtype)) {
    if (!L.sameShape(x.shape, y.shape)) throw new ShapeError(`lax.pow: operands must have one shape, got ${desc(x)} and ${desc(y)}`);
    return L.pow(x, L.convertElementType(y, x.dtype));
  }
  if (x instanceof NDArray && y instanceof NDArray && x.dtype !== y.dtype) {
    throw new DTypeError(`lax.pow: x must be float or complex and y of x's dtype or an integer dtype, got ${desc(x)} and ${desc(y)} (JAX's rule)`);
  }
  return L.pow(x, y);
}

/** jax.lax.select(pred, onTrue, onFalse): pred bool, of the cases' shape or a scalar (0-d, broadcast), as JAX's. */
export function select(pred: NDArray, onTrue: NDArray, onFalse: NDArray): NDArray {
  if (pred instanceof NDArray && onTrue instanceof NDArray && pred.ndim === 0 && onTrue.ndim > 0) {
    if (pred.dtype !== 'bool') throw new DTypeError(`lax.select: pred must be bool, got ${desc(pred)}`);
    return L.select(L.broadcastInDim(pred, onTrue.shape, []), onTrue, onFalse);
  }
  return L.select(pred, onTrue, onFalse);
}

// ---------------------------------------------------------------- slice

/**
 * jax.lax.slice(x, startIndices, limitIndices, strides?): JAX's bounds, 0 <= start <= limit <=
 * shape per axis and strides >= 1 (numpy's clipping of out-of-range limits and negative steps are
 * np.slice's and x.get's).
 */
export function slice(x: NDArray, startIndices: number[], limitIndices: number[], strides?: number[] | null): NDArray {
  const where = 'lax.slice';
  const a = arrayArg(where, 'x', x);
  const start = intListArg(where, 'startIndices', startIndices), limit = intListArg(where, 'limitIndices', limitIndices);
  const step = strides === undefined || strides === null ? a.shape.map(() => 1) : intListArg(where, 'strides', strides);
  if (start.length !== a.ndim || limit.length !== a.ndim || step.length !== a.ndim) {
    throw new ShapeError(`${where}: startIndices [${start}], limitIndices [${limit}]${strides ? ` and strides [${step}]` : ''} need one entry per axis of ${desc(a)} (${a.ndim})`);
  }
  for (let d = 0; d < a.ndim; d++) {
    if (!(start[d] >= 0 && start[d] <= limit[d] && limit[d] <= a.shape[d])) {
      throw new ValueError(`${where}: need 0 <= start <= limit <= shape on every axis, got startIndices [${start}], limitIndices [${limit}] for x ${desc(a)} (axis ${d}; JAX's TypeError; np.slice clips as numpy)`);
    }
    if (step[d] < 1) throw new ValueError(`${where}: strides must be positive, got [${step}] for x ${desc(a)} (a negative step is np.slice's / x.get's)`);
  }
  return npSlice(a, start, limit, step);
}

/** jax.lax.full's fill converted as lax.convertElementType converts: floats to integers truncate and saturate, NaN to 0; to bool, nonzero (NaN too) is true. */
export function fillValueIn(value: number, dtype: DType): number {
  if (dtype === 'int32' || dtype === 'uint32') {
    if (Number.isNaN(value)) return 0;
    const [lo, hi] = dtype === 'int32' ? [-(2 ** 31), 2 ** 31 - 1] : [0, 2 ** 32 - 1];
    return Math.min(Math.max(Math.trunc(value), lo), hi);
  }
  if (dtype === 'bool') return value !== 0 ? 1 : 0;
  return value;
}

// ---------------------------------------------------------------- bits

/**
 * jax.lax.bitcast_convert_type(x, newDtype): x's bits read as newDtype. float32, int32 and uint32
 * are one width (same shape); a float64 is two 32-bit words, low word first (JAX's rule for a
 * narrower type, and its order on CPU): float64[...] -> int32/uint32[..., 2], and a trailing axis
 * of 2 back to float64. bool and complex are refused (JAX's TypeError), and so are the float32
 * <-> float64 pairs (go through uint32). No derivative (JAX's defjvp_zero: an integer result has
 * none, a float result comes from integer bits); x to its own dtype is x.
 */
export function bitcastConvertType(x: NDArray, newDtype: DType): NDArray {
  const where = 'lax.bitcastConvertType';
  const a = arrayArg(where, 'x', x);
  if (!isDType(newDtype)) throw new DTypeError(`${where}: newDtype must be one of ${DTYPES.join(', ')}, got ${show(newDtype)}`);
  if (a.dtype === newDtype) return a;
  const ok = (d: DType) => d === 'float32' || d === 'float64' || d === 'int32' || d === 'uint32';
  if (!ok(a.dtype) || !ok(newDtype)) {
    throw new DTypeError(`${where}: bool and complex values cannot be bitcast (JAX's TypeError), got ${desc(a)} to ${newDtype}; ` +
      'float32, float64, int32 and uint32 can');
  }
  if (isFloating(a.dtype) && isFloating(newDtype)) {
    throw new DTypeError(`${where}: ${a.dtype} to ${newDtype} is not supported here (it would have a silently zero derivative); ` +
      `go through uint32: bitcastConvertType(bitcastConvertType(x, 'uint32'), '${newDtype}')`);
  }
  if (newDtype === 'float64' && (a.ndim === 0 || a.shape[a.ndim - 1] !== 2)) {
    throw new ShapeError(`${where}: ${a.dtype} to float64 needs a trailing axis of 2 words (low word first), got ${desc(a)}`);
  }
  return bind('bitcast_convert_type', [a], [DTYPE_CODE[newDtype]], () => `${where}: cannot bitcast ${desc(a)} to ${newDtype}`);
}

/** float32 bits as int32 (the sign bit makes a negative value's bits a negative int32: +1 still grows the magnitude). */
const bits32 = (x: NDArray) => bitcastConvertType(x, 'int32');

/** The float64 words of x: [low, high], each uint32 of x's shape. */
export function words64(x: NDArray): [NDArray, NDArray] {
  const w = bitcastConvertType(x, 'uint32'), nd = x.ndim;
  const [lo, hi] = L.split(w, [1, 1], nd);
  return [L.reshape(lo, x.shape), L.reshape(hi, x.shape)];
}

/** A float64 from its words (uint32 of one shape). */
export function fromWords64(lo: NDArray, hi: NDArray): NDArray {
  const col = [...lo.shape, 1];
  return bitcastConvertType(L.concatenate([L.reshape(lo, col), L.reshape(hi, col)], lo.ndim), 'float64');
}

/** nextafter's value, built on the bits (no derivative of its own: see nextafter). */
function nextafterValue(x: NDArray, y: NDArray): NDArray {
  const shape = x.shape, f = (v: number) => L.full(shape, v, x.dtype);
  const nan = L.bitwiseOr(L.ne(x, x), L.ne(y, y));
  const same = L.eq(x, y);
  const zero = L.eq(x, f(0));
  const yNeg = L.lt(y, f(0));
  // away from zero (the magnitude grows) where x > 0 and y > x, or x < 0 and y < x
  const away = L.eq(L.gt(x, f(0)), L.gt(y, x));
  if (x.dtype === 'float32') {
    const i = (v: number) => L.full(shape, v, 'int32');
    const bx = bits32(x), by = bits32(y);
    const step = L.add(bx, L.select(away, i(1), i(-1)));
    const tiny = L.select(yNeg, i(-2147483647), i(1)); // +-2^-149: 0x80000001 or 0x00000001
    const bits = L.select(nan, i(0x7fc00000), L.select(same, by, L.select(zero, tiny, step)));
    return bitcastConvertType(bits, 'float32');
  }
  const u = (v: number) => L.full(shape, v, 'uint32');
  const [xl, xh] = words64(x), [yl, yh] = words64(y);
  // the 64-bit magnitude plus or minus one: the carry (borrow) reaches the high word when the low word wraps
  const upL = L.add(xl, u(1)), upH = L.add(xh, L.convertElementType(L.eq(upL, u(0)), 'uint32'));
  const dnL = L.sub(xl, u(1)), dnH = L.sub(xh, L.convertElementType(L.eq(xl, u(0)), 'uint32'));
  const pick = (nanV: NDArray, tinyV: NDArray, upV: NDArray, dnV: NDArray, yV: NDArray) =>
    L.select(nan, nanV, L.select(same, yV, L.select(zero, tinyV, L.select(away, upV, dnV))));
  const lo = pick(u(0), u(1), upL, dnL, yl);
  const hi = pick(u(0x7ff80000), L.select(yNeg, u(0x80000000), u(0)), upH, dnH, yh);
  return fromWords64(lo, hi);
}

let nextafterRule: ((x: NDArray, y: NDArray) => NDArray) | null = null;

/**
 * jax.lax.nextafter(x1, x2): the next float after x1 towards x2 (x1 and x2 of one float dtype and
 * shape). x2 where they are equal (nextafter(0, -0) is -0), NaN where either is NaN, +-2^-149
 * (float32) or +-2^-1074 (float64) from a zero. JAX defines no derivative: differentiating it is
 * a NotImplementedError, as JAX's.
 */
export function nextafter(x1: NDArray, x2: NDArray): NDArray {
  const where = 'lax.nextafter';
  const a = arrayArg(where, 'x1', x1), b = arrayArg(where, 'x2', x2);
  if (!isFloating(a.dtype) || a.dtype !== b.dtype || !L.sameShape(a.shape, b.shape)) {
    throw new DTypeError(`${where}: x1 and x2 must be float32 or float64 Arrays of one dtype and shape, got ${desc(a)} and ${desc(b)}`);
  }
  if (nextafterRule === null) {
    nextafterRule = customJvp((p: NDArray, q: NDArray) => nextafterValue(p, q), () => {
      throw new NotImplementedError(`${where}: not differentiable (JAX defines no derivative for nextafter)`);
    }) as unknown as (x: NDArray, y: NDArray) => NDArray;
  }
  return nextafterRule(a, b);
}

// ---------------------------------------------------------------- elementwise: square, rsqrt, reciprocal, logistic

/** An Array of a floating or complex dtype (JAX's rule for rsqrt, reciprocal and logistic). */
function inexactArg(where: string, x: unknown): NDArray {
  const a = arrayArg(where, 'x', x);
  if (!isFloating(a.dtype) && !isComplex(a.dtype)) throw new DTypeError(`${where}: x must be floating or complex, got ${desc(a)} (convert with lax.convertElementType)`);
  return a;
}

/** jax.lax.square(x): x * x, in x's dtype (integers too; not bool). */
export function square(x: NDArray): NDArray {
  const a = arrayArg('lax.square', 'x', x);
  if (a.dtype === 'bool') throw new DTypeError(`lax.square: x must be numeric, got ${desc(a)}`);
  return L.mul(a, a);
}

/** jax.lax.rsqrt(x): 1 / sqrt(x) (inf at 0, NaN below), floating or complex x. */
export function rsqrt(x: NDArray): NDArray {
  const a = inexactArg('lax.rsqrt', x);
  return L.div(filled('lax.rsqrt', a.shape, 1, a.dtype), L.sqrt(a));
}

/** jax.lax.reciprocal(x): 1 / x, floating or complex x (JAX's integer_pow(x, -1), which refuses integers). */
export function reciprocal(x: NDArray): NDArray {
  const a = inexactArg('lax.reciprocal', x);
  return L.div(filled('lax.reciprocal', a.shape, 1, a.dtype), a);
}

/** jax.lax.logistic(x): 1 / (1 + exp(-x)), np.sigmoid's stable form, floating or complex x. */
export function logistic(x: NDArray): NDArray {
  return sigmoidNamed('lax.logistic', inexactArg('lax.logistic', x));
}

// ---------------------------------------------------------------- shapes: broadcast, broadcastedIota, fullLike, sliceInDim, indexInDim

/** jax.lax.broadcast(x, sizes): x broadcast to [...sizes, ...x.shape] (new leading axes). */
export function broadcast(x: NDArray, sizes: number[]): NDArray {
  const where = 'lax.broadcast';
  const a = arrayArg(where, 'x', x);
  const s = intListArg(where, 'sizes', sizes);
  if (s.some((d) => d < 0)) throw new ValueError(`${where}: sizes must be non-negative, got [${s}]`);
  return L.broadcastInDim(a, [...s, ...a.shape], a.shape.map((_, i) => i + s.length));
}

/** jax.lax.broadcasted_iota(dtype, shape, dimension): 0, 1, ... along `dimension`, constant along the others. */
export function broadcastedIota(dtype: DType, shape: number[], dimension: number): NDArray {
  const where = 'lax.broadcastedIota';
  if (!isDType(dtype)) throw new DTypeError(`${where}: dtype must be one of ${DTYPES.join(', ')}, got ${show(dtype)}`);
  const s = intListArg(where, 'shape', shape);
  if (s.some((d) => d < 0)) throw new ValueError(`${where}: shape must be non-negative, got [${s}]`);
  const d = axisIn(where, 'dimension', dimension, s.length, `shape [${s}]`);
  return L.broadcastInDim(L.iota(dtype, s[d]), s, [d]);
}

/** jax.lax.full_like(x, fillValue, dtype = x's, shape = x's): an Array of fillValue (converted as lax.full converts). */
export function fullLike(x: NDArray, fillValue: number | boolean, dtype?: DType | null, shape?: number[] | null): NDArray {
  const where = 'lax.fullLike';
  const a = arrayArg(where, 'x', x);
  if (typeof fillValue !== 'number' && typeof fillValue !== 'boolean') throw new ValueError(`${where}: fillValue must be a JS number or boolean, got ${show(fillValue)}`);
  if (dtype !== undefined && dtype !== null && !isDType(dtype)) throw new DTypeError(`${where}: dtype must be one of ${DTYPES.join(', ')}, got ${show(dtype)}`);
  const d = dtype ?? a.dtype;
  const s = shape === undefined || shape === null ? a.shape : intListArg(where, 'shape', shape);
  if (s.some((n) => n < 0)) throw new ValueError(`${where}: shape must be non-negative, got [${s}]`);
  return filled(where, s, fillValueIn(Number(fillValue), d), d);
}

/** jax.lax.slice_in_dim(x, start, limit, stride = 1, axis = 0): lax.slice along one axis (null: its ends; negative: from the end). */
export function sliceInDim(x: NDArray, startIndex: number | null, limitIndex: number | null, stride: number = 1, axis: number = 0): NDArray {
  const where = 'lax.sliceInDim';
  const a = arrayArg(where, 'x', x);
  const ax = axisIn(where, 'axis', axis, a.ndim, desc(a));
  const len = a.shape[ax];
  let lo = startIndex === null || startIndex === undefined ? 0 : intArg(where, 'startIndex', startIndex);
  let hi = limitIndex === null || limitIndex === undefined ? len : intArg(where, 'limitIndex', limitIndex);
  if (lo < 0) lo += len;
  if (hi < 0) hi += len;
  const st = intArg(where, 'stride', stride);
  const start = a.shape.map(() => 0), limit = a.shape.slice(), strides = a.shape.map(() => 1);
  start[ax] = lo; limit[ax] = hi; strides[ax] = st;
  return slice(a, start, limit, strides);
}

/** jax.lax.index_in_dim(x, index, axis = 0, keepdims = true): entry `index` (negative: from the end) of `axis`. */
export function indexInDim(x: NDArray, index: number, axis: number = 0, keepdims: boolean = true): NDArray {
  const where = 'lax.indexInDim';
  const a = arrayArg(where, 'x', x);
  const ax = axisIn(where, 'axis', axis, a.ndim, desc(a));
  const i = intArg(where, 'index', index);
  const len = a.shape[ax], at = i < 0 ? i + len : i;
  if (at < 0 || at >= len) throw new IndexError(`${where}: index ${i} is out of bounds for axis ${ax} with size ${len} (x ${desc(a)})`);
  if (typeof keepdims !== 'boolean') throw new ValueError(`${where}: keepdims must be a boolean, got ${show(keepdims)}`);
  const r = sliceInDim(a, at, at + 1, 1, ax);
  return keepdims ? r : L.reshape(r, a.shape.filter((_, d) => d !== ax));
}

// ---------------------------------------------------------------- reductions: reduceProd, reduceAnd, reduceOr, reduceXor

/** x folded over one axis by a tree of `op` (log2(n) steps of halves; an odd length padded with the identity). */
function foldAxis(where: string, y: NDArray, d: number, op: (p: NDArray, q: NDArray) => NDArray, identity: number): NDArray {
  const outShape = y.shape.filter((_, i) => i !== d);
  let n = y.shape[d];
  if (n === 0) return filled(where, outShape, identity, y.dtype);
  const part = (lo: number, hi: number) => {
    const start = y.shape.map(() => 0), limit = y.shape.slice();
    start[d] = lo; limit[d] = hi;
    return npSlice(y, start, limit);
  };
  while (n > 1) {
    if (n % 2 === 1) {
      const pad = y.shape.slice(); pad[d] = 1;
      y = L.concatenate([y, filled(where, pad, identity, y.dtype)], d);
      n += 1;
    }
    y = op(part(0, n / 2), part(n / 2, n));
    n /= 2;
  }
  return L.reshape(y, outShape);
}

function reduction(name: string, op: (p: NDArray, q: NDArray) => NDArray, identity: (d: DType) => number, dtypeOk: (d: DType) => boolean, kinds: string) {
  const where = `lax.${name}`;
  return (x: NDArray, axes: number[]): NDArray => {
    const a = arrayArg(where, 'x', x);
    if (!dtypeOk(a.dtype)) throw new DTypeError(`${where}: x must be ${kinds}, got ${desc(a)}`);
    const ax = intListArg(where, 'axes', axes).map((v) => axisIn(where, 'axis', v, a.ndim, desc(a)));
    if (new Set(ax).size !== ax.length) throw new ValueError(`${where}: axes [${axes}] repeat an axis of ${desc(a)}`);
    // (highest axis first, so the lower ones keep their numbers)
    return [...ax].sort((p, q) => q - p).reduce((y, d) => foldAxis(where, y, d, op, identity(a.dtype)), a);
  };
}
const allOnes = (d: DType) => (d === 'int32' ? -1 : d === 'uint32' ? 2 ** 32 - 1 : 1);
const bitsOrBool = (d: DType) => d === 'bool' || isInteger(d);

/** jax.lax.reduce_prod(x, axes): the product over `axes` (a tree of multiplies, so its gradient is right with zeros); numeric x. */
export const reduceProd = reduction('reduceProd', L.mul, () => 1, (d) => d !== 'bool', 'numeric (not bool)');
/** jax.lax.reduce_and(x, axes): logical and over `axes` for bool x, bitwise for integers. */
export const reduceAnd = reduction('reduceAnd', L.bitwiseAnd, allOnes, bitsOrBool, 'bool or an integer dtype');
/** jax.lax.reduce_or(x, axes): logical or over `axes` for bool x, bitwise for integers. */
export const reduceOr = reduction('reduceOr', L.bitwiseOr, () => 0, bitsOrBool, 'bool or an integer dtype');
/** jax.lax.reduce_xor(x, axes): logical xor over `axes` for bool x, bitwise for integers. */
export const reduceXor = reduction('reduceXor', L.bitwiseXor, () => 0, bitsOrBool, 'bool or an integer dtype');

// ---------------------------------------------------------------- dot

/** jax.lax.dot(x, y): vector . vector, matrix . vector or matrix . matrix (rank 1 or 2 each; x's last axis against y's first), one dtype. */
export function dot(x: NDArray, y: NDArray): NDArray {
  const where = 'lax.dot';
  const a = arrayArg(where, 'x', x), b = arrayArg(where, 'y', y);
  if (a.ndim < 1 || a.ndim > 2 || b.ndim < 1 || b.ndim > 2 || a.shape[a.ndim - 1] !== b.shape[0]) {
    throw new ShapeError(`${where}: incompatible shapes x ${desc(a)} and y ${desc(b)}: each must have 1 or 2 axes and x's last length must be y's first (lax.dotGeneral for other contractions)`);
  }
  if (a.dtype !== b.dtype) throw new DTypeError(`${where}: x ${desc(a)} and y ${desc(b)} must have one dtype (lax does not promote; convert with lax.convertElementType)`);
  return L.dotGeneral(a, b, [[[a.ndim - 1], [0]], [[], []]]);
}
