// jit's optimizer (assembly/ad/optimize.ts), one pass at a time on tiny programs: the program
// before optimization (`jit(f).lower(...).asText()`) and after (`asText({ optimized: true })`)
// show the row disappear or merge (asserted on op names and counts, never on whole texts), the
// rewrites that would change a value are left alone, and each time the jitted result equals
// eager bit for bit.
//
// The API short-circuits the no-op movements (np.reshape to the same shape, an identity
// transpose, a broadcast to the same shape) and never emits a copy or a same-dtype convert at
// top level, but AD output and vmap rules do; those rows are made here with `bind`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, jit, grad, type Array as NDArray } from '../ts/index.ts';
import { bind } from '../ts/api/bind.ts';

/** The op of each row of a printed program (`    b:f32[3] = sin a` -> sin), inputs excluded. */
function opsOf(text: string): string[] {
  return [...text.matchAll(/^ {4}\S.*? = (\w+)/gm)].map((m) => m[1]);
}
const count = (ops: string[], op: string) => ops.filter((o) => o === op).length;

/** Same bits, with -0 and +0 and any two NaNs equal (`Object.is` where `strictZero`). */
function sameAsEager(what: string, got: NDArray, want: NDArray, strictZero = true): void {
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  assert.equal(got.dtype, want.dtype, `${what}: dtype`);
  const g = got.dataSync() as ArrayLike<number>, w = want.dataSync() as ArrayLike<number>;
  for (let i = 0; i < w.length; i++) {
    const ok = strictZero ? Object.is(g[i], w[i]) : g[i] === w[i] || (Number.isNaN(g[i]) && Number.isNaN(w[i]));
    if (!ok) assert.fail(`${what}: element ${i}: jit ${g[i]}, eager ${w[i]}`);
  }
}

/** The program's ops before and after optimization; checks the jitted value against eager. */
function passes(what: string, f: (...xs: NDArray[]) => NDArray, args: NDArray[], strictZero = true) {
  const j = jit(f);
  const lowered = j.lower(...args);
  const beforeText = lowered.asText(), afterText = lowered.asText({ optimized: true });
  sameAsEager(what, j(...args), f(...args), strictZero);
  assert.equal(j.traceCount, 1);
  const before = opsOf(beforeText), after = opsOf(afterText);
  const rows = (t: string) => Number(/(\d+) rows/.exec(t)![1]);
  assert.equal(before.length, rows(beforeText), `${what}: the parser reads every row:\n${beforeText}`);
  assert.equal(after.length, rows(afterText), `${what}: the parser reads every row:\n${afterText}`);
  const show = `\nbefore:\n${beforeText}\nafter:\n${afterText}`;
  return { before, after, show };
}

const x3 = np.array([0.1, -0.2, 0.3]);
const X23 = np.array([[0.1, 0.2, 0.3], [1, -2, 3]]);

test('constant folding: rows on constants only run at trace time, up to FOLD_LIMIT (64Ki) elements', () => {
  const c = np.array([1, 2, 3]);
  const { before, after, show } = passes('fold', (x) => np.add(x, np.multiply(np.sin(c), 2)), [x3]);
  assert.equal(count(before, 'sin'), 1, show);
  assert.equal(count(before, 'mul'), 1, show);
  assert.equal(count(after, 'sin'), 0, `sin(c) * 2 is folded${show}`);
  assert.equal(count(after, 'mul'), 0, `sin(c) * 2 is folded${show}`);
  assert.deepEqual(after, ['const', 'add'], show);
  for (const [n, folded] of [[1 << 16, true], [(1 << 16) + 1, false]] as const) {
    // sin of a broadcast constant: folded into an n-element constant, or kept as rows past the
    // bound (the broadcast constant then a FULL: a fill, not a baked n-element array)
    const x = np.zeros([n]);
    const r = passes(`fold ${n}`, (v) => np.add(v, np.sin(np.broadcastTo(np.array(0.5), [n]))), [x]);
    assert.equal(count(r.before, 'sin'), 1);
    assert.equal(count(r.after, 'sin'), folded ? 0 : 1, `n = ${n}: ${r.after.join(' ')}`);
    assert.equal(count(r.after, 'broadcast_in_dim'), 0, `n = ${n}: ${r.after.join(' ')}`);
    assert.equal(count(r.after, 'full'), folded ? 0 : 1, `n = ${n}: ${r.after.join(' ')}`);
  }
});

