// lax: the primitives, one function each, with JAX's lax semantics (operands already of one
// dtype and shape; no implicit broadcasting). The numpy layer (numpy.ts) builds on these.
import { NDArray } from './array.js';
import { bind, bindMulti } from './bind.js';
import { DType, DTYPE_CODE, DTYPES, isDType } from '../core/dtype.js';
import { AxisError, DTypeError, NotImplementedError, ShapeError, ValueError, describe } from '../core/errors.js';
import { isPlainObject, show } from './options.js';
import { requireFinite } from './arity.js';
import { abi } from '../core/abi.js';
import { currentEpoch, rowShape } from '../core/trace.js';

const un = (op: string) => (x: NDArray): NDArray => bind(op, [x]);
const bin = (op: string) => (x: NDArray, y: NDArray): NDArray => bind(op, [x, y], [], () =>
  x.dtype === y.dtype && sameShape(x._shape, y._shape) // (then it is the dtype the primitive has no kernel for: lax.pow of int32s)
    ? `lax.${op}: not defined for ${x.dtype} operands, got ${describe(x._shape, x.dtype)} twice`
    : `lax.${op}: operands must have one dtype and shape, got ${describe(x._shape, x.dtype)} and ${describe(y._shape, y.dtype)}`);

export const neg = un('neg');
export const exp = un('exp');
export const log = un('log');
export const sin = un('sin');
export const cos = un('cos');
export const tanh = un('tanh');
export const sqrt = un('sqrt');
export const add = bin('add');
export const sub = bin('sub');
export const mul = bin('mul');
export const div = bin('div');
export const pow = bin('pow');
/** Complex parts (JAX's lax.real, imag, complex, conj): complex64 <-> float32, complex128 <-> float64. */
export const real = un('real');
export const imag = un('imag');
export const conj = un('conj');
export const complex = bin('complex');
export const lt = bin('lt');
export const le = bin('le');
export const gt = bin('gt');
export const ge = bin('ge');
export const eq = bin('eq');
export const ne = bin('ne');

export function select(pred: NDArray, onTrue: NDArray, onFalse: NDArray): NDArray {
  return bind('select', [pred, onTrue, onFalse], [], () => `lax.select: pred must be bool and all shapes equal, got ` +
    `${describe(pred._shape, pred.dtype)}, ${describe(onTrue._shape, onTrue.dtype)}, ${describe(onFalse._shape, onFalse.dtype)}`);
}

export function convertElementType(x: NDArray, dtype: DType): NDArray {
  if (!isDType(dtype)) throw new DTypeError(`lax.convertElementType: unknown or unsupported dtype ${typeof dtype === 'string' ? `'${dtype}'` : String(dtype)} (one of ${DTYPES.join(', ')})`);
  if (x.dtype === dtype) return x;
  return bind('convert', [x], [DTYPE_CODE[dtype]], () => `lax.convertElementType: cannot convert ${x.dtype} to ${dtype}`);
}

/**
 * 0, 1, ..., n - 1, computed in wasm (a row under jit, not a stored table): JAX's
 * `lax.iota(dtype, size)`, or `iota(size)` for int32.
 */
export function iota(dtypeOrSize: DType | number, size?: number): NDArray {
  const named = typeof dtypeOrSize === 'string';
  // (lax.iota(2, 5) read 5 nowhere)
  if (!named && size !== undefined) throw new ValueError(`lax.iota: takes lax.iota(dtype, size) or lax.iota(size); got a size (${String(dtypeOrSize)}) and a second argument ${typeof size === 'symbol' ? 'symbol' : String(size)}`);
  const n = named ? size : dtypeOrSize, dtype: DType = named ? dtypeOrSize : 'int32';
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n >= 2 ** 31) {
    throw new ValueError(`lax.iota: size must be a non-negative integer below 2^31 (lax.iota(dtype, size) or lax.iota(size)), got ${String(n)}`);
  }
  if (!(dtype in DTYPE_CODE) || dtype === 'bool' || dtype === 'complex64' || dtype === 'complex128') {
    throw new ValueError(`lax.iota: dtype must be int32, uint32, float32 or float64, got ${String(dtype)}`);
  }
  // (the kernel writes every one of the four dtypes: an int32 iota converted took 65 ms at 5e6)
  return bind('iota', [], [DTYPE_CODE[dtype], 0, n], () => `lax.iota: invalid length ${n}`);
}

