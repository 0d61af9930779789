// JAX names that were missing (a bare JS TypeError "is not a function"): np.ndim / shape / size /
// isscalar / iscomplex / isreal / isdtype, fillDiagonal, diagIndices(From), tril/triuIndicesFrom,
// rollaxis, uniqueValues / uniqueCounts / uniqueInverse / uniqueAll, bitwiseInvert /
// bitwiseLeftShift / bitwiseRightShift, the windows hanning / hamming / blackman / bartlett /
// kaiser; lax.square / rsqrt / reciprocal / logistic / broadcast / broadcastedIota / fullLike /
// sliceInDim / indexInDim / reduceProd / reduceAnd / reduceOr / reduceXor / dot. Expected values
// are numpy 2.4's (python3, same inputs) pasted as literals, or hand-derived where noted;
// derivatives by checkGrads (float64 finite differences).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  np, lax, jit, checkGrads, ValueError, DTypeError, ShapeError, AxisError, IndexError, type Array as NDArray,
} from '../ts/index.ts';

const f64 = (x: any) => np.array(x, { dtype: 'float64' });
const f32 = (x: any) => np.array(x, { dtype: 'float32' });
const i32 = (x: any) => np.array(x, { dtype: 'int32' });
const L = (v: NDArray) => v.tolist();
const close = (a: NDArray, want: number[], tol = 1e-6) => {
  const got = (a.tolist() as any).flat(Infinity) as number[];
  assert.equal(got.length, want.length, `${got} vs ${want}`);
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= tol * Math.max(1, Math.abs(want[i])) || g === want[i], `${i}: ${g} vs ${want[i]}`));
};

test('np.ndim / shape / size on Arrays, JS numbers and nested lists', () => {
  // numpy: ndim([[1,2],[3,4]]) = 2, shape([[1,2,3]]) = (1, 3), size([[1,2,3]], 1) = 3, ndim(3) = 0, shape(3) = (), size(3) = 1
  assert.equal(np.ndim([[1, 2], [3, 4]]), 2);
  assert.deepEqual(np.shape([[1, 2, 3]]), [1, 3]);
  assert.equal(np.size([[1, 2, 3]], 1), 3);
  assert.equal(np.ndim(3), 0); assert.deepEqual(np.shape(3), []); assert.equal(np.size(3), 1);
  const z = np.zeros([2, 3, 4]);
  assert.equal(np.ndim(z), 3); assert.deepEqual(np.shape(z), [2, 3, 4]); assert.equal(np.size(z), 24);
  assert.equal(np.size(z, -1), 4);
  assert.equal(np.size(z, [0, 2]), 8); // numpy 2.4: size(zeros((2,3,4)), (0, 2)) = 8
  // static under jit: the shape of a traced Array
  const f = jit((x: NDArray) => np.multiply(x, np.size(x, 0) + np.ndim(x)));
  assert.deepEqual(L(f(f32([1, 2]))), [3, 6]);
  assert.throws(() => np.size(z, 3), AxisError, /np\.size: axis 3 is out of bounds/);
  // numpy: size(zeros((2,3,4)), (0, 0)) raises 'repeated axis' (it gave 4)
  assert.throws(() => np.size(z, [0, -3]), AxisError, /np\.size: repeated axis in \[0,-3\]/);
  assert.throws(() => np.shape([[1, 2], [3]]), ShapeError, /np\.shape: .*ragged/);
});

