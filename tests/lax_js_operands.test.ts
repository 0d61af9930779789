// API.md: "Every function that takes an Array also takes a JS number or nested JS array" - lax
// included (JAX's lax takes Python scalars). lax refused them all with a ValueError. A JS value
// beside an Array takes the Array's dtype (weakly, as JAX's scalar: a float64 operand keeps 0.1 at
// float64), a scalar in an elementwise function the Array's shape; otherwise lax stays as strict
// as JAX's: mismatched dtypes or shapes are errors, and a string, object or undefined is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lax, np, grad, jit, vmap, DTypeError, ShapeError, ValueError, type Array as NDArray } from '../ts/index.ts';

const vals = (x: NDArray) => Array.from(x.dataSync() as ArrayLike<number>);
const f32 = (v: number[]) => np.array(v), f64 = (v: number[]) => np.array(v, 'float64');

test('a JS number beside an Array takes its dtype and shape', () => {
  const a = lax.add(f32([1, 2]), 1);
  assert.equal(a.dtype, 'float32'); assert.deepEqual(vals(a), [2, 3]);
  const b = lax.mul(f64([1, 2]), 0.1);
  assert.equal(b.dtype, 'float64'); assert.deepEqual(vals(b), [0.1, 0.2], '0.1 at float64, not float32 0.10000000149');
  const c = lax.shiftLeft(np.array([1, 2], 'int32'), 2);
  assert.equal(c.dtype, 'int32'); assert.deepEqual(vals(c), [4, 8]);
  assert.deepEqual(vals(lax.clamp(0, f32([-1, 0.5, 3]), 1.5)), [0, 0.5, 1.5]);
  assert.deepEqual(vals(lax.select(np.array([true, false]), f32([1, 2]), 0)), [1, 0]);
  assert.deepEqual(vals(lax.select(true, f32([1, 2]), 0)), [1, 2], 'a JS boolean predicate');
  const g = lax.gt(f32([0, 2]), 1);
  assert.equal(g.dtype, 'bool'); assert.deepEqual(vals(g), [0, 1]);
  assert.deepEqual(vals(lax.pad(f32([1, 2]), 0, [[1, 1, 0]])), [0, 1, 2, 0]);
});

test('JS values alone are float32 (bool, complex64) 0-d Arrays, as np.array reads them', () => {
  const s = lax.sin(1);
  assert.equal(s.dtype, 'float32'); assert.deepEqual(s.shape, []);
  assert.equal(s.item(), Math.fround(Math.sin(1)));
  assert.equal(lax.add(1, 2).item(), 3);
  assert.equal(lax.convertElementType(1.5, 'int32').item(), 1);
  assert.deepEqual(vals(lax.reshape([1, 2, 3, 4], [2, 2])), [1, 2, 3, 4]);
  assert.deepEqual(lax.reshape([1, 2, 3, 4], [2, 2]).shape, [2, 2]);
});

test('nested lists are operands of their own shape (no broadcasting), of the Array\'s dtype', () => {
  const m = lax.mul(f64([1, 2]), [3, 0.1]);
  assert.equal(m.dtype, 'float64'); assert.deepEqual(vals(m), [3, 0.2]);
  assert.deepEqual(vals(lax.concatenate([f32([1, 2]), [5, 6]], 0)), [1, 2, 5, 6]);
  assert.deepEqual(vals(lax.dot([[1, 0], [0, 2]], f32([3, 4]))), [3, 8]);
  assert.throws(() => lax.mul(f32([1, 2]), [3, 4, 5]), ShapeError, 'shapes still must match');
  // gather's indices: a list of integers is int32 whatever the data's dtype
  const dims = { offsetDims: [], collapsedSliceDims: [0], startIndexMap: [0] };
  assert.deepEqual(vals(lax.gather(f32([10, 20, 30]), [[2], [0]], dims, [1])), [30, 10]);
});

test('dtypes stay strict as JAX\'s: a fraction beside int32 is a DTypeError; other values a ValueError', () => {
  assert.throws(() => lax.add(np.array([1, 2], 'int32'), 1.5), (e: unknown) => e instanceof DTypeError && /lax\.add/.test(e.message));
  assert.throws(() => lax.add(np.array([1], 'uint32'), -1), (e: unknown) => e instanceof ValueError && /lax\.add/.test(e.message));
  assert.throws(() => lax.add(f32([1]), { re: 1, im: 1 }), DTypeError);
  assert.throws(() => lax.mul(f32([1]), 'a' as never), (e: unknown) => e instanceof ValueError && /lax\.mul: argument 1 is 'a'/.test(e.message));
  assert.throws(() => lax.exp(undefined as never), ValueError);
  assert.equal(lax.add(f32([1]), 1).item(), 2, 'the next call works');
});

test('under the transforms: a JS operand is a constant', () => {
  assert.equal(grad((t: NDArray) => lax.mul(t, 3))(np.array(2)).item(), 3);
  const d = grad((t: NDArray) => lax.mul(lax.sin(t), lax.cos(1)))(np.array(0.5)).item() as number;
  assert.ok(Math.abs(d - Math.cos(0.5) * Math.cos(1)) < 1e-6 * Math.abs(d), `d/dt sin(t) cos(1) at 0.5: ${d}`);
  const j = jit((t: NDArray) => lax.add(t, 0.1));
  assert.deepEqual(vals(j(f64([1, 2]))), [1.1, 2.1]);
  const v = vmap((t: NDArray) => lax.add(t, [1, 2]))(np.ones([3, 2]));
  assert.deepEqual(v.shape, [3, 2]); assert.deepEqual(vals(v), [2, 3, 2, 3, 2, 3]);
});
