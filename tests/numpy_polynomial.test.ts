// np.poly, roots, polyadd, polysub, polymul, polydiv, polyder, polyint, polyfit (coefficients highest
// degree first). Every expected value is numpy 2.4's, run on the same inputs, except where jnp
// differs (integer inputs compute in float32; polydiv's remainder keeps u's length; polyfit's
// full residuals are always computed); derivatives by checkGrads (float64 finite differences).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, jit, vmap, grad, checkGrads, ValueError, ShapeError, TracerError, type Array as NDArray } from '../ts/index.ts';

const f64 = (x: any) => np.array(x, { dtype: 'float64' });
const c128 = (pairs: [number, number][]) => np.array(pairs.map(([re, im]) => ({ re, im })), { dtype: 'complex128' });
const L = (v: NDArray) => v.tolist();
function close(got: NDArray | number[], want: unknown, tol = 1e-12, what = '') {
  const g = [Array.isArray(got) ? got : got.tolist()].flat(3) as number[], w = [want].flat(3) as number[];
  assert.equal(g.length, w.length, `${what}: length ${g.length}, want ${w.length}`);
  g.forEach((v, i) => assert.ok(Math.abs(v - w[i]) <= tol * Math.max(1, Math.abs(w[i])), `${what}[${i}]: ${v}, want ${w[i]}`));
}
/** A complex Array's values as [re, im] pairs. */
const pairsOf = (t: NDArray) => (t.tolist() as { re: number; im: number }[]).map((z) => [z.re, z.im]);

const a = f64([1.5, -2, 3.25]), b = f64([2, 0.5, -1, 4, 0.75]);

test('np.polyadd and np.polysub: numpy\'s values, either argument the longer; integers stay integers; scalars; bad input', () => {
  // numpy's
  assert.deepEqual(L(np.polyadd(a, b)), [2, 0.5, 0.5, 2, 4]);
  assert.deepEqual(L(np.polyadd(b, a)), [2, 0.5, 0.5, 2, 4]);
  assert.deepEqual(L(np.polysub(a, b)), [-2, -0.5, 2.5, -6, 2.5]);
  assert.deepEqual(L(np.polysub(b, a)), [2, 0.5, -2.5, 6, -2.5]);
  const i = np.array([1, 2], { dtype: 'int32' }), j = np.array([3, 4, 5], { dtype: 'int32' });
  const s = np.polyadd(i, j), d = np.polysub(i, j);
  assert.equal(s.dtype, 'int32'); assert.equal(d.dtype, 'int32');
  assert.deepEqual([L(s), L(d)], [[3, 5, 7], [-3, -3, -3]]);
  assert.deepEqual(L(np.polyadd(f64(2.5), [1, 1])), [1, 3.5]); // (a scalar is one coefficient, numpy's atleast_1d)
  assert.deepEqual(L(np.polyadd(f64([]), a)), [1.5, -2, 3.25]);
  assert.deepEqual(L(np.polyadd([true], [false, true])), [false, true]); // (numpy's: bool + bool is or)
  assert.throws(() => np.polysub([true], [false]), (e: Error) => e instanceof ValueError && /np.polysub: bool coefficients/.test(e.message));
  assert.throws(() => np.polyadd(f64([[1, 2]]), a), (e: Error) => e instanceof ShapeError && /np.polyadd: a1 must be 1-d .*float64\[1,2\]/.test(e.message));
  assert.throws(() => (np.polyadd as any)(a, b, 1), /at most 2 arguments/);
  checkGrads((p: NDArray, q: NDArray) => np.polyadd(p, np.multiply(q, q)), [a, b], { order: 2 });
  checkGrads((p: NDArray, q: NDArray) => np.polysub(np.multiply(p, p), q), [b, f64([1, 2])], { order: 2 });
  assert.deepEqual(L(jit((p: NDArray, q: NDArray) => np.polysub(p, q))(a, b)), [-2, -0.5, 2.5, -6, 2.5]);
  assert.deepEqual(L(vmap((q: NDArray) => np.polyadd(a, q))(np.stack([b, np.multiply(b, 2)]))), [[2, 0.5, 0.5, 2, 4], [4, 1, -0.5, 6, 4.75]]); // numpy's polyadd(a, b), polyadd(a, 2 b)
});

