// numpy's polynomial functions on coefficient arrays, highest degree first (jnp.poly, polyadd,
// polysub, polymul, polydiv, polyder, polyint, polyfit), composed from the np functions, so they
// differentiate, batch and jit as those do; np.roots and np.poly of a matrix through linalg.eigvals.
// As jnp's, all but polyadd and polysub compute in a float dtype (integer and bool inputs in
// float32; numpy keeps integers in polyder and polyint).
import { NDArray, ArrayInput } from './array.js';
import * as lax from './lax.js';
import {
  add, subtract, multiply, divide, astype, floatDtype, commonDtype, concatenate, zeros, ones, reshape, slice, index,
  sum, sqrt, matmul, transpose, expandDims, abs, vander, convolve, real, stack, array, where as choose, zerosLike,
  negative, eye, equal, arange, less,
} from './numpy.js';
import { isfinite, clip, logicalAnd } from './np_elementwise.js';
import { cumprod, max as npMax } from './np_reductions.js';
import { take } from './np_indexing.js';
import { argsort } from './np_sorting.js';
import { eigvals } from './linalg_eig.js';
import { operand } from './np_shared.js';
import { lstsq } from './linalg_decomp.js';
import { inv } from './linalg.js';
import { readOptionalPositions, readOptions, show } from './options.js';
import { ShapeError, TracerError, ValueError, describe } from '../core/errors.js';
import { isComplex, realOf, complexOf, type DType } from '../core/dtype.js';

/** Argument i as a 1-d coefficient array in dtype dt (a scalar is one coefficient, numpy's atleast_1d). */
function coefficients(where: string, i: number, p: ArrayInput, name: string, dt: DType): NDArray {
  let a = astype(operand(where, i, p, dt), dt);
  if (a.ndim === 0) a = reshape(a, [1]);
  if (a.ndim !== 1) throw new ShapeError(`${where}: ${name} must be 1-d (the coefficients, highest power first), got ${describe(a.shape, a.dtype)}`);
  return a;
}

/** a with k zeros in front (a polynomial of the same value, written with more terms). */
function padFront(a: NDArray, k: number): NDArray {
  return k === 0 ? a : concatenate([zeros([k], a.dtype), a]);
}

/** A non-negative integer order option (polyder's and polyint's m). */
function order(where: string, m: unknown, name = 'm'): number {
  if (typeof m !== 'number' || !Number.isInteger(m) || m < 0) {
    throw new ValueError(`${where}: ${name} must be a non-negative integer (the order), got ${show(m)}`);
  }
  return m;
}

/**
 * np.polyadd(a1, a2): the sum of two polynomials, the shorter padded with leading zeros. As jnp's
 * (and numpy's), the dtype is the inputs' common one: integers stay integers.
 */
export function polyadd(a1: ArrayInput, a2: ArrayInput): NDArray {
  return add(...aligned('np.polyadd', a1, a2));
}

/** np.polysub(a1, a2): a1 - a2, the shorter padded with leading zeros; integers stay integers (bool is refused, as numpy's and jnp's). */
export function polysub(a1: ArrayInput, a2: ArrayInput): NDArray {
  return subtract(...aligned('np.polysub', a1, a2, true));
}

/** a1 and a2 as coefficient arrays of their common dtype, the shorter padded with leading zeros to the other's length. */
function aligned(where: string, a1: ArrayInput, a2: ArrayInput, noBool = false): [NDArray, NDArray] {
  const dt = commonDtype(where, [a1, a2]);
  if (dt === 'bool' && noBool) {
    throw new ValueError(`${where}: bool coefficients cannot be subtracted (numpy and jnp refuse them too); convert them to a number dtype`);
  }
  const x = coefficients(where, 0, a1, 'a1', dt), y = coefficients(where, 1, a2, 'a2', dt);
  const n = Math.max(x.size, y.size);
  return [padFront(x, n - x.size), padFront(y, n - y.size)];
}

/**
 * np.polymul(a1, a2): the product of two polynomials (their full convolution). An empty input
 * is the zero polynomial [0], as jnp's; jnp's trimLeadingZeros option is not offered.
 */
