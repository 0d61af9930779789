// linalg.cholesky and linalg.triangularSolve: reconstruction (L L^T = A, A x = b) against the
// inputs, derivatives against float64 finite differences (checkGrads, order 2, both modes,
// float32 and float64, batched), JAX's symmetrization and NaN conventions, and clear errors.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { np, linalg, grad, checkGrads, ShapeError, DTypeError } from 'cotangent';

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
    assert.throws(() => linalg.cholesky(np.array([[true]])), DTypeError);
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
