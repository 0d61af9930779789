// Control flow as rows holding sub-tapes (JAX's while_loop primitive, whose params hold the cond
// and body jaxprs). A `while` row's params carry its cond and body as frozen tapes (freeze.ts),
// copied word by word into the param pool: a frozen block is position independent, so the row
// takes its sub-tapes along wherever it is copied (freeze, inline, the optimizer) and nothing
// else has to own them.
//
// while (tuple): operands [n carries, cc values cond closes over, bc values body closes over];
//   params [n, cc, bc, cw, bw, cond's cw words, body's bw words]. cond: (carries, its consts) ->
//   bool[]; body: (carries, its consts) -> carries, of the carries' dtypes and shapes. Its value:
//   the carries after body ran while cond held.
// The kernel runs both on a scratch tape of its own, reset every step (memory stays flat however
// many steps run), its inputs bound to the carry buffers without copies. The derivative rules
// are the host's (env.custom_rule, as custom_call's): it builds the JVP'd or batched cond and
// body from these and emits the new row. Reverse mode has no rule, as in JAX (a while loop's trip
// count is not known before it runs): the JVP'd row is never linear in a way transpose can use.
//
// Twins: the forward-mode JVP of a while or scan row r is a row y over (carries, tangents) that
// computes r's outputs again beside the tangents (JAX's _while_loop_jvp and _scan_jvp); r stays
// for whatever read its outputs before the JVP walk, so a jitted jvp ran the loop twice. y names
// r by one operand past its counted ones, a projection of r (the kernel and the rules never read
// it), and the optimizer computes r's readers from y's outputs instead (optimize.ts), so r is dead.
import { WHILE, SCAN, COND, CHECKPOINT, CONST, PROJ } from '../ops';
import { defineOp, defKernel, defJvp, defTranspose, defBatch, VARIADIC } from '../registry';
import {
  Tape, current, select, setPtr, rowNops, rowOperand, rowParam, rowNparams, rowParamsPtr, rowDtype, rowNdim,
  rowShapePtr, rowShapeOff, rowPtr, rowBytes, rowFlags, rowNout, rowOp, arenaAlloc, shapeReserve, shapeAt, HAS_VALUE,
} from '../tape';
import { addOutput, emitN, operandScratch } from '../emit';
import { loadFrozen, inline, canonicalizeFrozen } from '../freeze';
import { lendToNextConst, kernelFail, executeModesSet, rerun, keepConstBuffers, constBuffersKept } from '../execute';
import { batchedAs, bdimOf, setBatched, setUnbatched } from '../batching';
import { batchState, restoreBatchState } from '../vmap';
import { MAX_LIST } from '../limits';
import { NUM_DTYPES, BOOL, I32 } from '../../dtype';
import { E_OK, E_PARAMS, E_OOM, E_BAD_ROW, E_DTYPE, E_SHAPE, fail } from '../../errors';

import { hostCustomRule as hostRule } from './custom';

/** The host's rules (env.custom_rule's kinds after custom.ts's 0 and 1): the JVP of while row r, and its batching. */
export const RULE_WHILE_JVP = 2, RULE_WHILE_BATCH = 3, RULE_SCAN_JVP = 4, RULE_SCAN_BATCH = 5, RULE_SCAN_TRANSPOSE = 6, RULE_WHILE_TRANSPOSE = 7,
  RULE_COND_JVP = 8, RULE_COND_TRANSPOSE = 9, RULE_COND_BATCH = 10, RULE_CHECKPOINT_JVP = 11;

const HEAD = 5; // params before the blocks

/** The frozen cond (which 0) or body (1) of while row r, viewed in place in the current tape's param pool, or null. */
export function subTape(r: i32, which: i32): Tape | null {
  const np = rowNparams(r);
  if (np < HEAD) return null;
  const cw = rowParam(r, 3), bw = rowParam(r, 4);
  if (cw < 16 || bw < 16 || <i64>HEAD + <i64>cw + <i64>bw != <i64>np) return null;
  const words = which == 0 ? cw : bw;
  const base = rowParamsPtr(r) + (<usize>(HEAD + (which == 0 ? 0 : cw)) << 2);
  const t = loadFrozen(base);
  if (t === null || t.blockBytes > <usize>words << 2) return null;
  return t;
}

/**
 * The frozen blocks a row of `op` holds in its `np` params at `pp` (a while's cond and body, a
 * scan's body, a cond's or checkpoint's branches), each made canonical (freeze.ts). Params
 * whose layout does not check out are left as they are (they compare unequal at worst).
 */
