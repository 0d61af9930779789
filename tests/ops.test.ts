// The derivative test table (cf. JAX's LAX_GRAD_OPS): every primitive, through the public
// numpy/lax surfaces, checked against float64 finite differences of the function itself.
//
// For each entry, at a seeded random point (all values float32-representable, so the same point
// serves the float64 and float32 runs):
//   1. first order (float64): jvp, linearize, vjp (<vjp(u), v> vs <u, fd_jvp(v)>) and grad of
//      x -> sum(w * f(x)) (against a coordinate-wise FD gradient), all to FIRST_ORDER_RTOL;
//   2. second order (float64) of s(x) = sum(w1 * f(x)) + sum(w2 * f(x)^2) / 2: forward-over-
//      reverse (jvp of grad), reverse-over-reverse (grad of <grad, v>), reverse-over-forward
//      (grad of jvp) and forward-over-forward, against nested 5-point differences (the 5-point
//      stencil applied in two directions, Richardson-extrapolated over a step ladder; H v
//      coordinate by coordinate, plus <u, H v> and <v, H v>), to SECOND_ORDER_RTOL;
//   3. checkGrads(f, args, {order: 2, modes: ['fwd', 'rev']}) in float64 and in float32;
//   4. float32: jvp, vjp and grad against the float64 FD reference, to FLOAT32_RTOL.
// Errors are measured as |got - want| / max(1, |want|). FD evaluates only the forward function
// (eagerly, in float64), never the library's derivatives. Observed worst errors at these seeds
// (OPS_TEST_SUMMARY=1 prints them): first order 4e-11, second order 2.3e-9 (<= 5e-8 over 13
// other seeds), float32 2.7e-6 (<= 1.1e-5).
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, linalg, grad, valueAndGrad, jvp, vjp, linearize, checkGrads, CotangentError, NDArray } from 'cotangent';
import { wasmOpNames } from './helpers/wasm_ops.ts';
import {
  Rng, seedOf, arr, f64, dot, sizeOf, fdJvp, fdGrad, fdSecond, fdSecondDiag, fdSecondAdaptive, fdSecondDiagAdaptive, assertClose, ErrorLog,
  Point, Fn, FloatDType,
} from './helpers/fd.ts';

const FIRST_ORDER_RTOL = 1e-8;
const SECOND_ORDER_RTOL = 2e-7;
const FLOAT32_RTOL = 1e-3;
// Cotangents of float32 primals (and tangents of float32 outputs) are float32, as in JAX, so
// entries with a float32 leaf in the float64 run carry float32 rounding (2^-24 relative per
// element, accumulated over a few elements).
const F32_LEAF_RTOL = 1e-6;

const LOG = new ErrorLog();

// The primitives come from the wasm's own op table, so a new op without an entry fails below.
// Not in the table: the leaves and identities no user function can call on its own; the
// integer-valued primitives, which have no derivative: bitwise ops (tests/integers.test.ts),
// the PRNG's (tests/random.test.ts), argmax/argmin (tests/reductions.test.ts),
// argsort/searchsorted (tests/sorting.test.ts); and stop_gradient (a zero derivative by design,
// so finite differences disagree on purpose; tests/reductions.test.ts).
const NOT_DIFFERENTIATED_HERE = new Set(['const', 'placeholder', 'input', 'full', 'copy', 'proj',
  'and', 'or', 'xor', 'not', 'shift_left', 'shift_right_arithmetic', 'shift_right_logical', 'threefry2x32', 'random_float',
  'argmax', 'argmin', 'stop_gradient', 'argsort', 'searchsorted']);
type Prim = string;
const ALL_PRIMS: Prim[] = wasmOpNames().filter((n) => !NOT_DIFFERENTIATED_HERE.has(n));

type Domain = (rng: Rng, n: number) => number[];
const real = (lo = -2, hi = 2): Domain => (rng, n) => Array.from({ length: n }, () => rng.uniform(lo, hi));
const positive = (lo = 0.5, hi = 2): Domain => real(lo, hi);
/** |x| in [lo, hi] with alternating signs (random start), so both branches of x > 0 appear. */
const awayFromZero = (lo = 0.5, hi = 2): Domain => (rng, n) => {
  const start = rng.next() < 0.5 ? 0 : 1;
  return Array.from({ length: n }, (_, i) => ((i + start) % 2 === 0 ? 1 : -1) * rng.uniform(lo, hi));
};
/** Fixed values (for special points such as an exact zero). */
const fixed = (...vals: number[]): Domain => (_rng, n) => {
  if (n !== vals.length) throw new Error(`fixed domain: ${vals.length} values for ${n} elements`);
  return vals;
};

