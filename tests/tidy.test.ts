// tidy(fn) (ts/api/tidy.ts): Arrays made inside and not returned are deleted when fn returns,
// their wasm blocks freed without the copy eviction makes. These tests try to break it: values
// kept and released across every kind of return value, nesting, errors, transforms around and
// inside it, kept tapes and jitted programs made inside it, and memory in a long loop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, tidy, grad, vjp, linearize, jit, vmap, random, residentStats, wasm, DeletedArrayError, ValueError, NDArray } from '../ts/index.ts';

const M = 1 << 18; // 1 MiB of float32: resident
function ramp(n: number, scale = 1e-3): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = ((i % 1000) - 500) * scale;
  return out;
}
const released = (a: NDArray) => assert.throws(() => a.dataSync(), (e: unknown) =>
  e instanceof DeletedArrayError && /made inside a tidy\(fn\) and released when fn returned/.test((e as Error).message));

test('returned Arrays keep their values, in any tree; the others are deleted, small and large alike', () => {
  const src = ramp(M);
  let small: NDArray | undefined, large: NDArray | undefined, js: NDArray | undefined;
  const out = tidy(() => {
    small = np.add(np.array([1, 2, 3]), 1);
    js = np.array(src); // a typed array inside a tidy goes straight into wasm memory
    large = np.exp(js);
    const s = np.sum(large);
    return { s, list: [np.multiply(js, 2)], map: new Map([['k', np.array([7])]]), set: new Set([np.array([8])]), n: 3 };
  });
  released(small!); released(large!); released(js!);
  assert.deepEqual(small!.shape, [3]); // shape and dtype stay readable
  assert.equal(large!.dtype, 'float32');
  assert.ok(large!.isDeleted());
  // references from float64 arithmetic on the source
  let ref = 0;
  for (let i = 0; i < M; i++) ref += Math.exp(src[i]);
  assert.ok(Math.abs(out.s.item() - ref) / ref < 1e-5, `${out.s.item()} vs ${ref}`);
  const twice = out.list[0].dataSync();
  for (let i = 0; i < M; i += 997) assert.equal(twice[i], Math.fround(2 * src[i]));
  assert.deepEqual(out.map.get('k')!.tolist(), [7]);
  assert.deepEqual([...out.set][0].tolist(), [8]);
  assert.equal(out.n, 3);
});

test('np.array inside a tidy copies its source: changing the source later changes nothing', () => {
  const src = ramp(M);
  const a = tidy(() => np.array(src));
  src.fill(5);
  const v = a.dataSync();
  assert.equal(v[1], Math.fround(-499e-3));
  assert.equal(v[M - 1], Math.fround(((M - 1) % 1000 - 500) * 1e-3));
});

test('Arrays made before a tidy, and reshaped views of them made inside, are untouched', () => {
  const outer = np.array(ramp(M));
  const small = np.array([1, 2, 3, 4]);
  tidy(() => { np.reshape(small, [2, 2]); np.reshape(outer, [512, 512]); np.sum(outer); });
  assert.deepEqual(small.tolist(), [1, 2, 3, 4]);
  assert.equal(outer.dataSync()[1], Math.fround(-499e-3));
});

test('nested tidies: what the inner one returns belongs to the outer one', () => {
  let inner: NDArray | undefined, kept: NDArray | undefined;
  const out = tidy(() => {
    inner = tidy(() => np.array(ramp(M)));
    kept = tidy(() => np.multiply(inner!, 3));
    return np.sum(kept);
  });
  released(inner!); released(kept!);
  let ref = 0;
  for (const v of ramp(M)) ref += 3 * Math.fround(v);
  assert.ok(Math.abs(out.item() - ref) < 1e-2 * M * 1e-3, `${out.item()} vs ${ref}`);
});

test('an error inside fn propagates, releases what fn made, and the next call works', () => {
  let made: NDArray | undefined;
  assert.throws(() => tidy(() => { made = np.array(ramp(M)); np.add(made, np.ones([3])); }), /add/);
  released(made!);
  assert.deepEqual(tidy(() => np.add(np.array([1, 2]), 1)).tolist(), [2, 3]);
});

