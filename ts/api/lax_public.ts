// The public `lax`: the primitives of lax.ts, each behind a check that its arguments are what a
// primitive takes. An operand may be a JS number, boolean, { re, im } or nested list (API.md:
// every function that takes an Array takes those too; JAX's lax takes Python scalars): beside an
// Array it takes that Array's dtype (weakly, as JAX's scalars), and a scalar beside an Array in an
// elementwise function its shape (JAX's lax broadcasts scalars, nothing else). Dtypes and shapes
// are otherwise as strict as JAX's: a mismatch is a DTypeError or ShapeError; anything else where
// an Array belongs a ValueError naming the function and the argument.
import * as laxPrimitives from './lax.js';
import { topK } from './np_sorting.js';
import { dynamicSlice, dynamicUpdateSlice, dynamicSliceInDim, dynamicIndexInDim, dynamicUpdateSliceInDim, dynamicUpdateIndexInDim } from './np_rearrange.js';
import { scan, map, foriLoop, whileLoop, cond, switchBranches } from './lax_control.js';
import { associativeScan } from './control/associative_scan.js';
import { customLinearSolve, customRoot } from './implicit.js';
import * as more from './lax_more.js';
import { psum, pmean, axisIndex, axisSize } from './collectives.js';

import { NDArray, isComplexLiteral } from './array.js';
import { asarrayHint, broadcastTo, dtypeForPromotion, int32Values } from './numpy.js';
import { promoteAny } from '../core/dtype.js';
import { CotangentError, DTypeError, NotImplementedError, ShapeError, ValueError, describe } from '../core/errors.js';
import { DTYPES, isComplex, isDType, isFloating, type DType } from '../core/dtype.js';
import { sign as npSign } from './np_elementwise.js';
import { show, readOptionalPositions } from './options.js';
import { checkShape, filled } from './creation.js';
import { arityChecked, notAboutArguments, refuseTooDeep, withPublicName } from './arity.js';

/** jax.lax.RoundingMethod. */
export const RoundingMethod = Object.freeze({ AWAY_FROM_ZERO: 0, TO_NEAREST_EVEN: 1 } as const);

/**
 * jax.lax.round(x, rounding_method): halves away from zero by default (JAX's default), or to
 * even with RoundingMethod.TO_NEAREST_EVEN (np.round's rule). Away from zero is trunc(x) plus
 * sign(x) where |x - trunc(x)| >= 1/2 (x - trunc(x) is exact; inf and NaN stay themselves).
 */
function round(x: NDArray, roundingMethod: number = RoundingMethod.AWAY_FROM_ZERO): NDArray {
  if (arguments.length > 2) throw new ValueError(`lax.round: takes (x, roundingMethod), got ${arguments.length} arguments`);
  if (roundingMethod === RoundingMethod.TO_NEAREST_EVEN) return laxPrimitives.round(x);
  if (roundingMethod !== RoundingMethod.AWAY_FROM_ZERO) {
    throw new ValueError(`lax.round: roundingMethod must be lax.RoundingMethod.AWAY_FROM_ZERO (0) or TO_NEAREST_EVEN (1), got ${show(roundingMethod)}`);
  }
  if (x instanceof NDArray && !isFloating(x.dtype)) throw new DTypeError(`lax.round: needs a float32 or float64 Array, got ${describe(x.shape, x.dtype)}`);
  const t = laxPrimitives.trunc(x);
  const half = filled('lax.round', x.shape, 0.5, x.dtype);
  const far = laxPrimitives.ge(laxPrimitives.abs(laxPrimitives.sub(x, t)), half);
  return laxPrimitives.select(far, laxPrimitives.add(t, laxPrimitives.sign(x)), t);
}

/**
 * JAX's gather/scatter keywords beyond lax.ts's: `uniqueIndices` and `indicesAreSorted` (hints
 * XLA may use; booleans, otherwise ignored) and mode 'promise_in_bounds', which JAX documents as
 * "out-of-bounds gathers will be clamped but out-of-bounds scatters will be discarded" (`promised`
 * is that mode here). All three were ValueErrors, so JAX code passing them did not port.
 */
function jaxIndexOptions<O extends laxPrimitives.IndexOptions>(where: string, opts: O, promised: 'clip' | 'fill', indices?: unknown): O {
  const { uniqueIndices, indicesAreSorted, ...rest } = opts as O & { uniqueIndices?: unknown; indicesAreSorted?: unknown };
  for (const [k, v] of [['uniqueIndices', uniqueIndices], ['indicesAreSorted', indicesAreSorted]] as const) {
    if (v !== undefined && v !== null && typeof v !== 'boolean') throw new ValueError(`${where}: ${k} must be true or false, got ${show(v)}`);
  }
  // (lax.ts's message for a misspelt mode listed 'clip', 'fill' or 'drop' only, leaving out the
  // JAX mode this function accepts: 'promise_inbounds' was told to use one of three)
  const mode = rest.mode as unknown;
  if (mode !== undefined && mode !== null && !['clip', 'fill', 'drop', 'promise_in_bounds'].includes(mode as string)) {
    throw new ValueError(`${where}: mode must be 'clip', 'fill' or 'drop' (or JAX's 'promise_in_bounds'), got ${show(mode)}`);
  }
  // (float, uint32 or bool indices reached the kernel, whose error read "with int32 indices
  // float32[1, 1] ...: unsupported or mismatched dtypes"; JAX: "indices must have an integer type")
  if (indices instanceof NDArray && indices.dtype !== 'int32') {
    throw new DTypeError(`${where}: indices must be int32, got ${describe(indices.shape, indices.dtype)}; convert them with np.astype(indices, 'int32')`);
  }
  return ((rest.mode as string) === 'promise_in_bounds' ? { ...rest, mode: promised } : rest) as O;
}

