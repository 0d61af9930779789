// Indexing on the gather / scatter_add primitives. Static indices (JS numbers, lists, slice
// strings) follow numpy: out of range is an IndexError. Index Arrays (int32, traced or not) follow
// JAX: np.index and .at().get clamp, np.take / takeAlongAxis fill (NaN for floats) by default,
// .at().set/add/mul/min/max drop out-of-range updates; negative indices count from the end.
import { NDArray, ArrayInput } from './array.js';
import * as lax from './lax.js';
import {
  astype, reshape, broadcastTo, broadcastShapes, where as npWhere, multiply, minimum, maximum, greaterEqual, less, commonDtype,
  divide, power, negative, onesLike, greater,
} from './numpy.js';
import { foriLoop } from './lax_control.js';
import { callSync } from './transforms/trace_args.js';
import { operand, normalizeAxisList } from './np_shared.js';
import { atMost, axisArg, readOptions, required, show } from './options.js';
import { CotangentError, IndexError, DTypeError, ValueError, ShapeError, TracerError, describe } from '../core/errors.js';
import { withPublicName } from './arity.js';
import { iinfo } from './np_dtype_info.js';
import { dynamicUpdateSlice } from './np_rearrange.js';
import { filled } from './creation.js';
import { isComplex, isInteger, DType } from '../core/dtype.js';
import { rowFlags, VIEW, HAS_VALUE, inTrace, scope } from '../core/trace.js';

export const range = (n: number, from = 0) => Array.from({ length: Math.max(0, n) }, (_, i) => from + i);
/** A concrete int32 array. */
export const int32 = (vals: ArrayLike<number>, shape: number[] = [vals.length]): NDArray => new NDArray(shape, 'int32', Int32Array.from(vals));

/** Static indices (numpy): integers in [-n, n), negative ones counted from the end. */
function checkStatic(where: string, vals: number[], n: number, axis: number): number[] {
  return vals.map((v) => {
    if (!Number.isInteger(v)) throw new IndexError(`${where}: index ${show(v)} is not an integer`);
    if (v < -n || v >= n) throw new IndexError(`${where}: index ${v} is out of bounds for axis ${axis} with size ${n}`);
    return v < 0 ? v + n : v;
  });
}

/** An index Array: int32 (bool masks are handled by the callers). */
export function indexArray(where: string, a: NDArray): NDArray {
  // uint32 indices (numpy and JAX take any integer dtype): those past int32 are out of range of
  // every axis, as int32's largest is, so they clamp or drop alike (a plain convert wrapped them negative)
  if (a.dtype === 'uint32') return lax.convertElementType(minimum(a, lax.full([], 2 ** 31 - 1, 'uint32')), 'int32');
  if (a.dtype !== 'int32') throw new DTypeError(`${where}: index arrays must be int32 or uint32 (or bool masks), got ${describe(a.shape, a.dtype)}; build them with np.array(..., { dtype: 'int32' })`);
  return a;
}

/** Nested JS numbers: their flat values and shape. */
export function nestedInts(x: unknown): { vals: number[]; shape: number[] } {
  // (an Int32Array of indices, a JAX port's habit, or an object reached x.flat: 'x.flat is not a function')
  if (ArrayBuffer.isView(x) && !(x instanceof DataView) && !(x instanceof BigInt64Array) && !(x instanceof BigUint64Array)) {
    if (x instanceof Float32Array || x instanceof Float64Array) {
      throw new DTypeError(`indices must be integers, got ${show(x)} (numpy's IndexError for float indices); pass an Int32Array or an int32 Array`);
    }
    const t = x as unknown as ArrayLike<number>;
    return { vals: Array.from(t), shape: [t.length] };
  }
  if (!Array.isArray(x)) throw new DTypeError(`indices must be integers (an int32 Array, a JS integer, a list or an integer typed array), got ${show(x)}`);
  const shape: number[] = [];
  let cur: unknown = x;
  while (Array.isArray(cur)) { shape.push(cur.length); cur = cur[0]; }
  const vals = (x as unknown[]).flat(Infinity) as number[];
  // a ragged list ([1, [2]]) flattened into another shape's worth of indices (numpy refuses it)
  if (vals.length !== shape.reduce((a, b) => a * b, 1) || !rectangular(x, shape, 0)) {
    throw new ShapeError(`an index list must be rectangular (as numpy's), got the ragged ${show(x)}`);
  }
  return { vals, shape };
}
function rectangular(x: unknown, shape: number[], d: number): boolean {
  if (d === shape.length) return !Array.isArray(x);
  return Array.isArray(x) && x.length === shape[d] && x.every((v) => rectangular(v, shape, d + 1));
}

/** x gathered along `axis` by int32 indices of any shape (their dims replace the axis). */
export function takeAxis(x: NDArray, idx: NDArray, axis: number, opts: lax.IndexOptions): NDArray {
  const ib = idx.ndim;
  const offsetDims = [...range(axis), ...range(x.ndim - 1 - axis, axis + ib)];
  return lax.gather(x, reshape(idx, [...idx.shape, 1]), { offsetDims, collapsedSliceDims: [axis], startIndexMap: [axis] },
    x.shape.map((d, i) => (i === axis ? 1 : d)), opts);
}

// ---------------------------------------------------------------- take, takeAlongAxis

export type TakeMode = 'fill' | 'clip' | 'wrap';
export interface TakeOptions { axis?: number | null; mode?: TakeMode; fillValue?: number | boolean }

function modeOptions(where: string, mode: unknown, isStatic: boolean, clipNegatives = false): lax.IndexOptions {
  if (mode !== undefined && mode !== 'fill' && mode !== 'clip' && mode !== 'wrap') {
    throw new ValueError(`${where}: mode must be 'fill', 'clip' or 'wrap', got ${show(mode)}`);
  }
  if (mode === 'wrap') return { wrap: true };
  // np.take's clip clamps a negative index to 0 (numpy: clip "disables indexing with negative
  // numbers"; jnp.take passes them raw to CLIP); take_along_axis counts them from the end first
  if (mode === 'clip') return { mode: 'clip', negativeIndices: !isStatic && !clipNegatives };
  return isStatic ? { mode: 'clip' } : { mode: 'fill', negativeIndices: true, fillNaN: true };
}

/**
 * JS indices with a mode, resolved in JS (exactly: a JS integer past int32 wrapped modulo 2^32 in
 * the int32 conversion): wrap to [0, n), clip to [0, n - 1] (negatives too, as np.take's clip) or,
 * for fill, counted from the end when in [-n, n) and n (out of bounds: filled) otherwise.
 */
function resolveModeIndices(where: string, vals: number[], n: number, mode: TakeMode, clipNegatives: boolean): number[] {
  return vals.map((v) => {
    if (!Number.isInteger(v)) throw new IndexError(`${where}: index ${show(v)} is not an integer`);
    if (mode === 'wrap') return ((v % n) + n) % n;
    if (mode === 'clip') return Math.min(Math.max(clipNegatives || v >= 0 ? v : v + n, 0), n - 1);
    return v < -n || v >= n ? n : v < 0 ? v + n : v;
  });
}

/**
 * np.take: elements of x (flattened when axis is null) along `axis`. Static indices out of
 * range are an IndexError (numpy) unless a mode is given; index Arrays follow JAX: mode 'fill'
 * (NaN for floats) by default, 'clip' and 'wrap' on request.
 */
export function take(x: ArrayInput, indices: ArrayInput, opts?: TakeOptions): NDArray {
  const where = 'np.take';
  atMost(where, arguments.length, 3);
  const o = readOptions<TakeOptions>(where, opts, { axis: 'axis', mode: 'any', fillValue: 'any' }, 'axis');
  if (o.fillValue !== undefined) return takeFilled(where, x, indices, o);
  required(where, 'indices', indices);
  if (typeof indices !== 'number' && typeof indices !== 'object') throw new DTypeError(`${where}: indices must be integers (an int32 Array, a JS integer or a list), got ${show(indices)}`);
  let a = operand(where, 0, x);
  let axis: number;
  if (o.axis === undefined || o.axis === null) { a = reshape(a, [-1]); axis = 0; } else axis = normalizeAxisList(where, [o.axis], a.ndim)[0];
  const n = a.shape[axis];
  modeOptions(where, o.mode, false); // (the mode checked)
  if (indices instanceof NDArray) {
    const idx = indexArray(where, indices);
    if (n === 0 && idx.size > 0) throw new IndexError(`${where}: cannot take ${idx.size} elements from an empty axis ${axis} of ${describe(a.shape, a.dtype)} (as JAX)`);
    return takeAxis(a, idx, axis, modeOptions(where, o.mode, false, true));
  }
  const { vals, shape } = typeof indices === 'number' ? { vals: [indices], shape: [] } : nestedInts(indices);
  if (o.mode === undefined) return takeAxis(a, int32(checkStatic(where, vals, n, axis), shape), axis, { mode: 'clip' });
  if (n === 0 && vals.length > 0) throw new IndexError(`${where}: cannot take ${vals.length} elements from an empty axis ${axis} of ${describe(a.shape, a.dtype)} (as JAX)`);
  const fixed = resolveModeIndices(where, vals, n, o.mode, true);
  return takeAxis(a, int32(fixed, shape), axis, o.mode === 'fill' ? modeOptions(where, 'fill', false) : { mode: 'clip' });
}

