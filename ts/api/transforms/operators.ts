// Derivative operators (roadmap step 9) built from jvp, grad, vjp and vmap: the diagonal and
// trace of a square Jacobian (divergence), of a Hessian (laplacian), and the Gauss-Newton
// product. Each exact one is jacfwd's single batched pass (vmap of jvp over the standard basis)
// that keeps only the diagonal; never n separate passes. No pass computes the diagonal alone:
// none exists for a general f (jax-ml/jax#3022), so the figure that matters is one pass, not n.
import { NDArray } from '../array.js';
import * as np from '../numpy.js';
import { flatten, unflatten, show, sameStructure, leafPath, PyTree } from '../tree.js';
import { scope } from '../../core/trace.js';
import { type DType, isInexact, isComplex } from '../../core/dtype.js';
import { DTypeError, ShapeError, ValueError, NonHolomorphicError, describe } from '../../core/errors.js';
import { readOptions, show as showValue } from '../options.js';
import { materialize, requireFunction, maxArgs, transformed, checkCallArity, callSync } from './trace_args.js';
import { flatArgs, withLeaves, FlatArgs } from './jacfwd.js';
import { basisBlock, jacobianPass } from './basis.js';
import { jvpAs } from './jvp.js';
import { gradAs } from './grad.js';
import { vjpAs } from './vjp.js';
import { vmap } from './vmap.js';
import type { ArgIndex, Fn, GradOf, Leaves, Loosen } from './types.js';

/** Which argument the operator differentiates: one, as an integer (JAX's argnums; negative counts from the end). */
export interface OperatorOptions<A extends number = number> { argnums?: A }

export function readArgnum(name: string, options: unknown): number {
  const o = readOptions<OperatorOptions>(name, typeof options === 'number' ? { argnums: options } : options, { argnums: 'any' });
  const a = o.argnums ?? 0;
  if (!Number.isInteger(a)) {
    throw new ValueError(`${name}: argnums must be one integer (the argument differentiated), got ${showValue(a)}`);
  }
  return a;
}

/**
 * jacfwd's complex check, without its hint: these operators take no { holomorphic } option
 * (divergence(f)(complex128 x) said "needs real inputs unless { holomorphic: true }", an option it refused).
 */
function realOnly(name: string, what: 'input' | 'output', xs: NDArray[]): void {
  xs.forEach((x, k) => {
    if (isComplex(x.dtype)) {
      const full = name === 'laplacian' || name === 'hessianDiagonal' ? 'hessian' : 'jacfwd';
      throw new NonHolomorphicError(`${name}: ${what} ${k} is ${describe(x._shape, x.dtype)}; ${name} needs real ${what}s (it takes no ` +
        `holomorphic option); for a holomorphic function take the diagonal of ${full}(f, { holomorphic: true }), for others use jvp or vjp directly`);
    }
  });
}

/**
 * f for laplacian and hessianDiagonal, whose output is checked to be a scalar here: grad's own
 * check would offer { hasAux: true }, which these operators do not take.
 */
function scalarOf(name: string, f: Fn): Fn {
  return (...a: unknown[]) => {
    checkCallArity(name, f, a);
    const out = callSync(name, 'the function', f, ...a);
    if (out instanceof NDArray && out.ndim === 0) realOnly(name, 'output', [out]); // (grad's message would offer { holomorphic: true })
    if (typeof out === 'number' || (out instanceof NDArray && out.ndim === 0)) return out;
    const [ls, def] = flatten(out as PyTree);
    const shapes = ls.map((l) => (l instanceof NDArray ? describe(l._shape, l.dtype) : showValue(l))).join(', ');
    const got = def.kind === 'leaf' ? shapes : def.kind === 'list' || def.kind === 'dict'
      ? `${def.kind === 'list' ? 'a list' : 'an object'} holding ${ls.length === 0 ? 'no array' : `${ls.length} (${shapes})`}` : showValue(out);
    throw new ShapeError(`${name}: ${f.name || 'the function'} must return a real scalar (shape []), got ${got}; ${name} takes no ` +
      'hasAux option: for an f returning [output, aux], pass (...a) => f(...a)[0]');
  };
}

/** f at args with argument `argnum` flattened to one vector of fa.total entries, f checked to map it to the same tree and shapes. */
export interface SquareMap {
  fa: FlatArgs;
  dtype: DType; // the probes' dtype: float64 when any leaf is
  /** Rows J v_i for the rows v_i of V [m, n]: one vmap of jvp over them. */
  push(V: NDArray): NDArray;
  /** The dtypes of f's output leaves, known once push has run (the flat rows are in their promoted dtype). */
  outDtypes: DType[];
}

