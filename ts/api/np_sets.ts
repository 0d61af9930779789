// numpy's set operations (setdiff1d, union1d, intersect1d, setxor1d) and the reshaping
// selections (insert, delete, trimZeros, ediff1d, compress, extract, resize, unstack, diagflat)
// and the array API's uniqueValues / uniqueCounts / uniqueInverse / uniqueAll,
// composed from the np functions so they differentiate, batch and jit as those do. Outputs whose
// length depends on the values take jnp's static `size` (and `fillValue`) to trace under jit or
// vmap; without it the length is read from the values (eagerly and under grad), and a TracerError
// under jit names the option, as np.unique and np.nonzero do.
import { NDArray, ArrayInput } from './array.js';
import * as lax from './lax.js';
import {
  astype, reshape, ravel, concatenate, where, notEqual, equal, less, sum, subtract, add, commonDtype, broadcastTo,
} from './numpy.js';
import { isnan, logicalAnd, logicalNot, clip } from './np_elementwise.js';
import { argsort } from './np_sorting.js';
import { takeAxis, takeAlongAxis, takeAlongPermutation, nestedInts, int32, range } from './np_indexing.js';
import { slice, moveaxis, tile, diag } from './np_rearrange.js';
import { isin } from './np_more.js';
import { firstTrue, concreteCount, staticLength, unique } from './np_data_dependent.js';
import { named, type Named } from './tree.js';
import { withPublicName } from './arity.js';
import { operand, normalizeAxisList } from './np_shared.js';
import { atMost, intAxis, isPlainObject, readOptions, readOptionalPositions, show } from './options.js';
import { filled } from './creation.js';
import { AxisError, CotangentError, DTypeError, IndexError, ShapeError, TracerError, ValueError, describe } from '../core/errors.js';
import { DType, isInteger } from '../core/dtype.js';

const SCATTER = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] };

// ---------------------------------------------------------------- helpers

/** A 1-d x sorted (stably: equal values keep their order), with a mask of each run's first entry (NaNs one run, numpy's equal_nan). */
function sortedRuns(x: NDArray): { sorted: NDArray; first: NDArray; perm: NDArray } {
  const n = x.size;
  if (n === 0) return { sorted: x, first: lax.full([0], 0, 'bool'), perm: lax.full([0], 0, 'int32') };
  const perm = argsort(x);
  const sorted = takeAlongPermutation(x, perm, 0);
  let first: NDArray = lax.full([1], 1, 'bool');
  if (n > 1) first = concatenate([first, stepMask(sorted, true)]);
  return { sorted, first, perm };
}

/** sorted[1:] != sorted[:-1] (n - 1 entries); with equalNan, two NaNs are the same value. */
function stepMask(sorted: NDArray, equalNan: boolean): NDArray {
  const n = sorted.size;
  const s1 = slice(sorted, [1], [n]), s0 = slice(sorted, [0], [n - 1]);
  const step = notEqual(s1, s0);
  return equalNan ? logicalAnd(step, logicalNot(logicalAnd(isnan(s1), isnan(s0)))) : step;
}

/** A 0-d fillValue in dtype dt, or null when not given (a ValueError without size, as np.unique's). */
function fillOption(fn: string, fill: unknown, size: number | undefined, dt: DType): NDArray | null {
  if (fill === undefined || fill === null) return null;
  if (size === undefined) throw new ValueError(`${fn}: fillValue needs a size (it fills the entries past the count)`);
  const f = astype(operand(fn, 1, fill as ArrayInput, dt), dt);
  if (f.ndim !== 0) throw new ValueError(`${fn}: fillValue must be a scalar, got ${describe(f.shape, f.dtype)}`);
  return f;
}

type Fill = NDArray | 'zero' | 'min';

/**
 * The entries of 1-d `vals` where `mask` holds, in order: `size` of them (read from the mask
 * when not given), those past the count `fill` (a scalar; 'zero'; 'min': the first, smallest
 * result of a sorted `vals`, 0 when there is none, jnp's default). pos: their positions in vals.
 */
function compact(fn: string, vals: NDArray, mask: NDArray, size: number | undefined, fill: Fill): { out: NDArray; pos: NDArray; valid: NDArray } {
  const k = size ?? concreteCount(fn, sum(astype(mask, 'int32')), 'size');
  const { pos, valid, count } = firstTrue(mask, k);
  const zero = filled(fn, [], 0, vals.dtype);
  if (vals.size === 0 || k === 0) {
    const f = fill instanceof NDArray && k > 0 ? lax.broadcastInDim(fill, [k], []) : filled(fn, [k], 0, vals.dtype);
    return { out: f, pos, valid };
  }
  let out = takeAlongAxis(vals, pos, 0, { mode: 'clip' });
  if (size !== undefined) {
    const f = fill === 'zero' ? zero : fill === 'min' ? where(less(0, count), slice(out, [0], [1]), zero) : fill;
    out = where(valid, out, f);
  }
  return { out, pos, valid };
}

