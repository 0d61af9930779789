// Custom derivative rules: JAX's custom_jvp and custom_vjp.
//
// Called inside a trace, a custom function runs f (customVjp: fwd) as usual, then emits one
// custom_call row (assembly/ad/rules/custom.ts) whose value is f's outputs and whose operands are
// the call's Array leaves (a JS-number leaf is a constant, passed as it is), f's outputs and fwd's
// residuals. Forward mode reaches the row through
// its inputs only, so f's own rows are never differentiated: when the walk meets the row, wasm
// calls back here (core/custom_calls.ts) and
// - customJvp runs the user's rule on tracers of the inputs and their tangents; the rule's rows
//   are ordinary rows, so enclosing transforms differentiate them again (grad of grad);
// - customVjp emits a custom_linear row on the (linear) tangents, staged; the transpose meets it
//   and calls bwd on the residuals and the outputs' cotangents.
// Under vmap the row is batched with every operand's batch axis at 0, and the rule (or bwd) runs
// under as many vmaps over axis 0. Outside any transform a custom function is just f.
import { NDArray } from './array.js';
import { asarray, asarrayHint, add, zerosLike } from './numpy.js';
import type { ArrayInput } from './array.js';
import { flatten, unflatten, sameStructure, show, leafPath, map as treeMap, PyTree, TreeDef, Leaf, type TreeLike } from './tree.js';
import { vmap } from './transforms/vmap.js';
import { requireFunction, zerosRow, callSync, checkCallArity, placeholderFor, refuseAsyncFunction, type LeafInfo } from './transforms/trace_args.js';
import {
  emit, inTrace, onAbstractTape, jitContext, transposeRows, rowShape, rowDtype, rowFlags, LINEAR, VIEW, describeRow, currentEpoch, tapeLength, callSite, rowAtSite, withRebinding, activeRebinders, type CallSite, type Rebinder,
} from '../core/trace.js';
import { abi, memI32, opCode } from '../core/abi.js';
import {
  CustomRecord, registerRecord, findRecord, setCustomRuleHandler,
} from '../core/custom_calls.js';
import { ValueError, ShapeError, DTypeError, NotImplementedError, InternalError, CotangentError, TracerError, describe } from '../core/errors.js';
import { DTYPE_CODE, DType, isInexact, isComplex as isComplexDtype } from '../core/dtype.js';
import { bind } from './bind.js';
import type { Loosen } from './transforms/types.js';

type AnyFn = (...args: any[]) => any;
/**
 * customJvp's rule: (primals, tangents) => [primalOut, tangentOut], each list one entry per argument;
 * with nondiffArgnums, (...nondiff, primals, tangents). (A rest of any: `(primals, tangents)`
 * rejected the documented nondiffArgnums rule, `(n, [a], [t]) => ...`, which runs.)
 */
export type JvpRule = (...primalsAndTangents: any[]) => [unknown, unknown];
/** customVjp's forward: the arguments => [output, residuals]. */
export type VjpFwd = (...args: any[]) => [unknown, unknown];
/**
 * customVjp's backward: (residuals, output cotangent) => one cotangent per argument (null: zero);
 * with nondiffArgnums, (...nondiff, residuals, cotangent) (a rest of any, as JvpRule's).
 */
export type VjpBwd = (...residualsAndCotangent: any[]) => unknown[];

export interface CustomOptions {
  /** Arguments passed through as they are (functions, shapes, flags): never differentiated, and the
   * rule (customJvp) or fwd/bwd (customVjp) receives them first, as JAX's nondiff_argnums. */
  nondiffArgnums?: number | readonly number[];
}

export interface CustomJvpFunction<F extends AnyFn> {
  (...args: Loosen<Parameters<F>>): ReturnType<F>; // (an Array parameter takes a JS number or list, as f's transforms do)
  /** Set the rule (JAX's decorator form: `f.defjvp(rule)`); returns it. */
  defjvp(rule: JvpRule): JvpRule;
  /** The same, spelled as this library's other names are (camelCase). */
  defJvp(rule: JvpRule): JvpRule;
  /**
   * JAX's `f.defjvps(jvp0, jvp1, ...)`: one function per argument, `jvpI(tangentI, primalOut,
   * ...primals)` -> that argument's contribution to the output tangent (null: none); the rule
   * sums them. Not with nondiffArgnums (JAX refuses that too).
   */
  defjvps(...jvps: (((t: any, primalOut: any, ...primals: any[]) => unknown) | null | undefined)[]): void;
  /** The same, camelCase. */
  defJvps(...jvps: (((t: any, primalOut: any, ...primals: any[]) => unknown) | null | undefined)[]): void;
}
export interface CustomVjpFunction<F extends AnyFn> {
  (...args: Loosen<Parameters<F>>): ReturnType<F>;
  /** Set fwd and bwd (JAX's decorator form: `f.defvjp(fwd, bwd)`). */
  defvjp(fwd: VjpFwd, bwd: VjpBwd): void;
  /** The same, spelled as this library's other names are (camelCase). */
  defVjp(fwd: VjpFwd, bwd: VjpBwd): void;
}

/**
 * JAX's custom_jvp: `customJvp(f, rule)` behaves as f, except that forward and reverse mode use
 * `rule(primals, tangents) -> [primalOut, tangentOut]` for its derivative (tangentOut must be
 * linear in the tangents for reverse mode, as in JAX). The rule's primal output is checked for
 * type (structure, shapes, dtypes); the value the function returns is f's.
 */
