// Slices, pads and rearrangements, each a gather (or scatter_add) with static index vectors
// (np_indexing.ts), a transpose, or a broadcast: lax.slice / dynamicSlice / dynamicUpdateSlice,
// pad, flip, roll, tile, repeat, moveaxis, swapaxes, diagonal, trace, diag, tril, triu, oneHot,
// meshgrid. Their derivatives come from those primitives.
import { NDArray, ArrayInput } from './array.js';
import * as lax from './lax.js';
import { astype, reshape, broadcastTo, where as npWhere, checkAxes, less, add, subtract as npSubtract, mean } from './numpy.js';
import { max, min } from './np_reductions.js';
import { median } from './np_statistics.js';
import { operand, normalizeAxisList, composite } from './np_shared.js';
import { remainder, round, floor } from './np_elementwise.js';
import { range, int32, indexArray, nestedInts, takeAxis, indexWith } from './np_indexing.js';
import { axisArg, readOptions, readOptionalPositions, required, show } from './options.js';
import { AxisError, DTypeError, IndexError, ValueError, ShapeError, OutOfMemoryError, TracerError, describe } from '../core/errors.js';
import type { DType } from '../core/dtype.js';
import { isComplex, isInexact } from '../core/dtype.js';
import { checkShape, filled, parseNested } from './creation.js';
import { bind } from './bind.js';

/** lax.slice: static start/limit/stride per axis (a negative stride walks backwards, numpy's slice). */
export function slice(x: ArrayInput, start: number[], stop: (number | null)[], step?: number[]): NDArray {
  const a = operand('np.slice', 0, x);
  if (!Array.isArray(start) || !Array.isArray(stop)) throw new ValueError(`np.slice: start and stop must be lists with one entry per axis of ${describe(a.shape, a.dtype)}, got ${show(start)} and ${show(stop)}`);
  if (start.length !== a.ndim || stop.length !== a.ndim || (step && step.length !== a.ndim)) {
    throw new ShapeError(`np.slice: need one start, stop (and step) per axis of ${describe(a.shape, a.dtype)}`);
  }
  return indexWith('np.slice', a, start.map((s, i) => ({ start: s, stop: stop[i], step: step ? step[i] : 1 })), {});
}

/**
 * lax.dynamicSlice: a window of `sizes` at `starts` (JS numbers or int32 scalars), a negative
 * start counting from the end, then clamped to fit (JAX's order).
 */
export function dynamicSlice(x: ArrayInput, starts: (number | NDArray)[], sizes: number[]): NDArray {
  const a = operand('lax.dynamicSlice', 0, x);
  if (!Array.isArray(starts) || !Array.isArray(sizes)) throw new ValueError(`lax.dynamicSlice: starts and sizes must be lists with one entry per axis of ${describe(a.shape, a.dtype)}, got ${show(starts)} and ${show(sizes)}`);
  if (starts.length !== a.ndim || sizes.length !== a.ndim) throw new ShapeError(`lax.dynamicSlice: need one start and size per axis of ${describe(a.shape, a.dtype)}`);
  if (sizes.some((n, i) => !Number.isInteger(n) || n < 0 || n > a.shape[i])) {
    throw new ShapeError(`lax.dynamicSlice: sizes [${sizes}] must be integers from 0 to the shape [${a.shape}] (JAX's TypeError)`);
  }
  return lax.gather(a, startVector('lax.dynamicSlice', starts, a.shape), { offsetDims: range(a.ndim), collapsedSliceDims: [], startIndexMap: range(a.ndim) }, sizes, { mode: 'clip' });
}

/** The start indices as one int32 vector, negative ones + the axis length (JAX's _dynamic_slice_indices). */
function startVector(where: string, starts: (number | NDArray)[], shape: number[]): NDArray {
  // (a string, null or nested list reached s.dtype / describe: a JS TypeError wrapped as 'cannot take the arguments')
  const odd = starts.find((s) => typeof s !== 'number' && !(s instanceof NDArray));
  if (odd !== undefined || starts.length !== shape.length) {
    throw new ValueError(`${where}: starts must be a list of ${shape.length} JS integers or int32 scalars (one per axis), got ${show(starts)}`);
  }
  const frac = starts.find((s) => typeof s === 'number' && !Number.isInteger(s));
  if (frac !== undefined) throw new ValueError(`${where}: starts must be integers, got ${show(frac)}`);
  // (Int32Array.from wrapped 2**31 to -2**31, which the clamp then read from the start)
  const huge = starts.find((s) => typeof s === 'number' && (s < -(2 ** 31) || s > 2 ** 31 - 1));
  if (huge !== undefined) throw new ValueError(`${where}: the start ${show(huge)} does not fit in int32 [-2147483648, 2147483647] (JAX raises OverflowError)`);
  if (starts.every((s) => typeof s === 'number')) return int32((starts as number[]).map((s, i) => (s < 0 ? s + shape[i] : s)));
  return lax.concatenate(starts.map((s, i) => {
    if (typeof s === 'number') return int32([s < 0 ? s + shape[i] : s]);
    // a uint32 start (JAX takes any integer dtype) is capped at the axis length before it turns
    // int32, where 4294967295 would wrap to -1 and count from the end; the clamp then fits it
    if (s.dtype === 'uint32' && s.ndim === 0) return reshape(lax.convertElementType(lax.min(s, lax.full([], shape[i], 'uint32')), 'int32'), [1]);
    if (s.dtype !== 'int32' || s.ndim !== 0) throw new DTypeError(`${where}: starts must be JS integers or int32 or uint32 scalars, got ${describe(s.shape, s.dtype)}`);
    return reshape(npWhere(less(s, 0), add(s, shape[i]), s), [1]);
  }), 0);
}

