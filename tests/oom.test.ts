// Running out of wasm32's 4 GiB is an OutOfMemoryError, never a trap or a corrupted buffer;
// memory above 2 GiB (addresses that read negative as i32 in JS) works; and the next call works.
// Its own file: it takes this process's wasm memory to ~3.5 GiB.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, grad, wasm, OutOfMemoryError } from 'cotangent';

test('out of memory, then high addresses, then normal calls', () => {
  // One array over 1 GiB is refused before anything is allocated.
  assert.throws(() => np.sin(np.ones([2 ** 28])), OutOfMemoryError);
  assert.throws(() => lax.broadcastInDim(np.ones([1]), [65536, 65536], [1]), /broadcastInDim.*out of memory/);
  // A gradient whose intermediates exceed 4 GiB in all fails cleanly mid-transform...
  const f = (x: any) => np.sum(np.multiply(np.sin(x), np.cos(x)));
  assert.throws(() => grad(f)(np.ones([2 ** 27])), OutOfMemoryError);
  // The failure was inside the transform (a JVP rule's allocation): its map frame was unwound.
  assert.equal(wasm().transforms_depth(), 0);
  // ...and the library still works, now with memory (and so addresses) above 2 GiB.
  assert.equal(Number(grad(np.sin)(0).item()), 1);
  const x = np.array(new Float32Array(2 ** 26).map((_, i) => (i % 7) - 3));
  const g = grad((v: any) => np.sum(np.multiply(v, v)))(x).dataSync();
  for (const i of [0, 1, 12345, 2 ** 26 - 1]) assert.equal(g[i], 2 * ((i % 7) - 3));
  const small = grad(f)(np.array([0.5, 1.5], { dtype: 'float64' })).dataSync();
  assert.ok(Math.abs(small[0] - Math.cos(1)) < 1e-12 && Math.abs(small[1] - Math.cos(3)) < 1e-12);
});
