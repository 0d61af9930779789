// Probe CE: mutation testing of jit's tape optimizer (assembly/ad/optimize.ts), its fusion pass
// (assembly/ad/fuse.ts), donation (assembly/ad/donate.ts) and the replay's buffer liveness
// (assembly/ad/freeze.ts lastUses). Each test here fails on a mutant of those files that the
// existing suite let through, or pins a decision whose mutant would change a jitted value.
// References: plain-JS closed forms (Math.fround for float32), or eager where the mutated code is
// jit-only (optimize.ts, fuse.ts and donate.ts never run eagerly), compared bit for bit
// (Object.is: zero signs count; NaN equals NaN).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, jit, jvp, lax, linearize, NDArray } from '../ts/index.ts';

const show = (v: number) => (Object.is(v, -0) ? '-0' : String(v));
const vals = (a: NDArray): number[] => Array.from(a.dataSync() as ArrayLike<number>).map(Number);
function bits(what: string, got: NDArray, want: number[], shape?: number[]): void {
  if (shape) assert.deepEqual(got.shape, shape, `${what}: shape`);
  const g = vals(got);
  assert.equal(g.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const ok = Object.is(g[i], want[i]) || (Number.isNaN(g[i]) && Number.isNaN(want[i]));
    if (!ok) assert.fail(`${what}: element ${i}: jit ${show(g[i])}, want ${show(want[i])}`);
  }
}
function close(what: string, got: NDArray, want: number[], tol: number): void {
  const g = vals(got);
  assert.equal(g.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(g[i] - want[i]) <= tol * Math.max(1, Math.abs(want[i])))) assert.fail(`${what}: element ${i}: ${g[i]} vs ${want[i]}`);
  }
}
const f32 = (v: any, shape?: number[]) => np.array(v, shape ? { dtype: 'float32', shape } : { dtype: 'float32' });
const f64 = (v: any) => np.array(v, { dtype: 'float64' });
const F = Math.fround;

test('a closed-over constant [0, -0] is not "all zeros": x - c and x + c keep IEEE zero signs (isConstant compares bits)', () => {
  const c = f32([0, -0]), d = f32([-0, 0]);
  const x = f32([-0, -0]);
  // IEEE: -0 - 0 = -0, -0 - (-0) = +0; -0 + (-0) = -0, -0 + 0 = +0
  bits('x - [0, -0]', jit((v: NDArray) => np.subtract(v, c))(x), [-0, 0]);
  bits('x + [-0, 0]', jit((v: NDArray) => np.add(v, d))(x), [-0, 0]);
  bits('[-0, 0] + x', jit((v: NDArray) => np.add(d, v))(x), [-0, 0]);
  // a sign-mixed constant broadcast is not a fill of its first element
  const e = f32([-0, 0]);
  bits('x * bcast([-0, 0])', jit((v: NDArray) => np.multiply(v, np.broadcastTo(e, [3, 2])))(f32([1, 1, -1, -1, 2, 2], [3, 2])),
    [-0, 0, 0, -0, -0, 0]);
});

test('a loop beside a JVP of an equal-bodied loop over another operand is not merged with it (sameLoop compares operands)', () => {
  const S = (v: any) => lax.scan((c: any) => [np.sin(np.multiply(c, 1.1)), np.sum(c)], v, null, { length: 10 })[0];
  const L = (v: any) => lax.whileLoop((c: any) => np.less(c[0], 10), (c: any) => [np.add(c[0], 1), np.sin(np.multiply(c[1], 1.1))], [np.array(0, { dtype: 'int32' }), v])[1];
  const ref = (x0: number) => { let x = x0, d = 1; for (let s = 0; s < 10; s++) { d *= 1.1 * Math.cos(1.1 * x); x = Math.sin(1.1 * x); } return [x, d]; };
  const v = f64([0.3, 0.5]);
  for (const [name, G] of [['scan', S], ['while', L]] as const) {
    const g = (x: any) => { const [p, t] = jvp(G, [x], [np.onesLike(x)]); return [G(np.multiply(x, 2)), p, t, G(np.add(x, 0.25))]; };
    const [a, p, t, b] = jit(g)(v) as NDArray[];
    close(`${name}: G(2x)`, a, [ref(0.6)[0], ref(1.0)[0]], 1e-14);
    close(`${name}: primal`, p, [ref(0.3)[0], ref(0.5)[0]], 1e-14);
    close(`${name}: tangent`, t, [ref(0.3)[1], ref(0.5)[1]], 1e-13);
    close(`${name}: G(x + 0.25)`, b, [ref(0.55)[0], ref(0.75)[0]], 1e-14);
  }
});

