// lax control flow. With concrete values, JS loops and branches unrolled into the trace
// (define-by-run under grad/jvp/vjp/vmap, so reverse mode walks a while loop's steps). Under jit,
// a while loop whose predicate is abstract becomes one row holding its cond and body as frozen
// sub-tapes (control/while.ts, JAX's while_loop primitive); so do a scan (control/scan.ts) and a
// cond or switch with a traced index (control/cond.ts).
import { NDArray, isComplexLiteral, withRowsReplaced, type Complex } from './array.js';
import * as lax from './lax.js';
import { asarrayHint, typedLeavesAsArrays, where as select } from './numpy.js';
import { vmap } from './transforms/vmap.js';
import { callSync } from './transforms/trace_args.js';
import { flatten as flattenTree, unflatten, leafPath, sameStructure, show as showTree, type TreeDef, type TreeLike, type Leaf } from './tree.js';
import { rowFlags, rowValue, guarded, jitContext, VIEW, HAS_VALUE } from '../core/trace.js';
import { abi } from '../core/abi.js';
import { CotangentError, DTypeError, InternalError, OutOfMemoryError, ShapeError, ValueError, describe, errorFromCode } from '../core/errors.js';
import { isPlainObject, readOptions, show } from './options.js';
import { itemsize, type DType } from '../core/dtype.js';
import { MAX_ARRAY_BYTES, MAX_DIM } from './creation.js';
import { whileAsRow, batchedStep, guardUntaken, guardedRows } from './control/while.js';
import { emitScanRow } from './control/scan.js';
import { emitCondRow, inlineBatchedCond, RunAsIs, AS_ROW } from './control/cond.js';
import { psumCount } from './collectives.js';
import { withCarryTypes, checkCarryTypes, type Aval, type Fixed } from './control/shared.js';
import { installControlRules } from './control/rules.js';
import type { Leaves, OrArrays } from './transforms/types.js';

/** scan's ys and map's results: Y with every leaf an Array (any stays any). */
type Stacked<Y> = 0 extends 1 & Y ? any : Leaves<Y>;
/**
 * cond's and switch's result: the branch's value as it returned it (a concrete pred), or with every
 * leaf an Array (a traced pred, under jit or vmap), so a JS number leaf may come back either way.
 */
type BranchOut<R> = 0 extends 1 & R ? any : R | Leaves<R>;
/**
 * A loop carry as the body gets and returns it, and as the loop returns it: the init's tree with
 * each leaf its own type or an Array (a JS-number init meets the body as the number, then as the Array
 * the body made of it; under jit or vmap every leaf is an Array). C is read from init alone
 * (`foriLoop(0, n, (i, acc) => np.add(acc, i), 0)`, JAX's habit, was a type error: C inferred as
 * number met the body's Array).
 */
type Carry<C> = 0 extends 1 & C ? any : OrArrays<C>;

installControlRules();

/** Any value as a tree (a carry, a branch's output: whatever the user's function returned). */
const flatten = (t: unknown): [Leaf[], TreeDef] => flattenTree(t as TreeLike);

const INT_DTYPES: readonly DType[] = ['int32', 'uint32'];

function requireFunction(where: string, what: string, f: unknown): void {
  if (typeof f !== 'function') throw new ValueError(`${where}: ${what} must be a function, got ${show(f)}`);
}

/** What JS can know of a scalar Array here: its value, nothing (abstract under jit), or one value per example (batched by vmap). */
type Known = { kind: 'value'; value: number } | { kind: 'abstract' } | { kind: 'batched' };
function known(x: NDArray, where: string): Known {
  if (x.isTracer) {
    const f = rowFlags(x._rowIn(where));
    if ((f & VIEW) !== 0) return { kind: 'batched' };
    if ((f & HAS_VALUE) === 0) return { kind: 'abstract' };
  }
  return { kind: 'value', value: x._values(where)[0] };
}

// ---------------------------------------------------------------- leaf types

/** A leaf's type as JAX prints an aval (float32[3]), or what else it is. */
function typeOf(x: unknown): string {
  if (x instanceof NDArray) return describe(x.shape, x.dtype);
  if (typeof x === 'number') return 'a JS number (weakly typed)';
  if (typeof x === 'boolean') return 'a JS boolean';
  if (isComplexLiteral(x)) return 'a { re, im } literal (weakly typed complex)';
  return show(x);
}
const isWeak = (x: unknown): x is number | boolean => typeof x === 'number' || typeof x === 'boolean';
/** A weakly typed loop leaf: a JS number, a boolean, or a `{ re, im }` (JAX's Python complex). */
type WeakLeaf = number | boolean | Complex;
const isWeakLeaf = (x: unknown): x is WeakLeaf => isWeak(x) || isComplexLiteral(x);

/** Whether a weak JS value takes `dtype` exactly, as JAX's result_type of a weak value: an integer any non-bool, a fraction an inexact one. */
const takes = (v: number | boolean, dtype: DType) => (typeof v === 'boolean' ? dtype === 'bool'
  : Number.isInteger(v) ? dtype !== 'bool' : dtype === 'float32' || dtype === 'float64' || dtype === 'complex64' || dtype === 'complex128');
/** takes, and a `{ re, im }` takes a complex dtype (a complex128 body promotes it, as a float64 one a JS number). */
const leafTakes = (v: WeakLeaf, dtype: DType) => (isComplexLiteral(v) ? dtype === 'complex64' || dtype === 'complex128' : takes(v, dtype));
/** number, boolean or complex: weak leaves of two kinds are two dtypes. */
const weakKind = (v: WeakLeaf) => (isComplexLiteral(v) ? 'complex' : typeof v);

/** Why a weak value does not take an Array's dtype, for the message: a fraction would be truncated. */
const weakNote = (v: unknown, dtype: DType) => (typeof v === 'number' && !Number.isInteger(v) && dtype !== 'bool'
  ? ` (${v} is a fraction, which ${dtype} would truncate: JAX's TypeError; give the Array a float dtype or round the number)` : '');

/**
 * Why leaf `b` does not match `a`, or null. A JS number is weakly typed: it matches a 0-d Array
 * whose dtype it takes (an integer any non-bool, a fraction only an inexact one: 1.5 was cut to
 * an int32 carry's 1), a JS boolean a 0-d bool one, a `{ re, im }` a complex one (JAX's
 * _promote_weak_typed_inputs).
 */
function mismatch(a: unknown, b: unknown): 'shapes' | 'dtypes' | 'kinds' | null {
  const ok = (x: unknown) => x instanceof NDArray || isWeakLeaf(x);
  if (!ok(a) || !ok(b)) return 'kinds';
  if (isWeakLeaf(a) && isWeakLeaf(b)) return weakKind(a) === weakKind(b) ? null : 'dtypes';
  const arr = (a instanceof NDArray ? a : b) as NDArray, other = a instanceof NDArray ? b : a;
  if (isWeakLeaf(other)) {
    if (arr.ndim !== 0) return 'shapes';
    return leafTakes(other, arr.dtype) ? null : 'dtypes';
  }
  const o = other as NDArray;
  if (!lax.sameShape(arr.shape, o.shape)) return 'shapes';
  return arr.dtype === o.dtype ? null : 'dtypes';
}

/** The note for a mismatch of `a` and `b` when one is a fraction beside an integer Array. */
function fractionNote(a: unknown, b: unknown): string {
  if (a instanceof NDArray && isWeak(b)) return weakNote(b, a.dtype);
  if (b instanceof NDArray && isWeak(a)) return weakNote(a, b.dtype);
  return '';
}

