// det's derivatives at singular matrices from 4x4 on (ts/api/linalg.ts: detAnyRank, detBySvdFrame).
// The LU rule (JAX's cofactor solve) gave 0 for the gradient at a rank n - 1 matrix whose zero pivot
// is not last (grad det(diag(0, 1, 1, 1)) was all zeros), 0 at lower ranks for the second derivative
// and NaN at rank n - 1. References: det is a polynomial in which every entry appears to the first
// power, so a mixed partial over distinct entries is an inclusion-exclusion of determinants at
// integer points: exact with Python's fractions (the script is in the comment below), pasted here.
//   d^k det / dA_p1..dA_pk = sum over subsets S of {p1..pk} of (-1)^(k - |S|) det(A + sum_{p in S} E_p)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, linalg, grad, hessian, jacfwd, jacrev, jit, vmap, jvp, valueAndGrad, type NDArray } from '../ts/index.ts';

const f64 = (x: number[][]) => np.array(x, { dtype: 'float64' });
const close = (got: NDArray, want: number[][], tol: number, what: string) => {
  const g = got.tolist() as number[][];
  for (let i = 0; i < want.length; i++) for (let j = 0; j < want[i].length; j++) {
    assert.ok(Math.abs(g[i][j] - want[i][j]) <= tol, `${what}[${i}][${j}]: got ${g[i][j]}, want ${want[i][j]}`);
  }
};

const A1 = [[0, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]; // rank 3, LU's zero pivot first
const A3 = [[0, 1, 2, 3], [0, 4, 5, 6], [0, 7, 8, 10], [0, 1, 1, 1]]; // rank 3, zero first column
const A2 = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]; // rank 2
const R1 = [[1, 2, 3, 4], [2, 4, 6, 8], [3, 6, 9, 12], [1, 2, 3, 4]]; // rank 1
const A5 = [[1, 2, 0, 1, 3], [2, 4, 0, 2, 6], [0, 1, 1, 0, 1], [1, 3, 1, 1, 4], [3, 7, 1, 3, 10]]; // 5x5 rank 2
const A6 = [[1, 2, 0, 1, 3], [2, 4, 0, 2, 6], [0, 1, 1, 0, 1], [1, 3, 1, 1, 4], [3, 7, 1, 3, 11]]; // 5x5 rank 3

