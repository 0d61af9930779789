// Frozen tapes: the part of a tape that some outputs depend on, extracted into one compact,
// read-only heap block that outlives the trace it came from (a vjp pullback's linear program;
// later a jitted program or a control-flow body). The block is position independent (a value's
// address is stored as an offset into the block), so the host can move it out of wasm memory and
// back (`tape_block`/`tape_load`) when long-lived tapes pass its memory budget.
//
// Extraction: rows reached backward from the outputs, stopping at the given inputs (which become
// INPUT rows, in order) and at rows that already have values (residuals: baked in as CONST rows
// with their values copied, or, when the host asks, turned into further INPUT rows that it binds
// when inlining, so an enclosing trace keeps differentiating through them). Rows are copied as
// they are (no shape rule runs again).
// Inlining: the frozen rows emitted into the current tape with its inputs bound to current rows;
// emission re-runs every shape rule, so flags (LINEAR) and values follow the destination.
import {
  Tape, NCOLS, current, select, rowOp, rowFlags, rowNops, rowOperand, rowNparams, rowParamsPtr, rowPtr,
  rowBytes, rowNout, rowSize, isTuple, rowDtype, rowNdim, rowShapePtr, tapeValid, HAS_VALUE, LINEAR, VIEW, arenaAlloc,
  HOST_BUFFER, setFlags, curArena, isEager,
} from './tape';
import { opAliases } from './registry';
import { twinOf, dependedOperands, canonicalizeBlocks } from './rules/control';
import { setHostOutputs, lendOutput, constBuffersKept } from './execute';
import { donorFor, dropShared, TAKEN } from './donate';
import { emitN, setOperand, operandScratch, operandRoom } from './emit';
import { INPUT, CONST, COPY, PROJ, FULL, IOTA } from './ops';
import { MAX_REQUEST, heapSize } from '../arena';
import { E_OK, E_OOM, E_BAD_ROW, E_SHAPE, E_DTYPE, setError } from '../errors';

const MAGIC: i32 = 0x434f5431; // "COT1"
// Header words: magic, len, nIn, nOut, then the byte offsets of the parts and the pools' lengths.
const H_MAGIC = 0, H_LEN = 1, H_NIN = 2, H_NOUT = 3, H_COLS = 4, H_SHP = 5, H_PRM = 6, H_OPD = 7, H_INS = 8,
  H_OUTS = 9, H_SHPLEN = 10, H_PRMLEN = 11, H_OPDLEN = 12, H_BYTES = 13;
const HEADER_WORDS = 16;
// The Tape header of a frozen tape lives in its own block, right after the header words, so one
// heap block per frozen tape (small separate blocks would split the holes big ones leave).
const TAPE_AT: usize = HEADER_WORDS * 4;
const TAPE_BYTES: usize = (offsetof<Tape>() + 15) & ~<usize>15;
// tape.ts's columns (a frozen block holds them with cap = len; C_PTR is a block offset there).
const C_OP = 0, C_DTYPE = 1, C_NDIM = 2, C_SHAPE = 3, C_NOPS = 4, C_OPS = 5, C_NPARAMS = 6, C_PARAMS = 7,
  C_FLAGS = 8, C_PTR = 9, C_SIZE = 10, C_NOUT = 11, C_IMPL = 12, C_BATCH = 13;

@inline function up16(n: usize): usize { return (n + 15) & ~<usize>15; }

const UNUSED: u8 = 0, COMPUTED: u8 = 1, RESIDUAL: u8 = 2, DECLARED: u8 = 3;

/**
 * Freeze the part of the current tape that outputs[nOut] (rows, or -1) depend on, with
 * inputs[nIn] as its inputs. `residualsAsInputs`: rows with values become extra inputs (their
 * rows are written to `resOut`, at most `resCap`, their count to `nRes`) instead of baked
 * constants. Returns the frozen tape, or null with the error recorded.
 */
