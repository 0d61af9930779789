// Probe CB: leaks over long synchronous loops, and state after errors thrown mid-trace.
// Wasm memory is measured by walking the allocator's heap (AssemblyScript's TLSF: the root sits
// 16-aligned after the static data, its tail pointer at root + 1568 is `byteLength - 4`; blocks
// are a 4-byte header `size | FREE(1) | LEFTFREE(2)` then `size` bytes). That counts live bytes
// exactly, where `memory.buffer.byteLength` only moves when the heap doubles. JS memory is
// `process.memoryUsage().heapUsed` after a full gc. A pattern is run N times (warm-up: caches,
// arena chunks, kept-tape and resident budgets fill), measured, run N more, measured, N more,
// measured: the last step must not grow more than a small margin. References are closed forms
// or plain float64 JS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import {
  np, lax, grad, vjp, jvp, jacrev, hessian, vmap, jit, customVjp, checkpoint, tidy, makeJaxpr,
  linearize, random, wasm, keptTapeStats, setKeptTapeBudget, residentStats, CotangentError,
  ShapeError, TracerError, DeletedArrayError,
} from '../ts/index.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
// Dropped pullbacks and jitted closures fill the kept-tape budget by design (64 MiB): a small one
// makes 'flat' reachable within a few hundred iterations.
setKeptTapeBudget(512 * 1024);

// ------------------------------------------------------------------ measuring

let root = -1;
/** Live bytes of the wasm heap (sum of the sizes of used blocks). */
function wasmUsed(): number {
  const buf = wasm().memory.buffer, u32 = new Uint32Array(buf), L = buf.byteLength;
  if (root < 0 || u32[(root + 1568) >>> 2] !== L - 4) {
    root = -1;
    for (let r = 0; r < Math.min(L, 1 << 24); r += 16) if (u32[(r + 1568) >>> 2] === L - 4) { root = r; break; }
    assert.ok(root >= 0, 'heap root not found');
  }
  let b = ((root + 1572 + 4 + 15) & ~15) - 4, used = 0;
  while (b < L - 4) {
    const info = u32[b >>> 2], size = info & ~3;
    assert.ok(size > 0, `heap walk: a zero-size block at ${b}`);
    if (!(info & 1)) used += size;
    b += 4 + size;
  }
  assert.equal(b, L - 4, 'heap walk did not end at the tail block (heap corrupted?)');
  // kept tapes (pullbacks, jitted programs) fill their budget by design: not counted
  return used - keptTapeStats().residentBytes;
}
function jsUsed(): number { gc(); gc(); return process.memoryUsage().heapUsed; }

const x2 = () => np.array([1, 2], { dtype: 'float64' });
const cube = (x: any) => np.sum(np.power(x, 3));
/** Known answers through several transforms: grad, jit(grad), vmap, jvp, vjp of sum(x^3) at [1,2]. */
function known(): void {
  assert.deepEqual(Array.from(grad(cube)(x2()).dataSync()), [3, 12], 'grad after the loop');
  assert.deepEqual(Array.from(jit(grad(cube))(x2()).dataSync()), [3, 12], 'jit(grad) after the loop');
  assert.deepEqual(Array.from(vmap((v: any) => np.power(v, 3))(x2()).dataSync()), [1, 8], 'vmap after the loop');
  assert.equal(jvp(cube, [x2()], [np.array([1, 1], { dtype: 'float64' })])[1].item(), 15, 'jvp after the loop');
  assert.deepEqual(Array.from(vjp(cube, x2())[1](1)[0].dataSync()), [3, 12], 'vjp after the loop');
}

