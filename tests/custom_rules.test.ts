// customJvp and customVjp (JAX's custom_jvp / custom_vjp): the rule is what every transform uses,
// at every order, under vmap and jit; bad rules are clear errors. References are closed forms or
// float64 finite differences of functions with no custom rule.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  np, lax, grad, jvp, vjp, linearize, jacfwd, jacrev, hessian, vmap, jit, checkGrads, customJvp, customVjp, checkpoint,
  NDArray, ShapeError, DTypeError, ValueError, NotImplementedError,
} from 'cotangent';

type A = NDArray;
const close = (got: number | number[] | number[][], want: number | number[] | number[][], tol = 1e-9) => {
  const g = [got].flat(2) as number[], w = [want].flat(2) as number[];
  assert.equal(g.length, w.length, `length ${g.length} vs ${w.length}`);
  g.forEach((v, i) => assert.ok(Math.abs(v - w[i]) <= tol * Math.max(1, Math.abs(w[i])), `[${i}] got ${v}, want ${w[i]}`));
};
const f64 = (xs: number[] | number) => np.array(xs, { dtype: 'float64' });

// f(x) = x^2 whose rule says the derivative is 3 (not 2x): what the transforms return shows the rule is used.
let ruleCalls = 0;
const square3 = customJvp((x: A) => np.square(x), ([x]: A[], [t]: A[]) => { ruleCalls++; return [np.square(x), np.multiply(3, t)]; });

describe('customJvp: the rule is the derivative', () => {
  test('outside transforms it is f, and the rule is not called', () => {
    ruleCalls = 0;
    close(square3(f64([1, 2, -3])).tolist() as number[], [1, 4, 9]);
    assert.equal(ruleCalls, 0);
  });
  test('grad, jvp, vjp, linearize, jacfwd and jacrev use it', () => {
    close(grad((x: A) => np.sum(square3(x)))(f64([1, 2, -3])).tolist() as number[], [3, 3, 3]);
    const [y, t] = jvp(square3, [f64([2])], [f64([0.5])]);
    close(y.tolist() as number[], [4]); close(t.tolist() as number[], [1.5]);
    const [, pb] = vjp(square3, f64([2, 5]));
    close(pb(f64([1, -2]))[0].tolist() as number[], [3, -6]);
    const [, lin] = linearize(square3, f64([2, 5]));
    close(lin(f64([1, 1])).tolist() as number[], [3, 3]);
    close(jacfwd(square3)(f64([1, 2])).tolist() as number[][], [[3, 0], [0, 3]]);
    close(jacrev(square3)(f64([1, 2])).tolist() as number[][], [[3, 0], [0, 3]]);
  });
  test("higher orders differentiate the rule's rows: d/dx of 3 t is 0", () => {
    close(grad(grad((x: A) => square3(x)))(f64(2)).item() as number, 0);
    close(hessian((x: A) => np.sum(square3(x)))(f64([1, 2])).tolist() as number[][], [[0, 0], [0, 0]]);
  });
  test('a rule that depends on x: sin with the rule cos(x) t, to third order', () => {
    const s = customJvp((x: A) => np.sin(x), ([x]: A[], [t]: A[]) => [np.sin(x), np.multiply(np.cos(x), t)]);
    const x = 0.7;
    close(grad(s)(f64(x)).item() as number, Math.cos(x), 1e-14);
    close(grad(grad(s))(f64(x)).item() as number, -Math.sin(x), 1e-14);
    close(grad(grad(grad(s)))(f64(x)).item() as number, -Math.cos(x), 1e-14);
    close(jvp(grad(s), [f64(x)], [f64(1)])[1].item() as number, -Math.sin(x), 1e-14);
    checkGrads((v: A) => np.sum(s(v)), [f64([0.3, -1.2, 2])], { order: 2 });
  });
  test('JAX\'s log1pexp: the rule keeps the gradient finite where the naive one is NaN', () => {
    const naive = (x: A) => np.log(np.add(1, np.exp(x)));
    const lpe = customJvp(naive, ([x]: A[], [t]: A[]) => [naive(x), np.multiply(np.subtract(1, np.divide(1, np.add(1, np.exp(x)))), t)]);
    assert.ok(Number.isNaN(grad(naive)(f64(800)).item() as number), 'the naive gradient overflows (inf / inf)');
    close(grad(lpe)(f64(800)).item() as number, 1);
    close(grad(lpe)(f64(0.5)).item() as number, 1 / (1 + Math.exp(-0.5)), 1e-14);
  });
  test('several arguments and pytrees in and out; a tangent that is not seeded arrives as zeros', () => {
    let seen: number[] = [NaN];
    const f = customJvp((p: { a: A; b: A }, c: A) => [np.multiply(p.a, p.b), np.add(p.a, c)],
      ([p, c]: any[], [tp, tc]: any[]) => {
        if (tc.tolist !== undefined && !(tc as any)._isAbstract?.()) try { seen = tc.tolist(); } catch { /* linear under grad */ }
        return [[np.multiply(p.a, p.b), np.add(p.a, c)], [np.add(np.multiply(tp.a, p.b), np.multiply(p.a, tp.b)), np.add(tp.a, tc)]];
      });
    const loss = (p: { a: A; b: A }, c: A) => { const [u, v] = f(p, c); return np.add(np.sum(u), np.sum(np.multiply(v, v))); };
    const a = [1, 2], b = [3, -1], c = [0.5, 0.25];
    const g = grad(loss)({ a: f64(a), b: f64(b) }, f64(c)) as { a: A; b: A };
    // d/da = b + 2 (a + c), d/db = a
    close(g.a.tolist() as number[], a.map((ai, i) => b[i] + 2 * (ai + c[i])));
    close(g.b.tolist() as number[], a);
    // forward mode with c closed over (not an input of the jvp): its tangent is a zero Array
    jvp((a: A, b2: A) => loss({ a, b: b2 }, f64(c)), [f64(a), f64(b)], [f64([1, 1]), f64([0, 0])]);
    close(seen, [0, 0]);
    const gc = grad(loss, { argnums: 1 })({ a: f64(a), b: f64(b) }, f64(c)) as A;
    close(gc.tolist() as number[], a.map((ai, i) => 2 * (ai + c[i])));
  });
  test('nondiffArgnums: a function argument passes through to f and the rule (first, as in JAX)', () => {
    const apply = customJvp((fn: (x: A) => A, x: A) => fn(x),
      (fn: (x: A) => A, [x]: A[], [t]: A[]) => [fn(x), np.multiply(t, 10)], { nondiffArgnums: [0] });
    close(grad((x: A) => apply(np.exp, x))(f64(1)).item() as number, 10);
    close(apply(np.exp, f64(1)).item() as number, Math.E, 1e-15);
  });
  test('the decorator form: f.defjvp(rule)', () => {
    const f = customJvp((x: A) => np.multiply(x, x));
    assert.throws(() => grad(f)(f64(1)), (e: unknown) => e instanceof ValueError && /no rule defined/.test((e as Error).message));
    f.defjvp(([x]: A[], [t]: A[]) => [np.multiply(x, x), np.multiply(7, t)]);
    close(grad(f)(f64(1)).item() as number, 7);
  });
});

