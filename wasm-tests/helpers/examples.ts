// One valid invocation per primitive, for the ops-complete test. Every float operand is TRACED.
// An op that is not listed here gets a generic example (its arity of float64 [2,3] operands, no
// params), which covers a new elementwise op; an op needing params or other dtypes must be added
// to this table, and the ops-complete test says so when it is missing.
import {
  CONST, PLACEHOLDER, FULL, COPY, NEG, EXP, LOG, SIN, COS, TANH, SQRT, ADD, SUB, MUL, DIV, POW,
  LT, LE, GT, GE, EQ, NE, SELECT, CONVERT, SUM, BROADCAST_IN_DIM, RESHAPE, TRANSPOSE, DOT_GENERAL, INPUT, CONCATENATE, SPLIT,
  REDUCE_MAX, REDUCE_MIN, ARGMAX, ARGMIN, GATHER, SCATTER_ADD, ARGSORT, SEARCHSORTED,
  THREEFRY2X32, RANDOM_FLOAT, CHOLESKY, TRIANGULAR_SOLVE, LU, LU_SOLVE, IOTA, QR, EIGH, SVD, DET,
  AND, OR, XOR, NOT, SHL, SHR_A, SHR_L, ASIN, ACOS, ATANH, ERF_INV, ACOSH, REM, POLYGAMMA, REAL, IMAG, CONJ, FUSED, CUMSUM, CUSTOM_CALL, CUSTOM_LINEAR, WHILE, SCAN, COND, CHECKPOINT, BITCAST_CONVERT_TYPE, EIG, PSUM,
} from '../../assembly/ad/ops';
import { opName, opArity } from '../../assembly/ad/registry';
import { F32, F64, I32, U32, C128 } from '../../assembly/dtype';
import { Arg, Case, TRACED, FIXED, MASK, INDEX } from './harness';

const MAT: StaticArray<i32> = [2, 3];
const NO: StaticArray<i32> = [];

function t(shape: StaticArray<i32>, lo: f64 = -1.0, hi: f64 = 1.0): Arg { return new Arg(TRACED, F64, shape, lo, hi); }

/** A closed-over int32 operand with values in [lo, hi). */
function ints(lo: f64, hi: f64): Arg { return new Arg(FIXED, I32, MAT, lo, hi); }

/** FULL's params for value 1.5, float64 [2,3]. */
function fullParams(): StaticArray<i32> {
  const bits = reinterpret<i64>(1.5);
  return [F64, <i32>bits, <i32>(bits >>> 32), 2, 3];
}

/**
 * A fused program on a, b [2,3] and a scalar s: tanh(a) * broadcast(s) + exp(b) * 1.5 (every kind
 * of instruction: unary, binary, splat, FULL; operand refs and instruction refs).
 */
function fusedParams(): StaticArray<i32> {
  const bits = reinterpret<i64>(1.5);
  return [F64, 2, 2, 3, 7,
    TANH, 1, -1, 0,
    BROADCAST_IN_DIM, 1, -3, 2, 2, 3,
    MUL, 2, 0, 1, 0,
    FULL, 0, 5, F64, <i32>bits, <i32>(bits >>> 32), 2, 3,
    EXP, 1, -2, 0,
    MUL, 2, 4, 3, 0,
    ADD, 2, 2, 5, 0];
}