export function freeze(nIn: i32, inputs: usize, nOut: i32, outputs: usize, residualsAsInputs: bool,
  resOut: usize, resCap: i32, nRes: usize, hostAsInputs: bool = false): Tape | null {
  const len = current().len;
  for (let k = 0; k < nIn; k++) if (!tapeValid(load<i32>(inputs + (<usize>k << 2)))) { setError(E_BAD_ROW); return null; }
  for (let k = 0; k < nOut; k++) {
    const o = load<i32>(outputs + (<usize>k << 2));
    if (o != -1 && !tapeValid(o)) { setError(E_BAD_ROW); return null; }
  }
  const role = arenaAlloc(<usize>max(len, 1));
  const map = arenaAlloc(<usize>max(len, 1) << 2);
  if (role == 0 || map == 0) return null;
  memory.fill(role, UNUSED, <usize>len);
  for (let k = 0; k < nIn; k++) {
    const x = load<i32>(inputs + (<usize>k << 2));
    store<u8>(role + <usize>x, DECLARED);
    store<i32>(map + (<usize>x << 2), k);
  }
  for (let k = 0; k < nOut; k++) {
    const o = load<i32>(outputs + (<usize>k << 2));
    if (o >= 0 && load<u8>(role + <usize>o) == UNUSED) store<u8>(role + <usize>o, COMPUTED);
  }
  for (let r = len - 1; r >= 0; r--) {
    if (load<u8>(role + <usize>r) != COMPUTED) continue;
    const op = rowOp(r);
    // A value, or a batched view (vmap), is a residual: the program reads it, not recomputes it.
    // Kept as inputs, every primal row it reads is one (on an abstract tape, under jit, none
    // has a value yet).
    // A fill or an iota with a value is cheaper to recompute than to keep (no operands, no data).
    const f = rowFlags(r);
    const leafFill = (op == FULL || op == IOTA) && (f & VIEW) == 0;
    if (!leafFill && (f & LINEAR) == 0 && (residualsAsInputs || (f & (HAS_VALUE | VIEW)) != 0)) {
      if ((f & VIEW) != 0 && !residualsAsInputs) { setError(E_BAD_ROW); return null; } // views cannot be baked
      store<u8>(role + <usize>r, RESIDUAL); continue;
    }
    if (op == INPUT) { setError(E_BAD_ROW); return null; } // an unbound input that is not declared
    if (op == PROJ) { // the whole tuple row comes along
      const t = rowOperand(r, 0);
      for (let i = 0; i <= rowNout(t); i++) if (load<u8>(role + <usize>(t + i)) == UNUSED) store<u8>(role + <usize>(t + i), COMPUTED);
      continue;
    }
    for (let i = 0, n = dependedOperands(r); i < n; i++) { // (not a twin operand: see copy)
      const x = rowOperand(r, i);
      if (load<u8>(role + <usize>x) == UNUSED) store<u8>(role + <usize>x, COMPUTED);
    }
  }

  // New ids: the declared inputs first, then the kept rows in their order (topological).
  let n = nIn, nShp = 0, nPrm = 0, nOpd = 0, nr = 0;
  let data: usize = 0;
  for (let k = 0; k < nIn; k++) {
    const x = load<i32>(inputs + (<usize>k << 2));
    nShp += rowNdim(x); nPrm += 1 + rowNdim(x);
  }
  for (let r = 0; r < len; r++) {
    const m = load<u8>(role + <usize>r);
    if (m == UNUSED || m == DECLARED) continue;
    store<i32>(map + (<usize>r << 2), n++);
    nShp += rowNdim(r);
    if (m == RESIDUAL) {
      nPrm += 1 + rowNdim(r);
      if (residualsAsInputs || (hostAsInputs && hostBacked(r))) nr++; else data += up16(rowBytes(r));
    } else { nPrm += rowNparams(r); nOpd += keptOperands(r, role); }
  }
  if (nr > resCap) { setError(E_BAD_ROW); return null; }
  store<i32>(nRes, nr);
  const nIns = nIn + nr;
  const oCols: usize = TAPE_AT + TAPE_BYTES;
  const oShp = oCols + <usize>NCOLS * <usize>n * 4;
  const oPrm = oShp + (<usize>nShp << 2);
  const oOpd = oPrm + (<usize>nPrm << 2);
  const oIns = oOpd + (<usize>nOpd << 2);
  const oOuts = oIns + (<usize>nIns << 2);
  const oData = up16(oOuts + (<usize>nOut << 2));
  const total = oData + data;
  if (total > MAX_REQUEST) { setError(E_OOM); return null; }
  const base = heap.alloc(heapSize(total));
  // (zeroed: the padding before the data and after each constant would otherwise hold whatever
  // the heap had there, and two equal programs would differ word for word: CSE compares them)
  memory.fill(base, 0, total);
  // No managed allocations here (the runtime never collects them): stores and a static writer.
  store<i32>(base, MAGIC, H_MAGIC * 4); store<i32>(base, n, H_LEN * 4);
  store<i32>(base, nIns, H_NIN * 4); store<i32>(base, nOut, H_NOUT * 4);
  store<i32>(base, <i32>oCols, H_COLS * 4); store<i32>(base, <i32>oShp, H_SHP * 4);
  store<i32>(base, <i32>oPrm, H_PRM * 4); store<i32>(base, <i32>oOpd, H_OPD * 4);
  store<i32>(base, <i32>oIns, H_INS * 4); store<i32>(base, <i32>oOuts, H_OUTS * 4);
  store<i32>(base, nShp, H_SHPLEN * 4); store<i32>(base, nPrm, H_PRMLEN * 4);
  store<i32>(base, nOpd, H_OPDLEN * 4); store<i32>(base, <i32>total, H_BYTES * 4);
  const w = writer;
  w.start(base, n, oCols, oShp, oPrm, oOpd, oData);
  for (let k = 0; k < nIn; k++) {
    store<i32>(base + oIns + (<usize>k << 2), w.row);
    w.leaf(load<i32>(inputs + (<usize>k << 2)), INPUT, false);
  }
  let res = 0;
  for (let r = 0; r < len; r++) {
    const m = load<u8>(role + <usize>r);
    if (m == UNUSED || m == DECLARED) continue;
    if (m == COMPUTED) { w.copy(r, map, keptOperands(r, role)); continue; }
    if (!residualsAsInputs && !(hostAsInputs && hostBacked(r))) { w.leaf(r, CONST, true); continue; }
    store<i32>(base + oIns + (<usize>(nIn + res) << 2), w.row);
    store<i32>(resOut + (<usize>res << 2), r);
    res++;
    w.leaf(r, INPUT, false);
  }
  for (let k = 0; k < nOut; k++) {
    const o = load<i32>(outputs + (<usize>k << 2));
    store<i32>(base + oOuts + (<usize>k << 2), o < 0 ? -1 : load<i32>(map + (<usize>o << 2)));
  }
  return view(base);
}

