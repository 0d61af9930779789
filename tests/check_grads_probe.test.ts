// checkGrads defects found by helper-214's probe: the tolerance of the loosest leaf (a JS number
// counted as float32), a reverse-mode scalar that cancels, and messages that named neither the
// option nor the argument to change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, jit, checkGrads, customJvp, customVjp, GradientCheckError, NotImplementedError, ValueError, DTypeError, type Array as NDArray } from '../ts/index.ts';

const f64 = (v: number[] | number) => np.array(v, { dtype: 'float64' });
// sin(x) s whose derivative along x is 0.3% too large (a float64 check at 1e-5 must see it)
const off = customJvp((x: NDArray, s: NDArray) => np.multiply(np.sin(x), s), ([x, s]: NDArray[], [tx, ts]: NDArray[]) =>
  [np.multiply(np.sin(x), s), np.add(np.multiply(1.003, np.multiply(np.multiply(np.cos(x), s), tx)), np.multiply(np.sin(x), ts))]);
const sin103 = customJvp((x: NDArray) => np.sin(x), ([x]: NDArray[], [t]: NDArray[]) => [np.sin(x), np.multiply(1.003, np.multiply(np.cos(x), t))]);
const wrongJvp = /^checkGrads: JVP of f disagrees with finite differences at output(\[0\])? element \[\d\]: got .* > atol 0\.00001 /;

test('float64 f is checked at float64 tolerance beside a JS number argument, a JS constant output or a float32 argument (they passed at 2e-3)', () => {
  const x = f64([1.5, 2]);
  assert.throws(() => checkGrads(off, [x, 3], { order: 1 }), (e: unknown) => e instanceof GradientCheckError && wrongJvp.test((e as Error).message));
  assert.throws(() => checkGrads(off, [x, f64(3)], { order: 1 }), (e: unknown) => e instanceof GradientCheckError && wrongJvp.test((e as Error).message));
  assert.throws(() => checkGrads((a: NDArray) => [sin103(a), 0], [x], { order: 1 }), (e: unknown) => e instanceof GradientCheckError && wrongJvp.test((e as Error).message));
  assert.throws(() => checkGrads((a: NDArray, w: NDArray) => sin103(np.multiply(a, np.astype(w, 'float64'))), [x, np.array(1, { dtype: 'float32' })], { order: 1 }),
    (e: unknown) => e instanceof GradientCheckError && wrongJvp.test((e as Error).message));
  assert.throws(() => checkGrads(jit(off), [x, 3], { order: 1 }), GradientCheckError);
  // reverse mode alone sees it too (the per-argument probe at float64's rtol)
  assert.throws(() => checkGrads(off, [x, 3], { order: 1, modes: ['rev'] }), (e: unknown) => e instanceof GradientCheckError && /^checkGrads: VJP of f/.test((e as Error).message));
  // the correct rule passes with the same arguments, at orders 1 and 2
  const good = (a: NDArray, s: NDArray) => np.multiply(np.sin(a), s);
  checkGrads(good, [x, 3]);
  checkGrads((a: NDArray) => [np.sin(a), 0], [x]);
  checkGrads((a: NDArray, w: NDArray) => np.sin(np.multiply(a, np.astype(w, 'float64'))), [x, np.array(1, { dtype: 'float32' })]);
  // a float32 output leaf keeps float32's tolerance (its derivative is float32-accurate)
  checkGrads((a: NDArray) => [np.sin(a), np.astype(np.cos(a), 'float32')], [x]);
});

