// jacfwd: forward-mode Jacobian, vmap of jvp over the standard basis of the inputs (one batched
// pass). Layout as JAX: for each output leaf, out.shape ++ in.shape, as a tree of trees (the
// output's structure outside, the differentiated arguments' inside).
import { NDArray } from '../array.js';
import { asarray } from '../numpy.js';
import * as np from '../numpy.js';
import { flatten, unflatten, leafPath, PyTree, TreeDef } from '../tree.js';
import { scope } from '../../core/trace.js';
import { isComplex, isInexact } from '../../core/dtype.js';
import { DTypeError, NonHolomorphicError, describe } from '../../core/errors.js';
import { readOptions } from '../options.js';
import { materialize, normalizeArgnums, requireFunction, splitAux, maxArgs, derivativeOptions, transformed, checkCallArity } from './trace_args.js';
import { jvpAs } from './jvp.js';
import { vmap } from './vmap.js';
import { basisBlock, jacobianPass } from './basis.js';
import type { Fn, JacFn } from './types.js';

export interface JacOptions { argnums?: number | readonly number[]; hasAux?: boolean; holomorphic?: boolean }

/** The differentiated arguments, flattened: leaves as Arrays with their offsets in one vector. */
export interface FlatArgs {
  argnums: number[];
  defs: TreeDef[];
  leaves: NDArray[];
  offsets: number[];
  total: number;
}

export function flatArgs(where: string, args: unknown[], argnumsOpt: number | readonly number[]): FlatArgs {
  const argnums = normalizeArgnums(where, argnumsOpt as number | number[], args.length);
  const defs: TreeDef[] = [], leaves: NDArray[] = [], offsets: number[] = [];
  let total = 0;
  argnums.forEach((i) => {
    const [ls, def] = flatten(args[i] as PyTree, `${where}: argument ${i}`);
    defs.push(def);
    ls.forEach((l, j) => {
      const a = asarray(l as any, undefined, `${where}: argument ${i}${leafPath(def, j)}`);
      if (!isInexact(a.dtype)) {
        throw new DTypeError(`${where}: argument ${i}${leafPath(def, j)} has dtype ${a.dtype}; ` +
          `differentiation needs float32, float64, complex64 or complex128 inputs, got ${describe(a._shape, a.dtype)}`);
      }
      leaves.push(a); offsets.push(total); total += a.size;
    });
  });
  return { argnums, defs, leaves, offsets, total };
}

/**
 * JAX's dtype rules for the Jacobians: with `holomorphic`, inputs and outputs are all complex;
 * without it, jacfwd refuses complex inputs and jacrev complex outputs (a NonHolomorphicError:
 * one complex number per entry holds the derivative only of a holomorphic function).
 */
export function checkHolomorphic(where: string, holomorphic: boolean, what: 'input' | 'output', xs: NDArray[]): void {
  xs.forEach((x, k) => {
    if (holomorphic && !isComplex(x.dtype)) {
      throw new NonHolomorphicError(`${where}: { holomorphic: true } needs complex ${what}s, got ${what} ${k} ${describe(x._shape, x.dtype)}`);
    }
    if (!holomorphic && isComplex(x.dtype)) {
      throw new NonHolomorphicError(`${where}: ${what} ${k} is ${describe(x._shape, x.dtype)}; ${where} needs real ${what}s unless ` +
        `{ holomorphic: true } (for a holomorphic function); for other complex functions use ${where === 'jacfwd' ? 'jvp' : 'vjp'} directly`);
    }
  });
}

/** args with the differentiated arguments rebuilt from `leaves`. */
export function withLeaves(args: unknown[], fa: FlatArgs, leaves: unknown[]): unknown[] {
  const out = args.slice();
  let k = 0;
  fa.argnums.forEach((i, a) => {
    const n = countOf(fa.defs[a]);
    out[i] = unflatten(fa.defs[a], leaves.slice(k, k + n));
    k += n;
  });
  return out;
}
function countOf(d: TreeDef): number {
  return d.kind === 'leaf' ? 1 : d.kind === 'none' ? 0 : d.children.reduce((n, c) => n + countOf(c), 0);
}

/** Per output leaf, the inner tree: jac blocks for each differentiated leaf arranged as the arguments. */
export function argTree(fa: FlatArgs, single: boolean, blocks: NDArray[]): unknown {
  const perArg: unknown[] = [];
  let k = 0;
  fa.defs.forEach((def) => {
    const n = countOf(def);
    perArg.push(unflatten(def, blocks.slice(k, k + n)));
    k += n;
  });
  return single ? perArg[0] : perArg;
}

