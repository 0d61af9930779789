// np.setdiff1d / union1d / intersect1d / setxor1d (NaN, assumeUnique, returnIndices, promotion,
// jnp's size and fillValue under jit and vmap), insert / delete, trimZeros, ediff1d, compress,
// extract, resize, unstack and diagflat. Every expected value is numpy 2.4's (run on the same
// inputs), except the padding past the count with `size`, which numpy lacks: there the values are
// jnp's documented ones (fillValue; by default 0 for setdiff1d and compress, the smallest result
// for union1d, intersect1d and setxor1d; indices padded with the input's size). Derivatives by
// checkGrads (float64 finite differences).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  np, jit, vmap, checkGrads, ValueError, DTypeError, ShapeError, TracerError, IndexError, AxisError, type Array as NDArray,
} from '../ts/index.ts';

const f64 = (x: any) => np.array(x, { dtype: 'float64' });
const i32 = (x: any) => np.array(x, { dtype: 'int32' });
const L = (v: NDArray) => v.tolist();
const Ls = (vs: NDArray[]) => vs.map(L);
const n = NaN;

test('set operations: numpy\'s sorted values, NaN handling, assumeUnique, flattening and dtype promotion', () => {
  // numpy: setdiff1d([5,1,3,1,nan,nan], [3,7,nan]) = [1, 5, nan] (NaN is in nothing, unique keeps one)
  const d = np.setdiff1d(f64([5, 1, 3, 1, n, n]), f64([3, 7, n]));
  assert.equal(d.dtype, 'float64'); assert.deepEqual(L(d), [1, 5, NaN]);
  assert.deepEqual(L(np.setdiff1d(i32([3, 1, 2, 1]), i32([2]))), [1, 3]);
  assert.deepEqual(L(np.setdiff1d(i32([[4, 1], [1, 9]]), i32([9, 2]))), [1, 4]); // (flattened)
  // assumeUnique: ar1's order kept (numpy's), positional or as an option
  assert.deepEqual(L(np.setdiff1d(i32([5, 1, 3, 2]), i32([3, 7]), true)), [5, 1, 2]);
  assert.deepEqual(L(np.setdiff1d(i32([5, 1, 3, 2]), i32([3, 7]), { assumeUnique: true })), [5, 1, 2]);
  // ar1's dtype, membership in the common dtype: numpy's [1, 3] int32
  const p = np.setdiff1d(i32([1, 2, 3]), f64([1.5, 2.0]));
  assert.equal(p.dtype, 'int32'); assert.deepEqual(L(p), [1, 3]);

  const u = np.union1d(f64([5, 1, n]), f64([3, n, 1]));
  assert.deepEqual(L(u), [1, 3, 5, NaN]);
  assert.deepEqual(L(np.union1d(i32([[4, 2], [2, 0]]), i32([7, -1]))), [-1, 0, 2, 4, 7]);
  const up = np.union1d(i32([3, 1]), f64([2, 2]));
  assert.equal(up.dtype, 'float64'); assert.deepEqual(L(up), [1, 2, 3]);

  assert.deepEqual(L(np.intersect1d(i32([3, 1, 2, 1]), i32([1, 2, 5]))), [1, 2]);
  assert.deepEqual(Ls(np.intersect1d(f64([5, 1, 3, 1, n]), f64([1, n, 3, 3]), { returnIndices: true })), [[1, 3], [1, 2], [0, 2]]);
  assert.deepEqual(Ls(np.intersect1d(f64([3, 1, 2]), f64([2, 3, 9]), false, true)), [[2, 3], [2, 0], [0, 1]]);
  // assumeUnique: numpy's adjacent pairs of the sorted concatenation (its duplicates show)
  assert.deepEqual(L(np.intersect1d(i32([1, 1, 2]), i32([1]), true)), [1, 1]);
  assert.deepEqual(Ls(np.intersect1d(i32([1, 4, 2]), i32([2, 1]), { assumeUnique: true, returnIndices: true })), [[1, 2], [0, 2], [1, 0]]);
  assert.deepEqual(L(np.intersect1d([true, false], [true])), [true]);

  assert.deepEqual(L(np.setxor1d(f64([5, 1, 3, 1, n]), f64([1, n, 4, 4]))), [3, 4, 5, NaN, NaN]);
  assert.deepEqual(L(np.setxor1d(i32([3, 1, 2, 1]), i32([2, 5]))), [1, 3, 5]);
  assert.deepEqual(L(np.setxor1d(i32([1, 1, 2]), i32([3]), true)), [2, 3]);
  assert.deepEqual(L(np.setxor1d(f64([2]), f64([]))), [2]);
  // complex: numpy's lexicographic order, [5j, 1+1j, 2]; null is numpy's None (assume_unique=None)
  const cx = np.union1d(np.array([{ re: 1, im: 1 }, { re: 2, im: 0 }, { re: 1, im: 1 }], { dtype: 'complex64' }), np.array([{ re: 0, im: 5 }], { dtype: 'complex64' }));
  assert.deepEqual(cx.tolist(), [{ re: 0, im: 5 }, { re: 1, im: 1 }, { re: 2, im: 0 }]);
  assert.deepEqual(L(np.setdiff1d(f64([3, 1]), f64([1]), null)), [3]);
  // empty inputs: numpy's []
  for (const r of [np.setdiff1d(f64([]), f64([1])), np.intersect1d(f64([]), f64([1])), np.setxor1d(f64([]), f64([])), np.union1d(f64([]), f64([]))]) assert.deepEqual(L(r), []);
  // jnp's docstring example, numpy's values too
  const a = i32([1, 2, 3, 4]), b = i32([3, 4, 5, 6]);
  assert.deepEqual([L(np.setdiff1d(a, b)), L(np.union1d(a, b)), L(np.intersect1d(a, b)), L(np.setxor1d(a, b))], [[1, 2], [1, 2, 3, 4, 5, 6], [3, 4], [1, 2, 5, 6]]);
});