test("reverse mode: a bwd rule scaled 5% (float32) or 0.1% (float64) fails at every seed (the <v, vjp(u)> scalar cancelled: 0.0095 where 1.4 is typical); correct functions pass", () => {
  const xs = [1.98, 0.79, -1.14, -2, -0.96, 0.99, 2, 1.11];
  const sinK = (k: number) => customVjp((x: NDArray) => np.sin(x), (x: NDArray) => [np.sin(x), x], (x: NDArray, g: NDArray) => [np.multiply(k, np.multiply(np.cos(x), g))]);
  for (const [k, dtype] of [[1.05, 'float32'], [0.95, 'float32'], [1.001, 'float64'], [-1, 'float32']] as const) {
    for (let seed = 0; seed < 5; seed++) {
      assert.throws(() => checkGrads(sinK(k), [np.array(xs, { dtype })], { order: 1, modes: ['rev'], seed }),
        (e: unknown) => e instanceof GradientCheckError && /^checkGrads: VJP of f/.test((e as Error).message), `${k} ${dtype} seed ${seed}`);
    }
    assert.throws(() => checkGrads(jit(sinK(k)), [np.array(xs, { dtype })], { order: 1, modes: ['rev'] }), GradientCheckError);
  }
  assert.throws(() => checkGrads(sinK(1.05), [np.array(xs, { dtype: 'float32' })], { order: 1, modes: ['rev'] }), (e: unknown) => e instanceof GradientCheckError &&
    /^checkGrads: VJP of f at args\[0\] \(<g, g> vs <u, jvp_fd\(g\)> for g = vjp\(u\) at that argument.*disagrees with finite differences: got .*scaled, of the wrong sign, or transposed/.test((e as Error).message));
  for (const dtype of ['float32', 'float64'] as const) checkGrads(sinK(1), [np.array(xs, { dtype })], { order: 2, modes: ['rev'] });
  // and no false alarm on correct functions: softmax, logsumexp, inv, det, a 64x64 matmul in float32, complex holomorphic, pytrees
  noFalseAlarms();
});

test('reverse mode names the argument leaf whose cotangent is wrong', () => {
  // a pytree argument whose bwd is 2% off at .b only
  const g = customVjp((p: { a: NDArray; b: NDArray }) => np.add(np.sin(p.a), np.exp(p.b)), (p: { a: NDArray; b: NDArray }) => [np.add(np.sin(p.a), np.exp(p.b)), p],
    (p: { a: NDArray; b: NDArray }, ct: NDArray) => [{ a: np.multiply(np.cos(p.a), ct), b: np.multiply(1.02, np.multiply(np.exp(p.b), ct)) }]);
  const p = { a: np.array([0.3, -0.7, 1.1]), b: np.array([0.2, 0.5, -0.4]) };
  assert.throws(() => checkGrads(g, [p], { order: 1, modes: ['rev'] }), (e: unknown) => e instanceof GradientCheckError &&
    /^checkGrads: VJP of f (at args\[0\]\.b \(<g, g>|\(<v, vjp\(u\)> vs <u, jvp_fd\(v\)>\) disagrees .*the largest disagreement is at args\[0\]\.b)/.test((e as Error).message));
  // a cotangent for the second argument with an extra term the random probe sees: it says which
  const h = customVjp((a: NDArray, b: NDArray) => np.multiply(a, b), (a: NDArray, b: NDArray) => [np.multiply(a, b), [a, b]],
    ([a, b]: NDArray[], ct: NDArray) => [np.multiply(ct, b), np.add(np.multiply(ct, a), np.multiply(0.5, np.flip(ct)))]);
  assert.throws(() => checkGrads(h, [np.array([0.3, -0.7, 1.1]), np.array([1.2, 0.4, -0.9])], { order: 1, modes: ['rev'] }), (e: unknown) =>
    e instanceof GradientCheckError && /^checkGrads: VJP of f .*(the largest disagreement is at args\[1\] \(v zero elsewhere\)|at args\[1\] \(<g, g>)/.test((e as Error).message));
});

// (run by the reverse-mode test below: its new probe must not fire on these)
function noFalseAlarms(): void {
  const r = (n: number, s: number) => Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + s * 78.233) * 1.5);
  const softmax = (x: NDArray) => { const e = np.exp(np.subtract(x, np.max(x, { axis: -1, keepdims: true }))); return np.divide(e, np.sum(e, { axis: -1, keepdims: true })); };
  const lse = (x: NDArray) => { const m = np.max(x); return np.add(m, np.log(np.sum(np.exp(np.subtract(x, m))))); };
  for (const dtype of ['float32', 'float64'] as const) {
    for (const seed of [0, 1, 2]) {
      const x = np.reshape(np.array(r(15, seed), { dtype }), [3, 5]);
      checkGrads(softmax, [x], { seed });
      checkGrads(lse, [x], { seed });
      checkGrads(np.tanh, [x], { seed });
      const a = np.add(np.reshape(np.array(r(16, seed), { dtype }), [4, 4]), np.multiply(np.eye(4), 4));
      checkGrads(np.linalg.inv, [a], { seed });
      checkGrads(np.linalg.det, [a], { seed });
      // gradients that are rounding noise (sin^2 + cos^2 = 1) meet differences that are rounding noise
      checkGrads((v: NDArray) => np.add(np.square(np.sin(v)), np.square(np.cos(v))), [x], { order: 1, seed });
      checkGrads((q: { w: NDArray; b: NDArray[] }, s: number) => ({ y: np.multiply(np.tanh(np.matmul(q.w, q.b[0])), s), c: 2 }),
        [{ w: a, b: [np.array(r(4, seed + 1), { dtype })] }, 1.5], { seed });
    }
  }
  checkGrads((a: NDArray, b: NDArray) => np.matmul(a, b), [np.reshape(np.array(r(4096, 3), { dtype: 'float32' }), [64, 64]), np.reshape(np.array(r(1024, 4), { dtype: 'float32' }), [64, 16])], { order: 1 });
  const z = np.complex(np.array(r(4, 5), { dtype: 'float64' }), np.array(r(4, 6), { dtype: 'float64' }));
  checkGrads((w: NDArray) => np.multiply(np.sin(w), np.exp(w)), [z]);
  checkGrads((w: NDArray) => np.multiply(w, w), [np.astype(z, 'complex64')]);
}

test('messages: customVjp under the default modes says to pass modes rev; a perturbed JS number or int Array says to close over it', () => {
  const s = customVjp((x: NDArray) => np.sin(x), (x: NDArray) => [np.sin(x), x], (x: NDArray, g: NDArray) => [np.multiply(np.cos(x), g)]);
  const x = f64([1.5, 2]);
  assert.throws(() => checkGrads(s, [x]), (e: unknown) => e instanceof NotImplementedError &&
    /forward-mode differentiation .* of a customVjp function is not defined.*pass \{ modes: \['rev'\] \}/.test((e as Error).message));
  checkGrads(s, [x], { modes: ['rev'] });
  assert.throws(() => checkGrads((a: NDArray, n: number) => np.tile(a, n), [x, 3]), (e: unknown) => e instanceof ValueError &&
    /^np\.tile: reps must be non-negative integers.*checkGrads perturbs every argument, including the JS number 3 at args\[1\].*close over it \(checkGrads\(\(x\) => f\(x, 3\), \[x\]\)\)/.test((e as Error).message));
  checkGrads((a: NDArray) => np.tile(a, 3), [x]);
  assert.throws(() => checkGrads((a: NDArray, n: NDArray) => np.tile(a, n), [x, np.array(3, { dtype: 'int32' })]), (e: unknown) => e instanceof DTypeError &&
    /^checkGrads: argument 1 has dtype int32.*checkGrads perturbs every argument: to hold this one fixed, close over it/.test((e as Error).message));
  // a wrong derivative is a GradientCheckError as before, without that hint
  assert.throws(() => checkGrads(off, [x, 3], { order: 1 }), (e: unknown) => e instanceof GradientCheckError && !/perturbs every argument/.test((e as Error).message));
});

test("the finite differences' note names rounding error (a larger eps) and a step that leaves f's domain (NaN)", () => {
  // log at 5e-5 with eps 1e-4: x - eps v < 0 for v > 0.5, a NaN difference
  assert.throws(() => checkGrads(np.log, [f64([5e-5, 5e-5, 5e-5])], { order: 1, modes: ['fwd'] }), (e: unknown) => e instanceof GradientCheckError &&
    /expected NaN.*at large \|x\| or \|f\| a larger eps helps.*leaves f's domain \(log or sqrt near 0/.test((e as Error).message));
});

test('large third derivatives are no false alarm (the float64 differences are refined by Richardson extrapolation); a rule 0.1% off still fails', () => {
  // sin(5 W x), W 30 x 30 and x normal: D(eps = 1e-4) was 1e-3 off (3rd derivatives ~1e5) and the exact rule failed at every seed
  let s = 7;
  const normal = (n: number) => Array.from({ length: n }, () => {
    s = (s * 16807) % 2147483647; const u = s / 2147483647; s = (s * 16807) % 2147483647; const w = s / 2147483647;
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w);
  });
  const W = np.array(normal(900), { dtype: 'float64', shape: [30, 30] }), x = f64(normal(30));
  const map = (w: NDArray, v: NDArray) => np.sin(np.multiply(5, np.matmul(w, v)));
  for (let seed = 0; seed < 3; seed++) checkGrads(map, [W, x], { order: 2, seed });
  // the same map through a sine whose derivative is 0.1% large: refined differences do not hide it
  const sinOff = customJvp((z: NDArray) => np.sin(z), ([z]: NDArray[], [t]: NDArray[]) => [np.sin(z), np.multiply(1.001, np.multiply(np.cos(z), t))]);
  for (let seed = 0; seed < 3; seed++) {
    assert.throws(() => checkGrads((w: NDArray, v: NDArray) => sinOff(np.multiply(5, np.matmul(w, v))), [W, x], { order: 1, seed }),
      (e: unknown) => e instanceof GradientCheckError && /Richardson-extrapolated from eps 0\.0001 and 0\.00005/.test((e as Error).message), `seed ${seed}`);
  }
});
