// np.convolve / correlate (1-d, modes full/same/valid), np.cov / corrcoef (rowvar, bias, ddof,
// fweights, aweights, y, complex), nancumsum / nancumprod, isposinf / isneginf, append, and
// average's `returned`. Every expected value is numpy 2.4's (run on the same inputs), except
// where JAX differs (integer inputs compute in float32); derivatives by checkGrads (float64
// finite differences).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, jit, vmap, checkGrads, ValueError, DTypeError, type Array as NDArray } from '../ts/index.ts';

const f64 = (x: any) => np.array(x, { dtype: 'float64' });
const L = (v: NDArray) => v.tolist();
function close(got: NDArray, want: number[] | number[][], tol = 1e-12, what = '') {
  const g = [got.tolist()].flat(3) as number[], w = [want].flat(3) as number[];
  assert.equal(g.length, w.length, `${what}: length`);
  g.forEach((v, i) => assert.ok(Math.abs(v - w[i]) <= tol * Math.max(1, Math.abs(w[i])), `${what}[${i}]: ${v}, want ${w[i]}`));
}

test('np.convolve and np.correlate: numpy\'s values in every mode, either argument the longer, complex, and large (a sum of shifts)', () => {
  const a = f64([1, 2, 3, 4, 5]), v = f64([1, -2, 0.5]);
  const want: Record<string, number[][]> = { // convolve(a, v), convolve(v, a), correlate(a, v), correlate(v, a)
    full: [[1, 0, -0.5, -1, -1.5, -8, 2.5], [1, 0, -0.5, -1, -1.5, -8, 2.5], [0.5, -1, -1.5, -2, -2.5, -6, 5], [5, -6, -2.5, -2, -1.5, -1, 0.5]],
    same: [[0, -0.5, -1, -1.5, -8], [0, -0.5, -1, -1.5, -8], [-1, -1.5, -2, -2.5, -6], [-6, -2.5, -2, -1.5, -1]],
    valid: [[-0.5, -1, -1.5], [-0.5, -1, -1.5], [-1.5, -2, -2.5], [-2.5, -2, -1.5]],
  };
  for (const mode of ['full', 'same', 'valid'] as const) {
    const [c1, c2, r1, r2] = want[mode];
    assert.deepEqual(L(np.convolve(a, v, mode)), c1, `convolve ${mode}`);
    assert.deepEqual(L(np.convolve(v, a, { mode })), c2);
    assert.deepEqual(L(np.correlate(a, v, mode)), r1, `correlate ${mode}`);
    assert.deepEqual(L(np.correlate(v, a, mode)), r2);
  }
  assert.deepEqual(L(np.correlate(a, v)), want.valid[2]); // (correlate's default mode: valid)
  // 'same' with the second the longer: numpy correlates the other way round and reverses
  assert.deepEqual(L(np.correlate(f64([1, 2, 3, 4]), f64([1, -2]), 'same')), [-2, -3, -4, -5]);
  assert.deepEqual(L(np.correlate(f64([1, -2]), f64([1, 2, 3, 4]), 'same')), [-5, -4, -3, -2]);
  const c = np.array([{ re: 1, im: 1 }, { re: 2, im: -1 }], { dtype: 'complex128' }), d = np.array([{ re: 0, im: 1 }, { re: 1, im: 0 }, { re: 2, im: 2 }], { dtype: 'complex128' });
  const pairs = (t: NDArray) => (t.tolist() as { re: number; im: number }[]).map((z) => [z.re + 0, z.im + 0]); // (zeros without their sign)
  assert.deepEqual(pairs(np.correlate(c, d, 'full')), [[4, 0], [3, -5], [3, -2], [-1, -2]]);
  assert.deepEqual(pairs(np.correlate(d, c, 'full')), [[-1, 2], [3, 2], [3, 5], [4, 0]]);
  assert.deepEqual(pairs(np.convolve(c, d)), [[-1, 1], [2, 3], [2, 3], [6, 2]]);
  // 3000 x 2000: past the matmul's size, the sum of shifted copies (numpy: -222.4074691563855)
  close(np.convolve(np.linspace(0, 1, 3000, { dtype: 'float64' }), np.linspace(-1, 1, 2000, { dtype: 'float64' })).get(2500), [-222.4074691563855], 1e-12, 'large');
  // integers compute in float32, as jnp's
  const i = np.convolve(np.array([1, 2], { dtype: 'int32' }), [1, 1]);
  assert.equal(i.dtype, 'float32'); assert.deepEqual(L(i), [1, 3, 2]);
  // derivatives, jit and vmap
  checkGrads((x: NDArray, k: NDArray) => np.convolve(x, k, 'same'), [a, v], { order: 2 });
  checkGrads((x: NDArray, k: NDArray) => np.correlate(k, x, 'full'), [a, v], { order: 1 });
  assert.deepEqual(L(jit((x: NDArray) => np.correlate(x, v))(a)), want.valid[2]);
  assert.deepEqual(L(vmap((x: NDArray) => np.convolve(x, v, 'valid'))(np.stack([a, a]))), [want.valid[0], want.valid[0]]);
  assert.throws(() => np.convolve(f64([[1, 2]]), v), (e: Error) => e instanceof ValueError && /must be 1-d/.test(e.message));
  assert.throws(() => np.convolve(a, f64([])), /is empty/);
  assert.throws(() => np.convolve(a, v, 'middle' as any), /mode must be/);
});

