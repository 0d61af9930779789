// The numpy surface, composed in TS from the primitives in lax.ts: dtype promotion (JAX's,
// with JS numbers weakly typed), numpy broadcasting by explicit broadcast_in_dim, and the
// usual conveniences. Only what needs its own kernel is a primitive.
import { NDArray, ArrayInput, setIndexImpl } from './array.js';
import * as lax from './lax.js';
import { DType, TypedArray, allocTyped, isDType, isComputable, promoteArith, promoteAny } from '../core/dtype.js';
import { DTypeError, ShapeError, TracerError, ValueError, describe } from '../core/errors.js';

export type { DType };
export type Axis = number | number[] | null | undefined;

// ---------------------------------------------------------------- creation

export interface ArrayOptions { dtype?: DType; shape?: number[] }

/** np.array: a JS number, nested JS arrays, a typed array (with `shape`), or another Array. */
export function array(data: ArrayInput | TypedArray, opts: ArrayOptions = {}): NDArray {
  if (opts.dtype !== undefined && !isDType(opts.dtype)) throw new DTypeError(`np.array: unknown dtype '${String(opts.dtype)}'`);
  if (data instanceof NDArray) {
    let out = opts.dtype ? astype(data, opts.dtype) : data;
    if (opts.shape) out = reshape(out, opts.shape);
    return out === data && !data.isTracer ? new NDArray(data.shape.slice(), data.dtype, data._data!.slice()) : out;
  }
  if (ArrayBuffer.isView(data)) return fromTyped(data as TypedArray, opts);
  const shape: number[] = [];
  const flat: (number | boolean)[] = [];
  let allBool = true;
  const walk = (x: unknown, axis: number): void => {
    if (Array.isArray(x)) {
      if (axis === shape.length) shape.push(x.length);
      else if (shape[axis] !== x.length) throw new ShapeError(`np.array: ragged nested list: length ${x.length} at axis ${axis}, expected ${shape[axis]}`);
      for (const e of x) walk(e, axis + 1);
      return;
    }
    if (axis !== shape.length && !(axis === 0 && shape.length === 0)) throw new ShapeError('np.array: ragged nested list (a number where a list was expected)');
    if (x instanceof NDArray) {
      if (x.size !== 1 || x.ndim !== 0) throw new ValueError('np.array: nested Arrays must be scalars; use np.stack for arrays');
      if (x.isTracer) throw new TracerError('np.array: cannot build an array from traced scalars; use np.stack (not yet available) or np.where');
      flat.push(x.dtype === 'bool' ? Boolean(x.item()) : Number(x.item()));
      if (x.dtype !== 'bool') allBool = false;
      return;
    }
    if (typeof x === 'boolean') { flat.push(x); return; }
    if (typeof x !== 'number') throw new ValueError(`np.array: unsupported element ${String(x)} (${typeof x})`);
    allBool = false;
    flat.push(x);
  };
  walk(data, 0);
  const dtype: DType = opts.dtype ?? (allBool && flat.length > 0 ? 'bool' : 'float32');
  const buf = allocTyped(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) buf[i] = Number(flat[i]);
  const out = new NDArray(shape, dtype, buf);
  return opts.shape ? reshape(out, opts.shape) : out;
}

function fromTyped(data: TypedArray, opts: ArrayOptions): NDArray {
  const inferred: DType = data instanceof Float64Array ? 'float64' : data instanceof Uint8Array ? 'bool'
    : data instanceof Int32Array ? 'int32' : data instanceof Uint32Array ? 'uint32' : 'float32';
  const dtype = opts.dtype ?? inferred;
  const shape = opts.shape ?? [data.length];
  const n = shape.reduce((a, b) => a * b, 1);
  const per = dtype === 'complex64' || dtype === 'complex128' ? 2 : 1;
  if (n * per !== data.length) throw new ShapeError(`np.array: ${data.length} values do not fill shape [${shape}]`);
  const buf = allocTyped(dtype, n);
  buf.set(data as any);
  return new NDArray(shape.slice(), dtype, buf);
}