/** Run body 3N times; the wasm heap and JS heap must stay within margins over the last N. */
function flat(name: string, body: (i: number) => void, N: number, opts: { wasmMargin?: number; jsMargin?: number } = {}) {
  const wasmMargin = opts.wasmMargin ?? 64 * 1024, jsMargin = opts.jsMargin ?? 1.5 * 2 ** 20;
  let it = 0;
  for (let i = 0; i < N; i++) body(it++);
  known();
  const w1 = wasmUsed(), j1 = jsUsed();
  for (let i = 0; i < N; i++) body(it++);
  known();
  const w2 = wasmUsed(), j2 = jsUsed();
  for (let i = 0; i < N; i++) body(it++);
  known();
  const w3 = wasmUsed(), j3 = jsUsed();
  const msg = `${name}: wasm used ${w1} -> ${w2} -> ${w3}, js heap ${j1} -> ${j2} -> ${j3} (N = ${N})`;
  assert.ok(w3 - w2 <= wasmMargin, `wasm heap grew: ${msg}`);
  assert.ok(j3 - j2 <= jsMargin, `js heap grew: ${msg}`);
}

class Boom extends Error {}
const boom = (): never => { throw new Boom('boom'); };
function throwsLike(fn: () => unknown, cls: any): void {
  try { fn(); } catch (e) {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    return;
  }
  assert.fail(`expected ${cls.name}, nothing thrown`);
}

// ------------------------------------------------------------------ errors mid-trace

const ones32 = () => np.ones([3, 2], { dtype: 'float64' });
const errorPatterns: Record<string, [() => unknown, any]> = {
  'grad': [() => grad((x: any) => { np.sin(x); return boom(); })(x2()), Boom],
  'vjp': [() => vjp((x: any) => { np.sin(x); return boom(); }, x2()), Boom],
  'vjp pullback (bwd of customVjp)': [() => {
    const f = customVjp((x: any) => np.sin(x), (x: any) => [np.sin(x), np.cos(x)], (r: any, _g: any) => { np.multiply(r, 2); return boom(); });
    return vjp((x: any) => np.sum(f(x)), x2())[1](1);
  }, Boom],
  'jvp': [() => jvp((x: any) => { np.exp(x); return boom(); }, [x2()], [x2()]), Boom],
  'jacrev': [() => jacrev((x: any) => { np.exp(x); return boom(); })(x2()), Boom],
  'hessian': [() => hessian((x: any) => { np.sum(np.exp(x)); return boom(); })(x2()), Boom],
  'vmap': [() => vmap((x: any) => { np.exp(x); return boom(); })(x2()), Boom],
  'jit': [() => jit((x: any) => { np.exp(x); return boom(); })(x2()), Boom],
  'scan body under grad': [() => grad((x: any) => np.sum(lax.scan((c: any, _e: any) => { np.sin(c); return boom(); }, x, ones32())[0]))(x2()), Boom],
  'whileLoop body': [() => lax.whileLoop((c: any) => np.less(np.sum(c), 100), (c: any) => { np.sin(c); return boom(); }, x2()), Boom],
  'cond branch under grad': [() => grad((x: any) => np.sum(lax.cond(np.array(true), (y: any) => { np.cos(y); return boom(); }, (y: any) => y, x)))(x2()), Boom],
  'customVjp bwd under grad': [() => {
    const f = customVjp((x: any) => np.sin(x), (x: any) => [np.sin(x), x], (r: any, _g: any) => { np.cos(r); return boom(); });
    return grad((x: any) => np.sum(f(x)))(x2());
  }, Boom],
  'checkpoint under grad': [() => grad((x: any) => np.sum(checkpoint((y: any) => { np.sin(y); return boom(); })(x)))(x2()), Boom],
  'matmul shape error at depth 3': [() => grad((x: any) => np.sum(jacrev((y: any) => vmap((z: any) => np.matmul(np.ones([3, 4]), np.multiply(z, y)))(np.ones([2, 2])))(x)))(np.ones([2])), ShapeError],
  'item() under jit': [() => jit((x: any) => np.multiply(x, np.sum(x).item()))(x2()), TracerError],
  'item() under jit inside grad inside vmap': [() => vmap(grad(jit((x: any) => np.multiply(x, np.sum(np.sin(x)).item()))))(np.ones([3])), TracerError],
  'tidy with a large temporary': [() => tidy(() => { np.exp(np.ones([20000])); np.sin(x2()); return boom(); }), Boom],
  'grad inside tidy inside vmap': [() => tidy(() => vmap(grad((x: any) => { np.sin(x); return boom(); }))(np.ones([4]))), Boom],
};

