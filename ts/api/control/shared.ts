// What the control-flow rows (assembly/ad/rules/control.ts: while, scan, cond, checkpoint) share
// on the host: tracing a function abstractly into a frozen sub-program the row carries in its
// params, loading and inlining one, linearizing one (JAX's partial evaluation) and transposing a
// linear one, and the carry types of loops. The rows themselves: while.ts, scan.ts, cond.ts;
// their rules, called back from wasm, are dispatched by rules.ts.
import { vmap, SAME_AXIS } from '../transforms/vmap.js';
import { NDArray, isComplexLiteral } from '../array.js';
import { placeholderFor, zerosRow } from '../transforms/trace_args.js';
import {
  emit, onAbstractTape, jitContext, freezeRows, inlineRows, jvpRows, transposeRows, tapeLength, rowShape, rowDtype, rowFlags, LINEAR,
} from '../../core/trace.js';
import { abi, memoryBuffer, opName } from '../../core/abi.js';
import { DTYPE_CODE, DType, isInexact, isComplex } from '../../core/dtype.js';
import { DTypeError, ShapeError, InternalError, errorFromCode, describe } from '../../core/errors.js';
import * as lax from '../lax.js';

export interface Aval { dtype: DType; shape: readonly number[] }
export const avalOf = (x: NDArray): Aval => ({ dtype: x.dtype, shape: x._shape });
export const sameAval = (a: Aval, b: Aval) => a.dtype === b.dtype && a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);

/** A traced sub-program: its frozen block's words, and the enclosing trace's rows it reads (bound after its inputs). */
export interface Sub { words: Int32Array; closed: number[] }

/**
 * Trace `fn` abstractly on inputs of `avals` into a frozen, optimized program. Tracers of the
 * enclosing trace it reads are lifted into inputs (as jit lifts them); so are large concrete
 * Arrays it reads (jit's constants).
 */
export function traceSub(where: string, avals: readonly Aval[], fn: (xs: NDArray[]) => NDArray[], fuse = true): Sub {
  const { handle, closedRows, constants } = onAbstractTape(where, () => {
    const inputs = avals.map((a) => emit('input', [], [DTYPE_CODE[a.dtype], ...a.shape]));
    const outs = fn(inputs.map((r) => NDArray.tracer(r)));
    const rows = outs.map((o) => o._rowIn(where));
    const jc = jitContext()!;
    const lifted = [...jc.lifted.values()];
    const frozen = freezeRows([...inputs, ...lifted.map((l) => l.inner), ...jc.constants.map((c) => c.inner)], rows, false);
    return { handle: frozen.handle, closedRows: lifted.map((l) => l.outer), constants: jc.constants.map((c) => c.value as NDArray) };
  });
  return { words: optimizedWords(handle, fuse, where), closed: [...closedRows, ...constants.map((c) => c._rowIn(where))] };
}

/**
 * The words of frozen tape `handle` (freed here) unfused, optimized and, with `fuse`, fused again.
 * Unfused first: a body that ran a fused sub-program under a JVP holds each fused row beside the
 * rows its JVP rule expanded from it, the same values twice, which only the unfused rows let
 * common-subexpression elimination merge. (A linear body is not fused: a transpose re-emits its
 * rows, and a fused row has no transpose rule.)
 */
function optimizedWords(handle: number, fuse: boolean, where: string): Int32Array {
  const e = abi();
  let h = handle;
  try {
    for (const pass of fuse ? [e.unfuse_tape, e.optimize_tape, e.fuse_tape] : [e.unfuse_tape, e.optimize_tape]) {
      const next = pass(h);
      if (next === 0) { const code = e.last_error(); e.clear_error(); throw errorFromCode(code, `${where}: optimizing`); }
      e.tape_free(h);
      h = next;
    }
    return new Int32Array(memoryBuffer(), e.tape_block(h), e.tape_bytes(h) >>> 2).slice();
  } finally {
    e.tape_free(h);
  }
}

export const avalOfRow = (x: number, drop = 0): Aval => ({ dtype: rowDtype(x), shape: rowShape(x).slice(drop) });
export const zerosOf = (a: Aval) => lax.full([...a.shape], 0, a.dtype);

export const tracers = (rows: readonly number[]) => rows.map((x) => NDArray.tracer(x));

/** A frozen program loaded from its words (the host owns the handle: free it with tape_free). */
export function load(words: Int32Array, where: string): number {
  const e = abi(), p = e.alloc(words.byteLength);
  if (p === 0) { e.clear_error(); throw errorFromCode(4, where); }
  new Int32Array(memoryBuffer(), p, words.length).set(words);
  const h = e.tape_load(p);
  if (h === 0) { e.free(p); e.clear_error(); throw new InternalError(`${where}: a control-flow row's sub-program did not load`); }
  return h;
}

