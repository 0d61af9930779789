// linalg, the decompositions and what is composed from them: qr, eigh, eigvalsh, svd, svdvals
// (primitives with JAX's JVP rules), pinv, lstsq, matrixPower, matrix norms, cond, luFactor /
// luSolve (compositions, following jnp.linalg's formulas). All but matrixPower, luFactor and
// luSolve also take complex64 / complex128 (JAX's conventions: Hermitian eigh, ^H for ^T).
import { inTrace } from '../core/trace.js';
import { NDArray, ArrayInput } from './array.js';
import { bind, bindMulti } from './bind.js';
import * as np from './numpy.js';
import * as lax from './lax.js';
import { ShapeError, ValueError, describe } from '../core/errors.js';
import { atMost, readOptions, show } from './options.js';
import { isComplex, promoteFloat, realOf } from '../core/dtype.js';
import { inv, matrixArg, squareArg, listHint, matrixHint, rowsBy, named, type Named } from './linalg.js';
import { norm as vectorNorm } from './np_reductions.js';
import { composite } from './np_shared.js';
import { customJvp } from './custom.js';

const mT = (a: NDArray): NDArray => np.swapaxes(a, -1, -2);
/** a^H (JAX's _H): mT, conjugated when complex. */
const mH = (a: NDArray): NDArray => (isComplex(a.dtype) ? np.conj(mT(a)) : mT(a));
/** Machine epsilon of a's (real) precision. */
const epsOf = (a: NDArray): number => (a.dtype === 'float64' || a.dtype === 'complex128' ? 2 ** -52 : 2 ** -23);
/** x[..., i] for a static i, keeping no axis. */
const last = (x: NDArray, i: number): NDArray => np.squeeze(np.split(x, [i, i + 1], { axis: -1 })[1], -1);

/**
 * A as 2^-k A and 2^k per matrix (k from its largest |entry|, a constant to the derivatives): the
 * decompositions square and multiply entries (column norms, Jacobi's off-diagonal test), which
 * overflowed past |A| ~ 1e80 in float64 and underflowed below ~1e-150 (float32: ~1e19 and ~1e-19),
 * giving wrong singular values without a NaN. A power of two scales exactly: results in range are
 * the same bits. With `lift` = [m, cap] the largest entry goes instead to 2^t, t = the least of
 * 0..cap that keeps the smallest nonzero |entry| at 2^m or above (normal); `back` holds 2^(k - t)
 * in two halves (multiplied in turn, neither over- nor underflows before the product does).
 */
function powerOfTwoScaled(A: NDArray, axis: number[] = [-2, -1], lift?: [number, number]): { scaled: NDArray; scale: NDArray; back: [NDArray, NDArray] } {
  if (A.size === 0) {
    const one = np.ones(A._shape.map((d, i) => (axis.some((a) => (a + A.ndim) % A.ndim === i) ? 1 : d)), { dtype: realOf(A.dtype) }); // (no entries: no max)
    return { scaled: A, scale: one, back: [one, one] };
  }
  const abs = lax.stopGradient(np.abs(A));
  const big = np.max(abs, { axis, keepdims: true });
  const usable = np.logicalAnd(np.greater(big, 0), np.isfinite(big)); // (0, inf, NaN, empty: scale 1)
  const e = np.where(usable, np.floor(np.log2(np.where(usable, big, 1))), 0);
  let up = np.negative(e);
  if (lift) {
    const small = np.min(np.where(np.greater(abs, 0), abs, Infinity), { axis, keepdims: true });
    const f = np.floor(np.log2(np.where(usable, small, 1)));
    up = np.add(up, np.clip(np.subtract(np.subtract(e, f), -lift[0]), 0, lift[1]));
  }
  // 2^(t - k) in two halves: for a subnormal max, 2^-k alone overflows to inf (and inf * 0 gave NaN)
  const e1 = np.trunc(np.multiply(up, 0.5));
  const down = np.negative(up), d1 = np.trunc(np.multiply(down, 0.5));
  return {
    scaled: np.multiply(np.multiply(A, np.exp2(e1)), np.exp2(np.subtract(up, e1))),
    scale: np.exp2(e),
    back: [np.exp2(d1), np.exp2(np.subtract(down, d1))],
  };
}

export interface QrOptions { /** 'reduced' (default), 'complete' or 'r' (R only), as numpy. */ mode?: 'reduced' | 'complete' | 'r' }

