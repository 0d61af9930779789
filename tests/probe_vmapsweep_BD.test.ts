// helper-280: vmap over np's a-l functions against the loop over examples (plain JS stacking),
// and the regression for an Array `num` in linspace/geomspace/logspace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, vmap, jit, NDArray, CotangentError, TracerError, ValueError } from '../ts/index.ts';

// ---------------------------------------------------------------- Array num (the fix)

for (const fn of ['linspace', 'geomspace', 'logspace'] as const) {
  const f = (np as unknown as Record<string, (...a: unknown[]) => NDArray>)[fn];
  test(`np.${fn}: a 0-d int32 Array num is read as the count (numpy's operator.index, jnp's concrete num)`, () => {
    // was DTypeError "dtype must be a dtype name ..., got an Array int32[]" (the Array read as options)
    assert.deepEqual(f(1, 2, np.array(3, 'int32')).tolist(), f(1, 2, 3).tolist());
    assert.deepEqual(f(1, 2, np.array(4, 'int32'), { endpoint: false }).tolist(), f(1, 2, 4, { endpoint: false }).tolist());
  });
  test(`np.${fn}: a traced num (batched by vmap, abstract under jit) is a TracerError naming num`, () => {
    assert.throws(() => vmap((n: NDArray) => f(1, 2, n))(np.array([3, 3], 'int32')),
      (e: unknown) => e instanceof TracerError && new RegExp(`np\\.${fn}: num int32\\[\\] has no concrete value`).test((e as Error).message));
    assert.throws(() => jit((n: NDArray) => f(1, 2, n))(np.array(3, 'int32')),
      (e: unknown) => e instanceof TracerError && /num int32\[\]/.test((e as Error).message));
    assert.throws(() => f(1, 2, np.array(3)), (e: unknown) => e instanceof ValueError && /num must be a non-negative integer.*float32\[\]/.test((e as Error).message));
    assert.throws(() => f(1, 2, np.array([3], 'int32')), (e: unknown) => e instanceof ValueError && /int32\[1\]/.test((e as Error).message));
    assert.equal(f(1, 2, 3).shape[0], 3); // the next call works
  });
}

// ---------------------------------------------------------------- vmap against the loop

let seed = 280;
const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
type DT = 'float32' | 'float64' | 'int32' | 'bool';
interface A { shape: number[]; dtype: DT; gen?: (i: number) => number }
const TYPED = { float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array };
const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const make = (v: number[], shape: number[], dtype: DT) => np.array(TYPED[dtype].from(v) as never, { shape, dtype });
const sample = (a: A) => Array.from({ length: size(a.shape) }, (_, i) =>
  a.gen ? a.gen(i) : a.dtype === 'bool' ? +(rnd() < 0.5) : a.dtype === 'int32' ? Math.floor(rnd() * 7) - 3 : Math.floor(rnd() * 3) - 1 + (rnd() < 0.5 ? 0 : rnd()));
/** Examples stacked along `axis` in JS: out[pre, b, post] = ex[b][pre, post]. */
function stack(ex: ArrayLike<number>[], shape: readonly number[], axis: number) {
  const B = ex.length, pre = size(shape.slice(0, axis)), post = size(shape.slice(axis));
  const out = new Array<number>(B * pre * post);
  for (let p = 0; p < pre; p++) for (let b = 0; b < B; b++) for (let q = 0; q < post; q++) out[(p * B + b) * post + q] = ex[b][p * post + q];
  return { values: out, shape: [...shape.slice(0, axis), B, ...shape.slice(axis)] };
}
const leaves = (x: unknown): NDArray[] => (x instanceof NDArray ? [x] : (x as unknown[]).flatMap(leaves));
const vals = (x: NDArray) => Array.from(x.dataSync() as ArrayLike<number>, Number);