/** Both operands raveled in their common dtype (jnp's promote_dtypes). */
function promoted(fn: string, a: ArrayInput, b: ArrayInput): [NDArray, NDArray] {
  if (b === undefined) throw new ValueError(`${fn}: missing argument ar2`);
  const dt = commonDtype(fn, [a, b]);
  return [ravel(astype(operand(fn, 0, a, dt), dt)), ravel(astype(operand(fn, 1, b, dt), dt))];
}

export interface SetOptions { assumeUnique?: boolean; size?: number; fillValue?: ArrayInput }
const SET_SPEC = { assumeUnique: 'boolean', size: 'any', fillValue: 'any' } as const;

// ---------------------------------------------------------------- set operations

/**
 * np.setdiff1d(ar1, ar2, { assumeUnique, size, fillValue }): the sorted distinct values of ar1
 * that are not in ar2, in ar1's dtype (NaN is in nothing, so ar1's NaN stays, as numpy's). With
 * assumeUnique, ar1's values in their own order (numpy's). jnp's size pads with fillValue
 * (default 0) and truncates, so it traces under jit and vmap.
 */
export function setdiff1d(ar1: ArrayInput, ar2: ArrayInput, opts?: SetOptions | boolean | null): NDArray {
  const fn = 'np.setdiff1d';
  const o = readOptions<SetOptions>(fn, opts === null ? undefined : opts, SET_SPEC, 'assumeUnique'); // (null: numpy's None)
  if (ar2 === undefined) throw new ValueError(`${fn}: missing argument ar2`);
  const size = staticLength(fn, 'size', o.size);
  // JS values weak beside the other (a float32 list: setdiff1d(int32 [16777217, 16777216], [16777216]) was empty)
  const dt = commonDtype(fn, [ar1, ar2]);
  const a = ravel(operand(fn, 0, ar1, dt)), b = ravel(operand(fn, 1, ar2, dt));
  const fill = fillOption(fn, o.fillValue, size, a.dtype) ?? 'zero';
  if (o.assumeUnique) return compact(fn, a, isin(a, b, { invert: true }), size, fill).out;
  const { sorted, first } = sortedRuns(a);
  const mask = a.size === 0 ? first : logicalAnd(first, isin(sorted, b, { invert: true }));
  return compact(fn, sorted, mask, size, fill).out;
}

/**
 * np.union1d(ar1, ar2, { size, fillValue }): the sorted distinct values of both (flattened, in
 * their common dtype; one NaN, last). jnp's size pads with fillValue (default: the smallest value).
 */
export function union1d(ar1: ArrayInput, ar2: ArrayInput, opts?: { size?: number; fillValue?: ArrayInput }): NDArray {
  const fn = 'np.union1d';
  atMost(fn, arguments.length, 3);
  const o = readOptions<SetOptions>(fn, opts, { size: 'any', fillValue: 'any' });
  const size = staticLength(fn, 'size', o.size);
  const [a, b] = promoted(fn, ar1, ar2);
  const fill = fillOption(fn, o.fillValue, size, a.dtype) ?? 'min';
  const { sorted, first } = sortedRuns(concatenate([a, b]));
  return compact(fn, sorted, first, size, fill).out;
}

export interface IntersectOptions extends SetOptions { returnIndices?: boolean }

/**
 * np.intersect1d(ar1, ar2, { assumeUnique, returnIndices, size, fillValue }): the sorted values
 * in both (flattened, common dtype; NaN never matches). returnIndices: [values, ia, ib], each
 * value's first index in ar1 and in ar2 (int32). jnp's size pads values with fillValue (default:
 * the smallest value) and the indices with ar1.size and ar2.size (out of range, as jnp's).
 */
