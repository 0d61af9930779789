// More of numpy's surface, composed from the np and lax functions (so each differentiates,
// batches and traces as those do): rot90 fliplr flipud, logspace geomspace, select choose,
// nanargmax nanargmin nanmedian, isin digitize, histogram; fillDiagonal, diagIndices(From),
// tril/triuIndicesFrom, rollaxis and the array API's bitwiseInvert / bitwiseLeftShift / bitwiseRightShift.
import { NDArray, ArrayInput } from './array.js';
import * as lax from './lax.js';
import {
  astype, reshape, ravel, transpose, where, equal, notEqual, lessEqual, greaterEqual, add, subtract, multiply, divide, power, sum,
  broadcastTo, broadcastShapes, stack, linspace, floatDtype, commonDtype, checkAxes, arrayCount, type DType,
} from './numpy.js';
import { moveaxis, flip } from './np_rearrange.js';
import { isnan, log10, sign, clip, remainder, floorDivide, logicalAnd, logicalNot } from './np_elementwise.js';
import { takeAlongAxis, take } from './np_indexing.js';
import { max, min, argmax, argmin, all } from './np_reductions.js';
import { sort, searchsorted } from './np_sorting.js';
import { operand, intsOperand, requireComputable, normalizeAxisList } from './np_shared.js';
import { atMost, readOptions, readOptionalPositions, required, show } from './options.js';
import { trilIndices, triuIndices } from './np_numeric.js';
import { AtIndex } from './np_indexing.js';
import { checkShape, filled } from './creation.js';
import { AxisError, DTypeError, ShapeError, TracerError, ValueError, describe } from '../core/errors.js';
import { isComplex, isInexact, isInteger } from '../core/dtype.js';

/** The values of `a` when they can be read (eagerly, under grad), or null (under jit, batched by vmap). */
function valuesOrNull(where_: string, a: NDArray): ArrayLike<number> | null {
  try { return a._values(where_); } catch (e) { if (e instanceof TracerError) return null; throw e; }
}

// ---------------------------------------------------------------- rotations and flips

/**
 * np.rot90(x, k = 1, { axes = [0, 1] }): x rotated by 90 degrees k times in the plane of `axes`,
 * from the first axis towards the second (k negative: the other way). A transpose and a flip.
 */
export function rot90(x: ArrayInput, k?: number | { k?: number; axes?: number[] }, opts?: { axes?: number[] }): NDArray {
  const fn = 'np.rot90';
  atMost(fn, arguments.length, 3);
  if (k !== null && typeof k === 'object') {
    if (arguments.length > 2) throw new ValueError(`${fn}: options came second (${show(k)}), so there is no third argument; got ${show(opts)}`);
    opts = k; k = (k as { k?: number }).k;
    opts = { axes: (opts as { axes?: number[] }).axes };
    readOptions(fn, arguments[1], { k: 'number', axes: 'any' });
  }
  const o = readOptions<{ axes?: number[] }>(fn, opts, { axes: 'any' }, 'axes');
  if (k === null) throw new ValueError(`${fn}: k must be an integer (the number of quarter turns), got null`);
  const turns = k ?? 1;
  if (typeof turns !== 'number' || !Number.isInteger(turns)) throw new ValueError(`${fn}: k must be an integer, got ${show(turns)}`);
  const a = operand(fn, 0, x);
  const axes = o.axes === undefined ? [0, 1] : o.axes; // (null, numpy's None, is refused below, as numpy and jnp refuse it: it was read as [0, 1])
  if (!Array.isArray(axes) || axes.length !== 2 || axes.some((v) => typeof v !== 'number' || !Number.isInteger(v))) {
    throw new ValueError(`${fn}: axes must be a list of two integers, got ${show(axes)}`);
  }
  if (a.ndim < 2) throw new ValueError(`${fn}: needs at least 2 dimensions, got ${describe(a.shape, a.dtype)}`);
  if (axes.some((v) => v < -a.ndim || v >= a.ndim)) throw new AxisError(`${fn}: axes [${axes}] out of range for ${describe(a.shape, a.dtype)} (${a.ndim} dimensions)`);
  const [p, q] = axes.map((v) => (v < 0 ? v + a.ndim : v));
  if (p === q) throw new ValueError(`${fn}: axes must be different, got [${axes}]`);
  const t = ((turns % 4) + 4) % 4;
  if (t === 0) return a;
  if (t === 2) return flip(flip(a, p), q);
  const perm = [...a.shape.keys()];
  [perm[p], perm[q]] = [perm[q], perm[p]];
  return t === 1 ? transpose(flip(a, q), perm) : flip(transpose(a, perm), q);
}

/** np.fliplr: the order of the columns (axis 1) reversed; needs 2+ dimensions. */
export function fliplr(x: ArrayInput): NDArray {
  const a = operand('np.fliplr', 0, x);
  if (a.ndim < 2) throw new ValueError(`np.fliplr: needs at least 2 dimensions, got ${describe(a.shape, a.dtype)}`);
  return flip(a, 1);
}

/** np.flipud: the order of the rows (axis 0) reversed; needs 1+ dimensions. */
export function flipud(x: ArrayInput): NDArray {
  const a = operand('np.flipud', 0, x);
  if (a.ndim < 1) throw new ValueError(`np.flipud: needs at least 1 dimension, got ${describe(a.shape, a.dtype)}`);
  return flip(a, 0);
}

// ---------------------------------------------------------------- logspace, geomspace

