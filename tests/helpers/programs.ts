// Random straight-line programs over float arrays, built from cotangent's public numpy surface,
// for the property-based fuzzer (tests/fuzz.test.ts).
//
// A program is decoded from a fast-check value (a seed for the numbers and a list of small
// integer choices for the structure), so fast-check shrinks a failing program by dropping and
// lowering choices: fewer steps, earlier operands, simpler options. Every step is chosen with the
// concrete values in view (an independent float64 reference evaluator in plain JS runs beside
// the generator), so that:
//   - every comparison (where, maximum, minimum, abs) is at least MARGIN away from a tie at the
//     generated point, so finite differences never cross a branch;
//   - exp sees bounded arguments, log/sqrt/power bases are >= 0.3, divisors are >= 0.5 in
//     magnitude (or the step is rewritten as exp(tanh(a)), log(a^2 + 1), a / (b^2 + 0.5), ...);
//   - every intermediate stays within [-VMAX, VMAX].
// Inputs and constants are float32-representable, so one program serves float32 and float64.
//
// A program prints (fast-check's counterexample output) as TypeScript that rebuilds it:
// paste it after `import { np } from 'cotangent'` with `const dtype = 'float64'`.
import fc from 'fast-check';
import { np, NDArray } from 'cotangent';
import { Rng, Point, FloatDType, sizeOf } from './fd.ts';

/** Smallest distance from a tie of any comparison at the generated point. */
export const MARGIN = 0.05;
/** Bound on every intermediate value at the generated point. */
export const VMAX = 8;
const MAX_RANK = 3;
const MAX_SIZE = 48;

// ---------------------------------------------------------------- float64 reference evaluator

/** A plain-JS float64 array (the reference evaluator's value). */
export class Ref {
  constructor(readonly shape: number[], readonly data: Float64Array) {
    if (data.length !== sizeOf(shape)) throw new Error(`Ref: ${data.length} values for [${shape}]`);
  }
  get ndim(): number { return this.shape.length; }
  get size(): number { return this.data.length; }
}

function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
  return s;
}

function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let k = shape.length - 1; k >= 0; k--) { idx[k] = i % shape[k]; i = Math.floor(i / shape[k]); }
  return idx;
}

/** numpy's broadcast of shapes, or null when they do not broadcast. */
export function broadcastShape(...shapes: (readonly number[])[]): number[] | null {
  const nd = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let k = 0; k < nd; k++) {
    const dims = shapes.map((s) => (k - (nd - s.length) >= 0 ? s[k - (nd - s.length)] : 1));
    const d = Math.max(...dims);
    if (dims.some((x) => x !== 1 && x !== d)) return null;
    out.push(d);
  }
  return out;
}

function bcast(x: Ref, shape: readonly number[]): Ref {
  const out = new Float64Array(sizeOf(shape));
  const off = shape.length - x.ndim, xs = stridesOf(x.shape);
  for (let i = 0; i < out.length; i++) {
    const idx = unravel(i, shape);
    let j = 0;
    for (let k = 0; k < x.ndim; k++) if (x.shape[k] !== 1) j += idx[k + off] * xs[k];
    out[i] = x.data[j];
  }
  return new Ref(shape.slice(), out);
}

