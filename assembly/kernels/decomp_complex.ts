// The complex forms of kernels/decomp.ts, on batches of row-major complex64 / complex128 matrices
// (interleaved re, im; T is the component type), in float64 scratch, rounded once on output:
//   QR: Householder with LAPACK's complex reflectors (zlarfg): H = I - tau v v^H, v_0 = 1, chosen
//     so that H^H x = beta e_0 with beta real; so R's diagonal is real, as zgeqrf's (negative
//     where the column's leading entry has a real part >= 0, as the real kernel's).
//   eigh: (A + A^H) / 2 reduced to a real symmetric tridiagonal by the same reflectors (zhetrd's
//     form), then decomp.ts's implicit QL, whose real rotations act on complex rows. Eigenvector
//     phases are what the algorithm leaves, as LAPACK's (and the real kernel's signs); a real
//     symmetric input gives real eigenvectors.
//   SVD: one-sided Jacobi with complex rotations: with g = <r_p, r_q> = sum conj(r_p) r_q and its
//     phase e = conj(g) / |g|, the pair (r_p, e r_q) has a real inner product and is rotated as in
//     the real kernel. u_j and v_j share one arbitrary phase.
// Every complex value is one v128 (re, im) in scratch, so the row loops are SIMD with no tail.
import { scratch, SLOT_A, SLOT_B, SLOT_TMP, Bools, vectors, f64s, i32s, bools } from './scratch';
import { tql2, sortedOrder, underflowedRow } from './decomp';

@inline function ldr<T>(p: usize, i: i32): f64 { return <f64>load<T>(p + (<usize>(2 * i)) * sizeof<T>()); }
@inline function ldi<T>(p: usize, i: i32): f64 { return <f64>load<T>(p + (<usize>(2 * i + 1)) * sizeof<T>()); }
@inline function stc<T>(p: usize, i: i32, re: f64, im: f64): void {
  store<T>(p + (<usize>(2 * i)) * sizeof<T>(), <T>re);
  store<T>(p + (<usize>(2 * i + 1)) * sizeof<T>(), <T>im);
}
@inline function re(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 4)); }
@inline function im(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 4) + 8); }
@inline function put(p: usize, i: i32, r: f64, m: f64): void { store<f64>(p + (<usize>i << 4), r); store<f64>(p + (<usize>i << 4) + 8, m); }
@inline function at(p: usize, i: i32): usize { return p + (<usize>i << 4); }

/** The complex a = (ar, ai) as the pair (splat(ar), [-ai, ai]) that cscale takes. */
@inline function imPart(ai: f64): v128 { return f64x2.mul(f64x2.splat(ai), f64x2(-1.0, 1.0)); }
/** a x = ar [xr, xi] + [-ai, ai] [xi, xr]. */
@inline function cscale(vr: v128, vi: v128, x: v128): v128 {
  return f64x2.add(f64x2.mul(vr, x), f64x2.mul(vi, i64x2.shuffle(x, x, 1, 0)));
}

/** y[0, len) -= a x[0, len) for complex rows and a = (ar, ai). */
function caxpy(y: usize, x: usize, ar: f64, ai: f64, len: i32): void {
  const vr = f64x2.splat(ar), vi = imPart(ai);
  for (let k = 0; k < len; k++) {
    const o = <usize>k << 4;
    v128.store(y + o, f64x2.sub(v128.load(y + o), cscale(vr, vi, v128.load(x + o))));
  }
}

// Each sum leaves its result in (SR, SI).
let SR: f64 = 0, SI: f64 = 0;
/** sum x_k y_k (conj: sum conj(x_k) y_k) over complex rows. */
function cdot(x: usize, y: usize, len: i32, conj: bool): void {
  let a = f64x2.splat(0), b = f64x2.splat(0);
  for (let k = 0; k < len; k++) {
    const o = <usize>k << 4;
    const u = v128.load(x + o), v = v128.load(y + o);
    a = f64x2.add(a, f64x2.mul(u, v));                          // [xr yr, xi yi]
    b = f64x2.add(b, f64x2.mul(u, i64x2.shuffle(v, v, 1, 0)));  // [xr yi, xi yr]
  }
  const a0 = f64x2.extract_lane(a, 0), a1 = f64x2.extract_lane(a, 1);
  const b0 = f64x2.extract_lane(b, 0), b1 = f64x2.extract_lane(b, 1);
  if (conj) { SR = a0 + a1; SI = b0 - b1; } else { SR = a0 - a1; SI = b0 + b1; }
}

