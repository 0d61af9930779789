// linearize: the primal output and a function evaluating the JVP at new tangents, from one
// linearization (the linear program is replayed; f is not traced again).
import { scope, inTrace } from '../../core/trace.js';
import { linearizeCall, materialize } from './trace_args.js';
import { LinearProgram, withNesting, checkLeaves } from './linear_program.js';
import { flatten, unflatten, PyTree, TreeDef } from '../tree.js';
import { ValueError } from '../../core/errors.js';

export function linearize(f: (...args: any[]) => any, ...primals: unknown[]): [any, (...tangents: unknown[]) => any] {
  const nested = inTrace();
  return scope(() => {
    const lin = linearizeCall('linearize', f, primals, primals.map((_, i) => i), false);
    const program = withNesting(nested, () =>
      LinearProgram.capture(lin.linear, lin.placeholders, lin.outLeaves, lin.outDef, lin.inputs.infos));
    const defs: TreeDef[] = lin.inputs.defs;
    const jvpFn = (...tangents: unknown[]): any => scope(() => {
      if (tangents.length !== defs.length) throw new ValueError(`linearize: expected ${defs.length} tangent(s), got ${tangents.length}`);
      const treeDef: TreeDef = { kind: 'list', children: defs };
      const leaves = checkLeaves('linearize', tangents as PyTree, treeDef, program.inputs, 'tangent');
      return unflatten(lin.outDef, program.apply(leaves));
    }, materialize);
    return [unflatten(lin.outDef, lin.outLeaves), jvpFn];
  }, materialize);
}
export { flatten };
