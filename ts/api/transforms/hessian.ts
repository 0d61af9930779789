// hessian = jacfwd(jacrev(f)) (JAX's choice: forward over reverse), and hvp, the
// Hessian-vector product as forward over reverse: jvp of grad.
import { jacfwdAs, JacOptions } from './jacfwd.js';
import { jacrevAs } from './jacrev.js';
import { jvpAs } from './jvp.js';
import { grad } from './grad.js';
import { requireFunction, maxArgs, derivativeOptions, transformed } from './trace_args.js';
import type { Fn } from './types.js';

/** Options as an object, or JAX's positional form: hessian(f, argnums, hasAux, holomorphic). */
export function hessian<F extends Fn>(f: F, options?: JacOptions | number | readonly number[] | null, hasAux?: boolean, holomorphic?: boolean): (...args: Parameters<F>) => any {
  maxArgs('hessian', arguments.length, 4, 'f, argnums, hasAux, holomorphic');
  requireFunction('hessian', f);
  const o = derivativeOptions('hessian', [options, hasAux, holomorphic]);
  return transformed(jacfwdAs('hessian', jacrevAs('hessian', f, o), o), 'hessian', f);
}

/** hvp(f)(x, v) = H(x) v for a scalar f of one (pytree) argument, without forming H. */
export function hvp<F extends Fn>(f: F): (x: Parameters<F>[0], v: Parameters<F>[0]) => any {
  maxArgs('hvp', arguments.length, 1, 'f');
  requireFunction('hvp', f);
  const g = grad(f as any);
  return transformed((x: Parameters<F>[0], v: Parameters<F>[0]) => jvpAs('hvp', (y: any) => g(y), [x] as any, [v] as any)[1], 'hvp', f);
}
