// jax.lax.associative_scan: the inclusive scan of an associative binary fn over a pytree of
// Arrays along one axis, in O(log n) levels of vectorized calls to fn (JAX's algorithm, from
// Blelloch's: adjacent pairs combined, the half-length scan recursed on, each even position
// combined with the odd prefix before it, the two interleaved). Composed of lax slices,
// concatenates and reshapes, so it differentiates, batches and jits as they do.
import { NDArray } from '../array.js';
import * as lax from '../lax.js';
import { sliceInDim, rev, expandDims } from '../lax_more.js';
import { asarrayHint } from '../numpy.js';
import { callSync } from '../transforms/trace_args.js';
import { flatten, unflatten, sameStructure, show as showTree, type TreeDef, type TreeLike } from '../tree.js';
import { ShapeError, ValueError, describe } from '../../core/errors.js';
import { readOptions, show } from '../options.js';

export interface AssociativeScanOptions {
  /** Scan from the end (JAX's reverse: the result is the scan of the reversed elems, reversed back). */
  reverse?: boolean;
  /** The axis scanned along, in every leaf (default 0). */
  axis?: number;
}

const WHERE = 'lax.associativeScan';

/**
 * lax.associativeScan(fn, elems, { reverse, axis }) (or JAX's positional (fn, elems, reverse, axis)):
 * out[i] = fn(out[i - 1], elems[i]) for an associative fn, out[0] = elems[0]. fn takes two pytrees
 * shaped as elems, with the scanned axis in place but of any length (it is called on slices of
 * every other element), and must act elementwise along that axis, as JAX requires. Its first
 * argument is always the earlier one, so a non-commutative fn (matrix products, the composition
 * of affine maps) is applied in order.
 */
export function associativeScan<T>(fn: (a: T, b: T) => T, elems: T, options?: AssociativeScanOptions | boolean | null, axisArg?: number): T {
  if (typeof fn !== 'function') throw new ValueError(`${WHERE}: fn must be a function (a, b) => c, got ${show(fn)}`);
  const o = typeof options === 'boolean' || options === null || axisArg !== undefined
    ? { reverse: options ?? undefined, axis: axisArg } as AssociativeScanOptions
    : readOptions<AssociativeScanOptions>(WHERE, options, { reverse: 'boolean', axis: 'number' });
  if (o.reverse !== undefined && typeof o.reverse !== 'boolean') throw new ValueError(`${WHERE}: reverse must be a boolean, got ${show(o.reverse)}`);
  const [raw, def] = flatten(elems as TreeLike);
  if (raw.length === 0) throw new ValueError(`${WHERE}: elems has no Arrays (${show(elems)})`);
  const leaves = raw.map((l, k) => asarrayHint(l, undefined, `${WHERE}: elems leaf ${k}`));
  const nd = leaves[0].ndim;
  const axis0 = o.axis ?? 0;
  if (!Number.isInteger(axis0) || axis0 < -nd || axis0 >= nd) {
    // (a JS list is a tree, as a Python list is to JAX: [1, 2, 3] is three 0-d leaves)
    const list = Array.isArray(elems) && nd === 0 ? `; a JS list is a tree of its elements, as in JAX: scan np.array(${show(elems)}) instead` : '';
    throw new ValueError(`${WHERE}: axis ${show(axis0)} is out of range for elems of rank ${nd} (${describe(leaves[0].shape, leaves[0].dtype)})${list}`);
  }
  const axis = axis0 < 0 ? axis0 + nd : axis0; // (JAX canonicalizes by the first leaf's rank)
  const n = leaves[0].shape[axis];
  leaves.forEach((l, k) => {
    if (l.ndim <= axis || l.shape[axis] !== n) {
      throw new ShapeError(`${WHERE}: every leaf of elems needs the same length along axis ${axis}; leaf 0 is ${describe(leaves[0].shape, leaves[0].dtype)}, leaf ${k} ${describe(l.shape, l.dtype)}`);
    }
  });
  const flip = (xs: NDArray[]) => xs.map((x) => rev(x, [axis]));
  const combine = (a: NDArray[], b: NDArray[]) => combined(fn, def, a, b, axis);
  const scanned = scanLevels(o.reverse ? flip(leaves) : leaves, combine, axis);
  return unflatten(def, o.reverse ? flip(scanned) : scanned) as T;
}