function typeError(why: 'shapes' | 'dtypes' | 'kinds', message: string, note = ''): Error {
  const cls = why === 'shapes' ? ShapeError : why === 'dtypes' ? DTypeError : ValueError;
  return new cls(why === 'kinds' ? message : `${message}, so the ${why} do not match${why === 'dtypes' ? note : ''}`);
}

/**
 * A weak leaf (JS number, boolean or { re, im }) a traced body returned for a carry of aval `a`, as an Array
 * of its dtype, checked as the eager loop checks it (mismatch): under jit 1.5 for an int32 carry
 * was cut to 1 and `true` read as 1.
 */
function weakCarry(where: string, fn: string, v: WeakLeaf, a: Aval, path: string): NDArray {
  const at = `${where}: ${fn} must return a carry of the type it was given; the input carry component carry${path} has type ` +
    `${describe(a.shape, a.dtype)} but the corresponding output carry component has type ${typeOf(v)}`;
  if (a.shape.length !== 0) throw typeError('shapes', at);
  if (!leafTakes(v, a.dtype)) throw typeError('dtypes', at, weakNote(v, a.dtype));
  return asarrayHint(v, a.dtype, where);
}

/** A step's carry checked against the one it was given (JAX's _check_carry_type); a JS number returned for a 0-d Array takes its dtype. */
function checkCarry(where: string, fn: string, step: number, given: unknown, out: unknown): unknown {
  const [gl, gd] = flatten(given), [ol, od] = flatten(out);
  const at = `${fn} must return a carry of the type it was given; at step ${step}`;
  if (!sameStructure(gd, od)) {
    throw new ValueError(`${where}: ${at} the input carry has structure ${showTree(gd)} but the output carry has ${showTree(od)}`);
  }
  return unflatten(od, ol.map((o, k) => {
    // (a JS number for a { re, im } carry stays weak complex, as it takes a complex64 carry under jit)
    if (isComplexLiteral(gl[k]) && typeof o === 'number') return { re: o, im: 0 };
    const why = mismatch(gl[k], o);
    if (why !== null) {
      throw typeError(why, `${where}: ${at} the input carry component carry${leafPath(gd, k)} has type ${typeOf(gl[k])} ` +
        `but the corresponding output carry component has type ${typeOf(o)}`, fractionNote(gl[k], o));
    }
    const g = gl[k];
    return isWeakLeaf(o) && g instanceof NDArray ? asarrayHint(o, g.dtype, where) : o;
  }));
}

/**
 * JAX's _promote_weak_typed_inputs for the eager loops: the initial carry with each weak number
 * (a JS number, a `{ re, im }`) that the body's first step returned as a 0-d Array of a dtype it
 * takes converted to that dtype, or null when there is none. The loop then runs step 0 again on
 * it, as JAX traces the body on the promoted carry and as the jitted loops do (withCarryTypes):
 * on the weak value, `c * float32 y` computed in float32 at step 0 alone (scan(c -> c * f32(1) +
 * f64(1), 0.1) gave 2.100000001490116, jitted 2.1), and ys stacked from that step alone were
 * float32 (16777217 -> 16777216), or a DTypeError against the later steps' float64.
 */
function promotedInit(where: string, init: unknown, out: unknown): unknown | null {
  const [il, id] = flatten(init), [ol, od] = flatten(out);
  if (!sameStructure(id, od)) return null; // (checkCarry reports it)
  let changed = false;
  const next = il.map((l, k) => {
    const o = ol[k];
    if (!(typeof l === 'number' || isComplexLiteral(l)) || !(o instanceof NDArray) || o.ndim !== 0 || !leafTakes(l, o.dtype)) return l;
    changed = true;
    return asarrayHint(l as number, o.dtype, where);
  });
  return changed ? unflatten(id, next) : null;
}

/** Outputs that must share one type (branches, scan's ys across steps) checked against the first; `names[i]` says where output i came from. */
function checkSame(where: string, header: string, root: string, names: string[], outs: unknown[]): { def: TreeDef; leaves: unknown[][] } {
  const flat = outs.map((o) => flatten(o));
  const [l0, d0] = flat[0];
  flat.forEach(([l, d], i) => {
    if (i === 0) return;
    if (!sameStructure(d0, d)) throw new ValueError(`${where}: ${header}; the structure is ${showTree(d0)} ${names[0]} but ${showTree(d)} ${names[i]}`);
    l.forEach((x, k) => {
      const why = mismatch(l0[k], x);
      if (why !== null) throw typeError(why, `${where}: ${header}; ${root}${leafPath(d0, k)} is ${typeOf(l0[k])} ${names[0]} but ${typeOf(x)} ${names[i]}`, fractionNote(l0[k], x));
    });
  });
  return { def: d0, leaves: flat.map(([l]) => l) };
}

// ---------------------------------------------------------------- scan, map

export interface ScanOptions {
  /** The number of steps: needed when xs has no leaves (null), checked against xs's leading axis otherwise. */
  length?: number;
  /** Run from the last x to the first (ys stay in xs's order), JAX's reverse. */
  reverse?: boolean;
  /** Accepted for JAX's signature and ignored: every step is unrolled into the trace already. */
  unroll?: number | boolean;
}

/**
 * jax.lax.scan: `f(carry, x) -> [carry, y]` along the leading axis of xs's leaves; [last carry, ys
 * stacked]. The options after xs go in one object, or positionally as JAX orders them:
 * scan(f, init, xs, length, reverse, unroll).
 */
export function scan<C, X = any, Y = any>(f: (carry: Carry<C>, x: X) => readonly [NoInfer<Carry<C>>, Y], init: C, xs?: X | null, opts?: ScanOptions): [Carry<C>, Stacked<Y>];
export function scan<C, X = any, Y = any>(f: (carry: Carry<C>, x: X) => readonly [NoInfer<Carry<C>>, Y], init: C, xs: X | null | undefined,
  length: number | null | undefined, reverse?: boolean, unroll?: number | boolean): [Carry<C>, Stacked<Y>];
export function scan<C, X = any, Y = any>(f: (carry: any, x: X) => readonly [any, Y], init: C, xs?: X | null,
  opts?: ScanOptions | number | null, reverse?: boolean, unroll?: number | boolean): [any, Stacked<Y>] {
  // (ys are the ys stacked: a JS number y comes back an Array, as every leaf does: Stacked<Y>, not Y)
  return scanAs('lax.scan', f, init, xs, scanOptions('lax.scan', Array.prototype.slice.call(arguments, 3))) as [C, Stacked<Y>];
}

/** scan's options from the arguments after xs: one options object, or JAX's positional (length, reverse, unroll). */
function scanOptions(where: string, rest: unknown[]): ScanOptions | undefined {
  if (rest.length > 3) throw new ValueError(`${where}: takes at most 6 arguments (f, init, xs, length, reverse, unroll), got ${rest.length + 3}`);
  const [length, reverse, unroll] = rest;
  if (isPlainObject(length)) {
    if (rest.length > 1) {
      throw new ValueError(`${where}: give length, reverse and unroll in one options object or all positionally (JAX's order: xs, length, reverse, unroll), ` +
        `not an options object followed by ${show(reverse)}`);
    }
    return length as ScanOptions;
  }
  if (length !== undefined && length !== null && typeof length !== 'number') {
    throw new ValueError(`${where}: length (argument 4) must be a non-negative integer, null, or an options object { length, reverse, unroll }, got ${show(length)}`);
  }
  if (reverse !== undefined && typeof reverse !== 'boolean') throw new ValueError(`${where}: reverse (argument 5) must be true or false, got ${show(reverse)}`);
  const o: ScanOptions = {};
  if (typeof length === 'number') o.length = length;
  if (reverse !== undefined) o.reverse = reverse;
  if (unroll !== undefined) o.unroll = unroll as number | boolean; // (checked with the object form's)
  return o;
}

