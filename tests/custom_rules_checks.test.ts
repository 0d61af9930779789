// Checks on customVjp / customJvp rules and on extra arguments: fwd's primal output against f's
// (JAX's _flatten_fwd), a customJvp rule whose tangent output is not linear under reverse mode,
// nondiffArgnums of customJvp behind stop_gradient (JAX's custom_jvp.__call__), and extra or
// missing positional arguments of hvp(f), checkpoint(f), custom functions and tidy. Expected
// values are hand derivations (noted at each).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  np, grad, vjp, jvp, jacrev, linearize, vmap, jit, hvp, checkpoint, tidy, customJvp, customVjp,
  ValueError, ShapeError, DTypeError, TracerError, InternalError, type Array as NDArray,
} from '../ts/index.ts';

type A = NDArray;
const f64 = (x: any) => np.array(x, { dtype: 'float64' });
const x2 = () => np.array(new Float64Array([1, 2]));
const close = (got: number[] | number, want: number[] | number, tol = 1e-12) => {
  const g = [got].flat(3) as number[], w = [want].flat(3) as number[];
  assert.equal(g.length, w.length);
  g.forEach((v, i) => assert.ok(Math.abs(v - w[i]) <= tol * Math.max(1, Math.abs(w[i])), `[${i}] got ${v}, want ${w[i]}`));
};

test("customVjp: fwd's primal output must have f's shape (it was returned as it was: a [4] vjp for f's [2])", () => {
  const g = customVjp((x: A) => np.sin(x), (x: A) => [np.concatenate([x, x]), x], (_r: A, _c: A) => [np.ones([2], { dtype: 'float64' })]);
  close(g(x2()).tolist() as number[], [Math.sin(1), Math.sin(2)]); // outside transforms: f itself
  const re = /customVjp\(fn\): fwd's primal output is float64\[4\], the function's output is float64\[2\].*Custom VJP fwd rule/;
  assert.throws(() => vjp(g, x2()), (e: unknown) => e instanceof ShapeError && re.test((e as Error).message));
  assert.throws(() => jit(g)(x2()), (e: unknown) => e instanceof ShapeError && re.test((e as Error).message));
  assert.throws(() => jit(grad((x: A) => np.sum(g(x))))(x2()), (e: unknown) => e instanceof ShapeError && re.test((e as Error).message));
  assert.throws(() => vmap(g)(np.ones([3, 2], { dtype: 'float64' })), (e: unknown) => e instanceof ShapeError && re.test((e as Error).message));
  // f returns a scalar, fwd a [2]: was "grad: the function must return a scalar"
  const s = customVjp((x: A) => np.sin(x), (x: A) => [np.stack([x, x]), x], (_r: A, c: A) => [c]);
  assert.throws(() => grad(s)(1.0), (e: unknown) => e instanceof ShapeError && /customVjp\(fn\): fwd's primal output is float32\[2\], the function's output is float32\[\]/.test((e as Error).message));
});

test("customVjp: fwd's primal output must have f's dtype and tree structure", () => {
  // float32 from fwd for f's float64: vjp's output was silently float32
  const g = customVjp((x: A) => np.sin(x), (x: A) => [np.astype(np.sin(x), 'float32'), x], (_r: A, c: A) => [c]);
  assert.throws(() => vjp(g, x2()), (e: unknown) => e instanceof DTypeError && /customVjp\(fn\): fwd's primal output is float32\[2\], the function's output is float64\[2\]/.test((e as Error).message));
  assert.throws(() => jit(g)(x2()), DTypeError);
  // [[sin x], x]: the primal output is a list of one, f's a leaf (the error blamed bwd)
  const t = customVjp((x: A) => np.sin(x), (x: A) => [[np.sin(x)], x], (_r: A, c: A) => [c]);
  assert.throws(() => grad(t)(1.0), (e: unknown) => e instanceof ValueError && /customVjp\(fn\): fwd's primal output has structure \[\*\], the function's output has \*/.test((e as Error).message));
});

