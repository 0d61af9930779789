// Complex numbers at the edges, from a trial of the complex surface (2026-12-02): each case was
// a silent wrong answer or an unclear refusal. References: numpy 2 printed values and C99
// Annex G (complex division), closed forms for the derivatives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, jvp, vmap, jit, DTypeError, ShapeError, ValueError, NDArray } from '../ts/index.ts';

type C = { re: number; im: number };
const c128 = (re: number[], im: number[]) => np.array(re.map((r, k) => ({ re: r, im: im[k] })), { dtype: 'complex128' });
const parts = (x: any): number[][] => (x.tolist() as C[]).map((z) => [z.re, z.im]);

test('sigmoid of complex is 1 / (1 + e^-z) (lax.logistic), complex typed, with its derivative s (1 - s)', () => {
  // numpy: 1/(1+np.exp(-z)) for z = 1+0.5j, -0.5+0.2j
  const z = c128([1, -0.5], [0.5, 0.2]);
  const s = np.sigmoid(z);
  assert.equal(s.dtype, 'complex128');
  const want = [[0.74274364, 0.09902772], [0.37638251, 0.04712958]];
  parts(s).forEach(([re, im], k) => assert.ok(Math.abs(re - want[k][0]) < 1e-8 && Math.abs(im - want[k][1]) < 1e-8, `${parts(s)}`));
  assert.equal(np.logistic(z).dtype, 'complex128');
  // holomorphic: jvp along 1 is s (1 - s)
  const [, t] = jvp(np.sigmoid, [z], [np.ones([2], { dtype: 'complex128' })]);
  parts(t).forEach(([re, im], k) => {
    const [sr, si] = parts(s)[k], dr = sr - (sr * sr - si * si), di = si - 2 * sr * si; // s - s^2
    assert.ok(Math.abs(re - dr) < 1e-12 && Math.abs(im - di) < 1e-12);
  });
});

test('complex max, min, argmax and cummax propagate an entry with a NaN part, the first one (numpy)', () => {
  const x = c128([1, NaN, 2], [0, 0, 0]);
  assert.ok(Number.isNaN((np.max(x).item() as C).re));
  assert.equal(np.argmax(x).item(), 1);
  assert.equal(np.argmin(c128([3, 2, NaN], [0, 0, 0])).item(), 2);
  assert.ok(Number.isNaN((np.min(c128([3, 2, NaN], [0, 0, 0])).item() as C).re));
  assert.ok(parts(np.cummax(c128([NaN, 1, 2], [0, 0, 0]))).every(([re]) => Number.isNaN(re)));
  assert.ok(Number.isNaN((np.max(c128([1, 2], [0, NaN])).item() as C).im)); // a NaN imaginary part counts
  assert.ok(Number.isNaN((np.maximum(c128([5], [0]), c128([1], [NaN])).item() as C).im));
  // without NaN: lexicographic as before (numpy), the first of ties
  assert.equal(np.argmax(c128([1, 3, 3], [0, 2, 2])).item(), 1);
  assert.deepEqual(parts(np.max(c128([1, 3, 3], [9, 1, 2]), { keepdims: true })), [[3, 2]]);
});

test('complex division by zero or infinity follows C99 Annex G (numpy, XLA), not NaN + NaN i', () => {
  // numpy: (2+1j)/complex(inf, 0) = 0j; 1/complex(0, inf) = -0j; (3-1j)/0 = inf-infj
  const q = (a: C, b: C, dtype: 'complex64' | 'complex128' = 'complex128') => np.divide(np.array(a, { dtype }), np.array(b, { dtype })).item() as C;
  assert.deepEqual(q({ re: 2, im: 1 }, { re: Infinity, im: 0 }), { re: 0, im: 0 });
  const r = np.reciprocal(np.array({ re: 0, im: Infinity }, { dtype: 'complex128' })).item() as C;
  assert.ok(r.re === 0 && Object.is(r.im, -0), JSON.stringify(r));
  assert.deepEqual(q({ re: 3, im: -1 }, { re: 0, im: 0 }), { re: Infinity, im: -Infinity });
  assert.deepEqual(q({ re: 3, im: -1 }, { re: 0, im: 0 }, 'complex64'), { re: Infinity, im: -Infinity });
  assert.deepEqual(q({ re: Infinity, im: 0 }, { re: 0, im: 0 }), { re: Infinity, im: NaN }); // inf * 0 in the imaginary part (C99)
  const n = q({ re: 0, im: 0 }, { re: 0, im: 0 });
  assert.ok(Number.isNaN(n.re) && Number.isNaN(n.im)); // 0/0 stays NaN
  // ordinary quotients unchanged: (1+2j)/(3-1j) = 0.1+0.7j
  const o = q({ re: 1, im: 2 }, { re: 3, im: -1 });
  assert.ok(Math.abs(o.re - 0.1) < 1e-15 && Math.abs(o.im - 0.7) < 1e-15);
});

