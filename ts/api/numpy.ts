// The numpy surface, composed in TS from the primitives in lax.ts: dtype promotion (JAX's,
// with JS numbers weakly typed), numpy broadcasting by explicit broadcast_in_dim, and the
// usual conveniences. Only what needs its own kernel is a primitive.
import { NDArray, ArrayInput, setIndexImpl, isComplexLiteral } from './array.js';
import * as lax from './lax.js';
import {
  DType, Promotable, allocTyped, copyTyped, itemsize, isComplex, isComputable, isFloating, isInteger, promoteArith, promoteAny, promoteFloat, weakOf, realOf,
} from '../core/dtype.js';
import { AxisError, CotangentError, DTypeError, ShapeError, TracerError, ValueError, describe } from '../core/errors.js';
import { inTrace } from '../core/trace.js';
import { OptionSpec, atMost, intAxis, readOptions, required, show } from './options.js';
import { MAX_DIM, checkIntValue, checkShape, filled, fromTyped, parseNested, scalar, storeValues, truthy } from './creation.js';
import { registerShared, composite } from './np_shared.js';
import { residentMinBytes } from '../core/resident.js';
import { flatten, unflatten, type PyTree } from './tree.js';

export type { DType };
export type Axis = number | readonly number[] | null | undefined;

// ---------------------------------------------------------------- creation

export interface ArrayOptions { dtype?: DType; shape?: number[] }
type DTypeArg = { dtype?: DType } | DType;

const DTYPE_ONLY: OptionSpec = { dtype: 'dtype' };
const dtypeOf = (where: string, opts: unknown): DType | undefined =>
  readOptions<{ dtype?: DType }>(where, opts, DTYPE_ONLY, 'dtype').dtype;

/**
 * np.array: a JS number or boolean, nested JS lists (rectangular), a typed array (see
 * creation.ts for the rule per element type; `shape` reshapes it), or another Array (copied).
 * `opts` may be a dtype string, as numpy's positional dtype.
 */
/** numpy's array_repr, as JAX's repr (what console.log shows): "Array([1., 2.], dtype=float32)", rows wrapped at 75 characters. */
export function arrayRepr(x: ArrayInput): string { return operand('np.arrayRepr', 0, x)._repr(); }
/** numpy's array_str: String(x), "[1. 2.]" (a 0-d array as its scalar: "1.0", "(6-8j)"). */
export function arrayStr(x: ArrayInput): string { return String(operand('np.arrayStr', 0, x)); }

export function array<D extends DType>(data: ArrayInput | ArrayBufferView, opts: ArrayOptions & { dtype: D } | D): NDArray<D>;
export function array(data: ArrayInput | ArrayBufferView, opts?: ArrayOptions | DType): NDArray;
export function array(data: ArrayInput | ArrayBufferView, opts: ArrayOptions | DType = {}): NDArray {
  const o = readOptions<ArrayOptions>('np.array', opts, { dtype: 'dtype', shape: 'shape' }, 'dtype');
  if (data instanceof NDArray) {
    let out = o.dtype ? astype(data, o.dtype) : data;
    if (o.shape !== undefined) out = withShape(out, o.shape);
    if (out !== data || data.isTracer) return out;
    return new NDArray(data._shape, data.dtype, copyTyped(data._values('np.array')));
  }
  if (ArrayBuffer.isView(data)) return fromTyped('np.array', data, o.dtype, o.shape);
  if (isComplexLiteral(data)) return scalar(data, o.dtype ?? 'complex64', 'np.array');
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
    throw new DTypeError(`np.array: cannot build an array from ${show(data)}; pass numbers, nested lists or a typed array`);
  }
  // A list of typed arrays stacks them as numpy stacks ndarrays, each of its own dtype (it was refused)
  if (Array.isArray(data) && holdsTyped(data)) data = typedAsArrays(data, o.dtype) as ArrayInput;
  if (Array.isArray(data) && holdsArrays(data)) {
    const out = stackNested(data);
    const typed = o.dtype ? astype(out, o.dtype) : out;
    return o.shape !== undefined ? withShape(typed, o.shape) : typed;
  }
  const { shape, flat, allBool, anyComplex } = parseNested('np.array', data);
  const dtype: DType = o.dtype ?? (anyComplex ? 'complex64' : allBool && flat.length > 0 ? 'bool' : 'float32');
  const buf = allocTyped(dtype, flat.length);
  storeValues(buf, dtype, flat, 'np.array');
  const out = new NDArray(shape, dtype, buf);
  return o.shape !== undefined ? withShape(out, o.shape) : out;
}

/** A nested list holding an Array (any: concrete and traced ones must give one dtype, for jit == eager). */
function holdsArrays(x: unknown, depth = 0): boolean {
  if (depth >= 1000) throw new ShapeError('np.array: lists nested more than 1000 deep (a cycle, or a rank no Array has)');
  return Array.isArray(x) ? x.some((e) => holdsArrays(e, depth + 1)) : x instanceof NDArray;
}

const holdsTyped = (x: unknown, depth = 0): boolean =>
  Array.isArray(x) ? depth < 1000 && x.some((e) => holdsTyped(e, depth + 1)) : ArrayBuffer.isView(x) && !(x instanceof DataView);
const typedAsArrays = (x: unknown, dtype: DType | undefined): unknown =>
  Array.isArray(x) ? x.map((e) => typedAsArrays(e, dtype)) : ArrayBuffer.isView(x) && !(x instanceof DataView) ? fromTyped('np.array', x, dtype, undefined) : x;

/**
 * np.array of nested lists holding Arrays, as JAX's jnp.array: one dtype for every leaf (JS
 * numbers weakly typed, as in np.add), then stacked level by level, so `np.array([x, x * x])`
 * under grad, vmap or jit is differentiable.
 */
function stackNested(data: unknown[]): NDArray {
  const leaves: unknown[] = [];
  const collect = (x: unknown): void => { if (Array.isArray(x)) x.forEach(collect); else leaves.push(x); };
  collect(data);
  const d = promoteAny(leaves.map((l, i) => dtypeForPromotion('np.array', i, l as ArrayInput)));
  const build = (x: unknown): NDArray => {
    if (!Array.isArray(x)) { const a = asarray(x as ArrayInput, d, 'np.array'); return a.dtype === d ? a : astype(a, d); }
    if (x.length === 0) throw new ShapeError('np.array: ragged nested list (an empty list beside Arrays)');
    const parts = x.map(build);
    if (parts.some((p) => !lax.sameShape(p._shape, parts[0]._shape))) {
      throw new ShapeError(`np.array: ragged nested list: elements of shapes ${parts.map((p) => describe(p._shape, p.dtype)).join(', ')} ` +
        'at one depth; every element must have the same shape');
    }
    return stack(parts);
  };
  return build(data);
}

/** np.array's `shape` option: the values must fill it exactly. */
function withShape(a: NDArray, shape: unknown): NDArray {
  const s = checkShape('np.array', shape);
  if (s.reduce((n, d) => n * d, 1) !== a.size) throw new ShapeError(`np.array: ${a.size} values do not fill shape [${s}]`);
  return reshape(a, s);
}

/**
 * jnp.asarray(x, dtype): x as an Array (an Array is returned as it is), converted to `dtype` when
 * one is given (a string or { dtype }).
 */
export function asarray(x: ArrayInput, dtype?: DType | { dtype?: DType } | null, where = 'np.asarray'): NDArray {
  const d = dtype === undefined || dtype === null ? undefined
    : typeof dtype === 'string' ? dtype : readOptions<{ dtype?: DType }>(where, dtype, DTYPE_ONLY, 'dtype').dtype;
  if (ArrayBuffer.isView(x)) return typedArray(where, x, d === undefined ? {} : { dtype: d }); // a typed array, as np.array takes it
  const a = asarrayHint(x, d, where);
  return d !== undefined && a.dtype !== d ? astype(a, d) : a;
}

/** x as an Array; `dtype` is a hint for JS values only (an Array is returned as it is, whatever its dtype). */
export function asarrayHint(x: ArrayInput, dtype?: DType, where = 'np.asarray'): NDArray {
  if (x instanceof NDArray) return x;
  if (ArrayBuffer.isView(x)) return typedArray(where, x, {}); // a typed array has its own dtype, as an Array (numpy's ndarray in JAX)
  if (typeof x === 'number') return scalar(x, dtype ?? 'float32', where);
  if (typeof x === 'boolean') return scalar(x, dtype ?? 'bool', where);
  if (isComplexLiteral(x)) return scalar(x, dtype ?? 'complex64', where);
  if (Array.isArray(x)) return array(x, dtype ? { dtype } : {});
  throw new DTypeError(`${where}: expected an Array, a number, a boolean or nested lists, got ${show(x)}`);
}

/** A typed array as np.array reads it, its errors named by `where` (grad(f)(new Int8Array(3)) said only 'np.array: ...'). */
function typedArray(where: string, x: ArrayBufferView, opts: ArrayOptions): NDArray {
  try { return array(x as never, opts); } catch (e) {
    if (e instanceof CotangentError && !e.message.startsWith(`${where}:`)) e.message = `${where}: ${e.message}`;
    throw e;
  }
}

/**
 * `tree` with its typed-array leaves read as np.array reads them (Float64Array -> float64, ...):
 * JAX takes numpy arrays wherever it takes Arrays (jit arguments, tangents, scan's xs and init).
 */
export function typedLeavesAsArrays<T>(tree: T): T {
  const [ls, def] = flatten(tree as PyTree);
  if (!ls.some((l) => ArrayBuffer.isView(l))) return tree;
  return unflatten(def, ls.map((l) => (ArrayBuffer.isView(l) ? array(l as never, {}) : l))) as T;
}

/** Argument `i` of `where` as an Array, with the function and argument named on failure. */
function operand(where: string, i: number, x: ArrayInput, dtype?: DType): NDArray {
  if (x instanceof NDArray || typeof x === 'number' || typeof x === 'boolean' || isComplexLiteral(x)) return asarrayHint(x, dtype, where);
  // a typed array is a 1-d array of its own dtype, as np.array reads it (numpy's ndarray, not a JS list)
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
    try { return array(x as never); } catch (e) {
      if (e instanceof CotangentError) e.message = `${where}: argument ${i}: ${e.message}`;
      throw e;
    }
  }
  if (Object.prototype.toString.call(x) === '[object AtIndex]') { // (np.sum(traj.at(-1)): JS's Array.prototype.at habit)
    throw new DTypeError(`${where}: argument ${i} is an x.at(...) updater (JAX's x.at[...]), not a value: read with x.get(...) ` +
      '(JS\'s Array.prototype.at habit), update with x.at(...).set(v)');
  }
  if (!Array.isArray(x)) throw new DTypeError(`${where}: argument ${i} must be an Array, a number or nested lists, got ${show(x)}`);
  try { return asarrayHint(x, dtype, where); } catch (e) {
    if (e instanceof CotangentError) e.message = `${where}: argument ${i}: ${e.message}`;
    throw e;
  }
}

// With a literal dtype the result's type knows it (so item() is typed); without, float32.
export function zeros<D extends DType>(shape: readonly number[] | number, opts: { dtype: D } | D): NDArray<D>;
export function zeros(shape: readonly number[] | number, opts?: DTypeArg): NDArray<'float32'>;
export function zeros(shape: readonly number[] | number, opts?: DTypeArg): NDArray { return filledRow('np.zeros', shape, 0, dtypeOf('np.zeros', opts)); }
export function ones<D extends DType>(shape: readonly number[] | number, opts: { dtype: D } | D): NDArray<D>;
export function ones(shape: readonly number[] | number, opts?: DTypeArg): NDArray<'float32'>;
export function ones(shape: readonly number[] | number, opts?: DTypeArg): NDArray { return filledRow('np.ones', shape, 1, dtypeOf('np.ones', opts)); }

/**
 * filled, but inside a trace a `full` row (as JAX stages jnp.zeros as a broadcast): under jit a
 * large np.zeros/ones/full was a stored constant (4 MB for 1M floats, kept with the program).
 */
