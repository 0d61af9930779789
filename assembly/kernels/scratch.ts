// Kernel scratch: a few buffers that kernels reuse from call to call (packed matmul panels,
// reduction intermediates), grown when a call needs more and never freed per call. Allocating
// and freeing them on every call would leave holes between long-lived heap blocks (frozen tapes)
// that TLSF cannot hand back for the same size, slowing every kernel that needs one.
import { heapSize } from '../arena';

export const SLOT_A = 0, SLOT_B = 1, SLOT_TMP = 2, SLOT_DOT = 3;
/** The factorizations' trailing updates (kernels/linalg.ts): operands and product, and the
 *  matmul's packing, apart from SLOT_DOT, which a caller of those kernels may be holding. */
export const SLOT_UPDATE = 4, SLOT_UPDATE_PACK = 5;
/** The decompositions' small vectors (kernels/decomp*.ts: diagonals, reflector scales, orders). */
export const SLOT_VEC = 6;
const SLOTS = 7;
const ptrs: usize = heap.alloc(SLOTS * sizeof<usize>());
const sizes: usize = heap.alloc(SLOTS * sizeof<usize>());
memory.fill(ptrs, 0, SLOTS * sizeof<usize>());
memory.fill(sizes, 0, SLOTS * sizeof<usize>());

/** At least `bytes` of scratch in `slot` (16-byte aligned); valid until the next call for that slot. */
export function scratch(slot: i32, bytes: usize): usize {
  const at = <usize>slot * sizeof<usize>();
  if (bytes <= load<usize>(sizes + at)) return load<usize>(ptrs + at);
  const old = load<usize>(ptrs + at);
  if (old != 0) heap.free(old);
  // forgotten before allocating: an allocation that fails aborts the call, and the slot kept the
  // freed block, which the next call of that slot wrote into (over other arrays' data)
  store<usize>(ptrs + at, 0);
  store<usize>(sizes + at, 0);
  const size = heapSize(bytes);
  const p = heap.alloc(size);
  store<usize>(ptrs + at, p);
  store<usize>(sizes + at, size);
  return p;
}

// Typed views of scratch memory, indexed like arrays (d[i], d[i] -= h) with no object behind them:
// `this` is the address of element 0. The decompositions' small vectors were StaticArrays, which
// the minimal runtime never collects (every call leaked them).
@final @unmanaged export class F64s {
  // @ts-ignore: decorator
  @inline @operator('[]') get(i: i32): f64 { return load<f64>(changetype<usize>(this) + (<usize>i << 3)); }
  // @ts-ignore: decorator
  @inline @operator('[]=') set(i: i32, v: f64): void { store<f64>(changetype<usize>(this) + (<usize>i << 3), v); }
}
@final @unmanaged export class I32s {
  // @ts-ignore: decorator
  @inline @operator('[]') get(i: i32): i32 { return load<i32>(changetype<usize>(this) + (<usize>i << 2)); }
  // @ts-ignore: decorator
  @inline @operator('[]=') set(i: i32, v: i32): void { store<i32>(changetype<usize>(this) + (<usize>i << 2), v); }
}
@final @unmanaged export class Bools {
  // @ts-ignore: decorator
  @inline @operator('[]') get(i: i32): bool { return load<u8>(changetype<usize>(this) + <usize>i) != 0; }
  // @ts-ignore: decorator
  @inline @operator('[]=') set(i: i32, v: bool): void { store<u8>(changetype<usize>(this) + <usize>i, v ? 1 : 0); }
}

/** Room for `total` 8-byte elements in SLOT_VEC, for a kernel's vectors laid side by side
 *  (f64s(base, at) is the one starting at element `at`); valid until the next call. */
export function vectors(total: i32): usize { return scratch(SLOT_VEC, <usize>max(total, 1) << 3); }
// @ts-ignore: decorator
@inline export function f64s(base: usize, at: i32): F64s { return changetype<F64s>(base + (<usize>at << 3)); }
// @ts-ignore: decorator
@inline export function i32s(base: usize, at: i32): I32s { return changetype<I32s>(base + (<usize>at << 3)); }
// @ts-ignore: decorator
@inline export function bools(base: usize, at: i32): Bools { return changetype<Bools>(base + (<usize>at << 3)); }
