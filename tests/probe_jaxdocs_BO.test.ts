// JAX's own documentation ported as a JAX user would (helper BO): the worked examples of
// "Custom derivative rules", "Advanced automatic differentiation", "Automatic vectorization",
// "Pseudorandom numbers", "Stateful computations", the jax.grad/jvp/vjp/linearize/jacfwd/
// jacrev/hessian/jit docstrings, lax and jnp docstrings, and the FAQ's NaN-gradient traps.
// References: the numbers the docs print (each commented), checked again with closed forms,
// numpy 2.4 (float64 finite differences pasted as literals) or float64 finite differences in
// plain JS. Nothing here is computed by cotangent as its own reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  np, lax, linalg, random, tree, grad, valueAndGrad, jvp, vjp, linearize, jacfwd, jacrev, hessian,
  vmap, jit, customJvp, customVjp, stopGradient, checkpoint, CotangentError, ValueError,
} from '../ts/index.ts';

type AnyFn = (...a: any[]) => any;
const num = (x: any): number => Number(x);
const list = (x: any): any => (x?.shape !== undefined ? x.tolist() : x);
function close(got: any, want: any, rtol = 1e-6, atol = 0, what = ''): void {
  const g = (Array.isArray(got) ? got : [got]).flat(Infinity) as number[];
  const w = (Array.isArray(want) ? want : [want]).flat(Infinity) as number[];
  assert.equal(g.length, w.length, `${what}: length ${g.length} vs ${w.length}`);
  for (let i = 0; i < w.length; i++) {
    if (Number.isNaN(w[i])) { assert.ok(Number.isNaN(g[i]), `${what}[${i}]: got ${g[i]}, want NaN`); continue; }
    const err = Math.abs(g[i] - w[i]);
    assert.ok(err <= atol + rtol * Math.abs(w[i]), `${what}[${i}]: got ${g[i]}, want ${w[i]} (err ${err})`);
  }
}
const f32 = (v: number) => Math.fround(v);

// ---------------------------------------------------------------- Custom derivative rules
test('custom_jvp tutorial: log1pexp (NaN at 100 without the rule, 1 with it; jit, vmap)', () => {
  const naive = (x: any) => np.log(np.add(1, np.exp(x)));
  assert.ok(Number.isNaN(num(grad(naive)(100.))), 'docs: grad(log1pexp)(100.) is nan');
  const log1pexp: any = customJvp((x: any) => np.log(np.add(1, np.exp(x))));
  log1pexp.defjvp(([x]: any, [xd]: any) => [log1pexp(x), np.multiply(np.subtract(1, np.divide(1, np.add(1, np.exp(x)))), xd)]);
  assert.equal(num(grad(log1pexp)(100.)), 1); // docs: 1.0
  assert.equal(num(jit(grad(log1pexp))(3.)), f32(0.95257413)); // docs: 0.95257413
  // docs: vmap(jit(grad(log1pexp)))(jnp.arange(3.)) -> [0.5, 0.7310586, 0.8807971]
  close(list(vmap(jit(grad(log1pexp)))(np.arange(3, { dtype: 'float32' }))), [0.5, 0.7310586, 0.8807971], 1e-7);
});

test('custom_jvp tutorial: f(x) = x / (1 + sqrt(x)) enforced derivative at 0', () => {
  const f = (x: any) => np.divide(x, np.add(1, np.sqrt(x)));
  assert.ok(Number.isNaN(num(grad(f)(0.))), 'docs: grad(f)(0.) is nan');
  const fc: any = customJvp(f);
  fc.defjvp(([x]: any, [xd]: any) => {
    const s = np.sqrt(x);
    return [fc(x), np.multiply(np.divide(np.add(s, 2), np.multiply(2, np.square(np.add(s, 1)))), xd)];
  });
  assert.equal(num(grad(fc)(0.)), 1); // docs: 1.0
  // closed form at x = 4: (2 + 2) / (2 * 9) = 2/9
  close(num(grad(fc)(4.)), 2 / 9, 1e-6);
});

test('custom_vjp tutorial: clip_gradient, both forms (plain and nondiff_argnums), against clip(cos t)', () => {
  const t = np.linspace(0, 10, 7);
  const want = list(t).map((v: number) => Math.min(0.75, Math.max(-0.75, Math.cos(v))));
  const cg: any = customVjp((lo: any, hi: any, x: any) => x);
  cg.defvjp((lo: any, hi: any, x: any) => [x, [lo, hi]], ([lo, hi]: any, g: any) => [null, null, np.clip(g, lo, hi)]);
  close(list(vmap(grad((x: any) => np.sin(cg(-0.75, 0.75, x))))(t)), want, 1e-6, 1e-7, 'plain');
  const cg2: any = customVjp((lo: any, hi: any, x: any) => x, { nondiffArgnums: [0, 1] });
  cg2.defvjp((lo: any, hi: any, x: any) => [x, null], (lo: any, hi: any, _r: any, g: any) => [np.clip(g, lo, hi)]);
  close(list(vmap(grad((x: any) => np.sin(cg2(-0.75, 0.75, x))))(t)), want, 1e-6, 1e-7, 'nondiff');
});