export function squareMap(name: string, f: Fn, args: unknown[], argnum: number): SquareMap {
  checkCallArity(name, f, args);
  const fa = flatArgs(name, args, argnum);
  realOnly(name, 'input', fa.leaves); // (one complex entry cannot hold the derivative of a non-holomorphic map)
  const k = fa.argnums[0];
  const where = (j: number) => `argument ${k}${leafPath(fa.defs[0], j)}`;
  const g = (...ls: NDArray[]) => {
    const out = callSync(name, 'the function', f, ...withLeaves(args, fa, ls));
    const [outs, odef] = flatten(out as PyTree);
    // divergence is a trace: it needs J square, output i beside input i (JAX would need the same to take jnp.trace of jacfwd)
    if (!sameStructure(odef, fa.defs[0])) {
      throw new ShapeError(`${name}: ${f.name || 'f'} must map its argument ${k} to the same shapes (R^n -> R^n); argument ${k} is ` +
        `${show(fa.defs[0])}, the output is ${show(odef)}`);
    }
    outs.forEach((o, j) => {
      const a = o instanceof NDArray ? o : np.asarray(o as number);
      const x = fa.leaves[j];
      if (a._shape.length !== x._shape.length || a._shape.some((d, i) => d !== x._shape[i])) {
        throw new ShapeError(`${name}: ${f.name || 'f'} must map its argument ${k} to the same shapes (R^n -> R^n); ` +
          `${where(j)} is ${describe(x._shape, x.dtype)} but ${f.name || 'f'} returned ${describe(a._shape, a.dtype)}${fa.leaves.length > 1 ? ` for it` : ''}`);
      }
      if (!isInexact(a.dtype)) throw new DTypeError(`${name}: output ${j} is ${describe(a._shape, a.dtype)}; ${name} needs float outputs`);
    });
    realOnly(name, 'output', outs.map((o) => (o instanceof NDArray ? o : np.asarray(o as number))));
    outDtypes.splice(0, outDtypes.length, ...outs.map((o) => (o instanceof NDArray ? o.dtype : np.asarray(o as number).dtype)));
    return out;
  };
  const outDtypes: DType[] = [];
  const dtype: DType = fa.leaves.some((l) => l.dtype === 'float64') ? 'float64' : 'float32';
  const cuts = fa.offsets.slice(1);
  const push = (V: NDArray) => vmap((v: NDArray) => {
    const pieces = fa.leaves.length === 1 ? [v] : np.split(v, cuts);
    const tangents = pieces.map((p, j) => np.astype(np.reshape(p, fa.leaves[j]._shape), fa.leaves[j].dtype));
    const t = jvpAs(name, g, fa.leaves as any, tangents as any)[1];
    const touts = flatten(t as PyTree)[0] as NDArray[];
    return touts.length === 1 ? np.reshape(touts[0], [-1]) : np.concatenate(touts.map((o) => np.reshape(o, [-1])));
  })(V);
  return { fa, dtype, push, outDtypes };
}

/** The Jacobian's diagonal as one flat vector: row i of the pushed basis is J e_i, its entry i is J_ii. */
function flatDiagonal(name: string, m: SquareMap): NDArray {
  const n = m.fa.total;
  if (n === 0) return np.zeros([0], { dtype: m.dtype });
  const what = `argument ${m.fa.argnums[0]} (${m.fa.leaves.map((l) => describe(l._shape, l.dtype)).join(', ')})`;
  return jacobianPass(name, n, what, n * n, () => np.diagonal(m.push(basisBlock(n, 0, [n], m.dtype))));
}

function divergenceAs(name: string, f: Fn, argnum: number): (...args: any[]) => NDArray {
  return (...args: unknown[]) => scope(() => np.sum(flatDiagonal(name, squareMap(name, f, args, argnum))), (out) => materialize(out, name));
}

function jacobianDiagonalAs(name: string, f: Fn, argnum: number): (...args: any[]) => any {
  return (...args: unknown[]) => scope(() => {
    const m = squareMap(name, f, args, argnum);
    const d = flatDiagonal(name, m);
    // (an argument with no leaves, null or [], gives its own empty tree back: split would give one piece)
    const pieces = m.fa.leaves.length === 1 ? [d] : m.fa.leaves.length === 0 ? [] : np.split(d, m.fa.offsets.slice(1));
    // (each piece in its output leaf's dtype, as jacfwd's blocks: the flat diagonal is the leaves'
    // promoted dtype, so a float32 leaf beside a float64 one came back float64)
    return unflatten(m.fa.defs[0], pieces.map((p, j) => {
      const r = np.reshape(p, m.fa.leaves[j]._shape), dt = m.outDtypes[j];
      return dt !== undefined && dt !== r.dtype ? np.astype(r, dt) : r;
    }));
  }, (out) => materialize(out, name));
}

/**
 * divergence(f)(...args) = tr(∂f/∂x), x = args[argnums] (default 0): the sum of ∂f_i/∂x_i.
 * f maps x to the same shapes (a pytree x to the same tree); the trace runs over every entry.
 * One vmapped jvp over the basis of x (jacfwd's cost, without forming the Jacobian's layout).
 */