test('np.isscalar (jnp: a 0-d Array is a scalar), np.iscomplex / np.isreal elementwise, np.isdtype', () => {
  // jnp.isscalar(3) True, jnp.isscalar(jnp.array(3)) True (numpy: False), isscalar([3]) False
  assert.equal(np.isscalar(3), true); assert.equal(np.isscalar(np.array(3)), true);
  assert.equal(np.isscalar([3]), false); assert.equal(np.isscalar(np.array([3])), false);
  // numpy: iscomplex([1+0j, 1+2j, 3]) = [False, True, False]; isreal = [True, False, True]
  const z = np.array([{ re: 1, im: 0 }, { re: 1, im: 2 }, { re: 3, im: 0 }]);
  assert.deepEqual(L(np.iscomplex(z)), [false, true, false]);
  assert.deepEqual(L(np.isreal(z)), [true, false, true]);
  assert.deepEqual(L(np.isreal([1.5, 2])), [true, true]);
  assert.deepEqual(L(jit((x: NDArray) => np.iscomplex(x))(z)), [false, true, false]);
  // numpy: isdtype(float32, 'real floating') True, isdtype(int32, ('integral', 'bool')) True
  assert.equal(np.isdtype('float32', 'real floating'), true);
  assert.equal(np.isdtype('int32', ['integral', 'bool']), true);
  assert.equal(np.isdtype('complex64', 'real floating'), false);
  assert.equal(np.isdtype('uint32', 'uint32'), true);
  assert.throws(() => np.isdtype('float32', 'floating' as any), ValueError, /np\.isdtype: kind must be/);
});

test('np.fillDiagonal: a new Array (inplace: false, as jnp), wrap, nd; differentiable in a and val', () => {
  // numpy: a = arange(9.).reshape(3,3); fill_diagonal(a, 7) -> [[7,1,2],[3,7,5],[6,7,7]]
  const a = np.reshape(np.arange(9, undefined, undefined, 'float32'), [3, 3]);
  assert.deepEqual(L(np.fillDiagonal(a, 7, { inplace: false })), [[7, 1, 2], [3, 7, 5], [6, 7, 7]]);
  // numpy: zeros((5,3)); fill_diagonal(a, [1,2], wrap=True) / without wrap
  assert.deepEqual(L(np.fillDiagonal(np.zeros([5, 3]), [1, 2], true, { inplace: false })),
    [[1, 0, 0], [0, 2, 0], [0, 0, 1], [0, 0, 0], [2, 0, 0]]);
  assert.deepEqual(L(np.fillDiagonal(np.zeros([5, 3]), [1, 2], { wrap: false, inplace: false })),
    [[1, 0, 0], [0, 2, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0]]);
  // 3-d: entries [i, i, i] (hand: flat positions 0, 13, 26 of a 3x3x3)
  assert.deepEqual((L(np.fillDiagonal(np.zeros([3, 3, 3]), 1, { inplace: false })) as any).flat(2).flatMap((v: number, i: number) => (v ? [i] : [])), [0, 13, 26]);
  assert.deepEqual(L(jit((x: NDArray, v: NDArray) => np.fillDiagonal(x, v, { inplace: false }))(a, f32([9, 8, 7]))), [[9, 1, 2], [3, 8, 5], [6, 7, 7]]);
  checkGrads((x: NDArray, v: NDArray) => np.sum(np.multiply(np.fillDiagonal(x, v, { inplace: false }), f64([[1, 2], [3, 4]]))),
    [f64([[0.5, -1], [2, 3]]), f64([1.5, -0.5])], { order: 1 });
  assert.throws(() => np.fillDiagonal(a, 7), ValueError, /np\.fillDiagonal: .*inplace: false/);
  // an options object must come last (the message named no argument: "give  in one options object")
  assert.throws(() => np.fillDiagonal(a, 1, { inplace: false }, true as any), ValueError, /np\.fillDiagonal: the options object .* must be the last argument.*got true after it/);
  assert.throws(() => np.fillDiagonal(a, np.array([{ re: 1, im: 2 }]), { inplace: false }), DTypeError, /np\.fillDiagonal: .*imaginary part/);
  assert.throws(() => np.fillDiagonal(np.zeros([3]), 1, { inplace: false }), ShapeError, /at least 2 dimensions/);
  assert.throws(() => np.fillDiagonal(np.zeros([2, 3, 3]), 1, { inplace: false }), ShapeError, /same length/);
});

