// The AD rules of every differentiable primitive, checked inside wasm against finite differences
// of the primitive itself (see helpers/harness.ts): the JVP tangent (forward), the transpose of
// the linearization (reverse, by the inner-product identity) and second order (JVP of the JVP,
// reverse over forward, forward over reverse), in float64 with tight tolerances over scalar,
// vector, matrix and higher-rank shapes, then a smaller float32 set with looser tolerances.
// One test per case; inputs are deterministic (seeded per case index).
import '../assembly/index'; // registers every rule family
import {
  COPY, NEG, EXP, LOG, SIN, COS, TANH, SQRT, ADD, SUB, MUL, DIV, POW, SELECT, CONVERT, SUM,
  BROADCAST_IN_DIM, RESHAPE, TRANSPOSE, DOT_GENERAL, CONCATENATE, SPLIT, REDUCE_MAX, REDUCE_MIN, GATHER, SCATTER_ADD,
  CHOLESKY, TRIANGULAR_SOLVE, LU, LU_SOLVE, QR, EIGH, SVD, DET, ABS, TAN, SINH, COSH, REAL, IMAG, COMPLEX, CONJ, FUSED,
  BITCAST_CONVERT_TYPE,
} from '../assembly/ad/ops';
import { F32, F64, I32, U32, C64, C128, BOOL } from '../assembly/dtype';
import { resetTape, constRow, copyOf, emitOp, tryEmit, readRow, vecStr, shapeOf, placeholderRow } from './helpers/rows';
import { tryJvp, lastTrapCode, codeName } from './helpers/guard';
import { tapeLen } from '../assembly/ad/tape';
import { Arg, Case, TRACED, FIXED, MASK, INDEX, STEP, runCase, stats64, stats32 } from './helpers/harness';
import { listedExample } from './helpers/examples';

// ---------------------------------------------------------------- inputs

function T(shape: StaticArray<i32>, lo: f64 = -1.0, hi: f64 = 1.0): Arg { return new Arg(TRACED, F64, shape, lo, hi); }
function X(shape: StaticArray<i32>, lo: f64 = -1.0, hi: f64 = 1.0): Arg { return new Arg(FIXED, F64, shape, lo, hi); }
function M(shape: StaticArray<i32>): Arg { return new Arg(MASK, F64, shape); }
function T32(shape: StaticArray<i32>, lo: f64 = -1.0, hi: f64 = 1.0): Arg { return new Arg(TRACED, F32, shape, lo, hi); }

const SCALAR: StaticArray<i32> = [];
const VEC: StaticArray<i32> = [5];
const MAT: StaticArray<i32> = [2, 3];
const SHAPES: StaticArray<i32>[] = [SCALAR, VEC, MAT];

function sh(s: StaticArray<i32>): string {
  let t = '[';
  for (let i = 0; i < s.length; i++) t += (i > 0 ? ',' : '') + s[i].toString();
  return t + ']';
}

const NO: StaticArray<i32> = [];

// ---------------------------------------------------------------- float64 cases

const cases64: Case[] = [];

// Unary elementwise, with domains away from singularities.
const unaryOps: StaticArray<i32> = [NEG, EXP, LOG, SIN, COS, TANH, SQRT, COPY];
const unaryNames: StaticArray<string> = ['neg', 'exp', 'log', 'sin', 'cos', 'tanh', 'sqrt', 'copy'];
const unaryLo: StaticArray<f64> = [-2, -1, 0.5, -2, -2, -1.5, 0.5, -2];
const unaryHi: StaticArray<f64> = [2, 1, 2, 2, 2, 1.5, 2, 2];
for (let i = 0; i < unaryOps.length; i++) {
  for (let s = 0; s < SHAPES.length; s++) {
    cases64.push(new Case(unaryNames[i] + ' ' + sh(SHAPES[s]), unaryOps[i], NO, [T(SHAPES[s], unaryLo[i], unaryHi[i])]));
  }
}

// Binary elementwise: both operands traced, only a, only b.
const binOps: StaticArray<i32> = [ADD, SUB, MUL, DIV, POW];
const binNames: StaticArray<string> = ['add', 'sub', 'mul', 'div', 'pow'];
const binALo: StaticArray<f64> = [-2, -2, -2, -2, 0.5];
const binAHi: StaticArray<f64> = [2, 2, 2, 2, 2];
const binBLo: StaticArray<f64> = [-2, -2, -2, 0.5, -1.5];
const binBHi: StaticArray<f64> = [2, 2, 2, 2, 2.5];
for (let i = 0; i < binOps.length; i++) {
  for (let s = 0; s < SHAPES.length; s++) {
    const S = SHAPES[s];
    const n = binNames[i] + ' ' + sh(S);
    cases64.push(new Case(n + ' (a, b)', binOps[i], NO, [T(S, binALo[i], binAHi[i]), T(S, binBLo[i], binBHi[i])]));
    cases64.push(new Case(n + ' (a)', binOps[i], NO, [T(S, binALo[i], binAHi[i]), X(S, binBLo[i], binBHi[i])]));
    cases64.push(new Case(n + ' (b)', binOps[i], NO, [X(S, binALo[i], binAHi[i]), T(S, binBLo[i], binBHi[i])]));
  }
  // The same value as both operands (x + x, x - x, x * x, x ** x): tangents meet. (x / x is
  // constant, so its derivative is pure rounding noise against an exact 0: not a useful case.)
  const same: StaticArray<i32> = [0, 0];
  if (binOps[i] != DIV) cases64.push(new Case(binNames[i] + ' [5] (x, x)', binOps[i], NO, [T(VEC, 0.5, 2)], same));
}

