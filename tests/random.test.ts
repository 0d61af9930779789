// jax.random's threefry2x32 PRNG: JAX's own printed numbers (bit for bit), split values, the
// distributions' moments on 10^6 samples (within 5 standard errors of closed forms), keys as
// data under transforms, and clear errors for things that are not keys.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { np, random, grad, jvp, ValueError, NotImplementedError } from 'cotangent';

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
  test('foldIn(key, d) is threefry(key, [0, d]): new keys, distinct per d, deterministic', () => {
    const k = random.key(7);
    const a = random.foldIn(k, 1).tolist(), b = random.foldIn(k, 2).tolist();
    assert.notDeepEqual(a, b);
    assert.deepEqual(random.foldIn(k, 1).tolist(), a);
    assert.notDeepEqual(a, k.tolist());
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
    assert.throws(() => random.key(2 ** 33), ValueError);
    assert.throws(() => random.split(random.key(0), 0), ValueError);
    assert.throws(() => random.normal(random.key(0), [2], { dtype: 'float64' }), /dtype/);
    assert.throws(() => random.setThreefryPartitionable(true), NotImplementedError);
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
