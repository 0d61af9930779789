// linalg.cholesky and linalg.triangularSolve: reconstruction (L L^T = A, A x = b) against the
// inputs, derivatives against float64 finite differences (checkGrads, order 2, both modes,
// float32 and float64, batched), JAX's symmetrization and NaN conventions, and clear errors.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { np, linalg, tree, grad, jvp, jit, vmap, jacfwd, jacrev, hessian, checkGrads, makeJaxpr, NDArray, ShapeError, ValueError, NotImplementedError } from 'cotangent';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => { a = (a * 1664525 + 1013904223) >>> 0; return a / 2 ** 32 - 0.5; };
}
/** Well-conditioned symmetric positive-definite matrices: X X^T / n + I, batched. */
function spd(batch: number[], n: number, dtype: 'float32' | 'float64', seed = 1): any {
  const r = rng(seed);
  const size = batch.reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let b = 0; b < size; b++) {
    const X = Array.from({ length: n * n }, r);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = i === j ? 1 : 0;
        for (let k = 0; k < n; k++) s += X[i * n + k] * X[j * n + k] / n;
        out.push(s);
      }
    }
  }
  return np.array(dtype === 'float64' ? new Float64Array(out) : new Float32Array(out), { shape: [...batch, n, n] });
}
const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (x, i) => Math.abs(x - b[i])));

describe('cholesky', () => {
  test('L is lower triangular and L L^T = A (f64 to 1e-13, f32 to 1e-5), batched', () => {
    for (const [dt, tol] of [['float64', 1e-13], ['float32', 1e-5]] as const) {
      const A = spd([2, 3], 5, dt);
      const L = linalg.cholesky(A);
      const LLt = np.matmul(L, np.transpose(L, [0, 1, 3, 2]));
      assert.ok(maxAbs(LLt.dataSync(), A.dataSync()) < tol, `${dt}: |L L^T - A| = ${maxAbs(LLt.dataSync(), A.dataSync())}`);
      const l = L.tolist() as number[][][][];
      for (const m of l.flat()) for (let i = 0; i < 5; i++) for (let j = i + 1; j < 5; j++) assert.equal(m[i][j], 0);
    }
  });
  test('derivatives: checkGrads order 2, both modes, f64 and f32, through functions of L', () => {
    const f = (A: any) => np.sum(np.multiply(np.sin(linalg.cholesky(A)), 0.7));
    checkGrads(f, [spd([], 4, 'float64', 2)], { order: 2 });
    checkGrads(f, [spd([2], 3, 'float64', 3)], { order: 2 });
    checkGrads(f, [spd([], 3, 'float32', 4)], { order: 2 });
  });
  test('the gradient is symmetric (input symmetrized, as JAX) and matches log det identity', () => {
    // log det A = 2 sum(log diag L); its gradient is A^{-1} (symmetric).
    const A = spd([], 4, 'float64', 5);
    const logdet = (M: any) => np.multiply(2, np.sum(np.log(np.sum(np.multiply(linalg.cholesky(M), np.eye(4, { dtype: 'float64' })), { axis: -1 }))));
    const g = grad(logdet)(A).tolist() as number[][];
    const prod = np.matmul(A, np.array(g, { dtype: 'float64' })).dataSync();
    assert.ok(maxAbs(prod, np.eye(4, { dtype: 'float64' }).dataSync()) < 1e-10, 'A grad(logdet) = I');
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) assert.ok(Math.abs(g[i][j] - g[j][i]) < 1e-12);
  });
  test('a matrix that is not positive definite gives NaNs (JAX), and errors name the function', () => {
    const bad = linalg.cholesky(np.array([[1, 2], [2, 1]], { dtype: 'float64' })).dataSync();
    assert.ok(Array.from(bad).every(Number.isNaN));
    assert.throws(() => linalg.cholesky(np.ones([2, 3])), (e: any) => e instanceof ShapeError && /linalg.cholesky/.test(e.message));
    assert.throws(() => linalg.cholesky(np.ones([3])), ShapeError);
    assert.deepEqual(linalg.cholesky(np.array([[true]])).tolist(), [[1]], 'a bool matrix computes in float32 (jnp.linalg promotes)');
  });
});

describe('triangularSolve', () => {
  test('A x = b and x A = b for lower/upper, transposed, unit diagonal (f64 to 1e-12)', () => {
    const L = linalg.cholesky(spd([2], 4, 'float64', 6));
    const U = np.transpose(L, [0, 2, 1]);
    const b = np.array(new Float64Array(Array.from({ length: 2 * 4 * 3 }, rng(7))), { shape: [2, 4, 3] });
    const bt = np.transpose(b, [0, 2, 1]);
    const T = (x: any) => np.transpose(x, [0, 2, 1]);
    const close = (a: any, c: any, what: string) => assert.ok(maxAbs(a.dataSync(), c.dataSync()) < 1e-12, what);
    close(np.matmul(L, linalg.triangularSolve(L, b)), b, 'L x = b');
    close(np.matmul(U, linalg.triangularSolve(U, b, { lower: false })), b, 'U x = b');
    close(np.matmul(T(L), linalg.triangularSolve(L, b, { transposeA: true })), b, 'L^T x = b');
    close(np.matmul(linalg.triangularSolve(L, bt, { leftSide: false }), L), bt, 'x L = b');
    close(np.matmul(linalg.triangularSolve(U, bt, { leftSide: false, lower: false, transposeA: true }), T(U)), bt, 'x U^T = b');
    // unit diagonal: the diagonal is not read
    const Lu = np.add(np.multiply(np.multiply(L, 3), np.subtract(1, np.eye(4, { dtype: 'float64' }))), np.eye(4, { dtype: 'float64' }));
    close(np.matmul(Lu, linalg.triangularSolve(np.multiply(L, 3), b, { unitDiagonal: true })), b, 'unit diagonal');
    // a vector right-hand side
    const v = linalg.triangularSolve(np.array([[2, 0], [1, 4]], { dtype: 'float64' }), np.array([2, 9], { dtype: 'float64' }));
    assert.deepEqual(Array.from(v.dataSync()), [1, 2]);
  });
  test('derivatives in a and b: checkGrads order 2, both modes, f64 and f32', () => {
    const A = np.add(np.multiply(np.array(new Float64Array(Array.from({ length: 9 }, rng(8))), { shape: [3, 3] }), 0.5), np.multiply(np.eye(3, { dtype: 'float64' }), 2));
    const b = np.array(new Float64Array(Array.from({ length: 6 }, rng(9))), { shape: [3, 2] });
    for (const opts of [{}, { lower: false, transposeA: true }, { leftSide: false, unitDiagonal: true }]) {
      const bb = opts.leftSide === false ? np.transpose(b) : b;
      checkGrads((a: any, c: any) => np.tanh(linalg.triangularSolve(a, c, opts)), [A, bb], { order: 2 });
    }
    checkGrads((a: any, c: any) => linalg.triangularSolve(a, c), [np.astype(A, 'float32'), np.astype(b, 'float32')], { order: 2 });
  });
  test('mismatched shapes and options are clear errors', () => {
    assert.throws(() => linalg.triangularSolve(np.eye(3), np.ones([4, 2])), /linalg.triangularSolve/);
    assert.throws(() => linalg.triangularSolve(np.eye(3), np.ones([3, 2]), { lowr: true } as any), /unknown option 'lowr'/);
  });
});

/** Well-conditioned general matrices: random entries plus 2 I, batched. */
function general(batch: number[], n: number, dtype: 'float32' | 'float64', seed = 11): any {
  const r = rng(seed);
  const size = batch.reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let b = 0; b < size; b++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out.push(r() + (i === j ? 2 : 0));
  return np.array(dtype === 'float64' ? new Float64Array(out) : new Float32Array(out), { shape: [...batch, n, n] });
}

