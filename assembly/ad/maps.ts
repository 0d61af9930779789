// The maps of the running transforms: tangents (row -> tangent row, for jvp) and cotangents
// (linear row -> accumulated cotangent row, for transpose), -1 meaning a symbolic zero. Each
// covers a row range [lo, hi); rows outside are constants of that transform, which is what keeps
// nested transforms from confusing their perturbations.
//
// Transforms nest (a rule may emit rows that run another transform; a custom rule will call back
// into the host, which may transform again), so entering one pushes a frame that saves the maps
// it replaces and leaving pops it. A trap unwinds no wasm code: the host records `depth()` before
// each call and `unwind`s to it when the call fails, so no map is left installed.
import { isLinear, addHeld } from './tape';
import { addT } from './builder';
import { fail, E_PARAMS } from '../errors';

export const TANGENTS = 0, COTANGENTS = 1, BATCH = 2;

let tMap: usize = 0, tLo: i32 = 0, tHi: i32 = 0;
let cMap: usize = 0, cLo: i32 = 0, cHi: i32 = 0;

const MAX_DEPTH = 256;
const FRAME = 16; // kind, map, lo, hi
const frames: usize = heap.alloc(<usize>MAX_DEPTH * FRAME);
let nFrames: i32 = 0;

/** Install a map of `kind` over [lo, hi), saving the one it replaces. */
export function enter(kind: i32, map: usize, lo: i32, hi: i32): void {
  if (nFrames >= MAX_DEPTH) fail(E_PARAMS);
  const f = frames + <usize>nFrames * FRAME;
  store<i32>(f, kind);
  if (kind == TANGENTS) {
    store<usize>(f, tMap, 4); store<i32>(f, tLo, 8); store<i32>(f, tHi, 12);
    tMap = map; tLo = lo; tHi = hi;
  } else if (kind == BATCH) { // a vmap level: lo = its id, hi = its batch size (vmap.ts)
    store<usize>(f, 0, 4); store<i32>(f, lo, 8); store<i32>(f, hi, 12);
    nBatch++;
  } else {
    store<usize>(f, cMap, 4); store<i32>(f, cLo, 8); store<i32>(f, cHi, 12);
    cMap = map; cLo = lo; cHi = hi;
  }
  nFrames++;
}

/** Restore the map the last `enter` replaced. */
export function leave(): void {
  nFrames--;
  const f = frames + <usize>nFrames * FRAME;
  const map = load<usize>(f, 4), lo = load<i32>(f, 8), hi = load<i32>(f, 12), kind = load<i32>(f);
  if (kind == TANGENTS) { tMap = map; tLo = lo; tHi = hi; } else if (kind == BATCH) nBatch--; else { cMap = map; cLo = lo; cHi = hi; }
}

let nBatch = 0;
/** Is any vmap level open? (One load on every emission.) */
@inline export function batching(): bool { return nBatch > 0; }
/** The batch size of open vmap level `id`, or -1 when that level is closed. */
export function batchSizeOf(id: i32): i32 {
  for (let i = nFrames - 1; i >= 0; i--) {
    const f = frames + <usize>i * FRAME;
    if (load<i32>(f) == BATCH && load<i32>(f, 8) == id) return load<i32>(f, 12);
  }
  return -1;
}

export function depth(): i32 { return nFrames; }
/** Pop frames down to `d` (after a trap left some behind). */
export function unwind(d: i32): void { while (nFrames > max(d, 0)) leave(); }

// ---------------------------------------------------------------- tangents

export function tangentOf(x: i32): i32 {
  return x >= tLo && x < tHi ? load<i32>(tMap + (<usize>(x - tLo) << 2)) : -1;
}
export function setTangent(x: i32, t: i32): void {
  if (x >= tLo && x < tHi) store<i32>(tMap + (<usize>(x - tLo) << 2), t);
}

// ---------------------------------------------------------------- cotangents

export function cotangentOf(x: i32): i32 {
  return x >= cLo && x < cHi ? load<i32>(cMap + (<usize>(x - cLo) << 2)) : -1;
}
// Rows whose last map slot let go of them during the current transpose rule: candidates for
// the transpose's release of dead buffers (transpose.ts). A bounded list; overflow only means
// fewer buffers are reused.
const MAX_DROPPED = 4096;
const dropped: usize = heap.alloc(<usize>MAX_DROPPED << 2);
let nDropped = 0;
export function droppedCount(): i32 { return nDropped; }
export function droppedAt(i: i32): i32 { return load<i32>(dropped + (<usize>i << 2)); }
export function clearDropped(): void { nDropped = 0; }

/** Put c in x's cotangent slot, keeping the rows' held counts (the map's references to them). */
function storeCotangent(p: usize, c: i32): void {
  const old = load<i32>(p);
  if (old == c) return;
  store<i32>(p, c);
  if (c >= 0) addHeld(c, 1);
  if (old >= 0 && addHeld(old, -1) == 0 && nDropped < MAX_DROPPED) store<i32>(dropped + (<usize>(nDropped++) << 2), old);
}

/** Drop x's cotangent (its transpose rule has consumed it). */
export function dropCotangent(x: i32): void {
  if (x >= cLo && x < cHi) storeCotangent(cMap + (<usize>(x - cLo) << 2), -1);
}

/** ct[x] += c, for linear rows only (constants of the linear program get no cotangent). */
export function accumulate(x: i32, c: i32): void {
  if (c < 0 || x < cLo || x >= cHi || !isLinear(x)) return;
  const p = cMap + (<usize>(x - cLo) << 2);
  storeCotangent(p, addT(load<i32>(p), c));
}
