// The op table is complete: every primitive 0..NUM_OPS-1 (iterated, not listed) has a name, a
// shape rule, a kernel, a JVP rule or a NONDIFF declaration, and a transpose rule or a
// NEVER_LINEAR declaration; the transposable ops are exactly the expected linear ones; and,
// dynamically, linearizing every differentiable op (JVP with PLACEHOLDER seeds) stages only
// transposable rows and transposes without trapping, while every transpose rule, applied to its
// op emitted directly on placeholders, is the adjoint of that op (or, for a product of two
// linear values, refuses with E_NOT_TRANSPOSABLE). Adding an op to ops.ts without its rules (or
// without an example in helpers/examples.ts when it needs params) fails here. Last, the
// MISSING_* sentinels these checks rely on behave as documented.
import { op_count, op_name, op_arity, op_info } from '../assembly/index'; // also registers the rules
import {
  NUM_OPS, PLACEHOLDER, COPY, NEG, ADD, SUB, MUL, DIV, SELECT, CONVERT, SUM, BROADCAST_IN_DIM, RESHAPE,
  TRANSPOSE, DOT_GENERAL, PROJ, CONCATENATE, SPLIT, INPUT, TRIANGULAR_SOLVE, LU_SOLVE, STOP_GRADIENT, GATHER, SCATTER_ADD,
  REAL, IMAG, COMPLEX, CONJ, CUMSUM, CUSTOM_LINEAR, SCAN, WHILE, COND, CHECKPOINT, PSUM, SIGN, FLOOR, CEIL, ROUND, TRUNC,
} from '../assembly/ad/ops';
import {
  defineOp, defJvp, defTranspose, shapeRule, jvpRule, transposeRule, opAliases, MISSING_SHAPE, MISSING_JVP,
  MISSING_TRANSPOSE, opInfo, opName, opArity, HAS_SHAPE_RULE, HAS_KERNEL, HAS_JVP, NONDIFF, HAS_TRANSPOSE, HAS_BATCH,
  NEVER_LINEAR, VARIADIC, hasKernel, opKernelKey, KEY_OPERAND, opKernelDtypes,
} from '../assembly/ad/registry';
import { tryJvp, tryTranspose, trapMessage, lastTrapCode, codeName } from './helpers/guard';
import {
  tapeLen, rowOp, rowDtype, rowA, pushRow, paramReserve, operandReserve, paramAt, operandAt, setEager,
} from '../assembly/ad/tape';
import { isFloat, F32, F64, BOOL, C64, C128, NUM_DTYPES } from '../assembly/dtype';
import { getError, E_NO_RULE, E_NOT_TRANSPOSABLE } from '../assembly/errors';
import { Case, TRACED, MASK, prepare, tryBuild, build, constRows, evalAt, applyBoost } from './helpers/harness';
import { exampleFor, hostRuled } from './helpers/examples';
import {
  resetTape, tryEmit, copyOf, constRow, placeholderRow, readRow, ctRow, readCt, shapeOf, sameShape, shapeStr,
  isLinearRow, hasValueRow, dot, norm, axpy,
} from './helpers/rows';
import { direction } from './helpers/rng';

/** The ops that may appear in a linear program (PLACEHOLDER as its sink). */
const EXPECTED_LINEAR: StaticArray<i32> = [
  PLACEHOLDER, COPY, NEG, ADD, SUB, MUL, DIV, SELECT, CONVERT, SUM, BROADCAST_IN_DIM, RESHAPE, TRANSPOSE, DOT_GENERAL,
  PROJ, CONCATENATE, SPLIT, GATHER, SCATTER_ADD, TRIANGULAR_SOLVE, LU_SOLVE, REAL, IMAG, COMPLEX, CONJ, CUMSUM, CUSTOM_LINEAR, SCAN, WHILE, COND, CHECKPOINT, PSUM,
];
/** Float-valued ops whose zero derivative is their meaning (JAX's stop_gradient, and its defjvp_zero ops: sign, floor, ...). */
const ZERO_BY_DESIGN: StaticArray<i32> = [STOP_GRADIENT, SIGN, FLOOR, CEIL, ROUND, TRUNC];
/** Linear ops that no JVP rule emits: they are linear only when emitted on a linear value (custom_linear: the host's customVjp rule
 *  emits it; a linear scan, while or cond: the host's JVP rules, under linearize). */