export function polymul(a1: ArrayInput, a2: ArrayInput): NDArray {
  const where = 'np.polymul';
  const dt = floatDtype(where, [a1, a2]);
  let x = coefficients(where, 0, a1, 'a1', dt), y = coefficients(where, 1, a2, 'a2', dt);
  if (x.size === 0) x = zeros([1], dt);
  if (y.size === 0) y = zeros([1], dt);
  return convolve(x, y, 'full');
}

/**
 * np.polydiv(u, v): [q, r], quotient and remainder of u / v by long division. As jnp's (the
 * shapes must not depend on the values), r keeps u's length, its leading entries zero, where
 * numpy trims them; q has max(len(u) - len(v) + 1, 1) entries, as both.
 */
export function polydiv(u: ArrayInput, v: ArrayInput): [NDArray, NDArray] {
  const where = 'np.polydiv';
  const dt = floatDtype(where, [u, v]);
  let r = coefficients(where, 0, u, 'u', dt);
  const d = coefficients(where, 1, v, 'v', dt);
  if (r.size === 0 || d.size === 0) throw new ValueError(`${where}: ${r.size === 0 ? 'u' : 'v'} is empty (numpy raises too)`);
  const m = r.size - 1, n = d.size - 1;
  if (m < n) return [zeros([1], dt), r];
  const scale = divide(1, index(d, 0));
  const q: NDArray[] = [];
  for (let k = 0; k <= m - n; k++) {
    const c = multiply(scale, index(r, k));
    q.push(c);
    r = subtract(r, multiply(c, padFront(concatenate([d, zeros([m - n - k], dt)]), k)));
  }
  // (the first m - n + 1 entries are zero by construction; rounding left u[k] - (u[k] / v[0]) v[0].
  // Not where v[0] is 0: there they are inf or NaN, which the zeros would hide, as numpy's r shows them)
  const head = slice(r, [0], [m - n + 1]);
  r = concatenate([choose(isfinite(scale), zerosLike(head), head), slice(r, [m - n + 1], [m + 1])]);
  return [stack(q), r];
}

/** np.polyder(p, m = 1): the m-th derivative; m goes positionally or as { m }. */
export function polyder(p: ArrayInput, m?: number | { m?: number }): NDArray {
  const where = 'np.polyder';
  const o = readOptionalPositions<{ m?: number }>(where, [m], ['m'], { m: 'any' });
  const k = order(where, o.m ?? 1);
  const a = coefficients(where, 0, p, 'p', floatDtype(where, [p]));
  if (k === 0) return a;
  const n = a.size - 1, len = Math.max(n + 1 - k, 0);
  if (len === 0) return zeros([0], a.dtype); // (numpy: an empty array once m passes the degree)
  // coefficient i (of x^(n - i)) times (n - i)(n - i - 1)...(n - i - k + 1)
  const factors = Array.from({ length: len }, (_, i) => { let f = 1; for (let j = 0; j < k; j++) f *= n - i - j; return f; });
  return multiply(slice(a, [0], [len]), array(factors, { dtype: realOf(a.dtype) }));
}

/** polyint's options: numpy's m and k by key. */
export interface PolyintOptions { m?: number; k?: ArrayInput | null }

/**
 * np.polyint(p, m = 1, k = 0): the m-th antiderivative, k the integration constants (a scalar
 * for all, or one per integration: k[0] the first's, as numpy's). As jnp's, k of a length other
 * than 1 or m is refused (numpy takes a longer k and reads its first m).
 */
export function polyint(p: ArrayInput, m?: number | PolyintOptions, k?: ArrayInput | null | PolyintOptions): NDArray {
  const where = 'np.polyint';
  const o = readOptionalPositions<PolyintOptions>(where, [m, k], ['m', 'k'], { m: 'any', k: 'any' });
  const times = order(where, o.m ?? 1);
  const kIn = o.k ?? 0;
  const dt = floatDtype(where, [p, kIn]);
  const a = coefficients(where, 0, p, 'p', dt);
  let c = astype(operand(where, 1, kIn, dt), dt);
  if (c.ndim > 1 || (c.ndim === 1 && c.size !== 1 && c.size !== times)) {
    throw new ShapeError(`${where}: k must be a scalar or a 1-d array of length 1 or m (${times}), got ${describe(c.shape, c.dtype)}`);
  }
  if (times === 0) return a;
  c = c.size === 1 && times !== 1 ? multiply(reshape(c, [1]), ones([times], dt)) : reshape(c, [times]);
  // entry t from the end (of x^t) is divided by t(t-1)...(t-m+1), the constants by the factorials left
  const len = a.size + times;
  const divisors = Array.from({ length: len }, (_, i) => {
    const t = len - 1 - i; let f = 1;
    for (let j = 0; j < times; j++) f *= Math.max(1, t - j);
    return f;
  });
  return divide(concatenate([a, c]), array(divisors, { dtype: realOf(dt) }));
}

