// Dense factorizations and solves on batches of row-major matrices (f32 and f64, generic over T).
// Scalar loops for now: O(n^3) work on small and medium matrices; blocked versions over the
// matmul micro-kernel are the linear-algebra issue's next step.

/**
 * Lower Cholesky factors of `batch` symmetric n x n matrices: out = L with L L^T = a (only a's
 * lower triangle is read), zeros above the diagonal. A matrix that is not positive definite
 * gives a matrix of NaNs, as JAX's cholesky does.
 */
export function cholesky<T>(a: usize, out: usize, batch: i32, n: i32): void {
  const sz = <usize>sizeof<T>(), mat = <usize>n * <usize>n * sz;
  for (let t = 0; t < batch; t++) {
    const A = a + <usize>t * mat, L = out + <usize>t * mat;
    memory.fill(L, 0, mat);
    let ok = true;
    for (let j = 0; j < n && ok; j++) {
      let d: f64 = <f64>load<T>(A + (<usize>(j * n + j)) * sz);
      for (let k = 0; k < j; k++) { const v = <f64>load<T>(L + (<usize>(j * n + k)) * sz); d -= v * v; }
      if (!(d > 0)) { ok = false; break; } // also catches NaN
      const ljj = Math.sqrt(d);
      store<T>(L + (<usize>(j * n + j)) * sz, <T>ljj);
      for (let i = j + 1; i < n; i++) {
        let s: f64 = <f64>load<T>(A + (<usize>(i * n + j)) * sz);
        for (let k = 0; k < j; k++) s -= <f64>load<T>(L + (<usize>(i * n + k)) * sz) * <f64>load<T>(L + (<usize>(j * n + k)) * sz);
        store<T>(L + (<usize>(i * n + j)) * sz, <T>(s / ljj));
      }
    }
    if (!ok) for (let i = 0; i < n * n; i++) store<T>(L + <usize>i * sz, <T>NaN);
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
  const sz = <usize>sizeof<T>(), mat = <usize>n * <usize>n * sz;
  for (let t = 0; t < batch; t++) {
    const M = luOut + <usize>t * mat, pr = perm + <usize>(t * n) * 4;
    memory.copy(M, a + <usize>t * mat, mat);
    for (let i = 0; i < n; i++) store<i32>(pr + (<usize>i << 2), i);
    let sign: f64 = 1;
    for (let j = 0; j < n; j++) {
      // Pivot: the largest |entry| of column j at or below the diagonal (the first on ties, as LAPACK).
      let p = j, best: f64 = -1;
      for (let i = j; i < n; i++) {
        const v = Math.abs(<f64>load<T>(M + <usize>(i * n + j) * sz));
        if (v > best) { best = v; p = i; }
      }
      if (p != j) {
        for (let c = 0; c < n; c++) {
          const x = M + <usize>(j * n + c) * sz, y = M + <usize>(p * n + c) * sz;
          const tmp = load<T>(x); store<T>(x, load<T>(y)); store<T>(y, tmp);
        }
        const tmp = load<i32>(pr + (<usize>j << 2));
        store<i32>(pr + (<usize>j << 2), load<i32>(pr + (<usize>p << 2)));
        store<i32>(pr + (<usize>p << 2), tmp);
        sign = -sign;
      }
      const d = <f64>load<T>(M + <usize>(j * n + j) * sz);
      if (d == 0) continue; // singular: leave the column (U's diagonal holds the zero)
      for (let i = j + 1; i < n; i++) {
        const l = <f64>load<T>(M + <usize>(i * n + j) * sz) / d;
        store<T>(M + <usize>(i * n + j) * sz, <T>l);
        for (let c = j + 1; c < n; c++) {
          const at = M + <usize>(i * n + c) * sz;
          store<T>(at, <T>(<f64>load<T>(at) - l * <f64>load<T>(M + <usize>(j * n + c) * sz)));
        }
      }
    }
    const P = pOut + <usize>t * mat;
    memory.fill(P, 0, mat);
    for (let i = 0; i < n; i++) store<T>(P + <usize>(i * n + load<i32>(pr + (<usize>i << 2))) * sz, <T>1);
    store<T>(parity + <usize>t * sz, <T>sign);
  }
}
