// helper-285's probe of linear algebra values (numpy 2.4 / scipy / mpmath references):
// regressions for the defects it fixed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, linalg, grad, jit } from '../ts/index.ts';

const close = (got: number, want: number, rel: number, what: string) =>
  assert.ok(Math.abs(got - want) <= rel * Math.abs(want), `${what}: got ${got}, want ${want}`);

test('cholesky: entries whose sum overflows are symmetrized without overflow', () => {
  // numpy.linalg.cholesky([[1e308, 5e307], [5e307, 1e308]]) = [[1e154, 0], [5e153, 8.660254037844386e153]];
  // (A + A^T) / 2 overflowed, so L was all inf and choSolve returned [0, 0]
  const S = np.array([[1e308, 5e307], [5e307, 1e308]], { dtype: 'float64' });
  const want = [[1e154, 0], [5e153, 8.660254037844386e153]];
  for (const L of [linalg.cholesky(S), jit((x: any) => linalg.cholesky(x))(S)]) {
    const got = L.tolist() as number[][];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) close(got[i][j], want[i][j], 1e-15, `L[${i}][${j}]`);
  }
  // S^-1 b with b = [1e308, 1e308]: [2/3, 2/3] (closed form: S = 1e308 [[1, .5], [.5, 1]])
  const x = linalg.choSolve(linalg.choFactor(S), np.array([1e308, 1e308], { dtype: 'float64' })).tolist() as number[];
  x.forEach((v, i) => close(v, 2 / 3, 1e-15, `choSolve x[${i}]`));
  // complex128 and float32 (float32 max 3.4e38): sqrt of the diagonal (mpmath: sqrt(1.7e308) = 1.3038404810405297e154,
  // sqrt(float32(3e38) = 3.0000000054977558e38) = 1.7320508091559426e19)
  const Z = np.astype(np.array([[1.7e308, 0], [0, 1]], { dtype: 'float64' }), 'complex128');
  close(Number(np.real(linalg.cholesky(Z)).tolist()[0][0]), 1.3038404810405297e154, 1e-15, 'complex128 L00');
  const F = np.array([[3e38, 0], [0, 1]], { dtype: 'float32' });
  close((linalg.cholesky(F).tolist() as number[][])[0][0], 1.7320508091559426e19, 1e-7, 'float32 L00');
  // the derivative through the large-entry branch: sum(L) is homogeneous of degree 1/2, so its gradient at
  // 1e308 X0 is 1e-154 times the one at X0 = [[1, .5], [.5, 1]] (mpmath.diff of sum(cholesky((X + X^T) / 2)))
  const g0 = [[0.39433756729740643, 0.2113248654051871], [0.2113248654051871, 0.5773502691896257]];
  const g = grad((a: any) => np.sum(linalg.cholesky(a)))(S).tolist() as number[][];
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) close(g[i][j], g0[i][j] * 1e-154, 1e-12, `grad[${i}][${j}]`);
});

test('cholesky: subnormal and ordinary inputs keep their values', () => {
  // sqrt(5e-324) = 2.2227587494850775e-162 (mpmath); halving the entries first would have made it 0
  const L = linalg.cholesky(np.array([[5e-324, 0], [0, 5e-324]], { dtype: 'float64' })).tolist() as number[][];
  close(L[0][0], 2.2227587494850775e-162, 1e-15, 'L00');
  close(L[1][1], 2.2227587494850775e-162, 1e-15, 'L11');
  // an asymmetric input is read as (A + A^T) / 2: [[4, 2], [0, 5]] -> [[4, 1], [1, 5]], L = [[2, 0], [0.5, sqrt(4.75)]]
  const M = linalg.cholesky(np.array([[4, 2], [0, 5]], { dtype: 'float64' })).tolist() as number[][];
  assert.deepEqual(M, [[2, 0], [0.5, Math.sqrt(4.75)]]);
});
