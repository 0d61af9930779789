// Fixes from a user probe (helper-207):
// - a JS list with a hole ([a, , c]) is read as [a, undefined, c] everywhere: a cotangent,
//   tangent or linearize input with one gets the structure ValueError (JAX refuses a cotangent
//   whose tree differs), where it was read misaligned ([a, c, a]: a silent wrong number) or threw
//   an InternalError / a JS TypeError; as an argument or output a hole stays an empty subtree.
// - x.data() on a traced value throws its TracerError synchronously, inside the transform (from an
//   async data() the rejection nobody handled ended Node after jit returned).
// - customVjp / customJvp called outside transforms, lax.customLinearSolve and lax.customRoot
//   refuse an async function (and a Promise result) instead of returning a Promise or never
//   looking at it.
// Expected values are derived by hand (noted beside each).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  np, lax, linalg, jit, vmap, grad, vjp, jvp, linearize, customVjp, customJvp, ValueError, TracerError, type Array as NDArray,
} from '../ts/index.ts';

const L = (v: NDArray) => v.tolist();
const a = () => np.array([1.0, 2]);
const c = () => np.array([10.0, 20]);

test('a cotangent with a hole ([a, , c]) is the structure ValueError [a, undefined, c] gives, not read as [a, c, a]', () => {
  const x = a();
  const [, pb] = vjp((v: NDArray) => [v, np.multiply(v, 2), np.multiply(v, 3)], x);
  const cts = /vjp: cotangent has structure \[\*, undefined, \*\], expected \[\*, \*, \*\]/;
  assert.throws(() => pb([x, , c()] as any), (e: unknown) => e instanceof ValueError && cts.test((e as Error).message)); // (fresh pullback)
  assert.deepEqual(L(pb([x, x, x])[0]), [6, 12]); // (1 + 2 + 3) a, by hand
  assert.throws(() => pb([x, , c()] as any), (e: unknown) => e instanceof ValueError && cts.test((e as Error).message)); // (was [24, 48])
  assert.throws(() => pb([x, undefined, c()] as any), (e: unknown) => e instanceof ValueError && cts.test((e as Error).message));
  // a trailing hole (was an InternalError, code 7)
  assert.throws(() => vjp((v: NDArray) => [v, np.sin(v)], x)[1]([x, ,] as any), (e: unknown) => e instanceof ValueError &&
    /vjp: cotangent has structure \[\*, undefined\], expected \[\*, \*\]/.test((e as Error).message));
  // under jit
  assert.throws(() => jit((v: NDArray) => vjp((y: NDArray) => [y, np.multiply(y, 2), np.multiply(y, 3)], v)[1]([v, , v] as any)[0])(x),
    (e: unknown) => e instanceof ValueError && cts.test((e as Error).message));
});

test('a tangent or linearize input with a hole is the structure ValueError (was a JS TypeError, an InternalError)', () => {
  const x = a();
  assert.throws(() => jvp((p: NDArray[]) => np.add(p[0], p[1]), [[x, x]], [[x, ,] as any]),
    (e: unknown) => e instanceof ValueError && /jvp: tangent 0 has structure \[\*, undefined\], primal has \[\*, \*\]/.test((e as Error).message));
  assert.throws(() => jit((v: NDArray) => jvp((p: NDArray[]) => np.add(p[0], p[1]), [[v, v]], [[v, ,] as any])[1])(x),
    (e: unknown) => e instanceof ValueError && /jvp: tangent 0 has structure \[\*, undefined\]/.test((e as Error).message));
  const [, lin] = linearize((p: NDArray[]) => np.add(p[0], p[1]), [x, x]);
  assert.throws(() => lin([x, ,] as any),
    (e: unknown) => e instanceof ValueError && /linearize: tangent has structure \[\[\*, undefined\]\], expected \[\[\*, \*\]\]/.test((e as Error).message));
  assert.deepEqual(L(lin([x, c()]) as NDArray), [11, 22]); // a + c, by hand
});

