// Trace state. Every computation runs inside a trace whose rows are on the wasm trace tape: a
// transform opens a scope, and an op called outside any transform opens a one-op scope. The
// outermost scope selects the trace tape and resets it when it starts, and turns its outputs into
// JS-owned arrays when it ends, so nothing the user holds lives in the arena.
import { abi, scratch, opCode, opName, memoryBuffer, memI32 } from './abi.js';
import { CotangentError, TracerError, OutOfMemoryError, InternalError, NotImplementedError, ValueError, errorFromCode, E_ESCAPED, E_PARAMS } from './errors.js';
import { DType, DTYPE_OF_CODE, viewTyped, TypedArray } from './dtype.js';
import { unpinAll, residentMinBytes } from './resident.js';
import { resetRecords, ruleThrow } from './custom_calls.js';

export const HAS_VALUE = 1;
export const LINEAR = 2;
export const VIEW = 16; // a value vmap batches (assembly/ad/vmap.ts)
export const HOST_BUFFER = 32; // the row's buffer is a heap block the host owns (core/resident.ts)

let depth = 0;
let epoch = -1;
let traceTape = 0;

export function inTrace(): boolean { return depth > 0; }

/**
 * A jit trace: `body` runs on a fresh abstract tape (rows are appended with shapes and dtypes,
 * never run), then the previous tape, epoch and depth come back. `body` freezes what it needs
 * before returning; the tape is freed here.
 */
export interface JitContext {
  name: string; outerEpoch: number; tape: number; lifted: Map<number, { inner: number; outer: number }>;
  /** Large concrete Arrays the function reads (closed over or made while tracing): inputs bound to them at each call, not baked copies. */
  constants: { value: unknown; inner: number }[];
  /** A one-shot program (freed after its one call): the Arrays it reads are not held by it afterwards. */
  once: boolean;
  /** Large concrete Arrays are baked as const rows, not inputs (a tape whose freezes bind no constants: a loop body's linearization). */
  bake?: boolean;
}
const jitStack: JitContext[] = [];
let topJit: JitContext | undefined; // jitStack's last (read on every op: no out-of-bounds array read)
export function jitContext(): JitContext | undefined { return topJit; }
export function onAbstractTape<T>(name: string, body: () => T, once = false): T {
  const e = abi();
  if (traceTape === 0) traceTape = e.tape_current();
  const prevTape = e.tape_current(), prevEpoch = epoch, prevDepth = depth;
  const t = e.tape_new();
  e.tape_select(t);
  e.set_eager(0);
  epoch = e.tape_epoch();
  depth = prevDepth + 1;
  jitStack.push(topJit = { name, outerEpoch: prevDepth > 0 ? prevEpoch : -2, tape: t, lifted: new Map(), constants: [], once });
  try {
    return body();
  } finally {
    jitStack.pop();
    topJit = jitStack.length > 0 ? jitStack[jitStack.length - 1] : undefined;
    depth = prevDepth;
    epoch = prevEpoch;
    e.tape_select(prevTape);
    e.tape_free(t);
  }
}
export function currentEpoch(): number { return epoch; }

/**
 * The jit traces from the one whose enclosing trace has `outer` epoch up to the innermost, or
 * null: a tracer of that trace read inside them is lifted into each in turn (jit in jit in grad).
 */
export function jitsAround(outer: number): JitContext[] | null {
  for (let k = jitStack.length - 1; k >= 0; k--) if (jitStack[k].outerEpoch === outer) return jitStack.slice(k);
  return null;
}

/**
 * Where a custom function was called: its trace and the jit traces around it (their lifted maps).
 * A custom rule may run in another trace than its call's (a loop body's call, differentiated when
 * the loop's rule re-traces the body), where the values the user's rule closes over are stale
 * tracers; `rebinding` maps them to the rows that hold the same values there.
 */
export interface CallSite { epoch: number; jits: JitContext[] }
export function callSite(): CallSite { return { epoch, jits: jitStack.slice() }; }

/** The row a tracer of (`ep`, `row`) had in `site`'s trace: its own, or the input a jit lifted it into; undefined if neither. */
export function rowAtSite(site: CallSite, ep: number, row: number): number | undefined {
  if (ep === site.epoch) return row;
  for (let k = site.jits.length - 1; k >= 0; k--) {
    if (site.jits[k].outerEpoch !== ep) continue;
    let r = row;
    for (let j = k; j < site.jits.length; j++) {
      const l = site.jits[j].lifted.get(r);
      if (l === undefined) return undefined;
      r = l.inner;
    }
    return r;
  }
  return undefined;
}

