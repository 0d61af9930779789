// jvp: forward mode. Tangent rows are emitted beside the primal rows and run eagerly.
import { NDArray } from '../array.js';
import { asarray, asarrayHint } from '../numpy.js';
import { flatten, unflatten, show, sameStructure, leafPath, PyTree } from '../tree.js';
import { scope, jvpRows, tapeLength } from '../../core/trace.js';
import { ValueError, ShapeError, DTypeError, describe } from '../../core/errors.js';
import type { Fn, Loosen, OutOf, Leaves, MainOut, AuxOf } from './types.js';
import { traceInputs, outputRows, zerosRow, materialize, requireFunction, splitAux, checkCallArity } from './trace_args.js';
import { readOptions } from '../options.js';

/**
 * JAX's jvp(f, primals, tangents, has_aux): with `{ hasAux: true }` (or a positional `true`, as
 * JAX's has_aux may be given) f returns [output, aux] and jvp [output, tangent, aux].
 */
export function jvp<F extends Fn>(f: F, primals: Loosen<Parameters<F>>, tangents: Loosen<Parameters<F>>, options?: { hasAux?: false } | false): [OutOf<F>, OutOf<F>];
export function jvp<F extends Fn>(f: F, primals: Loosen<Parameters<F>>, tangents: Loosen<Parameters<F>>, options: { hasAux: true } | true): [Leaves<MainOut<F>>, Leaves<MainOut<F>>, AuxOf<F>];
export function jvp<F extends Fn>(f: F, primals: Loosen<Parameters<F>>, tangents: Loosen<Parameters<F>>, options: { hasAux?: boolean } | boolean): unknown[];
export function jvp<F extends Fn>(f: F, primals: Loosen<Parameters<F>>, tangents: Loosen<Parameters<F>>, options?: { hasAux?: boolean } | boolean): unknown[] {
  if (arguments.length > 4) throw new ValueError(`jvp: takes (f, primals, tangents, hasAux or { hasAux }), got ${arguments.length} arguments`);
  const o = readOptions<{ hasAux?: boolean }>('jvp', options, { hasAux: 'boolean' }, 'hasAux');
  return jvpAs('jvp', f, primals, tangents, o.hasAux ?? false);
}

/** jvp under the name of the transform the user called (hvp is jvp of grad): its errors name it. */
export function jvpAs<F extends Fn>(name: string, f: F, primals: Loosen<Parameters<F>>, tangents: Loosen<Parameters<F>>, hasAux = false): [OutOf<F>, OutOf<F>] {
  requireFunction(name, f);
  if (!Array.isArray(primals) || !Array.isArray(tangents)) throw new ValueError(`${name}: primals and tangents must be arrays (one entry per argument)`);
  if (primals.length !== tangents.length) throw new ValueError(`${name}: ${primals.length} primal(s) but ${tangents.length} tangent(s)`);
  checkCallArity(name, f, primals);
  return scope(() => {
    const seeds: number[] = [];
    primals.forEach((p, i) => {
      const [pl, pd] = flatten(p as PyTree, `${name}: primal ${i}`);
      const [tl, td] = flatten(tangents[i] as PyTree, `${name}: tangent ${i}`);
      if (!sameStructure(pd, td)) {
        // (a JS list is a tree of leaves, as in JAX: a list tangent for an Array primal is np.array(list))
        const hint = pd.kind === 'leaf' && td.kind === 'list' ? ` (a JS list is a list of leaves: for an Array tangent write np.array(list))` : '';
        throw new ValueError(`${name}: tangent ${i} has structure ${show(td)}, primal has ${show(pd)}${hint}`);
      }
      pl.forEach((leaf, j) => {
        const at = `${i}${leafPath(pd, j)}`; // (the leaf's path in a pytree primal, as vjp and linearize name it: tangent 0.b)
        const pa = asarray(leaf as any, undefined, `${name}: primal ${at}`);
        const ta = asarrayHint(tl[j] as any, pa.dtype, `${name}: tangent ${at}`);
        if (ta._shape.length !== pa._shape.length || ta._shape.some((d, k) => d !== pa._shape[k])) {
          throw new ShapeError(`${name}: tangent ${at} has shape ${describe(ta._shape, ta.dtype)} but its primal is ${describe(pa._shape, pa.dtype)}`);
        }
        if (ta.dtype !== pa.dtype) throw new DTypeError(`${name}: tangent ${at} has dtype ${ta.dtype} but its primal is ${pa.dtype}`);
        seeds.push(ta._rowIn(name));
      });
    });
    const inputs = traceInputs(name, primals, primals.map((_: unknown, i: number) => i));
    let out = f(...inputs.args), aux: unknown;
    if (hasAux) [out, aux] = splitAux(name, out);
    const end = tapeLength();
    const o = outputRows(name, out, inputs.start);
    const tans = jvpRows(inputs.start, end, inputs.rows, seeds, o.rows);
    const tleaves = tans.map((t, k) => NDArray.tracer(t >= 0 ? t : zerosRow(o.leaves[k])));
    const res = [unflatten(o.def, o.leaves), unflatten(o.def, tleaves)];
    return (hasAux ? [...res, aux] : res) as [OutOf<F>, OutOf<F>];
  }, (out) => materialize(out, name));
}
