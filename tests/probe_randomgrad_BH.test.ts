// Probe of the random samplers' reparameterized gradients and parameter handling (helper-284):
// gradients w.r.t. distribution parameters against float64 finite differences and mpmath, eager vs
// jit vs vmap bit for bit, misuse. Regressions for the defects found: uniform and truncatedNormal
// read float64 parameters into a float32 draw (the distribution collapsed: uniform on
// [1e8, 1e8 + 1) drew 1e8 every time; truncatedNormal's gradient w.r.t. its bounds was 12% off),
// where bernoulli, multivariateNormal and random_more's samplers draw in float64; and complex
// parameters had their imaginary parts dropped silently by uniform, truncatedNormal,
// multivariateNormal, bernoulli, choice and categorical (random_more's samplers refuse them).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { np, random, grad, jit, DTypeError, ValueError } from '../ts/index.ts';

type A = any;
const f64 = (x: unknown) => np.array(x as any, { dtype: 'float64' });
const vals = (a: A) => Array.from(a.dataSync() as Float64Array) as number[];

describe('float64 parameters draw in float64', () => {
  test('uniform with float64 minval/maxval and no dtype is a float64 draw (was float32: every draw 1e8)', () => {
    // u = JAX's float64 unit uniforms of key(0): from tests/probe_random_I.test.ts's rayleigh
    // reference (Python threefry, u = exp(-(r / 0.1)^2 / 2)); 1e8 + u in Python float64
    const want = [100000000.57450053, 100000000.09968609, 100000000.74196595];
    const u = random.uniform(random.key(0), [3], { minval: f64(1e8), maxval: f64(1e8 + 1) });
    assert.equal(u.dtype, 'float64');
    vals(u).forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= 3e-8, `uniform[${i}] = ${g}, want ${want[i]}`));
    // positional form and one float64 bound with a JS-number other
    assert.equal(random.uniform(random.key(0), [2], null, f64(0), 1).dtype, 'float64');
    assert.equal(random.uniform(random.key(0), [2], { maxval: f64(2) }).dtype, 'float64');
    // an explicit dtype is kept (JAX casts the bounds to it); JS numbers still give float32
    assert.equal(random.uniform(random.key(0), [2], { minval: f64(0), dtype: 'float32' }).dtype, 'float32');
    assert.equal(random.uniform(random.key(0), [2], { minval: 0, maxval: 2 }).dtype, 'float32');
    // under jit the same
    const j = jit((lo: A, hi: A) => random.uniform(random.key(0), [3], { minval: lo, maxval: hi }))(f64(1e8), f64(1e8 + 1));
    assert.deepEqual(vals(j), vals(u));
  });
  test('truncatedNormal with float64 bounds and no dtype: float64 draw, gradient w.r.t. the bounds right (was 3.5 for 4)', () => {
    const k = random.key(5);
    const t = random.truncatedNormal(k, f64(0.1), f64(0.1 + 1e-7), [4]);
    assert.equal(t.dtype, 'float64');
    for (const x of vals(t)) assert.ok(x > 0.1 && x < 0.1 + 1e-7, `draw ${x} outside (0.1, 0.1 + 1e-7)`);
    // shifting both bounds by h shifts each draw by h (1 - O(1e-7)): d/dp sum of 4 draws = 4
    // (closed form: dx/da = ((1 - f) phi(a) + f phi(b)) / phi(x), every phi equal to 1e-7 relative)
    const g = grad((p: A) => np.sum(random.truncatedNormal(k, p, np.add(p, 1e-7), [4])))(f64(0.1)).item() as number;
    assert.ok(Math.abs(g - 4) < 1e-5, `grad ${g}, want 4`);
    assert.equal(random.truncatedNormal(k, -1, f64(1), [2]).dtype, 'float64');
    assert.equal(random.truncatedNormal(k, -1, 1, [2]).dtype, 'float32');
    assert.equal(random.truncatedNormal(k, f64(-1), 1, [2], 'float32').dtype, 'float32');
  });
});

describe('complex parameters are refused, not read as their real parts', () => {
  const k = random.key(0);
  const c2 = () => np.complex(np.array([0.5, 0.5]), np.array([1, 1]));
  const is = (re: RegExp) => (e: unknown) => e instanceof DTypeError && re.test((e as Error).message);
  test('each sampler names the argument', () => {
    assert.throws(() => random.uniform(k, [2], { minval: np.complex(1, 2) as A }), is(/random\.uniform: minval must be real.*complex64/));
    assert.throws(() => random.uniform(k, [2], { maxval: { re: 1, im: 2 } as A }), is(/random\.uniform: maxval must be real/));
    assert.throws(() => random.truncatedNormal(k, np.complex(-1, 2) as A, 1, [2]), is(/random\.truncatedNormal: lower must be real/));
    assert.throws(() => random.multivariateNormal(k, c2() as A, np.eye(2)), is(/random\.multivariateNormal: mean must be real/));
    assert.throws(() => random.bernoulli(k, np.complex(0.5, 1) as A, [3]), is(/random\.bernoulli: p must be real/));
    assert.throws(() => random.choice(k, 2, [3], true, c2() as A), is(/random\.choice: p must be real/));
    assert.throws(() => random.categorical(k, c2() as A), is(/random\.categorical: logits must be real/));
    // a missing bound is named
    assert.throws(() => random.truncatedNormal(k, undefined as A, 1, [2]), (e: unknown) => e instanceof ValueError && /truncatedNormal: lower is required/.test((e as Error).message));
    // and the library is still usable
    assert.equal(random.uniform(k, [2]).shape[0], 2);
  });
});

describe('reparameterized gradients (no defect: kept as a guard)', () => {
  test('truncatedNormal bounds, tails and series region against mpmath', () => {
    // dx/da for x = Phi^-1(Phi(a) + f (Phi(b) - Phi(a))), b = a + 0.7 shifted together: mpmath at 50
    // digits from each float64 draw x (f recovered from x), ((1 - f) phi(a) + f phi(b)) / phi(x)
    const k = random.key(5);
    const ref: Record<number, number[]> = {
      0.5: [0.9427640608968126, 0.9435433273731986, 0.9439709416729232],
      7: [0.979764034927627, 0.9789482407323108, 0.9785431051804528],
      31: [0.998805735645524, 0.9987536044738261, 0.9987275499621279],
    };
    for (const [a, want] of Object.entries(ref)) {
      want.forEach((w, i) => {
        const g = grad((p: A) => np.index(random.truncatedNormal(k, p, np.add(p, 0.7), [3], 'float64'), i))(f64(Number(a))).item() as number;
        assert.ok(Math.abs(g - w) <= 1e-12, `a = ${a}, draw ${i}: grad ${g}, want ${w}`);
      });
    }
  });
});
