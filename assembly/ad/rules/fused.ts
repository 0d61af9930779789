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
// The last instruction may be a SUM of the chain (a loss, a softmax's denominator, a bias
// gradient): the chain's values then exist a block at a time and are summed as they come, in the
// very order the SUM kernel adds them (kernels/reduce.ts: its pairwise splits are followed, and its
// leaves run on the block), so the bits are the SUM row's. The params' shape is then the chain's.
// JVP and batching expand the program back into its rows, whose own rules then apply.
import { Arena } from '../../arena';
import { defineOp, defKernel, defJvp, neverLinear, defBatch, kernel, opKernelKey, KEY_OPERAND, VARIADIC } from '../registry';
import {
  Tape, current, select, tapeReset, tapeEpoch, tapeLen, setEager, rowDtype, rowNdim, rowDim, rowShapePtr, rowNops,
  rowOperand, rowNparams, rowParamsPtr, rowParam, rowPtr, rowSize, rowOp, rowImpl, setPtr, setSize, setDtype, isTuple, arenaAlloc,
  shapeReserve, shapeAt, setShape, rowBytes,
} from '../tape';
import { axesMask } from './reduce';
import {
  sumGroups, groupSize, groupReduced, rowSum, rowSplit, shortRowSum, colSumBase, colDepth, addInto, plusZero,
  COL_BLOCK, SHORT_ROW,
} from '../../kernels/reduce';
import { emitN, e1, operandScratch, setOperand, operandRoom } from '../emit';
import { onScratchTape, freezeMapped } from '../optimize';
import { jvpRange } from '../jvp';
import { tangentOf } from '../maps';
import { bdimOf, setBatched, batchedAs } from '../batching';
import { shapeFromParams } from '../shape_rules';
import { MAX_LIST } from '../limits';
import {
  FUSED, INPUT, CONST, PROJ, COPY, FULL, BROADCAST_IN_DIM, NEG, EXP, LOG, SIN, COS, TANH, SQRT, ADD, SUB, MUL, DIV, POW, LT, LE, GT, GE, EQ,
  NE, SELECT, CONVERT, MAX, MIN, REM, AND, OR, XOR, NOT, SHL, SHR_A, SHR_L, ABS, SIGN, FLOOR, CEIL, ROUND, TRUNC,
  IS_FINITE, EXPM1, LOG1P, EXP2, LOG2, LOG10, CBRT, TAN, ASIN, ACOS, ATAN, SINH, COSH, ASINH, ACOSH, ATANH, ERF, ERFC,
  ERF_INV, LGAMMA, DIGAMMA, POLYGAMMA, ATAN2, HYPOT, SUM,
} from '../ops';
import { F32, F64, BOOL, I32, U32, itemsize } from '../../dtype';
import { E_OK, E_PARAMS, E_DTYPE, E_SHAPE, E_OOM, fail, setError } from '../../errors';

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

/** Fewest kept elements after the summed axes (K) for a column sum to be worth fusing: each run of K is a block. */
const MIN_COLUMNS: i32 = 32;

/**
 * May SUM row x (of the tape selected) end a fused program? Its axes must leave one run of summed
 * axes once size-1 axes are dropped and neighbours merged (a sum over the last axes, the first,
 * the middle ones, or all), so its kernel sums rows or columns; `worth`: and the columns (if any)
 * are long enough that a block per run pays.
 */
export function fusibleSum(x: i32, worth: bool): bool {
  const a = rowOperand(x, 0), d = rowDtype(x);
  if (rowOp(x) != SUM || (d != F32 && d != F64 && d != I32 && d != U32) || rowDtype(a) != d) return false;
  const g = sumGroups(rowShapePtr(a), rowNdim(a), axesMask(x));
  let nRed = 0, after = 1;
  for (let i = 0; i < g; i++) {
    if (groupReduced(i)) nRed++;
    else if (nRed > 0) after = groupSize(i);
  }
  return nRed <= 1 && (!worth || after == 1 || after >= MIN_COLUMNS);
}

