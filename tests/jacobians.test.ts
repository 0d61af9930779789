// jacfwd, jacrev and hessian on non-square, multi-dimensional and pytree inputs and outputs,
// argnums lists and hasAux, in JAX's layout (out.shape ++ in.shape, the output's tree outside
// the arguments' tree). References: float64 central differences (5-point stencil) of the
// function evaluated eagerly, explicit loops of jvp (columns) and vjp (rows) over unit vectors,
// and closed forms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, tree, jvp, vjp, vmap, jacfwd, jacrev, hessian, hvp, NDArray, DTypeError, OutOfMemoryError } from 'cotangent';
import { Rng, assertClose, fdSecond, type Point } from './helpers/fd.js';

type T = any;
const rng = new Rng(0x1ac0b);
const rand = (shape: number[], scale = 1) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return np.array(Float64Array.from({ length: n }, () => scale * rng.normal()), { shape, dtype: 'float64' });
};
const vals = (x: NDArray) => Float64Array.from(x.dataSync() as ArrayLike<number>);
const leavesOf = (t: unknown) => tree.leaves(t as T).map((l) => (l instanceof NDArray ? l : np.array(l as number, { dtype: 'float64' })));
const withLeaves = (like: unknown, ls: NDArray[]) => tree.unflatten(tree.structure(like as T), ls);

/** Column c (over the differentiated leaves, flattened) of a one-hot tangent tree like `args`. */
function unitTrees(args: unknown[], c: number): unknown[] {
  let k = 0;
  return args.map((a) => withLeaves(a, leavesOf(a).map((l) => {
    const v = new Float64Array(l.size);
    if (c >= k && c < k + l.size) v[c - k] = 1;
    k += l.size;
    return np.array(v, { shape: l.shape, dtype: l.dtype });
  })));
}

/**
 * The Jacobian of g (a function of the differentiated arguments only) as one [M, N] matrix over
 * the flattened output and input leaves, three ways: float64 central differences, a loop of jvp
 * over the unit tangents (columns), a loop of vjp over the unit cotangents (rows).
 */
function references(g: (...a: unknown[]) => unknown, args: unknown[]) {
  const ins = args.flatMap(leavesOf), out = g(...args), outs = leavesOf(out);
  const N = ins.reduce((s, l) => s + l.size, 0), M = outs.reduce((s, l) => s + l.size, 0);
  const flatOut = (o: unknown) => {
    const v = new Float64Array(M);
    let k = 0;
    for (const l of leavesOf(o)) { v.set(vals(l), k); k += l.size; }
    return v;
  };
  const fd = new Float64Array(M * N), cols = new Float64Array(M * N), rows = new Float64Array(M * N);
  const x0 = ins.map(vals);
  for (let c = 0; c < N; c++) {
    const dir = unitTrees(args, c);
    // 5-point stencil, h = 1e-3: truncation ~h^4, rounding ~eps/h, both far below 1e-9
    const h = 1e-3, at = (t: number) => {
      let k = 0;
      const moved = args.map((a, i) => withLeaves(a, leavesOf(a).map((l, j) => {
        const d = vals(leavesOf(dir[i])[j]), v = Float64Array.from(x0[k++], (x, q) => x + t * d[q]);
        return np.array(v, { shape: l.shape, dtype: 'float64' });
      })));
      return flatOut(g(...moved));
    };
    const p1 = at(h), m1 = at(-h), p2 = at(2 * h), m2 = at(-2 * h);
    for (let r = 0; r < M; r++) fd[r * N + c] = (8 * (p1[r] - m1[r]) - (p2[r] - m2[r])) / (12 * h);
    const col = flatOut(jvp(g as T, args as T, dir as T)[1]);
    for (let r = 0; r < M; r++) cols[r * N + c] = col[r];
  }
  const [, pullback] = vjp(g as T, ...(args as T[]));
  for (let r = 0; r < M; r++) {
    let k = 0;
    const ct = withLeaves(out, outs.map((l) => {
      const v = new Float64Array(l.size);
      if (r >= k && r < k + l.size) v[r - k] = 1;
      k += l.size;
      return np.array(v, { shape: l.shape, dtype: 'float64' });
    }));
    const cts = (pullback as T)(ct) as unknown[];
    let c = 0;
    for (const l of cts.flatMap(leavesOf)) { rows.set(vals(l), r * N + c); c += l.size; }
  }
  return { ins, outs, M, N, fd, cols, rows };
}