/** A running rule's closure map: a tracer of another trace to this trace's row; `held`, the values it maps to. */
export interface Rebinder { resolve: (ep: number, row: number) => number | undefined; held: readonly unknown[] }
const rebinders: Rebinder[] = [];
/** body() with tracers of other traces resolved by `rbs` first (the last innermost). */
export function withRebinding<T>(rbs: readonly Rebinder[], body: () => T): T {
  const n = rebinders.length;
  rebinders.push(...rbs);
  try { return body(); } finally { rebinders.length = n; }
}
/** The current trace's row for a tracer of another trace, per the running custom rules, or undefined. */
export function reboundRow(ep: number, row: number): number | undefined {
  for (let i = rebinders.length - 1; i >= 0; i--) {
    const r = rebinders[i].resolve(ep, row);
    if (r !== undefined) return r;
  }
  return undefined;
}
/** The rebinders in force (a rule staging a row whose transpose runs the rule's closure later keeps them). */
export function activeRebinders(): Rebinder[] { return rebinders.slice(); }
export function rebinding(): boolean { return rebinders.length > 0; }

/** body() with rows appended to `tape` (an enclosing jit's), then the current tape again. */
export function onTape<T>(tape: number, body: () => T): T {
  const e = abi(), prev = e.tape_current();
  if (prev === tape) return body();
  e.tape_select(tape);
  try { return body(); } finally { e.tape_select(prev); }
}

/**
 * Run `body` inside a scope. At the outermost level the tape starts empty and `finish`
 * converts the result to concrete arrays before the scope closes.
 */
export function scope<T>(body: () => T, finish: (out: T) => T): T {
  const top = depth === 0;
  if (top) {
    const e = abi();
    if (traceTape === 0) traceTape = e.tape_current();
    e.tape_select(traceTape);
    e.reset();
    epoch = e.tape_epoch();
    unpinAll();
    resetRecords();
  }
  depth++;
  try {
    const out = body();
    return top ? finish(out) : out;
  } finally {
    depth--;
  }
}

/**
 * Call into wasm; a trap (an internal failure recorded in last_error) becomes a CotangentError.
 * A trap unwinds no wasm code: when `frames` (the transforms' depth before the call) is given,
 * the map frames the trap left are popped here. Only transforms push frames, so only their
 * calls pass it (reading it costs a call into wasm on every op otherwise).
 */
export function guarded<T>(where: string, fn: () => T, frames = -1): T {
  try {
    return fn();
  } catch (e) {
    const depth = abi().transforms_depth(); // (before unwinding: a full stack of frames is why enter failed)
    if (frames >= 0) abi().transforms_unwind(frames);
    const thrown = ruleThrow(e);
    if (thrown !== undefined) { abi().clear_error(); throw thrown.value; } // (a rule's own error, whatever it threw)
    if (e instanceof CotangentError) { abi().clear_error(); throw e; }
    const code = abi().last_error();
    abi().clear_error();
    if (code !== 0) throw codeError(code, where, depth);
    // A trap with no recorded code: the runtime's allocator could not grow memory, or a bug.
    const gib = abi().memory.buffer.byteLength / 2 ** 30;
    const msg = e instanceof Error ? e.message : String(e);
    // (the trap's own name, 'unreachable', says nothing to a user: the cause keeps it)
    if (gib > 2) throw new OutOfMemoryError(`${where}: out of wasm memory (${gib.toFixed(1)} GiB in use; wasm32 addresses at most 4 GiB)${/unreachable/.test(msg) ? '' : ` [${msg}]`}`, { cause: e });
    throw new InternalError(`${where}: wasm trapped (${msg})`);
  }
}

/**
 * assembly/ad/maps.ts's MAX_DEPTH: the transform levels open at once (each jvp, transpose and vmap
 * level, a custom rule's own transforms included). Entering one more fails with E_PARAMS, which
 * read as 'jvp: invalid parameters' for a customJvp rule calling jvp of its own function (an
 * endless recursion, a RecursionError in JAX): say so instead.
 */
