// The op-spec table: every primitive, reached through the public numpy/lax surfaces, with the
// shapes, domains and generators of its arguments. tests/ops.test.ts checks each entry's
// derivatives against finite differences; tests/vmap_ops.test.ts checks vmap of each entry (and
// vmap of its jvp and grad) against the loop over the batch.
import { np, lax, linalg, jit, checkpoint, vmap, NDArray, customJvp } from 'cotangent';
import { wasmOpNames } from './wasm_ops.ts';
import { Rng, sizeOf, Fn, FloatDType } from './fd.ts';

// Cotangents of float32 primals (and tangents of float32 outputs) are float32, as in JAX, so
// entries with a float32 leaf in the float64 run carry float32 rounding (2^-24 relative per
// element, accumulated over a few elements).
export const F32_LEAF_RTOL = 1e-6;

// The primitives come from the wasm's own op table, so a new op without an entry fails below.
// Not in the table: the leaves and identities no user function can call on its own; the
// integer-valued primitives, which have no derivative: bitwise ops (tests/integers.test.ts),
// the PRNG's (tests/random.test.ts), argmax/argmin (tests/reductions.test.ts),
// argsort/searchsorted (tests/sorting.test.ts); and stop_gradient (a zero derivative by design,
// so finite differences disagree on purpose; tests/reductions.test.ts). And `fused`, which only
// jit's fusion makes, for top-level replays no transform reads: every entry here runs jitted
// (fused) against eager in tests/jit_ops.test.ts, and its JVP and batching rules (expansions into
// its rows) are checked in wasm (wasm-tests/fused.spec.ts, rules.spec.ts, ops-complete.spec.ts).
// And `custom_linear`, customVjp's linearized call, which defines reverse mode only (forward mode
// refuses it, as JAX's custom_vjp), so this table's jvp and second-order checks cannot run it:
// tests/custom_rules.test.ts checks it against finite differences. And `while`, jit's form of a
// loop whose trip count is traced: reverse mode over it is refused, as in JAX, so this table's
// reverse checks cannot run it; tests/control_rows.test.ts checks its forward mode to second order.
// And `bitcast_convert_type`, whose integer bits have no derivative (JAX's defjvp_zero): its values,
// jit, vmap and the derivatives of what is composed on it (np.frexp, np.ldexp) are in tests/lax_more.test.ts.
export const NOT_DIFFERENTIATED_HERE = new Set(['const', 'placeholder', 'input', 'full', 'copy', 'proj', 'fused', 'custom_linear', 'while', 'bitcast_convert_type',
  'and', 'or', 'xor', 'not', 'shift_left', 'shift_right_arithmetic', 'shift_right_logical', 'threefry2x32', 'random_float',
  'argmax', 'argmin', 'stop_gradient', 'argsort', 'searchsorted', 'iota']);
export type Prim = string;

const xTanhX = customJvp((x: NDArray) => np.multiply(x, np.tanh(x)), ([x]: NDArray[], [t]: NDArray[]) => {
  const th = np.tanh(x);
  return [np.multiply(x, th), np.multiply(np.add(th, np.multiply(x, np.subtract(1, np.square(th)))), t)];
});
// JAX's custom_jvp example: log(1 + e^x) with the derivative written as 1 - 1 / (1 + e^x)
const log1pexp = customJvp((x: NDArray) => np.log(np.add(1, np.exp(x))), ([x]: NDArray[], [t]: NDArray[]) =>
  [log1pexp(x), np.multiply(np.subtract(1, np.divide(1, np.add(1, np.exp(x)))), t)]);
// h <- tanh(W h + x_t), ys = h * x_t, under jit: a scan row
const RNN_W = np.array([[0.3, -0.2, 0.1], [0.05, 0.4, -0.3], [0.2, 0.1, 0.25]], { dtype: 'float64' });
const JIT_RNN = jit((xs: NDArray) => {
  const w = np.astype(RNN_W, xs.dtype);
  const [h, ys] = lax.scan((h: NDArray, x: NDArray) => { const h2 = np.tanh(np.add(np.matmul(w, h), x)); return [h2, np.multiply(h2, x)]; }, np.onesLike(xs.get(0)), xs);
  return np.add(ys, h);
});
// sqrt(1 + y^2) or sin(y) w, by the sign of sum(x), under jit: a cond row
const JIT_COND = jit((x: NDArray) => lax.cond(np.greater(np.sum(x), 0), (y: NDArray) => np.sqrt(np.add(np.square(y), 1)),
  (y: NDArray) => np.multiply(np.sin(y), np.astype(RNN_W.get(0), y.dtype)), x));
const JIT_CKPT = jit(checkpoint((x: NDArray) => np.multiply(np.tanh(x), np.sin(x))));
export const ALL_PRIMS: Prim[] = wasmOpNames().filter((n) => !NOT_DIFFERENTIATED_HERE.has(n));

export type Domain = (rng: Rng, n: number) => number[];
export const real = (lo = -2, hi = 2): Domain => (rng, n) => Array.from({ length: n }, () => rng.uniform(lo, hi));
export const positive = (lo = 0.5, hi = 2): Domain => real(lo, hi);
/** |x| in [lo, hi] with alternating signs (random start), so both branches of x > 0 appear. */
export const awayFromZero = (lo = 0.5, hi = 2): Domain => (rng, n) => {
  const start = rng.next() < 0.5 ? 0 : 1;
  return Array.from({ length: n }, (_, i) => ((i + start) % 2 === 0 ? 1 : -1) * rng.uniform(lo, hi));
};
/** Fixed values (for special points such as an exact zero). */
export const fixed = (...vals: number[]): Domain => (_rng, n) => {
  if (n !== vals.length) throw new Error(`fixed domain: ${vals.length} values for ${n} elements`);
  return vals;
};

export interface Spec {
  name: string;
  prims: Prim[];
  f: Fn;
  shapes: number[][];
  /** One domain for all arguments, or one per argument (default real(-2, 2)). */
  domain?: Domain | Domain[];
  /** A joint generator (for comparisons that need a margin between arguments). */
  gen?: (rng: Rng, shapes: number[][]) => number[][];
  /** Fixed argument dtypes, overriding the run's dtype (the convert entries). */
  dtypes?: FloatDType[];
  /** A mathematically identical float64 function for the FD reference (when f rounds to float32). */
  ref?: Fn;
  /** float64-run tolerance override, with the reason in a comment. */
  rtol64?: number;
  /**
   * Large shapes (the kernels' blocked/SIMD paths): references along random directions only
   * (<grad, v>, <u, H v>, <v, H v>) instead of coordinate by coordinate.
   */
  big?: boolean;
  /** A deliberately wrong reference (harness self-test): its errors stay out of the summary. */
  mutant?: boolean;
}

// Fixed constants closed over by entries (the same in every run).
const crng = new Rng(12345);
export const boolMask = (shape: number[]): NDArray => {
  const n = sizeOf(shape);
  const v = Array.from({ length: n }, (_, i) => (i % 2 === 0) !== (crng.next() < 0.3));
  v[0] = true; if (n > 1) v[n - 1] = false; // both branches present
  return np.reshape(np.array(v), shape);
};
const C34 = boolMask([3, 4]);
/** A constant int32 index array. */
export const IX = (v: number[] | number[][]): NDArray => np.array(v, { dtype: 'int32' });
const C23 = boolMask([2, 3]);
const C31 = boolMask([3, 1]);
const C5 = boolMask([5]);

/** Values x and y with x - y of alternating sign and |x - y| >= 0.3. */
export const separated = (rng: Rng, shapes: number[][]): number[][] => {
  const n = sizeOf(shapes[0]);
  const x = real()(rng, n);
  const d = awayFromZero(0.3, 1.5)(rng, n);
  return [x, x.map((xi, i) => xi + d[i])];
};