for (const [name, [call, cls]] of Object.entries(errorPatterns)) {
  test(`an error thrown mid-trace (${name}) leaks nothing and the next calls are right`, () => {
    flat(name, () => {
      throwsLike(call, cls);
    }, 1500, { jsMargin: 2 ** 20 });
    // interleaved with good calls: each right right after an error
    for (let i = 0; i < 20; i++) {
      throwsLike(call, cls);
      assert.deepEqual(Array.from(grad(cube)(x2()).dataSync()), [3, 12]);
    }
  });
}

test('a jitted function whose second signature fails keeps its first, and leaks nothing', () => {
  const W = np.array([[1, 2, 3, 4], [5, 6, 7, 8]], { dtype: 'float64' });
  const f = jit((x: any) => np.sum(np.matmul(W, x)));
  const g = jit(grad((x: any) => np.sum(np.square(np.matmul(W, x)))));
  const x4 = np.array([1, 1, 1, 1], { dtype: 'float64' });
  assert.equal(f(x4).item(), 36);
  flat('jit new shape error', (i) => {
    throwsLike(() => f(np.ones([5 + (i % 3)], { dtype: 'float64' })), ShapeError);
    throwsLike(() => g(np.ones([3], { dtype: 'float64' })), ShapeError);
    assert.equal(f(x4).item(), 36);
  }, 500);
  // grad of sum((W x)^2) = 2 W^T W x; W x = [10, 26]
  assert.deepEqual(Array.from(g(x4).dataSync()), [2 * (10 + 5 * 26), 2 * (20 + 6 * 26), 2 * (30 + 7 * 26), 2 * (40 + 8 * 26)]);
});

test('a function that throws on its first jit trace only: the retrace is right (no half-built cache entry)', () => {
  let fail = true;
  const f = jit((x: any) => { const y = np.multiply(x, 3); if (fail) boom(); return np.sum(y); });
  throwsLike(() => f(x2()), Boom);
  fail = false;
  assert.equal(f(x2()).item(), 9);
  fail = true;
  assert.equal(f(x2()).item(), 9, 'cached: not traced again');
});

// ------------------------------------------------------------------ jit caches

test('jit: a changing shape every call, varying static args, per-iteration closures, makeJaxpr: flat', () => {
  const saved = keptTapeStats().budget;
  setKeptTapeBudget(1 << 20); // past the budget, kept tapes go to JS memory: flat from there
  try {
    const jf = jit((x: any) => np.sum(np.sin(x)));
    flat('jit changing shape', (i) => {
      const n = 1 + (i % 300);
      const got = jf(np.ones([n], { dtype: 'float64' })).item();
      assert.ok(Math.abs(got - n * Math.sin(1)) < 1e-12 * n, `jit shape ${n}: ${got}`);
    }, 1000);
    const js = jit((x: any, k: number) => np.multiply(x, k), { staticArgnums: [1] });
    flat('jit static args', (i) => { assert.equal(js(x2(), i).get(1).item(), 2 * i); }, 1000);
    flat('jit closure per iteration', (i) => { assert.equal(jit((x: any) => np.multiply(x, i))(x2()).get(1).item(), 2 * i); }, 1000);
    flat('jit(grad) closure per iteration', (i) => {
      assert.equal(jit(grad((x: any) => np.sum(np.multiply(np.square(x), i))))(x2()).get(1).item(), 4 * i);
    }, 1000);
    flat('makeJaxpr', (i) => { assert.equal(typeof makeJaxpr((x: any) => np.multiply(np.sin(x), i))(x2()), 'string'); }, 1000);
  } finally { setKeptTapeBudget(saved); }
});

// ------------------------------------------------------------------ pullbacks