// pow at a == 0 (exactly): d/da of x**2 is 0 and d2/da2 is 2; d/db of 0**y is 0, where the rule
// takes log(0) as 0 (JAX's convention) instead of letting -inf * 0 poison it.
cases64.push(new Case('pow(0, 2) [] (a)', POW, NO, [T(SCALAR, 0, 0), X(SCALAR, 2, 2)]));
cases64.push(new Case('pow(0, 2) [5] (a)', POW, NO, [T(VEC, 0, 0), X(VEC, 2, 2)]));
cases64.push(new Case('pow(0, y) [5] (b)', POW, NO, [X(VEC, 0, 0), T(VEC, 1.5, 2.5)]));

// select(mask, on_true, on_false) with a mixed mask.
for (let s = 0; s < SHAPES.length; s++) {
  const S = SHAPES[s];
  cases64.push(new Case('select ' + sh(S) + ' (a, b)', SELECT, NO, [M(S), T(S), T(S)]));
  cases64.push(new Case('select ' + sh(S) + ' (a)', SELECT, NO, [M(S), T(S), X(S)]));
  cases64.push(new Case('select ' + sh(S) + ' (b)', SELECT, NO, [M(S), X(S), T(S)]));
}
cases64.push(new Case('select [2,3] (x, x)', SELECT, NO, [M(MAT), T(MAT)], [0, 1, 1]));

// convert f64 -> f64 (the identity conversion).
for (let s = 0; s < SHAPES.length; s++) {
  cases64.push(new Case('convert f64->f64 ' + sh(SHAPES[s]), CONVERT, [F64], [T(SHAPES[s])]));
}

// sum over axes.
cases64.push(new Case('sum [5] axes [0]', SUM, [0], [T(VEC)]));
cases64.push(new Case('sum [] axes []', SUM, [], [T(SCALAR)]));
cases64.push(new Case('sum [2,3] axes [0]', SUM, [0], [T(MAT)]));
cases64.push(new Case('sum [2,3] axes [1]', SUM, [1], [T(MAT)]));
cases64.push(new Case('sum [2,3] axes [0,1]', SUM, [0, 1], [T(MAT)]));
cases64.push(new Case('sum [2,3] axes []', SUM, [], [T(MAT)]));
cases64.push(new Case('sum [2,3,4] axes [0,2]', SUM, [0, 2], [T([2, 3, 4])]));
cases64.push(new Case('sum [2,3,4] axes [1]', SUM, [1], [T([2, 3, 4])]));
cases64.push(new Case('sum [2,3,4] axes [0,1,2]', SUM, [0, 1, 2], [T([2, 3, 4])]));

// broadcast_in_dim. params: out shape..., dims...
cases64.push(new Case('broadcast [3]->[2,3] dims [1]', BROADCAST_IN_DIM, [2, 3, 1], [T([3])]));
cases64.push(new Case('broadcast [2,1]->[2,3] dims [0,1]', BROADCAST_IN_DIM, [2, 3, 0, 1], [T([2, 1])]));
cases64.push(new Case('broadcast []->[2,3]', BROADCAST_IN_DIM, [2, 3], [T(SCALAR)]));
cases64.push(new Case('broadcast [3]->[3,2] dims [0]', BROADCAST_IN_DIM, [3, 2, 0], [T([3])]));
cases64.push(new Case('broadcast [2,1,3]->[2,4,3] dims [0,1,2]', BROADCAST_IN_DIM, [2, 4, 3, 0, 1, 2], [T([2, 1, 3])]));
cases64.push(new Case('broadcast [2,3]->[2,4,3] dims [0,2]', BROADCAST_IN_DIM, [2, 4, 3, 0, 2], [T([2, 3])]));
cases64.push(new Case('broadcast [1]->[4] dims [0]', BROADCAST_IN_DIM, [4, 0], [T([1])]));
cases64.push(new Case('broadcast [2,3]->[2,3] dims [0,1]', BROADCAST_IN_DIM, [2, 3, 0, 1], [T(MAT)]));
cases64.push(new Case('broadcast []->[]', BROADCAST_IN_DIM, [], [T(SCALAR)]));

// reshape. params: new shape.
cases64.push(new Case('reshape [2,3]->[3,2]', RESHAPE, [3, 2], [T(MAT)]));
cases64.push(new Case('reshape [6]->[2,3]', RESHAPE, [2, 3], [T([6])]));
cases64.push(new Case('reshape []->[1,1]', RESHAPE, [1, 1], [T(SCALAR)]));
cases64.push(new Case('reshape [2,3,4]->[4,6]', RESHAPE, [4, 6], [T([2, 3, 4])]));

// transpose. params: perm (3-cycles catch a transpose rule that uses perm instead of its inverse).
cases64.push(new Case('transpose [2,3] perm [1,0]', TRANSPOSE, [1, 0], [T(MAT)]));
cases64.push(new Case('transpose [2,3,4] perm [2,0,1]', TRANSPOSE, [2, 0, 1], [T([2, 3, 4])]));
cases64.push(new Case('transpose [2,3,4] perm [1,2,0]', TRANSPOSE, [1, 2, 0], [T([2, 3, 4])]));
cases64.push(new Case('transpose [2,3,4] perm [0,2,1]', TRANSPOSE, [0, 2, 1], [T([2, 3, 4])]));
cases64.push(new Case('transpose [2,3] perm [0,1]', TRANSPOSE, [0, 1], [T(MAT)]));
cases64.push(new Case('transpose [5] perm [0]', TRANSPOSE, [0], [T(VEC)]));

