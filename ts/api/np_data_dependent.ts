// numpy functions whose output shape depends on the values: nonzero, flatnonzero, argwhere,
// unique, bincount's length. As in jnp, a static `size` (bincount: `length`) makes them
// traceable: the first `size` results, the rest filled with `fillValue`. Without it they read
// the values, which works eagerly and under grad (the values are concrete there), and raises a
// TracerError under jit or on values vmap batches, saying to pass { size }.
import { NDArray, ArrayInput } from './array.js';
import * as lax from './lax.js';
import {
  astype, setNonzeroImpl, reshape, ravel, notEqual, where, sum, less, stack, concatenate, subtract, add, multiply,
} from './numpy.js';
import { isnan, floorDivide, remainder, logicalAnd, logicalNot, logicalOr } from './np_elementwise.js';
import { argsort, lexsort } from './np_sorting.js';
import { index, take, takeAlongAxis, takeAlongPermutation } from './np_indexing.js';
import { slice, moveaxis } from './np_rearrange.js';
import { cumsum, any } from './np_reductions.js';
import { operand, intsOperand, normalizeAxisList } from './np_shared.js';
import { atMost, readOptions, show } from './options.js';
import { filled } from './creation.js';
import { TracerError, ValueError, describe } from '../core/errors.js';
import { DType, isComplex } from '../core/dtype.js';

/**
 * A count the output shape needs, read from a (0-d) Array: concrete eagerly and under grad; under
 * jit, or batched by vmap, a TracerError naming the static option that replaces it.
 */
export function concreteCount(where: string, n: NDArray, option: string): number {
  try {
    return Number(n.item());
  } catch (e) {
    if (!(e instanceof TracerError)) throw e;
    throw new TracerError(`${where}: the output's length depends on the values, which are not concrete here (abstract under jit, or ` +
      `batched by vmap); pass a static { ${option} } (as jnp.${where.slice(3).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)} needs ${option}=...)`, { cause: e });
  }
}

/** A non-negative integer option, or undefined. */
export function staticLength(where: string, name: string, v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new ValueError(`${where}: ${name} must be a non-negative integer, got ${show(v)}`);
  return v;
}

const SCATTER = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] };

/**
 * Positions of the first `size` true entries of the 1-d bool `mask`, in order: [positions (int32
 * [size], 0 past the count), valid (bool [size]: below the count), count (int32 0-d)].
 * A scatter of each true entry's position to its rank (ranks past `size` dropped), so it traces.
 */
export function firstTrue(mask: NDArray, size: number): { pos: NDArray; valid: NDArray; count: NDArray } {
  const n = mask.size;
  const m = astype(mask, 'int32');
  const count = sum(m);
  const valid = less(lax.iota(size), count);
  if (n === 0 || size === 0) return { pos: lax.full([size], 0, 'int32'), valid, count };
  const rank = subtract(cumsum(m), 1);
  const target = where(mask, rank, size); // (size: out of range, dropped)
  const pos = lax.scatterAdd(lax.full([size], 0, 'int32'), reshape(target, [n, 1]), lax.iota(n), SCATTER, { mode: 'fill' });
  return { pos, valid, count };
}

export interface NonzeroOptions { size?: number; fillValue?: number | number[] }
const NONZERO = { size: 'number', fillValue: 'any' } as const;

function fillValues(fn: string, fill: unknown, k: number): number[] {
  if (fill === undefined || fill === null) return Array(k).fill(0);
  const vals = typeof fill === 'number' ? Array(k).fill(fill) : fill;
  if (!Array.isArray(vals) || vals.length !== k || vals.some((v) => typeof v !== 'number' || !Number.isInteger(v))) {
    throw new ValueError(`${fn}: fillValue must be an integer or a list of ${k} integers (one per dimension), got ${show(fill)}`);
  }
  return vals as number[];
}

