// jax.numpy options a numpy/JAX port reaches for: quantile's and percentile's `method` (and the
// nan-variants), searchsorted's `sorter`, tensordot's axes=None. References are computed here,
// independently of the code under test: float64 loops following numpy's documented formulas
// (numpy/lib/_function_base_impl.py, _QuantileMethods and _lerp), a float32 variant rounding
// each step as numpy's float32 arithmetic does, and a few literal numpy 2.4 outputs explained
// in comments. Derivatives: checkGrads (finite differences) and hand-derived slopes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, vmap, jit, checkGrads, ValueError, NDArray } from '../ts/index.ts';
import { Rng } from './helpers/fd.ts';

const f64 = (v: unknown) => np.array(v as any, { dtype: 'float64' });
const f32 = (v: unknown) => np.array(v as any, { dtype: 'float32' });
const METHODS = ['linear', 'lower', 'higher', 'midpoint', 'nearest'] as const;
type Method = (typeof METHODS)[number];

/** np.around of a double: a half to the even integer. */
function roundHalfEven(v: number): number {
  const f = Math.floor(v), d = v - f;
  return d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
}

/**
 * numpy's quantile of one 1-d slice at a JS q in [0, 1] (weak q: the fraction is rounded to the
 * slice's dtype, as numpy 2 does for a Python float): sorted values s, virtual index v = (n - 1) q,
 * lower s[floor v], higher s[ceil v], nearest s[around v], midpoint lerp(s[floor], s[ceil], 1/2)
 * (s[v] when v is whole), linear lerp(s[floor], s[floor + 1], v - floor) (s[n - 1] at v = n - 1).
 * _lerp(a, b, t) = a + (b - a) t, or b - (b - a)(1 - t) where t >= 0.5. NaN in the slice: NaN.
 * `r` rounds each arithmetic result to the dtype (Math.fround for float32).
 */
function refQuantile(vals: number[], q: number, method: Method, r: (v: number) => number = (v) => v): number {
  if (vals.some(Number.isNaN)) return NaN;
  const s = [...vals].sort((a, b) => a - b), n = s.length, v = (n - 1) * q;
  const fl = Math.floor(v), ce = Math.ceil(v);
  const lerp = (a: number, b: number, t: number) => {
    const d = r(b - a);
    return t >= 0.5 ? r(b - r(d * r(1 - t))) : r(a + r(d * r(t)));
  };
  switch (method) {
    case 'lower': return s[fl];
    case 'higher': return s[ce];
    case 'nearest': return s[roundHalfEven(v)];
    case 'midpoint': return fl === ce ? s[fl] : lerp(s[fl], s[ce], 0.5);
    default: return v >= n - 1 ? s[n - 1] : fl === v ? s[fl] : lerp(s[fl], s[fl + 1], v - fl);
  }
}
/** numpy's nanquantile of one slice: the quantile of its non-NaN entries, NaN when there are none. */
function refNanQuantile(vals: number[], q: number, method: Method, r?: (v: number) => number): number {
  const kept = vals.filter((v) => !Number.isNaN(v));
  return kept.length === 0 ? NaN : refQuantile(kept, q, method, r);
}

const sameBits = (got: unknown, want: unknown, what: string) => assert.deepEqual(got, want, what);

