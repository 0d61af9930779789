// Shared by the transforms: give a function's differentiated arguments fresh rows, trace it,
// and linearize it. Composition is by inlining: a transform called inside another trace just
// appends its rows to the same tape, and rows from before its start are its constants.
import { NDArray, ArrayInput, isComplexLiteral, tracerValueOfSince } from '../array.js';
import { asarray } from '../numpy.js';
import { flatten, unflatten, leafPath, refuseHiddenProperties, setKey, named, namesOf, PyTree, TreeDef, Leaf } from '../tree.js';
import { emit, jitContext, jvpRows, tapeLength } from '../../core/trace.js';
import { DTYPE_CODE, DType, isInexact } from '../../core/dtype.js';
import { DTypeError, TracerError, ValueError, describe } from '../../core/errors.js';
import { isPlainObject, readTrailing, show } from '../options.js';
import { declaredParams } from '../arity.js';

export interface LeafInfo { shape: readonly number[]; dtype: DType }

export interface TracedInputs {
  args: unknown[]; // the arguments with differentiated leaves replaced by tracers
  rows: number[]; // the fresh row of each differentiated leaf, in order
  infos: LeafInfo[];
  defs: TreeDef[]; // the tree structure of each differentiated argument
  start: number; // first row of the traced range
}

/** A transform's argument count: past `max` is an error (JS drops extra arguments silently: hvp(f, { argnums: 1 })). */
export function maxArgs(where: string, got: number, max: number, names: string): void {
  if (got > max) throw new ValueError(`${where}: takes at most ${max} argument${max === 1 ? '' : 's'} (${names}), got ${got}`);
}

// f's declared parameter count, read once from its source (null: unknown or unlimited)
const declared = new WeakMap<Function, { max: number; names: string[] } | null>();
const OPTION_KEYS = ['argnums', 'hasAux', 'holomorphic', 'staticArgnums', 'donateArgnums', 'inAxes', 'outAxes', 'axisSize', 'reduceAxes'];

/**
 * A transformed function called with more arguments than f declares is an error, as in JAX (a
 * TypeError there): JS would drop the extras, so grad(f)(x, y, { argnums: [0, 1] }) ran with the
 * options ignored and returned x's gradient alone. Unchecked where the count is unknown (f reads
 * `arguments`, is native or bound), unlimited (a rest parameter: another transform's result) or 0.
 */
