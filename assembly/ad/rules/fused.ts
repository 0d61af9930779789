// FUSED: a chain of elementwise rows of one shape, run as one loop over cache-sized blocks. jit's
// fusion pass (fuse.ts) makes them for top-level replays; nothing else emits them. The program is
// in the params:
//   dtype, ndim, shape..., count, then per instruction: op, nops, refs..., nparams, params...
// A ref k >= 0 is instruction k's value, k < 0 is operand -k-1 of the fused row; the last
// instruction is the output. Instructions are ordinary primitives: their own shape rules check
// them (the fused shape rule emits them into a private block tape), and their own kernels run
// them. The allowed ones (`fusible`) read nothing but their operands' buffers, their params and
// the element count, so a block of the arrays is an array of the block's size: the kernel runs
// each instruction's kernel block after block, intermediates in block-sized registers that stay
// in L1, and gives the bits the rows give one by one (every elementwise kernel computes an
// element from the same-position elements only, tails included: kernels/unary.ts).
// BROADCAST_IN_DIM joins when its operand's axes land on consecutive output axes of their own
// sizes (a bias along the trailing axes, a scale per row: out[g] = y[(g / inner) % m], filled per
// block); a one-element operand (a splat) and FULL do not vary from block to block: they run once,
// for the first block.
// JVP and batching expand the program back into its rows, whose own rules then apply.
import { defineOp, defKernel, defJvp, neverLinear, defBatch, kernel, opKernelKey, KEY_OPERAND, VARIADIC } from '../registry';
import {
  Tape, current, select, tapeReset, tapeEpoch, tapeLen, setEager, rowDtype, rowNdim, rowDim, rowShapePtr, rowNops,
  rowOperand, rowNparams, rowParamsPtr, rowParam, rowPtr, rowSize, rowOp, rowImpl, setPtr, setSize, setDtype, isTuple, arenaAlloc,
} from '../tape';
import { emitN, e1, operandScratch, setOperand } from '../emit';
import { jvpRange } from '../jvp';
import { tangentOf } from '../maps';
import { bdimOf, setBatched, batchedAs } from '../batching';
import { shapeFromParams } from '../shape_rules';
import { MAX_LIST } from '../limits';
import {
  FUSED, INPUT, COPY, FULL, BROADCAST_IN_DIM, NEG, EXP, LOG, SIN, COS, TANH, SQRT, ADD, SUB, MUL, DIV, POW, LT, LE, GT, GE, EQ,
  NE, SELECT, CONVERT, MAX, MIN, REM, AND, OR, XOR, NOT, SHL, SHR_A, SHR_L, ABS, SIGN, FLOOR, CEIL, ROUND, TRUNC,
  IS_FINITE, EXPM1, LOG1P, EXP2, LOG2, LOG10, CBRT, TAN, ASIN, ACOS, ATAN, SINH, COSH, ASINH, ACOSH, ATANH, ERF, ERFC,
  ERF_INV, LGAMMA, DIGAMMA, POLYGAMMA, ATAN2, HYPOT,
} from '../ops';
import { F32, F64, BOOL, I32, U32, itemsize } from '../../dtype';
import { E_OK, E_PARAMS, E_DTYPE, E_SHAPE, E_OOM, fail } from '../../errors';

/** Elements per block: a float64 register is 4 KiB, so a program's live registers stay in L1. */
export const BLOCK: i32 = 512;
/** Most instructions one fused row holds. */
export const MAX_INSTRUCTIONS: i32 = 64;