/**
 * M[r0:r1, c0:c1] -= t v (v^H M[r0:r1, c0:c1]) for the complex vector v (element i at v + 16 i),
 * M row-major complex with row stride ld; s: scratch for one row. Two passes of row updates.
 */
function reflect(M: usize, ld: i32, v: usize, r0: i32, r1: i32, c0: i32, c1: i32, tr: f64, ti: f64, s: usize): void {
  const len = c1 - c0;
  memory.fill(s, 0, <usize>len << 4);
  for (let i = r0; i < r1; i++) caxpy(s, at(M, i * ld + c0), -re(v, i), im(v, i), len); // s += conj(v_i) M_i
  for (let i = r0; i < r1; i++) {
    const vr = re(v, i), vi = im(v, i);
    caxpy(at(M, i * ld + c0), s, tr * vr - ti * vi, tr * vi + ti * vr, len);
  }
}

// LAPACK's zlarfg on x = (x0, rest) with |rest|^2 = below: tau, beta and the scale of rest in v
// (v_rest = (rest / SC_D) SC: SC_D is 1 but where 1 / (x0 - beta) would overflow).
let TAU_R: f64 = 0, TAU_I: f64 = 0, BETA: f64 = 0, SC_R: f64 = 0, SC_I: f64 = 0, SC_D: f64 = 1;
/** False when no reflection is needed (x is already beta e_0 with beta real). */
function householder(xr: f64, xi: f64, below: f64): bool {
  if (below == 0 && xi == 0) { TAU_R = 0; TAU_I = 0; BETA = xr; return false; }
  // Below ~1e-154 the squares underflow (x0 = 1e-166 i alone gave nrm = 0 and tau = 0 / 0, so
  // eigh of [[1, 1e-10 i], [-1e-10 i, 1e300]] was NaN): hypot and a scaled 1 / (x0 - beta) there,
  // as zlarfg rescales (the sums of squares as before above 1e-290, so those keep their bits)
  const ss = xr * xr + xi * xi + below;
  const nrm = ss >= 1e-290 ? Math.sqrt(ss) : Math.hypot(Math.hypot(xr, xi), Math.sqrt(below));
  const beta = xr >= 0 ? -nrm : nrm;
  TAU_R = (beta - xr) / beta; TAU_I = -xi / beta; BETA = beta;
  const dr = xr - beta, di = xi, dd = dr * dr + di * di; // v_rest = rest / (x0 - beta)
  if (dd >= 1e-290) { SC_R = dr / dd; SC_I = -di / dd; SC_D = 1; return true; }
  const m = Math.max(Math.abs(dr), Math.abs(di)), ur = dr / m, ui = di / m, uu = ur * ur + ui * ui;
  SC_R = ur / uu; SC_I = -ui / uu; SC_D = m; // 1 / (x0 - beta) = conj(u) / |u|^2 / m, u = (x0 - beta) / m
  return true;
}

// ---------------------------------------------------------------- QR

/**
 * QR of `batch` complex m x n matrices: A = Q R, Q [m, kq] with orthonormal columns, R [kq, n]
 * upper triangular with a real diagonal (kq = min(m, n), or m for the complete form).
 */