/** The blocks of a JAX-layout Jacobian (leaves: every output leaf, then every input leaf) against the references. */
function checkJacobian(what: string, jac: unknown, ref: ReturnType<typeof references>) {
  const blocks = leavesOf(jac);
  assert.equal(blocks.length, ref.outs.length * ref.ins.length, `${what}: one block per (output leaf, input leaf)`);
  let r0 = 0, b = 0;
  for (const o of ref.outs) {
    let c0 = 0;
    for (const i of ref.ins) {
      const blk = blocks[b++];
      assert.deepEqual(blk.shape, [...o.shape, ...i.shape], `${what}: block shape is out.shape ++ in.shape`);
      const want = (m: Float64Array) => Float64Array.from({ length: o.size * i.size }, (_, q) => m[(r0 + Math.floor(q / i.size)) * ref.N + c0 + (q % i.size)]);
      const got = vals(blk);
      assertClose(`${what}: block [${o.shape}] x [${i.shape}] vs central differences`, got, want(ref.fd), { rtol: 1e-8 });
      assertClose(`${what}: block vs the loop of jvp`, got, want(ref.cols), { rtol: 1e-12 });
      assertClose(`${what}: block vs the loop of vjp`, got, want(ref.rows), { rtol: 1e-12 });
      c0 += i.size;
    }
    r0 += o.size;
  }
}

test('R^{2x3} -> R^{4x5}: jacfwd and jacrev give [4, 5, 2, 3], equal to differences and loops', () => {
  const C = rand([4, 5, 2, 3], 0.5), D = rand([4, 5, 2, 3], 0.5);
  const f = (x: T) => np.multiply(np.sin(np.tensordot(C, x, 2)), np.tensordot(D, np.square(x), 2));
  const x = rand([2, 3]);
  const ref = references(f, [x]);
  for (const jac of [jacfwd, jacrev]) {
    const J = jac(f)(x);
    assert.deepEqual(J.shape, [4, 5, 2, 3]);
    checkJacobian(jac.name, J, ref);
  }
});

test('non-square vectors both ways: R^3 -> R^7 and R^7 -> R^3', () => {
  for (const [n, m] of [[3, 7], [7, 3]]) {
    const W = rand([m, n]);
    const f = (x: T) => np.tanh(np.matmul(W, x));
    const x = rand([n]);
    const ref = references(f, [x]);
    for (const jac of [jacfwd, jacrev]) {
      const J = jac(f)(x);
      assert.deepEqual(J.shape, [m, n], `${jac.name} ${n} -> ${m}`);
      checkJacobian(`${jac.name} ${n} -> ${m}`, J, ref);
    }
  }
});

test('scalars: R -> R^3 gives [3], R^3 -> R gives [3], R -> R gives a scalar', () => {
  const a = rand([3]);
  const up = (t: T) => np.sin(np.multiply(a, t));
  const down = (x: T) => np.sum(np.exp(np.multiply(a, x)));
  const t = np.array(0.7, { dtype: 'float64' }), x = rand([3]);
  for (const jac of [jacfwd, jacrev]) {
    const Ju = jac(up)(t), Jd = jac(down)(x), Js = jac(np.sin)(t);
    assert.deepEqual(Ju.shape, [3]);
    assert.deepEqual(Jd.shape, [3]);
    assert.deepEqual(Js.shape, []);
    assertClose(`${jac.name} R -> R^3`, vals(Ju), vals(a).map((ai) => ai * Math.cos(ai * 0.7)), { rtol: 1e-14 });
    const xv = vals(x);
    assertClose(`${jac.name} R^3 -> R`, vals(Jd), vals(a).map((ai, i) => ai * Math.exp(ai * xv[i])), { rtol: 1e-14 });
    assertClose(`${jac.name} R -> R`, vals(Js), [Math.cos(0.7)], { rtol: 1e-15 });
  }
});

