// jax-ml/jax#3022, "Efficient ways of implementing the Divergence operator (avoid computing the
// jacobian)", on cotangent. The issue computes tr(jacrev(f)) per row of X by vmap; a later
// comment adds Hutchinson's estimator (Gaussian and Rademacher probes); the use in view is the
// divergence of a neural vector field, as continuous normalizing flows need it for
// d log p / dt = -div f and train through it. Every number is checked against a closed form
// computed in float64 JS (the issue's own printed values where it prints one); timings print
// and are never checked.
import { np, random, vmap, vjp, jit, grad, jacfwd, jacrev, divergence, hutchinson, NDArray } from 'cotangent';
import { expectClose, expectTrue, runIfMain, section, timeIt } from './lib/check.js';

const f64 = (x: NDArray): Float64Array => Float64Array.from(x.dataSync() as ArrayLike<number>);

/** Var(vᵀ J v) of one Rademacher probe: 2(‖S‖²_F - Σ s_ii²), S = (J + Jᵀ)/2 (Gaussian: 2‖S‖²_F). */
function probeVariance(J: Float64Array, n: number, gaussian: boolean): number {
  let fro = 0, diag = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) fro += ((J[i * n + j] + J[j * n + i]) / 2) ** 2;
    diag += J[i * n + i] ** 2;
  }
  return gaussian ? 2 * fro : 2 * (fro - diag);
}