/**
 * jnp.take(..., fill_value=v): mode 'fill' with v where an index is out of range (outside
 * [-n, n); NaN, or the dtype's extreme for ints, is the fill otherwise). The positions are found
 * from the indices, not the values (a NaN in x stays a NaN).
 */
function takeFilled(where: string, x: ArrayInput, indices: ArrayInput, o: TakeOptions): NDArray {
  if (o.mode !== undefined && o.mode !== 'fill') throw new ValueError(`${where}: fillValue goes with mode 'fill' (JAX's), got mode ${show(o.mode)}`);
  if (typeof o.fillValue !== 'number' && typeof o.fillValue !== 'boolean') throw new ValueError(`${where}: fillValue must be a JS number or boolean, got ${show(o.fillValue)}`);
  const a0 = operand(where, 0, x);
  const flat = o.axis === undefined || o.axis === null;
  const a = flat ? reshape(a0, [-1]) : a0;
  const axis = flat ? 0 : normalizeAxisList(where, [o.axis as number], a.ndim)[0];
  const n = a.shape[axis];
  const idx = indices instanceof NDArray ? indexArray(where, indices)
    : (() => { const { vals, shape } = typeof indices === 'number' ? { vals: [indices], shape: [] } : nestedInts(indices); return int32(vals.map((v) => Math.min(Math.max(v, -(2 ** 31)), 2 ** 31 - 1)), shape); })();
  const out = take(a, idx, { axis, mode: 'fill' });
  fillFits(where, o.fillValue, out.dtype);
  const valid = lax.bitwiseAnd(greaterEqual(idx, -n), less(idx, n));
  const spread = reshape(valid, [...Array(axis).fill(1), ...idx.shape, ...Array(a.ndim - axis - 1).fill(1)]);
  return npWhere(spread, out, astype(o.fillValue, out.dtype));
}

/**
 * A JS number fill meeting an integer array must fit it (its integer part; NaN never does), as
 * initialAs's rule: uint32 take with fillValue -1 used to saturate to 0, int32 with 2**31 to 2**31-1.
 */
function fillFits(where: string, fill: number | boolean, dtype: DType): void {
  if (typeof fill !== 'number' || !isInteger(dtype)) return;
  const { min, max } = iinfo(dtype);
  const t = Math.trunc(fill);
  if (!(t >= min && t <= max)) {
    throw new ValueError(`${where}: fillValue ${fill} does not fit in the ${dtype} array [${min}, ${max}] (never saturated; JAX raises OverflowError); ` +
      'convert the array with np.astype first');
  }
}

/** np.takeAlongAxis: x[..., indices[...], ...] along `axis` (shapes broadcast elsewhere), JAX's modes. */
export function takeAlongAxis(x: ArrayInput, indices: ArrayInput, axisGiven: number | null | { axis?: number | null }, opts?: { mode?: TakeMode }): NDArray {
  const where = 'np.takeAlongAxis';
  required(where, 'indices', indices);
  required(where, 'axis (a number, or null for the flattened array)', axisGiven);
  let axis = axisArg(where, axisGiven) ?? null;
  const o = readOptions<{ mode?: TakeMode }>(where, opts, { mode: 'any' });
  let a = operand(where, 0, x);
  let idx: NDArray;
  const isStatic = !(indices instanceof NDArray) && o.mode === undefined;
  if (indices instanceof NDArray) idx = indexArray(where, indices);
  else {
    const { vals, shape } = typeof indices === 'number' ? { vals: [indices], shape: [] } : nestedInts(indices);
    vals.forEach((v) => { if (!Number.isInteger(v)) throw new IndexError(`${where}: index ${show(v)} is not an integer`); });
    // past int32, an index is out of bounds all the same (int32 conversion wrapped it modulo 2^32)
    const ax0 = axis === null ? 0 : normalizeAxisList(where, [axis], a.ndim)[0], axisLen = axis === null ? a.size : a.shape[ax0];
    idx = int32(isStatic ? checkStatic(where, vals, axisLen, ax0)
      : o.mode === 'wrap' ? vals.map((v) => ((v % axisLen) + axisLen) % axisLen) : vals.map((v) => Math.min(Math.max(v, -(2 ** 31)), 2 ** 31 - 1)), shape);
  }
  if (axis === null) { a = reshape(a, [-1]); idx = reshape(idx, [-1]); axis = 0; }
  if (idx.ndim !== a.ndim) throw new ShapeError(`${where}: indices ${describe(idx.shape, idx.dtype)} and array ${describe(a.shape, a.dtype)} must have the same number of dimensions`);
  const ax = normalizeAxisList(where, [axis], a.ndim)[0];
  if (a.shape[ax] === 0 && idx.size > 0 && (o.mode === 'clip' || o.mode === 'wrap')) { // (nothing to clip or wrap to)
    throw new IndexError(`${where}: cannot take ${idx.size} elements from an empty axis ${ax} of ${describe(a.shape, a.dtype)} (as JAX)`);
  }
  if (isStatic) idx = int32(checkStatic(where, Array.from(idx._values(where)), a.shape[ax], ax), idx.shape);
  const shape = broadcastShapes(where, a.shape.map((d, i) => (i === ax ? 1 : d)), idx.shape.map((d, i) => (i === ax ? 1 : d)));
  const outShape = shape.map((d, i) => (i === ax ? idx.shape[ax] : d));
  a = broadcastTo(a, shape.map((d, i) => (i === ax ? a.shape[ax] : d)));
  const mode = isStatic ? { mode: 'clip' as const } : modeOptions(where, o.mode, false);
  return a.size === 0 || idx.size === 0 ? takeAlongVectors(a, idx, ax, outShape, mode) : takeAlongFlat(a, idx, ax, outShape, mode);
}

/** takeAlongAxis as XLA's gather with one full index vector per element (its other axes' iotas): the empty cases. */
function takeAlongVectors(a: NDArray, idx: NDArray, ax: number, outShape: number[], mode: lax.IndexOptions): NDArray {
  const parts = range(a.ndim).map((d) => {
    const comp = d === ax ? broadcastTo(idx, outShape)
      : broadcastTo(reshape(int32(range(outShape[d])), outShape.map((s, i) => (i === d ? s : 1))), outShape);
    return reshape(comp, [...outShape, 1]);
  });
  const vecs = parts.length === 1 ? parts[0] : lax.concatenate(parts, a.ndim);
  return lax.gather(a, vecs, { offsetDims: [], collapsedSliceDims: range(a.ndim), startIndexMap: range(a.ndim) }, a.shape.map(() => 1), mode);
}

/**
 * takeAlongAxis as one gather from x flattened, at each element's flat position: the index along
 * `ax` resolved by the mode first (wrap, clip, or fill with negatives counted from the end), an
 * out-of-range one under fill sent past the end, where the 1-d gather fills it (and its transpose
 * drops it). An index vector per element cost ~60-130 ns an element (1e6: 135 ms, ~10 ms so).
 */
