// Probe (CL): linearTranspose's linearity check and its numbers, evalShape against running f.
// References: plain-JS Jacobians (basis vectors through a JS map), closed forms, eager runs of f
// for evalShape's shapes/dtypes (the eager path is not the abstract trace under test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  np, lax, linalg, evalShape, linearTranspose, ShapeDtypeStruct, jit, vmap, grad, jvp, jacfwd, jacrev, hessian, customJvp, customVjp,
  stopGradient, checkpoint, ValueError, TracerError, ShapeError, DTypeError,
} from '../ts/index.ts';

const F64 = 'float64' as const, F32 = 'float32' as const;
const spec = (shape: number[], dtype: any = F64) => ({ shape, dtype });
const S3 = spec([3]);
const flat = (x: any): number[] => (Array.isArray(x) ? x.flat(Infinity) : [x]) as number[];
const close = (got: any, want: number[], tol: number, what: string) => {
  const g = flat(got && typeof got === 'object' && 'tolist' in got ? got.tolist() : got);
  assert.equal(g.length, want.length, `${what}: ${g.length} values, want ${want.length}`);
  g.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= tol * Math.max(1, Math.abs(want[i])), `${what}[${i}]: got ${v}, want ${want[i]}`));
};
const notLinear = (e: any) => e instanceof ValueError && /not linear/.test(e.message);

// ---- nonlinear functions: never numbers ----

const sqJvp = customJvp((x: any) => np.multiply(x, x), (p: any, t: any) => [np.multiply(p[0], p[0]), np.multiply(t[0], 2)]);
const steRound = customJvp((x: any) => np.round(x), (p: any, t: any) => [np.round(p[0]), t[0]]);
const sqVjp = customVjp((x: any) => np.multiply(x, x), (x: any) => [np.multiply(x, x), null], (_r: any, g: any) => [np.multiply(g, 2)]);
const clipGrad = customVjp((x: any) => x, (x: any) => [x, null], (_r: any, g: any) => [np.clip(g, -1, 1)]);
const squareBwd = customVjp((x: any) => np.multiply(x, 2), (x: any) => [np.multiply(x, 2), null], (_r: any, g: any) => [np.multiply(g, g)]);

