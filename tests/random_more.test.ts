// jax.random's further samplers (ts/api/random_more.ts): (1) each one's values are JAX's
// construction (jax/_src/random/core.py) applied to the uniform/normal draws the test takes itself
// from random.uniform/random.normal with the same key, the formula written out here in JS; (2) the
// mean and variance of 10^5 draws within 5 standard errors of the distribution's closed forms (the
// variance's standard error from the sample's fourth central moment); (3) support bounds; (4) jit
// and vmap (over keys, over parameters) equal to eager; (5) derivatives by checkGrads (float64, the
// key fixed: reparameterized draws); (6) errors, and the NotImplementedError hints.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { np, random, jit, vmap, grad, jvp, checkGrads, ValueError, DTypeError, ShapeError, NotImplementedError } from '../ts/index.ts';

type A = ReturnType<typeof np.array>;
const vals = (x: A) => Array.from(x.dataSync() as ArrayLike<number>);
const f64 = (x: number | number[]) => np.array(x, { dtype: 'float64' });
const key = random.key(42);

/** |got - want| <= atol + rtol |want| elementwise, with the index of the first miss. */
function close(got: ArrayLike<number>, want: ArrayLike<number>, rtol: number, atol = 0): void {
  assert.equal(got.length, want.length);
  for (let i = 0; i < want.length; i++) {
    const ok = Math.abs(got[i] - want[i]) <= atol + rtol * Math.abs(want[i]) || (Number.isNaN(got[i]) && Number.isNaN(want[i]));
    assert.ok(ok, `element ${i}: got ${got[i]}, want ${want[i]}`);
  }
}

/** Mean and variance of xs within 5 standard errors of the theory's. */
function moments(xs: ArrayLike<number>, mean: number, variance: number): void {
  const n = xs.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += xs[i];
  m /= n;
  let m2 = 0, m4 = 0;
  for (let i = 0; i < n; i++) { const d = xs[i] - m; m2 += d * d; m4 += d ** 4; }
  m2 /= n; m4 /= n;
  const seMean = Math.sqrt(variance / n), seVar = Math.sqrt((m4 - m2 * m2) / n);
  assert.ok(Math.abs(m - mean) < 5 * seMean, `mean ${m}, theory ${mean} (standard error ${seMean})`);
  assert.ok(Math.abs(m2 - variance) < 5 * seVar, `variance ${m2}, theory ${variance} (standard error ${seVar})`);
}

const N = 100000;