/** May op be an instruction of a fused program (elementwise; its kernel reads only ptrs, size, params)? */
export function fusible(op: i32): bool {
  switch (op) {
    case NEG: case EXP: case LOG: case SIN: case COS: case TANH: case SQRT: case ADD: case SUB: case MUL: case DIV:
    case POW: case LT: case LE: case GT: case GE: case EQ: case NE: case SELECT: case CONVERT: case MAX: case MIN:
    case REM: case AND: case OR: case XOR: case NOT: case SHL: case SHR_A: case SHR_L: case ABS: case SIGN:
    case FLOOR: case CEIL: case ROUND: case TRUNC: case IS_FINITE: case EXPM1: case LOG1P: case EXP2: case LOG2:
    case LOG10: case CBRT: case TAN: case ASIN: case ACOS: case ATAN: case SINH: case COSH: case ASINH: case ACOSH:
    case ATANH: case ERF: case ERFC: case ERF_INV: case LGAMMA: case DIGAMMA: case POLYGAMMA: case ATAN2: case HYPOT:
    case FULL: case BROADCAST_IN_DIM:
      return true;
  }
  return false;
}

/** The real dtypes (one element per item: a block of them is a plain array). */
export function fusibleDtype(d: i32): bool { return d == F32 || d == F64 || d == BOOL || d == I32 || d == U32; }

// The block tape: the program of the row last built, external operands as rows 0..nExt-1 (INPUT
// rows with their real shapes), instruction i as row nExt + i.
const blk: Tape = Tape.create();
let builtTape: usize = 0, builtRow: i32 = -1, builtEpoch: i32 = -1;
let nExt: i32 = 0, nInstr: i32 = 0;
const ops: usize = heap.alloc(<usize>MAX_LIST << 2);
const prm: usize = heap.alloc(<usize>MAX_LIST << 2);

@inline function param(pp: usize, i: i32): i32 { return load<i32>(pp + (<usize>i << 2)); }

/** Emit fused row r's program into the block tape through the instructions' shape rules. */
function build(r: i32): i32 {
  const home = current();
  const np = rowNparams(r), pp = rowParamsPtr(r), nops = rowNops(r);
  if (np < 3 || nops > MAX_LIST) return E_PARAMS;
  const dt = param(pp, 0), nd = param(pp, 1);
  if (nd < 0 || 3 + nd > np || !fusibleDtype(dt)) return E_PARAMS;
  let q = 2 + nd;
  const count = param(pp, q++);
  if (count < 1 || count > MAX_INSTRUCTIONS) return E_PARAMS;
  builtRow = -1;
  select(blk);
  tapeReset();
  setEager(false);
  for (let j = 0; j < nops; j++) {
    select(home);
    const x = rowOperand(r, j), xd = rowDtype(x), xn = rowNdim(x), xs = rowShapePtr(x);
    select(blk);
    if (!fusibleDtype(xd) || xn + 1 > MAX_LIST) return E_DTYPE;
    store<i32>(prm, xd);
    memory.copy(prm + 4, xs, <usize>xn << 2);
    const e = emitN(INPUT, ops, 0, xn + 1, prm);
    if (e != j) return e < 0 ? -e : E_PARAMS;
  }
  for (let i = 0; i < count; i++) {
    if (q + 2 > np) return E_PARAMS;
    const op = param(pp, q++), n = param(pp, q++);
    if (!fusible(op) || n < 0 || n > 3 || q + n + 1 > np) return E_PARAMS;
    for (let k = 0; k < n; k++) {
      const ref = param(pp, q++);
      if (ref >= i || ref < -nops) return E_PARAMS;
      store<i32>(ops + (<usize>k << 2), ref >= 0 ? nops + ref : -ref - 1);
    }
    const m = param(pp, q++);
    if (m < 0 || q + m > np) return E_PARAMS;
    const x = emitN(op, ops, n, m, pp + (<usize>q << 2));
    q += m;
    if (x < 0) return -x;
    if (x != nops + i || isTuple(x) || !fusibleDtype(rowDtype(x))) return E_PARAMS;
    // Every instruction has the fused row's shape; a broadcast reads an operand of its own.
    if (rowNdim(x) != nd) return E_SHAPE;
    for (let a = 0; a < nd; a++) if (rowDim(x, a) != param(pp, 2 + a)) return E_SHAPE;
    if (op == BROADCAST_IN_DIM && (rowOperand(x, 0) >= nops || broadcastRun(x) < 0)) return E_PARAMS;
    if (i == count - 1 && rowDtype(x) != dt) return E_DTYPE;
  }
  if (q != np) return E_PARAMS;
  nExt = nops; nInstr = count;
  select(home);
  builtTape = changetype<usize>(home); builtRow = r; builtEpoch = tapeEpoch();
  return E_OK;
}