describe('lu, solve, inv, det, slogdet', () => {
  const A = np.array([[4, 3, 2], [2, 1, 3], [3, 2, 1]], { dtype: 'float64' }); // det 3, inverse by cofactors below
  const Ainv = [[-5 / 3, 1 / 3, 7 / 3], [7 / 3, -2 / 3, -8 / 3], [1 / 3, 1 / 3, -2 / 3]];
  test('closed forms on a 3x3 (det 3) and reconstruction A = P L U, batched', () => {
    assert.ok(Math.abs(Number(linalg.det(A).item()) - 3) < 1e-13);
    const [s, ld] = linalg.slogdet(A);
    assert.equal(Number(s.item()), 1);
    assert.ok(Math.abs(Number(ld.item()) - Math.log(3)) < 1e-13);
    assert.ok(maxAbs(linalg.inv(A).dataSync(), Ainv.flat()) < 1e-13);
    assert.ok(maxAbs(linalg.solve(A, np.array([1, 2, 3], { dtype: 'float64' })).dataSync(), [6, -7, -1]) < 1e-13);
    const G = general([2, 2], 4, 'float64');
    const [P, L, U] = linalg.lu(G);
    assert.ok(maxAbs(np.matmul(P, np.matmul(L, U)).dataSync(), G.dataSync()) < 1e-13, 'P L U = A');
    const X = linalg.solve(G, np.ones([2, 2, 4, 3], { dtype: 'float64' }));
    assert.ok(maxAbs(np.matmul(G, X).dataSync(), np.ones([2, 2, 4, 3]).dataSync()) < 1e-12, 'A x = b batched');
  });
  test('derivatives: checkGrads order 2, both modes, f64 and f32, batched', () => {
    const G = general([2], 3, 'float64', 12);
    checkGrads((M: any) => linalg.inv(M), [G], { order: 2 });
    checkGrads((M: any, b: any) => linalg.solve(M, b), [G, np.ones([2, 3, 2], { dtype: 'float64' })], { order: 2 });
    checkGrads((M: any) => linalg.det(M), [general([], 3, 'float64', 13)], { order: 2 });
    checkGrads((M: any) => linalg.slogdet(M)[1], [general([2], 3, 'float64', 14)], { order: 2 });
    checkGrads((M: any) => np.tanh(linalg.lu(M)[2]), [general([], 3, 'float64', 15)], { order: 2 });
    checkGrads((M: any) => linalg.inv(M), [general([], 3, 'float32', 16)], { order: 2 });
  });
  test('grad of logabsdet is A^-T, grad of det is det A^-T', () => {
    const g = grad((M: any) => linalg.slogdet(M)[1])(A).tolist() as number[][];
    const gd = grad((M: any) => linalg.det(M))(A).tolist() as number[][];
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        assert.ok(Math.abs(g[i][j] - Ainv[j][i]) < 1e-13);
        assert.ok(Math.abs(gd[i][j] - 3 * Ainv[j][i]) < 1e-12);
      }
    }
  });
  test("solve's derivative is custom_linear_solve's: one lu, solves with its factors, no LU JVP", () => {
    // The gradient with respect to A is -A^-T ct x^T: two solves and an outer product. Through the
    // factors' own JVP it took four n^3 products and triangular solves (~20x the solve at n = 1000).
    const b = np.array([1, 2, 3], { dtype: 'float64' });
    for (const program of [makeJaxpr(grad((M: any) => np.sum(linalg.solve(M, b))))(A), makeJaxpr(grad((M: any) => np.sum(linalg.inv(M))))(A)]) {
      assert.equal((program.match(/= lu /g) ?? []).length, 1, program);
      assert.equal((program.match(/= lu_solve\[0\]/g) ?? []).length, 1, program);
      assert.equal((program.match(/= lu_solve\[1\]/g) ?? []).length, 1, program);
      assert.doesNotMatch(program, /triangular_solve/, program);
    }
    // grad of sum(A^-1 b) is -A^-T 1 x^T (x = A^-1 b = [6, -7, -1]), from the cofactor inverse above
    const g = grad((M: any) => np.sum(linalg.solve(M, b)))(A).tolist() as number[][];
    const u = [0, 1, 2].map((i) => -(Ainv[0][i] + Ainv[1][i] + Ainv[2][i]));
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) assert.ok(Math.abs(g[i][j] - u[i] * [6, -7, -1][j]) < 1e-12, `${i},${j}: ${g[i][j]}`);
  });
  test('solve and inv of empty matrices and batches: empty results, as numpy (a 0 x 0 was an internal reshape error)', () => {
    assert.deepEqual(linalg.inv(np.zeros([0, 0])).shape, [0, 0]);
    assert.deepEqual(linalg.solve(np.zeros([0, 0]), np.zeros([0])).shape, [0]);
    assert.deepEqual(jit(linalg.inv)(np.zeros([0, 0])).shape, [0, 0]);
    assert.deepEqual(linalg.solve(np.zeros([2, 0, 0]), np.zeros([2, 0, 3])).shape, [2, 0, 3]);
    assert.deepEqual(linalg.solve(np.eye(3), np.zeros([3, 0])).shape, [3, 0]);
    assert.deepEqual(linalg.inv(np.zeros([0, 3, 3])).shape, [0, 3, 3]);
    assert.deepEqual(grad((a: any) => np.sum(linalg.inv(a)))(np.zeros([0, 0])).shape, [0, 0]);
  });
  test('singular matrices: det 0, slogdet (0, -inf), solve gives inf/NaN, never a trap', () => {
    const S = np.array([[1, 2], [2, 4]], { dtype: 'float64' });
    assert.equal(Number(linalg.det(S).item()), 0);
    const [s, ld] = linalg.slogdet(S);
    assert.equal(Number(s.item()), 0);
    assert.equal(Number(ld.item()), -Infinity);
    assert.ok(Array.from(linalg.solve(S, np.array([1, 1], { dtype: 'float64' })).dataSync()).some((v) => !Number.isFinite(v)));
    assert.throws(() => linalg.solve(A, np.ones([2])), (e: any) => e instanceof ShapeError && /linalg.solve/.test(e.message));
    assert.throws(() => linalg.inv(np.ones([2, 3])), ShapeError);
  });
});

// ---------------------------------------------------------------- decompositions (issue 8)

const f64 = (x: any) => np.astype(x, 'float64');
const T = (x: any) => np.swapaxes(x, -1, -2);
const closeTo = (got: any, want: any, tol: number, what: string) => {
  const g = np.asarray(got).dataSync(), w = (want instanceof NDArray ? want : np.array(want, { dtype: 'float64' })).dataSync();
  assert.equal(g.length, w.length, `${what}: sizes`);
  const e = maxAbs(g, w);
  assert.ok(e <= tol, `${what}: max error ${e} > ${tol}`);
};
/** Random [..., m, n] entries in [-0.5, 0.5) plus `diag` on the diagonal (distinct values i + 1 when `spread`). */
function rect(batch: number[], m: number, n: number, dtype: 'float32' | 'float64', seed: number, spread = false): any {
  const r = rng(seed);
  const size = batch.reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let b = 0; b < size; b++) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out.push(r() + (i === j ? (spread ? 1.5 * (i + 1) : 2) : 0));
  return np.array(dtype === 'float64' ? new Float64Array(out) : new Float32Array(out), { shape: [...batch, m, n] });
}
/** Symmetric matrices with well-separated eigenvalues (about 1.5, 3, 4.5, ...). */
const sym = (batch: number[], n: number, dtype: 'float32' | 'float64', seed: number) => {
  const A = rect(batch, n, n, dtype, seed, true);
  return np.multiply(np.add(A, T(A)), 0.5);
};
const eyeOf = (n: number, dt: string) => np.eye(n, { dtype: dt as any });
/** Projector onto the first k columns of X: X_k X_k^T (independent of the columns' signs). */
const projector = (X: any, k: number) => { const Xk = np.split(X, [k], { axis: -1 })[0]; return np.matmul(Xk, T(Xk)); };

