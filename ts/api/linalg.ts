// linalg: differentiable linear algebra on batches of matrices (leading axes are batch axes),
// float32 and float64, and complex64 / complex128 for cholesky, triangularSolve and the LU family.
// Built on the lax.linalg primitives (cholesky, triangular_solve, lu, det), whose JVP rules are
// JAX's closed forms; reverse mode comes from transposing them (never conjugating, as JAX).
import { NDArray, ArrayInput } from './array.js';
import { bind, bindMulti } from './bind.js';
import * as np from './numpy.js';
import { ShapeError, TracerError, ValueError, describe } from '../core/errors.js';
import { atMost, readOptions } from './options.js';
import { composite } from './np_shared.js';
import { named, type Named } from './tree.js';
import * as lax from './lax.js';
import { inTrace, rowFlags, VIEW, HAS_VALUE } from '../core/trace.js';
import { customJvp } from './custom.js';
import { jvp } from './transforms/jvp.js';
import { svd } from './linalg_decomp.js';
import { DType, isComplex, isInexact, promoteFloat } from '../core/dtype.js';

/** A matrix (or batch) argument of every linalg function: float32, float64, complex64 or complex128. */
/**
 * A JS list b in a's float dtype (as the elementwise ops read JS values beside an Array): without
 * it a list beside a float64 matrix was read as float32 first. Arrays keep their own dtype.
 */
export function listHint(b: unknown, a: NDArray): DType | undefined {
  return b instanceof NDArray || !isInexact(a.dtype) ? undefined : a.dtype;
}

/**
 * The other way round: a JS list a in b's float dtype when b is an Array (solve([[0.1, 0], [0, 1]],
 * float64 b) read a as float32 first, and x[0] was 0.999999985098839 for 1).
 */
export function matrixHint(a: unknown, b: unknown): DType | undefined {
  return a instanceof NDArray || !(b instanceof NDArray) || !isInexact(b.dtype) ? undefined : b.dtype;
}

export function matrixArg(where: string, x: ArrayInput, name = 'a', keepInts = false, hint?: DType): NDArray {
  let a = np.asarray(x, hint, `${where}: ${name}`);
  // int32, uint32 and bool matrices compute in float32, as jnp.linalg promotes them (promote_dtypes_inexact);
  // keepInts keeps them (matrixPower's products: bool ones are or-of-ands, as numpy's and jnp's)
  if (!isInexact(a.dtype) && !keepInts) a = np.astype(a, 'float32');
  if (a.ndim < 2) throw new ShapeError(`${where}: ${name} must have at least 2 dimensions (a matrix or a batch of them), got ${describe(a._shape, a.dtype)}`);
  return a;
}

/** A square matrix (or batch) argument (int32, uint32 and bool kept with `keepInts`: matrixPower's products). */
export function squareArg(where: string, x: ArrayInput, name = 'a', keepInts = false, hint?: DType): NDArray {
  const a = matrixArg(where, x, name, keepInts, hint);
  const n = a._shape[a.ndim - 1];
  if (a._shape[a.ndim - 2] !== n) throw new ShapeError(`${where}: ${name} must be square in its last two axes, got ${describe(a._shape, a.dtype)}`);
  return a;
}

function swapLast(a: NDArray): NDArray {
  const perm = [...Array(a.ndim).keys()];
  [perm[a.ndim - 2], perm[a.ndim - 1]] = [perm[a.ndim - 1], perm[a.ndim - 2]];
  return np.transpose(a, perm);
}

/**
 * Lower Cholesky factor L (L L^T = A) of symmetric positive-definite matrices. As JAX, the input
 * is symmetrized first ((A + A^T) / 2), which shapes the gradient; a matrix that is not positive
 * definite gives NaNs (JAX's behaviour), not an error.
 */
export function cholesky(a: ArrayInput, options?: { upper?: boolean }): NDArray {
  atMost('linalg.cholesky', arguments.length, 2);
  const o = readOptions<{ upper?: boolean }>('linalg.cholesky', options, { upper: 'boolean' });
  const x = squareArg('linalg.cholesky', a);
  // Complex: Hermitian, (A + A^H) / 2 (JAX's symmetrize), and L L^H = A.
  const xh = isComplex(x.dtype) ? np.conj(swapLast(x)) : swapLast(x);
  // (A + A^H) / 2 overflowed where two entries sum past the largest float: [[1e308, 5e307],
  // [5e307, 1e308]] gave L all inf and choSolve x = [0, 0] (numpy: L11 = 1e154). There the halves
  // are summed (exact at that size); elsewhere the same bits as before (halving first would round
  // subnormals: diag(5e-324) gave L = 0).
  const s = np.add(x, xh);
  const sym = np.where(np.isfinite(s), np.multiply(s, 0.5), np.add(np.multiply(x, 0.5), np.multiply(xh, 0.5)));
  const L = bind('cholesky', [sym]);
  // numpy 2 and jnp's upper=True: U = L^H, with U^H U = A
  return o.upper ? (isComplex(L.dtype) ? np.conj(swapLast(L)) : swapLast(L)) : L;
}

export interface TriangularSolveOptions {
  /** Solve op(a) x = b (true, the default) or x op(a) = b. */
  leftSide?: boolean;
  /** a is lower triangular (default true); the other triangle is never read. */
  lower?: boolean;
  /** op(a) = a^T instead of a (default false). */
  transposeA?: boolean;
  /** a's diagonal is taken as ones (default false). */
  unitDiagonal?: boolean;
  /** op(a) conjugated too (JAX's conjugate_a; with transposeA, a^H). Default false. */
  conjugateA?: boolean;
}

