// Collectives over vmap's named axes (JAX's vmap(f, axis_name=...) with lax.psum, pmean,
// axisIndex, axisSize). vmap keeps a stack of its open levels' names; a name stands for the
// innermost open level so named (JAX: an inner name shadows an outer one). psum is one primitive
// (assembly/ad/rules/collective.ts): the sum across examples exists only at batching time, where
// the whole batch is in hand, so it cannot be composed from per-example rows.
import { NDArray } from './array.js';
import { asarray } from './numpy.js';
import { bind } from './bind.js';
import { flatten, unflatten, type PyTree } from './tree.js';
import { convertElementType, add, mul, div, iota, broadcastInDim } from './lax.js';
import { abi } from '../core/abi.js';
import { ValueError, errorFromCode, NotImplementedError } from '../core/errors.js';
import { show } from './options.js';

/** An open vmap level with a name: its wasm level id, batch size, each example's index (null until made), the tape it runs on. */
interface Frame { name: unknown; id: number; size: number; index: NDArray | null; tape: number; psums: number }
const frames: Frame[] = [];

/** Axes up to this many examples get their index when they open (an int32 each); longer ones on first use. */
const EAGER_INDEX_MAX = 2 ** 20;

/** Each example's index: an int32 iota batched at the frame's level, made on the current trace. */
function makeIndex(f: Frame): NDArray {
  const where = 'lax.axisIndex';
  return NDArray.tracer(check(abi().vmap_in(iota('int32', f.size)._rowIn(where), 0, f.id), where));
}

/**
 * vmap opened level `id` of `size` examples under `name` (closed by the returned function). The
 * index is made here, on the vmap's own trace: a loop body, branch or jitted function traced on a
 * tape of its own (under the vmap) closes over it like any outer value, and their rows' batching
 * rules batch it (an iota made on such a tape was a view of a level that tape does not have: an
 * internal error when it was frozen). Past EAGER_INDEX_MAX examples it waits for axisIndex (4 bytes
 * an example on every call: a vmap of 2^30 examples by axisSize ran out of memory for it).
 */
export function openNamedAxis(name: unknown, id: number, size: number): () => void {
  const f: Frame = { name, id, size, index: null, tape: abi().tape_current(), psums: 0 };
  if (size <= EAGER_INDEX_MAX) f.index = makeIndex(f);
  frames.push(f);
  const depth = frames.length;
  return () => { frames.length = depth - 1; };
}

/** A vmap axisName is any JS value but undefined and a list (JAX: any hashable; a tuple names several axes). */
export function checkAxisName(where: string, name: unknown): void {
  if (name === undefined || name === null || Array.isArray(name) || (typeof name === 'number' && !Number.isFinite(name))) {
    throw new ValueError(`${where}: axisName must be a string, a number or a symbol, got ${show(name)}`);
  }
}

function framesOf(where: string, axisName: unknown): Frame[] {
  const names = Array.isArray(axisName) ? axisName : [axisName];
  if (names.length === 0 || axisName === undefined) throw new ValueError(`${where}: no axis name given (the name a vmap gave its axis: vmap(f, { axisName: 'i' }))`);
  return names.map((n) => {
    for (let i = frames.length - 1; i >= 0; i--) if (Object.is(frames[i].name, n)) return frames[i];
    const open = frames.map((f) => show(f.name));
    throw new ValueError(`${where}: unbound axis name ${show(n)} (JAX's NameError): ${open.length === 0
      ? 'no vmap with an axisName is running' : `the running vmaps name ${open.join(', ')}`}; name the axis with vmap(f, { axisName: ${show(n)} })`);
  });
}

function check(code: number, where: string): number {
  if (code >= 0) return code;
  abi().clear_error();
  throw errorFromCode(-code, where);
}

