// Indexing on the gather / scatter_add primitives. Static indices (JS numbers, lists, slice
// strings) follow numpy: out of range is an IndexError. Index Arrays (int32, traced or not) follow
// JAX: np.index and .at().get clamp, np.take / takeAlongAxis fill (NaN for floats) by default,
// .at().set/add/mul/min/max drop out-of-range updates; negative indices count from the end.
import { NDArray, ArrayInput } from './array.js';
import * as lax from './lax.js';
import {
  astype, reshape, broadcastTo, broadcastShapes, where as npWhere, multiply, minimum, maximum, checkAxes,
} from './numpy.js';
import { operand, normalizeAxisList } from './np_shared.js';
import { readOptions, show } from './options.js';
import { IndexError, DTypeError, ValueError, ShapeError, NotImplementedError, describe } from '../core/errors.js';
import { filled } from './creation.js';

const range = (n: number, from = 0) => Array.from({ length: Math.max(0, n) }, (_, i) => from + i);
/** A concrete int32 array. */
const int32 = (vals: ArrayLike<number>, shape: number[] = [vals.length]): NDArray => new NDArray(shape, 'int32', Int32Array.from(vals));

/** Static indices (numpy): integers in [-n, n), negative ones counted from the end. */
function checkStatic(where: string, vals: number[], n: number, axis: number): number[] {
  return vals.map((v) => {
    if (!Number.isInteger(v)) throw new IndexError(`${where}: index ${show(v)} is not an integer`);
    if (v < -n || v >= n) throw new IndexError(`${where}: index ${v} is out of bounds for axis ${axis} with size ${n}`);
    return v < 0 ? v + n : v;
  });
}

/** An index Array: int32 (bool masks are handled by the callers). */
function indexArray(where: string, a: NDArray): NDArray {
  if (a.dtype !== 'int32') throw new DTypeError(`${where}: index arrays must be int32 (or bool masks), got ${describe(a.shape, a.dtype)}; build them with np.array(..., { dtype: 'int32' })`);
  return a;
}

/** Nested JS numbers: their flat values and shape. */
function nestedInts(x: unknown): { vals: number[]; shape: number[] } {
  const shape: number[] = [];
  let cur: unknown = x;
  while (Array.isArray(cur)) { shape.push(cur.length); cur = cur[0]; }
  const vals = (x as unknown[]).flat(Infinity) as number[];
  return { vals, shape };
}

/** x gathered along `axis` by int32 indices of any shape (their dims replace the axis). */
function takeAxis(x: NDArray, idx: NDArray, axis: number, opts: lax.IndexOptions): NDArray {
  const ib = idx.ndim;
  const offsetDims = [...range(axis), ...range(x.ndim - 1 - axis, axis + ib)];
  return lax.gather(x, reshape(idx, [...idx.shape, 1]), { offsetDims, collapsedSliceDims: [axis], startIndexMap: [axis] },
    x.shape.map((d, i) => (i === axis ? 1 : d)), opts);
}

// ---------------------------------------------------------------- take, takeAlongAxis

export type TakeMode = 'fill' | 'clip' | 'wrap';
export interface TakeOptions { axis?: number | null; mode?: TakeMode }

function modeOptions(where: string, mode: unknown, isStatic: boolean): lax.IndexOptions {
  if (mode !== undefined && mode !== 'fill' && mode !== 'clip' && mode !== 'wrap') {
    throw new ValueError(`${where}: mode must be 'fill', 'clip' or 'wrap', got ${show(mode)}`);
  }
  if (mode === 'wrap') return { wrap: true };
  if (mode === 'clip') return { mode: 'clip', negativeIndices: !isStatic };
  return isStatic ? { mode: 'clip' } : { mode: 'fill', negativeIndices: true, fillNaN: true };
}

/**
 * np.take: elements of x (flattened when axis is null) along `axis`. Static indices out of
 * range are an IndexError (numpy) unless a mode is given; index Arrays follow JAX: mode 'fill'
 * (NaN for floats) by default, 'clip' and 'wrap' on request.
 */