function filledRow(where: string, shape: unknown, value: number | boolean, d: DType = 'float32'): NDArray {
  if (!inTrace() || isComplex(d)) return filled(where, shape, value, d);
  const s = checkShape(where, shape);
  const v = d === 'bool' ? (truthy(value) ? 1 : 0) : Number(value);
  if (d === 'int32' || d === 'uint32') checkIntValue(d, v, where);
  return lax.full(s, v, d);
}
export function full<D extends DType>(shape: readonly number[] | number, value: ArrayInput, opts: { dtype: D } | D): NDArray<D>;
export function full(shape: readonly number[] | number, value: ArrayInput, opts?: DTypeArg): NDArray;
/**
 * jnp.full: the fill value's dtype unless `dtype` is given (a JS number float32, a boolean bool,
 * a { re, im } complex64); an Array (or list) fill value is broadcast to the shape, so it
 * differentiates.
 */
export function full(shape: readonly number[] | number, value: ArrayInput, opts?: DTypeArg): NDArray {
  const d = dtypeOf('np.full', opts);
  if (typeof value === 'number') return filledRow('np.full', shape, value, d);
  if (typeof value === 'boolean') return filledRow('np.full', shape, value, d ?? 'bool');
  if (!(value instanceof NDArray) && !Array.isArray(value) && !isComplexLiteral(value)) {
    throw new ValueError(`np.full: fill value must be a number, a boolean, { re, im }, an Array or a list, got ${show(value)}`);
  }
  const v = operand('np.full', 1, value, d);
  return broadcastTo(d === undefined || v.dtype === d ? v : astype(v, d), checkShape('np.full', shape));
}
/** zerosLike / onesLike / fullLike's options: the dtype (positional too) and numpy's and jnp's `shape` in place of x's. */
export interface LikeOptions { dtype?: DType; shape?: readonly number[] | number }
const LIKE: OptionSpec = { dtype: 'dtype', shape: 'shape' };
/** x's dtype and shape, or those given (the options of zerosLike and onesLike). */
function likeOf(where: string, x: ArrayInput, opts: unknown): { dtype: DType; shape: readonly number[] } {
  const a = operand(where, 0, x);
  const o = readOptions<LikeOptions>(where, opts, LIKE, 'dtype');
  return { dtype: o.dtype ?? a.dtype, shape: o.shape === undefined ? a._shape : checkShape(where, o.shape) };
}
/** np.zerosLike(x, { dtype, shape }): zeros of x's shape and dtype, or those given. */
export function zerosLike(x: ArrayInput, opts?: LikeOptions | DType): NDArray {
  const l = likeOf('np.zerosLike', x, opts);
  return filled('np.zerosLike', l.shape, 0, l.dtype);
}
/** np.onesLike(x, { dtype, shape }): ones of x's shape and dtype, or those given. */
export function onesLike(x: ArrayInput, opts?: LikeOptions | DType): NDArray {
  const l = likeOf('np.onesLike', x, opts);
  return filled('np.onesLike', l.shape, 1, l.dtype);
}

function requireNumber(where: string, name: string, v: unknown, integer = false): number {
  if (typeof v !== 'number' || (integer && !Number.isInteger(v))) {
    throw new ValueError(`${where}: ${name} must be ${integer ? 'an integer' : 'a number'}, got ${show(v)}`);
  }
  return v;
}

/** Write `value(i)` at each i, by the dtype's storage rule (bool by truthiness). */
function fillWith(where: string, out: NDArray, n: number, value: (i: number) => number): NDArray {
  const vals = new Float64Array(n);
  for (let i = 0; i < n; i++) vals[i] = value(i);
  storeValues(out._data!, out.dtype, vals, where);
  return out;
}

/** np.eye(N, M = N, k = 0, { dtype, k }): ones on the k-th diagonal (k > 0 above the main one). */
export function eye(n: number, ...rest: (number | DTypeArg | { k?: number; dtype?: DType } | null | undefined)[]): NDArray {
  const [nums, opts] = numbersThenOptions(rest);
  if (nums.length > 2) throw new ValueError(`np.eye: expected (N), (N, M) or (N, M, k) before the options, got ${nums.length + 1} numbers`);
  const o = readOptions<{ dtype?: DType; k?: number }>('np.eye', opts, { dtype: 'dtype', k: 'number' }, 'dtype');
  const cols = (nums[0] ?? n) as number; // (null for M, as numpy: N columns)
  const k = (nums[1] ?? o.k ?? 0) as number;
  requireNumber('np.eye', 'N', n, true);
  requireNumber('np.eye', 'M', cols, true);
  if (!Number.isInteger(k)) throw new ValueError(`np.eye: k must be an integer, got ${show(k)}`);
  const out = filled('np.eye', [n, cols], 0, o.dtype);
  // the diagonal's ones stored where they go (a JS value per element, then bool's truthiness
  // check per element, made eye(4000, bool) take 1.2 s)
  const data = out._data!, per = isComplex(out.dtype) ? 2 : 1;
  for (let r = Math.max(0, -k); r < n && r + k < cols; r++) data[(r * cols + r + k) * per] = 1;
  return out;
}

/** Split numpy-style positional numbers from a trailing options object (or dtype string). */
function numbersThenOptions(args: unknown[]): [unknown[], unknown] {
  const last = args.length > 0 ? args[args.length - 1] : undefined;
  const isOpts = typeof last === 'string' || (last !== null && typeof last === 'object' && !Array.isArray(last));
  const nums = isOpts ? args.slice(0, -1) : args;
  while (nums.length > 0 && nums[nums.length - 1] === undefined) nums.pop();
  return [nums, isOpts ? last : undefined];
}

/**
 * np.arange(stop), (start, stop), (start, stop, step), each optionally followed by options;
 * (`np.arange(5, { dtype: 'float64' })`): int32 when every argument is an integer (JAX's default),
 * else float32.
 */
export function arange(...args: (number | DTypeArg | undefined)[]): NDArray {
  let [nums, opts] = numbersThenOptions(args);
  if (nums.length === 0) { nums = args; opts = undefined; } // a lone string is a bad number, not options
  if (nums.length < 1 || nums.length > 3) throw new ValueError(`np.arange: expected (stop), (start, stop) or (start, stop, step), got ${nums.length} numbers`);
  const names = ['start', 'stop', 'step'];
  nums.forEach((v, i) => { if (v !== undefined || i === 0) requireNumber('np.arange', names[i], v); });
  let [start, stop, step] = nums as number[];
  if (stop === undefined) { stop = start; start = 0; }
  step ??= 1;
  if (step === 0) throw new ValueError('np.arange: step must not be zero');
  const n = Math.max(0, Math.ceil((stop - start) / step));
  // JAX's default dtype: int32 when every argument is an integer (numpy's int64 without x64),
  // else float32.
  // The values decide, not stop (jnp hands concrete arguments to numpy's arange with dtype int32:
  // arange(2147483645, 2147483648) is int32, its last value 2^31 - 1); values beyond int32 give
  // float32 (JS cannot tell 3e9 from 3000000000).
  const fits = (v: number) => v >= -(2 ** 31) && v < 2 ** 31;
  const ints = [start, stop, step].every((v) => Number.isInteger(v)) && fits(start) && fits(step) && fits(start + Math.max(n - 1, 0) * step);
  const given = opts === undefined ? undefined : dtypeOf('np.arange', opts);
  if (ints && (given ?? 'int32') === 'int32' && n >= 1 << 16) {
    // large int32 ranges fill in wasm (an iota row; a fresh JS buffer of 1e6 took 8 ms to fill)
    checkShape('np.arange', [n], 'shape', 'int32');
    // (int32 arithmetic wraps, and every value fits: so does start + i * step)
    return composite(() => {
      const r = lax.iota('int32', n), scaled = step === 1 ? r : lax.mul(r, lax.full([n], step, 'int32'));
      return start === 0 ? scaled : lax.add(scaled, lax.full([n], start, 'int32'));
    });
  }
  // Integer arguments past int32 (JAX: an OverflowError for a Python int; JS cannot tell 3e9 from
  // 3000000000) without a dtype: float32 where it holds every value exactly, else refused (it
  // would round them, consecutive ones to one value: arange(2**31 - 2, 2**31 + 1) was three equal values)
  if (given === undefined && !ints && [start, stop, step].every((v) => Number.isInteger(v))) {
    for (let i = 0; i < n; i++) {
      const v = start + i * step;
      if (Math.fround(v) !== v) {
        throw new ValueError(`np.arange: the integer range from ${start} to ${stop} by ${step} passes int32's range (JAX refuses such a Python int), ` +
          `and float32 cannot hold ${v} (it rounds to ${Math.fround(v)}); pass { dtype: 'float64' } (exact to 2^53), or { dtype: 'float32' } to accept the rounding`);
      }
    }
  }
  const out = filled('np.arange', [n], 0, given ?? (ints ? 'int32' : 'float32'));
  // numpy's fill (jnp.arange hands concrete arguments to it): the first two values in the dtype,
  // then first + i * (second - first) in the dtype's arithmetic, so an int dtype with a float step
  // counts by the truncated difference (arange(0, 5, 1.5, int32) = [0, 1, 2, 3]) and float32 rounds as numpy.
  const dt = out.dtype;
  const inDtype = dt === 'float32' || dt === 'complex64' ? Math.fround : dt === 'int32' || dt === 'uint32' ? Math.trunc : (v: number) => v; // (bool: truthiness of the values)
  const first = inDtype(start), second = inDtype(start + step), delta = inDtype(second - first);
  return fillWith('np.arange', out, n, (i) => (i === 0 ? first : i === 1 ? second : inDtype(first + inDtype(i * delta))));
}

export interface LinspaceOptions { dtype?: DType; endpoint?: boolean; num?: number; axis?: number; retstep?: boolean }

/**
 * A count given as an Array (linspace's num, helper-280): the count fixes the result's shape, so a
 * concrete 0-d integer Array is read, as numpy's operator.index and jnp's concrete check; a traced
 * one (under jit, or batched by vmap) is a TracerError saying so, any other Array a ValueError.
 */
export function arrayCount(where: string, num: NDArray): number {
  if (num.ndim !== 0 || !isInteger(num.dtype)) throw new ValueError(`${where}: num must be a non-negative integer (a JS number or a 0-d integer Array), got an Array ${describe(num.shape, num.dtype)}`);
  try { return num.item() as number; } catch (e) {
    if (!(e instanceof TracerError)) throw e;
    throw new TracerError(`${where}: num ${describe(num.shape, num.dtype)} has no concrete value here (abstract under jit, or batched by vmap), ` +
      'and the number of samples fixes the result\'s shape; pass a JS integer', { cause: e });
  }
}
/**
 * np.linspace(start, stop, num = 50, { endpoint = true, dtype, axis, retstep }); num may also be
 * an option, and a boolean fourth argument is endpoint (numpy's positional order).
 * start and stop may be Arrays (traced ones too: differentiable, vmappable), as in jnp: the
 * result is [num, ...their broadcast shape]. retstep: [samples, step], step (stop - start) / div
 * (div num - 1 with the endpoint, else num; NaN where div is 0, numpy's) an Array of the ends'
 * broadcast shape in the samples' float dtype (float32 for an integer dtype), as jnp's.
 */
