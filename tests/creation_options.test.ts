// Creation functions take their options after the required arguments, as numpy's keywords.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, ValueError } from '../ts/index.ts';

test('eye, identity, tri, arange, linspace, full: options after the required arguments', () => {
  assert.equal(np.eye(4, { dtype: 'float64' }).dtype, 'float64');
  assert.deepEqual(np.eye(2, 3, { dtype: 'float64' }).tolist(), [[1, 0, 0], [0, 1, 0]]);
  assert.deepEqual(np.identity(2, { dtype: 'float64' }).tolist(), [[1, 0], [0, 1]]);
  assert.deepEqual(np.tri(3).tolist(), [[1, 0, 0], [1, 1, 0], [1, 1, 1]]);
  assert.deepEqual(np.tri(2, 3, 1, { dtype: 'float64' }).tolist(), [[1, 1, 0], [1, 1, 1]]);
  assert.deepEqual(np.tri(2, 3, -1).tolist(), [[0, 0, 0], [1, 0, 0]]);
  const a = np.arange(5, { dtype: 'float64' });
  assert.equal(a.dtype, 'float64');
  assert.deepEqual(a.tolist(), [0, 1, 2, 3, 4]);
  assert.deepEqual(np.arange(2, 5).tolist(), [2, 3, 4]);
  // JAX's dtypes: int32 for integer arguments, float32 otherwise (and past int32's range)
  assert.equal(np.arange(2, 5).dtype, 'int32');
  assert.equal(np.arange(1, 2, 0.25).dtype, 'float32');
  assert.equal(np.arange(3e9, 3e9 + 1024, 256).dtype, 'float32'); // (values float32 holds exactly)
  assert.equal(np.arange(4, { dtype: 'float64' }).dtype, 'float64');
  assert.deepEqual(np.arange(1, 2, 0.25).tolist(), [1, 1.25, 1.5, 1.75]);
  assert.deepEqual(np.arange(5, 1, -2, 'float64').tolist(), [5, 3]);
  assert.deepEqual(np.linspace(0, 1, 5).tolist(), [0, 0.25, 0.5, 0.75, 1]);
  assert.deepEqual(np.linspace(0, 1, { num: 4, endpoint: false }).tolist(), [0, 0.25, 0.5, 0.75]);
  assert.deepEqual(np.linspace(2, 3, 1).tolist(), [2]);
  assert.deepEqual(np.full([2], 7, { dtype: 'float64' }).tolist(), [7, 7]);
  assert.throws(() => np.arange(1, 2, 0), ValueError);
  assert.throws(() => np.tri(-1), ValueError);
  assert.throws(() => np.linspace(0, 1, -1), ValueError);
});

test("np.linspace takes numpy's axis: where the samples go among the result's axes (it was refused as an unknown option)", () => {
  // numpy: np.linspace([0, 10.], [1, 20.], 3, axis=1) and axis=-1 = [[0, .5, 1], [10, 15, 20]]; of 2x2 ends, axis 1 is (2, 5, 2)
  const s = np.array([0, 10], { dtype: 'float64' }), e = np.array([1, 20], { dtype: 'float64' });
  assert.deepEqual(np.linspace(s, e, 3, { axis: 1 }).tolist(), [[0, 0.5, 1], [10, 15, 20]]);
  assert.deepEqual(np.linspace(s, e, 3, { axis: -1 }).tolist(), [[0, 0.5, 1], [10, 15, 20]]);
  assert.deepEqual(np.linspace(s, e, 3).tolist(), [[0, 10], [0.5, 15], [1, 20]]);
  const z = np.zeros([2, 2], { dtype: 'float64' });
  assert.deepEqual(np.linspace(z, np.ones([2, 2], { dtype: 'float64' }), 5, { axis: 1 }).shape, [2, 5, 2]);
  assert.deepEqual(np.linspace(0, 1, 3, { axis: -1 }).tolist(), [0, 0.5, 1]);
  assert.throws(() => np.linspace(s, e, 3, { axis: 2 }), /np\.linspace: axis 2 is out of bounds/);
  assert.throws(() => np.linspace(0, 1, 3, { axis: 1 }), /np\.linspace: axis 1 is out of range/);
});

test('triuIndices and trilIndices take k and m as options too, as np.tri and np.eye take k', () => {
  // ({ k: -1 }) was "k must be an integer, got an object { k }"; numpy: tril_indices(3, -1), triu_indices(3, 1, 4)
  const lists = (p: [unknown, unknown]) => p.map((a: any) => a.tolist());
  assert.deepEqual(lists(np.trilIndices(3, { k: -1 })), [[1, 2, 2], [0, 0, 1]]);
  assert.deepEqual(lists(np.triuIndices(3, { k: 1, m: 4 })), [[0, 0, 0, 1, 1, 2], [1, 2, 3, 2, 3, 3]]);
  assert.deepEqual(lists(np.triuIndices(3, 1, 4)), [[0, 0, 0, 1, 1, 2], [1, 2, 3, 2, 3, 3]]);
  assert.throws(() => np.triuIndices(3, { kk: 1 } as any), /unknown option 'kk'/);
  assert.throws(() => np.trilIndices(3, { k: 1 }, 4), /no third argument/);
});