export function take(x: ArrayInput, indices: ArrayInput, opts?: TakeOptions): NDArray {
  const where = 'np.take';
  const o = readOptions<TakeOptions>(where, opts, { axis: 'axis', mode: 'any' }, 'axis');
  let a = operand(where, 0, x);
  let axis: number;
  if (o.axis === undefined || o.axis === null) { a = reshape(a, [-1]); axis = 0; } else axis = normalizeAxisList(where, [o.axis], a.ndim)[0];
  const n = a.shape[axis];
  if (indices instanceof NDArray) return takeAxis(a, indexArray(where, indices), axis, modeOptions(where, o.mode, false));
  const { vals, shape } = typeof indices === 'number' ? { vals: [indices], shape: [] } : nestedInts(indices);
  const fixed = o.mode === undefined ? checkStatic(where, vals, n, axis) : vals;
  if (o.mode === 'fill' && fixed.some((v) => v < -n || v >= n)) return takeAxis(a, int32(fixed, shape), axis, modeOptions(where, 'fill', false));
  return takeAxis(a, int32(fixed, shape), axis, modeOptions(where, o.mode, o.mode === undefined));
}

/** np.takeAlongAxis: x[..., indices[...], ...] along `axis` (shapes broadcast elsewhere), JAX's modes. */
export function takeAlongAxis(x: ArrayInput, indices: ArrayInput, axis: number | null, opts?: { mode?: TakeMode }): NDArray {
  const where = 'np.takeAlongAxis';
  const o = readOptions<{ mode?: TakeMode }>(where, opts, { mode: 'any' });
  let a = operand(where, 0, x);
  let idx: NDArray;
  const isStatic = !(indices instanceof NDArray) && o.mode === undefined;
  if (indices instanceof NDArray) idx = indexArray(where, indices);
  else {
    const { vals, shape } = typeof indices === 'number' ? { vals: [indices], shape: [] } : nestedInts(indices);
    idx = int32(vals, shape);
  }
  if (axis === null) { a = reshape(a, [-1]); idx = reshape(idx, [-1]); axis = 0; }
  if (idx.ndim !== a.ndim) throw new ShapeError(`${where}: indices ${describe(idx.shape, idx.dtype)} and array ${describe(a.shape, a.dtype)} must have the same number of dimensions`);
  const ax = normalizeAxisList(where, [axis], a.ndim)[0];
  if (isStatic) idx = int32(checkStatic(where, Array.from(idx._data!), a.shape[ax], ax), idx.shape);
  const shape = broadcastShapes(where, a.shape.map((d, i) => (i === ax ? 1 : d)), idx.shape.map((d, i) => (i === ax ? 1 : d)));
  const outShape = shape.map((d, i) => (i === ax ? idx.shape[ax] : d));
  a = broadcastTo(a, shape.map((d, i) => (i === ax ? a.shape[ax] : d)));
  const parts = range(a.ndim).map((d) => {
    const comp = d === ax ? broadcastTo(idx, outShape)
      : broadcastTo(reshape(int32(range(outShape[d])), outShape.map((s, i) => (i === d ? s : 1))), outShape);
    return reshape(comp, [...outShape, 1]);
  });
  const vecs = parts.length === 1 ? parts[0] : lax.concatenate(parts, a.ndim);
  const mode = isStatic ? { mode: 'clip' as const } : modeOptions(where, o.mode, false);
  return lax.gather(a, vecs, { offsetDims: [], collapsedSliceDims: range(a.ndim), startIndexMap: range(a.ndim) }, a.shape.map(() => 1), mode);
}

// ---------------------------------------------------------------- np.index and x.at

/** A slice: a numpy-style string ('1:5', '::-1', ':') or { start, stop, step }. */
export type Slice = string | { start?: number | null; stop?: number | null; step?: number | null };
export type IndexItem = number | null | Slice | NDArray | number[] | boolean[] | NestedIndex;
type NestedIndex = (number | NestedIndex)[];

function parseSlice(where: string, s: Slice): { start: number | null; stop: number | null; step: number | null } {
  if (typeof s !== 'string') return { start: s.start ?? null, stop: s.stop ?? null, step: s.step ?? null };
  const parts = s.split(':');
  if (parts.length < 2 || parts.length > 3) throw new IndexError(`${where}: '${s}' is not a slice (start:stop[:step])`);
  const num = (p: string): number | null => {
    if (p.trim() === '') return null;
    const v = Number(p);
    if (!Number.isInteger(v)) throw new IndexError(`${where}: slice '${s}' has a non-integer bound '${p}'`);
    return v;
  };
  return { start: num(parts[0]), stop: num(parts[1]), step: parts.length === 3 ? num(parts[2]) : null };
}

