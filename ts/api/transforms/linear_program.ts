// A linear program captured from a linearization: the staged LINEAR rows the outputs' tangents
// depend on, frozen into a tape in wasm (assembly/ad/freeze.ts) that outlives the trace. vjp
// transposes it and linearize evaluates it, both by inlining it into whatever trace is current,
// so the functions they return work long after the trace that made them (and inside other
// transforms). At top level the primal values it reads (residuals) are baked into the tape, but
// for resident Arrays' blocks, bound to those Arrays at each call; in a
// nested trace they stay rows of the enclosing trace (inputs bound at each call), so the
// enclosing transform differentiates through them.
import { NDArray, borrowedArray } from '../array.js';
import { asarrayHint } from '../numpy.js';
import { flatten, leafPath, sameStructure, show, PyTree, TreeDef } from '../tree.js';
import { freezeRows, inlineRows, transposeRows, tapeLength, LINEAR, VIEW } from '../../core/trace.js';
import { KeptTape } from '../../core/kept_tapes.js';
import { abi, memI32, memoryBuffer, opCode } from '../../core/abi.js';
import { CustomRecord, liveRecords, reviveRecords, findRecord } from '../../core/custom_calls.js';
import { ShapeError, DTypeError, ValueError, InternalError, NotImplementedError, describe } from '../../core/errors.js';
import { LeafInfo, Linearized, placeholderFor, zerosRow } from './trace_args.js';

export class LinearProgram {
  private constructor(
    private tape: KeptTape,
    private residuals: NDArray[],
    private records: CustomRecord[], // the custom rules its rows may call (customVjp's bwd)
    readonly inputs: LeafInfo[],
    readonly outInfos: LeafInfo[],
    readonly outDef: TreeDef,
  ) {}

  /** Capture from the current trace. `nested`: the linearization runs inside an enclosing trace. */
  static capture(lin: Linearized, nested: boolean): LinearProgram {
    // At top level a residual that is a resident Array's block (a closed-over weight, the input
    // itself) is bound to that Array at each call, not baked (one copy per pullback before).
    const { handle, residuals } = freezeRows(lin.placeholders, lin.linear, nested ? true : 'host');
    const outInfos = lin.outLeaves.map((l) => ({ shape: l._shape, dtype: l.dtype }));
    const bound = residuals.map((r) => {
      if (nested) return NDArray.tracer(r);
      const a = borrowedArray(r);
      if (a === undefined) throw new InternalError(`vjp: residual row ${r} borrows no Array's block`);
      a._heldByProgram = true;
      return a;
    });
    return new LinearProgram(new KeptTape(handle), bound, liveRecords(), lin.inputs.infos, outInfos, lin.outDef);
  }

  /** The function handed to the user, which owns this program (a cycle through its closure only). */
  private owner: object | undefined;

  /** Release the tape when `fn` (the function handed to the user) is garbage-collected. */
  ownedBy(fn: object): void { this.owner = fn; this.tape.ownedBy(fn); }
  dispose(): void { this.tape.dispose(); }

  /** Inline with the inputs bound to `inputRows`; returns each output's row (-1: zero). */
  private replay(inputRows: number[], where: string): number[] {
    const res = this.residuals.map((r) => r._rowIn(where));
    if (this.records.length > 0) reviveRecords(this.records);
    return inlineRows(this.tape.handle(where, this.owner), [...inputRows, ...res], where);
  }

  /**
   * Evaluate the linear map at tangent leaves (linearize's jvpFn). A customVjp call's (or a staged
   * customLinearSolve's) custom_linear row has no forward evaluation: eagerly its kernel fails as
   * it is inlined; under jit or inside a loop row's body it would fail only when the program runs
   * (with the generic code-10 message, or not at all for a branch not taken), so the inlined rows
   * are checked here, and both refuse with the same message naming the function.
   */
  apply(tangentLeaves: NDArray[]): NDArray[] {
    let outs: number[];
    const start = tapeLength(), vjpRules = this.records.some((r) => r.kind === 'vjp');
    try {
      outs = this.replay(tangentLeaves.map((t) => t._rowIn('linearize')), 'linearize');
    } catch (e) {
      if (e instanceof NotImplementedError && vjpRules) {
        const rec = forwardCustomLinear(start, tapeLength()) ?? this.records.find((r) => r.kind === 'vjp' && r.staged === undefined) ?? this.records.find((r) => r.kind === 'vjp')!;
        throw forwardRefusal(rec, e);
      }
      throw e;
    }
    if (vjpRules) {
      const rec = forwardCustomLinear(start, tapeLength());
      if (rec !== undefined) throw forwardRefusal(rec);
    }
    return outs.map((r, k) => NDArray.tracer(r >= 0 ? r : zerosRow(this.outInfos[k])));
  }

  /**
   * Transpose at a cotangent tree shaped like the outputs (vjp's vjpFn); one leaf per input.
   * `topLevel`: no enclosing trace will read the rows (their dead buffers are reused).
   */
  transpose(ct: unknown, topLevel = false): NDArray[] {
    const cts = checkLeaves('vjp', ct, this.outDef, this.outInfos, 'cotangent');
    const ph = this.inputs.map(placeholderFor);
    const outs = this.replay(ph, 'vjp');
    const res = transposeRows(outs, cts.map((c) => c._rowIn('vjp')), ph, topLevel);
    return res.map((r, k) => NDArray.tracer(r >= 0 ? r : zerosRow(this.inputs[k])));
  }
}

