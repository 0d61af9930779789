// Reductions against plain-JS references: values (NaN, ties, keepdims, negative axes), argmax /
// argmin (int32, first occurrence, NaN first), the tie rule of max/min gradients (JAX's equal
// split), prod gradients through zeros, logsumexp/softmax stability, stopGradient, and errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, jvp, jit, vmap, stopGradient, AxisError, ValueError, type Array as NDArray } from '../ts/index.ts';

/** Reference reduction of a row-major [r, c] matrix along `axis` (0 or 1). */
function ref2(x: number[][], axis: 0 | 1, f: (v: number[]) => number): number[] {
  return axis === 1 ? x.map(f) : x[0].map((_, j) => f(x.map((row) => row[j])));
}
const jsMax = (v: number[]) => (v.some(Number.isNaN) ? NaN : Math.max(...v));
const jsMin = (v: number[]) => (v.some(Number.isNaN) ? NaN : Math.min(...v));
const firstIndex = (better: (a: number, b: number) => boolean) => (v: number[]) => {
  let b = 0;
  for (let i = 1; i < v.length; i++) {
    if (Number.isNaN(v[b])) break;
    if (Number.isNaN(v[i]) || better(v[i], v[b])) b = i;
  }
  return b;
};

function randomMatrix(seed: number, r: number, c: number): number[][] {
  let s = seed;
  const next = () => { s = (s * 1103515245 + 12345) % 2 ** 31; return s / 2 ** 31; };
  // Values on a coarse grid so ties occur.
  return Array.from({ length: r }, () => Array.from({ length: c }, () => Math.floor(next() * 7) - 3));
}

test('max/min/argmax/argmin match JS references (ties, NaN, both axes, long rows for the SIMD paths)', () => {
  for (const [r, c] of [[3, 4], [5, 37], [33, 9], [1, 1]] as [number, number][]) {
    for (const dtype of ['float32', 'float64'] as const) {
      const m = randomMatrix(r * 100 + c, r, c);
      if (r > 2 && c > 2) { m[1][2] = NaN; }
      const x = np.array(m, { dtype });
      for (const axis of [0, 1] as const) {
        assert.deepEqual(np.max(x, axis).tolist(), ref2(m, axis, jsMax), `max ${r}x${c} axis ${axis}`);
        assert.deepEqual(np.min(x, { axis: axis - 2 }).tolist(), ref2(m, axis, jsMin), `min ${r}x${c} axis ${axis - 2}`);
        const am = np.argmax(x, axis);
        assert.equal(am.dtype, 'int32');
        assert.deepEqual(am.tolist(), ref2(m, axis, firstIndex((a, b) => a > b)), `argmax ${r}x${c} axis ${axis}`);
        assert.deepEqual(np.argmin(x, axis).tolist(), ref2(m, axis, firstIndex((a, b) => a < b)), `argmin ${r}x${c} axis ${axis}`);
      }
      assert.deepEqual(np.max(x).tolist(), jsMax(m.flat()));
      assert.equal(np.argmax(x).item(), firstIndex((a, b) => a > b)(m.flat()));
    }
  }
});

test('keepdims and axis lists keep numpy shapes', () => {
  const x = np.ones([2, 3, 4]);
  assert.deepEqual(np.max(x, { axis: [0, -1], keepdims: true }).shape, [1, 3, 1]);
  assert.deepEqual(np.argmax(x, { axis: 1, keepdims: true }).shape, [2, 1, 4]);
  assert.deepEqual(np.prod(x, { axis: 1, keepdims: true }).shape, [2, 1, 4]);
  assert.deepEqual(np.logsumexp(x, { axis: [1, 2] }).shape, [2]);
  assert.deepEqual(np.any(x, { axis: 2, keepdims: true }).shape, [2, 3, 1]);
  assert.deepEqual(np.var(x, { axis: [0, 1] }).shape, [4]);
});