/**
 * QR decomposition (jnp.linalg.qr): [Q, R] with A = Q R, Q's columns orthonormal, R upper
 * triangular; mode 'r' returns R alone. Householder reflections; R's diagonal may be negative
 * (as LAPACK), and is real for complex input (LAPACK's zgeqrf reflectors; Q^H Q = I).
 * Derivatives by JAX's rule for m >= n in reduced mode (others: NotImplementedError).
 */
export function qr(a: ArrayInput, options: 'r' | { mode: 'r' }): NDArray;
export function qr(a: ArrayInput, options?: 'reduced' | 'complete' | { mode?: 'reduced' | 'complete' }): Named<[NDArray, NDArray], 'Q' | 'R'>;
export function qr(a: ArrayInput, options?: QrOptions | 'reduced' | 'complete' | 'r'): NDArray | Named<[NDArray, NDArray], 'Q' | 'R'>;
export function qr(a: ArrayInput, options?: QrOptions | 'reduced' | 'complete' | 'r'): NDArray | Named<[NDArray, NDArray], 'Q' | 'R'> {
  const where = 'linalg.qr';
  const o = readOptions<QrOptions>(where, options, { mode: 'any' }, 'mode');
  const mode = o.mode ?? 'reduced';
  if (mode !== 'reduced' && mode !== 'complete' && mode !== 'r') throw new ValueError(`${where}: mode must be 'reduced', 'complete' or 'r', got ${show(mode)}`);
  const out = composite(() => {
    const { scaled, scale } = powerOfTwoScaled(matrixArg(where, a));
    const [q, r0] = bindMulti('qr', [scaled], [mode === 'complete' ? 1 : 0]);
    const r = np.multiply(r0, scale);
    return mode === 'r' ? r : [q, r] as [NDArray, NDArray];
  });
  return out instanceof NDArray ? out : named(out, ['Q', 'R']); // (jnp's QRResult)
}


/**
 * Eigenvalues (ascending) and eigenvectors of symmetric or Hermitian matrices (jnp.linalg.eigh):
 * [w, V] with A = V diag(w) V^H. As JAX, A is symmetrized first ((A + A^H) / 2); w is real (the
 * float dtype of A's width). Eigenvector signs (complex: phases) are arbitrary, as LAPACK's;
 * derivatives by JAX's rule, which divides by eigenvalue gaps (a repeated eigenvalue gives
 * non-finite eigenvector derivatives, as in JAX).
 */
export function eigh(a: ArrayInput, options?: EighOptions | 'L' | 'U'): Named<[NDArray, NDArray], 'eigenvalues' | 'eigenvectors'> {
  atMost('linalg.eigh', arguments.length, 2);
  return named(composite(() => {
    const H = hermitianInput('linalg.eigh', a, options);
    const { scaled, back } = powerOfTwoScaled(H, undefined, eighLift(H));
    const [w, v] = bindMulti('eigh', [scaled]);
    return [unscaleEig(w, back), v] as [NDArray, NDArray];
  }), ['eigenvalues', 'eigenvectors']); // (jnp's EighResult)
}

/** Eigenvalues (ascending, real) of symmetric or Hermitian matrices (jnp.linalg.eigvalsh). */
export function eigvalsh(a: ArrayInput, options?: EighOptions | 'L' | 'U'): NDArray {
  atMost('linalg.eigvalsh', arguments.length, 2);
  return composite(() => {
    const H = hermitianInput('linalg.eigvalsh', a, options);
    const { scaled, back } = powerOfTwoScaled(H, undefined, eighLift(H));
    return unscaleEig(bindMulti('eigh', [scaled])[0], back);
  });
}

/**
 * eigh scales A's largest entry to 1, or higher (to 2^480 at most in float64, 2^60 in float32)
 * where that left a nonzero entry subnormal: diag(1e-20, 1e300) made 1e-20 a subnormal with 12
 * bits (9.99896e-21; numpy, whose dsyevd scales only past ~1e146 and to it, has 1e-20). The
 * kernel only rescales (tred2) or takes ratios and hypot (tql2) and multiplies two entries at
 * most (tql2's e[l+1] e[l], the complex reflector's |x|^2), so it is safe to ~2^510. Not always
 * higher: the derivative rule's 1 / (w_i - w_j) scales as 2^-t, and its cube (second derivatives)
 * underflowed at t = 480.
 */
const eighLift = (h: NDArray): [number, number] => (h.dtype === 'float64' || h.dtype === 'complex128' ? [-1000, 480] : [-120, 60]);
const unscaleEig = (w: NDArray, back: [NDArray, NDArray]): NDArray => np.multiply(np.multiply(w, np.squeeze(back[0], -1)), np.squeeze(back[1], -1));