function takeAlongFlat(a: NDArray, idx: NDArray, ax: number, outShape: number[], mode: lax.IndexOptions | 'in bounds'): NDArray {
  const n = a.shape[ax], nd = a.ndim, i32 = (v: number) => lax.full(outShape, v, 'int32');
  const strides = a.shape.map((_, d) => a.shape.slice(d + 1).reduce((p, q) => p * q, 1));
  let r = broadcastTo(idx, outShape);
  let valid: NDArray | null = null;
  if (mode === 'in bounds') { /* a permutation: nothing to resolve */ } else if (mode.wrap) r = lax.rem(lax.add(lax.rem(r, i32(n)), i32(n)), i32(n));
  else {
    if (mode.negativeIndices) r = lax.select(lax.bitwiseAnd(lax.lt(r, i32(0)), lax.ge(r, i32(-n))), lax.add(r, i32(n)), r);
    if (mode.mode === 'fill') valid = lax.bitwiseAnd(lax.ge(r, i32(0)), lax.lt(r, i32(n)));
    r = lax.max(lax.min(r, i32(n - 1)), i32(0));
  }
  let flat = strides[ax] === 1 ? r : lax.mul(r, i32(strides[ax]));
  for (let d = 0; d < nd; d++) {
    if (d === ax || outShape[d] === 1) continue;
    const along = lax.broadcastInDim(lax.mul(lax.iota('int32', outShape[d]), lax.full([outShape[d]], strides[d], 'int32')), outShape, [d]);
    flat = lax.add(flat, along);
  }
  if (valid !== null) flat = lax.select(valid, flat, i32(a.size)); // past the end: filled
  const g = lax.gather(reshape(a, [a.size]), reshape(flat, [...outShape, 1]), { offsetDims: [], collapsedSliceDims: [0], startIndexMap: [0] }, [1],
    valid !== null && mode !== 'in bounds' ? { mode: 'fill', fillNaN: mode.fillNaN } : { mode: 'clip' });
  return g;
}

/**
 * @internal takeAlongAxis(a, perm, axis) for a permutation along `axis` (argsort's: every index in
 * [0, n), same shape as a): the gather alone (the gather still clamps), without the rows that
 * resolve negative and out-of-range indices (9 elementwise passes over the indices: a sort of
 * 1M float32 spent 7 of its 18 ms there).
 */
export function takeAlongPermutation(a: NDArray, perm: NDArray, axis: number): NDArray {
  if (a.size === 0) return takeAlongAxis(a, perm, axis, { mode: 'clip' });
  return takeAlongFlat(a, perm, normalizeAxisList('takeAlongPermutation', [axis], a.ndim)[0], a.shape, 'in bounds');
}

// ---------------------------------------------------------------- np.index and x.at

/** A slice: a numpy-style string ('1:5', '::-1', ':') or { start, stop, step }. */
export type Slice = string | { start?: number | null; stop?: number | null; step?: number | null };
export type IndexItem = number | null | Slice | NDArray | number[] | boolean[] | NestedIndex;
type NestedIndex = (number | NestedIndex)[];

function parseSlice(where: string, s: Slice): { start: number | null; stop: number | null; step: number | null } {
  if (typeof s !== 'string') {
    // a Map, Date or Promise has no own keys: it read as the full slice
    const proto = Object.getPrototypeOf(s);
    if (proto !== Object.prototype && proto !== null) throw new IndexError(`${where}: an index is a number, a slice ('1:3' or { start, stop, step }), a list or an Array; got ${show(s)}`);
    // a typo'd key ({ strat: 3 }) was a full slice, and { start: 1.5 } was truncated
    for (const [k, v] of Object.entries(s)) {
      if (k !== 'start' && k !== 'stop' && k !== 'step') throw new IndexError(`${where}: a slice object has keys start, stop, step; got '${k}'`);
      if (v !== null && v !== undefined && !Number.isInteger(v)) throw new IndexError(`${where}: slice ${k} must be an integer or null, got ${show(v)}`);
    }
    return { start: s.start ?? null, stop: s.stop ?? null, step: s.step ?? null };
  }
  // (numpy's x[:, 1:3] written as one string: say how to index several axes)
  if (s.includes(',')) throw new IndexError(`${where}: '${s}' holds several axes' indices in one string; pass one index per axis (numpy's x[:, 1:3] is x.get(':', '1:3'))`);
  const parts = s.split(':');
  if (parts.length < 2 || parts.length > 3) {
    // (x.get('0'), an integer read from a form or a key: say it is a string)
    const int = /^\s*[+-]?\d+\s*$/.test(s) ? `; an integer index is a JS number: ${Number(s)}, not the string '${s}'` : '';
    throw new IndexError(`${where}: '${s}' is not a slice (start:stop[:step])${int}`);
  }
  const num = (p: string): number | null => {
    if (p.trim() === '') return null;
    const v = /^\s*[+-]?\d+\s*$/.test(p) ? Number(p) : NaN; // (Number() took '0x1' and '1e0' as 1)
    if (!Number.isInteger(v)) throw new IndexError(`${where}: slice '${s}' has a non-integer bound '${p}'`);
    return v;
  };
  return { start: num(parts[0]), stop: num(parts[1]), step: parts.length === 3 ? num(parts[2]) : null };
}

/**
 * Python's slice.indices: the positions a slice selects in a dim of size n, as start + k step for
 * k < count (a list of them, walked in JS, made x.get('1:') of 1e6 elements take 35 ms).
 */
function sliceIndices(where: string, s: Slice, n: number): SliceRun {
  const { start, stop, step: st } = parseSlice(where, s);
  const step = st ?? 1;
  if (step === 0) throw new ValueError(`${where}: slice step cannot be zero`);
  const clampB = (v: number | null, dflt: number, lo: number, hi: number) => {
    if (v === null) return dflt;
    if (v < 0) v += n;
    return Math.min(Math.max(v, lo), hi);
  };
  const b = step > 0 ? clampB(start, 0, 0, n) : clampB(start, n - 1, -1, n - 1);
  const e = step > 0 ? clampB(stop, n, 0, n) : clampB(stop, -1, -1, n - 1);
  return { start: b, step, count: Math.max(0, Math.ceil((e - b) / step)) };
}

interface SliceRun { start: number; step: number; count: number }

type Dim =
  | ({ kind: 'slice' } & SliceRun)
  | { kind: 'int'; value: number }
  | { kind: 'array'; idx: NDArray; isStatic: boolean };

function isSliceObject(v: unknown): v is Slice {
  return typeof v === 'string' || (v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof NDArray) && !ArrayBuffer.isView(v));
}

/** JAX's x.at[...].get(mode=..., fill_value=...) options are not taken here: refused, not dropped. */
function noModes(where: string, given: number, max: number): void {
  if (given > max) {
    throw new ValueError(`${where}: takes ${max === 0 ? 'no arguments' : 'one argument (the update)'}, got ${given}; JAX's mode and fill_value ` +
      "options are not supported (indices clamp for get and drop out of range for updates); np.take(x, i, { mode: 'fill' }) fills");
  }
}

const isScalarMask = (it: IndexItem): it is NDArray => it instanceof NDArray && it.dtype === 'bool' && it.ndim === 0;

/** How many dims of x an index item consumes (a bool mask: its rank; null and '...': none). */
const consumes = (it: IndexItem) => it === null || it === '...' ? 0
  : it instanceof NDArray && it.dtype === 'bool' ? it.ndim
  : Array.isArray(it) && nestedInts(it).vals.every((v) => typeof v === 'boolean') && nestedInts(it).vals.length > 0 ? nestedInts(it).shape.length : 1;

/** The items with '...' expanded into ':'s and ':'s appended until every dim of x is indexed. */
function expandItems(where: string, x: NDArray, items: IndexItem[]): IndexItem[] {
  const expanded: IndexItem[] = [];
  const nEll = items.filter((it) => it === '...').length;
  if (nEll > 1) throw new IndexError(`${where}: an index can only have a single ellipsis ('...')`);
  const used = items.reduce<number>((n, it) => n + consumes(it), 0);
  if (used > x.ndim) throw new IndexError(`${where}: too many indices for array ${describe(x.shape, x.dtype)}: ${used} were indexed`);
  for (const it of items) {
    if (it === '...') for (let i = 0; i < x.ndim - used; i++) expanded.push(':');
    else expanded.push(it);
  }
  while (expanded.filter((it) => it !== null).reduce<number>((n, it) => n + consumes(it), 0) < x.ndim) expanded.push(':');
  return expanded;
}

