// jit: trace once per input signature into an abstract tape (shapes and dtypes only, no kernel
// runs), freeze it (assembly/ad/freeze.ts keeps only what the outputs depend on, with small
// constants baked in; large Arrays it reads are inputs bound at each call: NDArray._rowIn), optimize it, and replay it from wasm on every call: the frozen rows are
// inlined into the current trace in one call, so a call costs one copy of the arguments in, the
// rows back to back in wasm, and one copy of the results out. Inlining makes jit compose like
// any primitive: grad(jit(f)) differentiates the inlined rows, vmap(jit(f)) batches them, and a
// jit inside a jit inlines into the outer one's abstract tape.
//
// The cache key: the argument tree's structure, each Array leaf's dtype and shape, and the
// static arguments, and the PRNG scheme (random.setThreefryPartitionable). JS numbers and booleans among the arguments are static (keyed by value), and so are complex
// literals ({ re, im }): JS cannot mark them weakly typed tracers the way Python scalars are, and
// keeping them JS values keeps eager semantics (weak typing, control flow on them; a complex
// literal beside a complex128 Array stays complex128, where an input row had made it complex64).
// Static lists, plain objects, Maps, Sets, Dates and typed arrays are keyed by their contents (a config changed in place retraces),
// other objects (Arrays, functions, class instances) by identity. The cache serves top-level calls only: under a transform f is traced again (its
// closure may hold that trace's tracers now), as JAX keys its cache on the enclosing trace.
//
// Donation (donateArgnums, JAX's donate_argnums): a top-level call deletes the Arrays of the
// donated arguments once it returns, and the replay may write an output straight into a donated
// Array's resident block (assembly/ad/donate.ts; `params = step(params, ...)` updates the
// parameters in place); an output that is a donated Array itself takes over its storage. Under an
// enclosing transform the arguments are that trace's values: nothing is donated (as in JAX).
import { NDArray, isComplexLiteral } from '../array.js';
import { asarray } from '../numpy.js';
import { flatten, unflatten, leafPath, PyTree, TreeDef } from '../tree.js';
import { scope, emit, freezeRows, inlineRows, replayDonated, onAbstractTape, jitContext, inTrace } from '../../core/trace.js';
import * as resident from '../../core/resident.js';
import { KeptTape } from '../../core/kept_tapes.js';
import { DTYPE_CODE, DType } from '../../core/dtype.js';
import { DTypeError, ValueError, CotangentError } from '../../core/errors.js';
import { readOptions, show as showValue } from '../options.js';
import { devices } from '../devices.js';
import { threefryPartitionable } from '../random.js';
import { materialize, requireFunction, outputRows, checkCallArity } from './trace_args.js';
import { declaredParams } from '../arity.js';
import { printTape } from './jaxpr.js';
import { optimizeTape, fuseTape } from './optimize.js';
import type { Fn, Loosen } from './types.js';
import { registerOneShot } from '../np_shared.js';

export interface JitOptions {
  /**
   * Arguments that are static: part of the cache key (JS values, lists, plain objects, Maps, Sets, Dates and typed arrays by value, other objects by identity),
   * passed to `f` as they are. Negative indices count from the end of each call's arguments. One
   * outside f's declared parameters is a ValueError at jit(), as JAX's (any is taken with a rest parameter).
   */
  staticArgnums?: number | readonly number[];
  /**
   * Arguments whose Arrays (every Array leaf of their trees) the caller gives up, as JAX's
   * `donate_argnums`: after a top-level call they are deleted (`x.isDeleted()`; reading their
   * values, or passing them to an op, throws a DeletedArrayError; `shape` and `dtype` stay
   * readable), and the call may write its results into their wasm blocks instead of fresh ones
   * (`params = step(params, x, y)` updates the parameters in place). The results are the bits a
   * call without donation gives. Negative indices count from the end; must not overlap
   * `staticArgnums`. Ignored under an enclosing transform (grad/vmap of the jitted function, jit
   * inside jit), where the arguments are that trace's values.
   */
  donateArgnums?: number | readonly number[];
  /** The device the computation runs on (API.md's `jit(f, { device })`): one of `devices()`; only 'cpu' until WebGPU lands. */
  device?: string;
}

