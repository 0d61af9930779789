// np.gcd / lcm, modf, spacing, i0, unwrap, cumulativeSum / cumulativeProd, vecdot / matvec /
// vecmat, rowStack, histogramBinEdges / histogram2d, piecewise, applyAlongAxis, vectorize.
// Every expected value is numpy 2.4's on the same inputs (pasted), except where noted: JAX's
// dtypes where JAX differs (int32 counts, float32 for integer inputs), i1 values (the derivative
// of i0) from scipy.special.i1, and i0 past numpy's overflow from mpmath.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  np, grad, jit, vmap, checkGrads, ValueError, DTypeError, ShapeError, AxisError, type Array as NDArray,
} from '../ts/index.ts';

const f64 = (x: any) => np.array(x, { dtype: 'float64' });
const i32 = (x: any) => np.array(x, { dtype: 'int32' });
const L = (v: NDArray) => v.tolist();
function close(got: NDArray, want: any, tol = 1e-15, what = '') {
  const g = [got.tolist()].flat(5) as number[], w = [want].flat(5) as number[];
  assert.equal(g.length, w.length, `${what}: length`);
  g.forEach((v, i) => {
    if (Number.isNaN(w[i]) || !Number.isFinite(w[i])) { assert.ok(Object.is(v, w[i]) || (Number.isNaN(v) && Number.isNaN(w[i])), `${what}[${i}]: ${v}, want ${w[i]}`); return; }
    assert.ok(Math.abs(v - w[i]) <= tol * Math.max(1, Math.abs(w[i])), `${what}[${i}]: ${v}, want ${w[i]}`);
  });
}
const signs = (v: NDArray) => ([v.tolist()].flat(3) as number[]).map((x) => Object.is(x, -0) ? '-0' : String(x));

test('np.gcd and np.lcm: numpy\'s values with negatives, zeros, int32\'s minimum, Fibonacci worst cases, uint32, broadcasting; jit and vmap', () => {
  // numpy's: np.gcd(int32 [...], int32 [...]) etc.
  const a = i32([12, -18, 0, 0, -2147483648, 1836311903, 7]), b = i32([18, 12, 5, 0, 6, 1134903170, -2147483648]);
  const g = np.gcd(a, b);
  assert.equal(g.dtype, 'int32');
  assert.deepEqual(L(g), [6, 6, 5, 0, 2, 1, 1]);
  assert.deepEqual(L(np.lcm(i32([12, -4, 0, 65536]), i32([18, 6, 5, 65536]))), [36, 12, 0, 65536]);
  assert.deepEqual(L(np.lcm(i32([-4, 21]), 6)), [12, 42]);
  // uint32: the largest values, and consecutive Fibonacci numbers F47, F46 (46 Euclid steps; numpy: 1)
  const u = (x: number[]) => np.array(x, { dtype: 'uint32' });
  const gu = np.gcd(u([4294967295, 12, 2971215073]), u([3, 8, 1836311903]));
  assert.equal(gu.dtype, 'uint32');
  assert.deepEqual(L(gu), [3, 4, 1]);
  assert.deepEqual(L(np.gcd(u([2971215072, 2971215073]), u([1836311902, 1836311903]))), [2, 1]); // numpy's
  assert.deepEqual(L(np.gcd(i32([[12], [9]]), [6, 9, 12])), [[6, 3, 12], [3, 9, 3]]);
  const s = np.gcd(12, 18);
  assert.equal(s.dtype, 'int32'); assert.equal(s.item(), 6);
  assert.deepEqual(L(np.gcd(i32([]), 3)), []);
  // jit and vmap (a fixed loop: no data-dependent control flow)
  assert.deepEqual(L(jit((p: NDArray, q: NDArray) => np.gcd(p, q))(a, b)), [6, 6, 5, 0, 2, 1, 1]);
  assert.deepEqual(L(jit((p: NDArray, q: NDArray) => np.lcm(p, q))(i32([12, -4]), i32([18, 6]))), [36, 12]);
  assert.deepEqual(L(vmap((p: NDArray, q: NDArray) => np.gcd(p, q))(i32([[12, 35], [0, 7]]), i32([18, 21]))), [[6, 1], [21, 7]]); // numpy: np.gcd([[12, 35], [0, 7]], [[18], [21]])
  assert.deepEqual(L(vmap((p: NDArray) => np.lcm(p, 4))(i32([6, 10]))), [12, 20]);
  // integers only (jnp's)
  assert.throws(() => np.gcd(f64([1, 2]), 2), (e: Error) => e instanceof DTypeError && /np\.gcd: arguments must be integers.*float64\[2\]/.test(e.message));
  assert.throws(() => np.lcm(i32([1]), 1.5), (e: Error) => e instanceof DTypeError && /np\.lcm: .*1\.5 in x2/.test(e.message));
  assert.throws(() => np.gcd(i32([1, 2]), i32([1, 2, 3])), /np\.gcd/);
});