test('bad uses are ValueErrors: not a function, an async function (whose Arrays stay: its rest still runs)', async () => {
  assert.throws(() => tidy(3 as never), (e: unknown) => e instanceof ValueError && /tidy: expected a function/.test(String(e)));
  let made: NDArray | undefined, rest: Promise<number> | undefined;
  assert.throws(() => tidy((() => { rest = (async () => { made = np.ones([2]); await null; return np.sum(made).item() as number; })(); return rest; }) as never),
    (e: unknown) => e instanceof ValueError && /fn is asynchronous/.test(String(e)));
  assert.equal(await rest!, 2); // after the await it read `made`: not released under it
  assert.throws(() => tidy((async function* () { yield np.ones([2]); }) as never), /fn is asynchronous/);
});

test('typed arrays of another element type than the dtype are converted inside a tidy too (not copied as bytes)', () => {
  const N = 1 << 16, i32 = new Int32Array(N).fill(1), f32 = new Float32Array(N).fill(1.5);
  assert.equal(tidy(() => np.array(i32, { dtype: 'float32' })).dataSync()[0], 1);
  assert.equal(tidy(() => np.array(f32, { dtype: 'float64' })).dataSync()[N - 1], 1.5);
  assert.equal(tidy(() => np.sum(np.array(new Uint8Array(1 << 20).fill(1), { dtype: 'float32' })).item()), 1 << 20);
  assert.deepEqual(tidy(() => np.array(new Float64Array(N).fill(2), { dtype: 'complex64', shape: [N / 2] })).tolist()[0], { re: 2, im: 2 });
  assert.equal(tidy(() => np.array(new Uint32Array(N).fill(4e9))).dataSync()[7], 4e9);
  const victim = tidy(() => { // a donation of a converted array wrote past its block into this one
    const w = np.array(f32, { dtype: 'float64' }), v = np.array(new Float64Array(N).fill(42));
    jit((a: NDArray) => np.multiply(a, 0), { donateArgnums: 0 })(w);
    return v;
  });
  assert.ok(victim.dataSync().every((x) => x === 42));
});

test('the walk of the result reads own data properties only: no getter runs, an unreadable part is skipped', () => {
  let ran = 0;
  let hidden: NDArray | undefined;
  const out = tidy(() => {
    hidden = np.ones([2]);
    const o = { kept: np.ones([3]) };
    Object.defineProperty(o, 'viaGetter', { enumerable: true, get: () => { ran++; return hidden; } });
    return o;
  });
  assert.equal(ran, 0);
  assert.deepEqual(out.kept.tolist(), [1, 1, 1]);
  released(hidden!);
  const { proxy, revoke } = Proxy.revocable({ a: 1 }, {});
  revoke();
  const r = tidy(() => ({ p: proxy, x: np.ones([2]) }));
  assert.deepEqual(r.x.tolist(), [1, 1]);
  const t0 = performance.now();
  tidy(() => Array.from({ length: 1e6 }, (_, i) => i));
  assert.ok(performance.now() - t0 < 5000); // a list of numbers is walked by index, not by a million keys
});

test('an Array kept in a closure or an outer variable instead of returned is deleted: reading it says so', () => {
  let stash: NDArray | undefined;
  const f = tidy(() => { stash = np.array(ramp(M)); const W = np.ones([4]); return () => np.sum(W); });
  released(stash!);
  assert.throws(() => f(), DeletedArrayError);
});

test('transforms inside a tidy, and a tidy inside transforms, give the same values as without it', () => {
  const src = ramp(M, 1e-4);
  const f = (v: NDArray) => np.sum(np.sin(np.multiply(v, np.array(src))));
  const ones = np.ones([M]);
  const plain = grad(f)(ones).dataSync().slice();
  const check = (got: NDArray, what: string) => {
    const g = got.dataSync();
    for (let i = 0; i < M; i += 641) assert.equal(g[i], plain[i], `${what} at ${i}`);
  };
  check(tidy(() => grad(f)(ones)), 'grad inside tidy');
  check(grad((v: NDArray) => tidy(() => f(v)))(ones), 'tidy inside grad');
  check(jit(grad((v: NDArray) => tidy(() => f(v))))(ones), 'tidy inside jit(grad)');
  check(np.reshape(tidy(() => vmap(grad(f))(np.reshape(ones, [1, M]))), [M]), 'vmap inside tidy');
});

