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