test('np.modf: numpy\'s signed fractional and integral parts (zeros, infinities, NaN), float32, integers; derivatives', () => {
  // numpy's: (array([-0., -0., 0., -0.5, 0., -0., nan, 0.25]), array([-3., -0., 0., -2., inf, -inf, nan, 3.]))
  const [fr, it] = np.modf(f64([-3, -0, 0, -2.5, Infinity, -Infinity, NaN, 3.25]));
  assert.deepEqual(signs(fr), ['-0', '-0', '0', '-0.5', '0', '-0', 'NaN', '0.25']);
  assert.deepEqual(signs(it), ['-3', '-0', '0', '-2', 'Infinity', '-Infinity', 'NaN', '3']);
  const [f32, i32p] = np.modf(np.array([1.5, -0.25], { dtype: 'float32' })); // numpy's: [0.5, -0.25], [1, -0]
  assert.equal(f32.dtype, 'float32');
  assert.deepEqual(signs(f32), ['0.5', '-0.25']); assert.deepEqual(signs(i32p), ['1', '-0']);
  const [fi] = np.modf(i32([3, -2]));
  assert.equal(fi.dtype, 'float32'); // (jnp's promotion; numpy's float64)
  const x = f64([0.3, -1.7, 2.25]);
  assert.deepEqual(L(grad((v: NDArray) => np.sum(np.modf(v)[0]))(x)), [1, 1, 1]);
  assert.deepEqual(L(grad((v: NDArray) => np.sum(np.multiply(np.modf(v)[1], v)))(x)), [0, -1, 2]); // d(trunc(v) v) = trunc(v)
  checkGrads((v: NDArray) => np.multiply(np.modf(v)[0], v), [x], { order: 2 });
  assert.deepEqual(jit((v: NDArray) => np.modf(v))(x).map(L), np.modf(x).map(L));
  assert.throws(() => np.modf(np.array([{ re: 1, im: 1 }], { dtype: 'complex64' })), (e: Error) => e instanceof DTypeError && /np\.modf: not defined for complex/.test(e.message));
});

test('np.spacing: numpy\'s distance to the next float away from zero (zeros, negatives, subnormals, the largest value, inf, NaN), float32; no derivative', () => {
  // numpy's: np.spacing(float64 [...])
  close(np.spacing(f64([0, -0, 1, -1, 1e300, -3e-320, 1.7976931348623157e308, NaN, Infinity])),
    [5e-324, 5e-324, 2.220446049250313e-16, -2.220446049250313e-16, 1.487016908477783e+284, -5e-324, Infinity, NaN, NaN], 0, 'float64');
  const s32 = np.spacing(np.array([0, 1, -1, 1e30], { dtype: 'float32' }));
  assert.equal(s32.dtype, 'float32');
  assert.deepEqual(L(s32), [1.401298464324817e-45, 1.1920928955078125e-07, -1.1920928955078125e-07, 7.555786372591432e+22]);
  assert.equal(np.spacing(i32([1])).dtype, 'float32');
  assert.deepEqual(L(grad((v: NDArray) => np.sum(np.spacing(v)))(f64([1, 2]))), [0, 0]);
  assert.deepEqual(L(jit((v: NDArray) => np.spacing(v))(f64([1, -1, 0]))), [2.220446049250313e-16, -2.220446049250313e-16, 5e-324]);
  assert.throws(() => np.spacing(np.array([{ re: 1, im: 1 }], { dtype: 'complex128' })), (e: Error) => e instanceof DTypeError && /np\.spacing/.test(e.message));
});