/** vmap(f) at inAxes (per argument, or null) against f on each example, stacked at outAxis; bit for bit. */
function check(name: string, f: (...a: NDArray[]) => unknown, args: A[], B: number, inAxes: (number | null)[], outAxis = 0, wrap?: 'jit' | 'nested') {
  const ex = args.map((a) => Array.from({ length: Math.max(B, 1) }, () => sample(a)));
  const fixed = args.map((a) => make(sample(a), a.shape, a.dtype));
  const built = args.map((a, i) => {
    const ax = inAxes[i];
    if (ax === null) return fixed[i];
    const s = stack(ex[i].slice(0, B), a.shape, ax < 0 ? ax + a.shape.length + 1 : ax);
    return make(s.values, s.shape, a.dtype);
  });
  const loop = Array.from({ length: Math.max(B, 1) }, (_, b) => leaves(f(...args.map((a, i) => (inAxes[i] === null ? fixed[i] : make(ex[i][b], a.shape, a.dtype))))));
  const vf = vmap(f, { inAxes, outAxes: outAxis });
  const got = leaves(wrap === 'jit' ? jit(vf)(...built) : vf(...built));
  const label = `${name} B=${B} inAxes [${inAxes}] outAxes ${outAxis}${wrap ? ` ${wrap}` : ''}`;
  assert.equal(got.length, loop[0].length, `${label}: outputs`);
  got.forEach((g, k) => {
    const e0 = loop[0][k], oax = outAxis < 0 ? outAxis + e0.ndim + 1 : outAxis;
    const want = stack(loop.slice(0, B).map((l) => vals(l[k])), e0.shape, oax);
    assert.deepEqual(g.shape, want.shape, `${label}: output ${k} shape`);
    assert.equal(g.dtype, e0.dtype, `${label}: output ${k} dtype`);
    const gv = vals(g);
    gv.forEach((v, i) => assert.ok(Object.is(v, want.values[i]) || v === want.values[i], `${label}: output ${k}[${i}] got ${v}, want ${want.values[i]}`));
  });
}
/** vmap(vmap(f)) over 2 x 3 examples (outer batch at the last axis) against the loop of the 6. */
function checkNested(name: string, f: (...a: NDArray[]) => unknown, args: A[]) {
  const ex = args.map((a) => Array.from({ length: 6 }, () => sample(a)));
  const built = args.map((a, i) => {
    const inner = [0, 1].map((p) => stack(ex[i].slice(3 * p, 3 * p + 3), a.shape, 0)); // [3, ...shape]
    const s = stack(inner.map((q) => q.values), inner[0].shape, inner[0].shape.length); // outer last
    return make(s.values, s.shape, a.dtype);
  });
  const got = leaves(vmap(vmap(f), { inAxes: args.map(() => -1) })(...built));
  const loop = ex[0].map((_, b) => leaves(f(...args.map((a, i) => make(ex[i][b], a.shape, a.dtype)))));
  got.forEach((g, k) => {
    const want = stack(loop.map((l) => vals(l[k])), loop[0][k].shape, 0);
    assert.deepEqual(g.shape, [2, 3, ...loop[0][k].shape], `${name} nested: shape`);
    assert.deepEqual(vals(g), want.values, `${name} nested: values`);
  });
}

