// Random small programs mixing straight-line numpy (elementwise, matmul, reductions, broadcasting,
// transpose) with lax.scan (carries, xs or a length, ys, reverse), lax.foriLoop (a JS bound, or a
// traced one that jit turns into a while row), lax.whileLoop (a trip count fixed by an int32
// counter, so forward mode differentiates it), lax.cond and lax.switch (predicate and index from
// the data), and checkpoint, nested to depth 2, with bodies closing over the parameters and over
// intermediates of the enclosing scope. For tests/fuzz_control.test.ts.
//
// A program is generated as TypeScript source from a seed, then compiled with `new Function`: the
// source printed with a failure is exactly what ran. It takes float64 parameters p0.. and returns
// a scalar. Branch predicates pass through `H.pred(p)`, which returns p and, while `H.log` is an
// array, records its value (the tests read it to see whether finite differences crossed a branch).
//
// Values and derivatives stay moderate: every loop carry and branch output is rebuilt as
// tanh(c + e/2), sin(c tanh(e)), c/2 + tanh(e)/2 or cos(tanh(e) - c) of its template; exp only sees tanh; log only 1 + x^2;
// no division, sqrt, abs, maximum: every op is smooth except the branches.
import { np, lax, checkpoint, NDArray } from 'cotangent';
import { Rng } from './fd.ts';

export type Shape = number[];
interface V { name: string; shape: Shape }

export interface ControlProgram {
  seed: number;
  source: string;
  shapes: Shape[];
  fn: (...xs: NDArray[]) => NDArray;
  /**
   * Where jit makes a while row (a whileLoop, or a foriLoop with a traced bound): 'top' when one
   * is a top-level step (its outputs reach the result, so reverse mode under jit must be refused),
   * 'nested' when all are inside bodies (their results may be dead code, removed before reverse
   * mode meets them), 'none'.
   */
  whileRow: 'top' | 'nested' | 'none';
  /** Which constructs appear (for the summary). */
  kinds: Set<string>;
}

/** The predicate hook the generated source calls. */
export const H: { log: number[] | null; pred: (p: NDArray) => NDArray } = {
  log: null,
  pred(p: NDArray): NDArray {
    if (H.log !== null) H.log.push(Number(p.item()));
    return p;
  },
};

const PARAM_SHAPES: Shape[] = [[], [3], [4], [2, 3], [3, 4]];
const BROADCAST_TARGETS: Shape[] = [[2], [3], [4], [2, 3], [3, 4], [4, 3], [2, 4]];

function broadcastShape(a: Shape, b: Shape): Shape | null {
  const n = Math.max(a.length, b.length), out: number[] = [];
  for (let k = 0; k < n; k++) {
    const x = a[a.length - n + k] ?? 1, y = b[b.length - n + k] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(Math.max(x, y));
  }
  return out;
}
const sameShape = (a: Shape, b: Shape) => a.length === b.length && a.every((d, i) => d === b[i]);
const broadcastsTo = (s: Shape, t: Shape) => { const b = broadcastShape(s, t); return b !== null && sameShape(b, t); };
const lit = (s: Shape) => `[${s.join(', ')}]`;

