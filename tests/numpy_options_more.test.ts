// Options added to existing functions: np.unique's axis, np.interp's period, np.cross's mixed 2-
// and 3-vectors with axisa / axisb / axisc, np.fullLike / zerosLike / onesLike's shape,
// linalg.pinv's hermitian, np.var / np.std's dtype. Every expected value is numpy 2.4's (run on
// the same inputs), except where JAX differs (said so beside it); derivatives by checkGrads
// (float64 finite differences).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, linalg, grad, jit, vmap, checkGrads, ValueError, DTypeError, ShapeError, AxisError, TracerError, type Array as NDArray } from '../ts/index.ts';

const f64 = (x: any) => np.array(x, { dtype: 'float64' });
const L = (v: NDArray) => v.tolist();
function close(got: NDArray, want: unknown, tol = 1e-12, what = '') {
  const g = [got.tolist()].flat(4) as number[], w = [want].flat(4) as number[];
  assert.equal(g.length, w.length, `${what}: length`);
  g.forEach((v, i) => assert.ok(v === w[i] || Math.abs(v - w[i]) <= tol * Math.max(1, Math.abs(w[i])), `${what}[${i}]: ${v}, want ${w[i]}`));
}

test('np.unique with axis: numpy\'s distinct rows and slices (lexicographic), with index, inverse (1-d) and counts', () => {
  const x = f64([[1, 2], [0, 1], [1, 2], [0, 0.5]]);
  const [v, i, inv, c] = np.unique(x, { axis: 0, returnIndex: true, returnInverse: true, returnCounts: true });
  // numpy's: np.unique(x, axis=0, return_index=True, return_inverse=True, return_counts=True)
  assert.deepEqual(L(v), [[0, 0.5], [0, 1], [1, 2]]);
  assert.deepEqual(L(i), [3, 1, 0]); assert.deepEqual(L(inv), [2, 1, 2, 0]); assert.deepEqual(L(c), [1, 1, 2]);
  assert.equal(i.dtype, 'int32');
  const cols = np.unique(np.transpose(x), { axis: 1, returnIndex: true, returnInverse: true, returnCounts: true });
  assert.deepEqual(cols.map(L), [[[0, 0, 1], [0.5, 1, 2]], [3, 1, 0], [2, 1, 2, 0], [1, 1, 2]]);
  // 3-d int32 along each axis (numpy's values), a negative axis
  const xi = np.array([[[1, 2], [3, 4]], [[1, 2], [0, 4]], [[1, 2], [3, 4]]], { dtype: 'int32' });
  const r0 = np.unique(xi, { axis: 0, returnIndex: true, returnInverse: true, returnCounts: true });
  assert.equal(r0[0].dtype, 'int32');
  assert.deepEqual(r0.map(L), [[[[1, 2], [0, 4]], [[1, 2], [3, 4]]], [1, 0], [1, 0, 1], [1, 2]]);
  assert.deepEqual(np.unique(xi, { axis: 2, returnIndex: true, returnInverse: true, returnCounts: true }).map(L),
    [[[[1, 2], [3, 4]], [[1, 2], [0, 4]], [[1, 2], [3, 4]]], [0, 1], [0, 1], [1, 1]]);
  assert.deepEqual(np.unique(xi, { axis: -2, returnCounts: true }).map(L), [[[[1, 2], [3, 4]], [[1, 2], [0, 4]], [[1, 2], [3, 4]]], [1, 1]]);
  // 1-d with axis 0: the flat values, inverse 1-d; axis null is the flattened default
  assert.deepEqual(np.unique(f64([3, 1, 3, 2]), { axis: 0, returnInverse: true }).map(L), [[1, 2, 3], [2, 0, 2, 1]]);
  assert.deepEqual(L(np.unique(x, { axis: null })), [0, 0.5, 1, 2]);
  // slices of no entries: all equal, one of them (numpy: shape (1, 0)); no slices at all
  const e = np.unique(np.zeros([3, 0], { dtype: 'float64' }), { axis: 0, returnIndex: true, returnInverse: true, returnCounts: true });
  assert.deepEqual(e[0].shape, [1, 0]); assert.deepEqual(e.slice(1).map(L), [[0], [0, 0, 0], [3]]);
  const z = np.unique(np.zeros([0, 2], { dtype: 'float64' }), { axis: 0, returnIndex: true, returnInverse: true, returnCounts: true });
  assert.deepEqual(z.map((t) => t.shape), [[0, 2], [0], [0], [0]]);
  // -0 equals 0 (numpy: [[0, 1]]); NaN rows kept apart with equalNan false (numpy's), one with jnp's default
  assert.deepEqual(L(np.unique(f64([[0, 1], [-0, 1]]), { axis: 0 })), [[0, 1]]);
  assert.deepEqual(np.unique(f64([[NaN, 1], [NaN, 1]]), { axis: 0, equalNan: false }).shape, [2, 2]);
  assert.deepEqual(np.unique(f64([[NaN, 1], [NaN, 1]]), { axis: 0 }).shape, [1, 2]); // (jnp's equal_nan)
  // jit and vmap with size (jnp's); the fill a whole slice of fillValue
  assert.deepEqual(L(jit((a: NDArray) => np.unique(a, { axis: 0, size: 4, fillValue: -1 }))(x)), [[0, 0.5], [0, 1], [1, 2], [-1, -1]]);
  assert.deepEqual(L(vmap((a: NDArray) => np.unique(a, { axis: 0, size: 3 }))(np.stack([x, np.flip(x, 0)]))), [[[0, 0.5], [0, 1], [1, 2]], [[0, 0.5], [0, 1], [1, 2]]]);
  assert.deepEqual(L(jit((a: NDArray) => np.unique(a, { axis: 1, size: 2, returnCounts: true })[1])(np.transpose(x))), [1, 1]);
  assert.throws(() => jit((a: NDArray) => np.unique(a, { axis: 0 }))(x), (err: Error) => err instanceof TracerError && /np.unique: .*size/.test(err.message));
  // values are a gather: each distinct row's gradient goes to its first occurrence in the sort
  assert.deepEqual(L(grad((a: NDArray) => np.sum(np.multiply(np.unique(a, { axis: 0 }), f64([[1, 2], [3, 4], [5, 6]]))))(x)), [[5, 6], [3, 4], [0, 0], [1, 2]]);
  checkGrads((a: NDArray) => np.unique(a, { axis: 0 }), [f64([[1, 2], [0, 1], [3, 3]])], { order: 2 }); // (distinct rows far apart: the order holds)
  assert.throws(() => np.unique(x, { axis: 2 }), (err: Error) => err instanceof AxisError && /np.unique/.test(err.message));
  assert.throws(() => np.unique(x, { axis: [0] } as any), (err: Error) => err instanceof ValueError && /np.unique: axis must be an integer/.test(err.message));
  assert.throws(() => np.unique(x, { axis: 0, fillValue: 0 }), /fillValue needs a size/);
});

