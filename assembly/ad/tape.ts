// The tape: a flat SSA program in linear memory, struct-of-arrays. A row's index is its SSA id.
// Per row: opcode, dtype, shape (ndim + offset into the shape pool), up to three operands,
// params (count + offset into the param pool), flags, and the data pointer of its value in
// the arena (0 while it has none). The same rows are what transforms read and append to and
// what the executor runs; a sub-tape (cond/while/scan, ROADMAP 5) will be a param pointing at
// another row range.
import { arenaAlloc, arenaReset } from '../arena';
import { itemsize } from '../dtype';

// Row flags.
export const HAS_VALUE: i32 = 1; // data pointer holds the row's value
export const LINEAR: i32 = 2; // depends on a linearization placeholder: a staged linear row

// Columns.
const C_OP = 0, C_DTYPE = 1, C_NDIM = 2, C_SHAPE = 3, C_A = 4, C_B = 5, C_C = 6,
  C_NPARAMS = 7, C_PARAMS = 8, C_FLAGS = 9, C_PTR = 10, C_SIZE = 11;
const NCOLS = 12;

let cols: usize = 0; // column j of row i at cols + (j * cap + i) * 4
let cap: i32 = 0;
let len: i32 = 0;

/** A growable i32 list in the arena (shapes and params of the rows). */
class I32Pool {
  ptr: usize = 0;
  len: i32 = 0;
  cap: i32 = 0;
  clear(): void { this.ptr = 0; this.len = 0; this.cap = 0; }
  /** Room for n more; returns the offset of the first, or -1 when out of memory. */
  reserve(n: i32): i32 {
    if (this.len + n > this.cap) {
      let ncap = this.cap == 0 ? 1024 : this.cap * 2;
      while (ncap < this.len + n) ncap *= 2;
      const np = arenaAlloc(<usize>ncap << 2);
      if (np == 0) return -1;
      if (this.len > 0) memory.copy(np, this.ptr, <usize>this.len << 2);
      this.ptr = np;
      this.cap = ncap;
    }
    const off = this.len;
    this.len += n;
    return off;
  }
  @inline at(off: i32): usize { return this.ptr + (<usize>off << 2); }
}
const shapes = new I32Pool();
const params = new I32Pool();

// Bumped on every reset: lets the TS layer recognize tracers from a finished trace.
let epoch: i32 = 0;

@inline function at(col: i32, row: i32): usize {
  return cols + ((<usize>col * <usize>cap + <usize>row) << 2);
}

/** Start an empty tape; every row, shape, param and value of the last one is forgotten. */
export function tapeReset(): void {
  arenaReset();
  cols = 0; cap = 0; len = 0;
  shapes.clear();
  params.clear();
  epoch++;
}

export function tapeLen(): i32 { return len; }
export function tapeEpoch(): i32 { return epoch; }

function growRows(): bool {
  const ncap = cap == 0 ? 256 : cap * 2;
  const ncols = arenaAlloc(<usize>NCOLS * <usize>ncap * 4);
  if (ncols == 0) return false;
  for (let j = 0; j < NCOLS; j++) {
    memory.copy(ncols + (<usize>j * <usize>ncap << 2), cols + (<usize>j * <usize>cap << 2), <usize>len << 2);
  }
  cols = ncols; cap = ncap;
  return true;
}

/** Room for `n` more i32s in the shape pool; returns the offset of the first, or -1. */
export function shapeReserve(n: i32): i32 { return shapes.reserve(n); }
export function paramReserve(n: i32): i32 { return params.reserve(n); }

@inline export function shapeAt(off: i32): usize { return shapes.at(off); }
@inline export function paramAt(off: i32): usize { return params.at(off); }

