// Orthogonal decompositions on batches of row-major matrices: Householder QR, the symmetric
// eigendecomposition by tridiagonalization and implicit QL (EISPACK's tred2 / tql2), and the SVD
// by one-sided (Hestenes) Jacobi, chosen for its accuracy (small singular values to full
// relative precision) and short code (bidiagonalization + QR is the faster route for large n).
// Generic over the stored dtype T; the arithmetic is float64 in scratch, rounded once on output.
import { scratch, SLOT_A, SLOT_B, SLOT_TMP, F64s, I32s, Bools, vectors, f64s, i32s, bools } from './scratch';

@inline function ld<T>(p: usize, i: i32): f64 { return <f64>load<T>(p + (<usize>i) * sizeof<T>()); }
@inline function st<T>(p: usize, i: i32, v: f64): void { store<T>(p + (<usize>i) * sizeof<T>(), <T>v); }
@inline function ldd(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline function std(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }

// ---------------------------------------------------------------- QR

/**
 * QR of `batch` m x n matrices by Householder reflections: A = Q R, Q [m, kq] with orthonormal
 * columns, R [kq, n] upper triangular (kq = min(m, n), or m for the complete form). A column
 * already zero below the diagonal is left as it is (no reflection), as LAPACK's geqrf.
 */
export function qr<T>(a: usize, qOut: usize, rOut: usize, batch: i32, m: i32, n: i32, complete: bool): void {
  const k = min(m, n), kq = complete ? m : k;
  const W = scratch(SLOT_A, <usize>m * <usize>n << 3);     // the matrix being reduced
  const V = scratch(SLOT_B, <usize>m * <usize>k << 3);     // reflector j in column j (rows j..m-1)
  const Q = scratch(SLOT_TMP, <usize>m * <usize>kq << 3);
  const vec = vectors(k + max(n, kq) + 2);
  const beta = f64s(vec, 0), acc = vec + (<usize>k << 3);
  for (let t = 0; t < batch; t++) {
    const A = a + <usize>t * <usize>m * <usize>n * sizeof<T>();
    for (let i = 0; i < m * n; i++) std(W, i, ld<T>(A, i));
    for (let j = 0; j < k; j++) {
      // LAPACK's dlarfg: H = I - tau v v^T with v = [1, x_below / (x0 - alpha)], no squares of
      // the entries (their sum of squares underflowed below ~1e-154, and the column was skipped)
      const below = scaledNorm(W + (<usize>((j + 1) * n + j) << 3), n, m - j - 1);
      const x0 = ldd(W, j * n + j);
      if (below == 0) { beta[j] = 0; continue; }
      const norm = Math.hypot(x0, below);
      const alpha = x0 >= 0 ? -norm : norm;
      const v0 = x0 - alpha;
      std(V, j * k + j, 1);
      for (let i = j + 1; i < m; i++) std(V, i * k + j, ldd(W, i * n + j) / v0);
      const b = (alpha - x0) / alpha;
      beta[j] = b;
      reflect(W, n, V, k, j, m, j, n, b, acc);
    }
    // Q = H_0 ... H_{k-1} I[:, :kq], applied from the last reflector (columns < j are still e_c).
    memory.fill(Q, 0, <usize>m * <usize>kq << 3);
    for (let i = 0; i < kq; i++) std(Q, i * kq + i, 1);
    for (let j = k - 1; j >= 0; j--) if (beta[j] != 0) reflect(Q, kq, V, k, j, m, j, kq, beta[j], acc);
    const qo = qOut + <usize>t * <usize>m * <usize>kq * sizeof<T>();
    for (let i = 0; i < m * kq; i++) st<T>(qo, i, ldd(Q, i));
    const ro = rOut + <usize>t * <usize>kq * <usize>n * sizeof<T>();
    for (let i = 0; i < kq; i++) for (let c = 0; c < n; c++) st<T>(ro, i * n + c, c >= i && i < m ? ldd(W, i * n + c) : 0);
  }
}

/** The 2-norm of len float64 values `stride` apart, scaled by their largest magnitude (no under- or overflow of the squares). */
function scaledNorm(p: usize, stride: i32, len: i32): f64 {
  let big = 0.0;
  for (let i = 0; i < len; i++) big = max(big, Math.abs(ldd(p, i * stride)));
  if (big == 0 || !isFinite(big)) return big;
  let s = 0.0;
  for (let i = 0; i < len; i++) { const x = ldd(p, i * stride) / big; s += x * x; }
  return big * Math.sqrt(s);
}

/**
 * M[j:r1, c0:c1] -= b v (v^T M[j:r1, c0:c1]) for the reflector v in column j of V (rows j..r1,
 * row stride kv), M row-major with row stride ld: two passes of SIMD row updates (no strided
 * column walks).
 */
function reflect(M: usize, ld: i32, V: usize, kv: i32, j: i32, r1: i32, c0: i32, c1: i32, b: f64, s: usize): void {
  const len = c1 - c0;
  memory.fill(s, 0, <usize>len << 3);
  for (let i = j; i < r1; i++) rowAxpy(s, M + (<usize>(i * ld + c0) << 3), -ldd(V, i * kv + j), len);
  for (let i = j; i < r1; i++) rowAxpy(M + (<usize>(i * ld + c0) << 3), s, b * ldd(V, i * kv + j), len);
}

/** y[0, len) -= a x[0, len) (float64 rows). */
@inline function rowAxpy(y: usize, x: usize, a: f64, len: i32): void {
  const va = f64x2.splat(a);
  let i = 0;
  for (; i + 2 <= len; i += 2) { const o = <usize>i << 3; v128.store(y + o, f64x2.sub(v128.load(y + o), f64x2.mul(va, v128.load(x + o)))); }
  for (; i < len; i++) std(y, i, ldd(y, i) - a * ldd(x, i));
}

// ---------------------------------------------------------------- symmetric eigendecomposition

/**
 * Eigenvalues (ascending) and eigenvectors (columns of V) of `batch` n x n matrices, read as
 * (A + A^T) / 2: A = V diag(w) V^T. Householder reduction to tridiagonal form, then the implicit
 * QL method with Wilkinson-like shifts (EISPACK's tred2 and tql2, as JAMA writes them), the
 * rotations applied to rows of V^T so that they are contiguous.
 */
export function eigh<T>(a: usize, wOut: usize, vOut: usize, batch: i32, n: i32): void {
  if (n == 0 || batch == 0) return; // (no eigenvalues; tred2/tql2 index row 0)
  const W = scratch(SLOT_A, <usize>n * <usize>n << 3); // A, then V^T
  const vec = vectors(3 * n);
  const d = f64s(vec, 0), e = f64s(vec, n), order = i32s(vec, 2 * n);
  for (let t = 0; t < batch; t++) {
    const A = a + <usize>t * <usize>n * <usize>n * sizeof<T>();
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) std(W, i * n + j, 0.5 * (ld<T>(A, i * n + j) + ld<T>(A, j * n + i)));
    tred2(W, d, e, n);
    tql2(W, d, e, n);
    sortedOrder(d, order, n, true);
    const wo = wOut + <usize>(t * n) * sizeof<T>(), vo = vOut + <usize>t * <usize>n * <usize>n * sizeof<T>();
    for (let j = 0; j < n; j++) {
      const o = order[j];
      st<T>(wo, j, d[o]);
      for (let i = 0; i < n; i++) st<T>(vo, i * n + j, ldd(W, o * n + i));
    }
  }
}

