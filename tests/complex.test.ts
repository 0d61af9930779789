// complex64 / complex128 (issue 11): construction, JAX's promotion, printing, the kernels against
// a float64 JS reference of the principal branches, and derivatives with JAX's conventions
// (transposes never conjugate; conjugation only in conj/real/imag/complex), checked against the
// autodiff cookbook's printed values and against finite differences (checkGrads along complex
// directions, both modes, order 2).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  np, lax, random, linalg, grad, jacfwd, jacrev, hessian, vmap, jit, valueAndGrad, jvp, vjp, checkGrads, stopGradient, DTypeError, NonHolomorphicError, CotangentError, type Array,
} from 'cotangent';

type C = { re: number; im: number };
const c = (re: number, im: number): C => ({ re, im });
const item = (x: Array): C => x.item() as C;
function close(got: C, want: C, tol: number, what: string): void {
  const err = Math.hypot(got.re - want.re, got.im - want.im) / Math.max(1, Math.hypot(want.re, want.im));
  assert.ok(err <= tol, `${what}: got ${got.re}${got.im >= 0 ? '+' : ''}${got.im}j, want ${want.re}${want.im >= 0 ? '+' : ''}${want.im}j (rel err ${err})`);
}

// ---------------------------------------------------------------- a float64 reference (JS)