export function linspace(start: number | NDArray, stop: number | NDArray, num: number | DType | undefined, opts: LinspaceOptions & { retstep: true }): [NDArray, NDArray];
export function linspace(start: number | NDArray, stop: number | NDArray, opts: LinspaceOptions & { retstep: true }): [NDArray, NDArray];
export function linspace(start: number | NDArray, stop: number | NDArray, num?: number | LinspaceOptions | DType, opts?: LinspaceOptions | DType | boolean): NDArray;
export function linspace(start: number | NDArray, stop: number | NDArray, num?: number | LinspaceOptions | DType, opts?: LinspaceOptions | DType | boolean): NDArray | [NDArray, NDArray] {
  atMost('np.linspace', arguments.length, 4);
  // numpy's fourth positional parameter is endpoint: np.linspace(0, 1, 4, false)
  if (typeof opts === 'boolean') opts = { endpoint: opts };
  // (null is an object to JS: read as options it silently gave 50 points; numpy refuses num=None)
  if (num === null) throw new ValueError('np.linspace: num must be a non-negative integer, got null');
  // (an Array num was read as the options: "dtype must be a dtype name, got an Array int32[]")
  if (num instanceof NDArray) num = arrayCount('np.linspace', num);
  if (typeof num === 'object' || typeof num === 'string') {
    // (options third: a fourth argument would have been dropped without a word)
    if (arguments.length > 3) throw new ValueError(`np.linspace: options came third (${show(num)}), so there is no fourth argument; got ${show(opts)}`);
    opts = num; num = undefined;
  }
  const o = readOptions<LinspaceOptions>('np.linspace', opts, { dtype: 'dtype', endpoint: 'boolean', num: 'number', axis: 'axis', retstep: 'boolean' }, 'dtype');
  if (num !== undefined && o.num !== undefined) throw new ValueError(`np.linspace: num given twice (${num} and { num: ${o.num} })`);
  const count = num ?? o.num ?? 50;
  requireNumber('np.linspace', 'num', count, true);
  if (count < 0) throw new ValueError(`np.linspace: num must be non-negative, got ${count}`);
  const endpoint = o.endpoint ?? true;
  const div = endpoint ? count - 1 : count;
  if (start instanceof NDArray || stop instanceof NDArray) {
    let { out, step } = linspaceOfArrays(start, stop, count, endpoint, o.dtype);
    // numpy's axis: where the samples' axis goes among the result's (0 by default)
    if (o.axis !== undefined && o.axis !== 0) {
      if (typeof o.axis !== 'number') throw new AxisError(`np.linspace: axis must be an integer, got ${show(o.axis)}`);
      const k = normalizeAxisList('np.linspace', [o.axis], out.ndim)[0];
      const perm = [...Array(out.ndim).keys()].slice(1);
      perm.splice(k, 0, 0);
      out = lax.transpose(out, perm);
    }
    return o.retstep ? [out, div > 0 ? step : lax.full(step.shape, NaN, step.dtype)] : out;
  }
  if (o.axis !== undefined && o.axis !== 0 && o.axis !== -1) throw new AxisError(`np.linspace: axis ${show(o.axis)} is out of range for the 1-d result of number ends`);
  requireNumber('np.linspace', 'start', start);
  requireNumber('np.linspace', 'stop', stop);
  const out = filled('np.linspace', [count], 0, o.dtype);
  const step = div > 0 ? (stop - start) / div : 0;
  const toInt = isInteger(out.dtype) ? Math.floor : (v: number) => v; // jnp floors before an integer dtype (not toward 0)
  const samples = fillWith('np.linspace', out, count, (i) => toInt(endpoint && count > 1 && i === count - 1 ? stop : start + i * step));
  if (!o.retstep) return samples;
  // the step of JS ends: numpy's double, rounded once to the samples' float dtype (float32 for an int or bool dtype)
  const stepDtype = out.dtype === 'float64' || out.dtype === 'complex128' ? 'float64' : 'float32';
  return [samples, scalar(div > 0 ? step : NaN, stepDtype)];
}

/** linspace with Array endpoints: start + i * step along a new leading axis, the endpoint stop itself (as numpy); and the step. */
function linspaceOfArrays(start: number | NDArray, stop: number | NDArray, count: number, endpoint: boolean, dtype: DType | undefined): { out: NDArray; step: NDArray } {
  const at = 'np.linspace';
  const want = dtype ?? floatDtype(at, [start, stop]);
  const dt = isInteger(want) || want === 'bool' ? 'float32' : want; // integers: computed in float32 and floored, as jnp
  const s = astype(operand(at, 0, start, dt), dt), e = astype(operand(at, 1, stop, dt), dt); // (a JS end in dt's precision)
  const shape = broadcastShapes(at, s._shape, e._shape);
  const lead = [count, ...shape.map(() => 1)];
  const div = endpoint ? count - 1 : count;
  const i = reshape(arange(count, dt), lead);
  const step = div > 0 ? divide(subtract(e, s), div) : multiply(subtract(e, s), 0);
  let out = add(broadcastTo(s, [count, ...shape]), multiply(i, step));
  if (endpoint && count > 1) out = where(reshape(equal(arange(count), count - 1), lead), broadcastTo(e, [count, ...shape]), out);
  return { out: dt === want ? out : astype(lax.floor(out), want), step: broadcastTo(step, shape) };
}

/** np.identity(n, { dtype }). */
export function identity(n: number, opts?: DTypeArg): NDArray { return eye(n, opts); }

/** np.tri(N, M = N, k = 0, { dtype }): ones at and below the k-th diagonal. */
export function tri(...args: (number | DTypeArg | { k?: number; dtype?: DType } | undefined)[]): NDArray {
  while (args.length > 0 && args[args.length - 1] === undefined) args = args.slice(0, -1); // (trailing undefineds: absent)
  const [nums, opts0] = numbersThenOptions(args);
  // (as eye: at most N, M, k before the options, and options only last; a dtype followed by
  // anything was read as a number list and dropped, np.tri(3, 3, 0, 'float64', 1) was float32)
  if (nums.length > 3 || nums.some((v) => v !== undefined && typeof v !== 'number' && v !== null)) {
    throw new ValueError(`np.tri: expected (N), (N, M) or (N, M, k) and then options, got ${args.map((a) => show(a)).join(', ')}`);
  }
  const o = readOptions<{ dtype?: DType; k?: number }>('np.tri', opts0, { dtype: 'dtype', k: 'number' }, 'dtype');
  const opts = o.dtype;
  const [n, m, k] = [nums[0], nums[1] ?? nums[0], nums[2] ?? o.k ?? 0] as number[];
  requireNumber('np.tri', 'N', n, true); requireNumber('np.tri', 'M', m, true); requireNumber('np.tri', 'k', k, true);
  if (n < 0 || m < 0) throw new ValueError(`np.tri: N and M must be non-negative, got ${n}, ${m}`);
  const out = filled('np.tri', [n, m], 0, dtypeOf('np.tri', opts));
  return fillWith('np.tri', out, n * m, (i) => (i % m <= Math.floor(i / m) + k ? 1 : 0));
}

// ---------------------------------------------------------------- promotion and broadcasting

/** A JS number is weakly typed (a weak int when integral, else a weak float); a JS boolean is a
 *  bool, as Python's bool is in JAX. A nested list of JS numbers promotes as its numbers do. */
export const dtypeForPromotion = (where: string, i: number, x: ArrayInput): Promotable =>
  (typeof x === 'number' ? weakOf(x) : typeof x === 'boolean' ? 'bool' : isComplexLiteral(x) ? 'weak_complex' : listWeakType(x) ?? operand(where, i, x).dtype);

/**
 * A nested list of JS numbers meets an array as its numbers would: a weak int when every one is
 * integral (JAX reads the Python list as int32: add(int32 [16777217], [0]) is int32 16777217,
 * where a float32 list made it float32 16777216), else a weak float; all booleans: bool (booleans
 * among numbers count as 0 and 1). Other lists (Arrays or { re, im } inside) promote as np.array
 * reads them.
 */
function listWeakType(x: unknown): Promotable | undefined {
  if (!Array.isArray(x)) return undefined;
  let kind: 'int' | 'float' | 'bool' | undefined, bad = false;
  const visit = (v: unknown, depth: number): void => {
    if (bad) return;
    if (Array.isArray(v)) { if (depth > 64) bad = true; else for (const e of v) visit(e, depth + 1); return; }
    const k = typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float') : typeof v === 'boolean' ? 'bool' : undefined;
    if (k === undefined) { bad = true; return; }
    // (a boolean among numbers counts as 0 or 1, as in a Python list: [1, True] is int32 in JAX)
    kind = kind === undefined ? k : kind === 'float' || k === 'float' ? 'float' : kind === 'bool' && k === 'bool' ? 'bool' : 'int';
  };
  visit(x, 0);
  if (bad || kind === undefined) return undefined;
  return kind === 'bool' ? 'bool' : kind === 'int' ? 'weak_int' : 'weak_float';
}

const INT_RANGE: Record<string, [number, number]> = { int32: [-(2 ** 31), 2 ** 31 - 1], uint32: [0, 2 ** 32 - 1] };

/** A JS number meeting an integer array must fit it (JAX raises OverflowError; never wrap silently). */
function checkWeakFits(where: string, i: number, x: ArrayInput, dtype: DType): void {
  if (typeof x !== 'number' || !isInteger(dtype)) return;
  const [lo, hi] = INT_RANGE[dtype];
  if (!(x >= lo && x <= hi)) throw new ValueError(`${where}: argument ${i}: the JS number ${x} does not fit in ${dtype} [${lo}, ${hi}] (JAX raises OverflowError); convert the array with np.astype first`);
}

function requireComputable(where: string, arrays: NDArray[]): void {
  for (const a of arrays) {
    if (!isComputable(a.dtype)) {
      throw new DTypeError(`${where}: ${a.dtype} arrays are not supported yet (got ${describe(a._shape, a.dtype)}); ` +
        `convert with np.astype(x, 'float32')`);
    }
  }
}

export function broadcastShapes(...shapes: (readonly number[])[]): number[];
export function broadcastShapes(where: string, ...shapes: (readonly number[])[]): number[];
/** numpy.broadcast_shapes (and, with a function name first, the check every op runs). */
export function broadcastShapes(first: string | readonly number[], ...rest: (readonly number[])[]): number[] {
  const where = typeof first === 'string' ? first : 'np.broadcastShapes';
  const given: unknown[] = typeof first === 'string' ? rest : [first, ...rest];
  // numpy's: an integer is a 1-d shape; anything else that is not a list of sizes is an error
  // (a number read as a list of length undefined gave [], and undefined a JS TypeError)
  const shapes = given.map((s) => {
    if (typeof s === 'number') s = [s];
    if (!Array.isArray(s) || s.some((d) => !Number.isInteger(d) || d < 0)) throw new ShapeError(`${where}: a shape is a list of non-negative integers (or one integer), got ${show(s)}`);
    return s as readonly number[];
  });
  let nd = 0;
  for (const s of shapes) nd = Math.max(nd, s.length);
  const out: number[] = [];
  for (let i = 0; i < nd; i++) {
    let d = 1;
    for (const s of shapes) {
      const k = s.length - nd + i;
      const e = k < 0 ? 1 : s[k];
      if (e === 1) continue;
      if (d !== 1 && d !== e) {
        throw new ShapeError(`${where}: operands could not be broadcast together with shapes ${shapes.map((x) => `[${x}]`).join(' ')}`);
      }
      d = e;
    }
    out.push(d);
  }
  return out;
}

export function broadcastTo(x: ArrayInput, shape: readonly number[]): NDArray {
  const a = operand('np.broadcastTo', 0, x);
  const s = checkShape('np.broadcastTo', shape);
  const out = broadcastShapes('np.broadcastTo', a._shape, s);
  if (!lax.sameShape(out, s)) throw new ShapeError(`np.broadcastTo: cannot broadcast [${a._shape}] to [${s}]`);
  const off = s.length - a.ndim;
  return lax.broadcastInDim(a, s, a._shape.map((_, i) => i + off));
}

/** Promote to one dtype and broadcast to one shape, as numpy's elementwise functions do. */
function prepare(where: string, args: ArrayInput[], dtype: DType): NDArray[] {
  args.forEach((a, i) => checkWeakFits(where, i, a, dtype));
  const arrays = args.map((a, i) => operand(where, i, a, dtype));
  requireComputable(where, arrays);
  const shape = broadcastShapes(where, ...arrays.map((a) => a._shape));
  // Already-matching operands skip broadcastTo's re-validation (this is every op's hot path).
  return arrays.map((a) => {
    const c = a.dtype === dtype ? a : astype(a, dtype);
    return lax.sameShape(c._shape, shape) ? c : broadcastTo(c, shape);
  });
}

function arithDtype(where: string, args: ArrayInput[]): DType {
  return promoteArith(args.map((a, i) => dtypeForPromotion(where, i, a)));
}

/** The result dtype of a float-only function: ints and bools compute in float32 (as jnp). */
export function floatDtype(where: string, args: ArrayInput[]): DType {
  return promoteFloat(args.map((a, i) => dtypeForPromotion(where, i, a)));
}

/** JAX's promotion without the arithmetic bool -> float32 step (bool op bool stays bool). */
function commonDtype(where: string, args: ArrayInput[]): DType {
  return promoteAny(args.map((a, i) => dtypeForPromotion(where, i, a)));
}

/**
 * Whether a JS number or nested list holds int32 values only: JAX reads such Python ints as weak
 * int32, so to an integer dtype they convert as integers (astype(-1, 'uint32') wraps to
 * 4294967295, as numpy's and JAX's; through float64 it saturated to 0). Past int32, float64 reads
 * them exactly (3e9 to uint32 is 3e9).
 */
export function int32Values(x: unknown, depth = 0): boolean {
  if (typeof x === 'number') return Number.isInteger(x) && x >= -(2 ** 31) && x < 2 ** 31;
  return Array.isArray(x) && depth < 64 && x.length > 0 && x.every((e) => int32Values(e, depth + 1));
}

