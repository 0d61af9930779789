// Probe BY: huge arrays and memory exhaustion. Shapes whose element or byte count passes 2^31 /
// 2^32 must be a clear CotangentError naming the function and the shape (never a wasm trap, a JS
// RangeError, or a size wrapped modulo 2^32 into a small array), the next call must still work,
// and large-but-legal sizes must give numpy's numbers. References: numpy 2.4 (literals pasted
// below), closed forms, and plain-JS float64 loops. The heaviest case (running wasm memory out in
// a child process) is oom.test.ts's (a jitted call out of memory at its 15th large output).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  np, lax, random, grad, jit, vmap, jacfwd, jacrev, hessian, tidy, wasm,
  CotangentError, OutOfMemoryError, ShapeError,
} from '../ts/index.ts';

/** The ordinary calls that must still work after each failure. */
function stillWorks(): void {
  assert.deepEqual(Array.from(np.add(np.array([1, 2]), np.array([3, 4])).dataSync()), [4, 6]);
  assert.deepEqual(Array.from(grad((x: any) => np.sum(np.square(x)))(np.array([3, -1.5])).dataSync()), [6, -3]);
}

/** fn throws a CotangentError (not a RangeError / RuntimeError / TypeError) whose message matches every pattern. */
function refuses(fn: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(fn, (e: any) => {
    assert.ok(e instanceof CotangentError, `not a CotangentError: ${e?.constructor?.name}: ${e?.message}`);
    assert.ok(!/unreachable|memory access out of bounds|wasm trap/i.test(e.message), e.message);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
  stillWorks();
}

/** A deterministic float32 stream (an LCG; numpy read the same values back from a file). */
function lcgData(n: number, seed: number, scale: number, offset: number): Float32Array {
  const a = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1103515245) + 12345) >>> 0; a[i] = (s / 2 ** 32) * scale + offset; }
  return a;
}

const rel = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

// ------------------------------------------------------------------ element and byte counts past 2^31 / 2^32

test('creation past 2^32 elements or 1 GiB is a clear OutOfMemoryError/ShapeError naming the function and shape', () => {
  assert.throws(() => np.zeros([65536, 65536]), OutOfMemoryError);
  refuses(() => np.zeros([65536, 65536]), /np\.zeros/, /65536,65536/);
  refuses(() => np.ones([2 ** 16, 2 ** 16], { dtype: 'float64' }), /np\.ones/, /4294967296/);
  refuses(() => np.full([70000, 70000], 3), /np\.full/, /70000,70000/);
  refuses(() => np.eye(65536), /np\.eye/, /65536/);
  refuses(() => np.zeros([2 ** 32]), /np\.zeros/, /4294967296/);
  refuses(() => np.zeros([2 ** 32 + 1]), /np\.zeros/, /4294967297/);
  refuses(() => np.zeros([2 ** 26], { dtype: 'complex128' }), /np\.zeros/, /complex128/, /1\.00 GiB/);
  refuses(() => np.zeros([2 ** 27], { dtype: 'float64' }), /np\.zeros/, /float64/);
  refuses(() => np.linspace(0, 1, 2 ** 32 + 3), /np\.linspace/, /4294967299/);
  refuses(() => np.arange(0, 3e9, 1, { dtype: 'float32' } as any), /np\.arange/, /3000000000/);
  refuses(() => np.array(new Float32Array(4), { shape: [65536, 65536] }), /np\.array/, /65536,65536/);
  refuses(() => np.array(new Float32Array(1), { shape: [2 ** 32 + 1] }), /np\.array/, /4294967297/);
  // legal: a zero-size array whose other axes multiply past 2^32
  assert.deepEqual(np.zeros([65536, 65536, 0]).shape, [65536, 65536, 0]);
});