/**
 * Householder tridiagonalization of the symmetric matrix in U: diagonal d, subdiagonal e[1..];
 * U is overwritten by the transpose of the orthogonal factor V (its rows are V's columns, the
 * layout tql2 rotates). JAMA's tred2 on V, with every V[r][c] read as U[c][r]: its inner loops
 * ran down columns (a stride of n doubles); on U they run along rows.
 */
function tred2(U: usize, d: F64s, e: F64s, n: i32): void {
  for (let j = 0; j < n; j++) d[j] = ldd(U, j * n + n - 1);
  for (let i = n - 1; i > 0; i--) {
    let scale = 0.0, h = 0.0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale == 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) { d[j] = ldd(U, j * n + i - 1); std(U, j * n + i, 0); std(U, i * n + j, 0); }
    } else {
      for (let k = 0; k < i; k++) { d[k] /= scale; h += d[k] * d[k]; }
      let f = d[i - 1], g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        std(U, i * n + j, f);
        const row = U + (<usize>(j * n) << 3);
        e[j] = e[j] + ldd(row, j) * f + dotAxpy(row, changetype<usize>(d), changetype<usize>(e), f, j + 1, i);
      }
      f = 0;
      for (let j = 0; j < i; j++) { e[j] /= h; f += e[j] * d[j]; }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j]; g = e[j];
        const row = U + (<usize>(j * n) << 3);
        rank2(row, changetype<usize>(e), changetype<usize>(d), f, g, j, i);
        d[j] = ldd(row, i - 1);
        std(row, i, 0);
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    std(U, i * n + n - 1, ldd(U, i * n + i));
    std(U, i * n + i, 1);
    const h = d[i + 1];
    const hv = U + (<usize>((i + 1) * n) << 3); // the Householder vector, row i + 1
    if (h != 0) {
      for (let k = 0; k <= i; k++) d[k] = ldd(hv, k) / h;
      for (let j = 0; j <= i; j++) {
        const row = U + (<usize>(j * n) << 3);
        const g = dot(hv, row, i + 1);
        axpy(row, changetype<usize>(d), g, i + 1);
      }
    }
    for (let k = 0; k <= i; k++) std(hv, k, 0);
  }
  for (let j = 0; j < n; j++) { d[j] = ldd(U, j * n + n - 1); std(U, j * n + n - 1, 0); }
  std(U, (n - 1) * n + n - 1, 1);
  e[0] = 0;
}