function fusedShape(r: i32): i32 {
  const home = current();
  const code = build(r);
  select(home);
  if (code != E_OK) return code;
  setDtype(r, rowParam0(r));
  return shapeFromParams(r, 2, param(rowParamsPtr(r), 1));
}
@inline function rowParam0(r: i32): i32 { return param(rowParamsPtr(r), 0); }

// Per-instruction scratch of the kernel: register address, varies-per-block flag, last reader.
const regs: usize = heap.alloc(<usize>MAX_INSTRUCTIONS << 2);
const vary: usize = heap.alloc(<usize>MAX_INSTRUCTIONS);
const lastUse: usize = heap.alloc(<usize>MAX_INSTRUCTIONS << 2);
const freeRegs: usize = heap.alloc(<usize>MAX_INSTRUCTIONS << 2);
const extPtr: usize = heap.alloc(<usize>MAX_LIST << 2);
const isSource: usize = heap.alloc(<usize>MAX_LIST); // an operand read through a broadcast (not per block)

function fusedKernel(r: i32): void {
  const home = current(), n = rowSize(r), out = rowPtr(r), osz = <usize>itemsize(rowDtype(r));
  if (n == 0) return;
  if (builtTape != changetype<usize>(home) || builtRow != r || builtEpoch != tapeEpoch()) {
    const code = build(r);
    select(home);
    if (code != E_OK) fail(code);
  }
  for (let j = 0; j < nExt; j++) store<usize>(extPtr + (<usize>j << 2), rowPtr(rowOperand(r, j)));
  select(blk);
  const root = nInstr - 1;
  for (let j = 0; j < nExt; j++) store<u8>(isSource + <usize>j, rowSize(j) != n ? 1 : 0);
  // Which instructions vary from block to block, and where each is last read.
  for (let i = 0; i < nInstr; i++) {
    const x = nExt + i, op = rowOp(x);
    let v = false;
    for (let k = 0; k < rowNops(x); k++) {
      const o = rowOperand(x, k);
      if (o >= nExt) { v = v || load<u8>(vary + <usize>(o - nExt)) != 0; store<i32>(lastUse + (<usize>(o - nExt) << 2), i); }
      else if (op != BROADCAST_IN_DIM || rowSize(o) != 1) v = true;
    }
    store<u8>(vary + <usize>i, v ? 1 : 0);
    store<i32>(lastUse + (<usize>i << 2), -1);
  }
  // Registers: one per instruction but the root, reused once its last reader has run (an
  // instruction never writes the register it reads: some kernels change the item size).
  let nFree = 0;
  for (let i = 0; i < root; i++) {
    let p: usize = 0;
    if (nFree > 0 && load<u8>(vary + <usize>i) != 0) p = load<usize>(freeRegs + (<usize>(--nFree) << 2));
    else p = arenaAlloc(<usize>BLOCK << 3);
    if (p == 0) { select(home); fail(E_OOM); }
    store<usize>(regs + (<usize>i << 2), p);
    const x = nExt + i;
    for (let k = 0; k < rowNops(x); k++) {
      const o = rowOperand(x, k) - nExt;
      let again = false; // x * x frees x's register once
      for (let l = 0; l < k; l++) if (rowOperand(x, l) - nExt == o) again = true;
      if (o >= 0 && !again && load<u8>(vary + <usize>o) != 0 && load<i32>(lastUse + (<usize>o << 2)) == i) {
        store<usize>(freeRegs + (<usize>(nFree++) << 2), load<usize>(regs + (<usize>o << 2)));
      }
    }
  }
  for (let off = 0; off < n; off += BLOCK) {
    const len = min(BLOCK, n - off);
    for (let j = 0; j < nExt; j++) {
      if (load<u8>(isSource + <usize>j) != 0) { setPtr(j, load<usize>(extPtr + (<usize>j << 2))); continue; } // a broadcast's
      setPtr(j, load<usize>(extPtr + (<usize>j << 2)) + <usize>off * <usize>itemsize(rowDtype(j)));
      setSize(j, len);
    }
    for (let i = 0; i < nInstr; i++) {
      if (off > 0 && i != root && load<u8>(vary + <usize>i) == 0) continue; // computed for the first block
      const x = nExt + i, op = rowOp(x);
      const dst = i == root ? out + <usize>off * osz : load<usize>(regs + (<usize>i << 2));
      setPtr(x, dst);
      setSize(x, len);
      if (op == BROADCAST_IN_DIM) { tile(x, dst, off, len); continue; }
      const key = opKernelKey(op) == KEY_OPERAND ? rowDtype(rowOperand(x, 0)) : rowDtype(x);
      kernel(op, key)(x);
    }
  }
  select(home);
}