test('a view read after its source\'s last direct reader keeps the source\'s buffer alive (lastUses through reshape)', () => {
  for (const [r, c] of [[40, 25], [256, 256]]) {
    const n = r * c;
    const xs = Array.from({ length: n }, (_, i) => Math.sin(0.37 * i + 0.1));
    const x = f32(xs, [r, c]);
    const f = (v: NDArray) => {
      const y = np.sin(v); // only a reshape reads y
      const z = np.reshape(y, [n]);
      const u = np.multiply(np.cos(v), 3); // a new buffer of y's size, allocated after y's last direct reader
      const w = np.reshape(u, [n]);
      return np.add(np.multiply(z, 2), w);
    };
    const want = xs.map((t) => { const xf = F(t); return F(F(F(Math.sin(xf)) * 2) + F(F(Math.cos(xf)) * 3)); });
    close(`${r}x${c}`, jit(f)(x), want, 1e-6);
    const g = (v: NDArray) => { const y = np.exp(v); const z = np.reshape(y, [c, r]); const u = np.negative(np.tanh(v)); return [np.transpose(z), u, np.sum(z)]; };
    const [zt, u] = jit(g)(x) as NDArray[];
    close(`${r}x${c} reshape kept`, zt, Array.from({ length: n }, (_, g) => Math.exp(F(xs[(g % c) * r + Math.floor(g / c)]))), 1e-6);
    close(`${r}x${c} tanh`, u, xs.map((t) => -Math.tanh(F(t))), 1e-6);
  }
});

test('fused chains over empty arrays and sums of them: the empty sum is +0, a chain over nothing is empty', () => {
  bits('sum(exp(x)) over [0]', jit((v: NDArray) => np.sum(np.exp(v)))(f32([])), [0]);
  bits('sum(exp(x), 0) over [0, 3]', jit((v: NDArray) => np.sum(np.multiply(np.exp(v), 2), { axis: 0 }))(np.zeros([0, 3])), [0, 0, 0], [3]);
  bits('sum(exp(x), 1) over [3, 0]', jit((v: NDArray) => np.sum(np.negative(np.exp(v)), { axis: 1 }))(np.zeros([3, 0])), [0, 0, 0], [3]);
  const e = jit((v: NDArray) => np.add(np.sin(v), 1))(np.zeros([2, 0]));
  assert.deepEqual(e.shape, [2, 0]);
});

test('a fused chain does not take in a row whose operand is complex (|z| * 2 + 1 equals eager bit for bit)', () => {
  const re = Array.from({ length: 1500 }, (_, i) => Math.sin(i) * 3), im = Array.from({ length: 1500 }, (_, i) => Math.cos(2 * i));
  const z = np.add(f32(re), np.multiply(f32(im), np.array({ re: 0, im: 1 } as any, { dtype: 'complex64' })));
  const f = (w: NDArray) => np.add(np.multiply(np.abs(w), 2), 1);
  const got = jit(f)(z), want = f(z);
  assert.equal(got.dtype, 'float32');
  bits('|z| * 2 + 1', got, vals(want));
  close('|z| * 2 + 1 vs hypot', got, re.map((a, i) => 2 * Math.hypot(F(a), F(im[i])) + 1), 1e-6);
});