test('custom_vjp tutorial: fixed_point with nondiff_argnums, Newton sqrt (1.4142135, 0.35355338, -0.088388346)', () => {
  const fixedPoint: any = customVjp((f: AnyFn, a: any, xGuess: any) => {
    const [, xStar] = lax.whileLoop(([xp, x]: any) => np.greater(np.abs(np.subtract(xp, x)), 1e-6), ([, x]: any) => [x, f(a, x)], [xGuess, f(a, xGuess)]);
    return xStar;
  }, { nondiffArgnums: [0] });
  const revIter = (f: AnyFn) => ([a, xStar, xStarBar]: any, u: any) => {
    const [, vjpX] = vjp((x: any) => f(a, x), xStar);
    return np.add(xStarBar, vjpX(u)[0]);
  };
  fixedPoint.defvjp(
    (f: AnyFn, a: any, x0: any) => { const xs = fixedPoint(f, a, x0); return [xs, [a, xs]]; },
    (f: AnyFn, [a, xStar]: any, xStarBar: any) => {
      const [, vjpA] = vjp((a: any) => f(a, xStar), a);
      return [vjpA(fixedPoint(revIter(f), [a, xStar, xStarBar], xStarBar))[0], np.zerosLike(xStar)];
    });
  const newtonSqrt = (a: any) => fixedPoint((a: any, x: any) => np.multiply(0.5, np.add(x, np.divide(a, x))), a, a);
  assert.equal(num(newtonSqrt(2.)), f32(1.4142135)); // docs
  assert.equal(num(grad(newtonSqrt)(2.)), f32(0.35355338)); // docs; 1/(2 sqrt 2) = 0.353553390...
  close(num(grad(grad(newtonSqrt))(2.)), -0.088388346, 2e-7); // docs; -1/(4 * 2^1.5) = -0.0883883476
  assert.equal(num(jit(grad(newtonSqrt))(2.)), f32(0.35355338));
  close(list(vmap(grad(newtonSqrt))(np.array([1., 4.]))), [0.5, 0.25], 1e-6);
});

test('custom_jvp/custom_vjp tutorial: nondiff_argnums app examples (jvp (2., 2.), grad 5.)', () => {
  const app: any = customJvp((f: AnyFn, x: any) => f(x), { nondiffArgnums: [0] });
  app.defjvp((f: AnyFn, [x]: any, [xd]: any) => [f(x), np.multiply(2., xd)]);
  assert.deepEqual(jvp((x: any) => app((y: any) => np.multiply(2, y), x), [1.], [1.]).map(num), [2, 2]); // docs: (2., 2.)
  const app2: any = customJvp((f: AnyFn, x: any, g: AnyFn) => f(g(x)), { nondiffArgnums: [0, 2] });
  app2.defjvp((f: AnyFn, g: AnyFn, [x]: any, [xd]: any) => [f(g(x)), np.multiply(3., xd)]);
  assert.deepEqual(jvp((x: any) => app2((y: any) => np.multiply(2, y), x, (z: any) => np.multiply(3, z)), [1.], [1.]).map(num), [6, 3]); // docs: (6., 3.)
  const appv: any = customVjp((f: AnyFn, x: any) => f(x), { nondiffArgnums: [0] });
  appv.defvjp((f: AnyFn, x: any) => [f(x), x], (_f: AnyFn, _x: any, g: any) => [np.multiply(5, g)]);
  assert.equal(num(appv((x: any) => np.power(x, 2), 4.)), 16); // docs: 16.
  assert.equal(num(grad(appv, { argnums: 1 })((x: any) => np.power(x, 3), 3.)), 5); // docs: 5.
});

test('custom_jvp/custom_vjp tutorial: sin(x) * y gives grad -1.2484405; Python control flow in the rule (1., 2.)', () => {
  const f: any = customJvp((x: any, y: any) => np.multiply(np.sin(x), y));
  f.defjvp(([x, y]: any, [xd, yd]: any) => [f(x, y), np.add(np.multiply(np.multiply(np.cos(x), xd), y), np.multiply(np.sin(x), yd))]);
  assert.equal(num(grad(f)(2., 3.)), f32(-1.2484405)); // docs
  const fv: any = customVjp((x: any, y: any) => np.multiply(np.sin(x), y));
  fv.defvjp((x: any, y: any) => [fv(x, y), [np.cos(x), np.sin(x), y]], ([c, s, y]: any, g: any) => [np.multiply(np.multiply(c, g), y), np.multiply(s, g)]);
  assert.equal(num(grad(fv)(2., 3.)), f32(-1.2484405)); // docs
  const fs: any = customJvp((x: any) => np.sin(x));
  fs.defjvp(([x]: any, [t]: any) => [fs(x), np.multiply(np.cos(x), t)]);
  assert.deepEqual([fs(3.), grad(fs)(3.), grad(grad(fs))(3.)].map(num), [f32(0.14112), f32(-0.9899925), f32(-0.14112)]); // docs
  const fc: any = customJvp((x: any) => x);
  fc.defjvp(([x]: any, [xd]: any) => (Number(x) >= 0 ? [fc(x), xd] : [fc(x), np.multiply(2, xd)]));
  assert.deepEqual([grad(fc)(1.), grad(fc)(-1.)].map(num), [1, 2]); // docs: 1.0, 2.0
});

