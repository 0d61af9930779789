// numpy's small numeric helpers that ported JAX code reaches for (jnp.polyval, vander, trapezoid,
// interp, cross, triu_indices, tril_indices, unravel_index, ravel_multi_index), composed from the np functions, so they
// differentiate, batch and jit as those do.
import { NDArray, ArrayInput } from './array.js';
import {
  add, subtract, multiply, divide, where, less, greater, lessEqual, abs, broadcastTo, stack,
  moveaxis, take, searchsorted, clip, index, onesLike, zeros, commonDtype, astype, sum, slice, full, remainder, floorDivide,
  reshape, concatenate, negative, floatDtype, argsort, type LikeOptions,
} from './numpy.js';
import { operand, intsOperand, heavyComposite } from './np_shared.js';
import { int32 } from './np_indexing.js';
import { checkShape } from './creation.js';
import { atMost, intAxis, readOptionalPositions, readOptions, show } from './options.js';
import { AxisError, ShapeError, ValueError, describe } from '../core/errors.js';
import { isInteger } from '../core/dtype.js';

/** np.polyval(p, x): p[0] x^(n-1) + ... + p[n-1] by Horner's rule (numpy's and jnp's order); p 1-d. */
export function polyval(p: ArrayInput, x: ArrayInput): NDArray {
  const where_ = 'np.polyval';
  atMost(where_, arguments.length, 2);
  // jnp's promote_dtypes_inexact: ints and bools in float32 (as int32 the powers wrapped:
  // polyval([1, 0, 0], int32 70000) was 605032704, jnp's 4.9e9)
  const d = floatDtype(where_, [p, x]);
  const c = astype(operand(where_, 0, p, d), d), v = astype(operand(where_, 1, x, d), d); // (JS values in d's precision)
  if (c.ndim !== 1) throw new ShapeError(`${where_}: p must be 1-d (the coefficients, highest power first), got ${describe(c.shape, c.dtype)}`);
  const n = c.shape[0];
  if (n === 0) return zeros(v.shape, d); // (numpy: polyval([], x) is 0)
  let y = broadcastTo(index(c, 0), v.shape);
  for (let i = 1; i < n; i++) y = add(multiply(y, v), index(c, i));
  return y;
}

/** vander's options: numpy's N and increasing by key. */
export interface VanderOptions { N?: number | null; increasing?: boolean }

/**
 * np.vander(x, N, increasing): columns x^(N-1) ... x^0 (x^0 first when increasing), powers by
 * repeated products as numpy's. N and increasing go positionally (numpy's order) or in an options
 * object in either place, as JAX's keywords: vander(x, { N: 3, increasing: true }), vander(x, 3, { increasing: true }).
 */
export function vander(x: ArrayInput, N?: number | null, increasing?: boolean | null): NDArray;
export function vander(x: ArrayInput, N: number | null | undefined, opts: { increasing?: boolean }): NDArray;
export function vander(x: ArrayInput, opts: VanderOptions): NDArray;
export function vander(x: ArrayInput, N?: number | null | VanderOptions, increasing?: boolean | null | { increasing?: boolean }, options?: unknown): NDArray {
  const where_ = 'np.vander';
  atMost(where_, arguments.length, 4); // (an object after both positions: read to refuse a parameter given twice by name)
  const o = readOptionalPositions<VanderOptions>(where_, [N, increasing, options], ['N', 'increasing'], { N: 'any', increasing: 'boolean' });
  const v = operand(where_, 0, x);
  if (v.ndim !== 1) throw new ShapeError(`${where_}: x must be 1-d, got ${describe(v.shape, v.dtype)}`);
  const n = o.N ?? v.shape[0];
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`${where_}: N must be a non-negative integer, got ${show(o.N)}`);
  // (the result's size checked before its N columns are made one op each: N = 1e9 ran for hours)
  checkShape(where_, [v.shape[0], n], 'result shape', v.dtype);
  const cols: NDArray[] = [];
  for (let k = 0; k < n; k++) cols.push(k === 0 ? onesLike(v) : k === 1 ? v : multiply(cols[k - 1], v));
  if (!o.increasing) cols.reverse();
  return n === 0 ? zeros([v.shape[0], 0], v.dtype) : stack(cols, { axis: 1 });
}

/** trapezoid's options: numpy's x, dx and axis by key. */
export interface TrapezoidOptions { x?: ArrayInput | null; dx?: number; axis?: number }

