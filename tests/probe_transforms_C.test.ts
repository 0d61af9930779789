// Probe of transform composition (helper-C). The fix: vjp / linearize (and their WithAux forms)
// take no options, so vjp(f, x, { hasAux: true }) (JAX's has_aux keyword written as an object)
// traced the object as a primal: a DTypeError on its boolean leaf, or, for { argnums: 0 }, one
// more differentiated argument with no error at all; and linearize(f1, x, { hasAux: true }) was
// told "options go to the transform, linearize(f, { hasAux })", an option linearize refuses.
// The rest pins composition results found right, each against a hand-derived closed form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, jvp, vjp, vjpWithAux, linearize, linearizeWithAux, jacfwd, jacrev, hessian, vmap, jit, customVjp, ValueError } from '../ts/index.ts';

const f64 = (x: unknown) => np.array(x as number[], { dtype: 'float64' });
const close = (got: unknown, want: unknown, tol = 1e-12) => {
  const g = (got as { tolist(): unknown }).tolist();
  const flatG = [g].flat(Infinity) as number[], flatW = [want].flat(Infinity) as number[];
  assert.equal(JSON.stringify(np.asarray(got as never).shape), JSON.stringify(np.asarray(want as never).shape));
  flatW.forEach((w, i) => assert.ok(Math.abs(flatG[i] - w) <= tol * (1 + Math.abs(w)), `entry ${i}: ${flatG[i]} vs ${w}`));
};

test('vjp / linearize: an options object among the primals is refused, saying what to write', () => {
  const x = f64(2);
  const two = (a: any, _b: any) => [np.sin(a), 1];
  // (before: DTypeError "argument 1.hasAux has dtype bool")
  assert.throws(() => (vjp as any)(two, x, { hasAux: true }), (e: unknown) => e instanceof ValueError && /vjpWithAux\(f, \.\.\.primals\)/.test((e as Error).message));
  assert.throws(() => (vjp as any)((...a: any[]) => [np.sin(a[0]), 1], x, { hasAux: true }), (e: unknown) => e instanceof ValueError && /vjpWithAux/.test((e as Error).message));
  // (before: no error; { argnums: 0 } was a second primal, its cotangent returned beside x's)
  assert.throws(() => (vjp as any)((a: any, _b: any) => a, x, { argnums: 0 }), (e: unknown) => e instanceof ValueError && /vjp takes no options/.test((e as Error).message));
  assert.throws(() => (linearize as any)((a: any, _b: any) => a, x, { argnums: 1 }), (e: unknown) => e instanceof ValueError && /linearize takes no options/.test((e as Error).message));
  // (before: "options go to the transform, linearize(f, { hasAux })", which linearize refuses)
  assert.throws(() => (linearize as any)((a: any) => [np.sin(a), 1], x, { hasAux: true }), (e: unknown) => e instanceof ValueError && /linearizeWithAux\(f, \.\.\.primals\)/.test((e as Error).message));
  assert.throws(() => (linearizeWithAux as any)(two, x, { hasAux: true }), (e: unknown) => e instanceof ValueError && /linearizeWithAux takes no options/.test((e as Error).message));
  assert.throws(() => (vjpWithAux as any)(two, x, { hasAux: true }), (e: unknown) => e instanceof ValueError && /vjpWithAux takes no options/.test((e as Error).message));
  // a pytree primal of other keys is still a primal: d/da (a * b) = b, d/db = a
  const [, pb] = vjp((p: any) => np.multiply(p.a, p.b), { a: f64(3), b: f64(5) });
  const [ct] = pb(f64(1)) as any;
  close(ct.a, 5); close(ct.b, 3);
});