test('quantile methods: numpy index rules on odd and even lengths, q at 0 and 1, ties (float64)', () => {
  // literal numpy 2.4: np.quantile(np.arange(5.), [0, .125, .25, .375, .5, .625, .75, .875, 1], method=m).
  // n - 1 = 4, so v = 4 q = 0, .5, 1, 1.5, 2, 2.5, 3, 3.5, 4; nearest rounds the halves to even
  // indices (.5 -> 0, 1.5 -> 2, 2.5 -> 2, 3.5 -> 4), midpoint averages floor and ceiling.
  const grid = [0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1];
  const r5 = f64([0, 1, 2, 3, 4]);
  assert.deepEqual(np.quantile(r5, grid, { method: 'lower' }).tolist(), [0, 0, 1, 1, 2, 2, 3, 3, 4]);
  assert.deepEqual(np.quantile(r5, grid, { method: 'higher' }).tolist(), [0, 1, 1, 2, 2, 3, 3, 4, 4]);
  assert.deepEqual(np.quantile(r5, grid, { method: 'nearest' }).tolist(), [0, 0, 1, 2, 2, 2, 3, 4, 4]);
  assert.deepEqual(np.quantile(r5, grid, { method: 'midpoint' }).tolist(), [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4]);
  assert.deepEqual(np.quantile(r5, grid, { method: 'linear' }).tolist(), grid.map((q) => 4 * q));
  assert.deepEqual(np.quantile(r5, grid).tolist(), np.quantile(r5, grid, { method: 'linear' }).tolist(), "'linear' is the default");
  const data = [
    [3.5, -1.25, 7, 0.1, 2.2, 9.75, -4.5], // odd n = 7
    [2.5, 2.5, 2.5, -1, 8, 2.5], // even n = 6, ties
    [6.1, -0.3, 4.4, 1e-3, 5.5, -7.25, 3.3, 0.6], // even n = 8
    [42], // n = 1: every q reads its one value
  ];
  const qs = [0, 1, 0.5, 0.1, 0.2, 0.25, 1 / 3, 0.4, 0.6, 0.7, 0.75, 0.9, 0.99, 1 / 6, 5 / 14];
  for (const row of data) {
    for (const m of METHODS) {
      const want = qs.map((q) => refQuantile(row, q, m));
      sameBits(qs.map((q) => np.quantile(f64(row), q, { method: m }).item()), want, `quantile one q, ${m}, [${row}]`);
      sameBits(np.quantile(f64(row), qs, { method: m }).tolist(), want, `quantile list q, ${m}, [${row}]`);
      sameBits(np.percentile(f64(row), qs.map((q) => q * 100), { method: m }).tolist(),
        qs.map((q) => refQuantile(row, (q * 100) / 100, m)), `percentile, ${m}, [${row}]`);
    }
  }
  // q = 0 and q = 1 read the minimum and maximum in every method (infinite ends included)
  const inf = f64([3, -Infinity, 1, Infinity, 2]);
  for (const m of METHODS) assert.deepEqual(np.quantile(inf, [0, 1], { method: m }).tolist(), [-Infinity, Infinity], m);
});

test('quantile methods in float32: each step rounded as numpy 2 rounds float32 with a Python float q', () => {
  const rng = mulberry(17);
  for (let k = 0; k < 40; k++) {
    const n = 1 + Math.floor(rng() * 9);
    const row = Array.from({ length: n }, () => Math.fround((rng() - 0.5) * 200));
    const q = Math.floor(rng() * 1001) / 1000;
    for (const m of METHODS) {
      const got = np.quantile(f32(row), q, { method: m });
      assert.equal(got.dtype, 'float32');
      assert.equal(got.item(), refQuantile(row, q, m, Math.fround), `float32 ${m} q=${q} [${row}]`);
      assert.deepEqual(np.quantile(f32(row), [q, 0.5], { method: m }).tolist(), [q, 0.5].map((v) => refQuantile(row, v, m, Math.fround)));
    }
  }
  // ints and bools are quantiled in float32, as jnp (promote_dtypes_inexact): every method
  assert.equal(np.quantile(np.array([1, 2, 3, 4], { dtype: 'int32' }), 0.5, { method: 'lower' }).dtype, 'float32');
  assert.equal(np.quantile(np.array([1, 2, 3, 4], { dtype: 'int32' }), 0.5, { method: 'midpoint' }).item(), 2.5);
});

