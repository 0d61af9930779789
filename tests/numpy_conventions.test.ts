// Where jax.numpy (and numpy) define an answer at the edges, cotangent gives the same: integer
// statistics in float, division and remainder by zero, integer linspace/arange, eye's k, complex
// logs at 0 and inf, one-hot of floats. References: numpy 2 printed values and jnp's source rules
// (noted per case), never cotangent itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, linalg, grad, jit, vmap, NotImplementedError, DTypeError, ValueError, type Array as NDArray } from '../ts/index.ts';

const i32 = (v: number[]) => np.array(v, { dtype: 'int32' });

test('var, std and norm of integers compute in float32 (an int32 sum of squares wrapped)', () => {
  assert.equal(np.var(i32([2e9, 2e9, 2e9])).item(), 0);
  assert.equal(np.var(i32([2e9, 2e9, 2e9])).dtype, 'float32'); // jnp's _var: float32 for ints
  assert.equal(np.std(i32([2e9, 2e9])).item(), 0);
  assert.deepEqual(np.var(i32([2e9, 2e9, 1, 1]).reshape(2, 2), { axis: 1 }).tolist(), [0, 0]);
  assert.equal(np.var(i32([1, 2, 3, 4])).item(), 1.25); // numpy: 1.25
  assert.equal(linalg.norm(i32([65536, 0])).item(), 65536);
  assert.equal(np.norm(i32([3, 4])).item(), 5);
  assert.equal(linalg.norm(i32([2e9, 2e9]), { ord: 1 }).item(), 4e9);
  assert.equal(linalg.norm(i32([-2147483648, 0]), { ord: Infinity }).item(), 2147483648);
  assert.equal(linalg.norm(i32([65536, 0, 0, 0]).reshape(2, 2)).item(), 65536); // Frobenius
});

test('floor division by zero is +-inf for floats; integer remainder by zero is 0 (numpy, and jnp.remainder)', () => {
  // numpy: np.floor_divide([1, -1, 2.5, inf, 0], 0.) = [inf, -inf, inf, inf, nan]; by -0.: [-inf, inf]
  assert.deepEqual(np.floorDivide(np.array([1, -1, 2.5, Infinity, 0]), 0).tolist(), [Infinity, -Infinity, Infinity, Infinity, NaN]);
  assert.deepEqual(np.floorDivide(np.array([1, -1], { dtype: 'float64' }), -0).tolist(), [-Infinity, Infinity]);
  assert.deepEqual(np.floorDivide(np.array([7, -7, 7.5]), 2).tolist(), [3, -4, 3]);
  assert.deepEqual(np.remainder(i32([5, -5]), 0).tolist(), [0, 0]);
  assert.deepEqual(np.remainder(np.array([5, 7], { dtype: 'uint32' }), np.array([0, 3], { dtype: 'uint32' })).tolist(), [0, 1]);
  assert.deepEqual(np.remainder(i32([5, -5, 5, -5]), i32([3, 3, -3, -3])).tolist(), [2, 1, -1, -2]); // sign of the divisor
  assert.deepEqual(np.divmod(i32([5]), 0)[1].tolist(), [0]);
});

test('integer linspace floors and integer arange counts by the truncated step (numpy; jnp.arange calls it)', () => {
  assert.deepEqual(np.linspace(-10, 0, 4, { dtype: 'int32' }).tolist(), [-10, -7, -4, 0]); // numpy 2: [-10 -7 -4 0]
  assert.deepEqual(np.linspace(-10, 0, 3, { endpoint: false, dtype: 'int32' }).tolist(), [-10, -7, -4]);
  assert.deepEqual(np.linspace(np.array(-10), np.array(0), 4, { dtype: 'int32' }).tolist(), [-10, -7, -4, 0]);
  assert.deepEqual(np.arange(0, 5, 1.5, { dtype: 'int32' }).tolist(), [0, 1, 2, 3]); // numpy: [0 1 2 3]
  // int32 when the values fit, whatever stop is (jnp: np.arange(..., dtype=int32)); float32 rounded them all to 2^31
  const top = np.arange(2147483645, 2147483648);
  assert.equal(top.dtype, 'int32'); assert.deepEqual(top.tolist(), [2147483645, 2147483646, 2147483647]);
  assert.deepEqual(np.arange(3e9, 3e9 + 1024, 256).tolist(), [3e9, 3e9 + 256, 3e9 + 512, 3e9 + 768]); // float32, exact
  // past int32 where float32 would round (consecutive values to one): refused, as JAX refuses the int
  // (arange(2**31 - 2, 2**31 + 1) was float32 [2147483648, 2147483648, 2147483648])
  assert.throws(() => np.arange(2 ** 31 - 2, 2 ** 31 + 1), (e: Error) => e instanceof ValueError && /float32 cannot hold 2147483646/.test(e.message));
  assert.throws(() => np.arange(3e9, 3e9 + 2), ValueError);
  assert.deepEqual(np.arange(2 ** 31 - 2, 2 ** 31 + 1, { dtype: 'float64' }).tolist(), [2 ** 31 - 2, 2 ** 31 - 1, 2 ** 31]);
  // numpy's float32 fill: first + i * (second - first) in float32 (np.arange(0, 1, .1, dtype=float32)[9] = 0.90000004)
  assert.equal(np.arange(0, 1, 0.1).dataSync()[9], 0.9000000357627869); // numpy's float32, printed as a double
  assert.equal(np.arange(1, 0, -0.3).dataSync()[3], 0.09999996423721313);
  assert.deepEqual(np.arange(0, 1, 0.25, { dtype: 'float64' }).tolist(), [0, 0.25, 0.5, 0.75]);
  assert.deepEqual(np.arange(2, 11, 3).tolist(), [2, 5, 8]);
});

