// Extra positional arguments are an error, not silently dropped. numpy habits put options in
// positions a JS function never reads (np.exp(x, out), np.divide(x, 3, { dtype: 'float64' }),
// np.tile(x, 2, 3), linalg.lu(a, true)): JS ignores them, so the call ran without them (a float32
// result where float64 was asked, scipy's permute_l read as [P, L, U]). The public namespaces wrap
// each function with a check of the argument count against its declared parameters, read once
// from its source. Functions that read `arguments` check themselves (their messages are more
// specific), rest parameters take any number, and classes are left as they are.
import { CotangentError, ValueError } from '../core/errors.js';
import { show } from './options.js';

interface Params { max: number; names: string[] }

/** The declared parameters of f (names, count; Infinity with a rest parameter), or null when unknown. */
export function declaredParams(f: Function): Params | null {
  const src = Function.prototype.toString.call(f);
  // (`arguments` in code, not in a string: np.clip's message says "two arguments")
  if (/^class\b/.test(src) || src.includes('[native code]') || /\barguments\b/.test(withoutStrings(src))) return null;
  let i = 0;
  let list: string;
  if (src.startsWith('function') || src.startsWith('(') || /^[\w$]+\s*\(/.test(src)) {
    i = src.indexOf('(');
    const end = matching(src, i);
    if (end < 0) return null;
    list = src.slice(i + 1, end);
  } else {
    const m = /^([\w$]+)\s*=>/.exec(src); // x => ...
    if (m === null) return null;
    list = m[1];
  }
  const parts = splitTopLevel(list).map((p) => p.trim()).filter((p) => p.length > 0);
  if (parts.some((p) => p.startsWith('...'))) return { max: Infinity, names: [] };
  return { max: parts.length, names: parts.map((p) => p.split('=')[0].trim()) };
}

/** src with its comments dropped and its string and template literals emptied (their text is not code). */
function withoutStrings(src: string): string {
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '/' && src[i + 1] === '/') { const e = src.indexOf('\n', i); i = e < 0 ? src.length : e - 1; continue; } // (a comment's "JAX's" is no quote)
    if (c === '/' && src[i + 1] === '*') { const e = src.indexOf('*/', i + 2); i = e < 0 ? src.length : e + 1; continue; }
    if (c === '"' || c === "'" || c === '`') { const j = skipString(src, i); out += c + c; i = j; continue; }
    out += c;
  }
  return out;
}

/** Index of the bracket closing the one at `open`, skipping strings; -1 if none. */
function matching(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === "'" || c === '`') { i = skipString(s, i); continue; }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') { depth--; if (depth === 0) return i; }
  }
  return -1;
}
function skipString(s: string, i: number): number {
  const q = s[i];
  for (i++; i < s.length && s[i] !== q; i++) if (s[i] === '\\') i++;
  return i;
}
function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0, start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === "'" || c === '`') { i = skipString(s, i); continue; }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) { out.push(s.slice(start, i)); start = i + 1; }
  }
  out.push(s.slice(start));
  return out;
}

/**
 * f behind a check that it gets at least n arguments, for functions where a missing argument
 * would otherwise read as a meaningful undefined (tree.leaves() as the empty tree; JAX raises).
 */
export function atLeast<F extends Function>(qualified: string, f: F, n: number, usage: string): F {
  const g = function (this: unknown) {
    if (arguments.length < n) throw new ValueError(`${qualified}: got ${arguments.length} argument${arguments.length === 1 ? '' : 's'}, needs ${usage}; pass null for the empty tree`);
    return f.apply(this, arguments);
  };
  Object.defineProperty(g, 'name', { value: f.name });
  Object.defineProperty(g, 'length', { value: f.length });
  return g as unknown as F;
}

