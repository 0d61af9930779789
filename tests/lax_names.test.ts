// jax.lax names a port reaches for that were missing or refused (helper-232's list): dot and
// dot_general's positional precision and preferred_element_type, conj of a real operand,
// searchsorted of integers, select_n, collapse, zeros_like_array, sort_key_val,
// population_count and clz. References: closed forms and JS's own integer functions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lax, np, grad, jit, DTypeError, ValueError, type Array as NDArray } from '../ts/index.ts';

const vals = (x: NDArray) => Array.from(x.dataSync() as ArrayLike<number>);

test('dot and dotGeneral take JAX\'s positional precision and preferred_element_type', () => {
  const a = np.array([[1, 2], [3, 4]]), b = np.array([[1, 0.1], [0, 1]]);
  assert.deepEqual(vals(lax.dot(a, b, null)), vals(lax.dot(a, b)));
  assert.deepEqual(vals(lax.dot(a, b, 'highest')), vals(lax.dot(a, b)));
  const p = lax.dotGeneral(np.array([[1, 2], [3, 4]], 'int32'), np.array([[5, 6], [7, 8]], 'int32'), [[[1], [0]], [[], []]], null, 'float32');
  assert.equal(p.dtype, 'float32'); assert.deepEqual(vals(p), [19, 22, 43, 50]);
  // float32 operands with float64 accumulation: 0.1 kept as float32's 0.1 times 3, summed in float64
  const q = lax.dot(np.array([3]), np.array([0.1]), null, 'float64');
  assert.equal(q.dtype, 'float64'); assert.equal(q.item(), 3 * Math.fround(0.1));
  assert.throws(() => lax.dot(a, b, 'medium' as never), (e: unknown) => e instanceof ValueError && /lax\.dot: precision/.test(e.message));
  assert.throws(() => lax.dot(a, b, null, 'float16' as never), (e: unknown) => e instanceof DTypeError && /preferredElementType/.test(e.message));
  assert.equal(grad((t: NDArray) => np.sum(lax.dot(t, b, null, 'float64')))(np.array([[1, 1], [1, 1]])).dtype, 'float32', 'the conversion is differentiable');
});

test('conj of a real Array is complex (JAX\'s conj_p); searchsorted of int32 / uint32', () => {
  const c = lax.conj(np.array([1, -2]));
  assert.equal(c.dtype, 'complex64'); assert.deepEqual(c.tolist(), [{ re: 1, im: 0 }, { re: -2, im: 0 }]);
  assert.equal(lax.conj(np.array([1], 'float64')).dtype, 'complex128');
  const s = lax.searchsorted(np.array([1, 3, 2147483647], 'int32'), np.array([2, 3, 2147483646], 'int32'));
  assert.deepEqual(vals(s), [1, 1, 2]);
  assert.deepEqual(vals(lax.searchsorted(np.array([0, 4294967295], 'uint32'), np.array([4294967294], 'uint32'), 'right')), [1]);
});

test('selectN, collapse, zerosLikeArray, sortKeyVal', () => {
  const c0 = np.array([1, 2, 3]), c1 = np.array([10, 20, 30]), c2 = np.array([100, 200, 300]);
  assert.deepEqual(vals(lax.selectN(np.array([true, false, true]), c0, c1)), [10, 2, 30], 'false picks case 0');
  assert.deepEqual(vals(lax.selectN(np.array([2, 0, 1], 'int32'), c0, c1, c2)), [100, 2, 30]);
  assert.deepEqual(vals(jit((w: NDArray) => lax.selectN(w, c0, c1, c2))(np.array([1, 1, 0], 'int32'))), [10, 20, 3]);
  assert.throws(() => lax.selectN(np.array([true]), c0), ValueError);
  assert.deepEqual(lax.collapse(np.ones([2, 3, 4, 5]), 1, 3).shape, [2, 12, 5]);
  assert.deepEqual(lax.collapse(np.ones([2, 3, 4]), 1).shape, [2, 12]);
  assert.deepEqual(lax.collapse(np.ones([2, 3, 4]), -2, -1).shape, [2, 3, 4]);
  const z = lax.zerosLikeArray(np.array([1, 2], 'int32'));
  assert.equal(z.dtype, 'int32'); assert.deepEqual(vals(z), [0, 0]);
  const [k, v] = lax.sortKeyVal(np.array([3, 1, 2]), np.array([30, 10, 20], 'int32'));
  assert.deepEqual(vals(k), [1, 2, 3]); assert.deepEqual(vals(v), [10, 20, 30]);
});

test('populationCount and clz match JS bit counts on int32 and uint32', () => {
  const xs = [0, 1, 2, 3, 255, 256, 0x7fffffff, -1, -2, -2147483648, 123456789, -987654321];
  const pop = (v: number) => { let n = 0; for (let u = v >>> 0; u; u >>>= 1) n += u & 1; return n; };
  assert.deepEqual(vals(lax.populationCount(np.array(xs, 'int32'))), xs.map(pop));
  assert.deepEqual(vals(lax.clz(np.array(xs, 'int32'))), xs.map((v) => Math.clz32(v)));
  const us = xs.map((v) => v >>> 0);
  assert.deepEqual(vals(lax.populationCount(np.array(us, 'uint32'))), us.map(pop));
  assert.deepEqual(vals(lax.clz(np.array(us, 'uint32'))), us.map((v) => Math.clz32(v)));
  assert.throws(() => lax.clz(np.array([1.5])), DTypeError);
});

test('selectN takes JS cases as every lax operand does: of the Array cases\' dtype, a scalar of their shape', () => {
  assert.deepEqual(vals(lax.selectN(np.array([0, 1], 'int32'), 5, np.array([1, 2]))), [5, 2]);
  assert.deepEqual(vals(lax.selectN(np.array([true, false]), np.array([1, 2], 'int32'), 7)), [7, 2]);
  assert.equal(lax.selectN(np.array([true, false]), np.array([1, 2], 'int32'), 7).dtype, 'int32');
});
