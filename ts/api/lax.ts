// lax: the primitives, one function each, with JAX's lax semantics (operands already of one
// dtype and shape; no implicit broadcasting). The numpy layer (numpy.ts) builds on these.
import { NDArray } from './array.js';
import { bind, bindMulti } from './bind.js';
import { DType, DTYPE_CODE } from '../core/dtype.js';
import { ShapeError, ValueError, describe } from '../core/errors.js';

const un = (op: string) => (x: NDArray): NDArray => bind(op, [x]);
const bin = (op: string) => (x: NDArray, y: NDArray): NDArray => bind(op, [x, y], [], () =>
  `lax.${op}: operands must have one dtype and shape, got ${describe(x._shape, x.dtype)} and ${describe(y._shape, y.dtype)}`);

export const neg = un('neg');
export const exp = un('exp');
export const log = un('log');
export const sin = un('sin');
export const cos = un('cos');
export const tanh = un('tanh');
export const sqrt = un('sqrt');
export const add = bin('add');
export const sub = bin('sub');
export const mul = bin('mul');
export const div = bin('div');
export const pow = bin('pow');
export const lt = bin('lt');
export const le = bin('le');
export const gt = bin('gt');
export const ge = bin('ge');
export const eq = bin('eq');
export const ne = bin('ne');

export function select(pred: NDArray, onTrue: NDArray, onFalse: NDArray): NDArray {
  return bind('select', [pred, onTrue, onFalse], [], () => `lax.select: pred must be bool and all shapes equal, got ` +
    `${describe(pred._shape, pred.dtype)}, ${describe(onTrue._shape, onTrue.dtype)}, ${describe(onFalse._shape, onFalse.dtype)}`);
}

export function convertElementType(x: NDArray, dtype: DType): NDArray {
  if (x.dtype === dtype) return x;
  return bind('convert', [x], [DTYPE_CODE[dtype]], () => `lax.convertElementType: cannot convert ${x.dtype} to ${dtype}`);
}

/** Sum over `axes` (any order; duplicates rejected). */
export function reduceSum(x: NDArray, axes: number[]): NDArray {
  const sorted = normalizeAxes(axes, x.ndim, 'lax.reduceSum');
  if (sorted.length === 0) return x;
  return bind('sum', [x], sorted);
}

export function broadcastInDim(x: NDArray, shape: number[], dims: number[]): NDArray {
  if (dims.length !== x.ndim) throw new ShapeError(`lax.broadcastInDim: need one dim per operand axis, got ${dims.length} for ${describe(x._shape, x.dtype)}`);
  if (sameShape(x._shape, shape)) return x;
  return bind('broadcast_in_dim', [x], [...shape, ...dims], () =>
    `lax.broadcastInDim: cannot broadcast ${describe(x._shape, x.dtype)} to [${shape}] with dims [${dims}]`);
}

export function reshape(x: NDArray, shape: number[]): NDArray {
  if (sameShape(x._shape, shape)) return x;
  return bind('reshape', [x], shape, () => `lax.reshape: cannot reshape ${describe(x._shape, x.dtype)} to [${shape}]`);
}

export function transpose(x: NDArray, perm: number[]): NDArray {
  if (perm.every((p, i) => p === i)) return x;
  return bind('transpose', [x], perm, () => `lax.transpose: [${perm}] is not a permutation of the axes of ${describe(x._shape, x.dtype)}`);
}

/** Batched matmul: [..., m, k] x [..., k, n] with equal batch dims. */
export function batchMatmul(x: NDArray, y: NDArray): NDArray {
  return bind('dot', [x, y], [], () => `lax.batchMatmul: shapes ${describe(x._shape, x.dtype)} and ${describe(y._shape, y.dtype)} do not contract`);
}

