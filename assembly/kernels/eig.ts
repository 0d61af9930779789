// The general (nonsymmetric) eigendecomposition A v = v diag(w), batched over leading axes, on
// row-major matrices, in float64 scratch (rounded once on output). Outputs are complex: w [n] and
// V [n, n] interleaved (re, im), of the input's component width (float32 -> complex64).
//
// Both: first balanced by a diagonal similarity of powers of 2 (gebal's scaling; see balance).
// Real input (the EISPACK orthes / hqr2 route, written from the algorithms' descriptions):
//   1. Householder reduction to upper Hessenberg form H = Q^T A Q, Q accumulated;
//   2. Francis double-shift QR sweeps (3-element reflectors chasing the bulge) on the active
//      block, applied to the whole of H (so it ends in real Schur form T = Q^T A Q) and to Q;
//      a subdiagonal entry below eps (|h_{l-1,l-1}| + |h_ll|) deflates; every tenth sweep on one
//      block uses an exceptional shift; a solved 2 x 2 block with real eigenvalues is rotated to
//      upper triangular form; one with a complex pair is kept (its eigenvalues (a + d) / 2 +- i q,
//      the positive one first, as LAPACK's dgeev);
//   3. eigenvectors of T by back substitution in complex arithmetic (2 x 2 diagonal blocks solved
//      as 2 x 2 systems, a zero pivot replaced by eps |T|, as hqr2), then V = Q X.
// Complex input (comqr / comqr2 in spirit): complex Householder reduction to Hessenberg form,
// single-shift implicit QR with complex Givens rotations and Wilkinson shifts (exceptional every
// tenth sweep) to upper triangular T, back substitution on T, V = Q X.
// Normalization (LAPACK geev's, as numpy returns): every column of V has unit 2-norm; the
// eigenvector of a complex eigenvalue (every one for complex input) is turned so that its
// component of largest modulus (the first such) is real: positive for complex input (zgeev),
// of the sign its real part had for real input (dgeev's dlartg); a real eigenvalue's real
// eigenvector keeps the sign the algorithm leaves. A matrix with a non-finite entry, or whose QR
// iteration does not converge in 40 n sweeps (the iteration's error flag), gives NaN outputs.
// Eigenvalue order: as they appear on T's diagonal (unsorted, like LAPACK's, not always its order).
// Values only (`wantV` false, eigvals): Q is not accumulated and each QR sweep updates only the
// active block (LAPACK's wantt = wantz = false), 2-3x less work; the block's entries see the same
// operations either way, so the eigenvalues are bit for bit eig's. V is then NaN.
import { scratch, SLOT_A, SLOT_B, SLOT_TMP, SLOT_UPDATE, vectors, f64s, F64s } from './scratch';

const EPS: f64 = 2.220446049250313e-16;
const BIG: f64 = 1e150; // a back-substituted vector past this is scaled down (no overflow later)

@inline function ld<T>(p: usize, i: i32): f64 { return <f64>load<T>(p + (<usize>i) * sizeof<T>()); }
@inline function g(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline function s(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }
@inline function stc<T>(p: usize, i: i32, re: f64, im: f64): void {
  store<T>(p + (<usize>(2 * i)) * sizeof<T>(), <T>re);
  store<T>(p + (<usize>(2 * i + 1)) * sizeof<T>(), <T>im);
}

// complex division result (Smith's algorithm: no overflow of the squares)
let QR_: f64 = 0, QI_: f64 = 0;
function cdiv(ar: f64, ai: f64, br: f64, bi: f64): void {
  if (Math.abs(br) >= Math.abs(bi)) {
    const r = bi / br, d = br + r * bi;
    QR_ = (ar + ai * r) / d; QI_ = (ai - ar * r) / d;
  } else {
    const r = br / bi, d = bi + r * br;
    QR_ = (ar * r + ai) / d; QI_ = (ai * r - ar) / d;
  }
}

/** Outputs of one matrix set to NaN (non-finite input, or no convergence). */
function nanOut<T>(wo: usize, vo: usize, n: i32): void {
  for (let i = 0; i < n; i++) stc<T>(wo, i, NaN, NaN);
  for (let i = 0; i < n * n; i++) stc<T>(vo, i, NaN, NaN);
}

// ---------------------------------------------------------------- balancing

/**
 * Balancing by a diagonal similarity D^-1 A D of powers of 2 (exact; LAPACK gebal's scaling, not
 * its permutations): each row and column pair is scaled until their off-diagonal 1-norms (|re| +
 * |im| for complex, HI != 0) are within a factor of 2, while that lowers their sum by 5% or more.
 * Eigenvalues are unchanged; eigenvectors come back as D x. d: the scales (n).
 */
function balance(HR: usize, HI: usize, d: usize, n: i32): void {
  for (let i = 0; i < n; i++) s(d, i, 1);
  for (let sweep = 0; sweep < 64; sweep++) {
    let changed = false;
    for (let i = 0; i < n; i++) {
      let c = 0.0, r = 0.0;
      for (let j = 0; j < n; j++) {
        if (j == i) continue;
        c += Math.abs(g(HR, j * n + i)); r += Math.abs(g(HR, i * n + j));
        if (HI != 0) { c += Math.abs(g(HI, j * n + i)); r += Math.abs(g(HI, i * n + j)); }
      }
      if (c == 0 || r == 0) continue; // (an isolated eigenvalue: gebal's permutations would take it out)
      let f = 1.0;
      for (let k = 0; k < 1000 && c * f * f * 2 < r; k++) f *= 2;
      for (let k = 0; k < 1000 && c * f * f >= 2 * r; k++) f *= 0.5;
      if (f == 1 || c * f + r / f >= 0.95 * (c + r)) continue;
      const sc = g(d, i) * f;
      if (sc < 1e-290 || sc > 1e290) continue; // (keep D and the back-transformed vectors in range)
      s(d, i, sc);
      changed = true;
      const inv = 1 / f;
      for (let j = 0; j < n; j++) {
        s(HR, i * n + j, g(HR, i * n + j) * inv); s(HR, j * n + i, g(HR, j * n + i) * f);
        if (HI != 0) { s(HI, i * n + j, g(HI, i * n + j) * inv); s(HI, j * n + i, g(HI, j * n + i) * f); }
      }
    }
    if (!changed) break;
  }
}

/** Rows of Y (re, im) times the balancing scales. */
function unbalance(YR: usize, YI: usize, d: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const f = g(d, i);
    if (f == 1) continue;
    for (let j = 0; j < n; j++) { s(YR, i * n + j, g(YR, i * n + j) * f); s(YI, i * n + j, g(YI, i * n + j) * f); }
  }
}

