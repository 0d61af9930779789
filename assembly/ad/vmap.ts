// vmap as JAX's batch tracers, on the tape. A vmap level is a frame (maps.ts, kind BATCH) with an
// id and a batch size. Its batched arguments enter as *views*: rows with the per-example shape
// and no value, whose implementation row (C_IMPL) holds the whole batch with the batch dimension
// at C_BATCH. Emitting a row with a view operand runs its shape rule per example (so errors speak
// of the user's shapes), makes the row a view of the innermost level among its operands, and calls
// the op's batching rule (registry.ts), which emits the implementation on the operands'
// implementation rows. Those rows are emitted like any others, so a lower level batches them in
// turn (nested vmap). Rows whose operands are not batched stay ordinary eager rows: values that do
// not depend on the batched arguments keep concrete values.
//
// Other transforms never see implementation rows and views together: a transform walks rows
// reachable from its outputs, and a view's operands are views or ordinary rows, while an
// implementation's operands are implementations or ordinary rows. vmap(grad f) differentiates
// the views; grad(vmap f) the implementations that vmap's outputs are made of.
//
// Linear rows (a staged linearization inside vmap) become views with no implementation: only the
// transpose reads them, and it emits its cotangent rows through emission, which batches them.
import {
  rowOp, rowNops, rowOperand, rowNdim, rowDim, rowDtype, rowFlags, rowNout, outputOf, isTuple, isView, rowImpl, rowBdim,
  rowLevel, setView, setFlags, pushRow, paramReserve, paramAt, truncate, VIEW, LINEAR, NOT_MAPPED, setRowOperand,
  rowNparams, rowParamsPtr,
} from './tape';
import { batchRule, shapeRule, MISSING_BATCH } from './registry';
import { enter, batchSizeOf, BATCH } from './maps';
import { paramScratch, operandScratch, emitN } from './emit';
import { tmpScratch } from './builder';
import { INPUT } from './ops';
import { batchedAs } from './batching';
import { E_OK, E_ESCAPED, E_NO_RULE, E_SHAPE, E_OOM, E_PARAMS, fail, setError } from '../errors';

let ids: i32 = 0;
let level: i32 = 0; // the level whose batching rule is running (batching.ts reads it)
export function currentLevel(): i32 { return level; }

/** Open a vmap level of `size` examples; returns its id (closed by maps.ts's leave/unwind). */
export function vmapEnter(size: i32): i32 {
  if (size < 0) return -E_PARAMS;
  const id = ++ids;
  if (id > 0xffffff) { ids = 0; dropClosedPairs(); return vmapEnter(size); } // ids fit C_BATCH's upper 24 bits
  enter(BATCH, 0, id, size);
  return id;
}

/** A view of physical row x batched along `bdim` at level `id`, or -code. */
export function vmapIn(x: i32, bdim: i32, id: i32): i32 {
  const size = batchSizeOf(id);
  if (size < 0) { setError(E_ESCAPED); return -E_ESCAPED; }
  if (isView(x) && rowLevel(x) >= id) { setError(E_ESCAPED); return -E_ESCAPED; }
  const nd = rowNdim(x);
  if (bdim < 0 || bdim >= nd || nd > 255) { setError(E_PARAMS); return -E_PARAMS; }
  if (rowDim(x, bdim) != size) { setError(E_SHAPE); return -E_SHAPE; }
  // An INPUT row shaped per example (params dtype, shape...), never bound: a view.
  const poff = paramReserve(nd);
  if (poff < 0) { setError(E_OOM); return -E_OOM; }
  store<i32>(paramAt(poff), rowDtype(x));
  for (let i = 0, j = 1; i < nd; i++) if (i != bdim) store<i32>(paramAt(poff) + (<usize>(j++) << 2), rowDim(x, i));
  const r = pushRow(INPUT, 0, 0, nd, poff);
  if (r < 0) { setError(E_OOM); return -E_OOM; }
  const code = shapeRule(INPUT)(r);
  if (code != E_OK) { truncate(r); setError(code); return -code; }
  setView(r, x, bdim, id);
  return r;
}

/** Is row x batched at level `id`? (-1: it is a view of a deeper or closed level: escaped.) */
export function batchedAt(x: i32, id: i32): i32 {
  if (!isView(x)) return 0;
  const lv = rowLevel(x);
  if (lv > id || batchSizeOf(lv) < 0) return -1;
  return lv == id ? 1 : 0;
}

