// OTT's "Sinkhorn Divergence Hessians" notebook on cotangent: two weighted point clouds, their
// Sinkhorn divergence, and its Hessian w.r.t. the weights `a` and the locations `x`, by unrolling
// the Sinkhorn iterations and by implicit differentiation of the converged potentials.
// OTT is not a dependency: the solver below is written from OTT's definitions (its docstrings):
// - cost: squared Euclidean (PointCloud's default); epsilon 0.05 * mean(C_xy), OTT's default for a
//   geometry built without epsilon (OTT stops its gradient: here it is a number fixed at the sample),
//   shared by the three problems (`share_epsilon`);
// - reg_ot_cost(a, b) = min_P <P, C> + eps KL(P | a b^T), in the dual <a, f> + <b, g>
//   - eps (sum P - sum a sum b), P_ij = a_i b_j exp((f_i + g_j - C_ij) / eps);
// - divergence = OT(a, b) - (OT(a, a) + OT(b, b)) / 2 + eps (sum a - sum b)^2 / 2 (the last term
//   is 0 for the balanced weights here), the symmetric terms by Feydy et al.'s averaged update
//   (OTT's `symmetric_sinkhorn`: parallel updates with momentum 0.5).
// The notebook's `loss(a, x, implicit)` never reads `implicit`: both calls pass the same
// `ImplicitDiff` kwargs, so its two Hessians are one implicit computation (equal timings, zero
// difference). This port builds both paths the notebook's prose compares: unrolled iterations and
// implicit differentiation, which agree on sum-zero directions once the iterations converge.
// Checks use references outside the code under test: a plain-JS float64 Sinkhorn in the kernel
// domain scored by the primal objective (cross-checked once with numpy, below), central differences.
import { np, lax, linalg, random, grad, hessian, jacfwd, jit, NDArray } from 'cotangent';
import { expectClose, expectTrue, runIfMain, section, timeIt } from './lib/check.js';

type A = NDArray;

/** The notebook's sample: four keys of split(PRNGKey(0), 6); weights uniform + 0.1, normalized. */
function sample(n: number, m: number, dim: number): [A, A, A, A] {
  const rngs = [...random.split(random.PRNGKey(0), 6)];
  const x = random.uniform(rngs[0], [n, dim]), y = random.uniform(rngs[1], [m, dim]);
  const a = np.add(random.uniform(rngs[2], [n]), 0.1), b = np.add(random.uniform(rngs[3], [m]), 0.1);
  return [np.divide(a, np.sum(a)), x, np.divide(b, np.sum(b)), y];
}

/** C_ij = |x_i - y_j|^2. */
const sqEuclidean = (x: A, y: A) => np.sum(np.square(np.subtract(np.expandDims(x, 1), np.expandDims(y, 0))), { axis: -1 });

// ---------------------------------------------------------------- the solver, in log domain

/** The c-transform in log domain: h_j = -eps log sum_i w_i exp((p_i - C_ij) / eps), summed over `axis` of C. */
const softmin = (logw: A, p: A, C: A, eps: number, axis: 0 | 1) => {
  const pw = np.add(logw, np.divide(p, eps));
  const z = axis === 0 ? np.subtract(np.expandDims(pw, 1), np.divide(C, eps)) : np.subtract(np.expandDims(pw, 0), np.divide(C, eps));
  return np.multiply(-eps, np.logsumexp(z, { axis }));
};

/** OTT's Sinkhorn order: g from f, then f from g, starting at f = 0. */
const gFromF = (f: A, a: A, C: A, eps: number) => softmin(np.log(a), f, C, eps, 0);
const fFromG = (g: A, b: A, C: A, eps: number) => softmin(np.log(b), g, C, eps, 1);