/**
 * How many psum rows have been emitted over the named axes open now (eager vmap's cond and while compare it around a branch or
 * body: one holding a psum takes jit's row path instead, whose batching rule vmaps the branch or
 * body, so an inner transform's tangents and cotangents reach the psum from every example, as in
 * JAX; eager's own path enters the examples not taking a branch through stopGradient, which cut them).
 * A psum over a named vmap opened and closed inside the branch or body is not counted: it sums
 * within each example of the loop's or cond's level, where eager's path is right (counted, an
 * inner vmap's psum sent an eager loop to the row path, whose reverse mode is refused).
 */
export function psumCount(): number { return frames.reduce((n, f) => n + f.psums, 0); }

/** One leaf summed over the named axes: a JS number times the sizes (JAX's psum(1, 'i') is the axis size). */
function psumLeaf(where: string, leaf: unknown, fs: Frame[]): unknown {
  if (typeof leaf === 'number') return fs.reduce((v, f) => v * f.size, leaf);
  for (const f of fs) f.psums++;
  let x = asarray(leaf as never, undefined, where);
  if (x.dtype === 'bool') x = convertElementType(x, 'int32'); // (JAX: bools are summed as int32)
  for (const f of fs) x = bind('psum', [x], [f.id, f.size], () => `${where}: ${x.dtype} Array`);
  return x;
}

/** jax.lax.psum: x (a tree) summed over the examples of the named vmap axis (or a list of names). */
export function psum<T>(x: T, axisName: unknown): T {
  const where = 'lax.psum';
  const fs = framesOf(where, axisName);
  const [leaves, def] = flatten(x as PyTree, where);
  return unflatten(def, leaves.map((l) => psumLeaf(where, l, fs)) as never) as T;
}

/** jax.lax.pmean: psum divided by the number of examples summed (a float result for integers, as JAX's true division). */
export function pmean<T>(x: T, axisName: unknown): T {
  const where = 'lax.pmean';
  const fs = framesOf(where, axisName);
  const n = fs.reduce((v, f) => v * f.size, 1);
  const [leaves, def] = flatten(x as PyTree, where);
  return unflatten(def, leaves.map((l) => {
    const s = psumLeaf(where, l, fs);
    if (typeof s === 'number') return s / n;
    let a = s as NDArray;
    if (a.dtype === 'int32' || a.dtype === 'uint32') a = convertElementType(a, 'float32');
    // (the count broadcast to the per-example shape: lax.div takes equal shapes, so a non-scalar x failed)
    return div(a, broadcastInDim(asarray(n, a.dtype), a.shape, []));
  }) as never) as T;
}

/** jax.lax.axis_index: each example's int32 index along the named axis (a list of names: row-major over them). */
export function axisIndex(axisName: unknown): NDArray {
  const where = 'lax.axisIndex';
  const fs = framesOf(where, axisName);
  let index: NDArray | null = null;
  for (const f of fs) {
    if (f.index === null) {
      if (abi().tape_current() !== f.tape) {
        throw new NotImplementedError(`${where}: the axis ${show(f.name)} has ${f.size} examples (more than 2^20), whose index is made ` +
          'on first use, and here that is inside a loop body, branch or jitted function traced on a tape of its own: call ' +
          'lax.axisIndex in the vmapped function itself first, or map over np.arange(n) as an argument');
      }
      f.index = makeIndex(f);
    }
    index = index === null ? f.index : add(mul(index, asarray(f.size, 'int32')), f.index);
  }
  return index!;
}

/** jax.lax.axis_size: the number of examples along the named axis (a list of names: the product), a JS number. */
export function axisSize(axisName: unknown): number {
  return framesOf('lax.axisSize', axisName).reduce((v, f) => v * f.size, 1);
}

/** vmap's spmdAxisName names a mesh axis to shard over; one device has none. */
export function refuseSpmd(): never {
  throw new NotImplementedError('vmap: spmdAxisName (sharding the batch over a device mesh) is not built: cotangent runs on one device');
}
