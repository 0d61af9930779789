// The standard basis that jacfwd pushes forward and jacrev pulls back, in one batch: e_i for
// i in [0, n) as a [n, ...shape] block per leaf, built in wasm (iota == iota + offset), never
// as n separate arrays or an n x n upload.
import { NDArray } from '../array.js';
import { bind } from '../bind.js';
import * as lax from '../lax.js';
import { DTYPE_CODE, DType } from '../../core/dtype.js';

/** Leaf of `size` elements at `offset` in a flat vector of `n`: the rows e_offset..e_offset+size-1 of I_n as [n, ...shape]. */
export function basisBlock(n: number, offset: number, shape: readonly number[], dtype: DType): NDArray {
  const size = shape.reduce((a, b) => a * b, 1);
  const rows = bind('iota', [], [DTYPE_CODE.int32, 0, n, size]);
  const cols = bind('iota', [], [DTYPE_CODE.int32, 1, n, size]);
  const shifted = offset === 0 ? cols : lax.add(cols, lax.full([n, size], offset, 'int32'));
  const e = lax.convertElementType(lax.eq(rows, shifted), dtype);
  return lax.reshape(e, [n, ...shape]);
}
