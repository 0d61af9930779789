// Dense factorizations and solves on batches of row-major matrices (f32 and f64, generic over T).
// Blocked for the cache (LAPACK's shapes): cholesky as U = L^T, right-looking with panels of NB
// rows and SIMD row updates of the trailing rows by column chunks; lu right-looking, a panel of NB
// columns factored with partial pivoting, then U12 = L11^-1 A12 and the trailing update
// A22 -= L21 U12 as SIMD row updates over column chunks that stay in cache; triangular solves
// with several right-hand sides as SIMD row updates.

import { gemmUpdate } from './dot';
import { scratch, SLOT_UPDATE } from './scratch';

const NB = 64;     // panel width
const CHUNK = 256; // columns of the trailing update kept in cache at once
const GEMM_MIN = 48; // trailing blocks at least this large go through the packed matmul

/**
 * The trailing update X[r0.., c0..] -= L R (m x m2) through the packed matmul micro-kernel:
 * L = rows r0.. of columns k0..k1 (m x nb, or, with `lT`, their transpose read from rows k0..k1),
 * R = rows k0..k1 of columns c0.. (nb x m2). With `upper`, only X's upper triangle (j >= i) is
 * updated (cholesky's symmetric update). X has row length n.
 */
function trailingUpdate<T>(X: usize, n: i32, r0: i32, c0: i32, k0: i32, k1: i32, lT: bool, upper: bool): void {
  const sz = <usize>sizeof<T>(), row = <usize>n * sz, nb = k1 - k0, m = n - r0, m2 = n - c0;
  const Lp = scratch(SLOT_UPDATE, (<usize>m * <usize>nb + <usize>nb * <usize>m2 + <usize>m * <usize>m2) * sz);
  const Rp = Lp + <usize>m * <usize>nb * sz, C = Rp + <usize>nb * <usize>m2 * sz;
  for (let i = 0; i < m; i++) {
    const dst = Lp + <usize>i * <usize>nb * sz;
    if (lT) for (let k = 0; k < nb; k++) store<T>(dst + <usize>k * sz, load<T>(X + <usize>(k0 + k) * row + <usize>(r0 + i) * sz));
    else memory.copy(dst, X + <usize>(r0 + i) * row + <usize>k0 * sz, <usize>nb * sz);
  }
  for (let k = 0; k < nb; k++) memory.copy(Rp + <usize>k * <usize>m2 * sz, X + <usize>(k0 + k) * row + <usize>c0 * sz, <usize>m2 * sz);
  gemmUpdate<T>(Lp, Rp, C, m, nb, m2);
  for (let i = 0; i < m; i++) {
    const from = upper ? i : 0;
    axpySub<T>(X + <usize>(r0 + i) * row + <usize>(c0 + from) * sz, C + (<usize>i * <usize>m2 + <usize>from) * sz, 1.0, m2 - from);
  }
}

/** y[0, len) -= a x[0, len) (rows of T), f32x4 / f64x2. */
@inline function axpySub<T>(y: usize, x: usize, a: f64, len: i32): void {
  let i = 0;
  if (sizeof<T>() == 8) {
    const va = f64x2.splat(a);
    for (; i + 2 <= len; i += 2) { const o = <usize>i << 3; v128.store(y + o, f64x2.sub(v128.load(y + o), f64x2.mul(va, v128.load(x + o)))); }
  } else {
    const va = f32x4.splat(<f32>a);
    for (; i + 4 <= len; i += 4) { const o = <usize>i << 2; v128.store(y + o, f32x4.sub(v128.load(y + o), f32x4.mul(va, v128.load(x + o)))); }
  }
  for (; i < len; i++) { const o = <usize>i * sizeof<T>(); store<T>(y + o, <T>(<f64>load<T>(y + o) - a * <f64>load<T>(x + o))); }
}

/**
 * Lower Cholesky factors of `batch` symmetric n x n matrices: out = L with L L^T = a (only a's
 * lower triangle is read), zeros above the diagonal. A matrix that is not positive definite
 * gives a matrix of NaNs, as JAX's cholesky does.
 */