function nonzeroNamed(fn: string, a: NDArray, opts: unknown): NDArray[] {
  const o = readOptions<NonzeroOptions>(fn, opts, NONZERO);
  let size = staticLength(fn, 'size', o.size);
  if (a.ndim === 0) throw new ValueError(`${fn}: a 0-d array has no dimensions to index (numpy 2 refuses it too); use np.atleast1d(x) first`);
  const fill = fillValues(fn, o.fillValue, a.ndim);
  if (size === undefined && o.fillValue !== undefined) throw new ValueError(`${fn}: fillValue needs a size (it fills the entries past the count)`);
  const mask = a.dtype === 'bool' ? ravel(a) : ravel(notEqual(a, 0));
  // Without a size only the count is read first (it ran firstTrue's cumsum and scatter twice, and
  // the mask twice: flatnonzero of 1M floats was ~20x numpy's); then every slot is valid.
  const exact = size === undefined;
  if (size === undefined) size = concreteCount(fn, sum(astype(mask, 'int32')), 'size');
  const { pos, valid } = firstTrue(mask, size);
  return a.shape.map((d, k) => {
    const stride = a.shape.slice(k + 1).reduce((p, q) => p * q, 1);
    const q = stride === 1 ? pos : floorDivide(pos, stride);
    const c = k === 0 ? q : remainder(q, d);
    return exact ? c : where(valid, c, fill[k]);
  });
}

/**
 * np.nonzero(x, { size, fillValue }): int32 indices of the nonzero entries, one Array per
 * dimension (numpy's tuple), in row-major order. Under jit or vmap pass `size`: the first `size`
 * entries, the rest `fillValue` (default 0; one per dimension as a list), as jnp.nonzero.
 */
export function nonzero(x: ArrayInput, opts?: NonzeroOptions): NDArray[] {
  atMost('np.nonzero', arguments.length, 2);
  return nonzeroNamed('np.nonzero', operand('np.nonzero', 0, x), opts);
}

setNonzeroImpl((cond, opts) => nonzeroNamed('np.where', operand('np.where', 0, cond), opts));

/** np.flatnonzero(x, { size, fillValue }): int32 positions of the nonzero entries of the flattened x. */
export function flatnonzero(x: ArrayInput, opts?: NonzeroOptions): NDArray {
  atMost('np.flatnonzero', arguments.length, 2);
  return nonzeroNamed('np.flatnonzero', ravel(operand('np.flatnonzero', 0, x)), opts)[0];
}

/** np.argwhere(x, { size, fillValue }): int32 [count, ndim], the indices of the nonzero entries (rows in row-major order). */
export function argwhere(x: ArrayInput, opts?: NonzeroOptions): NDArray {
  const fn = 'np.argwhere';
  atMost(fn, arguments.length, 2);
  const a = operand(fn, 0, x);
  if (a.ndim === 0) { // numpy: [1, 0] when nonzero, [0, 0] otherwise
    const k = nonzeroNamed(fn, reshape(a, [1]), opts)[0];
    return lax.full([k.size, 0], 0, 'int32');
  }
  return stack(nonzeroNamed(fn, a, opts), { axis: 1 });
}

export interface UniqueOptions {
  returnIndex?: boolean; returnInverse?: boolean; returnCounts?: boolean; equalNan?: boolean;
  size?: number; fillValue?: ArrayInput; axis?: number | null;
}
const UNIQUE = {
  returnIndex: 'boolean', returnInverse: 'boolean', returnCounts: 'boolean', equalNan: 'boolean', size: 'number', fillValue: 'any', axis: 'any',
} as const;

/**
 * np.unique(x, { axis, returnIndex, returnInverse, returnCounts, equalNan, size, fillValue }): the
 * sorted distinct values of the flattened x (NaNs last; with equalNan, the default, one NaN), or
 * with `axis` the distinct slices along it, in lexicographic order (numpy's). With any return
 * flag, [values, index?, inverse?, counts?] in numpy's order: index of each value's first
 * occurrence, inverse rebuilding x from the values (x's shape, numpy 2; 1-d along `axis` with
 * one), counts (int32). Under jit or vmap pass `size`: the first `size` values, the rest
 * `fillValue` (default: the smallest value, jnp's), their index that value's, their count 0.
 * With `axis`, equalNan (jnp's) also makes slices equal whose NaNs sit in the same places (numpy
 * keeps every slice with a NaN apart: pass equalNan false for that). Complex values in numpy's order
 * (R+Rj < R+nanj < nan+Rj < nan+nanj; any NaN part makes a NaN). Values differentiate (a gather).
 */