export function astype<D extends DType>(x: ArrayInput, dtype: D | { dtype: D }): NDArray<D>;
export function astype(x: ArrayInput, dtype: DType | { dtype: DType }): NDArray;
export function astype(x: ArrayInput, dtype: DType | { dtype: DType }): NDArray {
  const to = readOptions<{ dtype?: DType }>('np.astype', dtype, DTYPE_ONLY, 'dtype').dtype;
  if (to === undefined) throw new DTypeError('np.astype: a dtype is required');
  // JS values straight in the target's precision (float64 for ints and bools, then converted):
  // without the hint they became float32 first (astype(0.1, 'float64') was 0.10000000149011612,
  // astype(16777217, 'int32') 16777216)
  const hint = x instanceof NDArray ? undefined : isComplexLiteral(x) ? (isComplex(to) ? to : 'complex128')
    : isFloating(to) || isComplex(to) ? to : int32Values(x) ? 'int32' : 'float64';
  const a = operand('np.astype', 0, x, hint);
  if (a.dtype === to) return a;
  if (!isComputable(to)) throw new DTypeError(`np.astype: converting to ${to} is not supported yet`);
  if (isComplex(a.dtype) && to === 'bool') return notEqual(a, 0); // jnp: nonzero real or imaginary part
  if (isComplex(a.dtype) && isInteger(to)) return lax.convertElementType(lax.real(a), to); // the real part, as to float (jnp, numpy)
  requireComputable('np.astype', [a]);
  return lax.convertElementType(a, to);
}

/**
 * After a top-level op: free the resident blocks of the operands prepare() made (a JS number
 * broadcast to the other operand's shape, a converted copy), which nothing else can reach, so
 * they are not copied out to JS memory when the budget evicts them (`x * 2` cost twice `x * y`).
 */
function dropTemporaries(made: NDArray[], given: ArrayInput[], out: NDArray): void {
  if (inTrace()) return;
  made.forEach((t, i) => { if (t !== given[i] && t !== out && t._block !== null) t._delete('an internal temporary'); });
}

/**
 * prepare() and then `op` on the prepared operands. At top level, when prepare has work to do (a
 * JS number to broadcast, a dtype to convert) and the result is small, the two run as one tape:
 * as separate ops the broadcast or converted operand was made concrete, copied out to JS and
 * uploaded again (np.multiply(x, 2) of 1200 floats took 10 us against 4 for x * y). A result of
 * resident size keeps the separate ops: its last op writes straight into a block of its own, and
 * dropTemporaries frees the made operands' blocks.
 */
function elementwise(where: string, args: ArrayInput[], dtype: DType, op: (ab: NDArray[]) => NDArray): NDArray {
  if (!inTrace() && preparesSmall(args, dtype)) return composite(() => op(prepare(where, args, dtype)));
  const ab = prepare(where, args, dtype);
  const out = op(ab);
  dropTemporaries(ab, args, out);
  return out;
}
/** Whether prepare() would broadcast or convert an operand of args, for a result under the resident size (Arrays and JS scalars only: else false). */
function preparesSmall(args: ArrayInput[], dtype: DType): boolean {
  let work = false, ndim = 0;
  for (const a of args) {
    if (a instanceof NDArray) { work ||= a.dtype !== dtype; ndim = Math.max(ndim, a._shape.length); }
    else if (typeof a === 'number' || typeof a === 'boolean') work = true;
    else return false;
  }
  let size = 1;
  for (let d = 1; d <= ndim; d++) {
    let n = 1;
    for (const a of args) {
      const s = a instanceof NDArray ? a._shape : [];
      const k = s.length >= d ? s[s.length - d] : 1;
      if (k !== n) { if (n !== 1 && k !== 1) return false; work = true; n = n === 1 ? k : n; }
    }
    size *= n;
  }
  return work && size * itemsize(dtype) < residentMinBytes();
}

function binary(where: string, f: (x: NDArray, y: NDArray) => NDArray) {
  return (x: ArrayInput, y: ArrayInput): NDArray => elementwise(where, [x, y], arithDtype(where, [x, y]), (ab) => f(ab[0], ab[1]));
}
/** A float function of one operand (ints and bools compute in float32, as jnp). */
function unary(where: string, f: (x: NDArray) => NDArray) {
  return (x: ArrayInput): NDArray => elementwise(where, [x], floatDtype(where, [x]), (a) => f(a[0]));
}
function comparison(where: string, f: (x: NDArray, y: NDArray) => NDArray, ordering = true) {
  return (x: ArrayInput, y: ArrayInput): NDArray => {
    const ps = [x, y].map((a, i) => dtypeForPromotion(where, i, a));
    let dt = promoteAny(ps);
    // int32 against uint32: the join is JAX's int64, canonicalized to int32 here, which wrapped
    // uint32 values past 2^31 (uint32 4294967295 == int32 -1 was true); the result is bool
    // whatever the operands compute in, and float64 holds every 32-bit integer exactly (numpy's answer).
    if (dt === 'int32' && ps.includes('uint32')) dt = 'float64';
    // Complex values order lexicographically by (real, imag), as NumPy and jax.numpy compare them.
    return elementwise(where, [x, y], dt, (ab) => (ordering && isComplex(dt) ? lexicographic(ab[0], ab[1], f) : f(ab[0], ab[1])));
  };
}

/** Is this operand bool? Arrays and JS scalars answer at once; nested lists are parsed. */
const isBoolOperand = (where: string, i: number, x: ArrayInput): boolean =>
  x instanceof NDArray ? x.dtype === 'bool' : typeof x === 'boolean' ? true : typeof x === 'number' ? false
    : dtypeForPromotion(where, i, x) === 'bool';
const bothBool = (where: string, x: ArrayInput, y: ArrayInput): boolean =>
  isBoolOperand(where, 0, x) && isBoolOperand(where, 1, y);

/** JAX's bool rules: add is logical or, multiply logical and; subtract and negative refuse bools. */
function boolAware(where: string, f: (x: ArrayInput, y: ArrayInput) => NDArray,
  onBool: ((x: ArrayInput, y: ArrayInput) => NDArray) | null) {
  return (x: ArrayInput, y: ArrayInput): NDArray => {
    if (!bothBool(where, x, y)) return f(x, y);
    if (onBool === null) throw new DTypeError(`${where}: not defined for two bool operands (as in JAX); use np.logicalXor-style np.notEqual, or convert with np.astype`);
    return onBool(x, y);
  };
}

// ---------------------------------------------------------------- elementwise

/** Logical or / and of bools (JAX's bitwise_or / bitwise_and for bool). */
const logicalOr = (x: ArrayInput, y: ArrayInput): NDArray => where(x, true, y);
const logicalAnd = (x: ArrayInput, y: ArrayInput): NDArray => where(x, y, false);

/** Numeric binary functions (add, subtract, ...) keep integer dtypes. */
export { prepare, commonDtype, operand, requireComputable };

export const add = boolAware('np.add', binary('np.add', lax.add), logicalOr);
export const subtract = boolAware('np.subtract', binary('np.subtract', lax.sub), null);
export const multiply = boolAware('np.multiply', binary('np.multiply', lax.mul), logicalAnd);
export function divide(x: ArrayInput, y: ArrayInput): NDArray {
  const [a, b] = prepare('np.divide', [x, y], floatDtype('np.divide', [x, y]));
  return lax.div(a, b);
}
export const trueDivide = divide;
function negativeNumeric(x: ArrayInput): NDArray {
  const [a] = prepare('np.negative', [x], arithDtype('np.negative', [x]));
  return lax.neg(a); // ints wrap (-INT_MIN = INT_MIN), as XLA
}
export const exp = unary('np.exp', lax.exp);
export const log = unary('np.log', lax.log);
export const sin = unary('np.sin', lax.sin);
export const cos = unary('np.cos', lax.cos);
export const tanh = unary('np.tanh', lax.tanh);
export const sqrt = unary('np.sqrt', lax.sqrt);
export const less = comparison('np.less', lax.lt);
export const lessEqual = comparison('np.lessEqual', lax.le);
export const greater = comparison('np.greater', lax.gt);
export const greaterEqual = comparison('np.greaterEqual', lax.ge);
export const equal = comparison('np.equal', lax.eq, false);
export const notEqual = comparison('np.notEqual', lax.ne, false);

export function negative(x: ArrayInput): NDArray {
  if (dtypeForPromotion('np.negative', 0, x) === 'bool') throw new DTypeError('np.negative: not defined for bool (as in JAX); use np.equal(x, false)');
  return negativeNumeric(x);
}

/**
 * x ** y, as jnp.power. A concrete integer scalar exponent (a JS integer or boolean, or an
 * int32/uint32 0-d Array that is not traced: jnp's operator.index test) is JAX's integer_pow: products by binary exponentiation, so
 * derivatives at x = 0 are finite where the answer is (d/dx x^1 = 1, d2/dx2 x^2 = 2, d/dx x^0 = 0),
 * never b*x^(b-1) = NaN. Otherwise an integer result is JAX's _pow_int_int and an inexact one
 * the pow primitive. Bools compute as int32 (jnp's promote_args_numeric): bool ** bool is int32.
 */
export function power(x: ArrayInput, y: ArrayInput): NDArray {
  const joined = commonDtype('np.power', [x, y]);
  let dt = joined === 'bool' ? 'int32' : joined;
  let n = concreteInteger(y);
  // JAX's Case 1 (operator.index(x2) works): lax.integer_pow(x1, n) on x1 alone, so an Array base
  // keeps its dtype whatever a 0-d exponent Array's is (uint32 ** int32(3) stays uint32)
  if (n !== null && x instanceof NDArray && y instanceof NDArray) dt = x.dtype === 'bool' ? 'int32' : x.dtype;
  // floats past int32: pow's one rounding (jnp's `integer_pow` would multiply 31+ times), with n
  // exact: float32 (complex64) would round 2^31 + 1 to 2^31, even, and lose a negative base's
  // sign, so the pow runs in float64 (complex128), where n is exact (a JS integer past 2^53 is
  // even), and is rounded back once: (-1) ** (2^31 + 1) = -1, (-0.99999994) ** (2^31 + 1) = -0
  if (n !== null && Math.abs(n) >= 2 ** 31 && !isInteger(dt)) {
    const [a] = prepare('np.power', [x], dt);
    const wide = dt === 'float32' ? 'float64' : dt === 'complex64' ? 'complex128' : dt;
    const [aw, nw] = prepare('np.power', [wide === dt ? a : lax.convertElementType(a, wide), n], wide);
    const r = lax.pow(aw, nw);
    return wide === dt ? r : lax.convertElementType(r, dt);
  }
  if (n !== null) {
    const [a] = prepare('np.power', [x], dt);
    if (n < 0 && isInteger(dt)) throw new ValueError(`np.power: integers cannot be raised to negative powers (got ${n}), as in JAX`);
    // a uint32 exponent past int32 (JAX's integer_pow squares through all its bits, wrapping):
    // modulo 2^32 an even base's 32nd power is 0 and an odd base's 2^30th is 1, so
    // 2^30 + (n mod 2^30) gives the same wrapped value with an int32 exponent
    return integerPow(a, n >= 2 ** 31 ? 2 ** 30 + (n % 2 ** 30) : n);
  }
  const [a, b] = prepare('np.power', [x, y], dt);
  return isInteger(dt) ? powIntInt(a, b) : lax.pow(a, b);
}

/**
 * JAX's _pow_int_int: square and multiply over the exponent's low 6 bits only (JAX's `bits = 6`:
 * any base but 0 and +-1 has overflowed by then), wrapping as integer multiplication does. So an
 * exponent's higher bits are ignored (3 ** 64 = 1) and a negative exponent reads as its low bits
 * (x ** -1 = x ** 63), as JAX computes under jit; 0 ** y is 0 for every y != 0.
 */
function powIntInt(x: NDArray, y: NDArray): NDArray {
  let acc = astype(lax.bitwiseOr(notEqual(x, 0), equal(y, 0)), x.dtype);
  let base = x;
  for (let k = 0; k < 6; k++) {
    const [e, bit] = prepare('np.power', [y, 1 << k], y.dtype);
    acc = where(notEqual(lax.bitwiseAnd(e, bit), 0), multiply(acc, base), acc);
    if (k < 5) base = multiply(base, base);
  }
  return acc;
}

