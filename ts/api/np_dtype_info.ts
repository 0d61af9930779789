// Dtype introspection and the small array utilities around it, as jnp's: finfo, iinfo,
// resultType / promoteTypes (JAX's lattice, core/dtype.ts's joinDtypes), canCast, issubdtype and
// numpy's abstract dtype names, iscomplexobj / isrealobj, empty / emptyLike, arrayEqual /
// arrayEquiv, broadcastArrays, fromfunction, indices and ix_; ndim / shape / size / isscalar,
// iscomplex / isreal (elementwise) and isdtype.
import { NDArray, ArrayInput, isComplexLiteral } from './array.js';
import {
  zeros, equal, isnan, all, logicalOr, logicalAnd, astype, reshape, broadcastTo, broadcastShapes, stack, arange, nonzero,
  dtypeForPromotion, array, notEqual, imag,
} from './numpy.js';
import { operand } from './np_shared.js';
import { atMost, readOptions, readOptionalPositions, show } from './options.js';
import { checkShape } from './creation.js';
import { AxisError, DTypeError, ShapeError, TracerError, ValueError, describe } from '../core/errors.js';
import { DTYPES, DType, Promotable, isComplex, isDType, joinDtypes, realOf } from '../core/dtype.js';

// ---------------------------------------------------------------- numpy's abstract dtypes

/** numpy's abstract scalar types as names (np.floating etc.), for issubdtype: `np.issubdtype(d, np.floating)`. */
export const generic = 'generic' as const;
export const number = 'number' as const;
export const inexact = 'inexact' as const;
export const floating = 'floating' as const;
export const complexfloating = 'complexfloating' as const;
export const integer = 'integer' as const;
export const signedinteger = 'signedinteger' as const;
export const unsignedinteger = 'unsignedinteger' as const;

export type AbstractDType = 'generic' | 'number' | 'inexact' | 'floating' | 'complexfloating' | 'integer' | 'signedinteger' | 'unsignedinteger';

// numpy's scalar type hierarchy, each name's parent (bool sits under generic, not number)
const PARENT: Record<string, string | null> = {
  generic: null, number: 'generic', bool: 'generic', inexact: 'number', integer: 'number',
  floating: 'inexact', complexfloating: 'inexact', signedinteger: 'integer', unsignedinteger: 'integer',
  float32: 'floating', float64: 'floating', complex64: 'complexfloating', complex128: 'complexfloating',
  int32: 'signedinteger', uint32: 'unsignedinteger',
};

/** A dtype given as a name or as an Array's dtype (numpy's dtype-like); `what` names the argument. */
function dtypeArg(where: string, what: string, x: unknown, arrays = true): DType {
  if (isDType(x)) return x;
  if (arrays && x instanceof NDArray) return x.dtype;
  const hint = typeof x === 'string' ? ` (valid: ${['float32', 'float64', 'complex64', 'complex128', 'int32', 'uint32', 'bool'].join(', ')})` : '';
  throw new DTypeError(`${where}: ${what} must be a dtype name${arrays ? ' or an Array' : ''}, got ${show(x)}${hint}`);
}

// ---------------------------------------------------------------- finfo / iinfo

/** numpy's finfo fields (camelCase), as JS numbers holding the dtype's exact values. */
export interface FInfo {
  bits: number; eps: number; epsneg: number; max: number; min: number; tiny: number;
  smallestNormal: number; smallestSubnormal: number; resolution: number; precision: number;
  machep: number; negep: number; minexp: number; maxexp: number; nmant: number; nexp: number; iexp: number;
  dtype: 'float32' | 'float64';
}

function makeFInfo(dtype: 'float32' | 'float64', nmant: number, nexp: number, precision: number): FInfo {
  const maxexp = 2 ** (nexp - 1), minexp = 2 - maxexp;
  const eps = 2 ** -nmant, tiny = 2 ** minexp;
  const round = dtype === 'float32' ? Math.fround : (v: number) => v;
  return Object.freeze({
    bits: 1 + nexp + nmant, eps, epsneg: 2 ** -(nmant + 1), max: (2 - eps) * 2 ** (maxexp - 1), min: -(2 - eps) * 2 ** (maxexp - 1),
    tiny, smallestNormal: tiny, smallestSubnormal: tiny * eps, resolution: round(Number(`1e-${precision}`)), precision,
    machep: -nmant, negep: -(nmant + 1), minexp, maxexp, nmant, nexp, iexp: nexp, dtype,
  });
}
const FINFO = { float32: makeFInfo('float32', 23, 8, 6), float64: makeFInfo('float64', 52, 11, 15) };