describe('customJvp under vmap and jit', () => {
  test('vmap of f, grad of vmap, vmap of grad, nested vmaps: the rule everywhere', () => {
    const xs = f64([[1, 2, 3], [4, 5, 6]]);
    close(vmap(square3)(xs).tolist() as number[][], [[1, 4, 9], [16, 25, 36]]);
    close(grad((x: A) => np.sum(vmap(square3)(x)))(xs).tolist() as number[][], [[3, 3, 3], [3, 3, 3]]);
    close(vmap(grad((x: A) => np.sum(square3(x))))(xs).tolist() as number[][], [[3, 3, 3], [3, 3, 3]]);
    close(grad((x: A) => np.sum(vmap(vmap(square3))(x)))(xs).tolist() as number[][], [[3, 3, 3], [3, 3, 3]]);
    close(vmap(vmap(grad(square3)))(xs).tolist() as number[][], [[3, 3, 3], [3, 3, 3]]);
    // inAxes 1: the batch axis is not the leading one
    close(vmap(grad((x: A) => np.sum(square3(x))), { inAxes: 1 })(xs).tolist() as number[][], [[3, 3], [3, 3], [3, 3]]);
    const s = customJvp((x: A) => np.sin(x), ([x]: A[], [t]: A[]) => [np.sin(x), np.multiply(np.cos(x), t)]);
    close(grad((x: A) => np.sum(vmap(grad(s))(x)))(f64([0.1, 0.2])).tolist() as number[], [-Math.sin(0.1), -Math.sin(0.2)], 1e-14);
  });
  test('jit of f, jit of grad, grad of jit, vmap of jit of grad', () => {
    close(jit(square3)(f64([2, 3])).tolist() as number[], [4, 9]);
    close(jit(grad((x: A) => np.sum(square3(x))))(f64([2, 3])).tolist() as number[], [3, 3]);
    close(grad(jit((x: A) => np.sum(square3(x))))(f64([2, 3])).tolist() as number[], [3, 3]);
    close(vmap(jit(grad(square3)))(f64([2, 3])).tolist() as number[], [3, 3]);
    const g = jit(grad((x: A) => np.sum(square3(x))));
    for (let i = 0; i < 3; i++) close(g(f64([i, 1])).tolist() as number[], [3, 3]);
  });
  test('float32 works as float64', () => {
    close(grad((x: A) => np.sum(square3(x)))(np.array([1, 2])).tolist() as number[], [3, 3]);
    assert.equal(grad((x: A) => np.sum(square3(x)))(np.array([1, 2])).dtype, 'float32');
  });
});

describe('customJvp: a bad rule is a clear error, and the next call works', () => {
  const fine = () => close(grad((x: A) => np.sum(square3(x)))(f64([1])).tolist() as number[], [3]);
  test('a tangent of the wrong shape', () => {
    const bad = customJvp((x: A) => np.sin(x), ([x]: A[], [t]: A[]) => [np.sin(x), np.sum(t)], undefined);
    assert.throws(() => grad((x: A) => np.sum(bad(x)))(f64([1, 2])),
      (e: unknown) => e instanceof ShapeError && /customJvp\(.*\).*tangent output.*float64\[\].*float64\[2\]/.test((e as Error).message));
    fine();
  });
  test('a tangent of the wrong dtype', () => {
    const bad = customJvp((x: A) => np.sin(x), ([x]: A[], [t]: A[]) => [np.sin(x), np.astype(t, 'float32')]);
    assert.throws(() => grad((x: A) => np.sum(bad(x)))(f64([1, 2])), (e: unknown) => e instanceof DTypeError && /float32.*float64/.test((e as Error).message));
    fine();
  });
  test('a rule that does not return [primalOut, tangentOut], or another structure', () => {
    const one = customJvp((x: A) => np.sin(x), ((_: A[], [t]: A[]) => t) as any);
    assert.throws(() => grad(one)(f64(1)), (e: unknown) => e instanceof ValueError && /\[primalOut, tangentOut\]/.test((e as Error).message));
    const tree = customJvp((x: A) => np.sin(x), ([x]: A[], [t]: A[]) => [[np.sin(x)], [t]]);
    assert.throws(() => grad(tree)(f64(1)), (e: unknown) => e instanceof ValueError && /structure/.test((e as Error).message));
    fine();
  });
  test("a primal output of another shape or dtype than f's (JAX's check)", () => {
    // it was accepted (only its structure was checked), and f's value returned
    const shape = customJvp((x: A) => np.sin(x), ([x]: A[], [t]: A[]) => [np.sum(np.sin(x)), t]);
    assert.throws(() => grad((x: A) => np.sum(shape(x)))(f64([1, 2])),
      (e: unknown) => e instanceof ShapeError && /customJvp\(.*\).*primal output.*float64\[\].*float64\[2\]/.test((e as Error).message));
    const dtype = customJvp((x: A) => np.sin(x), ([x]: A[], [t]: A[]) => [np.astype(np.sin(x), 'float32'), t]);
    assert.throws(() => jvp(dtype, [f64([1, 2])], [f64([1, 1])]), (e: unknown) => e instanceof DTypeError && /primal output.*float32.*float64/.test((e as Error).message));
    // a JS number for a 0-d output is weakly typed, and under vmap the check is per example
    const weak = customJvp((x: A) => np.multiply(x, 0), ([x]: A[], [t]: A[]) => [0, np.multiply(t, 0)]);
    close(vmap(grad(weak))(f64([1, 2])).tolist() as number[], [0, 0]);
    fine();
  });
  test('an error the rule throws comes out as it was thrown', () => {
    const boom = customJvp((x: A) => np.sin(x), () => { throw new RangeError('my rule failed'); });
    assert.throws(() => grad(boom)(f64(1)), (e: unknown) => e instanceof RangeError && (e as Error).message === 'my rule failed');
    fine();
  });
  test('a string, number, null or undefined that a rule or bwd throws comes out as it was thrown, not as a wasm trap', () => {
    // (thrown values were marked in a WeakSet, which holds no primitive: `throw 'cancelled'` was
    // InternalError 'transpose: wasm trapped (cancelled)', above 2 GiB of wasm memory an OutOfMemoryError)
    for (const v of ['cancelled', 42, null, undefined]) {
      const rule = customJvp((x: A) => np.sin(x), () => { throw v; });
      const bwd = customVjp((x: A) => np.sum(x), (x: A) => [np.sum(x), x], () => { throw v; });
      const calls: Record<string, () => unknown> = {
        'grad of customJvp': () => grad(rule)(f64(1)),
        'jvp of customJvp': () => jvp(rule, [f64(1)], [f64(1)]),
        'grad of customVjp': () => grad(bwd)(f64([1, 2])),
        'vmap of grad of customVjp': () => vmap(grad(bwd))(f64([[1, 2]])),
        'grad of a jitted scan over customJvp': () => grad(jit((x: A) => np.sum(lax.scan((c: A) => [rule(c), null], x, null, 2)[0])))(f64([1, 2])),
      };
      for (const [name, call] of Object.entries(calls)) {
        let got: unknown = 'nothing thrown';
        try { call(); } catch (e) { got = e; }
        assert.ok(Object.is(got, v), `${name}, throw ${String(v)}: got ${got instanceof Error ? `${got.constructor.name}: ${got.message}` : String(got)}`);
      }
    }
    fine();
  });
  test('an argument that is not an Array or number needs nondiffArgnums', () => {
    const f = customJvp((s: string, x: A) => x, ([, x]: any[], [, t]: any[]) => [x, t]);
    assert.throws(() => grad((x: A) => f('mode', x))(f64(1)), (e: unknown) => e instanceof ValueError && /nondiffArgnums: \[0\]/.test((e as Error).message));
    assert.throws(() => customJvp((x: A) => x, 3 as any), ValueError);
    assert.throws(() => customJvp((x: A) => x, undefined, { nondiffArgnums: -1 }), ValueError);
    fine();
  });
});