test('custom_jvp tutorial: defjvps (sin(x) * y: 2.7278922 and grad -1.2484405; a null entry; a pytree output)', () => {
  // fixed here: f.defjvps was a JS TypeError 'f.defjvps is not a function'
  const f: any = customJvp((x: any, y: any) => np.multiply(np.sin(x), y));
  f.defjvps((xd: any, _o: any, x: any, y: any) => np.multiply(np.multiply(np.cos(x), xd), y), (yd: any, _o: any, x: any) => np.multiply(np.sin(x), yd));
  assert.equal(num(f(2., 3.)), f32(2.7278922)); // docs
  assert.equal(num(grad(f)(2., 3.)), f32(-1.2484405)); // docs
  close(grad(f, { argnums: [0, 1] })(2., 3.).map(num), [3 * Math.cos(2), Math.sin(2)], 1e-6);
  close(jvp(f, [2., 3.], [1., 1.]).map(num), [3 * Math.sin(2), 3 * Math.cos(2) + Math.sin(2)], 1e-6);
  close(num(jit(grad(f))(2., 3.)), 3 * Math.cos(2), 1e-6);
  close(num(hessian((x: any) => f(x, 3.))(2.)), -3 * Math.sin(2), 1e-6);
  const s: any = customJvp((x: any) => np.sin(x));
  s.defjvps((t: any, _ans: any, x: any) => np.multiply(np.cos(x), t));
  assert.deepEqual([grad(s)(3.), grad(grad(s))(3.)].map(num), [f32(-0.9899925), f32(-0.14112)]);
  const h: any = customJvp((x: any, y: any) => np.multiply(x, y));
  h.defjvps(null, (yd: any, _o: any, x: any) => np.multiply(x, yd));
  assert.deepEqual(grad(h, { argnums: [0, 1] })(2., 3.).map(num), [0, 2]);
  const k: any = customJvp((x: any) => ({ a: np.sin(x), b: np.cos(x) }));
  k.defjvps((t: any, _o: any, x: any) => ({ a: np.multiply(np.cos(x), t), b: np.multiply(np.negative(np.sin(x)), t) }));
  close(num(grad((x: any) => { const o = k(x); return np.add(o.a, o.b); })(1.)), Math.cos(1) - Math.sin(1), 1e-6);
  assert.throws(() => customJvp((g: AnyFn, x: any) => g(x), { nondiffArgnums: [0] }).defjvps(() => 0),
    (e: unknown) => e instanceof ValueError && /defjvps.*nondiffArgnums/.test((e as Error).message));
});

test('custom_jvp/custom_vjp tutorial: pytree (Point) inputs and outputs: grad (2.5403023, 0.)', () => {
  const fp: any = customJvp((pt: any) => ({ a: np.square(pt.x), b: [np.sin(pt.x), np.cos(pt.y)] }));
  fp.defjvp(([pt]: any, [pd]: any) => [fp(pt), {
    a: np.multiply(np.multiply(2, pt.x), pd.x),
    b: [np.multiply(np.cos(pt.x), pd.x), np.multiply(np.negative(np.sin(pt.y)), pd.y)],
  }]);
  const r = fp({ x: 1., y: 2. });
  assert.deepEqual([r.a, r.b[0], r.b[1]].map(num), [1, f32(0.84147096), f32(-0.41614684)]); // docs
  const g = grad((pt: any) => { const d = fp(pt); return np.add(d.a, d.b[0]); })({ x: 1., y: 2. });
  assert.deepEqual([num(g.x), num(g.y)], [f32(2.5403023), 0]); // docs: Point(x=2.5403023, y=0.0)
  const fv: any = customVjp((pt: any) => ({ a: np.square(pt.x), b: [np.sin(pt.x), np.cos(pt.y)] }));
  fv.defvjp((pt: any) => [fv(pt), pt], (pt: any, ct: any) => [{
    x: np.add(np.multiply(np.multiply(2, pt.x), ct.a), np.multiply(np.cos(pt.x), ct.b[0])),
    y: np.multiply(np.negative(np.sin(pt.y)), ct.b[1]),
  }]);
  const gv = grad((pt: any) => { const d = fv(pt); return np.add(d.a, d.b[0]); })({ x: 1., y: 2. });
  assert.deepEqual([num(gv.x), Math.abs(num(gv.y))], [f32(2.5403023), 0]);
});