test('np.polymul and np.polydiv: numpy\'s values, complex, the empty polynomial; polydiv\'s remainder keeps u\'s length (jnp)', () => {
  const prod = [3, -3.25, 4, 9.625, -10.125, 11.5, 2.4375]; // numpy's polymul(a, b)
  assert.deepEqual(L(np.polymul(a, b)), prod);
  assert.deepEqual(L(np.polymul(b, a)), prod);
  close(pairsOf(np.polymul(c128([[1, 2], [0, -1]]), c128([[0.5, -1], [2, 0], [0, 1]]))).flat(), [2.5, 0, 1, 3.5, -2, -1, 1, 0], 1e-15, 'complex polymul');
  assert.deepEqual(L(np.polymul(f64([]), a)), [0, 0, 0]); // (jnp: empty is [0])
  const im = np.polymul(np.array([1, 2], { dtype: 'int32' }), [1, 1]);
  assert.equal(im.dtype, 'float32'); assert.deepEqual(L(im), [1, 3, 2]);
  // numpy's polydiv(b, a): q [1.333.., 2.111.., -0.7407..], r [-4.3425.., 3.1574..] (here after two zeros)
  const [q, r] = np.polydiv(b, a);
  close(q, [1.3333333333333333, 2.1111111111111107, -0.740740740740741], 1e-14, 'q');
  close(r, [0, 0, 0, -4.342592592592592, 3.1574074074074083], 1e-14, 'r');
  assert.deepEqual(r.tolist().slice(0, 3), [0, 0, 0]); // (exactly)
  close(np.add(np.polymul(q, a), r), L(b) as number[], 1e-14, 'q a + r');
  const [q2, r2] = np.polydiv(a, b); // numpy's: [0], a
  assert.deepEqual([L(q2), L(r2)], [[0], [1.5, -2, 3.25]]);
  const [q3, r3] = np.polydiv(f64([1, -3, 0, 4]), f64([1, -2])); // numpy's: [1, -1, -2], [0]
  assert.deepEqual([L(q3), L(r3)], [[1, -1, -2], [0, 0, 0, 0]]);
  const [qc, rc] = np.polydiv(c128([[0.5, -1], [2, 0], [0, 1]]), c128([[1, 2], [0, -1]]));
  close(pairsOf(qc).flat(), [-0.30000000000000004, -0.4, 0.36, -1.02], 1e-14, 'complex q');
  close(pairsOf(rc).flat(), [0, 0, 0, 0, 1.02, 1.3599999999999999], 1e-14, 'complex r');
  assert.throws(() => np.polydiv(a, f64([])), (e: Error) => e instanceof ValueError && /np.polydiv: v is empty/.test(e.message));
  checkGrads((p: NDArray, s: NDArray) => np.polymul(p, s), [a, b], { order: 2 });
  checkGrads((u: NDArray, v: NDArray) => np.concatenate(np.polydiv(u, v)), [b, a], { order: 2 });
  const jq = jit((u: NDArray, v: NDArray) => np.polydiv(u, v))(b, a);
  assert.deepEqual([L(jq[0]), L(jq[1])], [L(q), L(r)]);
  const vq = vmap((u: NDArray) => np.polydiv(u, a)[0])(np.stack([b, np.multiply(b, 3)]));
  close(vq, [[1.3333333333333333, 2.1111111111111107, -0.740740740740741], [4, 6.333333333333333, -2.2222222222222223]], 1e-14, 'vmap polydiv'); // numpy's polydiv(b, a)[0], polydiv(3 b, a)[0]
  assert.deepEqual(L(vmap((u: NDArray) => np.polymul(u, a))(np.stack([b, b]))), [prod, prod]);
});

