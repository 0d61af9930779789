// Generators of what users pass to construction and option arguments (issue 6), each with an
// independent reference outcome: the expected shape and values, or "an error".
// References follow numpy's rules and the README's documented typed-array rule; they never call
// the library.
import fc from 'fast-check';

// ---------------------------------------------------------------- nested lists

/** A leaf a user might put in a list: numbers (special values too), booleans, or a mistake. */
const leafArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(NaN, -0, Infinity, -Infinity, 0.5)) },
  { weight: 2, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constantFrom<unknown>('1', undefined, null, {}, 2n) },
);

/** Nested lists up to depth 3: rectangular most of the time, ragged or mixed-depth otherwise. */
export const nestedArb: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true, maxDepth: 3 },
    leafArb,
    fc.array(tie('node'), { maxLength: 3 }),
    // Rectangular by construction: n copies of one generated sublist shape.
    fc.tuple(fc.integer({ min: 0, max: 3 }), fc.array(leafArb, { maxLength: 3 })).map(([n, row]) => Array.from({ length: n }, () => row.slice())),
  ),
})).node;

export type Outcome = { ok: true; shape: number[]; flat: (number | boolean)[]; allBool: boolean } | { ok: false };

/** numpy's rule: rectangular, every leaf a number or boolean, all at one depth. */
export function referenceParse(data: unknown): Outcome {
  const shape: number[] = [];
  const flat: (number | boolean)[] = [];
  const depths = new Set<number>();
  let ok = true;
  const walk = (x: unknown, d: number) => {
    if (!ok) return;
    if (Array.isArray(x)) {
      if (shape.length === d) shape.push(x.length);
      else if (shape.length < d || shape[d] !== x.length) { ok = false; return; }
      for (const e of x) walk(e, d + 1);
      return;
    }
    if (typeof x !== 'number' && typeof x !== 'boolean') { ok = false; return; }
    depths.add(d);
    flat.push(x);
  };
  walk(data, 0);
  if (!ok || depths.size > 1) return { ok: false };
  const [leafDepth] = [...depths];
  if (leafDepth !== undefined && leafDepth !== shape.length) return { ok: false };
  // Lists that are empty at some depth must agree on depth too: [[], [[]]] is ragged.
  if (leafDepth === undefined && !uniformEmptyDepth(data, shape.length)) return { ok: false };
  return { ok: true, shape, flat, allBool: flat.length > 0 && flat.every((v) => typeof v === 'boolean') };
}

function uniformEmptyDepth(x: unknown, depth: number, d = 0): boolean {
  if (!Array.isArray(x)) return false;
  if (x.length === 0) return d === depth - 1;
  return x.every((e) => uniformEmptyDepth(e, depth, d + 1));
}

// ---------------------------------------------------------------- typed arrays

export const TYPED_KINDS = ['Float32Array', 'Float64Array', 'Uint8Array', 'Int32Array', 'Int16Array', 'Uint8ClampedArray',
  'BigInt64Array', 'DataView'] as const;
export type TypedKind = typeof TYPED_KINDS[number];

export interface TypedCase { kind: TypedKind; values: number[]; shape: unknown; dtype: unknown }

export const typedArb: fc.Arbitrary<TypedCase> = fc.record({
  kind: fc.constantFrom(...TYPED_KINDS),
  values: fc.array(fc.oneof(fc.constantFrom(0, 1), fc.integer({ min: -3, max: 300 })), { maxLength: 8 }),
  shape: fc.oneof(fc.constant(undefined), fc.array(fc.oneof(fc.integer({ min: -1, max: 4 }), fc.constant(1.5)), { maxLength: 3 }), fc.constant('3')),
  dtype: fc.constantFrom(undefined, 'float32', 'float64', 'bool', 'float16'),
});

export function makeTyped(c: TypedCase): ArrayBufferView {
  switch (c.kind) {
    case 'Float32Array': return new Float32Array(c.values);
    case 'Float64Array': return new Float64Array(c.values);
    case 'Uint8Array': return new Uint8Array(c.values.map((v) => v & 255));
    case 'Int32Array': return new Int32Array(c.values);
    case 'Int16Array': return new Int16Array(c.values);
    case 'Uint8ClampedArray': return new Uint8ClampedArray(c.values);
    case 'BigInt64Array': return new BigInt64Array(c.values.map(BigInt));
    case 'DataView': return new DataView(new ArrayBuffer(c.values.length));
  }
}

