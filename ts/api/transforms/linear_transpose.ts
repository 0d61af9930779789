// linearTranspose (JAX's linear_transpose): the transpose of a linear function, from one abstract
// trace. f is traced on an abstract tape (as jit traces it: shapes and dtypes, nothing runs) at
// inputs of the primals' shapes and dtypes, and linearized there (placeholder seeds: the staged
// tangent rows are its linear part). The linear part is the transpose's program, so an affine
// f's constant offset is dropped (as JAX's add transpose drops a known constant). f must be
// linear, checked on the trace, as JAX's backward_pass refuses a nonlinear primitive on a linear
// value; two ways a nonlinear f shows:
// - its linear program reads a value computed from the inputs (x * x's tangent reads x, sin's
//   reads cos x, where(x > 0, ...)'s the mask): a linear map's tangent reads constants only;
// - a row between the inputs and the outputs has a zero derivative (stopGradient, sign, floor,
//   comparisons, integer casts): a linear f has none (its every row is linear in the inputs).
// The program kept reads no input value, so it is inlined on fresh placeholders and transposed at
// each call, in whatever trace is current (jit, vmap, grad of the transpose compose).
import { NDArray } from '../array.js';
import { flatten, unflatten, leafPath, PyTree, TreeDef } from '../tree.js';
import {
  scope, emit, onAbstractTape, jitContext, inTrace, jvpRows, freezeRows, inlineRows, transposeRows, tapeLength, LINEAR,
} from '../../core/trace.js';
import { abi, opCode, opName } from '../../core/abi.js';
import { KeptTape } from '../../core/kept_tapes.js';
import { liveRecords, reviveRecords } from '../../core/custom_calls.js';
import { DTYPE_CODE, isInexact } from '../../core/dtype.js';
import { DTypeError, ValueError, describe } from '../../core/errors.js';
import { requireFunction, outputRows, checkCallArity, materialize, requireLeaves, placeholderFor, zerosRow, LeafInfo } from './trace_args.js';
import { checkLeaves } from './linear_program.js';
import { checkpointInline } from './checkpoint.js';
import { specsAsLeaves, leafInfo, SpecOr, ShapeDtypeStruct } from './eval_shape.js';
import type { Fn, Leaves, Loosen } from './types.js';

/** The transposed function: one cotangent shaped like f's output, the primals' cotangents back (a list, one per primal). */
export type Transposed<F extends Fn> = ((ct: Loosen<ReturnType<F>>) => Leaves<Parameters<F>>) & { dispose(): void };

/**
 * JAX's linear_transpose: for a linear f, the function taking a cotangent shaped like f's output
 * to the list of cotangents of its inputs, one per primal, each shaped like it (the transpose,
 * never conjugated for complex dtypes, as JAX's). The primals give shapes and dtypes only: Arrays,
 * JS numbers or `{ shape, dtype }` specs, in any pytree. An affine f's constant offset is dropped;
 * a nonlinear f is a ValueError naming the first nonlinear operation found.
 */
