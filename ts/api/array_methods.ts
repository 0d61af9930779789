// jax.Array's methods and properties (`x.T`, `x.reshape(2, 3)`, `x.sum({ axis: 0 })`,
// `x.astype('float64')`): each is the numpy function of the same name with x as its first
// argument, so it differentiates, batches and traces exactly as that function does, and its
// errors are that function's (they name `np.<name>`). Installed on the prototype here, after
// the numpy layer exists (array.ts cannot import numpy.ts: numpy.ts imports it).
import { NDArray } from './array.js';
import type { DType } from '../core/dtype.js';
import { itemsize } from '../core/dtype.js';
import { ShapeError, ValueError } from '../core/errors.js';
import { show } from './options.js';
import * as np from './numpy.js';
import { arityChecked, declaredParams } from './arity.js';

/** A numpy function's parameters after its first (the array). */
type Rest<F> = F extends (x: any, ...rest: infer R) => any ? R : never;

declare module './array.js' {
  interface NDArray {
    /** The axes reversed: `np.transpose(x)`. */
    readonly T: NDArray;
    /** The last two axes swapped (a stack of matrices transposed): `np.swapaxes(x, -1, -2)`; at least 2-D. */
    readonly mT: NDArray;
    /** `np.real(x)` (x itself for a real array). */
    readonly real: NDArray;
    /** `np.imag(x)` (zeros for a real array). */
    readonly imag: NDArray;
    /** Bytes per element (complex64: 8). */
    readonly itemsize: number;
    /** Bytes of the values: size * itemsize. */
    readonly nbytes: number;
    /** `x.reshape(2, 3)` or `x.reshape([2, 3])`, one axis may be -1: `np.reshape`. */
    reshape(...shape: number[] | [number[]]): NDArray;
    /** `np.astype(x, dtype)`. */
    astype<T extends DType>(dtype: T | { dtype: T }): NDArray<T>;
    /** `x.transpose()` reverses the axes; `x.transpose(1, 0, 2)` or `x.transpose([1, 0, 2])` permutes them. */
    transpose(...axes: number[] | [number[] | null]): NDArray;
    /** A 1-D copy in row-major order, or column-major with 'F': `np.ravel(x, order)`. */
    flatten(order?: 'C' | 'F' | 'A' | 'K'): NDArray;
    ravel(order?: 'C' | 'F' | 'A' | 'K'): NDArray;
    squeeze(...args: Rest<typeof np.squeeze>): NDArray;
    swapaxes(axis1: number, axis2: number): NDArray;
    sum(...args: Rest<typeof np.sum>): NDArray;
    mean(...args: Rest<typeof np.mean>): NDArray;
    prod(...args: Rest<typeof np.prod>): NDArray;
    max(...args: Rest<typeof np.max>): NDArray;
    min(...args: Rest<typeof np.min>): NDArray;
    std(...args: Rest<typeof np.std>): NDArray;
    var(...args: Rest<typeof np.var>): NDArray;
    any(...args: Rest<typeof np.any>): NDArray;
    all(...args: Rest<typeof np.all>): NDArray;
    argmax(...args: Rest<typeof np.argmax>): NDArray;
    argmin(...args: Rest<typeof np.argmin>): NDArray;
    cumsum(...args: Rest<typeof np.cumsum>): NDArray;
    cumprod(...args: Rest<typeof np.cumprod>): NDArray;
    sort(...args: Rest<typeof np.sort>): NDArray;
    argsort(...args: Rest<typeof np.argsort>): NDArray;
    clip(...args: Rest<typeof np.clip>): NDArray;
    round(...args: Rest<typeof np.round>): NDArray;
    take(...args: Rest<typeof np.take>): NDArray;
    repeat(...args: Rest<typeof np.repeat>): NDArray;
    diagonal(...args: Rest<typeof np.diagonal>): NDArray;
    trace(...args: Rest<typeof np.trace>): NDArray;
    dot(y: Rest<typeof np.dot>[0]): NDArray;
    conj(): NDArray;
    conjugate(): NDArray;
    /** A copy (a tracer is returned as it is: values are immutable). */
    copy(): NDArray;
    nonzero(...args: Rest<typeof np.nonzero>): NDArray[];
    ptp(...args: Rest<typeof np.ptp>): NDArray;
    searchsorted(...args: Rest<typeof np.searchsorted>): NDArray;
    argpartition(...args: Rest<typeof np.argpartition>): NDArray;
    choose(...args: Rest<typeof np.choose>): NDArray;
    /** jax.Array.compress(condition, axis): np.compress(condition, x, axis), x second as numpy's method puts it. */
    compress(condition: Parameters<typeof np.compress>[0], opts?: Parameters<typeof np.compress>[2]): NDArray;
    /** x itself: JAX's x.block_until_ready() waits for dispatched work; here a call has finished when it returns. */
    blockUntilReady(): NDArray;
  }
}

const proto = NDArray.prototype as any;

/** `f(2, 3)` or `f([2, 3])`: the numbers as one list (a single non-number argument is passed on for the callee to check). */
function numbersOrList(where: string, args: unknown[]): unknown {
  if (args.length === 1 && typeof args[0] !== 'number') return args[0];
  for (const a of args) {
    if (typeof a !== 'number') throw new ShapeError(`${where}: expected numbers or one list of numbers, got ${show(args)}`);
  }
  return args;
}