export interface LogspaceOptions { num?: number; endpoint?: boolean; base?: number; dtype?: DType; axis?: number }
export interface GeomspaceOptions { num?: number; endpoint?: boolean; dtype?: DType; axis?: number }

/** (start, stop, num?, opts?) with the options third or fourth, as np.linspace reads them. */
function spaceArgs<T extends { num?: number; dtype?: DType }>(fn: string, argc: number, num: unknown, opts: unknown, spec: Record<string, 'number' | 'boolean' | 'dtype' | 'any'>) {
  // (an Array num was read as the options: "dtype must be a dtype name, got an Array int32[]"; a
  // concrete 0-d integer one is read, as numpy's and jnp's, a traced one is a TracerError: helper-280)
  if (num instanceof NDArray) num = arrayCount(fn, num);
  if (typeof num === 'object' && num !== null || typeof num === 'string') {
    if (argc > 3) throw new ValueError(`${fn}: options came third (${show(num)}), so there is no fourth argument; got ${show(opts)}`);
    opts = num; num = undefined;
  }
  const o = readOptions<T>(fn, opts, spec, 'dtype');
  if (num !== undefined && o.num !== undefined) throw new ValueError(`${fn}: num given twice (${show(num)} and { num: ${o.num} })`);
  // (`num ?? 50` read null as absent: 50 points for num=None, which numpy refuses)
  const count = (num === null ? null : num ?? o.num ?? 50) as number;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) throw new ValueError(`${fn}: num must be a non-negative integer, got ${show(count)}`);
  checkShape(fn, [count], 'num', 'float64'); // (2 ** 31 ran element by element in JS for minutes)
  return { o, count };
}

/**
 * The computation dtype of a space with JS or Array ends: floats as given; for an integer dtype
 * float64, then truncated toward zero, as numpy (which computes in its float64 result type and
 * casts: geomspace(int32 -6734, int32 -304161, 20, int32)[18] is -248889; in float32 it was -248890).
 */
function spaceDtypes(fn: string, ends: ArrayInput[], dtype: DType | undefined): { want: DType; work: DType } {
  if (dtype !== undefined && isComplex(dtype)) throw new DTypeError(`${fn}: complex dtypes are not supported, got ${dtype}`);
  const want = dtype ?? floatDtype(fn, ends);
  if (isComplex(want)) throw new DTypeError(`${fn}: complex endpoints are not supported`);
  return { want, work: isInexact(want) ? want : 'float64' };
}

/** A space along a new leading axis moved to `axis` (numpy's axis option, for Array ends). */
function placeAxis(fn: string, out: NDArray, axis: number | undefined): NDArray {
  if (axis === undefined) return out;
  if (typeof axis !== 'number' || !Number.isInteger(axis)) throw new AxisError(`${fn}: axis must be an integer, got ${show(axis)}`);
  const ax = normalizeAxisList(fn, [axis], out.ndim)[0];
  return ax === 0 ? out : moveaxis(out, 0, ax);
}

/**
 * np.logspace(start, stop, num = 50, { endpoint = true, base = 10, dtype, axis = 0 }): base **
 * linspace(start, stop). JS ends are computed in float64 and rounded once to the dtype (float32
 * by default); Array ends as Arrays (differentiable). An integer dtype truncates, as numpy.
 */
export function logspace(start: number | NDArray, stop: number | NDArray, num?: number | LogspaceOptions | DType, opts?: LogspaceOptions | DType): NDArray {
  const fn = 'np.logspace';
  atMost(fn, arguments.length, 4);
  const { o, count } = spaceArgs<LogspaceOptions>(fn, arguments.length, num, opts, { num: 'number', endpoint: 'boolean', base: 'number', dtype: 'dtype', axis: 'number' });
  const base = o.base ?? 10, endpoint = o.endpoint ?? true;
  required(fn, 'start', start); required(fn, 'stop', stop);
  const { want, work } = spaceDtypes(fn, [start, stop], o.dtype);
  if (typeof start === 'number' && typeof stop === 'number') {
    if (o.axis !== undefined && o.axis !== 0 && o.axis !== -1) throw new AxisError(`${fn}: axis ${o.axis} is out of bounds for a 1-d result`);
    const div = endpoint ? count - 1 : count, step = div > 0 ? (stop - start) / div : 0;
    const vals = Float64Array.from({ length: count }, (_, i) => base ** (endpoint && count > 1 && i === count - 1 ? stop : start + i * step));
    return astype(new NDArray([count], 'float64', vals), want);
  }
  if (typeof start !== 'number' && !(start instanceof NDArray)) throw new ValueError(`${fn}: start must be a number or an Array, got ${show(start)}`);
  if (typeof stop !== 'number' && !(stop instanceof NDArray)) throw new ValueError(`${fn}: stop must be a number or an Array, got ${show(stop)}`);
  const y = linspace(start, stop, count, { endpoint, dtype: work });
  const out = power(lax.full([], base, work), y);
  return placeAxis(fn, want === work ? out : astype(out, want), o.axis);
}

/**
 * np.geomspace(start, stop, num = 50, { endpoint = true, dtype, axis = 0 }): a geometric
 * progression from start to stop, whose ends are start and stop exactly. Both ends negative:
 * the negated progression. JS ends that are 0 or of different signs are a ValueError (numpy: 0
 * is one, different signs give NaN with a warning); Array ends give NaN there, as jnp.
 */