/** jax.lax.gather's options: lax.ts's, and JAX's `fill_value`. */
export interface GatherOptions extends laxPrimitives.IndexOptions { fillValue?: number | boolean }

/**
 * jax.lax.gather with JAX's defaults: mode None is FILL_OR_DROP, and an out-of-range window reads
 * NaN for floats (NaN + 0j for complex), INT_MIN for int32, 2^32 - 1 for uint32, true for bool,
 * or `fillValue` (JAX's fill_value). lax.ts's gather clamps unless told (the np functions, its
 * callers, each pass their mode); this one clamped too, so JAX code indexing past the end read the
 * edge where JAX reads NaN.
 */
function gather(x: NDArray, indices: NDArray, dims: laxPrimitives.GatherDimensionNumbers, sliceSizes: number[], opts: GatherOptions = {}): NDArray {
  if (opts === null || typeof opts !== 'object') return laxPrimitives.gather(x, indices, dims, sliceSizes, opts);
  // (a slice size past the operand's dim read as all fill, NaN, in fill mode; JAX's shape rule
  // refuses it: "Slice size at index i in gather op is out of range, must be within [0, dim + 1)")
  if (x instanceof NDArray && Array.isArray(sliceSizes) && sliceSizes.length === x.ndim && sliceSizes.some((s, d) => s > x.shape[d])) {
    throw new ShapeError(`lax.gather: sliceSizes [${sliceSizes}] must each be at most x's dim, ${describe(x.shape, x.dtype)} (JAX's TypeError)`);
  }
  const { fillValue, ...rest } = jaxIndexOptions('lax.gather', opts, 'clip', indices);
  const mode = rest.mode ?? 'fill';
  if (fillValue === undefined) return laxPrimitives.gather(x, indices, dims, sliceSizes, { fillNaN: mode !== 'clip', ...rest, mode });
  if (typeof fillValue !== 'number' && typeof fillValue !== 'boolean') throw new ValueError(`lax.gather: fillValue must be a JS number or boolean, got ${show(fillValue)}`);
  if (mode === 'clip') throw new ValueError(`lax.gather: fillValue ${show(fillValue)} needs mode 'fill' (clip reads no fill), got mode 'clip'`);
  // which entries were in range: a gather of trues whose fill is false
  const g = laxPrimitives.gather(x, indices, dims, sliceSizes, { ...rest, mode, fillNaN: false });
  const inRange = laxPrimitives.gather(laxPrimitives.full(x.shape, 1, 'bool'), indices, dims, sliceSizes, { ...rest, mode, fillNaN: false });
  // (converted as lax.full converts it: fillValue 3e9 for int32 wrapped to -1294967296)
  return laxPrimitives.select(inRange, g, laxPrimitives.full(g.shape, more.fillValueIn(Number(fillValue), x.dtype), x.dtype));
}

/** jax.lax.scatter_add with JAX's default mode, FILL_OR_DROP: an out-of-range window is dropped (lax.ts's clamped it onto the edge). */
function scatterAdd(x: NDArray, indices: NDArray, updates: NDArray, dims: laxPrimitives.ScatterDimensionNumbers, opts: laxPrimitives.IndexOptions = {}): NDArray {
  const o = opts !== null && typeof opts === 'object' ? (({ mode, ...r }) => ({ ...r, mode: mode ?? 'fill' }))(jaxIndexOptions('lax.scatterAdd', opts, 'fill', indices)) : opts;
  return laxPrimitives.scatterAdd(x, indices, updates, dims, o);
}

/** lax.ts plus the lax functions composed in the numpy modules (without lax.ts's internal helpers). */
const { normalizeAxes: _internal, sameShape: _internal2, MAX_PIECES: _internal3, MAX_AXES_RANK: _internal4, batchedRank: _internal5, requireAxesRank: _internal6, ...exported } = laxPrimitives;
/** jax.lax.full(shape, fill_value, dtype=None): the dtype defaults to the fill's (a JS number float32, a boolean bool). */
function full(shape: number[], value: number | boolean, dtype?: DType): NDArray {
  const d = dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32');
  // (converted as lax.convertElementType converts: lax.full([2], 3e9, 'int32') wrapped to -1294967296; it saturates to 2147483647)
  return laxPrimitives.full(shape, more.fillValueIn(Number(value), d), d);
}
/**
 * XLA's other scatters with general dimension numbers are not here: a JAX port reaching for them
 * gets this error naming what to write (it was JS's 'lax.scatter is not a function').
 */