export function divergenceExample(): void {
  section("jax#3022: the divergence operator (the issue's f(theta, X) = X theta, one divergence per row)");
  // X = arange(500).reshape(50, 10), theta = eye(10): f is linear in x with Jacobian thetaᵀ, so every row's divergence is tr(theta) = 10
  const X = np.reshape(np.arange(500, { dtype: 'float32' }), [50, 10]), theta = np.eye(10);
  const f = (t: NDArray, x: NDArray) => np.matmul(x, t);
  const div = vmap(divergence(f, { argnums: 1 }), { inAxes: [null, 0] })(theta, X);
  console.log(`div.shape = [${div.shape}]  # 50, a scalar div per datapoint(row) in X`);
  expectClose('vmap(divergence(f, argnums 1)) == tr(theta) = 10 per row', div, new Array(50).fill(10), 0);
  // the approach, trace of the reverse-mode Jacobian per row, agrees
  const byJacrev = vmap((t: NDArray, x: NDArray) => np.trace(jacrev(f, { argnums: 1 })(t, x)), { inAxes: [null, 0] })(theta, X);
  expectClose("the issue's vmap(trace(jacrev)) gives the same", byJacrev, div, 0);

  section('jax#3022: the comment\'s diag([1, 2, 3]) x: exact, and Hutchinson with 1000 probes');
  const D = np.diag(np.array([1, 2, 3]));
  const g = (x: NDArray) => np.matmul(D, x);
  const key = random.key(0), x0 = random.normal(key, [3]);
  const exact = divergence(g)(x0);
  console.log(`divergence(f)(x) = ${exact}  (the comment: Array(6., dtype=float32))`);
  expectClose('exact divergence == 6', exact, 6, 0);
  const gauss = hutchinson(g, { probes: 1000, key, noise: 'gaussian' })(x0);
  const rade = hutchinson(g, { probes: 1000, key, noise: 'rademacher' })(x0);
  console.log(`hutchinson(gaussian, 1000) = ${gauss}  (the comment's key gave 6.1945624)`);
  console.log(`hutchinson(rademacher, 1000) = ${rade}  (the comment: 6.0000005)`);
  // Gaussian: Var(vᵀ D v) = 2 Σ d_i² = 28 per probe; 4 standard deviations of the mean of 1000
  const tolG = 4 * Math.sqrt(28 / 1000);
  expectClose(`gaussian estimate within 4 sigma/sqrt(m) = ${tolG.toFixed(3)} of 6`, gauss, 6, tolG);
  // Rademacher: vᵀ D v = Σ d_i v_i² = tr D for every probe when J is diagonal
  expectClose('rademacher estimate of a diagonal Jacobian is exact', rade, 6, 1e-5);
  // The 4-sigma band above passes any estimate within 11% of 6; on its own probes (hutchinson draws
  // random.normal(key, [probes, n])) the estimate is exactly (1/m) Σ_p Σ_i d_i v_pi², in float64 JS
  const Vg = f64(random.normal(key, [1000, 3]));
  let sameDraws = 0;
  for (let p = 0; p < 1000; p++) for (let i = 0; i < 3; i++) sameDraws += (i + 1) * Vg[p * 3 + i] ** 2;
  expectClose('gaussian estimate == (1/m) Σ vᵀ D v on its own probes (float64 JS)', gauss, sameDraws / 1000, 1e-5);
  // The comment's own estimator, ported as written: one probe per key of split(key, 1000), vᵀ (vjp v),
  // mean by vmap. The keys and threefry bits are JAX's, so it prints the comment's numbers (float32 sums
  // in another order: 1e-6 apart)
  const vJv = (gaussian: boolean) => (k: NDArray) => {
    const [, pull] = vjp(g, x0);
    const v = gaussian ? random.normal(k, x0.shape) : random.rademacher(k, x0.shape, { dtype: 'float32' });
    return np.dot(pull(v)[0], v);
  };
  const keys1000 = random.split(key, 1000);
  expectClose("the comment's divergence(f, 1000, True)(x, key) (its number)", np.mean(vmap(vJv(true))(keys1000)), 6.1945624, 2e-6);
  expectClose("the comment's divergence(f, 1000, False)(x, key) (its number)", np.mean(vmap(vJv(false))(keys1000)), 6.0000005, 2e-6);

  section('jax#3022: divergence of a neural vector field f(x) = W2 tanh(W1 x + b1) + b2, R^64 -> R^64 (a CNF\'s dynamics)');
  const n = 64, h = 128;
  const [k1, k2, k3, k4] = random.split(random.key(2020), 4);
  const W1 = np.multiply(random.normal(k1, [h, n]), 1 / Math.sqrt(n)), W2 = np.multiply(random.normal(k2, [n, h]), 1 / Math.sqrt(h));
  const b1 = np.multiply(random.normal(k3, [h]), 0.1), x = random.normal(k4, [n]);
  const field = (w1: NDArray, y: NDArray) => np.add(np.matmul(W2, np.tanh(np.add(np.matmul(w1, y), b1))), 0.5);
  const fx = (y: NDArray) => field(W1, y);
  // closed form in float64: J = W2 diag(1 - a²) W1, a = tanh(W1 x + b1)
  const w1 = f64(W1), w2 = f64(W2), bb = f64(b1), xx = f64(x), a = new Float64Array(h), J = new Float64Array(n * n);
  for (let k = 0; k < h; k++) { let z = bb[k]; for (let j = 0; j < n; j++) z += w1[k * n + j] * xx[j]; a[k] = Math.tanh(z); }
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { let s = 0; for (let k = 0; k < h; k++) s += w2[i * h + k] * (1 - a[k] * a[k]) * w1[k * n + j]; J[i * n + j] = s; }
  let trJ = 0;
  for (let i = 0; i < n; i++) trJ += J[i * n + i];
  const d = divergence(fx)(x);
  console.log(`divergence(f)(x) = ${d.item().toFixed(6)}; closed form ${trJ.toFixed(6)}`);
  expectClose('divergence == closed form tr(W2 diag(1 - a^2) W1) (float64)', d, trJ, 2e-5);
  expectClose('divergence == trace(jacfwd(f))', d, np.trace(jacfwd(fx)(x)), 1e-6);
  expectClose('jit(divergence) == divergence', jit(divergence(fx))(x), d, 1e-6);

  // Estimators with a fixed key: the error shrinks like sigma/sqrt(m); Hutch++ is exact once its n sketch probes span R^n
  const sigma = Math.sqrt(probeVariance(J, n, false));
  const est = random.key(7);
  for (const m of [8, 32, 128, 512]) {
    const e = hutchinson(fx, { probes: m, key: est })(x).item(), epp = hutchinson(fx, { probes: m, key: est, method: 'hutchpp' })(x).item();
    console.log(`probes ${String(m).padStart(3)}: hutchinson ${e.toFixed(4)} (|err| ${Math.abs(e - trJ).toExponential(2)}), ` +
      `hutch++ ${epp.toFixed(4)} (|err| ${Math.abs(epp - trJ).toExponential(2)}); 4 sigma/sqrt(m) = ${(4 * sigma / Math.sqrt(m)).toFixed(4)}`);
    expectClose(`hutchinson, ${m} probes, within 4 sigma/sqrt(m)`, e, trJ, 4 * sigma / Math.sqrt(m));
    // tr J = -0.37 is small beside sigma, so the band above would pass 0 or 2 tr J; on the estimator's
    // own probes (random.rademacher(key, [probes, n])) it is exactly (1/m) Σ vᵀ J v, J the closed form
    const V = f64(random.rademacher(est, [m, n]));
    let vJv = 0;
    for (let p = 0; p < m; p++) for (let i = 0; i < n; i++) { let t = 0; for (let j = 0; j < n; j++) t += J[i * n + j] * V[p * n + j]; vJv += V[p * n + i] * t; }
    expectClose(`hutchinson, ${m} probes == (1/m) Σ vᵀ J v on its own probes (float64 JS)`, e, vJv / m, 2e-5);
    // (Hutch++'s spread is not sigma/sqrt(m): m - 2 floor(m/3) of its probes estimate the residual, and
    // for a Jacobian that is not PSD it can be noisier than Hutchinson; its check is the unbiasedness below)
  }
  expectClose('hutch++ with 3n = 192 probes is exact (its sketch spans R^64)', hutchinson(fx, { probes: 3 * n, key: est, method: 'hutchpp' })(x), trJ, 2e-4);
  // unbiased: the mean over 256 keys (8 probes each) within 4 standard errors
  const keys = random.split(random.key(99), 256);
  const many = f64(vmap((k: NDArray) => hutchinson(fx, { probes: 8, key: k })(x))(keys));
  const mean = many.reduce((s, v) => s + v, 0) / many.length;
  expectClose('mean of 256 keys x 8 probes within 4 standard errors of tr J', mean, trJ, 4 * sigma / Math.sqrt(8 * 256));
  // Hutch++ unbiased too: its 256 estimates' mean within 4 standard errors, the error from their own spread
  const manyPP = f64(vmap((k: NDArray) => hutchinson(fx, { probes: 32, key: k, method: 'hutchpp' })(x))(keys));
  const meanPP = manyPP.reduce((s, v) => s + v, 0) / manyPP.length;
  const sdPP = Math.sqrt(manyPP.reduce((s, v) => s + (v - meanPP) ** 2, 0) / (manyPP.length - 1));
  console.log(`hutch++ over 256 keys x 32 probes: mean ${meanPP.toFixed(4)}, spread ${sdPP.toFixed(4)} (hutchinson's sigma/sqrt(32) = ${(sigma / Math.sqrt(32)).toFixed(4)})`);
  expectClose('hutch++: mean of 256 keys x 32 probes within 4 standard errors of tr J', meanPP, trJ, 4 * sdPP / Math.sqrt(manyPP.length));

  // Training a CNF differentiates through the divergence: d/dW1 of div f, checked by central differences of the closed form
  const dW1 = jit(grad((w: NDArray, y: NDArray) => divergence((z: NDArray) => field(w, z))(y)))(W1, x);
  const trAt = (k: number, j: number, eps: number) => {
    // tr(W2 diag(1 - a²) W1) with W1[k, j] moved by eps: only row k of W1 and a_k change
    const wk = w1[k * n + j] + eps;
    let z = bb[k];
    for (let c = 0; c < n; c++) z += (c === j ? wk : w1[k * n + c]) * xx[c];
    const ak = Math.tanh(z);
    let t = trJ;
    for (let i = 0; i < n; i++) t += w2[i * h + k] * ((1 - ak * ak) * (i === j ? wk : w1[k * n + i]) - (1 - a[k] * a[k]) * w1[k * n + i]);
    return t;
  };
  const probesAt = [[0, 0], [3, 3], [5, 17], [127, 63]];
  const fd = probesAt.map(([k, j]) => (trAt(k, j, 1e-6) - trAt(k, j, -1e-6)) / 2e-6);
  expectClose('jit(grad_W1(divergence)) == central differences of the closed form at 4 entries', probesAt.map(([k, j]) => np.index(dW1, k, j).item()), fd, 1e-5);
  expectTrue('grad_W1 has W1\'s shape', dW1.shape.join() === `${h},${n}`);

  const tJac = timeIt(() => np.trace(jacfwd(fx)(x)).dataSync(), 21), tDiv = timeIt(() => divergence(fx)(x).dataSync(), 21);
  const jTr = jit((y: NDArray) => np.trace(jacfwd(fx)(y))), jDiv = jit(divergence(fx)), jHut = jit(hutchinson(fx, { probes: 8, key: est }));
  const tJJac = timeIt(() => jTr(x).dataSync(), 51), tJDiv = timeIt(() => jDiv(x).dataSync(), 51), tJHut = timeIt(() => jHut(x).dataSync(), 51);
  console.log(`trace(jacfwd): ${tJac.toFixed(3)} ms, divergence: ${tDiv.toFixed(3)} ms; under jit ${tJJac.toFixed(3)} ms and ${tJDiv.toFixed(3)} ms; jit(hutchinson, 8 probes) ${tJHut.toFixed(3)} ms`);
}

runIfMain(import.meta.url, divergenceExample); // on its own: node --import tsx examples/divergence.ts