test('linearTranspose refuses nonlinear f (piecewise, selection, control flow, powers, reductions, custom rules)', () => {
  const cases: [string, (...a: any[]) => any, any[]][] = [
    ['max', (x) => np.max(x), [S3]], ['min', (x) => np.min(x), [S3]], ['minimum(x, 2x)', (x) => np.minimum(x, np.multiply(x, 2)), [S3]],
    ['clip', (x) => np.clip(x, -1, 1), [S3]], ['relu', (x) => np.relu(x), [S3]], ['topK', (x) => lax.topK(x, 2)[0], [S3]],
    ['where mask, both branches linear', (x) => np.where(np.greater(x, 0), x, np.multiply(x, 2)), [S3]],
    ['cond, both branches linear', (x) => lax.cond(np.greater(np.sum(x), 0), (v: any) => np.multiply(v, 2), (v: any) => np.multiply(v, 3), x), [S3]],
    ['switch on x', (x) => lax.switch(np.astype(np.clip(np.sum(x), 0, 1), 'int32'), [(v: any) => np.multiply(v, 2), (v: any) => np.multiply(v, 3)], x), [S3]],
    ['while trip count from x', (x) => lax.whileLoop((c: any) => np.less(np.sum(c[1]), 10), (c: any) => [np.add(c[0], 1), np.multiply(c[1], 2)], [np.array(0), x])[1], [S3]],
    ['scan nonlinear body', (x) => lax.scan((c: any, v: any) => [np.multiply(c, v), c], np.array(1, F64), x)[1], [S3]],
    ['x / x', (x) => np.divide(x, x), [S3]], ['reciprocal', (x) => np.reciprocal(x), [S3]], ['power 2', (x) => np.power(x, 2), [S3]],
    ['integerPow 2', (x) => lax.integerPow(x, 2), [S3]], ['square', (x) => np.square(x), [S3]], ['sqrt(x*x)', (x) => np.sqrt(np.multiply(x, x)), [S3]],
    ['abs complex', (z) => np.abs(z), [spec([2], 'complex128')]], ['z * z', (z) => np.multiply(z, z), [spec([2], 'complex128')]],
    ['real(z) * imag(z)', (z) => np.multiply(np.real(z), np.imag(z)), [spec([2], 'complex128')]], ['angle', (z) => np.angle(z), [spec([2], 'complex128')]],
    ['take at indices from x', (x) => np.take(x, np.astype(np.clip(x, 0, 2), 'int32')), [S3]],
    ['dynamicSlice at index from x', (x) => lax.dynamicSlice(x, [np.astype(np.clip(np.sum(x), 0, 1), 'int32')], [2]), [S3]],
    ['cumprod', (x) => np.cumprod(x), [S3]], ['cummax', (x) => lax.cummax(x), [S3]], ['logsumexp', (x) => np.logsumexp(x), [S3]],
    ['softmax', (x) => np.softmax(x), [S3]], ['einsum i,i', (x) => np.einsum('i,i->', x, x), [S3]], ['outer', (x) => np.outer(x, x), [S3]],
    ['solve(X, b)', (x) => linalg.solve(np.reshape(x, [2, 2]), np.array([1, 2], F64)), [spec([4])]],
    ['median', (x) => np.median(x), [S3]], ['norm', (x) => linalg.norm(x), [S3]], ['var', (x) => np.var(x), [S3]],
    ['sum(x) * x', (x) => np.multiply(np.sum(x), x), [S3]], ['heaviside', (x) => np.heaviside(x, 0.5), [S3]], ['copysign', (x) => np.copysign(np.ones([3], F64), x), [S3]],
    ['x - floor(x)', (x) => np.subtract(x, np.floor(x)), [S3]], ['modf', (x) => np.modf(x)[0], [S3]], ['frexp', (x) => np.frexp(x)[0], [S3]],
    ['nanToNum', (x) => np.nanToNum(x), [S3]], ['sinc', (x) => np.sinc(x), [S3]], ['stopGradient(x) alone', (x) => stopGradient(x), [S3]],
    ['stopGradient(x) * x', (x) => np.multiply(stopGradient(x), x), [S3]],
    ['grad of a cubic', (x) => grad((y: any) => np.sum(np.power(y, 3)))(x), [S3]],
    ['jit(abs)', jit((x: any) => np.abs(x)), [S3]], ['vmap(x * x)', vmap((x: any) => np.multiply(x, x)), [S3]],
    ['nested linearTranspose of x*x', (x) => linearTranspose((y: any) => np.multiply(y, 2), S3)(np.multiply(x, x))[0], [S3]],
    ['remainder', (x) => np.remainder(x, 2), [S3]],
    // (fixed here: these returned numbers)
    ['fmod (derivative 1, piecewise)', (x) => np.fmod(x, 2), [S3]],
    ['jit(fmod)', jit((x: any) => np.fmod(x, 2)), [S3]],
    ['customJvp(x * x) with a rule reading no primal', sqJvp, [S3]],
    ['jit(customJvp(x * x))', jit(sqJvp), [S3]],
    ['vmap(customJvp(x * x))', vmap(sqJvp), [S3]],
    ['checkpoint(customJvp(x * x))', checkpoint(sqJvp), [S3]],
    ['straight-through round (customJvp)', steRound, [S3]],
    ['customVjp(x * x), fwd saving nothing', sqVjp, [S3]],
    ['customVjp identity with a clipping bwd', clipGrad, [S3]],
    ['customVjp 2x with bwd g * g', squareBwd, [S3]],
  ];
  for (const [name, f, primals] of cases) assert.throws(() => linearTranspose(f, ...primals), notLinear, name);
  // (the library is usable after the refusals)
  close(linearTranspose((x: any) => np.multiply(x, 3), S3)(np.array([1, 2, 3], F64))[0], [3, 6, 9], 0, 'after');
});