/** Sum over `axes` (any order; duplicates rejected). */
export function reduceSum(x: NDArray, axes: number[]): NDArray {
  const sorted = normalizeAxes(axesArg('lax.reduceSum', axes), x.ndim, 'lax.reduceSum');
  if (sorted.length === 0) return x;
  requireAxesRank('lax.reduceSum', x);
  return bind('sum', [x], sorted);
}

/** The kernels of sum, reduce_max/min and transpose keep axis sets in 32-bit masks (assembly/ad/rules/reduce.ts). */
export const MAX_AXES_RANK = 30;
/**
 * x's rank counting the batch axes of the vmaps around it: the kernels run on a view's
 * implementation rows, which hold them (walked through row_impl; a concrete Array has none).
 */
export function batchedRank(x: NDArray): number {
  let n = x.ndim;
  if (x.isTracer && x._epoch === currentEpoch()) for (let r = abi().row_impl(x._row); r >= 0; r = abi().row_impl(r)) n = Math.max(n, rowShape(r).length);
  return n;
}
/**
 * README's "Rank limit": past 30 axes a ShapeError saying so. The wasm shape rules refuse the
 * rank as bad params, which was a ValueError 'invalid parameters' (lax.transpose, so np.swapaxes
 * and np.moveaxis; lax's reductions; and under vmap a rank-30 example, whose batch is rank 31).
 */
export function requireAxesRank(where: string, x: NDArray, what = where === 'lax.transpose' ? 'transposes' : 'reductions'): void {
  const n = batchedRank(x);
  if (n <= MAX_AXES_RANK) return;
  throw new ShapeError(`${where}: ${what} handle arrays of rank at most ${MAX_AXES_RANK} (the kernels keep axis sets in 32-bit ` +
    `masks; elementwise ops have no such limit), got ${describe(x._shape, x.dtype)} of rank ${x.ndim}` +
    (n > x.ndim ? ` per example, rank ${n} with the batch axes of the vmap around it` : ''));
}

/** The longest axis (the wasm side keeps dimensions as int32; creation.ts's MAX_DIM). */
const MAX_AXIS = 2 ** 31 - 1;
/** A result shape with an axis past int32 is a ShapeError here (wasm wrapped it: lax.broadcast(x, [2 ** 32]) was shape [0], lax.pad's fills too). */
function checkAxisLengths(where: string, shape: number[]): void {
  const d = shape.find((n) => n > MAX_AXIS);
  if (d !== undefined) throw new ShapeError(`${where}: shape [${shape}] has an axis of ${d}; axes are at most 2^31 - 1 long`);
}

export function broadcastInDim(x: NDArray, shape: number[], dims: number[]): NDArray {
  if (dims.length !== x.ndim) throw new ShapeError(`lax.broadcastInDim: need one dim per operand axis, got ${dims.length} for ${describe(x._shape, x.dtype)}`);
  // (checked before the same-shape shortcut: [2, 2] with dims [1, 0] was returned as it was)
  if (dims.some((d, i) => !Number.isInteger(d) || d < 0 || d >= shape.length || (i > 0 && d <= dims[i - 1]))) {
    throw new ShapeError(`lax.broadcastInDim: dims must be strictly increasing axes of the result shape [${shape}] (JAX's rule; use lax.transpose to reorder), got [${dims}] for ${describe(x._shape, x.dtype)}`);
  }
  if (sameShape(x._shape, shape)) return x;
  checkAxisLengths('lax.broadcastInDim', shape);
  return bind('broadcast_in_dim', [x], [...shape, ...dims], () =>
    `lax.broadcastInDim: cannot broadcast ${describe(x._shape, x.dtype)} to [${shape}] with dims [${dims}]`);
}

export function reshape(x: NDArray, shape: number[]): NDArray {
  if (sameShape(x._shape, shape)) return x;
  checkAxisLengths('lax.reshape', shape);
  return bind('reshape', [x], shape, () => `lax.reshape: cannot reshape ${describe(x._shape, x.dtype)} to [${shape}]`);
}

