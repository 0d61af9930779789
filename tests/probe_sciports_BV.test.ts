// Scientific JAX programs ported as a JAX user writes them, in float64: GP regression,
// Lagrangian mechanics, neural ODE / RK4 in scan, Kalman filter, physics-informed loss.
// References: numpy 2.4 / scipy 1.17 float64 (scripts re-derived in the report), closed forms,
// or float64 central finite differences in plain JS. Never cotangent itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  customVjp, np, lax, linalg, grad, valueAndGrad, jvp, vjp, jacfwd, jacrev, hessian, vmap, jit, checkpoint, tree,
} from '../ts/index.ts';

type A = ReturnType<typeof np.array>;
const f64 = (a: unknown) => np.array(a as number[], { dtype: 'float64' });
const flat = (x: unknown): number[] => {
  if (typeof x === 'number') return [x];
  if (Array.isArray(x)) return x.flatMap(flat);
  return flat((x as A).tolist());
};
const close = (got: unknown, want: unknown, tol = 1e-10, what = '') => {
  const g = flat(got), w = flat(want);
  assert.equal(g.length, w.length, `${what} length ${g.length} vs ${w.length}`);
  g.forEach((v, i) => assert.ok(Math.abs(v - w[i]) <= tol * (1 + Math.abs(w[i])), `${what} entry ${i}: ${v} vs ${w[i]} (diff ${v - w[i]})`));
};

// ---------------------------------------------------------------- 1. GP regression
const GX = f64([[0.1, 0.3], [0.5, -0.2], [0.9, 0.8], [-0.4, 0.6], [1.3, -0.7], [-1.0, -0.5], [0.2, 1.1], [0.7, 0.0]]);
const Gy = f64([0.3, -0.1, 0.9, 0.2, -0.6, -0.4, 0.8, 0.1]);
const GXs = f64([[0.0, 0.0], [0.6, 0.4], [-0.5, 1.0]]);
const TH0 = [Math.log(0.7), Math.log(1.2), Math.log(0.1)];

function rbf(theta: A, a: A, b: A) {
  const ell = np.exp(theta.get(0));
  const sf = np.exp(theta.get(1));
  const d = np.subtract(np.expandDims(a, 1), np.expandDims(b, 0));
  const d2 = np.sum(np.square(d), { axis: -1 });
  return np.multiply(np.square(sf), np.exp(np.divide(np.multiply(-0.5, d2), np.square(ell))));
}
function nll(theta: A) {
  const n = GX.shape[0];
  const Ky = np.add(rbf(theta, GX, GX), np.multiply(np.exp(np.multiply(2, theta.get(2))), np.eye(n, { dtype: 'float64' })));
  const L = linalg.cholesky(Ky);
  const alpha = linalg.choSolve([L, true], Gy);
  return np.add(np.add(np.multiply(0.5, np.dot(Gy, alpha)), np.sum(np.log(np.diagonal(L)))), 0.5 * n * Math.log(2 * Math.PI));
}

function gpPredict(theta: A) {
  const n = GX.shape[0];
  const Ky = np.add(rbf(theta, GX, GX), np.multiply(np.exp(np.multiply(2, theta.get(2))), np.eye(n, { dtype: 'float64' })));
  const L = linalg.cholesky(Ky);
  const Ks = rbf(theta, GXs, GX);
  const mu = np.matmul(Ks, linalg.choSolve([L, true], Gy));
  const v = linalg.solveTriangular(L, np.transpose(Ks), { lower: true });
  const vr = np.subtract(np.diagonal(rbf(theta, GXs, GXs)), np.sum(np.square(v), { axis: 0 }));
  return [mu, vr] as const;
}

test('GP: NLL value, gradient (eager, jit(valueAndGrad)), Hessian vs numpy/scipy', () => {
  const th = f64(TH0);
  // numpy: 0.5 y^T a + sum log diag L + n/2 log 2pi; grad: -0.5 tr((aa^T - K^-1) dK/dtheta)
  const NLL = 6.878631708727378, G = [-5.37060414417296, 6.695545859080169, 0.22614891201525122];
  close(nll(th), NLL, 1e-13, 'nll');
  close(grad(nll)(th), G, 1e-11, 'grad');
  const vg = jit(valueAndGrad(nll));
  const [v, g] = vg(th);
  close(v, NLL, 1e-13, 'jit value'); close(g, G, 1e-11, 'jit grad');
  assert.equal((g as A).dtype, 'float64');
  // second call through the cache
  const [v2] = vg(f64(TH0.map((t) => t + 0)));
  close(v2, NLL, 1e-13);
  // Hessian: 4-point stencil of the closed-form gradient (accurate to ~1e-10)
  const H = [[-6.57516562571588, -0.7366729066804466, 0.6463564567289285],
    [-0.7366729066138332, 2.545244093439258, -0.40136305399451894],
    [0.6463564567289285, -0.40136305399451894, 0.41409247233938534]];
  close(hessian(nll)(th), H, 1e-8, 'hessian');
  close(jit(hessian(nll))(th), H, 1e-8, 'jit hessian');
  close(jacrev(jacfwd(nll))(th), H, 1e-8, 'jacrev(jacfwd)');
});

test('GP: five gradient-descent steps under jit, and predictive mean/variance with its gradient', () => {
  const step = jit((t: A) => np.subtract(t, np.multiply(0.05, grad(nll)(t))));
  let t = f64(TH0);
  for (let i = 0; i < 5; i++) t = step(t);
  close(t, [0.3526601107630407, -0.4123436874252085, -2.631076107987476], 1e-11, 'theta5');
  close(nll(t), 0.5047227175978346, 1e-11, 'nll5');
  const [mu, vr] = gpPredict(f64(TH0));
  close(mu, [-0.00460504449720223, 0.5960738165414228, 0.2835210754326462], 1e-12, 'mu');
  close(vr, [0.09084561618711229, 0.05045854200478095, 0.2239606983502278], 1e-12, 'var');
  const s = (th: A) => { const [m, q] = gpPredict(th); return np.add(np.sum(m), np.sum(q)); };
  const GP = [-1.3810598287330071, 0.6474595962924211, 0.08307011679272354]; // numpy 4-point FD, h=1e-5
  close(grad(s)(f64(TH0)), GP, 1e-8, 'grad pred');
  close(jit(grad(s))(f64(TH0)), GP, 1e-8, 'jit grad pred');
  // hasAux returning diagnostics, as JAX users do
  const [[val, aux], g] = valueAndGrad((th: A) => { const [m, q] = gpPredict(th); return [np.add(np.sum(m), np.sum(q)), { mu: m, var: q }]; }, { hasAux: true })(f64(TH0)) as any;
  close(val, 1.2402547040189877, 1e-12, 'aux value');
  close(aux.mu, [-0.00460504449720223, 0.5960738165414228, 0.2835210754326462], 1e-12);
  close(g, GP, 1e-8);
});

