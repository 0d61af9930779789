// Where jax.numpy (and numpy) define an answer at the edges, cotangent gives the same: integer
// statistics in float, division and remainder by zero, integer linspace/arange, eye's k, complex
// logs at 0 and inf, one-hot of floats. References: numpy 2 printed values and jnp's source rules
// (noted per case), never cotangent itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, linalg, NotImplementedError } from '../ts/index.ts';

const i32 = (v: number[]) => np.array(v, { dtype: 'int32' });

test('var, std and norm of integers compute in float32 (an int32 sum of squares wrapped)', () => {
  assert.equal(np.var(i32([2e9, 2e9, 2e9])).item(), 0);
  assert.equal(np.var(i32([2e9, 2e9, 2e9])).dtype, 'float32'); // jnp's _var: float32 for ints
  assert.equal(np.std(i32([2e9, 2e9])).item(), 0);
  assert.deepEqual(np.var(i32([2e9, 2e9, 1, 1]).reshape(2, 2), { axis: 1 }).tolist(), [0, 0]);
  assert.equal(np.var(i32([1, 2, 3, 4])).item(), 1.25); // numpy: 1.25
  assert.equal(linalg.norm(i32([65536, 0])).item(), 65536);
  assert.equal(np.norm(i32([3, 4])).item(), 5);
  assert.equal(linalg.norm(i32([2e9, 2e9]), { ord: 1 }).item(), 4e9);
  assert.equal(linalg.norm(i32([-2147483648, 0]), { ord: Infinity }).item(), 2147483648);
  assert.equal(linalg.norm(i32([65536, 0, 0, 0]).reshape(2, 2)).item(), 65536); // Frobenius
});

test('floor division by zero is +-inf for floats; integer remainder by zero is 0 (numpy, and jnp.remainder)', () => {
  // numpy: np.floor_divide([1, -1, 2.5, inf, 0], 0.) = [inf, -inf, inf, inf, nan]; by -0.: [-inf, inf]
  assert.deepEqual(np.floorDivide(np.array([1, -1, 2.5, Infinity, 0]), 0).tolist(), [Infinity, -Infinity, Infinity, Infinity, NaN]);
  assert.deepEqual(np.floorDivide(np.array([1, -1], { dtype: 'float64' }), -0).tolist(), [-Infinity, Infinity]);
  assert.deepEqual(np.floorDivide(np.array([7, -7, 7.5]), 2).tolist(), [3, -4, 3]);
  assert.deepEqual(np.remainder(i32([5, -5]), 0).tolist(), [0, 0]);
  assert.deepEqual(np.remainder(np.array([5, 7], { dtype: 'uint32' }), np.array([0, 3], { dtype: 'uint32' })).tolist(), [0, 1]);
  assert.deepEqual(np.remainder(i32([5, -5, 5, -5]), i32([3, 3, -3, -3])).tolist(), [2, 1, -1, -2]); // sign of the divisor
  assert.deepEqual(np.divmod(i32([5]), 0)[1].tolist(), [0]);
});

test('integer linspace floors and integer arange counts by the truncated step (numpy; jnp.arange calls it)', () => {
  assert.deepEqual(np.linspace(-10, 0, 4, { dtype: 'int32' }).tolist(), [-10, -7, -4, 0]); // numpy 2: [-10 -7 -4 0]
  assert.deepEqual(np.linspace(-10, 0, 3, { endpoint: false, dtype: 'int32' }).tolist(), [-10, -7, -4]);
  assert.deepEqual(np.linspace(np.array(-10), np.array(0), 4, { dtype: 'int32' }).tolist(), [-10, -7, -4, 0]);
  assert.deepEqual(np.arange(0, 5, 1.5, { dtype: 'int32' }).tolist(), [0, 1, 2, 3]); // numpy: [0 1 2 3]
  // numpy's float32 fill: first + i * (second - first) in float32 (np.arange(0, 1, .1, dtype=float32)[9] = 0.90000004)
  assert.equal(np.arange(0, 1, 0.1).dataSync()[9], 0.9000000357627869); // numpy's float32, printed as a double
  assert.equal(np.arange(1, 0, -0.3).dataSync()[3], 0.09999996423721313);
  assert.deepEqual(np.arange(0, 1, 0.25, { dtype: 'float64' }).tolist(), [0, 0.25, 0.5, 0.75]);
  assert.deepEqual(np.arange(2, 11, 3).tolist(), [2, 5, 8]);
});

test("np.eye takes numpy's k (positionally or as an option); complex astype to bool; integer round with negative decimals refused", () => {
  assert.deepEqual(np.eye(3, 3, 1).tolist(), [[0, 1, 0], [0, 0, 1], [0, 0, 0]]);
  assert.deepEqual(np.eye(3, 4, { k: -1 }).tolist(), [[0, 0, 0, 0], [1, 0, 0, 0], [0, 1, 0, 0]]);
  assert.deepEqual(np.eye(2, null as any, 1).tolist(), [[0, 1], [0, 0]]);
  assert.equal(np.eye(2, 'float64').dtype, 'float64');
  assert.throws(() => np.eye(2, 2, 0.5), /np.eye: k must be an integer/);
  assert.deepEqual(np.astype(np.complex(np.array([0, 0, 1]), np.array([0, 2, 0])), 'bool').tolist(), [false, true, true]);
  assert.throws(() => np.round(i32([15, 25]), -1), NotImplementedError);
  assert.deepEqual(np.round(np.array([15, 25, 35]), -1).tolist(), [20, 20, 40]); // floats: half to even, as numpy
});

test('complex log10 and log2 keep a zero imaginary part at 0 and inf; oneHot of floats compares as jax.nn.one_hot', () => {
  // numpy: np.log10([0j, inf+0j]) = [-inf+0j, inf+0j]
  assert.deepEqual(np.log10(np.complex(np.array([0, Infinity]), np.array([0, 0]))).tolist(), [{ re: -Infinity, im: 0 }, { re: Infinity, im: 0 }]);
  assert.deepEqual(np.log2(np.complex(np.array([0]), np.array([0]))).tolist(), [{ re: -Infinity, im: 0 }]);
  const z = np.log10(np.complex(np.array([0], { dtype: 'float64' }), np.array([100], { dtype: 'float64' }))).tolist()[0];
  assert.ok(Math.abs(z.re - 2) < 1e-15 && Math.abs(z.im - Math.PI / 2 / Math.LN10) < 1e-15); // log10(100i) = 2 + i pi/(2 ln 10)
  assert.deepEqual(np.oneHot(np.array([2, 0.5, -1, 3]), 4).tolist(), [[0, 0, 1, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 1]]);
  assert.deepEqual(np.oneHot(np.array([true, false]), 2).tolist(), [[0, 1], [1, 0]]);
  assert.deepEqual(np.oneHot(i32([1, 5]), 3).tolist(), [[0, 1, 0], [0, 0, 0]]);
});
