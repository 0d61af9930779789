// The complex parts: real, imag, complex(re, im), conj. All linear; as in JAX, conjugation lives
// only in these rules (mul's and dot_general's transposes never conjugate):
//   real^T(ct) = complex(ct, 0), imag^T(ct) = complex(0, -ct),
//   complex^T(ct) = (real(ct), -imag(ct)), conj^T(ct) = conj(ct)   (JAX's lax.py deflinear2s)
import { defineOp, defKernel, defJvp, defTranspose, defBatch } from '../registry';
import { batchElementwise } from '../batching';
import { REAL, IMAG, COMPLEX, CONJ, NEG } from '../ops';
import { rowA, rowB, rowOp, rowDtype, rowPtr, rowSize, setDtype, shareShape, sameDims, isLinear } from '../tape';
import { e1, e2 } from '../emit';
import { fullOf } from '../builder';
import { tangentOf, accumulate } from '../maps';
import { E_OK, E_DTYPE, E_SHAPE } from '../../errors';
import { F32, F64, C64, C128 } from '../../dtype';
import * as K from '../../kernels/complex';

/** complex64 <-> float32, complex128 <-> float64. */
export function realOf(d: i32): i32 { return d == C64 ? F32 : d == C128 ? F64 : -1; }
export function complexOf(d: i32): i32 { return d == F32 ? C64 : d == F64 ? C128 : -1; }

function partShape(r: i32): i32 {
  const d = realOf(rowDtype(rowA(r)));
  if (d < 0) return E_DTYPE;
  setDtype(r, d);
  shareShape(r, rowA(r));
  return E_OK;
}
function complexShape(r: i32): i32 {
  const a = rowA(r), b = rowB(r), d = complexOf(rowDtype(a));
  if (d < 0 || rowDtype(b) != rowDtype(a)) return E_DTYPE;
  if (!sameDims(a, b)) return E_SHAPE;
  setDtype(r, d);
  shareShape(r, a);
  return E_OK;
}
function conjShape(r: i32): i32 {
  const d = rowDtype(rowA(r));
  if (d != C64 && d != C128) return E_DTYPE;
  setDtype(r, d);
  shareShape(r, rowA(r));
  return E_OK;
}

// Kernels are keyed by the output dtype; real/imag read the complex operand of matching width.
function partKernel(r: i32): void {
  const x = rowPtr(rowA(r)), out = rowPtr(r), n = rowSize(r), wide = rowDtype(r) == F64;
  if (rowOp(r) == REAL) { if (wide) K.real_c128(x, out, n); else K.real_c64(x, out, n); }
  else { if (wide) K.imag_c128(x, out, n); else K.imag_c64(x, out, n); }
}
function complexKernel(r: i32): void {
  const a = rowPtr(rowA(r)), b = rowPtr(rowB(r)), out = rowPtr(r), n = rowSize(r);
  if (rowDtype(r) == C128) K.complex_c128(a, b, out, n); else K.complex_c64(a, b, out, n);
}
function conjKernel(r: i32): void {
  const x = rowPtr(rowA(r)), out = rowPtr(r), n = rowSize(r);
  if (rowDtype(r) == C128) K.conj_c128(x, out, n); else K.conj_c64(x, out, n);
}

function linearJvp(r: i32): i32 { const t = tangentOf(rowA(r)); return t < 0 ? -1 : e1(rowOp(r), t); }
function complexJvp(r: i32): i32 {
  const a = rowA(r), b = rowB(r), ta = tangentOf(a), tb = tangentOf(b);
  if (ta < 0 && tb < 0) return -1;
  return e2(COMPLEX, ta >= 0 ? ta : fullOf(rowDtype(a), 0.0, a), tb >= 0 ? tb : fullOf(rowDtype(b), 0.0, b));
}

function realTranspose(r: i32, ct: i32): void { accumulate(rowA(r), e2(COMPLEX, ct, fullOf(rowDtype(ct), 0.0, ct))); }
function imagTranspose(r: i32, ct: i32): void { accumulate(rowA(r), e2(COMPLEX, fullOf(rowDtype(ct), 0.0, ct), e1(NEG, ct))); }
function complexTranspose(r: i32, ct: i32): void {
  if (isLinear(rowA(r))) accumulate(rowA(r), e1(REAL, ct));
  if (isLinear(rowB(r))) accumulate(rowB(r), e1(NEG, e1(IMAG, ct)));
}
function conjTranspose(r: i32, ct: i32): void { accumulate(rowA(r), e1(CONJ, ct)); }

export function registerComplex(): void {
  defineOp(REAL, 'real', 1, partShape);
  defineOp(IMAG, 'imag', 1, partShape);
  for (let op = REAL; op <= IMAG; op++) { defKernel(op, F32, partKernel); defKernel(op, F64, partKernel); defJvp(op, linearJvp); }
  defTranspose(REAL, realTranspose);
  defTranspose(IMAG, imagTranspose);
  defBatch(REAL, batchElementwise); defBatch(IMAG, batchElementwise);

  defineOp(COMPLEX, 'complex', 2, complexShape);
  defKernel(COMPLEX, C64, complexKernel); defKernel(COMPLEX, C128, complexKernel);
  defJvp(COMPLEX, complexJvp);
  defTranspose(COMPLEX, complexTranspose);
  defBatch(COMPLEX, batchElementwise);

  defineOp(CONJ, 'conj', 1, conjShape);
  defKernel(CONJ, C64, conjKernel); defKernel(CONJ, C128, conjKernel);
  defJvp(CONJ, linearJvp);
  defTranspose(CONJ, conjTranspose);
  defBatch(CONJ, batchElementwise);
}
