// Probe fixes (helper-235, control flow in float64/complex/int and under higher-order
// derivatives). A cond or switch whose predicate is batched by vmap runs every branch and
// selects; as in JAX's batching rule (jax#1052), each branch gets its operands through
// stopGradient where it is not taken, so an untaken branch's infinite derivative (log at 0)
// does not turn the select's zero cotangent into NaN. References: closed forms in float64
// (d/dx log x = 1/x, d/dx x^2 = 2x), JAX's _cond_batching_rule for the expected 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, jit, grad, vmap, hessian, NDArray } from '../ts/index.ts';

const f64 = (x: any) => np.array(x, { dtype: 'float64' });
const i32 = (x: any) => np.array(x, { dtype: 'int32' });
const vals = (x: any): number[] => Array.from((x as NDArray).dataSync() as Float64Array, Number);
function same(got: any, want: number[], msg: string) {
  const g = vals(got);
  assert.equal(g.length, want.length, `${msg}: length`);
  // (Object.is: NaN and -0 are values here; 1e-15 relative for the logs)
  g.forEach((v, i) => assert.ok(Object.is(v, want[i]) || Math.abs(v - want[i]) <= 1e-15 * Math.abs(want[i]), `${msg}[${i}]: got ${v}, want ${want[i]}`));
}

// f(x) = x > 0 ? log(x) : 0 * x, written the "unsafe" way (no inner where): JAX gives 0 at x <= 0
const unsafe = (x: any) => lax.cond(np.greater(x, 0), (a: any) => np.log(a), (a: any) => np.multiply(a, 0), x);

test('vmap of cond with a batched predicate: no NaN gradient from the untaken branch, in both orders, eager and jit', () => {
  const xs = f64([2, -1, 0]);
  const want = [0.5, 0, 0]; // 1/2, then the taken branch 0*x: 0 (was NaN at x = 0: 0 * (1/0))
  const inner = vmap(grad(unsafe));
  const outer = grad((x: any) => np.sum(vmap(unsafe)(x)));
  same(inner(xs), want, 'vmap(grad) eager');
  same(jit(inner)(xs), want, 'vmap(grad) jit');
  same(outer(xs), want, 'grad(vmap) eager');
  same(jit(outer)(xs), want, 'grad(vmap) jit'); // (the cond row's batching rule, control/cond.ts)
  // second order: x log x / x^2 -> 1/x / 2
  const g = (x: any) => lax.cond(np.greater(x, 0), (a: any) => np.multiply(np.log(a), a), (a: any) => np.multiply(a, a), x);
  same(vmap(hessian(g))(f64([2, -1, 0, 0.5])), [0.5, 2, 2, 2], 'vmap(hessian) eager');
  same(jit(vmap(hessian(g)))(f64([2, -1, 0, 0.5])), [0.5, 2, 2, 2], 'vmap(hessian) jit');
  // the taken branch's own infinity still comes through
  same(outer(f64([0])), [0], 'x = 0 takes 0 * x');
  same(grad((x: any) => np.sum(vmap((x: any) => lax.cond(np.greaterEqual(x, 0), np.log, (a: any) => a, x))(x)))(f64([0, -1])), [Infinity, 1], 'log taken at 0');
});

test('switch with a batched index: untaken branches pass no derivative, operand batched or not', () => {
  const sw = (i: any, x: any) => lax.switch(i, [(a: any) => np.log(a), (a: any) => np.multiply(a, a), (a: any) => np.divide(1, a)], x);
  for (const [name, f] of [['eager', (g: any) => g], ['jit', jit]] as const) {
    // x = 0 shared by every example, branch 1 (x^2) taken everywhere: 3 * 2 * 0 (was NaN: log's and 1/x's 0 * inf)
    same(f(grad((x: any) => np.sum(vmap(sw, { inAxes: [0, null] })(i32([1, 1, 1]), x))))(f64(0)), [0], `${name}: unbatched x`);
    same(f(grad((x: any) => np.sum(vmap(sw)(i32([1, 0, 1, 7]), x))))(f64([0, 3, 0, 2])), [0, 1 / 3, 0, -1 / 4], `${name}: batched x`);
    same(f(vmap(grad(sw, { argnums: 1 })))(i32([1, 0, 1, 7]), f64([0, 3, 0, 2])), [0, 1 / 3, 0, -1 / 4], `${name}: vmap(grad)`);
  }
});

test('vmap of whileLoop / foriLoop with per-example trip counts: a finished example gets no NaN gradient (eager reverse mode)', () => {
  // x -> sqrt(x - 4) n times: n = 1 from 8 gives 2, d = 1/(2*2); n = 2 from 29 gives 1, d = 1/(2*1) * 1/(2*5).
  // The step still ran on the finished example's 2 (sqrt(-2): NaN, selected away) and its
  // derivative reached the gradient as 0 * NaN.
  const want = [0.25, 0.05];
  const w = (n: any, x: any) => lax.whileLoop(([k]: any) => np.less(k, n), ([k, y]: any) => [np.add(k, 1), np.sqrt(np.subtract(y, 4))], [i32(0), x])[1];
  const fo = (n: any, x: any) => lax.foriLoop(0, n, (_i: any, y: any) => np.sqrt(np.subtract(y, 4)), x);
  for (const [name, f] of [['whileLoop', w], ['foriLoop', fo]] as const) {
    const n = i32([1, 2]), x = f64([8, 29]);
    same(vmap(f)(n, x), [2, 1], `${name}: values`);
    same(vmap(grad(f, { argnums: 1 }))(n, x), want, `${name}: vmap(grad)`);
    same(grad((x: any) => np.sum(vmap(f)(n, x)))(x), want, `${name}: grad(vmap)`);
  }
  // second order through the same path (closed forms):
  // y = (x^2)^2 = x^4 (n = 2) at 1: 12; y = x^2 (n = 1) at 2: 2; past the end the step x^2 runs, harmless here
  const sq = (n: any, x: any) => lax.foriLoop(0, n, (_i: any, y: any) => np.multiply(y, y), x);
  same(vmap(hessian(sq, { argnums: 1 }))(i32([2, 1]), f64([1, 2])), [12, 2], 'vmap(hessian) fori');
});