/**
 * Row x = broadcast_in_dim of y (the current tape): the run length `inner` of
 * out[g] = y[(g / inner) % size(y)] when y is one element (a splat: any run) or y's non-unit axes
 * land on consecutive output axes of their own sizes (a bias, a scale per row); -1 otherwise.
 */
export function broadcastRun(x: i32): i32 {
  // Sizes from the dims: the fused kernel sets a block row's element count to the block's.
  const y = rowOperand(x, 0), nIn = rowNdim(y), nOut = rowNdim(x);
  let m: i64 = 1, n: i64 = 1;
  for (let k = 0; k < nIn; k++) m *= rowDim(y, k);
  for (let o = 0; o < nOut; o++) n *= rowDim(x, o);
  if (m == 1) return 1;
  if (m >= n || rowNparams(x) != nOut + nIn) return -1;
  let last = -1;
  for (let k = 0; k < nIn; k++) {
    if (rowDim(y, k) == 1) continue;
    const o = rowParam(x, nOut + k);
    if (o < 0 || o >= nOut || rowDim(x, o) != rowDim(y, k) || (last >= 0 && o != last + 1)) return -1;
    last = o;
  }
  let inner = 1;
  for (let o = last + 1; o < nOut; o++) inner *= rowDim(x, o);
  return inner;
}

/** Elements [off, off + len) of broadcast row x (block tape) at dst: runs of y's elements. */
function tile(x: i32, dst: usize, off: i32, len: i32): void {
  const y = rowOperand(x, 0), src = rowPtr(y), m = rowSize(y), w = itemsize(rowDtype(x)); // y: not a block
  if (m == 1) { splat(src, dst, len, w); return; }
  const inner = broadcastRun(x);
  for (let i = 0, g = off; i < len;) {
    const k = (g / inner) % m;
    // inner == 1: a stretch of y itself; else a run of one element of y
    const run = inner == 1 ? min(m - k, len - i) : min(inner - g % inner, len - i);
    if (inner == 1) memory.copy(dst + <usize>i * <usize>w, src + <usize>k * <usize>w, <usize>run * <usize>w);
    else splat(src + <usize>k * <usize>w, dst + <usize>i * <usize>w, run, w);
    i += run; g += run;
  }
}

