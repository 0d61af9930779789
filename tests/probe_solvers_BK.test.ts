// Iterative solvers through lax.customLinearSolve / customRoot, probed as a JAX user writes them
// (jax.scipy.sparse.linalg.cg is custom_linear_solve(symmetric=True) around a while_loop). helper-287.
// References: numpy (closed forms of the implicit derivative, pasted as literals), noted per case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, linalg, grad, vmap, jit, NDArray, ValueError, ShapeError, DTypeError } from '../ts/index.ts';

type A = NDArray;
const f64 = (v: unknown) => np.array(v as never, { dtype: 'float64' });
const close = (got: unknown, want: unknown, tol = 1e-12) => {
  const g = [got].flat(4) as number[], w = [want].flat(4) as number[];
  assert.equal(g.length, w.length);
  g.forEach((x, i) => assert.ok(Math.abs(x - w[i]) <= tol * (1 + Math.abs(w[i])), `element ${i}: ${x} vs ${w[i]}`));
};
const msg = (re: RegExp, cls: Function) => (e: unknown) => e instanceof cls && re.test((e as Error).message);

// JAX's _cg_solve: stop when ||r||^2 <= max(tol^2 ||b||^2, atol^2) or after maxiter steps
function cgSolve(A: (v: A) => A, b: A, tol = 1e-13, maxiter = 50) {
  const bound = np.multiply(tol * tol, np.vdot(b, b));
  const r0 = np.subtract(b, A(np.zerosLike(b)));
  const out = lax.whileLoop(
    ([, r, , , k]: A[]) => np.logicalAnd(np.greater(np.vdot(r, r), bound), np.less(k, maxiter)),
    ([x, r, gamma, p, k]: A[]) => {
      const Ap = A(p), alpha = np.divide(gamma, np.vdot(p, Ap));
      const r2 = np.subtract(r, np.multiply(alpha, Ap)), gamma2 = np.vdot(r2, r2);
      return [np.add(x, np.multiply(alpha, p)), r2, gamma2, np.add(r2, np.multiply(np.divide(gamma2, gamma), p)), np.add(k, 1)];
    },
    [np.zerosLike(b), r0, np.vdot(r0, r0), r0, np.array(0, { dtype: 'int32' })]);
  return out[0];
}
const cg = (M: A, b: A) => lax.customLinearSolve((v: A) => np.matmul(M, v), b, (mv: (v: A) => A, bb: A) => cgSolve(mv, bb), { symmetric: true });
const b = f64([1, 2]);
const loss = (M: A) => np.sum(np.square(cg(M, b)));

test('vmap(grad) of a symmetric: true solve checks every batch element (the check was skipped under vmap: a silently wrong gradient)', () => {
  const mixed = f64([[[4, 1], [1, 3]], [[2, 0.5], [-0.5, 2]]]); // the second is not symmetric
  // before: [[..], [[0.00651, 0.02931], [-0.2475, -1.1138]]] for the second; the true gradient
  // (numpy: -solve(M.T, 2x) x^T) is [[-0.1107, -0.4983], [-0.2215, -0.9965]]
  assert.throws(() => vmap(grad(loss))(mixed), msg(/lax\.customLinearSolve: symmetric: true, but matvec is not symmetric/, ValueError));
  assert.throws(() => vmap(vmap(grad(loss)))(np.stack([mixed, mixed])), msg(/not symmetric/, ValueError));
  // symmetric batches still pass, with the right numbers (numpy: -outer(solve(M.T, 2x), x), x = solve(M, [1, 2]))
  const sym = f64([[[4, 1], [1, 3]], [[2, 0.5], [0.5, 2]]]);
  const want = [[[0.006010518407212622, 0.042073628850488355], [-0.0405709992486852, -0.28399699474079637]],
    [[-0.009481481481481476, -0.033185185185185165], [-0.24651851851851853, -0.8628148148148149]]];
  close(vmap(grad(loss))(sym).tolist(), want, 1e-10);
  close(vmap(vmap(grad(loss)))(np.stack([sym, sym])).tolist(), [want, want], 1e-10);
  close(grad(loss)(np.take(sym, 1, { axis: 0 })).tolist(), want[1], 1e-10); // (and the next call works)
});

