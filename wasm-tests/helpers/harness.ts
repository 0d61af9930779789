// The rule-test harness. A Case is a small program over host-made inputs: one or more steps
// (an op with params and operands that are inputs or earlier steps' results); its last step is
// the output. Inputs are TRACED (differentiated), FIXED (closed-over float constants) or MASK
// (closed-over bools). Every derivative the AD rules produce is compared with finite
// differences of the same program, evaluated by emitting fresh CONST rows and the op rows
// (define-by-run, so the kernels compute them at once):
//   forward:  the JVP tangent vs a 5-point central difference of f along v;
//   reverse:  <transpose(ct), v> vs <ct, fd_jvp(v)> (linearize with placeholders, transpose);
//   second:   the JVP of the JVP (a second jvpRange over the first one's rows) vs a 5-point
//             second difference, polarized for the mixed term f''[v, u]; once with only the
//             primal inputs traced (A), once with the first tangent traced too (B, adds f'(x) w);
//   rev-over-fwd: linearize the JVP in (x, v) and transpose: <g_x, u> + <g_v, w> vs
//             <ct, f''[v, u] + f'(x) w> (the JVP rules' own rows get transposed);
//   fwd-over-rev: the JVP along u of the cotangents a transposition computed, paired with v,
//             vs <ct, f''[v, u]> (the transpose rules' rows must stay differentiable).
// Tolerances (TOL64, TOL32) are relative to the norm of the reference (or, for inner
// products, to the Cauchy-Schwarz bound); every case runs each check on a fresh tape.
import { tryJvp, tryTranspose, trapMessage } from './guard';
import { tapeLen, rowDtype, rowOp, rowFlags, isTuple, rowNout, HAS_VALUE, LINEAR } from '../../assembly/ad/tape';
import { emitN } from '../../assembly/ad/emit';
import { opName } from '../../assembly/ad/registry';
import { F32, F64, BOOL, I32, C64, C128 } from '../../assembly/dtype';
import { CONVERT } from '../../assembly/ad/ops';
import {
  resetTape, tryEmit, copyOf, constRow, placeholderRow, readRow, shapeOf, sameShape, shapeStr, sizeOf, valueCount, ctRow, readCt,
  zeros, dot, norm, axpy, scale, distance, vecStr,
} from './rows';
import { seed, uniformArray, direction, mask } from './rng';

export const TRACED = 0, FIXED = 1, MASK = 2, INDEX = 3; // INDEX: int32 constants in [lo, hi]
/** An operand reference >= STEP names the result of step (ref - STEP); below, an input. */
export const STEP = 100;

export class Arg {
  constructor(public kind: i32, public dtype: i32, public shape: StaticArray<i32>,
    public lo: f64 = -1.0, public hi: f64 = 1.0, public diagBoost: f64 = 0) {}
}

/** Add the arg's diagBoost to the diagonals of its (square) trailing matrices: well-conditioned
 *  or positive-definite inputs for the linear-algebra primitives. */
export function applyBoost(a: Arg, x: StaticArray<f64>): void {
  if (a.diagBoost == 0 || a.shape.length < 2) return;
  const n = a.shape[a.shape.length - 1];
  const cx = a.dtype == C64 || a.dtype == C128; // interleaved: boost the real parts of the diagonal
  for (let i = 0; i < x.length; i++) {
    const e = cx ? i >> 1 : i;
    if ((!cx || (i & 1) == 0) && (e % (n * n)) % (n + 1) == 0) x[i] += a.diagBoost;
  }
}

export class Step {
  /** For a tuple op: which output the step stands for (-1: the last). */
  out: i32 = -1;
  constructor(public op: i32, public params: StaticArray<i32>, public operands: StaticArray<i32>) {}
}

export class Case {
  name: string;
  args: Arg[];
  steps: Step[] = [];
  // Filled by prepare(): values of every input, and directions for the traced ones (zero else).
  x: StaticArray<f64>[] = [];
  v: StaticArray<f64>[] = [];
  u: StaticArray<f64>[] = [];
  w: StaticArray<f64>[] = [];
  ct: StaticArray<f64> = [];
  outShape: StaticArray<i32> = [];
  outDtype: i32 = F64;

