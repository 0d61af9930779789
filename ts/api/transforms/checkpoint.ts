// checkpoint (jax.checkpoint / jax.remat): f with the same values and derivatives, in every
// transform. JAX's point is memory: a gradient recomputes f's intermediates in the backward
// pass instead of keeping them. Ours does not recompute yet (a linear program that re-runs
// forward rows is roadmap 8), so it keeps what f keeps; the options are checked and accepted,
// so code written for JAX runs unchanged and gives JAX's numbers.
import { readOptions } from '../options.js';
import { ValueError } from '../../core/errors.js';
import { requireFunction, maxArgs, transformed } from './trace_args.js';
import type { Fn } from './types.js';

export interface CheckpointOptions {
  /** JAX's prevent_cse (no common-subexpression elimination across the boundary): accepted. */
  preventCse?: boolean;
  /** JAX's policy (which intermediates may be saved): accepted; nothing is recomputed yet. */
  policy?: unknown;
  /** Arguments treated as static (JS values): accepted; they pass through to f. */
  staticArgnums?: number | readonly number[];
}

export function checkpoint<F extends Fn>(f: F, options?: CheckpointOptions): F {
  maxArgs('checkpoint', arguments.length, 2, 'f, options');
  requireFunction('checkpoint', f);
  const o = readOptions<CheckpointOptions>('checkpoint', options, { preventCse: 'boolean', policy: 'any', staticArgnums: 'any' });
  if (o.policy !== undefined && o.policy !== null && typeof o.policy !== 'function') {
    throw new ValueError(`checkpoint: policy must be a function (JAX's checkpoint_policies) or null, got ${typeof o.policy}`);
  }
  const s = o.staticArgnums;
  if (s !== undefined && !(Number.isInteger(s) || (Array.isArray(s) && s.every((i) => Number.isInteger(i))))) {
    throw new ValueError(`checkpoint: staticArgnums must be an integer or a list of integers, got ${String(s)}`);
  }
  return transformed(((...args: unknown[]) => f(...args)) as F, 'checkpoint', f);
}