export function geomspace(start: number | NDArray, stop: number | NDArray, num?: number | GeomspaceOptions | DType, opts?: GeomspaceOptions | DType): NDArray {
  const fn = 'np.geomspace';
  atMost(fn, arguments.length, 4);
  const { o, count } = spaceArgs<GeomspaceOptions>(fn, arguments.length, num, opts, { num: 'number', endpoint: 'boolean', dtype: 'dtype', axis: 'number' });
  const endpoint = o.endpoint ?? true;
  required(fn, 'start', start); required(fn, 'stop', stop);
  const { want, work } = spaceDtypes(fn, [start, stop], o.dtype);
  if (typeof start === 'number' && typeof stop === 'number' && !Number.isNaN(start) && !Number.isNaN(stop)) { // (NaN: the Array path's NaNs)
    if (o.axis !== undefined && o.axis !== 0 && o.axis !== -1) throw new AxisError(`${fn}: axis ${o.axis} is out of bounds for a 1-d result`);
    if (start === 0 || stop === 0) throw new ValueError(`${fn}: a geometric sequence cannot include zero (start ${start}, stop ${stop})`);
    if (Math.sign(start) !== Math.sign(stop)) throw new ValueError(`${fn}: start ${start} and stop ${stop} have different signs (no real geometric sequence joins them)`);
    const s = Math.sign(start), a = Math.log10(start * s), b = Math.log10(stop * s);
    const div = endpoint ? count - 1 : count, step = div > 0 ? (b - a) / div : 0;
    const vals = Float64Array.from({ length: count }, (_, i) =>
      s * (i === 0 ? start * s : endpoint && count > 1 && i === count - 1 ? stop * s : 10 ** (a + i * step)));
    return astype(new NDArray([count], 'float64', vals), want);
  }
  const s0 = astype(operand(fn, 0, start, work), work), e0 = astype(operand(fn, 1, stop, work), work);
  const shape = broadcastShapes(fn, s0.shape, e0.shape);
  const sb = broadcastTo(s0, shape), eb = broadcastTo(e0, shape);
  const sg = lax.stopGradient(sign(sb));
  const y = linspace(log10(multiply(sb, sg)), log10(multiply(eb, sg)), count, { endpoint, dtype: work });
  let out = power(lax.full([], 10, work), y);
  const lead = [count, ...shape.map(() => 1)], at = reshape(lax.iota(count), lead);
  if (count > 0) out = where(equal(at, 0), broadcastTo(multiply(sb, sg), [count, ...shape]), out);
  if (count > 1 && endpoint) out = where(equal(at, count - 1), broadcastTo(multiply(eb, sg), [count, ...shape]), out);
  out = multiply(out, sg);
  return placeAxis(fn, want === work ? out : astype(out, want), o.axis);
}

// ---------------------------------------------------------------- select, choose

/**
 * np.select(condlist, choicelist, default = 0): at each position the entry of the first choice
 * whose condition (bool) is true there, `default` where none is; all broadcast together, the
 * choices and default promoted together. Differentiable in the choices and the default.
 */
export function select(condlist: ArrayInput[], choicelist: ArrayInput[], fallback?: ArrayInput): NDArray {
  const fn = 'np.select';
  atMost(fn, arguments.length, 3);
  if (!Array.isArray(condlist) || !Array.isArray(choicelist)) throw new ValueError(`${fn}: condlist and choicelist must be lists, got ${show(condlist)} and ${show(choicelist)}`);
  if (condlist.length !== choicelist.length) throw new ValueError(`${fn}: ${choicelist.length} choices for ${condlist.length} conditions; the lists must have one length`);
  if (condlist.length === 0) throw new ValueError(`${fn}: an empty condition list is not possible`);
  const dflt = fallback ?? 0;
  const conds = condlist.map((c, i) => {
    const a = operand(fn, i, c); // (read as given: a list of numbers is not bool, as numpy refuses it)
    if (a.dtype !== 'bool') throw new DTypeError(`${fn}: condition ${i} must be bool, got ${describe(a.shape, a.dtype)}; compare first (np.greater(x, 0))`);
    return a;
  });
  const d = commonDtype(fn, [...choicelist, dflt]);
  const choices = choicelist.map((c, i) => astype(operand(fn, i, c, d), d));
  const def = astype(operand(fn, choicelist.length, dflt, d), d);
  const shape = broadcastShapes(fn, ...conds.map((c) => c.shape), ...choices.map((c) => c.shape), def.shape);
  let out = broadcastTo(def, shape);
  for (let i = conds.length - 1; i >= 0; i--) out = where(conds[i], choices[i], out);
  return out;
}

export type ChooseMode = 'raise' | 'wrap' | 'clip';

/**
 * np.choose(a, choices, { mode = 'raise' }): choices[a] elementwise, a (integers) and the choices
 * broadcast together (`choices` a list, or an Array whose first axis lists them). 'raise' refuses
 * an index outside [0, n) and needs a's values (eager and under grad; under jit or vmap pass 'wrap'
 * or 'clip', as jnp); 'wrap' takes it modulo n, 'clip' clamps it. Differentiable in the choices.
 */