test('np.polyder and np.polyint: numpy\'s values, orders, integration constants, positional and object forms', () => {
  // numpy's
  assert.deepEqual(L(np.polyder(b)), [8, 1.5, -2, 4]);
  assert.deepEqual(L(np.polyder(b, 2)), [24, 3, -2]);
  assert.deepEqual(L(np.polyder(b, { m: 4 })), [48]);
  assert.deepEqual(L(np.polyder(b, 5)), []);
  assert.deepEqual(L(np.polyder(b, 0)), [2, 0.5, -1, 4, 0.75]);
  const di = np.polyder(np.array([1, 2, 3], { dtype: 'int32' }));
  assert.equal(di.dtype, 'float32'); assert.deepEqual(L(di), [2, 2]); // (jnp's float; numpy keeps int64)
  close(np.polyint(a), [0.5, -1, 3.25, 0], 1e-15, 'polyint');
  close(np.polyint(a, 2), [0.125, -0.3333333333333333, 1.625, 0, 0], 1e-15, 'polyint 2');
  close(np.polyint(a, 3, [1, 2, 3]), [0.025, -0.08333333333333333, 0.5416666666666666, 0.5, 2, 3], 1e-15, 'polyint 3 k');
  close(np.polyint(a, { m: 2, k: 5 }), [0.125, -0.3333333333333333, 1.625, 5, 5], 1e-15, 'polyint k scalar');
  close(np.polyint(a, 1, { k: -2 }), [0.5, -1, 3.25, -2], 1e-15, 'polyint k object');
  assert.deepEqual(L(np.polyint(f64([]))), [0]);
  assert.deepEqual(L(np.polyint(a, 0)), [1.5, -2, 3.25]);
  close(np.polyder(np.polyint(b, 3, [1, 2, 3]), 3), L(b) as number[], 1e-15, 'polyder undoes polyint');
  // polyval of the antiderivative: its derivative at 0 is the constant given
  close(np.polyval(np.polyint(a, 1, 7), f64([0, 2])), [7, 13.5], 1e-15, 'polyval of polyint');
  assert.throws(() => np.polyder(b, -1), (e: Error) => e instanceof ValueError && /np.polyder: m must be a non-negative integer.*-1/.test(e.message));
  assert.throws(() => np.polyder(b, 1.5), /np.polyder: m must be/);
  assert.throws(() => np.polyint(a, 3, [1, 2]), (e: Error) => e instanceof ShapeError && /np.polyint: k must be a scalar or a 1-d array of length 1 or m \(3\), got float64\[2\]/.test(e.message));
  assert.throws(() => np.polyint(a, { n: 2 } as any), /unknown option 'n'/);
  assert.throws(() => np.polyint(a, 2, { m: 3 }), /m given twice/);
  checkGrads((p: NDArray) => np.polyder(np.multiply(p, p), 2), [b], { order: 2 });
  checkGrads((p: NDArray, k: NDArray) => np.polyint(np.multiply(p, p), 2, k), [a, f64([0.5, -1])], { order: 2 });
  assert.deepEqual(L(jit((p: NDArray) => np.polyder(p, 2))(b)), [24, 3, -2]);
  close(vmap((p: NDArray) => np.polyint(p, 2))(np.stack([a, a])), [L(np.polyint(a, 2)), L(np.polyint(a, 2))], 0, 'vmap polyint');
});