test('np.interp with period: numpy\'s periodic interpolation (xp in any order, left and right ignored)', () => {
  // numpy's documentation example
  const want = [7.5, 5, 8.75, 6.25, 3, 3.25, 3.5, 3.75];
  const x = f64([-180, -170, -185, 185, -10, -5, 0, 365]), xp = f64([190, -190, 350, -350]), fp = f64([5, 10, 3, 4]);
  close(np.interp(x, xp, fp, { period: 360 }), want, 1e-15, 'period 360');
  // a negative period is its absolute value; left and right are ignored (numpy and jnp)
  close(np.interp(f64([0.5, 3.5, -0.25, 7.2]), f64([0, 1, 2]), f64([1, 2, 0]), { period: -3 }), [1.5, 1.5, 0.75, 1.5999999999999996], 1e-15, 'period -3');
  close(np.interp(f64([0.5, 3.5, -0.25, 7.2]), f64([0, 1, 2]), f64([1, 2, 0]), { period: 3, left: -9, right: 9 }), [1.5, 1.5, 0.75, 1.5999999999999996], 1e-15, 'left right');
  close(np.interp(f64([0.5, 1.5]), f64([0.25]), f64([7]), { period: 2 }), [7, 7], 0, 'one point');
  // float32 stays float32 (jnp; numpy computes in float64: these are its values)
  const s = np.interp(np.array([0.3, 1.7, 2.9], { dtype: 'float32' }), np.array([0, 1, 2], { dtype: 'float32' }), np.array([1, 2, 0], { dtype: 'float32' }), { period: 3 });
  assert.equal(s.dtype, 'float32'); close(s, [1.300000011920929, 0.5999999046325684, 0.9000000953674316], 1e-6, 'float32');
  // jit, vmap, derivatives in x, xp and fp (away from the knots)
  close(jit((a: NDArray) => np.interp(a, xp, fp, { period: 360 }))(x), want, 1e-15, 'jit');
  close(vmap((a: NDArray) => np.interp(a, xp, fp, { period: 360 }))(np.stack([x, x])), [want, want], 1e-15, 'vmap');
  close(np.interp(f64([-165, 180, -5, 367]), xp, fp, { period: 360 }), [4.9375, 7.5, 3.25, 3.85], 1e-15, 'between knots'); // numpy's
  checkGrads((a: NDArray, p: NDArray, f: NDArray) => np.interp(a, p, f, { period: 360 }), [f64([-165, 180, -5, 367]), xp, fp], { order: 2 });
  assert.throws(() => np.interp(x, xp, fp, { period: 0 }), (e: Error) => e instanceof ValueError && /np.interp: period must be a nonzero finite number/.test(e.message));
  assert.throws(() => np.interp(x, xp, fp, { period: '3' as any }), /np.interp: period must be/);
  assert.throws(() => np.interp(x, xp, f64([1, 2]), { period: 3 }), ShapeError);
});

