// Emission: the AssemblyScript counterpart of JAX's `bind`. Appending a row runs its shape rule
// (which checks dtypes and shapes and, for a tuple row, appends one PROJ row per output); on an
// eager tape, a row whose operands all have values is then handed to the executor at once
// (define-by-run). Rows that depend on a linearization placeholder are LINEAR: staged, never run,
// only transposed or replayed.
import {
  pushRow, truncate, paramReserve, paramAt, operandReserve, operandAt, rowFlags, rowSize, rowDtype, rowOp,
  setFlags, setDtype, setShape, setNout, rowNout, outputOf, tapeValid, isTuple, isEager, rowOperand, HAS_VALUE, LINEAR,
  VIEW,
} from './tape';
import { opArity, shapeRule, hasKernel, opKernelKey, KEY_OPERAND, VARIADIC } from './registry';
import { execute } from './execute';
import { batching } from './maps';
import { batchEmitted } from './vmap';
import { MAX_LIST } from './limits';
import { NUM_OPS, PLACEHOLDER, PROJ, CONST } from './ops';
import { MAX_REQUEST } from '../arena';
import { itemsize } from '../dtype';
import { E_OK, E_BAD_OP, E_BAD_ROW, E_OOM, E_DTYPE, E_ESCAPED, setError, fail } from '../errors';

/**
 * Append row op(operands; params): `nops` row ids at `opsPtr`, `nparams` i32s at `paramsPtr`
 * (both copied, so the caller may reuse them at once). Returns the row id, or -code on a
 * validation error (nothing is appended then, and the error is also recorded for the host).
 */
export function emitN(op: i32, opsPtr: usize, nops: i32, nparams: i32, paramsPtr: usize): i32 {
  if (op < 0 || op >= NUM_OPS || op == PROJ) { setError(E_BAD_OP); return -E_BAD_OP; }
  const n = opArity(op);
  if (n == VARIADIC ? nops < 1 : nops != n) { setError(E_BAD_ROW); return -E_BAD_ROW; }
  for (let i = 0; i < nops; i++) {
    const x = load<i32>(opsPtr + (<usize>i << 2));
    // Tuple rows are reached through their PROJ rows only.
    if (!tapeValid(x) || isTuple(x)) { setError(E_BAD_ROW); return -E_BAD_ROW; }
  }
  let poff = 0, ooff = 0;
  if (nparams > 0) {
    poff = paramReserve(nparams);
    if (poff < 0) { setError(E_OOM); return -E_OOM; }
    memory.copy(paramAt(poff), paramsPtr, <usize>nparams << 2);
  }
  if (nops > 0) {
    ooff = operandReserve(nops);
    if (ooff < 0) { setError(E_OOM); return -E_OOM; }
    memory.copy(operandAt(ooff), opsPtr, <usize>nops << 2);
  }
  const r = pushRow(op, nops, ooff, nparams, poff);
  if (r < 0) { setError(E_OOM); return -E_OOM; }
  let code = shapeRule(op)(r);
  if (code == E_OK) code = checkRow(r);
  if (code != E_OK) { truncate(r); setError(code); return -code; }

  let linear = op == PLACEHOLDER;
  let ready = isEager() && op != PLACEHOLDER, view = false;
  for (let i = 0; i < nops; i++) {
    const f = rowFlags(rowOperand(r, i));
    if ((f & LINEAR) != 0) linear = true;
    if ((f & HAS_VALUE) == 0) ready = false;
    if ((f & VIEW) != 0) view = true;
  }
  if (view) { // vmap (vmap.ts): r becomes a view, and a batching rule emits the whole batch
    code = batching() ? batchEmitted(r, linear) : E_ESCAPED;
    if (code != E_OK) { truncate(r); setError(code); return -code; }
    return r;
  }
  if (linear) {
    const k = rowNout(r);
    for (let i = 0; i <= (isTuple(r) ? k : 0); i++) setFlags(r + i, LINEAR);
    return r;
  }
  // A baked constant always has its buffer: the host writes it right after emission.
  if (!ready && op != CONST) return r;
  code = execute(r);
  if (code != E_OK) { truncate(r); setError(code); return -code; }
  return r;
}

/** Every output fits one arena request (1 GiB) and the op has a kernel for its dtype. */
function checkRow(r: i32): i32 {
  const k = isTuple(r) ? rowNout(r) : 1;
  for (let i = 0; i < k; i++) {
    const o = outputOf(r, i);
    if (<u64>rowSize(o) * <u64>itemsize(rowDtype(o)) > <u64>MAX_REQUEST) return E_OOM;
  }
  const op = rowOp(r);
  const key = opKernelKey(op) == KEY_OPERAND ? rowDtype(rowOperand(r, 0)) : rowDtype(r);
  return hasKernel(op, key) ? E_OK : E_DTYPE;
}

