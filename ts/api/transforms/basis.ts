// The standard basis that jacfwd pushes forward and jacrev pulls back, in one batch: e_i for
// i in [0, n) as a [n, ...shape] block per leaf, built in wasm (iota == iota + offset), never
// as n separate arrays or an n x n upload.
import { NDArray } from '../array.js';
import { bind } from '../bind.js';
import * as lax from '../lax.js';
import { DTYPE_CODE, DType } from '../../core/dtype.js';
import { OutOfMemoryError } from '../../core/errors.js';

/** Leaf of `size` elements at `offset` in a flat vector of `n`: the rows e_offset..e_offset+size-1 of I_n as [n, ...shape]. */
export function basisBlock(n: number, offset: number, shape: readonly number[], dtype: DType): NDArray {
  const size = shape.reduce((a, b) => a * b, 1);
  const rows = bind('iota', [], [DTYPE_CODE.int32, 0, n, size]);
  const cols = bind('iota', [], [DTYPE_CODE.int32, 1, n, size]);
  const shifted = offset === 0 ? cols : lax.add(cols, lax.full([n, size], offset, 'int32'));
  const e = lax.convertElementType(lax.eq(rows, shifted), dtype);
  return lax.reshape(e, [n, ...shape]);
}

/**
 * Runs one batched Jacobian pass; an OutOfMemoryError from inside it (the basis's iota, a batched
 * intermediate) is rethrown naming the transform and the Jacobian's size, where it named only
 * the kernel that ran out ("iota(): out of memory" for jacrev of a float32[40000] function).
 * `rows` is the basis's size (jacfwd: the inputs' entries; jacrev: the outputs'), `basisOf` says
 * of what, `entries` the Jacobian's size where it is known.
 */
export function jacobianPass<T>(name: string, rows: number, basisOf: string, entries: number | null, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (!(e instanceof OutOfMemoryError) || e.message.startsWith(`${name}: `)) throw e;
    const size = entries === null ? '' : `: the Jacobian has ${entries} entries`;
    throw new OutOfMemoryError(`${name}: one batched pass over the ${rows} basis vectors of ${basisOf} does not fit in memory${size}; ` +
      `take what you need with jvp or vjp (one Jacobian-vector product), hvp for a Hessian, or fewer inputs at a time (${e.message})`);
  }
}