/**
 * np.poly(seqOfZeros): the monic polynomial with those roots, prod (x - z_k), highest power
 * first (a square matrix: its characteristic polynomial); no roots give a 0-d 1, as jnp's. Complex roots that come in conjugate pairs (exactly)
 * give the real part, numpy's check, where the values are known: under jit or vmap they are not,
 * and the result stays complex, as jnp's always is.
 */
export function poly(seqOfZeros: ArrayInput): NDArray {
  const where = 'np.poly';
  const dt = floatDtype(where, [seqOfZeros]);
  let z = astype(operand(where, 0, seqOfZeros, dt), dt);
  if (z.ndim === 0) z = reshape(z, [1]);
  if (z.ndim === 2 && z.shape[0] === z.shape[1] && z.shape[0] !== 0) return characteristic(z);
  if (z.ndim !== 1) throw new ShapeError(`${where}: seqOfZeros must be 1-d (the roots) or a non-empty square matrix, got ${describe(z.shape, z.dtype)}`);
  if (z.size === 0) return ones([], dt);
  let a = ones([1], dt);
  for (let k = 0; k < z.size; k++) {
    // a (x - z_k): a's coefficients shifted up one power, less z_k times a
    a = subtract(concatenate([a, zeros([1], dt)]), multiply(index(z, k), concatenate([zeros([1], dt), a])));
  }
  if (isComplex(dt) && conjugatePairs(where, z)) return real(a);
  return a;
}

/** numpy's test: the roots, sorted, equal their conjugates, sorted; false where the values are unknown (a tracer). */
function conjugatePairs(where: string, z: NDArray): boolean {
  let v: ArrayLike<number>;
  try { v = z._values(where) as ArrayLike<number>; } catch (e) { if (e instanceof TracerError) return false; throw e; }
  const pairs: [number, number][] = [];
  for (let i = 0; i < z.size; i++) pairs.push([v[2 * i], v[2 * i + 1]]);
  const key = (p: [number, number]) => `${p[0]},${p[1]}`;
  const a = pairs.map(key).sort(), b = pairs.map(([re, im]) => key([re, -im + 0])).sort();
  return a.every((s, i) => s === b[i]);
}

/**
 * A square matrix's characteristic polynomial, numpy's way: poly of its eigenvalues (linalg.eigvals,
 * so it differentiates away from repeated eigenvalues). A real matrix's eigenvalues come in exact
 * conjugate pairs (as LAPACK's, for numpy's check), so its coefficients are real, under jit too.
 */
function characteristic(a: NDArray): NDArray {
  const c = poly(eigvals(a));
  return isComplex(a.dtype) ? c : real(c);
}

/** polyfit's options: numpy's rcond, full, w and cov by key. */
export interface PolyfitOptions {
  /** Singular values below rcond times the largest are dropped; default len(x) times x's epsilon. */
  rcond?: number | null;
  /** Return [coef, residuals, rank, singularValues, rcond] (numpy's full output). */
  full?: boolean;
  /** Weights, one per sample, multiplying the residuals (numpy's: 1 / sigma, not 1 / sigma^2). */
  w?: ArrayInput | null;
  /** Also return the coefficients' covariance matrix: true scales it by residuals / (len(x) - deg - 1), 'unscaled' does not. */
  cov?: boolean | 'unscaled';
}

