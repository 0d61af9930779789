// vjp: linearize f at the primals, capture the linear program, and return a function that
// transposes it at any cotangent.
import { ValueError } from '../../core/errors.js';
import { scope, inTrace } from '../../core/trace.js';
import { linearizeCall, materialize, perArgument, requireFunction, requireLeaves, refuseOptionsPrimal, checkCallArity } from './trace_args.js';
import { LinearProgram, keep } from './linear_program.js';
import { unflatten } from '../tree.js';
import type { AuxOf, Fn, Leaves, Loosen, MainOut, OutOf, Pullback } from './types.js';

export interface VjpOptions { hasAux?: boolean }

export function vjp<F extends Fn>(f: F, ...primals: Loosen<Parameters<F>>): [OutOf<F>, Pullback<F>] {
  return vjpWithOptions(f, primals, {});
}

/** vjp under the name of the operator the user called (gnvp pulls back through f): its errors name it. */
export function vjpAs<F extends Fn>(name: string, f: F, ...primals: Loosen<Parameters<F>>): [OutOf<F>, Pullback<F>] {
  return vjpWithOptions(f, primals, {}, name);
}

/** vjp with JAX's has_aux: returns [out, vjpFn, aux]. */
export function vjpWithAux<F extends Fn>(f: F, ...primals: Loosen<Parameters<F>>):
  [Leaves<MainOut<F>>, Pullback<F, MainOut<F>>, AuxOf<F>] {
  return vjpWithOptions(f, primals, { hasAux: true }, 'vjpWithAux') as any;
}

function vjpWithOptions(f: (...args: any[]) => any, primals: unknown[], opts: VjpOptions, name = 'vjp'): any {
  requireFunction(name, f);
  checkCallArity(name, f, primals); // (first: past f's parameters, its message names them)
  refuseOptionsPrimal(name, primals);
  const nested = inTrace();
  return scope(() => {
    const lin = linearizeCall(name, f, primals, primals.map((_, i) => i), opts.hasAux ?? false);
    const program = LinearProgram.capture(lin, nested);
    const vjpFn = keep(program, function (this: unknown, ct: unknown): any[] {
      // one cotangent, shaped like the output (JAX's pullback takes exactly one); cts.map(pullback)
      // passes map's (value, index, list): the value alone is meant
      const n = arguments.length, mapped = n === 3 && typeof arguments[1] === 'number' && Array.isArray(arguments[2]) && arguments[2][arguments[1]] === ct;
      if (n !== 1 && !mapped) throw new ValueError(`${name}: the pullback takes one cotangent, shaped like f's output (a list or object for several outputs), got ${n} arguments`);
      requireLeaves('vjp', 'cotangent', ct);
      const topLevel = !inTrace();
      return scope(() => perArgument(lin.inputs, program.transpose(ct, topLevel)), (out) => materialize(out, name));
    });
    const out = unflatten(lin.outDef, lin.outLeaves);
    return opts.hasAux ? [out, vjpFn, lin.aux] : [out, vjpFn];
  }, (out) => materialize(out, name));
}
