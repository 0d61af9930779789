// The benchmark's workloads: their inputs (deterministic, as plain JS typed arrays), their cost
// (FLOPs or bytes moved by the kernel) and a float64 reference answer computed here in plain JS,
// against which every library's result is checked before it is timed.
//
// Every library adapter receives the same `Inputs` and must return the same outputs (a list of
// typed arrays, in the order `ref` gives them). A timed call pays what a user pays: typed arrays
// in -> library arrays -> the computation -> typed arrays out.

export type Typed = Float32Array | Float64Array;

export type CaseId =
  | 'matmul_f32_128' | 'matmul_f32_256' | 'matmul_f32_512' | 'matmul_f32_1024'
  | 'matmul_f64_256' | 'matmul_f64_512'
  | 'tanh_1m' | 'add_1m' | 'sum_axis0' | 'sum_axis1'
  | 'logreg_grad' | 'mlp_grad' | 'jvp_tanh_matmul' | 'grad2_tanh' | 'grad3_tanh' | 'grad2_xtanh' | 'hvp_tanh'
  | 'pullback_dot' | 'eager_dot_math'
  | import('./workloads_jacobians.js').JacCaseId
  | import('./workloads_jit.js').JitCaseId;

export type Group = 'matmul' | 'elementwise' | 'reduction' | 'autodiff';

export interface Workload {
  id: CaseId;
  group: Group;
  label: string;
  /** Kernel work: FLOPs (flop) or bytes read + written by the kernels (bytes); none = overhead case. */
  cost?: { flop?: number; bytes?: number; ceiling: number; ceilingLabel: string };
  /** Report per-call time in microseconds instead of milliseconds. */
  micro?: boolean;
  /** Tolerance on max|out - ref| / max|ref| per output. */
  tol: number;
  /** Builds the inputs (named typed arrays, shapes alongside). */
  inputs: () => Inputs;
  /** The float64 reference outputs for the inputs. */
  ref: (inp: Inputs) => Float64Array[];
  /** For a wrong answer: what it is instead, when recognizable (e.g. the transposed layout). */
  diagnose?: (out: Typed[], inp: Inputs, ref: Float64Array[]) => string | undefined;
}

export interface Inputs {
  [name: string]: { data: Typed; shape: number[] };
}

// Measured ceilings of this machine (shared/TOOLCHAIN.md; one core, wasm SIMD, Node 20).
export const CEIL_F32_MATMUL = 40; // GFLOP/s
export const CEIL_F64_MATMUL = 18; // GFLOP/s (TOOLCHAIN: ~11-18; the top of the range)
export const CEIL_F32_STREAM = 50; // GB/s (f32 axpy SIMD)

// ---------------------------------------------------------------- deterministic data

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform in [lo, hi), rounded to the dtype, so the float64 reference sees the exact values. */
export function uniform(seed: number, n: number, lo = -1, hi = 1, f64 = false): Typed {
  const r = mulberry32(seed);
  const out = f64 ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * r();
  return out;
}

// ---------------------------------------------------------------- float64 references

function matmulRef(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p];
      if (aip === 0) continue;
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j] += aip * b[bp + j];
    }
  }
  return c;
}

/** a^T b for a [k, m], b [k, n]. */
function matmulTNRef(a: ArrayLike<number>, b: ArrayLike<number>, k: number, m: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let p = 0; p < k; p++) {
    for (let i = 0; i < m; i++) {
      const api = a[p * m + i];
      if (api === 0) continue;
      for (let j = 0; j < n; j++) c[i * n + j] += api * b[p * n + j];
    }
  }
  return c;
}

/** a b^T for a [m, k], b [n, k]. */
function matmulNTRef(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * b[j * k + p];
      c[i * n + j] = s;
    }
  }
  return c;
}