/** The table entry for `op`, or null when the op has none. */
export function listedExample(op: i32): Case | null {
  const name = opName(op);
  switch (op) {
    case CONST: case PLACEHOLDER: case INPUT: return new Case(name, op, [F64, 2, 3], []);
    case FULL: return new Case(name, op, fullParams(), []);
    case IOTA: return new Case(name, op, [F64, 1, 2, 3], []);
    case COPY: case NEG: case EXP: case SIN: case COS: case TANH:
      return new Case(name, op, NO, [t(MAT)]);
    case LOG: case SQRT: return new Case(name, op, NO, [t(MAT, 0.5, 2)]);
    case ADD: case SUB: case MUL: return new Case(name, op, NO, [t(MAT), t(MAT)]);
    case DIV: return new Case(name, op, NO, [t(MAT), t(MAT, 0.5, 2)]);
    case POW: return new Case(name, op, NO, [t(MAT, 0.5, 2), t(MAT)]);
    case LT: case LE: case GT: case GE: case EQ: case NE: return new Case(name, op, NO, [t(MAT), t(MAT)]);
    case SELECT: return new Case(name, op, NO, [new Arg(MASK, F64, MAT), t(MAT), t(MAT)]);
    case CONVERT: return new Case(name, op, [F64], [new Arg(TRACED, F32, MAT)]); // a real conversion
    case SUM: return new Case(name, op, [1], [t([2, 3, 4])]);
    case CUMSUM: return new Case(name, op, [1, 0], [t([2, 3, 4])]); // along axis 1, from the start
    case PSUM: return new Case(name, op, [1, 3], [t([2, 3])]); // level 1 of 3 examples; no vmap open: 3 x
    case BROADCAST_IN_DIM: return new Case(name, op, [2, 4, 3, 0, 2], [t([2, 1])]);
    case RESHAPE: return new Case(name, op, [3, 2], [t(MAT)]);
    case TRANSPOSE: return new Case(name, op, [2, 0, 1], [t([2, 3, 4])]);
    case DOT_GENERAL: return new Case(name, op, [1, 1, 0, 0, 2, 1], [t([2, 2, 3]), t([2, 3, 4])]);
    case CONCATENATE: return new Case(name, op, [1], [t([2, 1]), t([2, 3]), t([2, 2])]);
    case AND: case OR: case XOR: case SHL: case SHR_A: case SHR_L:
      return new Case(name, op, NO, [ints(-100, 100), ints(0, 40)]); // counts past 32 included
    case NOT: return new Case(name, op, NO, [ints(-100, 100)]);
    case ASIN: case ACOS: case ATANH: case ERF_INV: return new Case(name, op, NO, [t(MAT, -0.9, 0.9)]);
    case ACOSH: return new Case(name, op, NO, [t(MAT, 1.2, 3)]);
    case REM: return new Case(name, op, NO, [t(MAT, 2.1, 2.9), t(MAT, 1, 1.05)]); // away from the jumps
    case POLYGAMMA: return new Case(name, op, [1], [t(MAT, 0.5, 2)]);
    case FUSED: return new Case(name, op, fusedParams(), [t(MAT), t(MAT), t(NO)]);
    case SPLIT: return new Case(name, op, [1, 1, 2], [t([2, 3])]); // stands for its last piece, [2, 2]
    // Integer inputs (random bits): no derivative to check, values from prepareValues.
    case THREEFRY2X32: return new Case(name, op, NO, [new Arg(FIXED, U32, [2], 0, 4), new Arg(FIXED, U32, [5], 0, 100)]);
    case RANDOM_FLOAT: return new Case(name, op, [F32, 1], [new Arg(FIXED, U32, [2, 3], 0, 4e9)]);
    // Positive definite / well conditioned: small entries, a boosted diagonal.
    case CHOLESKY: return new Case(name, op, NO, [new Arg(TRACED, F64, [2, 3, 3], -0.3, 0.3, 2.0)]);
    case LU: return new Case(name, op, NO, [new Arg(TRACED, F64, [2, 3, 3], -1.0, 1.0, 0.0)]).pick(0); // the packed factors
    // Decompositions: tall for qr and svd (their derivatives need m >= n in reduced form, as JAX).
    case QR: return new Case(name, op, [0], [t([2, 4, 3])]).pick(1); // R
    case EIGH: return new Case(name, op, NO, [t([2, 3, 3])]).pick(1); // the eigenvectors
    case SVD: return new Case(name, op, [0], [t([2, 4, 3])]).pick(1); // U
    case EIG: return new Case(name, op, NO, [t([2, 3, 3])]).pick(1); // the (complex) eigenvectors
    case DET: return new Case(name, op, NO, [new Arg(TRACED, F64, [2, 3, 3], -1.0, 1.0, 2.0)]);
    // a fixed: triangular_solve is linear in b only (rules.spec checks the derivative in a).
    case TRIANGULAR_SOLVE: return new Case(name, op, [1, 1, 0, 0], [new Arg(FIXED, F64, [3, 3], -0.5, 0.5, 2.0), t([3, 2])]);
    // pa and lu fixed (the derivative in pa is checked by rules.spec, lu from pa's own factors): linear in b only
    case LU_SOLVE: return new Case(name, op, [0], [new Arg(FIXED, F64, [3, 3], -0.5, 0.5, 2.0), new Arg(FIXED, F64, [3, 3], -0.5, 0.5, 2.0), t([3, 2])]);
    case REDUCE_MAX: case REDUCE_MIN: return new Case(name, op, [0, 2], [t([2, 3, 4])]);
    case ARGMAX: case ARGMIN: return new Case(name, op, [1], [t([2, 3, 4])]);
    // rows of a [4,3] matrix (np.take along axis 0) / scatter-add of [5,3] rows into it
    case GATHER: return new Case(name, op, [0, 0, 1, 1, 1, 0, 1, 0, 1, 3], [t([4, 3]), new Arg(INDEX, I32, [2, 1], 0, 3)]);
    case ARGSORT: return new Case(name, op, [1, 0], [t([2, 3, 4])]);
    case BITCAST_CONVERT_TYPE: return new Case(name, op, [U32], [t(MAT)]); // float64 [2,3] -> its words, uint32 [2,3,2]
    case SEARCHSORTED: return new Case(name, op, [0], [t([5]), t([2, 3])]);
    case REAL: case IMAG: case CONJ: return new Case(name, op, NO, [new Arg(TRACED, C128, MAT)]);
    case SCATTER_ADD: return new Case(name, op, [0, 1, 1, 1, 0, 1, 0], [t([4, 3]), new Arg(INDEX, I32, [5, 1], 0, 3), t([5, 3])]);
  }
  return null;
}

/**
 * Ops whose rules run on the host (custom_call's JVP, custom_linear's transpose: customJvp and
 * customVjp; the loop and cond rows' JVP, transpose and batching), which the wasm tests cannot call: the node tests
 * (tests/custom_rules.test.ts, tests/control_rows.test.ts) check them.
 */
export function hostRuled(op: i32): bool { return op == CUSTOM_CALL || op == CUSTOM_LINEAR || op == WHILE || op == SCAN || op == COND || op == CHECKPOINT; }

/** The listed example, else the generic one (which may fail to emit: the caller checks). */
export function exampleFor(op: i32): Case {
  const c = listedExample(op);
  if (c !== null) return c;
  const n = opArity(op);
  const args = new Array<Arg>(n);
  for (let i = 0; i < n; i++) args[i] = t(MAT, 0.5, 2);
  return new Case(opName(op) + ' (generic example)', op, NO, args);
}