test('functions of real arguments refuse complex by name (numpy and JAX refuse them too)', () => {
  const z = c128([1], [1]);
  for (const [name, f] of [
    ['np.copysign', () => np.copysign(z, np.array([1]))], ['np.heaviside', () => np.heaviside(z, 0.5)],
    ['np.arctan2', () => np.arctan2(z, z)], ['np.hypot', () => np.hypot(z, z)], ['np.floorDivide', () => np.floorDivide(z, 2)],
    ['np.remainder', () => np.remainder(z, 2)], ['np.fmod', () => np.fmod(z, 2)], ['np.percentile', () => np.percentile(z, 50)],
    ['np.quantile', () => np.quantile(z, 0.5)], ['np.median', () => np.median(z)],
  ] as const) {
    assert.throws(f, (e: any) => e instanceof DTypeError && e.message.startsWith(`${name}:`) && /complex/.test(e.message), name);
  }
});

test('a JS complex { re, im } is one leaf in every transform (as a Python complex in JAX), complex64', () => {
  // JAX: grad(lambda z: abs(z)**2)(3+4j) = 6-8j
  const g = grad((w: any) => np.square(np.abs(w)))({ re: 3, im: 4 } as any).item() as C;
  assert.ok(Math.abs(g.re - 6) < 1e-5 && Math.abs(g.im + 8) < 1e-5, JSON.stringify(g));
  const [y, t] = jvp((w: any) => np.exp(w), [{ re: 0, im: 1 }] as any, [{ re: 1, im: 0 }] as any);
  assert.equal(y.dtype, 'complex64');
  const tv = t.item() as C;
  assert.ok(Math.abs(tv.re - Math.cos(1)) < 1e-6 && Math.abs(tv.im - Math.sin(1)) < 1e-6);
  const v = vmap((w: any, x: any) => np.multiply(w, x), { inAxes: [null, 0] })({ re: 0, im: 1 } as any, np.array([1, 2]));
  assert.deepEqual(parts(v), [[0, 1], [0, 2]]);
  const s = jit((w: any) => np.multiply(w, w))({ re: 3, im: 4 } as any).item() as C;
  assert.deepEqual(s, { re: -7, im: 24 });
  // a function may return one: jit gives it back as it is, as it does a JS number
  assert.deepEqual(jit(() => ({ re: 1, im: 2 }))(), { re: 1, im: 2 });
  // an object of two Arrays named re and im is still a dict
  const d = grad((p: any) => np.sum(np.multiply(p.re, p.im)))({ re: np.array([2]), im: np.array([3]) });
  assert.deepEqual(d.re.tolist(), [3]);
});