/** linearize's refusal to run a custom_linear row forward, naming the function that made it. */
function forwardRefusal(rec: CustomRecord, cause?: unknown): NotImplementedError {
  if (rec.staged !== undefined) {
    return new NotImplementedError(`linearize: evaluating the linearization runs ${rec.staged}'s solve forward, which it stages for ` +
      "reverse mode only (the staged solve has a transpose rule, no forward evaluation: it would call the function you gave it, whose " +
      "closure holds values of linearize's trace); for forward mode use jvp or jacfwd, which differentiate the solve directly, or vjp/grad",
      { cause });
  }
  return new NotImplementedError(`linearize: evaluating the linearization runs ${rec.where ?? 'a customVjp function'} forward, which a ` +
    'customVjp function does not define (as in JAX: custom_vjp defines reverse mode only); use vjp/grad/jacrev, or customJvp for a ' +
    'rule that works in both modes', { cause });
}

/**
 * The record of a custom_linear row that running rows [start, end) of the current tape would
 * evaluate: one not staged (LINEAR), or one anywhere in the sub-programs of a control row
 * (while, scan, cond, checkpoint) that is not staged, since running the row runs them. Views
 * (vmap) are skipped: their batch rows are in the range too.
 */
function forwardCustomLinear(start: number, end: number): CustomRecord | undefined {
  const e = abi(), home = e.tape_current();
  const ops = { lin: opCode('custom_linear'), wh: opCode('while'), sc: opCode('scan'), co: opCode('cond'), ck: opCode('checkpoint') };
  const visit = (from: number, to: number, top: boolean): number => {
    for (let r = from; r < to; r++) {
      const op = e.row_op(r);
      if (op !== ops.lin && op !== ops.wh && op !== ops.sc && op !== ops.co && op !== ops.ck) continue;
      if (top && (e.row_flags(r) & (LINEAR | VIEW)) !== 0) continue;
      const pb = e.row_params(r) >>> 2, np = e.row_nparams(r);
      const p = memI32().slice(pb, pb + np);
      if (op === ops.lin) return p[0];
      for (const words of subBlocks(op === ops.wh ? 'while' : op === ops.sc ? 'scan' : 'cond', p)) {
        const id = inBlock(words);
        if (id >= 0) return id;
      }
    }
    return -1;
  };
  const inBlock = (words: Int32Array): number => {
    const q = e.alloc(words.byteLength);
    if (q === 0) { e.clear_error(); return -1; }
    new Int32Array(memoryBuffer(), q, words.length).set(words);
    const h = e.tape_load(q);
    if (h === 0) { e.free(q); e.clear_error(); return -1; }
    const prev = e.tape_current();
    e.tape_select(h);
    try { return visit(0, e.tape_len(), false); } finally { e.tape_select(prev); e.tape_free(h); }
  };
  let id: number;
  try { id = visit(start, end, true); } finally { e.tape_select(home); }
  return id >= 0 ? findRecord(id) ?? { id, kind: 'vjp', run: () => {} } : undefined;
}

/** The frozen sub-programs' words in a control row's params (assembly/ad/rules/control.ts; checkpoint's are cond's). */
function subBlocks(op: 'while' | 'scan' | 'cond', p: Int32Array): Int32Array[] {
  if (op === 'while') return [p.slice(5, 5 + p[3]), p.slice(5 + p[3], 5 + p[3] + p[4])];
  if (op === 'scan') return [p.slice(6, 6 + p[5])];
  const nb = p[0], out: Int32Array[] = [];
  let w = 2 + 2 * nb;
  for (let b = 0; b < nb; b++) { out.push(p.slice(w, w + p[2 + nb + b])); w += p[2 + nb + b]; }
  return out;
}

/** Validate a tree of tangents/cotangents against the expected leaves; JS numbers are weak. */
export function checkLeaves(where: string, tree: unknown, def: TreeDef, infos: LeafInfo[], what: string): NDArray[] {
  const [ls, d] = flatten(tree as PyTree);
  if (!sameStructure(d, def)) throw new ValueError(`${where}: ${what} has structure ${show(d)}, expected ${show(def)}`);
  return ls.map((l, k) => {
    const info = infos[k];
    const a = asarrayHint(l as any, info.dtype);
    const at = ls.length > 1 ? `${what}${leafPath(def, k) || ` ${k}`}` : what; // e.g. "cotangent.v[0]"
    if (a._shape.length !== info.shape.length || a._shape.some((x, i) => x !== info.shape[i])) {
      throw new ShapeError(`${where}: ${at} has shape ${describe(a._shape, a.dtype)}, expected ${describe(info.shape, info.dtype)}`);
    }
    if (a.dtype !== info.dtype) throw new DTypeError(`${where}: ${at} has dtype ${a.dtype}, expected ${info.dtype}`);
    return a;
  });
}

const DISPOSE: symbol | undefined = (Symbol as { dispose?: symbol }).dispose;

/** A function that owns `program`: freed with it by the GC, or at once by its `dispose()`. */
export type Disposable<F> = F & { dispose(): void };
export function keep<F extends (...a: any[]) => any>(program: LinearProgram, fn: F): Disposable<F> {
  const out = fn as Disposable<F>;
  out.dispose = () => program.dispose();
  if (DISPOSE) (out as any)[DISPOSE] = out.dispose; // `using` where the runtime has it
  program.ownedBy(out);
  return out;
}