test('linearTranspose: customJvp inside a scan body with a nonlinear primal and a linear rule is refused',
  { todo: 'accepted, returns 2*ct: the scan row\'s linearization hides the body\'s primal rows from the check' }, () => {
    assert.throws(() => linearTranspose((x: any) => lax.scan((c: any, v: any) => [c, sqJvp(v)], np.array(0, F64), x)[1], S3), notLinear);
  });

test('linearTranspose of a customJvp function transposes the function, not its rule (JAX drops the rule: custom_jvp_call partial eval)',
  { todo: 'f = 2x with rule 3t transposes to 3 ct (JAX: 2 ct, the function\'s transpose)' }, () => {
    const g = customJvp((x: any) => np.multiply(x, 2), (p: any, t: any) => [np.multiply(p[0], 2), np.multiply(t[0], 3)]);
    close(linearTranspose(g, S3)(np.array([1, 1, 1], F64))[0], [2, 2, 2], 0, 'customJvp');
  });

test('linearTranspose: a customVjp bwd affine in the cotangent gives an affine "transpose"',
  { todo: 'bwd = 2g + 1 gives fT(ct) = 2ct + 1 (fT(0) = 1): not linear, not refused' }, () => {
    const g = customVjp((x: any) => np.multiply(x, 2), (x: any) => [np.multiply(x, 2), null], (_r: any, c: any) => [np.add(np.multiply(c, 2), 1)]);
    let ok = false;
    try { const fT = linearTranspose(g, S3); close(fT(np.zeros([3], F64))[0], [0, 0, 0], 0, 'fT(0)'); ok = true; } catch (e) { if (!notLinear(e)) throw e; ok = true; }
    assert.ok(ok);
  });

// ---- linear f: numbers against plain-JS Jacobians ----

function jsTranspose(map: (x: number[]) => number[], n: number, c: number[]): number[] {
  const out: number[] = [];
  for (let j = 0; j < n; j++) {
    const col = map(Array.from({ length: n }, (_, i) => (i === j ? 1 : 0)));
    assert.equal(col.length, c.length, 'reference map length');
    out.push(col.reduce((s, v, i) => s + v * c[i], 0));
  }
  return out;
}
const A3 = [[1, 2, 0], [0, 3, 1], [4, 0, 5]];

