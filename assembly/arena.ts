// Arenas: bump allocators for a growable tape's columns, pools and intermediate buffers. Each
// growable tape owns one; the eager trace's arena is reset by the outermost transform call, so
// intermediates cost no free() and user Arrays (which own their data: in JS memory or in heap blocks of
// their own) never need dispose().
// Chunks come from the runtime heap (TLSF) and are kept across resets (up to MAX_KEPT bytes):
// a reset starts again at the first chunk, so a loop of identical calls reuses the same chunks
// and never asks the heap again (re-allocating them could not reuse holes that long-lived
// blocks, such as frozen tapes, have since split).
import { setError, E_OOM } from './errors';

const ALIGN: usize = 16;
const MIN_CHUNK: usize = 1 << 20;
// Coalescing keeps at most this much between runs; beyond it the chunks go back to the heap,
// so one huge run does not pin gigabytes that kernels' own scratch may need later.
const MAX_KEPT: usize = 64 << 20;
const MAX_CHUNKS: i32 = 64;
// Released buffers are reused by exact size (a power-of-two table of sizes).
const FREE_SLOTS: i32 = 64;
const MIN_RELEASE: usize = 256;
// Largest single request: TLSF's largest block is 1 GiB minus its 4-byte header (BLOCK_MAXSIZE)
// and it traps past that, so one array holds at most 1 GiB - 16 bytes (16-byte granules).
export const MAX_REQUEST: usize = (1 << 30) - 16;
// Geometric growth stops here, well below TLSF's largest block; a bigger request gets a chunk
// of exactly its own size.
const MAX_GEOMETRIC: usize = 512 << 20;

/**
 * `n` rounded up to the start of a TLSF size class (16 classes per power of two). TLSF looks for
 * a free block from the class *above* a request's unless the request starts a class, so a freed
 * block of exactly the size asked for again would be passed over and memory would grow: every
 * long-lived block asks for a class-start size (at most 1/16 more), so identical blocks reuse
 * each other's holes.
 */
export function heapSize(n: usize): usize {
  if (n < 256) return (n + 15) & ~<usize>15;
  const step: usize = <usize>1 << (<usize>(31 - clz<u32>(<u32>n)) - 4);
  // (never past the largest block: from ~0.94 GiB up the class start would be 1 GiB, a TLSF trap)
  return min<usize>((n + step - 1) & ~(step - 1), max<usize>(n, MAX_REQUEST));
}

/** Room the heap can still grow into, in bytes (wasm32: 4 GiB in all). */
function headroom(): usize {
  const pages = <u64>memory.size();
  return <usize>min<u64>((<u64>65536 - pages) << 16, <u64>0xffff_0000);
}

@unmanaged export class Arena {
  chunks: usize = 0; // usize[MAX_CHUNKS]: base of each chunk
  sizes: usize = 0; // usize[MAX_CHUNKS]: size of each chunk
  nChunks: i32 = 0;
  idx: i32 = -1; // the chunk being filled
  top: usize = 0; // next free byte in the current chunk
  end: usize = 0; // end of the current chunk
  used: usize = 0; // bytes handed out since the last reset (statistics)
  // Released buffers, by exact size: FREE_SLOTS (size, head) pairs; a freed buffer's first word
  // links to the next one of its size. Emptied on reset.
  free: usize = 0;
  minChunk: usize = 0; // the first chunk's size (later ones grow geometrically)

  static create(minChunk: usize = MIN_CHUNK): Arena {
    const a = changetype<Arena>(heap.alloc(offsetof<Arena>()));
    a.minChunk = minChunk;
    a.chunks = heap.alloc(<usize>MAX_CHUNKS * sizeof<usize>());
    a.sizes = heap.alloc(<usize>MAX_CHUNKS * sizeof<usize>());
    a.nChunks = 0; a.idx = -1; a.top = 0; a.end = 0; a.used = 0;
    a.free = heap.alloc(<usize>FREE_SLOTS * 2 * sizeof<usize>());
    memory.fill(a.free, 0, <usize>FREE_SLOTS * 2 * sizeof<usize>());
    return a;
  }

  /** Give every chunk back to the heap, then the arena itself. */
  destroy(): void {
    this.releaseChunks();
    heap.free(this.free);
    heap.free(this.chunks);
    heap.free(this.sizes);
    heap.free(changetype<usize>(this));
  }

  private sizeAt(i: i32): usize { return load<usize>(this.sizes + <usize>i * sizeof<usize>()); }
  private baseAt(i: i32): usize { return load<usize>(this.chunks + <usize>i * sizeof<usize>()); }

  private releaseChunks(): void {
    for (let i = 0; i < this.nChunks; i++) heap.free(this.baseAt(i));
    this.nChunks = 0; this.idx = -1; this.top = 0; this.end = 0;
  }