describe('qr', () => {
  test('Q R = A, Q^T Q = I, R upper triangular: tall, wide, square, batched, f64 and f32; modes', () => {
    for (const [dt, tol] of [['float64', 1e-13], ['float32', 2e-6]] as const) {
      for (const [m, n] of [[5, 3], [3, 5], [4, 4]]) {
        const A = rect([2], m, n, dt, 20 + m);
        const [Q, R] = linalg.qr(A); // typed as a pair by the overloads
        const k = Math.min(m, n);
        assert.deepEqual(Q.shape, [2, m, k]);
        assert.deepEqual(R.shape, [2, k, n]);
        closeTo(np.matmul(Q, R), A, tol * 4, `${dt} [${m},${n}] Q R = A`);
        closeTo(np.matmul(T(Q), Q), np.broadcastTo(eyeOf(k, dt), [2, k, k]), tol, `${dt} [${m},${n}] Q^T Q = I`);
        for (const mat of (R.tolist() as number[][][])) for (let i = 0; i < k; i++) for (let j = 0; j < Math.min(i, n); j++) assert.equal(mat[i][j], 0);
        const [Qc, Rc] = linalg.qr(A, { mode: 'complete' }) as any[];
        assert.deepEqual(Qc.shape, [2, m, m]);
        assert.deepEqual(Rc.shape, [2, m, n]);
        closeTo(np.matmul(Qc, Rc), A, tol * 4, `${dt} [${m},${n}] complete Q R = A`);
        closeTo(np.matmul(T(Qc), Qc), np.broadcastTo(eyeOf(m, dt), [2, m, m]), tol, `${dt} [${m},${n}] complete Q^T Q = I`);
        closeTo(linalg.qr(A, 'r') as any, R, 0, 'mode r is R');
      }
    }
  });
  test('derivatives: checkGrads order 2, both modes, f64 and f32, tall and batched', () => {
    const f = (A: any) => { const [Q, R] = linalg.qr(A) as any[]; return np.add(np.sum(np.sin(Q)), np.sum(np.multiply(R, R))); };
    checkGrads(f, [rect([], 4, 3, 'float64', 30)], { order: 2 });
    checkGrads((A: any) => (linalg.qr(A) as any[])[0], [rect([2], 3, 3, 'float64', 31)], { order: 2 });
    checkGrads((A: any) => linalg.qr(A, 'r'), [rect([], 3, 2, 'float32', 32)], { order: 2 });
  });
  test('wide and complete-rectangular QR have no derivative (NotImplementedError, as JAX); errors name the function', () => {
    // (the message named neither the function nor the shape: 'jvp: this derivative is not implemented')
    assert.throws(() => grad((A: any) => np.sum((linalg.qr(A) as any[])[1]))(rect([], 2, 3, 'float64', 33)),
      (e: any) => e instanceof NotImplementedError && /linalg\.qr of float64\[2,3\] has no derivative, a wide matrix \(m < n\), as in JAX/.test(e.message));
    assert.throws(() => grad((A: any) => np.sum((linalg.qr(A, 'complete') as any[])[0]))(rect([], 3, 2, 'float64', 33)),
      (e: any) => e instanceof NotImplementedError && /linalg\.qr of float64\[3,2\] has no derivative, mode 'complete' of a non-square matrix/.test(e.message));
    assert.throws(() => linalg.qr(np.ones([3])), (e: any) => e instanceof ShapeError && /linalg.qr/.test(e.message) && /float32\[3\]/.test(e.message));
    // int32 computes in float32 (jnp.linalg promotes): Q R = A
    const [qi, ri] = linalg.qr(np.array([[3, 1], [4, 2]], { dtype: 'int32' })) as NDArray[];
    assert.equal(qi.dtype, 'float32');
    (np.matmul(qi, ri).tolist() as number[][]).forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - [[3, 1], [4, 2]][i][j]) < 1e-5)));
    assert.throws(() => linalg.qr(np.ones([2, 2]), { mode: 'full' } as any), (e: any) => e instanceof ValueError && /mode/.test(e.message));
  });
});

describe('eigh, eigvalsh', () => {
  test('V diag(w) V^T = A, V^T V = I, ascending; a 2x2 closed form; batched, f64 and f32', () => {
    for (const [dt, tol] of [['float64', 1e-12], ['float32', 1e-5]] as const) {
      const A = sym([2, 2], 5, dt, 40);
      const [w, V] = linalg.eigh(A);
      closeTo(np.matmul(np.multiply(V, np.expandDims(w, -2)), T(V)), A, tol * 5, `${dt} V diag(w) V^T = A`);
      closeTo(np.matmul(T(V), V), np.broadcastTo(eyeOf(5, dt), [2, 2, 5, 5]), tol, `${dt} V^T V = I`);
      for (const row of (w.tolist() as number[][][]).flat()) for (let i = 1; i < 5; i++) assert.ok(row[i] >= row[i - 1]);
      closeTo(linalg.eigvalsh(A), w, 0, 'eigvalsh');
    }
    // [[2, 1], [1, 2]]: 1 and 3; the input is symmetrized first, as JAX
    const [w] = linalg.eigh(np.array([[2, 0], [2, 2]], { dtype: 'float64' }));
    closeTo(w, [1, 3], 1e-15, 'closed form');
  });
  test('derivatives: eigenvalues and eigenvector projectors, checkGrads order 2, both modes, f64 and f32', () => {
    checkGrads((A: any) => linalg.eigvalsh(A), [sym([2], 3, 'float64', 41)], { order: 2 });
    checkGrads((A: any) => projector(linalg.eigh(A)[1], 1), [sym([], 4, 'float64', 42)], { order: 2 });
    checkGrads((A: any) => { const [w, V] = linalg.eigh(A); return np.matmul(np.multiply(V, np.expandDims(np.exp(w), -2)), T(V)); }, [np.multiply(sym([], 3, 'float64', 43), 0.3)], { order: 2 });
    checkGrads((A: any) => projector(linalg.eigh(A)[1], 2), [sym([], 3, 'float32', 44)], { order: 2 });
  });
  test('grad of the largest eigenvalue is v v^T (symmetric, as JAX)', () => {
    const A = sym([], 4, 'float64', 45);
    const g = grad((M: any) => np.index(linalg.eigvalsh(M), 3))(A);
    closeTo(g, projector(np.flip(linalg.eigh(A)[1], -1), 1), 1e-12, 'v v^T');
  });
  test('errors', () => {
    assert.throws(() => linalg.eigh(np.ones([2, 3])), (e: any) => e instanceof ShapeError && /linalg.eigh/.test(e.message) && /float32\[2,3\]/.test(e.message));
    // int32 computes in float32 (jnp.linalg promotes): the eigenvalues of [[1, 1], [1, 1]] are 0 and 2
    const wi = linalg.eigvalsh(np.ones([2, 2], { dtype: 'int32' }));
    assert.equal(wi.dtype, 'float32');
    (wi.tolist() as number[]).forEach((v, i) => assert.ok(Math.abs(v - [0, 2][i]) < 1e-6));
    assert.throws(() => linalg.eigh(np.ones([4])), ShapeError);
  });
});