/** Append a row skeleton (no shape yet); returns its id or -1 when out of memory. */
export function pushRow(op: i32, a: i32, b: i32, c: i32, nparams: i32, paramsOff: i32): i32 {
  if (len == cap && !growRows()) return -1;
  const r = len++;
  store<i32>(at(C_OP, r), op);
  store<i32>(at(C_DTYPE, r), 0);
  store<i32>(at(C_NDIM, r), 0);
  store<i32>(at(C_SHAPE, r), 0);
  store<i32>(at(C_A, r), a);
  store<i32>(at(C_B, r), b);
  store<i32>(at(C_C, r), c);
  store<i32>(at(C_NPARAMS, r), nparams);
  store<i32>(at(C_PARAMS, r), paramsOff);
  store<i32>(at(C_FLAGS, r), 0);
  store<i32>(at(C_PTR, r), 0);
  store<i32>(at(C_SIZE, r), 0);
  return r;
}

/** Drop the last row (a failed emit). */
export function popRow(): void { if (len > 0) len--; }

// Accessors.
@inline export function rowOp(r: i32): i32 { return load<i32>(at(C_OP, r)); }
@inline export function rowDtype(r: i32): i32 { return load<i32>(at(C_DTYPE, r)); }
@inline export function rowNdim(r: i32): i32 { return load<i32>(at(C_NDIM, r)); }
@inline export function rowShapeOff(r: i32): i32 { return load<i32>(at(C_SHAPE, r)); }
@inline export function rowShapePtr(r: i32): usize { return shapeAt(rowShapeOff(r)); }
@inline export function rowDim(r: i32, i: i32): i32 { return load<i32>(rowShapePtr(r) + (<usize>i << 2)); }
@inline export function rowA(r: i32): i32 { return load<i32>(at(C_A, r)); }
@inline export function rowB(r: i32): i32 { return load<i32>(at(C_B, r)); }
@inline export function rowC(r: i32): i32 { return load<i32>(at(C_C, r)); }
@inline export function rowNparams(r: i32): i32 { return load<i32>(at(C_NPARAMS, r)); }
@inline export function rowParamsOff(r: i32): i32 { return load<i32>(at(C_PARAMS, r)); }
@inline export function rowParam(r: i32, i: i32): i32 { return load<i32>(paramAt(rowParamsOff(r)) + (<usize>i << 2)); }
@inline export function rowFlags(r: i32): i32 { return load<i32>(at(C_FLAGS, r)); }
@inline export function rowPtr(r: i32): usize { return <usize>load<u32>(at(C_PTR, r)); }
@inline export function rowSize(r: i32): i32 { return load<i32>(at(C_SIZE, r)); }
@inline export function rowBytes(r: i32): usize { return <usize>rowSize(r) * <usize>itemsize(rowDtype(r)); }
@inline export function isLinear(r: i32): bool { return (rowFlags(r) & LINEAR) != 0; }
@inline export function hasValue(r: i32): bool { return (rowFlags(r) & HAS_VALUE) != 0; }

/** Operand i (0..2) of row r, or -1. */
@inline export function rowOperand(r: i32, i: i32): i32 { return load<i32>(at(C_A + i, r)); }

export function setDtype(r: i32, dtype: i32): void { store<i32>(at(C_DTYPE, r), dtype); }
export function setFlags(r: i32, flags: i32): void { store<i32>(at(C_FLAGS, r), flags); }
export function setPtr(r: i32, ptr: usize): void { store<u32>(at(C_PTR, r), <u32>ptr); }

/** Give row r the shape stored at pool offset `off` with `ndim` axes (shared, not copied). */
export function setShape(r: i32, ndim: i32, off: i32): void {
  store<i32>(at(C_NDIM, r), ndim);
  store<i32>(at(C_SHAPE, r), off);
  // Sizes are i32: saturate so that emit's size check sees an oversized shape, not a wrapped one.
  let size: i64 = 1;
  const p = shapeAt(off);
  for (let i = 0; i < ndim; i++) size = min<i64>(size * <i64>load<i32>(p + (<usize>i << 2)), i32.MAX_VALUE);
  store<i32>(at(C_SIZE, r), <i32>size);
}

/** Same shape as row `src`. */
export function shareShape(r: i32, src: i32): void {
  store<i32>(at(C_NDIM, r), rowNdim(src));
  store<i32>(at(C_SHAPE, r), rowShapeOff(src));
  store<i32>(at(C_SIZE, r), rowSize(src));
}

export function tapeValid(r: i32): bool { return r >= 0 && r < len; }