test('np.i0: numpy\'s values to float64 rounding across both series, float32, past numpy\'s overflow; derivative i1 (scipy\'s), second derivatives', () => {
  // numpy's: np.i0([0, 1, -2, 7.9, 8, 8.1, 30, 700])
  const x = f64([0, 1, -2, 7.9, 8, 8.1, 30, 700]);
  close(np.i0(x), [1.0, 1.2660658777520082, 2.279585302336067, 389.406283282158, 427.56411572180474, 469.5006067101214, 781672297823.9775, 1.5295933476718735e+302], 6e-16, 'i0');
  // a finer comparison: numpy's np.i0(np.linspace(-20, 20, 9)), the Chebyshev part too
  close(np.i0(np.linspace(-20, 20, 9, { dtype: 'float64' })),
    [43558282.559553534, 339649.3732979138, 2815.716628466254, 27.239871823604442, 1, 27.239871823604442, 2815.716628466254, 339649.3732979138, 43558282.559553534], 6e-16, 'grid');
  // infinities and NaN: numpy's [inf, inf, nan]
  assert.deepEqual(L(np.i0(f64([Infinity, -Infinity, NaN]))), [Infinity, Infinity, NaN]);
  // past 709.78 numpy's exp(x) overflows (inf); I0(713) = 6.705128263670996e+307 (mpmath), and I0 itself overflows by 720
  close(np.i0(f64([713, -713])), [6.705128263670996e+307, 6.705128263670996e+307], 1e-15, 'near overflow');
  assert.equal(np.i0(f64([720])).item(), Infinity);
  // float32 (and integers as float32, jnp's): numpy's float32 [0.9999999403953552, 1.266066074371338, 2815.716796875]
  const s = np.i0([0, 1, 10]);
  assert.equal(s.dtype, 'float32');
  close(s, [0.9999999403953552, 1.266066074371338, 2815.716796875], 2e-7, 'float32');
  assert.equal(np.i0(i32([90])).dtype, 'float32');
  close(np.i0(np.array([90], { dtype: 'float32' })), [5.139238e37], 1e-6, 'float32 large'); // (mpmath 5.1392380e37; numpy's float32 gives inf)
  // d/dx i0 = i1: scipy.special.i1([0, 1, -2, 9, 30])
  close(grad((v: NDArray) => np.sum(np.i0(v)))(f64([0, 1, -2, 9, 30])), [0.0, 0.5651591039924851, -1.5906368546373295, 1030.9147225169565, 768532038938.9569], 2e-15, 'i1');
  // d2/dx2 i0 at 0 is 1/2 (the series is even, so it is smooth there)
  close(grad(grad((v: NDArray) => np.i0(v)))(f64(0)), [0.5], 1e-15, 'second derivative at 0');
  checkGrads((v: NDArray) => np.i0(v), [f64([0, 0.5, -3, 7.5, 8.5, -12, 25])], { order: 2 });
  // past e^x's overflow (709.78) reverse mode was NaN where the value and jvp were finite (helper-198):
  // mpmath's besseli(1, x) at 710, 711, -712, 713.9, then besseli(0, x) - besseli(1, x) / x
  const far = f64([710, 711, -712, 713.9]);
  const i1far = [3.3429778585097626e+306, 9.080770067322847e+306, -2.4666770135246153e+307, 1.6470004499232343e+308];
  close(grad((v: NDArray) => np.sum(np.i0(v)))(far), i1far, 2e-15, 'i1 past e^x\'s overflow');
  close(jit(grad((v: NDArray) => np.sum(np.i0(v))))(far), i1far, 2e-15, 'jit(grad)');
  close(vmap(grad(grad((v: NDArray) => np.i0(v))))(f64([710, 713.9])), [3.340626139100628e+306, 1.6458481402601704e+308], 2e-15, 'second derivative');
  // past i0's own overflow the value is inf and so is the derivative (JAX's i1), signed; it was NaN
  assert.deepEqual(L(grad((v: NDArray) => np.sum(np.i0(v)))(f64([714, -800, 2000, Infinity, -Infinity]))), [Infinity, -Infinity, Infinity, Infinity, -Infinity]);
  // float32: scipy's float32 i1 at 89 and 90 (1.8905305e37, 5.1106069e37), and inf past 91.9
  close(grad((v: NDArray) => np.sum(np.i0(v)))(np.array([89, 90], { dtype: 'float32' })), [1.8905305e37, 5.1106069e37], 3e-7, 'float32 i1');
  assert.deepEqual(L(grad((v: NDArray) => np.sum(np.i0(v)))(np.array([92, 200, Infinity], { dtype: 'float32' }))), [Infinity, Infinity, Infinity]);
  close(jit((v: NDArray) => np.i0(v))(x), L(np.i0(x)), 0, 'jit');
  close(vmap((v: NDArray) => np.i0(v))(x), L(np.i0(x)), 0, 'vmap');
  assert.throws(() => np.i0(np.array([{ re: 1, im: 0 }], { dtype: 'complex64' })), (e: Error) => e instanceof DTypeError && /np\.i0: not defined for complex/.test(e.message));
});