// ---------------------------------------------------------------- 2. Lagrangian mechanics
const M1 = 1.3, M2 = 0.8, L1 = 1.1, L2 = 0.7, GRAV = 9.8;
function lagrangian(q: A, qt: A) {
  const [t1, t2] = q;
  const [w1, w2] = qt;
  const T = np.add(np.add(np.multiply(0.5 * (M1 + M2) * L1 * L1, np.square(w1)), np.multiply(0.5 * M2 * L2 * L2, np.square(w2))),
    np.multiply(np.multiply(M2 * L1 * L2, np.multiply(w1, w2)), np.cos(np.subtract(t1, t2))));
  const V = np.subtract(np.multiply(-(M1 + M2) * GRAV * L1, np.cos(t1)), np.multiply(M2 * GRAV * L2, np.cos(t2)));
  return np.subtract(T, V);
}
function eqOfMotion(state: A) {
  const [q, qt] = np.split(state, 2);
  const qtt = np.matmul(
    linalg.pinv(hessian(lagrangian, { argnums: 1 })(q, qt)),
    np.subtract(grad(lagrangian, { argnums: 0 })(q, qt), np.matmul(jacfwd(jacrev(lagrangian, { argnums: 1 }), { argnums: 0 })(q, qt), qt)));
  return np.concatenate([qt, qtt]);
}
// closed-form double-pendulum accelerations (numpy, the LNN paper's analytic form)
const ACC = [[0.3, 1.1, -7.5316159681703, 9.872321455604373], [-0.5, 0.2, -7.4364290732359715, -5.136141967187884], [0.0, -2.0, 9.359677982385142, -5.17769028166334]];
const S0 = [0.8, -0.4, 0.3, 1.1];
function rk4Final(s0: A, n = 60, dt = 0.02, f = eqOfMotion) {
  const step = (s: A, _x: unknown) => {
    const k1 = f(s);
    const k2 = f(np.add(s, np.multiply(dt / 2, k1)));
    const k3 = f(np.add(s, np.multiply(dt / 2, k2)));
    const k4 = f(np.add(s, np.multiply(dt, k3)));
    const s1 = np.add(s, np.multiply(dt / 6, np.add(np.add(k1, np.multiply(2, k2)), np.add(np.multiply(2, k3), k4))));
    return [s1, null];
  };
  const [sf] = lax.scan(step as never, s0, null, { length: n });
  return sf as A;
}
const lagLoss = (s0: A) => {
  const sf = rk4Final(s0);
  const [q, qt] = np.split(sf, 2);
  return np.add(np.sum(np.square(q)), np.multiply(0.1, np.sum(np.square(qt))));
};

test('Lagrangian NN recipe: pinv(hessian) equations of motion match the closed form (eager, jit, vmap)', () => {
  close(eqOfMotion(f64(S0)), ACC[0], 1e-12, 'eager');
  close(jit(eqOfMotion)(f64(S0)), ACC[0], 1e-12, 'jit');
  close(vmap(eqOfMotion)(f64(ACC.map((_, i) => [[0.8, -0.4, 0.3, 1.1], [2.0, 1.0, -0.5, 0.2], [-1.2, 0.3, 0.0, -2.0]][i]))), ACC, 1e-12, 'vmap');
  close(jit(vmap(eqOfMotion))(f64([[0.8, -0.4, 0.3, 1.1], [2.0, 1.0, -0.5, 0.2], [-1.2, 0.3, 0.0, -2.0]])), ACC, 1e-12, 'jit vmap');
});

test('Lagrangian: RK4 in lax.scan, final state and gradient of a final-state loss wrt the initial state', () => {
  const SF = [-0.20400417299759238, -1.464626546332041, 0.3964923789073029, -3.5066445019737076]; // numpy RK4, closed-form accel
  close(rk4Final(f64(S0)), SF, 1e-11, 'final');
  close(jit((s: A) => rk4Final(s))(f64(S0)), SF, 1e-11, 'jit final');
  const GL = [6.778333715188692, -1.2110156743701712, 0.6085799642674415, 0.3207938192010632]; // numpy 4-point FD, h=1e-5 and 1e-3 agree to 2e-10
  close(grad(lagLoss)(f64(S0)), GL, 1e-8, 'grad');
  close(jit(grad(lagLoss))(f64(S0)), GL, 1e-8, 'jit grad');
});

// ---------------------------------------------------------------- 3. Neural ODE (RK4 in scan, MLP field)
const NH = 8, ND = 2, NN = 20, NDT = 0.1;
const NP0 = {
  W1: Array.from({ length: NH }, (_, i) => Array.from({ length: ND }, (_, j) => 0.5 * Math.sin(1.3 * i + 0.7 * j + 0.1))),
  b1: Array.from({ length: NH }, (_, i) => 0.2 * Math.cos(0.9 * i)),
  W2: Array.from({ length: ND }, (_, i) => Array.from({ length: NH }, (_, j) => 0.4 * Math.cos(0.6 * i + 1.1 * j + 0.3))),
  b2: [0.05, -0.1],
};
const nparams = (): Record<string, A> => ({ W1: f64(NP0.W1), b1: f64(NP0.b1), W2: f64(NP0.W2), b2: f64(NP0.b2) });
const TARGETS = f64(Array.from({ length: NN }, (_, k) => [Math.cos(0.1 * (k + 1)), -0.5 * Math.sin(0.1 * (k + 1) + 1)]));
type P = Record<string, A>;
const field = (p: P, y: A) => np.add(np.matmul(p.W2, np.tanh(np.add(np.matmul(p.W1, y), p.b1))), p.b2);
function odeLoss(p: P, y0: A, remat = false) {
  let body = (y: A, tgt: A) => {
    const k1 = field(p, y);
    const k2 = field(p, np.add(y, np.multiply(NDT / 2, k1)));
    const k3 = field(p, np.add(y, np.multiply(NDT / 2, k2)));
    const k4 = field(p, np.add(y, np.multiply(NDT, k3)));
    const y1 = np.add(y, np.multiply(NDT / 6, np.add(np.add(k1, np.multiply(2, k2)), np.add(np.multiply(2, k3), k4))));
    return [y1, np.sum(np.square(np.subtract(y1, tgt)))];
  };
  if (remat) body = checkpoint(body) as typeof body;
  const [, errs] = lax.scan(body as never, y0, TARGETS);
  return np.mean(errs as A);
}
// numpy: same RK4, gradient by 4-point FD (h = 1e-4) on every parameter
const NODE_LOSS = 1.1872611246345421;
const NODE_G = {"W1": [[0.605171640117863, -0.4377361087126718], [0.36944704002765205, -0.32234165701139345], [-0.23090768023314998, 0.12303520123047028], [-0.5941087257179307, 0.443408376545884], [-0.2534007499625327, 0.23235614860524684], [0.3266336835165232, -0.1975273075623581], [0.5433328582053291, -0.4173814383253334], [0.1720763634978824, -0.16631530203999506]], "b1": [0.5689294980841068, 0.348433596640089, -0.21656011885381093, -0.5584787414105359, -0.23945897926906193, 0.3069550256910395, 0.5112618300669631, 0.16217743358415412], "W2": [[-0.11252528887525, 0.6443557184345379, 0.6598953382639753, -0.3734771057822827, -1.0910780172993886, -0.533186404105453, 0.7809459970089156, 1.1021856718133418], [0.1189804869191254, -0.29218466087591966, -0.38495763281557827, 0.12899714894857675, 0.5875680197760709, 0.35890907417475876, -0.3794540386361141, -0.6403515146371126]], "b2": [2.3489738723725395, -1.3057430791914755]};
const NODE_GY0 = [2.017018432166247, -0.33859673959598285];
const gclose = (g: P, tol: number, what: string) => { for (const k of ['W1', 'b1', 'W2', 'b2']) close(g[k], (NODE_G as never)[k], tol, `${what} ${k}`); };

