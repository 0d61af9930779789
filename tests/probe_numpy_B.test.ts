// helper-B's numpy-surface probe (~12,500 generated cases against numpy 2.x): the defects it fixed,
// each pinned with numpy's values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, jit, ValueError, type Array as NDArray } from '../ts/index.ts';

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

test("np.pad mode 'median' and where= on nanmean / nanvar / nanstd / nanmax / nanmin / all / any (jnp's; they raised): numpy 2.4's values", () => {
  const L = (x: NDArray) => JSON.stringify(x.tolist());
  // numpy: pad(int32 [1,2,3,4], 2, 'median') = [2,2,1,2,3,4,2,2] (2.5 rounds half to even)
  assert.equal(L(np.pad(np.array([1, 2, 3, 4], { dtype: 'int32' }), 2, 'median')), '[2,2,1,2,3,4,2,2]');
  // numpy: pad([[1,5,2],[7,3,9]], [[1,1],[2,1]], mode='median', stat_length=2)
  assert.equal(L(np.pad(np.array([[1, 5, 2], [7, 3, 9]], { dtype: 'float64' }), [[1, 1], [2, 1]], { mode: 'median', statLength: 2 })),
    '[[4,4,4,4,5.5,4.75],[3,3,1,5,2,3.5],[5,5,7,3,9,6],[4,4,4,4,5.5,4.75]]');
  // d/dx sum(pad(x, 1, 'median')) for x = [1, 2, 3]: the median is x[1], read twice more
  assert.equal(L(grad((x: NDArray) => np.sum(np.pad(x, 1, 'median')))(np.array([1, 2, 3], { dtype: 'float64' }))), '[1,3,1]');

  const a = np.array([[1, NaN, 3], [4, 5, NaN]], { dtype: 'float64' }), m = np.array([[true, true, false], [false, true, true]]);
  // numpy: nanmean(a, axis=1, where=m) = [1, 5]; nanvar(..., axis=1) = [0, 0]; nanstd(a, where=m) = 2
  assert.equal(L(np.nanmean(a, { axis: 1, where: m })), '[1,5]');
  assert.equal(L(np.nanvar(a, { axis: 1, where: m })), '[0,0]');
  assert.equal(L(np.nanstd(a, { where: m, ddof: 0 })), '2');
  assert.ok(Number.isNaN(np.nanmean(a, { where: [false, false, false] }).item())); // numpy: nan
  // numpy: nanmax(a, axis=1, where=m, initial=-10) = [1, 5]; nanmin(a, axis=0, where=m, initial=100) = [1, 5, 100]; nanmax([nan], initial=3) = 3
  assert.equal(L(np.nanmax(a, { axis: 1, where: m, initial: -10 })), '[1,5]');
  assert.equal(L(np.nanmin(a, { axis: 0, where: m, initial: 100 })), '[1,5,100]');
  assert.equal(np.nanmax(np.array([NaN]), { initial: 3 }).item(), 3);
  assert.equal(L(np.nanmax(np.array([[1, 7], [3, 2]], { dtype: 'int32' }), { axis: 0, where: [[true, false], [true, true]], initial: 0 })), '[3,2]');
  assert.throws(() => np.nanmax(a, { where: m }), /np\.nanmax: a where mask needs an initial value/);
  // numpy: all([[1,0],[1,1]], axis=1, where=[True,False]) = [True, True]; any([0,2], where=[True,False]) = False
  assert.equal(L(np.all(np.array([[1, 0], [1, 1]]), { axis: 1, where: [true, false] })), '[true,true]');
  assert.equal(np.any(np.array([0, 2]), { where: [true, false] }).item(), false);
  // the mean over the kept entries (a[0,0] and a[1,1]) differentiates to 1/2 at each
  assert.equal(L(grad((x: NDArray) => np.nanmean(x, { where: m }))(a)), '[[0.5,0,0],[0,0.5,0]]');
});