// clip_gradient (JAX's custom_vjp example): identity forward, the cotangent clipped to [-1, 1] backward
const clipGradient = customVjp((x: A) => x, (x: A) => [x, null], (_res: null, g: A) => [np.clip(g, -1, 1)]);
// sin(x) y with residuals [cos x, sin x, y]: the closed form is the reference
const sinTimes = customVjp((x: A, y: A) => np.multiply(np.sin(x), y),
  (x: A, y: A) => [np.multiply(np.sin(x), y), [np.cos(x), np.sin(x), y]],
  ([cx, sx, y]: A[], ct: A) => [np.multiply(np.multiply(cx, y), ct), np.multiply(sx, ct)]);

describe('customVjp: bwd is the reverse-mode derivative', () => {
  test('clip_gradient: grad uses bwd, values are f', () => {
    close(grad((x: A) => np.multiply(3, clipGradient(x)))(f64(2)).item() as number, 1);
    close(grad((x: A) => np.multiply(0.5, clipGradient(x)))(f64(2)).item() as number, 0.5);
    close(clipGradient(f64([2, -7])).tolist() as number[], [2, -7]);
    const [y, pb] = vjp(clipGradient, f64([1, 2]));
    close(y.tolist() as number[], [1, 2]);
    close(pb(f64([5, -0.5]))[0].tolist() as number[], [1, -0.5]);
  });
  test('residuals, two arguments, jacrev, and second order through bwd', () => {
    const [x, y] = [0.5, 2];
    const [gx, gy] = grad(sinTimes, { argnums: [0, 1] })(f64(x), f64(y)) as A[];
    close(gx.item() as number, Math.cos(x) * y, 1e-14); close(gy.item() as number, Math.sin(x), 1e-14);
    close(jacrev((v: A) => sinTimes(v, f64([2, 3])))(f64([0.1, 0.2])).tolist() as number[][], [[2 * Math.cos(0.1), 0], [0, 3 * Math.cos(0.2)]], 1e-14);
    close(grad(grad(sinTimes))(f64(x), f64(y)).item() as number, -Math.sin(x) * y, 1e-14); // bwd's rows are differentiated
    checkGrads((v: A) => np.sum(sinTimes(v, f64([2, 3]))), [f64([0.1, 0.2])], { order: 1, modes: ['rev'] });
  });
  test('a pullback kept past its call, with other calls in between', () => {
    const [, pb] = vjp((v: A) => sinTimes(v, f64(3)), f64(0.4));
    np.add(f64(1), f64(2)); grad(sinTimes)(f64(1), f64(1)); // later top-level calls
    close(pb(f64(1))[0].item() as number, 3 * Math.cos(0.4), 1e-14);
    close(pb(f64(2))[0].item() as number, 6 * Math.cos(0.4), 1e-14);
  });
  test('bwd may give null for a zero cotangent; residuals may hold JS values', () => {
    const f = customVjp((x: A, y: A) => np.multiply(x, y), (x: A, y: A) => [np.multiply(x, y), { y, scale: 2, tag: 'r' }],
      (r: { y: A; scale: number; tag: string }, ct: A) => { assert.equal(r.tag, 'r'); return [np.multiply(np.multiply(r.y, ct), r.scale), null]; });
    const [gx, gy] = grad(f, { argnums: [0, 1] })(f64(3), f64(4)) as A[];
    close(gx.item() as number, 8); close(gy.item() as number, 0);
  });
  test('vmap of grad, grad of vmap, jit of grad, grad of jit', () => {
    const xs = f64([0.1, 0.2]), ys = f64([1, 2]);
    const want = [Math.cos(0.1), 2 * Math.cos(0.2)];
    close(vmap(grad(sinTimes))(xs, ys).tolist() as number[], want, 1e-14);
    close(grad((x: A) => np.sum(vmap(sinTimes)(x, ys)))(xs).tolist() as number[], want, 1e-14);
    close(jit(grad(sinTimes))(f64(0.1), f64(1)).item() as number, want[0], 1e-14);
    close(grad(jit(sinTimes))(f64(0.1), f64(1)).item() as number, want[0], 1e-14);
    // the cotangent 4 is clipped to 1 in every example
    close(grad((x: A) => np.sum(np.multiply(vmap(vmap(clipGradient))(x), 4)))(f64([[1, 2]])).tolist() as number[][], [[1, 1]]);
  });
  test("fwd may call the function itself (JAX's tutorial form), and bwd may run another fixed point", () => {
    // JAX's custom_vjp tutorial: f_fwd(x, y) returns [f(x, y), residuals]; this recursed without end (RangeError)
    const f: any = customVjp((x: A, y: A) => np.multiply(np.sin(x), y),
      (x: A, y: A) => [f(x, y), [np.cos(x), np.sin(x), y]],
      ([cx, sx, y]: A[], g: A) => [np.multiply(np.multiply(cx, g), y), np.multiply(sx, g)]);
    close(grad(f)(f64(3), f64(4)).item() as number, 4 * Math.cos(3), 1e-14);
    close(grad(grad(f))(f64(3), f64(4)).item() as number, -4 * Math.sin(3), 1e-14);
    // JAX's implicit-function example: fixed_point whose fwd calls fixed_point, whose bwd runs another
    const fixedPoint: any = customVjp((fn: any, a: A, x0: A) => lax.whileLoop(([xp, x]: A[]) => np.greater(np.abs(np.subtract(xp, x)), 1e-12),
      ([, x]: A[]) => [x, fn(a, x)], [x0, fn(a, x0)])[1],
    (fn: any, a: A, x0: A) => { const xs = fixedPoint(fn, a, x0); return [xs, [a, xs]]; },
    (fn: any, [a, xs]: A[], xsBar: A) => {
      const [, vjpA] = vjp((b: A) => fn(b, xs), a);
      const revIter = ([b, x, xb]: A[], u: A) => np.add(xb, vjp((z: A) => fn(b, z), x)[1](u)[0]);
      return [vjpA(fixedPoint(revIter, [a, xs, xsBar], xsBar))[0], np.zerosLike(xs)];
    }, { nondiffArgnums: [0] });
    const sqrt = (a: A) => fixedPoint((b: A, x: A) => np.multiply(0.5, np.add(x, np.divide(b, x))), a, a);
    close(sqrt(f64(2)).item() as number, Math.SQRT2, 1e-14);
    close(grad(sqrt)(f64(2)).item() as number, 0.5 / Math.SQRT2, 1e-12);
    close(grad(grad(sqrt))(f64(2)).item() as number, -0.25 * 2 ** -1.5, 1e-10);
    close(vmap(grad(sqrt))(f64([3, 4, 5])).tolist() as number[], [3, 4, 5].map((a) => 0.5 / Math.sqrt(a)), 1e-12);
  });
  test("bwd's constants (closed-over Arrays, JS numbers) serve every call of one gradient", () => {
    // A top-level gradient released the const rows bwd uploaded once dead, while the host's upload
    // caches handed the same rows to the next call's bwd: 'materialize: this value is abstract'
    const K = f64([2, 3]);
    const scaled = customVjp((x: A) => np.multiply(x, 1), (x: A) => [np.multiply(x, 1), null], (_r: null, g: A) => [np.multiply(g, K)]);
    close(grad((w: A) => np.sum(scaled(scaled(w))))(f64([0.3, 0.2])).tolist() as number[], [4, 9]);
    const shifted = customVjp((x: A) => np.multiply(x, 1), (x: A) => [np.multiply(x, 1), null], (_r: null, g: A) => [np.clip(np.add(g, 0), -1, 1)]);
    close(grad((w: A) => np.sum(shifted(np.multiply(shifted(w), w))))(f64([0.3, 0.2])).tolist() as number[], [0.6, 0.4]);
    // an RNN-like scan through it: sum(h3), h_{t+1} = scaled(h_t w), so the gradient is (K + K^2 + K^3) w^2
    const h3 = (w: A) => np.sum(lax.scan((h: A) => [scaled(np.multiply(h, w)), null], f64([1, 1]), null, { length: 3 })[0]);
    close(grad(h3)(f64([0.5, 0.5])).tolist() as number[], [0.25 * (2 + 4 + 8), 0.25 * (3 + 9 + 27)]);
  });
  test('forward mode is refused, as in JAX', () => {
    const fwdOnly = (e: unknown) => e instanceof NotImplementedError && /customVjp.*forward-mode/.test((e as Error).message);
    assert.throws(() => jvp(clipGradient, [f64(1)], [f64(1)]), fwdOnly);
    assert.throws(() => jacfwd(clipGradient)(f64([1, 2])), fwdOnly);
    // hessian = jacfwd(jacrev): the forward pass meets the custom row when the cotangent depends on its output
    assert.throws(() => hessian((x: A) => np.sum(np.square(sinTimes(x, f64([2])))))(f64([1])), fwdOnly);
    // and when it does not, it differentiates bwd's rows through the residuals: exact, where JAX refuses
    close(hessian((x: A) => np.sum(sinTimes(x, f64([2, 3]))))(f64([0.1, 0.2])).tolist() as number[][],
      [[-2 * Math.sin(0.1), 0], [0, -3 * Math.sin(0.2)]], 1e-14);
    const [, lin] = linearize(clipGradient, f64(1));
    assert.throws(() => lin(f64(1)), (e: unknown) => e instanceof NotImplementedError && /customVjp/.test((e as Error).message));
    close(grad(clipGradient)(f64(1)).item() as number, 1); // and the next call works
  });
  test('a bad fwd or bwd is a clear error', () => {
    const noPair = customVjp((x: A) => x, ((x: A) => x) as any, (_r: unknown, g: A) => [g]);
    assert.throws(() => grad(noPair)(f64(1)), (e: unknown) => e instanceof ValueError && /\[output, residuals\]/.test((e as Error).message));
    const count = customVjp((x: A, y: A) => np.add(x, y), (x: A, y: A) => [np.add(x, y), null], (_r: null, g: A) => [g]);
    assert.throws(() => grad(count)(f64(1), f64(2)), (e: unknown) => e instanceof ValueError && /one cotangent per differentiated argument \(2\)/.test((e as Error).message));
    const shape = customVjp((x: A) => np.sum(x), (x: A) => [np.sum(x), null], (_r: null, g: A) => [g]);
    assert.throws(() => grad(shape)(f64([1, 2])), (e: unknown) => e instanceof ShapeError && /float64\[\].*float64\[2\]/.test((e as Error).message));
    const none = customVjp((x: A) => x);
    assert.throws(() => grad(none)(f64(1)), (e: unknown) => e instanceof ValueError && /defvjp/.test((e as Error).message));
    none.defvjp((x: A) => [x, null], (_r: null, g: A) => [np.multiply(g, 2)]);
    close(grad(none)(f64(1)).item() as number, 2);
  });
});