const R = {
  map(x: Ref, f: (v: number) => number): Ref { return new Ref(x.shape, x.data.map(f)); },
  zip(f: (...v: number[]) => number, ...xs: Ref[]): Ref {
    const shape = broadcastShape(...xs.map((x) => x.shape));
    if (!shape) throw new Error(`reference: shapes ${xs.map((x) => `[${x.shape}]`).join(' ')} do not broadcast`);
    const bs = xs.map((x) => bcast(x, shape));
    const out = new Float64Array(sizeOf(shape));
    for (let i = 0; i < out.length; i++) out[i] = f(...bs.map((b) => b.data[i]));
    return new Ref(shape, out);
  },
  sum(x: Ref, axes: number[], keepdims: boolean): Ref {
    const keep = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const out = new Float64Array(sizeOf(keep));
    const ks = stridesOf(keep);
    for (let i = 0; i < x.size; i++) {
      const idx = unravel(i, x.shape);
      let j = 0;
      for (let k = 0; k < x.ndim; k++) if (!axes.includes(k)) j += idx[k] * ks[k];
      out[j] += x.data[i];
    }
    return new Ref(keepdims ? keep : x.shape.filter((_, i) => !axes.includes(i)), out);
  },
  reshape(x: Ref, shape: number[]): Ref { return new Ref(shape, x.data.slice()); },
  transpose(x: Ref, perm: number[]): Ref {
    const shape = perm.map((p) => x.shape[p]);
    const out = new Float64Array(x.size), xs = stridesOf(x.shape);
    for (let i = 0; i < out.length; i++) {
      const idx = unravel(i, shape);
      let j = 0;
      for (let k = 0; k < perm.length; k++) j += idx[k] * xs[perm[k]];
      out[i] = x.data[j];
    }
    return new Ref(shape, out);
  },
  /** numpy.matmul (batched, broadcasting leading axes; 1-d operands promoted and squeezed). */
  matmul(a: Ref, b: Ref): Ref {
    const va = a.ndim === 1, vb = b.ndim === 1;
    const A = va ? R.reshape(a, [1, a.shape[0]]) : a, B = vb ? R.reshape(b, [b.shape[0], 1]) : b;
    const [m, k] = A.shape.slice(-2), [, n] = B.shape.slice(-2);
    const batch = broadcastShape(A.shape.slice(0, -2), B.shape.slice(0, -2))!;
    const Ab = bcast(A, [...batch, m, k]), Bb = bcast(B, [...batch, k, n]);
    const nb = sizeOf(batch), out = new Float64Array(nb * m * n);
    for (let t = 0; t < nb; t++) {
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let l = 0; l < k; l++) s += Ab.data[t * m * k + i * k + l] * Bb.data[t * k * n + l * n + j];
          out[t * m * n + i * n + j] = s;
        }
      }
    }
    return new Ref([...batch, ...(va ? [] : [m]), ...(vb ? [] : [n])], out);
  },
  /** numpy.dot: a[..., k] contracted with b[..., k, n] (or b[k]). */
  dot(a: Ref, b: Ref): Ref {
    if (a.ndim === 0 || b.ndim === 0) return R.zip((x, y) => x * y, a, b);
    const k = a.shape[a.ndim - 1];
    const lead = a.shape.slice(0, -1), m = sizeOf(lead);
    // b as [k, rest] with rest = b's axes other than its contraction axis, in order.
    const kAxis = b.ndim === 1 ? 0 : b.ndim - 2;
    const perm = [kAxis, ...[...Array(b.ndim).keys()].filter((i) => i !== kAxis)];
    const tail = perm.slice(1).map((i) => b.shape[i]);
    const B = R.transpose(b, perm), n = sizeOf(tail);
    const out = new Float64Array(m * n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let l = 0; l < k; l++) s += a.data[i * k + l] * B.data[l * n + j];
        out[i * n + j] = s;
      }
    }
    return new Ref([...lead, ...tail], out);
  },
};

/** x gathered along `axis` at the (non-negative) positions `idx`. */
function refTake(x: Ref, idx: number[], axis: number): Ref {
  const shape = x.shape.map((d, i) => (i === axis ? idx.length : d));
  const xs = stridesOf(x.shape);
  const data = Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => {
    const c = unravel(i, shape);
    c[axis] = idx[c[axis]];
    return x.data[c.reduce((o, v, k) => o + v * xs[k], 0)];
  });
  return new Ref(shape, data);
}

/** Inclusive prefix sums along `axis`. */
function refCumsum(x: Ref, axis: number): Ref {
  const xs = stridesOf(x.shape);
  const data = x.data.map((_, i) => {
    const c = unravel(i, x.shape);
    let s = 0;
    for (let k = 0; k <= c[axis]; k++) s += x.data[i + (k - c[axis]) * xs[axis]];
    return s;
  });
  return new Ref(x.shape, data);
}

// ---------------------------------------------------------------- expressions

/** Constant arrays of a program, made in the run's dtype. */
type Konst = (index: number) => NDArray;
type Run = (vals: NDArray[], k: Konst) => NDArray;
/** An expression: its TypeScript text, its reference value, and how to evaluate it with cotangent. */
interface E { text: string; ref: Ref; run: Run; reads?: number[] }

const num = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));
const f32 = Math.fround;

function fmtNested(data: ArrayLike<number>, shape: readonly number[]): string {
  if (shape.length === 0) return num(data[0]);
  const step = sizeOf(shape.slice(1));
  const parts: string[] = [];
  for (let i = 0; i < shape[0]; i++) parts.push(fmtNested(Array.from(data).slice(i * step, (i + 1) * step), shape.slice(1)));
  return `[${parts.join(', ')}]`;
}

type Axis = number | number[] | undefined;
function axisText(axis: Axis, keepdims: boolean): string {
  const parts: string[] = [];
  if (axis !== undefined) parts.push(`axis: ${Array.isArray(axis) ? `[${axis.join(', ')}]` : axis}`);
  if (keepdims) parts.push('keepdims: true');
  return parts.length ? `, { ${parts.join(', ')} }` : '';
}

// ---------------------------------------------------------------- the program

export interface InputSpec { shape: number[]; values: Float64Array }
interface Const { shape: number[]; values: Float64Array }
interface Step { name: string; expr: E }

export class Program {
  constructor(
    readonly seed: number,
    readonly inputs: InputSpec[],
    readonly consts: Const[],
    readonly steps: Step[],
    /** The fixed weight of the final weighted sum (shape of the body's output). */
    readonly weight: Float64Array,
  ) {}

  get arity(): number { return this.inputs.length; }
  get bodyShape(): number[] { return this.last.ref.shape; }
  private get last(): E { return this.steps[this.steps.length - 1].expr; }
  /** The body's output at the generated point, by the float64 reference evaluator. */
  get refBody(): Ref { return this.last.ref; }
  /** The program's scalar value at the generated point, by the float64 reference evaluator. */
  get refValue(): number {
    const b = this.last.ref.data;
    let s = 0;
    for (let i = 0; i < b.length; i++) s += b[i] * this.weight[i];
    return s;
  }

