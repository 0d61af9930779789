// evalShape (JAX's eval_shape) and the argument specs it and linearTranspose share
// (ShapeDtypeStruct): f is traced once on an abstract tape, as jit traces it (rows get shapes and
// dtypes, no kernel runs and no output buffer is allocated), and the output tree comes back with
// every leaf a ShapeDtypeStruct.
import { NDArray, isComplexLiteral } from '../array.js';
import { asarray } from '../numpy.js';
import { flatten, unflatten, leafPath, PyTree, TreeDef } from '../tree.js';
import { scope, emit, onAbstractTape } from '../../core/trace.js';
import { DTYPE_CODE, DType } from '../../core/dtype.js';
import { DTypeError, ShapeError } from '../../core/errors.js';
import { show } from '../options.js';
import { requireFunction, outputRows, checkCallArity, refuseThenable, isThenable } from './trace_args.js';
import type { Fn } from './types.js';

/**
 * An array's shape and dtype without its values (JAX's jax.ShapeDtypeStruct): what evalShape
 * returns per output leaf, and what evalShape and linearTranspose accept in place of an Array
 * (a plain `{ shape, dtype }` object is read as one too). A leaf of a pytree, not a node.
 */
export class ShapeDtypeStruct {
  readonly shape: number[];
  readonly dtype: DType;
  constructor(shape: readonly number[], dtype: DType) {
    this.shape = checkShape('ShapeDtypeStruct', shape, 'shape');
    this.dtype = checkDtype('ShapeDtypeStruct', dtype, 'dtype');
    Object.freeze(this.shape);
    Object.freeze(this);
  }
  get ndim(): number { return this.shape.length; }
  get size(): number { return this.shape.reduce((a, b) => a * b, 1); }
  toString(): string { return `ShapeDtypeStruct(shape=[${this.shape.join(', ')}], dtype=${this.dtype})`; }
}

function checkShape(where: string, shape: unknown, at: string): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ShapeError(`${where}: ${at} must be a list of non-negative integers, got ${show(shape)}`);
  }
  return Array.from(shape as number[]);
}

function checkDtype(where: string, dtype: unknown, at: string): DType {
  if (typeof dtype !== 'string' || !Object.prototype.hasOwnProperty.call(DTYPE_CODE, dtype)) {
    throw new DTypeError(`${where}: ${at} must be one of ${Object.keys(DTYPE_CODE).join(', ')}, got ${show(dtype)}`);
  }
  return dtype as DType;
}

/** A plain `{ shape, dtype }` object (its two keys only, dtype a string): a spec, not a dict node. */
function isPlainSpec(x: unknown): x is { shape: unknown; dtype: string } {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return false;
  const p = Object.getPrototypeOf(x);
  if (p !== Object.prototype && p !== null) return false;
  const keys = Object.keys(x);
  return keys.length === 2 && keys.includes('shape') && keys.includes('dtype') && typeof (x as { dtype: unknown }).dtype === 'string';
}

/** args with every plain `{ shape, dtype }` object replaced by a ShapeDtypeStruct (checked), so it flattens as one leaf. */
export function specsAsLeaves(where: string, args: readonly unknown[]): unknown[] {
  const seen = new Set<object>();
  const go = (x: unknown, at: string): unknown => {
    if (isPlainSpec(x)) {
      return new ShapeDtypeStruct(checkShape(where, x.shape, `${at}.shape`), checkDtype(where, x.dtype, `${at}.dtype`));
    }
    if (x === null || typeof x !== 'object' || seen.has(x)) return x; // (a cycle: flatten names it)
    if (Array.isArray(x)) {
      seen.add(x);
      const out = x.map((e, i) => go(e, `${at}[${i}]`));
      seen.delete(x);
      return out.some((e, i) => e !== x[i]) ? Object.assign(out, nonIndexProps(x)) : x;
    }
    const p = Object.getPrototypeOf(x);
    if (p !== Object.prototype && p !== null) return x;
    seen.add(x);
    let changed = false;
    const o: Record<string, unknown> = p === null ? Object.create(null) : {};
    for (const k of Object.keys(x)) {
      const v = (x as Record<string, unknown>)[k];
      const w = go(v, `${at}.${k}`);
      if (w !== v) changed = true;
      o[k] = w;
    }
    seen.delete(x);
    return changed ? o : x;
  };
  return args.map((a, i) => go(a, `argument ${i}`));
}
// (a list's own non-index properties: kept, so flatten refuses them as it would on the original)
function nonIndexProps(x: unknown[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(x)) if (!/^(0|[1-9][0-9]*)$/.test(k)) o[k] = (x as unknown as Record<string, unknown>)[k];
  return o;
}

