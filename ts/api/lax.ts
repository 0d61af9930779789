// lax: the primitives, one function each, with JAX's lax semantics (operands already of one
// dtype and shape; no implicit broadcasting). The numpy layer (numpy.ts) builds on these.
import { NDArray } from './array.js';
import { bind } from './bind.js';
import { DType, DTYPE_CODE } from '../core/dtype.js';
import { ShapeError, ValueError, describe } from '../core/errors.js';

const un = (op: string) => (x: NDArray): NDArray => bind(op, [x]);
const bin = (op: string) => (x: NDArray, y: NDArray): NDArray => bind(op, [x, y], [], () =>
  `lax.${op}: operands must have one dtype and shape, got ${describe(x.shape, x.dtype)} and ${describe(y.shape, y.dtype)}`);

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
    `${describe(pred.shape, pred.dtype)}, ${describe(onTrue.shape, onTrue.dtype)}, ${describe(onFalse.shape, onFalse.dtype)}`);
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
  if (dims.length !== x.ndim) throw new ShapeError(`lax.broadcastInDim: need one dim per operand axis, got ${dims.length} for ${describe(x.shape, x.dtype)}`);
  if (sameShape(x.shape, shape)) return x;
  return bind('broadcast_in_dim', [x], [...shape, ...dims], () =>
    `lax.broadcastInDim: cannot broadcast ${describe(x.shape, x.dtype)} to [${shape}] with dims [${dims}]`);
}

export function reshape(x: NDArray, shape: number[]): NDArray {
  if (sameShape(x.shape, shape)) return x;
  return bind('reshape', [x], shape, () => `lax.reshape: cannot reshape ${describe(x.shape, x.dtype)} to [${shape}]`);
}

export function transpose(x: NDArray, perm: number[]): NDArray {
  if (perm.every((p, i) => p === i)) return x;
  return bind('transpose', [x], perm, () => `lax.transpose: [${perm}] is not a permutation of the axes of ${describe(x.shape, x.dtype)}`);
}

/** Batched matmul: [..., m, k] x [..., k, n] with equal batch dims. */
export function batchMatmul(x: NDArray, y: NDArray): NDArray {
  return bind('dot', [x, y], [], () => `lax.batchMatmul: shapes ${describe(x.shape, x.dtype)} and ${describe(y.shape, y.dtype)} do not contract`);
}

/** A filled array (no operands). */
export function full(shape: number[], value: number, dtype: DType): NDArray {
  const f = new Float64Array([value]);
  const w = new Int32Array(f.buffer);
  return bind('full', [], [DTYPE_CODE[dtype], w[0], w[1], ...shape]);
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
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
