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
import { WHILE, CONST } from '../ops';
import { defineOp, defKernel, defJvp, neverLinear, defBatch, VARIADIC } from '../registry';
import {
  Tape, current, select, tapeReset, rowNops, rowOperand, rowParam, rowNparams, rowParamsPtr, rowDtype, rowNdim,
  rowShapePtr, rowShapeOff, rowPtr, rowBytes, rowFlags, arenaAlloc, HAS_VALUE,
} from '../tape';
import { addOutput, emitN, operandScratch } from '../emit';
import { loadFrozen, inline } from '../freeze';
import { lendToNextConst, kernelFail, executeModesSet } from '../execute';
import { batchedAs, bdimOf, setBatched } from '../batching';
import { batchState, restoreBatchState } from '../vmap';
import { MAX_LIST } from '../limits';
import { NUM_DTYPES, BOOL } from '../../dtype';
import { E_OK, E_PARAMS, E_OOM, E_BAD_ROW, E_DTYPE, E_SHAPE, fail } from '../../errors';

import { hostCustomRule as hostRule } from './custom';

/** The host's rules (env.custom_rule's kinds after custom.ts's 0 and 1): the JVP of while row r, and its batching. */
export const RULE_WHILE_JVP = 2, RULE_WHILE_BATCH = 3;

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

/** Does row `x` of the current tape have the dtype and shape of row `s` of tape `t`? */
function sameAval(x: i32, t: Tape, s: i32): i32 {
  const home = current();
  const dt = rowDtype(x), nd = rowNdim(x), sp = rowShapePtr(x);
  select(t);
  const code = rowDtype(s) != dt ? E_DTYPE : rowNdim(s) != nd || memory.compare(rowShapePtr(s), sp, <usize>nd << 2) != 0 ? E_SHAPE : E_OK;
  select(home);
  return code;
}

function whileShape(r: i32): i32 {
  if (rowNparams(r) < HEAD) return E_PARAMS;
  const n = rowParam(r, 0), cc = rowParam(r, 1), bc = rowParam(r, 2);
  if (n < 1 || cc < 0 || bc < 0 || n + cc + bc != rowNops(r)) return E_PARAMS;
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
 * the buffers at ptrs[0..nIn) and run it; its outputs' rows go to `result`. Returns an error code.
 */
function runSub(t: Tape, ptrs: usize, result: usize): i32 {
  const g = current();
  const binds = arenaAlloc(<usize>max(t.nIn, 1) << 2);
  if (binds == 0) return E_OOM;
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
  return inline(t, binds, result, true);
}

function whileKernel(r: i32): void {
  const n = rowParam(r, 0), cc = rowParam(r, 1), bc = rowParam(r, 2);
  const cond = subTape(r, 0), body = subTape(r, 1);
  if (cond === null || body === null || executeModesSet()) { kernelFail(E_BAD_ROW); return; }
  // The buffers each sub-tape binds: the carries (this row's outputs), then its consts.
  const cp = heap.alloc(<usize>(n + cc) << 2), bp = heap.alloc(<usize>(n + bc) << 2);
  const carry = heap.alloc(<usize>n << 2), bytes = heap.alloc(<usize>n << 2);
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
  let code = E_OK;
  while (true) {
    tapeReset();
    const res = arenaAlloc(<usize>n << 2);
    if (res == 0) { code = E_OOM; break; }
    code = runSub(cond, cp, res);
    if (code != E_OK) break;
    const p = load<i32>(res);
    if ((rowFlags(p) & HAS_VALUE) == 0) { code = E_BAD_ROW; break; }
    if (load<u8>(rowPtr(p)) == 0) break;
    code = runSub(body, bp, res);
    if (code != E_OK) break;
    // A new carry that is an old one's buffer (the body returned a carry as it was, or swapped
    // two) is staged first, so writing one carry never overwrites another's next value.
    for (let k = 0; k < n; k++) {
      const o = load<i32>(res + (<usize>k << 2));
      if ((rowFlags(o) & HAS_VALUE) == 0) { code = E_BAD_ROW; break; }
      const src = rowPtr(o);
      if (src == load<usize>(carry + (<usize>k << 2))) { store<usize>(res + (<usize>k << 2), 0); continue; }
      let shared = false;
      for (let j = 0; j < n; j++) if (src == load<usize>(carry + (<usize>j << 2))) shared = true;
      let from = src;
      if (shared) {
        from = arenaAlloc(rowBytes(o));
        if (from == 0) { code = E_OOM; break; }
        memory.copy(from, src, rowBytes(o));
      }
      store<usize>(res + (<usize>k << 2), from);
    }
    if (code != E_OK) break;
    for (let k = 0; k < n; k++) {
      const from = load<usize>(res + (<usize>k << 2));
      if (from != 0) memory.copy(load<usize>(carry + (<usize>k << 2)), from, load<usize>(bytes + (<usize>k << 2)));
    }
  }
  select(home);
  g.destroy();
  heap.free(cp); heap.free(bp); heap.free(carry); heap.free(bytes);
  if (code != E_OK) kernelFail(code);
}

function whileJvp(r: i32): i32 {
  hostRule(RULE_WHILE_JVP, r);
  return -1; // the host set each output's tangent
}
// vmap: every carry batched along axis 0 (an unbatched one broadcast: the predicate may differ
// per example, and then every carry does), each closed-over value batched along axis 0 or left
// as it is. The host reads those rows from `batchRows` (with a flag per closed-over value: 1 if
// batched), emits the batched while row and writes its id to batchRows[0].
const batchRows: usize = heap.alloc(<usize>MAX_LIST << 3);
/** The buffer the batching rule and the host exchange rows through (ABI: while_batch_rows). */
export function whileBatchRows(): usize { return batchRows; }
function whileBatch(r: i32): void {
  const n = rowParam(r, 0), nops = rowNops(r);
  if (nops > MAX_LIST) fail(E_PARAMS);
  for (let i = 0; i < nops; i++) {
    const x = rowOperand(r, i);
    const batched = i < n || bdimOf(x) >= 0;
    store<i32>(batchRows + (<usize>i << 2), batched ? batchedAs(x, 0) : x);
    store<i32>(batchRows + (<usize>(MAX_LIST + i) << 2), batched ? 1 : 0);
  }
  const state = batchState(); // (the host's calls back into wasm start with hostEntry, which resets it)
  hostRule(RULE_WHILE_BATCH, r);
  restoreBatchState(state);
  const y = load<i32>(batchRows);
  for (let k = 0; k < n; k++) setBatched(r + 1 + k, y + 1 + k, 0);
}

export function registerControl(): void {
  defineOp(WHILE, 'while', VARIADIC, whileShape);
  for (let d = 0; d < NUM_DTYPES; d++) defKernel(WHILE, d, whileKernel);
  defJvp(WHILE, whileJvp);
  neverLinear(WHILE);
  defBatch(WHILE, whileBatch);
}
