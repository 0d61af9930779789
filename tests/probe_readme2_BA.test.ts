// helper-277: README.md lines 1-560 (overview, quick-start, API sections up to linalg) checked by
// running them. Pins the claims that had no test yet; references are numpy 2.4 / mpmath 1.3 /
// closed forms, pasted as literals with where they came from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { np, lax, grad, wasmBuild, ValueError, DTypeError } from '../ts/index.ts';
import { relaxedSimdSupported } from '../ts/loader.ts';

const f64 = (v: unknown) => np.array(v as number[], { dtype: 'float64' });
const i32 = (v: unknown) => np.array(v as number[], { dtype: 'int32' });

test('README: the relaxed-SIMD probe is a 37-byte module (the README said 40) and decides the build', () => {
  const src = readFileSync(new URL('../ts/loader.ts', import.meta.url), 'utf8');
  const body = /RELAXED_SIMD_PROBE = new Uint8Array\(\[([\s\S]*?)\]\);/.exec(src)![1];
  const bytes = body.split('\n').map((l) => l.replace(/\/\/.*$/, '')).join(' ').match(/0x[0-9a-f]+/gi)!.map(Number);
  assert.equal(bytes.length, 37);
  assert.equal(WebAssembly.validate(new Uint8Array(bytes)), relaxedSimdSupported());
  assert.ok(['simd', 'relaxed-simd'].includes(wasmBuild()));
});

test('README: x.at(i) as a value: JS arithmetic a ValueError naming x.get(0), an np argument a DTypeError', () => {
  const x = np.array([1, 2, 3]);
  assert.throws(() => (x.at(0) as never as number) * 2, (e: unknown) => e instanceof ValueError && /x\.get\(0\)/.test((e as Error).message));
  assert.throws(() => np.add(x.at(0) as never, 1), (e: unknown) => e instanceof DTypeError && /np\.add: argument 0.*x\.get/.test((e as Error).message));
  assert.deepEqual(np.add(x, 1).tolist(), [2, 3, 4]); // the next call works
});

test('README example: grad(grad(grad(np.tanh)))(2.0) is 0.25265405 in float32', () => {
  // mpmath: diff(tanh, 2, 3) = 0.252654065098062732278615522
  const r = grad(grad(grad(np.tanh)))(2.0);
  assert.equal(r.dtype, 'float32');
  assert.ok(Math.abs(r.item() - 0.252654065098062732) < 3e-8, String(r.item()));
});

test('README numpy claims: geomspace integer dtype truncates, split cut points in any order, linspace retstep', () => {
  // numpy: np.geomspace(2, 1000, 3, dtype=np.int32) = [2, 44, 1000]; np.geomspace(1, 1000, 4, dtype=np.int32) = [1, 10, 100, 1000]
  assert.deepEqual(np.geomspace(2, 1000, 3, { dtype: 'int32' } as never).tolist(), [2, 44, 1000]);
  assert.deepEqual(np.geomspace(1, 1000, 4, { dtype: 'int32' } as never).tolist(), [1, 10, 100, 1000]);
  // numpy: np.split(np.arange(6), [4, 2]) = [[0 1 2 3], [], [2 3 4 5]]
  assert.deepEqual((np.split(np.arange(6), [4, 2]) as never as { tolist(): unknown }[]).map((a) => a.tolist()), [[0, 1, 2, 3], [], [2, 3, 4, 5]]);
  // numpy: np.linspace(0, 1, 1, retstep=True) step nan; endpoint=False step 1.0; num=0 step nan
  const step = (o: object) => (np.linspace(0, 1, o as never) as never as [unknown, { item(): number }])[1].item();
  assert.ok(Number.isNaN(step({ num: 1, retstep: true })));
  assert.ok(Number.isNaN(step({ num: 0, retstep: true })));
  assert.equal(step({ num: 1, endpoint: false, retstep: true }), 1);
});