export function canonicalizeBlocks(op: i32, np: i32, pp: usize): void {
  if (op == WHILE) {
    if (np < HEAD) return;
    const cw = word(pp, 3), bw = word(pp, 4);
    if (cw < 16 || bw < 16 || <i64>HEAD + <i64>cw + <i64>bw != <i64>np) return;
    canonicalizeFrozen(pp + (<usize>HEAD << 2));
    canonicalizeFrozen(pp + (<usize>(HEAD + cw) << 2));
  } else if (op == SCAN) {
    if (np < SCAN_HEAD || word(pp, 5) < 16 || <i64>SCAN_HEAD + <i64>word(pp, 5) != <i64>np) return;
    canonicalizeFrozen(pp + (<usize>SCAN_HEAD << 2));
  } else if (op == COND || op == CHECKPOINT) {
    if (np < 2) return;
    const nb = word(pp, 0);
    if (nb < 1 || <i64>2 + 2 * <i64>nb > <i64>np) return;
    let off: i64 = 2 + 2 * <i64>nb;
    for (let i = 0; i < nb; i++) {
      const w = word(pp, 2 + nb + i);
      if (w < 16 || off + <i64>w > <i64>np) return;
      canonicalizeFrozen(pp + (<usize>off << 2));
      off += w;
    }
  }
}

@inline function word(pp: usize, i: i32): i32 { return load<i32>(pp + (<usize>i << 2)); }

/** Does row `x` of the current tape have the dtype and shape of row `s` of tape `t`? */
function sameAval(x: i32, t: Tape, s: i32): i32 {
  const home = current();
  const dt = rowDtype(x), nd = rowNdim(x), sp = rowShapePtr(x);
  select(t);
  const code = rowDtype(s) != dt ? E_DTYPE : rowNdim(s) != nd || memory.compare(rowShapePtr(s), sp, <usize>nd << 2) != 0 ? E_SHAPE : E_OK;
  select(home);
  return code;
}

/** The operands row r (a while or scan) counts in its params: the rest is at most its twin. */
function counted(r: i32): i32 { return rowParam(r, 0) + rowParam(r, 1) + rowParam(r, 2); }

/**
 * The row that while or scan row y (a forward-mode JVP rule's) computes the outputs of again, or
 * -1: the tuple row of its operand past the counted ones (see the header).
 */
export function twinOf(y: i32): i32 {
  const op = rowOp(y);
  if (op != WHILE && op != SCAN) return -1;
  const c = counted(y);
  if (rowNops(y) != c + 1) return -1;
  const p = rowOperand(y, c);
  if (rowOp(p) != PROJ) return -1;
  const t = rowOperand(p, 0);
  return rowOp(t) == op ? t : -1;
}

/**
 * How many of row r's operands it depends on: all but a twin operand, which only names a row r
 * repeats (liveness, freeze and the JVP walk do not keep that row alive for r's sake).
 */
export function dependedOperands(r: i32): i32 { return twinOf(r) >= 0 ? rowNops(r) - 1 : rowNops(r); }

/** The output of twin row y that holds output k of the row t it repeats (a scan's ys follow its tangent carries). */
export function twinOutput(y: i32, t: i32, k: i32): i32 {
  if (rowOp(y) != SCAN) return k;
  const nt = rowParam(t, 0);
  return k < nt ? k : k + rowParam(y, 0) - nt;
}

/**
 * Whether row y's extra operand (if any) names a row y repeats: the same kind of loop over the
 * same leading carries (and, for a scan, xs, length and direction), with no more outputs of each
 * kind than y has. Anything else is a malformed row.
 */
function twinFits(y: i32, yYs: i32): bool {
  const extra = rowNops(y) - counted(y);
  if (extra == 0) return true;
  const t = extra == 1 ? twinOf(y) : -1;
  if (t < 0 || rowOperand(y, counted(y)) != t + 1) return false;
  const n = rowParam(t, 0);
  if (n > rowParam(y, 0)) return false;
  for (let k = 0; k < n; k++) if (rowOperand(t, k) != rowOperand(y, k)) return false;
  if (rowOp(y) == WHILE) return true;
  const nx = rowParam(t, 1), ncY = rowParam(y, 0);
  if (nx > rowParam(y, 1) || rowParam(t, 3) != rowParam(y, 3) || rowParam(t, 4) != rowParam(y, 4)) return false;
  for (let j = 0; j < nx; j++) if (rowOperand(t, n + j) != rowOperand(y, ncY + j)) return false;
  return rowNout(t) - n <= yYs; // (y's own outputs are not added yet: its body's count of ys)
}