test('neural ODE: loss and parameter gradient through scan (eager, jit, checkpoint body), argnums [0, 1]', () => {
  const p = nparams(), y0 = f64([1.0, -0.5]);
  close(odeLoss(p, y0), NODE_LOSS, 1e-12, 'loss');
  gclose(grad(odeLoss)(p, y0) as P, 1e-8, 'grad');
  gclose(jit(grad(odeLoss))(p, y0) as P, 1e-8, 'jit grad');
  const gr = grad((pp: P, yy: A) => odeLoss(pp, yy, true))(p, y0) as P;
  gclose(gr, 1e-8, 'remat grad');
  // remat must give the same gradient as the plain body (bitwise-close)
  const g0 = grad(odeLoss)(p, y0) as P;
  for (const k of ['W1', 'b1', 'W2', 'b2']) close(gr[k], g0[k], 1e-14, `remat vs plain ${k}`);
  const [gp, gy] = grad(odeLoss, { argnums: [0, 1] })(p, y0) as [P, A];
  gclose(gp, 1e-8, 'argnums p'); close(gy, NODE_GY0, 1e-8, 'argnums y0');
  const [v, gj] = jit(valueAndGrad((pp: P, yy: A) => odeLoss(pp, yy, true), { argnums: [0, 1] }))(p, y0) as [A, [P, A]];
  close(v, NODE_LOSS, 1e-12); gclose(gj[0], 1e-8, 'jit remat argnums'); close(gj[1], NODE_GY0, 1e-8);
});

test('neural ODE: vmap over initial conditions with inAxes [null, 0], and grad of the batch mean', () => {
  const p = nparams();
  const Y0 = f64([[1.0, -0.5], [0.3, 0.2], [-0.7, 0.9]]);
  const PER = [1.1872611246345421, 1.0174722650131232, 3.711034588263003];
  close(vmap(odeLoss, { inAxes: [null, 0] })(p, Y0), PER, 1e-12, 'vmap');
  close(jit(vmap((pp: P, yy: A) => odeLoss(pp, yy, true), { inAxes: [null, 0] }))(p, Y0), PER, 1e-12, 'jit vmap remat');
  // per-example gradients: vmap(grad) over y0, compare row 0 to the single-example FD gradient
  const pex = vmap(grad(odeLoss), { inAxes: [null, 0] })(p, Y0) as P;
  assert.deepEqual(pex.W1.shape, [3, NH, ND]);
  gclose(tree.map((a: A) => a.get(0), pex as never) as P, 1e-8, 'per-example row 0');
});

// ---------------------------------------------------------------- 4. Kalman filter log-likelihood
const KDT = 0.5;
const KF = f64([[1, KDT], [0, 1]]), KQ0 = f64([[KDT ** 3 / 3, KDT ** 2 / 2], [KDT ** 2 / 2, KDT]]), KH = f64([[1, 0], [0.3, 1]]);
const KY = f64([[0.1, 0.4], [0.28950482728132254, 0.5225351609025852], [0.8170103006018445, 0.4442049608270498], [0.832816553421966, 0.45347681580024723], [1.0981928332693915, 0.2993367676969484], [0.8114520805437933, 0.06255788469442611], [0.7723653998450556, -0.045133748578947905], [0.2391966695657331, -0.2954960620798922], [0.03614090798723703, -0.4385584344497701], [-0.535595582901541, -0.4434018632970087], [-0.6653282595274751, -0.5308092171465817], [-1.0413171829081005, -0.4000897699813647], [-0.9083638067541595, -0.23263093250415356], [-0.9691892818655583, -0.12755447972908582], [-0.5477464827991765, 0.15615483290142032]]);
function kalmanLL(theta: A) {
  const q = np.exp(theta.get(0)), r = np.exp(theta.get(1));
  const I2 = np.eye(2, { dtype: 'float64' });
  const step = ([m, P]: [A, A], y: A) => {
    const mp = np.matmul(KF, m);
    const Pp = np.add(np.matmul(np.matmul(KF, P), KF.T), np.multiply(q, KQ0));
    const S = np.add(np.matmul(np.matmul(KH, Pp), KH.T), np.multiply(r, I2));
    const v = np.subtract(y, np.matmul(KH, mp));
    const [, logdet] = linalg.slogdet(S);
    const ll = np.multiply(-0.5, np.add(np.add(2 * Math.log(2 * Math.PI), logdet), np.dot(v, linalg.solve(S, v))));
    const K = np.matmul(np.matmul(Pp, KH.T), linalg.inv(S));
    return [[np.add(mp, np.matmul(K, v)), np.subtract(Pp, np.matmul(np.matmul(K, S), K.T))], ll];
  };
  const [, lls] = lax.scan(step as never, [f64([0, 0.5]), np.eye(2, { dtype: 'float64' })], KY);
  return np.sum(lls as A);
}
const KTH = [Math.log(0.3), Math.log(0.05)];

