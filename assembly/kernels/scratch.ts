// Kernel scratch: a few buffers that kernels reuse from call to call (packed matmul panels,
// reduction intermediates), grown when a call needs more and never freed per call. Allocating
// and freeing them on every call would leave holes between long-lived heap blocks (frozen tapes)
// that TLSF cannot hand back for the same size, slowing every kernel that needs one.
import { heapSize } from '../arena';

export const SLOT_A = 0, SLOT_B = 1, SLOT_TMP = 2, SLOT_DOT = 3;
/** The factorizations' trailing updates (kernels/linalg.ts): operands and product, and the
 *  matmul's packing, apart from SLOT_DOT, which a caller of those kernels may be holding. */
export const SLOT_UPDATE = 4, SLOT_UPDATE_PACK = 5;
const SLOTS = 6;
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
  const size = heapSize(bytes);
  const p = heap.alloc(size);
  store<usize>(ptrs + at, p);
  store<usize>(sizes + at, size);
  return p;
}