/** Any argument to an Array: JS numbers become weakly typed scalars of `dtype`. */
export function asarray(x: ArrayInput, dtype?: DType): NDArray {
  if (x instanceof NDArray) return x;
  if (typeof x === 'number') return scalar(x, dtype ?? 'float32');
  if (typeof x === 'boolean') return scalar(x ? 1 : 0, dtype ?? 'bool');
  return array(x, dtype ? { dtype } : {});
}

function scalar(v: number, dtype: DType): NDArray {
  const b = allocTyped(dtype, 1);
  b[0] = v;
  return new NDArray([], dtype, b);
}

function filled(shape: number[] | number, value: number, dtype: DType = 'float32', where = 'np.full'): NDArray {
  const s = typeof shape === 'number' ? [shape] : shape.slice();
  checkShape(s, where);
  if (!isDType(dtype)) throw new DTypeError(`${where}: unknown dtype '${String(dtype)}'`);
  const n = s.reduce((a, b) => a * b, 1);
  const b = allocTyped(dtype, n);
  if (value !== 0) b.fill(value);
  return new NDArray(s, dtype, b);
}

export function zeros(shape: number[] | number, opts: { dtype?: DType } = {}): NDArray { return filled(shape, 0, opts.dtype, 'np.zeros'); }
export function ones(shape: number[] | number, opts: { dtype?: DType } = {}): NDArray { return filled(shape, 1, opts.dtype, 'np.ones'); }
export function full(shape: number[] | number, value: number, opts: { dtype?: DType } = {}): NDArray { return filled(shape, value, opts.dtype, 'np.full'); }
export function zerosLike(x: ArrayInput, opts: { dtype?: DType } = {}): NDArray { const a = asarray(x); return filled(a.shape, 0, opts.dtype ?? a.dtype); }
export function onesLike(x: ArrayInput, opts: { dtype?: DType } = {}): NDArray { const a = asarray(x); return filled(a.shape, 1, opts.dtype ?? a.dtype); }

export function eye(n: number, m: number = n, opts: { dtype?: DType } = {}): NDArray {
  const out = filled([n, m], 0, opts.dtype, 'np.eye');
  for (let i = 0; i < Math.min(n, m); i++) out._data![i * m + i] = 1;
  return out;
}

export function arange(start: number, stop?: number, step = 1, opts: { dtype?: DType } = {}): NDArray {
  if (stop === undefined) { stop = start; start = 0; }
  if (step === 0) throw new ValueError('np.arange: step must not be zero');
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const out = filled([n], 0, opts.dtype, 'np.arange');
  for (let i = 0; i < n; i++) out._data![i] = start + i * step;
  return out;
}

export function linspace(start: number, stop: number, num = 50, opts: { dtype?: DType; endpoint?: boolean } = {}): NDArray {
  const endpoint = opts.endpoint ?? true;
  const out = filled([num], 0, opts.dtype, 'np.linspace');
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  for (let i = 0; i < num; i++) out._data![i] = start + i * step;
  if (endpoint && num > 1) out._data![num - 1] = stop;
  return out;
}

function checkShape(s: number[], where: string): void {
  let n = 1;
  for (const d of s) {
    if (!Number.isInteger(d) || d < 0) throw new ShapeError(`${where}: invalid shape [${s}]`);
    n *= d;
  }
  if (n > 2 ** 30) throw new ShapeError(`${where}: shape [${s}] has ${n} elements, more than this wasm32 build holds`);
}

// ---------------------------------------------------------------- promotion and broadcasting

const weak = (x: ArrayInput): boolean => typeof x === 'number' || typeof x === 'boolean';

function requireComputable(where: string, arrays: NDArray[]): void {
  for (const a of arrays) {
    if (!isComputable(a.dtype)) throw new DTypeError(`${where}: ${a.dtype} arrays are not supported yet (got ${describe(a.shape, a.dtype)})`);
  }
}

export function broadcastShapes(where: string, ...shapes: number[][]): number[] {
  const nd = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < nd; i++) {
    let d = 1;
    for (const s of shapes) {
      const k = s.length - nd + i;
      const e = k < 0 ? 1 : s[k];
      if (e === 1) continue;
      if (d !== 1 && d !== e) {
        throw new ShapeError(`${where}: operands could not be broadcast together with shapes ${shapes.map((x) => `[${x}]`).join(' ')}`);
      }
      d = e;
    }
    out.push(d);
  }
  return out;
}

