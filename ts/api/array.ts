// The user-facing Array. Concrete arrays own their data: in JS memory, or (large ones) in a wasm
// heap block kernels read in place (resident: core/resident.ts; a byte budget evicts blocks, so
// no dispose is needed). Tracers name a row of the current trace's tape and read its value from
// wasm memory.
import { DType, TypedArray, DTYPE_CODE, copyTyped, itemsize } from '../core/dtype.js';
import { CotangentError, DTypeError, ShapeError, TracerError, ValueError, DeletedArrayError, InternalError, describe } from '../core/errors.js';
import { currentEpoch, emit, emitBorrowed, inTrace, rebinding, reboundRow, HOST_BUFFER, HAS_VALUE, rowValue, rowShape, rowDtype, jitContext, jitsAround, onTape, JitContext } from '../core/trace.js';
import { abi, memU8, opCode } from '../core/abi.js';
import * as resident from '../core/resident.js';
import * as scopes from '../core/scopes.js';
import { formatArray } from './format.js';

// The typed array holding each dtype's values (complex: interleaved parts).
const STORAGE: Record<string, Function | undefined> = {
  float32: Float32Array, float64: Float64Array, complex64: Float32Array, complex128: Float64Array,
  int32: Int32Array, uint32: Uint32Array, bool: Uint8Array,
};
Object.setPrototypeOf(STORAGE, null); // ('constructor' or 'toString' is no dtype)
function describeValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v !== 'object') return String(v);
  return Object.prototype.toString.call(v).slice(8, -1);
}

function readOnly(name: string, instead: string): never {
  throw new ValueError(`Array.${name} is read-only (ops read the data as the Array says it is); ${instead}`);
}

/** What `_deleted` holds for an Array a tidy() released (ts/api/tidy.ts). */
export const RELEASED_BY_TIDY = 'tidy()';

/** A ValueError for arguments given to an Array method that takes none (they were dropped without a word). */
function noArguments(name: string, n: number): void {
  if (n > 0) throw new ValueError(`x.${name}: takes no arguments, got ${n}`);
}

/** A complex literal: `{ re, im }` (item() of a complex array gives one). */
export interface Complex { re: number; im: number }
// (readonly lists too: `np.sin([1, 2] as const)` and a `readonly number[]` run, and were type errors)
export type NestedNumbers = number | boolean | Complex | readonly NestedNumbers[];
/** What every function taking an Array also takes. */
export type ArrayInput = NDArray | number | boolean | Complex | readonly NestedNumbers[];
/** Is x a `{ re, im }` literal (two numbers, nothing else needed)? */
export function isComplexLiteral(x: unknown): x is Complex {
  return x !== null && typeof x === 'object' && !(x instanceof NDArray) && !Array.isArray(x) &&
    typeof (x as Complex).re === 'number' && typeof (x as Complex).im === 'number';
}

/** A plain object holding an Array's fields: what structuredClone or postMessage make of one. */
export function isClonedArray(x: unknown): x is { _shape: unknown; _dtype: unknown } {
  return x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype && '_shape' in x && '_dtype' in x && '_size' in x;
}

/** Real dtypes read as numbers, bool as booleans, complex as { re, im }. */
export type Item = number | boolean | { re: number; im: number };
/** What item() gives for a dtype: a boolean for bool, { re, im } for complex, else a number. */
export type ItemOf<D extends DType> = D extends 'bool' ? boolean : D extends 'complex64' | 'complex128' ? { re: number; im: number } : number;

/**
 * The epoch and highest row of a tracer read as a JS number by valueOf during the current
 * trace: a transform whose function then returns a plain JS number almost surely did JS
 * arithmetic on tracers (`x * x`), which silently drops the derivative (see tracerValueOfSince).
 */
let valueOfEpoch = -1;
let valueOfRow = -1;

/** Whether valueOf (or item, tolist, dataSync) read a tracer of the current trace at row `start` or later. */
export function tracerValueOfSince(start: number): boolean {
  return valueOfEpoch === currentEpoch() && valueOfRow >= start;
}

function noteTracerValueOf(row: number): void {
  if (valueOfEpoch !== currentEpoch()) { valueOfEpoch = currentEpoch(); valueOfRow = row; }
  else valueOfRow = Math.max(valueOfRow, row);
}

// The const rows of the current trace's scalars, by dtype and value (see NDArray._rowIn).
/**
 * Rows read in place of others while `body` runs (in this trace only): eager vmap runs a cond
 * branch or loop body that could not be inlined with the values it closes over guarded this way
 * (lax_control.ts). Row numbers are the current tape's, so another trace's rows are left alone.
 */