/**
 * np.polyfit(x, y, deg, { rcond, full, w, cov }): the least-squares polynomial of degree deg
 * through the points (x, y) (y 1-d, or 2-d with one fit per column), numpy's algorithm: the
 * Vandermonde columns scaled to unit norm, solved by linalg.lstsq. As jnp's, full's residuals are
 * always computed (numpy gives an empty array when the fit is rank-deficient or exact) and its
 * rcond is a 0-d Array; numpy's RankWarning is not raised.
 */
export function polyfit(x: ArrayInput, y: ArrayInput, deg: number, opts: PolyfitOptions & { full: true }): [NDArray, NDArray, NDArray, NDArray, NDArray];
export function polyfit(x: ArrayInput, y: ArrayInput, deg: number, opts: PolyfitOptions & { full?: false; cov: true | 'unscaled' }): [NDArray, NDArray];
export function polyfit(x: ArrayInput, y: ArrayInput, deg: number, opts?: PolyfitOptions & { full?: false; cov?: false }): NDArray;
export function polyfit(x: ArrayInput, y: ArrayInput, deg: number, rcond?: number | null | PolyfitOptions, full?: boolean | PolyfitOptions,
  w?: ArrayInput | null | PolyfitOptions, cov?: boolean | 'unscaled' | PolyfitOptions): NDArray | NDArray[];
export function polyfit(x: ArrayInput, y: ArrayInput, deg: number, rcond?: number | null | PolyfitOptions, full?: boolean | PolyfitOptions,
  w?: ArrayInput | null | PolyfitOptions, cov?: boolean | 'unscaled' | PolyfitOptions): NDArray | NDArray[] {
  const where = 'np.polyfit';
  const o = readOptionalPositions<PolyfitOptions>(where, [rcond, full, w, cov], ['rcond', 'full', 'w', 'cov'],
    { rcond: 'any', full: 'boolean', w: 'any', cov: 'any' });
  if (typeof deg !== 'number' || !Number.isInteger(deg) || deg < 0) throw new ValueError(`${where}: deg must be a non-negative integer, got ${show(deg)}`);
  if (o.cov !== undefined && o.cov !== true && o.cov !== false && o.cov !== 'unscaled') throw new ValueError(`${where}: cov must be true, false or 'unscaled', got ${show(o.cov)}`);
  if (o.rcond !== undefined && o.rcond !== null && (typeof o.rcond !== 'number' || Number.isNaN(o.rcond))) throw new ValueError(`${where}: rcond must be a number, got ${show(o.rcond)}`);
  const weighted = o.w !== undefined && o.w !== null;
  const dt = floatDtype(where, weighted ? [x, y, o.w as ArrayInput] : [x, y]);
  const X = astype(operand(where, 0, x, dt), dt), Y = astype(operand(where, 1, y, dt), dt);
  if (X.ndim !== 1 || X.size === 0) throw new ShapeError(`${where}: x must be a non-empty 1-d array, got ${describe(X.shape, X.dtype)}`);
  if (Y.ndim < 1 || Y.ndim > 2) throw new ShapeError(`${where}: y must be 1-d or 2-d (one fit per column), got ${describe(Y.shape, Y.dtype)}`);
  if (Y.shape[0] !== X.size) throw new ShapeError(`${where}: x and y must have the same length, got ${describe(X.shape, X.dtype)} and ${describe(Y.shape, Y.dtype)}`);
  const n = X.size, terms = deg + 1;
  const r = o.rcond ?? n * epsilon(dt);
  let lhs = vander(X, terms), rhs = Y;
  if (weighted) {
    const W = astype(operand(where, 5, o.w as ArrayInput, dt), dt);
    if (W.ndim !== 1 || W.size !== n) throw new ShapeError(`${where}: w must be 1-d with one weight per sample (${n}), got ${describe(W.shape, W.dtype)}`);
    const col = reshape(W, [n, 1]);
    lhs = multiply(lhs, col);
    rhs = multiply(rhs, Y.ndim === 2 ? col : W);
  }
  // (each column scaled to unit norm, numpy's: x^deg and x^0 differ by orders of magnitude)
  // (for complex x or w the columns' 2-norms: numpy's sqrt(sum(lhs * lhs)) is complex there; the
  // coefficients and cov do not depend on the scaling, only full's singular values do)
  // (the norms taken of the columns divided by their largest magnitude, then scaled back: the plain
  // sum of squares overflowed, x^k squared past float32's 3.4e38, so in float32 x in [0, 1000]
  // with deg 7 gave inf norms, those columns became 0 and their coefficients silently 0, rank 7
  // of 8. The largest magnitude cancels out exactly, so it is held constant for the derivatives)
  const mag = abs(lhs);
  const big = lax.stopGradient(npMax(mag, { axis: 0 }));
  const unit = choose(equal(big, 0), 1, big);
  // (a column of zeros, x all 0 with deg >= 1, scaled by 1, numpy.polynomial.polyfit's rule: its
  // norm 0 made 0 / 0 NaN coefficients, where np.polyfit raises LinAlgError; now the minimum-norm fit)
  const norms = multiply(unit, sqrt(sum(multiply(divide(mag, unit), divide(mag, unit)), { axis: 0 })));
  const realScale = choose(equal(norms, 0), 1, norms);
  lhs = divide(lhs, reshape(realScale, [1, terms]));
  const [c0, resids, rank, s] = lstsq(lhs, rhs, { rcond: r });
  const c = Y.ndim === 2 ? divide(c0, reshape(realScale, [terms, 1])) : divide(c0, realScale);
  if (o.full) return [c, resids, rank, s, array(r, { dtype: realOf(dt) })];
  if (!o.cov) return c;
  // (lhs^T lhs, not lhs^H lhs, for complex x too: numpy's and jnp's formula, so their covariances come out)
  // (divided by the scales one side at a time: their outer product overflowed float32 where each fits)
  const base = divide(divide(inv(matmul(transpose(lhs), lhs)), reshape(realScale, [terms, 1])), reshape(realScale, [1, terms]));
  if (o.cov === 'unscaled') return [c, Y.ndim === 2 ? expandDims(base, -1) : base];
  if (n <= terms) throw new ValueError(`${where}: cov scales by the residuals over len(x) - deg - 1, so it needs more points (${n}) than terms (${terms}), numpy's rule; pass cov: 'unscaled'`);
  const fac = divide(resids, n - terms); // ([1] for a 1-d y, one per column for a 2-d y)
  return [c, Y.ndim === 2 ? multiply(expandDims(base, -1), fac) : multiply(base, fac)];
}