/** The shape and dtype of an argument leaf that stands for an array: an Array, a spec, a typed array (or a JS number when `numbers`). */
export function leafInfo(where: string, leaf: unknown, at: string): { shape: number[]; dtype: DType } {
  if (leaf instanceof ShapeDtypeStruct) return { shape: leaf.shape.slice(), dtype: leaf.dtype };
  if (leaf instanceof NDArray) return { shape: leaf._shape.slice(), dtype: leaf.dtype }; // (no value read: a tracer or a deleted Array gives its shape)
  if (typeof leaf === 'number' || typeof leaf === 'boolean' || isComplexLiteral(leaf) || ArrayBuffer.isView(leaf)) {
    const a = asarray(leaf as any, undefined, `${where}: ${at}`);
    return { shape: a._shape.slice(), dtype: a.dtype };
  }
  if (isThenable(leaf)) refuseThenable(where, leaf, at);
  throw new DTypeError(`${where}: ${at} is ${show(leaf)}, which is not an Array, a number or a { shape, dtype } spec`);
}

/** The output tree with each leaf its ShapeDtypeStruct. */
export type ShapesOf<T> =
  T extends NDArray | number | boolean | { re: number; im: number } ? ShapeDtypeStruct
  : T extends readonly unknown[] ? { -readonly [K in keyof T]: ShapesOf<T[K]> }
  : T extends Fn ? T
  : T extends object ? { [K in keyof T]: ShapesOf<T[K]> }
  : T;

/** What evalShape takes for a parameter of type T: an Array may be a spec (or what np.array takes). */
export type SpecOr<T> =
  T extends NDArray ? NDArray | ShapeDtypeStruct | { shape: readonly number[]; dtype: DType } | number | boolean | readonly unknown[] | ArrayBufferView
  : T extends readonly unknown[] ? { [K in keyof T]: SpecOr<T[K]> } | T
  : T extends Fn ? T
  : T extends object ? { [K in keyof T]: SpecOr<T[K]> }
  : T;

/**
 * JAX's eval_shape: the shapes and dtypes of f(...args), as the output tree with every leaf a
 * ShapeDtypeStruct, from one abstract trace (as jit's: nothing runs, nothing of the output is
 * allocated). Each Array leaf of the arguments may be an Array (its shape and dtype only are read)
 * or a `{ shape, dtype }` spec (a ShapeDtypeStruct or a plain object); JS numbers, booleans and
 * complex literals stay JS values, static as under jit. Errors in f surface as under jit (a
 * TracerError for a value read while tracing).
 */
export function evalShape<F extends Fn>(f: F, ...args: SpecOr<Parameters<F>>): ShapesOf<ReturnType<F>> {
  requireFunction('evalShape', f);
  checkCallArity('evalShape', f, args as unknown[]);
  const name = f.name || 'fn';
  const where = `evalShape(${name})`;
  const given = specsAsLeaves(where, args as unknown[]);
  return scope(() => onAbstractTape(where, () => {
    const traced = given.map((arg, i) => {
      const [leaves, def]: [unknown[], TreeDef] = flatten(arg as PyTree, `${where}: argument ${i}`);
      return unflatten(def, leaves.map((l, j) => {
        // (JS scalars stay static, as jit keeps them: weak typing and control flow on them as eagerly)
        if (typeof l === 'number' || typeof l === 'boolean' || isComplexLiteral(l)) return l;
        const info = leafInfo(where, l, `argument ${i}${leafPath(def, j)}`);
        return NDArray.tracer(emit('input', [], [DTYPE_CODE[info.dtype], ...info.shape]));
      }));
    });
    const out = f(...traced);
    const o = outputRows(where, out);
    return unflatten(o.def, o.leaves.map((l) => new ShapeDtypeStruct(l._shape, l.dtype)));
  }), (x) => x) as ShapesOf<ReturnType<F>>;
}