test('np.diagIndices / diagIndicesFrom / trilIndicesFrom / triuIndicesFrom', () => {
  // numpy: diag_indices(3, 2) = (array([0,1,2]), array([0,1,2]))
  assert.deepEqual(np.diagIndices(3).map(L), [[0, 1, 2], [0, 1, 2]]);
  assert.deepEqual(np.diagIndices(2, 3).map(L), [[0, 1], [0, 1], [0, 1]]);
  assert.deepEqual(np.diagIndicesFrom(np.zeros([2, 2])).map(L), [[0, 1], [0, 1]]);
  // numpy: triu_indices_from(zeros((3,4)), 1) = ([0,0,0,1,1,2], [1,2,3,2,3,3]); tril_indices_from(zeros((3,4)), -1) = ([1,2,2], [0,0,1])
  assert.deepEqual(np.triuIndicesFrom(np.zeros([3, 4]), 1).map(L), [[0, 0, 0, 1, 1, 2], [1, 2, 3, 2, 3, 3]]);
  assert.deepEqual(np.trilIndicesFrom(np.zeros([3, 4]), -1).map(L), [[1, 2, 2], [0, 0, 1]]);
  assert.deepEqual(jit((x: NDArray) => np.trilIndicesFrom(x))(np.zeros([2, 2])).map(L), [[0, 1, 1], [0, 0, 1]]);
  assert.throws(() => np.diagIndicesFrom(np.zeros([2, 3])), ShapeError, /np\.diagIndicesFrom: all dimensions/);
  assert.throws(() => np.triuIndicesFrom(np.zeros([2, 2, 2])), ShapeError, /np\.triuIndicesFrom: arr must be 2-d/);
  assert.throws(() => np.diagIndices(-1), ValueError, /np\.diagIndices: n must be a non-negative integer/);
});

test('np.rollaxis: numpy\'s start rule; differentiable', () => {
  // numpy: rollaxis(zeros((2,3,4)), 2).shape = (4,2,3); (.., 0, 2) -> (3,2,4); (.., 1, 3) -> (2,4,3)
  const z = np.zeros([2, 3, 4]);
  assert.deepEqual(np.rollaxis(z, 2).shape, [4, 2, 3]);
  assert.deepEqual(np.rollaxis(z, 0, 2).shape, [3, 2, 4]);
  assert.deepEqual(np.rollaxis(z, 1, 3).shape, [2, 4, 3]);
  assert.deepEqual(np.rollaxis(z, -1, 1).shape, [2, 4, 3]);
  // numpy: rollaxis(arange(6).reshape(2,3), 1) = [[0,3],[1,4],[2,5]]
  assert.deepEqual(L(jit((x: NDArray) => np.rollaxis(x, 1))(np.reshape(i32([0, 1, 2, 3, 4, 5]), [2, 3]))), [[0, 3], [1, 4], [2, 5]]);
  checkGrads((x: NDArray) => np.sum(np.multiply(np.rollaxis(x, 1), f64([[1, 2], [3, 4], [5, 6]]))), [f64([[1, 2, 3], [4, 5, 6]])], { order: 1 });
  assert.throws(() => np.rollaxis(z, 0, 4), AxisError, /np\.rollaxis: start 4/);
});