// The Autodiff Cookbook's logistic regression (4 inputs x 3 features).
export const LOGREG = {
  inputs: [0.52, 1.12, 0.77, 0.88, -1.08, 0.15, 0.52, 0.06, -1.30, 0.74, -2.49, 1.39],
  targets: [1, 1, 0, 1],
  W: [-0.36838785, -2.275689, 0.011447566],
  b: 0.8535516,
  /** What the notebook prints (float32 JAX): W_grad, b_grad. */
  wantW: [-0.16965576, -0.8774645, -1.4901344],
  wantB: -0.29227236,
};

function logregRef(inp: Inputs): Float64Array[] {
  const X = inp.inputs.data, t = inp.targets.data, W = inp.W.data, b = inp.b.data[0];
  const gW = new Float64Array(3);
  let gb = 0;
  for (let i = 0; i < 4; i++) {
    const z = X[i * 3] * W[0] + X[i * 3 + 1] * W[1] + X[i * 3 + 2] * W[2] + b;
    const p = 0.5 * (Math.tanh(z / 2) + 1);
    // loss_i = -log(p t + (1 - p)(1 - t)); d/dz = p - t for t in {0, 1}
    const dz = p - t[i];
    for (let j = 0; j < 3; j++) gW[j] += dz * X[i * 3 + j];
    gb += dz;
  }
  return [gW, Float64Array.of(gb)];
}

// MLP: h = tanh(x W1 + b1), out = h W2 + b2, loss = mean((out - y)^2); grads of W1, b1, W2, b2.
export const MLP = { batch: 128, din: 784, dh: 256, dout: 10 };

function mlpRef(inp: Inputs): Float64Array[] {
  const { batch: B, din: D, dh: H, dout: O } = MLP;
  const x = inp.x.data, y = inp.y.data, W1 = inp.W1.data, b1 = inp.b1.data, W2 = inp.W2.data, b2 = inp.b2.data;
  const z1 = matmulRef(x, W1, B, D, H);
  const h = new Float64Array(B * H);
  for (let i = 0; i < B; i++) for (let j = 0; j < H; j++) h[i * H + j] = Math.tanh(z1[i * H + j] + b1[j]);
  const out = matmulRef(h, W2, B, H, O);
  const dout = new Float64Array(B * O);
  for (let i = 0; i < B; i++) for (let j = 0; j < O; j++) dout[i * O + j] = (2 / (B * O)) * (out[i * O + j] + b2[j] - y[i * O + j]);
  const gW2 = matmulTNRef(h, dout, B, H, O);
  const gb2 = new Float64Array(O);
  for (let i = 0; i < B; i++) for (let j = 0; j < O; j++) gb2[j] += dout[i * O + j];
  const dh = matmulNTRef(dout, W2, B, O, H);
  const dz = new Float64Array(B * H);
  for (let i = 0; i < B * H; i++) dz[i] = dh[i] * (1 - h[i] * h[i]);
  const gW1 = matmulTNRef(x, dz, B, D, H);
  const gb1 = new Float64Array(H);
  for (let i = 0; i < B; i++) for (let j = 0; j < H; j++) gb1[j] += dz[i * H + j];
  return [gW1, gb1, gW2, gb2];
}

// jvp of f(x, W) = tanh(x @ W) at (x, W) along (dx, dW).
export const PB = { m: 4, k: 32, n: 2048 };
const JVP = { m: 128, k: 256, n: 256 };

function jvpRef(inp: Inputs): Float64Array[] {
  const { m, k, n } = JVP;
  const z = matmulRef(inp.x.data, inp.W.data, m, k, n);
  const dz1 = matmulRef(inp.dx.data, inp.W.data, m, k, n);
  const dz2 = matmulRef(inp.x.data, inp.dW.data, m, k, n);
  const y = new Float64Array(m * n), dy = new Float64Array(m * n);
  for (let i = 0; i < m * n; i++) {
    y[i] = Math.tanh(z[i]);
    dy[i] = (1 - y[i] * y[i]) * (dz1[i] + dz2[i]);
  }
  return [y, dy];
}