test('np.poly: numpy\'s coefficients from roots; conjugate pairs give real coefficients; no roots; a matrix', () => {
  assert.deepEqual(L(np.poly(f64([1, 2, 3]))), [1, -6, 11, -6]); // numpy's
  close(np.poly(f64([0.5, -1.25, 3, 2])), [1, -4.25, 1.625, 7.625, -3.75], 1e-15, 'poly');
  const pr = np.poly(c128([[1, 2], [1, -2], [3, 0]]));
  assert.equal(pr.dtype, 'float64'); assert.deepEqual(L(pr), [1, -5, 11, -15]); // (numpy's: real, the pairs conjugate)
  const p5 = np.poly(c128([[1, 2], [3, 0], [1, -2], [0, -1], [0, 1]]));
  assert.equal(p5.dtype, 'float64'); assert.deepEqual(L(p5), [1, -5, 12, -20, 11, -15]);
  const pc = np.poly(c128([[1, 2], [3, 0]]));
  assert.equal(pc.dtype, 'complex128'); assert.deepEqual(pairsOf(pc), [[1, 0], [-4, -2], [3, 6]]); // numpy's: complex
  const one = np.poly(f64([]));
  assert.deepEqual([one.shape, one.item()], [[], 1]);
  // polyval at the roots is 0
  close(np.polyval(np.poly(f64([0.5, -1.25, 3, 2])), f64([0.5, -1.25, 3, 2])), [0, 0, 0, 0], 1e-14, 'polyval at roots');
  assert.deepEqual(L(np.poly(np.array([1, 2], { dtype: 'int32' }))), [1, -3, 2]);
  assert.equal(np.poly(np.array([1, 2], { dtype: 'int32' })).dtype, 'float32');
  // a square matrix: its characteristic polynomial (numpy's poly(eigvals(A)): [1, -5, -2] and [1, -7, 16, -13])
  close(np.poly(f64([[1, 2], [3, 4]])), [1, -5, -1.9999999999999998], 1e-14, 'poly of a matrix');
  const A3 = f64([[2, 1, 0], [0, 2, 1], [1, 0, 3]]); // (a complex pair: the coefficients stay real, under jit too)
  close(np.poly(A3), [1, -6.999999999999998, 15.999999999999993, -12.999999999999995], 1e-13, 'poly of a 3x3');
  assert.equal(jit((m: NDArray) => np.poly(m))(A3).dtype, 'float64');
  // d/dA of the constant coefficient, -det(A) for 3 x 3: -det(A) A^-T
  close(grad((m: NDArray) => np.poly(m).get(3))(A3), np.negative(np.multiply(13, np.transpose(np.linalg.inv(A3)))).tolist() as number[][], 1e-12, 'grad of -det');
  assert.throws(() => np.poly(f64([[1, 2, 3], [4, 5, 6]])), (e: Error) => e instanceof ShapeError && /np.poly: seqOfZeros must be 1-d .*float64\[2,3\]/.test(e.message));
  checkGrads((z: NDArray) => np.poly(z), [f64([0.5, -1.25, 3, 2])], { order: 2 });
  assert.deepEqual(L(jit((z: NDArray) => np.poly(z))(f64([1, 2, 3]))), [1, -6, 11, -6]);
  // under jit the roots' values are unknown: complex coefficients (jnp's), the same numbers
  const jc = jit((z: NDArray) => np.poly(z))(c128([[1, 2], [1, -2], [3, 0]]));
  assert.equal(jc.dtype, 'complex128'); assert.deepEqual(pairsOf(jc).map(([re, im]) => [re, im + 0]), [[1, 0], [-5, 0], [11, 0], [-15, 0]]);
  assert.deepEqual(L(vmap((z: NDArray) => np.poly(z))(f64([[1, 2, 3], [1, 1, 1]]))), [[1, -6, 11, -6], [1, -3, 3, -1]]);
});

const x = f64([0, 0.5, 1.1, 2, 2.6, 3.3, 4, 5.2]), y = f64([1.2, 0.7, 1.9, 4.1, 5.5, 9.8, 14.2, 24.5]);
const w = f64([1, 2, 0.5, 1, 1.5, 1, 0.25, 2]);
const Y = np.stack([y, np.sqrt(y), np.negative(np.multiply(x, y))], { axis: 1 });

