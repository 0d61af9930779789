// tidy(fn): ownership the user states, for eager loops that move large arrays.
//
// A synchronous JS loop gives no sign that an Array died (a FinalizationRegistry's callbacks run
// only between jobs), so a large Array's wasm block must be assumed live: when the resident
// budget evicts it, its values are first copied to JS memory (core/resident.ts). Inside
// tidy(fn), every concrete Array made while fn runs and not returned by it is known dead when fn
// returns: its block is freed without that copy, and reading it later is a DeletedArrayError (as
// with a donated Array), never stale values. Typed arrays given to np.array inside a tidy are
// copied straight into wasm memory (one copy instead of a JS copy and an upload).
// tfjs's tf.tidy has the same contract; JAX needs none (Python frees by reference count).
import { NDArray, RELEASED_BY_TIDY } from './array.js';
import { ValueError } from '../core/errors.js';
import { inTrace } from '../core/trace.js';
import * as scopes from '../core/scopes.js';
import * as resident from '../core/resident.js';

/**
 * Run `fn` and return what it returns. Arrays made while it runs (by any op, transform or
 * np.array) that it does not return (anywhere in the returned tree: lists, the own enumerable data
 * properties of objects, Maps, Sets) are deleted when it returns: their memory is freed at once,
 * and reading one afterwards throws a DeletedArrayError. Returned Arrays belong to the enclosing
 * tidy, if any. Inside a transform (grad, jit, vmap...) tidy only runs fn: traced values are not
 * memory of their own.
 *
 * Use it around one step of a loop, not around the loop: Arrays made inside stay alive until it
 * returns. An Array tidy cannot see is released: one kept in a closure, an outer variable, behind
 * a getter, a Symbol key, a private field, a WeakMap or a Promise. Return it instead. Pullbacks
 * and linearized functions made inside are not Arrays: their dispose() frees them early.
 */
export function tidy<T>(fn: () => T): T {
  // (tidy(fn, { zz: 1 }) ran fn with the extra ignored)
  if (arguments.length > 1) throw new ValueError(`tidy: takes one argument (fn, a function of no arguments), got ${arguments.length}; it has no options`);
  if (typeof fn !== 'function') {
    throw new ValueError(`tidy: expected a function of no arguments, got ${fn === null ? 'null' : typeof fn}`);
  }
  if (inTrace()) return fn();
  const made: NDArray[] = [];
  scopes.open.push(made);
  let out: T;
  try {
    out = fn();
  } catch (e) {
    scopes.open.pop();
    release(made, new Set());
    throw e;
  }
  scopes.open.pop();
  if (isAsync(out)) {
    // Nothing is released: the rest of fn still runs after its first await and may read them.
    keepAll(made);
    throw new ValueError('tidy: fn is asynchronous (it returned a Promise or an async iterator); tidy takes a synchronous ' +
      'function (Arrays made after an await would escape it). Call tidy inside the async function, around each synchronous step');
  }
  release(made, arraysIn(out));
  return out;
}

function isAsync(x: unknown): boolean {
  if (x === null || (typeof x !== 'object' && typeof x !== 'function')) return false;
  try {
    return typeof (x as { then?: unknown }).then === 'function' || typeof (x as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
  } catch {
    return false;
  }
}

/** The Arrays of `made` all go to the enclosing scope, if any. */
function keepAll(made: NDArray[]): void {
  if (scopes.open.length > 0) scopes.open[scopes.open.length - 1].push(...made);
}

/**
 * Delete the Arrays of `made` not in `keep`; those kept go to the enclosing scope. A released
 * Array whose block eviction had already copied out means the step's large Arrays outgrew the
 * resident budget: it grows (as for an evicted array read again), so the next step copies none.
 */
function release(made: NDArray[], keep: Set<NDArray>): void {
  const outer = scopes.open.length > 0 ? scopes.open[scopes.open.length - 1] : null;
  let evicted = false;
  for (const a of made) {
    if (keep.has(a)) { outer?.push(a); continue; }
    if (a._heldByProgram) continue; // a jitted program binds it at each call (made inside the tidy, it outlives it)
    if (a._block !== null && !resident.inWasm(a._block) && a._block.js !== null) evicted = true;
    if (a._js !== null || a._block !== null) a._delete(RELEASED_BY_TIDY); // (a tracer made concrete later is not tracked)
  }
  if (evicted) resident.noteMiss();
}

/**
 * Every Array reachable from x through arrays, the own data properties of objects (string keys,
 * enumerable; getters are not run), Maps and Sets. A property that cannot be read (a revoked
 * Proxy) is skipped: what is behind it is released.
 */
function arraysIn(x: unknown): Set<NDArray> {
  const found = new Set<NDArray>();
  const seen = new Set<object>();
  const stack: unknown[] = [x];
  const push = (w: unknown) => { if (w !== null && typeof w === 'object') stack.push(w); };
  while (stack.length > 0) {
    const v = stack.pop() as object;
    if (seen.has(v)) continue;
    seen.add(v);
    try {
      if (v instanceof NDArray) { found.add(v); continue; }
      if (ArrayBuffer.isView(v)) continue;
      if (Array.isArray(v)) { for (let i = 0; i < v.length; i++) push(v[i]); continue; } // (no keys list: a 1e6-number result)
      if (v instanceof Map) { for (const [k, w] of v) { push(k); push(w); } continue; }
      if (v instanceof Set) { for (const w of v) push(w); continue; }
      const props = Object.getOwnPropertyDescriptors(v);
      for (const k of Object.keys(props)) if (props[k].enumerable && 'value' in props[k]) push(props[k].value);
    } catch {
      // unreadable (a revoked Proxy, a throwing trap): nothing in it is kept
    }
  }
  return found;
}