/** Python's slice.indices: the positions a slice selects in a dim of size n. */
function sliceIndices(where: string, s: Slice, n: number): number[] {
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
  const out: number[] = [];
  for (let i = b; step > 0 ? i < e : i > e; i += step) out.push(i);
  return out;
}

type Dim =
  | { kind: 'slice'; idx: number[] }
  | { kind: 'int'; value: number }
  | { kind: 'array'; idx: NDArray; isStatic: boolean };

function isSliceObject(v: unknown): v is Slice {
  return typeof v === 'string' || (v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof NDArray));
}

/** Per-dim index plan for x and the items; `newAxes` are positions in the basic result. */
function plan(where: string, x: NDArray, items: IndexItem[]): { dims: Dim[]; newAxes: number[] } {
  const expanded: IndexItem[] = [];
  const consumes = (it: IndexItem) => it === null || it === '...' ? 0
    : it instanceof NDArray && it.dtype === 'bool' ? it.ndim
    : Array.isArray(it) && nestedInts(it).vals.every((v) => typeof v === 'boolean') && nestedInts(it).vals.length > 0 ? nestedInts(it).shape.length : 1;
  const nEll = items.filter((it) => it === '...').length;
  if (nEll > 1) throw new IndexError(`${where}: an index can only have a single ellipsis ('...')`);
  const used = items.reduce<number>((n, it) => n + consumes(it), 0);
  if (used > x.ndim) throw new IndexError(`${where}: too many indices for array ${describe(x.shape, x.dtype)}: ${used} were indexed`);
  for (const it of items) {
    if (it === '...') for (let i = 0; i < x.ndim - used; i++) expanded.push(':');
    else expanded.push(it);
  }
  while (expanded.filter((it) => it !== null).reduce<number>((n, it) => n + consumes(it), 0) < x.ndim) expanded.push(':');
  const dims: Dim[] = [];
  const newAxes: number[] = [];
  let d = 0, outPos = 0;
  for (const it of expanded) {
    if (it === null) { newAxes.push(outPos++); continue; }
    const n = x.shape[d];
    if (typeof it === 'number') { dims.push({ kind: 'int', value: checkStatic(where, [it], n, d)[0] }); d++; continue; }
    if (isSliceObject(it)) { dims.push({ kind: 'slice', idx: sliceIndices(where, it, n) }); d++; outPos++; continue; }
    if (it instanceof NDArray && it.dtype === 'bool') {
      // A mask: its nonzero positions, one int32 index array per masked dim (needs its values).
      const k = it.ndim, vals = it._values(where);
      if (!it.shape.every((s, i) => s === x.shape[d + i])) throw new IndexError(`${where}: boolean index ${describe(it.shape, it.dtype)} does not match ${describe(x.shape, x.dtype)} at dim ${d}`);
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
    if (Array.isArray(it)) {
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

/** x[items] with `arrayMode` for index Arrays (JAX: clip for indexing, fill-and-drop for .at updates). */
function indexWith(where: string, x: NDArray, items: IndexItem[], arrayMode: lax.IndexOptions): NDArray {
  const { dims, newAxes } = plan(where, x, items);
  const hasArrays = dims.some((p) => p.kind === 'array');
  if (hasArrays && newAxes.length > 0) throw new NotImplementedError(`${where}: null (new axes) together with index arrays is not supported yet`);
  // Integers are advanced indices when arrays are present (numpy's placement rule).
  const plans: Dim[] = dims.map((p) => (p.kind === 'int' && hasArrays ? { kind: 'array', idx: int32([p.value], []), isStatic: true } : p));
  let r = x;
  // Slices and (basic) integers, last dim first so the dim numbers stay valid.
  for (let d = plans.length - 1; d >= 0; d--) {
    const p = plans[d];
    if (p.kind === 'slice' && !(p.idx.length === r.shape[d] && p.idx.every((v, i) => v === i))) r = takeAxis(r, int32(p.idx), d, { mode: 'clip' });
    else if (p.kind === 'int') r = takeAxis(r, int32([p.value], []), d, { mode: 'clip' });
  }
  const adv = plans.map((p, d) => (p.kind === 'array' ? d : -1)).filter((d) => d >= 0);
  if (adv.length > 0) {
    const arrs = adv.map((d) => (plans[d] as { idx: NDArray }).idx);
    const B = broadcastShapes(where, ...arrs.map((a) => a.shape));
    const vecs = arrs.map((a) => reshape(broadcastTo(a, B), [...B, 1]));
    const idx = vecs.length === 1 ? vecs[0] : lax.concatenate(vecs, B.length);
    const adjacent = adv.every((d, i) => i === 0 || d === adv[i - 1] + 1);
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

/** x.at(...index): pure updates of the indexed positions (JAX's x.at[...]). */
export class AtIndex {
  constructor(private readonly x: NDArray, private readonly items: IndexItem[]) {}

  /** The indexed values, out-of-range index Arrays clamped (as indexing). */
  get(): NDArray { return indexWith('x.at().get', this.x, this.items, { mode: 'clip', negativeIndices: true }); }
  /** Out-of-range updates are dropped; with repeated indices the last update wins (numpy). */
  set(v: ArrayInput): NDArray { return this.update('set', v); }
  /** Repeated indices accumulate. */
  add(v: ArrayInput): NDArray { return this.update('add', v); }
  multiply(v: ArrayInput): NDArray { return this.update('mul', v); }
  mul(v: ArrayInput): NDArray { return this.update('mul', v); }
  min(v: ArrayInput): NDArray { return this.update('min', v); }
  max(v: ArrayInput): NDArray { return this.update('max', v); }

  private update(kind: 'set' | 'add' | 'mul' | 'min' | 'max', v: ArrayInput): NDArray {
    const where = `x.at().${kind}`;
    const x = this.x;
    if (x.dtype !== 'float32' && x.dtype !== 'float64') throw new DTypeError(`${where}: updates of ${x.dtype} arrays are not supported yet (float32, float64)`);
    // Flat positions of the indexed elements; out-of-range index Arrays give INT_MIN (dropped).
    const iota = int32(range(x.size), x.shape);
    const pos = indexWith(where, iota, this.items, { mode: 'fill', negativeIndices: true, fillNaN: true });
    const upd = reshape(broadcastTo(astype(operand(where, 1, v, x.dtype), x.dtype), pos.shape), [-1]);
    const flat = reshape(x, [-1]);
    const p = Array.from(pos._values(where));
    const dims = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] };
    const scatter = (into: NDArray, which: number[], vals: NDArray) =>
      lax.scatterAdd(into, int32(which.map((i) => p[i]), [which.length, 1]), vals, dims, { mode: 'fill' });
    let out: NDArray;
    if (kind === 'add') out = scatter(flat, range(p.length), upd);
    else {
      // Rounds of distinct positions (the k-th occurrence of each position in round k), applied in order.
      const seen = new Map<number, number>();
      const rounds: number[][] = [];
      p.forEach((q, i) => {
        if (q < 0) return; // dropped
        const k = seen.get(q) ?? 0;
        seen.set(q, k + 1);
        (rounds[k] ??= []).push(i);
      });
      out = flat;
      for (const round of rounds) {
        const hit = new Uint8Array(x.size);
        for (const i of round) hit[p[i]] = 1;
        const mask = new NDArray([x.size], 'bool', hit);
        const vr = takeAxis(upd, int32(round), 0, { mode: 'clip' });
        const placed = scatter(filled(where, [x.size], 0, x.dtype), round, vr);
        const next = kind === 'set' ? placed : kind === 'mul' ? multiply(out, placed) : kind === 'min' ? minimum(out, placed) : maximum(out, placed);
        out = npWhere(mask, next, out);
      }
    }
    return reshape(out, x.shape);
  }
}

// ---------------------------------------------------------------- slices, pads, rearrangements

/** lax.slice: static start/limit/stride per axis (a negative stride walks backwards, numpy's slice). */
export function slice(x: ArrayInput, start: number[], stop: (number | null)[], step?: number[]): NDArray {
  const a = operand('np.slice', 0, x);
  if (start.length !== a.ndim || stop.length !== a.ndim || (step && step.length !== a.ndim)) {
    throw new ShapeError(`np.slice: need one start, stop (and step) per axis of ${describe(a.shape, a.dtype)}`);
  }
  return indexWith('np.slice', a, start.map((s, i) => ({ start: s, stop: stop[i], step: step ? step[i] : 1 })), {});
}

/** lax.dynamicSlice: a window of `sizes` at `starts` (JS numbers or int32 scalars), clamped to fit (JAX). */
export function dynamicSlice(x: ArrayInput, starts: (number | NDArray)[], sizes: number[]): NDArray {
  const a = operand('lax.dynamicSlice', 0, x);
  if (starts.length !== a.ndim || sizes.length !== a.ndim) throw new ShapeError(`lax.dynamicSlice: need one start and size per axis of ${describe(a.shape, a.dtype)}`);
  return lax.gather(a, startVector('lax.dynamicSlice', starts), { offsetDims: range(a.ndim), collapsedSliceDims: [], startIndexMap: range(a.ndim) }, sizes, { mode: 'clip' });
}

function startVector(where: string, starts: (number | NDArray)[]): NDArray {
  if (starts.every((s) => typeof s === 'number')) return int32(starts as number[]);
  return lax.concatenate(starts.map((s) => {
    if (typeof s === 'number') return int32([s]);
    if (s.dtype !== 'int32' || s.ndim !== 0) throw new DTypeError(`${where}: starts must be JS integers or int32 scalars, got ${describe(s.shape, s.dtype)}`);
    return reshape(s, [1]);
  }), 0);
}

/** lax.dynamicUpdateSlice: x with `update` written at `starts` (clamped so that it fits, as JAX). */
export function dynamicUpdateSlice(x: ArrayInput, update: ArrayInput, starts: (number | NDArray)[]): NDArray {
  const where = 'lax.dynamicUpdateSlice';
  const a = operand(where, 0, x), u = astype(operand(where, 1, update, a.dtype), a.dtype);
  if (u.ndim !== a.ndim || starts.length !== a.ndim) throw new ShapeError(`${where}: update ${describe(u.shape, u.dtype)} and starts must match the rank of ${describe(a.shape, a.dtype)}`);
  const idx = startVector(where, starts);
  const dims = { updateWindowDims: range(a.ndim), insertedWindowDims: [], scatterDimsToOperandDims: range(a.ndim) };
  const zeros = filled(where, a.shape, 0, a.dtype);
  const placed = lax.scatterAdd(zeros, idx, u, dims, { mode: 'clip' });
  const hit = lax.scatterAdd(zeros, idx, filled(where, u.shape, 1, a.dtype), dims, { mode: 'clip' });
  return where_(lax.ne(hit, zeros), placed, a);
}
const where_ = (c: NDArray, x: NDArray, y: NDArray) => lax.select(c, x, y);

export interface PadOptions { mode?: 'constant' | 'edge' | 'reflect'; constantValues?: number }

/** np.pad: `padWidth` as n, [before, after] or one pair per axis; modes constant, edge, reflect. */
export function pad(x: ArrayInput, padWidth: number | number[] | number[][], opts?: PadOptions): NDArray {
  const where = 'np.pad';
  const o = readOptions<PadOptions>(where, opts, { mode: 'any', constantValues: 'number' });
  const mode = o.mode ?? 'constant';
  if (mode !== 'constant' && mode !== 'edge' && mode !== 'reflect') throw new ValueError(`${where}: mode must be 'constant', 'edge' or 'reflect', got ${show(mode)}`);
  let a = operand(where, 0, x);
  const pairs: number[][] = typeof padWidth === 'number' ? a.shape.map(() => [padWidth, padWidth])
    : !Array.isArray(padWidth[0]) ? a.shape.map(() => padWidth as number[]) : padWidth as number[][];
  if (pairs.length !== a.ndim || pairs.some((p) => p.length !== 2 || p.some((w) => !Number.isInteger(w) || w < 0))) {
    throw new ValueError(`${where}: pad widths must be non-negative integers, one [before, after] per axis of ${describe(a.shape, a.dtype)}, got ${show(padWidth)}`);
  }
  pairs.forEach(([b, e], d) => {
    if (b === 0 && e === 0) return;
    const n = a.shape[d];
    if (mode === 'constant') {
      const side = (w: number) => filled(where, a.shape.map((s, i) => (i === d ? w : s)), o.constantValues ?? 0, a.dtype);
      a = lax.concatenate([side(b), a, side(e)].filter((p) => p.shape[d] > 0), d);
      return;
    }
    if (n === 0) throw new ValueError(`${where}: cannot pad an empty axis with mode '${mode}'`);
    if (mode === 'reflect' && n === 1) { a = takeAxis(a, int32(Array(b + n + e).fill(0)), d, { mode: 'clip' }); return; }
    const src = range(b + n + e, -b).map((i) => {
      if (mode === 'edge') return Math.min(Math.max(i, 0), n - 1);
      const period = 2 * (n - 1);
      let m = ((i % period) + period) % period;
      if (m >= n) m = period - m;
      return m;
    });
    a = takeAxis(a, int32(src), d, { mode: 'clip' });
  });
  return a;
}

/** np.flip along `axis` (default all axes). */
export function flip(x: ArrayInput, axis?: number | number[] | null): NDArray {
  const a = operand('np.flip', 0, x);
  let r = a;
  for (const d of checkAxes('np.flip', axis ?? null, a.ndim)) r = takeAxis(r, int32(range(a.shape[d]).reverse()), d, { mode: 'clip' });
  return r;
}

/** np.roll: elements shifted along `axis` (the flattened array when null), wrapping around. */
export function roll(x: ArrayInput, shift: number | number[], axis?: number | number[] | null): NDArray {
  const a = operand('np.roll', 0, x);
  if (axis === undefined || axis === null) return reshape(roll(reshape(a, [-1]), typeof shift === 'number' ? shift : shift.reduce((p, q) => p + q, 0), 0), a.shape);
  const axes = typeof axis === 'number' ? [axis] : axis;
  const shifts = typeof shift === 'number' ? axes.map(() => shift) : shift;
  if (shifts.length !== axes.length) throw new ValueError(`np.roll: ${shifts.length} shifts for ${axes.length} axes`);
  let r = a;
  axes.forEach((ax, k) => {
    const d = normalizeAxisList('np.roll', [ax], a.ndim)[0], n = a.shape[d];
    if (n > 0) r = takeAxis(r, int32(range(n).map((i) => (((i - shifts[k]) % n) + n) % n)), d, { mode: 'clip' });
  });
  return r;
}

/** np.tile: x repeated `reps` times along each axis (ranks padded with leading 1s). */
export function tile(x: ArrayInput, reps: number | number[]): NDArray {
  const a = operand('np.tile', 0, x);
  const rp = typeof reps === 'number' ? [reps] : reps;
  if (rp.some((v) => !Number.isInteger(v) || v < 0)) throw new ValueError(`np.tile: reps must be non-negative integers, got ${show(reps)}`);
  const nd = Math.max(a.ndim, rp.length);
  const s = [...Array(nd - a.ndim).fill(1), ...a.shape], r = [...Array(nd - rp.length).fill(1), ...rp];
  const b = broadcastTo(reshape(a, s.flatMap((d) => [1, d])), s.flatMap((d, i) => [r[i], d]));
  return reshape(b, s.map((d, i) => d * r[i]));
}

/** np.repeat: each element repeated (an int, or one count per element) along `axis` (null: flattened). */
export function repeat(x: ArrayInput, repeats: number | number[], axis?: number | null): NDArray {
  let a = operand('np.repeat', 0, x);
  if (axis === undefined || axis === null) { a = reshape(a, [-1]); axis = 0; }
  const d = normalizeAxisList('np.repeat', [axis], a.ndim)[0], n = a.shape[d];
  const counts = typeof repeats === 'number' ? Array(n).fill(repeats) : repeats;
  if (counts.length !== n || counts.some((c) => !Number.isInteger(c) || c < 0)) throw new ValueError(`np.repeat: repeats must be a non-negative integer or one per element (${n}), got ${show(repeats)}`);
  return takeAxis(a, int32(counts.flatMap((c, i) => Array(c).fill(i))), d, { mode: 'clip' });
}

export function moveaxis(x: ArrayInput, source: number | number[], destination: number | number[]): NDArray {
  const a = operand('np.moveaxis', 0, x);
  const src = normalizeAxisList('np.moveaxis', typeof source === 'number' ? [source] : source, a.ndim);
  const dst = normalizeAxisList('np.moveaxis', typeof destination === 'number' ? [destination] : destination, a.ndim);
  if (src.length !== dst.length) throw new ValueError('np.moveaxis: source and destination must have the same number of elements');
  const order = range(a.ndim).filter((i) => !src.includes(i));
  [...dst.map((dd, k) => [dd, src[k]])].sort((p, q) => p[0] - q[0]).forEach(([dd, s]) => order.splice(dd, 0, s));
  return lax.transpose(a, order);
}

export function swapaxes(x: ArrayInput, axis1: number, axis2: number): NDArray {
  const a = operand('np.swapaxes', 0, x);
  const [p, q] = [axis1, axis2].map((v) => normalizeAxisList('np.swapaxes', [v], a.ndim)[0]);
  const perm = range(a.ndim);
  perm[p] = q; perm[q] = p;
  return lax.transpose(a, perm);
}

/** np.diagonal: the `offset` diagonal of the (axis1, axis2) planes, as a last axis. */
export function diagonal(x: ArrayInput, offset = 0, axis1 = 0, axis2 = 1): NDArray {
  const a = operand('np.diagonal', 0, x);
  if (a.ndim < 2) throw new ValueError(`np.diagonal: needs at least 2 dims, got ${describe(a.shape, a.dtype)}`);
  const [p, q] = normalizeAxisList('np.diagonal', [axis1, axis2], a.ndim);
  const rest = range(a.ndim).filter((i) => i !== p && i !== q);
  const t = lax.transpose(a, [...rest, p, q]);
  const n1 = a.shape[p], n2 = a.shape[q];
  const i0 = offset >= 0 ? 0 : -offset, j0 = offset >= 0 ? offset : 0;
  const len = Math.max(0, Math.min(n1 - i0, n2 - j0));
  const pts = int32(range(len).flatMap((k) => [i0 + k, j0 + k]), [len, 2]);
  const r = rest.length;
  return lax.gather(t, pts, { offsetDims: range(r), collapsedSliceDims: [r, r + 1], startIndexMap: [r, r + 1] }, [...rest.map((i) => a.shape[i]), 1, 1], { mode: 'clip' });
}

export function trace(x: ArrayInput, offset = 0, axis1 = 0, axis2 = 1): NDArray {
  const dg = diagonal(x, offset, axis1, axis2);
  return lax.reduceSum(dg.dtype === 'bool' ? astype(dg, 'float32') : dg, [dg.ndim - 1]);
}

/** np.diag: the diagonal of a matrix, or a matrix with a vector on its k-th diagonal. */
export function diag(x: ArrayInput, k = 0): NDArray {
  const a = operand('np.diag', 0, x);
  if (a.ndim === 2) return diagonal(a, k);
  if (a.ndim !== 1) throw new ValueError(`np.diag: input must be 1-d or 2-d, got ${describe(a.shape, a.dtype)}`);
  const n = a.shape[0] + Math.abs(k);
  const pts = int32(range(a.shape[0]).flatMap((i) => (k >= 0 ? [i, i + k] : [i - k, i])), [a.shape[0], 2]);
  const dims = { updateWindowDims: [], insertedWindowDims: [0, 1], scatterDimsToOperandDims: [0, 1] };
  const af = a.dtype === 'bool' ? astype(a, 'float32') : a;
  const out = lax.scatterAdd(filled('np.diag', [n, n], 0, af.dtype), pts, af, dims, { mode: 'clip' });
  return a.dtype === 'bool' ? astype(out, 'bool') : out;
}

function triMask(n: number, m: number, k: number, lower: boolean): NDArray {
  const b = new Uint8Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) b[i * m + j] = (lower ? j <= i + k : j >= i + k) ? 1 : 0;
  return new NDArray([n, m], 'bool', b);
}
/** np.tril / np.triu: zeros above / below the k-th diagonal of the last two axes. */
export function tril(x: ArrayInput, k = 0): NDArray {
  const a = operand('np.tril', 0, x);
  if (a.ndim < 2) throw new ValueError(`np.tril: needs at least 2 dims, got ${describe(a.shape, a.dtype)}`);
  return npWhere(triMask(a.shape[a.ndim - 2], a.shape[a.ndim - 1], k, true), a, a.dtype === 'bool' ? false : 0);
}
export function triu(x: ArrayInput, k = 0): NDArray {
  const a = operand('np.triu', 0, x);
  if (a.ndim < 2) throw new ValueError(`np.triu: needs at least 2 dims, got ${describe(a.shape, a.dtype)}`);
  return npWhere(triMask(a.shape[a.ndim - 2], a.shape[a.ndim - 1], k, false), a, a.dtype === 'bool' ? false : 0);
}

/** np.oneHot (jax.nn.one_hot): rows of the identity; out-of-range and negative classes give zeros. */
export function oneHot(x: ArrayInput, numClasses: number, opts?: { dtype?: 'float32' | 'float64' }): NDArray {
  const o = readOptions<{ dtype?: 'float32' | 'float64' }>('np.oneHot', opts, { dtype: 'dtype' }, 'dtype');
  if (!Number.isInteger(numClasses) || numClasses < 0) throw new ValueError(`np.oneHot: numClasses must be a non-negative integer, got ${show(numClasses)}`);
  const dt = o.dtype ?? 'float32';
  const data = dt === 'float64' ? new Float64Array(numClasses * numClasses) : new Float32Array(numClasses * numClasses);
  for (let i = 0; i < numClasses; i++) data[i * (numClasses + 1)] = 1;
  const eye = new NDArray([numClasses, numClasses], dt, data);
  const idx = x instanceof NDArray ? indexArray('np.oneHot', x) : (() => { const { vals, shape } = typeof x === 'number' ? { vals: [x], shape: [] } : nestedInts(x); return int32(vals, shape); })();
  if (numClasses === 0) return filled('np.oneHot', [...idx.shape, 0], 0, dt);
  return takeAxis(eye, idx, 0, { mode: 'fill' });
}

/** np.meshgrid: coordinate arrays, indexing 'xy' (default, numpy's) or 'ij'. */
export function meshgrid(...args: (ArrayInput | { indexing?: 'xy' | 'ij' })[]): NDArray[] {
  let indexing: 'xy' | 'ij' = 'xy';
  const last = args[args.length - 1];
  if (last !== null && typeof last === 'object' && !Array.isArray(last) && !(last instanceof NDArray)) {
    indexing = readOptions<{ indexing?: 'xy' | 'ij' }>('np.meshgrid', args.pop(), { indexing: 'any' }).indexing ?? 'xy';
    if (indexing !== 'xy' && indexing !== 'ij') throw new ValueError(`np.meshgrid: indexing must be 'xy' or 'ij', got ${show(indexing)}`);
  }
  const xs = (args as ArrayInput[]).map((a, i) => reshape(operand('np.meshgrid', i, a), [-1]));
  const shape = xs.map((v) => v.shape[0]);
  if (indexing === 'xy' && xs.length >= 2) [shape[0], shape[1]] = [shape[1], shape[0]];
  return xs.map((v, i) => {
    const d = indexing === 'xy' && xs.length >= 2 && i < 2 ? 1 - i : i;
    return lax.broadcastInDim(v, shape, [d]);
  });
}

declare module './array.js' {
  interface NDArray {
    /** JAX's x.at[...]: `x.at(0, ':').set(v)`, `.add`, `.mul`, `.min`, `.max`, `.get` (pure: a new Array). */
    at(...items: IndexItem[]): AtIndex;
    /** numpy indexing, `x.get(0, '1:3', idx)` = `np.index(x, 0, '1:3', idx)`. */
    get(...items: IndexItem[]): NDArray;
  }
}
NDArray.prototype.at = function (this: NDArray, ...items: IndexItem[]): AtIndex { return new AtIndex(this, items); };
NDArray.prototype.get = function (this: NDArray, ...items: IndexItem[]): NDArray { return index(this, ...items); };
