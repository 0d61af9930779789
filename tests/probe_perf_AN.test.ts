// Performance pathologies (helper-264): behaviour only, no wall-clock timing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, jit, vmap, type Array as NDArray } from '../ts/index.ts';

/** The peak intermediate memory (bytes) that jf.lower(...).asText() reports. */
function peakBytes(jf: any, ...args: any[]): number {
  const text = jf.lower(...args).asText({ optimized: true });
  const m = /peak intermediate memory (\d+) bytes/.exec(text);
  assert.ok(m, `no peak in ${text.slice(0, 200)}`);
  return Number(m![1]);
}

test('grad of cumprod keeps O(n) residuals, not log2(n) full-length float64 levels', () => {
  // the log-step (Hillis-Steele) scan under grad: 16.8 MB peak for 65536 float32 (257 B/element;
  // grad of cumprod of 1M floats grew the process to 1.9 GB); the associative scan: 3.2 MB (49 B/element)
  const n = 65536;
  const f = (x: any) => np.sum(np.cumprod(x));
  const peak = peakBytes(jit(grad(f)), np.ones([n]));
  assert.ok(peak < 80 * n, `peak ${peak} bytes for n = ${n} (${(peak / n).toFixed(0)} B/element)`);
});

test('cumprod values and gradient, eager and under jit (a zero inside)', () => {
  const x = np.array([1.5, -2, 0.5, 3, 0, 2, 1.25]);
  // numpy: np.cumprod(float32) -> [1.5, -3, -1.5, -4.5, -0, -0, -0]; gradient: sum over k >= j of prod_{i<=k, i!=j} x_i
  const want = [1.5, -3, -1.5, -4.5, -0, -0, -0], wantG = [-5, 4.5, -12, -1.5, -24.75, 0, 0];
  const f = (v: any) => np.sum(np.cumprod(v));
  assert.deepEqual(Array.from(np.cumprod(x).dataSync() as Float32Array), want);
  assert.deepEqual(Array.from(jit((v: any) => np.cumprod(v))(x).dataSync() as Float32Array), want);
  assert.deepEqual(Array.from(grad(f)(x).dataSync() as Float32Array), wantG);
  assert.deepEqual(Array.from(jit(grad(f))(x).dataSync() as Float32Array), wantG);
  // float32 overflow kept under jit as eagerly (numpy: [1e30, inf, inf])
  const big = np.array([1e30, 1e30, 1e-30]);
  assert.deepEqual(Array.from(jit((v: any) => np.cumprod(v))(big).dataSync() as Float32Array), [Math.fround(1e30), Infinity, Infinity]);
});

test('nonzero / flatnonzero / argwhere without a size (count read once, no second scatter pass)', () => {
  // numpy: a = [[0, 1.5, 0], [2, 0, -1]]; nonzero -> ([0, 1, 1], [1, 0, 2]); flatnonzero -> [1, 3, 5]
  const a = np.array([[0, 1.5, 0], [2, 0, -1]]);
  const [r, c] = np.nonzero(a);
  assert.deepEqual([...r.dataSync()], [0, 1, 1]);
  assert.deepEqual([...c.dataSync()], [1, 0, 2]);
  assert.deepEqual([...np.flatnonzero(a).dataSync()], [1, 3, 5]);
  assert.deepEqual(np.argwhere(a).tolist(), [[0, 1], [1, 0], [1, 2]]);
  assert.deepEqual([...np.flatnonzero(np.zeros([4])).dataSync()], []);
  // with a size the padding stays (jnp's)
  assert.deepEqual([...np.flatnonzero(a, { size: 5, fillValue: -1 }).dataSync()], [1, 3, 5, -1, -1]);
  // many: every position
  const n = 100000;
  const all = np.flatnonzero(np.ones([n]));
  assert.equal(all.size, n);
  const v = all.dataSync() as Int32Array;
  assert.equal(v[0], 0); assert.equal(v[n - 1], n - 1); assert.equal(v[54321], 54321);
});

test('float64 cumprod rounds alike eagerly, under jit and under vmap (one scan on every path: a transform-only associative scan differed in 867 of 1000 prefixes)', () => {
  let s = 7;
  const r = () => { s = (s * 16807) % 2147483647; return 0.5 + s / 2147483647; };
  for (const n of [5, 64, 1000]) {
    const x = np.array(Array.from({ length: n }, r), { dtype: 'float64' });
    const e = Array.from(np.cumprod(x).dataSync() as Float64Array);
    const j = Array.from(jit((v: NDArray) => np.cumprod(v))(x).dataSync() as Float64Array);
    const v = Array.from(vmap((v: NDArray) => np.cumprod(v))(np.reshape(x, [1, n])).dataSync() as Float64Array);
    assert.deepEqual(j, e, `jit, n = ${n}`);
    assert.deepEqual(v, e, `vmap, n = ${n}`);
  }
});