test('max/min gradients split equally among ties (JAX), in both modes', () => {
  const x = np.array([1, 3, 3, -2, 3], { dtype: 'float64' });
  assert.deepEqual(grad((v: NDArray) => np.max(v))(x).tolist(), [0, 1 / 3, 1 / 3, 0, 1 / 3]);
  const [, t] = jvp((v: NDArray) => np.max(v), [x], [np.array([0, 3, 6, 100, 0], { dtype: 'float64' })]);
  assert.equal(t.item(), 3);
  assert.deepEqual(grad((v: NDArray) => np.min(v))(np.array([2, -1, -1], { dtype: 'float64' })).tolist(), [0, 0.5, 0.5]);
  // Along an axis: each row splits its own ties.
  const m = np.array([[1, 1], [0, 2]], { dtype: 'float64' });
  assert.deepEqual(grad((v: NDArray) => np.sum(np.max(v, 1)))(m).tolist(), [[0.5, 0.5], [0, 1]]);
});

test('prod: values and gradients through zeros (product of the others), second order too', () => {
  const v = [2, 0, 3, -1.5, 0.5];
  const x = np.array(v, { dtype: 'float64' });
  assert.equal(np.prod(x).item(), -0); // 2 * 0 * 3 * -1.5 * 0.5, as numpy
  const others = v.map((_, i) => v.reduce((p, w, j) => (j === i ? p : p * w), 1));
  const noSign = (l: unknown) => (l as number[]).map((w) => w + 0); // -0 and +0 are the same value here
  assert.deepEqual(noSign(grad((y: NDArray) => np.prod(y))(x).tolist()), noSign(others));
  // d2 prod / dx1 dxj = product of all but x1 and xj.
  const e1 = np.array([0, 1, 0, 0, 0], { dtype: 'float64' });
  const h1 = grad((y: NDArray) => np.vdot(grad((z: NDArray) => np.prod(z))(y), e1))(x).tolist() as number[];
  assert.deepEqual(noSign(h1), noSign(v.map((_, j) => (j === 1 ? 0 : v.reduce((p, w, k) => (k === 1 || k === j ? p : p * w), 1)))));
  assert.equal(np.prod(np.zeros([0])).item(), 1);
  assert.deepEqual(np.prod(np.array([[1, 2], [3, 4]]), 0).tolist(), [3, 8]);
});

test('any/all (NaN is true), var/std with ddof, cumulative scans', () => {
  assert.equal(np.any(np.array([0, 0, NaN])).item(), true);
  assert.equal(np.all(np.array([1, 0, 1])).item(), false);
  assert.equal(np.all(np.zeros([0])).item(), true);
  assert.equal(np.any(np.zeros([0])).item(), false);
  assert.deepEqual(np.all(np.array([[true, false], [true, true]]), 1).tolist(), [false, true]);
  const d = [1, 2, 4, 7];
  const mean = d.reduce((a, b) => a + b) / d.length;
  const ss = d.reduce((a, b) => a + (b - mean) ** 2, 0);
  const x = np.array(d, { dtype: 'float64' });
  assert.equal(np.var(x).item(), ss / 4);
  assert.equal(np.std(x, { ddof: 1 }).item(), Math.sqrt(ss / 3));
  const seq = [3, -1, 4, 1, -5, 9, 2, 6, 5, 3, 5];
  const s = np.array(seq, { dtype: 'float64' });
  const scan = (f: (a: number, b: number) => number) => seq.map((_, i) => seq.slice(0, i + 1).reduce(f));
  assert.deepEqual(np.cumsum(s).tolist(), scan((a, b) => a + b));
  assert.deepEqual(np.cumprod(s).tolist(), scan((a, b) => a * b));
  assert.deepEqual(np.cummax(s).tolist(), scan((a, b) => Math.max(a, b)));
  assert.deepEqual(np.cummin(s).tolist(), scan((a, b) => Math.min(a, b)));
  assert.deepEqual(np.cumsum(np.array([[1, 2], [3, 4]]), 0).tolist(), [[1, 2], [4, 6]]);
  assert.deepEqual(np.cumsum(np.array([[1, 2], [3, 4]])).tolist(), [1, 3, 6, 10]);
});