test('np.uniqueValues / uniqueCounts / uniqueInverse / uniqueAll: the array API\'s results, NaNs apart', () => {
  // numpy: unique_all([3,1,2,1,3,3]) = (values [1,2,3], indices [1,2,0], inverse_indices [2,0,1,0,2,2], counts [2,1,3])
  const x = i32([3, 1, 2, 1, 3, 3]);
  const r = np.uniqueAll(x);
  assert.deepEqual(L(r.values), [1, 2, 3]); assert.deepEqual(L(r.indices), [1, 2, 0]);
  assert.deepEqual(L(r.inverseIndices), [2, 0, 1, 0, 2, 2]); assert.deepEqual(L(r.counts), [2, 1, 3]);
  const [v, i, inv, c] = r; // (a list too, in jnp's field order)
  assert.deepEqual([v, i, inv, c].map(L), [[1, 2, 3], [1, 2, 0], [2, 0, 1, 0, 2, 2], [2, 1, 3]]);
  // numpy: unique_inverse([[3,1],[1,2]]) = (values [1,2,3], inverse_indices [[2,0],[0,1]]) (x's shape)
  const ui = np.uniqueInverse(i32([[3, 1], [1, 2]]));
  assert.deepEqual(L(ui.values), [1, 2, 3]); assert.deepEqual(L(ui.inverseIndices), [[2, 0], [0, 1]]);
  // numpy: unique_counts([3., 1., nan, nan]) = (values [1, 3, nan, nan], counts [1, 1, 1, 1]) (equal_nan=False)
  const uc = np.uniqueCounts(f32([3, 1, NaN, NaN]));
  assert.deepEqual(L(uc.values), [1, 3, NaN, NaN]); assert.deepEqual(L(uc.counts), [1, 1, 1, 1]);
  assert.deepEqual(L(np.uniqueValues(f32([2, NaN, 2, NaN]))), [2, NaN, NaN]);
  // under jit with jnp's size (values past the count: fillValue)
  const j = jit((a: NDArray) => np.uniqueCounts(a, { size: 4, fillValue: -1 }))(x);
  assert.deepEqual(L(j.values), [1, 2, 3, -1]); assert.deepEqual(L(j.counts), [2, 1, 3, 0]);
  // values differentiate (a gather; distinct entries, so finite differences keep the order)
  checkGrads((a: NDArray) => np.sum(np.multiply(np.uniqueValues(a), f64([1, 2, 3]))), [f64([2.5, 1, 0.5])], { order: 1 });
  assert.throws(() => np.uniqueAll(x, { bogus: 1 } as any), ValueError, /np\.uniqueAll/);
});

test('np.bitwiseInvert / bitwiseLeftShift / bitwiseRightShift: the array API\'s names of invert / leftShift / rightShift', () => {
  // numpy: bitwise_invert(int32 [0, 5, -1]) = [-1, -6, 0]; left_shift([1, 3], 2) = [4, 12]; right_shift([-8, 8], 1) = [-4, 4]
  assert.deepEqual(L(np.bitwiseInvert(i32([0, 5, -1]))), [-1, -6, 0]);
  assert.deepEqual(L(np.bitwiseLeftShift(i32([1, 3]), 2)), [4, 12]);
  assert.deepEqual(L(jit((a: NDArray) => np.bitwiseRightShift(a, 1))(i32([-8, 8]))), [-4, 4]);
  assert.deepEqual(L(np.bitwiseInvert(np.array([true, false]))), [false, true]);
  assert.throws(() => np.bitwiseInvert(f32([1.5])), DTypeError);
});