/**
 * np.trapezoid(y, x, dx, axis): the trapezoidal rule along `axis` (default -1), with sample
 * points x (1-d along the axis, or y's shape) or spacing dx (default 1): sum(d (y[1:] + y[:-1]) / 2).
 * x, dx and axis go positionally (numpy's order) or in an options object in any of their places,
 * as JAX's keywords: trapezoid(y, { dx: 0.5 }), trapezoid(y, x, { axis: 0 }). null for x or dx is
 * their default; the axis is one integer (numpy and jnp refuse None and lists: an error, not -1).
 * y and x are promoted to one float dtype first, as jnp's promote_dtypes_inexact (JS values weak):
 * integer inputs compute in float32 (float64 beside float64), where numpy computes in the integers
 * and wraps (int32 y [2^30, 2^30]: numpy's 2^31 overflows, here 1073741824 as in JAX; uint32 x
 * [5, 0]: numpy's difference wraps to 4294967291, here -5).
 */
export function trapezoid(y: ArrayInput, x?: ArrayInput | null, dx?: number | null, axis?: number): NDArray;
export function trapezoid(y: ArrayInput, x: ArrayInput | null | undefined, dx: number | null | undefined, opts: { axis?: number }): NDArray;
export function trapezoid(y: ArrayInput, x: ArrayInput | null | undefined, opts: { dx?: number; axis?: number }): NDArray;
export function trapezoid(y: ArrayInput, opts: TrapezoidOptions): NDArray;
export function trapezoid(y: ArrayInput, x?: ArrayInput | null | TrapezoidOptions, dx?: number | null | TrapezoidOptions, axis?: number | null | TrapezoidOptions,
  options?: unknown): NDArray {
  const where_ = 'np.trapezoid';
  atMost(where_, arguments.length, 5); // (an object after the three positions: read to refuse a parameter given twice by name)
  if (axis === null) intAxis(where_, null, -1); // (a positional null axis, which the reader below takes as left out)
  const o = readOptionalPositions<TrapezoidOptions>(where_, [x, dx, axis, options], ['x', 'dx', 'axis'], { x: 'any', dx: 'number', axis: 'axis' });
  const ax = intAxis(where_, o.axis, -1);
  const hasX = o.x !== undefined && o.x !== null;
  // (int32 y [2^30, 2^30] summed in int32 and wrapped to -1073741824 before becoming float32)
  const dt = floatDtype(where_, hasX ? [y, o.x as ArrayInput] : [y]);
  let a = astype(operand(where_, 0, y, dt), dt);
  if (a.ndim === 0) throw new ValueError(`${where_}: y must have at least one dimension, got a 0-d array`);
  a = moveaxis(a, ax, -1);
  const len = a.shape[a.ndim - 1];
  if (len < 2) return sum(multiply(a, 0), { axis: -1 }); // (numpy: 0 for fewer than two samples)
  const lo = (t: NDArray) => slice(t, t.shape.map(() => 0), [...t.shape.slice(0, -1), len - 1]);
  const hi = (t: NDArray) => slice(t, [...t.shape.slice(0, -1).map(() => 0), 1], t.shape);
  let d: NDArray | number = o.dx ?? 1;
  if (hasX) {
    if (o.dx !== undefined) throw new ValueError(`${where_}: give x or dx, not both`);
    let t = astype(operand(where_, 1, o.x as ArrayInput, dt), dt); // (a JS list of points beside float64 y in float64)
    t = t.ndim === 1 ? t : moveaxis(t, ax, -1);
    if (t.shape[t.ndim - 1] !== len) throw new ShapeError(`${where_}: x ${describe(t.shape, t.dtype)} has not ${len} points along the axis of y`);
    d = subtract(hi(t), lo(t));
  }
  return sum(divide(multiply(d, add(hi(a), lo(a))), 2), { axis: -1 });
}

/**
 * np.interp(x, xp, fp, { left, right, period }): piecewise-linear interpolation at x of the points
 * (xp, fp), xp increasing; past the ends fp[0] and fp[-1] (or left, right); NaN x gives NaN.
 * jnp's formula: the interval from searchsorted (right side), a zero-width one read as its
 * left value (finite gradients there). With `period` (a nonzero number), x and xp are taken
 * modulo |period|, xp in any order, and left and right are ignored (numpy's and jnp's).
 */
