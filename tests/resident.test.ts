// Resident arrays (ts/core/resident.ts): large results of top-level ops live in wasm heap blocks,
// large JS arrays get a mirror block on first use, kernels read both in place, and past a byte
// budget the oldest are evicted. These tests try to break that: values after eviction, blocks a
// running trace reads while eviction happens, kept pullbacks and jitted programs whose inputs were
// evicted, and memory in a long synchronous loop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, vjp, jit, vmap, linalg, wasm, NDArray } from '../ts/index.ts';
import { RESIDENT_BUDGET_BYTES, RESIDENT_MIN_BYTES, residentBytes, residentBudget, setResidentMinBytes } from '../ts/core/resident.ts';

const M = 1 << 18; // 1 MiB of float32: resident
/** Only in wasm memory (a top-level op's result), not mirrored from JS. */
const isResident = (a: NDArray) => (a as any)._block !== null && !(a as any)._block.mirror && (a as any)._block.token.ptr !== 0;
const hasMirror = (a: NDArray) => (a as any)._block !== null && (a as any)._block.mirror && (a as any)._block.token.ptr !== 0;

function ramp(n: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = ((i % 1000) - 500) * scale;
  return out;
}

test('large results are resident, large JS arrays get a mirror when used, small ones neither; values exact', () => {
  const src = ramp(M, 0.25);
  const x = np.array(src);
  assert.ok(!isResident(x) && !hasMirror(x));
  const small = np.array(ramp(RESIDENT_MIN_BYTES / 8));
  assert.ok(!isResident(np.add(small, 1)) && !hasMirror(small));
  const y = np.add(x, 1);
  assert.ok(!hasMirror(x), 'used once: no mirror yet');
  np.add(x, 2);
  assert.ok(hasMirror(x), 'x mirrored on its second use');
  assert.deepEqual(x.dataSync(), src);
  assert.ok(isResident(y));
  const v = y.dataSync();
  for (let i = 0; i < M; i += 997) assert.equal(v[i], Math.fround(src[i] + 1));
  // dataSync hands out a copy: writing it leaves the array alone.
  v[0] = 12345;
  assert.equal(y.dataSync()[0], Math.fround(src[0] + 1));
});

test('the budget in force: results never reused keep it where it is; a reused working set past it doubles it, up to the cap', () => {
  const b0 = residentBudget();
  assert.ok(b0 <= RESIDENT_BUDGET_BYTES);
  const x = np.array(ramp(M));
  for (let i = 0; i < (3 * b0) / (4 * M); i++) np.add(x, i).dataSync(); // a result per call, read back, dropped
  assert.equal(residentBudget(), b0, 'no array was used after its eviction');
  assert.ok(hasMirror(x), 'x, read on every call, was spared by every eviction');
  assert.ok(residentBytes() <= b0, `${residentBytes()} resident bytes past the budget ${b0}`);
  // A working set of twice the budget, read over and over: evictions are misses, the budget grows.
  const set = Array.from({ length: Math.min((2 * b0) / (4 * M), 40) }, (_, i) => np.add(x, i));
  for (let round = 0; round < 3; round++) set.forEach((a, i) => assert.equal(np.subtract(a, i).dataSync()[3], ramp(4)[3]));
  if (b0 < RESIDENT_BUDGET_BYTES) assert.ok(residentBudget() > b0, `budget still ${residentBudget()}`);
  assert.ok(residentBudget() <= RESIDENT_BUDGET_BYTES && residentBytes() <= residentBudget());
});

test('complex and float64 resident arrays keep their layout', () => {
  const re = new Float64Array(2 * M / 4);
  for (let i = 0; i < re.length; i++) re[i] = i % 7 - 3;
  const z = np.array(re, { dtype: 'complex128', shape: [re.length / 2] });
  np.negative(z);
  const zz = np.multiply(z, z); // (a + bi)^2: z read from its mirror
  assert.ok(hasMirror(z) && isResident(zz));
  const out = zz.dataSync();
  for (let k = 0; k < re.length / 2; k += 101) {
    const a = re[2 * k], b = re[2 * k + 1];
    assert.equal(out[2 * k], a * a - b * b);
    assert.equal(out[2 * k + 1], 2 * a * b);
  }
});

