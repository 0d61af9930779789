// The public `lax`: the primitives of lax.ts, each behind a check that its arguments are what a
// primitive takes. lax has no weak typing or broadcasting (JAX's lax is as strict), so a JS
// number or list where an Array belongs would otherwise fail deep inside with a JS TypeError;
// here it is a ValueError naming the function and the argument.
import * as laxPrimitives from './lax.js';
import { topK } from './np_sorting.js';
import { dynamicSlice, dynamicUpdateSlice, slice } from './np_rearrange.js';

/** lax.ts plus the lax functions composed in the numpy modules. */
const primitives = { ...laxPrimitives, topK, dynamicSlice, dynamicUpdateSlice, slice };
import { NDArray } from './array.js';
import { CotangentError, ValueError } from '../core/errors.js';
import { show } from './options.js';

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
  [k, typeof v === 'function' ? checked(k, v as (...args: any[]) => any) : v])) as Lax;