function epsilon(dt: DType): number {
  return realOf(dt) === 'float64' ? 2 ** -52 : 2 ** -23;
}

/**
 * np.roots(p, { stripZeros = true }): the roots of the polynomial p (highest power first),
 * numpy's method: the eigenvalues of its companion matrix (linalg.eigvals, which balances it), so
 * they differentiate (away from repeated roots) and, with stripZeros false, jit and vmap. Always
 * complex, as jnp's. stripZeros (numpy's behaviour) drops leading zeros and gives trailing ones as
 * exact zero roots, which reads the values: a TracerError under jit or vmap. Without it (jnp's
 * strip_zeros=False) the result has len(p) - 1 entries, NaN for each leading zero, zero roots
 * last. The order of the other roots may differ from numpy's (LAPACK's).
 */
export function roots(p: ArrayInput, opts?: { stripZeros?: boolean }): NDArray {
  const where = 'np.roots';
  const o = readOptions<{ stripZeros?: boolean }>(where, opts, { stripZeros: 'boolean' });
  const dt = floatDtype(where, [p]);
  const a = coefficients(where, 0, p, 'p', dt);
  const out = isComplex(dt) ? dt : complexOf(dt);
  if (o.stripZeros === false) return rootsWithZeros(a, out);
  let v: ArrayLike<number>;
  try { v = a._values(where) as ArrayLike<number>; } catch (e) {
    if (!(e instanceof TracerError)) throw e;
    throw new TracerError(`${where}: stripping p's leading and trailing zeros reads its values, which ${describe(a.shape, a.dtype)} under jit or vmap ` +
      'does not have; pass { stripZeros: false } (jnp\'s strip_zeros=False: NaN roots for leading zeros)');
  }
  const step = isComplex(dt) ? 2 : 1, nz: number[] = [];
  for (let i = 0; i < a.size; i++) {
    if (!Number.isFinite(v[i * step]) || (step === 2 && !Number.isFinite(v[i * step + 1]))) throw new ValueError(`${where}: p must be finite (numpy raises too), got ${show(a)}`);
    if (v[i * step] !== 0 || (step === 2 && v[i * step + 1] !== 0)) nz.push(i);
  }
  if (nz.length === 0) return zeros([0], out);
  const trailing = a.size - 1 - nz[nz.length - 1];
  // (the companion row -p[k] / p[0] must be finite: [1e-300, 1, 1e300] gave inf there and NaN
  // roots silently, where numpy's eigvals raises LinAlgError 'Array must not contain infs or NaNs')
  const mag = (i: number) => Math.hypot(v[i * step], step === 2 ? v[i * step + 1] : 0);
  const limit = realOf(dt) === 'float32' ? 3.4028234663852886e38 : Number.MAX_VALUE;
  for (let i = nz[0] + 1; i <= nz[nz.length - 1]; i++) {
    if (!(mag(i) / mag(nz[0]) <= limit)) {
      throw new ValueError(`${where}: p[${i}] / p[${nz[0]}] (over the leading nonzero coefficient, |${mag(i)}| / |${mag(nz[0])}|) overflows ${realOf(dt)}, ` +
        'so the companion matrix is not finite (numpy raises LinAlgError); rescale p');
    }
  }
  const w = companionRoots(slice(a, [nz[0]], [nz[nz.length - 1] + 1]), out);
  return trailing === 0 ? w : concatenate([w, zeros([trailing], out)]);
}

