// The rule tables, one per transform, the way JAX keys `ad.primitive_jvps`,
// `ad.primitive_transposes` and `batching.primitive_batchers` by primitive. A primitive's family
// file (rules/<family>.ts) registers its entries side by side with one call per table:
//   defineOp(op, name, arity, shapeRule)   declaration + shape rule (dtype checks live here)
//   defKernel(op, dtype, kernel)           CPU kernel per dtype it takes (exhaustive: emit
//                                          refuses a dtype with no kernel, with E_DTYPE)
//   defJvp(op, rule) / nondiff(op)         forward-mode rule, or "no derivative"
//   defTranspose(op, rule) / neverLinear   transpose rule of a linear primitive
//   defBatch(op, rule)                     batching rule (vmap.ts, batching.ts)
// A new transform adds a table and its registrations here and in the family files, without
// touching the other tables.
import { NUM_OPS } from './ops';
import { NUM_DTYPES } from '../dtype';

/** Fills the row's dtype and shape from its operands and params; returns an error code. */
export type ShapeRule = (r: i32) => i32;
/** Runs the row's kernel; its output buffers are already allocated (unless the op aliases). */
export type Kernel = (r: i32) => void;
/** Emits the tangent of row r from its operands' tangents (tangents.ts); returns the tangent row
 *  or -1 (zero). A tuple row's rule sets its outputs' tangents itself and returns -1. */
export type JvpRule = (r: i32) => i32;
/** Given the cotangent row `ct` of linear row r (-1 for a tuple row, whose rule reads its outputs'
 *  cotangents), accumulates cotangents onto r's linear operands (cotangents.ts). */
export type TransposeRule = (r: i32, ct: i32) => void;
/** Batching rule (vmap): emits the batched computation of view row r and records each output's
 *  implementation and batch axis (batching.ts's setBatched). */
export type BatchRule = (r: i32) => void;

// Sentinels: a missing rule is a defect the ops-complete test catches; the others are declarations.
export function MISSING_SHAPE(r: i32): i32 { return 5; /* E_NO_RULE */ }
export function MISSING_KERNEL(r: i32): void {}
export function MISSING_JVP(r: i32): i32 { return -2; }
export function MISSING_TRANSPOSE(r: i32, ct: i32): void {}
export function MISSING_BATCH(r: i32): void {}
/** The output does not depend differentiably on the inputs (comparisons, leaves). */
export function ZERO_JVP(r: i32): i32 { return -1; }
/** The op never appears in a linear program, so it needs no transpose rule. */
export function NOT_LINEAR(r: i32, ct: i32): void {}

/** Which dtype selects a row's kernel: its own (the default) or its first operand's. */
export const KEY_OUT = 0, KEY_OPERAND = 1;

const names = new StaticArray<string>(NUM_OPS);
const arity = new StaticArray<i32>(NUM_OPS); // -1: variadic (at least one operand)
const aliases = new StaticArray<bool>(NUM_OPS);
const kernelKey = new StaticArray<i32>(NUM_OPS);
const shapeRules = new StaticArray<ShapeRule>(NUM_OPS);
const kernels = new StaticArray<Kernel>(NUM_OPS * NUM_DTYPES);
const jvpRules = new StaticArray<JvpRule>(NUM_OPS);
const transposeRules = new StaticArray<TransposeRule>(NUM_OPS);
const batchRules = new StaticArray<BatchRule>(NUM_OPS);

for (let i = 0; i < NUM_OPS; i++) {
  names[i] = '';
  shapeRules[i] = MISSING_SHAPE;
  jvpRules[i] = MISSING_JVP;
  transposeRules[i] = MISSING_TRANSPOSE;
  batchRules[i] = MISSING_BATCH;
}
for (let i = 0; i < NUM_OPS * NUM_DTYPES; i++) kernels[i] = MISSING_KERNEL;

export const VARIADIC: i32 = -1;

/**
 * Declare a primitive: its name, operand count (VARIADIC for a list) and shape rule.
 * `alias`: its value is an operand's buffer (reshape, copy), so the executor allocates none.
 */
export function defineOp(op: i32, name: string, nargs: i32, shape: ShapeRule, alias: bool = false, key: i32 = KEY_OUT): void {
  names[op] = name;
  arity[op] = nargs;
  aliases[op] = alias;
  kernelKey[op] = key;
  shapeRules[op] = shape;
}
export function defKernel(op: i32, dtype: i32, k: Kernel): void { kernels[op * NUM_DTYPES + dtype] = k; }
export function defJvp(op: i32, rule: JvpRule): void { jvpRules[op] = rule; }
export function nondiff(op: i32): void { jvpRules[op] = ZERO_JVP; }
export function defTranspose(op: i32, rule: TransposeRule): void { transposeRules[op] = rule; }
export function neverLinear(op: i32): void { transposeRules[op] = NOT_LINEAR; }
export function defBatch(op: i32, rule: BatchRule): void { batchRules[op] = rule; }

export function opName(op: i32): string { return names[op]; }
export function opArity(op: i32): i32 { return arity[op]; }
export function opAliases(op: i32): bool { return aliases[op]; }
export function opKernelKey(op: i32): i32 { return kernelKey[op]; }
export function shapeRule(op: i32): ShapeRule { return shapeRules[op]; }
export function kernel(op: i32, dtype: i32): Kernel { return kernels[op * NUM_DTYPES + dtype]; }
export function hasKernel(op: i32, dtype: i32): bool {
  return dtype >= 0 && dtype < NUM_DTYPES && kernels[op * NUM_DTYPES + dtype].index != MISSING_KERNEL.index;
}
export function jvpRule(op: i32): JvpRule { return jvpRules[op]; }
export function transposeRule(op: i32): TransposeRule { return transposeRules[op]; }
export function batchRule(op: i32): BatchRule { return batchRules[op]; }

/** Bit flags describing op `op`'s registration, for the ops-complete test. */
export const HAS_SHAPE_RULE = 1, HAS_KERNEL = 2, HAS_JVP = 4, NONDIFF = 8, HAS_TRANSPOSE = 16, NEVER_LINEAR = 32,
  HAS_BATCH = 64;
export function opInfo(op: i32): i32 {
  let f = 0;
  if (shapeRules[op].index != MISSING_SHAPE.index) f |= HAS_SHAPE_RULE;
  for (let d = 0; d < NUM_DTYPES; d++) if (hasKernel(op, d)) { f |= HAS_KERNEL; break; }
  const j = jvpRules[op].index;
  if (j == ZERO_JVP.index) f |= NONDIFF; else if (j != MISSING_JVP.index) f |= HAS_JVP;
  const t = transposeRules[op].index;
  if (t == NOT_LINEAR.index) f |= NEVER_LINEAR; else if (t != MISSING_TRANSPOSE.index) f |= HAS_TRANSPOSE;
  if (batchRules[op].index != MISSING_BATCH.index) f |= HAS_BATCH;
  return f;
}

/** Bit d set when op has a kernel for dtype d. */
export function opKernelDtypes(op: i32): i32 {
  let m = 0;
  for (let d = 0; d < NUM_DTYPES; d++) if (hasKernel(op, d)) m |= 1 << d;
  return m;
}