function notHere(name: string, instead: string) {
  return (..._args: unknown[]): never => {
    throw new NotImplementedError(`lax.${name}: XLA's scatter with general dimension numbers is not implemented beyond lax.scatterAdd; ` +
      `write it with numpy indexing, as JAX recommends: ${instead}`);
  };
}
const scatter = notHere('scatter', 'x.at(i).set(v)');
const scatterMul = notHere('scatterMul', 'x.at(i).mul(v)');
const scatterMin = notHere('scatterMin', 'x.at(i).min(v)');
const scatterMax = notHere('scatterMax', 'x.at(i).max(v)');
const scatterSub = notHere('scatterSub', 'x.at(i).subtract(v)');
const scatterApply = notHere('scatterApply', 'x.at(i).apply(f)');
/**
 * JAX's precision argument of dot and dot_general: accepted (null, 'default', 'high', 'highest',
 * 'fastest', or a pair of them; products here are computed at the operands' full precision).
 */
function checkPrecision(where: string, p: unknown): void {
  const ok = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && /^(default|high|highest|fastest|bfloat16|tensorfloat32|float32)$/i.test(v));
  if (!(ok(p) || (Array.isArray(p) && p.length === 2 && p.every(ok)))) {
    throw new ValueError(`${where}: precision must be null, 'default', 'high', 'highest' (or a pair of them), got ${show(p)}; products are computed at full precision here`);
  }
}
/**
 * preferredElementType (JAX's preferred_element_type): the result's dtype, the product computed
 * in it (the operands converted first: int32 operands with 'float32' multiply as float32, float32
 * operands with 'float64' as float64).
 */
function preferred(where: string, x: NDArray, y: NDArray, pet: unknown): [NDArray, NDArray] {
  if (pet === null || pet === undefined) return [x, y];
  if (!isDType(pet)) throw new DTypeError(`${where}: preferredElementType must be a dtype (${DTYPES.join(', ')}) or null, got ${show(pet)}`);
  // JAX's _validate_preferred_element_type: (integral, integral), (integral, floating),
  // (floating, floating), (complex, complex), signed stays signed, never narrower. Converting
  // first without it was a silent wrong number: float32 [1.5].[2] with 'int32' gave 2, complex64
  // (1+i).(1+i) with 'float32' gave 1 (the imaginary parts dropped), float64 with 'float32' rounded.
  const desc = (a: unknown) => (a instanceof NDArray ? describe(a.shape, a.dtype) : show(a));
  const kind = (d: DType) => (d === 'int32' || d === 'uint32' ? 'integral' : isComplex(d) ? 'complex' : d === 'bool' ? 'bool' : 'floating');
  const bits = (d: DType) => (d === 'bool' ? 8 : d === 'float64' || d === 'complex64' ? 64 : d === 'complex128' ? 128 : 32);
  for (const a of [x, y]) {
    if (!(a instanceof NDArray)) continue;
    const d = a.dtype, k = kind(d), kp = kind(pet);
    const bad = k === 'bool' ? null
      : k === 'integral' && kp === 'floating' ? null
        : k !== kp ? `${d} operands take a preferredElementType of their own kind (JAX's compatible pairs: (integral, integral), (integral, floating), (floating, floating), (complex, complex))`
          : d === 'int32' && pet !== 'int32' ? `int32 operands keep their signedness (JAX's rule)`
            : null;
    const narrow = bits(pet) < bits(d) ? `${pet} is narrower than the operands' ${d} (JAX's rule)` : null;
    if (bad ?? narrow) {
      throw new DTypeError(`${where}: preferredElementType ${pet} is not allowed for operands ${desc(x)} and ${desc(y)}: ${bad ?? narrow}; ` +
        `convert the operands yourself (lax.convertElementType) if that is what is meant`);
    }
  }
  const to = (a: NDArray) => (a instanceof NDArray && a.dtype !== pet ? laxPrimitives.convertElementType(a, pet) : a);
  return [to(x), to(y)];
}
type DotOptions = { precision?: unknown; preferredElementType?: DType | null };
/**
 * precision and preferredElementType positionally (JAX's order) or as JAX's keywords in an options
 * object in either place: lax.dot(a, b, { preferredElementType: 'float32' }) was refused as a bad
 * precision (helper-282), where every other keyword here is an options object.
 */