  constructor(name: string, op: i32, params: StaticArray<i32>, args: Arg[], operands: StaticArray<i32> | null = null) {
    this.name = name;
    this.args = args;
    let ops: StaticArray<i32>;
    if (operands !== null) ops = operands;
    else {
      ops = new StaticArray<i32>(args.length);
      for (let i = 0; i < args.length; i++) ops[i] = i;
    }
    this.steps.push(new Step(op, params, ops));
  }

  /** The last step (a tuple op) stands for its output i. */
  pick(i: i32): Case {
    this.steps[this.steps.length - 1].out = i;
    return this;
  }

  /** Append a unary step applied to the previous step's result. */
  then(op: i32, params: StaticArray<i32>): Case {
    const ops = new StaticArray<i32>(1);
    ops[0] = STEP + this.steps.length - 1;
    this.steps.push(new Step(op, params, ops));
    return this;
  }

  /** Append a step with explicit operands (input indices, or STEP + step index). */
  thenWith(op: i32, params: StaticArray<i32>, operands: StaticArray<i32>): Case {
    this.steps.push(new Step(op, params, operands));
    return this;
  }

  nTraced(): i32 {
    let n = 0;
    for (let i = 0; i < this.args.length; i++) if (this.args[i].kind == TRACED) n++;
    return n;
  }

  /** Any float32 input or conversion to float32: compare with the loose tolerances. */
  isLoose(): bool {
    for (let i = 0; i < this.args.length; i++) if (this.args[i].dtype == F32 || this.args[i].dtype == C64) return true;
    for (let i = 0; i < this.steps.length; i++) {
      const s = this.steps[i];
      if (s.op == CONVERT && (s.params[0] == F32 || s.params[0] == C64)) return true;
    }
    return false;
  }
}

// ---------------------------------------------------------------- tolerances and statistics

export class Tolerances {
  constructor(public fwd: f64, public rev: f64, public second: f64,
    public h1: f64, public h2: f64) {}
}
export const TOL64 = new Tolerances(1e-8, 1e-8, 1e-6, 1e-3, 1e-3);
export const TOL32 = new Tolerances(2e-4, 2e-4, 2e-3, 1e-2, 5e-2);

/** Worst error / tolerance seen per check, over every case run so far (for the summary). */
export class Stats {
  cases: i32 = 0;
  checks: i32 = 0;
  worstFwd: f64 = 0; worstFwdCase: string = '';
  worstRev: f64 = 0; worstRevCase: string = '';
  worst2A: f64 = 0; worst2ACase: string = '';
  worst2B: f64 = 0; worst2BCase: string = '';
  worst2C: f64 = 0; worst2CCase: string = '';
  worst2D: f64 = 0; worst2DCase: string = '';

  summary(label: string): string {
    return label + ': ' + this.cases.toString() + ' cases, ' + this.checks.toString() + ' checks; worst err/tol: forward ' +
      this.worstFwd.toString() + ' (' + this.worstFwdCase + '), reverse ' + this.worstRev.toString() + ' (' +
      this.worstRevCase + '), second A ' + this.worst2A.toString() + ' (' + this.worst2ACase + '), second B ' +
      this.worst2B.toString() + ' (' + this.worst2BCase + '), rev-over-fwd ' + this.worst2C.toString() + ' (' +
      this.worst2CCase + '), fwd-over-rev ' + this.worst2D.toString() + ' (' + this.worst2DCase + ')';
  }
}
export const stats64 = new Stats();
export const stats32 = new Stats();
let stats = stats64;

// ---------------------------------------------------------------- programs

/** Emit the case's steps over the given input rows; returns the output row. */
export function build(c: Case, argRows: StaticArray<i32>): i32 {
  const y = tryBuild(c, argRows);
  assert(y >= 0, c.name + ': emit failed with error ' + (-y).toString());
  return y;
}

