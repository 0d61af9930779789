// The wasm ABI: a small C-like surface (i32s and pointers only) so that any host can drive the
// tapes without the TS layer (docs/abi.md documents it). Lists cross through a scratch area of
// i32s (`scratch()`): every call copies what it reads from there before doing anything that could
// call back into the host, so nested calls may reuse it.
// Versioned: bump ABI_VERSION on any change to a signature or to the meaning of a number.
import { registerLeaves } from './ad/rules/leaves';
import { registerUnary } from './ad/rules/unary';
import { registerBinary } from './ad/rules/binary';
import { registerCompare } from './ad/rules/compare';
import { registerConvert } from './ad/rules/convert';
import { registerReduce } from './ad/rules/reduce';
import { registerMovement } from './ad/rules/movement';
import { registerDot } from './ad/rules/dot';
import { registerElementwise } from './ad/rules/elementwise';
import { registerBitwise } from './ad/rules/bitwise';
import { registerRandom } from './ad/rules/random';
import { registerLinalg } from './ad/rules/linalg';
import { registerDecompositions } from './ad/rules/decomp';
import { registerExtrema } from './ad/rules/extrema';
import { registerGather } from './ad/rules/gather';
import { registerSort } from './ad/rules/sort';
import { registerComplex } from './ad/rules/complex';
import { registerFused, unfuse } from './ad/rules/fused';
import { registerCustom } from './ad/rules/custom';
import { registerControl, whileBatchRows, whileBatchStride } from './ad/rules/control';
import { registerCollective } from './ad/rules/collective';
import { emitN } from './ad/emit';
import { runRange, bindLeaf, kernelCount, lendToNextConst, setHostOutputs, clearExecuteModes } from './ad/execute';
import { jvpRange } from './ad/jvp';
import { transposeRange } from './ad/transpose';
import { freeze, inline, loadFrozen } from './ad/freeze';
import { TAKEN } from './ad/donate';
import { optimize, sameLoop } from './ad/optimize';
import { fuse } from './ad/fuse';
import { depth, unwind, tangentOf, setTangent, cotangentOf, accumulate } from './ad/maps';
import { vmapEnter, vmapIn, vmapOut, hostEntry, resetSwaps, batchRuleLevel, vmapSameAxis } from './ad/vmap';
import * as T from './ad/tape';
import * as R from './ad/registry';
import { NUM_OPS, CONST } from './ad/ops';
import { getError, clearError, setError, E_OK, E_OOM, E_BAD_ROW } from './errors';
import { heapSize } from './arena';

registerLeaves();
registerUnary();
registerBinary();
registerCompare();
registerConvert();
registerReduce();
registerMovement();
registerDot();
registerElementwise();
registerBitwise();
registerRandom();
registerLinalg();
registerDecompositions();
registerExtrema();
registerGather();
registerSort();
registerComplex();
registerFused();
registerCustom();
registerControl();
registerCollective();

export const ABI_VERSION: i32 = 5;
/** 1 in dist/cotangent-fma.wasm (relaxed SIMD: fused multiply-add in the matrix products), 0 in the plain build. */
export const RELAXED_SIMD: i32 = ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
const SCRATCH_INTS: i32 = 1 << 16;
const SCRATCH: usize = heap.alloc(<usize>SCRATCH_INTS << 2);
@inline function sc(i: i32): usize { return SCRATCH + (<usize>i << 2); }

/** The i32 scratch area (scratch_len() entries) for lists passed in and out. */
export function scratch(): usize { return SCRATCH; }
export function scratch_len(): i32 { return SCRATCH_INTS; }
/** Where a while row's batching rule hands the host its batched operands (MAX_LIST rows, then a flag each), and takes back the new row. */
export function while_batch_rows(): usize { return whileBatchRows(); }
/** How many rows that buffer holds before its flags (4096, more after a row with more operands). */
export function while_batch_stride(): i32 { return whileBatchStride(); }

// ---------------------------------------------------------------- tapes

