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

/**
 * Run `fn` and return what it returns. Arrays made while it runs (by any op, transform or
 * np.array) that it does not return (anywhere in the returned tree: lists, objects, Maps, Sets)
 * are deleted when it returns: their memory is freed at once, and reading one afterwards throws a
 * DeletedArrayError. Returned Arrays belong to the enclosing tidy, if any. Inside a transform
 * (grad, jit, vmap...) tidy only runs fn: traced values are not memory of their own.
 *
 * Use it around one step of a loop, not around the loop: Arrays made inside stay alive until it
 * returns. An Array kept in a closure or an outer variable is not seen: return it instead.
 */
export function tidy<T>(fn: () => T): T {
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
  if (out !== null && typeof out === 'object' && typeof (out as { then?: unknown }).then === 'function') {
    release(made, new Set());
    throw new ValueError('tidy: fn returned a Promise; tidy takes a synchronous function (Arrays made after an await ' +
      'would escape it). Call tidy inside the async function, around each synchronous step');
  }
  release(made, arraysIn(out));
  return out;
}

/** Delete the Arrays of `made` not in `keep`; those kept go to the enclosing scope. */
function release(made: NDArray[], keep: Set<NDArray>): void {
  const outer = scopes.open.length > 0 ? scopes.open[scopes.open.length - 1] : null;
  for (const a of made) {
    if (keep.has(a)) { outer?.push(a); continue; }
    if (a._js !== null || a._block !== null) a._delete(RELEASED_BY_TIDY); // (a tracer made concrete later is not tracked)
  }
}

/** Every Array reachable from x through arrays, plain and class objects, Maps and Sets. */
function arraysIn(x: unknown): Set<NDArray> {
  const found = new Set<NDArray>();
  const seen = new Set<object>();
  const stack: unknown[] = [x];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (v instanceof NDArray) { found.add(v); continue; }
    if (ArrayBuffer.isView(v)) continue;
    if (v instanceof Map) { for (const [k, w] of v) stack.push(k, w); continue; }
    if (v instanceof Set) { for (const w of v) stack.push(w); continue; }
    for (const k of Object.keys(v)) stack.push((v as Record<string, unknown>)[k]);
  }
  return found;
}
