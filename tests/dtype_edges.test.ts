// dtype edges a probe found: np.average with int32/uint32 weights (summed in one inexact dtype, as
// jnp's promote_dtypes_inexact), np.unique on complex values with a NaN part (numpy's order, NaNs
// together), and a JS `initial` that does not fit an integer reduction's result (a ValueError,
// never saturated). Expected values are numpy 2.4's (run on the same inputs) unless said otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, jit, ValueError, TracerError, type Array as NDArray } from '../ts/index.ts';

type C = { re: number; im: number };
const c128 = (re: number[], im: number[]) => np.array(re.map((r, k) => ({ re: r, im: im[k] })), { dtype: 'complex128' });
const parts = (x: NDArray): number[][] => (x.tolist() as C[]).map((z) => [z.re, z.im]);
const L = (v: NDArray) => v.tolist();
const i32 = (x: number[]) => np.array(new Int32Array(x), { dtype: 'int32' });
const u32 = (x: number[]) => np.array(new Uint32Array(x), { dtype: 'uint32' });
const n = NaN;

test('np.average: int32 and uint32 weights are summed in the promoted float dtype, not wrapped', () => {
  // numpy: average([1, 3], weights=int32 [2e9, 2e9]) = 2.0, returned sum 4e9
  const a = np.array([1, 3]), w = i32([2e9, 2e9]);
  assert.equal(np.average(a, { weights: w }).item(), 2); // (was -27.12: the int32 sum wrapped)
  const [avg, total] = np.average(a, { weights: w, returned: true });
  assert.equal(avg.item(), 2);
  assert.equal(total.item(), 4e9); // (was -294967296)
  assert.equal(total.dtype, 'float32'); // jnp: promote_dtypes_inexact(float32, int32) = float32
  assert.equal(np.average(a, { weights: u32([3e9, 3e9]) }).item(), 2); // numpy: 2.0 (was 7.04)
  // float64 x: numpy's (2.0, 4e9), in float64 (jnp: float64 with int32 weights)
  const [a64, t64] = np.average(np.array([1, 3], { dtype: 'float64' }), { weights: w, returned: true });
  assert.equal(a64.dtype, 'float64'); assert.equal(t64.dtype, 'float64');
  assert.equal(a64.item(), 2); assert.equal(t64.item(), 4e9);
  // with an axis: numpy's average([[1,3],[5,7]], axis=1, weights=[[2e9,2e9],[1,3]], returned=True) = ([2, 6.5], [4e9, 4])
  const x2 = np.array([[1, 3], [5, 7]]), w2 = i32([2e9, 2e9, 1, 3]).reshape([2, 2]);
  const [ax, tx] = np.average(x2, { weights: w2, axis: 1, returned: true });
  assert.deepEqual(L(ax), [2, 6.5]); assert.deepEqual(L(tx), [4e9, 4]);
  // under jit: the same numbers
  const f = jit((x: NDArray, y: NDArray) => np.average(x, { weights: y, axis: 1, returned: true }));
  const [jx, jt] = f(x2, w2);
  assert.deepEqual(L(jx), [2, 6.5]); assert.deepEqual(L(jt), [4e9, 4]);
  assert.equal(jit((y: NDArray) => np.average(np.array([1, 3]), { weights: y }))(u32([3e9, 3e9])).item(), 2);
});

test('np.unique on complex values with a NaN part: numpy\'s order and one NaN with equalNan', () => {
  // x = [nan+0j, 0+nanj, nan+1j, 1+1j]
  const x = c128([n, 0, n, 1], [0, n, 1, 1]);
  // numpy (equal_nan=True): values [1+1j, 0+nanj], index [3, 1], inverse [1, 1, 1, 0], counts [1, 3]
  const [v, idx, inv, cnt] = np.unique(x, { returnIndex: true, returnInverse: true, returnCounts: true });
  assert.deepEqual(parts(v), [[1, 1], [0, n]]); // (was [0+nanj, 1+1j, nan+0j])
  assert.deepEqual(L(idx), [3, 1]); assert.deepEqual(L(inv), [1, 1, 1, 0]); assert.deepEqual(L(cnt), [1, 3]);
  // numpy (equal_nan=False): [1+1j, 0+nanj, nan+0j, nan+1j], index [3, 1, 0, 2], inverse [2, 1, 3, 0], counts [1, 1, 1, 1]
  const [v2, idx2, inv2, cnt2] = np.unique(x, { returnIndex: true, returnInverse: true, returnCounts: true, equalNan: false });
  assert.deepEqual(parts(v2), [[1, 1], [0, n], [n, 0], [n, 1]]);
  assert.deepEqual(L(idx2), [3, 1, 0, 2]); assert.deepEqual(L(inv2), [2, 1, 3, 0]); assert.deepEqual(L(cnt2), [1, 1, 1, 1]);
  // numpy: unique([1+1j, nan+2j, 0, 3+nanj, nan+nanj, 0]) = [0, 1+1j, 3+nanj], index [2, 0, 3], counts [2, 1, 3]
  const y = c128([1, n, 0, 3, n, 0], [1, 2, 0, n, n, 0]);
  const [v3, idx3, , cnt3] = np.unique(y, { returnIndex: true, returnInverse: true, returnCounts: true });
  assert.deepEqual(parts(v3), [[0, 0], [1, 1], [3, n]]); assert.deepEqual(L(idx3), [2, 0, 3]); assert.deepEqual(L(cnt3), [2, 1, 3]);
  // under jit with a static size: the same two values and counts
  const [jv, jc] = jit((z: NDArray) => np.unique(z, { size: 2, returnCounts: true }))(x);
  assert.deepEqual(parts(jv), [[1, 1], [0, n]]); assert.deepEqual(L(jc), [1, 3]);
});