/** lax.dynamicUpdateSlice: x with `update` written at `starts` (negative ones from the end, then clamped so that it fits, as JAX). */
export function dynamicUpdateSlice(x: ArrayInput, update: ArrayInput, starts: (number | NDArray)[]): NDArray {
  const where = 'lax.dynamicUpdateSlice';
  const a = operand(where, 0, x);
  if (update === undefined || !Array.isArray(starts)) throw new ValueError(`${where}: takes (x, update, starts), starts a list with one entry per axis of ${describe(a.shape, a.dtype)}`);
  if (update instanceof NDArray && update.dtype !== a.dtype) { // (a float64 update into float32 was rounded without a word)
    throw new DTypeError(`${where}: the update ${describe(update.shape, update.dtype)} must have x's dtype ${a.dtype} (as JAX's); convert it with np.astype`);
  }
  if (a.dtype === 'bool') return lax.convertElementType(dynamicUpdateSlice(astype(a, 'int32'), astype(update, 'int32'), starts), 'bool'); // (scatters are numeric)
  const u = astype(operand(where, 1, update, a.dtype), a.dtype);
  if (u.ndim !== a.ndim || starts.length !== a.ndim) throw new ShapeError(`${where}: update ${describe(u.shape, u.dtype)} and starts must match the rank of ${describe(a.shape, a.dtype)}`);
  if (u.shape.some((n, i) => n > a.shape[i])) throw new ShapeError(`${where}: the update ${describe(u.shape, u.dtype)} is larger than x ${describe(a.shape, a.dtype)}`);
  const idx = startVector(where, starts, a.shape);
  const dims = { updateWindowDims: range(a.ndim), insertedWindowDims: [], scatterDimsToOperandDims: range(a.ndim) };
  // (fills as rows: under jit an x-sized zero constant was stored in the program; lax.full is real)
  const fill = (shape: number[], v: number) => (isComplex(a.dtype) ? filled(where, shape, v, a.dtype) : lax.full(shape, v, a.dtype));
  const zeros = fill(a.shape, 0);
  // the update added onto -0, which keeps every value's bits (onto +0 an update of -0 became +0)
  const negZeros = isComplex(a.dtype) ? filled(where, a.shape, { re: -0, im: -0 }, a.dtype) : lax.full(a.shape, -0, a.dtype);
  const placed = lax.scatterAdd(negZeros, idx, u, dims, { mode: 'clip' });
  const hit = lax.scatterAdd(zeros, idx, fill(u.shape, 1), dims, { mode: 'clip' });
  return where_(lax.ne(hit, zeros), placed, a);
}
const where_ = (c: NDArray, x: NDArray, y: NDArray) => lax.select(c, x, y);

// JAX's *_in_dim conveniences: the same windows along one axis (whole along the others).
function inDimAxis(where: string, a: NDArray, axis: unknown): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis)) throw new ValueError(`${where}: axis must be an integer, got ${show(axis)}`);
  return normalizeAxisList(where, [axis], a.ndim)[0];
}
const startsAt = (a: NDArray, ax: number, start: number | NDArray) => a.shape.map((_, i) => (i === ax ? start : 0));

/** lax.dynamicSliceInDim(x, start, size = 1, axis = 0): `size` entries from `start` along `axis`. */
export function dynamicSliceInDim(x: ArrayInput, start: number | NDArray, size = 1, axis = 0): NDArray {
  const where = 'lax.dynamicSliceInDim';
  const a = operand(where, 0, x), ax = inDimAxis(where, a, axis);
  return dynamicSlice(a, startsAt(a, ax, start), a.shape.map((d, i) => (i === ax ? size : d)));
}

/** lax.dynamicIndexInDim(x, index, axis = 0, keepdims = true): entry `index` along `axis`. */
export function dynamicIndexInDim(x: ArrayInput, index: number | NDArray, axis = 0, keepdims = true): NDArray {
  const where = 'lax.dynamicIndexInDim';
  if (typeof keepdims !== 'boolean') throw new ValueError(`${where}: keepdims must be true or false, got ${show(keepdims)}`);
  const a = operand(where, 0, x), ax = inDimAxis(where, a, axis);
  const r = dynamicSliceInDim(a, index, 1, ax);
  return keepdims ? r : reshape(r, a.shape.filter((_, i) => i !== ax));
}

/** lax.dynamicUpdateSliceInDim(x, update, start, axis): update written from `start` along `axis`. */
export function dynamicUpdateSliceInDim(x: ArrayInput, update: ArrayInput, start: number | NDArray, axis: number): NDArray {
  const where = 'lax.dynamicUpdateSliceInDim';
  const a = operand(where, 0, x), ax = inDimAxis(where, a, axis);
  return dynamicUpdateSlice(a, update, startsAt(a, ax, start));
}

/** lax.dynamicUpdateIndexInDim(x, update, index, axis): update (with or without the axis) written at `index` along `axis`. */
export function dynamicUpdateIndexInDim(x: ArrayInput, update: ArrayInput, index: number | NDArray, axis: number): NDArray {
  const where = 'lax.dynamicUpdateIndexInDim';
  const a = operand(where, 0, x), ax = inDimAxis(where, a, axis);
  // (a JS number or list too, as JAX's array-like: it was a ShapeError for lacking the axis)
  const u0 = update instanceof NDArray ? update : operand(where, 1, update, a.dtype);
  const u = u0.ndim === a.ndim - 1 ? reshape(u0, [...u0.shape.slice(0, ax), 1, ...u0.shape.slice(ax)]) : u0;
  return dynamicUpdateSlice(a, u, startsAt(a, ax, index));
}

export type PadMode = 'constant' | 'edge' | 'reflect' | 'symmetric' | 'wrap' | 'mean' | 'median' | 'maximum' | 'minimum' | 'linear_ramp' | 'empty';
/** Per-side values as numpy takes them: v, [v], [before, after], [[before, after]] or one pair per axis. */
export type SideValues = number | number[] | number[][];
export interface PadOptions { mode?: PadMode; constantValues?: SideValues | NDArray; statLength?: SideValues; endValues?: SideValues; reflectType?: 'even' | 'odd' }
const PAD_MODES = ['constant', 'edge', 'reflect', 'symmetric', 'wrap', 'mean', 'median', 'maximum', 'minimum', 'linear_ramp', 'empty'];

/**
 * np.pad: `padWidth` in numpy's forms, broadcast to one [before, after] per axis as numpy does: n,
 * [n], [before, after], [[before, after]], [[n0], [n1], ...] or [[b0, a0], [b1, a1], ...]; modes
 * constant (with `constantValues`, per side in the same forms, or a 0-d Array), edge, reflect
 * (mirrored about the end elements), symmetric (mirrored with them: numpy's), wrap (periodic),
 * mean, median, maximum and minimum (of the `statLength` elements at each end, all by default; an
 * integer mean or median rounds half to even, as numpy's and jnp's), linear_ramp (from `endValues`, 0 by default, to
 * the edge, numpy's linspace without its endpoint: an integer dtype floors) and empty (zeros here).
 * Axes are padded in order, each from the array padded along the ones before (numpy's).
 */