test('complex exp2: 2^x (cos + i sin)(y ln 2), C99 special values and one rounding (references: mpmath at 200 bits)', () => {
  const c = (re: number, im: number, dtype: 'complex64' | 'complex128' = 'complex128') => np.array({ re, im } as never, { dtype });
  const parts = (a: NDArray) => { const v = a.item() as { re: number; im: number }; return [v.re, v.im]; };
  assert.deepEqual(parts(np.exp2(c(Infinity, 1))), [Infinity, Infinity]);
  assert.deepEqual(parts(np.exp2(c(Infinity, 0))), [Infinity, 0]);
  assert.ok(Object.is(parts(np.exp2(c(0, -0)))[1], -0));
  assert.deepEqual(parts(np.exp2(c(-Infinity, 1))), [0, 0]);
  // numpy's (C99 cexp's) edges: exp2(-inf + inf i) = 0, exp2(inf + inf i) = inf + nan i, exp2(nan + 0i) = nan + 0i
  assert.deepEqual(parts(np.exp2(c(-Infinity, Infinity))), [0, 0]);
  const [a, b] = parts(np.exp2(c(Infinity, Infinity)));
  assert.ok(a === Infinity && Number.isNaN(b));
  const [p, q] = parts(np.exp2(c(NaN, 0)));
  assert.ok(Number.isNaN(p) && q === 0);
  // exp(z ln 2) lost ~344 ulp here in the magnitude: 2^641.9135761626031 = 1.7188621520560624e193
  assert.equal(parts(np.exp2(c(641.9135761626031, -8.5e-18)))[0], 1.7188621520560624e193);
  // complex64 through complex128: 2^(2.108 + 98736.85i) (the float32-rounded input) = -3.92621610 + 1.78015950i
  const [re, im] = parts(np.exp2(c(2.108, 98736.85, 'complex64')));
  assert.ok(Math.abs(re + 3.9262161025892357) < 1e-6 && Math.abs(im - 1.7801595036691461) < 1e-6, `${re} ${im}`);
  const [r1, i1] = parts(np.exp2(c(1, 2)));
  assert.ok(Math.abs(r1 - 0.36691394948660335) < 1e-15 && Math.abs(i1 - 1.9660554808224874) < 1e-15);
  // holomorphic: d/dz 2^z = ln 2 * 2^z
  const [gr, gi] = parts(grad((z: NDArray) => np.exp2(z), { holomorphic: true })(c(1, 2)));
  assert.ok(Math.abs(gr - Math.LN2 * 0.36691394948660335) < 1e-15 && Math.abs(gi - Math.LN2 * 1.9660554808224874) < 1e-15, `${gr} ${gi}`);
});

test('complex logaddexp, logsumexp and softplus give the principal imaginary part (numpy, scipy, JAX\'s _wrap_between)', () => {
  const c = (re: number, im: number) => np.array({ re, im } as never, { dtype: 'complex128' });
  const parts = (a: NDArray) => { const v = a.item() as { re: number; im: number }; return [v.re, v.im]; };
  const near = (got: number[], want: number[], tol = 1e-12) => assert.ok(got.every((g, i) => Math.abs(g - want[i]) < tol), `${got} vs ${want}`);
  near(parts(np.logaddexp(c(3, 4), c(0.2, 0.1))), [2.9558083243909015, -2.2394585913237472]); // numpy log(exp(a) + exp(b))
  near(parts(np.logsumexp(np.stack([c(3, 4), c(0.2, 0.1)]))), [2.9558083243909015, -2.2394585913237472]);
  near(parts(np.logsumexp(np.stack([c(0, 4)]))), [0, 4 - 2 * Math.PI]);
  near(parts(np.softplus(c(0, 5))), [0.4714321278892075, 2.5 - Math.PI]); // numpy log1p(exp(5j)): arg(1 + e^(5i)) = 5/2 - pi
  // |logaddexp(z, 0.2 + 0.1i)|^2: its gradient (JAX's convention) against central differences in x and y
  const g = parts(grad((z: NDArray) => np.square(np.abs(np.logaddexp(z, c(0.2, 0.1)))))(c(3, 4)));
  const f = (x: number, y: number) => { const v = parts(np.logaddexp(c(x, y), c(0.2, 0.1))); return v[0] ** 2 + v[1] ** 2; };
  const h = 1e-6, fx = (f(3 + h, 4) - f(3 - h, 4)) / (2 * h), fy = (f(3, 4 + h) - f(3, 4 - h)) / (2 * h);
  near(g, [fx, -fy], 1e-6); // grad = df/dx - i df/dy (central differences' own error ~1e-9)
});

test('a complex Array into a real one with x.at() is a DTypeError (it kept the real part), as the { re, im } literal already was', () => {
  const c = np.array({ re: 5, im: 1 } as never, { dtype: 'complex128' });
  for (const f of [() => np.array([1, 2, 3]).at(0).set(c), () => np.array([1, 2, 3]).at(0).add(c), () => np.array([1, 2, 3], { dtype: 'int32' }).at(0).mul(c)]) {
    assert.throws(f, (e: unknown) => e instanceof DTypeError && /would drop its imaginary part/.test(String(e)));
  }
  assert.deepEqual(np.array([1, 2], { dtype: 'complex64' }).at(0).set(c).tolist(), [{ re: 5, im: 1 }, { re: 2, im: 0 }]);
});

