// One table entry per primitive, registered by its family's rules file, the way JAX's lax.py
// registers a primitive's shape rule, JVP rule and transpose rule side by side.
import { NUM_OPS } from './ops';
import { E_NO_RULE } from '../errors';

/** Fills the row's dtype and shape from its operands and params; returns an error code. */
export type ShapeRule = (r: i32) => i32;
/** Runs the row's kernel; its output buffer is already allocated (unless the op aliases). */
export type Kernel = (r: i32) => void;
/** Emits the tangent of row r from its operands' tangents (tangents.ts); returns the tangent row or -1 (zero). */
export type JvpRule = (r: i32) => i32;
/** Given the cotangent row `ct` of linear row r, accumulates cotangents onto r's linear operands (cotangents.ts). */
export type TransposeRule = (r: i32, ct: i32) => void;

// Sentinels: a missing rule is a defect the ops-complete test catches; the others are declarations.
export function MISSING_SHAPE(r: i32): i32 { return E_NO_RULE; }
export function MISSING_KERNEL(r: i32): void {}
export function MISSING_JVP(r: i32): i32 { return -2; }
export function MISSING_TRANSPOSE(r: i32, ct: i32): void {}
/** Leaves: the value comes from the host (CONST) or never exists (PLACEHOLDER). */
export function LEAF_KERNEL(r: i32): void {}
/** The output does not depend differentiably on the inputs (comparisons, leaves). */
export function ZERO_JVP(r: i32): i32 { return -1; }
/** The op never appears in a linear program, so it needs no transpose rule. */
export function NOT_LINEAR(r: i32, ct: i32): void {}

const names = new StaticArray<string>(NUM_OPS);
const arity = new StaticArray<i32>(NUM_OPS);
const aliases = new StaticArray<bool>(NUM_OPS);
const shapeRules = new StaticArray<ShapeRule>(NUM_OPS);
const kernels = new StaticArray<Kernel>(NUM_OPS);
const jvpRules = new StaticArray<JvpRule>(NUM_OPS);
const transposeRules = new StaticArray<TransposeRule>(NUM_OPS);

for (let i = 0; i < NUM_OPS; i++) {
  names[i] = '';
  shapeRules[i] = MISSING_SHAPE;
  kernels[i] = MISSING_KERNEL;
  jvpRules[i] = MISSING_JVP;
  transposeRules[i] = MISSING_TRANSPOSE;
}

/**
 * Register a primitive. `alias`: the kernel sets the row's data pointer to an operand's
 * (reshape, copy) instead of writing a fresh buffer.
 */
export function defineOp(op: i32, name: string, nargs: i32, shape: ShapeRule, kernel: Kernel,
  jvp: JvpRule, transpose: TransposeRule, alias: bool = false): void {
  names[op] = name;
  arity[op] = nargs;
  aliases[op] = alias;
  shapeRules[op] = shape;
  kernels[op] = kernel;
  jvpRules[op] = jvp;
  transposeRules[op] = transpose;
}

export function opName(op: i32): string { return names[op]; }
export function opArity(op: i32): i32 { return arity[op]; }
export function opAliases(op: i32): bool { return aliases[op]; }
export function shapeRule(op: i32): ShapeRule { return shapeRules[op]; }
export function kernel(op: i32): Kernel { return kernels[op]; }
export function jvpRule(op: i32): JvpRule { return jvpRules[op]; }
export function transposeRule(op: i32): TransposeRule { return transposeRules[op]; }

/** Bit flags describing op `op`'s registration, for the ops-complete test. */
export const HAS_SHAPE_RULE = 1, HAS_KERNEL = 2, HAS_JVP = 4, NONDIFF = 8, HAS_TRANSPOSE = 16, NEVER_LINEAR = 32;
export function opInfo(op: i32): i32 {
  let f = 0;
  if (shapeRules[op].index != MISSING_SHAPE.index) f |= HAS_SHAPE_RULE;
  if (kernels[op].index != MISSING_KERNEL.index) f |= HAS_KERNEL;
  const j = jvpRules[op].index;
  if (j == ZERO_JVP.index) f |= NONDIFF; else if (j != MISSING_JVP.index) f |= HAS_JVP;
  const t = transposeRules[op].index;
  if (t == NOT_LINEAR.index) f |= NEVER_LINEAR; else if (t != MISSING_TRANSPOSE.index) f |= HAS_TRANSPOSE;
  return f;
}
