// jaxopt's "Perturbed optimizers" notebook (docs/notebooks/perturbed_optimizers), on cotangent:
// make_perturbed_argmax written here as jaxopt defines it (Berthet et al. 2020), then the
// notebook's one-hot and ranking examples, their losses, gradients and gradient descent.
// Our PRNG is JAX's threefry bit for bit, so the same keys draw the notebook's noise and the
// notebook's printed numbers are checked. Beyond them, every estimate is checked against a
// reference computed without cotangent: closed forms (E one_hot(argmax(θ + σ Gumbel)) is
// softmax(θ/σ), E rank under Gumbel noise is a sum of logistic functions), 1-d quadrature for
// normal noise, and the estimator itself recomputed in float64 JS from the same noise, with
// Monte-Carlo tolerances of 4 standard errors.
import { np, random, vmap, jit, grad, jacrev, jacfwd, customJvp, NDArray } from 'cotangent';
import { expectClose, expectTrue, runIfMain, section } from './lib/check.js';

type A = NDArray;

// ---------------------------------------------------------------- jaxopt.perturbations

/** A noise distribution: how to draw it, and its log-density up to a constant (jaxopt's Gumbel, Normal). */
interface Noise { sample(key: A, shape: number[]): A; logProb(z: A): A }
const GUMBEL: Noise = {
  sample: (key, shape) => random.gumbel(key, shape),
  logProb: (z) => np.negative(np.add(z, np.exp(np.negative(z)))), // log μ(z) = -z - e^-z
};
const NORMAL: Noise = {
  sample: (key, shape) => random.normal(key, shape),
  logProb: (z) => np.multiply(-0.5, np.square(z)),
};

interface PerturbedOptions { numSamples?: number; sigma?: number; noise?: Noise }

/**
 * jaxopt's make_perturbed_argmax: y_ε(θ) = E[argmax_fun(θ + σ Z)], estimated by the mean over
 * numSamples draws of Z (one draw of shape [numSamples, ...θ.shape] from rng, as jaxopt). Its JVP
 * is the Monte-Carlo estimator of Berthet et al. (2020), Prop. 3.1:
 *   ∂y_ε(θ) t = E[argmax_fun(θ + σZ) ∇ν(Z)ᵀ t] / σ,   ∇ν(z) = -∇ log μ(z)
 * (∇ν(Z) = Z for normal noise, 1 - e^-Z for Gumbel), on the same draws as the value. rng gets a
 * tangent like any argument; the rule ignores it (jaxopt's defjvps(pert_jvp, None)).
 */
function makePerturbedArgmax(argmaxFun: (x: A) => A, { numSamples = 1000, sigma = 0.1, noise = GUMBEL }: PerturbedOptions = {}) {
  const perturbedArgmax = (inputs: A, rng: A): [A, A] => {
    const samples = noise.sample(rng, [numSamples, ...inputs.shape]);
    return [vmap(argmaxFun)(np.add(inputs, np.multiply(sigma, samples))), samples];
  };
  const forwardPert = (inputs: A, rng: A) => np.mean(perturbedArgmax(inputs, rng)[0], { axis: 0 });
  const pertJvp = ([inputs, rng]: A[], [tangent]: A[]): [A, A] => {
    const [outputPert, samples] = perturbedArgmax(inputs, rng);
    const nablaZ = np.negative(vmap(grad(noise.logProb))(np.ravel(samples)));
    const flat = np.einsum('nd,ne,e->d', np.reshape(outputPert, [numSamples, -1]),
      np.reshape(nablaZ, [numSamples, -1]), np.ravel(tangent));
    const out = np.mean(outputPert, { axis: 0 });
    return [out, np.reshape(np.multiply(1 / (numSamples * sigma), flat), out.shape)];
  };
  return customJvp(forwardPert, pertJvp);
}

const argmaxOneHot = (x: A) => np.oneHot(np.argmax(x, { axis: -1 }), x.shape[x.ndim - 1]);
const ranking = (x: A) => np.argsort(np.argsort(x));

// ---------------------------------------------------------------- float64 references

const f64 = (x: A): Float64Array => Float64Array.from(x.dataSync() as ArrayLike<number>);

