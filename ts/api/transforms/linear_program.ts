// A linear program captured from a linearization: the staged LINEAR rows reachable from the
// outputs' tangents, with the primal values they read (residuals). vjp transposes it and
// linearize evaluates it, both by replaying it into whatever trace is current, so the functions
// they return work long after the trace that made them (and inside other transforms).
import { NDArray } from '../array.js';
import { asarray } from '../numpy.js';
import { flatten, sameStructure, show, PyTree, TreeDef } from '../tree.js';
import { emit, rowFlags, rowOp, rowOperands, rowParams, LINEAR, transposeRows } from '../../core/trace.js';
import { ShapeError, DTypeError, ValueError, describe } from '../../core/errors.js';
import { LeafInfo, Linearized, placeholderFor, zerosRow } from './trace_args.js';

type Ref = { kind: 'in' | 'lin' | 'res'; index: number };
interface Row { op: string; operands: Ref[]; params: Int32Array }

export class LinearProgram {
  private constructor(
    private rows: Row[],
    private residuals: NDArray[],
    private outputs: (Ref | null)[],
    readonly inputs: LeafInfo[],
    readonly outInfos: LeafInfo[],
    readonly outDef: TreeDef,
  ) {}

  /**
   * Capture from the current trace. `nested`: the linearization runs inside an enclosing trace,
   * so residuals stay its rows (differentiable by it); at top level they are copied out.
   */
  static capture(lin: Linearized, nested: boolean): LinearProgram {
    const { linear, placeholders, outLeaves, outDef } = lin;
    const visited = new Set<number>();
    const stack = linear.filter((r) => r >= 0);
    while (stack.length > 0) {
      const r = stack.pop()!;
      if (visited.has(r) || rowOp(r) === 'placeholder') continue;
      visited.add(r);
      for (const x of rowOperands(r)) if (rowFlags(x) & LINEAR) stack.push(x);
    }
    const order = [...visited].sort((a, b) => a - b);
    const linIndex = new Map(order.map((r, i) => [r, i]));
    const inIndex = new Map(placeholders.map((r, i) => [r, i]));
    const resIndex = new Map<number, number>();
    const residuals: NDArray[] = [];
    const ref = (x: number): Ref => {
      if (inIndex.has(x)) return { kind: 'in', index: inIndex.get(x)! };
      if (linIndex.has(x)) return { kind: 'lin', index: linIndex.get(x)! };
      if (rowFlags(x) & LINEAR) throw new ValueError('linearize: a linear value from another linearization leaked into this one');
      if (!resIndex.has(x)) {
        resIndex.set(x, residuals.length);
        const t = NDArray.tracer(x);
        residuals.push(nested ? t : t._concrete());
      }
      return { kind: 'res', index: resIndex.get(x)! };
    };
    const rows = order.map((r) => ({ op: rowOp(r), operands: rowOperands(r).map(ref), params: rowParams(r) }));
    const outputs = linear.map((r) => (r >= 0 ? ref(r) : null));
    const outInfos = outLeaves.map((l) => ({ shape: l.shape, dtype: l.dtype }));
    return new LinearProgram(rows, residuals, outputs, lin.inputs.infos, outInfos, outDef);
  }

  /** Replay with the inputs bound to `inputRows`; returns each output's row (-1: zero). */
  private replay(inputRows: number[]): number[] {
    const res = this.residuals.map((r) => r._rowIn('linear function'));
    const lin: number[] = [];
    const row = (r: Ref): number => (r.kind === 'in' ? inputRows[r.index] : r.kind === 'lin' ? lin[r.index] : res[r.index]);
    for (const r of this.rows) lin.push(emit(r.op, r.operands.map(row), r.params));
    return this.outputs.map((o) => (o ? row(o) : -1));
  }

  /** Evaluate the linear map at tangent leaves (linearize's jvpFn). */
  apply(tangentLeaves: NDArray[]): NDArray[] {
    const outs = this.replay(tangentLeaves.map((t) => t._rowIn('linearize')));
    return outs.map((r, k) => NDArray.tracer(r >= 0 ? r : zerosRow(this.outInfos[k])));
  }

  /** Transpose at a cotangent tree shaped like the outputs (vjp's vjpFn); one leaf per input. */
  transpose(ct: unknown): NDArray[] {
    const cts = checkLeaves('vjp', ct, this.outDef, this.outInfos, 'cotangent');
    const ph = this.inputs.map(placeholderFor);
    const outs = this.replay(ph);
    const res = transposeRows(outs, cts.map((c) => c._rowIn('vjp')), ph);
    return res.map((r, k) => NDArray.tracer(r >= 0 ? r : zerosRow(this.inputs[k])));
  }
}

/** Validate a tree of tangents/cotangents against the expected leaves; JS numbers are weak. */
export function checkLeaves(where: string, tree: unknown, def: TreeDef, infos: LeafInfo[], what: string): NDArray[] {
  const [ls, d] = flatten(tree as PyTree);
  if (!sameStructure(d, def)) throw new ValueError(`${where}: ${what} has structure ${show(d)}, expected ${show(def)}`);
  return ls.map((l, k) => {
    const info = infos[k];
    const a = asarray(l as any, info.dtype);
    if (a.shape.length !== info.shape.length || a.shape.some((x, i) => x !== info.shape[i])) {
      throw new ShapeError(`${where}: ${what} ${k} has shape ${describe(a.shape, a.dtype)}, expected ${describe(info.shape, info.dtype)}`);
    }
    if (a.dtype !== info.dtype) throw new DTypeError(`${where}: ${what} ${k} has dtype ${a.dtype}, expected ${info.dtype}`);
    return a;
  });
}