/**
 * Like build, but returns -code when a step fails to emit. A step that emits a tuple row stands
 * for its last output (a PROJ row), so the rules of tuple ops are checked through it.
 */
export function tryBuild(c: Case, argRows: StaticArray<i32>): i32 {
  const res = new StaticArray<i32>(c.steps.length);
  for (let s = 0; s < c.steps.length; s++) {
    const st = c.steps[s];
    const r = new StaticArray<i32>(max(st.operands.length, 1));
    for (let i = 0; i < st.operands.length; i++) {
      const ref = st.operands[i];
      r[i] = ref >= STEP ? res[ref - STEP] : argRows[ref];
    }
    let y = emitN(st.op, changetype<usize>(r), st.operands.length, st.params.length, changetype<usize>(st.params));
    if (y < 0) return y;
    if (isTuple(y)) y = y + 1 + (st.out >= 0 ? st.out : rowNout(y) - 1);
    res[s] = y;
  }
  return res[c.steps.length - 1];
}

export function argDtype(a: Arg): i32 { return a.kind == MASK ? BOOL : a.kind == INDEX ? I32 : a.dtype; }

/** CONST rows holding xs (one per input). */
export function constRows(c: Case, xs: StaticArray<f64>[]): StaticArray<i32> {
  const rows = new StaticArray<i32>(c.args.length);
  for (let k = 0; k < c.args.length; k++) rows[k] = constRow(argDtype(c.args[k]), c.args[k].shape, xs[k]);
  return rows;
}

/** f(xs), evaluated on a fresh tape. */
export function evalAt(c: Case, xs: StaticArray<f64>[]): StaticArray<f64> {
  resetTape();
  return readRow(build(c, constRows(c, xs)));
}

/** The inputs x + s d (d is zero on the untraced inputs). */
function shifted(c: Case, s: f64, d: StaticArray<f64>[]): StaticArray<f64>[] {
  const out = new Array<StaticArray<f64>>(c.args.length);
  for (let k = 0; k < c.args.length; k++) out[k] = c.args[k].kind == TRACED ? axpy(c.x[k], s, d[k]) : c.x[k];
  return out;
}

/** 5-point central difference of f along d: f'(x) d + O(h^4). */
export function fd1(c: Case, d: StaticArray<f64>[], h: f64): StaticArray<f64> {
  const m2 = evalAt(c, shifted(c, -2 * h, d)), m1 = evalAt(c, shifted(c, -h, d));
  const p1 = evalAt(c, shifted(c, h, d)), p2 = evalAt(c, shifted(c, 2 * h, d));
  const out = new StaticArray<f64>(p1.length);
  for (let i = 0; i < out.length; i++) out[i] = (m2[i] - 8 * m1[i] + 8 * p1[i] - p2[i]) / (12 * h);
  return out;
}

/** 5-point second difference of f along d: f''(x)[d, d] + O(h^4). */
export function fd2(c: Case, d: StaticArray<f64>[], h: f64): StaticArray<f64> {
  const m2 = evalAt(c, shifted(c, -2 * h, d)), m1 = evalAt(c, shifted(c, -h, d));
  const z = evalAt(c, c.x);
  const p1 = evalAt(c, shifted(c, h, d)), p2 = evalAt(c, shifted(c, 2 * h, d));
  const out = new StaticArray<f64>(p1.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = (-m2[i] + 16 * m1[i] - 30 * z[i] + 16 * p1[i] - p2[i]) / (12 * h * h);
  }
  return out;
}

function addDirs(a: StaticArray<f64>[], s: f64, b: StaticArray<f64>[]): StaticArray<f64>[] {
  const out = new Array<StaticArray<f64>>(a.length);
  for (let k = 0; k < a.length; k++) out[k] = axpy(a[k], s, b[k]);
  return out;
}

/** f''(x)[v, u] by polarization: (D2(v + u) - D2(v - u)) / 4. */
export function fdMixed(c: Case, v: StaticArray<f64>[], u: StaticArray<f64>[], h: f64): StaticArray<f64> {
  const a = fd2(c, addDirs(v, 1, u), h), b = fd2(c, addDirs(v, -1, u), h);
  return scale(0.25, axpy(a, -1, b));
}