const DIRECT_ONLY: StaticArray<i32> = [COPY, CUSTOM_LINEAR, SCAN, WHILE, COND, CHECKPOINT];

function listed(list: StaticArray<i32>, op: i32): bool {
  for (let i = 0; i < list.length; i++) if (list[i] == op) return true;
  return false;
}
function nm(op: i32): string { return opName(op).length > 0 ? opName(op) : 'op #' + op.toString(); }

// ---------------------------------------------------------------- static table checks

describe('op table', () => {
  it('the ABI op table agrees with the registry', () => {
    expect(NUM_OPS).toBeGreaterThan(0);
    expect(op_count()).toBe(NUM_OPS, 'op_count');
    for (let op = 0; op < NUM_OPS; op++) {
      expect(op_name(op)).toBe(opName(op), 'op_name ' + op.toString());
      expect(op_arity(op)).toBe(opArity(op), 'op_arity ' + op.toString());
      expect(op_info(op)).toBe(opInfo(op), 'op_info ' + op.toString());
    }
  });

  it('every op has a unique name and an arity of 0..3 or VARIADIC', () => {
    let e = '';
    for (let op = 0; op < NUM_OPS; op++) {
      if (opName(op).length == 0) { e += 'op #' + op.toString() + ' has no name (not registered?); '; continue; }
      for (let q = 0; q < op; q++) if (opName(q) == opName(op)) e += nm(op) + ' shares its name with op #' + q.toString() + '; ';
      const n = opArity(op);
      if ((n < 0 || n > 3) && n != VARIADIC) e += nm(op) + ' has arity ' + n.toString() + '; ';
    }
    expect(e).toBe('', e);
  });

  it('every op has a shape rule and a kernel', () => {
    let e = '';
    for (let op = 0; op < NUM_OPS; op++) {
      const f = opInfo(op);
      if ((f & HAS_SHAPE_RULE) == 0) e += nm(op) + ': no shape rule; ';
      if ((f & HAS_KERNEL) == 0) e += nm(op) + ': no kernel; ';
    }
    expect(e).toBe('', e);
  });

  it('every op has a JVP rule or is declared NONDIFF (exactly one)', () => {
    let e = '';
    for (let op = 0; op < NUM_OPS; op++) {
      const f = opInfo(op);
      const j = (f & HAS_JVP) != 0, z = (f & NONDIFF) != 0;
      if (!j && !z) e += nm(op) + ': no JVP rule and not NONDIFF; ';
      if (j && z) e += nm(op) + ': both a JVP rule and NONDIFF; ';
    }
    expect(e).toBe('', e);
  });

  it('every op has a batching rule (vmap)', () => {
    let e = '';
    for (let op = 0; op < NUM_OPS; op++) if ((opInfo(op) & HAS_BATCH) == 0) e += nm(op) + ': no batching rule; ';
    expect(e).toBe('', e);
  });

  it('every op has a transpose rule or is declared NEVER_LINEAR (exactly one)', () => {
    let e = '';
    for (let op = 0; op < NUM_OPS; op++) {
      const f = opInfo(op);
      const t = (f & HAS_TRANSPOSE) != 0, n = (f & NEVER_LINEAR) != 0;
      if (!t && !n) e += nm(op) + ': no transpose rule and not NEVER_LINEAR; ';
      if (t && n) e += nm(op) + ': both a transpose rule and NEVER_LINEAR; ';
    }
    expect(e).toBe('', e);
  });

  it('the transposable ops are exactly the linear ones', () => {
    let e = '';
    for (let op = 0; op < NUM_OPS; op++) {
      const t = (opInfo(op) & HAS_TRANSPOSE) != 0;
      if (listed(EXPECTED_LINEAR, op) && !t) e += nm(op) + ' can appear in a linear program but has no transpose rule; ';
      if (!listed(EXPECTED_LINEAR, op) && t) e += nm(op) + ' has a transpose rule but is not in EXPECTED_LINEAR (update the list); ';
    }
    for (let i = 0; i < EXPECTED_LINEAR.length; i++) {
      if (EXPECTED_LINEAR[i] >= NUM_OPS) e += 'EXPECTED_LINEAR names op #' + EXPECTED_LINEAR[i].toString() + ' >= NUM_OPS; ';
    }
    expect(e).toBe('', e);
  });
});