// ---------------------------------------------------------------- transform docstrings
test('docstrings: grad(tanh)(0.2), jvp(sin), vjp, linearize, jacfwd/jacrev, hessian print JAX\'s numbers', () => {
  assert.equal(num(grad(np.tanh)(0.2)), f32(0.961043)); // jax.grad docstring
  assert.deepEqual(jvp(np.sin, [0.1], [0.2]).map(num), [f32(0.09983342), f32(0.19900084)]); // jax.jvp docstring
  const [, fvjp] = vjp((x: any, y: any) => [np.sin(x), np.cos(y)], 0.5, 1.0);
  assert.deepEqual(fvjp([-0.7, 0.3]).map(num), [f32(-0.61430776), f32(-0.2524413)]); // jax.vjp docstring
  const fl = (x: any) => np.add(np.multiply(3., np.sin(x)), np.cos(np.divide(x, 2.)));
  assert.deepEqual(jvp(fl, [2.], [3.]).map(num), [f32(3.2681944), f32(-5.007528)]); // jax.linearize docstring
  const [y, fj] = linearize(fl, 2.);
  assert.deepEqual([y, fj(3.), fj(4.)].map(num), [f32(3.2681944), f32(-5.007528), f32(-6.676704)]);
  const f = (x: any) => np.asarray([np.take(x, 0), np.multiply(5, np.take(x, 2)),
    np.subtract(np.multiply(4, np.power(np.take(x, 1), 2)), np.multiply(2, np.take(x, 2))), np.multiply(np.take(x, 2), np.sin(np.take(x, 0)))]);
  const J = [[1, 0, 0], [0, 0, 5], [0, 16, -2], [3 * Math.cos(1), 0, Math.sin(1)]]; // jacfwd docstring: 1.6209, 0.84147
  close(list(jacfwd(f)(np.array([1., 2., 3.]))), J, 1e-6, 0, 'jacfwd');
  close(list(jacrev(f)(np.array([1., 2., 3.]))), J, 1e-6, 0, 'jacrev');
  const g = (x: any) => { const [a, b] = x; return np.subtract(np.subtract(np.power(a, 3), np.multiply(np.multiply(2, a), b)), np.power(b, 6)); };
  assert.deepEqual(list(hessian(g)(np.array([1., 2.]))), [[6, -2], [-2, -480]]); // jax.hessian docstring
  // the automatic-differentiation tutorial: tanh's first three derivatives at 2
  // (docs: 0.070650816, -0.13621868, 0.25265405; the second is 1 float32 ulp from -2 y (1 - y^2) in float32,
  // -0.13621867, and mpmath's -0.1362186874...: within 2 ulp)
  close([grad(np.tanh)(2.0), grad(grad(np.tanh))(2.0), grad(grad(grad(np.tanh)))(2.0)].map(num),
    [0.070650816, -0.13621868742711304, 0.25265405], 2.5e-7);
  const p = (x: any) => np.add(np.subtract(np.add(np.power(x, 3), np.multiply(2, np.power(x, 2))), np.multiply(3, x)), 1);
  assert.deepEqual([grad(p)(1.), grad(grad(p))(1.), grad(grad(grad(p)))(1.), grad(grad(grad(grad(p))))(1.)].map(num), [4, 10, 6, 0]);
});

test('jax.vmap docstring: dict in_axes, out_axes with None (8.0 unbatched) and 0 ([8., 8.])', () => {
  const foo = (d: any, x: any) => np.add(np.add(d.a, d.b), x);
  assert.deepEqual(list(vmap(foo, { inAxes: [{ a: null, b: 0 }, null] })({ a: 0., b: np.arange(5, { dtype: 'float32' }) }, 1.)), [1, 2, 3, 4, 5]);
  const h = (x: any, y: any) => [np.add(x, y), np.multiply(y, 2.)];
  const [a, b] = vmap(h, { inAxes: [0, null], outAxes: [0, null] })(np.array([0., 1.]), 4.);
  assert.deepEqual([list(a), list(b)], [[4, 5], 8]);
  const [c, d] = vmap(h, { inAxes: [0, null], outAxes: 0 })(np.array([0., 1.]), 4.);
  assert.deepEqual([list(c), list(d)], [[4, 5], [8, 8]]);
});

test('jax.jit docstring: selu of random.normal(key(0), (10,)) prints [-0.54485 0.27744 ...]', () => {
  const prev = random.threefryPartitionable();
  random.setThreefryPartitionable(false);
  try {
    const selu = jit((x: any) => np.multiply(1.05, np.where(np.greater(x, 0), x, np.subtract(np.multiply(1.67, np.exp(x)), 1.67))));
    close(list(selu(random.normal(random.key(0), [10]))),
      [-0.54485, 0.27744, -0.29255, -0.91421, -0.62452, -0.24748, -0.85743, -0.78232, 0.76827, 0.59566], 0, 1e-5);
    // static_argnames docstring: g(jnp.arange(4), 3) -> [0, 1, 256, 6561]
    const g = jit((x: any, n: number) => { for (let i = 0; i < n; i++) x = np.power(x, 2); return x; }, { staticArgnums: [1] });
    assert.deepEqual(list(g(np.arange(4), 3)), [0, 1, 256, 6561]);
  } finally { random.setThreefryPartitionable(prev); }
});

// ---------------------------------------------------------------- random
test('random docs: printed threefry draws under both jax_threefry_partitionable settings', () => {
  const prev = random.threefryPartitionable();
  try {
    random.setThreefryPartitionable(false);
    // jax.random module docs (JAX < 0.5): uniform(key(0)) 0.41845703, after split 0.10536897
    assert.equal(num(random.uniform(random.key(0))), f32(0.41845703));
    assert.equal(num(random.uniform(random.split(random.key(0)).get(1))), f32(0.10536897));
    assert.deepEqual(list(random.split(random.PRNGKey(0))), [[4146024105, 967050713], [2718843009, 1272950319]]);
    assert.equal(num(random.normal(random.key(42))), f32(-0.18471177)); // random-numbers tutorial
    // Deep Learning with Python 3rd ed. 3.5.3: normal(key(123), (3,)) and of split(key, num=1)[0]
    assert.deepEqual(list(random.normal(random.key(123), [3])), [-0.1470326, 0.5524756, 1.648498].map(f32));
    assert.deepEqual(list(random.normal(random.split(random.key(123), 1).get(0), [3])), [0.5362355, -1.1920372, 2.450225].map(f32));
    random.setThreefryPartitionable(true);
    // jax.random module docs (JAX >= 0.5): 0.947667, after split Array(0.00729382) (8 decimals of 0.0072938204)
    assert.equal(num(random.uniform(random.key(0))), f32(0.947667));
    close(num(random.uniform(random.split(random.key(0)).get(1))), 0.00729382, 0, 5e-9);
  } finally { random.setThreefryPartitionable(prev); }
});