// ---------------------------------------------------------------- real input

/**
 * Eigenvalues w and right eigenvectors V (columns) of `batch` real n x n matrices (T: f32 or f64),
 * written as complex (interleaved T pairs): A V = V diag(w).
 */
export function eigReal<T>(a: usize, wOut: usize, vOut: usize, batch: i32, n: i32, wantV: bool): void {
  if (n == 0 || batch == 0) return;
  const nn = <usize>n * <usize>n;
  const H = scratch(SLOT_A, nn << 3);
  const Q = scratch(SLOT_B, nn << 3);
  const X = scratch(SLOT_TMP, nn << 4);    // back-substituted vectors: re then im
  const Y = scratch(SLOT_UPDATE, nn << 4); // Q X: re then im
  const vec = vectors(5 * n);
  const wr = f64s(vec, 0), wi = f64s(vec, n), work = vec + (<usize>(2 * n) << 3), bal = vec + (<usize>(4 * n) << 3);
  const csz = 2 * sizeof<T>();
  for (let t = 0; t < batch; t++) {
    const A = a + <usize>t * nn * sizeof<T>();
    const wo = wOut + <usize>t * <usize>n * csz, vo = vOut + <usize>t * nn * csz;
    let finite = true;
    for (let i = 0; i < n * n; i++) { const x = ld<T>(A, i); s(H, i, x); if (!isFinite(x)) finite = false; }
    if (!finite) { nanOut<T>(wo, vo, n); continue; }
    balance(H, 0, bal, n);
    hessenberg(H, Q, work, n, wantV);
    let anorm = 0.0;
    for (let i = 0; i < n; i++) for (let j = max(i - 1, 0); j < n; j++) anorm += Math.abs(g(H, i * n + j));
    if (!realSchur(H, Q, wr, wi, n, anorm, wantV)) { nanOut<T>(wo, vo, n); continue; }
    if (!wantV) { valuesOut<T>(wr, wi, n, wo, vo); continue; }
    realVectors(H, wr, wi, X, X + (nn << 3), n, anorm);
    backTransform(Q, 0, X, X + (nn << 3), Y, Y + (nn << 3), n, false);
    unbalance(Y, Y + (nn << 3), bal, n);
    normalizeOut<T>(Y, Y + (nn << 3), wr, wi, n, wo, vo, false);
  }
}

/** H (n x n) to upper Hessenberg form by Householder reflections, H = Q^T A Q; Q set when wantV (work: 2n). */
function hessenberg(H: usize, Q: usize, v: usize, n: i32, wantV: bool): void {
  if (wantV) {
    for (let i = 0; i < n * n; i++) s(Q, i, 0);
    for (let i = 0; i < n; i++) s(Q, i * n + i, 1);
  }
  const d = v + (<usize>n << 3); // v^T H[k+1:, j], accumulated row by row
  for (let k = 0; k + 2 < n; k++) {
    let below = 0.0, scale = 0.0;
    for (let i = k + 2; i < n; i++) below += Math.abs(g(H, i * n + k));
    if (below == 0) continue;
    scale = below + Math.abs(g(H, (k + 1) * n + k));
    let ss = 0.0;
    for (let i = k + 1; i < n; i++) { const x = g(H, i * n + k) / scale; s(v, i, x); ss += x * x; }
    const nrm = Math.sqrt(ss), x0 = g(v, k + 1);
    const alpha = x0 >= 0 ? -nrm : nrm;
    s(v, k + 1, x0 - alpha);
    const beta = 1 / (-alpha * (x0 - alpha)); // 2 / (v^T v)
    // left, P H: rows k+1..n-1, columns k+1..n-1 (column k set below); by rows, so H is read
    // along its rows (a 200 x 200 walked down its columns spent most of the reduction on strides).
    // Each d_j sums v_i h_ij in the same order of i as a column walk would.
    for (let j = k + 1; j < n; j++) s(d, j, 0);
    for (let i = k + 1; i < n; i++) {
      const vi = g(v, i), row = H + (<usize>(i * n) << 3);
      for (let j = k + 1; j < n; j++) s(d, j, g(d, j) + vi * g(row, j));
    }
    for (let j = k + 1; j < n; j++) s(d, j, g(d, j) * beta);
    for (let i = k + 1; i < n; i++) {
      const vi = g(v, i), row = H + (<usize>(i * n) << 3);
      for (let j = k + 1; j < n; j++) s(row, j, g(row, j) - g(d, j) * vi);
    }
    s(H, (k + 1) * n + k, alpha * scale);
    for (let i = k + 2; i < n; i++) s(H, i * n + k, 0);
    // right, H P and Q P: every row, columns k+1..n-1
    rightReflect(H, n, v, k + 1, n, beta, n);
    if (wantV) rightReflect(Q, n, v, k + 1, n, beta, n);
  }
}

