// np.softmax / np.logSoftmax with jax.nn's `where` mask: values against numpy (float64, masked
// entries at -inf before the max), gradients against float64 central differences in plain JS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, jit, vmap, CotangentError } from '../ts/index.ts';

const f64 = (v: number[][]) => np.array(v, { dtype: 'float64' });
const X = [[1, 2, 3, 40], [0.5, -1, 2, 7]];
const M = [[true, true, false, false], [true, false, true, true]];
const mask = np.array(M);
// numpy: xm = where(m, x, -inf); e = exp(xm - max); e / sum
const SM = [[0.2689414213699951, 0.7310585786300049, 0, 0], [0.0014911500495489258, 0, 0.006682870879297485, 0.9918259790711537]];
const LSM = [[-1.3132616875182228, -0.3132616875182228, -Infinity, -Infinity], [-6.508207611409344, -Infinity, -5.008207611409344, -0.008207611409344414]];

const near = (got: number[][], want: number[][], tol: number) => got.forEach((r, i) => r.forEach((g, j) => {
  const w = want[i][j];
  assert.ok(g === w || Math.abs(g - w) <= tol * Math.max(1, Math.abs(w)), `[${i}][${j}]: ${g} vs ${w}`);
}));

/** The same masked softmax on JS numbers (float64). */
function smJs(x: number[][], m: boolean[][]): number[][] {
  return x.map((r, i) => {
    const kept = r.filter((_, j) => m[i][j]);
    if (kept.length === 0) return r.map(() => 0);
    const mx = Math.max(...kept);
    const e = r.map((v, j) => (m[i][j] ? Math.exp(v - mx) : 0));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  });
}

test('softmax / logSoftmax with where: numpy\'s values; masked entries 0 / -inf and out of the max (40 masked does not flatten the row)', () => {
  near(np.softmax(f64(X), { where: mask }).tolist() as number[][], SM, 1e-15);
  near(np.logSoftmax(f64(X), { where: mask }).tolist() as number[][], LSM, 1e-15);
  near(jit((x: any) => np.softmax(x, { where: mask }))(f64(X)).tolist() as number[][], SM, 1e-15);
  // a mask broadcasting along rows, and axis 0
  near(np.softmax(f64(X), { where: np.array([true, true, true, false]) }).tolist() as number[][],
    smJs(X, X.map(() => [true, true, true, false])), 1e-15);
  const T = [[X[0][0], X[1][0]], [X[0][1], X[1][1]], [X[0][2], X[1][2]], [X[0][3], X[1][3]]];
  const MT = [[M[0][0], M[1][0]], [M[0][1], M[1][1]], [M[0][2], M[1][2]], [M[0][3], M[1][3]]];
  const byCol = smJs(X, M);
  near(np.softmax(f64(T), { axis: 0, where: np.array(MT) }).tolist() as number[][], T.map((_, i) => [byCol[0][i], byCol[1][i]]), 1e-15);
});

test('a slice with nothing kept is all 0 (softmax) / -inf (logSoftmax), with finite gradients', () => {
  const m = np.array([[false, false, false, false], [true, true, false, true]]);
  near(np.softmax(f64(X), { where: m }).tolist() as number[][], smJs(X, [[false, false, false, false], [true, true, false, true]]), 1e-15);
  const g = grad((x: any) => np.sum(np.multiply(np.softmax(x, { where: m }), f64([[1, 2, 3, 4], [1, 2, 3, 4]]))))(f64(X)).tolist() as number[][];
  assert.ok(g.flat().every(Number.isFinite), `${g}`);
  assert.deepEqual(g[0], [0, 0, 0, 0]);
  const gl = grad((x: any) => np.sum(np.where(m, np.logSoftmax(x, { where: m }), 0)))(f64(X)).tolist() as number[][];
  assert.ok(gl.flat().every(Number.isFinite), `${gl}`);
});

test('gradients against float64 central differences: masked entries get 0, even at x = 40', () => {
  const W = [[0.3, -1.2, 2.5, 0.7], [1.1, 0.4, -0.6, 2.0]];
  const loss = (x: number[][]) => smJs(x, M).reduce((a, r, i) => a + r.reduce((b, v, j) => b + v * W[i][j], 0), 0);
  const g = grad((x: any) => np.sum(np.multiply(np.softmax(x, { where: mask }), f64(W))))(f64(X)).tolist() as number[][];
  const h = 1e-6;
  X.forEach((r, i) => r.forEach((_, j) => {
    const p = X.map((q) => q.slice()), m = X.map((q) => q.slice());
    p[i][j] += h; m[i][j] -= h;
    const fd = (loss(p) - loss(m)) / (2 * h);
    assert.ok(Math.abs(g[i][j] - fd) <= 1e-8, `d/dx[${i}][${j}]: ${g[i][j]} vs ${fd}`);
  }));
  assert.equal(g[0][3], 0);
  // logSoftmax: the kept entries' sum, its gradient by the same differences
  const lossL = (x: number[][]) => smJs(x, M).reduce((a, r, i) => a + r.reduce((b, v, j) => b + (M[i][j] ? Math.log(v) * W[i][j] : 0), 0), 0);
  const gl = grad((x: any) => np.sum(np.where(mask, np.multiply(np.logSoftmax(x, { where: mask }), f64(W)), 0)))(f64(X)).tolist() as number[][];
  X.forEach((r, i) => r.forEach((_, j) => {
    const p = X.map((q) => q.slice()), m = X.map((q) => q.slice());
    p[i][j] += h; m[i][j] -= h;
    const fd = (lossL(p) - lossL(m)) / (2 * h);
    assert.ok(Math.abs(gl[i][j] - fd) <= 1e-7, `logSoftmax d/dx[${i}][${j}]: ${gl[i][j]} vs ${fd}`);
  }));
});

test('a causal attention mask (np.tril) under vmap and jit, and bad masks', () => {
  const s = f64([[0.1, 0.2, 0.3], [1, -1, 2], [0.5, 0.5, 4]]);
  const causal = np.tril(np.ones([3, 3], { dtype: 'bool' }));
  const want = smJs(s.tolist() as number[][], [[true, false, false], [true, true, false], [true, true, true]]);
  near(vmap((row: any, m: any) => np.softmax(row, { where: m }))(s, causal).tolist() as number[][], want, 1e-15);
  near(jit((x: any) => np.softmax(x, { where: causal }))(s).tolist() as number[][], want, 1e-15);
  assert.throws(() => np.softmax(s, { where: np.array([true, false]) }), (e: unknown) => e instanceof CotangentError && /np.softmax: where: .*\[2\].*\[3,3\]/.test((e as Error).message));
  assert.throws(() => np.logSoftmax(s, { wher: causal } as any), (e: unknown) => e instanceof CotangentError && /wher/.test((e as Error).message));
});