test('np.polyfit: numpy\'s coefficients for each degree, weights, several columns, full output, rcond, a rank-deficient fit', () => {
  // numpy's
  close(np.polyfit(x, y, 1) as NDArray, [4.313464430950922, -2.345223107347778], 1e-13, 'deg 1');
  close(np.polyfit(x, y, 2) as NDArray, [0.999609383702376, -0.7183334344420232, 1.1510843115192115], 1e-13, 'deg 2');
  const c3 = [0.0203469423108034, 0.8391371445952244, -0.4034024387478053, 1.0612912133640038];
  close(np.polyfit(x, y, 3) as NDArray, c3, 1e-12, 'deg 3');
  close(np.polyval(np.polyfit(x, y, 3) as NDArray, f64([0.25, 6])), [1.0132045961878602, 33.24475332543878], 1e-12, 'polyval of the fit');
  close(np.polyfit(x, y, 2, { w }) as NDArray, [1.019172668930479, -0.7711378354966903, 0.9559460720522083], 1e-13, 'weighted');
  close(np.polyfit(x, y, 2, null, false, w) as NDArray, [1.019172668930479, -0.7711378354966903, 0.9559460720522083], 1e-13, 'weighted, positional');
  close(np.polyfit(x, Y, 2) as NDArray, [[0.999609383702376, 0.07683355941359016, -7.2013760174776325], [-0.7183334344420232, 0.3964823100885303, 14.502092276357752], [1.1510843115192115, 0.8790419736276502, -4.537262751468093]], 1e-12, 'columns');
  close(np.polyfit(x, Y, 2, { w }) as NDArray, [[1.019172668930479, 0.06858777485696703, -7.453858994476032], [-0.7711378354966903, 0.45930395506069754, 15.289427356139575], [0.9559460720522083, 0.7209496756919962, -4.951701617834121]], 1e-12, 'columns weighted');
  const [c, resid, rank, sv, rc] = np.polyfit(x, y, 3, { full: true }) as NDArray[];
  close(c, c3, 1e-12, 'full coef');
  close(resid, [0.6570180866753722], 1e-12, 'residuals');
  assert.equal(rank.item(), 4);
  close(sv, [1.866451297209743, 0.6871222642851642, 0.2083721139879623, 0.028348036614296555], 1e-13, 'singular values');
  assert.deepEqual([rc.shape, rc.item()], [[], 1.7763568394002505e-15]);
  // rcond 0.1 drops the smallest singular value: rank 2 (numpy's coefficients and rank; its residuals are empty, ours computed)
  const [cr, , rr] = np.polyfit(x, y, 2, { rcond: 0.1, full: true }) as NDArray[];
  close(cr, [0.5463680692049353, 1.7162860149966102, -0.8264068220728327], 1e-12, 'rcond');
  assert.equal(rr.item(), 2);
  // three distinct x for a degree 4: rank 3, numpy's minimum-norm coefficients
  const [cd, , rd] = np.polyfit(f64([1, 1, 2, 2, 3, 3]), f64([1, 2, 3, 4, 5, 7]), 4, { full: true }) as NDArray[];
  close(cd, [-0.010781492679206006, 0.03585815512676654, 0.30438838621955205, 0.9975501456420667, 0.17298480569081978], 1e-10, 'rank-deficient');
  assert.equal(rd.item(), 3);
  const f32 = np.polyfit(np.array([0, 1, 2, 3]), np.array([1, 3, 5, 7]), 1) as NDArray;
  assert.equal(f32.dtype, 'float32'); close(f32, [2, 1], 1e-5, 'float32');
});

