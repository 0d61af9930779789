// linearize: the primal output and a function evaluating the JVP at new tangents, from one
// linearization (the linear program is replayed; f is not traced again).
import { scope, inTrace } from '../../core/trace.js';
import { linearizeCall, materialize, requireFunction, requireLeaves } from './trace_args.js';
import { LinearProgram, checkLeaves, keep } from './linear_program.js';
import { unflatten, PyTree, TreeDef } from '../tree.js';
import { ValueError } from '../../core/errors.js';
import type { Fn, JvpFn, Loosen, OutOf } from './types.js';

export function linearize<F extends Fn>(f: F, ...primals: Loosen<Parameters<F>>): [OutOf<F>, JvpFn<F>] {
  requireFunction('linearize', f);
  const nested = inTrace();
  return scope(() => {
    const lin = linearizeCall('linearize', f, primals, primals.map((_: unknown, i: number) => i), false);
    const program = LinearProgram.capture(lin, nested);
    const defs: TreeDef[] = lin.inputs.defs;
    const jvpFn = keep(program, (...tangents: unknown[]): any => scope(() => {
      if (tangents.length !== defs.length) throw new ValueError(`linearize: expected ${defs.length} tangent(s), got ${tangents.length}`);
      requireLeaves('linearize', 'tangent', tangents);
      const leaves = checkLeaves('linearize', tangents as PyTree, { kind: 'list', children: defs }, program.inputs, 'tangent');
      return unflatten(lin.outDef, program.apply(leaves));
    }, materialize));
    return [unflatten(lin.outDef, lin.outLeaves), jvpFn] as [OutOf<F>, JvpFn<F>];
  }, materialize);
}
