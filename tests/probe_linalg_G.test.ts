// Probe G (helper-226): differentiable linalg. Regression tests for the defects fixed in ts/api/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, linalg, grad, jit } from '../ts/index.ts';

const diag = (v: number[], dtype: 'float32' | 'float64' | 'complex64' | 'complex128') =>
  np.astype(np.array(v.map((x, i) => v.map((_, j) => (i === j ? x : 0))), { dtype: 'float64' }), dtype);
const close = (got: number, want: number, rel: number, what: string) =>
  assert.ok(Math.abs(got - want) <= rel * Math.abs(want), `${what}: got ${got}, want ${want}`);

// det of n >= 4 (the LU kernel) multiplied the pivots in float64 without scaling: a badly scaled
// matrix whose determinant is in range gave 0 or inf (complex128: NaN), silently, and its gradient
// all zeros. numpy.linalg.det and jnp.linalg.det (both sign * exp(logdet)) give 1.
test('det: float64 / complex128 4x4 with rows 1e-200 and 1e200 (value in range)', () => {
  // mpmath (dps 40), on the float64 entries: 1e-200^2 1e200^2 = 0.99999999999999990367
  for (const dt of ['float64', 'complex128'] as const) {
    for (const v of [[1e-200, 1e-200, 1e200, 1e200], [1e200, 1e200, 1e-200, 1e-200]]) {
      const d = linalg.det(diag(v, dt));
      const re = dt === 'complex128' ? (d.item() as { re: number }).re : (d.item() as number);
      close(re, 0.99999999999999990367, 4e-16, `${dt} det(diag(${v}))`);
      const j = jit((x: any) => linalg.det(x))(diag(v, dt));
      assert.deepEqual(j.dataSync(), d.dataSync(), 'jit matches eager');
    }
  }
});

test('det: gradient at a badly scaled 4x4 is the cofactor matrix, not zeros', () => {
  // cofactors of diag(a, a, b, b), a = 1e-200, b = 1e200 (mpmath): a b^2 = 9.9999999999999992157e199,
  // a^2 b = 9.9999999999999993393e-201
  const g = grad((x: any) => linalg.det(x))(diag([1e-200, 1e-200, 1e200, 1e200], 'float64')).dataSync();
  close(g[0], 9.9999999999999992157e199, 1e-15, 'g00'); close(g[5], 9.9999999999999992157e199, 1e-15, 'g11');
  close(g[10], 9.9999999999999993393e-201, 1e-15, 'g22'); close(g[15], 9.9999999999999993393e-201, 1e-15, 'g33');
  // float32 (JAX's cofactor solve underflows here too): a = float32(1e-30), b = float32(1e30); mpmath:
  // a b^2 = 1.0000000332660096e30, a^2 b = 1.0000000213896200e-30
  const g32 = grad((x: any) => linalg.det(x))(diag([1e-30, 1e-30, 1e30, 1e30], 'float32')).dataSync();
  close(g32[0], 1.0000000332660096e30, 1e-6, 'f32 g00'); close(g32[15], 1.00000002138962e-30, 1e-6, 'f32 g33');
});

test('det: a full 4x4 with alternating row scales 1e150 / 1e-150, value and gradient', () => {
  // numpy-generated (default_rng(11)), references by mpmath (dps 40) on the row-normalized matrix
  const A = np.array([[3.4192767253184166e+148, 1.3597475403099617e+150, 1.2247210785859323e+150, -5.103070767876675e+149],
    [-2.979695111064471e-151, -5.273841930334252e-151, 5.697263575719601e-151, -5.606443904561759e-152],
    [7.468856162565439e+149, -1.8473247989741095e+150, 1.5665487746995205e+150, -9.643216015562055e+148],
    [6.803784532741461e-151, -1.3656633397682774e-151, -3.790985670748533e-151, 4.631101585975867e-151]], { dtype: 'float64' });
  close(linalg.det(A).item() as number, 0.8350137670555616, 1e-14, 'det');
  const want = [8.032567461376979e-152, 3.640918032959236e-151, 4.1111264985560285e-151, 3.258901542536988e-151,
    -1.5341119023249373e+150, 2.0798156183284944e+149, 1.1785834787202759e+150, 3.279952388106508e+150,
    4.96632638965606e-151, -2.7074634689198236e-151, -7.671984860952586e-152, -8.722705817442825e-151,
    6.203697094525564e+147, 3.6999909233720585e+149, 5.7971532359795595e+149, 2.377601857533753e+150];
  const g = grad((x: any) => linalg.det(x))(A).dataSync();
  want.forEach((w, i) => close(g[i], w, 1e-12, `grad[${i}]`));
});

test('det: ordinary 4x4 unchanged (eager, jit, overflow still inf)', () => {
  const R = np.array([[1, 2, 3, 4], [0, 1, 5, 6], [7, 1, 0, 2], [3, 3, 1, 9]], { dtype: 'float64' });
  assert.equal(linalg.det(R).item(), 296);
  assert.equal(jit((x: any) => linalg.det(x))(R).item(), 296);
  assert.equal(linalg.det(diag([1e100, 1e100, 1e100, 1e100], 'float64')).item(), Infinity); // true overflow
  assert.equal(linalg.det(diag([1e-100, 1e-100, 1e-100, 1e-100], 'float64')).item(), 0); // true underflow
});
