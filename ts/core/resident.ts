// Resident data: a large concrete Array keeps its values in a block of the wasm heap, which
// kernels read in place (`emit_borrowed`), so it is not copied in again each time it is used.
// - The result of a top-level op is written straight into a block the Array adopts (`emit_result`):
//   never copied out to JS at all.
// - An Array made in JS (np.array of a typed array) gets a block mirroring its JS data the second
//   time an op reads it (an array used once, the common case for data built per call, would only
//   churn blocks); later reads bind the block.
// Small arrays stay in JS: for them the copies cost less than the bookkeeping.
//
// No dispose(), and no FinalizationRegistry either: its callbacks never run inside synchronous
// code (a sync loop cannot learn that an object died), and V8 keeps registered objects alive
// through young-generation GCs, which held every Array's JS data until a full GC (measured: a
// loop building 4 MB arrays ran 3x slower). Instead live blocks have a byte budget: past it, the
// oldest are evicted, except those an op read since the last eviction reached them (a second
// chance), and the budget grows when an evicted array is read again. A mirror is just freed (its Array has the data in JS); a result is first
// copied to JS memory, which the GC sees: the one copy every result cost before residency, paid
// later, and saved for results that are evicted never (short chains) or read by later ops.
// Memory stays bounded in any loop, sync or not. Arrays known dead are those the user says are:
// one donated to a jitted call (jit's donateArgnums), whose block is freed without the copy
// (`release`) or taken by an output of that call as its buffer (`disown`), so a donated training
// loop evicts nothing; and those a tidy(fn) made that fn did not return (api/tidy.ts).
import { abi, memU8 } from './abi.js';
import { DType, TypedArray, copyTyped, viewTyped } from './dtype.js';

/** Arrays of at least this many bytes are kept resident (by default). */
export const RESIDENT_MIN_BYTES = 64 * 1024;
let minBytes = RESIDENT_MIN_BYTES;
/** The threshold in force (tests compare results with residency on and off: Infinity). */
export function residentMinBytes(): number { return minBytes; }
/** @internal For tests: set the threshold (Infinity turns residency off). */
export function setResidentMinBytes(n: number): void { minBytes = n; }
/** The most live resident bytes: past the budget in force the oldest blocks are evicted (as few as make room). */
export const RESIDENT_BUDGET_BYTES = 64 * 2 ** 20;
/**
 * The budget in force starts at 1/8 of that and doubles, up to it, each time an evicted array is
 * read by an op again (a miss: the eviction cost a copy back in). A loop whose large results are
 * never reused (the common case: a value per call, read back with dataSync) then keeps 8 MiB of
 * blocks, not 64: growing wasm memory to the full budget touched 64 MiB of fresh pages, about
 * 16K page faults that took a jitted loop with 256 KiB outputs 0.5-1 s on the shared machine
 * (1-3 ms per call for its first 500 calls).
 */
let budget = RESIDENT_BUDGET_BYTES / 8;
/** The budget in force (tests). */
export function residentBudget(): number { return budget; }
/** An evicted array is read by an op again: the working set is larger than the budget. */
export function noteMiss(): void { budget = Math.min(2 * budget, RESIDENT_BUDGET_BYTES); }

/** What freeing a block needs. */
interface Token { ptr: number; bytes: number }
/**
 * A resident Array's wasm data at `token.ptr` (0 once freed). A mirror's Array holds its JS data
 * itself (never referenced from here: the eviction list must not keep JS data alive); a result's
 * values move to `js` when it is evicted.
 */
export interface Block { token: Token; dtype: DType; n: number; mirror: boolean; js: TypedArray | null; pinned: boolean; used: boolean }

let liveBytes = 0;
let liveCount = 0;
// Resident blocks, oldest first (entries evicted or freed since are skipped, then compacted away).
let order: Block[] = [];

/** Whether an array of `bytes` should live in wasm memory. */
export function wantsResident(bytes: number): boolean {
  return bytes >= minBytes;
}

/** A fresh block of `bytes`, or 0 when wasm memory cannot hold it (the caller stays in JS). */
export function allocBlock(bytes: number): number {
  if (liveBytes + bytes > budget) evict(bytes);
  try {
    const p = abi().alloc(bytes);
    if (p === 0) abi().clear_error();
    return p;
  } catch {
    abi().clear_error();
    return 0;
  }
}

/** Track block `ptr` (freed by eviction; pinned until the next top-level call); `mirror`: its Array has the same data in JS. */
export function adopt(ptr: number, bytes: number, dtype: DType, n: number, mirror = false): Block {
  const token: Token = { ptr, bytes };
  const b: Block = { token, dtype, n, mirror, js: null, pinned: false, used: false };
  pin(b); // read by this call's rows (or adopted from one): eviction below must not free it
  liveBytes += bytes;
  liveCount++;
  order.push(b);
  if (liveBytes > budget) evict(0);
  else if (order.length > 256 && order.length > 4 * liveCount) order = order.filter((x) => x.token.ptr !== 0);
  return b;
}