test('np.cross: a 2-vector with a 3-vector (z = 0), two 2-vectors (the z component), axisa / axisb / axisc / axis', () => {
  close(np.cross(f64([1, 2]), f64([3, 4, 5])), [10, -5, -2], 0, '2 x 3'); // numpy's
  close(np.cross(f64([1, 2, 3]), f64([3, 4])), [-12, 9, -2], 0, '3 x 2');
  close(np.cross(f64([[1, 2], [3, 4], [5, 6]]), f64([7, 8, 9])), [[18, -9, -6], [36, -27, -4], [54, -45, -2]], 0, 'broadcast');
  const a = f64([[1, 2, 3], [4, 5, 6]]), b = f64([[1, 0], [0, 1], [1, 1]]), b3 = f64([[1, -1], [2, 0.5]]);
  close(np.cross(a, b, { axisb: 0 }), [[2, 2, -2], [-1, -4, 4]], 0, 'axisb');
  close(np.cross(a, b, { axisb: 0, axisc: 0 }), [[2, -1], [2, -4], [-2, 4]], 0, 'axisc');
  close(np.cross(np.transpose(a), b, { axisa: 0, axisb: 0, axisc: 0 }), [[2, -1], [2, -4], [-2, 4]], 0, 'axisa');
  close(np.cross(np.transpose(a), b3, { axis: 0 }), [[-6, -3], [3, -6], [0, 7]], 0, 'axis');
  close(np.cross(np.transpose(a), np.transpose(b3), { axis: 0, axisa: 1 }), [[3, -3], [3, 12], [-3, -8]], 0, 'axis over axisa');
  // two 2-vectors: axisc is not used (numpy ignores it, even out of range)
  close(np.cross(f64([[1, 2], [3, 4]]), f64([[5, 6], [7, 8]]), { axisa: 0, axisb: 0, axisc: 5 }), [-8, -8], 0, '2 x 2');
  // the missing z is an exact zero: an inf elsewhere gives inf, not NaN (numpy's)
  close(np.cross(a, f64([Infinity, 1]), { axisc: 0 }), [[-3, -6], [Infinity, Infinity], [-Infinity, -Infinity]], 0, 'inf');
  // derivatives, jit, vmap
  checkGrads((u: NDArray, w: NDArray) => np.cross(u, w), [f64([1, 2]), f64([-1, 0.5, 2])], { order: 2 });
  checkGrads((u: NDArray, w: NDArray) => np.cross(u, w, { axisb: 0, axisc: 0 }), [a, b], { order: 2 });
  close(jit((u: NDArray, w: NDArray) => np.cross(u, w, { axisb: 0 }))(a, b), [[2, 2, -2], [-1, -4, 4]], 0, 'jit');
  close(vmap((u: NDArray) => np.cross(u, f64([3, 4, 5])))(f64([[1, 2], [0, 1]])), [[10, -5, -2], [5, -0, -3]], 0, 'vmap'); // numpy's
  assert.throws(() => np.cross(a, b, { axisb: 2 }), (e: Error) => e instanceof AxisError && /np.cross: axisb 2 is out of bounds for b float64\[3,2\]/.test(e.message));
  assert.throws(() => np.cross(a, b, { axisb: 0, axisc: 2 }), (e: Error) => e instanceof AxisError && /axisc 2 .*result/.test(e.message));
  assert.throws(() => np.cross(f64([1, 2, 3, 4]), f64([1, 2, 3])), (e: Error) => e instanceof ShapeError && /2 or 3 components/.test(e.message));
  assert.throws(() => np.cross(a, b, { axisb: null } as any), AxisError);
  assert.throws(() => np.cross(a, b, { axes: 0 } as any), /unknown option 'axes'/);
});