test('Kalman filter: log-likelihood in scan, gradient and Hessian wrt log noise parameters', () => {
  // numpy: same filter; gradient by 4-point FD (h=1e-4 and 1e-3 agree to 3e-11); Hessian FD of FD (~1e-8)
  const LL = -7.383713868104686, G = [-3.195336863176153, -3.9750694542510048];
  const H = [[-2.4459764369490675, 0.50786290], [0.50786290, -5.592228503850438]];
  const th = f64(KTH);
  close(kalmanLL(th), LL, 1e-12, 'll');
  close(grad(kalmanLL)(th), G, 1e-9, 'grad');
  const [v, g] = jit(valueAndGrad(kalmanLL))(th);
  close(v, LL, 1e-12, 'jit ll'); close(g, G, 1e-9, 'jit grad');
  close(hessian(kalmanLL)(th), H, 1e-7, 'hessian');
  close(jit(jacfwd(grad(kalmanLL)))(th), H, 1e-7, 'jit jacfwd(grad)');
  // forward-mode directional derivative equals g . v
  const [, t] = jvp(kalmanLL, [th], [f64([1, -2])]);
  close(t, G[0] - 2 * G[1], 1e-9, 'jvp');
  // vmap over a batch of parameter settings
  const TB = f64([KTH, [Math.log(0.1), Math.log(0.2)]]);
  const G2 = [0.22298520175212386, -9.91474988238039]; // numpy FD at (log .1, log .2)
  close(vmap(grad(kalmanLL))(TB), [G, G2], 1e-9, 'vmap grad');
  close(vmap(kalmanLL)(TB), [LL, -16.286042177967296], 1e-12, 'vmap ll');
});

// ---------------------------------------------------------------- 5. Physics-informed loss
const PH = 6, NU = 0.07;
const PP0 = {
  W1: Array.from({ length: PH }, (_, i) => [0, 1].map((j) => 0.8 * Math.sin(0.9 * i + 1.7 * j + 0.2))),
  b1: Array.from({ length: PH }, (_, i) => 0.3 * Math.cos(1.3 * i)),
  W2: Array.from({ length: PH }, (_, i) => Array.from({ length: PH }, (_, j) => 0.5 * Math.cos(0.4 * i + 0.8 * j + 0.5))),
  b2: Array.from({ length: PH }, (_, i) => 0.1 * Math.sin(2.1 * i)),
  W3: Array.from({ length: PH }, (_, j) => 0.6 * Math.sin(0.7 * j + 0.4)),
  b3: 0.05,
};
const pparams = (): P => Object.fromEntries(Object.entries(PP0).map(([k, v]) => [k, f64(v)])) as P;
const PX = f64(Array.from({ length: 11 }, (_, k) => -1 + 0.2 * k));
const PT = f64(Array.from({ length: 11 }, (_, k) => 0.05 + 0.09 * k));
const uz = (p: P, z: A) => {
  const a1 = np.tanh(np.add(np.matmul(p.W1, z), p.b1));
  const a2 = np.tanh(np.add(np.matmul(p.W2, a1), p.b2));
  return np.add(np.dot(p.W3, a2), p.b3);
};
const uxt = (p: P, x: A, t: A) => uz(p, np.stack([x, t]));
// numpy: the same MLP with x- and t-derivatives propagated by hand (checked against FD of u)
const PU = [0.7063742084609559, 0.7662830493660413, 0.8333158794367677, 0.9056768588159065, 0.9748606035485621, 1.0255494428281438, 1.0434040928629573, 1.0244452578336536, 0.9759753723829272, 0.9102621549432894, 0.838500242835954];
const PUX = [-0.05811216121758181, -0.040341908443159186, -0.020772328000929263, -0.01889508889766678, -0.06778297951615692, -0.18627933831124338, -0.3482265322191721, -0.4984325253619482, -0.5962721468385406, -0.6333307072333131, -0.6223084338118783];
const PUXX = [-0.1070315977815666, -0.1002640844163099, -0.1342332877748238, -0.28125502845514305, -0.5633903027648244, -0.8388888413651142, -0.900384264867328, -0.7064289505190553, -0.3861884722317048, -0.08113121458604836, 0.1402132706523588];
const PUT = [0.7586994549534559, 0.7940833991199119, 0.8288466091825932, 0.851785319183166, 0.8482363848155821, 0.8140954746833349, 0.7630104629861348, 0.7120990493620848, 0.6673807422542607, 0.6259180874933927, 0.5837869019498322];
const PUTT = [-0.5098168343222121, -0.596151369879182, -0.6979545394371155, -0.8182964395424577, -0.9321684183430465, -0.9868970439045497, -0.9545008854028313, -0.8578839868045846, -0.7353330978353757, -0.6122610808527701, -0.5011297940186982];
const PLOSS = 0.6103245745524403;
const PG = {"W1": [[0.03432465288814394, 0.17476733175046202], [-0.04125075523349804, -0.041447234478593956], [-0.0281066197530914, -0.37219744226296697], [-0.03183298957959435, -0.21677226070891212], [0.0909065405865772, -0.28106654730880587], [0.03602545327145249, 0.1357693014476339]], "b1": [-0.39574065332957187, 0.10147390984612444, 0.3890755796308783, 0.7880628151728704, 0.17613209829930862, -0.0612897720539407], "W2": [[0.04008677105510338, 0.028992450664585185, -0.0014107518203632095, -0.04796756911840116, -0.10198189231924724, -0.03501319645974702], [0.027933538223612327, 0.056394149324327326, 0.017894883062123203, -0.05394600334894065, -0.2090216961713372, -0.09595867306301982], [0.21335626320525175, 0.1355302708494488, -0.13547616076701555, -0.2647953147939345, -0.3304751824293831, -0.033452202230129416], [0.20039038735597534, 0.10434210869344114, -0.1376071482195318, -0.2316932716761588, -0.21230270847929128, 0.018610189350583745], [-0.020932133494022672, -0.00794297557717612, 0.016500105958494604, 0.024153779399719667, 0.017824206398620035, -0.00601971253668306], [-0.22297016135069955, -0.04338542403531375, 0.18750953204915707, 0.2594930659186959, 0.162748311122729, -0.09454666192019548]], "b2": [-0.17470916327607294, -0.44163354585143494, -0.25565034455739727, -0.004389872002019679, -0.005919048300754662, -0.04147385032432504], "W3": [0.8785999077434713, 0.6692277698616688, 0.6106534317877147, 0.26525459862730694, -0.10955201470273326, -0.48857554142245346], "b3": -2.775557561562891e-13};
// three spellings of the residual u_t - nu u_xx
const resGrad = (p: P, x: A, t: A) => np.subtract(grad(uxt, { argnums: 2 })(p, x, t), np.multiply(NU, grad(grad(uxt, { argnums: 1 }), { argnums: 1 })(p, x, t)));
const resHess = (p: P, x: A, t: A) => {
  const z = np.stack([x, t]);
  const H = hessian(uz, { argnums: 1 })(p, z) as A;
  const g = jacrev(uz, { argnums: 1 })(p, z) as A;
  return np.subtract(g.get(1), np.multiply(NU, H.get(0).get(0)));
};
const resFwd = (p: P, x: A, t: A) => {
  const ut = jacfwd(uxt, { argnums: 2 })(p, x, t);
  const uxx = jacfwd(jacfwd(uxt, { argnums: 1 }), { argnums: 1 })(p, x, t);
  return np.subtract(ut, np.multiply(NU, uxx));
};
const pinnLoss = (res: typeof resGrad) => (p: P) => np.mean(np.square(vmap(res, { inAxes: [null, 0, 0] })(p, PX, PT)));
const pclose = (g: P, tol: number, what: string) => { for (const k of Object.keys(PG)) close(g[k], (PG as never)[k], tol, `${what} ${k}`); };