test('logsumexp and softmax are stable (max under stopGradient, non-finite max replaced by 0)', () => {
  assert.ok(Math.abs((np.logsumexp(np.array([1000, 1000])).item() as number) - (1000 + Math.LN2)) < 1e-3);
  assert.equal(np.logsumexp(np.array([-Infinity, -Infinity])).item(), -Infinity);
  assert.equal(np.logsumexp(np.array([Infinity, 0])).item(), Infinity);
  assert.deepEqual(grad((v: NDArray) => np.logsumexp(v))(np.array([1000, 1000])).tolist(), [0.5, 0.5]);
  const sm = np.softmax(np.array([1000, 1000, -Infinity])).tolist() as number[];
  assert.deepEqual(sm, [0.5, 0.5, 0]);
  assert.deepEqual(np.logSoftmax(np.array([1000, 0], { dtype: 'float64' })).tolist(), [0, -1000]);
  const z = [0.5, -1, 2];
  const e = z.map(Math.exp), tot = e.reduce((a, b) => a + b);
  const got = np.softmax(np.array(z, { dtype: 'float64' })).tolist() as number[];
  got.forEach((g, i) => assert.ok(Math.abs(g - e[i] / tot) < 1e-15));
});

test('stopGradient: the value passes, the derivative does not (pytrees too)', () => {
  const x = np.array(3, { dtype: 'float64' });
  assert.equal(grad((v: NDArray) => np.multiply(v, stopGradient(v)))(x).item(), 3);
  assert.equal(grad(grad((v: NDArray) => np.multiply(np.multiply(v, v), stopGradient(v))))(x).item(), 6);
  const t = stopGradient({ a: x, b: [x, 2] });
  assert.equal((t.a as NDArray).item(), 3);
  assert.equal(t.b[1], 2);
});

test('norms: ord 2, 1, inf, -inf, 0, p', () => {
  const x = np.array([3, -4, 0], { dtype: 'float64' });
  assert.equal(np.norm(x).item(), 5);
  assert.equal(np.norm(x, { ord: 1 }).item(), 7);
  assert.equal(np.norm(x, { ord: Infinity }).item(), 4);
  assert.equal(np.norm(x, { ord: -Infinity }).item(), 0);
  assert.equal(np.norm(x, { ord: 0 }).item(), 2);
  assert.ok(Math.abs((np.norm(x, { ord: 3 }).item() as number) - Math.cbrt(27 + 64)) < 1e-12);
  assert.deepEqual(np.norm(np.array([[3, 4], [6, 8]]), { axis: 1 }).tolist(), [5, 10]);
});

test('errors: bad axes are AxisErrors, empty reductions without identity are ValueErrors; the next call works', () => {
  assert.throws(() => np.max(np.ones([2, 3]), 2), (e: unknown) => e instanceof AxisError && /np.max/.test((e as Error).message) && /rank 2/.test((e as Error).message));
  assert.throws(() => np.argmax(np.ones([2, 3]), -3), AxisError);
  assert.throws(() => np.max(np.ones([0, 3]), 0), (e: unknown) => e instanceof ValueError && /zero-size/.test((e as Error).message));
  assert.throws(() => np.argmin(np.ones([0])), ValueError);
  assert.throws(() => np.cumsum(np.ones([2]), 1), AxisError);
  assert.throws(() => np.softmax(np.ones([2]), { axes: 0 } as any), ValueError);
  assert.equal(np.max(np.array([1, 2])).item(), 2);
});

test('max/min/argmax/argmin along contiguous rows (the four-chain SIMD paths) against a JS reference: NaN first, ties first, -0 < +0', () => {
  let seed = 3;
  const rnd = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
  for (let t = 0; t < 150; t++) {
    const len = 1 + Math.floor(rnd() * 300), rows = 1 + Math.floor(rnd() * 3);
    const vals = Array.from({ length: len * rows }, () => {
      const r = rnd();
      return r < 0.03 ? NaN : r < 0.1 ? -0 : r < 0.15 ? 0 : r < 0.2 ? Infinity : r < 0.25 ? -Infinity : Math.floor(rnd() * 20) - 10;
    });
    for (const dtype of ['float32', 'float64'] as const) {
      const x = np.reshape(np.array(vals, { dtype }), [rows, len]);
      const got = [np.argmax(x, { axis: 1 }), np.argmin(x, { axis: 1 }), np.max(x, { axis: 1 }), np.min(x, { axis: 1 })].map((a) => a.tolist() as number[]);
      for (let r = 0; r < rows; r++) {
        const row = vals.slice(r * len, (r + 1) * len);
        const nan = row.findIndex((v) => Number.isNaN(v));
        // wasm's max/min: NaN if any; -0 below +0
        const mx = nan >= 0 ? NaN : row.reduce((a, b) => (b > a || (b === 0 && a === 0 && Object.is(a, -0)) ? b : a), -Infinity);
        const mn = nan >= 0 ? NaN : row.reduce((a, b) => (b < a || (b === 0 && a === 0 && Object.is(b, -0)) ? b : a), Infinity);
        const want = [nan >= 0 ? nan : row.findIndex((v) => v === mx), nan >= 0 ? nan : row.findIndex((v) => v === mn), mx, mn];
        for (let k = 0; k < 4; k++) assert.ok(Object.is(got[k][r], want[k]), `${dtype} row of ${len}, output ${k}: ${got[k][r]} vs ${want[k]}`);
      }
    }
  }
});