test("np.eye takes numpy's k (positionally or as an option); complex astype to bool; integer round with negative decimals refused", () => {
  assert.deepEqual(np.eye(3, 3, 1).tolist(), [[0, 1, 0], [0, 0, 1], [0, 0, 0]]);
  assert.deepEqual(np.eye(3, 4, { k: -1 }).tolist(), [[0, 0, 0, 0], [1, 0, 0, 0], [0, 1, 0, 0]]);
  // the diagonal's ones stored in place, every dtype and offset (numpy: np.eye(2, 5, 3), np.eye(4, 2, -3), np.eye(3, 3, 4))
  assert.deepEqual(np.eye(2, 5, 3, { dtype: 'bool' }).tolist(), [[false, false, false, true, false], [false, false, false, false, true]]);
  assert.deepEqual(np.eye(4, 2, -3, { dtype: 'int32' }).tolist(), [[0, 0], [0, 0], [0, 0], [1, 0]]);
  assert.deepEqual(np.eye(3, 3, 4).tolist(), [[0, 0, 0], [0, 0, 0], [0, 0, 0]]);
  assert.deepEqual(np.real(np.eye(2, { dtype: 'complex64' })).tolist(), [[1, 0], [0, 1]]);
  assert.deepEqual(np.imag(np.eye(2, { dtype: 'complex128' })).tolist(), [[0, 0], [0, 0]]);
  assert.deepEqual(np.eye(0, 3).shape, [0, 3]);
  assert.deepEqual(np.eye(2, null as any, 1).tolist(), [[0, 1], [0, 0]]);
  assert.equal(np.eye(2, 'float64').dtype, 'float64');
  assert.throws(() => np.eye(2, 2, 0.5), /np.eye: k must be an integer/);
  assert.deepEqual(np.astype(np.complex(np.array([0, 0, 1]), np.array([0, 2, 0])), 'bool').tolist(), [false, true, true]);
  assert.throws(() => np.round(i32([15, 25]), -1), NotImplementedError);
  assert.deepEqual(np.round(np.array([15, 25, 35]), -1).tolist(), [20, 20, 40]); // floats: half to even, as numpy
});

test('complex log10 and log2 keep a zero imaginary part at 0 and inf; oneHot of floats compares as jax.nn.one_hot', () => {
  // numpy: np.log10([0j, inf+0j]) = [-inf+0j, inf+0j]
  assert.deepEqual(np.log10(np.complex(np.array([0, Infinity]), np.array([0, 0]))).tolist(), [{ re: -Infinity, im: 0 }, { re: Infinity, im: 0 }]);
  assert.deepEqual(np.log2(np.complex(np.array([0]), np.array([0]))).tolist(), [{ re: -Infinity, im: 0 }]);
  const z = np.log10(np.complex(np.array([0], { dtype: 'float64' }), np.array([100], { dtype: 'float64' }))).tolist()[0];
  assert.ok(Math.abs(z.re - 2) < 1e-15 && Math.abs(z.im - Math.PI / 2 / Math.LN10) < 1e-15); // log10(100i) = 2 + i pi/(2 ln 10)
  assert.deepEqual(np.oneHot(np.array([2, 0.5, -1, 3]), 4).tolist(), [[0, 0, 1, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 1]]);
  assert.deepEqual(np.oneHot(np.array([true, false]), 2).tolist(), [[0, 1], [1, 0]]);
  assert.deepEqual(np.oneHot(i32([1, 5]), 3).tolist(), [[0, 1, 0], [0, 0, 0]]);
});

// ---- from a trial of special values and dtypes (2026-12-02): each was a silent wrong answer