test('quantile: axis tuples, negative axes, keepdims, q as a nested list or an Array; NaN slices', () => {
  const rng = mulberry(5);
  const shape = [3, 4, 5];
  const vals = Array.from({ length: 60 }, () => Math.round((rng() - 0.5) * 1000) / 10);
  const x = np.reshape(f64(vals), shape);
  const at = (i: number, j: number, k: number) => vals[(i * 4 + j) * 5 + k];
  const qs = [0.3, 0.5, 1];
  for (const m of METHODS) {
    // axis (0, 2) = (-3, -1): each j's 15 values
    const want = qs.map((q) => [0, 1, 2, 3].map((j) => refQuantile([0, 1, 2].flatMap((i) => [0, 1, 2, 3, 4].map((k) => at(i, j, k))), q, m)));
    assert.deepEqual(np.quantile(x, qs, { axis: [0, 2], method: m }).tolist(), want, m);
    assert.deepEqual(np.quantile(x, qs, { axis: [-3, -1], method: m }).tolist(), want, m);
    const kd = np.quantile(x, qs, { axis: [0, -1], keepdims: true, method: m });
    assert.deepEqual(kd.shape, [3, 1, 4, 1]);
    assert.deepEqual(np.reshape(kd, [3, 4]).tolist(), want);
    // a nested list q: its shape leads
    assert.deepEqual(np.quantile(x, [[0.3, 0.5], [1, 0]], { axis: -2, method: m }).shape, [2, 2, 3, 5]);
    // an Array q (concrete): the same values as the JS list in float64
    assert.deepEqual(np.quantile(x, f64(qs), { axis: [0, 2], method: m }).tolist(), want);
    // all axes, keepdims: [q, 1, 1, 1]
    assert.deepEqual(np.quantile(x, qs, { keepdims: true, method: m }).shape, [3, 1, 1, 1]);
    assert.deepEqual(np.quantile(x, 0.5, { axis: null, method: m }).item(), refQuantile(vals, 0.5, m));
  }
  // a NaN anywhere in a slice makes that slice's quantile NaN, in every method (numpy)
  const withNaN = f64([[1, NaN, 3], [4, 5, 6]]);
  for (const m of METHODS) assert.deepEqual(np.quantile(withNaN, 0, { axis: 1, method: m }).tolist(), [NaN, 4], m);
  assert.throws(() => np.quantile(x, 0.5, { method: 'hazen' as any }), (e: any) => e instanceof ValueError && /method must be one of 'linear'/.test(e.message));
  assert.throws(() => np.percentile(x, 50, { method: 'weibull' as any }), ValueError);
});

test('nanquantile / nanpercentile: NaNs left out per slice, a slice of NaNs only is NaN', () => {
  const rows = [
    [NaN, 3, 1, NaN, 4, 1.5], // 4 values
    [NaN, NaN, NaN, NaN, NaN, NaN], // none: NaN
    [2, 7, 1, 8, 2, 8], // 6 values, ties
    [NaN, -5, NaN, NaN, NaN, NaN], // 1 value
  ];
  const x = f64(rows);
  const qs = [0, 0.2, 0.25, 0.5, 0.6, 2 / 3, 0.75, 1];
  for (const m of METHODS) {
    const want = qs.map((q) => rows.map((r) => refNanQuantile(r, q, m)));
    assert.deepEqual(np.nanquantile(x, qs, { axis: 1, method: m }).tolist(), want, `nanquantile ${m}`);
    assert.deepEqual(np.nanpercentile(x, qs.map((q) => q * 100), { axis: -1, method: m }).tolist(),
      qs.map((q) => rows.map((r) => refNanQuantile(r, (q * 100) / 100, m))), `nanpercentile ${m}`);
    assert.deepEqual(qs.map((q) => np.nanquantile(x, q, { axis: 1, method: m }).tolist()), want, `nanquantile one q ${m}`);
    assert.deepEqual(np.nanquantile(x, f64(qs), { axis: 1, method: m }).tolist(), want, `nanquantile Array q ${m}`);
    assert.deepEqual(np.nanquantile(x, 0.5, { axis: 1, keepdims: true, method: m }).shape, [4, 1]);
    // the transposed operand along axis 0 gives the same
    assert.deepEqual(np.nanquantile(np.transpose(x), qs, { axis: 0, method: m }).tolist(), want);
  }
  // literal numpy 2.4: np.nanmedian-like np.nanquantile([nan, 3, 1, nan, 4, 1.5], 0.5) = 2.25
  // (the sorted non-NaN values 1, 1.5, 3, 4 and v = 3 * 0.5 = 1.5: 1.5 + (3 - 1.5) / 2)
  assert.equal(np.nanquantile(f64(rows[0]), 0.5).item(), 2.25);
  // float32: the positions (c - 1) q in double, each lerp step rounded to float32
  const rng = mulberry(99);
  for (let k = 0; k < 30; k++) {
    const row = Array.from({ length: 7 }, () => (rng() < 0.3 ? NaN : Math.fround((rng() - 0.5) * 50)));
    const q = Math.floor(rng() * 1001) / 1000;
    for (const m of METHODS) assert.equal(np.nanquantile(f32(row), q, { method: m }).item(), refNanQuantile(row, q, m, Math.fround), `${m} [${row}] ${q}`);
  }
  // without NaNs nanquantile is quantile; an int operand holds no NaN
  const clean = f64([[3, 1, 2], [9, 7, 8]]);
  for (const m of METHODS) assert.deepEqual(np.nanquantile(clean, [0.3, 0.5], { axis: 1, method: m }).tolist(), np.quantile(clean, [0.3, 0.5], { axis: 1, method: m }).tolist());
  assert.deepEqual(np.nanquantile(np.array([3, 1, 2], { dtype: 'int32' }), 0.5).tolist(), 2);
  // an empty slice: NaN (numpy's nanquantile, with a warning), where quantile raises
  assert.deepEqual(np.nanquantile(np.zeros([2, 0]), 0.5, { axis: 1 }).tolist(), [NaN, NaN]);
  assert.throws(() => np.nanquantile(x, 1.5), ValueError);
});