describe('svd, svdvals', () => {
  test('U diag(S) Vh = A, orthonormal U and V, S descending: tall, wide, square, full and reduced, batched', () => {
    for (const [dt, tol] of [['float64', 1e-12], ['float32', 2e-6]] as const) {
      for (const [m, n] of [[5, 3], [3, 5], [4, 4]]) {
        const A = rect([2], m, n, dt, 50 + n);
        const k = Math.min(m, n);
        const [U, S, Vh] = linalg.svd(A, { fullMatrices: false }); // typed as a triple
        assert.deepEqual([U.shape, S.shape, Vh.shape], [[2, m, k], [2, k], [2, k, n]]);
        closeTo(np.matmul(np.multiply(U, np.expandDims(S, -2)), Vh), A, tol * 4, `${dt} [${m},${n}] U S Vh = A`);
        closeTo(np.matmul(T(U), U), np.broadcastTo(eyeOf(k, dt), [2, k, k]), tol, 'U^T U = I');
        closeTo(np.matmul(Vh, T(Vh)), np.broadcastTo(eyeOf(k, dt), [2, k, k]), tol, 'Vh Vh^T = I');
        for (const row of S.tolist() as number[][]) for (let i = 1; i < k; i++) assert.ok(row[i] <= row[i - 1]);
        const [Uf, Sf, Vf] = linalg.svd(A) as any[];
        assert.deepEqual([Uf.shape, Vf.shape], [[2, m, m], [2, n, n]]);
        closeTo(Sf, S, 0, 'the same values');
        closeTo(np.matmul(T(Uf), Uf), np.broadcastTo(eyeOf(m, dt), [2, m, m]), tol, 'full U orthogonal');
        closeTo(np.matmul(Vf, T(Vf)), np.broadcastTo(eyeOf(n, dt), [2, n, n]), tol, 'full V orthogonal');
        closeTo(linalg.svdvals(A), S, 0, 'svdvals');
      }
    }
    // closed form: [[3, 0], [4, 5]] has singular values 3 sqrt(5) and sqrt(5)
    closeTo(linalg.svdvals(np.array([[3, 0], [4, 5]], { dtype: 'float64' })), [3 * Math.sqrt(5), Math.sqrt(5)], 1e-14, 'closed form');
    // rank deficient: a zero singular value, U still orthonormal
    const [U0, S0] = linalg.svd(np.array([[1, 2], [2, 4], [0, 0]], { dtype: 'float64' })) as any[];
    closeTo(S0, [5, 0], 1e-14, 'rank 1');
    closeTo(np.matmul(T(U0), U0), eyeOf(3, 'float64'), 1e-14, 'rank 1: U orthogonal');
  });
  test('derivatives: values and gauge-invariant functions of U and V, checkGrads order 2, both modes, f64 and f32', () => {
    checkGrads((A: any) => linalg.svdvals(A), [rect([2], 4, 3, 'float64', 60, true)], { order: 2 });
    checkGrads((A: any) => linalg.svdvals(A), [rect([], 2, 4, 'float64', 61, true)], { order: 2 });
    const f = (A: any) => { const [U, , Vh] = linalg.svd(A, { fullMatrices: false }) as any[]; return np.add(np.sum(np.multiply(projector(U, 1), 0.7)), np.sum(np.sin(projector(T(Vh), 2)))); };
    checkGrads(f, [rect([], 4, 3, 'float64', 62, true)], { order: 2 });
    checkGrads(f, [rect([], 3, 4, 'float64', 63, true)], { order: 2 });
    checkGrads((A: any) => { const [U, S, Vh] = linalg.svd(A, { fullMatrices: false }) as any[]; return np.matmul(np.multiply(U, np.expandDims(np.tanh(S), -2)), Vh); }, [rect([], 3, 3, 'float32', 64, true)], { order: 2 });
  });
  test('grad of the nuclear norm of a full-rank square matrix is U V^T; full-matrices derivatives of a non-square input are NotImplementedError', () => {
    const A = rect([], 3, 3, 'float64', 65, true);
    const [U, , Vh] = linalg.svd(A) as any[];
    closeTo(grad((M: any) => linalg.norm(M, { ord: 'nuc' }))(A), np.matmul(U, Vh), 1e-12, 'U V^T');
    assert.throws(() => grad((M: any) => np.sum((linalg.svd(M) as any[])[0]))(rect([], 3, 2, 'float64', 66)),
      (e: any) => e instanceof NotImplementedError && /linalg\.svd of float64\[3,2\] with fullMatrices \(the default\).*fullMatrices: false/.test(e.message));
    assert.throws(() => linalg.svd(np.ones([3]), { fullMatrices: false }), (e: any) => e instanceof ShapeError && /linalg.svd/.test(e.message));
    // a bool matrix computes in float32 (jnp.linalg promotes): ones([2, 2]) has singular values 2 and 0
    (linalg.svdvals(np.ones([2, 2], { dtype: 'bool' })).tolist() as number[]).forEach((v, i) => assert.ok(Math.abs(v - [2, 0][i]) < 1e-6));
  });
});