/** Options as an object, or JAX's positional form: jacfwd(f, argnums, hasAux, holomorphic). */
export function jacfwd<F extends Fn, const O extends JacOptions | number | readonly number[] | null | undefined = undefined, const H extends boolean | undefined = undefined>(
  f: F, options?: O, hasAux?: H, holomorphic?: boolean): JacFn<F, O, H> {
  maxArgs('jacfwd', arguments.length, 4, "f, argnums, hasAux, holomorphic");
  requireFunction('jacfwd', f);
  return transformed(jacfwdAs('jacfwd', f, derivativeOptions('jacfwd', [options, hasAux, holomorphic])), 'jacfwd', f) as JacFn<F, O, H>;
}

/** jacfwd under the name of the transform the user called (hessian is jacfwd of jacrev): its errors name it. */
export function jacfwdAs<F extends Fn>(name: string, f: F, options?: JacOptions): (...args: Parameters<F>) => any {
  requireFunction(name, f);
  const opts = readOptions<JacOptions>(name, options, { argnums: 'any', hasAux: 'boolean', holomorphic: 'boolean' });
  const holomorphic = opts.holomorphic ?? false;
  const argnumsOpt = opts.argnums ?? 0, hasAux = opts.hasAux ?? false;
  return (...args: unknown[]) => scope(() => {
    checkCallArity(name, f, args);
    const fa = flatArgs(name, args, argnumsOpt);
    checkHolomorphic(name, holomorphic, 'input', fa.leaves);
    let aux: unknown;
    const g = (...ls: NDArray[]) => {
      let out = f(...withLeaves(args, fa, ls));
      if (hasAux) [out, aux] = splitAux(name, out); // aux depends on the primals only: not batched
      // JAX's _check_output_dtype_jacfwd: an integer output has no Jacobian (jacrev says so too)
      const outs = flatten(out as PyTree)[0];
      outs.forEach((leaf, k) => {
        // (a JS boolean leaf is a bool output too: it slipped past as a non-Array and came back as bool zeros, where jacrev refuses it)
        const o = typeof leaf === 'boolean' ? asarray(leaf) : leaf;
        if (o instanceof NDArray && !isInexact(o.dtype)) {
          throw new DTypeError(`${name}: output ${k} is ${describe(o._shape, o.dtype)}; ${name} needs float or complex outputs`);
        }
      });
      // (checked here, per call: the tangents after the vmap carry the basis axis in their shapes)
      if (holomorphic) checkHolomorphic(name, true, 'output', outs.map((o) => (o instanceof NDArray ? o : asarray(o as number))));
      return out;
    };
    if (fa.leaves.length === 0) { // nothing to differentiate (argnums [], or an empty tree): no basis to map over
      const out = g();
      const [outs, odef] = flatten(out as PyTree);
      const result = unflatten(odef, outs.map(() => argTree(fa, typeof argnumsOpt === 'number', [])));
      return hasAux ? [result, aux] : result;
    }
    const tangentsOut = jacobianPass(name, fa.total, `its inputs (${fa.leaves.map((l) => describe(l._shape, l.dtype)).join(', ')})`, null, () => {
      const basis = fa.leaves.map((l, j) => basisBlock(fa.total, fa.offsets[j], l._shape, l.dtype));
      return vmap((...ts: NDArray[]) => jvpAs(name, g, fa.leaves as any, ts as any)[1])(...basis); // (its errors name jacfwd or hessian, not jvp)
    });
    const [touts, tdef] = flatten(tangentsOut as PyTree);
    const jac = touts.map((t) => {
      const T = t as NDArray; // [N, ...out]
      const moved = np.moveaxis(T, 0, -1); // [...out, N]
      const outShape = T._shape.slice(1);
      const pieces = fa.leaves.length === 1 ? [moved] : np.split(moved, fa.offsets.slice(1), { axis: -1 });
      return argTree(fa, typeof argnumsOpt === 'number', pieces.map((p, j) => np.reshape(p, [...outShape, ...fa.leaves[j]._shape])));
    });
    const result = unflatten(tdef, jac);
    return hasAux ? [result, aux] : result;
  }, (out) => materialize(out, name));
}