test('np.cov and np.corrcoef: numpy\'s values for rowvar, bias, ddof, y, frequency and observation weights, complex; derivatives', () => {
  const m = f64([[0, 1, 2, 4], [2, 1, 0.5, -1], [1, 3, 2, 2]]);
  const C = [[2.9166666666666665, -2.125, 0.3333333333333333], [-2.125, 1.5625, -0.3333333333333333], [0.3333333333333333, -0.3333333333333333, 0.6666666666666666]];
  close(np.cov(m), C, 1e-15, 'cov');
  close(np.cov(np.transpose(m), { rowvar: false }), C, 1e-15, 'rowvar false');
  close(np.cov(m, { bias: true }), [[2.1875, -1.59375, 0.25], [-1.59375, 1.171875, -0.25], [0.25, -0.25, 0.5]], 1e-15, 'bias');
  close(np.cov(m, { ddof: 2 }), [[4.375, -3.1875, 0.5], [-3.1875, 2.34375, -0.5], [0.5, -0.5, 1]], 1e-15, 'ddof');
  close(np.cov(m, { fweights: [1, 2, 1, 3] }), [[2.904761904761904, -2.071428571428571, -0.047619047619047596], [-2.071428571428571, 1.4880952380952381, -0.03571428571428575], [-0.047619047619047596, -0.035714285714285754, 0.4761904761904761]], 1e-13, 'fweights');
  close(np.cov(m, { aweights: [0.5, 1, 2, 1] }), [[2.25, -1.607142857142857, 0], [-1.607142857142857, 1.1607142857142856, -0.07142857142857142], [0, -0.07142857142857142, 0.4642857142857143]], 1e-13, 'aweights');
  close(np.cov(m, { fweights: [1, 2, 1, 3], aweights: [0.5, 1, 2, 1] }), [[2.361702127659575, -1.6595744680851063, -0.2553191489361702], [-1.6595744680851066, 1.175531914893617, 0.12765957446808512], [-0.25531914893617025, 0.12765957446808512, 0.351063829787234]], 1e-13, 'both');
  const one = np.cov(f64([1, 2, 4, 7]));
  assert.deepEqual(one.shape, []); assert.equal(one.item(), 7); // (one variable: 0-d, numpy's squeeze)
  close(np.cov(f64([1, 2, 4, 7]), f64([2, 1, 0, 3])), [[7, 1.3333333333333333], [1.3333333333333333, 1.6666666666666665]], 1e-15, 'y');
  close(np.corrcoef(m), [[1, -0.9954180744075039, 0.23904572186687872], [-0.9954180744075039, 1, -0.3265986323710904], [0.23904572186687872, -0.32659863237109044, 1]], 1e-14, 'corrcoef');
  close(np.corrcoef(f64([1, 2, 4, 7]), f64([2, 1, 0, 3])), [[1, 0.3903600291794132], [0.3903600291794132, 1]], 1e-14, 'corrcoef y');
  const z = np.array([[{ re: 1, im: 1 }, { re: 2, im: 0 }, { re: 0, im: -1 }], [{ re: 1, im: 0 }, { re: 0, im: 2 }, { re: 3, im: 1 }]], { dtype: 'complex128' });
  const pairs = (t: NDArray) => (t.tolist() as { re: number; im: number }[][]).flat().flatMap((q) => [q.re, q.im]);
  pairs(np.cov(z)).forEach((v, k) => assert.ok(Math.abs(v - [2, 0, -2, -1.5, -2, 1.5, 3.3333333333333335, 0][k]) < 1e-14, `complex cov ${k}`));
  pairs(np.corrcoef(z)).forEach((v, k) => assert.ok(Math.abs(v - [1, 0, -0.7745966692414833, -0.5809475019311124, -0.7745966692414833, 0.5809475019311124, 1, 0][k]) < 1e-14, `complex corrcoef ${k}`));
  checkGrads((x: NDArray) => np.cov(x), [m], { order: 2 });
  checkGrads((x: NDArray) => np.corrcoef(x), [m], { order: 1 });
  checkGrads((x: NDArray, w: NDArray) => np.cov(x, { aweights: w }), [m, f64([0.5, 1, 2, 1])], { order: 1 });
  assert.throws(() => np.cov(m, { fweights: [1, 2] }), /one weight per observation \(4\)/);
  assert.throws(() => np.cov(m, f64([1, 2])), /4 and 2 observations/);
});

