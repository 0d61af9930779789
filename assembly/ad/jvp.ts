// Forward mode as a tape -> tape rewrite: walk rows [start, end) in order and emit each row's
// tangent by its JVP rule. Tangents are rows too, so the result is differentiable again.
// With placeholder seeds (LINEAR rows) this is linearize: the tangent rows are staged, not run.
import { rowOp, isLinear, rowOperand, tapeLen, tapeValid } from './tape';
import { opArity, jvpRule, MISSING_JVP } from './registry';
import { tangentOf, setTangent, installTangents, tangentMap, tangentStart, tangentEnd } from './tangents';
import { arenaAlloc } from '../arena';
import { E_NO_RULE, E_OOM, E_BAD_ROW, fail } from '../errors';

/**
 * inputs[k] (rows in [start, end)) get tangents seeds[k]; writes the tangent of outputs[k]
 * (or -1 for zero) to result[k].
 */
export function jvpRange(start: i32, end: i32, nIn: i32, inputs: usize, seeds: usize,
  nOut: i32, outputs: usize, result: usize): void {
  // Seeds go into the map, which covers [start, end) only: refuse anything else.
  if (start < 0 || end < start || end > tapeLen()) fail(E_BAD_ROW);
  for (let k = 0; k < nIn; k++) {
    const x = load<i32>(inputs + (<usize>k << 2));
    if (x < start || x >= end || !tapeValid(load<i32>(seeds + (<usize>k << 2)))) fail(E_BAD_ROW);
  }
  for (let k = 0; k < nOut; k++) if (!tapeValid(load<i32>(outputs + (<usize>k << 2)))) fail(E_BAD_ROW);
  const savedMap = tangentMap(), savedStart = tangentStart(), savedEnd = tangentEnd();
  const m = arenaAlloc(<usize>(end - start) << 2);
  if (m == 0) fail(E_OOM);
  memory.fill(m, 0xff, <usize>(end - start) << 2); // all -1
  installTangents(m, start, end);
  for (let k = 0; k < nIn; k++) {
    setTangent(load<i32>(inputs + (<usize>k << 2)), load<i32>(seeds + (<usize>k << 2)));
  }
  for (let r = start; r < end; r++) {
    if (isLinear(r) || tangentOf(r) >= 0) continue; // staged rows of other transforms; seeds
    const op = rowOp(r);
    const n = opArity(op);
    let any = false;
    for (let i = 0; i < n; i++) if (tangentOf(rowOperand(r, i)) >= 0) { any = true; break; }
    if (!any) continue;
    const rule = jvpRule(op);
    if (rule.index == MISSING_JVP.index) fail(E_NO_RULE);
    setTangent(r, rule(r));
  }
  for (let k = 0; k < nOut; k++) {
    store<i32>(result + (<usize>k << 2), tangentOf(load<i32>(outputs + (<usize>k << 2))));
  }
  installTangents(savedMap, savedStart, savedEnd);
}