let replaced: ReadonlyMap<number, number> | null = null, replacedEpoch = -1;
export function withRowsReplaced<T>(map: ReadonlyMap<number, number>, body: () => T): T {
  const [prev, prevEpoch] = [replaced, replacedEpoch];
  [replaced, replacedEpoch] = [map.size > 0 ? map : null, currentEpoch()];
  try { return body(); } finally { [replaced, replacedEpoch] = [prev, prevEpoch]; }
}

const scalarRows = new Map<string, number>();
let scalarEpoch = -1;
function scalarKey(a: NDArray): string {
  const v = a._data![0];
  // (-0 apart from 0 in both parts: a complex 1 - 0i shared 1 + 0i's row, so 1 / imag(...) flipped sign under jit)
  const part = (x: number) => (Object.is(x, -0) ? '-0' : `${x}`);
  return `${a.dtype}|${part(v)}` + (a._data!.length > 1 ? `|${part(a._data![1])}` : '');
}

// The concrete Arrays whose resident blocks rows of the current trace borrow (and copies of them),
// by row: a pullback made at top level binds those residuals to the Arrays at each call.
const borrowed = new Map<number, NDArray>();
let borrowedEpoch = -1;
function noteBorrowed(row: number, a: NDArray): number {
  if (borrowedEpoch !== currentEpoch()) { borrowed.clear(); borrowedEpoch = currentEpoch(); }
  borrowed.set(row, a);
  return row;
}
/** The Array whose resident block row `row` of the current trace borrows, if any. */
export function borrowedArray(row: number): NDArray | undefined {
  return borrowedEpoch === currentEpoch() ? borrowed.get(row) : undefined;
}

/**
 * A tracer of the trace around a jit trace, read by the jitted function (a closure): it becomes
 * an input of the jitted program, bound to that row when the program is inlined (JAX lifts
 * closed-over tracers the same way).
 */
function liftIntoJits(jits: JitContext[], a: NDArray): number {
  // each jit between the tracer's trace and this one gets it as an input, bound to the row of the
  // jit around it (a jit in a jit closing over a grad tracer was a TracerError)
  let row = a._row;
  for (const jc of jits) {
    const known = jc.lifted.get(row);
    if (known !== undefined) { row = known.inner; continue; }
    const inner = onTape(jc.tape, () => emit('input', [], [DTYPE_CODE[a.dtype as DType], ...a._shape]));
    jc.lifted.set(row, { inner, outer: row });
    row = inner;
  }
  return row;
}