/**
 * np.finfo(dtype | Array): the machine limits of a float dtype (numpy's fields, camelCase:
 * smallestNormal, smallestSubnormal), as JS numbers. A complex dtype gives its real part's, as numpy.
 */
export function finfo(dtype: DType | NDArray): FInfo {
  const d = dtypeArg('np.finfo', 'dtype', dtype);
  if (d !== 'float32' && d !== 'float64' && !isComplex(d)) {
    throw new DTypeError(`np.finfo: ${d} is not a float or complex dtype (numpy raises "not inexact" too); use np.iinfo for integers`);
  }
  return FINFO[realOf(d) as 'float32' | 'float64'];
}

/** numpy's iinfo fields. */
export interface IInfo { bits: number; min: number; max: number; dtype: 'int32' | 'uint32'; kind: 'i' | 'u' }
const IINFO: Record<'int32' | 'uint32', IInfo> = {
  int32: Object.freeze({ bits: 32, min: -(2 ** 31), max: 2 ** 31 - 1, dtype: 'int32', kind: 'i' }),
  uint32: Object.freeze({ bits: 32, min: 0, max: 2 ** 32 - 1, dtype: 'uint32', kind: 'u' }),
};

/** np.iinfo(dtype | Array): the range of an integer dtype (bool is refused, as numpy refuses it). */
export function iinfo(dtype: DType | NDArray): IInfo {
  const d = dtypeArg('np.iinfo', 'dtype', dtype);
  if (d !== 'int32' && d !== 'uint32') {
    throw new DTypeError(`np.iinfo: ${d} is not an integer dtype (numpy raises "Invalid integer data type" too)` +
      (d === 'bool' ? '' : '; use np.finfo for floats'));
  }
  return IINFO[d];
}

// ---------------------------------------------------------------- promotion and casting

/**
 * jnp.result_type(...arraysAndDtypes): the dtype JAX's promotion gives these operands. A dtype
 * name or an Array is strongly typed; a JS number is weak (an integral one a weak int, else a weak
 * float), a boolean is bool, { re, im } a weak complex, as in every np op. Differences from JAX:
 * no 64-bit integers, so int32 with uint32 is int32 (JAX with x64: int64); JS numbers alone give
 * float32, as np.asarray(2) does here (JAX: int32 for a Python int).
 */
export function resultType(...arraysAndDtypes: (ArrayInput | DType | ArrayBufferView)[]): DType {
  const where = 'np.resultType';
  if (arraysAndDtypes.length === 0) throw new ValueError(`${where}: at least one Array or dtype is required (as jnp.result_type)`);
  const kinds: Promotable[] = arraysAndDtypes.map((x, i) => {
    if (typeof x === 'string') return dtypeArg(where, `argument ${i}`, x);
    if (x === null || x === undefined) throw new DTypeError(`${where}: argument ${i} is ${String(x)}; give an Array, a dtype name or a JS value`);
    return dtypeForPromotion(where, i, x as ArrayInput);
  });
  return joinDtypes(kinds);
}

/**
 * jnp.promote_types(a, b): the join of two dtype names on JAX's lattice (both strongly typed):
 * bool < int32, uint32 < float32 < float64 < complex128, float32 < complex64 < complex128. int32
 * with uint32 is int32 here (JAX with x64: int64; no 64-bit integers in this release).
 */
export function promoteTypes(a: DType, b: DType): DType {
  const where = 'np.promoteTypes';
  const da = dtypeArg(where, 'a', a, false), db = dtypeArg(where, 'b', b, false);
  return joinDtypes([da, db]);
}