test('x * 1 and 1 * x: the multiplication, and the one it was by, are gone', () => {
  for (const f of [(x: NDArray) => np.sin(np.multiply(np.sin(x), 1)), (x: NDArray) => np.sin(np.multiply(np.ones([3]), np.sin(x)))]) {
    const { before, after, show } = passes('x*1', f, [x3]);
    assert.equal(count(before, 'mul'), 1, show);
    assert.deepEqual(after, ['sin', 'sin'], show);
  }
  // float64, and a NaN and an inf go through unchanged
  const x = np.array([NaN, Infinity, -0, 2], { dtype: 'float64' });
  const { after, show } = passes('x*1 f64', (v) => np.multiply(np.exp(v), 1), [x]);
  assert.deepEqual(after, ['exp'], show);
});

test('x + (-0) and (-0) + x: the addition is gone; x + (+0) stays, since it turns a -0 into +0 (jit equals eager)', () => {
  const negZero = np.array(-0);
  for (const f of [(x: NDArray) => np.sin(np.add(np.sin(x), negZero)), (x: NDArray) => np.sin(np.add(np.full([3], -0), np.sin(x)))]) {
    const { before, after, show } = passes('x+(-0)', f, [x3]);
    assert.equal(count(before, 'add'), 1, show);
    assert.deepEqual(after, ['sin', 'sin'], show);
  }
  // +0: kept (folding it gave 1 / (x + 0) = -inf under jit at x = -0, inf eagerly)
  const { after, show } = passes('x+0 on -0', (x) => np.add(np.negative(x), 0), [np.array([0, 1, -1])], false);
  assert.equal(count(after, 'add'), 1, show);
  const f = (x: NDArray) => np.divide(1, np.add(np.negative(x), 0));
  const got = jit(f)(np.array([0, 1, -1])).dataSync(), want = f(np.array([0, 1, -1])).dataSync();
  assert.equal(got[0], Infinity); assert.equal(want[0], Infinity);
  // ints have no -0: x + 0 is gone
  const ints = passes('int x+0', (x) => np.add(np.negative(x), 0), [np.array([0, 1, -1], { dtype: 'int32' })], false);
  assert.deepEqual(ints.after, ['neg'], ints.show);
});

test('x - 0: the subtraction is gone (exact for every x, -0 included)', () => {
  const { before, after, show } = passes('x-0', (x) => np.subtract(np.negative(x), 0), [np.array([0, 1, -1, NaN])]);
  assert.equal(count(before, 'sub'), 1, show);
  assert.deepEqual(after, ['neg'], show);
});

test('x - (-0) stays: it is x + 0, +0 for x = -0 (eager), where dropping it would keep -0', () => {
  const negZero = np.array(-0);
  const { after, show } = passes('x-(-0)', (x) => np.divide(1, np.subtract(np.negative(x), negZero)), [np.array([0, -1, NaN])]);
  assert.equal(count(after, 'sub'), 1, show);
  assert.equal(jit((x: NDArray) => np.divide(1, np.subtract(np.negative(x), negZero)))(np.array([0])).dataSync()[0], Infinity, '1 / (-0 - (-0)) = 1 / +0');
});

test('neg(neg x): both negations are gone; an odd chain keeps one', () => {
  const two = passes('neg neg', (x) => np.sin(np.negative(np.negative(np.sin(x)))), [x3]);
  assert.equal(count(two.before, 'neg'), 2, two.show);
  assert.deepEqual(two.after, ['sin', 'sin'], two.show);
  const three = passes('neg neg neg', (x) => np.negative(np.negative(np.negative(np.sin(x)))), [x3]);
  assert.equal(count(three.before, 'neg'), 3, three.show);
  assert.deepEqual(three.after, ['sin', 'neg'], three.show);
});

test('convert to the same dtype and copy are gone; a real convert stays', () => {
  const same = passes('convert f32->f32', (x) => np.sin(bind('convert', [np.sin(x)], [0])), [x3]);
  assert.equal(count(same.before, 'convert'), 1, same.show);
  assert.deepEqual(same.after, ['sin', 'sin'], same.show);
  const real = passes('convert f32->f64', (x) => np.sin(np.astype(np.sin(x), 'float64')), [x3]);
  assert.deepEqual(real.after, ['sin', 'convert', 'sin'], real.show);
  const copy = passes('copy', (x) => np.sin(bind('copy', [np.sin(x)])), [x3]);
  assert.equal(count(copy.before, 'copy'), 1, copy.show);
  assert.deepEqual(copy.after, ['sin', 'sin'], copy.show);
});

