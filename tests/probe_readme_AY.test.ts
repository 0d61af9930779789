// helper-275: README.md's recently changed claims checked by running them (the docs as a contract).
// References: numpy 2.4 / mpmath 1.3 / closed forms, pasted as literals with where they came from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, grad, jit, vmap, linalg, DTypeError } from '../ts/index.ts';

const f64 = (v: unknown) => np.array(v as number[], { dtype: 'float64' });
const i32 = (v: unknown) => np.array(v as number[], { dtype: 'int32' });
const u32 = (v: unknown) => np.array(v as number[], { dtype: 'uint32' });
const dims = [[[1], [0]], [[], []]] as never;

test('lax.dot/dotGeneral preferredElementType: JAX\'s compatible pairs only (was a silent wrong number)', () => {
  // JAX's _validate_preferred_element_type: (integral, integral), (integral, floating),
  // (floating, floating), (complex, complex); signed stays signed; never narrower.
  const refused = (f: () => unknown) => assert.throws(f, (e: unknown) => e instanceof DTypeError && /preferredElementType/.test((e as Error).message));
  // float32 [1.5].[2] = 3 (closed form); converting to int32 first gave 2
  refused(() => lax.dot(np.array([1.5]), np.array([2]), null, 'int32'));
  refused(() => lax.dotGeneral(np.array([[1.5]]), np.array([[2]]), dims, null, 'int32'));
  refused(() => lax.dot(np.array([1.5]), np.array([2]), null, 'uint32'));
  // (1+i).(1+i) = 2i (closed form); with 'float32' it gave 1, the imaginary parts dropped
  const z = np.reshape(np.complex(1, 1), [1]);
  refused(() => lax.dot(z, z, null, 'float32'));
  refused(() => lax.dot(z, z, null, 'float64'));
  refused(() => lax.dot(np.array([1.5]), np.array([2]), null, 'complex64'));
  refused(() => lax.dot(f64([0.1]), f64([0.1]), null, 'float32'));       // narrower
  refused(() => lax.dot(i32([-1]), i32([2]), null, 'uint32'));           // gave 4294967294
  refused(() => jit((a: never, b: never) => lax.dotGeneral(a, b, dims, null, 'float32'))(f64([[0.1]]), f64([[3]])));
  refused(() => vmap((a: never) => lax.dot(a, np.array([2]), null, 'int32'))(np.array([[1.5], [2.5]])));
  // the allowed pairs still work, and the next call after a refusal does
  assert.deepEqual(lax.dot(i32([3]), i32([2]), null, 'float32').tolist(), 6);
  assert.equal(lax.dot(i32([3]), i32([2]), null, 'float32').dtype, 'float32');
  assert.equal(lax.dot(u32([3]), u32([2]), null, 'int32').dtype, 'int32');
  assert.equal(lax.dot(np.array([true]), np.array([true]), null, 'float32').item(), 1);
  // float32 0.1 squared in float64: 0.010000000298023226 (numpy: np.float64(np.float32(0.1))**2)
  assert.equal(lax.dot(np.array([0.1]), np.array([0.1]), null, 'float64').item(), 0.010000000298023226);
  assert.deepEqual(lax.dot(z, z, null, 'complex128').item(), { re: 0, im: 2 });
  assert.equal(lax.dot(np.array([1.5]), np.array([2])).item(), 3);
});

test('README claims: signbit/copysign read a NaN\'s sign bit (numpy: np.signbit(-np.nan) True, np.copysign(1, -np.nan) -1)', () => {
  assert.deepEqual(np.signbit(np.negative(np.array([NaN, 0, 1]))).tolist(), [true, true, true]);
  assert.deepEqual(np.signbit(np.negative(f64([NaN]))).tolist(), [true]);
  assert.equal(np.copysign(1, np.negative(f64(NaN as never))).item(), -1);
  assert.deepEqual(jit((a: never, b: never) => np.copysign(a, b))(np.array([1, 1]), np.negative(np.array([NaN, 0]))).tolist(), [-1, -1]);
});

test('README claims: pinv fifth derivative, cumprod grad, scan weak carry, diff/allclose positional', () => {
  // d^5/dx^5 1/x at 2 = -120/2^6 = -1.875 (closed form)
  const p = (x: never) => linalg.pinv(np.reshape(x, [1, 1])).get(0).get(0);
  assert.equal(grad(grad(grad(grad(grad(p)))))(f64(2 as never)).item(), -1.875);
  // d/dx sum(cumprod([1,2,3,4])) = [33, 16, 10, 6] (closed form)
  assert.deepEqual(grad((x: never) => np.sum(np.cumprod(x)))(np.array([1, 2, 3, 4])).tolist(), [33, 16, 10, 6]);
  // scan(c => c * f32(1) + f64(1), 0.1) over two steps: 2.1 in float64, eager as jitted
  const body = (c: never) => [np.add(np.multiply(c, np.array(1)), f64(1 as never)), null] as never;
  const [c] = lax.scan(body, 0.1 as never, np.zeros([2])) as never as [ReturnType<typeof np.array>];
  assert.equal(c.item(), 2.1);
  // numpy: np.diff([1,4,9,16], 2) = [2, 2]; np.diff([1,4,9], 1, -1, 0, 20) = [1, 3, 5, 11]
  assert.deepEqual(np.diff(np.array([1, 4, 9, 16]), 2).tolist(), [2, 2]);
  assert.deepEqual(np.diff(np.array([1, 4, 9]), 1, -1, 0, 20).tolist(), [1, 3, 5, 11]);
  // numpy: np.allclose([1], [1.005], 0.01) True; np.isclose(nan, nan, 1e-5, 1e-8, True) True
  assert.equal(np.allclose(np.array([1]), np.array([1.005]), 0.01), true);
  assert.deepEqual(np.isclose(np.array([NaN]), np.array([NaN]), 1e-5, 1e-8, true).tolist(), [true]);
});

test('README claims: lax additions (reshape dimensions, selectN, clz/popcount, sign of complex)', () => {
  // jax.lax.reshape(x, (3, 2), dimensions=(1, 0)) = x.T reshaped: [[1,4],[2,5],[3,6]]
  assert.deepEqual(lax.reshape(np.array([[1, 2, 3], [4, 5, 6]]), [3, 2], [1, 0]).tolist(), [[1, 4], [2, 5], [3, 6]]);
  assert.deepEqual(lax.selectN(i32([0, 5]), np.array([1, 2]), np.array([3, 4])).tolist(), [1, 4]);
  assert.deepEqual(lax.clz(u32([0, 1, 4294967295])).tolist(), [32, 31, 0]);
  assert.deepEqual(lax.populationCount(i32([0, 7, -1])).tolist(), [0, 3, 32]);
  // (3+4i)/5 in float32: 0.6f, 0.8f
  assert.deepEqual(lax.sign(np.complex(3, 4)).item(), { re: Math.fround(0.6), im: Math.fround(0.8) });
});
