// Sorting on the argsort primitive (a stable permutation, NaNs last): sort's values are a gather
// of the operand by that permutation, so they differentiate through the gather (the
// permutation itself has no derivative); topK is the first k of a descending argsort.
import { NDArray, ArrayInput } from './array.js';
import * as lax from './lax.js';
import {
  astype, reshape, dtypeForPromotion,
} from './numpy.js';
import { operand, requireComputable, normalizeAxisList } from './np_shared.js';
import { takeAlongAxis, takeAlongPermutation, index, take, int32 } from './np_indexing.js';
import { flip } from './np_rearrange.js';
import { atMost, intAxis, readOptions, readTrailing, show } from './options.js';
import { DTypeError, ValueError, describe } from '../core/errors.js';
import { isComplex, isInteger, promoteAny } from '../core/dtype.js';

export interface SortOptions { axis?: number | null; descending?: boolean; stable?: boolean }
const SORT = { axis: 'axis', descending: 'boolean', stable: 'boolean' } as const;

function sortArgs(where: string, x: ArrayInput, opts: unknown) {
  const o = readOptions<SortOptions>(where, opts, SORT, 'axis');
  let a = operand(where, 0, x);
  requireComputable(where, [a]);
  const isBool = a.dtype === 'bool', given = a.dtype;
  if (isBool) a = astype(a, 'float32');
  if (Array.isArray(o.axis)) throw new ValueError(`${where}: axis must be an integer or null, got ${show(o.axis)}`);
  if (o.axis === null) a = reshape(a, [-1]);
  if (a.ndim === 0) throw new ValueError(`${where}: cannot sort a 0-d array ${describe(a.shape, given)}`);
  const axis = o.axis === null ? 0 : normalizeAxisList(where, [o.axis ?? -1], a.ndim)[0];
  return { a, axis, descending: o.descending ?? false, isBool };
}


/**
 * The argsort primitive, and for complex values NumPy's lexicographic order by (real, imag): a
 * stable sort by the imaginary parts, then a stable sort of those by the real parts.
 */
function permutation(a: NDArray, axis: number, descending: boolean): NDArray {
  if (!isComplex(a.dtype)) return lax.argsort(a, axis, descending);
  const byImag = lax.argsort(lax.imag(a), axis, descending);
  const re = takeAlongPermutation(lax.real(a), byImag, axis);
  return takeAlongPermutation(byImag, lax.argsort(re, axis, descending), axis);
}

/** np.argsort: a stable int32 permutation along `axis` (default -1; null: flattened), NaNs last. */
export function argsort(x: ArrayInput, opts?: SortOptions | number | null): NDArray {
  atMost('np.argsort', arguments.length, 2);
  const { a, axis, descending } = sortArgs('np.argsort', x, opts);
  return permutation(a, axis, descending);
}

/** np.sort: values along `axis` (default -1; null: flattened), NaNs last; differentiable. */
export function sort(x: ArrayInput, opts?: SortOptions | number | null): NDArray {
  atMost('np.sort', arguments.length, 2);
  const { a, axis, descending, isBool } = sortArgs('np.sort', x, opts);
  if (a.size === 0) return isBool ? astype(a, 'bool') : a; // (nothing to gather; clip has no index in an empty axis)
  // jnp.sort's descending is lax.rev of the stable ascending sort (jax/_src/numpy/lax_numpy.py), so
  // tied values come in reverse index order and a tie's derivative goes there (-0 before 0 too);
  // the descending permutation kept ties in index order (jnp.argsort's, which np.argsort keeps)
  const perm = permutation(a, axis, false);
  const r = takeAlongPermutation(a, descending ? flip(perm, [axis]) : perm, axis);
  return isBool ? astype(r, 'bool') : r;
}

/** lax.topK: the k largest along the last axis, [values, int32 indices], ties by lower index. */
/**
 * np.partition(x, kth, { axis }): x with the element at each kth index where a sort puts it,
 * smaller ones before and larger after (numpy leaves their order unspecified; here they are
 * sorted: a full sort meets the contract). argpartition: the matching indices.
 */
export function partition(x: ArrayInput, kth: number | number[], opts?: { axis?: number | null } | number | null): NDArray {
  atMost('np.partition', arguments.length, 3);
  const { a, axis } = sortArgs('np.partition', x, opts);
  if (a.size > 0) checkKth('np.partition', kth, a.shape[axis]); // (numpy checks no kth of an empty array)
  return sort(x, opts);
}
export function argpartition(x: ArrayInput, kth: number | number[], opts?: { axis?: number | null } | number | null): NDArray {
  atMost('np.argpartition', arguments.length, 3);
  const { a, axis } = sortArgs('np.argpartition', x, opts);
  if (a.size > 0) checkKth('np.argpartition', kth, a.shape[axis]);
  return argsort(x, opts);
}