function scanAs<C, X, Y>(where: string, f: (carry: C, x: X) => readonly [C, Y], init: C, xs?: X | null, opts?: ScanOptions): [C, Y] {
  requireFunction(where, 'f (the step function)', f);
  const o = readOptions<ScanOptions>(where, opts, { length: 'number', reverse: 'boolean', unroll: 'any' });
  if (o.unroll !== undefined && typeof o.unroll !== 'boolean' && !(Number.isInteger(o.unroll) && o.unroll >= 1)) {
    throw new ValueError(`${where}: unroll must be a positive integer or a boolean, got ${show(o.unroll)}`);
  }
  const { arrays, def: xd, lengths } = scannedLeaves(where, xs);
  init = carryLeaves(init); // (a Float64Array carry is a float64 Array, as JAX reads a numpy array)
  // (at most an axis length: ys are stacked along one; 2^40 was a RangeError from a JS list of that length)
  if (o.length !== undefined && (!Number.isInteger(o.length) || o.length < 0 || o.length > MAX_DIM)) {
    throw new ValueError(`${where}: length must be an integer from 0 to 2^31 - 1 (an axis length), got ${show(o.length)}`);
  }
  if (arrays.length === 0 && o.length === undefined) {
    throw new ValueError(`${where}: xs has no Arrays (${show(xs)}), so the number of steps must be given as { length } (or positionally: scan(f, init, null, length))`);
  }
  if (arrays.length > 0 && o.length !== undefined && o.length !== lengths[0]) {
    throw new ShapeError(`${where}: length ${o.length} does not match the leading axis of xs, ${lengths[0]} (${arrays.map(typeOf).join(', ')})`);
  }
  const n = arrays.length > 0 ? lengths[0] : o.length!;
  if (n === 0) { // (ys' types from one step on zeros, as JAX traces f to learn them; the step's result is not used)
    const probe = stepOf(where, f, init, unflatten(xd, arrays.map((x) => lax.full(x.shape.slice(1), 0, x.dtype))) as X);
    checkCarry(where, 'f', 0, init, probe[0]); // (JAX checks the traced step's carry at any length: a wrong one was returned silently for empty xs)
    const { def, leaves } = checkSame(where, '', 'y', [''], [probe[1]]);
    return [init, unflatten(def, leaves[0].map((y) => { const a = asarrayHint(y as number, undefined, where); return lax.full([0, ...a.shape], 0, a.dtype); }))];
  }
  if (jitContext() !== undefined) { // under jit: one scan row (JAX's primitive), the body traced once
    const out = scanAsRow(where, f, init, arrays, xd, n, o.reverse ?? false);
    if (out !== null) return out as [C, Y];
  }
  const xAt = stepSlices(arrays, n); // (after the jit branch: n pieces there were n dead split outputs and reshapes, traced)
  let carry = init;
  const ys = stackedYs(where, n, o.reverse ?? false);
  for (let s = 0; s < n; s++) {
    const i = o.reverse ? n - 1 - s : s;
    const x = unflatten(xd, xAt(i)) as X;
    let [c, y] = stepOf(where, f, carry, x);
    const p = s === 0 ? promotedInit(where, carry, c) : null; // (a weak carry the body promotes: step 0 again on its dtype)
    if (p !== null) { carry = p as C; [c, y] = stepOf(where, f, carry, x); }
    carry = checkCarry(where, 'f', s, carry, c) as C;
    ys.push(i, y);
  }
  return [carry, ys.result() as Y];
}

/**
 * Steps an eager scan keeps together: xs split, and ys stacked, this many at a time (one Array a
 * step held to the end took about 320 B of JS heap each: a few million steps exhausted it).
 */
const CHUNK = 4096;

/**
 * The eager scan's per-step slices of xs, `at(i)`: one split row per leaf (its transpose is one
 * concatenate; a gather per step would transpose into a scatter of the whole xs per step), in
 * blocks of CHUNK rows split as they are reached. (n = 1 reshapes: lax.split into one piece fails eagerly, a one-output tuple row.)
 */
function stepSlices(arrays: NDArray[], n: number): (i: number) => NDArray[] {
  const rows = (x: NDArray, len: number) => (len === 1 ? [x] : lax.split(x, new Array<number>(len).fill(1), 0)).map((p) => lax.reshape(p, x.shape.slice(1)));
  if (n <= CHUNK) {
    const pieces = arrays.map((x) => rows(x, n));
    return (i) => pieces.map((p) => p[i]);
  }
  const sizes = Array.from({ length: Math.ceil(n / CHUNK) }, (_, b) => Math.min(CHUNK, n - b * CHUNK));
  const blocks: (NDArray | null)[][] = arrays.map((x) => lax.split(x, sizes, 0));
  let cur = -1, pieces: NDArray[][] = [];
  return (i) => {
    const b = Math.floor(i / CHUNK);
    if (b !== cur) {
      pieces = blocks.map((bl) => { const x = bl[b]!; bl[b] = null; return rows(x, sizes[b]); }); // (each block is reached once, forward or reverse)
      cur = b;
    }
    return pieces.map((p) => p[i - b * CHUNK]);
  };
}

/**
 * An eager scan's ys, stacked as they come: each step's checked against the first's type (JAX's
 * one type for every step), refused at the first step when one stacked y cannot be an Array
 * (scan(f, 0., null, { length: 1e9 }) ran ~100 s and killed V8's heap, past any catch), and
 * stacked every CHUNK steps so that the JS heap holds chunks, not one Array a step. A JS number
 * takes the dtype of the Arrays other steps gave for that y (as `c` at step 0 of `scan(f, 0, xs)`):
 * weak values wait, as they are, until one is seen.
 */