  /** Make chunk i the one being filled. */
  private use(i: i32): void {
    this.idx = i;
    this.top = (this.baseAt(i) + ALIGN - 1) & ~(ALIGN - 1);
    this.end = this.baseAt(i) + this.sizeAt(i);
  }

  private newChunk(bytes: usize): bool {
    if (this.nChunks >= MAX_CHUNKS) return false;
    // heap.alloc returns 16-byte aligned blocks (TLSF's AL_SIZE), so a chunk of `bytes` fits them.
    let size = max<usize>(this.minChunk, bytes);
    // Grow geometrically so a big run needs few chunks, unless that would not fit.
    if (this.nChunks > 0) size = max<usize>(size, min<usize>(this.sizeAt(this.nChunks - 1) << 1, MAX_GEOMETRIC));
    if (size > MAX_REQUEST || size > headroom()) size = bytes;
    if (size > MAX_REQUEST) return false;
    // Past the pages memory can still grow by, the heap may still hold a free block this size (a
    // large op's buffers, freed): try it. Refusing here made every later large call fail once
    // memory had grown near 4 GiB, with gigabytes free. With no such block the allocator traps,
    // which the host reports as out of memory (ts/core/trace.ts, guarded).
    const base = heap.alloc(size);
    store<usize>(this.chunks + <usize>this.nChunks * sizeof<usize>(), base);
    store<usize>(this.sizes + <usize>this.nChunks * sizeof<usize>(), size);
    this.nChunks++;
    this.use(this.nChunks - 1);
    return true;
  }

  /** 16-byte aligned bytes, or 0 (with E_OOM set) when memory is exhausted; `fresh`: never a released buffer. */
  alloc(bytes: usize, fresh: bool = false): usize {
    if (bytes > MAX_REQUEST) { setError(E_OOM); return 0; }
    const n = (bytes + ALIGN - 1) & ~(ALIGN - 1);
    if (n >= MIN_RELEASE && !fresh) {
      const slot = this.slotOf(n, false);
      if (slot != 0 && load<usize>(slot, sizeof<usize>()) != 0) {
        const p = load<usize>(slot, sizeof<usize>());
        store<usize>(slot, load<usize>(p), sizeof<usize>());
        return p;
      }
    }
    if (this.idx < 0 || n > this.end - this.top) { // not top + n > end: that wraps near 4 GiB
      // The next kept chunk that fits (the rest of this one is left unused), else a new one.
      let i = this.idx + 1;
      while (i < this.nChunks && n > this.sizeAt(i)) i++;
      if (i < this.nChunks) this.use(i);
      else if (!this.newChunk(n)) { setError(E_OOM); return 0; }
    }
    const p = this.top;
    this.top += n;
    this.used += n;
    return p;
  }

  /**
   * Give back a buffer of `bytes` that no row will read again (the transpose's dead temporaries),
   * for the next request of the same size. Sizes under MIN_RELEASE are not worth tracking.
   */
  release(p: usize, bytes: usize): void {
    const n = (bytes + ALIGN - 1) & ~(ALIGN - 1);
    if (p == 0 || n < MIN_RELEASE) return;
    const slot = this.slotOf(n, true);
    if (slot == 0) return; // table full: the buffer is simply not reused
    store<usize>(p, load<usize>(slot, sizeof<usize>()));
    store<usize>(slot, p, sizeof<usize>());
  }

  /** The (size, head) slot for size n (open addressing), or 0 (absent and `create` false, or full). */
  private slotOf(n: usize, create: bool): usize {
    const h = <i32>((n >>> 4) * 2654435761) & (FREE_SLOTS - 1);
    for (let k = 0; k < FREE_SLOTS; k++) {
      const slot = this.free + <usize>((h + k) & (FREE_SLOTS - 1)) * 2 * sizeof<usize>();
      const size = load<usize>(slot);
      if (size == n) return slot;
      if (size == 0) {
        if (!create) return 0;
        store<usize>(slot, n);
        return slot;
      }
    }
    return 0;
  }

  /** Forget everything allocated since the last reset (the chunks stay, up to MAX_KEPT bytes). */
  reset(): void {
    memory.fill(this.free, 0, <usize>FREE_SLOTS * 2 * sizeof<usize>());
    let kept: usize = 0, n = 0;
    while (n < this.nChunks && kept + this.sizeAt(n) <= MAX_KEPT) kept += this.sizeAt(n++);
    for (let i = n; i < this.nChunks; i++) heap.free(this.baseAt(i));
    this.nChunks = n;
    if (n > 0) this.use(0); else { this.idx = -1; this.top = 0; this.end = 0; }
    this.used = 0;
  }

  /** Bytes held (all chunks), for leak tests. */
  capacity(): usize {
    let total: usize = 0;
    for (let i = 0; i < this.nChunks; i++) total += this.sizeAt(i);
    return total;
  }
}