/** M[0:rows, c0:c1] -= beta (M[0:rows, c0:c1] v) v^T (v indexed by column). */
function rightReflect(M: usize, ld: i32, v: usize, c0: i32, c1: i32, beta: f64, rows: i32): void {
  for (let i = 0; i < rows; i++) {
    const row = M + (<usize>(i * ld) << 3);
    let d = 0.0;
    for (let j = c0; j < c1; j++) d += g(row, j) * g(v, j);
    d *= beta;
    if (d != 0) for (let j = c0; j < c1; j++) s(row, j, g(row, j) - d * g(v, j));
  }
}

// the last reflector: v = (1, v1, v2) (v2 = 0 for a 2-element one), H = I - tau v v^T
let RV1: f64 = 0, RV2: f64 = 0, RTAU: f64 = 0, RALPHA: f64 = 0;
/** The reflector taking (x, y, z) to (alpha, 0, 0); false when y = z = 0 (nothing to do). */
function reflector(x: f64, y: f64, z: f64): bool {
  if (y == 0 && z == 0) return false;
  const sc = Math.abs(x) + Math.abs(y) + Math.abs(z);
  const xs = x / sc, ys = y / sc, zs = z / sc;
  const nrm = Math.sqrt(xs * xs + ys * ys + zs * zs);
  const al = xs >= 0 ? -nrm : nrm;
  const v0 = xs - al;
  RV1 = ys / v0; RV2 = zs / v0;
  RTAU = (al - xs) / al; // = 2 / (v^T v) with v0 normalized to 1
  RALPHA = al * sc;
  return true;
}

/** Rows r..r+2 (r..r+1 when !three) of H, columns c0..c1-1, by the last reflector. */
function reflectRows(H: usize, n: i32, r: i32, c0: i32, c1: i32, three: bool): void {
  const v1 = RV1, v2 = RV2, tau = RTAU;
  for (let j = c0; j < c1; j++) {
    const a0 = g(H, r * n + j), a1 = g(H, (r + 1) * n + j), a2 = three ? g(H, (r + 2) * n + j) : 0;
    const d = tau * (a0 + v1 * a1 + v2 * a2);
    s(H, r * n + j, a0 - d);
    s(H, (r + 1) * n + j, a1 - d * v1);
    if (three) s(H, (r + 2) * n + j, a2 - d * v2);
  }
}
/** Columns c..c+2 (c..c+1) of M, rows r0..r1-1, by the last reflector. */
function reflectCols(M: usize, n: i32, c: i32, r0: i32, r1: i32, three: bool): void {
  const v1 = RV1, v2 = RV2, tau = RTAU;
  for (let i = r0; i < r1; i++) {
    const o = i * n + c;
    const a0 = g(M, o), a1 = g(M, o + 1), a2 = three ? g(M, o + 2) : 0;
    const d = tau * (a0 + v1 * a1 + v2 * a2);
    s(M, o, a0 - d);
    s(M, o + 1, a1 - d * v1);
    if (three) s(M, o + 2, a2 - d * v2);
  }
}

/**
 * Hessenberg H to real Schur form by Francis double-shift QR, transformations applied to all of H
 * and to Q (wantV; else to the active block only); eigenvalues in (wr, wi). False when the sweeps'
 * budget ran out.
 */
function realSchur(H: usize, Q: usize, wr: F64s, wi: F64s, n: i32, anorm: f64, wantV: bool): bool {
  let hi = n - 1, iter = 0, total = 0;
  const budget = 40 * n;
  while (hi >= 0) {
    let l = hi;
    while (l > 0) {
      let sc = Math.abs(g(H, (l - 1) * n + l - 1)) + Math.abs(g(H, l * n + l));
      if (sc == 0) sc = anorm;
      if (Math.abs(g(H, l * n + l - 1)) <= EPS * sc) { s(H, l * n + l - 1, 0); break; }
      l--;
    }
    if (l == hi) { wr[hi] = g(H, hi * n + hi); wi[hi] = 0; hi--; iter = 0; continue; }
    if (l == hi - 1) { split2(H, Q, wr, wi, n, l, wantV); hi -= 2; iter = 0; continue; }
    if (total >= budget) return false;
    iter++; total++;
    // The first column of (H - s1)(H - s2) on the block's top rows, s1 + s2 and s1 s2 the trailing
    // 2 x 2 block's eigenvalues' (or exceptional shifts'), all over a scale sh of the entries read:
    // only its direction matters, and unscaled a block of entries near 1e-300 (beside a deflated
    // 1e300) made every product 0 and the sweeps went nowhere (all NaN; dlahqr scales likewise).
    const h00 = g(H, l * n + l), h01 = g(H, l * n + l + 1), h10 = g(H, (l + 1) * n + l), h11 = g(H, (l + 1) * n + l + 1);
    const p = g(H, (hi - 1) * n + hi - 1), q = g(H, (hi - 1) * n + hi), r = g(H, hi * n + hi - 1), u = g(H, hi * n + hi);
    let sh = Math.abs(h00) + Math.abs(h01) + Math.abs(h10) + Math.abs(h11) + Math.abs(p) + Math.abs(q) + Math.abs(r) + Math.abs(u);
    if ((sh > 1e-100 && sh < 1e100) || !(sh > 0) || !isFinite(sh)) sh = 1; // (the safe range unscaled: ordinary matrices round as they did)
    let ssum: f64, sprod: f64; // (over sh and sh^2)
    if (iter % 10 == 0) {
      const e = (Math.abs(r) + Math.abs(g(H, (hi - 1) * n + hi - 2))) / sh;
      const t = u / sh + 0.75 * e;
      ssum = 2 * t; sprod = t * t + 0.4375 * e * e;
    } else {
      ssum = p / sh + u / sh; sprod = (p / sh) * (u / sh) - (q / sh) * (r / sh);
    }
    const a0 = h00 / sh, a1 = h10 / sh;
    let x = a0 * a0 + (h01 / sh) * a1 - ssum * a0 + sprod;
    let y = a1 * (a0 + h11 / sh - ssum);
    let z = a1 * (g(H, (l + 2) * n + l + 1) / sh);
    const c1 = wantV ? n : hi + 1, r0 = wantV ? 0 : l; // the part of H updated
    for (let k = l; k <= hi - 2; k++) {
      if (reflector(x, y, z)) {
        reflectRows(H, n, k, k > l ? k - 1 : l, c1, true);
        if (k > l) { s(H, k * n + k - 1, RALPHA); s(H, (k + 1) * n + k - 1, 0); s(H, (k + 2) * n + k - 1, 0); }
        reflectCols(H, n, k, r0, min(k + 4, hi + 1), true);
        if (wantV) reflectCols(Q, n, k, 0, n, true);
      }
      x = g(H, (k + 1) * n + k);
      y = g(H, (k + 2) * n + k);
      if (k < hi - 2) z = g(H, (k + 3) * n + k);
    }
    if (reflector(x, y, 0)) {
      const k = hi - 1;
      reflectRows(H, n, k, k - 1, c1, false);
      s(H, k * n + k - 1, RALPHA); s(H, (k + 1) * n + k - 1, 0);
      reflectCols(H, n, k, r0, hi + 1, false);
      if (wantV) reflectCols(Q, n, k, 0, n, false);
    }
  }
  return true;
}