export function broadcastTo(x: ArrayInput, shape: number[]): NDArray {
  const a = asarray(x);
  const out = broadcastShapes('np.broadcastTo', a.shape, shape);
  if (!lax.sameShape(out, shape)) throw new ShapeError(`np.broadcastTo: cannot broadcast [${a.shape}] to [${shape}]`);
  const off = shape.length - a.ndim;
  return lax.broadcastInDim(a, shape, a.shape.map((_, i) => i + off));
}

/** Promote to one dtype and broadcast to one shape, as numpy's elementwise functions do. */
function prepare(where: string, args: ArrayInput[], dtype: DType): NDArray[] {
  const arrays = args.map((a) => asarray(a, dtype));
  requireComputable(where, arrays);
  const shape = broadcastShapes(where, ...arrays.map((a) => a.shape));
  return arrays.map((a) => broadcastTo(astype(a, dtype), shape));
}

function arithDtype(args: ArrayInput[]): DType {
  return promoteArith(args.map((a) => (weak(a) ? null : asarray(a).dtype)));
}

export function astype(x: ArrayInput, dtype: DType): NDArray {
  const a = asarray(x);
  if (a.dtype === dtype) return a;
  requireComputable('astype', [a]);
  if (!isComputable(dtype)) throw new DTypeError(`astype: converting to ${dtype} is not supported yet`);
  return lax.convertElementType(a, dtype);
}

function binary(where: string, f: (x: NDArray, y: NDArray) => NDArray) {
  return (x: ArrayInput, y: ArrayInput): NDArray => {
    const [a, b] = prepare(where, [x, y], arithDtype([x, y]));
    return f(a, b);
  };
}
function unary(where: string, f: (x: NDArray) => NDArray) {
  return (x: ArrayInput): NDArray => {
    const [a] = prepare(where, [x], arithDtype([x]));
    return f(a);
  };
}
function comparison(where: string, f: (x: NDArray, y: NDArray) => NDArray) {
  return (x: ArrayInput, y: ArrayInput): NDArray => {
    let dt = promoteAny([x, y].map((a) => (weak(a) ? null : asarray(a).dtype)));
    if (dt === 'bool' && !(where === 'np.equal' || where === 'np.notEqual')) dt = 'float32';
    const [a, b] = prepare(where, [x, y], dt);
    return f(a, b);
  };
}

// ---------------------------------------------------------------- elementwise

export const add = binary('np.add', lax.add);
export const subtract = binary('np.subtract', lax.sub);
export const multiply = binary('np.multiply', lax.mul);
export const divide = binary('np.divide', lax.div);
export const trueDivide = divide;
export const power = binary('np.power', lax.pow);
export const negative = unary('np.negative', lax.neg);
export const exp = unary('np.exp', lax.exp);
export const log = unary('np.log', lax.log);
export const sin = unary('np.sin', lax.sin);
export const cos = unary('np.cos', lax.cos);
export const tanh = unary('np.tanh', lax.tanh);
export const sqrt = unary('np.sqrt', lax.sqrt);
export const less = comparison('np.less', lax.lt);
export const lessEqual = comparison('np.lessEqual', lax.le);
export const greater = comparison('np.greater', lax.gt);
export const greaterEqual = comparison('np.greaterEqual', lax.ge);
export const equal = comparison('np.equal', lax.eq);
export const notEqual = comparison('np.notEqual', lax.ne);