export function customJvp<F extends AnyFn>(f: F, rule?: JvpRule | CustomOptions, options?: CustomOptions): CustomJvpFunction<F> {
  requireFunction('customJvp', f);
  // JAX's decorator form with options: customJvp(f, { nondiffArgnums }) then .defjvp(rule)
  if (rule !== null && typeof rule === 'object' && options === undefined) { options = rule; rule = undefined; }
  if (rule !== undefined && typeof rule !== 'function') throw new ValueError(`customJvp: the rule must be a function (primals, tangents) => [primalOut, tangentOut], got ${typeof rule}`);
  const def: Definition = { kind: 'jvp', name: f.name || 'fn', f, rule: rule as JvpRule | undefined, nondiff: nondiffList('customJvp', options) };
  const g = ((...args: unknown[]) => callCustom(def, args)) as unknown as CustomJvpFunction<F>;
  g.defjvp = (r: JvpRule) => {
    if (typeof r !== 'function') throw new ValueError(`customJvp(${def.name}).defjvp: expected a function, got ${typeof r}`);
    def.rule = r;
    return r;
  };
  g.defJvp = g.defjvp; // (f.defJvp was a JS TypeError 'f.defJvp is not a function': every other name here is camelCase)
  // JAX's defjvps (custom_derivatives.py: the rule calls f, then sums each argument's jvp(t, out, *primals));
  // it was a JS TypeError 'f.defjvps is not a function' for the tutorial's form
  g.defjvps = (...jvps: (((t: any, out: any, ...p: any[]) => unknown) | null | undefined)[]) => {
    if (def.nondiff.length > 0) throw new ValueError(`customJvp(${def.name}).defjvps: cannot be used with nondiffArgnums (as JAX); use .defjvp(rule)`);
    jvps.forEach((j, i) => {
      if (j !== null && j !== undefined && typeof j !== 'function') throw new ValueError(`customJvp(${def.name}).defjvps: argument ${i} must be a function (t, primalOut, ...primals) => tangent, or null, got ${typeof j}`);
    });
    def.rule = (primals: unknown[], tangents: unknown[]) => {
      const out = (g as AnyFn)(...primals);
      let acc: unknown = undefined;
      jvps.forEach((j, i) => {
        if (j === null || j === undefined || i >= primals.length) return;
        const t = j(tangents[i], out, ...primals);
        acc = acc === undefined ? t : treeMap((a: unknown, b: unknown) => add(a as ArrayInput, b as ArrayInput), acc, t as TreeLike);
      });
      return [out, acc === undefined ? treeMap((o: unknown) => zerosLike(o as ArrayInput), out) : acc];
    };
  };
  g.defJvps = g.defjvps;
  return Object.defineProperty(g, 'name', { value: `customJvp(${def.name})` });
}

/**
 * JAX's custom_vjp: `customVjp(f, fwd, bwd)` behaves as f, except that reverse mode runs
 * `fwd(...args) -> [out, residuals]` and `bwd(residuals, cotangent) -> [one cotangent per
 * argument]`. Forward mode (jvp, jacfwd, hessian) is refused, as in JAX.
 */
export function customVjp<F extends AnyFn>(f: F, fwd?: VjpFwd | CustomOptions, bwd?: VjpBwd, options?: CustomOptions): CustomVjpFunction<F> {
  requireFunction('customVjp', f);
  // JAX's decorator form with options: customVjp(f, { nondiffArgnums }) then .defvjp(fwd, bwd)
  if (fwd !== null && typeof fwd === 'object' && bwd === undefined && options === undefined) { options = fwd; fwd = undefined; }
  if ((fwd !== undefined && typeof fwd !== 'function') || (bwd !== undefined && typeof bwd !== 'function')) {
    throw new ValueError('customVjp: fwd and bwd must be functions (fwd(...args) => [out, residuals], bwd(residuals, cotangent) => cotangents)');
  }
  const def: Definition = { kind: 'vjp', name: f.name || 'fn', f, fwd: fwd as VjpFwd | undefined, bwd, nondiff: nondiffList('customVjp', options) };
  const g = ((...args: unknown[]) => callCustom(def, args)) as unknown as CustomVjpFunction<F>;
  g.defvjp = (fw: VjpFwd, bw: VjpBwd) => {
    if (typeof fw !== 'function' || typeof bw !== 'function') throw new ValueError(`customVjp(${def.name}).defvjp: expected two functions (fwd, bwd)`);
    def.fwd = fw; def.bwd = bw;
  };
  g.defVjp = g.defvjp;
  return Object.defineProperty(g, 'name', { value: `customVjp(${def.name})` });
}

interface Definition {
  kind: 'jvp' | 'vjp'; name: string; f: AnyFn; nondiff: number[];
  rule?: JvpRule; fwd?: VjpFwd; bwd?: VjpBwd;
}

function nondiffList(where: string, options: CustomOptions | undefined): number[] {
  if (options === undefined || options === null) return [];
  if (typeof options !== 'object') throw new ValueError(`${where}: options must be an object { nondiffArgnums }, got ${typeof options}`);
  for (const k of Object.keys(options)) if (k !== 'nondiffArgnums') throw new ValueError(`${where}: unknown option '${k}' (it takes nondiffArgnums)`);
  const n = options.nondiffArgnums;
  if (n === undefined) return [];
  const list = typeof n === 'number' ? [n] : Array.isArray(n) ? [...n] : null;
  if (list === null || list.some((i) => !Number.isInteger(i) || i < 0)) {
    throw new ValueError(`${where}: nondiffArgnums must be a non-negative integer or a list of them, got ${String(n)}`);
  }
  return [...new Set(list)].sort((a, b) => a - b);
}

/** One call of a custom function in a trace: what its rule needs to rebuild the arguments and outputs. */
interface CallRecord extends CustomRecord {
  def: Definition;
  where: string;
  fixed: unknown[]; // the nondiff arguments, as given
  argDefs: (TreeDef | null)[]; // per argument: its tree, or null for a nondiff one
  leafCounts: number[]; // per argument: its Array leaves (the row's inputs, in order)
  // per argument: per leaf, the JS number, boolean or { re, im } there (a constant of the trace,
  // passed to f and the rule as it is), or undefined for an Array leaf (null for a nondiff argument)
  argConsts: ((Leaf | undefined)[] | null)[];
  nIn: number; // input leaves
  outDef: TreeDef;
  nOut: number;
  resDef?: TreeDef; // customVjp's residuals: their tree, and its leaves that are not Arrays (kept as they are)
  resStatic?: (Leaf | undefined)[];
  nRes?: number;
  site: CallSite; // the trace of the call, and its rows the rule's closure may read: the inputs, then what f closes over
  callRows: number[];
}

/** The customVjp definitions whose fwd is running. */
const runningFwd = new Set<Definition>();