test('README statistics claims: quantile methods (numpy), histogram ranges (numpy\'s ValueErrors), logsumexp returnSign', () => {
  const x = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  // numpy: np.quantile(x, [0.05, 0.25, 0.5, 0.45], method=m)
  const q = (m: string) => np.quantile(x, [0.05, 0.25, 0.5, 0.45], { method: m } as never).tolist();
  assert.deepEqual(q('lower'), [1, 3, 5, 5]);
  assert.deepEqual(q('higher'), [2, 4, 6, 6]);
  assert.deepEqual(q('nearest'), [1, 3, 5, 5]);
  assert.deepEqual(q('midpoint'), [1.5, 3.5, 5.5, 5.5]);
  // numpy: np.quantile([1, 2, 3, 4], 0.5, method='nearest') = 3.0 (v = 1.5 rounds half to even)
  assert.equal(np.quantile(np.array([1, 2, 3, 4]), 0.5, { method: 'nearest' } as never).item(), 3);
  // JAX's a (1 - t) + b t at an infinite end: inf at q = 0.5 (numpy's NaN)
  assert.equal(np.quantile(np.array([1, Infinity]), 0.5).item(), Infinity);
  // numpy: np.histogram(f32[1,2,3], bins=2, range=(1, 1+1e-7)) ValueError 'Too many bins for data range';
  // range=(1, 1) widens to (0.5, 1.5): counts [0, 1]; range=(0, inf) ValueError
  const a = np.array([1, 2, 3]);
  assert.throws(() => np.histogram(a, { bins: 2, range: [1, 1 + 1e-7] } as never), ValueError);
  assert.throws(() => np.histogram(a, { bins: 2, range: [0, Infinity] } as never), ValueError);
  const [c, e] = np.histogram(a, { bins: 2, range: [1, 1] } as never) as never as [{ tolist(): unknown }, { tolist(): unknown }];
  assert.deepEqual([c.tolist(), e.tolist()], [[0, 1], [0.5, 1, 1.5]]);
  // numpy: s = sum([1, -2, 0.5] * exp([1, 2, 3])); log|s| = 0.7016419515146494, sign -1
  const [v, s] = np.logsumexp(f64([1, 2, 3]), { b: f64([1, -2, 0.5]), returnSign: true } as never) as never as [{ item(): number }, { item(): number }];
  assert.ok(Math.abs(v.item() - 0.7016419515146494) < 1e-14);
  assert.equal(s.item(), -1);
});

test('README lax claims: gather FILL_OR_DROP fills per dtype, scatter drops; lax.full saturates both ways', () => {
  const dims = { offsetDims: [], collapsedSliceDims: [0], startIndexMap: [0] } as never;
  const idx = i32([[1], [5], [-1]]);
  assert.deepEqual(lax.gather(i32([1, 2, 3]), idx, dims, [1]).tolist(), [2, -2147483648, -2147483648]);
  assert.deepEqual(lax.gather(np.array([1, 2, 3], { dtype: 'uint32' }), idx, dims, [1]).tolist(), [2, 4294967295, 4294967295]);
  assert.deepEqual(lax.gather(np.array([true, false, false]), idx, dims, [1]).tolist(), [false, true, true]);
  assert.deepEqual(lax.gather(np.array([1, 2, 3]), idx, dims, [1], { mode: 'clip' } as never).tolist(), [2, 3, 1]);
  const sd = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] } as never;
  assert.deepEqual(lax.scatterAdd(np.zeros([3]), idx, np.array([1, 10, 100]), sd, { mode: 'promise_in_bounds' } as never).tolist(), [0, 1, 0]);
  // XLA's float -> int32 conversion saturates (JAX's convert_element_type)
  assert.deepEqual(lax.full([1], -3e9, 'int32').tolist(), [-2147483648]);
  assert.deepEqual(lax.full([1], -1, 'uint32').tolist(), [0]);
});