/** fn on two lists of leaves, its output checked against their structure and shapes (fn's errors reach the caller as they are). */
function combined<T>(fn: (a: T, b: T) => T, def: TreeDef, a: NDArray[], b: NDArray[], axis: number): NDArray[] {
  const out = callSync(WHERE, 'fn', fn, unflatten(def, a) as T, unflatten(def, b) as T);
  const [ol, od] = flatten(out as TreeLike);
  if (!sameStructure(def, od)) throw new ValueError(`${WHERE}: fn must return a tree shaped as elems, ${showTree(def)}; it returned ${showTree(od)}`);
  return ol.map((l, k) => {
    const x = asarrayHint(l, a[k].dtype, `${WHERE}: fn's output leaf ${k}`);
    // (fn must act elementwise along the axis: a reduction or a broadcast there would interleave garbage)
    if (x.dtype !== a[k].dtype) {
      throw new ValueError(`${WHERE}: fn must return each leaf in its dtype (the results are stacked with elems' own): given ${describe(a[k].shape, a[k].dtype)} and ${describe(b[k].shape, b[k].dtype)}, leaf ${k} of its output is ${describe(x.shape, x.dtype)}`);
    }
    if (x.ndim !== a[k].ndim || x.shape[axis] !== a[k].shape[axis]) {
      throw new ShapeError(`${WHERE}: fn must keep each leaf's shape along axis ${axis} (it is applied to slices of elems): given ${describe(a[k].shape, a[k].dtype)} and ${describe(b[k].shape, b[k].dtype)}, leaf ${k} of its output is ${describe(x.shape, x.dtype)}`);
    }
    return x;
  });
}

function scanLevels(elems: NDArray[], combine: (a: NDArray[], b: NDArray[]) => NDArray[], axis: number): NDArray[] {
  const n = elems[0].shape[axis];
  if (n < 2) return elems;
  const slice = (x: NDArray, start: number, limit: number | null, stride = 1) => sliceInDim(x, start, limit, stride, axis);
  // pairs (0, 1), (2, 3), ...: their scan gives the prefixes ending at the odd positions
  const odd = scanLevels(combine(elems.map((x) => slice(x, 0, n - 1, 2)), elems.map((x) => slice(x, 1, null, 2))), combine, axis);
  // each even position from 2 on combined with the odd prefix before it (n even: the last odd one has no even after it)
  const evenRest = elems.map((x) => slice(x, 2, null, 2));
  const rest = evenRest[0].shape[axis] === 0 ? null : combine(n % 2 === 0 ? odd.map((x) => slice(x, 0, x.shape[axis] - 1)) : odd, evenRest);
  const even = elems.map((x, k) => (rest === null ? slice(x, 0, 1) : lax.concatenate([slice(x, 0, 1), rest[k]], axis)));
  return even.map((e, k) => interleave(e, odd[k], axis));
}

/** e[0], o[0], e[1], o[1], ... along axis (e as long as o, or one longer). */
function interleave(e: NDArray, o: NDArray, axis: number): NDArray {
  const m = o.shape[axis], extra = e.shape[axis] - m;
  const head = extra === 0 ? e : sliceInDim(e, 0, m, 1, axis);
  const shape = [...e.shape.slice(0, axis), 2 * m, ...e.shape.slice(axis + 1)];
  const pairs = lax.concatenate([expandDims(head, [axis + 1]), expandDims(o, [axis + 1])], axis + 1);
  const woven = lax.reshape(pairs, shape);
  return extra === 0 ? woven : lax.concatenate([woven, sliceInDim(e, m, m + 1, 1, axis)], axis);
}