/** The solved 2 x 2 block at rows m, m + 1: real eigenvalues (the block rotated to triangular form) or a complex pair. */
function split2(H: usize, Q: usize, wr: F64s, wi: F64s, n: i32, m: i32, wantV: bool): void {
  const a = g(H, m * n + m), b = g(H, m * n + m + 1), c = g(H, (m + 1) * n + m), d = g(H, (m + 1) * n + m + 1);
  // The discriminant q = p^2 + b c over sc = max(|p|, |b|, |c|) (LAPACK's dlanv2): unscaled it
  // underflowed to 0 for entries near 1e-170 (a block of a matrix whose largest entry the host
  // scaled to 1: [[1e200, .5, .2], [.3, 1, 2], [1, 2, 3]] gave 2 and -0.583 for 4.236 and -0.236)
  // and overflowed past 1e154. sqrt(q) = sqrt(sc) sqrt(|zq|).
  const p = 0.5 * (a - d), bcmax = max(Math.abs(b), Math.abs(c));
  const bcmis = min(Math.abs(b), Math.abs(c)) * (b < 0 ? -1.0 : 1.0) * (c < 0 ? -1.0 : 1.0);
  const sc = max(Math.abs(p), bcmax);
  // (in the safe range q itself, rounded once: sqrt(sc) sqrt(|zq|) rounds twice, and 1 +- 2i came out 2.0000000000000004i)
  const safe = sc > 1e-100 && sc < 1e100;
  const zq = safe ? p * p + b * c : sc == 0 ? 0.0 : (p / sc) * p + (bcmax / sc) * bcmis; // q, or q / sc
  const root = safe ? Math.sqrt(Math.abs(zq)) : Math.sqrt(sc) * Math.sqrt(Math.abs(zq));  // sqrt(|q|)
  if (zq >= 0) {
    const z = p >= 0 ? p + root : p - root;
    wr[m] = d + z;
    wr[m + 1] = z != 0 ? d - (b / z) * c : d + z;
    wi[m] = 0; wi[m + 1] = 0;
    if (!wantV) return; // (the rotation changes nothing the remaining blocks read)
    // (z, c) is the eigenvector of d + z: the rotation with it as first column triangularizes
    const r = Math.hypot(z, c), cs = z / r, sn = c / r;
    for (let j = m; j < n; j++) {
      const u = g(H, m * n + j), w = g(H, (m + 1) * n + j);
      s(H, m * n + j, cs * u + sn * w);
      s(H, (m + 1) * n + j, cs * w - sn * u);
    }
    for (let i = 0; i <= m + 1; i++) {
      const u = g(H, i * n + m), w = g(H, i * n + m + 1);
      s(H, i * n + m, cs * u + sn * w);
      s(H, i * n + m + 1, cs * w - sn * u);
    }
    for (let i = 0; i < n; i++) {
      const u = g(Q, i * n + m), w = g(Q, i * n + m + 1);
      s(Q, i * n + m, cs * u + sn * w);
      s(Q, i * n + m + 1, cs * w - sn * u);
    }
    s(H, (m + 1) * n + m, 0);
  } else {
    wr[m] = d + p; wr[m + 1] = d + p;
    wi[m] = root; wi[m + 1] = -root;
  }
}

/** |re| + |im| of the column entries rows [i0, i1): the largest; scales the column down when past BIG. */
function guard(XR: usize, XI: usize, n: i32, col: i32, i0: i32, last: i32): void {
  let big = 0.0;
  for (let i = i0; i <= last; i++) big = max(big, Math.abs(g(XR, i * n + col)) + Math.abs(g(XI, i * n + col)));
  if (big > BIG) {
    const f = 1 / big;
    for (let i = 0; i <= last; i++) { s(XR, i * n + col, g(XR, i * n + col) * f); s(XI, i * n + col, g(XI, i * n + col) * f); }
  }
}