test('np.hanning / hamming / blackman / bartlett / kaiser: numpy\'s values in float32 (jnp\'s default float)', () => {
  // numpy 2.4 (float64), rounded to float32 here
  const w = np.hanning(5);
  assert.equal(w.dtype, 'float32'); close(w, [0.0, 0.5, 1.0, 0.5, 0.0]);
  close(np.hanning(6), [0.0, 0.34549150281252633, 0.9045084971874737, 0.9045084971874737, 0.34549150281252633, 0.0]);
  close(np.hamming(5), [0.08000000000000002, 0.54, 1.0, 0.54, 0.08000000000000002]);
  close(np.hamming(4), [0.08000000000000002, 0.7700000000000001, 0.7700000000000001, 0.08000000000000002]);
  close(np.blackman(5), [-1.3877787807814457e-17, 0.34, 0.9999999999999999, 0.34, -1.3877787807814457e-17]);
  close(np.blackman(4), [-1.3877787807814457e-17, 0.6300000000000001, 0.6300000000000001, -1.3877787807814457e-17]);
  close(np.bartlett(5), [0.0, 0.5, 1.0, 0.5, 0.0]);
  close(np.bartlett(4), [0.0, 0.6666666666666667, 0.6666666666666667, 0.0]);
  close(np.kaiser(5, 2.5), [0.3039662294153687, 0.7791669747707872, 1.0, 0.7791669747707872, 0.3039662294153687]);
  close(np.kaiser(6, 3.0), [0.2048847564012536, 0.6247462075770618, 0.9522218569243645, 0.9522218569243645, 0.6247462075770618, 0.2048847564012536]);
  close(np.kaiser(4, 0), [1, 1, 1, 1]);
  // numpy: hanning(1) = [1.], hanning(0) = []
  assert.deepEqual(L(np.hanning(1)), [1]); assert.deepEqual(L(np.bartlett(0)), []);
  // kaiser traces in beta under jit, and differentiates in it
  close(jit((b: NDArray) => np.kaiser(5, b))(f32(2.5)), [0.3039662294153687, 0.7791669747707872, 1.0, 0.7791669747707872, 0.3039662294153687]);
  assert.equal(np.kaiser(3, f64(1.5)).dtype, 'float64');
  // a float64 beta gives a float64-accurate window (numpy 2.4's np.kaiser(7, 4.25); the ramp was float32: 1e-8 off)
  const k64 = np.kaiser(7, f64(4.25)).dataSync();
  [0.07121866112454492, 0.398595539012585, 0.8097455695467843, 1.0, 0.8097455695467843, 0.398595539012585, 0.07121866112454492]
    .forEach((v, i) => assert.ok(Math.abs(k64[i] - v) <= 1e-14 * v, `kaiser(7, 4.25)[${i}] = ${k64[i]}, numpy ${v}`));
  assert.equal(np.kaiser(1, f64(2)).dtype, 'float64');
  checkGrads((b: NDArray) => np.sum(np.multiply(np.kaiser(5, b), f64([1, -2, 3, 0.5, 1]))), [f64(2.5)], { order: 1 });
  assert.throws(() => np.hanning(2.5), ValueError, /np\.hanning: M .* must be a non-negative JS integer/);
  assert.throws(() => np.kaiser(5, f32([1, 2])), ShapeError, /np\.kaiser: beta must be a scalar/);
});

test('lax.square / rsqrt / reciprocal / logistic: values, jit, derivatives, dtype errors', () => {
  // numpy: 1/sqrt([4, 0.25, 0]) = [0.5, 2, inf]; 1/(1+exp(-[0, 2, -3])) = [0.5, 0.8807970779778823, 0.04742587317756678]
  close(lax.rsqrt(f32([4, 0.25, 0])), [0.5, 2, Infinity]);
  close(lax.logistic(f64([0, 2, -3])), [0.5, 0.8807970779778823, 0.04742587317756678], 1e-12);
  assert.deepEqual(L(lax.square(i32([3, -4]))), [9, 16]);
  assert.deepEqual(L(lax.reciprocal(f32([4, -0.5]))), [0.25, -2]);
  const f = jit((x: NDArray) => lax.add(lax.square(x), lax.add(lax.rsqrt(x), lax.add(lax.reciprocal(x), lax.logistic(x)))));
  // hand: x = 4: 16 + 0.5 + 0.25 + 1/(1+e^-4) = 16.75 + 0.9820137900379085
  close(f(f64([4])), [16.75 + 0.9820137900379085], 1e-12);
  for (const g of [lax.square, lax.rsqrt, lax.reciprocal, lax.logistic]) checkGrads(g, [f64([0.7, 2.5])], { order: 2 });
  assert.throws(() => lax.rsqrt(i32([4])), DTypeError, /lax\.rsqrt: x must be floating or complex/);
  assert.throws(() => lax.square(np.array([true])), DTypeError, /lax\.square/);
  assert.throws(() => lax.reciprocal('2' as any), ValueError, /lax\.reciprocal/);
  assert.equal(lax.reciprocal(2).item(), 0.5, 'a JS number is an operand (API.md)');
});