test('a resident array survives its own eviction: later reads and ops see the same values', () => {
  const x = np.exp(np.array(ramp(M, 1e-3)));
  const before = x.dataSync();
  // Make enough new resident data, from another array (one read on every call is spared), to
  // push x out of wasm memory.
  const z = np.array(ramp(M, 2e-3)), zv = z.dataSync();
  let junk: NDArray[] = [];
  for (let i = 0; i < (2 * RESIDENT_BUDGET_BYTES) / (4 * M); i++) junk.push(np.add(z, i));
  assert.ok(!isResident(x), 'x was evicted');
  assert.deepEqual(x.dataSync(), before);
  const y = np.subtract(x, x);
  assert.equal(np.max(np.abs(y)).item(), 0);
  // The junk made after x is correct too (its own values, not x's or reused memory).
  const last = junk.length - 1;
  assert.equal(junk[last].dataSync()[3], Math.fround(zv[3] + last));
  junk = [];
});

test('eviction never frees a block a running trace reads (pinned until the call ends)', () => {
  const kv = ramp(M, 1e-3), other = ramp(M, -7);
  const k = np.array(kv); // closed over: a const row that reads k's block in place
  np.add(k, 0); np.add(k, 0); // mirrored
  const n = Math.ceil((1.5 * RESIDENT_BUDGET_BYTES) / (4 * M));
  // Arrays used once already: their next use, inside the trace, makes a mirror block each.
  const junk = Array.from({ length: n }, () => np.array(other));
  for (const j of junk) np.negative(j);
  // Inside the traced function, those new blocks (of other's values) pass the budget while k's
  // row still reads k's block: were k's block freed and reused, the gradient would show other's
  // values. d/dv sum_i sum(v * k) = n k.
  const f = (v: NDArray) => {
    let acc = np.sum(np.multiply(v, k));
    for (let i = 1; i < n; i++) {
      acc = np.add(acc, np.add(np.sum(np.multiply(v, k)), np.multiply(np.sum(junk[i]), 0)));
    }
    return acc;
  };
  const g = grad(f)(np.array(ramp(M, 1e-3))).dataSync();
  for (let i = 0; i < M; i += 911) {
    const want = n * kv[i];
    assert.ok(Math.abs(g[i] - want) <= 1e-5 * Math.abs(want) + 1e-6, `g[${i}] = ${g[i]}, want ${want}`);
  }
  assert.deepEqual(k.dataSync(), kv);
});

test('a kept pullback and a jitted program do not depend on their inputs staying resident', () => {
  const x = np.array(ramp(M, 1e-3));
  const [y, pullback] = vjp((v: NDArray) => np.multiply(np.sin(v), v), x);
  const f = jit((a: NDArray, b: NDArray) => np.add(np.multiply(a, b), 1));
  const expectJit = f(x, x).dataSync();
  // Evict everything made so far.
  for (let i = 0; i < (2 * RESIDENT_BUDGET_BYTES) / (4 * M); i++) np.add(y, i);
  const ct = pullback(np.onesLike(y))[0].dataSync();
  const xs = ramp(M, 1e-3);
  for (let i = 0; i < M; i += 1013) {
    const ref = Math.cos(xs[i]) * xs[i] + Math.sin(xs[i]); // d(x sin x)
    assert.ok(Math.abs(ct[i] - ref) <= 1e-6 * (1 + Math.abs(ref)), `ct[${i}] = ${ct[i]}, want ${ref}`);
  }
  assert.deepEqual(f(x, x).dataSync(), expectJit);
});

test('reshape, np.array and indexing of a resident array copy it: the copies are independent', () => {
  const x = np.multiply(np.array(ramp(M, 0.5), { shape: [512, M / 512] }), 1);
  const r = np.reshape(x, [M]);
  const c = np.array(x);
  const row = x.get(3) as NDArray;
  const [first] = x;
  assert.deepEqual(r.dataSync(), ramp(M, 0.5));
  assert.deepEqual(c.dataSync(), ramp(M, 0.5));
  assert.deepEqual(Array.from(row.dataSync()), Array.from(ramp(M, 0.5).subarray(3 * (M / 512), 4 * (M / 512))));
  assert.deepEqual(Array.from(first.dataSync()), Array.from(ramp(M, 0.5).subarray(0, M / 512)));
  assert.ok(isResident(x));
});

