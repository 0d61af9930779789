// Real linear algebra at the edges of float64's range, from a trial against numpy.linalg
// (LAPACK, which JAX uses on CPU): tiny singular values and eigenvalues beside large ones,
// subnormal matrices, infinite entries. References: numpy 2.4's printed values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, linalg } from '../ts/index.ts';

const f64 = (v: number[][]) => np.array(v, { dtype: 'float64' });
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

test('singular values far below the largest keep full relative accuracy (sums of squares underflowed below ~1e-154)', () => {
  assert.deepEqual(linalg.svdvals(f64([[1, 0], [0, 1e-200]])).tolist(), [1, 1e-200]);
  assert.deepEqual(linalg.svdvals(f64([[1, 0], [0, 1e-160]])).tolist(), [1, 1e-160]);
  assert.deepEqual(linalg.svdvals(f64([[1e170, 0], [0, 1]])).tolist(), [1e170, 1]);
  // numpy: svd([[1, 0.5], [0, 1e-170]]) = [1.11803399e+000, 8.94427191e-171]
  const s = linalg.svdvals(f64([[1, 0.5], [0, 1e-170]])).tolist() as number[];
  assert.ok(rel(s[0], 1.118033988749895) < 1e-15 && rel(s[1], 8.94427190999916e-171) < 1e-12, `${s}`);
  assert.ok(rel(linalg.cond(f64([[1, 0], [0, 1e-200]])).item(), 1e200) < 1e-15);
});

test('a tiny eigenvalue of a split-off block is kept (the QL shifts reached it): numpy eigvalsh = [1e-200, 1, 3]', () => {
  const w = linalg.eigvalsh(f64([[2, 1, 0], [1, 2, 0], [0, 0, 1e-200]])).tolist() as number[];
  assert.equal(w[0], 1e-200);
  assert.ok(rel(w[1], 1) < 1e-15 && rel(w[2], 3) < 1e-15, `${w}`);
});

test('QR reflects a column whose entries below the diagonal are tiny (it was skipped: Q R != A)', () => {
  // numpy: qr([[1, 0.5], [1e-170, 1e-170]]) R = [[-1, -0.5], [0, 5e-171]], Q = [[-1, -1e-170], [-1e-170, 1]]
  const A = f64([[1, 0.5], [1e-170, 1e-170]]);
  const [Q, R] = linalg.qr(A);
  const r = R.tolist() as number[][], q = Q.tolist() as number[][];
  assert.equal(r[0][0], -1); assert.equal(r[0][1], -0.5); assert.equal(r[1][0], 0);
  assert.ok(rel(r[1][1], 5e-171) < 1e-12, `${r}`);
  assert.ok(rel(q[1][0], -1e-170) < 1e-12 && q[0][0] === -1, `${q}`);
  // ordinary inputs: numpy's R for [[1, 2], [3, 4], [5, 6]]
  const r2 = linalg.qr(f64([[1, 2], [3, 4], [5, 6]]))[1].tolist() as number[][];
  [[-5.916079783099617, -7.437357441610946], [0, 0.8280786712108251]].forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(r2[i][j] - v) < 1e-13, `${r2}`)));
});

test('matrices whose largest entry is subnormal decompose (the power-of-two prescale overflowed to inf: all NaN)', () => {
  assert.deepEqual(linalg.eigvalsh(f64([[1e-309, 0], [0, 2e-309]])).tolist(), [1e-309, 2e-309]);
  assert.deepEqual(linalg.svdvals(f64([[1e-309, 0], [0, 2e-309]])).tolist(), [2e-309, 1e-309]);
  const s = linalg.svdvals(np.array([[1e-39, 0], [0, 5e-40]], { dtype: 'float32' })).tolist() as number[];
  assert.ok(rel(s[0], 1e-39) < 1e-5 && rel(s[1], 5e-40) < 1e-5, `${s}`); // float32 subnormals hold ~6 digits here
  assert.deepEqual(linalg.qr(f64([[1e-309, 0], [0, 2e-309]]))[1].tolist(), [[1e-309, 0], [0, 2e-309]]);
});

test('an infinite entry makes the SVD all NaN (as LAPACK fails), not finite singular values', () => {
  const A = f64([[1, 2], [3, Infinity], [5, 6]]);
  assert.ok((linalg.svdvals(A).tolist() as number[]).every(Number.isNaN));
  const [U, S, Vt] = linalg.svd(A, { fullMatrices: false });
  for (const x of [U, S, Vt]) assert.ok(Array.from(x.dataSync()).every(Number.isNaN));
  // a batch: only the matrix holding the inf
  const b = linalg.svdvals(np.stack([f64([[1, 0], [0, 2]]), f64([[Infinity, 0], [0, 1]])])).tolist() as number[][];
  assert.deepEqual(b[0], [2, 1]); assert.ok(b[1].every(Number.isNaN));
});