// The block tape: the program of a row, external operands as rows 0..nExt-1 (INPUT rows with
// their real shapes), instruction i as row nExt + i. SLOTS programs stay built, each on a block
// tape of its own, keyed by (tape, row, epoch): a loop body's fused rows run in turn at every step
// (control.ts's fixed plan), and with one slot each rebuilt the other's program.
const SLOTS: i32 = 8;
function blockTape(): usize { return changetype<usize>(Tape.create()); }
let blk: Tape = changetype<Tape>(blockTape());
// A run's registers, SUM slab and column scratch: one arena for every slot (one fused row runs at
// a time: its instructions are elementwise primitives), emptied at the start of each run, so a
// loop re-running a row (control.ts's fixed plan) reuses the same memory at every step.
const regs_: Arena = Arena.create(256 << 10);
function scratchAlloc(bytes: usize): usize { return regs_.alloc(bytes); }
let nExt: i32 = 0, nInstr: i32 = 0;
let sums: bool = false; // the last instruction is a SUM of the one before
let chainN: i32 = 0;    // elements of the chain (the params' shape)
let slot: i32 = 0, victim: i32 = 0;
// per slot: its tape, key and the program's fields (i32 words: tape, key tape, row, epoch, nExt, nInstr, sums, chainN)
const slots: usize = heap.alloc(<usize>SLOTS * 32);
for (let i = 0; i < SLOTS; i++) {
  memory.fill(slots + <usize>i * 32, 0, 32);
  store<i32>(slots + <usize>i * 32 + 8, -1);
  store<usize>(slots + <usize>i * 32, i == 0 ? changetype<usize>(blk) : 0);
}
@inline function slotWord(i: i32, k: i32): usize { return slots + <usize>i * 32 + (<usize>k << 2); }

/** Make slot i's program the current one (its block tape, made on first use, and fields). */
function useSlot(i: i32): void {
  if (i == slot) return;
  store<i32>(slotWord(slot, 4), nExt); store<i32>(slotWord(slot, 5), nInstr);
  store<i32>(slotWord(slot, 6), sums ? 1 : 0); store<i32>(slotWord(slot, 7), chainN);
  let t = load<usize>(slotWord(i, 0));
  if (t == 0) { t = blockTape(); store<usize>(slotWord(i, 0), t); } // (made on first use: start-up memory stays as it was)
  blk = changetype<Tape>(t);
  nExt = load<i32>(slotWord(i, 4)); nInstr = load<i32>(slotWord(i, 5));
  sums = load<i32>(slotWord(i, 6)) != 0; chainN = load<i32>(slotWord(i, 7));
  slot = i;
}

/**
 * Make the slot with row r of the current tape built current; false when none has it. A kernel's
 * miss (a loop re-running rows emitted earlier) builds in slots 1.. in turn; emission builds in
 * slot 0 (`emitSlot`), right before the kernel runs, so a program run once never makes the other
 * slots' tapes (made in the middle of a large program, their chunks left holes in the heap: np.i0
 * of 1M floats grew wasm memory from 136 to 245 MiB).
 */
function findSlot(r: i32): bool {
  const home = <i32>changetype<usize>(current()), ep = tapeEpoch();
  for (let i = 0; i < SLOTS; i++) {
    if (load<i32>(slotWord(i, 1)) == home && load<i32>(slotWord(i, 2)) == r && load<i32>(slotWord(i, 3)) == ep) { useSlot(i); return true; }
  }
  useSlot(1 + victim);
  victim = (victim + 1) % (SLOTS - 1);
  return false;
}

/** Slot 0, for building row r at its emission; no other slot keeps a program for r (it may be another row now). */
function emitSlot(r: i32): void {
  const home = <i32>changetype<usize>(current());
  for (let i = 1; i < SLOTS; i++) if (load<i32>(slotWord(i, 1)) == home && load<i32>(slotWord(i, 2)) == r) store<i32>(slotWord(i, 2), -1);
  useSlot(0);
}

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
  let size: i64 = 1;
  for (let a = 0; a < nd; a++) { const d = param(pp, 2 + a); if (d < 0) return E_SHAPE; size = min<i64>(size * d, i32.MAX_VALUE); }
  if (size >= i32.MAX_VALUE) return E_SHAPE;
  let summed = false;
  store<i32>(slotWord(slot, 2), -1); // (unbuilt until it succeeds)
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
    summed = op == SUM;
    if (summed) {
      // Only last, of the instruction before it.
      if (i != count - 1 || i == 0 || n != 1 || q + 2 > np || param(pp, q) != i - 1) return E_PARAMS;
    } else if (!fusible(op) || n < 0 || n > 3 || q + n + 1 > np) return E_PARAMS;
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
    if (summed) { if (!fusibleSum(x, false)) return E_PARAMS; continue; }
    // Every instruction has the params' shape; a broadcast reads an operand of its own.
    if (rowNdim(x) != nd) return E_SHAPE;
    for (let a = 0; a < nd; a++) if (rowDim(x, a) != param(pp, 2 + a)) return E_SHAPE;
    if (op == BROADCAST_IN_DIM && (rowOperand(x, 0) >= nops || broadcastRun(x) < 0)) return E_PARAMS;
    if (i == count - 1 && rowDtype(x) != dt) return E_DTYPE;
  }
  if (q != np) return E_PARAMS;
  if (summed && rowDtype(nops + count - 1) != dt) return E_DTYPE;
  nExt = nops; nInstr = count; sums = summed; chainN = <i32>size;
  select(home);
  store<i32>(slotWord(slot, 1), <i32>changetype<usize>(home)); store<i32>(slotWord(slot, 2), r); store<i32>(slotWord(slot, 3), tapeEpoch());
  return E_OK;
}