export function interp(x: ArrayInput, xp: ArrayInput, fp: ArrayInput, opts?: { left?: ArrayInput; right?: ArrayInput; period?: number }): NDArray {
  const where_ = 'np.interp';
  atMost(where_, arguments.length, 4);
  const o = readOptions<{ left?: ArrayInput; right?: ArrayInput; period?: number }>(where_, opts, { left: 'any', right: 'any', period: 'any' });
  const period = o.period ?? null;
  if (period !== null && (typeof period !== 'number' || period === 0 || !Number.isFinite(period))) {
    throw new ValueError(`${where_}: period must be a nonzero finite number (or null), got ${show(period)}`);
  }
  const dt = commonDtype(where_, [x, xp, fp]);
  const fdt = isInteger(dt) || dt === 'bool' ? 'float32' : dt;
  // JS values in fdt's precision: without the hint they became float32 first (interp(0.1, xp, fp) of
  // float64 xp, fp read x as 0.10000000149011612)
  let v = astype(operand(where_, 0, x, fdt), fdt), px = astype(operand(where_, 1, xp, fdt), fdt), pf = astype(operand(where_, 2, fp, fdt), fdt);
  if (px.ndim !== 1 || pf.ndim !== 1 || px.shape[0] !== pf.shape[0]) {
    throw new ShapeError(`${where_}: xp and fp must be 1-d of one length, got ${describe(px.shape, px.dtype)} and ${describe(pf.shape, pf.dtype)}`);
  }
  if (px.shape[0] === 0) throw new ValueError(`${where_}: xp and fp must not be empty (numpy refuses them too)`);
  if (period !== null) {
    // one period of points, sorted, with the last one repeated before it and the first after it
    const p = Math.abs(period), m = px.shape[0];
    v = remainder(v, p);
    const order = argsort(remainder(px, p));
    px = take(remainder(px, p), order); pf = take(pf, order);
    px = concatenate([subtract(slice(px, [m - 1], [m]), p), px, add(slice(px, [0], [1]), p)]);
    pf = concatenate([slice(pf, [m - 1], [m]), pf, slice(pf, [0], [1])]);
    return interp(v, px, pf);
  }
  return heavyComposite([v], () => interpOf(v, px, pf, o.left, o.right));
}

/** interp's lookup and blend (a one-shot program on a large x: a dozen passes over it). */
function interpOf(v: NDArray, px: NDArray, pf: NDArray, left: ArrayInput | undefined, right: ArrayInput | undefined): NDArray {
  const n = px.shape[0];
  if (n === 1) {
    const f0 = broadcastTo(index(pf, 0), v.shape);
    return where(greater(v, index(px, 0)), right ?? f0, where(less(v, index(px, 0)), left ?? f0, add(f0, multiply(v, 0))));
  }
  const i = clip(searchsorted(px, v, { side: 'right' }), 1, n - 1);
  const im1 = subtract(i, int32([1], []));
  const x0 = take(px, im1), x1 = take(px, i), f0 = take(pf, im1), f1 = take(pf, i);
  const dx = subtract(x1, x0), flat = lessEqual(abs(dx), 0);
  const f = where(flat, f0, add(f0, multiply(divide(subtract(v, x0), where(flat, 1, dx)), subtract(f1, f0))));
  return where(less(v, index(px, 0)), left ?? index(pf, 0), where(greater(v, index(px, n - 1)), right ?? index(pf, n - 1), f));
}

/** np.cross's options: numpy's axisa, axisb, axisc (each -1 by default), and axis setting all three. */
export interface CrossOptions { axisa?: number; axisb?: number; axisc?: number; axis?: number | null }

/**
 * np.cross(a, b, { axisa, axisb, axisc, axis }): the cross product of the vectors along axisa of a
 * and axisb of b (broadcast), placed along axisc; `axis` sets all three. A 2-vector is a 3-vector
 * with z = 0, except that two 2-vectors give the z component alone (a scalar per pair), as numpy
 * (which deprecates 2-vectors) and jnp.
 */