interface Entry {
  tape: KeptTape; // the optimized program (printed; what fusion starts from)
  fused: KeptTape; // the same with its elementwise chains fused (what a top-level call replays)
  before: string; // its text before optimization (makeJaxpr)
  outDef: TreeDef;
  numbers: Returned[]; // per output leaf: the JS number, boolean or complex literal f returned there (given back as is)
  nDynamic: number;
  constants: NDArray[]; // the large Arrays f read, bound after the arguments (and lifted tracers) at each call
}

export interface Jitted<F extends Fn> {
  (...args: Loosen<Parameters<F>>): ReturnType<F>;
  /** How many times f has been traced (once per new signature). */
  readonly traceCount: number;
  /**
   * The program for these arguments (JAX's lower(...)): `asText()` is the program as traced
   * (`{ optimized: true }`: after the optimizer), `compile().asText()` the program a call runs,
   * optimized and with its elementwise chains fused.
   */
  lower(...args: Loosen<Parameters<F>>): { asText(opts?: { optimized?: boolean }): string; compile(): ((...args: Loosen<Parameters<F>>) => ReturnType<F>) & { asText(): string } }; // (Loosen: JS numbers and lists run, as in the call)
  /** Drop every cached program now (they are also freed with the function). */
  clearCache(): void;
}

/** A JS number or boolean f returned as an output leaf (eager gives it back as is: so does jit), or undefined. */
type Returned = number | boolean | { re: number; im: number } | undefined;
/** The JS values among a traced function's output leaves (returned as they are), undefined for each Array. */
function returnedNumbers(out: unknown): Returned[] {
  return flatten(out as PyTree)[0].map((l): Returned => (typeof l === 'number' || typeof l === 'boolean' ? l
    : isComplexLiteral(l) ? { re: (l as { re: number }).re, im: (l as { im: number }).im } : undefined));
}

/**
 * Programs kept per jitted function, the least recently used dropped past it: JS numbers are
 * static, so `step(w, lr)` with a new lr each call traces each call, and an unbounded cache grew
 * by a program a call (20,000 steps: 40,000 kept tapes).
 */
export const MAX_CACHED = 64;

function dispose(e: Entry): void { e.tape.dispose(); e.fused.dispose(); }

let objectIds = new WeakMap<object, number>();
let nextObjectId = 1;
function staticKey(v: unknown): string {
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string' || typeof v === 'bigint') {
    // strings quoted, so no string can spell another key's separators ('p|s2=string:q')
    return typeof v === 'string' ? `string:${JSON.stringify(v)}` : `${typeof v}:${Object.is(v, -0) ? '-0' : String(v)}`;
  }
  if (Array.isArray(v) || isPlainObject(v) || isPlainCollection(v)) { // lists, plain objects, Maps, Sets by value (a config object changed in place retraces)
    const k = structuralKey(v, new Set(), 0);
    if (k !== null) return k;
  }
  // (a Date by its time: by identity, d.setTime(...) between calls replayed the old program)
  if (v instanceof Date && Object.getPrototypeOf(v) === Date.prototype && Reflect.ownKeys(v).length === 0) return `date:${staticKey(v.getTime())}`;
  if (ArrayBuffer.isView(v)) return viewKey(v); // by its bytes: by identity, one filled in place replayed the old values
  if (typeof v === 'object' || typeof v === 'function') {
    let id = objectIds.get(v as object);
    if (id === undefined) { id = nextObjectId++; objectIds.set(v as object, id); }
    return `obj#${id}`;
  }
  if (typeof v === 'symbol') { // by identity: Symbol('k') and another Symbol('k') are different keys
    let id = symbolIds.get(v);
    if (id === undefined) { id = nextObjectId++; symbolIds.set(v, id); }
    return `sym#${id}`;
  }
  return `${typeof v}:${String(v)}`;
}
/** A typed array's (or DataView's) key: its type and its bytes, as a string (chunked: fromCharCode takes so many arguments). */
function viewKey(v: ArrayBufferView): string {
  if (v.byteLength === 0) return `${v.constructor.name}:""`; // (empty, or its buffer was transferred: no bytes to view)
  const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 8192) parts.push(String.fromCharCode(...bytes.subarray(i, i + 8192)));
  return `${v.constructor.name}:${JSON.stringify(parts.join(''))}`;
}
/**
 * A list's or plain object's key from its contents (JAX refuses unhashable static arguments; by
 * identity, a config object changed in place replayed the old program, and a list literal
 * retraced every call), or null for a cycle or a nesting past 64 levels (then: by identity).
 */