test('reshape, transpose and broadcast_in_dim that change nothing are gone', () => {
  const cases: [string, (y: NDArray) => NDArray][] = [
    ['reshape', (y) => bind('reshape', [y], [2, 3])],
    ['transpose', (y) => bind('transpose', [y], [0, 1])],
    ['broadcast_in_dim', (y) => bind('broadcast_in_dim', [y], [2, 3, 0, 1])],
  ];
  for (const [op, noop] of cases) {
    const { before, after, show } = passes(`no-op ${op}`, (x) => np.sin(noop(np.sin(x))), [X23]);
    assert.equal(count(before, op), 1, show);
    assert.deepEqual(after, ['sin', 'sin'], show);
  }
  // A broadcast that adds an axis is kept.
  const kept = passes('broadcast adding an axis', (x) => np.sin(np.broadcastTo(np.sin(x), [2, 3])), [x3]);
  assert.deepEqual(kept.after, ['sin', 'broadcast_in_dim', 'sin'], kept.show);
});

test('chains of reshapes become one reshape (none when back to the source shape)', () => {
  const one = passes('reshape chain', (x) => np.sin(np.reshape(np.reshape(np.sin(x), [3, 2]), [6])), [X23]);
  assert.equal(count(one.before, 'reshape'), 2, one.show);
  assert.equal(count(one.after, 'reshape'), 1, one.show);
  const none = passes('reshape round trip', (x) => np.sin(np.reshape(np.reshape(np.reshape(np.sin(x), [6]), [3, 2]), [2, 3])), [X23]);
  assert.equal(count(none.before, 'reshape'), 3, none.show);
  assert.deepEqual(none.after, ['sin', 'sin'], none.show);
});

test('chains of transposes become one transpose of the composed permutation (none for the identity)', () => {
  const X = np.reshape(np.arange(24, { dtype: 'float32' }), [2, 3, 4]);
  const one = passes('transpose chain', (x) => np.sin(np.transpose(np.transpose(np.sin(x), [1, 2, 0]), [1, 2, 0])), [X]);
  assert.equal(count(one.before, 'transpose'), 2, one.show);
  assert.equal(count(one.after, 'transpose'), 1, one.show);
  const none = passes('transpose inverse', (x) => np.sin(np.transpose(np.transpose(np.sin(x), [1, 2, 0]), [2, 0, 1])), [X]);
  assert.equal(count(none.before, 'transpose'), 2, none.show);
  assert.deepEqual(none.after, ['sin', 'sin'], none.show);
});

test('sum of a broadcast over 2 or 3 copies is a multiplication by the count (plus +0: a sum starts there); over more or none it stays (not exact)', () => {
  const y = np.array(Float32Array.from({ length: 200 }, (_, i) => Math.sin(i * 1.37) * 3));
  for (const n of [2, 3]) {
    const { before, after, show } = passes(`sum of broadcast x${n}`, (v) => np.sum(np.broadcastTo(np.sin(v), [n, 200]), 0), [y]);
    assert.deepEqual(before, ['sin', 'broadcast_in_dim', 'sum'], show);
    assert.deepEqual(after, ['sin', 'full', 'mul', 'full', 'add'], show);
    // a -0 sums to +0 (numpy, JAX's reduce_sum from 0), eagerly and jitted: n * -0 alone was -0
    const z = np.array([-0, -0, 1.5, -Infinity], { dtype: 'float64' }), f = (v: NDArray) => np.sum(np.broadcastTo(v, [n, 4]), 0);
    for (const got of [f(z), jit(f)(z)]) assert.deepEqual([...got.dataSync()].map((v) => (Object.is(v, -0) ? '-0' : v)), [0, 0, 1.5 * n, -Infinity]);
  }
  // n * y and y + ... + y (n times) differ in the last bits from n = 7 on (and may for fewer in
  // another summation order): the rewrite would break jit == eager.
  for (const n of [7, 33]) {
    const { after, show } = passes(`sum of broadcast x${n}`, (v) => np.sum(np.broadcastTo(np.sin(v), [n, 200]), 0), [y]);
    assert.deepEqual(after, ['sin', 'broadcast_in_dim', 'sum'], show);
  }
  // over an empty axis: the sum is +0 for every y, y * 0 is NaN for inf and NaN and -0 for y < 0
  const special = [Infinity, -1, NaN, -0];
  for (const dtype of ['float32', 'float64'] as const) {
    const { after, show } = passes(`sum of broadcast x0 ${dtype}`, (v) => np.sum(np.broadcastTo(v, [0, 4]), 0), [np.array(special, dtype)]);
    assert.equal(count(after, 'mul'), 0, show);
    assert.deepEqual([...jit((v: NDArray) => np.sum(np.broadcastTo(v, [0, 4]), 0))(np.array(special, dtype)).dataSync()].map((v) => Object.is(v, 0)), [true, true, true, true]);
  }
  const mulVsSum = np.multiply(np.sin(y), 33).dataSync(), sum = np.sum(np.broadcastTo(np.sin(y), [33, 200]), 0).dataSync();
  assert.ok(mulVsSum.some((v, i) => v !== sum[i]), 'the reason: 33 * y is not the sum of 33 copies here');
});