test('PINN: u and its x/t derivatives under vmap (grad of grad, hessian, jacfwd)', () => {
  const p = pparams();
  close(vmap(uxt, { inAxes: [null, 0, 0] })(p, PX, PT), PU, 1e-13, 'u');
  close(vmap(grad(uxt, { argnums: 1 }), { inAxes: [null, 0, 0] })(p, PX, PT), PUX, 1e-12, 'u_x');
  close(vmap(grad(grad(uxt, { argnums: 1 }), { argnums: 1 }), { inAxes: [null, 0, 0] })(p, PX, PT), PUXX, 1e-12, 'u_xx');
  close(vmap(grad(uxt, { argnums: 2 }), { inAxes: [null, 0, 0] })(p, PX, PT), PUT, 1e-12, 'u_t');
  const Z = np.stack([PX, PT], { axis: 1 });
  const Hs = vmap(hessian(uz, { argnums: 1 }), { inAxes: [null, 0] })(p, Z) as A;
  assert.deepEqual(Hs.shape, [11, 2, 2]);
  close(np.take(np.take(Hs, 0, { axis: 2 }), 0, { axis: 1 }), PUXX, 1e-12, 'hess xx');
  close(np.take(np.take(Hs, 1, { axis: 2 }), 1, { axis: 1 }), PUTT, 1e-12, 'hess tt');
  close(jit(vmap(hessian(uz, { argnums: 1 }), { inAxes: [null, 0] }))(p, Z), Hs, 1e-13, 'jit hess');
  const r = np.subtract(np.array(PUT, { dtype: 'float64' }), np.multiply(NU, np.array(PUXX, { dtype: 'float64' })));
  for (const [name, res] of [['grad', resGrad], ['hess', resHess], ['fwd', resFwd]] as const)
    close(vmap(res, { inAxes: [null, 0, 0] })(p, PX, PT), r, 1e-12, `residual ${name}`);
});

test('PINN: gradient of the mean squared residual wrt all MLP params (three spellings, eager and jit)', () => {
  const p = pparams();
  for (const [name, res] of [['grad', resGrad], ['hess', resHess], ['fwd', resFwd]] as const) {
    const L = pinnLoss(res);
    close(L(p), PLOSS, 1e-12, `loss ${name}`);
    pclose(grad(L)(p) as P, 1e-8, `grad ${name}`);
    const [v, g] = jit(valueAndGrad(L))(p) as [A, P];
    close(v, PLOSS, 1e-12, `jit loss ${name}`);
    pclose(g, 1e-8, `jit grad ${name}`);
  }
});

// ---------------------------------------------------------------- 6. Lennard-Jones cluster (JAX-MD style)
const LJR = [[0, 0, 0], [1.12, 0.05, -0.02], [0.5, 0.98, 0.1], [0.55, 0.3, 0.95], [-0.3, 0.9, 0.8]];
function ljEnergy(R: A) {
  const dr = np.subtract(np.expandDims(R, 1), np.expandDims(R, 0));
  const d2 = np.sum(np.square(dr), { axis: -1 });
  const eye = np.eye(R.shape[0], { dtype: 'bool' });
  const d2safe = np.where(eye, 1, d2); // the double-where trick
  const e = np.multiply(4, np.subtract(np.power(d2safe, -6), np.power(d2safe, -3)));
  return np.multiply(0.5, np.sum(np.where(eye, 0, e)));
}
function ljEnergyNorm(R: A) { // with a distance via sqrt, also double-where
  const dr = np.subtract(np.expandDims(R, 1), np.expandDims(R, 0));
  const eye = np.eye(R.shape[0], { dtype: 'bool' });
  const d2 = np.sum(np.square(dr), { axis: -1 });
  const d = np.sqrt(np.where(eye, 1, d2));
  const inv6 = np.power(np.reciprocal(d), 6);
  return np.multiply(2, np.sum(np.where(eye, 0, np.subtract(np.square(inv6), inv6))));
}
const LJE = -8.453469542976341;
const LJF = [[-0.8181176198415727, 0.8729911657776899, 2.0780817006102543], [-0.8680790833105793, 0.5069420032843405, 1.2433733686857682], [4.654400332513054, 3.0012165940463227, -5.553873625292627], [6.99028145795893, -6.741614163690629, 1.424547219576315], [-9.958485087319833, 2.360464400582276, 0.8078713364202892]]; // numpy: analytic pair forces
const LJHD = [85.87319876692625, 66.77483531013864, 30.64167812269665, 83.15196256463337, 40.436792244096424, 23.27269863712048, 114.67298510765553, 134.23243170290013, 125.55898315123787, 143.33481465896486, 103.92649392168735, 110.6217517220731, 212.28585306808745, 55.86922674221857, 61.196050950403546]; // numpy: 4-point FD of the forces
const LJH0 = [85.87319876692625, 40.339804986457466, 19.30892554822631, -58.27205776328762, -2.6041181660293082, 1.0416472664143137, -15.325815968325605, -32.1662200003366, -3.2822673469823367, -10.428104098503253, -5.319951934009322, -16.846514457817076, -1.847220936805153, -0.24951488606742933, -0.22179100985231234];
const LJEIG = [-16.112304677617438, -9.731409912105303, -2.913955035092484, -4.047117618761081e-11, -1.8472920971050237e-11, 8.304290699209055e-11, 1.449782460799962, 29.0204068211922, 52.262495920814736, 87.97685055246473, 104.60883981751462, 146.165967926338, 237.73261773067492, 274.80847692594125, 486.58198813989145];