/**
 * Solves triangular systems (JAX's lax.linalg.triangular_solve, with defaults for the common
 * case: left side, lower). b: [..., m, k] for the left side, [..., k, m] for the right; a 1-d b
 * is a single right-hand side. Leading axes must match.
 */
export function triangularSolve(a: ArrayInput, b: ArrayInput, options?: TriangularSolveOptions): NDArray {
  const where = 'linalg.triangularSolve';
  const o = readOptions<TriangularSolveOptions>(where, options,
    { leftSide: 'boolean', lower: 'boolean', transposeA: 'boolean', unitDiagonal: 'boolean', conjugateA: 'boolean' });
  const A = squareArg(where, a, 'a', false, matrixHint(a, b));
  if (o.lower === undefined) refuseUpperWithDefaultLower(where, A);
  let B = np.asarray(b, listHint(b, A), `${where}: b`);
  const left = o.leftSide ?? true;
  const vector = B.ndim === 1, given = B._shape; // (the error names b as given, not as [m, 1])
  if (vector) B = np.reshape(B, left ? [B._shape[0], 1] : [1, B._shape[0]]);
  const wide = A.dtype === 'float64' || B.dtype === 'float64' || A.dtype === 'complex128' || B.dtype === 'complex128';
  const cx = isComplex(A.dtype) || isComplex(B.dtype);
  const dt = cx ? (wide ? 'complex128' : 'complex64') : wide ? 'float64' : 'float32';
  const x = bind('triangular_solve', [np.astype(A, dt), np.astype(B, dt)],
    // (conjugateA only for complex: on real a it is a no-op, as JAX's, whose derivative rule would conj a real matrix)
    [left ? 1 : 0, (o.lower ?? true) ? 1 : 0, o.transposeA ? 1 : 0, o.unitDiagonal ? 1 : 0, ...(o.conjugateA && cx ? [1] : [])],
    () => `${where}: a ${describe(A._shape, A.dtype)} and b ${describe(given, B.dtype)} do not fit (${left ? 'a x = b: b [..., m, k] or [m]' : 'x a = b: b [..., k, m] or [m]'}, equal leading axes)`);
  return vector ? np.reshape(x, [x.size]) : x;
}

/**
 * `lower` defaults to true here, to false in JAX's solve_triangular: an upper triangular `a` (zeros
 * below the diagonal, not above) with the default would solve with its diagonal alone, silently.
 * Refused when the values show it; where they cannot be read (under jit, or batched by vmap) the
 * default is refused instead: a traced upper triangular `a` was solved by its diagonal, silently.
 * An explicit `lower` is obeyed as given.
 */
/**
 * Whether some matrix of A (values v) has nonzeros off its diagonal on the `side` triangle only:
 * a triangular matrix that a solve told the other triangle would read as diagonal.
 */
export function oneTriangleOnly(A: NDArray, v: ArrayLike<number>, side: 'upper' | 'lower'): boolean {
  const n = A._shape[A.ndim - 1], per = isComplex(A.dtype) ? 2 : 1;
  for (let m = 0; m < A.size; m += n * n) {
    let below = false, above = false;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const k = (m + i * n + j) * per;
        const nz = v[k] !== 0 || (per === 2 && v[k + 1] !== 0);
        if (nz && i > j) below = true;
        if (nz && i < j) above = true;
      }
    }
    if (side === 'upper' ? above && !below : below && !above) return true;
  }
  return false;
}

function refuseUpperWithDefaultLower(where: string, A: NDArray): void {
  let v: ArrayLike<number>;
  try { v = A._values(where); } catch (e) {
    if (!(e instanceof TracerError)) throw e;
    throw new ValueError(`${where}: under jit (or on a matrix vmap batches) which triangle a ${describe(A._shape, A.dtype)} holds cannot ` +
      'be checked, and lower defaults to true here (JAX\'s solve_triangular defaults to lower=False): pass { lower: true } or { lower: false }');
  }
  if (oneTriangleOnly(A, v, 'upper')) {
    throw new ValueError(`${where}: a ${describe(A._shape, A.dtype)} is upper triangular, but lower defaults to true here ` +
      '(JAX\'s solve_triangular defaults to lower=False), so only its diagonal would be used; pass { lower: false } to solve with it, ' +
      'or { lower: true } to use its lower triangle');
  }
}

/** The packed LU factors of square matrices: { lu, perm, P, parity } with P A = L U. */
function luFactors(where: string, a: ArrayInput): { lu: NDArray; perm: NDArray; P: NDArray; parity: NDArray; A: NDArray } {
  const A = squareArg(where, a);
  const [lu, perm, P, parity] = bindMulti('lu', [A]);
  return { lu, perm, P, parity, A };
}

/** eye(n) broadcast like the batch of `like`, in its dtype. */
function eyeLike(like: NDArray): NDArray {
  const n = like._shape[like.ndim - 1];
  return np.broadcastTo(np.eye(n, { dtype: like.dtype }), like.shape);
}

/**
 * LU decomposition with partial pivoting, as jax.scipy.linalg.lu: [P, L, U] with A = P L U
 * (L unit lower triangular, U upper triangular). Differentiable in A (JAX's rule).
 */
export function lu(a: ArrayInput): [NDArray, NDArray, NDArray] {
  const f = luFactors('linalg.lu', a);
  const I = eyeLike(f.lu);
  const L = np.add(np.multiply(f.lu, lowerMask(f.lu, false)), I);
  const U = np.multiply(f.lu, upperMask(f.lu));
  return [swapLast(f.P), L, U];
}