export function choose(a: ArrayInput, choices: ArrayInput[] | NDArray, opts?: { mode?: ChooseMode } | ChooseMode): NDArray {
  const fn = 'np.choose';
  atMost(fn, arguments.length, 3);
  required(fn, 'choices', choices);
  const o = readOptions<{ mode?: ChooseMode }>(fn, opts, { mode: 'any' }, 'mode');
  const mode = o.mode ?? 'raise';
  if (mode !== 'raise' && mode !== 'wrap' && mode !== 'clip') throw new ValueError(`${fn}: mode must be 'raise', 'wrap' or 'clip', got ${show(mode)}`);
  let idx = intsOperand(fn, a); // (a list of floats was truncated to ints)
  if (idx.dtype === 'bool') idx = astype(idx, 'int32');
  if (!isInteger(idx.dtype)) throw new DTypeError(`${fn}: a must hold integers (int32, uint32 or bool), got ${describe(idx.shape, idx.dtype)}`);
  // An Array of choices stays one Array (its rows taken one by one made 100,000 ops of 100,000 choices)
  let list: NDArray[] | null = null, whole: NDArray | null = null;
  if (choices instanceof NDArray) {
    if (choices.ndim === 0) throw new ValueError(`${fn}: choices must be a list or an Array of 1+ dimensions, got ${describe(choices.shape, choices.dtype)}`);
    whole = choices;
  } else if (Array.isArray(choices)) {
    const d = commonDtype(fn, choices);
    list = choices.map((c, i) => astype(operand(fn, i + 1, c, d), d));
  } else throw new ValueError(`${fn}: choices must be a list or an Array, got ${show(choices)}`);
  const n = whole !== null ? whole.shape[0] : list!.length;
  if (n === 0) throw new ValueError(`${fn}: choices must not be empty`);
  if (mode === 'raise') {
    const v = valuesOrNull(fn, idx);
    if (v === null) {
      throw new TracerError(`${fn}: mode 'raise' checks a's values, which are not concrete here (abstract under jit, or batched by vmap); ` +
        "pass { mode: 'clip' } or { mode: 'wrap' }");
    }
    for (let i = 0; i < v.length; i++) {
      if (v[i] < 0 || v[i] >= n) throw new ValueError(`${fn}: invalid entry ${v[i]} in a (at flat index ${i}) for ${n} choices; pass { mode: 'clip' } or { mode: 'wrap' } to accept it`);
    }
    if (idx.dtype === 'uint32') idx = astype(idx, 'int32');
  } else if (mode === 'wrap') {
    idx = astype(remainder(idx, n), 'int32');
  } else {
    idx = idx.dtype === 'uint32' ? astype(lax.min(idx, lax.full(idx.shape, n - 1, 'uint32')), 'int32') : clip(idx, 0, n - 1);
  }
  const shape = whole !== null ? broadcastShapes(fn, idx.shape, whole.shape.slice(1)) : broadcastShapes(fn, idx.shape, ...list!.map((c) => c.shape));
  // (each choice's own axes right-aligned under `shape`, as broadcasting each choice would)
  const aligned = whole !== null ? reshape(whole, [n, ...Array(shape.length - (whole.ndim - 1)).fill(1), ...whole.shape.slice(1)]) : null;
  const stacked = aligned !== null ? broadcastTo(aligned, [n, ...shape]) : stack(list!.map((c) => broadcastTo(c, shape)));
  const at = reshape(broadcastTo(idx, shape), [1, ...shape]);
  return reshape(takeAlongAxis(stacked, at, 0, { mode: 'clip' }), shape);
}

// ---------------------------------------------------------------- NaN-aware arg-extrema, nanmedian

function nanArg(fn: string, isMax: boolean) {
  return function (x: ArrayInput, opts?: { axis?: number | null; keepdims?: boolean } | number | null): NDArray {
    atMost(fn, arguments.length, 2);
    const o = readOptions<{ axis?: number | null; keepdims?: boolean }>(fn, opts, { axis: 'axis', keepdims: 'boolean' }, 'axis');
    const a = operand(fn, 0, x);
    requireComputable(fn, [a]);
    if (isComplex(a.dtype)) throw new DTypeError(`${fn}: complex values are not supported, got ${describe(a.shape, a.dtype)}`);
    if (Array.isArray(o.axis)) throw new ValueError(`${fn}: axis must be an integer or null, got ${show(o.axis)}`);
    const axis = o.axis ?? null;
    if (axis === null ? a.size === 0 : a.shape[normalizeAxisList(fn, [axis], a.ndim)[0]] === 0) {
      throw new ValueError(`${fn}: attempt to get ${fn.slice(3)} of an empty sequence (${describe(a.shape, a.dtype)}, axis ${show(axis)})`);
    }
    const r = { axis, keepdims: o.keepdims };
    if (!isInexact(a.dtype)) return (isMax ? argmax : argmin)(a, r); // no NaN to skip
    // numpy's and jnp's way: NaNs read as the extreme that never wins, so a slice whose best is
    // that extreme ([NaN, -inf] for nanargmax) gives the first of them, a NaN's index as theirs
    const nan = isnan(a);
    const i = (isMax ? argmax : argmin)(where(nan, isMax ? -Infinity : Infinity, a), r);
    return where(all(nan, { axis: axis === null ? null : [axis], keepdims: o.keepdims }), -1, i);
  };
}

/**
 * np.nanargmax / nanargmin: int32 index of the first maximum / minimum ignoring NaNs. A slice
 * of NaNs only gives -1 (jnp's; numpy raises, which a traced value cannot).
 */
export const nanargmax = nanArg('np.nanargmax', true);
export const nanargmin = nanArg('np.nanargmin', false);

/**
 * np.nanmedian(x, { axis, keepdims }): the median of the non-NaN entries (NaN for a slice of NaNs
 * only). Through the sort and a gather, so differentiable as median.
 */
