// Orthogonal decompositions on batches of row-major matrices: Householder QR, the symmetric
// eigendecomposition by cyclic Jacobi rotations, and the SVD by one-sided (Hestenes) Jacobi.
// Generic over the stored dtype T; the arithmetic is float64 in scratch, rounded once on output.
// Jacobi methods are chosen for their accuracy (small eigenvalues and singular values to full
// relative precision) and their short code; tridiagonal / bidiagonal QR is the faster route
// for large n.
import { scratch, SLOT_A, SLOT_B, SLOT_TMP } from './scratch';

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
  const beta = new StaticArray<f64>(k);
  for (let t = 0; t < batch; t++) {
    const A = a + <usize>t * <usize>m * <usize>n * sizeof<T>();
    for (let i = 0; i < m * n; i++) std(W, i, ld<T>(A, i));
    for (let j = 0; j < k; j++) {
      let below = 0.0;
      for (let i = j + 1; i < m; i++) { const x = ldd(W, i * n + j); below += x * x; }
      const x0 = ldd(W, j * n + j);
      if (below == 0) { beta[j] = 0; continue; }
      const norm = Math.sqrt(x0 * x0 + below);
      const alpha = x0 >= 0 ? -norm : norm;
      const v0 = x0 - alpha;
      std(V, j * k + j, v0);
      for (let i = j + 1; i < m; i++) std(V, i * k + j, ldd(W, i * n + j));
      const b = 2 / (v0 * v0 + below);
      beta[j] = b;
      // W[j:, j:] -= b v (v^T W[j:, j:])
      for (let c = j; c < n; c++) {
        let s = 0.0;
        for (let i = j; i < m; i++) s += ldd(V, i * k + j) * ldd(W, i * n + c);
        s *= b;
        for (let i = j; i < m; i++) std(W, i * n + c, ldd(W, i * n + c) - s * ldd(V, i * k + j));
      }
    }
    // Q = H_0 ... H_{k-1} I[:, :kq], applied from the last reflector.
    memory.fill(Q, 0, <usize>m * <usize>kq << 3);
    for (let i = 0; i < kq; i++) std(Q, i * kq + i, 1);
    for (let j = k - 1; j >= 0; j--) {
      const b = beta[j];
      if (b == 0) continue;
      for (let c = 0; c < kq; c++) {
        let s = 0.0;
        for (let i = j; i < m; i++) s += ldd(V, i * k + j) * ldd(Q, i * kq + c);
        s *= b;
        for (let i = j; i < m; i++) std(Q, i * kq + c, ldd(Q, i * kq + c) - s * ldd(V, i * k + j));
      }
    }
    const qo = qOut + <usize>t * <usize>m * <usize>kq * sizeof<T>();
    for (let i = 0; i < m * kq; i++) st<T>(qo, i, ldd(Q, i));
    const ro = rOut + <usize>t * <usize>kq * <usize>n * sizeof<T>();
    for (let i = 0; i < kq; i++) for (let c = 0; c < n; c++) st<T>(ro, i * n + c, c >= i && i < m ? ldd(W, i * n + c) : 0);
  }
}

// ---------------------------------------------------------------- symmetric eigendecomposition

/**
 * Eigenvalues (ascending) and eigenvectors (columns of V) of `batch` n x n matrices, read as
 * (A + A^T) / 2: A = V diag(w) V^T. Cyclic Jacobi with Rutishauser's rotation formulas and
 * underflow test (Numerical Recipes' `jacobi`), which drives the off-diagonal part to zero.
 */