test('linearTranspose of linear ops against plain-JS Jacobians (float64)', () => {
  const Ac = np.array(A3, F64);
  const cases: [string, (x: any) => any, (x: number[]) => number[], number, number[]][] = [
    ['take const idx', (x) => np.take(x, np.array([2, 0, 2], 'int32')), (x) => [x[2], x[0], x[2]], 3, [3]],
    ['scatter-add', (x) => np.zeros([4], F64).at(np.array([0, 2, 0], 'int32')).add(x), (x) => [x[0] + x[2], 0, x[1], 0], 3, [4]],
    ['at.set const', (x) => x.at(1).set(7), (x) => [x[0], 0, x[2]], 3, [3]],
    ['at.mul const', (x) => x.at(np.array([0, 2], 'int32')).mul(3), (x) => [3 * x[0], x[1], 3 * x[2]], 3, [3]],
    ['broadcastTo', (x) => np.broadcastTo(x, [2, 3]), (x) => [...x, ...x], 3, [2, 3]],
    ['sum axis 0', (x) => np.sum(np.reshape(x, [2, 3]), 0), (x) => [x[0] + x[3], x[1] + x[4], x[2] + x[5]], 6, [3]],
    ['mean axis 1', (x) => np.mean(np.reshape(x, [2, 3]), 1), (x) => [(x[0] + x[1] + x[2]) / 3, (x[3] + x[4] + x[5]) / 3], 6, [2]],
    ['reverse cumsum', (x) => np.flip(np.cumsum(np.flip(x))), (x) => x.map((_, i) => x.slice(i).reduce((a, b) => a + b, 0)), 4, [4]],
    ['roll 1', (x) => np.roll(x, 1), (x) => [x[3], x[0], x[1], x[2]], 4, [4]],
    ['tril', (x) => np.tril(np.reshape(x, [3, 3])), (x) => x.map((v, i) => (i % 3 <= Math.floor(i / 3) ? v : 0)), 9, [3, 3]],
    ['diagonal', (x) => np.diagonal(np.reshape(x, [3, 3])), (x) => [x[0], x[4], x[8]], 9, [3]],
    ['trace', (x) => np.trace(np.reshape(x, [3, 3])), (x) => [x[0] + x[4] + x[8]], 9, []],
    ['kron', (x) => np.kron(x, np.array([1, -2], F64)), (x) => x.flatMap((v) => [v, -2 * v]), 3, [6]],
    ['correlate valid', (x) => np.correlate(x, np.array([1, 2, 3], F64)), (x) => [0, 1, 2].map((k) => x[k] + 2 * x[k + 1] + 3 * x[k + 2]), 5, [3]],
    ['diff', (x) => np.diff(x), (x) => [x[1] - x[0], x[2] - x[1], x[3] - x[2]], 4, [3]],
    ['einsum ij,j', (x) => np.einsum('ij,j->i', Ac, x), (x) => A3.map((r) => r.reduce((s, a, j) => s + a * x[j], 0)), 3, [3]],
    ['dynamicSlice const', (x) => lax.dynamicSlice(x, [1], [2]), (x) => [x[1], x[2]], 4, [2]],
    ['x / 4 - x * 0.5', (x) => np.subtract(np.divide(x, 4), np.multiply(x, 0.5)), (x) => x.map((v) => v / 4 - v * 0.5), 3, [3]],
    ['power(x, 1)', (x) => np.power(x, 1), (x) => x, 3, [3]],
    ['solve(A, x) then matmul', (x) => np.matmul(Ac, linalg.solve(Ac, x)), (x) => x, 3, [3]],
    ['grad of 0.5 x^T A x', (x) => grad((y: any) => np.multiply(0.5, np.dot(y, np.matmul(Ac, y))))(x),
      (x) => [0, 1, 2].map((i) => 0.5 * [0, 1, 2].reduce((s, j) => s + (A3[i][j] + A3[j][i]) * x[j], 0)), 3, [3]],
    ['jvp of sin at a constant, in the tangent', (t) => jvp(np.sin, [np.array([0.1, 0.2, 0.3], F64)], [t])[1],
      (t) => t.map((v, i) => Math.cos([0.1, 0.2, 0.3][i]) * v), 3, [3]],
    ['vmap(2x) inside', (x) => vmap((r: any) => np.multiply(r, 2))(np.reshape(x, [2, 2])), (x) => x.map((v) => 2 * v), 4, [2, 2]],
    ['nested linearTranspose', (x) => linearTranspose((y: any) => np.matmul(Ac, y), S3)(x)[0],
      (x) => [0, 1, 2].map((j) => [0, 1, 2].reduce((s, i) => s + A3[i][j] * x[i], 0)), 3, [3]],
    ['foriLoop', (x) => lax.foriLoop(0, 3, (_i: any, v: any) => np.multiply(v, -2), x), (x) => x.map((v) => -8 * v), 3, [3]],
  ];
  for (const [name, f, ref, n, outShape] of cases) {
    const m = outShape.reduce((a, b) => a * b, 1);
    const c = Array.from({ length: m }, (_, i) => (i + 1) * (i % 2 ? -1 : 1) + 0.25);
    const fT = linearTranspose(f, spec([n]));
    close(fT(np.reshape(np.array(c, F64), outShape))[0], jsTranspose(ref, n, c), 1e-12, name);
  }
  // a whileLoop (even with a fixed trip count) is refused, as JAX's while_loop has no transpose: an error, never numbers
  assert.throws(() => linearTranspose((x: any) => lax.whileLoop((c: any) => np.less(c[0], 3), (c: any) => [np.add(c[0], 1), np.multiply(c[1], -2)],
    [np.array(0), x])[1], S3), ValueError);
});