export function pad(x: ArrayInput, padWidth: number | number[] | number[][] | NDArray, opts?: PadOptions | PadMode, options?: PadOptions): NDArray {
  const where = 'np.pad';
  required(where, 'padWidth', padWidth);
  // numpy's np.pad(x, 1, 'edge') too, and the mode positionally with the mode's keywords after it,
  // np.pad(x, 3, 'reflect', { reflectType: 'odd' }) (numpy's pad(x, 3, 'reflect', reflect_type='odd'):
  // it was 'takes at most 3 arguments'; helper-282)
  const o = readOptionalPositions<PadOptions>(where, [opts, options], ['mode'], { mode: 'any', constantValues: 'any', statLength: 'any', endValues: 'any', reflectType: 'any' });
  const mode = o.mode ?? 'constant';
  if (!PAD_MODES.includes(mode)) throw new ValueError(`${where}: mode must be one of ${PAD_MODES.map((m) => `'${m}'`).join(', ')}, got ${show(mode)}`);
  // (each option belongs to its modes: it was ignored; numpy raises "unsupported keyword arguments for mode 'edge'")
  const owner: Record<string, string[]> = { constantValues: ['constant'], statLength: ['mean', 'median', 'maximum', 'minimum'], endValues: ['linear_ramp'], reflectType: ['reflect', 'symmetric'] };
  for (const [k, modes] of Object.entries(owner)) {
    const v = (o as Record<string, unknown>)[k];
    if (v !== undefined && !modes.includes(mode)) throw new ValueError(`${where}: ${k} is for mode ${modes.map((m) => `'${m}'`).join(' or ')} only, got it (${show(v)}) with mode '${mode}' (numpy raises too)`);
  }
  // (numpy's and jnp's reflect_type: 'odd' was an "unknown option" ValueError)
  if (o.reflectType !== undefined && o.reflectType !== 'even' && o.reflectType !== 'odd') throw new ValueError(`${where}: reflectType must be 'even' or 'odd', got ${show(o.reflectType)}`);
  let a = operand(where, 0, x);
  const pairs = padPairs(where, padWidth, a);
  const c = o.constantValues;
  if (c instanceof NDArray && c.ndim !== 0) throw new ValueError(`${where}: constantValues must be a number or a 0-d Array (traced too, as jnp's), or JS numbers per side, got ${describe(c.shape, c.dtype)}`);
  const number = (what: string) => (v: unknown) => { if (typeof v !== 'number') throw new ValueError(`${where}: ${what} must hold JS numbers, got ${show(v)}`); return v; };
  const fills = c === undefined || c instanceof NDArray ? null : padPairs(where, c, a, 'constantValues', number('constantValues'));
  const ends = padPairs(where, o.endValues ?? 0, a, 'endValues', number('endValues'));
  const stats = o.statLength === undefined ? null : padPairs(where, o.statLength, a, 'statLength');
  // the padded array's size, checked before any side is made (a 1e9-wide pad ran out of memory 2 s in)
  checkShape(where, a.shape.map((n, d) => n + pairs[d][0] + pairs[d][1]), 'shape', a.dtype);
  pairs.forEach(([b, e], d) => {
    if (b === 0 && e === 0) return;
    const n = a.shape[d];
    const shape = (w: number) => a.shape.map((s, i) => (i === d ? w : s));
    const ends2 = (before: NDArray, after: NDArray) => { a = lax.concatenate([before, a, after].filter((p) => p.shape[d] > 0), d); };
    if (mode === 'constant' || mode === 'empty') {
      // (an Array fill: broadcast, so the derivative reaches it)
      const side = (w: number, k: number) => (c instanceof NDArray ? broadcastTo(astype(c, a.dtype), shape(w)) : filled(where, shape(w), fills?.[d][k] ?? 0, a.dtype));
      ends2(side(b, 0), side(e, 1));
      return;
    }
    if (n === 0) throw new ValueError(`${where}: cannot pad an empty axis with mode '${mode}'`);
    const part = (from: number, to: number) => slice(a, a.shape.map((_, i) => (i === d ? from : 0)), a.shape.map((s, i) => (i === d ? to : s)));
    if (mode === 'mean' || mode === 'median' || mode === 'maximum' || mode === 'minimum') {
      const [sb, se] = stats === null ? [n, n] : stats[d].map((k) => Math.min(k, n));
      // (a mean of nothing is NaN, numpy's; a maximum or minimum of nothing has no value, and an integer NaN none either)
      if ((sb === 0 || se === 0) && ((mode !== 'mean' && mode !== 'median') || !isInexact(a.dtype))) {
        throw new ValueError(`${where}: statLength 0 along axis ${d} leaves no value to compute the '${mode}' of ${a.dtype} from (numpy raises too)`);
      }
      const stat = (v: NDArray) => {
        if (v.shape[d] === 0) return filled(where, v.shape.map((s, i) => (i === d ? 1 : s)), NaN, a.dtype);
        if (mode === 'maximum') return max(v, { axis: d, keepdims: true });
        if (mode === 'minimum') return min(v, { axis: d, keepdims: true });
        const m = mode === 'median' ? median(v, { axis: d, keepdims: true }) : mean(v, { axis: d, keepdims: true });
        return isInexact(a.dtype) ? astype(m, a.dtype) : astype(round(m), a.dtype);
      };
      const before = stat(part(0, sb)), after = stat(part(n - se, n));
      ends2(broadcastTo(before, shape(b)), broadcastTo(after, shape(e)));
      return;
    }
    if (mode === 'linear_ramp') {
      // numpy's linspace(end, edge, width, endpoint = false): end + i * (edge - end) / width
      // (always in float64, then rounded once to a's dtype, as numpy's: float32 arithmetic was 1 ulp off numpy, pad([1, 2] f32, 3, linear_ramp, endValues [0.1, 0.7]))
      const wide: DType = isComplex(a.dtype) ? 'complex128' : 'float64';
      const ramp = (edge: NDArray, end: number, w: number, toward: boolean) => {
        if (w === 0) return filled(where, shape(0), 0, a.dtype);
        const ev = astype(edge, wide), e0 = lax.full([...ev.shape], end, wide);
        const step = lax.div(lax.sub(ev, e0), lax.full([...ev.shape], w, wide));
        const i = lax.broadcastInDim(lax.convertElementType(lax.iota(w), wide), shape(w), [d]);
        let r = lax.add(broadcastTo(e0, shape(w)), lax.mul(i, broadcastTo(step, shape(w))));
        if (toward) r = flip(r, d); // (after the array: the edge first)
        return isInexact(a.dtype) ? astype(r, a.dtype) : astype(floor(r), a.dtype);
      };
      ends2(ramp(part(0, 1), ends[d][0], b, false), ramp(part(n - 1, n), ends[d][1], e, true));
      return;
    }
    if (mode === 'reflect' && n === 1) { a = takeAxis(a, int32(Array(b + n + e).fill(0)), d, { mode: 'clip' }); return; }
    if (o.reflectType === 'odd' && n > 1) { a = padOdd(a, d, n, b, e, mode === 'symmetric'); return; }
    const src = range(b + n + e, -b).map((i) => {
      if (mode === 'edge') return Math.min(Math.max(i, 0), n - 1);
      if (mode === 'wrap') return ((i % n) + n) % n;
      if (mode === 'symmetric') { const m = ((i % (2 * n)) + 2 * n) % (2 * n); return m >= n ? 2 * n - 1 - m : m; }
      const period = 2 * (n - 1);
      let m = ((i % period) + period) % period;
      if (m >= n) m = period - m;
      return m;
    });
    a = takeAxis(a, int32(src), d, { mode: 'clip' });
  });
  return a;
}