const F = 'float32', D = 'float64', I = 'int32';
const CASES: [string, (...a: NDArray[]) => unknown, A[]][] = [
  ['amax axis kd', (x) => np.amax(x, { axis: 1, keepdims: true }), [{ shape: [2, 3, 2], dtype: F }]],
  ['argmin', (x) => np.argmin(x, { axis: -1 }), [{ shape: [2, 4], dtype: D }]],
  ['any where', (x, w) => np.any(x, { axis: 0, where: w }), [{ shape: [3, 2], dtype: F }, { shape: [3, 2], dtype: 'bool' }]],
  ['average weights returned', (x, w) => np.average(x, { axis: 0, weights: w, returned: true }), [{ shape: [2, 3], dtype: D }, { shape: [2], dtype: D, gen: (i) => i + 0.5 }]],
  ['countNonzero', (x) => np.countNonzero(x, { axis: 1 }), [{ shape: [2, 3], dtype: I }]],
  ['cumprod', (x) => np.cumprod(x, { axis: 0 }), [{ shape: [3, 2], dtype: F }]],
  ['cummax', (x) => np.cummax(x, { axis: 1 }), [{ shape: [2, 4], dtype: I }]],
  ['cumulativeSum include', (x) => np.cumulativeSum(x, { axis: 1, includeInitial: true }), [{ shape: [2, 3], dtype: F }]],
  ['append ax1', (x, y) => np.append(x, y, 1), [{ shape: [2, 3], dtype: F }, { shape: [2, 1], dtype: F }]],
  ['arraySplit', (x) => np.arraySplit(x, [1, 3], { axis: 1 }), [{ shape: [2, 5], dtype: I }]],
  ['block', (x, y) => np.block([[x, y], [y, x]]), [{ shape: [2, 2], dtype: F }, { shape: [2, 2], dtype: F }]],
  ['columnStack', (x, y) => np.columnStack([x, y]), [{ shape: [3], dtype: D }, { shape: [3, 2], dtype: D }]],
  ['choose clip', (i, c) => np.choose(i, c, 'clip'), [{ shape: [2, 3], dtype: I }, { shape: [3, 2, 3], dtype: F }]],
  ['convolve same', (x, y) => np.convolve(x, y, 'same'), [{ shape: [5], dtype: D }, { shape: [3], dtype: D }]],
  ['correlate full', (x, y) => np.correlate(x, y, 'full'), [{ shape: [2], dtype: F }, { shape: [4], dtype: F }]],
  ['cov aweights', (x, w) => np.cov(x, { aweights: w }), [{ shape: [2, 5], dtype: D }, { shape: [5], dtype: D, gen: (i) => i + 1 }]],
  ['corrcoef', (x) => np.corrcoef(x), [{ shape: [3, 4], dtype: D }]],
  ['cross', (x, y) => np.cross(x, y), [{ shape: [2, 3], dtype: F }, { shape: [3], dtype: F }]],
  ['delete', (x) => np.delete(x, [0, 2], { axis: 1 }), [{ shape: [2, 3], dtype: F }]],
  ['diagflat k', (x) => np.diagflat(x, -1), [{ shape: [3], dtype: I }]],
  ['diagonal 3d', (x) => np.diagonal(x, { offset: 1, axis1: 0, axis2: 2 }), [{ shape: [3, 2, 4], dtype: F }]],
  ['diff prepend', (x, p) => np.diff(x, { n: 2, prepend: p }), [{ shape: [2, 4], dtype: D }, { shape: [2, 1], dtype: D }]],
  ['digitize right', (x, b) => np.digitize(x, b, { right: true }), [{ shape: [2, 3], dtype: F }, { shape: [3], dtype: F, gen: (i) => i - 1 }]],
  ['dynamicUpdateSlice', (x, u, s) => np.dynamicUpdateSlice(x, u, [s, 0]), [{ shape: [4, 3], dtype: F }, { shape: [2, 2], dtype: F }, { shape: [], dtype: I }]],
  ['ediff1d ends', (x, e) => np.ediff1d(x, { toEnd: e, toBegin: 0 }), [{ shape: [4], dtype: D }, { shape: [2], dtype: D }]],
  ['extract size', (c, x) => np.extract(c, x, { size: 4, fillValue: 7 }), [{ shape: [2, 3], dtype: I }, { shape: [2, 3], dtype: F }]],
  ['fillDiagonal wrap', (x, v) => np.fillDiagonal(x, v, { inplace: false, wrap: true }), [{ shape: [7, 3], dtype: F }, { shape: [2], dtype: F }]],
  ['flatnonzero size', (x) => np.flatnonzero(x, { size: 3 }), [{ shape: [2, 3], dtype: F }]],
  ['frexp', (x) => np.frexp(x), [{ shape: [2, 3], dtype: D }]],
  ['gradient coords', (x, c) => np.gradient(x, c), [{ shape: [5], dtype: D }, { shape: [5], dtype: D, gen: (i) => i * i + 0.5 * i }]],
  ['histogram weights', (x, w) => np.histogram(x, { bins: 3, range: [-1, 2], weights: w }), [{ shape: [6], dtype: F }, { shape: [6], dtype: F }]],
  ['insert ax1', (x, v) => np.insert(x, [0, 3], v, 1), [{ shape: [2, 3], dtype: I }, { shape: [2, 1], dtype: I }]],
  ['interp left', (x, xp, fp) => np.interp(x, xp, fp, { left: -7 }), [{ shape: [2, 3], dtype: F }, { shape: [4], dtype: F, gen: (i) => i - 1.5 }, { shape: [4], dtype: F }]],
  ['intersect1d size', (x, y) => np.intersect1d(x, y, { size: 3, fillValue: -1 }), [{ shape: [5], dtype: I }, { shape: [4], dtype: I }]],
  ['isin invert', (x, t) => np.isin(x, t, { invert: true }), [{ shape: [2, 3], dtype: I }, { shape: [2, 2], dtype: I }]],
  ['kron', (x, y) => np.kron(x, y), [{ shape: [2, 2], dtype: I }, { shape: [2, 3], dtype: I }]],
  ['lexsort', (k1, k2) => np.lexsort([k1, k2]), [{ shape: [6], dtype: I }, { shape: [6], dtype: I }]],
  ['linspace array ends', (s, e) => np.linspace(s, e, 4, { axis: -1 }), [{ shape: [2], dtype: D }, { shape: [], dtype: D }]],
  ['logsumexp b sign', (x, b) => np.logsumexp(x, { axis: 1, b, returnSign: true }), [{ shape: [2, 3], dtype: D }, { shape: [2, 3], dtype: D }]],
];

