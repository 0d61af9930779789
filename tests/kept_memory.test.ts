// Memory stays flat over 10,000 vjp calls whose pullbacks are dropped, whether or not the loop
// yields to the event loop (without yielding, FinalizationRegistry callbacks never run, so the
// byte budget of kept tapes is what bounds wasm memory). Run with --expose-gc semantics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { setImmediate as yieldNow } from 'node:timers/promises';
import { np, vjp, linearize, jit, tidy, wasm, keptTapeStats, setKeptTapeBudget, DeletedArrayError } from 'cotangent';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const x = np.ones([256, 64], { dtype: 'float64' }); // residuals of 128 KiB per pullback
const f = (v: any) => np.sum(np.multiply(np.sin(v), v));

async function loop(n: number, yieldEvery: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const [, pull] = vjp(f, x);
    if (i % 97 === 0) assert.equal(pull(1)[0].shape[0], 256);
    if (yieldEvery > 0 && i % yieldEvery === 0) { gc(); await yieldNow(); }
  }
}

for (const [label, yieldEvery] of [['yielding now and then', 500], ['never yielding', 0]] as const) {
  test(`10,000 vjp calls with dropped pullbacks keep memory flat (${label})`, async () => {
    await loop(1000, yieldEvery); // warm up: the budget fills, JIT settles
    gc(); await yieldNow();
    const wasmBefore = wasm().memory.buffer.byteLength;
    const rssBefore = process.memoryUsage().rss;
    await loop(10_000, yieldEvery);
    gc(); await yieldNow(); gc();
    const grown = wasm().memory.buffer.byteLength - wasmBefore;
    const rss = process.memoryUsage().rss - rssBefore;
    const stats = keptTapeStats();
    assert.ok(stats.residentBytes <= stats.budget + 256 * 1024, `resident kept tapes: ${stats.residentBytes} > budget ${stats.budget}`);
    assert.equal(grown, 0, `wasm memory grew by ${grown} bytes`);
    assert.ok(rss < 64 * 2 ** 20, `rss grew by ${(rss / 2 ** 20).toFixed(1)} MiB`);
  });
}

test('a synchronous loop of dropped pullbacks holds finalization registrations for resident tapes only (the JS heap grew ~150 bytes per pullback without bound)', () => {
  const small = np.ones([300]);
  const { budget } = keptTapeStats();
  setKeptTapeBudget(256 * 1024); // a few hundred resident tapes: the loop evicts from early on
  try {
    for (let i = 0; i < 20_000; i++) vjp(np.tanh, small);
    const s = keptTapeStats();
    assert.ok(s.registered <= s.resident, `${s.registered} registrations for ${s.resident} resident tapes`);
    assert.ok(s.resident < 5000, `${s.resident} resident`);
    // an evicted pullback still works, and registers again once its tape is back
    const [, pull] = vjp(np.tanh, small);
    for (let i = 0; i < 2000; i++) vjp(np.tanh, small); // evicts it
    assert.ok(Math.abs(pull(np.ones([300]))[0].get(0).item() - (1 - Math.tanh(1) ** 2)) < 1e-6);
    assert.ok(keptTapeStats().registered <= keptTapeStats().resident);
  } finally { setKeptTapeBudget(budget); }
});

test('pullbacks over a large closed-over Array bind it at each call: one copy for all of them, not one each', () => {
  const n = 512, k = 256; // W: 512 KiB, resident
  const W = np.multiply(np.ones([n, k]), 0.5);
  const before = keptTapeStats().residentBytes;
  const pbs = Array.from({ length: 12 }, () => vjp((x: any) => np.matmul(W, x), np.ones([k]))[1]);
  const grown = keptTapeStats().residentBytes - before;
  assert.ok(grown < n * k * 4, `12 pullbacks hold ${grown} bytes: W (${n * k * 4} bytes) copied into each?`);
  // W^T 1 = 0.5 n in every entry; linearize's W 1 = 0.5 k
  for (const pb of pbs) assert.ok((pb(np.ones([n]))[0].tolist() as number[]).every((v) => v === 0.5 * n));
  const [, lin] = linearize((x: any) => np.matmul(W, x), np.ones([k]));
  assert.ok((lin(np.ones([k])).tolist() as number[]).every((v) => v === 0.5 * k));
  // the input itself, when resident, is bound too
  const X = np.multiply(np.ones([100000]), 3);
  const [, sq] = vjp((x: any) => np.multiply(x, x), X);
  assert.equal(sq(np.ones([100000]))[0].dataSync()[99999], 6);
  // a tidy leaves an Array a pullback reads alone; W donated elsewhere is gone: the pullback says so (JAX's deleted-array error)
  const pb2 = tidy(() => { const V = np.multiply(np.ones([n, k]), 2); return vjp((x: any) => np.matmul(V, x), np.ones([k]))[1]; });
  assert.equal(pb2(np.ones([n]))[0].dataSync()[0], 2 * n);
  jit((v: any) => np.multiply(v, 2), { donateArgnums: 0 })(W);
  assert.throws(() => pbs[0](np.ones([n])), DeletedArrayError);
});
