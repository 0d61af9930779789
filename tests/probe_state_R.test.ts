// Probe R (state, reentrancy, lifetimes): a custom rule that transforms its own function without
// end, and guards for the state a failed or interleaved call leaves behind.
// References: closed forms (d sin = cos, d exp = exp), math written out in each test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  np, lax, grad, jit, vmap, jvp, vjp, customJvp, customVjp, tidy, wasm, ValueError, TracerError, DeletedArrayError,
  type NDArray,
} from '../ts/index.ts';

const close = (a: number, b: number, tol = 1e-6) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

test('a customJvp rule calling jvp of its own function: a ValueError saying the transforms nest without end', () => {
  // Past assembly/ad/maps.ts's 256 open transform levels this read 'jvp: invalid parameters'.
  const f: any = customJvp((x: NDArray) => np.sin(x), (p: any[], t: any[]) => jvp(f, [p[0]], [t[0]]));
  assert.throws(() => grad(f)(1.0), (e: unknown) => e instanceof ValueError && /more than 256 transform levels/.test((e as Error).message) && /recurses/.test((e as Error).message));
  close(grad(np.sin)(1.0).item(), Math.cos(1));
});

test('a customVjp bwd calling grad of its own function without end: the same error, and the library still works', () => {
  const f: any = customVjp((x: NDArray) => np.exp(x), (x: NDArray) => [np.exp(x), x], (r: any, g: any) => [np.multiply(grad(f)(r), g)]);
  assert.throws(() => grad(f)(0.0), /more than 256 transform levels/);
  // a bounded self-reference is fine: depth 3, then the identity cotangent
  let depth = 0;
  const h: any = customVjp((x: NDArray) => np.exp(x), (x: NDArray) => [np.exp(x), x], (r: any, g: any) => (++depth > 3 ? [g] : [np.multiply(grad(h)(r), g)]));
  assert.equal(grad(h)(0.0).item(), 1);
  close(vmap(grad(np.sin))(np.array([0.0, 1.0])).tolist()[1] as number, Math.cos(1));
});

test('a throw inside each kind of traced function leaves nothing behind; leaked tracers are TracerErrors', () => {
  class Boom extends Error {}
  let leaked: any = null;
  const throwers: (() => unknown)[] = [
    () => grad((x: NDArray) => { leaked = np.sin(x); throw new Boom(); })(1.0),
    () => jit((x: NDArray) => { leaked = np.sin(x); throw new Boom(); })(np.array(1.0)),
    () => vmap((x: NDArray) => { leaked = np.sin(x); throw new Boom(); })(np.array([1.0, 2.0])),
    () => jit((c0: NDArray) => lax.scan((c: any, x: any) => { leaked = np.add(c, x); throw new Boom(); }, c0, np.ones([2])))(np.array(0.0)),
    () => jit((p: NDArray, x: NDArray) => lax.cond(p, (y: any) => y, (y: any) => { leaked = np.sin(y); throw new Boom(); }, x))(np.array(true), np.array(1.0)),
    () => grad(customVjp((x: NDArray) => np.sin(x), (x: NDArray) => [np.sin(x), x], (r: any) => { leaked = np.cos(r); throw new Boom(); }))(1.0),
    () => vmap(grad(customJvp((x: NDArray) => np.sin(x), (p: any[]) => { leaked = np.cos(p[0]); throw new Boom(); })))(np.array([1.0])),
  ];
  const mem0 = wasm().memory.buffer.byteLength;
  for (let i = 0; i < 700; i++) {
    leaked = null;
    assert.throws(throwers[i % throwers.length], Boom);
    if (i < throwers.length) assert.throws(() => np.add(leaked, 1), TracerError);
  }
  assert.equal(wasm().memory.buffer.byteLength, mem0);
  // sum(x sin x)' = sin x + x cos x
  const g = grad((x: NDArray) => np.sum(np.multiply(x, np.sin(x))))(np.array([1.0, 2.0])).tolist() as number[];
  close(g[0], Math.sin(1) + Math.cos(1)); close(g[1], Math.sin(2) + 2 * Math.cos(2));
});

test('interleaved async tasks calling jit(grad), vjp and its pullback agree with the same calls made in sequence', async () => {
  const jg = jit(grad((w: NDArray, x: NDArray) => np.sum(np.tanh(np.multiply(w, x)))));
  const task = async (i: number) => {
    const w = np.array([0.1 * i, -0.2 * i]), x = np.array([1, 2 + i]);
    await new Promise((r) => setTimeout(r, (i * 7) % 5));
    const g = jg(w, x); await null;
    const [, pb] = vjp((a: NDArray) => np.sin(np.multiply(a, a)), w); await Promise.resolve();
    return [g.tolist(), pb(np.ones([2]))[0].tolist()];
  };
  const conc = await Promise.all(Array.from({ length: 40 }, (_, i) => task(i)));
  for (let i = 0; i < 40; i++) assert.deepEqual(conc[i], await task(i));
  // i = 3: d/dw sum tanh(w x) = x (1 - tanh(w x)^2), w = [0.3, -0.6], x = [1, 5]
  const ref = [1 * (1 - Math.tanh(0.3) ** 2), 5 * (1 - Math.tanh(-3) ** 2)];
  close((conc[3][0] as number[])[0], ref[0], 1e-6); close((conc[3][0] as number[])[1], ref[1], 1e-5);
});

test('tidy: a jitted function or pullback made inside keeps working; the Arrays it released say so', () => {
  let dead: any;
  const jf = tidy(() => { const w = np.array([1, 2, 3]); dead = w; const f = jit((x: NDArray) => np.sum(np.multiply(w, x))); f(np.array(2.0)); return f; });
  assert.equal(jf(np.array(2.0)).item(), 12);
  assert.throws(() => np.sin(dead), DeletedArrayError);
  const pb = tidy(() => vjp((a: NDArray) => np.sum(np.sin(a)), np.array([0.1, 0.2, 0.3]))[1]);
  close(np.sum(pb(np.array(1.0))[0] as NDArray).item(), Math.cos(0.1) + Math.cos(0.2) + Math.cos(0.3));
});