export function cholesky<T>(a: usize, out: usize, batch: i32, n: i32): void {
  const sz = <usize>sizeof<T>(), mat = <usize>n * <usize>n * sz, row = <usize>n * sz;
  for (let t = 0; t < batch; t++) {
    const A = a + <usize>t * mat, W = out + <usize>t * mat;
    // W holds U = L^T (upper, rows contiguous): U^T U = A, from A's lower triangle
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) store<T>(W + <usize>i * row + <usize>j * sz, load<T>(A + <usize>j * row + <usize>i * sz));
    let ok = true;
    for (let J0 = 0; J0 < n && ok; J0 += NB) {
      const J1 = min(n, J0 + NB);
      // the panel rows, unblocked (right-looking, inside the panel)
      for (let k = J0; k < J1; k++) {
        const rk = W + <usize>k * row;
        const d = <f64>load<T>(rk + <usize>k * sz);
        if (!(d > 0)) { ok = false; break; } // also catches NaN
        const ukk = Math.sqrt(d);
        store<T>(rk + <usize>k * sz, <T>ukk);
        for (let c = k + 1; c < n; c++) { const at = rk + <usize>c * sz; store<T>(at, <T>(<f64>load<T>(at) / ukk)); }
        for (let i = k + 1; i < J1; i++) axpySub<T>(W + <usize>i * row + <usize>i * sz, rk + <usize>i * sz, <f64>load<T>(rk + <usize>i * sz), n - i);
      }
      if (!ok || J1 == n) break;
      // the trailing rows: U[i, i:] -= sum over the panel rows k of U[k, i] U[k, i:]: U22 -= U12^T U12
      if (n - J1 >= GEMM_MIN) { trailingUpdate<T>(W, n, J1, J1, J0, J1, true, true); continue; }
      for (let c0 = J1; c0 < n; c0 += CHUNK) {
        const c1 = min(n, c0 + CHUNK);
        for (let i = J1; i < c1; i++) {
          const start = max(i, c0), len = c1 - start, so = <usize>start * sz, ri = W + <usize>i * row;
          for (let k = J0; k < J1; k++) {
            const rk = W + <usize>k * row;
            axpySub<T>(ri + so, rk + so, <f64>load<T>(rk + <usize>i * sz), len);
          }
        }
      }
    }
    if (!ok) { for (let i = 0; i < n * n; i++) store<T>(W + <usize>i * sz, <T>NaN); continue; }
    // L = U^T in place: the lower triangle from the upper one, then zeros above
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        store<T>(W + <usize>j * row + <usize>i * sz, load<T>(W + <usize>i * row + <usize>j * sz));
        store<T>(W + <usize>i * row + <usize>j * sz, <T>0);
      }
    }
  }
}

/**
 * JAX's triangular_solve on a batch: solves op(A) X = B (left side) or X op(A) = B (right),
 * op(A) = A or A^T, A lower or upper triangular (the other triangle is not read), with a unit
 * diagonal if asked. A: [batch, m, m]; B and X: [batch, m, k] (left) or [batch, k, m] (right).
 */
export function triangularSolve<T>(a: usize, b: usize, out: usize, batch: i32, m: i32, k: i32,
  left: bool, lower: bool, transposeA: bool, unitDiag: bool): void {
  const sz = <usize>sizeof<T>(), matA = <usize>m * <usize>m * sz, matB = <usize>m * <usize>k * sz;
  // The effective matrix M = op(A) for the left side, op(A)^T for the right side (X op(A) = B
  // is op(A)^T X^T = B^T), read through (trans) and solved by forward or back substitution.
  const trans = left ? transposeA : !transposeA;
  const forward = trans ? !lower : lower; // M lower triangular
  for (let t = 0; t < batch; t++) {
    const A = a + <usize>t * matA, X = out + <usize>t * matB;
    memory.copy(X, b + <usize>t * matB, matB);
    if (left && k > 1) {
      // row i of X minus M[i, j] times the rows j already solved: SIMD row updates
      const row = <usize>k * sz;
      for (let s = 0; s < m; s++) {
        const i = forward ? s : m - 1 - s;
        const xi = X + <usize>i * row;
        const j0 = forward ? 0 : i + 1, j1 = forward ? i : m;
        for (let j = j0; j < j1; j++) {
          const mij = <f64>(trans ? load<T>(A + <usize>(j * m + i) * sz) : load<T>(A + <usize>(i * m + j) * sz));
          if (mij != 0) axpySub<T>(xi, X + <usize>j * row, mij, k);
        }
        if (!unitDiag) {
          const d = <f64>load<T>(A + <usize>(i * m + i) * sz);
          for (let c = 0; c < k; c++) { const at = xi + <usize>c * sz; store<T>(at, <T>(<f64>load<T>(at) / d)); }
        }
      }
      continue;
    }
    // Column c of the left-side system is X[:, c] (stride k); of the right side, row c of X (stride 1).
    const vStride = left ? k : 1, vStep = left ? 1 : m;
    for (let c = 0; c < k; c++) {
      const v = X + <usize>(c * vStep) * sz;
      for (let s = 0; s < m; s++) {
        const i = forward ? s : m - 1 - s;
        let acc: f64 = <f64>load<T>(v + <usize>(i * vStride) * sz);
        const j0 = forward ? 0 : i + 1, j1 = forward ? i : m;
        for (let j = j0; j < j1; j++) {
          const mij = trans ? load<T>(A + <usize>(j * m + i) * sz) : load<T>(A + <usize>(i * m + j) * sz);
          acc -= <f64>mij * <f64>load<T>(v + <usize>(j * vStride) * sz);
        }
        if (!unitDiag) acc /= <f64>load<T>(A + <usize>(i * m + i) * sz);
        store<T>(v + <usize>(i * vStride) * sz, <T>acc);
      }
    }
  }
}