const R = {
  mul: (a: C, b: C): C => c(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re),
  div: (a: C, b: C): C => { const d = b.re * b.re + b.im * b.im; return c((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d); },
  exp: (z: C): C => c(Math.exp(z.re) * Math.cos(z.im), Math.exp(z.re) * Math.sin(z.im)),
  log: (z: C): C => c(Math.log(Math.hypot(z.re, z.im)), Math.atan2(z.im, z.re)),
  sin: (z: C): C => c(Math.sin(z.re) * Math.cosh(z.im), Math.cos(z.re) * Math.sinh(z.im)),
  cos: (z: C): C => c(Math.cos(z.re) * Math.cosh(z.im), -Math.sin(z.re) * Math.sinh(z.im)),
  sinh: (z: C): C => c(Math.sinh(z.re) * Math.cos(z.im), Math.cosh(z.re) * Math.sin(z.im)),
  cosh: (z: C): C => c(Math.cosh(z.re) * Math.cos(z.im), Math.sinh(z.re) * Math.sin(z.im)),
  tan: (z: C): C => R.div(R.sin(z), R.cos(z)),
  tanh: (z: C): C => R.div(R.sinh(z), R.cosh(z)),
  // principal root: |z|^(1/2) e^(i arg(z)/2), arg in (-pi, pi]
  sqrt: (z: C): C => { const r = Math.sqrt(Math.hypot(z.re, z.im)), t = Math.atan2(z.im, z.re) / 2; return c(r * Math.cos(t), r * Math.sin(t)); },
  pow: (a: C, b: C): C => R.exp(R.mul(b, R.log(a))),
};
const POINTS: C[] = [c(3, 4), c(-1.5, 0.25), c(0.3, -2), c(-2, -0.7), c(1, 0), c(-0.5, 1e-3), c(0.1, 0.2)];

describe('construction, dtypes and printing', () => {
  test('{ re, im } literals, np.complex, item(), tolist()', () => {
    const z = np.array(c(3, 4));
    assert.equal(z.dtype, 'complex64');
    assert.deepEqual(z.item(), c(3, 4));
    const a = np.array([[c(1, 2), 3], [c(0, -1), true]]);
    assert.equal(a.dtype, 'complex64');
    assert.deepEqual(a.tolist(), [[c(1, 2), c(3, 0)], [c(0, -1), c(1, 0)]]);
    assert.deepEqual(np.array([1, 2], 'complex128').tolist(), [c(1, 0), c(2, 0)]);
    const w = np.complex(np.array([1, 2], 'float64'), 3);
    assert.equal(w.dtype, 'complex128');
    assert.deepEqual(w.tolist(), [c(1, 3), c(2, 3)]);
    assert.equal(np.complex(1, 2).dtype, 'complex64');
    assert.throws(() => np.complex(z, 1), DTypeError);
    assert.deepEqual(np.array(np.array([c(1, 2)]), 'complex128').tolist(), [c(1, 2)]);
  });

  test('zeros / ones / full of a complex dtype are v + 0j', () => {
    assert.deepEqual(np.ones([2], 'complex64').tolist(), [c(1, 0), c(1, 0)]);
    assert.deepEqual(np.full([1], 2.5, 'complex128').tolist(), [c(2.5, 0)]);
    assert.deepEqual(np.zeros([1], 'complex64').tolist(), [c(0, 0)]);
    assert.deepEqual(np.astype(np.array([1.5, -2]), 'complex64').tolist(), [c(1.5, 0), c(-2, 0)]);
  });

  test("JAX's promotion: float32 + complex64 = complex64, float64 + complex64 = complex128, weak numbers stay weak", () => {
    const z64 = np.array([c(1, 1)]), z128 = np.array([c(1, 1)], 'complex128');
    const f32 = np.array([1]), f64 = np.array([1], 'float64'), i32 = np.array([1], 'int32'), b = np.array([true]);
    const cases: [Array, string][] = [
      [np.add(f32, z64), 'complex64'], [np.add(f64, z64), 'complex128'], [np.add(z64, z128), 'complex128'],
      [np.add(i32, z64), 'complex64'], [np.multiply(b, z64), 'complex64'], [np.add(z64, 2), 'complex64'],
      [np.add(z64, 2.5), 'complex64'], [np.multiply(z128, 0.5), 'complex128'], [np.add(f32, c(0, 1)), 'complex64'],
      [np.add(f64, c(0, 1)), 'complex128'], [np.add(i32, c(0, 1)), 'complex64'], [np.exp(z64), 'complex64'],
      [np.divide(z64, 3), 'complex64'], [np.sqrt(z128), 'complex128'], [np.real(z128), 'float64'], [np.imag(z64), 'float32'],
      [np.abs(z64), 'float32'], [np.angle(z128), 'float64'], [np.sum(z64), 'complex64'], [np.mean(z128), 'complex128'],
    ];
    for (const [x, want] of cases) assert.equal(x.dtype, want);
    assert.deepEqual(np.add(z64, 2).tolist(), [c(3, 1)]);
  });

  test('printing like NumPy', () => {
    assert.equal(String(np.array(c(6, -8))), '(6-8j)'); // numpy's str of a 0-d complex: its scalar's
    assert.equal(np.arrayRepr(np.array(c(6, -8))), 'Array(6.-8.j, dtype=complex64)');
    assert.equal(String(np.array(c(1, 0))), '(1+0j)');
    assert.equal(String(np.array([c(1, 2), c(-0.5, -3)])), '[ 1. +2.j -0.5-3.j]');
    assert.equal(String(np.conj(np.array(c(1, 0)))), '(1-0j)');
    assert.equal(String(np.array(c(0, 1))), '1j'); // a real part of +0 is left out, as Python's complex
    assert.equal(String(np.array(1.5, 'float64')), '1.5');
  });

  test('real, imag, conj, abs, angle', () => {
    const z = np.array([c(3, 4), c(-1, 0), c(0, -2)], 'complex128');
    assert.deepEqual(Array.from(np.real(z).dataSync()), [3, -1, 0]);
    assert.deepEqual(Array.from(np.imag(z).dataSync()), [4, 0, -2]);
    assert.deepEqual(np.conj(z).tolist(), [c(3, -4), c(-1, -0), c(0, 2)]);
    assert.deepEqual(Array.from(np.abs(z).dataSync()), [5, 1, 2]);
    assert.deepEqual(Array.from(np.angle(z).dataSync()), [Math.atan2(4, 3), Math.PI, -Math.PI / 2]);
    // on real arrays, as NumPy: real is x, imag zeros, conj x, angle 0 or pi
    const x = np.array([2, -3]);
    assert.deepEqual(Array.from(np.imag(x).dataSync()), [0, 0]);
    assert.equal(np.conj(x), x);
    assert.deepEqual(Array.from(np.angle(x).dataSync()), [0, Math.fround(Math.PI)]);
  });

  test('equality compares; ordering is lexicographic by (real, imag), as NumPy and jax.numpy; valueOf refuses', () => {
    const a = np.array([c(1, 2), c(1, 3)]), b = np.array([c(1, 2), c(1, -3)]);
    assert.deepEqual(np.equal(a, b).tolist(), [true, false]);
    assert.deepEqual(np.notEqual(a, b).tolist(), [false, true]);
    assert.deepEqual(np.equal(np.array([c(NaN, 0)]), np.array([c(NaN, 0)])).tolist(), [false]);
    // a reference order written out by hand: (re, im) pairs compared lexicographically
    const pairs: [number, number][] = [[1, 2], [3, -1], [1, 5], [-2, 0], [3, -4], [1, 2]];
    const lex = (p: [number, number], q: [number, number]) => (p[0] !== q[0] ? p[0] - q[0] : p[1] - q[1]);
    const z = np.array(pairs.map(([re, im]) => c(re, im)));
    const w = np.array(pairs.map(([re, im]) => c(re, -im)).reverse());
    const wp = pairs.map(([re, im]) => [re, -im] as [number, number]).reverse();
    const cmp: [(x: any, y: any) => any, (d: number) => boolean][] = [
      [np.less, (d) => d < 0], [np.lessEqual, (d) => d <= 0], [np.greater, (d) => d > 0], [np.greaterEqual, (d) => d >= 0],
    ];
    for (const [f, want] of cmp) assert.deepEqual(f(z, w).tolist(), pairs.map((p, i) => want(lex(p, wp[i]))));
    const pick = (f: any, ge: boolean) => (f(z, w).tolist() as { re: number; im: number }[]).map((v) => [v.re, v.im]);
    assert.deepEqual(pick(np.maximum, true), pairs.map((p, i) => (lex(p, wp[i]) >= 0 ? p : wp[i])));
    assert.deepEqual(pick(np.minimum, false), pairs.map((p, i) => (lex(p, wp[i]) <= 0 ? p : wp[i])));
    const sorted = pairs.map((p, i) => [p, i] as const).sort((x, y) => lex(x[0], y[0]) || x[1] - y[1]);
    assert.deepEqual(np.argsort(z).tolist(), sorted.map(([, i]) => i), 'stable lexicographic argsort');
    assert.deepEqual((np.sort(z).tolist() as { re: number; im: number }[]).map((v) => [v.re, v.im]), sorted.map(([p]) => p));
    assert.equal(np.argmax(z).item(), 1); // 3-1j: the first of the largest real parts with the largest imaginary part
    assert.equal(np.argmin(z).item(), 3); // -2+0j
    assert.deepEqual(np.max(z).item(), { re: 3, im: -1 });
    assert.deepEqual(np.min(z).item(), { re: -2, im: 0 });
    // the extreme's gradient goes to the chosen element (a gather)
    const g = grad((x: Array) => np.real(np.max(np.multiply(x, c(1, 0)))))(z);
    assert.deepEqual((g.tolist() as { re: number; im: number }[]).map((v) => v.re), [0, 1, 0, 0, 0, 0]);
    assert.throws(() => Number(np.array(c(1, 2))), DTypeError);
    assert.throws(() => np.clip(z, 0, 1), (e: unknown) => e instanceof DTypeError && /np\.clip/.test(e.message));
  });

  test('predicates, nanToNum, var, std and norm follow NumPy on complex values (real results where NumPy has them)', () => {
    const z = np.array([c(NaN, 0), c(1, Infinity), c(1, 2)]);
    assert.deepEqual(np.isnan(z).tolist(), [true, false, false]);
    assert.deepEqual(np.isinf(z).tolist(), [false, true, false]);
    assert.deepEqual(np.isfinite(z).tolist(), [false, false, true]);
    assert.deepEqual((np.nanToNum(z).tolist() as C[])[0], c(0, 0));
    const w = np.array([c(1, 2), c(3, -2)], 'complex128'); // mean 2+0j, |w - mean|^2 = 5, 5
    assert.equal(np.var(w).dtype, 'float64');
    assert.equal(np.var(w).item(), 5);
    assert.equal(np.std(w).item(), Math.sqrt(5));
    assert.equal(np.norm(w).item(), Math.sqrt(18));
    assert.equal(np.norm(w, { ord: 1 }).item(), Math.sqrt(5) + Math.sqrt(13));
  });

  test('functions JAX refuses on complex are a DTypeError naming the op, never a number', () => {
    const z = np.array([c(0.5, 0.5)]);
    for (const [name, f] of [['floor', np.floor], ['erf', np.erf], ['lgamma', np.lgamma],
      ['cbrt', np.cbrt]] as [string, (x: Array) => Array][]) {
      assert.throws(() => f(z), (e: unknown) => e instanceof DTypeError && e.message.includes(name), name);
    }
  });
});

describe('kernels: principal branches against a float64 reference', () => {
  const unary: [string, (x: Array) => Array, (z: C) => C][] = [
    ['exp', np.exp, R.exp], ['log', np.log, R.log], ['sin', np.sin, R.sin], ['cos', np.cos, R.cos], ['tan', np.tan, R.tan],
    ['sinh', np.sinh, R.sinh], ['cosh', np.cosh, R.cosh], ['tanh', np.tanh, R.tanh], ['sqrt', np.sqrt, R.sqrt],
  ];
  for (const [name, f, ref] of unary) {
    test(`${name}: complex128 to 1e-13, complex64 to 1e-6`, () => {
      const z128 = np.array(POINTS, 'complex128'), z64 = np.array(POINTS);
      const o128 = f(z128).tolist() as C[], o64 = f(z64).tolist() as C[];
      POINTS.forEach((p, i) => {
        close(o128[i], ref(p), 1e-13, `${name}(${p.re}+${p.im}j) complex128`);
        close(o64[i], ref(c(Math.fround(p.re), Math.fround(p.im))), 1e-6, `${name}(${p.re}+${p.im}j) complex64`);
      });
    });
  }
  test('exp (f64x2 SIMD, two values a step): odd lengths, zero imaginary parts kept, special values scalar', () => {
    const pts: C[] = Array.from({ length: 1001 }, (_, i) => c(Math.sin(i * 1.7) * 5, i % 7 === 0 ? 0 : Math.cos(i * 0.37) * 40));
    pts[13] = c(1, -0); pts[10] = c(Infinity, 0); pts[11] = c(-Infinity, Infinity);
    for (const dt of ['complex128', 'complex64'] as const) {
      const z = np.array(pts, dt), e = np.exp(z).tolist() as C[], zz = z.tolist() as C[];
      zz.forEach((p, i) => {
        if (i === 10 || i === 11) return;
        const want = p.im === 0 ? c(Math.exp(p.re), p.im) : R.exp(p);
        close(e[i], want, dt === 'complex128' ? 1e-15 : 3e-7, `exp ${dt} [${i}]`);
      });
      assert.ok(Object.is(e[13].im, -0) && Object.is(e[7].im, 0));
      assert.deepEqual([e[10], e[11]], [c(Infinity, 0), c(0, 0)]);
    }
  });
  test("sign of complex is z / |z| (0 at 0) with a zero derivative, as JAX's", () => {
    const z = np.array([c(3, 4), c(0, 0), c(-2, 0)], 'complex128');
    assert.deepEqual(np.sign(z).tolist(), [c(0.6, 0.8), c(0, 0), c(-1, 0)]);
    assert.deepEqual(grad((w: Array) => np.sum(np.real(np.multiply(np.sign(w), w))))(z).tolist(),
      grad((w: Array) => np.sum(np.real(np.multiply(lax.stopGradient(np.sign(w)), w))))(z).tolist());
  });
  test('exp2, expm1, log1p, log2, log10 on complex (composed from the parts): values, tiny and huge arguments', () => {
    const expm1Ref = (z: C) => { const e = R.exp(z); return c(e.re - 1, e.im); };
    const log1pRef = (z: C) => R.log(c(1 + z.re, z.im));
    for (const p of [c(0.3, -0.4), c(-2, 1.5), c(1.2, 3)]) {
      const z = np.array(p, 'complex128');
      close(item(np.exp2(z)), R.exp(c(p.re * Math.LN2, p.im * Math.LN2)), 1e-14, 'exp2');
      close(item(np.expm1(z)), expm1Ref(p), 1e-14, 'expm1');
      close(item(np.log1p(z)), log1pRef(p), 1e-14, 'log1p');
      close(item(np.log2(z)), c(R.log(p).re / Math.LN2, R.log(p).im / Math.LN2), 1e-14, 'log2');
      close(item(np.log10(z)), c(R.log(p).re / Math.LN10, R.log(p).im / Math.LN10), 1e-14, 'log10');
    }
    // near 0 both keep full relative precision (expm1(z) ~ z, log1p(z) ~ z)
    close(item(np.expm1(np.array(c(1e-10, 2e-10), 'complex128'))), c(1e-10 - 1.5e-20, 2e-10 + 2e-20), 1e-9, 'expm1 tiny');
    close(item(np.log1p(np.array(c(1e-10, 2e-10), 'complex128'))), c(1e-10 + 1.5e-20, 2e-10 - 2e-20), 1e-9, 'log1p tiny');
    close(item(np.log1p(np.array(c(1e30, 1e30)))), c(Math.log(Math.SQRT2 * 1e30), Math.PI / 4), 1e-6, 'log1p huge complex64');
    for (const f of [np.exp2, np.expm1, np.log1p]) {
      checkGrads(f, [np.array([c(0.3, -0.4), c(-2, 1.5), c(1e-3, 2e-3), c(3, 4)], 'complex128')], { order: 2 });
    }
    for (const f of [np.log2, np.log10]) checkGrads(f, [np.array([c(0.3, -0.4), c(-2, 1.5)], 'complex128')], { order: 2 });
  });
  test('branch cuts: log and sqrt on the negative real axis take the side of the sign of zero', () => {
    const z = np.array([c(-4, 0), c(-4, -0)], 'complex128');
    assert.deepEqual(np.sqrt(z).tolist(), [c(0, 2), c(0, -2)]);
    const l = np.log(z).tolist() as C[];
    assert.equal(l[0].im, Math.PI); assert.equal(l[1].im, -Math.PI);
    assert.deepEqual(np.sqrt(np.array([c(0, 0)])).tolist(), [c(0, 0)]);
    assert.deepEqual(np.exp(np.array([c(Infinity, 0)])).tolist(), [c(Infinity, 0)]);
    close(item(np.tanh(np.array(c(40, 1), 'complex128'))), c(1, 0), 1e-15, 'tanh(40+1j)');
  });
  test('mul, div, pow against the reference (complex128 1e-13, complex64 1e-6)', () => {
    const a = POINTS, b = POINTS.slice().reverse();
    for (const dt of ['complex128', 'complex64'] as const) {
      const tol = dt === 'complex128' ? 1e-13 : 1e-6;
      const A = np.array(a, dt), B = np.array(b, dt);
      const m = np.multiply(A, B).tolist() as C[], d = np.divide(A, B).tolist() as C[], p = np.power(A, B).tolist() as C[];
      const r = (z: C) => (dt === 'complex64' ? c(Math.fround(z.re), Math.fround(z.im)) : z);
      a.forEach((ai, i) => {
        close(m[i], R.mul(r(ai), r(b[i])), tol, `mul ${dt} ${i}`);
        close(d[i], R.div(r(ai), r(b[i])), tol, `div ${dt} ${i}`);
        close(p[i], R.pow(r(ai), r(b[i])), dt === 'complex128' ? 1e-12 : 1e-5, `pow ${dt} ${i}`);
      });
    }
    // division without overflow of |b|^2; 0^b: 1 for b = 0, 0 for re(b) > 0 and im(b) = 0
    close(item(np.divide(np.array(c(1e300, 1e300), 'complex128'), np.array(c(1e300, -1e300), 'complex128'))), c(0, 1), 1e-15, 'huge div');
    assert.deepEqual(np.power(np.array([c(0, 0), c(0, 0)], 'complex128'), np.array([c(0, 0), c(2, 0)], 'complex128')).tolist(), [c(1, 0), c(0, 0)]);
    close(item(np.power(np.array(c(3, 4)), 3)), c(-117, 44), 1e-7, '(3+4j)^3 (integer_pow)');
  });
  test('sum, prod, mean, matmul, einsum, vdot, transpose, concatenate, where', () => {
    for (const dt of ['complex64', 'complex128'] as const) {
      const A = np.array([[c(1, 2), c(3, -1), c(0, 1)], [c(2, 0), c(-1, -1), c(0.5, 0.5)]], dt);
      assert.deepEqual(np.sum(A).item(), c(5.5, 1.5));
      assert.deepEqual(np.sum(A, 0).tolist(), [c(3, 2), c(2, -2), c(0.5, 1.5)]);
      close(item(np.prod(np.array([c(1, 2), c(3, -1), c(0, 1)], dt))), R.mul(R.mul(c(1, 2), c(3, -1)), c(0, 1)), 1e-7, 'prod');
      close(item(np.mean(A)), c(5.5 / 6, 1.5 / 6), 1e-7, 'mean');
      const B = np.transpose(A);
      assert.deepEqual(B.tolist(), [[c(1, 2), c(2, 0)], [c(3, -1), c(-1, -1)], [c(0, 1), c(0.5, 0.5)]]);
      const AB = np.matmul(A, B).tolist() as C[][];
      const rows = A.tolist() as C[][];
      for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) {
        let s = c(0, 0);
        for (let k = 0; k < 3; k++) { const p = R.mul(rows[i][k], rows[j][k]); s = c(s.re + p.re, s.im + p.im); }
        close(AB[i][j], s, 1e-7, `matmul ${i},${j}`);
      }
      const E = np.einsum('ij,kj->ik', A, A).tolist() as C[][];
      close(E[1][0], AB[1][0], 1e-7, 'einsum');
      // vdot conjugates its first argument: vdot(a, a) = sum |a|^2
      close(item(np.vdot(A, A)), c(5 + 10 + 1 + 4 + 2 + 0.5, 0), 1e-7, 'vdot');
      assert.deepEqual(np.concatenate([A, A], 0).shape, [4, 3]);
      assert.deepEqual(np.where(np.array([true, false]), np.array([c(1, 1), c(2, 2)], dt), 0).tolist(), [c(1, 1), c(0, 0)]);
      assert.deepEqual(np.reshape(A, [3, 2]).tolist()[2], [c(-1, -1), c(0.5, 0.5)]);
    }
  });
  test('indexing: static, slices, index arrays (fill is nan+0j, JAX\'s full_like(out, nan)), .at().set/add/mul, and their gradients', () => {
    for (const dt of ['complex64', 'complex128'] as const) {
      const z = np.array([c(1, 2), c(3, 4), c(5, -6)], dt);
      assert.deepEqual(np.index(z, 1).item(), c(3, 4));
      assert.deepEqual(np.index(z, '::-1').tolist(), [c(5, -6), c(3, 4), c(1, 2)]);
      assert.deepEqual(z.get(np.array([2, 0], 'int32')).tolist(), [c(5, -6), c(1, 2)]);
      const filledNaN = np.take(z, np.array([5], 'int32')).item() as C;
      assert.ok(Number.isNaN(filledNaN.re) && Object.is(filledNaN.im, 0));
      assert.deepEqual(z.at(1).set(c(9, 9)).tolist(), [c(1, 2), c(9, 9), c(5, -6)]);
      assert.deepEqual(z.at(np.array([0, 0], 'int32')).add(c(1, 1)).tolist(), [c(3, 4), c(3, 4), c(5, -6)]);
      assert.deepEqual(z.at(2).mul(2).tolist(), [c(1, 2), c(3, 4), c(10, -12)]);
      assert.throws(() => z.at(0).max(1), DTypeError);
      // f = Re(z1 conj z0 + z2 conj z1): JAX's gradient is conj of the coefficient of each z
      const f = (w: Array) => np.sum(np.real(np.multiply(np.index(w, '1:'), np.conj(np.index(w, ':2')))));
      assert.deepEqual(grad(f)(z).tolist(), [c(3, -4), c(6, 4), c(3, -4)]);
      checkGrads((w: Array) => w.at(np.array([1, 1], 'int32')).add(np.sin(w.get('1:'))), [z], { order: 2 });
    }
  });
  test('a larger complex matmul (the blocked paths of the transposes) matches a JS reference', () => {
    const rng = random.split(random.key(3));
    const [k1, k2] = rng;
    const n = 17, m = 9, p = 13;
    const mk = (k: Array, s: number[]) => np.complex(random.normal(k, s), random.normal(random.foldIn(k, 1), s));
    const A = np.astype(mk(k1, [n, m]), 'complex128'), B = np.astype(mk(k2, [m, p]), 'complex128');
    const Av = A.tolist() as C[][], Bv = B.tolist() as C[][];
    const got = np.matmul(A, B).tolist() as C[][];
    const gotT = np.matmul(np.transpose(np.transpose(A)), np.transpose(np.transpose(B, [1, 0]), [1, 0])).tolist() as C[][];
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) {
      let s = c(0, 0);
      for (let k = 0; k < m; k++) { const q = R.mul(Av[i][k], Bv[k][j]); s = c(s.re + q.re, s.im + q.im); }
      close(got[i][j], s, 1e-13, `[${i},${j}]`);
      close(gotT[i][j], s, 1e-13, `transposed operands [${i},${j}]`);
    }
  });
});