/**
 * reflect_type 'odd' along axis d (n > 1 long), numpy's _set_reflect_both loop: each round mirrors
 * at most one period (n - 1 for reflect, n for symmetric, whole multiples of it) of what is there
 * so far about each end, as 2 * end - mirrored, so a wide pad keeps extending the trend. Bool
 * computes in int32 and casts back (numpy's 2 * edge - chunk written into a bool array).
 */
function padOdd(x: NDArray, d: number, n: number, before: number, after: number, symmetric: boolean): NDArray {
  const dt = x.dtype;
  let cur = dt === 'bool' ? astype(x, 'int32') : x;
  const off = symmetric ? 1 : 0;
  const part = (v: NDArray, from: number, to: number) => slice(v, v.shape.map((_, i) => (i === d ? from : 0)), v.shape.map((s, i) => (i === d ? to : s)));
  const mirrored = (v: NDArray, from: number, to: number, edge: number) => {
    const chunk = flip(part(v, from, to), d), e = part(v, edge, edge + 1);
    return npSubtract(add(e, e), chunk);
  };
  let left = before, right = after;
  while (left > 0 || right > 0) {
    const len = cur.shape[d];
    const old = symmetric ? Math.floor(len / n) * n : Math.floor((len - 1) / (n - 1)) * (n - 1);
    const pieces: NDArray[] = [];
    if (left > 0) { const k = Math.min(old, left); pieces.push(mirrored(cur, 1 - off, k + 1 - off, 0)); left -= k; }
    pieces.push(cur);
    if (right > 0) { const k = Math.min(old, right); pieces.push(mirrored(cur, len - 1 + off - k, len - 1 + off, len - 1)); right -= k; }
    cur = lax.concatenate(pieces, d);
  }
  return dt === 'bool' ? astype(cur, 'bool') : cur;
}

/**
 * numpy's pad widths as one [before, after] per axis: the list (0, 1 or 2 levels deep) broadcast
 * to shape [ndim, 2], as numpy's np.broadcast_to(pad_width, (ndim, 2)): a level of length 1
 * stands for every axis (or both sides).
 */
function padPairs(where: string, padWidth: unknown, a: NDArray, name = 'padWidth', value?: (v: unknown) => number): number[][] {
  const nd = a.ndim;
  const bad = (why: string): never => {
    const nested = (v: unknown): string => (Array.isArray(v) ? `[${v.map(nested).join(', ')}]` : show(v)); // ([[1, 2], [3, 4]], not show's [1,2, 3,4])
    throw new ValueError(`${where}: ${name} ${nested(padWidth)} ${why}; give n, [n], [before, after], [[before, after]] or one ` +
      `[before, after] per axis of ${describe(a.shape, a.dtype)} (${nd} ${nd === 1 ? 'axis' : 'axes'})`);
  };
  if (padWidth instanceof NDArray) { // widths as a concrete int32 Array (numpy takes arrays): its values
    if (padWidth.isTracer || padWidth.ndim > 2 || !(padWidth.dtype === 'int32' || padWidth.dtype === 'uint32')) bad('given as an Array must be a concrete int32 Array of at most 2 dimensions');
    padWidth = padWidth.tolist();
  }
  const check = value ?? ((w: unknown) => { if (!Number.isInteger(w) || (w as number) < 0) bad('must hold non-negative integers'); return w as number; });
  if (typeof padWidth === 'number') { check(padWidth); return a.shape.map(() => [padWidth, padWidth]); }
  if (!Array.isArray(padWidth) || padWidth.length === 0) return bad('must be a non-empty list');
  const pair = (row: unknown[]): number[] => {
    if (row.length !== 1 && row.length !== 2) bad(`has a row of ${row.length} widths (a pair is [before, after], or [n] for both)`);
    // (map skips holes: [[1, , ]] padded by NaN, 'invalid shape [NaN]')
    for (let i = 0; i < row.length; i++) if (!(i in row)) bad(`has a hole at index ${i} of a row ([a, , b] or [a, ,]); write every width`);
    const r = row.map(check);
    return r.length === 1 ? [r[0], r[0]] : r;
  };
  const nested = padWidth.map((r) => Array.isArray(r));
  if (nested.every((n) => !n)) { const p = pair(padWidth); return a.shape.map(() => p); } // [n] or [before, after]: every axis
  if (!nested.every((n) => n)) bad('mixes numbers and lists');
  const rows = padWidth as unknown[][];
  if (rows.some((r) => r.length !== rows[0].length)) bad('has rows of different lengths');
  if (rows.length !== 1 && rows.length !== nd) bad(`has ${rows.length} rows for ${nd} ${nd === 1 ? 'axis' : 'axes'} (give one row for all, or one per axis)`);
  const pairs = rows.map(pair);
  return a.shape.map((_, d) => pairs[rows.length === 1 ? 0 : d]);
}

