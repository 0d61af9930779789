// A long recurrence's gradient needs memory for its forward residuals, not for every partial sum:
// 2,000 steps of h <- tanh(h W + x_t) with a 256x256 float32 weight and a one-row state. Each
// step adds a 256 KiB contribution to W's cotangent; the top-level transpose reuses the buffers
// of the ones it has summed. The gradient is checked against float64 central differences of the
// same recurrence computed in plain JS, along three random directions. Its own file: wasm memory
// never shrinks, so the figure is this process's alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, wasm } from 'cotangent';

const N = 256, T = 2000;

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
}

test('a 2,000-step RNN gradient (256x256 float32 weight) within 512 MiB, matching float64 differences', () => {
  const r = rng(7);
  const W0 = Float32Array.from({ length: N * N }, () => r() * 1.8 / Math.sqrt(N));
  const xs = Array.from({ length: T }, () => Float32Array.from({ length: N }, () => r() * 0.5));
  const h0 = Float32Array.from({ length: N }, () => r());
  const c = Float32Array.from({ length: N }, () => r());

  const xArrays = xs.map((x) => np.array(x, { shape: [1, N] }));
  const h0a = np.array(h0, { shape: [1, N] }), ca = np.array(c, { shape: [1, N] });
  const loss = (W: any) => {
    let h = h0a;
    for (let t = 0; t < T; t++) h = np.tanh(np.add(np.matmul(h, W), xArrays[t]));
    return np.sum(np.multiply(h, ca));
  };
  const g = grad(loss)(np.array(W0, { shape: [N, N] })).dataSync() as Float32Array;
  const mib = wasm().memory.buffer.byteLength / 2 ** 20;
  assert.ok(mib <= 512, `wasm memory ${mib.toFixed(0)} MiB after the gradient`);

  // float64 reference: the same recurrence in plain JS.
  const lossF64 = (W: Float64Array): number => {
    let h = Float64Array.from(h0);
    const z = new Float64Array(N);
    for (let t = 0; t < T; t++) {
      z.fill(0);
      for (let i = 0; i < N; i++) {
        const hi = h[i];
        if (hi === 0) continue;
        const row = i * N;
        for (let j = 0; j < N; j++) z[j] += hi * W[row + j];
      }
      const x = xs[t];
      for (let j = 0; j < N; j++) h[j] = Math.tanh(z[j] + x[j]);
    }
    let s = 0;
    for (let j = 0; j < N; j++) s += h[j] * c[j];
    return s;
  };
  const eps = 1e-4;
  for (let k = 0; k < 3; k++) {
    const d = Float64Array.from({ length: N * N }, r);
    const plus = Float64Array.from(W0, (w, i) => w + eps * d[i]);
    const minus = Float64Array.from(W0, (w, i) => w - eps * d[i]);
    const fd = (lossF64(plus) - lossF64(minus)) / (2 * eps);
    let ad = 0, scale = 0;
    for (let i = 0; i < N * N; i++) { ad += g[i] * d[i]; scale += Math.abs(g[i] * d[i]); }
    assert.ok(Math.abs(ad - fd) <= 2e-3 * scale + 1e-6, `direction ${k}: <grad, d> = ${ad}, float64 differences ${fd} (scale ${scale})`);
  }
});
