// stopGradient over a pytree: each Array leaf passes through a stop_gradient row (JAX's
// jax.lax.stop_gradient), so no derivative flows through it; JS numbers are constants already.
import { NDArray, isComplexLiteral } from './array.js';
import * as lax from './lax.js';
import { map, TreeLike } from './tree.js';
import { show } from './options.js';
import { ValueError } from '../core/errors.js';

export function stopGradient<T extends TreeLike>(x: T, ...rest: unknown[]): T {
  // (a second argument was dropped, and a leaf of another kind, a string, a Symbol or a Promise,
  // came back as it went in; jax.lax.stop_gradient refuses a leaf that is not an array)
  if (rest.length > 0) throw new ValueError(`stopGradient: takes 1 argument (an Array or a tree of them), got ${1 + rest.length}`);
  return map((leaf: unknown) => {
    if (leaf instanceof NDArray) return lax.stopGradient(leaf);
    if (typeof leaf === 'number' || typeof leaf === 'boolean' || leaf === null || leaf === undefined || isComplexLiteral(leaf)) return leaf;
    throw new ValueError(`stopGradient: a leaf is ${show(leaf)}, not an Array, a number, a boolean or { re, im }`);
  }, x) as T;
}
