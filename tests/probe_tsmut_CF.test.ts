// Mutation probe (helper CF) of the TS code that decides results without wasm's checks: jit's
// cache key and call paths (ts/api/transforms/jit.ts), the lax control-flow host rules
// (ts/api/lax_control.ts, ts/api/control/*), residency and tidy (ts/core/resident.ts,
// ts/api/tidy.ts) and pytrees (ts/api/tree.ts). Each test here failed on a mutant the rest of the
// suite let through (a wrong cache hit, a wrong branch or order, a stale buffer). References are
// closed forms or plain JS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, jit, grad, vmap, lax, tidy, linalg, type Array as NDArray } from '../ts/index.ts';

const ones = (n = 2) => np.ones([n]);
const vals = (x: NDArray) => Array.from(x.dataSync() as ArrayLike<number>);

// ------------------------------------------------------------------ jit's cache key

test('jit: a JS -0 and 0 are two keys (1 / s: -Infinity vs Infinity), static or a number leaf', () => {
  const f = jit((x: NDArray, s: number) => np.divide(x, s), { staticArgnums: 1 });
  assert.deepEqual(vals(f(ones(), 0)), [Infinity, Infinity]);
  assert.deepEqual(vals(f(ones(), -0)), [-Infinity, -Infinity], 'a static -0 shared the program traced with 0');
  const g = jit((t: [NDArray, number]) => np.divide(t[0], t[1]));
  assert.deepEqual(vals(g([ones(), 0])), [Infinity, Infinity]);
  assert.deepEqual(vals(g([ones(), -0])), [-Infinity, -Infinity], 'a -0 number leaf shared the program traced with 0');
});

test('jit: Arrays of one dtype and another shape are another key (even of the same size)', () => {
  const f = jit((x: NDArray) => np.sum(x));
  assert.deepEqual(vals(f(np.array([1, 2, 3]))), [6]);
  assert.deepEqual(vals(f(np.array([1, 2, 3, 4]))), [10]);
  const g = jit((x: NDArray) => np.sum(x, 0));
  const a = g(np.array([[1, 2, 3], [4, 5, 6]]));
  assert.deepEqual([a.shape, vals(a)], [[3], [5, 7, 9]]);
  const b = g(np.array([[1, 2], [3, 4], [5, 6]]));
  assert.deepEqual([b.shape, vals(b)], [[2], [9, 12]], '[3, 2] replayed the program of [2, 3]');
});

test('jit: the tree structure is part of the key (list vs object, where the null sits)', () => {
  const f = jit((t: any) => (Array.isArray(t) ? np.subtract(t[0], t[1]) : np.add(t.a, t.b)));
  const x = np.array([5, 7]), y = np.array([1, 2]);
  assert.deepEqual(vals(f([x, y])), [4, 5]);
  assert.deepEqual(vals(f({ a: x, b: y })), [6, 9], 'an object replayed the list program');
  const g = jit((t: [NDArray | null, NDArray | null]) => (t[0] === null ? t[1]! : np.negative(t[0])));
  assert.deepEqual(vals(g([null, x])), [5, 7]);
  assert.deepEqual(vals(g([x, null])), [-5, -7], 'the null in the other place replayed the first program');
});

test('jit: a static typed array is keyed by its bytes: one filled in place retraces', () => {
  const ta = new Float64Array([2]);
  const f = jit((x: NDArray, c: Float64Array) => np.multiply(x, c[0]), { staticArgnums: 1 });
  assert.deepEqual(vals(f(ones(), ta)), [2, 2]);
  ta[0] = 5;
  assert.deepEqual(vals(f(ones(), ta)), [5, 5], 'the typed array changed in place replayed 2');
});

test('jit: a static list with a hole is another key than the list without it (its length differs)', () => {
  const f = jit((x: NDArray, l: number[]) => np.multiply(x, l.length), { staticArgnums: 1 });
  assert.deepEqual(vals(f(ones(), [1, 3])), [2, 2]);
  // eslint-disable-next-line no-sparse-arrays
  assert.deepEqual(vals(f(ones(), [1, , 3])), [3, 3], '[1, , 3] shared the program of [1, 3]');
});

test('jit: a static config nested deeply is still keyed by contents (changed in place retraces)', () => {
  const cfg = { a: { b: { c: { d: [2] } } } };
  const f = jit((x: NDArray, c: typeof cfg) => np.multiply(x, c.a.b.c.d[0]), { staticArgnums: 1 });
  assert.deepEqual(vals(f(ones(), cfg)), [2, 2]);
  cfg.a.b.c.d[0] = 7;
  assert.deepEqual(vals(f(ones(), cfg)), [7, 7], 'the nested config changed in place replayed 2');
});

