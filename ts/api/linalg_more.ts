// linalg, numpy 2's and the array API's additions (jnp.linalg's): matrixRank, multiDot, vectorNorm,
// matrixNorm, cross, outer, diagonal, trace, matmul, vecdot, matrixTranspose, tensordot,
// tensorsolve, tensorinv. Composed from np and linalg functions, so they differentiate, batch and
// jit as those do; leading axes are batch axes.
import { NDArray, ArrayInput } from './array.js';
import * as np from './numpy.js';
import * as lax from './lax.js';
import { commonDtype, checkAxes } from './numpy.js';
import { operand } from './np_shared.js';
import { norm as vectorNormOf } from './np_reductions.js';
import { norm, svdvals, eigvalsh } from './linalg_decomp.js';
import { solve, inv, squareArg } from './linalg.js';
import { readOptions, show } from './options.js';
import { AxisError, ShapeError, ValueError, describe } from '../core/errors.js';
import { DType, isComplex, isInexact } from '../core/dtype.js';

const prod = (s: readonly number[]): number => s.reduce((p, d) => p * d, 1);
const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** One axis of a rank-`ndim` array: an integer in [-ndim, ndim), made non-negative. */
function oneAxis(where: string, v: unknown, ndim: number, name: string, dflt = -1): number {
  if (v === undefined) v = dflt;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new AxisError(`${where}: axis must be an integer, got ${show(v)}`);
  if (v < -ndim || v >= ndim) throw new AxisError(`${where}: axis ${v} is out of bounds for ${name} of rank ${ndim}`);
  return v < 0 ? v + ndim : v;
}

export interface MatrixRankOptions {
  /** Singular values at or below tol count as zero (absolute; one per matrix, or one for all). */
  tol?: ArrayInput | null;
  /** Singular values at or below rtol * the largest count as zero (default max(m, n) * eps). */
  rtol?: ArrayInput | null;
  /** M is Hermitian (symmetric if real): |eigvalsh(M)| stand for the singular values (M symmetrized as eigvalsh does; numpy reads its lower triangle). */
  hermitian?: boolean;
}

/**
 * The rank of matrices (numpy.linalg.matrix_rank): the number of singular values above tol,
 * default S.max * max(m, n) * eps; batched over leading axes, an int32 per matrix. A 1-d or 0-d M
 * is rank 1 unless all zero. numpy's meaning of tol (absolute) and rtol (relative to S.max), which
 * cannot both be given; jnp's matrix_rank compares S with its rtol as an absolute tolerance.
 * Options as an object only: the second positional argument is tol in numpy, rtol in jnp.
 */
export function matrixRank(M: ArrayInput, options?: MatrixRankOptions): NDArray {
  const where = 'linalg.matrixRank';
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options) || options instanceof NDArray)) {
    throw new ValueError(`${where}: options must be an object { tol, rtol, hermitian }, got ${show(options)} (a positional tolerance is tol in numpy but rtol in jnp: name it)`);
  }
  const o = readOptions<MatrixRankOptions>(where, options, { tol: 'any', rtol: 'any', hermitian: 'boolean' });
  const tol = o.tol ?? null, rtol = o.rtol ?? null;
  if (tol !== null && rtol !== null) throw new ValueError(`${where}: tol and rtol cannot both be given (numpy's rule), got tol ${show(tol)} and rtol ${show(rtol)}`);
  // (the rank is a count: no derivative flows through it, and the SVD's rule is not traced)
  let a = lax.stopGradient(np.asarray(M, undefined, `${where}: M`));
  if (a.ndim < 2) return np.astype(np.any(np.notEqual(a, 0)), 'int32');
  if (!isInexact(a.dtype)) a = np.astype(a, 'float32'); // (jnp's promote_dtypes_inexact)
  const S = o.hermitian ? np.abs(eigvalsh(squareArg(where, a, 'M'))) : svdvals(a);
  const batch = S._shape.slice(0, -1), k = S._shape[S.ndim - 1];
  const level = (v: ArrayInput, name: string): NDArray | number => {
    if (typeof v === 'number') return v;
    // (checked before the cast to S's dtype, which dropped a complex tol's imaginary part unseen)
    const t0 = np.asarray(v, undefined, `${where}: ${name}`);
    if (isComplex(t0.dtype)) throw new ValueError(`${where}: ${name} must be real, got ${describe(t0._shape, t0.dtype)}`);
    const t = np.astype(t0, S.dtype);
    np.broadcastShapes(where, t._shape, batch); // (one per matrix: numpy's tol[..., newaxis])
    return np.expandDims(t, -1);
  };
  if (k === 0) return np.zeros(batch, { dtype: 'int32' }); // (no singular values: rank 0, numpy's S.max(initial=0))
  let cut: NDArray | number;
  if (tol !== null) cut = level(tol, 'tol');
  else {
    const eps = S.dtype === 'float64' ? 2 ** -52 : 2 ** -23;
    const r = rtol !== null ? level(rtol, 'rtol') : Math.max(a._shape[a.ndim - 2], a._shape[a.ndim - 1]) * eps;
    cut = np.multiply(np.max(S, { axis: -1, keepdims: true }), r);
  }
  return np.sum(np.astype(np.greater(S, cut), 'int32'), { axis: -1 });
}