test('a broadcast over split axes inside an elementwise chain: values of the closed form', () => {
  const a = Array.from({ length: 12 }, (_, i) => i - 5.5), b = Array.from({ length: 60 }, (_, i) => Math.cos(i));
  const x = f32(a, [3, 4]), y = f32(b, [3, 5, 4]);
  const f = (u: NDArray, v: NDArray) => np.multiply(np.sin(v), lax.broadcastInDim(np.exp(u), [3, 5, 4], [0, 2]));
  const want = b.map((t, g) => { const i = Math.floor(g / 20), k = g % 4; return F(F(Math.sin(F(t))) * F(Math.exp(F(a[i * 4 + k])))); });
  close('sin(y) * bcast(exp(x), (0, 2))', jit(f)(x, y), want, 2e-7);
});

test('donated input read by the last instruction of a fused chain (max, select, atan2): the bits of the call without donation', () => {
  const n = 1 << 16;
  const data = Float32Array.from({ length: n }, (_, i) => Math.sin(0.7 * i + 0.1) * 4);
  const mk = () => np.add(f32(data), 0);
  const fs: [string, (v: NDArray) => NDArray][] = [
    ['max(sin x, x)', (v) => np.maximum(np.sin(v), v)],
    ['where(x > 0, cos x, x)', (v) => np.where(np.greater(v, 0), np.cos(v), v)],
    ['atan2(sin x, x)', (v) => np.arctan2(np.sin(v), v)],
    ['x @ W', (v) => np.matmul(np.reshape(v, [256, 256]), np.reshape(np.flip(v), [256, 256]))],
  ];
  for (const [what, f] of fs) {
    const want = vals(jit(f)(mk()));
    bits(what, jit(f, { donateArgnums: 0 })(mk()), want);
  }
});

test('two linearization seeds of one shape stay apart under jit (f(t1) and f(t2) of one linearize)', () => {
  const x = f64([0.3, -1.2]);
  const g = (v: NDArray) => {
    const [, lin] = linearize((u: NDArray) => np.sin(np.multiply(u, u)), v) as any;
    return [lin(f64([1, 2])), lin(f64([-3, 0.5]))];
  };
  const [a, b] = jit(g)(x) as NDArray[];
  const d = [0.3, -1.2].map((t) => 2 * t * Math.cos(t * t));
  close('lin(t1)', a, [d[0] * 1, d[1] * 2], 1e-15);
  close('lin(t2)', b, [d[0] * -3, d[1] * 0.5], 1e-15);
});

test('sum of a broadcast: over a kept axis, or with an expanded size-1 axis, it is no multiplication by the count', () => {
  // y [2] -> [3, 2] summed over axis 1 (an axis of y's): [y0 + y1] * 3 rows
  bits('sum(bcast(y, [3, 2]), 1)', jit((v: NDArray) => np.sum(np.broadcastTo(v, [3, 2]), { axis: 1 }))(f32([1.25, 2])), [3.25, 3.25, 3.25], [3]);
  bits('sum(bcast(y, [2, 3, 2]), 2)', jit((v: NDArray) => np.sum(np.broadcastTo(v, [2, 3, 2]), { axis: 2 }))(f32([0.5, -4])), [-3.5, -3.5, -3.5, -3.5, -3.5, -3.5], [2, 3]);
  // y [1] -> [3, 2] (its one element expanded to 2) summed over axis 0: 3 y, of shape [2]
  bits('sum(bcast([y], [3, 2]), 0)', jit((v: NDArray) => np.sum(np.broadcastTo(v, [3, 2]), { axis: 0 }))(f32([1.5])), [4.5, 4.5], [2]);
  bits('sum(bcast(y[2,1], [2, 2, 3]), 0)', jit((v: NDArray) => np.sum(np.broadcastTo(v, [2, 2, 3]), { axis: 0 }))(f32([1, -2], [2, 1])), [2, 2, 2, -4, -4, -4], [2, 3]);
});
