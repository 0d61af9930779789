// vmap's named axes and the collectives over them: lax.psum, pmean, axisIndex, axisSize
// (ts/api/collectives.ts, assembly/ad/rules/collective.ts). References are plain-JS float64
// (closed forms, central differences of the batched function written out in JS), never cotangent.
//
// JAX's conventions, which these pin: psum of a value that does not vary along the axis is size * x;
// psum's transpose is psum (JAX treats psum as psum + pbroadcast), so vmap(grad(h)) gives example j
// the derivative of the sum over examples, sum_i dh_i/dx_j, and vmap(jacfwd(h)) (every example's
// tangent 1 at once) gives sum_i dh_j/dx_i; an inner axis name shadows an outer one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  np, lax, vmap, grad, jit, jvp, vjp, jacfwd, hessian, valueAndGrad, checkpoint, ValueError, NotImplementedError,
} from '../ts/index.ts';

const f64 = (v: number[] | number[][]) => np.array(v as never, { dtype: 'float64' });
const close = (got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string) => {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    assert.ok(Math.abs(got[i] - want[i]) <= tol * Math.max(1, Math.abs(want[i])), `${what}[${i}]: got ${got[i]}, want ${want[i]}`);
  }
};
const vals = (a: any): number[] => Array.from(a.dataSync() as ArrayLike<number>, Number);
const named = (f: any, name: unknown = 'i', more: object = {}) => vmap(f, { axisName: name as string, ...more });

// h_j(x) = x_j * S + sin(x_j) * Q, S = sum_i x_i, Q = sum_i x_i^2: per example through psum, and in plain JS on the batch
const hPsum = (x: any) => np.add(np.multiply(x, lax.psum(x, 'i')), np.multiply(np.sin(x), lax.psum(np.square(x), 'i')));
function hJs(x: number[]): number[] {
  const S = x.reduce((a, b) => a + b, 0), Q = x.reduce((a, b) => a + b * b, 0);
  return x.map((v) => v * S + Math.sin(v) * Q);
}
/** J[j][i] = dh_j/dx_i by central differences (h = 1e-6). */
function jacJs(x: number[]): number[][] {
  const n = x.length, eps = 1e-6;
  return Array.from({ length: n }, (_, j) => Array.from({ length: n }, (_, i) => {
    const p = x.slice(), m = x.slice(); p[i] += eps; m[i] -= eps;
    return (hJs(p)[j] - hJs(m)[j]) / (2 * eps);
  }));
}
const X = [0.3, -1.2, 2.5, 0.7];

test('psum, pmean, axisSize and a JS number: the sum over the named axis, the same for every example', () => {
  const x = f64(X), S = X.reduce((a, b) => a + b, 0);
  close(vals(named((v: any) => lax.psum(v, 'i'))(x)), X.map(() => S), 1e-15, 'psum');
  close(vals(named((v: any) => lax.pmean(v, 'i'))(x)), X.map(() => S / 4), 1e-15, 'pmean');
  close(vals(named((v: any) => np.multiply(v, lax.psum(1, 'i')))(x)), X.map((v) => 4 * v), 0, 'psum(1) is the axis size');
  assert.equal(named((v: any) => { assert.equal(lax.axisSize('i'), 4); return v; })(x).shape[0], 4);
  close(vals(named(hPsum)(x)), hJs(X), 1e-14, 'h');
  // outAxes null: psum's result does not vary across the batch (JAX's unmapped output)
  close(vals(named((v: any) => lax.psum(v, 'i'), 'i', { outAxes: null })(x)), [S], 1e-15, 'outAxes null');
  // a value that does not vary along the axis sums to size * x (JAX's psum of an unmapped value)
  close(vals(named((v: any) => np.add(v, lax.psum(f64([2.5]), 'i')))(x)), X.map((v) => v + 10), 0, 'unmapped');
});