/**
 * A residual whose value is a host-owned block (a resident Array's, borrowed: a CONST row with
 * HOST_BUFFER, or a copy of one): with `hostAsInputs` it becomes an input the host binds to that
 * Array at each call instead of a baked copy (a pullback closing over a 40 MB weight kept 40 MB).
 */
function hostBacked(r: i32): bool {
  return hostConst(r) || (rowOp(r) == COPY && rowNops(r) == 1 && hostConst(rowOperand(r, 0)));
}
function hostConst(x: i32): bool { return rowOp(x) == CONST && (rowFlags(x) & HOST_BUFFER) != 0; }

/** Fills a frozen block row by row (columns, pools and CONST data at their offsets). */
@unmanaged class Writer {
  row: i32 = 0;
  shp: i32 = 0; prm: i32 = 0; opd: i32 = 0;
  base: usize = 0; n: i32 = 0; oCols: usize = 0; oShp: usize = 0; oPrm: usize = 0; oOpd: usize = 0; data: usize = 0;

  start(base: usize, n: i32, oCols: usize, oShp: usize, oPrm: usize, oOpd: usize, data: usize): void {
    this.row = 0; this.shp = 0; this.prm = 0; this.opd = 0;
    this.base = base; this.n = n; this.oCols = oCols; this.oShp = oShp; this.oPrm = oPrm; this.oOpd = oOpd; this.data = data;
  }

  col(j: i32, v: i32): void { store<i32>(this.base + this.oCols + ((<usize>j * <usize>this.n + <usize>this.row) << 2), v); }