test('np.polyfit cov: numpy\'s scaled and unscaled covariance, one column and several', () => {
  // numpy's
  const [c, V] = np.polyfit(x, y, 2, { cov: true }) as NDArray[];
  close(c, [0.999609383702376, -0.7183334344420232, 1.1510843115192115], 1e-13, 'coef');
  close(V, [[0.002605845990110481, -0.013117214088182953, 0.009114398900401619], [-0.013117214088182954, 0.07223381132461669, -0.06038356997962871], [0.009114398900401617, -0.0603835699796287, 0.083185542223512]], 1e-11, 'cov');
  const [, U] = np.polyfit(x, y, 2, { cov: 'unscaled' }) as NDArray[];
  close(U, [[0.01871624982423673, -0.0942131871200957, 0.06546333415906626], [-0.09421318712009571, 0.5188127247884621, -0.43369945319373876], [0.06546333415906624, -0.4336994531937387, 0.5974725275125851]], 1e-11, 'unscaled');
  const [cc, VV] = np.polyfit(x, Y, 1, { cov: true }) as NDArray[];
  close(cc, [[4.313464430950922, 0.783244325883046, -21.747936048131024], [-2.3452231073477767, 0.610303256109092, 20.650800512506265]], 1e-12, 'columns coef');
  assert.deepEqual(VV.shape, [2, 2, 3]);
  close(VV, [[[0.401715184363352, 0.0034261327196185407, 21.370068343737422], [-0.9390092434493352, -0.008008585232108336, -49.95253475348622]], [[-0.9390092434493352, -0.008008585232108336, -49.95253475348622], [3.3216824307044663, 0.0283298349253458, 176.70375261727878]]], 1e-11, 'columns cov');
  assert.throws(() => np.polyfit(f64([0, 1, 2]), f64([1, 2, 0]), 2, { cov: true }), (e: Error) => e instanceof ValueError && /np.polyfit: cov .*more points \(3\) than terms \(3\)/.test(e.message));
  // complex x: numpy's and jnp's inv(lhs^T lhs) (it was lhs^H lhs, a real 0.4755 where numpy has 0.5706+0.2853j)
  const [, Vc] = np.polyfit(c128([[1, 1], [2, 0], [3, -1], [4, 0], [5, 0]]), c128([[1, 0], [0, 2], [3, 0], [5, 0], [1, 0]]), 1, { cov: true }) as NDArray[];
  const numpyVc = [[[0.570555555555556, 0.2852777777777783], [-1.7116666666666676, -0.8558333333333351]], [[-1.711666666666668, -0.8558333333333351], [6.276111111111114, 2.5675000000000052]]];
  (Vc.tolist() as { re: number; im: number }[][]).forEach((row, i) => row.forEach((z, j) => {
    assert.ok(Math.abs(z.re - numpyVc[i][j][0]) < 1e-12 && Math.abs(z.im - numpyVc[i][j][1]) < 1e-12, `cov[${i}][${j}] ${z.re}+${z.im}j`);
  }));
});

test('np.polydiv by a polynomial whose leading coefficient is 0: the remainder shows the inf/NaN, as numpy\'s (zeros hid it)', () => {
  const [q, r] = np.polydiv(f64([1, 2, 3]), f64([0, 1]));
  assert.deepEqual(L(q), [Infinity, -Infinity]); // numpy: [inf, -inf], r [nan, nan, inf]
  assert.ok((L(r) as number[]).every((v) => !Number.isFinite(v)), `r ${L(r)}`);
  assert.deepEqual(L(np.polydiv(f64([1, 2, 3]), f64([2, 1]))[1]), [0, 0, 2.25]); // (a finite divisor keeps its exact zeros)
});

test('np.polyfit: derivatives with respect to y, x and w; jit and vmap; bad input', () => {
  checkGrads((v: NDArray) => np.polyfit(x, v, 2) as NDArray, [y], { order: 2 });
  checkGrads((u: NDArray) => np.polyfit(u, y, 2) as NDArray, [x], { order: 2 });
  checkGrads((u: NDArray, v: NDArray) => np.polyfit(u, v, 1) as NDArray, [x, Y], { order: 2 });
  checkGrads((s: NDArray) => np.polyfit(x, y, 2, { w: s }) as NDArray, [w], { order: 2 });
  checkGrads((v: NDArray) => (np.polyfit(x, v, 2, { cov: true }) as NDArray[])[1], [y], { order: 2 });
  checkGrads((v: NDArray) => (np.polyfit(x, v, 2, { full: true }) as NDArray[])[1], [y], { order: 2 });
  const eager = np.polyfit(x, y, 3) as NDArray;
  close(jit((u: NDArray, v: NDArray) => np.polyfit(u, v, 3) as NDArray)(x, y), L(eager) as number[], 1e-13, 'jit');
  const cols = vmap((v: NDArray) => np.polyfit(x, v, 2) as NDArray, { inAxes: 1, outAxes: 1 })(Y);
  close(cols, L(np.polyfit(x, Y, 2) as NDArray), 1e-12, 'vmap over columns');
  assert.throws(() => np.polyfit(x, y, -1), (e: Error) => e instanceof ValueError && /np.polyfit: deg must be a non-negative integer, got -1/.test(e.message));
  assert.throws(() => np.polyfit(x, y, 1.5), /deg must be a non-negative integer/);
  assert.throws(() => np.polyfit(f64([[0, 1]]), y, 1), (e: Error) => e instanceof ShapeError && /x must be a non-empty 1-d array, got float64\[1,2\]/.test(e.message));
  assert.throws(() => np.polyfit(f64([]), f64([]), 1), /x must be a non-empty 1-d array/);
  assert.throws(() => np.polyfit(x, f64([1, 2]), 1), /x and y must have the same length, got float64\[8\] and float64\[2\]/);
  assert.throws(() => np.polyfit(x, np.zeros([8, 1, 1], 'float64'), 1), /y must be 1-d or 2-d/);
  assert.throws(() => np.polyfit(x, y, 1, { w: f64([1, 2]) }), /w must be 1-d with one weight per sample \(8\), got float64\[2\]/);
  assert.throws(() => np.polyfit(x, y, 1, { cov: 'scaled' as any }), /cov must be true, false or 'unscaled'/);
  assert.throws(() => np.polyfit(x, y, 1, { ful: true } as any), /unknown option 'ful'/);
});

