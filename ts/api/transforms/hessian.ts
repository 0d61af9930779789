// hessian = jacfwd(jacrev(f)) (JAX's choice: forward over reverse), and hvp, the
// Hessian-vector product as forward over reverse: jvp of grad.
import { jacfwdAs, JacOptions } from './jacfwd.js';
import { jacrevAs } from './jacrev.js';
import { jvpAs } from './jvp.js';
import { gradAs } from './grad.js';
import { requireFunction, maxArgs, derivativeOptions, transformed, callSync } from './trace_args.js';
import { ValueError, ShapeError, describe } from '../../core/errors.js';
import { NDArray } from '../array.js';
import { show } from '../options.js';
import type { Fn, HessFn, Leaves } from './types.js';

/** Options as an object, or JAX's positional form: hessian(f, argnums, hasAux, holomorphic). */
export function hessian<F extends Fn, const O extends JacOptions | number | readonly number[] | null | undefined = undefined, const H extends boolean | undefined = undefined>(
  f: F, options?: O, hasAux?: H, holomorphic?: boolean): HessFn<F, O, H> {
  maxArgs('hessian', arguments.length, 4, 'f, argnums, hasAux, holomorphic');
  requireFunction('hessian', f);
  const o = derivativeOptions('hessian', [options, hasAux, holomorphic]);
  return transformed(jacfwdAs('hessian', jacrevAs('hessian', f, o), o), 'hessian', f) as HessFn<F, O, H>;
}

/** hvp(f)(x, v) = H(x) v for a scalar f of one (pytree) argument, without forming H. */
export function hvp<F extends Fn>(f: F): (x: Parameters<F>[0], v: Parameters<F>[0]) => Leaves<Parameters<F>[0]> {
  // (the result is shaped like x: Leaves of x's type, as grad's; it was any; x and v not loosened: a JS list there is a tree, its result a list)
  maxArgs('hvp', arguments.length, 1, 'f');
  requireFunction('hvp', f);
  const name = `hvp(${f.name || 'fn'})`;
  // grad(f) named grad in hvp's errors ("grad: the function must return a scalar") and offered
  // { hasAux: true }, which hvp does not take: check the scalar here, and name hvp in the rest.
  const scalarF = (y: unknown) => {
    const out = callSync('hvp', 'the function', f, y);
    if (typeof out === 'number' || (out instanceof NDArray && out.ndim === 0)) return out;
    const got = out instanceof NDArray ? describe(out._shape, out.dtype) : show(out);
    throw new ShapeError(`hvp: ${f.name || 'the function'} must return a scalar (shape []), got ${got}; hvp takes no hasAux option: ` +
      'for an f returning [output, aux], pass (x) => f(x)[0]; for a vector-valued f use jvp of vjp');
  };
  const g = gradAs('hvp', scalarF);
  return transformed((...args: unknown[]) => {
    // (JS dropped a third argument, hvp(f)(x, v, { argnums: 1 }), and a missing v read as structure undefined)
    if (args.length > 2) throw new ValueError(`${name}: takes 2 arguments (primals, tangents), got ${args.length}; hvp is for f of one argument: close over the others`);
    if (args.length < 2 || args[1] === undefined) throw new ValueError(`hvp(f)(primals, tangents): tangents missing (${name} got ${args.length} argument${args.length === 1 ? '' : 's'}); pass v, shaped like x, for H(x) v`);
    return jvpAs('hvp', (y: any) => g(y), [args[0]] as any, [args[1]] as any)[1];
  }, 'hvp', f) as (x: Parameters<F>[0], v: Parameters<F>[0]) => Leaves<Parameters<F>[0]>;
}