/** Fill the case's inputs, directions and output cotangent (deterministic per case index). */
export function prepare(c: Case, caseSeed: u32): void {
  seed(caseSeed * 2654435761 + 12345);
  const n = c.args.length;
  c.x = new Array<StaticArray<f64>>(n);
  c.v = new Array<StaticArray<f64>>(n);
  c.u = new Array<StaticArray<f64>>(n);
  c.w = new Array<StaticArray<f64>>(n);
  for (let k = 0; k < n; k++) {
    const a = c.args[k], sz = valueCount(a.dtype, a.shape);
    c.x[k] = a.kind == MASK ? mask(sz) : uniformArray(sz, a.lo, a.hi);
    applyBoost(a, c.x[k]);
    if (a.kind == INDEX) for (let i = 0; i < sz; i++) c.x[k][i] = Math.floor(a.lo + (a.hi + 1 - a.lo) * (c.x[k][i] - a.lo) / (a.hi - a.lo));
    if ((a.dtype == F32 || a.dtype == C64) && a.kind != MASK && a.kind != INDEX) {
      for (let i = 0; i < sz; i++) c.x[k][i] = <f64><f32>c.x[k][i]; // exactly representable
    }
    c.v[k] = a.kind == TRACED ? direction(sz) : zeros(sz);
    c.u[k] = a.kind == TRACED ? direction(sz) : zeros(sz);
    c.w[k] = a.kind == TRACED ? direction(sz) : zeros(sz);
  }
  resetTape();
  const y = build(c, constRows(c, c.x));
  c.outShape = shapeOf(y);
  c.outDtype = rowDtype(y);
  c.ct = direction(valueCount(c.outDtype, c.outShape));
}

// ---------------------------------------------------------------- checks

function tracedRows(c: Case, rows: StaticArray<i32>): StaticArray<i32> {
  const out = new StaticArray<i32>(c.nTraced());
  let j = 0;
  for (let k = 0; k < c.args.length; k++) if (c.args[k].kind == TRACED) out[j++] = rows[k];
  return out;
}

function tracedConsts(c: Case, d: StaticArray<f64>[]): StaticArray<i32> {
  const out = new StaticArray<i32>(c.nTraced());
  let j = 0;
  for (let k = 0; k < c.args.length; k++) {
    if (c.args[k].kind == TRACED) out[j++] = constRow(c.args[k].dtype, c.args[k].shape, d[k]);
  }
  return out;
}

/** The value of a tangent row, or zeros for a symbolic zero (-1). */
/** The value of a tangent row, or zeros for a symbolic zero (-1). */
function valueOr0(r: i32, n: i32): StaticArray<f64> { return r < 0 ? zeros(n) : readRow(r); }

/** A row that must hold a tangent shaped and typed like `like`, with a value, not linear. */
function checkTangentRow(what: string, r: i32, shape: StaticArray<i32>, dtype: i32): string {
  if (r < 0) return what + ': symbolic zero where a tangent was expected; ';
  let e = '';
  if (!sameShape(shapeOf(r), shape)) e += what + ': shape ' + shapeStr(shapeOf(r)) + ' != ' + shapeStr(shape) + '; ';
  if (rowDtype(r) != dtype) e += what + ': dtype ' + rowDtype(r).toString() + ' != ' + dtype.toString() + '; ';
  if ((rowFlags(r) & LINEAR) != 0) e += what + ': row is LINEAR; ';
  if ((rowFlags(r) & HAS_VALUE) == 0) e += what + ': row (' + opName(rowOp(r)) + ') has no value; ';
  return e;
}