function softmax64(theta: Float64Array, sigma: number): Float64Array {
  const m = Math.max(...theta), e = theta.map((t) => Math.exp((t - m) / sigma)), s = e.reduce((a, b) => a + b);
  return e.map((v) => v / s);
}

/** ∂ softmax(θ/σ) / ∂θ = (diag(p) - p pᵀ) / σ. */
function softmaxJacobian64(theta: Float64Array, sigma: number): Float64Array {
  const p = softmax64(theta, sigma), n = p.length, J = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) J[i * n + j] = ((i === j ? p[i] : 0) - p[i] * p[j]) / sigma;
  return J;
}

/** Gumbel noise: Z_i - Z_j is logistic, so E[rank_i] = Σ_{j≠i} sigmoid((θ_i - θ_j)/σ). */
function expectedRank64(theta: Float64Array, sigma: number): Float64Array {
  return theta.map((ti) => theta.reduce((s, tj) => s + 1 / (1 + Math.exp(-(ti - tj) / sigma)), 0) - 0.5);
}

/** ∂E[rank_i]/∂θ_k: s'(d) = s(d)(1 - s(d)) per pair, d = (θ_i - θ_k)/σ. */
function expectedRankJacobian64(theta: Float64Array, sigma: number): Float64Array {
  const n = theta.length, J = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      if (k === i) continue;
      const s = 1 / (1 + Math.exp(-(theta[i] - theta[k]) / sigma)), ds = s * (1 - s) / sigma;
      J[i * n + k] -= ds;
      J[i * n + i] += ds;
    }
  }
  return J;
}

/** Φ by erfc (Numerical Recipes' erfcc, relative error < 1.2e-7: far below the Monte-Carlo errors). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2, t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - r / 2 : r / 2;
}

/** Normal noise: P(argmax(θ + σZ) = i) = ∫ φ(z) Π_{j≠i} Φ(z + (θ_i - θ_j)/σ) dz (trapezoid on [-10, 10]). */
function normalArgmaxProbs64(theta: ArrayLike<number>, sigma: number): Float64Array {
  const n = theta.length, h = 1e-3, p = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let z = -10; z <= 10; z += h) {
      let f = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
      for (let j = 0; j < n; j++) if (j !== i) f *= normalCdf(z + (theta[i] - theta[j]) / sigma);
      p[i] += f * h;
    }
  }
  return p;
}

/** Central differences of the smooth expectation: J[i, k] (h = 1e-3: truncation ~1e-7 here). */
function jacobianFd64(fun: (t: Float64Array) => Float64Array, theta: Float64Array, h = 1e-3): Float64Array {
  const n = theta.length, J = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const tp = Float64Array.from(theta), tm = Float64Array.from(theta);
    tp[k] += h; tm[k] -= h;
    const fp = fun(tp), fm = fun(tm);
    for (let i = 0; i < n; i++) J[i * n + k] = (fp[i] - fm[i]) / (2 * h);
  }
  return J;
}

/**
 * The same estimator in float64 JS, on the noise draws z [N, n] and the argmax outputs y [N, d]
 * read back: J[i, k] = mean_n y_ni score(z_nk) / σ, and its standard error sd / √N per entry.
 */
function estimator64(y: Float64Array, z: Float64Array, N: number, sigma: number, score: (z: number) => number): [Float64Array, Float64Array] {
  const d = y.length / N, n = z.length / N, m = new Float64Array(d * n), m2 = new Float64Array(d * n);
  for (let s = 0; s < N; s++) {
    for (let k = 0; k < n; k++) {
      const g = score(z[s * n + k]) / sigma;
      for (let i = 0; i < d; i++) {
        const x = y[s * d + i] * g;
        m[i * n + k] += x;
        m2[i * n + k] += x * x;
      }
    }
  }
  const se = new Float64Array(d * n);
  for (let q = 0; q < d * n; q++) {
    m[q] /= N;
    se[q] = Math.sqrt(Math.max(m2[q] / N - m[q] * m[q], 0) / N);
  }
  return [m, se];
}

/** Argmax one-hots in JS of θ + σ z as float32 computes it (fround: the same ties as the kernel). */
function argmaxOneHot64(theta: Float64Array, z: Float64Array, sigma: number): Float64Array {
  const n = theta.length, N = z.length / n, y = new Float64Array(N * n);
  for (let s = 0; s < N; s++) {
    let best = 0, bestV = -Infinity;
    for (let k = 0; k < n; k++) {
      const v = Math.fround(theta[k] + Math.fround(sigma * z[s * n + k]));
      if (v > bestV) { best = k; bestV = v; }
    }
    y[s * n + best] = 1;
  }
  return y;
}