/** The derivative table (tests/ops.test.ts), also driving tests/vmap_ops.test.ts. */
export const SPECS: Spec[] = [
  // ---------------------------------------------------------------- unary
  { name: 'neg []', prims: ['neg'], f: (x) => np.negative(x), shapes: [[]] },
  { name: 'neg [2,3]', prims: ['neg'], f: (x) => np.negative(x), shapes: [[2, 3]] },
  { name: 'lax.neg [5]', prims: ['neg'], f: (x) => lax.neg(x), shapes: [[5]] },
  { name: 'neg of sin (nonlinear chain) [3]', prims: ['neg', 'sin'], f: (x) => np.negative(np.sin(x)), shapes: [[3]] },
  { name: 'exp []', prims: ['exp'], f: (x) => np.exp(x), shapes: [[]] },
  { name: 'exp [7]', prims: ['exp'], f: (x) => np.exp(x), shapes: [[7]] },
  { name: 'lax.exp [2,3]', prims: ['exp'], f: (x) => lax.exp(x), shapes: [[2, 3]] },
  { name: 'log [5]', prims: ['log'], f: (x) => np.log(x), shapes: [[5]], domain: positive() },
  { name: 'log [2,2,3]', prims: ['log'], f: (x) => np.log(x), shapes: [[2, 2, 3]], domain: positive(0.3, 3) },
  { name: 'lax.log []', prims: ['log'], f: (x) => lax.log(x), shapes: [[]], domain: positive() },
  { name: 'sin [5]', prims: ['sin'], f: (x) => np.sin(x), shapes: [[5]], domain: real(-3, 3) },
  { name: 'sin [2,3]', prims: ['sin'], f: (x) => lax.sin(x), shapes: [[2, 3]], domain: real(-3, 3) },
  { name: 'cos []', prims: ['cos'], f: (x) => np.cos(x), shapes: [[]], domain: real(-3, 3) },
  { name: 'cos [3,2]', prims: ['cos'], f: (x) => lax.cos(x), shapes: [[3, 2]], domain: real(-3, 3) },
  { name: 'tanh [6]', prims: ['tanh'], f: (x) => np.tanh(x), shapes: [[6]] },
  { name: 'tanh [2,1,3]', prims: ['tanh'], f: (x) => lax.tanh(x), shapes: [[2, 1, 3]] },
  { name: 'sigmoid (tanh, mul, add) [5]', prims: ['tanh', 'mul', 'add'], f: (x) => np.sigmoid(x), shapes: [[5]], domain: real(-4, 4) },
  { name: 'sqrt [5]', prims: ['sqrt'], f: (x) => np.sqrt(x), shapes: [[5]], domain: positive() },
  { name: 'sqrt [2,3]', prims: ['sqrt'], f: (x) => lax.sqrt(x), shapes: [[2, 3]], domain: positive(0.2, 4) },
  { name: 'sqrt []', prims: ['sqrt'], f: (x) => np.sqrt(x), shapes: [[]], domain: positive() },

  // ---------------------------------------------------------------- complex (R -> R through C: complex64 in the float32 run, complex128 in the float64 one)
  { name: 'complex parts: real/imag of conj(z) sin(z), z = complex(x, y) [3]', prims: ['complex', 'real', 'imag', 'conj', 'sin', 'mul'],
    f: (x, y) => { const z = np.complex(x, y); const w = np.multiply(np.conj(z), np.sin(z)); return np.add(np.real(w), np.multiply(np.imag(w), 0.5)); },
    shapes: [[3], [3]] },
  { name: 'complex exp, log, sqrt, div, matmul [2,2]', prims: ['complex', 'exp', 'log', 'sqrt', 'div', 'dot_general', 'real'],
    f: (x, y) => { const z = np.complex(x, y); return np.real(np.matmul(np.divide(np.exp(z), np.sqrt(z)), np.log(z))); },
    shapes: [[2, 2], [2, 2]], domain: positive() },
  { name: 'complex tan, tanh, sinh, cosh, pow, sum, broadcast [4]', prims: ['complex', 'tan', 'tanh', 'sinh', 'cosh', 'pow', 'sum', 'imag'],
    f: (x, y) => {
      const z = np.complex(x, y), s = np.sinh(np.add(z, np.array({ re: 0.1, im: -0.2 })));
      return np.imag(np.sum(np.add(np.power(z, np.tanh(z)), np.multiply(np.tan(z), np.cosh(s)))));
    },
    shapes: [[4], [4]], domain: real(0.2, 0.8) },
  { name: 'complex asin, acos, atan, asinh, acosh, atanh [3] (first quadrant, off the cuts)',
    prims: ['complex', 'asin', 'acos', 'atan', 'asinh', 'acosh', 'atanh', 'mul', 'add', 'real', 'imag'],
    f: (x, y) => {
      const z = np.complex(x, y);
      const a = np.add(np.multiply(np.arcsin(z), np.arccos(z)), np.arctan(z));
      const b = np.add(np.multiply(np.arcsinh(z), np.arccosh(z)), np.arctanh(z));
      return np.add(np.real(a), np.imag(b));
    },
    shapes: [[3], [3]], domain: real(0.2, 0.8) },
  { name: 'complex movement, where, gather, abs, cos, neg, convert [2,3]',
    prims: ['complex', 'transpose', 'reshape', 'concatenate', 'broadcast_in_dim', 'select', 'gather', 'abs', 'cos', 'neg', 'convert', 'sub'],
    f: (x, y) => {
      const z = np.complex(x, y), t = np.reshape(np.transpose(z), [2, 3]);
      const w = np.where(np.array([[true, false, true], [false, true, true]]), np.cos(t), np.negative(np.subtract(t, z)));
      const c = np.concatenate([w, np.index(z, [1, 0])], 0); // [4, 3], rows gathered
      return np.add(np.abs(np.multiply(c, np.astype(np.array([1, 2, 3], x.dtype), z.dtype))), np.real(np.add(c, { re: 0, im: 1 })));
    },
    shapes: [[2, 3], [2, 3]], domain: real(0.3, 1.2) },
  { name: 'complex Hermitian cholesky and triangular_solve (conjugate_a) [3,3]', prims: ['cholesky', 'triangular_solve', 'complex'],
    f: (x, y) => {
      const eye = np.astype(np.multiply(np.eye(3), 4), x.dtype);
      const A = np.complex(np.add(x, eye), y); // made Hermitian positive definite by cholesky's (A + A^H)/2
      const L = linalg.cholesky(A);
      const X = linalg.triangularSolve(L, np.complex(x, np.ones([3, 3], x.dtype)), { lower: true, transposeA: true, conjugateA: true });
      return np.add(np.real(X), np.imag(np.multiply(L, L)));
    },
    shapes: [[3, 3], [3, 3]], domain: real(-0.3, 0.3) },
  { name: 'complex lu, det, solve, inv, slogdet [3,3]', prims: ['lu', 'det', 'lu_solve', 'triangular_solve', 'complex'],
    f: (x, y) => {
      const A = np.complex(np.add(x, np.astype(np.multiply(np.eye(3), 2), x.dtype)), y); // pivots move: rows of x and y mix
      const [, L, U] = linalg.lu(A);
      const X = linalg.solve(A, np.complex(y, x));
      const [sign, logabs] = linalg.slogdet(A);
      const w = np.add(np.add(np.multiply(L, U), np.multiply(X, linalg.det(A))), np.multiply(linalg.inv(A), sign));
      return np.add(np.real(w), np.multiply(np.imag(w), logabs));
    },
    shapes: [[3, 3], [3, 3]], domain: real(-0.8, 0.8) },
  { name: 'complex det and slogdet batched [2,3,3]', prims: ['det', 'lu', 'complex'],
    f: (x, y) => {
      const A = np.complex(np.add(x, np.astype(np.multiply(np.eye(3), 2), x.dtype)), y);
      return np.add(np.imag(linalg.det(A)), np.real(np.multiply(linalg.slogdet(A)[0], linalg.slogdet(A)[1])));
    },
    shapes: [[2, 3, 3], [2, 3, 3]], domain: real(-0.8, 0.8) },
  { name: 'complex qr of 0.3 Z + I [4,3] (parts of Q and R stacked; R has a real diagonal)', prims: ['qr', 'complex'],
    f: (x, y) => {
      const [Q, R] = linalg.qr(np.add(np.multiply(np.complex(x, y), 0.3), np.eye(4, 3, { dtype: x.dtype })));
      return np.concatenate([np.real(Q), np.imag(Q), np.real(R), np.imag(R)]);
    },
    shapes: [[4, 3], [4, 3]] },
  { name: 'complex eigh: V diag(sin w) V^H of a spread Hermitian [3,3] (parts)', prims: ['eigh', 'complex'],
    f: (x, y) => {
      const [w, V] = linalg.eigh(np.add(np.multiply(np.complex(x, y), 0.15), np.diag(np.array([1, 2, 3], { dtype: x.dtype }))));
      const P = np.matmul(np.multiply(V, np.sin(w)), np.conj(np.transpose(V)));
      return np.concatenate([np.real(P), np.imag(P)]);
    },
    shapes: [[3, 3], [3, 3]] },
  { name: 'complex svd: U diag(tanh s) V^H of 0.3 Z + diag(2, 1) [3,2] (parts), svdvals of a wide [2,3]', prims: ['svd', 'complex'],
    f: (x, y) => {
      const Z = np.add(np.multiply(np.complex(x, y), 0.3), np.multiply(np.eye(3, 2, { dtype: x.dtype }), np.array([2, 1], { dtype: x.dtype })));
      const [U, s, Vh] = linalg.svd(Z, { fullMatrices: false });
      const P = np.matmul(np.multiply(U, np.tanh(s)), Vh);
      return np.concatenate([np.real(P), np.imag(P), np.reshape(linalg.svdvals(np.transpose(Z)), [1, 2])]);
    },
    shapes: [[3, 2], [3, 2]] },

  // ---------------------------------------------------------------- binary arithmetic
  { name: 'add [4]+[4]', prims: ['add'], f: (x, y) => np.add(x, y), shapes: [[4], [4]] },
  { name: 'add [2,3]+[3]', prims: ['add', 'broadcast_in_dim'], f: (x, y) => np.add(x, y), shapes: [[2, 3], [3]] },
  { name: 'add [2,1]+[1,3]', prims: ['add', 'broadcast_in_dim'], f: (x, y) => np.add(x, y), shapes: [[2, 1], [1, 3]] },
  { name: 'add []+[2,3]', prims: ['add', 'broadcast_in_dim'], f: (x, y) => np.add(x, y), shapes: [[], [2, 3]] },
  { name: 'add weak scalar [3]+1.5', prims: ['add'], f: (x) => np.add(x, 1.5), shapes: [[3]] },
  { name: 'lax.add with lax.full [2,2]', prims: ['add'], f: (x) => lax.add(x, lax.full([2, 2], 2.5, x.dtype)), shapes: [[2, 2]] },
  { name: 'sub [5]-[5]', prims: ['sub'], f: (x, y) => np.subtract(x, y), shapes: [[5], [5]] },
  { name: 'sub [3,1]-[4]', prims: ['sub', 'broadcast_in_dim'], f: (x, y) => np.subtract(x, y), shapes: [[3, 1], [4]] },
  { name: 'sub weak 1-[3]', prims: ['sub'], f: (x) => np.subtract(1, x), shapes: [[3]] },
  { name: 'sub sin(x)-x (fan-out) [4]', prims: ['sub', 'sin'], f: (x) => lax.sub(np.sin(x), x), shapes: [[4]] },
  { name: 'mul [2,3]*[2,3]', prims: ['mul'], f: (x, y) => np.multiply(x, y), shapes: [[2, 3], [2, 3]] },
  { name: 'mul [3,1,2]*[4,2]', prims: ['mul', 'broadcast_in_dim'], f: (x, y) => np.multiply(x, y), shapes: [[3, 1, 2], [4, 2]] },
  { name: 'mul x*x [5]', prims: ['mul'], f: (x) => lax.mul(x, x), shapes: [[5]] },
  { name: 'mul []*[] ', prims: ['mul'], f: (x, y) => np.multiply(x, y), shapes: [[], []] },
  { name: 'square * weak 3 [2,2]', prims: ['mul'], f: (x) => np.multiply(3, np.square(x)), shapes: [[2, 2]] },
  { name: 'div [4]/[4]', prims: ['div'], f: (x, y) => np.divide(x, y), shapes: [[4], [4]], domain: [real(), awayFromZero()] },
  { name: 'div [2,3]/[3]', prims: ['div', 'broadcast_in_dim'], f: (x, y) => np.divide(x, y), shapes: [[2, 3], [3]], domain: [real(), awayFromZero()] },
  { name: 'div []/[2,2]', prims: ['div', 'broadcast_in_dim'], f: (x, y) => np.divide(x, y), shapes: [[], [2, 2]], domain: [real(), awayFromZero()] },
  { name: 'div reciprocal 1/x [5]', prims: ['div'], f: (x) => np.divide(1, x), shapes: [[5]], domain: awayFromZero() },
  { name: 'div x/2.5 [3]', prims: ['div'], f: (x) => lax.div(x, lax.full([3], 2.5, x.dtype)), shapes: [[3]] },
  { name: 'div x/x (constant 1) [3]', prims: ['div'], f: (x) => np.divide(x, x), shapes: [[3]], domain: awayFromZero() },
  { name: 'div sin(x)/cos(x) (tan) [4]', prims: ['div', 'sin', 'cos'], f: (x) => np.tan(x), shapes: [[4]], domain: real(-1, 1) },
  { name: 'pow [4]**[4]', prims: ['pow'], f: (x, y) => np.power(x, y), shapes: [[4], [4]], domain: [positive(), real()] },
  { name: 'pow [2,3]**[]', prims: ['pow', 'broadcast_in_dim'], f: (x, y) => np.power(x, y), shapes: [[2, 3], []], domain: [positive(), real(-1.5, 2.5)] },
  { name: 'pow []**[3]', prims: ['pow', 'broadcast_in_dim'], f: (x, y) => np.power(x, y), shapes: [[], [3]], domain: [positive(), real()] },
  { name: 'pow x**3 (negative bases) [5]', prims: ['pow'], f: (x) => np.power(x, 3), shapes: [[5]] },
  { name: 'pow x**2 through an exact 0 [3]', prims: ['pow'], f: (x) => np.power(x, 2), shapes: [[3]], domain: fixed(0, 1.25, -0.75) },
  { name: 'pow x**0.5 [4]', prims: ['pow'], f: (x) => np.power(x, 0.5), shapes: [[4]], domain: positive() },
  { name: 'pow x**-1.5 [2,2]', prims: ['pow'], f: (x) => lax.pow(x, lax.full([2, 2], -1.5, x.dtype)), shapes: [[2, 2]], domain: positive() },
  { name: 'pow 2.5**y [4]', prims: ['pow'], f: (y) => np.power(2.5, y), shapes: [[4]] },

  // ---------------------------------------------------------------- comparisons (through select)
  {
    name: 'lt: where(x < y, sin(x) * y, x - y*y) [6]', prims: ['lt', 'select', 'sin', 'mul', 'sub'],
    f: (x, y) => np.where(np.less(x, y), np.multiply(np.sin(x), y), np.subtract(x, np.multiply(y, y))), shapes: [[6], [6]], gen: separated,
  },
  {
    name: 'lax.lt: select(x < y, x, y) (min) [2,3]', prims: ['lt', 'select'],
    f: (x, y) => lax.select(lax.lt(x, y), x, y), shapes: [[2, 3], [2, 3]], gen: separated,
  },
  {
    name: 'le: where(x <= 0, exp(x), 1 + x*x) [5]', prims: ['le', 'select', 'exp'],
    f: (x) => np.where(np.lessEqual(x, 0), np.exp(x), np.add(1, np.multiply(x, x))), shapes: [[5]], domain: awayFromZero(0.3, 2),
  },
  {
    name: 'le: min via select(x <= y, x, y) [4]', prims: ['le', 'select'], f: (x, y) => np.where(np.lessEqual(x, y), x, y), shapes: [[4], [4]], gen: separated,
  },
  {
    name: 'lax.le: select(x <= y, y - x, x * y) [3,2]', prims: ['le', 'select'],
    f: (x, y) => lax.select(lax.le(x, y), lax.sub(y, x), lax.mul(x, y)), shapes: [[3, 2], [3, 2]], gen: separated,
  },
  {
    name: 'gt: leaky relu where(x > 0, x, 0.1 x) [6]', prims: ['gt', 'select'],
    f: (x) => np.where(np.greater(x, 0), x, np.multiply(0.1, x)), shapes: [[6]], domain: awayFromZero(0.3, 2),
  },
  {
    name: 'gt: where(x > 0, x*x, tanh(x)) scalar []', prims: ['gt', 'select', 'tanh'],
    f: (x) => np.where(np.greater(x, 0), np.multiply(x, x), np.tanh(x)), shapes: [[]], domain: awayFromZero(0.3, 2),
  },
  {
    name: 'lax.gt: select(x > y, x*x, y) [5]', prims: ['gt', 'select'],
    f: (x, y) => lax.select(lax.gt(x, y), lax.mul(x, x), y), shapes: [[5], [5]], gen: separated,
  },
  {
    name: 'ge: max via select(x >= y, x, y) [2,3]', prims: ['ge', 'select'], f: (x, y) => np.where(np.greaterEqual(x, y), x, y), shapes: [[2, 3], [2, 3]], gen: separated,
  },

  // ---------------------------------------------------------------- the wider elementwise set
  { name: 'maximum [2,3]', prims: ['max'], f: (x, y) => np.maximum(x, y), shapes: [[2, 3], [2, 3]], gen: separated },
  { name: 'maximum with weak 0.25 [5]', prims: ['max'], f: (x) => np.maximum(x, 0.25), shapes: [[5]], domain: awayFromZero(0.6, 2) },
  { name: 'minimum [4]', prims: ['min'], f: (x, y) => np.minimum(x, y), shapes: [[4], [4]], gen: separated },
  { name: 'clip [6]', prims: ['max', 'min'], f: (x) => np.clip(x, -1, 1), shapes: [[6]], domain: fixed(-1.7, -0.6, 0.3, 0.8, 1.4, 1.9) },
  { name: 'fmod [2,3] (away from the jumps)', prims: ['rem'], f: (x, y) => np.fmod(x, y), shapes: [[2, 3], [2, 3]], domain: [real(2.1, 2.9), real(1, 1.05)] },
  { name: 'remainder of negatives [4]', prims: ['rem', 'select'], f: (x, y) => np.remainder(x, y), shapes: [[4], [4]], domain: [real(-2.9, -2.1), real(1, 1.05)] },
  { name: 'abs [5]', prims: ['abs'], f: (x) => np.abs(x), shapes: [[5]], domain: awayFromZero(0.3, 2) },
  { name: 'sign * x^2 [5]', prims: ['sign'], f: (x) => np.multiply(np.sign(x), np.square(x)), shapes: [[5]], domain: awayFromZero(0.3, 2) },
  { name: 'floor, ceil, trunc times sin [4]', prims: ['floor', 'ceil', 'trunc'], f: (x) => np.multiply(np.sin(x), np.add(np.floor(x), np.add(np.ceil(x), np.trunc(x)))), shapes: [[4]], domain: real(1.1, 1.9) },
  { name: 'round times x [3]', prims: ['round'], f: (x) => np.multiply(x, np.round(x)), shapes: [[3]], domain: real(1.6, 2.4) },
  { name: 'where(isfinite(x), x^2, 0) [4]', prims: ['is_finite'], f: (x) => np.where(np.isfinite(x), np.square(x), 0), shapes: [[4]] },
  { name: 'expm1 [5]', prims: ['expm1'], f: (x) => np.expm1(x), shapes: [[5]] },
  { name: 'log1p [2,3]', prims: ['log1p'], f: (x) => np.log1p(x), shapes: [[2, 3]], domain: real(-0.6, 2) },
  { name: 'exp2 [4]', prims: ['exp2'], f: (x) => np.exp2(x), shapes: [[4]] },
  { name: 'log2 [4]', prims: ['log2'], f: (x) => np.log2(x), shapes: [[4]], domain: positive() },
  { name: 'log10 []', prims: ['log10'], f: (x) => np.log10(x), shapes: [[]], domain: positive() },
  { name: 'cbrt [5]', prims: ['cbrt'], f: (x) => np.cbrt(x), shapes: [[5]], domain: awayFromZero(0.3, 2) },
  { name: 'tan [4]', prims: ['tan'], f: (x) => np.tan(x), shapes: [[4]], domain: real(-1.2, 1.2) },
  { name: 'arcsin [4]', prims: ['asin'], f: (x) => np.arcsin(x), shapes: [[4]], domain: real(-0.8, 0.8) },
  { name: 'arccos [2,2]', prims: ['acos'], f: (x) => np.arccos(x), shapes: [[2, 2]], domain: real(-0.8, 0.8) },
  { name: 'arctan [5]', prims: ['atan'], f: (x) => np.arctan(x), shapes: [[5]] },
  { name: 'arctan2 [2,3]', prims: ['atan2'], f: (y, x) => np.arctan2(y, x), shapes: [[2, 3], [2, 3]], domain: [real(), awayFromZero()] },
  { name: 'hypot [4]', prims: ['hypot'], f: (x, y) => np.hypot(x, y), shapes: [[4], [4]], domain: awayFromZero() },
  { name: 'sinh [4]', prims: ['sinh'], f: (x) => np.sinh(x), shapes: [[4]] },
  { name: 'cosh [4]', prims: ['cosh'], f: (x) => np.cosh(x), shapes: [[4]] },
  { name: 'arcsinh [4]', prims: ['asinh'], f: (x) => np.arcsinh(x), shapes: [[4]] },
  { name: 'arccosh [4]', prims: ['acosh'], f: (x) => np.arccosh(x), shapes: [[4]], domain: real(1.3, 3) },
  { name: 'arctanh [4]', prims: ['atanh'], f: (x) => np.arctanh(x), shapes: [[4]], domain: real(-0.8, 0.8) },
  { name: 'erf [5]', prims: ['erf'], f: (x) => np.erf(x), shapes: [[5]] },
  { name: 'erfc [5]', prims: ['erfc'], f: (x) => np.erfc(x), shapes: [[5]] },
  { name: 'erfinv [4]', prims: ['erf_inv'], f: (x) => np.erfinv(x), shapes: [[4]], domain: real(-0.8, 0.8) },
  { name: 'lgamma [5]', prims: ['lgamma', 'digamma'], f: (x) => np.lgamma(x), shapes: [[5]], domain: positive(0.5, 4) },
  { name: 'digamma [4]', prims: ['digamma', 'polygamma'], f: (x) => np.digamma(x), shapes: [[4]], domain: positive(0.5, 4) },
  { name: 'polygamma(1, x) [3]', prims: ['polygamma'], f: (x) => np.polygamma(1, x), shapes: [[3]], domain: positive(0.5, 4) },
  { name: 'softplus [6]', prims: ['log1p', 'exp', 'select'], f: (x) => np.softplus(x), shapes: [[6]], domain: real(-4, 4) },
  { name: 'logaddexp [5]', prims: ['log1p', 'exp', 'select'], f: (x, y) => np.logaddexp(x, y), shapes: [[5], [5]], gen: separated },
  {
    name: 'lax.ge: select(x >= y, sin(x), cos(y)) [4]', prims: ['ge', 'select'],
    f: (x, y) => lax.select(lax.ge(x, y), lax.sin(x), lax.cos(y)), shapes: [[4], [4]], gen: separated,
  },
  {
    name: 'eq (bool operands): where(x>0 == y>0, x*y, x+y) [6]', prims: ['eq', 'gt', 'select'],
    f: (x, y) => np.where(np.equal(np.greater(x, 0), np.greater(y, 0)), np.multiply(x, y), np.add(x, y)),
    shapes: [[6], [6]], domain: awayFromZero(0.3, 2),
  },
  {
    name: 'eq (float operands): where(float(x>0) == 1, exp(x), x) [5]', prims: ['eq', 'convert', 'select'],
    f: (x) => np.where(np.equal(np.astype(np.greater(x, 0), x.dtype), 1), np.exp(x), x), shapes: [[5]], domain: awayFromZero(0.3, 2),
  },
  {
    name: 'lax.eq: select(x == x, sin(x), x) (always true) [3]', prims: ['eq', 'select'],
    f: (x) => lax.select(lax.eq(x, x), lax.sin(x), x), shapes: [[3]],
  },
  {
    name: 'ne (bool operands): where(x>0 != y<0, x - y, y*y) [6]', prims: ['ne', 'gt', 'lt', 'select'],
    f: (x, y) => np.where(np.notEqual(np.greater(x, 0), np.less(y, 0)), np.subtract(x, y), np.multiply(y, y)),
    shapes: [[6], [6]], domain: awayFromZero(0.3, 2),
  },
  {
    name: 'lax.ne: select(x != y, x*y, x) [4]', prims: ['ne', 'select'],
    f: (x, y) => lax.select(lax.ne(x, y), lax.mul(x, y), x), shapes: [[4], [4]], gen: separated,
  },
  {
    name: 'comparison mask as float: float(x < 0.5) * x [6]', prims: ['lt', 'convert', 'mul'],
    f: (x) => np.multiply(np.astype(np.less(x, 0.5), x.dtype), x), shapes: [[6]],
    gen: (rng, s) => [awayFromZero(0.3, 1.5)(rng, sizeOf(s[0])).map((d) => 0.5 + d)],
  },
  {
    name: 'differentiated condition input: where(c > 0, x, y) [4]', prims: ['gt', 'select'],
    f: (c, x, y) => np.where(np.greater(c, 0), x, y), shapes: [[4], [4], [4]], domain: [awayFromZero(), real(), real()],
  },

  // ---------------------------------------------------------------- select
  { name: 'select: where(C, x, y) [3,4]', prims: ['select'], f: (x, y) => np.where(C34, x, y), shapes: [[3, 4], [3, 4]] },
  { name: 'lax.select(C, x, y) [2,3]', prims: ['select'], f: (x, y) => lax.select(C23, x, y), shapes: [[2, 3], [2, 3]] },
  {
    name: 'select broadcast: where(C[3,1], x[1,4], y[]) ', prims: ['select', 'broadcast_in_dim'],
    f: (x, y) => np.where(C31, x, y), shapes: [[1, 4], []],
  },
  { name: 'select with weak zero branch: where(C, x, 0) [5]', prims: ['select'], f: (x) => np.where(C5, x, 0), shapes: [[5]] },
  { name: 'select same input on both branches: where(C, sin x, x*x) [5]', prims: ['select', 'sin', 'mul'], f: (x) => np.where(C5, np.sin(x), np.multiply(x, x)), shapes: [[5]] },

  // ---------------------------------------------------------------- convert_element_type
  { name: 'convert f32->f64 [5]', prims: ['convert'], f: (x) => np.astype(x, 'float64'), shapes: [[5]], dtypes: ['float32'] },
  {
    name: 'convert f32->f64 nonlinear: exp(f64(x)) [2,2]', prims: ['convert', 'exp'],
    f: (x) => np.exp(lax.convertElementType(x, 'float64')), shapes: [[2, 2]], dtypes: ['float32'],
    rtol64: F32_LEAF_RTOL, // the cotangent of the float32 input is float32
  },
  {
    name: 'convert by promotion: sin(x32 * y64) [4]', prims: ['convert', 'mul', 'sin'],
    f: (x, y) => np.sin(np.multiply(x, y)), shapes: [[4], [4]], dtypes: ['float32', 'float64'],
    rtol64: F32_LEAF_RTOL, // the cotangent of the float32 input is float32
  },
  {
    name: 'convert f64->f32: f32(sin(x)) [3]', prims: ['convert', 'sin'],
    f: (x) => np.astype(np.sin(x), 'float32'), ref: (x) => np.sin(x), shapes: [[3]], dtypes: ['float64'],
    rtol64: F32_LEAF_RTOL, // the output (hence its tangent) is float32
  },
  { name: 'convert to own dtype (no-op) [3]', prims: ['convert'], f: (x) => np.multiply(np.astype(x, x.dtype), x), shapes: [[3]] },

  // ---------------------------------------------------------------- sum
  { name: 'sum all [2,3] -> []', prims: ['sum'], f: (x) => np.sum(x), shapes: [[2, 3]] },
  { name: 'sum axis 0 [4,3]', prims: ['sum'], f: (x) => np.sum(x, { axis: 0 }), shapes: [[4, 3]] },
  { name: 'sum axis 1 keepdims [2,3]', prims: ['sum', 'reshape'], f: (x) => np.sum(x, { axis: 1, keepdims: true }), shapes: [[2, 3]] },
  { name: 'sum axes [0,2] [2,3,4]', prims: ['sum'], f: (x) => np.sum(x, { axis: [0, 2] }), shapes: [[2, 3, 4]] },
  { name: 'sum axis -1 [5]', prims: ['sum'], f: (x) => np.sum(x, { axis: -1 }), shapes: [[5]] },
  { name: 'sum over a size-1 axis [3,1]', prims: ['sum'], f: (x) => np.sum(x, { axis: 1 }), shapes: [[3, 1]] },
  { name: 'lax.reduceSum axes [1] of sin [2,3,2]', prims: ['sum', 'sin'], f: (x) => lax.reduceSum(np.sin(x), [1]), shapes: [[2, 3, 2]] },
  { name: 'mean axis 0 [3,2]', prims: ['sum', 'div'], f: (x) => np.mean(x, { axis: 0 }), shapes: [[3, 2]] },

  // ---------------------------------------------------------------- broadcast_in_dim
  { name: 'broadcastInDim [2,4] -> [2,3,4] dims [0,2]', prims: ['broadcast_in_dim'], f: (x) => lax.broadcastInDim(x, [2, 3, 4], [0, 2]), shapes: [[2, 4]] },
  { name: 'broadcastInDim [] -> [2,3]', prims: ['broadcast_in_dim'], f: (x) => lax.broadcastInDim(x, [2, 3], []), shapes: [[]] },
  { name: 'broadcastInDim [3,1] -> [3,4] (size-1 axis)', prims: ['broadcast_in_dim'], f: (x) => lax.broadcastInDim(x, [3, 4], [0, 1]), shapes: [[3, 1]] },
  { name: 'broadcastInDim [1,3,1] -> [2,3,4]', prims: ['broadcast_in_dim'], f: (x) => lax.broadcastInDim(x, [2, 3, 4], [0, 1, 2]), shapes: [[1, 3, 1]] },
  { name: 'broadcastInDim [3] -> [3,2] dims [0]', prims: ['broadcast_in_dim'], f: (x) => lax.broadcastInDim(x, [3, 2], [0]), shapes: [[3]] },
  { name: 'broadcastTo [3] -> [2,3]', prims: ['broadcast_in_dim'], f: (x) => np.broadcastTo(x, [2, 3]), shapes: [[3]] },
  { name: 'broadcastTo [1] -> [5]', prims: ['broadcast_in_dim'], f: (x) => np.broadcastTo(x, [5]), shapes: [[1]] },

  // ---------------------------------------------------------------- reshape
  { name: 'reshape [2,3] -> [3,2]', prims: ['reshape'], f: (x) => np.reshape(x, [3, 2]), shapes: [[2, 3]] },
  { name: 'reshape [6] -> [2,3]', prims: ['reshape'], f: (x) => lax.reshape(x, [2, 3]), shapes: [[6]] },
  { name: 'reshape [2,3,4] -> [4,-1]', prims: ['reshape'], f: (x) => np.reshape(x, [4, -1]), shapes: [[2, 3, 4]] },
  { name: 'reshape [] -> [1,1]', prims: ['reshape'], f: (x) => np.reshape(x, [1, 1]), shapes: [[]] },
  { name: 'ravel [2,2,2]', prims: ['reshape'], f: (x) => np.ravel(x), shapes: [[2, 2, 2]] },
  { name: 'expandDims [3] axis 0', prims: ['reshape'], f: (x) => np.expandDims(x, 0), shapes: [[3]] },
  { name: 'squeeze [3,1]', prims: ['reshape'], f: (x) => np.squeeze(x), shapes: [[3, 1]] },
  { name: 'reshape then exp [2,3] -> [6]', prims: ['reshape', 'exp'], f: (x) => np.exp(np.reshape(x, [6])), shapes: [[2, 3]] },

  // ---------------------------------------------------------------- transpose
  { name: 'transpose [2,3] (default)', prims: ['transpose'], f: (x) => np.transpose(x), shapes: [[2, 3]] },
  { name: 'transpose [2,3,4] perm [2,0,1]', prims: ['transpose'], f: (x) => np.transpose(x, [2, 0, 1]), shapes: [[2, 3, 4]] },
  { name: 'lax.transpose [3,1,2] perm [1,0,2]', prims: ['transpose'], f: (x) => lax.transpose(x, [1, 0, 2]), shapes: [[3, 1, 2]] },
  { name: 'transpose [2,1,3,2] perm [3,1,0,2]', prims: ['transpose'], f: (x) => np.transpose(x, [3, 1, 0, 2]), shapes: [[2, 1, 3, 2]] },
  { name: 'transpose then sin [2,3] perm [1,0]', prims: ['transpose', 'sin'], f: (x) => np.sin(np.transpose(x, [1, 0])), shapes: [[2, 3]] },

  // ---------------------------------------------------------------- dot
  { name: 'concatenate [2,3]+[2,1] axis 1', prims: ['concatenate'], f: (a, b) => np.concatenate([a, b], { axis: 1 }), shapes: [[2, 3], [2, 1]] },
  { name: 'concatenate three, axis 0, then sin', prims: ['concatenate', 'sin'], f: (a, b) => np.sin(np.concatenate([a, b, a])), shapes: [[2], [3]] },
  { name: 'stack [3] and [3]', prims: ['concatenate', 'reshape'], f: (a, b) => np.stack([a, np.multiply(a, b)], { axis: 1 }), shapes: [[3], [3]] },
  { name: 'split [2,4] in two along axis 1, products', prims: ['split', 'mul'], f: (a) => { const [p, q] = np.split(a, 2, { axis: 1 }); return np.multiply(p, q); }, shapes: [[2, 4]] },
  { name: 'split [5] at [1, 3], last piece only', prims: ['split', 'tanh'], f: (a) => np.tanh(np.split(a, [1, 3])[2]), shapes: [[5]] },
  // Linear algebra on well-conditioned inputs built from the random ones.
  { name: 'cholesky of X X^T / 3 + I [3,3]', prims: ['cholesky', 'dot_general'], f: (x) => linalg.cholesky(np.add(np.divide(np.matmul(x, np.transpose(x)), 3), np.eye(3, { dtype: x.dtype }))), shapes: [[3, 3]] },
  { name: 'cholesky batched [2,2,2]', prims: ['cholesky'], f: (x) => linalg.cholesky(np.add(np.matmul(x, np.transpose(x, [0, 2, 1])), np.eye(2, { dtype: x.dtype }))), shapes: [[2, 2, 2]] },
  { name: 'triangular_solve (0.3 A + 2 I) x = b [3,3] [3,2]', prims: ['triangular_solve'], f: (a, b) => linalg.triangularSolve(np.add(np.multiply(a, 0.3), np.multiply(np.eye(3, { dtype: a.dtype }), 2)), b, { lower: true }), shapes: [[3, 3], [3, 2]] },
  { name: 'triangular_solve right, upper, transposed [3,3] [2,3]', prims: ['triangular_solve'], f: (a, b) => linalg.triangularSolve(np.add(np.multiply(a, 0.3), np.multiply(np.eye(3, { dtype: a.dtype }), 2)), b, { leftSide: false, lower: false, transposeA: true }), shapes: [[3, 3], [2, 3]] },
  // lu_solve: P (a cyclic permutation, scaled) makes the pivots move rows; its derivative enters through P A.
  { name: 'lu_solve: solve (A + 3 P) x = b, pivoting [3,3] [3,2]', prims: ['lu', 'lu_solve', 'gather'], f: (a, b) => linalg.solve(np.add(a, np.multiply(np.array([[0, 3, 0], [0, 0, 3], [3, 0, 0]], { dtype: a.dtype }), 1)), b), shapes: [[3, 3], [3, 2]] },
  { name: 'lu_solve: a batch of a [2,3,3] with one vector b [3]', prims: ['lu_solve'], f: (a, b) => linalg.solve(np.add(a, np.array([[0, 3, 0], [3, 0, 0], [0, 0, 3]], { dtype: a.dtype })), b), shapes: [[2, 3, 3], [3]] },
  { name: 'lu_solve: inv of A + 3 P [3,3]', prims: ['lu_solve'], f: (a) => linalg.inv(np.add(a, np.array([[0, 0, 3], [3, 0, 0], [0, 3, 0]], { dtype: a.dtype }))), shapes: [[3, 3]] },
  { name: 'lu factors of 0.5 A + 2 I [3,3] (P L U parts)', prims: ['lu'], f: (x) => { const [, L, U] = linalg.lu(np.add(np.multiply(x, 0.5), np.multiply(np.eye(3, { dtype: x.dtype }), 2))); return np.add(L, U); }, shapes: [[3, 3]] },
  { name: 'qr of 0.3 A + I [4,3] (Q and R stacked)', prims: ['qr'], f: (x) => { const [Q, R] = linalg.qr(np.add(np.multiply(x, 0.3), np.eye(4, 3, { dtype: x.dtype }))) as NDArray[]; return np.concatenate([Q, R]); }, shapes: [[4, 3]] },
  { name: 'eigh: V diag(sin w) V^T of a spread symmetric [3,3]', prims: ['eigh'], f: (x) => { const S = np.add(np.multiply(np.add(x, np.transpose(x)), 0.15), np.diag(np.array([1, 2, 3], { dtype: x.dtype }))); const [w, V] = linalg.eigh(S); return np.matmul(np.multiply(V, np.sin(w)), np.transpose(V)); }, shapes: [[3, 3]] },
  { name: 'eig: Re w, Im w and |V|^2 of a nonsymmetric [3,3] with a complex pair', prims: ['eig'], f: (x) => { const A = np.add(np.multiply(x, 0.15), np.array([[1, 2, 0], [-3, 1, 1], [0.5, 0, 2]], { dtype: x.dtype })); const [w, V] = linalg.eig(A); return np.concatenate([np.real(w), np.imag(w), np.ravel(np.square(np.abs(V)))]); }, shapes: [[3, 3]] },
  { name: 'svd: U diag(tanh s) V^T of 0.3 A + diag(2, 1) [3,2]', prims: ['svd'], f: (x) => { const [U, s, Vt] = linalg.svd(np.add(np.multiply(x, 0.3), np.multiply(np.eye(3, 2, { dtype: x.dtype }), np.array([2, 1], { dtype: x.dtype }))), { fullMatrices: false }) as NDArray[]; return np.matmul(np.multiply(U, np.tanh(s)), Vt); }, shapes: [[3, 2]] },
  { name: 'svdvals of a wide [2,3]', prims: ['svd'], f: (x) => linalg.svdvals(np.add(np.multiply(x, 0.3), np.multiply(np.eye(2, 3, { dtype: x.dtype }), np.array([2, 1, 0], { dtype: x.dtype })))), shapes: [[2, 3]] },
  { name: 'det of 0.5 A + 2 I [2,3,3]', prims: ['det'], f: (x) => linalg.det(np.add(np.multiply(x, 0.5), np.multiply(np.eye(3, { dtype: x.dtype }), 2))), shapes: [[2, 3, 3]] },
  { name: 'matmul [3]x[3]', prims: ['dot_general', 'reshape'], f: (a, b) => np.matmul(a, b), shapes: [[3], [3]] },
  { name: 'matmul [2,3]x[3,4]', prims: ['dot_general'], f: (a, b) => np.matmul(a, b), shapes: [[2, 3], [3, 4]] },
  { name: 'matmul [2,2,3]x[3,1]', prims: ['dot_general', 'broadcast_in_dim'], f: (a, b) => np.matmul(a, b), shapes: [[2, 2, 3], [3, 1]] },
  { name: 'matmul [5]x[5,2]', prims: ['dot_general', 'reshape'], f: (a, b) => np.matmul(a, b), shapes: [[5], [5, 2]] },
  { name: 'matmul [2,3]x[3]', prims: ['dot_general', 'reshape'], f: (a, b) => np.matmul(a, b), shapes: [[2, 3], [3]] },
  { name: 'matmul [1,3]x[3,1]', prims: ['dot_general'], f: (a, b) => np.matmul(a, b), shapes: [[1, 3], [3, 1]] },
  { name: 'matmul batch-broadcast [2,1,2,3]x[3,3,2]', prims: ['dot_general', 'broadcast_in_dim'], f: (a, b) => np.matmul(a, b), shapes: [[2, 1, 2, 3], [3, 3, 2]] },
  { name: 'lax.batchMatmul [2,2,3]x[2,3,2]', prims: ['dot_general'], f: (a, b) => lax.batchMatmul(a, b), shapes: [[2, 2, 3], [2, 3, 2]] },
  { name: 'np.dot [2,3]x[3,4]', prims: ['dot_general'], f: (a, b) => np.dot(a, b), shapes: [[2, 3], [3, 4]] },
  { name: 'np.dot N-d [2,3]x[4,3,2]', prims: ['dot_general'], f: (a, b) => np.dot(a, b), shapes: [[2, 3], [4, 3, 2]] },
  { name: 'np.dot [2,3,2]x[2]', prims: ['dot_general', 'reshape'], f: (a, b) => np.dot(a, b), shapes: [[2, 3, 2], [2]] },
  { name: 'vdot [2,3].[2,3]', prims: ['mul', 'sum', 'reshape'], f: (a, b) => np.vdot(a, b), shapes: [[2, 3], [2, 3]] },
  { name: 'matmul x @ x^T (same input twice) [3,2]', prims: ['dot_general', 'transpose'], f: (x) => np.matmul(x, np.transpose(x)), shapes: [[3, 2]] },
  { name: 'matmul tanh(A @ x) (MLP layer) [3,4]x[4,2]', prims: ['dot_general', 'tanh'], f: (a, x) => np.tanh(np.matmul(a, x)), shapes: [[3, 4], [4, 2]] },

  // ---------------------------------------------------------------- dot_general layouts, einsum, tensordot, kron
  { name: 'lax.dotGeneral x W^T (NT layout) [3,4]x[5,4]', prims: ['dot_general'], f: (a, b) => lax.dotGeneral(a, b, [[[1], [1]], [[], []]]), shapes: [[3, 4], [5, 4]] },
  { name: 'lax.dotGeneral x^T y [4,3]x[4,2]', prims: ['dot_general'], f: (a, b) => lax.dotGeneral(a, b, [[[0], [0]], [[], []]]), shapes: [[4, 3], [4, 2]] },
  { name: 'lax.dotGeneral batch 1,2 contract 2,0 [3,2,4]x[4,5,2]', prims: ['dot_general'], f: (a, b) => lax.dotGeneral(a, b, [[[2], [0]], [[1], [2]]]), shapes: [[3, 2, 4], [4, 5, 2]] },
  { name: 'einsum ij,jk->ki', prims: ['dot_general', 'transpose'], f: (a, b) => np.einsum('ij,jk->ki', a, b), shapes: [[2, 3], [3, 4]] },
  { name: 'einsum ibj,jkb->bik', prims: ['dot_general'], f: (a, b) => np.einsum('ibj,jkb->bik', a, b), shapes: [[2, 2, 3], [3, 2, 2]] },
  { name: 'einsum ii->i (diagonal)', prims: ['mul', 'sum'], f: (a) => np.einsum('ii->i', a), shapes: [[3, 3]] },
  { name: 'einsum ...ij,...jk->...ik with a size-1 batch axis', prims: ['dot_general'], f: (a, b) => np.einsum('...ij,...jk->...ik', a, b), shapes: [[2, 1, 2, 3], [3, 3, 2]] },
  { name: 'einsum ij,jk,kl->il (greedy order)', prims: ['dot_general'], f: (a, b, c) => np.einsum('ij,jk,kl->il', a, b, c), shapes: [[2, 3], [3, 2], [2, 2]] },
  { name: 'einsum ij,ij->i then tanh', prims: ['dot_general', 'tanh'], f: (a, b) => np.tanh(np.einsum('ij,ij->i', a, b)), shapes: [[2, 3], [2, 3]] },
  { name: 'tensordot [2,3,4]x[3,4,2] axes 2', prims: ['dot_general'], f: (a, b) => np.tensordot(a, b), shapes: [[2, 3, 4], [3, 4, 2]] },
  { name: 'kron [2,2]x[2]', prims: ['mul', 'reshape'], f: (a, b) => np.kron(a, b), shapes: [[2, 2], [2]] },

  // ---------------------------------------------------------------- gather / scatter_add (indexing)
  { name: 'take [2,3] axis 1 with int32 [4] (repeats, a negative)', prims: ['gather'], f: (x) => np.take(x, IX([2, 0, -1, 2]), { axis: 1 }), shapes: [[2, 3]] },
  { name: 'take [3,2] axis -2, clip, out-of-range indices', prims: ['gather'], f: (x) => np.take(x, IX([5, -9, 1]), { axis: -2, mode: 'clip' }), shapes: [[3, 2]] },
  { name: 'index [3,4] with a slice and an int32 array', prims: ['gather'], f: (x) => np.index(x, '::-1', IX([[3, 0], [1, 1]])), shapes: [[3, 4]] },
  { name: 'index [3,4] with arrays around a null (new axis)', prims: ['gather', 'reshape'], f: (x) => np.index(x, IX([2, 0, 2]), null, IX([1, 3, 0])), shapes: [[3, 4]] },
  { name: 'takeAlongAxis [2,3] axis 1', prims: ['gather', 'concatenate'], f: (x) => np.takeAlongAxis(x, IX([[2, 0], [1, 1]]), 1), shapes: [[2, 3]] },
  { name: 'x.at(idx).add(y) with repeats [4], [3]', prims: ['scatter_add'], f: (x, y) => x.at(IX([3, 0, 3])).add(y), shapes: [[4], [3]] },
  { name: 'x.at(rows).set(y) [3,2], [2,2]', prims: ['scatter_add', 'select'], f: (x, y) => x.at([2, 0]).set(y), shapes: [[3, 2], [2, 2]] },
  { name: 'x.at(null, rows).add(y) [3,2], [1,2,2]', prims: ['scatter_add', 'reshape'], f: (x, y) => x.at(null, IX([2, 0])).add(y), shapes: [[3, 2], [1, 2, 2]] },
  { name: 'dynamicUpdateSlice [3,3] <- [2,1] at [1,2]', prims: ['scatter_add', 'select'], f: (x, u) => np.dynamicUpdateSlice(x, u, [1, 2]), shapes: [[3, 3], [2, 1]] },
  { name: 'pad [2,3] reflect 2 then sin', prims: ['gather', 'sin'], f: (x) => np.sin(np.pad(x, 2, { mode: 'reflect' })), shapes: [[2, 3]] },
  { name: 'diag of diagonal [3,3] offset 1', prims: ['gather', 'scatter_add'], f: (x) => np.diag(np.diagonal(x, 1)), shapes: [[3, 3]] },
  { name: 'take [0,3] axis 1 (size-0 operand axis)', prims: ['gather'], f: (x) => np.take(x, IX([1, 2]), { axis: 1 }), shapes: [[0, 3]] },

  { name: 'sort [6] then multiply by x', prims: ['gather', 'mul'], f: (x) => np.multiply(np.sort(x), x), shapes: [[6]] },
  { name: 'sort [3,4] axis 0 descending', prims: ['gather'], f: (x) => np.sort(x, { axis: 0, descending: true }), shapes: [[3, 4]] },
  { name: 'topK values [2,5] k 2', prims: ['gather'], f: (x) => lax.topK(x, 2)[0], shapes: [[2, 5]] },

  // ---------------------------------------------------------------- reductions (max/min split ties; prod through zeros)
  { name: 'max [2,3] axis 1', prims: ['reduce_max'], f: (x) => np.max(x, { axis: 1 }), shapes: [[2, 3]] },
  { name: 'max all [4] then sin', prims: ['reduce_max', 'sin'], f: (x) => np.sin(np.max(x)), shapes: [[4]] },
  { name: 'max [2,3,4] axes [-1,0] keepdims', prims: ['reduce_max'], f: (x) => np.max(x, { axis: [-1, 0], keepdims: true }), shapes: [[2, 3, 4]] },
  { name: 'max [1,3] over the size-1 axis', prims: ['reduce_max'], f: (x) => np.max(x, 0), shapes: [[1, 3]] },
  { name: 'max [0,3] axis 1 (size-0 result)', prims: ['reduce_max'], f: (x) => np.max(x, 1), shapes: [[0, 3]] },
  { name: 'min [3,2] axis -2', prims: ['reduce_min'], f: (x) => np.min(x, { axis: -2 }), shapes: [[3, 2]] },
  { name: 'min [5] times x', prims: ['reduce_min', 'mul'], f: (x) => np.multiply(np.min(x), x), shapes: [[5]] },
  { name: 'prod [2,3] axis 1', prims: ['split', 'mul', 'concatenate'], f: (x) => np.prod(x, { axis: 1 }), shapes: [[2, 3]] },
  { name: 'prod [5] through an exact 0', prims: ['split', 'mul'], f: (x) => np.prod(x), shapes: [[5]], domain: fixed(1.5, 0, -0.75, 2, 1.25) },
  { name: 'prod [4] through two exact 0s', prims: ['split', 'mul'], f: (x) => np.prod(x), shapes: [[4]], domain: fixed(0, 1.5, 0, -2) },
  { name: 'prod [2,3,2] axes [0,-1] keepdims', prims: ['split', 'mul', 'transpose'], f: (x) => np.prod(x, { axis: [0, -1], keepdims: true }), shapes: [[2, 3, 2]], domain: real(0.5, 1.5) },
  { name: 'var [3,4] axis 0', prims: ['sum', 'sub', 'mul', 'div'], f: (x) => np.var(x, 0), shapes: [[3, 4]] },
  { name: 'std [6] ddof 1', prims: ['sum', 'sqrt'], f: (x) => np.std(x, { ddof: 1 }), shapes: [[6]] },
  { name: 'logsumexp [2,3] axis 1', prims: ['reduce_max', 'stop_gradient', 'exp', 'log', 'select'], f: (x) => np.logsumexp(x, { axis: 1 }), shapes: [[2, 3]] },
  { name: 'logsumexp all [4] keepdims', prims: ['reduce_max', 'exp', 'log'], f: (x) => np.logsumexp(x, { keepdims: true }), shapes: [[4]] },
  { name: 'softmax [2,3] (last axis)', prims: ['reduce_max', 'exp', 'div'], f: (x) => np.softmax(x), shapes: [[2, 3]] },
  { name: 'softmax [3,2] axis 0', prims: ['reduce_max', 'exp', 'div'], f: (x) => np.softmax(x, { axis: 0 }), shapes: [[3, 2]] },
  { name: 'logSoftmax [2,4] axis -1', prims: ['reduce_max', 'exp', 'log'], f: (x) => np.logSoftmax(x, -1), shapes: [[2, 4]] },
  // customJvp (custom_call): the user's rule gives the derivative; here the exact one, so the
  // finite differences of f agree (a wrong rule fails every check: tests/custom_rules.test.ts).
  { name: 'customJvp x tanh x [5]', prims: ['custom_call'], f: (x) => xTanhX(x), shapes: [[5]] },
  { name: 'customJvp log1pexp [2,3]', prims: ['custom_call'], f: (x) => log1pexp(x), shapes: [[2, 3]], domain: real(-3, 3) },
  // scan under jit (one row; its JVP unrolls the steps, so both modes): an RNN over the rows of x
  { name: 'jitted scan: tanh RNN over [4,3]', prims: ['scan'], f: (x) => JIT_RNN(x), shapes: [[4, 3]] },
  // cond under jit (one row running only the chosen branch): each branch, by the sign of the inputs
  { name: 'jitted cond, true branch [3]', prims: ['cond'], f: (x) => JIT_COND(x), shapes: [[3]], domain: real(0.2, 2) },
  { name: 'jitted cond, false branch [3]', prims: ['cond'], f: (x) => JIT_COND(x), shapes: [[3]], domain: real(-2, -0.2) },
  // checkpoint under jit (one row; its linearization keeps only its inputs and recomputes it)
  { name: 'jitted checkpoint: tanh(x) sin(x) [2,3]', prims: ['checkpoint'], f: (x) => JIT_CKPT(x), shapes: [[2, 3]] },
  // psum over a named vmap axis (it exists only inside one): the batched function of the whole x
  { name: 'psum: sin(x_i) times the sum over the rows of x^2 [3,2]', prims: ['psum'], f: (x) => vmap((v: NDArray) => np.multiply(np.sin(v), lax.psum(np.square(v), 'i')), { axisName: 'i' })(x), shapes: [[3, 2]] },
  { name: 'psum over both axes of [2,3], nested names', prims: ['psum'], f: (x) => vmap(vmap((v: NDArray) => np.multiply(v, lax.psum(v, ['r', 'c'])), { axisName: 'c' }), { axisName: 'r' })(x), shapes: [[2, 3]] },
  { name: 'cumsum [2,5] axis 1', prims: ['cumsum'], f: (x) => np.cumsum(x, 1), shapes: [[2, 5]] },
  { name: 'cumsum [3,2] axis 0', prims: ['cumsum'], f: (x) => np.cumsum(x, { axis: 0 }), shapes: [[3, 2]] },
  { name: 'cumsum [7] flattened', prims: ['cumsum', 'reshape'], f: (x) => np.cumsum(np.reshape(x, [7])), shapes: [[7]] },
  { name: 'cumprod [6] through an exact 0', prims: ['split', 'concatenate', 'mul'], f: (x) => np.cumprod(x), shapes: [[6]], domain: fixed(1.5, -0.5, 0, 2, 1.25, -1) },
  { name: 'cummax [5]', prims: ['split', 'concatenate', 'select'], f: (x) => np.cummax(x), shapes: [[5]] },
  { name: 'norm [4] ord 2', prims: ['sqrt', 'sum'], f: (x) => np.norm(x), shapes: [[4]] },
  { name: 'norm [2,3] ord 1 axis 1', prims: ['sum', 'select'], f: (x) => np.norm(x, { ord: 1, axis: 1 }), shapes: [[2, 3]], domain: awayFromZero() },
  { name: 'norm [4] ord inf', prims: ['reduce_max', 'select'], f: (x) => np.norm(x, { ord: Infinity }), shapes: [[4]], domain: awayFromZero() },
  { name: 'norm [3] ord 3', prims: ['pow', 'sum'], f: (x) => np.norm(x, { ord: 3 }), shapes: [[3]], domain: awayFromZero() },

  // ---------------------------------------------------------------- degenerate dependence
  { name: 'unused argument: (x, y) -> 2x [3]', prims: ['mul'], f: (x, _y) => np.multiply(x, 2), shapes: [[3], [2, 2]] },
  { name: 'constant output: x -> full([2], 3)', prims: [], f: (x) => lax.full([2], 3, x.dtype), shapes: [[3]] },
  { name: 'piecewise constant: float(x > 0) [4]', prims: ['gt', 'convert'], f: (x) => np.astype(np.greater(x, 0), x.dtype), shapes: [[4]], domain: awayFromZero() },

  // ---------------------------------------------------------------- larger shapes: SIMD tails, blocked kernels
  { name: 'exp, sin, tanh, log chain [37] (SIMD tails)', prims: ['exp', 'sin', 'tanh', 'log'], f: (x) => np.log(np.add(np.add(np.exp(np.sin(x)), np.tanh(x)), 1)), shapes: [[37]], domain: real(-2, 2) },
  { name: 'sqrt / x [19] (SIMD tails)', prims: ['sqrt', 'div'], f: (x) => np.divide(np.sqrt(x), np.add(x, 1)), shapes: [[19]], domain: positive() },
  { name: 'pow [2,19]**[19]', prims: ['pow', 'broadcast_in_dim'], f: (x, y) => np.power(x, y), shapes: [[2, 19], [19]], domain: [positive(), real()], big: true },
  { name: 'matmul packed with edges [5,6]x[6,9]', prims: ['dot_general'], f: (a, b) => np.matmul(a, b), shapes: [[5, 6], [6, 9]] },
  { name: 'matmul packed [9,8]x[8,17] then sin', prims: ['dot_general', 'sin'], f: (a, b) => np.sin(np.matmul(a, b)), shapes: [[9, 8], [8, 17]], big: true },
  { name: 'matmul k > 256 (k blocks) [4,300]x[300,5]', prims: ['dot_general'], f: (a, b) => np.matmul(a, b), shapes: [[4, 300], [300, 5]], domain: real(-0.5, 0.5), big: true },
  { name: 'matmul m > 128 (m blocks) [133,3]x[3,8]', prims: ['dot_general'], f: (a, b) => np.matmul(a, b), shapes: [[133, 3], [3, 8]], big: true },
  { name: 'batchMatmul [3,5,4]x[3,4,9]', prims: ['dot_general'], f: (a, b) => lax.batchMatmul(a, b), shapes: [[3, 5, 4], [3, 4, 9]], big: true },
  { name: 'matmul-vector [7,33]x[33]', prims: ['dot_general', 'reshape'], f: (a, b) => np.matmul(a, b), shapes: [[7, 33], [33]], big: true },
  { name: 'sum all [300] (row blocks)', prims: ['sum', 'mul'], f: (x) => np.sum(np.multiply(x, x)), shapes: [[300]], big: true },
  { name: 'sum axis 0 [40,6] (column blocks)', prims: ['sum'], f: (x) => np.sum(x, { axis: 0 }), shapes: [[40, 6]], big: true },
  { name: 'sum axis 1 [6,270]', prims: ['sum'], f: (x) => np.sum(x, { axis: 1 }), shapes: [[6, 270]], big: true },
  { name: 'sum axes [0,2] [9,5,35]', prims: ['sum'], f: (x) => np.sum(x, { axis: [0, 2] }), shapes: [[9, 5, 35]], big: true },
  { name: 'transpose [20,18] (tiles)', prims: ['transpose'], f: (x) => np.transpose(x), shapes: [[20, 18]], big: true },
  { name: 'transpose [3,17,19] perm [2,0,1]', prims: ['transpose'], f: (x) => np.transpose(x, [2, 0, 1]), shapes: [[3, 17, 19]], big: true },
  { name: 'broadcast [33,1]+[1,17]', prims: ['add', 'broadcast_in_dim'], f: (x, y) => np.add(x, y), shapes: [[33, 1], [1, 17]], big: true },
  { name: 'broadcastInDim [17] -> [5,17,3] dims [1]', prims: ['broadcast_in_dim'], f: (x) => lax.broadcastInDim(x, [5, 17, 3], [1]), shapes: [[17]], big: true },
  { name: 'where(x > y, x*y, y) [45]', prims: ['gt', 'select', 'mul'], f: (x, y) => np.where(np.greater(x, y), np.multiply(x, y), y), shapes: [[45], [45]], gen: separated, big: true },
];
