// Ordinary JS mistakes against the public API (issue 6): every axis checked (AxisError naming
// the axis and the rank), numpy's positional option forms accepted, unknown option keys
// refused, rank limits stated, and every misuse a CotangentError naming the function and the
// argument, after which the library keeps working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  np, lax, tree, grad, valueAndGrad, jvp, vjp, linearize, checkGrads, vmap, jacrev, jit,
  CotangentError, AxisError, ValueError, ShapeError, DTypeError,
} from 'cotangent';

function throws(fn: () => unknown, cls: any, ...parts: string[]) {
  let err: any;
  try { fn(); } catch (e) { err = e; }
  assert.ok(err !== undefined, `expected ${cls.name}, nothing was thrown`);
  assert.ok(err instanceof cls, `expected ${cls.name}, got ${err?.constructor?.name}: ${err?.message}`);
  assert.ok(err instanceof CotangentError, `${err?.constructor?.name} is not a CotangentError`);
  for (const p of parts) assert.ok(err.message.includes(p), `${JSON.stringify(err.message)} lacks ${JSON.stringify(p)}`);
  assert.equal(grad(np.sin)(0).item(), 1, 'the next call works');
}

const x23 = np.reshape(np.arange(6, { dtype: 'float32' }), [2, 3]);

test('axes: out of range, repeated, fractional and non-numeric axes are AxisErrors', () => {
  throws(() => np.expandDims(np.ones([3]), 5), AxisError, 'np.expandDims', 'axis 5', 'rank 2');
  throws(() => np.expandDims(np.ones([3]), -3), AxisError, 'axis -3');
  throws(() => np.sum(x23, 2), AxisError, 'np.sum', 'axis 2', 'rank 2');
  throws(() => np.sum(x23, [0, 0]), AxisError, 'np.sum', 'repeated');
  throws(() => np.sum(x23, [0, -2]), AxisError, 'repeated');
  throws(() => np.sum(x23, 0.5), AxisError, 'np.sum', '0.5');
  throws(() => np.mean(x23, { axis: '0' as any }), AxisError, 'np.mean', "'0'");
  throws(() => np.squeeze(np.ones([1, 3]), 2), AxisError, 'np.squeeze', 'axis 2');
  throws(() => np.squeeze(np.ones([1, 3]), 1), ValueError, 'np.squeeze', 'axis 1');
  throws(() => np.transpose(x23, [0, 0]), AxisError, 'np.transpose', 'repeated');
  throws(() => np.transpose(x23, [0, 2]), AxisError, 'np.transpose', 'axis 2');
  throws(() => np.transpose(x23, [0]), AxisError, 'np.transpose', 'rank 2');
  throws(() => np.transpose(x23, [1.5, 0]), AxisError, 'np.transpose', '1.5');
  // AxisError is a ValueError, as numpy's.
  assert.ok(new AxisError('x') instanceof ValueError);
});

test('axes: lists of axes where numpy takes them', () => {
  assert.deepEqual(np.expandDims(np.ones([3]), [0, 2]).shape, [1, 3, 1]);
  assert.deepEqual(np.expandDims(np.ones([3]), [-1, 0]).shape, [1, 3, 1]);
  assert.deepEqual(np.expandDims(np.ones([2, 3]), 1).shape, [2, 1, 3]);
  assert.deepEqual(np.squeeze(np.ones([1, 3, 1]), [0, 2]).shape, [3]);
  assert.deepEqual(np.sum(x23, [0, 1]).tolist(), 15);
  assert.deepEqual(np.sum(x23, [-1]).tolist(), [3, 12]);
  assert.deepEqual(np.mean(x23, [1]).tolist(), [1, 4]);
  assert.deepEqual(np.transpose(x23, [-1, -2]).shape, [3, 2]);
  assert.deepEqual(np.transpose(x23, { axes: [1, 0] }).shape, [3, 2]);
});

