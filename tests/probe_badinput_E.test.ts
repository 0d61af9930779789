// Bad input as a new user writes it (helper-E's probe): each error names the function the user
// called and the argument, and an empty output has an empty Jacobian. Values from closed forms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, jit, vmap, jvp, jacrev, jacfwd, hessian, valueAndGrad, CotangentError, DTypeError, IndexError, ValueError } from '../ts/index.ts';

const named = (kind: Function, re: RegExp) => (e: unknown) => e instanceof kind && e instanceof CotangentError && re.test((e as Error).message);

test('a typed array no dtype fits, passed to a transform, names the transform and the argument (it said only "np.array: ...")', () => {
  const sum = (a: any) => np.sum(a);
  for (const [t, name] of [[grad, 'grad'], [valueAndGrad, 'valueAndGrad'], [vmap, 'vmap'], [jacrev, 'jacrev']] as const) {
    assert.throws(() => (t as any)(sum)(new Int8Array([1, 2, 3])), named(DTypeError, new RegExp(`^${name}: argument 0: np\\.array: an Int8Array needs an explicit dtype`)), name);
    assert.throws(() => (t as any)(sum)(new BigInt64Array([1n])), named(DTypeError, new RegExp(`^${name}: argument 0: np\\.array: a BigInt64Array is not supported`)), name);
  }
  assert.throws(() => jit(sum)(new Uint16Array([1]) as any), named(DTypeError, /^jit\(sum\): argument 0: np\.array: an Uint16Array needs an explicit dtype/));
  // (np.asarray and np.add keep their one prefix, and a supported typed array still works)
  assert.throws(() => np.asarray(new Int16Array([1]) as any), named(DTypeError, /^np\.asarray: np\.array: an Int16Array/));
  assert.deepEqual(grad((a: any) => np.sum(np.multiply(a, a)))(new Float64Array([1, -2]) as any).tolist(), [2, -4]); // d/da sum a^2 = 2a
});

test("x.get('0') names x.get and says an integer index is a number (the message named no function)", () => {
  const m = np.array([[1, 2], [3, 4]]);
  assert.throws(() => m.get('0'), named(IndexError, /^x\.get: '0' is not a slice \(start:stop\[:step\]\); an integer index is a JS number: 0, not the string '0'$/));
  assert.throws(() => m.get(0, 'abc'), named(IndexError, /^x\.get: 'abc' is not a slice \(start:stop\[:step\]\)$/));
  assert.throws(() => m.at('1').set(0), named(IndexError, /^x\.at\(\)\.set: '1' is not a slice .*JS number: 1,/));
  assert.deepEqual(m.get('1:').tolist(), [[3, 4]]);
});

test("jacrev and hessian of a function with no output give its empty tree, as jacfwd does (they said 'vmap(fn): no argument is mapped')", () => {
  const x = np.array([0.5, 1.0]);
  assert.equal(jacrev(() => undefined)(x), undefined);
  assert.equal(jacfwd(() => undefined)(x), undefined);
  assert.deepEqual(jacrev(() => [])(x), []);
  assert.deepEqual(jacrev(() => ({}))(x), {});
  assert.deepEqual(hessian(() => [])(x), []);
  const [j, aux] = jacrev((_a: any) => [[], 7], { hasAux: true })(x);
  assert.deepEqual([j, aux], [[], 7]);
  // the ordinary case is unchanged: d sin(x) / dx = diag(cos x), d2 sum sin / dx2 = diag(-sin x)
  const J = jacrev((a: any) => np.sin(a))(x).tolist();
  const H = hessian((a: any) => np.sum(np.sin(a)))(x).tolist();
  for (let i = 0; i < 2; i++) for (let k = 0; k < 2; k++) {
    const xi = [0.5, 1.0][i];
    assert.ok(Math.abs(J[i][k] - (i === k ? Math.cos(xi) : 0)) < 1e-6);
    assert.ok(Math.abs(H[i][k] - (i === k ? -Math.sin(xi) : 0)) < 1e-6);
  }
});

test("jacrev, jacfwd and hessian name themselves when the function returns no Array (they named vjp or jvp, which the user never called)", () => {
  const x = np.array([1, 2]);
  for (const [t, name] of [[jacrev, 'jacrev'], [jacfwd, 'jacfwd'], [hessian, 'hessian']] as const) {
    assert.throws(() => (t as any)(() => 'str')(x), named(ValueError, new RegExp(`^${name}: the function returned 'str' \\(a string\\)`)), name);
    assert.throws(() => (t as any)(() => 1n)(x), named(ValueError, new RegExp(`^${name}: the function returned 1n \\(a bigint\\)`)), name);
  }
});

test('a pytree argument a transform refuses (symbol key, too deep) names the transform and the argument (it said "tree: ...")', () => {
  const x = np.array([1, 2]);
  const sym = { w: x, [Symbol('s')]: 1 };
  const f = (t: any) => np.sum(t.w);
  assert.throws(() => grad(f)(sym), named(ValueError, /^grad: argument 0: an object in the tree has a symbol-keyed property \(Symbol\(s\)\)/));
  assert.throws(() => jit(f)(sym), named(ValueError, /^jit\(f\): argument 0: an object in the tree has a symbol-keyed property/));
  assert.throws(() => vmap(f)(sym), named(ValueError, /^vmap: argument 0: an object in the tree/));
  assert.throws(() => jacfwd(f)(sym), named(ValueError, /^jacfwd: argument 0: an object in the tree/));
  assert.throws(() => jvp(f, [sym], [{ w: x }]), named(ValueError, /^jvp: primal 0: an object in the tree/));
  assert.throws(() => grad((_a: any, t: any) => np.sum(t[0]), { argnums: 1 })(x, Object.assign([x], { [Symbol('k')]: 2 })),
    named(ValueError, /^grad: argument 1: a list in the tree has a symbol-keyed property/));
  let deep: any = x; for (let i = 0; i < 1001; i++) deep = { a: deep };
  assert.throws(() => grad(() => np.sum(x))(deep), named(ValueError, /^grad: argument 0: the tree is nested more than 1000 levels deep$/));
  // the same trees without the extra key work: d/dw sum(w) = 1
  assert.deepEqual(grad(f)({ w: x }).w.tolist(), [1, 1]);
});