function structuralKey(v: unknown, path: Set<object>, depth: number): string | null {
  if (!(Array.isArray(v) || isPlainObject(v) || isPlainCollection(v))) return staticKey(v);
  if (path.has(v as object) || depth > 64) return null;
  path.add(v as object);
  const parts: string[] = [];
  if (Array.isArray(v)) {
    // a hole is keyed as one (keyed by identity, filling it in place, l[1] = 5, replayed the old program)
    for (let i = 0; i < v.length; i++) {
      if (!(i in v)) { parts.push('hole'); continue; }
      const k = structuralKey(v[i], path, depth + 1);
      if (k === null) return null;
      parts.push(k);
    }
  } else if (v instanceof Map || v instanceof Set) {
    // a Map or Set by its entries in insertion order (by identity, m.set('lr', 7) between calls replayed the old program)
    for (const [key, val] of (v instanceof Map ? v.entries() : [...v].map((e) => [e, true] as const))) {
      const kk = structuralKey(key, path, depth + 1), kv = structuralKey(val, path, depth + 1);
      if (kk === null || kv === null) return null;
      parts.push(v instanceof Map ? `${kk}=>${kv}` : kk);
    }
  }
  // Own properties: all of a plain object's, in its own key order (f receives the object as given
  // and may read that order: sorted, { a: 2, b: 10 } and { b: 10, a: 2 } shared a program that read
  // Object.values(o)[0]), and a list's, Map's or Set's beside its elements (l.scale = 10); symbol-keyed
  // and non-enumerable ones too ({ [S]: 2 } and { [S]: 5 } shared one program). (A list or Map with
  // one was keyed by identity: l.scale = 10 on the same list replayed the program traced with 2.)
  const own = Reflect.ownKeys(v as object);
  // (a list of its elements alone, the common case, skips the per-key test below)
  // ('length' last and one key per element: no hole, no property beside them)
  for (const name of Array.isArray(v) && own.length === v.length + 1 && own[v.length] === 'length' ? [] : own) {
    if (Array.isArray(v) && (name === 'length' || (typeof name === 'string' && /^(0|[1-9][0-9]*)$/.test(name)))) continue; // (the elements, above)
    const k = structuralKey((v as Record<string | symbol, unknown>)[name], path, depth + 1);
    if (k === null) return null;
    const hidden = Object.getOwnPropertyDescriptor(v, name)!.enumerable ? '' : '~';
    parts.push(`${hidden}${typeof name === 'symbol' ? staticKey(name) : JSON.stringify(name)}:${k}`);
  }
  path.delete(v as object);
  return Array.isArray(v) ? `list[${parts.join(',')}]` : v instanceof Map ? `map{${parts.join(',')}}` : v instanceof Set ? `set{${parts.join(',')}}` : `dict{${parts.join(',')}}`;
}

/** A Map or Set itself (not a subclass, whose own state the entries would miss). */
function isPlainCollection(v: unknown): v is Map<unknown, unknown> | Set<unknown> {
  if (v === null || typeof v !== 'object') return false;
  const p = Object.getPrototypeOf(v);
  return p === Map.prototype || p === Set.prototype;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}
/** A DeletedArrayError for `where` if static value v is, or holds (in lists, plain objects, Maps, Sets), a deleted Array. */
function liveStatic(v: unknown, where: string, path: Set<object>, depth: number): void {
  if (v instanceof NDArray) { v._live(where); return; }
  if (!(Array.isArray(v) || isPlainObject(v) || isPlainCollection(v)) || path.has(v as object) || depth > 64) return;
  path.add(v as object);
  const items = v instanceof Map ? [...v.keys(), ...v.values()] : v instanceof Set ? [...v]
    : Reflect.ownKeys(v as object).map((k) => (v as Record<string | symbol, unknown>)[k]);
  for (const x of items) liveStatic(x, where, path, depth + 1);
}
const symbolIds = new Map<symbol, number>(); // (symbols as WeakMap keys need a newer runtime; few are ever static)