/** Per-dim index plan for x and the items; `newAxes` are positions in the basic result. */
function plan(where: string, x: NDArray, items: IndexItem[]): { dims: Dim[]; newAxes: number[] } {
  const expanded = expandItems(where, x, items);
  const dims: Dim[] = [];
  const newAxes: number[] = [];
  let d = 0, outPos = 0;
  for (const it of expanded) {
    if (it === null) { newAxes.push(outPos++); continue; }
    const n = x.shape[d];
    if (typeof it === 'number') { dims.push({ kind: 'int', value: checkStatic(where, [it], n, d)[0] }); d++; continue; }
    if (isSliceObject(it)) { dims.push({ kind: 'slice', ...sliceIndices(where, it, n) }); d++; outPos++; continue; }
    if (it instanceof NDArray && it.dtype === 'bool') {
      // A mask: its nonzero positions, one int32 index array per masked dim (needs its values).
      const k = it.ndim, vals = it._values(where);
      // a mask dim of size 0 matches an axis of any length (numpy's, and jnp's `s1 in (0, s2)`): it
      // selects nothing (x[..., np.zeros(0, bool)] of a [1, 3, 5] is [1, 3, 0]; it was an IndexError)
      if (!it.shape.every((s, i) => d + i < x.ndim && (s === x.shape[d + i] || s === 0))) throw new IndexError(`${where}: boolean index ${describe(it.shape, it.dtype)} does not match ${describe(x.shape, x.dtype)} at dim ${d}`);
      const coords: number[][] = range(k).map(() => []);
      for (let flat = 0; flat < vals.length; flat++) {
        if (!vals[flat]) continue;
        let r = flat;
        for (let i = k - 1; i >= 0; i--) { coords[i].push(r % it.shape[i]); r = Math.floor(r / it.shape[i]); }
      }
      for (let i = 0; i < k; i++) dims.push({ kind: 'array', idx: int32(coords[i]), isStatic: true });
      d += k; outPos++;
      continue;
    }
    if (it instanceof NDArray) { dims.push({ kind: 'array', idx: indexArray(where, it), isStatic: false }); d++; outPos++; continue; }
    if (Array.isArray(it) || (ArrayBuffer.isView(it) && !((it as unknown) instanceof DataView))) { // (an Int32Array, as np.take takes: it was 'unsupported index')
      // A JS list of index Arrays is JAX's tuple index x[jnp.nonzero(x)] ported as x.get(np.nonzero(x)):
      // it read as a nested list of integers and failed with 'index an Array int32[3] is not an integer'.
      if (Array.isArray(it) && (it as unknown[]).flat(Infinity).some((v) => v instanceof NDArray)) {
        throw new IndexError(`${where}: a JS list holding index Arrays is not an index (a Python tuple index such as x[jnp.nonzero(x)] is ` +
          'the items themselves here): spread it, x.get(...np.nonzero(x)) or x.at(...idx).set(v), or stack the Arrays into one int32 Array');
      }
      const { vals, shape } = nestedInts(it);
      if (vals.length > 0 && vals.every((v) => typeof v === 'boolean')) {
        return plan(where, x, items.map((i2) => (i2 === it ? reshape(new NDArray(shape, 'bool', Uint8Array.from(vals as unknown as boolean[], (b) => (b ? 1 : 0))), shape) : i2)));
      }
      dims.push({ kind: 'array', idx: int32(checkStatic(where, vals, n, d), shape), isStatic: true });
      d++; outPos++;
      continue;
    }
    throw new IndexError(`${where}: unsupported index ${show(it)} (integers, slices like '1:3', null, '...', int32 or bool Arrays, lists)`);
  }
  return { dims, newAxes };
}

/**
 * Whether a '...' stands between two advanced indices (index Arrays, lists, and integers beside
 * them): numpy then moves the advanced axes to the front even when the '...' covers no axis (and
 * JAX does, since jax#25109); expanded, an empty '...' leaves no trace, so this is read first.
 */
function splitByEllipsis(items: IndexItem[]): boolean {
  const arrays = items.some((it) => (it instanceof NDArray && !isScalarMask(it)) || Array.isArray(it));
  if (!arrays) return false;
  const adv = items.map((it, i) => ((it instanceof NDArray && !isScalarMask(it)) || Array.isArray(it) || typeof it === 'number' ? i : -1)).filter((i) => i >= 0);
  return adv.length > 1 && items.slice(adv[0], adv[adv.length - 1]).includes('...');
}

/** x[items] with `arrayMode` for index Arrays (JAX: clip for indexing, fill-and-drop for .at updates). */
export function indexWith(where: string, x: NDArray, given: IndexItem[], arrayMode: lax.IndexOptions,
  ellipsisSplits = splitByEllipsis(given)): NDArray {
  // A 0-d bool index is numpy's new axis of length 1 (true) or 0 (false): x gets a size-1 axis
  // there, which a 1-d mask then indexes (it was ignored, so x.at(np.array(false)).set(v) set
  // every element). Other new axes (null) become ':' over their size-1 axes, as below.
  if (given.some(isScalarMask)) {
    const fromMask = given.filter((it) => it === null || isScalarMask(it));
    const expanded = expandItems(where, x, given.map((it) => (isScalarMask(it) ? null : it)));
    const shape: number[] = [], items: IndexItem[] = [];
    let d = 0;
    for (const it of expanded) {
      if (it !== null) { for (let k = 0; k < consumes(it); k++) shape.push(x.shape[d++]); items.push(it); continue; }
      shape.push(1);
      const m = fromMask.shift();
      items.push(m instanceof NDArray ? reshape(m, [1]) : ':');
    }
    return indexWith(where, reshape(x, shape), items, arrayMode, ellipsisSplits);
  }
  const items = given;
  const { dims, newAxes } = plan(where, x, items);
  const hasArrays = dims.some((p) => p.kind === 'array');
  if (hasArrays && newAxes.length > 0) {
    // numpy treats a new axis as a full slice over an inserted size-1 dim (so it also separates
    // advanced indices, which then move to the front): index that view of x instead.
    const expanded = expandItems(where, x, items);
    const shape: number[] = [];
    let d = 0;
    for (const it of expanded) {
      if (it === null) { shape.push(1); continue; }
      for (let k = 0; k < consumes(it); k++) shape.push(x.shape[d++]);
    }
    return indexWith(where, reshape(x, shape), expanded.map((it) => (it === null ? ':' : it)), arrayMode, ellipsisSplits);
  }
  // Integers are advanced indices when arrays are present (numpy's placement rule).
  const plans: Dim[] = dims.map((p) => (p.kind === 'int' && hasArrays ? { kind: 'array', idx: int32([p.value], []), isStatic: true } : p));
  let r = x;
  // The contiguous slices (step 1, or one element) first, all of them as one window: axis by axis
  // each made an intermediate, and x.get('0:100', '0:500') of a 1000 x 1000 built a 1000 x 500 one.
  const window = (p: Dim, d: number): boolean =>
    p.kind === 'slice' && p.count > 0 && (p.step === 1 || p.count === 1) && !(p.count === x.shape[d] && p.start === 0);
  if (plans.some(window)) {
    const all = range(x.ndim);
    const run = (p: Dim) => p as SliceRun;
    const starts = plans.map((p, d) => (window(p, d) ? run(p).start : 0)), sizes = plans.map((p, d) => (window(p, d) ? run(p).count : x.shape[d]));
    r = lax.gather(x, int32(starts), { offsetDims: all, collapsedSliceDims: [], startIndexMap: all }, sizes, { mode: 'clip' });
  }
  // The other slices and (basic) integers, last dim first so the dim numbers stay valid.
  for (let d = plans.length - 1; d >= 0; d--) {
    const p = plans[d];
    if (window(p, d)) continue;
    if (p.kind === 'slice' && !(p.count === r.shape[d] && p.start === 0 && (p.step === 1 || p.count <= 1))) r = sliceAxis(r, p, d);
    else if (p.kind === 'int') r = takeAxis(r, int32([p.value], []), d, { mode: 'clip' });
  }
  const adv = plans.map((p, d) => (p.kind === 'array' ? d : -1)).filter((d) => d >= 0);
  if (adv.length > 0) {
    const arrs = adv.map((d) => (plans[d] as { idx: NDArray }).idx);
    const B = broadcastShapes(where, ...arrs.map((a) => a.shape));
    const empty = adv.find((d) => r.shape[d] === 0);
    if (empty !== undefined && B.every((s) => s > 0) && arrayMode.mode !== 'fill') { // (a read clamps: there is nothing to clamp to)
      throw new IndexError(`${where}: cannot take ${B.reduce((p, q) => p * q, 1)} elements from an empty axis ${empty} of ${describe(x.shape, x.dtype)} (as JAX)`);
    }
    const vecs = arrs.map((a) => reshape(broadcastTo(a, B), [...B, 1]));
    const idx = vecs.length === 1 ? vecs[0] : lax.concatenate(vecs, B.length);
    const adjacent = !ellipsisSplits && adv.every((d, i) => i === 0 || d === adv[i - 1] + 1);
    const rest = r.ndim - adv.length, p0 = adjacent ? adv[0] : 0;
    const offsetDims = [...range(p0), ...range(rest - p0, p0 + B.length)];
    const allStatic = adv.every((d) => (plans[d] as { isStatic: boolean }).isStatic);
    r = lax.gather(r, idx, { offsetDims, collapsedSliceDims: adv, startIndexMap: adv }, r.shape.map((s, i) => (adv.includes(i) ? 1 : s)),
      allStatic ? { mode: 'clip' } : arrayMode);
  }
  if (newAxes.length > 0) {
    const s = [...r.shape];
    for (const p of newAxes) s.splice(p, 0, 1);
    r = reshape(r, s);
  }
  return r;
}

