// Probe of the derivative operators (helper-288): regressions for the defects fixed, and a few
// closed-form checks of the operators a demanding user reaches for first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, jit, vmap, jacfwd, jacrev, hvp, divergence, hessianDiagonal, jacobianDiagonal, hutchinson, random, NDArray } from '../ts/index.ts';

const f64 = (a: unknown) => np.array(a as any, { dtype: 'float64' });

test('hvp of a non-scalar f is a ShapeError naming hvp, without offering hasAux (it said "grad: ... or { hasAux: true }")', () => {
  const x = f64([1, 2, 3]);
  for (const f of [(z: NDArray) => np.square(z), (z: NDArray) => [np.sum(z), 1]]) {
    assert.throws(() => hvp(f as any)(x, x), (e: Error) =>
      e.name === 'ShapeError' && /^hvp: .*must return a scalar \(shape \[\]\)/.test(e.message) && /hvp takes no hasAux option/.test(e.message), 'message');
  }
  // the next call works, and hvp is still H v: for sum(x^3), H = diag(6x), so H x = 6 x^2 (closed form)
  const got = Array.from(hvp((z: NDArray) => np.sum(np.power(z, 3)))(x, x).dataSync() as Float64Array);
  assert.deepEqual(got, [6, 24, 54]);
  assert.deepEqual(Array.from(jit(hvp((z: NDArray) => np.sum(np.power(z, 3))))(x, x).dataSync() as Float64Array), [6, 24, 54]);
});

test('jacfwd refuses a JS boolean output leaf as jacrev does (it returned bool zeros)', () => {
  const x = f64([0.5, 1]);
  const f = (z: NDArray) => [np.sin(z), true];
  assert.throws(() => jacrev(f as any)(x), (e: Error) => e.name === 'DTypeError' && /output 1 is bool\[\]/.test(e.message));
  assert.throws(() => jacfwd(f as any)(x), (e: Error) => e.name === 'DTypeError' && /^jacfwd: output 1 is bool\[\]/.test(e.message));
  // a JS number leaf is still a constant output with a zero Jacobian, and the next call works
  const [J, c] = jacfwd((z: NDArray) => [np.sin(z), 3])(x) as NDArray[];
  assert.deepEqual(Array.from(J.dataSync() as Float64Array), [Math.cos(0.5), 0, 0, Math.cos(1)]);
  assert.deepEqual(Array.from(c.dataSync() as Float32Array), [0, 0]);
});

test('divergence and hessianDiagonal of dense maps against closed forms and numpy finite differences', () => {
  // softmax: J = diag(s) - s s^T, so div = 1 - sum s^2 (closed form; s computed in JS float64)
  const px = [1.1, -0.7, 0.4, 2.0];
  const e = px.map(Math.exp), Z = e.reduce((a, b) => a + b), s = e.map((v) => v / Z);
  const sm = (x: NDArray) => { const t = np.exp(np.subtract(x, np.max(x))); return np.divide(t, np.sum(t)); };
  const want = 1 - s.reduce((a, b) => a + b * b, 0);
  assert.ok(Math.abs((divergence(sm)(f64(px)).item() as number) - want) < 1e-14);
  // hessianDiagonal of x^T A x over [3, 4], A nonsymmetric: diag is 2 A_ii (closed form)
  const n = 12, A = Array.from({ length: n * n }, (_, k) => Math.sin(1.3 * k + 0.2));
  const quad = (x: NDArray) => { const v = np.reshape(x, [-1]); return np.dot(v, np.matmul(f64(A).reshape([n, n]), v)); };
  const hd = hessianDiagonal(quad)(f64(Array.from({ length: n }, (_, i) => Math.cos(0.7 * i))).reshape([3, 4]));
  assert.deepEqual(hd.shape, [3, 4]);
  Array.from(hd.dataSync() as Float64Array).forEach((h, i) => assert.ok(Math.abs(h - 2 * A[i * n + i]) < 1e-14));
  // three Euler steps of tanh(B x): Jacobian diagonal from numpy central differences
  // (python3: x=[.5,-.3,.8], A=[[.1,.2,-.3],[.4,-.1,.05],[.2,.3,.1]], h=1e-5 -> [1.02885332, 0.97467905, 1.02872774])
  const B = f64([[0.1, 0.2, -0.3], [0.4, -0.1, 0.05], [0.2, 0.3, 0.1]]);
  const step = (z: NDArray) => np.add(z, np.multiply(0.1, np.tanh(np.matmul(B, z))));
  const d = divergence((z: NDArray) => step(step(step(z))))(f64([0.5, -0.3, 0.8])).item() as number;
  assert.ok(Math.abs(d - (1.02885332 + 0.97467905 + 1.02872774)) < 3e-8);
});

