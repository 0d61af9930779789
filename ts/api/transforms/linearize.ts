// linearize: the primal output and a function evaluating the JVP at new tangents, from one
// linearization (the linear program is replayed; f is not traced again).
import { scope, inTrace } from '../../core/trace.js';
import { linearizeCall, materialize, requireFunction, requireLeaves, refuseOptionsPrimal, checkCallArity } from './trace_args.js';
import { LinearProgram, checkLeaves, keep } from './linear_program.js';
import { unflatten, PyTree, TreeDef } from '../tree.js';
import { ValueError } from '../../core/errors.js';
import type { AuxOf, Fn, JvpFn, Leaves, Loosen, MainOut, OutOf } from './types.js';

export function linearize<F extends Fn>(f: F, ...primals: Loosen<Parameters<F>>): [OutOf<F>, JvpFn<F>] {
  return linearizeWith('linearize', f, primals, false) as [OutOf<F>, JvpFn<F>];
}

/**
 * linearize of a function returning [output, aux] (JAX's linearize(..., has_aux=True)):
 * [output, jvpFn, aux], jvpFn giving the output's tangent only (as vjpWithAux's pullback).
 */
export function linearizeWithAux<F extends Fn>(f: F, ...primals: Loosen<Parameters<F>>):
  [Leaves<MainOut<F>>, (...tangents: Loosen<Parameters<F>>) => Leaves<MainOut<F>>, AuxOf<F>] {
  return linearizeWith('linearizeWithAux', f, primals, true) as any;
}

function linearizeWith(name: string, f: (...args: any[]) => any, primals: unknown[], hasAux: boolean): unknown[] {
  requireFunction(name, f);
  checkCallArity(name, f, primals); // (first: past f's parameters, its message names them)
  refuseOptionsPrimal(name, primals);
  const nested = inTrace();
  return scope(() => {
    const lin = linearizeCall(name, f, primals, primals.map((_: unknown, i: number) => i), hasAux);
    const program = LinearProgram.capture(lin, nested);
    const defs: TreeDef[] = lin.inputs.defs;
    const jvpFn = keep(program, (...tangents: unknown[]): any => scope(() => {
      if (tangents.length !== defs.length) throw new ValueError(`${name}: expected ${defs.length} tangent(s), got ${tangents.length}`);
      requireLeaves(name, 'tangent', tangents);
      const leaves = checkLeaves(name, tangents as PyTree, { kind: 'list', children: defs }, program.inputs, 'tangent');
      return unflatten(lin.outDef, program.apply(leaves));
    }, (out) => materialize(out, name)));
    const out = unflatten(lin.outDef, lin.outLeaves);
    return hasAux ? [out, jvpFn, lin.aux] : [out, jvpFn];
  }, (out) => materialize(out, name));
}