test('where masks and initial values (jnp\'s): sum, mean, prod, max, min; diff\'s prepend and append', () => {
  // numpy 2.4 gives each expected value here
  const x = np.array([[1, -2, 3], [4, 5, -6]], { dtype: 'float64' }), m = np.array([[true, false, true], [false, false, false]]);
  const list = (a: any) => a.tolist();
  assert.equal(np.sum(x, { where: m }).item(), 4);
  assert.deepEqual(list(np.sum(x, { axis: 1, where: m })), [4, 0]);
  assert.deepEqual(list(np.sum(x, { axis: 0, where: m, initial: 10 })), [11, 10, 13]);
  assert.equal(np.mean(x, { where: m }).item(), 2);
  const rowMeans = list(np.mean(x, { axis: 1, where: m }));
  assert.equal(rowMeans[0], 2); assert.ok(Number.isNaN(rowMeans[1]), 'a slice that keeps nothing: NaN');
  assert.deepEqual(np.mean(x, { axis: 0, where: m, keepdims: true }).shape, [1, 3]);
  assert.deepEqual(list(np.prod(x, { axis: 1, where: m })), [3, 1]);
  assert.equal(np.prod(x, { initial: 2 }).item(), 1440);
  assert.deepEqual(list(np.max(x, { axis: 1, where: m, initial: -100 })), [3, -100]);
  assert.equal(np.min(x, { initial: 0 }).item(), -6);
  assert.equal(np.min(x, { initial: -10 }).item(), -10);
  assert.deepEqual(list(np.max(np.zeros([0, 3]), { axis: 0, initial: 7 })), [7, 7, 7]); // (empty: no identity needed)
  assert.ok(Number.isNaN(np.max(np.array([NaN, 1]), { initial: 5 }).item() as number));
  assert.equal(np.sum(np.array([true, true, false]), { where: [true, false, true], initial: 1 }).item(), 2);
  // derivatives: only the kept entries; a mask of the batch under vmap; the same under jit
  // (2 x times a zero cotangent: -0 at x = -2, as jax.grad gives)
  assert.deepEqual(list(grad((v: any) => np.mean(np.square(v), { where: m }))(x)).map((r: number[]) => r.map((v) => v + 0)), [[1, 0, 3], [0, 0, 0]]);
  assert.deepEqual(list(jit((v: any) => np.sum(v, { axis: 1, where: m }))(x)), [4, 0]);
  const vm = list(vmap((r: any, k: any) => np.mean(r, { where: k }))(x, m));
  assert.equal(vm[0], 2); assert.ok(Number.isNaN(vm[1]));
  assert.throws(() => np.max(x, { where: m }), (e: Error) => e instanceof ValueError && /needs an initial/.test(e.message));
  assert.throws(() => np.sum(x, { where: [true, false] }), /np.sum: where/);
  assert.throws(() => np.mean(x, { initial: 1 } as any), ValueError);
  // diff: [prepend, x, append] along the axis, a 0-d value as one slice; dtypes promote as concatenate's
  assert.deepEqual(list(np.diff(np.array([1, 4, 9]), { prepend: 0 })), [1, 3, 5]);
  assert.deepEqual(list(np.diff(np.array([1, 4, 9]), { append: [20, 30] })), [3, 5, 11, 10]);
  assert.deepEqual(list(np.diff(np.array([[1, 2], [4, 8]]), { axis: 0, prepend: 0, append: np.array([[0, 0]]) })), [[1, 2], [3, 6], [-4, -8]]);
  const d = np.diff(np.array([1, 4, 9], { dtype: 'int32' }), { prepend: 0.5 });
  assert.equal(d.dtype, 'float32'); assert.deepEqual(list(d), [0.5, 3, 5]);
});