export function cross(a: ArrayInput, b: ArrayInput, opts?: CrossOptions): NDArray {
  const where_ = 'np.cross';
  atMost(where_, arguments.length, 3);
  const o = readOptions<CrossOptions>(where_, opts, { axisa: 'axis', axisb: 'axis', axisc: 'axis', axis: 'axis' });
  // null: numpy's and jnp's axis=None, the default (axisa, axisb, axisc: -1); a list is refused
  const all = o.axis === null || o.axis === undefined ? undefined : intAxis(where_, o.axis, -1);
  const pick = (key: 'axisa' | 'axisb' | 'axisc') => all ?? intAxis(where_, o[key], -1, key);
  const [axa, axb, axc] = [pick('axisa'), pick('axisb'), pick('axisc')];
  const dt = commonDtype(where_, [a, b]); // (JS values in it: a list beside float64 was float32 first)
  const inRange = (key: string, ax: number, t: NDArray, what: string) => {
    if (!Number.isInteger(ax) || ax < -t.ndim || ax >= t.ndim) throw new AxisError(`${where_}: ${key} ${ax} is out of bounds for ${what} ${describe(t.shape, t.dtype)}`);
    return t;
  };
  const a0 = operand(where_, 0, a, dt), b0 = operand(where_, 1, b, dt);
  const u = moveaxis(inRange('axisa', axa, a0, 'a'), axa, -1), w = moveaxis(inRange('axisb', axb, b0, 'b'), axb, -1);
  const ku = u.shape[u.ndim - 1], kw = w.shape[w.ndim - 1];
  if ((ku !== 2 && ku !== 3) || (kw !== 2 && kw !== 3)) {
    throw new ShapeError(`${where_}: both vectors must have 2 or 3 components (along axisa ${axa} and axisb ${axb}), got ${describe(u.shape, u.dtype)} and ${describe(w.shape, w.dtype)}`);
  }
  // a 2-vector's z: exact zeros (a product with 0 made an inf entry elsewhere NaN)
  const c = (t: NDArray, j: number) => (j < t.shape[t.ndim - 1] ? index(t, '...', j) : zeros(t.shape.slice(0, -1), t.dtype));
  if (ku === 2 && kw === 2) return subtract(multiply(c(u, 0), c(w, 1)), multiply(c(u, 1), c(w, 0)));
  const r = [
    subtract(multiply(c(u, 1), c(w, 2)), multiply(c(u, 2), c(w, 1))),
    subtract(multiply(c(u, 2), c(w, 0)), multiply(c(u, 0), c(w, 2))),
    subtract(multiply(c(u, 0), c(w, 1)), multiply(c(u, 1), c(w, 0))),
  ];
  const out = stack(r, { axis: -1 });
  return moveaxis(inRange('axisc', axc, out, 'the result'), -1, axc);
}

/** The most positions triuIndices/trilIndices list (each of the two int32 results, 4 bytes a position). */
const MAX_TRIANGLE = 2 ** 28;

function triangleIndices(where_: string, n: number, k: number, m: number | undefined, upper: boolean): [NDArray, NDArray] {
  const cols = m ?? n;
  for (const [name, v] of [['n', n], ['k', k], ['m', cols]] as const) {
    if (!Number.isInteger(v) || (name !== 'k' && v < 0)) throw new ValueError(`${where_}: ${name} must be ${name === 'k' ? 'an integer' : 'a non-negative integer'}, got ${show(v)}`);
  }
  // Row i holds columns [lo, hi): counted before anything is built, and only the rows that hold
  // any are visited (n = 2 ** 31 looped over every (i, j) for minutes, or aborted the process out
  // of JS heap, before any size check)
  const first = upper ? 0 : Math.max(0, -k), end = cols === 0 ? 0 : upper ? Math.min(n, Math.max(0, cols - k)) : n;
  const lo = (i: number) => (upper ? Math.max(0, i + k) : 0), hi = (i: number) => (upper ? cols : Math.min(cols, i + k + 1));
  let count = 0;
  for (let i = first; i < end && count <= MAX_TRIANGLE; i++) count += Math.max(0, hi(i) - lo(i));
  if (count > MAX_TRIANGLE) {
    throw new ValueError(`${where_}: n = ${n}, m = ${cols}, k = ${k} select more than ${MAX_TRIANGLE} positions, more than this wasm32 build holds`);
  }
  const rows = new Int32Array(count), cs = new Int32Array(count);
  let at = 0;
  for (let i = first; i < end; i++) for (let j = lo(i); j < hi(i); j++) { rows[at] = i; cs[at++] = j; }
  return [int32(rows, [rows.length]), int32(cs, [cs.length])];
}
/** np.triuIndices(n, k = 0, m = n): [rows, cols] (int32) of the upper triangle from diagonal k, row by row. */
export function triuIndices(n: number, k: number | TriangleOptions = 0, m?: number): [NDArray, NDArray] {
  atMost('np.triuIndices', arguments.length, 3);
  return triangleIndices('np.triuIndices', n, ...kAndM('np.triuIndices', k, m, arguments.length), true);
}
/** np.trilIndices(n, k = 0, m = n): [rows, cols] (int32) of the lower triangle to diagonal k, row by row. */
export function trilIndices(n: number, k: number | TriangleOptions = 0, m?: number): [NDArray, NDArray] {
  atMost('np.trilIndices', arguments.length, 3);
  return triangleIndices('np.trilIndices', n, ...kAndM('np.trilIndices', k, m, arguments.length), false);
}
export interface TriangleOptions { k?: number; m?: number }
/** k and m, positional or as options ({ k, m }, as np.tri and np.eye take k). */
function kAndM(where_: string, k: number | TriangleOptions, m: number | undefined, nargs: number): [number, number | undefined] {
  if (k === null || typeof k !== 'object') return [k, m];
  if (nargs > 2) throw new ValueError(`${where_}: options came second (${show(k)}), so there is no third argument; got ${show(m)}`);
  const o = readOptions<TriangleOptions>(where_, k, { k: 'any', m: 'any' });
  return [o.k ?? 0, o.m];
}