// ---------------------------------------------------------------- vectorization, advanced autodiff
test('Automatic vectorization tutorial: convolve, vmap with in_axes/out_axes, jit(vmap), jnp.convolve', () => {
  const x = np.arange(5);
  const w = np.array([2., 3., 4.]);
  const convolve = (x: any, w: any) => {
    const out = [];
    for (let i = 1; i < x.shape[0] - 1; i++) out.push(np.dot(x.get(`${i - 1}:${i + 2}`), w));
    return np.array(out);
  };
  assert.deepEqual(list(convolve(x, w)), [11, 20, 29]);
  const xs = np.stack([x, x]); const ws = np.stack([w, w]);
  assert.deepEqual(list(vmap(convolve)(xs, ws)), [[11, 20, 29], [11, 20, 29]]);
  assert.deepEqual(list(vmap(convolve, { inAxes: 1, outAxes: 1 })(np.transpose(xs), np.transpose(ws))), [[11, 11], [20, 20], [29, 29]]);
  assert.deepEqual(list(vmap(convolve, { inAxes: [0, null] })(xs, w)), [[11, 20, 29], [11, 20, 29]]);
  assert.deepEqual(list(jit(vmap(convolve))(xs, ws)), [[11, 20, 29], [11, 20, 29]]);
  // Thinking in JAX: jnp.convolve(jnp.array([1, 2, 1]), jnp.ones(10))
  assert.deepEqual(list(np.convolve(np.array([1, 2, 1]), np.ones(10))), [1, 3, 4, 4, 4, 4, 4, 4, 4, 4, 3, 1]);
});

test('Advanced autodiff: TD(0) stop_gradient [1.2, 2.4, -1.2], per-example grads, straight-through, hvp', () => {
  const valueFn = (theta: any, s: any) => np.dot(theta, s);
  const tdLoss = (theta: any, sTm1: any, rT: any, sT: any) => {
    const v = valueFn(theta, sTm1);
    const target = np.add(rT, valueFn(theta, sT));
    return np.multiply(-0.5, np.square(np.subtract(stopGradient(target), v)));
  };
  const theta = np.array([0.1, -0.1, 0.]); const sTm1 = np.array([1., 2., -1.]); const rT = np.array(1.); const sT = np.array([2., 1., 0.]);
  const want = [1.2, 2.4, -1.2].map(f32);
  assert.deepEqual(list(grad(tdLoss)(theta, sTm1, rT, sT)), want); // docs: [ 1.2,  2.4, -1.2]
  assert.deepEqual(list(jit(vmap(grad(tdLoss), { inAxes: [null, 0, 0, 0] }))(theta, np.stack([sTm1, sTm1]), np.stack([rT, rT]), np.stack([sT, sT]))), [want, want]);
  const ste = (x: any) => np.add(np.subtract(x, stopGradient(x)), stopGradient(np.round(x)));
  assert.deepEqual([grad(np.round)(3.2), grad(ste)(3.2)].map(num), [0, 1]); // docs: 0.0, 1.0
  const fh = (x: any) => np.sum(np.power(x, 3));
  const xx = np.array([1., 2.]); const v = np.array([1., 1.]);
  assert.deepEqual(list(grad((x: any) => np.vdot(grad(fh)(x), v))(xx)), [6, 12]);
  assert.deepEqual(list(jvp(grad(fh), [xx], [v])[1]), [6, 12]);
  const [, vf] = vjp(np.sin, np.array([0., 1.]));
  close(list(vmap(vf)(np.eye(2))[0]), [[1, 0], [0, Math.cos(1)]], 1e-6);
});

test('Advanced autodiff, complex: grad of |z|^2 is 6-8j; holomorphic sin; the cookbook\'s holomorphic cholesky gradient', () => {
  const z = grad((z: any) => np.add(np.square(np.real(z)), np.square(np.imag(z))))({ re: 3, im: 4 }).item() as any;
  assert.deepEqual([z.re, z.im], [6, -8]);
  const c = grad(np.sin, { holomorphic: true })({ re: 2, im: 3 }).item() as any; // cos(2+3j)
  close([c.re, c.im], [Math.cos(2) * Math.cosh(3), -Math.sin(2) * Math.sinh(3)], 1e-6);
  // cookbook prints (complex64) [[-0.7534186+0j, -3.0509028-10.940545j, 5.9896846+3.5423026j], ...];
  // reference: numpy float64, JAX's convention A + conj(B) (A = df/dz, B = df/dzbar) by central
  // differences (h = 1e-5) of sum((L - sin L)^2), L = cholesky((X + X^H) / 2)
  const ref = [[[-0.7534174982, 0], [-3.0509045175, -10.9405445077], [5.9896852282, 3.5423037487]],
    [[-3.0509045175, 10.9405445077], [-8.9044918768, 0], [-5.1351510227, -6.5593746986]],
    [[5.9896852282, -3.5423037487], [-5.1351510227, 6.5593746986], [0.0132042741, 0]]];
  const data = [[[5, 0], [2, 3], [0, 5]], [[2, -3], [7, 0], [1, 7]], [[0, -5], [1, -7], [12, 0]]].map((r) => r.map(([re, im]) => ({ re, im })));
  const f = (X: any) => { const L = linalg.cholesky(X); return np.sum(np.square(np.subtract(L, np.sin(L)))); };
  for (const [dtype, rtol, atol] of [['complex128', 1e-8, 1e-9], ['complex64', 2e-6, 1e-6]] as const) {
    const g = grad(f, { holomorphic: true })(np.array(data, { dtype })).tolist() as any[][];
    close(g.map((r) => r.map((v: any) => [v.re, v.im])), ref, rtol, atol, dtype);
  }
});