test('ops whose result passes 2^32 elements are refused by name, never wrapped into a small array', () => {
  refuses(() => np.broadcastTo(np.ones([1]), [65536, 65536]), /np\.broadcastTo/, /65536,65536/);
  refuses(() => np.tile(np.ones([2 ** 16]), [2 ** 16]), /np\.tile/, /65536,65536/);
  refuses(() => np.repeat(np.ones([2 ** 16]), 2 ** 16), /np\.repeat/, /4294967296/);
  refuses(() => np.kron(np.ones([256, 256]), np.ones([256, 256])), /np\.kron/);
  refuses(() => np.outer(np.ones([65537]), np.ones([65537])), /np\.outer/, /65537,65537/);
  refuses(() => np.meshgrid(np.ones([65536]), np.ones([65537])), /np\.meshgrid/);
  refuses(() => np.einsum('i,j->ij', np.ones([65536]), np.ones([65536])), /np\.einsum/, /65536/);
  refuses(() => np.matmul(np.ones([65536, 1]), np.ones([1, 65537])), /np\.matmul/, /65536,1/, /1,65537/);
  refuses(() => np.add(np.ones([65537, 1]), np.ones([1, 65537])), /np\.add/, /65537,65537/);
  // 641 * 6700417 = 2^32 + 1: a product modulo 2^32 would be a 1-element array
  refuses(() => lax.broadcastInDim(np.ones([1]), [641, 6700417], [1]), /lax\.broadcastInDim/, /4294967297/);
  refuses(() => jit((x: any) => np.sum(lax.broadcastInDim(x, [641, 6700417], [1])))(np.ones([1])), /4294967297/);
  refuses(() => grad((x: any) => np.sum(np.broadcastTo(x, [641, 6700417])))(np.ones([1])), /641,6700417/);
  refuses(() => np.diag(np.ones([65536])), /np\.diag/, /65536,65536/);
  refuses(() => np.oneHot(np.zeros([65536], { dtype: 'int32' }), 65536), /np\.oneHot/, /4294967296/);
});

test('reductions and contractions of zero-size arrays whose result passes 2^32 elements are refused', () => {
  const z = np.zeros([641, 6700417, 0]);
  refuses(() => np.sum(z, { axis: 2 }), /np\.sum/, /641,6700417,0/);
  refuses(() => jit((x: any) => np.prod(x, { axis: 2 }))(z), /np\.prod/);
  refuses(() => np.matmul(np.zeros([65536, 0]), np.zeros([0, 65536])), /np\.matmul/, /65536,0/);
  refuses(() => jit((a: any, b: any) => np.matmul(a, b))(np.zeros([641, 0]), np.zeros([0, 6700417])), /np\.matmul/);
  // a legal one: the zeros of a zero-size reduction
  assert.deepEqual(np.sum(np.zeros([2 ** 16, 0]), { axis: 1 }).shape, [65536]);
});

test('random draws, vmap axis sizes and Jacobians past the limits are clear errors', () => {
  refuses(() => random.normal(random.key(0), [65536, 65536]), /random\.normal/, /65536,65536/);
  refuses(() => random.uniform(random.key(0), [2 ** 16 + 1, 2 ** 16 + 1]), /random\.uniform/);
  refuses(() => random.split(random.key(0), 2 ** 32), /random\.split/, /4294967296/);
  refuses(() => random.normal(random.key(0), [2 ** 27], { dtype: 'float64' } as any), /random\.normal/);
  refuses(() => vmap((x: any) => np.sum(x), { inAxes: null, axisSize: 2 ** 32 } as any)(np.ones([3])), /vmap/, /4294967296/);
  refuses(() => vmap((x: any) => np.add(x, 1), { inAxes: null, axisSize: 2 ** 31 - 1 } as any)(np.ones([])), /vmap/, /2147483647/);
  refuses(() => jacfwd((x: any) => x)(np.ones([65536])), /jacfwd/, /65536/);
  refuses(() => jacrev((x: any) => np.tile(x, 10))(np.ones([30000])), /jacrev/, /9000000000/);
  refuses(() => hessian((x: any) => np.sum(np.sin(x)))(np.ones([70000])), /hessian/, /70000/);
});