export function transpose(x: NDArray, perm: number[]): NDArray {
  if (perm.every((p, i) => p === i)) return x;
  requireAxesRank('lax.transpose', x); // (a ShapeError, vmap's batch axes counted; the shape rule's was a ValueError)
  return bind('transpose', [x], perm, () => `lax.transpose: [${perm}] is not a permutation of the axes of ${describe(x._shape, x.dtype)}`);
}

/** JAX's dimension numbers: ((lhs contracting, rhs contracting), (lhs batch, rhs batch)). */
export type DotDimensionNumbers = [[number[], number[]], [number[], number[]]];

/**
 * lax.dotGeneral: contract the listed dims pairwise, batch over the batch pairs. Output axes:
 * the batch axes, then the lhs free axes, then the rhs free axes (each in operand order).
 */
export function dotGeneral(x: NDArray, y: NDArray, dims: DotDimensionNumbers): NDArray {
  const where = 'lax.dotGeneral';
  // (an Array here was iterated: the error named Array[Symbol.iterator], not lax.dotGeneral)
  const ints = (l: unknown) => Array.isArray(l) && l.every((a) => typeof a === 'number');
  const pair = (p: unknown) => Array.isArray(p) && p.length === 2 && ints(p[0]) && ints(p[1]);
  if (!Array.isArray(dims) || dims.length !== 2 || !pair(dims[0]) || !pair(dims[1])) {
    throw new ValueError(`${where}: dimension numbers must be JS lists [[lhsContracting, rhsContracting], [lhsBatch, rhsBatch]] of axis numbers, got ${show(dims)}`);
  }
  const [[lc, rc], [lb, rb]] = dims;
  if (lc.length !== rc.length || lb.length !== rb.length) {
    throw new ValueError(`${where}: contracting and batch lists must pair up, got ${JSON.stringify(dims)}`);
  }
  const nx = (l: number[]) => l.map((a) => normalizeAxes([a], x.ndim, where)[0]);
  const ny = (l: number[]) => l.map((a) => normalizeAxes([a], y.ndim, where)[0]);
  const [lcn, rcn, lbn, rbn] = [nx(lc), ny(rc), nx(lb), ny(rb)];
  return bind('dot_general', [x, y], [lbn.length, lcn.length, ...lbn, ...rbn, ...lcn, ...rcn], () =>
    `${where}: cannot contract ${describe(x.shape, x.dtype)} and ${describe(y.shape, y.dtype)} with dimension numbers ${JSON.stringify(dims)}`);
}

/** Batched matmul: [..., m, k] x [..., k, n] with equal batch dims (a dot_general). */
export function batchMatmul(x: NDArray, y: NDArray): NDArray {
  const nd = x.ndim;
  if (nd < 2 || y.ndim !== nd) throw new ShapeError(`lax.batchMatmul: shapes ${describe(x.shape, x.dtype)} and ${describe(y.shape, y.dtype)} do not contract`);
  const batch = [...Array(nd - 2).keys()];
  return bind('dot_general', [x, y], [nd - 2, 1, ...batch, ...batch, nd - 1, nd - 2], () =>
    `lax.batchMatmul: shapes ${describe(x.shape, x.dtype)} and ${describe(y.shape, y.dtype)} do not contract`);
}

/** A filled array (no operands). */
export function full(shape: number[], value: number, dtype: DType): NDArray {
  const f = new Float64Array([value]);
  const w = new Int32Array(f.buffer);
  return bind('full', [], [DTYPE_CODE[dtype], w[0], w[1], ...shape]);
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function normalizeAxes(axes: number[], ndim: number, where: string): number[] {
  const out = axes.map((a) => {
    // (a string '0' or 1.5 was reported as 'axis 0 is out of bounds', the string printed as a number;
    // an object compared false both ways and was read as axis 0: lax.argmax(x, { axis: 1 }))
    if (!Number.isInteger(a)) throw new AxisError(`${where}: axis must be an integer, got ${show(a)}`);
    if (a < -ndim || a >= ndim) {
      throw new AxisError(`${where}: axis ${a} is out of bounds for an array of dimension ${ndim}`);
    }
    return a < 0 ? a + ndim : a;
  });
  const sorted = [...new Set(out)].sort((a, b) => a - b);
  if (sorted.length !== out.length) throw new ValueError(`${where}: repeated axis in [${axes}]`);
  return sorted;
}

/**
 * A lax function's one axis (argmax's axis, concatenate's and split's dimension): a JS integer,
 * as JAX's lax takes it (positionally; anything else is its TypeError). `usage`: the call with
 * the axis in place, shown when an options object or a list stood there.
 */
function axisArg(where: string, v: unknown, usage: (axis: string) => string): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  throw new AxisError(`${where}: axis must be an integer, got ${show(v)}${positionalHint(v, usage)}`);
}