test('np.fullLike / zerosLike / onesLike with shape (and dtype): numpy\'s values', () => {
  const a = np.array([[1, 2, 3]], { dtype: 'int32' });
  const check = (t: NDArray, dtype: string, shape: number[], want: unknown) => { assert.equal(t.dtype, dtype); assert.deepEqual(t.shape, shape); assert.deepEqual(L(t), want); };
  check(np.fullLike(a, 2.5, { shape: [2, 2] }), 'int32', [2, 2], [[2, 2], [2, 2]]); // numpy's: int32, the fill truncated
  check(np.fullLike(a, 2.5, { shape: 3, dtype: 'float64' }), 'float64', [3], [2.5, 2.5, 2.5]);
  check(np.fullLike(a, f64([1, 2]), { shape: [3, 2], dtype: 'float32' }), 'float32', [3, 2], [[1, 2], [1, 2], [1, 2]]);
  check(np.zerosLike(a, { shape: [2, 0] }), 'int32', [2, 0], [[], []]);
  check(np.onesLike(a, { shape: [], dtype: 'bool' }), 'bool', [], true);
  check(np.onesLike(a, { shape: [2] }), 'int32', [2], [1, 1]);
  check(np.onesLike(a, 'float64'), 'float64', [1, 3], [[1, 1, 1]]); // (positional dtype, as before)
  // the fill differentiates (a broadcast); jit and vmap
  assert.equal(grad((v: NDArray) => np.sum(np.fullLike(a, v, { shape: [2, 2], dtype: 'float64' })))(f64(3)).item(), 4);
  checkGrads((v: NDArray) => np.fullLike(f64([1, 2]), v, { shape: [2, 3] }), [f64([0.5, -1, 2])], { order: 2 });
  check(jit((x: NDArray) => np.zerosLike(x, { shape: [2] }))(f64([1, 2, 3])), 'float64', [2], [0, 0]);
  check(vmap((x: NDArray) => np.fullLike(x, np.sum(x), { shape: [2] }))(f64([[1, 2, 3], [4, 5, 6]])), 'float64', [2, 2], [[6, 6], [15, 15]]);
  assert.throws(() => np.zerosLike(a, { shape: [-1] }), (e: Error) => e instanceof ShapeError && /np.zerosLike: invalid shape/.test(e.message));
  assert.throws(() => np.onesLike(a, { shape: 'x' } as any), (e: Error) => e instanceof ShapeError && /np.onesLike: shape must be/.test(e.message));
  assert.throws(() => np.fullLike(a, f64([1, 2, 3]), { shape: [2] }), (e: Error) => e instanceof ShapeError && /np.fullLike/.test(e.message));
  assert.throws(() => np.fullLike(a, 1, { shap: [2] } as any), /np.fullLike: unknown option 'shap'/);
});