function callCustom(def: Definition, args: unknown[]): unknown {
  const where = `${def.kind === 'jvp' ? 'customJvp' : 'customVjp'}(${def.name})`;
  checkCallArity(where, def.f, args); // (JS dropped the extras: g(x, 5) for f = (x) => ... ran as g(x))
  for (const i of def.nondiff) if (i >= args.length) throw new ValueError(`${where}: nondiffArgnums names argument ${i}, but the call passes ${args.length}`);
  if (def.kind === 'jvp' && def.rule === undefined) throw new ValueError(`${where}: no rule defined: pass it as customJvp(f, rule) or call .defjvp(rule)`);
  if (def.kind === 'vjp' && (def.fwd === undefined || def.bwd === undefined)) throw new ValueError(`${where}: no fwd/bwd defined: pass them as customVjp(f, fwd, bwd) or call .defvjp(fwd, bwd)`);
  if (!inTrace()) { // no transform: f itself (as JAX outside transforms)
    // (an async f's Promise was returned as the value; the rules are not called here, so an async one is refused by its kind.
    // Under a transform each is called, and callSync refuses the Promise it returns)
    for (const [what, fn] of [['f', def.f], ['the rule', def.rule], ['fwd', def.fwd], ['bwd', def.bwd]] as const) refuseAsyncFunction(where, what, fn);
    return callSync(where, 'the function', def.f, ...args);
  }
  if (def.kind === 'vjp') { // JAX's rule: a traced value there would get no cotangent, silently
    for (const i of def.nondiff) {
      const traced = flatten(args[i] as PyTree)[0].some((l) => l instanceof NDArray && l._js === null && l._block === null && l._deleted === null);
      if (traced) {
        throw new TracerError(`${where}: argument ${i}, marked in nondiffArgnums, holds a traced Array (a value a transform follows); ` +
          'it would get no cotangent. Pass Arrays as ordinary arguments (bwd returns null for one you do not differentiate); ' +
          'nondiffArgnums is for values that are not Arrays, such as functions, as in JAX');
      }
    }
  }
  if (def.kind === 'jvp' && def.nondiff.length > 0) {
    // JAX's custom_jvp wraps nondiff arguments in stop_gradient: grad(s => j(s, 2)) with s in a
    // nondiff slot is 0, not a TracerError about a closed-over value
    args = args.map((a, i) => (def.nondiff.includes(i) ? stopTracedLeaves(a) : a));
  }
  // Called from its own fwd (JAX's tutorials write `fwd = (x) => [f(x), res]`): f itself. JAX runs fwd
  // below the transform that met the call, so the inner call is a plain one there too.
  if (def.kind === 'vjp' && runningFwd.has(def)) return callSync(where, 'the function', def.f, ...args);

  // The differentiated arguments: their Array leaves are the row's inputs. A JS number, boolean or
  // { re, im } leaf is a constant of the trace (a value a transform follows is an Array tracer by
  // now: grad and jvp make Arrays of their own JS-number arguments), so f, fwd, the rule and bwd
  // get it as it is, as eagerly: weakly typed at full precision (as a float32 input, 0.1 times a
  // float64 gave 0.30000000447 under jit, and 16777217 beside int32 a float32 16777216). It gets
  // no tangent (the rule sees 0) and bwd's cotangent for it is dropped.
  const argDefs: (TreeDef | null)[] = [], leafCounts: number[] = [], argConsts: ((Leaf | undefined)[] | null)[] = [];
  const inputs: NDArray[] = [];
  const called = args.map((arg, i) => {
    if (def.nondiff.includes(i)) { argDefs.push(null); leafCounts.push(0); argConsts.push(null); return arg; }
    const [leaves, d] = flatten(arg as PyTree);
    argDefs.push(d);
    const consts = leaves.map((l, j) => {
      if (isConstantLeaf(l)) return l;
      if (l instanceof NDArray || ArrayBuffer.isView(l)) return undefined;
      throw new ValueError(`${where}: argument ${i}${leafPath(d, j)} is a ${typeof l}, not an Array or number; pass values that are not differentiated (functions, shapes, flags) with { nondiffArgnums: [${i}] }`);
    });
    argConsts.push(consts);
    const xs = leaves.flatMap((l, j) => (consts[j] === undefined ? [asarray(l as never, undefined, `${where}: argument ${i}${leafPath(d, j)}`)] : []));
    leafCounts.push(xs.length);
    inputs.push(...xs);
    return withConstants(d, consts, xs);
  });

  const inRows = inputs.map((x) => x._rowIn(where)), start = tapeLength();
  let out: unknown, residuals: unknown;
  if (def.kind === 'jvp') out = callSync(where, 'the function', def.f, ...called);
  else {
    runningFwd.add(def); // (a call from inside returns above, so fwd never runs nested in itself)
    let r: unknown;
    try { r = callSync(where, 'fwd', def.fwd!, ...called); } finally { runningFwd.delete(def); }
    if (!Array.isArray(r) || r.length !== 2) throw new ValueError(`${where}: fwd must return [output, residuals], got ${describeValue(r)}`);
    [out, residuals] = r;
  }
  const [outLeaves, outDef] = flatten(out as PyTree);
  if (outLeaves.length === 0) throw new ValueError(`${where}: the function returned no Array (${show(outDef)})`);
  // (fwd's primal output stands for f's: checked against f's types, traced abstractly, as JAX's
  // _flatten_fwd; unchecked, fwd's [4] for f's [2] gave a [4] vjp without a word)
  const want = def.kind === 'vjp' ? outputTypes(def, where, args, argDefs, argConsts, inputs) : null;
  if (want !== null) checkFwdOutput(where, outDef, outLeaves, want);
  const outs = outLeaves.map((l, j) => {
    const w = want?.leaves[j];
    return w !== undefined && !isConstantLeaf(w) && isConstantLeaf(l) ? asarrayHint(l as never, w.dtype, `${where}: fwd's output${leafPath(outDef, j)}`)
      : asarray(l as never, undefined, `${where}: output${leafPath(outDef, j)}`);
  });
  const outRows = outs.map((x) => x._rowIn(where));
  // What f (fwd) closes over: last operands, so that a transform differentiating one is refused (JAX's rule).
  const closure = rowsReadSince(start, tapeLength(), new Set(inRows));
  const rec: CallRecord = registerRecord({
    // (no Array of the call is kept: a pullback keeps its records, and they would hold their data)
    kind: def.kind, def, where, fixed: def.nondiff.map((i) => args[i]), argDefs, leafCounts, argConsts, nIn: inputs.length, outDef, nOut: outs.length,
    site: callSite(), callRows: [...inRows, ...closure],
    run: (kind: number, r: number) => runRule(rec, kind, r),
  } as Omit<CallRecord, 'id'>) as CallRecord;
  const operands = [...inRows, ...outRows];
  if (def.kind === 'vjp') {
    const [resLeaves, resDef] = flatten(residuals as PyTree);
    rec.resDef = resDef;
    rec.resStatic = resLeaves.map((l) => (l instanceof NDArray ? undefined : l));
    const resArrays = resLeaves.filter((l): l is NDArray => l instanceof NDArray);
    rec.nRes = resArrays.length;
    operands.push(...resArrays.map((x) => x._rowIn(where)));
  }
  operands.push(...closure);
  const r = emit('custom_call', operands, [rec.id, inputs.length, 0, outs.length, closure.length], () => `${where}: its call`);
  return unflatten(outDef, outs.map((_, j) => NDArray.tracer(r + 1 + j)));
}

