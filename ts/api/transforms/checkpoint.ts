// checkpoint (jax.checkpoint / jax.remat): f with the same values and derivatives, in every
// transform. JAX's point is memory: a gradient recomputes f's intermediates in the backward pass
// instead of keeping them. Under jit f is one checkpoint row (ts/api/control/cond.ts) whose
// linearization keeps only f's inputs, and the transpose recomputes f; so a jitted scan whose
// body is checkpointed stacks the body's inputs per step, not its intermediates. Eagerly (define
// by run) f runs inline and its rows keep their values, as without checkpoint. The policy is
// accepted, and everything is recomputed (JAX's default, nothing saveable).
import { readOptions } from '../options.js';
import { ValueError } from '../../core/errors.js';
import { jitContext } from '../../core/trace.js';
import { checkpointAsRow, checkpointOperands, checkpointOutputs } from '../control/cond.js';
import { requireFunction, maxArgs, transformed, callSync, checkCallArity } from './trace_args.js';
import type { Fn } from './types.js';

export interface CheckpointOptions {
  /** JAX's prevent_cse (no common-subexpression elimination across the boundary): accepted. */
  preventCse?: boolean;
  /** JAX's policy (which intermediates may be saved): accepted; every intermediate is recomputed (JAX's default). */
  policy?: unknown;
  /** Arguments treated as static (JS values): accepted; they pass through to f (as a JS number, boolean or { re, im } leaf does anyway: a constant). */
  staticArgnums?: number | readonly number[];
}

/**
 * The abstract traces (jit contexts) in which checkpoint runs f inline, as eagerly: linearTranspose's,
 * whose f is linear and needs no recomputation (as a row, its linearization reads f's inputs, which
 * linearTranspose's linearity check takes for a nonlinear f).
 */
export const checkpointInline = new WeakSet<object>();

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
  const given = s === undefined ? [] : typeof s === 'number' ? [s] : [...s];
  return transformed(((...args: unknown[]) => {
    checkCallArity(`checkpoint(${f.name || 'fn'})`, f, args); // (checkpoint(g)(x, 5) ran as g(x))
    // (JAX's static_argnums: negative from the end; one past the arguments is an error)
    const statics = new Set(given.map((i) => {
      const j = i < 0 ? i + args.length : i;
      if (j < 0 || j >= args.length) throw new ValueError(`checkpoint: staticArgnums ${i} is out of range for a call with ${args.length} argument(s)`);
      return j;
    }));
    const jc = jitContext();
    if (jc !== undefined && !checkpointInline.has(jc)) return checkpointAsRow('checkpoint', f, args, statics);
    // (eagerly f runs inline; its arguments and results are checked as under jit, so the two agree)
    checkpointOperands('checkpoint', args, statics);
    const out = callSync('checkpoint', 'the function', f, ...args);
    checkpointOutputs('checkpoint', out);
    return out;
  }) as F, 'checkpoint', f);
}