/** A 0/1 [n, n] matrix in like's (real) precision: the strict lower triangle (with its diagonal if asked), or the upper one with its diagonal. */
function triangleMask(like: NDArray, part: 'lower' | 'lowerDiag' | 'upper'): NDArray {
  const n = like._shape[like.ndim - 1];
  const data = like.dtype === 'float64' || like.dtype === 'complex128' ? new Float64Array(n * n) : new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    if (part === 'upper') data.fill(1, i * n + i, i * n + n);
    else data.fill(1, i * n, i * n + (part === 'lowerDiag' ? i + 1 : i));
  }
  return np.array(data, { shape: [n, n] });
}
const lowerMask = (like: NDArray, withDiag: boolean) => triangleMask(like, withDiag ? 'lowerDiag' : 'lower');
const upperMask = (like: NDArray) => triangleMask(like, 'upper');

/**
 * Solves A x = b for square A (numpy.linalg.solve): b is [..., n, k], or a vector [n] (then x is
 * too). Through the LU factors; a singular A gives infinities or NaNs, never a trap. a and b are
 * promoted together, as jnp.linalg.solve: float32 with float64 is float64, complex64 with float64
 * is complex128.
 */
export function solve(a: ArrayInput, b: ArrayInput): NDArray {
  const where = 'linalg.solve';
  atMost(where, arguments.length, 2);
  const A0 = squareArg(where, a, 'a', false, matrixHint(a, b));
  const B0 = np.asarray(b, listHint(b, A0), `${where}: b`);
  let B = B0;
  const vector = B.ndim === 1;
  if (vector) B = np.reshape(B, [B._shape[0], 1]);
  const n = A0._shape[A0.ndim - 1];
  if (B.ndim < 2 || B._shape[B.ndim - 2] !== n) {
    throw new ShapeError(`${where}: b ${describe(B0._shape, B0.dtype)} does not match a ${describe(A0._shape, A0.dtype)} (b must be [..., ${n}, k] or [${n}])`);
  }
  // The batch axes broadcast (numpy 2, jnp): the factors of one a serve every b, and the reverse.
  const batch = np.broadcastShapes(where, A0._shape.slice(0, -2), B._shape.slice(0, -2));
  const k = B._shape[B.ndim - 1];
  const fit = (m: NDArray, cols: number) => (m.ndim === batch.length + 2 && m._shape.every((d, i) => i >= batch.length || d === batch[i]) ? m : np.broadcastTo(m, [...batch, n, cols]));
  // one tape at top level: the factors are never made concrete (copied out of the arena)
  return composite(() => {
    const f = luFactors(where, np.astype(A0, promoteFloat([A0.dtype, B.dtype])));
    const perm = np.broadcastTo(f.perm, [...batch, n]);
    // P A and P b by gathering rows (a product with P costs n^2 k multiply-adds: n^3 for inv);
    // lu_solve reads A's derivative from P A (JAX's custom_linear_solve).
    const pa = rowsBy(fit(f.A, n), perm), lu = fit(f.lu, n), pb = rowsBy(fit(np.astype(B, f.lu.dtype), k), perm);
    const x = bind('lu_solve', [pa, lu, pb], [0], () => `${where}: a and b do not fit`);
    return vector ? np.reshape(x, x._shape.slice(0, -1)) : x;
  });
}

/**
 * The rows of x [..., n, k] in the order p [..., n] gives (int32 row numbers in [0, n)): one take
 * of whole rows from x seen as [batch * n, k] (takeAlongAxis builds an index per element).
 */
export function rowsBy(x: NDArray, p: NDArray): NDArray {
  const n = x._shape[x.ndim - 2], k = x._shape[x.ndim - 1], batch = x._shape.slice(0, -2).reduce((a, b) => a * b, 1);
  if (x.size === 0) return x; // (no rows to move: a 0 x 0 matrix, an empty batch or b)
  const rows = batch === 1 ? np.reshape(p, [n])
    : np.reshape(np.add(p, np.reshape(np.multiply(np.arange(batch, { dtype: 'int32' }), n), [...p.shape.slice(0, -1), 1])), [-1]);
  return np.reshape(np.take(np.reshape(x, [batch * n, k]), rows, { axis: 0, mode: 'clip' }), x.shape);
}

/** The inverse of square matrices (numpy.linalg.inv), through the LU factors. */
export function inv(a: ArrayInput): NDArray {
  atMost('linalg.inv', arguments.length, 1);
  const A = squareArg('linalg.inv', a);
  return solve(A, eyeLike(A));
}

/** The diagonal of U, [..., n], from the packed factors. */
function uDiagonal(lu: NDArray): NDArray {
  return np.sum(np.multiply(lu, np.eye(lu._shape[lu.ndim - 1], { dtype: lu.dtype })), { axis: -1 });
}

/**
 * [sign, logabsdet] of square matrices (numpy.linalg.slogdet): det = sign * exp(logabsdet).
 * A singular matrix gives sign 0 and logabsdet -inf. Complex: sign is a unit-modulus complex
 * (parity times the product of u_ii / |u_ii|) and logabsdet is real, as numpy and JAX; composed
 * from lu's JVP, the derivatives are JAX's _slogdet_jvp (d logabsdet = re tr(A^-1 dA),
 * d sign = i im tr(A^-1 dA) sign).
 */
