// helper-231's probe of elementwise accuracy and derivatives (float32 and float64) against mpmath.
// Regression tests for the defects fixed; every expected value from mpmath 1.3 (50 digits) or a
// closed form, never from the code under test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, jit, vmap, jacfwd, type Array as NDArray } from '../ts/index.ts';

const f32 = (x: any) => np.array(x, { dtype: 'float32' });
const f64 = (x: any) => np.array(x, { dtype: 'float64' });
const i0 = (v: NDArray) => np.i0(v);
const d2 = grad(grad(i0));

test('np.i0: the second derivative is +inf (not 0) where i0 overflows (x > 91.9 in float32, 713.98 in float64)', () => {
  // i0''(x) = (I0(x) + I2(x)) / 2 > 0 for every x, so past the overflow of I0 it is +inf; the
  // overflow branch was |x| * inf, whose second derivative is 0 (a silent wrong number)
  for (const x of [92, 100, -95, 150, Infinity, -Infinity]) assert.equal(d2(f32(x)).item(), Infinity, `float32 i0''(${x})`);
  for (const x of [714, -714, 1000, 2000, Infinity]) assert.equal(d2(f64(x)).item(), Infinity, `float64 i0''(${x})`);
  // forward-over-forward and third derivatives too: i0''' = (3 I1 + I3) / 4, signed as x
  assert.equal(jacfwd(jacfwd(i0))(f32(100)).item(), Infinity);
  assert.equal(grad(grad(grad(i0)))(f32(100)).item(), Infinity);
  assert.equal(grad(grad(grad(i0)))(f64(-800)).item(), -Infinity);
  // the first derivative (i1, odd) stays signed inf, the value inf
  assert.deepEqual(grad(i0)(f32(-95)).item(), -Infinity);
  assert.deepEqual(np.i0(f32([95, -95])).tolist(), [Infinity, Infinity]);
  // mixed arrays: the finite elements keep their values, no NaN leaks across elements.
  // mpmath (besseli(0, x) + besseli(2, x)) / 2 at 0, 3, -50 and 91: 0.5, 3.5630025..., 2.874492...e20, 1.3740886...e38
  const sum2 = (v: NDArray) => np.sum(grad((u: NDArray) => np.sum(np.i0(u)))(v));
  const x = f32([0, 3, -50, 100, -100, 91, Infinity, NaN]);
  const want = [0.5, 3.5630025, 2.8744923e20, Infinity, Infinity, 1.3740886e38, Infinity, NaN];
  for (const [name, got] of [['grad', grad(sum2)(x)], ['jit', jit(grad(sum2))(x)], ['vmap', vmap(d2)(x)]] as const) {
    (got.tolist() as number[]).forEach((v, i) => {
      if (!Number.isFinite(want[i])) assert.ok(Object.is(v, want[i]), `${name}[${i}]: ${v}, want ${want[i]}`);
      else assert.ok(Math.abs(v - want[i]) <= 2e-6 * Math.abs(want[i]), `${name}[${i}]: ${v}, want ${want[i]}`);
    });
  }
  // float64 next to the overflow is unchanged: mpmath (I0 + I2)/2 at 713.9 = 1.6458481402601704e+308
  assert.ok(Math.abs(d2(f64(713.9)).item() / 1.6458481402601704e+308 - 1) < 2e-15);
});
