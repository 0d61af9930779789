// Control flow as rows of the program (assembly/ad/rules/control.ts, ts/api/control_rows.ts):
// under jit a lax.whileLoop whose predicate is abstract, every lax.scan, and a lax.cond or switch
// with a traced index are one row traced once and run in wasm. Values against closed forms and JS
// loops in float64; derivatives (while: forward mode to second order, reverse refused as in JAX;
// scan and cond: both modes) against closed forms, eager runs and checkGrads (float64 central
// differences); vmap against single calls; the printed program; memory over many steps and
// calls; the errors a new user meets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  np, lax, grad, jvp, vmap, jit, jacfwd, jacrev, checkGrads, makeJaxpr, NDArray, CotangentError, DTypeError, ShapeError,
  NotImplementedError, ValueError, TracerError, hessian, linearize, customVjp, customJvp, checkpoint, valueAndGrad, wasm,
} from 'cotangent';

const f64 = (x: any) => np.array(x, { dtype: 'float64' });
const i32 = (x: any) => np.array(x, { dtype: 'int32' });
const vals = (x: any): number[] => (x instanceof NDArray ? Array.from(x.dataSync(), Number) : [x].flat().map(Number));
function close(got: any, want: number | number[], tol = 1e-12, msg = '') {
  const g = vals(got), w = [want].flat();
  assert.equal(g.length, w.length, `${msg}: length`);
  g.forEach((v, i) => assert.ok(Math.abs(v - w[i]) <= tol * Math.max(1, Math.abs(w[i])), `${msg}[${i}]: got ${v}, want ${w[i]}`));
}
function throwsNamed(fn: () => unknown, cls: any, ...parts: string[]) {
  assert.throws(fn, (e: any) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${e?.constructor?.name}: ${e?.message}`);
    assert.ok(e instanceof CotangentError);
    for (const p of parts) assert.ok(e.message.includes(p), `message ${JSON.stringify(e.message)} lacks ${p}`);
    return true;
  });
  close(jit(newtonSqrt)(f64(4))[0], 2, 1e-12, 'the next call works'); // the library is left usable
}

/** sqrt(a) by Newton's iteration until |x^2 - a| <= 1e-12 a: a trip count only the values decide. */
const newtonSqrt = (a: any) => lax.whileLoop(
  ([x]: any) => np.greater(np.abs(np.subtract(np.multiply(x, x), a)), np.multiply(1e-12, a)),
  ([x, k]: any) => [np.multiply(0.5, np.add(x, np.divide(a, x))), np.add(k, 1)],
  [a, 0]);
/** The same iteration in JS numbers: the reference for values and trip counts. */
function newtonByHand(a: number): [number, number] {
  let x = a, k = 0;
  while (Math.abs(x * x - a) > 1e-12 * a) { x = 0.5 * (x + a / x); k++; }
  return [x, k];
}

test('jit: a loop whose trip count depends on the values is one while row, traced once, equal to the JS loop', () => {
  const f = jit(newtonSqrt);
  for (const a of [2, 9, 1e6, 0.25, 1]) {
    const [x, k] = f(f64(a));
    const [xr, kr] = newtonByHand(a);
    close(x, xr, 0, `sqrt ${a}`); close(k, kr, 0, `steps for ${a}`);
    assert.equal(k.dtype, 'float32'); // (the weak JS 0 stays float32, as the eager loop computes it)
  }
  assert.equal(f.traceCount, 1);
  const text = makeJaxpr(newtonSqrt)(f64(2));
  assert.match(text, /while\[cond_nconsts=1 body_nconsts=1\]/);
  assert.match(text, /cond = \{ lambda ; a:f64\[\], b:f32\[\], c:f64\[\]\./);
  assert.match(text, /body = \{ lambda/);
});

test('jit: carries that read each other (a swap, Fibonacci) step from the old values; a nested loop; a closed-over Array', () => {
  const fib = jit((n: any) => lax.whileLoop(([, , k]: any) => np.less(k, n), ([a, b, k]: any) => [b, np.add(a, b), np.add(k, 1)], [f64(0), f64(1), i32(0)]));
  const [a, b] = fib(i32(30));
  close(a, 832040, 0); close(b, 1346269, 0);
  // swapping carries an odd number of times
  const swap = jit((n: any, x: any, y: any) => lax.whileLoop(([, , k]: any) => np.less(k, n), ([u, v, k]: any) => [v, u, np.add(k, 1)], [x, y, 0]));
  const [u, v] = swap(i32(7), f64([1, 2]), f64([3, 4]));
  close(u, [3, 4], 0); close(v, [1, 2], 0);
  // a loop in the body: sum over i < n of (sum over j < i of 1) = n (n - 1) / 2
  const tri = jit((n: any) => lax.whileLoop(([i]: any) => np.less(i, n),
    ([i, s]: any) => [np.add(i, 1), lax.whileLoop(([j]: any) => np.less(j, i), ([j, t]: any) => [np.add(j, 1), np.add(t, 1)], [i32(0), s])[1]],
    [i32(0), i32(0)]));
  close(tri(i32(10))[1], 45, 0);
  // a large Array the body closes over is bound at each call, not baked in
  const w = f64(Array.from({ length: 5000 }, (_, i) => (i % 7) / 7));
  const g = jit((n: any) => lax.foriLoop(0, n, (_i: any, c: any) => np.add(c, np.sum(w)), f64(0)));
  const s = Array.from({ length: 5000 }, (_, i) => (i % 7) / 7).reduce((p, q) => p + q, 0);
  close(g(i32(3)), 3 * s, 1e-12);
});

test('jit: 100000 steps of one row keep memory flat, and 200 calls neither retrace nor grow memory', () => {
  const count = jit((n: any) => lax.whileLoop(([k]: any) => np.less(k, n), ([k, s]: any) => [np.add(k, 1), np.add(s, 0.5)], [i32(0), f64(0)]));
  close(count(i32(100000))[1], 50000, 0);
  const before = process.memoryUsage().arrayBuffers;
  for (let i = 0; i < 200; i++) close(count(i32(1000))[0], 1000, 0);
  assert.equal(count.traceCount, 1);
  assert.ok(process.memoryUsage().arrayBuffers - before < 64 << 20, 'memory grew over 200 calls');
});

test('a loop runs its body as a fixed plan (emitted once, re-run): constants whose buffers the inliner would hand on, views of xs, a cond per step, a carry returned as it was', () => {
  // JS constants in the body are baked rows; each step's chain of same-sized rows reuses freed
  // buffers, so a constant's buffer handed to a later row would be read back as that row's value
  const affine = jit((c: any, n: any) => lax.whileLoop(([k]: any) => np.less(k, n),
    ([k, x]: any) => [np.add(k, 1), np.subtract(np.multiply(np.add(np.multiply(x, 0.5), 1), 3), 2)], [i32(0), c]));
  let want = 0.25;
  for (let i = 0; i < 40; i++) want = (want * 0.5 + 1) * 3 - 2;
  close(affine(f64(0.25), i32(40))[1], want, 1e-13, 'while');
  // a baked constant of 64 elements: the arena writes its free list into a released block (its
  // first element read 0 from the second step on while constants were released)
  const C = np.add(np.arange(64), 100);
  const addC = jit((a: any) => lax.scan((c: any, _: any) => [np.add(c, C), null], a, null, { length: 3 })[0]);
  close(addC(np.zeros([64])), Array.from({ length: 64 }, (_, i) => 3 * (100 + i)), 0, 'scan constant');
  const addW = jit((a: any) => lax.whileLoop(([k]: any) => np.less(k, 3), ([k, c]: any) => [np.add(k, 1), np.add(c, C)], [i32(0), a])[1]);
  close(addW(np.zeros([64])), Array.from({ length: 64 }, (_, i) => 3 * (100 + i)), 0, 'while constant');
  // a constant whose buffer an earlier row released: a loop in the body, read by flip (a gather), is
  // released before the constant D is emitted, and D took its buffer, which the loop wrote at the next step
  const D = np.add(np.arange(64), 1000);
  const nested = jit((a: any) => lax.scan((c: any, _: any) => {
    const inner = lax.scan((h: any, _: any) => [np.add(h, 1), null], c, null, { length: 2 })[0];
    return [np.add(np.flip(inner), D), null];
  }, a, null, { length: 3 })[0]);
  let v = Array.from({ length: 64 }, () => 0);
  for (let s = 0; s < 3; s++) v = v.map((_, i) => v[63 - i] + 2 + 1000 + i);
  close(nested(np.zeros([64])), v, 0, 'a constant after a nested loop');
  // xs slices seen through a reshape (a view row, re-pointed at each step's slice); a y that is the old carry
  const xs = Array.from({ length: 12 }, (_, i) => [i, 1, -i, 2].map((v) => v / 4));
  const sc = jit((c: any, x: any) => lax.scan((h: any, xt: any) => [np.add(np.matmul(h, np.reshape(xt, [2, 2])), 0.125), h], c, x));
  const [hT, hs] = sc(f64([[1, 0], [0, 1]]), f64(xs));
  let h = [[1, 0], [0, 1]];
  const seen: number[] = [];
  for (const x of xs) {
    seen.push(...h.flat());
    h = h.map((row) => [0, 1].map((j) => row[0] * x[j] + row[1] * x[2 + j] + 0.125));
  }
  close(hT, h.flat(), 1e-13, 'scan carry');
  close(hs, seen, 1e-13, 'scan ys');
  // a cond in the body takes a different branch at each step; a carry goes through unchanged
  const alt = jit((x: any) => lax.scan(([k, s, keep]: any, xt: any) => [[np.add(k, 1), lax.cond(np.equal(np.remainder(k, 2), 0), () => np.add(s, xt), () => np.subtract(s, np.multiply(xt, 2))), keep], s], [i32(0), f64(0), f64(7)], x));
  const [[, sT, keep], ss] = alt(f64([1, 2, 3, 4, 5, 6, 7]));
  close(sT, 1 - 4 + 3 - 8 + 5 - 12 + 7, 0, 'cond per step');
  close(ss, [0, 1, -3, 0, -8, -3, -15], 0, 'cond ys');
  close(keep, 7, 0, 'unchanged carry');
});

test('a fused body re-run by a loop gives its block registers back each step: 20,000 steps keep wasm memory flat (they grew it by a register set a step)', () => {
  const f = jit((c: any) => lax.scan((h: any, _: any) => [np.add(np.multiply(np.tanh(h), 0.5), 0.25), null], c, null, { length: 20000 })[0]);
  const x = f64(Array.from({ length: 700 }, (_, i) => i / 700));
  f(x); // (the first call sizes the scratch areas)
  const before = wasm().memory.buffer.byteLength;
  const got = f(x).dataSync();
  assert.ok(wasm().memory.buffer.byteLength - before < 4 << 20, `wasm memory grew ${(wasm().memory.buffer.byteLength - before) >> 20} MiB`);
  const fixed = (h: number) => { for (let i = 0; i < 20000; i++) h = Math.tanh(h) * 0.5 + 0.25; return h; };
  close(got[0], fixed(0), 1e-12); close(got[699], fixed(699 / 700), 1e-12);
});

test('a loop body with more fused rows than the fused kernel keeps built (8) runs each row\'s own program at every step, equal to the JS loop', () => {
  // each stage is a fused chain, cut from the next by a flip (a gather): 10 fused rows a step
  const stages = 10;
  const f = jit((c: any) => lax.scan((h: any, _: any) => {
    let v = h;
    for (let k = 0; k < stages; k++) v = np.flip(np.add(np.multiply(np.tanh(v), 0.5 + k / 100), k / 10));
    return [v, np.sum(v)];
  }, c, null, { length: 30 }));
  const [hT, sums] = f(f64([0.1, -0.2, 0.3]));
  let h = [0.1, -0.2, 0.3];
  const want: number[] = [];
  for (let t = 0; t < 30; t++) {
    for (let k = 0; k < stages; k++) h = h.map((v) => Math.tanh(v) * (0.5 + k / 100) + k / 10).reverse();
    want.push(h[0] + h[1] + h[2]);
  }
  close(hT, h, 1e-13);
  close(sums, want, 1e-13);
});

test('jit: a foriLoop of 64 or more static steps is one scan row over [i, carry] (traced once, as JAX), equal to the JS loop; a body that needs i\'s value unrolls; jit(grad) through it', () => {
  const body = (i: any, c: any) => np.add(np.multiply(c, 0.999), np.sin(np.astype(i, 'float64')));
  const f = jit((c: any) => lax.foriLoop(3, 2003, body, c));
  assert.match(makeJaxpr((c: any) => lax.foriLoop(3, 2003, body, c))(f64(0.5)).toString(), /scan\[length=2000/);
  let want = 0.5;
  for (let i = 3; i < 2003; i++) want = want * 0.999 + Math.sin(i);
  close(f(f64(0.5)), want, 1e-12);
  close(f(f64(0.5)), want, 1e-12, 'replayed');
  assert.equal(f.traceCount, 1);
  // i read as a JS number (a static index): the scan's abstract i cannot give it, so the loop unrolls with i concrete
  const xs = f64(Array.from({ length: 100 }, (_, i) => i * i));
  const g = jit((c: any) => lax.foriLoop(0, 100, (i: any, c: any) => np.add(c, xs.get(Number(i))), c));
  close(g(f64(1)), 1 + 99 * 100 * 199 / 6, 0);
  assert.doesNotMatch(makeJaxpr((c: any) => lax.foriLoop(0, 100, (i: any, c: any) => np.add(c, xs.get(Number(i))), c))(f64(1)).toString(), /scan/);
  // a JS-number carry the body returns as it came stays the exact number, as eagerly (a scan row
  // held it as float32: 16777217 came back 16777216 from 64 steps on)
  const keep = jit((x: any) => lax.foriLoop(0, 64, (_i: any, [a, b]: any) => [np.add(a, 1), b], [x, 16777217]));
  assert.equal(keep(f64(0))[1], 16777217);
  // a carry of the wrong type is reported in the loop's terms (the scan's named its [i, carry] wrapper)
  assert.throws(() => jit((x: any) => lax.foriLoop(0, 100, (_i: any, c: any) => ({ a: np.concatenate([c.a, c.a]), b: c.b }), { a: x, b: i32(0) }))(f64([1, 2])),
    (e: any) => e instanceof ShapeError && /^lax\.foriLoop: body must return a carry of the type it was given; at step 0 the input carry component carry\.a/.test(e.message));
  // short loops still unroll (and fuse across steps)
  assert.doesNotMatch(makeJaxpr((c: any) => lax.foriLoop(0, 63, body, c))(f64(0.5)).toString(), /scan/);
  // reverse mode: d/dc of sin^100(c) = prod cos(sin^k(c))
  const h = jit(grad((c: any) => lax.foriLoop(0, 100, (_i: any, c: any) => np.sin(c), c)));
  let v = 0.5, d = 1;
  for (let k = 0; k < 100; k++) { d *= Math.cos(v); v = Math.sin(v); }
  close(h(f64(0.5)), d, 1e-12, 'jit(grad)');
  // vmap of it: each example alone
  const vm = jit(vmap((c: any) => lax.foriLoop(0, 80, (_i: any, c: any) => np.multiply(c, 1.01), c)));
  close(vm(f64([1, 2])), [1.01 ** 80, 2 * 1.01 ** 80], 1e-12, 'vmap');
});

test('forward mode: jvp and jacfwd of a jitted loop equal the closed form; second order by jacfwd of jacfwd; checkGrads in fwd mode', () => {
  // x <- x * a, 3 times from a: a^4
  const pow4 = (a: any) => lax.whileLoop(([, k]: any) => np.less(k, 3), ([x, k]: any) => [np.multiply(x, a), np.add(k, 1)], [a, 0])[0];
  for (const a of [1.5, -0.7]) {
    const [y, t] = jvp(jit(pow4), [f64(a)], [f64(1)]);
    close(y, a ** 4); close(t, 4 * a ** 3);
    close(jit((x: any) => jvp(pow4, [x], [f64(1)])[1])(f64(a)), 4 * a ** 3);
    close(jacfwd(jit(pow4))(f64(a)), 4 * a ** 3);
    close(jit(jacfwd(jacfwd(pow4)))(f64(a)), 12 * a ** 2);
  }
  // Newton's sqrt: d/da sqrt(a) = 1 / (2 sqrt a) once converged (the tangent iteration converges too)
  const root = jit((a: any) => newtonSqrt(a)[0]);
  for (const a of [2, 10]) close(jvp(root, [f64(a)], [f64(1)])[1], 0.5 / Math.sqrt(a), 1e-10);
  // a vector carry and a closed-over matrix: x <- tanh(W x) k times
  const W = f64([[0.3, -0.2, 0.1], [0.05, 0.4, -0.3], [0.2, 0.1, 0.25]]);
  const iterate = (w: any, x: any) => lax.foriLoop(0, i32(4), (_i: any, c: any) => np.tanh(np.matmul(w, c)), x);
  checkGrads(jit(iterate), [W, f64([0.5, -1, 2])], { order: 2, modes: ['fwd'] });
});

test('vmap: a jitted loop per example (trip counts differ) equals single calls, in either order, nested, with unbatched closed-over values', () => {
  const as = [2, 9, 0.25, 1e4];
  const want = as.map(newtonByHand);
  for (const f of [jit(vmap(newtonSqrt)), vmap(jit(newtonSqrt))]) {
    const [x, k] = f(f64(as));
    close(x, want.map((w) => w[0]), 0); close(k, want.map((w) => w[1]), 0);
  }
  const [xx] = jit(vmap(vmap(newtonSqrt)))(f64([[2, 9], [0.25, 1e4]]));
  close(xx, want.map((w) => w[0]), 0);
  // the bound is unbatched, the carry batched; and a batched bound with an unbatched carry
  const powN = (n: any, x: any) => lax.foriLoop(0, n, (_i: any, c: any) => np.multiply(c, x), f64(1));
  close(jit(vmap(powN, { inAxes: [null, 0] }))(i32(3), f64([1, 2, 3])), [1, 8, 27], 0);
  close(jit(vmap(powN, { inAxes: [0, null] }))(i32([0, 1, 4]), f64(2)), [1, 2, 16], 0);
  // vmap of jacfwd under jit: one derivative per example
  close(jit(vmap(jacfwd((a: any) => newtonSqrt(a)[0])))(f64([4, 16])), [0.25, 0.125], 1e-10);
});

test('reverse mode of a while loop traced under jit is a NotImplementedError naming whileLoop, as in JAX; linearize works; eagerly grad walks the steps', () => {
  const root = (a: any) => newtonSqrt(a)[0];
  throwsNamed(() => grad(jit(root))(f64(2)), NotImplementedError, 'lax.whileLoop', 'reverse-mode', 'jvp, jacfwd or linearize');
  throwsNamed(() => jit(grad(root))(f64(2)), NotImplementedError, 'lax.whileLoop', 'reverse-mode');
  throwsNamed(() => jacrev(jit(root))(f64(2)), NotImplementedError, 'lax.whileLoop');
  close(grad(root)(f64(2)), 0.5 / Math.SQRT2, 1e-10); // eager: the loop's steps are on the tape
  // linearize stages the JVP's while row; its jvpFn runs it (forward mode), only a transpose refuses
  const pow4 = (a: any) => lax.whileLoop(([, k]: any) => np.less(k, 3), ([x, k]: any) => [np.multiply(x, a), np.add(k, 1)], [a, 0])[0];
  const [y, lin] = linearize(jit(pow4), f64(1.5));
  close(y, 1.5 ** 4); close(lin(f64(1)), 4 * 1.5 ** 3); close(lin(f64(-2)), -8 * 1.5 ** 3);
});

test('a body or cond of the wrong type under jit is an error naming whileLoop and the types', () => {
  const h = (x: any) => lax.whileLoop((c: any) => np.less(c, 3), (c: any) => np.stack([c, c]), x);
  throwsNamed(() => jit(h)(f64(1)), ShapeError, 'lax.whileLoop', 'bodyFun', 'float64[2]', 'float64[]');
  const d = (x: any) => lax.whileLoop((c: any) => np.less(c, 3), (c: any) => np.astype(c, 'float32'), x);
  throwsNamed(() => jit(d)(f64(1)), DTypeError, 'lax.whileLoop', 'bodyFun', 'float32[]');
  const c = (x: any) => lax.whileLoop((c: any) => c, (c: any) => c, x);
  throwsNamed(() => jit(c)(f64(1)), DTypeError, 'lax.whileLoop', 'condFun', 'float64[]');
  const s = (x: any) => lax.whileLoop((c: any) => np.less(c.a, 3), (c: any) => ({ b: c.a }), { a: x });
  throwsNamed(() => jit(s)(f64(1)), ValueError, 'lax.whileLoop', 'structure');
  // a weak JS number carry takes the dtype the body gives it (JAX's weak-type promotion)
  const w = jit((n: any) => lax.whileLoop(([k]: any) => np.less(k, n), ([k, s]: any) => [np.add(k, 1), np.add(s, f64(0.5))], [i32(0), 0]));
  const [, acc] = w(i32(4));
  assert.equal(acc.dtype, 'float64'); close(acc, 2, 0);
});

// ---------------------------------------------------------------- scan

/** A leaky accumulator: c <- c/2 + x, y = c x (values exact in float64 for these inputs). */
const leaky = (c0: any, xs: any) => lax.scan((c: any, x: any) => [np.add(np.multiply(c, 0.5), x), np.multiply(c, x)], c0, xs);
function leakyByHand(c0: number, xs: number[]): [number, number[]] {
  let c = c0;
  const ys = xs.map((x) => { const y = c * x; c = c * 0.5 + x; return y; });
  return [c, ys];
}

test('scan under jit is one scan row, traced once, equal to the JS loop; reverse; pytrees; 100000 steps in one small program', () => {
  const f = jit(leaky);
  for (const [c0, xs] of [[1, [1, 2, 3, 4]], [-2, [0.5, 0.25]], [3, [7]]] as [number, number[]][]) {
    const [c, ys] = f(f64(c0), f64(xs));
    const [cr, ysr] = leakyByHand(c0, xs);
    close(c, cr, 0); close(ys, ysr, 0);
  }
  assert.equal(f.traceCount, 3); // (three lengths)
  assert.match(makeJaxpr(leaky)(f64(1), f64([1, 2, 3])), /scan\[length=3 reverse=false num_carry=1 num_xs=1 num_consts=0\]/);
  // reverse: ys[i] is the carry before x_i, summed from the end
  const [cr, ysr] = jit((xs: any) => lax.scan((c: any, x: any) => [np.add(c, x), c], f64(0), xs, { reverse: true }))(f64([1, 2, 3, 4]));
  close(cr, 10, 0); close(ysr, [9, 7, 4, 0], 0);
  // pytrees: xs a dict of two leaves, ys with a null leaf and a JS number leaf
  const [c2, ys2] = jit((xs: any) => lax.scan((c: any, x: any) => [np.add(c, np.sum(x.a)), { s: np.multiply(x.a, x.b), none: null, k: 1 }], f64(0), xs))(
    { a: f64([[1, 2], [3, 4], [5, 6]]), b: f64([10, 20, 30]).reshape([3, 1]) });
  close(c2, 21, 0); close(ys2.s, [10, 20, 60, 80, 150, 180], 0); assert.deepEqual(ys2.s.shape, [3, 2]);
  assert.equal(ys2.none, null); close(ys2.k, [1, 1, 1], 0);
  // length with no xs, and 100000 steps: the program stays one row
  const n = 100000;
  const count = (c0: any) => lax.scan((c: any) => [np.add(c, 1), null], c0, null, { length: n })[0];
  close(jit(count)(i32(0)), n, 0);
  assert.ok(makeJaxpr(count)(i32(0)).split('\n').length < 20, 'the program holds one scan row, not 10^5 steps');
});

test('scan under jit: grad, jit(grad), grad(jit), jacfwd, jacrev and hessian equal eager and the closed form; checkGrads both modes to second order', () => {
  const xs = [1, 2, 3, 4];
  const loss = (c0: any, v: any) => { const [c, ys] = leaky(c0, v); return np.add(c, np.sum(ys)); };
  const eager = grad(loss, { argnums: [0, 1] })(f64(1), f64(xs)) as NDArray[];
  for (const g of [jit(grad(loss, { argnums: [0, 1] })), grad(jit(loss), { argnums: [0, 1] })]) {
    const got = g(f64(1), f64(xs)) as NDArray[];
    close(got[0], vals(eager[0]), 1e-15); close(got[1], vals(eager[1]), 1e-15);
  }
  // d/dc0: c = c0/16 + ..., sum ys = c0 (x1 + x2/2 + x3/4 + x4/8) + ...: 1/16 + 1 + 1 + 0.75 + 0.5
  close(eager[0], 1 / 16 + 1 + 2 / 2 + 3 / 4 + 4 / 8, 1e-15);
  close(jacfwd(jit(loss))(f64(1), f64(xs)), vals(eager[0]), 1e-15);
  close(jacrev(jit(loss), { argnums: 1 })(f64(1), f64(xs)), vals(eager[1]), 1e-15);
  const W = f64([[0.3, -0.2, 0.1], [0.05, 0.4, -0.3], [0.2, 0.1, 0.25]]);
  const rnn = (w: any, h0: any, us: any) => np.sum(lax.scan((h: any, u: any) => { const h2 = np.tanh(np.add(np.matmul(w, h), u)); return [h2, np.sum(np.square(h2))]; }, h0, us)[1]);
  const us = f64([[0.1, 0.2, -0.3], [0.5, -0.1, 0.2], [0.0, 0.3, 0.1], [-0.2, 0.1, 0.4]]);
  checkGrads(jit(rnn), [W, f64([0.5, -1, 2]), us], { order: 2 });
  close(jit(hessian(rnn, { argnums: 1 }))(W, f64([0.5, -1, 2]), us), vals(hessian(rnn, { argnums: 1 })(W, f64([0.5, -1, 2]), us)), 1e-12);
});

test('reverse mode of a jitted scan stays a few rows at any length (a primal scan, a staged linear scan, its reverse scan), equal to eager', () => {
  const W = f64([[0.3, -0.2, 0.1], [0.05, 0.4, -0.3], [0.2, 0.1, 0.25]]);
  const rnn = (w: any, h0: any, us: any) => np.sum(lax.scan((h: any, u: any) => { const h2 = np.tanh(np.add(np.matmul(w, h), u)); return [h2, np.sum(np.square(h2))]; }, h0, us)[1]);
  const rows = (L: number) => makeJaxpr(grad(rnn))(W, f64([0.5, -1, 2]), f64(Array.from({ length: L }, () => [0.1, 0.2, 0.3]))).split('\n').filter((l) => /^    [a-z]/.test(l)).length;
  assert.equal(rows(1000), rows(4), 'the program does not grow with the length');
  assert.ok(rows(1000) < 20);
  const us = f64(Array.from({ length: 300 }, (_, i) => [Math.sin(i), Math.cos(i), 0.1]));
  const g = jit(grad(rnn, { argnums: [0, 1] }))(W, f64([0.5, -1, 2]), us) as NDArray[];
  const e = grad(rnn, { argnums: [0, 1] })(W, f64([0.5, -1, 2]), us) as NDArray[];
  close(g[0], vals(e[0]), 1e-13); close(g[1], vals(e[1]), 1e-13);
});

test('scan under jit and vmap: each example scanned alone, in either order, xs or the carry unbatched', () => {
  const loss = (c0: any, v: any) => { const [c, ys] = leaky(c0, v); return np.add(c, np.sum(ys)); };
  const byHand = (c0: number, v: number[]) => { const [c, ys] = leakyByHand(c0, v); return c + ys.reduce((p, q) => p + q, 0); };
  const c0s = [1, 2], vs = [[1, 2, 3, 4], [0, 1, 0, 1]];
  for (const f of [jit(vmap(loss)), vmap(jit(loss))]) close(f(f64(c0s), f64(vs)), [byHand(1, vs[0]), byHand(2, vs[1])], 1e-15);
  close(jit(vmap(loss, { inAxes: [0, null] }))(f64(c0s), f64(vs[0])), [byHand(1, vs[0]), byHand(2, vs[0])], 1e-15);
  close(jit(vmap(loss, { inAxes: [null, 0] }))(f64(3), f64(vs)), [byHand(3, vs[0]), byHand(3, vs[1])], 1e-15);
  // the ys come back batched too, and vmap of grad of a jitted scan
  const ys = jit(vmap((c: any, v: any) => leaky(c, v)[1]))(f64(c0s), f64(vs));
  assert.deepEqual(ys.shape, [2, 4]);
  close(ys, [...leakyByHand(1, vs[0])[1], ...leakyByHand(2, vs[1])[1]], 1e-15);
  close(vmap(grad(jit(loss)))(f64(c0s), f64(vs)), [0, 1].map((b) => vals(grad(loss)(f64(c0s[b]), f64(vs[b])))[0]), 1e-15);
});

test('weak carries: a fraction beside an int32 body is a DTypeError (JAX), never truncated; an Array carry traces the body once, nested too', () => {
  const f = (x: any) => lax.whileLoop(([, v]: any) => np.greater(v, 0.2), ([i]: any) => [np.add(i, 1), i], [i32(0), x]);
  throwsNamed(() => jit(f)(0.5), DTypeError, 'lax.whileLoop', 'bodyFun', 'int32[]', 'float32[]');
  let traced = 0;
  const inner = (c: any) => lax.whileLoop(([k]: any) => np.less(k, 3), ([k, s]: any) => { traced++; return [np.add(k, 1), np.add(s, 1)]; }, [i32(0), c]);
  const outer = (n: any) => lax.whileLoop(([k]: any) => np.less(k, n), ([k, s]: any) => [np.add(k, 1), inner(s)[1]], [i32(0), i32(0)]);
  close(jit(outer)(i32(4))[1], 12, 0);
  assert.equal(traced, 1, 'the inner body is traced once');
});

test('foriLoop bounds of two integer dtypes count in int32 under jit, as eagerly; a loop body too large for the scratch area', () => {
  const tri = (lo: any, hi: any) => lax.foriLoop(lo, hi, (i: any, c: any) => np.add(c, i), i32(0));
  close(jit(tri)(i32(0), np.array(4, { dtype: 'uint32' })), 6, 0);
  close(tri(i32(0), np.array(4, { dtype: 'uint32' })), 6, 0);
  // a body of 6000 rows that do not fuse (cumsum between the products): its frozen program
  // (~500 KB, past the 256 KB scratch area) goes to the row through a heap block
  // [a, b] -> cumsum([a, -b]) = [a, a - b]: 3001 steps per call of the body, so the parity of n shows
  const flip = f64([1, -1]);
  const body = (y: any) => { let c = y; for (let k = 0; k < 3001; k++) c = np.cumsum(np.multiply(c, flip)); return c; };
  const byHand = (y: number[], n: number) => {
    let [a, b] = y;
    for (let j = 0; j < n * 3001; j++) b = a - b;
    return [a, b];
  };
  const loop = (x: any, n: any) => lax.foriLoop(0, n, (_i: any, c: any) => body(c), x);
  assert.ok(makeJaxpr(loop)(f64([1, 2]), i32(1)).split('\n').length > 6000);
  const g = jit(loop);
  for (const n of [1, 2, 3]) close(g(f64([3, 5]), i32(n)), byHand([3, 5], n), 0, `n = ${n}`);
});

// ---------------------------------------------------------------- cond

test('cond and switch under jit are one cond row running only the chosen branch: no NaN from the other branch, as JAX', () => {
  // sqrt has an infinite derivative at 0: the untaken branch must not reach the gradient
  const f = (x: any) => lax.cond(np.greater(x, 0), (y: any) => np.sqrt(y), (y: any) => np.multiply(y, 2), x);
  for (const [x, v, d] of [[4, 2, 0.25], [-1, -2, 2], [0, 0, 2]]) {
    close(jit(f)(f64(x)), v, 0, `f(${x})`);
    for (const g of [jit(grad(f)), grad(jit(f)), jacfwd(jit(f)), jit(jacrev(f))]) close(g(f64(x)), d, 0, `f'(${x})`);
  }
  assert.match(makeJaxpr(f)(f64(1)), /cond\[branches=2 num_operands=1\]/);
  close(jit(hessian(f))(f64(4)), -0.25 * 4 ** -1.5, 1e-15);
  // switch: the index clamped, as JAX's
  const sw = (i: any, x: any) => lax.switch(i, [(y: any) => np.sin(y), (y: any) => np.cos(y), (y: any) => np.multiply(y, y)], x);
  const want = [Math.sin(0.5), Math.cos(0.5), 0.25];
  for (const i of [-3, 0, 1, 2, 9]) close(jit(sw)(i32(i), f64(0.5)), want[Math.min(Math.max(i, 0), 2)], 1e-15, `branch ${i}`);
  close([0, 1, 2].map((i) => vals(jit(grad(sw, { argnums: 1 }))(i32(i), f64(0.5)))[0]), [Math.cos(0.5), -Math.sin(0.5), 1], 1e-15);
  // checkGrads through a cond whose branches close over a weight, both modes, second order
  const w = f64([0.3, -0.7]);
  const g = (x: any, v: any) => lax.cond(np.greater(np.sum(x), 0), (y: any) => np.sum(np.multiply(np.tanh(y), v)), (y: any) => np.sum(np.multiply(np.square(y), w)), x);
  checkGrads(jit(g), [f64([0.4, 0.2]), f64([1.5, -0.5])], { order: 2 });
  checkGrads(jit(g), [f64([-0.4, 0.1]), f64([1.5, -0.5])], { order: 2 });
});