test('a loop of gradients through custom rules keeps the tape and the heap flat', () => {
  const step = grad((x: A) => np.sum(np.add(square3(x), sinTimes(x, x))));
  const x = f64([0.3, 0.6]);
  for (let i = 0; i < 200; i++) step(x);
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 3000; i++) step(x);
  global.gc?.();
  const grown = process.memoryUsage().heapUsed - before;
  assert.ok(grown < 40e6, `heap grew ${(grown / 1e6).toFixed(1)} MB over 3000 calls`);
});

describe('checkpoint (jax.checkpoint): the same values and derivatives as f', () => {
  const f = (x: A) => np.sum(np.multiply(np.sin(x), np.exp(np.multiply(0.5, x))));
  const x = f64([0.3, -1.1, 2]);
  // d/dx sin(x) e^(x/2) = e^(x/2) (cos x + sin(x) / 2); d2 = e^(x/2) (-3/4 sin x + cos x)
  const d1 = [0.3, -1.1, 2].map((v) => Math.exp(v / 2) * (Math.cos(v) + Math.sin(v) / 2));
  const d2 = [0.3, -1.1, 2].map((v) => Math.exp(v / 2) * (Math.cos(v) - 0.75 * Math.sin(v)));
  test('grad, hessian, jvp, vmap and jit through it', async () => {
    const { checkpoint, remat } = await import('cotangent');
    const c = checkpoint(f, { preventCse: false, policy: null });
    close(c(x).item() as number, f(x).item() as number, 0);
    close(grad(c)(x).tolist() as number[], d1, 1e-14);
    const h = hessian(c)(x).tolist() as number[][];
    close(h.map((row, i) => row[i]), d2, 1e-13);
    close(jvp(c, [x], [f64([1, 0, 0])])[1].item() as number, d1[0], 1e-14);
    close(vmap(grad(checkpoint((v: A) => np.sin(v))))(x).tolist() as number[], [0.3, -1.1, 2].map(Math.cos), 1e-15);
    close(jit(grad(remat(f)))(x).tolist() as number[], d1, 1e-14);
    assert.equal(c.name, 'checkpoint(f)');
  });
  test('bad options are clear errors', async () => {
    const { checkpoint } = await import('cotangent');
    assert.throws(() => checkpoint(3 as any), ValueError);
    assert.throws(() => checkpoint(f, { prevent_cse: true } as any), ValueError);
    assert.throws(() => checkpoint(f, { policy: 'dots' } as any), (e: unknown) => e instanceof ValueError && /policy/.test((e as Error).message));
    assert.throws(() => checkpoint(f, { staticArgnums: 0.5 }), ValueError);
  });
});