/** The regularized cost from potentials (OTT's reg_ot_cost in the KL(P | a b^T) convention). */
function regOtCost(a: A, b: A, C: A, eps: number, f: A, g: A): A {
  const logP = np.add(np.add(np.expandDims(np.add(np.log(a), np.divide(f, eps)), 1), np.expandDims(np.add(np.log(b), np.divide(g, eps)), 0)), np.divide(np.negative(C), eps));
  const mass = np.subtract(np.sum(np.exp(logP)), np.multiply(np.sum(a), np.sum(b)));
  return np.subtract(np.add(np.vdot(a, f), np.vdot(b, g)), np.multiply(eps, mass));
}

type FixedPointMap = (z: A, ...theta: A[]) => A;

/** One Sinkhorn iteration on f (g in between): its fixed points are the optimal potentials. */
const sinkhornStep = (eps: number): FixedPointMap => (f, a, b, C) => fFromG(gFromF(f, a, C, eps), b, C, eps);
/** Feydy et al. (2019) eq. 25 for OT(a, a): f <- (f + softmin_a(f)) / 2 (f = g by symmetry). */
const symmetricStep = (eps: number): FixedPointMap => (f, a, C) => np.multiply(0.5, np.add(f, gFromF(f, a, C, eps)));
/** T recentred to mean 0. Sinkhorn's T(f + c) = T(f) + c makes I - ∂T/∂f singular (f + c is a
 * fixed point too: the gauge); recentred, the fixed point is unique, and the cost, the same for
 * every f + c when sum a = sum b, does not change. */
const recentred = (T: FixedPointMap): FixedPointMap => (z, ...theta) => {
  const t = T(z, ...theta);
  return np.subtract(t, np.mean(t));
};

/** Unrolled: `iters` steps of T from z = 0, differentiated step by step (OTT's implicit_diff=None). */
const unrolledFixedPoint = (T: FixedPointMap, iters: number) =>
  (...theta: A[]) => lax.foriLoop(0, iters, (_i, z: A) => T(z, ...theta), np.zerosLike(theta[0]));

/**
 * Implicit: z*(θ) = T(z*, θ), found by the same `iters` steps, differentiated by the implicit
 * function theorem (OTT's ImplicitDiff) with lax.customRoot (JAX's custom_root): z* is the root
 * of T(z, θ) - z, so dz = (I - ∂T/∂z)^-1 ∂T/∂θ dθ, the linear solve on the small dense system
 * (tangentSolve). The loop's steps are never differentiated, at any order: hessian =
 * jacfwd(jacrev) differentiates the formula.
 */
function implicitFixedPoint(T: FixedPointMap, iters: number): (...theta: A[]) => A {
  const iterate = (f: (z: A) => A, z0: A) => lax.foriLoop(0, iters, (_i, z: A) => np.add(z, f(z)), z0);
  const tangentSolve = (g: (v: A) => A, y: A) => linalg.solve(jacfwd(g)(y), y);
  return (...theta: A[]) => lax.customRoot((z: A) => np.subtract(T(z, ...theta), z), np.zerosLike(theta[0]), iterate, tangentSolve);
}

/** The notebook's loss(a, x, implicit): OTT's sinkhorn_divergence(PointCloud, x, y, a=a, b=b).divergence. */
function makeLoss(eps: number, iters: number, b: A, y: A) {
  const potentials = {
    unrolled: { xy: unrolledFixedPoint(sinkhornStep(eps), iters), sym: unrolledFixedPoint(symmetricStep(eps), iters) },
    implicit: { xy: implicitFixedPoint(recentred(sinkhornStep(eps)), iters), sym: implicitFixedPoint(symmetricStep(eps), iters) },
  };
  return (a: A, x: A, implicit: boolean): A => {
    const { xy, sym } = implicit ? potentials.implicit : potentials.unrolled;
    const ot = (a: A, b: A, C: A) => { const f = xy(a, b, C); return regOtCost(a, b, C, eps, f, gFromF(f, a, C, eps)); };
    const otSym = (a: A, C: A) => { const f = sym(a, C); return regOtCost(a, a, C, eps, f, f); };
    const massGap = np.subtract(np.sum(a), np.sum(b));
    return np.add(np.subtract(ot(a, b, sqEuclidean(x, y)), np.multiply(0.5, np.add(otSym(a, sqEuclidean(x, x)), otSym(b, sqEuclidean(y, y))))),
      np.multiply(0.5 * eps, np.square(massGap)));
  };
}

