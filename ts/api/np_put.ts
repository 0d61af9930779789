// jnp.put, jnp.put_along_axis and jnp.place: numpy's in-place writes, as JAX has them: a new Array, and the
// call must say `inplace: false` (JAX's reminder that nothing is modified; numpy users expect it).
// Both are x.at(...).set under the hood, so they differentiate and batch as that does.
import { NDArray, ArrayInput } from './array.js';
import { astype, reshape, broadcastTo, broadcastShapes, where as npWhere, less, add, minimum, maximum } from './numpy.js';
import { remainder } from './np_elementwise.js';
import { cumsum } from './np_reductions.js';
import * as lax from './lax.js';
import { operand, normalizeAxisList } from './np_shared.js';
import { int32, indexArray, nestedInts, range } from './np_indexing.js';
import { atMost, readOptions, required, show } from './options.js';
import { NotImplementedError, ShapeError, ValueError, describe } from '../core/errors.js';

export interface PutOptions {
  /** Must be false: the result is a new Array (JAX's `inplace=False`). */
  inplace?: boolean;
  /**
   * Out-of-range indices. put: undefined (JAX's None: clipped into [-n, n), negatives from the end),
   * 'clip' (into [0, n)), 'wrap' (modulo n). putAlongAxis: undefined, 'drop' or 'fill' (negatives from
   * the end, out of range dropped, as x.at(...).set), or 'clip'.
   */
  mode?: 'clip' | 'wrap' | 'drop' | 'fill' | null;
}

function notInPlace(where: string, inplace: unknown): void {
  if (inplace !== false) {
    throw new ValueError(`${where}: cannot modify an Array in place (Arrays are immutable); pass { inplace: false } to get the updated copy ` +
      '(JAX asks for inplace=False too), or write x.at(i).set(v)');
  }
}

/**
 * The indices as int32 (JS lists and typed arrays too). With `wrapN` (mode 'wrap' over n positions)
 * they are taken modulo n first, exactly: past int32 a clamp would move them (2^31 + 5 mod 7 is 0,
 * 2^31 - 1 mod 7 is 1), and a uint32 index past 2^31 wrapped negative.
 */
function indicesOf(where: string, ind: ArrayInput, wrapN?: number): NDArray {
  if (ind instanceof NDArray) {
    if (ind.dtype === 'bool') return astype(ind, 'int32'); // (numpy reads bool indices as 0 and 1; the index message offered masks)
    if (wrapN !== undefined && ind.dtype === 'uint32') return astype(remainder(ind, lax.full([], wrapN, 'uint32')), 'int32');
    return indexArray(where, ind);
  }
  const { vals, shape } = typeof ind === 'number' ? { vals: [ind], shape: [] } : nestedInts(ind);
  vals.forEach((v) => { if (!Number.isInteger(v)) throw new ValueError(`${where}: index ${show(v)} is not an integer`); });
  if (wrapN !== undefined) return int32(vals.map((v) => ((v % wrapN) + wrapN) % wrapN), shape);
  return int32(vals.map((v) => Math.min(Math.max(v, -(2 ** 31)), 2 ** 31 - 1)), shape); // (past int32 they are out of range all the same)
}

/** Indices into an axis of n under `mode` (jnp.put's): positions in [0, n). */
function resolved(where: string, idx: NDArray, n: number, mode: unknown): NDArray {
  const c = (v: number) => int32([v], []);
  if (mode === undefined || mode === null) { // jnp.unravel_index's clip into [-n, n), then negatives from the end
    const k = minimum(maximum(idx, c(-n)), c(n - 1));
    return npWhere(less(k, c(0)), add(k, c(n)), k);
  }
  if (mode === 'clip') return minimum(maximum(idx, c(0)), c(n - 1));
  if (mode === 'wrap') return remainder(idx, c(n));
  if (mode === 'raise') throw new NotImplementedError(`${where}: mode 'raise' is not supported (as in JAX: values cannot raise); use 'clip' or 'wrap'`);
  throw new ValueError(`${where}: mode must be 'clip', 'wrap' or null, got ${show(mode)}`);
}

/**
 * jnp.put(a, ind, v, mode, inplace=False): a with the flat positions `ind` set to v (v repeated to
 * ind's length, numpy's rule; the last write wins at a repeated index).
 */
export function put(a: ArrayInput, ind: ArrayInput, v: ArrayInput, opts?: PutOptions): NDArray {
  const where = 'np.put';
  atMost(where, arguments.length, 4);
  required(where, 'ind', ind);
  required(where, 'v', v);
  const o = readOptions<PutOptions>(where, opts, { inplace: 'boolean', mode: 'any' });
  notInPlace(where, o.inplace);
  const x = operand(where, 0, a);
  if (x.size === 0) return x; // (JAX's: nothing to put)
  const idx = reshape(indicesOf(where, ind, o.mode === 'wrap' ? x.size : undefined), [-1]);
  const vals = reshape(astype(operand(where, 2, v, x.dtype), x.dtype), [-1]);
  if (idx.size === 0 || vals.size === 0) return x;
  const m = idx.size, tiled = vals.size === m ? vals : int32(range(m).map((i) => i % vals.size), [m]);
  const values = tiled === vals ? vals : vals.at(tiled).get();
  return reshape(reshape(x, [-1]).at(resolved(where, idx, x.size, o.mode)).set(values), x.shape);
}