test('customVjp: a traced Array in nondiffArgnums is an error, as in JAX (its gradient was silently 0)', async () => {
  const { TracerError } = await import('cotangent');
  const ndv = customVjp((n: A, x: A) => np.multiply(n, x), (n: A, x: A) => [np.multiply(n, x), null],
    (n: A, _r: null, g: A) => [np.multiply(n, g)], { nondiffArgnums: [0] });
  assert.throws(() => grad(ndv, { argnums: 0 })(f64(3), f64(2)), (e: unknown) => e instanceof TracerError && /nondiffArgnums/.test((e as Error).message));
  // a concrete Array there is a constant: fine, and x's gradient is n
  close(grad((x: A) => ndv(f64(3), x))(f64(2)).item() as number, 3);
});

test('differentiating a value a custom function closes over is an error, as JAX\'s (it was a silent zero gradient)', async () => {
  const { TracerError } = await import('cotangent');
  const closes = /closes over.*pass that value as an argument/;
  // before: grad in W through x * W was 0 (the custom row is reached through its arguments only); d/dW sum(x W) = 3
  assert.throws(() => grad((W: A) => {
    const g = customJvp((x: A) => np.multiply(x, W), ([x]: A[], [t]: A[]) => [np.multiply(x, W), np.multiply(t, W)]);
    return np.sum(g(f64([1, 2])));
  })(f64(3)), (e: unknown) => e instanceof TracerError && closes.test((e as Error).message));
  assert.throws(() => grad((W: A) => {
    const g = customVjp((x: A) => np.multiply(x, W), (x: A) => [np.multiply(x, W), null], (_r: null, ct: A) => [np.multiply(ct, W)]);
    return np.sum(g(f64([1, 2])));
  })(f64(3)), (e: unknown) => e instanceof TracerError && closes.test((e as Error).message) && /custom_vjp function/.test((e as Error).message));
  // grad of a vmap over the closed-over value: refused too
  assert.throws(() => grad((W: A) => np.sum(vmap((w: A) => {
    const g = customJvp((y: A) => np.multiply(y, w), ([y]: A[], [t]: A[]) => [np.multiply(y, w), np.multiply(t, w)]);
    return np.sum(g(f64([1, 2])));
  })(W)))(f64([3, 4])), TracerError);
  // closing over a constant, or over a value no transform differentiates, is fine
  const W = f64(3);
  const g = customJvp((x: A) => np.multiply(x, W), ([x]: A[], [t]: A[]) => [np.multiply(x, W), np.multiply(t, W)]);
  close(grad((x: A) => np.sum(g(x)))(f64([1, 2])).tolist() as number[], [3, 3]);
  close(vmap((w: A) => grad((x: A) => {
    const h = customJvp((y: A) => np.multiply(y, w), ([y]: A[], [t]: A[]) => [np.multiply(y, w), np.multiply(t, w)]);
    return np.sum(h(x));
  })(f64([1, 2])))(f64([3, 4])).tolist() as number[][], [[3, 3], [4, 4]]);
});

test("the decorator form with options: customJvp(f, { nondiffArgnums }) then .defjvp, customVjp(f, { ... }) then .defvjp", () => {
  const app = customJvp((g: (x: A) => A, x: A) => g(x), { nondiffArgnums: [0] });
  app.defjvp((g: (x: A) => A, [x]: A[], [t]: A[]) => [g(x), np.multiply(5, t)]);
  close(grad((x: A) => app(np.sin, x))(f64(1)).item() as number, 5);
  const clip = customVjp((lo: number, x: A) => x, { nondiffArgnums: 0 });
  clip.defvjp((lo: number, x: A) => [x, null], (lo: number, _r: null, g: A) => [np.clip(g, -lo, lo)]);
  close(grad((x: A) => np.multiply(3, clip(0.5, x)))(f64(2)).item() as number, 0.5);
  assert.throws(() => customJvp((x: A) => x, { nondifArgnums: [0] } as any), ValueError);
  // camelCase spellings, as every other name here (f.defVjp was a JS TypeError 'not a function')
  const sq = customVjp((x: A) => np.square(x));
  sq.defVjp((x: A) => [np.square(x), x], (x: A, g: A) => [np.multiply(g, np.multiply(3, x))]); // (3x, not 2x: the rule is what runs)
  close(grad(sq)(f64(2)).item() as number, 6);
  const cube = customJvp((x: A) => np.power(x, 3));
  cube.defJvp(([x]: A[], [t]: A[]) => [np.power(x, 3), np.multiply(t, 7)]);
  close(grad(cube)(f64(2)).item() as number, 7);
});

