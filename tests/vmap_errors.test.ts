// vmap's errors: a batched value has no concrete value (valueOf, item, tolist, a JS comparison
// throw a TracerError naming the value and why), while values that do not depend on the batched
// arguments stay readable, so JS control flow on them works; a batched value used after its vmap
// returned is an escaped tracer (TracerError); misuse (batch sizes, axes, inAxes lists and trees,
// outAxes null for a varying output, nothing mapped) is a CotangentError subclass naming the
// function and the shapes. After each error the next call works.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { np, vmap, grad, linearize, NDArray, CotangentError, TracerError, ValueError, AxisError } from 'cotangent';

/** fn throws an instance of `cls` whose message matches every pattern; then the library still works. */
function throwsWith(fn: () => unknown, cls: new (...a: never[]) => Error, ...patterns: RegExp[]): void {
  let err: unknown;
  try { fn(); } catch (e) { err = e; }
  assert.ok(err instanceof cls, `expected a ${cls.name}, got ${err === undefined ? 'no error' : `${(err as Error).constructor.name}: ${(err as Error).message}`}`);
  assert.ok(err instanceof CotangentError, 'a CotangentError subclass');
  for (const p of patterns) assert.match((err as Error).message, p);
  // The next call works, vmap included.
  assert.deepEqual(vmap((x: NDArray) => np.multiply(x, 2))(np.array([1, 2, 3])).tolist(), [2, 4, 6]);
  assert.equal(grad(np.sin)(0).item(), 1);
}

describe('vmap: concrete values', () => {
  const xs = np.array([[1, -2, 3], [-4, 5, -6]]);
  test('valueOf, item(), tolist() and if (x < 0) on a batched value throw a TracerError naming the value and why', () => {
    throwsWith(() => vmap((x: NDArray) => np.array(Number(np.sum(x).valueOf())))(xs), TracerError, /valueOf/, /float32\[\] per example/, /batched by vmap/, /differs across\s+the batch/);
    throwsWith(() => vmap((x: NDArray) => np.array(np.sum(x).item() as number))(xs), TracerError, /item/, /float32\[\] per example/, /differs across\s+the batch/);
    throwsWith(() => vmap((x: NDArray) => np.array(x.tolist() as number[]))(xs), TracerError, /float32\[3\] per example/, /batched by vmap/);
    throwsWith(() => vmap((x: NDArray) => ((np.sum(x) as unknown as number) < 0 ? x : np.negative(x)))(xs), TracerError, /float32\[\] per example/, /np\.where instead of if/);
    throwsWith(() => vmap((x: NDArray) => x.dataSync() as never)(xs), TracerError, /float32\[3\] per example/);
    // Nested: the inner level's batched values are as unreadable.
    throwsWith(() => vmap((row: NDArray) => vmap((v: NDArray) => np.array(v.item() as number))(row))(xs), TracerError, /float32\[\] per example/);
  });

  test('JS control flow on values that do not depend on the batched arguments works inside vmap', () => {
    const W = np.array([[0.5, -1], [2, 0.25], [1, 1]]);
    const f = (x: NDArray, scale: NDArray) => {
      const s = np.sum(W).item() as number; // concrete: W is not batched
      let y = s > 0 ? np.matmul(x, W) : np.negative(np.matmul(x, W));
      if ((scale as unknown as number) > 1) y = np.multiply(y, scale); // an unbatched argument reads too
      for (let i = 0; i < x.shape[0]; i++) y = np.add(y, 1); // shapes are per example
      return y;
    };
    const got = vmap(f, { inAxes: [0, null] })(xs, np.array(3)) as NDArray;
    const want = [0, 1].map((b) => f(np.index(xs, b), np.array(3)).tolist());
    assert.deepEqual(got.tolist(), want);
    // A JS comparison of an unbatched value under vmap of grad.
    const g = vmap(grad((x: NDArray) => ((np.sum(W) as unknown as number) > 0 ? np.sum(np.sin(x)) : np.sum(x))))(xs) as NDArray;
    assert.deepEqual(g.tolist(), (xs.tolist() as number[][]).map((r) => r.map((v) => Math.fround(Math.cos(Math.fround(v))))));
  });
});

