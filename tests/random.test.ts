// jax.random's threefry2x32 PRNG: JAX's own printed numbers (bit for bit), split values, the
// distributions' moments on 10^6 samples (within 5 standard errors of closed forms), keys as
// data under transforms, and clear errors for things that are not keys.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { np, random, linalg, grad, jvp, jit, vmap, ValueError, DTypeError, ShapeError } from 'cotangent';
type NDArrayLike = { dataSync(): ArrayLike<number>; shape: number[] };

const f32 = (xs: number[]) => xs.map(Math.fround);
const same = (got: ArrayLike<number>, want: number[]) => assert.deepEqual(Array.from(got), want);

describe('the same numbers as JAX (original threefry scheme, float32)', () => {
  test('random.normal(PRNGKey(0), (6,)) (the perturbed-optimizers notebook)', () => {
    same(random.normal(random.PRNGKey(0), [6]).dataSync(),
      f32([0.18784384, -1.2833426, 0.6494181, 1.2490593, 0.24447003, -0.11744965]));
  });
  test("the cookbook's key = key(0); key, W_key, b_key = split(key, 3); W, b", () => {
    const [, WKey, bKey] = random.split(random.key(0), 3);
    same(random.normal(WKey, [3]).dataSync(), f32([-0.36838785, -2.275689, 0.011447566]));
    same(random.normal(bKey, []).dataSync(), f32([0.8535516]));
  });
  test('split(PRNGKey(0)) = [[4146024105, 967050713], [2718843009, 1272950319]]', () => {
    assert.deepEqual(random.split(random.PRNGKey(0)).tolist(), [[4146024105, 967050713], [2718843009, 1272950319]]);
    assert.deepEqual(random.key(0).tolist(), [0, 0]);
    assert.deepEqual(random.key(42).tolist(), [0, 42]);
    assert.deepEqual(random.key(-1).tolist(), [0, 4294967295]); // int32 seed with 64-bit types off
  });
  test("split's keys destructure (an Array iterates over its first axis) or come from keys.get(i); keys[0] is a ValueError (it read undefined)", () => {
    const keys = random.split(random.PRNGKey(0));
    const [k1, k2] = keys; // JAX's key, subkey = random.split(key): the values above
    assert.deepEqual([k1.tolist(), k2.tolist()], [[4146024105, 967050713], [2718843009, 1272950319]]);
    assert.deepEqual([keys.get(0).tolist(), keys.get(-1).tolist()], [k1.tolist(), k2.tolist()]);
    assert.equal(k1.dtype, 'uint32');
    same(random.normal(k1, [2]).dataSync(), Array.from(random.normal(keys.get(0), [2]).dataSync()));
    assert.throws(() => (keys as any)[0], (e: unknown) => e instanceof ValueError && /^Array\[0\]: an Array has no JS elements.*x\.get\(0\).*const \[k1, k2\] = random\.split\(key\)/.test((e as Error).message));
    assert.throws(() => random.normal((keys as any)[1], [2]), ValueError);
  });
  test('foldIn(key, d) is threefry(key, [0, d]): new keys, distinct per d, deterministic', () => {
    const k = random.key(7);
    const a = random.foldIn(k, 1).tolist(), b = random.foldIn(k, 2).tolist();
    assert.notDeepEqual(a, b);
    assert.deepEqual(random.foldIn(k, 1).tolist(), a);
    assert.notDeepEqual(a, k.tolist());
  });
  test('vmap of foldIn(key, i) over batched data and one key: each example its own key (JAX\'s per-example-key idiom)', () => {
    // threefry2x32(key [0, 42], counter (0, d)) for d = 1, 2, from a Python threefry written from the paper
    const want = [[64467757, 2916123636], [2465931498, 255383827]];
    const key = random.PRNGKey(42);
    assert.deepEqual(vmap((i: any) => random.foldIn(key, i))(np.array([1, 2], { dtype: 'int32' })).tolist(), want);
    assert.deepEqual(vmap((i: any) => random.foldIn(key, i), { inAxes: -1 })(np.array([1, 2], { dtype: 'uint32' })).tolist(), want);
    const ids = np.array([[1, 2], [2, 1]], { dtype: 'int32' });
    assert.deepEqual(jit(vmap(vmap((i: any) => random.foldIn(key, i))))(ids).tolist(), [want, [want[1], want[0]]]);
    const draws = vmap((i: any) => random.normal(random.foldIn(key, i), [3]))(np.array([1, 2, 3], { dtype: 'int32' })).tolist();
    assert.deepEqual(draws, [1, 2, 3].map((i) => random.normal(random.foldIn(key, i), [3]).tolist()));
  });
  test('bits: first words of a key differ from split keys; shapes are kept', () => {
    const b = random.bits(random.key(3), [2, 3]);
    assert.equal(b.dtype, 'uint32');
    assert.deepEqual(b.shape, [2, 3]);
    assert.equal(new Set(Array.from(b.dataSync())).size, 6);
  });
});

/** Mean and variance of xs; fails unless |mean - m| <= 5 se and |var - v| <= 5 se(var). */
function moments(label: string, xs: ArrayLike<number>, m: number, v: number, m4: number): void {
  const n = xs.length;
  let s = 0; for (let i = 0; i < n; i++) s += xs[i];
  const mean = s / n;
  let s2 = 0; for (let i = 0; i < n; i++) s2 += (xs[i] - mean) ** 2;
  const variance = s2 / n;
  const seMean = Math.sqrt(v / n), seVar = Math.sqrt((m4 - v * v) / n);
  assert.ok(Math.abs(mean - m) <= 5 * seMean, `${label}: mean ${mean}, want ${m} (se ${seMean})`);
  assert.ok(Math.abs(variance - v) <= 5 * seVar, `${label}: variance ${variance}, want ${v} (se ${seVar})`);
}

describe('distributions: moments of 10^6 samples', () => {
  const N = 1_000_000;
  const k = random.key(2024);
  test('uniform [0, 1) float32 and float64, and [minval, maxval)', () => {
    const u = random.uniform(k, [N]).dataSync();
    assert.ok(u.every((x) => x >= 0 && x < 1));
    moments('uniform f32', u, 0.5, 1 / 12, 1 / 80);
    const u64 = random.uniform(k, [N], { dtype: 'float64' });
    assert.equal(u64.dtype, 'float64');
    moments('uniform f64', u64.dataSync(), 0.5, 1 / 12, 1 / 80);
    const w = random.uniform(k, [N], { minval: -3, maxval: 5 }).dataSync();
    assert.ok(w.every((x) => x >= -3 && x < 5));
    moments('uniform [-3, 5)', w, 1, 64 / 12, 4096 / 80);
  });
  test('normal', () => moments('normal', random.normal(k, [N]).dataSync(), 0, 1, 3));
  test('gumbel (mean: Euler\'s gamma, variance pi^2 / 6)', () => {
    const g = 0.5772156649015329, v = Math.PI ** 2 / 6;
    moments('gumbel', random.gumbel(k, [N]).dataSync(), g, v, 5.4 * v * v); // excess kurtosis 2.4
  });
  test('bernoulli(0.3), rademacher, exponential', () => {
    const b = random.bernoulli(k, 0.3, [N]);
    assert.equal(b.dtype, 'bool');
    moments('bernoulli', Array.from(b.dataSync(), Number), 0.3, 0.21, 0.3 * 0.7 * (1 - 3 * 0.21));
    assert.equal(random.rademacher(k, [2]).dtype, 'int32'); // JAX's default dtype=int
    assert.deepEqual(random.rademacher(k, [4], 'float32').tolist(), random.rademacher(k, [4]).tolist());
    const r = random.rademacher(k, [N]).dataSync();
    assert.ok(r.every((x) => x === 1 || x === -1));
    // x^2 = 1 always: only the mean varies (a fair coin, se 1/sqrt(N)).
    const mean = r.reduce((a, x) => a + x, 0) / N;
    assert.ok(Math.abs(mean) <= 5 / Math.sqrt(N), `rademacher mean ${mean}`);
    moments('exponential', random.exponential(k, [N]).dataSync(), 1, 1, 9);
  });
});