function checkKth(where: string, kth: unknown, n: number): void {
  const ks = Array.isArray(kth) ? kth : [kth];
  for (const k of ks) {
    if (typeof k !== 'number' || !Number.isInteger(k)) throw new ValueError(`${where}: kth must be an integer or a list of integers, got ${show(kth)}`);
    if (k < -n || k >= n) throw new ValueError(`${where}: kth(=${k}) out of bounds (${n})`);
  }
}

/**
 * np.lexsort(keys, { axis }): the stable permutation that sorts by the last key, ties broken by
 * the one before, and so on (numpy's order of keys): stable argsorts, from the first key to the
 * last, each of the keys permuted so far.
 */
export function lexsort(keys: ArrayInput[] | ArrayInput, opts?: { axis?: number } | number): NDArray {
  const where = 'np.lexsort';
  atMost(where, arguments.length, 2);
  const o = readOptions<{ axis?: number }>(where, opts, { axis: 'axis' }, 'axis');
  const list = (keys instanceof NDArray ? (keys.ndim === 0 ? [keys] : [...keys]) : Array.isArray(keys) ? keys.map((k, i) => operand(where, i, k)) : [operand(where, 0, keys)]) as NDArray[];
  if (list.length === 0) throw new ValueError(`${where}: need a sequence of keys with len > 0`);
  const shape = list[0].shape;
  if (list.some((k) => !lax.sameShape(k.shape, shape))) throw new ValueError(`${where}: all keys need to be the same shape, got ${list.map((k) => describe(k.shape, k.dtype)).join(', ')}`);
  if (shape.length === 0) {
    // (numpy and jnp read a 1-d Array's entries as 0-d keys too, and return 0)
    const one = keys instanceof NDArray && keys.ndim === 1 ? `; keys is one 1-d Array (${describe(keys.shape, keys.dtype)}), whose entries are the keys: pass [x] to sort by x` : '';
    throw new ValueError(`${where}: cannot sort 0-d keys${one}`);
  }
  const axis = normalizeAxisList(where, [intAxis(where, o.axis, -1)], shape.length)[0]; // (one integer: null and lists refused)
  let perm: NDArray | null = null;
  for (const k of list) {
    const ordered = perm === null ? k : takeAlongPermutation(k, perm, axis);
    const p = argsort(ordered, { axis });
    perm = perm === null ? p : takeAlongPermutation(perm, p, axis);
  }
  return perm!;
}

export function topK(x: ArrayInput, k: number): [NDArray, NDArray] {
  const a = operand('lax.topK', 0, x);
  requireComputable('lax.topK', [a]);
  if (a.ndim === 0) throw new ValueError(`lax.topK: needs at least 1 dim, got ${describe(a.shape, a.dtype)}`);
  const n = a.shape[a.ndim - 1];
  if (!Number.isInteger(k) || k < 0 || k > n) throw new ValueError(`lax.topK: k must be an integer in [0, ${n}], got ${show(k)}`);
  const af = a.dtype === 'bool' ? astype(a, 'float32') : a; // (argsort sorts float32/64, int32, uint32)
  const idx = index(permutation(af, a.ndim - 1, true), '...', `0:${k}`);
  return [takeAlongAxis(a, idx, a.ndim - 1, { mode: 'clip' }), idx];
}

export interface SearchsortedOptions { side?: 'left' | 'right'; sorter?: ArrayInput | null }

/**
 * np.searchsorted(a, v, side = 'left', sorter): int32 insertion points of v in the sorted 1-d a
 * (side 'left' or 'right'). sorter, numpy's: integer indices that sort a (argsort's), so the
 * search runs in a[sorter] (jnp's a[sorter]). Options in an object or numpy's positional order.
 */