interface Spec {
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
const boolMask = (shape: number[]): NDArray => {
  const n = sizeOf(shape);
  const v = Array.from({ length: n }, (_, i) => (i % 2 === 0) !== (crng.next() < 0.3));
  v[0] = true; if (n > 1) v[n - 1] = false; // both branches present
  return np.reshape(np.array(v), shape);
};
const C34 = boolMask([3, 4]);
/** A constant int32 index array. */
const IX = (v: number[] | number[][]): NDArray => np.array(v, { dtype: 'int32' });
const C23 = boolMask([2, 3]);
const C31 = boolMask([3, 1]);
const C5 = boolMask([5]);

/** Values x and y with x - y of alternating sign and |x - y| >= 0.3. */
const separated = (rng: Rng, shapes: number[][]): number[][] => {
  const n = sizeOf(shapes[0]);
  const x = real()(rng, n);
  const d = awayFromZero(0.3, 1.5)(rng, n);
  return [x, x.map((xi, i) => xi + d[i])];
};

const SPECS: Spec[] = [
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
  { name: 'triangular_solve (0.3 A + 2 I) x = b [3,3] [3,2]', prims: ['triangular_solve'], f: (a, b) => linalg.triangularSolve(np.add(np.multiply(a, 0.3), np.multiply(np.eye(3, { dtype: a.dtype }), 2)), b), shapes: [[3, 3], [3, 2]] },
  { name: 'triangular_solve right, upper, transposed [3,3] [2,3]', prims: ['triangular_solve'], f: (a, b) => linalg.triangularSolve(np.add(np.multiply(a, 0.3), np.multiply(np.eye(3, { dtype: a.dtype }), 2)), b, { leftSide: false, lower: false, transposeA: true }), shapes: [[3, 3], [2, 3]] },
  { name: 'lu factors of 0.5 A + 2 I [3,3] (P L U parts)', prims: ['lu'], f: (x) => { const [, L, U] = linalg.lu(np.add(np.multiply(x, 0.5), np.multiply(np.eye(3, { dtype: x.dtype }), 2))); return np.add(L, U); }, shapes: [[3, 3]] },
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
  { name: 'x.at(null, rows).add(y) [3,2], [1,2,2]', prims: ['scatter_add', 'reshape'], f: (x, y) => x.at(null, IX([2, 0])).add(y), shapes: [[3, 2], [1, 2, 2]] },
  { name: 'takeAlongAxis [2,3] axis 1', prims: ['gather', 'concatenate'], f: (x) => np.takeAlongAxis(x, IX([[2, 0], [1, 1]]), 1), shapes: [[2, 3]] },
  { name: 'x.at(idx).add(y) with repeats [4], [3]', prims: ['scatter_add'], f: (x, y) => x.at(IX([3, 0, 3])).add(y), shapes: [[4], [3]] },
  { name: 'x.at(rows).set(y) [3,2], [2,2]', prims: ['scatter_add', 'select'], f: (x, y) => x.at([2, 0]).set(y), shapes: [[3, 2], [2, 2]] },
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
  { name: 'cumsum [2,5] axis 1', prims: ['split', 'concatenate', 'add'], f: (x) => np.cumsum(x, 1), shapes: [[2, 5]] },
  { name: 'cumsum [3,2] axis 0', prims: ['split', 'concatenate', 'transpose'], f: (x) => np.cumsum(x, { axis: 0 }), shapes: [[3, 2]] },
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

// ---------------------------------------------------------------- per-entry fixtures

interface Fixture {
  point: Point;
  args: NDArray[];
  dtypes: FloatDType[];
  outShape: number[];
  outDtype: FloatDType;
  dirs: Float64Array[][]; // first-order directions (per argument)
  us: Float64Array[]; // output-space cotangent directions
  w1: Float64Array; w2: Float64Array; // scalarizing weights
  u2: Float64Array[]; v2: Float64Array[]; // second-order directions
}

function argDtypes(spec: Spec, run: FloatDType): FloatDType[] {
  return spec.shapes.map((_, i) => spec.dtypes?.[i] ?? run);
}

function makeFixture(spec: Spec, run: FloatDType): Fixture {
  const rng = new Rng(seedOf(spec.name));
  let raw: number[][];
  if (spec.gen) raw = spec.gen(rng, spec.shapes);
  else {
    raw = spec.shapes.map((s, i) => {
      const d = Array.isArray(spec.domain) ? spec.domain[i] : spec.domain ?? real();
      return d(rng, sizeOf(s));
    });
  }
  const values = raw.map((r) => Float64Array.from(r, (v) => Math.fround(v)));
  const shapes = spec.shapes.map((s) => s.slice());
  const dtypes = argDtypes(spec, run);
  const args = values.map((v, i) => arr(v, shapes[i], dtypes[i]));
  const out = spec.f(...args);
  const outDtype = out.dtype as FloatDType;
  const outShape = out.shape.slice();
  const n = sizeOf(outShape);
  const dirs = [0, 1].map(() => values.map((v) => rng.normals(v.length)));
  const us = [0, 1].map(() => rng.normals(n));
  const w1 = rng.normals(n), w2 = rng.normals(n);
  const u2 = values.map((v) => rng.normals(v.length));
  const v2 = values.map((v) => rng.normals(v.length));
  return { point: { values, shapes }, args, dtypes, outShape, outDtype, dirs, us, w1, w2, u2, v2 };
}

const tangentArrays = (fx: Fixture, d: Float64Array[]): NDArray[] => d.map((v, i) => arr(v, fx.point.shapes[i], fx.dtypes[i]));

/** x -> sum(w * f(x)), with w in the output's dtype (so the run's dtype is kept). */
function scalar1(f: Fn, w: Float64Array, shape: number[], dtype: FloatDType): Fn {
  const W = arr(w, shape, dtype);
  return (...a) => np.sum(np.multiply(f(...a), W));
}
/** x -> sum(w1 * f(x)) + sum(w2 * f(x)^2) / 2: a nonlinear readout, so linear ops get a nonzero Hessian. */
function scalar2(f: Fn, w1: Float64Array, w2: Float64Array, shape: number[], dtype: FloatDType): Fn {
  const W1 = arr(w1, shape, dtype), W2 = arr(w2, shape, dtype);
  return (...a) => {
    const y = f(...a);
    return np.add(np.sum(np.multiply(y, W1)), np.multiply(0.5, np.sum(np.multiply(W2, np.multiply(y, y)))));
  };
}

/** FD references at a spec's point, shared by the float64 and float32 runs (the point is the same). */
interface Refs {
  jvp: Float64Array[]; // fd jvp along dirs[k]
  grad1: Float64Array[] | null; // coordinate FD gradient of scalar1 (null for big entries)
  hv: Float64Array[] | null; // per argument: (H v2)_j by mixed FD with e_j (null for big entries)
  uHv: number; // u2^T H v2
  vHv: number; // v2^T H v2 (single-direction second difference)
}
const refCache = new Map<string, Refs>();
function refsFor(spec: Spec, fx: Fixture): Refs {
  const hit = refCache.get(spec.name);
  if (hit) return hit;
  const ref = spec.ref ?? spec.f;
  const jvps = fx.dirs.map((d) => fdJvp(ref, fx.point, d));
  const s1 = scalar1(ref, fx.w1, fx.outShape, 'float64');
  const s2 = scalar2(ref, fx.w1, fx.w2, fx.outShape, 'float64');
  const grad1 = spec.big ? null : fdGrad(s1, fx.point);
  const hv = spec.big ? null : fx.point.values.map((xv, i) => {
    const out = new Float64Array(xv.length);
    for (let j = 0; j < xv.length; j++) {
      const e = fx.point.values.map((v) => new Float64Array(v.length));
      e[i][j] = 1;
      out[j] = fdSecondAdaptive(s2, fx.point, e, fx.v2);
    }
    return out;
  });
  const uHv = fdSecondAdaptive(s2, fx.point, fx.u2, fx.v2);
  const vHv = fdSecondDiagAdaptive(s2, fx.point, fx.v2);
  const r = { jvp: jvps, grad1, hv, uHv, vHv };
  refCache.set(spec.name, r);
  return r;
}

const innerAll = (a: Float64Array[], b: Float64Array[]): number => a.reduce((s, ai, i) => s + dot(ai, b[i]), 0);
const asList = (x: unknown): NDArray[] => (Array.isArray(x) ? x : [x]) as NDArray[];

function assertLeaf(what: string, a: NDArray, shape: number[], dtype: string): void {
  assert.deepEqual(a.shape, shape, `${what}: shape [${a.shape}] != [${shape}]`);
  assert.equal(a.dtype, dtype, `${what}: dtype ${a.dtype} != ${dtype}`);
}

// ---------------------------------------------------------------- the table

/** Tolerances of a spec's float64 run, and its error-log category. */
function settings(spec: Spec) {
  const f32Leaves = spec.rtol64 !== undefined || (spec.dtypes ?? []).includes('float32');
  const tol64 = f32Leaves ? Math.max(spec.rtol64 ?? 0, F32_LEAF_RTOL) : FIRST_ORDER_RTOL;
  const tol2 = f32Leaves ? Math.max(spec.rtol64 ?? 0, F32_LEAF_RTOL) : SECOND_ORDER_RTOL;
  const cat = (c: string) => (spec.mutant ? undefined : { log: LOG, category: f32Leaves ? `${c} [float32 leaves]` : c });
  return { tol64, tol2, cat };
}

function checkFirstOrder(spec: Spec): void {
  const { tol64, cat } = settings(spec);
  const fx = makeFixture(spec, 'float64');
  const refs = refsFor(spec, fx);
  const eager = f64(spec.f(...fx.args));
  // One linearization and one vjp, each applied in both directions (the returned functions are reusable).
  const [lout, jvpFn] = linearize(spec.f, ...fx.args);
  assertClose(`${spec.name}: linearize primal output vs eager`, f64(lout), eager, { rtol: 1e-15 });
  const [vout, vjpFn] = vjp(spec.f, ...fx.args);
  assertClose(`${spec.name}: vjp primal output vs eager`, f64(vout), eager, { rtol: 1e-15 });
  fx.dirs.forEach((d, k) => {
    const tan = tangentArrays(fx, d);
    const [out, t] = jvp(spec.f, fx.args, tan);
    assertLeaf('jvp primal out', out, fx.outShape, fx.outDtype);
    assertLeaf('jvp tangent out', t, fx.outShape, fx.outDtype);
    assertClose(`${spec.name}: jvp primal output vs eager`, f64(out), eager, { rtol: 1e-15 });
    assertClose(`${spec.name}: jvp tangent (dir ${k})`, f64(t), refs.jvp[k], { rtol: tol64 }, cat('f64 jvp'));

    const lt = jvpFn(...tan);
    assertLeaf('linearize tangent out', lt, fx.outShape, fx.outDtype);
    assertClose(`${spec.name}: linearize jvpFn (dir ${k})`, f64(lt), refs.jvp[k], { rtol: tol64 }, cat('f64 linearize'));

    const cts = vjpFn(arr(fx.us[k], fx.outShape, fx.outDtype));
    assert.equal(cts.length, fx.args.length, 'vjp: one cotangent per primal');
    cts.forEach((c: NDArray, i: number) => assertLeaf(`vjp cotangent ${i}`, c, fx.point.shapes[i], fx.dtypes[i]));
    const got = innerAll(cts.map((c: NDArray) => f64(c)), d);
    const want = dot(fx.us[k], refs.jvp[k]);
    assertClose(`${spec.name}: <vjp(u), v> vs <u, fd_jvp(v)> (dir ${k})`, [got], [want], { rtol: tol64 }, cat('f64 vjp'));
  });
}

function checkGrad(spec: Spec): void {
  const { tol64, cat } = settings(spec);
  const fx = makeFixture(spec, 'float64');
  const refs = refsFor(spec, fx);
  const argnums = fx.args.map((_, i) => i);
  const s1 = scalar1(spec.f, fx.w1, fx.outShape, fx.outDtype);
  const checkOne = (label: string, gi: NDArray, i: number) => {
    assertLeaf(`${label} ${i}`, gi, fx.point.shapes[i], fx.dtypes[i]);
    if (refs.grad1) {
      assertClose(`${spec.name}: ${label} wrt argument ${i}`, f64(gi), refs.grad1[i], { rtol: tol64 }, cat('f64 grad'));
    }
  };
  const g = grad(s1, { argnums })(...fx.args) as NDArray[];
  assert.equal(g.length, fx.args.length);
  g.forEach((gi, i) => checkOne('grad', gi, i));
  // <grad, v> = <w, J v> along both first-order directions (the only check for big entries).
  fx.dirs.forEach((d, k) => {
    const got = innerAll(g.map((gi) => f64(gi)), d);
    assertClose(`${spec.name}: <grad, v> vs <w, fd_jvp(v)> (dir ${k})`, [got], [dot(fx.w1, refs.jvp[k])], { rtol: tol64 }, cat('f64 grad'));
  });
  const [val, g0] = valueAndGrad(s1)(...fx.args);
  assertClose(`${spec.name}: valueAndGrad value vs eager`, f64(val), f64(s1(...fx.args)), { rtol: 1e-15 });
  checkOne('valueAndGrad (argnums 0)', g0, 0);
  assert.deepEqual(Array.from(f64(g0)), Array.from(f64(g[0])), 'valueAndGrad and grad agree exactly');
  if (fx.args.length > 1) {
    // A single argnums (a number) selects one argument and returns its gradient unwrapped.
    const last = fx.args.length - 1;
    const gl = grad(s1, { argnums: last })(...fx.args) as NDArray;
    checkOne(`grad (argnums ${last})`, gl, last);
    assert.deepEqual(Array.from(f64(gl)), Array.from(f64(g[last])), `grad with argnums ${last} agrees with argnums all`);
  }
}

function checkSecondOrder(spec: Spec): void {
  const { tol2, cat } = settings(spec);
  const fx = makeFixture(spec, 'float64');
  const refs = refsFor(spec, fx);
  const argnums = fx.args.map((_, i) => i);
  const s2 = scalar2(spec.f, fx.w1, fx.w2, fx.outShape, fx.outDtype);
  const V = tangentArrays(fx, fx.v2), U = tangentArrays(fx, fx.u2);
  const gradS2 = (...a: NDArray[]) => grad(s2, { argnums })(...a) as NDArray[];
  const checkHv = (label: string, hv: NDArray[]) => {
    assert.equal(hv.length, fx.args.length, `${label}: one result per argument`);
    hv.forEach((h, i) => {
      assertLeaf(`${label} ${i}`, h, fx.point.shapes[i], fx.dtypes[i]);
      if (refs.hv) assertClose(`${spec.name}: ${label} = H v, argument ${i}`, f64(h), refs.hv[i], { rtol: tol2 }, cat(`f64 ${label}`));
    });
    const hvs = hv.map((h) => f64(h));
    assertClose(`${spec.name}: ${label}: <u, H v>`, [innerAll(fx.u2, hvs)], [refs.uHv], { rtol: tol2 }, cat(`f64 ${label}`));
    assertClose(`${spec.name}: ${label}: <v, H v>`, [innerAll(fx.v2, hvs)], [refs.vHv], { rtol: tol2 }, cat(`f64 ${label}`));
  };

  // forward-over-reverse: jvp of grad
  const [, fwdRev] = jvp(gradS2, fx.args, V);
  checkHv('jvp(grad)', asList(fwdRev));

  // reverse-over-reverse: grad of x -> <grad(x), v>
  const gv = (...a: NDArray[]) => {
    const gs = gradS2(...a);
    let acc = np.vdot(gs[0], V[0]);
    for (let i = 1; i < gs.length; i++) acc = np.add(acc, np.vdot(gs[i], V[i]));
    return acc;
  };
  checkHv('grad(<grad, v>)', asList(grad(gv, { argnums })(...fx.args)));

  // reverse-over-forward: grad of x -> jvp(s2, x, v)
  const jv = (...a: NDArray[]) => jvp(s2, a, V)[1] as NDArray;
  checkHv('grad(jvp)', asList(grad(jv, { argnums })(...fx.args)));

  // forward-over-forward: u^T H v
  const [, uhv] = jvp(jv, fx.args, U);
  assertClose(`${spec.name}: jvp(jvp) = u^T H v`, f64(uhv), [refs.uHv], { rtol: tol2 }, cat('f64 jvp(jvp)'));
}

function checkGradsF64(spec: Spec): void {
  const fx = makeFixture(spec, 'float64');
  // Big entries: checkGrads' central difference with the default eps = 1e-4 has truncation error
  // eps^2 |f'''| / 6 per element, which summed over thousands of elements in the VJP inner
  // product can reach the 1e-5 float64 tolerance (as in JAX), so they use eps = 1e-5.
  checkGrads(spec.f, fx.args, { order: 2, modes: ['fwd', 'rev'], ...(spec.big ? { eps: 1e-5 } : {}) });
}

function checkGradsF32(spec: Spec): void {
  const fx = makeFixture(spec, 'float32');
  checkGrads(spec.f, fx.args, { order: 2, modes: ['fwd', 'rev'] });
}

function checkFloat32(spec: Spec): void {
  const { cat } = settings(spec);
  const fx = makeFixture(spec, 'float32');
  const refs = refsFor(spec, makeFixture(spec, 'float64'));
  const [, vjpFn] = vjp(spec.f, ...fx.args);
  fx.dirs.forEach((d, k) => {
    const [, t] = jvp(spec.f, fx.args, tangentArrays(fx, d));
    assertLeaf('float32 jvp tangent', t, fx.outShape, fx.outDtype);
    assertClose(`${spec.name}: float32 jvp (dir ${k})`, f64(t), refs.jvp[k], { rtol: FLOAT32_RTOL }, cat('f32 jvp'));
    const cts = vjpFn(arr(fx.us[k], fx.outShape, fx.outDtype)) as NDArray[];
    cts.forEach((c, i) => assertLeaf(`float32 vjp cotangent ${i}`, c, fx.point.shapes[i], fx.dtypes[i]));
    const got = innerAll(cts.map((c) => f64(c)), d);
    assertClose(`${spec.name}: float32 <vjp(u), v> (dir ${k})`, [got], [dot(fx.us[k], refs.jvp[k])], { rtol: FLOAT32_RTOL }, cat('f32 vjp'));
  });
  const argnums = fx.args.map((_, i) => i);
  const g = grad(scalar1(spec.f, fx.w1, fx.outShape, fx.outDtype), { argnums })(...fx.args) as NDArray[];
  g.forEach((gi, i) => {
    assertLeaf(`float32 grad ${i}`, gi, fx.point.shapes[i], fx.dtypes[i]);
    if (refs.grad1) assertClose(`${spec.name}: float32 grad wrt argument ${i}`, f64(gi), refs.grad1[i], { rtol: FLOAT32_RTOL }, cat('f32 grad'));
  });
  fx.dirs.forEach((d, k) => {
    const got = innerAll(g.map((gi) => f64(gi)), d);
    assertClose(`${spec.name}: float32 <grad, v> (dir ${k})`, [got], [dot(fx.w1, refs.jvp[k])], { rtol: FLOAT32_RTOL }, cat('f32 grad'));
  });
}

for (const spec of SPECS) {
  describe(`op ${spec.name}`, () => {
    test('float64: jvp, linearize and vjp vs 5-point FD', () => checkFirstOrder(spec));
    test(`float64: grad and valueAndGrad of sum(w * f) vs ${spec.big ? 'directional' : 'coordinate-wise'} FD`, () => checkGrad(spec));
    test('float64: second order (fwd-over-rev, rev-over-rev, rev-over-fwd, fwd-over-fwd) vs nested FD', () => checkSecondOrder(spec));
    test('checkGrads order 2 (fwd, rev) passes in float64', () => checkGradsF64(spec));
    test('checkGrads order 2 (fwd, rev) passes in float32', () => checkGradsF32(spec));
    test('float32: jvp, vjp and grad vs float64 FD', () => checkFloat32(spec));
  });
}

// ---------------------------------------------------------------- the harness can fail

describe('each table check rejects a slightly wrong derivative (mutant references)', () => {
  // f = sin(x), but the FD reference is taken of sin((1 + delta) x): its derivatives differ from
  // the library's (correct) ones by about delta, which each check must notice at its tolerance.
  const mutant = (delta: number, shapes: number[][] = [[5]]): Spec => ({
    name: `mutant sin, delta ${delta}, [${shapes[0]}]`, prims: [], shapes, mutant: true,
    f: (x) => np.sin(x), ref: (x) => np.sin(np.multiply(x, 1 + delta)),
  });
  const rejects = (fn: () => void) => assert.throws(fn, (e: unknown) => e instanceof Error && !(e instanceof CotangentError) && /got .* want/.test((e as Error).message));
  test('first order (jvp, linearize, vjp) rejects delta = 1e-7', () => rejects(() => checkFirstOrder(mutant(1e-7))));
  test('grad rejects delta = 1e-7', () => rejects(() => checkGrad(mutant(1e-7))));
  test('grad (big entry, directional only) rejects delta = 1e-7', () => rejects(() => checkGrad({ ...mutant(1e-7, [[40]]), big: true })));
  test('second order rejects delta = 2e-6', () => rejects(() => checkSecondOrder(mutant(2e-6))));
  test('second order (big entry, directional only) rejects delta = 2e-6', () => rejects(() => checkSecondOrder({ ...mutant(2e-6, [[40]]), big: true })));
  test('float32 rejects delta = 1e-2', () => rejects(() => checkFloat32(mutant(1e-2))));
  test('and all of them accept delta = 0', () => {
    const ok = mutant(0, [[6]]);
    checkFirstOrder(ok); checkGrad(ok); checkSecondOrder(ok); checkFloat32(ok);
  });
});

// ---------------------------------------------------------------- coverage of the table

test('the table covers every primitive, with float64 and float32 runs', () => {
  const covered = new Set(SPECS.flatMap((s) => s.prims));
  const missing = ALL_PRIMS.filter((p) => !covered.has(p));
  assert.deepEqual(missing, [], `primitives without an entry: ${missing.join(', ')}`);
  const names = new Set(SPECS.map((s) => s.name));
  assert.equal(names.size, SPECS.length, 'entry names must be unique (they seed the PRNG and the FD cache)');
  // Shapes: scalars, vectors, matrices, 3-D and size-1 broadcast axes all appear.
  const ranks = new Set(SPECS.flatMap((s) => s.shapes.map((sh) => sh.length)));
  for (const r of [0, 1, 2, 3]) assert.ok(ranks.has(r), `no entry with a rank-${r} argument`);
  assert.ok(SPECS.some((s) => s.shapes.some((sh) => sh.includes(1) && sh.length > 1)), 'no entry with a size-1 axis');
});

// ---------------------------------------------------------------- comparison-gated functions, both branches

describe('comparison-gated functions: gradient on both branches (analytic)', () => {
  // where(cmp(x, c), A(x), B(x)): the gradient is A' where the comparison holds and B' elsewhere;
  // at a tie x == c the branch the comparison selects decides (lt/gt -> B, le/ge/eq -> A).
  const c = 0.25;
  const A = (x: NDArray) => np.multiply(x, np.multiply(x, x)); // x^3
  const dA = (x: number) => 3 * x * x, d2A = (x: number) => 6 * x;
  const B = (x: NDArray) => np.sin(x);
  const dB = (x: number) => Math.cos(x), d2B = (x: number) => -Math.sin(x);
  const cases: { op: string; cmp: (x: NDArray, y: number) => NDArray; holds: (x: number) => boolean }[] = [
    { op: 'less', cmp: np.less, holds: (x) => x < c },
    { op: 'lessEqual', cmp: np.lessEqual, holds: (x) => x <= c },
    { op: 'greater', cmp: np.greater, holds: (x) => x > c },
    { op: 'greaterEqual', cmp: np.greaterEqual, holds: (x) => x >= c },
    { op: 'equal', cmp: np.equal, holds: (x) => x === c },
    { op: 'notEqual', cmp: np.notEqual, holds: (x) => x !== c },
  ];
  const xs = [-1.5, -0.25, 0, c, 0.75, 1.5]; // includes the tie c (exact in float32 and float64)
  for (const { op, cmp, holds } of cases) {
    for (const dtype of ['float64', 'float32'] as FloatDType[]) {
      test(`${op} (${dtype}): grad, second derivative and jvp on both branches and at the tie`, () => {
        const f = (x: NDArray) => np.where(cmp(x, c), A(x), B(x));
        const rtol = dtype === 'float64' ? 1e-14 : 1e-6;
        assert.ok(xs.some(holds) && xs.some((x) => !holds(x)), 'both branches must be exercised');
        for (const x0 of xs) {
          const x = np.array(x0, { dtype });
          const want1 = holds(x0) ? dA(x0) : dB(x0);
          const want2 = holds(x0) ? d2A(x0) : d2B(x0);
          const g = grad(f)(x) as NDArray;
          assert.equal(g.dtype, dtype);
          assertClose(`${op}: grad at ${x0}`, f64(g), [want1], { rtol });
          assertClose(`${op}: grad(grad) at ${x0}`, f64(grad(grad(f))(x)), [want2], { rtol });
          const [, t] = jvp(f, [x], [np.array(1, { dtype })]);
          assertClose(`${op}: jvp at ${x0}`, f64(t), [want1], { rtol });
        }
        // The vectorized gradient picks the branch per element.
        const xv = np.array(xs, { dtype });
        const gv = f64(grad((x: NDArray) => np.sum(f(x)))(xv));
        assertClose(`${op}: elementwise grad`, gv, xs.map((x0) => (holds(x0) ? dA(x0) : dB(x0))), { rtol });
      });
    }
  }

  test('where(x > 0, x^2, sin x) at scalar points and an FD cross-check away from the switch', () => {
    const f = (x: NDArray) => np.where(np.greater(x, 0), np.multiply(x, x), np.sin(x));
    for (const x0 of [1.3, -0.7]) {
      const x = np.array(new Float64Array([x0]), { shape: [] });
      const g = f64(grad(f)(x))[0];
      const want = x0 > 0 ? 2 * x0 : Math.cos(x0);
      assertClose(`grad at ${x0}`, [g], [want], { rtol: 1e-15 });
      const fd = fdJvp(f, { values: [new Float64Array([x0])], shapes: [[]] }, [new Float64Array([1])]);
      assertClose(`FD at ${x0}`, fd, [want], { rtol: 1e-9 });
    }
  });

  test('a comparison has a zero derivative: jvp and grad of float(x < 0.5) are exactly 0', () => {
    const f = (x: NDArray) => np.astype(np.less(x, 0.5), 'float64');
    const x = arr([0.1, 0.9, -2], [3]);
    const [out, t] = jvp(f, [x], [arr([1, 2, 3], [3])]);
    assert.deepEqual(Array.from(f64(out)), [1, 0, 1]);
    assert.deepEqual(Array.from(f64(t)), [0, 0, 0]);
    assert.deepEqual(Array.from(f64(grad((x: NDArray) => np.sum(f(x)))(x))), [0, 0, 0]);
    const [, vjpFn] = vjp(f, x);
    assert.deepEqual(Array.from(f64(vjpFn(arr([1, 1, 1], [3]))[0])), [0, 0, 0]);
  });

  test('the gradient w.r.t. the compared value of a select condition is exactly 0', () => {
    const f = (c: NDArray, x: NDArray) => np.sum(np.where(np.greater(c, 0), np.multiply(c, x), x));
    const c = arr([1.5, -0.5, 2], [3]), x = arr([0.25, 3, -1], [3]);
    const [gc, gx] = grad(f, { argnums: [0, 1] })(c, x) as NDArray[];
    // d/dc: x where c > 0 (through the multiply only), 0 elsewhere; d/dx: c where c > 0, else 1.
    assert.deepEqual(Array.from(f64(gc)), [0.25, 0, -1]);
    assert.deepEqual(Array.from(f64(gx)), [1.5, 1, 2]);
  });
});

// ---------------------------------------------------------------- exact linear maps and special points

describe('exact derivatives of convert and of pow at 0', () => {
  test('convert f64 -> f32: the tangent is the rounded tangent, the cotangent the widened cotangent', () => {
    const f = (x: NDArray) => np.astype(x, 'float32');
    const x = arr([0.1, -2.7, 1e-3], [3]);
    const v = [0.1, 1 / 3, -7.3];
    const [out, t] = jvp(f, [x], [arr(v, [3])]);
    assert.equal(out.dtype, 'float32');
    assert.equal(t.dtype, 'float32');
    assert.deepEqual(Array.from(f64(t)), v.map(Math.fround));
    const [, vjpFn] = vjp(f, x);
    const u = [0.5, -1.25, 3.0625].map(Math.fround);
    const [ct] = vjpFn(arr(u, [3], 'float32'));
    assert.equal(ct.dtype, 'float64');
    assert.deepEqual(Array.from(f64(ct)), u);
    // Second order: convert is linear, so grad(grad(sum(f(x)^2))) is exactly 2 (per element, diagonal).
    const h = grad((x: NDArray) => np.vdot(grad((y: NDArray) => np.sum(np.square(f(y))))(x), arr([1, 1, 1], [3])))(x);
    assert.deepEqual(Array.from(f64(h)), [2, 2, 2]);
  });

  test('convert f32 -> f64 -> f32 round trip: derivative exactly 1', () => {
    const f = (x: NDArray) => np.astype(np.astype(x, 'float64'), 'float32');
    const x = arr([0.5, -3, 7], [3], 'float32');
    const g = grad((x: NDArray) => np.sum(f(x)))(x);
    assert.equal(g.dtype, 'float32');
    assert.deepEqual(Array.from(f64(g)), [1, 1, 1]);
  });

  test('pow at base 0: d(x^2) = 0, d^2(x^2) = 2, d(x^3) = 0, no NaN from log(0)', () => {
    const x0 = np.array(new Float64Array([0]), { shape: [] });
    assert.equal(f64(grad((x: NDArray) => np.power(x, 2))(x0))[0], 0);
    assert.equal(f64(grad(grad((x: NDArray) => np.power(x, 2)))(x0))[0], 2);
    assert.equal(f64(grad((x: NDArray) => np.power(x, 3))(x0))[0], 0);
    // With the exponent differentiated too (JAX: d/dy 0^y = 0 for y > 0).
    const y0 = np.array(new Float64Array([2]), { shape: [] });
    const [gx, gy] = grad((x: NDArray, y: NDArray) => np.power(x, y), { argnums: [0, 1] })(x0, y0) as NDArray[];
    assert.equal(f64(gx)[0], 0);
    assert.equal(f64(gy)[0], 0);
    const [, t] = jvp((x: NDArray, y: NDArray) => np.power(x, y), [x0, y0], [np.array(new Float64Array([1]), { shape: [] }), np.array(new Float64Array([1]), { shape: [] })]);
    assert.equal(f64(t)[0], 0);
  });
});

// ---------------------------------------------------------------- the reference itself, and checkGrads' negative controls

describe('third order (analytic): grad(grad(grad)) and jvp(grad(grad)) of each nonlinear primitive', () => {
  const x0 = 0.7, y0 = 1.3;
  const t = Math.tanh(x0);
  const cases: { name: string; f: (x: NDArray) => NDArray; d3: number }[] = [
    { name: 'exp', f: (x) => np.exp(x), d3: Math.exp(x0) },
    { name: 'log', f: (x) => np.log(x), d3: 2 / x0 ** 3 },
    { name: 'sin', f: (x) => np.sin(x), d3: -Math.cos(x0) },
    { name: 'cos', f: (x) => np.cos(x), d3: Math.sin(x0) },
    { name: 'tanh', f: (x) => np.tanh(x), d3: -2 * (1 - t * t) * (1 - 3 * t * t) },
    { name: 'sqrt', f: (x) => np.sqrt(x), d3: (3 / 8) * x0 ** -2.5 },
    { name: 'div 1/x', f: (x) => np.divide(1, x), d3: -6 / x0 ** 4 },
    { name: 'pow x^y (base)', f: (x) => np.power(x, y0), d3: y0 * (y0 - 1) * (y0 - 2) * x0 ** (y0 - 3) },
    { name: 'pow y^x (exponent)', f: (x) => np.power(y0, x), d3: Math.log(y0) ** 3 * y0 ** x0 },
    { name: 'mul x*x*x', f: (x) => np.multiply(x, np.multiply(x, x)), d3: 6 },
    { name: 'neg(sin)', f: (x) => np.negative(np.sin(x)), d3: Math.cos(x0) },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const x = np.array(new Float64Array([x0]), { shape: [] });
      const g3 = f64(grad(grad(grad(c.f)))(x))[0];
      assertClose(`${c.name}: grad^3`, [g3], [c.d3], { rtol: 1e-13 });
      const [, t3] = jvp((y: NDArray) => grad(grad(c.f))(y), [x], [np.array(new Float64Array([1]), { shape: [] })]);
      assertClose(`${c.name}: jvp(grad^2)`, f64(t3), [c.d3], { rtol: 1e-13 });
    });
  }
});