test('common subexpressions: equal rows (op, operands, params) merge; different params do not', () => {
  const { before, after, show } = passes('cse', (x) => np.add(np.sin(np.tanh(x)), np.sin(np.tanh(x))), [x3]);
  assert.equal(count(before, 'sin'), 2, show);
  assert.equal(count(before, 'tanh'), 2, show);
  assert.deepEqual(after, ['tanh', 'sin', 'add'], show);
  const axes = passes('cse params', (x) => np.add(np.sum(np.exp(x), 0), np.sum(np.exp(x), 1)), [np.ones([3, 3])]);
  assert.equal(count(axes.after, 'exp'), 1, axes.show);
  assert.equal(count(axes.after, 'sum'), 2, `sums over different axes stay apart${axes.show}`);
});

test('dead code: rows left without readers by a rewrite are dropped (f\'s own dead rows are gone at the trace)', () => {
  const { before, after, show } = passes('dce', (x) => {
    void np.exp(np.cos(x)); // never read: the trace's freeze drops it already
    return np.multiply(np.negative(np.negative(np.tanh(x))), np.ones([3]));
  }, [x3]);
  assert.equal(count(before, 'exp') + count(before, 'cos'), 0, show);
  // before: tanh, neg, neg, const 1 (and its broadcast), mul; after, only tanh is read
  assert.ok(before.length >= 4, show);
  assert.deepEqual(after, ['tanh'], show);
});

test('rewrites that would change a value are not made: x*0, (x+1)-1, x-x, x/x, x*2*0.5', () => {
  const x = np.array([Infinity, NaN, -0, 3e38, 0.1], { dtype: 'float32' });
  const cases: [string, (v: NDArray) => NDArray, string[]][] = [
    ['x*0 (inf * 0 and NaN * 0 are NaN)', (v) => np.multiply(v, 0), ['mul']],
    ['(x+1)-1', (v) => np.subtract(np.add(v, 1), 1), ['add', 'sub']],
    ['x-x (inf - inf is NaN)', (v) => np.subtract(v, v), ['sub']],
    ['x/x', (v) => np.divide(v, v), ['div']],
    ['x*2*0.5 (3e38 * 2 is inf in float32)', (v) => np.multiply(np.multiply(v, 2), 0.5), ['mul', 'mul']],
  ];
  for (const [what, f, kept] of cases) {
    const { after, show } = passes(what, f, [x]);
    for (const op of kept) assert.equal(count(after, op), kept.filter((k) => k === op).length, `${what}: ${op} is kept${show}`);
  }
  const nan = jit((v: NDArray) => np.multiply(v, 0))(x).dataSync();
  assert.ok(Number.isNaN(nan[0]) && Number.isNaN(nan[1]) && Object.is(nan[2], -0), `x*0: [${Array.from(nan)}]`);
  assert.equal(jit((v: NDArray) => np.multiply(np.multiply(v, 2), 0.5))(x).dataSync()[3], Infinity);
});

// ---------------------------------------------------------------- fusion (assembly/ad/fuse.ts)