test("numpy's positional forms are accepted", () => {
  assert.deepEqual(np.sum(x23, 0).tolist(), [3, 5, 7]);
  assert.deepEqual(np.sum(x23, [0, 1]).tolist(), 15);
  assert.deepEqual(np.sum(x23, null).tolist(), 15);
  assert.deepEqual(np.mean(x23, 1).tolist(), [1, 4]);
  assert.equal(np.ones([2], 'float64').dtype, 'float64');
  assert.equal(np.zeros(3, 'float64').dtype, 'float64');
  assert.deepEqual(np.zeros(3, 'float64').shape, [3]);
  assert.equal(np.full([2], 7, 'float64').dtype, 'float64');
  assert.equal(np.array([1, 2], 'float64').dtype, 'float64');
  assert.equal(np.astype(x23, 'float64').dtype, 'float64');
  assert.equal(np.astype(x23, { dtype: 'bool' }).dtype, 'bool');
  assert.equal(np.zerosLike(x23, 'bool').dtype, 'bool');
  assert.equal(np.eye(2, 'float64').dtype, 'float64');
  assert.equal(np.arange(0, 3, 1, 'float64').dtype, 'float64');
  assert.equal(np.linspace(0, 1, 5, 'float64').dtype, 'float64');
});

test("numpy's positional forms past the axis (keepdims, dtype, out) are refused, never silently dropped", () => {
  const X = np.array([[1, 2, 3], [10, 20, 30], [100, 200, 300]]);
  const calls: [string, () => unknown][] = [
    ['np.mean', () => (np.mean as any)(X, 1, true)],
    ['np.mean', () => (np.mean as any)(X, 1, { keepdims: true })],
    ['np.sum', () => (np.sum as any)(X, { axis: 1 }, true)],
    ['np.sum', () => (np.sum as any)(X, 1, 'float64')],
    ['np.max', () => (np.max as any)(X, 1, { keepdims: true })],
    ['np.min', () => (np.min as any)(X, 1, true)],
    ['np.argmax', () => (np.argmax as any)(X, 1, true)],
    ['np.any', () => (np.any as any)(X, 1, true)],
    ['np.prod', () => (np.prod as any)(X, 1, true)],
    ['np.var', () => (np.var as any)(X, 1, 1)],
    ['np.std', () => (np.std as any)(X, 1, 1)],
    ['np.logsumexp', () => (np.logsumexp as any)(X, 1, true)],
    ['np.softmax', () => (np.softmax as any)(X, 1, true)],
    ['np.cumsum', () => (np.cumsum as any)(X, 1, 'float64')],
    ['np.sort', () => (np.sort as any)(X, 1, 'stable')],
    ['np.argsort', () => (np.argsort as any)(X, 1, 'stable')],
    ['np.concatenate', () => (np.concatenate as any)([X, X], 0, 'float64')],
    ['np.stack', () => (np.stack as any)([X, X], 0, 'float64')],
    ['np.squeeze', () => (np.squeeze as any)(X, 0, 1)],
    ['np.take', () => (np.take as any)(X, [0], 1, 'clip')],
  ];
  for (const [name, call] of calls) throws(call, ValueError, name, 'at most', 'keepdims: true');
  throws(() => (np.where as any)(np.array([true, false]), 1), ValueError, 'np.where', 'got 2', 'cond, x and y'); // (cond alone: np.nonzero)
  // the object form does it
  assert.deepEqual(np.mean(X, { axis: 1, keepdims: true }).shape, [3, 1]);
  // (what a silently dropped keepdims gave: rows centered by the wrong means)
  assert.deepEqual(np.subtract(X, np.mean(X, { axis: 1, keepdims: true })).tolist(), [[-1, 0, 1], [-10, 0, 10], [-100, 0, 100]]);
});