test('axis lengths past int32 are refused, not wrapped (lax.broadcast, lax.pad, concatenate) [fixed in ts/api/lax.ts]', () => {
  // lax.broadcast(1, [2^32]) was shape [0]; lax.pad's fills of 2^32 vanished
  refuses(() => lax.broadcast(np.array(1), [2 ** 32]), /lax\.broadcast/, /4294967296/);
  refuses(() => lax.pad(np.ones([4]), 0, [[2 ** 32, 0, 0]]), /lax\.pad/, /4294967296/);        // was [1,1,1,1]
  refuses(() => lax.pad(np.ones([4]), 0, [[0, 2 ** 32 + 1, 0]]), /lax\.pad/, /4294967297/);    // was [1,1,1,1,0]
  refuses(() => lax.pad(np.ones([2]), 0, [[0, 0, 2 ** 32]]), /lax\.pad/);                      // was [1,1]
  refuses(() => lax.pad(np.ones([2]), 0, [[0, 0, 2 ** 31]]), /lax\.pad/, /2147483648/);        // was "incompatible shapes"
  // JAX: [0,0,0,0] (hi pads 2^32 zeros, lo crops 2^32); it returned [1,1,1,1], then a ShapeError; now
  // the window is taken part by part (ts/api/lax_more.ts pad), with no intermediate past the result
  assert.deepEqual(lax.pad(np.ones([4]), 0, [[-(2 ** 32), 2 ** 32, 0]]).tolist(), [0, 0, 0, 0]);
  // zero-size pieces whose lengths add past int32: was "Array: shape [-2147483647, 0]", and at 2^32 shape [0, 0]
  refuses(() => np.concatenate([np.zeros([2 ** 31 - 1, 0]), np.zeros([2, 0])]), /np\.concatenate/, /2147483649/);
  refuses(() => np.concatenate([np.zeros([2 ** 31 - 1, 0]), np.zeros([2 ** 31 - 1, 0]), np.zeros([2, 0])]), /np\.concatenate/, /4294967296/);
  refuses(() => lax.concatenate([np.zeros([2 ** 31 - 1, 0]), np.zeros([1, 0])], 0), /lax\.concatenate/);
  // the legal edge still joins
  assert.deepEqual(np.concatenate([np.zeros([2 ** 31 - 2, 0]), np.zeros([1, 0])]).shape, [2 ** 31 - 1, 0]);
  assert.deepEqual(lax.pad(np.ones([2]), 0, [[1, -1, 2]]).tolist(), [0, 1, 0, 0]);
});

// ------------------------------------------------------------------ indices near 2^31