/** Roots sorted by real part, then imaginary part (numpy's sort_complex: the order of the eigenvalues is LAPACK's). */
const sortedRoots = (t: NDArray) => pairsOf(t).sort((p, q) => p[0] - q[0] || p[1] - q[1]);

test('np.roots: numpy\'s roots (sorted), conjugate pairs, leading and trailing zeros, a constant; eager only', () => {
  // numpy's np.sort_complex(np.roots(p)) for each p
  const cases: [number[], number[][], number][] = [
    [[1, -6, 11, -6], [[1.0000000000000002, 0], [1.999999999999998, 0], [3.0000000000000018, 0]], 1e-14],
    [[2, -1, 0.5, 7, -3, 1e-8, 1], [[-1.4389654654094772, 0], [-0.4185721355140869, 0], [0.42468208315409783, -0.40685490565160937],
      [0.42468208315409783, 0.40685490565160937], [0.7540867173076837, -1.3532859477413377], [0.7540867173076837, 1.3532859477413377]], 1e-13],
    [[0, 0, 2, -3, 1, 0, 0], [[0, 0], [0, 0], [0.5, 0], [1, 0]], 1e-15],
    [[1, 0, 1], [[0, -1], [0, 1]], 1e-15],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [[-1.3385911858930744, 0], [-1.0970440876278134, -0.7569884336255202], [-1.0970440876278134, 0.7569884336255202],
      [-0.4656893762138342, -1.2295023429919885], [-0.4656893762138342, 1.2295023429919885], [0.3102909090924134, -1.2422819032351635],
      [0.3102909090924134, 1.2422819032351635], [0.9217381476957668, -0.7963638243947961], [0.9217381476957668, 0.7963638243947961]], 1e-13],
  ];
  for (const [p, want, tol] of cases) {
    const r = np.roots(f64(p));
    assert.equal(r.dtype, 'complex128'); // (jnp's: always complex)
    close(sortedRoots(r).flat(), want.flat(), tol, `roots of ${JSON.stringify(p)}`);
  }
  // the roots of poly(1, ..., 12) (numpy's poly: exact integers), each within 1e-6
  close(sortedRoots(np.roots(np.poly(np.arange(1, 13, { dtype: 'float64' })))).map(([re]) => re), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 1e-6, 'poly(1..12)');
  // polyval at the roots is 0 (to rounding), and poly of the roots gives p back over p[0]
  const p = f64([2, -1, 0.5, 7, -3, 1e-8, 1]);
  const r = np.roots(p);
  (np.abs(np.polyval(np.astype(p, 'complex128'), r)).tolist() as number[]).forEach((v, i) => assert.ok(v < 1e-13, `p(root ${i}) = ${v}`));
  close(np.poly(r), [1, -0.499999999999999, 0.2499999999999991, 3.499999999999997, -1.499999999999999, 4.999999525523435e-09, 0.4999999999999995], 1e-13, 'poly(roots(p))'); // numpy's np.poly(np.roots(p))
  const f = np.roots(np.array([1, -3, 2], { dtype: 'float32' }));
  assert.equal(f.dtype, 'complex64'); assert.deepEqual(sortedRoots(f), [[1, 0], [2, 0]]); // numpy's: [2, 1]
  assert.deepEqual(np.roots(f64([3.5])).shape, [0]); // numpy's: no roots
  assert.deepEqual(np.roots(f64([0, 0])).shape, [0]);
  assert.throws(() => jit((q: NDArray) => np.roots(q))(f64([1, 2])), (e: Error) => e instanceof TracerError && /np.roots: stripping p's leading and trailing zeros reads its values.*stripZeros: false/.test(e.message));
  assert.throws(() => vmap((q: NDArray) => np.roots(q))(f64([[1, 2], [1, 3]])), TracerError);
  assert.throws(() => np.roots(f64([1, NaN])), (e: Error) => e instanceof ValueError && /np.roots: p must be finite/.test(e.message));
  assert.throws(() => np.roots(f64([[1, 2]])), (e: Error) => e instanceof ShapeError && /np.roots: p must be 1-d/.test(e.message));
  assert.throws(() => np.roots(f64([1, 2]), { strip: false } as any), (e: Error) => e instanceof ValueError && /unknown option 'strip'/.test(e.message));
});

