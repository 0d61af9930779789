// The per-run arena: a bump allocator for the tape's columns and every intermediate buffer.
// A top-level transform call resets it, so intermediates cost no free() and user Arrays
// (which live in JS memory) never need dispose(). Chunks come from the runtime heap (TLSF);
// on reset, several chunks coalesce into one of their total size, so a loop of identical
// calls settles on one chunk and memory stays flat.
import { setError, E_OOM } from './errors';

const ALIGN: usize = 16;
const MIN_CHUNK: usize = 1 << 20;
// Coalescing keeps at most this much between runs; beyond it the chunks go back to the heap,
// so one huge run does not pin gigabytes that kernels' own scratch may need later.
const MAX_KEPT: usize = 64 << 20;
const MAX_CHUNKS: i32 = 64;
// Largest single request we accept: wasm32 cannot address more, and TLSF traps on failure.
export const MAX_REQUEST: usize = 1 << 30;

let chunks: usize = 0; // usize[MAX_CHUNKS]: base of each chunk
let sizes: usize = 0; // usize[MAX_CHUNKS]: size of each chunk
let nChunks: i32 = 0;
let top: usize = 0; // next free byte in the current chunk
let end: usize = 0; // end of the current chunk
let used: usize = 0; // bytes handed out since the last reset (statistics)

function ensureTables(): void {
  if (chunks == 0) {
    chunks = heap.alloc(<usize>MAX_CHUNKS * sizeof<usize>());
    sizes = heap.alloc(<usize>MAX_CHUNKS * sizeof<usize>());
  }
}

/** Room the heap can still grow into, in bytes (wasm32: 4 GiB in all). */
function headroom(): usize {
  const pages = <u64>memory.size();
  return <usize>min<u64>((<u64>65536 - pages) << 16, <u64>0xffff_0000);
}

function newChunk(bytes: usize): bool {
  ensureTables();
  if (nChunks >= MAX_CHUNKS) return false;
  let size = max<usize>(MIN_CHUNK, bytes + ALIGN);
  // Grow geometrically so a big run needs few chunks, unless that would not fit.
  if (nChunks > 0) size = max<usize>(size, load<usize>(sizes + <usize>(nChunks - 1) * sizeof<usize>()) << 1);
  if (size > MAX_REQUEST || size > headroom()) size = bytes + ALIGN;
  if (size > MAX_REQUEST || size > headroom()) return false;
  const base = heap.alloc(size);
  store<usize>(chunks + <usize>nChunks * sizeof<usize>(), base);
  store<usize>(sizes + <usize>nChunks * sizeof<usize>(), size);
  nChunks++;
  top = (base + ALIGN - 1) & ~(ALIGN - 1);
  end = base + size;
  return true;
}

/** 16-byte aligned bytes from the arena, or 0 (with E_OOM set) when memory is exhausted. */
export function arenaAlloc(bytes: usize): usize {
  if (bytes > MAX_REQUEST) { setError(E_OOM); return 0; }
  const n = (bytes + ALIGN - 1) & ~(ALIGN - 1);
  if (top == 0 || n > end - top) { // not top + n > end: that wraps near 4 GiB
    if (!newChunk(n)) { setError(E_OOM); return 0; }
  }
  const p = top;
  top += n;
  used += n;
  return p;
}

/** Forget everything allocated since the last reset. */
export function arenaReset(): void {
  if (nChunks > 1) {
    let total: usize = 0;
    for (let i = 0; i < nChunks; i++) {
      total += load<usize>(sizes + <usize>i * sizeof<usize>());
      heap.free(load<usize>(chunks + <usize>i * sizeof<usize>()));
    }
    nChunks = 0;
    top = 0; end = 0;
    if (total <= MAX_KEPT && !newChunk(total - ALIGN)) { nChunks = 0; top = 0; end = 0; }
  } else if (nChunks == 1) {
    const base = load<usize>(chunks);
    top = (base + ALIGN - 1) & ~(ALIGN - 1);
  }
  used = 0;
}

/** Bytes held by the arena (all chunks), for leak tests. */
export function arenaCapacity(): usize {
  let total: usize = 0;
  for (let i = 0; i < nChunks; i++) total += load<usize>(sizes + <usize>i * sizeof<usize>());
  return total;
}

export function arenaUsed(): usize { return used; }