/** The two modes as functions of (a, x), as the notebook's lambdas. */
function divergenceFns(eps: number, iters: number, b: A, y: A) {
  const loss = makeLoss(eps, iters, b, y);
  return { unrolled: (a: A, x: A) => loss(a, x, false), implicit: (a: A, x: A) => loss(a, x, true) };
}

// ---------------------------------------------------------------- float64 reference, plain JS

type V = Float64Array;
const f64 = (x: A): V => Float64Array.from(x.dataSync() as ArrayLike<number>);

/**
 * OT_eps(a, b) in plain float64 JS, by another route than the code under test: Sinkhorn on the
 * scalings u, v of the kernel K = exp(-C / eps) (not log domain; for a = b, Feydy's averaged
 * update u <- sqrt(u a / K u)), run until the marginals hold to 1e-15, then scored by the primal
 * <P, C> + eps KL(P | a b^T) with P = diag(u) K diag(v) (not by the dual).
 */
function otReference(a: V, x: V, b: V, y: V, dim: number, eps: number, symmetric = false): number {
  const n = a.length, m = b.length, C = new Float64Array(n * m), K = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let d = 0;
      for (let k = 0; k < dim; k++) d += (x[i * dim + k] - y[j * dim + k]) ** 2;
      C[i * m + j] = d;
      K[i * m + j] = Math.exp(-d / eps);
    }
  }
  const u = new Float64Array(n).fill(1), v = new Float64Array(m).fill(1), Ku = new Float64Array(n), KTu = new Float64Array(m);
  const kernelT = (out: V, s: V) => { for (let j = 0; j < m; j++) { let t = 0; for (let i = 0; i < n; i++) t += K[i * m + j] * s[i]; out[j] = t; } };
  const kernel = (out: V, s: V) => { for (let i = 0; i < n; i++) { let t = 0; for (let j = 0; j < m; j++) t += K[i * m + j] * s[j]; out[i] = t; } };
  for (let it = 0; it < 20000; it++) {
    if (symmetric) {
      kernel(Ku, u);
      for (let i = 0; i < n; i++) v[i] = u[i] = Math.sqrt((u[i] * a[i]) / Ku[i]);
    } else {
      kernelT(KTu, u);
      for (let j = 0; j < m; j++) v[j] = b[j] / KTu[j];
      kernel(Ku, v);
      for (let i = 0; i < n; i++) u[i] = a[i] / Ku[i];
    }
    if (it % 10 === 9) {
      kernelT(KTu, u);
      let err = 0;
      for (let j = 0; j < m; j++) err += Math.abs(v[j] * KTu[j] - b[j]);
      if (err < 1e-15) break;
    }
  }
  let cost = 0, sa = 0, sb = 0;
  for (const w of a) sa += w;
  for (const w of b) sb += w;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const P = u[i] * K[i * m + j] * v[j];
      if (P > 0) cost += P * C[i * m + j] + eps * (P * Math.log(P / (a[i] * b[j])) - P);
    }
  }
  return cost + eps * sa * sb;
}

/** The divergence, OT(b, b) computed once (it depends on neither a nor x). */
function referenceDivergence(b: V, y: V, dim: number, eps: number) {
  const otBB = otReference(b, y, b, y, dim, eps, true);
  return (a: V, x: V) => otReference(a, x, b, y, dim, eps) - 0.5 * (otReference(a, x, a, x, dim, eps, true) + otBB);
}