  /** The body: every step, returning the last (an array of shape bodyShape). */
  readonly body = (...xs: NDArray[]): NDArray => {
    if (xs.length !== this.arity) throw new Error(`program: expected ${this.arity} arguments, got ${xs.length}`);
    const dtype = xs[0].dtype as FloatDType;
    const cache = new Map<number, NDArray>();
    const k: Konst = (i) => {
      let c = cache.get(i);
      if (!c) { c = constant(this.consts[i].values, this.consts[i].shape, dtype); cache.set(i, c); }
      return c;
    };
    const vals = xs.slice();
    for (const s of this.steps) vals.push(s.expr.run(vals, k));
    return vals[vals.length - 1];
  };

  /** The program: np.sum(np.multiply(body, w)), a scalar. */
  readonly fn = (...xs: NDArray[]): NDArray => {
    const dtype = xs[0].dtype as FloatDType;
    return np.sum(np.multiply(this.body(...xs), constant(this.weight, this.bodyShape, dtype)));
  };

  /** The generated point as arrays of the given dtype. */
  args(dtype: FloatDType = 'float64'): NDArray[] {
    return this.inputs.map((x) => constant(x.values, x.shape, dtype));
  }
  /** The generated point for the finite-difference helpers. */
  point(): Point { return { values: this.inputs.map((x) => x.values.slice()), shapes: this.inputs.map((x) => x.shape.slice()) }; }
  /** A random direction in input space (one float32-representable normal array per input), stream k. */
  direction(k: number): Float64Array[] {
    const rng = new Rng((this.seed ^ Math.imul(0x9e3779b1, k + 1)) >>> 0);
    return this.inputs.map((x) => rng.normals(x.values.length));
  }
  /** A random cotangent for the body's output, stream k. */
  bodyCotangent(k: number): Float64Array {
    return new Rng((this.seed ^ Math.imul(0x85ebca6b, k + 7)) >>> 0).normals(this.last.ref.size);
  }

  toString(): string {
    const lines: string[] = [];
    const sh = (s: readonly number[]) => `[${s.join(', ')}]`;
    lines.push(`// program (seed ${this.seed}): ${this.arity} input(s), ${this.steps.length} step(s), body ${sh(this.bodyShape)}`);
    this.inputs.forEach((x, i) => lines.push(`const x${i} = np.array(${fmtNested(x.values, x.shape)}, { dtype });`));
    this.consts.forEach((c, i) => lines.push(`const c${i} = np.array(${fmtNested(c.values, c.shape)}, { dtype });`));
    lines.push(`const w = np.array(${fmtNested(this.weight, this.bodyShape)}, { dtype });`);
    lines.push(`const f = (${this.inputs.map((_, i) => `x${i}`).join(', ')}) => {`);
    for (const s of this.steps) lines.push(`  const ${s.name} = ${s.expr.text};  // ${sh(s.expr.ref.shape)}`);
    lines.push(`  return np.sum(np.multiply(${this.steps[this.steps.length - 1].name}, w));`);
    lines.push('};');
    return lines.join('\n');
  }
  [fc.toStringMethod](): string { return '\n' + this.toString() + '\n'; }
}

/** An array of the given dtype from float64 values (exact: generated values are float32-representable). */
export function constant(values: ArrayLike<number>, shape: readonly number[], dtype: FloatDType): NDArray {
  const data = dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values);
  return np.array(data, { shape: shape.slice(), dtype });
}

// ---------------------------------------------------------------- the generator

/** The structure's choices: small integers, read in order; 0 when exhausted (the simplest option). */
class Src {
  private i = 0;
  constructor(private readonly choices: readonly number[], readonly rng: Rng) {}
  int(n: number): number {
    const c = this.i < this.choices.length ? this.choices[this.i] : 0;
    this.i++;
    return n <= 1 ? 0 : c % n;
  }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]; }
  bool(): boolean { return this.int(2) === 1; }
  /** A float32-representable uniform number in [lo, hi]. */
  uniform(lo: number, hi: number): number { return f32(this.rng.uniform(lo, hi)); }
}

interface Val { name: string; ref: Ref; index: number }

class Builder {
  readonly pool: Val[] = [];
  readonly consts: Const[] = [];
  readonly steps: Step[] = [];
  constructor(readonly src: Src) {}

  v(p: Val): E { return { text: p.name, ref: p.ref, run: (vals) => vals[p.index], reads: [p.index] }; }
  weak(c: number): E {
    return { text: num(c), ref: new Ref([], new Float64Array([c])), run: () => c as unknown as NDArray };
  }
  konst(shape: number[]): E {
    const values = this.src.rng.normals(sizeOf(shape));
    const i = this.consts.length;
    this.consts.push({ shape, values });
    return { text: `c${i}`, ref: new Ref(shape, values.slice()), run: (_vals, k) => k(i) };
  }
  /** np.<name>(args..., opts?) with the reference computed by `ref`. */
  call(name: string, fn: (...a: any[]) => NDArray, ref: Ref, args: E[], extra = '', extraArgs: unknown[] = []): E {
    return {
      text: `np.${name}(${args.map((a) => a.text).join(', ')}${extra})`,
      ref,
      reads: args.flatMap((a) => a.reads ?? []),
      run: (vals, k) => fn(...args.map((a) => a.run(vals, k)), ...extraArgs),
    };
  }
  un(name: string, fn: (x: any) => NDArray, f: (v: number) => number, a: E): E { return this.call(name, fn, R.map(a.ref, f), [a]); }
  bin(name: string, fn: (x: any, y: any) => NDArray, f: (x: number, y: number) => number, a: E, b: E): E {
    return this.call(name, fn, R.zip(f, a.ref, b.ref), [a, b]);
  }