/**
 * The product of a chain of matrices (jnp.linalg.multi_dot) in the cheapest order, found by the
 * matrix-chain dynamic program (numpy's, ties broken as numpy's). A 1-d first array is a row
 * vector, a 1-d last one a column vector (the result loses that axis); the others must be 2-d,
 * and, as jnp's (not numpy's, whose two-array case is np.dot), so must the ends be 1-d or 2-d.
 * An Array stands for the list of its slices along axis 0.
 */
export function multiDot(arrays: ArrayInput[] | NDArray): NDArray {
  const where = 'linalg.multiDot';
  if (arrays instanceof NDArray && arrays.ndim > 0) arrays = [...arrays];
  if (!Array.isArray(arrays)) throw new ValueError(`${where}: arrays must be a list of arrays, got ${show(arrays)}`);
  if (arrays.length < 2) throw new ValueError(`${where}: needs at least two arrays, got ${arrays.length}`);
  const dt = commonDtype(where, arrays);
  const xs = arrays.map((x, i) => operand(where, i, x, dt));
  const n = xs.length, first = xs[0].ndim, lastNd = xs[n - 1].ndim;
  xs.forEach((x, i) => {
    const ok = i === 0 || i === n - 1 ? x.ndim === 1 || x.ndim === 2 : x.ndim === 2;
    if (!ok) {
      throw new ShapeError(`${where}: array ${i} must be ${i === 0 || i === n - 1 ? '1-d or 2-d (the first and last may be vectors)' : '2-d'}, got ${describe(x._shape, x.dtype)}`);
    }
  });
  if (first === 1) xs[0] = np.reshape(xs[0], [1, xs[0]._shape[0]]);
  if (lastNd === 1) xs[n - 1] = np.reshape(xs[n - 1], [xs[n - 1]._shape[0], 1]);
  for (let i = 0; i + 1 < n; i++) {
    if (xs[i]._shape[1] !== xs[i + 1]._shape[0]) {
      throw new ShapeError(`${where}: arrays ${i} ${describe(xs[i]._shape, xs[i].dtype)} and ${i + 1} ${describe(xs[i + 1]._shape, xs[i + 1].dtype)} do not chain (${xs[i]._shape[1]} != ${xs[i + 1]._shape[0]})`);
    }
  }
  const order = chainOrder(xs.map((x) => x._shape[0]).concat([xs[n - 1]._shape[1]]));
  const product = (i: number, j: number): NDArray => (i === j ? xs[i] : np.matmul(product(i, order[i][j]), product(order[i][j] + 1, j)));
  const r = product(0, n - 1);
  if (first === 1 && lastNd === 1) return np.reshape(r, []);
  if (first === 1 || lastNd === 1) return np.reshape(r, [r.size]);
  return r;
}

/**
 * The matrix-chain order (Cormen 15.2, as numpy's _multi_dot_matrix_chain_order): p the n + 1
 * dimensions; split[i][j] is where the product of matrices i..j divides, the first cheapest.
 */
function chainOrder(p: number[]): number[][] {
  const n = p.length - 1;
  const cost = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const split = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let l = 1; l < n; l++) {
    for (let i = 0; i + l < n; i++) {
      const j = i + l;
      cost[i][j] = Infinity;
      for (let k = i; k < j; k++) {
        const q = cost[i][k] + cost[k + 1][j] + p[i] * p[k + 1] * p[j + 1];
        if (q < cost[i][j]) { cost[i][j] = q; split[i][j] = k; }
      }
    }
  }
  return split;
}

export interface VectorNormOptions {
  /** 2 (default), 1, Infinity, -Infinity, 0 (count of nonzeros) or any p. */
  ord?: number;
  /** The axes the vectors lie along (several: one flattened vector); default all of x. */
  axis?: number | number[] | null;
  keepdims?: boolean;
}