test('Stateful computations tutorial: jitted linear regression with tree.map updates matches plain-JS float64 GD', () => {
  const loss = (p: any, x: any, y: any) => np.mean(np.square(np.subtract(np.add(np.multiply(p.weight, x), p.bias), y)));
  const update = jit((p: any, x: any, y: any) => {
    const g = grad(loss)(p, x, y);
    return tree.map((pp: any, gg: any) => np.subtract(pp, np.multiply(gg, 0.005)), p, g);
  });
  const rng = random.key(42);
  const [xRng, noiseRng] = random.split(rng);
  const xs = random.normal(xRng, [128, 1]);
  const ys = np.add(np.add(np.multiply(xs, 2), -1), np.multiply(random.normal(noiseRng, [128, 1]), 0.5));
  const [wk, bk] = random.split(rng);
  let params: any = { weight: random.normal(wk, []), bias: random.normal(bk, []) };
  const X = (xs.tolist() as number[][]).map((r) => r[0]); const Y = (ys.tolist() as number[][]).map((r) => r[0]);
  let w = num(params.weight), b = num(params.bias);
  for (let i = 0; i < 1000; i++) {
    let gw = 0, gb = 0;
    for (let k = 0; k < X.length; k++) { const r = w * X[k] + b - Y[k]; gw += 2 * r * X[k] / X.length; gb += 2 * r / X.length; }
    w -= 0.005 * gw; b -= 0.005 * gb;
    params = update(params, xs, ys);
  }
  close([num(params.weight), num(params.bias)], [w, b], 2e-5, 0);
  close([w, b], [2, -1], 0, 0.1); // the tutorial's true_w, true_b
});

// ---------------------------------------------------------------- lax docstrings and control flow
test('lax docstrings: associative_scan, dynamic_slice/update_slice (clamped), pad (negative, interior), switch clamps', () => {
  assert.deepEqual(list(lax.associativeScan(np.add, np.arange(0, 4))), [0, 1, 3, 6]);
  assert.deepEqual(list(lax.associativeScan(np.add, np.arange(0, 4), { reverse: true })), [6, 6, 5, 3]);
  const [pa, pb] = lax.associativeScan(([a1, b1]: any, [a2, b2]: any) => [np.multiply(a1, a2), np.add(np.multiply(a2, b1), b2)],
    [np.array([1., 2., 3., 4.]), np.array([1., 1., 1., 1.])]);
  assert.deepEqual([list(pa), list(pb)], [[1, 2, 6, 24], [1, 3, 10, 41]]); // h_t = a_t h_{t-1} + b_t
  const x = np.array([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]], { dtype: 'int32' });
  assert.deepEqual(list(lax.dynamicSlice(x, [1, 1], [2, 3])), [[6, 7, 8], [10, 11, 12]]);
  assert.deepEqual(list(lax.dynamicSlice(x, [1, 3], [2, 2])), [[7, 8], [11, 12]]);
  assert.deepEqual(list(lax.dynamicUpdateSlice(np.zeros([6]), np.ones([3]), [2])), [0, 0, 1, 1, 1, 0]);
  assert.deepEqual(list(lax.dynamicUpdateSlice(np.zeros([6]), np.ones([3]), [4])), [0, 0, 0, 1, 1, 1]);
  assert.deepEqual(list(lax.pad(np.array([1, 2, 3, 4], { dtype: 'int32' }), 0, [[1, 2, 1]])), [0, 1, 0, 2, 0, 3, 0, 4, 0, 0]);
  assert.deepEqual(list(lax.pad(np.array([1, 2, 3, 4], { dtype: 'int32' }), 0, [[-1, 2, 1]])), [0, 2, 0, 3, 0, 4, 0, 0]);
  assert.deepEqual(list(grad((v: any) => np.sum(np.multiply(lax.pad(v, 0., [[-1, 2, 1]]), np.arange(8, { dtype: 'float32' }))))(np.array([1., 2., 3., 4.]))), [0, 1, 3, 5]);
  const branches = [(v: any) => np.add(v, 1), (v: any) => np.multiply(v, 10)];
  assert.deepEqual([lax.switch(-1, branches, 3.), lax.switch(5, branches, 3.), jit((i: any) => lax.switch(i, branches, 3.))(np.array(7, { dtype: 'int32' }))].map(num), [4, 30, 30]);
  assert.equal(num(lax.foriLoop(0, 10, (i: any, v: any) => np.add(v, i), 0)), 45);
  assert.equal(num(lax.whileLoop((v: any) => np.less(v, 10), (v: any) => np.add(v, 1), 0)), 10);
  assert.deepEqual(list(lax.cond(true, (v: any) => np.add(v, 1), (v: any) => np.subtract(v, 1), np.array([0.]))), [1]);
});

