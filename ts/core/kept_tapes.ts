// Long-lived frozen tapes (a vjp pullback's or linearize's linear program) and the memory policy
// that keeps them bounded. Their blocks live in wasm memory, which the JS garbage collector
// cannot see: it may run finalizers late, or never (a loop that does not yield). So:
// - a FinalizationRegistry frees a tape's block when the function owning it is collected, and
//   `dispose()` frees it at once;
// - resident blocks are kept under a byte budget (least recently used first out): past it, a
//   block is copied into a JS Uint8Array (memory the GC sees and reclaims with its owner) and
//   freed in wasm, and copied back when its function is next called. Blocks are position
//   independent (assembly/ad/freeze.ts), so moving them is two copies.
// The arena of the trace tape is separate: reset by every top-level call.
import { abi, memoryBuffer } from './abi.js';
import { OutOfMemoryError, ValueError } from './errors.js';

let budget = 64 << 20;
let residentBytes = 0;
/**
 * Resident tapes, least recently used first: an intrusive doubly linked list (O(1) to touch,
 * remove and evict). A Map's insertion order served before, but V8 keeps a deleted entry's slot
 * until the table is rebuilt, so a loop past the budget rescanned thousands of them per call
 * (a sync loop of vjp calls slowed from 19 to 70 us per call).
 */
let oldest: KeptTape | null = null, newest: KeptTape | null = null, residentCount = 0, registeredCount = 0;

/** What the registry holds for an owner: small on purpose (not the evicted bytes). */
interface Cell { handle: number; kept: KeptTape | null }
/** Runtimes without FinalizationRegistry (workerd before its 2025-05-05 compatibility date): the
 *  byte budget and dispose() alone bound the blocks; nothing is freed behind the user's back. */
const Registry: typeof FinalizationRegistry = typeof FinalizationRegistry === 'function' ? FinalizationRegistry
  : class<T> { constructor(_: (held: T) => void) {} register(): void {} unregister(): boolean { return false; } } as never;
const registry = new Registry<Cell>((cell) => {
  registeredCount--; // (only registered cells come here: eviction and dispose unregister)
  if (cell.handle !== 0) {
    abi().tape_free(cell.handle);
    if (cell.kept) { unlink(cell.kept); residentBytes -= cell.kept.bytes; }
  }
  cell.handle = 0;
  cell.kept = null;
});

export class KeptTape {
  readonly bytes: number;
  private cell: Cell;
  private saved: Uint8Array | null = null;
  private disposed = false;
  /** Whether the registry holds this tape's cell (only while its block is in wasm memory). */
  private registered = false;
  /** Neighbours in the resident list (null when not resident, or at an end). */
  older: KeptTape | null = null;
  newer: KeptTape | null = null;

  constructor(handle: number) {
    this.bytes = abi().tape_bytes(handle);
    this.cell = { handle, kept: this };
    append(this);
    residentBytes += this.bytes;
    evictBeyondBudget(this);
  }

  /**
   * Free the block when `owner` is garbage-collected. The cell is its own unregister token:
   * dispose() unregisters it, or a long-lived owner (a jitted function whose cache drops a program
   * per retrace) would keep one registration per program it ever held (240 bytes per retrace).
   */
  ownedBy(owner: object): void {
    if (this.cell.handle === 0 || this.registered) return;
    registry.register(owner, this.cell, this.cell);
    this.registered = true;
    registeredCount++;
  }

  /**
   * The wasm handle, brought back into wasm memory if it was moved out. `owner`: the function
   * calling (the one ownedBy named), registered again when its block comes back (eviction
   * unregisters it); without it a restored block is freed by the budget's eviction alone.
   */
  handle(where: string, owner?: object): number {
    if (this.disposed) throw new ValueError(`${where}: this function was disposed; call the transform again to get a new one`);
    if (this.cell.handle === 0) {
      this.restore(where);
      if (owner !== undefined) this.ownedBy(owner);
    }
    if (newest !== this) { unlink(this); append(this); } // most recently used goes last
    return this.cell.handle;
  }

  /** Move the block out of wasm memory (into JS memory). */
  evict(): void {
    const h = this.cell.handle;
    if (h === 0) return;
    const e = abi();
    this.saved = new Uint8Array(memoryBuffer(), e.tape_block(h), this.bytes).slice();
    e.tape_free(h);
    this.cell.handle = 0;
    this.cell.kept = null;
    unlink(this);
    residentBytes -= this.bytes;
    // Nothing in wasm is left to free: the registration goes too. A synchronous loop of dropped
    // pullbacks never runs the registry's cleanup, and its dead registrations (~150 bytes each)
    // grew the JS heap without bound (89 MB after 480k); now they are at most the resident tapes.
    if (this.registered) { registry.unregister(this.cell); this.registered = false; registeredCount--; }
  }

  private restore(where: string): void {
    const e = abi();
    const p = e.alloc(this.bytes);
    if (p === 0) throw new OutOfMemoryError(`${where}: out of wasm memory restoring a kept linear program (${this.bytes} bytes)`);
    new Uint8Array(memoryBuffer(), p, this.bytes).set(this.saved!);
    const h = e.tape_load(p);
    if (h === 0) { e.free(p); throw new ValueError(`${where}: a kept linear program could not be restored`); }
    this.saved = null;
    this.cell.handle = h;
    this.cell.kept = this;
    append(this);
    residentBytes += this.bytes;
    evictBeyondBudget(this);
  }

  /** Free it now (the optional, prompt release). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.cell.handle !== 0) {
      abi().tape_free(this.cell.handle);
      unlink(this);
      residentBytes -= this.bytes;
    }
    if (this.registered) { registry.unregister(this.cell); this.registered = false; registeredCount--; }
    this.cell.handle = 0;
    this.cell.kept = null;
    this.saved = null;
  }

  get isResident(): boolean { return this.cell.handle !== 0; }
}

function append(t: KeptTape): void {
  t.older = newest;
  t.newer = null;
  if (newest) newest.newer = t; else oldest = t;
  newest = t;
  residentCount++;
}
function unlink(t: KeptTape): void {
  if (t.older) t.older.newer = t.newer; else if (oldest === t) oldest = t.newer; else return; // (not in the list)
  if (t.newer) t.newer.older = t.older; else newest = t.older;
  t.older = t.newer = null;
  residentCount--;
}

/** Evict least recently used tapes until the resident bytes fit the budget (`keep` stays). */
function evictBeyondBudget(keep: KeptTape | null): void {
  let t = oldest;
  while (t && residentBytes > budget) {
    const next = t.newer;
    if (t !== keep) t.evict();
    t = next;
  }
}

/** Statistics and the budget, for tests and for users with other trade-offs. */
/** `registered`: finalization registrations held (at most `resident`: an evicted tape has none). */
export function keptTapeStats(): { resident: number; residentBytes: number; budget: number; registered: number } {
  return { resident: residentCount, residentBytes, budget, registered: registeredCount };
}
export function setKeptTapeBudget(bytes: number): void {
  // (a second argument was dropped without a word, as no other function here allows)
  if (arguments.length > 1) throw new ValueError(`setKeptTapeBudget: takes one argument (bytes), got ${arguments.length}`);
  if (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0) throw new ValueError(`setKeptTapeBudget: expected a byte count >= 0, got ${typeof bytes === 'number' ? bytes : `a ${typeof bytes}`}`);
  budget = bytes;
  evictBeyondBudget(null);
}