test("customVjp: matching fwd outputs still work (JS numbers weakly typed, fwd calling f, value-reading f eagerly)", () => {
  // d/dx sin(x) = cos(x)
  const good = customVjp((x: A) => np.sin(x), (x: A) => [np.sin(x), np.cos(x)], (r: A, c: A) => [np.multiply(r, c)]);
  close(grad((x: A) => np.sum(good(x)))(x2()).tolist() as number[], [Math.cos(1), Math.cos(2)]);
  close(jit(grad((x: A) => np.sum(good(x))))(x2()).tolist() as number[], [Math.cos(1), Math.cos(2)]);
  close(vmap(grad((x: A) => np.sum(good(x))))(f64([[1, 2], [3, 4]])).tolist() as any, [Math.cos(1), Math.cos(2), Math.cos(3), Math.cos(4)]);
  // fwd returns the JS number 0.5 where f returns a float64 scalar: fine, and the output is float64
  const n = customVjp((x: A) => np.sin(x), (x: A) => [0.5, x], (_r: A, c: A) => [c]);
  const [out] = vjp(n, f64(1));
  assert.equal(out.dtype, 'float64'); close(out.item() as number, 0.5);
  // ... but not for f's int32, nor for f's [2]
  const ni = customVjp((x: A) => np.astype(x, 'int32'), (x: A) => [0.5, x], (_r: A, _c: A) => [null]);
  assert.throws(() => vjp(ni, f64(1)), (e: unknown) => e instanceof DTypeError && /fwd's primal output is the JS number 0.5, the function's output is int32\[\]/.test((e as Error).message));
  // f returns a JS number, fwd a float64 scalar
  const c = customVjp((_x: A) => 2.5, (x: A) => [f64(2.5), x], (r: A, _c: A) => [np.zerosLike(r)]);
  close(grad(c)(f64(1)).item() as number, 0);
  // JAX's tutorial form: fwd calls the custom function itself
  const tut = customVjp((x: A) => np.sin(x));
  tut.defvjp((x: A) => [tut(x), np.cos(x)], (r: A, g: A) => [np.multiply(r, g)]);
  close(grad(tut)(f64(1)).item() as number, Math.cos(1));
  // an f that reads a value cannot be traced abstractly: eagerly it runs on the call's values
  const vr = customVjp((x: A) => ((x.item() as number) > 0 ? np.sin(x) : np.cos(x)), (x: A) => [np.sin(x), x], (_r: A, c: A) => [np.multiply(c, 2)]);
  close(grad(vr)(f64(1)).item() as number, 2);
});

test('customJvp: a rule whose tangent output is not linear is a ValueError naming it under reverse mode', () => {
  const f = customJvp((y: A) => np.sin(y), ([y]: A[], [dy]: A[]) => [np.sin(y), np.multiply(dy, dy)]);
  const re = /customJvp\(fn\): the rule's tangent output is not linear in the input tangents/;
  const is = (e: unknown) => e instanceof ValueError && !(e instanceof InternalError) && re.test((e as Error).message);
  assert.throws(() => grad(f)(1.0), is);
  assert.throws(() => vjp(f, 1.0), is);
  assert.throws(() => jacrev(f)(x2()), is);
  assert.throws(() => jit(grad(f))(1.0), is);
  assert.throws(() => vmap(grad(f))(x2()), is);
  // linearize promises a linear map: its jvpFn gave 9 (dy * dy at dy = 3), which is none
  assert.throws(() => linearize(f, 1.0), is);
  close(jvp(f, [3.0], [3.0])[1].item() as number, 9); // forward mode: the rule as given, dy * dy = 9
  // a linear rule that reads a primal value (so it cannot run abstractly) still differentiates eagerly: cos(1)
  const r = customJvp((y: A) => np.sin(y), ([y]: A[], [dy]: A[]) => [np.sin(y), np.multiply((y.item() as number) > 0 ? np.cos(y) : 0, dy)]);
  close(grad(r)(f64(1)).item() as number, Math.cos(1));
  // the library keeps working: d/dx sin(x) = cos(x)
  close(grad((x: A) => np.sin(x))(f64(1)).item() as number, Math.cos(1));
  // a linear rule in two arguments, and a product with a zero tangent (not a linear value), are fine:
  // d(ab) = b da + a db at (2, 3) gives [3, 2]; da * db with db zero gives 0
  const m = customJvp((a: A, b: A) => np.multiply(a, b), ([a, b]: A[], [da, db]: A[]) => [np.multiply(a, b), np.add(np.multiply(da, b), np.multiply(a, db))]);
  close((grad(m, { argnums: [0, 1] })(f64(2), f64(3)) as A[]).map((g) => g.item() as number), [3, 2]);
  const bil = customJvp((a: A, b: A) => np.multiply(a, b), ([a, b]: A[], [da, db]: A[]) => [np.multiply(a, b), np.multiply(da, db)]);
  close(grad((a: A) => bil(a, f64(3)))(f64(2)).item() as number, 0);
});

