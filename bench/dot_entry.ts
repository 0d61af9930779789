// The matrix-product kernels on their own, for bench/ab_dot.ts: compile from a tree with
// `npx asc bench/dot_entry.ts -O3 --noAssert --enable simd --runtime stub -o OUT.wasm`, and with
// `--enable simd,relaxed-simd` for the FMA build's kernels.
export { dot_f32, dot_f64, dot_tn_f32, dot_nt_f32 } from '../assembly/kernels/dot';
export function alloc(n: usize): usize { return heap.alloc(n); }