test('np.unwrap: numpy\'s values for discont, period (float and even or odd integer), axis; float32 for integers with the default period; derivatives', () => {
  // numpy's: np.unwrap([0, 3, 6.5, 0.2, -3, 3])
  close(np.unwrap(f64([0, 3, 6.5, 0.2, -3, 3])), [0, 3, 0.21681469282041377, 0.2, 3.2831853071795862, 3], 1e-15, 'default');
  close(np.unwrap(f64([0, 3, 6.5, 0.2, -3, 3]), 4), [0, 3, 6.5, 6.483185307179586, 3.2831853071795862, 3], 1e-15, 'discont positional');
  close(np.unwrap(f64([0, 4, 8]), { discont: 5 }), [0, 4, 8], 0, 'discont');
  close(np.unwrap(f64([0, 4, 8])), [0, -2.2831853071795862, -4.5663706143591725], 1e-15, 'default 2');
  close(np.unwrap(f64([350, 10, 20, 340, 330, 359, 2]), { period: 360 }), [350, 370, 380, 340, 330, 359, 362], 0, 'degrees');
  const p6 = np.unwrap(i32([0, 3, 7, 9, 1, 5, 2]), { period: 6 });
  assert.equal(p6.dtype, 'int32'); assert.deepEqual(L(p6), [0, 3, 1, 3, 1, -1, -4]);
  assert.deepEqual(L(np.unwrap(i32([0, 3, 7, 9, 1, 5, 2]), { period: 5 })), [0, -2, -3, -1, 1, 0, 2]); // (numpy's; jnp's boundary rule gives others)
  close(np.unwrap(f64([[0, 1], [5, 2], [1, 7]]), { axis: 0 }), [[0, 1], [-1.2831853071795862, 2], [1, 0.7168146928204138]], 1e-15, 'axis 0');
  const fi = np.unwrap(i32([0, 5, 1]));
  assert.equal(fi.dtype, 'float32'); // (jnp's; numpy's float64 [0, -1.2831853071795862, 1])
  close(fi, [0, -1.2831853071795862, 1], 1e-6, 'int');
  assert.deepEqual(L(np.unwrap(f64([]))), []);
  checkGrads((v: NDArray) => np.unwrap(v), [f64([0, 3, 6.5, 0.2, -3, 3])], { order: 2 });
  close(jit((v: NDArray) => np.unwrap(v))(f64([0, 3, 6.5, 0.2])), [0, 3, 0.21681469282041377, 0.2], 1e-15, 'jit');
  close(vmap((v: NDArray) => np.unwrap(v))(f64([[0, 4, 8], [0, 1, 2]])), [[0, -2.2831853071795862, -4.5663706143591725], [0, 1, 2]], 1e-15, 'vmap');
  assert.throws(() => np.unwrap(f64(1)), (e: Error) => e instanceof ValueError && /np\.unwrap: p must have at least 1 dimension/.test(e.message));
  assert.throws(() => np.unwrap(f64([1, 2]), { axis: 1 }), (e: Error) => e instanceof AxisError && /np\.unwrap/.test(e.message));
  assert.throws(() => np.unwrap(f64([1, 2]), { axes: 0 } as any), /unknown option 'axes'/);
  assert.throws(() => np.unwrap(np.array([{ re: 1, im: 0 }], { dtype: 'complex64' })), DTypeError);
});

test('np.cumulativeSum and np.cumulativeProd: numpy\'s values, includeInitial, dtype, bool; axis required past 1-d; derivatives', () => {
  // numpy's: np.cumulative_sum(...), np.cumulative_prod(...)
  assert.deepEqual(L(np.cumulativeSum(i32([1, 2, 3]))), [1, 3, 6]);
  const cs = np.cumulativeSum(i32([[1, 2, 3], [4, 5, 6]]), { axis: 1, includeInitial: true });
  assert.equal(cs.dtype, 'int32'); assert.deepEqual(L(cs), [[0, 1, 3, 6], [0, 4, 9, 15]]);
  assert.deepEqual(L(np.cumulativeProd(f64([[1, 2, 3], [4, 5, 6]]), { axis: 0, includeInitial: true })), [[1, 1, 1], [1, 2, 3], [4, 10, 18]]);
  assert.deepEqual(L(np.cumulativeSum(f64([[1, 2, 3], [4, 5, 6]]), { axis: -1 })), [[1, 3, 6], [4, 9, 15]]);
  const d = np.cumulativeSum(i32([1, 2, 3]), { dtype: 'float64', includeInitial: true });
  assert.equal(d.dtype, 'float64'); assert.deepEqual(L(d), [0, 1, 3, 6]);
  assert.deepEqual(L(np.cumulativeSum([true, false, true])), [1, 1, 2]);
  assert.deepEqual(L(np.cumulativeProd(np.array([[true, true], [false, true]]), { axis: 1 })), [[1, 1], [0, 0]]);
  const x = f64([[1, 2, 3], [4, 5, 6]]);
  checkGrads((v: NDArray) => np.cumulativeSum(v, { axis: 1, includeInitial: true }), [x], { order: 2 });
  checkGrads((v: NDArray) => np.cumulativeProd(v, { axis: 0, includeInitial: true }), [x], { order: 2 });
  assert.deepEqual(L(jit((v: NDArray) => np.cumulativeProd(v, { axis: 1 }))(x)), [[1, 2, 6], [4, 20, 120]]);
  assert.throws(() => np.cumulativeSum(i32([[1, 2], [3, 4]])), (e: Error) => e instanceof AxisError && /np\.cumulativeSum: axis is required .*int32\[2,2\]/.test(e.message));
  assert.throws(() => np.cumulativeProd(f64(2)), (e: Error) => e instanceof ValueError && /np\.cumulativeProd: the input must have at least 1 dimension/.test(e.message));
  assert.throws(() => np.cumulativeSum(f64([1]), { axis: 1 }), AxisError);
  assert.throws(() => np.cumulativeSum(f64([1]), { include_initial: true } as any), /unknown option 'include_initial'/);
});