/** Second differences of F along the directions dirs[i]: H_ij = v_i^T F'' v_j (truncation O(h^2)). */
function secondDifferences(F: (z: V) => number, z: V, dirs: V[], h: number): V {
  const k = dirs.length, H = new Float64Array(k * k);
  const at = (si: number, i: number, sj: number, j: number) => F(z.map((zz, q) => zz + h * (si * dirs[i][q] + sj * dirs[j][q])));
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      H[i * k + j] = H[j * k + i] = (at(1, i, 1, j) - at(1, i, -1, j) - at(-1, i, 1, j) + at(-1, i, -1, j)) / (4 * h * h);
    }
  }
  return H;
}

/** Central differences of a gradient: column j is (g(z + h e_j) - g(z - h e_j)) / 2h. */
function jacobianOfGradient(g: (z: V) => V, z: V, h: number): V {
  const k = z.length, H = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    const gp = g(z.map((v, q) => (q === j ? v + h : v))), gm = g(z.map((v, q) => (q === j ? v - h : v)));
    for (let i = 0; i < k; i++) H[i * k + j] = (gp[i] - gm[i]) / (2 * h);
  }
  return H;
}

const basis = (k: number, shift = 0): V[] => Array.from({ length: k }, (_, i) => Float64Array.from({ length: k }, (_, q) => (q === i ? 1 : 0) - shift));
const maxAbs = (x: A) => np.max(np.abs(x)).item() as number;

// ---------------------------------------------------------------- the notebook