function dotOptions(where: string, rest: unknown[]): DotOptions {
  return readOptionalPositions<DotOptions>(where, rest, ['precision', 'preferredElementType'], { precision: 'any', preferredElementType: 'any' });
}
/** jax.lax.dot(x, y, precision, preferred_element_type): more.dot, with JAX's two optional positional arguments. */
function dot(x: NDArray, y: NDArray, precision?: unknown, preferredElementType?: DType | null | DotOptions): NDArray {
  const o = dotOptions('lax.dot', [precision, preferredElementType]);
  checkPrecision('lax.dot', o.precision);
  return more.dot(...preferred('lax.dot', x, y, o.preferredElementType));
}
/** jax.lax.dot_general(x, y, dims, precision, preferred_element_type). */
function dotGeneral(x: NDArray, y: NDArray, dims: laxPrimitives.DotDimensionNumbers, precision?: unknown, preferredElementType?: DType | null | DotOptions): NDArray {
  const o = dotOptions('lax.dotGeneral', [precision, preferredElementType]);
  checkPrecision('lax.dotGeneral', o.precision);
  const [a, b] = preferred('lax.dotGeneral', x, y, o.preferredElementType);
  return laxPrimitives.dotGeneral(a, b, dims);
}
/** lax.searchsorted of int32 or uint32: compared as float64, which holds every 32-bit integer exactly (the kernel sorts floats). */
function searchsorted(a: NDArray, v: NDArray, side?: 'left' | 'right'): NDArray {
  const ints = (t: unknown) => t instanceof NDArray && (t.dtype === 'int32' || t.dtype === 'uint32');
  if (ints(a) && ints(v) && a.dtype === v.dtype) {
    return laxPrimitives.searchsorted(laxPrimitives.convertElementType(a, 'float64'), laxPrimitives.convertElementType(v, 'float64'), side);
  }
  return laxPrimitives.searchsorted(a, v, side);
}
/** jax.lax.conj: of a real operand, the complex Array x + 0i (JAX's conj_p gives the complex dtype); complex: the conjugate. */
function conj(x: NDArray): NDArray {
  if (x instanceof NDArray && isFloating(x.dtype)) return laxPrimitives.complex(x, laxPrimitives.full(x.shape, 0, x.dtype));
  return laxPrimitives.conj(x);
}

/**
 * jax.lax.select_n(which, ...cases): cases[which] elementwise; `which` bool (two cases: false
 * picks cases[0]) or int32/uint32 (an index past the cases picks the last), a scalar or of the
 * cases' shape.
 */
function selectN(which: NDArray, ...cases: NDArray[]): NDArray {
  const where = 'lax.selectN';
  if (cases.length === 0) throw new ValueError(`${where}: needs at least one case`);
  if (!(which instanceof NDArray)) throw new ValueError(`${where}: which must be an Array (bool or int32), got ${show(which)}`);
  // (a JS list of the cases, selectN(which, [a, b, c]), was one case, returned unchecked: the JS list itself came back)
  if (cases.length === 1 && Array.isArray(cases[0]) && (cases[0] as unknown[]).some((c) => c instanceof NDArray)) {
    throw new ValueError(`${where}: the cases are separate arguments, lax.selectN(which, ...cases) (JAX's select_n(which, *cases)); got one JS list of ${(cases[0] as unknown[]).length}`);
  }
  // (JS cases, as every lax operand takes them: of the Array cases' dtype, a scalar of their shape)
  const peer = cases.find((c): c is NDArray => c instanceof NDArray);
  cases = cases.map((c) => {
    if (c instanceof NDArray || !isJsOperand(c)) return c;
    const a = asarrayHint(c as never, peer?.dtype, where);
    return peer !== undefined && a.ndim === 0 ? broadcastTo(a, peer.shape) : a;
  });
  if (which.dtype === 'bool') {
    if (cases.length !== 2) throw new ValueError(`${where}: a bool which picks between exactly 2 cases, got ${cases.length}`);
    return more.select(which, cases[1], cases[0]);
  }
  if (which.dtype !== 'int32' && which.dtype !== 'uint32') throw new DTypeError(`${where}: which must be bool, int32 or uint32, got ${describe(which.shape, which.dtype)}`);
  // (one case: still through select, which checks which's shape against it and converts a JS value, as JAX's select_n)
  if (cases.length === 1) return more.select(laxPrimitives.eq(which, which), cases[0], cases[0]);
  let out = cases[cases.length - 1];
  for (let k = cases.length - 2; k >= 0; k--) {
    const at = laxPrimitives.eq(which, laxPrimitives.full(which.shape, k, which.dtype));
    out = more.select(at, cases[k], out);
  }
  return out;
}
/** jax.lax.collapse(x, startDimension, stopDimension): axes [start, stop) merged into one (stop defaults to the rank). */
function collapse(x: NDArray, start: number, stop?: number): NDArray {
  const where = 'lax.collapse', n = x.ndim;
  const norm = (a: number, what: string, hi: number) => {
    if (!Number.isInteger(a)) throw new ValueError(`${where}: ${what} must be an integer, got ${show(a)}`);
    const b = a < 0 ? a + n : a;
    if (b < 0 || b > hi) throw new ValueError(`${where}: ${what} ${a} is out of range for ${describe(x.shape, x.dtype)}`);
    return b;
  };
  const s = norm(start, 'startDimension', n), e = stop === undefined || stop === null ? n : norm(stop, 'stopDimension', n);
  if (e < s) throw new ValueError(`${where}: stopDimension ${stop} comes before startDimension ${start}`);
  const shape = x.shape;
  return laxPrimitives.reshape(x, [...shape.slice(0, s), shape.slice(s, e).reduce((a, d) => a * d, 1), ...shape.slice(e)]);
}
/** jax.lax.zeros_like_array(x): zeros of x's shape and dtype. */
function zerosLikeArray(x: NDArray): NDArray { return laxPrimitives.full(x.shape, 0, x.dtype); }
/** jax.lax.sort_key_val(keys, values, dimension = -1, is_stable = True): [sorted keys, values in the same order]. */
function sortKeyVal(keys: NDArray, values: NDArray, dimension = -1, isStable = true): NDArray[] {
  return more.sort([keys, values], { dimension, isStable, numKeys: 1 }) as NDArray[];
}
/** The set bits per element of an int32 or uint32 Array (jax.lax.population_count; SWAR, Hacker's Delight 5-1). */
function populationCount(x: NDArray): NDArray {
  if (!(x instanceof NDArray) || (x.dtype !== 'int32' && x.dtype !== 'uint32')) {
    throw new DTypeError(`lax.populationCount: needs an int32 or uint32 Array, got ${x instanceof NDArray ? describe(x.shape, x.dtype) : show(x)}`);
  }
  const L = laxPrimitives, c = (v: number) => L.full(x.shape, v, x.dtype);
  let v = L.sub(x, L.bitwiseAnd(L.shiftRightLogical(x, c(1)), c(0x55555555)));
  v = L.add(L.bitwiseAnd(v, c(0x33333333)), L.bitwiseAnd(L.shiftRightLogical(v, c(2)), c(0x33333333)));
  v = L.bitwiseAnd(L.add(v, L.shiftRightLogical(v, c(4))), c(0x0f0f0f0f));
  return L.shiftRightLogical(L.mul(v, c(0x01010101)), c(24));
}
/** The leading zero bits per element of an int32 or uint32 Array (jax.lax.clz): the bits below the highest set one filled, then counted. */
function clz(x: NDArray): NDArray {
  if (!(x instanceof NDArray) || (x.dtype !== 'int32' && x.dtype !== 'uint32')) {
    throw new DTypeError(`lax.clz: needs an int32 or uint32 Array, got ${x instanceof NDArray ? describe(x.shape, x.dtype) : show(x)}`);
  }
  const L = laxPrimitives, c = (v: number) => L.full(x.shape, v, x.dtype);
  let v = x;
  for (const k of [1, 2, 4, 8, 16]) v = L.bitwiseOr(v, L.shiftRightLogical(v, c(k)));
  return populationCount(L.bitwiseNot(v));
}