test('vmap of np a-l functions equals the loop over examples, bit for bit (B 3, 1, 0; axes 0 and last; outAxes -1; jit; nested)', () => {
  for (const [name, f, args] of CASES) {
    const zeros = args.map(() => 0), lasts = args.map((a) => a.shape.length);
    for (const B of [3, 1, 0]) check(name, f, args, B, zeros);
    check(name, f, args, 3, lasts);
    check(name, f, args, 3, zeros, -1);
    args.forEach((a, i) => check(name, f, args, 3, args.map((_, j) => (j === i ? a.shape.length : null))));
    check(name, f, args, 3, lasts, 0, 'jit');
    checkNested(name, f, args);
  }
});

test('data-dependent output lengths under vmap are clear TracerErrors naming the static option; the next call works', () => {
  const x = np.array([[0, 1, 2], [1, 0, 0]]);
  const cases: [string, () => unknown, RegExp][] = [
    ['argwhere', () => vmap((v: NDArray) => np.argwhere(v))(x), /np\.argwhere: .*pass a static \{ size \}/],
    ['flatnonzero', () => vmap((v: NDArray) => np.flatnonzero(v))(x), /np\.flatnonzero: .*\{ size \}/],
    ['extract', () => vmap((v: NDArray) => np.extract(v, v))(x), /np\.extract: .*\{ size \}/],
    ['compress', () => vmap((v: NDArray) => np.compress(np.greater(v, 0), v))(x), /np\.compress: .*\{ size \}/],
    ['intersect1d', () => vmap((v: NDArray) => np.intersect1d(v, v))(x), /np\.intersect1d: .*\{ size \}/],
    ['bincount', () => vmap((v: NDArray) => np.bincount(v))(np.astype(x, 'int32')), /np\.bincount: .*\{ length \}/],
    ['choose raise', () => vmap((v: NDArray) => np.choose(v, [v, v, v]))(np.astype(x, 'int32')), /np\.choose: mode 'raise'.*'clip'/],
  ];
  for (const [name, f, re] of cases) {
    assert.throws(f, (e: unknown) => e instanceof CotangentError && re.test((e as Error).message), name);
  }
  assert.deepEqual(vmap((v: NDArray) => np.flatnonzero(v, { size: 2 }))(x).tolist(), [[1, 2], [0, 0]]);
});
