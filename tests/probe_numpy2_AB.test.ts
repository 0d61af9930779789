// helper-252: less common numpy functions against numpy 2.4 (reference values pasted from numpy 2.4.x runs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, jit, grad, checkGrads } from '../ts/index.ts';

test('np.meshgrid takes sparse (numpy and jnp do); it was an unknown-option ValueError', () => {
  const x = np.array([1, 2, 3], { dtype: 'float64' }), y = np.array([4, 5], { dtype: 'float64' }), z = np.array([6, 7], { dtype: 'float64' });
  // numpy 2.4: [m.shape for m in np.meshgrid(x, y, z, sparse=True)] -> (1,3,1), (2,1,1), (1,1,2)
  for (const f of [(...a: any[]) => np.meshgrid(...a, { sparse: true }), jit((p: any, q: any, r: any) => np.meshgrid(p, q, r, { sparse: true }))]) {
    const [X, Y, Z] = f(x, y, z) as any[];
    assert.deepEqual([X.shape, Y.shape, Z.shape], [[1, 3, 1], [2, 1, 1], [1, 1, 2]]);
    assert.deepEqual([X.dtype, X.dataSync().length], ['float64', 3]);
    assert.deepEqual([...Y.dataSync()], [4, 5]);
  }
  // numpy 2.4: np.meshgrid(x, y, sparse=True, indexing='ij') -> shapes (3,1), (1,2)
  const [I, J] = np.meshgrid(x, y, { sparse: true, indexing: 'ij' });
  assert.deepEqual([I.shape, J.shape], [[3, 1], [1, 2]]);
  assert.deepEqual(I.tolist(), [[1], [2], [3]]);
  // sparse: false is the dense form; a non-boolean is a clear error
  assert.deepEqual(np.meshgrid(x, y, { sparse: false })[0].shape, [2, 3]);
  assert.throws(() => np.meshgrid(x, y, { sparse: 'yes' as any }), /np\.meshgrid: sparse must be true or false/);
  // differentiable: d/dx sum(X * Y) with sparse (broadcast by the product) = sum(y) per x
  const g = grad((p: any) => np.sum(np.multiply(...(np.meshgrid(p, y, { sparse: true }) as [any, any]))))(x);
  assert.deepEqual([...g.dataSync()], [9, 9, 9]);
});

test("np.pad linear_ramp on float32 rounds numpy's float64 ramp once (it was 1 ulp off)", () => {
  const x = np.array([1, 2], { dtype: 'float32' });
  // numpy 2.4: np.pad(np.array([1., 2], np.float32), (3, 3), mode='linear_ramp', end_values=(0.1, 0.7)).tolist()
  const want = [0.10000000149011612, 0.4000000059604645, 0.699999988079071, 1.0, 2.0, 1.5666667222976685, 1.1333333253860474, 0.699999988079071];
  const f = (a: any) => np.pad(a, [3, 3], { mode: 'linear_ramp', endValues: [0.1, 0.7] });
  for (const r of [f(x), jit(f)(x)]) {
    assert.equal(r.dtype, 'float32');
    assert.deepEqual([...r.dataSync()], want);
  }
});

test('np.block assembles nested lists of blocks as numpy (it was missing: "np.block is not a function")', () => {
  const f64 = (x: any) => np.array(x, { dtype: 'float64' });
  const npAny: any = np;
  // numpy 2.4: np.block([[np.eye(2), np.zeros((2,1))], [np.ones((1,2)), [[5.]]]]) -> (3,3) [[1,0,0],[0,1,0],[1,1,5]]
  const r = npAny.block([[np.eye(2, { dtype: 'float64' }), np.zeros([2, 1], { dtype: 'float64' })], [np.ones([1, 2], { dtype: 'float64' }), f64([[5]])]]);
  assert.deepEqual([r.shape, r.dtype, r.tolist()], [[3, 3], 'float64', [[1, 0, 0], [0, 1, 0], [1, 1, 5]]]);
  // numpy 2.4: np.block([[1., 2.], 3, [4.]]) style: np.block([F([1,2]), 3, F([4])]) -> [1,2,3,4]; np.block([[F([1,2])],[F([3,4])]]) -> (2,2)
  assert.deepEqual(npAny.block([f64([1, 2]), 3, f64([4])]).tolist(), [1, 2, 3, 4]);
  assert.deepEqual(npAny.block([[f64([1, 2])], [f64([3, 4])]]).shape, [2, 2]);
  // numpy 2.4: np.block([[[F(1)]]]).shape == (1,1,1); np.block([F([[[1]]]), F([[2,3]])]) -> (1,1,3) [[[1,2,3]]]
  assert.deepEqual(npAny.block([[[f64(1)]]]).shape, [1, 1, 1]);
  assert.deepEqual(npAny.block([f64([[[1]]]), f64([[2, 3]])]).tolist(), [[[1, 2, 3]]]);
  // jit equals eager; the derivative reaches every copy of a block
  const j = jit((x: any, y: any) => npAny.block([[x, y], [y, x]]))(f64([[1]]), f64([[2]]));
  assert.deepEqual(j.tolist(), [[1, 2], [2, 1]]);
  const g = grad((x: any) => np.sum(np.multiply(npAny.block([[x, x], [f64([1, 2]), f64([3, 4])]]), f64([[1, 2, 3, 4], [5, 6, 7, 8]]))))(f64([1, 2]));
  assert.deepEqual(g.tolist(), [4, 6]); // hand-derived: 1 + 3, 2 + 4
  // numpy's ValueErrors: mismatched depths, empty lists; shapes that do not join name concatenate
  assert.throws(() => npAny.block([[f64([1])], f64([2])]), /np\.block: list depths are mismatched/);
  assert.throws(() => npAny.block([]), /np\.block: the list at arrays is empty/);
  assert.throws(() => npAny.block([[], []]), /np\.block: the list at arrays\[0\] is empty/);
  assert.throws(() => npAny.block([f64([[1, 2]]), f64([[3], [4]])]), /np\.block: np\.concatenate: cannot join float64\[1,2\], float64\[2,1\]/);
});