export function searchsorted(a: ArrayInput, v: ArrayInput, opts?: SearchsortedOptions | 'left' | 'right' | null, sorter?: ArrayInput | null): NDArray {
  const where = 'np.searchsorted';
  atMost(where, arguments.length, 4);
  const o = readTrailing<SearchsortedOptions>(where, [opts, sorter], ['side', 'sorter'], { side: 'any', sorter: 'any' });
  if (o.side !== undefined && o.side !== 'left' && o.side !== 'right') throw new ValueError(`${where}: side must be 'left' or 'right', got ${show(o.side)}`);
  // (a JS list a read in v's float precision: beside a float64 v it was float32 first)
  const vd = v instanceof NDArray ? v.dtype : undefined;
  let s = operand(where, 0, a, vd === 'float64' || vd === 'complex128' ? vd : undefined);
  if (s.ndim !== 1) throw new ValueError(`${where}: a must be 1-d, got ${describe(s.shape, s.dtype)}`);
  if (o.sorter !== undefined && o.sorter !== null) s = sortedBy(where, s, o.sorter);
  // a and v promoted together, as jnp (a JS integer is weak: it stays exact against int32 a);
  // integers compare as float64, exact for int32 and uint32 alike (JAX's join, int32, would wrap
  // uint32 values past 2^31)
  let d = promoteAny([s.dtype, dtypeForPromotion(where, 1, v)]);
  if (d === 'bool') d = 'float32';
  if (isInteger(d)) d = 'float64';
  // an integer a or v beside float32 (a JS float, a float32 Array) compares in float64 too, as
  // numpy's: float32 rounded the integers (uint32 a [.., 2^32 - 2, 2^32 - 1] searched for
  // 4294967295.5 gave 3, numpy 5; int32 [16777217] 'right' of 16777216.5 gave 1, numpy 0)
  if (d === 'float32' && (isInteger(s.dtype) || (vd !== undefined && isInteger(vd)))) d = 'float64';
  const q = astype(operand(where, 1, v, d), d);
  if (isComplex(d)) return complexSearchsorted(astype(s, d), q, o.side ?? 'left');
  return lax.searchsorted(astype(s, d), q, o.side ?? 'left');
}

/**
 * a[sorter] for searchsorted: sorter integer indices (int32 or uint32 Array, JS integers, a
 * list or an integer typed array) of a's 1-d shape. Concrete indices must lie in [0, n), numpy's
 * ValueError; traced ones are read as jnp's a[sorter] reads them (negative from the end, clamped).
 */
function sortedBy(where: string, s: NDArray, sorter: ArrayInput): NDArray {
  const n = s.shape[0];
  let idx: NDArray;
  if (sorter instanceof NDArray) idx = sorter;
  else if (typeof sorter === 'object' && (Array.isArray(sorter) || ArrayBuffer.isView(sorter))) {
    const vals = Array.from(sorter as ArrayLike<unknown>);
    if (vals.some((x) => typeof x !== 'number' || !Number.isInteger(x))) throw new DTypeError(`${where}: sorter must hold integers (the indices that sort a, as np.argsort gives), got ${show(sorter)}`);
    if (Array.isArray(sorter) && sorter.some(Array.isArray)) throw new ValueError(`${where}: sorter must be 1-d, got ${show(sorter)}`);
    idx = int32(vals.map((x) => Math.min(Math.max(x as number, -(2 ** 31)), 2 ** 31 - 1)), [vals.length]);
  } else throw new DTypeError(`${where}: sorter must be an integer Array or list (the indices that sort a), got ${show(sorter)}`);
  if (idx.dtype !== 'int32' && idx.dtype !== 'uint32') throw new DTypeError(`${where}: sorter must be int32 or uint32 (the indices that sort a, as np.argsort gives), got ${describe(idx.shape, idx.dtype)}`);
  if (idx.ndim !== 1 || idx.shape[0] !== n) throw new ValueError(`${where}: sorter must be 1-d of a's length ${n} (numpy's sorter.size == a.size), got ${describe(idx.shape, idx.dtype)}`);
  if (!idx.isTracer) {
    const bad = Array.from(idx.dataSync() as ArrayLike<number>).find((x) => !(x >= 0 && x < n));
    if (bad !== undefined) throw new ValueError(`${where}: sorter index ${bad} is out of range for a of length ${n} (numpy's 'Sorter index out of range')`);
  }
  if (n === 0) return s;
  // traced: negative indices from the end, then clamped into [0, n) (jnp's a[sorter])
  if (idx.dtype === 'int32') idx = lax.select(lax.lt(idx, lax.full(idx.shape, 0, 'int32')), lax.add(idx, lax.full(idx.shape, n, 'int32')), idx);
  return take(s, idx, { axis: 0, mode: 'clip' });
}

/**
 * searchsorted in numpy's lexicographic complex order (real part, then imaginary): with the
 * values and a sorted together, stably, each value's place counts the entries of a before it and
 * the values before it; the latter is its rank among the values. 'left' puts the values first, so
 * an equal entry of a comes after; 'right' puts them last.
 */
function complexSearchsorted(a: NDArray, v: NDArray, side: 'left' | 'right'): NDArray {
  const flat = reshape(v, [v.size]), n = a.size, m = flat.size;
  const both = side === 'left' ? lax.concatenate([flat, a], 0) : lax.concatenate([a, flat], 0);
  const first = side === 'left' ? 0 : n; // where the values start in `both`
  const order = permutation(both, 0, false);
  const place = permutation(order, 0, false); // each element's position in the sorted order
  const mine = index(place, `${first}:${first + m}`);
  const rank = permutation(permutation(flat, 0, false), 0, false);
  return reshape(lax.sub(mine, rank), v.shape);
}
