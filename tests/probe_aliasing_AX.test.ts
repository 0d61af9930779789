// helper-274's probe of aliasing and buffer reuse under jit, donation and resident arrays.
// References: hand-computed literals (small integer float32 sums are exact).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, jit, tidy, DeletedArrayError, NDArray } from '../ts/index.ts';

const f32 = (v: number[]) => np.array(v, { dtype: 'float32' });
const donate = jit((v: NDArray) => np.multiply(v, 3), { donateArgnums: 0 });
const isDeletedStatic = (e: unknown) => e instanceof DeletedArrayError && /jit\(addS\): argument 1 \(static\)/.test((e as Error).message);

test('a static Array argument deleted (donated, or released by tidy) is a DeletedArrayError naming the argument, also on a cache hit', () => {
  // Keyed by identity, a small static Array's values were baked into the cached program: after it
  // was donated the second call replayed them silently ([11, 22, 33]); the first call's error named
  // np.add, not the jit argument. Eagerly, and for an Array argument, any read is a DeletedArrayError.
  const addS = (a: NDArray, s: NDArray) => np.add(a, s);
  for (const kill of ['donate', 'tidy'] as const) {
    const f = jit(addS, { staticArgnums: 1 });
    const x = f32([1, 2, 3]);
    let s = f32([10, 20, 30]);
    if (kill === 'tidy') tidy(() => { s = f32([10, 20, 30]); assert.deepEqual([...f(x, s).dataSync()], [11, 22, 33]); });
    else { assert.deepEqual([...f(x, s).dataSync()], [11, 22, 33]); donate(s); }
    assert.ok(s.isDeleted());
    assert.throws(() => f(x, s), isDeletedStatic, `${kill}: cache hit`);
    assert.throws(() => jit(addS, { staticArgnums: 1 })(x, s), isDeletedStatic, `${kill}: first call`);
    // inside a static list or plain object too
    const g = jit((a: NDArray, cfg: { w: NDArray[] }) => np.add(a, cfg.w[0]), { staticArgnums: 1 });
    const cfg = { w: [f32([1, 1, 1])] };
    assert.deepEqual([...g(x, cfg).dataSync()], [2, 3, 4]);
    donate(cfg.w[0]);
    assert.throws(() => g(x, cfg), (e: unknown) => e instanceof DeletedArrayError && /argument 1 \(static\)/.test((e as Error).message));
    // the next call with a live Array still works
    assert.deepEqual([...f(x, f32([5, 5, 5])).dataSync()], [6, 7, 8]);
  }
});

test('a static list, Map or Set with a property beside its elements, or a hole, changed in place retraces', () => {
  // Such a container was keyed by identity: setting l.scale = 10 (or filling a hole) on the same
  // list replayed the program traced with 2 ([2, 4, 6] where [10, 20, 30] is right).
  const x = f32([1, 2, 3]);
  const f = jit((a: NDArray, c: any) => np.multiply(a, c.scale), { staticArgnums: 1 });
  const l: any = [1, 2]; l.scale = 2;
  assert.deepEqual([...f(x, l).dataSync()], [2, 4, 6]);
  l.scale = 10;
  assert.deepEqual([...f(x, l).dataSync()], [10, 20, 30], 'list');
  const m: any = new Map([['a', 1]]); m.scale = 3;
  assert.deepEqual([...f(x, m).dataSync()], [3, 6, 9]);
  m.scale = 4;
  assert.deepEqual([...f(x, m).dataSync()], [4, 8, 12], 'Map');
  const s: any = new Set([1]); s.scale = 5;
  assert.deepEqual([...f(x, s).dataSync()], [5, 10, 15]);
  s.scale = -1;
  assert.deepEqual([...f(x, s).dataSync()], [-1, -2, -3], 'Set');
  const g = jit((a: NDArray, c: number[]) => np.multiply(a, 1 in c ? c[1] : 7), { staticArgnums: 1 });
  const h: number[] = [1, , 3] as number[];
  assert.deepEqual([...g(x, h).dataSync()], [7, 14, 21]);
  h[1] = 2;
  assert.deepEqual([...g(x, h).dataSync()], [2, 4, 6], 'a hole filled');
  // equal contents still share a program
  const n = f.traceCount;
  const l2: any = [1, 2]; l2.scale = 10;
  f(x, l2);
  assert.equal(f.traceCount, n, 'an equal list with an equal property: no retrace');
});