test('pytrees: dict and list inputs and outputs, JAX layout (output tree outside, input tree inside)', () => {
  const f = (p: T) => [
    { u: np.tanh(np.matmul(p.b[0], np.index(p.w, '0:2'))) },
    np.multiply(np.sum(np.multiply(p.w, p.w)), p.b[1]),
    np.outer(p.w, np.index(p.b[0], 0)),
  ];
  const p = { w: rand([3]), b: [rand([2, 2]), np.array(1.3, { dtype: 'float64' })] };
  const ref = references(f, [p]);
  for (const jac of [jacfwd, jacrev]) {
    const J = jac(f)(p);
    // out[0].u is [2]; the inputs are w [3], b[0] [2, 2], b[1] []
    assert.deepEqual(J[0].u.w.shape, [2, 3]);
    assert.deepEqual(J[0].u.b[0].shape, [2, 2, 2]);
    assert.deepEqual(J[0].u.b[1].shape, [2]);
    assert.deepEqual(J[1].w.shape, [3]);
    assert.deepEqual(J[1].b[1].shape, []);
    assert.deepEqual(J[2].b[0].shape, [3, 2, 2, 2]);
    checkJacobian(`${jac.name} of a pytree`, J, ref);
  }
});

test('argnums list: one Jacobian per chosen argument, the others held fixed; argnums [i] gives a one-element list', () => {
  const f = (x: T, c: T, z: T) => np.add(np.multiply(x, np.sum(np.sin(z))), np.multiply(c, np.exp(np.index(z, 0, 1))));
  const x = rand([3]), c = rand([3]), z = rand([2, 2]);
  const ref = references((a: T, b: T) => f(a, c, b), [x, z]);
  for (const jac of [jacfwd, jacrev]) {
    const J = jac(f, { argnums: [0, 2] })(x, c, z);
    assert.ok(Array.isArray(J) && J.length === 2, `${jac.name}: a list of two`);
    assert.deepEqual(J[0].shape, [3, 3]);
    assert.deepEqual(J[1].shape, [3, 2, 2]);
    checkJacobian(`${jac.name} argnums [0, 2]`, J, ref);
    const one = jac(f, { argnums: [2] })(x, c, z);
    assert.ok(Array.isArray(one) && one.length === 1, `${jac.name}: argnums [2] gives a list of one`);
    assertClose(`${jac.name} argnums [2]`, vals(one[0]), vals(J[1]), { rtol: 0 });
  }
});

test('hasAux: [jacobian, aux], aux a concrete pytree computed once at the primal point', () => {
  const A = rand([4, 3]);
  const f = (x: T) => {
    const y = np.tanh(np.matmul(A, x));
    return [y, { y, norm: np.sum(np.square(x)), note: [np.max(y)] }];
  };
  const x = rand([3]);
  const ref = references((v: T) => f(v)[0], [x]);
  for (const jac of [jacfwd, jacrev]) {
    const [J, aux] = jac(f, { hasAux: true })(x);
    checkJacobian(`${jac.name} hasAux`, J, ref);
    const y = np.tanh(np.matmul(A, x));
    assert.deepEqual(aux.y.shape, [4], `${jac.name}: aux is per point, not batched`);
    assertClose(`${jac.name}: aux.y`, vals(aux.y), vals(y), { rtol: 0 });
    assert.equal(aux.norm.item(), np.sum(np.square(x)).item());
    assert.equal(aux.note[0].item(), np.max(y).item());
  }
  // hessian with hasAux: [H, aux]
  const g = (v: T) => [np.sum(np.exp(v)), np.multiply(2, v)];
  const [H, aux] = hessian(g, { hasAux: true })(x);
  const ex = vals(x).map(Math.exp);
  assertClose('hessian hasAux: H', vals(H), Float64Array.from({ length: 9 }, (_, q) => (q % 4 === 0 ? ex[q / 4] : 0)), { rtol: 1e-14 });
  assertClose('hessian hasAux: aux', vals(aux), vals(x).map((v) => 2 * v), { rtol: 0 });
});

test('hessian of a non-scalar output: R^3 -> R^{2x2} gives [2, 2, 3, 3], equal to mixed differences', () => {
  const K = rand([2, 2, 3]);
  const f = (x: T) => np.multiply(np.sin(np.tensordot(K, x, 1)), np.sum(np.square(x)));
  const x = rand([3]);
  const H = hessian(f)(x);
  assert.deepEqual(H.shape, [2, 2, 3, 3]);
  const pt: Point = { values: [vals(x)], shapes: [[3]] };
  const e = (j: number) => [Float64Array.from({ length: 3 }, (_, q) => (q === j ? 1 : 0))];
  const want = new Float64Array(36);
  for (let o = 0; o < 4; o++) {
    const fo = (v: NDArray) => np.index(np.ravel(f(v)), o);
    for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) want[o * 9 + j * 3 + k] = fdSecond(fo, pt, e(j), e(k));
  }
  assertClose('hessian [2,2,3,3] vs mixed central differences', vals(H), want, { rtol: 1e-7 });
  // the other compositions agree
  for (const [name, h] of [['jacrev(jacrev)', jacrev(jacrev(f))], ['jacfwd(jacfwd)', jacfwd(jacfwd(f))], ['jacrev(jacfwd)', jacrev(jacfwd(f))]] as const) {
    assertClose(`${name} == hessian`, vals(h(x)), vals(H), { rtol: 1e-12 });
  }
});