test('quantile methods under jit and vmap equal eager; a traced q gives its positions as Arrays', () => {
  const x = f64([[0.3, -1.2, NaN, 2.5, 0.7], [1.1, 0.4, -0.6, 2.2, 5.0], [9, 8, 7, 6, 5]]);
  const qs = [0, 0.3, 0.5, 0.625, 1];
  for (const f of [np.quantile, np.nanquantile]) {
    for (const m of METHODS) {
      const eager = f(x, qs, { axis: 1, method: m }).tolist();
      assert.deepEqual(jit((v: NDArray) => f(v, qs, { axis: 1, method: m }))(x).tolist(), eager, `jit, JS q, ${m}`);
      assert.deepEqual(jit((v: NDArray, q: NDArray) => f(v, q, { axis: 1, method: m }))(x, f64(qs)).tolist(), eager, `jit, traced q, ${m}`);
      assert.deepEqual(vmap((row: NDArray) => f(row, qs, { method: m }), { outAxes: 1 })(x).tolist(), eager, `vmap over x, ${m}`);
      assert.deepEqual(vmap((q: NDArray) => f(x, q, { axis: 1, method: m }))(f64(qs)).tolist(), eager, `vmap over q, ${m}`);
    }
  }
  // a traced q outside [0, 1] cannot be refused: NaN there (a concrete one is a ValueError)
  assert.deepEqual(jit((q: NDArray) => np.quantile(f64([1, 2, 3]), q, { method: 'nearest' }))(f64([1.5, -0.1, 0.5])).tolist(), [NaN, NaN, 2]);
});

test('quantile methods differentiate: values through the sort, q through linear only', () => {
  const x = f64([[0.3, -1.2, 2.5, 0.7, 1.9], [1.1, 0.4, -0.6, 2.2, 5.0]]);
  const xn = f64([[0.3, -1.2, NaN, 2.5, 0.7], [1.1, 0.4, -0.6, 2.2, 5.0]]);
  for (const m of METHODS) {
    checkGrads((v: NDArray) => np.quantile(v, [0.3, 0.6, 1], { axis: 1, method: m }), [x], { order: 2 });
    checkGrads((v: NDArray) => np.percentile(v, 45, { axis: -1, method: m }), [x], { order: 2 });
    checkGrads((v: NDArray) => np.nanquantile(v, [0.3, 0.75], { axis: 1, method: m }), [xn], { order: 2 });
  }
  // row [1.1, 0.4, -0.6, 2.2, 5.0] sorted: -0.6 0.4 1.1 2.2 5.0; q = 0.3: v = 1.2, between 0.4
  // (index 1, x[1]) and 1.1 (x[0]): lower picks x[1], higher and nearest (1.2 -> 1) pick x[0]
  // and x[1], midpoint halves to each, linear 0.8 and 0.2
  const row = x.get(1);
  const g = (m: Method) => grad((v: NDArray) => np.quantile(v, 0.3, { method: m }))(row).tolist();
  assert.deepEqual(g('lower'), [0, 1, 0, 0, 0]);
  assert.deepEqual(g('higher'), [1, 0, 0, 0, 0]);
  assert.deepEqual(g('nearest'), [0, 1, 0, 0, 0]);
  assert.deepEqual(g('midpoint'), [0.5, 0.5, 0, 0, 0]);
  const gl = g('linear') as number[];
  assert.ok(Math.abs(gl[0] - 0.2) < 1e-15 && Math.abs(gl[1] - 0.8) < 1e-15 && gl[2] === 0, String(gl));
  // in q: linear's slope (v_hi - v_lo)(n - 1) = (1.1 - 0.4) * 4 at q = 0.3, 0 at a whole position
  // (q = 0.5: v = 2) as jnp; the other methods are steps, slope 0
  const dq = grad((q: NDArray) => np.sum(np.quantile(row, q)))(f64([0.3, 0.5])).tolist() as number[];
  assert.ok(Math.abs(dq[0] - 0.7 * 4) < 1e-12 && dq[1] === 0, String(dq));
  for (const m of ['lower', 'higher', 'midpoint', 'nearest'] as const) {
    assert.deepEqual(grad((q: NDArray) => np.sum(np.quantile(row, q, { method: m })))(f64([0.3, 0.55])).tolist(), [0, 0]);
  }
  // nanquantile in q: each slice's own count; [0.3, -1.2, 2.5, 0.7] has 4: v = 3 * 0.5 = 1.5
  // between 0.3 and 0.7, slope 0.4 * 3 = 1.2 per unit q
  const dn = grad((q: NDArray) => np.nanquantile(xn.get(0), q))(f64(0.5)).item() as number;
  assert.ok(Math.abs(dn - 1.2) < 1e-12, String(dn));
  checkGrads((q: NDArray) => np.nanquantile(xn, q, { axis: 1 }), [f64([0.3, 0.6])], { order: 1 });
});