test('linearTranspose: float32 with weak JS scalars stays float32; 0.1 rounds as float32', () => {
  const fT = linearTranspose((x: any) => np.multiply(x, 0.1), spec([2], F32));
  const r = fT(np.array([1, 3], F32))[0];
  assert.equal(r.dtype, F32);
  const f32 = Math.fround(0.1);
  close(r, [f32, Math.fround(3 * f32)], 1e-7, 'f32');
  // mixed: x float32, output float64 through a float64 constant; the cotangent of x is float32
  const g = linearTranspose((x: any) => np.multiply(x, np.array([2, 3], F64)), spec([2], F32));
  const s = g(np.array([1, 1], F64))[0];
  assert.equal(s.dtype, F32);
  close(s, [2, 3], 0, 'mixed');
});

test('linearTranspose: complex-valued maps of real inputs (JAX: real part of the transposed cotangent)', () => {
  // f(x) = i x: R -> C. transpose(ct) = Re(i ct): ct = 5i -> -5; ct = 5 -> 0
  const fT = linearTranspose((x: any) => np.multiply(np.astype(x, 'complex128'), { re: 0, im: 1 }), spec([2]));
  close(fT(np.array([{ re: 0, im: 5 }, { re: 5, im: 0 }], 'complex128'))[0], [-5, 0], 0, 'i x');
  // f(z) = imag(z): C -> R. transpose(c) = -i c (JAX's imag transpose)
  const r = linearTranspose((z: any) => np.imag(z), spec([1], 'complex128'))(np.array([2], F64))[0];
  assert.deepEqual(r.tolist(), [{ re: 0, im: -2 }]);
});

// ---- evalShape against running f ----

test('evalShape agrees with running f: shapes and dtypes, JS numbers weakly typed, promotion', () => {
  const x32 = np.ones([2, 3], F32), x64 = np.ones([2, 3], F64), i32 = np.ones([2, 3], 'int32'), b = np.array([true, false]);
  const cases: [string, (...a: any[]) => any, any[]][] = [
    ['f32 * 2.5', (x, k) => np.multiply(x, k), [x32, 2.5]], ['i32 * 2.5', (x, k) => np.multiply(x, k), [i32, 2.5]],
    ['i32 + 2', (x, k) => np.add(x, k), [i32, 2]], ['i32 / i32', (x) => np.divide(x, x), [i32]], ['mean of int', (x) => np.mean(x), [i32]],
    ['sum bool', (x) => np.sum(x), [b]], ['argmax', (x) => np.argmax(x, 1), [x64]], ['f32 + f64', (x, y) => np.add(x, y), [x32, x64]],
    ['where', (x) => np.where(np.greater(x, 0), x, 0), [x32]], ['sort', (x) => np.sort(x, 0), [x64]],
    ['complex', (x) => np.multiply(x, { re: 1, im: 1 }), [x32]], ['eigh', (x) => linalg.eigh(np.matmul(x, np.transpose(x))), [x64]],
    ['svd', (x) => linalg.svd(x), [x32]], ['tuple+dict', (x) => ({ a: [np.sum(x, 0), np.cumsum(x, 1)], b: np.astype(x, 'int32') }), [x32]],
    ['matmul bcast', (x) => np.matmul(np.ones([4, 1, 2, 3], F32), np.transpose(x)), [x32]],
    ['jacfwd', jacfwd((x: any) => np.sin(np.sum(x, 0))), [x64]], ['jacrev', jacrev((x: any) => np.sin(np.sum(x, 0))), [x32]],
    ['hessian', hessian((x: any) => np.sum(np.power(x, 3))), [x64]], ['vmap', vmap((r: any) => np.outer(r, r)), [x32]],
    ['jit', jit((x: any) => np.concatenate([x, x], 1)), [x32]], ['grad', grad((x: any) => np.sum(np.square(x))), [x32]],
  ];
  for (const [name, f, args] of cases) {
    const got = evalShape(f, ...args);
    const want = f(...args);
    const gl = flat(Array.isArray(got) ? got : [got]), wl: any[] = [];
    const walk = (g: any, w: any, at: string) => {
      if (g instanceof ShapeDtypeStruct) {
        assert.ok(w && typeof w === 'object' && 'shape' in w, `${name}${at}: got a spec where f gave ${w}`);
        assert.deepEqual([g.shape, g.dtype], [w.shape, w.dtype], `${name}${at}`);
        wl.push(w);
        return;
      }
      assert.equal(Array.isArray(g), Array.isArray(w), `${name}${at}: structure`);
      for (const k of Object.keys(w)) walk(g[k], w[k], `${at}.${k}`);
    };
    walk(got, want, '');
    assert.ok(wl.length >= 1 && gl.length >= 1, name);
  }
});