test('a hole in an argument or an output stays an empty subtree (None), under every transform', () => {
  const f = (p: NDArray[]) => np.sum(np.multiply(p[0], p[2]));
  // d/dp0 sum(p0 p2) = p2, d/dp2 = p0, by hand; the hole's gradient is an empty subtree
  for (const [name, g] of [['grad', grad(f)], ['jit(grad)', jit(grad(f))]] as const) {
    const out = g([a(), , c()] as any) as any[];
    assert.equal(out.length, 3, name);
    assert.deepEqual(L(out[0]), [10, 20], name); assert.equal(out[1], undefined, name); assert.deepEqual(L(out[2]), [1, 2], name);
  }
  // jvp with holes in both primal and tangent: d(p0 + p2) = t0 + t2 = a + c
  const [y, ty] = jvp((p: NDArray[]) => np.add(p[0], p[2]), [[a(), , a()] as any], [[a(), , c()] as any]);
  assert.deepEqual(L(y as NDArray), [2, 4]); assert.deepEqual(L(ty as NDArray), [11, 22]);
  const [, lin] = linearize((p: NDArray[]) => np.add(p[0], p[2]), [a(), , a()] as any);
  assert.deepEqual(L(lin([a(), , c()] as any) as NDArray), [11, 22]);
  // an output with a hole: its cotangent has the hole (or undefined) there; [v, , 2v] pulled back at [a, , a] is 3a
  const [o, pb] = vjp((v: NDArray) => [v, , np.multiply(v, 2)] as any, a());
  assert.equal((o as any[])[1], undefined);
  assert.deepEqual(L(pb([a(), , a()] as any)[0]), [3, 6]);
  assert.deepEqual(L(pb([a(), undefined, a()] as any)[0]), [3, 6]);
  assert.throws(() => pb([a(), a(), a()] as any), (e: unknown) => e instanceof ValueError &&
    /cotangent has structure \[\*, \*, \*\], expected \[\*, undefined, \*\]/.test((e as Error).message));
  assert.deepEqual(L(jit((p: NDArray[]) => np.add(p[0], p[2]))([a(), , c()] as any)), [11, 22]);
  assert.deepEqual(L(vmap((p: NDArray[]) => np.add(p[0], p[2]))([a(), , c()] as any)), [11, 22]);
  const vo = vmap((v: NDArray) => [v, , v] as any)(a()) as any[];
  assert.deepEqual(L(vo[0]), [1, 2]); assert.equal(vo[1], undefined); assert.deepEqual(L(vo[2]), [1, 2]);
});

test('x.data() of a traced value throws its TracerError synchronously, inside the transform, naming x.data()', async () => {
  const rejections: unknown[] = [];
  const onRejection = (e: unknown) => { rejections.push(e); };
  process.on('unhandledRejection', onRejection);
  try {
    let logged = false;
    const f = (x: NDArray) => { x.data().then(() => { logged = true; }); return np.sin(x); };
    assert.throws(() => jit(f)(a()), (e: unknown) => e instanceof TracerError && /^x\.data\(\): under jit\(f\) this value \(float32\[2\]\) is abstract/.test((e as Error).message));
    assert.throws(() => vmap(f)(a()), (e: unknown) => e instanceof TracerError && /^x\.data\(\): this value \(float32\[\] per example\) is batched by vmap/.test((e as Error).message));
    // under grad the value is concrete: data() resolves to it
    let seen: number[] = [];
    grad((x: NDArray) => { x.data().then((d) => { seen = Array.from(d); }); return np.sum(np.sin(x)); })(a());
    assert.deepEqual(Array.from(await np.array([3.0, 4]).data()), [3, 4]);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(seen, [1, 2]);
    assert.equal(logged, false);
    assert.deepEqual(rejections, []);
  } finally {
    process.off('unhandledRejection', onRejection);
  }
});

test('x.data() in a jitted function does not end the process after jit returned (child process)', () => {
  const INDEX = new URL('../ts/index.ts', import.meta.url).href;
  const script = `import { np, jit } from '${INDEX}';
try { jit((x) => { x.data().then((d) => console.log('debug', d)); return np.sin(x); })(np.array([1.0, 2])); console.log('no error'); }
catch (e) { console.log('caught ' + e.constructor.name); }
setTimeout(() => console.log('still alive'), 50);`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr.slice(0, 600));
  assert.deepEqual(r.stdout.trim().split('\n'), ['caught TracerError', 'still alive']);
});

