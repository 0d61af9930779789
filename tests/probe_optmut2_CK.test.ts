// Probe CK: mutation testing of jit's tape optimizer (assembly/ad/optimize.ts), fusion
// (assembly/ad/fuse.ts), donation (assembly/ad/donate.ts) and the replay's buffer liveness
// (assembly/ad/freeze.ts), continuing tests/probe_optmut_CE.test.ts. Each test fails on a mutant of
// those files that the rest of the suite let through (see the report), or pins a decision whose
// mutant would change a jitted value. References: plain-JS closed forms (Math.fround for float32,
// IEEE complex products written out), compared bit for bit (Object.is: zero signs count).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, jit, jvp, lax, NDArray } from '../ts/index.ts';

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
function close(what: string, got: NDArray, want: number[], tol: number, shape?: number[]): void {
  if (shape) assert.deepEqual(got.shape, shape, `${what}: shape`);
  const g = vals(got);
  assert.equal(g.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(g[i] - want[i]) <= tol * Math.max(1, Math.abs(want[i])))) assert.fail(`${what}: element ${i}: ${g[i]} vs ${want[i]}`);
  }
}
const f32 = (v: any, shape?: number[]) => np.array(v, shape ? { dtype: 'float32', shape } : { dtype: 'float32' });
const f64 = (v: any, shape?: number[]) => np.array(v, shape ? { dtype: 'float64', shape } : { dtype: 'float64' });
const F = Math.fround;

test('complex fills are no identities: z * full(1) and z + full(-0) of complex128 keep IEEE complex results (inf -> NaN, -0 -> +0)', () => {
  // (more than 65,536 elements: the fill stays a row and is not folded into a constant)
  const n = 70000;
  const re = new Float64Array(n), im = new Float64Array(n);
  const sp: [number, number][] = [[Infinity, 0], [-0, -0], [1, -0], [-0, 2], [NaN, 1], [-2.5, -Infinity]];
  sp.forEach(([a, b], i) => { re[i] = a; im[i] = b; });
  for (let i = sp.length; i < n; i++) { re[i] = Math.sin(i); im[i] = Math.cos(3 * i); }
  const z = lax.complex(f64(re), f64(im));
  // (a + bi)(1 + 0i) = (a*1 - b*0) + (a*0 + b*1)i ; (a + bi) + (-0 + 0i) = (a + -0) + (b + 0)i
  const mulWant: number[] = [], addWant: number[] = [];
  for (let i = 0; i < 8; i++) {
    const a = re[i], b = im[i];
    mulWant.push(a * 1 - b * 0, a * 0 + b * 1);
    addWant.push(a + -0, b + 0);
  }
  const m = jit((v: NDArray) => np.multiply(v, lax.full(v.shape, 1, 'complex128')))(z);
  assert.deepEqual(vals(m).slice(0, 16).map(show), mulWant.map(show), 'z * full(1 + 0i): first elements');
  const a = jit((v: NDArray) => np.add(v, lax.full(v.shape, -0, 'complex128')))(z);
  assert.deepEqual(vals(a).slice(0, 16).map(show), addWant.map(show), 'z + full(-0 + 0i): first elements');
  const l = jit((v: NDArray) => np.multiply(lax.full(v.shape, 1, 'complex128'), v))(z);
  assert.deepEqual(vals(l).slice(0, 16).map(show), mulWant.map(show), 'full(1 + 0i) * z: first elements');
});

test('two small closed-over constants of one shape and dtype but different values stay two constants', () => {
  const c1 = f32([1, 2, 3]), c2 = f32([4, 5, 6]), c3 = f32([1, 2, 3.5]);
  const x = f32([0.5, -1, 2]);
  const [a, b, c] = jit((v: NDArray) => [np.add(v, c1), np.multiply(v, c2), np.subtract(v, c3)])(x) as NDArray[];
  bits('x + [1, 2, 3]', a, [1.5, 1, 5]);
  bits('x * [4, 5, 6]', b, [2, -5, 12]);
  bits('x - [1, 2, 3.5]', c, [-0.5, -3, -1.5]);
  const i1 = np.array([7, 8], { dtype: 'int32' }), i2 = np.array([9, 10], { dtype: 'int32' });
  const [p, q] = jit((v: NDArray) => [np.add(v, i1), np.add(v, i2)])(np.array([1, 1], { dtype: 'int32' })) as NDArray[];
  bits('i + [7, 8]', p, [8, 9]);
  bits('i + [9, 10]', q, [10, 11]);
});