/** len copies of the item at src (w bytes) at dst. */
function splat(src: usize, dst: usize, len: i32, w: i32): void {
  const bytes = <usize>len * <usize>w;
  if (w == 1) { memory.fill(dst, load<u8>(src), bytes); return; }
  const v = w == 8 ? i64x2.splat(load<i64>(src)) : i32x4.splat(load<i32>(src));
  const body = bytes & ~<usize>15;
  let i: usize = 0;
  for (; i < body; i += 16) v128.store(dst + i, v);
  for (; i < bytes; i += <usize>w) { if (w == 8) store<i64>(dst + i, load<i64>(src)); else store<i32>(dst + i, load<i32>(src)); }
}

/** Emit fused row r's program as ordinary rows on operands ext[0..nops); returns the output row. */
function expand(r: i32, ext: usize): i32 {
  const np = rowNparams(r);
  const pp = arenaAlloc(<usize>max(np, 1) << 2); // emission may move the param pool
  if (pp == 0) fail(E_OOM);
  memory.copy(pp, rowParamsPtr(r), <usize>np << 2);
  let q = 2 + param(pp, 1);
  const count = param(pp, q++);
  const rows = arenaAlloc(<usize>max(count, 1) << 2);
  if (rows == 0) fail(E_OOM);
  for (let i = 0; i < count; i++) {
    const op = param(pp, q++), n = param(pp, q++);
    for (let k = 0; k < n; k++) {
      const ref = param(pp, q++);
      setOperand(k, ref >= 0 ? load<i32>(rows + (<usize>ref << 2)) : load<i32>(ext + (<usize>(-ref - 1) << 2)));
    }
    const m = param(pp, q++);
    const x = emitN(op, operandScratch(), n, m, pp + (<usize>q << 2));
    if (x < 0) fail(-x);
    q += m;
    store<i32>(rows + (<usize>i << 2), x);
  }
  return load<i32>(rows + (<usize>(count - 1) << 2));
}

// JVP: the expanded rows, differentiated by their own rules (a nested forward pass over them,
// seeded on copies of the operands so that the pass's range holds its inputs).
function fusedJvp(r: i32): i32 {
  const n = rowNops(r);
  const ext = arenaAlloc(<usize>n << 2), ins = arenaAlloc(<usize>n << 2), seeds = arenaAlloc(<usize>n << 2);
  const res = arenaAlloc(8);
  if (ext == 0 || ins == 0 || seeds == 0 || res == 0) fail(E_OOM);
  const start = tapeLen();
  let k = 0;
  for (let j = 0; j < n; j++) {
    const x = rowOperand(r, j), c = e1(COPY, x), t = tangentOf(x);
    store<i32>(ext + (<usize>j << 2), c);
    if (t >= 0) { store<i32>(ins + (<usize>k << 2), c); store<i32>(seeds + (<usize>k << 2), t); k++; }
  }
  store<i32>(res, expand(r, ext));
  jvpRange(start, tapeLen(), k, ins, seeds, 1, res, res + 4);
  return load<i32>(res + 4);
}

// Batching: the expanded rows on the logical operands, batched by their own rules as emitted.
function fusedBatch(r: i32): void {
  const n = rowNops(r);
  const ext = arenaAlloc(<usize>n << 2);
  if (ext == 0) fail(E_OOM);
  for (let j = 0; j < n; j++) store<i32>(ext + (<usize>j << 2), rowOperand(r, j));
  const y = expand(r, ext), b = bdimOf(y);
  if (b >= 0) setBatched(r, rowImpl(y), b); else setBatched(r, batchedAs(y, 0), 0);
}

export function registerFused(): void {
  defineOp(FUSED, 'fused', VARIADIC, fusedShape);
  defKernel(FUSED, F32, fusedKernel);
  defKernel(FUSED, F64, fusedKernel);
  defKernel(FUSED, BOOL, fusedKernel);
  defKernel(FUSED, I32, fusedKernel);
  defKernel(FUSED, U32, fusedKernel);
  defJvp(FUSED, fusedJvp);
  neverLinear(FUSED);
  defBatch(FUSED, fusedBatch);
}