test('an error in the middle of a call leaves resident arrays intact, and the next call works', () => {
  const x = np.array(ramp(M, 1e-3));
  assert.throws(() => np.add(x, np.ones([3])), /ShapeError|broadcast/);
  assert.throws(() => grad((v: NDArray) => np.add(np.sum(v), np.ones([2, 2])))(x));
  assert.deepEqual(x.dataSync(), ramp(M, 1e-3));
  assert.equal(np.sum(np.subtract(x, x)).item(), 0);
});

test('a long synchronous loop keeps wasm memory bounded and flat, and the values right', () => {
  let x = np.array(new Float32Array(4 * M)); // 4 MiB each step
  const steps = Math.ceil((4 * RESIDENT_BUDGET_BYTES) / (16 * M));
  for (let i = 0; i < steps; i++) x = np.add(x, 1); // warm up: the budget fills and evicts
  const mem = wasm().memory.buffer.byteLength;
  for (let i = 0; i < 2 * steps; i++) x = np.add(x, 1);
  assert.equal(wasm().memory.buffer.byteLength, mem, 'wasm memory grew');
  assert.ok(residentBytes() <= RESIDENT_BUDGET_BYTES, `${residentBytes()} resident bytes`);
  const v = x.dataSync();
  assert.equal(v[0], 3 * steps);
  assert.equal(v[v.length - 1], 3 * steps);
});

test('every kind of op gives the same bits with residency on and off (results fed back, mirrors, eviction between)', () => {
  const n = 1 << 16; // 256 KiB of float32: resident when on
  const rnd = (seed: number, len: number) => {
    let a = seed >>> 0;
    return Float32Array.from({ length: len }, () => { a = (a * 1664525 + 1013904223) >>> 0; return a / 2 ** 32 - 0.5; });
  };
  const programs: [string, () => NDArray[]][] = [];
  const add = (name: string, f: () => NDArray[]) => programs.push([name, f]);
  const X = () => np.array(rnd(1, n), { shape: [256, 256] });
  const Y = () => np.array(rnd(2, n), { shape: [256, 256] });
  add('elementwise chain', () => { const x = X(); const a = np.exp(np.multiply(x, 0.5)); const b = np.add(a, x); return [np.tanh(np.subtract(b, np.sin(a))), a]; });
  add('reductions', () => { const x = np.abs(X()); return [np.sum(x, { axis: 0 }), np.max(x, { axis: 1 }), np.cumsum(x, { axis: 1 }), np.argmax(x, { axis: 0 })]; });
  add('movement', () => {
    const x = np.add(X(), 1), t = np.transpose(x), r = np.reshape(t, [128, 512]);
    return [np.concatenate([r, r], 1), np.flip(r, 0), np.take(x, np.array([3, 1, 250], { dtype: 'int32' }), { axis: 0 }), np.tile(np.reshape(x, [-1]), 2)];
  });
  add('matmul and linalg', () => { const x = np.add(X(), np.multiply(np.eye(256), 8)); const y = Y(); return [np.matmul(x, y), linalg.solve(x, y), linalg.inv(x)]; });
  add('dtypes', () => {
    const x = X();
    const i = np.astype(np.multiply(x, 1000), 'int32'), b = np.greater(x, 0), d = np.astype(x, 'float64');
    const z = np.complex(x, Y());
    return [np.add(i, np.rightShift(i, 2)), np.logicalXor(b, np.less(x, 0.25)), np.exp(d), np.multiply(z, np.conj(z)), np.sort(np.reshape(x, [-1]))];
  });
  add('reused inputs and results', () => {
    const x = X();
    let acc = np.zerosLike(x);
    for (let k = 0; k < 6; k++) acc = np.add(acc, np.multiply(x, k)); // x mirrored, acc resident
    return [acc, np.multiply(acc, x)];
  });
  add('transforms and jit', () => {
    const x = X(), y = Y();
    const f = (a: NDArray) => np.sum(np.multiply(np.tanh(np.matmul(a, y)), a));
    const jf = jit((a: NDArray) => np.exp(np.multiply(np.sin(a), 0.3)));
    const [v, pull] = vjp((a: NDArray) => np.tanh(np.matmul(a, y)), x);
    return [grad(f)(x), jf(x), jf(np.add(x, 1)), v, pull(np.onesLike(v))[0], vmap((r: NDArray) => np.multiply(r, np.sum(r)))(x)];
  });
  const run = () => programs.map(([name, f]) => {
    const outs = f();
    // Pressure between programs: the outputs above must survive eviction intact.
    for (let k = 0; k < (1.5 * RESIDENT_BUDGET_BYTES) / (4 * n); k++) np.negative(np.multiply(outs[0], 1));
    return [name, outs.map((o) => Array.from(o.dataSync()))] as const;
  });
  const on = run();
  setResidentMinBytes(Infinity);
  try {
    const off = run();
    for (let p = 0; p < on.length; p++) {
      assert.equal(on[p][1].length, off[p][1].length);
      for (let k = 0; k < on[p][1].length; k++) assert.deepEqual(on[p][1][k], off[p][1][k], `${on[p][0]}, output ${k}`);
    }
  } finally {
    setResidentMinBytes(RESIDENT_MIN_BYTES);
  }
});