export type Casting = 'no' | 'equiv' | 'safe' | 'same_kind' | 'unsafe';
const CASTINGS: readonly Casting[] = ['no', 'equiv', 'safe', 'same_kind', 'unsafe'];
// safe casts: every value of the source is exact in the target (numpy's table for these dtypes)
const SAFE: Record<DType, readonly DType[]> = {
  bool: ['bool', 'int32', 'uint32', 'float32', 'float64', 'complex64', 'complex128'],
  int32: ['int32', 'float64', 'complex128'],
  uint32: ['uint32', 'float64', 'complex128'],
  float32: ['float32', 'float64', 'complex64', 'complex128'],
  float64: ['float64', 'complex128'],
  complex64: ['complex64', 'complex128'],
  complex128: ['complex128'],
};
// same_kind: safe, or a kind no lower (numpy's order b < u < i < f < c: uint32 -> int32 is same_kind, int32 -> uint32 is not)
const KIND_RANK: Record<DType, number> = { bool: 0, uint32: 1, int32: 2, float32: 3, float64: 3, complex64: 4, complex128: 4 };

/**
 * np.can_cast(from, to, casting = 'safe'): whether numpy's casting rule allows from -> to (from a
 * dtype name or an Array's dtype). numpy's table, not JAX's promotion (int32 -> float32 is not safe).
 */
export function canCast(from: DType | NDArray, to: DType, casting: Casting | { casting?: Casting } = 'safe'): boolean {
  const where = 'np.canCast';
  const f = dtypeArg(where, 'from', from), t = dtypeArg(where, 'to', to, false);
  const c = readOptions<{ casting?: Casting }>(where, casting, { casting: 'any' }, 'casting').casting ?? 'safe';
  if (!CASTINGS.includes(c)) throw new ValueError(`${where}: casting must be one of ${CASTINGS.map((k) => `'${k}'`).join(', ')}, got ${show(c)}`);
  switch (c) {
    case 'no': case 'equiv': return f === t;
    case 'safe': return SAFE[f].includes(t);
    case 'same_kind': return SAFE[f].includes(t) || KIND_RANK[t] >= KIND_RANK[f];
    default: return true;
  }
}

/**
 * np.issubdtype(dtype, kind): whether `dtype` (a dtype name or an abstract name: np.floating...)
 * is `kind` or below it in numpy's hierarchy (generic > number > inexact > floating > float32 ...;
 * bool is under generic only). An Array is refused, as numpy refuses it: pass x.dtype.
 */
export function issubdtype(dtype: DType | AbstractDType, kind: DType | AbstractDType): boolean {
  const where = 'np.issubdtype';
  const name = (x: unknown, what: string): string => {
    if (typeof x === 'string' && Object.prototype.hasOwnProperty.call(PARENT, x)) return x;
    const hint = x instanceof NDArray ? ` (an Array: pass its dtype, x.dtype, as numpy)` : '';
    throw new DTypeError(`${where}: ${what} must be a dtype name or an abstract one (${Object.keys(PARENT).map((k) => `'${k}'`).join(', ')}), ` +
      `got ${show(x)}${hint}`);
  };
  let d: string | null = name(dtype, 'dtype');
  const k = name(kind, 'kind');
  for (; d !== null; d = PARENT[d]) if (d === k) return true;
  return false;
}

/** The dtype x would have as an operand (a JS list of numbers: float32, { re, im }: complex64). */
function operandDtype(where: string, x: ArrayInput): DType {
  return joinDtypes([dtypeForPromotion(where, 0, x)]);
}

/** np.iscomplexobj(x): whether x's dtype is complex (whatever its values; null: false, as jnp). */
export function iscomplexobj(x: ArrayInput | null): boolean {
  if (x === null) return false;
  return isComplex(operandDtype('np.iscomplexobj', x));
}

/** np.isrealobj(x): whether x's dtype is not complex (whatever its values). */
export function isrealobj(x: ArrayInput | null): boolean {
  if (x === null) return true;
  return !isComplex(operandDtype('np.isrealobj', x));
}

// ---------------------------------------------------------------- shape queries and complex tests

/** An Array's shape, or a JS number's / nested list's as np.array would read it (its errors for a ragged list). */
function shapeOf(where: string, x: ArrayInput): number[] {
  if (x instanceof NDArray) return x.shape.slice();
  if (typeof x === 'number' || typeof x === 'boolean' || isComplexLiteral(x)) return [];
  return operand(where, 0, x).shape.slice();
}

