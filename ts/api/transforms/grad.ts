// grad and valueAndGrad: linearize, then transpose with a cotangent of 1 (reverse mode).
import { NDArray } from '../array.js';
import { scope, emit, transposeRows, inTrace } from '../../core/trace.js';
import { DTYPE_CODE, isComplex, isFloating, type DType } from '../../core/dtype.js';
import { ShapeError, DTypeError, NonHolomorphicError, describe } from '../../core/errors.js';
import { linearizeCall, normalizeArgnums, perArgument, zerosRow, materialize, requireFunction, maxArgs, derivativeOptions, transformed } from './trace_args.js';
import { readOptions } from '../options.js';
import type { ArgIndex, Fn, GradFn, GradOptionsFor, ValueAndGradFn, Loosen } from './types.js';

export interface GradOptions { argnums?: number | readonly number[]; hasAux?: boolean; holomorphic?: boolean }
/** O when its argnums is a plain number type (a variable's), never for a literal (which the precise overload range-checks). */
type WideArgnums<O> = O & (O extends { argnums?: infer A } ? (number extends A ? unknown : never) : unknown);

export function valueAndGrad<F extends Fn, const O extends GradOptionsFor<F> = {}>(f: F, opts?: O): ValueAndGradFn<F, O>;
/** Options held in a GradOptions variable (argnums a plain number): the result is not typed precisely. */
export function valueAndGrad<F extends Fn, const O extends GradOptions>(f: F, opts: WideArgnums<O>): (...args: Loosen<Parameters<F>>) => [any, any];
/** JAX's positional form: valueAndGrad(f, 1), valueAndGrad(f, [0, 1], true) (argnums, hasAux, holomorphic). */
export function valueAndGrad<F extends Fn, const A extends ArgIndex<Parameters<F>> | readonly ArgIndex<Parameters<F>>[], const H extends boolean = false>(
  f: F, argnums: A, hasAux?: H, holomorphic?: boolean): ValueAndGradFn<F, { argnums: A; hasAux: H }>;
export function valueAndGrad<F extends Fn, const O extends GradOptionsFor<F> = {}>(f: F, opts?: O, hasAux?: boolean, holomorphic?: boolean): ValueAndGradFn<F, O> {
  maxArgs('valueAndGrad', arguments.length, 4, "f, argnums, hasAux, holomorphic; JAX's allow_int has no counterpart: integer inputs have no derivative here");
  requireFunction('valueAndGrad', f);
  const o = derivativeOptions('valueAndGrad', [opts, hasAux, holomorphic]) ?? {};
  return transformed(valueAndGradNamed(f, o, 'valueAndGrad'), 'valueAndGrad', f) as ValueAndGradFn<F, O>;
}

/** grad under the name of the operator the user called (laplacian is divergence of grad): its errors name it. */
export function gradAs(name: string, f: Fn, options: GradOptions = {}): (...args: any[]) => any {
  const vg = valueAndGradNamed(f, options, name);
  return (...args: any[]) => vg(...args)[1];
}