function permute(data: number[], shape: number[], perm: number[]): { data: number[]; shape: number[] } {
  const nd = shape.length, out = perm.map((p) => shape[p]);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((s, d) => s * d, 1));
  const res: number[] = [];
  const idx = new Array(nd).fill(0);
  const total = data.length;
  for (let g = 0; g < total; g++) {
    let rem = g;
    for (let i = nd - 1; i >= 0; i--) { idx[i] = rem % out[i]; rem = Math.floor(rem / out[i]); }
    let src = 0;
    for (let i = 0; i < nd; i++) src += idx[i] * strides[perm[i]];
    res.push(data[src]);
  }
  return { data: res, shape: out };
}

test('a transpose of a transpose is one transpose by the composed permutation (p1[p2[i]], not p2[p1[i]])', () => {
  const shape = [2, 3, 4, 5];
  const data = Array.from({ length: 120 }, (_, i) => i);
  const x = f32(data, shape);
  const pairs: [number[], number[]][] = [[[1, 0, 2, 3], [0, 2, 1, 3]], [[2, 0, 3, 1], [1, 3, 0, 2]], [[3, 2, 1, 0], [1, 2, 3, 0]], [[0, 3, 1, 2], [2, 0, 1, 3]]];
  for (const [p1, p2] of pairs) {
    const t1 = permute(data, shape, p1), t2 = permute(t1.data, t1.shape, p2);
    const got = jit((v: NDArray) => np.transpose(np.transpose(np.sin(v), p1), p2))(x);
    const want = t2.data.map((v) => F(Math.sin(v)));
    close(`transpose(transpose(x, [${p1}]), [${p2}])`, got, want, 2e-7, t2.shape);
  }
});

test('a reshape that only adds or drops size-1 axes is no identity: the result has the new shape', () => {
  const data = [1, 2, 3, 4, 5, 6];
  const x = f32(data, [2, 3]);
  bits('reshape([2, 3] -> [2, 3, 1])', jit((v: NDArray) => np.reshape(np.sin(v), [2, 3, 1]))(x), data.map((v) => F(Math.sin(v))), [2, 3, 1]);
  bits('reshape(reshape([2, 3] -> [6]) -> [2, 3, 1])', jit((v: NDArray) => np.reshape(np.reshape(np.sin(v), [6]), [2, 3, 1]))(x), data.map((v) => F(Math.sin(v))), [2, 3, 1]);
  bits('reshape(reshape([2, 3] -> [3, 2]) -> [2, 3, 1, 1])', jit((v: NDArray) => np.reshape(np.reshape(np.sin(v), [3, 2]), [2, 3, 1, 1]))(x), data.map((v) => F(Math.sin(v))), [2, 3, 1, 1]);
  const y = f32(data, [2, 3, 1]);
  bits('reshape([2, 3, 1] -> [2, 3])', jit((v: NDArray) => np.reshape(np.cos(v), [2, 3]))(y), data.map((v) => F(Math.cos(v))), [2, 3]);
  bits('reshape(reshape([2, 3, 1] -> [6]) -> [2, 3])', jit((v: NDArray) => np.reshape(np.reshape(np.cos(v), [6]), [2, 3]))(y), data.map((v) => F(Math.cos(v))), [2, 3]);
  // the shape seen by what follows: a broadcasting add against [2, 3, 4]
  const z = jit((v: NDArray) => np.add(np.reshape(v, [2, 3, 1]), np.zeros([2, 3, 4], { dtype: 'float32' })))(x);
  bits('reshape then broadcast', z, data.flatMap((v) => [v, v, v, v]), [2, 3, 4]);
});

