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
import { freezeRows, inlineRows, transposeRows } from '../../core/trace.js';
import { KeptTape } from '../../core/kept_tapes.js';
import { CustomRecord, liveRecords, reviveRecords } from '../../core/custom_calls.js';
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

  /** Evaluate the linear map at tangent leaves (linearize's jvpFn). */
  apply(tangentLeaves: NDArray[]): NDArray[] {
    let outs: number[];
    try {
      outs = this.replay(tangentLeaves.map((t) => t._rowIn('linearize')), 'linearize');
    } catch (e) {
      const staged = this.records.find((r) => r.kind === 'vjp' && r.staged !== undefined && this.records.every((q) => q.kind !== 'vjp' || q.staged !== undefined));
      if (e instanceof NotImplementedError && staged !== undefined) {
        throw new NotImplementedError(`linearize: evaluating the linearization runs ${staged.staged}'s solve forward, which calls the ` +
          "function you gave it, whose closure holds values of linearize's trace, gone once linearize returned (as a vjp pullback " +
          'called after vjp returned); take the derivative inside one transform: jvp, jacfwd, grad', { cause: e });
      }
      const vjpRule = this.records.find((r) => r.kind === 'vjp');
      if (e instanceof NotImplementedError && vjpRule !== undefined) {
        throw new NotImplementedError('linearize: evaluating the linearization runs it forward, which a customVjp function does not ' +
          'define (as in JAX: custom_vjp defines reverse mode only); use vjp/grad, or customJvp', { cause: e });
      }
      throw e;
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