function stackedYs(where: string, n: number, reverse: boolean) {
  const header = 'f must return ys of one type at every step';
  let def0: TreeDef | null = null, l0: Leaf[] = [], name0 = '';
  let like: (NDArray | undefined)[] = [], likeName: string[] = [];
  let pending: unknown[][] = [], chunks: NDArray[][] = [];
  const fits = (k: number, shape: readonly number[], dtype: DType) => {
    const bytes = n * shape.reduce((a, b) => a * b, 1) * itemsize(dtype);
    if (bytes > MAX_ARRAY_BYTES) {
      throw new OutOfMemoryError(`${where}: the ys stacked over ${n} steps: y${leafPath(def0!, k)} would be ${dtype}[${[n, ...shape]}], ` +
        `${(bytes / 2 ** 30).toFixed(2)} GiB; one array holds at most 1 GiB - 16 bytes (reduce it in the carry, or scan fewer steps at a time)`);
    }
  };
  // pending's first `count` values as one stacked chunk, in xs's order
  const flush = (k: number, count: number) => {
    const col = pending[k].splice(0, count).map((v) => asarrayHint(v as number, like[k]?.dtype, where));
    if (reverse) col.reverse();
    chunks[k].push(lax.concatenate(col.map((y) => lax.reshape(y, [1, ...y.shape])), 0, where));
  };
  return {
    push(i: number, y: unknown): void {
      const [l, d] = flatten(y), name = `at step ${i}`;
      if (def0 === null) {
        def0 = d; l0 = l; name0 = name;
        like = l.map(() => undefined); likeName = l.map(() => ''); pending = l.map(() => []); chunks = l.map(() => []);
        l.forEach((x, k) => {
          if (x instanceof NDArray) fits(k, x.shape, x.dtype);
          else if (isWeakLeaf(x)) fits(k, [], asarrayHint(x as number, undefined, where).dtype);
        });
      } else if (!sameStructure(def0, d)) {
        throw new ValueError(`${where}: ${header}; the structure is ${showTree(def0)} ${name0} but ${showTree(d)} ${name}`);
      }
      l.forEach((x, k) => {
        const why = mismatch(l0[k], x);
        if (why !== null) throw typeError(why, `${where}: ${header}; y${leafPath(def0!, k)} is ${typeOf(l0[k])} ${name0} but ${typeOf(x)} ${name}`, fractionNote(l0[k], x));
        if (x instanceof NDArray) {
          const a = like[k];
          if (a === undefined) { like[k] = x; likeName[k] = name; fits(k, x.shape, x.dtype); }
          else if (mismatch(a, x) !== null) { // (two Array dtypes a weak y at the first step both took)
            throw typeError(mismatch(a, x)!, `${where}: ${header}; y${leafPath(def0!, k)} is ${typeOf(a)} ${likeName[k]} but ${typeOf(x)} ${name}`);
          }
        }
        pending[k].push(x);
        if (like[k] !== undefined) while (pending[k].length >= CHUNK) flush(k, CHUNK);
      });
    },
    result(): unknown {
      return unflatten(def0!, l0.map((_, k) => {
        while (pending[k].length > 0) flush(k, Math.min(CHUNK, pending[k].length));
        const c = reverse ? chunks[k].reverse() : chunks[k];
        return c.length === 1 ? c[0] : lax.concatenate(c, 0, where);
      }));
    },
  };
}

/**
 * scan as one row (ts/api/control/scan.ts): f traced once on the carry's types and one step's
 * slices of xs; null when it has nothing to return (no carry leaves, no ys): a row needs an output.
 */
function scanAsRow<C, X, Y>(where: string, f: (carry: C, x: X) => readonly [C, Y], init: C, arrays: NDArray[], xd: TreeDef, n: number, reverse: boolean): [C, unknown] | null {
  const [cl, cd] = flatten(init);
  cl.forEach((l, k) => {
    if (!(l instanceof NDArray) && !isWeakLeaf(l)) throw new ValueError(`${where}: the carry's leaf carry${leafPath(cd, k)} is ${typeOf(l)}, not an Array or a JS number`);
  });
  const xAvals: Aval[] = arrays.map((x) => ({ dtype: x.dtype, shape: x._shape.slice(1) }));
  const nc = cl.length;
  let yd: TreeDef | null = null;
  const step = (cs: NDArray[], xs: NDArray[], avals: readonly Aval[], fixed: Fixed): { carries: NDArray[]; ys: NDArray[] } => {
    const [c, y] = stepOf(where, f, unflatten(cd, fixed.input(cs)) as C, unflatten(xd, xs) as X);
    const [ol, od] = flatten(c);
    if (!sameStructure(cd, od)) {
      throw new ValueError(`${where}: f must return a carry of the type it was given; the input carry has structure ${showTree(cd)} but the output carry has ${showTree(od)}`);
    }
    const carries = ol.map((l, k) => {
      const kept = fixed.output(k, l, cs[k]); // (a JS number f returns as it came: invariant, its row unused)
      if (kept !== undefined) return kept;
      if (l instanceof NDArray) return l;
      if (isWeakLeaf(l)) return weakCarry(where, 'f', l, avals[k], leafPath(cd, k));
      throw new ValueError(`${where}: f returned ${typeOf(l)} for carry${leafPath(cd, k)}, not an Array or a JS number`);
    });
    const [yl, ydef] = flatten(y);
    yd = ydef;
    const ys = yl.map((l, k) => {
      if (l instanceof NDArray) return l;
      if (isWeakLeaf(l)) return asarrayHint(l, undefined, where);
      throw new ValueError(`${where}: f returned ${typeOf(l)} as y${leafPath(ydef, k)}, not an Array or a JS number`);
    });
    return { carries, ys };
  };
  return withCarryTypes(cl, (avals, promote, fixed) => {
    const initRows = cl.map((l, k) => asarrayHint(l as never, avals[k].dtype, `${where}: init`)._rowIn(where));
    const { row, ny } = emitScanRow(where, avals, xAvals, initRows, arrays.map((x) => x._rowIn(where)), n, reverse, (cs, xs) => {
      const { carries, ys } = step(cs, xs, avals, fixed);
      promote(carries);
      checkCarryTypes(where, 'f', carries, avals);
      return [...carries, ...ys];
    });
    if (row < 0) return null;
    const out = (k: number) => NDArray.tracer(row + 1 + k);
    return [unflatten(cd, fixed.result(cl.map((_, k) => out(k)))), unflatten(yd!, Array.from({ length: ny }, (_, j) => out(nc + j)))] as [C, unknown];
  }, n === 0 ? undefined : () => flatten(stepOf(where, f, init, unflatten(xd, arrays.map((x) => x.get(reverse ? n - 1 : 0))) as X)[0])[0]);
}

/** xs's leaves, checked: Arrays with a leading axis, all of one length. */
function scannedLeaves(where: string, xs: unknown): { arrays: NDArray[]; def: TreeDef; lengths: number[] } {
  const [xl, xd] = flatten(typedLeavesAsArrays(xs ?? null));
  xl.forEach((x, k) => {
    if (!(x instanceof NDArray)) throw new ValueError(`${where}: xs${leafPath(xd, k)} is ${typeOf(x)}; every leaf of xs must be an Array with a leading axis to scan (wrap values with np.array)`);
    if (x.ndim === 0) throw new ShapeError(`${where}: xs${leafPath(xd, k)} is ${typeOf(x)}, a 0-d Array, which has no leading axis to scan`);
  });
  const arrays = xl as NDArray[];
  const lengths = arrays.map((x) => x.shape[0]);
  if (lengths.some((n) => n !== lengths[0])) {
    throw new ShapeError(`${where}: scanned xs must all have the same leading axis length, got ` +
      arrays.map((x, k) => `xs${leafPath(xd, k)} ${typeOf(x)}`).join(', '));
  }
  return { arrays, def: xd, lengths };
}

function stepOf<C, X, Y>(where: string, f: (carry: C, x: X) => readonly [C, Y], carry: C, x: X): readonly [C, Y] {
  const out = callSync(where, 'f', f, carry, x);
  if (!Array.isArray(out) || out.length !== 2) {
    throw new ValueError(`${where}: f must return a pair [carry, y] (y may be null), got ${Array.isArray(out) ? `a list of ${out.length}` : typeOf(out)}`);
  }
  return out;
}

export interface MapOptions {
  /** Rows of xs per call of vmap(f) (JAX's batch_size): the full chunks scanned, the remainder one more vmapped call. */
  batchSize?: number;
}