export function nanmedian(x: ArrayInput, opts?: { axis?: number | number[] | null; keepdims?: boolean } | number | number[] | null): NDArray {
  const fn = 'np.nanmedian';
  atMost(fn, arguments.length, 2);
  const o = readOptions<{ axis?: number | number[] | null; keepdims?: boolean }>(fn, opts, { axis: 'axis', keepdims: 'boolean' }, 'axis');
  let a = operand(fn, 0, x);
  requireComputable(fn, [a]);
  if (isComplex(a.dtype)) throw new DTypeError(`${fn}: complex values have no order to take a median in, got ${describe(a.shape, a.dtype)}`);
  if (!isInexact(a.dtype)) a = astype(a, 'float32');
  const axes = checkAxes(fn, o.axis, a.ndim);
  const keptAxes = [...a.shape.keys()].filter((i) => !axes.includes(i));
  const keptShape = keptAxes.map((i) => a.shape[i]);
  const n = axes.reduce((p, i) => p * a.shape[i], 1);
  if (n === 0) return lax.full(o.keepdims ? a.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : keptShape, NaN, a.dtype); // (numpy: NaN, with a warning)
  const flat = reshape(transpose(a, [...keptAxes, ...axes]), [...keptShape, n]);
  const sorted = sort(flat, { axis: -1 }); // NaNs last
  const k = sum(astype(logicalNot(isnan(flat)), 'int32'), { axis: -1, keepdims: true });
  const lo = floorDivide(subtract(k, 1), 2), hi = floorDivide(k, 2);
  const at = (i: NDArray) => takeAlongAxis(sorted, clip(i, 0, n - 1), -1, { mode: 'clip' });
  const vlo = at(lo), vhi = at(hi);
  const mid = where(equal(lo, hi), vlo, add(multiply(vlo, 0.5), multiply(vhi, 0.5)));
  let out = reshape(where(equal(k, 0), NaN, mid), keptShape);
  if (o.keepdims) out = reshape(out, a.shape.map((d, i) => (axes.includes(i) ? 1 : d)));
  return out;
}

// ---------------------------------------------------------------- isin, digitize, histogram

/** Whether every JS number in x (a number or nested lists) is an integer in the range of `dt`. */
function jsIntsFit(x: unknown, dt: 'int32' | 'uint32' | string): boolean {
  const [lo, hi] = dt === 'uint32' ? [0, 2 ** 32 - 1] : [-(2 ** 31), 2 ** 31 - 1];
  const ok = (v: unknown): boolean => (Array.isArray(v) ? v.every(ok) : typeof v !== 'number' || (Number.isInteger(v) && v >= lo && v <= hi));
  return ok(x);
}

/**
 * np.isin(element, testElements, { invert, assumeUnique }): bool, element's shape: whether each
 * entry of element is among testElements (any shape). NaN is in nothing. Through a sort and a
 * binary search (complex values: compared with each test element).
 */
export function isin(element: ArrayInput, testElements: ArrayInput, opts?: { invert?: boolean; assumeUnique?: boolean }): NDArray {
  const fn = 'np.isin';
  atMost(fn, arguments.length, 3);
  required(fn, 'testElements', testElements);
  const o = readOptions<{ invert?: boolean; assumeUnique?: boolean }>(fn, opts, { invert: 'boolean', assumeUnique: 'boolean' });
  // the two promoted together, as jnp.isin (read as x's dtype, test values 1.5 were 1 and -1 was refused for uint32)
  // (JS values in the common dtype: isin(float64 [0.1], [0.1]) read the list as float32 0.1 and found nothing)
  let dt = commonDtype(fn, [element, testElements]);
  // a JS integer outside an integer dtype matches nothing there: compared in float64, which holds
  // every int32 and uint32 (isin(uint32 [1, 2], [-1, 2]) is [false, true], as numpy and jnp)
  if (isInteger(dt) && [element, testElements].some((v) => !(v instanceof NDArray) && !jsIntsFit(v, dt))) dt = 'float64';
  // an int32 Array beside a uint32 one: compared in float64 too, as np.equal compares them
  // (isin(uint32 [4294967295], int32 [-1]) is false, numpy's; their int32 promotion wrapped it to true)
  const intDts = new Set([element, testElements].filter((v): v is NDArray => v instanceof NDArray && isInteger(v.dtype)).map((v) => v.dtype));
  if (intDts.size > 1) dt = 'float64';
  // and an integer Array beside a float32 one, as np.equal compares them (isin(int32 [16777217],
  // float32 [16777216]) was true: the int32 rounded to float32; numpy's is false)
  if (intDts.size > 0 && dt === 'float32') dt = 'float64';
  const e0 = operand(fn, 0, element, dt), t0 = ravel(operand(fn, 1, testElements, dt));
  const e = astype(e0, dt), t = astype(t0, dt);
  requireComputable(fn, [e, t]);
  let found: NDArray;
  if (t.size === 0 || e.size === 0) found = lax.full(e.shape, 0, 'bool');
  else if (isComplex(e.dtype) || isComplex(t.dtype)) {
    found = lax.reduceMax(astype(equal(reshape(e, [...e.shape, 1]), reshape(t, [...e.shape.map(() => 1), t.size])), 'float32'), [e.ndim]);
    found = notEqual(found, 0);
  } else {
    const s = sort(t);
    const i = clip(searchsorted(s, e), 0, t.size - 1);
    found = equal(take(s, i, { mode: 'clip' }), e);
  }
  return o.invert ? logicalNot(found) : found;
}

