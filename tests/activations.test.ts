// jax.nn's activations (np.gelu, silu, relu6, elu, leakyRelu, selu, celu, glu): values against
// their closed forms in float64 JS, derivatives by checkGrads (float64 finite differences, both
// modes, second order) away from the kinks, and JAX's conventions at them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, checkGrads } from '../ts/index.ts';

const xs = [-3.1, -1.2, -0.3, 0.4, 1.7, 2.9, 7.5];
const f64 = (v: number[]) => np.array(v, { dtype: 'float64' });
// x (1 + erf(x / sqrt 2)) / 2 at xs, from Python's math.erf
const GELU_EXACT = [-0.00299956996097695, -0.13808360426605, -0.1146265733433142, 0.2621686966441297, 1.6242387133104768, 2.8945891414288862, 7.49999999999976];
const sig = (x: number) => 1 / (1 + Math.exp(-x));
function closeAll(got: number[], want: number[], tol: number, what: string) {
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= tol * Math.max(1, Math.abs(want[i])), `${what}[${i}]: ${g} vs ${want[i]}`));
}

test('values: gelu (tanh approximation by default, exact erf form), silu, relu6, elu, leakyRelu, selu, celu', () => {
  const v = (f: (a: any) => any) => f(f64(xs)).tolist() as number[];
  closeAll(v(np.gelu), xs.map((x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)))), 1e-14, 'gelu');
  closeAll(v((a) => np.gelu(a, { approximate: false })), GELU_EXACT, 1e-13, 'gelu exact');
  closeAll(v(np.silu), xs.map((x) => x * sig(x)), 1e-15, 'silu');
  closeAll(v(np.relu6), xs.map((x) => Math.min(Math.max(x, 0), 6)), 0, 'relu6');
  closeAll(v(np.elu), xs.map((x) => (x > 0 ? x : Math.expm1(x))), 1e-15, 'elu');
  closeAll(v((a) => np.elu(a, { alpha: 0.5 })), xs.map((x) => (x > 0 ? x : 0.5 * Math.expm1(x))), 1e-15, 'elu alpha');
  closeAll(v(np.leakyRelu), xs.map((x) => (x >= 0 ? x : 0.01 * x)), 1e-16, 'leakyRelu');
  const A = 1.6732632423543772, S = 1.0507009873554805;
  closeAll(v(np.selu), xs.map((x) => S * (x > 0 ? x : A * Math.expm1(x))), 1e-15, 'selu');
  closeAll(v((a) => np.celu(a, 2)), xs.map((x) => Math.max(x, 0) + 2 * Math.expm1(Math.min(x, 0) / 2)), 1e-15, 'celu');
  const g = np.glu(f64([1, 2, 3, -4])).tolist() as number[];
  closeAll(g, [1 * sig(3), 2 * sig(-4)], 1e-15, 'glu');
  assert.equal(np.gelu(np.array([1])).dtype, 'float32');
  assert.ok(Number.isNaN((np.relu6(np.array([NaN])).tolist() as number[])[0]));
});

test('derivatives: checkGrads to second order, and JAX conventions at the kinks', () => {
  const x = f64([-2.3, -0.7, 0.6, 1.9]);
  for (const f of [np.gelu, (a: any) => np.gelu(a, { approximate: false }), np.silu, np.elu, np.selu, (a: any) => np.celu(a, 0.7), np.leakyRelu]) {
    checkGrads(f, [x], { order: 2 });
  }
  checkGrads((a: any) => np.glu(a), [f64([0.3, -1.1, 0.8, 2.0])], { order: 2 });
  checkGrads(np.relu6, [f64([0.5, 3.1, 5.2])], { order: 2 });
  // relu6: derivative 0 at 0 and at 6 (JAX's custom rule), 1 inside
  assert.deepEqual(grad((a: any) => np.sum(np.relu6(a)))(f64([0, 6, 3, -1, 7])).tolist(), [0, 0, 1, 0, 0]);
  // elu at 0: the x <= 0 branch's derivative alpha e^0 = alpha (JAX: where(x > 0, ...))
  assert.equal(grad((a: any) => np.elu(a, 0.5))(f64([0]).reshape([])).item(), 0.5);
  // leakyRelu at 0: the x >= 0 branch, 1
  assert.equal(grad(np.leakyRelu)(np.array(0, { dtype: 'float64' })).item(), 1);
  assert.throws(() => np.glu(np.ones([3])), /np\.glu: axis -1/);
  // the shape, not the float32 it computes in (an int32 input was called float32[3])
  assert.throws(() => np.glu(np.array([-3, 0, 8], { dtype: 'int32' })), /^ValueError: np\.glu: axis -1 of the input, shape \[3\], must exist and have an even size$/);
  assert.throws(() => np.gelu(np.array([{ re: 1, im: 0 }])), /np\.gelu: defined for real inputs/);
});