/** The README's rule: Float32/Float64/Int32/Uint32 by kind, Uint8 of 0/1 is bool, other numeric kinds need a dtype. */
export function referenceTyped(c: TypedCase): { ok: true; dtype: string; shape: number[]; values: number[] } | { ok: false } {
  if (c.kind === 'BigInt64Array' || c.kind === 'DataView') return { ok: false };
  if (c.dtype === 'float16') return { ok: false };
  const stored = Array.from(makeTyped(c) as unknown as ArrayLike<number>);
  let dtype = c.dtype as string | undefined;
  if (dtype === undefined) {
    if (c.kind === 'Float32Array') dtype = 'float32';
    else if (c.kind === 'Float64Array') dtype = 'float64';
    else if (c.kind === 'Int32Array') dtype = 'int32';
    else if (c.kind === 'Uint8Array' && stored.every((v) => v === 0 || v === 1)) dtype = 'bool';
    else return { ok: false };
  }
  let shape: number[];
  if (c.shape === undefined) shape = [stored.length];
  else if (!Array.isArray(c.shape) || c.shape.some((d) => !Number.isInteger(d) || d < 0)) return { ok: false };
  else shape = c.shape as number[];
  if (shape.reduce((a, b) => a * b, 1) !== stored.length) return { ok: false };
  const values = stored.map((v) => (dtype === 'bool' ? (v !== 0 ? 1 : 0) : dtype === 'float32' ? Math.fround(v) : v));
  return { ok: true, dtype, shape, values };
}

// ---------------------------------------------------------------- reduction options

export interface ReduceCase { shape: number[]; opts: unknown; fn: 'sum' | 'mean' }

const axisValueArb = fc.oneof(
  fc.integer({ min: -4, max: 3 }),
  fc.array(fc.integer({ min: -4, max: 3 }), { maxLength: 3 }),
  fc.constantFrom<unknown>(null, 0.5, '0', [0.5], true),
);

/** numpy's positional forms, option objects with valid and misspelled keys, and wrong value kinds. */
export const reduceArb: fc.Arbitrary<ReduceCase> = fc.record({
  shape: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 3 }),
  fn: fc.constantFrom('sum' as const, 'mean' as const),
  opts: fc.oneof(
    fc.constant(undefined),
    axisValueArb,
    fc.record({ axis: axisValueArb, keepdims: fc.constantFrom<unknown>(true, false, undefined, 'yes') }, { requiredKeys: [] }),
    fc.record({ axes: fc.constant(0) }),
    fc.record({ axis: fc.constant(0), keepDims: fc.constant(true) }),
  ),
});

/** numpy's sum/mean of arange(size).reshape(shape) for valid options; null for an expected error. */
export function referenceReduce(c: ReduceCase): { shape: number[]; values: number[] } | null {
  const nd = c.shape.length;
  let axis: unknown, keepdims: unknown;
  if (c.opts !== undefined && c.opts !== null && typeof c.opts === 'object' && !Array.isArray(c.opts)) {
    const keys = Object.keys(c.opts);
    if (keys.some((k) => k !== 'axis' && k !== 'keepdims')) return null;
    ({ axis, keepdims } = c.opts as { axis?: unknown; keepdims?: unknown });
  } else axis = c.opts;
  if (keepdims !== undefined && typeof keepdims !== 'boolean') return null;
  let axes: number[];
  if (axis === undefined || axis === null) axes = [...Array(nd).keys()];
  else {
    const list = typeof axis === 'number' ? [axis] : Array.isArray(axis) ? axis : null;
    if (list === null || list.some((a) => !Number.isInteger(a) || a < -nd || a >= nd)) return null;
    axes = list.map((a: number) => (a < 0 ? a + nd : a));
    if (new Set(axes).size !== axes.length) return null;
  }
  const size = c.shape.reduce((a, b) => a * b, 1);
  const outShape = c.shape.flatMap((d, i) => (axes.includes(i) ? (keepdims ? [1] : []) : [d]));
  const kept = c.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outSize = kept.reduce((a, b) => a * b, 1);
  const values = new Array(outSize).fill(0);
  for (let flat = 0; flat < size; flat++) {
    let rem = flat, out = 0, stride = 1;
    const idx: number[] = [];
    for (let i = nd - 1; i >= 0; i--) { idx[i] = rem % c.shape[i]; rem = Math.floor(rem / c.shape[i]); }
    for (let i = nd - 1; i >= 0; i--) { out += (axes.includes(i) ? 0 : idx[i]) * stride; stride *= kept[i]; }
    values[out] += flat;
  }
  const count = axes.reduce((n, i) => n * c.shape[i], 1);
  return { shape: outShape, values: c.fn === 'mean' ? values.map((v) => v / count) : values };
}