test('Lennard-Jones: energy, forces = -grad, Hessian and normal modes (jit, double-where)', () => {
  const R = f64(LJR);
  for (const [name, Ef] of [['d2', ljEnergy], ['sqrt', ljEnergyNorm]] as const) {
    close(Ef(R), LJE, 1e-13, `E ${name}`);
    const force = jit((r: A) => np.negative(grad(Ef)(r)));
    const F = force(R);
    assert.ok(flat(F).every(Number.isFinite), `forces finite ${name}`);
    close(F, LJF, 1e-12, `F ${name}`);
    const H = np.reshape(hessian(Ef)(R), [15, 15]);
    close(np.diagonal(H), LJHD, 1e-8, `H diag ${name}`);
    close(H.get(0), LJH0, 1e-8, `H row0 ${name}`);
    const w = linalg.eigvalsh(H);
    close(w, LJEIG, 1e-8, `eig ${name}`);
  }
  // newton force balance: sum of forces is zero (translation invariance)
  close(np.sum(np.negative(grad(ljEnergy)(R)), { axis: 0 }), [0, 0, 0], 1e-13, 'sum F');
});

// ---------------------------------------------------------------- 7. Black-Scholes greeks
const ncdf = (x: A) => np.multiply(0.5, np.erfc(np.divide(np.negative(x), Math.SQRT2)));
function bsCall(S: A, K: A, T: A, r: A, sig: A) {
  const sq = np.multiply(sig, np.sqrt(T));
  const d1 = np.divide(np.add(np.log(np.divide(S, K)), np.multiply(np.add(r, np.divide(np.square(sig), 2)), T)), sq);
  const d2 = np.subtract(d1, sq);
  return np.subtract(np.multiply(S, ncdf(d1)), np.multiply(np.multiply(K, np.exp(np.negative(np.multiply(r, T)))), ncdf(d2)));
}
test('Black-Scholes: price and greeks by grad / hessian / argnums vs mpmath', () => {
  const a = [100, 95, 0.75, 0.03, 0.25].map((v) => f64(v));
  // mpmath 1.3 at 40 digits: price, d/dS, d/dsigma, d/dT, d/dr, d2/dS2, d2/dSdsigma
  close(bsCall(...(a as [A, A, A, A, A])), 12.346868637516802, 1e-14, 'price');
  const g = grad(bsCall, { argnums: [0, 2, 3, 4] })(...a) as A[];
  close(g, [0.67331656180680942, 6.8554317786684934, 41.238590657373105, 31.235328914241416], 1e-13, 'delta theta rho vega');
  close(grad(grad(bsCall))(...a), 0.016658842087595422, 1e-12, 'gamma');
  const H = hessian(bsCall, { argnums: [0, 4] })(...a) as A[][];
  close(H[0][1], -0.33554769075905125, 1e-12, 'vanna');
  close(H[1][0], -0.33554769075905125, 1e-12, 'vanna T');
  // vectorized over a strip of spots and jitted, as a pricing grid would be
  const spots = f64([80, 100, 120]);
  const deltas = jit(vmap(grad(bsCall), { inAxes: [0, null, null, null, null] }))(spots, ...a.slice(1));
  assert.deepEqual(deltas.shape, [3]);
  close(deltas, [0.28042948703081966, 0.6733165618068094, 0.9016823127237108], 1e-12, 'vmap delta'); // mpmath
});

// ---------------------------------------------------------------- 8. Sinkhorn (log domain) in foriLoop
const SX = [0.0, 0.3, 0.7, 1.0], SY = [0.1, 0.2, 0.5, 0.8, 0.95];
const SC = SX.map((x) => SY.map((y) => (x - y) ** 2));
const Sa = f64([0.1, 0.2, 0.3, 0.4]), Sb = f64([0.3, 0.1, 0.2, 0.2, 0.2]);
function sinkhorn(C: A, eps: A) {
  const body = (_i: A, [f, g]: [A, A]) => {
    const f1 = np.subtract(np.multiply(eps, np.log(Sa)), np.multiply(eps, np.logsumexp(np.divide(np.subtract(np.expandDims(g, 0), C), eps), { axis: 1 })));
    const g1 = np.subtract(np.multiply(eps, np.log(Sb)), np.multiply(eps, np.logsumexp(np.divide(np.subtract(np.expandDims(f1, 1), C), eps), { axis: 0 })));
    return [f1, g1];
  };
  const [f, g] = lax.foriLoop(0, 30, body as never, [np.zeros(4, { dtype: 'float64' }), np.zeros(5, { dtype: 'float64' })]) as [A, A];
  const P = np.exp(np.divide(np.subtract(np.add(np.expandDims(f, 1), np.expandDims(g, 0)), C), eps));
  return np.sum(np.multiply(P, C));
}
test('Sinkhorn in foriLoop: OT cost and its gradient wrt the cost matrix and epsilon', () => {
  const C = f64(SC), eps = f64(0.05);
  close(sinkhorn(C, eps), 0.06031495945155862, 1e-12, 'cost'); // numpy + scipy.special.logsumexp
  const [gC, gE] = grad(sinkhorn, { argnums: [0, 1] })(C, eps) as [A, A];
  close(gC, [[0.10520610416840889, -0.004656086155518934, -6.99302976058432e-05, -9.938519914450456e-09, -4.550757918645823e-11], [0.18467672943511118, 0.023668784359526237, -0.007395599482355277, -3.795162089685148e-05, -9.968880466485843e-07], [0.009522791396635958, 0.08123153489135679, 0.23708155876209683, -0.014307276870242448, -0.013229658245063797], [-0.00048821846577081396, -0.0012514590244881254, -0.029709384363983214, 0.21528209331022247, 0.21447697507182467]], 1e-8, 'dC'); // numpy 4-point FD
  close(gE, 0.3875088592866666, 1e-8, 'deps');
  const [, [jC, jE]] = jit(valueAndGrad(sinkhorn, { argnums: [0, 1] }))(C, eps) as [A, [A, A]];
  close(jC, gC, 1e-13, 'jit dC'); close(jE, gE, 1e-13, 'jit deps');
  const [, te] = jvp((e: A) => sinkhorn(C, e), [eps], [f64(1)]);
  close(te, 0.3875088592866666, 1e-8, 'jvp deps');
});