  /** Columns every kind of row has: dtype, shape (copied), size, flags, value offset, outputs. */
  private common(r: i32, op: i32, ptr: usize, nout: i32): void {
    const nd = rowNdim(r);
    this.col(C_OP, op); this.col(C_DTYPE, rowDtype(r)); this.col(C_NDIM, nd); this.col(C_SHAPE, this.shp);
    memory.copy(this.base + this.oShp + (<usize>this.shp << 2), rowShapePtr(r), <usize>nd << 2);
    this.shp += nd;
    this.col(C_FLAGS, 0); this.col(C_PTR, <i32>ptr); this.col(C_SIZE, rowSize(r)); this.col(C_NOUT, nout);
    this.col(C_IMPL, -1); this.col(C_BATCH, 0);
  }

  /** An INPUT or CONST row shaped like row r (CONST: with r's value copied in). */
  leaf(r: i32, op: i32, withValue: bool): void {
    let ptr: usize = 0;
    if (withValue) {
      ptr = this.data;
      memory.copy(this.base + ptr, rowPtr(r), rowBytes(r));
      this.data += up16(rowBytes(r));
    }
    this.common(r, op, ptr, 0);
    const nd = rowNdim(r), p = this.base + this.oPrm + (<usize>this.prm << 2);
    store<i32>(p, rowDtype(r));
    memory.copy(p + 4, rowShapePtr(r), <usize>nd << 2);
    this.col(C_NPARAMS, 1 + nd); this.col(C_PARAMS, this.prm);
    this.prm += 1 + nd;
    this.col(C_NOPS, 0); this.col(C_OPS, this.opd);
    this.row++;
  }

  /** Row r as it is, its first `no` operands renumbered through `map`. */
  copy(r: i32, map: usize, no: i32): void {
    this.common(r, rowOp(r), 0, isTuple(r) ? rowNout(r) : 0);
    const np = rowNparams(r);
    memory.copy(this.base + this.oPrm + (<usize>this.prm << 2), rowParamsPtr(r), <usize>np << 2);
    this.col(C_NPARAMS, np); this.col(C_PARAMS, this.prm);
    this.prm += np;
    for (let i = 0; i < no; i++) {
      store<i32>(this.base + this.oOpd + (<usize>(this.opd + i) << 2), load<i32>(map + (<usize>rowOperand(r, i) << 2)));
    }
    this.col(C_NOPS, no); this.col(C_OPS, this.opd);
    this.opd += no;
    this.row++;
  }
}

const writer = changetype<Writer>(heap.alloc(offsetof<Writer>()));

/**
 * The operands row r keeps in the frozen copy: all, but a twin operand (rules/control.ts) only
 * while the row it names is computed there too (a twin does not keep it alive, and a baked one
 * would not be a loop row).
 */
function keptOperands(r: i32, role: usize): i32 {
  const t = twinOf(r);
  return t >= 0 && load<u8>(role + <usize>t) != COMPUTED ? rowNops(r) - 1 : rowNops(r);
}

/** The Tape header inside a frozen block (which the tape then owns). */
function view(base: usize): Tape | null {
  if (load<i32>(base, H_MAGIC * 4) != MAGIC) { setError(E_BAD_ROW); return null; }
  const t = changetype<Tape>(base + TAPE_AT);
  memory.fill(base + TAPE_AT, 0, TAPE_BYTES);
  const len = load<i32>(base, H_LEN * 4);
  t.block = base;
  t.blockBytes = <usize>load<i32>(base, H_BYTES * 4);
  t.len = len; t.cap = len;
  t.cols = base + <usize>load<i32>(base, H_COLS * 4);
  t.shp = base + <usize>load<i32>(base, H_SHP * 4); t.shpLen = load<i32>(base, H_SHPLEN * 4); t.shpCap = t.shpLen;
  t.prm = base + <usize>load<i32>(base, H_PRM * 4); t.prmLen = load<i32>(base, H_PRMLEN * 4); t.prmCap = t.prmLen;
  t.opd = base + <usize>load<i32>(base, H_OPD * 4); t.opdLen = load<i32>(base, H_OPDLEN * 4); t.opdCap = t.opdLen;
  t.nIn = load<i32>(base, H_NIN * 4); t.ins = base + <usize>load<i32>(base, H_INS * 4);
  t.nOut = load<i32>(base, H_NOUT * 4); t.outs = base + <usize>load<i32>(base, H_OUTS * 4);
  t.eager = 0;
  return t;
}