test('np.unique with an axis on complex rows: numpy\'s order; equalNan makes rows with NaNs in the same places equal', () => {
  const x = c128([n, 0, n, 1], [0, n, 1, 1]).reshape([4, 1]);
  // numpy (axis=0, either equal_nan): [[1+1j], [0+nanj], [nan+0j], [nan+1j]], index [3, 1, 0, 2], inverse [2, 1, 3, 0]
  const [v, idx, inv] = np.unique(x, { axis: 0, returnIndex: true, returnInverse: true, equalNan: false });
  assert.deepEqual(parts(v.reshape([4])), [[1, 1], [0, n], [n, 0], [n, 1]]);
  assert.deepEqual(L(idx), [3, 1, 0, 2]); assert.deepEqual(L(inv), [2, 1, 3, 0]);
  // equalNan (jnp's, which numpy lacks with an axis): by hand, the three NaN rows are one, kept as the
  // first of them (index 0, nan+0j; jnp writes every NaN as nan+0j); was [[0+nanj], [1+1j], [nan+0j]]
  const [e, eidx, einv, ecnt] = np.unique(x, { axis: 0, returnIndex: true, returnInverse: true, returnCounts: true });
  assert.deepEqual(parts(e.reshape([2])), [[1, 1], [n, 0]]);
  assert.deepEqual(L(eidx), [3, 0]); assert.deepEqual(L(einv), [1, 1, 1, 0]); assert.deepEqual(L(ecnt), [1, 3]);
  // rows [0+nanj, 1], [nan+0j, 0], [nan+1j, 1]: by hand, the first and third are equal up to NaNs
  const r = c128([0, 1, n, 0, n, 1], [n, 0, 0, 0, 1, 0]).reshape([3, 2]);
  const [rv, rcnt] = np.unique(r, { axis: 0, returnCounts: true });
  assert.deepEqual(L(rcnt), [1, 2]);
  assert.deepEqual(parts(rv.reshape([4])), [[n, 0], [0, 0], [0, n], [1, 0]]);
});

test('a JS initial that does not fit an integer reduction\'s result is a ValueError; fractions truncate', () => {
  // numpy 2.4: OverflowError for each (sum of int32 is int32 here, as jnp's; numpy's int64 sum holds 2**31)
  assert.throws(() => np.prod(u32([2]), { initial: -1 }), { name: 'ValueError', message: /np\.prod: initial -1 does not fit in the uint32 result/ }); // (was 0)
  assert.throws(() => np.sum(i32([1]), { initial: 2 ** 31 }), ValueError); // (was -2147483648)
  assert.throws(() => np.max(u32([1, 2]), { initial: -1 }), /np\.max: initial -1 does not fit in the uint32/); // (was 2)
  assert.throws(() => np.min(i32([1, 2]), { initial: -(2 ** 31) - 1 }), ValueError);
  assert.throws(() => np.sum(u32([1, 2]), { initial: -1.5 }), /initial -1.5 does not fit/); // numpy: int(-1.5) = -1, OverflowError
  assert.throws(() => np.sum(i32([1, 2]), { initial: Infinity }), ValueError); // numpy: cannot convert float infinity to integer
  assert.throws(() => jit((x: NDArray) => np.prod(x, { initial: -1 }))(u32([2])), ValueError);
  // numpy: fractions truncate toward zero: sum(uint32 [1, 2], initial=1.5) = 4, initial=-0.5 -> 3; min(int32 [1, 2], initial=-1.5) = -1
  assert.equal(np.sum(u32([1, 2]), { initial: 1.5 }).item(), 4);
  assert.equal(np.sum(u32([1, 2]), { initial: -0.5 }).item(), 3);
  assert.equal(np.min(i32([1, 2]), { initial: -1.5 }).item(), -1);
  // the edges fit: numpy max(uint32 [1, 2], initial=4294967295) = 4294967295, min(int32 [1], initial=-2**31) = -2147483648
  assert.equal(np.max(u32([1, 2]), { initial: 2 ** 32 - 1 }).item(), 2 ** 32 - 1);
  assert.equal(np.min(i32([1]), { initial: -(2 ** 31) }).item(), -(2 ** 31));
  // a float result holds -1: numpy sum(uint32 [2], initial=-1, dtype=float32) = 1.0
  assert.equal(np.sum(u32([2]), { initial: -1, dtype: 'float32' }).item(), 1);
});

test('np.arraySplit takes a 0-d int Array count as numpy does (it refused 100 into 3); an abstract count or split points under jit is a TracerError (was a ValueError saying the Array must be a 0-d int32 Array)', () => {
  // numpy 2.4: [len(p) for p in np.array_split(np.ones(100), np.array(3))] == [34, 33, 33]
  assert.deepEqual(np.arraySplit(np.ones([100]), np.array(3, { dtype: 'int32' })).map((p: any) => p.shape[0]), [34, 33, 33]);
  assert.deepEqual(np.split(np.arange(6), np.array([1, 4], { dtype: 'int32' })).map((p: any) => p.shape[0]), [1, 3, 2]);
  assert.throws(() => jit((x: any, k: any) => np.split(x, k))(np.ones([6]), np.array(2, { dtype: 'int32' })), TracerError);
  assert.throws(() => np.arraySplit(np.ones([6]), np.array([1.5])), /sections given as an Array must be a 0-d \(a count\) or 1-d \(split points\) int32 Array/);
});
