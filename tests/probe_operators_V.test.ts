// helper-246's probe of the derivative operators and checkGrads. Defect fixed: checkGrads'
// default atol (1e-5 float64) is absolute, so for a function whose derivatives are small a
// rule of the wrong sign, zero, or 1% off passed (f = 1e-6 sin(x): |J v| ~ 1e-6 < atol). The
// default atol is now scaled to the derivatives where they are below 1 and the float64
// differences are smooth (ts/api/check_grads.ts: scaledAtol, smooth, refined).
// Closed forms below are by hand: d/dx c sin(x) = c cos(x); Laplacian of exp(-|x|^2) in R^n is
// (4|x|^2 - 2n) exp(-|x|^2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, checkGrads, customJvp, customVjp, GradientCheckError, laplacian, divergence, hessianDiagonal, gnvp, jit, vmap, type Array as NDArray } from '../ts/index.ts';

const f64 = (v: number[] | number[][]) => np.array(v, { dtype: 'float64' });
const xs = [[0.3, -1.2, 2.0], [0.7, 0.1, -0.4]];
const csin = (c: number, r: number) => ({
  jvp: customJvp((x: NDArray) => np.multiply(c, np.sin(x)), ([x]: NDArray[], [t]: NDArray[]) => [np.multiply(c, np.sin(x)), np.multiply(r * c, np.multiply(np.cos(x), t))]),
  vjp: customVjp((x: NDArray) => np.multiply(c, np.sin(x)), (x: NDArray) => [np.multiply(c, np.sin(x)), x], (x: NDArray, g: NDArray) => [np.multiply(r * c, np.multiply(np.cos(x), g))]),
});

test('checkGrads fails a wrong rule for a small-scale float64 function (it passed: atol 1e-5 is above |J v|)', () => {
  for (const c of [1e-3, 1e-6, 1e-9, 1e-12]) {
    for (const r of [-1, 0, 1.01]) {
      for (const seed of [0, 1]) {
        const { jvp, vjp } = csin(c, r);
        assert.throws(() => checkGrads(jvp, [f64(xs)], { order: 1, modes: ['fwd'], seed }), GradientCheckError, `jvp fwd c ${c} r ${r}`);
        assert.throws(() => checkGrads(jvp, [f64(xs)], { order: 1, modes: ['rev'], seed }), GradientCheckError, `jvp rev c ${c} r ${r}`);
        assert.throws(() => checkGrads(vjp, [f64(xs)], { order: 1, modes: ['rev'], seed }), GradientCheckError, `vjp rev c ${c} r ${r}`);
      }
    }
  }
  // the message says the atol was scaled and how to set it
  assert.throws(() => checkGrads(csin(1e-6, -1).jvp, [f64(xs)], { order: 1 }), (e: unknown) => e instanceof GradientCheckError &&
    /atol was scaled to them .* pass \{ atol \} to set it/.test((e as Error).message));
  // a user's atol is kept, as before
  checkGrads(csin(1e-6, -1).jvp, [f64(xs)], { order: 1, atol: 1e-5 });
  // wrong only in the second derivative, small scale: order 2 sees it
  const cosOff = customJvp((x: NDArray) => np.cos(x), ([x]: NDArray[], [t]: NDArray[]) => [np.cos(x), np.multiply(np.multiply(-1.01, np.sin(x)), t)]);
  const s2 = customJvp((x: NDArray) => np.multiply(1e-7, np.sin(x)), ([x]: NDArray[], [t]: NDArray[]) => [np.multiply(1e-7, np.sin(x)), np.multiply(np.multiply(1e-7, cosOff(x)), t)]);
  checkGrads(s2, [f64(xs)], { order: 1 });
  assert.throws(() => checkGrads(s2, [f64(xs)], { order: 2, modes: ['fwd'] }), GradientCheckError);
  assert.throws(() => checkGrads(s2, [f64(xs)], { order: 2, modes: ['rev'] }), GradientCheckError);
});