test('pullbacks, linearized functions and jitted programs made inside a tidy work after it', () => {
  const src = ramp(M, 1e-4);
  const f = (v: NDArray) => np.sin(np.multiply(v, np.array(src)));
  const ones = np.ones([M]);
  const [y, pullback] = tidy(() => vjp(f, ones));
  const [y2, lin] = tidy(() => linearize(f, ones));
  const h = tidy(() => { const W = np.array(src); const j = jit((v: NDArray) => np.sum(np.multiply(v, W))); j(ones); return j; });
  const ct = pullback(np.onesLike(y))[0].dataSync(), jv = lin(np.onesLike(y2)).dataSync();
  for (let i = 0; i < M; i += 641) {
    const ref = Math.cos(Math.fround(src[i])) * Math.fround(src[i]);
    assert.ok(Math.abs(ct[i] - ref) < 1e-6 && Math.abs(jv[i] - ref) < 1e-6, `at ${i}: ${ct[i]}, ${jv[i]} vs ${ref}`);
  }
  let ref = 0;
  for (const v of src) ref += Math.fround(v);
  assert.ok(Math.abs(h(ones).item() - ref) < 1e-2, `${h(ones).item()} vs ${ref}`); // its program holds W's values
});

test('donation and random keys inside a tidy', () => {
  const step = jit((w: NDArray) => np.multiply(w, 0.5), { donateArgnums: 0 });
  let w = np.array(ramp(M));
  for (let i = 0; i < 3; i++) w = tidy(() => step(w));
  assert.equal(w.dataSync()[1], Math.fround(Math.fround(-499e-3) / 8));
  const key = random.key(3);
  const before = random.normal(key, [4]).tolist();
  tidy(() => { random.split(key); random.normal(key, [100]); });
  assert.deepEqual(random.normal(key, [4]).tolist(), before);
});

test('a long loop of tidy steps on 4 MiB arrays copies nothing out, and wasm memory stays flat', () => {
  const src = ramp(1 << 20), src2 = ramp(1 << 20, 2e-3);
  const step = () => tidy(() => np.sum(np.add(np.array(src), np.exp(np.array(src2)))).item());
  const first = step();
  for (let i = 0; i < 20; i++) step();
  const copies = residentStats().evictionCopies, mem = wasm().memory.buffer.byteLength, bytes = residentStats().bytes;
  for (let i = 0; i < 200; i++) assert.equal(step(), first);
  assert.equal(residentStats().evictionCopies, copies, 'eviction copied a released block');
  assert.equal(residentStats().bytes, bytes, 'resident bytes grew');
  assert.equal(wasm().memory.buffer.byteLength, mem, 'wasm memory grew');
});

test('heavy composites on large operands (one-shot programs) inside a tidy: what they read is released too, nothing copied out', () => {
  // (a one-shot program marked the Arrays it read as held, as a jitted function's constants are:
  // tidy then left them to eviction, which copied each out)
  const src = ramp(1 << 20), src2 = ramp(1 << 20, 2e-3);
  let kept: NDArray | undefined;
  const step = () => tidy(() => { kept = np.array(src); return np.sum(np.gelu(np.logaddexp(kept, np.array(src2)))).item(); });
  const first = step();
  released(kept!);
  for (let i = 0; i < 10; i++) step();
  const copies = residentStats().evictionCopies, bytes = residentStats().bytes;
  for (let i = 0; i < 60; i++) assert.equal(step(), first);
  assert.equal(residentStats().evictionCopies, copies, 'eviction copied a released block');
  assert.equal(residentStats().bytes, bytes, 'resident bytes grew');
});

test('a step whose large Arrays outgrow the resident budget grows it: later steps copy none out', () => {
  const x = ramp(1 << 20), y = ramp(1 << 20, 2e-3);
  const step = () => tidy(() => np.sum(np.exp(np.add(np.array(x), np.array(y)))).item()); // four 4 MiB Arrays
  const first = step();
  for (let i = 0; i < 5; i++) step();
  const copies = residentStats().evictionCopies;
  for (let i = 0; i < 30; i++) assert.equal(step(), first);
  assert.equal(residentStats().evictionCopies, copies);
});

test('Arrays returned from tidies and then evicted keep their values', () => {
  const outs: NDArray[] = [];
  for (let k = 0; k < 12; k++) outs.push(tidy(() => np.add(np.array(ramp(1 << 20)), k))); // 48 MiB: past the budget
  for (let k = 0; k < 12; k++) {
    const v = outs[k].dataSync();
    for (let i = 0; i < v.length; i += 4099) assert.equal(v[i], Math.fround(Math.fround(((i % 1000) - 500) * 1e-3) + k), `array ${k} at ${i}`);
  }
});