const MAX_TRANSFORM_DEPTH = 256;
function codeError(code: number, where: string, depth: number): CotangentError {
  if (code === E_PARAMS && depth >= MAX_TRANSFORM_DEPTH) {
    return new ValueError(`${where}: more than ${MAX_TRANSFORM_DEPTH} transform levels (jvp, grad, vjp, vmap) open at once: ` +
      'a function that transforms itself without end? (a custom rule calling jvp or grad of its own function recurses, as it would in JAX)');
  }
  return errorFromCode(code, where);
}

export type ErrorContext = () => string;

/** Append a row. `context` describes the call for an error message. */
export function emit(op: string, operands: readonly number[], params: ArrayLike<number> = [], context?: ErrorContext): number {
  return emitRow(op, operands, params, context, -1);
}

/**
 * emit() for the one row of an op called at top level: a large result is written straight into a
 * heap block that its Array adopts (resident, see NDArray._concrete), so it is never copied.
 */
export function emitResult(op: string, operands: readonly number[], params: ArrayLike<number> = [], context?: ErrorContext): number {
  const min = residentMinBytes();
  return emitRow(op, operands, params, context, min === Infinity ? -1 : min);
}

function emitRow(op: string, operands: readonly number[], params: ArrayLike<number>, context: ErrorContext | undefined, hostMin: number): number {
  const s = scratch();
  const n = operands.length;
  if (hostMin < 0 && n <= s.length && n + params.length > s.length) return emitParamsBlock(op, operands, params, context);
  if (n + params.length > s.length) checkScratch(n + params.length);
  for (let i = 0; i < n; i++) s[i] = operands[i];
  for (let i = 0; i < params.length; i++) s[n + i] = params[i];
  const code = opCode(op);
  const r = hostMin < 0 ? guarded(op, () => abi().emit(code, n, params.length))
    : resultsOrRelease(op, () => abi().emit_result(code, n, params.length, hostMin));
  if (r < 0) {
    abi().clear_error();
    const ctx = context ? context() : `${op}(${operands.map(describeRow).join(', ')})`;
    // (an escaped vmap value: the context's shape complaint would mislead, its function name is enough)
    throw codeError(-r, -r === E_ESCAPED ? ctx.split(':')[0] : ctx, abi().transforms_depth());
  }
  return r;
}

/** emitRow for params that do not fit the scratch area (a loop row's sub-programs): they go through a heap block. */
function emitParamsBlock(op: string, operands: readonly number[], params: ArrayLike<number>, context: ErrorContext | undefined): number {
  const e = abi(), p = e.alloc(params.length * 4);
  if (p === 0) { e.clear_error(); throw errorFromCode(4, context ? context() : op); }
  let r: number;
  try {
    new Int32Array(memoryBuffer(), p, params.length).set(params);
    scratch().set(operands, 0);
    r = guarded(op, () => e.emit_params(opCode(op), operands.length, params.length, p));
  } finally { e.free(p); }
  if (r < 0) {
    e.clear_error();
    throw errorFromCode(-r, context ? context() : `${op}(${operands.map(describeRow).join(', ')})`);
  }
  return r;
}

/**
 * guarded() for a call whose results may get heap blocks (emit_result, replay_tape): if it fails,
 * by a trap or an error code, the blocks it made for rows no Array will adopt are freed.
 */
function resultsOrRelease(where: string, fn: () => number): number {
  const start = abi().tape_len();
  let n = -1;
  try {
    n = guarded(where, fn);
  } finally {
    if (n < 0) abi().release_results(start);
  }
  return n;
}

/** A const row (params: dtype, shape) reading the host's heap block at `ptr` in place. */
export function emitBorrowed(ptr: number, params: readonly number[], context?: ErrorContext): number {
  const s = scratch();
  if (params.length > s.length) checkScratch(params.length);
  for (let i = 0; i < params.length; i++) s[i] = params[i];
  const r = guarded('const', () => abi().emit_borrowed(ptr, params.length));
  if (r < 0) {
    abi().clear_error();
    throw errorFromCode(-r, context ? context() : `const(${params.join(',')})`);
  }
  return r;
}

