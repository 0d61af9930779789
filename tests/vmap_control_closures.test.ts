// Eager vmap of cond/switch/whileLoop with a batched predicate traces the branches (or the body)
// to find what they close over and guard it; where that cannot be done (a whileLoop inside, whose
// traced row reverse mode refuses; a concrete read) they run as they are. Closed-form references.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, vmap, grad, jit } from '../ts/index.ts';

const f64 = (v: number[]) => np.array(v, { dtype: 'float64' });
const close = (got: number[], want: number[], tol = 1e-14) =>
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= tol * Math.max(1, Math.abs(want[i])), `${g} vs ${want[i]} at ${i}: [${got}]`));
const int = (v: number) => lax.full([], v, 'int32');

test('a cond branch holding a whileLoop runs as it is under eager vmap(grad) (its traced while row has no reverse mode)', () => {
  // x > 0: sin(sin(x)) (two steps), else x; d/dx = cos(sin x) cos x, or 1
  const g = (x: any) => lax.cond(np.greater(x, 0),
    () => lax.whileLoop((c: any) => lax.lt(c[0], int(2)), (c: any) => [lax.add(c[0], int(1)), np.sin(c[1])], [int(0), x])[1], () => x);
  close(vmap(grad(g))(f64([-1, 2])).tolist() as number[], [1, Math.cos(Math.sin(2)) * Math.cos(2)]);
  // the whileLoop's trip count traced from x: still the eager steps
  // (the loop also runs, selected away, for x = -1, so it must end there too: |c| < 10)
  const h = (x: any) => lax.cond(np.greater(x, 0),
    () => lax.whileLoop((c: any) => np.less(np.abs(c), 10), (c: any) => np.multiply(c, 2), x), () => np.multiply(x, 3));
  // x = 3 -> 6 -> 12: 4x, derivative 4; x = 0.75 -> ... 12: 16x, 16; x = -1: 3
  close(vmap(grad(h))(f64([3, 0.75, -1])).tolist() as number[], [4, 16, 3]);
  // under jit a while row in a batched branch is jit's (forward mode only, as JAX)
  close(jit(vmap((x: any) => h(x)))(f64([3, 0.75, -1])).tolist() as number[], [12, 12, -3]);
});

test('a while body holding a whileLoop, under a batched predicate: the body runs as it is, the carry guarded', () => {
  // inner(c): d from c by steps of 0.5 while d < c + 1 (a trip count traced from c: a while row
  // when traced): c + 1. outer: c0 = a / 4, c = inner(c) while c < a (exact binary fractions)
  const inner = (c: any) => lax.whileLoop((d: any) => np.less(d, np.add(c, 1)), (d: any) => np.add(d, 0.5), c);
  const f = (a: any) => lax.whileLoop((c: any) => np.less(c, a), (c: any) => np.sqrt(np.square(inner(c))), np.multiply(a, 0.25));
  // a = 2: 0.5 -> 1.5 -> 2.5; a = 5: 1.25 -> ... -> 5.25: d/da = 0.25 for both
  close(vmap(grad(f))(f64([2, 5])).tolist() as number[], [0.25, 0.25]);
  close(vmap(f)(f64([2, 5])).tolist() as number[], [2.5, 5.25]);
});

test('a cond branch closing over a batched value whose function is only defined where taken: sqrt and 1/x', () => {
  const g = (x: any) => lax.cond(np.greater(x, 0), () => np.sqrt(x), () => np.divide(1, np.subtract(x, 0)));
  // x = 4: 1/(2 sqrt 4) = 0.25; x = -2: d(1/x) = -1/x^2 = -0.25
  close(vmap(grad(g))(f64([4, -2])).tolist() as number[], [0.25, -0.25]);
  // and x = 0 taking the 1/x branch's... no: x = 0 is not > 0, so 1/x: -inf, as JAX; the sqrt branch's inf' stays out
  const s = (x: any) => lax.cond(np.greater(x, 0), () => np.sqrt(x), () => np.multiply(x, 5));
  close(vmap(grad(s))(f64([0, 1])).tolist() as number[], [5, 0.5]);
});

test('customLinearSolve / customRoot in a batched cond branch, closing over two parameters of one shape: each gets its own derivative', () => {
  // x solves (t + s^2) x = 1 (matvec reads s before t, t made first); d x/dt = -1/(t+s^2)^2, d x/ds = -2s/(t+s^2)^2
  const solveScalar = (mv: any, b: any) => np.divide(b, mv(np.onesLike(b)));
  const f = (t: any, s: any) => lax.cond(np.greater(t, 0),
    () => lax.customLinearSolve((v: any) => np.add(np.multiply(np.square(s), v), np.multiply(v, t)), np.onesLike(t), solveScalar, { symmetric: true }),
    () => np.multiply(t, s));
  const ts = [2, 3, -1], ss = [0.5, 1.5, 4];
  const g = vmap(grad(f, { argnums: [0, 1] }))(f64(ts), f64(ss)) as any;
  const want = ts.map((t, i) => (t > 0 ? [-1 / (t + ss[i] ** 2) ** 2, -2 * ss[i] / (t + ss[i] ** 2) ** 2] : [ss[i], t]));
  close(g[0].tolist() as number[], want.map((w) => w[0]));
  close(g[1].tolist() as number[], want.map((w) => w[1]));
  // the root of exp(r) - s * t^2 (r = log s + 2 log t): d/dt = 2/t, d/ds = 1/s
  const newton = (fn: any, r0: any) => { let r = r0; for (let k = 0; k < 60; k++) r = np.subtract(r, np.divide(fn(r), np.exp(r))); return r; };
  const h = (t: any, s: any) => lax.cond(np.greater(t, 0),
    () => lax.customRoot((r: any) => np.subtract(np.exp(r), np.multiply(s, np.square(t))), np.zerosLike(t), newton, (gf: any, y: any) => np.divide(y, gf(np.onesLike(y)))),
    () => np.add(t, s));
  const gh = vmap(grad(h, { argnums: [0, 1] }))(f64(ts), f64(ss)) as any;
  close(gh[0].tolist() as number[], ts.map((t) => (t > 0 ? 2 / t : 1)), 1e-12);
  close(gh[1].tolist() as number[], ts.map((t, i) => (t > 0 ? 1 / ss[i] : 1)), 1e-12);
});

test('a while body holding a whileLoop and reading a closed-over sqrt(a - c), undefined past the end: finite, as the same loop in JS', () => {
  const inner = (c: any) => lax.whileLoop((d: any) => np.less(d, np.add(c, 1)), (d: any) => np.add(d, 0.5), c);
  const f = (a: any) => lax.whileLoop((c: any) => np.less(c, a), (c: any) => np.add(inner(c), np.multiply(0.25, np.sqrt(np.subtract(a, c)))), np.multiply(a, 0));
  const js = (a: number) => { let c = 0; while (c < a) c = c + 1 + 0.25 * Math.sqrt(a - c); return c; };
  const as = [0.7, 2.3, 3.1], h = 1e-6;
  const fd = as.map((a) => (js(a + h) - js(a - h)) / (2 * h));
  close(vmap(grad(f))(f64(as)).tolist() as number[], fd, 1e-7);
  close(vmap(f)(f64(as)).tolist() as number[], as.map(js), 1e-14);
});