export interface EighOptions {
  /** Which triangle is read when symmetrizeInput is false: 'L' (default) or 'U' (jnp's UPLO). */
  UPLO?: 'L' | 'U';
  /** (A + A^H) / 2 first (default true, as JAX); false reads only the UPLO triangle. */
  symmetrizeInput?: boolean;
}

/** The matrix eigh decomposes (the kernel symmetrizes what it gets, which leaves a Hermitian matrix as it is). */
function hermitianInput(where: string, a: ArrayInput, options: unknown): NDArray {
  const o = readOptions<EighOptions>(where, options, { UPLO: 'any', symmetrizeInput: 'boolean' }, 'UPLO');
  if (o.UPLO !== undefined && o.UPLO !== 'L' && o.UPLO !== 'U') throw new ValueError(`${where}: UPLO must be 'L' or 'U', got ${show(o.UPLO)}`);
  const A = squareArg(where, a);
  if (o.symmetrizeInput ?? true) return A;
  const lower = (o.UPLO ?? 'L') === 'L';
  const tri = lower ? np.tril(A) : np.triu(A), strict = lower ? np.tril(A, -1) : np.triu(A, 1);
  return np.add(tri, mH(strict));
}

export interface SvdOptions {
  /** U [..., m, m] and Vh [..., n, n] (default true, as numpy), else [..., m, k] and [..., k, n]. */
  fullMatrices?: boolean;
  /** Return [U, S, Vh] (default true) or S alone. */
  computeUv?: boolean;
}

/**
 * Singular value decomposition (jnp.linalg.svd): [U, S, Vh] with A = U diag(S) Vh, S descending
 * and real (complex A: U, Vh complex, u_j and v_j sharing an arbitrary phase). One-sided Jacobi. Derivatives by JAX's rule; with fullMatrices (the default) a non-square input
 * has none (NotImplementedError, as JAX): pass { fullMatrices: false }.
 */
export function svd(a: ArrayInput, options: SvdOptions & { computeUv: false }): NDArray;
export function svd(a: ArrayInput, options?: SvdOptions & { computeUv?: true }): Named<[NDArray, NDArray, NDArray], 'U' | 'S' | 'Vh'>;
export function svd(a: ArrayInput, options?: SvdOptions): NDArray | Named<[NDArray, NDArray, NDArray], 'U' | 'S' | 'Vh'>;
export function svd(a: ArrayInput, options?: SvdOptions): NDArray | Named<[NDArray, NDArray, NDArray], 'U' | 'S' | 'Vh'> {
  const out = composite(() => svdIn(a, options));
  return out instanceof NDArray ? out : named(out, ['U', 'S', 'Vh']); // (jnp's SVDResult)
}
function svdIn(a: ArrayInput, options?: SvdOptions): NDArray | [NDArray, NDArray, NDArray] {
  const where = 'linalg.svd';
  const o = readOptions<SvdOptions>(where, options, { fullMatrices: 'boolean', computeUv: 'boolean' });
  const A = matrixArg(where, a);
  const computeUv = o.computeUv ?? true;
  const { scaled, scale } = powerOfTwoScaled(A);
  const [s0, u, vt] = bindMulti('svd', [scaled], [computeUv && (o.fullMatrices ?? true) ? 1 : 0]);
  // an inf or NaN entry: every output NaN, as LAPACK's failure (Jacobi took an inf column for converged)
  const bad = lax.stopGradient(np.logicalNot(np.all(np.isfinite(A), { axis: [-2, -1], keepdims: true })));
  const s = np.where(np.squeeze(bad, -1), NaN, np.multiply(s0, np.squeeze(scale, -1)));
  return computeUv ? [np.where(bad, NaN, u), s, np.where(bad, NaN, vt)] : s;
}

/** Singular values, descending (jnp.linalg.svdvals). */
export function svdvals(a: ArrayInput): NDArray {
  return svd(matrixArg('linalg.svdvals', a), { computeUv: false });
}

export interface PinvOptions {
  /** Singular values <= rtol * the largest are dropped (default 10 max(m, n) eps). */ rtol?: number;
  /** a is Hermitian (symmetric): its eigendecomposition (eigh) stands for the SVD, as numpy's and jnp's. */ hermitian?: boolean;
}