/**
 * put_along_axis's indices under `mode` (JAX's x.at[...].set modes): by default (and 'drop' /
 * 'fill') as x.at reads them, a negative index from the end and one out of range dropped (it was
 * clipped onto the edge, as put's default); 'clip' clamps after the negative ones are counted from
 * the end. JAX's put_along_axis has no 'wrap'.
 */
function alongAxis(where: string, idx: NDArray, n: number, mode: unknown): NDArray {
  if (mode === undefined || mode === null || mode === 'drop' || mode === 'fill') return idx;
  if (mode === 'clip') {
    const c = (v: number) => int32([v], []);
    const k = npWhere(less(idx, c(0)), add(idx, c(n)), idx);
    return minimum(maximum(k, c(0)), c(n - 1));
  }
  throw new ValueError(`${where}: mode must be 'clip', 'drop' (or 'fill') or null, as JAX's put_along_axis, got ${show(mode)}`);
}

/**
 * jnp.put_along_axis(arr, indices, values, axis, inplace=False): arr with arr[..., indices, ...]
 * (along `axis`, the other axes broadcast as takeAlongAxis's) set to values; axis null: the flat array.
 */
export function putAlongAxis(arr: ArrayInput, indices: ArrayInput, values: ArrayInput, axisGiven: number | null, opts?: PutOptions): NDArray {
  const where = 'np.putAlongAxis';
  atMost(where, arguments.length, 5);
  required(where, 'indices', indices);
  required(where, 'values', values);
  if (axisGiven === undefined) throw new ValueError(`${where}: takes (arr, indices, values, axis, { inplace: false }); axis is a number, or null for the flattened array`);
  if (axisGiven !== null && (typeof axisGiven !== 'number' || !Number.isInteger(axisGiven))) throw new ValueError(`${where}: axis must be an integer or null, got ${show(axisGiven)}`);
  const o = readOptions<PutOptions>(where, opts, { inplace: 'boolean', mode: 'any' });
  notInPlace(where, o.inplace);
  const x0 = operand(where, 0, arr);
  let idx = indicesOf(where, indices);
  const x = axisGiven === null ? reshape(x0, [-1]) : x0;
  if (axisGiven === null) idx = reshape(idx, [-1]);
  if (idx.ndim !== x.ndim) throw new ShapeError(`${where}: indices ${describe(idx.shape, idx.dtype)} and array ${describe(x.shape, x.dtype)} must have the same number of dimensions`);
  const ax = normalizeAxisList(where, [axisGiven ?? 0], x.ndim)[0];
  // one index Array per axis: the given ones along ax, each other axis's positions elsewhere
  const shape = broadcastShapes(where, x.shape.map((d, i) => (i === ax ? 1 : d)), idx.shape.map((d, i) => (i === ax ? 1 : d)))
    .map((d, i) => (i === ax ? idx.shape[ax] : d));
  const items = range(x.ndim).map((d) => (d === ax ? broadcastTo(alongAxis(where, idx, x.shape[ax], o.mode), shape)
    : broadcastTo(reshape(int32(range(shape[d])), shape.map((s, i) => (i === d ? s : 1))), shape)));
  const vals = broadcastTo(astype(operand(where, 2, values, x.dtype), x.dtype), shape);
  const out = x.at(...items).set(vals);
  return axisGiven === null ? reshape(out, x0.shape) : out;
}

/**
 * jnp.place(arr, mask, vals, inplace=False): arr with its positions where mask is true set to
 * vals in order, vals repeated when shorter (numpy's rule: the k-th true position takes
 * vals[k % vals.size]). mask has arr's size. Made of where and a gather at cumsum(mask) - 1, so it
 * runs under jit and differentiates into arr (where mask is false) and vals.
 */
export function place(arr: ArrayInput, mask: ArrayInput, vals: ArrayInput, opts?: { inplace?: boolean }): NDArray {
  const where = 'np.place';
  atMost(where, arguments.length, 4);
  required(where, 'mask', mask);
  required(where, 'vals', vals);
  const o = readOptions<{ inplace?: boolean }>(where, opts, { inplace: 'boolean' });
  notInPlace(where, o.inplace);
  const x = operand(where, 0, arr);
  const m = operand(where, 1, mask);
  if (m.size !== x.size) throw new ShapeError(`${where}: mask ${describe(m.shape, m.dtype)} must have the size of arr ${describe(x.shape, x.dtype)}`);
  const v = reshape(astype(operand(where, 2, vals, x.dtype), x.dtype), [-1]);
  if (x.size === 0) return x;
  // (numpy refuses empty vals only when mask has a true; without values to look at, always)
  if (v.size === 0) throw new ValueError(`${where}: vals is empty, so there is nothing to place (numpy: "Cannot insert from an empty array")`);
  const flat = astype(reshape(m, [-1]), 'bool');
  const k = cumsum(astype(flat, 'int32')); // the k-th true position reads vals[(k - 1) % vals.size]
  const at = remainder(maximum(add(k, int32([-1], [])), int32([0], [])), int32([v.size], []));
  return reshape(npWhere(flat, v.at(at).get(), reshape(x, [-1])), x.shape);
}
