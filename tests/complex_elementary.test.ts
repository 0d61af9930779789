// The complex inverse trigonometric and hyperbolic functions (issue 11): values against
// independent references (the textbook log/sqrt formulas evaluated here in float64 JS at
// well-conditioned points, closed forms such as arcsin(sin z) = z), NumPy's values on the branch
// cuts, for huge and tiny |z| and at the special values (copied from NumPy 2.4.6, which follows
// C99 Annex G), and holomorphic derivatives (JVP, VJP, grad, second order, vmap, jit).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, jvp, vjp, vmap, jit, checkGrads, DTypeError, type Array } from 'cotangent';

type C = { re: number; im: number };
const c = (re: number, im: number): C => ({ re, im });
function close(got: C, want: C, tol: number, what: string): void {
  const err = Math.hypot(got.re - want.re, got.im - want.im) / Math.max(Number.MIN_VALUE, Math.hypot(want.re, want.im));
  assert.ok(err <= tol, `${what}: got ${got.re}${got.im >= 0 ? '+' : ''}${got.im}j, want ${want.re}${want.im >= 0 ? '+' : ''}${want.im}j (rel err ${err})`);
}

// ---------------------------------------------------------------- textbook formulas (float64 JS)

const add = (a: C, b: C): C => c(a.re + b.re, a.im + b.im);
const sub = (a: C, b: C): C => c(a.re - b.re, a.im - b.im);
const mul = (a: C, b: C): C => c(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);
const div = (a: C, b: C): C => { const d = b.re * b.re + b.im * b.im; return c((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d); };
const scale = (a: C, s: number): C => c(a.re * s, a.im * s);
const log = (z: C): C => c(Math.log(Math.hypot(z.re, z.im)), Math.atan2(z.im, z.re));
const sqrt = (z: C): C => { const r = Math.sqrt(Math.hypot(z.re, z.im)), t = Math.atan2(z.im, z.re) / 2; return c(r * Math.cos(t), r * Math.sin(t)); };
const I = c(0, 1), ONE = c(1, 0);
const sin = (z: C): C => c(Math.sin(z.re) * Math.cosh(z.im), Math.cos(z.re) * Math.sinh(z.im));
const cos = (z: C): C => c(Math.cos(z.re) * Math.cosh(z.im), -Math.sin(z.re) * Math.sinh(z.im));
const tanh = (z: C): C => div(c(Math.sinh(z.re) * Math.cos(z.im), Math.cosh(z.re) * Math.sin(z.im)), c(Math.cosh(z.re) * Math.cos(z.im), Math.sinh(z.re) * Math.sin(z.im)));

// Principal values off the cuts (the branch of each formula's log and sqrt is the principal one there).
const REF: Record<string, (z: C) => C> = {
  arcsin: (z) => mul(c(0, -1), log(add(mul(I, z), sqrt(sub(ONE, mul(z, z)))))),   // -i log(iz + sqrt(1 - z^2))
  arccos: (z) => mul(c(0, -1), log(add(z, mul(I, sqrt(sub(ONE, mul(z, z))))))),   // -i log(z + i sqrt(1 - z^2))
  arctan: (z) => mul(c(0, 0.5), sub(log(sub(ONE, mul(I, z))), log(add(ONE, mul(I, z))))), // i/2 (log(1 - iz) - log(1 + iz))
  arcsinh: (z) => log(add(z, sqrt(add(mul(z, z), ONE)))),
  arccosh: (z) => log(add(z, mul(sqrt(add(z, ONE)), sqrt(sub(z, ONE))))),
  arctanh: (z) => scale(sub(log(add(ONE, z)), log(sub(ONE, z))), 0.5),
};
// Their derivatives (the holomorphic JVPs).
const DREF: Record<string, (z: C) => C> = {
  arcsin: (z) => div(ONE, sqrt(sub(ONE, mul(z, z)))),
  arccos: (z) => div(c(-1, 0), sqrt(sub(ONE, mul(z, z)))),
  arctan: (z) => div(ONE, add(ONE, mul(z, z))),
  arcsinh: (z) => div(ONE, sqrt(add(mul(z, z), ONE))),
  arccosh: (z) => div(ONE, mul(sqrt(sub(z, ONE)), sqrt(add(z, ONE)))),
  arctanh: (z) => div(ONE, mul(add(ONE, z), sub(ONE, z))),
};
const FNS: [string, (x: Array) => Array][] = [
  ['arcsin', np.arcsin], ['arccos', np.arccos], ['arctan', np.arctan], ['arcsinh', np.arcsinh], ['arccosh', np.arccosh], ['arctanh', np.arctanh],
];
// Off every cut (none on an axis), all four quadrants, inside and outside the unit circle.
const POINTS: C[] = [c(0.3, 0.4), c(-0.7, 0.2), c(1.5, -2), c(-2.5, -0.6), c(0.05, 3), c(4, 0.1), c(-0.9, -1.2), c(0.6, -0.01)];

describe('complex inverse trig and hyperbolics: values', () => {
  for (const [name, f] of FNS) {
    test(`${name}: complex128 within 1e-14 and complex64 within 2e-7 of the textbook formula`, () => {
      const o128 = f(np.array(POINTS, 'complex128')).tolist() as C[], o64 = f(np.array(POINTS, 'complex64')).tolist() as C[];
      POINTS.forEach((p, i) => {
        close(o128[i], REF[name](p), 1e-14, `${name}(${p.re}+${p.im}j) complex128`);
        close(o64[i], REF[name](c(Math.fround(p.re), Math.fround(p.im))), 2e-7, `${name}(${p.re}+${p.im}j) complex64`);
      });
    });
  }

  test('closed forms: arcsin(sin z) = z, arccos(cos z) = z, arctanh(tanh z) = z in the principal strips', () => {
    const strip = [c(0.4, 2), c(-1.2, -0.3), c(1.5, 5), c(-0.01, 1e-3)]; // |re| < pi/2 for arcsin/arctanh's im
    const Z = np.array(strip, 'complex128');
    (np.arcsin(np.sin(Z)).tolist() as C[]).forEach((w, i) => close(w, strip[i], 1e-14, `arcsin(sin ${i})`));
    const pos = strip.map((p) => c(p.re + Math.PI / 2, p.im)); // re in (0, pi) for arccos
    (np.arccos(np.cos(np.array(pos, 'complex128'))).tolist() as C[]).forEach((w, i) => close(w, pos[i], 1e-14, `arccos(cos ${i})`));
    const swapped = strip.map((p) => c(p.im / 4, p.re)); // im in (-pi/2, pi/2) for arctanh
    (np.arctanh(np.array(swapped.map(tanh), 'complex128')).tolist() as C[]).forEach((w, i) => close(w, swapped[i], 1e-13, `arctanh(tanh ${i})`));
  });

  test("NumPy's values on the cuts (the sign of the zero part picks the side, as C99), and off them", () => {
    const cases: [string, C, C][] = [ // NumPy 2.4.6
      ['arcsin', c(2, 0), c(1.5707963267948966, 1.3169578969248166)],
      ['arcsin', c(2, -0), c(1.5707963267948966, -1.3169578969248166)],
      ['arccos', c(2, 0), c(0.0, -1.3169578969248166)],
      ['arccos', c(-2, 0), c(3.141592653589793, -1.3169578969248166)],
      ['arccos', c(-2, -0), c(3.141592653589793, 1.3169578969248166)],
      ['arctan', c(0, 2), c(1.5707963267948966, 0.5493061443340549)],
      ['arctan', c(-0, 2), c(-1.5707963267948966, 0.5493061443340549)],
      ['arctan', c(0, -2), c(1.5707963267948966, -0.5493061443340549)],
      ['arcsinh', c(0, 2), c(1.3169578969248166, 1.5707963267948966)],
      ['arcsinh', c(-0, 2), c(-1.3169578969248166, 1.5707963267948966)],
      ['arccosh', c(-2, 0), c(1.3169578969248166, 3.141592653589793)],
      ['arccosh', c(-2, -0), c(1.3169578969248166, -3.141592653589793)],
      ['arccosh', c(0.5, 0), c(0.0, 1.0471975511965976)],
      ['arctanh', c(2, 0), c(0.5493061443340549, 1.5707963267948966)],
      ['arctanh', c(2, -0), c(0.5493061443340549, -1.5707963267948966)],
      ['arctanh', c(-2, 0), c(-0.5493061443340549, 1.5707963267948966)],
      // huge |z|: no overflow
      ['arcsin', c(1e200, 1e200), c(0.7853981633974483, 461.55673936964905)],
      ['arccos', c(-1e200, 3e199), c(2.8501358591119264, -461.2532546274896)],
      ['arcsinh', c(-1e300, 1e300), c(-691.8152486690535, 0.7853981633974483)],
      ['arccosh', c(1e200, -1e-200), c(461.2101657793691, -0.0)],
      ['arctanh', c(1e200, 1e200), c(5e-201, 1.5707963267948966)],
      ['arctan', c(-3e250, 1e250), c(-1.5707963267948966, 1e-251)],
      // near the branch points and tiny |z|: no cancellation
      ['arcsin', c(1, 1e-10), c(1.5707863267948967, 1.0000000000083335e-05)],
      ['arccos', c(1, 1e-20), c(1e-10, -1e-10)],
      ['arcsin', c(1e-200, -1e-200), c(1e-200, -1e-200)],
      ['arctanh', c(1, 1e-20), c(23.37242452022043, 0.7853981633974483)],
      ['arccosh', c(1, 1e-300), c(1e-150, 1e-150)],
      ['arcsin', c(0.999999, 1e-12), c(1.569382113114652, 7.071069579530542e-10)],
      ['arctan', c(1e-9, 0.999999999), c(0.39269908901920714, 10.534919720433674)],
    ];
    const f = Object.fromEntries(FNS);
    for (const [name, z, want] of cases) {
      const got = f[name](np.array(z, 'complex128')).item() as C;
      // each part to 4 ulp (a zero part exactly, with its sign)
      for (const [g, w] of [[got.re, want.re], [got.im, want.im]]) {
        if (w === 0) assert.ok(Object.is(g, w), `${name}(${z.re}, ${z.im}): part ${g}, want ${Object.is(w, -0) ? '-0' : w}`);
        else assert.ok(Math.abs(g - w) <= 4 * Number.EPSILON * Math.abs(w), `${name}(${z.re}, ${z.im}): part ${g}, want ${w}`);
      }
    }
  });

  test("special values (infinities, NaNs, signed zeros) as NumPy's", () => {
    const inf = Infinity, nan = NaN, h = Math.PI / 2, q = Math.PI / 4;
    const cases: [string, C, C][] = [ // NumPy 2.4.6
      ['arcsin', c(0, -0), c(0, -0)], ['arcsin', c(-0, nan), c(-0, nan)], ['arcsin', c(inf, 2), c(h, inf)],
      ['arcsin', c(-inf, -inf), c(-q, -inf)], ['arcsin', c(nan, inf), c(nan, inf)], ['arcsin', c(inf, nan), c(nan, inf)],
      ['arcsin', c(1, nan), c(nan, nan)],
      ['arccos', c(0, 0), c(h, -0)], ['arccos', c(-0, nan), c(h, nan)], ['arccos', c(-inf, 2), c(Math.PI, -inf)],
      ['arccos', c(-inf, -inf), c(3 * q, inf)], ['arccos', c(inf, -0), c(0, inf)], ['arccos', c(nan, -inf), c(nan, inf)],
      ['arctan', c(-0, 0), c(-0, 0)], ['arctan', c(inf, nan), c(h, 0)], ['arctan', c(nan, -inf), c(nan, -0)],
      ['arctan', c(0, -inf), c(h, -0)], ['arctan', c(nan, 0), c(nan, 0)], ['arctan', c(0, nan), c(nan, nan)],
      ['arcsinh', c(-0, -0), c(-0, -0)], ['arcsinh', c(inf, inf), c(inf, q)], ['arcsinh', c(nan, -inf), c(inf, nan)],
      ['arcsinh', c(nan, -0), c(nan, -0)], ['arcsinh', c(-inf, 2), c(-inf, 0)],
      ['arccosh', c(0, 0), c(0, h)], ['arccosh', c(-0, -0), c(0, -h)], ['arccosh', c(-inf, -0), c(inf, -Math.PI)],
      ['arccosh', c(0, nan), c(nan, h)], ['arccosh', c(nan, inf), c(inf, nan)], ['arccosh', c(1, -0), c(0, -0)],
      ['arctanh', c(1, 0), c(inf, 0)], ['arctanh', c(-1, -0), c(-inf, -0)], ['arctanh', c(-inf, -0), c(-0, -h)],
      ['arctanh', c(nan, inf), c(0, h)], ['arctanh', c(-0, nan), c(-0, nan)], ['arctanh', c(inf, nan), c(0, nan)],
    ];
    const f = Object.fromEntries(FNS);
    for (const dt of ['complex128', 'complex64'] as const) {
      for (const [name, z, want] of cases) {
        const got = f[name](np.array(z, dt)).item() as C;
        const same = (g: number, w: number) => (Number.isNaN(w) ? Number.isNaN(g) : Math.abs(g - w) <= 1e-7 * Math.abs(w) || Object.is(g, w));
        assert.ok(same(got.re, want.re) && same(got.im, want.im),
          `${name}(${z.re}, ${z.im}) ${dt}: got (${Object.is(got.re, -0) ? '-0' : got.re}, ${Object.is(got.im, -0) ? '-0' : got.im}), want (${want.re}, ${Object.is(want.im, -0) ? '-0' : want.im})`);
      }
    }
  });

  test('odd lengths, many elements (two a step on SIMD): the textbook values off the axes, each element as computed alone', () => {
    const pts = Array.from({ length: 257 }, (_, i) => c(Math.sin(i * 1.3) * 3, Math.cos(i * 0.7) * 2));
    pts[3] = c(NaN, 1); pts[100] = c(2, 1e-150); pts[101] = c(1e9, -3); // lanes for the scalar routine
    for (const [name, f] of FNS) {
      for (const dt of ['complex128', 'complex64'] as const) {
        const all = f(np.array(pts, dt)).tolist() as C[];
        for (const i of [0, 1, 3, 100, 101, 128, 255, 256]) assert.deepEqual(all[i], f(np.array(pts[i], dt)).item(), `${name}[${i}] ${dt}`);
        if (dt === 'complex64') continue;
        pts.forEach((p, i) => {
          if (Math.abs(p.re) > 0.05 && Math.abs(p.im) > 0.05 && i !== 3 && i !== 101) close(all[i], REF[name](p), 1e-13, `${name}(${p.re}+${p.im}j)`);
        });
      }
    }
  });

  test('cbrt refuses complex, as JAX (lax.cbrt is defined on floats only): a DTypeError naming cbrt', () => {
    for (const dt of ['complex64', 'complex128'] as const) {
      assert.throws(() => np.cbrt(np.array([c(8, 0)], dt)), (e: unknown) => e instanceof DTypeError && /cbrt/.test((e as Error).message));
    }
  });
});

describe('complex inverse trig and hyperbolics: holomorphic derivatives', () => {
  for (const [name, f] of FNS) {
    test(`${name}: grad (holomorphic), jvp and vjp are f'(z); checkGrads order 2 in complex128 and complex64`, () => {
      for (const p of POINTS.slice(0, 5)) {
        const z = np.array(p, 'complex128');
        close(grad(f, { holomorphic: true })(z).item() as C, DREF[name](p), 1e-13, `grad ${name}(${p.re}+${p.im}j)`);
        const [, t] = jvp(f, [z], [np.array(c(0.5, -2), 'complex128')]);
        close(t.item() as C, mul(DREF[name](p), c(0.5, -2)), 1e-13, `jvp ${name}`);
        const [, back] = vjp(f, z);
        close((back(np.array(c(1, 1), 'complex128')) as Array[])[0].item() as C, mul(DREF[name](p), c(1, 1)), 1e-13, `vjp ${name}`);
      }
      const Z = np.array(POINTS, 'complex128');
      checkGrads(f, [Z], { order: 2, modes: ['fwd', 'rev'] });
      checkGrads(f, [np.astype(Z, 'complex64')], { order: 2, modes: ['fwd', 'rev'] });
    });
  }

  test("arccosh' = 1/(sqrt(z-1) sqrt(z+1)), not JAX's 1/sqrt(z^2-1) (which has the wrong sign where re z < 0)", () => {
    const p = c(-2, 0.1), z = np.array(p, 'complex128');
    const got = grad(np.arccosh, { holomorphic: true })(z).item() as C;
    close(got, DREF.arccosh(p), 1e-14, 'arccosh grad at -2+0.1j');
    close(got, scale(div(ONE, sqrt(sub(mul(p, p), ONE))), -1), 1e-14, 'minus the x^2 - 1 form there');
    // the derivative of the value: a centered difference of the function itself
    const h = 1e-6, fd = scale(sub(np.arccosh(np.array(c(p.re + h, p.im), 'complex128')).item() as C, np.arccosh(np.array(c(p.re - h, p.im), 'complex128')).item() as C), 1 / (2 * h));
    close(got, fd, 1e-8, 'finite difference');
  });

  test('C -> R through the inverse functions: grad with JAX conventions matches finite differences', () => {
    const Z = np.array(POINTS, 'complex128');
    checkGrads((w: Array) => np.sum(np.abs(np.arctan(np.multiply(w, np.arcsinh(w))))), [Z], { order: 2 });
    checkGrads((w: Array) => np.real(np.multiply(np.arcsin(w), np.conj(np.arccosh(w)))), [Z], { order: 2 });
  });

  test('vmap and jit of the functions, their grads and jvps match the per-element eager values', () => {
    const Z = np.array(POINTS.slice(0, 4), 'complex128');
    for (const [name, f] of FNS) {
      const g = grad(f, { holomorphic: true });
      assert.deepEqual(jit(f)(Z).tolist(), f(Z).tolist(), `jit ${name}`);
      assert.deepEqual(vmap(f)(Z).tolist(), f(Z).tolist(), `vmap ${name}`);
      const each = [0, 1, 2, 3].map((i) => g(np.index(Z, i)).item());
      assert.deepEqual(vmap(g)(Z).tolist(), each, `vmap grad ${name}`);
      assert.deepEqual(jit(vmap(g))(Z).tolist(), each, `jit vmap grad ${name}`);
    }
  });
});

// ---------------------------------------------------------------- the f64x2 SIMD kernels (exp sin cos tan sinh cosh tanh sqrt log)

const sinh = (z: C): C => c(Math.sinh(z.re) * Math.cos(z.im), Math.cosh(z.re) * Math.sin(z.im));
const cosh = (z: C): C => c(Math.cosh(z.re) * Math.cos(z.im), Math.sinh(z.re) * Math.sin(z.im));
const exp = (z: C): C => c(Math.exp(z.re) * Math.cos(z.im), Math.exp(z.re) * Math.sin(z.im));
const VREF: [string, (x: Array) => Array, (z: C) => C][] = [
  ['exp', np.exp, exp], ['sin', np.sin, sin], ['cos', np.cos, cos], ['tan', np.tan, (z) => div(sin(z), cos(z))],
  ['sinh', np.sinh, sinh], ['cosh', np.cosh, cosh], ['tanh', np.tanh, tanh], ['sqrt', np.sqrt, sqrt], ['log', np.log, log],
];
const PTS: C[] = [c(0, -0), c(-0, 0), c(1.0, -0), c(-0, -0), c(Infinity, 1.0), c(NaN, 0), c(1.0, 800.0), c(800.0, 1.0), c(1e+305, 1e+305), c(-4.0, 0), c(-4.0, -0), c(1e-310, 1e-310), c(30.0, -2.0), c(-0.5, Infinity), c(2.0, NaN)];
const NUMPY: Record<string, [number, number][]> = { // NumPy 2.4.6 at PTS
  log: [[-Infinity, -0], [-Infinity, 3.141592653589793], [0, -0], [-Infinity, -3.141592653589793], [Infinity, 0], [NaN, NaN], [6.684612508917317, 1.5695463274459376], [6.684612508917317, 0.0012499993489589437], [702.6350269534639, 0.7853981633974483], [1.3862943611198906, 3.141592653589793], [1.3862943611198906, -3.141592653589793], [-713.4548052378742, 0.7853981633974483], [3.403414680196088, -0.06656816377582381], [Infinity, 1.5707963267948966], [NaN, NaN]],
  exp: [[1.0, -0], [1.0, 0], [2.718281828459045, -0], [1.0, -0], [Infinity, Infinity], [NaN, 0], [-1.21813687601165, 2.4300614498878885], [Infinity, Infinity], [-Infinity, -Infinity], [0.01831563888873418, 0], [0.01831563888873418, -0], [1.0, 1e-310], [-4447142590942.853, -9717183838818.248], [NaN, NaN], [NaN, NaN]],
  sin: [[0, -0], [-0, 0], [0.8414709848078965, -0], [-0, -0], [NaN, NaN], [NaN, 0], [Infinity, Infinity], [1.3794672522454199, -0.5266399884378253], [-Infinity, -Infinity], [0.7568024953079282, -0], [0.7568024953079282, 0], [1e-310, 1e-310], [-3.717168318816527, -0.5594484764502771], [-Infinity, Infinity], [NaN, NaN]],
  cos: [[1.0, 0], [1.0, 0], [0.5403023058681398, 0], [1.0, -0], [NaN, NaN], [NaN, 0], [Infinity, -Infinity], [-0.6914968875738245, -1.0505941976424686], [-Infinity, Infinity], [-0.6536436208636119, -0], [-0.6536436208636119, 0], [1.0, -0], [0.5803241401104714, -3.5834527791231894], [Infinity, Infinity], [NaN, NaN]],
  tan: [[0, -0], [-0, 0], [1.557407724654902, -0], [-0, -0], [NaN, NaN], [NaN, 0], [0, 1.0], [-0.25324503106270563, 1.146350421670498], [0, 1.0], [-1.1578212823495775, 0], [-1.1578212823495775, -0], [1e-310, 1e-310], [-0.011565211128783615, -1.0354417865444585], [-0, 1.0], [NaN, NaN]],
  sinh: [[0, -0], [-0, 0], [1.1752011936438014, -0], [-0, -0], [Infinity, Infinity], [NaN, 0], [-0.5266399884378253, 1.3794672522454199], [Infinity, Infinity], [-Infinity, -Infinity], [-27.28991719712775, 0], [-27.28991719712775, -0], [1e-310, 1e-310], [-2223571295471.4263, -4858591919409.124], [NaN, NaN], [NaN, NaN]],
  cosh: [[1.0, -0], [1.0, -0], [1.5430806348152437, -0], [1.0, 0], [Infinity, Infinity], [NaN, 0], [-0.6914968875738245, 1.0505941976424686], [Infinity, Infinity], [-Infinity, -Infinity], [27.308232836016487, -0], [27.308232836016487, 0], [1.0, 0], [-2223571295471.4263, -4858591919409.124], [NaN, NaN], [NaN, NaN]],
  tanh: [[0, -0], [-0, 0], [0.7615941559557649, -0], [-0, -0], [1.0, 0], [NaN, 0], [1.146350421670498, -0.25324503106270563], [1.0, 0], [1.0, 0], [-0.999329299739067, 0], [-0.999329299739067, -0], [1e-310, 1e-310], [1.0, 1.3253898390798914e-26], [NaN, NaN], [NaN, NaN]],
  sqrt: [[0, -0], [0, 0], [1.0, -0], [0, -0], [Infinity, 0], [NaN, NaN], [20.01250390380669, 19.987503908689497], [28.284276771730934, 0.017677666076996217], [3.474344227601156e+152, 1.4391204994250744e+152], [0, 2.0], [0, -2.0], [1.0986841134678082e-155, 4.550898605622267e-156], [5.480264261727979, -0.18247295244202158], [Infinity, Infinity], [NaN, NaN]],
};

describe('the SIMD kernels of exp, sin, cos, tan, sinh, cosh, tanh, sqrt, log (two values a step)', () => {
  // |re|, |im| up to 8 (and tiny ones, where sinh's series takes over), an odd count
  const pts = Array.from({ length: 1001 }, (_, i) => c(Math.sin((i + 1) * 1.7) * 8 * (i % 5 === 0 ? 1e-3 : 1), i % 7 === 0 ? 0 : Math.cos(i * 0.37) * 8));
  for (const [name, f, ref] of VREF) {
    test(`${name}: complex128 within 2e-15 and complex64 within 2e-7 of the float64 formula (relative to |w|)`, () => {
      for (const dt of ['complex128', 'complex64'] as const) {
        const z = np.array(pts, dt), got = f(z).tolist() as C[], zz = z.tolist() as C[];
        zz.forEach((p, i) => close(got[i], ref(p), dt === 'complex128' ? 2e-15 : 2e-7, `${name}(${p.re}+${p.im}j) ${dt} [${i}]`));
      }
    });
  }
  test("C99 special values and overflow of the elementary functions as NumPy's (the scalar routines' lanes)", () => {
    const cases: [string, C, C][] = [ // NumPy 2.4.6
      ['exp', c(Infinity, Infinity), c(Infinity, NaN)],
      ['exp', c(-Infinity, -Infinity), c(0, -0)],
      ['exp', c(Infinity, NaN), c(Infinity, NaN)],
      ['exp', c(713.0636570065927, 0.0029542309396046857), c(Infinity, 1.41271739974376e+307)],
      ['sin', c(Infinity, -Infinity), c(NaN, Infinity)],
      ['sin', c(NaN, Infinity), c(NaN, Infinity)],
      ['cos', c(0, 1e+300), c(Infinity, -0)],
      ['cos', c(Infinity, 0), c(NaN, 0)],
      ['sinh', c(0, Infinity), c(0, NaN)],
      ['sinh', c(-Infinity, NaN), c(Infinity, NaN)],
      ['sinh', c(713.0636570065927, 0.0029542309396046857), c(Infinity, 7.0635869987188e+306)],
      ['cosh', c(Infinity, -0), c(Infinity, -0)],
      ['cosh', c(-1e+300, 0), c(Infinity, -0)],
      ['cosh', c(-0, -Infinity), c(NaN, 0)],
      ['cosh', c(Infinity, Infinity), c(Infinity, NaN)],
      ['tanh', c(Infinity, Infinity), c(1.0, 0)],
      ['tanh', c(-Infinity, NaN), c(-1.0, 0)],
      ['tanh', c(1e+300, Infinity), c(NaN, NaN)],
      ['tanh', c(-0, Infinity), c(-0, NaN)],
      ['tan', c(Infinity, 0), c(NaN, 0)],
      ['tan', c(-Infinity, -Infinity), c(-0, -1.0)],
      ['tan', c(NaN, Infinity), c(0, 1.0)],
      ['tan', c(Infinity, 1e+300), c(NaN, NaN)],
      ['sqrt', c(0, 5e-324), c(1.5717277847026288e-162, 1.5717277847026288e-162)],
      ['sqrt', c(5e-324, 5e-324), c(2.4421097261308304e-162, 1.0115549693666347e-162)],
      ['sqrt', c(-1e-310, -0), c(0, -9.999999999999986e-156)],
      ['log', c(NaN, 0), c(NaN, NaN)],
      ['log', c(Infinity, NaN), c(Infinity, NaN)],
    ];
    const f = Object.fromEntries(VREF.map(([n, g]) => [n, g]));
    for (const [name, z, want] of cases) {
      const got = (f[name](np.array([c(0.5, 0.5), z], 'complex128')).tolist() as C[])[1]; // in a pair's second lane
      const same = (g: number, w: number) => (Number.isNaN(w) ? Number.isNaN(g) : Object.is(g, w) || (w !== 0 && Math.abs(g - w) <= 4e-15 * Math.abs(w)));
      assert.ok(same(got.re, want.re) && same(got.im, want.im),
        `${name}(${z.re}, ${Object.is(z.im, -0) ? '-0' : z.im}): got (${Object.is(got.re, -0) ? '-0' : got.re}, ${Object.is(got.im, -0) ? '-0' : got.im}), NumPy (${want.re}, ${Object.is(want.im, -0) ? '-0' : want.im})`);
    }
  });
  test("log near |z| = 1 (no cancellation in log|z|), huge and tiny: NumPy's values to 4 ulp per part", () => {
    const cases: [C, C][] = [ // NumPy 2.4.6
      [c(0.6, 0.8), c(2.2204460492503132e-17, 0.9272952180016123)],
      [c(1.00000001, 1e-05), c(1.0049999888222792e-08, 9.99999989966667e-06)],
      [c(0.7071067811865476, -0.7071067811865475), c(-1.014653635756952e-17, -0.7853981633974483)],
      [c(1e+300, 1e+300), c(691.1221014884936, 0.7853981633974483)],
      [c(3e-300, -1e-300), c(-689.6242353517167, -0.3217505543966422)],
      [c(-1, 1e-200), c(0.0, 3.141592653589793)],
      [c(0.5000001, 0.1), c(-0.6735366316756302, 0.19739552138834973)],
      [c(1.9999, -0.01), c(0.6931096804037188, -0.0050002083402084785)],
    ];
    const got = np.log(np.array([...cases.map(([z]) => z), c(1, 1)], 'complex128')).tolist() as C[]; // 8 + 1: pairs and the odd tail
    cases.forEach(([z, w], i) => {
      for (const [g, v] of [[got[i].re, w.re], [got[i].im, w.im]]) {
        assert.ok(v === 0 ? g === 0 : Math.abs(g - v) <= 4 * Number.EPSILON * Math.abs(v), `log(${z.re}, ${z.im}): part ${g}, want ${v}`);
      }
    });
  });
  test("special values among ordinary ones: NumPy's results, and each element as computed alone (bit for bit)", () => {
    const mixed: C[] = [];
    PTS.forEach((p, i) => mixed.push(p, c(0.25 * i - 1, 0.5 - 0.1 * i))); // each special next to an ordinary value
    for (const [name, f] of VREF) {
      for (const dt of ['complex128', 'complex64'] as const) {
        const all = f(np.array(mixed, dt)).tolist() as C[];
        all.forEach((w, i) => assert.deepEqual(w, f(np.array([mixed[i]], dt)).tolist()[0], `${name} [${i}] alone`));
        if (dt === 'complex64') continue; // NumPy's values below are complex128's
        PTS.forEach((p, i) => {
          const got = all[2 * i], [wr, wi] = NUMPY[name][i];
          const same = (g: number, w: number) => (Number.isNaN(w) ? Number.isNaN(g) : Object.is(g, w) || (w !== 0 && Math.abs(g - w) <= 4e-15 * Math.abs(w)));
          assert.ok(same(got.re, wr) && same(got.im, wi),
            `${name}(${p.re}, ${Object.is(p.im, -0) ? '-0' : p.im}): got (${Object.is(got.re, -0) ? '-0' : got.re}, ${Object.is(got.im, -0) ? '-0' : got.im}), NumPy (${wr}, ${Object.is(wi, -0) ? '-0' : wi})`);
        });
      }
    }
  });
  test('power (exp(b log a) on the SIMD log and exp): values, 0 ** b, and each element as computed alone', () => {
    const a = Array.from({ length: 301 }, (_, i) => c(Math.sin(i * 0.9) * 3, Math.cos(i * 1.3) * 3));
    const b = Array.from({ length: 301 }, (_, i) => c(Math.cos(i * 0.5) * 2, i % 4 === 0 ? 0 : Math.sin(i * 0.7)));
    a[5] = c(0, 0); b[5] = c(0, 0); a[6] = c(0, 0); b[6] = c(2, 0); a[7] = c(0, 0); b[7] = c(0, 1); a[8] = c(-8, 0); b[8] = c(1 / 3, 0);
    a[9] = c(0, 0); b[9] = c(0.5, -3); a[10] = c(0, 0); b[10] = c(-1, 1); // (0 ** b: 0 for Re b > 0, any Im b, as numpy 2.4)
    for (const dt of ['complex128', 'complex64'] as const) {
      const A = np.array(a, dt), B = np.array(b, dt), got = np.power(A, B).tolist() as C[];
      const aa = A.tolist() as C[], bb = B.tolist() as C[];
      aa.forEach((p, i) => {
        if (i >= 5 && i <= 10 && i !== 8) return;
        close(got[i], exp(mul(bb[i], log(p))), dt === 'complex128' ? 1e-14 : 2e-7, `${p.re}+${p.im}j ** ${bb[i].re}+${bb[i].im}j ${dt} [${i}]`);
        if (i % 37 === 0) assert.deepEqual(got[i], np.power(np.array([aa[i]], dt), np.array([bb[i]], dt)).tolist()[0], `[${i}] alone`);
      });
      assert.deepEqual(got[5], c(1, 0)); assert.deepEqual(got[6], c(0, 0));
      assert.ok(Number.isNaN(got[7].re) && Number.isNaN(got[7].im));
      assert.deepEqual(got[9], c(0, 0)); // (was NaN + NaN j)
      assert.ok(Number.isNaN(got[10].re) && Number.isNaN(got[10].im));
      close(got[8], c(1, Math.sqrt(3)), dt === 'complex128' ? 1e-15 : 2e-7, '(-8) ** (1/3), principal');
    }
  });
  test('abs (sqrt(x^2 + y^2) two values a step; the scalar hypot where the squares would overflow or underflow)', () => {
    const pts = Array.from({ length: 203 }, (_, i) => c(Math.sin(i * 2.1) * 10 ** ((i % 9) - 4), Math.cos(i * 0.3) * 10 ** ((i % 5) - 2)));
    pts.push(c(3, 4), c(1e200, 1e200), c(-3e-200, 4e-200), c(Infinity, NaN), c(NaN, 1), c(0, -0), c(1e-310, 0));
    for (const dt of ['complex128', 'complex64'] as const) {
      const z = np.array(pts, dt), got = np.abs(z).tolist() as number[], zz = z.tolist() as C[];
      zz.forEach((p, i) => {
        const want = dt === 'complex64' ? Math.fround(Math.hypot(p.re, p.im)) : Math.hypot(p.re, p.im);
        assert.ok(Object.is(got[i], want) || Math.abs(got[i] - want) <= (dt === 'complex64' ? 6e-8 : 4.5e-16) * want, `abs(${p.re}, ${p.im}) ${dt}: ${got[i]} vs ${want}`);
        if (i % 17 === 0 || i >= 203) assert.equal(got[i], np.abs(np.array([p], dt)).item(), `[${i}] alone`);
      });
      assert.equal(got[203], 5);
    }
  });
});