/** np.flip along `axis` (default all axes). */
export function flip(x: ArrayInput, axisOption?: number | number[] | null | { axis?: number | number[] | null }): NDArray {
  const axis = axisArg('np.flip', axisOption) as number | number[] | null | undefined;
  const a = operand('np.flip', 0, x);
  let r = a;
  if (a.size === 0) { checkAxes('np.flip', axis ?? null, a.ndim); return a; } // nothing to reverse (a gather of no indices has no shape rule)
  // (the indices from lax.iota: a JS list of them failed past ~134M elements, and was a stored table under jit)
  for (const d of checkAxes('np.flip', axis ?? null, a.ndim)) r = takeAxis(r, npSubtract(a.shape[d] - 1, lax.iota(a.shape[d])), d, { mode: 'clip' });
  return r;
}

/**
 * np.roll: elements shifted along `axis` (the flattened array when null), wrapping around. Shifts
 * and axes broadcast against each other, and shifts on one axis add up (numpy's). The shift may
 * be an integer Array (0-d, or 1-d with one entry per axis), traced too, as jnp.roll's: under
 * vmap each example rolls by its own.
 */
export function roll(x: ArrayInput, shift: number | number[] | NDArray, options?: number | number[] | null | { axis?: number | number[] | null }): NDArray {
  const axis = options !== null && typeof options === 'object' && !Array.isArray(options)
    ? readOptions<{ axis?: number | number[] | null }>('np.roll', options, { axis: 'any' }).axis
    : options;
  if (shift instanceof NDArray) return rollByArray(operand('np.roll', 0, x), shift, axis);
  if ((typeof shift !== 'number' && !Array.isArray(shift)) || (Array.isArray(shift) ? shift : [shift]).some((v) => !Number.isInteger(v))) {
    throw new ValueError(`np.roll: shift must be an integer or a list of integers, got ${show(shift)}`); // (1.5 rolled by 2)
  }
  const a = operand('np.roll', 0, x);
  if (axis === undefined || axis === null) return reshape(roll(reshape(a, [-1]), typeof shift === 'number' ? shift : shift.reduce((p, q) => p + q, 0), 0), a.shape);
  const axes = typeof axis === 'number' ? [axis] : axis;
  if (!Array.isArray(axes)) throw new AxisError(`np.roll: axis must be an integer, a list of integers or null, got ${show(axis)}`);
  const shifts = typeof shift === 'number' ? [shift] : shift;
  // numpy's np.broadcast_arrays(axis, shift): equal lengths, or one of them a single entry
  if (shifts.length !== axes.length && shifts.length !== 1 && axes.length !== 1) {
    throw new ValueError(`np.roll: ${shifts.length} shifts ${show(shift)} and ${axes.length} axes ${show(axis)} do not broadcast (give as many of each, or one of either)`);
  }
  const count = shifts.length === 1 ? axes.length : shifts.length;
  const total = new Map<number, number>(); // axis -> the sum of its shifts, modulo its length
  for (let k = 0; k < count; k++) {
    const d = normalizeAxisList('np.roll', [axes.length === 1 ? axes[0] : axes[k]], a.ndim)[0], n = a.shape[d];
    const s = shifts.length === 1 ? shifts[0] : shifts[k];
    if (n > 0) total.set(d, ((total.get(d) ?? 0) + (s % n) + n) % n);
  }
  // the last s entries, then the first n - s: two windows and a concatenate (a gather at computed
  // positions cost ~20 ns an element); one tape at top level for small arrays (composite's light)
  return composite(() => {
    let r = a;
    for (const [d, s] of total) {
      if (s === 0) continue;
      const n = a.shape[d], at = (lo: number, hi: number) => slice(r, r.shape.map((_, i) => (i === d ? lo : 0)), r.shape.map((m, i) => (i === d ? hi : m)));
      r = lax.concatenate([at(n - s, n), at(0, n - s)], d);
    }
    return r;
  }, a);
}

/** roll by an integer Array of shifts: the source of i along each axis is (i - s) mod n. */
function rollByArray(a: NDArray, shift: NDArray, axis: number | number[] | null | undefined): NDArray {
  if (!(shift.dtype === 'int32' || shift.dtype === 'uint32') || shift.ndim > 1) {
    throw new ValueError(`np.roll: an Array shift must be an int32 scalar or 1-d list of shifts, got ${describe(shift.shape, shift.dtype)}`);
  }
  const s = shift;
  const each = (k: number) => (s.ndim === 0 ? s : s.get(k));
  // Each shift is reduced mod n in its own dtype first (JAX's remainder(shift, n)): iota - shift
  // wrapped in int32 past 2^31, and a uint32 shift cast to int32 changed its residue.
  const reduced = (t: NDArray, n: number) => astype(remainder(t, n), 'int32');
  if (axis === undefined || axis === null) {
    const n = Math.max(a.size, 1), whole = s.ndim === 0 ? reduced(s, n) // (the sum of the reduced shifts, in float64: exact)
      : reduced(lax.reduceSum(astype(remainder(s, n), 'float64'), [0]), n);
    return reshape(rollByArray(reshape(a, [-1]), whole, 0), a.shape);
  }
  const axes = typeof axis === 'number' ? [axis] : axis;
  if (!Array.isArray(axes)) throw new AxisError(`np.roll: axis must be an integer, a list of integers or null, got ${show(axis)}`);
  const k = s.ndim === 0 ? 1 : s.shape[0];
  if (k !== axes.length && k !== 1 && axes.length !== 1) {
    throw new ValueError(`np.roll: ${k} shifts ${describe(s.shape, s.dtype)} and ${axes.length} axes ${show(axis)} do not broadcast (give as many of each, or one of either)`);
  }
  let r = a;
  for (let j = 0; j < Math.max(k, axes.length); j++) {
    const d = normalizeAxisList('np.roll', [axes.length === 1 ? axes[0] : axes[j]], a.ndim)[0], n = a.shape[d];
    if (n === 0) continue;
    // (int32 floor remainder: -1 mod 5 is 4)
    r = takeAxis(r, remainder(npSubtract(lax.iota(n), reduced(each(k === 1 ? 0 : j), n)), n), d, { mode: 'clip' });
  }
  return r;
}

