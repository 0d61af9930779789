// helper-254's probe of derivatives at kinks, ties and zeros (grad, vjp, jvp, jit, vmap, second
// order), against JAX's rules (jax/_src/lax/lax.py, jax/_src/numpy/*.py) and closed forms worked
// by hand or with mpmath (values pasted below). The one defect found: np.sort's descending tie
// order; the rest pins conventions checked here that no other test file covers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, linalg, grad, jvp, vjp, jit, vmap, hessian } from '../ts/index.ts';

const f64 = (v: unknown) => np.array(v as any, { dtype: 'float64' });
const flat = (a: any): number[] => Array.from(a.dataSync() as Float64Array, Number);
const L = lax as any, A = np as any;
const I = Infinity;
const eqBits = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
const dot = (y: any, w: number[]) => np.sum(np.multiply(y, f64(w)));

/** grad, jit(grad), vjp, vmap(grad) and jit(vmap(grad)) of f at x: equal to want (NaN matching NaN), all bit for bit. */
function allModes(what: string, f: (x: any) => any, x: number[], want: number[]) {
  const X = f64(x);
  const ge = flat(grad(f)(X));
  assert.ok(eqBits(ge, want), `${what}: grad ${ge} want ${want}`);
  const [, pull] = vjp(f, X);
  const others: [string, number[]][] = [
    ['jit(grad)', flat(jit(grad(f))(X))],
    ['vjp', flat((pull(f64(1)) as any)[0])],
    ['vmap(grad)', flat(vmap(grad(f))(f64([x, x]))).slice(x.length)],
    ['jit(vmap(grad))', flat(jit(vmap(grad(f)))(f64([x, x]))).slice(0, x.length)],
  ];
  for (const [m, r] of others) assert.ok(eqBits(r, ge), `${what}: ${m} ${r} vs grad ${ge}`);
}

test("np.sort descending is jnp's lax.rev of the stable ascending sort: ties in reverse index order, so are their derivatives", () => {
  // jnp.sort(x, descending=True) = lax.rev(lax.sort(x, is_stable=True)) (jax/_src/numpy/lax_numpy.py).
  // x = [1, 1, 0]: ascending takes (x2, x0, x1), reversed (x1, x0, x2); weights 1, 2, 3 go to x1, x0, x2
  const f = (x: any) => dot(np.sort(x, { descending: true }), [1, 2, 3]);
  allModes('sort descending', f, [1, 1, 0], [2, 1, 3]); // was [1, 2, 3] (ties kept in index order)
  assert.deepEqual(flat(jvp(f, [f64([1, 1, 0])], [f64([1, 0, 0])])[1]), [2]);
  // the first of a descending sort of a tie is the last tied element (jnp: grad(lambda x: jnp.sort(x, descending=True)[0]))
  assert.deepEqual(grad((x: any) => np.sort(x, { descending: true }).get(0))(f64([5, 5, 5])).tolist(), [0, 0, 1]);
  // and the values follow: -0 before 0 where they tie, NaNs first (rev of NaNs last), as jnp's
  const v = np.sort(f64([0, -0, 1, NaN, 1, -0]), { descending: true }).dataSync() as Float64Array;
  assert.ok(Number.isNaN(v[0]) && v[1] === 1 && v[2] === 1 && Object.is(v[3], -0) && Object.is(v[4], -0) && Object.is(v[5], 0), `${Array.from(v)}`);
  const vj = jit((x: any) => np.sort(x, { descending: true }))(f64([0, -0, 1, NaN, 1, -0])).dataSync() as Float64Array;
  assert.ok(Object.is(vj[3], -0) && Object.is(vj[5], 0));
  // along axis 0 and with axis null; argsort descending keeps ties in index order (jnp.argsort's reversed-iota trick)
  assert.deepEqual(np.sort(f64([[1, 5], [3, -2], [1, 4]]), { axis: 0, descending: true }).tolist(), [[3, 5], [1, 4], [1, -2]]);
  assert.deepEqual(grad((x: any) => np.sum(np.multiply(np.sort(x, { axis: 0, descending: true }), f64([[1, 1], [2, 2], [3, 3]]))))(f64([[1, 5], [3, -2], [1, 4]])).tolist(), [[3, 1], [1, 3], [2, 2]]);
  assert.deepEqual(np.argsort(f64([1, 1, 0]), { descending: true }).tolist(), [0, 1, 2]);
  assert.deepEqual(vmap(grad(f))(f64([[1, 1, 0], [0, 0, 0]])).tolist(), [[2, 1, 3], [3, 2, 1]]);
  // ascending sort unchanged: stable, ties in index order
  allModes('sort ascending', (x: any) => dot(np.sort(x), [1, 2, 3]), [1, 1, 0], [2, 3, 1]);
});

