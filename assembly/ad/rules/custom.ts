// Custom derivative rules (JAX's custom_jvp / custom_vjp): the rule is a host function, so these
// rows call back into the host while a transform walks them (the transforms are reentrant: the
// host emits the rule's rows into the running trace, and they are ordinary rows the enclosing
// transforms differentiate again).
//
// custom_call (tuple): operands [k inputs, m outputs of f, a customVjp's residuals, c values f
//   closes over], params [record, k, levels, m, c]. Its value is f's outputs (copied). f's own
//   rows stay on the tape for that value, but forward mode reaches the row only through its k
//   inputs and its c closed-over values (jvp.ts), so f's rows are never differentiated: the
//   host's rule gives the outputs' tangents, and refuses a tangent on a closed-over value, as
//   JAX does. `record` names the call on the host side; `levels` counts the vmaps that batched
//   the row, each with every operand's batch axis at 0.
// custom_linear (tuple): a custom_vjp call linearized: operands [k input tangents (at least one
//   LINEAR), q residuals], params [record, k, levels, then per output: dtype, ndim, dims...].
//   Always staged (never run); its transpose rule is the host's bwd.
import { CUSTOM_CALL, CUSTOM_LINEAR } from '../ops';
import {
  defineOp, defKernel, defJvp, defTranspose, neverLinear, nondiff, defBatch, VARIADIC,
} from '../registry';
import {
  rowNops, rowOperand, rowParam, rowNparams, rowDtype, rowNdim, rowShapeOff, rowPtr, rowBytes, rowNout,
  shapeReserve, shapeAt,
} from '../tape';
import { addOutput, emitN } from '../emit';
import { batchedAs, setBatched, batchSize } from '../batching';
import { NUM_DTYPES } from '../../dtype';
import { E_OK, E_PARAMS, E_OOM, E_NOT_TRANSPOSABLE, E_NOT_IMPLEMENTED, fail } from '../../errors';

/** The host's side of a custom rule: kind 0, the JVP of custom_call row r; kind 1, the transpose of custom_linear row r. */
@external("env", "custom_rule")
export declare function hostCustomRule(kind: i32, r: i32): void;

export const RULE_JVP = 0, RULE_TRANSPOSE = 1;

/** Whether forward mode reaches custom_call row r through its operand i (an input or a closed-over value). */
export function customReaches(r: i32, i: i32): bool { return i < rowParam(r, 1) || i >= rowNops(r) - rowParam(r, 4); }

function callShape(r: i32): i32 {
  if (rowNparams(r) != 5) return E_PARAMS;
  const k = rowParam(r, 1), m = rowParam(r, 3), c = rowParam(r, 4);
  if (k < 0 || m < 1 || c < 0 || k + m + c > rowNops(r) || rowParam(r, 2) < 0) return E_PARAMS;
  for (let j = 0; j < m; j++) {
    const o = rowOperand(r, k + j);
    const code = addOutput(r, rowDtype(o), rowNdim(o), rowShapeOff(o));
    if (code != E_OK) return code;
  }
  return E_OK;
}
function callKernel(r: i32): void {
  const k = rowParam(r, 1);
  for (let j = 0; j < rowNout(r); j++) memory.copy(rowPtr(r + 1 + j), rowPtr(rowOperand(r, k + j)), rowBytes(r + 1 + j));
}
function callJvp(r: i32): i32 {
  hostCustomRule(RULE_JVP, r);
  return -1; // the host set each output's tangent
}
// vmap: every operand batched along axis 0; the host maps the rule over that axis (levels + 1).
// The operand list may be longer than the rule scratch (MAX_LIST): a call on 5000 leaves, or
// closing over them, so it is built in a block of its own.
function callBatch(r: i32): void {
  const n = rowNops(r);
  const ops = listBlock(n);
  for (let i = 0; i < n; i++) store<i32>(ops + (<usize>i << 2), batchedAs(rowOperand(r, i), 0));
  const ps = listBlock(5);
  store<i32>(ps, rowParam(r, 0)); store<i32>(ps + 4, rowParam(r, 1)); store<i32>(ps + 8, rowParam(r, 2) + 1);
  store<i32>(ps + 12, rowParam(r, 3)); store<i32>(ps + 16, rowParam(r, 4));
  const y = emitN(CUSTOM_CALL, ops, n, 5, ps);
  heap.free(ops); heap.free(ps);
  if (y < 0) fail(-y);
  for (let j = 0; j < rowNout(r); j++) setBatched(r + 1 + j, y + 1 + j, 0);
}
function put(p: usize, q: i32, v: i32): void { store<i32>(p + (<usize>q << 2), v); }
/** A block of n i32s (freed by the caller; emitN copies what it reads, so right after it). */
function listBlock(n: i32): usize {
  const p = heap.alloc(<usize>max(n, 1) << 2);
  if (p == 0) fail(E_OOM);
  return p;
}