/** A lax reduction's axes (argument 1): a JS list of integers (lax.reduceSum(x, [{ axis: 1 }]) summed axis 0). */
function axesArg(where: string, v: unknown): number[] {
  const usage = (a: string) => `${where}(x, [${a}])`;
  if (!Array.isArray(v)) throw new AxisError(`${where}: argument 1 is ${show(v)}; axes must be a list of integers${positionalHint(v, usage, true, true)}`);
  const i = v.findIndex((a) => typeof a !== 'number' || !Number.isInteger(a));
  if (i < 0) return v;
  requireFinite(where, 'argument 1', v); // (a list 5000 deep or holding itself: named as such)
  throw new AxisError(`${where}: axes must be a list of integers, got ${show(v[i])} as entry ${i} of argument 1${positionalHint(v[i], usage)}`);
}

/** The hint after refusing `v` as an axis when it is an options object or a list: the call as lax takes it. */
function positionalHint(v: unknown, usage: (axis: string) => string, always = false, lists = false): string {
  if (!always && !isPlainObject(v) && !Array.isArray(v)) return '';
  const o = isPlainObject(v) ? v : {};
  // (the axis the object or list held, when it is one lax could take there)
  const given = [v, o.axis, o.dimension, o.axes].find((a) => typeof a === 'number' || (lists && Array.isArray(a) && a.every((b) => typeof b === 'number')));
  return `; lax takes positional axes: ${usage(given === undefined ? 'axis' : Array.isArray(given) ? given.join(', ') : String(given))}`;
}

/** Join arrays of one dtype and rank along `axis` (all other dims equal); one variadic row. */
export function concatenate(xs: NDArray[], axis: number, where = 'lax.concatenate'): NDArray {
  if (!Array.isArray(xs) || xs.length === 0) throw new ValueError(`${where}: need a non-empty list of arrays`);
  const nd = xs[0].ndim;
  const ax = normalizeAxes([axisArg(where, axis, (a) => `${where}([x, y], ${a})`)], nd, where)[0];
  if (xs.length === 1) return xs[0];
  if (xs.length > MAX_PIECES) { // (a row joins at most MAX_PIECES: a tree of joins, the same values)
    const parts: NDArray[] = [];
    for (let k = 0; k < xs.length; k += MAX_PIECES) parts.push(concatenate(xs.slice(k, k + MAX_PIECES), ax, where));
    return concatenate(parts, ax, where);
  }
  // (the joined axis's length is computed in wasm as int32: past 2^31 - 1 it wrapped, to a
  // negative length or, at 2^32, to an empty axis that was returned)
  const joined = xs.reduce((s, x) => s + (x instanceof NDArray ? x._shape[ax] ?? 0 : 0), 0);
  if (joined > MAX_AXIS) throw new ShapeError(`${where}: joining ${xs.map((x) => describe(x._shape, x.dtype)).join(', ')} along axis ${axis} gives an axis of ${joined}; axes are at most 2^31 - 1 long`);
  return bind('concatenate', xs, [ax], () => `${where}: cannot join ${xs.map((x) => describe(x._shape, x.dtype)).join(', ')} along axis ${axis}`);
}

/** The most pieces one split row makes, or operands one concatenate row joins (assembly/ad/limits.ts's MAX_LIST, less one): more take a tree of rows. */
export const MAX_PIECES = 4095;