test('pullbacks and linearized functions: dropped, called twice, kept and called after thousands of calls', () => {
  const saved = keptTapeStats().budget;
  setKeptTapeBudget(256 * 1024); // force the kept ones out to JS memory and back
  try {
    flat('vjp dropped', (i) => { vjp((x: any) => np.sin(np.multiply(x, i)), x2()); }, 1000);
    flat('linearize dropped', (i) => { linearize((x: any) => np.sin(np.multiply(x, i)), x2()); }, 1000);
    flat('pullback called twice', (i) => {
      const [, p] = vjp((x: any) => np.multiply(np.sin(x), i), x2());
      const a = p(np.array([1, 1], { dtype: 'float64' }))[0].dataSync(), b = p(np.array([1, 1], { dtype: 'float64' }))[0].dataSync();
      assert.deepEqual(Array.from(a), Array.from(b));
    }, 1000);
    // kept: 60 pullbacks and linearized functions of different inputs, called at the end
    const kept: { a: number; pull: any; lin: any; big: any; bx: Float64Array }[] = [];
    for (let k = 0; k < 60; k++) {
      const a = 0.1 + k / 7;
      const bx = Float64Array.from({ length: 10000 }, (_, j) => Math.sin(j + k)); // 80 KB: resident from its second use
      const bigX = np.array(bx);
      np.add(bigX, 0); // second use: a mirror block
      kept.push({
        a,
        pull: vjp((x: any) => np.multiply(np.sin(x), 2), np.array([a, 2 * a], { dtype: 'float64' }))[1],
        lin: linearize((x: any) => np.exp(x), np.array([a], { dtype: 'float64' }))[1],
        big: vjp((x: any) => np.sum(np.multiply(x, x)), bigX)[1],
        bx,
      });
    }
    for (let i = 0; i < 3000; i++) {
      vjp((x: any) => np.cos(np.multiply(x, i)), x2());
      if (i % 10 === 0) np.multiply(np.ones([30000]), i); // large results come and go
      if (i % 50 === 0) throwsLike(() => grad((x: any) => { np.sin(x); return boom(); })(x2()), Boom);
    }
    for (const { a, pull, lin, big, bx } of kept) {
      const g = pull(np.array([1, 1], { dtype: 'float64' }))[0].dataSync();
      assert.ok(Math.abs(g[0] - 2 * Math.cos(a)) < 1e-14 && Math.abs(g[1] - 2 * Math.cos(2 * a)) < 1e-14, `kept pullback at ${a}: ${g}`);
      const t = lin(np.array([1], { dtype: 'float64' })).item();
      assert.ok(Math.abs(t - Math.exp(a)) < 1e-14 * Math.exp(a), `kept linearize at ${a}: ${t}`);
      const gb = big(1)[0].dataSync();
      for (let j = 0; j < bx.length; j += 997) assert.equal(gb[j], 2 * bx[j], `kept big pullback, element ${j}`);
    }
  } finally { setKeptTapeBudget(saved); }
});

test('a pullback over an input donated later is a clear DeletedArrayError, and the next calls work', () => {
  const n = 20000;
  const W = np.add(np.arange(n, { dtype: 'float64' }), 1); // a resident result
  const [, pull] = vjp((v: any) => np.sum(np.multiply(W, v)), np.ones([n], { dtype: 'float64' }));
  assert.equal(pull(1)[0].get(5).item(), 6);
  jit((a: any) => np.multiply(a, 2), { donateArgnums: [0] })(W);
  throwsLike(() => pull(1), DeletedArrayError);
  throwsLike(() => pull(1), DeletedArrayError);
  known();
});

test('pullbacks made in a tidy over arrays it releases: right, and a loop of them stays flat', () => {
  const n = 20000;
  flat('tidy + pullback over released array', (i) => {
    let pull: any;
    tidy(() => {
      const W = np.add(np.arange(n, { dtype: 'float64' }), i); // resident, released by tidy
      pull = vjp((v: any) => np.sum(np.multiply(W, np.sin(v))), np.zeros([n], { dtype: 'float64' }))[1];
      return 0;
    });
    if (i % 25 === 0) assert.equal(pull(1)[0].get(7).item(), 7 + i);
  }, 300, { jsMargin: 4 * 2 ** 20 });
});