/** A nondiff argument of a customJvp call with its traced Array leaves behind stop_gradient (JAX's custom_jvp.__call__). */
function stopTracedLeaves(a: unknown): unknown {
  const [ls, d] = flatten(a as PyTree);
  if (!ls.some(isTracerLeaf)) return a; // (as it is: a function or an options object keeps its identity)
  return unflatten(d, ls.map((l) => (isTracerLeaf(l) ? bind('stop_gradient', [l as NDArray]) : l)));
}
const isTracerLeaf = (l: unknown): boolean => l instanceof NDArray && l._js === null && l._block === null && l._deleted === null;

/** f's output types for a call: per leaf its shape and dtype, or the JS number (boolean, { re, im }) f returned there. */
interface OutputTypes { def: TreeDef; leaves: ({ shape: readonly number[]; dtype: DType } | number | boolean | { re: number; im: number })[] }

/**
 * customVjp's f traced abstractly on this call's arguments (its Array leaves as inputs of their
 * shapes and dtypes, as JAX traces f to a jaxpr): its output types, for checking fwd's against.
 * Eagerly, an f that cannot be traced abstractly (it reads a value: if (x.item() > 0)) runs on the
 * call's own values instead.
 */
function outputTypes(def: Definition, where: string, args: unknown[], argDefs: (TreeDef | null)[], argConsts: ((Leaf | undefined)[] | null)[], inputs: NDArray[]): OutputTypes {
  const run = (xs: NDArray[]): OutputTypes => {
    let k = 0;
    const called = args.map((a, i) => {
      if (argDefs[i] === null) return a;
      const n = argConsts[i]!.filter((c) => c === undefined).length;
      k += n;
      return withConstants(argDefs[i]!, argConsts[i]!, xs.slice(k - n, k));
    });
    const out = callSync(where, 'the function', def.f, ...called);
    const [ls, d] = flatten(out as PyTree);
    return {
      def: d,
      leaves: ls.map((l, j) => {
        if (isConstantLeaf(l)) return l;
        const a = asarray(l as never, undefined, `${where}: the function's output${leafPath(d, j)}`);
        return { shape: a._shape.slice(), dtype: a.dtype };
      }),
    };
  };
  try {
    return onAbstractTape(where, () => run(inputs.map((x) => NDArray.tracer(emit('input', [], [DTYPE_CODE[x.dtype as DType], ...x._shape])))));
  } catch (e) {
    if (jitContext() !== undefined) {
      if (e instanceof CotangentError && !e.message.startsWith(where)) e.message = `${where}: tracing the function abstractly, to check fwd's output against it (as JAX does): ${e.message}`;
      throw e;
    }
    return run(inputs); // (its rows are dead: nothing reads them)
  }
}

/** JAX's check of fwd's primal output against f's output: structure, then each leaf's shape and dtype. */
function checkFwdOutput(where: string, fwdDef: TreeDef, fwdLeaves: readonly unknown[], want: OutputTypes): void {
  const jax = 'fwd must return [output, residuals] whose output has the structure, shapes and dtypes of the function\'s output ' +
    '(JAX: "Custom VJP fwd rule must produce primal outputs with equal container (pytree) structures / shapes / dtypes as the primal function")';
  if (!sameStructure(fwdDef, want.def)) throw new ValueError(`${where}: fwd's primal output has structure ${show(fwdDef)}, the function's output has ${show(want.def)}; ${jax}`);
  fwdLeaves.forEach((l, j) => {
    const w = want.leaves[j], at = leafPath(fwdDef, j);
    const got = isConstantLeaf(l) ? null : asarray(l as never, undefined, `${where}: fwd's output${at}`);
    const gotText = got === null ? `the JS ${typeof l === 'object' ? 'complex' : typeof l} ${showLeaf(l)}` : describe(got._shape, got.dtype);
    if (isConstantLeaf(w)) { // f gave a JS number there: weakly typed, any scalar of a dtype holding it
      const wantText = `the JS ${typeof w === 'object' ? 'complex' : typeof w} ${showLeaf(w)}`;
      if (got === null) {
        if ((typeof l === 'boolean') !== (typeof w === 'boolean')) throw new DTypeError(`${where}: fwd's primal output${at} is ${gotText}, the function's output is ${wantText}; ${jax}`);
        return;
      }
      if (got._shape.length !== 0) throw new ShapeError(`${where}: fwd's primal output${at} has shape ${gotText}, the function's output is ${wantText} (shape []); ${jax}`);
      if (!weakFits(w, got.dtype)) throw new DTypeError(`${where}: fwd's primal output${at} has dtype ${got.dtype}, the function's output is ${wantText}; ${jax}`);
      return;
    }
    const wantText = describe(w.shape, w.dtype);
    const shape = got === null ? [] : got._shape;
    if (shape.length !== w.shape.length || shape.some((s, i) => s !== w.shape[i])) {
      throw new ShapeError(`${where}: fwd's primal output${at} is ${gotText}, the function's output is ${wantText}; ${jax}`);
    }
    if (got === null ? !weakFits(l as Leaf, w.dtype) : got.dtype !== w.dtype) {
      throw new DTypeError(`${where}: fwd's primal output${at} is ${gotText}, the function's output is ${wantText}; ${jax}`);
    }
  });
}
/** Whether JS constant c (weakly typed) can stand for a scalar of dtype d. */
function weakFits(c: Leaf, d: DType): boolean {
  if (typeof c === 'boolean') return d === 'bool';
  if (typeof c === 'number') return Number.isInteger(c) ? d !== 'bool' : isInexact(d);
  return isComplexDtype(d);
}
const showLeaf = (l: unknown) => (typeof l === 'object' && l !== null ? JSON.stringify(l) : String(l));

/**
 * @internal The rows that rows [start, end) read from before `start`, but `exclude`: what code run
 * in between closes over (closure conversion by the tape). Under vmap, the views it read, not their
 * batches (which batching rules read).
 */
