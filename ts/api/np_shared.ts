// Helpers of numpy.ts that the np_* modules (reductions, contractions, indexing, sorting) share
// but `np` does not export: numpy.ts registers them here when it loads.
import type { NDArray, ArrayInput } from './array.js';
import type { DType } from '../core/dtype.js';

interface Shared {
  operand(where: string, i: number, x: ArrayInput, dtype?: DType): NDArray;
  requireComputable(where: string, arrays: NDArray[]): void;
  requireAxesRank(where: string, a: NDArray): void;
  normalizeAxisList(where: string, axes: unknown, ndim: number, sorted?: boolean): number[];
}

let impl: Shared | null = null;
export function registerShared(s: Shared): void { impl = s; }

/** Argument `i` of `where` as an Array, with the function and argument named on failure. */
export const operand: Shared['operand'] = (...a) => impl!.operand(...a);
export const requireComputable: Shared['requireComputable'] = (...a) => impl!.requireComputable(...a);
export const requireAxesRank: Shared['requireAxesRank'] = (...a) => impl!.requireAxesRank(...a);
/** Each axis an integer in [-ndim, ndim), none repeated (AxisError otherwise). */
export const normalizeAxisList: Shared['normalizeAxisList'] = (...a) => impl!.normalizeAxisList(...a);