  add(a: E, b: E): E { return this.bin('add', np.add, (x, y) => x + y, a, b); }
  square(a: E): E { return this.un('square', np.square, (x) => x * x, a); }
  tanh(a: E): E { return this.un('tanh', np.tanh, Math.tanh, a); }
  /** a^2 + c, a positive value >= c. */
  sqPlus(a: E, c: number): E { return this.add(this.square(a), this.weak(c)); }

  /** Values not yet read by any step (the partner prefers them, so inputs get used). */
  readonly unused = new Set<number>();
  /** The primary operand: mostly the latest value, else one of the latest three, else any. */
  primary(): Val {
    const n = this.pool.length, r = this.src.int(8);
    return r < 5 ? this.pool[n - 1] : r < 7 ? this.pool[n - 1 - this.src.int(Math.min(n, 3))] : this.pool[this.src.int(n)];
  }
  /** A value broadcasting with all of `shapes` (result within the rank and size limits); unread values first. */
  partner(shapes: number[][], self?: Val): Val | null {
    const ok = this.pool.filter((p) => {
      const s = broadcastShape(p.ref.shape, ...shapes);
      return s !== null && s.length <= MAX_RANK && sizeOf(s) <= MAX_SIZE;
    });
    const fresh = ok.filter((p) => this.unused.has(p.index) && p !== self);
    const from = fresh.length && this.src.int(3) !== 0 ? fresh : ok;
    return from.length ? from[this.src.int(from.length)] : null;
  }
  /** A shift s (float32) with |d_i - s| >= MARGIN for every i; inside the values' range when a gap allows. */
  gapShift(d: Float64Array): number {
    const xs = Array.from(d).sort((a, b) => a - b);
    const cands: number[] = [];
    for (let i = 0; i + 1 < xs.length; i++) if (xs[i + 1] - xs[i] >= 2.5 * MARGIN) cands.push((xs[i] + xs[i + 1]) / 2);
    cands.push(xs[0] - 2 * MARGIN - this.src.uniform(0, 0.5), xs[xs.length - 1] + 2 * MARGIN + this.src.uniform(0, 0.5));
    const s = f32(cands[this.src.int(cands.length)]);
    if (xs.some((x) => Math.abs(x - s) < MARGIN)) throw new Error('gapShift: margin violated (generator bug)');
    return s;
  }
  minAbs(r: Ref): number { return r.data.reduce((m, x) => Math.min(m, Math.abs(x)), Infinity); }
  maxAbs(r: Ref): number { return r.data.reduce((m, x) => Math.max(m, Math.abs(x)), 0); }
  min(r: Ref): number { return r.data.reduce((m, x) => Math.min(m, x), Infinity); }

  // ------------------------------------------------------------ op generators (null: not applicable)