export function intersect1d(ar1: ArrayInput, ar2: ArrayInput, assumeUnique: IntersectOptions & { returnIndices: true }, returnIndices?: undefined): [NDArray, NDArray, NDArray];
export function intersect1d(ar1: ArrayInput, ar2: ArrayInput, assumeUnique: boolean, returnIndices: true): [NDArray, NDArray, NDArray];
export function intersect1d(ar1: ArrayInput, ar2: ArrayInput, assumeUnique?: IntersectOptions | boolean, returnIndices?: boolean | IntersectOptions): NDArray;
export function intersect1d(ar1: ArrayInput, ar2: ArrayInput, assumeUnique?: IntersectOptions | boolean, returnIndices?: boolean | IntersectOptions): NDArray | [NDArray, NDArray, NDArray] {
  const fn = 'np.intersect1d';
  const o = readOptionalPositions<IntersectOptions>(fn, [assumeUnique, returnIndices], ['assumeUnique', 'returnIndices'],
    { ...SET_SPEC, returnIndices: 'boolean' });
  const size = staticLength(fn, 'size', o.size);
  const [a, b] = promoted(fn, ar1, ar2);
  const fill = fillOption(fn, o.fillValue, size, a.dtype) ?? 'min';
  const n1 = a.size, n2 = b.size;
  const padded = (idx: NDArray, valid: NDArray, n: number) => (size === undefined ? idx : where(valid, idx, n));
  if (o.assumeUnique) {
    // numpy's: adjacent equal values of the stable sort of both
    const both = concatenate([a, b]), m = both.size;
    if (m < 2) {
      const r = compact(fn, both, lax.full([0], 0, 'bool'), size, fill);
      const none = lax.full([r.out.size], 0, 'int32');
      return o.returnIndices ? [r.out, padded(none, r.valid, n1), padded(none, r.valid, n2)] : r.out;
    }
    const perm = argsort(both), s = takeAlongPermutation(both, perm, 0);
    const mask = equal(slice(s, [1], [m]), slice(s, [0], [m - 1]));
    const r = compact(fn, slice(s, [0], [m - 1]), mask, size, fill);
    if (!o.returnIndices) return r.out;
    const at = (p: NDArray) => takeAlongAxis(p, r.pos, 0, { mode: 'clip' });
    const ia = at(slice(perm, [0], [m - 1])), ib = subtract(at(slice(perm, [1], [m])), n1);
    return [r.out, padded(ia, r.valid, n1), padded(ib, r.valid, n2)];
  }
  // each side's distinct values found in the other: the same sorted values, and each run's first
  // entry (stable sort) is the value's first index there
  const A = sortedRuns(a), B = sortedRuns(b);
  const inOther = (R: { sorted: NDArray; first: NDArray }, other: NDArray) =>
    (R.sorted.size === 0 ? R.first : logicalAnd(R.first, isin(R.sorted, other)));
  const ra = compact(fn, A.sorted, inOther(A, b), size, fill);
  if (!o.returnIndices) return ra.out;
  const rb = compact(fn, B.sorted, inOther(B, a), ra.out.size, 'zero');
  const at = (perm: NDArray, pos: NDArray) => (perm.size === 0 ? lax.full(pos.shape, 0, 'int32') : takeAlongAxis(perm, pos, 0, { mode: 'clip' }));
  return [ra.out, padded(at(A.perm, ra.pos), ra.valid, n1), padded(at(B.perm, rb.pos), rb.valid, n2)];
}

/**
 * np.setxor1d(ar1, ar2, { assumeUnique, size, fillValue }): the sorted values in exactly one of
 * the two (flattened, common dtype; a NaN of each side stays, as numpy's, since NaN matches
 * nothing). jnp's size pads with fillValue (default: the smallest value).
 */
export function setxor1d(ar1: ArrayInput, ar2: ArrayInput, opts?: SetOptions | boolean | null): NDArray {
  const fn = 'np.setxor1d';
  const o = readOptions<SetOptions>(fn, opts === null ? undefined : opts, SET_SPEC, 'assumeUnique');
  const size = staticLength(fn, 'size', o.size);
  const [a, b] = promoted(fn, ar1, ar2);
  const fill = fillOption(fn, o.fillValue, size, a.dtype) ?? 'min';
  const both = concatenate([a, b]), m = both.size;
  if (m === 0) return compact(fn, both, lax.full([0], 0, 'bool'), size, fill).out;
  if (o.assumeUnique) {
    // numpy's: the values of the sorted concatenation equal to neither neighbour
    const s = takeAlongPermutation(both, argsort(both), 0);
    const T = lax.full([1], 1, 'bool');
    const flag = m > 1 ? concatenate([T, stepMask(s, false), T]) : concatenate([T, T]);
    return compact(fn, s, logicalAnd(slice(flag, [1], [m + 1]), slice(flag, [0], [m])), size, fill).out;
  }
  const A = sortedRuns(a), B = sortedRuns(b);
  const only = (R: { sorted: NDArray; first: NDArray }, other: NDArray) =>
    (R.sorted.size === 0 ? R.first : logicalAnd(R.first, isin(R.sorted, other, { invert: true })));
  const vals = concatenate([A.sorted, B.sorted]), mask = concatenate([only(A, b), only(B, a)]);
  const perm = argsort(vals);
  return compact(fn, takeAlongPermutation(vals, perm, 0), takeAlongAxis(mask, perm, 0, { mode: 'clip' }), size, fill).out;
}

// ---------------------------------------------------------------- insert, delete