/** np.ndim(x): the number of axes of an Array, JS number (0) or nested list. */
export function ndim(x: ArrayInput): number {
  return shapeOf('np.ndim', x).length;
}

/** np.shape(x): the shape of an Array, JS number ([]) or nested list. */
export function shape(x: ArrayInput): number[] {
  return shapeOf('np.shape', x);
}

/** np.size(x, axis?): the number of entries, or the length of `axis` (a list of axes: the product of their lengths, as numpy 2.4). */
export function size(x: ArrayInput, axis?: number | number[] | null): number {
  const where = 'np.size';
  atMost(where, arguments.length, 2);
  const s = shapeOf(where, x);
  if (axis === undefined || axis === null) return s.reduce((p, q) => p * q, 1);
  const axes = typeof axis === 'number' ? [axis] : axis;
  if (!Array.isArray(axes) || axes.some((a) => typeof a !== 'number' || !Number.isInteger(a))) throw new ValueError(`${where}: axis must be an integer, a list of integers or null, got ${show(axis)}`);
  const seen = new Set<number>();
  return axes.reduce((p, a) => {
    if (a < -s.length || a >= s.length) throw new AxisError(`${where}: axis ${a} is out of bounds for an operand of shape [${s}] (${s.length} axes)`);
    const k = a < 0 ? a + s.length : a;
    // (np.size(zeros([2, 3]), [0, 0]) gave 4; numpy raises "repeated axis")
    if (seen.has(k)) throw new AxisError(`${where}: repeated axis in [${axes}] (operand of shape [${s}], ${s.length} axes)`);
    seen.add(k);
    return p * s[k];
  }, 1);
}

/** jnp.isscalar(x): true for a JS number, boolean, complex literal or string, and (jnp's rule, unlike numpy's) a 0-d Array; false for lists. */
export function isscalar(x: unknown): boolean {
  if (x instanceof NDArray) return x.ndim === 0;
  return typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint' || typeof x === 'string' || isComplexLiteral(x);
}

/** np.iscomplex(x): elementwise, whether the imaginary part is non-zero (all false for a real dtype). */
export function iscomplex(x: ArrayInput): NDArray {
  return notEqual(imag(operand('np.iscomplex', 0, x)), 0);
}

/** np.isreal(x): elementwise, whether the imaginary part is zero (all true for a real dtype). */
export function isreal(x: ArrayInput): NDArray {
  return equal(imag(operand('np.isreal', 0, x)), 0);
}

/** The array API's dtype kinds of np.isdtype. */
export type DTypeKind = 'bool' | 'signed integer' | 'unsigned integer' | 'integral' | 'real floating' | 'complex floating' | 'numeric';
const KINDS: Record<DTypeKind, (d: DType) => boolean> = {
  'bool': (d) => d === 'bool',
  'signed integer': (d) => d === 'int32',
  'unsigned integer': (d) => d === 'uint32',
  'integral': (d) => d === 'int32' || d === 'uint32',
  'real floating': (d) => d === 'float32' || d === 'float64',
  'complex floating': (d) => isComplex(d),
  'numeric': (d) => d !== 'bool',
};

/** np.isdtype(dtype, kind): whether dtype is `kind` (a dtype, one of the array API's kind names, or a list of those: any of them). */
export function isdtype(dtype: DType, kind: DType | DTypeKind | readonly (DType | DTypeKind)[]): boolean {
  const where = 'np.isdtype';
  atMost(where, arguments.length, 2);
  if (!isDType(dtype)) throw new DTypeError(`${where}: dtype must be a dtype name (${DTYPES.join(', ')}), got ${show(dtype)}`);
  const kinds = Array.isArray(kind) ? kind : [kind];
  return kinds.some((k: unknown) => {
    if (isDType(k)) return k === dtype;
    if (typeof k === 'string' && Object.hasOwn(KINDS, k)) return KINDS[k as DTypeKind](dtype);
    throw new ValueError(`${where}: kind must be a dtype, one of ${Object.keys(KINDS).map((n) => `'${n}'`).join(', ')}, or a list of those; got ${show(k)}`);
  });
}

// ---------------------------------------------------------------- creation

