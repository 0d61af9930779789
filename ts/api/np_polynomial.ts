// numpy's polynomial functions on coefficient arrays, highest degree first (jnp.poly, polyadd,
// polysub, polymul, polydiv, polyder, polyint, polyfit), composed from the np functions, so they
// differentiate, batch and jit as those do; np.roots is eager only (an eigenvalue iteration in JS).
// As jnp's, all but polyadd and polysub compute in a float dtype (integer and bool inputs in
// float32; numpy keeps integers in polyder and polyint).
import { NDArray, ArrayInput } from './array.js';
import * as lax from './lax.js';
import {
  add, subtract, multiply, divide, astype, floatDtype, commonDtype, concatenate, zeros, ones, reshape, slice, index,
  sum, sqrt, matmul, transpose, expandDims, outer, vander, convolve, real, stack, array, where as choose, zerosLike,
} from './numpy.js';
import { isfinite } from './np_elementwise.js';
import { operand } from './np_shared.js';
import { lstsq } from './linalg_decomp.js';
import { inv } from './linalg.js';
import { readOptionalPositions, show } from './options.js';
import { ShapeError, TracerError, ValueError, describe } from '../core/errors.js';
import { isComplex, realOf, complexOf, type DType } from '../core/dtype.js';
import { inTrace } from '../core/trace.js';

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
  const where = 'np.polyadd';
  const dt = commonDtype(where, [a1, a2]);
  const x = coefficients(where, 0, a1, 'a1', dt), y = coefficients(where, 1, a2, 'a2', dt);
  const n = Math.max(x.size, y.size);
  return add(padFront(x, n - x.size), padFront(y, n - y.size));
}