/** Cut `x` along `axis` into pieces of the given sizes (summing to that dim); one tuple row. */
export function split(x: NDArray, sizes: number[], axis = 0): NDArray[] { // (JAX's default axis 0)
  const ax = normalizeAxes([axisArg('lax.split', axis, (a) => `lax.split(x, sizes, ${a})`)], x.ndim, 'lax.split')[0];
  if (!Array.isArray(sizes) || sizes.length === 0 || sizes.some((s) => !Number.isInteger(s) || s < 0)) {
    throw new ValueError(`lax.split: sizes must be a non-empty list of non-negative integers, got ${JSON.stringify(sizes)}`);
  }
  if (sizes.length > MAX_PIECES) { // (a row makes at most MAX_PIECES: groups first, then each group's pieces)
    const groups: number[][] = [];
    for (let k = 0; k < sizes.length; k += MAX_PIECES) groups.push(sizes.slice(k, k + MAX_PIECES));
    const whole = split(x, groups.map((g) => g.reduce((a, b) => a + b, 0)), ax);
    return groups.flatMap((g, k) => (g.length === 1 ? [whole[k]] : split(whole[k], g, ax)));
  }
  return bindMulti('split', [x], [ax, ...sizes], () => `lax.split: sizes [${sizes}] do not add up to dim ${ax} of ${describe(x._shape, x.dtype)}`);
}

// ---------------------------------------------------------------- the wider elementwise set
// (integer dtypes: add/sub/mul/div/rem wrap and never trap; see assembly/kernels/integer.ts)

export const max = bin('max');
export const min = bin('min');
/** Truncated remainder: C's fmod for floats; x % 0 = x and INT_MIN % -1 = 0 for ints (XLA). */
export const rem = bin('rem');
export const atan2 = bin('atan2');
export const hypot = bin('hypot');
export const bitwiseAnd = bin('and');
export const bitwiseOr = bin('or');
export const bitwiseXor = bin('xor');
export const bitwiseNot = un('not');
/** Counts at or past 32 (or negative) give 0 (left, logical right) or the sign fill (arithmetic). */
export const shiftLeft = bin('shift_left');
export const shiftRightArithmetic = bin('shift_right_arithmetic');
export const shiftRightLogical = bin('shift_right_logical');
export const abs = un('abs');
export const sign = un('sign');
export const floor = un('floor');
export const ceil = un('ceil');
/** Half to even (lax.round with ROUND_TO_NEAREST_EVEN). */
export const round = un('round');
export const trunc = un('trunc');
export const isFinite = un('is_finite');
export const expm1 = un('expm1');
export const log1p = un('log1p');
export const exp2 = un('exp2');
export const log2 = un('log2');
export const log10 = un('log10');
export const cbrt = un('cbrt');
export const tan = un('tan');
export const asin = un('asin');
export const acos = un('acos');
export const atan = un('atan');
export const sinh = un('sinh');
export const cosh = un('cosh');
export const asinh = un('asinh');
export const acosh = un('acosh');
export const atanh = un('atanh');
export const erf = un('erf');
export const erfc = un('erfc');
export const erfInv = un('erf_inv');
export const lgamma = un('lgamma');
export const digamma = un('digamma');
/** polygamma(n, x) for an integer n in [1, 2^31 - 1] (int32, the op's parameter); x < 0 too (the
 *  poles are signed infinities). */
export function polygamma(n: number, x: NDArray): NDArray {
  if (!Number.isInteger(n) || n < 1 || n > 2147483647) {
    throw new ValueError(`lax.polygamma: n must be an integer in [1, 2147483647] (2^31 - 1), got ${n}`);
  }
  return bind('polygamma', [x], [n], () => `lax.polygamma: needs a float operand, got ${describe(x.shape, x.dtype)}`);
}

/** Max over `axes` (NaN-propagating); derivative split equally among ties, as JAX's. */
export function reduceMax(x: NDArray, axes: number[]): NDArray {
  const sorted = normalizeAxes(axesArg('lax.reduceMax', axes), x.ndim, 'lax.reduceMax');
  if (throughFloat64(x)) {
    const m = reduceMax(convertElementType(x, 'float64'), axes);
    // (an empty bool max is -inf, which converts to true; its identity is false, as np.any([]))
    return convertElementType(x.dtype === 'bool' ? gt(m, full(m.shape, 0, 'float64')) : m, x.dtype);
  }
  requireAxesRank('lax.reduceMax', x);
  return bind('reduce_max', [x], sorted, () => `lax.reduceMax: cannot reduce ${describe(x.shape, x.dtype)} over [${axes}]`);
}

