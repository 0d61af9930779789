// Issue 10's seed workloads that the earlier lists lack, each run eagerly and under jit: the
// MLP 784-256-10 with softmax cross-entropy (its gradient, batch 128, and one SGD step on it,
// the jitted training step), and exp over 1M floats; and the gradient of a tanh RNN through T
// steps, a loop (lax.scan in cotangent, a JS loop in the peers, which have no scan: their jit
// unrolls it). References in float64, in plain JS.
import { uniform, CEIL_F32_STREAM, type Inputs, type Workload } from './workloads.js';

export type JitCaseId = 'mlp_xent_grad' | 'mlp_sgd_step' | 'exp_1m' | 'rnn_grad';

export const XENT = { batch: 128, din: 784, dh: 256, dout: 10, lr: 0.1 };
/** Issue 10's target for e: 2.8 ms, ~37 GFLOP/s (about 90% of one core's plain-SIMD matmul). */
export const MLP_TARGET_GFLOPS = 37;
/** Forward x W1 and h W2, backward h^T dlogits, dlogits W2^T and x^T dz (no dx). */
const XENT_FLOP = 2 * 2 * XENT.batch * XENT.din * XENT.dh + 3 * 2 * XENT.batch * XENT.dh * XENT.dout;

function xentInputs(): Inputs {
  const { batch: B, din: D, dh: H, dout: O } = XENT;
  const y = new Float32Array(B * O);
  for (let i = 0; i < B; i++) y[i * O + ((i * 7 + 3) % O)] = 1; // one-hot labels
  return {
    x: { data: uniform(81, B * D, 0, 1), shape: [B, D] },
    y: { data: y, shape: [B, O] },
    W1: { data: uniform(83, D * H, -0.05, 0.05), shape: [D, H] },
    b1: { data: uniform(84, H, -0.05, 0.05), shape: [H] },
    W2: { data: uniform(85, H * O, -0.2, 0.2), shape: [H, O] },
    b2: { data: uniform(86, O, -0.1, 0.1), shape: [O] },
  };
}

/** The gradients of -mean_i sum_j y_ij log softmax(h W2 + b2)_ij, h = tanh(x W1 + b1): W1, b1, W2, b2. */
function xentGradRef(inp: Inputs): Float64Array[] {
  const { batch: B, din: D, dh: H, dout: O } = XENT;
  const x = inp.x.data, y = inp.y.data, W1 = inp.W1.data, b1 = inp.b1.data, W2 = inp.W2.data, b2 = inp.b2.data;
  const h = new Float64Array(B * H);
  for (let i = 0; i < B; i++) {
    for (let j = 0; j < H; j++) {
      let z = b1[j];
      for (let k = 0; k < D; k++) z += x[i * D + k] * W1[k * H + j];
      h[i * H + j] = Math.tanh(z);
    }
  }
  // dlogits = (softmax - y) / B
  const dl = new Float64Array(B * O);
  for (let i = 0; i < B; i++) {
    const l = new Float64Array(O);
    let mx = -Infinity;
    for (let o = 0; o < O; o++) {
      let z = b2[o];
      for (let j = 0; j < H; j++) z += h[i * H + j] * W2[j * O + o];
      l[o] = z; mx = Math.max(mx, z);
    }
    let s = 0;
    for (let o = 0; o < O; o++) s += Math.exp(l[o] - mx);
    for (let o = 0; o < O; o++) dl[i * O + o] = (Math.exp(l[o] - mx) / s - y[i * O + o]) / B;
  }
  const gW2 = new Float64Array(H * O), gb2 = new Float64Array(O), dz = new Float64Array(B * H);
  for (let i = 0; i < B; i++) {
    for (let o = 0; o < O; o++) {
      gb2[o] += dl[i * O + o];
      for (let j = 0; j < H; j++) gW2[j * O + o] += h[i * H + j] * dl[i * O + o];
    }
    for (let j = 0; j < H; j++) {
      let s = 0;
      for (let o = 0; o < O; o++) s += dl[i * O + o] * W2[j * O + o];
      dz[i * H + j] = s * (1 - h[i * H + j] * h[i * H + j]);
    }
  }
  const gW1 = new Float64Array(D * H), gb1 = new Float64Array(H);
  for (let i = 0; i < B; i++) {
    for (let j = 0; j < H; j++) gb1[j] += dz[i * H + j];
    for (let k = 0; k < D; k++) {
      const xv = x[i * D + k];
      if (xv === 0) continue;
      for (let j = 0; j < H; j++) gW1[k * H + j] += xv * dz[i * H + j];
    }
  }
  return [gW1, gb1, gW2, gb2];
}

