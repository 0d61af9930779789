// Resident data: a large concrete Array keeps its values in a block of the wasm heap instead of
// JS memory, so an eager op's result is never copied out to JS, and it is bound back in without
// a copy when fed to the next op (kernels read the block in place: `emit_borrowed`). Small arrays
// stay in JS: for them the copies cost less than the bookkeeping.
//
// No dispose(). A FinalizationRegistry frees a block once its Array is collected, but only
// between tasks (cleanup callbacks never run inside synchronous code), and the JS GC cannot see
// wasm memory anyway. So live resident bytes have a budget: past it, the oldest blocks are
// evicted: their values are copied to JS memory (which the GC sees and frees), the Array reads
// them from there, and the block is freed. Memory stays bounded in any loop, sync or not.
import { abi, memU8 } from './abi.js';
import { DType, TypedArray, allocTyped, viewTyped } from './dtype.js';

/** Arrays of at least this many bytes are kept resident. */
export const RESIDENT_MIN_BYTES = 64 * 1024;
/** Live resident bytes past which the oldest blocks are evicted (down to half of it). */
export const RESIDENT_BUDGET_BYTES = 64 * 2 ** 20;

/** The registry's handle on a block: what freeing it needs, and nothing that holds data. */
interface Token { ptr: number; bytes: number }
/** A resident Array's data: in wasm at `token.ptr`, or, once evicted, in `js`. */
export interface Block { token: Token; dtype: DType; n: number; js: TypedArray | null; pinned: boolean }

const registry = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry<Token>((t) => freeToken(t)) : null;

let liveBytes = 0;
let liveCount = 0;
// Resident blocks, oldest first (entries evicted or freed since are skipped, then compacted away).
let order: Block[] = [];

/** Whether an array of `bytes` should live in wasm memory. */
export function wantsResident(bytes: number): boolean {
  return registry !== null && bytes >= RESIDENT_MIN_BYTES;
}

/** A fresh block of `bytes`, or 0 when wasm memory cannot hold it (the caller stays in JS). */
export function allocBlock(bytes: number): number {
  if (liveBytes + bytes > RESIDENT_BUDGET_BYTES) evict(bytes);
  try {
    const p = abi().alloc(bytes);
    if (p === 0) abi().clear_error();
    return p;
  } catch {
    abi().clear_error();
    return 0;
  }
}

/** Hand block `ptr` (from allocBlock) to `owner`, which frees it by being collected. */
export function adopt(owner: object, ptr: number, bytes: number, dtype: DType, n: number): Block {
  const token: Token = { ptr, bytes };
  const b: Block = { token, dtype, n, js: null, pinned: false };
  registry!.register(owner, token);
  liveBytes += bytes;
  liveCount++;
  order.push(b);
  if (order.length > 256 && order.length > 4 * liveCount) order = order.filter((x) => x.token.ptr !== 0);
  return b;
}

/** The values: a view of wasm memory (valid until the next wasm allocation), or the evicted JS copy. */
export function values(b: Block): TypedArray {
  return b.js ?? viewTyped(b.dtype, memU8().buffer as ArrayBuffer, b.token.ptr, b.n);
}

/** Copy the values to JS memory and free the block (eviction, or a reader that wants JS data). */
export function moveToJs(b: Block): TypedArray {
  if (b.js === null) {
    const out = allocTyped(b.dtype, b.n);
    out.set(values(b) as any);
    b.js = out;
    freeToken(b.token);
  }
  return b.js;
}

function freeToken(t: Token): void {
  if (t.ptr === 0) return;
  abi().free(t.ptr);
  t.ptr = 0;
  liveBytes -= t.bytes;
  liveCount--;
}

// Blocks a tape row reads in place (bound since the outermost transform call began): eviction
// must not free them under the rows (freeze copies them, so no kept tape needs them later).
let pinned: Block[] = [];

/** Block `b` is read by a row of the current call's tapes. */
export function pin(b: Block): void {
  if (!b.pinned) { b.pinned = true; pinned.push(b); }
}

/** A new outermost call: the previous call's rows are gone. */
export function unpinAll(): void {
  if (pinned.length === 0) return;
  for (const b of pinned) b.pinned = false;
  pinned = [];
}

/** Evict the oldest blocks until live bytes plus `incoming` are at most half the budget. */
function evict(incoming: number): void {
  const target = RESIDENT_BUDGET_BYTES / 2;
  for (let i = 0; i < order.length && liveBytes + incoming > target; i++) {
    if (order[i].token.ptr !== 0 && !order[i].pinned) moveToJs(order[i]);
  }
  order = order.filter((b) => b.token.ptr !== 0);
}

/** Live resident bytes (tests and the memory report). */
export function residentBytes(): number { return liveBytes; }
