// polyval, vander, trapezoid, interp, cross, triuIndices/trilIndices, fullLike: values against
// numpy 2.4 (written out here), derivatives against closed forms and float64 finite differences,
// and the same under jit and vmap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, jit, vmap, checkGrads, ShapeError, ValueError } from '../ts/index.ts';

const F = (v: any) => np.array(v, { dtype: 'float64' });

test('polyval and vander: numpy\'s values; polyval\'s derivative is the derivative polynomial\'s value', () => {
  assert.deepEqual(np.polyval(F([3, 0, -2, 1]), F([0, 1, 2.5, -1])).tolist(), [1, 2, 42.875, 0]);
  assert.deepEqual(np.polyval(F([]), F([1, 2])).tolist(), [0, 0]);
  assert.deepEqual(np.polyval([2, 1], 3).item(), 7);
  assert.deepEqual(np.vander(F([1, 2, 3]), 4).tolist(), [[1, 1, 1, 1], [8, 4, 2, 1], [27, 9, 3, 1]]);
  assert.deepEqual(np.vander(F([1, 2, 3]), null, { increasing: true }).tolist(), [[1, 1, 1], [1, 2, 4], [1, 3, 9]]);
  assert.deepEqual(np.vander(F([1, 2]), 0).shape, [2, 0]);
  // d/dx (3x^3 - 2x + 1) = 9x^2 - 2; d/dp_i = x^(3-i)
  assert.equal(grad((x: any) => np.polyval(F([3, 0, -2, 1]), x))(F(2)).item(), 34);
  assert.deepEqual(grad((p: any) => np.polyval(p, F(2)))(F([3, 0, -2, 1])).tolist(), [8, 4, 2, 1]);
  checkGrads((x: any) => np.sum(np.vander(x, 4)), [F([0.5, -1.5, 2])], { order: 2 });
  assert.throws(() => np.polyval(F([[1, 2]]), 1), ShapeError);
});

test('trapezoid: numpy\'s values with dx, sample points, an axis; its derivative is the weights', () => {
  assert.equal(np.trapezoid(F([1, 2, 3, 5])).item(), 8);
  assert.equal(np.trapezoid(F([1, 2, 3, 5]), F([0, 1, 3, 4])).item(), 10.5);
  assert.deepEqual(np.trapezoid(F([[1, 2, 3], [4, 5, 7]]), null, { axis: 0, dx: 0.5 }).tolist(), [1.25, 1.75, 2.5]);
  assert.equal(np.trapezoid(F([4])).item(), 0);
  // weights: dx/2 at the ends, dx inside
  assert.deepEqual(grad((y: any) => np.trapezoid(y, null, { dx: 2 }))(F([1, 2, 3, 4])).tolist(), [1, 2, 2, 1]);
  checkGrads((y: any, x: any) => np.trapezoid(np.square(y), x), [F([1, 2, 0.5]), F([0, 0.7, 2])], { order: 2 });
  assert.throws(() => np.trapezoid(F([1, 2]), F([0, 1]), { dx: 1 }), ValueError);
});

test('interp: numpy\'s values inside, at the knots, past the ends (or left/right), at a repeated knot and NaN; slopes as derivatives', () => {
  const xp = F([0, 1, 2]), fp = F([10, 20, 0]);
  assert.deepEqual(np.interp(F([-1, 0, 0.5, 1.5, 2, 3, NaN]), xp, fp).tolist(), [10, 10, 15, 10, 0, 0, NaN]);
  assert.deepEqual(np.interp(F([-1, 3]), xp, fp, { left: -5, right: 99 }).tolist(), [-5, 99]);
  assert.deepEqual(np.interp(F([0.5, 1, 1.5]), F([0, 1, 1, 2]), F([0, 1, 3, 4])).tolist(), [0.5, 3, 3.5]);
  assert.deepEqual((grad((v: any) => np.sum(np.interp(v, xp, fp)))(F([0.5, 1.5, 5])).tolist() as number[]).map((g) => g + 0), [10, -20, 0]); // (past the end: a zero, of either sign)
  assert.deepEqual(jit(vmap((v: any) => np.interp(v, xp, fp)))(F([[0.25], [1.75]])).tolist(), [[12.5], [5]]);
  checkGrads((f: any) => np.sum(np.interp(F([0.3, 1.2]), xp, f)), [fp], { order: 2 });
  assert.throws(() => np.interp(1, F([]), F([])), ValueError);
  assert.throws(() => np.interp(1, F([0, 1]), F([1])), ShapeError);
});