/** The RNN: h_{t+1} = tanh(h_t W + x_t U + b) from h_0 = 0, loss = sum_t sum(h_{t+1}^2) / (T B). */
export const RNN = { steps: 100, batch: 16, din: 32, dh: 128 };
/** Per step: forward h W and x U; backward dz^T-weighted h and x (dW, dU) and dz W^T. */
const RNN_FLOP = RNN.steps * 2 * RNN.batch * RNN.dh * (3 * RNN.dh + 2 * RNN.din);

function rnnInputs(): Inputs {
  const { steps: T, batch: B, din: D, dh: H } = RNN;
  return {
    W: { data: uniform(101, H * H, -0.15, 0.15), shape: [H, H] },
    U: { data: uniform(102, D * H, -0.2, 0.2), shape: [D, H] },
    b: { data: uniform(103, H, -0.1, 0.1), shape: [H] },
    xs: { data: uniform(104, T * B * D, -1, 1), shape: [T, B, D] },
  };
}

/** dloss/dW, dU, db by backpropagation through time, in float64. */
function rnnGradRef(inp: Inputs): Float64Array[] {
  const { steps: T, batch: B, din: D, dh: H } = RNN;
  const W = inp.W.data, U = inp.U.data, b = inp.b.data, xs = inp.xs.data;
  const hs: Float64Array[] = [new Float64Array(B * H)];
  for (let t = 0; t < T; t++) {
    const h = hs[t], next = new Float64Array(B * H);
    for (let i = 0; i < B; i++) {
      for (let j = 0; j < H; j++) {
        let z = b[j];
        for (let k = 0; k < H; k++) z += h[i * H + k] * W[k * H + j];
        for (let k = 0; k < D; k++) z += xs[(t * B + i) * D + k] * U[k * H + j];
        next[i * H + j] = Math.tanh(z);
      }
    }
    hs.push(next);
  }
  const gW = new Float64Array(H * H), gU = new Float64Array(D * H), gb = new Float64Array(H);
  let g = new Float64Array(B * H); // dloss/dh_{t+1} through the later steps
  for (let t = T - 1; t >= 0; t--) {
    const h = hs[t], hn = hs[t + 1], dz = new Float64Array(B * H);
    for (let e = 0; e < B * H; e++) dz[e] = (g[e] + 2 * hn[e] / (T * B)) * (1 - hn[e] * hn[e]);
    const prev = new Float64Array(B * H);
    for (let i = 0; i < B; i++) {
      for (let j = 0; j < H; j++) {
        const d = dz[i * H + j];
        gb[j] += d;
        for (let k = 0; k < H; k++) { gW[k * H + j] += h[i * H + k] * d; prev[i * H + k] += d * W[k * H + j]; }
        for (let k = 0; k < D; k++) gU[k * H + j] += xs[(t * B + i) * D + k] * d;
      }
    }
    g = prev;
  }
  return [gW, gU, gb];
}

const M = 1 << 20;

export const JIT_WORKLOADS: Workload[] = [
  {
    id: 'exp_1m', group: 'elementwise', label: 'exp f32 1M',
    cost: { bytes: 8 * M, ceiling: CEIL_F32_STREAM, ceilingLabel: 'stream 50' },
    tol: 2e-6,
    inputs: () => ({ x: { data: uniform(91, M, -4, 4), shape: [M] } }),
    ref: (inp) => [Float64Array.from(inp.x.data, Math.exp)],
  },
  {
    id: 'mlp_xent_grad', group: 'autodiff', label: 'grad MLP 784-256-10 softmax xent, batch 128',
    cost: { flop: XENT_FLOP, ceiling: MLP_TARGET_GFLOPS, ceilingLabel: 'target 37' },
    tol: 5e-5,
    inputs: xentInputs,
    ref: xentGradRef,
  },
  {
    id: 'mlp_sgd_step', group: 'autodiff', label: 'SGD step on it (params - 0.1 grad)',
    cost: { flop: XENT_FLOP, ceiling: MLP_TARGET_GFLOPS, ceilingLabel: 'target 37' },
    tol: 2e-6,
    inputs: xentInputs,
    ref: (inp) => xentGradRef(inp).map((g, k) => {
      const p = inp[['W1', 'b1', 'W2', 'b2'][k]].data;
      return Float64Array.from(g, (v, i) => p[i] - XENT.lr * v);
    }),
  },
  {
    id: 'rnn_grad', group: 'autodiff', label: `grad tanh RNN, ${RNN.steps} steps, batch ${RNN.batch}, ${RNN.din}->${RNN.dh}`,
    cost: { flop: RNN_FLOP, ceiling: MLP_TARGET_GFLOPS, ceilingLabel: 'target 37' },
    tol: 2e-5,
    inputs: rnnInputs,
    ref: rnnGradRef,
  },
];