// ---------------------------------------------------------------- dynamic checks

describe('kernels per dtype', () => {
  // Dispatch is exhaustive: for every op and every dtype, if the shape rule accepts the op's
  // example with its operands in that dtype, a kernel is registered for the dtype that selects
  // it (and emission then succeeds); if no kernel is, emission refuses with E_DTYPE.
  it('a dtype the shape rule accepts has a kernel, and a dtype without one is E_DTYPE', () => {
    let e = '', accepted = 0;
    for (let op = 0; op < NUM_OPS; op++) {
      if ((opInfo(op) & HAS_SHAPE_RULE) == 0 || op == PROJ || opArity(op) == 0 || hostRuled(op)) continue;
      const c = exampleFor(op);
      for (let d = 0; d < NUM_DTYPES; d++) {
        resetTape();
        const operands = new StaticArray<i32>(c.args.length);
        for (let k = 0; k < c.args.length; k++) {
          const a = c.args[k];
          const p = new StaticArray<i32>(a.shape.length + 1);
          p[0] = a.kind == MASK ? BOOL : d;
          for (let i = 0; i < a.shape.length; i++) p[i + 1] = a.shape[i];
          operands[k] = tryEmit(INPUT, -1, -1, -1, p);
        }
        const st = c.steps[0];
        const ops = new StaticArray<i32>(st.operands.length);
        for (let i = 0; i < st.operands.length; i++) ops[i] = operands[st.operands[i]];
        // The shape rule alone, on a pushed row (emit would also check the kernel table).
        const r = pushRowFor(op, ops, st.params);
        const code = shapeRule(op)(r);
        if (code != 0) continue;
        accepted++;
        const key = opKernelKey(op) == KEY_OPERAND ? rowDtype(ops[0]) : rowDtype(r);
        if (!hasKernel(op, key)) e += nm(op) + ': its shape rule accepts dtype ' + d.toString() + ' but no kernel is registered; ';
      }
    }
    resetTape();
    expect(accepted).toBeGreaterThan(NUM_OPS);
    expect(e).toBe('', e);
  });
});

/** Push a row for op with these operands and params, without running any rule. */
function pushRowFor(op: i32, operands: StaticArray<i32>, params: StaticArray<i32>): i32 {
  const po = paramReserve(params.length), oo = operandReserve(operands.length);
  for (let i = 0; i < params.length; i++) store<i32>(paramAt(po) + (<usize>i << 2), params[i]);
  for (let i = 0; i < operands.length; i++) store<i32>(operandAt(oo) + (<usize>i << 2), operands[i]);
  return pushRow(op, operands.length, oo, params.length, po);
}

describe('examples', () => {
  it('every op has an example that emits, with a value unless it is a placeholder', () => {
    let e = '';
    for (let op = 0; op < NUM_OPS; op++) {
      if ((opInfo(op) & HAS_SHAPE_RULE) == 0) { e += nm(op) + ': no shape rule, nothing can be emitted; '; continue; }
      if (op == PROJ || hostRuled(op)) continue; // made by its tuple row (SPLIT's example covers it); rules on the host
      const c = exampleFor(op);
      resetTape();
      const y = tryBuild(c, constRows(c, prepareValues(c)));
      if (y < 0) {
        e += nm(op) + ': the example (' + c.name + ') fails to emit with error ' + (-y).toString() +
          ' (add one to wasm-tests/helpers/examples.ts); ';
        continue;
      }
      const made = rowOp(y) == PROJ ? rowOp(rowA(y)) : rowOp(y); // a tuple row's example stands for an output
      if (made != op) e += nm(op) + ': the example emits ' + nm(made) + '; ';
      if (op == PLACEHOLDER) { if (!isLinearRow(y) || hasValueRow(y)) e += 'a placeholder must be LINEAR without value; '; }
      else if (!hasValueRow(y)) e += nm(op) + ': eager emission left no value; ';
    }
    resetTape();
    expect(e).toBe('', e);
  });
});

