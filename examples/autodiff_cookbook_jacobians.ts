// Part of the cookbook tour: autodiff_cookbook.ts calls these sections (run that file, or `npm run tour`).
// JAX's Autodiff Cookbook, its Jacobian sections: jacfwd/jacrev of the logistic predictions
// (and of a dict of parameters), the Hessian, Hessian-vector products in four styles, the
// vmapped matrix-Jacobian and Jacobian-matrix products, and jacfwd/jacrev written by hand.
// Checked against the numbers the notebook prints (float32; W and b are bit for bit the
// notebook's) and against closed forms in float64 JS; loops of vjp/jvp for the vmapped products.
// Timings print beside the notebook's %timeit lines and are never checked.
import { np, random, grad, jvp, vjp, vmap, jacfwd, jacrev, hessian, hvp, NDArray } from 'cotangent';
import { expectClose, expectTrue, section, timeIt } from './lib/check.js';

type A = NDArray | number;
const f64 = (x: NDArray): Float64Array => Float64Array.from(x.dataSync() as ArrayLike<number>);

/** The logistic model in float64: p = sigmoid(X W + b), and its derivatives in W and b. */
function logistic64(W: NDArray, b: NDArray, inputs: NDArray) {
  const X = f64(inputs), w = f64(W), b0 = f64(b)[0], [m, n] = inputs.shape;
  const J = new Float64Array(m * n), Jb = new Float64Array(m), H = new Float64Array(m * n * n);
  for (let i = 0; i < m; i++) {
    let z = b0;
    for (let j = 0; j < n; j++) z += X[i * n + j] * w[j];
    const p = 1 / (1 + Math.exp(-z)), d1 = p * (1 - p), d2 = d1 * (1 - 2 * p); // sigmoid', sigmoid''
    Jb[i] = d1;
    for (let j = 0; j < n; j++) {
      J[i * n + j] = d1 * X[i * n + j];
      for (let k = 0; k < n; k++) H[(i * n + j) * n + k] = d2 * X[i * n + j] * X[i * n + k];
    }
  }
  return { J, Jb, H, m, n };
}

/** The Jacobian of the predictions in W that the notebook prints. */
const NOTEBOOK_J = [0.05981756, 0.12883782, 0.088576, 0.04015914, -0.04928622, 0.00684531,
  0.12188289, 0.01406341, -0.3047072, 0.00140428, -0.00472522, 0.00263777];

export function jacobiansAndHessians(f: (W: A) => NDArray, predictDict: (p: { W: A; b: A }, x: A) => NDArray,
  W: NDArray, b: NDArray, inputs: NDArray): void {
  section('Jacobians and Hessians using jacfwd and jacrev');
  const ref = logistic64(W, b, inputs);
  const wantJ = NOTEBOOK_J;
  for (const [name, jac] of [['jacfwd', jacfwd], ['jacrev', jacrev]] as const) {
    const J = jac(f)(W);
    console.log(`${name} result, with shape [${J.shape}]`);
    console.log(String(J));
    expectTrue(`${name}(f)(W) has shape [4, 3]`, J.shape.join() === '4,3');
    expectClose(`${name}(f)(W) (the notebook's numbers)`, J, wantJ, 1e-6);
    expectClose(`${name}(f)(W) == sigmoid'(z) inputs (float64)`, J, ref.J, 1e-6);
  }

  const Jdict = jacrev(predictDict)({ W, b }, inputs);
  for (const k of Object.keys(Jdict)) {
    console.log(`Jacobian from ${k} to logits is`);
    console.log(String(Jdict[k]));
  }
  expectClose("jacrev(predict_dict)({W, b}).W", Jdict.W, wantJ, 1e-6);
  expectClose("jacrev(predict_dict)({W, b}).b (the notebook's numbers)", Jdict.b, [0.11503378, 0.04563539, 0.23439017, 0.00189768], 1e-6);
  expectClose("jacrev(predict_dict)({W, b}).b == sigmoid'(z) (float64)", Jdict.b, ref.Jb, 1e-6);

  const H = hessian(f)(W);
  console.log(`hessian, with shape [${H.shape}]`);
  console.log(String(H));
  expectTrue('hessian(f)(W) has shape [4, 3, 3]', H.shape.join() === '4,3,3');
  expectClose("hessian(f)(W) (the notebook's numbers)", H, [
    0.02285465, 0.0492254, 0.03384246, 0.0492254, 0.10602394, 0.07289147, 0.03384246, 0.07289146, 0.05011288,
    -0.03195214, 0.03921399, -0.00544639, 0.03921399, -0.04812626, 0.0066842, -0.00544639, 0.0066842, -0.00092836,
    -0.01583708, -0.00182736, 0.03959271, -0.00182736, -0.00021085, 0.00456839, 0.03959271, 0.00456839, -0.09898177,
    -0.00103522, 0.00348336, -0.00194453, 0.00348336, -0.01172105, 0.00654308, -0.00194453, 0.00654308, -0.00365256], 1e-6);
  expectClose("hessian(f)(W) == sigmoid''(z) x x^T (float64)", H, ref.H, 1e-6);
}