test("np.pad takes numpy's reflectType 'odd' (it was an unknown-option ValueError), wide pads included", () => {
  const f64 = (x: any) => np.array(x, { dtype: 'float64' });
  const v = f64([1, 2, 3, 5]);
  const odd = (m: any, w: any) => (t: any) => np.pad(t, w, { mode: m, reflectType: 'odd' } as any);
  // numpy 2.4: np.pad([1.,2,3,5], (2,3), mode='reflect', reflect_type='odd') / mode='symmetric'
  assert.deepEqual(odd('reflect', [2, 3])(v).tolist(), [-1, 0, 1, 2, 3, 5, 7, 8, 9]);
  assert.deepEqual(odd('symmetric', [2, 3])(v).tolist(), [0, 1, 1, 2, 3, 5, 5, 7, 8]);
  // numpy 2.4: wider than the array, (9, 11): numpy reflects round by round about the new ends
  const wideR = [-11, -9, -8, -7, -6, -5, -3, -1, 0, 1, 2, 3, 5, 7, 8, 9, 10, 11, 13, 15, 16, 17, 18, 19];
  const wideS = [-7, -7, -6, -5, -3, -3, -1, 0, 1, 1, 2, 3, 5, 5, 7, 8, 9, 9, 10, 11, 13, 13, 15, 16];
  assert.deepEqual(odd('reflect', [9, 11])(v).tolist(), wideR);
  assert.deepEqual(jit(odd('reflect', [9, 11]))(v).tolist(), wideR);
  assert.deepEqual(odd('symmetric', [9, 11])(v).tolist(), wideS);
  // numpy 2.4: 2-d, ((3,2),(4,5)), reflect odd: first row and last row
  const r = odd('reflect', [[3, 2], [4, 5]])(f64([[1, 2, 3], [4, 5, 9]]));
  assert.deepEqual(r.shape, [7, 12]);
  assert.deepEqual(r.tolist()[0], [6, 7, -1, -9, -8, -7, -15, -23, -22, -21, -29, -37]);
  // numpy 2.4: np.pad(int32 [1,5,2], 4, reflect odd) -> [-1,3,0,-3,1,5,2,-1,3,7,4], int32 stays int32; bool as numpy (2 * edge - chunk written back into bool): [True, True, False, True]
  const ri = odd('reflect', [4, 4])(np.array([1, 5, 2], { dtype: 'int32' }));
  assert.deepEqual([ri.dtype, ri.tolist()], ['int32', [-1, 3, 0, -3, 1, 5, 2, -1, 3, 7, 4]]);
  assert.deepEqual(odd('reflect', [1, 1])(np.array([true, false])).tolist(), [true, true, false, true]);
  // 'even' is the default spelled out; the option belongs to reflect/symmetric only, and is checked
  assert.deepEqual(np.pad(v, [2, 3], { mode: 'reflect', reflectType: 'even' } as any).tolist(), np.pad(v, [2, 3], 'reflect').tolist());
  assert.throws(() => np.pad(v, 1, { mode: 'edge', reflectType: 'odd' } as any), /np\.pad: reflectType is for mode 'reflect' or 'symmetric' only/);
  assert.throws(() => np.pad(v, 1, { mode: 'reflect', reflectType: 'od' } as any), /np\.pad: reflectType must be 'even' or 'odd'/);
  // linear in x, so its derivative is the constant map: d sum(w * pad(x)) / dx, checked against float64 finite differences
  checkGrads(odd('reflect', [5, 6]), [v], { order: 1 });
});