test('set operations with size: jnp\'s padding and truncation, under jit and vmap; TracerError without size', () => {
  const a = i32([1, 2, 3, 4]), b = i32([3, 4, 5, 6]);
  // jnp's documented examples
  assert.deepEqual(L(jit((x: NDArray, y: NDArray) => np.setdiff1d(x, y, { size: 4, fillValue: 0 }))(a, b)), [1, 2, 0, 0]);
  assert.deepEqual(L(jit((x: NDArray, y: NDArray) => np.setdiff1d(x, y, { size: 1 }))(a, b)), [1]);
  assert.deepEqual(L(jit((x: NDArray, y: NDArray) => np.union1d(x, y, { size: 8, fillValue: 0 }))(a, b)), [1, 2, 3, 4, 5, 6, 0, 0]);
  assert.deepEqual(L(jit((x: NDArray, y: NDArray) => np.union1d(x, y, { size: 4 }))(a, b)), [1, 2, 3, 4]);
  // default fills: 0 (setdiff1d), the smallest result (the others); indices padded with the sizes
  const x = f64([3, 1, 2]), y = f64([2, 3, 9]);
  assert.deepEqual(L(jit((p: NDArray, q: NDArray) => np.setdiff1d(p, q, { size: 3 }))(x, y)), [1, 0, 0]);
  assert.deepEqual(L(jit((p: NDArray, q: NDArray) => np.union1d(p, q, { size: 6 }))(x, f64([2, 2]))), [1, 2, 3, 1, 1, 1]);
  assert.deepEqual(L(jit((p: NDArray, q: NDArray) => np.setxor1d(p, q, { size: 4 }))(x, y)), [1, 9, 1, 1]);
  assert.deepEqual(L(jit((p: NDArray, q: NDArray) => np.setxor1d(p, q, { size: 3, fillValue: -5 }))(x, y)), [1, 9, -5]);
  assert.deepEqual(Ls(jit((p: NDArray, q: NDArray) => np.intersect1d(p, q, { size: 3, returnIndices: true }))(x, y)), [[2, 3, 2], [2, 0, 3], [0, 1, 3]]);
  assert.deepEqual(Ls(jit((p: NDArray, q: NDArray) => np.intersect1d(p, q, { size: 3, returnIndices: true, assumeUnique: true }))(x, y)), [[2, 3, 2], [2, 0, 3], [0, 1, 3]]);
  assert.deepEqual(L(np.intersect1d(f64([1, 2]), f64([5]), { size: 2 })), [0, 0]); // (no result: jnp pads with 0)
  // eager with size gives the same
  assert.deepEqual(L(np.setxor1d(x, y, { size: 4 })), [1, 9, 1, 1]);
  // vmap: each row numpy's setdiff1d([3,1,2,1],[2]) = [1,3] and setdiff1d([7,3,5,3],[2]) = [3,5,7], padded with 0
  const rows = i32([[3, 1, 2, 1], [7, 3, 5, 3]]);
  assert.deepEqual(L(vmap((r: NDArray) => np.setdiff1d(r, i32([2]), { size: 3 }))(rows)), [[1, 3, 0], [3, 5, 7]]);
  assert.deepEqual(L(vmap((r: NDArray) => np.union1d(r, i32([2]), { size: 4, fillValue: -1 }))(rows)), [[1, 2, 3, -1], [2, 3, 5, 7]]);
  assert.deepEqual(L(vmap((r: NDArray) => np.intersect1d(r, i32([3, 7]), { size: 2 }))(rows)), [[3, 3], [3, 7]]);
  for (const [name, fn] of [['setdiff1d', np.setdiff1d], ['union1d', np.union1d], ['intersect1d', np.intersect1d], ['setxor1d', np.setxor1d]] as const) {
    assert.throws(() => jit((p: NDArray, q: NDArray) => (fn as any)(p, q))(x, y),
      (e: Error) => e instanceof TracerError && new RegExp(`np\\.${name}: .*pass a static \\{ size \\}`).test(e.message), name);
  }
  assert.throws(() => np.setdiff1d(x, y, { fillValue: 1 }), (e: Error) => e instanceof ValueError && /np\.setdiff1d: fillValue needs a size/.test(e.message));
  assert.throws(() => np.union1d(x, y, { size: -1 }), (e: Error) => e instanceof ValueError && /np\.union1d: size must be a non-negative integer/.test(e.message));
  assert.throws(() => np.setxor1d(x, y, { size: 2, fillValue: [1, 2] }), /np\.setxor1d: fillValue must be a scalar/);
  assert.throws(() => np.intersect1d(x, y, { returnIndex: true } as any), /np\.intersect1d: unknown option 'returnIndex'/);
  assert.throws(() => (np.union1d as any)(x, y, {}, 1), (e: Error) => e instanceof ValueError && /np\.union1d: takes at most 3/.test(e.message));
});