function normalizeArgnumList(where: string, v: number | readonly number[] | undefined): number[] {
  if (v === undefined) return [];
  const list = typeof v === 'number' ? [v] : Array.isArray(v) ? Array.from(v) : null;
  if (list === null || !list.every((a) => Number.isInteger(a))) throw new ValueError(`${where}: argnums must be integers, got ${showValue(v)}`); // (showValue: JSON.stringify threw a TypeError on a bigint)
  return [...new Set(list)];
}

/**
 * JAX's check of argnums against f's signature at jit() (api_util._validate_argnums, called by
 * resolve_argnums for jax.jit): when f declares n parameters and no rest parameter, an argnum
 * outside -n..n-1 is a ValueError naming the option and the value (JAX: "Jitted function has
 * static_argnums=(2,), but only accepts 2 positional arguments."). With a rest parameter, as
 * JAX's *args, or parameters that cannot be read (bound or native functions, ones reading
 * `arguments`), every argnum is accepted: at a call, one outside its arguments is left out.
 */
function validateArgnums(option: string, list: number[], f: Function, name: string): void {
  const p = declaredParams(f);
  if (p === null || p.max === Infinity) return;
  const n = p.max, bad = list.filter((a) => a >= n || a < -n);
  if (bad.length === 0) return;
  const rule = n === 0 ? 'no parameters, so it takes no argnums' : `${n} parameter${n === 1 ? '' : 's'} (${p.names.join(', ')}): argnums must lie in ${-n}..${n - 1}`;
  throw new ValueError(`jit: ${option} ${bad.join(', ')} ${bad.length === 1 ? 'is' : 'are'} out of range for ${name}, which declares ${rule}, ` +
    "as JAX's jit requires of a function whose signature it reads (with a rest parameter, ...args, any argnum is taken)");
}

/**
 * Argnums resolved for a call with `n` arguments (negative ones count from the end, as Python
 * indices); those out of range are left out, as JAX leaves out argnums past a call's arguments
 * (only possible for f with a rest parameter, or default parameters the call leaves out:
 * validateArgnums refused the others at jit()).
 */
function resolveArgnums(list: number[], n: number): Set<number> {
  const out = new Set<number>();
  for (const a of list) { const i = a < 0 ? a + n : a; if (i >= 0 && i < n) out.add(i); }
  return out;
}