export function qrC<T>(a: usize, qOut: usize, rOut: usize, batch: i32, m: i32, n: i32, complete: bool): void {
  const k = min(m, n), kq = complete ? m : k;
  const W = scratch(SLOT_A, <usize>m * <usize>n << 4);
  const V = scratch(SLOT_B, <usize>max(k, 1) * <usize>m << 4); // reflector j in row j (entries j..m-1)
  const Q = scratch(SLOT_TMP, <usize>m * <usize>kq << 4);
  const vec = vectors(2 * k + 2 * max(n, kq) + 2); // (even offsets: each complex 16-byte aligned)
  const tau = f64s(vec, 0), s = vec + (<usize>(2 * k) << 3);
  for (let t = 0; t < batch; t++) {
    const A = a + <usize>t * <usize>m * <usize>n * 2 * sizeof<T>();
    for (let i = 0; i < m * n; i++) put(W, i, ldr<T>(A, i), ldi<T>(A, i));
    for (let j = 0; j < k; j++) {
      let below = 0.0;
      for (let i = j + 1; i < m; i++) { const x = re(W, i * n + j), y = im(W, i * n + j); below += x * x + y * y; }
      const v = at(V, j * m);
      if (!householder(re(W, j * n + j), im(W, j * n + j), below)) { tau[2 * j] = 0; tau[2 * j + 1] = 0; continue; }
      tau[2 * j] = TAU_R; tau[2 * j + 1] = TAU_I;
      const beta = BETA, sr = SC_R, si = SC_I, sd = SC_D;
      put(v, j, 1, 0);
      for (let i = j + 1; i < m; i++) {
        const x = re(W, i * n + j) / sd, y = im(W, i * n + j) / sd;
        put(v, i, x * sr - y * si, x * si + y * sr);
      }
      reflect(W, n, v, j, m, j, n, TAU_R, -TAU_I, s); // H^H: conj(tau)
      put(W, j * n + j, beta, 0);
    }
    memory.fill(Q, 0, <usize>m * <usize>kq << 4);
    for (let i = 0; i < kq; i++) put(Q, i * kq + i, 1, 0);
    for (let j = k - 1; j >= 0; j--) {
      if (tau[2 * j] != 0 || tau[2 * j + 1] != 0) reflect(Q, kq, at(V, j * m), j, m, j, kq, tau[2 * j], tau[2 * j + 1], s);
    }
    const qo = qOut + <usize>t * <usize>m * <usize>kq * 2 * sizeof<T>();
    for (let i = 0; i < m * kq; i++) stc<T>(qo, i, re(Q, i), im(Q, i));
    const ro = rOut + <usize>t * <usize>kq * <usize>n * 2 * sizeof<T>();
    for (let i = 0; i < kq; i++) {
      for (let c = 0; c < n; c++) {
        const keep = c >= i && i < m;
        stc<T>(ro, i * n + c, keep ? re(W, i * n + c) : 0, keep ? im(W, i * n + c) : 0);
      }
    }
  }
}

// ---------------------------------------------------------------- Hermitian eigendecomposition

/**
 * Eigenvalues (ascending, real, into wOut as T) and eigenvectors (columns of V, complex) of
 * `batch` n x n matrices read as (A + A^H) / 2: A = V diag(w) V^H.
 */