/** Values for a case's inputs without running it (prepare() runs it, which must not abort here). */
function prepareValues(c: Case): StaticArray<f64>[] {
  const xs = new Array<StaticArray<f64>>(c.args.length);
  for (let k = 0; k < c.args.length; k++) {
    let n = 1;
    for (let i = 0; i < c.args[k].shape.length; i++) n *= c.args[k].shape[i];
    if (c.args[k].dtype == C64 || c.args[k].dtype == C128) n *= 2; // interleaved re, im
    const a = new StaticArray<f64>(n);
    for (let i = 0; i < n; i++) a[i] = c.args[k].kind == TRACED ? 0.5 + 0.25 * <f64>(i % 5) : <f64>(i & 1);
    applyBoost(c.args[k], a);
    xs[k] = a;
  }
  return xs;
}

/**
 * Linearize op's example (JVP with PLACEHOLDER seeds on COPYs of its traced inputs), check what
 * was staged, and transpose it. Marks the ops of the staged LINEAR rows in `seen`.
 */
function linearizeAndTranspose(op: i32, seen: StaticArray<bool>): string {
  const f = opInfo(op);
  const c = exampleFor(op);
  const nT = c.nTraced();
  if (nT == 0) return (f & NONDIFF) != 0 ? '' : nm(op) + ': example has no traced input; '; // integer-only ops
  resetTape();
  const xr = constRows(c, prepareValues(c));
  const start = tapeLen();
  const rows = new StaticArray<i32>(c.args.length);
  const cx = new StaticArray<i32>(nT);
  let j = 0;
  for (let k = 0; k < c.args.length; k++) {
    rows[k] = c.args[k].kind == TRACED ? copyOf(xr[k]) : xr[k];
    if (c.args[k].kind == TRACED) cx[j++] = rows[k];
  }
  const y = tryBuild(c, rows);
  if (y < 0) return nm(op) + ': example fails to emit; ';
  const end = tapeLen();
  const ph = new StaticArray<i32>(nT);
  const staged = tapeLen(); // the placeholders, then what the JVP rules stage
  j = 0;
  for (let k = 0; k < c.args.length; k++) {
    if (c.args[k].kind == TRACED) ph[j++] = placeholderRow(c.args[k].dtype, c.args[k].shape);
  }
  const outs: StaticArray<i32> = [y];
  const lin: StaticArray<i32> = [-2];
  if (!tryJvp(start, end, nT, cx, ph, 1, outs, lin)) return nm(op) + ': linearizing ' + trapMessage('jvpRange');
  let e = '';
  if ((f & NONDIFF) != 0) {
    if (lin[0] != -1) e += nm(op) + ' is NONDIFF but its linearization is row ' + lin[0].toString() + '; ';
    if (isFloat(rowDtype(y)) && !listed(ZERO_BY_DESIGN, op)) e += nm(op) + ' is NONDIFF but has a float output: its gradient would silently be zero; ';
    return e;
  }
  if (lin[0] < 0) return nm(op) + ': linearization is a symbolic zero; ';
  if (!isLinearRow(lin[0]) || hasValueRow(lin[0])) e += nm(op) + ': linearized output is not a staged LINEAR row; ';
  if (!sameShape(shapeOf(lin[0]), shapeOf(y)) || rowDtype(lin[0]) != rowDtype(y)) e += nm(op) + ': linearized output shape/dtype differs; ';
  for (let r = staged; r < tapeLen(); r++) {
    const q = rowOp(r);
    if (isLinearRow(r)) {
      seen[q] = true;
      if ((opInfo(q) & HAS_TRANSPOSE) == 0) {
        e += 'the JVP rule of ' + nm(op) + ' stages a linear ' + nm(q) + ' row, which has no transpose rule; ';
      }
    } else if (!hasValueRow(r)) {
      e += 'the JVP rule of ' + nm(op) + ' emits a non-linear ' + nm(q) + ' row without a value; ';
    }
  }
  if (e.length > 0) return e; // transposing now would trap with E_NOT_TRANSPOSABLE
  const ct: StaticArray<i32> = [ctRow(rowDtype(y), shapeOf(y), direction(readRow(y).length))];
  const g = new StaticArray<i32>(nT);
  if (!tryTranspose(1, lin, ct, nT, ph, g)) return nm(op) + ': transposing its linearization ' + trapMessage('transposeRange');
  j = 0;
  for (let k = 0; k < c.args.length; k++) {
    const a = c.args[k];
    if (a.kind != TRACED) continue;
    const gk = g[j++];
    const w = nm(op) + ': cotangent of input ' + k.toString();
    if (gk < 0) { e += w + ' is a symbolic zero; '; continue; }
    if (!sameShape(shapeOf(gk), a.shape)) e += w + ' has shape ' + shapeStr(shapeOf(gk)) + ', not ' + shapeStr(a.shape) + '; ';
    if (rowDtype(gk) != a.dtype) e += w + ' has dtype ' + rowDtype(gk).toString() + '; ';
    if (isLinearRow(gk) || !hasValueRow(gk)) e += w + ' is not a computed (non-linear, valued) row; ';
  }
  return e;
}