/** A new growable tape (its own arena; eager). The current tape does not change. */
export function tape_new(): usize { return changetype<usize>(T.Tape.create()); }
/** Free a tape (growable or frozen). Never the current one. */
export function tape_free(t: usize): void {
  if (t == 0 || t == changetype<usize>(T.current())) return;
  changetype<T.Tape>(t).destroy();
}
/** Make `t` the tape that emit, run, jvp, transpose, freeze and inline work on. */
export function tape_select(t: usize): void { T.select(changetype<T.Tape>(t)); }
export function tape_current(): usize { return changetype<usize>(T.current()); }
/** Forget the current tape's rows and arena (a new top-level trace). */
export function reset(): void { T.tapeReset(); clearError(); }
export function tape_len(): i32 { return T.tapeLen(); }
export function tape_epoch(): i32 { return T.tapeEpoch(); }
/** Eager (the default): rows run as they are emitted. Abstract: emission only; `run` executes. */
export function set_eager(on: bool): void { T.setEager(on); }

/** Append op with operands scratch[0..nops) and params scratch[nops..nops+nparams). Row id or -errorCode. */
export function emit(op: i32, nops: i32, nparams: i32): i32 {
  if (nops < 0 || nparams < 0 || nops + nparams > SCRATCH_INTS) { setError(3); return -3; }
  hostEntry(); clearExecuteModes();
  return emitN(op, SCRATCH, nops, nparams, sc(nops));
}
/** emit() with the params at `p` (a block from alloc) instead of the scratch area: a loop row's sub-programs may not fit there. */
export function emit_params(op: i32, nops: i32, nparams: i32, p: usize): i32 {
  if (nops < 0 || nops > SCRATCH_INTS || nparams < 0 || p == 0) { setError(3); return -3; }
  hostEntry(); clearExecuteModes();
  return emitN(op, SCRATCH, nops, nparams, p);
}
/**
 * A CONST row (params in scratch: dtype, shape) whose value is the host's heap block at `p`, bound
 * without a copy (a resident Array's data). The row never frees or writes it. Row id or -errorCode.
 */
export function emit_borrowed(p: usize, nparams: i32): i32 {
  if (p == 0 || nparams < 1 || nparams > SCRATCH_INTS) { setError(3); return -3; }
  hostEntry(); clearExecuteModes();
  lendToNextConst(p);
  const r = emitN(CONST, SCRATCH, 0, nparams, SCRATCH);
  lendToNextConst(0);
  return r;
}
/**
 * emit(), except that if the row runs now, has one output and that output has at least
 * `minBytes` bytes, its buffer is a fresh heap block instead of arena memory (flag 32): the host
 * owns it from then on (reads it, and `free`s it).
 */
export function emit_result(op: i32, nops: i32, nparams: i32, minBytes: usize): i32 {
  if (nops < 0 || nparams < 0 || nops + nparams > SCRATCH_INTS) { setError(3); return -3; }
  hostEntry(); clearExecuteModes();
  setHostOutputs(minBytes);
  const r = emitN(op, SCRATCH, nops, nparams, sc(nops));
  setHostOutputs(0);
  return r;
}
/** Execute rows [start, end) of the current tape that have no value yet. 0 or -errorCode. */
export function run(start: i32, end: i32): i32 {
  if (start < 0 || end > T.tapeLen() || start > end) { setError(7); return -7; }
  const code = runRange(start, end);
  if (code != E_OK) setError(code);
  return -code;
}
/** Give an INPUT (or CONST) row its buffer; returns the address to write its value to, or 0. */
export function bind_input(r: i32): usize { return T.tapeValid(r) ? bindLeaf(r) : 0; }

// ---------------------------------------------------------------- transforms

/**
 * JVP over rows [start, end). scratch = inputs[nIn], seeds[nIn], outputs[nOut]; the tangent
 * of each output (or -1 for a symbolic zero) is written over outputs.
 */
export function jvp(start: i32, end: i32, nIn: i32, nOut: i32): void {
  hostEntry(); clearExecuteModes();
  jvpRange(start, end, nIn, sc(0), sc(nIn), nOut, sc(2 * nIn), sc(2 * nIn));
}

/**
 * Transpose the linear rows. scratch = outputs[nOut] (linear rows or -1), cts[nOut],
 * inputs[nIn] (placeholders); the cotangent of each input (or -1) is written over inputs.
 * `release`: no enclosing transform will read these rows again (a top-level call), so dead
 * temporaries' buffers are reused as the walk goes.
 */