/** A filled array (no operands). */
export function full(shape: number[], value: number, dtype: DType): NDArray {
  const f = new Float64Array([value]);
  const w = new Int32Array(f.buffer);
  return bind('full', [], [DTYPE_CODE[dtype], w[0], w[1], ...shape]);
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function normalizeAxes(axes: number[], ndim: number, where: string): number[] {
  const out = axes.map((a) => {
    if (!Number.isInteger(a) || a < -ndim || a >= ndim) {
      throw new ValueError(`${where}: axis ${a} is out of bounds for an array of dimension ${ndim}`);
    }
    return a < 0 ? a + ndim : a;
  });
  const sorted = [...new Set(out)].sort((a, b) => a - b);
  if (sorted.length !== out.length) throw new ValueError(`${where}: repeated axis in [${axes}]`);
  return sorted;
}

/** Join arrays of one dtype and rank along `axis` (all other dims equal); one variadic row. */
export function concatenate(xs: NDArray[], axis: number): NDArray {
  if (!Array.isArray(xs) || xs.length === 0) throw new ValueError('lax.concatenate: need a non-empty list of arrays');
  const nd = xs[0].ndim;
  const ax = normalizeAxes([axis], nd, 'lax.concatenate')[0];
  if (xs.length === 1) return xs[0];
  return bind('concatenate', xs, [ax], () => `lax.concatenate: cannot join ${xs.map((x) => describe(x._shape, x.dtype)).join(', ')} along axis ${axis}`);
}

/** Cut `x` along `axis` into pieces of the given sizes (summing to that dim); one tuple row. */
export function split(x: NDArray, sizes: number[], axis: number): NDArray[] {
  const ax = normalizeAxes([axis], x.ndim, 'lax.split')[0];
  if (!Array.isArray(sizes) || sizes.length === 0 || sizes.some((s) => !Number.isInteger(s) || s < 0)) {
    throw new ValueError(`lax.split: sizes must be a non-empty list of non-negative integers, got ${JSON.stringify(sizes)}`);
  }
  return bindMulti('split', [x], [ax, ...sizes], () => `lax.split: sizes [${sizes}] do not add up to dim ${ax} of ${describe(x._shape, x.dtype)}`);
}

// ---------------------------------------------------------------- the wider elementwise set
// (integer dtypes: add/sub/mul/div/rem wrap and never trap; see assembly/kernels/integer.ts)

export const max = bin('max');
export const min = bin('min');
/** Truncated remainder: C's fmod for floats; x % 0 = x and INT_MIN % -1 = 0 for ints (XLA). */
export const rem = bin('rem');
export const atan2 = bin('atan2');
export const hypot = bin('hypot');
export const bitwiseAnd = bin('and');
export const bitwiseOr = bin('or');
export const bitwiseXor = bin('xor');
export const bitwiseNot = un('not');
/** Counts at or past 32 (or negative) give 0 (left, logical right) or the sign fill (arithmetic). */
export const shiftLeft = bin('shift_left');
export const shiftRightArithmetic = bin('shift_right_arithmetic');
export const shiftRightLogical = bin('shift_right_logical');
export const abs = un('abs');
export const sign = un('sign');
export const floor = un('floor');
export const ceil = un('ceil');
/** Half to even (lax.round with ROUND_TO_NEAREST_EVEN). */
export const round = un('round');
export const trunc = un('trunc');
export const isFinite = un('is_finite');
export const expm1 = un('expm1');
export const log1p = un('log1p');
export const exp2 = un('exp2');
export const log2 = un('log2');
export const log10 = un('log10');
export const cbrt = un('cbrt');
export const tan = un('tan');
export const asin = un('asin');
export const acos = un('acos');
export const atan = un('atan');
export const sinh = un('sinh');
export const cosh = un('cosh');
export const asinh = un('asinh');
export const acosh = un('acosh');
export const atanh = un('atanh');
export const erf = un('erf');
export const erfc = un('erfc');
export const erfInv = un('erf_inv');
export const lgamma = un('lgamma');
export const digamma = un('digamma');
/** polygamma(n, x) for an integer n >= 1 (n >= 2: x > 0 only, NaN below). */
export function polygamma(n: number, x: NDArray): NDArray {
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`lax.polygamma: n must be an integer >= 1, got ${n}`);
  return bind('polygamma', [x], [n], () => `lax.polygamma: needs a float operand, got ${describe(x.shape, x.dtype)}`);
}