test('linalg.pinv with hermitian: numpy\'s values (eigh for the SVD), any rank, complex, batched; derivatives', () => {
  const S = f64([[2, 1, 0], [1, 2, 1], [0, 1, 2]]), Sing = f64([[1, 2, 3], [2, 4, 6], [3, 6, -1]]), neg = f64([[1, 3], [3, -2]]);
  const pS = [[0.7500000000000003, -0.49999999999999994, 0.25], [-0.49999999999999994, 0.9999999999999993, -0.4999999999999996], [0.25, -0.4999999999999996, 0.7499999999999996]];
  close(linalg.pinv(S, { hermitian: true }), pS, 1e-14, 'S');
  // rank 2 (numpy's eigenvalue -1e-17 dropped), rank 1, indefinite
  close(linalg.pinv(Sing, { hermitian: true }), [[0.004, 0.007999999999999993, 0.06000000000000002], [0.007999999999999995, 0.015999999999999976, 0.12000000000000001], [0.06000000000000002, 0.12000000000000001, -0.10000000000000002]], 1e-13, 'Sing');
  close(linalg.pinv(f64([[1, 2], [2, 4]]), { hermitian: true }), [[0.04, 0.08], [0.08, 0.16]], 1e-14, 'rank 1');
  close(linalg.pinv(neg, { hermitian: true }), [[0.18181818181818177, 0.2727272727272726], [0.2727272727272726, -0.09090909090909093]], 1e-14, 'indefinite');
  // rtol against the largest |eigenvalue|: 0.9 * 9.35 drops the -5.35 one too
  close(linalg.pinv(Sing, { hermitian: true, rtol: 0.9 }), [[0.01506394529484362, 0.03012789058968723, 0.021835034190722746], [0.030127890589687234, 0.06025578117937445, 0.04367006838144548], [0.021835034190722746, 0.04367006838144548, 0.03164965809277261]], 1e-13, 'rtol');
  const H = np.array([[{ re: 2, im: 0 }, { re: 1, im: 1 }], [{ re: 1, im: -1 }, { re: 3, im: 0 }]], { dtype: 'complex128' });
  const pH = (linalg.pinv(H, { hermitian: true }).tolist() as { re: number; im: number }[][]).flat().flatMap((q) => [q.re, q.im]);
  close(f64(pH), [0.7500000000000002, 0, -0.2500000000000001, -0.2500000000000002, -0.2500000000000001, 0.2500000000000002, 0.5000000000000002, 0], 1e-14, 'complex');
  close(linalg.pinv(np.zeros([2, 2], { dtype: 'float64' }), { hermitian: true }), [[0, 0], [0, 0]], 0, 'zero');
  assert.deepEqual(linalg.pinv(np.zeros([0, 0], { dtype: 'float64' }), { hermitian: true }).shape, [0, 0]);
  // batched, jit, vmap (numpy's values for S and 2 S)
  const pS2 = [[0.37500000000000017, -0.24999999999999997, 0.125], [-0.24999999999999997, 0.49999999999999967, -0.2499999999999998], [0.125, -0.2499999999999998, 0.3749999999999998]];
  const two = np.stack([S, np.multiply(S, 2)]);
  close(linalg.pinv(two, { hermitian: true }), [pS, pS2], 1e-14, 'batched');
  close(jit((m: NDArray) => linalg.pinv(m, { hermitian: true }))(S), pS, 1e-14, 'jit');
  close(vmap((m: NDArray) => linalg.pinv(m, { hermitian: true }))(two), [pS, pS2], 1e-14, 'vmap');
  // derivatives (JAX's pinv rule) along symmetric directions, where eigh's reading of a holds
  const sym = (m: NDArray) => np.divide(np.add(m, np.transpose(m)), 2);
  checkGrads((m: NDArray) => linalg.pinv(sym(m), { hermitian: true }), [S], { order: 2 });
  checkGrads((m: NDArray) => linalg.pinv(sym(m), { hermitian: true }), [neg], { order: 2 });
  assert.throws(() => linalg.pinv(f64([[1, 2, 3]]), { hermitian: true }), (e: Error) => e instanceof ShapeError && /linalg.pinv: a must be square/.test(e.message));
  assert.throws(() => linalg.pinv(S, { hermitian: 1 } as any), (e: Error) => e instanceof ValueError && /linalg.pinv: hermitian must be true or false/.test(e.message));
});

