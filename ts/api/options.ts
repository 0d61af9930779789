// Options arguments, read one way everywhere: a plain object whose keys are checked against the
// function's valid keys (a misspelled `axes` or `keepDims` is an error, never ignored), or
// numpy's unambiguous positional form (`np.sum(x, 0)`, `np.ones([2], 'float64')`), which fills
// the one key the function names as positional. Values are checked by kind.
import { NDArray, isClonedArray, isComplexLiteral } from './array.js';
import { DType, isDType } from '../core/dtype.js';
import { AxisError, DTypeError, ShapeError, ValueError } from '../core/errors.js';

export type OptionKind = 'dtype' | 'axis' | 'boolean' | 'shape' | 'number' | 'any';

/** The valid keys of a function's options and the kind of value each takes. */
export type OptionSpec = Record<string, OptionKind>;

/** An options object: a plain object literal (not an Array, typed array or list). */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object' || Array.isArray(x) || x instanceof NDArray || ArrayBuffer.isView(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/**
 * Read `arg` as options of `where`. `positional`: the key a non-object argument stands for
 * (numpy's positional parameter), or none when the function takes options only as an object.
 */
export function readOptions<T>(where: string, arg: unknown, spec: OptionSpec, positional?: string): T {
  if (arg === undefined) return {} as T;
  // a dtype of null is numpy's dtype=None, the default (np.zeros([2], null), { dtype: null })
  if (arg === null && positional !== undefined && spec[positional] === 'dtype') return {} as T;
  let given: Record<string, unknown>;
  if (isPlainObject(arg)) given = arg;
  else if (positional !== undefined) given = { [positional]: arg };
  else throw new ValueError(`${where}: options must be an object with keys ${keyList(spec)}, got ${show(arg)}`);
  let nullDtype = false;
  for (const key of Object.keys(given)) {
    const kind = spec[key];
    if (kind === undefined) {
      throw new ValueError(`${where}: unknown option '${key}'; valid options are ${keyList(spec)}`);
    }
    const v = given[key];
    if (v === null && kind === 'dtype') { nullDtype = true; continue; }
    if (v !== undefined) checkKind(where, key, kind, v);
  }
  if (nullDtype) given = Object.fromEntries(Object.entries(given).filter(([k, v]) => !(v === null && spec[k] === 'dtype')));
  return given as T;
}

/**
 * JAX's positional form of keyword options beside the options object: `rest`, the arguments after
 * the required ones, read as `names` in order (random.choice(key, a, shape, replace, p, axis)), or
 * an options object in the first place with nothing after it. null is JAX's None, the default.
 * Values are checked by `spec`, as readOptions checks them (the message names the key).
 */
export function readTrailing<T>(where: string, rest: readonly unknown[], names: readonly string[], spec: OptionSpec): T {
  const [first, ...after] = rest;
  if (isPlainObject(first)) {
    const next = after.find((v) => v !== undefined);
    if (next !== undefined) throw objectThenMore(where, names, next);
    return readOptions<T>(where, first, spec);
  }
  const given: Record<string, unknown> = {};
  rest.forEach((v, i) => { if (v !== undefined && v !== null) given[names[i]] = v; });
  return readOptions<T>(where, given, spec);
}

/**
 * numpy's optional positional parameters `names` (those after the required ones: tensordot's
 * axes, vander's N and increasing, trapezoid's x, dx and axis), with JAX's keyword habit: an
 * options object may stand in any of their places (np.tensordot(a, b, { axes: 1 }), np.vander(x,
 * { N: 3, increasing: true }), np.trapezoid(y, x, { axis: 0 })) and names the parameters by key,
 * those before it positionally. `rest`: the arguments from the first optional one. null or
 * undefined in a place is JAX's None, the default. A parameter given both ways, an options object
 * followed by another argument, or a non-object past the places is a ValueError naming `where`.
 * Values are checked by `spec` (its keys: `names`, and any keyword-only options).
 */
export function readOptionalPositions<T>(where: string, rest: readonly unknown[], names: readonly string[], spec: OptionSpec): T {
  const at = rest.findIndex((v) => isPlainObject(v) && !isComplexLiteral(v));
  const positional = at < 0 ? rest : rest.slice(0, at);
  const extra = positional.slice(names.length).find((v) => v !== undefined);
  if (extra !== undefined) {
    throw new ValueError(`${where}: takes ${names.join(', ')} positionally, then an options object, got ${show(extra)} after ${names[names.length - 1]}`);
  }
  const given: Record<string, unknown> = {};
  positional.forEach((v, i) => { if (v !== undefined && v !== null) given[names[i]] = v; });
  if (at >= 0) {
    const next = rest.slice(at + 1).find((v) => v !== undefined);
    if (next !== undefined) throw objectThenMore(where, names.slice(at), next);
    const o = rest[at] as Record<string, unknown>;
    for (const key of Object.keys(o)) {
      if (key in given && o[key] !== undefined) {
        throw new ValueError(`${where}: ${key} given twice, positionally (${show(given[key])}) and in the options object ` +
          `(${show(o[key])}); give it one way`);
      }
    }
    const merged = readOptions<Record<string, unknown>>(where, o, spec);
    for (const [k, v] of Object.entries(merged)) if (v !== undefined) given[k] = v;
  }
  return readOptions<T>(where, given, spec);
}

/**
 * The refusal of an options object followed by another argument `next` (JS would drop it, or read
 * it in the wrong place): `names`, the parameters the object stands for. One message for every
 * reader of the keyword form (readTrailing, random's samplers).
 */
export function objectThenMore(where: string, names: readonly string[], next: unknown): ValueError {
  return new ValueError(`${where}: give ${names.join(', ')} in one options object or all positionally, in that order, ` +
    `not an options object followed by ${show(next)}`);
}

function checkKind(where: string, key: string, kind: OptionKind, v: unknown): void {
  switch (kind) {
    case 'dtype':
      if (!isDType(v)) throw new DTypeError(`${where}: ${key} must be a dtype name ('float32', 'float64', 'bool', ...), got ${show(v)}`);
      return;
    case 'axis':
      if (v === null || typeof v === 'number') return;
      if (Array.isArray(v) && v.every((a) => typeof a === 'number')) return;
      throw new AxisError(`${where}: ${key} must be an integer, a list of integers or null, got ${show(v)}`);
    case 'boolean':
      if (typeof v !== 'boolean') throw new ValueError(`${where}: ${key} must be true or false, got ${show(v)}`);
      return;
    case 'shape':
      if (typeof v === 'number' || (Array.isArray(v) && v.every((d) => typeof d === 'number'))) return;
      throw new ShapeError(`${where}: ${key} must be a list of integers, got ${show(v)}`);
    case 'number':
      if (typeof v !== 'number') throw new ValueError(`${where}: ${key} must be a number, got ${show(v)}`);
      return;
    case 'any':
      return;
  }
}

function keyList(spec: OptionSpec): string {
  return Object.keys(spec).map((k) => `'${k}'`).join(', ');
}

/** A short, safe description of a user's value for messages. */
export function show(v: unknown): string {
  try {
    return showUnsafe(v);
  } catch {
    return 'a value that cannot be printed'; // (a Proxy whose traps throw)
  }
}

function showUnsafe(v: unknown): string {
  if (typeof v === 'symbol') return `${v.toString()} (a symbol)`; // (a symbol in a template literal throws)
  if (typeof v === 'string') return `'${v}' (a string)`;
  if (v instanceof NDArray) return `an Array ${v.dtype}[${v._shape}]`;
  if (Array.isArray(v)) return showList(v, 0);
  if (typeof v === 'bigint') return `${v}n (a bigint)`;
  if (typeof v === 'function') return 'a function';
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} of ${(v as { length?: number }).length ?? v.byteLength} values`;
  if (v !== null && typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto === Object.prototype || proto === null) {
      // structuredClone and postMessage copy an Array's own fields and drop its class
      if (isClonedArray(v)) return `a copy of an Array's fields (${String(v._dtype)}[${String(v._shape)}]), as structuredClone or postMessage make: an Array does not survive them; send x.dataSync() (or x.tolist()) with its shape and dtype, and rebuild it with np.array`;
      return `an object { ${Object.keys(v).join(', ')} }`;
    }
    const name = (v as object).constructor?.name;
    return name ? `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}` : Object.prototype.toString.call(v);
  }
  return String(v);
}