/** A linearized output: staged (LINEAR, no value), shaped like the output. */
function checkLinearRow(what: string, r: i32, shape: StaticArray<i32>): string {
  if (r < 0) return what + ': linearization is a symbolic zero; ';
  let e = '';
  if ((rowFlags(r) & LINEAR) == 0) e += what + ': not LINEAR; ';
  if ((rowFlags(r) & HAS_VALUE) != 0) e += what + ': has a value; ';
  if (!sameShape(shapeOf(r), shape)) e += what + ': shape ' + shapeStr(shapeOf(r)) + '; ';
  return e;
}

function ratio(err: f64, denom: f64, tol: f64): f64 {
  if (denom == 0) return err == 0 ? 0 : Infinity;
  const q = err / denom / tol;
  return isNaN(q) ? Infinity : q;
}

/** Finite-difference references of one case, computed once. */
export class Refs {
  fx: StaticArray<f64> = [];    // f(x)
  fdv: StaticArray<f64> = [];   // f'(x) v
  fdw: StaticArray<f64> = [];   // f'(x) w
  mixed: StaticArray<f64> = []; // f''(x)[v, u]
}

export function references(c: Case, tol: Tolerances): Refs {
  const r = new Refs();
  r.fx = evalAt(c, c.x);
  r.fdv = fd1(c, c.v, tol.h1);
  r.fdw = fd1(c, c.w, tol.h1);
  r.mixed = fdMixed(c, c.v, c.u, tol.h2);
  return r;
}

/** Start a traced program: CONST inputs, then (at `start`) COPYs of the traced ones. */
class Program {
  xr: StaticArray<i32> = [];   // CONST rows of every input
  rows: StaticArray<i32> = []; // the program's operands: COPYs for traced inputs, CONSTs else
  cx: StaticArray<i32> = [];   // the COPYs of the traced inputs
  start: i32 = 0;
  y: i32 = -1;
}
function beginProgram(c: Case): Program {
  const p = new Program();
  p.xr = constRows(c, c.x);
  p.start = tapeLen();
  p.rows = new StaticArray<i32>(c.args.length);
  for (let k = 0; k < c.args.length; k++) p.rows[k] = c.args[k].kind == TRACED ? copyOf(p.xr[k]) : p.xr[k];
  p.cx = tracedRows(c, p.rows);
  return p;
}

function placeholders(c: Case): StaticArray<i32> {
  const ph = new StaticArray<i32>(c.nTraced());
  let j = 0;
  for (let k = 0; k < c.args.length; k++) {
    if (c.args[k].kind == TRACED) ph[j++] = placeholderRow(c.args[k].dtype, c.args[k].shape);
  }
  return ph;
}

function concat(a: StaticArray<i32>, b: StaticArray<i32>): StaticArray<i32> {
  const out = new StaticArray<i32>(a.length + b.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i];
  for (let i = 0; i < b.length; i++) out[a.length + i] = b[i];
  return out;
}

/** sum_k <value of rows[k], d[traced k]>, with the rows checked like the traced inputs. */
class Pairing { value: f64 = 0; scale: f64 = 0; error: string = ''; }
function pairWithInputs(c: Case, what: string, rows: StaticArray<i32>, d: StaticArray<f64>[], allowZero: bool): Pairing {
  const p = new Pairing();
  let j = 0;
  for (let k = 0; k < c.args.length; k++) {
    const a = c.args[k];
    if (a.kind != TRACED) continue;
    const gk = rows[j++];
    if (gk < 0 && allowZero) continue;
    const ek = checkTangentRow(what + ' of input ' + k.toString(), gk, a.shape, a.dtype);
    p.error += ek;
    if (ek.length > 0) continue;
    const gv = readCt(gk);
    p.value += dot(gv, d[k]);
    p.scale += norm(gv) * norm(d[k]);
  }
  return p;
}