export function jit<F extends Fn>(f: F, options?: JitOptions): Jitted<F> {
  if (arguments.length > 2) throw new ValueError(`jit: takes (f, { staticArgnums, donateArgnums, device }), got ${arguments.length} arguments`);
  requireFunction('jit', f);
  const opts = readOptions<JitOptions>('jit', options, { staticArgnums: 'any', donateArgnums: 'any', device: 'any' });
  if (opts.device !== undefined && !devices().includes(opts.device)) {
    throw new ValueError(`jit: device ${showValue(opts.device)} is not available; devices() lists ${JSON.stringify(devices())}`);
  }
  const staticList = normalizeArgnumList('jit: staticArgnums', opts.staticArgnums);
  const donateList = normalizeArgnumList('jit: donateArgnums', opts.donateArgnums);
  const name = f.name || 'fn';
  validateArgnums('staticArgnums', staticList, f, name);
  validateArgnums('donateArgnums', donateList, f, name);
  // (negative argnums resolved against f's declared parameters, as JAX resolves them against its
  // signature: staticArgnums [1] with donateArgnums [-1] on (x, y) was caught only at the first call)
  const arity = declaredParams(f);
  const resolved = (l: number[]) => (arity === null || arity.max === Infinity ? l : l.map((a) => (a < 0 ? a + arity.max : a)));
  const both = resolved(donateList).filter((a) => resolved(staticList).includes(a));
  if (both.length > 0) {
    throw new ValueError(`jit: argnums ${JSON.stringify(both)} are in both staticArgnums ${JSON.stringify(staticList)} and donateArgnums ` +
      `${JSON.stringify(donateList)}; a static argument is a cache key, not a buffer: it cannot be donated (as in JAX)`);
  }
  // The resolved argnums for the last argument count (a function is called with one count, mostly).
  let resolvedFor = -1, statics = new Set<number>(), donated = new Set<number>();
  const argnumsFor = (n: number) => {
    if (n !== resolvedFor) {
      statics = resolveArgnums(staticList, n);
      donated = resolveArgnums(donateList, n);
      for (const i of donated) {
        if (statics.has(i)) {
          throw new ValueError(`jit(${name}): argument ${i} of ${n} is both static (staticArgnums ${JSON.stringify(staticList)}) and donated ` +
            `(donateArgnums ${JSON.stringify(donateList)})`);
        }
      }
      resolvedFor = n;
    }
    return { statics, donated };
  };
  const cache = new Map<string, Entry>();
  let traces = 0;

  /** The dynamic leaves (Arrays) of the arguments, and the cache key. */
  const analyze = (args: unknown[]) => {
    checkCallArity(`jit(${name})`, f, args);
    const parts: string[] = [];
    const leaves: NDArray[] = [];
    const defs: (TreeDef | null)[] = [];
    const staticLeaves: unknown[][] = [];
    const { statics } = argnumsFor(args.length);
    args.forEach((a, i) => {
      if (statics.has(i)) {
        // (a static Array is keyed by identity and a small one baked in: deleted since, a cached
        // program replayed its old values silently, and a first call's error named the op inside f)
        liveStatic(a, `jit(${name}): argument ${i} (static)`, new Set(), 0);
        parts.push(`s${i}=${staticKey(a)}`); defs.push(null); staticLeaves.push([]); return;
      }
      const [ls, def] = flatten(a as PyTree, `jit(${f.name || 'fn'}): argument ${i}`);
      defs.push(def);
      const st: unknown[] = [];
      parts.push(`a${i}=${JSON.stringify(def)}`); // (keys quoted: { 'a: null, b': x } and { a: null, b: x } differ)
      ls.forEach((l, j) => {
        if (typeof l === 'number' || typeof l === 'boolean') { parts.push(staticKey(l)); st.push(l); return; }
        if (isComplexLiteral(l)) { // a { re, im } is a JS number's complex kin: static by value, weak (an input row made it complex64)
          const c = l as { re: number; im: number };
          parts.push(`complex:${staticKey(c.re)},${staticKey(c.im)}`); st.push(l); return;
        }
        if (!(l instanceof NDArray) && !Array.isArray(l) && !ArrayBuffer.isView(l)) { // (a typed array is read as np.array reads it)
          throw new DTypeError(`jit(${name}): argument ${i}${leafPath(def, j)} is ${showValue(l)}, which is not an Array or a ` +
            `number; jit traces Array arguments, so mark an argument of another kind static (jit(f, { staticArgnums: ${i} })), as JAX's static_argnums`);
        }
        const x = l instanceof NDArray ? l._live(`jit(${name}): argument ${i}`) : asarray(l as any, undefined, `jit(${name}): argument ${i}${leafPath(def, j)}`);
        parts.push(`${x.dtype}[${x._shape.join(',')}]`);
        leaves.push(x); st.push(x);
      });
      staticLeaves.push(st);
    });
    // (the PRNG scheme too, as JAX keys on jax_threefry_partitionable: a program traced under one
    // scheme baked its counter layout in)
    return { key: `${args.length}|${threefryPartitionable() ? 'P' : 'O'}|${parts.join('|')}`, leaves, defs, staticLeaves };
  };

  /** f's arguments with every Array leaf replaced by the next of `xs`. */
  const rebuild = (args: unknown[], a: ReturnType<typeof analyze>, xs: NDArray[]) => {
    let k = 0;
    return args.map((arg, i) => {
      const def = a.defs[i];
      if (def === null) return arg;
      return unflatten(def, a.staticLeaves[i].map((l) => (l instanceof NDArray ? xs[k++] : l)));
    });
  };

  /**
   * Trace f on a fresh abstract tape: the program as traced (frozen), its output tree, and the
   * rows of an enclosing trace it closes over (bound after its inputs at each call).
   */
  const traceRaw = (args: unknown[], a: ReturnType<typeof analyze>) => {
    traces++;
    return onAbstractTape(name, () => {
      const inputs = a.leaves.map((x) => emit('input', [], [DTYPE_CODE[x.dtype as DType], ...x._shape]));
      const out = f(...rebuild(args, a, inputs.map((r) => NDArray.tracer(r))));
      const o = outputRows(`jit(${name})`, out);
      const jc = jitContext()!;
      const lifted = [...jc.lifted.values()];
      const constants = jc.constants.map((c) => c.value as NDArray);
      const { handle } = freezeRows([...inputs, ...lifted.map((l) => l.inner), ...jc.constants.map((c) => c.inner)], o.rows, false);
      const numbers = returnedNumbers(out);
      return { raw: new KeptTape(handle), outDef: o.def, numbers, lifted: lifted.map((l) => l.outer), constants };
    });
  };

  /** traceRaw, then optimized and fused: what a top-level call replays (the traced program is printed, then freed). */
  const trace = (args: unknown[], a: ReturnType<typeof analyze>): { entry: Entry; lifted: number[] } => {
    const { raw, outDef, numbers, lifted, constants } = traceRaw(args, a);
    let tape: KeptTape | undefined, fused: KeptTape;
    let before: string;
    try {
      before = printTape(raw.handle('jit'), name, a.leaves.length);
      tape = optimizeTape(raw, name);
      fused = fuseTape(tape, name);
    } catch (e) { tape?.dispose(); throw e; } finally { raw.dispose(); }
    return { entry: { tape, fused, before, outDef, numbers, nDynamic: a.leaves.length, constants }, lifted };
  };

  const entryFor = (args: unknown[]) => {
    const a = analyze(args);
    let entry = cache.get(a.key);
    let lifted: number[] = [];
    if (entry === undefined) {
      const t = trace(args, a);
      entry = t.entry;
      lifted = t.lifted;
      // A program that closes over tracers of an enclosing trace is bound to this call only.
      if (lifted.length === 0) {
        cache.set(a.key, entry);
        entry.tape.ownedBy(jitted);
        entry.fused.ownedBy(jitted);
        if (cache.size > MAX_CACHED) { // the least recently used goes (a JS number argument that changes every call traces every call)
          const [k, old] = cache.entries().next().value as [string, Entry];
          cache.delete(k);
          dispose(old);
        }
      }
    } else if (a.key !== lastKey) { cache.delete(a.key); cache.set(a.key, entry); } // most recent last
    lastKey = a.key;
    return { a, entry, lifted };
  };
  let lastKey = '';

  // (a deleted Array f closes over is named as such: the caller passed no deleted argument)
  const constWhere = `jit(${name}): an Array the function closes over (a constant of its program)`;
  const jitted = ((...args: unknown[]) => {
    const top = !inTrace(); // no transform reads the intermediates: replay reusing their buffers
    if (!top) return nestedCall(args);
    if (donateList.length > 0) return donatingCall(args);
    return scope(() => {
      const { a, entry } = entryFor(args); // (no lifted tracers at top level)
      const where = `jit(${name})`;
      const binds = [...a.leaves.map((x) => x._rowIn(where)), ...entry.constants.map((c) => c._rowIn(constWhere))];
      const outs = inlineRows(entry.fused.handle(where, jitted), binds, where, true);
      return unflatten(entry.outDef, outs.map((r, k) => entry.numbers[k] ?? NDArray.tracer(r)));
    }, (out) => materialize(out, `jit(${name})`));
  }) as unknown as Jitted<F>;

  /**
   * A call under a transform (grad/vmap/jvp of the jitted function, jit inside jit): f is traced
   * again, as JAX keys its cache on the enclosing trace. A cached program could be stale: f may
   * close over a variable that held an Array when it was traced and holds this trace's tracer now
   * (baked in, the tracer would be silently ignored: a zero derivative). Transforms read the
   * intermediates, so they get the program as traced, eager's own rows: grad(jit(f)) is grad(f)
   * bit for bit (the optimized one would sum some cotangents in another order: CSE merges rows
   * that eager keeps apart); an enclosing jit optimizes it all.
   */
  const nestedCall = (args: unknown[]) => scope(() => {
    const a = analyze(args);
    const { raw, outDef, numbers, lifted, constants } = traceRaw(args, a);
    try {
      const binds = [...a.leaves.map((x) => x._rowIn(`jit(${name})`)), ...lifted, ...constants.map((c) => c._rowIn(constWhere))];
      const outs = inlineRows(raw.handle(`jit(${name})`), binds, `jit(${name})`, false);
      return unflatten(outDef, outs.map((r, k) => numbers[k] ?? NDArray.tracer(r)));
    } finally { raw.dispose(); }
  }, (out) => materialize(out, `jit(${name})`));

  /** A top-level call that deletes the donated arguments' Arrays once it has run. */
  const donatingCall = (args: unknown[]) => {
    const { donated } = argnumsFor(args.length);
    const gone = new Map<NDArray, string>(); // each donated Array (once), and where it went
    for (const i of donated) {
      for (const l of flatten(args[i] as PyTree)[0]) {
        if (!(l instanceof NDArray) || gone.has(l)) continue;
        // (donation deletes the Array, which a frozen one cannot record: it would read the outputs' bytes)
        if (Object.isFrozen(l)) {
          throw new ValueError(`jit(${name}): argument ${i} (donateArgnums) holds a frozen Array (Object.freeze); a donated Array is ` +
            'deleted, which a frozen one cannot be: donate an unfrozen Array (np.array(x) copies one), or leave it out of donateArgnums');
        }
        gone.set(l, `jit(${name}) as argument ${i}`);
      }
    }
    let ran = false;
    try {
      return scope(() => {
        const { a, entry } = entryFor(args); // (no lifted tracers at top level)
        const where = `jit(${name})`;
        const binds = [...a.leaves.map((x) => x._rowIn(where)), ...entry.constants.map((c) => c._rowIn(constWhere))];
        const give = [...a.leaves.map((x) => gone.has(x)), ...entry.constants.map(() => false)];
        ran = true; // from here on a failure may have written over the donated blocks: they go too
        const { outs, taken } = replayDonated(entry.fused.handle(where, jitted), binds, give, where);
        taken.forEach((t, k) => { if (t) resident.disown(a.leaves[k]._block!); });
        // An output that is a donated Array itself takes over its storage (once; a second copies).
        const byRow = new Map<number, NDArray>();
        binds.forEach((r, k) => { if (give[k] && !byRow.has(r)) byRow.set(r, a.leaves[k]); });
        return unflatten(entry.outDef, outs.map((r, k) => {
          if (entry.numbers[k] !== undefined) return entry.numbers[k];
          const x = byRow.get(r);
          return x !== undefined && (x._js !== null || x._block !== null) ? x._handOver() : NDArray.tracer(r);
        }));
      }, (out) => materialize(out, `jit(${name})`));
    } finally {
      if (ran) for (const [x, to] of gone) x._delete(to);
    }
  };

  Object.defineProperty(jitted, 'traceCount', { get: () => traces });
  /** The signature of a call, readably: each argument's Array leaves as dtype[shape], JS values as they are. */
  const signature = (args: unknown[]): string => {
    const { statics } = argnumsFor(args.length);
    return `(${args.map((x, i) => statics.has(i) ? `static ${showValue(x)}`
      : flatten(x as PyTree)[0].map((l) => (l instanceof NDArray ? `${l.dtype}[${l._shape.join(',')}]` : showValue(l))).join(', ')).join('; ')})`;
  };
  (jitted as any).lower = (...args: unknown[]) => scope(() => {
    const key = analyze(args).key, sig = signature(args);
    const { entry, lifted } = entryFor(args);
    const after = printTape(entry.tape.handle('lower', jitted), name, entry.nDynamic);
    const compiled = printTape(entry.fused.handle('lower', jitted), name, entry.nDynamic);
    if (lifted.length > 0) dispose(entry);
    return {
      asText: (...a: unknown[]) => { // JAX: as traced by default
        // (asText(true) and { optimised: true } printed the traced program without a word)
        if (a.length > 1) throw new ValueError(`jit(${name}).lower(...).asText: takes one options object { optimized }, got ${a.length} arguments`);
        const o = readOptions<{ optimized?: boolean }>(`jit(${name}).lower(...).asText`, a[0], { optimized: 'boolean' });
        return o.optimized === true ? after : entry.before;
      },
      // JAX's lowered.compile(): a callable (this jitted function, whose cache holds the program) with asText
      // (bound to the signature it was lowered for, as JAX's Compiled: other arguments are an error, not a new trace)
      compile: () => Object.assign((...xs: unknown[]) => {
        if (analyze(xs).key !== key) {
          throw new ValueError(`jit(${name}).lower(...).compile(): compiled for arguments ${sig}, called with ${signature(xs)}; ` +
            'call the jitted function itself to trace for other shapes, dtypes or static values');
        }
        return (jitted as unknown as (...a: unknown[]) => unknown)(...xs);
      }, { asText: () => compiled }),
    };
  }, (x) => x);
  (jitted as any).clearCache = () => { for (const e of cache.values()) dispose(e); cache.clear(); };
  return jitted;
}