/** jnp.empty(shape, dtype = float32): zeros, as JAX's (its arrays are never uninitialized). */
export function empty(shape: readonly number[] | number, dtype?: DType | { dtype?: DType } | null): NDArray {
  const s = checkShape('np.empty', shape);
  const o = readOptions<{ dtype?: DType }>('np.empty', dtype, { dtype: 'dtype' }, 'dtype');
  return zeros(s, o.dtype ?? 'float32');
}

export interface EmptyLikeOptions { dtype?: DType; shape?: readonly number[] | number }

/**
 * jnp.empty_like(prototype, dtype?, shape?): zeros of the prototype's shape and dtype (or those
 * given), as JAX's.
 */
export function emptyLike(prototype: ArrayInput, dtype?: DType | EmptyLikeOptions | null, shape?: readonly number[] | number | EmptyLikeOptions | null): NDArray {
  const where = 'np.emptyLike';
  const o = readOptionalPositions<EmptyLikeOptions>(where, [dtype, shape], ['dtype', 'shape'], { dtype: 'dtype', shape: 'shape' });
  const a = operand(where, 0, prototype);
  return zeros(o.shape === undefined ? a.shape : checkShape(where, o.shape), o.dtype ?? a.dtype);
}

// ---------------------------------------------------------------- comparisons of whole arrays

/**
 * jnp.array_equal(a1, a2, { equalNan }): a 0-d bool Array, true when the shapes are equal and
 * every element is (NaN equal to NaN with equalNan; a complex one with a NaN part). Different
 * shapes give false, not an error.
 */
export function arrayEqual(a1: ArrayInput, a2: ArrayInput, opts?: { equalNan?: boolean } | boolean): NDArray {
  const where = 'np.arrayEqual';
  const o = readOptions<{ equalNan?: boolean }>(where, opts, { equalNan: 'boolean' }, 'equalNan');
  const x = operand(where, 0, a1), y = operand(where, 1, a2);
  if (x.ndim !== y.ndim || x.shape.some((d, i) => d !== y.shape[i])) return array(false);
  let eq = equal(a1, a2); // (the operands as given: a JS list meets the other's dtype, as in np.equal)
  if (o.equalNan) eq = logicalOr(eq, logicalAnd(isnan(x), isnan(y)));
  return all(eq);
}

/**
 * jnp.array_equiv(a1, a2): a 0-d bool Array, true when the shapes broadcast together and every
 * element is equal; shapes that do not broadcast give false, not an error.
 */
export function arrayEquiv(a1: ArrayInput, a2: ArrayInput): NDArray {
  const where = 'np.arrayEquiv';
  const x = operand(where, 0, a1), y = operand(where, 1, a2);
  try { broadcastShapes(where, x.shape, y.shape); } catch (e) {
    if (e instanceof ShapeError) return array(false);
    throw e;
  }
  return all(equal(a1, a2));
}

// ---------------------------------------------------------------- broadcasting and index grids

/** np.broadcast_arrays(...arrays): the Arrays broadcast to their common shape, as a JS list (dtypes kept). */
export function broadcastArrays(...arrays: ArrayInput[]): NDArray[] {
  const where = 'np.broadcastArrays';
  const xs = arrays.map((a, i) => operand(where, i, a));
  const shape = broadcastShapes(where, ...xs.map((x) => x.shape));
  return xs.map((x) => (x.ndim === shape.length && x.shape.every((d, i) => d === shape[i]) ? x : broadcastTo(x, shape)));
}

export interface IndicesOptions { dtype?: DType; sparse?: boolean }

function dimensionsArg(where: string, dimensions: unknown): number[] {
  if (!Array.isArray(dimensions)) throw new ShapeError(`${where}: dimensions must be a list of non-negative integers, got ${show(dimensions)}`);
  return checkShape(where, dimensions, 'dimensions');
}

/** Index grids of `dims` in dtype d: one per axis, each of shape [1, .., dims[i], .., 1]. */
function sparseGrids(dims: number[], d: DType): NDArray[] {
  return dims.map((n, i) => {
    const r = arange(n, { dtype: 'int32' });
    return reshape(d === 'int32' ? r : astype(r, d), dims.map((m, j) => (j === i ? m : 1)));
  });
}