test('lax.broadcast / broadcastedIota / fullLike', () => {
  // jax.lax.broadcast(x, (2,)) of [1, 2]: [[1, 2], [1, 2]] (new leading axes)
  assert.deepEqual(L(lax.broadcast(f32([1, 2]), [2])), [[1, 2], [1, 2]]);
  assert.deepEqual(lax.broadcast(f32([1, 2]), [3, 1]).shape, [3, 1, 2]);
  // numpy: broadcast_to(arange(3), (2,3)) / its transpose
  assert.deepEqual(L(lax.broadcastedIota('int32', [2, 3], 1)), [[0, 1, 2], [0, 1, 2]]);
  assert.deepEqual(L(lax.broadcastedIota('float32', [2, 3], 0)), [[0, 0, 0], [1, 1, 1]]);
  const fl = lax.fullLike(f32([[1, 2]]), 7);
  assert.equal(fl.dtype, 'float32'); assert.deepEqual(L(fl), [[7, 7]]);
  assert.deepEqual(L(lax.fullLike(f32([1, 2]), 2.7, 'int32', [3])), [2, 2, 2]); // (truncated, as lax.full converts)
  assert.deepEqual(L(jit((x: NDArray) => lax.add(lax.broadcast(x, [2]), lax.fullLike(lax.broadcast(x, [2]), 1)))(f32([1, 2]))), [[2, 3], [2, 3]]);
  checkGrads((x: NDArray) => lax.reduceSum(lax.mul(lax.broadcast(x, [2]), f64([[1, 2], [3, 4]])), [0, 1]), [f64([0.5, -1])], { order: 1 });
  assert.throws(() => lax.broadcastedIota('int32', [2, 3], 2), AxisError, /lax\.broadcastedIota: dimension 2 is out of bounds/);
  assert.throws(() => lax.broadcast(f32([1]), [-1]), ValueError, /lax\.broadcast: sizes must be non-negative/);
  assert.throws(() => lax.fullLike(f32([1]), 1, 'int64' as any), DTypeError, /lax\.fullLike: dtype/);
});

test('lax.sliceInDim / indexInDim: JAX\'s None and negative indices', () => {
  const x = np.reshape(f32([0, 1, 2, 3, 4, 5, 6, 7]), [2, 4]);
  // numpy: x[:, 1:4:2] = [[1, 3], [5, 7]]; x[:, -3:] = [[1,2,3],[5,6,7]]
  assert.deepEqual(L(lax.sliceInDim(x, 1, 4, 2, 1)), [[1, 3], [5, 7]]);
  assert.deepEqual(L(lax.sliceInDim(x, -3, null, 1, 1)), [[1, 2, 3], [5, 6, 7]]);
  assert.deepEqual(L(lax.sliceInDim(x, 1, 2)), [[4, 5, 6, 7]]);
  // numpy: x[:, -1] = [3, 7]; x[1:2] = [[4, 5, 6, 7]]
  assert.deepEqual(L(lax.indexInDim(x, -1, 1, false)), [3, 7]);
  assert.deepEqual(L(lax.indexInDim(x, 1)), [[4, 5, 6, 7]]);
  assert.deepEqual(L(jit((a: NDArray) => lax.indexInDim(a, 2, 1, false))(x)), [2, 6]);
  checkGrads((a: NDArray) => lax.reduceSum(lax.mul(lax.sliceInDim(a, 0, 3, 2, 1), f64([[1, 2], [3, 4]])), [0, 1]), [f64([[1, 2, 3], [4, 5, 6]])], { order: 1 });
  assert.throws(() => lax.indexInDim(x, 4, 1), IndexError, /lax\.indexInDim: index 4 is out of bounds for axis 1 with size 4/);
  assert.throws(() => lax.sliceInDim(x, 3, 1, 1, 1), ValueError, /lax\.slice/);
});