/**
 * For a tuple row's shape rule: append its next output (a PROJ row of `dtype` with the shape at
 * pool offset `shapeOff`). Outputs must be added in order, right after the row itself.
 */
export function addOutput(r: i32, dtype: i32, ndim: i32, shapeOff: i32): i32 {
  const i = isTuple(r) ? rowNout(r) : 0; // outputs so far
  const ooff = operandReserve(1), poff = paramReserve(1);
  if (ooff < 0 || poff < 0) return E_OOM;
  store<i32>(operandAt(ooff), r);
  store<i32>(paramAt(poff), i);
  const p = pushRow(PROJ, 1, ooff, 1, poff);
  if (p < 0) return E_OOM;
  if (p != r + 1 + i) return E_BAD_ROW; // outputs must directly follow their row
  setDtype(p, dtype);
  setShape(p, ndim, shapeOff);
  setNout(r, i + 1);
  if (i == 0) setDtype(r, dtype);
  return E_OK;
}

export { MAX_LIST }; // (lives in limits.ts, which builder.ts reads before this module is initialized)

// Emission from inside rules, where a failure cannot be handed back: record and trap.
// The host turns the trap into a CotangentError and unwinds the transforms (transforms.ts).

/**
 * Scratch for rule operands and params (copied by emit, so reusable right after). Each grows,
 * keeping what it holds, when a rule or a pass lists more than it has room for: a custom row over
 * 4100 leaves, or a concatenate of 5000 pieces, has more operands than MAX_LIST, and the passes
 * that copy a program row by row (inline, optimize, fuse, unfuse) wrote past the end into the
 * next heap block (a later, unrelated call failed with 'out of memory').
 */
let P: usize = heap.alloc(<usize>MAX_LIST << 2);
let pCap: i32 = MAX_LIST;
let O: usize = heap.alloc(<usize>MAX_LIST << 2);
let oCap: i32 = MAX_LIST;
/** A block of at least `need` i32s holding the `cap` at `p` (freed), and its capacity. */
function regrow(p: usize, cap: i32, need: i32): usize {
  const q = heap.alloc(<usize>max(need, cap << 1) << 2);
  memory.copy(q, p, <usize>cap << 2);
  heap.free(p);
  return q;
}
export function setParam(i: i32, v: i32): void {
  if (i >= pCap) { P = regrow(P, pCap, i + 1); pCap = max(i + 1, pCap << 1); }
  store<i32>(P + (<usize>i << 2), v);
}
export function paramScratch(): usize { return P; }
export function operandScratch(): usize { return O; }
export function setOperand(i: i32, v: i32): void {
  if (i >= oCap) operandRoom(i + 1);
  store<i32>(O + (<usize>i << 2), v);
}
/** Room for n operands in the operand scratch (what it holds is kept). */
export function operandRoom(n: i32): void {
  if (n <= oCap) return;
  O = regrow(O, oCap, n);
  oCap = max(n, oCap << 1);
}

export function emitList(op: i32, nops: i32, nparams: i32): i32 {
  const r = emitN(op, O, nops, nparams, P);
  if (r < 0) fail(-r);
  return r;
}

/** op(a, b, c) (-1 for absent operands) with params from setParam, trapping on failure. */
export function emitP(op: i32, a: i32, b: i32, c: i32, nparams: i32): i32 {
  const r = emit(op, a, b, c, nparams, P);
  if (r < 0) fail(-r);
  return r;
}
export function e1(op: i32, a: i32): i32 { return emitP(op, a, -1, -1, 0); }
export function e2(op: i32, a: i32, b: i32): i32 { return emitP(op, a, b, -1, 0); }
export function e3(op: i32, a: i32, b: i32, c: i32): i32 { return emitP(op, a, b, c, 0); }

/** The old three-operand form (wasm-tests and the rules' helpers): -1 marks an absent operand. */
export function emit(op: i32, a: i32, b: i32, c: i32, nparams: i32, paramsPtr: usize): i32 {
  setOperand(0, a); setOperand(1, b); setOperand(2, c);
  const n = c != -1 ? 3 : b != -1 ? 2 : a != -1 ? 1 : 0; // an absent operand before a present one is invalid
  return emitN(op, O, n, nparams, paramsPtr);
}
