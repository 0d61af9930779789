// Probe fixes (helper-212): an eager lax.scan / lax.map whose stacked ys cannot be an Array is
// refused at its first step (it ran until V8's heap died, past any catch), and its ys are stacked
// every few thousand steps (one Array a step held to the end exhausted the JS heap); np.repeat's
// result size refused before any work; messages for vmap of holes / empty lists, np.pad's padWidth
// with a hole, and a Uint8ClampedArray. Expected values are hand-derived (noted at each).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { np, lax, jit, grad, vmap, ValueError, DTypeError, OutOfMemoryError } from '../ts/index.ts';

const CHILD = process.env.PROBE212_CHILD === '1';
const STEPS = 500_000;

/** Milliseconds `fn` took to throw (the refusals must come before any work). */
function timeThrow(fn: () => unknown, cls: new (...a: any[]) => Error, re: RegExp): number {
  const t0 = performance.now();
  assert.throws(fn, (e: unknown) => e instanceof cls && re.test((e as Error).message));
  return performance.now() - t0;
}

if (CHILD) {
  // (run in a child with a 96 MB heap: the eager loop's ys must not grow the JS heap by one Array a step)
  const [, ys] = lax.scan((c: any, _: any) => [c, c], np.array(0.0), null, { length: STEPS });
  console.log(`stacked ${ys.shape[0]} ${ys.dtype}`);
} else {
  test('eager scan and map: stacked ys past the 1 GiB per-array limit are an OutOfMemoryError at once, as under jit', () => {
    // float32[1e9]: 4e9 bytes = 3.73 GiB (4e9 / 2^30 = 3.725); it ran ~100 s, then V8's heap died (SIGABRT)
    const big = () => lax.scan((c: any, _: any) => [c, c], np.array(0.0), null, { length: 1e9 });
    assert.ok(timeThrow(big, OutOfMemoryError, /^lax\.scan: the ys stacked over 1000000000 steps: y would be float32\[1000000000\], 3\.73 GiB; one array holds at most 1 GiB/) < 2000);
    assert.throws(() => jit(big)(), OutOfMemoryError);
    // float32[100000, 3000]: 1.2e9 bytes = 1.12 GiB; it ran 30 s and took 4.9 GB before its OutOfMemoryError
    const m = (x: any) => lax.map((_z: any) => np.ones([3000]), x);
    assert.ok(timeThrow(() => m(np.ones([100000])), OutOfMemoryError, /^lax\.map: .*y would be float32\[100000,3000\], 1\.12 GiB/) < 2000);
    assert.throws(() => jit(m)(np.ones([100000])), OutOfMemoryError);
    // batchSize 7: 14285 chunks of [7, 3000] (14285 * 7 * 3000 * 4 bytes = 1.12 GiB)
    assert.ok(timeThrow(() => lax.map((_z: any) => np.ones([3000]), np.ones([100000]), { batchSize: 7 }), OutOfMemoryError,
      /^lax\.map: .*y would be float32\[14285,7,3000\]/) < 2000);
    // a weak y in a tree: a JS number stacks as float32 (2^31 - 1 steps * 4 bytes = 8.00 GiB)
    assert.ok(timeThrow(() => lax.scan((c: any, _: any) => [c, { a: [1.5] }], 0, null, { length: 2 ** 31 - 1 }), OutOfMemoryError,
      /y\.a\[0\] would be float32\[2147483647\], 8\.00 GiB/) < 2000);
  });

  test('eager scan: ys stacked in chunks keep their values, order, weak dtypes and gradients past a chunk; two Array dtypes for one y are a DTypeError', () => {
    const n = 2 * 4096 + 3; // (chunks of 4096 steps: two full ones and a remainder)
    const xs = np.arange(n, { dtype: 'float32' });
    for (const reverse of [false, true]) {
      // y = [2x (exact in float32), 1.5 as a JS number, or a float64 0.25 from x >= 5000 on: the JS numbers take float64]
      const [c, [a, b]] = lax.scan((c: any, x: any) => [np.add(c, 1), [np.multiply(x, 2), x.item() >= 5000 ? np.array(0.25, { dtype: 'float64' }) : 1.5]],
        np.array(0, { dtype: 'int32' }), xs, { reverse });
      assert.equal(c.item(), n);
      assert.deepEqual([a.dtype, a.shape, b.dtype, b.shape], ['float32', [n], 'float64', [n]]);
      const av = a.dataSync(), bv = b.dataSync();
      for (let i = 0; i < n; i++) {
        if (av[i] !== 2 * i || bv[i] !== (i >= 5000 ? 0.25 : 1.5)) assert.fail(`reverse ${reverse}, step ${i}: ${av[i]}, ${bv[i]}`);
      }
      // d/dxs sum(3 x_t) = 3 at every step (through the per-block split); d/dw sum(w x_t), xs of ones = n
      const gx = grad((x: any) => np.sum(lax.scan((c: any, xi: any) => [c, np.multiply(xi, 3)], np.array(0.0), x, { reverse })[1]))(np.ones([n]));
      assert.deepEqual([gx.shape, Array.from(gx.dataSync()).every((v) => v === 3)], [[n], true]);
      const gw = grad((w: any) => np.sum(lax.scan((c: any, xi: any) => [c, np.multiply(xi, w)], np.array(0.0), np.ones([n]), { reverse })[1]))(np.array(2.0));
      assert.equal(gw.item(), n);
    }
    // a JS number at step 0 takes either Array dtype; float64 at step 1 and int32 at step 4 cannot stack (it was 'cannot join')
    assert.throws(() => lax.scan((c: any, x: any) => [c, x.item() === 1 ? np.array(1, { dtype: 'float64' }) : x.item() === 4 ? np.array(1, { dtype: 'int32' }) : 1],
      0, np.arange(6, { dtype: 'float32' })), (e: unknown) => e instanceof DTypeError &&
      /^lax\.scan: f must return ys of one type at every step; y is float64\[\] at step 1 but int32\[\] at step 4/.test((e as Error).message));
  });

  test('eager scan: 500000 scalar steps fit in a 96 MB JS heap (one Array a step held to the end did not)', () => {
    const r = spawnSync(process.execPath, ['--max-old-space-size=96', '--import', 'tsx', fileURLToPath(import.meta.url)],
      { env: { ...process.env, PROBE212_CHILD: '1' }, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, `child exited ${r.status} (${r.signal}): ${r.stderr.slice(-400)}`);
    assert.match(r.stdout, new RegExp(`stacked ${STEPS} float32`));
  });

  test('np.repeat: a result past the 1 GiB per-array limit is an OutOfMemoryError before any work', () => {
    // 1e9 + 2 float32 = 3.73 GiB (it took ~20 s and several GB before refusing)
    const re = /^np\.repeat: float32\[1000000002\] needs 3\.73 GiB; one array holds at most 1 GiB/;
    assert.ok(timeThrow(() => np.repeat(np.ones([3]), [1e9, 1, 1]), OutOfMemoryError, re) < 1000);
    assert.ok(timeThrow(() => np.repeat(np.ones([3]), np.array([1e9, 1, 1], { dtype: 'int32' })), OutOfMemoryError, re) < 1000);
    // totalRepeatLength 1e9: float32[1e9], 3.73 GiB, eagerly and with traced repeats under jit
    const tre = /^np\.repeat: float32\[1000000000\] needs 3\.73 GiB/;
    assert.ok(timeThrow(() => np.repeat(np.ones([3]), [1, 1, 1], { axis: 0, totalRepeatLength: 1e9 }), OutOfMemoryError, tre) < 1000);
    assert.throws(() => jit((r: any) => np.repeat(np.ones([3]), r, { axis: 0, totalRepeatLength: 1e9 }))(np.array([1, 1, 1], { dtype: 'int32' })),
      (e: unknown) => e instanceof OutOfMemoryError && tre.test((e as Error).message));
    // bool[9e8 + 2] fits (0.84 GiB), its int32 index (3.35 GiB) does not
    assert.ok(timeThrow(() => np.repeat(np.ones([3], { dtype: 'bool' }), [9e8, 1, 1]), OutOfMemoryError,
      /^np\.repeat: its int32 index: int32\[900000002\] needs 3\.35 GiB/) < 1000);
    // (unchanged: numpy gives [1, 1, 3])
    assert.deepEqual(np.repeat(np.array([1, 2, 3]), [2, 0, 1]).tolist(), [1, 1, 3]);
  });

  test('messages: vmap of holes or an empty list, np.pad with a hole in padWidth, a Uint8ClampedArray', () => {
    const id = (x: any) => x;
    assert.throws(() => vmap(id)(new Array(3)), (e: unknown) => e instanceof ValueError &&
      /no argument is mapped \(the arguments hold no Arrays; argument 0: a list of 3 holes \(new Array\(3\)\)/.test((e as Error).message));
    assert.throws(() => vmap(id)([]), (e: unknown) => e instanceof ValueError && /argument 0: an empty list\)/.test((e as Error).message));
    // (unchanged: every inAxes null over an Array)
    assert.throws(() => vmap(np.sin, { inAxes: null })(np.ones([3])), (e: unknown) => e instanceof ValueError &&
      /every inAxes is null; argument 0: float32\[3\]/.test((e as Error).message));
    assert.throws(() => np.pad(np.ones([3]), [[1, , ] as any]), (e: unknown) => e instanceof ValueError &&
      /^np\.pad: padWidth .* has a hole at index 1 of a row/.test((e as Error).message));
    assert.throws(() => np.array(new Uint8ClampedArray(3)), (e: unknown) => e instanceof DTypeError &&
      /Uint8ClampedArray needs an explicit dtype \(its values are uint8/.test((e as Error).message) && !/int8\/int16/.test((e as Error).message));
    // (a Uint8ClampedArray with a dtype is read as its values: [0, 128, 255])
    assert.deepEqual(np.array(new Uint8ClampedArray([0, 128, 255]), { dtype: 'int32' }).tolist(), [0, 128, 255]);
  });
}