export function divergence<F extends Fn, const A extends ArgIndex<Parameters<F>> = 0>(f: F, options?: OperatorOptions<A> | A): (...args: Loosen<Parameters<F>>) => NDArray {
  maxArgs('divergence', arguments.length, 2, 'f, options');
  requireFunction('divergence', f);
  return transformed(divergenceAs('divergence', f, readArgnum('divergence', options)), 'divergence', f) as any;
}

/** jacobianDiagonal(f)(...args): ∂f_i/∂x_i shaped like x = args[argnums] (a tree for a tree). f as for divergence. */
export function jacobianDiagonal<F extends Fn, const A extends ArgIndex<Parameters<F>> = 0>(f: F, options?: OperatorOptions<A> | A): (...args: Loosen<Parameters<F>>) => GradOf<Parameters<F>, A> {
  maxArgs('jacobianDiagonal', arguments.length, 2, 'f, options');
  requireFunction('jacobianDiagonal', f);
  return transformed(jacobianDiagonalAs('jacobianDiagonal', f, readArgnum('jacobianDiagonal', options)), 'jacobianDiagonal', f) as any;
}

/** laplacian(f)(...args) = Σ ∂²f/∂x_i², x = args[argnums], for a real scalar f: the divergence of grad(f), one vmapped jvp of grad. */
export function laplacian<F extends Fn, const A extends ArgIndex<Parameters<F>> = 0>(f: F, options?: OperatorOptions<A> | A): (...args: Loosen<Parameters<F>>) => NDArray {
  maxArgs('laplacian', arguments.length, 2, 'f, options');
  requireFunction('laplacian', f);
  const a = readArgnum('laplacian', options);
  return transformed(divergenceAs('laplacian', gradAs('laplacian', scalarOf('laplacian', f), { argnums: a }), a), 'laplacian', f) as any;
}

/** hessianDiagonal(f)(...args): ∂²f/∂x_i² shaped like x = args[argnums], for a real scalar f (the diagonal of hessian(f), one pass). */
export function hessianDiagonal<F extends Fn, const A extends ArgIndex<Parameters<F>> = 0>(f: F, options?: OperatorOptions<A> | A): (...args: Loosen<Parameters<F>>) => GradOf<Parameters<F>, A> {
  maxArgs('hessianDiagonal', arguments.length, 2, 'f, options');
  requireFunction('hessianDiagonal', f);
  const a = readArgnum('hessianDiagonal', options);
  return transformed(jacobianDiagonalAs('hessianDiagonal', gradAs('hessianDiagonal', scalarOf('hessianDiagonal', f), { argnums: a }), a), 'hessianDiagonal', f) as any;
}

/**
 * gnvp(f, loss)(x, v) = Jᵀ H J v, the generalized Gauss-Newton matrix of loss(f(x)) times v
 * (Schraudolph 2002; Martens 2010): J = ∂f/∂x at x, H = ∇² loss at z = f(x). f maps x (any
 * pytree) to z (any pytree), loss maps z to a real scalar; v and the result are shaped like x.
 * Data go in by closure, as with hvp. J v by jvp, H (J v) by jvp of grad(loss), Jᵀ(...) by vjp:
 * f runs twice (forward and reverse), and neither J nor H is formed. With loss(z) = |z - t|²/2,
 * H = I and this is the Gauss-Newton product Jᵀ J v.
 */
export function gnvp<F extends Fn>(f: F, loss: (z: any) => any): (x: Loosen<Parameters<F>>[0], v: Loosen<Parameters<F>>[0]) => Leaves<Parameters<F>[0]> {
  maxArgs('gnvp', arguments.length, 2, 'f, loss');
  requireFunction('gnvp', f);
  requireFunction('gnvp', loss);
  const scalarLoss = (z: unknown) => {
    const l = callSync('gnvp', 'loss', loss, z);
    const a = l instanceof NDArray ? l : typeof l === 'number' ? null : undefined;
    if (a === undefined || (a !== null && a.ndim !== 0)) {
      const got = a instanceof NDArray ? describe(a._shape, a.dtype) : showValue(l);
      throw new ShapeError(`gnvp: loss must return a real scalar (shape []), got ${got}`);
    }
    return l;
  };
  const gradLoss = gradAs('gnvp', scalarLoss);
  return transformed((...call: unknown[]) => scope(() => {
    if (call.length !== 2) throw new ValueError(`gnvp: gnvp(f, loss) takes (x, v), got ${call.length} arguments`);
    const [x, v] = call;
    const [z, Jv] = jvpAs('gnvp', f, [x] as any, [v] as any);
    const HJv = jvpAs('gnvp', gradLoss, [z] as any, [Jv] as any)[1];
    const pull = vjpAs('gnvp', f as Fn, x)[1] as unknown as ((ct: unknown) => unknown[]) & { dispose(): void };
    // (used once here: its kept tape is freed now, not when the GC gets to it, which a sync loop never lets happen)
    try { return pull(HJv)[0]; } finally { pull.dispose(); }
  }, (out) => materialize(out, 'gnvp')), 'gnvp', f) as any;
}
