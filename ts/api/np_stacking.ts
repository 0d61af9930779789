// numpy's stacking family and dimension helpers, composed from concatenate, stack and reshape
// (so they differentiate, batch and trace as those do): vstack, hstack, dstack, columnStack,
// atleast1d/2d/3d, and numpy 2's concat / permuteDims / matrixTranspose spellings.
import { NDArray, ArrayInput } from './array.js';
import { concatenate, reshape, swapaxes, transpose, commonDtype } from './numpy.js';
import { atMost, readOptions, show } from './options.js';
import { operand } from './np_shared.js';
import { ValueError, ShapeError, describe } from '../core/errors.js';

function arrays(where: string, xs: ArrayInput[] | NDArray): NDArray[] {
  // jnp's: an Array is the list of its slices along axis 0
  if (xs instanceof NDArray && xs.ndim > 0) xs = [...xs];
  if (!Array.isArray(xs) || xs.length === 0) throw new ValueError(`${where}: need a non-empty list of arrays`);
  // JS values in the common dtype, as np.concatenate and np.stack read them (a JS list beside a
  // float64 Array was float32 first: vstack([float64 [1, 2], [0.1, 0.2]]) held 0.10000000149011612)
  const dt = commonDtype(where, xs);
  return xs.map((x, i) => operand(where, i, x, dt));
}

/** numpy.atleast_1d: 0-d arrays become shape [1]; others as they are. Several arguments: a list of each. */
export function atleast1d(x: ArrayInput): NDArray;
export function atleast1d(...xs: ArrayInput[]): NDArray[];
export function atleast1d(...xs: ArrayInput[]): NDArray | NDArray[] {
  return each('np.atleast1d', xs, (a) => (a.ndim >= 1 ? a : reshape(a, [1])));
}
/** numpy.atleast_2d: [] -> [1, 1], [n] -> [1, n]. Several arguments: a list of each. */
export function atleast2d(x: ArrayInput): NDArray;
export function atleast2d(...xs: ArrayInput[]): NDArray[];
export function atleast2d(...xs: ArrayInput[]): NDArray | NDArray[] {
  return each('np.atleast2d', xs, (a) => (a.ndim >= 2 ? a : reshape(a, a.ndim === 0 ? [1, 1] : [1, a.shape[0]])));
}
/** numpy.atleast_3d: [] -> [1, 1, 1], [n] -> [1, n, 1], [m, n] -> [m, n, 1]. Several arguments: a list of each. */
export function atleast3d(x: ArrayInput): NDArray;
export function atleast3d(...xs: ArrayInput[]): NDArray[];
export function atleast3d(...xs: ArrayInput[]): NDArray | NDArray[] {
  return each('np.atleast3d', xs, (a) => {
    if (a.ndim >= 3) return a;
    return reshape(a, a.ndim === 0 ? [1, 1, 1] : a.ndim === 1 ? [1, a.shape[0], 1] : [...a.shape, 1]);
  });
}
/** f of each argument: one Array for one argument, a list for several (numpy's atleast_*d). */
function each(where: string, xs: ArrayInput[], f: (a: NDArray) => NDArray): NDArray | NDArray[] {
  if (xs.length === 0) throw new ValueError(`${where}: needs at least one array`);
  const out = xs.map((x, i) => f(operand(where, i, x)));
  return out.length === 1 ? out[0] : out;
}

/**
 * concatenate(raised, axis), its shapes checked first so that a mismatch names the function the
 * user called and the shapes the user passed (it named np.concatenate and the reshaped ones:
 * np.vstack of [2, 3] and [4] reported "cannot join float32[2,3], float32[1,4]"); `rule` says
 * what must match, in the user's terms.
 */
function join(where: string, given: NDArray[], raised: NDArray[], axis: number, rule: string): NDArray {
  const s0 = raised[0]._shape;
  const k = raised.findIndex((a) => a.ndim !== s0.length || a._shape.some((d, i) => i !== axis && d !== s0[i]));
  if (k >= 0) {
    throw new ShapeError(`${where}: cannot join ${given.map((a) => describe(a._shape, a.dtype)).join(', ')}: argument ${k} ` +
      `(${describe(given[k]._shape, given[k].dtype)}) does not fit argument 0 (${describe(given[0]._shape, given[0].dtype)}); ${rule}`);
  }
  return concatenate(raised, { axis });
}