test('hessian over a dict and over argnums [0, 1]: blocks H[a][b] with shape a.shape ++ b.shape', () => {
  const f = (p: T) => np.add(np.sum(np.multiply(np.sin(p.a), np.index(p.b, 0))), np.multiply(np.sum(np.square(p.a)), np.sum(np.exp(p.b))));
  const p = { a: rand([2, 2]), b: rand([3, 2]) };
  const H = hessian(f)(p);
  assert.deepEqual(H.a.a.shape, [2, 2, 2, 2]);
  assert.deepEqual(H.a.b.shape, [2, 2, 3, 2]);
  assert.deepEqual(H.b.a.shape, [3, 2, 2, 2]);
  assert.deepEqual(H.b.b.shape, [3, 2, 3, 2]);
  // every block against mixed differences of f in the flattened coordinates (a first, then b)
  const pt: Point = { values: [vals(p.a), vals(p.b)], shapes: [[2, 2], [3, 2]] };
  const g = (a: NDArray, b: NDArray) => f({ a, b });
  const unit = (c: number) => [Float64Array.from({ length: 4 }, (_, q) => (q === c ? 1 : 0)), Float64Array.from({ length: 6 }, (_, q) => (q === c - 4 ? 1 : 0))];
  const blocks: [NDArray, number, number][] = [[H.a.a, 0, 0], [H.a.b, 0, 4], [H.b.a, 4, 0], [H.b.b, 4, 4]];
  for (const [blk, r0, c0] of blocks) {
    const n = blk.shape.slice(2).reduce((s, d) => s * d, 1), m = blk.size / n;
    const want = Float64Array.from({ length: blk.size }, (_, q) => fdSecond(g as T, pt, unit(r0 + Math.floor(q / n)), unit(c0 + (q % n))));
    assertClose(`hessian block [${blk.shape}] (${m} x ${n})`, vals(blk), want, { rtol: 1e-7 });
  }
  // the same Hessian with the two leaves as separate arguments
  const H2 = hessian((a: T, b: T) => f({ a, b }), { argnums: [0, 1] })(p.a, p.b);
  assertClose('argnums [0, 1]: H[0][1] == H.a.b', vals(H2[0][1]), vals(H.a.b), { rtol: 0 });
  assertClose('argnums [0, 1]: H[1][0] == H.b.a', vals(H2[1][0]), vals(H.b.a), { rtol: 0 });
  // symmetric: H.a.b is H.b.a with the axis groups swapped
  assertClose('H.a.b == H.b.a^T', vals(H.a.b), vals(np.transpose(H.b.a, [2, 3, 0, 1])), { rtol: 1e-12 });
  // hvp(f)(p, v) == the Hessian applied to v
  const v = { a: rand([2, 2]), b: rand([3, 2]) };
  const hv = hvp(f)(p, v);
  const Hv = (x: NDArray, y: NDArray, nd: number) => np.tensordot(x, y, nd);
  assertClose('hvp.a', vals(hv.a), vals(np.add(Hv(H.a.a, v.a, 2), Hv(H.a.b, v.b, 2))), { rtol: 1e-12 });
  assertClose('hvp.b', vals(hv.b), vals(np.add(Hv(H.b.a, v.a, 2), Hv(H.b.b, v.b, 2))), { rtol: 1e-12 });
});

test('vmap of jacfwd and jacrev equals the loop over the batch', () => {
  const W = rand([5, 3]);
  const f = (x: T) => np.sin(np.matmul(W, np.square(x)));
  const xs = rand([4, 3]);
  for (const jac of [jacfwd, jacrev, hessian]) {
    const batched = vmap(jac(f))(xs);
    const loop = np.stack([...xs].map((x) => jac(f)(x)));
    assert.deepEqual(batched.shape, loop.shape, `vmap(${jac.name})`);
    assertClose(`vmap(${jac.name}) == loop`, vals(batched), vals(loop), { rtol: 1e-13 });
  }
});