export function slogdet(a: ArrayInput): Named<[NDArray, NDArray], 'sign' | 'logabsdet'> {
  atMost('linalg.slogdet', arguments.length, 1);
  const f = luFactors('linalg.slogdet', a);
  const d = uDiagonal(f.lu);
  const cx = isComplex(d.dtype);
  const mag = np.abs(d);
  const zero = np.equal(d, 0);
  // complex: u_ii / |u_ii| (the zero pivot divided by 1, then masked: no 0 / 0 in the gradient)
  // real: -1 below 0, 0 at 0, else 1 (a NaN pivot counts as positive, as JAX's parity count and
  // LAPACK's: the sign of a NaN determinant is still the permutation's, its log|det| NaN)
  const s = cx ? np.divide(d, np.where(zero, 1, mag)) : np.where(np.less(d, 0), -1, np.where(zero, 0, 1));
  let sign = f.parity;
  // (a 0 x 0 matrix: no pivots, sign 1 and log|det| 0, as det = 1)
  if (s._shape[s.ndim - 1] > 0) for (const piece of np.split(s, s._shape[s.ndim - 1], { axis: -1 })) sign = np.multiply(sign, np.reshape(piece, sign.shape));
  if (cx) sign = np.where(np.any(zero, { axis: -1 }), 0, sign);
  return named([np.add(sign, 0), np.sum(np.log(mag), { axis: -1 })] as [NDArray, NDArray], ['sign', 'logabsdet']); // +0, not -0, for a singular matrix
}

export { named, type Named } from './tree.js';

/**
 * Determinants of square matrices. 1x1, 2x2 and 3x3: the polynomial itself (a d - b c and the
 * cofactor expansion, as jnp's _det_2x2 / _det_3x3), so every derivative is exact, singular
 * matrices included. Larger: the value through the LU factors; the derivatives the det primitive's
 * rule (JAX's cofactor solve) where LU's pivots are not small, else the SVD frame's (detAnyRank):
 * exact at every order down to
 * rank n - 3, at every rank for the gradient and second derivatives. (JAX's cofactor solve gives 0
 * for the gradient at a rank n - 1 matrix whose zero pivot is not last, diag(0, 1, 1, 1).)
 *
 * 2x2 and 3x3 rows whose largest entry is far from 1 are scaled by powers of two (exact) first,
 * so the polynomial's products overflow or underflow only where the determinant does:
 * det([[1e200, 1e200], [1e200, 1e200]]) was inf - inf = NaN (numpy: 0), det(diag(1e200, 1e-170,
 * 1e-170)) 0 (numpy: 1e-140), float32 det([[1e20, 1e20], [1e20, 1e20]]) NaN. See scaledDet.
 */
export function det(a: ArrayInput): NDArray {
  atMost('linalg.det', arguments.length, 1);
  const m = squareArg('linalg.det', a);
  const n = m._shape[m.ndim - 1];
  if (n === 0) return np.add(np.sum(m, { axis: [-2, -1] }), 1); // 1, with the (empty) derivative its input has
  if (n === 1) return m.get('...', 0, 0);
  if (n <= 3) {
    // Outside any transform (read before composite opens its scope) no derivative is carried, and
    // where no row needs scaling the polynomial as it is (the bits the scaled form gives, in fewer
    // ops). In a transform always the scaled form: eager grad, jit and vmap round alike.
    const valueOnly = !inTrace();
    const plain = valueOnly && ordinaryRows(m);
    return composite(() => (plain ? unit(detPolynomial(m)) : scaledDet(m, valueOnly)));
  }
  // n >= 4: the LU kernel multiplies the pivots in the matrix's precision (float64: no wider
  // accumulator) and the cofactor-solve derivative multiplies n - 1 of them, so a badly scaled
  // matrix gave a silently wrong 0 / inf: float64 det(diag(1e-200, 1e-200, 1e200, 1e200)) was 0
  // (numpy, JAX: 1), its gradient all zeros (exact: diag(1e200, 1e200, 1e-200, 1e-200)). Rows far
  // from 1 are scaled by powers of two first (exact), as scaledDet's; ordinary rows are left alone
  // (the same bits). Eagerly, a matrix with no row to scale takes the kernel as it is.
  const t = rowScaleFrom(m.dtype, n);
  if (!inTrace() && ordinaryRows(m, t)) return bind('det', [m]);
  return composite(() => rowScaledDet(m, t));
}

/** n >= 4: rows are scaled past 2^+-t, t such that n pivots' product (and the JVP's n - 1) stays in range. */
const rowScaleFrom = (dt: DType, n: number) => Math.max(8, Math.floor((dt === 'float32' || dt === 'complex64' ? 120 : 960) / n));

/**
 * det(A) = det(B) 2^E, B = A with row i scaled by 2^-e_i (e_i from its largest |entry|, a constant
 * to the derivatives; 0 for rows within 2^+-t, or holding an inf or NaN), E = sum e_i; 2^-e_i in two
 * factors and 2^E in n + 2 (neither over- nor underflows before the result does). The derivatives
 * are det's on B, scaled back by the same constants.
 */