test("ties share the derivative equally (JAX's reduce-chooser and _balanced_eq rules), in every mode", () => {
  allModes('max', (x) => np.max(x), [1, 3, 3], [0, 0.5, 0.5]);
  allModes('amin', (x) => A.amin(x), [3, 1, 1], [0, 0.5, 0.5]);
  allModes('max of -0 and 0', (x) => np.max(x), [-0, 0], [0.5, 0.5]);
  allModes('max of infinities', (x) => np.max(x), [I, I, 1], [0.5, 0.5, 0]);
  allModes('max with initial at a tie (lax.max(initial, reduce))', (x) => A.max(x, { initial: 3 }), [3, 1], [0.5, 0]);
  allModes('nanmax', (x) => A.nanmax(x), [1, NaN, 1], [0.5, 0, 0.5]);
  allModes('max with NaN: 0/0 (JAX)', (x) => np.max(x), [NaN, 1], [NaN, NaN]);
  allModes('maximum', (x) => np.maximum(x.get(0), x.get(1)), [2, 2], [0.5, 0.5]);
  allModes('maximum with NaN: 0 to each (balanced_eq)', (x) => np.maximum(x.get(0), x.get(1)), [NaN, 1], [0, 0]);
  allModes('lax.reduceMax', (x) => L.reduceMax(x, [0]), [2, 2, 1], [0.5, 0.5, 0]);
  allModes('norm inf', (x) => linalg.norm(x, { ord: Infinity }), [3, -3, 1], [0.5, -0.5, 0]);
  allModes('clip at both bounds', (x) => np.sum(np.clip(x, 0, 1)), [0, 1, 0.5, -1, 2], [0.5, 0.5, 1, 0, 0]);
  allModes('clip: d/dlo at x == lo', (v) => np.clip(f64(0.5), v.get(0), v.get(1)), [0.5, 1], [0.5, 0]);
  // per-row tie counts under vmap
  assert.deepEqual(vmap(grad((x: any) => np.max(x)))(f64([[1, 1, 0], [2, 0, 2], [3, 3, 3], [0, 1, 2]])).tolist(),
    [[0.5, 0.5, 0], [0.5, 0, 0.5], [1 / 3, 1 / 3, 1 / 3], [0, 0, 1]]);
  // topK ties lowest index first (lax.top_k); median through the stable sort (jnp: quantile of the sorted values)
  allModes('topK', (x) => dot(L.topK(x, 2)[0], [1, 2]), [1, 3, 3, 2], [0, 1, 2, 0]);
  allModes('median odd', (x) => np.median(x), [1, 1, 1], [0, 1, 0]);
  allModes('median even', (x) => np.median(x), [2, 2, 2, 2], [0, 0.5, 0.5, 0]);
  allModes('median mixed', (x) => np.median(x), [3, 1, 3, 3, 0], [1, 0, 0, 0, 0]);
  // second order at a tie is 0 (the rules are piecewise linear); (max x)^2 at [2, 2]: 2 (dm)(dm)^T
  assert.deepEqual(flat(hessian((x: any) => np.maximum(x.get(0), x.get(1)))(f64([2, 2]))), [0, 0, 0, 0]);
  assert.deepEqual(flat(jit(hessian((x: any) => np.square(np.max(x))))(f64([2, 2]))), [0.5, 0.5, 0.5, 0.5]);
});

test("kinks: relu'(0) = 0, abs'(0) = 1 (select(x >= 0)), sign/round/floor 0; zeros: prod and cumprod exact to second order", () => {
  allModes('relu', (x) => np.sum(np.relu(x)), [0, -0, 1, -1], [0, 0, 1, 0]);
  allModes('abs', (x) => np.sum(np.abs(x)), [0, -0, -1], [1, 1, -1]);
  allModes('leakyRelu (where(x >= 0, x, a x))', (x) => np.sum(A.leakyRelu(x, 0.1)), [0], [1]);
  allModes('sign round floor', (x) => np.sum(np.add(np.add(np.sign(x), np.round(x)), np.floor(x))), [0, 0.5, 1.5], [0, 0, 0]);
  allModes('prod one zero', (x) => np.prod(x), [2, 0, 3], [0, 6, 0]);
  allModes('prod two zeros', (x) => np.prod(x), [0, 0, 3], [0, 0, 0]);
  assert.deepEqual(flat(hessian((x: any) => np.prod(x))(f64([0, 0, 3]))), [0, 3, 0, 3, 0, 0, 0, 0, 0]);
  assert.deepEqual(flat(jit(hessian((x: any) => np.prod(x)))(f64([2, 0, 3]))), [0, 3, 0, 3, 0, 2, 0, 2, 0]);
  // sum(cumprod x) = x0 + x0 x1 + x0 x1 x2
  allModes('cumprod', (x) => np.sum(np.cumprod(x)), [2, 0, 3], [1, 8, 0]);
  allModes('cumprod two zeros', (x) => np.sum(np.cumprod(x)), [0, 0, 3], [1, 0, 0]);
  assert.deepEqual(flat(hessian((x: any) => np.sum(np.cumprod(x)))(f64([2, 0, 3]))), [0, 4, 0, 4, 0, 2, 0, 2, 0]);
});

