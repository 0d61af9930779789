// Vectorized transcendental math (f32x4 / f64x2).
// Temporary scalar-lane fallbacks; being replaced by SIMD implementations.

export function exp_f32x4(x: v128): v128 {
  let r = x;
  r = f32x4.replace_lane(r, 0, Mathf.exp(f32x4.extract_lane(x, 0)));
  r = f32x4.replace_lane(r, 1, Mathf.exp(f32x4.extract_lane(x, 1)));
  r = f32x4.replace_lane(r, 2, Mathf.exp(f32x4.extract_lane(x, 2)));
  r = f32x4.replace_lane(r, 3, Mathf.exp(f32x4.extract_lane(x, 3)));
  return r;
}
export function log_f32x4(x: v128): v128 {
  let r = x;
  r = f32x4.replace_lane(r, 0, Mathf.log(f32x4.extract_lane(x, 0)));
  r = f32x4.replace_lane(r, 1, Mathf.log(f32x4.extract_lane(x, 1)));
  r = f32x4.replace_lane(r, 2, Mathf.log(f32x4.extract_lane(x, 2)));
  r = f32x4.replace_lane(r, 3, Mathf.log(f32x4.extract_lane(x, 3)));
  return r;
}
export function sin_f32x4(x: v128): v128 {
  let r = x;
  r = f32x4.replace_lane(r, 0, Mathf.sin(f32x4.extract_lane(x, 0)));
  r = f32x4.replace_lane(r, 1, Mathf.sin(f32x4.extract_lane(x, 1)));
  r = f32x4.replace_lane(r, 2, Mathf.sin(f32x4.extract_lane(x, 2)));
  r = f32x4.replace_lane(r, 3, Mathf.sin(f32x4.extract_lane(x, 3)));
  return r;
}
export function cos_f32x4(x: v128): v128 {
  let r = x;
  r = f32x4.replace_lane(r, 0, Mathf.cos(f32x4.extract_lane(x, 0)));
  r = f32x4.replace_lane(r, 1, Mathf.cos(f32x4.extract_lane(x, 1)));
  r = f32x4.replace_lane(r, 2, Mathf.cos(f32x4.extract_lane(x, 2)));
  r = f32x4.replace_lane(r, 3, Mathf.cos(f32x4.extract_lane(x, 3)));
  return r;
}
export function tanh_f32x4(x: v128): v128 {
  let r = x;
  r = f32x4.replace_lane(r, 0, Mathf.tanh(f32x4.extract_lane(x, 0)));
  r = f32x4.replace_lane(r, 1, Mathf.tanh(f32x4.extract_lane(x, 1)));
  r = f32x4.replace_lane(r, 2, Mathf.tanh(f32x4.extract_lane(x, 2)));
  r = f32x4.replace_lane(r, 3, Mathf.tanh(f32x4.extract_lane(x, 3)));
  return r;
}
export function pow_f32x4(x: v128, y: v128): v128 {
  let r = x;
  r = f32x4.replace_lane(r, 0, Mathf.pow(f32x4.extract_lane(x, 0), f32x4.extract_lane(y, 0)));
  r = f32x4.replace_lane(r, 1, Mathf.pow(f32x4.extract_lane(x, 1), f32x4.extract_lane(y, 1)));
  r = f32x4.replace_lane(r, 2, Mathf.pow(f32x4.extract_lane(x, 2), f32x4.extract_lane(y, 2)));
  r = f32x4.replace_lane(r, 3, Mathf.pow(f32x4.extract_lane(x, 3), f32x4.extract_lane(y, 3)));
  return r;
}

export function exp_f64x2(x: v128): v128 {
  let r = x;
  r = f64x2.replace_lane(r, 0, Math.exp(f64x2.extract_lane(x, 0)));
  r = f64x2.replace_lane(r, 1, Math.exp(f64x2.extract_lane(x, 1)));
  return r;
}
export function log_f64x2(x: v128): v128 {
  let r = x;
  r = f64x2.replace_lane(r, 0, Math.log(f64x2.extract_lane(x, 0)));
  r = f64x2.replace_lane(r, 1, Math.log(f64x2.extract_lane(x, 1)));
  return r;
}
export function sin_f64x2(x: v128): v128 {
  let r = x;
  r = f64x2.replace_lane(r, 0, Math.sin(f64x2.extract_lane(x, 0)));
  r = f64x2.replace_lane(r, 1, Math.sin(f64x2.extract_lane(x, 1)));
  return r;
}
export function cos_f64x2(x: v128): v128 {
  let r = x;
  r = f64x2.replace_lane(r, 0, Math.cos(f64x2.extract_lane(x, 0)));
  r = f64x2.replace_lane(r, 1, Math.cos(f64x2.extract_lane(x, 1)));
  return r;
}
export function tanh_f64x2(x: v128): v128 {
  let r = x;
  r = f64x2.replace_lane(r, 0, Math.tanh(f64x2.extract_lane(x, 0)));
  r = f64x2.replace_lane(r, 1, Math.tanh(f64x2.extract_lane(x, 1)));
  return r;
}
export function pow_f64x2(x: v128, y: v128): v128 {
  let r = x;
  r = f64x2.replace_lane(r, 0, Math.pow(f64x2.extract_lane(x, 0), f64x2.extract_lane(y, 0)));
  r = f64x2.replace_lane(r, 1, Math.pow(f64x2.extract_lane(x, 1), f64x2.extract_lane(y, 1)));
  return r;
}
