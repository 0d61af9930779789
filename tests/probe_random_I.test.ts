// Probe of the random namespace (helper-228): threefry bits, keys and integer draws against a
// Python threefry2x32 written from the Random123 paper (its known-answer vectors checked: key
// (0,0) counter (0,0) -> 0x6b200159 0x99ba4efe) with JAX's counter layout, and regressions for
// the defects found: JS parameters of a float64 draw rounded through float32 first, randint's
// JS-list bounds rounded through float32 (draws outside [minval, maxval)), and numpy-habit
// positional arguments reported as a bad dtype instead of a misplaced shape.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { np, random, ShapeError, ValueError } from '../ts/index.ts';

const K = (k: number[]) => np.array(k, { dtype: 'uint32' });

describe('bits and keys against a Python threefry2x32 (tf.py, JAX layout)', () => {
  test('bits of key [2^32-1, 2^32-1], split(key(42), 3), foldIn(k, -1), odd sizes', () => {
    assert.deepEqual(Array.from(random.bits(K([0xffffffff, 0xffffffff]), [5]).dataSync()), [1594713364, 586013425, 603717486, 113650303, 315046677]);
    assert.deepEqual(random.split(random.key(42), 3).tolist(), [[3134548294, 3733159049], [3746501087, 894150801], [801545058, 2363201431]]);
    assert.deepEqual(random.foldIn(K([4146024105, 967050713]), -1).tolist(), [3623853951, 4220750692]);
    // JAX's seeds with 64-bit types off: int64 wrapped to int32, key [0, bits]
    assert.deepEqual(random.PRNGKey(2 ** 32 + 5).tolist(), [0, 5]);
    assert.deepEqual(random.PRNGKey(-2147483748).tolist(), [0, 2147483548]);
  });
  test('partitionable scheme: bits are the xor of the blocks of counters (0, i); split the blocks', () => {
    random.setThreefryPartitionable(true);
    try {
      assert.deepEqual(Array.from(random.bits(random.key(42), [5]).dataSync()), [2098992034, 2919706841, 2646866425, 2409546199, 1935504149]);
      assert.deepEqual(random.split(random.key(42), 3).tolist(), [[1832780943, 270669613], [64467757, 2916123636], [2465931498, 255383827]]);
    } finally { random.setThreefryPartitionable(false); }
  });
});

describe('regressions', () => {
  test('float64 draws take JS parameters at float64 precision (were rounded through float32: sigma 0.1 read as 0.10000000149)', () => {
    // rayleigh(key(0), 0.1, [3], float64) = 0.1 sqrt(-2 log u), u = JAX's float64 uniform bits of
    // key [0, 0], computed in Python float64 from tf.py's threefry (u = 0.5745005337275046, ...)
    const want = [0.10528573053022515, 0.21474306137985477, 0.07725955316735561];
    const got = random.rayleigh(random.key(0), 0.1, [3], 'float64').tolist() as number[];
    got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= 4e-16 * want[i], `rayleigh[${i}] = ${g}, want ${want[i]}`));
    const list = random.rayleigh(random.key(0), [0.1, 0.1, 0.1], null, 'float64').tolist() as number[];
    list.forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= 4e-16 * want[i], `rayleigh(list)[${i}] = ${g}, want ${want[i]}`));
    // lognormal(k, 0.1) is exp(0.1 z) with z the same key's float64 normal
    const z = random.normal(random.key(0), [3], 'float64').tolist() as number[];
    const ln = random.lognormal(random.key(0), 0.1, [3], 'float64').tolist() as number[];
    ln.forEach((g, i) => assert.ok(Math.abs(g - Math.exp(0.1 * z[i])) <= 4e-16 * g, `lognormal[${i}] = ${g}, want ${Math.exp(0.1 * z[i])}`));
    // the default dtype still follows the parameters: JS numbers give float32
    assert.equal(random.rayleigh(random.key(0), 0.1, [2]).dtype, 'float32');
  });
  test('randint with JS-list bounds reads them exactly (were float32: [100000001, 100000003) drew 100000000)', () => {
    // tf.py's randint (JAX's construction) for key [0, 0]
    assert.deepEqual(random.randint(random.key(0), [5], [100000001], [100000003]).tolist(), [100000001, 100000002, 100000002, 100000001, 100000001]);
    // (span 2^24 + 1 > 2^16: JAX's draws there are lo mod span, its 2^32 mod span having wrapped to 0,
    // biased for wide spans; randint now takes (hi 2^32 + lo) mod span exactly, Python big ints on the
    // same split-key words: tests/probe_distributions_AJ.test.ts. JAX's were [8937986, 3417132, 13422203, 15801636, 2191624].)
    assert.deepEqual(random.randint(random.key(0), [5], 0, [16777217]).tolist(), [4299447, 7681839, 16312959, 45689, 8289635]);
    // a list entry that does not fit int32 is refused as a number is (it was clamped to 2^31 - 1)
    assert.throws(() => random.randint(random.key(0), [2], 0, [5, 3e9]), (e: unknown) => e instanceof ValueError && /random\.randint: maxval .*3000000000.*int32/.test((e as Error).message));
    assert.throws(() => random.randint(random.key(0), [1], [-Infinity], 5), (e: unknown) => e instanceof ValueError && /minval/.test((e as Error).message));
    assert.deepEqual(random.randint(random.key(0), [3], [0.5], [2.5]).tolist(), random.randint(random.key(0), [3], 0, 2).tolist()); // truncated, as numbers are
    assert.deepEqual(random.randint(random.key(0), [2], 0, 3).tolist(), random.randint(random.key(0), [2], 0, np.array(3, { dtype: 'int32' })).tolist());
  });
  test("numpy's positional habit (scale or low/high before the shape) is reported as a misplaced shape, not a bad dtype", () => {
    const shapeMsg = (e: unknown) => e instanceof ShapeError && /got the number .*not numpy's/.test((e as Error).message);
    assert.throws(() => (random.exponential as any)(random.key(0), 2.0, [3]), shapeMsg);
    assert.throws(() => (random.uniform as any)(random.key(0), 0, 1, [3]), shapeMsg);
    assert.throws(() => (random.laplace as any)(random.key(0), 0, 1), shapeMsg);
    assert.throws(() => (random.normal as any)(random.key(0), 0, 'float64'), shapeMsg);
    assert.throws(() => (random.gumbel as any)(random.key(0), 0, [2]), shapeMsg);
    assert.throws(() => (random.cauchy as any)(random.key(0), 0, [2]), shapeMsg);
    assert.equal(random.normal(random.key(0), [2]).shape[0], 2); // still usable
  });
});
