// lax.customLinearSolve and lax.customRoot (JAX's custom_linear_solve / custom_root): the solver
// runs on values only, and the derivatives of every order come from the equation it solves.
// References: the same functions written with linalg.solve / closed forms, differentiated directly.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { close } from './helpers/close.ts';
import { np, lax, linalg, grad, jvp, vjp, linearize, jacfwd, jacrev, hessian, vmap, jit, NDArray, NotImplementedError, ValueError, ShapeError, DTypeError, keptTapeStats } from 'cotangent';

type A = NDArray;
const f64 = (v: number | number[] | number[][]) => np.array(v, { dtype: 'float64' });

// A dense solve built from matvec alone, as a user's solver sees the operator; the iterations of
// an iterative one would do as well: none of it is differentiated.
let solves = 0;
const denseSolve = (mv: (v: A) => A, b: A) => {
  solves++;
  const n = b.shape[0], I = np.eye(n, { dtype: 'float64' });
  const cols = Array.from({ length: n }, (_, i) => mv(np.take(I, i, { axis: 0 })));
  return linalg.solve(np.stack(cols, { axis: 1 }), b);
};
// A(θ) = [[2 + θ0, θ1], [θ1, 3]] (symmetric), and a nonsymmetric one
const sym = (t: A) => np.stack([np.stack([np.add(2, np.take(t, 0)), np.take(t, 1)]), np.stack([np.take(t, 1), f64(3)])]);
const nonsym = (t: A) => np.stack([np.stack([np.add(2, np.take(t, 0)), np.take(t, 1)]), np.stack([np.multiply(-0.5, np.take(t, 1)), np.add(3, np.square(np.take(t, 0)))])]);
const c = f64([0.7, -1.3]), b = f64([1, 2]);
const implicitLoss = (Af: (t: A) => A, symmetric: boolean) => (t: A) => {
  const M = Af(t);
  const x = lax.customLinearSolve((v: A) => np.matmul(M, v), b, denseSolve, symmetric ? null : denseSolve, { symmetric });
  return np.sum(np.multiply(x, c));
};
const directLoss = (Af: (t: A) => A) => (t: A) => np.sum(np.multiply(linalg.solve(Af(t), b), c));

