// Tapes: flat SSA programs in linear memory, struct-of-arrays. A row's index is its SSA id.
// Per row: opcode, dtype, shape (ndim + offset into the shape pool), operands (count + offset into
// the operand pool), params (count + offset into the param pool), flags, the data pointer of its
// value, its element count, and its number of outputs (a row with several outputs is followed by
// one PROJ row per output, which carries that output's dtype, shape and value).
//
// A tape is a value: `Tape.create()` makes a growable tape with its own arena (the eager trace
// is one; jit and sub-tapes will be others), `freeze.ts` extracts a compact read-only tape from
// part of one (a pullback's linear program). Rules, emission, the executor and the transforms
// work on the *current* tape (`select`), so switching tapes is one pointer store.
import { Arena } from '../arena';
import { itemsize } from '../dtype';
import { E_BAD_ROW, setError } from '../errors';

// Row flags.
export const HAS_VALUE: i32 = 1; // data pointer holds the row's value
export const LINEAR: i32 = 2; // depends on a linearization placeholder: a staged linear row
export const PINNED: i32 = 4; // scratch mark of the transpose's release pass
// A batched view (vmap): the row is what the function sees, per example, at one vmap level; it
// has no value of its own. Its implementation row (C_IMPL) holds the whole batch, with the
// batch dimension at C_BATCH's low byte (vmap.ts).
export const VIEW: i32 = 16;
// The row's buffer is a heap block the host owns, not arena memory: a resident Array's block
// bound as a CONST without a copy, or an eager top-level result written straight into a block
// the host adopts (execute.ts). No pass releases it to the arena; only its kernel writes it.
export const HOST_BUFFER: i32 = 32;
// A HOST_BUFFER output whose block execute() allocated (not a borrowed or donated one): what
// `release_results` frees when the call that made it failed. (A jitted call out of memory at its
// 15th 256 MB output lost the 14 blocks before for good: no Array had adopted them.)
export const OWNED_BLOCK: i32 = 64;

/** Free the OWNED_BLOCK buffers of rows [start, len) (their values are gone: flags cleared). */
export function releaseResults(start: i32): void {
  for (let r = max(start, 0); r < cur.len; r++) {
    if ((rowFlags(r) & OWNED_BLOCK) != 0) { heap.free(rowPtr(r)); setFlags(r, 0); }
  }
}
// Bits 8 and up: how many slots of the running transpose's cotangent map hold the row.
const HELD_SHIFT = 8;

// Columns.
const C_OP = 0, C_DTYPE = 1, C_NDIM = 2, C_SHAPE = 3, C_NOPS = 4, C_OPS = 5,
  C_NPARAMS = 6, C_PARAMS = 7, C_FLAGS = 8, C_PTR = 9, C_SIZE = 10, C_NOUT = 11, C_IMPL = 12, C_BATCH = 13;
export const NCOLS = 14;

@unmanaged export class Tape {
  cols: usize = 0; // column j of row i at cols + (j * cap + i) * 4
  cap: i32 = 0;
  len: i32 = 0;
  shp: usize = 0; shpLen: i32 = 0; shpCap: i32 = 0; // shape pool (i32s)
  prm: usize = 0; prmLen: i32 = 0; prmCap: i32 = 0; // param pool (i32s)
  opd: usize = 0; opdLen: i32 = 0; opdCap: i32 = 0; // operand pool (i32 row ids)
  arena: usize = 0; // Arena of a growable tape; 0 for a frozen one
  eager: i32 = 1; // run rows as they are emitted (define-by-run)
  epoch: i32 = 0; // bumped on every reset: tells the host which tracers are stale
  // A frozen tape (freeze.ts): one heap block holding everything, its inputs and outputs.
  block: usize = 0; blockBytes: usize = 0;
  nIn: i32 = 0; ins: usize = 0; nOut: i32 = 0; outs: usize = 0;