describe("derivatives with JAX's conventions", () => {
  const z = np.array(c(3, 4));
  test('grad of |z|^2 = sum(real(z conj z)) at 3+4i is 6-8i (the cookbook)', () => {
    const f = (w: Array) => np.sum(np.real(np.multiply(w, np.conj(w))));
    assert.deepEqual(grad(f)(z).item(), c(6, -8));
    const g = (w: Array) => np.add(np.square(np.real(w)), np.square(np.imag(w))); // the cookbook's x**2 + y**2
    assert.deepEqual(grad(g)(z).item(), c(6, -8));
    assert.equal(String(grad(g)(z)), '(6-8j)');
  });
  test('holomorphic grad of sin at 3+4i = -27.034945-3.8511531i, of conj = 1-0i (the cookbook)', () => {
    close(item(grad(np.sin, { holomorphic: true })(z)), c(-27.034945, -3.8511531), 1e-6, 'sin');
    const gc = grad(np.conj, { holomorphic: true })(z);
    assert.deepEqual(gc.item(), c(1, -0));
    assert.ok(Object.is((gc.item() as C).im, -0));
    const [v, g] = valueAndGrad(np.exp, { holomorphic: true })(z);
    assert.deepEqual(v.item(), g.item());
  });
  test("abs of complex: real-valued, JAX's derivative real(t conj(z) / |z|), 0 at z = 0", () => {
    const g = grad((w: Array) => np.sum(np.abs(w)))(np.array([c(3, 4), c(0, 0)], 'complex128'));
    assert.deepEqual(g.tolist(), [c(0.6, -0.8), c(0, 0)]);
    assert.ok(Math.abs((np.abs(np.array(c(3e200, 4e200), 'complex128')).item() as number) / 5e200 - 1) < 1e-15); // no overflow
  });
  test('NonHolomorphicError: grad of a complex output without { holomorphic }, and real inputs or outputs with it', () => {
    assert.throws(() => grad(np.sin)(z), NonHolomorphicError);
    assert.throws(() => grad(np.sin, { holomorphic: true })(1.5), NonHolomorphicError);
    assert.throws(() => grad((w: Array) => np.abs(w), { holomorphic: true })(z), NonHolomorphicError);
    // jacfwd names the function's own output shape (not the basis-batched one it computes)
    const z3 = np.array([c(1, 2), c(3, -1), c(0, 1)], 'complex128');
    assert.throws(() => jacfwd((w: Array) => np.abs(w), { holomorphic: true })(z3),
      (e: unknown) => e instanceof NonHolomorphicError && /output 0 float64\[3\]/.test((e as Error).message));
    assert.throws(() => jacfwd((w: Array) => np.sum(np.abs(w)), { holomorphic: true })(z3),
      (e: unknown) => e instanceof NonHolomorphicError && /output 0 float64\[\]/.test((e as Error).message));
    assert.ok(new NonHolomorphicError('x') instanceof CotangentError);
  });
  test('R -> R functions using complex values internally differentiate like the real implementation', () => {
    const viaC = (x: Array) => np.real(np.exp(np.multiply(x, c(0, 1))));            // cos x
    const viaC2 = (x: Array) => np.abs(np.square(np.complex(np.cos(x), np.sin(x)))); // |e^{ix}|^2 = 1
    for (const x0 of [0.7, -2.1]) {
      const x = np.array(x0, 'float64');
      assert.ok(Math.abs(Number(grad(viaC)(x)) + Math.sin(x0)) < 1e-15);
      assert.ok(Math.abs(Number(grad(grad(viaC))(x)) + Math.cos(x0)) < 1e-15);
      assert.ok(Math.abs(Number(grad(viaC2)(x))) < 1e-15);
      const [, t] = jvp(viaC, [x], [np.array(2, 'float64')]);
      assert.ok(Math.abs(Number(t) + 2 * Math.sin(x0)) < 1e-15);
    }
  });

  // The cookbook's checks, with our PRNG: fun(z) = u(x, y) + i v(x, y), u and v linear.
  const setup = (seed: number) => {
    let key = random.key(seed);
    let sub: Array;
    [key, sub] = random.split(key);
    const [a, b, cc, d] = Array.from(random.uniform(sub, [4]).dataSync());
    const u = (x: Array, y: Array) => np.add(np.multiply(a, x), np.multiply(b, y));
    const v = (x: Array, y: Array) => np.add(np.multiply(cc, x), np.multiply(d, y));
    const fun = (w: Array) => np.add(u(np.real(w), np.imag(w)), np.multiply(v(np.real(w), np.imag(w)), c(0, 1)));
    [key, sub] = random.split(key);
    const [x, y] = random.uniform(sub, [2]);
    [key, sub] = random.split(key);
    const [t0, t1] = Array.from(random.uniform(sub, [2]).dataSync());
    return { u, v, fun, x, y, t0, t1, z: np.complex(x, y) };
  };
  for (const seed of [0, 1, 2]) {
    test(`the cookbook's JVP check, seed ${seed}`, () => {
      const { u, v, fun, x, y, t0, t1, z } = setup(seed);
      const [, ans] = jvp(fun, [z], [np.array(c(t0, t1))]);
      const gu0 = Number(grad(u, { argnums: 0 })(x, y)), gu1 = Number(grad(u, { argnums: 1 })(x, y));
      const gv0 = Number(grad(v, { argnums: 0 })(x, y)), gv1 = Number(grad(v, { argnums: 1 })(x, y));
      close(item(ans), c(gu0 * t0 + gu1 * t1, gv0 * t0 + gv1 * t1), 1e-6, 'jvp');
    });
    test(`the cookbook's VJP check, seed ${seed}`, () => {
      const { u, v, fun, x, y, t0, t1, z } = setup(seed);
      const [, pullback] = vjp(fun, z);
      const [ans] = pullback(np.array(c(t0, t1)));
      const gu0 = Number(grad(u, { argnums: 0 })(x, y)), gu1 = Number(grad(u, { argnums: 1 })(x, y));
      const gv0 = Number(grad(v, { argnums: 0 })(x, y)), gv1 = Number(grad(v, { argnums: 1 })(x, y));
      // grad(u,0) c + grad(v,0) (-d) + [grad(u,1) c + grad(v,1) (-d)] (-i)
      close(item(ans), c(gu0 * t0 - gv0 * t1, -(gu1 * t0 - gv1 * t1)), 1e-5, 'vjp');
    });
  }
});