/** jax.lax.map: f over the leading axis of xs (a pytree), the results stacked; a scan without carry. */
export function map<X = any, Y = any>(f: (x: X) => Y, xs: X, options?: MapOptions): Stacked<Y>; // (stacked: a number y is an Array)
export function map<X = any, Y = any>(f: (x: X) => Y, xs: X, options?: MapOptions): any {
  const where = 'lax.map';
  requireFunction(where, 'f', f);
  const o = readOptions<MapOptions>(where, options, { batchSize: 'number' });
  const fx = (x: X) => callSync(where, 'f', f, x);
  const unbatched = () => scanAs(where, (_: null, x: X) => [null, fx(x)] as const, null, xs)[1];
  if (o.batchSize === undefined) return unbatched();
  const b = o.batchSize;
  if (!Number.isInteger(b) || b < 1) throw new ValueError(`${where}: batchSize must be a positive integer, got ${show(b)}`);
  const { arrays, def, lengths } = scannedLeaves(where, xs);
  if (arrays.length === 0) throw new ValueError(`${where}: xs has no Arrays (${show(xs)}), so there are no rows to map f over`);
  const n = lengths[0], full = n - (n % b);
  if (n === 0) return unbatched(); // (ys' types from scan's probe of f)
  // JAX's _batch_and_remainder: the first `full` rows as [full / b, b, ...] chunks, scanned with
  // vmap(f); the n - full rows left one more vmap(f); the two stacked.
  const fv = vmap(fx as (x: any) => any) as (x: unknown) => unknown;
  const cut = arrays.map((x) => (full === 0 ? [null, x] : full === n ? [x, null] : lax.split(x, [full, n - full], 0)));
  const parts: unknown[] = [];
  if (full > 0) {
    const chunks = unflatten(def, cut.map(([head], k) => lax.reshape(head!, [full / b, b, ...arrays[k].shape.slice(1)])));
    const ys = scanAs(where, (_: null, x: unknown) => [null, fv(x)] as const, null, chunks)[1];
    const [yl, yd] = flatten(ys);
    parts.push(unflatten(yd, (yl as NDArray[]).map((y) => lax.reshape(y, [full, ...y.shape.slice(2)]))));
  }
  if (full < n) parts.push(fv(unflatten(def, cut.map(([, tail]) => tail!))));
  if (parts.length === 1) return parts[0] as Y;
  const [hl, hd] = flatten(parts[0]), [tl] = flatten(parts[1]);
  return unflatten(hd, (hl as NDArray[]).map((h, k) => lax.concatenate([h, tl[k] as NDArray], 0, where))) as Y;
}

/**
 * An initial carry's leaves as a loop keeps them: typed arrays as np.array reads them. A
 * `{ re, im }` stays as it is, weakly typed complex as JAX's Python complex (as a JS number is
 * weakly typed): a complex128 body promotes it (it was a complex64 Array, and a DTypeError).
 */
function carryLeaves<T>(init: T): T {
  return typedLeavesAsArrays(init);
}

// ---------------------------------------------------------------- foriLoop, whileLoop

/** A foriLoop bound: a JS integer, or a 0-d int32/uint32 Array. */
function bound(what: string, b: unknown): NDArray | number {
  const where = 'lax.foriLoop';
  if (typeof b === 'number') {
    if (!Number.isInteger(b) || b < -(2 ** 31) || b >= 2 ** 31) throw new ValueError(`${where}: ${what} must be an integer in int32's range, got ${b}`);
    return b;
  }
  if (!(b instanceof NDArray)) throw new ValueError(`${where}: ${what} must be a JS integer or a 0-d int32 Array, got ${typeOf(b)}`);
  if (b.ndim !== 0) throw new ShapeError(`${where}: ${what} must be a scalar, got ${typeOf(b)}`);
  if (!INT_DTYPES.includes(b.dtype)) throw new DTypeError(`${where}: ${what} must be an integer (int32 or uint32), got ${typeOf(b)}`);
  return b;
}

/** jax.lax.fori_loop: `body(i, carry)` for i in [lower, upper); i a 0-d int32 Array (JAX's), concrete when the bounds are, so it indexes. */
export function foriLoop<C>(lower: number | NDArray, upper: number | NDArray, body: (i: NDArray, carry: Carry<C>) => NoInfer<Carry<C>>, init: C,
  options?: { unroll?: number | boolean }): Carry<C>;
export function foriLoop<C>(lower: number | NDArray, upper: number | NDArray, body: (i: NDArray, carry: C) => C, init: C,
  options?: { unroll?: number | boolean }): C {
  const where = 'lax.foriLoop';
  requireFunction(where, 'body', body);
  // (JAX's keyword unroll: accepted and checked as scan's, and ignored as scan's is; it was the
  // arity check's 'takes at most 4 arguments')
  const o = readOptions<{ unroll?: number | boolean }>(where, options, { unroll: 'any' });
  if (o.unroll !== undefined && typeof o.unroll !== 'boolean' && !(Number.isInteger(o.unroll) && o.unroll >= 1)) {
    throw new ValueError(`${where}: unroll must be a positive integer or a boolean, got ${show(o.unroll)}`);
  }
  const lo = bound('lower', lower), hi = bound('upper', upper);
  const dtype: DType = lo instanceof NDArray && hi instanceof NDArray ? (lo.dtype === hi.dtype ? lo.dtype : 'int32')
    : lo instanceof NDArray ? lo.dtype : hi instanceof NDArray ? hi.dtype : 'int32';
  const value = (b: NDArray | number): Known => (b instanceof NDArray ? known(b, where) : { kind: 'value', value: b });
  const kl = value(lo), kh = value(hi);
  if (kl.kind === 'value' && kh.kind === 'value') {
    // Under jit a long static loop is one scan row over [i, carry], as JAX runs it: traced once
    // (10,000 unrolled steps took 0.5 s to trace) and replayed in wasm. A body that needs i's
    // value (a JS index, a shape) meets an abstract i there: it is unrolled instead, with i
    // concrete (and so is one that keeps a JS-number carry, or that the trace refuses).
    if (jitContext() !== undefined && kh.value - kl.value >= FORI_AS_SCAN) {
      const out = foriAsScan(where, kl.value, kh.value - kl.value, dtype, body, init);
      if (out !== UNROLL) return out as C;
    }
    let carry = carryLeaves(init);
    // (i a concrete Array even under jit, where lax.full would be an abstract row: `+i` and static indexing need its value)
    const index = (i: number) => new NDArray([], dtype, dtype === 'uint32' ? Uint32Array.of(i) : Int32Array.of(i));
    for (let i = kl.value; i < kh.value; i++) {
      let next = callSync(where, 'body', body, index(i), carry);
      const p = i === kl.value ? promotedInit(where, carry, next) : null; // (a weak carry the body promotes: step 0 again on its dtype)
      if (p !== null) { carry = p as C; next = callSync(where, 'body', body, index(i), carry); }
      carry = checkCarry(where, 'body', i - kl.value, carry, next) as C;
    }
    return carry;
  }
  // Bounds abstract under jit or batched by vmap: JAX's fallback, a while loop on [i, carry] (a
  // while row under jit; batched, it runs until every example is done).
  // (bounds of two integer dtypes count in int32, as the eager loop does: a comparison needs one dtype)
  const asBound = (b: NDArray | number) => (typeof b === 'number' ? lax.full([], b, dtype) : b.dtype === dtype ? b : lax.convertElementType(b, dtype));
  const l = asBound(lo), h = asBound(hi);
  const one = lax.full([], 1, dtype);
  const [, out] = loop(where, ([i]: [NDArray, C]) => lax.lt(i, h), ([i, c]: [NDArray, C]) => [lax.add(i, one), callSync(where, 'body', body, i, c)], [l, init]);
  return out;
}

