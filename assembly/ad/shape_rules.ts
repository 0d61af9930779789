// Helpers the primitives' shape rules share: a shape from params, and the elementwise checks.
import {
  rowA, rowB, rowDtype, rowParam, setDtype, setShape, shareShape, shapeReserve, shapeAt, sameDims,
} from './tape';
import { E_OK, E_SHAPE, E_DTYPE, E_OOM } from '../errors';
import { isFloat, BOOL, C64, C128 } from '../dtype';

/** Shape from params [from, from + ndim). */
export function shapeFromParams(r: i32, from: i32, ndim: i32): i32 {
  if (ndim < 0) return E_SHAPE;
  const off = shapeReserve(ndim);
  if (off < 0) return E_OOM;
  for (let i = 0; i < ndim; i++) {
    const d = rowParam(r, from + i);
    if (d < 0) return E_SHAPE;
    store<i32>(shapeAt(off) + (<usize>i << 2), d);
  }
  setShape(r, ndim, off);
  return E_OK;
}

/** Elementwise float op of one operand: same dtype and shape. */
export function unaryFloatShape(r: i32): i32 {
  const a = rowA(r);
  if (!isFloat(rowDtype(a))) return E_DTYPE;
  setDtype(r, rowDtype(a));
  shareShape(r, a);
  return E_OK;
}

/** Elementwise op of two operands of one dtype and shape (broadcasting is explicit). */
export function binarySameShape(r: i32, outDtype: i32): i32 {
  const a = rowA(r), b = rowB(r);
  if (rowDtype(a) != rowDtype(b)) return E_DTYPE;
  if (!sameDims(a, b)) return E_SHAPE;
  setDtype(r, outDtype < 0 ? rowDtype(a) : outDtype);
  shareShape(r, a);
  return E_OK;
}

/** float32, float64, complex64, complex128: what the transcendental functions take. */
export function isInexact(dtype: i32): bool { return isFloat(dtype) || dtype == C64 || dtype == C128; }

/** Elementwise op of one float or complex operand: same dtype and shape. */
export function unaryInexactShape(r: i32): i32 {
  const a = rowA(r);
  if (!isInexact(rowDtype(a))) return E_DTYPE;
  setDtype(r, rowDtype(a));
  shareShape(r, a);
  return E_OK;
}
export function binaryInexactShape(r: i32): i32 {
  if (!isInexact(rowDtype(rowA(r)))) return E_DTYPE;
  return binarySameShape(r, -1);
}
/** Arithmetic (add, sub, mul, div, neg): the numeric dtypes and complex. */
export function binaryArithShape(r: i32): i32 {
  const d = rowDtype(rowA(r));
  if (!isNumeric(d) && d != C64 && d != C128) return E_DTYPE;
  return binarySameShape(r, -1);
}
export function unaryArithShape(r: i32): i32 {
  const a = rowA(r), d = rowDtype(a);
  if (!isNumeric(d) && d != C64 && d != C128) return E_DTYPE;
  setDtype(r, d);
  shareShape(r, a);
  return E_OK;
}

export function binaryFloatShape(r: i32): i32 {
  if (!isFloat(rowDtype(rowA(r)))) return E_DTYPE;
  return binarySameShape(r, -1);
}

/** int32, uint32, float32, float64: what arithmetic takes (bool and complex are refused). */
export function isNumeric(dtype: i32): bool { return dtype != BOOL && dtype != C64 && dtype != C128; }

export function binaryNumericShape(r: i32): i32 {
  if (!isNumeric(rowDtype(rowA(r)))) return E_DTYPE;
  return binarySameShape(r, -1);
}

/** Elementwise op of one non-bool, non-complex operand: same dtype and shape. */
export function unaryNumericShape(r: i32): i32 {
  const a = rowA(r);
  if (!isNumeric(rowDtype(a))) return E_DTYPE;
  setDtype(r, rowDtype(a));
  shareShape(r, a);
  return E_OK;
}

/** Elementwise op of one operand of any real dtype (bool included). */
export function unaryAnyShape(r: i32): i32 {
  const a = rowA(r), d = rowDtype(a);
  if (d == C64 || d == C128) return E_DTYPE;
  setDtype(r, d);
  shareShape(r, a);
  return E_OK;
}

/** Elementwise predicate of a float operand: bool out. */
export function unaryPredicateShape(r: i32): i32 {
  const a = rowA(r);
  if (!isFloat(rowDtype(a))) return E_DTYPE;
  setDtype(r, BOOL);
  shareShape(r, a);
  return E_OK;
}