test('np.insert: numpy\'s placement and broadcasting of values, slices, traced indices (jnp\'s), derivatives', () => {
  assert.deepEqual(L(np.insert(i32([1, 2, 3]), 1, [10, 20])), [1, 10, 20, 2, 3]);
  assert.deepEqual(L(np.insert(i32([[1, 2], [3, 4]]), 1, [10, 20], { axis: 1 })), [[1, 10, 2], [3, 20, 4]]);
  assert.deepEqual(L(np.insert(i32([[1, 2], [3, 4]]), [1], [10, 20], 1)), [[1, 10, 20, 2], [3, 10, 20, 4]]); // (numpy's quirk of a one-index list)
  assert.deepEqual(L(np.insert(i32([1, 2, 3]), [0, 2, 2, -1], [7, 8, 9, 10])), [7, 1, 2, 8, 9, 10, 3]);
  assert.deepEqual(L(np.insert(i32([1, 2, 3]), '::2', 0)), [0, 1, 2, 0, 3]);
  assert.deepEqual(L(np.insert(i32([1, 2, 3]), { step: 2 }, 0)), [0, 1, 2, 0, 3]);
  assert.deepEqual(L(np.insert(f64([[1, 2], [3, 4]]), 1, 7)), [1, 7, 2, 3, 4]); // (axis null: flattened)
  assert.deepEqual(L(np.insert(f64([[1, 2], [3, 4]]), 0, 9, { axis: 0 })), [[9, 9], [1, 2], [3, 4]]);
  assert.deepEqual(L(np.insert(f64([[1, 2], [3, 4]]), 2, [5, 6], { axis: 0 })), [[1, 2], [3, 4], [5, 6]]);
  assert.deepEqual(L(np.insert(f64([[1, 2], [3, 4]]), [0, 2], [[5], [6]], { axis: 1 })), [[5, 1, 2, 5], [6, 3, 4, 6]]);
  assert.deepEqual(L(np.insert(f64([[1, 2, 3], [4, 5, 6]]), [1, 3], [[-1], [-2]], { axis: 1 })), [[1, -1, 2, 3, -1], [4, -2, 5, 6, -2]]);
  const ins = np.insert(i32([1, 2]), 0, 3.7);
  assert.equal(ins.dtype, 'int32'); assert.deepEqual(L(ins), [3, 1, 2]); // (values take arr's dtype, as numpy's)
  // an int32 Array obj, concrete or traced under jit (same numpy values)
  assert.deepEqual(L(np.insert(i32([1, 2, 3]), i32([0, 2, 2, -1]), i32([7, 8, 9, 10]))), [7, 1, 2, 8, 9, 10, 3]);
  assert.deepEqual(L(jit((o: NDArray) => np.insert(i32([1, 2, 3]), o, i32([7, 8, 9, 10])))(i32([0, 2, 2, -1]))), [7, 1, 2, 8, 9, 10, 3]);
  assert.deepEqual(L(jit((o: NDArray) => np.insert(f64([[1, 2, 3], [4, 5, 6]]), o, f64([[-1], [-2]]), { axis: 1 }))(i32([1, 3]))), [[1, -1, 2, 3, -1], [4, -2, 5, 6, -2]]);
  assert.deepEqual(L(jit((o: NDArray) => np.insert(i32([1, 2, 3]), o, i32([10, 20])))(i32(1))), [1, 10, 20, 2, 3]);
  // vmap over arr (numpy's insert(row, 1, 0) per row)
  assert.deepEqual(L(vmap((r: NDArray) => np.insert(r, 1, 0))(f64([[1, 2], [3, 4]]))), [[1, 0, 2], [3, 0, 4]]);
  // derivatives w.r.t. arr and values
  checkGrads((p: NDArray, v: NDArray) => np.insert(p, [0, 2, 2], v, { axis: 1 }), [f64([[1, 2, 3], [4, 5, 6]]), f64([[0.5, -1, 2], [3, 1, 7]])], { order: 2 });
  checkGrads((p: NDArray, v: NDArray) => np.insert(p, 1, v), [f64([1, 2, 3]), f64([4, 5])], { order: 2 });
  assert.throws(() => np.insert(i32([1, 2, 3]), 4, 0), (e: Error) => e instanceof IndexError && /np\.insert: index 4 is out of bounds for axis 0 with size 3/.test(e.message));
  assert.throws(() => np.insert(i32([1, 2, 3]), [[0, 1]] as any, 0), (e: Error) => e instanceof ValueError && /np\.insert: obj must be a slice, a one-dimensional/.test(e.message));
  assert.throws(() => np.insert(f64([[1, 2], [3, 4]]), [0, 1], [[1, 2, 3]], { axis: 1 }), (e: Error) => e instanceof ShapeError && /np\.insert: values float64\[1,3\] cannot be broadcast to the inserted block float64\[2,2\]/.test(e.message));
  assert.throws(() => np.insert(f64([1, 2]), 0, 1, { axis: 1 }), (e: Error) => e instanceof AxisError && /np\.insert/.test(e.message));
  assert.throws(() => np.insert(f64([1, 2]), 0.5 as any, 1), (e: Error) => e instanceof IndexError && /np\.insert: index 0.5 is not an integer/.test(e.message));
  assert.throws(() => np.insert(f64([1, 2]), f64([0]) as any, 1), (e: Error) => e instanceof DTypeError && /np\.insert: obj must hold integers/.test(e.message));
});