  /** A new growable tape with its own arena (frozen tapes are made by freeze.ts). */
  static create(): Tape {
    const t = changetype<Tape>(heap.alloc(offsetof<Tape>()));
    memory.fill(changetype<usize>(t), 0, offsetof<Tape>());
    t.arena = changetype<usize>(Arena.create());
    t.eager = 1;
    t.epoch = ++epochs;
    return t;
  }

  destroy(): void {
    // A frozen tape's header lives inside its block (freeze.ts): freeing the block frees both.
    if (this.block != 0) { heap.free(this.block); return; }
    if (this.arena != 0) changetype<Arena>(this.arena).destroy();
    heap.free(changetype<usize>(this));
  }
}

let epochs: i32 = 0;
let cur: Tape = Tape.create();

/** The tape rows are emitted into and read from. */
export function current(): Tape { return cur; }
export function select(t: Tape): void { cur = t; }
@inline export function curArena(): Arena { return changetype<Arena>(cur.arena); }

/**
 * 16-byte aligned bytes from the current tape's arena, or 0 (E_OOM set). A frozen tape has no
 * arena: allocating with one selected is a pass's bug, refused (E_BAD_ROW) rather than run on an
 * Arena at address 0, whose fields are the static data there (a later call then read garbage).
 */
export function arenaAlloc(bytes: usize, fresh: bool = false): usize {
  if (cur.arena == 0) { setError(E_BAD_ROW); return 0; }
  return curArena().alloc(bytes, fresh);
}

/** Start the current (growable) tape empty; every row, pool and value of it is forgotten. */
export function tapeReset(): void {
  curArena().reset();
  cur.cols = 0; cur.cap = 0; cur.len = 0;
  cur.shp = 0; cur.shpLen = 0; cur.shpCap = 0;
  cur.prm = 0; cur.prmLen = 0; cur.prmCap = 0;
  cur.opd = 0; cur.opdLen = 0; cur.opdCap = 0;
  cur.epoch = ++epochs;
}

export function tapeLen(): i32 { return cur.len; }
export function tapeEpoch(): i32 { return cur.epoch; }
export function isEager(): bool { return cur.eager != 0; }
export function setEager(on: bool): void { cur.eager = on ? 1 : 0; }

function growRows(): bool {
  const t = cur;
  const ncap = t.cap == 0 ? 256 : t.cap * 2;
  const ncols = arenaAlloc(<usize>NCOLS * <usize>ncap * 4);
  if (ncols == 0) return false;
  for (let j = 0; j < NCOLS; j++) {
    memory.copy(ncols + (<usize>j * <usize>ncap << 2), t.cols + (<usize>j * <usize>t.cap << 2), <usize>t.len << 2);
  }
  t.cols = ncols; t.cap = ncap;
  return true;
}

/** Grow an i32 pool (pointer, length, capacity at `field`) for n more; the offset of the first, or -1. */
function poolReserve(field: usize, n: i32): i32 {
  const ptr = load<usize>(field), len = load<i32>(field, sizeof<usize>()), cap = load<i32>(field, sizeof<usize>() + 4);
  if (len + n > cap) {
    let ncap = cap == 0 ? 1024 : cap * 2;
    while (ncap < len + n) ncap *= 2;
    const np = arenaAlloc(<usize>ncap << 2);
    if (np == 0) return -1;
    if (len > 0) memory.copy(np, ptr, <usize>len << 2);
    store<usize>(field, np);
    store<i32>(field, ncap, sizeof<usize>() + 4);
  }
  store<i32>(field, len + n, sizeof<usize>());
  return len;
}

/** Room for `n` more i32s in a pool; returns the offset of the first, or -1 when out of memory. */
export function shapeReserve(n: i32): i32 { return poolReserve(changetype<usize>(cur) + offsetof<Tape>('shp'), n); }
export function paramReserve(n: i32): i32 { return poolReserve(changetype<usize>(cur) + offsetof<Tape>('prm'), n); }
export function operandReserve(n: i32): i32 { return poolReserve(changetype<usize>(cur) + offsetof<Tape>('opd'), n); }

