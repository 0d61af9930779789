// numpy functions composed in np_stacking.ts, np_statistics.ts and np_elementwise.ts: values
// against numpy 2.4's printed results (literals below), derivatives against finite differences
// (checkGrads), and their errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, vmap, jit, checkGrads, ValueError, ShapeError } from '../ts/index.ts';

const f64 = (v: unknown) => np.array(v as any, { dtype: 'float64' });
const x = f64([[3, 1, 4, 1], [5, 9, 2, 6], [5, 3, 5, 8]]);

test('order statistics and weighted means: median, quantile, percentile, ptp, average (numpy 2.4 values)', () => {
  assert.equal(np.median(x).item(), 4.5);
  assert.deepEqual(np.median(x, { axis: 0 }).tolist(), [5, 3, 4, 6]);
  assert.deepEqual(np.median(x, { axis: 1, keepdims: true }).tolist(), [[2], [5.5], [5]]);
  assert.deepEqual(np.quantile(x, [0.1, 0.9], { axis: 1 }).tolist(), [[1, 2.9000000000000004, 3.6], [3.7, 8.100000000000001, 7.1000000000000005]]);
  assert.equal(np.percentile(x, 25).item(), 2.75);
  assert.deepEqual(np.ptp(x, { axis: 1 }).tolist(), [3, 7, 5]);
  assert.deepEqual(np.average(x, { axis: 1, weights: f64([1, 2, 3, 4]) }).tolist(), [2.1, 5.3, 5.8]);
  assert.equal(np.average(x).item(), 4.333333333333333);
  assert.ok(Number.isNaN(np.median(f64([1, NaN, 3])).item() as number), 'NaN propagates, as numpy');
  assert.equal(np.median(np.array([1, 2, 3, 4], { dtype: 'int32' })).dtype, 'float32');
  assert.throws(() => np.quantile(x, 1.5), (e: any) => e instanceof ValueError && /np.quantile: q must be/.test(e.message));
  // an empty slice's median is NaN (numpy, with a warning, and jnp); its quantile raises (numpy)
  assert.ok(Number.isNaN(np.median(np.zeros([0])).item() as number));
  assert.deepEqual(np.median(np.zeros([3, 0]), { axis: 1 }).tolist(), [NaN, NaN, NaN]);
  assert.deepEqual(np.median(np.zeros([3, 0]), { axis: 1, keepdims: true }).shape, [3, 1]);
  assert.throws(() => np.quantile(np.zeros([0]), 0.5), ValueError);
  assert.throws(() => np.average(x, { axis: 1, weights: f64([1, 2]) }), ShapeError);
  // derivatives: through the sort (median of [3, 1, 2, 5] averages 2 and 3), and finite differences
  assert.deepEqual(grad((v: any) => np.median(v))(f64([3, 1, 2, 5])).tolist(), [0.5, 0, 0.5, 0]);
  checkGrads((v: any) => np.quantile(v, [0.3, 0.75], { axis: 1 }), [f64([[0.3, -1.2, 2.5, 0.7], [1.1, 0.4, -0.6, 2.2]])], { order: 2 });
  checkGrads((v: any, w: any) => np.average(v, { axis: 0, weights: w }), [f64([[1, 2], [3, 5]]), f64([[0.5, 1], [2, 0.25]])], { order: 2 });
  assert.deepEqual(vmap((r: any) => np.median(r))(x).tolist(), [2, 5.5, 5]);
  assert.deepEqual(jit((v: any) => np.quantile(v, 0.5, { axis: 0 }))(x).tolist(), [5, 3, 4, 6]);
});

