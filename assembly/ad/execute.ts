// The executor: gives a row its output buffers and runs its kernel, chosen by (op, dtype). It is
// separate from emission: an eager tape calls it as each row is emitted; an abstract tape (jit,
// sub-tapes) only appends, and `runRange` executes its rows later, again and again.
import {
  rowOp, rowDtype, rowNout, rowBytes, rowFlags, rowNops, rowOperand, isTuple, setFlags, setPtr, arenaAlloc,
  HAS_VALUE, LINEAR, HOST_BUFFER, OWNED_BLOCK,
} from './tape';
import { kernel, opAliases, opKernelKey, KEY_OPERAND } from './registry';
import { INPUT, PROJ, PLACEHOLDER, CONST } from './ops';
import { E_OK, E_OOM, E_BAD_ROW } from '../errors';
import { heapSize } from '../arena';

let kernelCalls: i32 = 0;
/** Kernels run so far (tests show abstract tracing runs none). */
export function kernelCount(): i32 { return kernelCalls; }

// The host's block the next CONST row takes as its buffer instead of an arena allocation.
let lent: usize = 0;
/** The next CONST row emitted borrows block `p` (0: none). */
export function lendToNextConst(p: usize): void { lent = p; }

// Single-output rows of at least this many bytes get a heap block the host will adopt as a
// resident Array's data instead of arena memory (0: off). The host turns it on around the one
// row of a top-level eager op, so the result is never copied.
let hostOutputMin: usize = 0;
export function setHostOutputs(minBytes: usize): void { hostOutputMin = minBytes; }

// A block the host donated (ad/donate.ts) that row `lentRow`, if it gets a heap block, takes instead.
let lentOutput: usize = 0, lentRow: i32 = -1;
export function lendOutput(p: usize, r: i32): void { lentOutput = p; lentRow = r; }

// While on, a baked constant's buffer is its own for good: `inline` never releases it, and it never
// takes one another row released (a loop re-runs the rows it emitted but not the constants' copies:
// rules/control.ts).
let keepConsts = false;
export function keepConstBuffers(on: bool): void { keepConsts = on; }
export function constBuffersKept(): bool { return keepConsts; }

/** A call into wasm begins: modes a trapped call left set (a trap unwinds no wasm code) are off. */
export function clearExecuteModes(): void { lent = 0; hostOutputMin = 0; lentOutput = 0; lentRow = -1; keepConsts = false; }

/** Whether any mode is on (a kernel that runs a sub-tape, rules/control.ts, must not hand them to its rows). */
export function executeModesSet(): bool { return lent != 0 || hostOutputMin != 0 || lentOutput != 0; }

// A kernel that can fail (one running a sub-tape: it allocates) records its error code here; execute
// returns it. Other kernels cannot fail: their shape rules checked everything first.
let kernelError: i32 = E_OK;
export function kernelFail(code: i32): void { kernelError = code; }

/** Allocate row r's output buffers and run its kernel. Returns an error code. */
export function execute(r: i32): i32 {
  const op = rowOp(r);
  if (op == CONST && lent != 0) {
    setPtr(r, lent);
    lent = 0;
    setFlags(r, HAS_VALUE | HOST_BUFFER);
    return E_OK;
  }
  let host = false, owned = false;
  const k = isTuple(r) ? rowNout(r) : 0;
  if (k > 0) {
    for (let i = 1; i <= k; i++) {
      const p = arenaAlloc(rowBytes(r + i));
      if (p == 0) return E_OOM;
      setPtr(r + i, p);
    }
  } else if (!opAliases(op)) {
    const bytes = rowBytes(r);
    host = hostOutputMin != 0 && bytes >= hostOutputMin && op != CONST;
    owned = host && !(lentOutput != 0 && r == lentRow);
    // (a loop's baked constant is written once, at emission: a buffer an earlier row released and
    // writes again at every step would lose it; flip's index or a closed-over Array read that row's values)
    const p = host ? (owned ? heap.alloc(heapSize(bytes)) : lentOutput) : arenaAlloc(bytes, keepConsts && op == CONST);
    if (p == 0) return E_OOM;
    setPtr(r, p);
  }
  // (marked before the kernel runs: if it traps, release_results finds the block by this flag)
  if (owned) setFlags(r, HOST_BUFFER | OWNED_BLOCK);
  const key = opKernelKey(op) == KEY_OPERAND ? rowDtype(rowOperand(r, 0)) : rowDtype(r);
  kernel(op, key)(r);
  kernelCalls++;
  if (kernelError != E_OK) { const code = kernelError; kernelError = E_OK; return code; }
  for (let i = 0; i <= k; i++) setFlags(r + i, HAS_VALUE);
  if (host) setFlags(r, HAS_VALUE | HOST_BUFFER | (owned ? OWNED_BLOCK : 0));
  return E_OK;
}

/**
 * Run row r's kernel again on the buffers `execute` gave it, its operands holding new values (a
 * loop's fixed plan, rules/control.ts). Returns an error code.
 */
export function rerun(r: i32): i32 {
  const op = rowOp(r);
  const key = opKernelKey(op) == KEY_OPERAND ? rowDtype(rowOperand(r, 0)) : rowDtype(r);
  kernel(op, key)(r);
  kernelCalls++;
  if (kernelError != E_OK) { const code = kernelError; kernelError = E_OK; return code; }
  return E_OK;
}

/**
 * Run every row of [start, end) that has no value yet and is not staged (LINEAR). Program inputs
 * must have been bound (given buffers and data) by the host. Returns an error code.
 */
export function runRange(start: i32, end: i32): i32 {
  for (let r = start; r < end; r++) {
    const f = rowFlags(r);
    if ((f & (HAS_VALUE | LINEAR)) != 0) continue;
    const op = rowOp(r);
    if (op == PROJ || op == PLACEHOLDER) continue; // run with their tuple row; never run
    if (op == INPUT) return E_BAD_ROW; // an unbound input
    for (let i = 0; i < rowNops(r); i++) if ((rowFlags(rowOperand(r, i)) & HAS_VALUE) == 0) return E_BAD_ROW;
    const code = execute(r);
    if (code != E_OK) return code;
  }
  return E_OK;
}

/** Give a leaf (INPUT or CONST) its buffer so the host can write its value; returns its address or 0. */
export function bindLeaf(r: i32): usize {
  if ((rowFlags(r) & HAS_VALUE) != 0) return 0;
  const p = arenaAlloc(rowBytes(r));
  if (p == 0) return 0;
  setPtr(r, p);
  setFlags(r, HAS_VALUE);
  return p;
}