describe('keys are data', () => {
  test('a key closed over by grad and jvp draws the same numbers', () => {
    const k = random.key(5);
    const z = random.normal(k, [3]);
    const g = grad((x: any) => np.sum(np.multiply(x, random.normal(k, [3]))))(np.ones([3]));
    same(g.dataSync(), Array.from(z.dataSync()));
    const [, t] = jvp((x: any) => np.multiply(x, random.uniform(k, [3])), [np.ones([3])], [np.ones([3])]);
    same(t.dataSync(), Array.from(random.uniform(k, [3]).dataSync()));
  });
  test('things that are not keys are ValueErrors; the next draw works', () => {
    assert.throws(() => random.normal(np.array([0, 0]), [2]), ValueError); // float32, not uint32
    assert.throws(() => random.normal(random.split(random.key(0), 2), [2]), ValueError); // a batch of keys
    assert.throws(() => random.key(1.5), ValueError);
    assert.throws(() => random.key(2 ** 54), ValueError); // (2 ** 33 is JAX's seed [0, 0]: see the seeds test)
    assert.throws(() => random.split(random.key(0), -1), ValueError);
    assert.throws(() => random.split(random.key(0), 1.5), ValueError);
    assert.throws(() => random.normal(random.key(0), [2], { dtype: 'int32' }), /dtype/);
    assert.throws(() => random.setThreefryPartitionable('yes' as any), ValueError);
    assert.equal(random.normal(random.key(0), [6]).shape[0], 6);
  });
});

describe('more distributions', () => {
  const N = 1_000_000;
  const k = random.key(77);
  test('laplace (variance 2) and logistic (variance pi^2 / 3)', () => {
    moments('laplace', random.laplace(k, [N]).dataSync(), 0, 2, 24);
    const v = Math.PI ** 2 / 3;
    moments('logistic', random.logistic(k, [N]).dataSync(), 0, v, 4.2 * v * v); // excess kurtosis 1.2
  });
  test('truncatedNormal on (-1, 2): inside the bounds, closed-form mean and variance', () => {
    const x = random.truncatedNormal(k, -1, 2, [N]).dataSync();
    assert.ok(x.every((v) => v > -1 && v < 2));
    const phi = (t: number) => Math.exp(-t * t / 2) / Math.sqrt(2 * Math.PI);
    // Phi(2) - Phi(-1) from tabulated values
    const Z = 0.9772498680518208 - 0.15865525393145707;
    const mean = (phi(-1) - phi(2)) / Z;
    const variance = 1 + (-1 * phi(-1) - 2 * phi(2)) / Z - mean * mean;
    moments('truncatedNormal', x, mean, variance, 3 * variance * variance);
  });
  test('categorical frequencies follow softmax(logits), along any axis and with a batch', () => {
    const logits = [0.5, -1, 2, 0];
    const c = random.categorical(k, logits, { shape: [200_000] }).dataSync();
    const z = logits.reduce((a, l) => a + Math.exp(l), 0);
    for (let j = 0; j < 4; j++) {
      const p = Math.exp(logits[j]) / z, f = c.filter((v) => v === j).length / c.length;
      assert.ok(Math.abs(f - p) <= 5 * Math.sqrt(p * (1 - p) / c.length), `category ${j}: ${f} vs ${p}`);
    }
    const b = random.categorical(k, np.array([[0, 10], [10, 0]]), { axis: 0 });
    assert.deepEqual(Array.from(b.dataSync()), [1, 0]);
  });
  test('multivariateNormal: the sample covariance is cov', () => {
    const cov = [[2, 0.6], [0.6, 1]];
    const x = random.multivariateNormal(k, [1, -1], cov, [200_000]).tolist() as number[][];
    const m = [0, 1].map((j) => x.reduce((a, r) => a + r[j], 0) / x.length);
    assert.ok(Math.abs(m[0] - 1) < 0.02 && Math.abs(m[1] + 1) < 0.02, `mean ${m}`);
    for (const [i, j] of [[0, 0], [0, 1], [1, 1]]) {
      const c = x.reduce((a, r) => a + (r[i] - m[i]) * (r[j] - m[j]), 0) / x.length;
      assert.ok(Math.abs(c - cov[i][j]) < 0.03, `cov[${i}][${j}] = ${c}`);
    }
  });
});

// ---------------------------------------------------------------- randint, permutation, choice, float64 normal, partitionable

/**
 * threefry2x32 in plain JS from Salmon et al.'s spec (20 rounds, rotations 13 15 26 6 / 17 29 16
 * 24, key injection every 4 rounds with the parity constant 0x1BD11BDA): a reference independent
 * of the wasm kernel, itself checked against JAX's printed values below.
 */
function block(k0: number, k1: number, c0: number, c1: number): [number, number] {
  const rot = [[13, 15, 26, 6], [17, 29, 16, 24]];
  const ks = [k0 >>> 0, k1 >>> 0, (k0 ^ k1 ^ 0x1bd11bda) >>> 0];
  let a = (c0 + ks[0]) >>> 0, b = (c1 + ks[1]) >>> 0;
  for (let g = 0; g < 5; g++) {
    for (const r of rot[g % 2]) { a = (a + b) >>> 0; b = (((b << r) | (b >>> (32 - r))) ^ a) >>> 0; }
    a = (a + ks[(g + 1) % 3]) >>> 0; b = (b + ks[(g + 2) % 3] + g + 1) >>> 0;
  }
  return [a, b];
}
/** JAX's original threefry_2x32(key, counts): the count array cut in halves, pairs are blocks. */
function original(k: number[], counts: number[]): number[] {
  const n = counts.length, h = (n + 1) >> 1, c = [...counts, ...(n % 2 ? [0] : [])];
  const out = new Array(2 * h);
  for (let i = 0; i < h; i++) { const [y0, y1] = block(k[0], k[1], c[i], c[h + i]); out[i] = y0; out[h + i] = y1; }
  return out.slice(0, n);
}
const iotaJs = (n: number) => Array.from({ length: n }, (_, i) => i);
const withPartitionable = <T>(f: () => T): T => {
  random.setThreefryPartitionable(true);
  try { return f(); } finally { random.setThreefryPartitionable(false); }
};

describe('the JS reference threefry matches JAX', () => {
  test('split(PRNGKey(0)) and fold_in(key(0), 0 / 1) (jax.experimental.random docstring: [1797259609 2579123966], [928981903 3453687069])', () => {
    assert.deepEqual(original([0, 0], iotaJs(4)), [4146024105, 967050713, 2718843009, 1272950319]);
    assert.deepEqual(block(0, 0, 0, 0), [1797259609, 2579123966]);
    assert.deepEqual(block(0, 0, 0, 1), [928981903, 3453687069]);
    assert.deepEqual(random.foldIn(random.key(0), 0).tolist(), [1797259609, 2579123966]);
    assert.deepEqual(random.foldIn(random.key(0), 1).tolist(), [928981903, 3453687069]);
  });
});

describe('the partitionable scheme (jax_threefry_partitionable=True), behind a setting', () => {
  test('off by default; split gives the blocks of counters (0, i); bits are the xor of a block\'s words', () => {
    assert.equal(random.threefryPartitionable(), false);
    const k = random.key(42);
    const want = iotaJs(5).map((i) => { const [y0, y1] = block(0, 42, 0, i); return (y0 ^ y1) >>> 0; });
    withPartitionable(() => {
      assert.equal(random.threefryPartitionable(), true);
      // JAX >= 0.5 prints these two keys for split(key(0)): the same blocks as fold_in(key(0), 0 / 1).
      assert.deepEqual(random.split(random.key(0)).tolist(), [[1797259609, 2579123966], [928981903, 3453687069]]);
      assert.deepEqual(random.split(k, 3).tolist(), iotaJs(3).map((i) => block(0, 42, 0, i)));
      assert.deepEqual(Array.from(random.bits(k, [5]).dataSync()), want);
      assert.deepEqual(random.bits(k, [2, 3]).shape, [2, 3]);
      // float32 uniform from the xor-ed words: the top 23 bits as a mantissa in [1, 2), minus 1.
      const u = random.uniform(k, [5]).dataSync();
      assert.deepEqual(Array.from(u), want.map((w) => Math.fround(new Float32Array(new Uint32Array([(w >>> 9) | 0x3f800000]).buffer)[0] - 1)));
      // float64: the block's words as (hi, lo).
      const u64 = random.uniform(k, [3], { dtype: 'float64' }).dataSync();
      iotaJs(3).forEach((i) => {
        const [hi, lo] = block(0, 42, 0, i);
        const d = new DataView(new ArrayBuffer(8));
        d.setUint32(0, ((hi >>> 12) | 0x3ff00000) >>> 0); d.setUint32(4, ((hi << 20) | (lo >>> 12)) >>> 0);
        assert.equal(u64[i], d.getFloat64(0) - 1, `float64 uniform ${i}`);
      });
      moments('normal (partitionable)', random.normal(random.key(1), [200_000]).dataSync(), 0, 1, 3);
    });
    assert.equal(random.threefryPartitionable(), false);
    // the original scheme is back: the same bits as JAX's default-off runs
    assert.deepEqual(Array.from(random.bits(k, [5]).dataSync()), original([0, 42], iotaJs(5)));
  });
});