describe('jacfwd, jacrev, hessian with { holomorphic }, vmap and jit on complex values', () => {
  const z = np.array([c(0.3, -0.4), c(1, 2)], 'complex128');
  const diag = (v: C[]) => v.map((d, i) => v.map((_, j) => (i === j ? d : c(0, 0))));
  test("holomorphic Jacobians are f'(z): jacfwd and jacrev of sin give diag(cos z); hessian of sum(z^3) is diag(6 z)", () => {
    const want = diag(np.cos(z).tolist() as C[]);
    for (const J of [jacfwd(np.sin, { holomorphic: true })(z), jacrev(np.sin, { holomorphic: true })(z)]) {
      (J.tolist() as C[][]).forEach((row, i) => row.forEach((e, j) => close(e, want[i][j], 1e-15, `J[${i},${j}]`)));
    }
    const H = hessian((w: Array) => np.sum(np.power(w, 3)), { holomorphic: true })(z).tolist() as C[][];
    const zs = z.tolist() as C[];
    H.forEach((row, i) => row.forEach((e, j) => close(e, i === j ? c(6 * zs[i].re, 6 * zs[i].im) : c(0, 0), 1e-13, `H[${i},${j}]`)));
  });
  test('JAX dtype rules: jacfwd refuses complex inputs and jacrev complex outputs without { holomorphic }; with it, real ones', () => {
    assert.throws(() => jacfwd(np.sin)(z), NonHolomorphicError);
    assert.throws(() => jacrev(np.sin)(z), NonHolomorphicError);
    assert.throws(() => jacrev(np.sin, { holomorphic: true })(np.array([1, 2])), NonHolomorphicError);
    assert.throws(() => jacfwd((w: Array) => np.abs(w), { holomorphic: true })(z), NonHolomorphicError);
    assert.throws(() => hessian((w: Array) => np.sum(np.sin(w)))(z), NonHolomorphicError);
    // allowed: jacrev of a real output of complex inputs (rows are grads), jacfwd of complex outputs of real inputs
    const J = jacrev((w: Array) => np.real(np.multiply(w, np.conj(w))))(z).tolist() as C[][];
    assert.deepEqual(J, [[c(0.6, 0.8), c(0, 0)], [c(0, 0), c(2, -4)]]);
    const x = np.array([0.5, 1], 'float64');
    const F = jacfwd((a: Array) => np.exp(np.multiply(a, c(0, 1))))(x).tolist() as C[][];
    close(F[1][1], c(-Math.sin(1), Math.cos(1)), 1e-15, 'd/dx e^{ix}');
  });
  test('vmap and jit give the eager values on complex programs (and their gradients)', () => {
    const Z = np.reshape(np.concatenate([z, np.conj(z), np.multiply(z, 2)]), [3, 2]);
    const f = (w: Array) => np.sum(np.multiply(np.exp(w), np.conj(np.sin(w))));
    assert.deepEqual(vmap(f)(Z).tolist(), [0, 1, 2].map((i) => f(np.index(Z, i)).item()));
    assert.deepEqual(jit(f)(z).item(), f(z).item());
    const g = (w: Array) => np.sum(np.abs(np.sin(w)));
    assert.deepEqual(jit(grad(g))(z).tolist(), grad(g)(z).tolist());
    assert.deepEqual(vmap(grad(g))(Z).tolist(), [0, 1, 2].map((i) => grad(g)(np.index(Z, i)).tolist()));
  });
});