@inline export function shapeAt(off: i32): usize { return cur.shp + (<usize>off << 2); }
@inline export function paramAt(off: i32): usize { return cur.prm + (<usize>off << 2); }
@inline export function operandAt(off: i32): usize { return cur.opd + (<usize>off << 2); }

@inline function at(col: i32, row: i32): usize {
  return cur.cols + ((<usize>col * <usize>cur.cap + <usize>row) << 2);
}

/** Append a row skeleton (no shape yet); returns its id or -1 when out of memory. */
export function pushRow(op: i32, nops: i32, opsOff: i32, nparams: i32, paramsOff: i32): i32 {
  if (cur.len == cur.cap && !growRows()) return -1;
  const r = cur.len++;
  store<i32>(at(C_OP, r), op);
  store<i32>(at(C_DTYPE, r), 0);
  store<i32>(at(C_NDIM, r), 0);
  store<i32>(at(C_SHAPE, r), 0);
  store<i32>(at(C_NOPS, r), nops);
  store<i32>(at(C_OPS, r), opsOff);
  store<i32>(at(C_NPARAMS, r), nparams);
  store<i32>(at(C_PARAMS, r), paramsOff);
  store<i32>(at(C_FLAGS, r), 0);
  store<i32>(at(C_PTR, r), 0);
  store<i32>(at(C_SIZE, r), 0);
  store<i32>(at(C_NOUT, r), 0);
  store<i32>(at(C_IMPL, r), -1);
  store<i32>(at(C_BATCH, r), 0);
  return r;
}

/** Drop rows from `r` on (a failed emit and the outputs its shape rule had added). */
export function truncate(r: i32): void { if (r >= 0 && r < cur.len) cur.len = r; }

// Accessors.
@inline export function rowOp(r: i32): i32 { return load<i32>(at(C_OP, r)); }
@inline export function rowDtype(r: i32): i32 { return load<i32>(at(C_DTYPE, r)); }
@inline export function rowNdim(r: i32): i32 { return load<i32>(at(C_NDIM, r)); }
@inline export function rowShapeOff(r: i32): i32 { return load<i32>(at(C_SHAPE, r)); }
@inline export function rowShapePtr(r: i32): usize { return shapeAt(rowShapeOff(r)); }
@inline export function rowDim(r: i32, i: i32): i32 { return load<i32>(rowShapePtr(r) + (<usize>i << 2)); }
@inline export function rowNops(r: i32): i32 { return load<i32>(at(C_NOPS, r)); }
@inline export function rowOpsOff(r: i32): i32 { return load<i32>(at(C_OPS, r)); }
/** Operand i of row r (i < rowNops(r)). */
@inline export function rowOperand(r: i32, i: i32): i32 { return load<i32>(operandAt(rowOpsOff(r)) + (<usize>i << 2)); }
/** Set operand i of row r (vmap.ts swaps a view that does not vary for its value while a batching rule runs). */
export function setRowOperand(r: i32, i: i32, v: i32): void { store<i32>(operandAt(rowOpsOff(r)) + (<usize>i << 2), v); }
@inline export function rowA(r: i32): i32 { return rowOperand(r, 0); }
@inline export function rowB(r: i32): i32 { return rowOperand(r, 1); }
@inline export function rowC(r: i32): i32 { return rowOperand(r, 2); }
@inline export function rowNparams(r: i32): i32 { return load<i32>(at(C_NPARAMS, r)); }
@inline export function rowParamsOff(r: i32): i32 { return load<i32>(at(C_PARAMS, r)); }
@inline export function rowParamsPtr(r: i32): usize { return paramAt(rowParamsOff(r)); }
@inline export function rowParam(r: i32, i: i32): i32 { return load<i32>(rowParamsPtr(r) + (<usize>i << 2)); }
@inline export function rowFlags(r: i32): i32 { return load<i32>(at(C_FLAGS, r)); }
@inline export function rowPtr(r: i32): usize { return <usize>load<u32>(at(C_PTR, r)); }
@inline export function rowSize(r: i32): i32 { return load<i32>(at(C_SIZE, r)); }
// C_NOUT is 0 for an ordinary row, k >= 1 for a tuple row (even a tuple of one).
/** Number of outputs: 1 for an ordinary row; k for a tuple row, whose outputs are rows r+1..r+k. */
@inline export function rowNout(r: i32): i32 { const k = load<i32>(at(C_NOUT, r)); return k > 0 ? k : 1; }
@inline export function isTuple(r: i32): bool { return load<i32>(at(C_NOUT, r)) > 0; }
/** Output i of row r: the row itself, or its i-th projection for a tuple row. */
@inline export function outputOf(r: i32, i: i32): i32 { return isTuple(r) ? r + 1 + i : r; }
@inline export function rowBytes(r: i32): usize { return <usize>rowSize(r) * <usize>itemsize(rowDtype(r)); }
@inline export function isLinear(r: i32): bool { return (rowFlags(r) & LINEAR) != 0; }
@inline export function hasValue(r: i32): bool { return (rowFlags(r) & HAS_VALUE) != 0; }
@inline export function isView(r: i32): bool { return (rowFlags(r) & VIEW) != 0; }
/** A view's implementation row (the whole batch), or -1. */
@inline export function rowImpl(r: i32): i32 { return load<i32>(at(C_IMPL, r)); }
/**
 * A view's batch dimension in its implementation row, or NOT_MAPPED: the view does not vary
 * across its level's batch, and its implementation is the one value (JAX's not_mapped: a loop's
 * carry that no batched value reaches, and the rows computed from such values alone).
 */