/** np.polysub(a1, a2): a1 - a2, the shorter padded with leading zeros; integers stay integers (bool is refused, as numpy's and jnp's). */
export function polysub(a1: ArrayInput, a2: ArrayInput): NDArray {
  const where = 'np.polysub';
  const dt = commonDtype(where, [a1, a2]);
  if (dt === 'bool') throw new ValueError(`${where}: bool coefficients cannot be subtracted (numpy and jnp refuse them too); convert them to a number dtype`);
  const x = coefficients(where, 0, a1, 'a1', dt), y = coefficients(where, 1, a2, 'a2', dt);
  const n = Math.max(x.size, y.size);
  return subtract(padFront(x, n - x.size), padFront(y, n - y.size));
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
 * first; no roots give a 0-d 1, as jnp's. Complex roots that come in conjugate pairs (exactly)
 * give the real part, numpy's check, where the values are known: under jit or vmap they are not,
 * and the result stays complex, as jnp's always is.
 */
export function poly(seqOfZeros: ArrayInput): NDArray {
  const where = 'np.poly';
  const dt = floatDtype(where, [seqOfZeros]);
  let z = astype(operand(where, 0, seqOfZeros, dt), dt);
  if (z.ndim === 0) z = reshape(z, [1]);
  if (z.ndim === 2 && z.shape[0] === z.shape[1] && z.shape[0] !== 0) {
    return characteristic(where, z);
  }
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
 * A matrix's characteristic polynomial is refused: numpy takes it from the eigenvalues, and there
 * is no general eigenvalue routine here that differentiates; the Faddeev-LeVerrier recurrence
 * (traces of powers) lost every digit of the small coefficients once the eigenvalues spread over
 * a few orders of magnitude.
 */
function characteristic(where: string, a: NDArray): NDArray {
  throw new ValueError(`${where}: the characteristic polynomial of a square matrix (${describe(a.shape, a.dtype)}) is not offered here ` +
    '(numpy computes it from the eigenvalues, which this library has no general routine for); pass its roots (eigenvalues) as a 1-d array instead');
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
  const realScale = sqrt(sum(isComplex(dt) ? real(multiply(lhs, lax.conj(lhs))) : multiply(lhs, lhs), { axis: 0 }));
  lhs = divide(lhs, reshape(realScale, [1, terms]));
  const [c0, resids, rank, s] = lstsq(lhs, rhs, { rcond: r });
  const c = Y.ndim === 2 ? divide(c0, reshape(realScale, [terms, 1])) : divide(c0, realScale);
  if (o.full) return [c, resids, rank, s, array(r, { dtype: realOf(dt) })];
  if (!o.cov) return c;
  // (lhs^T lhs, not lhs^H lhs, for complex x too: numpy's and jnp's formula, so their covariances come out)
  const base = divide(inv(matmul(transpose(lhs), lhs)), outer(realScale, realScale));
  if (o.cov === 'unscaled') return [c, Y.ndim === 2 ? expandDims(base, -1) : base];
  if (n <= terms) throw new ValueError(`${where}: cov scales by the residuals over len(x) - deg - 1, so it needs more points (${n}) than terms (${terms}), numpy's rule; pass cov: 'unscaled'`);
  const fac = divide(resids, n - terms); // ([1] for a 1-d y, one per column for a 2-d y)
  return [c, Y.ndim === 2 ? multiply(expandDims(base, -1), fac) : multiply(base, fac)];
}

function epsilon(dt: DType): number {
  return realOf(dt) === 'float64' ? 2 ** -52 : 2 ** -23;
}

/**
 * np.roots(p): the roots of the polynomial p (highest power first), numpy's method: the
 * eigenvalues of the balanced companion matrix, here by Francis double-shift QR on float64 values
 * in JS. Eager only (the number of roots and the iteration depend on the values): under jit, vmap
 * or grad a TracerError. As jnp's, the result is always complex (numpy's is real when every root
 * is); leading zeros are stripped and trailing ones give exact zero roots, as numpy's. The order
 * of the roots may differ from numpy's (LAPACK's). Complex coefficients are refused.
 */
export function roots(p: ArrayInput): NDArray {
  const where = 'np.roots';
  const dt = floatDtype(where, [p]);
  const a = coefficients(where, 0, p, 'p', dt);
  const out = complexOf(dt);
  if (isComplex(dt)) throw new ValueError(`${where}: complex coefficients are not supported (its eigenvalue routine is real, Francis QR); got ${describe(a.shape, a.dtype)}`);
  if (inTrace()) {
    throw new TracerError(`${where}: needs concrete coefficients (the roots come from an eager eigenvalue iteration in JS, and their number depends on the leading zeros); call it outside jit, vmap and grad`);
  }
  const v = Array.from(a._values(where) as ArrayLike<number>, Number);
  if (v.some((c) => !Number.isFinite(c))) throw new ValueError(`${where}: p must be finite (numpy raises too), got ${show(v)}`);
  const nonzero = v.flatMap((c, i) => (c !== 0 ? [i] : []));
  if (nonzero.length === 0) return zeros([0], out);
  const trailing = v.length - 1 - nonzero[nonzero.length - 1];
  const c = v.slice(nonzero[0], nonzero[nonzero.length - 1] + 1);
  const n = c.length - 1;
  const re: number[] = [], im: number[] = [];
  if (n > 0) {
    // companion matrix, 1-based as EISPACK's: first row -c[1:] / c[0], ones below the diagonal
    const A = Array.from({ length: n + 1 }, () => new Float64Array(n + 1));
    for (let j = 1; j <= n; j++) A[1][j] = -c[j] / c[0];
    for (let i = 2; i <= n; i++) A[i][i - 1] = 1;
    balance(A, n);
    hqr(where, A, n, re, im);
  }
  for (let k = 0; k < trailing; k++) { re.push(0); im.push(0); }
  return array(re.map((r, k) => ({ re: r, im: im[k] })), { dtype: out });
}

/** Diagonal similarity by powers of two that evens the rows' and columns' norms (EISPACK's balanc): keeps the Hessenberg form, and the eigenvalues' accuracy. */
function balance(A: Float64Array[], n: number): void {
  const RADIX = 2, sqrdx = RADIX * RADIX;
  let done = false;
  while (!done) {
    done = true;
    for (let i = 1; i <= n; i++) {
      let r = 0, c = 0;
      for (let j = 1; j <= n; j++) if (j !== i) { c += Math.abs(A[j][i]); r += Math.abs(A[i][j]); }
      if (c === 0 || r === 0) continue;
      let g = r / RADIX, f = 1;
      const s = c + r;
      while (c < g) { f *= RADIX; c *= sqrdx; }
      g = r * RADIX;
      while (c > g) { f /= RADIX; c /= sqrdx; }
      if ((c + r) / f < 0.95 * s) {
        done = false;
        g = 1 / f;
        for (let j = 1; j <= n; j++) A[i][j] *= g;
        for (let j = 1; j <= n; j++) A[j][i] *= f;
      }
    }
  }
}

/**
 * The eigenvalues of the upper Hessenberg A[1..n][1..n] (overwritten) by Francis double-shift QR
 * with deflation and exceptional shifts (EISPACK's hqr), appended to re and im; a conjugate pair
 * comes out together.
 */
function hqr(where: string, A: Float64Array[], n: number, re: number[], im: number[]): void {
  const wr = new Float64Array(n + 1), wi = new Float64Array(n + 1);
  let anorm = 0;
  for (let i = 1; i <= n; i++) for (let j = Math.max(i - 1, 1); j <= n; j++) anorm += Math.abs(A[i][j]);
  let nn = n, t = 0;
  let p = 0, q = 0, r = 0, s = 0, w = 0, x = 0, y = 0, z = 0;
  while (nn >= 1) {
    let its = 0, l: number;
    do {
      for (l = nn; l >= 2; l--) { // (a negligible subdiagonal entry splits the matrix)
        s = Math.abs(A[l - 1][l - 1]) + Math.abs(A[l][l]);
        if (s === 0) s = anorm;
        if (Math.abs(A[l][l - 1]) + s === s) { A[l][l - 1] = 0; break; }
      }
      x = A[nn][nn];
      if (l === nn) { // one root found
        wr[nn] = x + t; wi[nn] = 0; nn--;
      } else {
        y = A[nn - 1][nn - 1];
        w = A[nn][nn - 1] * A[nn - 1][nn];
        if (l === nn - 1) { // two roots: the trailing 2 x 2 block's
          p = 0.5 * (y - x);
          q = p * p + w;
          z = Math.sqrt(Math.abs(q));
          x += t;
          if (q >= 0) {
            z = p + (p >= 0 ? Math.abs(z) : -Math.abs(z));
            wr[nn - 1] = wr[nn] = x + z;
            if (z !== 0) wr[nn] = x - w / z;
            wi[nn - 1] = wi[nn] = 0;
          } else {
            wr[nn - 1] = wr[nn] = x + p;
            wi[nn] = z; wi[nn - 1] = -z;
          }
          nn -= 2;
        } else {
          if (its === 60) throw new ValueError(`${where}: the eigenvalue iteration did not converge after 60 sweeps (numpy's LinAlgError)`);
          if (its > 0 && its % 10 === 0) { // exceptional shift
            t += x;
            for (let i = 1; i <= nn; i++) A[i][i] -= x;
            s = Math.abs(A[nn][nn - 1]) + Math.abs(A[nn - 1][nn - 2]);
            y = x = 0.75 * s;
            w = -0.4375 * s * s;
          }
          ++its;
          let m: number;
          for (m = nn - 2; m >= l; m--) { // two consecutive small subdiagonal entries
            z = A[m][m];
            r = x - z; s = y - z;
            p = (r * s - w) / A[m + 1][m] + A[m][m + 1];
            q = A[m + 1][m + 1] - z - r - s;
            r = A[m + 2][m + 1];
            s = Math.abs(p) + Math.abs(q) + Math.abs(r);
            p /= s; q /= s; r /= s;
            if (m === l) break;
            const u = Math.abs(A[m][m - 1]) * (Math.abs(q) + Math.abs(r));
            const vv = Math.abs(p) * (Math.abs(A[m - 1][m - 1]) + Math.abs(z) + Math.abs(A[m + 1][m + 1]));
            if (u + vv === vv) break;
          }
          for (let i = m + 2; i <= nn; i++) {
            A[i][i - 2] = 0;
            if (i !== m + 2) A[i][i - 3] = 0;
          }
          for (let k = m; k <= nn - 1; k++) { // the double QR step on rows and columns l..nn
            if (k !== m) {
              p = A[k][k - 1]; q = A[k + 1][k - 1]; r = 0;
              if (k !== nn - 1) r = A[k + 2][k - 1];
              x = Math.abs(p) + Math.abs(q) + Math.abs(r);
              if (x !== 0) { p /= x; q /= x; r /= x; }
            }
            const root = Math.sqrt(p * p + q * q + r * r);
            s = p >= 0 ? root : -root;
            if (s !== 0) {
              if (k === m) {
                if (l !== m) A[k][k - 1] = -A[k][k - 1];
              } else A[k][k - 1] = -s * x;
              p += s;
              x = p / s; y = q / s; z = r / s;
              q /= p; r /= p;
              for (let j = k; j <= nn; j++) {
                p = A[k][j] + q * A[k + 1][j];
                if (k !== nn - 1) { p += r * A[k + 2][j]; A[k + 2][j] -= p * z; }
                A[k + 1][j] -= p * y;
                A[k][j] -= p * x;
              }
              const mmin = nn < k + 3 ? nn : k + 3;
              for (let i = l; i <= mmin; i++) {
                p = x * A[i][k] + y * A[i][k + 1];
                if (k !== nn - 1) { p += z * A[i][k + 2]; A[i][k + 2] -= p * r; }
                A[i][k + 1] -= p * q;
                A[i][k] -= p;
              }
            }
          }
        }
      }
    } while (l! < nn - 1);
  }
  for (let i = 1; i <= n; i++) { re.push(wr[i]); im.push(wi[i]); }
}