test('lax.scan / fori_loop gradients against float64 finite differences in plain JS', () => {
  const step = (c: any, x: any) => { const h = np.tanh(np.add(np.multiply(c.h, c.w), x)); return [{ h, w: c.w }, np.square(h)]; };
  const loss = (w: any, rev: boolean) => { const [c, ys] = lax.scan(step, { h: np.array(0.5), w }, np.array([0.1, -0.3, 0.7, 0.2]), { reverse: rev }); return np.add(np.sum(ys), c.h); };
  const ref = (w: number, rev: boolean) => {
    let h = 0.5, s = 0;
    const seq = rev ? [0.2, 0.7, -0.3, 0.1] : [0.1, -0.3, 0.7, 0.2];
    for (const x of seq) { h = Math.tanh(h * w + x); s += h * h; }
    return s + h;
  };
  for (const rev of [false, true]) {
    const fd = (ref(0.8 + 1e-6, rev) - ref(0.8 - 1e-6, rev)) / 2e-6;
    close(num(grad((w: any) => loss(w, rev))(0.8)), fd, 2e-6, 0, `scan rev=${rev}`);
    close(num(jit(grad((w: any) => loss(w, rev)))(0.8)), fd, 2e-6, 0, `jit scan rev=${rev}`);
  }
  const fd2 = (ref(0.8 + 1e-4, false) - 2 * ref(0.8, false) + ref(0.8 - 1e-4, false)) / 1e-8;
  close(num(hessian((w: any) => loss(w, false))(0.8)), fd2, 1e-5, 0, 'scan hessian');
  const ff = (x: number) => { let c = 1; for (let i = 0; i < 4; i++) c = Math.sin(c * x); return c; };
  close(num(jit(grad((x: any) => lax.foriLoop(0, 4, (_i: any, c: any) => np.sin(np.multiply(c, x)), 1.)))(0.9)),
    (ff(0.9 + 1e-6) - ff(0.9 - 1e-6)) / 2e-6, 2e-6, 0, 'foriLoop');
  // vmap of while_loop with a batched predicate, and its gradient (x * 2^k, k steps until >= 10)
  const wl = (x: any) => lax.whileLoop((c: any) => np.less(c[0], 10.), (c: any) => [np.multiply(c[0], 2.), np.add(c[1], 1)], [x, 0])[0];
  assert.deepEqual(list(jit(vmap(wl))(np.array([1., 3., 20.]))), [16, 12, 20]);
  assert.deepEqual(list(vmap(grad(wl))(np.array([1., 3., 20.]))), [16, 4, 1]);
});

test('lax.custom_root (sqrt_cubed by binary search) and custom_linear_solve derivatives, float64', () => {
  const binarySearch = (func: AnyFn) => {
    const [lo, hi] = lax.whileLoop(([lo, hi]: any) => np.greater(np.subtract(hi, lo), 1e-13), ([lo, hi]: any) => {
      const mid = np.divide(np.add(lo, hi), 2);
      const neg = np.less(func(mid), 0);
      return [np.where(neg, mid, lo), np.where(neg, hi, mid)];
    }, [np.array(0., { dtype: 'float64' }), np.array(100., { dtype: 'float64' })]);
    return np.divide(np.add(lo, hi), 2);
  };
  const sqrtCubed = (x: any) => lax.customRoot((y: any) => np.subtract(np.power(y, 2), np.power(x, 3)), np.array(0., { dtype: 'float64' }),
    binarySearch, (f: AnyFn, y: any) => np.divide(y, f(1.0)));
  const x = np.array(5., { dtype: 'float64' });
  close(num(sqrtCubed(x)), 5 ** 1.5, 1e-12);
  close(num(grad(sqrtCubed)(x)), 1.5 * Math.sqrt(5), 1e-12);
  close(num(grad(grad(sqrtCubed))(x)), 0.75 / Math.sqrt(5), 1e-10);
  close(list(vmap(grad(sqrtCubed))(np.array([1., 4., 9.], { dtype: 'float64' }))), [1.5, 3, 4.5], 1e-11);
  const A = np.array([[4., 1.], [1., 3.]], { dtype: 'float64' });
  const lin = (t: any, b: any) => lax.customLinearSolve((v: any) => np.matmul(np.multiply(t, A), v), b,
    (_mv: any, bb: any) => linalg.solve(np.multiply(t, A), bb), null as any, { symmetric: true });
  const b = np.array([1., 2.], { dtype: 'float64' }); const two = np.array(2., { dtype: 'float64' });
  // numpy: solve(2A, b) = [1/22, 7/22]; d/dt sum = -sum(x)/t = -2/11; grad_b = solve((2A)^T, 1) = [1/11, 3/22]
  close(list(lin(two, b)), [1 / 22, 7 / 22], 1e-14);
  close(num(grad((t: any) => np.sum(lin(t, b)))(two)), -2 / 11, 1e-14);
  close(list(grad((bb: any) => np.sum(lin(two, bb)))(b)), [1 / 11, 3 / 22], 1e-14);
  close(list(jacfwd((bb: any) => lin(two, bb))(b)), [[3 / 22, -1 / 22], [-1 / 22, 2 / 11]], 1e-14);
});