test('unknown option keys are refused with the valid ones named', () => {
  throws(() => np.sum(x23, { axes: 0 } as any), ValueError, 'np.sum', "'axes'", "'axis'", "'keepdims'");
  throws(() => np.sum(x23, { keepDims: true } as any), ValueError, 'np.sum', "'keepDims'", "'keepdims'");
  throws(() => np.mean(x23, { axis: 0, keepDim: true } as any), ValueError, 'np.mean', "'keepDim'");
  throws(() => np.ones([2], { dtyp: 'float64' } as any), ValueError, 'np.ones', "'dtyp'", "'dtype'");
  throws(() => np.array([1], { dtype: 'float64', shap: [1] } as any), ValueError, 'np.array', "'shap'");
  throws(() => np.linspace(0, 1, 3, { endPoint: false } as any), ValueError, 'np.linspace', "'endPoint'", "'endpoint'");
  throws(() => grad(np.sin, { argnum: 0 } as any)(1), ValueError, 'grad', "'argnum'", "'argnums'");
  throws(() => valueAndGrad(np.sin, { has_aux: true } as any)(1), ValueError, 'valueAndGrad', "'has_aux'", "'hasAux'");
  throws(() => checkGrads(np.sin, [1], { mode: ['fwd'] } as any), ValueError, 'checkGrads', "'mode'", "'modes'");
  // Values of the wrong kind.
  throws(() => np.sum(x23, { keepdims: 'yes' } as any), ValueError, 'np.sum', 'keepdims');
  throws(() => np.ones([2], 'float16' as any), DTypeError, 'np.ones', 'float16');
  throws(() => np.astype(x23, 'int64' as any), DTypeError, 'np.astype', 'int64');
  throws(() => np.sum(x23, 'x' as any), AxisError, 'np.sum');
});