test('a loop twin that reads the loop it would replace is not used for it: jvp(G, [x], [G(x)]) beside G(x)', () => {
  const S = (v: any) => lax.scan((c: any) => [np.sin(np.multiply(c, 1.1)), np.sum(c)], v, null, { length: 8 })[0];
  const L = (v: any) => lax.whileLoop((c: any) => np.less(c[0], 8), (c: any) => [np.add(c[0], 1), np.sin(np.multiply(c[1], 1.1))], [np.array(0, { dtype: 'int32' }), v])[1];
  const ref = (x0: number) => { let x = x0, d = 1; for (let s = 0; s < 8; s++) { d *= 1.1 * Math.cos(1.1 * x); x = Math.sin(1.1 * x); } return [x, d]; };
  const xs = [0.3, -0.7, 1.2];
  const v = f64(xs);
  for (const [name, G] of [['scan', S], ['while', L]] as const) {
    const g = (x: any) => { const a = G(x); const [p, t] = jvp(G, [x], [a]); return [a, p, t]; };
    const [a, p, t] = jit(g)(v) as NDArray[];
    close(`${name}: G(x)`, a, xs.map((x) => ref(x)[0]), 1e-14);
    close(`${name}: primal`, p, xs.map((x) => ref(x)[0]), 1e-14);
    close(`${name}: tangent along G(x)`, t, xs.map((x) => ref(x)[1] * ref(x)[0]), 1e-13);
    const h = (x: any) => { const [p2, t2] = jvp(G, [x], [np.multiply(G(x), 2)]); return [p2, t2, G(x)]; };
    const [p2, t2, a2] = jit(h)(v) as NDArray[];
    close(`${name}: primal (seed 2 G(x))`, p2, xs.map((x) => ref(x)[0]), 1e-14);
    close(`${name}: tangent along 2 G(x)`, t2, xs.map((x) => 2 * ref(x)[1] * ref(x)[0]), 1e-13);
    close(`${name}: G(x) after`, a2, xs.map((x) => ref(x)[0]), 1e-14);
  }
});

test('a closed-over constant in a loop body is read at every step (its buffer is never handed to another row)', () => {
  const K = f32([0.5, -1.25, 2, 0.75, -0.5, 1.5, 3, -2]);
  const ks = vals(K);
  const body = (c: NDArray) => { const y = np.multiply(c, K); const w = np.add(np.sin(y), K); return np.tanh(np.multiply(w, 0.5)); };
  const ref = (c0: number[]) => {
    let c = c0.map(F);
    for (let s = 0; s < 6; s++) c = c.map((v, i) => F(Math.tanh(F(F(F(Math.sin(F(v * ks[i]))) + ks[i]) * 0.5))));
    return c;
  };
  const x0 = [0.1, 0.2, -0.3, 0.4, 0.5, -0.6, 0.7, 0.8];
  const scan = jit((v: NDArray) => lax.scan((c: any) => [body(c), np.sum(c)], v, null, { length: 6 })[0]);
  close('scan', scan(f32(x0)), ref(x0), 3e-6);
  close('foriLoop', jit((v: NDArray) => lax.foriLoop(0, 6, (_: any, c: any) => body(c), v))(f32(x0)), ref(x0), 3e-6);
  const wh = jit((v: NDArray) => lax.whileLoop((c: any) => np.less(c[0], 6), (c: any) => [np.add(c[0], 1), body(c[1])], [np.array(0, { dtype: 'int32' }), v])[1]);
  close('whileLoop', wh(f32(x0)), ref(x0), 3e-6);
});

test('a chain of fills only, too big to fold: its values (fill + fill, fill * 2 + fill)', () => {
  const n = 300;
  const f = (v: NDArray) => [np.add(lax.full([n, n], 1.5, 'float32'), lax.full([n, n], 2, 'float32')),
    np.add(np.multiply(lax.full([n, n], -0.25, 'float64'), 2), lax.full([n, n], 4, 'float64')), np.sin(v)];
  const [a, b, s] = jit(f)(f32([0.5])) as NDArray[];
  assert.deepEqual(a.shape, [n, n]);
  const av = vals(a), bv = vals(b);
  assert.equal(av.length, n * n);
  assert.ok(av.every((v) => v === 3.5), `fill + fill: ${av.find((v) => v !== 3.5)}`);
  assert.ok(bv.every((v) => v === 3.5), `fill * 2 + fill: ${bv.find((v) => v !== 3.5)}`);
  bits('sin', s, [F(Math.sin(0.5))]);
});

test('a view of a view (reshape of stop_gradient) keeps the first source alive past its later direct reader (lastUses walks chains backward)', () => {
  for (const [r, c] of [[40, 25], [256, 256]]) {
    const n = r * c;
    const xs = Array.from({ length: n }, (_, i) => Math.sin(0.37 * i + 0.1));
    const f = (v: NDArray) => {
      const y = np.sin(v);
      const z = np.reshape(lax.stopGradient(y), [n]); // read last, at the end
      const d = np.multiply(y, 2); // y's last direct reader, after the views
      const u = np.multiply(np.cos(v), 3); // a new buffer of y's size, after d
      return [np.add(np.multiply(z, 2), np.reshape(u, [n])), d];
    };
    const [h, d] = jit(f)(f32(xs, [r, c])) as NDArray[];
    close(`${r}x${c}: 2 sin x + 3 cos x`, h, xs.map((t) => { const xf = F(t); return F(F(F(Math.sin(xf)) * 2) + F(F(Math.cos(xf)) * 3)); }), 1e-6);
    close(`${r}x${c}: 2 sin x`, d, xs.map((t) => F(F(Math.sin(F(t))) * 2)), 1e-6);
  }
});