/** sum over k in [k0, k1) of row[k] d[k], while e[k] += row[k] f (tred2's symmetric product, two lanes at a time). */
@inline function dotAxpy(row: usize, d: usize, e: usize, f: f64, k0: i32, k1: i32): f64 {
  const vf = f64x2.splat(f);
  let acc = f64x2.splat(0);
  let k = k0;
  for (; k + 2 <= k1; k += 2) {
    const o = <usize>k << 3;
    const r = v128.load(row + o);
    acc = f64x2.add(acc, f64x2.mul(r, v128.load(d + o)));
    v128.store(e + o, f64x2.add(v128.load(e + o), f64x2.mul(r, vf)));
  }
  let g = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; k < k1; k++) { const r = ldd(row, k); g += r * ldd(d, k); std(e, k, ldd(e, k) + r * f); }
  return g;
}

/** row[k] -= f x[k] + g y[k] for k in [k0, k1). */
@inline function rank2(row: usize, x: usize, y: usize, f: f64, g: f64, k0: i32, k1: i32): void {
  const vf = f64x2.splat(f), vg = f64x2.splat(g);
  let k = k0;
  for (; k + 2 <= k1; k += 2) {
    const o = <usize>k << 3;
    v128.store(row + o, f64x2.sub(v128.load(row + o), f64x2.add(f64x2.mul(vf, v128.load(x + o)), f64x2.mul(vg, v128.load(y + o)))));
  }
  for (; k < k1; k++) std(row, k, ldd(row, k) - (f * ldd(x, k) + g * ldd(y, k)));
}

/** row[k] -= g x[k] for k < len. */
@inline function axpy(row: usize, x: usize, g: f64, len: i32): void {
  const vg = f64x2.splat(g);
  let k = 0;
  for (; k + 2 <= len; k += 2) {
    const o = <usize>k << 3;
    v128.store(row + o, f64x2.sub(v128.load(row + o), f64x2.mul(vg, v128.load(x + o))));
  }
  for (; k < len; k++) std(row, k, ldd(row, k) - g * ldd(x, k));
}

/** sum over k < len of x[k] y[k], two lanes at a time. */
@inline function dot(x: usize, y: usize, len: i32): f64 {
  let acc = f64x2.splat(0);
  let k = 0;
  for (; k + 2 <= len; k += 2) {
    const o = <usize>k << 3;
    acc = f64x2.add(acc, f64x2.mul(v128.load(x + o), v128.load(y + o)));
  }
  let g = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; k < len; k++) g += ldd(x, k) * ldd(y, k);
  return g;
}

/**
 * Implicit QL on the tridiagonal (d, e), the rotations applied to the rows of W = V^T (rows of
 * `len` float64s: n for a real V, 2n for a complex one, whose rotations are real).
 */
