// Donation (jit's donateArgnums, XLA's input-output aliasing): at a top-level replay the host
// may give up the heap blocks of some inputs (a resident Array it deletes after the call). An
// output that would get a fresh heap block takes a donated block of its size instead, when no
// row reads the donated input after it does:
// - the input's last reader ran before the output's row: the block is dead, any row may write it;
// - the output's row is the last reader: only a kernel that computes out[i] from its operands'
//   element i, reading it before writing out[i], may run in place (binary.ts, unary.ts and
//   integer.ts state "out may alias"; the SGD step's `w - lr * g` is such a row, fused or not).
// Views of the input (reshape, copy) extend its life to their readers' (freeze.ts's lastUses).
import {
  Tape, select, rowOp, rowOperand, rowNops, rowBytes, rowDtype, rowFlags, rowParamsPtr, sameDims, HOST_BUFFER,
} from './tape';
import { opAliases } from './registry';
import { INPUT, CONST, FUSED, ADD, SUB, MUL, DIV, NEG, BROADCAST_IN_DIM } from './ops';
import { F32, F64, I32, U32 } from '../dtype';

/** A donated input's flag: the host gave its block up; an output took it. */
export const DONATED: i32 = 1, TAKEN: i32 = 2;

@inline function ld(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }

/** Kernels of op for dtype dt that may write over an operand of their own shape (see above). */
function inPlaceOp(op: i32, dt: i32): bool {
  const real = dt == F32 || dt == F64;
  if (op == NEG) return real;
  return (op == ADD || op == SUB || op == MUL || op == DIV) && (real || dt == I32 || dt == U32);
}

/** Row r itself, or the row whose buffer r views (through reshape and copy rows). */
function viewed(r: i32): i32 {
  while (opAliases(rowOp(r)) && rowNops(r) > 0) r = rowOperand(r, 0);
  return r;
}

/** Row r (of the tape selected), the last reader of input x, may write its output over x's buffer. */
function inPlace(r: i32, x: i32): bool {
  if (!sameDims(r, x) || rowDtype(r) != rowDtype(x)) return false;
  const op = rowOp(r);
  for (let i = 0; i < rowNops(r); i++) {
    const o = rowOperand(r, i);
    if (o != x && viewed(o) == x) return false; // a view of x: read in another layout
  }
  if (op != FUSED) return inPlaceOp(op, rowDtype(r));
  // FUSED params: dtype, ndim, shape..., count, then per instruction op, nops, refs..., nparams,
  // params... (rules/fused.ts); a ref -j-1 is operand j. Instructions but the last write
  // registers; the last writes the output, block by block after the others read that block.
  const pp = rowParamsPtr(r);
  let q = 2 + ld(pp, 1);
  const count = ld(pp, q++);
  for (let i = 0; i < count; i++) {
    const iop = ld(pp, q++), n = ld(pp, q++);
    for (let k = 0; k < n; k++) {
      const ref = ld(pp, q++);
      if (ref >= 0 || rowOperand(r, -ref - 1) != x) continue;
      if (iop == BROADCAST_IN_DIM || (i == count - 1 && !inPlaceOp(iop, rowDtype(r)))) return false;
    }
    q += 1 + ld(pp, q);
  }
  return true;
}

/**
 * The donated input (index into t's inputs) whose block output row r of t may take as its
 * buffer, or -1. t is selected on entry and on return; `last` is lastUses' table, `binds` the
 * inputs' rows in `dst` (each must be a borrowed const: the host's block), `flags` one per input.
 */
export function donorFor(t: Tape, dst: Tape, r: i32, last: usize, binds: usize, flags: usize): i32 {
  const bytes = rowBytes(r);
  for (let k = 0; k < t.nIn; k++) {
    if (ld(flags, k) != DONATED) continue;
    const x = ld(t.ins, k), lx = ld(last, x);
    if (rowOp(x) != INPUT || rowBytes(x) != bytes || lx > r || (lx == r && !inPlace(r, x))) continue;
    select(dst);
    const b = ld(binds, k);
    const borrowed = rowOp(b) == CONST && (rowFlags(b) & HOST_BUFFER) != 0;
    select(t);
    if (borrowed) return k;
  }
  return -1;
}

/** Clear the flag of a donated input whose row is bound to another input too (its block is read there). */
export function dropShared(nIn: i32, binds: usize, flags: usize): void {
  for (let k = 0; k < nIn; k++) {
    if (ld(flags, k) != DONATED) continue;
    for (let j = 0; j < nIn; j++) {
      if (j != k && ld(binds, j) == ld(binds, k)) { store<i32>(flags + (<usize>k << 2), 0); break; }
    }
  }
}