/**
 * Eigenvectors of the quasi-triangular T (in H) in the columns of X = (XR, XI): the one of w_k has
 * x_k = 1 (a pair's first: a 2 x 2 null vector), zeros below, the rows above by back substitution.
 */
function realVectors(H: usize, wr: F64s, wi: F64s, XR: usize, XI: usize, n: i32, anorm: f64): void {
  for (let i = 0; i < n * n; i++) { s(XR, i, 0); s(XI, i, 0); }
  const tiny = anorm > 0 ? EPS * anorm : 1e-300;
  for (let k = n - 1; k >= 0; k--) {
    if (wi[k] == 0) {
      s(XR, k * n + k, 1);
      solveUp(H, XR, XI, n, k, k - 1, k, wr[k], 0, tiny);
    } else if (wi[k] < 0) { // the pair (k - 1, k): the first, w_{k-1} = lr + i li (li > 0)
      const m = k - 1, lr = wr[m], li = wi[m];
      const a = g(H, m * n + m), b = g(H, m * n + m + 1), c = g(H, (m + 1) * n + m), d = g(H, (m + 1) * n + m + 1);
      if (Math.abs(b) >= Math.abs(c)) { // (a - w) x0 + b x1 = 0
        s(XR, m * n + m, b); s(XI, m * n + m, 0);
        s(XR, k * n + m, lr - a); s(XI, k * n + m, li);
      } else {                           // c x0 + (d - w) x1 = 0
        s(XR, m * n + m, lr - d); s(XI, m * n + m, li);
        s(XR, k * n + m, c); s(XI, k * n + m, 0);
      }
      solveUp(H, XR, XI, n, m, m - 1, k, lr, li, tiny);
      for (let i = 0; i <= k; i++) { s(XR, i * n + k, g(XR, i * n + m)); s(XI, i * n + k, -g(XI, i * n + m)); }
      k--;
    }
  }
}

/** Rows top, top - 1, ..., 0 of column col of X from (T - w) x = 0, entries top+1..last known. */
function solveUp(H: usize, XR: usize, XI: usize, n: i32, col: i32, top: i32, last: i32, lr: f64, li: f64, tiny: f64): void {
  let i = top;
  while (i >= 0) {
    if (i > 0 && g(H, i * n + i - 1) != 0) { // the 2 x 2 block (i - 1, i)
      const p = i - 1;
      let r0r = 0.0, r0i = 0.0, r1r = 0.0, r1i = 0.0;
      for (let j = i + 1; j <= last; j++) {
        const xr = g(XR, j * n + col), xi = g(XI, j * n + col), h0 = g(H, p * n + j), h1 = g(H, i * n + j);
        r0r -= h0 * xr; r0i -= h0 * xi; r1r -= h1 * xr; r1i -= h1 * xi;
      }
      const a11r = g(H, p * n + p) - lr, a11i = -li, a12 = g(H, p * n + i);
      const a21 = g(H, i * n + p), a22r = g(H, i * n + i) - lr, a22i = -li;
      // Cramer: det = a11 a22 - a12 a21
      let dr = a11r * a22r - a11i * a22i - a12 * a21, di = a11r * a22i + a11i * a22r;
      if (dr == 0 && di == 0) dr = tiny;
      // x0 = (r0 a22 - a12 r1) / det, x1 = (a11 r1 - a21 r0) / det
      cdiv(r0r * a22r - r0i * a22i - a12 * r1r, r0r * a22i + r0i * a22r - a12 * r1i, dr, di);
      s(XR, p * n + col, QR_); s(XI, p * n + col, QI_);
      cdiv(a11r * r1r - a11i * r1i - a21 * r0r, a11r * r1i + a11i * r1r - a21 * r0i, dr, di);
      s(XR, i * n + col, QR_); s(XI, i * n + col, QI_);
      guard(XR, XI, n, col, p, last);
      i -= 2;
    } else {
      let rr = 0.0, ri = 0.0;
      for (let j = i + 1; j <= last; j++) {
        const h = g(H, i * n + j);
        rr -= h * g(XR, j * n + col); ri -= h * g(XI, j * n + col);
      }
      let dr = g(H, i * n + i) - lr;
      const di = -li;
      if (dr == 0 && di == 0) dr = tiny;
      cdiv(rr, ri, dr, di);
      s(XR, i * n + col, QR_); s(XI, i * n + col, QI_);
      guard(XR, XI, n, col, i, last);
      i--;
    }
  }
}

/**
 * Y = Q X (Q real when QI == 0, X upper triangular up to a subdiagonal: the full product is taken,
 * zeros included).
 */
function backTransform(QRp: usize, QIp: usize, XR: usize, XI: usize, YR: usize, YI: usize, n: i32, cx: bool): void {
  for (let i = 0; i < n * n; i++) { s(YR, i, 0); s(YI, i, 0); }
  for (let i = 0; i < n; i++) {
    const yr = YR + (<usize>(i * n) << 3), yi = YI + (<usize>(i * n) << 3);
    for (let k = 0; k < n; k++) {
      const qr = g(QRp, i * n + k), qi = cx ? g(QIp, i * n + k) : 0.0;
      if (qr == 0 && qi == 0) continue;
      const xr = XR + (<usize>(k * n) << 3), xi = XI + (<usize>(k * n) << 3);
      const j0 = max(k - 1, 0); // X's rows are zero left of the subdiagonal
      for (let j = j0; j < n; j++) {
        const ar = g(xr, j), ai = g(xi, j);
        s(yr, j, g(yr, j) + qr * ar - qi * ai);
        s(yi, j, g(yi, j) + qr * ai + qi * ar);
      }
    }
  }
}

