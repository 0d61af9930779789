// Bitwise and/or/xor/not (bool, int32, uint32) and shifts (int32, uint32): no derivative
// (integer and bool values carry none), never linear. Shift counts at or past the bit width
// (negative ones read as unsigned) give XLA's results: 0, or the sign fill for shift_right_arithmetic.
import { defineOp, defKernel, nondiff, neverLinear , defBatch } from '../registry';
import { batchElementwise } from '../batching';
import { AND, OR, XOR, NOT, SHL, SHR_A, SHR_L } from '../ops';
import { rowA, rowB, rowOp, rowPtr, rowSize, rowDtype, setDtype, shareShape } from '../tape';
import { binarySameShape } from '../shape_rules';
import { E_OK, E_DTYPE } from '../../errors';
import { BOOL, I32, U32 } from '../../dtype';
import * as K from '../../kernels/integer';

const bitwiseDtype = (d: i32): bool => d == BOOL || d == I32 || d == U32;
const intDtype = (d: i32): bool => d == I32 || d == U32;

function logicShape(r: i32): i32 { return bitwiseDtype(rowDtype(rowA(r))) ? binarySameShape(r, -1) : E_DTYPE; }
function shiftShape(r: i32): i32 { return intDtype(rowDtype(rowA(r))) ? binarySameShape(r, -1) : E_DTYPE; }
function notShape(r: i32): i32 {
  if (!bitwiseDtype(rowDtype(rowA(r)))) return E_DTYPE;
  setDtype(r, rowDtype(rowA(r)));
  shareShape(r, rowA(r));
  return E_OK;
}

function logic32(r: i32): void {
  const a = rowPtr(rowA(r)), b = rowPtr(rowB(r)), out = rowPtr(r), n = rowSize(r);
  switch (rowOp(r)) {
    case AND: K.and_32(a, b, out, n); break;
    case OR: K.or_32(a, b, out, n); break;
    case XOR: K.xor_32(a, b, out, n); break;
    case SHL: K.shl_32(a, b, out, n); break;
    case SHR_A: K.shr_arith_32(a, b, out, n); break;
    case SHR_L: K.shr_logical_32(a, b, out, n); break;
  }
}
function logicBool(r: i32): void {
  const a = rowPtr(rowA(r)), b = rowPtr(rowB(r)), out = rowPtr(r), n = rowSize(r);
  switch (rowOp(r)) {
    case AND: K.and_bool(a, b, out, n); break;
    case OR: K.or_bool(a, b, out, n); break;
    case XOR: K.xor_bool(a, b, out, n); break;
  }
}
function not32(r: i32): void { K.not_32(rowPtr(rowA(r)), rowPtr(r), rowSize(r)); }
function notBool(r: i32): void { K.not_bool(rowPtr(rowA(r)), rowPtr(r), rowSize(r)); }

function declare(op: i32, name: string, nargs: i32, shape: (r: i32) => i32): void {
  defineOp(op, name, nargs, shape);
  nondiff(op);
  neverLinear(op);
  defBatch(op, batchElementwise);
}

export function registerBitwise(): void {
  declare(AND, 'and', 2, logicShape);
  declare(OR, 'or', 2, logicShape);
  declare(XOR, 'xor', 2, logicShape);
  for (let op = AND; op <= XOR; op++) { defKernel(op, BOOL, logicBool); defKernel(op, I32, logic32); defKernel(op, U32, logic32); }
  declare(NOT, 'not', 1, notShape);
  defKernel(NOT, BOOL, notBool); defKernel(NOT, I32, not32); defKernel(NOT, U32, not32);
  declare(SHL, 'shift_left', 2, shiftShape);
  declare(SHR_A, 'shift_right_arithmetic', 2, shiftShape);
  declare(SHR_L, 'shift_right_logical', 2, shiftShape);
  for (let op = SHL; op <= SHR_L; op++) { defKernel(op, I32, logic32); defKernel(op, U32, logic32); }
}