function concreteInteger(y: ArrayInput): number | null {
  const v = typeof y === 'number' ? y : typeof y === 'boolean' ? Number(y)
    : y instanceof NDArray && !y.isTracer && y.ndim === 0 && isInteger(y.dtype) ? y._data![0] : NaN;
  // (a JS number past int32 only reaches here with a float base: the pow kernel takes it)
  return Number.isInteger(v) ? v : null;
}

function integerPow(x: NDArray, n: number): NDArray {
  if (n === 0) return filled('np.power', x._shape, 1, x.dtype);
  // float32 (complex64) products for |n| >= 4 in float64 (complex128), rounded once: binary
  // exponentiation's error grows about n/2 ulps (float32 x ** 1000 was 595 ulp off, x ** 12345
  // 7,100 and (-1.0000001) ** 16777217 -7.3853 for -7.3891, where numpy's powf is < 1 ulp;
  // helper-289); in float64 it stays under 1 ulp of float32 up to n ~ 2^25. n = 2, 3 (the hot
  // squares and cubes, 1-1.2 ulp) keep JAX's float32 products.
  if ((x.dtype === 'float32' || x.dtype === 'complex64') && Math.abs(n) >= 4) {
    return lax.convertElementType(integerPow(lax.convertElementType(x, x.dtype === 'float32' ? 'float64' : 'complex128'), n), x.dtype);
  }
  const v = productPow(x, Math.abs(n));
  if (n > 0) return v;
  let r = divide(1, v); // JAX's value: 1 / x^|n|
  // ... but where x^|n| overflows while x^n is still a subnormal (results below 1 / max: float64
  // 2 ** -1074, 10 ** -310, (1e160) ** -2 and float32 (1e20) ** -2 gave 0; numpy's are
  // 5e-324, 1e-310, 1e-320, 1e-40; helper-289), the pow kernel's one rounding. Only the value:
  // the derivatives below read r through stopGradient.
  if (n < -1 && isFloating(x.dtype)) r = where(lax.eq(r, filled('np.power', x._shape, 0, x.dtype)), lax.pow(lax.stopGradient(x), filled('np.power', x._shape, n, x.dtype)), r);
  if (n === -1 || !inTrace() || !isFloating(x.dtype)) return r;
  // Its derivative through 1 / x^|n| is -1/x^(2|n|) * d(x^|n|), which overflows where the answer
  // n x^(n-1) does not (x^-2 at 1e-10 in float32: -inf, not -2e30), and is inf / inf = NaN where
  // the value underflows (x^-3 at 1e20 in float32: NaN, not -0). The derivatives of (1/x)^|n|
  // are JAX's to rounding: wherever it is finite (x != 0) they are taken from it, added to the
  // value as w - stop_gradient(w) (exactly +0); elsewhere the value's own. Each branch reads x
  // only where it is picked (1 elsewhere), so the branch not picked has finite derivatives: its
  // zero cotangent times an infinite partial would be NaN.
  const bound = (c: number) => filled('np.power', x._shape, c, x.dtype);
  const useW = lax.ne(lax.stopGradient(x), bound(0));
  const w = productPow(reciprocal(where(useW, x, bound(1))), -n);
  const picked = lax.bitwiseAnd(useW, lax.lt(lax.abs(lax.stopGradient(w)), bound(Infinity)));
  const own = divide(1, productPow(where(picked, bound(1), x), -n));
  // r - (sg(w) - w): the value is r's bits, a -0 included (r + (w - sg(w)) made x^-3 at -1e20 +0)
  return where(picked, subtract(lax.stopGradient(r), subtract(lax.stopGradient(w), w)), own);
}

/** x^n for n >= 1 by repeated squaring (JAX's integer_pow). */
function productPow(x: NDArray, n: number): NDArray {
  let acc: NDArray | null = null;
  let base = x;
  for (let k = n; k > 0; k = Math.floor(k / 2)) {
    if (k % 2 === 1) acc = acc === null ? base : lax.mul(acc, base);
    if (k > 1) base = lax.mul(base, base);
  }
  return acc!;
}

export function square(x: ArrayInput): NDArray { return power(x, 2); }
export function reciprocal(x: ArrayInput): NDArray { return divide(1, x); }


/**
 * |x| (the abs primitive): +0 at -0, NaN stays NaN, abs(INT_MIN) = INT_MIN (wraps, as XLA), and
 * the derivative is JAX's select(x >= 0, g, -g), so grad(abs)(0) = 1. Bools are returned as they are.
 */
export function abs(x: ArrayInput): NDArray {
  const a = operand('np.abs', 0, x);
  if (a.dtype === 'bool') return a;
  requireComputable('np.abs', [a]);
  return lax.abs(a); // complex: |z| (hypot, no overflow), real-valued; JAX's derivative, 0 at z = 0
}
/** numpy.absolute and numpy.pow (numpy 2's names; jnp has both): abs and power. */
export const absolute = abs;
export const pow = power;

// ---------------------------------------------------------------- complex parts

/** np.complex(re, im): re + i im, promoted to one float dtype (ints and bools: float32) and broadcast. */
export function complex(re: ArrayInput, im: ArrayInput): NDArray {
  const dt = floatDtype('np.complex', [re, im]);
  if (isComplex(dt)) throw new DTypeError(`np.complex: re and im must be real, got ${[re, im].map((v, i) => dtypeForPromotion('np.complex', i, v)).join(' and ')}`);
  const [a, b] = prepare('np.complex', [re, im], dt);
  return lax.complex(a, b);
}
/** The real part (a real array is returned as it is, as NumPy). */
export function real(x: ArrayInput): NDArray {
  const a = operand('np.real', 0, x);
  return isComplex(a.dtype) ? lax.real(a) : a;
}
/** The imaginary part (zeros for a real array, as NumPy). */
export function imag(x: ArrayInput): NDArray {
  const a = operand('np.imag', 0, x);
  return isComplex(a.dtype) ? lax.imag(a) : filled('np.imag', a._shape, 0, a.dtype);
}
/** The complex conjugate (a real array is returned as it is). */
export function conj(x: ArrayInput): NDArray {
  const a = operand('np.conj', 0, x);
  return isComplex(a.dtype) ? lax.conj(a) : a;
}
export { conj as conjugate };
/** The argument in (-pi, pi]: atan2(imag, real) (0 or pi for reals, as NumPy); in degrees with `{ deg: true }` (or numpy's positional `true`). */
export function angle(x: ArrayInput, opts?: { deg?: boolean } | boolean): NDArray {
  const o = readOptions<{ deg?: boolean }>('np.angle', opts, { deg: 'boolean' }, 'deg');
  const a = operand('np.angle', 0, x);
  let r: NDArray;
  if (isComplex(a.dtype)) r = lax.atan2(lax.imag(a), lax.real(a));
  else {
    const [f] = prepare('np.angle', [a], floatDtype('np.angle', [a]));
    r = lax.atan2(filled('np.angle', f._shape, 0, f.dtype), f);
  }
  return o.deg ? multiply(r, 180 / Math.PI) : r;
}
/**
 * Elementwise max (the max primitive, NaN-propagating): the value at a tie is x itself, only the
 * gradient splits 1/2 to each side (JAX's _balanced_eq). Bools: logical or.
 */
export function maximum(x: ArrayInput, y: ArrayInput): NDArray {
  const [a, b] = prepare('np.maximum', [x, y], commonDtype('np.maximum', [x, y]));
  // complex: the lexicographic maximum (NumPy's, and lax.max's on complex); a tie picks x
  if (isComplex(a.dtype)) return lax.select(nanOrCompare(a, b, lax.ge), a, b);
  return lax.max(a, b);
}
/** Elementwise min (bools: logical and); ties as maximum. */
export function minimum(x: ArrayInput, y: ArrayInput): NDArray {
  const [a, b] = prepare('np.minimum', [x, y], commonDtype('np.minimum', [x, y]));
  if (isComplex(a.dtype)) return lax.select(nanOrCompare(a, b, lax.le), a, b);
  return lax.min(a, b);
}

/** Where complex a is picked over b: a NaN (in either part) propagates, a first (numpy's maximum); else cmp lexicographically. */
function nanOrCompare(a: NDArray, b: NDArray, cmp: (x: NDArray, y: NDArray) => NDArray): NDArray {
  return lax.bitwiseOr(complexNaN(a), lax.bitwiseAnd(lax.bitwiseNot(complexNaN(b)), lexicographic(a, b, cmp)));
}

/** Complex entries with a NaN real or imaginary part (numpy counts them as NaN in max, sort, argmax). */
export function complexNaN(z: NDArray): NDArray {
  const re = lax.real(z), im = lax.imag(z);
  return lax.bitwiseOr(lax.ne(re, re), lax.ne(im, im));
}

/** cmp on (real, imag) pairs, lexicographically: cmp(imag) where the real parts are equal. */
export function lexicographic(a: NDArray, b: NDArray, cmp: (x: NDArray, y: NDArray) => NDArray): NDArray {
  const ra = lax.real(a), rb = lax.real(b);
  return lax.select(lax.eq(ra, rb), cmp(lax.imag(a), lax.imag(b)), cmp(ra, rb));
}

/**
 * The logistic function, JAX's 1 / (1 + e^-x) written with z = e^-|x| <= 1 so that neither
 * branch overflows or cancels: 1 / (1 + z) for x >= 0, z / (1 + z) below. float32
 * sigmoid(-17) is accurate, log(sigmoid(-20)) finite, and both where-branches stay finite, so
 * gradients are never 0 * inf.
 */
export function sigmoid(x: ArrayInput): NDArray { return sigmoidNamed('np.sigmoid', x); }

/** sigmoid under the calling function's name (np.logistic is the same function). */
export function sigmoidNamed(fn: string, x: ArrayInput): NDArray {
  const a = prepare(fn, [x], floatDtype(fn, [x]))[0];
  if (isComplex(a.dtype)) return composite(() => divide(1, add(1, exp(negative(a))))); // lax.logistic's formula: |z| has no sign to split on
  return composite(() => {
    const z = exp(negative(abs(a)));
    const onePlusZ = add(1, z);
    return where(greaterEqual(a, 0), divide(1, onePlusZ), divide(z, onePlusZ));
  });
}

/** np.where(cond, x, y) with broadcasting; a non-bool cond is true where nonzero (NaN too). */
/** np.nonzero, set by np_data_dependent.ts (which imports this module): np.where(cond) is it. (var: it
 * may be set before this module's body runs, in the import cycle; a let was in its dead zone then) */
// eslint-disable-next-line no-var
var nonzeroImpl: ((cond: ArrayInput, opts?: { size?: number; fillValue?: unknown }) => NDArray[]) | undefined;
export function setNonzeroImpl(fn: typeof nonzeroImpl): void { nonzeroImpl = fn; }

/**
 * np.where(cond, x, y): x where cond, else y. With cond alone (and jnp's { size, fillValue }),
 * numpy's and jnp's np.where(cond) = np.nonzero(cond): a list of int32 index Arrays.
 */
export function where(cond: ArrayInput, opts?: { size?: number; fillValue?: unknown }): NDArray[];
export function where(cond: ArrayInput, x: ArrayInput, y: ArrayInput): NDArray;
export function where(cond: ArrayInput, x?: ArrayInput | { size?: number; fillValue?: unknown }, y?: ArrayInput): NDArray | NDArray[] {
  if (arguments.length === 1 || (arguments.length === 2 && x !== null && typeof x === 'object' && !(x instanceof NDArray) &&
    !Array.isArray(x) && !ArrayBuffer.isView(x) && !isComplexLiteral(x))) {
    return nonzeroImpl!(cond, x as { size?: number });
  }
  if (arguments.length !== 3) {
    throw new ValueError(`np.where: takes cond, x and y (3 arguments) or cond alone (np.nonzero(cond), with { size, fillValue } as jnp's), got ${arguments.length}`);
  }
  const xy = [x, y] as ArrayInput[];
  let c = operand('np.where', 0, cond, 'bool');
  if (c.dtype !== 'bool') c = astype(c, 'bool');
  const dt = commonDtype('np.where', xy);
  const [a, b] = prepare('np.where', xy, dt);
  const shape = broadcastShapes('np.where', c._shape, a._shape);
  return lax.select(broadcastTo(c, shape), broadcastTo(a, shape), broadcastTo(b, shape));
}

// ---------------------------------------------------------------- reductions

/**
 * The kernels of sum and transpose keep a set of axes in a 32-bit mask: 30 axes at most (the
 * same as the shape rules in assembly/ad/rules/reduce.ts and shape.ts).
 */
export const MAX_AXES_RANK = lax.MAX_AXES_RANK;

