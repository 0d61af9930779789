// bind: apply a primitive to arrays. Inside a trace it appends a row and returns a tracer;
// outside any transform it runs in a one-op trace and returns a concrete array.
import { NDArray } from './array.js';
import { emit, emitResult, scope, rowOutputs, inTrace, ErrorContext } from '../core/trace.js';

export function bind(op: string, operands: NDArray[], params: ArrayLike<number> = [], context?: ErrorContext): NDArray {
  const top = !inTrace(); // a concrete result: a large one is written straight into its own block
  return scope(() => {
    const rows = operands.map((x) => x._rowIn(op));
    return NDArray.tracer(top ? emitResult(op, rows, params, context) : emit(op, rows, params, context));
  }, (out) => out._concrete());
}

/** A primitive with several outputs (a tuple row): one Array per output. */
export function bindMulti(op: string, operands: NDArray[], params: ArrayLike<number> = [], context?: ErrorContext): NDArray[] {
  return scope(() => {
    const rows = operands.map((x) => x._rowIn(op));
    return rowOutputs(emit(op, rows, params, context)).map((r) => NDArray.tracer(r));
  }, (outs) => outs.map((o) => o._concrete()));
}