class Gen {
  lines: string[] = [];
  n = 0;
  whileRow: 'top' | 'nested' | 'none' = 'none';
  kinds = new Set<string>();
  constructor(readonly rng: Rng) {}
  id(): number { return this.n++; }
  int(n: number): number { return Math.floor(this.rng.next() * n); }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]; }
  chance(p: number): boolean { return this.rng.next() < p; }
  line(ind: number, s: string): void { this.lines.push('  '.repeat(ind) + s); }
  let(ind: number, expr: string, shape: Shape): V {
    const name = `v${this.id()}`;
    this.line(ind, `const ${name} = ${expr};`);
    return { name, shape };
  }

  /** `count` steps in `scope`; returns the values they define (a control step may define several). */
  ops(scope: V[], depth: number, ind: number, count: number, forceControl = false): V[] {
    const made: V[] = [];
    const control = forceControl ? this.int(count) : -1;
    for (let k = 0; k < count; k++) {
      const s = [...scope, ...made];
      const vs = k === control || (depth < 2 && this.chance(depth === 0 ? 0.3 : 0.2)) ? this.control(s, depth, ind) : [this.straight(s, ind)];
      made.push(...vs);
    }
    return made;
  }

  straight(scope: V[], ind: number): V {
    const r = this.int(10);
    const a = this.pick(scope);
    if (r <= 2) { // unary
      const u = this.pick(['np.sin(A)', 'np.cos(A)', 'np.tanh(A)', 'np.exp(np.tanh(A))', 'np.log(np.add(1, np.multiply(A, A)))', 'np.multiply(A, 0.7)']);
      return this.let(ind, u.replace(/A/g, a.name), a.shape);
    }
    if (r <= 5) { // binary, broadcasting
      if (this.chance(0.2)) return this.let(ind, `np.${this.pick(['add', 'subtract', 'multiply'])}(${a.name}, ${this.pick(['0.25', '-1.5', '2'])})`, a.shape);
      const bs = scope.filter((b) => broadcastShape(a.shape, b.shape) !== null);
      const b = this.pick(bs);
      const [x, y] = this.chance(0.5) ? [a, b] : [b, a];
      return this.let(ind, `np.${this.pick(['add', 'subtract', 'multiply'])}(${x.name}, ${y.name})`, broadcastShape(a.shape, b.shape)!);
    }
    if (r === 6) { // matmul
      const pairs: [V, V][] = [];
      for (const x of scope) for (const y of scope) {
        if (x.shape.length >= 1 && x.shape.length <= 2 && y.shape.length >= 1 && y.shape.length <= 2 && x.shape[x.shape.length - 1] === y.shape[0]) pairs.push([x, y]);
      }
      if (pairs.length > 0) {
        const [x, y] = this.pick(pairs);
        const shape = [...x.shape.slice(0, -1), ...y.shape.slice(1)];
        return this.let(ind, `np.matmul(${x.name}, ${y.name})`, shape);
      }
    }
    if (r === 7 && a.shape.length >= 1) { // reduction
      const fn = this.pick(['sum', 'mean']);
      if (this.chance(0.4)) return this.let(ind, `np.${fn}(${a.name})`, []);
      const ax = this.int(a.shape.length);
      return this.let(ind, `np.${fn}(${a.name}, ${ax})`, a.shape.filter((_, i) => i !== ax));
    }
    if (r === 8 && a.shape.length >= 2) return this.let(ind, `np.transpose(${a.name})`, [...a.shape].reverse());
    const targets = BROADCAST_TARGETS.filter((t) => broadcastsTo(a.shape, t) && !sameShape(a.shape, t));
    if (targets.length > 0) { const t = this.pick(targets); return this.let(ind, `np.broadcastTo(${a.name}, ${lit(t)})`, t); }
    return this.let(ind, `np.tanh(${a.name})`, a.shape);
  }

  /** An expression of c's shape built from c and e (a carry update, a branch output). */
  fit(c: V, e: V): string {
    let es = e.name;
    if (!broadcastsTo(e.shape, c.shape)) {
      es = e.shape.length === 2 && sameShape([...e.shape].reverse(), c.shape) ? `np.transpose(${es})` : `np.mean(${es})`;
    }
    return this.pick([
      `np.tanh(np.add(${c.name}, np.multiply(0.5, ${es})))`,
      `np.sin(np.multiply(${c.name}, np.tanh(${es})))`,
      `np.add(np.multiply(0.5, ${c.name}), np.multiply(0.5, np.tanh(${es})))`,
      `np.cos(np.subtract(np.tanh(${es}), ${c.name}))`,
    ]);
  }

  /** New carries: each rebuilt by fit, or (edge cases of forwarding) returned unchanged, or another carry of its shape (a swap). */
  carriesOut(carries: V[], pool: V[]): string[] {
    return carries.map((c, k) => {
      const r = this.rng.next();
      if (r < 0.1) return c.name;
      const others = carries.filter((o, j) => j !== k && sameShape(o.shape, c.shape));
      if (r < 0.2 && others.length > 0) return this.pick(others).name;
      return this.fit(c, this.pick(pool));
    });
  }

  /** Carries as one bare Array or a list; the names bound to its leaves inside the body. */
  carryIn(ind: number, param: string, templates: V[], bare: boolean, offset = 0): V[] {
    return templates.map((t, k) => {
      const name = `k${this.id()}`;
      this.line(ind, `const ${name} = ${bare ? param : `${param}[${k + offset}]`};`);
      return { name, shape: t.shape };
    });
  }

  control(scope: V[], depth: number, ind: number): V[] {
    // (while less often: where it is a row, reverse mode under jit is refused and not compared)
    const kind = this.pick(['scan', 'scan', 'scan', 'scan', 'fori', 'fori', 'while', 'cond', 'cond', 'switch', 'switch', 'checkpoint', 'checkpoint']);
    this.kinds.add(kind);
    const j = this.id();
    const inner = depth + 1;
    const nops = () => 1 + this.int(3);
    if (kind === 'scan') {
      const nc = 1 + this.int(2);
      const inits = Array.from({ length: nc }, () => this.pick(scope));
      const counter = this.chance(0.25); // an int32 step counter carried first (a carry with no tangent)
      const bare = !counter && nc === 1 && this.chance(0.5);
      const scanned = scope.filter((v) => v.shape.length >= 1);
      const xs = scanned.length > 0 && this.chance(0.75) ? this.pick(scanned) : null;
      const n = xs ? xs.shape[0] : 1 + this.int(4);
      const reverse = this.chance(0.4);
      this.line(ind, `const s${j} = lax.scan((c${j}, x${j}) => {`);
      const carries = this.carryIn(ind + 1, `c${j}`, inits, bare, counter ? 1 : 0);
      const body: V[] = [...scope, ...carries];
      if (counter) {
        this.line(ind + 1, `const f${j} = np.multiply(lax.convertElementType(c${j}[0], 'float64'), 0.25);`);
        body.push({ name: `f${j}`, shape: [] });
      }
      if (xs) body.push({ name: `x${j}`, shape: xs.shape.slice(1) });
      const made = this.ops(body, inner, ind + 1, nops());
      const pool = made.length > 0 ? made : body;
      const outs = this.carriesOut(carries, pool);
      if (counter) outs.unshift(`lax.add(c${j}[0], lax.full([], 1, 'int32'))`);
      const y = this.chance(0.15) ? null : this.pick([...made, ...carries, ...(xs ? [body[body.length - 1]] : []), this.pick(scope)]);
      this.line(ind + 1, `return [${bare ? outs[0] : `[${outs.join(', ')}]`}, ${y ? y.name : 'null'}];`);
      const opts = `{ ${xs ? '' : `length: ${n}, `}reverse: ${reverse} }`;
      const initList = [...(counter ? [`lax.full([], 0, 'int32')`] : []), ...inits.map((v) => v.name)];
      this.line(ind, `}, ${bare ? inits[0].name : `[${initList.join(', ')}]`}, ${xs ? xs.name : 'null'}, ${opts});`);
      const res = inits.map((t, k) => this.let(ind, bare ? `s${j}[0]` : `s${j}[0][${k + (counter ? 1 : 0)}]`, t.shape));
      if (y) res.push(this.let(ind, `s${j}[1]`, [n, ...y.shape]));
      return res;
    }
    if (kind === 'fori' || kind === 'while') {
      const nc = 1 + this.int(2);
      const inits = Array.from({ length: nc }, () => this.pick(scope));
      const n = 1 + this.int(4);
      const isWhile = kind === 'while';
      const traced = isWhile || this.chance(0.3);
      if (traced) this.whileRow = depth === 0 ? 'top' : this.whileRow === 'top' ? 'top' : 'nested';
      const bare = !isWhile && nc === 1 && this.chance(0.5);
      if (isWhile) {
        this.line(ind, `const w${j} = lax.whileLoop((c${j}) => lax.lt(c${j}[0], lax.full([], ${n}, 'int32')), (c${j}) => {`);
        this.line(ind + 1, `const i${j} = c${j}[0];`);
      } else {
        this.line(ind, `const w${j} = lax.foriLoop(0, ${traced ? `lax.full([], ${n}, 'int32')` : n}, (i${j}, c${j}) => {`);
      }
      const carries = this.carryIn(ind + 1, `c${j}`, inits, bare, isWhile ? 1 : 0);
      const fi = `f${j}`;
      this.line(ind + 1, `const ${fi} = np.multiply(lax.convertElementType(i${j}, 'float64'), 0.5);`);
      const body: V[] = [...scope, ...carries, { name: fi, shape: [] }];
      const made = this.ops(body, inner, ind + 1, nops());
      const pool = made.length > 0 ? made : body;
      const outs = this.carriesOut(carries, pool);
      if (isWhile) {
        this.line(ind + 1, `return [lax.add(i${j}, lax.full([], 1, 'int32')), ${outs.join(', ')}];`);
        this.line(ind, `}, [lax.full([], 0, 'int32'), ${inits.map((v) => v.name).join(', ')}]);`);
      } else {
        this.line(ind + 1, `return ${bare ? outs[0] : `[${outs.join(', ')}]`};`);
        this.line(ind, `}, ${bare ? inits[0].name : `[${inits.map((v) => v.name).join(', ')}]`});`);
      }
      return inits.map((t, k) => this.let(ind, bare ? `w${j}` : `w${j}[${k + (isWhile ? 1 : 0)}]`, t.shape));
    }
    if (kind === 'cond' || kind === 'switch') {
      const nOperands = 1 + this.int(2);
      const operands = Array.from({ length: nOperands }, () => this.pick(scope));
      const templates = Array.from({ length: 1 + this.int(2) }, () => this.pick(scope));
      const bare = templates.length === 1 && this.chance(0.5);
      const src = this.pick(scope);
      const z = `z${j}`;
      this.line(ind, `const ${z} = np.${this.pick(['sum', 'mean'])}(${src.name});`);
      let sel: string, nb: number;
      if (kind === 'cond') {
        sel = `H.pred(np.greater(${z}, ${this.pick(['0', '0.2', '-0.2'])}))`;
        nb = 2;
      } else {
        const idx = `np.add(lax.convertElementType(np.greater(${z}, -0.3), 'int32'), lax.convertElementType(np.greater(${z}, 0.4), 'int32'))`;
        const shift = this.pick([0, 0, -1, 1]); // (-1 and the third branch index 3: clamped)
        sel = `H.pred(${shift === 0 ? idx : `np.add(${idx}, ${shift})`})`;
        nb = 2 + this.int(2);
      }
      const branches: string[] = [];
      const saved = this.lines;
      for (let b = 0; b < nb; b++) {
        this.lines = [];
        const params = operands.map((_, k) => ({ name: `a${j}_${b}_${k}`, shape: operands[k].shape }));
        const made = this.ops([...scope, ...params], inner, ind + 1, this.int(3));
        const pool = [...made, ...params];
        const outs = templates.map((t) => {
          const same = params.find((q) => sameShape(q.shape, t.shape));
          const r = this.rng.next();
          if (r < 0.08) return t.name; // a closed-over value returned as it is
          if (r < 0.16 && same) return same.name; // an operand passed through
          return this.fit(this.chance(0.5) ? t : (same ?? t), this.pick(pool));
        });
        this.line(ind + 1, `return ${bare ? outs[0] : `[${outs.join(', ')}]`};`);
        branches.push(`(${params.map((p) => p.name).join(', ')}) => {\n${this.lines.join('\n')}\n${'  '.repeat(ind)}}`);
      }
      this.lines = saved;
      const ops = operands.map((v) => v.name).join(', ');
      if (kind === 'cond') this.line(ind, `const q${j} = lax.cond(${sel}, ${branches[1]}, ${branches[0]}, ${ops});`);
      else this.line(ind, `const q${j} = lax.switch(${sel}, [${branches.join(', ')}], ${ops});`);
      return templates.map((t, k) => this.let(ind, bare ? `q${j}` : `q${j}[${k}]`, t.shape));
    }
    // checkpoint
    const nOperands = 1 + this.int(2);
    const operands = Array.from({ length: nOperands }, () => this.pick(scope));
    const params = operands.map((o, k) => ({ name: `a${j}_${k}`, shape: o.shape }));
    this.line(ind, `const r${j} = checkpoint((${params.map((p) => p.name).join(', ')}) => {`);
    const made = this.ops([...scope, ...params], inner, ind + 1, nops());
    const outs = made.length > 0 && !this.chance(0.1) ? made : params;
    const two = outs.length >= 2 && this.chance(0.3);
    const ret = two ? [outs[outs.length - 1], outs[0]] : [outs[outs.length - 1]];
    this.line(ind + 1, `return ${two ? `[${ret.map((v) => v.name).join(', ')}]` : ret[0].name};`);
    this.line(ind, `})(${operands.map((v) => v.name).join(', ')});`);
    return ret.map((v, k) => this.let(ind, two ? `r${j}[${k}]` : `r${j}`, v.shape));
  }
}