test('nancumsum, nancumprod, isposinf, isneginf, append, and average\'s returned', () => {
  const x = f64([[1, NaN, 3], [NaN, 2, 4]]);
  assert.deepEqual(L(np.nancumsum(x)), [1, 1, 4, 4, 6, 10]);
  assert.deepEqual(L(np.nancumsum(x, { axis: 0 })), [[1, 0, 3], [1, 2, 7]]);
  assert.deepEqual(L(np.nancumprod(x, 1)), [[1, 1, 3], [1, 2, 8]]);
  assert.deepEqual(L(grad((v: NDArray) => np.sum(np.nancumsum(v)))(x)), [[6, 0, 4], [0, 2, 1]]);
  const inf = f64([Infinity, -Infinity, 1, NaN]);
  assert.deepEqual(L(np.isposinf(inf)), [true, false, false, false]);
  assert.deepEqual(L(np.isneginf(inf)), [false, true, false, false]);
  assert.deepEqual(L(np.isposinf(np.array([1, 2], { dtype: 'int32' }))), [false, false]);
  assert.throws(() => np.isposinf(np.array([{ re: 1, im: 0 }], { dtype: 'complex64' })), DTypeError);
  assert.deepEqual(L(np.append([1, 2, 3], [[4, 5], [6, 7]])), [1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(L(np.append(np.array([[1, 2, 3], [4, 5, 6]]), [[7, 8, 9]], { axis: 0 })), [[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  const a = f64([[1, 2, 3], [4, 5, 6]]);
  const [avg, w] = np.average(a, { axis: 1, weights: [1, 2, 3], returned: true });
  close(avg, [2.3333333333333335, 5.333333333333333], 1e-15, 'avg'); assert.deepEqual(L(w), [6, 6]);
  const [m0, n0] = np.average(a, { axis: 0, returned: true });
  assert.deepEqual([L(m0), L(n0)], [[2.5, 3.5, 4.5], [2, 2, 2]]);
  const [mAll, nAll] = np.average(a, { returned: true });
  assert.deepEqual([mAll.item(), nAll.item()], [3.5, 6]);
});

test('np.gradient: numpy\'s central differences, edge orders 1 and 2, uniform and coordinate spacing, one axis or several', () => {
  // every expected list is numpy 2.4's, bit for bit
  const f = f64([1, 2, 4, 7, 11, 16]), x = f64([0, 1, 1.5, 3.5, 4, 6]);
  assert.deepEqual(L(np.gradient(f) as NDArray), [1, 1.5, 2.5, 3.5, 4.5, 5]);
  assert.deepEqual(L(np.gradient(f, 2) as NDArray), [0.5, 0.75, 1.25, 1.75, 2.25, 2.5]);
  assert.deepEqual(L(np.gradient(f, { edgeOrder: 2 }) as NDArray), [0.5, 1.5, 2.5, 3.5, 4.5, 5.5]);
  assert.deepEqual(L(np.gradient(f, x) as NDArray), [1, 2.9999999999999996, 3.5, 6.700000000000001, 6.899999999999999, 2.5]);
  assert.deepEqual(L(np.gradient(f, x, { edgeOrder: 2 }) as NDArray), [-1, 2.9999999999999996, 3.5, 6.700000000000001, 6.899999999999999, -1.8999999999999968]);
  const g = f64([[1, 2, 6], [3, 4, 5]]);
  assert.deepEqual((np.gradient(g) as NDArray[]).map(L), [[[2, 2, -1], [2, 2, -1]], [[1, 2.5, 4], [1, 1, 1]]]);
  assert.deepEqual(L(np.gradient(g, { axis: 0 }) as NDArray), [[2, 2, -1], [2, 2, -1]]);
  assert.deepEqual((np.gradient(g, 2, [0, 1, 3]) as NDArray[]).map(L), [[[1, 1, -0.5], [1, 1, -0.5]], [[1, 1.3333333333333335, 2], [1, 0.8333333333333333, 0.5]]]);
  const i = np.gradient(np.array([1, 2, 4, 7], { dtype: 'int32' })) as NDArray;
  assert.equal(i.dtype, 'float32'); assert.deepEqual(L(i), [1, 1.5, 2.5, 3]);
  checkGrads((v: NDArray, c: NDArray) => np.gradient(v, c, { edgeOrder: 2 }) as NDArray, [f, x], { order: 2 });
  assert.throws(() => np.gradient(f64([1, 2]), { edgeOrder: 2 }), /needs at least 3/);
  assert.throws(() => np.gradient(g, 1, 2, 3), /one per axis \(2\)/);
  assert.throws(() => np.gradient(f, f64([1, 2])), /must be 1-d with 6 values/);
});

test('probe findings on the additions: cov without degrees of freedom, invalid weights, a one-row y with rowvar false; initial in the dtype; diff n 0; append options; prod of complex with inf', () => {
  // numpy 2.4 for each: ddof >= N divides by 0 (inf, NaN; it was a negative "variance")
  const c = np.cov(f64([[1, 2, 3], [2, 1, 5]]), { ddof: 4 }).tolist() as number[][];
  assert.ok(c.flat().every((v) => !Number.isFinite(v)), JSON.stringify(c));
  assert.throws(() => np.cov(f64([[1, 2, 3], [2, 1, 5]]), { aweights: [1, -1, 1] }), /aweights cannot be negative/);
  assert.throws(() => np.cov(f64([[1, 2, 3], [2, 1, 5]]), { fweights: [1, -1, 1] }), /fweights cannot be negative/);
  assert.throws(() => np.cov(f64([[1, 2, 3], [2, 1, 5]]), { fweights: [1, 1.5, 1] }), /fweights must be integers/);
  close(np.cov(f64([[1, 2], [3, 5], [4, 4]]), f64([[1, 5, 2]]), { rowvar: false }),
    [[2.3333333333333335, 1.8333333333333333, 1.3333333333333333], [1.8333333333333333, 2.3333333333333335, 2.8333333333333335], [1.3333333333333333, 2.8333333333333335, 4.333333333333334]], 1e-15, 'one-row y');
  // a JS list read in the asked dtype before the mask or initial (it went through float32)
  assert.equal(np.sum([0.1, 0.2, 0.3, 1e-9], { dtype: 'float64', initial: 0 }).item(), 0.6000000010000001);
  // initial converted to the dtype: 2.5 into int32 is 2, -1 into bool is true; NaN into int32 is refused
  const s = np.sum(np.array([1, 2], { dtype: 'int32' }), { initial: 2.5 });
  assert.equal(s.dtype, 'int32'); assert.equal(s.item(), 5);
  assert.deepEqual(np.max(np.array([[1, 5]], { dtype: 'int32' }), { axis: 0, initial: 2.5 }).tolist(), [2, 5]);
  assert.equal(np.max(np.array([false, false]), { initial: -1 }).item(), true);
  assert.throws(() => np.sum(np.array([1, 2], { dtype: 'int32' }), { initial: NaN }), /initial NaN/);
  assert.throws(() => np.prod(f64([1, 2]), { initial: 1, wher: [true, false] } as any), /valid options are 'axis', 'keepdims', 'dtype', 'where', 'initial'/);
  assert.deepEqual(np.diff([1, 4, 9], { n: 0, prepend: 5 }).tolist(), [1, 4, 9]);
  assert.throws(() => np.append([1, 2], [3], { axes: 0 } as any), /unknown option 'axes'/);
  assert.throws(() => np.append([1, 2], [3], 'x' as any), /axis must be an integer or null/);
  // an odd length's last factor was padded with 1 + 0i: inf * (1 + 0i) = inf + NaN i
  const z = np.array([{ re: 1, im: 1 }, { re: 1, im: 2 }, { re: Infinity, im: 0 }], { dtype: 'complex128' });
  assert.deepEqual(np.prod(z).tolist(), { re: -Infinity, im: Infinity });
  // pad 'mean' over no values: NaN for floats, as numpy
  const p = np.pad(f64([1, 2, 3]), 2, { mode: 'mean', statLength: 0 }).tolist() as number[];
  assert.ok(Number.isNaN(p[0]) && Number.isNaN(p[6]) && p[2] === 1, JSON.stringify(p));
});