test('np.var / np.std with dtype: computed and returned in it (numpy\'s values; integer dtypes as jnp)', () => {
  const x32 = np.array([[1, 2, 3.5], [0.1, 7, -2]], { dtype: 'float32' });
  const v = np.var(x32, { dtype: 'float64' });
  assert.equal(v.dtype, 'float64'); close(v, 7.972222221311594, 1e-15, 'var f64'); // numpy's (float32 data, float64 sums)
  close(np.var(x32, { dtype: 'float64', axis: 1, ddof: 1 }), [1.5833333333333333, 22.169999997615818], 1e-15, 'ddof');
  const s = np.std(x32, { dtype: 'float64', axis: 0, keepdims: true });
  assert.equal(s.dtype, 'float64'); assert.deepEqual(s.shape, [1, 3]); close(s, [[0.44999999925494194, 2.5, 2.75]], 1e-15, 'std');
  // narrower: float64 data in float32
  const x64 = f64([[1, 2, 3.5], [0.1, 7, -2]]);
  const v32 = np.var(x64, { dtype: 'float32', axis: 1 });
  assert.equal(v32.dtype, 'float32'); close(v32, [1.0555554628372192, 14.779999732971191], 1e-6, 'var f32');
  close(np.std(x64, { dtype: 'float32', axis: 1 }), [1.0274022817611694, 3.8444764614105225], 1e-6, 'std f32');
  // ints: in float64 on request; an integer dtype computes in integers (jnp; numpy agrees on this input)
  assert.equal(np.var(np.array([1, 3, 5, 7], { dtype: 'int32' }), { dtype: 'float64' }).dtype, 'float64');
  const vi = np.var(np.array([1, 3, 5, 7], { dtype: 'int32' }), { dtype: 'int32' });
  assert.equal(vi.dtype, 'int32'); assert.equal(vi.item(), 5);
  assert.equal(np.var(np.array([true, false, true, true]), { dtype: 'float64' }).item(), 0.1875);
  // complex in a complex dtype: the (real) variance in it, as numpy
  const c = np.array([{ re: 1, im: 1 }, { re: 2, im: 0 }, { re: 3, im: 0 }], { dtype: 'complex64' });
  const vc = np.var(c, { dtype: 'complex128' });
  assert.equal(vc.dtype, 'complex128'); close(f64((vc.item() as { re: number }).re), 0.888888888888889, 1e-15, 'complex var');
  close(f64((np.std(c, { dtype: 'complex128' }).item() as { re: number }).re), 0.9428090415820634, 1e-15, 'complex std');
  // derivatives, jit, vmap, the method form
  checkGrads((t: NDArray) => np.var(t, { dtype: 'float64', axis: 0 }), [x64], { order: 2 });
  checkGrads((t: NDArray) => np.std(t, { dtype: 'float64', ddof: 1 }), [x64], { order: 2 });
  close(jit((t: NDArray) => np.var(t, { dtype: 'float64' }))(x32), 7.972222221311594, 1e-15, 'jit');
  close(vmap((t: NDArray) => np.var(t, { dtype: 'float64', ddof: 1 }))(x32), [1.5833333333333333, 22.169999997615818], 1e-15, 'vmap');
  close(x32.var({ dtype: 'float64' }), 7.972222221311594, 1e-15, 'method');
  assert.throws(() => np.var(c, { dtype: 'float64' }), (e: Error) => e instanceof DTypeError && /np.var: dtype float64 is real but x is complex64\[3\]/.test(e.message));
  assert.throws(() => np.std(x32, { dtype: 'int32' }), (e: Error) => e instanceof DTypeError && /np.std: dtype must be a float or complex dtype, got int32/.test(e.message));
  assert.throws(() => np.var(x32, { dtype: 'bool' }), (e: Error) => e instanceof DTypeError && /np.var: dtype must be a float or complex dtype or an integer one, got bool/.test(e.message));
  assert.throws(() => np.var(x32, { dtype: 'float16' as any }), DTypeError);
});