test('jit: a static Array deleted since a cached call is an error, not the old values replayed', () => {
  const f = jit((x: NDArray, s: NDArray) => np.multiply(x, s), { staticArgnums: 1 });
  let s!: NDArray;
  tidy(() => { s = np.array([3, 3]); assert.deepEqual(vals(f(ones(), s)), [3, 3]); return null; });
  assert.ok(s.isDeleted());
  assert.throws(() => f(ones(), s), (e: Error) => /delet/i.test(e.message) && e.name !== 'TypeError');
});

test('grad(jit(f)) with f closing over the outer tracer AND a large constant binds each to its own input', () => {
  const N = 16384; // 128 KiB of float64: a constant input of the program, not baked
  const cv = Float64Array.from({ length: N }, (_, i) => 1 + (i % 7));
  const xv = Float64Array.from({ length: N }, (_, i) => 0.5 + (i % 5) * 0.25);
  const C = np.array(cv);
  // d/dx sum((x + x) * C) = 2 C (bound the other way round: (x + C) * x, gradient 2x + C)
  const g = grad((x: NDArray) => np.sum(jit((y: NDArray) => np.multiply(np.add(y, x), C))(x)));
  const got = g(np.array(xv)).dataSync() as Float64Array;
  for (const i of [0, 1, 2, 3, 4, 5, 6, 100, N - 1]) assert.equal(got[i], 2 * cv[i], `at ${i}`);
});

test('jit with donateArgnums: an output that is a NON-donated argument leaves that argument intact', () => {
  const f = jit((a: NDArray, b: NDArray) => [np.add(a, 1), b], { donateArgnums: 0 });
  const big = (v: number) => np.array(new Float32Array(1 << 16).fill(v)); // 256 KiB: resident
  for (const mk of [(v: number) => np.array([v, v]), big]) {
    const a = mk(1), b = mk(4);
    const [p, q] = f(a, b) as NDArray[];
    assert.ok(a.isDeleted());
    assert.ok(!b.isDeleted(), 'b was not donated');
    assert.equal(vals(b)[0], 4, 'b keeps its values');
    assert.equal(vals(q)[0], 4);
    assert.equal(vals(p)[0], 2);
    assert.equal(np.sum(b).item(), 4 * b.size);
  }
});

// ------------------------------------------------------------------ lax control flow

const f64 = (x: number | number[]) => np.array(x, { dtype: 'float64' });

test('lax.cond: an integer pred other than 0 and 1 (a JS number or a concrete int32 Array) takes trueFun, as JAX', () => {
  const t = () => np.array(1), f = () => np.array(0);
  assert.equal(lax.cond(2, t, f).item(), 1);
  assert.equal(lax.cond(-3, t, f).item(), 1);
  assert.equal(lax.cond(np.array(2, { dtype: 'int32' }), t, f).item(), 1);
  assert.equal(lax.cond(0, t, f).item(), 0);
  assert.deepEqual(vals(jit((p: NDArray) => lax.cond(p, t, f))(np.array(7, { dtype: 'int32' }))), [1]);
});

test('lax.cond under jit: a JS number in one branch takes the int32 the other branch gives', () => {
  const g = jit((p: NDArray) => lax.cond(p, () => 3, () => np.array(-4, { dtype: 'int32' })));
  const a = g(np.array(true)) as NDArray, b = g(np.array(false)) as NDArray;
  assert.equal(a.dtype, 'int32'); assert.equal(b.dtype, 'int32');
  assert.deepEqual([a.item(), b.item()], [3, -4]);
});

test('lax.foriLoop under jit, static bounds with lower > 0 and 64+ steps (a scan row): i starts at lower', () => {
  const f = jit((x: NDArray) => lax.foriLoop(5, 100, (i: NDArray, acc: NDArray) => np.add(acc, i), x));
  let want = 0.5; for (let i = 5; i < 100; i++) want += i;
  assert.equal(f(f64(0.5)).item(), want);
});

test('lax.foriLoop: bounds of two integer dtypes count in int32', () => {
  const seen: string[] = [];
  lax.foriLoop(np.array(0, { dtype: 'uint32' }), np.array(2, { dtype: 'int32' }), (i: NDArray, c: number) => { seen.push(i.dtype); return c; }, 0);
  assert.deepEqual(seen, ['int32', 'int32']);
});

test('lax.scan eager past one chunk of 4096 steps: ys in xs order, forward and reverse (closed forms)', () => {
  const n = 5000;
  const xs = np.arange(n, { dtype: 'float64' });
  const step = (c: NDArray, x: NDArray) => [np.add(c, x), c] as const;
  const [c, ys] = lax.scan(step, f64(0), xs);
  const [cr, ysr] = lax.scan(step, f64(0), xs, { reverse: true });
  const total = (n * (n - 1)) / 2;
  assert.equal(c.item(), total); assert.equal(cr.item(), total);
  const y = ys.dataSync() as Float64Array, yr = ysr.dataSync() as Float64Array;
  for (const i of [0, 1, 4095, 4096, 4097, 4999]) {
    assert.ok(y[i] === (i * (i - 1)) / 2, `ys[${i}] = ${y[i]}`); // sum of x_j, j < i
    assert.ok(yr[i] === total - (i * (i + 1)) / 2, `reverse ys[${i}] = ${yr[i]}`); // sum of x_j, j > i
  }
});

