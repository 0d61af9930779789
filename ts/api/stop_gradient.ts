// stopGradient over a pytree: each Array leaf passes through a stop_gradient row (JAX's
// jax.lax.stop_gradient), so no derivative flows through it; JS numbers are constants already.
import { NDArray } from './array.js';
import * as lax from './lax.js';
import { map, TreeLike } from './tree.js';

export function stopGradient<T extends TreeLike>(x: T): T {
  return map((leaf: unknown) => (leaf instanceof NDArray ? lax.stopGradient(leaf) : leaf), x) as T;
}