function rowScaledDet(m: NDArray, t: number): NDArray {
  const n = m._shape[m.ndim - 1], a0 = lax.stopGradient(m);
  const mag = isComplex(m.dtype) ? np.maximum(np.abs(np.real(a0)), np.abs(np.imag(a0))) : np.abs(a0);
  const big = np.max(mag, { axis: -1, keepdims: true }); // [..., n, 1]
  const usable = np.logicalAnd(np.greater(big, 0), np.isfinite(big));
  const e = np.where(usable, np.floor(np.log2(np.where(usable, big, 1))), 0);
  const ex = np.subtract(e, np.clip(e, -t, t));
  // then columns of the row-scaled values past 2^+-t likewise, exponents in log2 and one scaling by
  // 2^-(ex_i + cx_j) in four pieces (no entry underflows between the two): with rows alone a matrix
  // with columns of 1e-100..1e100 (6x6; float32 1e-30..1e30 from 4x4) had LU pivots past range, det
  // 0 for 0.42 and its gradient NaN
  const pos = np.logicalAnd(np.greater(mag, 0), np.isfinite(mag));
  const cm = np.max(np.subtract(np.where(pos, np.log2(np.where(pos, mag, 1)), -Infinity), ex), { axis: -2, keepdims: true });
  const ce = np.where(np.isfinite(cm), np.floor(cm), 0);
  const cx = np.subtract(ce, np.clip(ce, -t, t)); // [..., 1, n]
  const B = timesPow2(m, np.negative(np.add(ex, cx)), 4);
  const E = np.add(np.sum(ex, { axis: [-2, -1] }), np.sum(cx, { axis: [-2, -1] }));
  return timesPow2(detAnyRank(B), E, 2 * n + 2);
}

/**
 * The det primitive (LU) with derivatives right at every rank (n >= 4). The primitive's own rule is
 * JAX's cofactor solve: its gradient at a matrix of rank n - 1 is 0 unless LU's zero pivot comes last
 * (grad det(diag(0, 1, 1, 1)) was 0 for diag(1, 0, 0, 0)), 0 at lower ranks, and its second
 * derivative at a singular matrix NaN or 0. This rule differentiates detBySvdFrame instead, whose
 * derivatives of every order are the determinant polynomial's at any matrix of rank >= n - 3.
 * A custom rule, so that only a derivative pays for the SVD (jit(det) runs the LU alone).
 */
const detAnyRank: (a: NDArray) => NDArray = customJvp((a: NDArray) => bind('det', [a]), (primals: NDArray[], tangents: NDArray[]) => {
  const [a] = primals, [da] = tangents;
  // The LU rule is cheaper and right where no pivot is small; near a singular matrix its higher
  // derivatives lose digits (the third derivative of det at a 4x4 of rank 2 whose smallest pivot is
  // 1e-12 of the largest was 1e-3 off, at 1e-6 1e-9 off) and at an exact one they are wrong. So the
  // SVD frame wherever a matrix of the batch has a pivot below 2^-16 of its largest (float32 2^-8). A
  // concrete predicate runs one branch; under jit or vmap both run and one is selected per matrix.
  // (rows, then columns, scaled to a largest |entry| near 1 first: a graded matrix far from
  // singular, rows or columns of 1e72 and 1e-72, has pivots as graded and keeps the LU rule, which
  // is accurate there; columns too: a nonsingular 4x4 with columns of 1e-100..1e100 went to the SVD
  // frame, whose row-scaled copy had det 1e-400, and its gradient was all NaN)
  // (eagerly A's own pivots first: most matrices pass there, and the balanced test costs ~20 ops)
  const small = 2 ** (a.dtype === 'float32' || a.dtype === 'complex64' ? -8 : -16);
  const smallPivot = (m: NDArray) => {
    const u = np.abs(uDiagonal(bindMulti('lu', [m])[0])); // [..., n]
    return np.any(np.logicalNot(np.greater(np.min(u, { axis: -1 }), np.multiply(np.max(u, { axis: -1 }), small))));
  };
  // (a small pivot in both tests: where a is abstract both are computed, so jit picks as eagerly)
  const a0 = lax.stopGradient(a), plain = smallPivot(a0);
  const singular = knownBool(plain) === false ? plain : np.logicalAnd(plain, smallPivot(balanced(a0)[0]));
  const bySvd = (x: NDArray, dx: NDArray) => jvp(detBySvdFrame, [x], [dx])[1] as NDArray;
  // the primitive's own rule (JAX's cofactor solve), right at a nonsingular matrix to every order
  const byLu = (x: NDArray, dx: NDArray) => jvp((y: NDArray) => bind('det', [y]), [x], [dx])[1] as NDArray;
  const known = knownBool(singular);
  // (both: the LU side reads I for a singular matrix, so that no inf from its solve meets the zero
  // cotangent a reverse pass gives the side not selected; the SVD side reads I for a nonsingular
  // one, whose SVD is one sweep of the kernel: jit(grad(det)) of a 128x128 took 25 ms with the
  // SVD of A itself, ~1.5 without the SVD side)
  const both = () => np.where(singular, bySvd(np.where(singular, a, eyeLike(a)), da), byLu(np.where(singular, eyeLike(a), a), da));
  const tangent = known === true ? bySvd(a, da) : known === false ? byLu(a, da) : both();
  return [detAnyRank(a), tangent];
}) as unknown as (a: NDArray) => NDArray;

/** A bool scalar's value where it has one (a concrete tracer too); null under jit or vmap. */
function knownBool(x: NDArray): boolean | null {
  if (x.isTracer && (rowFlags(x._rowIn('linalg.det')) & (VIEW | HAS_VALUE)) !== HAS_VALUE) return null;
  return x._values('linalg.det')[0] !== 0;
}