export function reduceMin(x: NDArray, axes: number[]): NDArray {
  const sorted = normalizeAxes(axesArg('lax.reduceMin', axes), x.ndim, 'lax.reduceMin');
  if (throughFloat64(x)) return convertElementType(reduceMin(convertElementType(x, 'float64'), axes), x.dtype);
  requireAxesRank('lax.reduceMin', x);
  return bind('reduce_min', [x], sorted, () => `lax.reduceMin: cannot reduce ${describe(x.shape, x.dtype)} over [${axes}]`);
}

/** int32 index of the first maximum along `axis` (a NaN counts as the maximum). */
export function argmax(x: NDArray, axis: number, indexDtype: DType = 'int32'): NDArray {
  const ax = normalizeAxes([axisArg('lax.argmax', axis, (a) => `lax.argmax(x, ${a})`)], x.ndim, 'lax.argmax')[0];
  if (indexDtype !== 'int32') { const d = indexIntDtype('lax.argmax', indexDtype); return convertElementType(argmax(x, axis), d); }
  if (throughFloat64(x)) return argmax(convertElementType(x, 'float64'), axis);
  return bind('argmax', [x], [ax], () => `lax.argmax: cannot take argmax of ${describe(x.shape, x.dtype)} along axis ${axis} (it needs a non-empty axis)`);
}

/** jax.lax.argmax's index_dtype: int32 or uint32 (int64 is int32 here, as JAX without x64; floats refused). */
function indexIntDtype(where: string, d: unknown): DType {
  if (d === 'int32' || d === 'uint32') return d;
  throw new DTypeError(`${where}: indexDtype must be 'int32' or 'uint32', got ${typeof d === 'string' ? `'${d}'` : String(d)}`);
}

export function argmin(x: NDArray, axis: number, indexDtype: DType = 'int32'): NDArray {
  const ax = normalizeAxes([axisArg('lax.argmin', axis, (a) => `lax.argmin(x, ${a})`)], x.ndim, 'lax.argmin')[0];
  if (indexDtype !== 'int32') { const d = indexIntDtype('lax.argmin', indexDtype); return convertElementType(argmin(x, axis), d); }
  if (throughFloat64(x)) return argmin(convertElementType(x, 'float64'), axis);
  return bind('argmin', [x], [ax], () => `lax.argmin: cannot take argmin of ${describe(x.shape, x.dtype)} along axis ${axis} (it needs a non-empty axis)`);
}

/**
 * The max/min/argmax/argmin kernels are float ones: int32, uint32 and bool operands (JAX's lax
 * takes them) go through float64, which holds each of their values exactly.
 */
function throughFloat64(x: NDArray): boolean {
  return x instanceof NDArray && (x.dtype === 'int32' || x.dtype === 'uint32' || x.dtype === 'bool');
}

/** The identity, with a zero derivative (JAX's stop_gradient). */
export function stopGradient(x: NDArray): NDArray {
  return bind('stop_gradient', [x], []);
}

/** Out-of-range index handling of gather/scatter: clamp the start, or fill (gather) / drop (scatter). */
export type GatherMode = 'clip' | 'fill' | 'drop' | 'promise_in_bounds'; // ('drop': JAX's name for fill-or-drop, the same as 'fill';
// 'promise_in_bounds' only through the public lax.gather / lax.scatterAdd, which read it as clip / drop, JAX's documented behaviour)
export interface GatherDimensionNumbers { offsetDims: number[]; collapsedSliceDims: number[]; startIndexMap: number[] }
export interface ScatterDimensionNumbers { updateWindowDims: number[]; insertedWindowDims: number[]; scatterDimsToOperandDims: number[] }
export interface IndexOptions {
  mode?: GatherMode;
  /** numpy's negative indices: an index in [-n, 0) counts from the end first. */
  negativeIndices?: boolean;
  /** Indices taken modulo the dim (np.take's mode 'wrap'; windows of size 1). */
  wrap?: boolean;
  /** gather's value for out-of-range windows under 'fill': NaN (floats; INT_MIN, true) or zero. */
  fillNaN?: boolean;
  /** JAX's unique_indices and indices_are_sorted hints: the public lax.gather / lax.scatterAdd take and ignore them. */
  uniqueIndices?: boolean;
  indicesAreSorted?: boolean;
}
const modeBits = (o: IndexOptions) => (o.mode === 'fill' ? 1 : 0) | (o.negativeIndices ? 2 : 0) | (o.wrap ? 4 : 0);