// dot_general. params: nb, nc, lhs batch, rhs batch, lhs contracting, rhs contracting.
const MM: StaticArray<i32> = [0, 1, 1, 0];             // [m,k] x [k,n]
const BMM: StaticArray<i32> = [1, 1, 0, 0, 2, 1];      // [b,m,k] x [b,k,n]
cases64.push(new Case('dot_general [2,3]x[3,4] (a, b)', DOT_GENERAL, MM, [T([2, 3]), T([3, 4])]));
cases64.push(new Case('dot_general [2,3]x[3,4] (a)', DOT_GENERAL, MM, [T([2, 3]), X([3, 4])]));
cases64.push(new Case('dot_general [2,3]x[3,4] (b)', DOT_GENERAL, MM, [X([2, 3]), T([3, 4])]));
cases64.push(new Case('dot_general [2,2,3]x[2,3,1] (a, b)', DOT_GENERAL, BMM, [T([2, 2, 3]), T([2, 3, 1])]));
cases64.push(new Case('dot_general [2,2,3]x[2,3,1] (a)', DOT_GENERAL, BMM, [T([2, 2, 3]), X([2, 3, 1])]));
cases64.push(new Case('dot_general [2,2,3]x[2,3,1] (b)', DOT_GENERAL, BMM, [X([2, 2, 3]), T([2, 3, 1])]));
cases64.push(new Case('dot_general [3,3] (x, x)', DOT_GENERAL, MM, [T([3, 3])], [0, 0]));
cases64.push(new Case('dot_general [1,4]x[4,1]', DOT_GENERAL, MM, [T([1, 4]), T([4, 1])]));
cases64.push(new Case('dot_general [3,1]x[1,2] (outer)', DOT_GENERAL, MM, [T([3, 1]), T([1, 2])]));
// Other layouts: x^T y, x y^T (the NT kernel), batch dims not leading, two contracting dims in
// swapped order, no contraction (outer product), a full contraction to a scalar.
cases64.push(new Case('dot_general [3,2]x[3,4] contract 0,0', DOT_GENERAL, [0, 1, 0, 0], [T([3, 2]), T([3, 4])]));
cases64.push(new Case('dot_general [2,3]x[4,3] contract 1,1', DOT_GENERAL, [0, 1, 1, 1], [T([2, 3]), T([4, 3])]));
cases64.push(new Case('dot_general [3,2,4]x[4,5,2] batch 1,2 contract 2,0', DOT_GENERAL, [1, 1, 1, 2, 2, 0],
  [T([3, 2, 4]), T([4, 5, 2])]));
cases64.push(new Case('dot_general [2,3,4]x[4,5,3] contract (1,2),(2,0)', DOT_GENERAL, [0, 2, 1, 2, 2, 0],
  [T([2, 3, 4]), T([4, 5, 3])]));
cases64.push(new Case('dot_general [2,3]x[4] outer', DOT_GENERAL, [0, 0], [T([2, 3]), T([4])]));
cases64.push(new Case('dot_general [2,3]x[2,3] full', DOT_GENERAL, [0, 2, 0, 1, 0, 1], [T([2, 3]), T([2, 3])]));
cases64.push(new Case('dot_general [2,3]x[3,2] contract (0,1),(1,0) (a)', DOT_GENERAL, [0, 2, 0, 1, 1, 0], [T([2, 3]), X([3, 2])]));

// reduce_max / reduce_min (distinct random values: no ties, where the derivative jumps).
cases64.push(new Case('reduce_max [2,3,4] axes [0,2]', REDUCE_MAX, [0, 2], [T([2, 3, 4])]));
cases64.push(new Case('reduce_max [2,3] axes [1]', REDUCE_MAX, [1], [T(MAT)]));
cases64.push(new Case('reduce_min [2,3,4] axes [1]', REDUCE_MIN, [1], [T([2, 3, 4])]));
cases64.push(new Case('reduce_min [9] axes [0] then exp', REDUCE_MIN, [0], [T([9])]).then(EXP, NO));
cases64.push(new Case('reduce_max [2,3] no axes', REDUCE_MAX, [], [T(MAT)]));

// gather / scatter_add (int32 index vectors along the indices' last axis; duplicates and
// out-of-range indices included).
function IX(shape: StaticArray<i32>, lo: f64, hi: f64): Arg { return new Arg(INDEX, I32, shape, lo, hi); }
cases64.push(new Case('gather rows of [4,3] (take axis 0)', GATHER, [0, 0, 1, 1, 1, 0, 1, 0, 1, 3], [T([4, 3]), IX([5, 1], 0, 3)]));
cases64.push(new Case('gather rows, fill mode (zero fill), indices -2..5', GATHER, [1, 0, 1, 1, 1, 0, 1, 0, 1, 3], [T([4, 3]), IX([6, 1], -2, 5)]));
cases64.push(new Case('gather rows, clip mode, indices -2..5', GATHER, [0, 0, 1, 1, 1, 0, 1, 0, 1, 3], [T([4, 3]), IX([6, 1], -2, 5)]));
cases64.push(new Case('gather rows, fill + negative indices, indices -5..5', GATHER, [3, 0, 1, 1, 1, 0, 1, 0, 1, 3], [T([4, 3]), IX([8, 1], -5, 5)]));
cases64.push(new Case('gather rows, wrap mode, indices -9..9', GATHER, [4, 0, 1, 1, 1, 0, 1, 0, 1, 3], [T([4, 3]), IX([8, 1], -9, 9)]));
cases64.push(new Case('scatter_add rows, drop + negative indices', SCATTER_ADD, [3, 1, 1, 1, 0, 1, 0], [T([4, 3]), IX([8, 1], -5, 5), T([8, 3])]));
cases64.push(new Case('gather points of [3,4] (K = 2)', GATHER, [0, 0, 0, 2, 0, 1, 2, 0, 1, 1, 1], [T([3, 4]), IX([5, 2], 0, 2)]));
cases64.push(new Case('gather windows [2,3] of [5,4] (dynamic slices, clamped)', GATHER, [0, 0, 2, 1, 2, 0, 1, 0, 2, 3], [T([5, 4]), IX([2, 1], 0, 5)]));
cases64.push(new Case('gather columns of [3,4] (map [1], batch [2,2])', GATHER, [0, 0, 1, 2, 1, 1, 1, 1, 3, 1], [T([3, 4]), IX([2, 2, 1], 0, 3)]));
cases64.push(new Case('scatter_add rows into [4,3] (x, updates)', SCATTER_ADD, [0, 1, 1, 1, 0, 1, 0], [T([4, 3]), IX([5, 1], 0, 3), T([5, 3])]));
cases64.push(new Case('scatter_add rows, drop mode, indices -2..5 (updates)', SCATTER_ADD, [1, 1, 1, 1, 0, 1, 0], [X([4, 3]), IX([6, 1], -2, 5), T([6, 3])]));
cases64.push(new Case('scatter_add rows, clip mode, indices -2..5', SCATTER_ADD, [0, 1, 1, 1, 0, 1, 0], [T([4, 3]), IX([6, 1], -2, 5), T([6, 3])]));
cases64.push(new Case('scatter_add points into [3,4] (K = 2)', SCATTER_ADD, [0, 0, 2, 0, 1, 2, 0, 1], [T([3, 4]), IX([6, 2], 0, 2), T([6])]));
cases64.push(new Case('gather then tanh then scatter_add back', GATHER, [0, 0, 1, 1, 1, 0, 1, 0, 1, 3], [T([4, 3]), IX([5, 1], 0, 3)])
  .then(TANH, NO));