function fusedShape(r: i32): i32 {
  const home = current();
  emitSlot(r);
  const code = build(r);
  select(home);
  if (code != E_OK) return code;
  setDtype(r, rowParam0(r));
  if (!sums) return shapeFromParams(r, 2, param(rowParamsPtr(r), 1));
  // The SUM's shape, from the block tape.
  select(blk);
  const x = nExt + nInstr - 1, nd = rowNdim(x);
  memory.copy(prm, rowShapePtr(x), <usize>nd << 2);
  select(home);
  const off = shapeReserve(nd);
  if (off < 0) return E_OOM;
  memory.copy(shapeAt(off), prm, <usize>nd << 2);
  setShape(r, nd, off);
  return E_OK;
}
@inline function rowParam0(r: i32): i32 { return param(rowParamsPtr(r), 0); }

// Per-instruction scratch of the kernel: register address, varies-per-block flag, last reader.
const regs: usize = heap.alloc(<usize>MAX_INSTRUCTIONS << 2);
const vary: usize = heap.alloc(<usize>MAX_INSTRUCTIONS);
const lastUse: usize = heap.alloc(<usize>MAX_INSTRUCTIONS << 2);
const freeRegs: usize = heap.alloc(<usize>MAX_INSTRUCTIONS << 2);
const extPtr: usize = heap.alloc(<usize>MAX_LIST << 2);
const isSource: usize = heap.alloc(<usize>MAX_LIST); // an operand read through a broadcast (not per block)

let top: i32 = 0;          // the instruction a block's values are written out from
let slab: usize = 0;       // a SUM's chain values: a block, or COL_BLOCK runs of up to BLOCK
let extStep: usize = 0;    // per ext operand: its item size, or 0 when it is read whole (a broadcast's)