/**
 * Moore-Penrose pseudo-inverse (jnp.linalg.pinv's formula: V diag(1/s) U^H over the singular
 * values above rtol * s_max; with hermitian, V diag(1/w) V^H over the eigenvalues with |w| above
 * rtol * max |w|, from eigh, which reads (a + a^H) / 2 as JAX's where numpy reads a's lower
 * triangle). Derivatives by JAX's pinv rule (any rank).
 */
export function pinv(a: ArrayInput, options?: PinvOptions | number): NDArray {
  const where = 'linalg.pinv';
  const o = readOptions<PinvOptions>(where, options, { rtol: 'number', hermitian: 'boolean' }, 'rtol');
  const traced = inTrace(); // (read outside the one tape: inside it, a top-level call is in a trace too)
  return composite(() => pinvIn(a, o, traced));
}
function pinvIn(a: ArrayInput, o: PinvOptions, traced: boolean): NDArray {
  const where = 'linalg.pinv';
  // pinv(2^k A) = 2^-k pinv(A): the derivative terms multiply p by p^H, which overflowed
  // (inf * 0 = NaN in the value) for float32 entries below ~1e-19
  const { scaled: A, scale } = powerOfTwoScaled(o.hermitian ? squareArg(where, a) : matrixArg(where, a));
  const [m, n] = A._shape.slice(-2);
  const rtol = o.rtol ?? 10 * Math.max(m, n) * epsOf(A);
  // Outside every transform nothing has a derivative: no custom rule to stage
  const p = traced ? pinvWithRule(rtol, o.hermitian === true)(A) : pinvValue(A, rtol, o.hermitian === true);
  return np.divide(p, scale);
}

/**
 * jnp.linalg.pinv's value: V diag(1/s) U^H over the singular values above rtol * s_max (or, with
 * hermitian, V diag(1/w) V^H over the eigenvalues with |w| above rtol * max |w|).
 */
function pinvValue(A: NDArray, rtol: number, hermitian: boolean): NDArray {
  const n = A._shape[A.ndim - 1];
  if (hermitian && n > 0) { // (0 x 0: the SVD's empty result)
    const [w, v] = eigh(A);
    const cutoff = np.multiply(np.max(np.abs(w), { axis: -1, keepdims: true }), rtol);
    const kept = np.where(np.greater(np.abs(w), cutoff), w, Infinity);
    return np.matmul(v, np.divide(mH(v), np.expandDims(kept, -1)));
  }
  const [u, s, vt] = svd(A, { fullMatrices: false });
  const cutoff = np.multiply(np.split(s, [1], { axis: -1 })[0], rtol);
  const kept = np.where(np.greater(s, cutoff), s, Infinity);
  return np.matmul(mH(vt), np.divide(mH(u), np.expandDims(kept, -1)));
}

/**
 * pinv with JAX's custom JVP (jnp.linalg's _pinv_jvp, after Golub and Pereyra 1973; valid at any
 * rank, where the SVD's rule divides by gaps), one function per (rtol, hermitian). The rule calls
 * the function itself for p, so every order of derivative is JAX's rule differentiated again
 * (before custom rules existed it was one Runge-Kutta step of the ODE the rule defines: JAX's to
 * the fourth derivative only).
 */
const pinvRules = new Map<string, (A: NDArray) => NDArray>();
function pinvWithRule(rtol: number, hermitian: boolean): (A: NDArray) => NDArray {
  const key = `${rtol}|${hermitian}`;
  let f = pinvRules.get(key);
  if (f === undefined) {
    if (pinvRules.size >= 64) pinvRules.clear(); // (rtol is the caller's: keep the table small)
    // (eigh reads (a + a^H) / 2, and the tangent must match: JAX symmetrizes a and its tangent)
    const sym = (x: NDArray) => np.multiply(np.add(x, mH(x)), 0.5);
    const g = customJvp((A: NDArray) => pinvValue(A, rtol, hermitian), (primals: NDArray[], tangents: NDArray[]) => {
      const [A] = primals, [dA] = tangents;
      const p = g(A);
      return [p, hermitian ? pinvTangent(p, sym(A), sym(dA)) : pinvTangent(p, A, dA)];
    }) as unknown as (A: NDArray) => NDArray;
    f = g;
    pinvRules.set(key, f);
  }
  return f;
}