/**
 * np.digitize(x, bins, { right = false }): int32 index of the bin of each x in the monotonic 1-d
 * bins (increasing: bins[i-1] <= x < bins[i]; right: bins[i-1] < x <= bins[i]; decreasing bins
 * mirrored). Bins that are neither increasing nor decreasing are a ValueError when their values
 * can be read; traced bins are taken as increasing when bins[-1] >= bins[0] (jnp's).
 */
export function digitize(x: ArrayInput, bins: ArrayInput, opts?: { right?: boolean } | boolean): NDArray {
  const fn = 'np.digitize';
  atMost(fn, arguments.length, 3);
  required(fn, 'bins', bins);
  const o = readOptions<{ right?: boolean }>(fn, opts, { right: 'boolean' }, 'right');
  const xa = operand(fn, 0, x);
  if (isComplex(xa.dtype)) throw new DTypeError(`${fn}: x may not be complex, got ${describe(xa.shape, xa.dtype)}`);
  const b = operand(fn, 1, bins, xa.dtype === 'float64' ? 'float64' : undefined);
  if (isComplex(b.dtype)) throw new DTypeError(`${fn}: bins may not be complex, got ${describe(b.shape, b.dtype)}`);
  if (b.ndim !== 1) throw new ValueError(`${fn}: bins must be 1-d, got ${describe(b.shape, b.dtype)}`);
  const n = b.size;
  if (n === 0) return lax.full(xa.shape, 0, 'int32');
  const side = o.right ? 'left' : 'right';
  const up = () => searchsorted(b, xa, { side });
  const down = () => subtract(n, searchsorted(flip(b), xa, { side }));
  const v = valuesOrNull(fn, b);
  if (v !== null) {
    let inc = true, dec = true;
    for (let i = 1; i < n; i++) { if (!(v[i] >= v[i - 1])) inc = false; if (!(v[i] <= v[i - 1])) dec = false; }
    if (!inc && !dec) throw new ValueError(`${fn}: bins must be monotonically increasing or decreasing`);
    return inc ? up() : down();
  }
  return where(greaterEqual(take(b, n - 1), take(b, 0)), up(), down());
}

export interface HistogramOptions { bins?: number | ArrayInput; range?: [number, number]; weights?: ArrayInput; density?: boolean }

/**
 * np.histogram(a, { bins = 10, range, weights, density }): [counts, edges] of the flattened a.
 * `bins` a count (equal bins over `range`, default a's min and max) or increasing edges; each
 * bin holds [edge_i, edge_i+1) and the last also its right edge; values outside are left out.
 * Counts are int32 (the weights' dtype with weights; float with density: counts / sum / widths).
 * Differentiable in the weights.
 */