describe('complex linear algebra: Hermitian cholesky and triangularSolve (conjugateA)', () => {
  const A = np.array([[5, c(2, 3), c(0, 5)], [c(2, -3), 7, c(1, 7)], [c(0, -5), c(1, -7), 12]], 'complex128');
  test('L L^H = A, L lower with a real positive diagonal; the input is symmetrized (A + A^H) / 2 first', () => {
    const L = linalg.cholesky(A);
    const back = np.matmul(L, np.conj(np.transpose(L))).tolist() as C[][];
    const a = A.tolist() as C[][];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) close(back[i][j], a[i][j], 1e-14, `LL^H[${i},${j}]`);
    const l = L.tolist() as C[][];
    for (let i = 0; i < 3; i++) { assert.ok(l[i][i].re > 0 && l[i][i].im === 0); for (let j = i + 1; j < 3; j++) assert.deepEqual(l[i][j], c(0, 0)); }
    // only the Hermitian part matters: A + (a skew-Hermitian matrix) factors the same
    const S = np.array([[c(0, 1), c(1, 1), 0], [c(-1, 1), c(0, -2), 0], [0, 0, 0]], 'complex128');
    assert.deepEqual(linalg.cholesky(np.add(A, S)).tolist(), L.tolist());
    assert.ok(Number.isNaN((linalg.cholesky(np.negative(A)).tolist() as C[][])[0][0].re)); // not positive definite: NaNs, as JAX
  });
  test('triangularSolve: op(L) X = B for op = L, L^T, conj(L), L^H, left and right', () => {
    const L = linalg.cholesky(A);
    const B = np.array([[c(1, 1), 2], [c(0, -1), c(3, 0.5)], [1, c(-2, 2)]], 'complex128');
    const ops: [object, (m: Array) => Array][] = [
      [{}, (m) => m], [{ transposeA: true }, (m) => np.transpose(m)], [{ conjugateA: true }, (m) => np.conj(m)],
      [{ transposeA: true, conjugateA: true }, (m) => np.conj(np.transpose(m))],
    ];
    for (const [opts, op] of ops) {
      const X = linalg.triangularSolve(L, B, opts);
      const r = np.subtract(np.matmul(op(L), X), B).tolist() as C[][];
      r.flat().forEach((e, i) => close(e, c(0, 0), 1e-13, `left ${JSON.stringify(opts)} [${i}]`));
      const Bt = np.transpose(B);
      const Y = linalg.triangularSolve(L, Bt, { ...opts, leftSide: false });
      const q = np.subtract(np.matmul(Y, op(L)), Bt).tolist() as C[][];
      q.flat().forEach((e, i) => close(e, c(0, 0), 1e-13, `right ${JSON.stringify(opts)} [${i}]`));
    }
  });
  test('derivatives: checkGrads order 2 (fwd, rev) through cholesky and triangularSolve', () => {
    const f = (X: Array) => { const L = linalg.cholesky(X); return np.sum(np.power(np.subtract(L, np.sin(L)), 2)); };
    checkGrads(f, [A], { order: 2 });
    checkGrads((X: Array) => linalg.cholesky(X), [np.astype(A, 'complex64')], { order: 1 });
    const L = linalg.cholesky(A), B = np.array([[c(1, 1), 2], [c(0, -1), c(3, 0.5)], [1, c(-2, 2)]], 'complex128');
    for (const opts of [{}, { transposeA: true, conjugateA: true }, { lower: false, conjugateA: true }, { leftSide: false, transposeA: true }]) {
      const bb = (opts as { leftSide?: boolean }).leftSide === false ? np.transpose(B) : B;
      checkGrads((a: Array, b: Array) => linalg.triangularSolve(np.add(a, np.multiply(np.eye(3), 3)), b, opts), [L, bb], { order: 2 });
    }
  });
  test("the cookbook's matrix: grad(f, { holomorphic: true })(A) for f(X) = sum((L - sin L)^2) (complex64, 1e-5)", () => {
    const f = (X: Array) => { const L = linalg.cholesky(X); return np.sum(np.power(np.subtract(L, np.sin(L)), 2)); };
    const g = grad(f, { holomorphic: true })(np.astype(A, 'complex64'));
    assert.equal(g.dtype, 'complex64');
    const want = [-0.75342447, 0, -3.0509021, -10.940544, 5.989684, 3.5422976, -3.0509021, 10.940544, -8.904487, 0,
      -5.1351547, -6.5593696, 5.989684, -3.5422976, -5.1351547, 6.5593696, 0.01320434, 0];
    Array.from(g.dataSync()).forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= 1e-5, `[${i}] ${v} vs ${want[i]}`));
  });
});