function whileShape(r: i32): i32 {
  if (rowNparams(r) < HEAD) return E_PARAMS;
  const n = rowParam(r, 0), cc = rowParam(r, 1), bc = rowParam(r, 2);
  if (n < 1 || cc < 0 || bc < 0 || n + cc + bc > rowNops(r) || !twinFits(r, 0)) return E_PARAMS;
  const cond = subTape(r, 0), body = subTape(r, 1);
  if (cond === null || body === null) return E_PARAMS;
  if (cond.nIn != n + cc || cond.nOut != 1 || body.nIn != n + bc || body.nOut != n) return E_PARAMS;
  for (let k = 0; k < n + cc; k++) {
    const code = sameAval(rowOperand(r, k), cond, load<i32>(cond.ins + (<usize>k << 2)));
    if (code != E_OK) return code;
  }
  for (let k = 0; k < n + bc; k++) {
    const code = sameAval(rowOperand(r, k < n ? k : n + cc + (k - n)), body, load<i32>(body.ins + (<usize>k << 2)));
    if (code != E_OK) return code;
  }
  const home = current();
  select(cond);
  const p = load<i32>(cond.outs);
  const condOk = p >= 0 && rowDtype(p) == BOOL && rowNdim(p) == 0;
  select(home);
  if (!condOk) return E_DTYPE;
  for (let k = 0; k < n; k++) {
    const o = load<i32>(body.outs + (<usize>k << 2));
    if (o < 0) return E_PARAMS;
    const code = sameAval(rowOperand(r, k), body, o);
    if (code != E_OK) return code;
  }
  for (let k = 0; k < n; k++) {
    const x = rowOperand(r, k);
    const code = addOutput(r, rowDtype(x), rowNdim(x), rowShapeOff(x));
    if (code != E_OK) return code;
  }
  return E_OK;
}

/**
 * Emit sub-tape `t` into the current (scratch) tape with its inputs bound, without copies, to
 * the buffers at ptrs[0..nIn) and run it; its outputs' rows go to `result`, the CONST rows its
 * inputs became to `binds`. Returns an error code.
 *
 * A loop emits its sub-tapes once, on its first step, and `rerunSub` runs those rows again on
 * every later step (a fixed plan): re-emitting them each step (every row's shape rule, arena
 * allocation, the inliner's bookkeeping) cost about three times the kernels of a small body.
 * The baked constants keep their buffers for that (the inliner would hand a constant's buffer
 * to a later row once its last reader ran, and the next step would read that row's value).
 */
function runSub(t: Tape, ptrs: usize, result: usize, binds: usize): i32 {
  const g = current();
  for (let k = 0; k < t.nIn; k++) {
    select(t);
    const x = load<i32>(t.ins + (<usize>k << 2));
    const np = rowNparams(x), pp = rowParamsPtr(x); // an INPUT row's params are a CONST row's: dtype, shape...
    select(g);
    lendToNextConst(load<usize>(ptrs + (<usize>k << 2)));
    const c = emitN(CONST, operandScratch(), 0, np, pp);
    lendToNextConst(0);
    if (c < 0) return -c;
    store<i32>(binds + (<usize>k << 2), c);
  }
  const kept = constBuffersKept(); // (a loop inside a loop's body: the outer inline goes on after it)
  keepConstBuffers(true);
  const code = inline(t, binds, result, true);
  keepConstBuffers(kept);
  return code;
}

/**
 * Run the rows [from, to) of the current tape again, sub-tape `t`'s as `runSub` emitted them,
 * with its input rows binds[0..nIn) rebound to the buffers at ptrs[0..nIn). Every row keeps
 * the buffers it was given; an aliasing row's kernel points it at its operand's again.
 */
function rerunSub(t: Tape, ptrs: usize, binds: usize, from: i32, to: i32): i32 {
  for (let k = 0; k < t.nIn; k++) setPtr(load<i32>(binds + (<usize>k << 2)), load<usize>(ptrs + (<usize>k << 2)));
  for (let r = from; r < to; r++) {
    const op = rowOp(r);
    if (op == CONST || op == PROJ) continue; // (a tuple row's kernel fills its outputs)
    const code = rerun(r);
    if (code != E_OK) return code;
  }
  return E_OK;
}

/** A block of `n` i32s on the scratch arena, or 0. */
function rows(n: i32): usize { return arenaAlloc(<usize>max(n, 1) << 2); }

/**
 * Copy the new carries, rows res[0..n) of the scratch tape, into the carry buffers carry[0..n)
 * (of bytes[0..n) bytes). A new carry that is an old one's buffer (the body returned a carry as
 * it was, or swapped two) is staged first, so writing one carry never overwrites another's next
 * value. `stage` holds two words per carry. Returns an error code.
 */
function writeBack(res: usize, n: i32, carry: usize, bytes: usize, stage: usize): i32 {
  let staged = false;
  for (let k = 0; k < n; k++) {
    const o = load<i32>(res + (<usize>k << 2));
    if ((rowFlags(o) & HAS_VALUE) == 0) return E_BAD_ROW;
    const src = rowPtr(o);
    if (src == load<usize>(carry + (<usize>k << 2))) { store<usize>(stage + (<usize>k << 3), 0); continue; }
    let shared = false;
    for (let j = 0; j < n; j++) if (src == load<usize>(carry + (<usize>j << 2))) shared = true;
    let from = src;
    if (shared) { // (heap, freed below: the scratch arena is not reset between steps)
      from = heap.alloc(rowBytes(o));
      memory.copy(from, src, rowBytes(o));
      staged = true;
    }
    store<usize>(stage + (<usize>k << 3), from);
    store<usize>(stage + (<usize>k << 3) + 4, shared ? 1 : 0);
  }
  for (let k = 0; k < n; k++) {
    const from = load<usize>(stage + (<usize>k << 3));
    if (from != 0) memory.copy(load<usize>(carry + (<usize>k << 2)), from, load<usize>(bytes + (<usize>k << 2)));
  }
  if (staged) for (let k = 0; k < n; k++) if (load<usize>(stage + (<usize>k << 3) + 4) != 0) heap.free(load<usize>(stage + (<usize>k << 3)));
  return E_OK;
}

