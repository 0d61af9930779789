// Probe fixes (helper-245): lax.customLinearSolve / lax.customRoot outside transforms check what
// they check under them (hasAux's [x, aux] pair, the solution's dtype), and the refusal of a
// derivative of a vmap around a solve names jvp/jacfwd, not only grad.
// References: closed forms and numpy float64 (noted at each literal).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { close } from './helpers/close.ts';
import { np, lax, linalg, grad, jvp, jacfwd, hessian, vmap, jit, NDArray, ValueError, DTypeError, NotImplementedError } from '../ts/index.ts';

type A = NDArray;
const f64 = (v: number | number[] | number[][]) => np.array(v, { dtype: 'float64' });
const newton = (f: (x: A) => A, x0: A) => {
  let x = x0;
  for (let i = 0; i < 60; i++) { const [fx, dfx] = jvp(f, [x], [np.onesLike(x)]) as [A, A]; x = np.subtract(x, np.divide(fx, dfx)); }
  return x;
};
const tsolve = (g: (x: A) => A, y: A) => np.divide(y, g(np.onesLike(y)));

test('eagerly, with hasAux, a solve returning x alone is refused as under transforms (it was returned, and [x, aux] = split its rows)', () => {
  const pair = /with hasAux, solve must return \[x, aux\]/;
  const xOnly = (_mv: unknown, b: A) => np.divide(b, 2);
  assert.throws(() => lax.customLinearSolve((v: A) => np.multiply(2, v), f64([1, 2]), xOnly, null, { symmetric: true, hasAux: true }),
    (e: unknown) => e instanceof ValueError && /^lax\.customLinearSolve: /.test((e as Error).message) && pair.test((e as Error).message));
  assert.throws(() => lax.customLinearSolve((v: A) => np.multiply(2, v), f64([1, 2]), (_mv: unknown, b: A) => [np.divide(b, 2)], null, { symmetric: true, hasAux: true }),
    (e: unknown) => e instanceof ValueError && pair.test((e as Error).message));
  assert.throws(() => lax.customRoot((x: A) => np.subtract(x, 1), f64([1, 2]), (_f: unknown, g: A) => g, (_g: unknown, y: A) => y, { hasAux: true }),
    (e: unknown) => e instanceof ValueError && /^lax\.customRoot: with hasAux, solve must return \[x, aux\]/.test((e as Error).message));
  // the pair itself passes, and the next call works
  const [x, aux] = lax.customLinearSolve((v: A) => np.multiply(2, v), f64([1, 2]), (_mv: unknown, b: A) => [np.divide(b, 2), { iters: 3 }], null, { symmetric: true, hasAux: true });
  close((x as A).tolist(), [0.5, 1]);
  assert.deepEqual(aux, { iters: 3 });
});