// Small compositions: rules meeting each other inside one linearization.
cases64.push(new Case('sum(exp(x) * y) axes [1]', EXP, NO, [T(MAT), T(MAT)], [0])
  .thenWith(MUL, NO, [STEP + 0, 1]).then(SUM, [1]));
cases64.push(new Case('transpose(dot(a, b)) then tanh', DOT_GENERAL, MM, [T([2, 3]), T([3, 4])])
  .then(TRANSPOSE, [1, 0]).then(TANH, NO));
cases64.push(new Case('log(broadcast(x) + y)', BROADCAST_IN_DIM, [2, 3, 1], [T([3], 0.5, 2), T(MAT, 0.5, 2)], [0])
  .thenWith(ADD, NO, [STEP + 0, 1]).then(LOG, NO));
cases64.push(new Case('select(m, sin(x), x / y)', SIN, NO, [M(MAT), T(MAT), T(MAT, 0.5, 2)], [1])
  .thenWith(DIV, NO, [1, 2]).thenWith(SELECT, NO, [0, STEP + 0, STEP + 1]));
// Operand lists and tuple rows: concatenate (variadic) and split (a step with a tuple row stands
// for its last piece, so the other pieces' cotangents are symbolic zeros).
cases64.push(new Case('concatenate [2,1]+[2,3]+[2,2] axis 1', CONCATENATE, [1], [T([2, 1]), T([2, 3]), T([2, 2])]));
cases64.push(new Case('concatenate [1,3]+[2,3] axis 0 (b)', CONCATENATE, [0], [X([1, 3]), T([2, 3])]));
cases64.push(new Case('concatenate x with itself, then tanh', CONCATENATE, [0], [T(VEC)], [0, 0]).then(TANH, NO));
cases64.push(new Case('split [2,3] sizes [1,2] axis 1 (last piece)', SPLIT, [1, 1, 2], [T(MAT)]));
cases64.push(new Case('split [5] sizes [2,0,3] then sin', SPLIT, [0, 2, 0, 3], [T(VEC)]).then(SIN, NO));
cases64.push(new Case('split then concatenate with the input', SPLIT, [0, 3, 2], [T(VEC)])
  .thenWith(CONCATENATE, [0], [STEP + 0, 0]).then(EXP, NO));