/** np.tile: x repeated `reps` times along each axis (ranks padded with leading 1s). */
export function tile(x: ArrayInput, reps: number | number[] | { reps: number | number[] }): NDArray {
  const a = operand('np.tile', 0, x);
  const given = readOptions<{ reps?: unknown }>('np.tile', reps, { reps: 'any' }, 'reps').reps;
  const rp = typeof given === 'number' ? [given] : given;
  if (!Array.isArray(rp) || rp.some((v) => !Number.isInteger(v) || v < 0)) throw new ValueError(`np.tile: reps must be non-negative integers, got ${show(reps)}`);
  const nd = Math.max(a.ndim, rp.length);
  const s = [...Array(nd - a.ndim).fill(1), ...a.shape], r = [...Array(nd - rp.length).fill(1), ...rp];
  const b = broadcastTo(reshape(a, s.flatMap((d) => [1, d])), s.flatMap((d, i) => [r[i], d]));
  return reshape(b, s.map((d, i) => d * r[i]));
}

/** np.repeat: each element repeated (an int, or one count per element) along `axis` (null: flattened). */
export function repeat(x: ArrayInput, repeats: number | number[] | NDArray, axisGiven?: number | null | { axis?: number | null; totalRepeatLength?: number }): NDArray {
  required('np.repeat', 'repeats', repeats);
  let length: number | undefined;
  if (axisGiven !== null && typeof axisGiven === 'object' && !Array.isArray(axisGiven)) {
    const o = readOptions<{ axis?: number | null; totalRepeatLength?: number }>('np.repeat', axisGiven, { axis: 'any', totalRepeatLength: 'any' });
    length = o.totalRepeatLength;
    if (length !== undefined && (!Number.isInteger(length) || length < 0)) throw new ValueError(`np.repeat: totalRepeatLength must be a non-negative integer, got ${show(length)}`);
    axisGiven = o.axis;
  }
  if (repeats instanceof NDArray) { // counts as a concrete int32 Array (numpy and jnp take arrays): its values
    if (repeats.ndim > 1 || !(repeats.dtype === 'int32' || repeats.dtype === 'uint32')) {
      throw new ValueError(`np.repeat: repeats given as an Array must be a 0-d or 1-d int32 Array, got ${show(repeats)}`);
    }
    if (repeats.isTracer) {
      if (length !== undefined) return repeatTraced(x, repeats, axisArg('np.repeat', axisGiven), length);
      throw new TracerError(`np.repeat: repeats ${show(repeats)} is traced (abstract under jit, or batched by vmap), so the result's ` +
        'length is unknown: pass { totalRepeatLength } (JAX\'s total_repeat_length), or concrete repeats (staticArgnums)');
    }
    repeats = repeats.ndim === 0 ? (repeats.item() as number) : (repeats.tolist() as number[]);
  }
  // (null reached repeats.length: a JS TypeError wrapped as 'cannot take the arguments')
  if (repeats === null) throw new ValueError('np.repeat: repeats must be a non-negative integer, a list of them or an int32 Array, got null');
  if (length !== undefined && ([repeats].flat() as number[]).some((c) => !Number.isInteger(c) || c < 0)) throw new ValueError(`np.repeat: repeats must be non-negative integers, got ${show(repeats)}`);
  if (length !== undefined) return repeatTraced(x, int32(typeof repeats === 'number' ? [repeats] : repeats, [typeof repeats === 'number' ? 1 : repeats.length]), axisArg('np.repeat', axisGiven), length);
  let axis = axisArg('np.repeat', axisGiven);
  let a = operand('np.repeat', 0, x);
  if (axis === undefined || axis === null) { a = reshape(a, [-1]); axis = 0; }
  const d = normalizeAxisList('np.repeat', [axis], a.ndim)[0], n = a.shape[d];
  // one count for every element ([2]: broadcast, as numpy): no list of n counts (an axis of 2^30 empty rows exhausted the JS heap)
  const one = typeof repeats === 'number' ? repeats : Array.isArray(repeats) && repeats.length === 1 ? repeats[0] : undefined;
  const counts = one === undefined ? repeats as number[] : [];
  const bad = (c: unknown) => !Number.isInteger(c) || (c as number) < 0;
  if (one === undefined ? counts.length !== n || counts.some(bad) : bad(one)) {
    throw new ValueError(`np.repeat: repeats must be a non-negative integer or one per element (${n}), got ${show(repeats)}`);
  }
  // the output's shape checked before its index list is built (1e9 repeats exhausted the JS heap)
  const total = one === undefined ? counts.reduce((p, c) => p + c, 0) : n * (one as number);
  // (with its dtype: np.repeat(np.ones([3]), [1e9, 1, 1]) ran ~20 s and took GBs before the first op refused it)
  const outShape = checkShape('np.repeat', a.shape.map((s, i) => (i === d ? total : s)), 'result shape', a.dtype);
  if (one !== undefined || (counts.every((c) => c === counts[0]) && n > 0)) {
    // one count r: each element broadcast r times along a new axis after d, merged into d (no index list)
    const r = one ?? counts[0], wide = a.shape.slice(0, d + 1).concat([r], a.shape.slice(d + 1));
    return reshape(broadcastTo(reshape(a, a.shape.slice(0, d + 1).concat([1], a.shape.slice(d + 1))), wide), outShape);
  }
  checkShape('np.repeat: its int32 index', [total], 'shape', 'int32'); // (bool[1e9] fits; its index of 4 GB does not)
  let idx: Int32Array;
  try { idx = new Int32Array(total); } catch { throw new OutOfMemoryError(`np.repeat: an index of ${total} entries does not fit in memory`); }
  for (let i = 0, k = 0; i < n; i++) idx.fill(i, k, k += counts[i]);
  return takeAxis(a, new NDArray([total], 'int32', idx), d, { mode: 'clip' });
}

