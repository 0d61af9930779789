// The op list: one line per primitive. Rules and kernels for each live in
// assembly/ad/rules/<family>.ts and assembly/kernels/<family>.ts; the TS layer looks opcodes
// up by name through the ABI (opCount/opName), so this list is the only place they are numbered.
export const CONST = 0;       // leaf: a value baked into the tape (uploaded by the host). params: dtype, shape...
export const PLACEHOLDER = 1; // leaf: a linearization seed, never has a value. params: dtype, shape...
export const FULL = 2;        // leaf: filled with a scalar. params: dtype, f64 lo, f64 hi, shape...
export const COPY = 3;        // identity (a fresh SSA id for a transform's argument)
export const NEG = 4;
export const EXP = 5;
export const LOG = 6;
export const SIN = 7;
export const COS = 8;
export const TANH = 9;
export const SQRT = 10;
export const ADD = 11;
export const SUB = 12;
export const MUL = 13;
export const DIV = 14;
export const POW = 15;
export const LT = 16;
export const LE = 17;
export const GT = 18;
export const GE = 19;
export const EQ = 20;
export const NE = 21;
export const SELECT = 22;     // (cond: bool, on_true, on_false)
export const CONVERT = 23;    // params: dtype
export const SUM = 24;        // params: axes (sorted)
export const BROADCAST_IN_DIM = 25; // params: out shape..., dims... (JAX's broadcast_in_dim)
export const RESHAPE = 26;    // params: new shape
export const TRANSPOSE = 27;  // params: perm
export const DOT_GENERAL = 28; // JAX's dot_general. params: nb, nc, lhs batch, rhs batch, lhs contracting, rhs contracting
export const INPUT = 29;      // leaf: a program input, bound by the host before each run. params: dtype, shape...
export const PROJ = 30;       // output i of the tuple row before it (operand: that row). params: i
export const CONCATENATE = 31; // variadic operands joined along an axis. params: axis
export const SPLIT = 32;      // tuple row: the operand cut along an axis. params: axis, sizes...
export const MAX = 33; // elementwise max; the value at a tie is x, the gradient splits 0.5/0.5 (JAX)
export const MIN = 34;
export const REM = 35; // truncated remainder (C fmod for floats; XLA: x % 0 = x)
export const AND = 36;
export const OR = 37;
export const XOR = 38;
export const NOT = 39;
export const SHL = 40;
export const SHR_A = 41; // arithmetic shift right (counts >= 32: sign fill, as XLA)
export const SHR_L = 42;
export const ABS = 43;
export const SIGN = 44;
export const FLOOR = 45;
export const CEIL = 46;
export const ROUND = 47; // half to even
export const TRUNC = 48;
export const IS_FINITE = 49;
export const EXPM1 = 50;
export const LOG1P = 51;
export const EXP2 = 52;
export const LOG2 = 53;
export const LOG10 = 54;
export const CBRT = 55;
export const TAN = 56;
export const ASIN = 57;
export const ACOS = 58;
export const ATAN = 59;
export const SINH = 60;
export const COSH = 61;
export const ASINH = 62;
export const ACOSH = 63;
export const ATANH = 64;
export const ERF = 65;
export const ERFC = 66;
export const ERF_INV = 67;
export const LGAMMA = 68;
export const DIGAMMA = 69;
export const POLYGAMMA = 70; // params: n >= 1 (trigamma is n = 1)
export const ATAN2 = 71; // (y, x)
export const HYPOT = 72;
export const THREEFRY2X32 = 73; // (key: u32[2], counts: u32[...]) -> u32 bits (JAX's threefry_2x32 layout)
export const RANDOM_FLOAT = 74; // (bits: u32) -> floats as jax.random draws them. params: dtype, dist (0 uniform, 1 normal)
export const CHOLESKY = 75;   // lower Cholesky factor of [..., n, n] (reads the lower triangle)
export const TRIANGULAR_SOLVE = 76; // (a, b) -> x, op(a) x = b or x op(a) = b. params: left, lower, transpose_a, unit_diagonal
export const LU = 77;         // tuple: (lu, perm: i32, P, parity) of [..., n, n], P A = L U (partial pivoting)
export const REDUCE_MAX = 78; // params: axes (sorted). NaN-propagating
export const REDUCE_MIN = 79; // params: axes (sorted)
export const ARGMAX = 80;     // int32 index of the first max along an axis (NaN counts as max). params: axis
export const ARGMIN = 81;     // params: axis
export const STOP_GRADIENT = 82; // identity with a zero derivative (JAX's stop_gradient)
export const GATHER = 83;     // XLA gather (x, int32 indices [..., K]). params: mode (0 clip, 1 fill), fill (0 zero, 1 NaN),
                              // n, offset dims..., n, collapsed slice dims..., n, start index map..., slice sizes...
