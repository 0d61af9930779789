// helper-B's numpy-surface probe (~12,500 generated cases against numpy 2.x): the defects it fixed,
// each pinned with numpy's values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, jit, ValueError } from '../ts/index.ts';

test('np.reshape takes jnp\'s order: { order: \'F\' } or \'F\' (was read as a second shape argument)', () => {
  const A = np.reshape(np.arange(24), [2, 3, 4]);
  // numpy: np.arange(24).reshape(2, 3, 4).reshape((4, 6), order='F')
  const F46 = [[0, 8, 5, 2, 10, 7], [12, 20, 17, 14, 22, 19], [4, 1, 9, 6, 3, 11], [16, 13, 21, 18, 15, 23]];
  assert.deepEqual(np.reshape(A, [4, 6], { order: 'F' }).tolist(), F46);
  assert.deepEqual(np.reshape(A, [4, -1], 'F').tolist(), F46);
  // numpy: .reshape(24, order='F')
  assert.deepEqual(np.reshape(A, 24, 'F').tolist(), [0, 12, 4, 16, 8, 20, 1, 13, 5, 17, 9, 21, 2, 14, 6, 18, 10, 22, 3, 15, 7, 19, 11, 23]);
  assert.deepEqual(np.reshape(A, [4, 6], 'C').tolist(), np.reshape(A, [4, 6]).tolist());
  assert.deepEqual(np.reshape(A, [4, 6], null).shape, [4, 6]);
  assert.equal(np.reshape(A, [4, 6], 'F').dtype, 'int32');
  assert.throws(() => np.reshape(A, [4, 6], 'A' as never), (e: unknown) => e instanceof ValueError && /order must be 'C' or 'F'/.test((e as Error).message));
  assert.throws(() => (np.reshape as (...a: unknown[]) => unknown)(A, 4, 6), /takes the shape as one list/); // the JS varargs habit stays an error
  // differentiable and traceable: d/dx sum(reshape(x, F) * w) = w reshaped back in F order
  const w = np.reshape(np.arange(6, 12, 1, 'float32'), [3, 2]);
  const g = grad((x: ReturnType<typeof np.array>) => np.sum(np.multiply(np.reshape(x, [3, 2], 'F'), w)))(np.arange(0, 6, 1, 'float32'));
  assert.deepEqual(g.tolist(), [6, 8, 10, 7, 9, 11]); // numpy: w.ravel(order='F')
  assert.deepEqual(jit((x: ReturnType<typeof np.array>) => np.reshape(x, [2, 3], 'F'))(np.arange(0, 6, 1, 'float32')).tolist(), [[0, 2, 4], [1, 3, 5]]);
});
