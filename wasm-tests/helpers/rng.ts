// Deterministic pseudo-random numbers for the rule tests (xorshift32), so every run and every
// failure report sees the same inputs.
let state: u32 = 0x2545f491;

export function seed(s: u32): void { state = s == 0 ? 0x2545f491 : s; }

/** Uniform in [0, 1). */
export function rnd(): f64 {
  let s = state;
  s ^= s << 13; s ^= s >> 17; s ^= s << 5;
  state = s;
  return <f64>s / 4294967296.0;
}

export function uniform(lo: f64, hi: f64): f64 { return lo + (hi - lo) * rnd(); }

/** n values uniform in [lo, hi). */
export function uniformArray(n: i32, lo: f64, hi: f64): StaticArray<f64> {
  const a = new StaticArray<f64>(n);
  for (let i = 0; i < n; i++) a[i] = uniform(lo, hi);
  return a;
}

/** A direction: n values in [-1, 1), kept away from 0 so that no component vanishes. */
export function direction(n: i32): StaticArray<f64> {
  const a = new StaticArray<f64>(n);
  for (let i = 0; i < n; i++) {
    const m = uniform(0.25, 1.0);
    a[i] = rnd() < 0.5 ? -m : m;
  }
  return a;
}

/** A 0/1 mask of n elements, mixed whenever n >= 2 (element 0 true, element 1 false). */
export function mask(n: i32): StaticArray<f64> {
  const a = new StaticArray<f64>(n);
  for (let i = 0; i < n; i++) a[i] = rnd() < 0.5 ? 0.0 : 1.0;
  if (n >= 1) a[0] = 1.0;
  if (n >= 2) a[1] = 0.0;
  return a;
}