describe('values: JAX\'s construction on the same key\'s uniform/normal draws', () => {
  test('cauchy: tan(pi (u - 1/2)), u = uniform(key, shape, minval=eps, maxval=1)', () => {
    const u64 = vals(random.uniform(key, [1000], { minval: 2 ** -52, maxval: 1, dtype: 'float64' }));
    close(vals(random.cauchy(key, [1000], 'float64')), u64.map((u) => Math.tan(Math.PI * (u - 0.5))), 1e-12, 1e-15);
    // float32: pi (u - 1/2) rounded to float32 as XLA does, tan's own rounding within 2 ulp
    const u32 = vals(random.uniform(key, [1000], { minval: 2 ** -23, maxval: 1 }));
    close(vals(random.cauchy(key, [1000])), u32.map((u) => Math.tan(Math.fround(Math.fround(Math.PI) * Math.fround(u - 0.5)))), 3e-7);
    // the options object and JAX's keyword form give the same draws
    assert.deepEqual(vals(random.cauchy(key, { shape: [1000], dtype: 'float64' })), vals(random.cauchy(key, [1000], { dtype: 'float64' })));
  });
  test('lognormal: exp(sigma z), z = normal(key, shape); sigma defaults to 1; shape null is sigma\'s', () => {
    const z = vals(random.normal(key, [2, 3], 'float64'));
    const sigma = [0.5, 1, 2];
    close(vals(random.lognormal(key, f64(sigma), [2, 3])), z.map((v, i) => Math.exp(v * sigma[i % 3])), 1e-14);
    const z32 = vals(random.normal(key, [500]));
    close(vals(random.lognormal(key, 1, [500])), z32.map(Math.exp), 2e-7);
    assert.deepEqual(vals(random.lognormal(key)), [Math.fround(Math.exp(vals(random.normal(key, []))[0]))]);
    assert.deepEqual(random.lognormal(key, f64(sigma)).shape, [3]);
    assert.deepEqual(vals(random.lognormal(key, { sigma: 0.5, shape: [4] })), vals(random.lognormal(key, 0.5, [4])));
  });
  test('rayleigh: scale sqrt(-2 log u), u = uniform(key, shape)', () => {
    const u = vals(random.uniform(key, [2, 500], { dtype: 'float64' }));
    const scale = [1, 3];
    close(vals(random.rayleigh(key, f64([[1], [3]]), [2, 500])), u.map((v, i) => scale[Math.floor(i / 500)] * Math.sqrt(-2 * Math.log(v))), 1e-14);
  });
  test('the all-zero draw, PRNGKey(0)\'s draw 2390258 of 2^23: rayleigh\'s u = 0 (JAX: inf) takes u = 2^-24, as random.gumbel\'s; cauchy\'s is u = eps, geometric\'s u = 1', () => {
    const k0 = random.PRNGKey(0);
    assert.equal(random.uniform(k0, [2 ** 23]).dataSync()[2390258], 0);
    assert.equal(random.rayleigh(k0, 1, [2 ** 23]).dataSync()[2390258], Math.fround(Math.sqrt(-2 * Math.log(2 ** -24))));
    assert.equal(random.geometric(k0, 0.3, [2 ** 23]).dataSync()[2390258], 1); // (JAX's u = 0 -> 1)
    // cauchy's u there is minval = eps (JAX's bound; tiny would give tan(-pi/2 + 1e-38) = -1e38 or so)
    close([random.cauchy(k0, [2 ** 23]).dataSync()[2390258]], [Math.tan(Math.fround(Math.fround(Math.PI) * Math.fround(2 ** -23 - 0.5)))], 3e-7);
  });
  test('pareto: exp(e / b), e = -log1p(-u) (random.exponential\'s draw)', () => {
    const u = vals(random.uniform(key, [1000], { dtype: 'float64' }));
    close(vals(random.pareto(key, f64(2.5), [1000])), u.map((v) => Math.exp(-Math.log1p(-v) / 2.5)), 1e-14);
  });
  test('weibullMin: scale (-log1p(-u))^(1 / concentration), u = uniform(key, shape, minval=0, maxval=1)', () => {
    const u = vals(random.uniform(key, [1000], { dtype: 'float64' }));
    close(vals(random.weibullMin(key, f64(2), f64(1.5), [1000])), u.map((v) => (-Math.log1p(-v)) ** (1 / 1.5) * 2), 1e-13);
    const u32 = vals(random.uniform(key, [1000]));
    close(vals(random.weibullMin(key, 2, 0.7, [1000])), u32.map((v) => (-Math.log1p(-v)) ** (1 / 0.7) * 2), 5e-6);
  });
  test('maxwell: the norm of normal(key, [...shape, 3]) along the last axis', () => {
    const z = vals(random.normal(key, [400, 3], 'float64'));
    const want = Array.from({ length: 400 }, (_, i) => Math.sqrt(z[3 * i] ** 2 + z[3 * i + 1] ** 2 + z[3 * i + 2] ** 2));
    close(vals(random.maxwell(key, [400], 'float64')), want, 1e-15);
    assert.deepEqual(random.maxwell(key, [2, 5]).shape, [2, 5]);
  });
  test('doubleSidedMaxwell: [mk, rk] = split(key); sign (uniform(rk) < 1/2: +1) maxwell(mk) scale + loc, shape [...shape, ...params]', () => {
    const [mk, rk] = random.split(key);
    const z = vals(random.normal(mk, [300, 2, 3], 'float64'));
    const u = vals(random.uniform(rk, [300, 2])); // (rademacher: bernoulli(rk, 0.5), a float32 uniform below 1/2)
    const loc = [1, -1], scale = 2;
    const want = Array.from({ length: 600 }, (_, i) =>
      (u[i] < 0.5 ? 1 : -1) * Math.sqrt(z[3 * i] ** 2 + z[3 * i + 1] ** 2 + z[3 * i + 2] ** 2) * scale + loc[i % 2]);
    const got = random.doubleSidedMaxwell(key, f64(loc), f64(scale), [300]);
    assert.deepEqual(got.shape, [300, 2]);
    close(vals(got), want, 1e-14, 1e-15);
    assert.deepEqual(random.doubleSidedMaxwell(key, f64(loc), 1).shape, [2]); // (JAX's shape () doubles this: [2, 2])
  });
  test('wald: [k1, k2] = split(key); Michael-Schucany-Haas on v = normal(k1), z = uniform(k2)', () => {
    const [k1, k2] = random.split(key);
    const v = vals(random.normal(k1, [1000], 'float64')), z = vals(random.uniform(k2, [1000], { dtype: 'float64' }));
    const mu = 2;
    const want = v.map((vi, i) => {
      const y = vi * vi;
      const x = mu + mu * mu * y / 2 - mu / 2 * Math.sqrt(4 * mu * y + mu * mu * (y * y));
      return z[i] <= mu / (mu + x) ? x : mu * mu / x;
    });
    close(vals(random.wald(key, f64(mu), [1000])), want, 1e-9);
  });
  test('triangular: left + sqrt(u (right - left)(mode - left)) below fc, else right - sqrt((1 - u)(right - left)(right - mode))', () => {
    const u = vals(random.uniform(key, [1000], { dtype: 'float64' }));
    const [a, c, b] = [-1, 0.5, 3];
    const fc = (c - a) / (b - a);
    const want = u.map((x) => (x < fc ? a + Math.sqrt(x * (b - a) * (c - a)) : b - Math.sqrt((1 - x) * (b - a) * (b - c))));
    close(vals(random.triangular(key, f64(a), f64(c), f64(b), [1000])), want, 1e-14, 1e-15);
    assert.deepEqual(random.triangular(key, 0, [0.2, 0.5], 1).shape, [2]);
  });
  test('geometric: floor(log u / log1p(-p)) + 1, u = uniform(key, shape) in p\'s dtype (u = 0 read as 1), int32', () => {
    const u = vals(random.uniform(key, [N], { dtype: 'float64' }));
    const want = u.map((x) => Math.floor(Math.log(x === 0 ? 1 : x) / Math.log1p(-0.3)) + 1);
    const got = random.geometric(key, f64(0.3), [N]);
    assert.equal(got.dtype, 'int32');
    assert.deepEqual(vals(got), want);
    // float32 p: a float32 u (its log rounded to float32 may land the other side of an integer rarely)
    const u32 = vals(random.uniform(key, [N]));
    const want32 = u32.map((x) => Math.floor(Math.log(x === 0 ? 1 : x) / Math.log1p(-Math.fround(0.3))) + 1);
    const got32 = vals(random.geometric(key, 0.3, [N]));
    assert.ok(got32.filter((g, i) => g !== want32[i]).length <= 5);
    assert.ok(got32.every((g, i) => Math.abs(g - want32[i]) <= 1));
    assert.equal(random.geometric(key, 0.3, [3], 'uint32').dtype, 'uint32');
    assert.deepEqual(vals(random.geometric(key, 1, [5])), [1, 1, 1, 1, 1]);
  });
  test('orthogonal: Q of qr(normal(key, [...shape, n, n])) with sign(diag R) fixed: Q^T z is upper triangular with a positive diagonal', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const tol = dtype === 'float32' ? 2e-5 : 1e-12;
      const z = random.normal(key, [2, 4, 4], dtype);
      const q = random.orthogonal(key, 4, [2], dtype);
      assert.deepEqual(q.shape, [2, 4, 4]);
      assert.equal(q.dtype, dtype);
      const eye = vals(np.broadcastTo(np.eye(4), [2, 4, 4]));
      close(vals(np.matmul(np.swapaxes(q, -1, -2), q)), eye, 0, tol);
      const r = np.matmul(np.swapaxes(q, -1, -2), z).tolist() as number[][][];
      for (const m of r) for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) {
        if (i > j) assert.ok(Math.abs(m[i][j]) < 10 * tol, `R[${i}][${j}] = ${m[i][j]}`);
        if (i === j) assert.ok(m[i][i] > 0);
      }
    }
    // n < m: the transpose of the [m, n] draw (rows orthonormal); n > m: columns orthonormal
    const wide = random.orthogonal(key, 2, [], { m: 5, dtype: 'float64' });
    const tall = random.orthogonal(key, 5, [], 'float64', 2);
    assert.deepEqual([wide.shape, tall.shape], [[2, 5], [5, 2]]);
    close(vals(wide), vals(np.swapaxes(tall, 0, 1)), 0, 0);
    close(vals(np.matmul(wide, np.swapaxes(wide, 0, 1))), vals(np.eye(2)), 0, 1e-12);
    assert.deepEqual(vals(random.orthogonal(key, { n: 3, shape: [2] })), vals(random.orthogonal(key, 3, [2])));
  });
});