/** The static trip count from which foriLoop runs as a scan row under jit (shorter loops unroll and fuse across steps). */
const FORI_AS_SCAN = 64;
const UNROLL = Symbol('unroll');
/** Thrown out of the scan's trace when the body returns a carry leaf that is not an Array. */
class JsCarryLeaf extends Error {}

/**
 * foriLoop(lo, lo + n, body, init) under jit as lax.scan over [i, carry] (JAX's fori_loop with
 * static bounds), or UNROLL: where the body needs i's value (a TracerError), returns a carry leaf
 * as a JS number (a scan row holds it as float32: 16777217 came back 16777216, where eagerly and
 * unrolled it is the number), or fails in a way the unrolled loop reports in its own terms (a
 * carry of another type: the scan's message named its [i, carry] wrapper).
 */
function foriAsScan<C>(where: string, lo: number, n: number, dtype: DType, body: (i: NDArray, carry: C) => C, init: C): C | typeof UNROLL {
  const one = lax.full([], 1, dtype);
  const weak = flattenTree(init as TreeLike)[0].map((l) => !(l instanceof NDArray) && !ArrayBuffer.isView(l));
  const step = ([i, c]: [NDArray, C]): [[NDArray, C], null] => {
    const next = callSync(where, 'body', body, i, c);
    const ins = flattenTree(c as TreeLike)[0], outs = flattenTree(next as TreeLike)[0];
    // (a JS-number carry returned as it came, the scan's row for it: eagerly it stays the number)
    if (outs.some((l, k) => !(l instanceof NDArray) || (weak[k] && l === ins[k]))) throw new JsCarryLeaf();
    return [[lax.add(i, one), next], null];
  };
  try {
    const [[, carry]] = scanAs(where, step, [lax.full([], lo, dtype), init] as [NDArray, C], null, { length: n });
    return carry;
  } catch (e) {
    if (e instanceof JsCarryLeaf) return UNROLL;
    if (e instanceof CotangentError && !(e instanceof OutOfMemoryError) && !(e instanceof InternalError)) return UNROLL;
    throw e;
  }
}

/**
 * jax.lax.while_loop. Reverse mode works (the steps ran, so they are on the tape; JAX refuses); a
 * predicate batched by vmap runs until every example is done, finished carries kept by a select
 * (JAX's batching rule); one abstract under jit is a TracerError.
 */
export function whileLoop<C>(condFun: (carry: Carry<C>) => NDArray | boolean, bodyFun: (carry: Carry<C>) => NoInfer<Carry<C>>, init: C): Carry<C>;
export function whileLoop<C>(condFun: (carry: C) => NDArray | boolean, bodyFun: (carry: C) => C, init: C): C {
  requireFunction('lax.whileLoop', 'condFun', condFun);
  requireFunction('lax.whileLoop', 'bodyFun', bodyFun);
  return loop('lax.whileLoop', (c: C) => callSync('lax.whileLoop', 'condFun', condFun, c), (c: C) => callSync('lax.whileLoop', 'bodyFun', bodyFun, c), init);
}

function loop<C>(where: string, condFun: (carry: C) => NDArray | boolean, bodyFun: (carry: C) => C, init: C): C {
  let carry = carryLeaves(init);
  let stepOf: ((carry: unknown, p: NDArray) => unknown) | undefined;
  for (let step = 0; ; step++) {
    const p = condFun(carry);
    if (typeof p !== 'boolean' && !(p instanceof NDArray && p.ndim === 0 && p.dtype === 'bool')) {
      throw new DTypeError(`${where}: condFun must return a scalar bool (a JS boolean or a 0-d bool Array), got ${typeOf(p)}`);
    }
    const k: Known = typeof p === 'boolean' ? { kind: 'value', value: p ? 1 : 0 } : known(p, where);
    if (k.kind === 'abstract') return loopAsRow(where, condFun, bodyFun, carry); // (the rows condFun just emitted are dead code)
    if (k.kind === 'value') {
      if (k.value === 0) return carry;
      let next = bodyFun(carry);
      const pc = step === 0 ? promotedInit(where, carry, next) : null; // (a weak carry the body promotes: step 0 again on its dtype)
      if (pc !== null) { carry = pc as C; next = bodyFun(carry); }
      carry = checkCarry(where, 'bodyFun', step, carry, next) as C;
      continue;
    }
    const any = anyInBatch(p as NDArray, where);
    if (any === null) return loopAsRow(where, condFun, bodyFun, carry); // batched and abstract: vmap inside jit
    if (!any) return carry;
    // (a finished example's carry, and what the body closes over, enter the step through
    // stopGradient: its result is selected away, and its derivative there, sqrt's past the end,
    // was 0 * inf = NaN in its gradient)
    stepOf ??= batchedStep(where, bodyFun as (c: unknown) => unknown);
    const psums = psumCount();
    let out = stepOf(carry, p as NDArray) as C;
    // (a body holding a psum: one while row, as under jit (collectives.ts's psumCount says why); this step's rows are dead code)
    if (step === 0 && psumCount() !== psums) return loopAsRow(where, condFun, bodyFun, carry);
    const pc = step === 0 ? promotedInit(where, carry, out) : null; // (a weak carry the body promotes: step 0 again on its dtype)
    if (pc !== null) { carry = pc as C; out = stepOf(carry, p as NDArray) as C; }
    const [cl] = flatten(carry);
    const next = checkCarry(where, 'bodyFun', step, carry, out);
    const [nl, nd] = flatten(next);
    carry = unflatten(nd, nl.map((x, j) => select(p as NDArray, x as NDArray, cl[j] as NDArray))) as C;
  }
}

/**
 * The loop as one while row (ts/api/control/while.ts): under jit, where the predicate is abstract,
 * cond and body are traced once and wasm runs the steps (JAX's while_loop primitive).
 */
function loopAsRow<C>(where: string, condFun: (carry: C) => NDArray | boolean, bodyFun: (carry: C) => C, carry: C): C {
  const [leaves, def] = flatten(carry);
  leaves.forEach((l, k) => {
    if (!(l instanceof NDArray) && !isWeakLeaf(l)) throw new ValueError(`${where}: the carry's leaf carry${leafPath(def, k)} is ${typeOf(l)}, not an Array or a JS number`);
  });
  const wrap = (xs: unknown[]) => unflatten(def, xs);
  const unwrap = (out: unknown, avals: readonly Aval[], kept: (k: number, o: unknown) => NDArray | undefined): NDArray[] => {
    const [ol, od] = flatten(out);
    if (!sameStructure(def, od)) {
      throw new ValueError(`${where}: bodyFun must return a carry of the type it was given; the input carry has structure ${showTree(def)} but the output carry has ${showTree(od)}`);
    }
    return ol.map((o, k) => {
      const same = kept(k, o); // (a JS number bodyFun returns as it came: invariant, see control/shared.ts's Fixed)
      if (same !== undefined) return same;
      if (o instanceof NDArray) return o;
      if (isWeakLeaf(o)) return weakCarry(where, 'bodyFun', o, avals[k], leafPath(def, k));
      throw new ValueError(`${where}: bodyFun returned ${typeOf(o)} for carry${leafPath(def, k)}, not an Array or a JS number`);
    });
  };
  const outs = whileAsRow(where, leaves, wrap, condFun as (c: unknown) => unknown, bodyFun as (c: unknown) => unknown, unwrap,
    () => flatten(bodyFun(carry))[0]); // (one step on the carry as it is: the types its JS numbers take)
  return unflatten(def, outs) as C;
}