export function unique(x: ArrayInput, opts: UniqueOptions & ({ returnIndex: true } | { returnInverse: true } | { returnCounts: true })): NDArray[];
export function unique(x: ArrayInput, opts?: UniqueOptions): NDArray;
export function unique(x: ArrayInput, opts?: UniqueOptions): NDArray | NDArray[] {
  const fn = 'np.unique';
  atMost(fn, arguments.length, 2);
  const o = readOptions<UniqueOptions>(fn, opts, UNIQUE);
  const a = operand(fn, 0, x);
  if (o.axis !== undefined && o.axis !== null && typeof o.axis !== 'number') throw new ValueError(`${fn}: axis must be an integer or null, got ${show(o.axis)}`);
  const ax = o.axis === undefined || o.axis === null ? null : normalizeAxisList(fn, [o.axis], a.ndim)[0];
  let size = staticLength(fn, 'size', o.size);
  // the slices compared: x's entries, or with an axis rows [n, r] (each slice flattened)
  const moved = ax === null ? a : moveaxis(a, ax, 0);
  const rest = moved.shape.slice(1), flat = ax === null ? ravel(a) : reshape(moved, [moved.shape[0], rest.reduce((p, q) => p * q, 1)]);
  const n = flat.shape[0];
  const shaped = (v: NDArray) => (ax === null ? v : moveaxis(reshape(v, [v.shape[0], ...rest]), 0, ax));
  const fillGiven = o.fillValue !== undefined && o.fillValue !== null;
  if (fillGiven && size === undefined) throw new ValueError(`${fn}: fillValue needs a size (it fills the entries past the count)`);
  const fillArr = fillGiven ? astype(operand(fn, 1, o.fillValue as ArrayInput, a.dtype), a.dtype) : null;
  if (fillArr !== null && fillArr.ndim !== 0) throw new ValueError(`${fn}: fillValue must be a scalar, got ${describe(fillArr.shape, fillArr.dtype)}`);
  const out: NDArray[] = [];
  const flags = [o.returnIndex, o.returnInverse, o.returnCounts];
  if (n === 0) {
    const k = size ?? 0;
    const shape = [k, ...flat.shape.slice(1)];
    out.push(shaped(k === 0 ? flat : fillArr !== null ? lax.broadcastInDim(fillArr, shape, []) : filled(fn, shape, 0, a.dtype)));
    if (o.returnIndex) out.push(lax.full([k], 0, 'int32'));
    if (o.returnInverse) out.push(lax.full(ax === null ? a.shape : [0], 0, 'int32'));
    if (o.returnCounts) out.push(lax.full([k], 0, 'int32'));
    return flags.some(Boolean) ? out : out[0];
  }
  // rows by lexsort (its last key first: column 0's); rows of no entries are all equal
  const cx = isComplex(a.dtype);
  const perm = ax === null ? (cx ? lexsort(complexKeys(flat, false)) : argsort(flat))
    : flat.shape[1] === 0 ? lax.iota(n)
    : lexsort(Array.from({ length: flat.shape[1] }, (_, j) => index(flat, ':', flat.shape[1] - 1 - j))
      .flatMap((c) => (cx ? complexKeys(c, o.equalNan ?? true) : [c])));
  const sorted = ax === null ? takeAlongPermutation(flat, perm, 0) : take(flat, perm, { axis: 0, mode: 'clip' });
  let mask: NDArray = lax.full([1], 1, 'bool');
  if (n > 1) {
    const rows = (lo: number, hi: number) => (ax === null ? slice(sorted, [lo], [hi]) : slice(sorted, [lo, 0], [hi, sorted.shape[1]]));
    const s1 = rows(1, n), s0 = rows(0, n - 1);
    let step = notEqual(s1, s0);
    if (o.equalNan ?? true) step = logicalAnd(step, logicalNot(logicalAnd(isnan(s1), isnan(s0))));
    mask = concatenate([mask, ax === null ? step : any(step, { axis: 1 })]);
  }
  if (size === undefined) size = concreteCount(fn, sum(astype(mask, 'int32')), 'size');
  const { pos, valid } = firstTrue(mask, size);
  let values = size === 0 ? take(sorted, lax.full([0], 0, 'int32'), { axis: 0 }) : ax === null ? takeAlongAxis(sorted, pos, 0, { mode: 'clip' }) : take(sorted, pos, { axis: 0, mode: 'clip' });
  if (fillArr !== null) values = where(ax === null ? valid : reshape(valid, [size, 1]), values, fillArr);
  out.push(shaped(values));
  if (o.returnIndex) out.push(size === 0 ? lax.full([0], 0, 'int32') : takeAlongAxis(perm, pos, 0, { mode: 'clip' }));
  if (o.returnInverse) {
    const rank = subtract(cumsum(astype(mask, 'int32')), 1);
    out.push(reshape(lax.scatterAdd(lax.full([n], 0, 'int32'), reshape(perm, [n, 1]), rank, SCATTER, { mode: 'fill' }), ax === null ? a.shape : [n]));
  }
  if (o.returnCounts) {
    const next = firstTrue(mask, size + 1);
    const ends = where(next.valid, next.pos, n);
    out.push(subtract(slice(ends, [1], [size + 1]), slice(ends, [0], [size])));
  }
  return flags.some(Boolean) ? out : out[0];
}