test('np.delete: numpy\'s indices, repeats, negatives, slices and bool masks; exported as delete; derivatives', () => {
  assert.equal(typeof np.delete, 'function');
  assert.deepEqual(L(np.delete(i32([[1, 2, 3], [4, 5, 6]]), [0, 2, 0], { axis: 1 })), [[2], [5]]);
  assert.deepEqual(L(np.delete(np.arange(6), '1::2')), [0, 2, 4]);
  assert.deepEqual(L(np.delete(np.arange(4), [true, false, true, false])), [1, 3]);
  assert.deepEqual(L(np.delete(f64([[1, 2], [3, 4], [5, 6]]), -1, 0)), [[1, 2], [3, 4]]);
  assert.deepEqual(L(np.delete(f64([[1, 2], [3, 4]]), [1, 0])), [3, 4]); // (axis null: flattened)
  assert.deepEqual(L(np.delete(f64([[1, 2, 3], [4, 5, 6]]), 1, 0)), [[1, 2, 3]]);
  assert.deepEqual(L(np.delete(f64([[1, 2, 3], [4, 5, 6]]), i32([0, 2]), { axis: 1 })), [[2], [5]]);
  // jit with a static obj; vmap over arr
  assert.deepEqual(L(jit((p: NDArray) => np.delete(p, [0, 2], { axis: 1 }))(f64([[1, 2, 3], [4, 5, 6]]))), [[2], [5]]);
  assert.deepEqual(L(vmap((r: NDArray) => np.delete(r, 0))(f64([[1, 2, 3], [4, 5, 6]]))), [[2, 3], [5, 6]]);
  checkGrads((p: NDArray) => np.delete(p, [0, -1], { axis: 1 }), [f64([[1, 2, 3], [4, 5, 6]])], { order: 2 });
  assert.throws(() => np.delete(np.arange(4), 4), (e: Error) => e instanceof IndexError && /np\.delete: index 4 is out of bounds for axis 0 with size 4/.test(e.message));
  assert.throws(() => np.delete(np.arange(4), [1, 5]), (e: Error) => e instanceof IndexError && /index 5 is out of bounds/.test(e.message));
  assert.throws(() => np.delete(np.arange(4), [true, false]), (e: Error) => e instanceof ValueError && /np\.delete: a boolean obj must be 1-d with the length of axis 0 \(4\)/.test(e.message));
  assert.throws(() => jit((o: NDArray) => np.delete(np.arange(4), o))(i32([1])), (e: Error) => e instanceof TracerError && /np\.delete: obj's values are not concrete/.test(e.message));
  assert.throws(() => np.delete(np.arange(4), '1:2:0'), (e: Error) => e instanceof ValueError && /np\.delete: slice step cannot be zero/.test(e.message));
});

test('np.trimZeros and np.ediff1d: numpy\'s values, promotion as jnp, derivatives', () => {
  assert.deepEqual(L(np.trimZeros(f64([0, 0, 1, 0, 2, 0, 0]), 'f')), [1, 0, 2, 0, 0]);
  assert.deepEqual(L(np.trimZeros(f64([0, 3, 0, 4, 0]), 'b')), [0, 3, 0, 4]);
  assert.deepEqual(L(np.trimZeros(f64([0, 3, 0, 4, 0]))), [3, 0, 4]);
  assert.deepEqual(L(np.trimZeros(i32([0, 1, 0]), 'FB')), [1]);
  assert.deepEqual(L(np.trimZeros(f64([0, 0]))), []);
  // (the zeros held at zero, so finite differences keep the trimmed length)
  checkGrads((v: NDArray) => np.trimZeros(np.multiply(v, f64([0, 1, 0, 1, 0]))), [f64([0.5, 3, 2, 4, 1])], { order: 2 });
  assert.throws(() => np.trimZeros(f64([0, 1]), 'bbf'), (e: Error) => e instanceof ValueError && /np\.trimZeros: trim must be 'f', 'b' or 'fb'/.test(e.message));
  assert.throws(() => np.trimZeros(f64([[0, 1]])), (e: Error) => e instanceof ValueError && /np\.trimZeros: filt must be 1-d.*float64\[1,2\]/.test(e.message));
  assert.throws(() => jit((v: NDArray) => np.trimZeros(v))(f64([0, 1])), (e: Error) => e instanceof TracerError && /np\.trimZeros: the output's length depends on the values/.test(e.message));

  assert.deepEqual(L(np.ediff1d(f64([[1, 4], [9, 16]]))), [3, 5, 7]);
  assert.deepEqual(L(np.ediff1d(f64([1]))), []);
  assert.deepEqual(L(np.ediff1d(f64([5, 2, 1]), f64([100, 200]))), [-3, -1, 100, 200]);
  assert.deepEqual(L(np.ediff1d(f64([1, 4, 9]), { toBegin: -1, toEnd: [0, 0] })), [-1, 3, 5, 0, 0]);
  assert.deepEqual(L(np.ediff1d(f64([1, 4, 9]), [0, 0], -1)), [-1, 3, 5, 0, 0]);
  const ip = np.ediff1d(i32([1, 2, 4]), { toBegin: 0.5 });
  assert.equal(ip.dtype, 'float32'); assert.deepEqual(L(ip), [0.5, 1, 2]); // (jnp promotes; numpy refuses the cast)
  const ii = np.ediff1d(i32([1, 2, 4]), 9, [7, 8]);
  assert.equal(ii.dtype, 'int32'); assert.deepEqual(L(ii), [7, 8, 1, 2, 9]);
  checkGrads((v: NDArray, e: NDArray) => np.ediff1d(v, { toEnd: e, toBegin: v }), [f64([[1, 4], [9, 16.5]]), f64([2, -3])], { order: 2 });
  assert.deepEqual(L(vmap((v: NDArray) => np.ediff1d(v))(f64([[1, 4, 9], [0, 0, 1]]))), [[3, 5], [0, 1]]);
  assert.throws(() => np.ediff1d([true, false]), (e: Error) => e instanceof DTypeError && /np\.ediff1d: ary may not be bool/.test(e.message));
  assert.throws(() => np.ediff1d(f64([1, 2]), { toEnd: 1 }, 2 as any), /np\.ediff1d: give toEnd, toBegin in one options object/);
});

test('np.compress and np.extract: numpy\'s selections, jnp\'s size and fillValue under jit and vmap, derivatives', () => {
  const m = f64([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(L(np.compress([0, 1, 1], i32([[1, 2], [3, 4], [5, 6]]), 0)), [[3, 4], [5, 6]]);
  assert.deepEqual(L(np.compress([true, false], i32([[1, 2], [3, 4]]))), [1]); // (flattened; a short condition drops the rest)
  assert.deepEqual(L(np.compress([false, true, true], m, { axis: 1 })), [[2, 3], [5, 6]]);
  assert.deepEqual(L(np.compress([1, 0, 1], m, { axis: -1 })), [[1, 3], [4, 6]]);
  assert.deepEqual(L(np.extract([[1, 0], [0, 1]], i32([[1, 2], [3, 4]]))), [1, 4]);
  // size: the first `size` selections, the rest fillValue (jnp's, default 0)
  assert.deepEqual(L(jit((c: NDArray, a: NDArray) => np.compress(c, a, { size: 3, fillValue: -1 }))(np.array([true, false, true]), f64([1, 2, 3]))), [1, 3, -1]);
  assert.deepEqual(L(jit((c: NDArray) => np.compress(c, m, { axis: 1, size: 2 }))(np.array([false, false, true]))), [[3, 0], [6, 0]]);
  assert.deepEqual(L(jit((c: NDArray, a: NDArray) => np.extract(c, a, { size: 3 }))(np.array([[true, false], [false, true]]), i32([[1, 2], [3, 4]]))), [1, 4, 0]);
  assert.deepEqual(L(vmap((c: NDArray) => np.compress(c, f64([1, 2, 3]), { size: 2, fillValue: 9 }))(np.array([[true, false, true], [false, true, false]]))), [[1, 3], [2, 9]]);
  checkGrads((a: NDArray) => np.compress([true, false, true], a, { axis: 1 }), [m], { order: 2 });
  checkGrads((a: NDArray) => np.extract([[true, false, true], [false, true, false]], a), [m], { order: 2 });
  assert.throws(() => jit((c: NDArray) => np.compress(c, f64([1, 2])))(np.array([true, false])), (e: Error) => e instanceof TracerError && /np\.compress: .*pass a static \{ size \}/.test(e.message));
  assert.throws(() => np.compress([0, 1, 1, 1], f64([1, 2])), (e: Error) => e instanceof IndexError && /np\.compress: condition \(4 entries\) is true at 2, out of bounds for axis 0 with size 2/.test(e.message));
  assert.throws(() => np.compress([[1, 0]], f64([1, 2])), (e: Error) => e instanceof ValueError && /np\.compress: condition must be 1-d/.test(e.message));
  assert.throws(() => np.extract([1, 0], f64([1, 2]), { size: 2, fillValue: [1, 2] }), /np\.extract: fillValue must be a scalar/);
});

test('np.resize, np.unstack, np.diagflat: numpy\'s values, derivatives, jit and vmap', () => {
  assert.deepEqual(L(np.resize(i32([1, 2, 3]), [2, 4])), [[1, 2, 3, 1], [2, 3, 1, 2]]);
  assert.deepEqual(L(np.resize(f64([[1, 2], [3, 4]]), [3, 3])), [[1, 2, 3], [4, 1, 2], [3, 4, 1]]);
  assert.deepEqual(L(np.resize(f64([1, 2, 3, 4]), 3)), [1, 2, 3]);
  assert.deepEqual(L(np.resize(f64([]), 2)), [0, 0]);
  checkGrads((a: NDArray) => np.resize(a, [3, 3]), [f64([[1, 2], [3, 4]])], { order: 2 });
  assert.deepEqual(L(jit((a: NDArray) => np.resize(a, [2, 4]))(i32([1, 2, 3]))), [[1, 2, 3, 1], [2, 3, 1, 2]]);
  assert.throws(() => np.resize(f64([1]), [2, -1]), (e: Error) => e instanceof ValueError && /np\.resize: all elements of newShape must be non-negative/.test(e.message));

  const x = np.reshape(np.arange(6, { dtype: 'float64' }), [2, 3]);
  assert.deepEqual(Ls(np.unstack(x)), [[0, 1, 2], [3, 4, 5]]);
  assert.deepEqual(Ls(np.unstack(x, { axis: -1 })), [[0, 3], [1, 4], [2, 5]]);
  assert.deepEqual(Ls(np.unstack(x, 1)), [[0, 3], [1, 4], [2, 5]]);
  checkGrads((a: NDArray) => np.stack(np.unstack(a, { axis: 1 }).map((r, k) => np.multiply(r, k + 1))), [x], { order: 2 });
  assert.deepEqual(Ls(jit((a: NDArray) => np.unstack(a))(x)), [[0, 1, 2], [3, 4, 5]]);
  assert.throws(() => np.unstack(f64(3)), (e: Error) => e instanceof ValueError && /np\.unstack: x must have at least 1 dimension/.test(e.message));
  assert.throws(() => np.unstack(x, { axis: 2 }), (e: Error) => e instanceof AxisError && /np\.unstack/.test(e.message));

  assert.deepEqual(L(np.diagflat(f64([1, 2]))), [[1, 0], [0, 2]]);
  assert.deepEqual(L(np.diagflat(f64([[1, 2]]), 1)), [[0, 1, 0], [0, 0, 2], [0, 0, 0]]);
  assert.deepEqual(L(np.diagflat(i32([[1, 2], [3, 4]]), { k: -1 })), [[0, 0, 0, 0, 0], [1, 0, 0, 0, 0], [0, 2, 0, 0, 0], [0, 0, 3, 0, 0], [0, 0, 0, 4, 0]]);
  checkGrads((v: NDArray) => np.diagflat(v, -1), [f64([[1, 2], [3, 4]])], { order: 2 });
  assert.deepEqual(L(vmap((v: NDArray) => np.diagflat(v))(f64([[1, 2], [3, 4]]))), [[[1, 0], [0, 2]], [[3, 0], [0, 4]]]);
  assert.throws(() => np.diagflat(f64([1]), 0.5), (e: Error) => e instanceof ValueError && /np\.diagflat: k must be an integer/.test(e.message));
});
