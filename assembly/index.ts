// The wasm ABI: a small C-like surface (i32s and pointers only) so that any host can drive the
// tape without the TS layer. Lists cross through a scratch area of i32s (`scratch()`).
// Versioned: bump ABI_VERSION on any change to a signature or to the meaning of a number.
import { registerLeaves } from './ad/rules/leaves';
import { registerUnary } from './ad/rules/unary';
import { registerBinary } from './ad/rules/binary';
import { registerCompare } from './ad/rules/compare';
import { registerConvert } from './ad/rules/convert';
import { registerReduce } from './ad/rules/reduce';
import { registerShape } from './ad/rules/shape';
import { registerDot } from './ad/rules/dot';
import { emit as emitRow, setEager } from './ad/emit';
import { jvpRange } from './ad/jvp';
import { transposeRange } from './ad/transpose';
import * as T from './ad/tape';
import * as R from './ad/registry';
import { NUM_OPS } from './ad/ops';
import { getError, clearError } from './errors';
import { arenaCapacity, arenaUsed } from './arena';

registerLeaves();
registerUnary();
registerBinary();
registerCompare();
registerConvert();
registerReduce();
registerShape();
registerDot();

export const ABI_VERSION: i32 = 1;
const SCRATCH_INTS: i32 = 1 << 16;
const SCRATCH: usize = heap.alloc(<usize>SCRATCH_INTS << 2);

/** The i32 scratch area (scratch_len() entries) for lists passed in and out. */
export function scratch(): usize { return SCRATCH; }
export function scratch_len(): i32 { return SCRATCH_INTS; }

/** Forget the tape and the arena (a new top-level trace). */
export function reset(): void { T.tapeReset(); clearError(); }
export function tape_len(): i32 { return T.tapeLen(); }
export function tape_epoch(): i32 { return T.tapeEpoch(); }
export function set_eager(on: bool): void { setEager(on); }

/** Append op(a, b, c) with `nparams` params from scratch[0..]. Returns the row, or -errorCode. */
export function emit(op: i32, a: i32, b: i32, c: i32, nparams: i32): i32 {
  return emitRow(op, a, b, c, nparams, SCRATCH);
}

/**
 * JVP over rows [start, end). scratch = inputs[nIn], seeds[nIn], outputs[nOut]; the tangent
 * of each output (or -1 for a symbolic zero) is written over outputs.
 */
export function jvp(start: i32, end: i32, nIn: i32, nOut: i32): void {
  const ins = SCRATCH, seeds = SCRATCH + (<usize>nIn << 2), outs = SCRATCH + (<usize>(2 * nIn) << 2);
  jvpRange(start, end, nIn, ins, seeds, nOut, outs, outs);
}

/**
 * Transpose the linear rows. scratch = outputs[nOut] (linear rows or -1), cts[nOut],
 * inputs[nIn] (placeholders); the cotangent of each input (or -1) is written over inputs.
 */
export function transpose(nOut: i32, nIn: i32): void {
  const outs = SCRATCH, cts = SCRATCH + (<usize>nOut << 2), ins = SCRATCH + (<usize>(2 * nOut) << 2);
  transposeRange(nOut, outs, cts, nIn, ins, ins);
}

// Row accessors.
export function row_op(r: i32): i32 { return T.rowOp(r); }
export function row_dtype(r: i32): i32 { return T.rowDtype(r); }
export function row_ndim(r: i32): i32 { return T.rowNdim(r); }
export function row_shape(r: i32): usize { return T.rowShapePtr(r); }
export function row_operand(r: i32, i: i32): i32 { return T.rowOperand(r, i); }
export function row_nparams(r: i32): i32 { return T.rowNparams(r); }
export function row_params(r: i32): usize { return T.paramAt(T.rowParamsOff(r)); }
export function row_flags(r: i32): i32 { return T.rowFlags(r); }
export function row_ptr(r: i32): usize { return T.rowPtr(r); }
export function row_size(r: i32): i32 { return T.rowSize(r); }

// Errors.
export function last_error(): i32 { return getError(); }
export function clear_error(): void { clearError(); }

// The op table.
export function op_count(): i32 { return NUM_OPS; }
export function op_name(op: i32): string { return R.opName(op); }
export function op_arity(op: i32): i32 { return R.opArity(op); }
export function op_info(op: i32): i32 { return R.opInfo(op); }

// Memory statistics.
export function arena_capacity(): usize { return arenaCapacity(); }
export function arena_used(): usize { return arenaUsed(); }