/** A slice (numpy-style string '1:5:2' or { start, stop, step }): Python's slice.indices over n. */
function sliceRange(fn: string, s: unknown, n: number): number[] | null {
  let start: number | null = null, stop: number | null = null, step: number | null = null;
  if (typeof s === 'string') {
    const parts = s.split(':');
    if (parts.length < 2 || parts.length > 3) throw new IndexError(`${fn}: '${s}' is not a slice (start:stop[:step])`);
    const num = (p: string): number | null => {
      if (p.trim() === '') return null;
      if (!/^\s*[+-]?\d+\s*$/.test(p)) throw new IndexError(`${fn}: slice '${s}' has a non-integer bound '${p}'`);
      return Number(p);
    };
    [start, stop, step] = [num(parts[0]), num(parts[1]), parts.length === 3 ? num(parts[2]) : null];
  } else if (isPlainObject(s)) {
    for (const [k, v] of Object.entries(s)) {
      if (k !== 'start' && k !== 'stop' && k !== 'step') throw new IndexError(`${fn}: a slice object has keys start, stop, step; got '${k}'`);
      if (v !== null && v !== undefined && !Number.isInteger(v)) throw new IndexError(`${fn}: slice ${k} must be an integer or null, got ${show(v)}`);
    }
    start = (s.start as number | null | undefined) ?? null; stop = (s.stop as number | null | undefined) ?? null; step = (s.step as number | null | undefined) ?? null;
  } else return null;
  const st = step ?? 1;
  if (st === 0) throw new ValueError(`${fn}: slice step cannot be zero`);
  const bound = (v: number | null, dflt: number, lo: number, hi: number) => (v === null ? dflt : Math.min(Math.max(v < 0 ? v + n : v, lo), hi));
  const b = st > 0 ? bound(start, 0, 0, n) : bound(start, n - 1, -1, n - 1);
  const e = st > 0 ? bound(stop, n, 0, n) : bound(stop, -1, -1, n - 1);
  return range(Math.max(0, Math.ceil((e - b) / st))).map((i) => b + i * st);
}

/** obj's integers as JS numbers (with its rank), or null when it is an Array whose values are traced. */
function staticIndices(fn: string, obj: unknown): { vals: number[]; ndim: number; isBool: boolean } | null {
  if (typeof obj === 'number') return { vals: [obj], ndim: 0, isBool: false };
  if (typeof obj === 'boolean') return { vals: [Number(obj)], ndim: 0, isBool: true };
  if (obj instanceof NDArray) {
    let vals: ArrayLike<number>;
    try { vals = obj._values(fn) as ArrayLike<number>; } catch (e) { if (e instanceof TracerError) return null; throw e; }
    if (obj.dtype !== 'bool' && !isInteger(obj.dtype)) throw new DTypeError(`${fn}: obj must hold integers, got ${describe(obj.shape, obj.dtype)}`);
    return { vals: Array.from(vals, Number), ndim: obj.ndim, isBool: obj.dtype === 'bool' };
  }
  if (Array.isArray(obj) && (obj as unknown[]).flat(Infinity).some((v) => typeof v === 'boolean')) {
    const flat = (obj as unknown[]).flat(Infinity);
    if (!flat.every((v) => typeof v === 'boolean')) throw new IndexError(`${fn}: obj mixes booleans and numbers: ${show(obj)}`);
    return { vals: flat.map(Number), ndim: (obj as unknown[]).some(Array.isArray) ? 2 : 1, isBool: true };
  }
  try {
    const { vals, shape } = nestedInts(obj);
    return { vals, ndim: shape.length, isBool: false };
  } catch (e) {
    throw new IndexError(`${fn}: obj must be an integer, a list of integers, a slice ('1:3' or { start, stop, step }) or an int32 Array, got ${show(obj)}`, { cause: e });
  }
}

/** arr and axis as numpy reads them: null flattens. */
function arrayAndAxis(fn: string, arr: ArrayInput, axis: unknown): { a: NDArray; axis: number } {
  let a = operand(fn, 0, arr);
  if (axis === undefined || axis === null) return { a: ravel(a), axis: 0 };
  const ax = intAxis(fn, axis, 0);
  if (a.ndim === 0) throw new AxisError(`${fn}: axis ${ax} is out of bounds for a 0-d array (${describe(a.shape, a.dtype)}); leave axis out to flatten`);
  return { a, axis: normalizeAxisList(fn, [ax], a.ndim)[0] };
}

type Slice = string | { start?: number | null; stop?: number | null; step?: number | null };

/** insert's and delete's arr along its axis (flattened for axis null), and obj's static indices (a slice's, a list's), or null for an Array's. */
function editTarget(fn: string, arr: ArrayInput, obj: unknown, opts: { axis?: number | null } | number | null | undefined) {
  const o = readOptions<{ axis?: number | null }>(fn, opts === null ? { axis: null } : opts, { axis: 'any' }, 'axis');
  const { a, axis } = arrayAndAxis(fn, arr, o.axis);
  const n = a.shape[axis];
  const sl = sliceRange(fn, obj, n);
  return { a, axis, n, st: sl !== null ? { vals: sl, ndim: 1, isBool: false } : staticIndices(fn, obj) };
}

/**
 * np.insert(arr, obj, values, { axis }): arr with values inserted before the index or indices
 * obj (an integer, a list of integers, a slice, or an int32 Array) along axis (null, the
 * default: flattened), numpy's broadcasting of values included. Static indices out of range are
 * an IndexError (numpy's); traced ones clip (jnp's). values take arr's dtype.
 */