export const SCATTER_ADD = 84; // XLA scatter with add (x, int32 indices [..., K], updates). params: mode (0 clip, 1 drop),
                              // n, update window dims..., n, inserted window dims..., n, scatter dims to operand dims...
export const ARGSORT = 85;    // int32 permutation sorting along an axis: stable, NaNs last. params: axis, descending
export const SEARCHSORTED = 86; // int32 insertion points of v (any shape) in a sorted 1-d a. params: side (0 left, 1 right)
export const IOTA = 87;       // leaf: indices along one axis. params: dtype, dimension, shape...
export const QR = 88;         // tuple: (q [..., m, kq], r [..., kq, n]) with a = q r. params: complete (kq = m, else min(m, n))
export const EIGH = 89;       // tuple: (w [..., n] ascending, v [..., n, n]) of (a + a^T) / 2 = v diag(w) v^T
export const SVD = 90;        // tuple: (s [..., k] descending, u [..., m, ku], vt [..., kv, n]). params: full_matrices
export const DET = 91;        // determinant of [..., n, n] by LU; JVP by JAX's cofactor solve (finite at rank n-1)
export const REAL = 92;       // real part of a complex operand (real out)
export const IMAG = 93;       // imaginary part
export const COMPLEX = 94;    // (re, im) of one real float dtype -> complex
export const CONJ = 95;       // complex conjugate
export const FUSED = 96;      // a chain of elementwise rows run as one loop over cache-sized blocks (jit's fusion pass,
                              // fuse.ts). params: dtype, ndim, shape..., then its program (rules/fused.ts)
export const CUMSUM = 97;     // running sums along one axis. params: axis, reverse (0 or 1)
export const LU_SOLVE = 98;    // (pa, lu, b) -> x with pa x = b (transpose 1: pa^T x = b), solved with lu, the packed factors
                              // of pa (L U = pa: a row-permuted A). The derivative enters through pa (custom_linear_solve's
                              // dx = pa^-1 (db - dpa x)); lu's tangent is never read. params: transpose
export const CUSTOM_CALL = 99;  // tuple: f's outputs under a host rule (customJvp/customVjp, rules/custom.ts). (k inputs, m outputs
                              // of f, residuals, c closed-over values); params: record, k, levels, m, c
export const CUSTOM_LINEAR = 100; // tuple: a linearized customVjp call, staged; its transpose is the host's bwd. (k tangents,
                              // q residuals); params: record, k, levels, then per output dtype, ndim, dims...
export const WHILE = 101;       // tuple: lax.while_loop as one row holding its cond and body as frozen tapes (rules/control.ts).
                              // (n carries, cc cond consts, bc body consts); params: n, cc, bc, cond words, body words,
                              // then the two frozen blocks (freeze.ts) word by word: they travel with the row when it is copied
export const SCAN = 102;        // tuple: lax.scan as one row holding its body as a frozen tape (rules/control.ts).
                              // (nc carries, nx xs stacked along a leading axis of length, bc body consts); params: nc, nx,
                              // bc, length, reverse, body words, then the frozen block word by word. Outputs: carries, ys stacked
export const COND = 103;        // tuple: lax.cond/switch as one row holding each branch as a frozen tape (rules/control.ts).
                              // (int32 index, na operands, each branch's consts); params: nb, na, per branch its consts' count,
                              // per branch its words, then the blocks. Runs branch clamp(index, 0, nb - 1)
export const CHECKPOINT = 104;  // tuple: jax.checkpoint under jit: a one-branch cond row (same operands and params, rules/control.ts)
                              // whose linearization keeps only its inputs and recomputes the branch in the backward pass
export const BITCAST_CONVERT_TYPE = 105; // the operand's bits read as another dtype (JAX's bitcast_convert_type). params: dtype.
                              // Same width: same shape; float64 -> 32-bit: a trailing axis of 2 (low word first);
                              // 32-bit -> float64: the trailing axis of 2 removed. No derivative (JAX's defjvp_zero)
export const EIG = 106;          // tuple: (w complex [..., n], v complex [..., n, n]) with a v = v diag(w), the general
                              // (nonsymmetric) eigendecomposition; v's columns of unit 2-norm, a complex eigenvalue's (every
                              // one for complex a) turned so its largest component is real (LAPACK geev's, as numpy). float32
                              // -> complex64, float64 -> complex128; eigenvalues unsorted (the QR iteration's order).
                              // Optional param: 0 = eigenvalues alone (eigvals; v NaN), 1 or none = both
export const PSUM = 107;         // psum over a named vmap axis (rules/collective.ts). params: the level id, its size. Per
                              // example the operand's shape; a value not varying along that axis gives size * x
export const NUM_OPS = 108;