/** Forward mode: JVP tangent vs fd1. Returns '' or a description of the failure. */
export function checkForward(c: Case, tol: Tolerances, ref: Refs): string {
  resetTape();
  const vr = tracedConsts(c, c.v);
  const p = beginProgram(c);
  const y = build(c, p.rows);
  const end = tapeLen();
  const outs: StaticArray<i32> = [y];
  const res: StaticArray<i32> = [-2];
  if (!tryJvp(p.start, end, c.nTraced(), p.cx, vr, 1, outs, res)) return 'forward: ' + trapMessage('jvpRange');
  const t = res[0];
  let e = '';
  if (distance(readRow(y), ref.fx) != 0) e += 'primal differs from the evaluated program; ';
  e += checkTangentRow('tangent', t, c.outShape, c.outDtype);
  if (e.length > 0) return 'forward: ' + e;
  const tv = readRow(t);
  const q = ratio(distance(tv, ref.fdv), max(norm(ref.fdv), norm(tv)), tol.fwd);
  stats.checks++;
  if (q > stats.worstFwd) { stats.worstFwd = q; stats.worstFwdCase = c.name; }
  if (!(q <= 1)) return 'forward: jvp ' + vecStr(tv) + ' vs fd ' + vecStr(ref.fdv) + ' (err/tol ' + q.toString() + '); ';
  return '';
}

/** Reverse mode: linearize with placeholders, transpose a cotangent, compare inner products. */
export function checkReverse(c: Case, tol: Tolerances, ref: Refs): string {
  resetTape();
  const p = beginProgram(c);
  const y = build(c, p.rows);
  const end = tapeLen();
  const nT = c.nTraced();
  const ph = placeholders(c);
  const outs: StaticArray<i32> = [y];
  const lin: StaticArray<i32> = [-2];
  if (!tryJvp(p.start, end, nT, p.cx, ph, 1, outs, lin)) return 'reverse: ' + trapMessage('linearizing jvpRange');
  let e = checkLinearRow('linearized output', lin[0], c.outShape);
  if (e.length > 0) return 'reverse: ' + e;
  const ctr: StaticArray<i32> = [ctRow(c.outDtype, c.outShape, c.ct)];
  const g = new StaticArray<i32>(nT);
  if (!tryTranspose(1, lin, ctr, nT, ph, g)) return 'reverse: ' + trapMessage('transposeRange');
  const pr = pairWithInputs(c, 'cotangent', g, c.v, false);
  if (pr.error.length > 0) return 'reverse: ' + pr.error;
  const rhs = dot(c.ct, ref.fdv);
  const q = ratio(Math.abs(pr.value - rhs), max(norm(c.ct) * norm(ref.fdv), pr.scale), tol.rev);
  stats.checks++;
  if (q > stats.worstRev) { stats.worstRev = q; stats.worstRevCase = c.name; }
  if (!(q <= 1)) {
    return 'reverse: <transpose(ct), v> = ' + pr.value.toString() + ' vs <ct, fd_jvp(v)> = ' + rhs.toString() +
      ' (err/tol ' + q.toString() + '); ';
  }
  return '';
}

/**
 * Forward over forward: the JVP of the JVP vs second differences. A: only the primal inputs
 * traced (f''[v, u]); B: the first tangent traced too (f''[v, u] + f'(x) w).
 */