// (lax's check counts the batch axes of a vmap around a: a rank-30 example's batch is rank 31,
// which the wasm refused as 'np.sum: sum: invalid parameters', a ValueError)
function requireAxesRank(where: string, a: NDArray): void {
  lax.requireAxesRank(where, a, 'reductions and transposes');
}

export interface ReduceOptions { axis?: Axis; keepdims?: boolean }
/** sum, mean, prod: jnp's `dtype`, the dtype the operand is converted to before reducing and the result's. */
export interface AccumulateOptions extends ReduceOptions { dtype?: DType }
export const ACCUMULATE_SPEC: OptionSpec = { axis: 'axis', keepdims: 'boolean', dtype: 'dtype' };

/** jnp's `where` (a bool mask broadcast to the operand: only its true entries are reduced) and `initial` (a value the reduction starts from). */
export interface MaskOptions { where?: ArrayInput; initial?: number | boolean }

/**
 * Reduction options with `where` and `initial` taken out (the rest as they were: an axis, a list,
 * or an object), checked against `spec` plus those two (so an unknown key's error lists them).
 */
export function takeMask(where_: string, opts: unknown, spec: OptionSpec, withInitial = true): { rest: any; mask?: ArrayInput; initial?: number | boolean } {
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts) || opts instanceof NDArray) return { rest: opts };
  if (!('where' in opts) && !('initial' in opts)) return { rest: opts }; // (the reduction reads these options itself)
  readOptions(where_, opts, { ...spec, where: 'any', ...(withInitial ? { initial: 'any' } : {}) }, 'axis');
  const { where: mask, initial, ...rest } = opts as MaskOptions & Record<string, unknown>;
  if (initial !== undefined && typeof initial !== 'number' && typeof initial !== 'boolean') {
    throw new ValueError(`${where_}: initial must be a JS number or boolean, got ${show(initial)}`);
  }
  return { rest, mask, initial };
}

/**
 * `initial` as a 0-d Array of the result's dtype (numpy and jnp convert it: 2.5 into an int32 sum
 * is 2, -1 into a bool max is true); NaN into an integer dtype is refused, as numpy refuses it, and
 * so is a number whose integer part does not fit it (the rule for JS numbers meeting int arrays).
 */
export function initialAs(where_: string, initial: number | boolean, dtype: DType): NDArray {
  if (typeof initial === 'number' && Number.isNaN(initial) && (isInteger(dtype) || dtype === 'bool')) {
    throw new ValueError(`${where_}: initial NaN cannot be converted to ${dtype} (numpy raises too)`);
  }
  if (typeof initial === 'number' && isInteger(dtype)) {
    // (uint32 prod with initial -1 saturated to 0, int32 sum with initial 2**31 to -2147483648)
    const [lo, hi] = INT_RANGE[dtype];
    const t = Math.trunc(initial);
    if (!(t >= lo && t <= hi)) {
      throw new ValueError(`${where_}: initial ${initial} does not fit in the ${dtype} result [${lo}, ${hi}] (never saturated; numpy raises OverflowError for its result dtype); ` +
        `convert the array with np.astype (or pass a dtype) first`);
    }
  }
  return astype(lax.full([], Number(initial), isInteger(dtype) || dtype === 'bool' ? 'float64' : dtype), dtype);
}

/** The dtype option of reduction options (an axis or a list has none), for reading a JS list in it. */
export function dtypeOption(opts: unknown): DType | undefined {
  return opts !== null && typeof opts === 'object' && !Array.isArray(opts) && !(opts instanceof NDArray) ? (opts as { dtype?: DType }).dtype : undefined;
}

/** `mask` as a bool Array of a's shape (broadcast to it; a ShapeError naming `where` otherwise). */
export function maskOf(where_: string, a: NDArray, mask: ArrayInput): NDArray {
  let c = operand(`${where_}: where`, 0, mask, 'bool');
  if (c.dtype !== 'bool') c = astype(c, 'bool');
  const shape = broadcastShapes(`${where_}: where`, c._shape, a._shape);
  if (shape.length !== a.ndim || shape.some((d, i) => d !== a._shape[i])) {
    throw new ShapeError(`${where_}: where of shape [${c._shape}] does not broadcast to the operand's shape [${a._shape}]`);
  }
  return broadcastTo(c, a._shape);
}

/** `a` with the entries `mask` leaves out replaced by `fill` (a's dtype). */
export function masked(where_: string, a: NDArray, mask: ArrayInput, fill: number | boolean): NDArray {
  return lax.select(maskOf(where_, a, mask), a, lax.full([...a._shape], typeof fill === 'boolean' ? Number(fill) : fill, a.dtype));
}

export function sum(x: ArrayInput, opts?: (AccumulateOptions & MaskOptions) | Axis): NDArray {
  atMost('np.sum', arguments.length, 2);
  const m = takeMask('np.sum', opts, ACCUMULATE_SPEC);
  if (m.mask !== undefined || m.initial !== undefined) {
    const a = operand('np.sum', 0, x, dtypeOption(m.rest)); // (a JS list read in the asked dtype)
    const r = sum(m.mask === undefined ? a : masked('np.sum', a, m.mask, false), m.rest);
    return m.initial === undefined ? r : lax.add(r, broadcastTo(initialAs('np.sum', m.initial, r.dtype), r._shape));
  }
  const o = readOptions<AccumulateOptions>('np.sum', opts, ACCUMULATE_SPEC, 'axis');
  let a = operand('np.sum', 0, x, o.dtype); // (a JS list read in the asked dtype)
  requireComputable('np.sum', [a]);
  requireAxesRank('np.sum', a);
  if (o.dtype !== undefined && o.dtype !== a.dtype) a = astype(a, o.dtype);
  // jnp.sum promotes bools to the default int (int32 with 64-bit types off); ints wrap.
  if (a.dtype === 'bool') a = astype(a, 'int32');
  const axes = checkAxes('np.sum', o.axis, a.ndim);
  const out = lax.reduceSum(a, axes);
  const r = o.keepdims ? lax.reshape(out, a._shape.map((d, i) => (axes.includes(i) ? 1 : d))) : out;
  return o.dtype !== undefined && r.dtype !== o.dtype ? astype(r, o.dtype) : r; // the result's dtype too (bool: any nonzero)
}

export function mean(x: ArrayInput, opts?: (AccumulateOptions & { where?: ArrayInput }) | Axis): NDArray {
  atMost('np.mean', arguments.length, 2);
  const m = takeMask('np.mean', opts, ACCUMULATE_SPEC, false);
  if (m.initial !== undefined) throw new ValueError('np.mean: takes no initial (jnp.mean has none)');
  if (m.mask !== undefined) {
    // jnp's: the sum of the entries kept over their count (NaN where a slice keeps none)
    const o = readOptions<AccumulateOptions>('np.mean', m.rest, ACCUMULATE_SPEC, 'axis');
    let a = operand('np.mean', 0, x, o.dtype);
    if (o.dtype !== undefined && o.dtype !== a.dtype) a = astype(a, o.dtype);
    if (isInteger(a.dtype) || a.dtype === 'bool') a = astype(a, 'float32');
    const kept = masked('np.mean', lax.full([...a._shape], 1, realOf(a.dtype)), m.mask, 0);
    const r = divide(sum(masked('np.mean', a, m.mask, 0), { axis: o.axis, keepdims: o.keepdims }), sum(kept, { axis: o.axis, keepdims: o.keepdims }));
    return o.dtype !== undefined && r.dtype !== o.dtype ? astype(r, o.dtype) : r;
  }
  const o = readOptions<AccumulateOptions>('np.mean', opts, ACCUMULATE_SPEC, 'axis');
  let a = operand('np.mean', 0, x, o.dtype);
  if (o.dtype !== undefined && o.dtype !== a.dtype) a = astype(a, o.dtype);
  if (o.dtype !== undefined && isInteger(o.dtype)) {
    // jnp's (and numpy's) mean in an integer dtype: the sum in that dtype (wrapping), then divided
    // by the count truncating (lax.div). Through float32 it lost digits and saturated instead:
    // mean([16777217, 16777217, 1], dtype int32) was 11184810 (11184811), of [2^31 - 1, 2^31 - 1] 2^31 - 1 (-1)
    requireAxesRank('np.mean', a);
    const n = checkAxes('np.mean', o.axis, a.ndim).reduce((k, i) => k * a._shape[i], 1);
    const total = sum(a, { axis: o.axis, keepdims: o.keepdims });
    return lax.div(total, lax.full(total.shape, n, total.dtype));
  }
  if (isInteger(a.dtype) || a.dtype === 'bool') a = astype(a, 'float32'); // jnp.mean of ints and bools is float32
  requireAxesRank('np.mean', a);
  const axes = checkAxes('np.mean', o.axis, a.ndim);
  const count = axes.reduce((n, i) => n * a._shape[i], 1);
  const r = composite(() => divide(sum(a, { axis: o.axis, keepdims: o.keepdims }), count));
  return o.dtype !== undefined && r.dtype !== o.dtype ? astype(r, o.dtype) : r; // int32: truncated, as numpy's and jnp's
}

// ---------------------------------------------------------------- shapes

export function reshape(x: ArrayInput, shape: readonly number[] | number, order?: 'C' | 'F' | { order?: 'C' | 'F' } | null): NDArray {
  if (arguments.length > 3 || (arguments.length === 3 && (typeof order === 'number' || Array.isArray(order)))) { // np.reshape(x, 2, 3) would reshape to [2] (JS drops the 3)
    throw new ValueError(`np.reshape: takes the shape as one list, np.reshape(x, [${[...arguments].slice(1).map(show).join(', ')}]); got ${arguments.length - 1} shape arguments`);
  }
  // jnp's order ('C' or 'F'): { order: 'F' } was read as a second shape argument
  const ord = order === undefined || order === null ? 'C' : typeof order === 'string' ? order
    : readOptions<{ order?: string }>('np.reshape', order, { order: 'any' }, 'order').order ?? 'C';
  if (ord !== 'C' && ord !== 'F') throw new ValueError(`np.reshape: order must be 'C' or 'F' (jnp's), got ${show(ord)}`);
  if (ord === 'F') return transpose(reshape(transpose(x), typeof shape === 'number' ? [shape] : Array.isArray(shape) ? shape.slice().reverse() : shape));
  const a = operand('np.reshape', 0, x);
  const s = typeof shape === 'number' ? [shape] : Array.isArray(shape) ? shape.slice() : null;
  if (s === null || s.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < -1 || d > MAX_DIM) || s.filter((d) => d === -1).length > 1) {
    throw new ShapeError(`np.reshape: invalid shape ${show(shape)} (non-negative integers below 2^31, and at most one -1)`);
  }
  const unknown = s.indexOf(-1);
  if (unknown >= 0) {
    const known = s.reduce((n, d, i) => (i === unknown ? n : n * d), 1);
    if (known === 0 || a.size % known !== 0) throw new ShapeError(`np.reshape: cannot reshape ${describe(a._shape, a.dtype)} to [${shape}]`);
    s[unknown] = a.size / known;
  }
  if (s.reduce((n, d) => n * d, 1) !== a.size) {
    throw new ShapeError(`np.reshape: cannot reshape ${describe(a._shape, a.dtype)} (size ${a.size}) to [${shape}]`);
  }
  // A concrete array shares its JS data (values are immutable); a resident one's block has one owner, so a reshape copies it.
  if (!a.isTracer && lax.sameShape(a._shape, s)) return a._live('np.reshape');
  if (!a.isTracer && a._block === null) return new NDArray(s, a.dtype, a._live('np.reshape')._js!);
  return lax.reshape(a, s);
}

/**
 * The values in one axis: row-major ('C', the default), or column-major ('F': the axes reversed
 * first, numpy's order='F'). 'A' and 'K' follow the memory layout in numpy; an Array's is always
 * row-major, so they are 'C'.
 */
export function ravel(x: ArrayInput, order: 'C' | 'F' | 'A' | 'K' | { order?: 'C' | 'F' | 'A' | 'K' } = 'C'): NDArray {
  atMost('np.ravel', arguments.length, 2);
  const o = typeof order === 'string' ? order : readOptions<{ order?: string }>('np.ravel', order, { order: 'any' }).order ?? 'C';
  if (o !== 'C' && o !== 'F' && o !== 'A' && o !== 'K') throw new ValueError(`np.ravel: order must be 'C', 'F', 'A' or 'K', got ${show(order)}`);
  return reshape(o === 'F' ? transpose(x) : x, [-1]);
}

