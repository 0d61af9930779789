// Nothing leaks: a loop of 10,000 grad calls keeps the wasm memory and the arena flat, with no
// dispose() anywhere, and process memory bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { np, grad, vjp, wasm } from 'cotangent';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

test('10,000 grad calls keep memory flat', () => {
  const W = np.array([0.1, -0.2, 0.3]);
  const X = np.array([[1, 2, 3], [4, 5, 6]]);
  const loss = (w: any) => np.sum(np.tanh(np.dot(X, w)));
  const g = grad(loss);
  for (let i = 0; i < 500; i++) g(W); // warm up: arena and JIT settle
  gc();
  const wasmBefore = wasm().memory.buffer.byteLength;
  const arenaBefore = wasm().arena_capacity();
  const rssBefore = process.memoryUsage().rss;
  let last: any;
  for (let i = 0; i < 10_000; i++) last = g(W);
  for (let i = 0; i < 200; i++) vjp(loss, W)[1](1);
  gc();
  const rssAfter = process.memoryUsage().rss;
  assert.equal(wasm().memory.buffer.byteLength, wasmBefore, 'wasm memory grew');
  assert.equal(wasm().arena_capacity(), arenaBefore, 'arena grew');
  assert.ok(rssAfter - rssBefore < 40 * 2 ** 20, `rss grew by ${((rssAfter - rssBefore) / 2 ** 20).toFixed(1)} MiB`);
  assert.deepEqual(last.shape, [3]);
});

test('a large intermediate does not pin memory: the arena coalesces and is reused', () => {
  const big = np.ones([1000, 1000]);
  const f = (x: any) => np.sum(np.multiply(np.sin(x), x));
  grad(f)(big);
  grad(f)(big); // big's second use gives it a resident mirror block (ts/core/resident.ts)
  const cap = wasm().arena_capacity();
  const mem = wasm().memory.buffer.byteLength;
  for (let i = 0; i < 20; i++) grad(f)(big);
  assert.equal(wasm().arena_capacity(), cap);
  assert.equal(wasm().memory.buffer.byteLength, mem);
});