/**
 * An array; `D` is its dtype where the type system knows it (np.array/zeros/ones/full/astype with a
 * dtype, zeros/ones without: float32). Elsewhere (an op's result, a plain `Array` annotation) it is
 * `any`, not the DType union: a computed Array can go back into a variable a creator typed, as a
 * loop that reassigns its parameters does (`let w = np.zeros([3]); w = np.add(w, 1)`), and its
 * `item()` is still the union of number, boolean and { re, im }.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export class NDArray<D extends DType = any> {
  /** @internal Private; `shape` hands out copies so callers cannot change what ops read. */
  readonly _shape: readonly number[];
  /** @internal Private; read through `dtype` (assigning that is an error: ops trust it). */
  readonly _dtype: D;
  /** @internal Private; read through `size`. */
  readonly _size: number;
  /** @internal Concrete data in JS memory (complex: interleaved), or null (resident only, or a tracer). */
  _js: TypedArray | null;
  /** @internal Concrete data in a wasm heap block (the only copy, or a mirror of _js), or null. */
  _block: resident.Block | null = null;
  /** @internal Uploads of _js so far (the second makes a mirror block). */
  _uploads = 0;
  /** @internal Tape row of a tracer (-1 when concrete). */
  _row: number;
  /** @internal Trace epoch the row belongs to. */
  _epoch: number;
  /** @internal A jitted program or a pullback reads this Array at each call (a large constant it closed over): tidy leaves it alone. */
  _heldByProgram = false;
  /** @internal Upload cache: the const row holding this array in trace `_cacheEpoch`. */
  _cacheRow = -1;
  _cacheEpoch = -1;
  /** @internal Where the array went when it was deleted (`jit(step) as argument 0`), or null while it is alive. */
  _deleted: string | null = null;

  /** @internal */
  constructor(shape: readonly number[], dtype: D, data: TypedArray | null, row = -1, epoch = -1) {
    // (exported as the public class `Array`, so a user can call it: it checks what ops trust,
    // cheaply. `new ct.Array([2], 'int32', new Float32Array([1.5, 2]))` summed the float bits.)
    if (!Array.isArray(shape)) throw new ShapeError(`Array: shape must be an array of sizes, got ${describeValue(shape)}; np.array(values) makes an Array`);
    const storage = STORAGE[dtype];
    if (storage === undefined) throw new DTypeError(`Array: unknown dtype ${describeValue(dtype)}; np.array(values, { dtype }) makes an Array`);
    if (data === undefined || (data !== null && !(data instanceof storage))) {
      throw new DTypeError(`Array: ${dtype} data must be ${/^[AEIOU]/.test(storage.name) ? 'an' : 'a'} ${storage.name}, got ${describeValue(data)}; np.array(values, { dtype }) converts`);
    }
    // A private copy (never handed out: `shape` returns copies of it). Not frozen: freezing
    // costs more than the copy on every op.
    this._shape = shape.slice();
    this._dtype = dtype;
    let n = 1;
    for (let i = 0; i < shape.length; i++) {
      const d = shape[i];
      if (!Number.isSafeInteger(d) || d < 0) throw new ShapeError(`Array: shape [${shape.map(describeValue).join(', ')}] must hold non-negative integers`);
      n *= d;
    }
    this._size = n;
    // The buffer is uploaded as is: a short one would let kernels read memory nobody wrote.
    if (data !== null && data.length !== this.size * (dtype === 'complex64' || dtype === 'complex128' ? 2 : 1)) {
      throw new ShapeError(`Array: ${data.length} values do not fill ${dtype}[${shape.join(',')}]`);
    }
    this._js = data;
    this._row = row;
    this._epoch = epoch;
    if (scopes.open.length !== 0 && row === -1 && !makingTwin) scopes.track(this); // made inside tidy(): released when it ends
  }

  /** @internal A concrete array whose values are in wasm block `ptr` (a top-level op's HOST_BUFFER output), which it now owns. */
  static resident(shape: readonly number[], dtype: DType, ptr: number, bytes: number): NDArray {
    const a = new NDArray(shape, dtype, null);
    a._block = resident.adopt(ptr, bytes, dtype, a.size); // pinned: another output of the same row copies it
    return a;
  }

  /**
   * @internal Concrete data as a JS typed array, or null for a tracer. A resident array moves to
   * JS memory for good on this call (code that wants a read-only look uses _values instead).
   */
  get _data(): TypedArray | null {
    if (this._deleted !== null) this._live('reading its values');
    if (this._js === null && this._block !== null) {
      if (Object.isFrozen(this)) return thawed(this)._data;
      this._js = resident.moveToJs(this._block)!;
      if (!resident.inWasm(this._block)) this._block = null; // else: pinned, now a mirror of _js
    }
    return this._js;
  }

  /** @internal A tracer for row r of the current trace. */
  static tracer(r: number): NDArray {
    return new NDArray(rowShape(r), rowDtype(r), null, r, currentEpoch());
  }

  /** The dtype. Read-only: `x.dtype = 'float64'` (numpy's setter, which reinterprets bytes) is a ValueError; use astype. */
  declare readonly dtype: D;
  /** Element count (the product of the shape). Read-only. */
  declare readonly size: number;
  /** A copy of the shape (mutating it does not change the array). Read-only: np.reshape makes another shape. */
  declare readonly shape: number[];
  get ndim(): number { return this._shape.length; }
  set ndim(_v: unknown) { readOnly('ndim', 'np.reshape or np.expandDims make another shape'); }
  /**
   * numpy's len(x): the first axis's length (undefined for a 0-d Array). Without it
   * `for (let i = 0; i < x.length; i++)` ran no times and `f32.set(x)` copied nothing, silently;
   * now the loop's x[i] says to use x.get(i).
   */
  get length(): number | undefined { return this._shape.length > 0 ? this._shape[0] : undefined; }
  set length(_v: unknown) { readOnly('length', 'np.resize or x.get(\'0:n\') make another length'); }
  get device(): string { return 'cpu'; }
  // (assigning a getter-only property was JS's TypeError 'Cannot set property device ... which has only a getter')
  set device(_v: unknown) { readOnly('device', "jit(f, { device }) places a computation; there is no devicePut yet"); }
  /** @internal */
  get isTracer(): boolean { return this._js === null && this._block === null && this._deleted === null; }

  /**
   * Whether the array was deleted: donated to a jitted call (`jit(f, { donateArgnums })`), whose
   * results may now live in its buffer, or made inside a `tidy(fn)` whose fn did not return it.
   * Its shape and dtype stay readable; its values do not.
   */
  isDeleted(): boolean { return this._deleted !== null; }

  /** @internal This array, or a DeletedArrayError for `where` if it was deleted. */
  _live(where: string): this {
    if (this._deleted === null) return this;
    if (this._deleted === RELEASED_BY_TIDY) {
      throw new DeletedArrayError(`${where}: this ${describe(this._shape, this.dtype)} Array was deleted: it was made inside ` +
        'a tidy(fn) and released when fn returned, since fn did not return it (return it, in any tree, to keep it)');
    }
    throw new DeletedArrayError(`${where}: this ${describe(this._shape, this.dtype)} Array was deleted: it was donated to ` +
      `${this._deleted} (donateArgnums), so its buffer may hold that call's results now; use the Arrays the call returned`);
  }

  /**
   * @internal Delete the array: it was donated to `to` (`jit(step) as argument 0`), which is done
   * with it, or a tidy() that made it ended (`to` is RELEASED_BY_TIDY). A block still its own is
   * freed without the copy eviction makes (it is known dead).
   */
  _delete(to: string): void {
    // (a frozen Array keeps its data: tidy leaves it to eviction; jit refuses to take one as donated)
    if (this._deleted !== null || Object.isFrozen(this)) return;
    if (this._block !== null) resident.release(this._block);
    this._block = null;
    this._js = null;
    this._cacheEpoch = -1;
    this._deleted = to;
  }

  /**
   * @internal A new Array holding this one's values and storage, which this one gives up (a
   * donated argument that the jitted function returns: no copy).
   */
  _handOver(): NDArray {
    const out = new NDArray(this._shape, this.dtype, this._js);
    out._block = this._block;
    out._uploads = this._uploads;
    this._js = null;
    this._block = null;
    return out;
  }

  /**
   * @internal The wasm block kernels can read this concrete array from, or 0: a resident one's,
   * or a new mirror of a large JS one's data (made on its second upload).
   */
  _wasmBlock(): number {
    if (this._deleted !== null) this._live('reading its values');
    if (Object.isFrozen(this)) return thawed(this)._wasmBlock();
    const b = this._block;
    if (b !== null && resident.inWasm(b)) { resident.use(b); return b.token.ptr; }
    if (b !== null) { this._js ??= b.js; this._block = null; resident.noteMiss(); } // evicted: an ordinary JS array again
    if (this._js === null || !resident.wantsResident(this._js.byteLength) || ++this._uploads < 2) return 0;
    const bytes = this._js.byteLength, ptr = resident.allocBlock(bytes);
    if (ptr === 0) return 0;
    memU8().set(new Uint8Array(this._js.buffer, this._js.byteOffset, bytes), ptr);
    this._block = resident.adopt(ptr, bytes, this.dtype, this.size, true);
    return ptr;
  }

  /** @internal This array's row in the current trace (uploading concrete data once per trace). */
  _rowIn(where: string): number {
    if (this._js === null && this._block === null) {
      if (this._deleted !== null) this._live(where);
      if (this._epoch !== currentEpoch()) { // a tracer of the trace around a jit trace, or a stale one
        // (a custom rule's closure, run in another trace than its call's: the row holding that value here)
        if (rebinding()) { const rb = reboundRow(this._epoch, this._row); if (rb !== undefined) return rb; }
        const jits = jitContext() !== undefined ? jitsAround(this._epoch) : null;
        if (jits !== null) return liftIntoJits(jits, this);
      }
      if (this._epoch !== currentEpoch() || !inTrace()) {
        throw new TracerError(`${where}: a traced value escaped the transform that created it ` +
          `(${this.dtype}[${this._shape.join(',')}]); return it from the function instead of storing it`);
      }
      if (replaced !== null && this._epoch === replacedEpoch) { const s = replaced.get(this._row); if (s !== undefined) return s; }
      return this._row;
    }
    if (Object.isFrozen(this)) return thawed(this)._rowIn(where);
    if (this._cacheEpoch === currentEpoch() && inTrace()) return this._cacheRow;
    const jc = jitContext();
    if (jc !== undefined && jc.bake !== true && this.size * itemsize(this.dtype) >= resident.residentMinBytes()) {
      // A large constant under jit is an input of the program, bound to this Array at each call
      // (JAX's constvars): baked in, each traced signature kept a copy (a 40 MB closed-over
      // weight: 40 MB a batch size) and each call copied it into the arena again.
      const inner = emit('input', [], [DTYPE_CODE[this.dtype], ...this._shape]);
      jc.constants.push({ value: this, inner });
      if (!jc.once) this._heldByProgram = true; // (a one-shot program is freed after its call: tidy may still release it)
      this._cacheRow = inner;
      this._cacheEpoch = currentEpoch();
      return inner;
    }
    // JS numbers become fresh scalar Arrays at every op: one const row per value and dtype per
    // trace serves them all (values are immutable, so sharing the row is safe).
    const key = this._shape.length === 0 ? scalarKey(this) : null;
    let r = key !== null ? scalarRows.get(key) : undefined;
    if (r === undefined || scalarEpoch !== currentEpoch()) {
      if (scalarEpoch !== currentEpoch()) { scalarRows.clear(); scalarEpoch = currentEpoch(); }
      r = this._upload('const', where);
      if (key !== null && scalarRows.size < 256) scalarRows.set(key, r);
    }
    this._cacheRow = r;
    this._cacheEpoch = currentEpoch();
    return r;
  }

  /**
   * @internal A new leaf row (a baked 'const', or a program 'input') holding this concrete array's
   * data: a resident array's const row reads its block in place.
   */
  _upload(op: 'const' | 'input', where: string = op): number {
    if (this._deleted !== null) this._live('reading its values');
    // an error (out of memory) names the function whose operand this is, and the operand
    const context = () => `${where}: an operand ${describe(this._shape, this.dtype)}`;
    const block = op === 'const' ? this._wasmBlock() : 0;
    if (block !== 0) return noteBorrowed(emitBorrowed(block, [DTYPE_CODE[this.dtype], ...this._shape], context), this);
    const r = emit(op, [], [DTYPE_CODE[this.dtype], ...this._shape], context);
    if (this.size > 0) {
      // (an input row on an abstract tape, under jit, has no buffer: writing would land at 0)
      if ((abi().row_flags(r) & HAS_VALUE) === 0) throw new InternalError(`${op}: a ${describe(this._shape, this.dtype)} row with no buffer`);
      const data = this._values('upload');
      memU8().set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), abi().row_ptr(r));
    }
    return r;
  }

  /** @internal A fresh row holding this concrete array as a transform's input: a copy (a view) of its borrowed block, else an uploaded input row. */
  _inputRow(): number {
    if (Object.isFrozen(this)) return thawed(this)._inputRow();
    const block = this._wasmBlock();
    if (block === 0) return this._upload('input');
    return noteBorrowed(emit('copy', [noteBorrowed(emitBorrowed(block, [DTYPE_CODE[this.dtype], ...this._shape]), this)]), this);
  }

  /** @internal The values (a view into wasm memory for a tracer: copy before allocating). */
  _values(where: string): TypedArray {
    if (this._js !== null) return this._js;
    if (this._block !== null) return resident.values(this._block);
    if (this._deleted !== null) this._live(where);
    this._rowIn(where);
    return rowValue(this._row, where);
  }

  /**
   * @internal A concrete copy of a tracer, or this: the result of a top-level op, written straight
   * into a heap block (HOST_BUFFER), becomes resident without a copy; others are copied to JS.
   */
  _concrete(): NDArray {
    if (!this.isTracer) return this;
    const values = this._values('materialize'); // (the checks a read makes: batched and abstract values have none)
    const bytes = this.size * itemsize(this.dtype), e = abi();
    if (resident.wantsResident(bytes) && (e.row_flags(this._row) & HOST_BUFFER) !== 0 && e.row_op(this._row) !== opCode('const') &&
        resident.claim(this._epoch, this._row)) { // (a row returned twice is adopted once, then copied)
      return NDArray.resident(this._shape, this.dtype, e.row_ptr(this._row), bytes);
    }
    return new NDArray(this._shape, this.dtype, copyTyped(values));
  }

  item(): ItemOf<D> {
    // (numpy's x.item(i) reads element i; an index here was dropped and the one element read)
    if (arguments.length > 0) {
      throw new ValueError(`x.item: takes no arguments, got ${arguments.length}; numpy's x.item(i) is x.ravel().get(i).item() here, x.item(i, j) is x.get(i, j).item()`);
    }
    if (this.size !== 1) throw new ValueError(`item: only arrays of one element convert to a JS number, got shape [${this._shape}]`);
    const v = this._values('item');
    if (this.isTracer) noteTracerValueOf(this._row);
    const dt: DType = this.dtype;
    if (dt === 'bool') return (v[0] !== 0) as ItemOf<D>;
    if (dt === 'complex64' || dt === 'complex128') return { re: v[0], im: v[1] } as ItemOf<D>;
    return v[0] as ItemOf<D>;
  }

  tolist(): any {
    noArguments('tolist', arguments.length);
    const out = this._list('tolist');
    if (this.isTracer) noteTracerValueOf(this._row);
    return out;
  }
  private _list(where: string): any {
    const v = this._values(where);
    const conv = (i: number): any => this.dtype === 'bool' ? v[i] !== 0
      : (this.dtype === 'complex64' || this.dtype === 'complex128') ? { re: v[2 * i], im: v[2 * i + 1] } : v[i];
    const build = (axis: number, offset: number): any => {
      if (axis === this._shape.length) return conv(offset);
      const out = [];
      let stride = 1;
      for (let i = axis + 1; i < this._shape.length; i++) stride *= this._shape[i];
      for (let i = 0; i < this._shape[axis]; i++) out.push(build(axis + 1, offset + i * stride));
      return out;
    };
    return build(0, 0);
  }

  /** A typed array copy of the values (complex: interleaved re, im). */
  dataSync(): TypedArray {
    noArguments('dataSync', arguments.length);
    return this._copyValues('dataSync');
  }
  /**
   * The values, as a Promise. A traced value's error is thrown here, synchronously, so the
   * transform reading it fails: from an async data(), jit((x) => { x.data().then(log); ... })
   * returned and the rejection nobody handled then ended the Node process. A concrete Array's
   * (deleted, or data(5)) rejects the Promise, as an async method's does.
   */
  data(): Promise<TypedArray> {
    const read = (n: number) => { noArguments('data', n); return this._copyValues('x.data()'); };
    if (this.isTracer) return Promise.resolve(read(arguments.length));
    try { return Promise.resolve(read(arguments.length)); } catch (e) { return Promise.reject(e); }
  }
  private _copyValues(where: string): TypedArray {
    const v = copyTyped(this._values(where));
    if (this.isTracer) noteTracerValueOf(this._row);
    return v;
  }

  toString(): string {
    if (!this._readable()) return `Tracer<${this.dtype}[${this._shape}]>`;
    let values: TypedArray;
    try { values = this._values('toString'); } catch (e) {
      // abstract (under jit, or batched under vmap): its type, as JAX prints Traced<ShapedArray(...)>,
      // so console.log inside a jitted function prints instead of throwing
      if (e instanceof TracerError) return `Traced<${this.dtype}[${this._shape}]>`;
      throw e;
    }
    return formatArray(values, this._shape, this.dtype);
  }

  /** @internal Whether the values can be read here (concrete, or a live tracer with a value). */
  _readable(): boolean {
    return !this.isTracer || (this._epoch === currentEpoch() && inTrace());
  }

  /** JSON.stringify(x): the values as nested lists (a tracer that cannot be read: its type). */
  toJSON(): unknown {
    if (!this._readable()) return `Tracer<${this.dtype}[${this._shape}]>`;
    // (as toString: an abstract value under jit or vmap gives its type, where JSON.stringify of a tree
    // holding one threw; and a logging read is not the number read tolist notes, which made
    // grad((v) => { JSON.stringify(v); return 0; }) a TracerError about JS arithmetic)
    try { return this._list('toJSON'); } catch (e) {
      if (e instanceof TracerError) return `Traced<${this.dtype}[${this._shape}]>`;
      throw e;
    }
  }

  /** console.log(x) in Node: JAX's repr (np.arrayRepr), not the internal fields (no node:util import needed). */
  [Symbol.for('nodejs.util.inspect.custom')](): string { return this._repr(); }

  /** @internal JAX's repr: Array([1., 2.], dtype=float32). */
  _repr(): string {
    if (this._deleted !== null) {
      const why = this._deleted === RELEASED_BY_TIDY ? 'released by the tidy() that made it' : `donated to ${this._deleted}`;
      return `Array(<deleted: ${why}>, shape=[${this._shape}], dtype=${this.dtype})`;
    }
    const body = this.toString();
    if (!this._readable() || body.startsWith('Traced<')) return body;
    // JAX's ArrayImpl.__repr__: numpy's array2string of the values with prefix 'Array(' (rows
    // wrapped at 75 characters under the first element), then ',' and the dtype after one space,
    // or after six when the last line (not counting a one-line array's prefix) plus the dtype
    // passes 75: on the same line, as JAX writes it. An empty array says its shape (a Python tuple).
    const dtype = `dtype=${this.dtype})`;
    const s = this.size === 0 ? `[], shape=(${this._shape.join(', ')}${this.ndim === 1 ? ',' : ''})`
      : formatArray(this._values('inspect'), this._shape, this.dtype, ', ', 'Array(', ')');
    const lastLine = s.length - s.lastIndexOf('\n') + 1; // (JAX's last_line_len, its off-by-two included)
    return `Array(${s},${lastLine + dtype.length + 1 > 75 ? '      ' : ' '}${dtype}`;
  }

  /** A concrete scalar's number, so `if (x < 3)` works under grad/jvp/vjp. */
  valueOf(): number {
    if (this.size !== 1) {
      const jc = this.isTracer ? jitContext() : undefined;
      if (jc !== undefined) {
        throw new TracerError(`valueOf: under jit(${jc.name}) this value (${describe(this._shape, this.dtype)}) is abstract, and it has ` +
          `${this.size} elements: a JS comparison or operator on it (\`x < 3\`, \`x * 2\`, Math.sin(x)) has no one number to use. ` +
          'Compute with np.where / np.less / np.multiply, or mark the argument with staticArgnums');
      }
      throw new ValueError(`valueOf: the truth value or number of an array with shape [${this._shape}] is ambiguous; ` +
        'only one-element arrays convert to a JS number');
    }
    if (this.dtype === 'complex64' || this.dtype === 'complex128') {
      throw new DTypeError(`valueOf: a ${this.dtype} value has no JS number (and no order); use item() for { re, im }, or np.real / np.abs`);
    }
    const v = this._values('valueOf');
    if (this.isTracer) noteTracerValueOf(this._row);
    return v[0];
  }

  // `+` and `==` ask with hint 'default', not saying whether a number or a string is wanted: on
  // more than one element `x + 1` was the string 'Array([1, 2], dtype=float32)1', a silent wrong
  // value. It throws, and so must `'x = ' + x` (JS gives no way to tell the two apart); a template
  // literal or String(x) asks for a string and prints.
  [Symbol.toPrimitive](hint: string): number | string {
    if (hint === 'string') return this.toString();
    if (hint === 'default' && this.size !== 1) {
      throw new ValueError(`Array + ... (JS's + or ==): on an Array of shape [${this._shape}] (${this.size} elements) JS's + ` +
        'would concatenate strings, not add; use np.add(x, y) for arithmetic and np.equal for ==, and to print, ' +
        'a template literal `x = ${x}`, String(x) or console.log(x)');
    }
    return this.valueOf();
  }

  *[Symbol.iterator](): Iterator<NDArray> {
    if (this.ndim === 0) {
      throw new ValueError(`Array[Symbol.iterator] (for..of, spread, destructuring): iteration over a 0-d array ${describe(this._shape, this.dtype)} ` +
        '(numpy\'s TypeError); read it with x.item(), or np.atleast1d(x) to iterate one element');
    }
    for (let i = 0; i < this._shape[0]; i++) yield indexFirst(this, i);
  }

  get [Symbol.toStringTag](): string { return 'cotangent.Array'; }
}