/** The rows of a fused program: each `fused { ... }` row with its instructions' ops. */
function fusedOf(text: string): string[][] {
  return [...text.matchAll(/= fused \{ (.*) \}$/gm)].map((m) => [...m[1].matchAll(/%\d+ = (\w+)/g)].map((k) => k[1]));
}

/** The optimized program's ops and the compiled (fused) one's; checks the call against eager. */
function fuses(what: string, f: (...xs: NDArray[]) => NDArray | NDArray[], args: NDArray[]) {
  const j = jit(f);
  const lowered = j.lower(...args);
  const optText = lowered.asText({ optimized: true }), runText = lowered.compile().asText();
  const got = j(...args), want = f(...args);
  const gs = Array.isArray(got) ? got : [got], ws = Array.isArray(want) ? want : [want];
  gs.forEach((g, i) => sameAsEager(`${what} output ${i}`, g, ws[i]));
  return { opt: opsOf(optText), run: opsOf(runText), groups: fusedOf(runText), show: `\noptimized:\n${optText}\ncompiled:\n${runText}` };
}

const v6 = np.array([0.5, -1, 2, 0.25, -3, 1.5]);
const w6 = np.array([1, 2, -0.5, 3, 0.75, -2]);

test('fusion: a chain of elementwise rows becomes one fused row; a broadcast scalar joins as a splat', () => {
  const s = np.array(1.25);
  const r = fuses('chain', (x, y, c) => np.multiply(np.exp(np.sin(np.add(x, y))), c), [v6, w6, s]);
  assert.deepEqual(r.opt.filter((o) => o !== 'broadcast_in_dim'), ['add', 'sin', 'exp', 'mul'], r.show);
  assert.deepEqual(r.run, ['fused'], r.show);
  assert.deepEqual(r.groups, [['add', 'sin', 'exp', 'broadcast_in_dim', 'mul']], r.show);
});

test('fusion: a value read outside the chain (an output, or by a reduction) is not absorbed', () => {
  const r = fuses('shared', (x, y) => {
    const t = np.tanh(np.multiply(x, y)); // read by the sum and by the next chain
    return [np.exp(np.add(t, x)), np.sum(t)];
  }, [v6, w6]);
  assert.deepEqual(r.groups, [['mul', 'tanh'], ['add', 'exp']], r.show);
  assert.equal(count(r.run, 'sum'), 1, r.show);
  const out = fuses('output', (x, y) => { const t = np.sin(np.multiply(x, y)); return [t, np.cos(t)]; }, [v6, w6]);
  assert.deepEqual(out.groups, [['mul', 'sin']], `the output t is a fused row's result, its cosine a row${out.show}`);
  assert.equal(count(out.run, 'cos'), 1, out.show);
});

test('fusion: a bias and a scale per row join; a broadcast over split axes, another shape and a single row stay rows', () => {
  const M = np.array([[1, 2, 3], [4, 5, 6]]), b = np.array([0.5, -0.5, 2]), c = np.array([[3], [-1]]);
  const r = fuses('bias', (m, v, w) => np.multiply(np.tanh(np.add(np.multiply(m, 2), v)), w), [M, b, c]);
  assert.equal(count(r.run, 'broadcast_in_dim'), 0, r.show);
  assert.deepEqual(r.groups, [['full', 'mul', 'broadcast_in_dim', 'add', 'tanh', 'broadcast_in_dim', 'mul']], r.show);
  const T = np.array(Float64Array.from({ length: 24 }, (_, i) => i / 7 - 1), { shape: [2, 3, 4] });
  const V = np.array(Float64Array.from({ length: 8 }, (_, i) => i - 3), { shape: [2, 1, 4] }); // axes 0 and 2 of the output
  const split = fuses('split axes', (t, v) => np.exp(np.add(np.sin(t), v)), [T, V]);
  assert.equal(count(split.run, 'broadcast_in_dim'), 1, `a broadcast onto axes 0 and 2 stays a row${split.show}`);
  assert.deepEqual(split.groups, [['sin', 'add', 'exp']], split.show);
  const one = fuses('single', (x) => np.sin(x), [v6]);
  assert.deepEqual(one.run, ['sin'], `a group of one row stays a row${one.show}`);
  const dot = fuses('dot', (x, y) => np.exp(np.multiply(np.dot(x, y), 2)), [v6, w6]);
  assert.equal(count(dot.run, 'dot_general'), 1, dot.show);
});