export function insert(arr: ArrayInput, obj: number | number[] | Slice | NDArray, values: ArrayInput, opts?: { axis?: number | null } | number | null): NDArray {
  const fn = 'np.insert';
  if (values === undefined) throw new ValueError(`${fn}: missing argument values`);
  const { a, axis, n, st } = editTarget(fn, arr, obj, opts);
  if (st !== null && st.isBool) throw new IndexError(`${fn}: obj must hold integers, got booleans ${show(obj)} (jnp refuses them; numpy deprecated them)`);
  const idxArr = st === null ? obj as NDArray : null;
  const ndim = st !== null ? st.ndim : idxArr!.ndim;
  if (ndim > 1) throw new ValueError(`${fn}: obj must be a slice, a one-dimensional list or an integer, got ${ndim}-d indices ${show(obj)}`);
  if (st !== null) {
    st.vals.forEach((v) => {
      if (!Number.isInteger(v)) throw new IndexError(`${fn}: index ${show(v)} is not an integer`);
      if (v < -n || v > n) throw new IndexError(`${fn}: index ${v} is out of bounds for axis ${axis} with size ${n}`);
    });
  }
  const count = st !== null ? st.vals.length : idxArr!.size;
  // numpy's: values with at least arr's rank, leading dims added; one scalar index: values' first axis moved to axis
  let v = astype(operand(fn, 2, values, a.dtype), a.dtype);
  if (v.ndim < a.ndim) v = reshape(v, [...Array(a.ndim - v.ndim).fill(1), ...v.shape]);
  if (count === 1 && ndim === 0 && a.ndim > 0) v = moveaxis(v, 0, axis);
  const k = count === 1 ? v.shape[axis] ?? 1 : count;
  const slot = a.shape.map((d, i) => (i === axis ? k : d));
  if (v.ndim > a.ndim && v.shape.slice(0, v.ndim - a.ndim).every((d) => d === 1)) v = reshape(v, v.shape.slice(v.ndim - a.ndim));
  if (v.ndim !== a.ndim || v.shape.some((d, i) => d !== 1 && d !== slot[i])) {
    throw new ShapeError(`${fn}: values ${describe(v.shape, v.dtype)} cannot be broadcast to the inserted block ${describe(slot, a.dtype)} (${count} ${count === 1 ? 'index' : 'indices'} along axis ${axis} of ${describe(a.shape, a.dtype)})`);
  }
  if (k === 0) return a;
  const both = concatenate([a, broadcastTo(v, slot)], { axis });
  let src: NDArray;
  if (st !== null) {
    // numpy's: the indices (stably sorted) shifted by the count inserted before them
    const idx = (count === 1 ? Array(k).fill(st.vals[0]) : st.vals).map((x) => (x < 0 ? x + n : x));
    const order = range(k).sort((p, q) => idx[p] - idx[q] || p - q);
    const at = new Array<number>(k);
    order.forEach((p, r) => { at[p] = idx[p] + r; });
    const s = new Array<number>(n + k).fill(-1);
    at.forEach((pos, j) => { s[pos] = n + j; });
    let i = 0;
    for (let p = 0; p < n + k; p++) if (s[p] < 0) s[p] = i++;
    src = int32(s);
  } else {
    // traced indices (jnp's): negative ones from the end, then clipped to [0, n]
    let idx = ravel(idxArr!);
    if (idx.dtype !== 'int32') {
      if (!isInteger(idx.dtype)) throw new DTypeError(`${fn}: obj must hold integers, got ${describe(idxArr!.shape, idxArr!.dtype)}`);
      idx = astype(idx, 'int32');
    }
    if (count === 1) idx = broadcastTo(idx, [k]);
    idx = clip(where(less(idx, 0), add(idx, n), idx), 0, n);
    const order = argsort(idx);
    const at = lax.scatterAdd(idx, reshape(order, [k, 1]), lax.iota(k), SCATTER, { mode: 'fill' });
    const taken = lax.scatterAdd(lax.full([n + k], 0, 'int32'), reshape(at, [k, 1]), lax.full([k], 1, 'int32'), SCATTER, { mode: 'fill' });
    const rest = firstTrue(equal(taken, 0), n).pos;
    src = lax.scatterAdd(lax.full([n + k], 0, 'int32'), reshape(at, [k, 1]), add(lax.iota(k), n), SCATTER, { mode: 'fill' });
    if (n > 0) src = lax.scatterAdd(src, reshape(rest, [n, 1]), lax.iota(n), SCATTER, { mode: 'fill' });
  }
  return takeAxis(both, src, axis, { mode: 'clip' });
}

/**
 * np.delete(arr, obj, { axis }): arr without the entries at obj (an integer, a list of
 * integers, a slice, or a bool mask of the axis' length) along axis (null, the default:
 * flattened). Repeated indices delete once; out of range is an IndexError (numpy's). obj must be
 * concrete: the output's length depends on it (jnp's too, without assume_unique_indices).
 * Exported as `delete` (a reserved word in JS: `np.delete(...)`).
 */