function whileKernel(r: i32): void {
  const n = rowParam(r, 0), cc = rowParam(r, 1), bc = rowParam(r, 2);
  const cond = subTape(r, 0), body = subTape(r, 1);
  if (cond === null || body === null || executeModesSet()) { kernelFail(E_BAD_ROW); return; }
  // The buffers each sub-tape binds: the carries (this row's outputs), then its consts.
  const cp = heap.alloc(<usize>(n + cc) << 2), bp = heap.alloc(<usize>(n + bc) << 2);
  const carry = heap.alloc(<usize>n << 2), bytes = heap.alloc(<usize>n << 2), stage = heap.alloc(<usize>n << 3);
  for (let k = 0; k < n; k++) {
    const p = rowPtr(r + 1 + k);
    memory.copy(p, rowPtr(rowOperand(r, k)), rowBytes(r + 1 + k));
    store<usize>(carry + (<usize>k << 2), p);
    store<usize>(bytes + (<usize>k << 2), rowBytes(r + 1 + k));
    store<usize>(cp + (<usize>k << 2), p);
    store<usize>(bp + (<usize>k << 2), p);
  }
  for (let j = 0; j < cc; j++) store<usize>(cp + (<usize>(n + j) << 2), rowPtr(rowOperand(r, n + j)));
  for (let j = 0; j < bc; j++) store<usize>(bp + (<usize>(n + j) << 2), rowPtr(rowOperand(r, n + cc + j)));
  const home = current();
  const g = Tape.create();
  select(g);
  // The first test and step emit cond and body (a fixed plan each, see runSub); the rest re-run them.
  let code = E_OK;
  const pred = rows(1), res = rows(n), cb = rows(cond.nIn), bb = rows(body.nIn);
  if (pred == 0 || res == 0 || cb == 0 || bb == 0) code = E_OOM;
  let condFrom = -1, condTo = -1, bodyFrom = -1, bodyTo = -1;
  while (code == E_OK) {
    if (condFrom < 0) {
      condFrom = g.len;
      code = runSub(cond, cp, pred, cb);
      condTo = g.len;
    } else code = rerunSub(cond, cp, cb, condFrom, condTo);
    if (code != E_OK) break;
    const p = load<i32>(pred);
    if ((rowFlags(p) & HAS_VALUE) == 0) { code = E_BAD_ROW; break; }
    if (load<u8>(rowPtr(p)) == 0) break;
    if (bodyFrom < 0) {
      bodyFrom = g.len;
      code = runSub(body, bp, res, bb);
      bodyTo = g.len;
    } else code = rerunSub(body, bp, bb, bodyFrom, bodyTo);
    if (code != E_OK) break;
    code = writeBack(res, n, carry, bytes, stage);
  }
  select(home);
  g.destroy();
  heap.free(cp); heap.free(bp); heap.free(carry); heap.free(bytes); heap.free(stage);
  if (code != E_OK) kernelFail(code);
}

// ---------------------------------------------------------------- scan

const SCAN_HEAD = 6; // params before the block: nc, nx, bc, length, reverse, words

/** The frozen body of scan row r, viewed in place in the current tape's param pool, or null. */
export function scanBody(r: i32): Tape | null {
  const np = rowNparams(r);
  if (np < SCAN_HEAD) return null;
  const bw = rowParam(r, 5);
  if (bw < 16 || <i64>SCAN_HEAD + <i64>bw != <i64>np) return null;
  const t = loadFrozen(rowParamsPtr(r) + (<usize>SCAN_HEAD << 2));
  if (t === null || t.blockBytes > <usize>bw << 2) return null;
  return t;
}

/** Is row `x` of the current tape, without its leading axis (of length `len`), the aval of row `s` of tape `t`? */
function sliceAval(x: i32, len: i32, t: Tape, s: i32): i32 {
  const home = current();
  const dt = rowDtype(x), nd = rowNdim(x), sp = rowShapePtr(x);
  if (nd < 1 || load<i32>(sp) != len) return E_SHAPE;
  select(t);
  const code = rowDtype(s) != dt ? E_DTYPE : rowNdim(s) != nd - 1 || memory.compare(rowShapePtr(s), sp + 4, <usize>(nd - 1) << 2) != 0 ? E_SHAPE : E_OK;
  select(home);
  return code;
}