describe('moments of 10^5 draws (mean and variance within 5 standard errors) and support', () => {
  const k = random.key(7);
  test('cauchy: P(|x| < 1) = 1/2 and P(x < 0) = 1/2 within 5 standard errors (no mean); finite', () => {
    const xs = vals(random.cauchy(k, [N]));
    const se = Math.sqrt(0.25 / N);
    assert.ok(Math.abs(xs.filter((x) => Math.abs(x) < 1).length / N - 0.5) < 5 * se);
    assert.ok(Math.abs(xs.filter((x) => x < 0).length / N - 0.5) < 5 * se);
    assert.ok(xs.every(Number.isFinite));
  });
  test('lognormal(sigma 0.5): mean exp(s^2/2), variance (exp(s^2) - 1) exp(s^2); positive', () => {
    const xs = vals(random.lognormal(k, 0.5, [N], 'float64'));
    const s2 = 0.25;
    moments(xs, Math.exp(s2 / 2), (Math.exp(s2) - 1) * Math.exp(s2));
    assert.ok(xs.every((x) => x > 0));
  });
  test('rayleigh(scale 2): mean s sqrt(pi/2), variance (4 - pi)/2 s^2; non-negative and finite', () => {
    const xs = vals(random.rayleigh(k, 2, [N]));
    moments(xs, 2 * Math.sqrt(Math.PI / 2), (4 - Math.PI) / 2 * 4);
    assert.ok(xs.every((x) => x >= 0 && Number.isFinite(x)));
  });
  test('pareto(b 5): mean b/(b-1), variance b/((b-1)^2 (b-2)); at least 1', () => {
    const xs = vals(random.pareto(k, 5, [N]));
    moments(xs, 5 / 4, 5 / (16 * 3));
    assert.ok(xs.every((x) => x >= 1));
  });
  test('weibullMin(scale 2, concentration 1.5): mean s G(1 + 1/c), variance s^2 (G(1 + 2/c) - G(1 + 1/c)^2); non-negative', () => {
    const xs = vals(random.weibullMin(k, 2, 1.5, [N]));
    const g1 = 0.9027452929509336, g2 = 1.1906393487589988; // python3's math.gamma(1 + 1/1.5), math.gamma(1 + 2/1.5)
    moments(xs, 2 * g1, 4 * (g2 - g1 * g1));
    assert.ok(xs.every((x) => x >= 0));
  });
  test('maxwell: mean 2 sqrt(2/pi), variance 3 - 8/pi; non-negative', () => {
    const xs = vals(random.maxwell(k, [N]));
    moments(xs, 2 * Math.sqrt(2 / Math.PI), 3 - 8 / Math.PI);
    assert.ok(xs.every((x) => x >= 0));
  });
  test('doubleSidedMaxwell(loc 1, scale 2): mean loc, variance 3 scale^2; no draw within scale 1e-3 of loc... (density 0 there)', () => {
    const xs = vals(random.doubleSidedMaxwell(k, 1, 2, [N]));
    moments(xs, 1, 12);
    // density near loc is ~ z^2: P(|z| < 0.05) is about 4e-5
    assert.ok(xs.filter((x) => Math.abs(x - 1) < 0.1).length < 20);
  });
  test('wald(mean 2): mean mu, variance mu^3; positive', () => {
    const xs = vals(random.wald(k, 2, [N], 'float64'));
    moments(xs, 2, 8);
    assert.ok(xs.every((x) => x > 0));
  });
  test('triangular(0, 1, 3): mean (a + b + c)/3, variance (a^2 + b^2 + c^2 - ab - ac - bc)/18; inside [left, right]', () => {
    const xs = vals(random.triangular(k, 0, 1, 3, [N]));
    moments(xs, 4 / 3, 7 / 18);
    assert.ok(xs.every((x) => x >= 0 && x <= 3));
  });
  test('geometric(p 0.3): mean 1/p, variance (1 - p)/p^2; integers from 1', () => {
    const xs = vals(random.geometric(k, 0.3, [N]));
    moments(xs, 1 / 0.3, 0.7 / 0.09);
    assert.ok(xs.every((x) => Number.isInteger(x) && x >= 1));
  });
  test('orthogonal: Haar on O(3): E[Q_ij] = 0, E[Q_ij^2] = 1/3; entries in [-1, 1]', () => {
    const q = vals(random.orthogonal(k, 3, [N / 10]));
    const q00 = q.filter((_, i) => i % 9 === 0);
    moments(q00, 0, 1 / 3);
    assert.ok(q.every((x) => Math.abs(x) <= 1 + 1e-6));
  });
});