/**
 * LU factorization with partial pivoting of `batch` n x n matrices: P A = L U with L unit lower
 * (stored below the diagonal of `lu`) and U upper (on and above it). Also writes the row
 * permutation (`perm[i]` = the row of A that is row i of P A, int32), P as a 0/1 matrix of the
 * float dtype, and the permutation's parity (+1 / -1) per matrix. A singular matrix gives
 * zeros on U's diagonal (and infinities or NaNs in what is solved with it), never a trap.
 */
export function lu<T>(a: usize, luOut: usize, perm: usize, pOut: usize, parity: usize, batch: i32, n: i32): void {
  const sz = <usize>sizeof<T>(), mat = <usize>n * <usize>n * sz, row = <usize>n * sz;
  for (let t = 0; t < batch; t++) {
    const M = luOut + <usize>t * mat, pr = perm + <usize>(t * n) * 4;
    memory.copy(M, a + <usize>t * mat, mat);
    for (let i = 0; i < n; i++) store<i32>(pr + (<usize>i << 2), i);
    let sign: f64 = 1;
    for (let J0 = 0; J0 < n; J0 += NB) {
      const J1 = min(n, J0 + NB);
      // the panel (columns J0..J1, all rows below J0), unblocked; swaps move whole rows
      for (let j = J0; j < J1; j++) {
        // Pivot: the largest |entry| of column j at or below the diagonal (the first on ties, as
        // LAPACK's idamax, which starts from the diagonal's: a NaN there stays the pivot and
        // spreads, where starting from -1 skipped it for a 0 below, and det came out 0).
        let p = j, best: f64 = Math.abs(<f64>load<T>(M + <usize>j * row + <usize>j * sz));
        for (let i = j + 1; i < n; i++) {
          const v = Math.abs(<f64>load<T>(M + <usize>i * row + <usize>j * sz));
          if (v > best) { best = v; p = i; }
        }
        if (p != j) {
          const x = M + <usize>j * row, y = M + <usize>p * row;
          for (let c = 0; c < n; c++) {
            const o = <usize>c * sz;
            const tmp = load<T>(x + o); store<T>(x + o, load<T>(y + o)); store<T>(y + o, tmp);
          }
          const tmp = load<i32>(pr + (<usize>j << 2));
          store<i32>(pr + (<usize>j << 2), load<i32>(pr + (<usize>p << 2)));
          store<i32>(pr + (<usize>p << 2), tmp);
          sign = -sign;
        }
        const rj = M + <usize>j * row;
        const d = <f64>load<T>(rj + <usize>j * sz);
        if (d == 0) continue; // singular: leave the column (U's diagonal holds the zero)
        for (let i = j + 1; i < n; i++) {
          const ri = M + <usize>i * row;
          const l = <f64>load<T>(ri + <usize>j * sz) / d;
          store<T>(ri + <usize>j * sz, <T>l);
          axpySub<T>(ri + <usize>(j + 1) * sz, rj + <usize>(j + 1) * sz, l, J1 - j - 1);
        }
      }
      if (J1 == n) break;
      // U12 = L11^-1 A12 (unit lower), then A22 -= L21 U12 (the packed matmul for large blocks,
      // else by column chunks kept in cache)
      const big = n - J1 >= GEMM_MIN;
      for (let c0 = J1; c0 < n; c0 += CHUNK) {
        const len = min(n, c0 + CHUNK) - c0, co = <usize>c0 * sz;
        for (let r = J0 + 1; r < J1; r++) {
          const rr = M + <usize>r * row;
          for (let k = J0; k < r; k++) axpySub<T>(rr + co, M + <usize>k * row + co, <f64>load<T>(rr + <usize>k * sz), len);
        }
        if (big) continue;
        for (let i = J1; i < n; i++) {
          const ri = M + <usize>i * row;
          for (let k = J0; k < J1; k++) {
            const l = <f64>load<T>(ri + <usize>k * sz);
            if (l != 0) axpySub<T>(ri + co, M + <usize>k * row + co, l, len);
          }
        }
      }
      if (big) trailingUpdate<T>(M, n, J1, J1, J0, J1, false, false);
    }
    const P = pOut + <usize>t * mat;
    memory.fill(P, 0, mat);
    for (let i = 0; i < n; i++) store<T>(P + <usize>(i * n + load<i32>(pr + (<usize>i << 2))) * sz, <T>1);
    store<T>(parity + <usize>t * sz, <T>sign);
  }
}
