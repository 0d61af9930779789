// functorch's "Jacobians, hessians, and more" (plot_jacobians_and_hessians.py, PyTorch 1.13), on
// cotangent. The script draws torch.randn data and asserts its Jacobians agree; here the data
// come from random.normal, and every result is checked against references computed without
// cotangent's differentiation: closed forms and central finite differences, in float64 JS.
// Timings print beside the script's Timer lines and are never checked.
import { np, random, vmap, vjp, jacrev, jacfwd, hessian, NDArray } from 'cotangent';
import { expectClose, expectTrue, runIfMain, section, timeIt } from './lib/check.js';

type A = NDArray | number;

/** F.linear(x, weight, bias).tanh(): x [..., Din], weight [Dout, Din], bias [Dout]. */
const predict = (weight: A, bias: A, x: A) => np.tanh(np.add(np.matmul(x, np.transpose(weight)), bias));

// ---------------------------------------------------------------- float64 references

const f64 = (x: NDArray): Float64Array => Float64Array.from(x.dataSync() as ArrayLike<number>);

/** The same map in float64 JS: y = tanh(W x + b) for one x. */
function predict64(W: Float64Array, b: Float64Array, x: Float64Array): Float64Array {
  const dout = b.length, din = x.length, y = new Float64Array(dout);
  for (let i = 0; i < dout; i++) {
    let z = b[i];
    for (let k = 0; k < din; k++) z += W[i * din + k] * x[k];
    y[i] = Math.tanh(z);
  }
  return y;
}

/** dy_i/dx_k = (1 - y_i^2) W_ik. */
function jacobian64(W: Float64Array, b: Float64Array, x: Float64Array): Float64Array {
  const dout = b.length, din = x.length, y = predict64(W, b, x), J = new Float64Array(dout * din);
  for (let i = 0; i < dout; i++) for (let k = 0; k < din; k++) J[i * din + k] = (1 - y[i] * y[i]) * W[i * din + k];
  return J;
}

/** d2y_i/dx_j dx_k = -2 y_i (1 - y_i^2) W_ij W_ik (tanh'' = -2 tanh (1 - tanh^2)). */
function hessian64(W: Float64Array, b: Float64Array, x: Float64Array): Float64Array {
  const dout = b.length, n = x.length, y = predict64(W, b, x), H = new Float64Array(dout * n * n);
  for (let i = 0; i < dout; i++) {
    const c = -2 * y[i] * (1 - y[i] * y[i]);
    for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) H[(i * n + j) * n + k] = c * W[i * n + j] * W[i * n + k];
  }
  return H;
}

/** Central differences of predict64 in x, column by column: J[i, k] (truncation ~h^2). */
function jacobianFd(W: Float64Array, b: Float64Array, x: Float64Array, h = 1e-6): Float64Array {
  const dout = b.length, din = x.length, J = new Float64Array(dout * din);
  for (let k = 0; k < din; k++) {
    const xp = Float64Array.from(x), xm = Float64Array.from(x);
    xp[k] += h; xm[k] -= h;
    const yp = predict64(W, b, xp), ym = predict64(W, b, xm);
    for (let i = 0; i < dout; i++) J[i * din + k] = (yp[i] - ym[i]) / (2 * h);
  }
  return J;
}

/** Mixed central second differences of predict64: H[i, j, k]. */
function hessianFd(W: Float64Array, b: Float64Array, x: Float64Array, h = 1e-4): Float64Array {
  const dout = b.length, n = x.length, H = new Float64Array(dout * n * n);
  const at = (dj: number, dk: number, j: number, k: number) => {
    const z = Float64Array.from(x);
    z[j] += dj; z[k] += dk;
    return predict64(W, b, z);
  };
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < n; k++) {
      const pp = at(h, h, j, k), pm = at(h, -h, j, k), mp = at(-h, h, j, k), mm = at(-h, -h, j, k);
      for (let i = 0; i < dout; i++) H[(i * n + j) * n + k] = (pp[i] - pm[i] - mp[i] + mm[i]) / (4 * h * h);
    }
  }
  return H;
}

/** Per example b of a batch x [B, Din], a reference [Dout, ...] stacked to [B, Dout, ...]. */
function perExample(W: Float64Array, bias: Float64Array, xb: Float64Array, B: number, ref: typeof jacobian64): Float64Array {
  const din = xb.length / B, parts = Array.from({ length: B }, (_, e) => ref(W, bias, xb.subarray(e * din, (e + 1) * din)));
  const out = new Float64Array(parts[0].length * B);
  parts.forEach((p, e) => out.set(p, e * p.length));
  return out;
}

const shapeIs = (label: string, x: NDArray, want: number[]) =>
  expectTrue(`${label} has shape [${want}]`, x.shape.join() === want.join(), `got [${x.shape}]`);