/**
 * np.indices(dimensions, dtype = int32, sparse = false): the index grids of a shape, stacked into
 * [len(dimensions), ...dimensions] (sparse: a JS list of Arrays of shape [1, .., n, .., 1]).
 * int32 by default (jnp's; numpy's is int64).
 */
export function indices(dimensions: readonly number[], opts: IndicesOptions & { sparse: true }): NDArray[];
export function indices(dimensions: readonly number[], dtype: DType | null | undefined, sparse: true): NDArray[];
export function indices(dimensions: readonly number[], dtype?: DType | IndicesOptions | null, sparse?: boolean | IndicesOptions | null): NDArray;
export function indices(dimensions: readonly number[], dtype?: DType | IndicesOptions | null, sparse?: boolean | IndicesOptions | null): NDArray | NDArray[] {
  const where = 'np.indices';
  const o = readOptionalPositions<IndicesOptions>(where, [dtype, sparse], ['dtype', 'sparse'], { dtype: 'dtype', sparse: 'boolean' });
  const dims = dimensionsArg(where, dimensions), d = o.dtype ?? 'int32';
  const grids = sparseGrids(dims, d);
  if (o.sparse) return grids;
  if (dims.length === 0) return zeros([0], d);
  return stack(grids.map((g) => broadcastTo(g, dims)));
}

/**
 * np.fromfunction(fn, shape, { dtype }): fn called once with the index grids (Arrays of the full
 * shape, float32 by default: jnp's float; numpy's float64), as numpy. jnp vmaps fn over the
 * indices instead: the same for an elementwise fn; a result of fewer dimensions (a JS number, or
 * an Array that does not use every index) is broadcast to the shape, as jnp's vmap gives it.
 */
export function fromfunction<T>(fn: (...index: NDArray[]) => T, shape: readonly number[], opts?: { dtype?: DType } | DType): T extends number | NDArray ? NDArray : T {
  const where = 'np.fromfunction';
  if (typeof fn !== 'function') throw new ValueError(`${where}: fn must be a function of the index Arrays, got ${show(fn)}`);
  const o = readOptions<{ dtype?: DType }>(where, opts, { dtype: 'dtype' }, 'dtype');
  const dims = dimensionsArg(where, shape);
  const grids = sparseGrids(dims, o.dtype ?? 'float32').map((g) => broadcastTo(g, dims));
  const out = fn(...grids);
  if (typeof out === 'number' || out instanceof NDArray) {
    const r = operand(where, 0, out as ArrayInput);
    const sh = broadcastShapes(where, r.shape, dims);
    return (sh.length === r.ndim && sh.every((n, i) => n === r.shape[i]) ? r : broadcastTo(r, sh)) as never;
  }
  return out as never;
}

/**
 * np.ix_(...seqs): open-mesh index Arrays, the i-th of shape [1, .., n_i, .., 1] (a JS list).
 * JS lists of integers read as int32 (jnp's); a bool mask stands for its nonzero positions, as
 * numpy (jnp refuses it), when its values are known (not under jit or vmap).
 */
export function ix_(...seqs: ArrayInput[]): NDArray[] {
  const where = 'np.ix_';
  const n = seqs.length;
  return seqs.map((s, i) => {
    const weak = isComplexLiteral(s) ? undefined : dtypeForPromotion(where, i, s);
    let a = operand(where, i, s, weak === 'weak_int' ? 'int32' : undefined);
    if (a.ndim !== 1) throw new ValueError(`${where}: argument ${i} must be 1-d, got ${describe(a.shape, a.dtype)}`);
    if (a.dtype === 'bool') {
      if (a.isTracer) {
        throw new TracerError(`${where}: argument ${i} is a bool mask under jit or vmap: its nonzero positions are data-dependent ` +
          '(jnp.ix_ refuses masks); pass np.nonzero(mask, { size })[0] instead');
      }
      a = nonzero(a)[0];
    }
    if (a.size === 0) a = zeros([0], 'int32'); // (numpy's: an empty sequence indexes as an integer)
    return reshape(a, Array.from({ length: n }, (_, j) => (j === i ? a.shape[0] : 1)));
  });
}