// ------------------------------------------------------------------ random, resident arrays

test('random key loops: deterministic, flat', () => {
  const first = random.normal(random.split(random.key(7)).get(1), [8]).dataSync();
  flat('random.split loop', (i) => {
    const [a, b] = random.split(random.key(i)) as any;
    random.normal(b, [10]);
    random.uniform(a, [3]);
  }, 1500);
  assert.deepEqual(Array.from(random.normal(random.split(random.key(7)).get(1), [8]).dataSync()), Array.from(first));
});

test('large results dropped without tidy: wasm memory bounded by the resident budget', () => {
  flat('large dropped (float32)', (i) => { np.multiply(np.ones([20000]), i); }, 600, { wasmMargin: 256 * 1024, jsMargin: 4 * 2 ** 20 });
  flat('large dropped under grad', (i) => { grad((x: any) => np.sum(np.sin(np.multiply(x, i))))(np.ones([20000])); }, 300, { wasmMargin: 256 * 1024, jsMargin: 4 * 2 ** 20 });
  assert.ok(residentStats().bytes <= residentStats().budget, JSON.stringify(residentStats()));
});

test('50 large arrays from early iterations keep their values through thousands of calls (evictions, errors, donation, tidy)', () => {
  const n = 17000; // float64: 136 KB, resident
  const keep: { arr: any; want: Float64Array; how: string }[] = [];
  const ramp = np.arange(n, { dtype: 'float64' });
  const donated = jit((a: any) => np.add(a, 1), { donateArgnums: [0] });
  const jf = jit((a: any, s: any) => np.add(np.multiply(a, 2), s));
  const gf = grad((a: any) => np.sum(np.multiply(np.square(a), 0.5)));
  for (let i = 0; i < 50; i++) {
    const c = 3 * i + 1;
    const want = new Float64Array(n);
    let arr: any, how: string;
    switch (i % 5) {
      case 0: arr = np.add(ramp, c); how = 'op result'; for (let j = 0; j < n; j++) want[j] = j + c; break;
      case 1: arr = jf(ramp, c); how = 'jit result'; for (let j = 0; j < n; j++) want[j] = 2 * j + c; break;
      case 2: arr = gf(np.add(ramp, c)); how = 'grad result'; for (let j = 0; j < n; j++) want[j] = j + c; break;
      case 3: { // built in JS, mirrored on its second use
        for (let j = 0; j < n; j++) want[j] = (j * c) % 1013;
        arr = np.array(want.slice()); np.sum(arr); np.sum(arr); how = 'mirror'; break;
      }
      default: arr = donated(np.add(ramp, c)); how = 'donated-call result'; for (let j = 0; j < n; j++) want[j] = j + c + 1;
    }
    keep.push({ arr, want, how });
    // a pinned resident array under a user callback that throws
    throwsLike(() => grad((a: any) => { np.sum(np.multiply(arr, a)); return boom(); })(np.ones([n], { dtype: 'float64' })), Boom);
  }
  for (let i = 0; i < 2500; i++) {
    np.multiply(ramp, i); // large results come and go: evictions
    if (i % 7 === 0) tidy(() => { np.exp(np.multiply(ramp, 1e-6)); return 0; });
    if (i % 11 === 0) donated(np.add(ramp, i));
    if (i % 13 === 0) throwsLike(() => vmap((v: any) => { np.sin(v); return boom(); })(np.ones([4, n], { dtype: 'float64' })), Boom);
    if (i % 17 === 0) { const k = keep[i % 50]; assert.equal(np.sum(k.arr).item() > -Infinity, true); } // reads: second chances, misses
    if (i % 19 === 0) throwsLike(() => np.matmul(ramp, np.ones([3, 3])), ShapeError);
  }
  for (const [i, { arr, want, how }] of keep.entries()) {
    const got = arr.dataSync() as Float64Array;
    let bad = -1;
    for (let j = 0; j < n; j++) if (got[j] !== want[j]) { bad = j; break; }
    assert.equal(bad, -1, `kept array ${i} (${how}) differs at ${bad}: ${got[bad]} != ${want[bad]}`);
  }
  known();
});