describe('the FD reference and the comparison helpers', () => {
  test('fdJvp, fdGrad, fdSecond, fdSecondDiag and their Richardson versions match analytic derivatives', () => {
    // f(x) = sum(exp(x) * sin(x)) over 3 elements; evaluated through the library's forward only.
    const f = (x: NDArray) => np.sum(np.multiply(np.exp(x), np.sin(x)));
    const x = [0.3, -1.1, 1.7];
    const p: Point = { values: [Float64Array.from(x)], shapes: [[3]] };
    const d1 = x.map((t) => Math.exp(t) * (Math.sin(t) + Math.cos(t)));
    const d2 = x.map((t) => 2 * Math.exp(t) * Math.cos(t));
    const v = [0.7, -0.2, 1.3], u = [-0.4, 0.9, 0.5];
    assertClose('fdJvp', fdJvp(f, p, [Float64Array.from(v)]), [dot(d1, v)], { rtol: 1e-11 });
    assertClose('fdGrad', fdGrad(f, p)[0], d1, { rtol: 1e-11 });
    const uHv = x.reduce((s, _, i) => s + u[i] * d2[i] * v[i], 0);
    const vHv = x.reduce((s, _, i) => s + v[i] * d2[i] * v[i], 0);
    assertClose('fdSecond', [fdSecond(f, p, [Float64Array.from(u)], [Float64Array.from(v)])], [uHv], { rtol: 1e-8 });
    assertClose('fdSecondDiag', [fdSecondDiag(f, p, [Float64Array.from(v)])], [vHv], { rtol: 1e-8 });
    assertClose('fdSecondAdaptive', [fdSecondAdaptive(f, p, [Float64Array.from(u)], [Float64Array.from(v)])], [uHv], { rtol: 1e-9 });
    assertClose('fdSecondDiagAdaptive', [fdSecondDiagAdaptive(f, p, [Float64Array.from(v)])], [vHv], { rtol: 1e-9 });
  });

  test('assertClose rejects a wrong derivative, NaN and a length mismatch', () => {
    assert.throws(() => assertClose('wrong', [1.00000002], [1], { rtol: 1e-8 }), /wrong: element 0/);
    assert.throws(() => assertClose('nan', [NaN], [1], { rtol: 1e-8 }), /nan: element 0/);
    assert.throws(() => assertClose('len', [1, 2], [1], { rtol: 1e-8 }), /len: got 2 values/);
    assert.doesNotThrow(() => assertClose('ok', [1.000000005, 1e-9], [1, 0], { rtol: 1e-8 }));
  });

  test('evalAt refuses a float32 result for the reference (the FD must be float64)', () => {
    assert.throws(() => fdJvp((x) => np.astype(x, 'float32'), { values: [new Float64Array([1])], shapes: [[1]] }, [new Float64Array([1])]), /float64/);
  });
});

