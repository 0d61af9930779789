// The elementwise kernels on their own, for bench/ab_kernels.ts: compile from a tree with
// `npx asc bench/kernels_entry.ts -O3 --noAssert --enable simd --runtime stub -o OUT.wasm`.
export { map_f64, map_f32, simd_f32, atan2_f64, atan2_f32, hypot_f64, hypot_f32, rem_f64, rem_f32, polygamma_f64, polygamma_f32 } from '../assembly/kernels/elementwise';
export { argsort_f32, argsort_f64 } from '../assembly/kernels/sort';
export function alloc(n: usize): usize { return heap.alloc(n); }
