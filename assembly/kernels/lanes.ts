// Partial SIMD loads and stores for the scalar tails of f32x4 loops (shared by the kernel families).

// Loads r (1..3) f32 lanes from p, remaining lanes zero.
@inline export function loadPart32(p: usize, r: i32): v128 {
  let v = v128.load32_zero(p);
  if (r > 1) v = v128.load32_lane(p, v, 1, 4);
  if (r > 2) v = v128.load32_lane(p, v, 2, 8);
  return v;
}

// Stores the first r (1..3) f32 lanes of v to p.
@inline export function storePart32(p: usize, v: v128, r: i32): void {
  v128.store32_lane(p, v, 0);
  if (r > 1) v128.store32_lane(p, v, 1, 4);
  if (r > 2) v128.store32_lane(p, v, 2, 8);
}