test('logsumexp with weights b masks b = 0 entries before the max, and broadcasts x with b (jax.nn.logsumexp)', () => {
  // JAX: a = where(b != 0, a, -inf) first, so a huge masked entry cannot move the max
  assert.equal(np.logsumexp(np.array([1000, 0]), { b: np.array([0, 1]) }).item(), 0);
  assert.equal(np.logsumexp(np.array([Infinity, 0]), { b: np.array([0, 1]) }).item(), 0);
  assert.ok(Math.abs(np.logsumexp(np.array([110, 1, 2]), { b: np.array([0, 1, 1]) }).item() - Math.log(Math.E + Math.E ** 2)) < 1e-6);
  const g = grad((x: any) => np.logsumexp(x, { b: np.array([0, 1, 1]) }))(np.array([100, 1, 2])).tolist() as number[];
  const s = Math.E + Math.E ** 2;
  [0, Math.E / s, Math.E ** 2 / s].forEach((v, i) => assert.ok(Math.abs(g[i] - v) < 1e-6, `${g}`));
  // x [2] with b [2, 2], all axes: one number over the broadcast (was a vector of per-row values)
  const r = np.logsumexp(np.array([1, 2], { dtype: 'float64' }), { b: np.array([[1, 1], [0, 1]]) });
  assert.deepEqual(r.shape, []);
  assert.ok(Math.abs(r.item() - Math.log(Math.E + 2 * Math.E ** 2)) < 1e-12);
});

test('logsumexp returnSign gives [log|sum|, sign] (jax.nn.logsumexp return_sign); complex weights keep the principal log', () => {
  const f64 = (v: number[]) => np.array(v, { dtype: 'float64' });
  const x = f64([1, 2, 3]), b = f64([1, -3, 0.5]);
  const s = Math.E - 3 * Math.E ** 2 + 0.5 * Math.E ** 3; // -4.2...: negative
  assert.ok(Number.isNaN(np.logsumexp(x, { b }).item())); // without returnSign: NaN, as JAX
  const [v, sg] = np.logsumexp(x, { b, returnSign: true });
  assert.ok(Math.abs(v.item() - Math.log(-s)) < 1e-14, `${v}`);
  assert.equal(sg.item(), -1);
  assert.equal(sg.dtype, 'float64');
  // d log|s| / dx_i = b_i e^{x_i} / s (closed form), eager and jitted
  const want = [1, 2, 3].map((xi, i) => [1, -3, 0.5][i] * Math.exp(xi) / s);
  const g = grad((x: any) => np.logsumexp(x, { b, returnSign: true })[0]);
  for (const got of [g(x), jit(g)(x)]) (got.tolist() as number[]).forEach((gi, i) => assert.ok(Math.abs(gi - want[i]) < 1e-12, `${got}`));
  // without weights the sign is 1; over an empty axis log 0 = -inf with sign 0 (scipy's)
  const [l1, s1] = np.logsumexp(x, { returnSign: true });
  assert.ok(Math.abs(l1.item() - Math.log(Math.E + Math.E ** 2 + Math.E ** 3)) < 1e-14 && s1.item() === 1, `${l1} ${s1}`);
  const [e, es] = np.logsumexp(np.zeros([0, 2]), { axis: 0, returnSign: true });
  assert.deepEqual([e.tolist(), es.tolist()], [[-Infinity, -Infinity], [0, 0]]);
  // complex: numpy log(sum(exp([3.1j, -3.1j, -3.1j]))) = 1.0978432747049758 - 3.1277213251411826j; with
  // weights, the shift by a complex max (lexicographic: 3.1j) gave +3.155 (off by 2 pi)
  const z = np.array([{ re: 0, im: 3.1 }, { re: 0, im: -3.1 }, { re: 0, im: -3.1 }], { dtype: 'complex128' });
  for (const r of [np.logsumexp(z), np.logsumexp(z, { b: f64([1, 1, 1]) })]) {
    const { re, im } = r.item() as { re: number; im: number };
    assert.ok(Math.abs(re - 1.0978432747049758) < 1e-14 && Math.abs(im + 3.1277213251411826) < 1e-14, `${r}`);
  }
  // complex returnSign: a real log|sum| and the unit sum / |sum|
  const [zl, zs] = np.logsumexp(z, { returnSign: true });
  assert.equal(zl.dtype, 'float64');
  const u = zs.item() as { re: number; im: number };
  assert.ok(Math.abs(zl.item() - 1.0978432747049758) < 1e-14 && Math.abs(u.re + 0.9999037946661526) < 1e-14 && Math.abs(u.im + 0.013870883613829292) < 1e-14, `${zs}`);
  assert.throws(() => np.logsumexp(x, { returnSign: 1 } as any), /returnSign must be true or false/);
});

