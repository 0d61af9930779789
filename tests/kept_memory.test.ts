// Memory stays flat over 10,000 vjp calls whose pullbacks are dropped, whether or not the loop
// yields to the event loop (without yielding, FinalizationRegistry callbacks never run, so the
// byte budget of kept tapes is what bounds wasm memory). Run with --expose-gc semantics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { setImmediate as yieldNow } from 'node:timers/promises';
import { np, vjp, wasm, keptTapeStats } from 'cotangent';

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