export function linearTranspose<F extends Fn>(f: F, ...primals: SpecOr<Parameters<F>>): Transposed<F> {
  const where = 'linearTranspose';
  requireFunction(where, f);
  checkCallArity(where, f, primals as unknown[]);
  const given = specsAsLeaves(where, primals as unknown[]);
  const name = f.name || 'fn';
  const infos: LeafInfo[] = [];
  const defs: TreeDef[] = [];
  given.forEach((arg, i) => {
    const [leaves, def] = flatten(arg as PyTree, `${where}: argument ${i}`);
    defs.push(def);
    leaves.forEach((l, j) => {
      const at = `argument ${i}${leafPath(def, j)}`;
      const info = leafInfo(where, l, at);
      if (!isInexact(info.dtype)) {
        throw new DTypeError(`${where}: ${at} has dtype ${info.dtype}; linearTranspose takes float or complex inputs ` +
          `(JAX's linear_transpose: [float or complex] -> [float or complex]), got ${describe(info.shape, info.dtype)}`);
      }
      infos.push(info);
    });
  });
  const traced = scope(() => onAbstractTape(`${where}(${name})`, () => {
    checkpointInline.add(jitContext()!); // (checkpoint(g) inside f runs g inline here: see checkpoint.ts)
    const start = tapeLength();
    const inputs = infos.map((x) => emit('input', [], [DTYPE_CODE[x.dtype], ...x.shape]));
    const placeholders = infos.map(placeholderFor);
    let k = 0;
    const out = f(...defs.map((d) => unflatten(d, countArgs(d).map(() => NDArray.tracer(inputs[k++])))));
    const o = outputRows(`${where}(${name})`, out, start);
    o.leaves.forEach((l, j) => {
      if (!isInexact(l.dtype)) {
        throw new DTypeError(`${where}: output${o.leaves.length > 1 ? ` ${leafPath(o.def, j) || j}` : ''} of ${name} has dtype ${l.dtype}; ` +
          `linearTranspose takes functions to float or complex outputs (JAX's linear_transpose), got ${describe(l._shape, l.dtype)}`);
      }
    });
    const end = tapeLength();
    const between = dependentRows(start, end, inputs, o.rows);
    const tangents = jvpRows(start, end, inputs, placeholders, [...o.rows, ...between]);
    const linear = tangents.slice(0, o.rows.length);
    refuseNonlinear(`${where}(${name})`, start, inputs, between, tangents.slice(o.rows.length), linear);
    const jc = jitContext()!;
    const lifted = [...jc.lifted.values()];
    const { handle } = freezeRows([...placeholders, ...lifted.map((l) => l.inner), ...jc.constants.map((c) => c.inner)], linear, false);
    return {
      tape: new KeptTape(handle), outDef: o.def, outInfos: o.leaves.map((l) => ({ shape: l._shape, dtype: l.dtype })),
      lifted: lifted.map((l) => l.outer), constants: jc.constants.map((c) => c.value as NDArray),
      records: liveRecords(), // (the custom rules its rows may call: a customVjp function's bwd)
    };
  }), (x) => x);
  // (tracers of an enclosing trace f closes over: valid while that trace is, bound at each call)
  const lifted = traced.lifted.map((r) => NDArray.tracer(r));
  const fT = function (this: unknown, ct: unknown): unknown[] {
    // one cotangent shaped like f's output (JAX's transposed function takes one); cts.map(fT) passes map's (value, index, list)
    const n = arguments.length, mapped = n === 3 && typeof arguments[1] === 'number' && Array.isArray(arguments[2]) && arguments[2][arguments[1]] === ct;
    if (n !== 1 && !mapped) {
      throw new ValueError(`${where}(${name}): the transposed function takes one cotangent, shaped like f's output (a list or object for ` +
        `several outputs), got ${n} arguments`);
    }
    requireLeaves(where, 'cotangent', ct);
    const topLevel = !inTrace();
    return scope(() => {
      const cts = checkLeaves(where, ct, traced.outDef, traced.outInfos, 'cotangent');
      const ph = infos.map(placeholderFor);
      const binds = [...ph, ...lifted.map((t) => t._rowIn(where)), ...traced.constants.map((c) => c._rowIn(where))];
      if (traced.records.length > 0) reviveRecords(traced.records);
      const outs = inlineRows(traced.tape.handle(where, fT), binds, where);
      const res = transposeRows(outs, cts.map((c) => c._rowIn(where)), ph, topLevel);
      const leaves = res.map((r, j) => NDArray.tracer(r >= 0 ? r : zerosRow(infos[j])));
      let j = 0;
      return defs.map((d) => unflatten(d, leaves.slice(j, (j += countArgs(d).length))));
    }, (out) => materialize(out, where));
  } as Transposed<F>;
  traced.tape.ownedBy(fT);
  fT.dispose = () => traced.tape.dispose();
  const DISPOSE = (Symbol as { dispose?: symbol }).dispose;
  if (DISPOSE) (fT as any)[DISPOSE] = fT.dispose;
  Object.defineProperty(fT, 'name', { value: `linearTranspose(${name})` });
  if (traced.records.length > 0) refuseNonlinearRules(fT, traced.outDef, traced.outInfos, `${where}(${name})`);
  return fT;
}

/**
 * With custom rules in the trace, the transpose runs user code (a customVjp's bwd on the cotangent):
 * transposed once more, abstractly, it must be linear in the cotangent too. Unchecked, a gradient
 * clip (f = identity, bwd = clip(g)) gave clip(ct) for the identity's transpose, without a word.
 */
function refuseNonlinearRules(fT: Transposed<Fn>, outDef: TreeDef, outInfos: LeafInfo[], where: string): void {
  const specs = unflatten(outDef, outInfos.map((i) => new ShapeDtypeStruct(i.shape, i.dtype)));
  let tt: { dispose(): void };
  try {
    tt = linearTranspose(fT as Fn, specs as never);
  } catch (e) {
    if (!(e instanceof ValueError) || !/not linear in its inputs/.test(e.message)) return; // (not decided here: as before)
    fT.dispose();
    throw new ValueError(`${where}: its transpose is not linear in the cotangent: a custom rule it runs (a customVjp's bwd, a ` +
      `customJvp's rule) is nonlinear in the cotangent, as a gradient clip; linearTranspose transposes linear functions only ` +
      `(as JAX's linear_transpose). The transpose's check: ${e.message}`);
  }
  tt.dispose();
}