/** The eigenvalues of c's companion matrix (first row -c[1:] / c[0], ones below the diagonal). */
function companionRoots(c: NDArray, out: DType): NDArray {
  const n = c.size - 1;
  if (n <= 0) return zeros([0], out);
  const first = reshape(divide(negative(slice(c, [1], [n + 1])), index(c, 0)), [1, n]);
  const A = n === 1 ? first : concatenate([first, eye(n - 1, n, { dtype: c.dtype })]);
  return astype(eigvals(A), out);
}

/**
 * jnp's roots with strip_zeros=False, without reading values: p's L leading and T trailing zeros
 * are counted with array ops, and the companion matrix of the d = m - 1 - L - T nonzero-coefficient
 * core sits in the top left of an (m - 1) x (m - 1) matrix whose other rows and columns are 0, so
 * those m - 1 - d eigenvalues come out exactly 0 (rolling the leading zeros to the end, jnp's way,
 * left a multiple root at 0 for the iteration, as ~eps^(1/k): 1.09e-8 - 7.1e-9i for a root 1e-8).
 * The zeros go last, and the last L of them are NaN (a leading zero's root), as jnp's.
 */
function rootsWithZeros(a: NDArray, out: DType): NDArray {
  const m = a.size;
  if (m <= 1) return zeros([0], out);
  const zero = astype(equal(a, 0), 'int32');
  const lead = sum(cumprod(zero));                                        // m when p is all 0
  const trail = sum(cumprod(take(zero, arange(m - 1, -1, -1, { dtype: 'int32' }))));
  const allZero = equal(lead, m);
  const d = choose(allZero, 0, subtract(m - 1, add(lead, trail)));      // the core's degree
  const j = arange(m - 1, { dtype: 'int32' });
  const lead0 = take(a, clip(lead, 0, m - 1));
  const row = choose(less(j, d), divide(negative(take(a, clip(add(add(j, 1), lead), 0, m - 1))), choose(allZero, 1, lead0)), 0);
  // ones below the diagonal in the core's columns: (i, i - 1) for 1 <= i < d
  const sub = astype(logicalAnd(equal(expandDims(j, 1), add(expandDims(j, 0), 1)), less(expandDims(j, 1), d)), a.dtype);
  const A = concatenate([reshape(row, [1, m - 1]), slice(sub, [1, 0], [m - 1, m - 1])]);
  const w = astype(eigvals(A), out);
  const zerosLast = take(w, argsort(astype(equal(w, 0), 'int32'), { stable: true }));
  const nan = array({ re: NaN, im: NaN }, { dtype: out });
  return choose(less(j, subtract(m - 1, choose(allZero, m - 1, lead))), zerosLast, nan);
}