export function loadFrozen(p: usize): Tape | null { return view(p); }

/**
 * Zero what viewing frozen block `p` wrote into it (the Tape header, whose pointers say where it
 * was viewed last), in it and in the blocks its loop and cond rows hold, so that two equal
 * programs are equal word for word: CSE compares rows holding blocks by their params. Every view
 * writes the header anew, so no reader depends on it.
 */
export function canonicalizeFrozen(p: usize): void {
  if (load<i32>(p, H_MAGIC * 4) != MAGIC) return;
  memory.fill(p + TAPE_AT, 0, TAPE_BYTES);
  const n = load<i32>(p, H_LEN * 4);
  const cols = p + <usize>load<i32>(p, H_COLS * 4), prm = p + <usize>load<i32>(p, H_PRM * 4);
  for (let r = 0; r < n; r++) {
    const op = load<i32>(cols + ((<usize>C_OP * <usize>n + <usize>r) << 2));
    const np = load<i32>(cols + ((<usize>C_NPARAMS * <usize>n + <usize>r) << 2));
    const off = load<i32>(cols + ((<usize>C_PARAMS * <usize>n + <usize>r) << 2));
    canonicalizeBlocks(op, np, prm + (<usize>off << 2));
  }
}

/**
 * Emit frozen tape `t` into the current tape, its inputs bound to the rows at `binds`; its
 * outputs' rows go to `result`. With `release` (a replay at top level, where nothing will read the
 * intermediates afterwards: no transform is differentiating or batching them), each
 * intermediate's buffer goes back to the arena right after its last reader has run, so the next
 * rows of its size reuse it (liveness-based buffer reuse; `lastUses`), and outputs of at least
 * `hostMin` bytes (if not 0) are written straight into heap blocks the host adopts (execute.ts).
 */
export function inline(t: Tape, binds: usize, result: usize, release: bool = false, hostMin: usize = 0, donated: usize = 0): i32 {
  const dst = current();
  if (t.block == 0) return E_BAD_ROW;
  const len = t.len;
  const map = arenaAlloc(<usize>max(len, 1) << 2);
  if (map == 0) return E_OOM;
  let last: usize = 0;
  release = release && isEager(); // rows of an abstract tape have no buffers yet
  if (!release || hostMin == 0) donated = 0;
  if (donated != 0) dropShared(t.nIn, binds, donated);
  // Host blocks go to the outputs themselves: a row that only a view among the outputs reads
  // (reshape(x * 2) returned) keeps arena memory, which the host copies out through the view (a
  // host block there had no Array to adopt it, and leaked).
  let isOut: usize = 0;
  if (release) {
    last = arenaAlloc(<usize>max(len, 1) << 2);
    if (last == 0) return E_OOM;
    select(t);
    lastUses(t, last);
    select(dst);
    if (hostMin != 0) {
      isOut = arenaAlloc(<usize>max(len, 1));
      if (isOut == 0) return E_OOM;
      memory.fill(isOut, 0, <usize>len);
      for (let k = 0; k < t.nOut; k++) { const o = load<i32>(t.outs + (<usize>k << 2)); if (o >= 0) store<u8>(isOut + <usize>o, 1); }
    }
  }
  // Check the bindings against the inputs' dtypes and shapes.
  for (let k = 0; k < t.nIn; k++) {
    const x = load<i32>(binds + (<usize>k << 2));
    if (!tapeValid(x) || isTuple(x)) return E_BAD_ROW;
    const r = load<i32>(t.ins + (<usize>k << 2));
    const xdt = rowDtype(x), xnd = rowNdim(x), xs = rowShapePtr(x);
    select(t);
    const same = rowDtype(r) == xdt && rowNdim(r) == xnd && memory.compare(rowShapePtr(r), xs, <usize>xnd << 2) == 0;
    const dtOk = rowDtype(r) == xdt;
    select(dst);
    if (!same) return dtOk ? E_SHAPE : E_DTYPE;
    store<i32>(map + (<usize>r << 2), x);
  }
  for (let r = 0; r < len; r++) {
    select(t);
    const op = rowOp(r);
    if (op == INPUT) { select(dst); continue; }
    if (op == PROJ) {
      const tr = rowOperand(r, 0);
      select(dst);
      store<i32>(map + (<usize>r << 2), load<i32>(map + (<usize>tr << 2)) + 1 + (r - tr - 1));
      continue;
    }
    const n = rowNops(r), np = rowNparams(r), pp = rowParamsPtr(r);
    operandRoom(n);
    for (let i = 0; i < n; i++) setOperand(i, load<i32>(map + (<usize>rowOperand(r, i) << 2)));
    const value = op == CONST ? t.block + rowPtr(r) : 0, bytes = op == CONST ? rowBytes(r) : 0;
    const output = isOut != 0 && load<u8>(isOut + <usize>r) != 0;
    const donor = output && donated != 0 ? donorFor(t, dst, r, last, binds, donated) : -1;
    select(dst);
    const lent = donor >= 0 ? rowPtr(load<i32>(binds + (<usize>donor << 2))) : 0;
    if (output) setHostOutputs(hostMin);
    if (lent != 0) lendOutput(lent, dst.len); // the row emitN appends
    const x = emitN(op, operandScratch(), n, np, pp);
    if (lent != 0) lendOutput(0, -1);
    if (output) setHostOutputs(0);
    if (x < 0) return -x;
    if (lent != 0 && rowPtr(x) == lent) store<i32>(donated + (<usize>donor << 2), TAKEN);
    if (op == CONST) memory.copy(rowPtr(x), value, bytes);
    store<i32>(map + (<usize>r << 2), x);
    if (release) releaseReadLast(t, r, last, map, dst);
  }
  for (let k = 0; k < t.nOut; k++) {
    const o = load<i32>(t.outs + (<usize>k << 2));
    store<i32>(result + (<usize>k << 2), o < 0 ? -1 : load<i32>(map + (<usize>o << 2)));
  }
  return E_OK;
}