// ---------------------------------------------------------------- 9. Heat equation with np.roll in foriLoop
const HN = 16;
const HU0 = Array.from({ length: HN }, (_, k) => Math.sin(2 * Math.PI * k / HN) + 0.3 * Math.cos(6 * Math.PI * k / HN));
const HW = f64(Array.from({ length: HN }, (_, k) => Math.cos(0.5 * k)));
function heatLoss(u0: A, kappa: A) {
  const dx = 1 / HN, dt = 0.001;
  const u = lax.foriLoop(0, 40, (_i: A, u: A) => np.add(u, np.multiply(np.multiply(dt / (dx * dx), kappa), np.add(np.subtract(np.roll(u, 1), np.multiply(2, u)), np.roll(u, -1)))), u0) as A;
  return np.dot(HW, u);
}
test('heat equation: explicit Euler with np.roll in foriLoop, gradients wrt kappa and u0', () => {
  const u0 = f64(HU0), k = f64(0.8);
  close(heatLoss(u0, k), -1.333505737120877, 1e-12, 'value');
  const [gu, gk] = grad(heatLoss, { argnums: [0, 1] })(u0, k) as [A, A];
  close(gk, 2.1457640625999193, 1e-8, 'dkappa'); // numpy FD
  close(gu, [0.3567910610310167, 0.27918450246565496, 0.18259739946127534, 0.08131853747917879, -0.009193676803508494, -0.07468872419822493, -0.10456974047970036, -0.0938728338011817, -0.04426489587967555, 0.03623275070195717, 0.1347394463950219, 0.2358419346122178, 0.32418512612265676, 0.3867890856238646, 0.4147505088817698, 0.40422997584538933], 1e-12, 'du0'); // numpy: M^T w, M the evolution matrix
  close(jit(grad(heatLoss, { argnums: 1 }))(u0, k), 2.1457640625999193, 1e-8, 'jit dkappa');
  close(vmap(grad(heatLoss, { argnums: 1 }), { inAxes: [null, 0] })(u0, f64([0.8, 0.8])), [2.1457640625999193, 2.1457640625999193], 1e-8, 'vmap dkappa');
});

// ---------------------------------------------------------------- 10. Ground-state energy via eigh
const QH0 = [[0.1, 0.1, 0.1, 0.1], [0.1, 1.1, 0.1, 0.1], [0.1, 0.1, 2.6, 0.1], [0.1, 0.1, 0.1, 3.1]];
const QV1 = [[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 0]], QV2 = [[1, 0, 0, 0], [0, -1, 0, 0], [0, 0, 1, 0], [0, 0, 0, -1]];
const groundE = (t: A) => {
  const H = np.add(np.add(f64(QH0), np.multiply(t.get(0), f64(QV1))), np.multiply(t.get(1), f64(QV2)));
  const [w] = linalg.eigh(H);
  return w.get(0);
};
test('eigh ground-state energy: Hellmann-Feynman gradient and second-order perturbation Hessian', () => {
  const t = f64([0.3, -0.2]);
  close(groundE(t), -0.20773997667834024, 1e-13, 'E0'); // numpy eigh
  close(grad(groundE)(t), [-0.498630741426909, 0.8676141966091371], 1e-12, 'dE0'); // v0^T V v0
  close(hessian(groundE)(t), [[-1.1435040838880997, -0.5866811990264023], [-0.5866811990264023, -0.31739895811082963]], 1e-11, 'HE0'); // 2 sum |<k|V|0>|^2/(E0-Ek)
  close(jit(hessian(groundE))(t), [[-1.1435040838880997, -0.5866811990264023], [-0.5866811990264023, -0.31739895811082963]], 1e-11, 'jit HE0');
  close(jacrev(grad(groundE))(t), [[-1.1435040838880997, -0.5866811990264023], [-0.5866811990264023, -0.31739895811082963]], 1e-11, 'jacrev(grad)');
  close(linalg.eigvalsh(np.add(np.add(f64(QH0), np.multiply(0.3, f64(QV1))), np.multiply(-0.2, f64(QV2)))).get(0), -0.20773997667834024, 1e-13);
  close(grad((tt: A) => linalg.eigvalsh(np.add(np.add(f64(QH0), np.multiply(tt.get(0), f64(QV1))), np.multiply(tt.get(1), f64(QV2)))).get(0))(t), [-0.498630741426909, 0.8676141966091371], 1e-12, 'eigvalsh grad');
});

// ---------------------------------------------------------------- 11. JAX docs' fixed_point with custom_vjp
const FW = [[0.05960079923851836, 0.21520682726985682, 0.29563491899653804, 0.27278922804770456], [0.2890674556251579, 0.28389002630622434, 0.17954164323118696, 0.012474198729987148], [0.2026389541653452, 0.04233600241796003, -0.13275613298845584, -0.2614727317240764], [-0.10523496830688608, -0.24548313331932323, -0.2999769772692302, -0.24968023266717038]];
const fpSolve = (f: (a: A, x: A) => A, a: A, x0: A) => {
  const [, xs] = lax.whileLoop(
    ([prev, x]: [A, A]) => np.greater(np.max(np.abs(np.subtract(prev, x))), 1e-15),
    ([, x]: [A, A]) => [x, f(a, x)], [x0, f(a, x0)]) as [A, A];
  return xs;
};
const fixedPoint = customVjp((f: (a: A, x: A) => A, a: A, x0: A) => fpSolve(f, a, x0), { nondiffArgnums: [0] } as never);
fixedPoint.defvjp(
  (f: (a: A, x: A) => A, a: A, x0: A) => { const xs = fpSolve(f, a, x0); return [xs, [a, xs]]; },
  (f: (a: A, x: A) => A, [a, xs]: [A, A], xbar: A) => {
    const [, vjpA] = vjp((aa: A) => f(aa, xs), a);
    const [, vjpX] = vjp((xx: A) => f(a, xx), xs);
    const w = fpSolve((_u: A, u: A) => np.add(xbar, vjpX(u)[0]), xbar, xbar);
    return [vjpA(w)[0], np.zerosLike(xs)];
  });
