// Issue 9's workloads: Hessian-vector products, Jacobians both ways on non-square maps,
// Hessians, vmap(hessian), the vmapped pullback against the same batched math done eagerly, and
// the Autodiff Cookbook's 128 covectors pulled back in one vmap against a loop of pullbacks.
// The map is functorch's predict: y = tanh(W x + b). References are closed forms in float64.
import { uniform, relError, LOGREG, type Inputs, type Typed, type Workload } from './workloads.js';

export type JacCaseId =
  | 'hvp_tanh2_30x40'
  | 'jacfwd_32_2048' | 'jacrev_32_2048' | 'jacfwd_2048_32' | 'jacrev_2048_32'
  | 'hessian_16' | 'vmap_hessian_64'
  | 'vmap_pullback' | 'eager_pullback_math'
  | 'mjp_loop_128' | 'mjp_vmap_128';

/** The sizes of each case's map x -> tanh(W x + b) (B examples for the vmapped ones). */
export const JAC = {
  hvp: { m: 30, n: 40 },
  hess: { d: 16 },
  vhess: { B: 64, din: 31, dout: 33 },
  pull: { K: 256, din: 32, dout: 2048 },
  mjp: { K: 128 },
};

function predictInputs(seed: number, din: number, dout: number, batch = 0): Inputs {
  // W scaled by 1/sqrt(din) so tanh is not saturated at either size
  const s = 1 / Math.sqrt(din);
  return {
    W: { data: uniform(seed, dout * din, -2 * s, 2 * s), shape: [dout, din] },
    b: { data: uniform(seed + 1, dout, -0.5, 0.5), shape: [dout] },
    x: { data: uniform(seed + 2, (batch || 1) * din, -1, 1), shape: batch ? [batch, din] : [din] },
  };
}

/** y = tanh(W x + b) for the example at offset `xo` of x. */
function forward(inp: Inputs, xo = 0): { y: Float64Array; W: ArrayLike<number>; din: number; dout: number } {
  const [dout, din] = inp.W.shape, W = inp.W.data, b = inp.b.data, x = inp.x.data;
  const y = new Float64Array(dout);
  for (let i = 0; i < dout; i++) {
    let z = b[i];
    for (let k = 0; k < din; k++) z += W[i * din + k] * x[xo + k];
    y[i] = Math.tanh(z);
  }
  return { y, W, din, dout };
}

/** J[i, k] = (1 - y_i^2) W_ik (JAX's layout: output axes first). */
function jacRef(inp: Inputs): Float64Array[] {
  const { y, W, din, dout } = forward(inp);
  return [Float64Array.from({ length: dout * din }, (_, q) => (1 - y[Math.floor(q / din)] ** 2) * W[q])];
}

/** H[i, j, k] = -2 y_i (1 - y_i^2) W_ij W_ik, per example of a batch when `batch`. */
function hessRef(inp: Inputs, batch = 0): Float64Array[] {
  const [dout, din] = inp.W.shape, W = inp.W.data, per = dout * din * din;
  const out = new Float64Array(per * (batch || 1));
  for (let e = 0; e < (batch || 1); e++) {
    const { y } = forward(inp, e * din);
    for (let i = 0; i < dout; i++) {
      const c = -2 * y[i] * (1 - y[i] * y[i]);
      for (let j = 0; j < din; j++) for (let k = 0; k < din; k++) out[e * per + (i * din + j) * din + k] = c * W[i * din + j] * W[i * din + k];
    }
  }
  return [out];
}

/** The cookbook's logistic predictions of W (4 inputs x 3 features) and 128 covectors. */
function mjpInputs(): Inputs {
  return {
    inputs: { data: Float32Array.from(LOGREG.inputs), shape: [4, 3] },
    W: { data: Float32Array.from(LOGREG.W), shape: [3] },
    b: { data: Float32Array.of(LOGREG.b), shape: [] },
    U: { data: uniform(91, JAC.mjp.K * 4, -1, 1), shape: [JAC.mjp.K, 4] },
  };
}

/** U J with J[i, j] = p_i (1 - p_i) X_ij, p = sigmoid(X W + b). */
function mjpRef(inp: Inputs): Float64Array[] {
  const X = inp.inputs.data, W = inp.W.data, b = inp.b.data[0], U = inp.U.data, K = JAC.mjp.K;
  const out = new Float64Array(K * 3);
  for (let i = 0; i < 4; i++) {
    const z = X[i * 3] * W[0] + X[i * 3 + 1] * W[1] + X[i * 3 + 2] * W[2] + b;
    const p = 1 / (1 + Math.exp(-z)), d = p * (1 - p);
    for (let r = 0; r < K; r++) for (let j = 0; j < 3; j++) out[r * 3 + j] += U[r * 4 + i] * d * X[i * 3 + j];
  }
  return [out];
}

function pullInputs(): Inputs {
  const { K, din, dout } = JAC.pull;
  return { ...predictInputs(81, din, dout), U: { data: uniform(84, K * dout, -1, 1), shape: [K, dout] } };
}

/** U diag(1 - y^2) W: the K covectors pulled back to x. */
function pullRef(inp: Inputs): Float64Array[] {
  const { y, W, din, dout } = forward(inp), K = JAC.pull.K, U = inp.U.data;
  const out = new Float64Array(K * din);
  for (let r = 0; r < K; r++) {
    for (let i = 0; i < dout; i++) {
      const c = U[r * dout + i] * (1 - y[i] * y[i]);
      for (let k = 0; k < din; k++) out[r * din + k] += c * W[i * din + k];
    }
  }
  return [out];
}