export function histogram(a: ArrayInput, opts?: HistogramOptions | number): NDArray[] {
  const fn = 'np.histogram';
  atMost(fn, arguments.length, 2);
  const o = readOptions<HistogramOptions>(fn, opts, { bins: 'any', range: 'any', weights: 'any', density: 'boolean' }, 'bins');
  // (it said 'argument 1 must be an Array, a number or nested lists', naming no option)
  if (typeof o.bins === 'string') throw new ValueError(`${fn}: string bin estimators ('auto', 'fd', ...) are not supported (as in jnp), got bins ${show(o.bins)}; give a number of bins or their edges`);
  let x = ravel(operand(fn, 0, a));
  requireComputable(fn, [x]);
  if (isComplex(x.dtype)) throw new DTypeError(`${fn}: complex values are not supported, got ${describe(x.shape, x.dtype)}`);
  const fd = isInexact(x.dtype) ? x.dtype : 'float32';
  x = astype(x, fd);
  let range: [number, number] | undefined;
  if (o.range !== undefined && o.range !== null) {
    const r = o.range;
    if (!Array.isArray(r) || r.length !== 2 || r.some((v) => typeof v !== 'number' || !Number.isFinite(v))) throw new ValueError(`${fn}: range must be two finite numbers [min, max], got ${show(r)}`);
    if (r[0] > r[1]) throw new ValueError(`${fn}: max must be larger than min in range, got ${show(r)}`);
    range = [r[0], r[1]];
  }
  const binsGiven = o.bins ?? 10;
  let edges: NDArray;
  if (typeof binsGiven === 'number') {
    if (!Number.isInteger(binsGiven) || binsGiven < 1) throw new ValueError(`${fn}: bins must be a positive integer or a list of edges, got ${show(binsGiven)}`);
    let lo: number | NDArray, hi: number | NDArray;
    if (range !== undefined) [lo, hi] = range;
    else if (x.size === 0) [lo, hi] = [0, 1];
    else {
      const mn = min(x), mx = max(x);
      const v0 = valuesOrNull(fn, mn), v1 = valuesOrNull(fn, mx);
      if (v0 !== null && v1 !== null && (!Number.isFinite(v0[0]) || !Number.isFinite(v1[0]))) {
        throw new ValueError(`${fn}: autodetected range of [${v0[0]}, ${v1[0]}] is not finite; pass a range`);
      }
      // The edges from x's own min and max in x's dtype, eagerly as under jit: numpy's linspace
      // of two float32 scalars runs in float32 (JS numbers would run it in float64, and a
      // value just below an edge could round onto it and count one bin up). Differentiable, as
      // jnp's: the edges (and density's widths) move with x's extreme values.
      [lo, hi] = [mn, mx];
    }
    if (typeof lo === 'number' && typeof hi === 'number') {
      if (lo === hi) { lo -= 0.5; hi += 0.5; }
      edges = linspace(lo, hi, binsGiven + 1, { dtype: fd });
    } else {
      const same = equal(lo as NDArray, hi as NDArray);
      edges = linspace(where(same, subtract(lo, 0.5), lo), where(same, add(hi, 0.5), hi), binsGiven + 1, { dtype: fd });
    }
    // numpy's check: equal bins that are not strictly increasing in the edges' dtype (a range
    // whose width overflows gives NaN and inf edges, one narrower than the dtype resolves gives
    // repeated ones) are a ValueError; counted, every value fell outside or in an arbitrary bin
    const ev = valuesOrNull(fn, edges);
    if (ev !== null) {
      for (let i = 1; i < ev.length; i++) {
        if (!(ev[i] > ev[i - 1])) throw new ValueError(`${fn}: too many bins for data range; cannot create ${binsGiven} finite-sized bins between ${ev[0]} and ${ev[ev.length - 1]} in ${fd} (numpy's ValueError)`);
      }
    }
  } else {
    edges = operand(fn, 1, binsGiven as ArrayInput, fd);
    if (edges.ndim !== 1 || edges.size < 2) throw new ValueError(`${fn}: bins must be a positive integer or 1-d edges (at least 2), got ${describe(edges.shape, edges.dtype)}`);
    if (isComplex(edges.dtype)) throw new DTypeError(`${fn}: bins may not be complex`);
    const v = valuesOrNull(fn, edges);
    if (v !== null) for (let i = 1; i < v.length; i++) if (!(v[i] >= v[i - 1])) throw new ValueError(`${fn}: bins must increase monotonically`);
    // (a range beside given edges is ignored, as numpy and jnp do)
  }
  const m = edges.size, nb = m - 1;
  let w: NDArray | null = null;
  if (o.weights !== undefined && o.weights !== null) {
    w = ravel(operand(fn, 1, o.weights, fd));
    const ws = operand(fn, 1, o.weights, fd).shape, as = operand(fn, 0, a).shape;
    if (!lax.sameShape(ws, as)) throw new ShapeError(`${fn}: weights ${describe(ws, w.dtype)} must have a's shape [${as}]`);
    if (w.dtype === 'bool') w = astype(w, 'int32');
  }
  const first = take(edges, 0), last = take(edges, m - 1);
  let bin = subtract(searchsorted(edges, x, { side: 'right' }), 1);
  bin = where(equal(x, last), nb - 1, bin);
  const inside = logicalAnd(greaterEqual(x, first), lessEqual(x, last));
  bin = where(inside, bin, nb); // (nb: out of range, dropped)
  const dt = w === null ? 'int32' : w.dtype;
  const dims = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] };
  let counts = x.size === 0 ? filled(fn, [nb], 0, dt)
    : lax.scatterAdd(filled(fn, [nb], 0, dt), reshape(bin, [x.size, 1]), w ?? lax.full([x.size], 1, 'int32'), dims, { mode: 'fill' });
  if (o.density) {
    const c = isInexact(counts.dtype) ? counts : astype(counts, fd);
    const widths = subtract(takeRange(edges, 1, m), takeRange(edges, 0, m - 1));
    counts = divide(divide(c, sum(c)), widths);
  }
  return [counts, edges];
}

function takeRange(x: NDArray, from: number, to: number): NDArray {
  return take(x, new NDArray([to - from], 'int32', Int32Array.from({ length: to - from }, (_, i) => from + i)), { mode: 'clip' });
}

// ---------------------------------------------------------------- diagonals, triangles, rollaxis, bitwise aliases

/** A non-negative integer argument. */
function countArg(where_: string, what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new ValueError(`${where_}: ${what} must be a non-negative integer, got ${show(v)}`);
  return v;
}

/** np.diagIndices(n, ndim = 2): ndim copies of arange(n) (int32), indexing the main diagonal of an n x ... x n array. */
export function diagIndices(n: number, ndim: number = 2): NDArray[] {
  const where_ = 'np.diagIndices';
  atMost(where_, arguments.length, 2);
  countArg(where_, 'n', n); countArg(where_, 'ndim', ndim);
  return Array.from({ length: ndim }, () => lax.iota('int32', n));
}

/** np.diagIndicesFrom(arr): np.diagIndices(n, arr.ndim) for an arr of at least 2 axes, all of length n. */
export function diagIndicesFrom(arr: ArrayInput): NDArray[] {
  const where_ = 'np.diagIndicesFrom';
  atMost(where_, arguments.length, 1);
  const a = operand(where_, 0, arr);
  if (a.ndim < 2) throw new ShapeError(`${where_}: arr must have at least 2 dimensions, got ${describe(a.shape, a.dtype)}`);
  if (a.shape.some((d) => d !== a.shape[0])) throw new ShapeError(`${where_}: all dimensions of arr must have the same length, got ${describe(a.shape, a.dtype)}`);
  return diagIndices(a.shape[0], a.ndim);
}