export function checkSecond(c: Case, tol: Tolerances, ref: Refs): string {
  const floor = norm(ref.fdv);
  resetTape();
  const vr = tracedConsts(c, c.v), ur = tracedConsts(c, c.u), wr = tracedConsts(c, c.w);
  const nT = c.nTraced();
  const p = beginProgram(c);
  const cv = new StaticArray<i32>(nT);
  for (let i = 0; i < nT; i++) cv[i] = copyOf(vr[i]); // the tangent, as a traced value
  const y = build(c, p.rows);
  const end1 = tapeLen();
  const outs: StaticArray<i32> = [y];
  const t: StaticArray<i32> = [-2];
  if (!tryJvp(p.start, end1, nT, p.cx, cv, 1, outs, t)) return 'second: ' + trapMessage('first jvpRange');
  let e = checkTangentRow('first tangent', t[0], c.outShape, c.outDtype);
  if (e.length > 0) return 'second: ' + e;
  const end2 = tapeLen();
  const n = valueCount(c.outDtype, c.outShape);

  const sA: StaticArray<i32> = [-2];
  if (!tryJvp(p.start, end2, nT, p.cx, ur, 1, t, sA)) return 'second: ' + trapMessage('second jvpRange (A)');
  if (sA[0] >= 0) e += checkTangentRow('second tangent (A)', sA[0], c.outShape, c.outDtype);
  if (e.length > 0) return 'second: ' + e;
  const a = valueOr0(sA[0], n);
  const qA = ratio(distance(a, ref.mixed), max(norm(ref.mixed), floor), tol.second);

  const sB: StaticArray<i32> = [-2];
  if (!tryJvp(p.start, end2, 2 * nT, concat(p.cx, cv), concat(ur, wr), 1, t, sB)) return 'second: ' + trapMessage('second jvpRange (B)');
  e += checkTangentRow('second tangent (B)', sB[0], c.outShape, c.outDtype);
  if (e.length > 0) return 'second: ' + e;
  const b = readRow(sB[0]);
  const refB = axpy(ref.mixed, 1, ref.fdw);
  const qB = ratio(distance(b, refB), max(norm(refB), floor), tol.second);
  stats.checks += 2;
  if (qA > stats.worst2A) { stats.worst2A = qA; stats.worst2ACase = c.name; }
  if (qB > stats.worst2B) { stats.worst2B = qB; stats.worst2BCase = c.name; }
  if (!(qA <= 1)) e += 'second (A): jvp(jvp) ' + vecStr(a) + ' vs fd ' + vecStr(ref.mixed) + ' (err/tol ' + qA.toString() + '); ';
  if (!(qB <= 1)) e += 'second (B): jvp(jvp) ' + vecStr(b) + ' vs fd ' + vecStr(refB) + ' (err/tol ' + qB.toString() + '); ';
  return e;
}

/**
 * Reverse over forward (Hessian-vector products through the JVP rules' rows): linearize the
 * JVP t = f'(x) v with respect to both x and the traced tangent v, transpose ct:
 * <g_x, u> + <g_v, w> must equal <ct, f''[v, u] + f'(x) w>.
 */
export function checkRevOverFwd(c: Case, tol: Tolerances, ref: Refs): string {
  resetTape();
  const vr = tracedConsts(c, c.v);
  const nT = c.nTraced();
  const p = beginProgram(c);
  const cv = new StaticArray<i32>(nT);
  for (let i = 0; i < nT; i++) cv[i] = copyOf(vr[i]);
  const y = build(c, p.rows);
  const end1 = tapeLen();
  const outs: StaticArray<i32> = [y];
  const t: StaticArray<i32> = [-2];
  if (!tryJvp(p.start, end1, nT, p.cx, cv, 1, outs, t)) return 'rev-over-fwd: ' + trapMessage('jvpRange');
  let e = checkTangentRow('first tangent', t[0], c.outShape, c.outDtype);
  if (e.length > 0) return 'rev-over-fwd: ' + e;
  const end2 = tapeLen();
  const phx = placeholders(c), phv = placeholders(c);
  const lin: StaticArray<i32> = [-2];
  if (!tryJvp(p.start, end2, 2 * nT, concat(p.cx, cv), concat(phx, phv), 1, t, lin)) return 'rev-over-fwd: ' + trapMessage('linearizing jvpRange');
  e = checkLinearRow('linearized tangent', lin[0], c.outShape);
  if (e.length > 0) return 'rev-over-fwd: ' + e;
  const ctr: StaticArray<i32> = [ctRow(c.outDtype, c.outShape, c.ct)];
  const g = new StaticArray<i32>(2 * nT);
  if (!tryTranspose(1, lin, ctr, 2 * nT, concat(phx, phv), g)) return 'rev-over-fwd: ' + trapMessage('transposeRange');
  // g_x is a symbolic zero where f is linear in x; g_v never is.
  const gx = new StaticArray<i32>(nT), gv = new StaticArray<i32>(nT);
  for (let i = 0; i < nT; i++) { gx[i] = g[i]; gv[i] = g[nT + i]; }
  const px = pairWithInputs(c, 'x-cotangent', gx, c.u, true);
  const pv = pairWithInputs(c, 'v-cotangent', gv, c.w, false);
  e += px.error + pv.error;
  const lhs = px.value + pv.value, sc = px.scale + pv.scale;
  if (e.length > 0) return 'rev-over-fwd: ' + e;
  const rhs = dot(c.ct, axpy(ref.mixed, 1, ref.fdw));
  const q = ratio(Math.abs(lhs - rhs), max(norm(c.ct) * (norm(ref.mixed) + norm(ref.fdw)), sc), tol.second);
  stats.checks++;
  if (q > stats.worst2C) { stats.worst2C = q; stats.worst2CCase = c.name; }
  if (!(q <= 1)) {
    return 'rev-over-fwd: <g_x, u> + <g_v, w> = ' + lhs.toString() + ' vs <ct, f\'\'[v,u] + f\'w> = ' + rhs.toString() +
      ' (err/tol ' + q.toString() + '); ';
  }
  return '';
}