test('indices, shifts and offsets near and past 2^31 follow numpy/JAX', () => {
  const a = np.arange(10);
  const i32 = (v: number[]) => np.array(v, { dtype: 'int32' });
  // numpy: np.take(np.arange(10), [2**31-1, -2**31], mode='clip') -> [9, 0]; mode='wrap' -> [7, 2]
  assert.deepEqual(np.take(a, i32([2 ** 31 - 1, -(2 ** 31)]), { mode: 'clip' } as any).tolist(), [9, 0]);
  assert.deepEqual(np.take(a, i32([2 ** 31 - 1, -(2 ** 31)]), { mode: 'wrap' } as any).tolist(), [7, 2]);
  assert.deepEqual(np.take(a, [2 ** 32 + 3], { mode: 'wrap' } as any).tolist(), [9]); // (2^32 + 3) % 10
  // jnp.take's default mode 'fill' reads INT_MIN for an int32 operand out of bounds
  assert.deepEqual(np.take(a, i32([2 ** 31 - 1])).tolist(), [-(2 ** 31)]);
  // np.roll(np.arange(10), s) for s = 2**32+1, 2**31, -2**31-1 (shift % 10 = 7, 8, 1)
  assert.deepEqual(np.roll(a, 2 ** 32 + 1).tolist(), [3, 4, 5, 6, 7, 8, 9, 0, 1, 2]);
  assert.deepEqual(np.roll(a, 2 ** 31).tolist(), [2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
  assert.deepEqual(np.roll(a, -(2 ** 31) - 1).tolist(), [9, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
  // lax.dynamic_slice clamps its start
  assert.deepEqual(lax.dynamicSlice(a, [2 ** 31 - 1], [3]).tolist(), [7, 8, 9]);
  assert.deepEqual(lax.dynamicSlice(a, [np.array(-(2 ** 31), { dtype: 'int32' })], [3]).tolist(), [0, 1, 2]);
  // numpy slicing clips: a[2**32+1:] empty, a[-2**32:2] = [0, 1], a[::2**32] = [0]
  assert.deepEqual(a.get(`${2 ** 32 + 1}:`).shape, [0]);
  assert.deepEqual(a.get(`${-(2 ** 32)}:2`).tolist(), [0, 1]);
  assert.deepEqual(a.get(`::${2 ** 32 + 1}`).tolist(), [0]);
  assert.throws(() => a.get(2 ** 32 + 1), (e: any) => e instanceof CotangentError && /4294967297/.test(e.message));
  assert.throws(() => np.zeros([10]).at(2 ** 32 + 1).set(5), (e: any) => e instanceof CotangentError && /4294967297/.test(e.message));
  // k / offset past 2^32 select nothing (numpy)
  assert.deepEqual(np.triu(np.ones([3, 3]), 2 ** 32 + 1 as any).tolist(), [[0, 0, 0], [0, 0, 0], [0, 0, 0]]);
  assert.deepEqual(np.diagonal(np.ones([3, 3]), { offset: 2 ** 32 } as any).shape, [0]);
  refuses(() => np.sum(np.ones([3, 2]), { axis: 2 ** 32 }), /np\.sum/, /4294967296/);
});

// ------------------------------------------------------------------ int32 overflow semantics

test('int32/uint32 arithmetic and reductions wrap as numpy/JAX int32; arange near 2^31', () => {
  const full = (shape: number[], v: number, dtype: any = 'int32') => np.full(shape, v, { dtype });
  // numpy int32: np.full(3, 2**30, np.int32).sum(dtype=np.int32) == -1073741824
  assert.equal(np.sum(full([3], 2 ** 30)).item(), -1073741824);
  assert.equal(np.sum(full([1e6], 1e4)).item(), 1410065408); // 1e10 mod 2^32
  assert.deepEqual(np.cumsum(full([3], 2 ** 30)).tolist(), [1073741824, -2147483648, -1073741824]);
  assert.equal(np.prod(full([3], 2 ** 16)).item(), 0);
  assert.equal(np.sum(full([5], 2 ** 31, 'uint32')).item(), 2 ** 31);
  assert.equal(np.dot(full([3], 2 ** 16), full([3], 2 ** 15)).item(), -(2 ** 31));
  assert.deepEqual(np.sum(full([4, 3], 2 ** 30), { axis: 0 }).tolist(), [0, 0, 0]);
  assert.deepEqual(np.add(np.array([2 ** 31 - 1], { dtype: 'int32' }), 1).tolist(), [-(2 ** 31)]);
  assert.deepEqual(np.negative(np.array([-(2 ** 31)], { dtype: 'int32' })).tolist(), [-(2 ** 31)]);
  // sum of arange(100000) int32: 4999950000 mod 2^32
  assert.equal(np.sum(np.arange(100000)).item(), 704982704);
  // arange: int32 up to the edge; past it JAX refuses the Python int: a clear ValueError here
  const r = np.arange(2 ** 31 - 5, 2 ** 31 - 1);
  assert.equal(r.dtype, 'int32');
  assert.deepEqual(r.tolist(), [2147483643, 2147483644, 2147483645, 2147483646]);
  assert.deepEqual(np.arange(2 ** 31 - 1, -(2 ** 31), -(2 ** 31)).tolist(), [2147483647, -1]);
  refuses(() => np.arange(2 ** 31 - 5, 2 ** 31 + 5), /np\.arange/, /int32/);
  refuses(() => np.arange(2 ** 31 - 5, 2 ** 31 + 5, 1, { dtype: 'int32' } as any), /np\.arange/, /2147483648/);
  const f = np.arange(2 ** 31 - 5, 2 ** 31 + 5, 1, { dtype: 'float64' } as any);
  assert.deepEqual(f.tolist(), Array.from({ length: 10 }, (_, i) => 2 ** 31 - 5 + i));
  assert.deepEqual(np.arange(2 ** 31 - 2, 2 ** 31 + 2, 1, { dtype: 'uint32' } as any).tolist(), [2147483646, 2147483647, 2147483648, 2147483649]);
  refuses(() => np.add(np.array([1], { dtype: 'int32' }), 3e9), /np\.add/, /3000000000/);
  // float -> int32 conversion saturates (XLA's), NaN -> 0
  assert.deepEqual(np.array([3e9, -3e9, NaN]).astype('int32').tolist(), [2147483647, -2147483648, 0]);
});

// ------------------------------------------------------------------ large-but-legal sizes: numbers

test('sum / mean / var / std of 2^24 + 3 float32 match numpy and float64 to ~1e-6', () => {
  const n = 2 ** 24 + 3;
  const x = np.array(lcgData(n, 12345, 2, 0.1));
  // numpy 2.4 on the same values: float32 sum 1.8456364e+07, float64 sum 18456362.864609092,
  // float64 var 0.3334010680548389; float32 mean 1.1000848, std 0.5774089
  const sum64 = 18456362.864609092, var64 = 0.3334010680548389;
  assert.ok(rel(np.sum(x).item(), sum64) < 1e-6, String(np.sum(x).item()));
  assert.ok(rel(np.mean(x).item(), sum64 / n) < 1e-6);
  assert.ok(rel(np.var(x).item(), var64) < 1e-6, String(np.var(x).item()));
  assert.ok(rel(np.std(x).item(), Math.sqrt(var64)) < 1e-6);
  assert.ok(rel(np.sum(x.astype('float64')).item(), sum64) < 1e-13);
  // 2^25 + 1 ones: a naive float32 loop stops at 2^24; numpy's pairwise sum gives 33554432
  assert.equal(np.sum(np.ones([2 ** 25 + 1])).item(), 33554432);
});

test('cumsum of 1e7, argmax of 1e7 with its max at the end, sort of 1e6 with duplicates, -0, -inf and NaN', () => {
  const N = 1e7;
  const c = np.cumsum(np.ones([N])).dataSync();
  assert.deepEqual([c[0], c[5e6 - 1], c[N - 1]], [1, 5e6, 1e7]); // exact: every partial sum is an integer below 2^24
  const d = lcgData(N, 4242, 1, 0);
  d[N - 1] = 2;
  const x = np.array(d);
  assert.equal(np.argmax(x).item(), N - 1);
  assert.equal(np.max(x).item(), 2);
  assert.deepEqual(np.argmax(np.reshape(x, [10, 1e6]), { axis: 1 }).tolist().slice(9), [999999]);
  d[N - 1] = NaN; d[5] = 3;
  const y = np.array(d);
  assert.equal(np.argmax(y).item(), N - 1); // numpy: the first NaN
  assert.equal(np.argmin(y).item(), N - 1);
  assert.equal(np.nanargmax(y).item(), 5);
  // sort 1e6 (JS's Float32Array sort is the reference: NaN last, -0 before +0 is fine either way)
  const M = 1e6;
  const b = new Float32Array(M);
  let s = 7;
  for (let i = 0; i < M; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    b[i] = ((s >>> 20) % 1000) - 500;
    if (i % 9973 === 0) b[i] = NaN;
    if (i % 7919 === 0) b[i] = -0;
    if (i % 104729 === 0) b[i] = -Infinity;
  }
  const ref = Float32Array.from(b).sort();
  const got = np.sort(np.array(b)).dataSync();
  let bad = 0;
  for (let i = 0; i < M; i++) if (!(got[i] === ref[i] || (Number.isNaN(got[i]) && Number.isNaN(ref[i])))) bad++;
  assert.equal(bad, 0);
  // numpy: np.unique has 1002 values (-inf, -500..499, one NaN); median of the non-NaN -12.0
  assert.deepEqual(np.unique(np.array(b)).shape, [1002]);
  assert.equal(np.nanmedian(np.array(b)).item(), -12);
});

test('matmul with a 2^17 inner dimension: float32 within 2e-6 of the float64 product, float64 within 1e-12', () => {
  const K = 2 ** 17, M = 8, N = 6;
  const A = lcgData(M * K, 99, 1, 0.5), B = lcgData(K * N, 77, 1, -0.25);
  const ref = new Float64Array(M * N);
  for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) { const a = A[i * K + k]; for (let j = 0; j < N; j++) ref[i * N + j] += a * B[k * N + j]; }
  const a = np.reshape(np.array(A), [M, K]), b = np.reshape(np.array(B), [K, N]);
  const g32 = np.matmul(a, b).dataSync(), g64 = np.matmul(a.astype('float64'), b.astype('float64')).dataSync();
  for (let i = 0; i < M * N; i++) {
    assert.ok(rel(g32[i], ref[i]) < 2e-6, `${i}: ${g32[i]} vs ${ref[i]}`);
    assert.ok(rel(g64[i], ref[i]) < 1e-12, `${i}: ${g64[i]} vs ${ref[i]}`);
  }
  // the gradient of sum(a @ b) wrt a is the row sums of b, broadcast
  const g = grad((v: any) => np.sum(np.matmul(v, b)))(a).dataSync();
  let r0 = 0; for (let j = 0; j < N; j++) r0 += B[(K - 1) * N + j];
  assert.ok(Math.abs(g[M * K - 1] - r0) < 1e-5);
});

// ------------------------------------------------------------------ memory reuse after failures and frees

test('after refusals and freed 128 MB arrays, wasm memory is reused (it stops growing) and values stay right', () => {
  const n = 2 ** 25; // 128 MiB of float32
  const before = wasm().memory.buffer.byteLength;
  let after1 = 0;
  for (let round = 0; round < 3; round++) {
    const v = tidy(() => {
      const p = np.add(lax.full([n], 1), round), q = np.multiply(p, 2);
      return np.sum(np.subtract(q, p)).item(); // (1 + round) * n
    });
    assert.equal(v, (1 + round) * n);
    refuses(() => np.broadcastTo(np.ones([1]), [65536, 65536]), /np\.broadcastTo/);
    if (round === 0) after1 = wasm().memory.buffer.byteLength;
  }
  const grown = wasm().memory.buffer.byteLength;
  assert.ok(grown <= Math.max(after1, before) + 64 * 2 ** 20, `wasm memory grew from ${after1} to ${grown} bytes over rounds that free everything`);
});