test("np.var and np.std take jnp's where (numpy's too): the kept entries' variance per slice, NaN where none is kept (it was 'unknown option'; helper-203)", () => {
  const x = np.array([[1, -2, 3, 4], [-1, 5, 6, -7], [-1, -1, -1, -1]], { dtype: 'float64' });
  const w = np.greater(x, 0);
  // numpy: np.var(x, axis=1, where=x>0), np.std(..., ddof=1), np.var(x, where=x>0), np.var(x, axis=0, where=x>0, keepdims=True)
  const v = np.var(x, { axis: 1, where: w }).tolist() as number[];
  assert.ok(Math.abs(v[0] - 1.5555555555555554) < 1e-15 && v[1] === 0.25 && Number.isNaN(v[2]), `${v}`);
  const s = np.std(x, { axis: 1, where: w, ddof: 1 }).tolist() as number[];
  assert.ok(Math.abs(s[0] - 1.5275252316519465) < 1e-15 && Math.abs(s[1] - 0.7071067811865476) < 1e-15 && Number.isNaN(s[2]), `${s}`);
  assert.ok(Math.abs((np.var(x, { where: w }).item() as number) - 2.96) < 1e-15);
  assert.deepEqual(np.var(x, { axis: 0, where: w, keepdims: true }).tolist(), [[0, 0, 2.25, 0]]);
  // d var / dx over the kept entries: 2 (x - mean) / n; the others 0 (hand-derived, row 0: mean 8/3, n 3)
  const g = grad((a: any) => np.sum(np.var(a, { axis: 1, where: np.greater(a, 0) })))(x.get('0:2')).tolist() as number[][];
  [[2 * (1 - 8 / 3) / 3, 0, 2 * (3 - 8 / 3) / 3, 2 * (4 - 8 / 3) / 3], [0, -0.5, 0.5, 0]].forEach((row, i) => row.forEach((e, j) => assert.ok(Math.abs(g[i][j] - e) < 1e-15, `${i},${j}: ${g[i][j]}`)));
  assert.deepEqual(jit((a: any) => np.var(a, { axis: 1, where: np.greater(a, 0) }))(x.get('0:2')).tolist(), np.var(x.get('0:2'), { axis: 1, where: w.get('0:2') }).tolist());
});

test('np.diff takes numpy\'s positional n, axis, prepend and append (np.diff(x, 2) said "options must be an object")', () => {
  // numpy 2.4: x = [[1, 4, 9, 16], [2, 3, 5, 7]]; diff(x, 2), diff(x, 1, 0), diff(x, 1, -1, 0)
  const x = f64([[1, 4, 9, 16], [2, 3, 5, 7]]);
  assert.deepEqual(L(np.diff(x, 2)), [[2, 2], [1, 0]]);
  assert.deepEqual(L(np.diff(x, 1, 0)), [[1, -1, -4, -9]]);
  assert.deepEqual(L(np.diff(x, 1, -1, 0)), [[1, 3, 5, 7], [2, 1, 2, 2]]);
  assert.deepEqual(L(np.diff(x, 1, { axis: 0 })), [[1, -1, -4, -9]]); // positions, then an options object
  assert.deepEqual(L(np.diff(x, null, 0)), [[1, -1, -4, -9]]); // null: numpy's default n = 1
  assert.throws(() => np.diff(x, 2, { n: 1 }), ValueError); // n given twice
  assert.throws(() => np.diff(x, 1.5), ValueError);
});

test('np.isclose / np.allclose take numpy\'s positional rtol, atol and equal_nan (they said "options must be an object")', () => {
  // numpy 2.4: isclose([1, nan], [1.001, nan], 0.01, 0, True) -> [True, True]; allclose(1, 1.001, 0.01) -> True
  assert.deepEqual(L(np.isclose([1, NaN], [1.001, NaN], 0.01, 0, true)), [true, true]);
  assert.deepEqual(L(np.isclose([1, NaN], [1.001, NaN], 0.01, { equalNan: true })), [true, true]);
  assert.deepEqual(L(np.isclose([1, NaN], [1.001, NaN])), [false, false]);
  assert.equal(np.allclose(1, 1.001, 0.01), true);
  assert.equal(np.allclose(1, 1.001), false);
  assert.throws(() => np.isclose(1, 1, 0.1, { rtol: 0.2 }), ValueError); // rtol given twice
});