/** Whether any example of a batched bool scalar is true: its whole batch (every vmap level) read at once; null when abstract (under jit). */
function anyInBatch(p: NDArray, where: string): boolean | null {
  let r = p._rowIn(where);
  while (abi().row_batched(r) !== 0) {
    const id = abi().row_level(r), row = r;
    const out = guarded(where, () => abi().vmap_out(row, id, 0));
    if (out < 0) { abi().clear_error(); throw errorFromCode(-out, where); }
    r = out;
  }
  if ((rowFlags(r) & HAS_VALUE) === 0) return null;
  return rowValue(r, where).some((v) => v !== 0);
}

// ---------------------------------------------------------------- cond, switch

/**
 * jax.lax.cond. A concrete pred runs only its branch (the gradient flows through it alone); one
 * abstract under jit or batched by vmap makes a cond row (both branches traced and type-checked),
 * whose batching rule runs both and selects (JAX's vmap rule).
 */
export function cond<T extends (...operands: any[]) => any, U extends (...operands: any[]) => any>(pred: NDArray | boolean | number, trueFun: T, falseFun: U,
  ...operands: unknown[]): BranchOut<ReturnType<T> | ReturnType<U>>; // (typed from the branches: it returned any)
export function cond(pred: NDArray | boolean | number, trueFun: (...operands: any[]) => any, falseFun: (...operands: any[]) => any, ...operands: unknown[]): any {
  const where = 'lax.cond';
  requireFunction(where, 'trueFun', trueFun);
  requireFunction(where, 'falseFun', falseFun);
  [trueFun, falseFun] = [branch(where, 'trueFun', trueFun), branch(where, 'falseFun', falseFun)];
  const p = scalarSelector(where, 'pred', pred, 'bool');
  operands = typedLeavesAsArrays(operands); // (as scan's xs: a typed array is read as np.array reads it, under jit too)
  if (typeof p === 'number') return p !== 0 ? trueFun(...operands) : falseFun(...operands);
  // A traced pred (abstract under jit, or batched by vmap): one cond row, JAX's primitive. jit runs
  // the taken branch; the row's batching rule runs both and selects, each branch's operands AND the
  // values it closes over entering through stopGradient where it is not taken (jax#1052). (Eager
  // vmap ran the branches directly, which could guard the operands only: a closed-over log(x)
  // at x = 0 gave vmap(grad) NaN, JAX 1.)
  const index = lax.convertElementType(p.dtype === 'bool' ? p : lax.ne(p, lax.full([], 0, p.dtype)), 'int32');
  const out = condAsRow(where, 'trueFun and falseFun must return the same types', index, [falseFun, trueFun], ['from falseFun', 'from trueFun'], operands);
  if (out !== NO_ROW && !(out instanceof RunAsIs)) return out;
  // (eagerly, branches returning no Array, or that could not be inlined: both run as they are, each
  // reading its operands, and what it closes over where a trace found that (RunAsIs), through
  // stopGradient where it is not taken)
  const bool = p.dtype === 'bool' ? p : lax.ne(p, lax.full([], 0, p.dtype));
  const asIs = (b: number, taken: boolean, fn: (...a: unknown[]) => unknown) =>
    withRowsReplaced(out instanceof RunAsIs ? guardedRows(where, out.closed[b], bool, taken) : new Map(), () => fn(...untakenStopped(bool, taken, operands)));
  const { def, leaves: [t, f] } = checkSame(where, 'trueFun and falseFun must return the same types (both run: pred is traced)', 'output',
    ['from trueFun', 'from falseFun'], [asIs(1, true, trueFun), asIs(0, false, falseFun)]);
  return unflatten(def, t.map((x, k) => select(bool, x as NDArray, f[k] as NDArray)));
}

/** jax.lax.switch: branches[clamp(index, 0, n - 1)](...operands), index read as cond's pred. */
export function switchBranches<B extends (...operands: any[]) => any>(index: NDArray | number, branches: readonly B[],
  ...operands: unknown[]): BranchOut<ReturnType<B>>; // (typed from the branches, as cond)
export function switchBranches(index: NDArray | number, branches: readonly ((...operands: any[]) => any)[], ...operands: unknown[]): any {
  const where = 'lax.switch';
  if (!Array.isArray(branches) || branches.length === 0) throw new ValueError(`${where}: branches must be a non-empty list of functions, got ${show(branches)}`);
  branches.forEach((b, k) => requireFunction(where, `branches[${k}]`, b));
  branches = branches.map((b, k) => branch(where, `branches[${k}]`, b));
  const idx = scalarSelector(where, 'index', index, 'int');
  operands = typedLeavesAsArrays(operands);
  const n = branches.length;
  if (typeof idx === 'number') return branches[Math.min(Math.max(idx, 0), n - 1)](...operands);
  const full = (v: number) => lax.full([], v, idx.dtype);
  const clamped = lax.min(idx.dtype === 'uint32' ? idx : lax.max(idx, full(0)), full(n - 1)); // (JAX's clamp)
  // (a traced index: one cond row, as cond's)
  const out = condAsRow(where, 'every branch must return the same types', lax.convertElementType(clamped, 'int32'), branches,
    branches.map((_, k) => `from branches[${k}]`), operands);
  if (out !== NO_ROW && !(out instanceof RunAsIs)) return out;
  const asIs = (k: number) => {
    const sel = lax.eq(clamped, full(k));
    return withRowsReplaced(out instanceof RunAsIs ? guardedRows(where, out.closed[k], sel) : new Map(), () => branches[k](...untakenStopped(sel, true, operands)));
  };
  const { def, leaves } = checkSame(where, 'every branch must return the same types (all run: index is traced)', 'output',
    branches.map((_, k) => `from branches[${k}]`), branches.map((_, k) => asIs(k)));
  return unflatten(def, leaves[0].map((_, k) => {
    let acc = leaves[n - 1][k] as NDArray;
    for (let b = n - 2; b >= 0; b--) acc = select(lax.eq(clamped, full(b)), leaves[b][k] as NDArray, acc);
    return acc;
  }));
}

/**
 * The operands a branch gets when every branch runs as it is (a batched pred or index, eagerly,
 * where the cond could not be traced): each Array leaf as it is where the branch is taken (`sel`
 * equals `taken`) and through stopGradient where it is not (JAX's cond batching rule, jax#1052).
 */
function untakenStopped(sel: NDArray, taken: boolean, operands: unknown[]): unknown[] {
  const [leaves, def] = flatten(operands);
  if (!leaves.some((l) => l instanceof NDArray)) return operands;
  return unflatten(def, leaves.map((l) => (l instanceof NDArray ? guardUntaken(l, sel, taken) : l))) as unknown[];
}

/**
 * A branch as cond and switch call it: its output must be a tree of Arrays, JS numbers, booleans
 * and { re, im } (what a cond row holds), whichever path runs it; eagerly a Promise (an async
 * branch) or a string came back as it was, where jit refused it.
 */
function branch(where: string, name: string, fn: (...operands: any[]) => any): (...operands: any[]) => any {
  return (...operands: unknown[]) => {
    const out = callSync(where, name, fn, ...operands);
    const [ol, od] = flatten(out);
    ol.forEach((l, k) => {
      if (!(l instanceof NDArray) && !isWeak(l) && !isComplexLiteral(l)) {
        throw new ValueError(`${where}: ${name} returned ${typeOf(l)} as output${leafPath(od, k)}, not an Array or a JS number`);
      }
    });
    return out;
  };
}

