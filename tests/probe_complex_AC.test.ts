// Probe of complex differentiation conventions (helper-253). np.sinc on complex input was refused
// with a message from np.floor ("np.sinc: np.floor: not defined for complex operands (numpy and
// JAX refuse them too)"), though numpy.sinc and jnp.sinc both take complex values.
// References: mpmath 1.3 at 30 digits (sin(pi z)/(pi z) and its derivatives), pasted as literals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, grad, jit, vmap } from '../ts/index.ts';

type C = { re: number; im: number };
const near = (g: C, w: C, tol: number, what: string) =>
  assert.ok(Math.hypot(g.re - w.re, g.im - w.im) <= tol * Math.max(1, Math.hypot(w.re, w.im)), `${what}: got ${g.re}, ${g.im}; want ${w.re}, ${w.im}`);

const Z: C[] = [{ re: 0.3, im: 0.4 }, { re: 2, im: 0.5 }, { re: -3.25, im: -1.5 }, { re: 1e-3, im: 2e-3 }, { re: 0, im: 0 },
  { re: 1e4 + 0.25, im: 0.1 }, { re: -0.5, im: 0 }];
// mpmath: sin(pi z) / (pi z) (1 at 0)
const WANT: C[] = [{ re: 1.0701700220757464, im: -0.4200025223215666 }, { re: 0.08617955196097853, im: 0.3447182078439141 },
  { re: -4.644535725432136, im: -1.71071906708136 }, { re: 1.0000049347965183, im: -6.579755749219506e-06 }, { re: 1, im: 0 },
  { re: 2.3627275250874457e-05, im: 7.1875415931436235e-06 }, { re: 0.6366197723675814, im: 0 }];

test('np.sinc takes complex values (numpy, jnp), complex128 and complex64', () => {
  const got = np.sinc(np.array(Z, 'complex128'));
  assert.equal(got.dtype, 'complex128');
  (got.tolist() as C[]).forEach((g, i) => near(g, WANT[i], 1e-14, `sinc(${Z[i].re}+${Z[i].im}j)`));
  const g64 = np.sinc(np.array(Z, 'complex64'));
  assert.equal(g64.dtype, 'complex64');
  (g64.tolist() as C[]).forEach((g, i) => near(g, WANT[i], 2e-6, `complex64 sinc(${Z[i].re}+${Z[i].im}j)`));
  // at an integer the real part reduces exactly: sinc(5 + 0j) is 0 (mpmath 5.4e-32; numpy's 3.9e-17)
  assert.deepEqual(np.sinc(np.array({ re: 5, im: 0 }, 'complex128')).item(), { re: 0, im: 0 });
});

test('complex sinc derivatives follow JAX conventions', () => {
  // mpmath diff: sinc'(0.3 + 0.4j)
  near(grad((z: any) => np.sinc(z), { holomorphic: true })(np.array({ re: 0.3, im: 0.4 }, 'complex128')).item() as C,
    { re: -1.3625233469972444, im: -1.1371213361293304 }, 1e-13, "sinc'(0.3+0.4j)");
  near(grad((z: any) => np.sinc(z), { holomorphic: true })(np.array({ re: 0, im: 0 }, 'complex128')).item() as C, { re: 0, im: 0 }, 0, "sinc'(0)");
  // C -> R: grad |sinc(z)| = d/dx - i d/dy, mpmath at 1e-3 + 2e-3j: d/dx -0.0032898605574522566, d/dy 0.006579764407803341
  const f = grad((z: any) => np.abs(np.sinc(z)));
  const want = { re: -0.0032898605574522566, im: -0.006579764407803341 };
  near(f(np.array({ re: 1e-3, im: 2e-3 }, 'complex128')).item() as C, want, 1e-12, 'grad |sinc|');
  const batched = jit(vmap(f))(np.array([{ re: 1e-3, im: 2e-3 }, { re: 1e-3, im: 2e-3 }], 'complex128')).tolist() as C[];
  near(batched[1], want, 1e-12, 'jit(vmap(grad |sinc|))');
});