@inline export function rowBdim(r: i32): i32 { return load<i32>(at(C_BATCH, r)) & 0xff; }
export const NOT_MAPPED: i32 = 0xff;
/** The vmap level (frame id) a view belongs to; 0 for other rows. */
@inline export function rowLevel(r: i32): i32 { return load<i32>(at(C_BATCH, r)) >>> 8; }
export function setView(r: i32, impl: i32, bdim: i32, level: i32): void {
  store<i32>(at(C_IMPL, r), impl);
  store<i32>(at(C_BATCH, r), (level << 8) | bdim);
  store<i32>(at(C_FLAGS, r), rowFlags(r) | VIEW);
}

/** Slots of the cotangent map holding row r (the transpose's liveness, maps.ts). */
@inline export function heldCount(r: i32): i32 { return rowFlags(r) >>> HELD_SHIFT; }
export function addHeld(r: i32, d: i32): i32 {
  const f = rowFlags(r) + (d << HELD_SHIFT);
  store<i32>(at(C_FLAGS, r), f);
  return f >>> HELD_SHIFT;
}

export function setDtype(r: i32, dtype: i32): void { store<i32>(at(C_DTYPE, r), dtype); }
export function setFlags(r: i32, flags: i32): void { store<i32>(at(C_FLAGS, r), flags); }
export function setPtr(r: i32, ptr: usize): void { store<u32>(at(C_PTR, r), <u32>ptr); }
export function setNout(r: i32, n: i32): void { store<i32>(at(C_NOUT, r), n); }
/** Set row r's element count without a shape (the fused kernel's block rows, rules/fused.ts). */
export function setSize(r: i32, n: i32): void { store<i32>(at(C_SIZE, r), n); }

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

/** Do rows x and y have the same dims? */
export function sameDims(x: i32, y: i32): bool {
  const nd = rowNdim(x);
  if (nd != rowNdim(y)) return false;
  for (let i = 0; i < nd; i++) if (rowDim(x, i) != rowDim(y, i)) return false;
  return true;
}

export function tapeValid(r: i32): bool { return r >= 0 && r < cur.len; }