// HVP of f(x) = sum(tanh(A x)) (A [n, n]) along v, forward-over-reverse: jvp(grad(f), [x], [v]).
// H v = A^T diag(-2 t (1 - t^2)) A v with t = tanh(A x).
export const HVP = { n: 256 };

function hvpRef(inp: Inputs): Float64Array[] {
  const n = HVP.n, A = inp.A.data, x = inp.x.data, v = inp.v.data;
  const z = matmulRef(A, x, n, n, 1), av = matmulRef(A, v, n, n, 1);
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = Math.tanh(z[i]);
    s[i] = -2 * t * (1 - t * t) * av[i];
  }
  return [matmulTNRef(A, s, n, n, 1)];
}

// d^k/dx^k tanh at 2.0.
function tanhDerivs(x: number): [number, number, number] {
  const t = Math.tanh(x), s = 1 - t * t;
  return [s, -2 * t * s, -2 * s * s + 4 * t * t * s];
}

// ---------------------------------------------------------------- the list

const sq = (n: number, f64: boolean, seed: number) => ({ data: uniform(seed, n * n, -1, 1, f64), shape: [n, n] });

function matmulCase(n: number, f64: boolean): Workload {
  return {
    id: `matmul_${f64 ? 'f64' : 'f32'}_${n}` as CaseId,
    group: 'matmul',
    label: `matmul ${f64 ? 'f64' : 'f32'} ${n}x${n}`,
    cost: { flop: 2 * n * n * n, ceiling: f64 ? CEIL_F64_MATMUL : CEIL_F32_MATMUL, ceilingLabel: f64 ? 'f64 18' : 'f32 40' },
    micro: n <= 128,
    tol: f64 ? 1e-12 : 2e-5,
    inputs: () => ({ a: sq(n, f64, 11 + n), b: sq(n, f64, 13 + n) }),
    ref: (inp) => [matmulRef(inp.a.data, inp.b.data, n, n, n)],
  };
}

const M = 1 << 20;
const R = 1024;