test('zeros and edges: infinite slopes, NaN where JAX gives NaN, and the where trick', () => {
  allModes('sqrt', (x) => np.sum(np.sqrt(x)), [0, -0], [I, -I]); // g * 0.5 / ans
  allModes('x ** 0.5', (x) => np.sum(np.power(x, 0.5)), [0], [I]);
  allModes('x ** 2 (integer_pow)', (x) => np.sum(np.power(x, 2)), [0, -3], [0, -6]);
  allModes('pow(x, 2.0 array)', (x) => np.sum(np.power(x, f64([2, 2]))), [0, -3], [0, -6]);
  allModes('d/dy 0 ** y (log(replace_zero(x)) * ans)', (y) => np.sum(np.power(f64(0), y)), [2, 0.5], [0, 0]);
  allModes('log, log1p', (x) => np.add(np.log(x.get(0)), np.log1p(x.get(1))), [1, -1], [1, I]);
  allModes('arcsin at 1', (x) => np.sum(np.arcsin(x)), [1], [I]);
  allModes('arccos at -1', (x) => np.sum(np.arccos(x)), [-1], [-I]);
  allModes('erfinv at -1', (x) => np.sum(A.erfinv(x)), [-1], [I]);
  assert.equal(grad(grad((t: any) => A.erfinv(t)))(f64(1)).item(), I);
  allModes('norm at 0: 0.5 / 0 * 0 (JAX NaN)', (x) => linalg.norm(x), [0, 0], [NaN, NaN]);
  allModes('norm 1 at 0 (abs at 0)', (x) => linalg.norm(x, { ord: 1 }), [0, 0], [1, 1]);
  allModes('arctan2 at the origin', (v) => np.arctan2(v.get(0), v.get(1)), [0, 0], [NaN, NaN]);
  allModes('hypot at the origin', (v) => np.hypot(v.get(0), v.get(1)), [0, 0], [0.5, 0.5]);
  allModes('logaddexp with -inf', (v) => A.logaddexp(v.get(0), v.get(1)), [3, -I], [1, 0]);
  allModes('logsumexp with -inf', (x) => np.logsumexp(x), [0, -I, 0], [0.5, 0, 0.5]);
  allModes('logsumexp all -inf: 0 / 0 (JAX)', (x) => np.logsumexp(x), [-I, -I], [NaN, NaN]);
  assert.deepEqual(flat(hessian((x: any) => np.logsumexp(x))(f64([0, -I, 0]))), [0.25, 0, -0.25, 0, 0, 0, -0.25, 0, 0.25]);
  // softmax with a -inf entry: s = (1, 0, e) / (1 + e), d sum(s w) = s (w - s.w); mpmath: 0.39322386648296370507
  const gs = flat(grad((x: any) => dot(np.softmax(x), [1, 2, 3]))(f64([0, -I, 1])));
  assert.ok(Math.abs(gs[0] + 0.3932238664829637) < 1e-15 && gs[1] === 0 && Math.abs(gs[2] - 0.3932238664829637) < 1e-15, `${gs}`);
  // where(x > 0, sqrt(x), 0) at 0: the untaken branch's 0 cotangent times sqrt' = inf is NaN in reverse mode, as JAX;
  // forward mode selects the taken branch's tangent (0), as JAX's; the double where gives 0 both ways
  const single = (x: any) => np.sum(np.where(np.greater(x, 0), np.sqrt(x), 0));
  allModes('where trick', single, [0, 4], [NaN, 0.25]);
  assert.equal((jvp(single, [f64([0])], [f64([1])])[1] as any).item(), 0);
  const double = (x: any) => { const ok = np.greater(x, 0); return np.sum(np.where(ok, np.sqrt(np.where(ok, x, 1)), 0)); };
  allModes('double where', double, [0, 4], [0, 0.25]);
  // sinc: JAX's Maclaurin rule at 0: sinc'(0) = 0, sinc''(0) = -pi^2 / 3, sinc''''(0) = pi^4 / 5 (mpmath)
  allModes('sinc at 0 and integers', (x) => np.sum(A.sinc(x)), [0, 1, 2], [0, -1, 0.5]);
  assert.ok(Math.abs(grad(grad(A.sinc))(f64(0)).item() + 3.2898681336964528729) < 1e-14);
  assert.ok(Math.abs(grad(grad(grad(grad(A.sinc))))(f64(0)).item() - 19.481818206800487447) < 1e-12);
  // sigmoid far out: s (1 - s) without NaN (mpmath: 4.2483542552915889592e-18 at -40)
  allModes('sigmoid tails', (x) => np.sum(np.sigmoid(x)), [-745, -800, 800], [5e-324, 0, 0]);
  assert.ok(Math.abs(grad(np.sigmoid)(f64(-40)).item() / 4.2483542552915889592e-18 - 1) < 1e-14);
});
