// Reverse mode = linearize, then transpose the staged linear rows (JAX's design): walk them
// backwards from the outputs' cotangents, each linear primitive's transpose rule pushing
// cotangents to its linear operands. Only linear primitives need transpose rules, and only rows
// that received a cotangent (so reach an output) are visited.
//
// With `release` (a top-level transpose: no enclosing transform will read its rows again), the
// buffers of rows that are dead after each rule go back to the arena for reuse: the rule's
// temporaries, the cotangent it consumed, and partial sums that a new sum replaced. Dead means:
// emitted by this transpose, held by no slot of the cotangent map, and not the source of a
// reshape or copy that is. So a long chain's gradient needs memory for its forward residuals and
// a few live cotangents, not for every partial sum.
import {
  rowOp, rowDtype, rowNout, rowFlags, rowOperand, rowPtr, rowBytes, heldCount, setFlags, curArena, isLinear, isTuple,
  outputOf, sameDims, tapeLen, tapeValid, arenaAlloc, HAS_VALUE, PINNED, HOST_BUFFER,
} from './tape';
import { transposeRule, opAliases, MISSING_TRANSPOSE, NOT_LINEAR } from './registry';
import {
  enter, leave, accumulate, cotangentOf, dropCotangent, droppedCount, droppedAt, clearDropped, COTANGENTS,
} from './maps';
import { copyList } from './jvp';
import { PLACEHOLDER, PROJ, CONST } from './ops';
import { E_NOT_TRANSPOSABLE, E_OOM, E_BAD_ROW, E_DTYPE, E_SHAPE, fail } from '../errors';

/**
 * outputs[k]: linear rows (or -1) with cotangents cts[k]; inputs[k]: placeholder rows.
 * Writes the cotangent of inputs[k] (or -1 for zero) to result[k].
 */
export function transposeRange(nOut: i32, outputs: usize, cts: usize, nIn: i32, inputs: usize, result: usize,
  release: bool = false): void {
  // Inputs must be placeholders; outputs linear rows or -1; cotangents real rows.
  for (let k = 0; k < nIn; k++) {
    const x = load<i32>(inputs + (<usize>k << 2));
    if (!tapeValid(x) || rowOp(x) != PLACEHOLDER) fail(E_BAD_ROW);
  }
  for (let k = 0; k < nOut; k++) {
    const o = load<i32>(outputs + (<usize>k << 2));
    if (o < -1 || o >= tapeLen()) fail(E_BAD_ROW);
    if (o < 0) continue;
    const c = load<i32>(cts + (<usize>k << 2));
    if (!tapeValid(c)) fail(E_BAD_ROW);
    if (rowDtype(c) != rowDtype(o)) fail(E_DTYPE);
    if (!sameDims(c, o)) fail(E_SHAPE);
  }
  const ins = copyList(inputs, nIn), outs = copyList(outputs, nOut), cs = copyList(cts, nOut);
  let lo = i32.MAX_VALUE, hi = -1;
  for (let k = 0; k < nIn; k++) lo = min(lo, load<i32>(ins + (<usize>k << 2)));
  for (let k = 0; k < nOut; k++) hi = max(hi, load<i32>(outs + (<usize>k << 2)));
  if (nIn == 0 || hi < lo) { // nothing linear reaches an input
    for (let k = 0; k < nIn; k++) store<i32>(result + (<usize>k << 2), -1);
    return;
  }
  hi++;
  const m = arenaAlloc(<usize>(hi - lo) << 2);
  if (m == 0) fail(E_OOM);
  memory.fill(m, 0xff, <usize>(hi - lo) << 2);
  enter(COTANGENTS, m, lo, hi);
  const first = tapeLen(); // rows from here on are this transpose's own
  clearDropped();
  for (let k = 0; k < nOut; k++) {
    const o = load<i32>(outs + (<usize>k << 2));
    if (o >= 0) accumulate(o, load<i32>(cs + (<usize>k << 2)));
  }
  for (let r = hi - 1; r >= lo; r--) {
    if (!isLinear(r)) continue;
    const op = rowOp(r);
    if (op == PLACEHOLDER || op == PROJ) continue; // sinks; a PROJ's cotangent is read by its tuple row
    let ct = -1;
    if (isTuple(r)) {
      for (let i = 0; i < rowNout(r); i++) if (cotangentOf(outputOf(r, i)) >= 0) { ct = r; break; }
    } else ct = cotangentOf(r);
    if (ct < 0) continue;
    const rule = transposeRule(op);
    if (rule.index == MISSING_TRANSPOSE.index || rule.index == NOT_LINEAR.index) fail(E_NOT_TRANSPOSABLE);
    const before = tapeLen();
    rule(r, isTuple(r) ? -1 : ct);
    if (!release) continue;
    // r is visited once: its cotangent (or its outputs') is consumed.
    if (isTuple(r)) { for (let i = 0; i < rowNout(r); i++) dropCotangent(outputOf(r, i)); } else dropCotangent(r);
    releaseDead(first, before, tapeLen());
  }
  for (let k = 0; k < nIn; k++) {
    store<i32>(result + (<usize>k << 2), cotangentOf(load<i32>(ins + (<usize>k << 2))));
  }
  leave();
}

/** Release the dead buffers among rows [from, to) (this rule's) and the rows the map let go of. */
function releaseDead(first: i32, from: i32, to: i32): void {
  // A reshape or copy shares its source's buffer: a held one pins its source (and so on down).
  for (let q = to - 1; q >= from; q--) {
    if (opAliases(rowOp(q)) && (heldCount(q) > 0 || (rowFlags(q) & PINNED) != 0)) {
      const src = rowOperand(q, 0);
      setFlags(src, rowFlags(src) | PINNED);
    }
  }
  for (let q = from; q < to; q++) releaseIfDead(first, q);
  for (let i = 0; i < droppedCount(); i++) releaseIfDead(first, droppedAt(i));
  clearDropped();
  for (let q = from; q < to; q++) setFlags(q, rowFlags(q) & ~PINNED);
}

function releaseIfDead(first: i32, q: i32): void {
  const f = rowFlags(q);
  if (q < first || (f & HAS_VALUE) == 0 || (f & PINNED) != 0 || heldCount(q) > 0) return;
  if (isTuple(q) || opAliases(rowOp(q)) || (f & HOST_BUFFER) != 0) return; // no buffer of its own
  // A host-uploaded leaf (a customVjp bwd's closed-over Array or JS number): the host's upload
  // caches hand the same row out again for the rest of the trace, so it must keep its value.
  if (rowOp(q) == CONST) return;
  curArena().release(rowPtr(q), rowBytes(q));
  setFlags(q, f & ~HAS_VALUE); // a read of it now fails loudly instead of seeing reused memory
}
