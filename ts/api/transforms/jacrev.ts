// jacrev: reverse-mode Jacobian, vmap of the pullback over the standard basis of the outputs
// (one batched pass). Layout as JAX: out.shape ++ in.shape, a tree of trees.
import { NDArray } from '../array.js';
import * as np from '../numpy.js';
import { flatten, unflatten, PyTree } from '../tree.js';
import { scope } from '../../core/trace.js';
import { isInexact } from '../../core/dtype.js';
import { DTypeError, describe } from '../../core/errors.js';
import { readOptions } from '../options.js';
import { materialize, requireFunction, splitAux, maxArgs, derivativeOptions, transformed, checkCallArity } from './trace_args.js';
import { vjpAs } from './vjp.js';
import { vmap } from './vmap.js';
import { basisBlock, jacobianPass } from './basis.js';
import { flatArgs, withLeaves, argTree, checkHolomorphic, JacOptions } from './jacfwd.js';
import type { Fn, JacFn } from './types.js';

/** Options as an object, or JAX's positional form: jacrev(f, argnums, hasAux, holomorphic). */
export function jacrev<F extends Fn, const O extends JacOptions | number | readonly number[] | null | undefined = undefined, const H extends boolean | undefined = undefined>(
  f: F, options?: O, hasAux?: H, holomorphic?: boolean): JacFn<F, O, H> {
  maxArgs('jacrev', arguments.length, 4, "f, argnums, hasAux, holomorphic; JAX's allow_int has no counterpart: integer inputs have no derivative here");
  requireFunction('jacrev', f);
  return transformed(jacrevAs('jacrev', f, derivativeOptions('jacrev', [options, hasAux, holomorphic])), 'jacrev', f) as JacFn<F, O, H>;
}

/** jacrev under the name of the transform the user called (hessian is jacfwd of jacrev): its errors name it. */
export function jacrevAs<F extends Fn>(name: string, f: F, options?: JacOptions): (...args: Parameters<F>) => any {
  requireFunction(name, f);
  const opts = readOptions<JacOptions>(name, options, { argnums: 'any', hasAux: 'boolean', holomorphic: 'boolean' });
  const holomorphic = opts.holomorphic ?? false;
  const argnumsOpt = opts.argnums ?? 0, hasAux = opts.hasAux ?? false;
  return (...args: unknown[]) => scope(() => {
    checkCallArity(name, f, args);
    const fa = flatArgs(name, args, argnumsOpt);
    if (holomorphic) checkHolomorphic(name, true, 'input', fa.leaves);
    let aux: unknown;
    const g = (...ls: NDArray[]) => {
      const out = f(...withLeaves(args, fa, ls));
      if (!hasAux) return out;
      const [o, a] = splitAux(name, out);
      aux = a;
      return o;
    };
    const [out, pullback] = vjpAs(name, g, ...(fa.leaves as any[])); // (its errors name jacrev or hessian, not vjp)
    const [oleaves, odef] = flatten(out as PyTree);
    const outs = oleaves.map((l) => l as NDArray);
    outs.forEach((o, k) => {
      if (!isInexact(o.dtype)) throw new DTypeError(`${name}: output ${k} is ${describe(o._shape, o.dtype)}; ${name} needs float outputs`);
    });
    checkHolomorphic(name, holomorphic, 'output', outs);
    if (outs.length === 0) { // no outputs (undefined, [], {}): an empty Jacobian, as jacfwd's (vmap over no basis said 'vmap(fn): no argument is mapped')
      (pullback as unknown as { dispose(): void }).dispose();
      const empty = unflatten(odef, []);
      return hasAux ? [empty, aux] : empty;
    }
    const offsets: number[] = [];
    let m = 0;
    outs.forEach((o) => { offsets.push(m); m += o.size; });
    // One cotangent per differentiated leaf, each [M, ...in].
    const cts = jacobianPass(name, m, `its outputs (${outs.map((o) => describe(o._shape, o.dtype)).join(', ')})`, m * fa.total, () => {
      const basis = outs.map((o, k) => basisBlock(m, offsets[k], o._shape, o.dtype));
      return vmap((...cs: NDArray[]) => pullback(unflatten(odef, cs) as any))(...basis) as NDArray[];
    });
    // The pullback never escapes and its linear program is now inlined: free it rather than keep
    // a tape per call until the GC finalizes it (never, in a loop that does not yield).
    (pullback as unknown as { dispose(): void }).dispose(); // (kept tapes have dispose; the Pullback type omits it)
    const perLeaf = cts.map((c) => (outs.length === 1 ? [c] : np.split(c, offsets.slice(1), { axis: 0 })));
    const jac = outs.map((o, k) => argTree(fa, typeof argnumsOpt === 'number',
      fa.leaves.map((l, j) => np.reshape(perLeaf[j][k], [...o._shape, ...l._shape]))));
    const result = unflatten(odef, jac);
    return hasAux ? [result, aux] : result;
  }, (out) => materialize(out, name));
}