describe('linearize then transpose', () => {
  it('every op with operands: differentiable ones stage only transposable rows and transpose without trapping', () => {
    const seen = new StaticArray<bool>(NUM_OPS);
    let e = '', n = 0;
    for (let op = 0; op < NUM_OPS; op++) {
      if (opArity(op) == 0 || op == PROJ || hostRuled(op)) continue; // leaves: no operand to carry a tangent; PROJ: via SPLIT
      // integer/bool-only ops (bitwise, shifts) take no float operand, so nothing to linearize;
      // they must then be declared NONDIFF
      if ((opKernelDtypes(op) & ((1 << F32) | (1 << F64) | (1 << C64) | (1 << C128))) == 0) {
        if ((opInfo(op) & NONDIFF) == 0) e += nm(op) + ': no float kernel but not NONDIFF; ';
        continue;
      }
      e += linearizeAndTranspose(op, seen);
      n++;
    }
    resetTape();
    expect(n).toBeGreaterThan(0);
    expect(e).toBe('', e);
  });

  it('every transposable op is staged by some JVP rule (or is listed as DIRECT_ONLY)', () => {
    const seen = new StaticArray<bool>(NUM_OPS);
    for (let op = 0; op < NUM_OPS; op++) if (opArity(op) != 0 && op != PROJ && !hostRuled(op)) linearizeAndTranspose(op, seen);
    resetTape();
    let e = '';
    for (let op = 0; op < NUM_OPS; op++) {
      const t = (opInfo(op) & HAS_TRANSPOSE) != 0;
      if (seen[op] && !t) e += nm(op) + ' is staged as linear but has no transpose rule; ';
      if (t && !seen[op] && !listed(DIRECT_ONLY, op)) e += nm(op) + ' has a transpose rule but no JVP rule stages it; ';
      if (seen[op] && listed(DIRECT_ONLY, op)) e += nm(op) + ' is staged by a JVP rule: drop it from DIRECT_ONLY; ';
    }
    expect(e).toBe('', e);
  });
});

/**
 * op emitted directly on placeholders (for its first traced operand only, or for all of them),
 * the other operands constant. The staged row must be LINEAR; transposing it must either give
 * valued cotangents that make the transpose the adjoint of v -> f(v) - f(0), or (`all` only:
 * the op may be non-linear jointly, like a product) trap with E_NOT_TRANSPOSABLE. A staged,
 * valueless "cotangent" is never acceptable.
 */
