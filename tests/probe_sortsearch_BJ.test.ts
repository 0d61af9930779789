// helper-286's probe of the order-based functions against numpy 2.4 (sort/argsort, lexsort,
// partition, searchsorted, digitize, unique and the set functions, histogram, bincount, the
// quantiles, argmax/argmin, cummax/cummin, topK: ~670 cases, these are the ones that failed).
// Expected values are numpy 2.4's, pasted as literals (python3 -c "import numpy as np; ...").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, jit } from '../ts/index.ts';

test('searchsorted: an integer a beside a JS float or float32 v compares in float64 (numpy)', () => {
  const a = np.array([0, 1, 2 ** 31, 2 ** 32 - 2, 2 ** 32 - 1], { dtype: 'uint32' });
  // np.searchsorted(np.array([0,1,2**31,2**32-2,2**32-1],'uint32'), 4294967295.5) -> 5
  assert.equal(np.searchsorted(a, 4294967295.5).item(), 5);
  // ..., [4294967294.5], 'right' -> [4]
  assert.deepEqual(np.searchsorted(a, [4294967294.5], 'right').tolist(), [4]);
  const b = np.array([16777217, 16777219], { dtype: 'int32' });
  // np.searchsorted(np.int32([16777217, 16777219]), 16777216.5, 'right') -> 0
  assert.equal(np.searchsorted(b, 16777216.5, 'right').item(), 0);
  // float32 a, int32 v: np.searchsorted(np.float32([16777216]), np.int32([16777217])) -> [1]
  const f = np.array([16777216], { dtype: 'float32' }), v = np.array([16777217], { dtype: 'int32' });
  assert.deepEqual(np.searchsorted(f, v).tolist(), [1]);
  assert.deepEqual(jit((p: any, q: any) => np.searchsorted(p, q))(f, v).tolist(), [1]);
  assert.deepEqual(jit((p: any) => np.searchsorted(p, 16777216.5, 'right'))(b).tolist(), 0);
});

test('isin: an integer Array beside a float32 one compares in float64 (numpy)', () => {
  const e = np.array([16777216, 16777217], { dtype: 'int32' }), t = np.array([16777217], { dtype: 'float32' });
  // np.isin(np.int32([16777216, 16777217]), np.float32([16777217])) -> [True, False]
  // (float32(16777217) is 16777216)
  assert.deepEqual(np.isin(e, t).tolist(), [true, false]);
  assert.deepEqual(np.isin(e, t, { invert: true }).tolist(), [false, true]);
  assert.deepEqual(jit((p: any, q: any) => np.isin(p, q))(e, t).tolist(), [true, false]);
  // np.isin(np.float32([16777216, 3]), np.int32([16777217, 3])) -> [False, True]
  assert.deepEqual(np.isin(np.array([16777216, 3], { dtype: 'float32' }), np.array([16777217, 3], { dtype: 'int32' })).tolist(), [false, true]);
});