test('fmax/fmin of complex operands order lexicographically and skip NaN, as numpy (they were refused with a false claim)', () => {
  const c = (r: number[], i: number[]) => np.complex(np.array(r, { dtype: 'float64' }), np.array(i, { dtype: 'float64' }));
  // numpy: np.fmax([1+2j, nan+0j, 2+1j], [3j, 5+1j, 2+nanj]) = [1+2j, 5+1j, 2+1j]
  assert.deepEqual(np.fmax(c([1, NaN, 2], [2, 0, 1]), c([0, 5, 2], [3, 1, NaN])).tolist(), [{ re: 1, im: 2 }, { re: 5, im: 1 }, { re: 2, im: 1 }]);
  assert.deepEqual(np.fmin(c([1], [2]), c([1], [3])).tolist(), [{ re: 1, im: 2 }]);
});

test("inverse functions' derivatives on their branch cuts take the side the signed zero names, as the values do (was the other side for asin, acos, asinh, acosh)", () => {
  // Closed forms on the lips (and numpy central differences along the cut agreed, trial 2026-12-03):
  //   asin'(x + s0i) = sign(x) sign(s) i / sqrt(x^2 - 1) for |x| > 1 (asin(2 + 0i) = pi/2 + 1.317i); acos' = -asin';
  //   acosh'(x +- 0i) = -1 / sqrt(x^2 - 1) for x < -1 (acosh(z) = +-i pi + acosh|x| there);
  //   asinh'(s0 + yi) = -sign(y) sign(s)... written out: asinh'(+0 - 2i) = asinh'(-0 + 2i) = i / sqrt(3), and
  //   asinh'(+0 + 2i) = asinh'(-0 - 2i) = -i / sqrt(3) (asinh(conj z) = conj asinh z, odd in z)
  const at = (f: any, re: number, im: number, t: C) => {
    const [, d] = jvp(f, [np.array({ re, im }, { dtype: 'complex128' })], [np.array(t, { dtype: 'complex128' })]);
    const v = d.item() as unknown as C;
    return [v.re, v.im];
  };
  const near = (got: number[], want: number[], what: string) =>
    assert.ok(Math.abs(got[0] - want[0]) < 1e-12 && Math.abs(got[1] - want[1]) < 1e-12, `${what}: ${got} vs ${want}`);
  const one = { re: 1, im: 0 }, i = { re: 0, im: 1 };
  for (const x of [2, -2, -4, 1.5]) for (const s of [0, -0]) {
    const sg = Math.sign(x) * (Object.is(s, -0) ? -1 : 1), k = 1 / Math.sqrt(x * x - 1);
    near(at(np.arcsin, x, s, one), [0, sg * k], `asin' at ${x}${Object.is(s, -0) ? '-' : '+'}0i`);
    near(at(np.arccos, x, s, one), [0, -sg * k], `acos' at ${x}${Object.is(s, -0) ? '-' : '+'}0i`);
    if (x < -1) near(at(np.arccosh, x, s, one), [-k, 0], `acosh' at ${x}${Object.is(s, -0) ? '-' : '+'}0i`);
  }
  const r3 = 1 / Math.sqrt(3);
  // along i: asinh'(z) i
  near(at(np.arcsinh, 0, -2, i), [-r3, 0], 'asinh at +0-2i');
  near(at(np.arcsinh, -0, 2, i), [-r3, 0], 'asinh at -0+2i');
  near(at(np.arcsinh, 0, 2, i), [r3, 0], 'asinh at +0+2i');
  near(at(np.arcsinh, -0, -2, i), [r3, 0], 'asinh at -0-2i');
  // the reachable form: acosh of a negated real array (negation makes -0i): d/dx re(acosh(-x)) = -(-1/sqrt(x^2-1)) at x = 2
  const f = (x: any) => np.real(np.arccosh(np.negative(np.astype(x, 'complex128'))));
  assert.ok(Math.abs(grad(f)(np.array(2, { dtype: 'float64' })).item() - r3) < 1e-12); // was -0.577
  // off the cuts nothing changed: asin'(z) = 1 / sqrt(1 - z^2) at 0.3 + 0.4i
  const z = { re: 0.3, im: 0.4 }, w = { re: 1 - (z.re * z.re - z.im * z.im), im: -2 * z.re * z.im };
  const m = Math.hypot(w.re, w.im), sq = { re: Math.sqrt((m + w.re) / 2), im: Math.sign(w.im) * Math.sqrt((m - w.re) / 2) };
  const d2 = sq.re * sq.re + sq.im * sq.im;
  near(at(np.arcsin, z.re, z.im, one), [sq.re / d2, -sq.im / d2], "asin' at 0.3+0.4i");
});