export function rowsReadSince(start: number, end: number, exclude: ReadonlySet<number>): number[] {
  const e = abi(), found = new Set<number>(), input = opCode('input');
  for (let r = start; r < end; r++) {
    // (an input row made in between is a value from outside lifted in on first read: a tracer of
    // the trace around a jit or loop body, or a jit constant; not a vmap inside the call's
    // per-example view of its argument, which is the call's own and dead once the vmap returned)
    if (e.row_op(r) === input && (e.row_flags(r) & VIEW) === 0 && !exclude.has(r)) found.add(r);
    for (let i = 0, n = e.row_nops(r); i < n; i++) {
      const x = e.row_operand(r, i);
      if (x < start && !exclude.has(x)) found.add(x);
    }
  }
  for (const x of [...found, ...exclude]) for (let b = e.row_impl(x); b >= 0; b = e.row_impl(b)) found.delete(b);
  return [...found].sort((a, b) => a - b);
}

function isComplex(l: unknown): boolean {
  return typeof l === 'object' && l !== null && 're' in l && 'im' in l;
}
/**
 * Cotangent tree `c`'s leaves in the order of argument structure `def`, null for a leaf under a
 * null (a zero, at any level of the tree, as JAX's None in bwd's output); null when the
 * structures differ otherwise. `undefined` is not a zero: `[res.gx]` with a misspelt property, or
 * a hole `[, gy]`, gave a zero gradient silently (customJvp's rule refuses undefined, and so does
 * vjp's cotangent); the caller names it.
 */
function cotangentLeaves(c: unknown, def: TreeDef): (Leaf | null)[] | null {
  const out: (Leaf | null)[] = [];
  const zeros = (d: TreeDef): void => {
    if (d.kind === 'leaf') out.push(null);
    else if (d.kind === 'list' || d.kind === 'dict') d.children.forEach(zeros);
  };
  const go = (t: unknown, d: TreeDef): boolean => {
    if (t === undefined) return false;
    if (t === null) { zeros(d); return true; }
    const [, td] = flatten(t as PyTree);
    if (d.kind === 'leaf') { if (td.kind !== 'leaf') return false; out.push(t as Leaf); return true; }
    if (d.kind === 'none') return false;
    if (d.kind === 'list') return Array.isArray(t) && t.length === d.children.length && d.children.every((cd, k) => go(t[k], cd));
    if (td.kind !== 'dict' || td.keys.length !== d.keys.length || td.keys.some((k, j) => k !== d.keys[j])) return false;
    return d.keys.every((k, j) => go((t as Record<string, unknown>)[k], d.children[j]));
  };
  return go(c, def) ? out : null;
}

/** Whether a tree holds undefined anywhere (a hole in a list reads as undefined). */
function hasUndefined(t: unknown): boolean {
  if (t === undefined) return true;
  if (Array.isArray(t)) return Array.from(t).some(hasUndefined);
  if (t !== null && typeof t === 'object' && !(t instanceof NDArray) && Object.getPrototypeOf(t) === Object.prototype) return Object.values(t).some(hasUndefined);
  return false;
}

/** A JS number, boolean or { re, im } leaf: a constant of any trace, passed on as it is. */
function isConstantLeaf(l: unknown): l is number | boolean | { re: number; im: number } {
  return typeof l === 'number' || typeof l === 'boolean' || (isComplex(l) && !(l instanceof NDArray));
}
/** Tree `d` from its leaves: the constants where `consts` has one, else the Arrays `xs` in order. */
function withConstants(d: TreeDef, consts: readonly (Leaf | undefined)[], xs: readonly unknown[]): unknown {
  let q = 0;
  return unflatten(d, consts.map((c) => (c === undefined ? xs[q++] : c)) as Leaf[]);
}
function describeValue(v: unknown): string {
  return Array.isArray(v) ? `a list of ${v.length}` : v === null ? 'null' : typeof v;
}

function params(r: number): Int32Array {
  const n = abi().row_nparams(r), p = abi().row_params(r) >>> 2;
  return memI32().slice(p, p + n);
}
const operand = (r: number, i: number) => abi().row_operand(r, i);
const infoOf = (x: number) => ({ shape: rowShape(x), dtype: rowDtype(x) });

/** `fn` under `levels` vmaps over axis 0 of every argument and result (a custom row batched by vmap). */
function batched<G extends AnyFn>(fn: G, levels: number): G {
  let g: AnyFn = fn;
  for (let i = 0; i < levels; i++) g = vmap(g, { inAxes: 0, outAxes: 0 });
  return g as G;
}

/**
 * The differentiated arguments again, from the row's input leaves (Arrays) and the call's constant
 * leaves; `constant` maps each constant (tangents: to its zero).
 */
function diffArgs(rec: CallRecord, leaves: NDArray[], constant: (c: Leaf) => Leaf = (c) => c): unknown[] {
  let k = 0;
  const out: unknown[] = [];
  rec.argDefs.forEach((d, i) => {
    if (d === null) return;
    out.push(withConstants(d, rec.argConsts[i]!.map((c) => (c === undefined ? undefined : constant(c))), leaves.slice(k, k + rec.leafCounts[i])));
    k += rec.leafCounts[i];
  });
  return out;
}
/** A constant's tangent: zero (JAX instantiates a zero tangent for a value it does not follow). */
const zeroTangent = (c: Leaf): Leaf => (isComplex(c) ? { re: 0, im: 0 } : 0);

/**
 * @internal A staged linear map of `rhs` (tangent Arrays, at least one of them linear) with outputs
 * shaped like `outs`, whose transpose is `transpose(cotangents) -> one cotangent per rhs leaf`
 * (customLinearSolve inside a linearization, ts/api/implicit.ts). The transpose runs in whatever
 * trace transposes the row, so `transpose` may only close over values alive there.
 */