export function eighC<T>(a: usize, wOut: usize, vOut: usize, batch: i32, n: i32): void {
  if (n == 0 || batch == 0) return; // (no eigenvalues; tred2/tql2 index row 0)
  const H = scratch(SLOT_A, <usize>n * <usize>n << 4);    // the matrix being reduced, then Q
  const W = scratch(SLOT_B, <usize>n * <usize>n << 4);    // Q^T, rotated into V^T
  const V = scratch(SLOT_TMP, <usize>n * <usize>n << 4);  // reflector k in row k (entries k+1..n-1)
  const vec = vectors(9 * n + 4); // tau, d, e, s, cv, order (even offsets: each complex 16-byte aligned)
  const tau = f64s(vec, 0), d = f64s(vec, 2 * n), e = f64s(vec, 3 * n);
  const s = vec + (<usize>(4 * n) << 3), cv = vec + (<usize>(6 * n + 2) << 3);
  const order = i32s(vec, 8 * n + 4);
  for (let t = 0; t < batch; t++) {
    const A = a + <usize>t * <usize>n * <usize>n * 2 * sizeof<T>();
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        put(H, i * n + j, 0.5 * (ldr<T>(A, i * n + j) + ldr<T>(A, j * n + i)), 0.5 * (ldi<T>(A, i * n + j) - ldi<T>(A, j * n + i)));
      }
    }
    e[0] = 0;
    for (let k = 0; k + 1 < n; k++) {
      const p = k + 1;
      let below = 0.0;
      for (let i = p + 1; i < n; i++) { const x = re(H, i * n + k), y = im(H, i * n + k); below += x * x + y * y; }
      const v = at(V, k * n);
      const reflected = householder(re(H, p * n + k), im(H, p * n + k), below);
      tau[2 * k] = TAU_R; tau[2 * k + 1] = TAU_I;
      e[p] = BETA;
      if (!reflected) continue;
      const sr = SC_R, si = SC_I, sd = SC_D, tr = TAU_R, ti = TAU_I;
      put(v, p, 1, 0);
      put(cv, p, 1, 0);
      for (let i = p + 1; i < n; i++) {
        const x = re(H, i * n + k) / sd, y = im(H, i * n + k) / sd;
        const vr = x * sr - y * si, vi = x * si + y * sr;
        put(v, i, vr, vi);
        put(cv, i, vr, -vi);
      }
      // H_k^H B H_k on the trailing block B = H[p:, p:]: rows from the left, then each row times H_k
      reflect(H, n, v, p, n, p, n, tr, -ti, s);
      for (let i = p; i < n; i++) {
        const row = at(H, i * n + p);
        cdot(row, at(v, p), n - p, false);
        caxpy(row, at(cv, p), SR * tr - SI * ti, SR * ti + SI * tr, n - p); // -= (row . v) tau v^H
      }
    }
    for (let i = 0; i < n; i++) d[i] = re(H, i * n + i);
    // Q = H_0 ... H_{n-2} (into H), then W = Q^T
    memory.fill(H, 0, <usize>n * <usize>n << 4);
    for (let i = 0; i < n; i++) put(H, i * n + i, 1, 0);
    for (let k = n - 2; k >= 0; k--) {
      if (tau[2 * k] != 0 || tau[2 * k + 1] != 0) reflect(H, n, at(V, k * n), k + 1, n, k + 1, n, tau[2 * k], tau[2 * k + 1], s);
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) put(W, j * n + i, re(H, i * n + j), im(H, i * n + j));
    tql2(W, d, e, n, 2 * n);
    sortedOrder(d, order, n, true);
    const wo = wOut + <usize>(t * n) * sizeof<T>(), vo = vOut + <usize>t * <usize>n * <usize>n * 2 * sizeof<T>();
    for (let j = 0; j < n; j++) {
      const o = order[j];
      store<T>(wo + <usize>j * sizeof<T>(), <T>d[o]);
      for (let i = 0; i < n; i++) stc<T>(vo, i * n + j, re(W, o * n + i), im(W, o * n + i));
    }
  }
}

// ---------------------------------------------------------------- SVD

/** (x, y) <- (c x - s e y, s x + c e y) on complex rows, e = (er, ei) of modulus 1. */
function rotatePair(x: usize, y: usize, c: f64, s: f64, er: f64, ei: f64, len: i32): void {
  const vc = f64x2.splat(c), vs = f64x2.splat(s), ver = f64x2.splat(er), vei = imPart(ei);
  for (let k = 0; k < len; k++) {
    const o = <usize>k << 4;
    const X = v128.load(x + o), EY = cscale(ver, vei, v128.load(y + o));
    v128.store(x + o, f64x2.sub(f64x2.mul(vc, X), f64x2.mul(vs, EY)));
    v128.store(y + o, f64x2.add(f64x2.mul(vs, X), f64x2.mul(vc, EY)));
  }
}

/**
 * Orthonormal completion (decomp.ts's completeRows in the Hermitian inner product): rows of M
 * (complex, length L) flagged zero become unit vectors orthogonal to every other row.
 */