test('logsumexp, softmax and logSoftmax of integers compute in float32 (x - max wrapped in uint32)', () => {
  // scipy.special.logsumexp([10, 3]) = 10.000911466453774; softmax = [0.99908895, 0.00091105]
  const u = np.array([10, 3], { dtype: 'uint32' });
  assert.ok(Math.abs(np.logsumexp(u).item() - 10.000911466453774) < 1e-5);
  const sm = np.softmax(u).tolist() as number[];
  assert.ok(Math.abs(sm[0] - 0.99908895) < 1e-6 && Math.abs(sm[1] - 0.00091105) < 1e-6, `${sm}`);
  assert.ok(Number.isFinite((np.logSoftmax(u).tolist() as number[])[1]));
  assert.equal(np.logsumexp(np.array([10, -2147483648], { dtype: 'int32' })).item(), 10);
});

test('nanmax, nanmin and nansum of integers and bools are the plain reductions, in their dtype (JAX _nan_reduction)', () => {
  const a = np.nanmax(np.array([16777217], { dtype: 'int32' }));
  assert.equal(a.dtype, 'int32'); assert.equal(a.item(), 16777217);
  const s = np.nansum(np.array([16777217, 0], { dtype: 'int32' }));
  assert.equal(s.dtype, 'int32'); assert.equal(s.item(), 16777217);
  assert.equal(np.nanmin(np.array([4294967295], { dtype: 'uint32' })).item(), 4294967295);
  assert.equal(np.nanmax(np.array([true, false])).dtype, 'bool');
  assert.throws(() => np.nanmax(np.array([])), /np\.nanmax: zero-size/);
  assert.throws(() => np.ptp(np.array([])), /np\.ptp: zero-size/);
});

test('searchsorted promotes a and v together: a JS integer stays exact against int32 a, float64 v is not rounded to float32', () => {
  const a = np.array([16777216, 16777217], { dtype: 'int32' });
  assert.equal(np.searchsorted(a, 16777217).item(), 1);
  assert.deepEqual(np.searchsorted(np.array([1, 1.0000001]), np.array([1.00000001], { dtype: 'float64' })).tolist(), [1]);
  assert.deepEqual(np.searchsorted(np.array([1, 2, 3], { dtype: 'uint32' }), 2, 'right').tolist(), 2);
});

test('cumprod in float32 multiplies in float64 (the scan drifted 2e-3 relative over 1e5 factors near 1)', () => {
  // reference: float32(1.0001) ** 1e5 in float64 (numpy: np.prod(np.full(100000, np.float32(1.0001), np.float64)))
  const ref = 22052.015017314363;
  const c = np.cumprod(np.full([100000], 1.0001)).dataSync();
  assert.ok(Math.abs(c[99999] - ref) / ref < 1e-6, `${c[99999]}`);
  assert.equal(np.cumprod(np.full([3], 1.0001)).dtype, 'float32');
});

test('median of two equal infinities is the infinity (jnp midpoint; numpy mean), quantile too', () => {
  assert.equal(np.median(np.array([Infinity, Infinity])).item(), Infinity);
  assert.equal(np.median(np.array([-Infinity, -Infinity])).item(), -Infinity);
  assert.deepEqual(np.median(np.array([[Infinity, Infinity], [1, 2]]), { axis: 1 }).tolist(), [Infinity, 1.5]);
  assert.equal(np.quantile(np.array([1, Infinity, Infinity]), 0.75).item(), Infinity);
  assert.equal(np.median(np.array([1, 2, 3, 4])).item(), 2.5);
  assert.ok(Number.isNaN(np.median(np.array([1, NaN, 3])).item()));
});

test('lax.round rounds halves away from zero by default (JAX), to even with RoundingMethod.TO_NEAREST_EVEN', () => {
  assert.deepEqual(lax.round(np.array([0.5, 1.5, 2.5, -0.5, -2.5, 0.49999997, 2 ** 100, Infinity])).tolist(), [1, 2, 3, -1, -3, 0, 2 ** 100, Infinity]);
  assert.ok(Object.is((lax.round(np.array([-0.4])).tolist() as number[])[0], -0));
  assert.deepEqual(lax.round(np.array([0.5, 1.5, 2.5]), lax.RoundingMethod.TO_NEAREST_EVEN).tolist(), [0, 2, 2]);
  assert.throws(() => lax.round(np.array([0.5]), 7 as any), /lax\.round: roundingMethod/);
  assert.throws(() => lax.round(np.array([1], { dtype: 'int32' })), /lax\.round: needs a float/);
  assert.equal(grad((x: any) => np.sum(lax.round(x)))(np.array([0.5, 1.2])).tolist().join(), '0,0');
});