test('np.vecdot, np.matvec, np.vecmat: numpy\'s values, conjugated first operand, broadcast batch axes; derivatives; shape errors', () => {
  const A = f64([[1, 2, 3], [4, 5, 6]]);
  // numpy's: np.vecdot(A, [1, 0, -1]), np.vecdot(A, [[1], [2]], axis=0)
  assert.deepEqual(L(np.vecdot(A, f64([1, 0, -1]))), [-2, -2]);
  assert.deepEqual(L(np.vecdot(A, f64([[1], [2]]), { axis: 0 })), [9, 12, 15]);
  const c = np.vecdot(np.array([{ re: 1, im: 2 }, { re: 0, im: 1 }], { dtype: 'complex128' }), np.array([{ re: 3, im: 0 }, { re: 1, im: 1 }], { dtype: 'complex128' }));
  assert.deepEqual(c.item(), { re: 4, im: -7 }); // numpy's (4-7j)
  const M = f64([[[1, 2], [3, 4]], [[0, 1], [1, 0]]]);
  assert.deepEqual(L(np.matvec(M, f64([1, -1]))), [[-1, -1], [-1, 1]]);
  assert.deepEqual(L(np.vecmat(f64([1, -1]), M)), [[-2, -2], [-1, 1]]);
  assert.equal(np.matvec(i32([[1, 2]]), i32([3, 4])).dtype, 'int32');
  checkGrads((p: NDArray, q: NDArray) => np.vecdot(p, q), [A, f64([[1, 0, -1], [2, 1, 0.5]])], { order: 2 });
  checkGrads((m: NDArray, v: NDArray) => np.matvec(m, v), [M, f64([[1, -1], [0.5, 2]])], { order: 2 });
  checkGrads((v: NDArray, m: NDArray) => np.vecmat(v, m), [f64([0.5, -1]), M], { order: 2 });
  assert.deepEqual(L(jit((m: NDArray, v: NDArray) => np.matvec(m, v))(M, f64([1, -1]))), [[-1, -1], [-1, 1]]);
  assert.deepEqual(L(vmap((v: NDArray) => np.vecdot(A, v))(f64([[1, 0, -1], [0, 1, 0]]))), [[-2, -2], [2, 5]]);
  assert.throws(() => np.vecdot(A, f64([1, 2])), (e: Error) => e instanceof ShapeError && /np\.vecdot: the sizes along axis -1 must match, got float64\[2,3\] and float64\[2\]/.test(e.message));
  assert.throws(() => np.vecdot(A, f64([[1, 2, 3], [1, 2, 3], [1, 2, 3]])), /np\.vecdot/);
  assert.throws(() => np.matvec(f64([1, 2]), f64([1, 2])), (e: Error) => e instanceof ShapeError && /np\.matvec: needs x1 \[\.\.\., m, n\]/.test(e.message));
  assert.throws(() => np.vecmat(f64([1, 2, 3]), M), (e: Error) => e instanceof ShapeError && /np\.vecmat/.test(e.message));
});

test('np.rowStack is np.vstack', () => {
  assert.deepEqual(L(np.rowStack([[1, 2], [3, 4]])), [[1, 2], [3, 4]]);
  assert.deepEqual(L(np.rowStack([f64([1, 2]), f64([[3, 4], [5, 6]])])), [[1, 2], [3, 4], [5, 6]]);
  assert.throws(() => np.rowStack([f64([1, 2]), f64([1, 2, 3])]), /np\.vstack/);
});