// dtype, size and shape: getters, with setters that refuse (typed readonly above; assigning them in
// JS reached ops that trust them: x.dtype = 'float64' read float32 bytes as float64)
Object.defineProperties(NDArray.prototype, {
  dtype: { get(this: NDArray) { return this._dtype; }, set(this: NDArray, d: unknown) { readOnly('dtype', `np.astype(x, '${String(d)}') converts`); }, configurable: true },
  size: { get(this: NDArray) { return this._size; }, set() { readOnly('size', 'np.reshape or np.resize make another shape'); }, configurable: true },
  shape: { get(this: NDArray) { return this._shape.slice(); }, set() { readOnly('shape', 'np.reshape(x, shape) makes an Array of another shape'); }, configurable: true },
});

// x[0] on an Array read undefined (a JS object has no element 0; random.split(key)[0] was the
// common case) and x[0] = v made a property that no op reads. The first INDEX_TRAPS indices are
// accessors on the prototype that say what to write instead: x.get(i), or destructuring
// (`const [k1, k2] = random.split(key)`: an Array iterates over its first axis). Past them x[i] is
// still undefined; a Proxy would catch every index, at a cost on every property read. Negative
// ones too (numpy's x[-1], a string key to JS): -1 to -INDEX_TRAPS.
const INDEX_TRAPS = 1024;
for (let i = -INDEX_TRAPS; i < INDEX_TRAPS; i++) {
  Object.defineProperty(NDArray.prototype, i, {
    get(this: NDArray) {
      throw new ValueError(`Array[${i}]: an Array has no JS elements (x[${i}] would be undefined); use x.get(${i}) (numpy's x[${i}], ` +
        `differentiable), or destructure: const [a, b] = x, as const [k1, k2] = random.split(key)`);
    },
    set(this: NDArray) {
      throw new ValueError(`Array[${i}] = ...: Arrays are immutable (the assignment would change nothing); x.at(${i}).set(v) returns an updated copy`);
    },
    configurable: true,
  });
}