test('np.angle in degrees: { deg: true } or numpy\'s positional true', () => {
  const z = np.array([{ re: 1, im: 1 }, { re: -1, im: 0 }, { re: 0, im: -2 }], { dtype: 'complex128' });
  assert.deepEqual(np.angle(z, { deg: true }).tolist(), [45, 180, -90]);
  assert.deepEqual(np.angle(z, true).tolist(), [45, 180, -90]);
  assert.deepEqual(np.angle(np.array([-2, 3], { dtype: 'float64' }), { deg: true }).tolist(), [180, 0]);
});

test("complex tan' and tanh' keep their digits where they are tiny (1 + tan^2 and 1 - tanh^2 cancelled there)", () => {
  // mpmath (30 digits): 1/cos(0.6968 - 17.56i)^2 = 1/cosh(17.56 + 0.6968i)^2 = 3.942915014517488e-16 - 2.2018295683225827e-15i
  const want = [3.942915014517488e-16, -2.2018295683225827e-15];
  const one = np.array({ re: 1, im: 0 }, { dtype: 'complex128' });
  for (const [f, z] of [[np.tan, { re: 0.6968, im: -17.56 }], [np.tanh, { re: 17.56, im: 0.6968 }]] as const) {
    const d = jvp(f as any, [np.array(z, { dtype: 'complex128' })], [one])[1].item() as unknown as C;
    assert.ok(Math.abs(d.re - want[0]) < 1e-12 * Math.abs(want[0]) && Math.abs(d.im - want[1]) < 1e-12 * Math.abs(want[1]), `${f.name}: ${d.re} ${d.im}`);
  }
});

test('the real-only functions name their refusal of complex operands (was "unsupported or mismatched dtypes")', () => {
  const z = np.array([{ re: 1.5, im: 1 }], { dtype: 'complex64' });
  for (const [name, f] of [['floor', np.floor], ['ceil', np.ceil], ['trunc', np.trunc], ['cbrt', np.cbrt], ['erf', np.erf], ['erfc', np.erfc],
    ['erfinv', np.erfinv], ['lgamma', np.lgamma], ['digamma', np.digamma]] as const) {
    assert.throws(() => (f as any)(z), (e: unknown) => e instanceof DTypeError && new RegExp(`np\\.${name}: not defined for complex operands.*complex64`).test((e as Error).message), name);
  }
  assert.throws(() => np.polygamma(1, z), /np\.polygamma: not defined for complex operands/);
});

test("complex exp2 at the edges is C99's cexp (numpy's): a finite x whose 2^x overflows, with an infinite phase, is NaN + NaN i", () => {
  // numpy: np.exp2(complex(1e300, -inf)) = nan+nanj (it gave inf+nanj); exp2(inf+infj) = inf+nanj; exp2(-inf+infj) = 0j; exp2(inf+0j) = inf+0j
  const e = (re: number, im: number) => {
    const z = np.exp2(np.complex(np.array(re, { dtype: 'float64' }), np.array(im, { dtype: 'float64' })));
    return [np.real(z).item(), np.imag(z).item()];
  };
  assert.deepEqual(e(1e300, -Infinity), [NaN, NaN]);
  assert.deepEqual(e(1, Infinity), [NaN, NaN]);
  assert.deepEqual(e(Infinity, Infinity), [Infinity, NaN]);
  assert.deepEqual(e(-Infinity, Infinity), [0, 0]);
  assert.deepEqual(e(Infinity, 0), [Infinity, 0]);
  assert.deepEqual(e(1e300, 0), [Infinity, 0]);
});

