// Building concrete Arrays from JS data: nested lists (rectangular, or a ShapeError), typed
// arrays (by a fixed rule per element type), shapes (non-negative integers), and the storing of
// JS values into a dtype (numbers become bools by truthiness: nonzero, NaN included, is true).
// Every element of a new buffer is written here, so no kernel ever reads memory nobody wrote.
import { NDArray, Complex, isComplexLiteral } from './array.js';
import { DType, TypedArray, allocTyped, allocTypedForCopy, itemsize } from '../core/dtype.js';
import { DTypeError, OutOfMemoryError, ShapeError, ValueError } from '../core/errors.js';
import { show } from './options.js';
import { requireFinite } from './arity.js';
import * as resident from '../core/resident.js';
import * as scopes from '../core/scopes.js';
import { inTrace } from '../core/trace.js';
import { memU8 } from '../core/abi.js';

/** numpy's and JAX's number-to-bool rule: nonzero is true, NaN included. */
export function truthy(v: number | boolean): boolean {
  return typeof v === 'boolean' ? v : v !== 0;
}

/** Store `values[i]` into `buf[i]` as dtype d (bool by truthiness, floats by rounding). */
export function storeValues(buf: TypedArray, d: DType, values: ArrayLike<number | boolean | Complex>, where = ''): void {
  if (values instanceof Float64Array && d !== 'complex64' && d !== 'complex128' && d !== 'bool') {
    // (numbers only: arange, linspace, eye: one bulk set instead of generic per-element loops, ~30x faster)
    if (d === 'int32' || d === 'uint32') for (let i = 0; i < values.length; i++) checkIntValue(d, values[i], where);
    if (d === 'int32' || d === 'uint32') for (let i = 0; i < values.length; i++) buf[i] = values[i]; // (truncation, as Number() stores)
    else buf.set(values);
    return;
  }
  const complexIn = Array.prototype.some.call(values, (v: unknown) => typeof v === 'object');
  if (d === 'complex64' || d === 'complex128') {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v === 'object') { buf[2 * i] = v.re; buf[2 * i + 1] = v.im; } else { buf[2 * i] = Number(v); buf[2 * i + 1] = 0; }
    }
  } else if (complexIn) {
    throw new DTypeError(`${where ? `${where}: ` : ''}cannot store complex values in a ${d} array (JAX refuses it too); use np.real or np.abs first, or a complex dtype`);
  } else if (d === 'bool') for (let i = 0; i < values.length; i++) buf[i] = truthy(values[i] as number | boolean) ? 1 : 0;
  else {
    if (d === 'int32' || d === 'uint32') for (let i = 0; i < values.length; i++) checkIntValue(d, Number(values[i] as number), where);
    for (let i = 0; i < values.length; i++) buf[i] = Number(values[i] as number);
  }
}

const INT_BOUNDS: Record<string, [number, number]> = { int32: [-(2 ** 31), 2 ** 31 - 1], uint32: [0, 2 ** 32 - 1] };

/** A JS value stored into an int32/uint32 array: truncated toward zero, but NaN, infinities and
 *  values out of range are a ValueError (JAX raises OverflowError), never a silent wrap. */
export function checkIntValue(d: DType, v: number, where = ''): void {
  const [lo, hi] = INT_BOUNDS[d];
  const t = Math.trunc(v);
  if (!(t >= lo && t <= hi)) throw new ValueError(`${where ? `${where}: ` : ''}cannot store ${v} in ${d} (range [${lo}, ${hi}]); JAX raises OverflowError`);
}

/** A JS number or boolean as a 0-d Array of dtype d. */
export function scalar(v: number | boolean | Complex, d: DType, where = ''): NDArray {
  const b = allocTyped(d, 1);
  storeValues(b, d, [v], where);
  return new NDArray([], d, b);
}

/** Elements this build can address in one array (1 GiB of float64 is 2^27; keep numpy's check loose). */
const MAX_ELEMENTS = 2 ** 30;
/** The longest axis: the wasm side keeps dimensions as int32. */
export const MAX_DIM = 2 ** 31 - 1;