describe('vmap: escaped batched values', () => {
  const xs = np.array([[1, 2], [3, 4], [5, 6]]);
  test('a batched value stored inside vmap and used after it returned is a TracerError; the next call works', () => {
    let leaked: NDArray | undefined, leakedScalar: NDArray | undefined;
    const out = vmap((x: NDArray) => { leaked = np.sin(x); leakedScalar = np.sum(x); return np.cos(x); })(xs) as NDArray;
    assert.deepEqual(out.shape, [3, 2]);
    throwsWith(() => np.add(leaked!, 1), TracerError, /escaped/, /float32\[2\]/);
    throwsWith(() => leakedScalar!.item(), TracerError);
    throwsWith(() => leakedScalar!.valueOf(), TracerError);
    throwsWith(() => leaked!.tolist(), TracerError);
    throwsWith(() => grad((y: NDArray) => np.sum(np.multiply(y, leaked!)))(np.array([1, 2])), TracerError);
    // Used inside a later vmap (another level): still escaped.
    throwsWith(() => vmap((x: NDArray) => np.add(x, leaked!))(xs), TracerError);
    // Returned through an inner vmap's closure into the outer one: escaped from the inner level.
    throwsWith(() => vmap((row: NDArray) => {
      let inner: NDArray | undefined;
      vmap((v: NDArray) => { inner = np.exp(v); return v; })(row);
      return np.add(row, inner!);
    })(xs), TracerError);
    // Leaked from a vmap inside grad: the message says only that (it began with "lax.mul: operands
    // must have one dtype and shape, got float32[] and float32[]", a shape complaint that was not the cause)
    let held: NDArray | undefined;
    throwsWith(() => grad((x: NDArray) => {
      vmap((y: NDArray) => { held = np.multiply(y, x); return held; })(np.array([2, 3]));
      return np.sum(np.multiply(held!, x));
    })(np.array(3)), TracerError, /^np\.multiply: lax\.mul: a value batched by vmap was used after its vmap returned/);
    // A linearization made at a batched point, called after the vmap returned.
    let lin: ((t: NDArray) => NDArray) | undefined;
    vmap((x: NDArray) => { lin = linearize(np.sin, x)[1] as (t: NDArray) => NDArray; return x; })(xs);
    throwsWith(() => lin!(np.array([1, 1])), TracerError, /escaped/);
    // The same function without the leak gives the loop's values.
    const again = vmap((x: NDArray) => np.cos(x))(xs) as NDArray;
    assert.deepEqual(again.tolist(), out.tolist());
  });
});