/**
 * jax.lax.reshape(operand, new_sizes, dimensions=None): with `dimensions`, a permutation of x's
 * axes, x is transposed by it first (JAX: "the order in which the input dimensions are read").
 * The third argument was refused, so JAX code passing it did not port.
 */
function reshape(x: NDArray, newSizes: number[], dimensions?: number[] | null): NDArray {
  if (dimensions === undefined || dimensions === null) return laxPrimitives.reshape(x, newSizes);
  const p = intList('lax.reshape', 'dimensions', dimensions);
  if (p.length !== x.ndim || new Set(p).size !== p.length || p.some((v) => v < 0 || v >= x.ndim)) {
    throw new ValueError(`lax.reshape: dimensions [${p}] must be a permutation of the ${x.ndim} axes of ${describe(x.shape, x.dtype)} (JAX's TypeError)`);
  }
  return laxPrimitives.reshape(laxPrimitives.transpose(x, p), newSizes);
}

/**
 * jax.lax.sign: of a complex x, XLA's x / |x| (0 at 0; zero derivative, as JAX's sign_p), which
 * np.sign composes; the kernel's sign is real-only, so lax.sign of complex64 was a DTypeError.
 */
function sign(x: NDArray): NDArray {
  return x instanceof NDArray && isComplex(x.dtype) ? npSign(x) : laxPrimitives.sign(x);
}

const primitives = {
  ...exported, full, gather, reshape, sign, scatterAdd, topK, dynamicSlice, dynamicUpdateSlice, round, RoundingMethod, dot, dotGeneral, searchsorted, conj,
  selectN, collapse, zerosLikeArray, sortKeyVal, populationCount, clz,
  clamp: more.clamp, pad: more.pad, rev: more.rev, sort: more.sort, expandDims: more.expandDims, squeeze: more.squeeze,
  cumsum: more.cumsum, cumprod: more.cumprod, cummax: more.cummax, cummin: more.cummin, cumlogsumexp: more.cumlogsumexp,
  integerPow: more.integerPow, pow: more.pow, select: more.select, slice: more.slice,
  bitcastConvertType: more.bitcastConvertType, nextafter: more.nextafter,
  dynamicSliceInDim, dynamicIndexInDim, dynamicUpdateSliceInDim, dynamicUpdateIndexInDim,
  scatter, scatterMul, scatterMin, scatterMax, scatterSub, scatterApply,
  square: more.square, rsqrt: more.rsqrt, reciprocal: more.reciprocal, logistic: more.logistic, broadcast: more.broadcast,
  broadcastedIota: more.broadcastedIota, fullLike: more.fullLike, sliceInDim: more.sliceInDim, indexInDim: more.indexInDim,
  reduceProd: more.reduceProd, reduceAnd: more.reduceAnd, reduceOr: more.reduceOr, reduceXor: more.reduceXor,
};

