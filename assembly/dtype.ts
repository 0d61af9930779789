// Element types. The numbering is part of the wasm ABI (ts/core/dtype.ts mirrors it).
// Complex dtypes are reserved now (ROADMAP step 4): kernels will see interleaved re/im.
export const F32: i32 = 0;
export const F64: i32 = 1;
export const BOOL: i32 = 2; // one byte per element, 0 or 1
export const I32: i32 = 3;
export const U32: i32 = 4;
export const C64: i32 = 5;
export const C128: i32 = 6;
export const NUM_DTYPES: i32 = 7;

/** Bytes per element. */
export function itemsize(dtype: i32): i32 {
  switch (dtype) {
    case F32: case I32: case U32: return 4;
    case F64: case C64: return 8;
    case BOOL: return 1;
    case C128: return 16;
    default: return 0;
  }
}

export function isFloat(dtype: i32): bool { return dtype == F32 || dtype == F64; }