/**
 * The gather/scatter options, checked: an unknown key or mode was read as clip (JAX's 'drop',
 * its name for fill-or-drop, added out-of-range updates to the last row). 'drop' is 'fill'.
 */
function indexOptions(where: string, opts: IndexOptions): IndexOptions {
  if (opts === null || typeof opts !== 'object') throw new ValueError(`${where}: options must be an object ({ mode: 'clip' | 'fill' }), got ${String(opts)}`);
  for (const k of Object.keys(opts)) {
    if (!['mode', 'negativeIndices', 'wrap', 'fillNaN'].includes(k)) {
      throw new ValueError(`${where}: unknown option '${k}'; valid options are 'mode' ('clip', 'fill' or JAX's 'drop'), 'negativeIndices', 'wrap', 'fillNaN' (no fill value: out-of-range windows read 0, or NaN with fillNaN)`);
    }
  }
  const mode = opts.mode as string | undefined;
  if (mode === 'drop') return { ...opts, mode: 'fill' };
  if (mode !== undefined && mode !== 'clip' && mode !== 'fill') throw new ValueError(`${where}: mode must be 'clip', 'fill' or 'drop', got ${String(mode)}`);
  return opts;
}

/**
 * gather's and scatter's dimension numbers: an object of the `keys`, each a list of integer axes
 * (an entry { } was read as axis 0: offsetDims [{}] gathered a column where [1] gathers a row).
 */
function dimensionLists(where: string, dims: unknown, keys: readonly string[], batching: readonly string[] = []): void {
  if (dims === null || typeof dims !== 'object' || Array.isArray(dims)) {
    throw new ValueError(`${where}: dimension numbers must be an object { ${keys.join(', ')} } of lists of integer axes, got ${show(dims)}`);
  }
  for (const k of keys) {
    const v = (dims as Record<string, unknown>)[k];
    if (!Array.isArray(v) || v.some((a) => typeof a !== 'number' || !Number.isInteger(a))) {
      throw new AxisError(`${where}: dimension numbers' ${k} must be a list of integer axes, got ${show(v)}`);
    }
  }
  // (any other key was ignored: JAX's operandBatchingDims [0] gathered as if there were no batch
  // dims, and a misspelt key went unnoticed; empty batching lists are JAX's defaults, accepted)
  for (const [k, v] of Object.entries(dims)) {
    if (keys.includes(k)) continue;
    if (batching.includes(k)) {
      if (Array.isArray(v) && v.length === 0) continue;
      throw new NotImplementedError(`${where}: dimension numbers' ${k} (XLA's batching dims) are not implemented; ` +
        `vmap the ${where} over the batch axis instead, got ${k} ${show(v)}`);
    }
    throw new ValueError(`${where}: unknown key '${k}' in the dimension numbers; they are { ${keys.join(', ')} }`);
  }
}

/**
 * XLA's gather (JAX's lax.gather): int32 `indices` with index vectors along their last axis.
 * Output: the indices' batch dims, with the slice dims (operand dims not collapsed) at `offsetDims`.
 */