// Rules run nested (a rule's rows are batched by lower levels); the scratch lists the calling
// rule was filling are saved around each, so that no rule sees another's lists.
const SAVE_INTS = 256;
const SAVE_DEPTH = 64;
const saves: usize = heap.alloc(<usize>SAVE_DEPTH * 3 * SAVE_INTS * 4);
let nSaves = 0;
function saveScratch(): void {
  if (nSaves >= SAVE_DEPTH) fail(E_PARAMS);
  const p = saves + <usize>nSaves * 3 * SAVE_INTS * 4, n = <usize>SAVE_INTS * 4;
  memory.copy(p, paramScratch(), n); memory.copy(p + n, operandScratch(), n); memory.copy(p + 2 * n, tmpScratch(), n);
  nSaves++;
}
function restoreScratch(): void {
  nSaves--;
  const p = saves + <usize>nSaves * 3 * SAVE_INTS * 4, n = <usize>SAVE_INTS * 4;
  memory.copy(paramScratch(), p, n); memory.copy(operandScratch(), p + n, n); memory.copy(tmpScratch(), p + 2 * n, n);
}

/**
 * Row r (shape-checked per example) has an operand batched at some level: make it a view of the
 * innermost such level and emit its implementation. Returns an error code.
 */
export function batchEmitted(r: i32, linear: bool): i32 {
  let lv = 0;
  for (let i = 0; i < rowNops(r); i++) {
    const x = rowOperand(r, i);
    if (!isView(x)) continue;
    const l = rowLevel(x);
    if (batchSizeOf(l) < 0) return E_ESCAPED; // a batched value used after its vmap returned
    if (l > lv) lv = l;
  }
  if (lv == 0) return E_OK;
  const k = isTuple(r) ? rowNout(r) : 0;
  if (linear) { // staged: the transpose reads it, never its implementation
    for (let i = 0; i <= k; i++) { setView(r + i, -1, 0, lv); setFlags(r + i, rowFlags(r + i) | LINEAR); }
    return E_OK;
  }
  // Operands of this level that do not vary (NOT_MAPPED) are read as their one value while the
  // rule runs (so no rule sees such a view), and r's own operands come back afterwards (the
  // other transforms walk views). When none of them varies, neither does r: its op runs once on
  // those values, and r is a NOT_MAPPED view of that row (JAX: a primitive of unbatched values is
  // not batched).
  const nops = rowNops(r), saved = swapRoom(nops);
  let mapped = false;
  for (let i = 0; i < nops; i++) {
    const x = rowOperand(r, i);
    store<i32>(swapBuf + ((saved + <usize>i) << 2), x);
    if (!isView(x) || rowLevel(x) != lv) continue;
    if (rowBdim(x) != NOT_MAPPED) mapped = true;
    else setRowOperand(r, i, rowImpl(x));
  }
  const rule = batchRule(rowOp(r));
  if (mapped && rule.index == MISSING_BATCH.index) { restoreOperands(r, saved); return E_NO_RULE; }
  for (let i = 0; i <= k; i++) setView(r + i, -1, 0, lv); // a view now (and no value), implementation below
  saveScratch();
  const prev = level;
  level = lv;
  if (mapped) rule(r);
  else {
    const y = emitAgain(r);
    if (y < 0) { level = prev; restoreScratch(); restoreOperands(r, saved); return -y; }
    setView(r, y, NOT_MAPPED, lv);
    for (let i = 1; i <= k; i++) setView(r + i, y + i, NOT_MAPPED, lv);
  }
  level = prev;
  restoreScratch();
  restoreOperands(r, saved);
  for (let i = 0; i < (k > 0 ? k : 1); i++) if (rowImpl(outputOf(r, i)) < 0) fail(E_NO_RULE); // a rule left an output unset
  return E_OK;
}

// r's operands while a rule runs (nested rules each take their own stretch: a stack)
let swapCap: i32 = 0, swapTop: i32 = 0;
let swapBuf: usize = 0;
function swapRoom(n: i32): usize {
  if (swapTop + n > swapCap) {
    const cap = max(swapTop + n, swapCap << 1), p = heap.alloc(<usize>max(cap, 64) << 2);
    if (swapBuf != 0) { memory.copy(p, swapBuf, <usize>swapTop << 2); heap.free(swapBuf); }
    swapBuf = p; swapCap = max(cap, 64);
  }
  swapTop += n;
  return <usize>(swapTop - n); // (an index: the buffer may move while nested rules grow it)
}
function restoreOperands(r: i32, saved: usize): void {
  const n = rowNops(r);
  for (let i = 0; i < n; i++) setRowOperand(r, i, load<i32>(swapBuf + ((<usize>saved + <usize>i) << 2)));
  swapTop = <i32>saved;
}