export function tql2(W: usize, d: F64s, e: F64s, n: i32, len: i32 = n): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  if (n > 0) e[n - 1] = 0;
  let f = 0.0, tst1 = 0.0;
  const eps = Math.pow(2.0, -52.0);
  // EISPACK shifts every later diagonal entry and adds the shifts back at the end, which left a
  // tiny eigenvalue of a split-off block (1e-200 beside 1 and 3) at 0: the shifts (and their sum
  // f) stay inside the unreduced block being worked on, as LAPACK's dsteqr splits blocks first.
  let blockEnd = -1;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) { if (Math.abs(e[m]) <= eps * tst1) break; m++; }
    if (m == n) m = n - 1;
    if (l > blockEnd) { blockEnd = m; f = 0; }
    if (m > l) {
      let iter = 0;
      do {
        iter++;
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        // d[l + 1] - g shifted, = e (p + r) = (d[l + 1] - g) + d[l]; the product form gave e * inf
        // = inf (NaN after) where |e| is below ~1e-308 of the gap and p overflowed (a subnormal
        // e from the scaling: [[1, 1e-10], [1e-10, 1e300]] was all NaN)
        const pr = p + r;
        d[l + 1] = isFinite(pr) ? e[l] * pr : (d[l + 1] - g) + d[l];
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i <= blockEnd; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1.0, c2 = 1.0, c3 = 1.0, s = 0.0, s2 = 0.0;
        const el1 = e[l + 1];
        for (let i = m - 1; i >= l; i--) {
          c3 = c2; c2 = c; s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          rotateRows(W + (<usize>(i * len) << 3), W + (<usize>((i + 1) * len) << 3), c, s, len);
        }
        p = -s * s2 * c3 * el1 * e[l] / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1 && iter < 100);
      // (not converged in 100 sweeps: a NaN eigenvalue says so, as JAX's NaNs for LAPACK's info > 0,
      // where the unfinished value was returned as if it were one)
      if (Math.abs(e[l]) > eps * tst1) d[l] = NaN;
    }
    d[l] += f;
    e[l] = 0;
  }
}

/** (x, y) <- (c x - s y, s x + c y) on two rows of n float64s. */
@inline function rotateRows(x: usize, y: usize, c: f64, s: f64, n: i32): void {
  const vc = f64x2.splat(c), vs = f64x2.splat(s);
  let k = 0;
  for (; k + 2 <= n; k += 2) {
    const o = <usize>k << 3;
    const a = v128.load(x + o), b = v128.load(y + o);
    v128.store(y + o, f64x2.add(f64x2.mul(vs, a), f64x2.mul(vc, b)));
    v128.store(x + o, f64x2.sub(f64x2.mul(vc, a), f64x2.mul(vs, b)));
  }
  for (; k < n; k++) {
    const a = ldd(x, k), b = ldd(y, k);
    std(y, k, s * a + c * b);
    std(x, k, c * a - s * b);
  }
}

// ---------------------------------------------------------------- SVD

/**
 * Orthonormal completion: rows [from, count) of M (rows of length L, rows [0, from) orthonormal
 * or zero) that are zero are replaced by unit vectors orthogonal to every other row (Gram-Schmidt
 * of the coordinate vector with the largest residual, twice for stability).
 */
function completeRows(M: usize, L: i32, count: i32, isZero: Bools): void {
  const v = scratch(SLOT_TMP, <usize>L << 3);
  for (let r = 0; r < count; r++) {
    if (!isZero[r]) continue;
    let best = -1.0, bi = 0;
    for (let i = 0; i < L; i++) {
      let res = 1.0; // |e_i - sum (m_j . e_i) m_j|^2 = 1 - sum m_j[i]^2 for orthonormal rows
      for (let j = 0; j < count; j++) if (j != r) { const x = ldd(M, j * L + i); res -= x * x; } // zero rows add 0
      if (res > best) { best = res; bi = i; }
    }
    for (let i = 0; i < L; i++) std(v, i, i == bi ? 1 : 0);
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < count; j++) {
        if (j == r) continue;
        let dot = 0.0;
        for (let i = 0; i < L; i++) dot += ldd(M, j * L + i) * ldd(v, i);
        for (let i = 0; i < L; i++) std(v, i, ldd(v, i) - dot * ldd(M, j * L + i));
      }
    }
    let nrm = 0.0;
    for (let i = 0; i < L; i++) nrm += ldd(v, i) * ldd(v, i);
    nrm = Math.sqrt(nrm);
    for (let i = 0; i < L; i++) std(M, r * L + i, ldd(v, i) / nrm);
    isZero[r] = false;
  }
}

/**
 * Whether row j's normalized vector needs reorthogonalize: its singular value is so far below the
 * largest (the input is scaled to a largest entry near 1) that its squares and its products with
 * another tiny row underflow, so Jacobi's convergence test, relative to those norms, saw nothing.
 * Above 1e-100 of the largest, that test already leaves the rows orthogonal to ~1e-15.
 */