export function controlProgram(seed: number): ControlProgram {
  const rng = new Rng(seed);
  const g = new Gen(rng);
  const arity = 1 + g.int(3);
  const shapes = Array.from({ length: arity }, () => g.pick(PARAM_SHAPES));
  const params: V[] = shapes.map((s, i) => ({ name: `p${i}`, shape: s }));
  const made = g.ops(params, 0, 1, 2 + g.int(4), true);
  // The result: every value a control step defined, the last value, and one parameter.
  const used = new Set<string>();
  const terms: string[] = [];
  const last = made[made.length - 1];
  terms.push(`np.sum(${last.name})`); used.add(last.name);
  for (const v of made) {
    if (used.has(v.name) || !/^(s|w|q|r)\d/.test(g.lines.find((l) => l.includes(`const ${v.name} = `))!.trim().split(' = ')[1])) continue;
    used.add(v.name);
    terms.push(`np.sum(np.sin(${v.name}))`);
  }
  terms.push(`np.multiply(0.25, np.sum(np.cos(${params[0].name})))`);
  const ret = terms.reduce((acc, t) => `np.add(${acc}, ${t})`);
  g.line(1, `return ${ret};`);
  const source = `(${params.map((p) => p.name).join(', ')}) => {\n${g.lines.join('\n')}\n}`;
  const fn = new Function('np', 'lax', 'checkpoint', 'H', `return ${source};`)(np, lax, checkpoint, H) as (...xs: NDArray[]) => NDArray;
  return { seed, source, shapes, fn, whileRow: g.whileRow, kinds: g.kinds };
}
