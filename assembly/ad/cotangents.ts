// The cotangent map of the running transpose: linear row id -> accumulated cotangent row.
import { isLinear } from './tape';
import { addT } from './builder';

let map: usize = 0;
let lo: i32 = 0;
let hi: i32 = 0;

export function cotangentOf(x: i32): i32 {
  return x >= lo && x < hi ? load<i32>(map + (<usize>(x - lo) << 2)) : -1;
}

/** ct[x] += c, for linear rows only (constants of the linear program get no cotangent). */
export function accumulate(x: i32, c: i32): void {
  if (c < 0 || x < lo || x >= hi || !isLinear(x)) return;
  const p = map + (<usize>(x - lo) << 2);
  store<i32>(p, addT(load<i32>(p), c));
}

export function installCotangents(m: usize, l: i32, h: i32): void { map = m; lo = l; hi = h; }
export function cotangentMap(): usize { return map; }
export function cotangentLo(): i32 { return lo; }
export function cotangentHi(): i32 { return hi; }