test("linearize's jvpFn through a customVjp, customLinearSolve or customRoot is refused with the same message eagerly, under jit and in loop bodies", () => {
  // Under jit the refusal came from running the program: "this derivative is not implemented (as in
  // JAX: wide or complete QR, full-matrices SVD...)", naming neither the function nor what to use.
  const sinV = customVjp(function sinV(x: A) { return np.sin(x); }, (x: A) => [np.sin(x), x], (x: A, c: A) => [np.multiply(np.cos(x), c)]);
  const ls = (x: A) => lax.customLinearSolve((y: A) => np.multiply(y, 2), np.sin(x), (_: unknown, b: A) => np.divide(b, 2), (_: unknown, b: A) => np.divide(b, 2));
  const rt = (x: A) => lax.customRoot((y: A) => np.subtract(np.multiply(y, 2), np.sin(x)), f64(0), () => np.divide(np.sin(x), 2), (_: unknown, y: A) => np.divide(y, 2));
  const kinds: [string, (x: A) => A, string[]][] = [
    ['customVjp', sinV, ['customVjp(sinV) forward', 'custom_vjp defines reverse mode only', 'vjp/grad', 'customJvp']],
    ['customLinearSolve', ls, ["lax.customLinearSolve's solve forward", 'jvp or jacfwd']],
    ['customRoot', rt, ["lax.customRoot's solve forward", 'jvp or jacfwd']],
  ];
  const bodies: [string, (g: (x: A) => A) => (x: A) => A][] = [
    ['alone', (g) => g],
    ['in a scan', (g) => (x) => lax.scan((h: A) => [g(h), h], x, null, { length: 2 })[0]],
    ['in a cond', (g) => (x) => lax.cond(np.greater(x, 0), g, (h: A) => h, x)],
  ];
  const refused = (what: string, parts: string[]) => (e: unknown) => {
    assert.ok(e instanceof NotImplementedError, `${what}: ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    const m = (e as Error).message;
    assert.ok(m.startsWith('linearize: evaluating the linearization runs'), `${what}: ${m}`);
    for (const p of parts) assert.ok(m.includes(p), `${what}: ${JSON.stringify(m)} lacks ${p}`);
    assert.ok(!/QR|SVD/.test(m), `${what}: ${m}`);
    return true;
  };
  for (const [kn, g, parts] of kinds) {
    for (const [bn, body] of bodies) {
      const f = body(g), what = `${kn} ${bn}`;
      assert.throws(() => jit((x: A) => linearize(f, x)[1](f64(1)))(f64(0.3)), refused(`${what}: jit(linearize)`, parts));
      assert.throws(() => linearize(f, f64(0.3))[1](f64(1)), refused(`${what}: linearize`, parts));
      const [, lin] = linearize(f, f64(0.3));
      assert.throws(() => jit(lin)(f64(1)), refused(`${what}: jit(jvpFn)`, parts));
    }
  }
  // reverse mode through the same programs is untouched: d/dx sin(x) at 0.3 (halved and doubled for the solves)
  close(jit(grad(sinV))(f64(0.3)).item() as number, Math.cos(0.3), 1e-14);
  close(jit(grad(ls))(f64(0.3)).item() as number, Math.cos(0.3) / 2, 1e-14);
  close(jit(grad(rt))(f64(0.3)).item() as number, Math.cos(0.3) / 2, 1e-14);
});

test('vmap of custom rows with more than 4096 operands (a call on 4100 leaves): values and gradients against closed forms', () => {
  // The batching rules built the batched row in the 4096-entry rule scratch: 'custom_call: invalid parameters'.
  const N = 4100, sumSq = (xs: A[]) => xs.reduce((a: A, x: A) => np.add(a, np.multiply(x, x)), f64(0));
  const sj = customJvp(sumSq);
  sj.defjvp(([xs]: A[][], [ts]: A[][]) => [sj(xs), ts.reduce((a: A, t: A, i: number) => np.add(a, np.multiply(np.multiply(2, xs[i]), t)), f64(0))]);
  const sv = customVjp(sumSq);
  sv.defvjp((xs: A[]) => [sv(xs), xs], (xs: A[], c: A) => [xs.map((x: A) => np.multiply(np.multiply(2, x), c))]);
  const base = [1, 2], xs = Array.from({ length: N }, (_, i) => f64(base.map((b) => b + i * 1e-3)));
  const want = base.map((b) => { let s = 0; for (let i = 0; i < N; i++) s += (b + i * 1e-3) ** 2; return s; });
  close(vmap(sj)(xs).tolist() as number[], want, 1e-13);
  close(jit(vmap(sj))(xs).tolist() as number[], want, 1e-13);
  close(vmap(sv)(xs).tolist() as number[], want, 1e-13);
  for (const [name, g] of [['vmap(grad(customJvp))', vmap(grad(sj))], ['vmap(grad(customVjp))', vmap(grad(sv))], ['jit(vmap(grad(customVjp)))', jit(vmap(grad(sv)))]] as const) {
    const got = (g as any)(xs) as A[];
    assert.equal(got.length, N, name);
    for (const i of [0, 4095, 4099]) close(got[i].tolist() as number[], base.map((b) => 2 * (b + i * 1e-3)), 1e-14);
  }
  // a staged customLinearSolve over 4100 leaves (custom_linear batched): 2 x_i = t (i + 1), so d/dt sum x = N (N + 1) / 4
  const solved = (t: A) => {
    const b = Array.from({ length: N }, (_, i) => np.multiply(t, i + 1));
    const x = lax.customLinearSolve((ys: A[]) => ys.map((y) => np.multiply(y, 2)), b, (_: unknown, bs: A[]) => bs.map((v) => np.divide(v, 2)), { symmetric: true });
    return (x as A[]).reduce((a: A, v: A) => np.add(a, v), f64(0));
  };
  close(vmap(grad(solved))(f64([0.5, 3])).tolist() as number[], [N * (N + 1) / 4, N * (N + 1) / 4], 1e-13);
  close(jit(vmap(grad(solved)))(f64([0.5, 3])).tolist() as number[], [N * (N + 1) / 4, N * (N + 1) / 4], 1e-13);
});

test('a custom function that runs vmap inside (jaxopt perturbed optimizers) differentiates: its vmap views are not closed-over values', () => {
  // f(x) = sum_r sum(r * x) over the rows r of R, through a vmap; the rules say df = 10 sum(t) (JVP)
  // and ct -> 7 ct (VJP), so the gradient shows the rule ran: 10 and 7 per element. The vmap's
  // per-example rows were taken for values f closes over, then used after the vmap returned.
  const R = f64([[1, 2], [3, 4]]);
  const inner = (x: A) => np.sum(vmap((r: A) => np.multiply(r, x))(R));
  const fj = customJvp(inner, ([x]: A[], [t]: A[]) => [inner(x), np.multiply(10, np.sum(t))]);
  const fv = customVjp(inner, (x: A) => [inner(x), x], (x: A, ct: A) => [np.multiply(np.multiply(7, np.onesLike(x)), ct)]);
  const x = f64([1, 1]);
  close(Array.from(grad(fj)(x).dataSync()), [10, 10]);
  close(Array.from(jit(grad(fj))(x).dataSync()), [10, 10]);
  close(Array.from(grad(fv)(x).dataSync()), [7, 7]);
  close(Array.from(jit(grad(fv))(x).dataSync()), [7, 7]);
  close(fj(x).item(), 1 + 2 + 3 + 4);
});

test('a custom function whose own computation runs vmap, grad, jit, scan, cond or checkpoint: every outer transform uses its rule (closed forms)', () => {
  // Each inner form computes sum(x^2); the rules say the derivative is 5 per element (JVP: 5 sum(t);
  // VJP: 5 ct), so every result below is the rule's, never the inner computation's 2x.
  const inners: Record<string, (x: A) => A> = {
    plain: (x) => np.sum(np.square(x)),
    vmap: (x) => np.sum(vmap((v: A) => np.square(v))(x)),
    grad: (x) => np.divide(np.sum(np.multiply(grad((y: A) => np.sum(np.square(y)))(x), x)), 2),
    jit: (x) => jit((y: A) => np.sum(np.square(y)))(x),
    scan: (x) => np.sum(lax.scan((c: A, v: A) => [np.add(c, np.square(v)), c], f64(0), x)[0]),
    cond: (x) => lax.cond(np.greater(np.sum(x), -100), (y: A) => np.sum(np.square(y)), (y: A) => np.sum(y), x),
    checkpoint: (x) => checkpoint((y: A) => np.sum(np.square(y)))(x),
    'vmap of jit': (x) => np.sum(vmap(jit((v: A) => np.square(v)))(x)),
  };
  const x = f64([1, 2, 3]), X = np.array([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' }), fives = [5, 5, 5];
  const values = (a: A) => Array.from(a.dataSync() as Float64Array);
  for (const [name, inner] of Object.entries(inners)) {
    const fj = customJvp(inner, ([y]: A[], [t]: A[]) => [inner(y), np.multiply(5, np.sum(t))]);
    const fv = customVjp(inner, (y: A) => [inner(y), y], (y: A, ct: A) => [np.multiply(np.multiply(5, np.onesLike(y)), ct)]);
    const inScan = (f: (w: A) => A) => (w: A) => np.sum(lax.scan((c: A, _: A) => [np.add(c, f(w)), c], f64(0), f64([0, 0]))[0]);
    const cases: [string, () => A, number[]][] = [
      ['value', () => fj(x), [14]],
      ['grad (jvp rule)', () => grad(fj)(x), fives],
      ['jit(grad) (jvp rule)', () => jit(grad(fj))(x), fives],
      ['grad(jit) (jvp rule)', () => grad(jit(fj))(x), fives],
      ['jvp (jvp rule)', () => jvp(fj, [x], [f64([1, 1, 1])])[1] as A, [15]],
      ['jacfwd (jvp rule)', () => jacfwd(fj)(x), fives],
      ['vmap(grad) (jvp rule)', () => vmap(grad(fj))(X), [...fives, ...fives]],
      ['grad of a scan calling it (jvp rule)', () => grad(inScan(fj))(x), [10, 10, 10]],
      ['grad (vjp rule)', () => grad(fv)(x), fives],
      ['jit(grad) (vjp rule)', () => jit(grad(fv))(x), fives],
      ['jacrev (vjp rule)', () => jacrev(fv)(x), fives],
      ['vmap(grad) (vjp rule)', () => vmap(grad(fv))(X), [...fives, ...fives]],
      ['jit(vmap(grad)) (vjp rule)', () => jit(vmap(grad(fv)))(X), [...fives, ...fives]],
      ['jit(grad) of a scan calling it (vjp rule)', () => jit(grad(inScan(fv)))(x), [10, 10, 10]],
    ];
    for (const [what, run, want] of cases) {
      try { close(values(run()), want); } catch (e) { assert.fail(`${name}, ${what}: ${(e as Error).message}`); }
    }
  }
});

// A JS number passed to a checkpoint, customVjp or customJvp function is a constant of the trace:
// under a transform f, fwd, bwd and the rule get it as it is, as eagerly (JAX's weakly typed
// Python scalar). It was a float32 input: jit(checkpoint((k, u) => u * k))(0.1, float64 3) gave
// 0.30000000447034836 (0.1 rounded to float32 first) for 0.30000000000000004, and 16777217 beside
// int32 a float32 16777216 for int32 16777217.
describe('a JS-number argument keeps its value and weak type under jit, grad, jvp and vmap', () => {
  const i32 = (xs: number[] | number) => np.array(xs, { dtype: 'int32' });
  const mul = (k: number, u: A) => np.multiply(u, k);
  const fns: [string, (k: number, u: A) => A][] = [
    ['checkpoint', checkpoint(mul)],
    ['customVjp', customVjp(mul, (k: number, u: A) => [mul(k, u), k], (k: number, ct: A) => [null, np.multiply(ct, k)])],
    ['customJvp', customJvp(mul, ([k, u]: any[], [, t]: any[]) => [mul(k, u), np.multiply(t, k)])],
  ];
  /** a's dtype and values, exactly. */
  const exact = (what: string, a: A, dtype: string, want: number[]) => {
    assert.equal(a.dtype, dtype, `${what}: dtype`);
    assert.deepEqual([a.tolist()].flat(), want, `${what}: values`);
  };
  for (const [name, g] of fns) {
    test(`${name}: 0.1 beside float64, 16777217 beside int32, 0.5 beside float32, eagerly and under jit`, () => {
      const cases: [string, () => A, string, number[]][] = [
        ['0.1 * float64 3', () => g(0.1, f64(3)), 'float64', [0.1 * 3]], // 0.30000000000000004
        ['16777217 * int32 [1, 2]', () => g(16777217, i32([1, 2])), 'int32', [16777217, 33554434]],
        ['0.5 * float32 3', () => g(0.5, np.array(3)), 'float32', [1.5]],
      ];
      for (const [what, run, dtype, want] of cases) {
        exact(`${what}, eagerly`, run(), dtype, want);
        exact(`${what}, jit`, jit(run)(), dtype, want);
      }
      exact('jit(g) with the number as its argument', jit(g)(0.1, f64(3)), 'float64', [0.30000000000000004]);
      exact('jit(g) with an int32 Array', jit(g)(16777217, i32(1)), 'int32', [16777217]);
    });
    test(`${name}: grad and jvp with respect to the Array argument, eagerly and under jit; vmap`, () => {
      const h = (u: A) => g(0.1, u); // d/du (0.1 u) = 0.1
      exact('grad', grad(h)(f64(3)), 'float64', [0.1]);
      exact('jit(grad)', jit(grad(h))(f64(3)), 'float64', [0.1]);
      exact('grad(jit)', grad(jit(h))(f64(3)), 'float64', [0.1]);
      exact('grad, argnums 1', grad(g, { argnums: 1 })(0.1, f64(3)), 'float64', [0.1]);
      exact('jit(grad), argnums 1', jit(grad(g, { argnums: 1 }))(0.1, f64(3)), 'float64', [0.1]);
      // beside an integer the float32 row lost the low bit: 16777216
      exact('grad, 16777217', grad((u: A) => g(16777217, u))(f64(2)), 'float64', [16777217]);
      exact('jit(grad), 16777217', jit(grad((u: A) => g(16777217, u)))(f64(2)), 'float64', [16777217]);
      if (name !== 'customVjp') { // (forward mode of a customVjp function is refused, as in JAX)
        const [y, t] = jvp(h, [f64(3)], [f64(2)]);
        exact('jvp primal', y as A, 'float64', [0.30000000000000004]); exact('jvp tangent', t as A, 'float64', [0.2]);
        const [yj, tj] = jit((u: A) => jvp(h, [u], [f64(2)]))(f64(3)) as [A, A];
        exact('jit(jvp) primal', yj, 'float64', [0.30000000000000004]); exact('jit(jvp) tangent', tj, 'float64', [0.2]);
      }
      const xs = [1, 2, 3], byHand = xs.map((x) => x * 0.1); // [0.1, 0.2, 0.30000000000000004]
      exact('vmap', vmap(h)(f64(xs)), 'float64', byHand);
      exact('jit(vmap)', jit(vmap(h))(f64(xs)), 'float64', byHand);
      exact('vmap(grad)', vmap(grad(h))(f64(xs)), 'float64', [0.1, 0.1, 0.1]);
      exact('jit(vmap(grad))', jit(vmap(grad(h)))(f64(xs)), 'float64', [0.1, 0.1, 0.1]);
      exact('vmap, 16777217 beside int32', jit(vmap((u: A) => g(16777217, u)))(i32([1, 2])), 'int32', [16777217, 33554434]);
    });
  }
  test('a nonlinear f: d/du (k u^2) = 2 k u and the second derivative 2 k, with k = 0.1 exact', () => {
    const sq = (k: number, u: A) => np.multiply(np.multiply(u, u), k);
    const cj = customJvp(sq, ([k, u]: any[], [, t]: any[]) => [sq(k, u), np.multiply(np.multiply(np.multiply(u, t), 2), k)]);
    const cv = customVjp(sq, (k: number, u: A) => [sq(k, u), [k, u]], ([k, u]: [number, A], ct: A) => [null, np.multiply(np.multiply(np.multiply(u, ct), 2), k)]);
    for (const [name, g] of [['checkpoint', checkpoint(sq)], ['customJvp', cj], ['customVjp', cv]] as const) {
      const h = (u: A) => g(0.1, u);
      for (const [how, d] of [['eagerly', grad(h)], ['jit', jit(grad(h))]] as const) {
        close(d(f64(3)).item() as number, 2 * 0.1 * 3, 1e-15);
      }
      if (name !== 'customVjp') close(jit(grad(grad(h)))(f64(3)).item() as number, 0.2, 1e-15);
    }
  });
  test('customVjp: bwd may return null, 0 or any scalar for the JS number (dropped); the Array gradient is unchanged', () => {
    const fwd = (k: number, u: A) => [np.multiply(u, k), k] as [A, number];
    for (const ctK of [null, 0, (ct: A) => ct, (ct: A) => np.astype(ct, 'int32'), (ct: A) => np.multiply(ct, 7)] as const) {
      const f = customVjp(mul, fwd, (k: number, ct: A) => [typeof ctK === 'function' ? ctK(ct) : ctK, np.multiply(ct, k)]);
      exact(`grad, bwd's first cotangent ${String(ctK)}`, grad((u: A) => f(0.1, u))(f64(3)), 'float64', [0.1]);
      exact(`jit(vmap(grad)), bwd's first cotangent ${String(ctK)}`, jit(vmap(grad((u: A) => f(0.1, u))))(f64([3, 4])), 'float64', [0.1, 0.1]);
    }
    // in a tree: null (or undefined) where the number sits
    const ft = customVjp((p: { k: number; u: A }) => np.multiply(p.u, p.k), (p: { k: number; u: A }) => [np.multiply(p.u, p.k), p.k],
      (k: number, ct: A) => [{ k: null, u: np.multiply(ct, k) }]);
    exact('grad, a tree argument', jit(grad((u: A) => ft({ k: 0.1, u })))(f64(3)), 'float64', [0.1]);
    const bad = customVjp(mul, fwd, (k: number, ct: A) => [f64([1, 2]), np.multiply(ct, k)]);
    assert.throws(() => grad((u: A) => bad(0.1, u))(f64(3)),
      (e: Error) => e instanceof ShapeError && /bwd's cotangent 0 is float64\[2\], for the constant 0\.1 the call passed there/.test(e.message));
  });
  test('customJvp: the rule gets the number as it is and 0 as its tangent', () => {
    const seen: unknown[] = [];
    const f = customJvp(mul, ([k, u]: any[], [tk, t]: any[]) => { seen.push(k, tk); return [mul(k, u), np.multiply(t, k)]; });
    exact('jit(grad)', jit(grad((u: A) => f(0.1, u)))(f64(3)), 'float64', [0.1]);
    // (reverse mode runs the rule once more, abstractly, to check it is linear in the tangents: the same values)
    assert.ok(seen.length >= 2 && seen.length % 2 === 0, `${seen.length}`);
    for (let i = 0; i < seen.length; i += 2) assert.deepEqual(seen.slice(i, i + 2), [0.1, 0]);
  });
  test('only numbers: no Array argument at all', () => {
    const w = f64([1, 2, 3]);
    const c = checkpoint((k: number) => np.multiply(w, k));
    const v = customVjp((k: number) => np.multiply(w, k), (k: number) => [np.multiply(w, k), null], () => [null]);
    const j = customJvp((k: number) => np.multiply(w, k), ([k]: number[], [t]: number[]) => [np.multiply(w, k), np.multiply(w, t)]);
    for (const g of [c, v, j]) {
      exact('jit', jit(() => g(0.1))(), 'float64', [0.1, 0.2, 0.1 * 3]);
      exact('grad of a product with it', grad((x: A) => np.sum(np.multiply(x, g(0.1))))(f64(1)), 'float64', [0.1 + 0.2 + 0.1 * 3]);
    }
  });
  test('booleans and { re, im } literals: jit as eagerly', () => {
    const both = (k: unknown, u: A) => np.multiply(u, k as number);
    for (const g of [checkpoint(both), customVjp(both, (k: unknown, u: A) => [both(k, u), k], (k: unknown, ct: A) => [null, np.multiply(ct, k as number)]),
      customJvp(both, ([k, u]: any[], [, t]: any[]) => [both(k, u), np.multiply(t, k as number)])]) {
      exact('true * float64 3, eagerly', g(true, f64(3)), 'float64', [3]);
      exact('true * float64 3, jit', jit(g)(true, f64(3)), 'float64', [3]);
      for (const r of [g({ re: 0.1, im: 2 }, f64(3)), jit(g)({ re: 0.1, im: 2 }, f64(3))]) {
        assert.equal(r.dtype, 'complex128');
        assert.deepEqual(r.tolist(), { re: 0.1 * 3, im: 6 });
      }
    }
  });
});
