// The tangent map of the running JVP: row id -> tangent row id, -1 for a symbolic zero.
// Only rows in [start, end) (the traced function's rows) can carry tangents; rows before are
// closed-over constants of this transform, which is what keeps nested transforms from
// confusing their perturbations.
let map: usize = 0;
let start: i32 = 0;
let end: i32 = 0;

export function tangentOf(x: i32): i32 {
  return x >= start && x < end ? load<i32>(map + (<usize>(x - start) << 2)) : -1;
}

export function setTangent(x: i32, t: i32): void {
  store<i32>(map + (<usize>(x - start) << 2), t);
}

export function tangentMap(): usize { return map; }
export function tangentStart(): i32 { return start; }
export function tangentEnd(): i32 { return end; }

/** Install a map (the caller saves and restores the previous one). */
export function installTangents(m: usize, s: i32, e: i32): void { map = m; start = s; end = e; }
