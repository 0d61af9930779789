// Helpers for batching rules, and the rules many primitives share. A rule (registry.ts's
// BatchRule) runs for a view row r of the level being batched (vmap.ts): it reads r's logical
// operands, finds which are batched at this level (`bdimOf`) and where their whole batch lives
// (`physOf`), emits the batched computation, and records each output's implementation and batch
// dimension with `setBatched`. Batch dimensions move only when a primitive needs it.
import {
  rowOp, rowNops, rowOperand, rowNdim, rowDim, rowNparams, rowParam, rowNout, isTuple, isView, rowImpl, rowBdim,
  rowLevel, setView, rowDtype, NOT_MAPPED,
} from './tape';
import { emitP, emitList, setParam, setOperand } from './emit';
import { setTmp, tmp } from './builder';
import { batchSizeOf } from './maps';
import { currentLevel } from './vmap';
import { TRANSPOSE, BROADCAST_IN_DIM, IOTA, CONCATENATE, FULL } from './ops';
import { I32 } from '../dtype';
import { E_NO_RULE, fail } from '../errors';

/** x's batch dimension at the level being batched, or -1 when x does not vary there. */
export function bdimOf(x: i32): i32 {
  if (!isView(x) || rowLevel(x) != currentLevel()) return -1;
  const b = rowBdim(x);
  return b == NOT_MAPPED ? -1 : b;
}
/** The row holding x for the batched computation: a view's implementation (the batch, or its one value), or x itself. */
export function physOf(x: i32): i32 { return isView(x) && rowLevel(x) == currentLevel() ? rowImpl(x) : x; }
export function batchSize(): i32 { return batchSizeOf(currentLevel()); }
/** Output o of the row being batched is `impl`, batched along `bdim`. */
export function setBatched(o: i32, impl: i32, bdim: i32): void { setView(o, impl, bdim, currentLevel()); }
/** Output o of the row being batched is `impl`, one value for every example (NOT_MAPPED). */
export function setUnbatched(o: i32, impl: i32): void { setView(o, impl, NOT_MAPPED, currentLevel()); }

/**
 * Output o of the row being batched, over an empty batch: a FULL [0, ...o's shape] (nothing to
 * compute; for rules whose batched form needs an example, such as a slice of the batch axis).
 */
export function setEmptyBatch(o: i32): void {
  const nd = rowNdim(o);
  setParam(0, rowDtype(o)); setParam(1, 0); setParam(2, 0); setParam(3, 0);
  for (let i = 0; i < nd; i++) setParam(4 + i, rowDim(o, i));
  setBatched(o, emitP(FULL, -1, -1, -1, 4 + nd), 0);
}

/** Physical row x with its axis `from` moved to position `to` (a transpose, unless equal). */
export function moveBdim(x: i32, from: i32, to: i32): i32 {
  if (from == to) return x;
  const nd = rowNdim(x);
  for (let o = 0, j = 0; o < nd; o++) {
    if (o == to) { setParam(o, from); continue; }
    if (j == from) j++;
    setParam(o, j++);
  }
  return emitP(TRANSPOSE, x, -1, -1, nd);
}

/** Logical operand x as a batch with its batch axis at `bdim` (an unbatched x is broadcast). */
export function batchedAs(x: i32, bdim: i32): i32 {
  const b = bdimOf(x);
  if (b >= 0) return moveBdim(rowImpl(x), b, bdim);
  x = physOf(x); // (a view that does not vary: its one value)
  const nd = rowNdim(x);
  for (let i = 0, j = 0; i <= nd; i++) setParam(i, i == bdim ? batchSize() : rowDim(x, j++));
  for (let i = 0; i < nd; i++) setParam(nd + 1 + i, i < bdim ? i : i + 1);
  return emitP(BROADCAST_IN_DIM, x, -1, -1, 2 * nd + 1);
}

/** Batch dimension of r's first batched operand. */
export function firstBdim(r: i32): i32 {
  for (let i = 0; i < rowNops(r); i++) {
    const b = bdimOf(rowOperand(r, i));
    if (b >= 0) return b;
  }
  fail(E_NO_RULE); // batching rules run only for rows with a batched operand
  return -1;
}

/** r's op with r's params on the operands in the tmp list. */
function reemit(r: i32): i32 {
  const n = rowNops(r), np = rowNparams(r);
  for (let i = 0; i < n; i++) setOperand(i, tmp(i));
  for (let i = 0; i < np; i++) setParam(i, rowParam(r, i));
  return emitList(rowOp(r), n, np);
}

/**
 * Elementwise primitives (operands of one shape, params kept): every operand batched along the
 * first batched operand's axis, unbatched ones broadcast (jax.interpreters.batching's
 * broadcast_batcher does the same).
 */
export function batchElementwise(r: i32): void {
  const bd = firstBdim(r), n = rowNops(r);
  for (let i = 0; i < n; i++) setTmp(i, batchedAs(rowOperand(r, i), bd));
  setBatched(r, reemit(r), bd);
}

/**
 * Primitives over trailing axes that take any leading batch axes (linalg): every operand batched
 * along axis 0; so is every output.
 */
export function batchLeading(r: i32): void {
  const n = rowNops(r);
  for (let i = 0; i < n; i++) setTmp(i, batchedAs(rowOperand(r, i), 0));
  const y = reemit(r);
  if (isTuple(r)) { for (let i = 0; i < rowNout(r); i++) setBatched(r + 1 + i, y + 1 + i, 0); } else setBatched(r, y, 0);
}

/** Reductions whose params are the sorted axes they remove: the axes shift past the batch axis. */
export function batchReduceAxes(r: i32): void {
  const x = rowOperand(r, 0), b = bdimOf(x), n = rowNparams(r);
  let below = 0;
  for (let i = 0; i < n; i++) {
    const a = rowParam(r, i);
    setParam(i, a >= b ? a + 1 : a);
    if (a < b) below++;
  }
  setBatched(r, emitP(rowOp(r), rowImpl(x), -1, -1, n), b - below);
}

/**
 * One operand and an axis as param 0 (others kept): the axis shifts past the batch axis.
 * `removes`: the op drops that axis (argmax), so a batch axis after it moves down by one.
 */
export function batchAxisParam(r: i32, removes: bool): void {
  const x = rowOperand(r, 0), b = bdimOf(x), np = rowNparams(r), axis = rowParam(r, 0);
  setParam(0, axis >= b ? axis + 1 : axis);
  for (let i = 1; i < np; i++) setParam(i, rowParam(r, i));
  setBatched(r, emitP(rowOp(r), rowImpl(x), -1, -1, np), removes && axis < b ? b - 1 : b);
}

/** Leaves have no operands, so they are never batched: their entry only completes the table. */
export function NO_OPERANDS(r: i32): void { fail(E_NO_RULE); }

/**
 * Index vectors [B, ..., K] with each example's own batch index put first: [B, ..., K+1]. Lets a
 * gather or scatter whose operand and indices are both batched address its own example's slice
 * (the batch axis becomes one more indexed, collapsed operand axis at 0).
 */
export function withBatchIndex(idx: i32): i32 {
  const nd = rowNdim(idx);
  setParam(0, I32); setParam(1, 0);
  for (let i = 0; i < nd; i++) setParam(2 + i, i == nd - 1 ? 1 : rowDim(idx, i));
  const io = emitP(IOTA, -1, -1, -1, 2 + nd);
  setOperand(0, io); setOperand(1, idx);
  setParam(0, nd - 1);
  return emitList(CONCATENATE, 2, 1);
}