/**
 * numpy indexing as a function: `np.index(x, 0, ':', '1::2', null, '...', idx)`. Integers and
 * slice strings are static (out of range: IndexError); int32 index Arrays clamp (JAX); bool masks
 * select where true; arrays broadcast and are placed as numpy's advanced indexing places them.
 */
export function index(x: ArrayInput, ...items: IndexItem[]): NDArray {
  return indexWith('np.index', operand('np.index', 0, x), items, { mode: 'clip', negativeIndices: true });
}

/**
 * How many times the most indexed position of x is indexed by static `items` (JS numbers, slices,
 * lists, typed arrays: no Array), computed in JS; null when an item is an Array. Slices and
 * integers name distinct positions, so only the advanced lists can repeat one.
 */
function staticRounds(where: string, x: NDArray, items: IndexItem[]): number | null {
  // (a concrete index Array counts too: one closed over by a jitted function is known while it
  // traces; refused, jit(grad) of x.at(idx).apply(f) was a while loop, which reverse mode refuses)
  if (items.some((it) => it instanceof NDArray && it.isTracer)) return null;
  if (inTrace() && items.some((it) => it instanceof NDArray)) {
    try { return countRounds(where, x, items); } catch (e) { if (e instanceof TracerError) return null; throw e; }
  }
  return countRounds(where, x, items);
}
function countRounds(where: string, x: NDArray, items: IndexItem[]): number {
  const { dims } = plan(where, x, items);
  if (x.size === 0 || dims.some((p) => p.kind === 'slice' && p.count === 0)) return 0;
  const adv = dims.filter((p): p is { kind: 'array'; idx: NDArray; isStatic: boolean } => p.kind === 'array');
  if (adv.length === 0) return 1;
  const B = broadcastShapes(where, ...adv.map((p) => p.idx.shape));
  const n = B.reduce((a, b) => a * b, 1);
  const vals = adv.map((p) => p.idx._values(where));
  const seen = new Map<string, number>();
  let most = 0;
  for (let flat = 0; flat < n; flat++) {
    const key = adv.map((p, a) => { // this entry of each broadcast index list
      let off = 0, r = flat, stride = 1;
      for (let d = B.length - 1; d >= 0; d--) {
        const c = r % B[d]; r = Math.floor(r / B[d]);
        const dd = d - (B.length - p.idx.ndim);
        if (dd >= 0) { if (p.idx.shape[dd] !== 1) off += c * stride; stride *= p.idx.shape[dd]; }
      }
      return vals[a][off];
    }).join(',');
    const c = (seen.get(key) ?? 0) + 1;
    seen.set(key, c);
    if (c > most) most = c;
  }
  return most;
}

/** x.at(...index): pure updates of the indexed positions (JAX's x.at[...]). */
export class AtIndex {
  constructor(private readonly x: NDArray, private readonly items: IndexItem[]) {}
  /** (what np functions recognize to say "read with x.get") */
  get [Symbol.toStringTag](): string { return 'AtIndex'; }

  /** The indexed values, out-of-range index Arrays clamped (as indexing). */
  get(): NDArray {
    noModes('x.at().get', arguments.length, 0);
    return indexWith('x.at().get', this.x, this.items, { mode: 'clip', negativeIndices: true });
  }
  /** Out-of-range updates are dropped; with repeated indices the last update wins (numpy). */
  set(v: ArrayInput): NDArray { noModes('x.at().set', arguments.length, 1); return this.update('set', v); }
  /** Repeated indices accumulate. */
  add(v: ArrayInput): NDArray { noModes('x.at().add', arguments.length, 1); return this.update('add', v); }
  multiply(v: ArrayInput): NDArray { noModes('x.at().multiply', arguments.length, 1); return this.update('mul', v); }
  mul(v: ArrayInput): NDArray { noModes('x.at().mul', arguments.length, 1); return this.update('mul', v); }
  min(v: ArrayInput): NDArray { noModes('x.at().min', arguments.length, 1); return this.update('min', v); }
  max(v: ArrayInput): NDArray { noModes('x.at().max', arguments.length, 1); return this.update('max', v); }
  // JAX's other updaters (x.at(i).divide(2) was a JS TypeError, 'is not a function'), as JAX
  // writes them: subtract a scatter-add of -v; divide and power x over a scatter-multiply of v
  // into ones (x / ones.at[i].mul(v), x ** ones.at[i].mul(v)).
  subtract(v: ArrayInput): NDArray {
    noModes('x.at().subtract', arguments.length, 1);
    return this.named('x.at().subtract', () => {
      // (an integer JS number is the integer dtype's, and wraps as it does: uint32 5 - 6 is 2^32 - 1)
      const neg = typeof v === 'number' && !(Number.isInteger(v) && isInteger(this.x.dtype)) ? -v
        : negative(operand('x.at().subtract', 1, v, this.x.dtype));
      return this.update('add', neg);
    });
  }
  divide(v: ArrayInput): NDArray {
    noModes('x.at().divide', arguments.length, 1);
    return this.named('x.at().divide', () => divide(this.x, new AtIndex(onesLike(this.x), this.items).update('mul', v)));
  }
  power(v: ArrayInput): NDArray {
    noModes('x.at().power', arguments.length, 1);
    return this.named('x.at().power', () => power(this.x, new AtIndex(onesLike(this.x), this.items).update('mul', v)));
  }
  /**
   * f (a unary elementwise function) applied at the indexed positions (JAX's x.at[i].apply): once
   * per time a position is indexed, as XLA's scatter-apply (x.at([0, 0]).apply(f) is f(f(x0)));
   * out-of-range positions are left alone. f sees only the indexed values (so an f undefined
   * elsewhere, like sqrt below 0, puts no NaN into the gradient), and its result keeps x's dtype.
   * Differentiable (JAX's is not); under jit with traced index Arrays the rounds are a loop with
   * a traced trip count, which reverse mode refuses as every such loop.
   */
  apply(f: (v: NDArray) => ArrayInput): NDArray {
    noModes('x.at().apply', arguments.length, 1);
    const where = 'x.at().apply';
    if (typeof f !== 'function') throw new ValueError(`${where}: takes a function (a unary elementwise function such as np.sin), got ${show(f)}`);
    return this.named(where, () => {
      const at = (y: NDArray) => new AtIndex(y, this.items);
      const counts = at(filled(where, this.x.shape, 0, 'int32')).update('add', 1); // how often each position is indexed (out-of-range dropped)
      // per gathered value: whether a write keeps it (a read clamps an out-of-range index Array entry; the write drops it)
      const inRange = greater(indexWith(where, filled(where, this.x.shape, 1, 'int32'), this.items, { mode: 'fill', negativeIndices: true }), 0);
      const countAt = at(counts).get();
      // round k applies f where the position is indexed more than k times; the other values enter f
      // under stopGradient and are written back as they were, so an f singular there (sqrt at 0, or
      // at a clamped read) puts no 0 * inf into the gradient
      const round = (k: number | NDArray, y: NDArray): NDArray => {
        const v = at(y).get();
        const writes = k === 0 ? inRange : lax.bitwiseAnd(inRange, greater(countAt, k));
        const fv = callSync(where, 'f', f, npWhere(writes, v, lax.stopGradient(v)));
        const out = fv instanceof NDArray ? fv : operand(where, 0, fv as ArrayInput, y.dtype);
        if (out.dtype !== y.dtype || out.shape.length !== v.shape.length || out.shape.some((d, i) => d !== v.shape[i])) {
          throw new DTypeError(`${where}: f must keep the shape and dtype of the values it is given (${describe(v.shape, v.dtype)}), ` +
            `got ${describe(out.shape, out.dtype)}${out.dtype !== y.dtype ? `; convert x first (np.astype(x, '${out.dtype}'))` : ''}`);
        }
        return at(y).update('set', npWhere(writes, out, v));
      };
      // the number of rounds: known in JS for static indices (even under jit, where counts is traced:
      // a loop with a traced trip count refuses reverse mode), from counts' values eagerly, else a loop
      const rounds = staticRounds(where, this.x, this.items) ??
        (counts._readable() && !counts.isTracer ? (counts.size > 0 ? lax.reduceMax(reshape(counts, [counts.size]), [0]).item() as number : 0) : null);
      if (rounds !== null) {
        let y = this.x;
        for (let k = 0; k < rounds; k++) y = round(k, y);
        return y;
      }
      return foriLoop(0, lax.reduceMax(reshape(counts, [counts.size]), [0]), (k: NDArray, y: NDArray) => round(k, y), this.x);
    });
  }

