// The control-flow rows' rules that wasm calls back (env.custom_rule, kinds 2 and up; kinds 0
// and 1 are custom_call's and custom_linear's, ts/api/custom.ts): assembly/ad/rules/control.ts
// numbers them.
import { setControlRuleHandler } from '../../core/custom_calls.js';
import { InternalError } from '../../core/errors.js';
import { describeRow } from '../../core/trace.js';
import { jvpOfWhile, batchWhile, transposeWhile, whileOutputDependence } from './while.js';
import { jvpOfScan, batchScan, transposeScan, scanOutputDependence } from './scan.js';
import { jvpOfCond, batchCond, transposeCond, jvpOfCheckpoint, condOutputDependence } from './cond.js';
import { defineOutputDependence, asBatchRule } from './shared.js';
import { abi } from '../../core/abi.js';

const RULES: Record<number, (r: number) => void> = {
  2: jvpOfWhile, 3: batchWhile, 7: transposeWhile,
  4: jvpOfScan, 5: batchScan, 6: transposeScan,
  8: jvpOfCond, 9: transposeCond, 10: batchCond, 11: jvpOfCheckpoint,
};
const BATCH_RULES = new Set([3, 5, 10]);

export function installControlRules(): void {
  // which outputs of a nested loop or cond depend on which operands: the batching fixed point sees through it
  defineOutputDependence('while', whileOutputDependence);
  defineOutputDependence('scan', scanOutputDependence);
  defineOutputDependence('cond', condOutputDependence);
  defineOutputDependence('checkpoint', condOutputDependence);
  setControlRuleHandler((kind, r) => {
    const rule = RULES[kind];
    if (rule === undefined) throw new InternalError(`control flow: no rule of kind ${kind} for row ${r} (${describeRow(r)})`);
    // (a batching rule's vmaps batch the examples of the level whose row it batches: read first, before calls back in reset it)
    if (BATCH_RULES.has(kind)) asBatchRule(abi().vmap_rule_level(), () => rule(r));
    else rule(r);
  });
}