test('hutchinson: mean of 3000 keys within 4 standard errors of tr(A), nonsymmetric A, both methods', () => {
  const n = 6;
  const A = Array.from({ length: n * n }, (_, k) => Math.sin(1.7 * k + 0.4) + (k % (n + 1) === 0 ? 1.5 : 0));
  let tr = 0; for (let i = 0; i < n; i++) tr += A[i * n + i];
  const Am = f64(A).reshape([n, n]);
  const f = (x: NDArray) => np.matmul(Am, x);
  const x = np.zeros([n], { dtype: 'float64' });
  for (const method of ['hutchinson', 'hutchpp'] as const) {
    const K = 3000;
    // one vmapped pass over the keys; for plain Hutchinson the variance is known: 2(|A_s|_F^2 - sum A_ii^2) / probes
    const out = vmap((k: NDArray) => hutchinson(f, { probes: 4, key: k, method })(x))(random.split(random.key(21), K)) as NDArray;
    const vals = Array.from(out.dataSync() as Float64Array);
    const mean = vals.reduce((a, b) => a + b) / K;
    const v = vals.reduce((a, b) => a + (b - mean) ** 2, 0) / (K - 1);
    assert.ok(Math.abs(mean - tr) < 4 * Math.sqrt(v / K), `${method}: mean ${mean} vs tr ${tr}, se ${Math.sqrt(v / K)}`);
    if (method === 'hutchinson') {
      let fro = 0, d2 = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { const s = (A[i * n + j] + A[j * n + i]) / 2; fro += s * s; if (i === j) d2 += s * s; }
      const theo = 2 * (fro - d2) / 4; // Rademacher: Var(v^T A v) = 2 (|A_s|_F^2 - sum_i A_ii^2), over 4 probes
      assert.ok(Math.abs(v / theo - 1) < 0.2, `variance ${v} vs ${theo}`);
    }
  }
});

test('jacobianDiagonal / hessianDiagonal give each leaf in its own dtype for a mixed float32/float64 tree (as jacfwd blocks)', () => {
  // (the flat diagonal is the leaves' promoted dtype: a float32 leaf came back float64)
  const x = { a: np.array([1, 2], { dtype: 'float32' }), b: np.array([3, 4, 5], { dtype: 'float64' }) };
  const f = (t: { a: NDArray; b: NDArray }) => ({ a: np.multiply(np.sin(t.a), 2), b: np.multiply(t.b, t.b) });
  for (const d of [jacobianDiagonal(f)(x), jit(jacobianDiagonal(f))(x)] as { a: NDArray; b: NDArray }[]) {
    assert.equal(d.a.dtype, 'float32');
    assert.equal(d.b.dtype, 'float64');
    assert.deepEqual(d.b.tolist(), [6, 8, 10]); // 2 b
    (d.a.tolist() as number[]).forEach((v, i) => assert.ok(Math.abs(v - 2 * Math.cos(i + 1)) < 1e-6)); // 2 cos a
  }
  const h = hessianDiagonal((t: { a: NDArray; b: NDArray }) => np.add(np.sum(np.sin(t.a)), np.sum(np.multiply(t.b, np.multiply(t.b, t.b)))))(x) as { a: NDArray; b: NDArray };
  assert.equal(h.a.dtype, 'float32');
  assert.deepEqual(h.b.tolist(), [18, 24, 30]); // 6 b
});

test("Hutch++ with a sketch of n or more probes (capped at n rows and one more probe) is the exact trace", () => {
  // (the cap's own check; what it saves, 30,000 probes on n = 3,000 ran 2 minutes and out of memory, is time, not tested here)
  const n = 200, B = random.normal(random.key(2), [n, n], { dtype: 'float64' });
  const est = hutchinson((y: NDArray) => np.matmul(B, y), { probes: 3000, key: random.key(1), method: 'hutchpp' })(np.ones([n], { dtype: 'float64' }));
  const tr = (B.tolist() as number[][]).reduce((s, r, i) => s + r[i], 0); // the trace, summed in JS
  assert.ok(Math.abs(est.item() - tr) < 1e-9 * Math.max(1, Math.abs(tr)), `${est.item()} vs ${tr}`);
});
