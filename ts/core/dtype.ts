// Dtypes: names, wasm numbering (assembly/dtype.ts), typed-array storage, and JAX's promotion
// with weakly typed JS numbers (a JS number takes the dtype of the array it meets).
export type DType = 'float32' | 'float64' | 'complex64' | 'complex128' | 'int32' | 'uint32' | 'bool';
export const DTYPES: readonly DType[] = ['float32', 'float64', 'bool', 'int32', 'uint32', 'complex64', 'complex128'];

/** The wasm's numbering of each dtype. */
export const DTYPE_CODE: Record<DType, number> = {
  float32: 0, float64: 1, bool: 2, int32: 3, uint32: 4, complex64: 5, complex128: 6,
};
export const DTYPE_OF_CODE: DType[] = ['float32', 'float64', 'bool', 'int32', 'uint32', 'complex64', 'complex128'];

export type TypedArray = Float32Array | Float64Array | Uint8Array | Int32Array | Uint32Array;

export function itemsize(d: DType): number {
  switch (d) {
    case 'bool': return 1;
    case 'float64': case 'complex64': return 8;
    case 'complex128': return 16;
    default: return 4;
  }
}

/** Storage for n elements of d (complex: interleaved re, im). */
export function allocTyped(d: DType, n: number): TypedArray {
  switch (d) {
    case 'float32': return new Float32Array(n);
    case 'float64': return new Float64Array(n);
    case 'bool': return new Uint8Array(n);
    case 'int32': return new Int32Array(n);
    case 'uint32': return new Uint32Array(n);
    case 'complex64': return new Float32Array(2 * n);
    case 'complex128': return new Float64Array(2 * n);
  }
}

// Node's Buffer.allocUnsafeSlow: memory that is not zeroed first (Deno and browsers have no such
// call, and get a zeroed typed array). A copy's destination is overwritten at once, so zeroing it
// only costs: on a 4 MiB buffer, zeroing and the page faults of fresh memory took twice as long as
// the copy itself (0.92 ms against 0.46 ms for `new Float32Array(1M)` + set, Node 20).
const unsafeBytes: ((n: number) => Uint8Array) | null = (() => {
  const B = (globalThis as { Buffer?: { allocUnsafeSlow?: (n: number) => Uint8Array } }).Buffer;
  return typeof B?.allocUnsafeSlow === 'function' ? (n: number) => B.allocUnsafeSlow!(n) : null;
})();
/** Below this many bytes a zeroed typed array costs no more (and small buffers stay plain). */
const UNSAFE_MIN_BYTES = 32 * 1024;

/** A copy of `src` as a fresh typed array of its kind (its values, not its ArrayBuffer's other bytes). */
export function copyTyped<T extends TypedArray>(src: T): T {
  if (unsafeBytes === null || src.byteLength < UNSAFE_MIN_BYTES) return src.slice() as T;
  const u8 = unsafeBytes(src.byteLength);
  const out = new (src.constructor as new (b: ArrayBufferLike, o: number, n: number) => T)(u8.buffer, u8.byteOffset, src.length);
  out.set(src as any);
  return out;
}

/** Storage for n elements of d that the caller overwrites entirely at once (not zeroed where that is cheaper). */
export function allocTypedForCopy(d: DType, n: number): TypedArray {
  const bytes = n * itemsize(d);
  if (unsafeBytes === null || bytes < UNSAFE_MIN_BYTES) return allocTyped(d, n);
  const u8 = unsafeBytes(bytes);
  return viewTyped(d, u8.buffer as ArrayBuffer, u8.byteOffset, n);
}

/** A typed-array view of `n` elements of d at byte offset `ptr` of `buf`. */
export function viewTyped(d: DType, buf: ArrayBuffer, ptr: number, n: number): TypedArray {
  switch (d) {
    case 'float32': return new Float32Array(buf, ptr, n);
    case 'float64': return new Float64Array(buf, ptr, n);
    case 'bool': return new Uint8Array(buf, ptr, n);
    case 'int32': return new Int32Array(buf, ptr, n);
    case 'uint32': return new Uint32Array(buf, ptr, n);
    case 'complex64': return new Float32Array(buf, ptr, 2 * n);
    case 'complex128': return new Float64Array(buf, ptr, 2 * n);
  }
}