describe('randint (JAX\'s algorithm)', () => {
  test('the construction from two split keys, against the JS reference', () => {
    const k = random.key(9);
    const keys = original([0, 9], iotaJs(4)); // split(key, 2)
    const hi = original([keys[0], keys[1]], iotaJs(6)), lo = original([keys[2], keys[3]], iotaJs(6));
    // span 10: (hi % 10 * (2^32 mod 10) + lo % 10) % 10 with 2^32 mod 10 = 6 (65536 % 10 = 6, 36 % 10 = 6)
    const want = iotaJs(6).map((i) => -3 + ((hi[i] % 10) * 6 + (lo[i] % 10)) % 10);
    const r = random.randint(k, [6], -3, 7);
    assert.equal(r.dtype, 'int32');
    assert.deepEqual(Array.from(r.dataSync()), want);
    // span 2^20 > 2^16: JAX's (2^16)^2 wraps to 0 in uint32, so only lo counts
    const big = random.randint(k, [6], 0, 2 ** 20);
    assert.deepEqual(Array.from(big.dataSync()), lo.map((w) => w % 2 ** 20));
  });
  test('range, uniformity (chi-square-like bound per bin), maxval <= minval gives minval, uint32, array bounds', () => {
    const N = 1_000_000;
    const r = random.randint(random.key(3), [N], -5, 5).dataSync();
    const counts = new Array(10).fill(0);
    for (const v of r) { assert.ok(v >= -5 && v < 5); counts[v + 5]++; }
    for (const c of counts) assert.ok(Math.abs(c / N - 0.1) <= 5 * Math.sqrt(0.09 / N), `bin ${c}`);
    moments('randint [-5, 5)', Array.from(r), -0.5, 99 / 12, (99 * 293) / 240); // discrete uniform, n = 10: (n^2-1)/12, (n^2-1)(3n^2-7)/240
    assert.deepEqual(Array.from(random.randint(random.key(1), [3], 4, 4).dataSync()), [4, 4, 4]);
    assert.deepEqual(Array.from(random.randint(random.key(1), [3], 4, -2).dataSync()), [4, 4, 4]);
    const u = random.randint(random.key(4), [1000], 0, 3, 'uint32');
    assert.equal(u.dtype, 'uint32');
    assert.ok(Array.from(u.dataSync()).every((v) => v >= 0 && v < 3));
    const lo = np.array([0, 10, 100], { dtype: 'int32' });
    const b = random.randint(random.key(5), [200, 3], lo, np.add(lo, 2)).tolist() as number[][];
    for (const row of b) row.forEach((v, j) => assert.ok(v === [0, 10, 100][j] || v === [0, 10, 100][j] + 1));
    assert.ok(b.some((row) => row[0] === 1) && b.some((row) => row[0] === 0));
    // full int32 range: every value representable
    const full = random.randint(random.key(6), [1000], -(2 ** 31), 2 ** 31 - 1).dataSync();
    assert.ok(Array.from(full).some((v) => v < -(2 ** 30)) && Array.from(full).some((v) => v > 2 ** 30));
    assert.throws(() => random.randint(random.key(0), [2], 0, 2 ** 32), ValueError);
    assert.throws(() => random.randint(random.key(0), [2], 0, 3, 'float32'), DTypeError);
  });
});

describe('permutation and choice', () => {
  const isPerm = (v: ArrayLike<number>, n: number) => assert.deepEqual(Array.from(v).sort((a, b) => a - b), iotaJs(n));
  test('permutation(key, n): a permutation, int32, JAX\'s one round of a stable sort by fresh bits', () => {
    const k = random.key(11);
    const p = random.permutation(k, 10);
    assert.equal(p.dtype, 'int32');
    isPerm(p.dataSync(), 10);
    // one round (10 < 1626): key, subkey = split(key); sort arange(10) by bits(subkey, 10)
    const keys = original([0, 11], iotaJs(4));
    const sortKeys = original([keys[2], keys[3]], iotaJs(10));
    const want = iotaJs(10).sort((a, b) => sortKeys[a] - sortKeys[b] || a - b);
    assert.deepEqual(Array.from(p.dataSync()), want);
    // uniform over positions: element 0 lands in each of 5 places ~1/5 of the time
    const hits = new Array(5).fill(0);
    for (let s = 0; s < 5000; s++) hits[Array.from(random.permutation(random.key(s), 5).dataSync()).indexOf(0)]++;
    for (const h of hits) assert.ok(Math.abs(h / 5000 - 0.2) <= 5 * Math.sqrt(0.16 / 5000), `position frequency ${h}`);
    // two rounds past 1625 elements: still a permutation
    isPerm(random.permutation(k, 3000).dataSync(), 3000);
  });
  test('permutation of an array along an axis, and independent', () => {
    const x = np.reshape(np.arange(12), [3, 4]);
    const rows = random.permutation(random.key(2), x).tolist() as number[][];
    assert.deepEqual(rows.map((r) => r[0]).sort((a, b) => a - b), [0, 4, 8]);
    rows.forEach((r) => assert.deepEqual(r, [r[0], r[0] + 1, r[0] + 2, r[0] + 3]));
    const cols = random.permutation(random.key(2), x, { axis: 1 }).tolist() as number[][];
    isPerm(cols[0], 4);
    cols.forEach((r, i) => assert.deepEqual(r.map((v) => v - 4 * i), cols[0]));
    const ind = random.permutation(random.key(2), x, { axis: 1, independent: true }).tolist() as number[][];
    ind.forEach((r, i) => isPerm(r.map((v) => v - 4 * i), 4));
    assert.throws(() => random.permutation(random.key(0), 2.5), ValueError);
  });
  test('choice: with replacement (randint), without (a permutation prefix), with p (inverse CDF / Gumbel top-k)', () => {
    const k = random.key(21);
    const c = random.choice(k, 5, [7]);
    assert.deepEqual(Array.from(c.dataSync()), Array.from(random.randint(k, [7], 0, 5).dataSync()));
    const nr = random.choice(k, 6, [6], { replace: false });
    isPerm(nr.dataSync(), 6);
    assert.deepEqual(Array.from(nr.dataSync()), Array.from(random.permutation(k, 6).dataSync()));
    assert.throws(() => random.choice(k, 3, [4], { replace: false }), ValueError);
    const a = np.array([[1, 2], [3, 4], [5, 6]]);
    const rows = random.choice(k, a, [2], { replace: false }).tolist() as number[][];
    assert.equal(rows.length, 2);
    assert.notDeepEqual(rows[0], rows[1]);
    rows.forEach((r) => assert.equal(r[1], r[0] + 1));
    assert.deepEqual(random.choice(k, a, [4, 1], { axis: 1 }).shape, [3, 4, 1]);
    // with p, replace: frequencies follow p
    const p = [0.1, 0.6, 0.3];
    const N = 300_000;
    const s = random.choice(random.key(8), 3, [N], { p }).dataSync();
    for (let j = 0; j < 3; j++) {
      const f = Array.from(s).filter((v) => v === j).length / N;
      assert.ok(Math.abs(f - p[j]) <= 5 * Math.sqrt(p[j] * (1 - p[j]) / N), `p ${j}: ${f}`);
    }
    // with p, no replacement: distinct, and zero-probability entries never drawn
    for (let t = 0; t < 50; t++) {
      const d = Array.from(random.choice(random.key(t), 5, [3], { replace: false, p: [0.2, 0, 0.3, 0.5, 0] }).dataSync());
      assert.deepEqual([...d].sort(), [0, 2, 3]);
    }
    assert.deepEqual(random.choice(k, 4, [0]).shape, [0]);
  });
});