test('psum of a tree, of int32 (wrapping), of bools (int32, as JAX), of complex, and float32 rounding', () => {
  const out = named((t: any) => lax.psum(t, 'i'))({ a: f64([1, 2, 3]), b: [f64([[1, 0], [0, 1], [2, 2]])] }) as any;
  assert.deepEqual(out.a.tolist(), [6, 6, 6]);
  assert.deepEqual(out.b[0].tolist(), [[3, 3], [3, 3], [3, 3]]);
  const big = named((v: any) => lax.psum(v, 'i'))(np.array([2 ** 31 - 1, 1], { dtype: 'int32' }));
  assert.equal(big.dtype, 'int32');
  assert.deepEqual(big.tolist(), [-(2 ** 31), -(2 ** 31)]); // (int32 wraps, as XLA's)
  const b = named((v: any) => lax.psum(v, 'i'))(np.array([true, false, true]));
  assert.equal(b.dtype, 'int32');
  assert.deepEqual(b.tolist(), [2, 2, 2]);
  const c = named((v: any) => lax.psum(v, 'i'))(np.array([{ re: 1, im: 2 }, { re: -3, im: 0.5 }], { dtype: 'complex64' }));
  assert.equal(c.dtype, 'complex64');
  assert.deepEqual(c.tolist(), [{ re: -2, im: 2.5 }, { re: -2, im: 2.5 }]);
  const f = named((v: any) => lax.psum(v, 'i'))(np.array([0.1, 0.2, 0.3], { dtype: 'float32' }));
  assert.equal(f.dtype, 'float32');
  const want = Math.fround(Math.fround(Math.fround(0.1) + Math.fround(0.2)) + Math.fround(0.3));
  assert.ok(Math.abs(f.tolist()[0] - want) <= 2 ** -23 * want, `float32 psum ${f.tolist()[0]} vs ${want}`);
  // pmean of int32 is a float (JAX's true division)
  const m = named((v: any) => lax.pmean(v, 'i'))(np.array([1, 2], { dtype: 'int32' }));
  assert.equal(m.dtype, 'float32');
  assert.deepEqual(m.tolist(), [1.5, 1.5]);
});

test('derivatives through psum: vmap(grad) is sum_i dh_i/dx_j, vmap(jacfwd) sum_i dh_j/dx_i, as JAX; jvp/vjp of the batch against central differences', () => {
  const J = jacJs(X), n = X.length;
  const colSums = X.map((_, j) => J.reduce((a, row) => a + row[j], 0)); // sum_i dh_i/dx_j
  const rowSums = J.map((row) => row.reduce((a, b) => a + b, 0)); // sum_i dh_j/dx_i
  const x = f64(X);
  close(vals(named(grad(hPsum))(x)), colSums, 1e-8, 'vmap(grad)');
  close(vals(jit(named(grad(hPsum)))(x)), colSums, 1e-8, 'jit(vmap(grad))');
  close(vals(named(jacfwd(hPsum))(x)), rowSums, 1e-8, 'vmap(jacfwd)');
  close(vals(grad((v: any) => np.sum(named(hPsum)(v)))(x)), colSums, 1e-8, 'grad of the summed batch');
  const [, vg] = named(valueAndGrad(hPsum))(x) as any;
  close(vals(vg), colSums, 1e-8, 'vmap(valueAndGrad)');
  // jvp of the batched function along a direction, and a vjp with a cotangent
  const dir = [0.5, -1, 2, 0.25], ct = [1, -2, 0.5, 3];
  const [y, ty] = jvp(named(hPsum), [x], [f64(dir)]);
  close(vals(y), hJs(X), 1e-14, 'jvp primal');
  close(vals(ty), J.map((row) => row.reduce((a, v, i) => a + v * dir[i], 0)), 1e-8, 'jvp tangent');
  const [, pb] = vjp(named(hPsum), x);
  close(vals(pb(f64(ct))[0]), X.map((_, i) => J.reduce((a, row, j) => a + row[i] * ct[j], 0)), 1e-8, 'vjp');
  // second order: per example h(x) = psum(x^2)^2, closed forms for B examples (Q = sum x^2):
  // vmap(grad) = 4 B Q x_j; vmap(hessian) = jacfwd of that with every tangent 1 = 4 B (Q + 2 x_j sum_k x_k)
  const q = (v: any) => np.square(lax.psum(np.square(v), 'i'));
  const Q = X.reduce((a, b) => a + b * b, 0), sum = X.reduce((a, b) => a + b, 0);
  close(vals(named(grad(q))(x)), X.map((v) => 4 * n * Q * v), 1e-13, 'vmap(grad) of psum(x^2)^2');
  close(vals(named(hessian(q))(x)), X.map((v) => 4 * n * (Q + 2 * v * sum)), 1e-13, 'vmap(hessian)');
  close(vals(jit(named(hessian(q)))(x)), X.map((v) => 4 * n * (Q + 2 * v * sum)), 1e-13, 'jit(vmap(hessian))');
  close(vals(named(grad(checkpoint(q)))(x)), X.map((v) => 4 * n * Q * v), 1e-13, 'vmap(grad(checkpoint))');
});