test('an exception from a user function while a large input is pinned: the input is intact, pins released, flat', () => {
  const n = 20000;
  const bx = Float64Array.from({ length: n }, (_, j) => j % 97);
  const X = np.add(np.array(bx), 0); // a resident result
  flat('throw while pinned', (i) => {
    throwsLike(() => vjp((v: any) => { np.multiply(v, X); return boom(); }, X), Boom);
    throwsLike(() => jit((v: any) => { np.multiply(v, i); return boom(); })(X), Boom);
    throwsLike(() => tidy(() => { np.add(X, i); return boom(); }), Boom);
    if (i % 20 === 0) assert.equal(np.sum(X).item(), bx.reduce((a, b) => a + b, 0));
  }, 400, { wasmMargin: 256 * 1024, jsMargin: 4 * 2 ** 20 });
  const got = X.dataSync();
  for (let j = 0; j < n; j++) if (got[j] !== bx[j]) assert.fail(`X[${j}] = ${got[j]}, want ${bx[j]}`);
  assert.ok(residentStats().bytes <= residentStats().budget);
});

test('CotangentError is the base of the errors raised here', () => {
  throwsLike(() => np.matmul(np.ones([2, 3]), np.ones([4])), CotangentError);
});

// ------------------------------------------------------------------ more state after errors

test('errors caught inside a trace (the function goes on): the enclosing transform is right', () => {
  const swallow = (f: () => unknown) => { try { f(); } catch { /* the function carries on */ } };
  const inner: Record<string, (x: any) => unknown> = {
    matmul: (x) => np.matmul(x, np.ones([3, 3])),
    jit: (x) => jit((y: any) => { np.sin(y); return boom(); })(x),
    grad: (x) => grad((y: any) => { np.sin(y); return boom(); })(x),
    vmap: (x) => vmap((y: any) => { np.sin(y); return boom(); })(x),
    scan: (x) => lax.scan((c: any) => { np.sin(c); return boom(); }, x, ones32()),
    item: (x) => jit((y: any) => np.sum(y).item())(x),
    concreteJit: () => jit((y: any) => { np.sin(y); return boom(); })(x2()),
    tidy: (x) => tidy(() => { np.sin(x); np.ones([30000]); return boom(); }),
  };
  const body = (f: (x: any) => unknown) => (x: any) => { np.exp(x); swallow(() => f(x)); return cube(x); };
  flat('caught inside', () => {
    for (const f of Object.values(inner)) {
      assert.deepEqual(Array.from(grad(body(f))(x2()).dataSync()), [3, 12]);
      assert.deepEqual(Array.from(jit(grad(body(f)))(x2()).dataSync()), [3, 12]);
      assert.equal(jvp(body(f), [x2()], [np.ones([2], { dtype: 'float64' })])[1].item(), 15);
      assert.deepEqual(hessian(body(f))(x2()).tolist(), [[6, 0], [0, 12]]);
    }
  }, 30);
});

test('a tracer kept from a failed (or finished) trace is a TracerError when used, never a value', () => {
  let L: any;
  const makers: (() => unknown)[] = [
    () => grad((x: any) => { L = np.sin(x); return boom(); })(x2()),
    () => jit((x: any) => { L = np.sin(x); return boom(); })(x2()),
    () => vmap((x: any) => { L = np.sin(x); return boom(); })(x2()),
    () => grad((x: any) => { L = np.sin(x); return np.sum(L); })(x2()),
  ];
  for (const mk of makers) {
    try { mk(); } catch { /* */ }
    throwsLike(() => np.add(L, 1), TracerError);
    throwsLike(() => L.dataSync(), TracerError);
    throwsLike(() => jit((x: any) => np.multiply(x, L))(x2()), TracerError);
    known();
  }
});