const NO_ROW = Symbol('no row');
const NOT_SAME = Symbol('not the same JS number in every branch');
const RETRACE = Symbol('a JS number takes another branch\'s dtype: trace the branches again');

/**
 * cond and switch under jit: one cond row (ts/api/control/cond.ts) that runs only the chosen branch.
 * Each branch is traced once; their outputs must share structure and types (a JS number takes the
 * dtype another branch gives that leaf: the branches are traced again, once, with it). NO_ROW when
 * the branches return no Array (a row needs an output).
 */
function condAsRow(where: string, header: string, index: NDArray, branches: readonly ((...operands: any[]) => any)[], names: string[],
  operands: unknown[]): unknown {
  const [leaves, def] = flatten(operands);
  leaves.forEach((l, k) => {
    if (!(l instanceof NDArray) && !isWeak(l) && !isComplexLiteral(l)) throw new ValueError(`${where}: operand${leafPath(def, k)} is ${typeOf(l)}, not an Array or a JS number`);
  });
  // A JS-number operand is a constant of the trace (a value a transform follows is an Array by now):
  // the branches get it as it is, as eagerly, weakly typed at full precision (as a float32 operand
  // row, 0.1 times a float64 gave 0.30000000447 and 16777217 beside int32 a float32 16777216).
  const args = leaves.filter((l): l is NDArray => l instanceof NDArray);
  const withConstants = (xs: NDArray[]): unknown[] => { let j = 0; return leaves.map((l) => (l instanceof NDArray ? xs[j++] : l)); };
  const avals: Aval[] = args.map((a) => ({ dtype: a.dtype, shape: a._shape }));
  let hints: (DType | undefined)[] = [];
  for (let attempt = 0; attempt < 2; attempt++) {
    let first: { def: TreeDef; avals: Aval[]; weak: boolean[]; raw: unknown[] } | null = null;
    let retrace = false;
    // per output leaf: the JS number (or boolean) every branch returns there, if they all return the same one
    const same: unknown[] = [];
    const traced = (f: (...a: any[]) => any, b: number) => (xs: NDArray[]): NDArray[] => {
      const [ol, od] = flatten(f(...(unflatten(def, withConstants(xs)) as unknown[])));
      if (ol.length === 0) throw NO_ROW; // (nothing to return: the branches run and select, as without jit)
      ol.forEach((l, k) => { same[k] = b === 0 ? (isWeak(l) ? l : NOT_SAME) : isWeak(l) && Object.is(l, same[k]) ? l : NOT_SAME; });
      if (first !== null && !sameStructure(first.def, od)) {
        throw new ValueError(`${where}: ${header}; the structure is ${showTree(first.def)} ${names[0]} but ${showTree(od)} ${names[b]}`);
      }
      const out = ol.map((l, k) => {
        if (l instanceof NDArray) return l;
        if (isComplexLiteral(l)) return asarrayHint(l, undefined, where); // (an operand { re, im } returned as it is: complex64)
        // (a JS number or boolean: branch() refused any other leaf)
        const w = l as number | boolean;
        const h = hints[k] ?? (first !== null && !first.weak[k] ? first.avals[k].dtype : undefined);
        return asarrayHint(w, h !== undefined && takes(w, h) ? h : undefined, where); // (never truncated: 1.5 stays float32 beside int32)
      });
      if (first === null) { first = { def: od, avals: out.map((o) => ({ dtype: o.dtype, shape: o._shape })), weak: ol.map(isWeak), raw: ol }; return out; }
      out.forEach((o, k) => {
        const a = first!.avals[k];
        if (a.dtype !== o.dtype && first!.weak[k] && o.ndim === 0 && attempt === 0 && takes(first!.raw[k] as number | boolean, o.dtype)) {
          hints[k] = o.dtype; retrace = true; return;
        }
        if (a.dtype !== o.dtype || !lax.sameShape(a.shape, o._shape)) {
          const why = a.dtype !== o.dtype ? 'dtypes' : 'shapes';
          // (a JS number beside an integer Array: say why it did not take that dtype, as the eager check does)
          const note = first!.weak[k] ? weakNote(first!.raw[k], o.dtype) : isWeak(ol[k]) ? weakNote(ol[k], a.dtype) : '';
          throw typeError(why, `${where}: ${header}; output${leafPath(od, k)} is ${describe(a.shape, a.dtype)} ${names[0]} but ${describe(o._shape, o.dtype)} ${names[b]}`, note);
        }
      });
      // (stop here: the row would refuse the branches' differing dtypes before the retrace below)
      if (retrace) throw RETRACE;
      return out;
    };
    let outs: NDArray[];
    try {
      const inlined = jitContext() !== undefined ? AS_ROW : inlineBatchedCond(where, index, avals, args, branches.map(traced)); // (eager: the index is batched by vmap)
      if (inlined === AS_ROW) { // (under jit, or a branch holds a psum)
        const r = emitCondRow(where, index._rowIn(where), avals, args.map((a) => a._rowIn(where)), branches.map(traced));
        outs = Array.from({ length: abi().row_nout(r) }, (_, k) => NDArray.tracer(r + 1 + k));
      } else {
        if (inlined === null) return NO_ROW;
        if (inlined instanceof RunAsIs) return inlined;
        outs = inlined;
      }
    } catch (e) {
      if (e === NO_ROW) return NO_ROW;
      if (e === RETRACE) { hints = [...hints]; continue; }
      throw e;
    }
    const f = first as unknown as { def: TreeDef; avals: Aval[] };
    // A JS number every branch returns is the output whichever runs: returned as it is, weakly typed
    // as eagerly (a tracer would be float32 beside int32 Arrays); distinct numbers stay the row's float32.
    return unflatten(f.def, f.avals.map((_, k) => (same[k] !== NOT_SAME && same[k] !== undefined ? same[k] : outs[k])));
  }
  throw new ValueError(`${where}: ${header}`); // (unreachable: the second trace has every hint)
}

/** cond's pred or switch's index, JAX's checks (a scalar; an integer, or bool for pred): its number when known, else the Array. */
function scalarSelector(where: string, what: string, x: unknown, kind: 'bool' | 'int'): number | NDArray {
  const wants = kind === 'bool' ? 'a scalar bool or integer (JAX refuses floats: compare first, e.g. np.greater(x, 0))' : 'a scalar integer (int32 or uint32)';
  if (typeof x === 'boolean' && kind === 'bool') return x ? 1 : 0;
  if (typeof x === 'number') {
    if (!Number.isInteger(x)) throw new DTypeError(`${where}: ${what} must be ${wants}, got ${x}`);
    return x;
  }
  if (!(x instanceof NDArray)) throw new DTypeError(`${where}: ${what} must be ${wants}, got ${typeOf(x)}`);
  if (x.ndim !== 0) throw new ShapeError(`${where}: ${what} must be a scalar (shape []), got ${typeOf(x)}`);
  if (!(INT_DTYPES.includes(x.dtype) || (kind === 'bool' && x.dtype === 'bool'))) throw new DTypeError(`${where}: ${what} must be ${wants}, got ${typeOf(x)}`);
  const k = known(x, where);
  if (k.kind !== 'value') return x;
  return x.dtype === 'bool' ? (k.value !== 0 ? 1 : 0) : k.value;
}