test('normalizing across the batch (softmax over examples) and its per-example gradient', () => {
  const x = f64(X), E = X.map(Math.exp), Z = E.reduce((a, b) => a + b, 0);
  const soft = (v: any) => np.divide(np.exp(v), lax.psum(np.exp(v), 'i'));
  close(vals(named(soft)(x)), E.map((e) => e / Z), 1e-15, 'softmax over examples');
  // vmap(grad) of p_j: sum_i dp_i/dx_j = 0 (the probabilities sum to 1)
  close(vals(named(grad(soft))(x)), X.map(() => 0), 1e-15, 'vmap(grad) of the softmax');
  // of log p_j: sum_i d(x_i - log Z)/dx_j = 1 - B p_j
  close(vals(named(grad((v: any) => np.log(soft(v))))(x)), E.map((e) => 1 - 4 * e / Z), 1e-14, 'vmap(grad) of the log-softmax');
});

test('axisIndex: each example\'s index; a list of names counts row-major; nested names and shadowing', () => {
  const x = f64(X);
  assert.deepEqual(named(() => lax.axisIndex('i'))(x).tolist(), [0, 1, 2, 3]);
  assert.equal(named(() => lax.axisIndex('i'))(x).dtype, 'int32');
  const M = f64([[1, 2], [3, 4], [5, 6]]); // outer 'i' over rows (3), inner 'j' over columns (2)
  const nest = (f: any) => vmap(vmap(f, { axisName: 'j' }), { axisName: 'i' })(M);
  assert.deepEqual(nest(() => lax.axisIndex(['i', 'j'])).tolist(), [[0, 1], [2, 3], [4, 5]]);
  assert.deepEqual(nest(() => lax.axisIndex('i')).tolist(), [[0, 0], [1, 1], [2, 2]]);
  assert.deepEqual(nest((v: any) => lax.psum(v, 'j')).tolist(), [[3, 3], [7, 7], [11, 11]]);
  assert.deepEqual(nest((v: any) => lax.psum(v, 'i')).tolist(), [[9, 12], [9, 12], [9, 12]]);
  assert.deepEqual(nest((v: any) => lax.psum(v, ['i', 'j'])).tolist(), [[21, 21], [21, 21], [21, 21]]);
  assert.equal(nest((v: any) => { assert.equal(lax.axisSize(['i', 'j']), 6); return v; }).shape.length, 2);
  // an inner vmap named 'i' too: the inner one is meant (JAX: the inner name shadows)
  assert.deepEqual(vmap(vmap((v: any) => lax.psum(v, 'i'), { axisName: 'i' }), { axisName: 'i' })(M).tolist(), [[3, 3], [7, 7], [11, 11]]);
  // an unnamed inner vmap: psum over the outer name sums down the columns
  assert.deepEqual(vmap(vmap((v: any) => lax.psum(v, 'i')), { axisName: 'i' })(M).tolist(), [[9, 12], [9, 12], [9, 12]]);
  // a symbol and a number are names too
  const s = Symbol('batch');
  assert.deepEqual(vmap((v: any) => lax.psum(v, s), { axisName: s as never })(f64([1, 2])).tolist(), [3, 3]);
  assert.deepEqual(vmap((v: any) => lax.psum(v, 0), { axisName: 0 })(f64([1, 2])).tolist(), [3, 3]);
});