export function emitLinearMap(where: string, rhs: NDArray[], outs: { shape: readonly number[]; dtype: DType }[],
  transpose: (cts: NDArray[]) => NDArray[], probe?: () => void): NDArray[] {
  // Emitted by a custom rule running in another trace than its call's (a loop body's), the
  // transpose reads the rule's closure later still, in the transpose's trace: the values the
  // rule's rebinding maps to, and the rows `probe` (what the transpose calls, run once here)
  // reads, ride on the row (after the tangents), and that rebinding is installed again with
  // them mapped to the row's operands there.
  const outer = activeRebinders(), made = currentEpoch();
  const carriedRows = [...new Set(outer.flatMap((b) => b.held as NDArray[]))].filter((x) => x._epoch === made && x.isTracer).map((x) => x._rowIn(where));
  if (outer.length > 0 && probe !== undefined) {
    const start = tapeLength();
    probe();
    for (const x of rowsReadSince(start, tapeLength(), new Set(rhs.map((x) => x._rowIn(where))))) if (!carriedRows.includes(x)) carriedRows.push(x);
  }
  const rec = registerRecord({
    kind: 'vjp', // (staged: linearize's jvpFn refuses it, as customVjp's)
    staged: where,
    run: (kind: number, r: number) => {
      if (kind !== 1) throw new InternalError(`${where}: forward mode walked a staged linear row`);
      const p = params(r), k = p[1], levels = p[2], m = abi().row_nout(r);
      const ins = Array.from({ length: k }, (_, i) => operand(r, i));
      const cts = Array.from({ length: m }, (_, j) => {
        const c = abi().transpose_cotangent(r + 1 + j);
        return NDArray.tracer(c >= 0 ? c : zerosRow(infoOf(r + 1 + j)));
      });
      const now = Array.from({ length: abi().row_nops(r) - k }, (_, q) => NDArray.tracer(operand(r, k + q)));
      const call = (cs: NDArray[], car: NDArray[]) => {
        if (outer.length === 0 || carriedRows.length === 0) return transpose(cs);
        const here: Rebinder = { resolve: (ep, row) => (ep === made && carriedRows.includes(row) ? car[carriedRows.indexOf(row)]._rowIn(where) : undefined), held: car };
        return withRebinding(currentEpoch() === made ? outer : [...outer, here], () => transpose(cs));
      };
      const got = levels > 0 ? batched(call, levels)(cts, now) : call(cts, now);
      got.forEach((c, i) => abi().transpose_accumulate(ins[i], c._rowIn(where)));
    },
  });
  const shapes = outs.flatMap((o) => [DTYPE_CODE[o.dtype], o.shape.length, ...o.shape]);
  const r = emit('custom_linear', [...rhs.map((x) => x._rowIn(where)), ...carriedRows], [rec.id, rhs.length, 0, ...shapes], () => `${where}: its linearization`);
  return outs.map((_, j) => NDArray.tracer(r + 1 + j));
}

/** @internal Whether Array x is a staged linear value of the current trace (a tangent inside a linearization). */
export function isLinearValue(x: NDArray): boolean {
  if (!(x._js === null && x._block === null && x._deleted === null && x._epoch === currentEpoch())) return false;
  // (under vmap, x is a view of a batch: linear when the batch is)
  for (let r = x._row; r >= 0; r = abi().row_impl(r)) if ((rowFlags(r) & LINEAR) !== 0) return true;
  return false;
}

// (what a rule throws passes through the transform's wasm frames as thrown: core/custom_calls.ts boxes it)
function runRule(rec: CallRecord, kind: number, r: number): void {
  if (kind === 0 && rec.kind === 'jvp') jvpOfCall(rec, r);
  else if (kind === 0) linearizeVjpCall(rec, r);
  else transposeVjpCall(rec, r);
}

/**
 * fn() with the rule's closure rebound: where the rule runs in another trace than the call's (a
 * call in a jitted loop body, differentiated when the loop's rule traces the body again), the
 * tracers it closes over are stale there. Each of the call's rows (`rec.callRows`, or a prefix of
 * them) is held here by the Array in `now` at the same position (an operand of the row, or its
 * per-example view under vmap), and a stale tracer of that row reads it instead (JAX
 * closure-converts the rule). In the call's own trace nothing changes.
 */
function rebound<T>(rec: CallRecord, now: readonly (NDArray | undefined)[], fn: () => T): T {
  if (currentEpoch() === rec.site.epoch) return fn();
  const at = new Map<number, NDArray>();
  now.forEach((x, i) => { if (x !== undefined && !at.has(rec.callRows[i])) at.set(rec.callRows[i], x); });
  return withRebinding([{
    resolve: (ep, row) => {
      const r0 = rowAtSite(rec.site, ep, row);
      const x = r0 === undefined ? undefined : at.get(r0);
      return x === undefined ? undefined : x._rowIn(rec.where);
    },
    held: [...at.values()],
  }], fn);
}

/**
 * Under vmap of a custom function the rule runs per example, but the shapes checked are batched:
 * grad(vmap(f)) with a rule returning float32[] for float32[3] said 'float32[2], the output is
 * float32[2,3]', shapes the user's code never saw. This says what the rule itself returned.
 */
function perExample(levels: number, got: readonly number[], want: readonly number[], gotDtype: DType, wantDtype: DType): string {
  if (levels <= 0) return '';
  return ` (the leading ${levels === 1 ? 'axis is' : `${levels} axes are`} vmap's batch: per example, ${describe(got.slice(levels), gotDtype)} where ${describe(want.slice(levels), wantDtype)} is expected)`;
}

/** Validate leaves against rows `rowsOut` (shape and dtype); JS numbers take the row's dtype. */
function leavesLike(where: string, what: string, tree: unknown, def: TreeDef, rowsOut: number[], levels = 0): NDArray[] {
  const [ls, d] = flatten(tree as PyTree);
  if (!sameStructure(d, def)) throw new ValueError(`${where}: ${what} has structure ${show(d)}, the function's output has ${show(def)}`);
  return ls.map((l, j) => {
    const info = infoOf(rowsOut[j]);
    const a = asarrayHint(l as never, info.dtype, `${where}: ${what}${leafPath(def, j)}`);
    if (a._shape.length !== info.shape.length || a._shape.some((s, i) => s !== info.shape[i])) {
      throw new ShapeError(`${where}: ${what}${leafPath(def, j)} has shape ${describe(a._shape, a.dtype)}, the output is ${describe(info.shape, info.dtype)}${perExample(levels, a._shape, info.shape, a.dtype, info.dtype)}`);
    }
    if (a.dtype !== info.dtype) throw new DTypeError(`${where}: ${what}${leafPath(def, j)} has dtype ${a.dtype}, the output is ${info.dtype}`);
    return a;
  });
}

/** JAX's refusal: the rule gives derivatives with respect to the arguments only, not to what f closes over. */
function refuseClosureTangents(rec: CallRecord, r: number, c: number): void {
  const n = abi().row_nops(r);
  for (let i = n - c; i < n; i++) {
    const x = operand(r, i);
    if (abi().jvp_tangent(x) >= 0) {
      throw new TracerError(`${rec.where}: a transform differentiates a value the function closes over (${describeRow(x)}), ` +
        'but a custom rule gives derivatives with respect to its arguments only (JAX: "Detected differentiation of a ' +
        `custom_${rec.def.kind} function with respect to a closed-over value"); pass that value as an argument`);
    }
  }
}