  readonly ops: Record<string, (a: Val) => E | null> = {
    sin: (a) => this.un('sin', np.sin, Math.sin, this.v(a)),
    cos: (a) => this.un('cos', np.cos, Math.cos, this.v(a)),
    tanh: (a) => this.tanh(this.v(a)),
    negative: (a) => this.un('negative', np.negative, (x) => -x, this.v(a)),
    square: (a) => this.square(this.v(a)),
    sigmoid: (a) => this.un('sigmoid', np.sigmoid, (x) => 1 / (1 + Math.exp(-x)), this.v(a)),
    // the wider elementwise set (issue 7); smooth everywhere on the arguments they get
    expm1: (a) => this.un('expm1', np.expm1, Math.expm1, this.maxAbs(a.ref) <= 2 ? this.v(a) : this.tanh(this.v(a))),
    log1p: (a) => this.un('log1p', np.log1p, Math.log1p, this.sqPlus(this.v(a), 0.3)),
    arctan: (a) => this.un('arctan', np.arctan, Math.atan, this.v(a)),
    sinh: (a) => this.un('sinh', np.sinh, Math.sinh, this.maxAbs(a.ref) <= 2 ? this.v(a) : this.tanh(this.v(a))),
    softplus: (a) => this.un('softplus', np.softplus, (x) => (x >= 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))), this.v(a)),
    exp: (a) => {
      const x = this.maxAbs(a.ref) <= 2 ? this.v(a) : this.tanh(this.v(a));
      return this.un('exp', np.exp, Math.exp, x);
    },
    log: (a) => {
      const x = this.min(a.ref) >= 0.3 && this.src.bool() ? this.v(a) : this.sqPlus(this.v(a), 1);
      return this.un('log', np.log, Math.log, x);
    },
    sqrt: (a) => {
      const x = this.min(a.ref) >= 0.3 && this.src.bool() ? this.v(a) : this.sqPlus(this.v(a), 1);
      return this.un('sqrt', np.sqrt, Math.sqrt, x);
    },
    abs: (a) => {
      let x = this.v(a);
      if (this.minAbs(a.ref) < MARGIN) x = this.add(x, this.weak(-this.gapShift(a.ref.data)));
      return this.un('abs', np.abs, Math.abs, x);
    },
    scale: (a) => {
      const c = this.src.uniform(-2, 2);
      return this.src.bool() ? this.add(this.v(a), this.weak(c)) : this.bin('multiply', np.multiply, (x, y) => x * y, this.v(a), this.weak(c));
    },
    weakLeft: (a) => { // a JS number on the left: c - a, c * a, c ** a (c > 0, |a| bounded)
      const c = this.src.uniform(0.5, 2);
      const r = this.src.int(3);
      if (r === 0) return this.bin('subtract', np.subtract, (p, q) => p - q, this.weak(c), this.v(a));
      if (r === 1) return this.bin('multiply', np.multiply, (p, q) => p * q, this.weak(-c), this.v(a));
      const e = this.maxAbs(a.ref) <= 2 ? this.v(a) : this.tanh(this.v(a));
      return this.bin('power', np.power, Math.pow, this.weak(c), e);
    },
    outer: (a) => {
      const b = this.partner([], a) ?? a;
      const shape = [a.ref.size, b.ref.size];
      if (sizeOf(shape) > MAX_SIZE) return null;
      const ref = new Ref(shape, Float64Array.from({ length: sizeOf(shape) }, (_, i) => a.ref.data[Math.floor(i / b.ref.size)] * b.ref.data[i % b.ref.size]));
      return this.call('outer', np.outer, ref, [this.v(a), this.v(b)]);
    },
    inner: (a) => {
      if (a.ref.ndim === 0) return null;
      // numpy.inner: contraction over the last axes; shape a.shape[:-1] + b.shape[:-1].
      const k = a.ref.shape[a.ref.ndim - 1];
      const same = this.pool.filter((p) => p.ref.ndim > 0 && p.ref.shape[p.ref.ndim - 1] === k);
      const b = same.length ? same[this.src.int(same.length)] : a;
      const shape = [...a.ref.shape.slice(0, -1), ...b.ref.shape.slice(0, -1)];
      if (sizeOf(shape) > MAX_SIZE || shape.length > MAX_RANK) return null;
      const m = a.ref.size / Math.max(1, k), n = b.ref.size / Math.max(1, k);
      const ref = new Ref(shape, Float64Array.from({ length: m * n }, (_, ij) => {
        const i = Math.floor(ij / n), j = ij % n;
        let t = 0;
        for (let q = 0; q < k; q++) t += a.ref.data[i * k + q] * b.ref.data[j * k + q];
        return t;
      }));
      return this.call('inner', np.inner, ref, [this.v(a), this.v(b)]);
    },
    vdot: (a) => {
      const same = this.pool.filter((p) => p.ref.size === a.ref.size && p !== a);
      const b = same.length ? same[this.src.int(same.length)] : a;
      const ref = new Ref([], new Float64Array([a.ref.data.reduce((t, x, i) => t + x * b.ref.data[i], 0)]));
      return this.call('vdot', np.vdot, ref, [this.v(a), this.v(b)]);
    },
    add: (a) => this.withPartner(a, (x, y) => this.add(x, y)),
    subtract: (a) => this.withPartner(a, (x, y) => this.bin('subtract', np.subtract, (p, q) => p - q, x, y)),
    multiply: (a) => this.withPartner(a, (x, y) => this.bin('multiply', np.multiply, (p, q) => p * q, x, y)),
    divide: (a) => this.withPartner(a, (x, y, b) => {
      const den = this.minAbs(b.ref) >= 0.5 && this.src.bool() ? y : this.sqPlus(y, 0.5);
      return this.src.int(4) === 0
        ? this.bin('divide', np.divide, (p, q) => p / q, this.weak(this.src.uniform(-2, 2)), den)
        : this.bin('divide', np.divide, (p, q) => p / q, x, den);
    }),
    power: (a) => {
      const base = this.min(a.ref) >= 0.3 && this.src.bool() ? this.v(a) : this.sqPlus(this.v(a), 0.5);
      const pw = (p: number, q: number) => Math.pow(p, q);
      if (this.src.bool()) return this.bin('power', np.power, pw, base, this.weak(this.src.pick([2, 3, 0.5, -1, 1.5, -0.5, 1])));
      const b = this.partner([a.ref.shape], a);
      if (!b) return null;
      const e = this.maxAbs(b.ref) <= 2 ? this.v(b) : this.tanh(this.v(b));
      return this.src.bool() ? this.bin('power', np.power, pw, base, e) : this.bin('power', np.power, pw, this.sqPlus(e, 0.5), base);
    },
    maximum: (a) => this.maxMin(a, 'maximum'),
    minimum: (a) => this.maxMin(a, 'minimum'),
    where: (a) => {
      const cmps: [string, (x: any, y: any) => NDArray, (x: number, y: number) => boolean][] = [
        ['less', np.less, (x, y) => x < y], ['lessEqual', np.lessEqual, (x, y) => x <= y],
        ['greater', np.greater, (x, y) => x > y], ['greaterEqual', np.greaterEqual, (x, y) => x >= y],
      ];
      const [cname, cfn, cf] = this.src.pick(cmps);
      // the condition: a against a threshold in a gap of its values, or against another value
      let cond: E;
      const b = this.src.bool() ? this.partner([a.ref.shape], a) : null;
      const d = b ? R.zip((x, y) => x - y, a.ref, b.ref) : null;
      if (b && d && this.minAbs(d) >= MARGIN) {
        cond = this.call(cname, cfn, R.zip((x, y) => (cf(x, y) ? 1 : 0), a.ref, b.ref), [this.v(a), this.v(b)]);
      } else {
        const t = this.gapShift(a.ref.data);
        cond = this.call(cname, cfn, R.map(a.ref, (x) => (cf(x, t) ? 1 : 0)), [this.v(a), this.weak(t)]);
      }
      const x = this.partner([cond.ref.shape]);
      if (!x) return null;
      const yv = this.src.int(3) === 0 ? null : this.partner([cond.ref.shape, x.ref.shape]);
      const y = yv ? this.v(yv) : this.weak(this.src.uniform(-1, 1));
      return this.call('where', np.where, R.zip((c, p, q) => (c ? p : q), cond.ref, x.ref, y.ref), [cond, this.v(x), y]);
    },
    sum: (a) => this.reduce(a, 'sum'),
    mean: (a) => this.reduce(a, 'mean'),
    logsumexp: (a) => this.reduce(a, 'logsumexp'),
    take: (a) => {
      const nd = a.ref.ndim;
      if (nd === 0 || a.ref.size === 0) return null;
      const ax = this.src.int(nd), n = a.ref.shape[ax];
      const idx = Array.from({ length: 1 + this.src.int(3) }, () => this.src.int(n));
      const arg = idx.map((i) => (this.src.int(3) === 0 ? i - n : i)); // numpy's negative indices
      const axArg = this.src.bool() ? ax - nd : ax;
      return this.call('take', np.take, refTake(a.ref, idx, ax), [this.v(a)], `, [${arg.join(', ')}], { axis: ${axArg} }`, [arg, { axis: axArg }]);
    },
    cumsum: (a) => {
      const nd = a.ref.ndim;
      if (nd === 0) return null;
      const ax = this.src.int(nd), axArg = this.src.bool() ? ax - nd : ax;
      return this.call('cumsum', np.cumsum, refCumsum(a.ref, ax), [this.v(a)], `, ${axArg}`, [axArg]);
    },
    reshape: (a) => {
      const shape = this.factor(a.ref.size);
      const arg = shape.slice();
      if (arg.length > 0 && this.src.bool()) arg[this.src.int(arg.length)] = -1;
      return this.call('reshape', np.reshape, R.reshape(a.ref, shape), [this.v(a)], `, [${arg.join(', ')}]`, [arg]);
    },
    ravel: (a) => this.call('ravel', np.ravel, R.reshape(a.ref, [a.ref.size]), [this.v(a)]),
    transpose: (a0) => {
      // prefer a value of rank >= 2, the highest rank first
      const hi = this.pool.filter((p) => p.ref.ndim >= Math.max(2, a0.ref.ndim));
      const a = a0.ref.ndim === MAX_RANK || !hi.length ? a0 : hi[this.src.int(hi.length)];
      const nd = a.ref.ndim;
      if (nd < 2) return null;
      if (this.src.bool()) return this.call('transpose', np.transpose, R.transpose(a.ref, [...Array(nd).keys()].reverse()), [this.v(a)]);
      const perm = this.permutation(nd);
      const arg = perm.map((p) => (this.src.int(3) === 0 ? p - nd : p));
      return this.call('transpose', np.transpose, R.transpose(a.ref, perm), [this.v(a)], `, [${arg.join(', ')}]`, [arg]);
    },
    expandDims: (a) => {
      const nd = a.ref.ndim;
      if (nd >= MAX_RANK) return null;
      const axis = this.src.int(2 * nd + 2) - (nd + 1); // in [-(nd+1), nd]
      const ax = axis < 0 ? axis + nd + 1 : axis;
      const shape = a.ref.shape.slice();
      shape.splice(ax, 0, 1);
      return this.call('expandDims', np.expandDims, R.reshape(a.ref, shape), [this.v(a)], `, ${axis}`, [axis]);
    },
    squeeze: (a) => {
      const ones = a.ref.shape.flatMap((d, i) => (d === 1 ? [i] : []));
      if (!ones.length) return null;
      if (this.src.bool()) return this.call('squeeze', np.squeeze, R.reshape(a.ref, a.ref.shape.filter((d) => d !== 1)), [this.v(a)]);
      const ax = this.src.pick(ones);
      return this.call('squeeze', np.squeeze, R.reshape(a.ref, a.ref.shape.filter((_, i) => i !== ax)), [this.v(a)], `, ${ax}`, [ax]);
    },
    broadcastTo: (a) => {
      const p = this.partner([a.ref.shape], a);
      let shape = p ? broadcastShape(a.ref.shape, p.ref.shape)! : a.ref.shape;
      if (this.src.bool() && shape.length < MAX_RANK && 4 * sizeOf(shape) <= MAX_SIZE) shape = [1 + this.src.int(4), ...shape];
      return this.call('broadcastTo', np.broadcastTo, bcast(a.ref, shape), [this.v(a)], `, [${shape.join(', ')}]`, [shape]);
    },
    matmul: (a) => this.product(a, 'matmul'),
    dot: (a) => this.product(a, 'dot'),
  };

  withPartner(a: Val, f: (x: E, y: E, b: Val) => E): E | null {
    const b = this.partner([a.ref.shape], a);
    if (!b) return null;
    return this.src.int(4) === 0 ? f(this.v(b), this.v(a), a) : f(this.v(a), this.v(b), b);
  }

  maxMin(a: Val, name: 'maximum' | 'minimum'): E | null {
    const fn = name === 'maximum' ? np.maximum : np.minimum;
    const f = name === 'maximum' ? Math.max : Math.min;
    if (this.src.int(3) === 0) { // against a scalar threshold (relu-like)
      return this.bin(name, fn, f, this.v(a), this.weak(this.gapShift(a.ref.data)));
    }
    const b = this.partner([a.ref.shape], a);
    if (!b) return null;
    const d = R.zip((x, y) => x - y, a.ref, b.ref);
    let y = this.v(b);
    if (this.minAbs(d) < MARGIN) y = this.add(y, this.weak(this.gapShift(d.data)));
    return this.bin(name, fn, f, this.v(a), y);
  }

  reduce(a: Val, name: 'sum' | 'mean' | 'logsumexp'): E {
    const nd = a.ref.ndim;
    let axis: Axis;
    const kind = nd === 0 ? 0 : this.src.int(nd >= 2 ? 8 : 6);
    if (kind === 0 || kind === 1) axis = undefined;
    else if (kind <= 5) { const ax = this.src.int(nd); axis = this.src.bool() ? ax - nd : ax; }
    else if (kind === 6) axis = [];
    else { const p = this.permutation(nd).slice(0, 2); axis = p.map((x) => (this.src.bool() ? x - nd : x)); }
    const keepdims = this.src.bool();
    const axes = axis === undefined ? [...Array(nd).keys()] : (Array.isArray(axis) ? axis : [axis]).map((x) => (x < 0 ? x + nd : x));
    let ref = R.sum(name === 'logsumexp' ? R.map(a.ref, Math.exp) : a.ref, axes, keepdims);
    if (name === 'mean') { const n = axes.reduce((m, i) => m * a.ref.shape[i], 1); ref = R.map(ref, (x) => x / n); }
    if (name === 'logsumexp') ref = R.map(ref, Math.log);
    const fn = name === 'sum' ? np.sum : name === 'mean' ? np.mean : np.logsumexp;
    const opts: Record<string, unknown> = {};
    if (axis !== undefined) opts.axis = axis;
    if (keepdims) opts.keepdims = true;
    return this.call(name, fn, ref, [this.v(a)], axisText(axis, keepdims), [opts]);
  }

  product(a: Val, name: 'matmul' | 'dot'): E | null {
    const as = a.ref.shape;
    if (as.length === 0) return null;
    const k = as[as.length - 1];
    const outShape = (bs: number[]): number[] | null => {
      if (bs.length === 0) return null;
      const kb = bs.length === 1 ? bs[0] : bs[bs.length - 2];
      if (kb !== k) return null;
      let s: number[] | null;
      if (name === 'dot') s = [...as.slice(0, -1), ...bs.filter((_, i) => i !== (bs.length === 1 ? 0 : bs.length - 2))];
      else {
        const batch = broadcastShape(as.length >= 2 ? as.slice(0, -2) : [], bs.length >= 2 ? bs.slice(0, -2) : []);
        s = batch && [...batch, ...(as.length === 1 ? [] : [as[as.length - 2]]), ...(bs.length === 1 ? [] : [bs[bs.length - 1]])];
      }
      return s && s.length <= MAX_RANK && sizeOf(s) <= MAX_SIZE ? s : null;
    };
    const cands = this.pool.filter((p) => outShape(p.ref.shape) !== null);
    let b: E;
    const choice = this.src.int(3);
    if (choice === 0 && as.length === 2) b = this.call('transpose', np.transpose, R.transpose(a.ref, [1, 0]), [this.v(a)]);
    else if (choice === 1 && cands.length) b = this.v(cands[this.src.int(cands.length)]);
    else {
      const r = this.src.int(3), n = 1 + this.src.int(4);
      // a batch that a 1-d or 2-d operand broadcasts against (matmul) or contracts into (dot)
      const batch = as.length >= 3 ? as.slice(0, -2) : [1 + this.src.int(4)];
      b = this.konst(r === 0 ? [k] : r === 1 ? [k, n] : [...batch, k, n]);
    }
    if (!outShape(b.ref.shape)) return null;
    const ref = name === 'dot' ? R.dot(a.ref, b.ref) : R.matmul(a.ref, b.ref);
    return this.call(name, name === 'dot' ? np.dot : np.matmul, ref, [this.v(a), b]);
  }

  permutation(n: number): number[] {
    const xs = [...Array(n).keys()];
    for (let i = n - 1; i > 0; i--) { const j = this.src.int(i + 1); [xs[i], xs[j]] = [xs[j], xs[i]]; }
    return xs;
  }
  /** A random shape of the given size, rank 0-3. */
  factor(size: number): number[] {
    const rank = Math.max(size === 1 ? 0 : 1, this.src.int(MAX_RANK + 1));
    const dims: number[] = [];
    let rem = size;
    for (let r = 0; r + 1 < rank; r++) {
      const divs = [...Array(rem).keys()].map((i) => i + 1).filter((d) => rem % d === 0);
      const d = this.src.pick(divs);
      dims.push(d); rem /= d;
    }
    if (rank > 0) dims.push(rem);
    return dims;
  }
}

