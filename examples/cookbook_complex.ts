// JAX's Autodiff Cookbook, "Complex numbers and differentiation", on cotangent (complex64, as the
// notebook). Each print mirrors a cell; each check compares with the value the notebook prints.
import { np, random, linalg, grad, jvp, vjp, NDArray } from 'cotangent';
import { expectClose, expectTrue, runIfMain, section } from './lib/check.js';

type A = NDArray;
const I = { re: 0, im: 1 };
const repr = (x: A) => np.arrayRepr(x);
/** The re, im pairs of a complex array (what the checks compare). */
const parts = (x: A) => Array.from(x.dataSync());

/** The notebook's fun(z) = u(x, y) + v(x, y) i with random linear u, v, its point and its vector. */
function setup(seed: number) {
  let key = random.key(seed), sub: A;
  [key, sub] = random.split(key);
  const [a, b, c, d] = Array.from(random.uniform(sub, [4]).dataSync());
  const u = (x: A, y: A) => np.add(np.multiply(a, x), np.multiply(b, y));
  const v = (x: A, y: A) => np.add(np.multiply(c, x), np.multiply(d, y));
  const fun = (z: A) => np.add(u(np.real(z), np.imag(z)), np.multiply(v(np.real(z), np.imag(z)), I));
  [key, sub] = random.split(key);
  const [x, y] = random.uniform(sub, [2]);
  [key, sub] = random.split(key);
  const [vc, vd] = random.uniform(sub, [2]);
  const z = np.add(x, np.multiply(y, I));
  const partials = (f: (x: A, y: A) => A) => [grad(f, { argnums: 0 })(x, y), grad(f, { argnums: 1 })(x, y)];
  // the same partials in plain JS (u, v are linear: ∂u/∂x = a, ∂u/∂y = b, ∂v/∂x = c, ∂v/∂y = d)
  const js = { a, b, c, d, vc: vc.item() as number, vd: vd.item() as number };
  return { fun, z, vc, vd, du: partials(u), dv: partials(v), js };
}

/** jnp.allclose: |a - b| <= atol + rtol |b| elementwise (on the re, im parts). */
function allclose(a: A, b: A, rtol = 1e-5, atol = 1e-8): boolean {
  const x = parts(a), y = parts(b);
  return x.every((v, i) => Math.abs(v - y[i]) <= atol + rtol * Math.abs(y[i]));
}

export function cookbookComplex(): void {
  section('Complex numbers and differentiation: the JVP of a C -> C function');
  for (const seed of [0, 1, 2]) {
    const { fun, z, vc, vd, du, dv } = setup(seed);
    const zDot = np.add(vc, np.multiply(vd, I));
    const [, ans] = jvp(fun, [z], [zDot]);
    const expected = np.add(np.add(np.multiply(du[0], vc), np.multiply(du[1], vd)),
      np.add(np.multiply(np.multiply(dv[0], vc), I), np.multiply(np.multiply(dv[1], vd), I)));
    const ok = allclose(ans, expected);
    console.log(ok ? 'True' : 'False');
    expectTrue(`jvp check(${seed})`, ok);
    // independently of grad: (a c' + b d') + (c c' + d d') i for the tangent c' + d' i
    const j = setup(seed).js;
    expectClose(`  the JVP is (a vc + b vd) + (c vc + d vd) i (plain JS)`, parts(ans), [j.a * j.vc + j.b * j.vd, j.c * j.vc + j.d * j.vd], 1e-5);
  }

  section('The VJP: (c + di)* ∂f');
  for (const seed of [0, 1, 2]) {
    const { fun, z, vc, vd, du, dv } = setup(seed);
    const zBar = np.add(vc, np.multiply(vd, I));
    const [, funVjp] = vjp(fun, z);
    const [ans] = funVjp(zBar);
    const negD = np.negative(vd), negI = { re: 0, im: -1 };
    const expected = np.add(np.add(np.multiply(du[0], vc), np.multiply(dv[0], negD)),
      np.add(np.multiply(np.multiply(du[1], vc), negI), np.multiply(np.multiply(dv[1], negD), negI)));
    expectTrue(`vjp check(${seed}) (allclose, atol = rtol = 1e-5)`, allclose(ans, expected, 1e-5, 1e-5));
    // independently of grad: (a vc - c vd) - (b vc - d vd) i for the cotangent vc + vd i
    const j = setup(seed).js;
    expectClose(`  the VJP is (a vc - c vd) - (b vc - d vd) i (plain JS)`, parts(ans), [j.a * j.vc - j.c * j.vd, -(j.b * j.vc - j.d * j.vd)], 1e-5);
  }

  section('grad of a C -> R function: one complex number');
  const f = (z: A) => np.add(np.power(np.real(z), 2), np.power(np.imag(z), 2));
  const z = np.array({ re: 3, im: 4 });
  const g = grad(f)(z);
  console.log(repr(g));
  expectClose('grad(f)(3+4j) = 6-8j', parts(g), [6, -8], 1e-5);

  section('grad(f, { holomorphic: true }) of a C -> C function');
  const gs = grad(np.sin, { holomorphic: true })(z);
  console.log(repr(gs));
  expectClose('grad(sin, holomorphic)(3+4j)', parts(gs), [-27.034945, -3.8511531], 1e-5);
  const gc = grad(np.conj, { holomorphic: true })(z); // conj is not holomorphic: the real part's derivative
  console.log(repr(gc));
  expectClose('grad(conjugate, holomorphic)(3+4j) = 1-0j', parts(gc), [1, -0], 1e-5);
  expectClose('  and its imaginary part is -0', Object.is(parts(gc)[1], -0) ? 1 : 0, 1, 0);

  section('Differentiating through a Cholesky decomposition of a complex matrix');
  const A = np.array([[5, { re: 2, im: 3 }, { re: 0, im: 5 }], [{ re: 2, im: -3 }, 7, { re: 1, im: 7 }], [{ re: 0, im: -5 }, { re: 1, im: -7 }, 12]]);
  const fL = (X: A) => { const L = linalg.cholesky(X); return np.sum(np.power(np.subtract(L, np.sin(L)), 2)); };
  const gA = grad(fL, { holomorphic: true })(A);
  console.log(repr(gA));
  // the notebook's printed matrix (complex64), re and im interleaved
  expectClose('grad(f, holomorphic)(A)', parts(gA), [
    -0.75342447, 0, -3.0509021, -10.940544, 5.989684, 3.5422976,
    -3.0509021, 10.940544, -8.904487, 0, -5.1351547, -6.5593696,
    5.989684, -3.5422976, -5.1351547, 6.5593696, 0.01320434, 0], 1e-5);

  section('An R -> R function with complex values inside differentiates like the real one');
  const viaComplex = (x: A) => np.real(np.exp(np.multiply(x, I))); // cos x through e^{ix}
  const gx = grad(viaComplex)(0.5);
  console.log(repr(gx));
  expectClose('grad(real(exp(i x)))(0.5) = grad(cos)(0.5)', gx, grad(np.cos)(0.5).item() as number, 0);
  expectClose('  = -sin(0.5) (plain JS)', gx, -Math.sin(0.5), 1e-6);
}

runIfMain(import.meta.url, cookbookComplex); // on its own: node --import tsx examples/cookbook_complex.ts