describe('jit and vmap: the same values as eager', () => {
  const keys = random.split(random.key(3), 3);
  const samplers: [string, (k: A) => A][] = [
    ['cauchy', (k) => random.cauchy(k, [4])],
    ['lognormal', (k) => random.lognormal(k, 0.5, [4])],
    ['rayleigh', (k) => random.rayleigh(k, 2, [4])],
    ['pareto', (k) => random.pareto(k, 3, [4], 'float64')],
    ['weibullMin', (k) => random.weibullMin(k, 2, 1.5, [4])],
    ['maxwell', (k) => random.maxwell(k, [4])],
    ['doubleSidedMaxwell', (k) => random.doubleSidedMaxwell(k, 1, 2, [4])],
    ['wald', (k) => random.wald(k, 2, [4])],
    ['triangular', (k) => random.triangular(k, 0, 1, 3, [4])],
    ['geometric', (k) => random.geometric(k, 0.3, [4])],
    ['orthogonal', (k) => random.orthogonal(k, 3, [2], 'float64')],
  ];
  for (const [name, f] of samplers) {
    test(`${name}: jit(f)(key), vmap(f)(keys), jit(vmap(f))(keys)`, () => {
      const eager = [0, 1, 2].map((i) => f(keys.get(i)).tolist());
      assert.deepEqual(jit(f)(keys.get(0)).tolist(), eager[0]);
      assert.deepEqual(vmap(f)(keys).tolist(), eager);
      assert.deepEqual(jit(vmap(f))(keys).tolist(), eager);
    });
  }
  test('vmap over parameters (one key) equals each eager draw; parameters traced under jit too', () => {
    const k = random.key(5);
    const ps = [0.5, 1, 2];
    const cases: [string, (p: any) => A][] = [
      ['lognormal', (p) => random.lognormal(k, p, [3])],
      ['rayleigh', (p) => random.rayleigh(k, p, [3])],
      ['pareto', (p) => random.pareto(k, p, [3])],
      ['weibullMin', (p) => random.weibullMin(k, 2, p, [3])],
      ['doubleSidedMaxwell', (p) => random.doubleSidedMaxwell(k, 0, p, [3])],
      ['wald', (p) => random.wald(k, p, [3])],
      ['triangular', (p) => random.triangular(k, 0, p, 3, [3])],
      ['geometric', (p) => random.geometric(k, np.divide(p, 4), [3])],
    ];
    for (const [name, g] of cases) {
      const eager = ps.map((p) => g(np.array(p)).tolist());
      assert.deepEqual(vmap(g)(np.array(ps)).tolist(), eager, name);
      assert.deepEqual(jit(g)(np.array(ps[2])).tolist(), eager[2], name);
    }
  });
});

describe('derivatives (checkGrads to order 2, float64, key fixed)', () => {
  const k = random.key(11);
  test('lognormal w.r.t. sigma, rayleigh w.r.t. scale, pareto w.r.t. b', () => {
    checkGrads((s: A) => random.lognormal(k, s, [5]), [f64(0.7)], { order: 2 });
    checkGrads((s: A) => random.rayleigh(k, s, [5]), [f64([1.5, 0.5, 2, 1, 3])], { order: 2 });
    checkGrads((b: A) => random.pareto(k, b, [5]), [f64(2.5)], { order: 2 });
  });
  test('weibullMin w.r.t. scale and concentration; doubleSidedMaxwell w.r.t. loc and scale', () => {
    checkGrads((s: A, c: A) => random.weibullMin(k, s, c, [5]), [f64(2), f64(1.5)], { order: 2 });
    checkGrads((l: A, s: A) => random.doubleSidedMaxwell(k, l, s, [5]), [f64(0.3), f64(1.7)], { order: 2 });
  });
  test('wald w.r.t. mean, triangular w.r.t. left, mode and right', () => {
    checkGrads((m: A) => random.wald(k, m, [5]), [f64(1.3)], { order: 2 });
    checkGrads((a: A, c: A, b: A) => random.triangular(k, a, c, b, [5]), [f64(-1), f64(0.4), f64(2)], { order: 2 });
  });
  test('explicit derivatives: d rayleigh / d scale = sqrt(-2 log u), d lognormal / d sigma = z exp(sigma z), per draw', () => {
    const u = vals(random.uniform(k, [3], { dtype: 'float64' }));
    const z = vals(random.normal(k, [3], 'float64'));
    const perDraw = (f: (p: A) => A, p: number) => vals(vmap((i: A) => grad((q: A) => np.sum(np.multiply(f(q), np.equal(np.arange(3), i))))(f64(p)))(np.arange(3)));
    close(perDraw((s) => random.rayleigh(k, s, [3]), 2.5), u.map((x) => Math.sqrt(-2 * Math.log(x))), 1e-14);
    close(perDraw((s) => random.lognormal(k, s, [3]), 0.7), z.map((x) => x * Math.exp(0.7 * x)), 1e-14);
  });
});