test('lax.reduceProd / reduceAnd / reduceOr / reduceXor', () => {
  const x = f64([[1, 2, 3], [4, 5, 6]]);
  // numpy: prod(x, 0) = [4, 10, 18], prod(x, 1) = [6, 120], prod(x) = 720
  assert.deepEqual(L(lax.reduceProd(x, [0])), [4, 10, 18]);
  assert.deepEqual(L(lax.reduceProd(x, [1])), [6, 120]);
  assert.deepEqual(L(lax.reduceProd(x, [0, 1])), 720);
  const a = i32([[5, 7, 12], [3, 1, 6]]);
  // numpy: bitwise_and.reduce(a, 0) = [1, 1, 4]; bitwise_or.reduce(a, 1) = [15, 7]; bitwise_xor.reduce(a, (0, 1)) = 10
  assert.deepEqual(L(lax.reduceAnd(a, [0])), [1, 1, 4]);
  assert.deepEqual(L(lax.reduceOr(a, [1])), [15, 7]);
  assert.deepEqual(L(lax.reduceXor(a, [0, 1])), 10);
  const b = np.array([[true, false, true], [true, true, true]]);
  // numpy: logical_and.reduce(b, 1) = [F, T]; logical_or.reduce(b, 0) = [T, T, T]; logical_xor.reduce(b, 1) = [F, T]
  assert.deepEqual(L(lax.reduceAnd(b, [1])), [false, true]);
  assert.deepEqual(L(lax.reduceOr(b, [0])), [true, true, true]);
  assert.deepEqual(L(lax.reduceXor(b, [1])), [false, true]);
  // numpy: bitwise_and.reduce(uint32 [0xFFFFFFFF, 0xF0F0F0F0]) = 4042322160; identities on empty axes: and all ones, prod 1
  assert.deepEqual(L(lax.reduceAnd(np.array([0xFFFFFFFF, 0xF0F0F0F0], 'uint32'), [0])), 4042322160);
  assert.deepEqual(L(lax.reduceAnd(i32([]), [0])), -1);
  assert.deepEqual(L(lax.reduceProd(np.zeros([0, 2]), [0])), [1, 1]);
  assert.deepEqual(L(jit((y: NDArray) => lax.reduceProd(y, [1]))(x)), [6, 120]);
  // a zero entry: the gradient of the product is the product of the others (hand: [0, 6, 0] for [3, 0, 2])
  checkGrads((y: NDArray) => lax.reduceProd(y, [1]), [f64([[3, 0, 2], [1.5, -2, 0.5]])], { order: 2 });
  assert.throws(() => lax.reduceAnd(x, [0]), DTypeError, /lax\.reduceAnd: x must be bool or an integer dtype/);
  assert.throws(() => lax.reduceProd(x, [0, 0]), ValueError, /lax\.reduceProd: axes \[0,0\] repeat/);
});

test('lax.dot: vector and matrix products of one dtype', () => {
  // numpy: [[1,2],[3,4]] @ [1,-1] = [-1, -1]; dot([1,2,3],[4,5,6]) = 32
  assert.deepEqual(L(lax.dot(f32([[1, 2], [3, 4]]), f32([1, -1]))), [-1, -1]);
  assert.deepEqual(L(lax.dot(f32([1, 2, 3]), f32([4, 5, 6]))), 32);
  assert.deepEqual(L(lax.dot(f32([1, 2]), f32([[1, 2], [3, 4]]))), [7, 10]);
  assert.deepEqual(L(jit(lax.dot)(f32([[1, 2], [3, 4]]), f32([[0, 1], [1, 0]]))), [[2, 1], [4, 3]]);
  checkGrads(lax.dot, [f64([[1, 2, 3], [4, 5, 6]]), f64([0.5, -1, 2])], { order: 2 });
  assert.throws(() => lax.dot(f32([1, 2]), f32([1, 2, 3])), ShapeError, /lax\.dot: incompatible shapes/);
  assert.throws(() => lax.dot(f32([1, 2]), f64([1, 2])), DTypeError, /lax\.dot: .* must have one dtype/);
});

