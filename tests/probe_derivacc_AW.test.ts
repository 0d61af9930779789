// helper-273: accuracy of first and second derivatives of elementwise functions at delicate
// arguments. Every reference below is a literal from mpmath at 50 digits (closed forms:
// sinc' = pi (t cos t - sin t) / t^2, sinc'' = pi^2 (2 sin t - 2 t cos t - t^2 sin t) / t^3 with
// t = pi x; gelu's tanh form as x sigmoid(2u), u = sqrt(2/pi)(x + 0.044715 x^3), differentiated
// by mp.diff), evaluated at the exact float the test passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, jvp } from '../ts/index.ts';

const EPS = { float32: 2 ** -23, float64: 2 ** -52 } as const;
type D = keyof typeof EPS;
/** |got - want| in units of want's relative epsilon. */
const ulps = (got: number, want: number, dt: D) => Math.abs(got - want) / (Math.abs(want) * EPS[dt]);
const d1 = (f: (x: any) => any) => grad(f);
const d2 = (f: (x: any) => any) => grad(grad(f));
const at = (x: number, dt: D) => np.array(x, { dtype: dt });

test('sinc: first and second derivatives keep their digits near the Maclaurin cut (|pi x| ~ 0.1)', () => {
  // was (float64): d1 111 ulp, d2 579 ulp at 0.032 (past the old cut, where (pi x cos - sin)
  // cancels); d2 190 ulp at 0.03 (inside it: the polynomial through u^4 had the wrong curvature)
  const cases: [number, D, number, number][] = [
    [0.032, 'float64', -0.10516942197134778238, -3.2798994417360869616],
    [0.03, 'float64', -0.098608403636004571645, -3.2811059497053976038],
    [0.3, 'float64', -0.90202813013888879218, -2.4584852862661742881],
    [0.5, 'float64', -1.2732395447351626862, -1.1902271282389357323],
    [Math.fround(0.032), 'float32', -0.10516942695652742813, -3.2798994407896817391], // was 142 / 136 ulp
    [Math.fround(0.1), 'float32', -0.32575127264110917842, -3.1930298330958151039], // was 24 / 44 ulp
  ];
  for (const [x, dt, w1, w2] of cases) {
    for (const s of [1, -1]) { // odd first derivative, even second
      const g1 = d1(np.sinc)(at(s * x, dt)).item() as number;
      const g2 = d2(np.sinc)(at(s * x, dt)).item() as number;
      const f1 = jvp(np.sinc, [at(s * x, dt)], [at(1, dt)])[1].item() as number;
      assert.ok(ulps(g1, s * w1, dt) < 8, `sinc'(${s * x}) ${dt}: ${g1} vs ${s * w1}`);
      assert.ok(ulps(f1, s * w1, dt) < 8, `fwd sinc'(${s * x}) ${dt}: ${f1} vs ${s * w1}`);
      assert.ok(ulps(g2, w2, dt) < 8, `sinc''(${s * x}) ${dt}: ${g2} vs ${w2}`);
    }
  }
  // unchanged where it was right: 1 at 0, -pi^2/3 curvature there, exact zeros at integers
  assert.equal(np.sinc(at(0, 'float64')).item(), 1);
  assert.ok(ulps(d2(np.sinc)(at(0, 'float64')).item() as number, -(Math.PI ** 2) / 3, 'float64') < 4);
  assert.equal(np.sinc(at(3, 'float64')).item(), 0);
});

test('gelu (tanh approximation): no cancellation in the tails, no NaN gradient at large |x|', () => {
  // float32 gelu(-5) was -2.98e-7 (1 + tanh u cancelled), grad -2.01e-6: 30% off
  assert.ok(ulps(np.gelu(at(-5, 'float32')).item() as number, -2.2917961966295060456e-7, 'float32') < 8);
  assert.ok(ulps(d1(np.gelu)(at(-5, 'float32')).item() as number, -1.5463619875325945956e-6, 'float32') < 8);
  // float64 too: gelu(-7) was -2.3315e-15 (0.7% off; JAX's 0.5 x (1 + tanh u) gives the same)
  assert.ok(ulps(np.gelu(at(-7, 'float64')).item() as number, -2.315442262072548963e-15, 'float64') < 64);
  // float32 gelu'(-10) was 0 (1 - tanh^2 = 0); the true value is a normal float32
  assert.ok(ulps(d1(np.gelu)(at(-10, 'float32')).item() as number, -2.7576380638540316073e-36, 'float32') < 16);
  // float64 gelu''(+-5) was 4e5 ulp off
  for (const x of [5, -5]) assert.ok(ulps(d2(np.gelu)(at(x, 'float64')).item() as number, -9.9341322249962020723e-6, 'float64') < 16, `gelu''(${x})`);
  assert.ok(ulps(d1(np.gelu)(at(3, 'float64')).item() as number, 1.0115841666309697262, 'float64') < 8);
  // x^3 overflowed: grad was 0 * inf = NaN at 1e20 (float32) and 1e200 (float64); it is 1 (0 below)
  for (const dt of ['float32', 'float64'] as const) {
    const big = dt === 'float32' ? 1e20 : 1e200;
    assert.equal(np.gelu(at(big, dt)).item(), dt === 'float32' ? Math.fround(big) : big);
    assert.equal(d1(np.gelu)(at(big, dt)).item(), 1);
    assert.equal(d1(np.gelu)(at(-big, dt)).item(), 0);
    assert.equal(d2(np.gelu)(at(big, dt)).item(), 0);
    assert.equal(jvp(np.gelu, [at(big, dt)], [at(1, dt)])[1].item(), 1);
  }
  // a batch mixing both regimes stays elementwise
  const xs = np.array([-1e30, -3, 0, 3, 1e30], { dtype: 'float32' });
  const g = grad((a: any) => np.sum(np.gelu(a)))(xs).tolist() as number[];
  assert.deepEqual([g[0], g[2], g[4]], [0, 0.5, 1]);
  assert.ok(ulps(g[3], 1.0115841666309697262, 'float32') < 8);
});
