// helper-282's probe of the week's new surface as a JAX/numpy user: JAX's and numpy's keyword
// habits that were refused where the library's convention (keywords as an options object) says
// they work. References: numpy 2.4 / scipy 1.x values pasted as literals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, linalg, jit, ValueError, DTypeError } from '../ts/index.ts';

const close = (a: ArrayLike<number>, b: number[], tol = 1e-12) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < b.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol * Math.max(1, Math.abs(b[i])), `[${i}] ${a[i]} vs ${b[i]}`);
};

test('lax.dot / dotGeneral take precision and preferredElementType as an options object (JAX keywords)', () => {
  const a = np.array([1, 2], 'int32'), b = np.array([3, 4], 'int32');
  // was ValueError 'precision must be null, ...; got an object { preferredElementType }'
  const r = lax.dot(a, b, { preferredElementType: 'float64' });
  assert.equal(r.dtype, 'float64');
  assert.equal(r.item(), 11);
  assert.equal(lax.dot(a, b, null, { preferredElementType: 'float32' }).dtype, 'float32');
  assert.equal(lax.dot(a, b, { precision: 'highest', preferredElementType: 'float32' }).dtype, 'float32');
  assert.equal(jit((x: any, y: any) => lax.dot(x, y, { preferredElementType: 'float64' }))(a, b).dtype, 'float64');
  const g = lax.dotGeneral(np.array([[1, 2], [3, 4]], 'int32'), np.array([[5, 6], [7, 8]], 'int32'), [[[1], [0]], [[], []]], { preferredElementType: 'float32' });
  assert.equal(g.dtype, 'float32');
  assert.deepEqual(Array.from(g.dataSync()), [19, 22, 43, 50]); // numpy: [[1,2],[3,4]] @ [[5,6],[7,8]]
  // JAX's pairs still checked, misspellings and duplicates refused by name
  assert.throws(() => lax.dot(np.array([1.5], 'float32'), np.array([2], 'float32'), { preferredElementType: 'int32' }), (e: unknown) => e instanceof DTypeError && /lax\.dot: preferredElementType int32/.test((e as Error).message));
  assert.throws(() => lax.dot(a, b, { preferredElement: 'float32' } as never), (e: unknown) => e instanceof ValueError && /lax\.dot: unknown option 'preferredElement'/.test((e as Error).message));
  assert.throws(() => lax.dot(a, b, 'high', { precision: 'high' } as never), (e: unknown) => e instanceof ValueError && /lax\.dot: precision given twice/.test((e as Error).message));
  assert.throws(() => lax.dot(a, b, { precision: 'medium' }), (e: unknown) => e instanceof ValueError && /lax\.dot: precision must be/.test((e as Error).message));
  assert.equal(lax.dot(a, b, 'highest', 'float32').dtype, 'float32'); // positional form unchanged
});

test("np.pad takes the mode positionally with the mode's keywords after it (numpy's pad(x, 3, 'reflect', reflect_type='odd'))", () => {
  const x = np.array([1, 2, 4, 8], 'float64');
  // numpy 2.4: np.pad([1, 2, 4, 8.], 3, 'reflect', reflect_type='odd')
  close(np.pad(x, 3, 'reflect', { reflectType: 'odd' }).dataSync(), [-6, -2, 0, 1, 2, 4, 8, 12, 14, 15]);
  // np.pad([1, 2, 4, 8.], 5, 'symmetric', reflect_type='odd')
  close(np.pad(x, 5, 'symmetric', { reflectType: 'odd' }).dataSync(), [-6, -6, -2, 0, 1, 1, 2, 4, 8, 8, 12, 14, 15, 15]);
  // np.pad([1, 2, 4.], [3, 2], 'linear_ramp', end_values=[5, -1])
  close(np.pad(np.array([1, 2, 4], 'float64'), [3, 2], 'linear_ramp', { endValues: [5, -1] }).dataSync(), [5, 3.666666666666667, 2.3333333333333335, 1, 2, 4, 1.5, -1]);
  close(np.pad(x, 1, 'constant', { constantValues: 9 }).dataSync(), [9, 1, 2, 4, 8, 9]);
  close(jit((a: any) => np.pad(a, 2, 'reflect', { reflectType: 'odd' }))(x).dataSync(), [-2, 0, 1, 2, 4, 8, 12, 14]);
  assert.throws(() => np.pad(x, 1, 'edge', { mode: 'wrap' }), (e: unknown) => e instanceof ValueError && /np\.pad: mode given twice/.test((e as Error).message));
  assert.throws(() => np.pad(x, 1, 'edge', { constantValues: 9 }), (e: unknown) => e instanceof ValueError && /np\.pad: constantValues is for mode 'constant'/.test((e as Error).message));
});

test("np.cov / np.corrcoef take numpy's y keyword as an option", () => {
  const a = np.array([1, 2, 4, 7], 'float64'), b = np.array([2, 1, 0, 5], 'float64');
  // numpy 2.4: np.cov([1,2,4,7.], y=[2,1,0,5.]) -> [[7, 3.6667], [3.6667, 4.6667]]; bias=True -> [[5.25, 2.75], [2.75, 3.5]]
  close(np.cov(a, { y: b } as never).dataSync(), [7, 11 / 3, 11 / 3, 14 / 3]);
  close(np.cov(a, { y: b, bias: true } as never).dataSync(), [5.25, 2.75, 2.75, 3.5]);
  // np.corrcoef([1,2,4,7.], y=[2,1,0,5.])[0, 1] = 0.6415330278717847
  close(np.corrcoef(a, { y: b } as never).dataSync(), [1, 0.6415330278717847, 0.6415330278717847, 1], 1e-15);
  assert.throws(() => np.cov(a, b, { y: b } as never), (e: unknown) => e instanceof ValueError && /np\.cov: y given twice/.test((e as Error).message));
});

test("linalg.choFactor takes scipy's and JAX's positional lower (cho_factor(a, True))", () => {
  const S = np.array([[4, 2, 0.6], [2, 5, 1], [0.6, 1, 3]], 'float64');
  const [c, lower] = linalg.choFactor(S, true);
  assert.equal(lower, true);
  // scipy: np.tril(cho_factor(S, lower=True)[0])
  close(c.dataSync(), [2, 0, 0, 1, 2, 0, 0.3, 0.35, 1.6695807857064], 1e-12);
  // scipy: cho_solve(cho_factor(S, True), [1, 2, 3.])
  close(linalg.choSolve([c, lower], np.array([1, 2, 3], 'float64')).dataSync(), [0.004484304932735411, 0.21255605381165918, 0.9282511210762333], 1e-13);
  assert.equal(linalg.choFactor(S, false)[1], false);
  assert.throws(() => linalg.choFactor(S, 'yes' as never), (e: unknown) => e instanceof ValueError && /linalg\.choFactor: lower must be true or false/.test((e as Error).message));
});