/** JAX's pinv JVP: the tangent of pinv at a (with pinv p) along da. */
function pinvTangent(p: NDArray, a: NDArray, da: NDArray): NDArray {
  const [m, n] = a._shape.slice(-2);
  const Im = np.eye(m, { dtype: a.dtype }), In = np.eye(n, { dtype: a.dtype });
  const pT = mH(p), daT = mH(da);
  const t1 = np.negative(np.matmul(np.matmul(p, da), p));
  const t2 = np.matmul(np.matmul(np.matmul(p, pT), daT), np.subtract(Im, np.matmul(a, p)));
  const t3 = np.matmul(np.matmul(np.subtract(In, np.matmul(p, a)), daT), np.matmul(pT, p));
  return np.add(np.add(t1, t2), t3);
}

export interface LstsqOptions { /** Singular values below rcond * the largest count as zero (default eps max(m, n)). */ rcond?: number }

/**
 * Least squares (jnp.linalg.lstsq): [x, residuals, rank, s] minimizing |a x - b|, through the
 * SVD as JAX. a [m, n], b [m] or [m, k] (not batched, as JAX); residuals are always the squared
 * column norms of b - a x (JAX's default; real for complex input), rank an int32 scalar. x
 * differentiates as pinv(a) b (pinv's rule: finite at repeated singular values, where JAX's,
 * through the SVD, is NaN); residuals through x, s by the SVD's rule.
 */
export function lstsq(a: ArrayInput, b: ArrayInput, options?: LstsqOptions | number): [NDArray, NDArray, NDArray, NDArray] {
  const where = 'linalg.lstsq';
  const o = readOptions<LstsqOptions>(where, options, { rcond: 'number' }, 'rcond');
  let A = matrixArg(where, a, 'a', false, matrixHint(a, b));
  let B = np.asarray(b, listHint(b, A), `${where}: b`);
  if (A.ndim !== 2) throw new ShapeError(`${where}: a must be 2-d, got ${describe(A._shape, A.dtype)}`);
  const vector = B.ndim === 1;
  if (vector) B = np.expandDims(B, -1);
  const [m, n] = A._shape;
  if (B.ndim !== 2 || B._shape[0] !== m) throw new ShapeError(`${where}: b must be [${m}] or [${m}, k] for a ${describe(A._shape, A.dtype)}, got ${describe(np.asarray(b)._shape, np.asarray(b).dtype)}`);
  // a and b promoted together (jnp's promote_dtypes_inexact): a float64 b made a float32 a float64
  const dt = promoteFloat([A.dtype, B.dtype]);
  A = np.astype(A, dt);
  B = np.astype(B, dt);
  // a negative rcond means machine precision (jnp's where(rcond < 0, eps, rcond), numpy's too)
  const rcond = o.rcond === undefined || o.rcond === null ? epsOf(A) * Math.max(m, n) : o.rcond < 0 ? epsOf(A) : o.rcond;
  const traced = inTrace(); // (read outside the one tape, as pinv)
  return composite(() => lstsqIn(A, B, rcond, vector, n, traced));
}
/**
 * x = V S^-1 U^T B on a and each column of b scaled by powers of two to a largest entry near 1,
 * scaled back after: a subnormal a (1e-310) made 1/s overflow, so x was [NaN, inf] where numpy
 * solves it. (Exact: the scales are powers of two, and constants to the derivative.)
 */
function lstsqIn(A0: NDArray, B0: NDArray, rcond: number, vector: boolean, n: number, traced: boolean): [NDArray, NDArray, NDArray, NDArray] {
  const { scaled: A, scale: sa } = powerOfTwoScaled(A0);
  const { scaled: B, scale: sb } = powerOfTwoScaled(B0, [0]); // per column: a tiny one beside a large one keeps its digits
  const [u0, s, vt0] = svd(A, { fullMatrices: false });
  const u = lax.stopGradient(u0), vt = lax.stopGradient(vt0), s0 = lax.stopGradient(s);
  // strictly above (numpy's s > rcond * s[0]): at a zero matrix s = 0 = rcond * s[0], and >= kept it, so x was NaN, rank 2
  const mask = np.greater(s0, np.multiply(np.split(s0, [1])[0], rcond));
  const rank = np.astype(np.sum(np.astype(mask, s.dtype)), 'int32');
  const sInv = np.where(mask, np.divide(1, np.where(mask, s0, 1)), 0);
  let x = np.matmul(mH(vt), np.multiply(np.expandDims(sInv, -1), np.matmul(mH(u), lax.stopGradient(B))));
  if (traced) {
    // x differentiates as pinv(a) b, by pinv's rule (finite at any rank and at repeated singular
    // values), not through the SVD's 1 / (s_i^2 - s_j^2): at a = I (or orthogonal columns of equal
    // norm, a Fourier design over whole periods) that was inf * 0, so grad of x was all NaN.
    // The value stays the SVD solve's bits: x0 - (sg(y) - y) with y = pinv(a) b.
    // (a non-finite y: sg(y) - y is inf - inf = NaN, which replaced x's own value under jit and
    // vmap, [nan, nan] where eagerly x was [nan, inf] for an infinite b; x keeps its value there)
    const y = np.matmul(pinvWithRule(rcond, false)(A), B);
    const sy = lax.stopGradient(y);
    x = np.subtract(x, np.where(np.isfinite(sy), np.subtract(sy, y), 0));
  }
  const r = np.multiply(np.subtract(B, np.matmul(A, x)), sb);
  const resid = np.sum(absSquare(r), { axis: 0 });
  x = np.multiply(x, np.divide(sb, sa));
  if (vector) x = np.reshape(x, [n]);
  return [x, resid, rank, np.multiply(s, np.reshape(sa, []))]; // residuals [k], [1] for a vector b (numpy, JAX: only x is raveled)
}