test('jit: psum inside scan, foriLoop, whileLoop, cond and checkpoint bodies under vmap gives eager\'s numbers (the bodies are batched again by their rows\' rules)', () => {
  const x = f64([1, 2, 3]);
  const step = (c: any) => np.add(c, lax.psum(c, 'i'));
  const cases: [string, (v: any) => any, number[]][] = [
    // c1 = x + 6, c2 = c1 + sum(c1) = x + 6 + 24
    ['scan', (v) => lax.scan((c: any, _: any) => [step(c), c], v, null, { length: 2 })[0], [31, 32, 33]],
    ['foriLoop', (v) => lax.foriLoop(0, 2, (_: any, c: any) => step(c), v), [31, 32, 33]],
    // every example steps while any continues; the psum counts the finished ones too (JAX's batched while)
    ['whileLoop', (v) => lax.whileLoop((c: any) => np.less(c, 20), step, v), [31, 32, 33]],
    ['whileLoop, uneven', (v) => lax.whileLoop((c: any) => np.less(c, 8), (c: any) => np.add(c, lax.psum(np.ones([], 'float64'), 'i')), v), [10, 8, 9]],
    // a batched predicate runs both branches and selects
    ['cond', (v) => lax.cond(np.greater(v, 1.5), () => lax.psum(v, 'i'), () => v), [1, 6, 6]],
    ['nested scan', (v) => lax.scan((c: any, _: any) => [lax.scan((d: any, __: any) => [step(d), null], c, null, { length: 1 })[0], null], v, null, { length: 2 })[0], [31, 32, 33]],
  ];
  for (const [name, f, want] of cases) {
    assert.deepEqual(named(f)(x).tolist(), want, `eager ${name}`);
    assert.deepEqual(jit(named(f))(x).tolist(), want, `jit ${name}`);
    assert.deepEqual(named(jit(f))(x).tolist(), want, `vmap(jit) ${name}`);
  }
  // gradients: c2_i = x_i + 5 S, so sum_i dc2_i/dx_j = 1 + 15
  const g = named(grad((v: any) => lax.scan((c: any, _: any) => [step(c), null], v, null, { length: 2 })[0]));
  assert.deepEqual(g(x).tolist(), [16, 16, 16]);
  assert.deepEqual(jit(g)(x).tolist(), [16, 16, 16]);
  const q = (v: any) => np.square(lax.psum(np.square(v), 'i')); // (Q = 14, B = 3: 4 B Q x)
  assert.deepEqual(jit(named(grad(checkpoint(q))))(x).tolist(), [168, 336, 504]);
  // psum over the outer name from inside an unnamed inner vmap, in a jitted scan
  const M = f64([[1, 2], [3, 4], [5, 6]]);
  const inner = (v: any) => lax.scan((c: any, _: any) => [np.add(c, lax.psum(c, 'i')), null], v, null, { length: 1 })[0];
  assert.deepEqual(jit(vmap(vmap(inner), { axisName: 'i' }))(M).tolist(), [[10, 14], [12, 16], [14, 18]]);
  // eagerly, a batched predicate with a psum in the body runs as jit's while row does: reverse mode through it
  // is refused, as JAX refuses it for any while_loop (never the numbers stopGradient on finished examples gave)
  const lim = f64([2, 8, 20]);
  const hw = (v: any, t: any) => lax.whileLoop((c: any) => np.less(c, t), step, v);
  assert.throws(() => named(grad(hw))(x, lim), (e: any) => e instanceof NotImplementedError && /reverse-mode differentiation .* named vmap whose predicate differs per example/.test(e.message));
  // its values: every example steps while any continues (the psum counts the finished ones), each keeps its own when done:
  // [1,2,3] -> [7,8,9] (1 and 2 done: 7 >= 2, 8 >= 8) -> example 2 only: 9 + 24 = 33
  assert.deepEqual(named(hw)(x, lim).tolist(), [7, 8, 33]);
  // a jitted function reused across calls: the cache serves it, the numbers follow the inputs
  const jf = jit(named((v: any) => lax.psum(v, 'i')));
  jf(x);
  assert.deepEqual(jf(f64([4, 5, 6])).tolist(), [15, 15, 15]);
});

test('errors: an unbound name, psum outside any named vmap, and a bad axisName are ValueErrors naming them', () => {
  const x = f64([1, 2]);
  assert.throws(() => named((v: any) => lax.psum(v, 'k'))(x), (e: any) => e instanceof ValueError && /^lax\.psum: unbound axis name 'k'.*the running vmaps name 'i'/.test(e.message));
  assert.throws(() => lax.psum(x, 'i'), (e: any) => e instanceof ValueError && /unbound axis name 'i'.*no vmap with an axisName is running/.test(e.message));
  assert.throws(() => named(() => lax.axisIndex('k'))(x), (e: any) => e instanceof ValueError && /^lax\.axisIndex: unbound axis name 'k'/.test(e.message));
  assert.throws(() => lax.pmean(x, []), (e: any) => e instanceof ValueError && /no axis name given/.test(e.message));
  assert.throws(() => named((v: any) => (lax as any).psum(v))(x), (e: any) => e instanceof ValueError && /^lax\.psum: no axis name given/.test(e.message));
  for (const bad of [null, ['i'], NaN]) {
    assert.throws(() => vmap((v: any) => v, { axisName: bad as never })(x), (e: any) => e instanceof ValueError && /^vmap: axisName must be a string, a number or a symbol/.test(e.message));
  }
  // after a vmap that threw, the name is gone
  assert.throws(() => named(() => { throw new Error('boom'); })(x), /boom/);
  assert.throws(() => lax.psum(x, 'i'), ValueError);
  assert.throws(() => (lax as any).pmax(x, 'i'), NotImplementedError);
  // and the next ordinary call is right
  assert.deepEqual(named((v: any) => lax.psum(v, 'i'))(x).tolist(), [3, 3]);
});
