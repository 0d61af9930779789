// Reverse mode = linearize, then transpose the staged linear rows (JAX's design): walk them
// backwards from the outputs' cotangents, each linear primitive's transpose rule pushing
// cotangents to its linear operands. Only linear primitives need transpose rules.
import { rowOp, rowDtype, isLinear, tapeLen, tapeValid } from './tape';
import { sameDims } from './builder';
import { transposeRule, MISSING_TRANSPOSE, NOT_LINEAR } from './registry';
import { accumulate, cotangentOf, installCotangents, cotangentMap, cotangentLo, cotangentHi } from './cotangents';
import { PLACEHOLDER } from './ops';
import { arenaAlloc } from '../arena';
import { E_NOT_TRANSPOSABLE, E_OOM, E_BAD_ROW, E_DTYPE, E_SHAPE, fail } from '../errors';

/**
 * outputs[k]: linear rows (or -1) with cotangents cts[k]; inputs[k]: placeholder rows.
 * Writes the cotangent of inputs[k] (or -1 for zero) to result[k].
 */
export function transposeRange(nOut: i32, outputs: usize, cts: usize, nIn: i32, inputs: usize, result: usize): void {
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
  let lo = i32.MAX_VALUE, hi = -1;
  for (let k = 0; k < nIn; k++) lo = min(lo, load<i32>(inputs + (<usize>k << 2)));
  for (let k = 0; k < nOut; k++) hi = max(hi, load<i32>(outputs + (<usize>k << 2)));
  if (nIn == 0 || hi < lo) { // nothing linear reaches an input
    for (let k = 0; k < nIn; k++) store<i32>(result + (<usize>k << 2), -1);
    return;
  }
  hi++;
  const savedMap = cotangentMap(), savedLo = cotangentLo(), savedHi = cotangentHi();
  const m = arenaAlloc(<usize>(hi - lo) << 2);
  if (m == 0) fail(E_OOM);
  memory.fill(m, 0xff, <usize>(hi - lo) << 2);
  installCotangents(m, lo, hi);
  for (let k = 0; k < nOut; k++) {
    const o = load<i32>(outputs + (<usize>k << 2));
    if (o >= 0) accumulate(o, load<i32>(cts + (<usize>k << 2)));
  }
  for (let r = hi - 1; r >= lo; r--) {
    if (!isLinear(r)) continue;
    const ct = cotangentOf(r);
    if (ct < 0) continue;
    const op = rowOp(r);
    if (op == PLACEHOLDER) continue;
    const rule = transposeRule(op);
    if (rule.index == MISSING_TRANSPOSE.index || rule.index == NOT_LINEAR.index) fail(E_NOT_TRANSPOSABLE);
    rule(r, ct);
  }
  for (let k = 0; k < nIn; k++) {
    store<i32>(result + (<usize>k << 2), cotangentOf(load<i32>(inputs + (<usize>k << 2))));
  }
  installCotangents(savedMap, savedLo, savedHi);
}