function scanShape(r: i32): i32 {
  if (rowNparams(r) < SCAN_HEAD) return E_PARAMS;
  const nc = rowParam(r, 0), nx = rowParam(r, 1), bc = rowParam(r, 2), len = rowParam(r, 3), rev = rowParam(r, 4);
  if (nc < 0 || nx < 0 || bc < 0 || nc + nx + bc > rowNops(r) || len < 0 || (rev != 0 && rev != 1)) return E_PARAMS;
  const body = scanBody(r);
  if (body === null || body.nIn != nc + nx + bc || body.nOut < nc || body.nOut == 0 || !twinFits(r, body.nOut - nc)) return E_PARAMS;
  for (let k = 0; k < nc + nx + bc; k++) {
    const x = rowOperand(r, k), s = load<i32>(body.ins + (<usize>k << 2));
    const code = k >= nc && k < nc + nx ? sliceAval(x, len, body, s) : sameAval(x, body, s);
    if (code != E_OK) return code;
  }
  for (let k = 0; k < body.nOut; k++) if (load<i32>(body.outs + (<usize>k << 2)) < 0) return E_PARAMS;
  for (let k = 0; k < nc; k++) {
    const code = sameAval(rowOperand(r, k), body, load<i32>(body.outs + (<usize>k << 2)));
    if (code != E_OK) return code;
  }
  for (let k = 0; k < nc; k++) {
    const x = rowOperand(r, k);
    const code = addOutput(r, rowDtype(x), rowNdim(x), rowShapeOff(x));
    if (code != E_OK) return code;
  }
  const home = current();
  for (let k = nc; k < body.nOut; k++) { // ys: [length, ...y's shape]
    select(body);
    const y = load<i32>(body.outs + (<usize>k << 2));
    const dt = rowDtype(y), nd = rowNdim(y), sp = rowShapePtr(y);
    select(home);
    const off = shapeReserve(nd + 1);
    if (off < 0) return E_OOM;
    store<i32>(shapeAt(off), len);
    memory.copy(shapeAt(off) + 4, sp, <usize>nd << 2);
    const code = addOutput(r, dt, nd + 1, off);
    if (code != E_OK) return code;
  }
  return E_OK;
}

function scanKernel(r: i32): void {
  const nc = rowParam(r, 0), nx = rowParam(r, 1), bc = rowParam(r, 2), len = rowParam(r, 3), rev = rowParam(r, 4);
  const body = scanBody(r);
  if (body === null || executeModesSet()) { kernelFail(E_BAD_ROW); return; }
  const ny = body.nOut - nc, nIn = nc + nx + bc;
  // Per input: the buffer it binds (a carry, this step's slice of an x, a const); per x and y: base and slice bytes.
  const ptrs = heap.alloc(<usize>max(nIn, 1) << 2), carry = heap.alloc(<usize>max(nc, 1) << 2), bytes = heap.alloc(<usize>max(nc, 1) << 2);
  const xs = heap.alloc(<usize>max(nx, 1) << 3), ys = heap.alloc(<usize>max(ny, 1) << 3);
  for (let k = 0; k < nc; k++) {
    const p = rowPtr(r + 1 + k);
    memory.copy(p, rowPtr(rowOperand(r, k)), rowBytes(r + 1 + k));
    store<usize>(carry + (<usize>k << 2), p);
    store<usize>(bytes + (<usize>k << 2), rowBytes(r + 1 + k));
    store<usize>(ptrs + (<usize>k << 2), p);
  }
  for (let j = 0; j < nx; j++) {
    const x = rowOperand(r, nc + j);
    store<usize>(xs + (<usize>j << 3), rowPtr(x));
    store<usize>(xs + (<usize>j << 3) + 4, len > 0 ? rowBytes(x) / <usize>len : 0);
  }
  for (let j = 0; j < bc; j++) store<usize>(ptrs + (<usize>(nc + nx + j) << 2), rowPtr(rowOperand(r, nc + nx + j)));
  for (let j = 0; j < ny; j++) {
    const y = r + 1 + nc + j;
    store<usize>(ys + (<usize>j << 3), rowPtr(y));
    store<usize>(ys + (<usize>j << 3) + 4, len > 0 ? rowBytes(y) / <usize>len : 0);
  }
  const stage = heap.alloc(<usize>max(nc, 1) << 3);
  const home = current();
  const g = Tape.create();
  select(g);
  // The first step emits the body (a fixed plan, see runSub); the others re-run its rows.
  let code = E_OK;
  const res = rows(body.nOut), binds = rows(nIn);
  if (res == 0 || binds == 0) code = E_OOM;
  let from = -1, to = -1;
  for (let s = 0; s < len && code == E_OK; s++) {
    const i = <usize>(rev != 0 ? len - 1 - s : s);
    for (let j = 0; j < nx; j++) {
      store<usize>(ptrs + (<usize>(nc + j) << 2), load<usize>(xs + (<usize>j << 3)) + i * load<usize>(xs + (<usize>j << 3) + 4));
    }
    if (from < 0) {
      from = g.len;
      code = runSub(body, ptrs, res, binds);
      to = g.len;
    } else code = rerunSub(body, ptrs, binds, from, to);
    if (code != E_OK) break;
    // ys first: a y may be a carry's buffer, whose old value it is
    for (let j = 0; j < ny; j++) {
      const o = load<i32>(res + (<usize>(nc + j) << 2));
      if ((rowFlags(o) & HAS_VALUE) == 0) { code = E_BAD_ROW; break; }
      const sb = load<usize>(ys + (<usize>j << 3) + 4);
      memory.copy(load<usize>(ys + (<usize>j << 3)) + i * sb, rowPtr(o), sb);
    }
    if (code != E_OK) break;
    code = writeBack(res, nc, carry, bytes, stage);
  }
  select(home);
  g.destroy();
  heap.free(ptrs); heap.free(carry); heap.free(bytes); heap.free(xs); heap.free(ys); heap.free(stage);
  if (code != E_OK) kernelFail(code);
}

