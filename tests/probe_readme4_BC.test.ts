// helper-279: README.md from line 1300 to the end (architecture, memory, runtimes, tests, layout)
// checked as a contract. References: closed forms and numpy 2.4 (values pasted as literals).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, lax, vmap, grad, ShapeError } from '../ts/index.ts';

const rankLimit = (where: RegExp) => (e: unknown) =>
  e instanceof ShapeError && where.test((e as Error).message) && /at most 30/.test((e as Error).message);

test('rank limit: every reduction and transpose past 30 axes is a ShapeError saying so (README "Rank limit"), vmap batch axes counted', () => {
  const sh = [2, ...new Array(30).fill(1)]; // rank 31
  const x = np.ones(sh);
  // lax.transpose (so np.swapaxes, np.moveaxis, np.cummax's scan) gave a ValueError ('invalid parameters')
  assert.throws(() => np.swapaxes(x, 0, 1), rankLimit(/np\.swapaxes/));
  assert.throws(() => np.moveaxis(x, 0, -1), rankLimit(/np\.moveaxis/));
  assert.throws(() => lax.transpose(x, [...sh.keys()].reverse()), rankLimit(/lax\.transpose/));
  assert.throws(() => np.cummax(x, 0 as never), rankLimit(/np\.cummax/));
  // lax's reductions gave ValueErrors too
  assert.throws(() => lax.reduceSum(x, [0]), rankLimit(/lax\.reduceSum/));
  assert.throws(() => lax.reduceMax(x, [0]), rankLimit(/lax\.reduceMax/));
  assert.throws(() => lax.reduceMin(x, [0]), rankLimit(/lax\.reduceMin/));
  // np's were ShapeErrors already
  assert.throws(() => np.sum(x), rankLimit(/np\.sum/));
  assert.throws(() => np.transpose(x), rankLimit(/np\.transpose/));
  // under vmap a rank-30 example is a rank-31 batch: 'np.sum: sum: invalid parameters' before
  const b = np.ones([3, 2, ...new Array(29).fill(1)]); // examples of rank 30
  const batched = (e: unknown) => rankLimit(/vmap/)(e) && /rank 31/.test((e as Error).message);
  assert.throws(() => vmap((a: never) => np.sum(a))(b), batched);
  assert.throws(() => vmap((a: never) => np.max(a))(b), batched);
  assert.throws(() => vmap((a: never) => np.transpose(a))(b), batched);
  assert.throws(() => vmap((a: never) => lax.reduceSum(a, [0]))(b), batched);
  // rank 30 works, eagerly and per example of rank 29 under vmap; elementwise ops have no limit
  assert.equal(np.sum(np.ones([2, ...new Array(29).fill(1)])).item(), 2);
  assert.deepEqual(vmap((a: never) => np.sum(a))(np.ones([3, 2, ...new Array(28).fill(1)])).tolist(), [2, 2, 2]);
  assert.equal(np.add(np.ones([2, ...new Array(39).fill(1)]), 1).ndim, 40);
  // and the next call works
  assert.equal(grad((t: never) => np.sum(np.multiply(t, t)))(np.array([1, 2])).tolist().join(), '2,4');
});

test('memory figures the architecture section states: the resident threshold and budgets, and pullbacks binding a closed-over weight', async () => {
  const { residentStats, keptTapeStats, vjp } = await import('../ts/index.ts');
  // "A large (>= 64 KiB) concrete Array keeps its values in a wasm heap block"; the budget starts at 8 MiB (of 64)
  assert.ok(residentStats().budget >= 8 * 2 ** 20 && residentStats().budget <= 64 * 2 ** 20);
  const b0 = residentStats().bytes;
  const big = np.add(np.zeros([16384]), 1); // 64 KiB of float32: resident
  assert.equal(residentStats().bytes - b0, 65536);
  const b1 = residentStats().bytes;
  const small = np.add(np.zeros([16383]), 1); // 4 bytes short: stays in JS
  assert.equal(residentStats().bytes - b1, 0);
  assert.equal(big.get(0).item() + small.get(0).item(), 2);
  // kept frozen tapes: a 64 MiB budget by default
  assert.equal(keptTapeStats().budget, 64 * 2 ** 20);
  // pullbacks over a closed-over 8 MB weight bind it at each call: after the first (which bakes in a
  // weight built in JS: it becomes resident on its second use), each adds well under a KiB, not 8 MB
  const W = np.reshape(np.array(new Float32Array(2048 * 1024).fill(0.5)), [2048, 1024]);
  const pbs = [vjp((x: never) => np.sum(np.matmul(W, x)), np.ones([1024]))[1]];
  const k0 = keptTapeStats().residentBytes;
  for (let i = 0; i < 19; i++) pbs.push(vjp((x: never) => np.sum(np.matmul(W, x)), np.ones([1024]))[1]);
  const grown = keptTapeStats().residentBytes - k0;
  assert.ok(grown < 19 * 4096, `19 pullbacks over a bound 8 MB weight hold ${grown} bytes`);
  // W^T 1 = 0.5 * 2048 = 1024 in every entry (closed form)
  for (const pb of [pbs[0], pbs[19]]) assert.equal((pb(np.array(1)) as never as ReturnType<typeof np.ones>[])[0].get(1023).item(), 1024);
});

test('concrete claims of README lines 1300-1475 not pinned elsewhere', () => {
  // lax reads a lone JS integer as numpy does (float32): lax.div(7, 2) is 3.5; shifts need int32 Arrays
  assert.equal(lax.div(7, 2).item(), 3.5);
  assert.throws(() => lax.shiftLeft(1, 2), (e: unknown) => e instanceof Error && e.constructor.name === 'DTypeError' && /lax\.shiftLeft/.test((e as Error).message));
  // log(0.6+0.8j): numpy 2.4 gives real part 2.2204460492503132e-17 (np.log(np.complex128(0.6+0.8j)).real); README: to 4 ulp
  const z = np.log(np.array({ re: 0.6, im: 0.8 }, { dtype: 'complex128' })).item() as { re: number; im: number };
  assert.ok(Math.abs(z.re - 2.2204460492503132e-17) <= 4 * 2 ** -108, `log|0.6+0.8j| = ${z.re}`);
  // float32 cumprod keeps the subnormal's rounding, then float64's digits: [1e-25, 1e-20, 1e30] ends at 1e-15
  // (numpy's float32 products: 1.4012985e-15); float32 prod([1e30, 1e30, 1e-30]) rounds once: 1e30 (numpy: inf)
  const c = np.cumprod(np.array([1e-25, 1e-20, 1e30])).tolist() as number[];
  assert.equal(c[1], 1.401298464324817e-45);
  assert.equal(Math.fround(c[2]), Math.fround(1e-15));
  assert.equal(np.prod(np.array([1e30, 1e30, 1e-30])).item(), Math.fround(1e30));
  // printing: float32 99999992 (numpy 2.4's str)
  assert.equal(String(np.array([99999992])), '[9.999999e+07]');
  assert.equal(String(np.array([99999992, 1.2345678])), '[9.9999992e+07 1.2345678e+00]');
});