/** The values: JS data if there is any, else a view of wasm memory (valid until the next wasm allocation). */
export function values(b: Block): TypedArray {
  return b.js ?? viewTyped(b.dtype, memU8().buffer as ArrayBuffer, b.token.ptr, b.n);
}

/** Whether the block is still in wasm memory (kernels can read it). */
export function inWasm(b: Block): boolean { return b.token.ptr !== 0; }

/**
 * Free the block (eviction, or a reader that wants JS data), first copying a result's values to
 * JS memory; returns that copy (null for a mirror, whose Array has its data). A pinned block (a
 * row of the running call reads it) stays in wasm as a mirror of the copy until it is evicted.
 */
export function moveToJs(b: Block): TypedArray | null {
  let out = b.js;
  if (out === null && !b.mirror && b.token.ptr !== 0) {
    out = copyTyped(values(b));
  }
  if (b.pinned) {
    b.mirror = true;
    b.js = null;
    return out;
  }
  b.js = b.mirror ? null : out;
  freeToken(b.token);
  return out;
}

function freeToken(t: Token): void {
  if (t.ptr === 0) return;
  abi().free(t.ptr);
  forget(t);
}

function forget(t: Token): void {
  t.ptr = 0;
  liveBytes -= t.bytes;
  liveCount--;
}

/**
 * The block's Array is dead (donated to a jitted call, which deleted it): free the block without
 * the copy eviction would make. Only once no row will read it again (the call has returned).
 */
export function release(b: Block): void {
  b.js = null;
  freeToken(b.token);
}

/** An output of the running call took the block as its buffer (a donation): it owns it now. */
export function disown(b: Block): void {
  b.js = null;
  if (b.token.ptr !== 0) forget(b.token);
}

// Blocks a tape row reads in place (bound since the outermost transform call began): eviction
// must not free them under the rows (freeze copies them, so no kept tape needs them later).
let pinned: Block[] = [];

/** Block `b` is read by a row of the current call's tapes. */
export function pin(b: Block): void {
  if (!b.pinned) { b.pinned = true; pinned.push(b); }
}

/** An op reads block `b`: pinned for this call, and spared by the next eviction that reaches it. */
export function use(b: Block): void {
  b.used = true;
  pin(b);
}

// Rows of the current call whose host block an Array has adopted (a row returned twice must
// not be adopted twice).
let claimedEpoch = -1;
const claimed = new Set<number>();

/** Whether row `r` of trace `epoch`'s host block is still unclaimed; claims it. */
export function claim(epoch: number, r: number): boolean {
  if (epoch !== claimedEpoch) { claimed.clear(); claimedEpoch = epoch; }
  if (claimed.has(r)) return false;
  claimed.add(r);
  return true;
}

/** A new outermost call: the previous call's rows are gone. */
export function unpinAll(): void {
  if (pinned.length === 0) return;
  for (const b of pinned) b.pinned = false;
  pinned = [];
}

/**
 * Evict the oldest blocks until live bytes plus `incoming` fit the budget: as few as that takes,
 * so a loop making a large result per call evicts about one per call, whose JS copy reuses
 * memory the GC just freed. (Evicting down to half the budget at once asked for 32 MiB of fresh
 * JS memory in one call: a page fault per 4 KiB, and a GC pause; a jitted jacfwd with a 256 KiB
 * output: 33-46 page faults per call that way, 6-7 this way.) A block an op has read since it
 * was last passed over gets a second chance (CLOCK): it goes to the back instead, so an array
 * read every call stays while the results around it come and go.
 */
function evict(incoming: number): void {
  const over = () => liveBytes + incoming > budget;
  const spared = new Set<Block>();
  let i = 0;
  for (; i < order.length && over(); i++) {
    const b = order[i];
    if (b.token.ptr === 0 || b.pinned) continue;
    if (b.used) { b.used = false; spared.add(b); continue; }
    evictOne(b);
  }
  for (const b of spared) { if (!over()) break; evictOne(b); } // all were read: the oldest go after all
  if (i === 0) return;
  const alive = (b: Block) => b.token.ptr !== 0;
  order = order.slice(0, i).filter((b) => alive(b) && !spared.has(b)).concat(order.slice(i), [...spared].filter(alive));
}

let evictionCopies = 0, evictionCopyBytes = 0;
function evictOne(b: Block): void {
  if (!b.mirror && b.js === null) { evictionCopies++; evictionCopyBytes += b.token.bytes; }
  moveToJs(b);
}
/**
 * Live resident bytes, the budget in force, and how many results eviction has copied to JS memory
 * so far, with their bytes (a donated Array's block is freed or reused without one).
 */
export function residentStats(): { bytes: number; budget: number; evictionCopies: number; evictionCopyBytes: number } {
  return { bytes: liveBytes, budget, evictionCopies, evictionCopyBytes };
}

/** Live resident bytes (tests and the memory report). */
export function residentBytes(): number { return liveBytes; }