export function square(x: ArrayInput): NDArray { return multiply(x, x); }
export function reciprocal(x: ArrayInput): NDArray { return divide(1, x); }
export function tan(x: ArrayInput): NDArray { return divide(sin(x), cos(x)); }
/** |x|, with derivative sign(x) (0 at 0, as JAX). */
export function abs(x: ArrayInput): NDArray {
  const a = asarray(x);
  return where(greater(a, 0), a, where(less(a, 0), negative(a), multiply(a, 0)));
}
/** Elementwise max; at ties the gradient splits evenly between x and y, as JAX's. */
export function maximum(x: ArrayInput, y: ArrayInput): NDArray {
  return where(greater(x, y), x, where(less(x, y), y, multiply(add(x, y), 0.5)));
}
export function minimum(x: ArrayInput, y: ArrayInput): NDArray {
  return where(less(x, y), x, where(greater(x, y), y, multiply(add(x, y), 0.5)));
}
/** The logistic function 1 / (1 + e^-x), written through tanh so it never overflows. */
export function sigmoid(x: ArrayInput): NDArray { return multiply(0.5, add(tanh(multiply(x, 0.5)), 1)); }

/** np.where(cond, x, y) with broadcasting; cond is compared with 0 unless bool. */
export function where(cond: ArrayInput, x: ArrayInput, y: ArrayInput): NDArray {
  let c = asarray(cond, 'bool');
  if (c.dtype !== 'bool') c = notEqual(c, 0);
  const dt = promoteAny([x, y].map((a) => (weak(a) ? null : asarray(a).dtype)));
  const [a, b] = prepare('np.where', [x, y], dt);
  const shape = broadcastShapes('np.where', c.shape, a.shape);
  return lax.select(broadcastTo(c, shape), broadcastTo(a, shape), broadcastTo(b, shape));
}

// ---------------------------------------------------------------- reductions

function axesOf(axis: Axis, ndim: number, where: string): number[] {
  if (axis === null || axis === undefined) return [...Array(ndim).keys()];
  return lax.normalizeAxes(typeof axis === 'number' ? [axis] : axis, ndim, where);
}

export function sum(x: ArrayInput, opts: { axis?: Axis; keepdims?: boolean } = {}): NDArray {
  let a = asarray(x);
  requireComputable('np.sum', [a]);
  if (a.dtype === 'bool') a = astype(a, 'float32');
  const axes = axesOf(opts.axis, a.ndim, 'np.sum');
  const out = lax.reduceSum(a, axes);
  return opts.keepdims ? lax.reshape(out, a.shape.map((d, i) => (axes.includes(i) ? 1 : d))) : out;
}

export function mean(x: ArrayInput, opts: { axis?: Axis; keepdims?: boolean } = {}): NDArray {
  const a = asarray(x);
  const axes = axesOf(opts.axis, a.ndim, 'np.mean');
  const count = axes.reduce((n, i) => n * a.shape[i], 1);
  return divide(sum(a, opts), count);
}

// ---------------------------------------------------------------- shapes

export function reshape(x: ArrayInput, shape: number[] | number): NDArray {
  const a = asarray(x);
  const s = typeof shape === 'number' ? [shape] : shape.slice();
  const unknown = s.indexOf(-1);
  if (unknown >= 0) {
    const known = s.reduce((n, d, i) => (i === unknown ? n : n * d), 1);
    if (known === 0 || a.size % known !== 0) throw new ShapeError(`np.reshape: cannot reshape ${describe(a.shape, a.dtype)} to [${shape}]`);
    s[unknown] = a.size / known;
  }
  if (s.reduce((n, d) => n * d, 1) !== a.size || s.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(`np.reshape: cannot reshape ${describe(a.shape, a.dtype)} (size ${a.size}) to [${shape}]`);
  }
  if (!a.isTracer) return lax.sameShape(a.shape, s) ? a : new NDArray(s, a.dtype, a._data!);
  return lax.reshape(a, s);
}

export function ravel(x: ArrayInput): NDArray { return reshape(x, [-1]); }

export function transpose(x: ArrayInput, axes?: number[]): NDArray {
  const a = asarray(x);
  const perm = axes ?? [...Array(a.ndim).keys()].reverse();
  if (perm.length !== a.ndim) throw new ValueError(`np.transpose: axes [${perm}] do not match ${describe(a.shape, a.dtype)}`);
  return lax.transpose(a, perm.map((p) => (p < 0 ? p + a.ndim : p)));
}

export function expandDims(x: ArrayInput, axis: number): NDArray {
  const a = asarray(x);
  const ax = axis < 0 ? axis + a.ndim + 1 : axis;
  const s = a.shape.slice();
  s.splice(ax, 0, 1);
  return reshape(a, s);
}