export function rowShape(r: number): number[] {
  const e = abi();
  const nd = e.row_ndim(r);
  const out = new Array<number>(nd);
  if (nd === 0) return out;
  const m = memI32(), base = e.row_shape(r) >>> 2;
  for (let i = 0; i < nd; i++) out[i] = m[base + i];
  return out;
}
export function rowDtype(r: number): DType { return DTYPE_OF_CODE[abi().row_dtype(r)]; }
export function rowFlags(r: number): number { return abi().row_flags(r); }
export function rowOp(r: number): string { return opName(abi().row_op(r)); }
/** The rows holding a row's outputs: itself, or the projections of a tuple row. */
export function rowOutputs(r: number): number[] {
  const e = abi(), k = e.row_nout(r);
  // (row_nout is 1 for a plain row and for a tuple of one output, whose output is the proj row after it)
  if (k === 1 && !(r + 1 < e.tape_len() && e.row_op(r + 1) === opCode('proj') && e.row_operand(r + 1, 0) === r)) return [r];
  return Array.from({ length: k }, (_, i) => r + 1 + i);
}
export function describeRow(r: number): string { return `${rowDtype(r)}[${rowShape(r).join(',')}]`; }

/** A view of row r's value in wasm memory (valid until the next allocation). */
export function rowValue(r: number, where: string): TypedArray {
  const e = abi();
  // (a view that does not vary across its batch, a loop carry the batch never reaches: its one value)
  if ((e.row_flags(r) & VIEW) !== 0 && e.row_bdim(r) < 0 && e.row_impl(r) >= 0) return rowValue(e.row_impl(r), where);
  if ((e.row_flags(r) & VIEW) !== 0) {
    throw new TracerError(`${where}: this value (${describeRow(r)} per example) is batched by vmap: it differs across ` +
      'the batch, so it has no single concrete value here. Read it outside the vmap, or compute with np/lax ' +
      'functions (np.where instead of if, for example); values that do not depend on the batched arguments can be read.');
  }
  const jc = jitContext();
  if ((e.row_flags(r) & HAS_VALUE) === 0 && jc !== undefined && e.row_op(r) !== opCode('placeholder')) {
    throw new TracerError(`${where}: under jit(${jc.name}) this value (${describeRow(r)}) is abstract: only its shape and ` +
      'dtype are known while jit traces, so it cannot become a JS number (valueOf, as in `x < 3` or `x * 2`, and item()). ' +
      'Mark the arguments JS control flow depends on with staticArgnums, or compute with np.where / lax functions.');
  }
  if ((e.row_flags(r) & HAS_VALUE) === 0) {
    throw new TracerError(`${where}: this value is abstract (a linearized or traced value with no concrete data); ` +
      'it cannot be read here. Read values outside the transform, or use lax control flow.');
  }
  return viewTyped(rowDtype(r), memoryBuffer(), e.row_ptr(r), e.row_size(r));
}

/** JVP over [start, end): returns the tangent row of each output (-1: zero). */
export function jvpRows(start: number, end: number, inputs: number[], seeds: number[], outputs: number[]): number[] {
  const s = scratch();
  const n = inputs.length, m = outputs.length;
  checkScratch(2 * n + m);
  s.set(inputs, 0); s.set(seeds, n); s.set(outputs, 2 * n);
  try {
    guarded('jvp', () => abi().jvp(start, end, n, m), abi().transforms_depth());
  } catch (e) {
    const why = e instanceof NotImplementedError ? refusedDerivative(start, end) : undefined;
    if (why !== undefined) throw new NotImplementedError(`jvp (the forward derivative grad, vjp and the Jacobians build on): ${why}`, { cause: e });
    throw e;
  }
  return readScratch(2 * n, m);
}

/**
 * The row a JVP rule refused (E_NOT_IMPLEMENTED) described: the first QR or SVD in [start, end)
 * of a form JAX does not differentiate either (assembly/ad/rules/decomp.ts), or undefined.
 */
function refusedDerivative(start: number, end: number): string | undefined {
  const e = abi(), qr = opCode('qr'), svd = opCode('svd');
  for (let r = start; r < end; r++) {
    const op = e.row_op(r);
    if (op !== qr && op !== svd) continue;
    const a = e.row_operand(r, 0), shape = rowShape(a), m = shape[shape.length - 2], k = shape[shape.length - 1];
    const full = e.row_nparams(r) > 0 && memI32()[e.row_params(r) >>> 2] !== 0;
    if (op === qr && (m < k || (full && m !== k))) {
      return `linalg.qr of ${describeRow(a)} has no derivative, ${m < k ? 'a wide matrix (m < n)' : "mode 'complete' of a non-square matrix"}, ` +
        "as in JAX (its qr_jvp_rule refuses both); mode 'reduced' of a tall or square matrix differentiates";
    }
    if (op === svd && full && m !== k) {
      return `linalg.svd of ${describeRow(a)} with fullMatrices (the default) has no derivative for a non-square matrix, as in JAX; ` +
        'pass { fullMatrices: false }, or use linalg.svdvals for the singular values alone';
    }
  }
  return undefined;
}