// JVP, transpose and vmap on the host (kinds 4, 6 and 5). vmap: batched carries along axis 0, xs along axis 1
// (axis 0 is the scanned one), consts along axis 0; the host's row has batched carries at axis 0
// and batched ys at axis 1, the others unbatched.
function scanJvp(r: i32): i32 {
  hostRule(RULE_SCAN_JVP, r);
  return -1;
}
// A linear scan row (staged by the JVP rule under linearize): its transpose is the host's reverse scan.
function scanTranspose(r: i32, ct: i32): void { hostRule(RULE_SCAN_TRANSPOSE, r); }
function scanBatch(r: i32): void {
  const nc = rowParam(r, 0), nx = rowParam(r, 1), nops = counted(r); // (a twin operand is not batched: the host's row has one of its own)
  const m = rowNout(r);
  batchRoom(max(nops, m));
  // the batched operands (carries and consts along axis 0, xs along axis 1) and the others as
  // they are: the host works out which carries the batch reaches (JAX's fixed point)
  for (let i = 0; i < nops; i++) {
    const x = rowOperand(r, i);
    const batched = bdimOf(x) >= 0;
    store<i32>(batchRows + (<usize>i << 2), batched ? batchedAs(x, i >= nc && i < nc + nx ? 1 : 0) : x);
    store<i32>(batchRows + (<usize>(batchCap + i) << 2), batched ? 1 : 0);
  }
  const state = batchState();
  hostRule(RULE_SCAN_BATCH, r);
  restoreBatchState(state);
  // its row, then a flag per output: batched (carries along axis 0, ys along 1), or one value
  // (NOT_MAPPED: a loop over unbatched carries ran once, not once per example, and what reads
  // only such values runs once too)
  const y = load<i32>(batchRows);
  for (let k = 0; k < m; k++) {
    const o = y + 1 + k;
    if (load<i32>(batchRows + (<usize>(batchCap + k) << 2)) != 0) setBatched(r + 1 + k, o, k < nc ? 0 : 1);
    else setUnbatched(r + 1 + k, o);
  }
}

function whileJvp(r: i32): i32 {
  hostRule(RULE_WHILE_JVP, r);
  return -1; // the host set each output's tangent
}
// vmap: each operand batched along axis 0 (a scan's xs along axis 1) or left as it is. The host
// reads those rows from `batchRows` (with a flag per operand: 1 if batched), works out which
// carries the batch reaches (JAX's fixed point; a while loop whose predicate differs per example
// batches them all), emits the batched row, and writes its id to batchRows[0] and a flag per
// output where the operands' flags were.
// It holds `batchCap` rows, then as many flags: MAX_LIST, grown (at least doubled) for a row
// with more operands or outputs (a scan over 5000 xs under vmap), so the host reads the flags at
// while_batch_stride() rows in.
let batchCap: i32 = MAX_LIST;
let batchRows: usize = heap.alloc(<usize>MAX_LIST << 3);
function batchRoom(n: i32): void {
  if (n <= batchCap) return;
  const cap = max(n, batchCap << 1);
  heap.free(batchRows);
  batchRows = heap.alloc(<usize>cap << 3);
  batchCap = cap;
}
/** The buffer the batching rule and the host exchange rows through (ABI: while_batch_rows). */
export function whileBatchRows(): usize { return batchRows; }
/** How many rows it holds before the flags (ABI: while_batch_stride; 4096 unless a row needed more). */
export function whileBatchStride(): i32 { return batchCap; }
// Staged by its JVP rule under linearize (linearize's jvpFn runs it); a transpose reaching it is
// reverse mode, which the host refuses (never a silent zero).
function whileTranspose(r: i32, ct: i32): void { hostRule(RULE_WHILE_TRANSPOSE, r); }
function whileBatch(r: i32): void {
  const n = rowParam(r, 0), nops = counted(r); // (a twin operand is not batched: the host's row has one of its own)
  batchRoom(max(nops, rowNout(r)));
  // the batched operands along axis 0 and the others as they are: the host works out which
  // carries the batch reaches, and batches them all when the predicate differs per example
  for (let i = 0; i < nops; i++) {
    const x = rowOperand(r, i);
    const batched = bdimOf(x) >= 0;
    store<i32>(batchRows + (<usize>i << 2), batched ? batchedAs(x, 0) : x);
    store<i32>(batchRows + (<usize>(batchCap + i) << 2), batched ? 1 : 0);
  }
  const state = batchState(); // (the host's calls back into wasm start with hostEntry, which resets it)
  hostRule(RULE_WHILE_BATCH, r);
  restoreBatchState(state);
  // its row, then a flag per carry: batched along axis 0, or one value (NOT_MAPPED)
  const y = load<i32>(batchRows);
  for (let k = 0; k < n; k++) {
    const o = y + 1 + k;
    if (load<i32>(batchRows + (<usize>(batchCap + k) << 2)) != 0) setBatched(r + 1 + k, o, 0);
    else setUnbatched(r + 1 + k, o);
  }
}