function jvpOfCall(rec: CallRecord, r: number): void {
  const p = params(r), k = p[1], levels = p[2], m = p[3];
  refuseClosureTangents(rec, r, p[4]);
  const ins = Array.from({ length: k }, (_, i) => operand(r, i));
  const outRows = Array.from({ length: m }, (_, j) => r + 1 + j);
  const primals = ins.map((x) => NDArray.tracer(x));
  const tangents = ins.map((x) => {
    const t = abi().jvp_tangent(x);
    return NDArray.tracer(t >= 0 ? t : zerosRow(infoOf(x)));
  });
  const closed = Array.from({ length: p[4] }, (_, i) => NDArray.tracer(operand(r, abi().row_nops(r) - p[4] + i)));
  const fixed = rec.fixed, rule = rec.def.rule! as AnyFn;
  const call = (ps: NDArray[], ts: NDArray[], cl: NDArray[]) => {
    const res = rebound(rec, [...ps, ...cl], () => callSync(rec.where, 'the rule', rule, ...fixed, diffArgs(rec, ps), diffArgs(rec, ts, zeroTangent)));
    if (!Array.isArray(res) || res.length !== 2) throw new ValueError(`${rec.where}: the rule must return [primalOut, tangentOut], got ${describeValue(res)}`);
    return res;
  };
  const [pOut, tOut] = batched(call, levels)(primals, tangents, closed);
  const pd = flatten(pOut as PyTree)[1];
  if (!sameStructure(pd, rec.outDef)) throw new ValueError(`${rec.where}: the rule's primal output has structure ${show(pd)}, the function's output has ${show(rec.outDef)}`);
  leavesLike(rec.where, "the rule's primal output", pOut, rec.outDef, outRows, levels); // (shapes and dtypes too, as JAX's check)
  const ts = leavesLike(rec.where, "the rule's tangent output", tOut, rec.outDef, outRows, levels);
  if (tangents.some((t) => (rowFlags(t._row) & LINEAR) !== 0)) refuseNonlinearRule(rec, call, levels, primals, tangents, closed);
  ts.forEach((t, j) => abi().jvp_set_tangent(outRows[j], t._rowIn(rec.where)));
}

/** Per customJvp definition, the call types (see refuseNonlinearRule) its rule was found linear for. */
const linearRules = new WeakMap<Definition, Set<string>>();

/**
 * Reverse mode transposes the rule's tangent output: one not linear in the tangents (dy * dy)
 * failed later, in the transpose, as an InternalError naming no function. Here the rule runs
 * again abstractly on placeholder tangents and that is transposed (JAX fails at the transpose too).
 * (linearize's jvpFn evaluated such a rule as given, 9 for dy * dy at dy = 3, not a linear map: refused too.)
 */
function refuseNonlinearRule(rec: CallRecord, call: (ps: NDArray[], ts: NDArray[], cl: NDArray[]) => unknown[], levels: number,
  primals: NDArray[], tangents: NDArray[], closed: NDArray[]): void {
  // (read on this trace's tape, before the abstract one is current)
  const linear = tangents.map((t) => (rowFlags(t._row) & LINEAR) !== 0);
  const [pInfo, tInfo, cInfo] = [primals, tangents, closed].map((xs) => xs.map((x) => infoOf(x._row)));
  // A rule found linear for these types is not run again per call (an eager loop of grads): a
  // stale entry costs only this message, as the transpose still refuses a nonlinear rule.
  const key = JSON.stringify([levels, linear, pInfo, tInfo, cInfo]);
  let seen = linearRules.get(rec.def);
  if (seen?.has(key)) return;
  let found = 'unknown' as 'linear' | 'nonlinear' | 'unknown';
  try {
    onAbstractTape(`${rec.where}: its rule`, () => {
      // (fresh inputs for the primals and what the call closes over: the rule's closure is rebound
      // to them; placeholders for the linear tangents only, a zero tangent is no linear value)
      const input = (i: LeafInfo) => emit('input', [], [DTYPE_CODE[i.dtype], ...i.shape]);
      const fresh = (is: LeafInfo[]) => is.map((i) => NDArray.tracer(input(i)));
      const ts = tInfo.map((i, k) => (linear[k] ? placeholderFor(i) : input(i)));
      const [, tOut] = batched(call, levels)(fresh(pInfo), ts.map((r) => NDArray.tracer(r)), fresh(cInfo));
      const outs = flatten(tOut as PyTree)[0].map((l) => (l instanceof NDArray && l.isTracer && l._epoch === currentEpoch() && (rowFlags(l._row) & LINEAR) !== 0 ? l._row : -1));
      const cts = outs.map((o) => (o < 0 ? 0 : emit('input', [], [DTYPE_CODE[rowDtype(o)], ...rowShape(o)])));
      try {
        transposeRows(outs, cts, ts.filter((_, i) => linear[i]));
        found = 'linear';
      } catch (e) {
        if (e instanceof InternalError && /nonlinear value/.test(e.message)) found = 'nonlinear';
      }
    });
  } catch {
    // (a rule that cannot run abstractly, if (x.item() > 0): unchecked here; the transpose still refuses a nonlinear one)
  }
  if (found === 'linear') {
    if (seen === undefined) linearRules.set(rec.def, seen = new Set());
    if (seen.size < 64) seen.add(key);
  } else if (found === 'nonlinear') {
    throw new ValueError(`${rec.where}: the rule's tangent output is not linear in the input tangents (a product of two tangents, ` +
      'or a nonlinear function of one); reverse mode (grad, vjp, jacrev) transposes it and linearize stages it as a linear map, ' +
      'which needs it linear (JAX fails at the transpose too). ' +
      'Write the tangent output as a linear map of the tangents (multiply them only by primal values)');
  }
}

function linearizeVjpCall(rec: CallRecord, r: number): void {
  const p = params(r), k = p[1], levels = p[2], m = p[3];
  refuseClosureTangents(rec, r, p[4]);
  const ins = Array.from({ length: k }, (_, i) => operand(r, i));
  const tans = ins.map((x) => abi().jvp_tangent(x));
  if (tans.every((t) => t < 0)) return; // no input varies: zero tangents
  if (tans.some((t) => t >= 0 && (rowFlags(t) & LINEAR) === 0)) {
    throw new NotImplementedError(`${rec.where}: forward-mode differentiation (jvp, jacfwd, hessian) of a customVjp function is not ` +
      'defined, as in JAX (custom_vjp defines reverse mode only); use grad/vjp/jacrev, or customJvp for a rule that works in both modes');
  }
  const nRes = abi().row_nops(r) - k - m - p[4];
  // (then what fwd closed over, after the residuals: bwd may read it, rebound at the transpose)
  const ops = [...tans.map((t, i) => (t >= 0 ? t : zerosRow(infoOf(ins[i])))), ...Array.from({ length: nRes + p[4] }, (_, q) => operand(r, k + m + q))];
  const shapes: number[] = [];
  for (let j = 0; j < m; j++) {
    const s = rowShape(r + 1 + j);
    shapes.push(DTYPE_CODE[rowDtype(r + 1 + j)], s.length, ...s);
  }
  const lin = emit('custom_linear', ops, [rec.id, k, levels, ...shapes], () => `${rec.where}: its linearization`);
  for (let j = 0; j < m; j++) abi().jvp_set_tangent(r + 1 + j, lin + 1 + j);
}