test('a typed array with a complex dtype: integer and bool element types hold real values (numpy); a float one is interleaved re, im pairs only with a shape, an error without', () => {
  const c = (re: number, im = 0) => ({ re, im });
  const throwsWith = (fn: () => unknown, cls: Function, ...parts: string[]) => assert.throws(fn, (e: any) => {
    assert.ok(e instanceof cls, `${e?.constructor?.name}: ${e?.message}`);
    for (const p of parts) assert.ok(e.message.includes(p), `${JSON.stringify(e.message)} lacks ${JSON.stringify(p)}`);
    return true;
  });
  // numpy: np.array(np.array([1, 2, 3], np.int32), dtype=np.complex64) is [1+0j, 2+0j, 3+0j] (was a ShapeError
  // for 3 values, and [1+2j, 3+4j] for 4: the values read as re, im pairs)
  const z = np.array(new Int32Array([1, 2, 3]), { dtype: 'complex64' });
  assert.equal(z.dtype, 'complex64');
  assert.deepEqual(z.shape, [3]);
  assert.deepEqual(z.tolist(), [c(1), c(2), c(3)]);
  assert.deepEqual(np.array(new Int32Array([1, 2, 3, 4]), { dtype: 'complex64' }).tolist(), [c(1), c(2), c(3), c(4)]);
  assert.deepEqual(np.array(new Int32Array([-5, 6]), 'complex128').tolist(), [c(-5), c(6)]);
  assert.deepEqual(np.array(new Uint32Array([4e9, 7]), { dtype: 'complex128', shape: [2, 1] }).tolist(), [[c(4e9)], [c(7)]]);
  assert.deepEqual(np.array(new Uint8Array([1, 0, 1, 1]), { dtype: 'complex64' }).tolist(), [c(1), c(0), c(1), c(1)]);
  assert.deepEqual(np.array(new Int8Array([-1, 2]), { dtype: 'complex64' }).tolist(), [c(-1), c(2)]);
  assert.deepEqual(np.array(new Int16Array([-300, 2]), { dtype: 'complex64' }).tolist(), [c(-300), c(2)]);
  assert.deepEqual(np.array(new Uint16Array([60000]), { dtype: 'complex128' }).tolist(), [c(60000)]);
  assert.deepEqual(np.array(new Uint8ClampedArray([255, 3]), { dtype: 'complex64' }).tolist(), [c(255), c(3)]);
  assert.deepEqual(np.asarray(new Int32Array([1, 2, 3]), 'complex64').tolist(), [c(1), c(2), c(3)]);
  // a Float32Array / Float64Array with a shape: interleaved re, im pairs, the layout dataSync gives (kept)
  assert.deepEqual(np.array(new Float32Array([1, 2, 3, 4]), { dtype: 'complex64', shape: [2] }).tolist(), [c(1, 2), c(3, 4)]);
  assert.deepEqual(np.array(new Float64Array([1, 2, 3, 4]), { dtype: 'complex128', shape: [1, 2] }).tolist(), [[c(1, 2), c(3, 4)]]);
  assert.deepEqual(np.array(new Float64Array([0.5, -1]), { dtype: 'complex64', shape: [] }).item(), c(0.5, -1));
  const w = np.array([c(1, -2), c(0.25, 8)], { dtype: 'complex128' });
  assert.deepEqual(np.array(w.dataSync(), { dtype: 'complex128', shape: w.shape }).tolist(), [c(1, -2), c(0.25, 8)], 'the dataSync round trip');
  assert.deepEqual(np.array(new Float32Array(0), { dtype: 'complex64' }).shape, [0]); // (empty: both readings agree)
  // without a shape numpy's reading (4 real values) and the pairs (2) differ: an error naming both ways, not a guess
  for (const data of [new Float32Array([1, 2, 3, 4]), new Float64Array([1, 2, 3, 4])]) {
    for (const dtype of ['complex64', 'complex128'] as const) {
      throwsWith(() => np.array(data, { dtype }), ValueError, 'np.array', data.constructor.name, `dtype ${dtype} needs a shape`,
        'interleaved re, im pairs', 'shape: [2]', `np.astype(np.array(data), '${dtype}')`);
    }
  }
  throwsWith(() => np.array(new Float32Array([1, 2, 3]), { dtype: 'complex64' }), ValueError, '3 values cannot be pairs', "np.astype(np.array(data), 'complex64')");
  throwsWith(() => np.asarray(new Float64Array([1, 2]), 'complex128'), ValueError, 'np.asarray', 'needs a shape', 'shape: [1]');
  // a shape the real values would fill: still pairs, so a ShapeError naming the conversion
  throwsWith(() => np.array(new Float32Array([1, 2, 3, 4]), { dtype: 'complex64', shape: [4] }), ShapeError,
    '4 values of a Float32Array do not fill shape [4] of complex64', "np.astype(np.array(data, { shape: [4] }), 'complex64')");
  // the conversion the messages name gives numpy's values
  assert.deepEqual(np.astype(np.array(new Float32Array([1, 2, 3])), 'complex64').tolist(), [c(1), c(2), c(3)]);
});