test("JAX's positional forms draw the options object's bits: uniform(key, shape, dtype, minval, maxval), categorical(key, logits, axis, shape, replace), choice(key, a, shape, replace, p, axis), permutation(key, x, axis, independent), multivariateNormal's method, bits' dtype (were 'options must be an object' or 'takes at most')", () => {
  const k = random.key(5);
  const bitsEq = (a: any, b: any) => { assert.equal(a.dtype, b.dtype); assert.deepEqual(Array.from(a.dataSync()), Array.from(b.dataSync())); };
  const f = Math.fround;
  // uniform: against the formula in plain JS from random.bits (f from the top 23 bits; max(lo, f (hi - lo) + lo) in float32)
  const u = random.uniform(k, [64], 'float32', -2, 5);
  bitsEq(u, random.uniform(k, [64], { dtype: 'float32', minval: -2, maxval: 5 }));
  const b = random.bits(k, [64], 'uint32').dataSync() as Uint32Array;
  bitsEq(random.bits(k, [64], 'uint32'), random.bits(k, [64]));
  const want = Array.from(b, (w) => Math.max(-2, f(f(f(new Float32Array(new Uint32Array([(w >>> 9) | 0x3f800000]).buffer)[0] - 1) * 7) - 2)));
  assert.deepEqual(Array.from(u.dataSync()), want);
  bitsEq(random.uniform(k, [3], null, 1), random.uniform(k, [3], { minval: 1 })); // null: JAX's None, the default dtype
  bitsEq(random.uniform(k, [3], 'float64', 0, 2), random.uniform(k, [3], { dtype: 'float64', maxval: 2 }));
  // categorical: argmax over the category axis of gumbel noise (the shape's prefix, then logits' shape) + logits, in JS
  const L = [[0.1, 2, -1, 0.5], [1, 1, 1, 1], [3, -2, 0, 0.2]];
  const c = random.categorical(k, L, 0, [5, 4]);
  bitsEq(c, random.categorical(k, L, { axis: 0, shape: [5, 4] }));
  const g = random.gumbel(k, [5, 3, 4]).tolist() as number[][][];
  const wantC = g.map((gi) => [0, 1, 2, 3].map((j) => { let best = 0; for (let i = 1; i < 3; i++) if (f(gi[i][j] + L[i][j]) > f(gi[best][j] + L[best][j])) best = i; return best; }));
  assert.deepEqual(c.tolist(), wantC);
  bitsEq(random.categorical(k, L, -1), random.categorical(k, L));
  // without replacement (JAX's replace=False): per row of logits, the top 4 of gumbel(key, logits' shape) + logits, drawn in order
  const nr = random.categorical(k, L, 1, [4, 3], false);
  bitsEq(nr, random.categorical(k, L, { axis: 1, shape: [4, 3], replace: false }));
  const g2 = random.gumbel(k, [3, 4]).tolist() as number[][];
  const top = L.map((row, i) => [0, 1, 2, 3].sort((x, y) => f(g2[i][y] + row[y]) - f(g2[i][x] + row[x]) || x - y));
  assert.deepEqual(nr.tolist(), [0, 1, 2, 3].map((d) => [0, 1, 2].map((i) => top[i][d])));
  // choice: without replacement the first draws of permutation(key, n); with p, the inverse CDF of uniform draws
  bitsEq(random.choice(k, 10, [3], false), random.choice(k, 10, [3], { replace: false }));
  assert.deepEqual(Array.from(random.choice(k, 10, [3], false).dataSync()), Array.from(random.permutation(k, 10).dataSync()).slice(0, 3));
  const p = [0.1, 0.2, 0.3, 0.4];
  const x = np.reshape(np.arange(12), [3, 4]);
  const byP = random.choice(k, x, [6], true, p, 1);
  bitsEq(byP, random.choice(k, x, [6], { p, axis: 1 }));
  const r = Array.from(random.uniform(k, [6]).dataSync(), (v) => f(1 - v)); // total (1) * (1 - u)
  const cdf = [f(0.1), f(f(0.1) + f(0.2)), f(f(f(0.1) + f(0.2)) + f(0.3)), f(f(f(f(0.1) + f(0.2)) + f(0.3)) + f(0.4))];
  const cols = r.map((v) => cdf.findIndex((cv) => v <= cv)); // searchsorted, side left
  assert.deepEqual(byP.tolist(), [0, 1, 2].map((i) => cols.map((j) => 4 * i + j)));
  bitsEq(random.choice(k, 5, [4], null, null, 0), random.choice(k, 5, [4]));
  // permutation: independent shuffles of each row along axis 1
  const ind = random.permutation(k, x, 1, true);
  bitsEq(ind, random.permutation(k, x, { axis: 1, independent: true }));
  (ind.tolist() as number[][]).forEach((row, i) => assert.deepEqual([...row].sort((a, b) => a - b), [4 * i, 4 * i + 1, 4 * i + 2, 4 * i + 3]));
  bitsEq(random.permutation(k, x, 1), random.permutation(k, x, { axis: 1 }));
  bitsEq(random.multivariateNormal(k, [0, 0], [[1, 1], [1, 1]], [3], null, 'eigh'), random.multivariateNormal(k, [0, 0], [[1, 1], [1, 1]], [3], { method: 'eigh' }));
  // wrong types name the function and the argument
  const named = (fn: () => unknown, cls: any, re: RegExp) => assert.throws(fn, (e: any) => e instanceof cls && re.test(e.message), String(re));
  named(() => random.choice(k, 5, [2], 1 as any), ValueError, /^random\.choice: replace must be true or false, got 1/);
  named(() => random.permutation(k, 5, 0, 'yes' as any), ValueError, /^random\.permutation: independent must be true or false/);
  named(() => random.uniform(k, [2], 'int32' as any, 0, 1), DTypeError, /^random\.uniform: dtype must be float32 or float64, got int32/);
  named(() => random.uniform(k, [2], { dtype: 'float64' }, 3 as any), ValueError, /^random\.uniform: give dtype, minval, maxval in one options object or all positionally/);
  named(() => random.categorical(k, L, 1, [5, 3], false), ValueError, /^random\.categorical: number of samples without replacement \(5\) cannot exceed the number of categories \(4\)/);
  named(() => random.bits(k, [2], 'int32' as any), DTypeError, /^random\.bits: dtype must be uint32/);
  named(() => (random.choice as any)(k, 5, [2], true, null, 0, 'low'), ValueError, /^random\.choice: takes at most 6 arguments \(k, a, shape, replace, p, axis\)/);
});

test("JAX's keyword arguments as one options object where the shape goes draw the positional form's bits: normal(key, { shape, dtype }), choice(key, a, { shape, replace }), bernoulli(key, { p, shape }), randint(key, { shape, minval, maxval }) (were a ShapeError: 'shape must be a list')", () => {
  const k = random.key(11);
  const bitsEq = (a: any, b: any) => { assert.equal(a.dtype, b.dtype); assert.deepEqual(a.shape, b.shape); assert.deepEqual(Array.from(a.dataSync()), Array.from(b.dataSync())); };
  bitsEq(random.normal(k, { shape: [5], dtype: 'float64' }), random.normal(k, [5], 'float64'));
  bitsEq(random.normal(k, { shape: [2, 3] }), random.normal(k, [2, 3]));
  bitsEq(random.normal(k, {}), random.normal(k)); // (no shape: JAX's (), one draw)
  bitsEq(random.uniform(k, { shape: [4], minval: -1, maxval: 3 }), random.uniform(k, [4], null, -1, 3));
  bitsEq(random.bits(k, { shape: [3] }), random.bits(k, [3]));
  for (const s of ['gumbel', 'rademacher', 'exponential', 'laplace', 'logistic'] as const) {
    bitsEq((random[s] as any)(k, { shape: [3], dtype: 'float64' }), (random[s] as any)(k, [3], 'float64'));
  }
  bitsEq(random.bernoulli(k, { p: 0.3, shape: [6] }), random.bernoulli(k, 0.3, [6]));
  bitsEq(random.bernoulli(k, 0.3, { shape: [6] }), random.bernoulli(k, 0.3, [6]));
  bitsEq(random.randint(k, { shape: [5], minval: 2, maxval: 9 }), random.randint(k, [5], 2, 9));
  bitsEq(random.choice(k, 5, { shape: [5], replace: false }), random.choice(k, 5, [5], false));
  bitsEq(random.choice(k, { a: 7, shape: [3], p: [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.4] }), random.choice(k, 7, [3], true, [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.4]));
  bitsEq(random.truncatedNormal(k, -1, 2, { shape: [4], dtype: 'float64' }), random.truncatedNormal(k, -1, 2, [4], 'float64'));
  bitsEq(random.multivariateNormal(k, [0, 1], [[2, 0.5], [0.5, 1]], { shape: [3], method: 'eigh' }), random.multivariateNormal(k, [0, 1], [[2, 0.5], [0.5, 1]], [3], null, 'eigh'));
  // without replacement the draws are distinct (the keyword was read, not dropped)
  assert.deepEqual(Array.from(random.choice(k, 5, { shape: [5], replace: false }).dataSync()).sort(), [0, 1, 2, 3, 4]);
  const named = (fn: () => unknown, re: RegExp) => assert.throws(fn, (e: any) => e instanceof ValueError && re.test(e.message), String(re));
  named(() => random.normal(k, { shape: [2], size: 3 } as any), /^random\.normal: unknown option 'size' in the options object at argument 1; it takes shape, dtype/);
  named(() => random.choice(k, 5, { shape: [2] } as any, false), /^random\.choice: give shape, replace, p, axis in one options object or all positionally/);
  named(() => random.choice(k, 5, { a: 3 } as any), /^random\.choice: unknown option 'a' in the options object at argument 2; it takes shape, replace, p, axis/);
});

