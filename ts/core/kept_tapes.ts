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
/** Resident tapes, least recently used first (Map iteration order is insertion order). */
const resident = new Map<KeptTape, true>();
let mostRecent: KeptTape | null = null;

/** What the registry holds for an owner: small on purpose (not the evicted bytes). */
interface Cell { handle: number; kept: KeptTape | null }
const registry = new FinalizationRegistry<Cell>((cell) => {
  if (cell.handle !== 0) {
    abi().tape_free(cell.handle);
    if (cell.kept) { resident.delete(cell.kept); residentBytes -= cell.kept.bytes; }
  }
  cell.handle = 0;
  cell.kept = null;
});

export class KeptTape {
  readonly bytes: number;
  private cell: Cell;
  private saved: Uint8Array | null = null;
  private disposed = false;

  constructor(handle: number) {
    this.bytes = abi().tape_bytes(handle);
    this.cell = { handle, kept: this };
    resident.set(this, true);
    mostRecent = this;
    residentBytes += this.bytes;
    evictBeyondBudget(this);
  }

  /**
   * Free the block when `owner` is garbage-collected. The cell is its own unregister token:
   * dispose() unregisters it, or a long-lived owner (a jitted function whose cache drops a program
   * per retrace) would keep one registration per program it ever held (240 bytes per retrace).
   */
  ownedBy(owner: object): void { registry.register(owner, this.cell, this.cell); }

  /** The wasm handle, brought back into wasm memory if it was moved out. */
  handle(where: string): number {
    if (this.disposed) throw new ValueError(`${where}: this function was disposed; call the transform again to get a new one`);
    if (this.cell.handle === 0) this.restore(where);
    if (mostRecent !== this) { // most recently used goes last (a jitted loop calls the same one)
      resident.delete(this);
      resident.set(this, true);
      mostRecent = this;
    }
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
    resident.delete(this);
    residentBytes -= this.bytes;
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
    resident.set(this, true);
    mostRecent = this;
    residentBytes += this.bytes;
    evictBeyondBudget(this);
  }

  /** Free it now (the optional, prompt release). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.cell.handle !== 0) {
      abi().tape_free(this.cell.handle);
      resident.delete(this);
      residentBytes -= this.bytes;
    }
    registry.unregister(this.cell);
    this.cell.handle = 0;
    this.cell.kept = null;
    this.saved = null;
  }

  get isResident(): boolean { return this.cell.handle !== 0; }
}

function evictBeyondBudget(keep: KeptTape): void {
  if (residentBytes <= budget) return;
  for (const t of resident.keys()) {
    if (residentBytes <= budget) break;
    if (t !== keep) t.evict();
  }
}

/** Statistics and the budget, for tests and for users with other trade-offs. */
export function keptTapeStats(): { resident: number; residentBytes: number; budget: number } {
  return { resident: resident.size, residentBytes, budget };
}
export function setKeptTapeBudget(bytes: number): void {
  if (!Number.isFinite(bytes) || bytes < 0) throw new ValueError(`setKeptTapeBudget: expected a byte count >= 0, got ${bytes}`);
  budget = bytes;
  for (const t of [...resident.keys()]) { if (residentBytes <= budget) break; t.evict(); }
}