/** Eigenvalues alone written out; V NaN (values only). */
function valuesOut<T>(wr: F64s, wi: F64s, n: i32, wo: usize, vo: usize): void {
  for (let j = 0; j < n; j++) stc<T>(wo, j, wr[j], wi[j]);
  for (let i = 0; i < n * n; i++) stc<T>(vo, i, NaN, NaN);
}

/** Columns of Y normalized (unit norm; largest component real where `all` or the eigenvalue is complex), written out with w. */
function normalizeOut<T>(YR: usize, YI: usize, wr: F64s, wi: F64s, n: i32, wo: usize, vo: usize, all: bool): void {
  for (let j = 0; j < n; j++) {
    stc<T>(wo, j, wr[j], wi[j]);
    let big = 0.0, at = 0, bestSq = -1.0;
    for (let i = 0; i < n; i++) big = max(big, max(Math.abs(g(YR, i * n + j)), Math.abs(g(YI, i * n + j))));
    let fr = 1.0, fi = 0.0, mag = 0.0;
    const turn = all || wi[j] != 0;
    if (big > 0 && isFinite(big)) {
      let ss = 0.0;
      for (let i = 0; i < n; i++) {
        const xr = g(YR, i * n + j) / big, xi = g(YI, i * n + j) / big, sq = xr * xr + xi * xi;
        ss += sq;
        if (sq > bestSq) { bestSq = sq; at = i; }
      }
      const nrm = big * Math.sqrt(ss);
      fr = 1 / nrm;
      if (turn) { // times conj(y_at) / |y_at|
        const ar = g(YR, at * n + j) / big, ai = g(YI, at * n + j) / big, m = Math.hypot(ar, ai);
        // real input: the sign of its real part kept (dgeev's dlartg), complex: made positive (zgeev)
        const sg = !all && ar < 0 ? -1.0 : 1.0;
        fi = -sg * ai / m / nrm; fr = sg * ar / m / nrm;
        mag = sg * m * big / nrm;
      }
    }
    for (let i = 0; i < n; i++) {
      const xr = g(YR, i * n + j), xi = g(YI, i * n + j);
      stc<T>(vo, i * n + j, xr * fr - xi * fi, xr * fi + xi * fr);
    }
    if (turn && mag != 0) stc<T>(vo, at * n + j, mag, 0); // exactly real
  }
}

// ---------------------------------------------------------------- complex input

/**
 * Eigenvalues w and right eigenvectors V of `batch` complex n x n matrices (interleaved T pairs,
 * T: f32 for complex64, f64 for complex128), written in the same dtype.
 */
export function eigComplex<T>(a: usize, wOut: usize, vOut: usize, batch: i32, n: i32, wantV: bool): void {
  if (n == 0 || batch == 0) return;
  const nn = <usize>n * <usize>n;
  const H = scratch(SLOT_A, nn << 4);      // re then im
  const Q = scratch(SLOT_B, nn << 4);
  const X = scratch(SLOT_TMP, nn << 4);
  const Y = scratch(SLOT_UPDATE, nn << 4);
  const vec = vectors(7 * n);
  const wr = f64s(vec, 0), wi = f64s(vec, n), work = vec + (<usize>(2 * n) << 3), bal = vec + (<usize>(6 * n) << 3);
  const HR = H, HI = H + (nn << 3), QRp = Q, QIp = Q + (nn << 3), XR = X, XI = X + (nn << 3), YR = Y, YI = Y + (nn << 3);
  const csz = 2 * sizeof<T>();
  for (let t = 0; t < batch; t++) {
    const A = a + <usize>t * nn * csz;
    const wo = wOut + <usize>t * <usize>n * csz, vo = vOut + <usize>t * nn * csz;
    let finite = true;
    for (let i = 0; i < n * n; i++) {
      const xr = ld<T>(A, 2 * i), xi = ld<T>(A, 2 * i + 1);
      s(HR, i, xr); s(HI, i, xi);
      if (!isFinite(xr) || !isFinite(xi)) finite = false;
    }
    if (!finite) { nanOut<T>(wo, vo, n); continue; }
    balance(HR, HI, bal, n);
    hessenbergC(HR, HI, QRp, QIp, work, work + (<usize>n << 3), n, wantV);
    let anorm = 0.0;
    for (let i = 0; i < n; i++) for (let j = max(i - 1, 0); j < n; j++) anorm += Math.abs(g(HR, i * n + j)) + Math.abs(g(HI, i * n + j));
    if (!complexSchur(HR, HI, QRp, QIp, wr, wi, n, anorm, wantV)) { nanOut<T>(wo, vo, n); continue; }
    if (!wantV) { valuesOut<T>(wr, wi, n, wo, vo); continue; }
    // eigenvectors of the triangular T
    for (let i = 0; i < n * n; i++) { s(XR, i, 0); s(XI, i, 0); }
    const tiny = anorm > 0 ? EPS * anorm : 1e-300;
    for (let k = n - 1; k >= 0; k--) {
      s(XR, k * n + k, 1);
      for (let i = k - 1; i >= 0; i--) {
        let rr = 0.0, ri = 0.0;
        for (let j = i + 1; j <= k; j++) {
          const hr = g(HR, i * n + j), hi = g(HI, i * n + j), xr = g(XR, j * n + k), xi = g(XI, j * n + k);
          rr -= hr * xr - hi * xi; ri -= hr * xi + hi * xr;
        }
        let dr = g(HR, i * n + i) - wr[k], di = g(HI, i * n + i) - wi[k];
        if (dr == 0 && di == 0) dr = tiny;
        cdiv(rr, ri, dr, di);
        s(XR, i * n + k, QR_); s(XI, i * n + k, QI_);
        guard(XR, XI, n, k, i, k);
      }
    }
    backTransform(QRp, QIp, XR, XI, YR, YI, n, true);
    unbalance(YR, YI, bal, n);
    normalizeOut<T>(YR, YI, wr, wi, n, wo, vo, true);
  }
}

