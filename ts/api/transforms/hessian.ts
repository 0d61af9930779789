// hessian = jacfwd(jacrev(f)) (JAX's choice: forward over reverse), and hvp, the
// Hessian-vector product as forward over reverse: jvp of grad.
import { jacfwdAs, JacOptions } from './jacfwd.js';
import { jacrevAs } from './jacrev.js';
import { jvpAs } from './jvp.js';
import { grad } from './grad.js';
import { requireFunction, maxArgs, argnumsOrOptions, transformed } from './trace_args.js';
import type { Fn } from './types.js';

export function hessian<F extends Fn>(f: F, options?: JacOptions | number | readonly number[]): (...args: Parameters<F>) => any {
  maxArgs('hessian', arguments.length, 2, 'f, options');
  requireFunction('hessian', f);
  const o = argnumsOrOptions(options);
  return transformed(jacfwdAs('hessian', jacrevAs('hessian', f, o), o), 'hessian', f);
}

/** hvp(f)(x, v) = H(x) v for a scalar f of one (pytree) argument, without forming H. */
export function hvp<F extends Fn>(f: F): (x: Parameters<F>[0], v: Parameters<F>[0]) => any {
  maxArgs('hvp', arguments.length, 1, 'f');
  requireFunction('hvp', f);
  const g = grad(f as any);
  return transformed((x: Parameters<F>[0], v: Parameters<F>[0]) => jvpAs('hvp', (y: any) => g(y), [x] as any, [v] as any)[1], 'hvp', f);
}