export function squeeze(x: ArrayInput, axis?: number | number[]): NDArray {
  const a = asarray(x);
  const axes = axis === undefined ? a.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : axesOf(axis, a.ndim, 'np.squeeze');
  for (const i of axes) if (a.shape[i] !== 1) throw new ValueError(`np.squeeze: axis ${i} of ${describe(a.shape, a.dtype)} is not 1`);
  return reshape(a, a.shape.filter((_, i) => !axes.includes(i)));
}

/** numpy.concatenate: arrays promoted to one dtype, joined along `axis` (default 0). */
export function concatenate(xs: ArrayInput[], opts: { axis?: number } = {}): NDArray {
  if (!Array.isArray(xs) || xs.length === 0) throw new ValueError('np.concatenate: need a non-empty list of arrays');
  const dt = promoteAny(xs.map((a) => (weak(a) ? null : asarray(a).dtype)));
  const arrays = xs.map((a) => astype(asarray(a, dt), dt));
  if (arrays.some((a) => a.ndim === 0)) throw new ValueError('np.concatenate: zero-dimensional arrays cannot be concatenated (use np.stack)');
  const nd = arrays[0].ndim;
  if (arrays.some((a) => a.ndim !== nd)) {
    throw new ShapeError(`np.concatenate: all inputs must have the same number of dimensions, got ${arrays.map((a) => describe(a.shape, a.dtype)).join(', ')}`);
  }
  return lax.concatenate(arrays, opts.axis ?? 0);
}

/** numpy.stack: arrays of one shape joined along a new axis. */
export function stack(xs: ArrayInput[], opts: { axis?: number } = {}): NDArray {
  if (!Array.isArray(xs) || xs.length === 0) throw new ValueError('np.stack: need a non-empty list of arrays');
  const arrays = xs.map((a) => asarray(a));
  const shape = arrays[0].shape;
  if (arrays.some((a) => !lax.sameShape(a.shape, shape))) {
    throw new ShapeError(`np.stack: all input arrays must have the same shape, got ${arrays.map((a) => describe(a.shape, a.dtype)).join(', ')}`);
  }
  const axis = opts.axis ?? 0;
  const ax = lax.normalizeAxes([axis], shape.length + 1, 'np.stack')[0];
  return concatenate(arrays.map((a) => expandDims(a, ax)), { axis: ax });
}

/** numpy.split: `sections` equal pieces, or cuts at the given indices, along `axis` (default 0). */
export function split(x: ArrayInput, sections: number | number[], opts: { axis?: number } = {}): NDArray[] {
  const a = asarray(x);
  if (a.ndim === 0) throw new ValueError('np.split: cannot split a zero-dimensional array');
  const ax = lax.normalizeAxes([opts.axis ?? 0], a.ndim, 'np.split')[0];
  const n = a.shape[ax];
  let sizes: number[];
  if (typeof sections === 'number') {
    if (!Number.isInteger(sections) || sections < 1 || n % sections !== 0) {
      throw new ValueError(`np.split: array split does not result in an equal division (${n} into ${sections})`);
    }
    sizes = Array(sections).fill(n / sections);
  } else {
    const cuts = sections.map((c) => Math.min(Math.max(c < 0 ? c + n : c, 0), n));
    if (cuts.some((c, i) => !Number.isInteger(c) || (i > 0 && c < cuts[i - 1]))) {
      throw new ValueError(`np.split: indices must be increasing integers, got [${sections}] (overlapping pieces are not supported)`);
    }
    const bounds = [0, ...cuts, n];
    sizes = bounds.slice(1).map((b, i) => b - bounds[i]);
  }
  return lax.split(a, sizes, ax);
}

// ---------------------------------------------------------------- products

function promotePair(where: string, x: ArrayInput, y: ArrayInput): [NDArray, NDArray] {
  const dt = arithDtype([x, y]);
  const a = astype(asarray(x, dt), dt), b = astype(asarray(y, dt), dt);
  requireComputable(where, [a, b]);
  return [a, b];
}

