// vmap: JAX's vectorizing map. The batched arguments enter the trace as views (rows shaped per
// example, assembly/ad/vmap.ts); every primitive applied to a view is batched by its rule as it
// is emitted, and values that do not depend on the batched arguments stay concrete, so JS
// control flow on them works. The outputs leave as whole batches with the batch axis at outAxes.
import { NDArray, ArrayInput, isComplexLiteral } from '../array.js';
import { asarray } from '../numpy.js';
import { flatten, unflatten, leafPath, isDictNode, PyTree, Leaf, type TreeDef } from '../tree.js';
import { scope, describeRow, guarded } from '../../core/trace.js';
import { abi } from '../../core/abi.js';
import { ValueError, AxisError, errorFromCode, describe } from '../../core/errors.js';
import { readOptions, show, isPlainObject } from '../options.js';
import { openNamedAxis, checkAxisName, refuseSpmd } from '../collectives.js';
import { MAX_DIM } from '../creation.js';
import { materialize, requireFunction, transformed, checkCallArity, callSync, isThenable, refuseThenable } from './trace_args.js';
import type { Fn, OutOf, Loosen } from './types.js';
import { requireFinite } from '../arity.js';

/** An unmapped argument for vmap's message: new Array(3) and [] were both 'object'. */
function unmappedArg(a: unknown): string {
  if (Array.isArray(a)) {
    if (a.length === 0) return 'an empty list';
    const holes = Array.from({ length: a.length }, (_, i) => i).filter((i) => !(i in a));
    if (holes.length === a.length) return `a list of ${a.length} holes (new Array(${a.length})), which holds no Arrays`;
    return holes.length > 0 ? `a list of length ${a.length} with a hole at index ${holes[0]}` : `a list of length ${a.length}`;
  }
  if (a === null || a === undefined) return String(a);
  if (typeof a === 'object' && Object.keys(a).length === 0) return 'an empty object';
  return typeof a;
}

/**
 * A hidden option (a symbol key: not an option users see or readOptions checks): the wasm level
 * whose examples this vmap batches again, for a host batching rule's vmap of a jitted loop body or
 * branch (control/shared.ts's vmapOrCall), so a psum over that level's name inside counts it.
 */
export const SAME_AXIS: unique symbol = Symbol('cotangent.vmap.sameAxis');

/** An axis for each leaf: a number (negative counts from the end), null (not mapped), or a tree. */
export type AxisSpec = number | null | undefined | AxisSpec[] | { [k: string]: AxisSpec };

/** axisName: the name lax.psum, pmean, axisIndex and axisSize give this axis inside f (JAX's axis_name). */
export interface VmapOptions { inAxes?: AxisSpec; outAxes?: AxisSpec; axisSize?: number; axisName?: string | number | symbol }