test('cond under jit: a JS number in one branch beside an Array in the other takes its dtype only exactly (1.5 beside int32 is an error, never 1)', () => {
  const f = (p: any) => lax.cond(p, () => 1.5, () => np.array(2, { dtype: 'int32' }));
  const g = (p: any) => lax.cond(p, () => np.array(2, { dtype: 'int32' }), () => 1.5);
  throwsNamed(() => jit(f)(np.array(true)), DTypeError, 'lax.cond', 'int32[]', 'float32[]');
  throwsNamed(() => jit(g)(np.array(false)), DTypeError, 'lax.cond', 'int32[]', 'float32[]');
  const h = (p: any) => lax.cond(p, () => 3, () => np.array(2, { dtype: 'int32' }));
  const out = jit(h)(np.array(true));
  assert.equal(out.dtype, 'int32'); close(out, 3, 0);
  const k = (p: any) => lax.cond(p, () => 0.5, () => f64(2));
  const o2 = jit(k)(np.array(true));
  assert.equal(o2.dtype, 'float64'); close(o2, 0.5, 0);
});

test('cond and switch under jit: a JS number in the first branch traced (falseFun, branches[0]) takes a later branch\'s dtype too (was DTypeError \'the branches as a row: unsupported or mismatched dtypes\')', () => {
  const x = f64(1);
  const f = (p: any, v: any) => lax.cond(p, (w: any) => np.multiply(w, 2), () => 0.1, v);
  for (const p of [false, true]) {
    const out = jit(f)(np.array(p), x);
    assert.equal(out.dtype, 'float64'); close(out, p ? 2 : 0.1, 0); // 0.1 as float64 exactly, not float32's 0.10000000149
  }
  const s = (i: any, v: any) => lax.switch(i, [() => [0.1, np.multiply(v, 2)], () => [0.2, np.add(v, 4)], () => [np.multiply(v, 3), 7]]);
  const want = [[0.1, 2], [0.2, 5], [3, 7]];
  for (const k of [0, 1, 2]) {
    const out = jit(s)(np.array(k, { dtype: 'int32' }), x);
    out.forEach((o: any, j: number) => { assert.equal(o.dtype, 'float64'); close(o, want[k][j], 0); });
  }
  const u = (i: any) => lax.switch(i, [() => 1.5, () => np.array(2, { dtype: 'int32' })]);
  throwsNamed(() => jit(u)(np.array(0, { dtype: 'int32' })), DTypeError, 'lax.switch', 'int32[]', 'float32[]'); // (never truncated to 1)
});