/** f behind a check that it gets at most its declared number of arguments (f itself when that is unknown or unlimited). */
export function arityChecked<F extends Function>(qualified: string, f: F, limit?: number, nameTypeErrors = true, holes = true): F {
  const call = nameTypeErrors ? named : (_q: string, g: Function, self: unknown, args: unknown[]) => g.apply(self, args);
  const p = declaredParams(f);
  if (p === null || p.max === Infinity) { // (no count to check: the holes still are)
    const h = function (this: unknown) {
      if (holes) for (let i = 0; i < arguments.length; i++) checkHoles(qualified, i, arguments[i]);
      return call(qualified, f, this, arguments as unknown as unknown[]);
    };
    Object.defineProperty(h, 'name', { value: f.name });
    Object.defineProperty(h, 'length', { value: f.length });
    return h as unknown as F;
  }
  // (`limit`: fewer than declared, where the last parameters are internal: asarray's `where`)
  const max = limit ?? p.max, names = p.names.slice(0, max);
  const g = function (this: unknown) {
    // xs.map(np.exp): Array.prototype.map and friends pass (value, index, array); a one-parameter
    // function gets its value alone, as before (a function with more parameters is refused: map's
    // index would be read as its second argument, np.sum's axis)
    if (max === 1 && arguments.length === 3 && typeof arguments[1] === 'number' && Array.isArray(arguments[2]) && arguments[2][arguments[1]] === arguments[0]) {
      return call(qualified, f, this, [arguments[0]]);
    }
    if (holes) for (let i = 0; i < arguments.length; i++) checkHoles(qualified, i, arguments[i]);
    if (arguments.length > max) {
      throw new ValueError(`${qualified}: takes at most ${max} argument${max === 1 ? '' : 's'} (${names.join(', ')}), got ` +
        `${arguments.length}; options go in an object (numpy's out= has no counterpart: Arrays are immutable, use the result)`);
    }
    return call(qualified, f, this, arguments as unknown as unknown[]);
  };
  Object.defineProperty(g, 'name', { value: f.name });
  Object.defineProperty(g, 'length', { value: f.length });
  return g as unknown as F;
}

/**
 * f(...args), with a JS TypeError or RangeError from inside (an argument of a kind no check
 * foresaw: null where a list belongs, a ragged list of starts) turned into a ValueError naming
 * the function and the arguments (lax_public's `checked` does the same for lax); the original is
 * its cause.
 */
function named(qualified: string, f: Function, self: unknown, args: unknown[]): unknown {
  try {
    return f.apply(self, args);
  } catch (e) {
    if (e instanceof CotangentError) throw withPublicName(qualified, e);
    refuseTooDeep(qualified, e, args);
    if (!(e instanceof TypeError || e instanceof RangeError) || notAboutArguments(e, args, qualified.startsWith('tree.'))) throw e;
    throw new ValueError(`${qualified}: cannot take the arguments (${Array.from(args, show).join(', ')}): ${e.message}`, { cause: e });
  }
}

/**
 * After a stack overflow: a ValueError if an argument is a list (or plain object) nested past
 * `limit` levels or containing itself, which some step walked recursively (np.zeros of a list
 * 5000 deep overflowed in its own error message); the overflow itself otherwise (the user's).
 * Walked without recursion, each object once (shared subtrees are fine).
 */
export function refuseTooDeep(qualified: string, e: unknown, args: readonly unknown[], limit = 1000): void {
  if (!(e instanceof RangeError && (e.message.includes('call stack') || e.message.includes('too much recursion')))) return;
  for (let k = 0; k < args.length; k++) {
    const why = deepOrCyclic(args[k], limit);
    if (why !== null) throw new ValueError(`${qualified}: argument ${k} is a list ${why}; lists, shapes and trees must be finite and at most ${limit} levels deep`, { cause: e });
  }
}
/** A ValueError if `v` (`what` of `where`) is nested past `limit` levels or contains itself. */
export function requireFinite(where: string, what: string, v: unknown, limit = 1000): void {
  const why = deepOrCyclic(v, limit);
  if (why !== null) throw new ValueError(`${where}: ${what} is a list ${why}; lists, shapes and trees must be finite and at most ${limit} levels deep`);
}
function deepOrCyclic(root: unknown, limit: number): string | null {
  const nested = (v: unknown): v is object => Array.isArray(v) || (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype);
  if (!nested(root)) return null;
  const done = new Set<object>(), onPath = new Set<object>();
  const stack: { v: object; children: unknown[]; i: number }[] = [{ v: root, children: Object.values(root), i: 0 }];
  onPath.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.i === top.children.length) { stack.pop(); onPath.delete(top.v); done.add(top.v); continue; }
    const c = top.children[top.i++];
    if (!nested(c) || done.has(c)) continue;
    if (onPath.has(c)) return 'that contains itself';
    if (stack.length >= limit) return `nested more than ${limit} levels deep`;
    onPath.add(c);
    stack.push({ v: c, children: Object.values(c), i: 0 });
  }
  return null;
}

