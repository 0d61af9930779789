// Running out of wasm32's 4 GiB is an OutOfMemoryError, never a trap or a corrupted buffer;
// memory above 2 GiB (addresses that read negative as i32 in JS) works; and the next call works.
// Its own file: it takes this process's wasm memory to ~3.5 GiB.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, grad, jit, wasm, OutOfMemoryError } from 'cotangent';

test('out of memory, then high addresses, then normal calls', () => {
  // One array over 1 GiB is refused before anything is allocated.
  assert.throws(() => np.sin(np.ones([2 ** 28])), OutOfMemoryError);
  // an operand too large to upload is named by its op and shape (the message said `const(0,268435456)`)
  assert.throws(() => np.sum(np.ones([2 ** 28])), (e: any) => e instanceof OutOfMemoryError && /float32\[268435456\]/.test(e.message) && !/const\(/.test(e.message));
  assert.throws(() => lax.broadcastInDim(np.ones([1]), [65536, 65536], [1]), (e: any) => e instanceof OutOfMemoryError && /lax.broadcastInDim: shape \[65536,65536\] has 4294967296 elements, more than this wasm32 build holds/.test(e.message));
  assert.throws(() => np.ones([1e5, 1e5]), OutOfMemoryError); // (a ShapeError, where np.zeros([30000, 30000]) was an OutOfMemoryError)
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

test('an array just under the 1 GiB limit is allocated (the heap\'s size classes are capped there), not a TLSF trap', async () => {
  // A fresh process: this one's memory is spent above. 0.98 GiB of float32 used to round up to a
  // 1 GiB size class, past TLSF's largest block (an abort, surfaced as "wasm trapped").
  const { spawnSync } = await import('node:child_process');
  const dist = new URL('../dist/index.js', import.meta.url).href;
  const script = `import { np } from ${JSON.stringify(dist)};
    const n = 2 ** 28 - 2 ** 22;
    const y = np.add(np.ones([n]), 1).dataSync();
    if (y.length !== n || y[0] !== 2 || y[n - 1] !== 2) throw new Error('wrong values');
    console.log('ok');`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'ok');
});

test('after an out-of-memory failure near 4 GiB, a call that fit before still fits (the arena refused chunks past the ungrown pages, with the heap free)', () => {
  const f = () => np.sum(np.add(np.ones([2 ** 25]), 1)).item();
  assert.equal(f(), 2 ** 26);
  assert.throws(() => np.sum(np.stack(Array.from({ length: 14 }, (_, k) => np.multiply(np.ones([2 ** 26]), k)))), OutOfMemoryError);
  for (let i = 0; i < 3; i++) assert.equal(f(), 2 ** 26);
  assert.equal(np.sum(np.add(np.ones([2 ** 24]), 1)).item(), 2 ** 25);
});

test('a jitted call out of memory at its 15th large output frees the 14 before (no Array took them): a 256 MB result still fits after', () => {
  // 16 outputs of 256 MB: each one fits, all of them do not
  const jf = jit((v: any) => Array.from({ length: 16 }, (_, k) => np.add(np.outer(v, v), k)));
  const big = () => np.add(np.ones([2 ** 26]), 1).get(-1).item();
  assert.equal(big(), 2);
  assert.throws(() => jf(np.ones([8192])), (e: any) => e instanceof OutOfMemoryError && !/unreachable/.test(e.message));
  for (let i = 0; i < 3; i++) assert.equal(big(), 2); // (it was an OutOfMemoryError from here on: 3.5 GiB lost)
  const [o0, o15] = [jf(np.ones([100]))[0], jf(np.ones([100]))[15]];
  assert.deepEqual([o0.get(0, 0).item(), o15.get(99, 99).item()], [1, 16]);
  // and a donating call the same (its outputs may take donated blocks, which are not freed twice)
  const jd = jit((v: any, w: any) => [np.add(v, 1), ...Array.from({ length: 16 }, (_, k) => np.add(np.outer(w, w), k))], { donateArgnums: 0 });
  assert.throws(() => jd(np.ones([2 ** 24]), np.ones([8192])), OutOfMemoryError);
  for (let i = 0; i < 3; i++) assert.equal(big(), 2);
});

test('argsort out of memory for its radix scratch leaves no stale scratch: later sorts, small and large, are right', async () => {
  // A fresh process, with no sort before: the failed call set the scratch's capacity before its
  // allocations, so the next line under it sorted in buffers it did not own (at address 0).
  const { spawnSync } = await import('node:child_process');
  const dist = new URL('../dist/index.js', import.meta.url).href;
  const script = `import { np, OutOfMemoryError } from ${JSON.stringify(dist)};
    let threw = false;
    try { np.argsort(np.zeros([200000000])); } catch (e) { threw = e instanceof OutOfMemoryError; }
    if (!threw) throw new Error('no OutOfMemoryError');
    for (const n of [5000, 1000000]) {
      const v = Float64Array.from({ length: n }, (_, i) => (i * 7919) % 5003 - 2500);
      const ref = Array.from(v.keys()).sort((a, b) => v[a] - v[b] || a - b);
      for (const dtype of ['float32', 'float64']) {
        const got = np.argsort(np.array(v, { dtype })).dataSync();
        if (got.some((g, i) => g !== ref[i])) throw new Error('wrong permutation, n=' + n + ' ' + dtype);
      }
    }
    if (np.sum(np.arange(100)).item() !== 4950) throw new Error('sum');
    console.log('ok');`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'ok');
});

test('a kernel scratch allocation out of memory forgets the freed block: the next call of that kernel does not write over other arrays', async () => {
  // cumsum's float64 accumulator row (2 GiB for 2^27 columns) cannot be allocated; the slot had
  // freed its 800 KB block and kept it, and the next cumsum accumulated into whatever took it.
  const { spawnSync } = await import('node:child_process');
  const dist = new URL('../dist/index.js', import.meta.url).href;
  const script = `import { np, OutOfMemoryError } from ${JSON.stringify(dist)};
    const small = () => np.cumsum(np.reshape(np.arange(300000, { dtype: 'float32' }), [3, 100000]), { axis: 0 });
    const ref = small().dataSync().slice();
    let threw = false;
    try { np.cumsum(np.ones([2, 2 ** 27 - 16]), { axis: 0 }); } catch (e) { threw = e instanceof OutOfMemoryError; }
    if (!threw) throw new Error('no OutOfMemoryError');
    const keep = Array.from({ length: 50 }, (_, t) => np.add(np.ones([100000]), t)); // wasm-resident blocks
    for (let t = 0; t < 5; t++) if (small().dataSync().some((v, i) => v !== ref[i])) throw new Error('cumsum wrong');
    keep.forEach((k, t) => { if (k.dataSync().some((v) => v !== 1 + t)) throw new Error('array ' + t + ' overwritten'); });
    console.log('ok');`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'ok');
});