/**
 * A^n for an integer n (jnp.linalg.matrix_power): binary powering by matmul; n = 0 gives the
 * identity, a negative n powers inv(A).
 */
export function matrixPower(a: ArrayInput, n: number): NDArray {
  const where = 'linalg.matrixPower';
  if (!Number.isInteger(n)) throw new ValueError(`${where}: n must be an integer, got ${show(n)}`);
  // n >= 0 stays in the integer dtype (numpy and jnp: exact products, wrapping); only inv needs floats
  let A = squareArg(where, a, 'a', n >= 0);
  if (n === 0) return np.broadcastTo(np.eye(A._shape[A.ndim - 1], { dtype: A.dtype }), A.shape);
  if (n < 0) { A = inv(A); n = -n; }
  let result: NDArray | null = null;
  let base = A;
  for (;;) {
    if (n & 1) result = result === null ? base : np.matmul(result, base);
    n = Math.floor(n / 2);
    if (n === 0) break;
    base = np.matmul(base, base);
  }
  return result!;
}

/** |x|^2 elementwise: x x, or real(x conj(x)) for complex x (JAX's norm), real either way. */
const absSquare = (x: NDArray): NDArray => (isComplex(x.dtype) ? np.real(np.multiply(x, np.conj(x))) : np.multiply(x, x));

export type NormOrd = number | 'fro' | 'nuc';
export interface NormOptions { ord?: NormOrd | null; axis?: number | number[] | null; keepdims?: boolean }

/**
 * Vector and matrix norms (jnp.linalg.norm). A matrix norm when axis is a pair, or when axis is
 * null and x is 2-d with an ord given: 'fro', 'nuc' (sum of singular values), 1 / -1 (max / min
 * absolute column sum), inf / -inf (rows), 2 / -2 (largest / smallest singular value). Otherwise
 * a vector norm (ord 2, 1, inf, -inf, 0, p) over axis (default: all of x, flattened). Complex x:
 * every norm is real (of |x_ij|; 'nuc' and 2 through the complex SVD).
 */