describe('checkGrads along complex directions (fwd and rev, order 2)', () => {
  const z64 = np.array([c(0.3, -0.4), c(1.1, 0.2), c(-0.6, 0.9)]);
  const z128 = np.astype(z64, 'complex128');
  const w = np.array([c(0.5, 1), c(-1, 0.25), c(0.2, -0.7)]);
  const fns: [string, (x: Array) => Array][] = [
    ['sin', np.sin], ['exp', np.exp], ['log', np.log], ['sqrt', np.sqrt], ['tan', np.tan], ['tanh', np.tanh],
    ['sinh', np.sinh], ['cosh', np.cosh], ['cos', np.cos], ['conj (non-holomorphic)', np.conj],
    ['|z|^2 (C -> R)', (x) => np.real(np.multiply(x, np.conj(x)))], ['abs (C -> R)', np.abs],
    ['real, imag, complex', (x) => np.complex(np.imag(x), np.multiply(np.real(x), np.real(x)))],
    ['z / w + z^2 * w', (x) => np.add(np.divide(x, np.astype(w, x.dtype)), np.multiply(np.square(x), np.astype(w, x.dtype)))],
    ['pow(z, w)', (x) => np.power(x, np.astype(w, x.dtype))],
    ['pow(w, z)', (x) => np.power(np.astype(w, x.dtype), x)],
    ['outer then matmul then sum', (x) => np.sum(np.matmul(np.outer(x, x), np.reshape(np.conj(x), [3, 1])), 1)],
    ['vdot and broadcasting', (x) => np.add(np.vdot(x, np.sin(x)), x)],
    ['einsum, transpose, mean', (x) => np.mean(np.transpose(np.einsum('i,j->ij', x, np.exp(x))), 0)],
    ['where (select) and concatenate', (x) => np.concatenate([np.where(np.array([true, false, true]), x, np.sin(x)), np.conj(x)])],
  ];
  for (const [name, f] of fns) {
    test(`${name}: complex128 and complex64`, () => {
      checkGrads(f, [z128], { order: 2, modes: ['fwd', 'rev'] });
      checkGrads(f, [z64], { order: 2, modes: ['fwd', 'rev'] });
    });
  }
  test('a real argument with a complex output, and a complex argument with a real one, mixed', () => {
    const x = np.array([0.3, -1.2], 'float64');
    checkGrads((a: Array) => np.exp(np.multiply(a, c(0.5, 2))), [x], { order: 2 });
    checkGrads((a: Array, b: Array) => np.multiply(np.abs(np.multiply(a, b)), np.real(b)), [x, np.astype(np.array([c(1, 2), c(-0.5, 0.3)]), 'complex128')], { order: 2 });
  });
  test('checkGrads rejects a wrong complex derivative in each mode (stopGradient hides half of z * z)', () => {
    const f = (x: Array) => np.multiply(x, stopGradient(x)); // AD: z dz, FD: 2 z dz
    assert.throws(() => checkGrads(f, [z128], { order: 1, modes: ['fwd'] }), (e: unknown) => e instanceof CotangentError && /disagrees with finite differences/.test((e as Error).message));
    assert.throws(() => checkGrads(f, [z128], { order: 1, modes: ['rev'] }), (e: unknown) => e instanceof CotangentError && /disagrees with finite differences/.test((e as Error).message));
    assert.throws(() => checkGrads(f, [z64], { order: 1, modes: ['rev'] }), (e: unknown) => e instanceof CotangentError && /disagrees with finite differences/.test((e as Error).message));
  });
});