export function sinkhornHessians(): void {
  section('OTT: Sinkhorn divergence Hessians (sample(8, 10, 2), unrolled and implicit)');
  const n = 8, m = 10, dim = 2, iters = 300;
  const [a, x, b, y] = sample(n, m, dim);
  // OTT's default epsilon, its gradient stopped: here a number fixed at the sample
  const eps = 0.05 * (np.mean(sqEuclidean(x, y)).item() as number);
  console.log(`a = ${a}\nepsilon = 0.05 * mean(C) = ${eps}`);
  // float64 for the derivative checks, a and b renormalized in float64: the float32 sums differ by
  // ~2e-8, and an unbalanced problem has no fixed point (the potentials drift every iteration)
  const [a64, b64] = [a, b].map((w) => { const w64 = w.astype('float64'); return np.divide(w64, np.sum(w64)); });
  const [x64, y64] = [x, y].map((v) => v.astype('float64'));
  const f32 = divergenceFns(eps, iters, b, y), d = divergenceFns(eps, iters, b64, y64);
  const ref = referenceDivergence(f64(b64), f64(y64), dim, eps);

  // (1) the divergence. python3 examples/reference/sinkhorn_divergence.py (Newton on the dual)
  // prints: divergence 0.18344751499286976 (float64 weights renormalized as here)
  const NEWTON = 0.18344751499286976;
  const div32 = f32.unrolled(a, x), divU = d.unrolled(a64, x64), divI = d.implicit(a64, x64), divRef = ref(f64(a64), f64(x64));
  console.log(`divergence: float32 ${div32.item()}; float64 unrolled ${divU.item()}, implicit ${divI.item()}; reference ${divRef}`);
  expectClose('JS float64 reference == numpy Newton reference', divRef, NEWTON, 1e-14);
  expectClose(`divergence (float64, ${iters} iterations, unrolled) == reference`, divU, NEWTON, 1e-13);
  expectClose(`divergence (float64, ${iters} iterations, implicit) == reference`, divI, NEWTON, 1e-13);
  expectClose('divergence (float32, as the notebook) == reference', div32, NEWTON, 2e-7);
  expectTrue('divergence >= 0', (divU.item() as number) >= 0);
  // 0 for identical clouds once OT(a, a) by plain Sinkhorn (the cross term's solver) converges:
  // slowly here, as a cloud against itself does (x has two points 0.035 apart: C / eps = 0.065);
  // any potentials bound OT from below (weak duality), so the error is negative
  const selfDiv = (k: number) => divergenceFns(eps, k, a64, x64).unrolled(a64, x64).item() as number;
  const [s100, s300] = [selfDiv(100), selfDiv(iters)];
  console.log(`divergence(a, x; a, x): ${s100} after 100 iterations, ${s300} after ${iters}`);
  expectTrue('divergence(a, x; a, x) -> 0 from below as Sinkhorn converges', s100 < s300 && s300 <= 0 && s300 > -2e-8, `${s100}, ${s300}`);
  // (2)-(4) the notebook's loop: Hessians w.r.t. a, then x, implicit and unrolled, jitted
  const hess: Record<string, A> = {};
  for (const arg of [0, 1] as const) {
    const name = arg === 0 ? 'a' : 'x', k = arg === 0 ? n : n * dim;
    const hessLossImp = jit(hessian(d.implicit, { argnums: arg }));
    console.log(`--- Time: Implicit Hessian w.r.t. ${name}: ${timeIt(() => hessLossImp(a64, x64).dataSync(), 3).toFixed(1)} ms`);
    const hessImp = np.reshape(hessLossImp(a64, x64), [k, k]);
    const hessLossBack = jit(hessian(d.unrolled, { argnums: arg }));
    console.log(`--- Time: Unrolled Hessian w.r.t. ${name}: ${timeIt(() => hessLossBack(a64, x64).dataSync(), 3).toFixed(1)} ms`);
    const hessBack = np.reshape(hessLossBack(a64, x64), [k, k]);
    hess[`imp${name}`] = hessImp; hess[`back${name}`] = hessBack;
    expectClose(`implicit Hessian w.r.t. ${name} is symmetric`, hessImp, hessImp.T, 1e-12 * maxAbs(hessImp));
    expectClose(`unrolled Hessian w.r.t. ${name} is symmetric`, hessBack, hessBack.T, 1e-12 * maxAbs(hessBack));
    // jit == eager to rounding: under jit the iterations' foriLoop is one scan row (as JAX runs
    // fori_loop), whose transpose sums each step's contributions in another order than eager's
    // step-by-step tape (README, jit: the exception is control flow)
    const eagerImp = hessian(d.implicit, { argnums: arg })(a64, x64), eagerBack = hessian(d.unrolled, { argnums: arg })(a64, x64);
    expectClose(`jit(hessian) == hessian, w.r.t. ${name}, implicit`, hessImp, np.reshape(eagerImp, [k, k]), 1e-13 * maxAbs(hessImp));
    expectClose(`jit(hessian) == hessian, w.r.t. ${name}, unrolled`, hessBack, np.reshape(eagerBack, [k, k]), 1e-13 * maxAbs(hessBack));
  }

  // (2) the unrolled Hessians == central differences of the unrolled gradient (float64, h = 1e-6)
  const gradA = jit(grad(d.unrolled, { argnums: 0 })), gradX = jit(grad(d.unrolled, { argnums: 1 }));
  const fdA = jacobianOfGradient((v) => f64(gradA(np.array(v), x64)), f64(a64), 1e-6);
  const fdX = jacobianOfGradient((v) => f64(gradX(a64, np.reshape(np.array(v), [n, dim]))), f64(x64), 1e-6);
  expectClose('unrolled Hessian w.r.t. a == central differences of its gradient', hess.backa, fdA, 2e-9 * maxAbs(hess.backa));
  expectClose('unrolled Hessian w.r.t. x == central differences of its gradient', hess.backx, fdX, 2e-9 * maxAbs(hess.backx));

  // (2) the implicit Hessians == second differences of the converged float64 reference; w.r.t. a
  // along e_i - 1/n, the directions that keep sum(a) = 1 (the reference needs balanced weights).
  // h = 3e-5: truncation ~h^2 |F''''| and rounding ~1e-16 / h^2 both under 1e-6 here
  const refAt = (av: V, xv: V) => ref(av, xv);
  const P = np.subtract(np.eye(n, { dtype: 'float64' }), 1 / n), project = (H: A) => np.matmul(P, np.matmul(H, P));
  const sdA = secondDifferences((v) => refAt(v, f64(x64)), f64(a64), basis(n, 1 / n), 3e-5);
  const sdX = secondDifferences((v) => refAt(f64(a64), v), f64(x64), basis(n * dim), 3e-5);
  expectClose('implicit Hessian w.r.t. a, projected == reference second differences along e_i - 1/n', project(hess.impa), sdA, 2e-6);
  expectClose('implicit Hessian w.r.t. x == reference second differences', hess.impx, sdX, 2e-6);
  // (2) implicit == unrolled as the iterations grow, printed as the notebook compares its plots
  // (w.r.t. a on sum-zero directions only, see (3))
  for (const k of [25, 50, 100, 200]) {
    const dk = divergenceFns(eps, k, b64, y64);
    const dA = maxAbs(np.subtract(project(hessian(dk.unrolled, { argnums: 0 })(a64, x64)), project(hess.impa)));
    const dX = maxAbs(np.subtract(np.reshape(hessian(dk.unrolled, { argnums: 1 })(a64, x64), [n * dim, n * dim]), hess.impx));
    console.log(`${String(k).padStart(3)} iterations: max |unrolled - implicit| = ${dA.toExponential(2)} (w.r.t. a, projected), ${dX.toExponential(2)} (w.r.t. x)`);
  }
  const gapA = maxAbs(np.subtract(project(hess.backa), project(hess.impa))), gapX = maxAbs(np.subtract(hess.backx, hess.impx));
  console.log(`${iters} iterations: max |unrolled - implicit| = ${gapA.toExponential(2)} (w.r.t. a, projected), ${gapX.toExponential(2)} (w.r.t. x)`);
  expectClose(`unrolled == implicit after ${iters} iterations, w.r.t. x`, hess.backx, hess.impx, 1e-12);
  expectClose(`unrolled == implicit after ${iters} iterations, w.r.t. a on sum-zero directions (P H P)`, project(hess.backa), project(hess.impa), 1e-12);

  // (3) "Hessians w.r.t. weights are only defined up to the orthogonal space of 1s": moving a
  // along 1 unbalances the problem, which has no fixed point (unrolled, the potentials drift by
  // eps log(sum a / sum b) per iteration, so that column grows with the iteration count). The
  // notebook subtracts each row's mean (H (I - 1 1^T / n)); the two then differ by one row
  // repeated (both are symmetric, so H_imp - H_back = 1 v^T + v 1^T), which the images cannot show.
  const ones = np.ones([n], { dtype: 'float64' });
  console.log(`H 1, implicit: ${np.matmul(hess.impa, ones)}\nH 1, unrolled: ${np.matmul(hess.backa, ones)}`);
  expectTrue('H 1 differs between implicit and unrolled (the direction the notebook removes)', maxAbs(np.subtract(np.matmul(hess.impa, ones), np.matmul(hess.backa, ones))) > 1);
  const rowCentred = (H: A) => np.subtract(H, np.mean(H, { axis: 1, keepdims: true }));
  const diffNb = np.subtract(rowCentred(hess.impa), rowCentred(hess.backa));
  console.log(`notebook's projection: max |H_imp - H_back| = ${maxAbs(diffNb).toExponential(2)}, its rows all ${np.index(diffNb, 0)}`);
  expectClose("notebook's projection: H_imp - H_back is one row repeated", diffNb, np.broadcastTo(np.index(diffNb, 0), [n, n]), 1e-9);
}

runIfMain(import.meta.url, sinkhornHessians); // on its own: node --import tsx examples/sinkhorn_hessians.ts