export const WORKLOADS: Workload[] = [
  matmulCase(128, false), matmulCase(256, false), matmulCase(512, false), matmulCase(1024, false),
  matmulCase(256, true), matmulCase(512, true),
  {
    id: 'tanh_1m', group: 'elementwise', label: 'tanh f32 1M',
    cost: { bytes: 8 * M, ceiling: CEIL_F32_STREAM, ceilingLabel: 'stream 50' },
    tol: 2e-6,
    inputs: () => ({ x: { data: uniform(21, M, -4, 4), shape: [M] } }),
    ref: (inp) => [Float64Array.from(inp.x.data, Math.tanh)],
  },
  {
    id: 'add_1m', group: 'elementwise', label: 'add f32 1M',
    cost: { bytes: 12 * M, ceiling: CEIL_F32_STREAM, ceilingLabel: 'stream 50' },
    tol: 1e-7,
    inputs: () => ({ x: { data: uniform(22, M), shape: [M] }, y: { data: uniform(23, M), shape: [M] } }),
    ref: (inp) => [Float64Array.from(inp.x.data, (v, i) => Math.fround(v + inp.y.data[i]))],
  },
  {
    id: 'sum_axis0', group: 'reduction', label: 'sum axis 0 of f32 1024x1024',
    cost: { bytes: 4 * (R * R + R), ceiling: CEIL_F32_STREAM, ceilingLabel: 'stream 50' },
    tol: 5e-5,
    inputs: () => ({ x: { data: uniform(31, R * R, 0, 1), shape: [R, R] } }),
    ref: (inp) => {
      const out = new Float64Array(R);
      for (let i = 0; i < R; i++) for (let j = 0; j < R; j++) out[j] += inp.x.data[i * R + j];
      return [out];
    },
  },
  {
    id: 'sum_axis1', group: 'reduction', label: 'sum axis 1 of f32 1024x1024',
    cost: { bytes: 4 * (R * R + R), ceiling: CEIL_F32_STREAM, ceilingLabel: 'stream 50' },
    tol: 5e-5,
    inputs: () => ({ x: { data: uniform(32, R * R, 0, 1), shape: [R, R] } }),
    ref: (inp) => {
      const out = new Float64Array(R);
      for (let i = 0; i < R; i++) for (let j = 0; j < R; j++) out[i] += inp.x.data[i * R + j];
      return [out];
    },
  },
  {
    id: 'logreg_grad', group: 'autodiff', label: 'grad logistic regression (cookbook 4x3)',
    micro: true,
    tol: 2e-6,
    inputs: () => ({
      inputs: { data: Float32Array.from(LOGREG.inputs), shape: [4, 3] },
      targets: { data: Float32Array.from(LOGREG.targets), shape: [4] },
      W: { data: Float32Array.from(LOGREG.W), shape: [3] },
      b: { data: Float32Array.of(LOGREG.b), shape: [] },
    }),
    ref: logregRef,
  },
  {
    id: 'mlp_grad', group: 'autodiff', label: 'grad MLP 784-256-10 tanh MSE, batch 128',
    cost: {
      // forward matmuls + dW1, dW2 and dh matmuls (dx is not needed)
      flop: 2 * 2 * MLP.batch * MLP.din * MLP.dh + 3 * 2 * MLP.batch * MLP.dh * MLP.dout,
      ceiling: CEIL_F32_MATMUL, ceilingLabel: 'f32 40',
    },
    tol: 2e-5,
    inputs: () => {
      const { batch: B, din: D, dh: H, dout: O } = MLP;
      return {
        x: { data: uniform(41, B * D, 0, 1), shape: [B, D] },
        y: { data: uniform(42, B * O, 0, 1), shape: [B, O] },
        W1: { data: uniform(43, D * H, -0.05, 0.05), shape: [D, H] },
        b1: { data: uniform(44, H, -0.1, 0.1), shape: [H] },
        W2: { data: uniform(45, H * O, -0.1, 0.1), shape: [H, O] },
        b2: { data: uniform(46, O, -0.1, 0.1), shape: [O] },
      };
    },
    ref: mlpRef,
  },
  {
    id: 'jvp_tanh_matmul', group: 'autodiff', label: 'jvp tanh(x@W), x 128x256, W 256x256',
    cost: { flop: 3 * 2 * JVP.m * JVP.k * JVP.n, ceiling: CEIL_F32_MATMUL, ceilingLabel: 'f32 40' },
    tol: 2e-5,
    inputs: () => {
      const { m, k, n } = JVP;
      return {
        x: { data: uniform(51, m * k, -0.2, 0.2), shape: [m, k] },
        W: { data: uniform(52, k * n, -0.2, 0.2), shape: [k, n] },
        dx: { data: uniform(53, m * k), shape: [m, k] },
        dW: { data: uniform(54, k * n), shape: [k, n] },
      };
    },
    ref: jvpRef,
  },
  {
    id: 'grad2_tanh', group: 'autodiff', label: 'grad(grad(tanh))(2.0) scalar',
    micro: true, tol: 2e-6,
    inputs: () => ({ x: { data: Float32Array.of(2), shape: [] } }),
    ref: () => [Float64Array.of(tanhDerivs(2)[1])],
  },
  {
    id: 'grad3_tanh', group: 'autodiff', label: 'grad(grad(grad(tanh)))(2.0) scalar',
    micro: true, tol: 5e-6,
    inputs: () => ({ x: { data: Float32Array.of(2), shape: [] } }),
    ref: () => [Float64Array.of(tanhDerivs(2)[2])],
  },
  {
    // x tanh(x) has a path from x that does not go through tanh: a library that drops tanh's
    // second-order term gives a plausible number instead of an error.
    id: 'grad2_xtanh', group: 'autodiff', label: 'grad(grad(x*tanh(x)))(2.0) scalar',
    micro: true, tol: 2e-6,
    inputs: () => ({ x: { data: Float32Array.of(2), shape: [] } }),
    ref: () => {
      const [d1, d2] = tanhDerivs(2);
      return [Float64Array.of(2 * d1 + 2 * d2)];
    },
  },
  {
    id: 'hvp_tanh', group: 'autodiff', label: 'HVP sum(tanh(A@x)), A 256x256 (fwd-over-rev)',
    cost: { flop: 4 * 2 * HVP.n * HVP.n, ceiling: CEIL_F32_MATMUL, ceilingLabel: 'f32 40' },
    micro: true,
    tol: 2e-5,
    inputs: () => ({
      A: { data: uniform(61, HVP.n * HVP.n, -0.1, 0.1), shape: [HVP.n, HVP.n] },
      x: { data: uniform(62, HVP.n), shape: [HVP.n] },
      v: { data: uniform(63, HVP.n), shape: [HVP.n] },
    }),
    ref: hvpRef,
  },
  {
    // The pullback of (x, W) -> x @ W: its cotangent rows are dot_generals with other dimension
    // numbers (no transpose rows), so it must cost what the same two products cost eagerly
    // (the next case).
    id: 'pullback_dot', group: 'autodiff', label: `vjp pullback of x@W, x ${PB.m}x${PB.k}, W ${PB.k}x${PB.n} (call only)`,
    cost: { flop: 2 * 2 * PB.m * PB.k * PB.n, ceiling: CEIL_F32_MATMUL, ceilingLabel: 'f32 40' },
    micro: true, tol: 2e-5,
    inputs: pullbackInputs,
    ref: pullbackRef,
  },
  {
    id: 'eager_dot_math', group: 'autodiff', label: `the same math eagerly: ct W^T and x^T ct (lax.dotGeneral)`,
    cost: { flop: 2 * 2 * PB.m * PB.k * PB.n, ceiling: CEIL_F32_MATMUL, ceilingLabel: 'f32 40' },
    micro: true, tol: 2e-5,
    inputs: pullbackInputs,
    ref: pullbackRef,
  },
];