/**
 * Zero, with the derivatives of det(A0 + D) at D = 0, A0 = A's values (constant) and D = A - A0
 * (zero, carrying A's derivatives). With A0 = U S V^H (an SVD of the constant: nothing is
 * differentiated through it), det(A0 + D) = c det(S + E), c = det(U) det(V^H) (+-1, or of modulus 1),
 * E = U^H D V. Split S + E at r = n - 3 into [[K, E_NZ], [E_ZN, S_Z + E_ZZ]], K = S_N + E_NN: by the
 * Schur complement det(S + E) = det(K) det(M), M = S_Z + E_ZZ - E_ZN K^-1 E_NZ. K's value is
 * diag(s_1..s_r), invertible unless the rank is below n - 3, so det(K) (the LU rule) and K^-1 are
 * differentiable to every order there; M is 3x3, its det the polynomial itself (exact at M's value
 * diag(s_{n-2}, s_{n-1}, s_n), zeros included). Products of singular values, no division by a small
 * one: near-singular matrices stay accurate too. At rank < n - 3 (the 4th and higher derivatives
 * there are not all zero) the derivatives are 0: K's values are replaced by I first, so no NaN
 * from its inverse reaches a reverse pass.
 */
function detBySvdFrame(x: NDArray): NDArray {
  const sg = lax.stopGradient, n = x._shape[x.ndim - 1], r = n - 3, rowAx = x.ndim - 2, colAx = x.ndim - 1;
  const cx = isComplex(x.dtype), rdt = realOfDtype(x.dtype);
  // det(x) = det(a) 2^up, a = x with rows and columns scaled by powers of two (exact, constant
  // factors; see balanced): the SVD's small singular values are accurate for graded columns
  // (one-sided Jacobi), not for graded rows, and with rows alone scaled graded columns underflowed
  // (columns of 1e-100..1e100: det(a) = 1e-400, the derivatives 0 * inf = NaN)
  const [a, up] = balanced(x);
  const a0 = sg(a), d = np.subtract(a, a0);
  const [U, s, Vh] = svd(a0);
  const H = (m: NDArray) => (cx ? np.conj(swapLast(m)) : swapLast(m));
  const E = np.matmul(np.matmul(H(U), d), H(Vh));
  const c0 = np.multiply(bind('det', [U]), bind('det', [Vh]));
  const c = cx ? np.divide(c0, np.abs(c0)) : np.sign(c0);
  const [Etop, Ebot] = lax.split(E, [r, 3], rowAx);
  const [ENN, ENZ] = lax.split(Etop, [r, 3], colAx);
  const [EZN, EZZ] = lax.split(Ebot, [r, 3], colAx);
  const [sN, sZ] = lax.split(s, [r, 3], s.ndim - 1);
  const smallestN = np.reshape(lax.split(sN, [r - 1, 1], s.ndim - 1)[1], s._shape.slice(0, -1));
  // K's values are s_1..s_r; s_r at or below 2^-256 s_1 (float32 2^-40) is taken as 0 (rank < n - 3):
  // the SVD leaves such noise at an exactly singular matrix (3e-307 at a 6x6 of rank 1, 1e-15 at a
  // float32 one), and K^-1's powers of 1/s_r overflowed against det(K)'s underflow: 0 * inf = NaN
  // for the second derivative at rank n - 5, the third at float32 rank n - 4 (a balanced a has s_1
  // in [1, 2n]; a matrix within 2^-256 of rank n - 4 has its first three derivatives below that)
  const tiny = 2 ** (rdt === 'float32' ? -40 : -256);
  const largest = np.reshape(lax.split(s, [1, n - 1], s.ndim - 1)[0], s._shape.slice(0, -1));
  const ok = np.greater(smallestN, np.multiply(largest, tiny)); // [...]
  const diag = (v: NDArray, k: number) => np.multiply(np.expandDims(v, -1), np.eye(k, { dtype: rdt }));
  const K = np.add(ENN, diag(np.where(np.expandDims(ok, -1), sN, 1), r));
  const M = np.subtract(np.add(EZZ, diag(sZ, 3)), np.matmul(EZN, solve(K, ENZ)));
  // (M's value is diag(s_Z), at most 2n after balancing: the polynomial neither overflows nor needs scaledDet's range care)
  const T = np.where(ok, np.multiply(np.multiply(c, bind('det', [K])), unit(detPolynomial(M))), 0);
  return timesPow2(np.subtract(T, sg(T)), up, 2 * n + 2); // zero, with det's derivatives (only its tangent is used)
}

/**
 * [a, e]: a = 2^-(r_i + c_j) x_ij, 2^r_i row i's largest |entry| rounded down, then 2^c_j column j's
 * of the row-scaled matrix (0 for a zero or non-finite row or column; a constant to the
 * derivatives), and e = sum r_i + sum c_j ([...]): det(x) = det(a) 2^e. Exponents in log2 and one
 * scaling by 2^-(r_i + c_j) in four pieces: no entry underflows between the two (rows of 1e300
 * beside columns of 1e-300).
 */
function balanced(x: NDArray): [NDArray, NDArray] {
  const x0 = lax.stopGradient(x);
  const mag = isComplex(x.dtype) ? np.maximum(np.abs(np.real(x0)), np.abs(np.imag(x0))) : np.abs(x0);
  const pos = np.logicalAnd(np.greater(mag, 0), np.isfinite(mag));
  const lg = np.where(pos, np.log2(np.where(pos, mag, 1)), -Infinity); // -inf for 0, inf or NaN
  const exp = (m: NDArray) => np.where(np.isfinite(m), np.floor(m), 0);
  const r = exp(np.max(lg, { axis: -1, keepdims: true })); // [..., n, 1]
  const c = exp(np.max(np.subtract(lg, r), { axis: -2, keepdims: true })); // [..., 1, n]
  const e = np.add(np.sum(r, { axis: [-2, -1] }), np.sum(c, { axis: [-2, -1] }));
  return [timesPow2(x, np.negative(np.add(r, c)), 4), e];
}