test('sinc has its Maclaurin derivatives at 0 (JAX _sinc_maclaurin): second -pi^2/3, fourth pi^4/5', () => {
  const f64 = (v: number) => np.array(v, { dtype: 'float64' });
  assert.ok(Math.abs(grad(grad(np.sinc))(f64(0)).item() + Math.PI ** 2 / 3) < 1e-12);
  assert.ok(Math.abs(grad(grad(grad(grad(np.sinc))))(f64(0)).item() - Math.PI ** 4 / 5) < 1e-9);
  assert.equal(grad(np.sinc)(f64(0)).item(), 0);
  // values near and away from 0 against numpy.sinc
  const v = np.sinc(np.array([0, 0.01, 0.02, 0.5], { dtype: 'float64' })).tolist() as number[];
  [1, 0.9998355147105485, 0.9993421562398412, 0.6366197723675814].forEach((r, i) => assert.ok(Math.abs(v[i] - r) < 1e-13, `${v}`));
  // the first derivative just outside the polynomial's range, against the closed form
  const x = 0.05, px = Math.PI * x;
  const d = (Math.cos(px) * px - Math.sin(px)) / (px * x);
  assert.ok(Math.abs(grad(np.sinc)(f64(x)).item() - d) < 1e-12);
});

test('rint promotes integers to float32 (jnp.rint), sign refuses bool (numpy and JAX), round of complex rounds each part', () => {
  const r = np.rint(np.array([3, -2], { dtype: 'int32' }));
  assert.equal(r.dtype, 'float32'); assert.deepEqual(r.tolist(), [3, -2]);
  assert.deepEqual(np.rint(np.array([0.5, 1.5, 2.5])).tolist(), [0, 2, 2]);
  assert.equal(np.round(np.array([3], { dtype: 'int32' })).dtype, 'int32'); // round keeps ints (jnp.round)
  assert.throws(() => np.sign(np.array([true, false])), /np\.sign: not defined for bool/);
  // numpy: np.round(1.26+2.37j, 1) = (1.3+2.4j)
  const z = np.round(np.array({ re: 1.26, im: 2.37 }, { dtype: 'complex128' }), 1).item() as { re: number; im: number };
  assert.ok(Math.abs(z.re - 1.3) < 1e-12 && Math.abs(z.im - 2.4) < 1e-12, JSON.stringify(z));
});

test('np.full takes the fill value dtype (bool for true) and an Array or list fill broadcast to the shape', () => {
  const b = np.full([2], true);
  assert.equal(b.dtype, 'bool'); assert.deepEqual(b.tolist(), [true, true]);
  const i = np.full([2], np.array(3, { dtype: 'int32' }));
  assert.equal(i.dtype, 'int32'); assert.deepEqual(i.tolist(), [3, 3]);
  assert.deepEqual(np.full([2, 2], [1, 2]).tolist(), [[1, 2], [1, 2]]);
  assert.equal(np.full([2], { re: 1, im: -1 }).dtype, 'complex64');
  assert.equal(np.full([2], 7, 'int32').dtype, 'int32');
  assert.equal(np.full([2], np.array(1.5), { dtype: 'float64' }).dtype, 'float64');
  assert.equal(grad((x: any) => np.sum(np.full([3], x)))(np.array(2.0)).item(), 3);
});

test('np.asarray converts to a given dtype (jnp.asarray), as a string or { dtype }', () => {
  const a = np.asarray(np.array([16777217], { dtype: 'int32' }), 'float64');
  assert.equal(a.dtype, 'float64'); assert.equal(a.item(), 16777217);
  assert.deepEqual(np.asarray(np.array([2.5, -2.5]), 'int32').tolist(), [2, -2]);
  assert.equal(np.asarray(2, { dtype: 'int32' }).dtype, 'int32');
  assert.equal(np.asarray({ re: 1, im: 2 }, { dtype: 'complex128' }).dtype, 'complex128');
  const x = np.array([1, 2]);
  assert.equal(np.asarray(x), x); // no dtype: the Array itself
});

test('lax.convertElementType refuses unknown dtypes; lax.argmax takes indexDtype int32 or uint32', () => {
  assert.throws(() => lax.convertElementType(np.array([1.7]), 'garbage' as any), /lax\.convertElementType: unknown or unsupported dtype 'garbage'/);
  assert.throws(() => lax.convertElementType(np.array([1]), 'int64' as any), DTypeError);
  const u = lax.argmax(np.array([1, 3, 2]), 0, 'uint32');
  assert.equal(u.dtype, 'uint32'); assert.equal(u.item(), 1);
  assert.equal(lax.argmin(np.array([1, 3, 0]), 0, 'uint32').item(), 2);
  assert.throws(() => lax.argmax(np.array([1, 3, 2]), 0, 'float32'), /indexDtype must be 'int32' or 'uint32'/);
});