/** numpy.vstack: rows stacked (1-d arrays as rows first). */
export function vstack(xs: ArrayInput[] | NDArray): NDArray {
  const as = arrays('np.vstack', xs);
  return join('np.vstack', as, as.map((a) => atleast2d(a)), 0, 'the ranks must be equal and the sizes match in every axis but the first (a 1-d [n] counts as a row [1, n], a 0-d one as [1, 1])');
}
/** numpy.hstack: along axis 1 (axis 0 for 1-d arrays). */
export function hstack(xs: ArrayInput[] | NDArray): NDArray {
  const given = arrays('np.hstack', xs), as = given.map((a) => atleast1d(a));
  return join('np.hstack', given, as, as[0].ndim === 1 ? 0 : 1,
    'the ranks must be equal (a 0-d one counts as [1]) and the sizes match in every axis but the second (the first for 1-d arrays)');
}
/** numpy.dstack: along a third axis (arrays raised to 3-d first). */
export function dstack(xs: ArrayInput[] | NDArray): NDArray {
  const as = arrays('np.dstack', xs);
  return join('np.dstack', as, as.map((a) => atleast3d(a)), 2,
    'the ranks must be equal and the sizes match in every axis but the third (a 0-d one counts as [1, 1, 1], a 1-d [n] as [1, n, 1], a 2-d [m, n] as [m, n, 1])');
}
/** numpy.column_stack: 1-d arrays as columns, 2-d arrays as they are, joined along axis 1. */
export function columnStack(xs: ArrayInput[] | NDArray): NDArray {
  const as = arrays('np.columnStack', xs);
  return join('np.columnStack', as, as.map((a) => (a.ndim < 2 ? reshape(a, [a.size, 1]) : a)), 1,
    'the ranks must be equal (a 0-d or 1-d [n] counts as a column [n, 1]) and the sizes match in every axis but the second');
}

/** numpy 2's names: concat = concatenate, permuteDims = transpose, matrixTranspose = the last two axes swapped. */
export function concat(xs: ArrayInput[] | NDArray, options?: { axis?: number | null } | number | null): NDArray {
  atMost('np.concat', arguments.length, 2);
  return concatenate(xs, options);
}
/**
 * np.append(arr, values, { axis }): values after arr along axis, both raveled first when axis is
 * null (numpy's default); along an axis they must have arr's rank (np.concatenate's rules).
 */
export function append(arr: ArrayInput, values: ArrayInput, options?: { axis?: number | null } | number | null): NDArray {
  atMost('np.append', arguments.length, 3);
  const axis = readOptions<{ axis?: number | null }>('np.append', options, { axis: 'any' }, 'axis').axis;
  if (axis !== null && axis !== undefined && !Number.isInteger(axis)) throw new ValueError(`np.append: axis must be an integer or null, got ${show(axis)}`);
  if (axis === null || axis === undefined) {
    // JS values weak beside the other (a float32 list rounded append(int32 [16777217], 2) to 16777216)
    const dt = commonDtype('np.append', [arr, values]);
    return concatenate([reshape(operand('np.append', 0, arr, dt), [-1]), reshape(operand('np.append', 1, values, dt), [-1])]);
  }
  return concatenate([arr, values], { axis });
}

export function permuteDims(x: ArrayInput, axes?: number[]): NDArray { return axes === undefined ? transpose(x) : transpose(x, axes); }
export function matrixTranspose(x: ArrayInput): NDArray {
  const a = operand('np.matrixTranspose', 0, x);
  if (a.ndim < 2) throw new ValueError(`np.matrixTranspose: needs at least 2 dimensions, got shape [${a.shape}]`);
  return swapaxes(a, -1, -2);
}

/**
 * numpy.block / jnp.block: an array assembled from nested lists of blocks. Lists are the
 * structure (numpy's; a leaf is an Array or a JS number): the innermost lists join along the last
 * axis, the next along the one before, and so on; every block is first raised to
 * max(list depth, largest rank) by leading 1s. The depths must match, and no list may be empty
 * (numpy's ValueErrors). (np.block was missing: a bare JS TypeError "is not a function".)
 */
export function block(arrays: unknown): NDArray {
  const where = 'np.block';
  const leaves: unknown[] = [];
  const depth = (x: unknown, path: string): number => {
    if (!Array.isArray(x)) { leaves.push(x); return 0; }
    if (x.length === 0) throw new ValueError(`${where}: the list at arrays${path} is empty; lists cannot be empty (numpy raises too)`);
    const ds = x.map((e, i) => depth(e, `${path}[${i}]`));
    const bad = ds.findIndex((d) => d !== ds[0]);
    if (bad >= 0) throw new ValueError(`${where}: list depths are mismatched: arrays${path}[0] is ${ds[0]} deep, arrays${path}[${bad}] is ${ds[bad]} deep (numpy raises too)`);
    return ds[0] + 1;
  };
  const d = depth(arrays, '');
  const dt = commonDtype(where, leaves as ArrayInput[]);
  const ops = leaves.map((l, i) => operand(where, i, l as ArrayInput, dt));
  const nd = Math.max(d, ...ops.map((o) => o.ndim));
  let k = 0;
  const build = (x: unknown, level: number): NDArray => {
    if (!Array.isArray(x)) { const o = ops[k++]; return o.ndim === nd ? o : reshape(o, [...Array(nd - o.ndim).fill(1), ...o.shape]); }
    const parts = x.map((e) => build(e, level + 1));
    // level 0 (the outermost list) joins along axis -d, the innermost along -1
    return parts.length === 1 ? parts[0] : concatenate(parts, { axis: nd - d + level });
  };
  return build(arrays, 0);
}