/** Sub-program `handle` on Arrays `xs` (its inputs, then what it closes over), inlined into the current trace. */
export function run(handle: number, xs: readonly NDArray[], where: string): NDArray[] {
  return inlineRows(handle, xs.map((x) => x._rowIn(where)), where).map((r) => NDArray.tracer(r));
}

/** A weak carry leaf's new type, found while tracing the body: the trace starts again with it. */
class Retrace { constructor(readonly avals: Aval[]) {} }

/**
 * The dtype weak initial leaf `l` takes from a 0-d body output of dtype `d` (JAX's result_type of
 * a weak value), or null when it keeps its own: a JS integer takes any non-bool dtype, a fraction
 * only an inexact one, a `{ re, im }` only a complex one (complex128: it was a complex64 Array).
 */
function promoted(l: unknown, d: DType): DType | null {
  if (isComplexLiteral(l)) return isComplex(d) ? d : null;
  if (typeof l !== 'number' || d === 'bool') return null;
  return Number.isInteger(l) || isInexact(d) ? d : null;
}
const isWeakNumber = (l: unknown) => typeof l === 'number' || isComplexLiteral(l);

/**
 * `emitWith(avals, promote)` with the carry's types from its initial leaves: Arrays keep theirs;
 * a JS number, boolean or { re, im } is weakly typed (float32, as a JS number alone computes eagerly; bool; complex64). The
 * body calls `promote` on its new carries: a weak number leaf the body returns with another dtype
 * takes that dtype, as JAX promotes weak-typed carries (result_type of the weak value and the
 * body's dtype: an integer takes any, a fraction only an inexact one, so 0.5 beside an int32
 * body stays float32 and the body's type is an error), and the trace starts again, once.
 */
export function withCarryTypes<T>(leaves: readonly unknown[], emitWith: (avals: Aval[], promote: (out: readonly NDArray[]) => void, fixed: Fixed) => T,
  probe?: () => readonly unknown[]): T {
  let invariant: boolean[] = leaves.map(() => false);
  let avals: Aval[] = leaves.map((l) => (l instanceof NDArray ? avalOf(l)
    : { dtype: typeof l === 'boolean' ? 'bool' : isComplexLiteral(l) ? 'complex64' : 'float32', shape: [] })); // (a JS number alone is float32 here, as in the eager loop)
  // A JS number's type is what the body's first step makes of it, as eagerly: `probe` runs that
  // step on the initial carry as it is (its rows are dead code). From the float32 guess alone, 0
  // plus an int32 body was float32 (float32 + int32), no promotion to see, and an int32 count
  // silently a float32 one (16777217 -> 16777216).
  if (probe !== undefined && leaves.some(isWeakNumber)) {
    let out: readonly unknown[] | null;
    try { out = probe(); } catch { out = null; } // (a body that needs an Array carry: the guess stays, the trace below tells)
    if (out !== null) {
      invariant = leaves.map((l, k) => isWeakNumber(l) && Object.is(out![k], l));
      avals = avals.map((a, k) => {
        const l = leaves[k], o = out![k];
        const d = o instanceof NDArray && o.ndim === 0 ? promoted(l, o.dtype) : null;
        return d === null ? a : { dtype: d, shape: [] };
      });
    }
  }
  for (let attempt = 0; ;) {
    const promote = (out: readonly NDArray[]) => {
      if (attempt > 0) return;
      let changed = false;
      const next = avals.map((a, k) => {
        const l = leaves[k], o = out[k];
        if (o === undefined || o.ndim !== 0 || o.dtype === a.dtype || promoted(l, o.dtype) === null) return a;
        changed = true;
        return { dtype: o.dtype, shape: [] };
      });
      if (changed) throw new Retrace(next);
    };
    const inv = invariant;
    const fixed: Fixed = {
      input: (xs) => xs.map((x, k) => (inv[k] ? leaves[k] : x)),
      output: (k, o, given) => {
        if (!inv[k]) return undefined;
        if (Object.is(o, leaves[k])) return given;
        throw new Unfix(k);
      },
      result: (xs) => xs.map((x, k) => (inv[k] ? leaves[k] : x)),
    };
    try {
      return emitWith(avals, promote, fixed);
    } catch (e) {
      if (e instanceof Unfix) { invariant = invariant.map((v, k) => v && k !== e.k); continue; }
      if (!(e instanceof Retrace)) throw e;
      avals = e.avals;
      attempt++;
    }
  }
}