/** Rows are scaled when their largest |entry| is 2^e with |e| past this (products of three stay within 2^+-771, float32 2^+-99). */
const detScaleFrom = (dt: DType) => (dt === 'float32' || dt === 'complex64' ? 32 : 256);

/**
 * Whether every matrix of a concrete m either holds an inf or NaN (the polynomial as it stands) or
 * has no row to scale (each row's largest |entry| 0 or within 2^+-detScaleFrom).
 */
function ordinaryRows(m: NDArray, t = detScaleFrom(m.dtype)): boolean {
  const v = m._values('linalg.det');
  const n = m._shape[m.ndim - 1], per = isComplex(m.dtype) ? 2 : 1;
  const lo = 2 ** -t, hi = 2 ** (t + 1), row = n * per;
  for (let k = 0; k < v.length; k += n * row) {
    let far = false, finite = true;
    for (let r = k; r < k + n * row; r += row) {
      let big = 0;
      for (let i = r; i < r + row; i++) {
        const x = Math.abs(v[i]);
        if (!Number.isFinite(x)) finite = false;
        else if (x > big) big = x;
      }
      if (big !== 0 && (big < lo || big >= hi)) far = true;
    }
    if (far && finite) return false;
  }
  return true;
}

/** x [..., n, n]'s entries, each [..., 1] (one split row; .get makes a gather per entry). */
function entriesOf(x: NDArray): NDArray[] {
  const n = x._shape[x.ndim - 1];
  return lax.split(np.reshape(x, [...x._shape.slice(0, -2), n * n]), new Array(n * n).fill(1), x.ndim - 2);
}

/** [..., 1] -> [...]. */
const unit = (x: NDArray) => np.reshape(x, x._shape.slice(0, -1));

/** The determinant polynomial of 2x2 or 3x3 matrices (jnp's _det_2x2 / _det_3x3), [..., 1]. */
function detPolynomial(m: NDArray): NDArray {
  const n = m._shape[m.ndim - 1], x = entriesOf(m), e = (i: number, j: number) => x[i * n + j];
  const mul = np.multiply, sub = np.subtract;
  if (n === 2) return sub(mul(e(0, 0), e(1, 1)), mul(e(0, 1), e(1, 0)));
  const minor = (r: number, c: number, s: number, t: number) => sub(mul(e(1, r), e(2, c)), mul(e(1, s), e(2, t)));
  return np.add(sub(mul(e(0, 0), minor(1, 2, 2, 1)), mul(e(0, 1), minor(0, 2, 2, 0))), mul(e(0, 2), minor(0, 1, 1, 0)));
}

/** Flat indices of a 3x3 matrix rolled by (di, dj): [3 i + j] -> 3 ((i + di) % 3) + (j + dj) % 3. */
function rolled(di: number, dj: number): number[] {
  return [...Array(9).keys()].map((k) => ((Math.floor(k / 3) + di) % 3) * 3 + ((k % 3) + dj) % 3);
}
const COFACTOR_TAKES = [[rolled(1, 1), rolled(1, 2)], [rolled(2, 2), rolled(2, 1)]];
const realOfDtype = (dt: DType): DType => (dt === 'complex64' ? 'float32' : dt === 'complex128' ? 'float64' : dt);

/**
 * The cofactor matrices C of 3x3 matrices x [..., 3, 3] (det x = sum_j x_0j C_0j), by gathers of
 * x's entries: the cyclic form C_ij = x_{i+1,j+1} x_{i+2,j+2} - x_{i+1,j+2} x_{i+2,j+1}, whose
 * products and differences are the ones detPolynomial rounds (f g - d i is -(d i - f g) exactly),
 * so laplace0(x, C) gives its bits.
 */
function cofactors3(x: NDArray): NDArray {
  const batch = x._shape.slice(0, -2), flat = np.reshape(x, [...batch, 9]);
  const take = (k: number[][]) => np.take(flat, k, { axis: -1, mode: 'clip' });
  const [p, q] = lax.split(np.multiply(take(COFACTOR_TAKES[0]), take(COFACTOR_TAKES[1])), [1, 1], batch.length); // [..., 1, 9] each
  return np.reshape(np.subtract(p, q), x.shape);
}

/** sum_j x_0j c_0j of 3x3 x and c, added from the left (np.sum would start from +0: -0 lost), [..., 1]. */
function laplace0(x: NDArray, c: NDArray): NDArray {
  const t = entriesOf(np.multiply(x, c));
  return np.add(np.add(t[0], t[1]), t[2]);
}

/** x s for a real s: complex x part by part (a complex product with s + 0i turns -0 into +0). */
function timesReal(x: NDArray, s: NDArray): NDArray {
  return isComplex(x.dtype) ? np.complex(np.multiply(np.real(x), s), np.multiply(np.imag(x), s)) : np.multiply(x, s);
}

/**
 * x 2^k (k integral, real, |k| at most `pieces` times ~820) as products with `pieces` powers of
 * two of k's sign, each in range: the running product moves monotonically to the result, so it
 * overflows or underflows only where the result does.
 */
function timesPow2(x: NDArray, k: NDArray, pieces: number): NDArray {
  const part = np.trunc(np.multiply(k, 1 / pieces)), p = np.exp2(part); // (k / pieces rounded: the last piece takes the rest)
  for (let i = 1; i < pieces; i++) x = timesReal(x, p);
  return timesReal(x, np.exp2(np.subtract(k, np.multiply(part, pieces - 1))));
}