/**
 * lexsort keys (primary last) putting complex z in numpy's order: R+Rj < R+nanj < nan+Rj < nan+nanj,
 * so every value with a NaN part comes after the others, together (the sort alone put 0+nanj before
 * 1+1j, and unique kept it apart from nan+0j). With `tie` all of those are equal to one another,
 * so that rows equal up to their NaNs are neighbours.
 */
function complexKeys(z: NDArray, tie: boolean): NDArray[] {
  const re = lax.real(z), im = lax.imag(z);
  const reNaN = isnan(re), imNaN = isnan(im);
  if (tie) {
    const nan = logicalOr(reNaN, imNaN);
    return [where(nan, 0, im), where(nan, 0, re), astype(nan, 'int32')];
  }
  return [im, re, add(multiply(astype(reNaN, 'int32'), 2), astype(imNaN, 'int32'))];
}

export interface BincountOptions { weights?: ArrayInput; minlength?: number; length?: number }

/**
 * np.bincount(x, { weights, minlength, length }): counts (int32; the weights' dtype with weights)
 * of each value of the non-negative 1-d integer x. `length` (jnp's) fixes the output length, as
 * jit and vmap need: values at or past it are dropped, and traced negative values count in bin 0
 * (jnp's clip); without it the length is max(x) + 1 (at least minlength), read from the values,
 * and a negative value is a ValueError (numpy).
 */
export function bincount(x: ArrayInput, opts?: BincountOptions): NDArray {
  const fn = 'np.bincount';
  atMost(fn, arguments.length, 2);
  const o = readOptions<BincountOptions>(fn, opts, { weights: 'any', minlength: 'number', length: 'number' });
  let a = intsOperand(fn, x); // (a list of floats was truncated to ints)
  if (a.dtype === 'bool') a = astype(a, 'int32');
  if (a.dtype !== 'int32' && a.dtype !== 'uint32') throw new ValueError(`${fn}: x must hold integers (int32, uint32 or bool), got ${describe(a.shape, a.dtype)}`);
  if (a.ndim !== 1) throw new ValueError(`${fn}: x must be 1-d, got ${describe(a.shape, a.dtype)}`);
  const minlength = staticLength(fn, 'minlength', o.minlength) ?? 0;
  let length = staticLength(fn, 'length', o.length);
  let w: NDArray | null = null;
  if (o.weights !== undefined && o.weights !== null) {
    w = operand(fn, 1, o.weights);
    if (!lax.sameShape(w.shape, a.shape)) throw new ValueError(`${fn}: weights ${describe(w.shape, w.dtype)} must have x's shape ${describe(a.shape, a.dtype)}`);
    if (w.dtype === 'bool') w = astype(w, 'int32');
  }
  let readable = true, vals: ArrayLike<number> = [];
  try { vals = a._values(fn); } catch (e) { if (!(e instanceof TracerError)) throw e; readable = false; }
  if (readable) {
    for (let i = 0; i < vals.length; i++) {
      if (vals[i] < 0) throw new ValueError(`${fn}: x must hold no negative values, got ${vals[i]} at index ${i}`);
    }
  }
  if (length === undefined) {
    if (!readable) {
      throw new TracerError(`${fn}: the output's length depends on the values, which are not concrete here (abstract under jit, or ` +
        'batched by vmap); pass a static { length } (as jnp.bincount needs length=...)');
    }
    let top = -1;
    for (let i = 0; i < vals.length; i++) top = Math.max(top, vals[i]);
    length = Math.max(minlength, top + 1);
  }
  const dt: DType = w === null ? 'int32' : w.dtype;
  const zeros = filled(fn, [length], 0, dt);
  if (a.size === 0 || length === 0) return zeros;
  // uint32 held below length first (then int32 is exact); negatives into bin 0 (jnp's clip)
  const idx = a.dtype === 'uint32' ? astype(lax.min(a, lax.full(a.shape, length, 'uint32')), 'int32') : lax.max(a, lax.full(a.shape, 0, 'int32'));
  return lax.scatterAdd(zeros, reshape(idx, [a.size, 1]), w ?? lax.full(a.shape, 1, 'int32'), SCATTER, { mode: 'fill' });
}