describe('errors', () => {
  const k = random.key(0);
  test('a bad key is a ValueError naming the sampler', () => {
    assert.throws(() => random.cauchy(np.array([1, 2]) as A, [2]), (e: unknown) => e instanceof ValueError && /^random\.cauchy: a key is uint32 key data of shape \[2\]/.test((e as Error).message));
    assert.throws(() => random.rayleigh(random.split(k, 2), 1, [2]), (e: unknown) => e instanceof ValueError && /^random\.rayleigh: a key.*got uint32\[2, 2\]|^random\.rayleigh: a key/.test((e as Error).message));
    assert.throws(() => random.orthogonal(3 as any, 3), /random\.orthogonal: a key/);
  });
  test('a number as the shape, or a bad shape, is a ShapeError', () => {
    assert.throws(() => random.maxwell(k, 3 as any), (e: unknown) => e instanceof ShapeError && /random\.maxwell: shape must be a list.*\[3\] for 3 draws/.test((e as Error).message));
    assert.throws(() => random.pareto(k, 2, [2, -1]), (e: unknown) => e instanceof ShapeError && /random\.pareto: shape must be a list of non-negative integers/.test((e as Error).message));
  });
  test('parameters that do not broadcast to the shape are a ShapeError (JAX\'s _check_shape)', () => {
    assert.throws(() => random.rayleigh(k, [1, 2, 3], [2]), (e: unknown) => e instanceof ShapeError && /random\.rayleigh: scale of shape \[3\] does not broadcast to the draw's shape \[2\]/.test((e as Error).message));
    assert.throws(() => random.weibullMin(k, 1, [1, 2], []), (e: unknown) => e instanceof ShapeError && /random\.weibullMin: concentration of shape \[2\]/.test((e as Error).message));
    assert.throws(() => random.triangular(k, [0, 0], 1, [2, 3, 4]), (e: unknown) => e instanceof ShapeError && /random\.triangular/.test((e as Error).message));
  });
  test('dtypes: an integer or complex dtype for a float draw, a float dtype for geometric, a float64 parameter into float32', () => {
    assert.throws(() => random.cauchy(k, [2], 'int32'), (e: unknown) => e instanceof DTypeError && /random\.cauchy: dtype must be float32 or float64, got int32/.test((e as Error).message));
    assert.throws(() => random.lognormal(k, 1, [2], { dtype: 'complex64' }), (e: unknown) => e instanceof DTypeError && /random\.lognormal: dtype must be float32 or float64/.test((e as Error).message));
    assert.throws(() => random.geometric(k, 0.5, [2], 'float32'), (e: unknown) => e instanceof DTypeError && /random\.geometric: dtype must be an integer dtype/.test((e as Error).message));
    assert.throws(() => random.rayleigh(k, f64(1), [2], 'float32'), (e: unknown) => e instanceof DTypeError && /random\.rayleigh: scale is float64 but the draw's dtype is float32/.test((e as Error).message));
    assert.throws(() => random.wald(k, np.array([{ re: 1, im: 1 }]), [1]), (e: unknown) => e instanceof DTypeError && /random\.wald: mean must be real/.test((e as Error).message));
    assert.throws(() => random.maxwell(k, [2], 'bogus' as any), DTypeError);
    // float64 parameters give float64 draws by default
    assert.equal(random.rayleigh(k, f64(1), [2]).dtype, 'float64');
    assert.equal(random.rayleigh(k, 1, [2]).dtype, 'float32');
  });
  test('missing parameters, bad orthogonal sizes, extra arguments, an options object then more', () => {
    assert.throws(() => (random.rayleigh as any)(k), (e: unknown) => e instanceof ValueError && /random\.rayleigh: scale is required/.test((e as Error).message));
    assert.throws(() => (random.triangular as any)(k, 0, 1), (e: unknown) => e instanceof ValueError && /random\.triangular: right is required/.test((e as Error).message));
    assert.throws(() => random.orthogonal(k, 0), (e: unknown) => e instanceof ValueError && /random\.orthogonal: n must be a positive integer/.test((e as Error).message));
    assert.throws(() => random.orthogonal(k, 3, [], { m: 1.5 }), (e: unknown) => e instanceof ValueError && /random\.orthogonal: m must be a positive integer.*got 1\.5/.test((e as Error).message));
    assert.throws(() => (random.cauchy as any)(k, [2], 'float32', 7), (e: unknown) => e instanceof ValueError && /random\.cauchy: takes at most 3 arguments/.test((e as Error).message));
    assert.throws(() => (random.pareto as any)(k, { b: 2 }, [3]), (e: unknown) => e instanceof ValueError && /random\.pareto: give b, shape, dtype in one options object/.test((e as Error).message));
    assert.throws(() => (random.pareto as any)(k, { b: 2, size: [3] }), (e: unknown) => e instanceof ValueError && /random\.pareto: unknown option 'size'/.test((e as Error).message));
  });
  test('samplers not offered yet are NotImplementedErrors naming JAX\'s, with a pointer where one exists', () => {
    const notYet: [string, RegExp][] = [
      ['generalizedNormal', /^random\.generalizedNormal: not offered yet \(JAX's jax\.random\.generalized_normal\).*p = 2/],
      ['ball', /^random\.ball: not offered yet.*uniform in the unit ball/],
      ['poisson', /^random\.poisson: not offered yet/],
      ['binomial', /^random\.binomial: not offered yet.*bernoulli/],
      ['multinomial', /^random\.multinomial: not offered yet.*categorical/],
    ];
    for (const [name, re] of notYet) {
      assert.throws(() => (random as any)[name](k, 2, [3]), (e: unknown) => e instanceof NotImplementedError && re.test((e as Error).message), name);
      assert.ok(!Object.keys(random).includes(name), `${name} is not listed among the offered samplers`);
    }
  });
  test('ball\'s p = 2 pointer is uniform in the unit ball: P(|x| < 1/2) = 1/2^d', () => {
    const [k1, k2] = random.split(random.key(9));
    const d = 3, n = 20000;
    const z = random.normal(k1, [n, d], 'float64');
    const x = np.divide(z, np.expandDims(np.sqrt(np.add(np.sum(np.multiply(z, z), { axis: -1 }), np.multiply(2, random.exponential(k2, [n], 'float64')))), -1));
    const r = vals(np.sqrt(np.sum(np.multiply(x, x), { axis: -1 })));
    assert.ok(r.every((v) => v < 1));
    const p = r.filter((v) => v < 0.5).length / n;
    assert.ok(Math.abs(p - 1 / 8) < 5 * Math.sqrt((1 / 8) * (7 / 8) / n), `P(|x| < 1/2) = ${p}`);
  });
});

// ------------------------------------------------------------------ gamma and its family
// The reference below is JAX's _gamma_one (jax/_src/random/core.py) written out in plain JS on
// the library's own split/normal/uniform draws from the keys JAX's algorithm uses; float32 steps
// rounded by Math.fround as XLA rounds them. It counts the rejections and the normal redraws
// (v <= 0), so that a test can require it has been through both loops.
type Dt = 'float32' | 'float64';
const counts = { rejections: 0, redraws: 0 };
function keysOf(k: A, n: number): A[] {
  const s = random.split(k, n);
  return Array.from({ length: n }, (_, i) => s.get(i));
}
function gammaRef(k: A, alpha: number, logSpace: boolean, dt: Dt): number {
  const R = dt === 'float32' ? Math.fround : (x: number) => x;
  const a0 = R(alpha);
  const boosted = a0 >= 1;
  const al = boosted ? a0 : R(a0 + 1);
  const d = R(al - R(1 / 3));
  const c = R(R(1 / 3) / R(Math.sqrt(d)));
  let [key, subkey] = keysOf(k, 2);
  let X = 0, V = 1, U = 2, first = true;
  while (U >= R(1 - R(R(0.0331) * R(X * X))) && R(Math.log(U)) >= R(R(X * 0.5) + R(d * R(R(1 - V) + R(Math.log(V)))))) {
    if (!first) counts.rejections++;
    first = false;
    const [next, xKey, uKey] = keysOf(key, 3);
    key = next;
    let kk = xKey, x = 0, v = -1, tries = 0;
    while (v <= 0) {
      const [n2, sub] = keysOf(kk, 2);
      kk = n2;
      x = vals(random.normal(sub, [], dt))[0];
      v = R(1 + R(x * c));
      if (tries++ > 0) counts.redraws++;
    }
    X = R(x * x); V = R(R(v * v) * v); U = vals(random.uniform(uKey, [], { dtype: dt }))[0];
  }
  const u = vals(random.uniform(subkey, [], { dtype: dt }))[0];
  if (logSpace) {
    const ls = R(Math.log1p(-u)); // -exponential(subkey) = log1p(-u)
    const logBoost = boosted || ls === 0 ? 0 : R(ls * R(1 / a0));
    return R(R(R(Math.log(d)) + R(Math.log(V))) + logBoost);
  }
  const boost = boosted ? 1 : R(R(1 - u) ** R(1 / a0));
  return R(R(d * V) * boost);
}
/** gamma's draws of `alphas` (one per element): the element keys split(key, n), as JAX's _gamma_impl. */
const gammaRefs = (k: A, alphas: number[], logSpace: boolean, dt: Dt) => {
  const ks = keysOf(k, alphas.length);
  return alphas.map((a, i) => gammaRef(ks[i], a, logSpace, dt));
};

describe('gamma, loggamma, beta, dirichlet, chisquare, t, f', () => {
  const k = random.key(21);
  test('gamma: JAX\'s Marsaglia-Tsang on split(key, size) element keys, both loops exercised (float64 and float32, a < 1 and a >= 1)', () => {
    const alphas = Array.from({ length: 150 }, (_, i) => [0.3, 1, 2.5, 0.05, 7][i % 5]);
    counts.rejections = 0; counts.redraws = 0;
    close(vals(random.gamma(k, f64(alphas))), gammaRefs(k, alphas, false, 'float64'), 1e-13);
    assert.ok(counts.rejections > 0, 'the reference rejected at least once');
    close(vals(random.gamma(k, alphas)), gammaRefs(k, alphas, false, 'float32'), 2e-5);
    // a = 1e-6 (boosted: d = 2/3, c = 0.41) redraws x where v = 1 + c x <= 0, x < -2.45, about once in
    // 140 draws: two of key(6)'s 40 element keys do
    const small = Array(40).fill(1e-6);
    counts.redraws = 0;
    close(vals(random.gamma(random.key(6), f64(small))), gammaRefs(random.key(6), small, false, 'float64'), 1e-12);
    assert.ok(counts.redraws > 0, `the reference redrew the normal (${counts.redraws})`);
  });
  test('loggamma: the same loop, the boost added in log space; exp(loggamma) is gamma\'s draw', () => {
    const alphas = [0.3, 1, 2.5, 0.05, 7, 0.7];
    close(vals(random.loggamma(k, f64(alphas))), gammaRefs(k, alphas, true, 'float64'), 1e-13, 1e-14);
    close(vals(random.loggamma(k, alphas)), gammaRefs(k, alphas, true, 'float32'), 2e-5, 1e-6);
    close(vals(np.exp(random.loggamma(k, f64(alphas)))), vals(random.gamma(k, f64(alphas))), 1e-13);
    // small a: gamma underflows toward 0, loggamma stays finite
    const lg = vals(random.loggamma(k, 1e-3, [200]));
    assert.ok(lg.every(Number.isFinite) && Math.min(...lg) < -100);
  });
  test('shapes: a broadcast to the shape, then one element key each (gamma(key, 2, [2, 3]) is gamma of the full [2, 3] a)', () => {
    const g = random.gamma(k, f64([1.5, 0.5, 3]), [2, 3]);
    assert.deepEqual(g.shape, [2, 3]);
    close(vals(g), gammaRefs(k, [1.5, 0.5, 3, 1.5, 0.5, 3], false, 'float64'), 1e-13);
    assert.deepEqual(random.gamma(k, 2, [0]).shape, [0]);
    assert.deepEqual(random.gamma(k, [[1, 2]]).shape, [1, 2]);
    assert.deepEqual(vals(random.gamma(k, { a: 2, shape: [3] })), vals(random.gamma(k, 2, [3])));
  });
  test('beta: [kA, kB] = split(key); la, lb loggamma draws; exp(la - m) / (exp(la - m) + exp(lb - m))', () => {
    const [kA, kB] = keysOf(k, 2);
    const a = [0.5, 2, 3], b = [0.8, 0.3, 5];
    const la = gammaRefs(kA, a, true, 'float64'), lb = gammaRefs(kB, b, true, 'float64');
    const want = la.map((x, i) => { const m = Math.max(x, lb[i]); return Math.exp(x - m) / (Math.exp(x - m) + Math.exp(lb[i] - m)); });
    close(vals(random.beta(k, f64(a), f64(b))), want, 1e-12);
  });
  test('dirichlet: softmax of loggamma(key, alpha, [...shape, n]) along the last axis; shape is the batch shape', () => {
    const alpha = [0.5, 1, 3];
    const lg = gammaRefs(k, [...alpha, ...alpha], true, 'float64');
    const want = [0, 3].flatMap((o) => { const r = lg.slice(o, o + 3); const m = Math.max(...r); const e = r.map((x) => Math.exp(x - m)); const s = e[0] + e[1] + e[2]; return e.map((x) => x / s); });
    const got = random.dirichlet(k, f64(alpha), [2]);
    assert.deepEqual(got.shape, [2, 3]);
    close(vals(got), want, 1e-12);
    assert.deepEqual(random.dirichlet(k, f64([alpha, alpha])).shape, [2, 3]);
    assert.deepEqual(random.dirichlet(k, alpha, [4, 2]).shape, [4, 2, 3]);
    // empty draws are empty (JAX's softmax max has initial -inf)
    assert.deepEqual(random.dirichlet(k, np.zeros([2, 0])).shape, [2, 0]);
    assert.deepEqual(random.dirichlet(k, alpha, [0]).shape, [0, 3]);
  });
  test('chisquare: 2 exp(loggamma(key, df / 2)); t: [kN, kG] = split(key), normal(kN) sqrt((df/2) / gamma(kG, df/2)); f: [kDen, kNum] = split(key)', () => {
    const df = [1, 3, 0.6, 10];
    close(vals(random.chisquare(k, f64(df))), gammaRefs(k, df.map((d) => d / 2), true, 'float64').map((x) => 2 * Math.exp(x)), 1e-12);
    const [kN, kG] = keysOf(k, 2);
    const z = vals(random.normal(kN, [4], 'float64'));
    const g = gammaRefs(kG, df.map((d) => d / 2), false, 'float64');
    close(vals(random.t(k, f64(df))), z.map((x, i) => x * Math.sqrt(df[i] / 2 / g[i])), 1e-12);
    const [kDen, kNum] = keysOf(k, 2);
    const dn = [2, 5, 0.8], dd = [3, 12, 1.5];
    const cn = gammaRefs(kNum, dn.map((d) => d / 2), true, 'float64').map((x) => 2 * Math.exp(x));
    const cd = gammaRefs(kDen, dd.map((d) => d / 2), true, 'float64').map((x) => 2 * Math.exp(x));
    close(vals(random.f(k, f64(dn), f64(dd))), cn.map((x, i) => (x / dn[i]) / (cd[i] / dd[i])), 1e-12);
  });
  test('moments of 10^5 draws: gamma (a = 0.4, 3), loggamma (digamma, trigamma), beta, dirichlet, chisquare, t (df 10), f', () => {
    const m = random.key(77);
    for (const a of [0.4, 3]) moments(vals(random.gamma(m, a, [N])), a, a);
    // scipy's digamma(a), polygamma(1, a) for a = 0.4 and 3
    moments(vals(random.loggamma(m, 0.4, [N])), -2.5613845445851164, 7.275356590529597);
    moments(vals(random.loggamma(m, 3, [N])), 0.9227843350984671, 0.39493406684822646);
    moments(vals(random.beta(m, 2, 0.5, [N])), 0.8, (2 * 0.5) / (2.5 * 2.5 * 3.5));
    moments(vals(random.beta(m, 0.3, 0.6, [N])), 1 / 3, (0.3 * 0.6) / (0.81 * 1.9));
    const dir = vals(random.dirichlet(m, [0.5, 1, 3], [N]));
    [0.5, 1, 3].forEach((ai, j) => moments(dir.filter((_, i) => i % 3 === j), ai / 4.5, ai * (4.5 - ai) / (4.5 * 4.5 * 5.5)));
    moments(vals(random.chisquare(m, 3, [N])), 3, 6);
    moments(vals(random.chisquare(m, 0.8, [N])), 0.8, 1.6);
    moments(vals(random.t(m, 10, [N])), 0, 10 / 8);
    moments(vals(random.f(m, 5, 12, [N])), 12 / 10, (2 * 144 * 15) / (5 * 100 * 8));
  });
  test('support: gamma > 0, beta in (0, 1) (float64; float32 in [0, 1]), dirichlet rows sum to 1, chisquare and f positive', () => {
    const s = random.key(8);
    assert.ok(vals(random.gamma(s, f64(0.4), [N])).every((x) => x > 0));
    assert.ok(vals(random.gamma(s, 3, [N])).every((x) => x > 0 && Number.isFinite(x)));
    assert.ok(vals(random.beta(s, f64(2), f64(0.5), [N])).every((x) => x > 0 && x < 1));
    assert.ok(vals(random.beta(s, 2, 0.5, [N])).every((x) => x >= 0 && x <= 1));
    const d = vals(random.dirichlet(s, [0.2, 1, 3], [N / 10]));
    for (let i = 0; i < d.length; i += 3) assert.ok(Math.abs(d[i] + d[i + 1] + d[i + 2] - 1) < 1e-6 && d[i] >= 0 && d[i + 1] >= 0 && d[i + 2] >= 0);
    assert.ok(vals(random.chisquare(s, 2, [N])).every((x) => x > 0));
    assert.ok(vals(random.f(s, 3, 4, [N])).every((x) => x > 0 && Number.isFinite(x)));
  });
  test('jit and vmap (over keys, over parameters) equal eager', () => {
    const keys = random.split(random.key(3), 3);
    const cases: [string, (kk: A) => A][] = [
      ['gamma', (kk) => random.gamma(kk, 0.5, [4])],
      ['loggamma', (kk) => random.loggamma(kk, 2, [4], 'float64')],
      ['beta', (kk) => random.beta(kk, 0.5, 2, [4])],
      ['dirichlet', (kk) => random.dirichlet(kk, [0.5, 1, 2], [2])],
      ['chisquare', (kk) => random.chisquare(kk, 3, [4])],
      ['t', (kk) => random.t(kk, 5, [4])],
      ['f', (kk) => random.f(kk, 3, 7, [4])],
    ];
    for (const [name, g] of cases) {
      const eager = [0, 1, 2].map((i) => g(keys.get(i)).tolist());
      assert.deepEqual(jit(g)(keys.get(0)).tolist(), eager[0], name);
      assert.deepEqual(vmap(g)(keys).tolist(), eager, name);
      assert.deepEqual(jit(vmap(g))(keys).tolist(), eager, name);
    }
    const kp = random.key(5);
    const ps = [0.3, 1, 4];
    const byParam: [string, (p: any) => A][] = [
      ['gamma', (p) => random.gamma(kp, p, [3])],
      ['beta', (p) => random.beta(kp, p, 2, [3])],
      ['t', (p) => random.t(kp, p, [3])],
      ['f', (p) => random.f(kp, 3, p, [3])],
    ];
    for (const [name, g] of byParam) {
      const eager = ps.map((p) => g(np.array(p)).tolist());
      assert.deepEqual(vmap(g)(np.array(ps)).tolist(), eager, name);
      assert.deepEqual(jit(g)(np.array(ps[0])).tolist(), eager[0], name);
    }
  });
  test('derivatives with respect to the shape parameters are refused (NotImplementedError naming the sampler), never a loop\'s derivative', () => {
    const kd = random.key(11);
    const refused: [string, string, (p: A) => A][] = [
      ['gamma', 'a', (p) => random.gamma(kd, p, [3])],
      ['loggamma', 'a', (p) => random.loggamma(kd, p, [3])],
      ['beta', 'a', (p) => random.beta(kd, p, f64(2), [3])],
      ['beta', 'b', (p) => random.beta(kd, f64(2), p, [3])],
      ['dirichlet', 'alpha', (p) => random.dirichlet(kd, np.stack([p, p]))],
      ['chisquare', 'df', (p) => random.chisquare(kd, p, [3])],
      ['t', 'df', (p) => random.t(kd, p, [3])],
      ['f', 'dfnum', (p) => random.f(kd, p, f64(4), [3])],
      ['f', 'dfden', (p) => random.f(kd, f64(4), p, [3])],
    ];
    for (const [name, param, g] of refused) {
      const re = new RegExp(`^random\\.${name}: the derivative with respect to ${param} is not implemented`);
      const is = (e: unknown) => e instanceof NotImplementedError && re.test((e as Error).message);
      assert.throws(() => grad((p: A) => np.sum(g(p)))(f64(1.5)), is, `grad ${name}`);
      assert.throws(() => jvp(g, [f64(1.5)], [f64(1)]), is, `jvp ${name}`);
      assert.throws(() => jit(grad((p: A) => np.sum(g(p))))(f64(1.5)), is, `jit(grad) ${name}`);
    }
    // a draw as a constant differentiates: d/dx (x sum(gamma(key, 2, [3]))) = sum of the draws
    const draws = random.gamma(kd, f64(2), [3]);
    close(vals(grad((x: A) => np.multiply(x, np.sum(random.gamma(kd, f64(2), [3]))))(f64(0.5))), [vals(draws).reduce((p, q) => p + q)], 1e-14);
  });
  test('parameters as JAX takes them (not checked): a <= -1 or NaN gives NaN, a = 0 gives 0, a = inf inf, -1 < a < 0 JAX\'s boosted draw', () => {
    const g = vals(random.gamma(k, f64([-2, -1, NaN, 0, Infinity, -0.5])));
    assert.ok(Number.isNaN(g[0]) && Number.isNaN(g[1]) && Number.isNaN(g[2]));
    assert.deepEqual(g.slice(3, 5), [0, Infinity]);
    close([g[5]], [gammaRefs(k, [-2, -1, NaN, 0, Infinity, -0.5], false, 'float64')[5]], 1e-13);
    assert.ok(g[5] > 0);
    assert.ok(vals(random.beta(k, -2, 1, [3])).every(Number.isNaN));
  });
  test('errors: dtypes, shapes, missing parameters, dirichlet\'s alpha', () => {
    assert.throws(() => random.gamma(k, 2, [2], 'int32'), (e: unknown) => e instanceof DTypeError && /^random\.gamma: dtype must be float32 or float64, got int32/.test((e as Error).message));
    assert.throws(() => random.t(k, np.array([{ re: 1, im: 1 }]), [1]), (e: unknown) => e instanceof DTypeError && /^random\.t: df must be real/.test((e as Error).message));
    // JAX's gamma, loggamma and dirichlet cast a float64 parameter to a float32 draw; beta, chisquare, t and f refuse it
    assert.equal(random.gamma(k, f64(2), [2], 'float32').dtype, 'float32');
    assert.equal(random.dirichlet(k, f64([1, 2]), null, 'float32').dtype, 'float32');
    assert.equal(random.gamma(k, f64(2), [2]).dtype, 'float64');
    assert.throws(() => random.beta(k, f64(2), 1, [2], 'float32'), (e: unknown) => e instanceof DTypeError && /^random\.beta: a is float64 but the draw's dtype is float32/.test((e as Error).message));
    assert.throws(() => random.f(k, 1, f64(2), [2], 'float32'), (e: unknown) => e instanceof DTypeError && /^random\.f: dfden is float64/.test((e as Error).message));
    assert.throws(() => random.gamma(k, [1, 2, 3], [2]), (e: unknown) => e instanceof ShapeError && /^random\.gamma: a of shape \[3\] does not broadcast to the draw's shape \[2\]/.test((e as Error).message));
    assert.throws(() => random.beta(k, [1, 2], [1, 2, 3]), ShapeError);
    assert.throws(() => random.dirichlet(k, 2), (e: unknown) => e instanceof ValueError && /^random\.dirichlet: alpha must be at least 1-d/.test((e as Error).message));
    assert.throws(() => random.dirichlet(k, [[1, 2], [3, 4], [5, 6]], [2]), (e: unknown) => e instanceof ShapeError && /^random\.dirichlet: alpha's batch axes.*\[3\] does not broadcast to the draw's shape \[2\]/.test((e as Error).message));
    assert.throws(() => (random.gamma as any)(k), (e: unknown) => e instanceof ValueError && /^random\.gamma: a is required/.test((e as Error).message));
    assert.throws(() => (random.f as any)(k, 2), (e: unknown) => e instanceof ValueError && /^random\.f: dfden is required/.test((e as Error).message));
    assert.throws(() => random.chisquare(np.array([1, 2, 3]) as A, 2), (e: unknown) => e instanceof ValueError && /^random\.chisquare: a key/.test((e as Error).message));
    assert.throws(() => random.t(k, 2, 3 as any), (e: unknown) => e instanceof ShapeError && /^random\.t: shape must be a list/.test((e as Error).message));
    for (const name of ['gamma', 'loggamma', 'beta', 'dirichlet', 'chisquare', 't', 'f']) assert.ok(Object.keys(random).includes(name), `${name} is offered`);
  });
});