/** Row r's op and params on its operands as they are now (each one value): the new row, or -code. */
function emitAgain(r: i32): i32 {
  const n = rowNops(r), np = rowNparams(r);
  // (copied out first: emission may move the pools they live in)
  const ops = heap.alloc(<usize>max(n, 1) << 2), ps = heap.alloc(<usize>max(np, 1) << 2);
  for (let i = 0; i < n; i++) store<i32>(ops + (<usize>i << 2), rowOperand(r, i));
  memory.copy(ps, rowParamsPtr(r), <usize>np << 2);
  const y = emitN(rowOp(r), ops, n, np, ps);
  heap.free(ops); heap.free(ps);
  return y;
}

/**
 * Row x of level `id`'s function as the whole batch, with the batch axis at `axis` (an output
 * that does not vary is broadcast, as JAX's out_axes do). Returns the row or -code.
 */
export function vmapOut(x: i32, id: i32, axis: i32): i32 {
  const st = batchedAt(x, id);
  if (batchSizeOf(id) < 0 || st < 0) { setError(E_ESCAPED); return -E_ESCAPED; }
  if (axis < 0 || axis > rowNdim(x)) { setError(E_PARAMS); return -E_PARAMS; }
  level = id;
  const y = batchedAs(x, axis);
  level = 0;
  return y;
}

/** A call from the host starts here: a trap in an earlier one may have left rules mid-flight. */
export function hostEntry(): void { nSaves = 0; level = 0; }
/**
 * The outermost transform has returned: no rule is running, so the operand stack is empty (a trap
 * inside a rule leaves entries; the host's calls back into wasm from a rule it runs must not
 * reset it, as hostEntry resets the rest, or they would overwrite the entries of the rules below).
 */
export function resetSwaps(): void { swapTop = 0; }

/**
 * The rule state a call out to the host (a rule the host runs, whose calls back in reset it) must
 * get back: level and saves. The level is also kept for the host to read (`ruleLevel`).
 */
export function batchState(): i64 { ruleLevel = level; return (<i64>nSaves << 32) | <i64>(<u32>level); }

// A host batching rule (a loop body or a branch of a jitted row, rules/control.ts) vmaps the body
// again: that level batches the same examples as the level whose rule runs, so a psum over the
// named level must treat it as that level (rules/collective.ts). The pairs below map such a level to it.
let ruleLevel: i32 = 0;
// (level, base) pairs in an unmanaged heap block (no managed Map: the minimal runtime never frees
// managed objects); only open levels matter, so closed ones are dropped when it fills.
let pairs: usize = heap.alloc(64 << 3);
let pairCap: i32 = 64, nPairs: i32 = 0;
/** The level whose batching rule called out to the host last (read by the host at its rule's entry). */
export function batchRuleLevel(): i32 { return ruleLevel; }
/** Level `id` (just opened by a host batching rule) batches the examples of level `base`. */
export function vmapSameAxis(id: i32, base: i32): void {
  if (nPairs == pairCap) {
    dropClosedPairs();
    if (nPairs == pairCap) { // (all open: grow)
      const p = heap.alloc(<usize>(pairCap << 1) << 3);
      memory.copy(p, pairs, <usize>pairCap << 3);
      heap.free(pairs);
      pairs = p; pairCap <<= 1;
    }
  }
  store<i32>(pairs + (<usize>nPairs << 3), id);
  store<i32>(pairs + (<usize>nPairs << 3) + 4, base);
  nPairs++;
}
/** Forget the pairs of levels closed since (when the table fills, and when ids wrap: an open one must stay). */
function dropClosedPairs(): void {
  let k = 0;
  for (let i = 0; i < nPairs; i++) {
    const lv = load<i32>(pairs + (<usize>i << 3));
    if (batchSizeOf(lv) >= 0) { store<i64>(pairs + (<usize>k << 3), load<i64>(pairs + (<usize>i << 3))); k++; }
  }
  nPairs = k;
}
function baseOf(lv: i32): i32 {
  for (let i = nPairs - 1; i >= 0; i--) if (load<i32>(pairs + (<usize>i << 3)) == lv) return load<i32>(pairs + (<usize>i << 3) + 4);
  return 0;
}
/** Whether level `lv` batches the examples of level `id` (it is `id`, or a host rule's vmap of it). */
export function batchesLevel(lv: i32, id: i32): bool {
  for (let k = 0; k < 64 && lv > 0; k++) {
    if (lv == id) return true;
    lv = baseOf(lv);
  }
  return false;
}
export function restoreBatchState(s: i64): void { nSaves = <i32>(s >>> 32); level = <i32>(s & 0xffffffff); }
