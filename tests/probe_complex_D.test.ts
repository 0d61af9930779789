// Probe of complex support (helper D): complex expm1 where e^x overflows, and JAX's derivative
// conventions for complex inputs checked against float64 central differences.
// References: mpmath 1.3 at 30 digits (expm1), closed forms (exp), finite differences.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, jvp, vjp } from '../ts/index.ts';

type C = { re: number; im: number };
const c = (re: number, im: number): C => ({ re, im });
const Z = (p: C, dt: 'complex64' | 'complex128' = 'complex128') => np.array(p, dt);

describe('complex expm1 where e^x overflows', () => {
  test('complex64: finite parts stay finite, a zero imaginary part stays zero', () => {
    const got = np.expm1(np.array([c(89, 0), c(89, -3), c(89, -0), c(1e-8, -0)], 'complex64')).tolist() as C[];
    // mpmath: expm1(89 - 3j) = -4.444683003623774e38 - 6.335741972275668e37j (real part past float32's max)
    assert.deepEqual(got[0], c(Infinity, 0)); // was inf + NaN i
    assert.equal(got[1].re, -Infinity);
    assert.equal(got[1].im, Math.fround(-6.335741972275668e37)); // was -inf
    assert.equal(got[2].re, Infinity);
    assert.ok(Object.is(got[2].im, -0), `expm1(89 - 0j) imag ${got[2].im}`);
    assert.ok(Object.is(got[3].im, -0) && Math.abs(got[3].re - Math.fround(1e-8)) < 1e-15);
  });

  test('complex128: expm1(710 - 3j) has a finite imaginary part; moderate x matches mpmath', () => {
    const got = np.expm1(np.array([c(710, -3), c(710, 0), c(1.5, 0.3), c(1.0000001, 2), c(0.5, 0.3)], 'complex128')).tolist() as C[];
    assert.equal(got[0].re, -Infinity); // -2.2116e308
    assert.ok(Math.abs(got[0].im / -3.1526135940644185e307 - 1) < 1e-14, `im ${got[0].im}`);
    assert.deepEqual(got[1], c(Infinity, 0));
    const want: C[] = [c(3.281521101809368, 1.3244296802581716), c(-2.131204496877258, 2.4717269191774984),
      c(0.5750835902973683, 0.48723045064424825)]; // mpmath
    want.forEach((w, i) => {
      const g = got[i + 2];
      assert.ok(Math.hypot(g.re - w.re, g.im - w.im) <= 4e-16 * Math.hypot(w.re, w.im), `expm1 case ${i}: ${g.re}, ${g.im}`);
    });
  });

  test('holomorphic derivative on both sides of the switch is exp(z)', () => {
    for (const p of [c(2, 0.5), c(0.2, 0.5), c(1, -0.7)]) {
      const g = grad((z: any) => np.expm1(z), { holomorphic: true })(Z(p)).item() as C;
      const w = c(Math.exp(p.re) * Math.cos(p.im), Math.exp(p.re) * Math.sin(p.im));
      assert.ok(Math.hypot(g.re - w.re, g.im - w.im) <= 1e-14 * Math.hypot(w.re, w.im), `d expm1 at ${p.re}+${p.im}j: ${g.re}, ${g.im}`);
    }
  });
});

// ---------------------------------------------------------------- JAX's conventions vs differences

const h = 1e-6;
const val = (f: (z: any) => any, p: C): C => { const v = f(Z(p)).item(); return typeof v === 'number' ? c(v, 0) : v as C; };
const diff = (f: (z: any) => any, p: C, v: C): C => {
  const a = val(f, c(p.re + h * v.re, p.im + h * v.im)), b = val(f, c(p.re - h * v.re, p.im - h * v.im));
  return c((a.re - b.re) / (2 * h), (a.im - b.im) / (2 * h));
};
const near = (g: C, w: C, what: string) => assert.ok(Math.hypot(g.re - w.re, g.im - w.im) <= 1e-7 * Math.max(1, Math.hypot(w.re, w.im)), `${what}: got ${g.re}, ${g.im}; want ${w.re}, ${w.im}`);
const POINTS = [c(0.7, 0.4), c(-1.3, 0.6), c(0.2, -1.7)];

describe("JAX's complex derivative conventions against central differences", () => {
  test('grad of C -> R is df/dx - i df/dy', () => {
    const fns: [string, (z: any) => any][] = [
      ['|z|^2', (z) => np.real(np.multiply(z, np.conj(z)))], ['angle', np.angle], ['|sin z|', (z) => np.abs(np.sin(z))],
      ['re expm1(2z)', (z) => np.real(np.expm1(np.multiply(z, 2)))], ['var', (z) => np.var(np.stack([z, np.multiply(z, z), np.exp(z)]))],
    ];
    for (const [name, f] of fns) for (const p of POINTS) {
      const g = grad(f)(Z(p)).item() as C;
      near(g, c(diff(f, p, c(1, 0)).re, -diff(f, p, c(0, 1)).re), `grad ${name} at ${p.re}+${p.im}j`);
    }
  });

  test('holomorphic grad is f\'(z); jvp along a complex direction and vjp (no conjugation) agree', () => {
    const fns: [string, (z: any) => any][] = [['z**z', (z) => np.power(z, z)], ['arccosh', np.arccosh], ['log1p', np.log1p], ['expm1', np.expm1]];
    const v = c(0.3, -0.8), u = c(-0.4, 1.1);
    for (const [name, f] of fns) for (const p of POINTS) {
      const d = diff(f, p, c(1, 0));
      near(grad(f, { holomorphic: true })(Z(p)).item() as C, d, `grad ${name}`);
      near(jvp(f, [Z(p)], [Z(v)])[1].item() as C, diff(f, p, v), `jvp ${name}`);
      const [, back] = vjp(f, Z(p));
      near(back(Z(u))[0].item() as C, c(u.re * d.re - u.im * d.im, u.re * d.im + u.im * d.re), `vjp ${name}`);
    }
  });
});