function del(arr: ArrayInput, obj: number | number[] | boolean[] | Slice | NDArray, opts?: { axis?: number | null } | number | null): NDArray {
  const fn = 'np.delete';
  if (obj === undefined) throw new ValueError(`${fn}: missing argument obj`);
  const { a, axis, n, st } = editTarget(fn, arr, obj, opts);
  if (st === null) {
    throw new TracerError(`${fn}: obj's values are not concrete here (abstract under jit, or batched by vmap), and the output's length depends on them; ` +
      'pass obj as JS integers, a list or a slice');
  }
  const keep = new Array<boolean>(n).fill(true);
  if (st.isBool) {
    if (st.ndim !== 1 || st.vals.length !== n) throw new ValueError(`${fn}: a boolean obj must be 1-d with the length of axis ${axis} (${n}), got ${show(obj)}`);
    st.vals.forEach((b, i) => { if (b) keep[i] = false; });
  } else {
    st.vals.forEach((v) => {
      if (!Number.isInteger(v)) throw new IndexError(`${fn}: index ${show(v)} is not an integer`);
      if (v < -n || v >= n) throw new IndexError(`${fn}: index ${v} is out of bounds for axis ${axis} with size ${n}`);
      keep[v < 0 ? v + n : v] = false;
    });
  }
  const kept = range(n).filter((i) => keep[i]);
  if (kept.length === n) return a;
  return takeAxis(a, int32(kept), axis, { mode: 'clip' });
}
export { del as delete };

// ---------------------------------------------------------------- trimZeros, ediff1d

/**
 * np.trimZeros(filt, trim = 'fb'): the 1-d filt without its leading ('f') and/or trailing ('b')
 * zeros (trim as numpy reads it: 'f', 'b', 'fb' or 'bf', any case). 1-d only (jnp's; numpy 2.2's
 * axis is not taken). The length depends on the values: concrete eagerly and under grad only.
 */
export function trimZeros(filt: ArrayInput, trim: string = 'fb'): NDArray {
  const fn = 'np.trimZeros';
  if (typeof trim !== 'string' || !['fb', 'bf', 'f', 'b'].includes(trim.toLowerCase())) {
    throw new ValueError(`${fn}: trim must be 'f', 'b' or 'fb' (numpy's unexpected character(s) in trim), got ${show(trim)}`);
  }
  const a = operand(fn, 0, filt);
  if (a.ndim !== 1) throw new ValueError(`${fn}: filt must be 1-d (as jnp.trim_zeros), got ${describe(a.shape, a.dtype)}`);
  let nz: ArrayLike<number>;
  try { nz = notEqual(a, 0)._values(fn) as ArrayLike<number>; } catch (e) {
    if (!(e instanceof TracerError)) throw e;
    throw new TracerError(`${fn}: the output's length depends on the values, which are not concrete here (abstract under jit, or batched by vmap); ` +
      'jnp.trim_zeros has no static size either: trim outside jit', { cause: e });
  }
  const t = trim.toLowerCase(), n = a.size;
  let lo = 0, hi = n;
  if (t.includes('f')) while (lo < n && !nz[lo]) lo++;
  if (t.includes('b')) while (hi > lo && !nz[hi - 1]) hi--;
  return slice(a, [Math.min(lo, hi)], [hi]);
}

/**
 * np.ediff1d(ary, toEnd?, toBegin?) or (ary, { toEnd, toBegin }): the differences of the
 * flattened ary, toBegin (flattened) before and toEnd after. jnp's promotion: the result is the
 * common dtype (numpy keeps ary's, refusing a to_begin of another kind). Bool ary is refused (numpy's subtract).
 */
export function ediff1d(ary: ArrayInput, toEnd?: ArrayInput | null | { toEnd?: ArrayInput | null; toBegin?: ArrayInput | null }, toBegin?: ArrayInput | null | { toBegin?: ArrayInput | null }): NDArray {
  const fn = 'np.ediff1d';
  const o = readOptionalPositions<{ toEnd?: ArrayInput | null; toBegin?: ArrayInput | null }>(fn, [toEnd, toBegin], ['toEnd', 'toBegin'], { toEnd: 'any', toBegin: 'any' });
  const a = ravel(operand(fn, 0, ary));
  if (a.dtype === 'bool') throw new DTypeError(`${fn}: ary may not be bool (numpy's subtract refuses bools; jnp's too), got ${describe(a.shape, a.dtype)}; convert with np.astype`);
  const n = a.size;
  const d = n < 2 ? slice(a, [0], [0]) : subtract(slice(a, [1], [n]), slice(a, [0], [n - 1]));
  const extra = [o.toBegin, o.toEnd].filter((v) => v !== undefined && v !== null) as ArrayInput[];
  if (extra.length === 0) return d;
  const dt = commonDtype(fn, [d, ...extra]);
  const part = (v: ArrayInput | null | undefined, i: number) => (v === undefined || v === null ? [] : [ravel(astype(operand(fn, i, v, dt), dt))]);
  return concatenate([...part(o.toBegin, 2), astype(d, dt), ...part(o.toEnd, 1)]);
}