test('fusion: a chain ends in its sum (all axes, leading, middle) but not a sum over split axes or narrow columns', () => {
  const M = np.array(Float64Array.from({ length: 6 * 40 }, (_, i) => Math.sin(i)), { shape: [6, 40] });
  const T = np.array(Float64Array.from({ length: 2 * 3 * 40 }, (_, i) => Math.cos(i)), { shape: [2, 3, 40] });
  const all = fuses('sum of squares', (x, y) => np.sum(np.square(np.subtract(x, y))), [M, np.reshape(T, [6, 40])]);
  assert.deepEqual(all.run, ['fused'], all.show);
  assert.deepEqual(all.groups, [['sub', 'mul', 'sum']], all.show);
  const cols = fuses('column sums', (x) => np.sum(np.exp(x), { axis: 0 }), [M]);
  assert.deepEqual(cols.groups, [['exp', 'sum']], cols.show);
  const mid = fuses('middle axis', (t) => np.sum(np.tanh(t), { axis: 1 }), [T]);
  assert.deepEqual(mid.groups, [['tanh', 'sum']], mid.show);
  // Axes 0 and 2 are two runs of summed axes: the SUM kernel sums them in two passes.
  const split = fuses('axes 0 and 2', (t) => np.sum(np.exp(t), { axis: [0, 2] }), [T]);
  assert.deepEqual(split.run, ['exp', 'sum'], split.show);
  // Columns 4 wide: a block per run of 4 would cost more than the buffer it saves.
  const narrow = fuses('narrow columns', (x) => np.sum(np.exp(x), { axis: 0 }), [np.reshape(M, [60, 4])]);
  assert.deepEqual(narrow.run, ['exp', 'sum'], narrow.show);
  // A chain value read by anything but the sum stays a value; the sum of it is a row.
  const shared = fuses('shared', (x) => { const e = np.exp(x); return [np.sum(e), np.sin(e)]; }, [M]);
  assert.deepEqual(shared.groups, [], shared.show);
  assert.deepEqual(shared.run.sort(), ['exp', 'sin', 'sum'], shared.show);
});


test('a fused chain of fills alone (past the 65,536 elements folded) stays rows: jit equals eager (it was an internal error)', () => {
  // (eager: the gradient of mean(2x) is 2/n in every element)
  const g = grad((x: NDArray) => np.mean(np.multiply(x, 2)));
  for (const n of [65536, 65537, 100000]) {
    assert.deepEqual([...new Set(jit(g)(np.zeros([n])).dataSync())], [...new Set(g(np.zeros([n])).dataSync())], `n = ${n}`);
  }
  assert.equal(jit(() => np.multiply(np.full([300, 300], 0.1), 3))().get(0, 0).item(), Math.fround(Math.fround(0.1) * 3));
  assert.equal(jit((x: NDArray) => np.add(x, np.sum(np.exp(np.zeros([70000])))))(np.array(1)).item(), 70001);
});

test('a complex fill is no constant for the identities: x * (1 + 0i) and x + (-0 + 0i) stay, as IEEE complex arithmetic has it', () => {
  // numpy: z * np.complex64(1) = [0-0j, inf+nanj, nan+infj] for z = [-0-0j, inf+1j, 0+infj] (the cross terms), and
  // z + complex(-0.0, 0.0) = -0+0j for z = -0-0j; the optimizer returned z for both
  const z = np.complex(np.array([-0, Infinity, 0]), np.array([-0, 1, Infinity]));
  const parts = (a: NDArray) => [...np.real(a).dataSync(), ...np.imag(a).dataSync()].map((v) => (Object.is(v, -0) ? '-0' : v));
  for (const dtype of ['complex64', 'complex128'] as const) {
    const zz = np.astype(z, dtype);
    const mul = (x: NDArray) => np.multiply(x, lax.full([3], 1, dtype));
    const add = (x: NDArray) => np.add(x, lax.full([3], -0, dtype));
    assert.deepEqual(parts(jit(mul)(zz)), [0, Infinity, NaN, '-0', NaN, Infinity], `${dtype} mul`);
    assert.deepEqual(parts(jit(mul)(zz)), parts(mul(zz)), `${dtype} mul eager`);
    assert.deepEqual(parts(jit(add)(zz)).slice(0, 1).concat(parts(jit(add)(zz)).slice(3, 4)), ['-0', 0], `${dtype} add`);
    assert.deepEqual(parts(jit(add)(zz)), parts(add(zz)), `${dtype} add eager`);
  }
});