describe('customLinearSolve', () => {
  for (const [name, Af, symmetric] of [['symmetric', sym, true], ['nonsymmetric (transposeSolve)', nonsym, false]] as const) {
    const imp = implicitLoss(Af, symmetric), ref = directLoss(Af);
    const t = f64([0.4, 0.5]), v = f64([1, -2]);
    test(`${name}: value and every derivative equal the directly differentiated solve`, () => {
      close(imp(t).item(), ref(t).item());
      close(grad(imp)(t).tolist(), grad(ref)(t).tolist());
      close(jvp(imp, [t], [v])[1].item(), jvp(ref, [t], [v])[1].item());
      close(hessian(imp)(t).tolist(), hessian(ref)(t).tolist(), 1e-11);
      close(jvp(grad(imp), [t], [v])[1].tolist(), jvp(grad(ref), [t], [v])[1].tolist(), 1e-11);
      close(grad((s: A) => np.sum(np.multiply(grad(imp)(s), v)))(t).tolist(), grad((s: A) => np.sum(np.multiply(grad(ref)(s), v)))(t).tolist(), 1e-11);
      // third order: jvp of the hessian
      close(jvp(hessian(imp), [t], [v])[1].tolist(), jvp(hessian(ref), [t], [v])[1].tolist(), 1e-10);
    });
    test(`${name}: vmap, jit, jacfwd, jacrev`, () => {
      const T = f64([[0.4, 0.5], [0.1, -0.3], [1, 0.2]]);
      close(vmap(imp)(T).tolist(), vmap(ref)(T).tolist());
      close(vmap(grad(imp))(T).tolist(), vmap(grad(ref))(T).tolist());
      close(vmap(hessian(imp))(T).tolist(), vmap(hessian(ref))(T).tolist(), 1e-11);
      close(jit(hessian(imp))(t).tolist(), hessian(ref)(t).tolist(), 1e-11);
      const xOf = (s: A) => lax.customLinearSolve((u: A) => np.matmul(Af(s), u), b, denseSolve, denseSolve, { symmetric });
      close(jacfwd(xOf)(t).tolist(), jacfwd((s: A) => linalg.solve(Af(s), b))(t).tolist());
      close(jacrev(xOf)(t).tolist(), jacfwd((s: A) => linalg.solve(Af(s), b))(t).tolist());
    });
  }
  test('the derivative with respect to b', () => {
    const M = nonsym(f64([0.3, 0.2]));
    const g = grad((bb: A) => np.sum(np.multiply(lax.customLinearSolve((u: A) => np.matmul(M, u), bb, denseSolve, denseSolve), c)))(b);
    close(g.tolist(), grad((bb: A) => np.sum(np.multiply(linalg.solve(M, bb), c)))(b).tolist());
  });
  test('the solver is not differentiated: a solver with a wrong derivative still gives the right one', () => {
    // Newton-free fixed point: x = b / diag, refined by one exact solve whose gradient path is cut
    const cutSolve = (mv: (v: A) => A, bb: A) => np.add(lax.stopGradient(denseSolve(mv, bb)), np.multiply(0, bb));
    const imp = (t: A) => np.sum(np.multiply(lax.customLinearSolve((u: A) => np.matmul(sym(t), u), b, cutSolve, null, { symmetric: true }), c));
    close(grad(imp)(f64([0.4, 0.5])).tolist(), grad(directLoss(sym))(f64([0.4, 0.5])).tolist());
  });
  test('outside transforms it is solve(matvec, b); hasAux returns [x, aux]', () => {
    solves = 0;
    const M = sym(f64([0, 0]));
    close(lax.customLinearSolve((u: A) => np.matmul(M, u), b, denseSolve).tolist(), linalg.solve(M, b).tolist());
    assert.equal(solves, 1);
    const [x, aux] = lax.customLinearSolve((u: A) => np.matmul(M, u), b, (mv: (v: A) => A, bb: A) => [denseSolve(mv, bb), 'iters: 1'], null, { hasAux: true });
    close(x.tolist(), linalg.solve(M, b).tolist());
    assert.equal(aux, 'iters: 1');
  });
  test('hasAux under grad, jvp and hessian: the rule solves with x alone (solve and transposeSolve both return [x, aux], as in JAX)', () => {
    const withAux = (s: (mv: (v: A) => A, bb: A) => A) => (mv: (v: A) => A, bb: A) => [s(mv, bb), 'diagnostics'];
    for (const [Af, symmetric] of [[sym, true], [nonsym, false]] as const) {
      const imp = (t: A) => {
        const [x, aux] = lax.customLinearSolve((u: A) => np.matmul(Af(t), u), b, withAux(denseSolve), symmetric ? null : withAux(denseSolve), { symmetric, hasAux: true });
        assert.equal(aux, 'diagnostics');
        return np.sum(np.multiply(x, c));
      };
      const t = f64([0.4, 0.5]), ref = directLoss(Af);
      close(grad(imp)(t).tolist(), grad(ref)(t).tolist());
      close(jvp(imp, [t], [f64([1, -2])])[1].item(), jvp(ref, [t], [f64([1, -2])])[1].item());
      close(hessian(imp)(t).tolist(), hessian(ref)(t).tolist(), 1e-11);
    }
    // a transposeSolve without its aux is named
    const bad = (t: A) => np.sum(lax.customLinearSolve((u: A) => np.matmul(nonsym(t), u), b, withAux(denseSolve), denseSolve, { hasAux: true })[0]);
    assert.throws(() => grad(bad)(f64([0.4, 0.5])), (e: unknown) => e instanceof ValueError && /transposeSolve must return \[x, aux\]/.test((e as Error).message));
  });
  test('grad of a vmap around the solve whose matvec closes over unbatched values (b batched): the staged solve batches', () => {
    const B = f64([[1, 2], [-0.5, 0.3], [2, -1]]);
    for (const [Af, symmetric] of [[sym, true], [nonsym, false]] as const) {
      const imp = (t: A) => np.sum(np.sin(vmap((bb: A) => lax.customLinearSolve((u: A) => np.matmul(Af(t), u), bb, denseSolve, symmetric ? null : denseSolve, { symmetric }))(B)));
      const ref = (t: A) => np.sum(np.sin(vmap((bb: A) => linalg.solve(Af(t), bb))(B)));
      const t = f64([0.4, 0.5]);
      close(grad(imp)(t).tolist(), grad(ref)(t).tolist());
      close(jit(grad(imp))(t).tolist(), grad(ref)(t).tolist());
      close(hessian(imp)(t).tolist(), hessian(ref)(t).tolist(), 1e-11);
      const M = Af(t);
      const ofB = (bs: A) => np.sum(np.sin(vmap((bb: A) => lax.customLinearSolve((u: A) => np.matmul(M, u), bb, denseSolve, symmetric ? null : denseSolve, { symmetric }))(bs)));
      close(grad(ofB)(B).tolist(), grad((bs: A) => np.sum(np.sin(vmap((bb: A) => linalg.solve(M, bb))(bs))))(B).tolist());
    }
  });
  test("matvec's output (and customRoot's f's) must match b (the initial guess) in shape and dtype, as in JAX: not broadcast", () => {
    // matvec summing where it should multiply: before, grad gave -1.5 silently (broadcast into the rule)
    const bad = (t: A) => np.sum(lax.customLinearSolve((v: A) => np.multiply(t, np.sum(v)), b, (_mv: (v: A) => A, bb: A) => np.divide(bb, t), { symmetric: true }));
    assert.throws(() => grad(bad)(f64(2)), (e: unknown) => e instanceof ShapeError && /lax.customLinearSolve: matvec's output leaf 0 is float64\[\], expected float64\[2\]/.test((e as Error).message));
    assert.throws(() => jvp(bad, [f64(2)], [f64(1)]), ShapeError);
    const f32mv = (t: A) => np.sum(lax.customLinearSolve((v: A) => np.astype(np.multiply(t, v), 'float32'), b, (_mv: (v: A) => A, bb: A) => np.divide(bb, t), { symmetric: true }));
    assert.throws(() => grad(f32mv)(f64(2)), (e: unknown) => e instanceof DTypeError && /matvec's output leaf 0 is float32\[2\], expected float64\[2\]/.test((e as Error).message));
    const root = (t: A) => np.sum(lax.customRoot((x: A) => np.sum(np.subtract(np.square(x), t)), f64([1, 1]), (_f: unknown, _g: A) => np.sqrt(np.broadcastTo(np.divide(t, 2), [2])), (_g: unknown, y: A) => y));
    assert.throws(() => grad(root)(f64(2)), (e: unknown) => e instanceof ShapeError && /lax.customRoot: f's output leaf 0 is float64\[\], expected float64\[2\]/.test((e as Error).message));
    close(grad(implicitLoss(sym, true))(f64([0.4, 0.5])).tolist(), grad(directLoss(sym))(f64([0.4, 0.5])).tolist()); // and the next call works
  });
  test("linearize's jvpFn through a solve is refused naming lax.customLinearSolve, not a customVjp the user never wrote", () => {
    const [y, jvpFn] = linearize(implicitLoss(sym, true), f64([0.4, 0.5]));
    close(y.item(), directLoss(sym)(f64([0.4, 0.5])).item());
    assert.throws(() => jvpFn(f64([1, 0])), (e: unknown) => e instanceof NotImplementedError && /linearize: .*lax\.customLinearSolve's solve/.test((e as Error).message) && !/customVjp/.test((e as Error).message));
    close(jvp(implicitLoss(sym, true), [f64([0.4, 0.5])], [f64([1, 0])])[1].item(), jvp(directLoss(sym), [f64([0.4, 0.5])], [f64([1, 0])])[1].item());
  });
  test('reverse mode of a nonsymmetric solve keeps no tape: the vecmat pullbacks are freed at once (a sync loop never yields to the GC)', () => {
    const imp = implicitLoss(nonsym, false), t = f64([0.4, 0.5]);
    grad(imp)(t).dataSync();
    const before = keptTapeStats().registered;
    for (let i = 0; i < 50; i++) grad(imp)(t).dataSync(); // was 2 more kept tapes per call (one per vecmat)
    assert.equal(keptTapeStats().registered, before);
    const root = (th: A) => lax.customRoot((x: A) => np.subtract(np.square(x), th), f64([1, 1]), (f: (x: A) => A, x0: A) => newton(f, x0), (g: (v: A) => A, y: A) => np.divide(y, g(np.onesLike(y))));
    for (let i = 0; i < 50; i++) grad((th: A) => np.sum(root(th)))(f64([2, 3])).dataSync();
    assert.equal(keptTapeStats().registered, before);
    close(grad(imp)(t).tolist(), grad(directLoss(nonsym))(t).tolist());
  });
  test('reverse mode without transposeSolve (not symmetric) is refused, as in JAX; the errors name the cases', () => {
    const noT = (t: A) => np.sum(lax.customLinearSolve((u: A) => np.matmul(nonsym(t), u), b, denseSolve));
    assert.throws(() => grad(noT)(f64([0.4, 0.5])), (e: unknown) => e instanceof NotImplementedError && /transposeSolve/.test((e as Error).message));
    close(jvp(noT, [f64([0.4, 0.5])], [f64([1, 0])])[1].item(), jvp((t: A) => np.sum(linalg.solve(nonsym(t), b)), [f64([0.4, 0.5])], [f64([1, 0])])[1].item());
    const [, pb] = vjp(implicitLoss(sym, true), f64([0.4, 0.5]));
    assert.throws(() => pb(f64(1)), (e: unknown) => e instanceof NotImplementedError && /pullback called after vjp returned/.test((e as Error).message));
    assert.throws(() => lax.customLinearSolve(3 as any, b, denseSolve), ValueError);
    assert.throws(() => lax.customLinearSolve((u: A) => u, b, denseSolve, null, { symetric: true } as any), ValueError);
  });
});

// sqrt(θ) as the root of x^2 - θ by Newton's method (its iterations are not differentiated)
const newton = (f: (x: A) => A, x0: A) => {
  let x = x0;
  for (let i = 0; i < 40; i++) x = np.subtract(x, np.divide(f(x), grad((z: A) => np.sum(f(z)))(x)));
  return x;
};
const scalarSolve = (g: (x: A) => A, y: A) => np.divide(y, g(np.onesLike(y)));
const sqrtRoot = (th: A) => lax.customRoot((x: A) => np.subtract(np.square(x), th), f64(1), newton, scalarSolve);

describe('customRoot', () => {
  test('sqrt by Newton: derivatives to third order in every mode against the closed form', () => {
    const th = 2, d = [0.5 * th ** -0.5, -0.25 * th ** -1.5, 0.375 * th ** -2.5];
    close(sqrtRoot(f64(th)).item(), Math.SQRT2, 1e-15);
    close(grad(sqrtRoot)(f64(th)).item(), d[0]);
    close(jvp(sqrtRoot, [f64(th)], [f64(1)])[1].item(), d[0]);
    close(grad(grad(sqrtRoot))(f64(th)).item(), d[1]);
    close(hessian(sqrtRoot)(f64(th)).item(), d[1]);
    close(jvp(grad(sqrtRoot), [f64(th)], [f64(1)])[1].item(), d[1]);
    close(grad(grad(grad(sqrtRoot)))(f64(th)).item(), d[2], 1e-11);
    close(jit(grad(sqrtRoot))(f64(th)).item(), d[0]);
    close(vmap(grad(sqrtRoot))(f64([1, 4, 9])).tolist(), [0.5, 0.25, 1 / 6]);
  });
  test('hasAux under grad and hessian: the rule re-solves with x alone', () => {
    const newtonAux = (f: (x: A) => A, x0: A) => [newton(f, x0), { iterations: 40 }];
    const r = (th: A) => {
      const [x, aux] = lax.customRoot((x: A) => np.subtract(np.square(x), th), f64(1), newtonAux, scalarSolve, { hasAux: true });
      assert.deepEqual(aux, { iterations: 40 });
      return x;
    };
    close(grad(r)(f64(2)).item(), 0.5 * 2 ** -0.5);
    close(hessian(r)(f64(2)).item(), -0.25 * 2 ** -1.5);
    close(jvp(r, [f64(2)], [f64(1)])[1].item(), 0.5 * 2 ** -0.5);
  });
  test('an inexact solver (3 Newton steps): the derivative is taken at the value returned, as JAX re-solves from the initial guess', () => {
    const newton3 = (f: (x: A) => A, x0: A) => lax.foriLoop(0, 3, (_i: unknown, x: A) => np.subtract(x, np.divide(f(x), np.multiply(2, x))), x0);
    const r = (th: A, g: A) => lax.customRoot((x: A) => np.subtract(np.square(x), th), g, newton3, scalarSolve);
    const x3 = (th: number, g: number) => { let x = g; for (let i = 0; i < 3; i++) x = x - (x * x - th) / (2 * x); return x; };
    const d1 = (th: number, g: number) => 1 / (2 * x3(th, g)), d2 = (th: number, g: number) => -1 / (4 * x3(th, g) ** 3);
    close(r(f64(5), f64(1)).item(), x3(5, 1));
    close(grad(r)(f64(5), f64(1)).item(), d1(5, 1)); // was 1/(2 sqrt 5) = 0.2236068, the derivative 3 steps further on
    close(jvp((th: A) => r(th, f64(1)), [f64(5)], [f64(1)])[1].item(), d1(5, 1));
    close(hessian(r)(f64(5), f64(1)).item(), d2(5, 1));
    close(jit(grad(r))(f64(5), f64(1)).item(), d1(5, 1));
    close(vmap(grad(r))(f64([5, 7]), f64([1, 2])).tolist(), [d1(5, 1), d1(7, 2)]);
    // a guess computed from θ: its own derivative is not taken (JAX's custom_root ignores it)
    close(grad((th: A) => r(th, np.multiply(th, 0.5)))(f64(5)).item(), d1(5, 2.5));
    close(hessian((th: A) => r(th, np.multiply(th, 0.5)))(f64(5)).item(), d2(5, 2.5));
  });
  test("a JS number initial guess is weakly typed (JAX's 1.0): it takes the dtype of solve's float result", () => {
    const newtonJs = (f: (x: A) => A, g: number) => newton(f, np.asarray(g));
    const r = (th: A) => lax.customRoot((x: A) => np.subtract(np.square(x), th), 1, newtonJs, scalarSolve);
    close(grad(r)(f64(2)).item(), 0.5 * 2 ** -0.5); // was DTypeError: solve's result leaf 0 is float64[], expected float32[]
    close(hessian(r)(f64(2)).item(), -0.25 * 2 ** -1.5);
    close(vmap(grad(r))(f64([2, 4])).tolist(), [0.5 * 2 ** -0.5, 0.25]);
    assert.equal(grad(r)(np.array(2, { dtype: 'float32' })).dtype, 'float32');
  });
  test('a vector root with a Jacobian tangentSolve: x = tanh(W x) + θ against its implicit derivative', () => {
    const W = f64([[0.3, -0.2], [0.1, 0.4]]);
    const F = (th: A) => (x: A) => np.subtract(np.subtract(x, np.tanh(np.matmul(W, x))), th);
    const fixedPoint = (f: (x: A) => A, x0: A) => { let x = x0; for (let i = 0; i < 200; i++) x = np.subtract(x, f(x)); return x; };
    const tangentSolve = (g: (v: A) => A, y: A) => linalg.solve(jacfwd(g)(y), y);
    const x = (th: A) => lax.customRoot(F(th), f64([0, 0]), fixedPoint, tangentSolve);
    const th = f64([0.2, -0.1]);
    // dx/dθ = (I - diag(1 - tanh^2(W x)) W)^-1, computed here from the root by hand
    const xs = x(th).tolist() as number[];
    const Wx = [0.3 * xs[0] - 0.2 * xs[1], 0.1 * xs[0] + 0.4 * xs[1]];
    const s = Wx.map((u) => 1 - Math.tanh(u) ** 2);
    const M = [[1 - s[0] * 0.3, s[0] * 0.2], [-s[1] * 0.1, 1 - s[1] * 0.4]];
    const det = M[0][0] * M[1][1] - M[0][1] * M[1][0];
    const inv = [[M[1][1] / det, -M[0][1] / det], [-M[1][0] / det, M[0][0] / det]];
    close(jacfwd(x)(th).tolist(), inv, 1e-10);
    close(jacrev(x)(th).tolist(), inv, 1e-10);
    // second order: the Hessian of sum(x) is symmetric and matches central differences of its gradient
    const gsum = grad((t: A) => np.sum(x(t)));
    const H = hessian((t: A) => np.sum(x(t)))(th).tolist() as number[][];
    const h = 1e-5, fd = [0, 1].map((j) => {
      const e = [0, 0]; e[j] = h;
      const up = gsum(np.add(th, f64(e))).tolist() as number[], dn = gsum(np.subtract(th, f64(e))).tolist() as number[];
      return up.map((u, i) => (u - dn[i]) / (2 * h));
    });
    close(H, [[fd[0][0], fd[1][0]], [fd[0][1], fd[1][1]]], 1e-7);
  });
});

test('outside transforms a solve of the wrong shape is an error too (it was returned silently)', () => {
  const bad = () => f64([1, 2, 3]);
  assert.throws(() => lax.customLinearSolve((v: A) => v, f64([1, 2]), bad), (e: unknown) => e instanceof Error && /customLinearSolve: solve's result leaf 0 has shape \[3\], expected \[2\]/.test((e as Error).message));
  assert.throws(() => lax.customRoot((x: A) => x, f64([1, 2]), bad, scalarSolve), /customRoot: solve's result leaf 0 has shape \[3\], expected \[2\]/);
  close(lax.customLinearSolve((v: A) => np.multiply(2, v), [1, 2], (_mv: any, bb: number[]) => bb.map((u) => u / 2)), [0.5, 1]); // (a list b is a pytree, as in JAX)
});

test('a JS number in b is weakly typed: it takes the solution\'s dtype (it was float32, so a float64 problem threw)', () => {
  // d/dt of sum(x) with A(t) = [[2 + t, 0], [0, 3]], b = [1, 2] as JS numbers: x0 = 1/(2 + t), so -1/(2 + t)^2
  const f = (t: A) => {
    const M = np.stack([np.stack([np.add(2, t), f64(0)]), np.stack([f64(0), f64(3)])]);
    const [x0, x1] = lax.customLinearSolve((v: A[]) => { const u = np.stack(v); const y = np.matmul(M, u); return [np.take(y, 0), np.take(y, 1)]; },
      [1, 2], (mv: any, bb: any) => { const u = linalg.solve(M, np.stack(bb.map((q: any) => np.asarray(q, 'float64')))); return [np.take(u, 0), np.take(u, 1)]; },
      null, { symmetric: true });
    return np.add(x0, x1);
  };
  close(grad(f)(f64(0.5)).item(), -1 / 2.5 ** 2);
});

test("JAX's positional forms: customLinearSolve(matvec, b, solve, transposeSolve, symmetric, hasAux), customRoot(..., hasAux)", () => {
  const M = f64([[2, 1], [1, 3]]), bb = f64([1, 2]);
  const want = linalg.solve(M, bb).tolist();
  close(lax.customLinearSolve((v: A) => np.matmul(M, v), bb, denseSolve, null, true).tolist(), want);
  const [x, aux] = lax.customLinearSolve((v: A) => np.matmul(M, v), bb, (mv: any, b2: A) => [denseSolve(mv, b2), 7], null, true, true);
  close(x.tolist(), want); assert.equal(aux, 7);
  close(grad((b2: A) => np.sum(lax.customLinearSolve((v: A) => np.matmul(M, v), b2, denseSolve, null, true)))(bb).tolist(),
    grad((b2: A) => np.sum(linalg.solve(M, b2)))(bb).tolist());
  const [r, it] = lax.customRoot((z: A) => np.subtract(np.square(z), f64(4)), f64(1), (f: any, g: A) => [newton(f, g), 'done'], scalarSolve, true);
  close(r.item(), 2); assert.equal(it, 'done');
  assert.throws(() => lax.customLinearSolve((v: A) => v, bb, denseSolve, null, { symmetric: true }, true as any), ValueError);
  assert.throws(() => lax.customLinearSolve((v: A) => v, bb, denseSolve, null, 'yes' as any), ValueError);
});