test('cond under jit and vmap: a batched index runs every branch and selects, an unbatched one a cond of vmapped branches', () => {
  const f = (x: any) => lax.cond(np.greater(x, 0), (y: any) => np.sqrt(y), (y: any) => np.multiply(y, 2), x);
  for (const h of [jit(vmap(f)), vmap(jit(f))]) close(h(f64([4, -1, 0])), [2, -2, 0], 0);
  close(vmap(grad(jit(f)))(f64([4, -1, 0.25])), [0.25, 2, 1], 0);
  const sw = (i: any, x: any) => lax.switch(i, [(y: any) => np.sin(y), (y: any) => np.cos(y), (y: any) => np.multiply(y, y)], x);
  close(jit(vmap(sw))(i32([0, 1, 2]), f64([0.5, 0.5, 0.5])), [Math.sin(0.5), Math.cos(0.5), 0.25], 1e-15);
  close(jit(vmap(sw, { inAxes: [null, 0] }))(i32(1), f64([0, 0.5])), [1, Math.cos(0.5)], 1e-15);
  close(jit(vmap(sw, { inAxes: [0, null] }))(i32([2, 0]), f64(0.5)), [0.25, Math.sin(0.5)], 1e-15);
});

test('a customVjp inside a jitted scan or cond reaches its bwd (the transposes transpose the linear step directly)', () => {
  let calls = 0;
  const cv = customVjp((x: any, y: any) => np.multiply(np.sin(x), y));
  cv.defvjp((x: any, y: any) => [np.multiply(np.sin(x), y), [x, y]],
    ([x, y]: any, g: any) => { calls++; return [np.multiply(np.multiply(np.cos(x), y), g), np.multiply(np.sin(x), g)]; });
  const xs = f64([0.1, 0.2, 0.3]);
  const s = (w: any) => np.sum(lax.scan((c: any, x: any) => [np.add(cv(c, w), x), c], f64(1), xs)[0]);
  const byHand = (w: number) => { let c = 1; for (const x of [0.1, 0.2, 0.3]) c = Math.sin(c) * w + x; return c; };
  const fd = (byHand(0.5 + 1e-6) - byHand(0.5 - 1e-6)) / 2e-6;
  close(jit(grad(s))(f64(0.5)), fd, 1e-8);
  assert.ok(calls > 0, 'bwd ran');
  const c = (w: any) => lax.cond(np.greater(w, 0), (v: any) => cv(v, v), (v: any) => v, w);
  close(jit(grad(c))(f64(0.5)), Math.cos(0.5) * 0.5 + Math.sin(0.5), 1e-15);
});