test('lax.map with batchSize: the remainder rows come after the full chunks', () => {
  const xs = np.arange(7, { dtype: 'float64' });
  const got = lax.map((x: NDArray) => np.add(np.multiply(x, 10), 1), xs, { batchSize: 3 });
  assert.deepEqual(vals(got), [1, 11, 21, 31, 41, 51, 61]);
});

test('eager lax.scan: a JS-number carry the body promotes to float64 runs step 0 in float64 (0.1 exact)', () => {
  const body = (c: NDArray, _x: null) => [np.add(np.multiply(c, np.array(1, { dtype: 'float32' })), f64(1)), null] as const;
  const [c] = lax.scan(body, 0.1 as any, null, { length: 2 });
  assert.equal((c as NDArray).dtype, 'float64');
  assert.equal((c as NDArray).item(), 0.1 + 1 + 1);
});

test('lax.whileLoop: a predicate false at the start runs no step', () => {
  let calls = 0;
  const out = lax.whileLoop((c: NDArray) => np.less(c, 0), (c: NDArray) => { calls++; return np.add(c, 1); }, f64(5));
  assert.equal(out.item(), 5); assert.equal(calls, 0);
  assert.equal(lax.whileLoop(() => false, (c: number) => c + 1, 3), 3);
});

test('jit(vmap(f)) with a whileLoop nested in a scan body whose predicate alone is batched: each example its own trip count', () => {
  // per example: 3 steps, each adding the trip count n of the nested loop: 3 n
  const f = (n: NDArray) => lax.scan((c: NDArray, _x: null) => {
    const [, a] = lax.whileLoop(([i]: [NDArray, NDArray]) => np.less(i, n), ([i, a]: [NDArray, NDArray]) => [np.add(i, 1), np.add(a, 1)] as [NDArray, NDArray],
      [np.array(0, { dtype: 'int32' }), f64(0)] as [NDArray, NDArray]);
    return [np.add(c, a), null] as const;
  }, f64(0), null, { length: 3 })[0];
  const n = np.array([1, 3, 0, 4], { dtype: 'int32' });
  assert.deepEqual(vals(jit(vmap(f))(n)), [3, 9, 0, 12]);
  assert.deepEqual(vals(vmap(f)(n)), [3, 9, 0, 12]);
});

// ------------------------------------------------------------------ residency

test('jit returning one large result twice: two independent Arrays whose values survive eviction', () => {
  const N = 1 << 18; // 1 MiB of float32: resident
  const src = Float32Array.from({ length: N }, (_, i) => (i % 1000) / 100);
  const f = jit((x: NDArray) => { const y = np.multiply(x, 3); return [y, y]; });
  const [a, b] = f(np.array(src)) as NDArray[];
  // eviction pressure: 24 MiB of fresh results (the budget in force starts at 8 MiB)
  for (let k = 0; k < 24; k++) np.add(np.array(src), k).dataSync();
  const va = a.dataSync() as Float32Array, vb = b.dataSync() as Float32Array;
  for (const i of [0, 1, 999, 1000, N - 1]) {
    assert.equal(va[i], Math.fround(src[i] * 3), `a[${i}]`);
    assert.equal(vb[i], Math.fround(src[i] * 3), `b[${i}]`);
  }
  const s = np.subtract(a, b).dataSync() as Float32Array;
  assert.ok(s.every((v) => v === 0));
});

// ------------------------------------------------------------------ pytrees

test('a traced cond whose branches return objects with other keys is an error, not one relabelled as the other', () => {
  const g = jit((p: NDArray) => lax.cond(p, () => ({ a: f64(1) }), () => ({ b: f64(2) })));
  assert.throws(() => g(np.array(true)), (e: Error) => e.name === 'ValueError' && /structure/.test(e.message));
  const s = jit((x: NDArray) => lax.scan((c: any, _x: null) => [{ b: c.a }, null], { a: x }, null, { length: 2 }));
  assert.throws(() => s(f64(1)), (e: Error) => e.name === 'ValueError' && /structure/.test(e.message));
});

test('a namedtuple result keeps its field names through jit (its structure carries them)', () => {
  const a = f64([2, 0, 0, 3]).reshape([2, 2]);
  const r = jit((x: NDArray) => linalg.slogdet(x))(a) as any;
  assert.equal(r.logabsdet.item(), Math.log(6));
  assert.equal(r.sign.item(), 1);
});