/**
 * A wrong Jacobian or Hessian that is JAX's answer with its axes permuted (jax-js 0.1.25's
 * jacfwd puts the input axis first): says which layout it is.
 */
function layoutOf(out: Typed[], inp: Inputs, ref: Float64Array[]): string | undefined {
  const [dout, din] = inp.W.shape, batch = inp.x.shape.length > 1 ? inp.x.shape[0] : 1;
  const per = ref[0].length / batch;
  if (out.length !== 1 || out[0].length !== ref[0].length) return undefined;
  const hess = per === dout * din * din;
  // the candidate layouts of one example, as index maps from JAX's [out, in(, in)]
  const layouts: [string, (i: number, j: number, k: number) => number][] = hess
    ? [['[in, out, in]', (i, j, k) => (j * dout + i) * din + k], ['[in, in, out]', (i, j, k) => (j * din + k) * dout + i]]
    : [['[in, out] (the transpose)', (i, j) => j * dout + i]];
  for (const [name, at] of layouts) {
    const moved = new Float64Array(ref[0].length);
    for (let e = 0; e < batch; e++) {
      for (let i = 0; i < dout; i++) for (let j = 0; j < din; j++) for (let k = 0; k < (hess ? din : 1); k++) {
        moved[e * per + at(i, j, k)] = ref[0][e * per + (hess ? (i * din + j) * din + k : i * din + j)];
      }
    }
    if (relError(out, [moved]) <= 2e-5) return `its values are JAX's in the layout ${name}, not JAX's out.shape ++ in.shape`;
  }
  return undefined;
}

function jacCase(mode: 'jacfwd' | 'jacrev', din: number, dout: number): Workload {
  return {
    id: `${mode}_${din}_${dout}` as Workload['id'], group: 'autodiff',
    label: `${mode} of tanh(W x + b), ${din} -> ${dout}`,
    tol: 2e-5,
    inputs: () => predictInputs(din === 32 ? 101 : 111, din, dout),
    ref: jacRef,
    diagnose: layoutOf,
  };
}

export const JACOBIAN_WORKLOADS: Workload[] = [
  {
    id: 'hvp_tanh2_30x40', group: 'autodiff', label: 'hvp of sum(tanh(X)^2), X, V 30x40 (fwd-over-rev)',
    micro: true, tol: 2e-5,
    inputs: () => ({
      X: { data: uniform(121, 1200, -2, 2), shape: [30, 40] },
      V: { data: uniform(122, 1200, -1, 1), shape: [30, 40] },
    }),
    // d2/dx2 tanh^2 = 2 s^2 - 4 t^2 s, s = 1 - t^2: a diagonal Hessian
    ref: (inp) => [Float64Array.from(inp.X.data, (x, i) => {
      const t = Math.tanh(x), s = 1 - t * t;
      return (2 * s * s - 4 * t * t * s) * inp.V.data[i];
    })],
  },
  jacCase('jacfwd', 32, 2048), jacCase('jacrev', 32, 2048), jacCase('jacfwd', 2048, 32), jacCase('jacrev', 2048, 32),
  {
    id: 'hessian_16', group: 'autodiff', label: 'hessian of tanh(W x + b), 16 -> 16 ([16, 16, 16])',
    micro: true, tol: 2e-5,
    inputs: () => predictInputs(131, JAC.hess.d, JAC.hess.d),
    ref: (inp) => hessRef(inp),
    diagnose: layoutOf,
  },
  {
    id: 'vmap_hessian_64', group: 'autodiff', label: 'vmap(hessian) of tanh(W x + b), B 64, 31 -> 33',
    tol: 2e-5,
    inputs: () => predictInputs(141, JAC.vhess.din, JAC.vhess.dout, JAC.vhess.B),
    ref: (inp) => hessRef(inp, JAC.vhess.B),
    diagnose: layoutOf,
  },
  {
    id: 'vmap_pullback', group: 'autodiff',
    label: `vmap of the pullback of tanh(W x + b), ${JAC.pull.K} covectors, ${JAC.pull.din} -> ${JAC.pull.dout} (call only)`,
    cost: { flop: 2 * JAC.pull.K * JAC.pull.din * JAC.pull.dout, ceiling: 40, ceilingLabel: 'f32 40' },
    tol: 2e-5,
    inputs: pullInputs,
    ref: pullRef,
  },
  {
    id: 'eager_pullback_math', group: 'autodiff', label: 'the same batched math eagerly: (U * (1 - y^2)) @ W',
    cost: { flop: 2 * JAC.pull.K * JAC.pull.din * JAC.pull.dout, ceiling: 40, ceilingLabel: 'f32 40' },
    tol: 2e-5,
    inputs: pullInputs,
    ref: pullRef,
  },
  {
    id: 'mjp_loop_128', group: 'autodiff', label: "cookbook: loop_mjp, 128 covectors pulled back one by one (vjp + 128 pullbacks)",
    tol: 2e-5,
    inputs: mjpInputs,
    ref: mjpRef,
  },
  {
    id: 'mjp_vmap_128', group: 'autodiff', label: 'cookbook: vmap_mjp, the 128 covectors in one vmap of the pullback',
    micro: true, tol: 2e-5,
    inputs: mjpInputs,
    ref: mjpRef,
  },
];