/**
 * det of 2x2 / 3x3 matrices (batched), robust to range. A0 = A's values (a constant to the
 * derivatives); row i whose largest |entry| (complex: of |re| and |im|) is 2^e, |e| > t (256;
 * float32 32), is scaled by 2^-e_i, e_i = e - clip(e, -t, t) (one factor, exact), into
 * [2^-t, 2^(t+1)); other rows are left as they are (ordinary matrices: the bits of detPolynomial
 * on A). B's polynomial neither overflows nor underflows, and the value is det(B) 2^(sum e_i),
 * multiplied back in pieces (timesPow2).
 *
 * Derivatives: det(A0 + D), D = A - A0 (zero, with A's derivative), is the sum over row sets S
 * of det(rows of D in S, rows of A0 elsewhere) (det is linear in each row). S empty is the value
 * above; |S| = 1 is sum_ij d_ij C_ij, C the cofactors of A0 (3x3: B's, times 2^(e_k + e_l) in two
 * pieces on either side, so that no reverse pass forms 2^(sum e) first: the gradient at 1e-200
 * entries would be lost with a determinant that underflows); |S| = 2 is sum(A0 * cofactors(D))
 * (3x3; products of one entry of A0: nothing to overflow) and |S| = n det(D). Each is 0 in value
 * (added as v - (T0 - T): v's bits, -0 too), and the derivatives of every order are the
 * polynomial's: the gradient is the cofactor matrix (the adjugate transpose at a singular
 * matrix), the second derivatives A's entries.
 *
 * A matrix with an inf or NaN entry is B = A itself (E = 0: the polynomial as before, inf or NaN,
 * with its derivatives), its A0 ones and D zero; where selects per matrix, so neither kind's
 * derivative reaches the other's (a where's reverse pass drops the unselected side, NaN or not).
 */
function scaledDet(m: NDArray, valueOnly: boolean): NDArray {
  const sg = lax.stopGradient, mul = np.multiply, sub = np.subtract;
  const n = m._shape[m.ndim - 1], t = detScaleFrom(m.dtype), all = { axis: [-2, -1] };
  const finite = np.all(np.isfinite(sg(m)), { axis: [-2, -1], keepdims: true }); // [..., 1, 1]
  const mf = np.where(finite, m, 1), a0 = sg(mf);
  const mag = isComplex(m.dtype) ? np.maximum(np.abs(np.real(a0)), np.abs(np.imag(a0))) : np.abs(a0);
  // e = floor(log2 max |a_ij|), from the least subnormal for a zero row (scaled by 2^818: still 0);
  // the largest float's log2 rounds to 1024 (scaled by 2^-768, fine)
  const e = np.floor(np.log2(np.maximum(np.max(mag, { axis: -1, keepdims: true }), t === 32 ? 2 ** -149 : 2 ** -1074)));
  const ex = sub(e, np.clip(e, -t, t)); // [..., n, 1]; |ex| <= 818 (float32 117): 2^-ex is one factor
  const B = np.where(finite, timesReal(a0, np.exp2(np.negative(ex))), m), cB = n === 3 ? cofactors3(B) : undefined;
  const E = np.sum(ex, { axis: [-2, -1], keepdims: true }); // [..., 1, 1]
  const value = timesPow2(cB ? laplace0(B, cB) : detPolynomial(B), np.reshape(E, [...E._shape.slice(0, -2), 1]), n); // [..., 1]
  if (valueOnly) return unit(value);
  const d = sub(mf, a0);
  let T: NDArray;
  if (n === 2) {
    // (d00 a11 + a00 d11) - (d01 a10 + a01 d10) in the product rule's order (jvp: the bits a d - b c's
    // jvp had), + det(D); a0 unscaled, its products with D are 0
    const [d00, d01, d10, d11] = entriesOf(d), [a00, a01, a10, a11] = entriesOf(a0);
    T = np.add(sub(np.add(mul(d00, a11), mul(a00, d11)), np.add(mul(d01, a10), mul(a01, d10))), sub(mul(d00, d11), mul(d01, d10)));
  } else {
    const q = sub(E, ex), q1 = np.trunc(mul(q, 0.5)); // [..., 3, 1]: the other rows' e_k + e_l
    const lin = mul(mul(mul(d, np.exp2(q1)), np.where(finite, sg(cB!), 0)), np.exp2(sub(q, q1)));
    // + sum(A0 * cofactors(D)) + det(D) (= sum_j d_0j cofactors(D)_0j: row 0's mask)
    const row0 = np.array([1, 1, 1, 0, 0, 0, 0, 0, 0], { dtype: realOfDtype(m.dtype), shape: [3, 3] });
    T = np.reshape(np.sum(np.add(lin, mul(np.add(a0, mul(d, row0)), cofactors3(d))), all), value.shape);
  }
  return unit(sub(value, sub(sg(T), T)));
}

export { qr, eigh, eigvalsh, svd, svdvals, pinv, lstsq, matrixPower, norm, cond, luFactor, luSolve } from './linalg_decomp.js';
export type { QrOptions, SvdOptions, PinvOptions, LstsqOptions, NormOptions, NormOrd, LuSolveOptions, EighOptions } from './linalg_decomp.js';
export * from './linalg_more.js';
export * from './linalg_eig.js';
// jax.scipy.linalg's solve_triangular, cho_factor, cho_solve (ported GP / least-squares code calls them)
export { solveTriangular, choFactor, choSolve } from './linalg_scipy.js';
export type { SolveTriangularOptions } from './linalg_scipy.js';