type Lax = typeof primitives;
/** What an operand may be besides an Array (API.md: a JS number or nested JS array; also a boolean or { re, im }). */
export type JsOperand = number | boolean | { re: number; im: number } | readonly unknown[];
type WidenArg<T> = [NDArray] extends [T] ? T | JsOperand : T extends readonly NDArray[] ? readonly (NDArray | JsOperand)[] : T;
type Widened<F> = F extends (...a: infer A) => infer R ? (...a: { [K in keyof A]: WidenArg<A[K]> }) => R : F;
/** lax's functions as users call them: Array parameters also take JS operands (sort's overloads kept as they are). */
type LaxPublic = { [K in keyof Lax]: K extends 'sort' ? Lax[K] : Widened<Lax[K]> };

function checked<F extends (...args: any[]) => any>(name: string, f: F): F {
  return ((...args: unknown[]) => {
    try {
      return f(...args);
    } catch (e) {
      if (e instanceof CotangentError) throw withPublicName(`lax.${name}`, e);
      refuseTooDeep(`lax.${name}`, e, args);
      if (notAboutArguments(e, args, false)) throw e; // (lax takes no callbacks)
      const bad = args.findIndex((a) => !(a instanceof NDArray));
      const which = bad >= 0 ? `argument ${bad} is ${show(args[bad])}` : `arguments (${args.map(show).join(', ')})`;
      throw new ValueError(`lax.${name}: ${which}; lax primitives take Arrays (or JS numbers, ` +
        `booleans and lists) of one dtype and shape (the np functions promote and broadcast)`, { cause: e });
    }
  }) as F;
}

/**
 * Argument checks for the primitives whose shape, permutation or fill arguments the primitive
 * itself would take as given: each throws a named error before the primitive runs (lax.full of
 * [2 ** 53] was a float32[0], lax.transpose(x, [0]) returned x, lax.concatenate(['a'], 0) 'a').
 */
const VALIDATE: Partial<Record<keyof Lax, (...args: any[]) => void>> = {
  full(shape: unknown, value: unknown, dtype?: unknown) {
    checkShape('lax.full', shape);
    if (typeof value !== 'number' && typeof value !== 'boolean') throw new ValueError(`lax.full: the fill value must be a JS number or boolean, got ${show(value)}`);
    if (dtype !== undefined && !isDType(dtype)) throw new DTypeError(`lax.full: dtype must be one of ${DTYPES.join(', ')}, got ${show(dtype)}`);
    if (dtype !== undefined && dtype !== 'bool' && typeof value === 'boolean') throw new DTypeError(`lax.full: a boolean fill for dtype ${dtype}`);
  },
  broadcastInDim(x: unknown, shape: unknown, dims: unknown) {
    operandArray('lax.broadcastInDim', 0, x);
    checkShape('lax.broadcastInDim', shape);
    intList('lax.broadcastInDim', 'dims', dims);
  },
  reshape(x: unknown, shape: unknown) {
    operandArray('lax.reshape', 0, x);
    checkShape('lax.reshape', shape);
  },
  transpose(x: unknown, perm: unknown) {
    const a = operandArray('lax.transpose', 0, x);
    const p = intList('lax.transpose', 'permutation', perm);
    const seen = new Set(p);
    if (p.length !== a.ndim || seen.size !== p.length || p.some((v) => v < 0 || v >= a.ndim)) {
      throw new ValueError(`lax.transpose: [${p}] is not a permutation of the ${a.ndim} axes of ${describe(a.shape, a.dtype)} (JAX: a permutation of range(${a.ndim}))`);
    }
  },
  concatenate(xs: unknown) {
    if (!Array.isArray(xs) || xs.length === 0) throw new ValueError(`lax.concatenate: need a non-empty list of Arrays, got ${show(xs)}`);
    xs.forEach((x, i) => { if (!(x instanceof NDArray)) throw new ValueError(`lax.concatenate: operand ${i} is ${show(x)}, not an Array, a JS number or a list`); });
  },
};

function operandArray(where: string, i: number, x: unknown): NDArray {
  if (!(x instanceof NDArray)) throw new ValueError(`${where}: argument ${i} is ${show(x)}, not an Array, a JS number or a list`);
  return x;
}

function intList(where: string, what: string, v: unknown): number[] {
  if (!Array.isArray(v) || v.some((d) => typeof d !== 'number' || !Number.isInteger(d))) {
    throw new ValueError(`${where}: ${what} must be a list of integers, got ${show(v)}`);
  }
  return v as number[];
}

function validated<F extends (...args: any[]) => any>(name: string, f: F): F {
  const check = VALIDATE[name as keyof Lax];
  if (check === undefined) return f;
  return ((...args: unknown[]) => { check(...args); return f(...args); }) as F;
}