/** Relative frequencies of the op generators (default 1). */
const WEIGHTS: Record<string, number> = { matmul: 3, dot: 2, transpose: 3, where: 2, maximum: 2, minimum: 1, sum: 2, mean: 2, multiply: 2, add: 2, outer: 1, vdot: 1 };

export interface ProgramOptions {
  /** Number of inputs (default 1-3). */
  minInputs?: number;
  maxInputs?: number;
  /** Number of steps (default 1-8). */
  maxSteps?: number;
}

function inputShapes(src: Src, n: number): number[][] {
  const size = () => 1 + src.int(4);
  const first = (() => {
    const r = src.int(3);
    return r === 0 ? [size()] : r === 1 ? [size(), size()] : [];
  })();
  const shapes = [first];
  for (let i = 1; i < n; i++) {
    const last = first.length ? first[first.length - 1] : size();
    const m = first.length === 2 ? first[0] : size();
    shapes.push(src.pick([[last], [m, 1], [1, last], [m, last], [], [size()], [size(), size()]]));
  }
  return shapes;
}

/** Builds a program from a seed (numbers) and choices (structure); `like` fixes its inputs. */
export function buildProgram(seed: number, choices: readonly number[], opts: ProgramOptions = {}, like?: Program): Program {
  const rng = new Rng(seed);
  const src = new Src(choices, rng);
  const b = new Builder(src);
  const lo = opts.minInputs ?? 1, hi = opts.maxInputs ?? 3;
  const nIn = like ? like.arity : lo + src.int(hi - lo + 1);
  const inputs: InputSpec[] = like
    ? like.inputs
    : inputShapes(src, nIn).map((shape) => ({
      shape,
      values: Float64Array.from(rng.normals(sizeOf(shape)), (v) => f32(Math.max(-2.5, Math.min(2.5, v)))),
    }));
  inputs.forEach((x, i) => { b.pool.push({ name: `x${i}`, ref: new Ref(x.shape, x.values.slice()), index: i }); b.unused.add(i); });
  const nSteps = 1 + src.int(opts.maxSteps ?? 8);
  const names = Object.keys(b.ops).flatMap((n) => Array(WEIGHTS[n] ?? 1).fill(n));
  for (let s = 0; s < nSteps; s++) {
    let expr: E | null = null;
    const start = src.int(names.length);
    for (let t = 0; t < names.length && !expr; t++) {
      const a = b.primary();
      const e = b.ops[names[(start + t) % names.length]](a);
      if (e && e.ref.data.every((x) => Number.isFinite(x) && Math.abs(x) <= VMAX) && e.ref.shape.length <= MAX_RANK && e.ref.size <= MAX_SIZE) expr = e;
    }
    if (!expr) expr = b.tanh(b.v(b.pool[b.pool.length - 1]));
    const index = inputs.length + b.steps.length;
    const name = `v${index}`;
    b.steps.push({ name, expr });
    for (const r of expr.reads ?? []) b.unused.delete(r);
    b.pool.push({ name, ref: expr.ref, index });
    b.unused.add(index);
  }
  const weight = rng.normals(b.steps[b.steps.length - 1].expr.ref.size);
  return new Program(seed, inputs, b.consts, b.steps, weight);
}

const seedArb = fc.integer({ min: 0, max: 0x7fffffff });
// A fixed number of unbiased choices (a program reads at most about 100), each shrinking to 0.
const choicesArb = fc.array(fc.noBias(fc.nat({ max: 0xffff })), { minLength: 160, maxLength: 160 });

/** A random program (see the file's header). */
export function programArb(opts: ProgramOptions = {}): fc.Arbitrary<Program> {
  return fc.tuple(seedArb, choicesArb).map(([seed, choices]) => buildProgram(seed, choices, opts));
}

/** Two random programs over the same inputs (same shapes and values). */
export function programPairArb(opts: ProgramOptions = {}): fc.Arbitrary<[Program, Program]> {
  return fc.tuple(seedArb, choicesArb, choicesArb).map(([seed, c1, c2]) => {
    const p = buildProgram(seed, c1, opts);
    return [p, buildProgram((seed ^ 0x5bd1e995) >>> 0, c2, opts, p)];
  });
}