test('np.histogramBinEdges and np.histogram2d: numpy\'s edges and counts, bins per axis, ranges, weights, density; int32 counts (jnp\'s)', () => {
  // numpy's: np.histogram_bin_edges(...)
  assert.deepEqual(L(np.histogramBinEdges(f64([1, 2, 2, 5]), 4)), [1, 2, 3, 4, 5]);
  assert.deepEqual(L(np.histogramBinEdges(f64([1, 2, 2, 5]), { bins: 3, range: [0, 6] })), [0, 2, 4, 6]);
  assert.deepEqual(L(np.histogramBinEdges(f64([1, 1, 1]), 2)), [0.5, 1, 1.5]);
  assert.deepEqual(L(np.histogramBinEdges(f64([0, 1]), [0, 0.25, 1])), [0, 0.25, 1]);
  assert.deepEqual(L(np.histogramBinEdges(f64([1, 2, 2, 5]), { bins: 4 })), L(np.histogram(f64([1, 2, 2, 5]), 4)[1]));
  assert.throws(() => np.histogramBinEdges(f64([1, 2]), { weights: f64([1]) }), /np\.histogram.*weights/);
  assert.throws(() => np.histogramBinEdges(f64([1, 2]), { bins: 'auto' } as any), (e: Error) => e instanceof ValueError && /string bin estimators/.test(e.message));
  // numpy's: np.histogram2d(x, y, 3) (its counts float64; int32 here, as jnp's)
  const x = f64([0, 1, 1, 2, 3, 0.5]), y = f64([0, 0, 1, 3, 3, 2]);
  const [h, xe, ye] = np.histogram2d(x, y, 3);
  assert.equal(h.dtype, 'int32');
  assert.deepEqual([L(h), L(xe), L(ye)], [[[1, 0, 1], [1, 1, 0], [0, 0, 2]], [0, 1, 2, 3], [0, 1, 2, 3]]);
  const w = f64([1, 2, 3, 4, 5, 6]);
  const [hd, xd, yd] = np.histogram2d(x, y, { bins: [2, [0, 1, 4]], weights: w, density: true });
  close(hd, [[0.09523809523809523, 0.09523809523809523], [0, 0.09523809523809523]], 1e-15, 'density');
  assert.deepEqual([L(xd), L(yd)], [[0, 1.5, 3], [0, 1, 4]]);
  const x2 = f64([0.1, 0.4, 0.35, 0.9, 0.75, 0.2, 1.0]), y2 = f64([1, 2, 3, 4, 5, 6, 7]);
  const r = np.histogram2d(x2, y2, { bins: [[0, 0.5, 1], 3], range: [null, [0, 6]] });
  assert.deepEqual(r.map(L), [[[1, 2, 1], [0, 0, 2]], [0, 0.5, 1], [0, 2, 4, 6]]);
  const e = np.histogram2d(x2, y2, [0, 0.3, 0.6, 1]); // (one list of edges: the same for both axes)
  assert.deepEqual(e.map(L), [[[0, 0, 1], [0, 0, 0], [0, 0, 0]], [0, 0.3, 0.6, 1], [0, 0.3, 0.6, 1]]);
  // weighted counts are linear in the weights; density's normalization is not
  checkGrads((v: NDArray) => np.histogram2d(x, y, { bins: 2, weights: v })[0], [w], { order: 2 });
  checkGrads((v: NDArray) => np.histogram2d(x, y, { bins: 2, weights: v, density: true })[0], [w], { order: 2 });
  assert.deepEqual(L(jit((p: NDArray, q: NDArray) => np.histogram2d(p, q, { bins: 3, range: [[0, 3], [0, 3]] })[0])(x, y)), L(h));
  assert.throws(() => np.histogram2d(x, f64([1, 2])), (e2: Error) => e2 instanceof ShapeError && /np\.histogram2d: x and y must be 1-d of one length, got float64\[6\] and float64\[2\]/.test(e2.message));
  assert.throws(() => np.histogram2d(x, y, { weights: f64([1, 2]) }), (e2: Error) => e2 instanceof ShapeError && /one weight per point \(6\)/.test(e2.message));
  assert.throws(() => np.histogram2d(x, y, [3]), (e2: Error) => e2 instanceof ValueError && /np\.histogram2d: bins/.test(e2.message));
  assert.throws(() => np.histogram2d(x, y, { range: [[0, 1]] } as any), /range must be \[\[xmin, xmax\], \[ymin, ymax\]\]/);
});