export function transpose(nOut: i32, nIn: i32, release: bool): void {
  hostEntry(); clearExecuteModes();
  transposeRange(nOut, sc(0), sc(nOut), nIn, sc(2 * nOut), sc(2 * nOut), release);
}

/** Frames of running transforms; after a trap the host unwinds to the depth it saw before the call. */
export function transforms_depth(): i32 { return depth(); }
export function transforms_unwind(d: i32): void { unwind(d); if (d == 0) resetSwaps(); }

// Custom rules (ad/rules/custom.ts): while a transform walks a custom row it calls the import
// env.custom_rule(kind, row); the host's rule reads and sets the running transform's maps here.
/** The tangent of row x in the running forward-mode walk (-1: zero). */
export function jvp_tangent(x: i32): i32 { return tangentOf(x); }
/** Set row x's tangent to row t in the running forward-mode walk (a custom_call's outputs). */
export function jvp_set_tangent(x: i32, t: i32): void { if (T.tapeValid(t)) setTangent(x, t); }
/** The cotangent of row x in the running transpose (-1: zero). */
export function transpose_cotangent(x: i32): i32 { return cotangentOf(x); }
/** Add row c to linear row x's cotangent in the running transpose. */
export function transpose_accumulate(x: i32, c: i32): void { if (T.tapeValid(c)) accumulate(x, c); }

// ---------------------------------------------------------------- vmap (ad/vmap.ts)

/** Open a vmap level of `size` examples: its id (> 0), or -code. Closed by transforms_unwind. */
export function vmap_enter(size: i32): i32 { return vmapEnter(size); }
/** The level whose batching rule last called out to the host (a host rule reads it first thing). */
export function vmap_rule_level(): i32 { return batchRuleLevel(); }
/** Level `id`, opened by a host batching rule, batches the examples of level `base` (psum reads it). */
export function vmap_same_axis(id: i32, base: i32): void { vmapSameAxis(id, base); }
/** A view of row x batched along `bdim` at level `id` (what the function sees), or -code. */
export function vmap_in(x: i32, bdim: i32, id: i32): i32 { return T.tapeValid(x) ? vmapIn(x, bdim, id) : -E_BAD_ROW; }
/** Row x of level `id`'s function as a whole batch with the batch axis at `axis`, or -code. */
export function vmap_out(x: i32, id: i32, axis: i32): i32 { hostEntry(); return T.tapeValid(x) ? vmapOut(x, id, axis) : -E_BAD_ROW; }
/** Is row x a batched view (1), an ordinary row (0)? */
export function row_batched(x: i32): i32 { return T.isView(x) ? 1 : 0; }
/** The vmap level (id) a batched view belongs to; 0 for other rows. */
export function row_level(x: i32): i32 { return T.isView(x) ? T.rowLevel(x) : 0; }
/** The row holding a view's whole batch, or its one value when it does not vary (-1: none, or x is not a view). */
export function row_impl(x: i32): i32 { return T.isView(x) ? T.rowImpl(x) : -1; }
/** A view's batch axis in its implementation row; -1 when it does not vary (its implementation is its one value) or x is not a view. */
export function row_bdim(x: i32): i32 { return T.isView(x) && T.rowBdim(x) != T.NOT_MAPPED ? T.rowBdim(x) : -1; }

// ---------------------------------------------------------------- frozen tapes

/**
 * Freeze what outputs scratch[nIn..nIn+nOut) (rows or -1) of the current tape depend on, with
 * inputs scratch[0..nIn). `residualInputs`: rows with values become extra inputs instead of
 * baked constants; scratch[0] = their count and scratch[1..] their rows (bind them in order
 * after the declared inputs when inlining). Returns the frozen tape, or 0 (see last_error).
 */