/** JAX's make_jaxpr: the program jit traces for these arguments, as text: as traced (JAX's), or after the optimizer with `{ optimized: true }`. */
export function makeJaxpr<F extends Fn>(f: F, options?: JitOptions & { optimized?: boolean }): (...args: Loosen<Parameters<F>>) => string { // (Loosen: as jit's call)
  requireFunction('makeJaxpr', f); // (jit inside named itself)
  // (makeJaxpr(f, x) read x's fields as options: "unknown option '_shape'")
  if (arguments.length > 2 || (options !== undefined && !isPlainObject(options))) {
    throw new ValueError(`makeJaxpr: takes (f, options?) and returns a function of f's arguments: makeJaxpr(f)(...args), got ${showValue(options)} as options`);
  }
  const { optimized, ...rest } = (options ?? {}) as JitOptions & { optimized?: boolean };
  if (optimized !== undefined && typeof optimized !== 'boolean') throw new ValueError(`makeJaxpr: optimized must be true or false, got ${showValue(optimized)}`);
  let j: ReturnType<typeof jit>;
  try {
    j = jit(f, rest);
  } catch (e) { // (an option's error named jit: "jit: unknown option 'staticArgnum'")
    if (e instanceof CotangentError && e.message.startsWith('jit: ')) {
      // (its list of valid options left out makeJaxpr's own, optimized)
      e.message = `makeJaxpr: ${e.message.slice(5)}`.replace(/(valid options are [^.;]*)/, "$1, 'optimized'");
    }
    throw e;
  }
  // Only the text is wanted: free the program at once (JAX's make_jaxpr keeps none), rather than
  // 2 kept tapes per makeJaxpr(f)(x) that a loop which never yields held until the tape budget.
  return (...args) => { try { return j.lower(...args).asText({ optimized: optimized ?? false }); } finally { j.clearCache(); } };
}