  /** f(), its errors naming the updater the user called (not the add or mul it goes through). */
  private named(where: string, f: () => NDArray): NDArray {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof CotangentError)) throw e;
      e.message = e.message.replace(/^x\.at\(\)\.(add|mul): /, '');
      throw withPublicName(where, e);
    }
  }

  // JS's Array.prototype.at habit: x.at(0) * 2 was NaN and x.at(-1) + 1 a string. An updater is
  // not a value: arithmetic on it says what to write instead (String(u) and `${u}` still describe).
  [Symbol.toPrimitive](hint: string): string {
    const at = this.items.map((i) => (typeof i === 'string' ? `'${i}'` : typeof i === 'number' ? String(i) : '...')).join(', ');
    if (hint === 'string') return `x.at(${at}) (an updater: .set/.add/.subtract/.mul/.divide/.power/.min/.max/.get)`;
    throw new ValueError(`x.at(${at}) is JAX's x.at[...] updater, not a value (JS's Array.prototype.at): read with x.get(${at}) ` +
      `(or x.at(${at}).get()), update with x.at(${at}).set(v)`);
  }

  // One scope for the whole update: at top level its intermediates (x-sized zeros, masks, the
  // rounds) stay rows of one tape, not each a result copied out (x.at(5).set(1) of 1M floats: 20
  // ms of x-sized temporaries moved in and out of wasm memory, one op at a time).
  private update(kind: 'set' | 'add' | 'mul' | 'min' | 'max', v: ArrayInput): NDArray {
    const traced = inTrace(); // (read outside the scope: inside it, a top-level call is in one too)
    return scope(() => this.updateIn(kind, v, traced), (out) => out._concrete());
  }

  /** (shown: the x the messages describe, the caller's when x is promoted for the update) */
  private updateIn(kind: 'set' | 'add' | 'mul' | 'min' | 'max', v: ArrayInput, traced: boolean, shown: NDArray = this.x): NDArray {
    const where = `x.at().${kind}`;
    const x = this.x;
    // JAX's _scatter_impl: x and the update promoted together, updated, converted back to x's dtype
    // (a bool x set to 0.5 is True, an int32 x times 2.5 is 7: the update was cast to x first, to
    // False and 2). Elements the update does not reach keep x's values exactly (JAX's round trip
    // through float32 would round an int32 16777217 elsewhere in x).
    const P = commonDtype(where, [x, v]);
    if (P !== x.dtype && !(isComplex(P) && !isComplex(x.dtype))) {
      const done = astype(new AtIndex(astype(x, P), this.items).updateIn(kind, v, traced, x), x.dtype);
      const reached = new AtIndex(lax.full(x.shape, 0, 'bool'), this.items).updateIn('set', true, traced);
      return npWhere(reached, done, x);
    }
    if (x.dtype === 'bool' && (kind === 'set' || kind === 'min' || kind === 'max')) { // through int32 (0 and 1): set, and min/max as and/or
      const asInt = new AtIndex(astype(x, 'int32'), this.items).updateIn(kind, astype(operand(where, 1, v), 'int32'), traced);
      return astype(asInt, 'bool');
    }
    if (x.dtype === 'bool' || (isComplex(x.dtype) && (kind === 'min' || kind === 'max'))) {
      throw new DTypeError(`${where}: updates of ${x.dtype} arrays are not supported (float, int32 and uint32; complex for set, add, mul; bool for set, min, max)`);
    }
    expandItems(where, shown, this.items); // (the count checked against x itself: the errors name x's dtype, not the positions')
    if (kind === 'set' || kind === 'add') {
      const w = windowOf(where, x, this.items);
      if (w !== null) return windowUpdate(where, kind, x, w, v, shown);
    }
    // Flat positions of the indexed elements; out-of-range index Arrays give INT_MIN (dropped).
    // Integers and slices: computed here in JS (concrete under jit too, so one scatter per round;
    // gathered from an iota under jit they had no values, and the traced path's n x n rounds
    // took 960 MiB for x.at('0:6000').set(1)). Index Arrays and lists: gathered from an iota row
    // (a JS list of x.size positions cost 64 ms a call at 1e6).
    const pos = staticPositions(where, x, this.items) ?? (() => {
      try {
        return indexWith(where, reshape(lax.iota(x.size), x.shape), this.items, { mode: 'fill', negativeIndices: true, fillNaN: true });
      } catch (e) { // (its errors described the int32 positions: "bool[3] does not match int32[2,2]" for a complex64 x)
        if (e instanceof CotangentError) e.message = e.message.split(describe(x._shape, 'int32')).join(describe(shown._shape, shown.dtype));
        throw e;
      }
    })();
    const given = operand(where, 1, v, x.dtype);
    if (isComplex(given.dtype) && !isComplex(x.dtype)) { // (the cast kept the real part without a word; JAX warns it will refuse)
      throw new DTypeError(`${where}: a complex update ${describe(given.shape, given.dtype)} into a real ${describe(x.shape, x.dtype)} would drop its imaginary part; take np.real of it, or make x complex`);
    }
    const val = astype(given, x.dtype);
    let fits: boolean;
    try { fits = lax.sameShape(broadcastShapes(where, val._shape, pos._shape), pos._shape); } catch { fits = false; }
    if (!fits) {
      throw new ShapeError(`${where}: the update ${describe(given._shape, given.dtype)} does not broadcast to the indexed shape [${pos._shape}] of ${describe(shown._shape, shown.dtype)}`);
    }
    const upd = reshape(broadcastTo(val, pos.shape), [-1]);
    const flat = reshape(x, [-1]);
    const dims = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] };
    // add needs no positions in JS, so its indices may be traced (batched by vmap, for one).
    if (kind === 'add') return reshape(lax.scatterAdd(flat, reshape(pos, [-1, 1]), upd, dims, { mode: 'fill' }), x.shape);
    // Positions with no concrete value (batched by vmap, or abstract under jit): rounds on the tape.
    if (pos.isTracer && (rowFlags(pos._rowIn(where)) & (VIEW | HAS_VALUE)) !== HAS_VALUE) {
      const r = tracedUpdate(kind, flat, reshape(pos, [-1]), upd);
      return reshape(kind === 'min' || kind === 'max' ? evenTies(r, flat, reshape(pos, [-1]), upd, traced) : r, x.shape);
    }
    // The positions kept (negative: dropped) and the updates they take, in typed arrays (JS lists
    // and a Set of 1e6 positions took half a second); a position met twice goes the sorted way.
    const pv = pos._values(where), n = pv.length, seen = new Uint8Array(x.size);
    const at = new Int32Array(n), from = new Int32Array(n);
    let kept = 0, repeated = false;
    for (let i = 0; i < n; i++) {
      const q = pv[i];
      if (q < 0) continue;
      if (seen[q] !== 0) { repeated = true; break; }
      seen[q] = 1; at[kept] = q; from[kept++] = i;
    }
    // Repeated positions: the sort-based path, which jit always takes (a round per repeat, each
    // x-sized, ran out of memory at 4,000 repeats of one position into 1e5). Its values are the
    // rounds', but for mul's, whose repeated factors it groups as a tree.
    if (repeated) {
      const r = tracedUpdate(kind, flat, reshape(pos, [-1]), upd);
      return reshape(kind === 'min' || kind === 'max' ? evenTies(r, flat, reshape(pos, [-1]), upd, traced) : r, x.shape);
    }
    if (kept === 0) return x;
    // Distinct positions: one scatter of the updates onto -0 (x + -0 is x for every x, so an
    // update of -0 stays -0, as numpy's and JAX's), and a hit mask (both rows: under jit no
    // x-sized constant is stored).
    const where1 = new NDArray([kept, 1], 'int32', at.slice(0, kept));
    const scatter = (into: NDArray, vals: NDArray) => lax.scatterAdd(into, where1, vals, dims, { mode: 'fill' });
    const taken = kept === n ? upd : takeAxis(upd, new NDArray([kept], 'int32', from.slice(0, kept)), 0, { mode: 'clip' });
    const zerosOf = (d: DType, z = 0) => (isComplex(d) ? filled(where, [x.size], { re: z, im: z }, d) : lax.full([x.size], z, d)); // (lax.full is real)
    const mask = lax.gt(scatter(zerosOf('float32'), lax.full([kept], 1, 'float32')), zerosOf('float32'));
    const placed = scatter(zerosOf(x.dtype, -0), taken);
    const out = npWhere(mask, kind === 'set' ? placed : kind === 'mul' ? multiply(flat, placed) : kind === 'min' ? minimum(flat, placed) : maximum(flat, placed), flat);
    return reshape(kind === 'min' || kind === 'max' ? evenTies(out, flat, reshape(pos, [-1]), upd, traced) : out, x.shape);
  }
}