export function checkCallArity(where: string, f: Function, args: readonly unknown[]): void {
  let p = declared.get(f);
  if (p === undefined) {
    p = declaredParams(f);
    // (no parameters at all: a constant function, jvp(() => 5, [x], [t]), written to ignore them)
    if (p !== null && (p.max === Infinity || p.max === 0)) p = null;
    declared.set(f, p);
  }
  if (p === null || args.length <= p.max) return;
  const last = args[args.length - 1];
  const options = last !== null && typeof last === 'object' && Object.getPrototypeOf(last) === Object.prototype &&
    Object.keys(last).some((k) => OPTION_KEYS.includes(k));
  const keys = options ? Object.keys(last as object).join(', ') : '';
  const transform = where.replace(/\(.*$/, '');
  const hint = !options ? ''
    : NO_OPTIONS[transform] !== undefined ? `; the last is an options object { ${keys} }: ${NO_OPTIONS[transform]}`
    : `; the last is an options object { ${keys} }: options go to the transform, ${transform}(f, { ${keys} }), not to the function it returns`;
  throw new ValueError(`${where}: ${f.name || 'the function'} takes ${p.max} argument${p.max === 1 ? '' : 's'} ` +
    `(${p.names.join(', ')}), got ${args.length}${hint}`);
}

// The transforms whose arguments after f are all primals (no options): what to write instead.
// (checkCallArity told linearize(f, x, { hasAux: true }) "options go to the transform, linearize(f, { hasAux })", which it refuses)
const NO_OPTIONS: Record<string, string> = {
  vjp: "vjp takes no options, every argument after f is a primal: JAX's has_aux is vjpWithAux(f, ...primals); to differentiate some arguments only, close over the others",
  vjpWithAux: 'vjpWithAux takes no options, every argument after f is a primal; to differentiate some arguments only, close over the others',
  linearize: "linearize takes no options, every argument after f is a primal: JAX's has_aux is linearizeWithAux(f, ...primals); to differentiate some arguments only, close over the others",
  linearizeWithAux: 'linearizeWithAux takes no options, every argument after f is a primal; to differentiate some arguments only, close over the others',
};

/**
 * vjp(f, x, { hasAux: true }) (JAX's vjp(f, x, has_aux=True) written with an options object) for an
 * f of two or more parameters, or a rest parameter: the object was traced as a primal, a DTypeError on
 * its boolean leaf or, for { argnums: 0 }, silently one more differentiated argument. A last primal
 * that is a plain object of option names only is refused, saying what to write.
 */
export function refuseOptionsPrimal(where: string, primals: readonly unknown[]): void {
  const last = primals[primals.length - 1];
  if (last === null || typeof last !== 'object' || Object.getPrototypeOf(last) !== Object.prototype) return;
  const keys = Object.keys(last);
  if (keys.length === 0 || !keys.every((k) => OPTION_KEYS.includes(k))) return;
  throw new ValueError(`${where}: the last primal is an options object { ${keys.join(', ')} }: ${NO_OPTIONS[where] ?? `${where} takes no options`}`);
}

export interface DerivativeOptions { argnums?: number | readonly number[]; hasAux?: boolean; holomorphic?: boolean }

/**
 * grad's, valueAndGrad's and the Jacobians' options after f: one options object, or JAX's
 * positional (argnums, hasAux, holomorphic), grad(f, 1, true) as grad(fun, argnums=1, has_aux=True)
 * reads; null or undefined argnums is the default, 0.
 */
export function derivativeOptions(where: string, rest: readonly unknown[]): DerivativeOptions | undefined {
  const [argnums] = rest;
  if (argnums !== undefined && argnums !== null && typeof argnums !== 'number' && !Array.isArray(argnums) && !isPlainObject(argnums)) {
    throw new ValueError(`${where}: argnums (argument 2) must be an integer, a list of integers or an options object ` +
      `{ argnums, hasAux, holomorphic }, got ${show(argnums)}`);
  }
  if (rest.every((v) => v === undefined)) return undefined;
  return readTrailing<DerivativeOptions>(where, rest, ['argnums', 'hasAux', 'holomorphic'], { argnums: 'any', hasAux: 'boolean', holomorphic: 'boolean' });
}

/** g named after the transform of f (`grad(loss)`), so an enclosing transform's messages name it (jit(grad(loss)), not jit(fn)). */
export function transformed<G extends Function>(g: G, transform: string, f: Function): G {
  return Object.defineProperty(g, 'name', { value: `${transform}(${(typeof f === 'function' && f.name) || 'fn'})` });
}

/** Transforms take functions: say so clearly instead of failing later with a JS TypeError. */
export function requireFunction(where: string, f: unknown): void {
  if (typeof f !== 'function') {
    throw new ValueError(`${where}: expected a function to transform, got ${f === null ? 'null' : typeof f}`);
  }
}

/** argnums as indices into this call's arguments; a negative one counts from the end (JAX's). */
export function normalizeArgnums(where: string, argnums: number | number[], nargs: number): number[] {
  const list = typeof argnums === 'number' ? [argnums] : argnums;
  if (!Array.isArray(list)) throw new ValueError(`${where}: argnums must be an integer or a list of integers, got ${show(argnums)}`);
  for (const a of list) {
    if (!Number.isInteger(a)) throw new ValueError(`${where}: argnums must be integers, got ${show(argnums)}`);
    if (a < -nargs || a >= nargs) {
      throw new ValueError(`${where}: argnums ${show(argnums)} out of range for a call with ${nargs} positional argument(s)`);
    }
  }
  const out = list.map((a) => (a < 0 ? a + nargs : a));
  // [0, 0] (or [-1, 2] of three arguments) would trace the argument twice and give all but one a zero derivative
  const twice = out.find((a, i) => out.indexOf(a) !== i);
  if (twice !== undefined) throw new ValueError(`${where}: argnums ${show(argnums)} names argument ${twice} twice`);
  return out;
}

/** Fresh copies of the leaves of args[argnums] (floats or complex only when `requireFloat`). */
export function traceInputs(where: string, args: unknown[], argnums: number[], requireFloat = true): TracedInputs {
  const out = args.slice();
  const rows: number[] = [];
  const infos: LeafInfo[] = [];
  const defs: TreeDef[] = [];
  const start = tapeLength();
  for (const i of argnums) {
    const [leaves, def] = flatten(args[i] as PyTree, `${where}: argument ${i}`);
    defs.push(def);
    const fresh = leaves.map((leaf, j) => {
      const a = asarray(leaf as ArrayInput, undefined, `${where}: argument ${i}${leafPath(def, j)}`);
      if (requireFloat && !isInexact(a.dtype)) {
        throw new DTypeError(`${where}: argument ${i}${leafPath(def, j)} has dtype ${a.dtype}; ` +
          `differentiation needs float32, float64, complex64 or complex128 inputs, got ${describe(a._shape, a.dtype)}`);
      }
      // A fresh row inside the traced range: a program input, or a copy (a view, no data moves) of
      // an enclosing trace's value or of a resident array's borrowed block. Under jit the tape is
      // abstract (an input row gets no buffer): a concrete point (a closed-over Array, a static
      // JS number) is baked as a constant, and the copy is the transform's input.
      const r = a.isTracer || jitContext() !== undefined ? emit('copy', [a._rowIn(where)]) : a._inputRow();
      rows.push(r);
      infos.push({ shape: a._shape, dtype: a.dtype });
      return NDArray.tracer(r);
    });
    out[i] = unflatten(def, fresh);
  }
  return { args: out, rows, infos, defs, start };
}

/** Whether v is a Promise or another thenable (what an async function returns). */
export const isThenable = (v: unknown): boolean => v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function';

/**
 * Refuse the Promise a user's function returned (`what` names the function: 'fwd', 'body'). Its
 * rejection is handled first: the async function runs on after this error, on traced values that
 * escaped, and the TracerError it then throws would be an unhandled rejection, which ends Node.
 */
export function refuseThenable(where: string, v: unknown, what = 'the function'): never {
  try { (v as Promise<unknown>).then(undefined, () => {}); } catch { /* a thenable's own then may throw */ }
  throw new ValueError(`${where}: ${what} returned a Promise (an async function?): transforms trace synchronously, ` +
    'and a traced value has no data to await (x.data()); compute with np functions and read results outside');
}

// (the prototypes of `async function` and `async function*`: their constructors are not globals)
const ASYNC_PROTOTYPES: readonly object[] = [Object.getPrototypeOf(async function () {}), Object.getPrototypeOf(async function* () {})];

/**
 * Refuse an async function before it is called: one that is not called eagerly (customLinearSolve's
 * matvec when solve ignores it, transposeSolve) would otherwise pass unnoticed until a transform
 * met it. (A function compiled from async to a plain one returning a Promise: callSync's check.)
 */
export function refuseAsyncFunction(where: string, what: string, f: unknown): void {
  if (typeof f !== 'function' || !ASYNC_PROTOTYPES.includes(Object.getPrototypeOf(f))) return;
  throw new ValueError(`${where}: ${what} is an async function: transforms trace synchronously, and a traced value has ` +
    'no data to await (x.data()); pass a synchronous function computing with np functions, and read results outside');
}

/** f(...args) for a transform or a lax control-flow function: a Promise it returns is refused (refuseThenable). */
export function callSync<T>(where: string, what: string, f: (...a: any[]) => T, ...args: unknown[]): T {
  const out = f(...args);
  if (isThenable(out)) refuseThenable(where, out, what);
  return out;
}

/**
 * Each output leaf as an Array (numbers become constants) and its row. `start`: the first row
 * of this transform's trace, to catch JS arithmetic on its tracers (a JS number returned after
 * valueOf read one of them: `x * x` is a number, and its derivative would silently be 0).
 */
export function outputRows(where: string, out: unknown, start = Infinity): { leaves: NDArray[]; def: TreeDef; rows: number[] } {
  // (a plain-object thenable, { then() {} }, is a Promise too: flattened, it was named by its then function)
  if (isThenable(out)) refuseThenable(where, out);
  const [ls, def] = flatten(out as PyTree);
  const leaves = ls.map((l: Leaf) => {
    if (!(l instanceof NDArray) && typeof l !== 'number' && typeof l !== 'boolean' && !isComplexLiteral(l)) {
      if (isThenable(l)) refuseThenable(where, l);
      throw new ValueError(`${where}: the function returned ${show(l)}, which is not an Array, a number, or a tree of them`);
    }
    if (typeof l === 'number' && tracerValueOfSince(start)) {
      throw new TracerError(`${where}: the function returned the JS number ${l} after a traced Array was converted ` +
        'to numbers (valueOf, item, tolist, dataSync): JS operators (x * x, x + 1, Math.sin(x)) and arithmetic on what ' +
        'item() gives compute plain numbers without ' +
        'derivatives. Use np.multiply, np.add, np.sin and friends. Comparisons for control flow (if (x < 3)) are fine; ' +
        'a branch that returns a constant should return an Array (np.array(c)) rather than a JS number');
    }
    return asarray(l);
  });
  return { leaves, def, rows: leaves.map((l) => l._rowIn(where)) };
}

/** Every leaf of a user's tangent/cotangent tree is an Array, a number or a boolean. */
export function requireLeaves(where: string, what: string, t: unknown): void {
  const [ls, def] = flatten(t as PyTree);
  ls.forEach((l: unknown, k) => {
    if (!(l instanceof NDArray) && typeof l !== 'number' && typeof l !== 'boolean' && !isComplexLiteral(l) && !ArrayBuffer.isView(l)) {
      throw new DTypeError(`${where}: ${what} leaf ${leafPath(def, k) || k} is ${typeof l === 'string' ? `'${l}' (a string)` : String(l)}; ` +
        'expected an Array or a number');
    }
  });
}

export function placeholderFor(info: LeafInfo): number {
  return emit('placeholder', [], [DTYPE_CODE[info.dtype], ...info.shape]);
}

export function zerosRow(info: LeafInfo): number {
  return emit('full', [], [DTYPE_CODE[info.dtype], 0, 0, ...info.shape]);
}

export interface Linearized {
  inputs: TracedInputs;
  out: unknown;
  aux: unknown;
  outLeaves: NDArray[];
  outDef: TreeDef;
  outRows: number[];
  placeholders: number[];
  linear: number[]; // the linear (tangent) row of each output leaf, -1 for zero
}

/** Trace f with fresh inputs at args[argnums], then linearize: placeholders seed a staged JVP. */
export function linearizeCall(where: string, f: (...a: any[]) => unknown, args: unknown[], argnums: number[], hasAux: boolean): Linearized {
  checkCallArity(where, f, args);
  const inputs = traceInputs(where, args, argnums);
  const placeholders = inputs.infos.map(placeholderFor);
  let out = f(...inputs.args);
  let aux: unknown = undefined;
  if (hasAux) [out, aux] = splitAux(where, out);
  const end = tapeLength();
  const o = outputRows(where, out, inputs.start);
  const linear = jvpRows(inputs.start, end, inputs.rows, placeholders, o.rows);
  return { inputs, out, aux, outLeaves: o.leaves, outDef: o.def, outRows: o.rows, placeholders, linear };
}

/** A hasAux function's `[output, aux]`, or a ValueError saying what it returned instead (JAX's check). */
export function splitAux(where: string, out: unknown): [unknown, unknown] {
  if (isThenable(out)) refuseThenable(where, out);
  if (Array.isArray(out) && out.length === 2) { refuseHiddenInAux(where, out[1]); return [out[0], out[1]]; }
  const got = Array.isArray(out) ? `a list of ${out.length}` : out instanceof NDArray ? `an Array ${describe(out._shape, out.dtype)}` : show(out);
  throw new ValueError(`${where}: with hasAux the function must return [output, aux] (a list of two), got ${got}`);
}

/**
 * The aux comes back as materialize copies it, its lists and plain objects rebuilt as tree.unflatten
 * rebuilds a tree: a property the copy would lose is refused, as in a tree (the aux may hold
 * anything else, and cycles).
 */
function refuseHiddenInAux(where: string, aux: unknown): void {
  const seen = new Set<object>();
  const go = (x: unknown): void => {
    if (x === null || typeof x !== 'object' || x instanceof NDArray || seen.has(x)) return;
    seen.add(x);
    if (Array.isArray(x)) {
      refuseHiddenProperties(x, null, where);
      for (const e of x) go(e);
      return;
    }
    const proto = Object.getPrototypeOf(x);
    if (proto !== Object.prototype && proto !== null) return;
    const keys = Object.keys(x);
    refuseHiddenProperties(x, keys, where);
    for (const k of keys) go((x as Record<string, unknown>)[k]);
  };
  go(aux);
}

/** Split a flat list of per-leaf values back into one tree per differentiated argument. */
export function perArgument<T>(inputs: TracedInputs, flat: T[]): unknown[] {
  const out: unknown[] = [];
  let k = 0;
  for (const def of inputs.defs) {
    const n = countLeaves(def);
    out.push(unflatten(def, flat.slice(k, k + n)));
    k += n;
  }
  return out;
}

function countLeaves(def: TreeDef): number {
  switch (def.kind) {
    case 'leaf': return 1;
    case 'none': return 0;
    default: return def.children.reduce((n, c) => n + countLeaves(c), 0);
  }
}

/** Turn every Array leaf of a result into a concrete, JS-owned array (end of a top-level trace). */
export function materialize<T>(out: T, where: string): T {
  // (copies keep shared and cyclic references: a hasAux aux may be any JS value, [1, itself] included)
  const copies = new Map<object, unknown>();
  const go = (x: unknown): unknown => {
    if (x instanceof NDArray) return x._concrete();
    if (x === null || typeof x !== 'object') return x;
    const done = copies.get(x);
    if (done !== undefined) return done;
    if (Array.isArray(x)) {
      const a: unknown[] = [];
      copies.set(x, a);
      for (const e of x) a.push(go(e));
      const names = namesOf(x); // (a namedtuple result keeps its field names: jit(linalg.slogdet)(a).logabsdet)
      return names === undefined ? a : named(a, names);
    }
    const proto = Object.getPrototypeOf(x);
    if (proto === Object.prototype || proto === null) { // (null: Object.create(null), a dict as in tree)
      const o: Record<string, unknown> = {};
      copies.set(x, o);
      for (const k of Object.keys(x)) setKey(o, k, go((x as Record<string, unknown>)[k]));
      return o;
    }
    refuseHiddenTracer(where, x);
    return x;
  };
  return go(out) as T;
}

/**
 * A Map, Set or class instance is kept as it is (it is not a pytree node), so a traced Array
 * inside it could never be made concrete: reading it later would blame the user for storing a
 * value they returned. Refused here, with its place (own fields, Map and Set entries, a few
 * levels deep and a few thousand objects in: a tracer further away is caught when it is read).
 */
function refuseHiddenTracer(where: string, x: object): void {
  const seen = new Set<object>();
  let visited = 0;
  const look = (v: unknown, path: string, depth: number): void => {
    if (v instanceof NDArray) {
      if (v.isTracer) {
        const c = containerName(x);
        throw new ValueError(`${where}: the function returned a traced Array inside a ${c} (at ${path}); a ${c} is not a pytree node ` +
          `(only lists and plain objects are), so the Array cannot be made concrete: return it in a list or a plain object instead`);
      }
      return;
    }
    if (v === null || typeof v !== 'object' || depth > 4 || seen.has(v) || ++visited > 10000) return; // (a big object graph: looked at in part)
    seen.add(v);
    if (v instanceof Map) { for (const [k, e] of v) { look(k, `${path}.keys()`, depth + 1); look(e, `${path}.get(${showKey(k)})`, depth + 1); } return; }
    if (v instanceof Set) { let k = 0; for (const e of v) look(e, `${path}.values()[${k++}]`, depth + 1); return; }
    if (ArrayBuffer.isView(v)) return;
    for (const k of Object.keys(v)) look((v as Record<string, unknown>)[k], `${path}.${k}`, depth + 1);
  };
  look(x, '', 0);
}

function containerName(x: object): string {
  if (x instanceof Map) return 'Map';
  if (x instanceof Set) return 'Set';
  const c = (x as { constructor?: { name?: string } }).constructor?.name;
  return c ? `${c} instance` : 'non-plain object';
}

function showKey(k: unknown): string { return typeof k === 'string' ? JSON.stringify(k) : String(k); }