const getters: Record<string, (this: NDArray) => unknown> = {
  T(this: NDArray) { return np.transpose(this); },
  mT(this: NDArray) {
    if (this.ndim < 2) throw new ValueError(`x.mT: needs an array of at least 2 dimensions, got shape [${this.shape}]`);
    return np.swapaxes(this, -1, -2);
  },
  real(this: NDArray) { return np.real(this); },
  imag(this: NDArray) { return np.imag(this); },
  itemsize(this: NDArray) { return itemsize(this.dtype); },
  nbytes(this: NDArray) { return this.size * itemsize(this.dtype); },
};
// (each with a setter that refuses: x.real = 0, numpy's in-place write, was JS's bare TypeError)
const instead: Record<string, string> = {
  T: 'np.transpose(x) makes the transposed Array', mT: 'np.swapaxes(x, -1, -2) makes it', real: 'np.complex(re, np.imag(x)) builds a new Array',
  imag: 'np.complex(np.real(x), im) builds a new Array', itemsize: 'np.astype(x, dtype) converts', nbytes: 'np.astype or np.reshape make another Array',
};
for (const [name, get] of Object.entries(getters)) {
  Object.defineProperty(proto, name, {
    get, configurable: true,
    set() { throw new ValueError(`Array.${name} is read-only (an Array is immutable); ${instead[name]}`); },
  });
}

proto.reshape = function (this: NDArray, ...shape: unknown[]) {
  if (shape.length === 0) throw new ShapeError('x.reshape: no shape given; pass numbers (x.reshape(2, 3)) or a list (x.reshape([2, 3]))');
  return np.reshape(this, numbersOrList('x.reshape', shape) as number[]);
};
proto.transpose = function (this: NDArray, ...axes: unknown[]) {
  return axes.length === 0 ? np.transpose(this) : np.transpose(this, numbersOrList('x.transpose', axes) as number[]);
};
proto.astype = function (this: NDArray, dtype: DType, ...rest: unknown[]) {
  // (numpy's astype(dtype, order, casting, subok, copy) positionals were dropped without a word)
  if (rest.length > 0) throw new ValueError(`x.astype: takes 1 argument (dtype), got ${1 + rest.length}`);
  return np.astype(this, dtype);
};
proto.flatten = function (this: NDArray, ...order: unknown[]) { return (np.ravel as (...a: unknown[]) => NDArray)(this, ...order); };
proto.ravel = function (this: NDArray, ...order: unknown[]) { return (np.ravel as (...a: unknown[]) => NDArray)(this, ...order); };
proto.copy = function (this: NDArray, ...rest: unknown[]) {
  if (rest.length > 0) throw new ValueError(`x.copy: takes no arguments (an Array's layout is always row-major), got ${rest.length}`);
  return np.array(this);
};
// (timing code ported from JAX ends each call with it: it was 'x.block_until_ready is not a function')
proto.blockUntilReady = function (this: NDArray, ...rest: unknown[]) {
  if (rest.length > 0) throw new ValueError(`x.blockUntilReady: takes no arguments, got ${rest.length}`);
  return this;
};
Object.defineProperty(proto, 'block_until_ready', { // (the spelling hint the namespaces have: spelling.ts)
  value() { throw new ValueError('x.block_until_ready: names here are camelCase: this is x.blockUntilReady'); },
  enumerable: false, configurable: true, writable: true,
});
proto.conj = proto.conjugate = function (this: NDArray, ...rest: unknown[]) {
  if (rest.length > 0) throw new ValueError(`x.conj: takes no arguments, got ${rest.length}`);
  return np.conj(this);
};

// The rest pass their arguments on as they came, so the numpy function sees the same arity
// (its positional-argument checks refuse `x.sum(0, true)` as they refuse `np.sum(x, 0, true)`).
const passThrough = ['squeeze', 'swapaxes', 'sum', 'mean', 'prod', 'max', 'min', 'std', 'var', 'any', 'all', 'argmax',
  'argmin', 'cumsum', 'cumprod', 'sort', 'argsort', 'clip', 'round', 'take', 'repeat', 'diagonal', 'trace', 'dot',
  'nonzero', 'ptp', 'searchsorted', 'argpartition', 'choose'] as const;
for (const name of passThrough) {
  const raw = (np as any)[name] as (...a: unknown[]) => NDArray;
  const params = declaredParams(raw);
  // (the np namespace's wrapper too: an argument of a kind no check foresaw, x.take(null) or
  // x.repeat(null), is a ValueError naming np.take, as np.take(x, null) is, not a JS TypeError)
  const f = arityChecked(`np.${name}`, raw); // (the np namespace's check on extra arguments, for the method too)
  const max = params === null ? Infinity : params.max - 1;
  proto[name] = function (this: NDArray, ...args: unknown[]) {
    if (args.length > max) {
      throw new ValueError(`x.${name}: takes at most ${max} argument${max === 1 ? '' : 's'} (${params!.names.slice(1).join(', ')}), got ${args.length}; options go in an object`);
    }
    return f(this, ...args);
  };
}
// jax.Array.compress(condition, axis) (numpy's too): x is np.compress's second argument, so it is
// not a pass-through; it was missing, and x.compress(c) a JS TypeError ('is not a function').
proto.compress = function (this: NDArray, ...args: unknown[]) {
  if (args.length > 2) throw new ValueError(`x.compress: takes at most 2 arguments (condition, axis), got ${args.length}; options go in an object`);
  return (np.compress as (...a: unknown[]) => NDArray)(args[0], this, ...args.slice(1));
};
