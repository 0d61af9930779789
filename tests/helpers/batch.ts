// Batches built and read in plain JS, for references of vmap that use no library batching:
// examples stacked along an axis, and arrays of any dtype made from JS numbers.
import { np, NDArray } from 'cotangent';
import { sizeOf } from './fd.ts';

export type DT = 'float32' | 'float64' | 'complex64' | 'complex128' | 'int32' | 'uint32' | 'bool';
const TYPED = {
  float32: Float32Array, float64: Float64Array, complex64: Float32Array, complex128: Float64Array, int32: Int32Array, uint32: Uint32Array, bool: Uint8Array,
};
/** Numbers per element: complex values are (re, im) pairs, interleaved as the library stores them. */
export const widthOf = (dtype: string): number => (dtype === 'complex64' || dtype === 'complex128' ? 2 : 1);

/** An Array of `dtype` holding `values` (bools: nonzero is true; complex: interleaved re, im). */
export function make(values: ArrayLike<number>, shape: readonly number[], dtype: DT): NDArray {
  return np.array(TYPED[dtype].from(values as number[]) as never, { shape: shape.slice(), dtype });
}

/**
 * Examples of one shape stacked along `axis` (0..rank): out[pre, b, post] = examples[b][pre, post]
 * (`width` numbers per element).
 */
export function stackValues(vals: ArrayLike<number>[], shape: readonly number[], axis: number, width = 1): { values: number[]; shape: number[] } {
  const B = vals.length, pre = sizeOf(shape.slice(0, axis)), post = sizeOf(shape.slice(axis)) * width;
  const out = new Array<number>(B * pre * post);
  for (let p = 0; p < pre; p++) for (let b = 0; b < B; b++) for (let q = 0; q < post; q++) out[(p * B + b) * post + q] = vals[b][p * post + q];
  return { values: out, shape: [...shape.slice(0, axis), B, ...shape.slice(axis)] };
}

/** A batch axis (possibly negative) of an array of rank `rank` as a position in 0..rank-1. */
export const normAxis = (a: number, rank: number): number => (a < 0 ? a + rank : a);

/** Leaves of a result (an Array, or nested lists of them), in order. */
export function leavesOf(x: unknown): NDArray[] {
  if (x instanceof NDArray) return [x];
  if (Array.isArray(x)) return x.flatMap(leavesOf);
  throw new Error(`unexpected result ${String(x)}`);
}