test('a JS stack overflow deep inside a trace (RangeError): depth unwound, next calls right, memory flat', () => {
  const rec = (x: any, d: number): any => rec(np.add(np.sin(x), d), d + 1);
  const calls = [
    () => rec(x2(), 0),
    () => grad((x: any) => np.sum(rec(x, 0)))(x2()),
    () => jit((x: any) => rec(x, 0))(x2()),
    () => vmap((x: any) => rec(x, 0))(x2()),
    () => hessian((x: any) => np.sum(rec(x, 0)))(x2()),
    () => grad((x: any) => np.sum(jit((y: any) => lax.scan((c: any, e: any) => [rec(c, 0), e], y, ones32())[0])(x)))(x2()),
  ];
  flat('stack overflow', () => {
    for (const c of calls) { throwsLike(c, RangeError); assert.equal(wasm().transforms_depth(), 0); }
  }, 3);
});

test('eager loops whose body throws after some steps, with a large carry: flat, the carry\'s source intact', () => {
  const n = 20000;
  const B = np.add(np.arange(n, { dtype: 'float64' }), 0); // resident
  flat('late throw in eager loops', () => {
    throwsLike(() => lax.whileLoop((c: any) => np.less(c.k, 100), (c: any) => {
      if (c.k.item() >= 5) boom();
      return { k: np.add(c.k, 1), v: np.sin(c.v) };
    }, { k: np.array(0), v: B }), Boom);
    let s = 0;
    throwsLike(() => lax.scan((c: any, e: any) => { if (s++ >= 5) boom(); return [np.add(c, e), np.sum(c)]; }, B, np.ones([10, n], { dtype: 'float64' })), Boom);
    throwsLike(() => lax.foriLoop(0, 10, (i: any, c: any) => { if (i >= 5) boom(); return np.cos(c); }, B), Boom);
    throwsLike(() => grad((x: any) => np.sum(lax.foriLoop(0, 10, (i: any, c: any) => { if (i >= 5) boom(); return np.sin(c); }, x)))(B), Boom);
  }, 60, { wasmMargin: 256 * 1024, jsMargin: 4 * 2 ** 20 });
  const got = B.dataSync();
  for (let j = 0; j < n; j++) if (got[j] !== j) assert.fail(`B[${j}] = ${got[j]}`);
});

test('a pullback whose bwd threw once is right when called again', () => {
  let fail = true;
  const f = customVjp((x: any) => np.sin(x), (x: any) => [np.sin(x), np.cos(x)], (r: any, g: any) => { if (fail) boom(); return [np.multiply(g, r)]; });
  const [, p] = vjp((x: any) => np.sum(f(x)), x2());
  for (let i = 0; i < 200; i++) {
    fail = true;
    throwsLike(() => p(1), Boom);
    fail = false;
    const g = p(1)[0].dataSync();
    assert.ok(Math.abs(g[0] - Math.cos(1)) < 1e-15 && Math.abs(g[1] - Math.cos(2)) < 1e-15, `${g}`);
  }
  known();
});

test('jit with a new shape on every call (never repeated): flat (LRU)', () => {
  const jf = jit((x: any) => np.sum(np.sin(x)));
  flat('jit new shape every call', (i) => {
    const n = 1 + i;
    if (i % 100 === 0) { const got = jf(np.ones([n], { dtype: 'float64' })).item(); assert.ok(Math.abs(got - n * Math.sin(1)) < 1e-12 * n); }
    else jf(np.ones([n]));
  }, 600, { jsMargin: 2 * 2 ** 20 });
});

test('out-of-memory refusals in a loop: no growth, next calls right', () => {
  flat('oom refusals', () => {
    throwsLike(() => np.sin(np.ones([2 ** 28])), CotangentError);
    throwsLike(() => grad((x: any) => np.sum(np.multiply(np.ones([2 ** 28]), x)))(1.0), CotangentError);
    throwsLike(() => jit((x: any) => np.add(np.zeros([2 ** 28]), x))(1), CotangentError);
  }, 100);
});
