// The public `lax`: the primitives of lax.ts, each behind a check that its arguments are what a
// primitive takes. lax has no weak typing or broadcasting (JAX's lax is as strict), so a JS
// number or list where an Array belongs would otherwise fail deep inside with a JS TypeError;
// here it is a ValueError naming the function and the argument.
import * as laxPrimitives from './lax.js';
import { topK } from './np_sorting.js';
import { dynamicSlice, dynamicUpdateSlice, slice } from './np_rearrange.js';

import { NDArray } from './array.js';
import { CotangentError, DTypeError, ValueError, describe } from '../core/errors.js';
import { isFloating } from '../core/dtype.js';
import { show } from './options.js';
import { filled } from './creation.js';
import { arityChecked } from './arity.js';

/** jax.lax.RoundingMethod. */
export const RoundingMethod = Object.freeze({ AWAY_FROM_ZERO: 0, TO_NEAREST_EVEN: 1 } as const);

/**
 * jax.lax.round(x, rounding_method): halves away from zero by default (JAX's default), or to
 * even with RoundingMethod.TO_NEAREST_EVEN (np.round's rule). Away from zero is trunc(x) plus
 * sign(x) where |x - trunc(x)| >= 1/2 (x - trunc(x) is exact; inf and NaN stay themselves).
 */
function round(x: NDArray, roundingMethod: number = RoundingMethod.AWAY_FROM_ZERO): NDArray {
  if (arguments.length > 2) throw new ValueError(`lax.round: takes (x, roundingMethod), got ${arguments.length} arguments`);
  if (roundingMethod === RoundingMethod.TO_NEAREST_EVEN) return laxPrimitives.round(x);
  if (roundingMethod !== RoundingMethod.AWAY_FROM_ZERO) {
    throw new ValueError(`lax.round: roundingMethod must be lax.RoundingMethod.AWAY_FROM_ZERO (0) or TO_NEAREST_EVEN (1), got ${show(roundingMethod)}`);
  }
  if (x instanceof NDArray && !isFloating(x.dtype)) throw new DTypeError(`lax.round: needs a float32 or float64 Array, got ${describe(x.shape, x.dtype)}`);
  const t = laxPrimitives.trunc(x);
  const half = filled('lax.round', x.shape, 0.5, x.dtype);
  const far = laxPrimitives.ge(laxPrimitives.abs(laxPrimitives.sub(x, t)), half);
  return laxPrimitives.select(far, laxPrimitives.add(t, laxPrimitives.sign(x)), t);
}

/** lax.ts plus the lax functions composed in the numpy modules (without lax.ts's internal helpers). */
const { normalizeAxes: _internal, sameShape: _internal2, ...exported } = laxPrimitives;
const primitives = { ...exported, topK, dynamicSlice, dynamicUpdateSlice, slice, round, RoundingMethod };

type Lax = typeof primitives;

function checked<F extends (...args: any[]) => any>(name: string, f: F): F {
  return ((...args: unknown[]) => {
    try {
      return f(...args);
    } catch (e) {
      if (e instanceof CotangentError) throw e;
      const bad = args.findIndex((a) => !(a instanceof NDArray));
      const which = bad >= 0 ? `argument ${bad} is ${show(args[bad])}` : `arguments (${args.map(show).join(', ')})`;
      throw new ValueError(`lax.${name}: ${which}; lax primitives take Arrays of one dtype ` +
        `and shape (wrap numbers with np.array, or use the np functions, which promote and broadcast)`, { cause: e });
    }
  }) as F;
}

/** Every function of lax.ts, checked (non-functions pass through). */
export const lax: Lax = Object.fromEntries(Object.entries(primitives).map(([k, v]) =>
  [k, typeof v === 'function' ? checked(k, arityChecked(`lax.${k}`, v as (...args: any[]) => any, k === 'concatenate' ? 2 : undefined)) : v])) as Lax; // (concatenate's third parameter: the caller's name, internal)