/** A shape argument as a fresh number[]: a number n means [n]; entries are non-negative integers. */
/** One array's largest size: TLSF's largest block, 1 GiB less its 16-byte header. */
export const MAX_ARRAY_BYTES = 2 ** 30 - 16;

/**
 * `shape` checked as checkShape does, and, given a dtype, its bytes against MAX_ARRAY_BYTES: an
 * OutOfMemoryError at creation (np.ones([2 ** 28]) made 3.4 GB of JS memory in 0.5 s, refused only
 * by the first op).
 */
export function checkShape(where: string, shape: unknown, what = 'shape', dtype?: DType): number[] {
  const s = typeof shape === 'number' ? [shape] : shape;
  if (!Array.isArray(s)) throw new ShapeError(`${where}: ${what} must be a list of non-negative integers, got ${show(shape)}`);
  let n = 1;
  for (const d of s) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      // (entries shown as they are: a string '3' or a bigint 3n printed as 3, which looked valid;
      // a list 5000 deep or containing itself is named as such, as it was when printing it overflowed)
      if (typeof d === 'object' && d !== null) requireFinite(where, what, shape);
      throw new ShapeError(`${where}: invalid ${what} ${show(s)}: every entry must be a non-negative integer, got ${show(d)}`);
    }
    // (wasm keeps dimensions as int32: a larger one, even beside a 0, would wrap)
    if (d > MAX_DIM) throw new ShapeError(`${where}: ${what} [${s}] has an axis of ${d}; axes are at most 2^31 - 1 long`);
    n *= d;
  }
  // (an OutOfMemoryError, as every other size past the limits: a ShapeError here was missed by code catching that one)
  if (n > MAX_ELEMENTS) throw new OutOfMemoryError(`${where}: shape [${s}] has ${n} elements, more than this wasm32 build holds`);
  if (dtype !== undefined && n * itemsize(dtype) > MAX_ARRAY_BYTES) {
    throw new OutOfMemoryError(`${where}: ${dtype}[${s}] needs ${(n * itemsize(dtype) / 2 ** 30).toFixed(2)} GiB; one array holds at most 1 GiB - 16 bytes`);
  }
  return s.slice() as number[];
}

export function filled(where: string, shape: unknown, value: number | boolean | Complex, d: DType = 'float32'): NDArray {
  const s = checkShape(where, shape, 'shape', d);
  const n = s.reduce((a, b) => a * b, 1);
  const b = allocTyped(d, n);
  if (isComplexLiteral(value)) {
    if (d !== 'complex64' && d !== 'complex128') throw new DTypeError(`${where}: a complex fill for a ${d} array`);
    for (let i = 0; i < n; i++) { b[2 * i] = value.re; b[2 * i + 1] = value.im; }
    return new NDArray(s, d, b);
  }
  const v = d === 'bool' ? (truthy(value) ? 1 : 0) : Number(value);
  if (d === 'int32' || d === 'uint32') checkIntValue(d, v, where);
  if (d === 'complex64' || d === 'complex128') { for (let i = 0; i < n; i++) b[2 * i] = v; } // v + 0i
  else if (!Object.is(v, 0)) b.fill(v); // (-0 is filled: 1 / np.full(3, -0) is -inf, as under jit)
  return new NDArray(s, d, b);
}

export interface Parsed { shape: number[]; flat: (number | boolean | Complex)[]; allBool: boolean; anyComplex: boolean }

/**
 * A nested JS list as a shape and its values in row-major order. Rectangular or a ShapeError:
 * every leaf must sit at the same depth, and every list at one depth must have one length
 * (np.array stacks a list holding Arrays itself: none reach here).
 */