/** Thrown from a traced body that returned something else for an invariant weak leaf: the trace starts again with it a carry. */
class Unfix { constructor(readonly k: number) {} }

/**
 * The weak initial numbers (JS numbers, `{ re, im }`) the body's first step returned as
 * they came: loop-invariant, so the body is traced with the JS value itself, not a carry, and the
 * loop returns it as it is, as the eager loop does (a float32 carry row turned 16777217 into
 * 16777216 and 0.1 into 0.10000000149 for the body's float64 arithmetic too). `output` gives the
 * input row back for such a leaf (undefined for a carry), or retraces it as a carry when the
 * traced body returned something else.
 */
export interface Fixed {
  input<X>(xs: readonly X[]): unknown[];
  output<X>(k: number, o: unknown, given: X): X | undefined;
  result<X>(xs: readonly X[]): unknown[];
}

/** The body's new carries checked against the carry's types (JAX's _check_carry_type). */
export function checkCarryTypes(where: string, fn: string, out: readonly NDArray[], avals: readonly Aval[]): void {
  out.forEach((o, k) => {
    if (!sameAval(avalOf(o), avals[k])) {
      const E = o.dtype !== avals[k].dtype ? DTypeError : ShapeError;
      throw new E(`${where}: ${fn} must return the carry's types: leaf ${k} is ${describe(o._shape, o.dtype)}, the carry's is ${describe(avals[k].shape, avals[k].dtype)}`);
    }
  });
}

/**
 * Sub-program `handle` (inputs of `avIn`) linearized with respect to its inputs `D`: one JVP
 * traced with placeholder tangents and split by the freeze vjp's linear programs use, into the
 * primal program, which also returns the residuals the linear part reads (after its outputs), and
 * the linear program (inputs: D's tangents, then the residuals) giving the tangents of outputs
 * `want` (zeros where they do not vary). JAX's partial evaluation of a jaxpr.
 */
export function linearizeStep(where: string, handle: number, avIn: readonly Aval[], D: readonly number[], want: readonly number[],
  invariantInputs: readonly number[] = [], hoistScalarsOnly = false): Split {
  // (the body unfused: its fused rows' JVPs would recompute what they compute, in rows the
  // optimizer could not merge with them; the primal program is optimized and fused again below)
  const e = abi(), unfused = e.unfuse_tape(handle);
  if (unfused === 0) { const code = e.last_error(); e.clear_error(); throw errorFromCode(code, `${where}: unfusing`); }
  try { return splitStep(where, unfused, avIn, D, want, invariantInputs, hoistScalarsOnly); } finally { e.tape_free(unfused); }
}

function splitStep(where: string, handle: number, avIn: readonly Aval[], D: readonly number[], want: readonly number[],
  invariantInputs: readonly number[], hoistScalarsOnly: boolean): Split {
  return onAbstractTape(`${where}'s linearization`, () => {
    jitContext()!.bake = true; // (its freezes bind no constants: a large concrete Array read here, the zeros implicit.ts seeds, is a const row)
    const inputs = avIn.map((a) => emit('input', [], [DTYPE_CODE[a.dtype], ...a.shape]));
    const start = tapeLength();
    const copies = inputs.map((x) => emit('copy', [x])); // (the JVP's inputs are rows of its range, as traceInputs makes them)
    const outs = run(handle, copies.map((x) => NDArray.tracer(x)), where).map((o) => o._rowIn(where));
    const end = tapeLength();
    const phs = D.map((k) => placeholderFor(avIn[k]));
    const lin = jvpRows(start, end, D.map((k) => copies[k]), phs, outs);
    const linOuts = want.map((o) => (lin[o] >= 0 ? lin[o] : zerosRow(avalOfRow(outs[o]))));
    const l = freezeRows(phs, linOuts, true);
    // Residuals that depend only on `invariantInputs` (a scan's closed-over values: its weights)
    // are the same at every step: computed once, outside the loop (JAX hoists them too), not
    // stacked per step.
    const varies = new Uint8Array(tapeLength());
    inputs.forEach((x, k) => { if (!invariantInputs.includes(k)) varies[x] = 1; });
    const e = abi();
    for (let r = 0; r < varies.length; r++) {
      for (let i = 0; i < e.row_nops(r) && !varies[r]; i++) if (varies[e.row_operand(r, i)]) varies[r] = 1;
    }
    // (hoistScalarsOnly, a cond's: only a 0-d constant is hoisted, as JAX inlines a scalar constant
    // as a literal; an array constant is a residual of the branch like any other, passed through
    // the primal cond's outputs, zeros for the examples a batched cond did not send to the branch:
    // JAX's _cond_partial_eval, which a psum in the branch's transpose sees)
    const kept = l.residuals.map((x) => varies[x] === 1 || (hoistScalarsOnly && rowShape(x).length > 0));
    const words = (h: number) => new Int32Array(memoryBuffer(), e.tape_block(h), e.tape_bytes(h) >>> 2).slice();
    const linear = words(l.handle);
    e.tape_free(l.handle);
    // the primal step and the hoisted residuals run as they are emitted: optimized and fused here
    const p = freezeRows(inputs, [...outs, ...l.residuals.filter((_, q) => kept[q])], false);
    const primal = optimizedWords(p.handle, true, where);
    const hoisted = l.residuals.filter((_, q) => !kept[q]);
    const inv = hoisted.length > 0 ? freezeRows(invariantInputs.map((k) => inputs[k]), hoisted, false) : null;
    return {
      primal, linear, invariant: inv === null ? null : optimizedWords(inv.handle, true, where),
      resAvals: l.residuals.map((x) => avalOfRow(x)), stacked: kept,
    };
  });
}