export function isFloating(d: DType): boolean { return d === 'float32' || d === 'float64'; }
export function isComplex(d: DType): boolean { return d === 'complex64' || d === 'complex128'; }
export function isDType(x: unknown): x is DType { return typeof x === 'string' && (DTYPES as string[]).includes(x); }

/** Dtypes the kernels of this release compute with (each primitive still checks its own). */
export function isComputable(_d: DType): boolean { return true; }
/** float32 <-> complex64, float64 <-> complex128. */
export function complexOf(d: DType): DType { return d === 'float64' || d === 'complex128' ? 'complex128' : 'complex64'; }
export function realOf(d: DType): DType { return d === 'complex128' ? 'float64' : d === 'complex64' ? 'float32' : d; }
/** Floats and complex: the dtypes that have derivatives. */
export function isInexact(d: DType): boolean { return isFloating(d) || isComplex(d); }
export function isInteger(d: DType): boolean { return d === 'int32' || d === 'uint32'; }

/**
 * A JS number's weak type: an integral value is a weak int, any other a weak float (JS cannot
 * tell 2 from 2.0, so the value decides). `null` is kept as "weak float" for older callers.
 */
export type Weak = 'weak_int' | 'weak_float' | 'weak_complex';
export type Promotable = DType | Weak | null;
export const weakOf = (v: number): Weak => (Number.isInteger(v) ? 'weak_int' : 'weak_float');

const KIND: Record<string, number> = { bool: 0, int32: 1, uint32: 1, float32: 2, float64: 2, complex64: 3, complex128: 3 };
const WIDE: Record<string, boolean> = { float64: true, complex128: true };

/**
 * JAX's lattice without 64-bit integers: bool < int32, uint32 < float32 < float64; int32 and
 * uint32 join to int32 (JAX's int64, canonicalized to int32 when x64 is off). A weak int takes
 * the dtype of any array it meets (int32 with a bool); a weak float takes a float array's dtype
 * and turns bool and integer arrays into float32. Only weak operands: float32 (JS numbers
 * default to float32). The result may be bool (logical ops keep it).
 */
export function joinDtypes(dtypes: Promotable[]): DType {
  let best: DType | null = null;
  let weakInt = false, weakFloat = false, weakComplex = false, wide = false;
  for (const d of dtypes) {
    if (d === 'weak_int') { weakInt = true; continue; }
    if (d === 'weak_complex') { weakComplex = true; continue; }
    if (d === null || d === 'weak_float') { weakFloat = true; continue; }
    if (WIDE[d]) wide = true;
    if (best === null) { best = d; continue; }
    if (best === d) continue;
    const kb: number = KIND[best], kd: number = KIND[d];
    if (kb !== kd) best = kb > kd ? best : d;
    else if (kb === 1) best = 'int32';             // int32 with uint32
    else if (kb === 2) best = 'float64';           // float32 with float64
  }
  // Complex: the precision of the widest float or complex met (float64 + complex64 = complex128);
  // a weak complex (a JS { re, im }) turns anything else into complex64.
  if ((best !== null && KIND[best] === 3) || weakComplex) return wide ? 'complex128' : 'complex64';
  if (best === null) return 'float32';
  if (weakFloat && KIND[best] < 2) return 'float32';
  if (weakInt && best === 'bool') return 'int32';
  return best;
}

/** Result dtype of an arithmetic op: the join, with bool alone going to float32 (a JAX
 *  arithmetic op on bools is refused or logical; callers handle those first). */
export function promoteArith(dtypes: Promotable[]): DType {
  const d = joinDtypes(dtypes);
  return d === 'bool' ? 'float32' : d;
}

/** Result dtype of a function defined on floats and complex (divide, exp, ...): the join, made inexact. */
export function promoteFloat(dtypes: Promotable[]): DType {
  const d = joinDtypes(dtypes);
  return isInexact(d) ? d : 'float32';
}

/** Common dtype for comparisons, select branches and logical ops (bool stays bool). */
export function promoteAny(dtypes: Promotable[]): DType {
  return joinDtypes(dtypes);
}
