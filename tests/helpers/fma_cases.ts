// The cases tests/fma.test.ts runs in child processes (tests/helpers/fma_child.ts) under both
// wasm builds: their inputs, made here in plain JS so that the parent computes its float64
// references from the very numbers the child hands to cotangent.

export type Dtype = 'float32' | 'float64';

/**
 * One matrix product: out[t] = a[t] (m x k) @ b[t] (k x n), or with `nt` the rhs stored as
 * n x k and contracted on its last axis (lax.dotGeneral; the dot_nt kernels while m <= 16), or
 * with `tn` the lhs stored as k x m and contracted on its first axis (x^T y, a weight gradient:
 * the dot_tn kernels, which pack A from its columns).
 */
export interface ProductCase { dtype: Dtype; batch: number; m: number; k: number; n: number; nt: boolean; what: string; tn?: boolean }

/** Random products: every path of the kernels (rows, narrow, packed with edge tiles, k blocks and m blocks, axpy, NT). */
export const PRODUCTS: ProductCase[] = (['float32', 'float64'] as const).flatMap((dtype) => [
  [1, 1, 1, 1, false, 'a 1x1 product'],
  [1, 7, 9, 5, false, 'narrow (n below the tile width)'],
  [1, 3, 40, 70, false, 'rows (m < 4), ragged columns'],
  [1, 33, 17, 65, false, 'packed, edge tiles in m and n'],
  [1, 64, 64, 64, false, 'packed, whole tiles'],
  [1, 130, 20, 9, false, 'packed, m above one row block'],
  [1, 5, 300, 12, false, 'packed, k above one k block'],
  [3, 13, 37, 11, false, 'batched, packed edge tiles'],
  [2, 1, 1024, 130, false, 'batched matrix-vector rows'],
  [1, 2, 301, 451, false, 'rows, large B (axpy form)'],
  [1, 5, 70, 33, true, 'NT layout'],
  [2, 16, 33, 8, true, 'NT layout, batched'],
  [1, 15, 130, 14, true, 'NT layout, odd rows, columns past whole tiles of 4'],
  [1, 2, 4100, 5, true, 'NT layout, k above DOT_BLOCK (float sums in blocks)'],
  // The FMA build's row groups: 6 high, ending in 4-high ones where 1 or 2 rows are over.
  [1, 128, 40, 24, false, 'packed, 128 rows (6-row groups, then two 4-row groups)'],
  [1, 8, 30, 17, false, 'packed, 8 rows (two 4-row groups), edge columns'],
  [1, 134, 9, 16, false, 'packed, a second row block of 2 rows'],
  [1, 19, 11, 8, false, 'packed, 19 rows (6 + 6 + 4 + 4, one padded)'],
].map(([batch, m, k, n, nt, what]) => ({ dtype, batch, m, k, n, nt, what } as ProductCase)).concat(([
  [1, 128, 40, 24, 'TN layout (x^T y), 128 rows'],
  [1, 19, 300, 33, 'TN layout, 19 rows, k above one k block, edge columns'],
  [1, 140, 17, 9, 'TN layout, two row blocks'],
] as const).map(([batch, m, k, n, what]) => ({ dtype, batch, m, k, n, nt: false, tn: true, what }))));

/** Deterministic values in [-1, 1) (an LCG), rounded to the dtype so both sides see the same numbers. */
export function values(len: number, seed: number, dtype: Dtype): Float64Array {
  const out = new Float64Array(len);
  let s = seed >>> 0;
  for (let i = 0; i < len; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const v = s / 2 ** 31 - 1;
    out[i] = dtype === 'float32' ? Math.fround(v) : v;
  }
  return out;
}

export function productInputs(c: ProductCase, seed: number): { a: Float64Array; b: Float64Array } {
  return { a: values(c.batch * c.m * c.k, seed, c.dtype), b: values(c.batch * c.k * c.n, seed + 7919, c.dtype) };
}