// Linear algebra: positive definite / well-conditioned inputs (boosted diagonals).
function SPD(shape: StaticArray<i32>): Arg { return new Arg(TRACED, F64, shape, -0.3, 0.3, 2.0); }
cases64.push(new Case('cholesky [3,3]', CHOLESKY, NO, [SPD([3, 3])]));
cases64.push(new Case('cholesky [2,4,4] (batched)', CHOLESKY, NO, [SPD([2, 4, 4])]));
cases64.push(new Case('cholesky then sum of squares', CHOLESKY, NO, [SPD([3, 3])]).thenWith(MUL, NO, [STEP + 0, STEP + 0]).then(SUM, [0, 1]));
const triFlags: StaticArray<i32>[] = [[1, 1, 0, 0], [1, 0, 0, 0], [1, 1, 1, 0], [1, 0, 1, 1], [0, 1, 0, 0], [0, 0, 1, 0], [0, 1, 1, 1]];
for (let i = 0; i < triFlags.length; i++) {
  const f = triFlags[i];
  const name = 'triangular_solve left=' + f[0].toString() + ' lower=' + f[1].toString() + ' T=' + f[2].toString() + ' unit=' + f[3].toString();
  const bShape: StaticArray<i32> = f[0] ? [3, 2] : [2, 3];
  cases64.push(new Case(name, TRIANGULAR_SOLVE, f, [SPD([3, 3]), T(bShape)]));
  cases64.push(new Case(name + ' (b only)', TRIANGULAR_SOLVE, f, [new Arg(FIXED, F64, [3, 3], -0.3, 0.3, 2.0), T(bShape)]));
}
// lu: random matrices (pivoting is stable under the small FD steps: entries are distinct).
cases64.push(new Case('lu [3,3] (packed factors)', LU, NO, [T([3, 3], -1.0, 1.0)]).pick(0));
cases64.push(new Case('lu [2,4,4] (packed factors)', LU, NO, [T([2, 4, 4], -1.0, 1.0)]).pick(0));
cases64.push(new Case('lu then tanh', LU, NO, [T([3, 3], -1.0, 1.0)]).pick(0).then(TANH, NO));
// lu_solve with lu the factors of pa itself (a boosted diagonal: no row exchanges, so pa = P A = A),
// the derivative entering through pa and b (custom_linear_solve); transposed too.
for (let tr = 0; tr < 2; tr++) {
  const name = 'lu_solve (lu of a) transpose=' + tr.toString();
  cases64.push(new Case(name, LU, NO, [SPD([3, 3]), T([3, 2])], [0]).pick(0).thenWith(LU_SOLVE, [tr], [0, STEP + 0, 1]));
  cases64.push(new Case(name + ' batched [2,3,3] [2,3,4]', LU, NO, [SPD([2, 3, 3]), T([2, 3, 4])], [0]).pick(0).thenWith(LU_SOLVE, [tr], [0, STEP + 0, 1]));
}
// Decompositions: each output on its own (signs of Householder vectors, eigenvectors and
// singular vectors are continuous under the small FD steps).
cases64.push(new Case('qr [4,3] Q', QR, [0], [T([4, 3])]).pick(0));
cases64.push(new Case('qr [4,3] R', QR, [0], [T([4, 3])]).pick(1));
// (a boosted diagonal keeps each Householder pivot away from 0, where its sign choice flips Q)
cases64.push(new Case('qr [2,3,3] Q (batched)', QR, [0], [new Arg(TRACED, F64, [2, 3, 3], -1.0, 1.0, 2.0)]).pick(0));
cases64.push(new Case('qr [3,3] complete R then tanh', QR, [1], [T([3, 3])]).pick(1).then(TANH, NO));
cases64.push(new Case('eigh [3,3] w', EIGH, NO, [T([3, 3])]).pick(0));
// eigenvectors of x + y, y fixed with a wide spectrum (eigenvector derivatives divide by the gaps)
cases64.push(new Case('eigh [2,3,3] V (batched)', ADD, NO, [T([2, 3, 3], -0.3, 0.3), X([2, 3, 3], -3.0, 3.0)]).then(EIGH, NO).pick(1));
cases64.push(new Case('svd [4,3] s', SVD, [0], [T([4, 3])]).pick(0));
cases64.push(new Case('svd [4,3] U', SVD, [0], [T([4, 3])]).pick(1));
cases64.push(new Case('svd [3,4] Vt', SVD, [0], [T([3, 4])]).pick(2));
cases64.push(new Case('svd [3,4] U', SVD, [0], [T([3, 4])]).pick(1));
cases64.push(new Case('svd [2,3,3] Vt (batched, full = reduced)', SVD, [1], [T([2, 3, 3])]).pick(2));
cases64.push(new Case('det [3,3]', DET, NO, [T([3, 3])]));
cases64.push(new Case('det [2,4,4] then tanh', DET, NO, [new Arg(TRACED, F64, [2, 4, 4], -0.5, 0.5, 1.0)]).then(TANH, NO));
cases64.push(new Case('triangular_solve batched [2,3,3] [2,3,4]', TRIANGULAR_SOLVE, [1, 1, 0, 0], [SPD([2, 3, 3]), T([2, 3, 4])]));
cases64.push(new Case('exp(x) * exp(x) (one row used twice)', EXP, NO, [T(VEC)]).thenWith(MUL, NO, [STEP + 0, STEP + 0]));
cases64.push(new Case('pow(x, sqrt(y)) reshaped', SQRT, NO, [T(MAT, 0.5, 2), T(MAT, 0.5, 2)], [1])
  .thenWith(POW, NO, [0, STEP + 0]).then(RESHAPE, [3, 2]));

// ---------------------------------------------------------------- complex128 cases
// Complex values are pairs of reals to the checker: forward mode against finite differences of
// the interleaved (re, im) parts, reverse mode by JAX's bilinear pairing Re(sum ct * Jv), under
// which the non-conjugating transposes are adjoints (helpers/rows.ts ctRow/readCt).

