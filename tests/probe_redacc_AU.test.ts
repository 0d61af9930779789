// helper-271's probe of reduction/scan accuracy (float32 and float64, 1e3..1e7 elements) against
// math.fsum / numpy float64. No defect was found; these pin the accuracy that was measured.
// References: python3 math.fsum over the float32 inputs (numpy 2.4 builds the same data).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, jit } from '../ts/index.ts';

const n = 1_000_000;
const off = new Float32Array(n), frac = new Float32Array(n);
for (let i = 0; i < n; i++) { off[i] = 1e4 + Math.sin(i); frac[i] = (i * 0.6180339887) % 1; }

test('float32 var of 1e4 + sin(i) (1e6, ill-conditioned) is two-pass accurate, eager and jit', () => {
  // fsum two-pass reference 0.5000033790807369; numpy float32 np.var gives 0.5000033974647522 (rel 3.7e-8)
  const x = np.array(off);
  for (const v of [np.var(x).item(), jit((u: any) => np.var(u))(x).item()]) assert.ok(Math.abs(v / 0.5000033790807369 - 1) < 2e-7, `var ${v}`);
  assert.ok(Math.abs(np.mean(x).item() / 10000.000000188476 - 1) < 1.2e-7);
});

test('float32 cumsum over 1e6 does not drift (numpy float32 cumsum: 499998.875)', () => {
  // fsum of all elements: 499999.0056691974; the sequential float32 running sum is off by 0.13
  const c = np.cumsum(np.array(frac)).dataSync();
  assert.ok(Math.abs(c[n - 1] - 499999.0056691974) < 0.07, `cumsum last ${c[n - 1]}`);
  assert.equal(jit((u: any) => np.cumsum(u))(np.array(frac)).dataSync()[n - 1], c[n - 1]);
});