test("customJvp: a nondiff argument is behind stop_gradient (JAX's custom_jvp), not a TracerError", () => {
  const j = customJvp((s: A, x: A) => np.multiply(x, s), { nondiffArgnums: [0] });
  j.defjvp((s: A, [x]: A[], [dx]: A[]) => [np.multiply(x, s), np.multiply(dx, s)]);
  // d/ds j(s, 2) = 0 (s is not differentiated); d/dx j(x, x) = s = 3 (only the diff slot)
  close(grad((s: A) => j(s, 2.0))(3.0).item() as number, 0);
  close(grad((x: A) => j(x, x))(3.0).item() as number, 3);
  close(jit(grad((s: A) => j(s, 2.0)))(3.0).item() as number, 0);
  close(jit(grad((x: A) => j(x, x)))(3.0).item() as number, 3);
  close(vmap(grad((s: A) => j(s, 2.0)))(x2()).tolist() as number[], [0, 0]);
  close(jvp((s: A) => j(s, 2.0), [3.0], [1.0])[1].item() as number, 0);
  close(j(f64(3), 2.0).item() as number, 6);
  // customVjp still refuses a traced nondiff argument, as JAX does
  const v = customVjp((s: A, x: A) => np.multiply(x, s), (s: A, x: A) => [np.multiply(x, s), null], (s: A, _r: null, c: A) => [np.multiply(c, s)], { nondiffArgnums: [0] });
  assert.throws(() => grad((s: A) => v(s, 2.0))(3.0), (e: unknown) => e instanceof TracerError && /nondiffArgnums, holds a traced Array/.test((e as Error).message));
});

test('extra positional arguments are a ValueError naming the function; hvp without v says tangents missing', () => {
  const f = (x: A) => np.sum(np.sin(x));
  assert.throws(() => (hvp(f) as any)(x2(), x2(), x2()), (e: unknown) => e instanceof ValueError && /hvp\(f\): takes 2 arguments \(primals, tangents\), got 3/.test((e as Error).message));
  assert.throws(() => (hvp(f) as any)(x2()), (e: unknown) => e instanceof ValueError && /hvp\(f\)\(primals, tangents\): tangents missing/.test((e as Error).message));
  // H = diag(-sin x), so H v at x = v = [1, 2] is [-sin 1, -2 sin 2]
  close(hvp(f)(x2(), x2()).tolist() as number[], [-Math.sin(1), -2 * Math.sin(2)]);
  const g = (x: A) => np.sin(x);
  assert.throws(() => (checkpoint(g) as any)(x2(), 5), (e: unknown) => e instanceof ValueError && /checkpoint\(g\): g takes 1 argument \(x\), got 2/.test((e as Error).message));
  assert.throws(() => (jit(checkpoint(g)) as any)(x2(), 5), (e: unknown) => e instanceof ValueError && /checkpoint\(g\): g takes 1 argument \(x\), got 2/.test((e as Error).message));
  close(checkpoint(g)(x2()).tolist() as number[], [Math.sin(1), Math.sin(2)]);
  const cj = customJvp(g, ([x]: A[], [t]: A[]) => [np.sin(x), np.multiply(np.cos(x), t)]);
  const cv = customVjp(g, (x: A) => [np.sin(x), x], (r: A, c: A) => [np.multiply(np.cos(r), c)]);
  for (const [name, h] of [['customJvp', cj], ['customVjp', cv]] as const) {
    const re = new RegExp(`${name}\\(g\\): g takes 1 argument \\(x\\), got 2`);
    assert.throws(() => (h as any)(x2(), 5), (e: unknown) => e instanceof ValueError && re.test((e as Error).message));
    assert.throws(() => grad((x: A) => np.sum((h as any)(x, 5)))(x2()), (e: unknown) => e instanceof ValueError && re.test((e as Error).message));
  }
  // a rest parameter takes any number
  const rest = customJvp((...xs: A[]) => np.sin(xs[0]), ([x]: A[], [t]: A[]) => [np.sin(x), np.multiply(np.cos(x), t)]);
  close((rest as any)(f64(1), 5).item() as number, Math.sin(1));
  assert.throws(() => (tidy as any)(() => 1, { zz: 1 }), (e: unknown) => e instanceof ValueError && /tidy: takes one argument \(fn/.test((e as Error).message));
  assert.equal(tidy(() => 1), 1);
});