test('np.piecewise: numpy\'s values (last true condition wins, a default, constants, one condition, x\'s dtype); jit, vmap, derivatives', () => {
  const x = f64([-2, -1, 0, 1, 2]);
  // numpy's: np.piecewise(x, [x < 0, x >= 0], [lambda v: -v, lambda v: 2 * v]) etc.
  assert.deepEqual(L(np.piecewise(x, [np.less(x, 0), np.greaterEqual(x, 0)], [(v: NDArray) => np.negative(v), (v: NDArray) => np.multiply(v, 2)])), [2, 1, 0, 2, 4]);
  assert.deepEqual(L(np.piecewise(x, [np.less(x, 0)], [-1, (v: NDArray) => np.square(v)])), [-1, -1, 0, 1, 4]);
  const z = f64([-3, -1.5, 0.5, 2, 4]);
  assert.deepEqual(L(np.piecewise(z, np.greater(z, 0), [(v: NDArray) => np.multiply(v, 10)])), [0, 0, 5, 20, 40]);
  assert.deepEqual(L(np.piecewise(z, [np.less(z, 0), np.less(z, -2)], [1, 2, 7])), [2, 1, 7, 7, 7]);
  assert.equal(np.piecewise(f64(3), true, [(v: NDArray) => np.add(v, 1), 0]).item(), 4);
  const xi = i32([-2, -1, 1, 3]);
  const pi = np.piecewise(xi, [np.less(xi, 0)], [(v: NDArray) => np.multiply(v, 1.7), 0.5]);
  assert.equal(pi.dtype, 'int32'); assert.deepEqual(L(pi), [-3, -1, 0, 0]); // numpy's (x's dtype)
  const f = (v: NDArray) => np.piecewise(v, [np.less(v, 0), np.greaterEqual(v, 1)], [(t: NDArray) => np.sin(t), (t: NDArray) => np.exp(t), (t: NDArray) => np.square(t)]);
  checkGrads(f, [f64([-1.5, 0.25, 0.75, 2])], { order: 2 });
  assert.deepEqual(L(jit(f)(x)), L(f(x)));
  assert.deepEqual(L(vmap(f)(f64([[-1, 0.5], [2, -3]]))), L(f(f64([[-1, 0.5], [2, -3]]))));
  assert.throws(() => np.piecewise(x, [np.less(x, 0)], [1, 2, 3]), (e: Error) => e instanceof ValueError && /np\.piecewise: with 1 condition\(s\), either 1 or 2 functions are expected; got 3/.test(e.message));
  assert.throws(() => np.piecewise(x, [[true, false]], [1]), (e: Error) => e instanceof ShapeError && /np\.piecewise: condition 0 bool\[2\] does not broadcast to x's shape float64\[5\]/.test(e.message));
  assert.throws(() => np.piecewise(x, [np.less(x, 0)], [(v: NDArray) => np.stack([v, v])]), (e: Error) => e instanceof ShapeError && /must return a scalar/.test(e.message));
});

test('np.applyAlongAxis: numpy\'s values for scalar and vector results along each axis; derivatives; bad axis', () => {
  const a = f64([[1, 2, 3], [4, 5, 6]]);
  const sq = (v: NDArray) => np.sum(np.square(v));
  // numpy's: np.apply_along_axis(lambda v: np.sum(v**2), 1, a) etc.
  assert.deepEqual(L(np.applyAlongAxis(sq, 1, a)), [14, 77]);
  assert.deepEqual(L(np.applyAlongAxis(sq, 0, a)), [17, 29, 45]);
  const b = np.reshape(np.arange(24, { dtype: 'float64' }), [2, 3, 4]);
  assert.deepEqual(L(np.applyAlongAxis((v: NDArray) => np.stack([np.sum(v), np.max(v)]), 1, b)),
    [[[12, 15, 18, 21], [8, 9, 10, 11]], [[48, 51, 54, 57], [20, 21, 22, 23]]]);
  assert.deepEqual(L(np.applyAlongAxis((v: NDArray) => np.take(np.cumsum(v), [0, 2]), -1, b)),
    [[[0, 3], [4, 15], [8, 27]], [[12, 39], [16, 51], [20, 63]]]);
  checkGrads((v: NDArray) => np.applyAlongAxis((r: NDArray) => np.multiply(np.sum(np.square(r)), r), 0, v), [a], { order: 2 });
  assert.deepEqual(L(jit((v: NDArray) => np.applyAlongAxis(sq, 1, v))(a)), [14, 77]);
  assert.throws(() => np.applyAlongAxis(sq, 2, a), (e: Error) => e instanceof AxisError && /np\.applyAlongAxis/.test(e.message));
  assert.throws(() => np.applyAlongAxis(3 as any, 0, a), (e: Error) => e instanceof ValueError && /func1d must be a function/.test(e.message));
});

test('np.vectorize: numpy\'s values by broadcasting, gufunc signatures (several outputs), excluded arguments; jit, derivatives; signature errors', () => {
  // numpy's: np.vectorize(lambda p, q: p + 2 * q)(...)
  const add2 = np.vectorize((p: NDArray, q: NDArray) => np.add(p, np.multiply(q, 2)));
  assert.deepEqual(L(add2(f64([[1], [2]]), f64([1, 2, 3]))), [[3, 5, 7], [4, 6, 8]]);
  const mul = np.vectorize((p: NDArray, q: NDArray) => {
    assert.equal(p.ndim, 0); return np.multiply(p, q); // (without a signature the function sees 0-d values)
  });
  assert.deepEqual(L(mul(np.full([1, 3], 2, { dtype: 'float64' }), f64([[1, 2, 3]]))), [[2, 4, 6]]);
  const dot = np.vectorize((p: NDArray, q: NDArray) => np.dot(p, q), { signature: '(n),(n)->()' });
  assert.deepEqual(L(dot(f64([[1, 2], [3, 4], [5, 6]]), f64([1, 1]))), [3, 7, 11]);
  const two = np.vectorize((p: NDArray) => [np.sum(p), np.max(p)], { signature: '(n)->(),()' })(f64([[1, 2], [3, 5]]));
  assert.deepEqual(two.map(L), [[3, 8], [2, 5]]);
  const mv = np.vectorize((m: NDArray, v: NDArray) => np.matmul(m, v), { signature: '(m,n),(n)->(m)' });
  const M = np.reshape(np.arange(12, { dtype: 'float64' }), [2, 1, 2, 3]), V = f64([[1, 0, -1], [2, 1, 0], [0, 0, 1]]);
  assert.deepEqual(L(mv(M, V)), [[[-2, -2], [1, 10], [2, 5]], [[-2, -2], [19, 28], [8, 11]]]);
  assert.deepEqual(L(np.vectorize((p: NDArray, e: number) => np.power(p, e), { excluded: [1] })(f64([1, 2, 3]), 2)), [1, 4, 9]);
  assert.deepEqual(L(jit((m: NDArray, v: NDArray) => mv(m, v))(M, V)), L(mv(M, V)));
  checkGrads((m: NDArray, v: NDArray) => mv(m, v), [M, V], { order: 2 });
  assert.throws(() => dot(f64([[1, 2, 3]]), f64([1, 1])), (e: Error) => e instanceof ShapeError && /np\.vectorize: inconsistent size for core dimension 'n': 2 in argument 1 vs 3/.test(e.message));
  assert.throws(() => dot(f64(1), f64([1])), (e: Error) => e instanceof ShapeError && /argument 0 has shape \[\], not enough dimensions/.test(e.message));
  assert.throws(() => np.vectorize((p: NDArray) => p, { signature: '(n)->(n' }), (e: Error) => e instanceof ValueError && /not a valid gufunc signature/.test(e.message));
  assert.throws(() => np.vectorize((p: NDArray) => np.sum(p), { signature: '(n)->(n)' })(f64([1, 2])), (e: Error) => e instanceof ShapeError && /output 0 has shape \[\], which does not match/.test(e.message));
  assert.throws(() => np.vectorize((p: NDArray) => p, { signature: '()->()' })(f64(1), f64(2)), /wrong number of positional arguments/);
  assert.throws(() => np.vectorize((p: NDArray) => p, { excluded: [-1] }), /non-negative integer positions/);
});

test('np.bitwiseCount: the 1 bits of |x| (numpy 2\'s bitwise_count; jnp\'s dtype), int32 and uint32, jit and vmap; floats refused (helper-203)', () => {
  // numpy: np.bitwise_count(np.array([-1, 7, -8, 2**31 - 1, -2**31], np.int32)) = [1, 3, 1, 31, 1]; uint32 [2**32 - 1, 5]: [32, 2]
  const i = np.array([-1, 7, -8, 2147483647, -2147483648], { dtype: 'int32' });
  assert.deepEqual(np.bitwiseCount(i).tolist(), [1, 3, 1, 31, 1]);
  assert.equal(np.bitwiseCount(i).dtype, 'int32');
  assert.deepEqual(np.bitwiseCount(np.array([4294967295, 5, 0], { dtype: 'uint32' })).tolist(), [32, 2, 0]);
  assert.deepEqual(np.bitwiseCount([255, 1024]).tolist(), [8, 1]);
  assert.deepEqual(jit((v: NDArray) => np.bitwiseCount(v))(i).tolist(), [1, 3, 1, 31, 1]);
  assert.deepEqual(vmap((v: NDArray) => np.bitwiseCount(v))(np.array([[3], [15]], { dtype: 'int32' })).tolist(), [[2], [4]]);
  assert.throws(() => np.bitwiseCount(np.array([1.5])), (e: Error) => e instanceof DTypeError && /np\.bitwiseCount: takes integers/.test(e.message));
});