/**
 * np.repeat with the result's length given (jnp's total_repeat_length), so `repeats` may be
 * traced: element i's copies start at the exclusive prefix sum of the counts; a marker added there
 * and summed gives each output position its source (jnp's construction). Past the counts' total
 * the last element repeats; short of it the tail is cut, as jnp.
 */
function repeatTraced(x: ArrayInput, repeats: NDArray, axisGiven: number | null | undefined, total: number): NDArray {
  let a = operand('np.repeat', 0, x);
  let axis = axisGiven;
  if (axis === undefined || axis === null) { a = reshape(a, [-1]); axis = 0; }
  const d = normalizeAxisList('np.repeat', [axis], a.ndim)[0], n = a.shape[d];
  checkShape('np.repeat', a.shape.map((sz, i) => (i === d ? total : sz)), 'result shape', a.dtype);
  checkShape('np.repeat: its int32 index', [total], 'shape', 'int32');
  const counts = repeats.ndim === 0 || repeats.shape[0] === 1 ? broadcastTo(reshape(astype(repeats, 'int32'), [1]), [n]) : astype(repeats, 'int32');
  if (counts.shape[0] !== n) throw new ValueError(`np.repeat: repeats must be one count or one per element (${n}), got ${show(repeats)}`);
  if (n === 0 && total > 0) throw new IndexError(`np.repeat: totalRepeatLength ${total} from an empty axis ${d} of ${describe(a.shape, a.dtype)} (nothing to repeat; jnp's take refuses it too)`);
  if (n === 0 || total === 0) return takeAxis(a, int32([], [0]), d, { mode: 'clip' });
  const starts = lax.sub(bind('cumsum', [counts], [0, 0]), counts);
  const marks = lax.scatterAdd(lax.full([total], 0, 'int32'), reshape(starts, [n, 1]), lax.full([n], 1, 'int32'),
    { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] }, { mode: 'fill' });
  const source = lax.sub(bind('cumsum', [marks], [0, 0]), lax.full([total], 1, 'int32'));
  return takeAxis(a, source, d, { mode: 'clip' });
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
export interface DiagonalOptions { offset?: number; axis1?: number; axis2?: number }