describe('det at singular matrices (cofactor rule)', () => {
  /** The cofactor matrix (adj(A)^T) of a 3x3, by 2x2 minors. */
  const cofactors = (a: number[][]) => a.map((_, i) => a.map((__, j) => {
    const r = [0, 1, 2].filter((x) => x !== i), c = [0, 1, 2].filter((x) => x !== j);
    return (-1) ** (i + j) * (a[r[0]][c[0]] * a[r[1]][c[1]] - a[r[0]][c[1]] * a[r[1]][c[0]]);
  }));
  test('grad of det is the adjugate transpose: finite at rank n - 1, zero at rank n - 2, f64 and f32, batched', () => {
    const two = np.array([[1, 2], [2, 4]], { dtype: 'float64' });
    closeTo(grad(linalg.det)(two), [[4, -2], [-2, 1]], 1e-15, '2x2 rank 1');
    for (const a of [[[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[2, -1, 0], [4, -2, 0], [1, 3, 5]], [[4, 3, 2], [2, 1, 3], [3, 2, 1]]]) {
      closeTo(grad(linalg.det)(np.array(a, { dtype: 'float64' })), cofactors(a), 1e-12, `cofactors of ${JSON.stringify(a)}`);
      closeTo(grad(linalg.det)(np.array(a, { dtype: 'float32' })), cofactors(a), 1e-4, `float32 cofactors of ${JSON.stringify(a)}`);
    }
    closeTo(grad(linalg.det)(np.ones([3, 3], { dtype: 'float64' })), np.zeros([3, 3]), 0, 'rank 1 3x3: adjugate 0');
    const batch = np.array([[[1, 2], [2, 4]], [[3, 1], [0, 2]]], { dtype: 'float64' });
    closeTo(grad((M: any) => np.sum(linalg.det(M)))(batch), [[[4, -2], [-2, 1]], [[2, 0], [-1, 3]]], 1e-14, 'batched');
    // jvp at a singular matrix: tr(adj(A) dA)
    const [, t] = jvp(linalg.det, [two], [np.array([[1, 0], [0, 0]], { dtype: 'float64' })]);
    assert.equal(Number(t.item()), 4);
  });
  test('derivatives of det away from singular matrices: checkGrads order 2, batched, f32', () => {
    checkGrads((M: any) => linalg.det(M), [general([2], 3, 'float64', 70)], { order: 2 });
    checkGrads((M: any) => linalg.det(M), [general([], 4, 'float32', 71)], { order: 2 });
  });
});

describe('pinv, lstsq, matrixPower, norm, cond, luSolve', () => {
  test('pinv: A P A = A, P A P = P, inverse of a square matrix, rank deficient; derivatives', () => {
    const A = rect([2], 4, 3, 'float64', 80);
    const P = linalg.pinv(A);
    closeTo(np.matmul(np.matmul(A, P), A), A, 1e-12, 'A P A = A');
    closeTo(np.matmul(np.matmul(P, A), P), P, 1e-12, 'P A P = P');
    const S = general([], 3, 'float64', 81);
    closeTo(linalg.pinv(S), linalg.inv(S), 1e-12, 'square: inv');
    closeTo(linalg.pinv(np.array([[1, 2], [2, 4]], { dtype: 'float64' })), [[0.04, 0.08], [0.08, 0.16]], 1e-15, 'rank 1: A^T / 25');
    checkGrads((M: any) => linalg.pinv(M), [rect([], 3, 2, 'float64', 82, true)], { order: 2 });
    checkGrads((M: any) => linalg.pinv(M), [rect([], 2, 3, 'float32', 83, true)], { order: 2 });
  });
  test('lstsq: the normal equations, residuals, rank; derivatives', () => {
    const A = rect([], 5, 3, 'float64', 84);
    const b = rect([], 5, 2, 'float64', 85);
    const [x, resid, rank, s] = linalg.lstsq(A, b);
    const At = T(A);
    closeTo(x, linalg.solve(np.matmul(At, A), np.matmul(At, b)), 1e-12, 'x = (A^T A)^-1 A^T b');
    const r = np.subtract(b, np.matmul(A, x));
    closeTo(resid, np.sum(np.multiply(r, r), { axis: 0 }), 1e-12, 'residuals');
    assert.equal(Number(rank.item()), 3);
    closeTo(s, linalg.svdvals(A), 0, 's');
    const [xv] = linalg.lstsq(A, np.array([1, 2, 3, 4, 5], { dtype: 'float64' }));
    assert.deepEqual(xv.shape, [3]);
    assert.equal(Number(linalg.lstsq(np.array([[1, 2], [2, 4], [3, 6]], { dtype: 'float64' }), np.ones([3], { dtype: 'float64' }))[2].item()), 1);
    checkGrads((M: any, c: any) => linalg.lstsq(M, c)[0], [rect([], 4, 2, 'float64', 86, true), rect([], 4, 1, 'float64', 87)], { order: 2 });
    checkGrads((M: any, c: any) => linalg.lstsq(M, c)[0], [rect([], 3, 2, 'float32', 186, true), rect([], 3, 2, 'float32', 187)], { order: 2 });
    assert.throws(() => linalg.lstsq(A, np.ones([4])), (e: any) => e instanceof ShapeError && /linalg.lstsq/.test(e.message));
    // rcond < 0 is machine precision (JAX, numpy): 1e-17 is below eps, so rank 1 and x = [1, 0]
    const D = np.array([[1, 0], [0, 1e-17]], { dtype: 'float64' });
    for (const rc of [-1, -1e-3]) {
      const [xd, , rd] = linalg.lstsq(D, np.ones([2], { dtype: 'float64' }), { rcond: rc });
      assert.equal(Number(rd.item()), 1, `rcond ${rc}: rank`);
      assert.deepEqual(xd.tolist(), [1, 0], `rcond ${rc}: x`);
    }
    assert.equal(Number(linalg.lstsq(D, np.ones([2], { dtype: 'float64' }), { rcond: 0 })[2].item()), 2, 'rcond 0 keeps every s');
  });
  test('matrixPower: positive, zero, negative powers; derivatives', () => {
    const A = general([2], 3, 'float64', 88);
    closeTo(linalg.matrixPower(A, 3), np.matmul(A, np.matmul(A, A)), 1e-12, 'A^3');
    closeTo(linalg.matrixPower(A, 0), np.broadcastTo(eyeOf(3, 'float64'), [2, 3, 3]), 0, 'A^0');
    closeTo(linalg.matrixPower(A, -2), np.matmul(linalg.inv(A), linalg.inv(A)), 1e-12, 'A^-2');
    closeTo(linalg.matrixPower(A, 1), A, 0, 'A^1');
    checkGrads((M: any) => linalg.matrixPower(M, 5), [np.multiply(general([], 2, 'float64', 89), 0.4)], { order: 2 });
    checkGrads((M: any) => linalg.matrixPower(M, -3), [general([], 2, 'float64', 90)], { order: 2 });
    checkGrads((M: any) => linalg.matrixPower(M, 3), [np.multiply(general([2], 2, 'float32', 190), 0.5)], { order: 2 });
    assert.throws(() => linalg.matrixPower(A, 1.5), (e: any) => e instanceof ValueError && /linalg.matrixPower/.test(e.message));
  });
  test('matrix norms against closed forms; axis pairs and keepdims; vector norms still work', () => {
    const A = np.array([[1, -2], [3, 4]], { dtype: 'float64' });
    const s1 = Math.sqrt(15 + Math.sqrt(125)), s2 = Math.sqrt(15 - Math.sqrt(125));
    const want: [any, number][] = [['fro', Math.sqrt(30)], ['nuc', s1 + s2], [1, 6], [-1, 4], [Infinity, 7], [-Infinity, 3], [2, s1], [-2, s2]];
    for (const [ord, v] of want) assert.ok(Math.abs(Number(linalg.norm(A, { ord }).item()) - v) < 1e-13, `ord ${ord}`);
    assert.ok(Math.abs(Number(linalg.norm(A).item()) - Math.sqrt(30)) < 1e-14, 'default: Frobenius');
    const B = np.stack([A, np.multiply(A, 2)], { axis: 1 }); // [2, 2, 2]: matrices along axes 0 and 2
    const n1 = linalg.norm(B, { ord: 1, axis: [0, 2] });
    closeTo(n1, [6, 12], 1e-14, 'axis [0, 2]');
    assert.deepEqual(linalg.norm(B, { ord: 'fro', axis: [0, 2], keepdims: true }).shape, [1, 2, 1]);
    closeTo(linalg.norm(np.array([3, 4], { dtype: 'float64' })), 5, 0, 'vector');
    closeTo(linalg.norm(A, { axis: 1 }), [Math.sqrt(5), 5], 1e-15, 'vector norms along an axis');
    checkGrads((M: any) => linalg.norm(M, { ord: 2 }), [rect([], 3, 2, 'float64', 91, true)], { order: 2 });
    checkGrads((M: any) => linalg.norm(M, { ord: 'nuc' }), [rect([], 2, 3, 'float64', 92, true)], { order: 2 });
    checkGrads((M: any) => linalg.norm(M, { ord: 'fro', axis: [-2, -1] }), [rect([2], 2, 3, 'float32', 93)], { order: 2 });
    assert.throws(() => linalg.norm(A, { ord: 3, axis: [0, 1] }), (e: any) => e instanceof ValueError && /linalg.norm/.test(e.message));
    assert.throws(() => linalg.norm(np.ones([3]), { ord: 'fro' }), ValueError);
    assert.throws(() => linalg.norm(np.ones([2, 2, 2]), { ord: 1 }), (e: any) => e instanceof ValueError && /float32\[2,2,2\]/.test(e.message));
  });
  test('cond: s_max / s_min, other orders as norm(A) norm(inv(A)), inf at a singular matrix', () => {
    const A = np.array([[1, -2], [3, 4]], { dtype: 'float64' });
    const s1 = Math.sqrt(15 + Math.sqrt(125)), s2 = Math.sqrt(15 - Math.sqrt(125));
    assert.ok(Math.abs(Number(linalg.cond(A).item()) - s1 / s2) < 1e-13, 'cond 2');
    assert.ok(Math.abs(Number(linalg.cond(A, -2).item()) - s2 / s1) < 1e-13, 'cond -2');
    // inv(A) = [[4, 2], [-3, 1]] / 10: 1-norms (max absolute column sums) 6 and 0.7
    assert.ok(Math.abs(Number(linalg.cond(A, 1).item()) - 4.2) < 1e-13, 'cond 1');
    assert.equal(Number(linalg.cond(np.array([[1, 2], [2, 4]], { dtype: 'float64' }), 1).item()), Infinity);
    checkGrads((M: any) => linalg.cond(M), [rect([], 3, 3, 'float64', 94, true)], { order: 2 });
  });
  test('luFactor / luSolve: A x = b and A^T x = b, batched, vector b; derivatives in lu and b', () => {
    const A = general([2], 3, 'float64', 95);
    const b = rect([2], 3, 2, 'float64', 96);
    const f = linalg.luFactor(A);
    closeTo(linalg.luSolve(f, b), linalg.solve(A, b), 1e-13, 'A x = b');
    closeTo(linalg.luSolve(f, b, { trans: 1 }), linalg.solve(T(A), b), 1e-13, 'A^T x = b');
    const A1 = general([], 3, 'float64', 97), v = np.array([1, 2, 3], { dtype: 'float64' });
    closeTo(linalg.luSolve(linalg.luFactor(A1), v), linalg.solve(A1, v), 1e-13, 'vector b');
    checkGrads((M: any, c: any) => linalg.luSolve(linalg.luFactor(M), c), [A1, rect([], 3, 2, 'float64', 98)], { order: 2 });
    checkGrads((M: any, c: any) => linalg.luSolve(linalg.luFactor(M), c, 1), [np.astype(A1, 'float32'), rect([], 3, 1, 'float32', 99)], { order: 2 });
    assert.throws(() => linalg.luSolve(f, np.ones([4])), (e: any) => e instanceof ShapeError && /linalg.luSolve/.test(e.message));
  });
});

describe('blocked kernels (panels of 64 columns, chunks of 256)', () => {
  test('cholesky, lu and solve past one panel: n = 150 and 300, f64 and f32', () => {
    for (const [n, dt, tol] of [[150, 'float64', 1e-11], [300, 'float64', 1e-11], [150, 'float32', 2e-4]] as const) {
      const S = spd([], n, dt, 100 + n);
      const L = linalg.cholesky(S);
      closeTo(np.matmul(L, T(L)), S, tol, `${dt} n=${n} L L^T = A`);
      const G = general([], n, dt, 200 + n);
      const [P, Lf, U] = linalg.lu(G);
      closeTo(np.matmul(P, np.matmul(Lf, U)), G, tol * 10, `${dt} n=${n} P L U = A`);
      const B = rect([], n, 3, dt, 300 + n);
      closeTo(np.matmul(G, linalg.solve(G, B)), B, tol * 100, `${dt} n=${n} A x = b (3 right-hand sides)`);
    }
  });
});

describe('eigh: larger and degenerate inputs (tridiagonal QL)', () => {
  test('n = 120 random, the identity, repeated eigenvalues, a diagonal: V diag(w) V^T = A, V orthogonal', () => {
    const n = 120;
    const eyeN = (k: number) => np.eye(k, { dtype: 'float64' });
    const u = np.reshape(np.array(new Float64Array(Array.from({ length: 6 }, rng(501))), { shape: [6] }), [6, 1]);
    const cases: [string, any][] = [
      ['random n=120', sym([], n, 'float64', 500)],
      ['identity', eyeN(5)],
      ['I + u u^T (eigenvalue 1 five times)', np.add(eyeN(6), np.matmul(u, T(u)))],
      ['diagonal', np.diag(np.array([3, -1, 2, 0], { dtype: 'float64' }))],
      ['zeros', np.zeros([3, 3], { dtype: 'float64' })],
    ];
    for (const [what, A] of cases) {
      const k = A.shape[0];
      const [w, V] = linalg.eigh(A);
      closeTo(np.matmul(np.multiply(V, np.expandDims(w, -2)), T(V)), A, 1e-12 * Math.max(1, k / 10), `${what}: V diag(w) V^T = A`);
      closeTo(np.matmul(T(V), V), eyeN(k), 1e-12 * Math.max(1, k / 10), `${what}: V^T V = I`);
      const ws = w.tolist() as number[];
      for (let i = 1; i < k; i++) assert.ok(ws[i] >= ws[i - 1], `${what}: ascending`);
    }
    closeTo(linalg.eigvalsh(np.diag(np.array([3, -1, 2, 0], { dtype: 'float64' }))), [-1, 0, 2, 3], 0, 'diagonal: sorted');
  });
});

// ---------------------------------------------------------------- pinv's JVP at a rank-deficient matrix
// JAX's custom rule (jax.numpy.linalg's _pinv_jvp), computed here in plain JS float64:
//   pinvT(p, a, da) = -p da p + p p^T da^T (I - a p) + (I - p a) da^T p^T p.
type Mat = number[][];
const mm = (x: Mat, y: Mat): Mat => x.map((r) => y[0].map((_, j) => r.reduce((s, v, k) => s + v * y[k][j], 0)));
const tr = (x: Mat): Mat => x[0].map((_, j) => x.map((r) => r[j]));
const lin = (x: Mat, y: Mat, a: number, b: number): Mat => x.map((r, i) => r.map((v, j) => a * v + b * y[i][j]));
const eye = (n: number): Mat => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
function pinvT(p: Mat, a: Mat, da: Mat): Mat {
  const m = a.length, n = a[0].length;
  const t1 = mm(mm(p, da), p);
  const t2 = mm(mm(mm(p, tr(p)), tr(da)), lin(eye(m), mm(a, p), 1, -1));
  const t3 = mm(mm(lin(eye(n), mm(p, a), 1, -1), tr(da)), mm(tr(p), p));
  return lin(lin(t2, t3, 1, 1), t1, 1, -1);
}

test("pinv: JAX's derivative at a rank-deficient matrix, first and second order, both modes", () => {
  const R: Mat = [[1, 2], [2, 4], [3, 6]]; // rank 1: pinv = R^T / 70
  const dA: Mat = [[0.1, -0.2], [0.3, 0.05], [-0.1, 0.2]];
  const p: Mat = tr(R).map((r) => r.map((v) => v / 70));
  const want1 = pinvT(p, R, dA);
  // second order: d/de pinvT(p + e pinvT(p, R, dA), R + e dA, dA), by a central difference of this polynomial
  const dp = want1, h = 1e-3;
  const want2 = lin(pinvT(lin(p, dp, 1, h), lin(R, dA, 1, h), dA), pinvT(lin(p, dp, 1, -h), lin(R, dA, 1, -h), dA), 1 / (2 * h), -1 / (2 * h));
  const f = (a: NDArray) => linalg.pinv(a);
  const A = np.array(R, { dtype: 'float64' }), V = np.array(dA, { dtype: 'float64' });
  const [, t1] = jvp(f, [A], [V]);
  const [, t2] = jvp((a: NDArray) => jvp(f, [a], [V])[1] as NDArray, [A], [V]);
  const close = (what: string, got: NDArray, want: Mat, tol: number) => {
    const g = got.tolist() as Mat;
    want.forEach((r, i) => r.forEach((v, j) => assert.ok(Math.abs(g[i][j] - v) <= tol, `${what}[${i},${j}]: ${g[i][j]} vs ${v}`)));
  };
  close('first order', t1 as NDArray, want1, 1e-12);
  close('second order', t2 as NDArray, want2, 1e-7);
  // reverse mode: <grad of sum(W * pinv), dA> equals <W, the tangent>
  const W: Mat = [[0.3, -1.2, 0.7], [0.5, 0.25, -0.4]];
  const g = grad((a: NDArray) => np.sum(np.multiply(linalg.pinv(a), np.array(W, { dtype: 'float64' }))))(A).tolist() as Mat;
  const lhs = g.flat().reduce((s, v, k) => s + v * dA.flat()[k], 0), rhs = want1.flat().reduce((s, v, k) => s + v * W.flat()[k], 0);
  assert.ok(Math.abs(lhs - rhs) < 1e-12, `reverse ${lhs} vs forward ${rhs}`);
});

test('0 x 0 matrices: eigh and eigvalsh give empty results (no trap), slogdet gives sign 1 and log|det| 0, batched too', () => {
  for (const dtype of ['float32', 'float64', 'complex64'] as const) {
    for (const shape of [[0, 0], [3, 0, 0]]) {
      const A = np.zeros(shape, dtype);
      const [w, v] = linalg.eigh(A);
      assert.deepEqual(w.shape, shape.slice(0, -1));
      assert.deepEqual(v.shape, shape);
      assert.deepEqual(linalg.eigvalsh(A).shape, shape.slice(0, -1));
      const [s, l] = linalg.slogdet(A);
      assert.deepEqual(s.shape, shape.slice(0, -2));
      assert.ok((np.reshape(s, [-1]).tolist() as any[]).every((e) => (typeof e === 'object' ? e.re === 1 && e.im === 0 : e === 1)), `sign ${dtype}`);
      assert.ok((np.reshape(l, [-1]).tolist() as number[]).every((e) => e === 0), `log|det| ${dtype}`);
    }
  }
  // the next call works
  assert.deepEqual(linalg.eigvalsh(np.array([[2, 1], [1, 2]], { dtype: 'float64' })).tolist().map((e: number) => Math.round(e * 1e12) / 1e12), [1, 3]);
});

test('solve broadcasts batch axes (numpy 2, jnp): one a for a batch of b, and a batch of a for one vector b; values and gradients', () => {
  const A = [[4, 1, 0], [1, 3, 1], [0, 1, 2]];
  const det3 = (m: number[][]) => m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  const cramer = (m: number[][], b: number[]) => [0, 1, 2].map((j) => det3(m.map((row, i) => row.map((v, c) => (c === j ? b[i] : v)))) / det3(m));
  const bs = [[[1, 0], [2, 1], [3, -1]], [[0, 5], [1, 1], [-2, 0]]]; // [2, 3, 2]
  const a = np.array(A, { dtype: 'float64' });
  for (const aa of [a, np.reshape(a, [1, 3, 3])]) {
    const x = linalg.solve(aa, np.array(bs, { dtype: 'float64' }));
    assert.deepEqual(x.shape, [2, 3, 2]);
    const got = x.tolist() as number[][][];
    for (let t = 0; t < 2; t++) for (let c = 0; c < 2; c++) {
      const want = cramer(A, bs[t].map((row) => row[c]));
      for (let i = 0; i < 3; i++) assert.ok(Math.abs(got[t][i][c] - want[i]) < 1e-12, `batch ${t} column ${c}`);
    }
  }
  const A2 = [A, [[2, 0, 0], [0, 1, 0], [1, 0, 1]]];
  const xv = linalg.solve(np.array(A2, { dtype: 'float64' }), np.array([1, 2, 3], { dtype: 'float64' }));
  assert.deepEqual(xv.shape, [2, 3]);
  (xv.tolist() as number[][]).forEach((row, t) => row.forEach((v, i) => assert.ok(Math.abs(v - cramer(A2[t], [1, 2, 3])[i]) < 1e-12)));
  // the gradient with respect to the shared a sums over the batch of b
  checkGrads((m: NDArray, b: NDArray) => linalg.solve(m, b), [a, np.array(bs, { dtype: 'float64' })], { order: 1 });
  assert.throws(() => linalg.solve(np.zeros([2, 3, 3]), np.zeros([3, 3, 1])), ShapeError);
});

test('decompositions at extreme scales: svd, qr, eigh and pinv of c B match c times those of B (squares overflowed or underflowed silently)', () => {
  const B = [[3, 1, 0, 0.5], [0.2, 2, 0.3, 0], [0, 0.1, 1, 0.2], [0.4, 0, 0.1, 0.07]];
  const f64 = (v: unknown) => np.array(v as any, { dtype: 'float64' });
  const s1 = linalg.svdvals(f64(B)).tolist() as number[];
  const S = np.matmul(f64(B), np.transpose(f64(B)));
  const w1 = linalg.eigvalsh(S).tolist() as number[];
  for (const k of [-560, -500, 266, 330, 1000]) { // 2^266 ~ 1e80, 2^-560 ~ 1e-169
    const c = 2 ** k;
    // a power of two scales exactly: the same bits, times c
    assert.deepEqual(linalg.svdvals(np.multiply(f64(B), c)).tolist(), s1.map((v) => v * c), `svdvals at 2^${k}`);
    const [Q, R] = linalg.qr(np.multiply(f64(B), c)) as [any, any];
    const back = np.matmul(Q, R).tolist() as number[][];
    assert.ok(back.flat().every((v, i) => Math.abs(v / c - B.flat()[i]) < 1e-14), `Q R = A at 2^${k}`);
    if (Math.abs(k) < 500) assert.deepEqual(linalg.eigvalsh(np.multiply(S, c)).tolist(), w1.map((v) => v * c), `eigvalsh at 2^${k}`);
  }
  // float32: pinv of entries ~1e-19 was all NaN (p p^H overflowed inside its derivative terms)
  for (const c of [1e-19, 1e-25, 1e19]) {
    const A = np.multiply(np.array(B), c);
    const I = np.matmul(linalg.pinv(A), A).tolist() as number[][];
    assert.ok(I.every((r, i) => r.every((v, j) => Math.abs(v - (i === j ? 1 : 0)) < 1e-5)), `pinv(A) A = I at ${c}`);
  }
});

test('pinv: eager (no derivative terms for a concrete matrix) equals jit bit for bit, full rank and rank-deficient', () => {
  const mats = [[[1, 2, 3], [2, 1, 0], [0, -1, 1]], [[1, 0], [0, 0]], [[0, -2], [3, 0]], [[1, 2], [2, 4], [3, 6]]];
  for (const m of mats) for (const dtype of ['float32', 'float64'] as const) {
    const M = np.array(m, { dtype });
    const e = linalg.pinv(M).dataSync(), j = jit((a: any) => linalg.pinv(a))(M).dataSync();
    assert.ok(Array.from(e).every((v, i) => Object.is(v, j[i])), `${dtype} ${JSON.stringify(m)}: ${e} vs ${j}`);
  }
});

// lstsq's derivatives against mpmath (60 digits): x = pinv_r(A) b through mpmath's SVD, pinv_r
// keeping the singular values >= rcond s_max, differentiated by central differences (h = 1e-20,
// second derivatives h = 1e-12); numpy.linalg.lstsq's float64 central differences agree to 3e-9.
// f(A) = c . x(A, b); Hessian entries of 1e-37 there are written 0.
const LSTSQ_REF: Record<string, { A: number[][]; b: number[]; c: number[]; rcond: number | undefined; grad: number[]; hess: number[][] }> = {
  eye2: { A: [[1.0, 0], [0, 1.0]], b: [1.0, 2.0], c: [1.0, 1.0], rcond: undefined, grad: [-1.0, -2.0, -1.0, -2.0],
    hess: [[2.0, 2.0, 1.0, 0], [2.0, 0, 3.0, 2.0], [1.0, 3.0, 0, 1.0], [0, 2.0, 1.0, 4.0]] },
  rot: { A: [[2.866009467376818, -0.8865606199840186], [0.8865606199840186, 2.866009467376818]], b: [1.0, -1.0], c: [1.0, 0.5], rcond: undefined, grad: [-0.05920578318679368, 0.11224025883677974, -0.05668470328122418, 0.107460883479873],
    hess: [[0.03770763003040221, -0.04157457336619539, 0.023883156900906387, -0.01664024657179049], [-0.04157457336619539, 0.022112842991444927, -0.015366619365464799, -0.02515678410723208], [0.023883156900906387, -0.015366619365464799, 0.011167650152136055, 0.007465367641943077], [-0.01664024657179049, -0.02515678410723208, 0.007465367641943077, -0.0684408687613318]] },
  tall: { A: [[1.0, 0], [0, 1.0], [0, 0]], b: [1.0, 2.0, 3.0], c: [1.0, -2.0], rcond: undefined, grad: [-1.0, -2.0, 2.0, 4.0, 3.0, -6.0],
    hess: [[2.0, 2.0, -2.0, 0, -6.0, 0], [2.0, 0, -3.0, 2.0, 6.0, -3.0], [-2.0, -3.0, 0, -2.0, 6.0, -3.0], [0, 2.0, -2.0, -8.0, 0, 12.0], [-6.0, 6.0, 6.0, 0, -2.0, 0], [0, -3.0, -3.0, 12.0, 0, 8.0]] },
  rankdef: { A: [[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]], b: [1.0, 0, 2.0], c: [1.0, 0.5], rcond: 0.001, grad: [0.004285714285714286, -0.002142857142857143, -0.002857142857142857, -0.027142857142857142, 0.007142857142857143, -0.017857142857142856],
    hess: [[0.00032653061224489796, -0.0011836734693877551, -0.0010612244897959184, 0.00012244897959183673, -0.0010204081632653062, -0.0003061224489795918], [-0.0011836734693877551, -0.0060408163265306125, 0.0007346938775510204, 0.0018775510204081633, 0, 0.0014285714285714286], [-0.0010612244897959184, 0.0007346938775510204, -0.002693877551020408, 0.0014489795918367348, -0.0037551020408163266, 0.002693877551020408], [0.00012244897959183673, 0.0018775510204081633, 0.0014489795918367348, 0.00024489795918367346, 0.0014693877551020407, 0.007020408163265306], [-0.0010204081632653062, 0, -0.0037551020408163266, 0.0014693877551020407, -0.003346938775510204, -0.0002653061224489796], [-0.0003061224489795918, 0.0014285714285714286, 0.002693877551020408, 0.007020408163265306, -0.0002653061224489796, 8.163265306122449e-05]] },
  generic: { A: [[1.0, 2.0], [3.0, 4.0], [5.0, 7.0], [0.5, -1.0]], b: [1.0, 2.0, 3.0, 4.0], c: [0.3, -1.0], rcond: undefined, grad: [1.7251885696001807, -1.1155509337900724, -0.42684911138193404, 0.26858710433321886, -0.07919782045068488, 0.061157250342319114, -2.026154591781518, 1.112995892170656],
    hess: [[-2.0310747925474884, 1.2174994491548576, -0.22003215790408912, 0.16491198047331415, 0.4430752521473417, -0.2812164975688354, -3.485840642865754, 2.357793149465561], [1.2174994491548576, -0.696291278847819, 0.058844344804368495, -0.05658436857703515, -0.44725938274253585, 0.28157918827998735, 2.3141983988291535, -1.5641328123541518], [-0.22003215790408912, 0.058844344804368495, -2.7222353333136473, 1.7761991722936126, 1.6888355032128968, -1.0845645091845, 1.107784455671146, -0.6118328222171557], [0.16491198047331415, -0.05658436857703515, 1.7761991722936126, -1.1425969990399623, -1.0497519494845176, 0.6659404550767325, -0.7130105881791077, 0.4034451167316567], [0.4430752521473417, -0.44725938274253585, 1.6888355032128968, -1.0497519494845176, -1.0978636803032893, 0.7145585296299569, 0.36000216837063165, -0.04974805245991206], [-0.2812164975688354, 0.28157918827998735, -1.0845645091845, 0.6659404550767325, 0.7145585296299569, -0.4612944484720617, -0.22244439776225866, 0.04683398239343064], [-3.485840642865754, 2.3141983988291535, 1.107784455671146, -0.7130105881791077, 0.36000216837063165, -0.22244439776225866, 1.97394755558213, -1.208568179165063], [2.357793149465561, -1.5641328123541518, -0.6118328222171557, 0.4034451167316567, -0.04974805245991206, 0.04683398239343064, -1.208568179165063, 0.7086148342456519]] },
};

describe('lstsq derivatives at repeated singular values and rank deficiency (they went through the SVD rule: NaN)', () => {
  const f64 = (v: any) => np.array(v, { dtype: 'float64' });
  const close = (got: number[], want: number[], tol: number, what: string) => {
    const scale = Math.max(1e-3, ...want.map(Math.abs));
    got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= tol * scale, `${what}[${i}]: ${g} vs ${want[i]}`));
  };
  for (const [name, r] of Object.entries(LSTSQ_REF)) {
    test(`${name}: grad, jacfwd, jacrev, jit(grad), hessian (full rank) of c . x`, () => {
      const b = f64(r.b), c = f64(r.c);
      const f = (a: NDArray) => np.sum(np.multiply(linalg.lstsq(a, b, r.rcond)[0], c));
      const A = f64(r.A);
      close(Array.from(grad(f)(A).dataSync()), r.grad, 1e-12, 'grad');
      close(Array.from(jacfwd(f)(A).dataSync()), r.grad, 1e-12, 'jacfwd');
      close(Array.from(jacrev(f)(A).dataSync()), r.grad, 1e-12, 'jacrev');
      close(Array.from(jit(grad(f))(A).dataSync()), r.grad, 1e-12, 'jit(grad)');
      // At a rank-deficient a the second derivative is JAX's pinv rule differentiated (as pinv's),
      // not the truncated solve's: at rankdef d2f/da00^2 is -6.33e-4 (mpmath, that rule) where
      // numpy's and mpmath's differences give 3.27e-4, and that rule's "Hessian" is not symmetric.
      if (r.rcond !== undefined) return;
      close(Array.from(hessian(f)(A).dataSync()), r.hess.flat(), 1e-9, 'hessian');
      close(Array.from(jacfwd(jacrev(f))(A).dataSync()), r.hess.flat(), 1e-9, 'jacfwd(jacrev)');
    });
  }
  test('under vmap: a batch of a, b, c (the identity and a scaled rotation: both singular values repeated)', () => {
    const rs = [LSTSQ_REF.eye2, LSTSQ_REF.rot];
    const g = vmap((a: NDArray, b: NDArray, c: NDArray) => grad((m: NDArray) => np.sum(np.multiply(linalg.lstsq(m, b)[0], c)))(a));
    const got = g(f64(rs.map((r) => r.A)), f64(rs.map((r) => r.b)), f64(rs.map((r) => r.c))).tolist() as number[][][];
    rs.forEach((r, i) => close(got[i].flat(), r.grad, 1e-12, `vmap ${i}`));
    const h = vmap((a: NDArray, b: NDArray, c: NDArray) => hessian((m: NDArray) => np.sum(np.multiply(linalg.lstsq(m, b)[0], c)))(a));
    const hs = h(f64(rs.map((r) => r.A)), f64(rs.map((r) => r.b)), f64(rs.map((r) => r.c)));
    rs.forEach((r, i) => close(Array.from(np.index(hs, i).dataSync()), r.hess.flat(), 1e-9, `vmap hessian ${i}`));
  });
  test('x keeps its bits (the SVD solve) when traced; residuals, rank and s are as before', () => {
    const A = f64(LSTSQ_REF.generic.A), b = f64(LSTSQ_REF.generic.b);
    const eager = linalg.lstsq(A, b).map((o) => o.tolist());
    const traced = jit((a: NDArray, c: NDArray) => linalg.lstsq(a, c))(A, b).map((o: NDArray) => o.tolist());
    assert.deepEqual(traced, eager);
  });
  test('Fourier design [cos(w t), sin(w t)], t = 2 pi k / 16 (orthogonal columns of equal norm at w = 1): d rss / dw finite', () => {
    // mpmath references as above (rss = the residual output, y rounded to float64 first)
    const t = f64(Array.from({ length: 16 }, (_, k) => 2 * Math.PI * k / 16));
    for (const [y, want] of [
      [np.add(np.cos(t), np.multiply(np.sin(t), 0.5)), [2.206370358389447e-16, 57.86071157563137]], // (a perfect fit at w = 1: a minimum)
      [np.add(np.cos(np.multiply(t, 1.3)), np.multiply(np.sin(t), 0.5)), [-4.797673118945694, 12.86498844697537]],
    ] as [NDArray, number[]][]) {
      const rss = (w: NDArray) => np.sum(linalg.lstsq(np.stack([np.cos(np.multiply(w, t)), np.sin(np.multiply(w, t))], { axis: 1 }), y)[1]);
      const w1 = f64(1);
      const d1 = grad(rss)(w1).item() as number, d2 = grad(grad(rss))(w1).item() as number;
      assert.ok(Math.abs(d1 - want[0]) < 1e-12 * Math.max(1, Math.abs(want[0])), `d rss/dw ${d1} vs ${want[0]}`);
      assert.ok(Math.abs(d2 - want[1]) < 1e-9 * Math.abs(want[1]), `d2 rss/dw2 ${d2} vs ${want[1]}`);
      assert.ok(Math.abs((jacfwd(rss)(w1).item() as number) - want[0]) < 1e-12 * Math.max(1, Math.abs(want[0])), 'jacfwd');
    }
  });
});