export function vmap<F extends Fn>(f: F, options?: VmapOptions | number | null | AxisSpec[], outAxesArg?: AxisSpec): (...args: Loosen<Parameters<F>>) => OutOf<F> {
  requireFunction('vmap', f);
  if (arguments.length > 3) throw new ValueError(`vmap: takes (f, inAxes or { inAxes, outAxes, axisSize }, outAxes), got ${arguments.length} arguments`);
  if (isPlainObject(options) && ('spmdAxisName' in options || 'spmd_axis_name' in options)) refuseSpmd();
  const opts = readOptions<VmapOptions>('vmap', options, { inAxes: 'any', outAxes: 'any', axisSize: 'number', axisName: 'any' }, 'inAxes');
  if ('axisName' in opts) checkAxisName('vmap', opts.axisName);
  if (arguments.length === 3) { // JAX's vmap(fun, in_axes, out_axes)
    if (opts.outAxes !== undefined) throw new ValueError('vmap: outAxes given twice (in the options and as the third argument)');
    opts.outAxes = outAxesArg;
  }
  if (opts.axisSize !== undefined && (!Number.isInteger(opts.axisSize) || opts.axisSize < 0 || opts.axisSize > MAX_DIM)) {
    throw new ValueError(`vmap: axisSize must be an integer from 0 to 2^31 - 1 (an axis length), got ${show(opts.axisSize)}`);
  }
  requireFinite('vmap', 'inAxes', opts.inAxes); // (copySpec recurses: 5000 deep overflowed the stack)
  requireFinite('vmap', 'outAxes', opts.outAxes);
  // copies: mutating the spec objects after vmap() must not change later calls (JAX's are tuples)
  const inAxes = opts.inAxes === undefined ? 0 : copySpec(opts.inAxes);
  const outAxes = opts.outAxes === undefined ? 0 : copySpec(opts.outAxes);
  return transformed((...args: unknown[]) => scope(() => {
    checkCallArity('vmap', f, args);
    const perArg = argumentAxes(inAxes, args.length);
    // Every leaf with its axis; the batch size from the mapped ones (they must agree).
    const flat = args.map((a, i) => {
      const [leaves, def] = flatten(a as PyTree, `vmap: argument ${i}`);
      const axes = prefixAxes(`vmap: inAxes for argument ${i}`, perArg[i], a);
      return { leaves, def, axes };
    });
    const sizes: string[] = [];
    let size = opts.axisSize ?? -1;
    const mapped = flat.map(({ leaves, def, axes }, i) => leaves.map((leaf, j) => {
      const ax = axes[j];
      if (ax === null) return null;
      const x = asarray(leaf as ArrayInput, undefined, `vmap: argument ${i}${leafPath(def, j)}`);
      // (a list of JS numbers: np.array's habit; a list holding Arrays too is a tree, whose scalar leaf the axis check names)
      if (x.ndim === 0 && Array.isArray(args[i]) && !leaves.some((l) => l instanceof NDArray)) {
        throw new AxisError(`vmap: argument ${i} is a JS list, which vmap reads as a tree of its elements (scalars here, ` +
          `with no axis to map, as JAX reads a Python list); pass np.array(list) to map over its rows`);
      }
      const a = normalizeAxis(`vmap: inAxes of argument ${i}${leafPath(def, j)}`, ax, x.ndim);
      sizes.push(`argument ${i}${leafPath(def, j)} ${describe(x._shape, x.dtype)} axis ${a} (size ${x._shape[a]})`);
      if (size < 0) size = x._shape[a];
      else if (x._shape[a] !== size) {
        throw new ValueError(`vmap: inconsistent sizes for the mapped axes${opts.axisSize !== undefined ? ` (axisSize ${opts.axisSize})` : ''}: ${sizes.join('; ')}`);
      }
      return { x, a };
    }));
    if (size < 0) {
      const shown = args.map((a, i) => `argument ${i}: ${a instanceof NDArray ? describe(a._shape, a.dtype) : unmappedArg(a)}`).join('; ');
      const why = flat.some(({ leaves }) => leaves.length > 0) ? 'every inAxes is null' : 'the arguments hold no Arrays';
      throw new ValueError(`vmap(${f.name || 'fn'}): no argument is mapped (${why}; ${shown || 'no arguments'}): give axisSize, or pass Arrays to map over`);
    }
    const depth = abi().transforms_depth();
    const id = check(abi().vmap_enter(size), 'vmap');
    let closeName: (() => void) | null = null;
    try {
      // (inside the try: the name's iota can fail, an OutOfMemoryError for a large axisSize, and the level must still close)
      closeName = opts.axisName === undefined ? null : openNamedAxis(opts.axisName, id, size);
      const same = isPlainObject(options) ? (options as { [SAME_AXIS]?: number })[SAME_AXIS] : undefined;
      if (same !== undefined) abi().vmap_same_axis(id, same);
      const inner = flat.map(({ leaves, def }, i) => unflatten(def, leaves.map((leaf, j) => {
        const m = mapped[i][j];
        if (m === null) return leaf;
        const v = check(abi().vmap_in(m.x._rowIn('vmap'), m.a, id), `vmap: argument ${i}`);
        return NDArray.tracer(v);
      })));
      const out = callSync('vmap', 'the function', f, ...inner);
      const [oleaves, odef] = flatten(out as PyTree);
      const oaxes = prefixAxes('vmap: outAxes', outAxes, out);
      const results = oleaves.map((l: Leaf, k) => {
        if (!(l instanceof NDArray) && typeof l !== 'number' && typeof l !== 'boolean' && !isComplexLiteral(l)) {
          if (isThenable(l)) refuseThenable('vmap', l);
          throw new ValueError(`vmap: the function returned ${show(l)}, which is not an Array, a number, or a tree of them`);
        }
        const y = asarray(l);
        const ax = oaxes[k];
        const row = y._rowIn('vmap');
        if (ax === null) {
          if (abi().row_level(row) === id) {
            // (a view that does not vary across the batch: its one value)
            if (abi().row_bdim(row) < 0 && abi().row_impl(row) >= 0) return NDArray.tracer(abi().row_impl(row));
            throw new ValueError(`vmap: output ${outName(odef, k)} (${describeRow(row)} per example) varies across the batch, but its outAxes is null`);
          }
          return y;
        }
        const a = normalizeAxis(`vmap: outAxes of output ${outName(odef, k)}`, ax, y.ndim + 1);
        // (an unbatched output is broadcast to the batch here: past the 1 GiB request limit its row fails in wasm)
        const where = `vmap: output ${outName(odef, k)} (${describeRow(row)} per example, a batch of ${size})`;
        return NDArray.tracer(check(guarded(where, () => abi().vmap_out(row, id, a)), where));
      });
      return unflatten(odef, results);
    } finally {
      closeName?.();
      abi().transforms_unwind(depth); // closes this level (and any a failure left open)
    }
  }, (out) => materialize(out, 'vmap')), 'vmap', f) as unknown as (...args: Loosen<Parameters<F>>) => OutOf<F>;
}

/** An output leaf as a message names it: its path in a tree (`.v[1]`, as the arguments' are), else its index. */
function outName(def: TreeDef, k: number): string {
  return def.kind === 'leaf' ? String(k) : leafPath(def, k) || String(k);
}

