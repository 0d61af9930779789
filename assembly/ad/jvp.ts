// Forward mode as a tape -> tape rewrite: walk rows [start, end) in order and emit each row's
// tangent by its JVP rule. Tangents are rows too, so the result is differentiable again.
// With placeholder seeds (LINEAR rows) this is linearize: the tangent rows are staged, not run.
// Only rows that reach an output are visited (backward reachability: dead code costs nothing).
import { rowOp, rowNops, rowOperand, isLinear, isTuple, tapeLen, tapeValid, arenaAlloc } from './tape';
import { jvpRule, MISSING_JVP } from './registry';
import { enter, leave, tangentOf, setTangent, TANGENTS } from './maps';
import { PROJ, CUSTOM_CALL } from './ops';
import { customReaches } from './rules/custom';
import { dependedOperands } from './rules/control';
import { E_NO_RULE, E_OOM, E_BAD_ROW, fail } from '../errors';

/** A copy of n i32s in the arena: callers' lists may live in memory a nested call rewrites. */
export function copyList(src: usize, n: i32): usize {
  const p = arenaAlloc(<usize>max(n, 1) << 2);
  if (p == 0) fail(E_OOM);
  memory.copy(p, src, <usize>n << 2);
  return p;
}

/**
 * live[r - start] = 1 for the rows of [start, end) that some output depends on, not looking past
 * the seeded inputs (their tangents are given: what they were computed from is not visited).
 */
export function reaching(start: i32, end: i32, nOut: i32, outputs: usize, nIn: i32 = 0, inputs: usize = 0): usize {
  const live = arenaAlloc(<usize>max(end - start, 1));
  if (live == 0) fail(E_OOM);
  memory.fill(live, 0, <usize>(end - start));
  for (let k = 0; k < nOut; k++) {
    const o = load<i32>(outputs + (<usize>k << 2));
    if (o >= start && o < end) store<u8>(live + <usize>(o - start), 1);
  }
  for (let k = 0; k < nIn; k++) { // 2: a seeded input (live if an output reaches it, and a stop)
    const x = load<i32>(inputs + (<usize>k << 2));
    store<u8>(live + <usize>(x - start), load<u8>(live + <usize>(x - start)) | 2);
  }
  for (let r = end - 1; r >= start; r--) {
    const mark = load<u8>(live + <usize>(r - start));
    if ((mark & 1) == 0 || (mark & 2) != 0) continue;
    // (a custom rule's outputs depend on its inputs only: f's own rows are never differentiated)
    const custom = rowOp(r) == CUSTOM_CALL;
    for (let i = 0, n = dependedOperands(r); i < n; i++) { // (a twin operand names a loop r repeats: not a dependency)
      if (custom && !customReaches(r, i)) continue;
      const x = rowOperand(r, i);
      if (x >= start) store<u8>(live + <usize>(x - start), load<u8>(live + <usize>(x - start)) | 1);
    }
  }
  return live;
}

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
  const ins = copyList(inputs, nIn), sds = copyList(seeds, nIn), outs = copyList(outputs, nOut);
  const live = reaching(start, end, nOut, outs, nIn, ins);
  const m = arenaAlloc(<usize>max(end - start, 1) << 2);
  if (m == 0) fail(E_OOM);
  memory.fill(m, 0xff, <usize>(end - start) << 2); // all -1
  enter(TANGENTS, m, start, end);
  for (let k = 0; k < nIn; k++) setTangent(load<i32>(ins + (<usize>k << 2)), load<i32>(sds + (<usize>k << 2)));
  for (let r = start; r < end; r++) {
    if ((load<u8>(live + <usize>(r - start)) & 1) == 0) continue;
    if (isLinear(r) || tangentOf(r) >= 0) continue; // staged rows of other transforms; seeds
    const op = rowOp(r);
    if (op == PROJ) continue; // its tuple row's rule set its tangent
    let any = false;
    const custom = op == CUSTOM_CALL;
    for (let i = 0; i < rowNops(r); i++) {
      if (custom && !customReaches(r, i)) continue;
      if (tangentOf(rowOperand(r, i)) >= 0) { any = true; break; }
    }
    if (!any) continue;
    const rule = jvpRule(op);
    if (rule.index == MISSING_JVP.index) fail(E_NO_RULE);
    const t = rule(r);
    if (!isTuple(r)) setTangent(r, t);
  }
  for (let k = 0; k < nOut; k++) {
    store<i32>(result + (<usize>k << 2), tangentOf(load<i32>(outs + (<usize>k << 2))));
  }
  leave();
}