test('symmetric: true with a complex b: the symmetry check ran into np.asarray ("needs a shape"); now it checks', () => {
  const c = (re: number, im: number) => np.array({ re, im } as never, { dtype: 'complex128' });
  const A0 = np.stack([np.stack([c(3, 0), c(1, 0.5)]), np.stack([c(1, 0.5), c(2, -0.3)])]); // complex symmetric (A = A^T)
  const bc = np.stack([c(1, 1), c(2, -0.5)]);
  const dsolve = (M: A) => (_: unknown, bb: A) => linalg.solve(M, bb);
  const l = (t: A) => {
    const M = np.add(A0, np.multiply(t, np.eye(2, { dtype: 'float64' })));
    const x = lax.customLinearSolve((v: A) => np.matmul(M, v), bc, dsolve(M), { symmetric: true });
    return np.sum(np.real(np.multiply(x, np.conj(x))));
  };
  // numpy: x = solve(A0 + 0.4 I, b); d/dt sum|x|^2 = 2 Re(x^H dx), dx = -solve(A, x) (FD: -0.76903679119)
  close(grad(l)(f64(0.4)).item(), -0.7690367915027159, 1e-12);
  // a Hermitian, not symmetric, matvec is refused (its transpose is conj(A), not A)
  const H = np.stack([np.stack([c(3, 0), c(1, 0.5)]), np.stack([c(1, -0.5), c(2, 0)])]);
  const lh = (t: A) => {
    const M = np.add(H, np.multiply(t, np.eye(2, { dtype: 'float64' })));
    return np.sum(np.real(np.abs(lax.customLinearSolve((v: A) => np.matmul(M, v), bc, dsolve(M), { symmetric: true }))));
  };
  assert.throws(() => grad(lh)(f64(0.4)), msg(/symmetric: true, but matvec is not symmetric/, ValueError));
});

test("eagerly, matvec's (and customRoot's f's) output is checked against b as under grad and jit (a float32 matvec ran at float32 accuracy)", () => {
  const M = f64([[4, 1], [1, 3]]), M32 = M.astype('float32');
  const mv32 = (v: A) => np.matmul(M32, v.astype('float32'));
  const solve = (mv: (v: A) => A, bb: A) => cgSolve(mv, bb);
  const f32 = /lax\.customLinearSolve: matvec's output leaf 0 is float32\[2\], expected float64\[2\]/;
  assert.throws(() => lax.customLinearSolve(mv32, b, solve, { symmetric: true }), msg(f32, DTypeError)); // (it returned float64 values good to 1e-8)
  assert.throws(() => jit((bb: A) => lax.customLinearSolve(mv32, bb, solve, { symmetric: true }))(b), msg(f32, DTypeError));
  // a matvec returning a scalar broadcast silently: [3, 6] for b = [1, 2]
  assert.throws(() => lax.customLinearSolve((v: A) => np.sum(v), b, (mv: (v: A) => A, bb: A) => np.multiply(mv(bb), bb)),
    msg(/lax\.customLinearSolve: matvec's output leaf 0 has shape \[\], expected \[2\]/, ShapeError));
  const newton = (f: (x: A) => A, x0: A) => { let x = x0; for (let i = 0; i < 3; i++) x = np.subtract(x, np.divide(f(x), 2)); return x; };
  assert.throws(() => lax.customRoot((x: A) => np.subtract(np.square(x), 2).astype('float32'), f64(1.5), newton, (_: unknown, y: A) => y),
    msg(/lax\.customRoot: f's output leaf 0 is float32\[\], expected float64\[\]/, DTypeError));
  // the right ones still run, and match numpy.linalg.solve([[4, 1], [1, 3]], [1, 2]) = [1/11, 7/11]
  close(lax.customLinearSolve((v: A) => np.matmul(M, v), b, solve, { symmetric: true }).tolist(), [1 / 11, 7 / 11], 1e-12);
});