/** jnp.allclose(a, b, rtol, atol): |a - b| <= atol + rtol |b| everywhere. */
function allclose(a: NDArray, b: NDArray, rtol: number, atol: number): boolean {
  const x = a.dataSync(), y = b.dataSync();
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!(Math.abs(Number(x[i]) - Number(y[i])) <= atol + rtol * Math.abs(Number(y[i])))) return false;
  return true;
}

export function hvpFourWays(keyAfterInit: NDArray): void {
  section('Hessian-vector products using both forward- and reverse-mode');
  // The notebook's key stream: one split each for the numerical check, the JVP and the VJP
  // sections, then key, subkey1, subkey2 = random.split(key, 3).
  let key = keyAfterInit;
  for (let i = 0; i < 3; i++) [key] = random.split(key);
  const [, subkey1, subkey2] = random.split(key, 3);
  const X = random.normal(subkey1, [30, 40]);
  const V = random.normal(subkey2, [30, 40]);
  const f = (x: A) => np.sum(np.power(np.tanh(x), 2));

  // forward-over-reverse, reverse-over-forward, reverse-over-reverse, and the full Hessian
  const hvpFwdRev = (fn: (x: A) => NDArray, primals: [A], tangents: [A]) => jvp(grad(fn), primals, tangents)[1];
  const hvpRevFwd = (fn: (x: A) => NDArray, primals: [A], tangents: [A]) =>
    grad((p: A) => jvp(fn, [p], tangents)[1])(primals[0]);
  const hvpRevRev = (fn: (x: A) => NDArray, primals: [A], tangents: [A]) =>
    grad((x: A) => np.vdot(grad(fn)(x), tangents[0]))(primals[0]);
  const naive = (x: A, v: A) => np.tensordot(hessian(f)(x), v, 2);

  const ans1 = hvpFwdRev(f, [X], [V]);
  const ans2 = naive(X, V);
  console.log(String(allclose(ans1, ans2, 1e-4, 1e-4)));
  expectTrue('allclose(hvp(f, (X,), (V,)), tensordot(hessian(f)(X), V, 2), 1e-4, 1e-4)', allclose(ans1, ans2, 1e-4, 1e-4));
  // d2/dx2 tanh(x)^2 = 2 s^2 - 4 t^2 s, s = 1 - t^2: the Hessian is diagonal
  const x64 = f64(X), v64 = f64(V);
  const want = x64.map((x, i) => {
    const t = Math.tanh(x), s = 1 - t * t;
    return (2 * s * s - 4 * t * t * s) * v64[i];
  });
  expectClose('forward over reverse == closed form (float64)', ans1, want, 1e-5);
  expectClose('reverse over forward == closed form', hvpRevFwd(f, [X], [V]), want, 1e-5);
  expectClose('reverse over reverse == closed form', hvpRevRev(f, [X], [V]), want, 1e-5);
  expectClose('full Hessian then tensordot == closed form', ans2, want, 1e-5);
  expectClose('hvp(f)(X, V) (exported) == closed form', hvp(f)(X, V), want, 1e-5);

  for (const [label, run] of [
    ['Forward over reverse', () => hvpFwdRev(f, [X], [V])],
    ['Reverse over forward', () => hvpRevFwd(f, [X], [V])],
    ['Reverse over reverse', () => hvpRevRev(f, [X], [V])],
    ['Naive full Hessian materialization', () => naive(X, V)],
  ] as const) {
    console.log(`${label}: ${timeIt(() => run().dataSync(), 3).toFixed(3)} ms per loop`);
  }
}