/**
 * Vector norms (numpy.linalg.vector_norm, jnp.linalg.vector_norm): over `axis`, any number of
 * axes taken as one vector (default all of x), never a matrix norm. Real for complex x; integer x
 * computes in float32 (jnp's).
 */
export function vectorNorm(x: ArrayInput, options?: VectorNormOptions): NDArray {
  const where = 'linalg.vectorNorm';
  const o = readOptions<VectorNormOptions>(where, options, { ord: 'any', axis: 'axis', keepdims: 'boolean' });
  const ord = o.ord ?? 2;
  if (typeof ord !== 'number' || Number.isNaN(ord)) throw new ValueError(`${where}: ord must be a number (2, 1, 0, Infinity, -Infinity or any p), got ${show(ord)}`);
  const a = np.asarray(x, undefined, `${where}: x`);
  if (o.axis !== undefined && o.axis !== null) checkAxes(where, o.axis, a.ndim); // (named here, not by np.norm inside)
  return vectorNormOf(a, { ord, axis: o.axis ?? null, keepdims: o.keepdims });
}

export interface MatrixNormOptions {
  /** 'fro' (default), 'nuc', 1, -1, 2, -2, Infinity or -Infinity. */
  ord?: number | 'fro' | 'nuc';
  keepdims?: boolean;
}

const MATRIX_ORDS: unknown[] = ['fro', 'nuc', 1, -1, 2, -2, Infinity, -Infinity];

/**
 * Matrix norms over the last two axes (numpy.linalg.matrix_norm): linalg.norm with axis [-2, -1],
 * ord 'fro' by default. Real for complex x.
 */
export function matrixNorm(x: ArrayInput, options?: MatrixNormOptions): NDArray {
  const where = 'linalg.matrixNorm';
  const o = readOptions<MatrixNormOptions>(where, options, { ord: 'any', keepdims: 'boolean' });
  const ord = o.ord ?? 'fro';
  if (!MATRIX_ORDS.includes(ord)) throw new ValueError(`${where}: invalid matrix norm order ${show(ord)} (use 'fro', 'nuc', 1, -1, 2, -2, Infinity or -Infinity)`);
  const a = np.asarray(x, undefined, `${where}: x`);
  if (a.ndim < 2) throw new ShapeError(`${where}: x must have at least 2 dimensions (a matrix or a batch of them), got ${describe(a._shape, a.dtype)}`);
  return norm(a, { ord, axis: [-2, -1], keepdims: o.keepdims });
}

/**
 * The cross product of 3-vectors along `axis` (default -1) of each input, broadcast
 * (numpy.linalg.cross): unlike np.cross, 2-vectors are refused.
 */
export function cross(x1: ArrayInput, x2: ArrayInput, options?: { axis?: number }): NDArray {
  const where = 'linalg.cross';
  const o = readOptions<{ axis?: number }>(where, options, { axis: 'any' });
  const dt = commonDtype(where, [x1, x2]);
  const a = operand(where, 0, x1, dt), b = operand(where, 1, x2, dt);
  for (const [t, name] of [[a, 'x1'], [b, 'x2']] as const) {
    if (t.ndim === 0) throw new ShapeError(`${where}: ${name} must hold 3-vectors, got a scalar ${describe(t._shape, t.dtype)}`);
    const ax = oneAxis(where, o.axis, t.ndim, name);
    if (t._shape[ax] !== 3) throw new ShapeError(`${where}: ${name} must have 3 components along axis ${o.axis ?? -1}, got ${describe(t._shape, t.dtype)}`);
  }
  const r = np.cross(np.moveaxis(a, oneAxis(where, o.axis, a.ndim, 'x1'), -1), np.moveaxis(b, oneAxis(where, o.axis, b.ndim, 'x2'), -1));
  // (the result's axis: numpy's axisc = axis, of the broadcast result)
  return np.moveaxis(r, -1, oneAxis(where, o.axis, r.ndim, 'the result'));
}

/** The outer product of two 1-d arrays (numpy.linalg.outer: unlike np.outer, nothing is flattened). */
export function outer(x1: ArrayInput, x2: ArrayInput): NDArray {
  const where = 'linalg.outer';
  const dt = commonDtype(where, [x1, x2]);
  const a = operand(where, 0, x1, dt), b = operand(where, 1, x2, dt);
  if (a.ndim !== 1 || b.ndim !== 1) throw new ShapeError(`${where}: x1 and x2 must be 1-d, got ${describe(a._shape, a.dtype)} and ${describe(b._shape, b.dtype)}`);
  return np.outer(a, b);
}