function adjointCheck(op: i32, index: i32, all: bool): string {
  const c = exampleFor(op);
  const sel = new StaticArray<bool>(c.args.length);
  let n = 0;
  for (let i = 0; i < c.args.length; i++) {
    if (c.args[i].kind == TRACED && (all || n == 0)) { sel[i] = true; n++; }
  }
  if (n == 0) return nm(op) + ': example has no traced input; ';
  const what = nm(op) + (all ? ' on placeholders for all ' + n.toString() + ' traced operands' : ' on a placeholder');
  prepare(c, <u32>(7000 + index));
  const vs = new Array<StaticArray<f64>>(c.args.length);
  const xs = new Array<StaticArray<f64>>(c.args.length);
  for (let i = 0; i < c.args.length; i++) {
    const v = direction(c.x[i].length);
    if (c.args[i].dtype == F32) for (let j = 0; j < v.length; j++) v[j] = <f64><f32>v[j];
    vs[i] = v;
    xs[i] = sel[i] ? v : c.x[i];
  }
  const fv = evalAt(c, xs);
  for (let i = 0; i < c.args.length; i++) if (sel[i]) xs[i] = new StaticArray<f64>(vs[i].length);
  const f0 = evalAt(c, xs);
  const Lv = axpy(fv, -1, f0);

  resetTape();
  const rows = constRows(c, c.x);
  const ins = new StaticArray<i32>(n);
  let j = 0;
  for (let i = 0; i < c.args.length; i++) {
    if (!sel[i]) continue;
    rows[i] = placeholderRow(c.args[i].dtype, c.args[i].shape);
    ins[j++] = rows[i];
  }
  const y = build(c, rows);
  if (!isLinearRow(y) || hasValueRow(y)) return what + ' is not a staged LINEAR row; ';
  const outs: StaticArray<i32> = [y];
  const ct: StaticArray<i32> = [ctRow(c.outDtype, c.outShape, c.ct)];
  const g = new StaticArray<i32>(n);
  if (!tryTranspose(1, outs, ct, n, ins, g)) {
    if (all && lastTrapCode() == E_NOT_TRANSPOSABLE) return '';
    return what + ': ' + trapMessage('transposeRange');
  }
  let e = '', lhs = 0.0, sc = 0.0;
  j = 0;
  for (let i = 0; i < c.args.length; i++) {
    if (!sel[i]) continue;
    const gi = g[j++];
    const w = what + ': cotangent of operand ' + i.toString();
    if (gi < 0) { e += w + ' is a symbolic zero; '; continue; }
    if (!sameShape(shapeOf(gi), c.args[i].shape) || rowDtype(gi) != c.args[i].dtype) e += w + ' differs in shape/dtype; ';
    if (isLinearRow(gi) || !hasValueRow(gi)) {
      e += w + ' is a staged ' + nm(rowOp(gi)) + ' row without value (a non-linear op should fail with E_NOT_TRANSPOSABLE); ';
    }
    if (e.length > 0) continue;
    const gv = readCt(gi);
    lhs += dot(gv, vs[i]);
    sc += norm(gv) * norm(vs[i]);
  }
  if (e.length > 0) return e;
  const rhs = dot(c.ct, Lv);
  const tol = c.isLoose() ? 1e-6 : 1e-12;
  const err = Math.abs(lhs - rhs);
  if (!(err <= tol * max(sc, norm(c.ct) * norm(Lv)))) {
    e += what + ': <transpose(ct), v> = ' + lhs.toString() + ' but <ct, op(v) - op(0)> = ' + rhs.toString() + '; ';
  }
  return e;
}

describe('transpose rules', () => {
  it('every transposable op, emitted on a placeholder, transposes to its adjoint', () => {
    let e = '', n = 0;
    for (let op = 0; op < NUM_OPS; op++) {
      if ((opInfo(op) & HAS_TRANSPOSE) == 0 || op == PLACEHOLDER || op == PROJ || hostRuled(op)) continue;
      e += adjointCheck(op, op, false);
      n++;
    }
    resetTape();
    expect(n).toBeGreaterThanOrEqual(EXPECTED_LINEAR.length - 7, 'transposable ops checked'); // (placeholder, proj, custom_linear, and the control-flow rows)
    expect(e).toBe('', e);
  });

  // MUL and DIV reject a product of two linear values (E_NOT_TRANSPOSABLE); the same must hold
  // for every op, or transposeRange hands back a staged row with no value as a cotangent.
  it('every transposable op with all operands linear: the adjoint, or E_NOT_TRANSPOSABLE', () => {
    let e = '';
    for (let op = 0; op < NUM_OPS; op++) {
      if ((opInfo(op) & HAS_TRANSPOSE) == 0 || op == PLACEHOLDER || op == PROJ || hostRuled(op)) continue;
      e += adjointCheck(op, op, true);
    }
    resetTape();
    expect(e).toBe('', e);
  });
});

// ---------------------------------------------------------------- the sentinels these checks rely on