// ---------------------------------------------------------------- compress, extract

export interface CompressOptions { axis?: number | null; size?: number; fillValue?: ArrayInput }

/**
 * np.compress(condition, a, { axis, size, fillValue }): the slices of a along axis (null, the
 * default: flattened) where the 1-d condition holds. A condition shorter than the axis drops the
 * rest (numpy's); longer, its extra entries must be false (jnp's; numpy refuses any extra).
 * jnp's size (and fillValue, default 0) fixes the output's length so it traces under jit and vmap.
 */
export function compress(condition: ArrayInput, a: ArrayInput, opts?: CompressOptions | number | null): NDArray {
  return compressNamed('np.compress', condition, a, opts === null ? { axis: null } : opts, 1);
}

function compressNamed(fn: string, condition: ArrayInput, x: ArrayInput, opts: unknown, aAt: number): NDArray {
  const o = readOptions<CompressOptions>(fn, opts, { axis: 'any', size: 'any', fillValue: 'any' }, 'axis');
  if (x === undefined) throw new ValueError(`${fn}: missing argument ${aAt === 1 ? 'a' : 'arr'}`);
  const size = staticLength(fn, 'size', o.size);
  let c = operand(fn, 0, condition, 'bool');
  if (c.ndim !== 1) throw new ValueError(`${fn}: condition must be 1-d, got ${describe(c.shape, c.dtype)}`);
  if (c.dtype !== 'bool') c = notEqual(c, 0);
  const { a, axis } = arrayAndAxis(fn, x, o.axis);
  const fill = fillOption(fn, o.fillValue, size, a.dtype);
  const n = a.shape[axis];
  if (c.size > n) {
    let extra: ArrayLike<number> | null = null;
    try { extra = slice(c, [n], [c.size])._values(fn) as ArrayLike<number>; } catch (e) { if (!(e instanceof TracerError)) throw e; }
    const bad = extra === null ? -1 : Array.from(extra).findIndex(Boolean);
    if (bad >= 0) throw new IndexError(`${fn}: condition (${c.size} entries) is true at ${n + bad}, out of bounds for axis ${axis} with size ${n} of ${describe(a.shape, a.dtype)}`);
    c = slice(c, [0], [n]);
  }
  const m = moveaxis(a, axis, 0);
  const rows = c.size < n ? slice(m, [0, ...m.shape.slice(1).map(() => 0)], [c.size, ...m.shape.slice(1)]) : m;
  const k = size ?? concreteCount(fn, sum(astype(c, 'int32')), 'size');
  const shape = [k, ...rows.shape.slice(1)];
  let out: NDArray;
  if (rows.shape[0] === 0 || k === 0) {
    out = fill !== null && k > 0 ? broadcastTo(fill, shape) : filled(fn, shape, 0, a.dtype);
  } else {
    const { pos, valid } = firstTrue(c, k);
    out = takeAxis(rows, pos, 0, { mode: 'clip' });
    if (size !== undefined) out = where(reshape(valid, [k, ...shape.slice(1).map(() => 1)]), out, fill ?? filled(fn, [], 0, a.dtype));
  }
  return moveaxis(out, 0, axis);
}

/**
 * np.extract(condition, arr, { size, fillValue }): the entries of the flattened arr where the
 * flattened condition is nonzero (np.compress of the two raveled). jnp's size and fillValue
 * (default 0) fix the length so it traces.
 */
export function extract(condition: ArrayInput, arr: ArrayInput, opts?: { size?: number; fillValue?: ArrayInput }): NDArray {
  const fn = 'np.extract';
  atMost(fn, arguments.length, 3);
  const o = readOptions<{ size?: number; fillValue?: ArrayInput }>(fn, opts, { size: 'any', fillValue: 'any' });
  if (arr === undefined) throw new ValueError(`${fn}: missing argument arr`);
  return compressNamed(fn, ravel(operand(fn, 0, condition)), ravel(operand(fn, 1, arr)), { ...o, axis: 0 }, 2);
}

// ---------------------------------------------------------------- resize, unstack, diagflat

/**
 * np.resize(a, newShape): an Array of newShape filled with the flattened a repeated in order
 * (numpy's, not the array method's zero padding); zeros when a is empty.
 */
export function resize(a: ArrayInput, newShape: number | number[]): NDArray {
  const fn = 'np.resize';
  const shape = typeof newShape === 'number' ? [newShape] : newShape;
  if (!Array.isArray(shape) || shape.some((d) => typeof d !== 'number' || !Number.isInteger(d))) {
    throw new ShapeError(`${fn}: newShape must be an integer or a list of integers, got ${show(newShape)}`);
  }
  if (shape.some((d) => d < 0)) throw new ValueError(`${fn}: all elements of newShape must be non-negative, got ${show(newShape)}`);
  const x = ravel(operand(fn, 0, a));
  const total = shape.reduce((p, q) => p * q, 1);
  if (x.size === 0 || total === 0) return filled(fn, shape, 0, x.dtype);
  const reps = Math.ceil(total / x.size);
  const t = reps > 1 ? tile(x, reps) : x;
  return reshape(t.size === total ? t : slice(t, [0], [total]), shape);
}

