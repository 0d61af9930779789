// Bad input: a CotangentError naming the function, argument, shapes and dtypes; never a trap,
// and the next call still works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  np, lax, grad, jvp, vjp, CotangentError, ShapeError, DTypeError, ValueError, OutOfMemoryError,
} from 'cotangent';

function throwsNamed(fn: () => unknown, cls: any, ...parts: string[]) {
  let err: any;
  try { fn(); } catch (e) { err = e; }
  assert.ok(err, 'expected an error');
  assert.ok(err instanceof cls, `expected ${cls.name}, got ${err?.constructor?.name}: ${err?.message}`);
  assert.ok(err instanceof CotangentError, 'must be a CotangentError');
  for (const p of parts) assert.ok(err.message.includes(p), `message ${JSON.stringify(err.message)} lacks ${JSON.stringify(p)}`);
  // The library is still usable.
  assert.equal(Number(grad(np.sin)(0).item()), 1);
}

test('broadcast mismatch names the function and both shapes', () => {
  throwsNamed(() => np.add(np.ones([2, 3]), np.ones([4])), ShapeError, 'np.add', '[2,3]', '[4]');
  throwsNamed(() => np.multiply(np.ones([2]), np.ones([3])), ShapeError, 'np.multiply');
});

test('dot/matmul misalignment names shapes and dtypes', () => {
  throwsNamed(() => np.dot(np.ones([2, 3]), np.ones([2, 3])), ShapeError, 'np.dot', 'float32[2,3]');
  throwsNamed(() => np.matmul(np.ones([2, 3]), np.ones([4, 5])), ShapeError, 'np.matmul', '3 != 4');
});

test('grad of a non-scalar output', () => {
  throwsNamed(() => grad((x: any) => np.multiply(x, 2))(np.ones([3])), ShapeError, 'grad', 'scalar', 'float32[3]');
});

test('grad with respect to a bool argument, and bad argnums', () => {
  throwsNamed(() => grad((x: any) => np.sum(np.astype(x, 'float32')))(np.array([true, false])), DTypeError, 'grad', 'bool');
  throwsNamed(() => grad((x: any) => x, { argnums: 2 })(1), ValueError, 'argnums');
});

test('jvp tangent and vjp cotangent mismatches', () => {
  throwsNamed(() => jvp(np.sin, [np.ones([2])], [np.ones([3])]), ShapeError, 'jvp', 'float32[3]', 'float32[2]');
  throwsNamed(() => jvp(np.sin, [np.ones([2])], [np.ones([2], { dtype: 'float64' })]), DTypeError, 'jvp', 'float64', 'float32');
  const [, pull] = vjp(np.sin, np.ones([2]));
  throwsNamed(() => pull(np.ones([5])), ShapeError, 'vjp', 'float32[5]', 'float32[2]');
});

test('transforms of something that is not a function', () => {
  throwsNamed(() => grad(42 as any), ValueError, 'grad', 'function', 'number');
  throwsNamed(() => jvp(null as any, [1], [1]), ValueError, 'jvp', 'null');
  throwsNamed(() => vjp('sin' as any, 1), ValueError, 'vjp', 'string');
});

test('reshape and lax shape rules', () => {
  throwsNamed(() => np.reshape(np.ones([2, 3]), [4]), ShapeError, 'np.reshape', 'float32[2,3]', '[4]');
  throwsNamed(() => lax.add(np.ones([2]), np.ones([3])), ShapeError, 'lax.add', 'float32[2]', 'float32[3]');
  throwsNamed(() => lax.transpose(np.ones([2, 3]), [0, 0]), CotangentError, 'lax.transpose');
  throwsNamed(() => np.sum(np.ones([2]), { axis: 3 }), ValueError, 'np.sum', 'axis 3');
});

test('unsupported dtypes are refused before wasm runs', () => {
  const z = np.array(new Float64Array([1, 2]), { dtype: 'complex128', shape: [1] });
  throwsNamed(() => np.floor(z), DTypeError, 'complex128');
  throwsNamed(() => np.array([1], { dtype: 'float16' as any }), DTypeError, 'float16');
});

test('ragged and oversized inputs', () => {
  throwsNamed(() => np.array([[1, 2], [3]]), ShapeError, 'ragged');
  throwsNamed(() => np.zeros([100000, 100000]), OutOfMemoryError, 'np.zeros'); // (past wasm32's limits: an OutOfMemoryError, as every other size there)
});

test('an error inside a nested transform leaves the outer trace and later calls working', () => {
  const outer = grad((x: any) => {
    try { grad((y: any) => np.add(y, np.ones([3])))(x); } catch (e) { assert.ok(e instanceof CotangentError); }
    return np.multiply(x, x);
  });
  assert.equal(Number(outer(3).item()), 6);
});