/** Re-register NEG with one rule replaced by its MISSING_* sentinel, run `body`, restore NEG. */
let saved = 0;
function breakNeg(which: i32): void {
  saved = opInfo(NEG);
  if (which == 0) defineOp(NEG, opName(NEG), opArity(NEG), MISSING_SHAPE, opAliases(NEG));
  if (which == 1) defJvp(NEG, MISSING_JVP);
  if (which == 2) defTranspose(NEG, MISSING_TRANSPOSE);
}
// The original rules, captured before any test changes them.
const negShape = shapeRule(NEG), negJvp = jvpRule(NEG), negTranspose = transposeRule(NEG);
function restoreNeg(): void {
  defineOp(NEG, opName(NEG), opArity(NEG), negShape, opAliases(NEG));
  defJvp(NEG, negJvp);
  defTranspose(NEG, negTranspose);
}

/** x = CONST [2] at row 0, y = neg(COPY(x)); linearize with a placeholder and transpose. */
class NegRun { jvpOk: bool = false; jvpCode: i32 = 0; trOk: bool = false; trCode: i32 = 0; }
function linearizeNeg(): NegRun {
  const out = new NegRun();
  resetTape();
  const x = constRow(F64, [2], [1, 2]);
  const start = tapeLen();
  const cx = copyOf(x);
  const y = tryEmit(NEG, cx, -1, -1, []);
  const end = tapeLen();
  const ph: StaticArray<i32> = [placeholderRow(F64, [2])];
  const ins: StaticArray<i32> = [cx];
  const outs: StaticArray<i32> = [y];
  const lin: StaticArray<i32> = [-2];
  out.jvpOk = tryJvp(start, end, 1, ins, ph, 1, outs, lin);
  out.jvpCode = lastTrapCode();
  if (!out.jvpOk) return out;
  const ct: StaticArray<i32> = [constRow(F64, [2], [1, 1])];
  const g: StaticArray<i32> = [-2];
  out.trOk = tryTranspose(1, lin, ct, 1, ph, g);
  out.trCode = lastTrapCode();
  return out;
}

describe('missing-rule sentinels', () => {
  it('a missing JVP rule is flagged by opInfo and traps jvpRange with E_NO_RULE', () => {
    breakNeg(1);
    const info = opInfo(NEG);
    const run = linearizeNeg();
    restoreNeg();
    resetTape();
    expect(opInfo(NEG)).toBe(saved, 'NEG restored');
    expect(info & (HAS_JVP | NONDIFF)).toBe(0, 'opInfo with MISSING_JVP');
    expect(run.jvpOk).toBe(false, 'jvpRange completed without a JVP rule');
    expect(codeName(run.jvpCode)).toBe(codeName(E_NO_RULE));
  });

  it('a missing transpose rule is flagged by opInfo and traps transposeRange with E_NOT_TRANSPOSABLE', () => {
    breakNeg(2);
    const info = opInfo(NEG);
    const run = linearizeNeg();
    restoreNeg();
    resetTape();
    expect(opInfo(NEG)).toBe(saved, 'NEG restored');
    expect(info & (HAS_TRANSPOSE | NEVER_LINEAR)).toBe(0, 'opInfo with MISSING_TRANSPOSE');
    expect(run.jvpOk).toBe(true, 'linearizing neg');
    expect(run.trOk).toBe(false, 'transposeRange completed without a transpose rule');
    expect(codeName(run.trCode)).toBe(codeName(E_NOT_TRANSPOSABLE));
  });

  // BUG (assembly/ad/registry.ts MISSING_SHAPE returns -1): emit() treats a shape rule's return
  // value as an error code and returns -code, so a missing shape rule makes emit() return +1 (it
  // looks like row id 1) after popping the row, and records last_error = -1, which is no code.
  it('emit of an op whose shape rule is missing returns a negative error code, not a row id', () => {
    breakNeg(0);
    const info = opInfo(NEG);
    resetTape();
    const x = constRow(F64, [2], [1, 2]);
    constRow(F64, [2], [3, 4]);
    const r = tryEmit(NEG, x, -1, -1, []);
    const code = getError();
    const len = tapeLen();
    restoreNeg();
    resetTape();
    expect(opInfo(NEG)).toBe(saved, 'NEG restored');
    expect(info & HAS_SHAPE_RULE).toBe(0, 'opInfo with MISSING_SHAPE');
    expect(len).toBe(2, 'the failed row was not appended');
    expect(r).toBeLessThan(0, 'emit returned ' + r.toString() + ' with last_error ' + code.toString());
    expect(code).toBeGreaterThan(0, 'last_error is a defined error code');
  });
});