test('an array bigger than half the budget: its own block is never evicted under the rows that read it', () => {
  const n = (RESIDENT_BUDGET_BYTES * 3) / 4 / 4; // float32: 3/4 of the budget
  const src = new Float32Array(n);
  for (let i = 0; i < n; i += 4099) src[i] = i % 13;
  const x = np.array(src);
  np.negative(x); // first use: uploaded
  const y = np.add(x, x); // second use: a mirror block as large as most of the budget, read by add
  const z = np.add(y, y); // a result as large, adopted, then read
  const f = jit((v: NDArray) => { const w = np.multiply(v, 2); return [w, w]; });
  const [a, b] = f(x); // one output adopts the block, the other copies it
  const [yv, zv, av, bv] = [y, z, a, b].map((t) => t.dataSync());
  for (let i = 0; i < n; i += 4099) {
    const want = 2 * (i % 13);
    assert.equal(yv[i], want);
    assert.equal(zv[i], 2 * want);
    assert.equal(av[i], want);
    assert.equal(bv[i], want);
  }
  assert.equal(yv[1], 0);
});

test('grad of a function closing over a resident array: the right gradient, and the array intact', () => {
  const kv = ramp(M, 1e-3);
  const k = np.multiply(np.array(kv), 1); // resident: its block is the only copy
  assert.ok(isResident(k));
  // The transpose reads k for the mul term, then accumulates the two cotangents of v into a new
  // buffer of k's size, the moment a block handed to the arena would be reused. (At top level the
  // linear program is frozen with k copied in, so the transpose reads a copy; the HOST_BUFFER
  // check in transpose.ts's release guards the nested forms.)
  const f = (v: NDArray) => np.add(np.sum(np.multiply(v, k)), np.sum(np.exp(v)));
  const x = np.array(ramp(M, 2e-3));
  const g = grad(f)(x).dataSync();
  const xs = ramp(M, 2e-3);
  for (let i = 0; i < M; i += 997) {
    const want = kv[i] + Math.exp(xs[i]);
    assert.ok(Math.abs(g[i] - want) <= 1e-6 * Math.abs(want), `g[${i}] = ${g[i]}, want ${want}`);
  }
  assert.deepEqual(k.dataSync(), Float32Array.from(kv, (v) => Math.fround(v * 1)));
});