/** The elementwise functions: every argument an operand, a scalar broadcast to its Array peers' shape. */
const ELEMENTWISE = new Set([
  'abs', 'acos', 'acosh', 'asin', 'asinh', 'atan', 'atanh', 'cbrt', 'ceil', 'cos', 'cosh', 'digamma', 'erf', 'erfInv', 'erfc', 'exp',
  'exp2', 'expm1', 'floor', 'isFinite', 'lgamma', 'log', 'log10', 'log1p', 'log2', 'logistic', 'neg', 'reciprocal', 'rsqrt', 'sign',
  'sin', 'sinh', 'sqrt', 'square', 'stopGradient', 'tan', 'tanh', 'trunc', 'bitwiseNot', 'conj', 'real', 'imag',
  'add', 'atan2', 'complex', 'div', 'eq', 'ge', 'gt', 'hypot', 'le', 'lt', 'max', 'min', 'mul', 'ne', 'nextafter', 'pow', 'rem', 'sub',
  'bitwiseAnd', 'bitwiseOr', 'bitwiseXor', 'shiftLeft', 'shiftRightArithmetic', 'shiftRightLogical', 'select', 'clamp',
]);
/** The operand positions of the other functions (the rest are shapes, axes, options: not converted). */
const OPERANDS: Record<string, number[]> = {
  round: [0], integerPow: [0], argmax: [0], argmin: [0], argsort: [0], bitcastConvertType: [0], broadcast: [0], broadcastInDim: [0],
  convertElementType: [0], cumsum: [0], cumprod: [0], cummax: [0], cummin: [0], cumlogsumexp: [0], expandDims: [0], fullLike: [0],
  indexInDim: [0], reduceSum: [0], reduceMax: [0], reduceMin: [0], reduceProd: [0], reduceAnd: [0], reduceOr: [0], reduceXor: [0],
  reshape: [0], rev: [0], slice: [0], sliceInDim: [0], split: [0], squeeze: [0], topK: [0], transpose: [0], dynamicSlice: [0],
  dynamicSliceInDim: [0], dynamicIndexInDim: [0], dynamicUpdateSlice: [0, 1], dynamicUpdateSliceInDim: [0, 1],
  dynamicUpdateIndexInDim: [0, 1], dot: [0, 1], dotGeneral: [0, 1], batchMatmul: [0, 1], pad: [0, 1], searchsorted: [0, 1],
  gather: [0, 1], scatterAdd: [0, 1, 2], polygamma: [1], // (polygamma's n is a JS integer already)
  collapse: [0], zerosLikeArray: [0], sortKeyVal: [0, 1], populationCount: [0], clz: [0],
};
/** Index operands: a JS list of integers is int32 there, whatever the data's dtype. */
const INDICES: Record<string, number> = { gather: 1, scatterAdd: 1 };

// (a typed array too: JAX's lax takes numpy arrays, and np.add here takes typed arrays; it keeps its own dtype, as a numpy array's)
const isJsOperand = (v: unknown) => typeof v === 'number' || typeof v === 'boolean' || isComplexLiteral(v) || Array.isArray(v) ||
  (ArrayBuffer.isView(v) && !(v instanceof DataView));

/**
 * gather's and scatterAdd's JS indices as int32: a fraction (or NaN, or booleans only) is a
 * DTypeError, as JAX's float or bool indices are; lax.gather(x, [[1.5]], ...) read index 1.
 */
function jsIndices(where: string, i: number, v: unknown): NDArray {
  const kind = ArrayBuffer.isView(v) ? 'int32' : dtypeForPromotion(where, i, v as never);
  const hasLeaf = (u: unknown): boolean => !Array.isArray(u) || u.some(hasLeaf); // ([] stays an empty int32 list)
  if (kind !== 'weak_int' && kind !== 'int32' && kind !== 'uint32' && hasLeaf(v)) {
    throw new DTypeError(`${where}: argument ${i} (the indices) must be integers, got ${show(v)}`);
  }
  return asarrayHint(v as never, 'int32', where);
}

/**
 * convertElementType's JS operand, read at full precision: JAX converts a Python scalar to the
 * target dtype directly. Read as float32 first, lax.convertElementType(0.1, 'float64') was
 * 0.10000000149011612, (1e40, 'float64') Infinity and (16777217, 'int32') 16777216. (A JS number
 * is read as float64, { re, im } as complex128, booleans as bool; the one conversion rounds once.)
 */
function jsSource(where: string, v: unknown, to: unknown): NDArray {
  if (ArrayBuffer.isView(v)) return asarrayHint(v as never, undefined, where);
  // (int32 values to an integer dtype convert as integers: -1 to uint32 is 4294967295, JAX's weak int)
  if ((to === 'int32' || to === 'uint32') && int32Values(v)) return asarrayHint(v as never, 'int32', where);
  const kind = dtypeForPromotion(where, 0, v as never);
  const d = kind === 'bool' ? 'bool' : kind === 'weak_complex' || kind === 'complex64' || kind === 'complex128' ? 'complex128' : 'float64';
  return asarrayHint(v as never, d, where);
}