test('JAX names not built yet (ROADMAP step 14: FFTs, convolutions, windowed reductions) are NotImplementedErrors naming the step, not JS TypeErrors, and not enumerable', async () => {
  const { lax, NotImplementedError } = await import('../ts/index.ts');
  assert.throws(() => (np as any).fft.fft(np.ones([4])), (e: any) => e instanceof NotImplementedError && /^np\.fft\.fft: not implemented yet: FFTs \(ROADMAP step 14\)/.test(e.message));
  assert.throws(() => (lax as any).convGeneralDilated(np.ones([1, 1, 4]), np.ones([1, 1, 2]), [1], 'VALID'), (e: any) => e instanceof NotImplementedError && /convolutions \(ROADMAP step 14\)/.test(e.message));
  assert.throws(() => (lax as any).reduceWindow(), NotImplementedError);
  assert.ok(!Object.keys(np).includes('fft') && !Object.keys(lax).includes('conv'));
  // numpy forms JS cannot have say what to write instead
  assert.throws(() => (np as any).mgrid(3), (e: any) => e instanceof NotImplementedError && /np\.mgrid: not offered: .*np\.meshgrid/.test(e.message));
  assert.throws(() => (np as any).ogrid(3), (e: any) => e instanceof NotImplementedError && /sparse: true/.test(e.message));
  assert.throws(() => (np as any).putmask(np.ones([2]), [true, false], 0), (e: any) => e instanceof NotImplementedError && /np\.place/.test(e.message));
  assert.ok(!Object.keys(np).includes('mgrid') && !Object.keys(np).includes('putmask'));
});

test('the collectives over named axes not built (pmax, allGather, ppermute, ...) and vmap\'s spmdAxisName are NotImplementedErrors saying what to write instead (were JS TypeErrors / an unknown option)', async () => {
  const { lax, vmap, NotImplementedError } = await import('../ts/index.ts');
  const instead = /not built \(lax\.psum, pmean, axisIndex and axisSize are\).*np\.max\(vmap\(f\)\(xs\), 0\)/;
  for (const name of ['pmax', 'pmin', 'allGather', 'ppermute', 'psumScatter', 'all_gather', 'psum_scatter', 'all_to_all']) {
    assert.throws(() => (lax as any)[name](np.ones([2]), 'i'), (e: any) => e instanceof NotImplementedError && e.message.startsWith(`lax.${name}: `) && instead.test(e.message), name);
  }
  assert.throws(() => (lax as any).conv_general_dilated(), (e: any) => e instanceof NotImplementedError && /convolutions/.test(e.message));
  for (const key of ['spmdAxisName', 'spmd_axis_name']) {
    assert.throws(() => vmap((x: any) => x, { [key]: 'i' } as any), (e: any) => e instanceof NotImplementedError && /^vmap: spmdAxisName .*one device/.test(e.message), key);
  }
  assert.ok(!Object.keys(lax).includes('pmax') && !Object.keys(lax).includes('all_gather'));
  assert.ok(typeof lax.psum === 'function' && Object.keys(lax).includes('psum')); // (built: tests/collectives.test.ts)
  assert.deepEqual(vmap((x: any) => np.multiply(x, 2), { inAxes: 0 })(np.array([1, 2])).tolist(), [2, 4]); // (an ordinary options object still works)
});