describe('float64 normal (XLA\'s ErfInv64)', () => {
  test('moments, symmetry, the largest draws, and erfinv against np.erfinv to 1e-15', () => {
    const z = random.normal(random.key(12), [1_000_000], { dtype: 'float64' });
    assert.equal(z.dtype, 'float64');
    moments('normal f64', z.dataSync(), 0, 1, 3);
    const zs = z.dataSync();
    assert.ok(zs.every(Number.isFinite));
    // the uniform behind draw i: its sqrt(2) erfinv is the draw, so erf(z / sqrt 2) = u within 2 ulp-ish
    const u = random.uniform(random.key(12), [5], { dtype: 'float64', minval: -1 + 2 ** -53, maxval: 1 });
    const back = np.erf(np.divide(random.normal(random.key(12), [5], 'float64'), Math.SQRT2)).dataSync();
    Array.from(u.dataSync()).forEach((v, i) => assert.ok(Math.abs(back[i] - v) <= 4e-16 * Math.max(1, Math.abs(v)) + 1e-17, `${back[i]} vs ${v}`));
  });
});

test('float32 normal draws: the four-lane kernel gives the bits of the scalar formula, checked in plain JS from random.bits', () => {
  // jax.random.normal for float32: u = max(f * 2 + lo, lo) with f from the top 23 bits, then
  // sqrt(2) * erfinv(u) by XLA's ErfInv32, every step rounded to float32 (Math.fround), w from
  // log1p in double (V8's Math.log1p and the kernel's musl port: fdlibm's formula, the same bits)
  const W_LT5 = [2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941].map(Math.fround);
  const W_GE5 = [-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682].map(Math.fround);
  const f = Math.fround, lo = f(-0.99999994), span = f(1 - lo), sqrt2 = f(1.41421356);
  const k = random.key(7);
  const n = 4099; // four-lane body and a scalar tail
  const bitsOut = random.bits(k, [n]).dataSync() as Uint32Array;
  const got = random.normal(k, [n]).dataSync();
  let mismatches = 0;
  for (let i = 0; i < n; i++) {
    const fl = f(new Float32Array(new Uint32Array([(bitsOut[i] >>> 9) | 0x3f800000]).buffer)[0] - 1);
    let u = f(f(fl * span) + lo);
    if (u < lo) u = lo;
    let w = f(-Math.log1p(-f(u * u)));
    const c = w < 5 ? W_LT5 : W_GE5;
    w = w < 5 ? f(w - 2.5) : f(f(Math.sqrt(w)) - 3);
    let p = c[0];
    for (let j = 1; j < 9; j++) p = f(c[j] + f(p * w));
    const want = f(sqrt2 * (Math.abs(u) === 1 ? f(u * 3.4028234663852886e38) : f(p * u)));
    if (!Object.is(want, got[i])) mismatches++;
  }
  assert.equal(mismatches, 0);
});

test('key and foldIn take int32/uint32 scalar Arrays (a traced step under jit), the same bits as JS integers', () => {
  const k = random.key(7);
  assert.deepEqual(random.key(np.array(42, { dtype: 'int32' })).tolist(), random.key(42).tolist());
  assert.deepEqual(random.PRNGKey(np.array(-1, { dtype: 'int32' })).tolist(), random.PRNGKey(-1).tolist());
  assert.deepEqual(random.foldIn(k, np.array(5, { dtype: 'int32' })).tolist(), random.foldIn(k, 5).tolist());
  const step = jit((key: any, i: any) => random.normal(random.foldIn(key, i), [3]));
  assert.deepEqual(step(k, np.array(3, { dtype: 'int32' })).tolist(), random.normal(random.foldIn(k, 3), [3]).tolist());
  step(k, np.array(4, { dtype: 'int32' }));
  assert.equal(step.traceCount, 1); // a new step does not retrace
  assert.throws(() => random.key(np.array(1.5)), /random\.key: the seed must be an integer or an int32\/uint32 scalar Array/);
});

test("seeds past int32 wrap as JAX's with 64-bit types off (np.int64, then int32): PRNGKey(2 ** 32 + 5) is [0, 5], PRNGKey(-2147483748) [0, 2147483548] (were ValueErrors)", () => {
  // [seed, key data]: the int rows are JAX's own tests/random_test.py test_prng_seeds_and_keys (x64 off)
  const cases: [number, number[]][] = [[2 ** 31 - 1 + 100, [0, 2147483747]], [-(2 ** 31) - 100, [0, 2147483548]], [-(2 ** 31) - 101, [0, 2147483547]],
    [2 ** 32 + 5, [0, 5]], [-(2 ** 32) - 1, [0, 4294967295]], [2 ** 53, [0, 0]], [-(2 ** 53), [0, 0]], [2 ** 53 - 1, [0, 4294967295]], [-0, [0, 0]]];
  for (const [seed, want] of cases) {
    assert.deepEqual(random.PRNGKey(seed).tolist(), want, String(seed));
    assert.deepEqual(random.key(seed).tolist(), want, String(seed));
  }
  assert.deepEqual(random.normal(random.PRNGKey(2 ** 32 + 5), [3]).tolist(), random.normal(random.PRNGKey(5), [3]).tolist());
  for (const bad of [2 ** 53 + 2, -(2 ** 60), 1.5, NaN, Infinity, '3', null]) {
    assert.throws(() => random.PRNGKey(bad as any), (e: unknown) => e instanceof ValueError && /^random\.PRNGKey: the seed must be an integer of magnitude at most 2\^53/.test((e as Error).message), String(bad));
    assert.throws(() => random.key(bad as any), /^ValueError: random\.key: the seed must be an integer of magnitude at most 2\^53/, String(bad));
  }
});