test('cumprod leaves a complex first element with an inf or NaN part as it is (jnp\'s scan never multiplies it)', () => {
  // It was multiplied by the identity 1 + 0i, which is no identity for these in IEEE complex
  // arithmetic: (1 + 0i)(-2.5 + NaN i) = NaN + NaN i, so the finite real part was lost.
  // The expected later values: numpy's left-to-right products, (a + bi)(c + di) = (ac - bd) + (ad + bc)i.
  const mul = (p: { re: number; im: number }, q: { re: number; im: number }) => ({ re: p.re * q.re - p.im * q.im, im: p.re * q.im + p.im * q.re });
  const same = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
  for (const dtype of ['complex64', 'complex128'] as const) {
    for (const xs of [[{ re: -2.5, im: NaN }, { re: 1, im: 0 }], [{ re: Infinity, im: 1.5 }, { re: 2, im: 0 }], [{ re: NaN, im: 3 }, { re: 0.5, im: 0 }, { re: 1, im: 0 }]]) {
      const got = np.cumprod(np.array(xs, { dtype })).tolist() as { re: number; im: number }[];
      const want = [xs[0]];
      for (let i = 1; i < xs.length; i++) want.push(mul(want[i - 1], xs[i]));
      for (let i = 0; i < xs.length; i++) {
        assert.ok(same(got[i].re, want[i].re) && same(got[i].im, want[i].im), `${dtype} cumprod(${JSON.stringify(xs)})[${i}]: ${JSON.stringify(got[i])}, want ${JSON.stringify(want[i])}`);
      }
    }
  }
});

test('complex128 sqrt and rsqrt past |z| = 1e300 do not overflow (sqrt(1e308 + 0j) was inf, rsqrt 0), scalar and SIMD paths, eager and jit', () => {
  // numpy 2.4: np.sqrt(np.array([1e308, -1.7e308, 9e307+9e307j, 1.7e308-1.7e308j, complex(-1.7e308, -0.0)]))
  const z = c128([1e308, -1.7e308, 9e307, 1.7e308, -1.7e308], [0, 0, 9e307, -1.7e308, -0]);
  const want = [[1e154, 0], [0, 1.3038404810405297e154], [1.0423032682803469e154, 4.317361498275223e153],
    [1.4325088230154573e154, -5.933645827121221e153], [0, -1.3038404810405297e154]];
  const check = (got: number[][], w: number[][], what: string) => got.forEach(([re, im], k) => {
    assert.ok(Math.abs(re - w[k][0]) <= 1e-15 * Math.abs(w[k][0]) && Math.abs(im - w[k][1]) <= 1e-15 * Math.abs(w[k][1]), `${what}[${k}]: ${re} ${im}`);
  });
  check(parts(np.sqrt(z)), want, 'sqrt');
  check(parts(jit(np.sqrt)(z)), want, 'jit sqrt');
  // numpy: 1/np.sqrt(z) (1e-154 and -7.66964989e-155j for the first two)
  check(parts(np.rsqrt(z)).slice(0, 2), [[1e-154, 0], [0, -7.669649888473705e-155]], 'rsqrt');
  // 40 values go through the SIMD loop, which hands large lanes to the scalar one
  const many = c128(Array.from({ length: 40 }, (_, i) => 1.5e308 * ((i % 3) - 1)), Array.from({ length: 40 }, (_, i) => 1e307 * ((i % 5) - 2)));
  // numpy: np.sqrt of complex(1.5e308*(i%3-1), 1e307*(i%5-2)) for i = 0..2
  check(parts(np.sqrt(many)).slice(0, 3), [[8.146961102814838e152, -1.2274515458954288e154], [2.2360679774997897e153, -2.2360679774997897e153], [1.224744871391589e154, 0]], 'sqrt, 40 values');
});