test("slogdet, eigh, qr and svd results carry jnp's namedtuple fields (a port's .logabsdet or { Q, R } was undefined)", () => {
  // A = [[4, 1], [1, 3]]: det 11, eigenvalues (7 -+ sqrt 5) / 2
  const A = np.array([[4, 1], [1, 3]], { dtype: 'float64' });
  const { sign, logabsdet } = linalg.slogdet(A);
  assert.equal(sign.item(), 1);
  assert.ok(Math.abs((logabsdet.item() as number) - Math.log(11)) < 1e-15);
  const e = linalg.eigh(A);
  assert.equal(e.eigenvalues, e[0]);
  assert.equal(e.eigenvectors, e[1]);
  (e.eigenvalues.tolist() as number[]).forEach((w, i) => assert.ok(Math.abs(w - (7 + (i === 0 ? -1 : 1) * Math.sqrt(5)) / 2) < 1e-14));
  const q = linalg.qr(A);
  assert.ok(q.Q === q[0] && q.R === q[1]);
  const s = linalg.svd(A);
  assert.ok(s.U === s[0] && s.S === s[1] && s.Vh === s[2]);
  // differentiable through the names, and a pytree sees the list only (no extra keys; under jit a plain list)
  const g = grad((a: NDArray) => linalg.slogdet(a).logabsdet)(A).tolist(); // A^-T = [[3, -1], [-1, 4]] / 11
  [[3 / 11, -1 / 11], [-1 / 11, 4 / 11]].flat().forEach((v, i) => assert.ok(Math.abs((g as number[][]).flat()[i] - v) < 1e-15));
  assert.deepEqual(Object.keys(linalg.slogdet(A)), ['0', '1']);
  const j = jit((a: NDArray) => linalg.slogdet(a))(A);
  assert.ok(Array.isArray(j) && j.length === 2);
  assert.equal(j[1].item(), logabsdet.item());
  // the names come back through jit, vmap and tree.map, as a namedtuple is a pytree node in JAX (they were undefined)
  assert.equal(j.logabsdet.item(), logabsdet.item());
  assert.deepEqual(jit(linalg.eigh)(A).eigenvalues.tolist(), e.eigenvalues.tolist());
  assert.deepEqual(vmap(linalg.eigh)(np.stack([A, A])).eigenvalues.tolist(), [e.eigenvalues.tolist(), e.eigenvalues.tolist()]);
  assert.equal((tree.map((x: NDArray) => np.multiply(x, 2), linalg.slogdet(A)) as any).sign.item(), 2);
  // mode 'r' and computeUv: false return one Array, as before
  assert.ok(linalg.qr(A, 'r') instanceof NDArray && linalg.svd(A, { computeUv: false }) instanceof NDArray);
});
