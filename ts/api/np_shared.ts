// Helpers of numpy.ts that the np_* modules (reductions, contractions, indexing, sorting) share
// but `np` does not export: numpy.ts registers them here when it loads.
import type { NDArray, ArrayInput } from './array.js';
import type { DType } from '../core/dtype.js';
import { scope, inTrace } from '../core/trace.js';
import { itemsize } from '../core/dtype.js';
import { residentMinBytes } from '../core/resident.js';
import { ValueError } from '../core/errors.js';

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
/**
 * Argument 0 of `where`, read as int32 where it is JS numbers: a number that is not an integer
 * is refused (the int32 reading truncated [1.5, 2] to [1, 2]; numpy refuses to cast floats).
 */
export function intsOperand(where: string, x: ArrayInput): NDArray {
  const values = typeof x === 'number' ? [x] : Array.isArray(x) ? (x as unknown[]).flat(Infinity) : [];
  const bad = values.findIndex((v) => typeof v === 'number' && !Number.isInteger(v));
  if (bad >= 0) throw new ValueError(`${where}: argument 0 must hold integers, got ${String(values[bad])} (element ${bad} of the flattened list); numpy refuses to cast floats here too`);
  return operand(where, 0, x, 'int32');
}

/** Each axis an integer in [-ndim, ndim), none repeated (AxisError otherwise). */
export const normalizeAxisList: Shared['normalizeAxisList'] = (...a) => impl!.normalizeAxisList(...a);

/**
 * At top level, a composite function's ops as rows of one tape, its intermediates never each a
 * result made concrete (a JS buffer, or a resident block): np.relu of 100 floats took 46 us as
 * five separate calls, an eager svd of a 4 x 4 190-300 us as ~15 (81 us so). Inside a transform
 * (already one tape) it changes nothing.
 */
export function composite<T extends NDArray | NDArray[]>(body: () => T, light?: NDArray): T {
  // `light`: a composite of two or three passes over this operand. When it is large its ops run
  // one by one: each writes its result into a block of its own, and one tape's last result would
  // be copied there after (np.relu of 1M floats: 3.8 -> 5.8 ms). Composites of more passes win
  // at every size (np.var of 1M: 3.5 -> 0.8 ms: no intermediate is evicted with a copy).
  if (light !== undefined && light.size * itemsize(light.dtype) >= residentMinBytes()) return body();
  return scope(body, (out) => (Array.isArray(out) ? out.map((x) => x._concrete()) : out._concrete()) as T);
}

/**
 * A composite of many passes over its operands (a series, an activation's branches, a chain of
 * selects). On operands of resident size at top level it runs as a one-shot program (jit.ts's
 * runOnce: traced abstractly, optimized and fused, intermediates in buffers reused by liveness):
 * as a composite every intermediate of the call lived until it returned (np.logaddexp of 1M
 * float64 grew wasm memory by 325 MiB, np.i0 by 1.8 GiB), and as separate ops each was a resident
 * block and an eviction copy. Small operands keep the composite: tracing first costs ~10-15 us.
 */
export function heavyComposite<T extends NDArray | NDArray[]>(operands: readonly NDArray[], body: () => T): T {
  if (oneShot !== null && !inTrace() && operands.some((a) => a.size * itemsize(a.dtype) >= residentMinBytes())) {
    const out = oneShot('composite', body);
    if (out !== undefined) return out as T;
  }
  return composite(body);
}

let oneShot: ((name: string, body: () => unknown) => unknown) | null = null;
/**
 * body() as a one-shot program (jit.ts's runOnce: its intermediates in buffers reused by
 * liveness, freed after), or undefined when it cannot be traced abstractly: the caller runs it
 * as it is. For a caller that knows it runs on concrete values, inside a call's scope too.
 */
export function runOneShot<T>(name: string, body: () => T): T | undefined {
  return oneShot === null ? undefined : oneShot(name, body) as T | undefined;
}
/** jit.ts's runOnce (registered when it loads: it imports the numpy layer, which imports this). */
export function registerOneShot(f: (name: string, body: () => unknown) => unknown): void { oneShot = f; }