// A frozen Array (Object.freeze(x), as a deep-freezing store such as Immer's or Redux Toolkit's
// does in development) cannot record the caches an op writes on it (the const row of the trace,
// its block in wasm memory, its uploads): each op threw a JS TypeError "Cannot assign to read only
// property '_cacheRow'". It reads through a twin instead: an unfrozen Array holding the same values
// (the same immutable JS data, or the same heap block, which eviction moves to JS memory for both),
// kept while the frozen one lives and never released by tidy. (Fields held in an inner object of
// their own would survive Object.freeze too, at 12-15% of a small eager op.)
const twins = new WeakMap<NDArray, NDArray>();
let makingTwin = false;
function thawed(x: NDArray): NDArray {
  let t = twins.get(x);
  if (t === undefined) {
    makingTwin = true;
    try { t = new NDArray(x._shape, x.dtype, x._js); } finally { makingTwin = false; }
    t._block = x._block;
    t._uploads = x._uploads;
    twins.set(x, t);
  }
  return t;
}

// A JS list's methods on an Array: x.map(f) threw JS's bare "x.map is not a function" (and a 0-d
// x.toFixed(2) the same). Each is a method that says what to write: the values as a JS list, a
// numpy op, or vmap. Methods, not throwing getters, so that `typeof x.map` and other duck-typing
// probes stay quiet.
const LIST_METHODS: Record<string, string> = {
  map: 'vmap(f)(x) maps f over the first axis (differentiable); x.tolist().map(f) maps JS values',
  forEach: 'for (const row of x) iterates over the first axis; x.tolist() gives JS values',
  reduce: 'np.sum / np.prod / np.max (with { axis }) reduce; x.tolist().reduce(f) reduces JS values',
  filter: 'np.where(cond, x, fill) keeps shapes static; x.get(mask) selects by a bool mask',
  some: 'np.any(cond)', every: 'np.all(cond)', includes: 'np.any(np.equal(x, v))', indexOf: 'np.argmax(np.equal(x, v))',
  find: 'x.get(np.argmax(cond))', concat: 'np.concatenate([x, y])', join: 'x.tolist().join(sep)',
  slice: "x.get('1:3') (numpy's x[1:3]; slice strings and { start, stop, step } per axis)", push: 'np.concatenate([x, np.atleast1d(v)]) (Arrays are immutable)',
  reverse: 'np.flip(x)', flat: 'np.ravel(x)', fill: 'np.full(x.shape, v)',
  toFixed: 'x.item().toFixed(digits) (a one-element Array) or np.round(x, digits)',
  // numpy's in-place methods (and TypedArray's set): Arrays are immutable, as JAX's
  set: 'x.at(idx).set(v) returns the updated Array (Arrays are immutable, as JAX\'s)',
  put: 'np.put(x, ind, v) returns the updated Array (Arrays are immutable, as JAX\'s)',
  itemset: 'x.at(i).set(v) returns the updated Array (Arrays are immutable, as JAX\'s)',
  resize: 'np.resize(x, shape) or np.reshape(x, shape) returns a new Array (Arrays are immutable, as JAX\'s)',
  partition: 'np.partition(x, kth) returns the partitioned Array (Arrays are immutable, as JAX\'s)',
};
for (const [name, instead] of Object.entries(LIST_METHODS)) {
  Object.defineProperty(NDArray.prototype, name, {
    value: function (this: NDArray) {
      throw new ValueError(`Array.${name}: an Array ${describe(this._shape, this.dtype)} is not a JS list and has no ${name}; ${instead}`);
    },
    writable: true, configurable: true, enumerable: false,
  });
}

/** x[i] along the first axis: the numpy layer installs a differentiable implementation. */
let indexImpl: ((x: NDArray, i: number) => NDArray) | null = null;
export function setIndexImpl(fn: (x: NDArray, i: number) => NDArray): void { indexImpl = fn; }
function indexFirst(x: NDArray, i: number): NDArray {
  if (indexImpl === null) throw new CotangentError('indexing is not available');
  return indexImpl(x, i);
}