/** numpy.dot: inner product of vectors, matmul of matrices, and numpy's N-d contraction. */
export function dot(x: ArrayInput, y: ArrayInput): NDArray {
  const [a, b] = promotePair('np.dot', x, y);
  if (a.ndim === 0 || b.ndim === 0) return multiply(a, b);
  const k = a.shape[a.ndim - 1];
  const kb = b.ndim === 1 ? b.shape[0] : b.shape[b.ndim - 2];
  if (k !== kb) throw new ShapeError(`np.dot: shapes ${describe(a.shape, a.dtype)} and ${describe(b.shape, b.dtype)} not aligned: ${k} (dim ${a.ndim - 1}) != ${kb}`);
  const lead = a.shape.slice(0, -1);
  const a2 = reshape(a, [lead.reduce((n, d) => n * d, 1), k]);
  let b2: NDArray, tail: number[];
  if (b.ndim === 1) { b2 = reshape(b, [k, 1]); tail = []; } else {
    const perm = [b.ndim - 2, ...[...Array(b.ndim).keys()].filter((i) => i !== b.ndim - 2)];
    tail = perm.slice(1).map((i) => b.shape[i]);
    b2 = reshape(transpose(b, perm), [k, tail.reduce((n, d) => n * d, 1)]);
  }
  return reshape(lax.batchMatmul(a2, b2), [...lead, ...tail]);
}

/** numpy.matmul: batched over leading axes with broadcasting; 1-d operands promoted and squeezed. */
export function matmul(x: ArrayInput, y: ArrayInput): NDArray {
  let [a, b] = promotePair('np.matmul', x, y);
  if (a.ndim === 0 || b.ndim === 0) throw new ValueError('np.matmul: operands must not be scalars (use np.multiply)');
  const va = a.ndim === 1, vb = b.ndim === 1;
  if (va) a = reshape(a, [1, a.shape[0]]);
  if (vb) b = reshape(b, [b.shape[0], 1]);
  const [m, k] = a.shape.slice(-2), [kb, n] = b.shape.slice(-2);
  if (k !== kb) throw new ShapeError(`np.matmul: contraction mismatch: ${describe(x instanceof NDArray ? x.shape : a.shape, a.dtype)} @ ${describe(y instanceof NDArray ? y.shape : b.shape, b.dtype)} (${k} != ${kb})`);
  const batch = broadcastShapes('np.matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
  const out = lax.batchMatmul(broadcastTo(a, [...batch, m, k]), broadcastTo(b, [...batch, k, n]));
  const shape = [...batch, ...(va ? [] : [m]), ...(vb ? [] : [n])];
  return reshape(out, shape);
}

export function vdot(x: ArrayInput, y: ArrayInput): NDArray { return sum(multiply(ravel(x), ravel(y))); }
export function inner(x: ArrayInput, y: ArrayInput): NDArray { return sum(multiply(x, y), { axis: -1 }); }
export function outer(x: ArrayInput, y: ArrayInput): NDArray { return multiply(reshape(ravel(x), [-1, 1]), reshape(ravel(y), [1, -1])); }

// ---------------------------------------------------------------- indexing

/** x[i] along the first axis; differentiable (a one-hot contraction) for traced float arrays. */
export function indexFirst(x: NDArray, i: number): NDArray {
  const n = x.shape[0];
  if (!Number.isInteger(i) || i < -n || i >= n) throw new ValueError(`index ${i} is out of bounds for axis 0 with size ${n}`);
  if (i < 0) i += n;
  const rest = x.shape.slice(1);
  if (!x.isTracer) {
    const per = x._data!.length / Math.max(1, n);
    return new NDArray(rest, x.dtype, x._data!.slice(i * per, (i + 1) * per));
  }
  const isBool = x.dtype === 'bool';
  const xf = isBool ? astype(x, 'float32') : x;
  const onehot = zeros([1, n], { dtype: xf.dtype });
  onehot._data![i] = 1;
  const r = reshape(lax.batchMatmul(onehot, reshape(xf, [n, xf.size / Math.max(1, n)])), rest);
  return isBool ? notEqual(r, 0) : r;
}
setIndexImpl(indexFirst);

export const pi = Math.PI;
export const e = Math.E;
export const inf = Infinity;
export const nan = NaN;