export function transpose(x: ArrayInput, axes?: readonly number[] | { axes?: readonly number[] | null } | null): NDArray {
  const o = readOptions<{ axes?: number[] | null }>('np.transpose', axes ?? undefined, { axes: 'axis' }, 'axes');
  const a = operand('np.transpose', 0, x);
  requireAxesRank('np.transpose', a);
  if (o.axes === undefined || o.axes === null) return lax.transpose(a, [...Array(a.ndim).keys()].reverse());
  const perm = typeof o.axes === 'number' ? [o.axes] : o.axes;
  if (perm.length !== a.ndim) throw new AxisError(`np.transpose: axes [${perm}] do not match ${describe(a._shape, a.dtype)} (rank ${a.ndim})`);
  return lax.transpose(a, normalizeAxisList('np.transpose', perm, a.ndim));
}

/** numpy's expand_dims: an axis or a list of axes of the result (rank ndim + count). */
export function expandDims(x: ArrayInput, axis: number | number[] | { axis: number | number[] }): NDArray {
  atMost('np.expandDims', arguments.length, 2);
  const o = readOptions<{ axis?: number | number[] }>('np.expandDims', axis, { axis: 'axis' }, 'axis');
  const a = operand('np.expandDims', 0, x);
  if (o.axis === undefined) throw new AxisError('np.expandDims: an axis is required');
  if (o.axis === null) throw new AxisError('np.expandDims: axis must be an integer or a list of integers, got null (numpy\'s None is refused by expand_dims)');
  const list = typeof o.axis === 'number' ? [o.axis] : o.axis;
  const outRank = a.ndim + list.length;
  const axes = normalizeAxisList('np.expandDims', list, outRank);
  const s: number[] = [];
  let k = 0;
  for (let i = 0; i < outRank; i++) s.push(axes.includes(i) ? 1 : a._shape[k++]);
  return reshape(a, s);
}

export function squeeze(x: ArrayInput, axis?: number | number[] | null | { axis?: number | number[] | null }): NDArray {
  atMost('np.squeeze', arguments.length, 2);
  const o = readOptions<{ axis?: number | number[] | null }>('np.squeeze', axis, { axis: 'axis' }, 'axis');
  const a = operand('np.squeeze', 0, x);
  const axes = o.axis === undefined || o.axis === null ? a._shape.flatMap((d, i) => (d === 1 ? [i] : [])) : checkAxes('np.squeeze', o.axis, a.ndim);
  for (const i of axes) if (a._shape[i] !== 1) throw new ValueError(`np.squeeze: axis ${i} of ${describe(a._shape, a.dtype)} has size ${a._shape[i]}, not 1`);
  return reshape(a, a._shape.filter((_, i) => !axes.includes(i)));
}

/** numpy.concatenate: arrays promoted to one dtype, joined along `axis` (default 0). */
const AXIS_ONLY = { axis: 'axis' } as const;

export function concatenate(xs: readonly ArrayInput[] | NDArray, options?: { axis?: number | null } | number | null): NDArray {
  atMost('np.concatenate', arguments.length, 2);
  // axis null (positional or as the option): numpy and jnp join the flattened inputs
  const flatten = options === null || (typeof options === 'object' && options !== undefined && 'axis' in options && options.axis === null);
  const opts = flatten ? {} : readOptions<{ axis?: number }>('np.concatenate', options, AXIS_ONLY, 'axis');
  if (xs instanceof NDArray) { // jnp's: an Array is the list of its slices along axis 0
    const x = slicesOf('np.concatenate', xs);
    if (flatten) return reshape(x, [-1]);
    if (x.ndim === 1) throw new ValueError(`np.concatenate: the slices of ${describe(x._shape, x.dtype)} along axis 0 are zero-dimensional and cannot be concatenated (use np.stack)`);
    const ax = normalizeAxisList('np.concatenate', [opts.axis ?? 0], x.ndim - 1)[0];
    const [k, ...rest] = x._shape;
    return reshape(lax.transpose(x, slicesAt(x.ndim, ax)), [...rest.slice(0, ax), k * rest[ax], ...rest.slice(ax + 1)]);
  }
  if (!Array.isArray(xs) || xs.length === 0) throw new ValueError('np.concatenate: need a non-empty list of arrays');
  const dt = commonDtype('np.concatenate', xs);
  // (lists in the common dtype straight away: a JS list beside a float64 Array was rounded to float32 first)
  const given = xs.map((a, i) => astype(typeof a === 'number' ? asarray(a, dt) : operand('np.concatenate', i, a, dt), dt));
  const arrays = flatten ? given.map((a) => reshape(a, [-1])) : given;
  if (arrays.some((a) => a.ndim === 0)) throw new ValueError('np.concatenate: zero-dimensional arrays cannot be concatenated (use np.stack)');
  const nd = arrays[0].ndim;
  if (arrays.some((a) => a.ndim !== nd)) {
    throw new ShapeError(`np.concatenate: all inputs must have the same number of dimensions, got ${arrays.map((a) => describe(a._shape, a.dtype)).join(', ')}`);
  }
  return lax.concatenate(arrays, normalizeAxisList('np.concatenate', [opts.axis ?? 0], nd)[0], 'np.concatenate'); // (errors name np.concatenate)
}

/** An Array given for a list of arrays (concatenate, stack): it must have slices along axis 0. */
function slicesOf(where: string, x: NDArray): NDArray {
  if (x.ndim === 0 || x._shape[0] === 0) throw new ValueError(`${where}: need a non-empty list of arrays, got ${describe(x._shape, x.dtype)} (an Array stands for the list of its slices along axis 0)`);
  return x;
}
/** The permutation that moves axis 0 (the slices' index) to position ax among the others. */
function slicesAt(ndim: number, ax: number): number[] {
  return [...Array.from({ length: ax }, (_, i) => i + 1), 0, ...Array.from({ length: ndim - 1 - ax }, (_, i) => ax + 1 + i)];
}

/** numpy.stack: arrays of one shape joined along a new axis. */
export function stack(xs: readonly ArrayInput[] | NDArray, options?: { axis?: number } | number): NDArray {
  atMost('np.stack', arguments.length, 2);
  const opts = readOptions<{ axis?: number }>('np.stack', options, AXIS_ONLY, 'axis');
  if (xs instanceof NDArray) { // jnp's: an Array is the list of its slices along axis 0
    const x = slicesOf('np.stack', xs);
    return lax.transpose(x, slicesAt(x.ndim, lax.normalizeAxes([intAxis('np.stack', opts.axis, 0)], x.ndim, 'np.stack')[0]));
  }
  if (!Array.isArray(xs) || xs.length === 0) throw new ValueError('np.stack: need a non-empty list of arrays');
  const dt = commonDtype('np.stack', xs); // (JS values in it: a JS 0.1 beside float64 Arrays is float64 0.1)
  const arrays = xs.map((a, i) => operand('np.stack', i, a, dt));
  const shape = arrays[0].shape;
  if (arrays.some((a) => !lax.sameShape(a._shape, shape))) {
    throw new ShapeError(`np.stack: all input arrays must have the same shape, got ${arrays.map((a) => describe(a._shape, a.dtype)).join(', ')}`);
  }
  // one integer (numpy and jnp refuse None, which was read as 0, and a list)
  const axis = intAxis('np.stack', opts.axis, 0);
  const ax = lax.normalizeAxes([axis], shape.length + 1, 'np.stack')[0];
  return concatenate(arrays.map((a) => expandDims(a, ax)), { axis: ax });
}

/** numpy.split: `sections` equal pieces, or cuts at the given indices, along `axis` (default 0). */
export function split(x: ArrayInput, sections: number | number[], options?: { axis?: number } | number): NDArray[] {
  atMost('np.split', arguments.length, 3);
  const opts = readOptions<{ axis?: number }>('np.split', options, AXIS_ONLY, 'axis');
  required('np.split', 'sections (a count or a list of split points)', sections);
  if (sections instanceof NDArray) sections = sectionValues('np.split', sections);
  if (typeof sections !== 'number' && !(Array.isArray(sections) && sections.every((c) => Number.isInteger(c)))) {
    throw new ValueError(`np.split: sections must be a count or a list of integer split points, got ${show(sections)}`);
  }
  const a = operand('np.split', 0, x);
  if (a.ndim === 0) throw new ValueError('np.split: cannot split a zero-dimensional array');
  // one integer (numpy and jnp refuse None, which was read as 0; a list [0] was read as 0)
  const ax = lax.normalizeAxes([intAxis('np.split', opts.axis, 0)], a.ndim, 'np.split')[0];
  const n = a._shape[ax];
  let sizes: number[];
  if (typeof sections === 'number') {
    // (numpy's two messages: 0 sections read as '6 into 0', an unequal division)
    if (!Number.isInteger(sections) || sections < 1) throw new ValueError(`np.split: number sections must be a positive integer, got ${show(sections)}`);
    if (n % sections !== 0) throw new ValueError(`np.split: array split does not result in an equal division (${n} into ${sections})`);
    sizes = Array(sections).fill(n / sections);
  } else {
    // numpy's pieces x[c_i:c_(i+1)] between 0, the cuts and n, each cut read as a slice bound
    // (negative from the end, then clamped to [0, n]): a cut below the one before it gives an
    // empty piece, and the next piece starts back at it ([3, 1] on 6: [0:3], [3:1] = [], [1:6])
    const bounds = [0, ...sections.map((c) => Math.min(Math.max(c < 0 ? c + n : c, 0), n)), n];
    const starts = bounds.slice(0, -1);
    sizes = starts.map((b, i) => Math.max(bounds[i + 1] - b, 0));
    if (starts.some((b, i) => i > 0 && b !== starts[i - 1] + sizes[i - 1])) { // not one run of adjacent pieces: each its own
      return starts.map((b, i) => lax.split(a, [b, sizes[i], n - b - sizes[i]], ax)[1]);
    }
  }
  if (sizes.length === 1) return [a]; // no cut (numpy: [x])
  return lax.split(a, sizes, ax);
}

const MAX_SECTIONS = 1 << 20;

/**
 * A count (0-d) or split points (1-d) given as an int Array: its values, which split needs. An
 * abstract one (under jit) is item()'s TracerError, as JAX's concretization error (it said the
 * Array must be a 0-d int32 Array, which it was).
 */
function sectionValues(where_: string, sections: NDArray): number | number[] {
  if (sections.ndim > 1 || !(sections.dtype === 'int32' || sections.dtype === 'uint32')) {
    throw new ValueError(`${where_}: sections given as an Array must be a 0-d (a count) or 1-d (split points) int32 Array, got ${show(sections)}`);
  }
  return sections.ndim === 0 ? (sections.item() as number) : (sections.tolist() as number[]);
}

/**
 * np.arraySplit(x, sections, { axis }): as split, but a count need not divide the axis: the
 * first n % count pieces are one longer (numpy's array_split).
 */
export function arraySplit(x: ArrayInput, sections: number | number[], options?: { axis?: number } | number): NDArray[] {
  atMost('np.arraySplit', arguments.length, 3);
  const opts = readOptions<{ axis?: number }>('np.arraySplit', options, AXIS_ONLY, 'axis');
  // (a 0-d Array count went to split, which refused 100 into 3: numpy's array_split(x, np.array(3)) is [34, 33, 33])
  if (sections instanceof NDArray) sections = sectionValues('np.arraySplit', sections);
  if (typeof sections !== 'number') return named('np.arraySplit', () => split(x, sections, opts));
  if (!Number.isInteger(sections) || sections < 1) throw new ValueError(`np.arraySplit: number sections must be larger than 0, got ${show(sections)}`);
  // (a list of 2 ** 31 cuts aborted the process: V8's invalid size error, which no catch sees;
  // a million pieces is already a million Arrays)
  if (sections > MAX_SECTIONS) throw new ValueError(`np.arraySplit: ${sections} sections are more than the ${MAX_SECTIONS} pieces it makes`);
  const a = operand('np.arraySplit', 0, x);
  if (a.ndim === 0) throw new ValueError('np.arraySplit: cannot split a zero-dimensional array');
  const n = a._shape[lax.normalizeAxes([intAxis('np.arraySplit', opts.axis, 0)], a.ndim, 'np.arraySplit')[0]];
  const each = Math.floor(n / sections), extra = n % sections, cuts: number[] = [];
  for (let i = 1, at = 0; i < sections; i++) cuts.push(at += each + (i <= extra ? 1 : 0));
  return split(a, cuts, opts);
}