function valueAndGradNamed(f: (...args: any[]) => any, options: GradOptions, where: string) {
  requireFunction(where, f);
  const opts = readOptions<GradOptions>(where, options, { argnums: 'any', hasAux: 'boolean', holomorphic: 'boolean' });
  const holomorphic = opts.holomorphic ?? false;
  const argnumsOpt = opts.argnums ?? 0;
  const hasAux = opts.hasAux ?? false;
  return (...args: any[]): any => {
    const topLevel = !inTrace();
    return scope(() => {
      const argnums = normalizeArgnums(where, argnumsOpt as number | number[], args.length);
      const lin = linearizeCall(where, f, args, argnums, hasAux);
      // One scalar Array (or JS number), as JAX: a list or object around it is refused too (valueAndGrad would drop the wrapper)
      if (lin.outDef.kind !== 'leaf' || lin.outLeaves[0].ndim !== 0) {
        const shapes = lin.outLeaves.map((l) => describe(l._shape, l.dtype)).join(', ');
        const got = lin.outDef.kind === 'leaf' ? shapes
          : `${lin.outDef.kind === 'list' ? 'a list' : lin.outDef.kind === 'dict' ? 'an object' : String(lin.out)} holding ` +
            `${lin.outLeaves.length === 0 ? 'no array' : `${lin.outLeaves.length} (${shapes})`}`;
        throw new ShapeError(`${where}: the function must return a scalar (shape []), got ${got}; use vjp or jacrev for other outputs` +
          (hasAux ? '' : ', or { hasAux: true } to return [output, aux]'));
      }
      const y = lin.outLeaves[0];
      checkDtypes(where, holomorphic, y, lin.inputs.infos);
      const one = emit('full', [], [DTYPE_CODE[y.dtype as DType], 0, 1072693248]); // 1.0 as f64 (lo, hi words)
      const cts = transposeRows(lin.linear, [one], lin.placeholders, topLevel);
      const flat = cts.map((c, k) => NDArray.tracer(c >= 0 ? c : zerosRow(lin.inputs.infos[k])));
      const grads = perArgument(lin.inputs, flat);
      const g = typeof argnumsOpt === 'number' ? grads[0] : grads;
      const value = lin.outLeaves[0];
      return hasAux ? [[value, lin.aux], g] : [value, g];
    }, (out) => materialize(out, where));
  };
}

/**
 * JAX's dtype rules for grad: without `holomorphic` the output must be real (a complex output is a
 * NonHolomorphicError: its Jacobian is not one complex number unless f is holomorphic); with it,
 * inputs and output must all be complex. Complex inputs with a real output are fine either way:
 * the gradient is the conjugate of the steepest-ascent direction (JAX's convention).
 */
function checkDtypes(where: string, holomorphic: boolean, y: NDArray, inputs: { shape: readonly number[]; dtype: string }[]): void {
  if (holomorphic) {
    const real = inputs.find((i) => !isComplex(i.dtype as never));
    if (real) throw new NonHolomorphicError(`${where}: { holomorphic: true } needs complex inputs, got ${describe(real.shape, real.dtype)}`);
    if (!isComplex(y.dtype)) throw new NonHolomorphicError(`${where}: { holomorphic: true } needs a complex output, got ${describe(y._shape, y.dtype)}`);
    return;
  }
  if (isComplex(y.dtype)) {
    throw new NonHolomorphicError(`${where}: the function returns ${describe(y._shape, y.dtype)}; grad of a complex output needs ` +
      '{ holomorphic: true } (for a holomorphic function), or use vjp / np.real / np.abs');
  }
  if (!isFloating(y.dtype)) throw new DTypeError(`${where}: the function must return a real float scalar, got ${describe(y._shape, y.dtype)}`);
}

export function grad<F extends Fn, const O extends GradOptionsFor<F> = {}>(f: F, opts?: O): GradFn<F, O>;
/** Options held in a GradOptions variable (argnums a plain number): the result is not typed precisely. */
export function grad<F extends Fn, const O extends GradOptions>(f: F, opts: WideArgnums<O>): (...args: Loosen<Parameters<F>>) => any;
/** JAX's positional form: grad(f, 1), grad(f, [0, 1], true) (argnums, hasAux, holomorphic). */
export function grad<F extends Fn, const A extends ArgIndex<Parameters<F>> | readonly ArgIndex<Parameters<F>>[], const H extends boolean = false>(
  f: F, argnums: A, hasAux?: H, holomorphic?: boolean): GradFn<F, { argnums: A; hasAux: H }>;
export function grad<F extends Fn, const O extends GradOptionsFor<F> = {}>(f: F, opts?: O, hasAux?: boolean, holomorphic?: boolean): GradFn<F, O> {
  maxArgs('grad', arguments.length, 4, "f, argnums, hasAux, holomorphic; JAX's allow_int has no counterpart: integer inputs have no derivative here");
  requireFunction('grad', f);
  const o = derivativeOptions('grad', [opts, hasAux, holomorphic]) ?? {};
  const vg = valueAndGradNamed(f, o, 'grad');
  return transformed((...args: any[]): any => {
    const [v, g] = vg(...args);
    return o.hasAux ? [g, v[1]] : g;
  }, 'grad', f) as GradFn<F, O>;
}