/**
 * last[r] = the last row of t reading row r's buffer (len for outputs: never released; -1 for
 * rows nobody reads). A row that aliases its operand's buffer (reshape, copy) extends its
 * operand's life to its own.
 */
function lastUses(t: Tape, last: usize): void {
  const len = t.len;
  for (let r = 0; r < len; r++) store<i32>(last + (<usize>r << 2), -1);
  for (let r = 0; r < len; r++) {
    for (let i = 0; i < rowNops(r); i++) store<i32>(last + (<usize>rowOperand(r, i) << 2), r);
  }
  for (let k = 0; k < t.nOut; k++) {
    const o = load<i32>(t.outs + (<usize>k << 2));
    if (o >= 0) store<i32>(last + (<usize>o << 2), len);
  }
  for (let r = len - 1; r >= 0; r--) {
    if (!opAliases(rowOp(r)) || rowNops(r) == 0) continue;
    const src = rowOperand(r, 0), mine = load<i32>(last + (<usize>r << 2));
    if (mine > load<i32>(last + (<usize>src << 2))) store<i32>(last + (<usize>src << 2), mine);
  }
}

/** Give back the buffers of the operands of t's row r that r read last (their rows in dst). */
function releaseReadLast(t: Tape, r: i32, last: usize, map: usize, dst: Tape): void {
  select(t);
  const n = rowNops(r);
  for (let i = 0; i < n; i++) {
    select(t);
    const o = rowOperand(r, i);
    if (load<i32>(last + (<usize>o << 2)) != r || rowOp(o) == INPUT || (constBuffersKept() && rowOp(o) == CONST)) continue;
    const x = load<i32>(map + (<usize>o << 2));
    select(dst);
    const f = rowFlags(x);
    if ((f & HAS_VALUE) == 0 || (f & HOST_BUFFER) != 0 || isTuple(x) || opAliases(rowOp(x)) || rowBytes(x) == 0) continue;
    curArena().release(rowPtr(x), rowBytes(x));
    setFlags(x, f & ~HAS_VALUE); // a read of it now fails loudly instead of seeing reused memory
  }
  select(dst);
}