/** jnp.full_like(x, fill, { dtype, shape }): x's shape and dtype unless given (fill broadcast to the shape). */
export function fullLike(x: ArrayInput, value: ArrayInput, opts?: LikeOptions | import('../core/dtype.js').DType): NDArray {
  // (checked as zerosLike/onesLike check theirs: a misspelled key, a Symbol or a function was dropped)
  const a = operand('np.fullLike', 0, x);
  const o = readOptions<LikeOptions>('np.fullLike', opts, { dtype: 'dtype', shape: 'shape' }, 'dtype');
  return full(o.shape === undefined ? a.shape : checkShape('np.fullLike', o.shape), value, { dtype: o.dtype ?? a.dtype });
}

/**
 * np.unravelIndex(indices, shape): the coordinates (int32 Arrays, one per dim) of flat indices, as
 * jnp: a negative index counts from the end, and one out of bounds is clipped to the nearest
 * valid one (numpy raises).
 */
export function unravelIndex(indices: ArrayInput, shape: number[]): NDArray[] {
  const where_ = 'np.unravelIndex';
  atMost(where_, arguments.length, 2);
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 1)) throw new ValueError(`${where_}: shape must be a list of positive integers, got ${show(shape)}`);
  const i0 = intsOperand(where_, indices);
  if (!isInteger(i0.dtype)) throw new ValueError(`${where_}: indices must be integers, got ${describe(i0.shape, i0.dtype)}`);
  const size = shape.reduce((p, q) => p * q, 1);
  // (past int32 the error named np.add and a JS number: 'the JS number 1e18 does not fit in int32')
  if (size > 2 ** 31 - 1) throw new ValueError(`${where_}: shape [${shape}] has ${size} positions; flat indices here are int32 (at most 2^31 - 1 positions), as jnp's without 64-bit types`);
  let i = astype(i0, 'int32');
  i = clip(where(less(i, 0), add(i, size), i), 0, size - 1);
  const out: NDArray[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    out.unshift(remainder(i, shape[d]));
    i = floorDivide(i, shape[d]);
  }
  return out;
}

/**
 * np.ravelMultiIndex(multiIndex, dims, { mode }): flat (C order) indices of coordinates, one int
 * Array (or list) per dim. mode 'raise' (numpy's default) checks concrete coordinates; 'wrap'
 * takes them modulo the dim, 'clip' clamps them (a negative one to 0), as numpy and jnp.
 */