test('np.roots through linalg.eigvals: complex coefficients, derivatives, and jnp\'s stripZeros false under jit and vmap', () => {
  // numpy's np.sort_complex(np.roots([1+1j, -2, 3-0.5j]))
  close(sortedRoots(np.roots(c128([[1, 1], [-2, 0], [3, -0.5]]))).flat(), [-0.00880593204402036, -1.7283661817565568, 1.0088059320440201, 0.7283661817565578], 1e-14, 'complex p');
  // the sum of the roots is -p1/p0 and their product (-1)^n pn/p0: gradients in closed form
  const p = f64([2, -1, 0.5, 7]);
  close(grad((q: NDArray) => np.real(np.sum(np.roots(q))))(p), [-0.25, -0.5, 0, 0], 1e-12, 'd sum');
  close(grad((q: NDArray) => np.real(np.prod(np.roots(q))))(p), [7 / 4, 0, 0, -0.5], 1e-12, 'd prod'); // -p3/p0
  checkGrads((q: NDArray) => np.real(np.sum(np.square(np.roots(q)))), [p], { order: 2 });
  // stripZeros false: len(p) - 1 roots, NaN for each leading zero, zero roots last; jit and vmap
  const r = np.roots(f64([0, 2, -3, 1, 0]), { stripZeros: false });
  assert.equal(r.shape[0], 4);
  const pr = pairsOf(r);
  close(pr.slice(0, 2).sort((u, v) => u[0] - v[0]).flat(), [0.5, 0, 1, 0], 1e-14, 'kept roots');
  assert.deepEqual(pr[2], [0, 0]);
  assert.ok(Number.isNaN(pr[3][0]) && Number.isNaN(pr[3][1]), `leading zero's root ${pr[3]}`);
  const j = pairsOf(jit((q: NDArray) => np.roots(q, { stripZeros: false }))(f64([0, 2, -3, 1, 0])));
  assert.deepEqual(j.map((z) => z.map(String)), pr.map((z) => z.map(String)));
  // a small root beside zero roots (helper-190's probe: leading zeros rolled to the end made a
  // multiple root at 0, which the iteration gives as ~eps^(1/k): 1.09e-8 - 7.07e-9i for 1e-8)
  assert.deepEqual(pairsOf(np.roots(f64([0, 1, -1e-8, 0]), { stripZeros: false })).map((z) => z.map(String)), [['1e-8', '0'], ['0', '0'], ['NaN', 'NaN']]);
  assert.deepEqual(pairsOf(np.roots(f64([1, -1e-6, 0, 0, 0]), { stripZeros: false })), [[1e-6, 0], [0, 0], [0, 0], [0, 0]]);
  const vm = vmap((q: NDArray) => np.roots(q, { stripZeros: false }))(f64([[1, -3, 2], [1, 0, -4]]));
  close(pairsOf(vm.get(1)).sort((u, v) => u[0] - v[0]).flat(), [-2, 0, 2, 0], 1e-14, 'vmap');
});