test('a closed-over constant in a loop body read before a new buffer of its size: the next steps still read it', () => {
  for (const n of [8, 64, 300]) {
    const ks = Array.from({ length: n }, (_, i) => F(Math.cos(i) * 2));
    const K = f32(ks);
    // the fused sin(c * K) + K is K's last reader in the body; the cumsum after it takes a new buffer of K's size
    const body = (c: NDArray) => np.multiply(np.cumsum(np.add(np.sin(np.multiply(c, K)), K)), 0.125);
    const x0 = Array.from({ length: n }, (_, i) => Math.sin(i));
    const ref = (c0: number[]) => {
      let c = c0.map(F);
      for (let s = 0; s < 5; s++) {
        let acc = 0;
        c = c.map((v, i) => { acc = F(acc + F(F(Math.sin(F(v * ks[i]))) + ks[i])); return F(acc * 0.125); });
      }
      return c;
    };
    const want = ref(x0);
    close(`scan over ${n}`, jit((v: NDArray) => lax.scan((c: any) => [body(c), np.sum(c)], v, null, { length: 5 })[0])(f32(x0)), want, 1e-4);
    close(`whileLoop over ${n}`, jit((v: NDArray) => lax.whileLoop((c: any) => np.less(c[0], 5), (c: any) => [np.add(c[0], 1), body(c[1])], [np.array(0, { dtype: 'int32' }), v])[1])(f32(x0)), want, 1e-4);
  }
});

test('donated input read by the last instruction of a fused chain, for every fusible binary op: the values of the call without donation', () => {
  const n = 1 << 16;
  const data = Float32Array.from({ length: n }, (_, i) => Math.sin(0.7 * i + 0.1) * 4);
  const idata = Int32Array.from({ length: n }, (_, i) => ((i * 2654435761) | 0) % 1000 + 1);
  const mk = () => f32(data), mki = () => np.array(idata, { dtype: 'int32' });
  const g = (v: NDArray) => np.add(np.sin(v), f32(0.5));
  const gi = (v: NDArray) => np.add(np.bitwiseAnd(v, np.array(7, { dtype: 'int32' })), np.array(1, { dtype: 'int32' }));
  const fs: [string, (v: NDArray) => NDArray, () => NDArray][] = [];
  const bin: [string, (a: NDArray, b: NDArray) => NDArray][] = [['pow', (a, b) => np.power(np.abs(a), b)], ['rem', (a, b) => np.remainder(a, b)],
    ['max', np.maximum], ['min', np.minimum], ['atan2', np.arctan2], ['hypot', np.hypot]];
  for (const [name, op] of bin) {
    fs.push([`${name}(g(x), x)`, (v) => op(g(v), v), mk], [`${name}(x, g(x))`, (v) => op(v, g(v)), mk]);
  }
  const ibin: [string, (a: NDArray, b: NDArray) => NDArray][] = [['rem', (a, b) => np.remainder(a, b)], ['max', np.maximum], ['min', np.minimum],
    ['shl', (a, b) => np.leftShift(a, np.bitwiseAnd(b, np.array(15, { dtype: 'int32' })))], ['shr', (a, b) => np.rightShift(a, np.bitwiseAnd(b, np.array(15, { dtype: 'int32' })))],
    ['and', np.bitwiseAnd], ['or', np.bitwiseOr], ['xor', np.bitwiseXor]];
  for (const [name, op] of ibin) {
    fs.push([`int ${name}(g(x), x)`, (v) => op(gi(v), v), mki], [`int ${name}(x, g(x))`, (v) => op(v, gi(v)), mki]);
  }
  fs.push(['where(x > 1, x, g(x))', (v) => np.where(np.greater(v, 1), v, g(v)), mk]);
  for (const [what, f, mkx] of fs) {
    const want = vals(jit(f)(mkx()));
    const got = vals(jit(f, { donateArgnums: 0 })(mkx()));
    for (let i = 0; i < n; i++) if (!Object.is(got[i], want[i]) && !(Number.isNaN(got[i]) && Number.isNaN(want[i]))) assert.fail(`${what}: element ${i}: donated ${got[i]}, not donated ${want[i]}`);
  }
});