/**
 * Transpose: cotangent row of each placeholder input (-1: zero). `release`: the call is at top
 * level (no enclosing trace reads these rows later), so dead buffers are reused on the way.
 */
export function transposeRows(outputs: number[], cts: number[], inputs: number[], release = false): number[] {
  const s = scratch();
  const m = outputs.length, n = inputs.length;
  checkScratch(2 * m + n);
  s.set(outputs, 0); s.set(cts, m); s.set(inputs, 2 * m);
  guarded('transpose', () => abi().transpose(m, n, release ? 1 : 0), abi().transforms_depth());
  return readScratch(2 * m, n);
}

/** n i32s of the scratch area from `at`, as a JS array. */
function readScratch(at: number, n: number): number[] {
  const s = scratch(), out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = s[at + i];
  return out;
}

function checkScratch(n: number): void {
  if (n > scratch().length) throw new CotangentError(`cotangent: too many operands or leaves (${n}) in one call (at most ${scratch().length})`);
}

/**
 * Freeze what `outputs` (rows or -1) depend on into a frozen tape with `inputs` as its inputs.
 * With `residualInputs`, rows with values become extra inputs (returned, to bind when inlining).
 */
export function freezeRows(inputs: number[], outputs: number[], residualInputs: boolean | 'host'): { handle: number; residuals: number[] } {
  const s = scratch();
  checkScratch(inputs.length + outputs.length);
  s.set(inputs, 0); s.set(outputs, inputs.length);
  const mode = residualInputs === 'host' ? 2 : residualInputs ? 1 : 0;
  const handle = guarded('freeze', () => abi().freeze_tape(inputs.length, outputs.length, mode));
  if (handle === 0) {
    const code = abi().last_error();
    abi().clear_error();
    throw errorFromCode(code, 'vjp: keeping the linear program');
  }
  const t = scratch();
  const residuals = mode !== 0 ? Array.from(t.subarray(1, 1 + t[0])) : [];
  return { handle, residuals };
}

/**
 * Emit frozen tape `handle` into the current trace with its inputs bound to `binds`; its outputs'
 * rows. `replay`: nothing will read the intermediates afterwards (a top-level jitted call), so
 * their buffers are reused as soon as they are dead, and large outputs are written into blocks
 * their Arrays adopt (resident).
 */
export function inlineRows(handle: number, binds: number[], where: string, replay = false): number[] {
  const s = scratch();
  checkScratch(binds.length);
  s.set(binds, 0);
  const min = residentMinBytes();
  const n = replay ? resultsOrRelease(where, () => abi().replay_tape(handle, binds.length, min === Infinity ? 0 : min))
    : guarded(where, () => abi().inline_tape(handle, binds.length));
  if (n < 0) {
    abi().clear_error();
    throw errorFromCode(-n, where);
  }
  return Array.from(scratch().subarray(0, n));
}

/**
 * inlineRows for a top-level replay whose `donated` binds (borrowed blocks of Arrays the caller
 * deletes after the call) an output may take as its buffer (jit's donateArgnums): the outputs'
 * rows, and per bind whether an output took its block (that output's Array owns it then).
 */
export function replayDonated(handle: number, binds: number[], donated: boolean[], where: string): { outs: number[]; taken: boolean[] } {
  const s = scratch(), n = binds.length;
  checkScratch(2 * n);
  s.set(binds, 0);
  for (let k = 0; k < n; k++) s[n + k] = donated[k] ? 1 : 0;
  const min = residentMinBytes();
  const nOut = resultsOrRelease(where, () => abi().replay_tape_donated(handle, n, min === Infinity ? 0 : min));
  if (nOut < 0) {
    abi().clear_error();
    throw errorFromCode(-nOut, where);
  }
  const t = scratch();
  return { outs: Array.from(t.subarray(0, nOut)), taken: Array.from(t.subarray(nOut, nOut + n), (f) => f === 2) };
}

export function tapeLength(): number { return abi().tape_len(); }