/**
 * The loop a forward-mode JVP row of loop row r names as its twin: an earlier while or scan row
 * equal to r (row_same_loop: the user's own f(x) beside jvp(f)'s primal loop), whose carries the
 * JVP row then starts from (the same values), or r itself. The optimizer drops the twin and reads
 * its outputs, and those of every loop equal to it, from the JVP row.
 */
export function equalLoop(r: number): number {
  const e = abi(), op = e.row_op(r);
  for (let a = 0; a < r; a++) if (e.row_op(a) === op && e.row_same_loop(a, r) === 1) return a;
  return r;
}

/**
 * Which outputs of a loop row `r` depend on a marked value, given which of its operands are
 * (`operands`, by operand index): while and scan register theirs (rules.ts), their batching
 * fixed point through their bodies, so a loop nested in a loop step is seen through, as JAX's
 * batching rule recurses into a nested loop; a row without one marks every output.
 */
export type OutputDependence = (r: number, operands: readonly boolean[]) => boolean[];
const outputDependence = new Map<string, OutputDependence>();
export function defineOutputDependence(op: string, rule: OutputDependence): void { outputDependence.set(op, rule); }

/**
 * Rows [from, end) of the current tape that depend on a row marked in `varies` (marked in place;
 * a tuple row's outputs with it): any operand counts, except where the row's primitive says which
 * of its outputs depend on which operands (a nested loop).
 */
function markDependents(varies: Uint8Array, from: number): void {
  const e = abi();
  for (let r = from; r < varies.length; r++) {
    const k = e.row_nout(r);
    const rule = k > 0 ? outputDependence.get(opName(e.row_op(r))) : undefined;
    if (rule !== undefined) {
      const operands = Array.from({ length: e.row_nops(r) }, (_, i) => varies[e.row_operand(r, i)] === 1);
      const outs = operands.some(Boolean) ? rule(r, operands) : [];
      // (its outputs are the projection rows after it, which read it: marked here, not through it)
      for (let j = 0; j < k && r + 1 + j < varies.length; j++) varies[r + 1 + j] = outs[j] ? 1 : 0;
      r += k;
      continue;
    }
    for (let i = 0; i < e.row_nops(r) && !varies[r]; i++) if (varies[e.row_operand(r, i)]) varies[r] = 1;
    if (varies[r] && k > 1) for (let j = 1; j <= k && r + j < varies.length; j++) varies[r + j] = 1;
  }
}

/**
 * Which of a loop's `n` carries (the first n inputs and outputs of sub-program `handle`) have
 * nonzero tangents: those with one initially (`varyingIn`, over every input), and those the body
 * makes depend on a varying input, to a fixed point (JAX's _scan_jvp / _while_loop_jvp fixpoint
 * on nonzero tangents). A carry that stays constant gets no tangent, as eagerly, so a custom
 * rule in the body closing over it is not refused for differentiating it.
 */
export function varyingCarries(where: string, handle: number, avIn: readonly Aval[], n: number, varyingIn: readonly boolean[]): boolean[] {
  return dependents(`${where}'s nonzero tangents`, handle, avIn, n, varyingIn, (k) => isInexact(avIn[k].dtype)).slice(0, n);
}

/**
 * Which outputs of a loop step (sub-program `handle`, its first n inputs and outputs the carries)
 * vary across a vmap batch, given which inputs do (`batchedIn`): a carry is batched if it enters
 * batched or the step makes it depend on a batched input, to a fixed point (JAX's scan batching
 * rule), so a carry the batch never reaches (the primal carry of a vmapped JVP, as in hessian)
 * stays one value instead of a copy per example.
 */