test('the gradient of det at rank n - 1 is the adjugate transpose wherever LU puts the zero pivot', () => {
  close(grad(linalg.det)(f64(A1)), [[1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], 1e-14, 'grad det A1');
  close(grad(linalg.det)(f64(A3)), [[1, 0, 0, 0], [-1, 0, 0, 0], [0, 0, 0, 0], [3, 0, 0, 0]], 1e-13, 'grad det A3');
  close(jacfwd(linalg.det)(f64(A3)), [[1, 0, 0, 0], [-1, 0, 0, 0], [0, 0, 0, 0], [3, 0, 0, 0]], 1e-13, 'jacfwd det A3');
  close(jacrev(linalg.det)(f64(A3)), [[1, 0, 0, 0], [-1, 0, 0, 0], [0, 0, 0, 0], [3, 0, 0, 0]], 1e-13, 'jacrev det A3');
  close(jit(grad(linalg.det))(f64(A1)), [[1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], 1e-14, 'jit grad det A1');
  const [v, g] = valueAndGrad(linalg.det)(f64(A3));
  assert.equal(v.item(), 0);
  close(g, [[1, 0, 0, 0], [-1, 0, 0, 0], [0, 0, 0, 0], [3, 0, 0, 0]], 1e-13, 'valueAndGrad det A3');
  // float32 too
  close(grad(linalg.det)(np.array(A3, { dtype: 'float32' })), [[1, 0, 0, 0], [-1, 0, 0, 0], [0, 0, 0, 0], [3, 0, 0, 0]], 1e-5, 'grad det A3 float32');
});

test('second derivatives of det at singular matrices (rank n - 1, n - 2, n - 3) are the signed (n - 2)-minors', () => {
  const h = (A: number[][]) => hessian(linalg.det)(f64(A));
  const at = (H: NDArray, i: number, j: number) => H.get(i, j);
  close(at(h(A1), 0, 0), [[0, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], 1e-13, 'H A1 [0,0]');
  close(at(h(A3), 0, 0), [[0, 0, 0, 0], [0, -2, 3, -1], [0, 1, -2, 1], [0, 2, 2, -3]], 1e-12, 'H A3 [0,0]');
  close(at(h(A3), 1, 2), [[3, 0, 0, 0], [0, 0, 0, 0], [-2, 0, 0, 0], [11, 0, 0, 0]], 1e-12, 'H A3 [1,2]');
  close(at(h(A2), 0, 0), [[0, 0, 0, 0], [0, -4, 8, -4], [0, 8, -16, 8], [0, -4, 8, -4]], 1e-11, 'H A2 [0,0]');
  close(at(h(A2), 1, 2), [[8, -12, 0, 4], [0, 0, 0, 0], [-24, 36, 0, -12], [16, -24, 0, 8]], 1e-11, 'H A2 [1,2]');
  close(at(h(R1), 1, 2), [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], 1e-11, 'H R1 [1,2]');
  close(at(h(A6), 0, 0), [[0, 0, 0, 0, 0], [0, 1, -1, -2, 0], [0, 2, -2, -4, 0], [0, -2, 2, 4, 0], [0, 0, 0, 0, 0]], 1e-11, 'H A6 [0,0]');
  close(at(h(A5), 0, 0), Array.from({ length: 5 }, () => [0, 0, 0, 0, 0]), 1e-11, 'H A5 [0,0]');
  // forward over reverse and reverse over reverse agree (jit too)
  close(jacrev(grad(linalg.det))(f64(A2)).get(0, 0), [[0, 0, 0, 0], [0, -4, 8, -4], [0, 8, -16, 8], [0, -4, 8, -4]], 1e-11, 'jacrev grad A2');
  close(jit(hessian(linalg.det))(f64(A1)).get(0, 0), [[0, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], 1e-13, 'jit H A1');
});

test('third derivatives of det at rank 1 and rank 2 (n - 3) matrices', () => {
  const third = (A: number[][]) => jacfwd(hessian(linalg.det))(f64(A)).get(0, 0, 1, 1);
  close(third(R1), [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 4, -3], [0, 0, -12, 9]], 1e-10, 'T R1');
  close(third(A2), [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 16, -15], [0, 0, -12, 11]], 1e-10, 'T A2');
  close(third(A5), [[0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, -2, -6, 2], [0, 0, 3, 9, -3], [0, 0, -1, -3, 1]], 1e-10, 'T A5');
});

test('values keep their bits; nonsingular matrices, batches mixing both kinds, vmap and jit', () => {
  // a batch of a singular and a nonsingular matrix: both gradients right (adj(B)^T = det(B) B^-T for B)
  const B = [[2, 1, 0, 0], [1, 2, 1, 0], [0, 1, 2, 1], [0, 0, 1, 2]]; // det 5; B^-1 by numpy 2.4 times 5:
  const adjT = [[4, -3, 2, -1], [-3, 6, -4, 2], [2, -4, 6, -3], [-1, 2, -3, 4]];
  const batch = np.array([A1, B], { dtype: 'float64' });
  const g = grad((x: NDArray) => np.sum(linalg.det(x)))(batch);
  close(g.get(0), [[1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], 1e-14, 'batch[0]');
  close(g.get(1), adjT, 1e-12, 'batch[1]');
  const gv = vmap(grad(linalg.det))(batch);
  close(gv.get(0), [[1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], 1e-14, 'vmap[0]');
  close(gv.get(1), adjT, 1e-12, 'vmap[1]');
  const gj = jit(vmap(grad(linalg.det)))(batch);
  assert.deepEqual(gj.tolist(), gv.tolist());
  // a nonsingular matrix takes the LU rule eagerly and under jit alike, bit for bit
  assert.deepEqual(jit(grad(linalg.det))(f64(B)).tolist(), grad(linalg.det)(f64(B)).tolist());
  assert.deepEqual(jit(hessian(linalg.det))(f64(B)).tolist(), hessian(linalg.det)(f64(B)).tolist());
  // the value under a transform is the kernel's, bit for bit
  const M = f64([[0.3, 1.7, -2.2, 0.1], [1.1, 0.4, 0.9, -1.3], [2.5, -0.6, 0.2, 0.8], [0.7, 1.9, -0.4, 1.2]]);
  assert.equal(valueAndGrad(linalg.det)(M)[0].item(), linalg.det(M).item());
  // forward mode: tr(adj(A1) E_00) = 1
  const E00 = f64([[1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]);
  assert.equal(jvp(linalg.det, [f64(A1)], [E00])[1].item(), 1);
  assert.equal(jit((a: NDArray, t: NDArray) => jvp(linalg.det, [a], [t])[1])(f64(A1), E00).item(), 1);
});

test('graded rows, near-singular matrices and complex ones', () => {
  // rank 3 with rows 1e200 and 1e-200 apart (zero row first): the gradient is the adjugate transpose,
  // whose [0][0] entry is the product of the other diagonal entries, 1 (closed form)
  const G = f64([[0, 0, 0, 0], [0, 1e200, 0, 0], [0, 0, 1e-200, 0], [0, 0, 0, 1]]);
  close(grad(linalg.det)(G), [[1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], 1e-14, 'grad det graded');
  // A2 with 1e-10 added at [3][3] and [2][1] (LU's smallest pivot ~1e-11 of the largest): the LU rule's
  // third derivative was off by 4e-6; exact values by fractions (detref.py)
  const A = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10 + 1e-10, 11, 12], [13, 14, 15, 16 + 1e-10]];
  const T = jacfwd(hessian(linalg.det))(f64(A)).get(0, 0, 1, 1);
  close(T, [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 16.0000000001, -15], [0, 0, -12, 11]], 1e-9, 'T near-singular');
  // complex (JAX's convention: d det = tr(adj(A) dA), no conjugation): A = diag(0, 1j, 2, 1 + 1j)
  const z = (re: number[][], im: number[][]) => np.complex(f64(re), f64(im));
  const Z0 = [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]];
  const C = z([[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 2, 0], [0, 0, 0, 1]], [[0, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 1]]);
  const E = (i: number, j: number) => z(Z0.map((r, a) => r.map((_, b) => (a === i && b === j ? 1 : 0))), Z0);
  const t = jvp(linalg.det, [C], [E(0, 0)])[1].tolist() as unknown as { re: number; im: number };
  assert.ok(Math.abs(t.re - -2) < 1e-14 && Math.abs(t.im - 2) < 1e-14, `jvp det complex: ${JSON.stringify(t)}`); // 1j * 2 * (1 + 1j)
  // second order at rank n - 2, diag(0, 0, 2, 3 + 1j): d2 det / dA00 dA11 = 2 (3 + 1j)
  const C2 = z([[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 2, 0], [0, 0, 0, 3]], [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 1]]);
  const s = jvp((x: NDArray) => jvp(linalg.det, [x], [E(1, 1)])[1], [C2], [E(0, 0)])[1].tolist() as unknown as { re: number; im: number };
  assert.ok(Math.abs(s.re - 6) < 1e-13 && Math.abs(s.im - 2) < 1e-13, `second derivative complex: ${JSON.stringify(s)}`);
  // the zero 4x4: first to third derivatives are 0 (rank 0 < n - 3: the 4th is not, and comes out 0, documented)
  close(hessian(linalg.det)(f64([[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]])).get(1, 2), [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], 0, 'H zeros');
});