test("eagerly, solve's result must have b's dtype, as under grad (a float32 result for a float64 b came back)", () => {
  const f32solve = (_mv: unknown, b: A) => np.astype(np.divide(b, 2), 'float32');
  assert.throws(() => lax.customLinearSolve((v: A) => np.multiply(2, v), f64([1, 2]), f32solve, null, { symmetric: true }),
    (e: unknown) => e instanceof DTypeError && /lax\.customLinearSolve: solve's result leaf 0 is float32\[2\], expected float64\[2\]/.test((e as Error).message));
  assert.throws(() => lax.customRoot((x: A) => np.subtract(np.square(x), 4), np.array(1, { dtype: 'float32' }), (_f: unknown, _g: A) => f64(2), tsolve),
    (e: unknown) => e instanceof DTypeError && /lax\.customRoot: solve's result leaf 0 is float64\[\], expected float32\[\]/.test((e as Error).message));
  // a JS number b (or guess) is weakly typed: a float64 solution is fine
  close(lax.customLinearSolve((v: A) => np.multiply(2, v), 3, (_mv: unknown, b: number) => f64(b / 2), null, { symmetric: true }).item(), 1.5);
  close(lax.customRoot((x: A) => np.subtract(np.square(x), f64(9)), 1, newton, tsolve).item(), 3);
});

test('jvp / jacfwd of a vmap around a root whose f reads batched values: the refusal names them (it named grad only)', () => {
  const cbrt = (a: A) => lax.customRoot((x: A) => np.subtract(np.power(x, 3), a), f64(1), newton, tsolve);
  for (const run of [() => jvp(vmap(cbrt), [f64([1, 8])], [f64([1, 1])]), () => jacfwd(vmap(cbrt))(f64([1, 8]))]) {
    assert.throws(run, (e: unknown) => e instanceof NotImplementedError && /derivative \(grad, jvp, jacfwd, jacrev, hessian\) of a vmap/.test((e as Error).message) && /vmap of grad, or of jvp/.test((e as Error).message));
  }
  // the supported order: vmap of jvp. d/da a^(1/3) = a^(-2/3)/3 (closed form)
  close((vmap((a: A) => jvp(cbrt, [a], [f64(1)])[1]) as any)(f64([1, 8])).tolist(), [1 / 3, 1 / 12]);
});

test('derivatives through the solves against closed forms and numpy (coverage of the probe)', () => {
  const cbrt = (a: A) => lax.customRoot((x: A) => np.subtract(np.power(x, 3), a), f64(1), newton, tsolve);
  // closed forms at a = 8: 1/12, -2/9 * 8^(-5/3), 10/27 * 8^(-8/3)
  close(grad(cbrt)(f64(8)).item(), 1 / 12);
  close(hessian(cbrt)(f64(8)).item(), -2 / 9 * 8 ** (-5 / 3));
  close(grad(grad(grad(cbrt)))(f64(8)).item(), 10 / 27 * 8 ** (-8 / 3));
  // CG written with lax.whileLoop on A(θ) = S + θ0 I + θ1 E (SPD), b(θ) = [1, θ1, 2, θ0], loss c·x
  const cg = (mv: (v: A) => A, b: A) => {
    const x0 = np.zerosLike(b), r0 = np.subtract(b, mv(x0));
    return lax.whileLoop(([, , , rs, i]: A[]) => np.logicalAnd(np.greater(rs, 1e-28), np.less(i, 200)), ([x, r, p, rs, i]: A[]) => {
      const Ap = mv(p), alpha = np.divide(rs, np.vdot(p, Ap));
      const r2 = np.subtract(r, np.multiply(alpha, Ap)), rs2 = np.vdot(r2, r2);
      return [np.add(x, np.multiply(alpha, p)), r2, np.add(r2, np.multiply(np.divide(rs2, rs), p)), rs2, np.add(i, 1)];
    }, [x0, r0, r0, np.vdot(r0, r0), np.array(0, { dtype: 'int32' })])[0];
  };
  const S = f64([[4, 1, 0, 0.5], [1, 3, 0.2, 0], [0, 0.2, 5, 1], [0.5, 0, 1, 2]]);
  const E = f64([[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]]);
  const c = f64([1, -2, 0.5, 3]);
  const imp = (t: A) => {
    const M = np.add(np.add(S, np.multiply(np.take(t, 0), np.eye(4, { dtype: 'float64' }))), np.multiply(np.take(t, 1), E));
    const b = np.stack([f64(1), np.take(t, 1), f64(2), np.take(t, 0)]);
    return np.vdot(c, lax.customLinearSolve((v: A) => np.matmul(M, v), b, cg, { symmetric: true }));
  };
  const t = f64([0.3, 0.7]);
  // numpy: c^T A^-T ... implicit formula lam·(db - dA x), lam = solve(A^T, c)
  const g = [1.9950503031078397, -1.3842498085044244];
  close(grad(imp)(t).tolist(), g, 1e-11);
  close(jit(grad(imp))(t).tolist(), g, 1e-11);
  // numpy central differences of the gradient (h = 1e-4): [[-2.51450138, 1.3506006], [1.35059963, -0.90370239]]
  close(hessian(imp)(t).tolist(), [[-2.51450138, 1.3506], [1.3506, -0.90370239]], 2e-6);
  // second batch row [0.1, -0.2]: numpy central differences [1.5434784898, -1.0742116748]
  close((vmap(grad(imp)) as any)(f64([[0.3, 0.7], [0.1, -0.2]])).tolist(), [g, [1.5434784898, -1.0742116748]], 1e-8);
  // the solution itself: numpy.linalg.solve
  assert.ok(Math.abs(imp(t).item() - -0.4361258056076004) < 1e-12);
  void linalg;
});

test('symmetric: true on a nonsymmetric matvec is refused where values are concrete (it gave a silently wrong gradient); a symmetric one passes', async () => {
  const { np: n, lax: l, grad: g, jit: j, linalg: la, ValueError: VE } = await import('../ts/index.ts');
  const A = n.array([[4, 1], [2, 3]], 'float64'), S = n.array([[4, 1], [1, 3]], 'float64');
  const loss = (M: any) => (b: any) => n.sum(n.square(l.customLinearSolve((x: any) => n.matmul(M, x), b, (_mv: any, c: any) => la.solve(M, c), undefined, { symmetric: true })));
  assert.throws(() => g(loss(A))(n.array([1, 2], 'float64')), (e: unknown) => e instanceof VE && /symmetric: true, but matvec is not symmetric/.test((e as Error).message));
  // S^-1 = [[3, -1], [-1, 4]] / 11, x = S^-1 b, d/db sum(x^2) = 2 S^-T x: at b = [1, 2], x = [1, 7] / 11, gradient [-8, 54] / 121
  const gr = g(loss(S))(n.array([1, 2], 'float64')).tolist() as number[];
  assert.ok(Math.abs(gr[0] + 8 / 121) < 1e-15 && Math.abs(gr[1] - 54 / 121) < 1e-15, String(gr));
  assert.deepEqual(j(g(loss(S)))(n.array([1, 2], 'float64')).tolist(), gr, 'under jit: trusted (nothing can be read), the same value for a symmetric one');
});