/** np.hsplit / vsplit / dsplit: split along axis 1 (axis 0 of a 1-d array), 0 and 2. */
export function hsplit(x: ArrayInput, sections: number | number[]): NDArray[] { return splitOn('np.hsplit', x, sections, arguments.length, 1); }
export function vsplit(x: ArrayInput, sections: number | number[]): NDArray[] { return splitOn('np.vsplit', x, sections, arguments.length, 0); }
export function dsplit(x: ArrayInput, sections: number | number[]): NDArray[] { return splitOn('np.dsplit', x, sections, arguments.length, 2); }

function splitOn(where: string, x: ArrayInput, sections: number | number[], given: number, axis: number): NDArray[] {
  atMost(where, given, 2);
  const a = operand(where, 0, x), least = where === 'np.hsplit' ? 1 : Math.max(axis + 1, 2);
  if (a.ndim < least) throw new ValueError(`${where}: only works on arrays of ${least} or more dimensions, got ${describe(a.shape, a.dtype)}`);
  return named(where, () => split(a, sections, { axis: where === 'np.hsplit' && a.ndim === 1 ? 0 : axis }));
}

/** body(), its errors named for the function the user called (not np.split). */
function named<T>(where: string, body: () => T): T {
  try { return body(); } catch (e) {
    if (e instanceof CotangentError && e.message.startsWith('np.split:')) e.message = `${where}:${e.message.slice('np.split:'.length)}`;
    throw e;
  }
}

// ---------------------------------------------------------------- products

/** Promote to one dtype; bool operands compute in float32 (their products are turned back into bools). */
function promotePair(where: string, x: ArrayInput, y: ArrayInput): [NDArray, NDArray, boolean] {
  const isBool = bothBool(where, x, y);
  const dt = isBool ? 'float32' : arithDtype(where, [x, y]);
  const a = astype(operand(where, 0, x, dt), dt), b = astype(operand(where, 1, y, dt), dt);
  requireComputable(where, [a, b]);
  return [a, b, isBool];
}

/** JAX's dot of bools is a bool (an "or" of "and"s): the float count, nonzero. */
const boolResult = (r: NDArray, isBool: boolean): NDArray => (isBool ? notEqual(r, 0) : r);

/** numpy.dot: inner product of vectors, matmul of matrices, and numpy's N-d contraction. */
export function dot(x: ArrayInput, y: ArrayInput): NDArray {
  const [a, b, isBool] = promotePair('np.dot', x, y);
  if (a.ndim === 0 || b.ndim === 0) return boolResult(multiply(a, b), isBool);
  const k = a.shape[a.ndim - 1];
  const kb = b.ndim === 1 ? b.shape[0] : b.shape[b.ndim - 2];
  const dt = isBool ? 'bool' : a.dtype; // (bools are counted in float32: the message said float32 for them)
  if (k !== kb) throw new ShapeError(`np.dot: shapes ${describe(a.shape, dt)} and ${describe(b.shape, dt)} not aligned: ${k} (dim ${a.ndim - 1}) != ${kb}`);
  // One dot_general: a's last axis against b's second-to-last (its only one for a vector).
  return boolResult(lax.dotGeneral(a, b, [[[a.ndim - 1], [b.ndim === 1 ? 0 : b.ndim - 2]], [[], []]]), isBool);
}

/** numpy.matmul: batched over leading axes with broadcasting; 1-d operands promoted and squeezed. */
export function matmul(x: ArrayInput, y: ArrayInput): NDArray {
  let [a, b, isBool] = promotePair('np.matmul', x, y);
  if (a.ndim === 0 || b.ndim === 0) throw new ValueError('np.matmul: operands must not be scalars (use np.multiply)');
  const va = a.ndim === 1, vb = b.ndim === 1;
  // A vector operand is contracted as it is (one dot_general, no reshape), so that a batch of
  // vectors under vmap meets the kernel in its stored layout.
  if (vb && (va || a.ndim === 2) && a.shape[a.ndim - 1] === b.shape[0]) {
    return boolResult(lax.dotGeneral(a, b, [[[a.ndim - 1], [0]], [[], []]]), isBool);
  }
  if (va && b.ndim === 2 && a.shape[0] === b.shape[0]) return boolResult(lax.dotGeneral(a, b, [[[0], [0]], [[], []]]), isBool);
  if (va) a = reshape(a, [1, a.shape[0]]);
  if (vb) b = reshape(b, [b.shape[0], 1]);
  const [m, k] = a.shape.slice(-2), [kb, n] = b.shape.slice(-2);
  const dt = isBool ? 'bool' : a.dtype; // (bools are counted in float32: the message said float32 for them)
  const shapes = `${describe(x instanceof NDArray ? x.shape : a.shape, dt)} @ ${describe(y instanceof NDArray ? y.shape : b.shape, dt)}`;
  if (k !== kb) throw new ShapeError(`np.matmul: contraction mismatch: ${shapes} (${k} != ${kb})`);
  // (the batch dims checked here, so that the error names both operands: it named the batch shapes alone, [2] and [3])
  const ba = a.shape.slice(0, -2), bb = b.shape.slice(0, -2);
  for (let i = 1; i <= Math.min(ba.length, bb.length); i++) {
    const p = ba[ba.length - i], q = bb[bb.length - i];
    if (p !== q && p !== 1 && q !== 1) throw new ShapeError(`np.matmul: batch dims do not broadcast: ${shapes} (${p} != ${q})`);
  }
  const batch = broadcastShapes('np.matmul', ba, bb);
  // A matrix on the right is shared by every batch: one dot_general, no broadcast copies of it.
  const out = b.ndim === 2
    ? lax.dotGeneral(a, b, [[[a.ndim - 1], [0]], [[], []]])
    : lax.batchMatmul(broadcastTo(a, [...batch, m, k]), broadcastTo(b, [...batch, k, n]));
  const shape = [...batch, ...(va ? [] : [m]), ...(vb ? [] : [n])];
  return boolResult(reshape(out, shape), isBool);
}

export function vdot(x: ArrayInput, y: ArrayInput): NDArray {
  const dt = commonDtype('np.vdot', [x, y]); // (JS lists in the common dtype, as the elementwise ops take them)
  const a = operand('np.vdot', 0, x, dt), b = operand('np.vdot', 1, y, dt);
  if (a.size !== b.size) throw new ShapeError(`np.vdot: ${describe(a._shape, a.dtype)} and ${describe(b._shape, b.dtype)} have different sizes (${a.size} != ${b.size})`);
  return dot(ravel(isComplex(a.dtype) ? lax.conj(a) : a), ravel(b)); // conjugates its first argument, as numpy
}

/** numpy.inner: contraction over the last axes of both; result shape a._shape[:-1] + b._shape[:-1]. */
export function inner(x: ArrayInput, y: ArrayInput): NDArray {
  const dt = commonDtype('np.inner', [x, y]);
  const a = operand('np.inner', 0, x, dt), b = operand('np.inner', 1, y, dt);
  if (a.ndim === 0 || b.ndim === 0) return multiply(x, y);
  const k = a._shape[a.ndim - 1];
  if (b._shape[b.ndim - 1] !== k) {
    throw new ShapeError(`np.inner: last dimensions differ: ${describe(a._shape, a.dtype)} and ${describe(b._shape, b.dtype)} (${k} != ${b._shape[b.ndim - 1]})`);
  }
  const [p, q, isBool] = promotePair('np.inner', a, b);
  return boolResult(lax.dotGeneral(p, q, [[[a.ndim - 1], [b.ndim - 1]], [[], []]]), isBool);
}

export function outer(x: ArrayInput, y: ArrayInput): NDArray {
  // A JS number stays a weak scalar (bool outer 2 is int32, as jnp.outer's multiply gives).
  const dt = commonDtype('np.outer', [x, y]);
  const col = typeof x === 'number' ? x : reshape(ravel(operand('np.outer', 0, x, dt)), [-1, 1]);
  const row = typeof y === 'number' ? y : reshape(ravel(operand('np.outer', 1, y, dt)), [1, -1]);
  // (sizes spelled out: a -1 beside an empty row, [-1, 0], has no answer)
  return reshape(multiply(col, row), [typeof x === 'number' ? 1 : (col as NDArray).size, typeof y === 'number' ? 1 : (row as NDArray).size]);
}

// ---------------------------------------------------------------- axes

/** An axis argument (undefined/null: all axes) as sorted, unique, non-negative axes of rank `ndim`. */
export function checkAxes(where: string, axis: Axis, ndim: number): number[] {
  if (axis === null || axis === undefined) return [...Array(ndim).keys()];
  return normalizeAxisList(where, typeof axis === 'number' ? [axis] : axis, ndim, true);
}

/** Each axis an integer in [-ndim, ndim), none repeated; `sorted` for sets of axes (not perms). */
function normalizeAxisList(where: string, axes: unknown, ndim: number, sorted = false): number[] {
  if (!Array.isArray(axes)) throw new AxisError(`${where}: axis must be an integer or a list of integers, got ${show(axes)}`);
  const out = axes.map((a) => {
    if (typeof a !== 'number' || !Number.isInteger(a)) throw new AxisError(`${where}: axis ${show(a)} is not an integer (array of rank ${ndim})`);
    if (a < -ndim || a >= ndim) throw new AxisError(`${where}: axis ${a} is out of bounds for an array of rank ${ndim}`);
    return a < 0 ? a + ndim : a;
  });
  if (new Set(out).size !== out.length) throw new AxisError(`${where}: repeated axis in [${axes}] (array of rank ${ndim})`);
  return sorted ? out.sort((p, q) => p - q) : out;
}

// ---------------------------------------------------------------- indexing

/** x[i] along the first axis; differentiable (a gather) for traced arrays. */
export function indexFirst(x: NDArray, i: number): NDArray {
  const n = x._shape[0];
  if (!Number.isInteger(i) || i < -n || i >= n) throw new ValueError(`index ${i} is out of bounds for axis 0 with size ${n}`);
  if (i < 0) i += n;
  const rest = x._shape.slice(1);
  if (!x.isTracer) {
    const v = x._values('index'), per = v.length / Math.max(1, n);
    return new NDArray(rest, x.dtype, v.slice(i * per, (i + 1) * per));
  }
  // A gather of row i: exact (a one-hot product would turn an inf or NaN in another row into NaN).
  const idx = new NDArray([1], 'int32', Int32Array.of(i));
  return lax.gather(x, idx, { offsetDims: rest.map((_, k) => k), collapsedSliceDims: [0], startIndexMap: [0] }, [1, ...rest]);
}
setIndexImpl(indexFirst);

registerShared({ operand, requireComputable, requireAxesRank, normalizeAxisList });

export * from './np_reductions.js';
export * from './np_contractions.js';
export { take, takeAlongAxis, index, AtIndex } from './np_indexing.js';
export { put, putAlongAxis, place } from './np_put.js';
export type { PutOptions } from './np_put.js';
export type { TakeMode, TakeOptions, Slice, IndexItem } from './np_indexing.js';
export * from './np_rearrange.js';
export { sort, argsort, searchsorted, partition, argpartition, lexsort } from './np_sorting.js';
export * from './np_elementwise.js';
export * from './np_activations.js';
export * from './np_stacking.js';
export * from './np_dtypes.js';
export * from './np_statistics.js';
export * from './np_numeric.js';
export * from './np_signal.js';
export * from './np_covariance.js';
export * from './np_sets.js';
export * from './np_polynomial.js';
export * from './np_dtype_info.js';
export * from './np_misc.js';
export {
  rot90, fliplr, flipud, logspace, geomspace, select, choose, nanargmax, nanargmin, nanmedian, isin, digitize, histogram,
  fillDiagonal, diagIndices, diagIndicesFrom, trilIndicesFrom, triuIndicesFrom, rollaxis, bitwiseInvert, bitwiseLeftShift, bitwiseRightShift,
} from './np_more.js';
export * from './np_windows.js';
export type { LogspaceOptions, GeomspaceOptions, ChooseMode, HistogramOptions } from './np_more.js';
export { nonzero, flatnonzero, argwhere, unique, bincount } from './np_data_dependent.js';
export { nextafter, frexp, ldexp, bitwiseCount } from './np_bits.js';
export type { NonzeroOptions, UniqueOptions, BincountOptions } from './np_data_dependent.js';

export const pi = Math.PI;
export const e = Math.E;
export const inf = Infinity;
export const nan = NaN;