export function eigh<T>(a: usize, wOut: usize, vOut: usize, batch: i32, n: i32): void {
  const S = scratch(SLOT_A, <usize>n * <usize>n << 3);
  const V = scratch(SLOT_B, <usize>n * <usize>n << 3);
  const d = new StaticArray<f64>(n);
  const order = new StaticArray<i32>(n);
  for (let t = 0; t < batch; t++) {
    const A = a + <usize>t * <usize>n * <usize>n * sizeof<T>();
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) std(S, i * n + j, 0.5 * (ld<T>(A, i * n + j) + ld<T>(A, j * n + i)));
    memory.fill(V, 0, <usize>n * <usize>n << 3);
    for (let i = 0; i < n; i++) std(V, i * n + i, 1);
    for (let sweep = 0; sweep < 100; sweep++) {
      let off = 0.0;
      for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += Math.abs(ldd(S, p * n + q));
      if (off == 0 || !isFinite(off)) break;
      for (let p = 0; p < n - 1; p++) {
        for (let q = p + 1; q < n; q++) {
          const apq = ldd(S, p * n + q);
          const app = ldd(S, p * n + p), aqq = ldd(S, q * n + q);
          const g = 100 * Math.abs(apq);
          if (sweep > 3 && Math.abs(app) + g == Math.abs(app) && Math.abs(aqq) + g == Math.abs(aqq)) {
            std(S, p * n + q, 0); std(S, q * n + p, 0);
            continue;
          }
          if (apq == 0) continue;
          const h = aqq - app;
          let tt: f64;
          if (Math.abs(h) + g == Math.abs(h)) tt = apq / h;
          else {
            const theta = 0.5 * h / apq;
            tt = 1 / (Math.abs(theta) + Math.sqrt(1 + theta * theta));
            if (theta < 0) tt = -tt;
          }
          const c = 1 / Math.sqrt(1 + tt * tt), s = tt * c;
          std(S, p * n + p, app - tt * apq);
          std(S, q * n + q, aqq + tt * apq);
          std(S, p * n + q, 0); std(S, q * n + p, 0);
          for (let r = 0; r < n; r++) {
            if (r == p || r == q) continue;
            const arp = ldd(S, r * n + p), arq = ldd(S, r * n + q);
            const np_ = c * arp - s * arq, nq = s * arp + c * arq;
            std(S, r * n + p, np_); std(S, p * n + r, np_);
            std(S, r * n + q, nq); std(S, q * n + r, nq);
          }
          for (let r = 0; r < n; r++) {
            const vp = ldd(V, r * n + p), vq = ldd(V, r * n + q);
            std(V, r * n + p, c * vp - s * vq);
            std(V, r * n + q, s * vp + c * vq);
          }
        }
      }
    }
    for (let i = 0; i < n; i++) { d[i] = ldd(S, i * n + i); order[i] = i; }
    // ascending; a stable insertion sort (n is small next to the O(n^3) above)
    for (let i = 1; i < n; i++) {
      const o = order[i];
      let j = i - 1;
      while (j >= 0 && d[order[j]] > d[o]) { order[j + 1] = order[j]; j--; }
      order[j + 1] = o;
    }
    const wo = wOut + <usize>(t * n) * sizeof<T>(), vo = vOut + <usize>t * <usize>n * <usize>n * sizeof<T>();
    for (let j = 0; j < n; j++) {
      const o = order[j];
      st<T>(wo, j, d[o]);
      for (let i = 0; i < n; i++) st<T>(vo, i * n + j, ldd(V, i * n + o));
    }
  }
}

// ---------------------------------------------------------------- SVD

/**
 * Orthonormal completion: rows [from, count) of M (rows of length L, rows [0, from) orthonormal
 * or zero) that are zero are replaced by unit vectors orthogonal to every other row (Gram-Schmidt
 * of the coordinate vector with the largest residual, twice for stability).
 */
function completeRows(M: usize, L: i32, count: i32, isZero: StaticArray<bool>): void {
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
  const sv = new StaticArray<f64>(k);
  const order = new StaticArray<i32>(k);
  const zero = new StaticArray<bool>(L);
  for (let t = 0; t < batch; t++) {
    const A = a + <usize>t * <usize>m * <usize>n * sizeof<T>();
    for (let r = 0; r < k; r++) for (let i = 0; i < L; i++) std(R, r * L + i, tall ? ld<T>(A, i * n + r) : ld<T>(A, r * n + i));
    memory.fill(G, 0, <usize>k * <usize>k << 3);
    for (let i = 0; i < k; i++) std(G, i * k + i, 1);
    for (let sweep = 0; sweep < 80; sweep++) {
      let rotated = false;
      for (let p = 0; p < k - 1; p++) {
        for (let q = p + 1; q < k; q++) {
          let alpha = 0.0, beta = 0.0, gamma = 0.0;
          for (let i = 0; i < L; i++) {
            const x = ldd(R, p * L + i), y = ldd(R, q * L + i);
            alpha += x * x; beta += y * y; gamma += x * y;
          }
          if (gamma == 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
          rotated = true;
          const zeta = (beta - alpha) / (2 * gamma);
          let tt = 1 / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
          if (zeta < 0) tt = -tt;
          const c = 1 / Math.sqrt(1 + tt * tt), s = c * tt;
          for (let i = 0; i < L; i++) {
            const x = ldd(R, p * L + i), y = ldd(R, q * L + i);
            std(R, p * L + i, c * x - s * y);
            std(R, q * L + i, s * x + c * y);
          }
          for (let i = 0; i < k; i++) {
            const x = ldd(G, p * k + i), y = ldd(G, q * k + i);
            std(G, p * k + i, c * x - s * y);
            std(G, q * k + i, s * x + c * y);
          }
        }
      }
      if (!rotated) break;
    }
    for (let j = 0; j < k; j++) {
      let s2 = 0.0;
      for (let i = 0; i < L; i++) s2 += ldd(R, j * L + i) * ldd(R, j * L + i);
      sv[j] = Math.sqrt(s2);
      order[j] = j;
    }
    for (let i = 1; i < k; i++) { // descending, stable
      const o = order[i];
      let j = i - 1;
      while (j >= 0 && sv[order[j]] < sv[o]) { order[j + 1] = order[j]; j--; }
      order[j + 1] = o;
    }
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
function sortRows(M: usize, L: i32, k: i32, order: StaticArray<i32>): void {
  const tmp = scratch(SLOT_TMP, <usize>k * <usize>L << 3);
  memory.copy(tmp, M, <usize>k * <usize>L << 3);
  for (let j = 0; j < k; j++) memory.copy(M + (<usize>(j * L) << 3), tmp + (<usize>(order[j] * L) << 3), <usize>L << 3);
}
