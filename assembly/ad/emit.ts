// emit: the AssemblyScript counterpart of JAX's `bind`. Appends a row, runs its shape rule,
// and, in eager mode when every operand has a value, allocates its buffer and runs its kernel
// at once (define-by-run). Rows that depend on a linearization placeholder are LINEAR: they are
// staged, never run, and only transposed or replayed.
import {
  pushRow, popRow, paramReserve, paramAt, rowFlags, rowBytes, setFlags, setPtr, tapeValid,
  HAS_VALUE, LINEAR, rowOperand, rowSize, rowDtype,
} from './tape';
import { opArity, opAliases, shapeRule, kernel } from './registry';
import { NUM_OPS, PLACEHOLDER, CONST } from './ops';
import { arenaAlloc, MAX_REQUEST } from '../arena';
import { itemsize } from '../dtype';
import { E_OK, E_BAD_OP, E_BAD_ROW, E_OOM, setError, fail } from '../errors';

/** Define-by-run: kernels run as rows are emitted. Abstract tracing (jit, ROADMAP 3) turns it off. */
let eager: bool = true;
export function setEager(on: bool): void { eager = on; }

/**
 * Append row op(a, b, c; params). Returns the row id, or -code on a validation error
 * (nothing is appended then, and the error is also recorded for the host).
 */
export function emit(op: i32, a: i32, b: i32, c: i32, nparams: i32, paramsPtr: usize): i32 {
  if (op < 0 || op >= NUM_OPS) { setError(E_BAD_OP); return -E_BAD_OP; }
  const n = opArity(op);
  if (!operandOk(a, n > 0) || !operandOk(b, n > 1) || !operandOk(c, n > 2)) {
    setError(E_BAD_ROW); return -E_BAD_ROW;
  }
  let poff = 0;
  if (nparams > 0) {
    poff = paramReserve(nparams);
    if (poff < 0) { setError(E_OOM); return -E_OOM; }
    memory.copy(paramAt(poff), paramsPtr, <usize>nparams << 2);
  }
  const r = pushRow(op, a, b, c, nparams, poff);
  if (r < 0) { setError(E_OOM); return -E_OOM; }
  const code = shapeRule(op)(r);
  if (code != E_OK) { popRow(); setError(code); return -code; }
  // One array must fit one arena request (1 GiB): refuse before anything is allocated.
  if (<u64>rowSize(r) * <u64>itemsize(rowDtype(r)) > <u64>MAX_REQUEST) { popRow(); setError(E_OOM); return -E_OOM; }

  let linear = op == PLACEHOLDER;
  let ready = eager && op != PLACEHOLDER;
  for (let i = 0; i < n; i++) {
    const f = rowFlags(rowOperand(r, i));
    if ((f & LINEAR) != 0) linear = true;
    if ((f & HAS_VALUE) == 0) ready = false;
  }
  if (linear) { setFlags(r, LINEAR); return r; }
  if (!ready) return r;
  if (!opAliases(op)) {
    const p = arenaAlloc(rowBytes(r));
    if (p == 0) { popRow(); setError(E_OOM); return -E_OOM; }
    setPtr(r, p);
  }
  if (op != CONST) kernel(op)(r);
  setFlags(r, HAS_VALUE);
  return r;
}

function operandOk(x: i32, wanted: bool): bool {
  return wanted ? tapeValid(x) : x == -1;
}

// Emission from inside rules, where a failure cannot be handed back: record and trap.
// The host turns the trap into a CotangentError and resets the tape.

/** Scratch for rule params (copied by emit, so reusable right after). */
const P: usize = heap.alloc(256 << 2);
export function setParam(i: i32, v: i32): void { store<i32>(P + (<usize>i << 2), v); }
export function paramScratch(): usize { return P; }

export function emitP(op: i32, a: i32, b: i32, c: i32, nparams: i32): i32 {
  const r = emit(op, a, b, c, nparams, P);
  if (r < 0) fail(-r);
  return r;
}
export function e1(op: i32, a: i32): i32 { return emitP(op, a, -1, -1, 0); }
export function e2(op: i32, a: i32, b: i32): i32 { return emitP(op, a, b, -1, 0); }
export function e3(op: i32, a: i32, b: i32, c: i32): i32 { return emitP(op, a, b, c, 0); }