function triangleIndicesFrom(where_: string, nargs: number, arr: ArrayInput, k: number | { k?: number }, upper: boolean): [NDArray, NDArray] {
  atMost(where_, nargs, 2);
  const kk = k !== null && typeof k === 'object' ? readOptions<{ k?: number }>(where_, k, { k: 'any' }).k ?? 0 : k;
  const a = operand(where_, 0, arr);
  if (a.ndim !== 2) throw new ShapeError(`${where_}: arr must be 2-d, got ${describe(a.shape, a.dtype)}`);
  return upper ? triuIndices(a.shape[0], kk, a.shape[1]) : trilIndices(a.shape[0], kk, a.shape[1]);
}
/** np.trilIndicesFrom(arr, k = 0): np.trilIndices(rows, k, cols) of the 2-d arr. */
export function trilIndicesFrom(arr: ArrayInput, k: number | { k?: number } = 0): [NDArray, NDArray] {
  return triangleIndicesFrom('np.trilIndicesFrom', arguments.length, arr, k, false);
}
/** np.triuIndicesFrom(arr, k = 0): np.triuIndices(rows, k, cols) of the 2-d arr. */
export function triuIndicesFrom(arr: ArrayInput, k: number | { k?: number } = 0): [NDArray, NDArray] {
  return triangleIndicesFrom('np.triuIndicesFrom', arguments.length, arr, k, true);
}

export interface FillDiagonalOptions { wrap?: boolean; inplace?: boolean }

/**
 * jnp.fillDiagonal(a, val, wrap = false, { inplace: false }): a copy of `a` whose main diagonal
 * (entries [i, i, ...]) is `val` (in a's dtype as x.at().set converts, repeated cyclically along the diagonal; a scalar
 * fills all of it). As jnp's, inplace must be given as false: JAX arrays are immutable, and a port
 * of numpy's in-place call would otherwise drop the result. `wrap` (numpy's, for a tall matrix)
 * starts the diagonal again every columns + 1 rows. Differentiates in a and val.
 */
export function fillDiagonal(a: ArrayInput, val: ArrayInput, ...rest: (boolean | FillDiagonalOptions | null | undefined)[]): NDArray {
  const where_ = 'np.fillDiagonal';
  // (an options object then more, fillDiagonal(x, 1, false, { inplace: false }, 3), said "give  in one options object")
  const at = rest.findIndex((v) => v !== null && typeof v === 'object');
  const next = at < 0 ? undefined : rest.slice(at + 1).find((v) => v !== undefined);
  if (next !== undefined) {
    throw new ValueError(`${where_}: the options object ({ wrap, inplace }) must be the last argument, after a, val and an optional ` +
      `positional wrap (np.fillDiagonal(a, val, false, { inplace: false })), got ${show(next)} after it`);
  }
  const o = readOptionalPositions<FillDiagonalOptions>(where_, rest, ['wrap'], { wrap: 'boolean', inplace: 'boolean' });
  if (o.inplace !== false) {
    throw new ValueError(`${where_}: Arrays are immutable, so pass { inplace: false } (jnp.fill_diagonal(a, val, inplace=False)) and use the returned Array`);
  }
  const x = operand(where_, 0, a);
  if (x.ndim < 2) throw new ShapeError(`${where_}: a must have at least 2 dimensions, got ${describe(x.shape, x.dtype)}`);
  if (x.ndim > 2 && x.shape.some((d) => d !== x.shape[0])) throw new ShapeError(`${where_}: all dimensions of a must have the same length when it has more than 2, got ${describe(x.shape, x.dtype)}`);
  // numpy's flat positions: a stride of cols + 1 (2-d; to the last full column unless wrap) or 1 + n + n^2 + ...
  let step = 1, prod = 1;
  for (let i = 0; i < x.ndim - 1; i++) { prod *= x.shape[i]; step += prod; }
  if (x.ndim === 2) step = x.shape[1] + 1;
  const end = x.ndim === 2 && !o.wrap ? Math.min(x.size, x.shape[1] * x.shape[1]) : x.size;
  const count = end <= 0 ? 0 : Math.ceil(end / step);
  const v = ravel(operand(where_, 1, val)); // (converted by .at().set's rule: a complex val into a real a is refused, not cut to its real part)
  if (count === 0) return x;
  if (v.size === 0) throw new ValueError(`${where_}: val is empty, so there is nothing to fill the diagonal's ${count} entries with`);
  const flat = ravel(x);
  const pos = lax.mul(lax.iota('int32', count), lax.full([count], step, 'int32'));
  const vals = v.size === 1 ? broadcastTo(v, [count]) : take(v, remainder(lax.iota('int32', count), v.size), { mode: 'clip' });
  return reshape(new AtIndex(flat, [pos]).set(vals), x.shape);
}

/** np.rollaxis(a, axis, start = 0): axis moved to sit before position start (numpy's rule; np.moveaxis is the clearer spelling). */
export function rollaxis(a: ArrayInput, axis: number, start: number = 0): NDArray {
  const where_ = 'np.rollaxis';
  atMost(where_, arguments.length, 3);
  const x = operand(where_, 0, a);
  const n = x.ndim;
  const ax = normalizeAxisList(where_, [axis], n)[0];
  if (typeof start !== 'number' || !Number.isInteger(start)) throw new ValueError(`${where_}: start must be an integer, got ${show(start)}`);
  if (start < -n || start > n) throw new AxisError(`${where_}: start ${start} must be in [${-n}, ${n}] for ${describe(x.shape, x.dtype)}`);
  let s = start < 0 ? start + n : start;
  if (ax < s) s -= 1;
  return ax === s ? x : moveaxis(x, ax, s);
}

/** The array API's names of np.invert, np.leftShift and np.rightShift. */
export { invert as bitwiseInvert, leftShift as bitwiseLeftShift, rightShift as bitwiseRightShift } from './np_elementwise.js';