export function norm(x: ArrayInput, options?: NormOptions | NormOrd | null, axisArg?: number | number[] | null, keepdimsArg?: boolean): NDArray {
  const where = 'linalg.norm';
  atMost(where, arguments.length, 4);
  // numpy's positional form norm(x, ord, axis, keepdims) too (after an options object: nothing)
  const positional = arguments.length > 2;
  if (positional && options !== null && typeof options === 'object') throw new ValueError(`${where}: after an options object there is no third argument; put axis and keepdims in it`);
  const o = positional ? readOptions<NormOptions>(where, { ord: options ?? undefined, axis: axisArg, keepdims: keepdimsArg }, { ord: 'any', axis: 'axis', keepdims: 'boolean' })
    : readOptions<NormOptions>(where, options, { ord: 'any', axis: 'axis', keepdims: 'boolean' }, 'ord'); // (numpy's norm(x, 'fro') too)
  let a = np.asarray(x, undefined, where);
  const ord = o.ord ?? null;
  let axis = o.axis ?? null;
  if (axis === null && ord !== null && a.ndim === 2) axis = [0, 1];
  if (axis === null && ord !== null && a.ndim > 2) throw new ValueError(`${where}: an ord needs a 1-d or 2-d x, or an axis (numpy's rule), got ${describe(a._shape, a.dtype)}`);
  if (axis === null || typeof axis === 'number' || axis.length === 1) {
    if (ord === 'fro' || ord === 'nuc') throw new ValueError(`${where}: ord ${show(ord)} is a matrix norm; give a 2-d x or a pair of axes`);
    if (typeof ord === 'string') throw new ValueError(`${where}: invalid vector norm order ${show(ord)} (use a number: 2, 1, 0, Infinity, -Infinity, or any p; 'fro' and 'nuc' are matrix norms)`);
    return vectorNorm(a, { ord: ord ?? 2, axis, keepdims: o.keepdims });
  }
  if (axis.length !== 2) throw new ValueError(`${where}: axis must be an integer or a pair of integers, got ${show(axis)}`);
  const nd = a.ndim;
  const [r, c] = axis.map((ax) => (ax < 0 ? ax + nd : ax));
  if (!(r >= 0 && r < nd && c >= 0 && c < nd) || r === c) throw new ValueError(`${where}: axis ${show(axis)} is not a pair of distinct axes of ${describe(a._shape, a.dtype)}`);
  if (a.dtype === 'bool' || a.dtype === 'int32' || a.dtype === 'uint32') a = np.astype(a, 'float32');
  const m = np.moveaxis(a, [r, c], [nd - 2, nd - 1]);
  let out: NDArray;
  const absSums = (ax: number) => np.sum(np.abs(m), { axis: ax });
  // numpy reduces the maxima (ord 1, inf, 2) with initial=0: an empty matrix's norm is 0 there, not
  // a zero-size reduction error (the minima, -1, -inf, -2, still raise, as numpy's do)
  const max0 = (v: NDArray) => (v._shape[v.ndim - 1] === 0 ? np.zeros(v._shape.slice(0, -1), { dtype: v.dtype }) : np.max(v, { axis: -1 }));
  // (the vector 2-norm of the entries, scaled there: sqrt(sum |x|^2) was inf for float32 [[1e20]])
  if (ord === null || ord === 'fro') out = vectorNorm(m, { ord: 2, axis: [-2, -1] });
  else if (ord === 'nuc') out = np.sum(svdvals(m), { axis: -1 });
  else if (ord === 1) out = max0(absSums(-2));
  else if (ord === -1) out = np.min(absSums(-2), { axis: -1 });
  else if (ord === Infinity) out = max0(absSums(-1));
  else if (ord === -Infinity) out = np.min(absSums(-1), { axis: -1 });
  // max/min, not s[0] / s[-1]: equal singular values share the derivative (jnp's amax/amin; an orthogonal matrix's are all 1)
  else if (ord === 2) out = max0(svdvals(m));
  else if (ord === -2) out = np.min(svdvals(m), { axis: -1 });
  else throw new ValueError(`${where}: invalid matrix norm order ${show(ord)} (use 'fro', 'nuc', 1, -1, 2, -2, Infinity or -Infinity)`);
  if (o.keepdims) out = np.expandDims(out, [Math.min(r, c), Math.max(r, c)]);
  return out;
}

/**
 * Condition numbers (jnp.linalg.cond): s_max / s_min for p = 2 (default) or null, the reverse
 * for -2, else norm(x, p) norm(inv(x), p) for square x; NaN from a singular matrix becomes inf.
 * Complex x: p = null, 2, -2 (the others need a complex inv).
 */
export function cond(x: ArrayInput, p: NormOrd | null = null): NDArray {
  const where = 'linalg.cond';
  const a = matrixArg(where, x, 'x');
  // (numpy's LinAlgError; the error came from inside, naming np.squeeze)
  if (a._shape[a.ndim - 1] === 0 || a._shape[a.ndim - 2] === 0) throw new ValueError(`${where}: cond is not defined on an empty matrix, got x ${describe(a._shape, a.dtype)}`);
  if (p === null || p === 2 || p === -2) {
    const s = svdvals(a);
    const hi = last(s, 0), lo = last(s, s._shape[s.ndim - 1] - 1);
    const r = p === -2 ? np.divide(lo, hi) : np.divide(hi, lo);
    // 0 / 0 (a zero matrix) is inf, as numpy's cond; a NaN entry stays NaN
    return np.where(np.logicalAnd(np.isnan(r), np.logicalNot(np.isnan(hi))), Infinity, r);
  }
  const sq = squareArg(where, a, 'x');
  const r = np.multiply(norm(sq, { ord: p, axis: [-2, -1] }), norm(inv(sq), { ord: p, axis: [-2, -1] }));
  const hadNan = np.any(np.isnan(sq), { axis: [-2, -1] });
  return np.where(np.logicalAnd(np.isnan(r), np.logicalNot(hadNan)), Infinity, r);
}