function pullbackInputs(): Inputs {
  const { m, k, n } = PB;
  return {
    x: { data: uniform(71, m * k, -1, 1), shape: [m, k] },
    W: { data: uniform(72, k * n, -1, 1), shape: [k, n] },
    ct: { data: uniform(73, m * n, -1, 1), shape: [m, n] },
  };
}

/** dx = ct W^T, dW = x^T ct, in float64. */
function pullbackRef(inp: Inputs): Float64Array[] {
  const { m, k, n } = PB;
  const x = inp.x.data, W = inp.W.data, ct = inp.ct.data;
  const dx = new Float64Array(m * k), dW = new Float64Array(k * n);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += ct[i * n + j] * W[p * n + j];
    dx[i * k + p] = s;
  }
  for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += x[i * k + p] * ct[i * n + j];
    dW[p * n + j] = s;
  }
  return [dx, dW];
}

/** Max |out - ref| / max(|ref|) over every output (Infinity on shape/count mismatch or NaN). */
export function relError(out: Typed[], ref: Float64Array[]): number {
  if (out.length !== ref.length) return Infinity;
  let worst = 0;
  for (let k = 0; k < ref.length; k++) {
    const o = out[k], r = ref[k];
    if (!o || o.length !== r.length) return Infinity;
    let scale = 0, err = 0;
    for (let i = 0; i < r.length; i++) {
      scale = Math.max(scale, Math.abs(r[i]));
      const d = Math.abs(o[i] - r[i]);
      if (!(d <= err)) err = Number.isNaN(d) ? Infinity : d;
    }
    worst = Math.max(worst, err / (scale || 1));
  }
  return worst;
}
