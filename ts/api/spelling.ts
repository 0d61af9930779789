// JAX's snake_case names on the camelCase namespaces: `np.expand_dims(x, 0)` or
// `lax.fori_loop(...)` ported from Python was a JS TypeError ('np.expand_dims is not a
// function'), which does not say the function exists under another spelling. Each namespace gets
// a non-enumerable function per camelCase name, spelled as JAX spells it, that throws saying so
// (not an alias: one spelling per function keeps the API, its docs and its types one set).
import { ValueError } from '../core/errors.js';

/** numpy's spelling of a camelCase name (expandDims -> expand_dims, logSoftmax -> log_softmax), or null when it has none. */
export function snakeCase(name: string): string | null {
  if (!/[a-z0-9][A-Z]/.test(name)) return null;
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Add the hints to `ns` (in place; names it already has are left alone). Returns ns. */
export function withSpellingHints<T extends object>(prefix: string, ns: T): T {
  for (const name of Object.keys(ns)) {
    const snake = snakeCase(name);
    if (snake === null || snake in ns || typeof (ns as Record<string, unknown>)[name] !== 'function') continue;
    const hint = function misspelled(): never {
      throw new ValueError(`${prefix}.${snake}: names here are camelCase: this is ${prefix}.${name}`);
    };
    Object.defineProperty(ns, snake, { value: hint, enumerable: false, configurable: true, writable: true });
  }
  return ns;
}