/** np.diagonal(x, offset = 0, axis1 = 0, axis2 = 1), or with the options as one object. */
export function diagonal(x: ArrayInput, offset: number | DiagonalOptions = 0, axis1 = 0, axis2 = 1): NDArray {
  const where = 'np.diagonal';
  if (typeof offset === 'object' && offset !== null) {
    // (an options object is all of them: positional axes after it were dropped)
    if (arguments.length > 2) throw new ValueError(`${where}: with an options object, axis1 and axis2 go in it too ({ offset, axis1, axis2 }); got ${arguments.length} arguments`);
    const o = readOptions<DiagonalOptions>(where, offset, { offset: 'any', axis1: 'any', axis2: 'any' });
    // (only a missing key is the default: null, numpy's None, is refused below as positionally; it was read as 0 or 1)
    return diagonal(x, o.offset === undefined ? 0 : o.offset, o.axis1 === undefined ? 0 : o.axis1, o.axis2 === undefined ? 1 : o.axis2);
  }
  integerArg(where, 'offset', offset);
  // (a null or list axis1/axis2 is an AxisError, as every one-integer axis is (np.stack, np.swapaxes):
  // it was a plain ValueError here, so `catch (e instanceof AxisError)` missed it)
  for (const [name, v] of [['axis1', axis1], ['axis2', axis2]] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new AxisError(`${where}: ${name} must be an integer, got ${show(v)}`);
  }
  const a = operand(where, 0, x);
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

export function trace(x: ArrayInput, offset: number | DiagonalOptions = 0, axis1 = 0, axis2 = 1): NDArray {
  if (typeof offset === 'object' && offset !== null && arguments.length > 2) {
    throw new ValueError(`np.trace: with an options object, axis1 and axis2 go in it too ({ offset, axis1, axis2 }); got ${arguments.length} arguments`);
  }
  const dg = typeof offset === 'object' && offset !== null ? diagonal(x, offset) : diagonal(x, offset, axis1, axis2);
  return lax.reduceSum(dg.dtype === 'bool' ? astype(dg, 'int32') : dg, [dg.ndim - 1]); // (bool: an int32 count, as jnp's sum)
}

/** np.diag: the diagonal of a matrix, or a matrix with a vector on its k-th diagonal. */
export function diag(x: ArrayInput, kOption: number | { k?: number } = 0): NDArray {
  const k = integerOption('np.diag', 'k', kOption);
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

/** An integer argument: a non-integer (0.5, NaN, a string) is an error, not a silently different mask. */
function integerArg(where: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new ValueError(`${where}: ${name} must be an integer, got ${show(v)}`);
  return v;
}

/** An integer given positionally or as numpy's keyword in an object (`np.triu(x, { k: 1 })`), default 0. */
function integerOption(where: string, name: string, v: unknown): number {
  const o = readOptions<Record<string, unknown>>(where, v, { [name]: 'any' }, name);
  // ({ k: null } is refused, as numpy's k=None: read as 0 it was a silent default)
  return integerArg(where, name, o[name] === undefined ? 0 : o[name]);
}

function triMask(n: number, m: number, k: number, lower: boolean): NDArray {
  const b = new Uint8Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) b[i * m + j] = (lower ? j <= i + k : j >= i + k) ? 1 : 0;
  return new NDArray([n, m], 'bool', b);
}
/** np.tril / np.triu: zeros above / below the k-th diagonal of the last two axes. */
export function tril(x: ArrayInput, kOption: number | { k?: number } = 0): NDArray {
  const k = integerOption('np.tril', 'k', kOption);
  const a = operand('np.tril', 0, x);
  if (a.ndim < 2) throw new ValueError(`np.tril: needs at least 2 dims, got ${describe(a.shape, a.dtype)}`);
  return npWhere(triMask(a.shape[a.ndim - 2], a.shape[a.ndim - 1], k, true), a, a.dtype === 'bool' ? false : 0);
}
export function triu(x: ArrayInput, kOption: number | { k?: number } = 0): NDArray {
  const k = integerOption('np.triu', 'k', kOption);
  const a = operand('np.triu', 0, x);
  if (a.ndim < 2) throw new ValueError(`np.triu: needs at least 2 dims, got ${describe(a.shape, a.dtype)}`);
  return npWhere(triMask(a.shape[a.ndim - 2], a.shape[a.ndim - 1], k, false), a, a.dtype === 'bool' ? false : 0);
}

/** np.oneHot (jax.nn.one_hot): rows of the identity; out-of-range and negative classes give zeros. */
export function oneHot(x: ArrayInput, numClasses: number, opts?: { dtype?: DType }): NDArray {
  const o = readOptions<{ dtype?: DType }>('np.oneHot', opts, { dtype: 'dtype' }, 'dtype');
  if (!Number.isInteger(numClasses) || numClasses < 0) throw new ValueError(`np.oneHot: numClasses must be a non-negative integer, got ${show(numClasses)}`);
  const want = o.dtype ?? 'float32';
  if (want !== 'float32' && want !== 'float64') return astype(oneHot(x, numClasses), want); // (any dtype, as jax.nn.one_hot: 0s and 1s converted)
  const dt = want;
  if (!(x instanceof NDArray) && typeof x !== 'number') {
    // a JS list: numbers in a rectangular nesting (a string or null was read as class 0)
    if (!Array.isArray(x)) throw new ValueError(`np.oneHot: x must be an Array, a JS number or a list of numbers, got ${show(x)}`);
    const { flat: vals, shape } = parseNested('np.oneHot', x);
    const bad = vals.findIndex((v) => typeof v !== 'number');
    if (bad >= 0) throw new ValueError(`np.oneHot: x must hold numbers (class indices), got ${show(vals[bad])} at flat position ${bad}`);
    // (a non-integer is no class, as jax.nn.one_hot's comparison with arange: the float path)
    if (!vals.every((v) => Number.isInteger(v) && Math.abs(v as number) < 2 ** 31)) return oneHot(new NDArray(shape, 'float64', Float64Array.from(vals as number[])), numClasses, opts);
  }
  const n = x instanceof NDArray ? x.size : typeof x === 'number' ? 1 : nestedInts(x).vals.length;
  if (n * numClasses >= 2 ** 31) throw new ShapeError(`np.oneHot: ${n} indices x ${numClasses} classes = ${n * numClasses} elements, more than an Array holds (2^31 - 1)`);
  if (x instanceof NDArray && (x.dtype === 'float32' || x.dtype === 'float64' || x.dtype === 'uint32')) {
    // jax.nn.one_hot compares x[..., None] with arange(numClasses): 2.0 is class 2, 2.5 and -1 no class
    const classes = new NDArray([numClasses], x.dtype, x.dtype === 'float64' ? Float64Array.from({ length: numClasses }, (_, i) => i)
      : x.dtype === 'float32' ? Float32Array.from({ length: numClasses }, (_, i) => i) : Uint32Array.from({ length: numClasses }, (_, i) => i));
    return astype(lax.eq(lax.broadcastInDim(reshape(x, [...x.shape, 1]), [...x.shape, numClasses], [...x.shape.keys(), x.ndim]),
      lax.broadcastInDim(classes, [...x.shape, numClasses], [x.ndim])), dt);
  }
  const idx = x instanceof NDArray ? indexArray('np.oneHot', x.dtype === 'bool' ? astype(x, 'int32') : x) : (() => { const { vals, shape } = typeof x === 'number' ? { vals: [x], shape: [] } : nestedInts(x); return int32(vals, shape); })();
  if (numClasses === 0) return filled('np.oneHot', [...idx.shape, 0], 0, dt);
  if (numClasses * numClasses > 4 * n * numClasses) { // an identity much larger than the result: compare with the classes instead
    return astype(lax.eq(lax.broadcastInDim(idx, [...idx.shape, numClasses], [...idx.shape.keys()]),
      lax.broadcastInDim(lax.iota(numClasses), [...idx.shape, numClasses], [idx.ndim])), dt);
  }
  const data = dt === 'float64' ? new Float64Array(numClasses * numClasses) : new Float32Array(numClasses * numClasses);
  for (let i = 0; i < numClasses; i++) data[i * (numClasses + 1)] = 1;
  return takeAxis(new NDArray([numClasses, numClasses], dt, data), idx, 0, { mode: 'fill' });
}

/** np.meshgrid: coordinate arrays, indexing 'xy' (default, numpy's) or 'ij'; `sparse` (numpy's and jnp's) keeps each one's own axis only, the rest of size 1. */
export function meshgrid(...args: (ArrayInput | { indexing?: 'xy' | 'ij'; sparse?: boolean })[]): NDArray[] {
  let indexing: 'xy' | 'ij' = 'xy', sparse = false;
  const last = args[args.length - 1];
  if (last !== null && typeof last === 'object' && !Array.isArray(last) && !(last instanceof NDArray)) {
    // (sparse was an "unknown option" ValueError, where numpy and jnp take it)
    const o = readOptions<{ indexing?: 'xy' | 'ij'; sparse?: boolean }>('np.meshgrid', args.pop(), { indexing: 'any', sparse: 'any' });
    indexing = o.indexing ?? 'xy';
    if (indexing !== 'xy' && indexing !== 'ij') throw new ValueError(`np.meshgrid: indexing must be 'xy' or 'ij', got ${show(indexing)}`);
    if (o.sparse !== undefined && typeof o.sparse !== 'boolean') throw new ValueError(`np.meshgrid: sparse must be true or false, got ${show(o.sparse)}`);
    sparse = o.sparse ?? false;
  }
  const xs = (args as ArrayInput[]).map((a, i) => reshape(operand('np.meshgrid', i, a), [-1]));
  const shape = xs.map((v) => v.shape[0]);
  if (indexing === 'xy' && xs.length >= 2) [shape[0], shape[1]] = [shape[1], shape[0]];
  return xs.map((v, i) => {
    const d = indexing === 'xy' && xs.length >= 2 && i < 2 ? 1 - i : i;
    if (sparse) return reshape(v, shape.map((n, j) => (j === d ? n : 1)));
    return lax.broadcastInDim(v, shape, [d]);
  });
}