/**
 * The box that integers and contiguous slices (step 1, or one element) index, as dynamic_slice's
 * starts and sizes, with the indexed shape (the integers' axes dropped); null for anything else
 * (arrays, lists, masks, null, longer steps, an empty slice).
 */
function windowOf(where: string, x: NDArray, items: IndexItem[]): { starts: number[]; sizes: number[]; shape: number[] } | null {
  if (items.some((it) => it === null || it instanceof NDArray || Array.isArray(it))) return null;
  const { dims, newAxes } = plan(where, x, items);
  if (newAxes.length > 0) return null;
  const starts: number[] = [], sizes: number[] = [], shape: number[] = [];
  for (const p of dims) {
    if (p.kind === 'int') { starts.push(p.value); sizes.push(1); continue; }
    if (p.kind !== 'slice' || p.count === 0 || (p.step !== 1 && p.count > 1)) return null;
    starts.push(p.start); sizes.push(p.count); shape.push(p.count);
  }
  return { starts, sizes, shape };
}

/**
 * x.at[box].set(v) / .add(v) as one dynamic_update_slice of the box (its old values plus v, for
 * add): the general path scattered at x.size computed positions (x.at('1000:900000').set(0) of
 * 1e6 took ~80 ms; a few x-sized passes now).
 */
function windowUpdate(where: string, kind: 'set' | 'add', x: NDArray, w: { starts: number[]; sizes: number[]; shape: number[] }, v: ArrayInput, shown: NDArray): NDArray {
  const given = operand(where, 1, v, x.dtype);
  if (isComplex(given.dtype) && !isComplex(x.dtype)) {
    throw new DTypeError(`${where}: a complex update ${describe(given.shape, given.dtype)} into a real ${describe(x.shape, x.dtype)} would drop its imaginary part; take np.real of it, or make x complex`);
  }
  const val = astype(given, x.dtype);
  let fits: boolean;
  try { fits = lax.sameShape(broadcastShapes(where, val._shape, w.shape), w.shape); } catch { fits = false; }
  if (!fits) throw new ShapeError(`${where}: the update ${describe(given._shape, given.dtype)} does not broadcast to the indexed shape [${w.shape}] of ${describe(shown._shape, shown.dtype)}`);
  const u = reshape(broadcastTo(val, w.shape), w.sizes);
  const ends = w.starts.map((s, i) => s + w.sizes[i]);
  return dynamicUpdateSlice(x, kind === 'set' ? u : lax.add(indexWith(where, x, w.starts.map((s, i) => ({ start: s, stop: ends[i] })), {}), u), w.starts);
}

/**
 * x's elements start + k step (k < count, in range) along axis d: a step of 1 is one window of a
 * gather (dynamic_slice's form: rows of memory copied whole), others a gather at an iota's
 * positions. (x[:, 1:] of a 1024 x 1024 took 10.6 ms as 1023 one-column windows, 4.9 ms as one window.)
 */
function sliceAxis(x: NDArray, s: SliceRun, d: number): NDArray {
  const k = s.count;
  if (k === 0) return takeAxis(x, int32([]), d, { mode: 'clip' });
  if (s.step !== 1 && k > 1) {
    // the positions: a typed array at top level (one upload), an iota's under a transform (so
    // jit stores no k-long constant)
    let at: NDArray;
    if (inTrace()) at = lax.add(lax.mul(lax.iota(k), lax.full([k], s.step, 'int32')), lax.full([k], s.start, 'int32'));
    else {
      const v = new Int32Array(k);
      for (let j = 0, i = s.start; j < k; j++, i += s.step) v[j] = i;
      at = new NDArray([k], 'int32', v);
    }
    return takeAxis(x, at, d, { mode: 'clip' });
  }
  const all = range(x.ndim);
  return lax.gather(x, int32(all.map((i) => (i === d ? s.start : 0))), { offsetDims: all, collapsedSliceDims: [], startIndexMap: all },
    x.shape.map((n, i) => (i === d ? k : n)), { mode: 'clip' });
}

/**
 * The flat positions x[items] reads, as a concrete int32 Array of the indexed shape, when the
 * items are integers, slices, null and '...' (numpy's basic indexing); null otherwise.
 */
function staticPositions(where: string, x: NDArray, items: IndexItem[]): NDArray | null {
  if (items.some((it) => it instanceof NDArray || Array.isArray(it))) return null;
  const { dims, newAxes } = plan(where, x, items);
  if (dims.some((d) => d.kind === 'array')) return null;
  const strides = x.shape.map((_, k) => x.shape.slice(k + 1).reduce((a, b) => a * b, 1));
  let flat = [0];
  const shape: number[] = [];
  dims.forEach((d, k) => {
    if (d.kind === 'int') { flat = flat.map((b) => b + d.value * strides[k]); return; }
    if (d.kind !== 'slice') return;
    shape.push(d.count);
    const next: number[] = new Array(flat.length * d.count);
    let o = 0;
    for (const b of flat) for (let j = 0, i = d.start; j < d.count; j++, i += d.step) next[o++] = b + i * strides[k];
    flat = next;
  });
  for (const p of newAxes) shape.splice(p, 0, 1);
  return int32(flat, shape);
}

/**
 * JAX's derivative of a scatter max/min (_scatter_extremal_jvp): at each position the mean of the
 * tangents of the contributors equal to the result (x's element and the updates placed there),
 * where the rounds' chain of maxima split ties pairwise (1/8, 1/4, 1/2 for three equal updates).
 * The value stays the rounds' `out`, bit for bit: out - (0 - c), c = sum(v - stop_gradient(v)) /
 * count exactly +0 (finite tied v), whose derivative is the mean. Only under a transform.
 */
function evenTies(out: NDArray, flat: NDArray, pos: NDArray, upd: NDArray, traced: boolean): NDArray {
  if (!traced || isComplex(flat.dtype) || flat.dtype === 'int32' || flat.dtype === 'uint32') return out;
  const n = pos.size, size = flat.size, dt = flat.dtype;
  if (n === 0) return out;
  const sg = lax.stopGradient, r = sg(out);
  const zeros = (k: number) => lax.full([k], 0, dt); // (fills as rows: no x-sized constant under jit)
  const finite = (a: NDArray) => lax.lt(lax.abs(a), lax.full(a.shape, Infinity, dt));
  const dims = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] };
  const idx = reshape(pos, [n, 1]);
  const scatter = (v: NDArray) => lax.scatterAdd(zeros(size), idx, v, dims, { mode: 'fill' }); // (dropped positions: nowhere)
  const rAt = takeAxis(r, pos, 0, { mode: 'fill', fillNaN: true }); // (a dropped update ties nothing)
  const xTie = lax.bitwiseAnd(lax.eq(sg(flat), r), finite(flat));
  const vTie = lax.bitwiseAnd(lax.eq(sg(upd), rAt), finite(upd));
  const count = lax.add(lax.convertElementType(xTie, dt), scatter(lax.convertElementType(vTie, dt)));
  const part = (t: NDArray, v: NDArray, k: number) => lax.select(t, lax.sub(v, sg(v)), zeros(k)); // +0, derivative dv
  const c = lax.div(lax.add(part(xTie, flat, size), scatter(part(vTie, upd, n))), lax.max(count, lax.full([size], 1, dt)));
  const atFinite = lax.sub(r, lax.sub(zeros(size), c)); // r - (+0): r's bits, a -0 included (r + c would make it +0)
  // An infinite result: v - stop_gradient(v) is NaN there, so the contributors equal to it are
  // averaged instead ((inf + inf) / 2 is inf exactly), their tangents with them (JAX counts
  // inf == inf as a tie).
  const xInf = lax.eq(sg(flat), r), vInf = lax.eq(sg(upd), rAt);
  const countInf = lax.add(lax.convertElementType(xInf, dt), scatter(lax.convertElementType(vInf, dt)));
  const mean = lax.div(lax.add(lax.select(xInf, flat, zeros(size)), scatter(lax.select(vInf, upd, zeros(n)))), lax.max(countInf, lax.full([size], 1, dt)));
  return lax.select(lax.bitwiseNot(finite(r)), lax.select(lax.eq(r, r), mean, atFinite), atFinite);
}

/**
 * x.at().set/mul/min/max at flat positions `pos` ([n], negative: dropped) that may repeat or be
 * traced, in O(n log n) on the updates and one scatter onto x: the updates sorted stably by
 * position (set keeps the last at each position, max/min the winner, mul multiplies each run).
 */