/**
 * The LU factors for luSolve (jax.scipy.linalg.lu_factor's role): [lu, perm] with lu the packed
 * factors (L unit lower below the diagonal, U on and above) and perm the int32 row permutation
 * (row i of P A is row perm[i] of A). scipy returns LAPACK's pivot swaps instead of perm.
 */
export function luFactor(a: ArrayInput): [NDArray, NDArray] {
  const A = squareArg('linalg.luFactor', a);
  const [lu, perm] = bindMulti('lu', [A]);
  return [lu, perm];
}

export interface LuSolveOptions { /** 0: A x = b (default), 1: A^T x = b, 2: A^H x = b (A^T for real A), as scipy's trans. */ trans?: number }

/**
 * Solves with the factors of luFactor (jax.scipy.linalg.lu_solve): b [..., n] or [..., n, k].
 * Differentiable in lu and b.
 */
export function luSolve(factors: [ArrayInput, ArrayInput], b: ArrayInput, options?: LuSolveOptions | number): NDArray {
  const where = 'linalg.luSolve';
  const o = readOptions<LuSolveOptions>(where, options, { trans: 'number' }, 'trans');
  const trans = o.trans ?? 0;
  if (trans !== 0 && trans !== 1 && trans !== 2) throw new ValueError(`${where}: trans must be 0, 1 or 2, got ${show(trans)}`);
  // (an Array here was indexed as a pair: its x[0] error named nothing the user wrote)
  if (!Array.isArray(factors) || factors.length !== 2) throw new ValueError(`${where}: factors must be the pair [lu, perm] from linalg.luFactor, got ${show(factors)}`);
  let lu = squareArg(where, factors[0], 'lu');
  const perm0 = np.asarray(factors[1], undefined, `${where}: perm`);
  const n = lu._shape[lu.ndim - 1];
  if (perm0.dtype !== 'int32' || perm0.ndim !== lu.ndim - 1 || perm0._shape[perm0.ndim - 1] !== n) {
    throw new ValueError(`${where}: perm must be the int32 [..., ${n}] permutation from luFactor, got ${describe(perm0._shape, perm0.dtype)}`);
  }
  let B = np.asarray(b, listHint(b, lu), `${where}: b`);
  // JAX's rule: b is a stack of vectors when it has one axis fewer than lu (and ends in n), else of [n, k] matrices
  const vector = B.ndim === 1 || (B.ndim === lu.ndim - 1 && B._shape[B.ndim - 1] === n);
  if (vector) B = np.expandDims(B, -1);
  if (B.ndim < 2 || B._shape[B.ndim - 2] !== n) {
    throw new ShapeError(`${where}: b must be [..., ${n}] (one axis fewer than lu) or [..., ${n}, k] for lu ${describe(lu._shape, lu.dtype)}, got ${describe(np.asarray(b)._shape, np.asarray(b).dtype)}`);
  }
  const dt = promoteFloat([lu.dtype, B.dtype]); // jax.scipy.linalg.lu_solve promotes: complex b with real lu is complex
  // the batch axes broadcast, as solve's
  const batch = np.broadcastShapes(where, lu._shape.slice(0, -2), B._shape.slice(0, -2));
  const k = B._shape[B.ndim - 1];
  lu = np.broadcastTo(np.astype(lu, dt), [...batch, n, n]);
  const perm = np.broadcastTo(perm0, [...batch, n]);
  B = np.broadcastTo(np.astype(B, dt), [...batch, n, k]);
  const conj = trans === 2 && isComplex(dt) ? [1] : []; // A^H: JAX's conjugate_a
  const ts = (x: NDArray, lower: boolean, transposeA: boolean, unit: boolean) =>
    bind('triangular_solve', [lu, x], [1, lower ? 1 : 0, transposeA ? 1 : 0, unit ? 1 : 0, ...(transposeA ? conj : [])], () => `${where}: lu ${describe(lu._shape, lu.dtype)} and b ${describe(B._shape, B.dtype)} do not fit (equal leading axes)`);
  let x: NDArray;
  if (trans === 0) x = ts(ts(rowsBy(B, perm), true, false, true), false, false, false);
  else x = rowsBy(ts(ts(B, false, true, false), true, true, true), np.argsort(perm, { axis: -1 })); // the inverse permutation
  return vector ? np.squeeze(x, -1) : x;
}