/** |got - want| <= k se per entry, k = 4 (a two-sided 4σ deviation has probability 6e-5 per entry). */
function expectWithinSe(label: string, got: A | Float64Array, want: Float64Array, se: ArrayLike<number>, k = 4): void {
  const g = got instanceof NDArray ? f64(got) : got;
  let zMax = 0;
  for (let i = 0; i < want.length; i++) zMax = Math.max(zMax, Math.abs(g[i] - want[i]) / se[i]);
  const seMax = Math.max(...Array.from(se));
  expectTrue(`${label} (max |diff| / se = ${zMax.toFixed(2)} <= ${k}; se up to ${seMax.toExponential(1)})`,
    g.length === want.length && zMax <= k, `got ${Array.from(g.slice(0, 6), (v) => v.toPrecision(5))}`);
}

const gumbelScore = (v: number) => 1 - Math.exp(-v); // Gumbel's ∇ν(z) = -d/dz (-z - e^-z)
const normalScore = (v: number) => v; // normal's ∇ν(z) = z

// ---------------------------------------------------------------- the notebook

function argmaxSection(): void {
  section('jaxopt: perturbed optimizers, argmax one-hot');
  const values = np.array([-0.6, 1.9, -0.2, 1.1, -1.0]);
  const theta = f64(values), n = theta.length;
  const oneHotVec = argmaxOneHot(values);
  console.log(oneHotVec.toString());
  expectClose('argmax_one_hot(values)', oneHotVec, [0, 1, 0, 0, 0], 0);

  const N_SAMPLES = 100_000, SIGMA = 0.5;
  const pertOneHot = makePerturbedArgmax(argmaxOneHot, { numSamples: N_SAMPLES, sigma: SIGMA, noise: GUMBEL });
  let rngs = random.split(random.PRNGKey(1), 2);
  const pertArgmax = pertOneHot(values, rngs.get(0));
  const softMax = softmax64(theta, SIGMA);
  console.log(`computation with ${N_SAMPLES} samples, sigma = ${SIGMA}`);
  console.log(`perturbed argmax = ${pertArgmax}`);
  console.log(`softmax = ${np.array(Array.from(softMax))}`);
  console.log(`square norm of difference = ${Math.hypot(...Array.from(f64(pertArgmax), (v, i) => v - softMax[i])).toExponential(2)}`);
  // Same keys, same threefry bits, so the very counts of the notebook (a count is 1e-5).
  expectClose("perturbed argmax (the notebook's numbers)", pertArgmax, [0.0055, 0.81842, 0.01212, 0.16157, 0.00239], 1e-6);
  // Closed form: with Gumbel noise, P(argmax(θ + σZ) = i) = softmax(θ/σ)_i; a mean of N one-hots
  // has the binomial standard error sqrt(p (1 - p) / N).
  const binomialSe = (N: number) => softMax.map((p) => Math.sqrt(p * (1 - p) / N));
  expectWithinSe('perturbed argmax == softmax(values/sigma), N = 1e5', pertArgmax, softMax, binomialSe(N_SAMPLES));
  const pertMillion = makePerturbedArgmax(argmaxOneHot, { numSamples: 1_000_000, sigma: SIGMA });
  expectWithinSe('perturbed argmax == softmax(values/sigma), N = 1e6', pertMillion(values, random.PRNGKey(7)), softMax, binomialSe(1e6));

  section('jaxopt: gradients for one-hot with perturbations');
  const vTrue = np.add(np.arange(n), 2), yTrue = np.divide(vTrue, np.sum(vTrue));
  const lossSimplex = (v: A, rng: A) => np.sum(np.square(np.subtract(yTrue, pertOneHot(v, rng))));
  const loss0 = lossSimplex(values, rngs.get(1));
  console.log(`loss_simplex(values, rngs[1]) = ${loss0}`);
  expectClose("loss_simplex (the notebook's number)", loss0, 0.5865911, 1e-6);
  const gradient = grad(lossSimplex)(values, rngs.get(1));
  console.log(`gradient = ${gradient}`);
  // Sums of 1e5 float32 products in another order than XLA's: ~1e-6 apart.
  expectClose("grad(loss_simplex) (the notebook's numbers)", gradient, [-0.02052322, 0.46736273, -0.02747887, -0.39873555, -0.00571656], 5e-6);
  const gradFunc = jit(grad(lossSimplex));
  expectClose('jit(grad(loss_simplex)) == grad(loss_simplex), same key', gradFunc(values, rngs.get(1)), gradient, 0);

  // The Jacobian the rule defines, in both modes, against the estimator recomputed in JS from the
  // same draws (only rounding apart), then against the closed form within its Monte-Carlo error.
  const Jrev = jacrev(pertOneHot)(values, rngs.get(1));
  const Jfwd = jacfwd(pertOneHot)(values, rngs.get(1));
  console.log(`jacrev(pert_one_hot)(values)[1] = ${Jrev.get(1)}`);
  expectClose('jacfwd(pert_one_hot) == jacrev(pert_one_hot)', Jfwd, Jrev, 1e-6);
  const z = f64(GUMBEL.sample(rngs.get(1), [N_SAMPLES, n]));
  const [Jjs, se] = estimator64(argmaxOneHot64(theta, z, SIGMA), z, N_SAMPLES, SIGMA, gumbelScore);
  // (float32 sums of 1e5 products against float64: 2e-8 apart here; a 10% error in the rule is 3e-2)
  expectClose('jacrev(pert_one_hot) == E[argmax one-hot (1 - e^-Z)ᵀ]/σ in float64 JS, same draws', Jrev, Jjs, 1e-6);
  expectWithinSe('jacrev(pert_one_hot) == (diag(p) - p pᵀ)/σ, p = softmax(values/σ)', Jrev, softmaxJacobian64(theta, SIGMA), se);

  // Normal noise: no closed form, but a 1-d integral per coordinate; its Jacobian by central
  // differences. σ = 1 here: at 0.5 the light normal tails give the last class (θ = -1) no draw of
  // 1e5 (and the first 6), so the standard error estimated from the draws reads 0 there.
  const SIGMA_N = 1;
  const pertNormal = makePerturbedArgmax(argmaxOneHot, { numSamples: N_SAMPLES, sigma: SIGMA_N, noise: NORMAL });
  const kN = random.PRNGKey(3);
  const pN = normalArgmaxProbs64(theta, SIGMA_N);
  console.log(`normal noise, sigma = ${SIGMA_N}: quadrature P(argmax = i) = ${Array.from(pN, (p) => p.toFixed(5))} (sum ${pN.reduce((a, b) => a + b).toFixed(7)})`);
  expectWithinSe('normal noise: perturbed argmax == quadrature of E one_hot', pertNormal(values, kN), pN, pN.map((p) => Math.sqrt(p * (1 - p) / N_SAMPLES)));
  const JN = jacrev(pertNormal)(values, kN);
  const zN = f64(NORMAL.sample(kN, [N_SAMPLES, n]));
  const [JNjs, seN] = estimator64(argmaxOneHot64(theta, zN, SIGMA_N), zN, N_SAMPLES, SIGMA_N, normalScore);
  expectClose('normal noise: jacrev == E[argmax one-hot Zᵀ]/σ in float64 JS, same draws', JN, JNjs, 1e-6);
  expectWithinSe('normal noise: jacrev == central differences of the quadrature', JN, jacobianFd64((t) => normalArgmaxProbs64(t, SIGMA_N), theta), seN);

  // 200 steps of gradient descent, the notebook's keys at every step.
  const exactLoss = (v: A) => softmax64(f64(v), SIGMA).reduce((s, p, i) => s + (f64(yTrue)[i] - p) ** 2, 0);
  const t0 = performance.now();
  let valuesT = values;
  const eta = 0.5;
  for (let t = 0; t < 200; t++) {
    rngs = random.split(rngs.get(1), 2);
    valuesT = np.subtract(valuesT, np.multiply(eta, gradFunc(valuesT, rngs.get(1))));
  }
  const ms = performance.now() - t0;
  rngs = random.split(rngs.get(1), 2);
  console.log(`initial values = ${values}`);
  console.log(`initial one-hot = ${argmaxOneHot(values)}`);
  const diffOneHot0 = pertOneHot(values, rngs.get(0));
  console.log(`initial diff. one-hot = ${diffOneHot0}`);
  // (the notebook prints this too: same keys, so the same counts of 1e5 draws)
  expectClose("initial diff. one-hot (the notebook's numbers)", diffOneHot0, [0.0056, 0.81554997, 0.01239, 0.16398999, 0.00247], 1e-6);
  console.log(`values after GD = ${valuesT}`);
  console.log(`ranks after GD = ${argmaxOneHot(valuesT)}`);
  const diffOneHotT = pertOneHot(valuesT, rngs.get(1));
  console.log(`diff. one-hot after GD = ${diffOneHotT}`);
  console.log(`target diff. one-hot = ${yTrue}`);
  console.log(`200 steps of jit(grad(loss_simplex)) with 1e5 samples: ${ms.toFixed(0)} ms`);
  const [lossStart, lossEnd] = [exactLoss(values), exactLoss(valuesT)];
  console.log(`exact loss (softmax closed form): ${lossStart.toFixed(6)} before, ${lossEnd.toExponential(3)} after`);
  expectTrue('gradient descent decreases the exact loss below 1e-4', lossEnd < 1e-4 && lossEnd < lossStart, `${lossEnd}`);
  expectClose("ranks after GD (the notebook's)", argmaxOneHot(valuesT), [0, 0, 0, 0, 1], 0);
  expectClose('softmax(values after GD / σ) == target diff. one-hot', softmax64(f64(valuesT), SIGMA), yTrue, 0.01);
  // 200 steps of float32 sums in another order than XLA's drift 1.1e-4 from the notebook's values;
  // that moves a few of the 1e5 draws across an argmax tie at most (a draw is 1e-5).
  expectClose("values after GD (the notebook's numbers)", valuesT, [-0.07073233, 0.13270897, 0.2768847, 0.38671777, 0.4782017], 5e-4);
  expectClose("diff. one-hot after GD (the notebook's numbers)", diffOneHotT, [0.09843, 0.15089999, 0.19826, 0.25197, 0.30043998], 1e-4);
}