function transposeVjpCall(rec: CallRecord, r: number): void {
  const p = params(r), k = p[1], levels = p[2], m = abi().row_nout(r);
  const ins = Array.from({ length: k }, (_, i) => operand(r, i));
  const resRows = Array.from({ length: rec.nRes! }, (_, q) => operand(r, k + q));
  const closedRows = Array.from({ length: abi().row_nops(r) - k - rec.nRes! }, (_, q) => operand(r, k + rec.nRes! + q));
  const outRows = Array.from({ length: m }, (_, j) => r + 1 + j);
  const cts = outRows.map((o) => {
    const c = abi().transpose_cotangent(o);
    return NDArray.tracer(c >= 0 ? c : zerosRow(infoOf(o)));
  });
  const res = resRows.map((x) => NDArray.tracer(x));
  const fixed = rec.fixed, bwd = rec.def.bwd! as AnyFn;
  const diffDefs = rec.argDefs.filter((d): d is TreeDef => d !== null);
  const diffConsts = rec.argConsts.filter((c): c is (Leaf | undefined)[] => c !== null);
  const labels: string[] = []; // (each cotangent leaf's place, `0.b`, for the shape and dtype checks below)
  const call = (rs: NDArray[], cs: NDArray[], cl: NDArray[]) => {
    let q = 0;
    labels.length = 0;
    const residuals = unflatten(rec.resDef!, rec.resStatic!.map((s) => (s === undefined ? rs[q++] : s)));
    // (bwd's closure rebound to what fwd closed over; the inputs themselves are not kept)
    const now = [...rec.callRows.slice(0, rec.nIn).map(() => undefined), ...cl];
    const out = rebound(rec, now, () => callSync(rec.where, 'bwd', bwd, ...fixed, residuals, unflatten(rec.outDef, cs)));
    if (!Array.isArray(out) || out.length !== diffDefs.length) {
      throw new ValueError(`${rec.where}: bwd must return one cotangent per differentiated argument (${diffDefs.length}), as a list, got ${describeValue(out)}`);
    }
    // per argument: its tree of cotangents (null: zero), flattened in the inputs' leaf order; a
    // constant leaf's (a JS number the call got) is dropped: null, a JS number or any scalar
    const leaves: (NDArray | null)[] = [];
    // (Array.from: forEach skips a hole, so bwd's [, gy] gave gy to the first argument and a zero to y)
    Array.from(out).forEach((c, i) => {
      const consts = diffConsts[i];
      const cl = cotangentLeaves(c, diffDefs[i]);
      if (cl === null) {
        throw new ValueError(`${rec.where}: bwd's cotangent ${i} has structure ${show(flatten(c as PyTree)[1])}, the argument has ${show(diffDefs[i])}` +
          (hasUndefined(c) ? ' (undefined is not a zero cotangent: a missing property or return? Write null for a zero, as JAX\'s None)' : ''));
      }
      cl.forEach((l, j) => {
        if (consts[j] === undefined) {
          // (checked here, in the user's terms: under vmap a string leaf was only caught by the
          // vmap that runs bwd, 'vmap: the function returned ...', naming neither bwd nor customVjp)
          if (l !== null && !(l instanceof NDArray) && !isConstantLeaf(l)) {
            throw new DTypeError(`${rec.where}: bwd's cotangent ${i}${leafPath(diffDefs[i], j)}: expected an Array, a number or null, got ${typeof l === 'string' ? `'${l}' (a string)` : describeValue(l)}`);
          }
          leaves.push(l as NDArray); labels.push(diffDefs[i].kind === 'leaf' ? '' : `${i}${leafPath(diffDefs[i], j)}`); return;
        }
        if (l === null || l === undefined || isConstantLeaf(l) || (l instanceof NDArray && l.ndim === 0)) return;
        const got = l instanceof NDArray ? describe(l._shape, l.dtype) : typeof l;
        throw new ShapeError(`${rec.where}: bwd's cotangent ${i}${leafPath(diffDefs[i], j)} is ${got}, for the constant ${typeof consts[j] === 'object' ? JSON.stringify(consts[j]) : String(consts[j])} the call passed there: ` +
          'return null, 0 or a scalar (it is dropped: a constant gets no cotangent)');
      });
    });
    // (zeros in place of null, shaped per example under vmap: every level batched the row along axis 0)
    return leaves.map((l, i) => {
      if (l !== null) return l;
      const info = infoOf(ins[i]);
      return NDArray.tracer(zerosRow({ shape: info.shape.slice(levels), dtype: info.dtype }));
    });
  };
  const closed = closedRows.map((x) => NDArray.tracer(x));
  const cotangents = levels > 0 ? batched(call, levels)(res, cts, closed) : call(res, cts, closed);
  cotangents.forEach((c, i) => {
    const info = infoOf(ins[i]);
    const a = asarrayHint(c as never, info.dtype, `${rec.where}: bwd's cotangent`);
    if (a._shape.length !== info.shape.length || a._shape.some((s, d) => s !== info.shape[d])) {
      throw new ShapeError(`${rec.where}: bwd's cotangent ${labels[i] || `for input leaf ${i}`} has shape ${describe(a._shape, a.dtype)}, the input is ${describe(info.shape, info.dtype)}${perExample(levels, a._shape, info.shape, a.dtype, info.dtype)}`);
    }
    if (a.dtype !== info.dtype) throw new DTypeError(`${rec.where}: bwd's cotangent ${labels[i] || `for input leaf ${i}`} has dtype ${a.dtype}, the input is ${info.dtype}`);
    abi().transpose_accumulate(ins[i], a._rowIn(rec.where));
  });
}

setCustomRuleHandler((kind, r) => {
  const id = abi().row_nparams(r) > 0 ? memI32()[abi().row_params(r) >>> 2] : -1;
  const rec = findRecord(id);
  if (rec === undefined) throw new InternalError(`custom rule: row ${r} (${describeRow(r)}) names call record ${id}, which is no longer kept`);
  rec.run(kind, r);
});

export { CotangentError };