test('nested derivatives do not confuse perturbations (closed forms)', () => {
  // d/dx [d/dy (x y)] = 1, through grad, jit and vmap of the inner transform
  close(grad((x: any) => grad((y: any) => np.multiply(x, y))(f64(3)))(f64(2)), 1);
  close(grad((x: any) => grad(jit((y: any) => np.multiply(x, y)))(f64(3)))(f64(2)), 1);
  close(jacfwd((x: any) => jacrev((y: any) => np.multiply(x, y))(f64(3)))(f64(2)), 1);
  close(vmap((x: any) => grad((y: any) => np.multiply(x, np.square(y)))(f64(3)))(f64([1, 2])), [6, 12]);
  // customVjp closing over the outer x, differentiated in its own argument only: d/dx d/dy (x y) = 1
  const cv = (x: any) => customVjp((y: any) => np.multiply(x, y), (y: any) => [np.multiply(x, y), null], (_r: any, g: any) => [np.multiply(x, g)]);
  close(grad((x: any) => grad(cv(x))(f64(3)))(f64(2)), 1);
  // an aux that depends on the outer x is differentiated by the outer grad: d/dx (x * 3^2) = 9
  close(grad((x: any) => jacfwd((y: any) => [np.multiply(x, y), np.multiply(x, np.square(y))], { hasAux: true })(f64(3))[1])(f64(2)), 9);
  close(grad((x: any) => vjpWithAux((y: any) => [np.multiply(x, y), np.multiply(x, np.square(y))], f64(3))[2])(f64(2)), 9);
});

test('Jacobian layout follows JAX: out.shape ++ in.shape, nested per argnum', () => {
  // f(a, b, c) = a^2 b c: d/dc = a^2 b = 12, d/da = 2 a b c = 60; hessian's [[c,c],[c,a]] blocks
  const f = (a: any, b: any, c: any) => np.multiply(np.multiply(np.square(a), b), c);
  const a = f64(2), b = f64(3), c = f64(5);
  for (const J of [jacfwd(f, [-1, 0]), jacrev(f, [-1, 0])]) {
    const [jc, ja] = J(a, b, c) as any;
    close(jc, 12); close(ja, 60);
  }
  const H = hessian(f, [-1, 0])(a, b, c) as any;
  close(H[0][0], 0); close(H[0][1], 12); close(H[1][0], 12); close(H[1][1], 30);
  // d(M M)_{ij}/dM_{kl} = delta_ik M_lj + M_ik delta_jl, shape [2, 2, 2, 2]
  const M = [[1, 2], [3, 4]];
  const want = [0, 1].map((i) => [0, 1].map((j) => [0, 1].map((k) => [0, 1].map((l) => (i === k ? M[l][j] : 0) + (j === l ? M[i][k] : 0)))));
  close(jacrev((m: any) => np.matmul(m, m))(f64(M)), want);
  close(jacfwd((m: any) => np.matmul(m, m))(f64(M)), want);
  // vmap of jacrev with the batch moved to the end: per example diag(2 v), batch at axis 2
  close(vmap(jacrev((v: any) => np.square(v)), { outAxes: 2 })(f64([[1, 2], [3, 4], [5, 6]])),
    [[[2, 6, 10], [0, 0, 0]], [[0, 0, 0], [4, 8, 12]]]);
});

test('linearize and vjp functions reused many times, and under vmap / jit / grad', () => {
  // f(a) = sin(a a): J = diag(2 a cos(a^2))
  const [, lf] = linearize((a: any) => np.sin(np.multiply(a, a)), f64([1, 2]));
  for (let i = 0; i < 50; i++) lf(f64([i, 1]));
  close(lf(f64([3, 1])), [3 * 2 * Math.cos(1), 4 * Math.cos(4)]);
  close(vmap(lf)(f64([[1, 0], [0, 1]])), [[2 * Math.cos(1), 0], [0, 4 * Math.cos(4)]]);
  close(jit(lf)(f64([1, 1])), [2 * Math.cos(1), 4 * Math.cos(4)]);
  const [, pb] = vjp((v: any) => np.multiply(np.sin(v), f64([1, 2])), f64([0.1, 0.2]));
  close(jacfwd((c: any) => (pb(c) as any)[0])(f64([1, 1])), [[Math.cos(0.1), 0], [0, 2 * Math.cos(0.2)]]);
  // jvp of grad: H v for sum(a^3) is 6 a v
  close(jvp(grad((a: any) => np.sum(np.power(a, 3))), [f64([1, 2])], [f64([1, 1])])[1], [6, 12]);
});