test('checkGrads still passes correct small-scale and cancelling functions', () => {
  for (const c of [1e-1, 1e-3, 1e-6, 1e-9]) {
    for (const dtype of ['float32', 'float64'] as const) {
      const x = np.array(xs, { dtype });
      for (const seed of [0, 1, 2]) {
        checkGrads(csin(c, 1).jvp, [x], { seed });
        checkGrads(csin(c, 1).vjp, [x], { seed, modes: ['rev'] });
        checkGrads((v: NDArray) => np.multiply(c, np.tanh(np.matmul(v, np.transpose(v)))), [x], { seed });
        checkGrads((v: NDArray) => np.log(np.add(1, np.multiply(c, v))), [x], { seed });
        checkGrads((v: NDArray) => np.subtract(np.exp(np.multiply(c, v)), 1), [x], { seed });
        checkGrads((v: NDArray) => np.softmax(np.multiply(c, v)), [x], { seed });
        checkGrads((v: NDArray) => np.var(np.multiply(c, v)), [x], { seed });
        checkGrads((v: NDArray) => np.subtract(np.add(1, np.multiply(1e-7, v)), 1), [x], { seed });
      }
    }
  }
  // float32 x through a float64 f with a float32 output (vjp(f) is rounding noise at order 2)
  const x = f64([1.5, 2]);
  checkGrads((a: NDArray) => [np.sin(a), np.astype(np.cos(a), 'float32')], [x]);
  checkGrads((v: NDArray) => np.power(v, 3), [f64([1e-3, -2e-3, 5e-4])]);
  checkGrads((v: NDArray) => np.multiply(1e-9, np.square(v)), [f64(xs)]);
});

test('operators against closed forms and checkGrads through them', () => {
  for (const n of [1, 3, 8]) {
    const p = Array.from({ length: n }, (_, i) => Math.sin(i + 1) * 0.7);
    const r2 = p.reduce((s, v) => s + v * v, 0);
    const g = (v: NDArray) => np.exp(np.negative(np.sum(np.square(v))));
    const want = (4 * r2 - 2 * n) * Math.exp(-r2);
    for (const got of [laplacian(g)(f64(p)), jit(laplacian(g))(f64(p))]) assert.ok(Math.abs(got.item() as number - want) < 1e-12 * (1 + Math.abs(want)));
    const hd = Array.from(hessianDiagonal(g)(f64(p)).dataSync());
    hd.forEach((h, i) => assert.ok(Math.abs(h - (4 * p[i] ** 2 - 2) * Math.exp(-r2)) < 1e-12));
    checkGrads(laplacian(g), [f64(p)], { order: 1 });
  }
  // gnvp: f(x) = [x0 x1, sin x2 + x0^2], loss = sum z^4 / 4 + z0 z1; J^T H J v by hand: [-0.4658..., ...] from the JS reference in the probe
  const f = (x: NDArray) => np.stack([np.multiply(x.get(0), x.get(1)), np.add(np.sin(x.get(2)), np.square(x.get(0)))]);
  const loss = (z: NDArray) => np.add(np.divide(np.sum(np.power(z, 4)), 4), np.multiply(z.get(0), z.get(1)));
  const ref = (x: number[], v: number[]) => {
    const z = [x[0] * x[1], Math.sin(x[2]) + x[0] ** 2];
    const J = [[x[1], x[0], 0], [2 * x[0], 0, Math.cos(x[2])]];
    const H = [[3 * z[0] ** 2, 1], [1, 3 * z[1] ** 2]];
    const Jv = J.map((r) => r.reduce((s, a, j) => s + a * v[j], 0));
    const HJv = H.map((r) => r.reduce((s, a, j) => s + a * Jv[j], 0));
    return [0, 1, 2].map((j) => J[0][j] * HJv[0] + J[1][j] * HJv[1]);
  };
  const X = [[0.7, -1.3, 0.4], [0.1, 0.2, 0.3]], V = [[1, 2, -0.5], [0, 1, 0]];
  const got = Array.from(vmap(gnvp(f, loss))(f64(X), f64(V)).dataSync());
  const want = [...ref(X[0], V[0]), ...ref(X[1], V[1])];
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) < 1e-12 * (1 + Math.abs(want[i])), `${i}: ${g} vs ${want[i]}`));
  assert.ok(Math.abs((divergence((v: NDArray) => np.sin(v))(f64([0.1, 0.2])).item() as number) - (Math.cos(0.1) + Math.cos(0.2))) < 1e-14);
});