test('errors that used to escape as JS TypeErrors are CotangentErrors naming function and argument', () => {
  // (JS numbers and lists are operands, API.md's rule: tests/lax_js_operands.test.ts; these are not)
  throws(() => lax.add('1' as any, 2), ValueError, 'lax.add', 'argument 0');
  throws(() => lax.mul(np.ones([2]), { a: 1 } as any), ValueError, 'lax.mul', 'argument 1');
  throws(() => lax.exp(undefined as any), ValueError, 'lax.exp', 'argument 0');
  throws(() => lax.reshape(null as any, [1]), ValueError, 'lax.reshape');
  throws(() => np.sum(x23, { axis: '0' } as any), AxisError, 'np.sum', 'axis');
  throws(() => checkGrads(np.sin, 1.0 as any), ValueError, 'checkGrads', 'args');
  throws(() => checkGrads(np.sin, [1], { modes: ['forward'] as any }), ValueError, 'checkGrads', 'modes', "'forward'");
  throws(() => checkGrads(np.sin, [1], { order: 0 }), ValueError, 'checkGrads', 'order');
  throws(() => checkGrads(np.sin, [{ w: np.array([1, 2], { dtype: 'int32' }) }]), DTypeError, 'checkGrads: argument 0.w has dtype int32', 'int32[2]');
  throws(() => tree.map((a: number, b: number) => a + b, [1, 2], [1]), ValueError, 'tree.map', '[*, *]', 'a list of 1');
  throws(() => tree.map(42 as any, [1]), ValueError, 'tree.map', 'function');
  // a non-Array leaf in a pytree argument is named by its place (it said only "argument 0")
  const params = { layers: [{ W: np.ones([2]), act: 'relu' }] };
  for (const [t, name] of [[grad, 'grad'], [valueAndGrad, 'valueAndGrad'], [vmap, 'vmap'], [jacrev, 'jacrev']] as const) {
    throws(() => (t as any)((q: any) => np.sum(q.layers[0].W))(params), DTypeError, `${name}: argument 0.layers[0].act:`, "'relu'");
  }
  // a missing tree is an error (JAX's TypeError); null given explicitly is the empty tree
  throws(() => (tree.map as any)((x: number) => x), ValueError, 'tree.map', 'got 1 argument', 'a function and a tree');
  throws(() => (tree.leaves as any)(), ValueError, 'tree.leaves', 'got 0 arguments', 'a tree');
  throws(() => (tree.structure as any)(), ValueError, 'tree.structure', 'got 0 arguments');
  throws(() => (tree.flatten as any)(), ValueError, 'tree.flatten', 'got 0 arguments');
  assert.deepEqual(tree.leaves(null), []);
  assert.equal(tree.map((x: number) => x, null), null);
  throws(() => tree.unflatten(tree.structure([1, 2]), [1]), ValueError, 'tree.unflatten', '1 leaves', '2');
  throws(() => tree.unflatten({} as any, [1]), ValueError, 'tree.unflatten');
  throws(() => np.add(np.ones([2]), undefined as any), DTypeError, 'np.add', 'argument 1', 'undefined');
  throws(() => np.add('1' as any, 2), DTypeError, 'np.add', 'argument 0', "'1'");
  throws(() => np.sin({} as any), DTypeError, 'np.sin', 'argument 0');
  throws(() => np.reshape(x23, '6' as any), ShapeError, 'np.reshape');
  throws(() => np.reshape(x23, [-1, -1]), ShapeError, 'np.reshape');
  throws(() => np.broadcastTo(x23, [3, 2]), ShapeError, 'np.broadcastTo');
  throws(() => np.zeros('3' as any), ShapeError, 'np.zeros');
  throws(() => np.full([2], 'a' as any), ValueError, 'np.full', 'fill value');
  throws(() => np.arange('3' as any), ValueError, 'np.arange', 'start');
  throws(() => np.eye(2.5), ValueError, 'np.eye');
  throws(() => np.linspace(0, 1, 2.5), ValueError, 'np.linspace', 'num');
  throws(() => grad(np.sin)('a' as any), DTypeError, 'grad');
  throws(() => jvp(np.sin, [1] as any, 1 as any), ValueError, 'jvp');
  throws(() => vjp(np.sin, 1)[1]('x' as any), DTypeError, 'vjp');
  throws(() => linearize(np.sin, 1)[1](), ValueError, 'linearize');
  throws(() => np.array([np.ones([2]), np.ones([3])] as any), ShapeError, 'np.array', 'ragged', 'float32[2], float32[3]');
  throws(() => np.outer(x23, 'a' as any), DTypeError, 'np.outer', 'argument 1');
  throws(() => np.vdot(x23, [1]), ShapeError, 'np.vdot', 'float32[2,3]', '6 != 1');
  throws(() => np.abs([1, [2]] as any), ShapeError, 'np.abs', 'argument 0', 'ragged');
  // (a RangeError 'Invalid array length' and a TypeError 'Do not know how to serialize a BigInt' before)
  throws(() => lax.scan((c: any) => [c, null], np.array(0), null, { length: 2 ** 40 }), ValueError, 'lax.scan', 'length', '1099511627776');
  throws(() => jit((a: any) => a, { staticArgnums: 1n as any }), ValueError, 'jit', 'staticArgnums', '1n');
  throws(() => jit((a: any) => a, { donateArgnums: 1n as any }), ValueError, 'jit', 'donateArgnums', '1n');
});

test('rank limits of reductions and transposes are stated exactly', () => {
  const r31 = np.ones(new Array(31).fill(1));
  const r30 = np.ones(new Array(30).fill(1));
  throws(() => np.sum(r31), ShapeError, 'np.sum', 'rank 31', 'at most 30');
  throws(() => np.sum(r31, 0), ShapeError, 'np.sum', 'at most 30');
  throws(() => np.mean(r31), ShapeError, 'np.mean', 'at most 30');
  throws(() => np.transpose(r31), ShapeError, 'np.transpose', 'rank 31', 'at most 30');
  assert.equal(np.sum(r30).item(), 1);
  assert.deepEqual(np.transpose(np.reshape(np.arange(2), [2, ...new Array(29).fill(1)])).shape, [...new Array(29).fill(1), 2]);
  // Elementwise ops have no such limit.
  assert.equal(np.add(r31, 1).ndim, 31);
  assert.equal(grad((v: any) => np.sum(np.reshape(np.multiply(v, v), [1])))(r31).ndim, 31);
});