/**
 * A product where fusing decides the answer. Every element of out is 1 * c + h * h over the
 * products (all others are exact zeros), with h = 1 + 2^-e and c = -(1 + 2^-(e-1)): h * h =
 * 1 + 2^-(e-1) + 2^-2e exactly, which rounds to -c in the dtype (a tie, to even). So a multiply
 * then add gives 0, a fused multiply-add gives the exact 2^-2e (e = 12 for float32, 27 for
 * float64). `p0` and `p1` are the positions along k of the two products: each kernel must meet
 * them in one accumulation chain with c first (the lanes and groups differ per kernel). `sparse`:
 * the lhs is zero elsewhere (the sparse path); else it is ones, the rhs rows zero.
 */
export interface FusedCase { dtype: Dtype; m: number; k: number; n: number; p0: number; p1: number; nt: boolean; sparse: boolean; what: string }

export const FUSED: FusedCase[] = (['float32', 'float64'] as const).flatMap((dtype) => {
  const lanePair = dtype === 'float32' ? 8 : 4; // dotRow: two vectors of accumulators, p and p + 2 * lanes share a lane
  const rows: [number, number, number, number, number, boolean, boolean, string][] = [
    [1, 16, 9, 0, 1, false, false, 'rows: vector columns and a scalar tail column'],
    [2, 40, 70, 0, 9, false, false, 'rows (m < 4), vectors of 16, 4 and a scalar tail'],
    [1, 16, 40001, 8, 9, false, false, 'rows, large B: axpy groups of four rows, scalar tail'],
    [1, 6, 40001, 0, 4, false, false, 'rows, large B: axpy single-row remainder, scalar tail'],
    [5, 16, 3, 0, lanePair, false, false, 'narrow: vector dot products'],
    [5, 3, 3, 0, 2, false, false, 'narrow: the scalar tail of a dot product'],
    [9, 40, 19, 0, 9, false, false, 'packed micro-kernel, edge tiles'],
    [5, 300, 12, 260, 270, false, false, 'packed, second k block'],
    [8, 64, 17, 3, 40, false, true, 'sparse lhs (axpy of the picked rows), scalar tail'],
    [3, 16, 10, 0, lanePair, true, false, 'NT layout: vector dot products'],
    [3, 3, 10, 0, 2, true, false, 'NT layout: the scalar tail of a dot product'],
  ];
  return rows.map(([m, k, n, p0, p1, nt, sparse, what]) => ({ dtype, m, k, n, p0, p1, nt, sparse, what }));
});

/** h and c of a FusedCase's dtype, and the exact answer 2^-2e. */
export function fusedConstants(dtype: Dtype): { h: number; c: number; exact: number } {
  const e = dtype === 'float32' ? 12 : 27;
  return { h: 1 + 2 ** -e, c: -(1 + 2 ** -(e - 1)), exact: 2 ** (-2 * e) };
}

/** The lhs (m x k) and rhs (k x n, or n x k with nt) of a FusedCase. */
export function fusedInputs(f: FusedCase): { a: Float64Array; b: Float64Array } {
  const { h, c } = fusedConstants(f.dtype);
  const a = new Float64Array(f.m * f.k).fill(f.sparse ? 0 : 1);
  const b = new Float64Array(f.k * f.n);
  for (let i = 0; i < f.m; i++) {
    a[i * f.k + f.p0] = 1;
    a[i * f.k + f.p1] = h;
  }
  for (let j = 0; j < f.n; j++) {
    b[f.nt ? j * f.k + f.p0 : f.p0 * f.n + j] = c;
    b[f.nt ? j * f.k + f.p1 : f.p1 * f.n + j] = h;
  }
  return { a, b };
}

/**
 * Factorizations whose trailing updates go through the packed micro-kernel (kernels/linalg.ts:
 * blocks of 64, updates of at least 48 rows): the Cholesky factor of a = m m^T + n I and the
 * solution of a x = b (LU), with n = 150.
 */
export const LINALG_N = 150;

export function linalgInputs(dtype: Dtype): { a: Float64Array; b: Float64Array } {
  const n = LINALG_N, m = values(n * n, 77, 'float64'), a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = i === j ? n : 0;
    for (let p = 0; p < n; p++) s += m[i * n + p] * m[j * n + p];
    a[i * n + j] = dtype === 'float32' ? Math.fround(s) : s;
  }
  return { a, b: values(n * 3, 78, dtype) };
}

/** The MLP whose gradient both builds compute: 64-32-10, tanh, softmax cross-entropy, batch 16. */
export const MLP = { din: 64, dh: 32, dout: 10, batch: 16 };