test('CSE merges equal small constants by value, bit for bit, and the rows that read them', () => {
  // two np.array([0.5, 2]) literals were two const rows, and x * c twice two multiplications;
  // -0 and +0, and a different dtype, are different constants
  const f = (x: NDArray) => np.add(np.add(np.multiply(x, np.array([0.5, 2, 3])), np.multiply(x, np.array([0.5, 2, 3]))), np.multiply(x, np.array([-0, 0, 1])));
  const x = np.array([1, -2, 4]);
  const { before, after, show } = passes('equal constants', f, [x]);
  assert.equal(count(before, 'const'), 3, show);
  assert.equal(count(after, 'const'), 2, show);
  assert.equal(count(after, 'mul'), 2, show);
  const g = (x: NDArray) => np.add(np.multiply(x, np.array([0, 1, 2])), np.multiply(x, np.array([-0, 1, 2])));
  assert.equal(count(passes('-0 and +0', g, [x]).after, 'const'), 2);
});

test('CSE merges equal loops and conds, nested ones too: their bodies are compared word for word', () => {
  // Each view of a frozen body rewrote its header with the address it was viewed at, and freeze
  // left the padding before its data unwritten, so two equal loops' params differed and
  // jit(x => L(x) + L(x)) ran L twice.
  const inner = (v: NDArray) => lax.whileLoop((c: NDArray[]) => np.less(c[0], 3), (c: NDArray[]) => [np.add(c[0], 1), np.sin(c[1])], [np.array(0, 'int32'), v])[1];
  const loops: [string, string, (x: NDArray) => NDArray][] = [
    ['while', 'while', (x) => lax.whileLoop((c: NDArray[]) => np.less(c[0], 40), (c: NDArray[]) => [np.add(c[0], 1), np.sin(np.multiply(c[1], 1.5))], [np.array(0, 'int32'), x])[1]],
    ['scan', 'scan', (x) => lax.scan((c: NDArray, xi: NDArray) => [np.sin(np.add(c, xi)), np.cos(c)], x, np.ones([7, 3]))[0]],
    ['cond', 'cond', (x) => lax.cond(np.greater(np.sum(x), 0), (v: NDArray) => np.sin(v), (v: NDArray) => np.cos(v), x)],
    ['a while in a scan', 'scan', (x) => lax.scan((c: NDArray, xi: NDArray) => [inner(np.add(c, xi)), np.cos(c)], x, np.ones([4, 3]))[0]],
    ['a scan in a cond', 'cond', (x) => lax.cond(np.greater(np.sum(x), 0), (v: NDArray) => lax.scan((c: NDArray, xi: NDArray) => [inner(np.add(c, xi)), c], v, np.ones([2, 3]))[0], (v: NDArray) => np.cos(v), x)],
  ];
  // (passes() reads the row count off the first 'N rows', which here is a body's)
  const texts = (what: string, f: (x: NDArray) => NDArray) => {
    const j = jit(f), lowered = j.lower(x3);
    sameAsEager(what, j(x3), f(x3));
    const beforeText = lowered.asText(), afterText = lowered.asText({ optimized: true });
    return { before: opsOf(beforeText), after: opsOf(afterText), show: `\nbefore:\n${beforeText}\nafter:\n${afterText}` };
  };
  for (const [what, op, L] of loops) {
    const { before, after, show } = texts(what, (x) => np.add(L(x), L(x)));
    assert.equal(count(before, op), 2, `${what}${show}`);
    assert.equal(count(after, op), 1, `${what}${show}`);
  }
  // different bodies stay apart
  const { after, show } = texts('sin and cos loops', (x) => np.add(loops[0][2](x), lax.whileLoop((c: NDArray[]) => np.less(c[0], 40),
    (c: NDArray[]) => [np.add(c[0], 1), np.cos(np.multiply(c[1], 1.5))], [np.array(0, 'int32'), x])[1]));
  assert.equal(count(after, 'while'), 2, show);
});