function TC(shape: StaticArray<i32>, lo: f64 = -1.0, hi: f64 = 1.0): Arg { return new Arg(TRACED, C128, shape, lo, hi); }
function TC64(shape: StaticArray<i32>, lo: f64 = -1.0, hi: f64 = 1.0): Arg { return new Arg(TRACED, C64, shape, lo, hi); }
const cUnary: StaticArray<i32> = [NEG, EXP, LOG, SIN, COS, TANH, SQRT, TAN, SINH, COSH, CONJ, COPY];
const cUnaryNames: StaticArray<string> = ['neg', 'exp', 'log', 'sin', 'cos', 'tanh', 'sqrt', 'tan', 'sinh', 'cosh', 'conj', 'copy'];
const cLo: StaticArray<f64> = [-2, -1, 0.5, -1, -1, -1, 0.5, -0.7, -1, -1, -2, -2];
const cHi: StaticArray<f64> = [2, 1, 2, 1, 1, 1, 2, 0.7, 1, 1, 2, 2];
for (let i = 0; i < cUnary.length; i++) {
  cases64.push(new Case(cUnaryNames[i] + ' c128 []', cUnary[i], NO, [TC(SCALAR, cLo[i], cHi[i])]));
  cases64.push(new Case(cUnaryNames[i] + ' c128 [2,3]', cUnary[i], NO, [TC(MAT, cLo[i], cHi[i])]));
}
for (let i = 0; i < binOps.length; i++) {
  cases64.push(new Case(binNames[i] + ' c128 [5] (a, b)', binOps[i], NO, [TC(VEC, binALo[i], binAHi[i]), TC(VEC, binBLo[i], binBHi[i])]));
}
cases64.push(new Case('real c128 [2,3]', REAL, NO, [TC(MAT)]));
cases64.push(new Case('abs c128 [2,3] (real out)', ABS, NO, [TC(MAT, 0.2, 1)]));
cases64.push(new Case('imag c128 [2,3]', IMAG, NO, [TC(MAT)]));
cases64.push(new Case('complex f64 [2,3] (re, im)', COMPLEX, NO, [T(MAT), T(MAT)]));
cases64.push(new Case('complex f64 [5] (im only)', COMPLEX, NO, [X(VEC), T(VEC)]));
cases64.push(new Case('sum c128 [2,3,4] axes [0,2]', SUM, [0, 2], [TC([2, 3, 4])]));
cases64.push(new Case('broadcast c128 [2,1]->[4,2,3]', BROADCAST_IN_DIM, [4, 2, 3, 1, 2], [TC([2, 1])]));
cases64.push(new Case('transpose c128 [2,3,4] perm [2,0,1]', TRANSPOSE, [2, 0, 1], [TC([2, 3, 4])]));
cases64.push(new Case('reshape c128 [2,3]->[3,2]', RESHAPE, [3, 2], [TC(MAT)]));
cases64.push(new Case('concatenate c128 [2,1]+[2,3] axis 1', CONCATENATE, [1], [TC([2, 1]), TC([2, 3])]));
cases64.push(new Case('select c128 [2,3] (a, b)', SELECT, NO, [M(MAT), TC(MAT), TC(MAT)]));
cases64.push(new Case('convert f64->c128 [2,3]', CONVERT, [C128], [T(MAT)]));
cases64.push(new Case('convert c128->f64 [2,3] (real part)', CONVERT, [F64], [TC(MAT)]));
cases64.push(new Case('dot_general c128 [2,3]x[3,4] (a, b)', DOT_GENERAL, MM, [TC([2, 3]), TC([3, 4])]));
cases64.push(new Case('dot_general c128 [2,2,3]x[2,3,4] batched', DOT_GENERAL, BMM, [TC([2, 2, 3]), TC([2, 3, 4])]));
cases64.push(new Case('dot_general c128 [2,3]x[4,3] contract 1,1', DOT_GENERAL, [0, 1, 1, 1], [TC([2, 3]), TC([4, 3])]));
cases64.push(new Case('gather rows of c128 [4,3]', GATHER, [0, 0, 1, 1, 1, 0, 1, 0, 1, 3], [TC([4, 3]), IX([5, 1], 0, 3)]));
cases64.push(new Case('gather c128 fill mode, indices -2..5', GATHER, [1, 0, 1, 1, 1, 0, 1, 0, 1, 3], [TC([4, 3]), IX([5, 1], -2, 5)]));
cases64.push(new Case('scatter_add c128 rows into [4,3] (x, updates)', SCATTER_ADD, [0, 1, 1, 1, 0, 1, 0], [TC([4, 3]), IX([5, 1], 0, 3), TC([5, 3])]));
function HPD(shape: StaticArray<i32>): Arg { return new Arg(TRACED, C128, shape, -0.3, 0.3, 2.0); }
cases64.push(new Case('cholesky c128 [3,3] (Hermitian)', CHOLESKY, NO, [HPD([3, 3])]));
cases64.push(new Case('cholesky c128 [2,3,3] then |L|^2 summed', CHOLESKY, NO, [HPD([2, 3, 3])], [0])
  .then(CONJ, NO).thenWith(MUL, NO, [STEP + 0, STEP + 1]).then(REAL, NO).then(SUM, [0, 1, 2]));
const cTriFlags: StaticArray<i32>[] = [[1, 1, 0, 0, 0], [1, 1, 1, 0, 1], [1, 0, 0, 0, 1], [0, 1, 1, 0, 1], [0, 0, 0, 1, 0], [1, 1, 1, 1, 1]];
for (let i = 0; i < cTriFlags.length; i++) {
  const f = cTriFlags[i];
  const name = 'triangular_solve c128 left=' + f[0].toString() + ' lower=' + f[1].toString() + ' T=' + f[2].toString() + ' unit=' + f[3].toString() + ' conj=' + f[4].toString();
  cases64.push(new Case(name, TRIANGULAR_SOLVE, f, [HPD([3, 3]), TC(f[0] ? [3, 2] : [2, 3])]));
}
cases64.push(new Case('sum(real(z * conj(z))) (|z|^2)', CONJ, NO, [TC(VEC)], [0])
  .thenWith(MUL, NO, [0, STEP + 0]).then(REAL, NO).then(SUM, [0]));
cases64.push(new Case('real(exp(complex(0, x))) = cos x (R -> R through C)', COMPLEX, NO, [X(VEC, 0, 0), T(VEC)])
  .then(EXP, NO).then(REAL, NO));
cases64.push(new Case('imag(sin(z) * conj(z)) / real(z)', SIN, NO, [TC(MAT, 0.5, 1.5)], [0])
  .then(CONJ, NO).thenWith(MUL, NO, [STEP + 0, STEP + 1]).then(IMAG, NO));
// A fused program's derivatives are its rows' (expanded), to second order.
cases64.push(listedExample(FUSED)!);

// ---------------------------------------------------------------- float32 cases (loose)