/** The `offset` diagonal of each matrix of x's last two axes (numpy.linalg.diagonal), as a last axis. */
export function diagonal(x: ArrayInput, options?: { offset?: number }): NDArray {
  const where = 'linalg.diagonal';
  const o = readOptions<{ offset?: number }>(where, options, { offset: 'any' });
  const offset = o.offset ?? 0;
  if (!Number.isInteger(offset)) throw new ValueError(`${where}: offset must be an integer, got ${show(offset)}`);
  const a = np.asarray(x, undefined, `${where}: x`);
  if (a.ndim < 2) throw new ShapeError(`${where}: x must have at least 2 dimensions, got ${describe(a._shape, a.dtype)}`);
  return np.diagonal(a, offset, -2, -1);
}

/**
 * The sum of the `offset` diagonal of each matrix of x's last two axes (numpy.linalg.trace), in
 * `dtype` if given (the diagonal cast first). As jnp's: int32 stays int32 (numpy: int64) and bool
 * counts in int32.
 */
export function trace(x: ArrayInput, options?: { offset?: number; dtype?: DType | null }): NDArray {
  const where = 'linalg.trace';
  const o = readOptions<{ offset?: number; dtype?: DType }>(where, options, { offset: 'any', dtype: 'dtype' });
  const offset = o.offset ?? 0;
  if (!Number.isInteger(offset)) throw new ValueError(`${where}: offset must be an integer, got ${show(offset)}`);
  const a = np.asarray(x, undefined, `${where}: x`);
  if (a.ndim < 2) throw new ShapeError(`${where}: x must have at least 2 dimensions, got ${describe(a._shape, a.dtype)}`);
  let d = np.diagonal(a, offset, -2, -1);
  if (o.dtype !== undefined) d = np.astype(d, o.dtype);
  else if (d.dtype === 'bool') d = np.astype(d, 'int32');
  return np.sum(d, { axis: -1 });
}

/**
 * The matrix product (numpy.linalg.matmul, the array API's: np.matmul): batched over leading
 * axes, broadcast; a 1-d operand is a vector. Scalars are refused.
 */
export function matmul(x1: ArrayInput, x2: ArrayInput): NDArray {
  const where = 'linalg.matmul';
  const dt = commonDtype(where, [x1, x2]);
  const a = operand(where, 0, x1, dt), b = operand(where, 1, x2, dt);
  if (a.ndim === 0 || b.ndim === 0) throw new ShapeError(`${where}: x1 and x2 must not be scalars (use np.multiply), got ${describe(a._shape, a.dtype)} and ${describe(b._shape, b.dtype)}`);
  const k = a._shape[a.ndim - 1], kb = b.ndim === 1 ? b._shape[0] : b._shape[b.ndim - 2];
  if (k !== kb) throw new ShapeError(`${where}: x1 ${describe(a._shape, a.dtype)} and x2 ${describe(b._shape, b.dtype)} do not contract (${k} != ${kb})`);
  np.broadcastShapes(where, a._shape.slice(0, -2), b._shape.slice(0, -2));
  return np.matmul(a, b);
}

/**
 * The dot product of vectors along `axis` (default -1) of each input, broadcast over the others
 * (numpy.linalg.vecdot, jnp.linalg.vecdot): sum(conj(x1) x2), x1 conjugated.
 */
export function vecdot(x1: ArrayInput, x2: ArrayInput, options?: { axis?: number }): NDArray {
  const where = 'linalg.vecdot';
  const o = readOptions<{ axis?: number }>(where, options, { axis: 'any' });
  const dt = commonDtype(where, [x1, x2]);
  let a = operand(where, 0, x1, dt), b = operand(where, 1, x2, dt);
  if (a.ndim === 0 || b.ndim === 0) throw new ShapeError(`${where}: x1 and x2 must hold vectors, got ${describe(a._shape, a.dtype)} and ${describe(b._shape, b.dtype)}`);
  const ia = oneAxis(where, o.axis, a.ndim, 'x1'), ib = oneAxis(where, o.axis, b.ndim, 'x2');
  if (a._shape[ia] !== b._shape[ib]) throw new ShapeError(`${where}: x1 ${describe(a._shape, a.dtype)} and x2 ${describe(b._shape, b.dtype)} differ along axis ${o.axis ?? -1} (${a._shape[ia]} != ${b._shape[ib]})`);
  a = np.moveaxis(a, ia, -1); b = np.moveaxis(b, ib, -1);
  np.broadcastShapes(where, a._shape.slice(0, -1), b._shape.slice(0, -1));
  if (isComplex(a.dtype)) a = np.conj(a);
  // [..., 1, n] @ [..., n, 1]: one batched product (bool: an or of ands, as jnp's vdot)
  const r = np.matmul(np.expandDims(a, -2), np.expandDims(b, -1));
  return np.reshape(r, r._shape.slice(0, -2));
}