// ---------------------------------------------------------------- jnp docstrings, FAQ
test('jnp docstrings: cumsum, where, nonzero(size), take_along_axis, einsum forms', () => {
  const x = np.array([[1, 2, 3], [4, 5, 6]], { dtype: 'int32' });
  assert.deepEqual(list(np.cumsum(x)), [1, 3, 6, 10, 15, 21]);
  assert.deepEqual(list(np.cumsum(x, { axis: 1 })), [[1, 3, 6], [4, 9, 15]]);
  const a = np.arange(10);
  assert.deepEqual(list(np.where(np.greater(a, 4), a, 0)), [0, 0, 0, 0, 0, 5, 6, 7, 8, 9]);
  assert.deepEqual(np.where(np.greater(a, 4)).map(list), [[5, 6, 7, 8, 9]]);
  assert.deepEqual(np.nonzero(np.greater(a, 4), { size: 3 }).map(list), [[5, 6, 7]]);
  const xf = np.array([[1., 2., 3.], [4., 5., 6.]]);
  assert.deepEqual(list(np.takeAlongAxis(xf, np.argmin(xf, { axis: 1, keepdims: true }), { axis: 1 })), [[1], [4]]);
  const M = np.reshape(np.arange(16), [4, 4]); const v = np.arange(4); const y = np.array([5, 4, 3, 2], { dtype: 'int32' });
  assert.deepEqual(list(np.einsum('ij,j', M, v)), [14, 38, 62, 86]);
  assert.equal(num(np.einsum('i,i', v, y)), 16);
  assert.equal(num(np.einsum('ii', M)), 30);
  assert.deepEqual(list(np.einsum('ii->i', M)), [0, 5, 10, 15]);
  assert.deepEqual(list(np.einsum('i,j', v, y)), [[0, 0, 0, 0], [5, 4, 3, 2], [10, 8, 6, 4], [15, 12, 9, 6]]);
  assert.deepEqual(list(np.einsum('...j,j', M, v)), [14, 38, 62, 86]);
  assert.equal(num(np.einsum('ij->', M)), 120);
});

test('FAQ: the where-log NaN gradient and the double-where fix; sqrt at 0; norm at 0', () => {
  const myLog = (x: any) => np.where(np.greater(x, 0.), np.log(x), 0.);
  assert.equal(num(myLog(0.)), 0);
  assert.ok(Number.isNaN(num(grad(myLog)(0.))), 'FAQ: grad(my_log)(0.) is nan');
  assert.equal(num(grad((x: any) => np.log(np.where(np.greater(x, 0.), x, 1.)))(0.)), 0); // FAQ: 0.
  assert.equal(num(grad(np.sqrt)(0.)), Infinity);
  assert.ok(list(grad((x: any) => linalg.norm(x))(np.zeros([3]))).every(Number.isNaN), 'JAX: grad(norm)(zeros) is nan');
});

// ---------------------------------------------------------------- what a port reaches for and misses
test('jax.tree.reduce / tree.all (Working with pytrees) exist (were JS TypeErrors "is not a function")', () => {
  assert.equal((tree as any).reduce((p: number, q: number) => p + q, [1, [2, 3]]), 6);
  assert.equal((tree as any).all([true, [1, 2]]), true);
});

test('lax.fori_loop takes JAX\'s unroll option (was a ValueError "takes at most 4 arguments")', () => {
  assert.equal(num((lax.foriLoop as any)(0, 5, (i: any, c: any) => np.add(c, i), 0., { unroll: 2 })), 10);
});

test('porting mistakes meet named errors, not wrong numbers', () => {
  const isNamed = (re: RegExp) => (e: unknown) => e instanceof CotangentError && re.test((e as Error).message);
  // jvp(f, x, t) without the lists (Python's (x,), (t,))
  assert.throws(() => jvp(np.sin as any, np.array([1., 2., 3.]) as any, np.array([1., 1., 1.]) as any), isNamed(/jvp/));
  // bwd returning the cotangent itself instead of a one-element list
  const f1: any = customVjp((x: any) => np.sin(x));
  f1.defvjp((x: any) => [np.sin(x), np.cos(x)], (c: any, g: any) => np.multiply(c, g));
  assert.throws(() => grad((x: any) => np.sum(f1(x)))(np.array([1., 2., 3.])), isNamed(/customVjp.*list/));
  // vjp(f, x, { hasAux: true }) (JAX's has_aux keyword)
  assert.throws(() => (vjp as any)((x: any) => [np.sin(x), x], np.array([1.]), { hasAux: true }), isNamed(/vjpWithAux/));
  // a JAX checkpoint policy spelled as a string
  assert.throws(() => grad((x: any) => np.sum((checkpoint as any)((y: any) => np.sin(y), { policy: 'dots_saveable' })(x)))(np.array([1.])), isNamed(/checkpoint.*policy/));
  // valueAndGrad with argnums and hasAux: [[value, aux], grads]
  const r = valueAndGrad((p: any, q: any) => [np.multiply(p, q), np.add(p, q)], { argnums: [0, 1], hasAux: true })(2., 3.) as any;
  assert.deepEqual([num(r[0][0]), num(r[0][1]), num(r[1][0]), num(r[1][1])], [6, 5, 3, 2]);
});