function tracedUpdate(kind: 'set' | 'mul' | 'min' | 'max', flat: NDArray, pos: NDArray, upd: NDArray): NDArray {
  const n = pos.size, size = flat.size, dt = flat.dtype;
  if (n === 0) return flat;
  const dims = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] };
  const idx = reshape(pos, [n, 1]);
  const zeros = (k: number, d: DType) => filled('x.at()', [k], 0, d);
  const negZeros = (k: number) => filled('x.at()', [k], isComplex(dt) ? { re: -0, im: -0 } : -0, dt); // (x + -0 is x: an update of -0 stays -0)
  const place = (m: NDArray) => ({ // (hits counted in float32: complex values have no order)
    placed: lax.scatterAdd(negZeros(size), idx, lax.select(m, upd, negZeros(n)), dims, { mode: 'fill' }),
    hit: lax.gt(lax.scatterAdd(zeros(size, 'float32'), idx, lax.convertElementType(m, 'float32'), dims, { mode: 'fill' }), zeros(size, 'float32')),
  });
  const f64 = (a: NDArray) => lax.convertElementType(a, 'float64'); // (int32 and uint32 are exact in float64, and their negation too)
  const take1 = (a: NDArray, at: NDArray) => lax.gather(a, reshape(at, [n, 1]), { offsetDims: [], collapsedSliceDims: [0], startIndexMap: [0] }, [1], { mode: 'clip' });
  if (kind !== 'mul') {
    // One update per position, found by stable sorts (O(n log n); the comparison of every pair
    // of updates ran out of memory past ~20,000 updates): set keeps the last update at each
    // position; max (min) the largest (smallest), NaN first, as a chain of maxima propagates
    // it: sorted by value (min: by -value), then stably by position, the winner ends each
    // position's run.
    let perm = lax.argsort(pos, 0, false);
    if (kind !== 'set') {
      const key = isInteger(dt) ? f64(upd) : upd;
      // -0 and +0 sort as equal, but maximum takes +0 over -0 and minimum -0 over +0: the zero
      // that wins goes after the other first (stable sorts keep that order among the tie)
      let first: NDArray | null = null;
      if (!isInteger(dt)) {
        const zero = filled('x.at()', [n], 0, dt);
        const negZero = lax.bitwiseAnd(lax.eq(upd, zero), lax.lt(lax.div(filled('x.at()', [n], 1, dt), upd), zero));
        first = lax.argsort(lax.convertElementType(kind === 'max' ? lax.bitwiseNot(negZero) : negZero, 'float32'), 0, false);
      }
      const sortedKey = kind === 'max' ? key : lax.neg(key);
      const byValue = first === null ? lax.argsort(sortedKey, 0, false) : take1(first, lax.argsort(take1(sortedKey, first), 0, false));
      perm = take1(byValue, lax.argsort(take1(pos, byValue), 0, false));
    }
    const ps = take1(pos, perm);
    const one = filled('x.at()', [1], 1, 'float32');
    const endsRun = n === 1 ? one : lax.concatenate([
      lax.convertElementType(lax.ne(lax.split(ps, [n - 1, 1], 0)[0], lax.split(ps, [1, n - 1], 0)[1]), 'float32'), one], 0);
    const wins = lax.scatterAdd(zeros(n, 'float32'), reshape(perm, [n, 1]), endsRun, dims, { mode: 'fill' });
    const { placed, hit } = place(lax.gt(wins, zeros(n, 'float32')));
    return lax.select(hit, kind === 'set' ? placed : kind === 'max' ? maximum(flat, placed) : minimum(flat, placed), flat);
  }
  // mul: the updates sorted stably by position, each position's run multiplied together by a
  // segmented scan (log2(n) steps of size n; the rounds of one update each, n of them on x's
  // size, ran out of memory at 1,000 updates into 1e5), its product placed at the run's end.
  const perm = lax.argsort(pos, 0, false);
  const ps = take1(pos, perm);
  // float32 (complex64) runs multiplied in float64 (complex128), rounded once: equal factors
  // round alike at every level of the scan's tree, so its error doubles per level (20,000
  // updates of 1.0001 at one position: 7.387651 for 7.390769, 6539 ulp; numpy's sequential 20)
  const wide: DType = dt === 'float32' ? 'float64' : dt === 'complex64' ? 'complex128' : dt;
  let prod = lax.convertElementType(take1(upd, perm), wide);
  const ones = (k: number) => filled('x.at()', [k], isComplex(wide) ? { re: 1, im: 0 } : 1, wide);
  const no = (k: number) => lax.full([k], 0, 'bool');
  for (let step = 1; step < n; step *= 2) { // prod[i] = prod[i - step] * prod[i] within a run (left to right: the order of the updates)
    const before = lax.concatenate([ones(step), lax.split(prod, [n - step, step], 0)[0]], 0);
    const sameRun = lax.concatenate([no(step), lax.eq(lax.split(ps, [step, n - step], 0)[1], lax.split(ps, [n - step, step], 0)[0])], 0);
    prod = lax.select(sameRun, multiply(before, prod), prod);
  }
  const endsRun = n === 1 ? lax.full([1], 1, 'bool')
    : lax.concatenate([lax.ne(lax.split(ps, [n - 1, 1], 0)[0], lax.split(ps, [1, n - 1], 0)[1]), lax.full([1], 1, 'bool')], 0);
  const sidx = reshape(ps, [n, 1]);
  prod = lax.convertElementType(prod, dt);
  const placed = lax.scatterAdd(negZeros(size), sidx, lax.select(endsRun, prod, negZeros(n)), dims, { mode: 'fill' });
  const hit = lax.gt(lax.scatterAdd(zeros(size, 'float32'), sidx, lax.convertElementType(endsRun, 'float32'), dims, { mode: 'fill' }), zeros(size, 'float32'));
  return lax.select(hit, multiply(flat, placed), flat);
}

declare module './array.js' {
  interface NDArray {
    /** JAX's x.at[...]: `x.at(0, ':').set(v)`, `.add`, `.mul`, `.min`, `.max`, `.get` (pure: a new Array). */
    at(...items: IndexItem[]): AtIndex;
    /** numpy indexing, `x.get(0, '1:3', idx)` = `np.index(x, 0, '1:3', idx)`. */
    get(...items: IndexItem[]): NDArray;
  }
}
// x.at[0].set(1), JAX's Python syntax, read property '0' of the method: a JS TypeError ("cannot read
// properties of undefined"). Any property a function does not have says how to write it.
const atMethod = new Proxy(function (this: NDArray, ...items: IndexItem[]): AtIndex { return new AtIndex(this, items); }, {
  // x.at[0] = v (a Python habit: JAX refuses it too) set a property on the method, silently
  set(_target, key) {
    throw new IndexError(`x.at[${String(key)}] = v: Arrays are immutable; x.at(${String(key)}).set(v) returns the updated copy`);
  },
  get(target, key, receiver) {
    if (typeof key === 'string' && !(key in target)) {
      // the key is the index as JS stringified it: an integer, a slice string ('1:3'), or an index
      // Array / list printed ('[0 0 2]', 'Traced<int32[]>'), which must be passed as itself, not quoted
      const call = /^-?\d+$/.test(key) ? key : /^[-\d:\s,.]*$/.test(key) && !/^[\d\s,.-]*,[\d\s,.-]*$/.test(key) ? `'${key}'` : 'idx';
      const note = call === 'idx' ? ` with the index Array or list itself as idx (here ${key})` : '';
      throw new IndexError(`x.at[${key}] is JAX's Python syntax; in JS call it: x.at(${call}).set(v) (or .add, .mul, .min, .max, .get)${note}`);
    }
    return Reflect.get(target, key, receiver);
  },
});
// an accessor, so x.at = v refuses (it shadowed the method: the next x.at(i) was 'not a function')
Object.defineProperty(NDArray.prototype, 'at', {
  get() { return atMethod; },
  set() { throw new ValueError('Array.at is read-only: it is the updater, x.at(i).set(v) (JAX\'s x.at[i].set(v))'); },
  configurable: true,
});
NDArray.prototype.get = function (this: NDArray, ...items: IndexItem[]): NDArray {
  try { return index(this, ...items); } catch (e) {
    if (!(e instanceof CotangentError)) throw e;
    e.message = e.message.replace(/^np\.index: /, 'x.get: '); // (it said 'x.get: np.index: slice ...'; without a prefix, x.get('0') named no function)
    throw withPublicName('x.get', e); // (a ragged list's error named no function)
  }
};