// ---------------------------------------------------------------- cond

/** Branch b of cond row r, viewed in place in the current tape's param pool, or null. */
export function condBranch(r: i32, b: i32): Tape | null {
  const np = rowNparams(r);
  if (np < 2) return null;
  const nb = rowParam(r, 0);
  if (nb < 1 || b < 0 || b >= nb || <i64>2 + 2 * <i64>nb > <i64>np) return null;
  let total: i64 = 2 + 2 * <i64>nb, off = 2 + 2 * nb;
  for (let i = 0; i < nb; i++) {
    const w = rowParam(r, 2 + nb + i);
    if (w < 16) return null;
    total += w;
    if (i < b) off += w;
  }
  if (total != <i64>np) return null;
  const t = loadFrozen(rowParamsPtr(r) + (<usize>off << 2));
  if (t === null || t.blockBytes > <usize>rowParam(r, 2 + nb + b) << 2) return null;
  return t;
}

/** The operand index of branch b's first const. */
function condConstsAt(r: i32, b: i32): i32 {
  let at = 1 + rowParam(r, 1);
  for (let i = 0; i < b; i++) at += rowParam(r, 2 + i);
  return at;
}

/** Do output k of tapes t and u have one dtype and shape? */
function sameOutputs(t: Tape, u: Tape, k: i32): bool {
  const home = current();
  select(t);
  const a = load<i32>(t.outs + (<usize>k << 2));
  const dt = rowDtype(a), nd = rowNdim(a), sp = rowShapePtr(a);
  select(u);
  const b = load<i32>(u.outs + (<usize>k << 2));
  const same = b >= 0 && rowDtype(b) == dt && rowNdim(b) == nd && memory.compare(rowShapePtr(b), sp, <usize>nd << 2) == 0;
  select(home);
  return same;
}

function condShape(r: i32): i32 {
  if (rowNparams(r) < 2) return E_PARAMS;
  const nb = rowParam(r, 0), na = rowParam(r, 1);
  if (nb < 1 || na < 0 || rowNparams(r) < 2 + 2 * nb) return E_PARAMS;
  let nops = 1 + na;
  for (let b = 0; b < nb; b++) { const c = rowParam(r, 2 + b); if (c < 0) return E_PARAMS; nops += c; }
  if (nops != rowNops(r)) return E_PARAMS;
  const idx = rowOperand(r, 0);
  if (rowDtype(idx) != I32 || rowNdim(idx) != 0) return E_DTYPE;
  const first = condBranch(r, 0);
  if (first === null || first.nOut < 1) return E_PARAMS;
  for (let b = 0; b < nb; b++) {
    const t = condBranch(r, b);
    if (t === null || t.nIn != na + rowParam(r, 2 + b) || t.nOut != first.nOut) return E_PARAMS;
    const at = condConstsAt(r, b);
    for (let k = 0; k < t.nIn; k++) {
      const code = sameAval(rowOperand(r, k < na ? 1 + k : at + (k - na)), t, load<i32>(t.ins + (<usize>k << 2)));
      if (code != E_OK) return code;
    }
    for (let k = 0; k < t.nOut; k++) {
      if (load<i32>(t.outs + (<usize>k << 2)) < 0) return E_PARAMS;
      if (!sameOutputs(first, t, k)) return E_DTYPE;
    }
  }
  const home = current();
  for (let k = 0; k < first.nOut; k++) {
    select(first);
    const o = load<i32>(first.outs + (<usize>k << 2));
    const dt = rowDtype(o), nd = rowNdim(o), sp = rowShapePtr(o);
    select(home);
    const off = shapeReserve(nd);
    if (off < 0) return E_OOM;
    memory.copy(shapeAt(off), sp, <usize>nd << 2);
    const code = addOutput(r, dt, nd, off);
    if (code != E_OK) return code;
  }
  return E_OK;
}