test('a JS number broadcast by an op (x * 2) is a temporary: its block is freed after the op, never copied out by eviction', async () => {
  const { residentStats } = await import('../ts/core/resident.ts');
  const x = np.array(new Float32Array(M).map((_, i) => i % 5)); // 1 MiB
  const two = np.full([M], 2), one = np.full([M], 1);
  // Enough calls to cycle the budget (whatever earlier tests grew it to) a few times over.
  const calls = Math.ceil((4 * residentStats().budget) / (2 * 4 * M));
  const copiesOf = (step: () => NDArray): number => {
    const before = residentStats().evictionCopies;
    let last = step();
    for (let i = 1; i < calls; i++) last = step();
    const v = last.dataSync();
    assert.equal(v[3], 7); assert.equal(v[M - 1], 2 * ((M - 1) % 5) + 1);
    return residentStats().evictionCopies - before;
  };
  const withArrays = copiesOf(() => np.add(np.multiply(x, two), one));
  const withNumbers = copiesOf(() => np.add(np.multiply(x, 2), 1));
  assert.ok(withArrays >= calls, `${withArrays} eviction copies in ${calls} calls: the budget was cycled`);
  // each call leaves two results (x * 2, then + 1) to evict; the numbers' broadcasts are freed
  // (copied out too, they made it four a call)
  assert.ok(withNumbers <= 2 * calls + 2, `x * 2 + 1: ${withNumbers} eviction copies in ${calls} calls`);
});

test('copies into unzeroed memory (large arrays) are exact and independent of their source, for every dtype', () => {
  // np.array, dataSync and eviction copy large buffers into memory that is not zeroed first
  // (Node's Buffer.allocUnsafeSlow): every byte must still come from the source, and the copies
  // must not share memory with it or with each other.
  const n = 3 * RESIDENT_MIN_BYTES; // past the 32 KiB at which the unzeroed path starts
  const cases: [string, () => Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array][] = [
    ['float32', () => ramp(n, 0.5)],
    ['float64', () => Float64Array.from(ramp(n, 0.125))],
    ['int32', () => Int32Array.from(ramp(n), (v) => v * 3)],
    ['uint32', () => Uint32Array.from(ramp(n), (v) => Math.abs(v) * 7)],
    ['complex64', () => ramp(2 * n, 0.25)],
  ];
  for (const [dtype, make] of cases) {
    const src = make();
    const keep = src.slice();
    const x = np.array(src, { dtype: dtype as any, shape: [n] }); // (n elements: complex64's 2n floats are re, im pairs)
    src.fill(99); // the Array copied its source
    const d1 = x.dataSync(), d2 = x.dataSync();
    assert.equal(d1.constructor, keep.constructor, dtype);
    assert.equal(d1.length, keep.length, dtype);
    assert.deepEqual(d1, keep, dtype);
    assert.notEqual(d1.buffer, d2.buffer, `${dtype}: two reads, two buffers`);
    d1.fill(7); // the caller owns what dataSync returns
    assert.deepEqual(x.dataSync(), keep, dtype);
    assert.deepEqual(np.array(x).dataSync(), keep, `${dtype}: np.array of an Array`);
  }
  // a resident result, evicted (copied to JS) by later results, then read
  const r = np.add(np.array(ramp(M)), 1);
  for (let i = 0; i < 2 * RESIDENT_BUDGET_BYTES / (4 * M); i++) np.add(np.array(ramp(M)), i);
  assert.ok(!isResident(r), 'evicted');
  assert.deepEqual(r.dataSync(), ramp(M).map((v) => v + 1));
});

test('a random sampler leaves no resident intermediates: a loop drawing 1M floats keeps the 8 MiB budget and evicts at most its own results', async () => {
  const { random, residentStats } = await import('../ts/index.ts');
  const key = random.key(3);
  const step = () => np.sum(np.multiply(random.uniform(key, [M * 4]), 2)).item(); // 1M floats per draw
  for (let i = 0; i < 20; i++) step(); // (evicts what earlier tests left resident: up to the budget)
  const before = residentStats();
  for (let i = 0; i < 20; i++) step();
  const after = residentStats();
  // per iteration: the draw and its product, both dead at once (2 copies); the raw bits and the
  // unscaled floats were resident blocks too (4 copies, and misses that grew the budget)
  assert.ok(after.evictionCopies - before.evictionCopies <= 2 * 20 + 5, `${after.evictionCopies - before.evictionCopies} eviction copies`);
  assert.equal(after.budget, before.budget, 'no miss: nothing evicted was read again');
});