test('float32 in, float32 out; integer arguments are a DTypeError naming the argument', () => {
  const f = (x: T) => np.tanh(x);
  const J = jacrev(f)(np.array([0.1, 0.2]));
  assert.equal(J.dtype, 'float32');
  assert.equal(jacfwd(f)(np.array([0.1, 0.2])).dtype, 'float32');
  for (const jac of [jacfwd, jacrev]) {
    assert.throws(() => jac(f)(np.array([1, 2], { dtype: 'int32' })), (e: unknown) => e instanceof DTypeError && /argument 0/.test((e as Error).message));
  }
});

test('the checker fails on a transposed Jacobian (jax-js 0.1.25\'s jacfwd layout) and on one perturbed entry', () => {
  const W = rand([3, 3]);
  const f = (x: T) => np.tanh(np.matmul(W, x));
  const x = rand([3]);
  const ref = references(f, [x]);
  const J = jacrev(f)(x);
  checkJacobian('as computed', J, ref);
  assert.throws(() => checkJacobian('transposed', np.transpose(J), ref), /vs central differences/);
  const bumped = np.add(J, np.array(Float64Array.from({ length: 9 }, (_, q) => (q === 5 ? 1e-6 : 0)), { shape: [3, 3], dtype: 'float64' }));
  assert.throws(() => checkJacobian('one entry off by 1e-6', bumped, ref), /element 5/);
});

test('the standard basis: the Jacobian of the identity on a pytree is the identity, block by block', () => {
  const p = { a: rand([2, 3, 4]), b: [rand([5]), np.array(2, { dtype: 'float64' })] };
  const n = 24 + 5 + 1;
  const eye = (k: number) => Float64Array.from({ length: k * k }, (_, q) => (Math.floor(q / k) === q % k ? 1 : 0));
  for (const jac of [jacfwd, jacrev]) {
    const J = jac((q: T) => q)(p);
    assertClose(`${jac.name}: d a / d a`, vals(J.a.a), eye(24), { rtol: 0 });
    assertClose(`${jac.name}: d b0 / d b0`, vals(J.b[0].b[0]), eye(5), { rtol: 0 });
    assertClose(`${jac.name}: d b1 / d b1`, vals(J.b[1].b[1]), [1], { rtol: 0 });
    for (const off of [J.a.b[0], J.a.b[1], J.b[0].a, J.b[0].b[1], J.b[1].a]) {
      assert.equal(np.max(np.abs(off)).item(), 0, `${jac.name}: off-diagonal blocks are zero`);
    }
    assert.equal(leavesOf(J).reduce((s, l) => s + l.size, 0), n * n);
  }
});

test('an integer output is a DTypeError in both modes (JAX: jacfwd/jacrev require real-valued outputs); the next call works', () => {
  const f = (x: T) => [np.sin(x), np.array([1], { dtype: 'int32' })];
  const x = rand([3]);
  for (const jac of [jacfwd, jacrev]) {
    assert.throws(() => jac(f)(x), (e: unknown) => e instanceof DTypeError && /output 1 is int32\[1\]/.test((e as Error).message), jac.name);
    assertClose(`${jac.name} after the error`, vals(jac(np.sin)(x)), vals(np.diag(np.cos(x))), { rtol: 1e-15 });
  }
});

test('a Jacobian too large for memory is an OutOfMemoryError naming the transform and its basis (it named only "iota()")', () => {
  const x = np.linspace(0, 1, 40000); // a 40000 x 40000 Jacobian: 6.4 GB in float32
  for (const [name, t] of [['jacrev', jacrev], ['jacfwd', jacfwd], ['hessian', hessian]] as const) {
    const f = name === 'hessian' ? (v: any) => np.sum(np.sin(v)) : (v: any) => np.sin(v);
    assert.throws(() => (t as any)(f)(x), (e: any) => e instanceof OutOfMemoryError
      && e.message.startsWith(`${name}: one batched pass over the 40000 basis vectors of its ${name === 'jacrev' ? 'outputs' : 'inputs'} (float32[40000])`)
      && /jvp or vjp/.test(e.message), name);
  }
  assert.throws(() => jacrev((v: any) => np.sin(v))(x), /the Jacobian has 1600000000 entries/);
  // and the next call works
  assert.deepEqual(jacrev((v: any) => np.square(v))(np.array([1, 2])).tolist(), [[2, 0], [0, 4]]);
});
