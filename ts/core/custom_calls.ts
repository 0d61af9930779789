// The host side of custom rules (customJvp / customVjp, ts/api/custom.ts): each call of a custom
// function inside a trace makes a record, and the custom row it emits names the record by id
// (param 0, assembly/ad/rules/custom.ts). While a transform walks that row, wasm calls the
// import env.custom_rule(kind, row), which lands here and runs the record's rule.
//
// Lifetime: the records of one top-level call are live until the next top-level call begins
// (scope() resets them), so nothing accumulates across calls. A vjp pullback that outlives its
// call keeps the records its linear program names and makes them live again while it runs.
export interface CustomRecord {
  id: number;
  kind: 'jvp' | 'vjp';
  /** A staged linear map (lax.customLinearSolve's solve inside a linearization): the function that emitted it. */
  staged?: string;
  /** The call, for messages: customVjp(name). */
  where?: string;
  /** Run the rule for row r: kind 0 the JVP of a custom_call row, 1 the transpose of a custom_linear row. */
  run(kind: number, r: number): void;
}

let live = new Map<number, CustomRecord>();
let nextId = 1;

export function registerRecord(rec: Omit<CustomRecord, 'id'> & { id?: number }): CustomRecord {
  if (nextId >= 0x7fffffff) nextId = 1;
  rec.id = nextId++;
  live.set(rec.id, rec as CustomRecord);
  return rec as CustomRecord;
}

/** The records live now (a pullback made in this call keeps them). */
export function liveRecords(): CustomRecord[] { return live.size === 0 ? [] : [...live.values()]; }
/** Make kept records live again (a pullback called in a later top-level call). */
export function reviveRecords(recs: readonly CustomRecord[]): void { for (const r of recs) live.set(r.id, r); }
/** A new top-level call: the last one's records are done with. */
export function resetRecords(): void { if (live.size > 0) live = new Map(); }

export function findRecord(id: number): CustomRecord | undefined { return live.get(id); }

// A value a rule throws (a user's rule, or a loop body traced again by a control-flow rule)
// crosses the wasm frames of the transform that walked its row: boxed by the import, it is told
// apart from a trap, and the transform's error handling (trace.ts guarded) throws it unboxed, as
// it was thrown. A box, not a mark on the value: a WeakSet cannot hold a thrown string, number,
// null or undefined, which were reported as a trap ('wasm trapped (cancelled)', or out of memory).
class RuleThrow { constructor(readonly value: unknown) {} }
/** What a rule threw, when `e` is its box. */
export function ruleThrow(e: unknown): { value: unknown } | undefined { return e instanceof RuleThrow ? e : undefined; }

/** What the wasm import env.custom_rule calls (set by ts/api/custom.ts when it loads). */
let handler: ((kind: number, r: number) => void) | null = null;
export function setCustomRuleHandler(h: (kind: number, r: number) => void): void { handler = h; }
/** The control-flow rows' rules (kinds 2 to 11: while, scan, cond and checkpoint, ts/api/control/rules.ts). */
let controlHandler: ((kind: number, r: number) => void) | null = null;
export function setControlRuleHandler(h: (kind: number, r: number) => void): void { controlHandler = h; }
export function customRuleImport(kind: number, r: number): void {
  try {
    if (kind >= 2 && controlHandler !== null) return controlHandler(kind, r);
    if (handler === null) throw new Error('cotangent: a custom rule row was walked, but no custom rule handler is installed');
    handler(kind, r);
  } catch (e) {
    throw new RuleThrow(e);
  }
}