const cases32: Case[] = [];
const u32Ops: StaticArray<i32> = [NEG, EXP, LOG, SIN, COS, TANH, SQRT];
for (let i = 0; i < u32Ops.length; i++) {
  cases32.push(new Case(unaryNames[i] + ' f32 [2,3]', u32Ops[i], NO, [T32(MAT, unaryLo[i], unaryHi[i])]));
}
for (let i = 0; i < binOps.length; i++) {
  cases32.push(new Case(binNames[i] + ' f32 [5] (a, b)', binOps[i], NO,
    [T32(VEC, binALo[i], binAHi[i]), T32(VEC, binBLo[i], binBHi[i])]));
}
cases32.push(new Case('select f32 [2,3] (a, b)', SELECT, NO, [M(MAT), T32(MAT), T32(MAT)]));
cases32.push(new Case('convert f32->f64 [2,3]', CONVERT, [F64], [T32(MAT)]));
cases32.push(new Case('convert f64->f32 [2,3]', CONVERT, [F32], [T(MAT)]));
cases32.push(new Case('convert f32->f32 [5]', CONVERT, [F32], [T32(VEC)]));
cases32.push(new Case('convert f64->f32->f64 then exp', CONVERT, [F32], [T(MAT)]).then(CONVERT, [F64]).then(EXP, NO));
cases32.push(new Case('exp(convert f32->f64) [5]', CONVERT, [F64], [T32(VEC)]).then(EXP, NO));
cases32.push(new Case('sum f32 [2,3,4] axes [0,2]', SUM, [0, 2], [T32([2, 3, 4])]));
cases32.push(new Case('broadcast f32 [2,1]->[2,3]', BROADCAST_IN_DIM, [2, 3, 0, 1], [T32([2, 1])]));
cases32.push(new Case('transpose f32 [2,3,4] perm [2,0,1]', TRANSPOSE, [2, 0, 1], [T32([2, 3, 4])]));
cases32.push(new Case('reshape f32 [2,3]->[6]', RESHAPE, [6], [T32(MAT)]));
cases32.push(new Case('concatenate f32 [2,3]+[2,3] axis 0', CONCATENATE, [0], [T32(MAT), T32(MAT)]));
cases32.push(new Case('split f32 [2,3] sizes [2,1] axis 1', SPLIT, [1, 2, 1], [T32(MAT)]));
// (few elements: float32 FD steps must not cross between near-equal values)
cases32.push(new Case('reduce_max f32 [2,2] axes [1]', REDUCE_MAX, [1], [T32([2, 2])]));
cases32.push(new Case('gather f32 rows of [4,3]', GATHER, [0, 0, 1, 1, 1, 0, 1, 0, 1, 3], [T32([4, 3]), new Arg(INDEX, I32, [5, 1], 0, 3)]));
cases32.push(new Case('scatter_add f32 rows into [4,3]', SCATTER_ADD, [0, 1, 1, 1, 0, 1, 0], [T32([4, 3]), new Arg(INDEX, I32, [5, 1], 0, 3), T32([5, 3])]));
cases32.push(new Case('dot_general f32 [2,2,3]x[2,3,1] (a, b)', DOT_GENERAL, BMM, [T32([2, 2, 3]), T32([2, 3, 1])]));
cases32.push(new Case('dot_general f32 [3,2,4]x[4,5,2] batch 1,2 contract 2,0', DOT_GENERAL, [1, 1, 1, 2, 2, 0], [T32([3, 2, 4]), T32([4, 5, 2])]));
const c64Ops: StaticArray<i32> = [EXP, LOG, SIN, TANH, SQRT, CONJ];
const c64Names: StaticArray<string> = ['exp', 'log', 'sin', 'tanh', 'sqrt', 'conj'];
for (let i = 0; i < c64Ops.length; i++) cases32.push(new Case(c64Names[i] + ' c64 [2,3]', c64Ops[i], NO, [TC64(MAT, 0.5, 1.5)]));
cases32.push(new Case('mul c64 [5] (a, b)', MUL, NO, [TC64(VEC), TC64(VEC)]));
cases32.push(new Case('div c64 [5] (a, b)', DIV, NO, [TC64(VEC), TC64(VEC, 0.5, 2)]));
cases32.push(new Case('pow c64 [5] (a, b)', POW, NO, [TC64(VEC, 0.5, 2), TC64(VEC)]));
cases32.push(new Case('real c64 [2,3]', REAL, NO, [TC64(MAT)]));
cases32.push(new Case('sum c64 [2,3] axes [1]', SUM, [1], [TC64(MAT)]));
cases32.push(new Case('dot_general c64 [2,3]x[3,4]', DOT_GENERAL, MM, [TC64([2, 3]), TC64([3, 4])]));
cases32.push(new Case('gather c64 rows of [4,3]', GATHER, [0, 0, 1, 1, 1, 0, 1, 0, 1, 3], [TC64([4, 3]), new Arg(INDEX, I32, [5, 1], 0, 3)]));
cases32.push(new Case('scatter_add c64 rows into [4,3]', SCATTER_ADD, [0, 1, 1, 1, 0, 1, 0], [TC64([4, 3]), new Arg(INDEX, I32, [5, 1], 0, 3), TC64([5, 3])]));
cases32.push(new Case('convert c64->c128 [5]', CONVERT, [C128], [TC64(VEC)]));
cases32.push(new Case('dot_general f32 [2,3]x[4,3] contract 1,1', DOT_GENERAL, [0, 1, 1, 1], [T32([2, 3]), T32([4, 3])]));

// ---------------------------------------------------------------- tests

// A test callback cannot capture its case, so the callbacks take the cases in order (as-pect runs
// them in registration order). Under a -t filter the labels shift; the failure messages still
// name the case that actually ran.
let next64 = 0;
let next32 = 0;

describe('AD rules, float64 (fwd/rev 1e-8, second order 1e-6)', () => {
  for (let i = 0; i < cases64.length; i++) {
    it(cases64[i].name, () => {
      const k = next64++;
      const e = runCase(cases64[k], k);
      expect(e).toBe('', e);
    });
  }
});

describe('AD rules, float32 (fwd/rev 2e-4, second order 2e-3)', () => {
  for (let i = 0; i < cases32.length; i++) {
    it(cases32[i].name, () => {
      const k = next32++;
      const e = runCase(cases32[k], 1000 + k);
      expect(e).toBe('', e);
    });
  }
});