/** A JS list as written ([[1, 2], [3]]: nesting kept, which String() flattened to "1,2,3"), long
 *  lists and deep nesting cut short. */
function showList(v: readonly unknown[], depth: number): string {
  if (depth > 4) return '[...]';
  const item = (x: unknown): string => Array.isArray(x) ? showList(x, depth + 1)
    : typeof x === 'string' ? `'${x}'` : typeof x === 'bigint' ? `${x}n` : typeof x === 'symbol' ? x.toString() : x instanceof NDArray ? `Array ${x.dtype}[${x._shape}]` : String(x);
  const shown = v.length > 20 ? [...v.slice(0, 10).map(item), `... (${v.length} items)`] : Array.from(v, item);
  return `[${shown.join(', ')}]`;
}

/** A required positional argument that JS let the caller leave out: a ValueError naming it (not a TypeError from inside). */
export function required(where: string, name: string, v: unknown): void {
  if (v === undefined) throw new ValueError(`${where}: missing argument ${name}`);
}

/**
 * An axis option that numpy and JAX take as one integer only (np.stack, np.split, np.diff, glu,
 * random.categorical, ...): undefined is the default `dflt`; null (their None, which they refuse:
 * it is not the default there) and a list are AxisErrors (ValueErrors) naming `where`, the option
 * and the value, never read as the default or as the list's first axis. The integer comes back as
 * given (bounds are the caller's check).
 */
export function intAxis(where: string, v: unknown, dflt: number, key = 'axis'): number {
  if (v === undefined) return dflt;
  if (typeof v === 'number') return v;
  const why = v === null ? ` (null, numpy's and JAX's None, is refused by ${where}; leave ${key} out for its default ${dflt})`
    : Array.isArray(v) ? ` (${where} takes one axis, not a list)` : '';
  throw new AxisError(`${where}: ${key} must be an integer, got ${show(v)}${why}`);
}

/** numpy's axis given positionally or as { axis } (both spellings read the same). */
export function axisArg(where: string, axis: unknown): number | null | undefined {
  if (axis !== null && typeof axis === 'object' && !Array.isArray(axis)) return readOptions<{ axis?: number | null }>(where, axis, { axis: 'any' }).axis;
  return axis as number | null | undefined;
}

/** The dtype option, when given. */
export type DTypeOptions = { dtype?: DType };

/**
 * JS drops extra arguments silently, so numpy's positional habits past the options
 * (`np.mean(x, 1, true)` for keepdims, `np.sum(x, 1, 'float64')` for dtype) would be ignored
 * without a word: refused, naming the object form.
 */
export function atMost(where: string, given: number, max: number): void {
  if (given > max) {
    throw new ValueError(`${where}: takes at most ${max} arguments, got ${given} (JS would drop the rest without a word); ` +
      "options go in one object, as in np.mean(x, { axis: 1, keepdims: true }), not numpy's positional keepdims, dtype or out");
  }
}