test('quantile of a list of q: one gather per end for all of them, each row the bits of that q alone; 16,000 q (a row of ops per q, then refused)', () => {
  const qs = [0, 0.1, 0.25, 0.5, 0.77, 1, 0.999];
  for (const dt of ['float32', 'float64'] as const) {
    const y = np.array([3, -1, Infinity, 2.5, 7, 0.1, -Infinity, 4], { dtype: dt });
    const m = np.array([[1, 2, 3, 4], [5, NaN, 7, 8], [1e38, 3e38, -3e38, 0]], { dtype: dt });
    for (const [arr, o] of [[y, undefined], [m, { axis: 1 }], [m, { axis: 0 }], [np.array([-0, 0, -0], { dtype: dt }), undefined]] as const) {
      const many = [...np.quantile(arr, qs, o).dataSync()], one = qs.flatMap((q) => [...np.quantile(arr, q, o).dataSync()]);
      assert.ok(many.length === one.length && many.every((v, i) => Object.is(v, one[i])), `${dt} ${JSON.stringify(o)}: ${many} vs ${one}`);
    }
  }
  // numpy: np.quantile(np.arange(10001.0), np.linspace(0, 1, 16000))[[0, 1, 15999]] = 0, 0.6250390649415588, 10000
  const r = np.quantile(np.arange(10001, { dtype: 'float64' }), np.linspace(0, 1, 16000, { dtype: 'float64' }));
  assert.deepEqual([r.shape, r.get(0).item(), r.get(15999).item()], [[16000], 0, 10000]);
  assert.ok(Math.abs((r.get(1).item() as number) - 0.6250390649415588) < 1e-12);
  assert.deepEqual(np.quantile(np.array([[1, 2, 3], [4, 5, 6]]), [0.5, 1], { axis: 1, keepdims: true }).shape, [2, 2, 1]); // numpy's
  // a nested list q: its shape leads (numpy: np.quantile([[1, 2, 3], [4, 5, 6.]], [[0.1, 0.2], [0.3, 0.9]], axis=0)); it was refused
  const nested = np.quantile(np.array([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' }), [[0.1, 0.2], [0.3, 0.9]], { axis: 0 });
  assert.deepEqual(nested.shape, [2, 2, 3]);
  const want = [[[1.3, 2.3, 3.3], [1.6, 2.6, 3.6]], [[1.9, 2.9, 3.9], [3.7, 4.7, 5.7]]].flat(2);
  assert.ok([...nested.dataSync()].every((v, i) => Math.abs(v - want[i]) < 1e-12), `${nested}`);
  assert.deepEqual(np.quantile(np.array([[1, 2, 3], [4, 5, 6]]), [[0.1, 0.2], [0.3, 0.9]], { axis: 0, keepdims: true }).shape, [2, 2, 1, 3]);
  assert.throws(() => np.quantile(np.array([1, 2]), [[0.5], [0.1, 0.2]]), /np\.quantile: a nested q must be rectangular/);
});

test('NaN-aware reductions, countNonzero and diff (numpy 2.4 values)', () => {
  assert.equal(np.nansum(f64([1, NaN, 2])).item(), 3);
  const m = f64([[1, NaN], [NaN, NaN]]);
  const mean = np.nanmean(m, { axis: 1 }).tolist() as number[];
  assert.equal(mean[0], 1); assert.ok(Number.isNaN(mean[1]));
  const mx = np.nanmax(m, { axis: 1 }).tolist() as number[];
  assert.equal(mx[0], 1); assert.ok(Number.isNaN(mx[1]));
  assert.deepEqual(np.nanmin(f64([[4, NaN, -2]]), { axis: 1 }).tolist(), [-2]);
  assert.deepEqual(np.countNonzero(f64([[0, 1, 2], [0, 0, 3]]), { axis: 0 }).tolist(), [0, 1, 2]);
  assert.equal(np.countNonzero(f64([[0, 1, 2], [0, 0, 3]])).dtype, 'int32');
  assert.deepEqual(np.diff(x).tolist(), [[-2, 3, -3], [4, -7, 4], [-2, 2, 3]]);
  assert.deepEqual(np.diff(x, { n: 2, axis: 0 }).tolist(), [[-2, -14, 5, -3]]);
  assert.deepEqual(np.diff(np.array([true, true, false])).tolist(), [false, true]); // numpy: not_equal for bools
  checkGrads((v: any) => np.diff(v, { n: 2 }), [f64([1, 4, 9, 16, 30])], { order: 1 });
});

test('stacking: vstack, hstack, dstack, columnStack, atleast1d/2d/3d, concat, permuteDims, matrixTranspose', () => {
  assert.deepEqual(np.vstack([np.array([1, 2]), np.array([3, 4])]).tolist(), [[1, 2], [3, 4]]);
  assert.deepEqual(np.vstack([np.array([[1, 2]]), np.array([3, 4])]).shape, [2, 2]);
  assert.deepEqual(np.hstack([np.array([1, 2]), np.array([3])]).tolist(), [1, 2, 3]);
  assert.deepEqual(np.hstack([np.ones([2, 1]), np.zeros([2, 2])]).shape, [2, 3]);
  assert.deepEqual(np.dstack([np.array([1, 2]), np.array([3, 4])]).tolist(), [[[1, 3], [2, 4]]]); // numpy: shape (1, 2, 2)
  assert.deepEqual(np.columnStack([np.array([1, 2]), np.array([3, 4])]).tolist(), [[1, 3], [2, 4]]);
  assert.deepEqual(np.atleast1d(np.array(5)).shape, [1]);
  assert.deepEqual(np.atleast2d(np.array([1, 2])).shape, [1, 2]);
  assert.deepEqual(np.atleast3d(np.ones([2, 3])).shape, [2, 3, 1]);
  assert.deepEqual(np.atleast3d(np.ones([4])).shape, [1, 4, 1]);
  assert.deepEqual(np.concat([np.ones([1, 2]), np.zeros([1, 2])], { axis: 1 }).shape, [1, 4]);
  assert.deepEqual(np.permuteDims(np.ones([2, 3, 4]), [2, 0, 1]).shape, [4, 2, 3]);
  assert.deepEqual(np.matrixTranspose(np.ones([5, 2, 3])).shape, [5, 3, 2]);
  assert.throws(() => np.vstack([]), /np.vstack: need a non-empty list/);
  assert.deepEqual(grad((a: any) => np.sum(np.multiply(np.vstack([a, a]), f64([[1, 2], [3, 4]]))))(f64([0, 0])).tolist(), [4, 6]);
});

test('stacking errors name the function called and the shapes passed (they named np.concatenate and the reshaped shapes)', () => {
  const cases: [string, () => unknown, string, string?][] = [ // (function, call, the shapes passed, a reshaped shape the message must not show)
    // numpy raises a ValueError for each (concatenate's "all the input array dimensions except for the concatenation axis must match")
    ['np.vstack', () => np.vstack([np.ones([2, 3]), np.ones([4])]), 'float32[2,3], float32[4]', 'float32[1,4]'],
    ['np.vstack', () => np.vstack([np.ones([3]), np.ones([4])]), 'float32[3], float32[4]', 'float32[1,3]'],
    ['np.vstack', () => np.vstack([np.ones([2, 3, 4]), np.ones([2, 3])]), 'float32[2,3,4], float32[2,3]'],
    ['np.hstack', () => np.hstack([np.ones([2, 3]), np.ones([3, 1])]), 'float32[2,3], float32[3,1]'],
    ['np.hstack', () => np.hstack([np.ones([2, 3]), np.ones([3])]), 'float32[2,3], float32[3]'],
    ['np.dstack', () => np.dstack([np.ones([2, 3]), np.ones([3])]), 'float32[2,3], float32[3]', 'float32[2,3,1]'],
    ['np.columnStack', () => np.columnStack([np.ones([2]), np.ones([3])]), 'float32[2], float32[3]', 'float32[2,1]'],
    ['np.columnStack', () => np.columnStack([np.ones([2, 2, 1]), [1, 2]]), 'float32[2,2,1], float32[2]', 'float32[2,1]'],
    ['np.stack', () => np.stack([np.ones([2]), np.ones([3])]), 'float32[2], float32[3]'],
  ];
  for (const [fn, f, shapes, reshaped] of cases) {
    assert.throws(f, (e: unknown) => {
      const m = (e as Error).message;
      assert.ok(e instanceof ShapeError, `${fn}: ${m}`);
      assert.ok(m.startsWith(`${fn}: `) && m.includes(shapes), `${fn}: "${m}" should name ${fn} and ${shapes}`);
      assert.ok(!m.includes('concatenate') && (reshaped === undefined || !m.includes(reshaped)), `${fn}: "${m}" names np.concatenate or a reshaped shape`);
      return true;
    }, fn);
  }
  assert.equal((() => { try { np.vstack([np.ones([2, 3]), np.ones([4])]); } catch (e) { return (e as Error).message; } })(),
    'np.vstack: cannot join float32[2,3], float32[4]: argument 1 (float32[4]) does not fit argument 0 (float32[2,3]); ' +
    'the ranks must be equal and the sizes match in every axis but the first (a 1-d [n] counts as a row [1, n], a 0-d one as [1, 1])');
  // under vmap: the per-example shapes the function passed
  assert.throws(() => vmap((a: any) => np.vstack([a, np.ones([3])]))(np.ones([4, 2])), (e: unknown) => e instanceof ShapeError && /^np\.vstack: cannot join float32\[2\], float32\[3\]/.test((e as Error).message));
  // what fits still joins (numpy's shapes)
  assert.deepEqual(np.vstack([np.ones([2, 3]), np.ones([3])]).shape, [3, 3]);
  assert.deepEqual(np.dstack([np.ones([2, 3]), np.ones([2, 3, 2])]).shape, [2, 3, 3]);
  assert.deepEqual(np.columnStack([np.ones([2]), np.ones([2, 3])]).shape, [2, 4]);
  assert.deepEqual(np.hstack([np.array(1), np.ones([2])]).shape, [3]);
});

test('elementwise additions: isclose/allclose, fmax/fmin, sinc, heaviside, logaddexp2, degrees/radians, logsumexp with b', () => {
  assert.deepEqual(np.isclose(f64([1, 1e10, Infinity, NaN, -Infinity]), f64([1.000001, 1.0001e10, Infinity, NaN, Infinity])).tolist(), [true, false, true, false, false]);
  assert.deepEqual(np.isclose(f64([NaN]), f64([NaN]), { equalNan: true }).tolist(), [true]);
  assert.equal(np.allclose(f64([1, 2]), f64([1, 2.0000001])), true);
  assert.equal(np.allclose(f64([1, 2]), f64([1, 2.1])), false);
  const fm = np.fmax(f64([1, NaN, NaN]), f64([NaN, 2, NaN])).tolist() as number[];
  assert.deepEqual(fm.slice(0, 2), [1, 2]); assert.ok(Number.isNaN(fm[2]));
  assert.deepEqual(np.fmin(f64([1, NaN, 5]), f64([3, 2, NaN])).tolist(), [1, 2, 5]);
  // sinc(1) is 0 exactly (numpy's and JAX's sin(pi x) / (pi x) give 3.8981718325193755e-17)
  assert.deepEqual(np.sinc(f64([0, 0.5, 1])).tolist(), [1, 0.6366197723675814, 0]);
  assert.equal(grad((v: any) => np.sinc(v))(f64(0)).item(), 0);
  checkGrads((v: any) => np.sinc(v), [f64([0.3, -1.7, 2.2])], { order: 2 });
  assert.deepEqual(np.heaviside(f64([-1, 0, 2]), 0.5).tolist(), [0, 0.5, 1]);
  assert.equal(np.logaddexp2(f64(1), f64(1)).item(), 2);
  checkGrads((a: any, b: any) => np.logaddexp2(a, b), [f64([0.5, -2]), f64([1.5, 3])], { order: 2 });
  assert.equal(np.degrees(f64(Math.PI)).item(), 180);
  assert.equal(np.radians(f64(180)).item(), Math.PI);
  // scipy.special.logsumexp([1, 2, 3], b=[1, 0, 2]) = 3.7586236756795133; d/db_i = e^x_i / (e + 2 e^3),
  // except at b_i = 0, whose x_i JAX masks to -inf first (so its e^x_i, and the derivative, is 0)
  assert.equal(np.logsumexp(f64([1, 2, 3]), { b: f64([1, 0, 2]) }).item(), 3.7586236756795133);
  const gb = grad((b: any) => np.logsumexp(f64([1, 2, 3]), { b }))(f64([1, 0, 2])).tolist() as number[];
  const den = Math.E + 2 * Math.exp(3);
  gb.forEach((g, i) => assert.ok(Math.abs(g - (i === 1 ? 0 : Math.exp(i + 1) / den)) < 1e-15, `${gb}`));
  checkGrads((v: any) => np.logsumexp(v, { axis: 1, b: f64([[1, 2, 0.5], [0.1, 1, 3]]) }), [f64([[0.2, -1, 2], [1, 0.5, -0.3]])], { order: 2 });
});

test("np.roll by an integer Array (traced too, jnp's): each vmapped example by its own shift; np.pad's constantValues an Array, differentiable", () => {
  const rows = [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11, 12, 13, 14]];
  const rolled = (r: number[], s: number) => r.map((_, i) => r[(((i - s) % r.length) + r.length) % r.length]);
  const X = np.array(rows, { dtype: 'float32' });
  const i32 = (v: number | number[]) => np.array(v, { dtype: 'int32' });
  for (const s of [2, -1, 7, 0, -12]) assert.deepEqual(np.roll(X, i32(s), { axis: 1 }).tolist(), rows.map((r) => rolled(r, s)), `shift ${s}`);
  assert.deepEqual(np.roll(X, i32(3), null).tolist(), [rolled(rows.flat(), 3).slice(0, 5), rolled(rows.flat(), 3).slice(5, 10), rolled(rows.flat(), 3).slice(10)]);
  // two axes, one shift each: rows by 1, columns by 2
  assert.deepEqual(np.roll(X, i32([1, 2]), { axis: [0, 1] }).tolist(), [rows[2], rows[0], rows[1]].map((r) => rolled(r, 2)));
  const shifts = [1, 2, -1];
  assert.deepEqual(vmap((r: any, s: any) => np.roll(r, s, { axis: 0 }))(X, i32(shifts)).tolist(), rows.map((r, k) => rolled(r, shifts[k])));
  assert.deepEqual(jit((r: any, s: any) => np.roll(r, s, { axis: 1 }))(X, i32(2)).tolist(), rows.map((r) => rolled(r, 2)));
  // d/dx sum(roll(x, 1) * w) = roll(w, -1)
  const w = [0, 1, 2, 3, 4];
  assert.deepEqual(grad((r: any) => np.sum(np.multiply(np.roll(r, i32(1), { axis: 1 }), np.array(w))))(X).tolist(), rows.map(() => rolled(w, -1)));
  assert.throws(() => np.roll(X, np.array(1.5), { axis: 1 }), /np\.roll: an Array shift must be an int32 scalar or 1-d list of shifts, got float32\[\]/);

  const Y = np.array([[0, 1, 2], [3, 4, 5]], { dtype: 'float64' });
  assert.deepEqual(np.pad(Y, 1, { constantValues: np.array(7, { dtype: 'float64' }) }).tolist(),
    [[7, 7, 7, 7, 7], [7, 0, 1, 2, 7], [7, 3, 4, 5, 7], [7, 7, 7, 7, 7]]);
  assert.deepEqual(vmap((r: any, c: any) => np.pad(r, [1, 2], { constantValues: c }))(Y, np.array([-1, -2], { dtype: 'float64' })).tolist(),
    [[-1, 0, 1, 2, -1, -1], [-2, 3, 4, 5, -2, -2]]);
  // the fill's derivative counts the padded cells: 4 x 5 - 2 x 3 = 14
  assert.equal(grad((c: any) => np.sum(np.pad(Y, 1, { constantValues: c })))(np.array(0, { dtype: 'float64' })).item(), 14);
  assert.throws(() => np.pad(Y, 1, { constantValues: np.array([1, 2]) }), /np\.pad: constantValues must be a number or a 0-d Array/);
});

test('logaddexp2 is computed in base 2 (it went through logaddexp(x ln 2, y ln 2): 48 ulp in float32, 133 in float64)', () => {
  const f64 = (v: number) => np.array([v], { dtype: 'float64' });
  const f32 = (v: number) => np.array([v]);
  // exact: logaddexp2(x, x) = x + 1
  for (const x of [250, -77.25, 37, 1e-3]) {
    assert.equal(np.logaddexp2(f64(x), f64(x)).item(), x + 1);
    assert.equal(np.logaddexp2(f32(x), f32(x)).item(), Math.fround(Math.fround(x) + 1));
  }
  // mpmath at 300 bits: x + log2(1 + 2^(y - x))
  const ref: [number, number, number][] = [[0, -104, 7.11303572445957696e-32], [0, -294, 4.532687870493085872e-89],
    [10, 9.5, 10.77155330316361197], [-3, -3.25, -2.11959154952300394]];
  for (const [x, y, want] of ref) {
    const got = np.logaddexp2(f64(x), f64(y)).item() as number;
    assert.ok(Math.abs(got - want) <= 2 * Math.abs(want) * 2 ** -52, `(${x}, ${y}) float64: ${got} vs ${want}`);
    const g32 = np.logaddexp2(f32(x), f32(y)).item() as number;
    if (want < 1e-37 && want > -1e-37) { assert.equal(g32, 0, 'below float32'); continue; }
    assert.ok(Math.abs(g32 - want) <= 2 * Math.abs(want) * 2 ** -23, `(${x}, ${y}) float32: ${g32} vs ${want}`);
  }
  assert.deepEqual([np.logaddexp2(f64(Infinity), f64(Infinity)).item(), np.logaddexp2(f64(-Infinity), f64(3)).item()], [Infinity, 3]);
});

test('concatenate, stack and the stacking family take an Array as the list of its slices along axis 0 (jnp)', () => {
  // x[i, j, k] = 12 i + 4 j + k; references written out from that formula
  const x = np.arange(24).reshape([2, 3, 4]);
  const at = (i: number, j: number, k: number) => 12 * i + 4 * j + k;
  const table = (shape: number[], f: (...ix: number[]) => number): unknown => {
    const rec = (pre: number[]): unknown => (pre.length === shape.length ? f(...pre) : Array.from({ length: shape[pre.length] }, (_, i) => rec([...pre, i])));
    return rec([]);
  };
  // concatenate along axis 0 of the slices: [6, 4], row 3 i + j; along axis 1: [3, 8], column 4 i + k
  assert.deepEqual(np.concatenate(x).tolist(), table([6, 4], (r, k) => at(Math.floor(r / 3), r % 3, k)));
  assert.deepEqual(np.concatenate(x, { axis: 1 }).tolist(), table([3, 8], (j, c) => at(Math.floor(c / 4), j, c % 4)));
  assert.deepEqual(np.concatenate(x, -1).tolist(), table([3, 8], (j, c) => at(Math.floor(c / 4), j, c % 4)));
  assert.deepEqual(np.concatenate(x, null).tolist(), table([24], (r) => r));
  // stack: the slices' index moves to the new axis
  assert.deepEqual(np.stack(x).tolist(), x.tolist());
  assert.deepEqual(np.stack(x, { axis: 1 }).tolist(), table([3, 2, 4], (j, i, k) => at(i, j, k)));
  assert.deepEqual(np.stack(x, { axis: -1 }).tolist(), table([3, 4, 2], (j, k, i) => at(i, j, k)));
  assert.deepEqual(np.vstack(x).tolist(), table([6, 4], (r, k) => at(Math.floor(r / 3), r % 3, k)));
  assert.deepEqual(np.hstack(x).tolist(), table([3, 8], (j, c) => at(Math.floor(c / 4), j, c % 4)));
  assert.deepEqual(np.dstack(np.array([[1, 2], [3, 4]])).tolist(), [[[1, 3], [2, 4]]]);
  assert.deepEqual(np.columnStack(np.array([[1, 2], [3, 4]])).tolist(), [[1, 3], [2, 4]]);
  // differentiable, and the same under jit
  assert.deepEqual(grad((a: any) => np.sum(np.multiply(np.concatenate(a), np.arange(6))))(np.ones([2, 3])).tolist(), [[0, 1, 2], [3, 4, 5]]);
  assert.deepEqual(jit((a: any) => np.stack(a, { axis: 1 }))(np.array([[1, 2, 3], [4, 5, 6]])).tolist(), [[1, 4], [2, 5], [3, 6]]);
  // what numpy refuses stays refused: no slices, or 0-d slices to concatenate
  assert.throws(() => np.concatenate(np.array(1)), /need a non-empty list of arrays, got float32\[\]/);
  assert.throws(() => np.stack(np.zeros([0, 3])), /need a non-empty list of arrays, got float32\[0,3\]/);
  assert.throws(() => np.concatenate(np.array([1, 2])), /zero-dimensional and cannot be concatenated/);
  assert.throws(() => np.stack(x, { axis: 3 }), /out of bounds/);
});