// BUG (assembly/ad/jvp.ts + tangents.ts): jvpRange does not check that inputs[k] lies in
// [start, end); setTangent stores at map + (x - start) * 4 unchecked, so an input row before
// `start` writes the seed's row id in front of the tangent map, i.e. into whatever the arena
// allocated last (here the value buffer of the output row). Reachable from any host through the
// ABI jvp(); errors.ts promises validation errors are reported, not memory corruption. Either a
// trap with E_BAD_ROW or ignoring the input is acceptable here; corrupting a value is not.
describe('transform arguments', () => {
  it('jvpRange with an input row outside [start, end) does not corrupt memory', () => {
    resetTape();
    const x = constRow(F64, [4], [1, 2, 3, 4]); // 32 bytes: no arena padding after neg(x)'s buffer
    const v = constRow(F64, [4], [1, 1, 1, 1]);
    const start = tapeLen();
    const cx = copyOf(x);
    const y = emitOp(NEG, cx, -1, -1, []); // its buffer is the arena block right before the map
    const end = tapeLen();
    const before = readRow(y);
    const ins: StaticArray<i32> = [x]; // x < start
    const seeds: StaticArray<i32> = [v];
    const outs: StaticArray<i32> = [y];
    const res: StaticArray<i32> = [-2];
    const completed = tryJvp(start, end, 1, ins, seeds, 1, outs, res);
    const code = lastTrapCode();
    const after = readRow(y);
    resetTape();
    if (!completed) expect(codeName(code)).toBe('E_BAD_ROW', 'trap code');
    expect(vecStr(after)).toBe(vecStr(before), 'value of neg(x) after the jvpRange call');
  });
});

// bitcast_convert_type is NONDIFF (JAX's defjvp_zero), so it has no finite-difference case above:
// its bits, shapes, refusals and its symbolic-zero tangent are checked here.
describe('bitcast_convert_type', () => {
  it('reads the bits as another dtype: f32 <-> i32 same shape, f64 <-> two u32 words (low first)', () => {
    resetTape();
    const x = constRow(F32, [3], [1.0, -2.0, 0.0]);
    const i = emitOp(BITCAST_CONVERT_TYPE, x, -1, -1, [I32]);
    expect(vecStr(readRow(i))).toBe(vecStr([1065353216, -1073741824, 0]), 'f32 -> i32');
    expect(vecStr(readRow(emitOp(BITCAST_CONVERT_TYPE, i, -1, -1, [F32])))).toBe(vecStr([1.0, -2.0, 0.0]), 'back');
    const d = constRow(F64, [2], [1.0, -2.5]);
    const w = emitOp(BITCAST_CONVERT_TYPE, d, -1, -1, [U32]);
    expect(vecStr(<StaticArray<f64>>[<f64>shapeOf(w).length, <f64>shapeOf(w)[1]])).toBe(vecStr([2, 2]), 'a trailing axis of 2');
    expect(vecStr(readRow(w))).toBe(vecStr([0, 1072693248, 0, 3221487616]), 'f64 -> u32 words');
    const back = emitOp(BITCAST_CONVERT_TYPE, w, -1, -1, [F64]);
    expect(shapeOf(back).length).toBe(1, 'the axis removed');
    expect(vecStr(readRow(back))).toBe(vecStr([1.0, -2.5]), 'words -> f64');
    resetTape();
  });
  it('refuses bool, complex, float <-> float, its own dtype, and words without a trailing axis of 2', () => {
    resetTape();
    const f = constRow(F32, [4], [1, 2, 3, 4]);
    const b = constRow(BOOL, [4], [1, 0, 1, 0]);
    const c = constRow(C64, [2], [1, 2, 3, 4]);
    const u = constRow(U32, [3], [1, 2, 3]);
    expect(tryEmit(BITCAST_CONVERT_TYPE, b, -1, -1, [I32]) < 0).toBe(true, 'bool');
    expect(tryEmit(BITCAST_CONVERT_TYPE, c, -1, -1, [F64]) < 0).toBe(true, 'complex');
    expect(tryEmit(BITCAST_CONVERT_TYPE, f, -1, -1, [F64]) < 0).toBe(true, 'f32 -> f64');
    expect(tryEmit(BITCAST_CONVERT_TYPE, f, -1, -1, [F32]) < 0).toBe(true, 'its own dtype');
    expect(tryEmit(BITCAST_CONVERT_TYPE, u, -1, -1, [F64]) < 0).toBe(true, 'u32 [3] -> f64');
    resetTape();
  });
  it('has a symbolic-zero tangent (integer bits carry no derivative)', () => {
    resetTape();
    const x = constRow(F32, [3], [1, 2, 3]);
    const start = tapeLen();
    const cx = copyOf(x);
    const y = emitOp(BITCAST_CONVERT_TYPE, cx, -1, -1, [I32]);
    const end = tapeLen();
    const ph = placeholderRow(F32, [3]);
    const ins: StaticArray<i32> = [cx];
    const seeds: StaticArray<i32> = [ph];
    const outs: StaticArray<i32> = [y];
    const res: StaticArray<i32> = [-2];
    expect(tryJvp(start, end, 1, ins, seeds, 1, outs, res)).toBe(true, 'jvp runs');
    expect(res[0]).toBe(-1, 'a symbolic zero tangent');
    resetTape();
  });
});

describe('rule tests, summary', () => {
  it('ran every case', () => {
    expect(next64).toBe(cases64.length, 'float64 cases run');
    expect(next32).toBe(cases32.length, 'float32 cases run');
    expect(stats64.cases + stats32.cases).toBe(cases64.length + cases32.length, 'cases started');
    log<string>(stats64.summary('float64'));
    log<string>(stats32.summary('float32'));
  });
});