export function ravelMultiIndex(multiIndex: ArrayInput[], dims: number[], opts?: { mode?: 'raise' | 'wrap' | 'clip' }): NDArray {
  const where_ = 'np.ravelMultiIndex';
  atMost(where_, arguments.length, 3);
  const o = readOptions<{ mode?: string }>(where_, opts, { mode: 'any' });
  const mode = o.mode ?? 'raise';
  if (mode !== 'raise' && mode !== 'wrap' && mode !== 'clip') throw new ValueError(`${where_}: mode must be 'raise', 'wrap' or 'clip', got ${show(o.mode)}`);
  if (!Array.isArray(dims) || dims.some((d) => !Number.isInteger(d) || d < 1)) throw new ValueError(`${where_}: dims must be a list of positive integers, got ${show(dims)}`);
  if (!Array.isArray(multiIndex) || multiIndex.length !== dims.length) {
    throw new ValueError(`${where_}: need one index per dim (${dims.length}), got ${Array.isArray(multiIndex) ? multiIndex.length : show(multiIndex)}`);
  }
  const size = dims.reduce((p, q) => p * q, 1);
  if (size > 2 ** 31 - 1) throw new ValueError(`${where_}: dims [${dims}] have ${size} positions; flat indices here are int32 (at most 2^31 - 1 positions), as jnp's without 64-bit types`);
  let flat: NDArray | null = null;
  multiIndex.forEach((m, k) => {
    let c = intsOperand(where_, m);
    if (!isInteger(c.dtype)) throw new ValueError(`${where_}: indices must be integers, got ${describe(c.shape, c.dtype)} for dim ${k}`);
    c = astype(c, 'int32');
    if (mode === 'raise') {
      if (c.isTracer) throw new ValueError(`${where_}: mode 'raise' reads the indices, which are traced here: pass { mode: 'clip' } or { mode: 'wrap' } (as jnp)`);
      const bad = Array.from(c.dataSync() as Int32Array).find((v) => v < 0 || v >= dims[k]);
      if (bad !== undefined) throw new ValueError(`${where_}: index ${bad} is out of bounds for dim ${k} of size ${dims[k]} (numpy's mode 'raise')`);
    } else c = mode === 'wrap' ? remainder(c, dims[k]) : clip(c, 0, dims[k] - 1);
    const stride = dims.slice(k + 1).reduce((p, q) => p * q, 1);
    const term = multiply(c, stride);
    flat = flat === null ? term : add(flat, term);
  });
  return flat ?? int32([0], []);
}

export interface GradientOptions { axis?: number | number[] | null; edgeOrder?: number }

/**
 * np.gradient(f, ...spacing, { axis, edgeOrder }): the derivative of sampled f along each axis
 * (or `axis`), numpy's formula: second-order central differences inside, one-sided differences
 * of order `edgeOrder` (1, the default, or 2) at the ends. The spacing: none (1), one number for
 * every axis, or one per axis, each a number or the axis's coordinates (a 1-d list or Array of its
 * length: numpy's non-uniform formula). One axis gives one Array, several a list. Integer f
 * computes in float32 (jnp's).
 */