const deqF = (p: { W: A; a: A }, x: A) => np.tanh(np.add(np.matmul(p.W, x), p.a));
test('fixed point (JAX docs custom_vjp recipe, whileLoop inside): gradient vs implicit-function theorem', () => {
  const p = { W: f64(FW), a: f64([0.5, -0.3, 0.8, 0.1]) };
  const L = (pp: { W: A; a: A }) => np.sum(np.square(fixedPoint(deqF, pp, np.zeros(4, { dtype: 'float64' }))));
  close(fixedPoint(deqF, p, np.zeros(4, { dtype: 'float64' })), [0.6076399433579422, -0.0006712597069147844, 0.6995289117085862, -0.13822118500608724], 1e-14, 'z*'); // numpy iteration
  const g = grad(L)(p) as { W: A; a: A };
  // numpy: ga = D (I - W^T D)^-1 2z, gW = outer(ga, z), D = diag(1 - z^2)
  close(g.a, [1.0025988506914343, 0.4119354338841, 0.8717206143187239, -0.1778635193478751], 1e-12, 'ga');
  close(g.W, [[0.6092191088448812, -0.0006730042106682319, 0.7013468829044583, -0.13858040122831117], [0.25030842371246387, -0.0002765156586168555, 0.28816074575914874, -0.056938203817457], [0.52969226470858, -0.0005851509240791625, 0.6097937726483171, -0.12049025630536836], [-0.10807697882198708, 0.00011939261386828671, -0.12442067412207813, 0.024584506413616418]], 1e-12, 'gW');
  const gj = jit(grad(L))(p) as { W: A; a: A };
  close(gj.a, [1.0025988506914343, 0.4119354338841, 0.8717206143187239, -0.1778635193478751], 1e-12, 'jit ga');
  close(gj.W, [[0.6092191088448812, -0.0006730042106682319, 0.7013468829044583, -0.13858040122831117], [0.25030842371246387, -0.0002765156586168555, 0.28816074575914874, -0.056938203817457], [0.52969226470858, -0.0005851509240791625, 0.6097937726483171, -0.12049025630536836], [-0.10807697882198708, 0.00011939261386828671, -0.12442067412207813, 0.024584506413616418]], 1e-12, 'jit gW');
});

test('neural ODE: Hessian wrt the initial state through scan (fwd-over-rev, rev-over-rev, jit)', () => {
  const p = nparams(), y0 = f64([1.0, -0.5]);
  const H = [[3.5958635048428294, 2.671188985543642], [2.671188979067337, 7.69496670330636]]; // numpy: FD of FD (~1e-8)
  close(hessian(odeLoss, { argnums: 1 })(p, y0), H, 1e-7, 'hessian');
  close(jacrev(grad(odeLoss, { argnums: 1 }), { argnums: 1 })(p, y0), H, 1e-7, 'jacrev(grad)');
  close(jit(hessian((pp: P, yy: A) => odeLoss(pp, yy, true), { argnums: 1 }))(p, y0), H, 1e-7, 'jit remat hessian');
});

test('Kalman + RTS smoother: forward scan then scan with reverse: true, and its gradient under jit', () => {
  const q = 0.3, r = 0.05;
  const I2 = np.eye(2, { dtype: 'float64' });
  const smooth = (qq: A) => {
    const fwd = ([m, P]: [A, A], y: A) => {
      const mp = np.matmul(KF, m), Pp = np.add(np.matmul(np.matmul(KF, P), KF.T), np.multiply(qq, KQ0));
      const S = np.add(np.matmul(np.matmul(KH, Pp), KH.T), np.multiply(r, I2));
      const K = np.matmul(np.matmul(Pp, KH.T), linalg.inv(S));
      const m1 = np.add(mp, np.matmul(K, np.subtract(y, np.matmul(KH, mp)))), P1 = np.subtract(Pp, np.matmul(np.matmul(K, S), K.T));
      return [[m1, P1], { m: m1, P: P1, mp, Pp }];
    };
    const [[mT, PT_], st] = lax.scan(fwd as never, [f64([0, 0.5]), I2], KY) as [[A, A], Record<string, A>];
    const sl = (a: A, lo: number, hi: number) => lax.sliceInDim(a, lo, hi, 1, 0);
    const back = ([ms, Ps]: [A, A], x: Record<string, A>) => {
      const G = np.matmul(np.matmul(x.P, KF.T), linalg.inv(x.Ppn));
      const m = np.add(x.m, np.matmul(G, np.subtract(ms, x.mpn)));
      const P = np.add(x.P, np.matmul(np.matmul(G, np.subtract(Ps, x.Ppn)), G.T));
      return [[m, P], m];
    };
    const xs = { m: sl(st.m, 0, 14), P: sl(st.P, 0, 14), mpn: sl(st.mp, 1, 15), Ppn: sl(st.Pp, 1, 15) };
    const [, msm] = lax.scan(back as never, [mT, PT_], xs, { reverse: true }) as [unknown, A];
    return np.concatenate([msm, np.expandDims(mT, 0)]);
  };
  const MSM = [[0.2064250315773079, 0.391127139605206], [0.42276480541042544, 0.4435562275408669], [0.6367415208018938, 0.34477112318672826], [0.7877469059865445, 0.22986895526856524], [0.8519230202423778, 0.007767735485492547], [0.7815862119572847, -0.24391587217798105], [0.6056409791198738, -0.40179965358075986], [0.33402381853115726, -0.5717994571569693], [0.009389082177980762, -0.6243695251661258], [-0.3150152511390605, -0.5504653111053921], [-0.5894834898955219, -0.4646526281281694], [-0.7852589859684886, -0.2463538984331327], [-0.8540615049881908, -0.014637132331840344], [-0.8196999247756925, 0.15559377190348678], [-0.6871113136318798, 0.3381057815559618]]; // numpy RTS smoother
  close(smooth(f64(q)), MSM, 1e-12, 'smoothed means');
  close(jit(smooth)(f64(q)), MSM, 1e-12, 'jit smoothed means');
  const L = (qq: A) => np.sum(np.square(smooth(qq)));
  // gradient wrt q: float64 central FD in plain JS over the smoother's own numpy-checked values
  const h = 1e-5, Lq = (v: number) => (L(f64(v)).item() as number);
  const fd = (-Lq(q + 2 * h) + 8 * Lq(q + h) - 8 * Lq(q - h) + Lq(q - 2 * h)) / (12 * h);
  close(Lq(q), 8.176808433503892, 1e-12, 'sumsq');
  close(jit(grad(L))(f64(q)), fd, 1e-8, 'jit grad vs FD');
  close(grad(L)(f64(q)), fd, 1e-8, 'grad vs FD');
});

test('GP: vmap over a batch of hyperparameters (batched cholesky / choSolve), value and grad', () => {
  const TB = f64([TH0, [Math.log(0.4), Math.log(0.9), Math.log(0.3)]]);
  const [v, g] = vmap(valueAndGrad(nll))(TB) as [A, A];
  close(v, [6.878631708727378, 7.501426157940534], 1e-12, 'batched nll');
  close(g, [[-5.37060414417296, 6.695545859080169, 0.22614891201525122], [-1.657544747738028, 5.079666800019039, 0.8554837381894566]], 1e-10, 'batched grad'); // numpy closed form
  const [vj, gj] = jit(vmap(valueAndGrad(nll)))(TB) as [A, A];
  close(vj, v, 1e-14); close(gj, g, 1e-13);
});