test('evalShape computes nothing: a 900 MB matmul output and a big input spec return at once, memory flat', () => {
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  const t0 = Date.now();
  const s = evalShape((a: any, x: any) => np.matmul(a, np.add(x, 1)), spec([15000, 15000], F32), spec([15000, 15000], F32));
  assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
  assert.deepEqual([s.shape, s.dtype], [[15000, 15000], F32]);
  const s2 = evalShape(vmap((r: any) => np.outer(r, r)), spec([20, 3000], F32)); // 720 MB if computed
  assert.deepEqual(s2.shape, [20, 3000, 3000]);
  assert.ok(process.memoryUsage().rss - rss0 < 200e6, `rss grew by ${(process.memoryUsage().rss - rss0) / 1e6} MB`);
});

test('evalShape errors (TracerError, bad specs) leave the library usable; static numbers; spec pytrees', () => {
  assert.throws(() => evalShape((x: any) => (np.sum(x).item() > 0 ? x : x), spec([2])), TracerError);
  assert.throws(() => evalShape((x: any) => x, { shape: [2.5], dtype: F32 }), ShapeError);
  assert.throws(() => evalShape((x: any) => x, { shape: '3', dtype: F32 } as any), ShapeError);
  assert.throws(() => evalShape((x: any) => x, { shape: [2], dtype: 'float16' } as any), DTypeError);
  assert.throws(() => new ShapeDtypeStruct([-1], F32), ShapeError);
  assert.throws(() => evalShape((x: any) => np.add(x, np.ones([4])), spec([3])), ShapeError);
  // usable afterwards: eager, grad, jit
  close(grad((x: any) => np.sum(np.square(x)))(np.array([1, 2], F64)), [2, 4], 0, 'grad after');
  close(jit((x: any) => np.multiply(x, 3))(np.array([1, 2], F64)), [3, 6], 0, 'jit after');
  // a JS number argument is static: shapes may depend on it
  assert.deepEqual(evalShape((x: any, k: number) => np.tile(x, k), spec([2]), 3).shape, [6]);
  // a pytree of specs, a null leaf, nested dicts
  const o = evalShape((p: any) => ({ y: np.matmul(p.w, p.x), z: p.n }), { w: spec([4, 3], F32), x: new ShapeDtypeStruct([3], F32), n: null });
  assert.deepEqual([o.y.shape, o.y.dtype], [[4], F32]);
  assert.equal(o.z, null);
  // evalShape of linearTranspose's output and of its transpose inside
  const fT = linearTranspose((x: any) => np.kron(x, np.ones([2], F32)), spec([3], F32));
  assert.deepEqual(evalShape(fT, spec([6], F32))[0].shape, [3]);
  assert.deepEqual(evalShape((c: any) => fT(c)[0], spec([6], F32)).dtype, F32);
});