test('cross: 3-vectors broadcast, 2-vectors give z, any axis; derivatives', () => {
  assert.deepEqual(np.cross(F([[1, 2, 3], [0, 0, 1]]), F([4, 5, 6])).tolist(), [[-3, 6, -3], [-5, 4, 0]]);
  assert.equal(np.cross(F([1, 2]), F([3, 4])).item(), -2);
  assert.deepEqual(np.cross(F([[1, 0], [2, 0], [3, 1]]), F([[4, 0], [5, 1], [6, 0]]), { axis: 0 }).tolist(), [[-3, -1], [6, 0], [-3, 0]]);
  // d (a x b) . c / da = b x c
  assert.deepEqual(grad((a: any) => np.sum(np.multiply(np.cross(a, F([4, 5, 6])), F([1, 0, 0]))))(F([1, 2, 3])).tolist(), [0, 6, -5]);
  checkGrads((a: any, b: any) => np.sum(np.square(np.cross(a, b))), [F([1, 2, 3]), F([-1, 0.5, 2])], { order: 2 });
  assert.throws(() => np.cross(F([1, 2, 3, 4]), F([1, 2, 3, 4])), ShapeError);
});

test('triuIndices / trilIndices (numpy\'s order) and fullLike', () => {
  assert.deepEqual(np.triuIndices(3, 1).map((a) => a.tolist()), [[0, 0, 1], [1, 2, 2]]);
  assert.deepEqual(np.trilIndices(3, -1, 4).map((a) => a.tolist()), [[1, 2, 2], [0, 0, 1]]);
  assert.deepEqual(np.triuIndices(2).map((a) => a.dtype), ['int32', 'int32']);
  const x = np.ones([2, 2], 'int32');
  assert.equal(np.fullLike(x, 7).dtype, 'int32');
  assert.deepEqual(np.fullLike(x, 7).tolist(), [[7, 7], [7, 7]]);
  assert.equal(np.fullLike(x, 0.5, { dtype: 'float64' }).dtype, 'float64');
  assert.throws(() => np.triuIndices(-1), ValueError);
});

test('unravelIndex (jnp: negative indices count from the end, out of bounds clipped) and ravelMultiIndex (numpy\'s modes)', () => {
  const I = (v: number[]) => np.array(v, { dtype: 'int32' });
  // numpy: unravel_index([1, 3, 5], (2, 3)) = ([0, 1, 1], [1, 0, 2])
  assert.deepEqual(np.unravelIndex(I([1, 3, 5]), [2, 3]).map((a) => a.tolist()), [[0, 1, 1], [1, 0, 2]]);
  // -1 is 23 = (1, 2, 3); 7 = (0, 1, 3); 22 = (1, 2, 2); -30 clips to 0
  assert.deepEqual(np.unravelIndex(I([-1, 7, 22, -30, 99]), [2, 3, 4]).map((a) => a.tolist()), [[1, 0, 1, 0, 1], [2, 1, 2, 0, 2], [3, 3, 2, 0, 3]]);
  assert.deepEqual(np.unravelIndex(5, [2, 3]).map((a) => a.item()), [1, 2]);
  assert.deepEqual(vmap((a: any) => np.unravelIndex(a, [3, 4]))(I([0, 11, 5])).map((a: any) => a.tolist()), [[0, 2, 1], [0, 3, 1]]);
  // numpy's docstring: ravel_multi_index(([3, 6, 6], [4, 5, 1]), (7, 6)) = [22, 41, 37]; (4, 6) clip: [22, 23, 19]; (4, 4) wrap (with -1): [12, 9, 11]
  assert.deepEqual(np.ravelMultiIndex([I([3, 6, 6]), I([4, 5, 1])], [7, 6]).tolist(), [22, 41, 37]);
  assert.deepEqual(np.ravelMultiIndex([I([3, 6, 6]), I([4, 5, 1])], [4, 6], { mode: 'clip' }).tolist(), [22, 23, 19]);
  assert.deepEqual(np.ravelMultiIndex([I([3, 6, 6]), I([4, 5, -1])], [4, 4], { mode: 'wrap' }).tolist(), [12, 9, 11]);
  assert.equal(np.ravelMultiIndex([3, 1, 4, 1], [6, 7, 8, 9]).item(), 1621);
  assert.throws(() => np.ravelMultiIndex([I([3, 6]), I([4, 5])], [4, 6]), /index 6 is out of bounds for dim 0/);
  assert.throws(() => jit((a: any) => np.ravelMultiIndex([a, a], [4, 4]))(I([1, 2])), /mode 'raise' reads the indices/);
  assert.deepEqual(jit((a: any) => np.ravelMultiIndex([a, a], [4, 4], { mode: 'clip' }))(I([1, 9])).tolist(), [5, 15]);
  assert.throws(() => np.unravelIndex(np.array([1.5]), [2, 2]), ValueError);
});