export function freeze_tape(nIn: i32, nOut: i32, residualInputs: i32): usize {
  if (nIn < 0 || nOut < 0 || nIn + nOut > SCRATCH_INTS) { setError(3); return 0; }
  const lists = T.arenaAlloc(<usize>max(nIn + nOut, 1) << 2);
  if (lists == 0) return 0;
  memory.copy(lists, SCRATCH, <usize>(nIn + nOut) << 2);
  // residualInputs: 0 bakes every residual, 1 makes each an input, 2 only host-backed ones (freeze.ts)
  const t = freeze(nIn, lists, nOut, lists + (<usize>nIn << 2), residualInputs == 1, sc(1), SCRATCH_INTS - 1, sc(0), residualInputs == 2);
  return t === null ? 0 : changetype<usize>(t);
}
/**
 * Emit frozen tape `t` into the current tape, its inputs bound to rows scratch[0..nBind).
 * Writes each output's row (or -1) to scratch[0..); returns the output count or -errorCode.
 */
export function inline_tape(t: usize, nBind: i32): i32 { return inlineTape(t, nBind, false, 0, false); }
/**
 * inline_tape for a replay nothing will differentiate or batch (a jitted call at top level): each
 * intermediate's buffer is reused as soon as its last reader has run, and each output of at
 * least `minBytes` bytes (0: none) gets a heap block the host owns (flag 32, as emit_result).
 */
export function replay_tape(t: usize, nBind: i32, minBytes: usize): i32 { return inlineTape(t, nBind, true, minBytes, false); }
/**
 * replay_tape with donation (jit's donateArgnums; ad/donate.ts): scratch holds the binds, then
 * one flag per bind, 1 where the host gives up that bind's block (the bind must be a borrowed
 * const, `emit_borrowed`, bound to no other input). An output of at least `minBytes` bytes may
 * take a donated block of its size as its buffer (flag 32; its `row_ptr` is that block) instead
 * of a fresh one. Writes the outputs' rows to scratch[0..nOut), then per bind scratch[nOut + k]
 * = 2 where an output took bind k's block (the host owns it through that output now), else 0.
 */
export function replay_tape_donated(t: usize, nBind: i32, minBytes: usize): i32 { return inlineTape(t, nBind, true, minBytes, true); }
function inlineTape(t: usize, nBind: i32, release: bool, hostMin: usize, donating: bool): i32 {
  const f = changetype<T.Tape>(t);
  if (t == 0 || f.block == 0 || nBind != f.nIn) { setError(7); return -7; }
  if (donating && (2 * nBind > SCRATCH_INTS || f.nOut + nBind > SCRATCH_INTS)) { setError(3); return -3; }
  hostEntry(); clearExecuteModes();
  const lists = T.arenaAlloc(<usize>max(donating ? 2 * nBind : nBind, 1) << 2);
  if (lists == 0) return -E_OOM;
  memory.copy(lists, SCRATCH, <usize>(donating ? 2 * nBind : nBind) << 2);
  const flags = donating ? lists + (<usize>nBind << 2) : 0;
  const code = inline(f, lists, SCRATCH, release, hostMin, flags);
  if (code != E_OK) { setError(code); return -code; }
  for (let k = 0; k < nBind && donating; k++) {
    store<i32>(sc(f.nOut + k), load<i32>(flags + (<usize>k << 2)) == TAKEN ? TAKEN : 0);
  }
  return f.nOut;
}
export function tape_inputs(t: usize): i32 { return changetype<T.Tape>(t).nIn; }
/** Row of frozen tape t's output k (or -1). */
export function tape_output(t: usize, k: i32): i32 { return load<i32>(changetype<T.Tape>(t).outs + (<usize>k << 2)); }
/** Row of frozen tape t's input k. */
export function tape_input(t: usize, k: i32): i32 { return load<i32>(changetype<T.Tape>(t).ins + (<usize>k << 2)); }
/** An optimized copy of frozen tape t (ad/optimize.ts: folding, simplification, CSE, DCE), or 0. */
export function optimize_tape(t: usize): usize {
  hostEntry(); clearExecuteModes();
  if (t == 0) { setError(E_BAD_ROW); return 0; } // (the null handle: a Tape read at address 0 was a garbage tape)
  const o = optimize(changetype<T.Tape>(t));
  return o === null ? 0 : changetype<usize>(o);
}
/** A copy of frozen tape t with its fused rows expanded into their rows (ad/rules/fused.ts), or 0. */
export function unfuse_tape(t: usize): usize {
  hostEntry(); clearExecuteModes();
  if (t == 0) { setError(E_BAD_ROW); return 0; } // (the null handle: a Tape read at address 0 was a garbage tape)
  const o = unfuse(changetype<T.Tape>(t));
  return o === null ? 0 : changetype<usize>(o);
}
/** A copy of optimized frozen tape t with its elementwise chains fused (ad/fuse.ts), or 0. */
export function fuse_tape(t: usize): usize {
  hostEntry(); clearExecuteModes();
  if (t == 0) { setError(E_BAD_ROW); return 0; } // (the null handle: a Tape read at address 0 was a garbage tape)
  const o = fuse(changetype<T.Tape>(t));
  return o === null ? 0 : changetype<usize>(o);
}
export function tape_outputs(t: usize): i32 { return changetype<T.Tape>(t).nOut; }
/** A frozen tape's block (position independent) and its size: copy it out to keep it outside wasm. */
export function tape_block(t: usize): usize { return changetype<T.Tape>(t).block; }
export function tape_bytes(t: usize): usize { return changetype<T.Tape>(t).blockBytes; }
/** `n` bytes of heap for the host (a block to load), or 0 when out of memory. */
export function alloc(n: usize): usize {
  if (n == 0 || n > (1 << 30) - 16) { setError(E_OOM); return 0; }
  return heap.alloc(heapSize(n));
}
export function free(p: usize): void { if (p != 0) heap.free(p); }
/** A frozen tape over a block copied back in at `p` (from alloc); the tape owns `p`. 0 if invalid. */
export function tape_load(p: usize): usize {
  const t = loadFrozen(p);
  return t === null ? 0 : changetype<usize>(t);
}