function fusedKernel(r: i32): void {
  const home = current();
  if (!findSlot(r)) {
    const code = build(r);
    select(home);
    if (code != E_OK) fail(code);
  }
  const out = rowPtr(r), outN = rowSize(r), osz = <usize>itemsize(rowDtype(r)), dt = rowDtype(r);
  const n = sums ? chainN : outN;
  if (n == 0) { if (outN > 0) memory.fill(out, 0, <usize>outN * osz); return; } // an empty sum is 0
  for (let j = 0; j < nExt; j++) store<usize>(extPtr + (<usize>j << 2), rowPtr(rowOperand(r, j)));
  select(blk);
  regs_.reset(); // (a loop re-runs a row without a rebuild: 10,000 steps took 10,000 register sets)
  top = sums ? nInstr - 2 : nInstr - 1;
  // A broadcast's operand (fewer elements than the chain) is read whole, not a block at a time.
  for (let j = 0; j < nExt; j++) store<u8>(isSource + <usize>j, dimsSize(j) != <i64>n ? 1 : 0);
  // Which instructions vary from block to block, and where each is last read.
  for (let i = 0; i <= top; i++) {
    const x = nExt + i, op = rowOp(x);
    let v = false;
    for (let k = 0; k < rowNops(x); k++) {
      const o = rowOperand(x, k);
      if (o >= nExt) { v = v || load<u8>(vary + <usize>(o - nExt)) != 0; store<i32>(lastUse + (<usize>(o - nExt) << 2), i); }
      else if (op != BROADCAST_IN_DIM || dimsSize(o) != 1) v = true;
    }
    store<u8>(vary + <usize>i, v ? 1 : 0);
    store<i32>(lastUse + (<usize>i << 2), -1);
  }
  // Registers: one per instruction below the top, reused once its last reader has run (an
  // instruction never writes the register it reads: some kernels change the item size).
  let nFree = 0;
  for (let i = 0; i < top; i++) {
    let p: usize = 0;
    if (nFree > 0 && load<u8>(vary + <usize>i) != 0) p = load<usize>(freeRegs + (<usize>(--nFree) << 2));
    else p = scratchAlloc(<usize>BLOCK << 3);
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
  // What does not vary (FULLs, splats) is computed once, a block long.
  bindExt(0, min(BLOCK, n));
  for (let i = 0; i < top; i++) if (load<u8>(vary + <usize>i) == 0) runInstr(i, 0, min(BLOCK, n), load<usize>(regs + (<usize>i << 2)));
  if (!sums) {
    for (let off = 0; off < n; off += BLOCK) runBlock(off, min(BLOCK, n - off), out + <usize>off * osz);
  } else {
    slab = scratchAlloc(<usize>(COL_BLOCK * BLOCK) << 3);
    if (slab == 0) { select(home); fail(E_OOM); }
    if (dt == F32) { sumChain<f32>(out); plusZero<f32>(out, <usize>outN); } // (the SUM kernel's +0 start)
    else if (dt == F64) { sumChain<f64>(out); plusZero<f64>(out, <usize>outN); }
    else sumChain<i32>(out); // int32 and uint32 wrap alike
  }
  select(home);
}

/** Elements of block-tape row j from its dims (the kernel resets block rows' sizes). */
function dimsSize(j: i32): i64 {
  let m: i64 = 1;
  for (let a = 0; a < rowNdim(j); a++) m *= rowDim(j, a);
  return m;
}

/** The chain's elements [off, off + len), len <= BLOCK, computed into dst (block tape selected). */
function runBlock(off: i32, len: i32, dst: usize): void {
  bindExt(off, len);
  for (let i = 0; i < top; i++) if (load<u8>(vary + <usize>i) != 0) runInstr(i, off, len, load<usize>(regs + (<usize>i << 2)));
  runInstr(top, off, len, dst);
}

/** The ext operands' rows at elements [off, off + len) (a broadcast's operand: whole). */
function bindExt(off: i32, len: i32): void {
  for (let j = 0; j < nExt; j++) {
    const base = load<usize>(extPtr + (<usize>j << 2));
    if (load<u8>(isSource + <usize>j) != 0) { setPtr(j, base); continue; }
    setPtr(j, base + <usize>off * <usize>itemsize(rowDtype(j)));
    setSize(j, len);
  }
}

/** Instruction i on elements [off, off + len) into dst. */
function runInstr(i: i32, off: i32, len: i32, dst: usize): void {
  const x = nExt + i, op = rowOp(x);
  setPtr(x, dst);
  setSize(x, len);
  if (op == BROADCAST_IN_DIM) { tile(x, dst, off, len); return; }
  const key = opKernelKey(op) == KEY_OPERAND ? rowDtype(rowOperand(x, 0)) : rowDtype(x);
  kernel(op, key)(x);
}

/**
 * out = the SUM (last instruction) of the chain, summed as the SUM kernel sums (sumAxes in
 * kernels/reduce.ts): one run of summed axes, R long, between O kept before and K kept after.
 */
function sumChain<T>(out: usize): void {
  const a = nExt + top, x = nExt + nInstr - 1, sz = <i32>sizeof<T>();
  const g = sumGroups(rowShapePtr(a), rowNdim(a), axesMask(x));
  let O = 1, R = 1, K = 1, seen = false;
  for (let i = 0; i < g; i++) {
    const s = groupSize(i);
    if (groupReduced(i)) { R = s; seen = true; } else if (seen) K = s; else O *= s;
  }
  if (!seen) { // only size-1 axes summed: the values themselves
    for (let off = 0; off < chainN; off += BLOCK) runBlock(off, min(BLOCK, chainN - off), out + <usize>off * <usize>sz);
    return;
  }
  if (K == 1 && R <= BLOCK) {
    // Whole rows per block.
    const per = BLOCK / R;
    for (let o = 0; o < O; o += per) {
      const rows = min(per, O - o);
      runBlock(o * R, rows * R, slab);
      for (let k = 0; k < rows; k++) {
        const p = slab + <usize>(k * R * sz);
        store<T>(out + <usize>(o + k) * <usize>sz, R < SHORT_ROW ? shortRowSum<T>(p, R) : rowSum<T>(p, R));
      }
    }
  } else if (K == 1) {
    for (let o = 0; o < O; o++) store<T>(out + <usize>o * <usize>sz, rowTree<T>(o * R, R));
  } else {
    // Columns: runs of up to BLOCK of the K, each summed down the R rows as colSum does.
    const tmp = scratchAlloc(<usize>max(colDepth(R), 1) * <usize>BLOCK * <usize>sz);
    if (tmp == 0) fail(E_OOM);
    for (let o = 0; o < O; o++) {
      for (let j = 0; j < K; j += BLOCK) {
        const w = min(BLOCK, K - j);
        colTree<T>(o * R * K + j, K, R, w, out + (<usize>o * <usize>K + <usize>j) * <usize>sz, tmp);
      }
    }
  }
}

/** Elements of a row computed into the slab before rowSum takes over: a few blocks, so each block is a full one. */
const ROW_NODE: i32 = 8 * BLOCK;

/** rowSum's value for the chain's elements [start, start + len): its splits, then rowSum itself on the values. */
function rowTree<T>(start: i32, len: i32): T {
  if (len > ROW_NODE) {
    const h = rowSplit<T>(len);
    return rowTree<T>(start, h) + rowTree<T>(start + h, len - h);
  }
  for (let off = 0; off < len; off += BLOCK) runBlock(start + off, min(BLOCK, len - off), slab + <usize>(off * sizeof<T>()));
  return rowSum<T>(slab, len);
}

/**
 * colSum's value for R rows (K apart) of w columns of the chain, the first at element start, into
 * dst: halves of rows summed apart and added, leaves of up to COL_BLOCK rows from the slab.
 */
function colTree<T>(start: i32, K: i32, R: i32, w: i32, dst: usize, tmp: usize): void {
  if (R <= COL_BLOCK) {
    for (let r = 0; r < R; r++) runBlock(start + r * K, w, slab + <usize>(r * w * sizeof<T>()));
    colSumBase<T>(slab, R, w, dst);
    return;
  }
  const h = R >> 1, rowBytes = <usize>w * sizeof<T>();
  colTree<T>(start, K, h, w, dst, tmp);
  colTree<T>(start + h * K, K, R - h, w, tmp, tmp + rowBytes);
  addInto<T>(dst, tmp, w);
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
  return expandParams(copiedParams(rowParamsPtr(r), rowNparams(r)), ext);
}

/** A copy of np params at src in the selected tape's arena: emission may move the param pool. */
function copiedParams(src: usize, np: i32): usize {
  const pp = arenaAlloc(<usize>max(np, 1) << 2);
  if (pp == 0) fail(E_OOM);
  memory.copy(pp, src, <usize>np << 2);
  return pp;
}

/** Emit the program in params pp (a fused row's, copied) as ordinary rows on the selected tape; returns the output row. */
function expandParams(pp: usize, ext: usize): i32 {
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

/**
 * A copy of frozen tape t with every fused row expanded back into its rows (or null, the error
 * recorded). A fused loop body that is differentiated has its JVP rule expand each fused row to
 * differentiate it, beside the fused row that stays as the primal: the same values computed
 * twice, which common-subexpression elimination cannot see through a fused row. Differentiating
 * the unfused body, then optimizing and fusing the result, computes them once.
 */
export function unfuse(t: Tape): Tape | null { return onScratchTape(t, unfusePass); }

function unfusePass(t: Tape, g: Tape): Tape | null {
  const len = t.len;
  const map = arenaAlloc(<usize>max(len, 1) << 2), ext = arenaAlloc(<usize>MAX_LIST << 2);
  if (map == 0 || ext == 0) { setError(E_OOM); return null; }
  select(g);
  setEager(false);
  for (let r = 0; r < len; r++) {
    select(t);
    const op = rowOp(r), n = rowNops(r);
    if (op == PROJ) { // a tuple row's outputs follow it on both tapes
      const tr = rowOperand(r, 0);
      select(g); // (allocation after the loop is the scratch tape's)
      store<i32>(map + (<usize>r << 2), load<i32>(map + (<usize>tr << 2)) + (r - tr));
      continue;
    }
    let x: i32;
    if (op == FUSED) {
      for (let i = 0; i < n; i++) store<i32>(ext + (<usize>i << 2), load<i32>(map + (<usize>rowOperand(r, i) << 2)));
      const src = rowParamsPtr(r), np = rowNparams(r);
      select(g); // (the arena is the scratch tape's: a frozen tape has none)
      x = expandParams(copiedParams(src, np), ext);
    } else {
      operandRoom(n);
      for (let i = 0; i < n; i++) setOperand(i, load<i32>(map + (<usize>rowOperand(r, i) << 2)));
      const np = rowNparams(r), pp = rowParamsPtr(r);
      const value = op == CONST ? t.block + rowPtr(r) : 0, bytes = op == CONST ? rowBytes(r) : 0;
      select(g);
      x = emitN(op, operandScratch(), n, np, pp);
      if (x < 0) { setError(-x); return null; }
      if (op == CONST) memory.copy(rowPtr(x), value, bytes);
    }
    store<i32>(map + (<usize>r << 2), x);
  }
  return freezeMapped(t, map);
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