function linearShape(r: i32): i32 {
  const np = rowNparams(r);
  if (np < 3) return E_PARAMS;
  const k = rowParam(r, 1);
  if (k < 1 || k > rowNops(r)) return E_PARAMS;
  let p = 3;
  while (p < np) {
    if (p + 2 > np) return E_PARAMS;
    const dtype = rowParam(r, p), nd = rowParam(r, p + 1);
    if (dtype < 0 || dtype >= NUM_DTYPES || nd < 0 || p + 2 + nd > np) return E_PARAMS;
    const off = shapeReserve(nd);
    if (off < 0) return E_OOM;
    for (let i = 0; i < nd; i++) {
      const d = rowParam(r, p + 2 + i);
      if (d < 0) return E_PARAMS;
      store<i32>(shapeAt(off) + (<usize>i << 2), d);
    }
    const code = addOutput(r, dtype, nd, off);
    if (code != E_OK) return code;
    p += 2 + nd;
  }
  return rowNout(r) >= 1 && p == np ? E_OK : E_PARAMS;
}
// Never run: it is emitted only on a linear tangent, so it is staged (emit.ts).
function linearKernel(r: i32): void { fail(E_NOT_IMPLEMENTED); } // (evaluating it: linearize's jvpFn of a customVjp function)
function linearTranspose(r: i32, ct: i32): void { hostCustomRule(RULE_TRANSPOSE, r); }
// vmap (a customJvp rule run under vmap emitting a staged solve, lax.customLinearSolve's): as
// custom_call's, every operand batched along axis 0, each output's shape gains the batch axis, and
// the host maps the transpose over it (levels + 1).
function linearBatch(r: i32): void {
  const n = rowNops(r), np = rowNparams(r), m = rowNout(r);
  const bs = batchSize();
  const ops = listBlock(n);
  for (let i = 0; i < n; i++) store<i32>(ops + (<usize>i << 2), batchedAs(rowOperand(r, i), 0));
  const ps = listBlock(np + m); // (each output's shape gains one dim)
  put(ps, 0, rowParam(r, 0)); put(ps, 1, rowParam(r, 1)); put(ps, 2, rowParam(r, 2) + 1);
  let p = 3, q = 3;
  while (p < np) {
    const nd = rowParam(r, p + 1);
    put(ps, q, rowParam(r, p)); put(ps, q + 1, nd + 1); put(ps, q + 2, bs);
    for (let i = 0; i < nd; i++) put(ps, q + 3 + i, rowParam(r, p + 2 + i));
    p += 2 + nd; q += 3 + nd;
  }
  const y = emitN(CUSTOM_LINEAR, ops, n, q, ps);
  heap.free(ops); heap.free(ps);
  if (y < 0) fail(-y);
  for (let j = 0; j < m; j++) setBatched(r + 1 + j, y + 1 + j, 0);
}

export function registerCustom(): void {
  defineOp(CUSTOM_CALL, 'custom_call', VARIADIC, callShape);
  defineOp(CUSTOM_LINEAR, 'custom_linear', VARIADIC, linearShape);
  for (let d = 0; d < NUM_DTYPES; d++) {
    defKernel(CUSTOM_CALL, d, callKernel);
    defKernel(CUSTOM_LINEAR, d, linearKernel);
  }
  defJvp(CUSTOM_CALL, callJvp);
  neverLinear(CUSTOM_CALL);
  defBatch(CUSTOM_CALL, callBatch);
  nondiff(CUSTOM_LINEAR); // always staged: forward mode skips linear rows
  defTranspose(CUSTOM_LINEAR, linearTranspose);
  defBatch(CUSTOM_LINEAR, linearBatch);
}