/**
 * A JS error that says nothing about the arguments' kinds, so it reaches the caller unchanged: a
 * stack overflow (a deep recursion of the user's, which ran out inside whichever function was
 * called last), or anything thrown while a function argument ran (tree.map's callback: the
 * user's own error, from the user's own code).
 */
export function notAboutArguments(e: unknown, args: readonly unknown[], takesCallbacks: boolean): boolean {
  // (no RegExp here: V8 compiles one at its first use, and compiling it with the stack nearly
  // spent aborted the process: "RegExpCompiler Allocation failed")
  if (e instanceof RangeError && (e.message.includes('call stack') || e.message.includes('too much recursion'))) return true;
  // (only where a function argument may be a callback: elsewhere one is a mistake, and its JS
  // TypeError from inside, "x._rowIn is not a function", is named like any other)
  return takesCallbacks && Array.prototype.some.call(args, (a) => typeof a === 'function');
}

/**
 * An error raised by a primitive or an internal step ("mul: this float32[3] Array was deleted",
 * "erf_inv(int32[2]): unsupported ...", or another public function's) names the public function
 * the user called first: "np.multiply: mul: ...". A message that starts with its name is left alone.
 */
export function withPublicName(qualified: string, e: CotangentError): CotangentError {
  const m = e.message;
  // (and one raised by another public function this one called: random.randint: np.broadcastTo: ...)
  if (!m.startsWith(qualified) && (/^[a-z_][A-Za-z0-9_]*[ :(]/.test(m) || /^(np|lax|linalg|random|tree)\.\w+[ :(]/.test(m))) e.message = `${qualified}: ${m}`;
  return e;
}

/**
 * A JS list argument (or an options object's list) with a hole, [a, , b], is an error: list
 * methods skip holes (map, every, some), so a hole passed every check and was then read as its
 * neighbour's value or 0 (np.stack([a, , b]) repeated a's row).
 */
function checkHoles(qualified: string, arg: number, x: unknown): void {
  if (Array.isArray(x)) {
    const at = holeAt(x);
    if (at >= 0) throw new ValueError(`${qualified}: argument ${arg} is a list with a hole at index ${at} ([a, , b]); write every element`);
  } else if (x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) {
    for (const [k, v] of Object.entries(x)) {
      if (!Array.isArray(v)) continue;
      const at = holeAt(v);
      if (at >= 0) throw new ValueError(`${qualified}: option ${k} is a list with a hole at index ${at} ([a, , b]); write every element`);
    }
  }
}

function holeAt(xs: readonly unknown[]): number {
  for (let i = 0; i < xs.length; i++) if (!(i in xs)) return i;
  return -1;
}

/**
 * A namespace object with each of its functions arity-checked, each under its own name (an alias,
 * np.amax of np.max, names itself in the error), and without the module's internal helpers
 * (`hidden`: exported for the other modules, not for users).
 */
export function withArityChecks<T extends object, K extends keyof T = never>(prefix: string, ns: T, hidden: readonly K[] = [],
  limits: Partial<Record<keyof T, number>> = {}, holes = true): Omit<T, K> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ns)) {
    if ((hidden as readonly string[]).includes(k)) continue;
    out[k] = typeof v === 'function' ? arityChecked(`${prefix}.${k}`, v, (limits as Record<string, number>)[k], true, holes) : v;
  }
  return out as Omit<T, K>;
}