// ---------------------------------------------------------------- checkpoint

test('checkpoint under jit keeps only its inputs for the backward pass and recomputes (a checkpointed scan body stacks fewer residuals), equal to eager', () => {
  const W = f64([[0.3, -0.2, 0.1], [0.05, 0.4, -0.3], [0.2, 0.1, 0.25]]);
  const cell = (w: any, h: any, u: any) => np.tanh(np.add(np.matmul(w, np.tanh(np.add(np.matmul(w, h), u))), u));
  const us = f64(Array.from({ length: 50 }, (_, i) => [Math.sin(i), Math.cos(i), 0.1]));
  const rnnOf = (step: any) => (w: any, h0: any, v: any) => np.sum(lax.scan((h: any, u: any) => { const h2 = step(w, h, u); return [h2, np.sum(np.square(h2))]; }, h0, v)[1]);
  // the primal scan's outputs: the carry, the ys, then one stacked residual per line
  const stacked = (step: any) => {
    const line = makeJaxpr(grad(rnnOf(step)))(W, f64([0.5, -1, 2]), us).split('\n').find((l) => /= scan\[/.test(l))!;
    return (line.split(' = ')[0].match(/\[50,3\]/g) ?? []).length;
  };
  assert.ok(stacked(checkpoint(cell)) < stacked(cell), `checkpointed: ${stacked(checkpoint(cell))} stacked residuals, plain: ${stacked(cell)}`);
  const e = grad(rnnOf(cell), { argnums: [0, 1] })(W, f64([0.5, -1, 2]), us) as NDArray[];
  const g = jit(grad(rnnOf(checkpoint(cell)), { argnums: [0, 1] }))(W, f64([0.5, -1, 2]), us) as NDArray[];
  close(g[0], vals(e[0]), 1e-12); close(g[1], vals(e[1]), 1e-12);
  // on its own: gradient, second order, vmap, against eager and the closed form
  const f = (x: any) => np.sum(np.sin(np.multiply(x, x)));
  const cf = checkpoint(f);
  const x = [0.3, 0.4];
  close(jit(grad(cf))(f64(x)), x.map((v) => 2 * v * Math.cos(v * v)), 1e-15);
  close(jit(hessian(cf))(f64(x)), [2 * Math.cos(0.09) - 4 * 0.09 * Math.sin(0.09), 0, 0, 2 * Math.cos(0.16) - 4 * 0.16 * Math.sin(0.16)], 1e-14);
  close(jit(vmap(grad(cf)))(f64([x, [1, 2]])), [...x, 1, 2].map((v) => 2 * v * Math.cos(v * v)), 1e-14);
  checkGrads(jit(checkpoint((a: any, b: any) => np.sum(np.multiply(np.tanh(a), b)))), [f64([0.2, -0.5]), f64([1.5, 0.3])], { order: 2 });
  assert.match(makeJaxpr(cf)(f64(x)), /checkpoint\[num_operands=1\]/);
  // static arguments pass through
  const pw = checkpoint((a: any, n: number) => np.sum(np.power(a, n)), { staticArgnums: 1 });
  close(jit((a: any) => grad((b: any) => pw(b, 3))(a))(f64(x)), x.map((v) => 3 * v * v), 1e-15);
});

test('checkpoint of a function with control flow or a customVjp inside differentiates under jit; integer-only outputs; staticArgnums from the end', () => {
  const c = checkpoint((x: any) => lax.cond(np.greater(x, 0), np.sin, np.cos, x));
  close(jit(grad(c))(f64(0.5)), Math.cos(0.5), 1e-15); close(grad(jit(c))(f64(-0.5)), -Math.sin(-0.5), 1e-15);
  const sc = checkpoint((x: any) => lax.scan((h: any, u: any) => [np.sin(np.multiply(h, u)), h], x, f64([0.5, 2]))[0]);
  const byHand = (x: number) => Math.sin(Math.sin(x * 0.5) * 2);
  close(jit(grad(sc))(f64(0.7)), (byHand(0.7 + 1e-6) - byHand(0.7 - 1e-6)) / 2e-6, 1e-8);
  const cv = customVjp((x: any) => np.multiply(x, x));
  cv.defvjp((x: any) => [np.multiply(x, x), x], (x: any, g: any) => [np.multiply(np.multiply(x, 2), g)]);
  close(jit(grad(checkpoint((x: any) => np.sum(cv(x)))))(f64([1, 2, 3])), [2, 4, 6], 0);
  // integer outputs only, beside a differentiated float
  const u = (v: any) => np.multiply(np.sum(v), lax.cond(np.greater(np.sum(v), 0), np.argmax, np.argmin, v));
  close(jit(grad(u))(f64([0.2, 0.9])), [1, 1], 0);
  const pw = checkpoint((a: any, n: number) => np.sum(np.power(a, n)), { staticArgnums: -1 });
  close(jit(grad((a: any) => pw(a, 2)))(f64([1.5])), 3, 0);
  throwsNamed(() => checkpoint((a: any) => a, { staticArgnums: 3 })(f64(1)), ValueError, 'checkpoint', 'staticArgnums 3');
});

// ---------------------------------------------------------------- custom rules closing over traced values in loop bodies

test('customJvp, customVjp, customLinearSolve and customRoot closing over traced values inside jitted loop bodies differentiate as eagerly', () => {
  // each computes g(c) = sin(c) * w with w read from the closure (a jit argument, or a loop carry that stays constant)
  const cj = (w: any) => { const g = customJvp((c: any) => np.multiply(np.sin(c), w)); g.defjvp(([c]: any, [t]: any) => [np.multiply(np.sin(c), w), np.multiply(np.multiply(np.cos(c), w), t)]); return g; };
  const cv = (w: any) => { const g = customVjp((c: any) => np.multiply(np.sin(c), w)); g.defvjp((c: any) => [np.multiply(np.sin(c), w), c], (c: any, ct: any) => [np.multiply(np.multiply(np.cos(c), w), ct)]); return g; };
  // x = w sin(c) as the solution of (1/w) x = sin(c), and as the root of x / w - sin(c)
  const ls = (w: any) => (c: any) => lax.customLinearSolve((y: any) => np.divide(y, w), np.sin(c), (_: any, b: any) => np.multiply(b, w), (_: any, b: any) => np.multiply(b, w));
  const rt = (w: any) => (c: any) => lax.customRoot((y: any) => np.subtract(np.divide(y, w), np.sin(c)), f64(0), () => np.multiply(np.sin(c), w), (_: any, y: any) => np.multiply(y, w));
  const W = 1.7, X = 0.4;
  // references in float64 JS: three steps c <- w sin(c) + 0.1, its derivative in x; one step for cond and checkpoint
  let c = X, d = 1;
  for (let i = 0; i < 3; i++) { d *= W * Math.cos(c); c = W * Math.sin(c) + 0.1; }
  const [v3, d3, v1, d1] = [c, d, W * Math.sin(X), W * Math.cos(X)];
  const loops: [string, (mk: any) => (x: any, w: any) => any, number, number][] = [
    ['scan', (mk) => (x, w) => lax.scan((h: any) => [np.add(mk(w)(h), 0.1), h], x, null, { length: 3 })[0], v3, d3],
    ['scan, closing over a constant carry', (mk) => (x, w) => lax.scan(([h, s]: any) => [[np.add(mk(s)(h), 0.1), s], h], [x, w], null, { length: 3 })[0][0], v3, d3],
    ['whileLoop', (mk) => (x, w) => lax.whileLoop(([, i]: any) => np.less(i, np.add(np.multiply(w, 0).astype('int32'), 3)), ([h, i]: any) => [np.add(mk(w)(h), 0.1), np.add(i, 1)], [x, i32(0)])[0], v3, d3],
    ['cond', (mk) => (x, w) => lax.cond(np.greater(w, 0), (h: any) => mk(w)(h), (h: any) => h, x), v1, d1],
    ['checkpoint', (mk) => (x, w) => checkpoint((h: any) => mk(w)(h))(x), v1, d1],
  ];
  for (const [ln, loop, v, dv] of loops) {
    for (const [cn, mk] of [['customJvp', cj], ['customVjp', cv], ['customLinearSolve', ls], ['customRoot', rt]] as const) {
      const f = loop(mk), msg = `${cn} in ${ln}`;
      close(jit(f)(f64(X), f64(W)), v, 1e-13, msg);
      const fwd = cn !== 'customVjp', rev = ln !== 'whileLoop';
      if (rev) {
        close(jit(grad(f))(f64(X), f64(W)), dv, 1e-12, `${msg}: jit(grad)`);
        close(grad(jit(f))(f64(X), f64(W)), dv, 1e-12, `${msg}: grad(jit)`);
        close(jit(vmap(grad(f), { inAxes: [0, null] }))(f64([X, X]), f64(W)), [dv, dv], 1e-12, `${msg}: jit(vmap(grad))`);
      }
      if (fwd) {
        close(jit((x: any, w: any) => jvp((y: any) => f(y, w), [x], [f64(1)])[1])(f64(X), f64(W)), dv, 1e-12, `${msg}: jit(jvp)`);
        close(jvp((y: any) => jit(f)(y, f64(W)), [f64(X)], [f64(1)])[1], dv, 1e-12, `${msg}: jvp(jit)`);
      }
      if (cn === 'customJvp') close(linearize((y: any) => jit(f)(y, f64(W)), f64(X))[1](f64(1)), dv, 1e-12, `${msg}: linearize(jit)`);
    }
  }
  // differentiating the closed-over value itself is still JAX's refusal, under jit as eagerly
  const byW = (w: any) => lax.scan((h: any) => [np.add(cj(w)(h), 0.1), h], f64(X), null, { length: 3 })[0];
  throwsNamed(() => jit(grad(byW))(f64(W)), CotangentError, 'customJvp', 'closes over');
  throwsNamed(() => grad(byW)(f64(W)), CotangentError, 'customJvp', 'closes over');
});

test('jit(vmap) of a scan row with more than 4096 operands works (the batching buffer grows)', () => {
  const N = 4100;
  const xs = Array.from({ length: N }, (_, i) => f64([i, i + 1, i + 2]));
  const f = (c: any, x: any[]) => lax.scan((h: any, v: any[]) => { let s = h; for (const a of v) s = np.add(s, a); return [s, np.multiply(s, 2)]; }, c, x);
  // three steps, step t adds sum_i (i + t)
  const step = (t: number) => (N * (N - 1)) / 2 + t * N;
  const c0 = [1, -2];
  const [h, ys] = jit(vmap(f, { inAxes: [0, null] }))(f64(c0), xs) as any;
  close(h, c0.map((c) => c + step(0) + step(1) + step(2)), 0, 'carries');
  close(ys, c0.flatMap((c) => [c + step(0), c + step(0) + step(1), c + step(0) + step(1) + step(2)].map((v) => 2 * v)), 0, 'ys');
  close(jit(vmap(grad((c: any, x: any[]) => np.sum(f(c, x)[1])), { inAxes: [0, null] }))(f64(c0), xs), [6, 6], 0, 'gradient');
  // a cond row with as many operands
  const g = (p: any, x: any[]) => lax.cond(p, (...v: any[]) => v.reduce((a, b) => np.add(a, b)), (...v: any[]) => v[0], ...x);
  close(jit(vmap(g, { inAxes: [0, null] }))(np.array([true, false]), xs.map((x) => x.get(0))), [N * (N - 1) / 2, 0], 0, 'cond');
});

test('a linearized scan computes each primal value once (its fused body is unfused before the JVP) and sums the weight gradients over the steps after the loop, equal to eager', () => {
  // h' = tanh(h W + x U + b) fuses into one row; its JVP used to recompute the chain beside it
  // (tanh twice, the adds twice), since no optimizer pass sees into a fused row.
  const W = f64([[0.3, -0.2], [0.1, 0.4]]), U = f64([[0.5, 0.2]]), b = f64([0.1, -0.1]);
  const xs = f64(Array.from({ length: 7 }, (_, i) => [[Math.sin(i)], [Math.cos(i)]]));
  const rnn = (w: any, u: any, bb: any, x: any) => np.sum(lax.scan((h: any, xt: any) => {
    const h2 = np.tanh(np.add(np.add(np.matmul(h, w), np.matmul(xt, u)), bb));
    return [h2, np.sum(np.square(h2))];
  }, np.zeros([2, 2], { dtype: 'float64' }), x)[1]);
  const text = jit(grad(rnn, { argnums: [0, 1, 2] })).lower(W, U, b, xs).compile().asText();
  const forward = text.slice(text.indexOf('body = {'), text.indexOf('# ', text.indexOf('body = {')));
  assert.equal(forward.match(/tanh/g)?.length, 1, `tanh once in the primal step:\n${forward}`);
  assert.ok(!/= copy /.test(forward), `no copies left in the primal step:\n${forward}`);
  // the backward scan's step is the carry's cotangent alone; dW, dU and db are contractions (a
  // sum) over the stacked steps after it, not products accumulated step by step
  const backward = text.slice(text.lastIndexOf('body = {'));
  const step = backward.slice(0, backward.indexOf('# '));
  assert.equal(step.match(/dot_general/g)?.length, 1, `one product per backward step (dz W^T):\n${step}`);
  assert.ok(!/^\s+\w+:\S+ = add /m.test(step), `no accumulation row in the backward step:\n${step}`);
  const after = backward.slice(backward.indexOf('# '));
  assert.equal(after.match(/dot_general/g)?.length, 2, `dW and dU after the loop:\n${after}`);
  const j = jit(grad(rnn, { argnums: [0, 1, 2] }))(W, U, b, xs) as NDArray[];
  const e = grad(rnn, { argnums: [0, 1, 2] })(W, U, b, xs) as NDArray[];
  j.forEach((g, k) => close(g, vals(e[k]), 1e-13, `gradient ${k}`)); // (summed in another order)
  // the closed form of one step: d/dw sum(tanh(w x)^2) = 2 tanh(w x) (1 - tanh(w x)^2) x
  const one = (w: any, x: any) => np.sum(lax.scan((h: any, xt: any) => [np.tanh(np.multiply(w, xt)), np.square(np.tanh(np.multiply(w, xt)))], f64(0), x)[1]);
  const t = Math.tanh(0.7 * 1.3);
  close(jit(grad(one))(f64(0.7), f64([1.3])), 2 * t * (1 - t * t) * 1.3, 1e-14, 'one step');
  // cond: the chosen branch's linearization too
  const c = (x: any) => lax.cond(np.greater(x, 0), (y: any) => np.tanh(np.multiply(np.exp(y), 2)), (y: any) => np.sin(y), x);
  const cText = jit(grad(c)).lower(f64(0.4)).compile().asText();
  assert.ok((cText.match(/tanh/g)?.length ?? 0) <= 1, `tanh at most once in the cond's primal branch:\n${cText}`);
  const u = Math.tanh(2 * Math.exp(0.4));
  close(jit(grad(c))(f64(0.4)), (1 - u * u) * 2 * Math.exp(0.4), 1e-14, 'cond');
});

test('a JS number every cond branch returns, or a checkpointed function returns, keeps its weak type under jit, as eagerly', () => {
  // It was the cond row's float32 output: np.add(int32 Array, it) was float32 under jit, int32 eagerly.
  const I = i32([1, 2]);
  const f = (p: any, x: any) => {
    const [y, k] = lax.cond(p, (u: any) => [np.multiply(u, 2), 3], (u: any) => [u, 3], x);
    return [y, np.add(I, k)];
  };
  for (const [name, g] of [['eager', f], ['jit', jit(f)]] as const) {
    for (const p of [true, false]) {
      const [y, s] = (g as any)(np.array(p), f64(1.5));
      close(y, p ? 3 : 1.5, 0, `${name} ${p}: y`);
      assert.equal(s.dtype, 'int32', `${name} ${p}`);
      assert.deepEqual(s.tolist(), [4, 5]);
    }
  }
  const sw = (i: any) => np.add(I, lax.switch(i, [() => 7, () => 7, () => 7]));
  assert.equal(jit(sw)(i32(2)).dtype, 'int32');
  assert.deepEqual(jit(sw)(i32(2)).tolist(), [8, 9]);
  // distinct numbers depend on the index: the row's float32, as README says
  assert.equal(jit((p: any) => np.add(I, lax.cond(p, () => 3, () => 4)))(np.array(true)).dtype, 'float32');
  // checkpoint: the number is a constant of f; values and gradient: d/dx sum(sin(x) * [3, 4]) = 7 cos(x)
  const c = (x: any) => { const [y, k] = checkpoint((u: any) => [np.sin(u), 2])(x); return np.multiply(y, np.add(I, k)); };
  for (const [name, h] of [['eager', c], ['jit', jit(c)]] as const) {
    const out = (h as any)(f64(0.5));
    assert.equal(out.dtype, 'float64', name);
    close(out, [3 * Math.sin(0.5), 4 * Math.sin(0.5)], 1e-15, name);
  }
  close(jit(grad((x: any) => np.sum(c(x))))(f64(0.5)), 7 * Math.cos(0.5), 1e-15, 'jit(grad)');
  close(grad((x: any) => np.sum(jit(c)(x)))(f64(0.5)), 7 * Math.cos(0.5), 1e-15, 'grad(jit)');
});

test('under jit a JS-number cond/switch operand keeps its exact value and weak type, as eagerly (it was a float32 operand row)', () => {
  const f = (p: any, x: any) => lax.cond(p, (u: any) => np.multiply(u, x), (u: any) => np.add(u, x), 0.1);
  for (const p of [true, false]) {
    const want = p ? 0.1 * 3 : 0.1 + 3; // 0.30000000000000004 and 3.1 in float64 (float32's 0.1 gave 0.30000000447)
    const e = f(np.array(p), f64(3)), j = jit(f)(np.array(p), f64(3));
    assert.equal(j.dtype, 'float64'); assert.equal(j.item(), want); assert.equal(e.item(), want);
  }
  const g = (p: any, a: any) => lax.cond(p, (u: any) => np.add(a, u), (u: any) => np.subtract(a, u), 16777217);
  const out = jit(g)(np.array(true), i32(0));
  assert.equal(out.dtype, 'int32'); assert.equal(out.item(), 16777217); // (float32 16777216 before)
  const s = (i: any, x: any) => lax.switch(i, [(o: any) => np.multiply(o.u, o.k), (o: any) => np.add(o.u, o.k)], { u: x, k: 0.1 });
  assert.equal(jit(s)(i32(0), f64(3)).item(), 0.1 * 3);
  assert.equal(jit(s)(i32(1), f64(3)).item(), 3 + 0.1);
  close(jit(vmap(f))(np.array([true, false]), f64([3, 4])), [0.1 * 3, 0.1 + 4], 0);
  assert.equal(jit(grad((x: any) => f(np.array(true), x)))(f64(3)).item(), 0.1); // d(0.1 x)/dx
});

test('under jit a JS-number initial carry takes the type the first step gives it, as eagerly (0 + int32 was a float32 carry)', () => {
  const h = (xs: any) => lax.scan((c: any, x: any) => [np.add(c, x), c], 0, xs)[0];
  for (const fn of [h, jit(h)]) {
    const o = fn(i32([16777217, 0, 0]));
    assert.equal(o.dtype, 'int32'); assert.equal(o.item(), 16777217); // (float32 16777216 under jit before)
  }
  const u = jit(h)(np.array([4000000000, 1, 0], { dtype: 'uint32' }));
  assert.equal(u.dtype, 'uint32'); assert.equal(u.item(), 4000000001);
  const hr = jit((xs: any) => lax.scan((c: any, x: any) => [np.add(c, x), c], 0, xs, { reverse: true })[0]);
  assert.equal(hr(i32([1, 2, 16777217])).item(), 16777220);
  const w = (x: any, n: any) => lax.whileLoop((c: any) => np.less(c[0], n), (c: any) => [np.add(c[0], 1), np.multiply(c[1], x)], [0, 1]);
  const [k, v] = jit(w)(i32(65537), i32(2)) as any;
  assert.equal(v.dtype, 'int32'); assert.equal(v.item(), 131073); // 65537^2 wraps in int32 to 131073, as eagerly
  assert.equal(k.dtype, 'float32'); assert.equal(k.item(), 2); // (0 + 1: two JS numbers, float32 eagerly too)
  const fl = jit((n: any) => lax.foriLoop(0, n, (i: any, c: any) => np.add(c, i), 0));
  const s = fl(i32(5));
  assert.equal(s.dtype, 'int32'); assert.equal(s.item(), 10);
  // a fraction beside an int32 body stays float32 (0.5 + 1 + 2), and a float64 body keeps 0.1 exact
  const c3 = jit((xs: any) => lax.scan((c: any, x: any) => [np.add(c, x), c], 0.5, xs)[0])(i32([1, 2]));
  assert.equal(c3.dtype, 'float32'); assert.equal(c3.item(), 3.5);
  const c2 = jit((xs: any) => lax.scan((c: any, x: any) => [np.add(c, x), c], 0.1, xs)[0])(f64([1, 2]));
  assert.equal(c2.dtype, 'float64'); assert.equal(c2.item(), 0.1 + 1 + 2);
});

test('a { re, im } literal is a complex64 scalar in control flow too: a cond operand under jit, an initial carry of scan, foriLoop and whileLoop (each was a ValueError)', () => {
  const c = (p: any) => lax.cond(p, (u: any) => np.multiply(u, 2), (u: any) => u, { re: 1, im: 1 });
  const item = (x: any) => (x instanceof NDArray ? x.item() : x); // (eagerly the identity branch returns the literal itself)
  for (const fn of [c, jit(c)]) {
    assert.deepEqual(item(fn(np.array(true))), { re: 2, im: 2 });
    assert.deepEqual(item(fn(np.array(false))), { re: 1, im: 1 });
  }
  const s = (xs: any) => lax.scan((z: any, x: any) => [np.add(z, x), null], { re: 1, im: 1 }, xs)[0];
  const fl = () => lax.foriLoop(0, 3, (_i: any, z: any) => np.multiply(z, 2), { re: 1, im: -1 });
  const w = (n: any) => lax.whileLoop((z: any) => np.less(np.abs(z), n), (z: any) => np.multiply(z, 2), { re: 3, im: 4 });
  for (const j of [false, true]) {
    const t = <F extends (...a: any[]) => any>(f: F): F => (j ? jit(f) : f);
    const so = t(s)(np.array([1, 2]));
    assert.equal(so.dtype, 'complex64'); assert.deepEqual(so.item(), { re: 4, im: 1 });
    assert.deepEqual(t(fl)().item(), { re: 8, im: -8 });
    assert.deepEqual(t(w)(np.array(20)).item(), { re: 12, im: 16 }); // |3+4j| = 5, 10, 20: stops at 12+16j
  }
});

test('jit of forward mode through a loop runs the loop once: the JVP row repeats the primal one (its twin) and the optimizer reads the primal outputs from it', () => {
  // x_{k+1} = sin(x_k) + 0.001, 200 steps (while) / h_{t+1} = tanh(h_t w) for 30 steps (scan):
  // before, the optimized program held the primal loop beside its JVP loop, and ran both
  const stepW = (c: any) => [np.add(c[0], 1), np.add(np.sin(c[1]), 0.001)];
  const fw = (x: any) => lax.whileLoop((c: any) => np.less(c[0], 200), stepW, [i32(0), x])[1];
  const x = f64(0.5), v = f64(1);
  const jw = jit((a: any, b: any) => jvp(fw, [a], [b]));
  const text = jw.lower(x, v).asText({ optimized: true });
  assert.equal(text.match(/= while\[/g)?.length, 1, text);
  assert.match(jw.lower(x, v).asText(), /= while\[cond_nconsts=0 body_nconsts=0 repeats=\w+\]/);
  // the value and tangent from a JS loop: x' = cos(x) x'
  let p = 0.5, t = 1;
  for (let k = 0; k < 200; k++) { t *= Math.cos(p); p = Math.sin(p) + 0.001; }
  const [pj, tj] = jw(x, v) as NDArray[];
  close(pj, p, 1e-14, "while value"); // (the wasm sin, not Math.sin)
  close(tj, t, 1e-13, 'while tangent');
  assert.deepEqual((jvp(fw, [x], [v]) as NDArray[]).map((a) => a.item()), [pj.item(), tj.item()]);
  // scan: jacfwd under jit is one scan row; hessian's vmapped JVP scans are new rows, checked equal to eager
  const fs = (w: any) => np.sum(lax.scan((h: any) => [np.tanh(np.multiply(h, w)), np.sum(h)], f64([0.3, -0.2]), null, { length: 30 })[1]);
  const w0 = f64([0.9, 1.1]);
  assert.equal(jit(jacfwd(fs)).lower(w0).asText({ optimized: true }).match(/= scan\[/g)?.length, 1);
  close(jit(jacfwd(fs))(w0), vals(jacfwd(fs)(w0) as NDArray), 1e-14, 'jacfwd');
  close(jit(hessian(fs))(w0), vals(hessian(fs)(w0) as NDArray), 1e-13, 'hessian');
  // the JVP's twin operand does not reach vmap, linearize or a second jvp
  close(jit(vmap((a: any) => jvp(fw, [a], [v])[1]))(f64([0.5, 0.1])), [t, vals(jvp(fw, [f64(0.1)], [v])[1] as NDArray)[0]], 1e-13, 'vmap of jvp');
  const [, lin] = linearize(fw, x);
  close(lin(v) as NDArray, t, 1e-13, 'linearize');
  const d2 = jit((a: any) => jvp((b: any) => jvp(fw, [b], [v])[1], [a], [v])[1])(x);
  const d2e = jvp((b: any) => jvp(fw, [b], [v])[1], [x], [v])[1] as NDArray;
  close(d2 as NDArray, vals(d2e), 1e-13, 'second order');
});

test('vmap of a scan keeps the carries the batch never reaches unbatched (JAX fixed point): hessian and jacfwd through a scan loop over the primal once', () => {
  // h_{t+1} = tanh(h_t w): hessian = vmap(jvp(grad)) batched every carry, so the primal carry ran
  // once per basis vector beside the unbatched primal loop (4 scan rows, the primal work x10 for 9 params)
  const fs = (w: any) => np.sum(lax.scan((h: any) => [np.tanh(np.matmul(h, w)), np.sum(np.square(h))], f64([[0.3, -0.2, 0.5]]), null, { length: 20 })[1]);
  const w0 = np.multiply(f64([[0.9, 0.1, -0.3], [0.2, 1.1, 0.4], [-0.5, 0.3, 0.8]]), 0.7);
  const text = jit(hessian(fs)).lower(w0).asText({ optimized: true });
  const scans = text.split('\n').filter((l) => /= scan\[/.test(l));
  assert.equal(scans.length, 2, text);
  assert.match(scans[0], /^\s+\w+:f64\[1,3\] /, `the forward scan's first carry is the unbatched primal h: ${scans[0]}`);
  const H = jit(hessian(fs))(w0) as NDArray, He = hessian(fs)(w0) as NDArray;
  close(H, vals(He), 1e-13, 'jit hessian = eager');
  // central differences of jit(grad) in float64 (the gradient from a JS loop would do as well)
  const g = jit(grad(fs)), e = 1e-5, w = vals(w0);
  for (const [i, j] of [[0, 0], [1, 2], [2, 1]]) {
    const bump = (s: number) => { const v = w.slice(); v[j] += s; return vals(g(np.array(v, { shape: [3, 3], dtype: 'float64' })) as NDArray)[i]; };
    const fd = (bump(e) - bump(-e)) / (2 * e);
    assert.ok(Math.abs(vals(H)[i * 9 + j] - fd) < 1e-7, `H[${i}][${j}] ${vals(H)[i * 9 + j]} vs ${fd}`);
  }
  // a vmapped scan with one carry batched and one not: the batched one's output per example, the other one value
  const step = (c: any, x: any) => [[np.add(c[0], x), np.multiply(c[1], 2)], np.add(c[0], c[1])];
  const f = (x: any) => lax.scan(step, [f64(0), f64(1)], x);
  const xs = f64([[1, 2, 3], [10, 20, 30]]);
  const [[s, p], ys] = vmap(f)(xs) as any;
  assert.deepEqual(s.tolist(), [6, 60]);
  assert.deepEqual(p.tolist(), [8, 8]);
  assert.deepEqual(ys.tolist(), [[1, 3, 7], [1, 12, 34]]);
  const [[sj, pj], ysj] = jit(vmap(f))(xs) as any;
  assert.deepEqual([sj.tolist(), pj.tolist(), ysj.tolist()], [[6, 60], [8, 8], [[1, 3, 7], [1, 12, 34]]]);
});

test('vmap of a whileLoop whose predicate the batch never reaches keeps such carries unbatched: jacfwd through it under jit is one while row over the primal once', () => {
  // x_{k+1} = sin(x_k) w + 0.1, 30 steps counted by an int carry: jacfwd = vmap(jvp), the
  // predicate reads only the counter, so the primal x stays one value beside the batched tangents
  const f = (w: any) => lax.whileLoop((c: any) => np.less(c[0], 30), (c: any) => [np.add(c[0], 1), np.add(np.multiply(np.sin(c[1]), w), 0.1)], [i32(0), f64([0.5, -0.3])])[1];
  const w0 = f64([0.9, 1.2]);
  const text = jit(jacfwd(f)).lower(w0).asText({ optimized: true });
  const loops = text.split('\n').filter((l) => /= while\[/.test(l));
  assert.equal(loops.length, 1, text);
  assert.match(loops[0], /^\s+\w+:i32\[\] \w+:f64\[2\] \w+:f64\[2,2\] = while/, loops[0]);
  // the Jacobian from a JS loop: dx' = cos(x) w dx + sin(x) dw (diagonal: w acts elementwise)
  const x = [0.5, -0.3], d = [0, 0];
  for (let k = 0; k < 30; k++) for (let i = 0; i < 2; i++) { d[i] = Math.cos(x[i]) * w0.tolist()[i] * d[i] + Math.sin(x[i]); x[i] = Math.sin(x[i]) * (w0.tolist() as number[])[i] + 0.1; }
  close(jit(jacfwd(f))(w0), [d[0], 0, 0, d[1]], 1e-13, 'jit(jacfwd)');
  close(jacfwd(f)(w0), [d[0], 0, 0, d[1]], 1e-13, 'jacfwd');
  // a batched predicate still batches every carry and stops each example at its own step
  const g = (n: any) => lax.whileLoop((c: any) => np.less(c[0], n), (c: any) => [np.add(c[0], 1), np.multiply(c[1], 2)], [i32(0), f64(1)]);
  const [cnt, val] = vmap(g)(i32([1, 3, 0])) as NDArray[];
  assert.deepEqual([cnt.tolist(), val.tolist()], [[1, 3, 0], [2, 8, 1]]);
  const [cj, vj] = jit(vmap(g))(i32([1, 3, 0])) as NDArray[];
  assert.deepEqual([cj.tolist(), vj.tolist()], [[1, 3, 0], [2, 8, 1]]);
  // an unbatched predicate over a batched carry only (cond reads no batched value)
  const h = (x: any) => lax.whileLoop((c: any) => np.less(c[0], 3), (c: any) => [np.add(c[0], 1), np.add(c[1], x)], [i32(0), f64(0)])[1];
  assert.deepEqual((vmap(h)(f64([1, 2])) as NDArray).tolist(), [3, 6]);
  assert.deepEqual((jit(vmap(h))(f64([1, 2])) as NDArray).tolist(), [3, 6]);
});

test('jit(grad) of a loss of the final carry runs the forward scan once: the primal scan that stacks residuals is the primal scan\'s twin', () => {
  // sum(h_T^2), h_{t+1} = tanh(h_t w): the cotangent seed reads h_T from the primal scan, which
  // stayed beside linearize's primal scan (the same loop, stacking residuals): 3 scan rows
  const f = (w: any, x: any) => np.sum(np.square(lax.scan((h: any) => [np.tanh(np.matmul(h, w)), np.sum(h)], x, null, { length: 30 })[0]));
  const W = np.multiply(f64([[0.9, 0.1, -0.3], [0.2, 1.1, 0.4], [-0.5, 0.3, 0.8]]), 0.4), x = f64([[1, 0.5, -0.2], [0.3, -1, 0.7]]);
  const scans = (text: string) => text.split('\n').filter((l) => /= scan\[/.test(l)).length;
  assert.equal(scans(jit(grad(f)).lower(W, x).asText({ optimized: true })), 2);
  assert.equal(scans(jit(valueAndGrad(f)).lower(W, x).asText({ optimized: true })), 2);
  // hessian: the chain of twins (the primal, its residual-stacking twin, that one's vmapped JVP) ends in one row
  assert.equal(scans(jit(hessian((w: any) => f(w, x))).lower(W).asText({ optimized: true })), 3);
  // against a JS loop: dL/dW by the adjoint recursion, in float64
  const w = vals(W), H: number[][] = [vals(x)];
  for (let t = 0; t < 30; t++) {
    const h = H[t], n = new Array(6).fill(0);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) { let z = 0; for (let k = 0; k < 3; k++) z += h[i * 3 + k] * w[k * 3 + j]; n[i * 3 + j] = Math.tanh(z); }
    H.push(n);
  }
  let gH = H[30].map((v) => 2 * v);
  const gW = new Array(9).fill(0);
  for (let t = 29; t >= 0; t--) {
    const dz = gH.map((g, e) => g * (1 - H[t + 1][e] ** 2)), prev = new Array(6).fill(0);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) { gW[k * 3 + j] += H[t][i * 3 + k] * dz[i * 3 + j]; prev[i * 3 + k] += dz[i * 3 + j] * w[k * 3 + j]; }
    gH = prev;
  }
  close(jit(grad(f))(W, x), gW, 1e-13, 'jit(grad)');
  close((jit(valueAndGrad(f))(W, x) as any)[1], gW, 1e-13, 'jit(valueAndGrad)');
  close(jit(hessian((w2: any) => f(w2, x)))(W), vals(hessian((w2: any) => f(w2, x))(W) as NDArray), 1e-12, 'jit(hessian)');
});

test('vmap: what a loop\'s unbatched carries compute stays one value (JAX\'s not_mapped), through a loop nested in a loop body too', () => {
  const W = f64([[0.5, -0.3, 0.2], [0.1, 0.4, -0.2], [0.3, 0.2, 0.1]]);
  const inner = (v: any) => lax.scan((c: any) => [np.tanh(np.multiply(c, 1.1)), null], v, null, { length: 3 })[0];
  const f = (x: any) => np.sum(lax.scan((c: any) => [inner(np.matmul(W, c)), np.sum(c)], x, null, { length: 20 })[0]);
  const x = f64([0.3, -0.2, 0.5]);
  const scanLines = (text: string) => text.split('\n').filter((l) => /^ {4}\S.* = scan\[/.test(l));
  // hessian (vmap of jvp of grad): the inner loop's outputs were broadcast to the batch, so the
  // outer step's primal carry was batched too: its vmapped JVP repeated the primal loop once per
  // basis vector beside the primal loop (3 scan rows); now that carry stays one value, the twin
  // of the primal loop (2 rows)
  const jh = jit(hessian(f));
  assert.equal(scanLines(jh.lower(x).asText({ optimized: true })).length, 2);
  close(jh(x), vals(hessian(f)(x) as NDArray), 1e-12, 'jit(hessian) against eager (loops unrolled)');
  // jacfwd(jacfwd): the primal carry stays f64[3], not a batch of 3x3 copies
  const jj = jit(jacfwd(jacfwd(f))), [row] = scanLines(jj.lower(x).asText({ optimized: true }));
  assert.match(row, /^ {4}\w+:f64\[3\] /, row);
  close(jj(x), vals(hessian(f)(x) as NDArray), 1e-12, 'jit(jacfwd(jacfwd))');
  // outAxes null for a carry no batched value reaches (was: 'varies across the batch' under jit), and a
  // row reading only it runs once on the one value
  const g = (xs: any) => {
    const [c, ys] = lax.scan((c: any, xi: any) => [np.add(np.multiply(c, 0.5), 1), np.multiply(c, xi)], f64(1), xs);
    return [np.tanh(c), ys];
  };
  const X = f64([[1, 2, 3], [4, 5, 6]]);
  const [c, ys] = jit(vmap(g, { outAxes: [null, 0] }))(X) as NDArray[];
  const [ce, yse] = vmap(g, { outAxes: [null, 0] })(X) as NDArray[];
  assert.deepEqual([c.shape, ys.shape], [[], [2, 3]]);
  close(c, vals(ce), 0, 'the carry'); close(ys, vals(yse), 0, 'the ys');
  close(c, [Math.tanh(1.875)], 1e-15, 'closed form: c = 1, 1.5, 1.75, 1.875');
  const text = jit(vmap(g, { outAxes: [null, 0] })).lower(X).asText({ optimized: true });
  assert.match(text, /:f64\[\] = tanh /, text);
  // its value can be read where a value can: eagerly (vmap of a jitted loop), not under jit, whose
  // message says so (it said the value differs across the batch)
  const loop = jit((v: any) => lax.scan(([a, s]: any[]) => [[np.multiply(a, 0.5), np.add(s, v)], null], [f64(1), v], null, { length: 2 })[0]);
  const h = (v: any) => { const [a, s] = loop(v) as NDArray[]; return (a.item() as number) > 0.2 ? np.multiply(s, 2) : s; };
  close(vmap(h)(f64([1, 2, 3])), [6, 12, 18], 0, 'a = 0.25 read per call, s = 3 v');
  throwsNamed(() => jit(vmap(h))(f64([1, 2, 3])), TracerError, 'is abstract', 'staticArgnums');
});

test('jit: a loop equal to one a JVP row repeats is read from that JVP row too (one loop for f(x) beside jvp(f)), equal to eager', () => {
  // jvp(f)'s primal loop was repeated by its JVP row (its twin), and the user's own f(x) beside it,
  // the same loop, stayed a loop of its own: CSE could merge it only with the primal row, which
  // the twin had replaced by then
  const L = (v: any) => lax.whileLoop((c: any) => np.less(c[0], 10), (c: any) => [np.add(c[0], 1), np.sin(np.multiply(c[1], 1.1))], [i32(0), v])[1];
  const S = (v: any) => lax.scan((c: any) => [np.sin(np.multiply(c, 1.1)), np.sum(c)], v, null, { length: 10 })[0];
  const v = f64([0.3, 0.5]);
  for (const [op, F] of [['while', L], ['scan', S]] as const) {
    for (const g of [(x: any) => { const [p, t] = jvp(F, [x], [np.onesLike(x)]); return [F(x), p, t]; },
      (x: any) => { const f0 = F(x), [p, t] = jvp(F, [x], [np.onesLike(x)]); return [f0, p, t]; },
      // (the JVP's own primal loop, which nothing reads, names the user's equal loop as its twin: row_same_loop)
      (x: any) => { const f0 = F(x), [, t] = jvp(F, [x], [np.onesLike(x)]); return [f0, f0, t]; },
      (x: any) => [F(x), F(x), np.sum(jacfwd(F)(x), { axis: 1 })]]) {
      const j = jit(g), text = j.lower(v).asText({ optimized: true });
      assert.equal(text.split('\n').filter((l) => /^ {4}\S/.test(l) && l.includes(`= ${op}[`)).length, 1, text);
      const got = j(v) as NDArray[], want = g(v) as NDArray[];
      got.forEach((o, k) => close(o, vals(want[k]), 0, `${op} output ${k}`));
      // the tangent against the closed form: d/dx of x -> sin(1.1 x), ten times
      let x = 0.3, d = 1;
      for (let s = 0; s < 10; s++) { d *= 1.1 * Math.cos(1.1 * x); x = Math.sin(1.1 * x); }
      if (op === 'while') close(got[2].get(0), [d], 1e-14, 'tangent');
    }
  }
  // the user's scan beside grad's: the residual-stacking scan repeats it (xs an equal fill), and the reverse scan
  const Sx = (x: any) => lax.scan((c: any, xi: any) => [np.sin(np.add(c, xi)), np.cos(c)], x, np.ones([7, 2]))[0];
  const h = (x: any) => [Sx(x), grad((y: any) => np.sum(Sx(y)))(x)];
  const text = jit(h).lower(v).asText({ optimized: true });
  assert.equal(text.split('\n').filter((l) => /^ {4}\S/.test(l) && l.includes('= scan[')).length, 2, text);
  (jit(h)(v) as NDArray[]).forEach((o, k) => close(o, vals((h(v) as NDArray[])[k]), 1e-15, `scan beside grad, output ${k}`));
});

test('vmap: a cond whose index does not vary keeps the outputs no branch computes from a batched value one value, and an enclosing loop sees through it', () => {
  // the cond's batching rule batched every output (broadcast), so outAxes null was refused for one
  // that does not vary, and a loop's carry that passed through a cond was batched
  const g = (x: any) => lax.cond(np.array(true), (u: any) => [np.multiply(u, 2), np.add(u, x)], (u: any) => [np.negative(u), np.subtract(u, x)], f64(3));
  const X = f64([1, 2, 3]);
  const [a, b] = jit(vmap(g, { outAxes: [null, 0] }))(X) as NDArray[];
  assert.deepEqual([a.shape, a.item(), b.tolist()], [[], 6, [4, 5, 6]]);
  const [ae, be] = vmap(g, { outAxes: [null, 0] })(X) as NDArray[]; // (eagerly the cond runs its branch: the same)
  assert.deepEqual([ae.item(), be.tolist()], [6, [4, 5, 6]]);
  // a batched index still batches every output, selecting per example
  const h = (i: any, x: any) => lax.switch(i, [(u: any) => np.multiply(u, 2), (u: any) => np.add(u, 10)], x);
  assert.deepEqual((jit(vmap(h))(np.array([0, 1, 0], { dtype: 'int32' }), X) as NDArray).tolist(), [2, 12, 6]);
  // jacfwd(jacfwd) through a scan whose step holds a cond: the primal carry stays f64[3]
  const W = f64([[0.5, -0.3, 0.2], [0.1, 0.4, -0.2], [0.3, 0.2, 0.1]]);
  const f = (x: any) => np.sum(lax.scan((c: any) => [lax.cond(np.greater(np.sum(c), -100), (v: any) => np.tanh(np.matmul(W, v)), (v: any) => v, c), np.sum(c)], x, null, { length: 20 })[0]);
  const x = f64([0.3, -0.2, 0.5]);
  const jj = jit(jacfwd(jacfwd(f)));
  const [row] = jj.lower(x).asText({ optimized: true }).split('\n').filter((l) => /^ {4}\S.* = scan\[/.test(l));
  assert.match(row, /^ {4}\w+:f64\[3\] /, row);
  close(jj(x), vals(hessian(f)(x) as NDArray), 1e-12, 'against eager hessian (loops unrolled)');
});