export function gradient(f: ArrayInput, ...rest: unknown[]): NDArray | NDArray[] {
  const where_ = 'np.gradient';
  const last = rest[rest.length - 1];
  const hasOpts = last !== null && typeof last === 'object' && !Array.isArray(last) && !(last instanceof NDArray) && !ArrayBuffer.isView(last);
  const o = readOptions<GradientOptions>(where_, hasOpts ? last : undefined, { axis: 'any', edgeOrder: 'number' });
  const spacing = hasOpts ? rest.slice(0, -1) : rest;
  const a = astype(operand(where_, 0, f), floatDtypeOf(where_, f));
  if (a.ndim === 0) throw new ValueError(`${where_}: f must have at least one dimension, got a 0-d array`);
  const axes = o.axis === undefined || o.axis === null ? a.shape.map((_, i) => i)
    : (Array.isArray(o.axis) ? o.axis : [o.axis]).map((ax) => intAxis(where_, ax, -1)).map((ax) => (ax < 0 ? ax + a.ndim : ax));
  axes.forEach((ax) => { if (ax < 0 || ax >= a.ndim) throw new ValueError(`${where_}: axis ${show(o.axis)} is out of range for ${describe(a.shape, a.dtype)}`); });
  // (numpy raises 'repeated axis'; a repeated one gave the same derivative twice, silently)
  if (new Set(axes).size !== axes.length) throw new ValueError(`${where_}: axis ${show(o.axis)} repeats an axis (numpy raises too)`);
  const edge = o.edgeOrder ?? 1;
  if (edge !== 1 && edge !== 2) throw new ValueError(`${where_}: edgeOrder must be 1 or 2, got ${show(edge)}`);
  if (spacing.length !== 0 && spacing.length !== 1 && spacing.length !== axes.length) {
    throw new ValueError(`${where_}: give no spacing, one for every axis, or one per axis (${axes.length}), got ${spacing.length}`);
  }
  const out = axes.map((ax, k) => {
    const h = spacing.length === 0 ? 1 : spacing[spacing.length === 1 ? 0 : k];
    const n = a.shape[ax];
    if (n < edge + 1) throw new ValueError(`${where_}: axis ${ax} has ${n} samples; edgeOrder ${edge} needs at least ${edge + 1} (numpy raises too)`);
    const t = moveaxis(a, ax, -1), lead = t.shape.slice(0, -1);
    const part = (from: number, to: number) => slice(t, [...lead.map(() => 0), from], [...lead, to]);
    const along = (v: NDArray) => reshape(v, [...lead.map(() => 1), v.size]); // (coefficients along the axis)
    let inner: NDArray, first: NDArray, lastD: NDArray;
    // a 0-d Array is one uniform spacing, as numpy's and jnp's np.ndim(d) == 0 (it was read as
    // coordinates and refused: 'must be 1-d with n values'); traced, the result differentiates in it
    const h0 = h instanceof NDArray && h.ndim === 0 ? astype(h, a.dtype) : h;
    if (typeof h0 === 'number' || (h0 instanceof NDArray && h0.ndim === 0)) {
      const h = h0;
      inner = divide(subtract(part(2, n), part(0, n - 2)), typeof h === 'number' ? 2 * h : multiply(h, 2));
      if (edge === 1) {
        first = divide(subtract(part(1, 2), part(0, 1)), h);
        lastD = divide(subtract(part(n - 1, n), part(n - 2, n - 1)), h);
      } else {
        first = divide(add(add(multiply(part(0, 1), -1.5), multiply(part(1, 2), 2)), multiply(part(2, 3), -0.5)), h);
        lastD = divide(add(add(multiply(part(n - 3, n - 2), 0.5), multiply(part(n - 2, n - 1), -2)), multiply(part(n - 1, n), 1.5)), h);
      }
    } else {
      const x = astype(operand(`${where_}: spacing ${k}`, 0, h as ArrayInput, a.dtype), a.dtype); // (JS coordinates in f's precision, not float32 first)
      if (x.ndim !== 1 || x.size !== n) throw new ValueError(`${where_}: the coordinates of axis ${ax} must be 1-d with ${n} values (its length), got ${describe(x.shape, x.dtype)}`);
      const dx = subtract(slice(x, [1], [n]), slice(x, [0], [n - 1]));
      const d1 = slice(dx, [0], [n - 2]), d2 = slice(dx, [1], [n - 1]);
      const ca = divide(negative(d2), multiply(d1, add(d1, d2))), cb = divide(subtract(d2, d1), multiply(d1, d2)), cc = divide(d1, multiply(d2, add(d1, d2)));
      inner = add(add(multiply(along(ca), part(0, n - 2)), multiply(along(cb), part(1, n - 1))), multiply(along(cc), part(2, n)));
      const at = (i: number) => slice(dx, [i], [i + 1]);
      if (edge === 1) {
        first = divide(subtract(part(1, 2), part(0, 1)), at(0));
        lastD = divide(subtract(part(n - 1, n), part(n - 2, n - 1)), at(n - 2));
      } else {
        const [p, q] = [at(0), at(1)];
        first = add(add(multiply(divide(negative(add(multiply(p, 2), q)), multiply(p, add(p, q))), part(0, 1)),
          multiply(divide(add(p, q), multiply(p, q)), part(1, 2))), multiply(divide(negative(p), multiply(q, add(p, q))), part(2, 3)));
        const [r, s] = [at(n - 3), at(n - 2)];
        lastD = add(add(multiply(divide(s, multiply(r, add(r, s))), part(n - 3, n - 2)),
          multiply(divide(negative(add(s, r)), multiply(r, s)), part(n - 2, n - 1))), multiply(divide(add(multiply(s, 2), r), multiply(s, add(r, s))), part(n - 1, n)));
      }
    }
    return moveaxis(concatenate([first, inner, lastD], { axis: -1 }), -1, ax);
  });
  return out.length === 1 ? out[0] : out;
}

/** The float dtype f computes in (ints and bools: float32, as jnp's). */
function floatDtypeOf(where_: string, f: ArrayInput) { return floatDtype(where_, [f]); }