// ---------------------------------------------------------------- rows of the current tape

export function row_op(r: i32): i32 { return T.rowOp(r); }
export function row_dtype(r: i32): i32 { return T.rowDtype(r); }
export function row_ndim(r: i32): i32 { return T.rowNdim(r); }
export function row_shape(r: i32): usize { return T.rowShapePtr(r); }
export function row_nops(r: i32): i32 { return T.rowNops(r); }
export function row_operand(r: i32, i: i32): i32 { return T.rowOperand(r, i); }
export function row_nparams(r: i32): i32 { return T.rowNparams(r); }
export function row_params(r: i32): usize { return T.rowParamsPtr(r); }
export function row_flags(r: i32): i32 { return T.rowFlags(r); }
/** 1 if while or scan rows a and b of the current tape compute the same values (one op, equal params, the same operands up to copies and equal small constants), else 0. */
export function row_same_loop(a: i32, b: i32): i32 { return T.tapeValid(a) && T.tapeValid(b) && sameLoop(a, b) ? 1 : 0; }
export function row_ptr(r: i32): usize { return T.rowPtr(r); }
export function row_size(r: i32): i32 { return T.rowSize(r); }
/** 1, or k for a tuple row whose outputs are rows r+1..r+k. */
export function row_nout(r: i32): i32 { return T.rowNout(r); }

// Errors.
export function last_error(): i32 { return getError(); }
/**
 * A call that emitted rows from `start` on failed (an error code, or a trap): free the heap blocks
 * it gave its results (`emit_result`, `replay_tape`), which no host took.
 */
export function release_results(start: i32): void { T.releaseResults(start); }
/** After a failed call (the host calls this on every error): no error recorded, and no mode a trap left set. */
export function clear_error(): void { clearError(); clearExecuteModes(); }

// The op table.
export function op_count(): i32 { return NUM_OPS; }
export function op_name(op: i32): string { return R.opName(op); }
export function op_arity(op: i32): i32 { return R.opArity(op); }
export function op_info(op: i32): i32 { return R.opInfo(op); }
/** Bit d set when op has a kernel for dtype d. */
export function op_kernel_dtypes(op: i32): i32 { return R.opKernelDtypes(op); }

// Statistics.
export function arena_capacity(): usize { return T.curArena().capacity(); }
export function arena_used(): usize { return T.curArena().used; }
export function kernel_count(): i32 { return kernelCount(); }