export function batchedOutputs(where: string, handle: number, avIn: readonly Aval[], n: number, batchedIn: readonly boolean[]): boolean[] {
  return dependents(`${where}'s batched values`, handle, avIn, n, batchedIn, () => true);
}

/**
 * vmap(f, { inAxes, outAxes })(...args), or f(...args) itself when no input is mapped (a loop
 * step or predicate that reads only what the batch never reaches; vmap refuses an unmapped call).
 */
export function vmapOrCall<T>(f: (...a: NDArray[]) => T, inAxes: (0 | null)[], outAxes: 0 | null | (0 | null)[], args: NDArray[]): T {
  if (inAxes.every((a) => a === null)) return f(...args);
  return vmapSameAxis(f, inAxes, outAxes)(...args) as T;
}

// The wasm levels whose batching rules are running on the host, innermost last (installControlRules).
const batchLevels: number[] = [];
/** Run host batching rule `fn` for wasm level `level` (the level whose row it batches). */
export function asBatchRule(level: number, fn: () => void): void {
  batchLevels.push(level);
  try { fn(); } finally { batchLevels.pop(); }
}
/** vmap for a batching rule: its level batches the examples of the level whose row the rule batches (a psum inside counts it as that level). */
export function vmapSameAxis<F extends (...a: NDArray[]) => unknown>(f: F, inAxes: (0 | null)[], outAxes: 0 | null | (0 | null)[]): F {
  const opts: { inAxes: (0 | null)[]; outAxes: 0 | null | (0 | null)[]; [SAME_AXIS]?: number } = { inAxes, outAxes };
  if (batchLevels.length > 0) opts[SAME_AXIS] = batchLevels[batchLevels.length - 1];
  return vmap(f, opts) as unknown as F;
}

/** The fixed point of both: flags for every output of `handle` (carries first), carry k admitted if `admit(k)`. */
function dependents(where: string, handle: number, avIn: readonly Aval[], n: number, flagsIn: readonly boolean[], admit: (k: number) => boolean): boolean[] {
  return onAbstractTape(where, () => {
    const inputs = avIn.map((a) => emit('input', [], [DTYPE_CODE[a.dtype], ...a.shape]));
    const start = tapeLength();
    const outs = run(handle, inputs.map((x) => NDArray.tracer(x)), where).map((o) => o._rowIn(where));
    const cur = flagsIn.slice();
    for (;;) {
      const varies = new Uint8Array(tapeLength());
      inputs.forEach((x, k) => { if (cur[k]) varies[x] = 1; });
      markDependents(varies, start);
      let changed = false;
      for (let k = 0; k < n; k++) {
        if (!cur[k] && varies[outs[k]] && admit(k)) { cur[k] = true; changed = true; }
      }
      if (!changed) return outs.map((o, k) => (k < n ? cur[k] : varies[o] === 1));
    }
  });
}

/**
 * A linearized step: the primal program (its outputs, then the residuals marked `stacked`), the
 * linear program (inputs: the tangents, then every residual in order), and the program computing
 * the other residuals from the invariant inputs alone (or null).
 */
export interface Split { primal: Int32Array; linear: Int32Array; invariant: Int32Array | null; resAvals: Aval[]; stacked: boolean[] }

/**
 * The transpose of the linear map `step` (of lists of inputs of `avals`) applied to cotangents
 * `cts` of its outputs: its rows emitted on placeholders, so they are linear, then transposed
 * directly (not linearized again: a custom_linear row, a customVjp's, is linear but has no JVP,
 * and its transpose is its bwd). Zeros for inputs that no output reads.
 */
export function transposeLinear(where: string, step: (...lists: NDArray[][]) => NDArray[], avals: readonly (readonly Aval[])[], cts: readonly NDArray[]): NDArray[][] {
  const phs = avals.map((list) => list.map((a) => placeholderFor(a)));
  const outs = step(...phs.map((list) => list.map((x) => NDArray.tracer(x)))).map((o) => o._rowIn(where));
  const lin = outs.map((o) => ((rowFlags(o) & LINEAR) !== 0 ? o : -1)); // (an output no input reaches is a constant: no cotangent flows)
  const got = transposeRows(lin, cts.map((c) => c._rowIn(where)), phs.flat());
  let k = 0;
  return avals.map((list) => list.map((a) => { const c = got[k++]; return c >= 0 ? NDArray.tracer(c) : zerosOf(a); }));
}