export function parseNested(where: string, data: unknown): Parsed {
  const shape: number[] = [];
  const flat: (number | boolean | Complex)[] = [];
  let allBool = true, anyComplex = false;
  let leafDepth = -1;
  const ragged = (detail: string): ShapeError => new ShapeError(`${where}: ragged nested list (${detail}); ` +
    'every row must have the same length and depth');
  const walk = (x: unknown, axis: number): void => {
    if (Array.isArray(x)) {
      if (axis >= 1000) throw new ShapeError(`${where}: lists nested more than 1000 deep (a cycle, or a rank no Array has)`);
      if (leafDepth >= 0 && axis >= leafDepth) throw ragged(`a list at depth ${axis}, where an element at depth ${leafDepth} was a number`);
      if (axis === shape.length) shape.push(x.length);
      else if (shape[axis] !== x.length) throw ragged(`length ${x.length} at axis ${axis}, expected ${shape[axis]}`);
      for (const e of x) walk(e, axis + 1);
      return;
    }
    if (leafDepth < 0) leafDepth = axis;
    if (axis !== leafDepth) throw ragged(`numbers at depths ${leafDepth} and ${axis}`);
    if (axis !== shape.length) throw ragged(`a number at depth ${axis}, where an element at that depth was a list`);
    if (typeof x === 'boolean') { flat.push(x); return; }
    if (isComplexLiteral(x)) { flat.push({ re: x.re, im: x.im }); allBool = false; anyComplex = true; return; }
    if (typeof x !== 'number') throw new DTypeError(`${where}: unsupported element ${show(x)} (${typeof x}); elements must be numbers, booleans, { re, im } or Arrays`);
    allBool = false;
    flat.push(x);
  };
  walk(data, 0);
  if (leafDepth >= 0 && leafDepth !== shape.length) throw ragged(`numbers at depth ${leafDepth} but lists down to depth ${shape.length}`);
  return { shape, flat, allBool, anyComplex };
}

/**
 * Typed arrays: Float32Array -> float32, Float64Array -> float64, Int32Array -> int32,
 * Uint32Array -> uint32, Uint8Array -> bool when every value is 0 or 1. Every other element type
 * (Int16Array, a Uint8Array with other values, ...) needs an explicit dtype; BigInt arrays,
 * Float16Array and DataView are refused. A complex dtype: integer and bool element types are real
 * values, float ones interleaved re, im pairs that a shape must confirm (see below).
 */
export function fromTyped(where: string, data: ArrayBufferView, dtype: DType | undefined, shape: unknown): NDArray {
  const kind = Object.prototype.toString.call(data).slice(8, -1);
  const numeric = ['Float32Array', 'Float64Array', 'Uint8Array', 'Uint8ClampedArray', 'Int8Array',
    'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array'];
  if (!numeric.includes(kind)) {
    throw new DTypeError(`${where}: ${article(kind)} ${kind} is not supported; pass a Float32Array, a Float64Array, a Uint8Array of 0/1 ` +
      '(bool), or a plain JS array');
  }
  // (a view of a transferred buffer reads as 0 values, and copying it threw a JS TypeError: 'Cannot
  // perform %TypedArray%.prototype.set on a detached ArrayBuffer')
  if (isDetached(data.buffer)) {
    throw new ValueError(`${where}: ${article(kind)} ${kind} whose ArrayBuffer was detached (transferred with postMessage or structuredClone): ` +
      'its values are gone; copy it (data.slice()) before transferring the buffer');
  }
  const values = data as unknown as TypedArray;
  const d = dtype ?? inferTypedDtype(where, kind, values);
  const complex = d === 'complex64' || d === 'complex128';
  // A complex dtype reads a Float32Array or Float64Array as interleaved re, im pairs (the layout
  // dataSync gives), which `shape` (in complex elements) must say; numpy reads the same call as
  // real values, so without a shape the meaning is ambiguous: refused, never guessed. Any other
  // element type holds real values, as numpy reads them (imaginary parts 0): an Int32Array of n
  // values was read as n / 2 pairs.
  const pairs = complex && (kind === 'Float32Array' || kind === 'Float64Array');
  if (pairs && shape === undefined && values.length > 0) {
    const asReal = `for real values, convert: np.astype(np.array(data), '${d}')`;
    throw new ValueError(`${where}: ${article(kind)} ${kind} with dtype ${d} needs a shape: numpy reads its ${values.length} values as ` +
      'real numbers, np.array reads a float typed array as interleaved re, im pairs (as dataSync gives them) for a complex dtype; ' +
      (values.length % 2 === 1 ? `${values.length} values cannot be pairs, so ${asReal}`
        : `give the shape in complex elements for pairs ({ dtype: '${d}', shape: [${values.length / 2}] }), or ${asReal}`));
  }
  const per = pairs ? 2 : 1;
  const s = shape === undefined ? [values.length] : checkShape(where, shape);
  const n = s.reduce((a, b) => a * b, 1);
  if (n * per !== values.length) {
    const real = pairs && n === values.length ? ` (as interleaved re, im pairs for ${d}: ${2 * n} values; for ${n} real values, np.astype(np.array(data, { shape: [${s}] }), '${d}'))` : '';
    throw new ShapeError(`${where}: ${values.length} values of ${article(kind)} ${kind} do not fill shape [${s}] of ${d}${real}`);
  }
  // Float destinations (and same-kind integer ones) take the values as they are: one bulk copy,
  // not a JS loop per element (a 1M-element array is 8x faster); real values into a complex
  // dtype go through storeValues (imaginary parts 0).
  const sameInt = (d === 'int32' && kind === 'Int32Array') || (d === 'uint32' && kind === 'Uint32Array');
  const bulk = d === 'float32' || d === 'float64' || pairs || sameInt;
  // (bytes as they are: only where the source's element type is the dtype's, else a converting copy)
  if (scopes.open.length !== 0 && !inTrace() && SAME_ELEMENTS[d] === kind) {
    const a = intoBlock(s, d, values);
    if (a !== null) return a;
  }
  const buf = bulk ? allocTypedForCopy(d, n) : allocTyped(d, n);
  if (bulk) buf.set(values); else storeValues(buf, d, values, where);
  return new NDArray(s, d, buf);
}