/**
 * Forward over reverse: the JVP (along u) of the cotangent rows that transposition computed;
 * sum_k <d g_k, v_k> must equal <ct, f''[v, u]>. Catches a transpose rule that emits rows which
 * are not differentiable functions of the primal (values frozen into constants).
 */
export function checkFwdOverRev(c: Case, tol: Tolerances, ref: Refs): string {
  resetTape();
  const ur = tracedConsts(c, c.u);
  const nT = c.nTraced();
  const p = beginProgram(c);
  const y = build(c, p.rows);
  const end = tapeLen();
  const ph = placeholders(c);
  const outs: StaticArray<i32> = [y];
  const lin: StaticArray<i32> = [-2];
  if (!tryJvp(p.start, end, nT, p.cx, ph, 1, outs, lin)) return 'fwd-over-rev: ' + trapMessage('linearizing jvpRange');
  let e = checkLinearRow('linearized output', lin[0], c.outShape);
  if (e.length > 0) return 'fwd-over-rev: ' + e;
  const ctr: StaticArray<i32> = [ctRow(c.outDtype, c.outShape, c.ct)];
  const g = new StaticArray<i32>(nT);
  if (!tryTranspose(1, lin, ctr, nT, ph, g)) return 'fwd-over-rev: ' + trapMessage('transposeRange');
  const dg = new StaticArray<i32>(nT);
  if (!tryJvp(p.start, tapeLen(), nT, p.cx, ur, nT, g, dg)) return 'fwd-over-rev: ' + trapMessage('jvpRange over the transpose');
  // A symbolic zero where the cotangent does not depend on x (f linear in x).
  const pr = pairWithInputs(c, 'tangent of the cotangent', dg, c.v, true);
  e += pr.error;
  const lhs = pr.value, sc = pr.scale;
  if (e.length > 0) return 'fwd-over-rev: ' + e;
  const rhs = dot(c.ct, ref.mixed);
  const q = ratio(Math.abs(lhs - rhs), max(norm(c.ct) * max(norm(ref.mixed), norm(ref.fdv)), sc), tol.second);
  stats.checks++;
  if (q > stats.worst2D) { stats.worst2D = q; stats.worst2DCase = c.name; }
  if (!(q <= 1)) {
    return 'fwd-over-rev: sum <d g, v> = ' + lhs.toString() + ' vs <ct, f\'\'[v,u]> = ' + rhs.toString() +
      ' (err/tol ' + q.toString() + '); ';
  }
  return '';
}

/** Every check; '' when the case passes. */
export function runCase(c: Case, index: i32): string {
  prepare(c, <u32>(index + 1));
  const loose = c.isLoose();
  const tol = loose ? TOL32 : TOL64;
  stats = loose ? stats32 : stats64;
  stats.cases++;
  const ref = references(c, tol);
  const e = checkForward(c, tol, ref) + checkReverse(c, tol, ref) + checkSecond(c, tol, ref) +
    checkRevOverFwd(c, tol, ref) + checkFwdOverRev(c, tol, ref);
  resetTape();
  return e.length > 0 ? c.name + ': ' + e : '';
}