describe('shapes and supports as JAX checks them', () => {
  test('split takes 0 and a shape: the keys of the flat index, in both schemes (JAX\'s _split(key, shape))', () => {
    const k = random.key(42);
    assert.deepEqual(random.split(k, 0).shape, [0, 2]);
    const flat = random.split(k, 6).tolist() as number[][];
    assert.deepEqual(random.split(k, [2, 3]).tolist(), [flat.slice(0, 3), flat.slice(3)]);
    withPartitionable(() => {
      assert.deepEqual(random.split(k, [3, 1]).tolist(), iotaJs(3).map((i) => [block(0, 42, 0, i)]));
    });
  });
  test('a parameter that does not broadcast to an explicit shape is a ShapeError (it used to repeat the same draws)', () => {
    const k = random.PRNGKey(1);
    const bad: [string, () => unknown][] = [
      ['bernoulli', () => random.bernoulli(k, np.array([[0.5], [0.5]]), [4])],
      ['bernoulli', () => random.bernoulli(k, np.array([0.1, 0.9, 0.5]), [2])],
      ['uniform', () => random.uniform(k, [3], { minval: np.array([[0], [0]]) })],
      ['uniform', () => random.uniform(k, [], { minval: np.array([0, 5]) })],
      ['truncatedNormal', () => random.truncatedNormal(k, np.array([[-1], [-1]]), 1, [3])],
      ['multivariateNormal', () => random.multivariateNormal(k, np.zeros([2, 1, 2]), np.eye(2), [3])],
      ['categorical', () => random.categorical(k, np.zeros([3, 4]), { shape: [5, 1] })],
      ['categorical', () => random.categorical(k, np.zeros([2, 1, 4]), { shape: [3] })],
    ];
    for (const [name, f] of bad) assert.throws(f, (e: unknown) => e instanceof ShapeError && new RegExp(`random.${name}: .* does not broadcast`).test(String(e)), name);
    assert.deepEqual(random.uniform(k, [2, 3], { minval: np.array([0, 1, 2]) }).shape, [2, 3]); // a broadcast that fits
    assert.deepEqual(random.categorical(k, np.zeros([3, 4]), { shape: [5, 3] }).shape, [5, 3]);
    assert.throws(() => random.categorical(k, np.zeros([3, 4]), { axis: 2 }), /random.categorical: axis 2 is out of bounds/);
  });
  test("a null shape is JAX's shape=None where JAX takes one (bernoulli, truncatedNormal, categorical, multivariateNormal): the parameters' broadcast shape (bernoulli and truncatedNormal were a ShapeError)", () => {
    const k = random.PRNGKey(0);
    const p = np.array([0.2, 0.5, 0.9]);
    assert.deepEqual(random.bernoulli(k, 0.5, null).tolist(), random.bernoulli(k, 0.5).tolist());
    assert.deepEqual(random.bernoulli(k, p, null).tolist(), random.bernoulli(k, p, [3]).tolist());
    assert.deepEqual(random.bernoulli(k, { p, shape: null } as any).tolist(), random.bernoulli(k, p, [3]).tolist());
    const t = random.truncatedNormal(k, -1, 1, null, 'float64');
    assert.equal(t.dtype, 'float64');
    assert.deepEqual(t.tolist(), random.truncatedNormal(k, -1, 1, [], 'float64').tolist());
    const lo = np.zeros([2]), hi = np.ones([3, 1]);
    assert.deepEqual(random.truncatedNormal(k, lo, hi, null).tolist(), random.truncatedNormal(k, lo, hi, [3, 2]).tolist());
    assert.deepEqual(random.categorical(k, np.zeros([2, 3]), -1, null).tolist(), random.categorical(k, np.zeros([2, 3]), -1, [2]).tolist());
    assert.deepEqual(random.multivariateNormal(k, np.zeros([4, 2]), np.eye(2), null).tolist(), random.multivariateNormal(k, np.zeros([4, 2]), np.eye(2), [4]).tolist());
    // JAX's shape=() samplers refuse None (canonicalize_shape); rademacher, drawn through bernoulli, too
    for (const [name, f] of [['uniform', () => random.uniform(k, null as any)], ['normal', () => random.normal(k, null as any)],
      ['rademacher', () => random.rademacher(k, null as any)], ['gumbel', () => random.gumbel(k, null as any)], ['choice', () => random.choice(k, 5, null as any)]] as const) {
      assert.throws(f, (e: unknown) => e instanceof ShapeError && new RegExp(`^random\\.${name}: shape must be a list`).test((e as Error).message), name);
    }
  });
  test('truncatedNormal draws lie in the open interval, as JAX clamps them (never a bound, never inf)', () => {
    const k = random.PRNGKey(0);
    const d = random.truncatedNormal(k, 5, Infinity, [20000]).dataSync();
    let lo = Infinity, hi = -Infinity;
    for (const v of d) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    assert.ok(lo > 5 && hi <= 3.4028234663852886e38 && Number.isFinite(hi), `${lo} ${hi}`);
    assert.ok(Math.max(...random.truncatedNormal(k, 6, 8, [1000]).dataSync()) < 8);
    assert.ok(Number.isFinite(random.truncatedNormal(k, 8.5, Infinity, [10], 'float64').dataSync()[0]));
    const neg = random.truncatedNormal(k, -Infinity, -5, [1000]).dataSync();
    assert.ok(neg.every((v) => Number.isFinite(v) && v < -5));
    assert.ok(jit((kk: any) => random.truncatedNormal(kk, 5, Infinity, [100]))(k).dataSync().every((v: number) => v > 5 && Number.isFinite(v)));
  });
});

test("multivariateNormal's method: 'eigh' and 'svd' sample a singular covariance (Cholesky's factor is NaN there), as JAX's method option", () => {
  const key = random.key(3), n = 100_000;
  const sampleCov = (x: NDArrayLike) => {
    const v = x.dataSync() as Float64Array, d = x.shape[1];
    const mean = Array.from({ length: d }, (_, i) => { let s = 0; for (let r = 0; r < n; r++) s += v[r * d + i]; return s / n; });
    return mean.map((mi, i) => mean.map((mj, j) => { let s = 0; for (let r = 0; r < n; r++) s += (v[r * d + i] - mi) * (v[r * d + j] - mj); return s / n; }));
  };
  const singular = [[1, 1, 0], [1, 1, 0], [0, 0, 2]];
  for (const method of ['eigh', 'svd'] as const) {
    const x = random.multivariateNormal(key, [1, -1, 0], singular, [n], { method, dtype: 'float64' });
    assert.ok(Array.from(x.dataSync()).every(Number.isFinite), method);
    const c = sampleCov(x);
    // (the sample covariance's standard error at n = 1e5 is below 0.01 for these entries)
    singular.forEach((row, i) => row.forEach((want, j) => assert.ok(Math.abs(c[i][j] - want) < 0.04, `${method} cov[${i}][${j}] = ${c[i][j]}`)));
    const jx = jit((k: any) => random.multivariateNormal(k, [1, -1, 0], singular, [4], { method }))(key);
    assert.deepEqual(jx.tolist(), random.multivariateNormal(key, [1, -1, 0], singular, [4], { method }).tolist());
  }
  // the default stays JAX's Cholesky (NaN for this covariance, as JAX's)
  assert.ok(Number.isNaN(random.multivariateNormal(key, [0, 0], [[1, 1], [1, 1]], [1], { dtype: 'float64' }).dataSync()[0]));
  assert.throws(() => random.multivariateNormal(key, [0, 0], np.eye(2), [1], { method: 'qr' } as any), ValueError);
});

test("a cov that is not [..., n, n] for mean's n, and logits with no categories, are errors naming multivariateNormal / categorical and the arguments (were np.einsum's 'label j has sizes 2 and 3' and np.argmax's empty-sequence message)", () => {
  const k = random.PRNGKey(0);
  const mvn = /^random\.multivariateNormal: cov must be \[\.\.\., n, n\] for n = 2, mean's last axis; got mean float32\[2\] and cov float32\[(3,3|2,3)\]$/;
  assert.throws(() => random.multivariateNormal(k, np.zeros([2]), np.eye(3)), (e: unknown) => e instanceof ShapeError && mvn.test((e as Error).message));
  assert.throws(() => random.multivariateNormal(k, np.zeros([2]), np.zeros([2, 3])), (e: unknown) => e instanceof ShapeError && mvn.test((e as Error).message));
  const cat = /^random\.categorical: logits have no categories along axis (-1|1) \(float32\[(0|2,0)\]\); there is nothing to draw from$/;
  assert.throws(() => random.categorical(k, np.zeros([0])), (e: unknown) => e instanceof ValueError && cat.test((e as Error).message));
  assert.throws(() => random.categorical(k, np.zeros([2, 0]), { axis: 1, replace: false }), (e: unknown) => e instanceof ValueError && cat.test((e as Error).message));
});

test('multivariateNormal works in the dtype mean and cov promote to (float64 was factored in float32: NaN under a float64 label)', () => {
  const n = 30, xs = Array.from({ length: n }, (_, i) => i / (n - 1));
  const K = np.array(xs.map((a, i) => xs.map((b, j) => Math.exp(-((a - b) ** 2) / 0.18) + (i === j ? 1e-8 : 0))), { dtype: 'float64' });
  const key = random.PRNGKey(0);
  const r = random.multivariateNormal(key, np.zeros([n], { dtype: 'float64' }), K, [3]);
  assert.equal(r.dtype, 'float64');
  assert.ok(Array.from(r.dataSync()).every(Number.isFinite));
  // JAX's construction in float64: mean + L z, z = normal(key, [3, n], float64)
  const want = np.einsum('ij,bj->bi', linalg.cholesky(K), random.normal(key, [3, n], { dtype: 'float64' }));
  assert.deepEqual(r.tolist(), want.tolist());
  assert.equal(random.multivariateNormal(key, np.zeros([2]), np.eye(2), null, { dtype: 'float64' }).dtype, 'float64');
  assert.equal(random.multivariateNormal(key, np.zeros([2]), np.eye(2)).dtype, 'float32');
});

test('truncatedNormal with a traced infinite bound (jit, vmap) stays finite and inside the bounds, as eagerly (float32 was inf, then the largest finite value)', () => {
  const k = random.PRNGKey(9);
  const f = (kk: any, a: any, b: any) => random.truncatedNormal(kk, a, b, [4]);
  const near = (vs: number[], lo: number, hi: number) => assert.ok(vs.every((v) => v >= lo && v <= hi), `${vs} not in [${lo}, ${hi}]`);
  near(f(k, np.array(8), np.array(Infinity)).tolist() as number[], 8, 9.5);
  near(jit(f)(k, np.array(8), np.array(Infinity)).tolist() as number[], 8, 9.5);
  near((vmap((l: any) => random.truncatedNormal(k, l, -10, [2]))(np.array([-Infinity])).tolist() as number[][])[0], -11.5, -10);
  for (const v of jit(f)(k, np.array(3), np.array(Infinity)).tolist() as number[]) assert.ok(Number.isFinite(v) && v >= 3);
  const f64 = jit((kk: any, a: any, b: any) => random.truncatedNormal(kk, a, b, [4], 'float64'));
  near(f64(k, 40, np.array(Infinity, { dtype: 'float64' })).tolist() as number[], 40, 40.5);
});