function completeRows(M: usize, L: i32, count: i32, isZero: Bools): void {
  const v = scratch(SLOT_TMP, <usize>L << 4);
  for (let r = 0; r < count; r++) {
    if (!isZero[r]) continue;
    let best = -1.0, bi = 0;
    for (let i = 0; i < L; i++) {
      let res = 1.0;
      for (let j = 0; j < count; j++) if (j != r) { const x = re(M, j * L + i), y = im(M, j * L + i); res -= x * x + y * y; }
      if (res > best) { best = res; bi = i; }
    }
    memory.fill(v, 0, <usize>L << 4);
    put(v, bi, 1, 0);
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < count; j++) {
        if (j == r) continue;
        cdot(at(M, j * L), v, L, true);
        caxpy(v, at(M, j * L), SR, SI, L);
      }
    }
    cdot(v, v, L, true);
    const nrm = Math.sqrt(SR);
    for (let i = 0; i < L; i++) put(M, r * L + i, re(v, i) / nrm, im(v, i) / nrm);
    isZero[r] = false;
  }
}

/**
 * Singular values (descending, real, into sOut as T) and vectors of `batch` complex m x n
 * matrices: A = U diag(s) Vh, with U [m, ku], Vh [kv, n] (k = min(m, n); ku = kv = k reduced,
 * m and n for full matrices). One-sided Jacobi on the k rows of A^T (m >= n) or A (m < n): the
 * rotations G (unitary) make R = G A^T's rows orthogonal, so A = U S conj(G) (tall), and
 * G A = S Vh, so U = G^H (wide).
 */