/** np.unstack(x, { axis = 0 }): the slices of x along axis, a JS list of Arrays (numpy 2's tuple). */
export function unstack(x: ArrayInput, opts?: { axis?: number } | number): NDArray[] {
  const fn = 'np.unstack';
  const o = readOptions<{ axis?: number }>(fn, opts, { axis: 'any' }, 'axis');
  const a = operand(fn, 0, x);
  const ax0 = intAxis(fn, o.axis, 0);
  if (a.ndim === 0) throw new ValueError(`${fn}: x must have at least 1 dimension, got the 0-d ${describe(a.shape, a.dtype)}`);
  const axis = normalizeAxisList(fn, [ax0], a.ndim)[0];
  const rest = a.shape.filter((_, i) => i !== axis);
  return range(a.shape[axis]).map((i) => reshape(
    slice(a, a.shape.map((_, d) => (d === axis ? i : 0)), a.shape.map((s, d) => (d === axis ? i + 1 : s))), rest));
}

/** np.diagflat(v, k = 0): a 2-d Array with the flattened v on its k-th diagonal. */
export function diagflat(v: ArrayInput, k: number | { k?: number } = 0): NDArray {
  const fn = 'np.diagflat';
  const kk = readOptions<{ k?: unknown }>(fn, k, { k: 'any' }, 'k').k ?? 0;
  if (typeof kk !== 'number' || !Number.isInteger(kk)) throw new ValueError(`${fn}: k must be an integer, got ${show(kk)}`);
  return diag(ravel(operand(fn, 0, v)), kk);
}

// ---------------------------------------------------------------- the array API's unique_*

export interface UniqueSizeOptions { size?: number; fillValue?: ArrayInput }
const UNIQUE_SIZE = { size: 'number', fillValue: 'any' } as const;

/** np.unique with the flags of one unique_* function: NaNs stay apart (equal_nan=False, as numpy 2's and jnp's unique_*). */
function uniqueOf(where: string, nargs: number, x: ArrayInput, opts: UniqueSizeOptions | undefined, flags: { returnIndex?: boolean; returnInverse?: boolean; returnCounts?: boolean }): NDArray[] {
  atMost(where, nargs, 2);
  const o = readOptions<UniqueSizeOptions>(where, opts, UNIQUE_SIZE);
  try {
    const r = unique(x, { ...flags, equalNan: false, size: o.size, fillValue: o.fillValue });
    return r instanceof NDArray ? [r] : r;
  } catch (e) {
    if (e instanceof CotangentError) throw withPublicName(where, e);
    throw e;
  }
}

/** np.uniqueValues(x, { size, fillValue }): np.unique(x) with each NaN kept apart (the array API's unique_values). */
export function uniqueValues(x: ArrayInput, opts?: UniqueSizeOptions): NDArray {
  return uniqueOf('np.uniqueValues', arguments.length, x, opts, {})[0];
}

/** np.uniqueCounts(x, { size, fillValue }): [values, counts] with fields values and counts (jnp's UniqueCountsResult). */
export function uniqueCounts(x: ArrayInput, opts?: UniqueSizeOptions): Named<[NDArray, NDArray], 'values' | 'counts'> {
  const [values, counts] = uniqueOf('np.uniqueCounts', arguments.length, x, opts, { returnCounts: true });
  return named([values, counts] as [NDArray, NDArray], ['values', 'counts']);
}

/** np.uniqueInverse(x, { size, fillValue }): [values, inverseIndices] (x's shape) with those fields (jnp's UniqueInverseResult). */
export function uniqueInverse(x: ArrayInput, opts?: UniqueSizeOptions): Named<[NDArray, NDArray], 'values' | 'inverseIndices'> {
  const [values, inverse] = uniqueOf('np.uniqueInverse', arguments.length, x, opts, { returnInverse: true });
  return named([values, inverse] as [NDArray, NDArray], ['values', 'inverseIndices']);
}

/** np.uniqueAll(x, { size, fillValue }): [values, indices, inverseIndices, counts] with those fields (jnp's UniqueAllResult, in its order). */
export function uniqueAll(x: ArrayInput, opts?: UniqueSizeOptions): Named<[NDArray, NDArray, NDArray, NDArray], 'values' | 'indices' | 'inverseIndices' | 'counts'> {
  const [values, indices, inverse, counts] = uniqueOf('np.uniqueAll', arguments.length, x, opts, { returnIndex: true, returnInverse: true, returnCounts: true });
  return named([values, indices, inverse, counts] as [NDArray, NDArray, NDArray, NDArray], ['values', 'indices', 'inverseIndices', 'counts']);
}