function condKernel(r: i32): void {
  const nb = rowParam(r, 0), na = rowParam(r, 1);
  const idx = load<i32>(rowPtr(rowOperand(r, 0)));
  const b = idx < 0 ? 0 : idx >= nb ? nb - 1 : idx; // (clamped, as JAX's switch)
  const t = condBranch(r, b);
  if (t === null || executeModesSet()) { kernelFail(E_BAD_ROW); return; }
  const m = rowNout(r), at = condConstsAt(r, b);
  const ptrs = heap.alloc(<usize>max(t.nIn, 1) << 2), outs = heap.alloc(<usize>m << 3);
  for (let k = 0; k < t.nIn; k++) store<usize>(ptrs + (<usize>k << 2), rowPtr(rowOperand(r, k < na ? 1 + k : at + (k - na))));
  for (let k = 0; k < m; k++) { store<usize>(outs + (<usize>k << 3), rowPtr(r + 1 + k)); store<usize>(outs + (<usize>k << 3) + 4, rowBytes(r + 1 + k)); }
  const home = current();
  const g = Tape.create();
  select(g);
  let code = E_OK;
  const res = rows(m), binds = rows(t.nIn);
  if (res == 0 || binds == 0) code = E_OOM;
  if (code == E_OK) code = runSub(t, ptrs, res, binds);
  if (code == E_OK) {
    for (let k = 0; k < m; k++) {
      const o = load<i32>(res + (<usize>k << 2));
      if ((rowFlags(o) & HAS_VALUE) == 0) { code = E_BAD_ROW; break; }
      memory.copy(load<usize>(outs + (<usize>k << 3)), rowPtr(o), load<usize>(outs + (<usize>k << 3) + 4));
    }
  }
  select(home);
  g.destroy();
  heap.free(ptrs); heap.free(outs);
  if (code != E_OK) kernelFail(code);
}

// JVP, transpose and vmap on the host (kinds 8, 9, 10). vmap: each operand batched along axis 0
// or left as it is (flag 0); the host writes each output's batch (axis 0) at batchRows[k]: a
// cond row over the vmapped branches, or, for a batched index, every branch and a select.
function condJvp(r: i32): i32 {
  hostRule(RULE_COND_JVP, r);
  return -1;
}
function condTranspose(r: i32, ct: i32): void { hostRule(RULE_COND_TRANSPOSE, r); }
function condBatch(r: i32): void {
  const nops = rowNops(r);
  batchRoom(max(nops, rowNout(r)));
  for (let i = 0; i < nops; i++) {
    const x = rowOperand(r, i);
    const batched = bdimOf(x) >= 0;
    store<i32>(batchRows + (<usize>i << 2), batched ? batchedAs(x, 0) : x);
    store<i32>(batchRows + (<usize>(batchCap + i) << 2), batched ? 1 : 0);
  }
  const state = batchState();
  hostRule(RULE_COND_BATCH, r);
  restoreBatchState(state);
  // each output's row, then a flag per output: batched along axis 0, or one value (an unbatched
  // index and no batched value reaching it in any branch: NOT_MAPPED)
  for (let k = 0; k < rowNout(r); k++) {
    const o = load<i32>(batchRows + (<usize>k << 2));
    if (load<i32>(batchRows + (<usize>(batchCap + k) << 2)) != 0) setBatched(r + 1 + k, o, 0);
    else setUnbatched(r + 1 + k, o);
  }
}

// checkpoint: a cond row of one branch (index 0) whose JVP rule, under linearize, stages a linear
// cond over the tangents and the row's own inputs instead of residuals (kind 11: the host).
function checkpointJvp(r: i32): i32 {
  hostRule(RULE_CHECKPOINT_JVP, r);
  return -1;
}

export function registerControl(): void {
  defineOp(WHILE, 'while', VARIADIC, whileShape);
  for (let d = 0; d < NUM_DTYPES; d++) defKernel(WHILE, d, whileKernel);
  defJvp(WHILE, whileJvp);
  defTranspose(WHILE, whileTranspose);
  defBatch(WHILE, whileBatch);
  defineOp(SCAN, 'scan', VARIADIC, scanShape);
  for (let d = 0; d < NUM_DTYPES; d++) defKernel(SCAN, d, scanKernel);
  defJvp(SCAN, scanJvp);
  defTranspose(SCAN, scanTranspose);
  defBatch(SCAN, scanBatch);
  defineOp(COND, 'cond', VARIADIC, condShape);
  for (let d = 0; d < NUM_DTYPES; d++) defKernel(COND, d, condKernel);
  defJvp(COND, condJvp);
  defTranspose(COND, condTranspose);
  defBatch(COND, condBatch);
  defineOp(CHECKPOINT, 'checkpoint', VARIADIC, condShape);
  for (let d = 0; d < NUM_DTYPES; d++) defKernel(CHECKPOINT, d, condKernel);
  defJvp(CHECKPOINT, checkpointJvp);
  defTranspose(CHECKPOINT, condTranspose); // (on linear operands it is a linear cond)
  defBatch(CHECKPOINT, condBatch);
}