function check(code: number, where: string): number {
  if (code >= 0) return code;
  abi().clear_error();
  throw errorFromCode(-code, where);
}

/** A deep copy of an axis spec (lists and plain objects; numbers, null and anything else as they are). */
function copySpec<T>(s: T): T {
  if (Array.isArray(s)) return s.map(copySpec) as T;
  if (s !== null && typeof s === 'object' && Object.getPrototypeOf(s) === Object.prototype) {
    return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, copySpec(v)])) as T;
  }
  return s;
}

/** JAX's rule: one spec for all arguments, or a list with one entry per argument. */
function argumentAxes(inAxes: AxisSpec, nargs: number): AxisSpec[] {
  if (!Array.isArray(inAxes)) return Array.from({ length: nargs }, () => inAxes);
  if (inAxes.length !== nargs) {
    throw new ValueError(`vmap: inAxes is a list of ${inAxes.length} entries, but the function was called with ${nargs} argument(s) ` +
      '(a list gives one entry per positional argument; wrap an argument\'s own tree in another list)');
  }
  return inAxes;
}

function normalizeAxis(where: string, ax: unknown, ndim: number): number {
  if (typeof ax !== 'number' || !Number.isInteger(ax)) throw new ValueError(`${where}: an axis must be an integer or null, got ${String(ax)}`);
  if (ax < -ndim || ax >= ndim) throw new AxisError(`${where}: axis ${ax} is out of bounds for ${ndim === 0 ? 'a scalar (rank 0: nothing to map)' : `rank ${ndim}`}`);
  return ax < 0 ? ax + ndim : ax;
}

/** The axis of each leaf of `tree` (flatten's order) from a prefix tree of axes, as JAX. */
export function prefixAxes(where: string, spec: AxisSpec, tree: unknown): (number | null)[] {
  const out: (number | null)[] = [];
  const all = (t: unknown, ax: number | null) => { for (let n = flatten(t as PyTree)[0].length; n > 0; n--) out.push(ax); };
  const go = (s: AxisSpec, t: unknown, path: string): void => {
    if (s === null || s === undefined) return all(t, null);
    if (typeof s === 'number') return all(t, s);
    if (Array.isArray(s)) {
      if (!Array.isArray(t) || t.length !== s.length) {
        throw new ValueError(`${where}: the axes at ${path || 'the top'} are a list of ${s.length}, but the value there is ${showKind(t)}`);
      }
      // (an index loop, not forEach: forEach skipped a hole in the spec ([0, , 0]), so the next
      // entries' axes went to the wrong leaves; a hole is undefined, not mapped, as [0, undefined, 0])
      for (let i = 0; i < s.length; i++) go(s[i], t[i], `${path}[${i}]`);
      return;
    }
    if (s !== null && typeof s === 'object' && (Object.getPrototypeOf(s) === Object.prototype || Object.getPrototypeOf(s) === null)) {
      const keys = Object.keys(s).sort();
      // (a node as flatten reads one: a plain object that is not a complex literal; a class
      // instance or a Map is a leaf, so an object of axes there is a mismatch)
      if (!isDictNode(t)) {
        throw new ValueError(`${where}: the axes at ${path || 'the top'} are an object with keys [${keyList(keys)}], but the value there is ${showKind(t)}`);
      }
      const tk = Object.keys(t).sort();
      // (keys compared one by one: joined with ',', { 'a,b': 0 } matched the keys a and b)
      if (tk.length !== keys.length || tk.some((k, i) => k !== keys[i])) throw new ValueError(`${where}: the axes at ${path || 'the top'} have keys [${keyList(keys)}], the value has [${keyList(tk)}]`);
      keys.forEach((k) => go(s[k], (t as Record<string, unknown>)[k], `${path}.${k}`));
      return;
    }
    throw new ValueError(`${where}: an axis spec must be a number, null, or a list/object of them, got ${s instanceof NDArray ? `an Array ${describe(s._shape, s.dtype)} (pass a JS number)` : show(s)}`);
  };
  go(spec, tree, '');
  return out;
}

function showKind(t: unknown): string {
  if (t instanceof NDArray) return `an Array ${describe(t._shape, t.dtype)}`;
  if (Array.isArray(t)) return `a list of ${t.length}`;
  if (t === null || t === undefined) return String(t);
  if (isDictNode(t)) return `an object with keys [${keyList(Object.keys(t).sort())}]`;
  // (a complex literal, a class instance, a Map: a leaf of the tree, as flatten reads it)
  if (typeof t === 'object') return `a leaf (${isComplexLiteral(t) ? 'a complex { re, im }' : `a ${(t as object).constructor?.name ?? 'object'}`})`;
  return `${typeof t} ${String(t)}`;
}

/** Keys for a message: quoted where a key is not a plain name ({ 'a,b': 0 } is not { a, b }). */
function keyList(keys: readonly string[]): string {
  return keys.map((k) => (/^[A-Za-z_$][\w$]*$|^\d+$/.test(k) ? k : JSON.stringify(k))).join(',');
}