test('truncatedNormal never gives the dtype\'s largest finite value: u is kept inside (-1, 1) (erfinv(+-1) = +-inf was clamped to +-3.4e38)', () => {
  const k = random.PRNGKey(0);
  // draw 2136523 of 2^22 has bits 1 (a zero float32 mantissa): u = erf(-inf) = -1 exactly; it was -3.4e38
  const d = random.truncatedNormal(k, -Infinity, Infinity, [2 ** 22]).dataSync();
  assert.ok(d[2136523] > -5.5 && d[2136523] < -5, String(d[2136523]));
  let lo = Infinity, hi = -Infinity;
  for (const v of d) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  assert.ok(lo > -6 && hi < 6, `${lo} ${hi}`);
  // (3, inf): u rounds onto erf(inf) = 1 for ~1.1e-5 of float32 draws (12 of these 10^6 were 3.4e38)
  const t = random.truncatedNormal(k, 3, Infinity, [1000000]).dataSync();
  assert.ok(t.every((v) => v > 3 && v < 6));
  assert.ok(random.truncatedNormal(k, -Infinity, 0, [2 ** 22]).dataSync()[2136523] > -6);
});

test('truncatedNormal in a far tail follows the truncated normal (erf of both bounds near +-1 left u a few levels: (5, 6) float32 gave 10 values, (-inf, -8) one)', () => {
  // the CDF of the normal truncated to (a, b), 5 <= a, from tail ratios in log space (asymptotic series: within 3e-5 at 5, far below the KS resolution)
  const logQ = (x: number) => { const r = 1 / (x * x); return -x * x / 2 - Math.log(x * Math.sqrt(2 * Math.PI)) + Math.log1p(-r + 3 * r * r - 15 * r ** 3 + 105 * r ** 4 - 945 * r ** 5 + 10395 * r ** 6); };
  const cdf = (x: number, a: number, b: number) => -Math.expm1(logQ(x) - logQ(a)) / (b === Infinity ? 1 : -Math.expm1(logQ(b) - logQ(a)));
  const ks = (xs: ArrayLike<number>, F: (x: number) => number) => {
    const v = Array.from(xs).sort((p, q) => p - q); let d = 0;
    v.forEach((x, i) => { const c = F(x); d = Math.max(d, c - i / v.length, (i + 1) / v.length - c); });
    return d * Math.sqrt(v.length); // above 1.95: p < 0.001
  };
  for (const [seed, dtype] of [[0, 'float32'], [1, 'float64']] as const) {
    const k = random.PRNGKey(seed);
    const n = 20000;
    const cases: [number, number, number][] = [[5, 6, 1], [8, Infinity, 1], [-Infinity, -8, -1], [-12, -10, -1], [30, Infinity, 1]];
    for (const [a, b, side] of cases) {
      const x = random.truncatedNormal(k, a, b, [n], dtype).dataSync();
      assert.ok(Array.from(x).every((v) => v > a && v < b), `${a} ${b} ${dtype}`);
      const [lo, hi] = side > 0 ? [a, b] : [-b, -a];
      const stat = ks(Array.from(x, (v) => side * v), (v) => cdf(v, lo, hi));
      assert.ok(stat < 1.95, `KS sqrt(n) D = ${stat} for (${a}, ${b}) ${dtype}`);
      assert.ok(new Set(x).size > n / 4, `${new Set(x).size} distinct draws of ${n} for (${a}, ${b}) ${dtype}`);
    }
  }
  // jit (traced bounds: both paths, then selected) and mixed bounds give the eager draws
  const k = random.PRNGKey(3);
  const lo = np.array([-1, 5, -Infinity, 35]), hi = np.array([2, 6, -8, Infinity]);
  assert.deepEqual(jit((kk: any, l: any, h: any) => random.truncatedNormal(kk, l, h, [3, 4]))(k, lo, hi).tolist(), random.truncatedNormal(k, lo, hi, [3, 4]).tolist());
  // the gradient through a tail draw is the implicit one: d x / d a = erfc-density ratio (finite differences agree)
  const F = (a: number) => np.sum(random.truncatedNormal(k, a, Infinity, [4], 'float64')).item() as number;
  const g = grad((a: any) => np.sum(random.truncatedNormal(k, a, Infinity, [4], 'float64')))(np.array(7, { dtype: 'float64' })).item() as number;
  assert.ok(Math.abs(g - (F(7 + 1e-4) - F(7 - 1e-4)) / 2e-4) < 1e-6, String(g));
});

test("truncatedNormal's left-tail sampler (upper < -3, -6 in float64) rises with the uniform as JAX's u = a + f (b - a) does: the same key gives nearly the same draws either side of the switch (it took 1 - f: (-inf, -2.999) and (-inf, -3.001) drew -3.11 and -3.33)", () => {
  const k = random.PRNGKey(13), n = 1000;
  // JAX's construction for (-inf, -3.5), float32, computed independently in numpy (float64 erf and
  // erfinv of JAX's float32 u); was [-3.7925, -3.5926, -3.5889, -3.6005]
  const want = [-3.6017, -3.8118596, -3.8204353, -3.7949045];
  (random.truncatedNormal(k, -Infinity, -3.5, [4]).tolist() as number[]).forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-4, `${i}: ${v} vs ${want[i]}`));
  for (const [dtype, T] of [['float32', 3], ['float64', 6]] as const) {
    const f = random.uniform(k, [n], dtype).dataSync(); // the draws' unit uniforms
    const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => f[i] - f[j]);
    for (const [a, b, a2, b2] of [[-Infinity, -T + 1e-3, -Infinity, -T - 1e-3], [T - 1e-3, Infinity, T + 1e-3, Infinity], [-T - 1, -T + 1e-3, -T - 1, -T - 1e-3]]) {
      const x = random.truncatedNormal(k, a, b, [n], dtype).dataSync(), y = random.truncatedNormal(k, a2, b2, [n], dtype).dataSync();
      let worst = 0;
      for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
      assert.ok(worst < 0.01, `(${a}, ${b}) vs (${a2}, ${b2}) ${dtype}: draws move by ${worst}`);
      for (let r = 1; r < n; r++) if (f[order[r]] > f[order[r - 1]]) assert.ok(y[order[r]] >= y[order[r - 1]], `(${a2}, ${b2}) ${dtype}: not rising with u`);
    }
  }
});

test('uniform never returns maxval (JAX\'s docs: exclusive): the draws that rounded onto it become its neighbour below, the rest keep their bits', () => {
  const k = random.PRNGKey(0), n = 2 ** 22;
  const f = random.uniform(k, [n]).dataSync();
  for (const [lo, hi, hits] of [[2, 3, 2], [100, 101, 16]] as const) {
    const d = random.uniform(k, [n], { minval: lo, maxval: hi }).dataSync();
    const hiBelow = new Float32Array([hi]); new Int32Array(hiBelow.buffer)[0] -= 1; // nextafter(hi, -inf)
    let moved = 0;
    for (let i = 0; i < n; i++) {
      const old = Math.max(lo, Math.fround(Math.fround(f[i] * (hi - lo)) + lo)); // JAX's formula
      assert.ok(d[i] < hi, `draw ${i}: ${d[i]}`);
      if (old >= hi) { moved++; assert.equal(d[i], hiBelow[0]); } else assert.equal(d[i], old);
    }
    assert.equal(moved, hits); // uniform(k, [2^22], {minval: 2, maxval: 3})[1181482] was 3
  }
  assert.ok(jit((kk: any, h: any) => random.uniform(kk, [n], { minval: 2, maxval: h }))(k, np.array(3)).dataSync()[1181482] < 3);
  assert.ok((random.uniform(k, [n], { minval: 2, maxval: 3, dtype: 'float64' }).max().item() as number) < 3);
});

