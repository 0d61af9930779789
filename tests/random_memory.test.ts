// Large draws of the rejection-loop samplers (gamma and those built on it) at top level: their
// batched loop runs as one-shot programs over chunks, so wasm memory stays near the draw's size
// (random.gamma of 1e6 took 4 GiB of wasm memory op by op, all wasm32 has, and the next large
// draw ran out of memory), with the same bits as the one batch a jitted call runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { random, jit } from '../ts/index.ts';
import { wasm } from '../ts/loader.ts';

test('random.gamma and beta of 200,000 draws at top level keep wasm memory bounded, with the bits of the one-batch jitted draw', () => {
  const k = random.key(3), n = 200000;
  const g = random.gamma(k, 1.5, [n]).dataSync();
  const b = random.beta(k, 0.5, 2, [n]).dataSync();
  const mib = wasm().memory.buffer.byteLength / 2 ** 20;
  // op by op these two took 552 MiB at 100,000 draws; chunked, 138 MiB at 2e5
  assert.ok(mib <= 160, `wasm memory ${mib} MiB`);
  // the jitted draw runs the whole batch as one program (no chunks): the same values
  assert.deepEqual(Array.from(jit((kk: any) => random.gamma(kk, 1.5, [n]))(k).dataSync()), Array.from(g));
  assert.deepEqual(Array.from(jit((kk: any) => random.beta(kk, 0.5, 2, [n]))(k).dataSync()), Array.from(b));
  // the draws are Gamma(1.5) and Beta(0.5, 2): means 1.5 and 0.2 within 5 standard errors
  const mean = (d: ArrayLike<number>) => Array.from(d).reduce((s, v) => s + v, 0) / d.length;
  assert.ok(Math.abs(mean(g) - 1.5) < 5 * Math.sqrt(1.5 / n), `gamma mean ${mean(g)}`);
  assert.ok(Math.abs(mean(b) - 0.2) < 5 * Math.sqrt((0.5 * 2) / (2.5 ** 2 * 3.5) / n), `beta mean ${mean(b)}`);
});