function rankingSection(): void {
  section('jaxopt: perturbed optimizers, differentiable ranking');
  const n = 6;
  const rng = random.PRNGKey(0);
  const values = random.normal(rng, [n]);
  const theta = f64(values);
  console.log(`values = ${values}`);
  console.log(`ranking = ${ranking(values)}`);
  expectClose("values (the notebook's numbers)", values, [0.18784384, -1.2833426, 0.6494181, 1.2490593, 0.24447003, -0.11744965], 1e-7);
  expectClose("ranking(values) (the notebook's)", ranking(values), [2, 0, 4, 5, 3, 1], 0);

  const N_SAMPLES = 100, SIGMA = 0.2;
  const pertRanking = makePerturbedArgmax(ranking, { numSamples: N_SAMPLES, sigma: SIGMA, noise: GUMBEL });
  let rngs = random.split(rng, 2);
  const diffRanks = pertRanking(values, rngs.get(0));
  console.log(`diff_ranks = ${diffRanks}`);
  expectClose("diff_ranks (the notebook's numbers)", diffRanks, [2.37, 0.02, 3.85, 4.96, 2.41, 1.39], 1e-6);

  const yTrue = ranking(np.arange(n));
  const lossExample = (v: A, r: A) => np.sum(np.square(np.subtract(yTrue, pertRanking(v, r))));
  const loss0 = lossExample(values, rngs.get(1));
  console.log(`loss_example(values, rngs[1]) = ${loss0}`);
  expectClose("loss_example (the notebook's number)", loss0, 28.9336, 1e-4);
  const gradient = grad(lossExample)(values, rngs.get(1));
  console.log(`gradient = ${gradient}`);
  expectClose("grad(loss_example) (the notebook's numbers)", gradient, [14.139462, -2.6558158, -19.498537, 16.295418, -2.338868, -21.901724], 1e-5); // (float32 sums of 100 terms in another order: 1.5e-6 apart)
  const gradFunc = jit(grad(lossExample));
  expectClose('jit(grad(loss_example)) == grad(loss_example), same key', gradFunc(values, rngs.get(1)), gradient, 0);

  // 100 samples are the notebook's; the expectation and its Jacobian are checked at 1e5. A rank is
  // a sum of 5 indicators, so its standard deviation is at most 2.5.
  const big = 100_000;
  const pertRankingBig = makePerturbedArgmax(ranking, { numSamples: big, sigma: SIGMA });
  const kR = random.PRNGKey(11);
  const rankSe = new Float64Array(n).fill(2.5 / Math.sqrt(big));
  expectWithinSe('perturbed ranks (1e5 samples) == Σ_j sigmoid((θ_i - θ_j)/σ)', pertRankingBig(values, kR), expectedRank64(theta, SIGMA), rankSe);
  const JR = jacrev(pertRankingBig)(values, kR);
  const zR = f64(GUMBEL.sample(kR, [big, n]));
  const yR = new Float64Array(big * n);
  for (let s = 0; s < big; s++) { // ranks in JS of θ + σ z as float32 computes it
    const v = Array.from({ length: n }, (_, k) => Math.fround(theta[k] + Math.fround(SIGMA * zR[s * n + k])));
    for (let i = 0; i < n; i++) yR[s * n + i] = v.filter((w, k) => w < v[i] || (w === v[i] && k < i)).length;
  }
  const [JRjs, seR] = estimator64(yR, zR, big, SIGMA, gumbelScore);
  expectClose('jacrev(pert_ranking) == E[ranks (1 - e^-Z)ᵀ]/σ in float64 JS, same draws', JR, JRjs, 2e-6); // (entries up to 2.4: 2e-7 apart)
  expectWithinSe('jacrev(pert_ranking) == closed-form Jacobian of Σ_j sigmoid', JR, expectedRankJacobian64(theta, SIGMA), seR);

  const t0 = performance.now();
  let valuesT = values;
  const eta = 0.1;
  for (let t = 0; t < 20; t++) {
    rngs = random.split(rngs.get(1), 2);
    valuesT = np.subtract(valuesT, np.multiply(eta, gradFunc(valuesT, rngs.get(1))));
  }
  const ms = performance.now() - t0;
  rngs = random.split(rngs.get(1), 2);
  console.log(`initial values = ${values}`);
  console.log(`initial ranks = ${ranking(values)}`);
  const diffRanks0 = pertRanking(values, rngs.get(0));
  console.log(`initial diff. ranks = ${diffRanks0}`);
  expectClose("initial diff. ranks (the notebook's numbers)", diffRanks0, [2.44, 0, 3.79, 4.98, 2.51, 1.28], 1e-6);
  console.log(`values after GD = ${valuesT}`);
  console.log(`ranks after GD = ${ranking(valuesT)}`);
  const diffRanksT = pertRanking(valuesT, rngs.get(1));
  console.log(`diff. ranks after GD = ${diffRanksT}`);
  console.log(`target diff. ranks = ${yTrue}`);
  console.log(`20 steps of jit(grad(loss_example)): ${ms.toFixed(0)} ms`);
  const exactLoss = (v: A) => expectedRank64(f64(v), SIGMA).reduce((s, r, i) => s + (i - r) ** 2, 0);
  const [lossStart, lossEnd] = [exactLoss(values), exactLoss(valuesT)];
  console.log(`exact loss (logistic closed form): ${lossStart.toFixed(4)} before, ${lossEnd.toFixed(4)} after`);
  expectTrue('gradient descent decreases the exact ranking loss below 0.1', lossEnd < 0.1 && lossEnd < lossStart, `${lossEnd}`);
  expectClose("ranks after GD (the notebook's)", ranking(valuesT), [0, 1, 2, 3, 4, 5], 0);
  expectClose("values after GD (the notebook's numbers)", valuesT, [-2.9923885, -1.9453204, -1.259742, -0.69805354, 0.33311206, 1.7650208], 1e-5); // (1.1e-6 apart: 20 steps of 100 draws)
  expectClose("diff. ranks after GD (the notebook's numbers)", diffRanksT, [0, 1.01, 2.05, 2.95, 3.99, 5], 1e-6);
}

export function perturbedOptimizers(): void {
  argmaxSection();
  rankingSection();
}

runIfMain(import.meta.url, perturbedOptimizers); // on its own: node --import tsx examples/perturbed_optimizers.ts