@inline export function underflowedRow(sv: F64s, order: I32s, j: i32): bool {
  const s = sv[order[j]];
  return isFinite(s) && s <= 1e-100 * sv[order[0]];
}

/**
 * The normalized rows [0, k) of M (sorted by singular value, descending) made orthonormal where
 * needed: each underflowedRow is projected off the earlier ones (Gram-Schmidt, twice). Rows of a
 * singular value near the underflow level of the largest (a rank-deficient matrix: 1e-157 or
 * 1e-307 beside 8) are noise, as far from orthogonal as Jacobi's convergence test cannot see: one
 * came out a copy of another (U^T U off the identity by 1). One that loses more than half its
 * length is dropped (`isZero`) for completeRows to replace. (On every row this pass cost ~30% of
 * a 256 x 256 svd.)
 */
function reorthogonalize(M: usize, L: i32, k: i32, isZero: Bools, sv: F64s, order: I32s): void {
  for (let j = 1; j < k; j++) {
    if (isZero[j] || !underflowedRow(sv, order, j)) continue;
    const rj = M + (<usize>(j * L) << 3);
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < j; i++) {
        if (isZero[i] || !isFinite(sv[order[i]])) continue;
        const ri = M + (<usize>(i * L) << 3);
        axpy(rj, ri, dot(ri, rj, L), L);
      }
    }
    const nrm = Math.sqrt(dot(rj, rj, L));
    if (nrm < 0.5) { isZero[j] = true; continue; }
    for (let i = 0; i < L; i++) std(rj, i, ldd(rj, i) / nrm);
  }
}

/**
 * Singular values (descending) and vectors of `batch` m x n matrices: A = U diag(s) Vt, with
 * k = min(m, n) values, U [m, ku], Vt [kv, n] (ku = kv = k reduced; m and n for full matrices).
 * One-sided Jacobi on the k rows of length L = max(m, n) of A^T (m >= n) or A (m < n): plane
 * rotations make the rows orthogonal, their norms are the singular values, the normalized rows
 * one set of singular vectors and the accumulated rotations the other.
 */