test('lax.reduceMax/reduceMin/argmax/argmin take int32, uint32 and bool operands (JAX\'s lax does), exactly', () => {
  const u = np.array([2, 3000000000, 7], { dtype: 'uint32' }), i = np.array([[-5, 3], [2, -2147483648]], { dtype: 'int32' });
  const m = lax.reduceMax(u, [0]);
  assert.equal(m.dtype, 'uint32'); assert.equal(m.item(), 3000000000);
  assert.deepEqual(lax.reduceMin(i, [1]).tolist(), [-5, -2147483648]);
  assert.equal(lax.reduceMin(i, [1]).dtype, 'int32');
  assert.equal(lax.argmax(u, 0, 'int32').item(), 1);
  assert.deepEqual(lax.argmin(i, 1, 'int32').tolist(), [0, 1]);
  const b = np.array([false, true, true]);
  assert.equal(lax.reduceMax(b, [0]).item(), true); assert.equal(lax.reduceMin(b, [0]).item(), false);
  assert.equal(lax.argmax(b, 0, 'int32').item(), 1); // (the first maximum)
  // a dtype a binary primitive has no kernel for is named as such (it said the two int32[2] operands differed)
  const I = np.array([7, -7], { dtype: 'int32' });
  assert.throws(() => lax.pow(I, I), (e: unknown) => e instanceof DTypeError && /lax\.pow: not defined for int32 operands, got int32\[2\] twice/.test((e as Error).message));
  assert.throws(() => lax.add(I, np.array([1, 2])), /lax\.add: operands must have one dtype and shape, got int32\[2\] and float32\[2\]/);
});

test('lax.broadcastInDim: dims strictly increasing (JAX), also when the shape does not change (dims [1, 0] returned x as it was)', () => {
  assert.throws(() => lax.broadcastInDim(np.ones([2, 2]), [2, 2], [1, 0]), /lax\.broadcastInDim: dims must be strictly increasing axes of the result shape \[2,2\]/);
  assert.throws(() => lax.broadcastInDim(np.ones([2]), [3, 2], [2]), /strictly increasing axes/);
  assert.deepEqual(lax.broadcastInDim(np.array([1, 2]), [3, 2], [1]).tolist(), [[1, 2], [1, 2], [1, 2]]);
  assert.deepEqual(lax.broadcastInDim(np.array([1, 2]), [2, 3], [0]).tolist(), [[1, 1, 1], [2, 2, 2]]);
});

test('floorDivide, remainder and leftShift of two bools compute in int32 (JAX promote_args_numeric)', () => {
  const t = np.array([true, true]), f = np.array([true, false]);
  const q = np.floorDivide(t, f);
  assert.equal(q.dtype, 'int32'); assert.deepEqual(q.tolist(), [1, -2]); // int x // 0: XLA's x / 0 = -1, then the floor correction (JAX)
  assert.deepEqual(np.remainder(t, t).tolist(), [0, 0]);
  assert.deepEqual(np.leftShift(t, t).tolist(), [2, 2]);
});

test('a long float32 dot product sums in blocks into float64 (eight float32 accumulators over 1e7 terms drifted 1%)', () => {
  // float32(0.1) * 1e7 = 1000000.0149 exactly; numpy's float32 BLAS dot gives 997297.6 here
  const d = np.dot(np.full([1e7], 0.1), np.ones([1e7])).item();
  assert.ok(Math.abs(d - 1000000.0149) / 1e6 < 1e-5, `${d}`);
  const m = np.matmul(np.ones([2, 1e6]), np.full([1e6, 1], 0.1)).tolist() as number[][];
  assert.ok(Math.abs(m[1][0] - 100000.00149) / 1e5 < 1e-5, `${m}`);
  // integers wrap exactly as before: numpy int32 dot of arange(10000) with itself
  assert.equal(np.dot(np.arange(10000, { dtype: 'int32' }), np.arange(10000, { dtype: 'int32' })).item(), -1724114088);
});

test('sum, mean and prod take jnp\'s dtype: the operand is converted before reducing', () => {
  const b = np.array([true, true, false]);
  const s = np.sum(b, { dtype: 'float32' });
  assert.equal(s.dtype, 'float32'); assert.equal(s.item(), 2);
  const big = np.array([2e9, 2e9], { dtype: 'int32' });
  assert.equal(np.sum(big).item(), -294967296); // int32 wraps (numpy int32 sum)
  assert.equal(np.sum(big, { dtype: 'float64' }).item(), 4e9);
  const m = np.mean(np.array([1, 2], { dtype: 'float32' }), { dtype: 'float64' });
  assert.equal(m.dtype, 'float64'); assert.equal(m.item(), 1.5);
  assert.equal(np.prod(np.array([65536, 65536], { dtype: 'int32' }), { dtype: 'float64' }).item(), 2 ** 32);
  assert.deepEqual(np.sum(np.ones([2, 3]), { axis: 1, dtype: 'int32' }).tolist(), [3, 3]);
});