export function gather(x: NDArray, indices: NDArray, dims: GatherDimensionNumbers, sliceSizes: number[], opts: IndexOptions = {}): NDArray {
  opts = indexOptions('lax.gather', opts);
  dimensionLists('lax.gather', dims, ['offsetDims', 'collapsedSliceDims', 'startIndexMap'], ['operandBatchingDims', 'startIndicesBatchingDims']);
  // (a non-integer size was read as 0: slice sizes [1, {}] gathered an empty window)
  if (!Array.isArray(sliceSizes) || sliceSizes.some((s) => typeof s !== 'number' || !Number.isInteger(s) || s < 0)) {
    throw new ValueError(`lax.gather: sliceSizes must be a list of non-negative integers, got ${show(sliceSizes)}`);
  }
  const { offsetDims: o, collapsedSliceDims: c, startIndexMap: m } = dims;
  const batch = indices.shape.slice(0, -1);
  // (the kernels' fills: NaN, NaN + 0j, INT_MIN, 2^32 - 1, true)
  const fillValue = !opts.fillNaN ? 0 : x.dtype === 'int32' ? -(2 ** 31) : x.dtype === 'uint32' ? 2 ** 32 - 1 : x.dtype === 'bool' ? 1 : NaN;
  if ((batch.includes(0) || opts.mode === 'fill') && sliceSizes.some((s, d) => s > x.shape[d]) && sliceSizes.length === x.ndim) {
    // No index at all, or only out-of-range ones in fill mode, from an operand too small for one
    // slice (the diagonal of a 0 x 0 matrix, a repeat or x.at() of an empty array): every entry
    // is the fill (no entries at all without an index), whatever the slices would have held.
    const offsetSizes = sliceSizes.filter((_, d) => !c.includes(d));
    const shape: number[] = [];
    for (let i = 0, b = 0, k = 0; i < batch.length + offsetSizes.length; i++) shape.push(o.includes(i) ? offsetSizes[k++] : batch[b++]);
    return full(shape, fillValue, x.dtype);
  }
  return bind('gather', [x, indices], [modeBits(opts), opts.fillNaN ? 1 : 0, o.length, ...o, c.length, ...c, m.length, ...m, ...sliceSizes], () =>
    `lax.gather: cannot gather from ${describe(x.shape, x.dtype)} with int32 indices ${describe(indices.shape, indices.dtype)}, ` +
    `dimension numbers ${JSON.stringify(dims)} and slice sizes [${sliceSizes}]`);
}

/** XLA's scatter with addition (JAX's lax.scatter_add); mode 'fill' drops out-of-range updates. */
export function scatterAdd(x: NDArray, indices: NDArray, updates: NDArray, dims: ScatterDimensionNumbers, opts: IndexOptions = {}): NDArray {
  opts = indexOptions('lax.scatterAdd', opts);
  dimensionLists('lax.scatterAdd', dims, ['updateWindowDims', 'insertedWindowDims', 'scatterDimsToOperandDims'], ['operandBatchingDims', 'scatterIndicesBatchingDims']);
  const { updateWindowDims: w, insertedWindowDims: i, scatterDimsToOperandDims: m } = dims;
  return bind('scatter_add', [x, indices, updates], [modeBits(opts), w.length, ...w, i.length, ...i, m.length, ...m], () =>
    `lax.scatterAdd: cannot scatter ${describe(updates.shape, updates.dtype)} into ${describe(x.shape, x.dtype)} with int32 indices ` +
    `${describe(indices.shape, indices.dtype)} and dimension numbers ${JSON.stringify(dims)}`);
}

/** int32 permutation that sorts x (float32, float64, int32, uint32) along `axis`: stable, NaNs last (first when descending). */
export function argsort(x: NDArray, axis: number, descending = false): NDArray {
  // (a boolean only: { descending: false } or 'false' were truthy, so they sorted descending)
  if (typeof descending !== 'boolean') throw new ValueError(`lax.argsort: descending must be true or false, got ${String(descending)}`);
  const ax = normalizeAxes([axisArg('lax.argsort', axis, (a) => `lax.argsort(x, ${a}, descending)`)], x.ndim, 'lax.argsort')[0];
  return bind('argsort', [x], [ax, descending ? 1 : 0], () => `lax.argsort: cannot sort ${describe(x.shape, x.dtype)} (float32, float64, int32 or uint32 input)`);
}

/** int32 insertion points of v in the sorted 1-d array a ('left': before equal values; 'right': after). */
export function searchsorted(a: NDArray, v: NDArray, side: 'left' | 'right' = 'left'): NDArray {
  // (anything else read as 'left': { side: 'right' } and 'RIGHT' gave left insertion points)
  if (side !== 'left' && side !== 'right') throw new ValueError(`lax.searchsorted: side must be 'left' or 'right', got ${typeof side === 'object' ? JSON.stringify(side) : String(side)}`);
  return bind('searchsorted', [a, v], [side === 'right' ? 1 : 0], () =>
    `lax.searchsorted: need a sorted 1-d array and values of its dtype, got ${describe(a.shape, a.dtype)} and ${describe(v.shape, v.dtype)}`);
}