/** Complex H to upper Hessenberg form by Householder reflections P = I - beta v v^H, H = Q^H A Q (vr, vi: n each, then 2n of work after vi). */
function hessenbergC(HR: usize, HI: usize, QRp: usize, QIp: usize, vr: usize, vi: usize, n: i32, wantV: bool): void {
  if (wantV) {
    for (let i = 0; i < n * n; i++) { s(QRp, i, 0); s(QIp, i, 0); }
    for (let i = 0; i < n; i++) s(QRp, i * n + i, 1);
  }
  for (let k = 0; k + 2 < n; k++) {
    let below = 0.0;
    for (let i = k + 2; i < n; i++) below += Math.abs(g(HR, i * n + k)) + Math.abs(g(HI, i * n + k));
    if (below == 0) continue;
    const scale = below + Math.abs(g(HR, (k + 1) * n + k)) + Math.abs(g(HI, (k + 1) * n + k));
    let ss = 0.0;
    for (let i = k + 1; i < n; i++) {
      const xr = g(HR, i * n + k) / scale, xi = g(HI, i * n + k) / scale;
      s(vr, i, xr); s(vi, i, xi); ss += xr * xr + xi * xi;
    }
    const nrm = Math.sqrt(ss), x0r = g(vr, k + 1), x0i = g(vi, k + 1), ax = Math.hypot(x0r, x0i);
    const phr = ax > 0 ? x0r / ax : 1.0, phi = ax > 0 ? x0i / ax : 0.0;
    // alpha = -ph nrm; v = x - alpha e1: v0 = ph (|x0| + nrm); beta = 2 / v^H v
    s(vr, k + 1, phr * (ax + nrm)); s(vi, k + 1, phi * (ax + nrm));
    const beta = 1 / (nrm * (nrm + ax));
    // left, P H: columns k+1..n-1: H[:, j] -= beta v (v^H H[:, j]), by rows (as the real one)
    const dR = vi + (<usize>n << 3), dI = dR + (<usize>n << 3);
    for (let j = k + 1; j < n; j++) { s(dR, j, 0); s(dI, j, 0); }
    for (let i = k + 1; i < n; i++) {
      const ar = g(vr, i), ai = -g(vi, i), o = i * n;
      for (let j = k + 1; j < n; j++) {
        const hr = g(HR, o + j), hi = g(HI, o + j);
        s(dR, j, g(dR, j) + (ar * hr - ai * hi)); s(dI, j, g(dI, j) + (ar * hi + ai * hr));
      }
    }
    for (let j = k + 1; j < n; j++) { s(dR, j, g(dR, j) * beta); s(dI, j, g(dI, j) * beta); }
    for (let i = k + 1; i < n; i++) {
      const ar = g(vr, i), ai = g(vi, i), o = i * n;
      for (let j = k + 1; j < n; j++) {
        const dr = g(dR, j), di = g(dI, j);
        s(HR, o + j, g(HR, o + j) - (dr * ar - di * ai));
        s(HI, o + j, g(HI, o + j) - (dr * ai + di * ar));
      }
    }
    s(HR, (k + 1) * n + k, -phr * nrm * scale); s(HI, (k + 1) * n + k, -phi * nrm * scale);
    for (let i = k + 2; i < n; i++) { s(HR, i * n + k, 0); s(HI, i * n + k, 0); }
    rightReflectC(HR, HI, n, vr, vi, k + 1, beta);
    if (wantV) rightReflectC(QRp, QIp, n, vr, vi, k + 1, beta);
  }
}

/** M[:, c0:] -= beta (M[:, c0:] v) v^H. */
function rightReflectC(MR: usize, MI: usize, n: i32, vr: usize, vi: usize, c0: i32, beta: f64): void {
  for (let i = 0; i < n; i++) {
    let dr = 0.0, di = 0.0;
    for (let j = c0; j < n; j++) {
      const mr = g(MR, i * n + j), mi = g(MI, i * n + j), ar = g(vr, j), ai = g(vi, j);
      dr += mr * ar - mi * ai; di += mr * ai + mi * ar;
    }
    dr *= beta; di *= beta;
    for (let j = c0; j < n; j++) {
      const ar = g(vr, j), ai = -g(vi, j); // conj(v_j)
      s(MR, i * n + j, g(MR, i * n + j) - (dr * ar - di * ai));
      s(MI, i * n + j, g(MI, i * n + j) - (dr * ai + di * ar));
    }
  }
}

@inline function abs1(r: f64, i: f64): f64 { return Math.abs(r) + Math.abs(i); }

// complex square root result
let SR_: f64 = 0, SI_: f64 = 0;
function csqrt(xr: f64, xi: f64): void {
  const m = Math.hypot(xr, xi);
  if (m == 0) { SR_ = 0; SI_ = 0; return; }
  if (xr >= 0) {
    const t = Math.sqrt(0.5 * (m + xr));
    SR_ = t; SI_ = xi / (2 * t);
  } else {
    const t = Math.sqrt(0.5 * (m - xr));
    SR_ = Math.abs(xi) / (2 * t); SI_ = xi >= 0 ? t : -t;
  }
}