test('np.clip takes jnp\'s { min, max } as well as two bounds', () => {
  assert.deepEqual(np.clip(np.array([-2, 0.5, 3]), { min: 0, max: 1 }).tolist(), [0, 0.5, 1]);
  assert.deepEqual(np.clip(np.array([-2, 0.5, 3]), { max: 1 }).tolist(), [-2, 0.5, 1]);
  assert.deepEqual(np.clip(np.array([-2, 0.5, 3]), 0, 1).tolist(), [0, 0.5, 1]);
  assert.throws(() => np.clip(np.array([1]), { min: 0 }, 1), /either as \{ min, max \} or as two arguments/);
  assert.throws(() => np.clip(np.array([1]), { lo: 0 } as any), /unknown option 'lo'/);
});

test('einsum and tensordot of bool with int operands compute in the int dtype (jnp promotes; float32 rounded 16777217)', () => {
  const b = (v: any) => np.array(v, { dtype: 'bool' }), i32 = (v: any) => np.array(v, { dtype: 'int32' });
  const e = np.einsum('i,i->', b([true, false]), i32([16777217, 5]));
  assert.equal(e.dtype, 'int32'); assert.equal(e.item(), 16777217);
  assert.deepEqual(np.einsum('ij,j->i', b([[true, true]]), i32([16777217, 2])).tolist(), [16777219]);
  assert.equal(np.tensordot(b([true]), i32([16777217]), 1).item(), 16777217);
  const u = np.einsum('i,i->', b([true]), np.array([4294967295], { dtype: 'uint32' }));
  assert.equal(u.dtype, 'uint32'); assert.equal(u.item(), 4294967295);
  assert.equal(np.einsum('i,i->', b([true, true]), b([true, false])).item(), true); // all bool: bool
});

test('lax.iota takes JAX\'s (dtype, size) and refuses what is not a size', () => {
  assert.deepEqual(lax.iota('int32', 3).tolist(), [0, 1, 2]);
  const f = lax.iota('float64', 3);
  assert.equal(f.dtype, 'float64'); assert.deepEqual(f.tolist(), [0, 1, 2]);
  assert.equal(lax.iota('uint32', 2).dtype, 'uint32');
  assert.deepEqual(lax.iota(4).tolist(), [0, 1, 2, 3]);
  for (const bad of [2.5, NaN, -1, '3']) assert.throws(() => lax.iota(bad as never), /lax\.iota: size must be/);
  assert.throws(() => lax.iota('bool' as never, 3), /lax\.iota: dtype/);
});

test('float32 arccosh below -2^26 is NaN (x + sqrt(x^2 - 1) rounded to 0 there: -inf)', () => {
  const r = np.arccosh(np.array([-1e8, -67108872, -67108864, -2, 1], { dtype: 'float32' })).tolist() as number[];
  assert.ok(r.slice(0, 4).every(Number.isNaN), String(r));
  assert.equal(r[4], 0);
});

test('einsum\'s repeated labels select the diagonal: an inf or NaN off it stays out (numpy and JAX: einsum("ii", [[1, inf], [NaN, 4]]) = 5)', () => {
  const M = np.array([[1, Infinity], [NaN, 4]]);
  assert.equal(np.einsum('ii', M).item(), 5);
  assert.deepEqual(np.einsum('ii->i', M).tolist(), [1, 4]);
  assert.deepEqual(np.einsum('ii,i->i', M, np.ones([2])).tolist(), [1, 4]);
  assert.deepEqual(grad((m: any) => np.einsum('ii', m))(np.array([[1, 2], [3, 4]])).tolist(), [[1, 0], [0, 1]]);
});