/** mulberry32, seeded (tests/helpers/fd.ts's Rng): the test data. */
function mulberry(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

test('searchsorted sorter: the search runs in a[sorter], as numpy; eager, jit and vmap agree', () => {
  const vals = [3, 1, 2, 5, 4, 2, -7, 2.5];
  const a = f64(vals);
  // sorter by hand: the indices of vals in ascending order (ties by index)
  const order = vals.map((_, i) => i).sort((i, j) => vals[i] - vals[j] || i - j); // [6, 1, 2, 5, 7, 0, 4, 3]
  const sorted = order.map((i) => vals[i]);
  const left = (x: number) => sorted.filter((s) => s < x).length; // numpy's left insertion point
  const right = (x: number) => sorted.filter((s) => s <= x).length;
  const v = [-10, -7, 0, 1, 2, 2.25, 2.5, 3, 4.5, 5, 9];
  const sorter = np.array(order, { dtype: 'int32' });
  assert.deepEqual(np.searchsorted(a, f64(v), { sorter }).tolist(), v.map(left));
  assert.deepEqual(np.searchsorted(a, f64(v), { side: 'right', sorter }).tolist(), v.map(right));
  // numpy's positional order (a, v, side, sorter); a JS list sorter; argsort's own permutation
  assert.deepEqual(np.searchsorted(a, f64(v), 'right', order).tolist(), v.map(right));
  assert.deepEqual(np.searchsorted(a, f64(v), { sorter: np.argsort(a) }).tolist(), v.map(left));
  assert.deepEqual(np.searchsorted(a, 2, { sorter: order }).tolist(), left(2), 'a scalar v gives a 0-d result');
  // literal numpy 2.4: np.searchsorted([3, 1, 2], [2, 2.5], sorter=[1, 2, 0]) = [1, 2]
  assert.deepEqual(np.searchsorted([3, 1, 2], [2, 2.5], { sorter: [1, 2, 0] }).tolist(), [1, 2]);
  // an int a with a float v compares exactly (float64), and a sorter works there too
  assert.deepEqual(np.searchsorted(np.array([30, 10, 20], { dtype: 'int32' }), f64([15, 20, 25]), { side: 'right', sorter: [1, 2, 0] }).tolist(), [1, 2, 2]);
  // jit with a traced sorter, and vmap over sorters and over a with its sorter
  for (const side of ['left', 'right'] as const) {
    const want = v.map(side === 'left' ? left : right);
    assert.deepEqual(jit((x: NDArray, s: NDArray, q: NDArray) => np.searchsorted(x, q, { side, sorter: s }))(a, sorter, f64(v)).tolist(), want);
    assert.deepEqual(vmap((s: NDArray) => np.searchsorted(a, f64(v), { side, sorter: s }))(np.stack([sorter, sorter])).tolist(), [want, want]);
    const rev = f64([...vals].reverse()), revOrder = np.array(order.map((i) => vals.length - 1 - i), { dtype: 'int32' });
    assert.deepEqual(vmap((x: NDArray, s: NDArray) => np.searchsorted(x, f64(v), { side, sorter: s }))(np.stack([a, rev]), np.stack([sorter, revOrder])).tolist(), [want, want]);
  }
  // numpy's checks: integer indices, one per element of a, each in [0, n)
  assert.throws(() => np.searchsorted(a, 1, { sorter: [0, 1, 2] }), (e: any) => e instanceof ValueError && /sorter must be 1-d of a's length 8/.test(e.message));
  assert.throws(() => np.searchsorted(a, 1, { sorter: [6, 1, 2, 5, 7, 0, 4, 8] }), (e: any) => e instanceof ValueError && /sorter index 8 is out of range/.test(e.message));
  assert.throws(() => np.searchsorted(a, 1, { sorter: [6, 1, 2, 5, 7, 0, 4, -1] }), (e: any) => e instanceof ValueError && /sorter index -1 is out of range/.test(e.message));
  assert.throws(() => np.searchsorted(a, 1, { sorter: f64(order) }), (e: any) => /sorter must be int32 or uint32/.test(e.message));
  assert.throws(() => np.searchsorted(a, 1, { sorter: [0.5, 1, 2, 5, 7, 0, 4, 3] }), (e: any) => /sorter must hold integers/.test(e.message));
  assert.throws(() => np.searchsorted(a, 1, { side: 'left' }, order), (e: any) => e instanceof ValueError && /np.searchsorted/.test(e.message));
  // null is numpy's sorter=None: no sorter
  assert.deepEqual(np.searchsorted(f64(sorted), f64(v), { sorter: null }).tolist(), v.map(left));
});

test('tensordot axes=None is refused, as numpy and jnp raise for it (it had meant the default 2)', () => {
  // numpy: tensordot(a, b, axes=None) fails at -axes (TypeError); jnp: 'tensordot axes argument
  // must be an int, a pair of ints, or a pair of lists/tuples of ints'
  const a = np.ones([2, 3, 4]), b = np.ones([3, 4, 5]);
  const msg = (e: any) => e instanceof ValueError && /np.tensordot: axes must be an integer or a pair of axis lists, got null/.test(e.message);
  assert.throws(() => np.tensordot(a, b, null as any), msg);
  assert.throws(() => np.tensordot(a, b, { axes: null } as any), msg);
  // left out (or undefined) it is the default 2: each entry sums 3 * 4 ones
  assert.deepEqual(np.tensordot(a, b).tolist(), [[12, 12, 12, 12, 12], [12, 12, 12, 12, 12]]);
  assert.deepEqual(np.tensordot(a, b, { axes: undefined }).shape, [2, 5]);
  assert.deepEqual(np.tensordot(a, b, [[1], [0]]).shape, [2, 4, 4, 5]);
});


test('linspace retstep: [samples, step] as numpy, step (stop - start) / div, NaN where div is 0', () => {
  // numpy: linspace(2, 3, 5, endpoint=False, retstep=True) = ([2, 2.2, 2.4, 2.6, 2.8], 0.2):
  // div = num = 5, step = 1 / 5; samples start + i step in double
  const [s1, st1] = np.linspace(2, 3, 5, { endpoint: false, retstep: true, dtype: 'float64' });
  assert.deepEqual(s1.tolist(), [0, 1, 2, 3, 4].map((i) => 2 + i * 0.2));
  assert.equal(st1.item(), 0.2);
  assert.equal(st1.dtype, 'float64');
  assert.deepEqual(st1.shape, []);
  // with the endpoint div = num - 1: step 1 / 4; the default float32 dtype rounds the step once
  const [s2, st2] = np.linspace(0, 1, { num: 5, retstep: true });
  assert.deepEqual(s2.tolist(), [0, 0.25, 0.5, 0.75, 1]);
  assert.equal(st2.dtype, 'float32');
  assert.equal(st2.item(), 0.25);
  assert.equal(np.linspace(0, 1, 4, { retstep: true })[1].item(), Math.fround(1 / 3));
  // an integer dtype: samples floored, the step a float (numpy: linspace(0, 10, 4, dtype=int,
  // retstep=True) = ([0, 3, 6, 10], 3.3333333333333335); here float32, as jnp's computation dtype)
  const [s3, st3] = np.linspace(0, 10, 4, { retstep: true, dtype: 'int32' });
  assert.deepEqual(s3.tolist(), [0, 3, 6, 10]);
  assert.equal(st3.item(), Math.fround(10 / 3));
  // div = 0: NaN (num 1 with the endpoint, num 0); num 1 without it: div 1, the step stop - start
  assert.ok(Number.isNaN(np.linspace(0, 1, 1, { retstep: true })[1].item() as number));
  assert.ok(Number.isNaN(np.linspace(0, 1, 0, { retstep: true })[1].item() as number));
  assert.equal(np.linspace(0, 1, 1, { retstep: true, endpoint: false })[1].item(), 1);
  // without retstep (or retstep false) the samples alone
  assert.ok(np.linspace(0, 1, 3, { retstep: false }) instanceof NDArray);
  // Array ends: a step per broadcast element, any axis; jit, vmap and grad
  const a = f64([0, 1]), b = f64([1, 3]);
  const [s4, st4] = np.linspace(a, b, 3, { retstep: true, axis: 1 });
  assert.deepEqual(s4.tolist(), [[0, 0.5, 1], [1, 2, 3]]);
  assert.deepEqual(st4.tolist(), [0.5, 1]);
  const [j4, jst4] = jit((x: NDArray, y: NDArray) => np.linspace(x, y, 3, { retstep: true }))(a, b);
  assert.deepEqual(j4.tolist(), [[0, 1], [0.5, 2], [1, 3]]);
  assert.deepEqual(jst4.tolist(), [0.5, 1]);
  const [v4, vst4] = vmap((y: NDArray) => np.linspace(0, y, 3, { retstep: true, dtype: 'float64' }))(b);
  assert.deepEqual(v4.tolist(), [[0, 0.5, 1], [0, 1.5, 3]]);
  assert.deepEqual(vst4.tolist(), [0.5, 1.5]);
  // d step / d stop = 1 / div = 1 / 4 per element
  assert.deepEqual(grad((y: NDArray) => np.sum(np.linspace(a, y, 5, { retstep: true })[1]))(b).tolist(), [0.25, 0.25]);
  assert.ok(Number.isNaN(np.linspace(a, b, 1, { retstep: true })[1].tolist()[0] as number));
});

test('geomspace with an integer dtype: computed in float64 and truncated toward zero, as numpy, for JS and Array ends', () => {
  // the float64 progression by hand: 10 ** (log10|start| + i (log10|stop| - log10|start|) / div),
  // ends exactly start and stop, the sign of start, then truncated toward zero
  const ref = (s: number, e: number, num: number, endpoint = true) => {
    const sg = Math.sign(s), a = Math.log10(s * sg), b = Math.log10(e * sg), div = endpoint ? num - 1 : num;
    return Array.from({ length: num }, (_, i) => Math.trunc(sg * (i === 0 ? s * sg : endpoint && i === num - 1 ? e * sg : 10 ** (a + (i * (b - a)) / div))));
  };
  // numpy's documented example: geomspace(1, 256, 9, dtype=int) = [1, 2, 4, 7, 16, 32, 63, 127, 256]
  // (8, 64 and 128 come out a hair below the integers in float64 and truncate down)
  assert.deepEqual(np.geomspace(1, 256, 9, 'int32').tolist(), [1, 2, 4, 7, 16, 32, 63, 127, 256]);
  assert.deepEqual(np.geomspace(np.array(1, { dtype: 'int32' }), np.array(256, { dtype: 'int32' }), 9, 'int32').tolist(), [1, 2, 4, 7, 16, 32, 63, 127, 256]);
  // negative ranges truncate toward zero: -7.99... is -7, as numpy's astype
  assert.deepEqual(np.geomspace(-1, -256, 9, 'int32').tolist(), [-1, -2, -4, -7, -16, -32, -63, -127, -256]);
  // numpy 2.4: geomspace(-6734, -304161, 20, dtype=int32)[18] = -248889 (-248889.86 in float64;
  // float32 rounds it to -248890, which it was with int32 Array ends)
  const big = np.geomspace(np.array(-6734, { dtype: 'int32' }), np.array(-304161, { dtype: 'int32' }), 20, 'int32').tolist() as number[];
  assert.equal(big[18], -248889);
  for (const [s, e, num, endpoint] of [[2, 1000, 7, true], [-2, -1000, 7, true], [3, 100000, 12, false], [-5, -77777, 15, true], [1000, 2, 6, true]] as const) {
    const want = ref(s, e, num, endpoint);
    assert.deepEqual(np.geomspace(s, e, num, { endpoint, dtype: 'int32' }).tolist(), want, `JS ends ${s} ${e}`);
    const arr = np.geomspace(np.array(s, { dtype: 'int32' }), np.array(e, { dtype: 'int32' }), num, { endpoint, dtype: 'int32' });
    assert.deepEqual(arr.tolist(), want, `Array ends ${s} ${e}`);
    assert.deepEqual(jit((x: NDArray, y: NDArray) => np.geomspace(x, y, num, { endpoint, dtype: 'int32' }))(np.array(s, { dtype: 'int32' }), np.array(e, { dtype: 'int32' })).tolist(), want);
  }
});

test('np.pad: per-side constant values, and the modes mean, maximum, minimum, linear_ramp and empty (numpy\'s values)', () => {
  // each expected list is numpy 2.4's; they were ValueErrors ('mode must be ...', 'constantValues must be a number')
  const a = np.array([1, 2, 6, 3], { dtype: 'int32' }), L = (v: NDArray) => v.tolist();
  assert.deepEqual(L(np.pad(a, [2, 3], 'mean')), [3, 3, 1, 2, 6, 3, 3, 3, 3]);
  assert.deepEqual(L(np.pad(a, [2, 3], 'maximum')), [6, 6, 1, 2, 6, 3, 6, 6, 6]);
  assert.deepEqual(L(np.pad(a, [2, 3], 'minimum')), [1, 1, 1, 2, 6, 3, 1, 1, 1]);
  assert.deepEqual(L(np.pad(a, [2, 3], { mode: 'mean', statLength: 2 })), [2, 2, 1, 2, 6, 3, 4, 4, 4]); // 1.5 and 4.5: half to even
  assert.deepEqual(L(np.pad(np.array([1, 2, 4], { dtype: 'int32' }), [2, 2], 'mean')), [2, 2, 1, 2, 4, 2, 2]);
  assert.deepEqual(L(np.pad(a, [2, 3], 'linear_ramp')), [0, 0, 1, 2, 6, 3, 2, 1, 0]);
  assert.deepEqual(L(np.pad(a, [2, 3], { mode: 'linear_ramp', endValues: [10, -10] })), [10, 5, 1, 2, 6, 3, -2, -6, -10]); // (floored)
  assert.deepEqual(L(np.pad(np.astype(a, 'float64'), [2, 3], { mode: 'linear_ramp', endValues: [10, -10] })),
    [10, 5.5, 1, 2, 6, 3, -1.333333333333334, -5.666666666666667, -10]);
  assert.deepEqual(L(np.pad(a, [2, 3], { mode: 'constant', constantValues: [7, 9] })), [7, 7, 1, 2, 6, 3, 9, 9, 9]);
  assert.deepEqual(L(np.pad(a, 1, 'empty')).length, 6);
  const b = np.reshape(np.arange(6), [2, 3]);
  assert.deepEqual(L(np.pad(b, [[1, 1], [2, 0]], { constantValues: [[1, 2], [3, 4]] })), [[3, 3, 1, 1, 1], [3, 3, 0, 1, 2], [3, 3, 3, 4, 5], [3, 3, 2, 2, 2]]);
  // axis by axis, each from the array padded along the ones before
  assert.deepEqual(L(np.pad(b, 1, 'mean')), [[3, 2, 2, 4, 3], [1, 0, 1, 2, 1], [4, 3, 4, 5, 4], [3, 2, 2, 4, 3]]);
  // derivatives: sum(pad(v, [1, 2], 'mean')) = sum(v) + 3 mean(v); a ramp from 5 over 2 reaches v0 by half
  assert.deepEqual(L(grad((v: NDArray) => np.sum(np.pad(v, [1, 2], 'mean')))(np.array([1, 2, 3, 4], { dtype: 'float64' }))), [1.75, 1.75, 1.75, 1.75]);
  assert.deepEqual(L(grad((v: NDArray) => np.sum(np.pad(v, [2, 1], { mode: 'linear_ramp', endValues: 5 })))(np.array([1, 2, 3], { dtype: 'float64' }))), [1.5, 1, 1]);
  assert.throws(() => np.pad(a, 1, { mode: 'edge', statLength: 2 } as any), /statLength is for mode/);
  assert.throws(() => np.pad(a, 1, { mode: 'mean', statLength: 0 }), /statLength 0/);
  assert.throws(() => np.pad(a, 1, { constantValues: ['x'] } as any), /constantValues must hold JS numbers/);
});