/**
 * body() at top level as a one-shot program: traced on an abstract tape, optimized and fused,
 * then replayed with its intermediates in buffers reused by liveness, and freed. What a numpy
 * composite (np_shared.ts) runs on large arrays: eagerly every intermediate of its one call lived
 * until it returned (np.logaddexp of 1M float64 grew wasm memory by 325 MiB, np.gelu by 246).
 * Undefined when the body cannot be traced abstractly (it reads a value, or needs a shape only
 * values give: a TracerError): the caller runs it eagerly. The Arrays it closes over are bound
 * for the call only (not held, as a jitted function's constants are: tidy may release them).
 */
export function runOnce<T>(name: string, body: () => T): T | undefined {
  let traced: { raw: KeptTape; outDef: TreeDef; numbers: Returned[]; constants: NDArray[] };
  try {
    traced = onAbstractTape(name, () => {
      const out = body();
      const o = outputRows(name, out);
      const jc = jitContext()!;
      const { handle } = freezeRows(jc.constants.map((c) => c.inner), o.rows, false);
      const numbers = returnedNumbers(out);
      return { raw: new KeptTape(handle), outDef: o.def, numbers, constants: jc.constants.map((c) => c.value as NDArray) };
    }, true);
  } catch (e) {
    // (eager is the authority on anything tracing refuses: a TracerError, or an op with no abstract form)
    if (e instanceof CotangentError) return undefined;
    throw e;
  }
  let tape: KeptTape | undefined, fused: KeptTape | undefined;
  try {
    tape = optimizeTape(traced.raw, name);
    fused = fuseTape(tape, name);
    const program = fused;
    return scope(() => {
      const outs = inlineRows(program.handle(name), traced.constants.map((c) => c._rowIn(name)), name, true);
      return unflatten(traced.outDef, outs.map((r, k) => traced.numbers[k] ?? NDArray.tracer(r))) as T;
    }, (out) => materialize(out, name));
  } finally {
    traced.raw.dispose(); tape?.dispose(); fused?.dispose();
  }
}
registerOneShot(runOnce);