test('JS numbers and lists beside float64 Arrays are read in float64 (they were float32 first in these paths); np.astype of a JS value is exact', () => {
  const f64 = (v: any) => np.array(v, { dtype: 'float64' });
  const x = f64([1, 1]), L = [0.1, 1e8 + 0.3];
  const want = 0.1 + (1e8 + 0.3); // the float64 sum
  assert.equal(np.inner(L, x).item(), want);
  assert.equal(np.vdot(L, x).item(), want);
  assert.deepEqual((np.outer(x, L).tolist() as number[][])[0], L);
  assert.deepEqual(np.kron(x, L).tolist(), [...L, ...L]);
  assert.deepEqual(np.concatenate([x, L]).tolist(), [1, 1, ...L]);
  assert.deepEqual(np.stack([f64(0.1), 1e8 + 0.3]).tolist(), L);
  assert.equal(np.sum(L, { dtype: 'float64' }).item(), want);
  assert.deepEqual(linalg.solve(f64([[1, 0], [0, 1]]), L).tolist(), L);
  assert.deepEqual(linalg.triangularSolve(f64([[1, 0], [0, 1]]), L).tolist(), L);
  assert.equal(np.average(f64([1, 0]), { weights: [0.3, 0.1] }).item(), 0.3 / (0.3 + 0.1)); // numpy: 0.7499999999999999
  assert.equal(np.astype(0.1, 'float64').item(), 0.1);
  assert.equal(np.astype(16777217, 'int32').item(), 16777217);
  assert.equal(np.astype(1.7, 'int32').item(), 1); // still a conversion (truncation)
  assert.deepEqual(np.searchsorted(L, f64([0.10000000001])).tolist(), [1]); // 0.1 < 0.10000000001 in float64
  // all-JS inputs keep the float32 default
  assert.equal(np.inner([1, 2], [3, 4]).dtype, 'float32');
  assert.equal(np.stack([1, 2]).dtype, 'float32');
});

test('numpy names a port reaches for: nanprod, nanvar, nanstd (numpy values), signbit, floatPower, pow and absolute (was JS\'s "is not a function")', () => {
  const D = (v: number[] | number[][]) => np.array(v, { dtype: 'float64' });
  const x = D([[1, NaN, 3], [NaN, NaN, NaN], [2, 4, 8]]);
  const close = (got: unknown, want: number[]) => (got as number[]).forEach((g, i) => assert.ok(Object.is(g, want[i]) || Math.abs(g - want[i]) < 1e-14, `${got} vs ${want}`));
  // numpy 2.4: nanvar(x, axis=1) = [1, nan, 6.222222222222222]; nanstd(..., ddof=1) = [1.4142135623730951, nan, 3.0550504633038935]
  close(np.nanvar(x, { axis: 1 }).tolist(), [1, NaN, 56 / 9]);
  close(np.nanstd(x, { axis: 1, ddof: 1 }).tolist(), [Math.SQRT2, NaN, Math.sqrt(28 / 3)]);
  close(np.nanprod(x, 1).tolist(), [3, 1, 64]);
  close([np.nanvar(x).item()], [5.840000000000001]); // numpy: 5.840000000000001
  close((np.nanvar(x, { axis: 0, keepdims: true }).tolist() as number[][])[0], [0.25, 0, 6.25]);
  // d nanvar / dx over [1, NaN, 3]: 2 (x - mean) / n = [-1, 0, 1]
  close(grad((v: NDArray) => np.nanvar(v))(D([1, NaN, 3])).tolist(), [-1, 0, 1]);
  assert.deepEqual(np.signbit(D([-0, 0, -1, Infinity, -Infinity])).tolist(), [true, false, true, false, true]);
  assert.deepEqual(np.signbit(np.array([-3, 2], { dtype: 'int32' })).tolist(), [true, false]);
  // float32 -0, a negative subnormal, a NaN with its sign bit clear, eagerly, under jit and vmap
  const s32 = np.array([-0, 0, NaN, -1e-45, -Infinity, 3], { dtype: 'float32' });
  assert.deepEqual(np.signbit(s32).tolist(), [true, false, false, true, true, false]);
  assert.deepEqual(jit((v: any) => np.signbit(v))(s32).tolist(), [true, false, false, true, true, false]);
  assert.deepEqual(vmap((v: any) => np.signbit(v))(np.reshape(s32, [6, 1])).tolist(), [[true], [false], [false], [true], [true], [false]]);
  // a NaN with its sign bit set (np.negative(NaN)): numpy's and jnp's signbit are true, copysign(1, -nan) is -1
  for (const dt of ['float32', 'float64'] as const) {
    const negNaN = np.negative(np.array([NaN], { dtype: dt }));
    assert.deepEqual(np.signbit(negNaN).tolist(), [true], dt);
    assert.deepEqual(jit((v: any) => np.signbit(v))(negNaN).tolist(), [true], dt);
    assert.deepEqual(np.copysign(np.array([1, 1], { dtype: dt }), np.concatenate([negNaN, np.array([-0], { dtype: dt })])).tolist(), [-1, -1], dt);
    assert.deepEqual(np.signbit(np.array([-0, 5e-324, -5e-324], { dtype: 'float64' })).tolist(), [true, false, true]);
  }
  assert.equal(np.floatPower(np.array([2], { dtype: 'int32' }), -1).dtype, 'float32');
  close(np.floatPower(np.array([2], { dtype: 'int32' }), -1).tolist(), [0.5]);
  assert.equal(np.pow(D([2]), 10).item(), 1024);
  assert.equal(np.absolute(D([-3])).item(), 3);
});