describe('vmap: misuse names the function and the shapes', () => {
  const a3 = np.ones([3, 2]), a4 = np.ones([4, 2]);
  const add = (x: NDArray, y: NDArray) => np.add(x, y);
  test('inconsistent batch sizes', () => {
    throwsWith(() => vmap(add)(a3, a4), ValueError, /vmap/, /inconsistent sizes/, /float32\[3,2\]/, /float32\[4,2\]/, /size 3/, /size 4/);
    throwsWith(() => vmap(add, { inAxes: [0, 1] })(a3, np.ones([2, 4])), ValueError, /float32\[2,4\] axis 1 \(size 4\)/);
    throwsWith(() => vmap(add, { axisSize: 5 })(a3, a3), ValueError, /axisSize 5/, /float32\[3,2\]/);
  });
  test('bad axes are AxisErrors (a ValueError, as numpy)', () => {
    throwsWith(() => vmap(np.sin, { inAxes: 2 })(a3), AxisError, /vmap: inAxes of argument 0/, /axis 2 is out of bounds for rank 2/);
    throwsWith(() => vmap(np.sin, { inAxes: -3 })(a3), AxisError, /axis -3/);
    throwsWith(() => vmap(np.sin)(np.array(1)), AxisError, /scalar/);
    // a JS list is a tree of its elements (as a Python list for JAX): the error says how to map rows
    throwsWith(() => vmap(np.sin)([[1, 2], [3, 4]] as never), AxisError, /JS list/, /np\.array\(list\)/);
    assert.deepEqual(vmap(np.sum)(np.array([[1, 2], [3, 4]])).tolist(), [3, 7]);
    throwsWith(() => vmap(np.sin, { outAxes: 3 })(a3), AxisError, /vmap: outAxes of output 0/, /axis 3 is out of bounds for rank 2/);
    throwsWith(() => vmap(np.sin, { outAxes: -3 })(a3), AxisError, /outAxes/);
    assert.ok(new AxisError('x') instanceof ValueError);
    throwsWith(() => vmap(np.sin, { inAxes: 0.5 })(a3), ValueError, /an axis must be an integer or null, got 0.5/);
    throwsWith(() => vmap(np.sin, { inAxes: 'x' as never })(a3), ValueError, /vmap/);
  });
  test('an inAxes list of the wrong length, and an axis tree that does not match the argument', () => {
    throwsWith(() => vmap(add, { inAxes: [0] })(a3, a3), ValueError, /inAxes is a list of 1 entries/, /called with 2 argument/);
    throwsWith(() => vmap(add, { inAxes: [0, null, 0] })(a3, a3), ValueError, /list of 3/);
    throwsWith(() => vmap((p: NDArray[]) => np.add(p[0], p[1]), { inAxes: [[0, 0, 0]] })([a3, a3]), ValueError, /list of 3/, /a list of 2/);
    throwsWith(() => vmap((p: { a: NDArray }) => p.a, { inAxes: [{ b: 0 }] })({ a: a3 }), ValueError, /keys \[b\]/, /\[a\]/);
  });
  test('outAxes null for an output that varies across the batch', () => {
    throwsWith(() => vmap(np.sin, { outAxes: null })(a3), ValueError, /vmap: output 0/, /float32\[2\] per example/, /varies across the batch/, /outAxes is null/);
    // An output that does not vary may have outAxes null (it is returned as is).
    const [y, c] = vmap((x: NDArray) => [np.sin(x), np.ones([2])], { outAxes: [0, null] })(a3) as NDArray[];
    assert.deepEqual(y.shape, [3, 2]);
    assert.deepEqual(c.tolist(), [1, 1]);
  });
  test('no mapped argument and no axisSize', () => {
    throwsWith(() => vmap(np.sin, { inAxes: null })(a3), ValueError, /vmap/, /no argument is mapped/, /axisSize/);
    throwsWith(() => vmap(add, { inAxes: [null, null] })(a3, a3), ValueError, /no argument is mapped/);
    // With axisSize, the unmapped function's output is broadcast.
    assert.deepEqual((vmap(np.sum, { inAxes: null, axisSize: 2 })(a3) as NDArray).tolist(), [6, 6]);
    throwsWith(() => vmap(np.sin, { axisSize: -1 }), ValueError, /axisSize must be an integer from 0 to 2\^31 - 1/);
  });
  test('a shape error inside the vmapped function speaks of the per-example shapes', () => {
    throwsWith(() => vmap((x: NDArray) => np.add(x, np.ones([3])))(a4), CotangentError, /\[2\]/, /\[3\]/);
    throwsWith(() => vmap((x: NDArray) => np.matmul(x, np.ones([3, 2])))(a4), CotangentError, /\[2\]|2/);
  });
});

test('vmap: an axisSize past 2^31 - 1 is refused (it wrapped modulo 2^32); broadcasting an unbatched output past wasm memory is an OutOfMemoryError, not a trap', () => {
  assert.throws(() => vmap(() => np.ones([1]), { axisSize: 2 ** 32 + 3 })(), /vmap: axisSize must be an integer from 0 to 2\^31 - 1/);
  assert.throws(() => vmap(() => np.ones([1]), { axisSize: 2 ** 31 })(), ValueError);
  for (const run of [
    () => vmap((_x: any) => np.ones([1000, 1000]))(np.ones([269])), // 269e6 floats: past the 1 GiB request limit
    () => vmap(() => np.ones([2]), { axisSize: 3e8 })(),
    () => vmap((_x: any, y: any) => y, { inAxes: [0, null] })(np.ones([269]), np.ones([1000, 1000])),
  ]) {
    assert.throws(run, (e: any) => e instanceof CotangentError && e.name === 'OutOfMemoryError' &&
      /vmap: output 0 \(float32\[.*\] per example, a batch of \d+\): out of memory/.test(e.message));
  }
  assert.deepEqual(vmap((x: any) => np.add(x, 1))(np.ones([3])).tolist(), [2, 2, 2]); // usable after
});