/** One entry per leaf of a tree structure. */
function countArgs(d: TreeDef): null[] {
  switch (d.kind) {
    case 'leaf': return [null];
    case 'none': return [];
    default: return d.children.flatMap(countArgs);
  }
}

/**
 * The rows of [start, end) that depend on an input and that an output depends on (each a row
 * whose derivative a linear f has nonzero), tuple rows left out (their outputs are in).
 */
function dependentRows(start: number, end: number, inputs: number[], outs: number[]): number[] {
  const e = abi();
  const n = end - start;
  const fwd = new Uint8Array(n), back = new Uint8Array(n), tuple = new Uint8Array(n);
  for (const r of inputs) fwd[r - start] = 1;
  const proj = opCode('proj');
  for (let r = start; r < end; r++) {
    const m = e.row_nops(r);
    for (let i = 0; i < m; i++) {
      const o = e.row_operand(r, i);
      if (o >= start && fwd[o - start]) fwd[r - start] = 1;
    }
    if (e.row_op(r) === proj && m > 0) { const t = e.row_operand(r, 0); if (t >= start) tuple[t - start] = 1; }
  }
  for (const r of outs) if (r >= start && r < end) back[r - start] = 1;
  for (let r = end - 1; r >= start; r--) {
    if (!back[r - start]) continue;
    const m = e.row_nops(r);
    for (let i = 0; i < m; i++) { const o = e.row_operand(r, i); if (o >= start) back[o - start] = 1; }
  }
  const out: number[] = [];
  const isInput = new Set(inputs);
  for (let r = start; r < end; r++) if (fwd[r - start] && back[r - start] && !tuple[r - start] && !isInput.has(r)) out.push(r);
  return out;
}

/** A ValueError if the trace shows f is not linear in its inputs (see the top of this file). */
function refuseNonlinear(where: string, start: number, inputs: number[], between: number[], tangents: number[], linear: number[]): void {
  const e = abi();
  const hint = 'linearTranspose transposes linear functions only (as JAX\'s linear_transpose); for the derivative of a nonlinear ' +
    'function at a point use vjp(f, ...primals)';
  // a row between the inputs and the outputs with a zero derivative, or rem (fmod): piecewise linear,
  // its derivative 1 in x reads nothing (JAX's rem has no transpose rule)
  const rem = opCode('rem');
  for (let k = 0; k < between.length; k++) {
    const r = between[k];
    if (e.row_op(r) === rem) {
      throw new ValueError(`${where}: the function is not linear in its inputs: its ${rowName(r)} (fmod, x % y) is piecewise linear, ` +
        `not linear; ${hint}`);
    }
    if (tangents[k] >= 0) continue;
    throw new ValueError(`${where}: the function is not linear in its inputs: its ${rowName(r)} depends on them with a zero derivative ` +
      `(a comparison, an integer result, stopGradient, sign, floor and the like); ${hint}`);
  }
  // the linear program reading a value computed from the inputs
  const n = tapeLength();
  const fwd = new Uint8Array(n - start);
  for (const r of inputs) fwd[r - start] = 1;
  for (let r = start; r < n; r++) {
    if ((e.row_flags(r) & LINEAR) !== 0) continue;
    const m = e.row_nops(r);
    for (let i = 0; i < m; i++) { const o = e.row_operand(r, i); if (o >= start && fwd[o - start]) { fwd[r - start] = 1; break; } }
  }
  const seen = new Uint8Array(n - start);
  // (from every row's tangent, not the outputs' only: a customJvp function's rows are between the
  // inputs and its output, and a linear f has each of them linear; the outputs' tangents come from
  // the rule, so customJvp((x) => x * x, rule 2t) read no input there)
  const stack = [...new Set([...linear, ...tangents].filter((r) => r >= start))];
  for (const r of stack) seen[r - start] = 1;
  while (stack.length > 0) {
    const r = stack.pop()!;
    const m = e.row_nops(r);
    for (let i = 0; i < m; i++) {
      const o = e.row_operand(r, i);
      if (o < start || seen[o - start]) continue;
      seen[o - start] = 1;
      if ((e.row_flags(o) & LINEAR) !== 0) { stack.push(o); continue; }
      if (fwd[o - start]) {
        throw new ValueError(`${where}: the function is not linear in its inputs: its derivative (the ${rowName(r)} of its linear part) ` +
          `reads ${inputs.includes(o) ? 'an input' : `the ${rowName(o)}`}, a value computed from the inputs (as x * x, sin(x), x * y of ` +
          `two inputs or where(x > 0, ...) do); ${hint}`);
      }
    }
  }
}

function rowName(r: number): string {
  const e = abi();
  const op = opName(e.row_op(r));
  return `${op} row`;
}
