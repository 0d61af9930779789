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

/** Dtypes the kernels of this release compute with. */
export function isComputable(d: DType): boolean { return d === 'float32' || d === 'float64' || d === 'bool'; }

const FLOAT_RANK: Record<string, number> = { bool: 0, float32: 1, float64: 2 };

/**
 * Result dtype of an arithmetic op (JAX's lattice, restricted to bool < float32 < float64).
 * `null` marks a weakly typed JS number. bool alone promotes to float32 for arithmetic.
 */
export function promoteArith(dtypes: (DType | null)[]): DType {
  let best: DType | null = null;
  for (const d of dtypes) {
    if (d === null) continue;
    if (best === null || FLOAT_RANK[d] > FLOAT_RANK[best]) best = d;
  }
  if (best === null || best === 'bool') return 'float32';
  return best;
}

/** Common dtype for comparisons and select branches (bool stays bool when all are bool). */
export function promoteAny(dtypes: (DType | null)[]): DType {
  const strong = dtypes.filter((d): d is DType => d !== null);
  if (strong.length > 0 && strong.every((d) => d === 'bool') && strong.length === dtypes.length) return 'bool';
  return promoteArith(dtypes);
}