test('polyval and interp read JS numbers and lists in the float64 operands\' precision (weak, as jnp)', () => {
  // they were converted to float32 first: polyval(F([1, 0.1]), 0.1) was 0.20000000149011612,
  // interp(0.1, F([0, 1]), F([0, 1])) 0.10000000149011612
  assert.deepEqual(np.polyval(F([1, 0.1]), 0.1).dtype, 'float64');
  assert.equal(np.polyval(F([1, 0.1]), 0.1).item(), 0.2);
  assert.equal(np.polyval([1, 0.1], F(0.1)).item(), 0.2);
  assert.equal(np.polyval(F([1, 0, 0]), 0.1).item(), 0.1 * 0.1);
  assert.equal(jit((p: any) => np.polyval(p, 0.1))(F([1, 0.1])).item(), 0.2);
  assert.equal(np.interp(0.1, F([0, 1]), F([0, 1])).item(), 0.1);
  assert.equal(np.interp(F(0.15), [0.1, 0.2], F([0.1, 0.2])).item(), 0.15);
  assert.equal(np.interp(F(0.25), F([0, 1]), [0.1, 0.3]).item(), 0.1 + 0.25 * (0.3 - 0.1));
  // float32 stays float32
  assert.equal(np.polyval([1, 0.1], 0.1).dtype, 'float32');
  assert.equal(np.interp(0.5, [0, 1], [0, 1]).dtype, 'float32');
});

test('vstack/hstack/dstack/columnStack, cross, trapezoid and isin read JS lists beside float64 in float64 (as concatenate and stack do)', () => {
  // each read the list as float32 first: vstack held 0.10000000149011612, cross gave
  // 0.10000000149011612, trapezoid 0.15000000223517418, and isin(float64 [0.1], [0.1]) was false
  const x = F([1, 2]);
  assert.deepEqual(np.vstack([x, [0.1, 0.2]]).tolist(), [[1, 2], [0.1, 0.2]]);
  assert.deepEqual(np.hstack([x, [0.1]]).tolist(), [1, 2, 0.1]);
  assert.deepEqual(np.columnStack([x, [0.1, 0.2]]).tolist(), [[1, 0.1], [2, 0.2]]);
  assert.deepEqual(np.dstack([x, [0.1, 0.2]]).tolist(), [[[1, 0.1], [2, 0.2]]]);
  assert.equal(np.vstack([x, [0.1, 0.2]]).dtype, 'float64');
  assert.deepEqual(np.cross([0.1, 0, 0], F([0, 1, 0])).tolist(), [0, 0, 0.1]);
  assert.equal(np.trapezoid(x, [0.1, 0.2]).item(), 0.1 * (1 + 2) / 2);
  assert.deepEqual(np.isin(F([0.1, 0.2]), [0.1]).tolist(), [true, false]);
  assert.deepEqual(np.isin([0.1], F([0.1])).tolist(), [true]);
  // float32 and integer operands as before
  assert.equal(np.vstack([np.array([1, 2]), [0.1, 0.2]]).dtype, 'float32');
  assert.equal(np.vstack([np.array([1, 2], { dtype: 'int32' }), np.array([3, 4], { dtype: 'int32' })]).dtype, 'int32');
  assert.deepEqual(np.isin(np.array([1, 2], { dtype: 'int32' }), [2]).tolist(), [false, true]);
});
