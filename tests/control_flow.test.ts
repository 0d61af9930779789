// lax control flow (ts/api/lax_control.ts): scan, map, foriLoop, whileLoop, cond, switch. Values
// against closed forms or JS loops in float64, derivatives against closed forms and checkGrads
// (float64 central differences, forward and reverse, second order), eager against jit, vmap
// against a loop of single calls, and the errors a new user meets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  np, lax, grad, jvp, vmap, jit, checkGrads, NDArray, CotangentError, ShapeError, DTypeError, ValueError,
} from 'cotangent';

const f64 = (x: any) => np.array(x, { dtype: 'float64' });
const vals = (x: any): number[] => (x instanceof NDArray ? Array.from(x.dataSync(), Number) : [x].flat().map(Number));
function close(got: any, want: number | number[], tol = 1e-12, msg = '') {
  const g = vals(got), w = [want].flat();
  assert.equal(g.length, w.length, `${msg}: length`);
  g.forEach((v, i) => assert.ok(Math.abs(v - w[i]) <= tol * Math.max(1, Math.abs(w[i])), `${msg}[${i}]: got ${v}, want ${w[i]}`));
}
/** The next call after an error works (the library is left usable). */
function stillWorks() {
  const [c, ys] = lax.scan((c: any, x: any) => [np.add(c, x), c], f64(0), f64([1, 2, 3]));
  close(c, 6); close(ys, [0, 1, 3]);
}
function throwsNamed(fn: () => unknown, cls: any, ...parts: (string | RegExp)[]) {
  assert.throws(fn, (e: any) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${e?.constructor?.name}: ${e?.message}`);
    assert.ok(e instanceof CotangentError);
    for (const p of parts) assert.ok(typeof p === 'string' ? e.message.includes(p) : p.test(e.message), `message ${JSON.stringify(e.message)} lacks ${p}`);
    return true;
  });
  stillWorks();
}

// ---------------------------------------------------------------- foriLoop

const power = (n: number) => (x: any) => lax.foriLoop(0, n, (_i: any, c: any) => np.multiply(c, x), 1);

test('foriLoop: x -> x^n by n multiplications, its derivatives n x^(n-1) and n (n-1) x^(n-2), eager and jit', () => {
  const x = 1.3;
  for (const n of [0, 1, 5]) {
    close(power(n)(f64(x)), x ** n, 1e-12, `x^${n}`);
    if (n > 0) close(grad(power(n))(f64(x)), n * x ** (n - 1), 1e-12, `d x^${n}`);
    if (n > 1) close(grad(grad(power(n)))(f64(x)), n * (n - 1) * x ** (n - 2), 1e-12, `d2 x^${n}`);
    close(jit(power(n))(f64(x)), x ** n, 1e-12, `jit x^${n}`);
  }
  close(jvp(power(5), [f64(x)], [f64(1)])[1], 5 * x ** 4);
  checkGrads(power(4), [f64(0.7)], { order: 2 });
  const jf = jit(power(3));
  jf(f64(2)); jf(f64(3));
  assert.equal(jf.traceCount, 1, 'a JS-number trip count is static: one trace');
});

test('foriLoop: i is a concrete 0-d int32 Array (indexes with x.get(i), reads as a JS number), lower > 0 and empty ranges', () => {
  const xs = f64([2, 3, 5, 7, 11]);
  const seen: any[] = [];
  const out = lax.foriLoop(1, 4, (i: any, c: any) => { seen.push(i); return np.add(c, np.multiply(xs.get(i), +i)); }, f64(0));
  close(out, 3 * 1 + 5 * 2 + 7 * 3);
  assert.deepEqual(seen.map((i) => [i.dtype, i.shape.length, i.item()]), [['int32', 0, 1], ['int32', 0, 2], ['int32', 0, 3]]);
  // under jit i is still concrete: JS reads it, and it indexes statically
  close(jit((v: any) => lax.foriLoop(0, 5, (i: any, c: any) => np.add(c, np.multiply(v.get(i), +i * 1)), f64(0)))(xs), 2 * 0 + 3 + 10 + 21 + 44);
  assert.equal(lax.foriLoop(3, 3, () => { throw new Error('not run'); }, 'init'), 'init');
  assert.equal(lax.foriLoop(5, 2, () => { throw new Error('not run'); }, 7), 7);
});

test('foriLoop: Array bounds run eagerly; abstract under jit, a while row (one trace for every bound); batched by vmap, a while loop per example', () => {
  const tri = (n: any) => lax.foriLoop(np.array(0, { dtype: 'int32' }), n, (i: any, c: any) => np.add(c, i), 0);
  close(tri(np.array(5, { dtype: 'int32' })), 10);
  const jtri = jit(tri);
  for (const n of [5, 0, 7]) close(jtri(np.array(n, { dtype: 'int32' })), n * (n - 1) / 2, 0, `sum below ${n}`);
  assert.equal(jtri.traceCount, 1);
  close(jit(tri, { staticArgnums: [0] })(np.array(5, { dtype: 'int32' })), 10);
  const ns = np.array([1, 4, 0, 3], { dtype: 'int32' });
  close(vmap(tri)(ns), [0, 6, 0, 3]);
  throwsNamed(() => lax.foriLoop(0, 2.5, (_i: any, c: any) => c, 0), ValueError, 'lax.foriLoop', 'upper', '2.5');
  throwsNamed(() => lax.foriLoop(0, f64(2), (_i: any, c: any) => c, 0), DTypeError, 'lax.foriLoop', 'float64[]');
  throwsNamed(() => lax.foriLoop(0, 3, 'body' as any, 0), ValueError, 'lax.foriLoop', 'body must be a function');
});

// ---------------------------------------------------------------- scan

test('scan: running sums against the closed form, forward and reverse, ys stacked in xs order', () => {
  const xs = f64([1, 2, 3, 4]);
  const step = (c: any, x: any) => [np.add(c, x), np.multiply(c, 10)] as const;
  const [c, ys] = lax.scan(step, f64(0), xs);
  close(c, 10); close(ys, [0, 10, 30, 60]);
  const [cr, ysr] = lax.scan(step, f64(0), xs, { reverse: true });
  close(cr, 10); close(ysr, [90, 70, 40, 0]); // ys[i] is the carry before x_i, summed from the end
  assert.deepEqual(ys.shape, [4]); assert.equal(ys.dtype, 'float64');
});

test('scan: xs and ys pytrees, y null, xs null with length, matrices scanned along the leading axis', () => {
  const xs = { a: f64([[1, 2], [3, 4], [5, 6]]), b: [f64([10, 20, 30])] };
  const [c, ys] = lax.scan((c: any, x: any) => [np.add(c, np.sum(x.a)), { s: np.multiply(x.a, x.b[0]), none: null, k: 1 }], f64(0), xs);
  close(c, 21);
  close(ys.s, [10, 20, 60, 80, 150, 180]); assert.deepEqual(ys.s.shape, [3, 2]);
  assert.equal(ys.none, null);
  assert.deepEqual(ys.k.shape, [3]); close(ys.k, [1, 1, 1]);
  const [c2, ys2] = lax.scan((c: any, x: any) => [np.multiply(c, 2), null], f64(1), null, { length: 5 });
  close(c2, 32); assert.equal(ys2, null);
  const [c3, ys3] = lax.scan((c: any, x: any) => [c, x], f64(1), null, { length: 3 });
  close(c3, 1); assert.deepEqual(ys3, null);
  const [c0, ys0] = lax.scan((c: any, x: any) => [np.add(c, x), np.stack([x, x])], f64(7), np.zeros([0], 'float64'));
  close(c0, 7); assert.deepEqual(ys0.shape, [0, 2]); assert.equal(ys0.dtype, 'float64');
  const [c1, ys1] = lax.scan((c: any, x: any) => [np.add(c, x), np.multiply(x, 2)], f64(1), f64([5]));
  close(c1, 6); close(ys1, [10]);
});

test('scan: a JS-number init emitted as y (weakly typed) stacks with the Arrays of later steps, in their dtype', () => {
  // JAX's cumulative sum from 0: the y at step 0 is the JS number, later ys float64 Arrays.
  // Stacking read the number as float32: 'cannot join float32[1], float64[1]'
  const [c, ys] = lax.scan((c: any, x: any) => [np.add(c, x), c], 0, f64([1, 2, 3]));
  close(c, 6); close(ys, [0, 1, 3]); assert.equal(ys.dtype, 'float64');
  const [, ys2] = lax.scan((c: any, x: any) => [c, (x as NDArray).item() > 1 ? x : 1], f64(0), f64([1, 2]));
  close(ys2, [1, 2]); assert.equal(ys2.dtype, 'float64');
  // and its gradient: sum of ys = sum over steps of the partial sums before them = 2 x0 + x1 (xs 3 long)
  close(grad((xs: any) => np.sum(lax.scan((c: any, x: any) => [np.add(c, x), c], 0, xs)[1]))(f64([1, 2, 3])), [2, 1, 0]);
});

// An Elman RNN: h' = tanh(W h + U x), y = v . h'; loss = sum of ys.
const rnn = (p: any, xs: any) => {
  const [h, ys] = lax.scan((h: any, x: any) => {
    const hn = np.tanh(np.add(np.matmul(p.W, h), np.multiply(p.U, x)));
    return [hn, np.dot(p.v, hn)];
  }, np.zeros([2], 'float64'), xs);
  return np.add(np.sum(ys), np.sum(np.multiply(h, h)));
};
function rnnByHand(W: number[][], U: number[], v: number[], xs: number[]): number {
  let h = [0, 0], total = 0;
  for (const x of xs) {
    h = [0, 1].map((i) => Math.tanh(W[i][0] * h[0] + W[i][1] * h[1] + U[i] * x));
    total += v[0] * h[0] + v[1] * h[1];
  }
  return total + h[0] * h[0] + h[1] * h[1];
}
const W = [[0.5, -0.3], [0.2, 0.8]], U = [0.7, -0.4], V = [1.1, -0.6], XS = [0.3, -1.2, 0.9, 0.4, -0.2];
const P = () => ({ W: f64(W), U: f64(U), v: f64(V) });

test('scan: an RNN against a JS loop; its gradient (both modes, second order) against finite differences; eager equals jit', () => {
  close(rnn(P(), f64(XS)), rnnByHand(W, U, V, XS));
  checkGrads(rnn, [P(), f64(XS)], { order: 2 });
  const g = grad(rnn)(P(), f64(XS)) as any;
  const h = 1e-6, dW01 = (rnnByHand([[0.5, -0.3 + h], [0.2, 0.8]], U, V, XS) - rnnByHand([[0.5, -0.3 - h], [0.2, 0.8]], U, V, XS)) / (2 * h);
  close(g.W.get(0, 1), dW01, 1e-8);
  close(jit(rnn)(P(), f64(XS)), vals(rnn(P(), f64(XS))), 1e-14);
  const gj = jit(grad(rnn))(P(), f64(XS)) as any;
  close(gj.W, vals(g.W), 1e-13); close(gj.U, vals(g.U), 1e-13);
});

test('scan: vmap of a scan equals a loop of scans (batched xs, and a batched init with an unbatched xs)', () => {
  const batch = f64([XS, XS.map((x) => -x), XS.map((x) => 2 * x)]);
  const got = vmap((xs: any) => rnn(P(), xs))(batch);
  close(got, [0, 1, 2].map((b) => rnnByHand(W, U, V, vals(batch.get(b)))), 1e-12);
  const sums = (c0: any) => lax.scan((c: any, x: any) => [np.add(np.multiply(c, 0.5), x), c], c0, f64([1, 2, 3]));
  const [cs, yss] = vmap(sums)(f64([0, 4])) as any;
  const one = (c0: number) => { let c = c0; const ys = []; for (const x of [1, 2, 3]) { ys.push(c); c = 0.5 * c + x; } return [c, ys] as const; };
  close(cs, [one(0)[0], one(4)[0]]); close(yss, [...one(0)[1], ...one(4)[1]]);
  // vmap of grad of a scan, against the loop of grads
  const gs = vmap((xs: any) => grad((p: any) => rnn(p, xs))(P()).U)(batch);
  close(gs, [0, 1, 2].flatMap((b) => vals((grad(rnn)(P(), batch.get(b)) as any).U)), 1e-12);
});

test('scan: bad input is a named error (and the next call works)', () => {
  const id = (c: any, x: any) => [c, x] as const;
  throwsNamed(() => lax.scan('f' as any, f64(0), f64([1])), ValueError, 'lax.scan', 'f (the step function) must be a function');
  throwsNamed(() => lax.scan((c: any, x: any) => [np.add(c, x), null], f64(0), f64([[1, 2, 3]])), ShapeError,
    'lax.scan', 'carry', 'float64[]', 'float64[3]', 'shapes do not match');
  throwsNamed(() => lax.scan((c: any) => [np.astype(c, 'float32'), null], f64(0), f64([1])), DTypeError, 'lax.scan', 'float64[]', 'float32[]');
  throwsNamed(() => lax.scan((c: any) => [[c[0], c[0]], null], [f64(0)], f64([1])), ValueError, 'lax.scan', 'structure [*]', '[*, *]');
  throwsNamed(() => lax.scan((c: any) => [{ h: np.stack([c.h, c.h]) }, null], { h: f64(0) }, f64([1])), ShapeError, 'carry.h');
  throwsNamed(() => lax.scan(id, f64(0), { a: f64([1, 2]), b: f64([1, 2, 3]) }), ShapeError, 'lax.scan', 'leading axis', 'xs.a float64[2]', 'xs.b float64[3]');
  throwsNamed(() => lax.scan(id, f64(0), null, { length: -1 }), ValueError, 'lax.scan', 'length', '-1');
  throwsNamed(() => lax.scan(id, f64(0), f64([1, 2]), { length: 3 }), ShapeError, 'lax.scan', 'length 3');
  throwsNamed(() => lax.scan(id, f64(0), null), ValueError, 'lax.scan', '{ length }');
  throwsNamed(() => lax.scan(id, f64(0), [1, 2] as any), ValueError, 'lax.scan', 'xs[0]', 'JS number');
  throwsNamed(() => lax.scan(id, f64(0), f64(1)), ShapeError, 'lax.scan', '0-d');
  throwsNamed(() => lax.scan((c: any) => c, f64(0), f64([1])), ValueError, 'lax.scan', 'pair [carry, y]');
  throwsNamed(() => lax.scan((c: any, x: any) => [np.add(c, 1), np.tile(x, Number(c) + 1)], f64(0), f64([1, 2])), ShapeError,
    'lax.scan', 'ys of one type', 'y is float64[1] at step 0 but float64[2] at step 1');
  throwsNamed(() => lax.scan(id, f64(0), f64([1]), { revers: true } as any), ValueError, 'lax.scan', 'revers');
  // a user's own error from inside f reaches the caller unchanged
  assert.throws(() => lax.scan(() => { throw new TypeError('mine'); }, 0, f64([1])), (e: any) => e instanceof TypeError && e.message === 'mine');
});

test('map: f over the leading axis, stacked, equals the loop', () => {
  const xs = f64([[1, 2], [3, 4], [5, 6]]);
  const got = lax.map((r: any) => np.sum(np.multiply(r, r)), xs);
  close(got, [5, 25, 61]);
  const tree = lax.map((t: any) => ({ d: np.subtract(t.a, t.b) }), { a: f64([5, 6]), b: f64([1, 1]) });
  close(tree.d, [4, 5]);
  throwsNamed(() => lax.map((r: any) => r, { a: f64([1]), b: f64([1, 2]) }), ShapeError, 'lax.map');
});

test("scan takes JAX's positional options, scan(f, init, xs, length, reverse, unroll), as the options object does (was: 'options must be an object' for a number, 'takes at most 4 arguments' past it)", () => {
  const step = (c: any, x: any) => [np.add(np.multiply(c, 0.5), x), c] as const;
  const xs = [0.3, -1.2, 0.9, 0.4];
  // the reference: the loop run backwards in JS (ys kept in xs's order)
  let c = 1; const want: number[] = new Array(xs.length);
  for (let i = xs.length - 1; i >= 0; i--) { want[i] = c; c = 0.5 * c + xs[i]; }
  for (const [cs, ys] of [lax.scan(step, f64(1), f64(xs), 4, true), lax.scan(step, f64(1), f64(xs), null, true, 2),
    lax.scan(step, f64(1), f64(xs), undefined, true, true), lax.scan(step, f64(1), f64(xs), { reverse: true })]) {
    close(cs, c); close(ys, want);
  }
  close(lax.scan(step, f64(1), f64(xs), 4)[1], [1, 0.8, -0.8, 0.5]); // forward: 1, 0.5 + 0.3, 0.4 - 1.2, -0.4 + 0.9
  const [n, counts] = lax.scan((k: any) => [np.add(k, 1), k], f64(0), null, 3); // length with no xs
  close(n, 3); close(counts, [0, 1, 2]);
  throwsNamed(() => lax.scan(step, f64(1), f64(xs), '4' as any), ValueError, 'lax.scan: length (argument 4)', "'4' (a string)");
  throwsNamed(() => lax.scan(step, f64(1), f64(xs), 4, 1 as any), ValueError, 'lax.scan: reverse (argument 5) must be true or false, got 1');
  throwsNamed(() => lax.scan(step, f64(1), f64(xs), 4, false, 0), ValueError, 'lax.scan: unroll must be a positive integer');
  throwsNamed(() => lax.scan(step, f64(1), f64(xs), 3, true), ShapeError, 'lax.scan: length 3 does not match');
  throwsNamed(() => (lax.scan as any)(step, f64(1), f64(xs), { length: 4 }, true), ValueError, 'lax.scan', 'one options object or all positionally');
  throwsNamed(() => (lax.scan as any)(step, f64(1), f64(xs), 4, true, 1, 0), ValueError, 'lax.scan: takes at most 6 arguments');
});

test("map's batchSize (JAX's batch_size): vmap(f) over chunks of batchSize rows, the remainder one more vmap; the values are the unbatched ones", () => {
  const rows = [[1, 2], [3, 4], [5, 6], [-7, 8], [9, 0.5]];
  let calls = 0;
  const f = (r: any) => { calls++; return { p: np.prod(np.sin(r)), s: np.multiply(r, r), k: 3 }; };
  const unbatched = lax.map(f, f64(rows)) as any;
  assert.equal(calls, 5);
  const want = rows.map(([a, b]) => Math.sin(a) * Math.sin(b));
  close(unbatched.p, want);
  // calls: ceil(5 / b) (each chunk one vmapped call of f)
  for (const [b, n] of [[1, 5], [2, 3], [3, 2], [5, 1], [7, 1]]) {
    calls = 0;
    const got = lax.map(f, f64(rows), { batchSize: b }) as any;
    assert.equal(calls, n, `batchSize ${b}: calls of f`);
    close(got.p, want, 1e-15); close(got.s, rows.flat().map((v) => v * v), 0);
    assert.deepEqual(got.p.tolist(), unbatched.p.tolist());
    assert.deepEqual([got.k.dtype, got.k.tolist()], ['float32', [3, 3, 3, 3, 3]]);
  }
  // derivatives through the chunks and the remainder: d/da sin(a) sin(b) = cos(a) sin(b)
  const g = grad((x: any) => np.sum(lax.map((r: any) => np.prod(np.sin(r)), x, { batchSize: 2 })))(f64(rows));
  close(g, rows.flatMap(([a, b]) => [Math.cos(a) * Math.sin(b), Math.sin(a) * Math.cos(b)]));
  close(lax.map((r: any) => np.sum(r), f64(np.zeros([0, 2])), { batchSize: 2 }), []);
  throwsNamed(() => lax.map(f, f64(rows), { batchSize: 0 }), ValueError, 'lax.map: batchSize must be a positive integer, got 0');
  throwsNamed(() => lax.map(f, f64(rows), { batchSize: 2.5 }), ValueError, 'lax.map: batchSize must be a positive integer, got 2.5');
  throwsNamed(() => lax.map(f, { a: f64([1]), b: f64([1, 2]) }, { batchSize: 1 }), ShapeError, 'lax.map', 'same leading axis');
});

// ---------------------------------------------------------------- cond, switch

const safeLog = (x: any) => lax.cond(np.greater(x, 0), (y: any) => np.log(y), (y: any) => np.multiply(y, y), x);

test('cond: a concrete pred runs only the taken branch; the gradient flows through it alone (no NaN from log of a negative)', () => {
  let ran = 0;
  const out = lax.cond(true, () => f64(1), () => { ran++; return f64(2); });
  close(out, 1); assert.equal(ran, 0);
  close(lax.cond(np.array(0, { dtype: 'int32' }), () => 1, () => 2), 2); // JAX: an integer pred is != 0
  close(safeLog(f64(-2)), 4);
  close(grad(safeLog)(f64(-2)), -4);
  close(grad(safeLog)(f64(3)), 1 / 3);
  close(grad(grad(safeLog))(f64(3)), -1 / 9);
  checkGrads(safeLog, [f64(-1.5)], { order: 2 });
  checkGrads(safeLog, [f64(0.8)], { order: 2 });
  close(lax.cond(false, (a: any, b: any) => np.add(a, b), (a: any, b: any) => np.subtract(a, b), f64(5), f64(3)), 2);
});

test('cond: a pred batched by vmap or abstract under jit runs both branches and selects (values and gradients equal the eager ones)', () => {
  const xs = [-2, 3, 0.5, -0.1];
  close(vmap(safeLog)(f64(xs)), xs.map((x) => (x > 0 ? Math.log(x) : x * x)), 1e-14);
  close(vmap(grad(safeLog))(f64(xs)), xs.map((x) => (x > 0 ? 1 / x : 2 * x)), 1e-14);
  for (const x of xs) {
    close(jit(safeLog)(f64(x)), vals(safeLog(f64(x))), 0, `jit ${x}`);
    close(jit(grad(safeLog))(f64(x)), vals(grad(safeLog)(f64(x))), 0, `jit grad ${x}`);
  }
  // pytree outputs, JS numbers among them taking the other branch's dtype
  const both = vmap((p: any) => lax.cond(p, () => ({ a: f64(1), b: [2] }), () => ({ a: 5, b: [f64(3)] })))(np.array([true, false]));
  close(both.a, [1, 5]); close(both.b[0], [2, 3]); assert.equal(both.a.dtype, 'float64');
});

test('cond: branch outputs of different types, a non-scalar or float pred, non-functions: named errors', () => {
  const p = np.array([true, false]);
  throwsNamed(() => vmap((q: any) => lax.cond(q, () => np.zeros([3]), () => np.zeros([2])))(p), ShapeError,
    'lax.cond', 'trueFun and falseFun', 'float32[3]', 'float32[2]');
  throwsNamed(() => vmap((q: any) => lax.cond(q, () => np.zeros([2]), () => np.zeros([2], 'float64')))(p), DTypeError, 'lax.cond', 'float64[2]');
  throwsNamed(() => jit((x: any) => lax.cond(np.greater(x, 0), () => [x], () => ({ a: x })))(f64(1)), ValueError, 'lax.cond', 'structure', '[*]', '{a: *}');
  throwsNamed(() => lax.cond(np.array([true, false]), () => 1, () => 2), ShapeError, 'lax.cond', 'pred', 'scalar', 'bool[2]');
  throwsNamed(() => lax.cond(f64(1), () => 1, () => 2), DTypeError, 'lax.cond', 'pred', 'float64[]');
  throwsNamed(() => lax.cond(0.5, () => 1, () => 2), DTypeError, 'lax.cond', 'pred', '0.5');
  throwsNamed(() => lax.cond(true, null as any, () => 2), ValueError, 'lax.cond', 'trueFun must be a function');
});

test('cond and switch: the taken branch returns Arrays, JS numbers, booleans or { re, im }, checked eagerly as under jit', () => {
  // (eagerly the taken branch's output came back as it was: a string, or the Promise of an async branch)
  const x = f64([1, 2]), p = np.array([true, false]);
  throwsNamed(() => lax.cond(true, (_v: any) => 'hello', (v: any) => v, x), ValueError, "lax.cond: trueFun returned 'hello'", 'not an Array or a JS number');
  throwsNamed(() => lax.cond(false, (v: any) => v, async (v: any) => np.sin(v), x), ValueError, 'lax.cond: falseFun returned a Promise (an async function?)');
  throwsNamed(() => lax.switch(1, [(v: any) => v, (v: any) => ({ a: v, b: 'no' })], x), ValueError, "lax.switch: branches[1] returned 'no'", 'as output');
  throwsNamed(() => vmap((q: any) => lax.cond(q, () => 'a', () => f64(1)))(p), ValueError, "lax.cond: trueFun returned 'a'");
  // the same messages as under jit, with a traced pred and a concrete one
  throwsNamed(() => jit((v: any) => lax.cond(np.greater(np.sum(v), 0), () => 'a', () => v))(x), ValueError, "lax.cond: trueFun returned 'a'");
  throwsNamed(() => jit((v: any) => lax.cond(true, () => 'a', () => v))(x), ValueError, "lax.cond: trueFun returned 'a'");
  throwsNamed(() => grad((v: any) => np.sum(lax.cond(true, async (w: any) => np.sin(w), np.cos, v)))(x), ValueError, 'lax.cond: trueFun returned a Promise');
  // what a cond row holds comes back as before
  assert.deepEqual(lax.cond(true, () => ({ re: 1, im: 2 }), () => 0), { re: 1, im: 2 });
  assert.equal(lax.cond(false, () => 1, () => true), true);
  assert.equal(lax.switch(0, [() => null, () => null]), null);
  close(lax.cond(true, (v: any) => [v, 3], (v: any) => [v, 4], x)[1], 3);
});

test('switch: the index is clamped (JAX), concrete runs one branch, batched selects', () => {
  const branches = [(x: any) => np.add(x, 1), (x: any) => np.multiply(x, 10), (x: any) => np.negative(x)];
  close(lax.switch(1, branches, f64(3)), 30);
  close(lax.switch(-4, branches, f64(3)), 4);
  close(lax.switch(np.array(9, { dtype: 'int32' }), branches, f64(3)), -3);
  const idx = np.array([-1, 0, 1, 2, 7], { dtype: 'int32' });
  close(vmap((i: any) => lax.switch(i, branches, f64(3)))(idx), [4, 4, 30, -3, -3]);
  close(jit((i: any, x: any) => lax.switch(i, branches, x))(np.array(1, { dtype: 'int32' }), f64(2)), 20);
  close(vmap((i: any) => grad((x: any) => lax.switch(i, branches, np.multiply(x, x)))(f64(3)))(idx), [6, 6, 60, -6, -6]);
  throwsNamed(() => lax.switch(f64(1), branches, f64(3)), DTypeError, 'lax.switch', 'index', 'float64[]');
  throwsNamed(() => lax.switch(0, [], f64(3)), ValueError, 'lax.switch', 'non-empty');
  throwsNamed(() => vmap((i: any) => lax.switch(i, [() => f64(1), () => f64([1, 2])]))(idx), ShapeError, 'lax.switch', 'branches[1]');
});

// ---------------------------------------------------------------- whileLoop

// v0 = x, v <- v x + 1 three times: x^4 + x^2 + x + 1, derivative 4x^3 + 2x + 1
const threeSteps = (x: any) => lax.whileLoop(([k]: any) => k < 3, ([k, v]: any) => [k + 1, np.add(np.multiply(v, x), 1)], [0, x])[1];

test('whileLoop: runs as a JS loop; reverse and forward mode through it (it unrolls), second order', () => {
  const x = 0.9;
  close(threeSteps(f64(x)), x ** 4 + x ** 2 + x + 1);
  close(grad(threeSteps)(f64(x)), 4 * x ** 3 + 2 * x + 1);
  close(grad(grad(threeSteps))(f64(x)), 12 * x ** 2 + 2);
  checkGrads(threeSteps, [f64(x)], { order: 2 });
  // a data-dependent trip count: halve until below 1 (eagerly and under grad, where it is concrete)
  const halve = (x: any) => lax.whileLoop((c: any) => np.greaterEqual(c, 1), (c: any) => np.multiply(c, 0.5), x);
  close(halve(f64(37)), 37 / 64);
  close(grad(halve)(f64(37)), 1 / 64);
  assert.equal(lax.whileLoop(() => false, () => { throw new Error('not run'); }, 'init'), 'init');
});

test('whileLoop: a traced predicate under jit is a while row; a static one unrolls', () => {
  const halve = (x: any) => lax.whileLoop((c: any) => np.greaterEqual(c, 1), (c: any) => np.multiply(c, 0.5), x);
  close(jit(halve)(f64(37)), 37 / 64, 0); // (halvings are exact)
  close(jit(threeSteps)(f64(0.9)), 0.9 ** 4 + 0.9 ** 2 + 0.9 + 1, 1e-14); // (the counter is a JS number: static)
  throwsNamed(() => lax.whileLoop((c: any) => c, (c: any) => c, f64(1)), DTypeError, 'lax.whileLoop', 'condFun', 'float64[]');
  throwsNamed(() => lax.whileLoop((c: any) => np.less(c, 3), (c: any) => np.stack([c, c]), f64(1)), ShapeError, 'lax.whileLoop', 'bodyFun', 'float64[2]');
  throwsNamed(() => lax.whileLoop((c: any) => true, 3 as any, f64(1)), ValueError, 'lax.whileLoop', 'bodyFun must be a function');
});

test('whileLoop under vmap: a batched predicate runs until every example is done, the finished ones kept (equals the loop)', () => {
  // Collatz-like: count halvings until below 1; trip counts differ per example
  const count = (x: any) => lax.whileLoop(([c]: any) => np.greaterEqual(c, 1), ([c, k]: any) => [np.multiply(c, 0.5), np.add(k, 1)], [x, f64(0)]);
  const xs = [0.5, 3, 37, 1];
  const [cs, ks] = vmap(count)(f64(xs)) as any;
  const byHand = xs.map((x) => { let c = x, k = 0; while (c >= 1) { c *= 0.5; k++; } return [c, k]; });
  close(cs, byHand.map((r) => r[0])); close(ks, byHand.map((r) => r[1]));
  // the gradient per example equals the loop of gradients
  const last = (x: any) => count(x)[0];
  close(vmap(grad(last))(f64(xs)), xs.map((x) => vals(grad(last)(f64(x)))[0]));
  // nested vmap: every example of both levels
  const grid = f64([[0.5, 3], [37, 1]]);
  close(vmap(vmap(last))(grid), byHand.map((r) => r[0]));
  // and a batched upper bound of foriLoop runs the same way
  close(vmap((n: any) => lax.foriLoop(0, n, (_i: any, c: any) => np.multiply(c, 2), f64(1)))(np.array([0, 3, 1], { dtype: 'int32' })), [1, 8, 2]);
});