describe('checkGrads: negative controls and dtype handling', () => {
  test('throws on a discontinuity straddled by eps: where(x > 0, x, x + 1) at 1e-6, eps 1e-4', () => {
    const f = (x: NDArray) => np.where(np.greater(x, 0), x, np.add(x, 1));
    for (const dtype of ['float64', 'float32'] as FloatDType[]) {
      const x = np.array([1e-6, 1e-6, 1e-6], { dtype });
      assert.throws(() => checkGrads(f, [x], { order: 1, modes: ['fwd'], eps: 1e-4 }), (e: unknown) =>
        e instanceof CotangentError && /JVP of f disagrees with finite differences/.test((e as Error).message));
      assert.throws(() => checkGrads(f, [x], { order: 1, modes: ['rev'], eps: 1e-4 }), (e: unknown) =>
        e instanceof CotangentError && /VJP of f/.test((e as Error).message));
      // The same function away from the switch passes (so the throw above is about the jump).
      checkGrads(f, [np.array([0.5, 0.7, 1.1], { dtype })], { order: 2, eps: 1e-4 });
    }
  });

  test('passes on a correct float64 -> float32 function (tolerance from the compared float32 values, as in JAX)', () => {
    // JAX's check_jvp/check_vjp pick the default tolerance from the dtypes of the arrays they
    // compare (here float32 tangents: 2e-3); the FD of a float32-valued function is only good to
    // about 2^-24 |f| / (2 eps) ~ 3e-4, so the float64 tolerance (1e-5) cannot be met.
    const x = np.array(new Float64Array([0.5, 1.5, -2.25]));
    checkGrads((x: NDArray) => np.astype(x, 'float32'), [x], { order: 1, modes: ['fwd', 'rev'] });
    checkGrads((x: NDArray) => np.astype(np.sin(x), 'float32'), [x], { order: 2, modes: ['fwd', 'rev'] });
  });

  test('throws with atol = rtol = 1e-14 on a float32 function (float32 rounding exceeds it)', () => {
    const f = (x: NDArray) => np.sin(np.multiply(x, 3));
    const x = np.array([0.3, -0.8, 1.1, 2.2], { dtype: 'float32' });
    assert.throws(() => checkGrads(f, [x], { order: 1, modes: ['fwd'], atol: 1e-14, rtol: 1e-14 }), CotangentError);
    assert.throws(() => checkGrads(f, [x], { order: 1, modes: ['rev'], atol: 1e-14, rtol: 1e-14 }), CotangentError);
    checkGrads(f, [x], { order: 2 }); // and passes at the default float32 tolerance
  });
});

after(() => {
  // The worst observed error ratio (|got - want| / max(1, |want|)) per check kind, for the record.
  if (process.env.OPS_TEST_SUMMARY) console.log(`\n[ops.test] ${SPECS.length} entries\n${LOG.summary()}`);
});