export function svd<T>(a: usize, sOut: usize, uOut: usize, vtOut: usize, batch: i32, m: i32, n: i32, full: bool): void {
  const k = min(m, n), L = max(m, n), tall = m >= n;
  const ku = full ? m : k, kv = full ? n : k;
  const R = scratch(SLOT_A, <usize>(full ? L : k) * <usize>L << 3); // rows of length L (the first k are the data)
  const G = scratch(SLOT_B, <usize>k * <usize>k << 3); // rotations: row j = column j of the k x k factor
  const vec = vectors(2 * k + L);
  const sv = f64s(vec, 0), order = i32s(vec, k), zero = bools(vec, 2 * k);
  for (let t = 0; t < batch; t++) {
    const A = a + <usize>t * <usize>m * <usize>n * sizeof<T>();
    for (let r = 0; r < k; r++) for (let i = 0; i < L; i++) std(R, r * L + i, tall ? ld<T>(A, i * n + r) : ld<T>(A, r * n + i));
    memory.fill(G, 0, <usize>k * <usize>k << 3);
    for (let i = 0; i < k; i++) std(G, i * k + i, 1);
    for (let sweep = 0; sweep < 80; sweep++) {
      let rotated = false;
      for (let p = 0; p < k - 1; p++) {
        for (let q = p + 1; q < k; q++) {
          const rp = R + (<usize>(p * L) << 3), rq = R + (<usize>(q * L) << 3);
          let va = f64x2.splat(0), vb = f64x2.splat(0), vg = f64x2.splat(0);
          let i = 0;
          for (; i + 2 <= L; i += 2) {
            const x = v128.load(rp + (<usize>i << 3)), y = v128.load(rq + (<usize>i << 3));
            va = f64x2.add(va, f64x2.mul(x, x)); vb = f64x2.add(vb, f64x2.mul(y, y)); vg = f64x2.add(vg, f64x2.mul(x, y));
          }
          let alpha = f64x2.extract_lane(va, 0) + f64x2.extract_lane(va, 1);
          let beta = f64x2.extract_lane(vb, 0) + f64x2.extract_lane(vb, 1);
          let gamma = f64x2.extract_lane(vg, 0) + f64x2.extract_lane(vg, 1);
          for (; i < L; i++) { const x = ldd(rp, i), y = ldd(rq, i); alpha += x * x; beta += y * y; gamma += x * y; }
          // (sqrt of each: alpha * beta underflowed for rows below ~1e-154, and every pair then rotated)
          if (gamma == 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha) * Math.sqrt(beta)) continue;
          rotated = true;
          // tan of the angle, 1 / (|zeta| + sqrt(1 + zeta^2)) with zeta's sign, zeta = (beta - alpha) / (2 gamma).
          // A row nearly parallel to a much longer one (a tiny singular value) has |zeta| past 1e154:
          // zeta^2 overflowed, the angle came out 0, nothing rotated in any sweep, and U's column for the
          // tiny value was left a copy of another (U^T U off the identity by 1). There t = 1 / (2 zeta).
          const diff = beta - alpha;
          let tt: f64;
          if (Math.abs(diff) >= 1e100 * Math.abs(gamma)) tt = gamma / diff;
          else {
            const zeta = diff / (2 * gamma);
            tt = 1 / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
            if (zeta < 0) tt = -tt;
          }
          const c = 1 / Math.sqrt(1 + tt * tt), s = c * tt;
          rotateRows(rp, rq, c, s, L);
          rotateRows(G + (<usize>(p * k) << 3), G + (<usize>(q * k) << 3), c, s, k);
        }
      }
      if (!rotated) break;
    }
    for (let j = 0; j < k; j++) sv[j] = scaledNorm(R + (<usize>(j * L) << 3), 1, L); // (a sum of squares underflowed below ~1e-154)
    sortedOrder(sv, order, k, false);
    // R's rows sorted, normalized, then completed (zero singular values, full matrices).
    const S = R;
    sortRows(S, L, k, order);
    const lenRows = full ? L : k;
    for (let j = 0; j < L; j++) zero[j] = j >= k;
    for (let j = 0; j < k; j++) {
      const sj = sv[order[j]];
      if (sj > 0 && isFinite(sj)) for (let i = 0; i < L; i++) std(S, j * L + i, ldd(S, j * L + i) / sj);
      else zero[j] = sj == 0;
    }
    reorthogonalize(S, L, k, zero, sv, order);
    for (let j = k; j < lenRows; j++) for (let i = 0; i < L; i++) std(S, j * L + i, 0);
    completeRows(S, L, lenRows, zero);
    const so = sOut + <usize>(t * k) * sizeof<T>();
    for (let j = 0; j < k; j++) st<T>(so, j, sv[order[j]]);
    const uo = uOut + <usize>t * <usize>m * <usize>ku * sizeof<T>();
    const vo = vtOut + <usize>t * <usize>kv * <usize>n * sizeof<T>();
    if (tall) {
      // U[:, j] = normalized row j (length m); Vt[j, :] = G row order[j]
      for (let j = 0; j < ku; j++) for (let i = 0; i < m; i++) st<T>(uo, i * ku + j, ldd(S, j * L + i));
      for (let j = 0; j < kv; j++) for (let i = 0; i < n; i++) st<T>(vo, j * n + i, ldd(G, order[j] * k + i));
    } else {
      for (let j = 0; j < ku; j++) for (let i = 0; i < m; i++) st<T>(uo, i * ku + j, ldd(G, order[j] * k + i));
      for (let j = 0; j < kv; j++) for (let i = 0; i < n; i++) st<T>(vo, j * n + i, ldd(S, j * L + i));
    }
  }
}

/** Rows of M (length L) permuted so row j becomes old row order[j]. */
function sortRows(M: usize, L: i32, k: i32, order: I32s): void {
  const tmp = scratch(SLOT_TMP, <usize>k * <usize>L << 3);
  memory.copy(tmp, M, <usize>k * <usize>L << 3);
  for (let j = 0; j < k; j++) memory.copy(M + (<usize>(j * L) << 3), tmp + (<usize>(order[j] * L) << 3), <usize>L << 3);
}

/**
 * order[0..k) set to the permutation that sorts v[0..k) ascending (eigenvalues) or descending
 * (singular values), stable: insertion sort, as k is a matrix dimension.
 */
export function sortedOrder(v: F64s, order: I32s, k: i32, ascending: bool): void {
  for (let i = 0; i < k; i++) order[i] = i;
  for (let i = 1; i < k; i++) {
    const o = order[i];
    let j = i - 1;
    while (j >= 0 && (ascending ? v[order[j]] > v[o] : v[order[j]] < v[o])) { order[j + 1] = order[j]; j--; }
    order[j + 1] = o;
  }
}