// ---------------------------------------------------------------- the script

export function functorchJacobians(): void {
  section('functorch: Jacobians, hessians, and more (setup: predict R^16 -> R^16)');
  const D = 16;
  let key = random.key(0);
  const draw = (shape: number[]) => {
    const [k, sub] = random.split(key);
    key = k;
    return random.normal(sub, shape);
  };
  let weight = draw([D, D]), bias = draw([D]), x = draw([D]);
  let W64 = f64(weight), b64 = f64(bias), x64 = f64(x);
  const unitVectors = np.eye(D);
  const fx = (xp: A) => predict(weight, bias, xp);

  // compute_jac: one reverse pass per row, the forward re-run each time as torch.autograd.grad does.
  const computeJac = (xp: A) => np.stack([...unitVectors].map((vec) => vjp(fx, xp)[1](vec)[0]));
  const jacobian = computeJac(x);
  const [, vjpFn] = vjp(fx, x);
  const [ftJacobian] = vmap(vjpFn)(unitVectors);
  console.log(`jacobian (rows by a loop of vjp) [${jacobian.shape}], first row ${np.index(jacobian, 0)}`);
  expectClose('vmap(vjp_fn)(unit_vectors) == jacobian by rows', ftJacobian, jacobian, 1e-6);
  const J64 = jacobian64(W64, b64, x64);
  expectClose('jacobian == closed form (1 - y^2) W (float64)', jacobian, J64, 2e-6);
  expectClose('jacobian == central differences (float64)', jacobian, jacobianFd(W64, b64, x64), 2e-6);
  const jr = jacrev(predict, { argnums: 2 })(weight, bias, x);
  expectClose('jacrev(predict, argnums=2) == jacobian by rows', jr, jacobian, 1e-6);
  const tLoop = timeIt(() => computeJac(x).dataSync());
  const tVmap = timeIt(() => jacrev(predict, { argnums: 2 })(weight, bias, x).dataSync());
  console.log(`compute_jac(xp) (loop of ${D} vjp): ${tLoop.toFixed(3)} ms; jacrev(predict, argnums=2): ${tVmap.toFixed(3)} ms`);

  const [jacW, jacB] = jacrev(predict, { argnums: [0, 1] })(weight, bias, x);
  shapeIs('jac_weight', jacW, [D, D, D]);
  shapeIs('jac_bias', jacB, [D, D]);
  // dy_i/dW_jk = [i = j] (1 - y_i^2) x_k; dy_i/db_j = [i = j] (1 - y_i^2)
  const y64 = predict64(W64, b64, x64);
  const jW = new Float64Array(D * D * D), jB = new Float64Array(D * D);
  for (let i = 0; i < D; i++) {
    jB[i * D + i] = 1 - y64[i] ** 2;
    for (let k = 0; k < D; k++) jW[(i * D + i) * D + k] = (1 - y64[i] ** 2) * x64[k];
  }
  expectClose('jacrev argnums=(0, 1): jac_weight == closed form', jacW, jW, 2e-6);
  expectClose('jacrev argnums=(0, 1): jac_bias == closed form', jacB, jB, 2e-6);

  section('functorch: reverse-mode Jacobian (jacrev) vs forward-mode Jacobian (jacfwd)');
  for (const [Din, Dout] of [[32, 2048], [2048, 32]]) {
    const w = draw([Dout, Din]), b = draw([Dout]), xx = draw([Din]);
    const Jf = jacfwd(predict, { argnums: 2 })(w, b, xx);
    const Jr = jacrev(predict, { argnums: 2 })(w, b, xx);
    shapeIs(`jacfwd ${Din} -> ${Dout}`, Jf, [Dout, Din]);
    shapeIs(`jacrev ${Din} -> ${Dout}`, Jr, [Dout, Din]);
    expectClose(`jacfwd == jacrev, ${Din} -> ${Dout}`, Jf, Jr, 1e-6);
    // The float32 forward pass is the limit: W x sums Din products (|W x| reaches ~100 at
    // Din = 2048), its rounding error (~Din^0.5 eps |W||x|) moves 1 - y^2 by up to 0.77 times that.
    const tol = Din > 1000 ? 1e-4 : 5e-6;
    expectClose(`jacfwd == closed form (float64), ${Din} -> ${Dout}`, Jf, jacobian64(f64(w), f64(b), f64(xx)), tol);
    // Tighter: the closed form at the float32 forward pass's y (evaluated, not differentiated):
    // what is left is the rounding of 1 - y^2 and of one product, ~2 eps32 |W|.
    const y32 = f64(predict(w, b, xx)), W = f64(w);
    const atY32 = Float64Array.from(W, (v, q) => (1 - y32[Math.floor(q / Din)] ** 2) * v);
    console.log(`max |J| = ${Math.max(...Array.from(atY32, Math.abs)).toExponential(3)}`);
    expectClose(`jacfwd == (1 - y^2) W at the float32 forward's y, ${Din} -> ${Dout}`, Jf, atY32, 1e-6);
    expectClose(`jacrev == (1 - y^2) W at the float32 forward's y, ${Din} -> ${Dout}`, Jr, atY32, 1e-6);
    const tf = timeIt(() => jacfwd(predict, { argnums: 2 })(w, b, xx).dataSync());
    const tr = timeIt(() => jacrev(predict, { argnums: 2 })(w, b, xx).dataSync());
    console.log(`Din ${Din}, Dout ${Dout}: jacfwd time ${tf.toFixed(3)} ms, jacrev time ${tr.toFixed(3)} ms`);
  }

  section('functorch: Hessian computation with hessian (predict R^16 -> R^16)');
  // The script's hess2 is at its last sizes (2048 -> 32: a 32 x 2048 x 2048 Hessian, 512 MiB in
  // float32); this runs the three compositions on the first setup's D = 16.
  const hess0 = hessian(predict, { argnums: 2 })(weight, bias, x);
  const hess1 = jacfwd(jacfwd(predict, { argnums: 2 }), { argnums: 2 })(weight, bias, x);
  const hess2 = jacrev(jacrev(predict, { argnums: 2 }), { argnums: 2 })(weight, bias, x);
  shapeIs('hessian(predict, argnums=2)', hess0, [D, D, D]);
  console.log(`hess0[0, 0, :4] = ${np.index(hess0, 0, 0, '0:4')}`);
  const H64 = hessian64(W64, b64, x64);
  expectClose('hessian == closed form -2 y (1 - y^2) W_ij W_ik (float64)', hess0, H64, 2e-5);
  expectClose('hessian == mixed central differences (float64)', hess0, hessianFd(W64, b64, x64), 2e-5);
  expectClose('jacfwd(jacfwd) == hessian', hess1, hess0, 2e-5);
  expectClose('jacrev(jacrev) == hessian', hess2, hess0, 2e-5);

  section('functorch: batch Jacobian and batch Hessian (B 64, 31 -> 33)');
  const B = 64, Din = 31, Dout = 33;
  weight = draw([Dout, Din]); bias = draw([Dout]); x = draw([B, Din]);
  W64 = f64(weight); b64 = f64(bias); x64 = f64(x);
  const predictWithOutputSummed = (w: A, b: A, xb: A) => np.sum(predict(w, b, xb), { axis: 0 });
  const batchJacobian0 = jacrev(predictWithOutputSummed, { argnums: 2 })(weight, bias, x);
  // JAX's layout puts the output first ([Dout, B, Din]); the script's allclose against the
  // [B, Dout, Din] of vmap(jacrev) needs the batch axis moved first (functorch's later
  // versions of the script add .movedim(1, 0)).
  shapeIs('jacrev(predict_with_output_summed)', batchJacobian0, [Dout, B, Din]);
  const computeBatchJacobian = vmap(jacrev(predict, { argnums: 2 }), { inAxes: [null, null, 0] });
  const batchJacobian1 = computeBatchJacobian(weight, bias, x);
  shapeIs('vmap(jacrev(predict))', batchJacobian1, [B, Dout, Din]);
  expectClose('sum trick (batch axis moved first) == vmap(jacrev)', np.moveaxis(batchJacobian0, 1, 0), batchJacobian1, 1e-6);
  expectClose('vmap(jacrev) == closed form per example (float64)', batchJacobian1, perExample(W64, b64, x64, B, jacobian64), 5e-6);

  const computeBatchHessian = vmap(hessian(predict, { argnums: 2 }), { inAxes: [null, null, 0] });
  const batchHess = computeBatchHessian(weight, bias, x);
  shapeIs('vmap(hessian(predict))', batchHess, [B, Dout, Din, Din]);
  expectClose('vmap(hessian) == closed form per example (float64)', batchHess, perExample(W64, b64, x64, B, hessian64), 2e-5);
  expectClose('vmap(hessian)[0] == mixed central differences (float64)', np.index(batchHess, 0), hessianFd(W64, b64, x64.subarray(0, Din)), 2e-5);
  const tj = timeIt(() => computeBatchJacobian(weight, bias, x).dataSync());
  const th = timeIt(() => computeBatchHessian(weight, bias, x).dataSync(), 3);
  console.log(`vmap(jacrev): ${tj.toFixed(3)} ms; vmap(hessian): ${th.toFixed(3)} ms`);
}

runIfMain(import.meta.url, functorchJacobians); // on its own: node --import tsx examples/functorch_jacobians.ts