export function vmappedProducts(f: (W: A) => NDArray, W: NDArray, b: NDArray, inputs: NDArray): void {
  section('Jacobian-Matrix and Matrix-Jacobian products');
  const [y] = vjp(f, W);
  const loopMjp = (fn: typeof f, x: A, M: NDArray) => {
    const [, vjpFun] = vjp(fn, x);
    return np.stack([...M].map((mi) => vjpFun(mi)[0]));
  };
  const vmapMjp = (fn: typeof f, x: A, M: NDArray) => {
    const [, vjpFun] = vjp(fn, x);
    const [outs] = vmap(vjpFun)(M);
    return outs;
  };
  const key = random.key(0);
  const numCovecs = 128;
  const U = random.normal(key, [numCovecs, ...y.shape]);
  const { J, m, n } = logistic64(W, b, inputs);
  // U J and S J^T in float64, the independent reference for both products
  const u64 = f64(U), uJ = new Float64Array(numCovecs * n);
  for (let r = 0; r < numCovecs; r++) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) uJ[r * n + j] += u64[r * m + i] * J[i * n + j];

  let loopVs = loopMjp(f, W, U);
  console.log('Non-vmapped Matrix-Jacobian product');
  console.log(`${timeIt(() => loopMjp(f, W, U).dataSync(), 3).toFixed(3)} ms per loop`);
  console.log('\nVmapped Matrix-Jacobian product');
  let vmapVs = vmapMjp(f, W, U);
  console.log(`${timeIt(() => vmapMjp(f, W, U).dataSync(), 3).toFixed(3)} ms per loop`);
  expectClose('vmap_mjp == loop_mjp (128 covectors)', vmapVs, loopVs, 1e-6);
  expectClose('vmap_mjp == U J (float64)', vmapVs, uJ, 1e-6);

  const loopJmp = (fn: typeof f, w: A, M: NDArray) => np.stack([...M].map((mi) => jvp(fn, [w], [mi])[1]));
  const vmapJmp = (fn: typeof f, w: A, M: NDArray) => vmap((s: A) => jvp(fn, [w], [s])[1])(M);
  const numVecs = 128;
  const S = random.normal(key, [numVecs, ...W.shape]);
  const s64 = f64(S), SJt = new Float64Array(numVecs * m);
  for (let r = 0; r < numVecs; r++) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) SJt[r * m + i] += s64[r * n + j] * J[i * n + j];
  loopVs = loopJmp(f, W, S);
  console.log('Non-vmapped Jacobian-Matrix product');
  console.log(`${timeIt(() => loopJmp(f, W, S).dataSync(), 3).toFixed(3)} ms per loop`);
  vmapVs = vmapJmp(f, W, S);
  console.log('\nVmapped Jacobian-Matrix product');
  console.log(`${timeIt(() => vmapJmp(f, W, S).dataSync(), 3).toFixed(3)} ms per loop`);
  expectClose('vmap_jmp == loop_jmp (128 vectors)', vmapVs, loopVs, 1e-6);
  expectClose('vmap_jmp == S J^T (float64)', vmapVs, SJt, 1e-6);
}

export function ourJacobians(f: (W: A) => NDArray, W: NDArray): void {
  section('The implementation of jacfwd and jacrev');
  const ourJacrev = (fn: typeof f) => (x: A) => {
    const [y, vjpFun] = vjp(fn, x);
    // the Euclidean basis of the outputs, pulled back in one batched pass
    const [J] = vmap(vjpFun, { inAxes: 0 })(np.eye(y.shape[0]));
    return J;
  };
  const ourJacfwd = (fn: typeof f) => (x: NDArray) => {
    const pushforward = (s: A) => jvp(fn, [x], [s])[1];
    const Jt = vmap(pushforward, { inAxes: 1 })(np.eye(x.shape[0]));
    return np.transpose(Jt);
  };
  expectClose('jacrev(f)(W) == our_jacrev(f)(W)', jacrev(f)(W), ourJacrev(f)(W), 1e-7);
  expectClose('jacfwd(f)(W) == our_jacfwd(f)(W)', jacfwd(f)(W), ourJacfwd(f)(W), 1e-7);
  // and both against the notebook's printed Jacobian (not only against the library's own)
  expectClose('our_jacrev(f)(W) (the notebook\'s numbers)', ourJacrev(f)(W), NOTEBOOK_J, 1e-6);
  expectClose('our_jacfwd(f)(W) (the notebook\'s numbers)', ourJacfwd(f)(W), NOTEBOOK_J, 1e-6);
}