/** Swaps the last two axes (numpy.linalg.matrix_transpose); no conjugation. */
export function matrixTranspose(x: ArrayInput): NDArray {
  const where = 'linalg.matrixTranspose';
  const a = np.asarray(x, undefined, `${where}: x`);
  if (a.ndim < 2) throw new ShapeError(`${where}: x must have at least 2 dimensions, got ${describe(a._shape, a.dtype)}`);
  return np.swapaxes(a, -1, -2);
}

/** np.tensordot (numpy.linalg.tensordot, the array API's spelling): axes = N or a pair of axis lists, default 2. */
export const tensordot = np.tensordot;

/**
 * Solves tensordot(a, x, x.ndim) = b for x (numpy.linalg.tensorsolve): x's shape is
 * a.shape[b.ndim:], after `axes` of a are moved to the end (in their order). As jnp's, a's leading
 * axes must equal b's shape (numpy asks only for equal sizes).
 */
export function tensorsolve(a: ArrayInput, b: ArrayInput, options?: { axes?: number[] | null } | number[] | null): NDArray {
  const where = 'linalg.tensorsolve';
  const o = readOptions<{ axes?: number[] | null }>(where, options === null ? undefined : options, { axes: 'any' }, 'axes');
  const dt = commonDtype(where, [a, b]);
  let A = operand(where, 0, a, dt);
  const B = operand(where, 1, b, dt);
  if (o.axes !== undefined && o.axes !== null) {
    if (!Array.isArray(o.axes)) throw new AxisError(`${where}: axes must be a list of axes of a, got ${show(o.axes)}`);
    const ax = o.axes.map((v) => oneAxis(where, v, A.ndim, 'a'));
    if (new Set(ax).size !== ax.length) throw new AxisError(`${where}: axes ${show(o.axes)} repeat an axis`);
    A = np.moveaxis(A, ax, ax.map((_, i) => A.ndim - ax.length + i));
  }
  const lead = A._shape.slice(0, B.ndim), outShape = A._shape.slice(B.ndim);
  if (B.ndim > A.ndim || !sameShape(lead, B._shape)) {
    throw new ShapeError(`${where}: b's shape must match a's leading axes (jnp's rule), got a ${describe(A._shape, A.dtype)} and b ${describe(B._shape, B.dtype)}`);
  }
  if (prod(outShape) !== B.size) {
    throw new ShapeError(`${where}: a's trailing axes [${outShape}] must hold as many entries as b (${B.size}), got a ${describe(A._shape, A.dtype)}`);
  }
  return np.reshape(solve(np.reshape(A, [B.size, B.size]), np.reshape(B, [B.size])), outShape);
}

/**
 * The inverse of a with respect to tensordot(., ., ind) (numpy.linalg.tensorinv): its first `ind`
 * axes (default 2) against the rest, whose sizes' products must be equal (jnp's check); the result
 * has the rest's axes, then the first ind.
 */
export function tensorinv(a: ArrayInput, options?: { ind?: number } | number): NDArray {
  const where = 'linalg.tensorinv';
  const o = readOptions<{ ind?: number }>(where, options, { ind: 'any' }, 'ind');
  const ind = o.ind ?? 2;
  if (typeof ind !== 'number' || !Number.isInteger(ind) || ind <= 0) throw new ValueError(`${where}: ind must be a positive integer, got ${show(ind)}`);
  const A = np.asarray(a, undefined, `${where}: a`);
  const head = A._shape.slice(0, ind), rest = A._shape.slice(ind);
  if (prod(head) !== prod(rest)) {
    throw new ShapeError(`${where}: the product of a's first ${ind} axes [${head}] must equal that of the others [${rest}], got a ${describe(A._shape, A.dtype)}`);
  }
  return np.reshape(inv(np.reshape(A, [prod(head), prod(rest)])), [...rest, ...head]);
}
