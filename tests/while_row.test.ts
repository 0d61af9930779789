// lax.whileLoop as a row of the program (assembly/ad/rules/control.ts, ts/api/while_row.ts):
// under jit a loop whose predicate is abstract is traced once and runs in wasm. Values against
// closed forms and JS loops in float64; forward-mode derivatives (jvp, jacfwd, second order)
// against closed forms and checkGrads (float64 central differences); vmap against a loop of single
// calls; reverse mode refused as in JAX; the printed program; memory over many steps and calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  np, lax, grad, jvp, vmap, jit, jacfwd, jacrev, checkGrads, makeJaxpr, NDArray, CotangentError, DTypeError, ShapeError,
  NotImplementedError, ValueError,
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
    assert.equal(k.dtype, 'int32'); // (the weak JS 0 took int32, as JAX's weak int)
  }
  assert.equal(f.traceCount, 1);
  const text = makeJaxpr(newtonSqrt)(f64(2));
  assert.match(text, /while\[cond_nconsts=1 body_nconsts=1\]/);
  assert.match(text, /cond = \{ lambda ; a:f64\[\], b:i32\[\], c:f64\[\]\./);
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

test('reverse mode of a loop traced under jit is a NotImplementedError naming whileLoop, as in JAX; eagerly grad walks the steps', () => {
  const root = (a: any) => newtonSqrt(a)[0];
  throwsNamed(() => grad(jit(root))(f64(2)), NotImplementedError, 'lax.whileLoop', 'reverse-mode', 'jvp, jacfwd');
  throwsNamed(() => jit(grad(root))(f64(2)), NotImplementedError, 'lax.whileLoop', 'reverse-mode');
  throwsNamed(() => jacrev(jit(root))(f64(2)), NotImplementedError, 'lax.whileLoop');
  close(grad(root)(f64(2)), 0.5 / Math.SQRT2, 1e-10); // eager: the loop's steps are on the tape
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