test('uniform over a span past the dtype\'s range ([-max, max]) spreads its draws: they were one constant, maxval\'s neighbour (helper-199)', () => {
  const k = random.PRNGKey(0);
  for (const [dtype, big] of [['float32', 3.4028234663852886e38], ['float64', 1.7976931348623157e308]] as const) {
    for (const g of [(kk: any) => random.uniform(kk, [100000], { minval: -big, maxval: big, dtype }), jit((kk: any) => random.uniform(kk, [100000], { minval: -big, maxval: big, dtype }))]) {
      const d = Array.from(g(k).dataSync() as Float32Array);
      const u = Array.from(random.uniform(k, [100000], { dtype }).dataSync() as Float32Array);
      assert.ok(d.every((v) => Number.isFinite(v) && v >= -big && v < big));
      // each draw is u max + (1 - u)(-max) = (2u - 1) max, to rounding: the same order as the unit draws
      for (let i = 0; i < 1000; i++) assert.ok(Math.abs(d[i] - (2 * u[i] - 1) * big) <= 1e-6 * big, `${dtype} draw ${i}: ${d[i]} for u ${u[i]}`);
      const mean = d.reduce((a, b) => a + b / 100000, 0);
      assert.ok(Math.abs(mean) < 0.02 * big, `mean ${mean}`); // (the uniform's sd is max / sqrt(3); 1e5 draws: se 0.0018 max)
    }
  }
  // an ordinary span keeps JAX's formula's bits: u (hi - lo) + lo
  const u = random.uniform(k, [4]).dataSync(), d = random.uniform(k, [4], { minval: -2, maxval: 5 }).dataSync();
  for (let i = 0; i < 4; i++) assert.equal(d[i], Math.max(-2, Math.fround(Math.fround(u[i] * 7) - 2)));
});

test('gumbel and logistic: the all-zero draw (u = tiny) is no longer an outlier (-4.47 and -87.3 in float32, true probability e^-87), the other draws keep their bits', () => {
  const k = random.PRNGKey(0), n = 2 ** 22, i = 2136523; // draw i has bits 1: a zero float32 mantissa
  const f = random.uniform(k, [n]);
  const g = random.gumbel(k, [n]).dataSync(), l = random.logistic(k, [n]).dataSync();
  const gWant = np.negative(np.log(np.negative(np.log(f)))).dataSync(), lWant = np.subtract(np.log(f), np.log1p(np.negative(f))).dataSync();
  assert.equal(f.dataSync()[i], 0);
  assert.ok(g[i] > -3 && g[i] < -2.7, String(g[i])); // was -4.4698
  assert.ok(l[i] > -17 && l[i] < -16, String(l[i])); // was -87.3365
  for (let j = 0; j < n; j++) if (j !== i) { if (g[j] !== gWant[j] || l[j] !== lWant[j]) assert.fail(`draw ${j} changed`); }
  const l64 = random.logistic(k, [1000], 'float64').dataSync();
  assert.ok(Math.min(...l64) > -40);
});

test("logistic is JAX's log(u) - log1p(-u) (jax/_src/random.py _logistic); it was log(u / (1 - u)), whose quotient's rounding made 48% of float32 draws differ, by up to 402 ulp near u = 1/2", () => {
  // JAX's formula computed independently in numpy (float32 and float64 arithmetic, from the same
  // threefry bits); the values the old formula gave are in the comments
  const k = random.PRNGKey(0);
  const l32 = random.logistic(k, [1001]).dataSync();
  same([905, 535, 115, 745].map((i) => l32[i]), f32([-0.00093889236, -0.0015659332, -0.0035943985, 0.015247166])); // were -0.00093891576, -0.0015659069, -0.0035944134, 0.015247217
  const l64 = random.logistic(k, [1001], 'float64').dataSync();
  same([931, 626, 632].map((i) => l64[i]), [0.0010182317402057661, 0.00692794010996145, -0.021703608599210167]); // were 0.0010182317402058585, 0.006927940109961541, -0.02170360859921024
});

test('under jit the counters are iota rows: no constant as large as the draw, the same bits as eagerly', () => {
  const key = random.PRNGKey(0);
  for (const partitionable of [false, true]) {
    random.setThreefryPartitionable(partitionable);
    try {
      const f = jit((k: any) => random.uniform(k, [300000]));
      const text = f.lower(key).asText({ optimized: true });
      assert.match(text, /constants 0 bytes/, text);
      assert.match(text, /= iota/, text);
      assert.deepEqual(Array.from(f(key).dataSync()), Array.from(random.uniform(key, [300000]).dataSync()));
      const s = jit((k: any) => random.split(k, 5))(key).tolist();
      assert.deepEqual(s, random.split(key, 5).tolist());
    } finally { random.setThreefryPartitionable(false); }
  }
});

test('truncatedNormal under jit keeps the open interval, as eagerly and as JAX (traced bounds stayed closed)', () => {
  // float32 (0.5, 0.5 + 2^-23) holds one value, 0.5 + 2^-24: every draw is it. Under jit the
  // traced bounds were clamped closed, so draws rounded onto 0.5 or 0.5 + 2^-23 stayed there.
  const k = random.PRNGKey(3);
  const lo = 0.5, hi = 0.5 + 2 ** -23, inside = 0.5 + 2 ** -24;
  const eager = random.truncatedNormal(k, lo, hi, [2000]).dataSync();
  const jitted = jit((a: any, b: any) => random.truncatedNormal(k, a, b, [2000]))(np.array(lo), np.array(hi)).dataSync();
  assert.ok(eager.every((v: number) => v === inside), 'eager');
  assert.ok(jitted.every((v: number) => v === inside), 'jit');
  // an infinite traced bound steps to the largest finite value (float64 too)
  const big = jit((a: any) => random.truncatedNormal(k, a, Infinity, [4], 'float64'))(np.array(1e308, { dtype: 'float64' })).dataSync();
  assert.ok(big.every((v: number) => v > 1e308 && v < Infinity), `${big}`);
});

test('truncatedNormal far out (lower 1e6 to 1e308, float32 1e10 to 3e38) follows the truncated normal; it was NaN past about 1e9', () => {
  // Past a bound A in the thousands, the excess y = (x - A) A is Exp(1) to within 1e-7 (the tail
  // ratio erfc((A + e) / sqrt 2) / erfc(A / sqrt 2) is exp(-e A - e^2 / 2) (1 + O(e / A))); on
  // (A, A + 2 / A) it is Exp(1) truncated to (0, 2). t(x) - t(A) as a difference of two -A^2 / 2 was
  // all rounding error: a NaN draw for A = 1e10 (float32 too).
  const ks = (xs: number[], F: (x: number) => number) => {
    const v = xs.slice().sort((p, q) => p - q); let d = 0;
    v.forEach((x, i) => { const c = F(x); d = Math.max(d, c - i / v.length, (i + 1) / v.length - c); });
    return d * Math.sqrt(v.length); // above 1.95: p < 0.001
  };
  const k = random.PRNGKey(5), n = 8000;
  for (const A of [1e4, 1e6]) {
    for (const [b, F] of [[Infinity, (y: number) => -Math.expm1(-y)], [A + 2 / A, (y: number) => -Math.expm1(-y) / -Math.expm1(-2)]] as const) {
      const x = Array.from(random.truncatedNormal(k, A, b, [n], 'float64').dataSync() as Float64Array);
      assert.ok(x.every((v) => v > A && v < b), `${A} ${b}`);
      const stat = ks(x.map((v) => (v - A) * A), F);
      assert.ok(stat < 1.95, `KS sqrt(n) D = ${stat} for (${A}, ${b})`);
    }
  }
  // beyond, the excess is below the spacing of A: every draw is A's next value up, as JAX's clamp
  for (const A of [1e10, 1e155, 1e308]) {
    const x = random.truncatedNormal(k, A, Infinity, [5], 'float64').dataSync();
    const j = jit((a: any) => random.truncatedNormal(k, a, Infinity, [5], 'float64'))(np.array(A, { dtype: 'float64' })).dataSync();
    assert.ok(Array.from(x).every((v) => v > A && v < A * (1 + 1e-15)), `${A}: ${x}`);
    assert.deepEqual(Array.from(j), Array.from(x));
  }
  for (const A of [1e10, 1e30, 3e38]) {
    const x = random.truncatedNormal(k, A, Infinity, [5]).dataSync();
    assert.ok(Array.from(x).every((v) => v > Math.fround(A) && Number.isFinite(v)), `float32 ${A}: ${x}`);
  }
  // the mirrored left tail too
  const neg = random.truncatedNormal(k, -Infinity, -1e10, [5], 'float64').dataSync();
  assert.ok(Array.from(neg).every((v) => v < -1e10 && v > -1e10 * (1 + 1e-15)), `${neg}`);
});
