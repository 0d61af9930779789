// Porting JAX programs (Gaussian processes, MLP + Adam, RK4 neural ODE, Newton logistic
// regression, VAE reparameterization, cookbook transforms): regressions for what a port hit.
// References: numpy 2.4 (float64), values pasted as literals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, linalg, grad, jit, vmap, CotangentError } from '../ts/index.ts';

const f64 = (a: unknown) => np.array(a as number[], { dtype: 'float64' });
const close = (got: number[] | number[][], want: number[] | number[][], tol = 1e-13) => {
  const g = (got as unknown[]).flat() as number[], w = (want as unknown[]).flat() as number[];
  assert.equal(g.length, w.length);
  g.forEach((v, i) => assert.ok(Math.abs(v - w[i]) <= tol * (1 + Math.abs(w[i])), `entry ${i}: ${v} vs ${w[i]}`));
};
// A = [[4,1,.5],[1,3,.2],[.5,.2,2]], b = [1,-2,.5], B = [[1,0],[-2,1],[.5,3]] (numpy: /tmp ref_scipy.py)
const A = f64([[4, 1, 0.5], [1, 3, 0.2], [0.5, 0.2, 2]]);
const b = f64([1, -2, 0.5]);
const B = f64([[1, 0], [-2, 1], [0.5, 3]]);
const X_REF = [0.4279004227336778, -0.8243306716768436, 0.22545796148426492]; // np.linalg.solve(A, b)
const XM_REF = [[0.4279004227336778, -0.2724283701268201], [-0.8243306716768436, 0.3217472992015031], [0.2254579614842649, 1.5359323626115544]];

// linalg.choSolve / choFactor / solveTriangular (jax.scipy.linalg's cho_solve, cho_factor,
// solve_triangular) were missing: a ported GP stopped at 'linalg.choSolve is not a function'.
test('choSolve with a lower factor, vector and matrix b, and choFactor both ways', () => {
  const L = linalg.cholesky(A);
  close(linalg.choSolve([L, true], b).tolist() as number[], X_REF);
  close(linalg.choSolve([L, true], B).tolist() as number[][], XM_REF);
  const [U, lower] = linalg.choFactor(A);
  assert.equal(lower, false);
  close(linalg.choSolve([U, lower], b).tolist() as number[], X_REF);
  close(linalg.choSolve(linalg.choFactor(A, { lower: true }), B).tolist() as number[][], XM_REF);
  assert.throws(() => linalg.choSolve(L as never, b), (e: Error) => e instanceof CotangentError && /\[c, lower\]/.test(e.message));
  assert.throws(() => linalg.choSolve([L, true], [1, 2]), (e: Error) => e instanceof CotangentError && /choSolve/.test(e.message));
});

test('solveTriangular: scipy defaults (upper), trans, vector rule, refusal of a lower a with the default', () => {
  const L = linalg.cholesky(A), U = np.transpose(L);
  close(linalg.solveTriangular(U, b).tolist() as number[], [0.7590367557558686, -1.2158472065007226, 0.3594003669544965]); // solve(U, b)
  close(linalg.solveTriangular(U, b, { trans: 'T' }).tolist() as number[], [0.5, -1.3568010505999364, 0.3136585020693788]); // solve(U.T, b)
  close(linalg.solveTriangular(L, b, { lower: true }).tolist() as number[], [0.5, -1.3568010505999364, 0.3136585020693788]);
  close(linalg.solveTriangular(L, b, { lower: true, trans: 1 }).tolist() as number[], [0.7590367557558686, -1.2158472065007226, 0.3594003669544965]);
  assert.throws(() => linalg.solveTriangular(L, b), (e: Error) => e instanceof CotangentError && /lower: true/.test(e.message));
  assert.throws(() => linalg.solveTriangular(U, b, { trans: 3 as never }), (e: Error) => e instanceof CotangentError && /trans/.test(e.message));
  // batched vector b: one right-hand side per matrix (b.ndim == a.ndim - 1), as JAX
  const As = np.stack([L, np.multiply(L, 2)]), bs = np.stack([b, b]);
  const xs = linalg.solveTriangular(As, bs, { lower: true });
  assert.deepEqual(xs.shape, [2, 3]);
  close((xs.tolist() as number[][])[1], [0.25, -0.6784005252999682, 0.1568292510346894]);
});

test('choSolve differentiates, jits and vmaps (GP-style use)', () => {
  // d/db sum(A^-1 b) = A^-1 1 (A symmetric); numpy: solve(A, ones(3))
  const g = grad((bb: unknown) => np.sum(linalg.choSolve([linalg.cholesky(A), true], bb as never)))(b);
  close(g.tolist() as number[], [0.1296383278534523, 0.2606857679661813, 0.44152184124001875]);
  const j = jit((a: unknown, bb: unknown) => linalg.choSolve([linalg.cholesky(a as never), true], bb as never));
  close(j(A, b).tolist() as number[], X_REF);
  const v = vmap((bb: unknown) => linalg.choSolve([linalg.cholesky(A), true], bb as never))(np.transpose(B));
  close(np.transpose(v).tolist() as number[][], XM_REF);
  // under jit the upper default is JAX's, obeyed
  const ju = jit((u: unknown) => linalg.solveTriangular(u as never, b));
  close(ju(np.transpose(linalg.cholesky(A))).tolist() as number[], [0.7590367557558686, -1.2158472065007226, 0.3594003669544965]);
});
