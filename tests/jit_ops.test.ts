// jit against eager over the op-spec table (tests/helpers/op_specs.ts: every differentiable
// primitive through the public surface): for each entry, in float64 and float32, at the
// entry's seeded point, jit(f) and jit(grad of sum(w * f)) give eager's bits (up to the sign of
// a zero, see tests/fuzz.test.ts), and so does grad(jit(...)) (transforms inline the program as
// traced, eager's rows). One trace per jitted function. The tolerances live in JIT_RTOL, as in
// tests/fuzz.test.ts: an FMA build that reorders would relax `exact` there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { np, jit, grad, NDArray } from 'cotangent';
import { SPECS, Spec, real } from './helpers/op_specs.ts';
import { Rng, seedOf, arr, f64, sizeOf, FloatDType } from './helpers/fd.ts';

const JIT_RTOL: Record<'exact', Record<FloatDType, number>> = {
  exact: { float32: 0, float64: 0 },
};

function matches(what: string, got: NDArray, want: NDArray, kind: keyof typeof JIT_RTOL): void {
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  assert.equal(got.dtype, want.dtype, `${what}: dtype`);
  const rtol = JIT_RTOL[kind][(want.dtype === 'float32' ? 'float32' : 'float64') as FloatDType];
  const g = f64(got), w = f64(want);
  for (let i = 0; i < w.length; i++) {
    const same = g[i] === w[i] || (Number.isNaN(g[i]) && Number.isNaN(w[i]));
    if (same) continue;
    if (!(Math.abs(g[i] - w[i]) <= rtol * Math.max(1, Math.abs(w[i])))) {
      assert.fail(`${what}: element ${i}: jit ${g[i]}, eager ${w[i]} (${kind}, rtol ${rtol})`);
    }
  }
}

function argsOf(spec: Spec, run: FloatDType): NDArray[] {
  const rng = new Rng(seedOf(`jit ${spec.name}`));
  const raw = spec.gen ? spec.gen(rng, spec.shapes) : spec.shapes.map((s, i) => {
    const d = Array.isArray(spec.domain) ? spec.domain[i] : spec.domain ?? real();
    return d(rng, sizeOf(s));
  });
  return raw.map((r, i) => arr(Float64Array.from(r, (v) => Math.fround(v)), spec.shapes[i], spec.dtypes?.[i] ?? run));
}

const specs = SPECS.filter((s) => !s.mutant);

test('the table is here: every entry of the op-spec table runs under jit', () => {
  assert.ok(specs.length > 100, `${specs.length} entries`);
});

for (const run of ['float64', 'float32'] as const) {
  test(`jit equals eager on every op-spec entry (${run}): value, jit(grad) bit for bit; grad(jit) to rounding`, () => {
    for (const spec of specs) {
      const what = `${spec.name} (${run})`;
      const args = argsOf(spec, run);
      const f = spec.f as (...a: NDArray[]) => NDArray;
      const jf = jit(f);
      const y = f(...args);
      matches(`${what}: value`, jf(...args), y, 'exact');
      const rng = new Rng(seedOf(`jit w ${spec.name}`));
      const W = arr(rng.normals(y.size), y.shape, y.dtype as FloatDType);
      const s = (...a: NDArray[]) => np.sum(np.multiply(f(...a), W));
      const argnums = args.map((_, i) => i);
      const ge: NDArray[] = grad(s, { argnums })(...args);
      const jg = jit(grad(s, { argnums }));
      const gj: NDArray[] = jg(...args);
      const gg: NDArray[] = grad((...a: NDArray[]) => np.sum(np.multiply(jf(...a), W)), { argnums })(...args);
      ge.forEach((g, i) => {
        matches(`${what}: jit(grad) ${i}`, gj[i], g, 'exact');
        matches(`${what}: grad(jit) ${i}`, gg[i], g, 'exact');
      });
      jf(...args); jg(...args);
      // one top-level trace (cached: the second call hits it), and one under grad (jit traces
      // again under a transform: its closure may hold that trace's tracers)
      assert.equal(jf.traceCount, 2, `${what}: jit(f) traced ${jf.traceCount} times`);
      assert.equal(jg.traceCount, 1, `${what}: jit(grad) traced ${jg.traceCount} times`);
    }
  });
}