test('customVjp / customJvp outside transforms, lax.customLinearSolve and lax.customRoot refuse an async function', () => {
  const x = a();
  const promise = /returned a Promise \(an async function\?\)/;
  const refused = (re: RegExp) => (e: unknown) => e instanceof ValueError && re.test((e as Error).message);
  const sin = (v: NDArray) => np.sin(v);
  assert.throws(() => customVjp(async (v: NDArray) => np.sin(v), (v: NDArray) => [np.sin(v), v], (r: NDArray, g: NDArray) => [g])(x),
    refused(/^customVjp\(fn\): f is an async function/));
  assert.throws(() => customVjp((v: NDArray) => Promise.resolve(np.sin(v)) as any, (v: NDArray) => [np.sin(v), v], (r: NDArray, g: NDArray) => [g])(x),
    refused(/^customVjp\(fn\): the function returned a Promise/));
  assert.throws(() => customVjp(sin, async (v: NDArray) => [np.sin(v), v], (r: NDArray, g: NDArray) => [g])(x), refused(/^customVjp\(sin\): fwd is an async/));
  assert.throws(() => customVjp(sin, (v: NDArray) => [np.sin(v), v], async (r: NDArray, g: NDArray) => [g])(x), refused(/^customVjp\(sin\): bwd is an async/));
  assert.throws(() => customJvp(async (v: NDArray) => np.sin(v), (p: NDArray[], t: NDArray[]) => [np.sin(p[0]), t[0]])(x), refused(/^customJvp\(fn\): f is an async/));
  assert.throws(() => customJvp((v: NDArray) => ({ then() {} }) as any, (p: NDArray[], t: NDArray[]) => [np.sin(p[0]), t[0]])(x), refused(promise));
  assert.throws(() => customJvp(sin, async (p: NDArray[], t: NDArray[]) => [np.sin(p[0]), t[0]])(x), refused(/^customJvp\(sin\): the rule is an async/));
  // a synchronous one still works eagerly: f itself
  assert.deepEqual(L(customVjp(sin, (v: NDArray) => [np.sin(v), v], (r: NDArray, g: NDArray) => [g])(np.array([0.0]))), [0]);

  const A = np.array([[2.0, 0], [0, 4]]);
  const mv = (v: NDArray) => np.matmul(A, v), direct = (_: unknown, b: NDArray) => linalg.solve(A, b);
  assert.throws(() => lax.customLinearSolve(async (v: NDArray) => np.matmul(A, v), x, direct), refused(/^lax\.customLinearSolve: matvec is an async/));
  assert.throws(() => lax.customLinearSolve(mv, x, async (_: unknown, b: NDArray) => b), refused(/^lax\.customLinearSolve: solve is an async/));
  assert.throws(() => lax.customLinearSolve(mv, x, direct, async (_: unknown, b: NDArray) => b), refused(/^lax\.customLinearSolve: transposeSolve is an async/));
  assert.throws(() => lax.customLinearSolve(mv, x, (_: unknown, b: NDArray) => Promise.resolve(b)), refused(/^lax\.customLinearSolve: solve returned a Promise/));
  assert.deepEqual(L(lax.customLinearSolve(mv, x, direct)), [0.5, 0.5]); // [1/2, 2/4], by hand
  const f = (v: NDArray) => np.subtract(np.multiply(v, v), 4), two = () => np.array(2.0), ts = (_: unknown, y: NDArray) => np.divide(y, 4);
  assert.throws(() => lax.customRoot(async (v: NDArray) => f(v), np.array(1.0), two, ts), refused(/^lax\.customRoot: f is an async/));
  assert.throws(() => lax.customRoot(f, np.array(1.0), two, async (_: unknown, y: NDArray) => y), refused(/^lax\.customRoot: tangentSolve is an async/));
  assert.throws(() => lax.customRoot(f, np.array(1.0), () => Promise.resolve(np.array(2.0)), ts), refused(/^lax\.customRoot: solve returned a Promise/));
  assert.equal((lax.customRoot(f, np.array(1.0), two, ts) as NDArray).item(), 2); // the root solve gives, by hand
});