/** Apply the rotation [c, s; -conj(s), c] to rows r, r+1 of M (columns c0..c1-1). */
function rotRows(MR: usize, MI: usize, n: i32, r: i32, c0: i32, c1: i32, c: f64, sr: f64, si: f64): void {
  for (let j = c0; j < c1; j++) {
    const ur = g(MR, r * n + j), ui = g(MI, r * n + j), wr = g(MR, (r + 1) * n + j), wi = g(MI, (r + 1) * n + j);
    s(MR, r * n + j, c * ur + sr * wr - si * wi);
    s(MI, r * n + j, c * ui + sr * wi + si * wr);
    // -conj(s) u + c w
    s(MR, (r + 1) * n + j, -(sr * ur + si * ui) + c * wr);
    s(MI, (r + 1) * n + j, -(sr * ui - si * ur) + c * wi);
  }
}
/** M G^H on columns k, k+1 (rows r0..r1-1): col k = c col_k + conj(s) col_{k+1}, col k+1 = -s col_k + c col_{k+1}. */
function rotCols(MR: usize, MI: usize, n: i32, k: i32, r0: i32, r1: i32, c: f64, sr: f64, si: f64): void {
  for (let i = r0; i < r1; i++) {
    const o = i * n + k;
    const ur = g(MR, o), ui = g(MI, o), wr = g(MR, o + 1), wi = g(MI, o + 1);
    s(MR, o, c * ur + sr * wr + si * wi);
    s(MI, o, c * ui + sr * wi - si * wr);
    s(MR, o + 1, -(sr * ur - si * ui) + c * wr);
    s(MI, o + 1, -(sr * ui + si * ur) + c * wi);
  }
}

/** Complex Hessenberg H to upper triangular form by single-shift QR (Givens), applied to all of H and Q (wantV; else to the active block). */
function complexSchur(HR: usize, HI: usize, QRp: usize, QIp: usize, wr: F64s, wi: F64s, n: i32, anorm: f64, wantV: bool): bool {
  let hi = n - 1, iter = 0, total = 0;
  const budget = 40 * n;
  while (hi >= 0) {
    let l = hi;
    while (l > 0) {
      let sc = abs1(g(HR, (l - 1) * n + l - 1), g(HI, (l - 1) * n + l - 1)) + abs1(g(HR, l * n + l), g(HI, l * n + l));
      if (sc == 0) sc = anorm;
      if (abs1(g(HR, l * n + l - 1), g(HI, l * n + l - 1)) <= EPS * sc) { s(HR, l * n + l - 1, 0); s(HI, l * n + l - 1, 0); break; }
      l--;
    }
    if (l == hi) { wr[hi] = g(HR, hi * n + hi); wi[hi] = g(HI, hi * n + hi); hi--; iter = 0; continue; }
    if (total >= budget) return false;
    iter++; total++;
    let mr: f64, mi: f64;
    const dr = g(HR, hi * n + hi), di = g(HI, hi * n + hi);
    if (iter % 10 == 0) {
      const e = abs1(g(HR, hi * n + hi - 1), g(HI, hi * n + hi - 1)) + (hi - 1 > l ? abs1(g(HR, (hi - 1) * n + hi - 2), g(HI, (hi - 1) * n + hi - 2)) : 0);
      mr = dr + 0.75 * e; mi = di;
    } else {
      // Wilkinson: the eigenvalue of the trailing 2 x 2 block nearest d
      const ar = g(HR, (hi - 1) * n + hi - 1), ai = g(HI, (hi - 1) * n + hi - 1);
      const br = g(HR, (hi - 1) * n + hi), bi = g(HI, (hi - 1) * n + hi), cr = g(HR, hi * n + hi - 1), ci = g(HI, hi * n + hi - 1);
      const pr = 0.5 * (ar - dr), pi = 0.5 * (ai - di);
      const bcr = br * cr - bi * ci, bci = br * ci + bi * cr;
      csqrt(pr * pr - pi * pi + bcr, 2 * pr * pi + bci);
      let sr = SR_, si = SI_;
      if (pr * sr + pi * si < 0) { sr = -sr; si = -si; }
      const tr = pr + sr, ti = pi + si;
      if (tr == 0 && ti == 0) { mr = dr; mi = di; }
      else { cdiv(bcr, bci, tr, ti); mr = dr - QR_; mi = di - QI_; }
    }
    // the sweep: the first rotation from (h_ll - mu, h_{l+1,l}), then the bulge chased down
    let xr = g(HR, l * n + l) - mr, xi = g(HI, l * n + l) - mi, yr = g(HR, (l + 1) * n + l), yi = g(HI, (l + 1) * n + l);
    const c1 = wantV ? n : hi + 1, r0 = wantV ? 0 : l; // the part of H updated
    for (let k = l; k < hi; k++) {
      if (k > l) {
        xr = g(HR, k * n + k - 1); xi = g(HI, k * n + k - 1);
        yr = g(HR, (k + 1) * n + k - 1); yi = g(HI, (k + 1) * n + k - 1);
      }
      const ax = Math.hypot(xr, xi), ay = Math.hypot(yr, yi);
      if (ay == 0) continue;
      const nrm = Math.hypot(ax, ay);
      let c: f64, sr: f64, si: f64;
      if (ax == 0) { c = 0; sr = yr / ay; si = -yi / ay; } // s = conj(y) / |y|
      else {
        c = ax / nrm;
        // s = (x / |x|) conj(y) / nrm
        const pr = xr / ax, pi = xi / ax;
        sr = (pr * yr + pi * yi) / nrm; si = (pi * yr - pr * yi) / nrm;
      }
      rotRows(HR, HI, n, k, k > l ? k - 1 : l, c1, c, sr, si);
      if (k > l) { s(HR, (k + 1) * n + k - 1, 0); s(HI, (k + 1) * n + k - 1, 0); }
      rotCols(HR, HI, n, k, r0, min(k + 3, hi + 1), c, sr, si);
      if (wantV) rotCols(QRp, QIp, n, k, 0, n, c, sr, si);
    }
  }
  return true;
}