/** The typed array whose elements are a dtype's storage, element for element (complex: interleaved parts). */
const SAME_ELEMENTS: Partial<Record<DType, string>> = {
  float32: 'Float32Array', float64: 'Float64Array', int32: 'Int32Array', uint32: 'Uint32Array',
  complex64: 'Float32Array', complex128: 'Float64Array',
};

/**
 * Inside a tidy(): a large typed array is copied straight into a wasm block, which its Array owns
 * (it most likely dies when the tidy ends, freed without a copy back). Null: small, or no memory.
 */
function intoBlock(s: number[], d: DType, values: TypedArray): NDArray | null {
  const bytes = values.byteLength;
  if (!resident.wantsResident(bytes)) return null;
  const ptr = resident.allocBlock(bytes);
  if (ptr === 0) return null;
  memU8().set(new Uint8Array(values.buffer, values.byteOffset, bytes), ptr);
  return NDArray.resident(s, d, ptr, bytes);
}

/** Whether an ArrayBuffer was transferred away (ArrayBuffer.prototype.detached, or a view of it refused where that getter is missing). */
function isDetached(buf: ArrayBufferLike): boolean {
  const d = (buf as { detached?: unknown }).detached;
  if (typeof d === 'boolean') return d;
  if (buf.byteLength !== 0 || typeof SharedArrayBuffer !== 'undefined' && buf instanceof SharedArrayBuffer) return false;
  try { new Uint8Array(buf as ArrayBuffer); return false; } catch { return true; }
}

const article = (word: string): string => (/^[AEIOU]/.test(word) ? 'an' : 'a');

function inferTypedDtype(where: string, kind: string, values: TypedArray): DType {
  if (kind === 'Float32Array') return 'float32';
  if (kind === 'Float64Array') return 'float64';
  if (kind === 'Int32Array') return 'int32';
  if (kind === 'Uint32Array') return 'uint32';
  if (kind === 'Uint8Array' && values.every((v) => v === 0 || v === 1)) return 'bool';
  // (a Uint8ClampedArray was said to be int8/int16/uint16: its values are uint8, as numpy reads it, not a cotangent dtype)
  const why = kind === 'Uint8Array' ? 'a Uint8Array becomes bool only when every value is 0 or 1'
    : kind === 'Uint8ClampedArray' ? 'its values are uint8, not a cotangent dtype; only a Uint8Array of 0/1 reads as bool'
      : `int8/int16/uint16 are not cotangent dtypes`;
  throw new DTypeError(`${where}: ${article(kind)} ${kind} needs an explicit dtype (${why}); pass { dtype: 'float32' } or ` +
    `{ dtype: 'float64' } (or 'int32') to convert its values, or { dtype: 'bool' } for nonzero = true`);
}