/**
 * f with its JS-valued operands made Arrays: of the dtype they promote to beside the Array operands
 * (a JS number beside float64 is float64 at full precision, beside int32 an integer int32, a
 * fraction float32 and then the primitive's dtype error), else as np.array reads them (float32);
 * in an elementwise function a scalar takes its peers' shape. lax.concatenate's list entries too.
 */
function withJsOperands<F extends (...args: any[]) => any>(name: string, f: F): F {
  const at = ELEMENTWISE.has(name) ? null : OPERANDS[name];
  if (at === undefined && name !== 'concatenate') return f;
  const where = `lax.${name}`;
  // The shape a JS scalar takes: x's in clamp (min and max are scalars or x's shape), else the
  // largest of its Array peers' (select's 0-d predicate is a peer too: lax.select(np.array(true),
  // x, 0) broadcast the 0 to the predicate's [] and then refused x's shape).
  const scalarTarget = (vals: unknown[], peers: NDArray[]): number[] => {
    if (name === 'clamp' && vals[1] instanceof NDArray) return vals[1].shape;
    return peers.reduce((a, p) => (p.ndim > a.ndim ? p : a)).shape;
  };
  const lift = (vals: unknown[], positions: number[], elementwise: boolean): unknown[] => {
    if (!positions.some((i) => isJsOperand(vals[i]))) return vals;
    const peers = positions.map((i) => vals[i]).filter((v): v is NDArray => v instanceof NDArray);
    // (select's predicate is bool whatever its branches are: it promotes alone)
    const kin = (i: number) => (name === 'select' ? (i === 0 ? [] : peers.filter((p) => p !== vals[0])) : peers);
    const out = vals.slice();
    for (const i of positions) {
      const v = vals[i];
      if (!isJsOperand(v)) continue;
      if (INDICES[name] === i) { out[i] = jsIndices(where, i, v); continue; }
      if (name === 'convertElementType') { out[i] = jsSource(where, v, vals[1]); continue; }
      const others = kin(i).filter((p) => INDICES[name] === undefined || p !== vals[INDICES[name]]);
      const d = others.length === 0 ? undefined : promoteAny([...others.map((p) => p.dtype), dtypeForPromotion(where, i, v as never)]);
      let a = asarrayHint(v as never, d, where);
      // (clamp's x is never broadcast, as JAX's: clamp(0, 5, max[2]) gave [1, 2]; with 0-d x a ShapeError)
      if (elementwise && a.ndim === 0 && peers.length > 0 && !(name === 'clamp' && i === 1)) a = broadcastTo(a, scalarTarget(vals, peers));
      out[i] = a;
    }
    return out;
  };
  return ((...args: unknown[]) => {
    if (name === 'concatenate' && Array.isArray(args[0])) {
      const xs = args[0] as unknown[];
      return f(lift(xs, xs.map((_, i) => i), false), ...args.slice(1));
    }
    return f(...lift(args, at ?? args.map((_, i) => i), at === null));
  }) as F;
}

/** Every function of lax.ts, checked (non-functions pass through). */
const checkedPrimitives: LaxPublic = Object.fromEntries(Object.entries(primitives).map(([k, v]) =>
  [k, typeof v === 'function' ? checked(k, withJsOperands(k, validated(k, arityChecked(`lax.${k}`, v as (...args: any[]) => any, k === 'concatenate' ? 2 : undefined, false)))) : v])) as LaxPublic; // (`checked` names lax's TypeErrors itself) // (concatenate's third parameter: the caller's name, internal)

/**
 * Control flow (lax_control.ts): arity-checked only. They take callbacks, so an error thrown in
 * the user's function reaches the caller unchanged (`checked` would rename a JS TypeError from it).
 */
const control = { scan, map, foriLoop, whileLoop, cond, switch: switchBranches, associativeScan, customLinearSolve, customRoot };
type Control = typeof control;
const checkedControl = Object.fromEntries(Object.entries(control).map(([k, v]) =>
  // (no hole check: carries and xs are trees, where a hole is undefined, an empty subtree, at any
  // depth, as tree.* and the transforms read it; the check looked one level down only, so a carry
  // [a, , b] was refused, { c: [a, , b] } as 'option c', and [[a, , b]] was not)
  [k, arityChecked(`lax.${k}`, v as (...args: any[]) => any, undefined, false, false)])) as Control;

/** Collectives over vmap's named axes (collectives.ts): arity-checked (they take trees and names, checked there). */
const collectives = { psum, pmean, axisIndex, axisSize };
type Collectives = typeof collectives;
const checkedCollectives = Object.fromEntries(Object.entries(collectives).map(([k, v]) =>
  [k, arityChecked(`lax.${k}`, v as (...args: any[]) => any, undefined, false, false)])) as Collectives;

export const lax: LaxPublic & Control & Collectives = { ...checkedPrimitives, ...checkedControl, ...checkedCollectives };