export function svdC<T>(a: usize, sOut: usize, uOut: usize, vtOut: usize, batch: i32, m: i32, n: i32, full: bool): void {
  const k = min(m, n), L = max(m, n), tall = m >= n;
  const ku = full ? m : k, kv = full ? n : k;
  const R = scratch(SLOT_A, <usize>(full ? L : k) * <usize>L << 4);
  const G = scratch(SLOT_B, <usize>k * <usize>k << 4);
  const vec = vectors(2 * k + L);
  const sv = f64s(vec, 0), order = i32s(vec, k), zero = bools(vec, 2 * k);
  for (let t = 0; t < batch; t++) {
    const A = a + <usize>t * <usize>m * <usize>n * 2 * sizeof<T>();
    for (let r = 0; r < k; r++) {
      for (let i = 0; i < L; i++) {
        const src = tall ? i * n + r : r * n + i;
        put(R, r * L + i, ldr<T>(A, src), ldi<T>(A, src));
      }
    }
    memory.fill(G, 0, <usize>k * <usize>k << 4);
    for (let i = 0; i < k; i++) put(G, i * k + i, 1, 0);
    for (let sweep = 0; sweep < 80; sweep++) {
      let rotated = false;
      for (let p = 0; p < k - 1; p++) {
        for (let q = p + 1; q < k; q++) {
          const rp = at(R, p * L), rq = at(R, q * L);
          cdot(rp, rp, L, true); const alpha = SR;
          cdot(rq, rq, L, true); const beta = SR;
          cdot(rp, rq, L, true);
          const g = Math.hypot(SR, SI);
          if (g == 0 || g <= 1e-15 * Math.sqrt(alpha) * Math.sqrt(beta)) continue;
          rotated = true;
          // conj(g) / |g| with g first scaled to a largest part of 1. The row of an exact-zero
          // singular value shrinks every sweep, its alpha underflowing to 0 before g does, so it is
          // rotated until g is subnormal; there SR / hypot(SR, SI) kept a few bits, |e| reached
          // sqrt 2 and each rotation scaled the rows (svdvals of [[1, i, 2], [0, 1 + i, 1], 0] gave
          // 4 sqrt 2 for 2 sqrt 2, and U, Vh were far from unitary)
          const gm = Math.max(Math.abs(SR), Math.abs(SI)), hr = SR / gm, hi = SI / gm, h = Math.hypot(hr, hi);
          const er = hr / h, ei = -hi / h;
          // (the real kernel's angle: zeta^2 overflowed for a row nearly parallel to a much longer one)
          const diff = beta - alpha;
          let tt: f64;
          if (Math.abs(diff) >= 1e100 * g) tt = g / diff;
          else {
            const zeta = diff / (2 * g);
            tt = 1 / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
            if (zeta < 0) tt = -tt;
          }
          const c = 1 / Math.sqrt(1 + tt * tt), s = c * tt;
          rotatePair(rp, rq, c, s, er, ei, L);
          rotatePair(at(G, p * k), at(G, q * k), c, s, er, ei, k);
        }
      }
      if (!rotated) break;
    }
    for (let j = 0; j < k; j++) {
      cdot(at(R, j * L), at(R, j * L), L, true);
      sv[j] = Math.sqrt(SR);
    }
    sortedOrder(sv, order, k, false);
    const tmp = scratch(SLOT_TMP, <usize>k * <usize>L << 4);
    memory.copy(tmp, R, <usize>k * <usize>L << 4);
    for (let j = 0; j < k; j++) memory.copy(at(R, j * L), at(tmp, order[j] * L), <usize>L << 4);
    const lenRows = full ? L : k;
    for (let j = 0; j < L; j++) zero[j] = j >= k;
    for (let j = 0; j < k; j++) {
      const sj = sv[order[j]];
      if (sj > 0 && isFinite(sj)) for (let i = 0; i < L; i++) put(R, j * L + i, re(R, j * L + i) / sj, im(R, j * L + i) / sj);
      else zero[j] = sj == 0;
    }
    // (made orthonormal as the real kernel's reorthogonalize does: rows of singular values at the
    // underflow level of the largest are noise)
    for (let j = 1; j < k; j++) {
      if (zero[j] || !underflowedRow(sv, order, j)) continue;
      const rj = at(R, j * L);
      for (let pass = 0; pass < 2; pass++) {
        for (let i = 0; i < j; i++) {
          if (zero[i] || !isFinite(sv[order[i]])) continue;
          cdot(at(R, i * L), rj, L, true);
          caxpy(rj, at(R, i * L), SR, SI, L);
        }
      }
      cdot(rj, rj, L, true);
      const nrm = Math.sqrt(SR);
      if (nrm < 0.5) { zero[j] = true; continue; }
      for (let i = 0; i < L; i++) put(R, j * L + i, re(R, j * L + i) / nrm, im(R, j * L + i) / nrm);
    }
    for (let j = k; j < lenRows; j++) memory.fill(at(R, j * L), 0, <usize>L << 4);
    completeRows(R, L, lenRows, zero);
    const so = sOut + <usize>(t * k) * sizeof<T>();
    for (let j = 0; j < k; j++) store<T>(so + <usize>j * sizeof<T>(), <T>sv[order[j]]);
    const uo = uOut + <usize>t * <usize>m * <usize>ku * 2 * sizeof<T>();
    const vo = vtOut + <usize>t * <usize>kv * <usize>n * 2 * sizeof<T>();
    if (tall) {
      // U[:, j] = normalized row j; Vh[j, :] = conj(G row order[j])
      for (let j = 0; j < ku; j++) for (let i = 0; i < m; i++) stc<T>(uo, i * ku + j, re(R, j * L + i), im(R, j * L + i));
      for (let j = 0; j < kv; j++) for (let i = 0; i < n; i++) stc<T>(vo, j * n + i, re(G, order[j] * k + i), -im(G, order[j] * k + i));
    } else {
      // U[:, j] = conj(G row order[j]); Vh[j, :] = normalized row j
      for (let j = 0; j < ku; j++) for (let i = 0; i < m; i++) stc<T>(uo, i * ku + j, re(G, order[j] * k + i), -im(G, order[j] * k + i));
      for (let j = 0; j < kv; j++) for (let i = 0; i < n; i++) stc<T>(vo, j * n + i, re(R, j * L + i), im(R, j * L + i));
    }
  }
}
