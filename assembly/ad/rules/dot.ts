// Batched matmul: [..., m, k] x [..., k, n] -> [..., m, n] (np.dot/np.matmul/einsum compose it).
// Bilinear: d(AB) = dA B + A dB; transposes: ct_A = ct B^T, ct_B = A^T ct.
import { defineOp, defKernel, defJvp, defTranspose } from '../registry';
import { DOT } from '../ops';
import { rowA, rowB, rowDtype, rowNdim, rowDim, rowPtr, isLinear, setDtype, setShape, shapeReserve, shapeAt } from '../tape';
import { e2 } from '../emit';
import { addT, transposeBy, setTmp } from '../builder';
import { tangentOf, accumulate } from '../maps';
import { E_OK, E_SHAPE, E_DTYPE, E_OOM, E_NOT_TRANSPOSABLE, fail } from '../../errors';
import { F32, F64, isFloat } from '../../dtype';
import { dot_f32, dot_f64 } from '../../kernels/dot';

function dotShape(r: i32): i32 {
  const a = rowA(r), b = rowB(r), nd = rowNdim(a);
  if (rowDtype(a) != rowDtype(b) || !isFloat(rowDtype(a))) return E_DTYPE;
  if (nd < 2 || rowNdim(b) != nd) return E_SHAPE;
  for (let i = 0; i < nd - 2; i++) if (rowDim(a, i) != rowDim(b, i)) return E_SHAPE;
  if (rowDim(a, nd - 1) != rowDim(b, nd - 2)) return E_SHAPE;
  const off = shapeReserve(nd);
  if (off < 0) return E_OOM;
  for (let i = 0; i < nd - 1; i++) store<i32>(shapeAt(off) + (<usize>i << 2), rowDim(a, i));
  store<i32>(shapeAt(off) + (<usize>(nd - 1) << 2), rowDim(b, nd - 1));
  setDtype(r, rowDtype(a));
  setShape(r, nd, off);
  return E_OK;
}

type DotKernel = (a: usize, b: usize, out: usize, batch: i32, m: i32, k: i32, n: i32) => void;
function runDot(r: i32, kernel: DotKernel): void {
  const a = rowA(r), b = rowB(r), nd = rowNdim(a);
  let batch = 1;
  for (let i = 0; i < nd - 2; i++) batch *= rowDim(a, i);
  kernel(rowPtr(a), rowPtr(b), rowPtr(r), batch, rowDim(a, nd - 2), rowDim(a, nd - 1), rowDim(b, nd - 1));
}
function dotF32(r: i32): void { runDot(r, dot_f32); }
function dotF64(r: i32): void { runDot(r, dot_f64); }

function dotJvp(r: i32): i32 {
  const a = rowA(r), b = rowB(r), ta = tangentOf(a), tb = tangentOf(b);
  return addT(ta >= 0 ? e2(DOT, ta, b) : -1, tb >= 0 ? e2(DOT, a, tb) : -1);
}

/** x with its last two axes swapped. */
function swapLast(x: i32): i32 {
  const nd = rowNdim(x);
  for (let i = 0; i < nd - 2; i++) setTmp(i, i);
  setTmp(nd - 2, nd - 1);
  setTmp(nd - 1, nd - 2);
  return transposeBy(x, nd);
}

function dotTranspose(r: i32, ct: i32): void {
  const a = rowA(r), b = rowB(r);
  if (isLinear(a) && isLinear(b)) fail(E_NOT_TRANSPOSABLE); // bilinear in two linear values
  if (isLinear(a)) accumulate(a, e2(DOT, ct, swapLast(b)));
  if (isLinear(b)) accumulate(b, e2(DOT, swapLast(a), ct));
}

export function registerDot(): void {
  defineOp(DOT, 'dot', 2, dotShape);
  defKernel(DOT, F32, dotF32);
  defKernel(DOT, F64, dotF64);
  defJvp(DOT, dotJvp);
  defTranspose(DOT, dotTranspose);
}
