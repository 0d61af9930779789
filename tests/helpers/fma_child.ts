// Run by tests/fma.test.ts in a child Node, with or without --experimental-wasm-relaxed-simd:
// imports a cotangent entry (argv[2], default the package's own `cotangent`, which loads its
// wasm by itself) and prints one JSON line. Mode (argv[3]) `build`: the build loaded and what
// this host validates; `all`: also the results of tests/helpers/fma_cases.ts's cases.
import { readFileSync } from 'node:fs';
import { PRODUCTS, FUSED, MLP, LINALG_N, productInputs, fusedInputs, linalgInputs, values, type Dtype } from './fma_cases.ts';
import { relaxedSimdSupported } from '../../ts/loader.ts';

const [entry = 'cotangent', mode = 'all'] = process.argv.slice(2);
const api: typeof import('cotangent') = await import(entry);
const { np, lax, grad, jit } = api;

const dist = (f: string) => readFileSync(new URL(`../../dist/${f}`, import.meta.url));
const out: Record<string, unknown> = {
  build: api.wasmBuild(),
  probe: relaxedSimdSupported(),
  // Whole modules, as a control of the probe: the FMA build validates exactly where relaxed SIMD compiles.
  validatesFma: WebAssembly.validate(dist('cotangent-fma.wasm')),
  validatesPlain: WebAssembly.validate(dist('cotangent.wasm')),
};

/** a @ b (or a @ b^T with nt), batched over a leading axis when batch > 1. */
function product(dtype: Dtype, batch: number, m: number, k: number, n: number, nt: boolean, a: Float64Array, b: Float64Array, tn = false) {
  const lead = batch > 1 ? [batch] : [];
  if (tn) { // a stored k x m, contracted on its first axis (batch 1)
    return lax.dotGeneral(np.array(a, { shape: [k, m], dtype }), np.array(b, { shape: [k, n], dtype }), [[[0], [0]], [[], []]]);
  }
  const x = np.array(a, { shape: [...lead, m, k], dtype });
  const y = np.array(b, { shape: nt ? [...lead, n, k] : [...lead, k, n], dtype });
  if (!nt) return np.matmul(x, y);
  const r = lead.length;
  return lax.dotGeneral(x, y, [[[r + 1], [r + 1]], batch > 1 ? [[0], [0]] : [[], []]]);
}

if (mode === 'all') {
  out.products = PRODUCTS.map((c, i) => {
    const { a, b } = productInputs(c, 1000 + i);
    return Array.from(product(c.dtype, c.batch, c.m, c.k, c.n, c.nt, a, b, c.tn).dataSync() as Float32Array);
  });
  // The distinct values of each output (every element should hold the same one).
  out.fused = FUSED.map((f) => {
    const { a, b } = fusedInputs(f);
    return [...new Set(product(f.dtype, 1, f.m, f.k, f.n, f.nt, a, b).dataSync() as Float32Array)].sort((u, v) => u - v);
  });
  for (const dtype of ['float32', 'float64'] as const) {
    const { a, b } = linalgInputs(dtype), n = LINALG_N;
    const A = np.array(a, { shape: [n, n], dtype });
    out[`cholesky_${dtype}`] = Array.from(api.linalg.cholesky(A).dataSync() as Float32Array);
    out[`solve_${dtype}`] = Array.from(api.linalg.solve(A, np.array(b, { shape: [n, 3], dtype })).dataSync() as Float32Array);
  }
  const { din, dh, dout, batch } = MLP;
  for (const dtype of ['float32', 'float64'] as const) {
    const arr = (len: number, seed: number, shape: number[], scale: number) =>
      np.array(values(len, seed, dtype).map((v) => v * scale), { shape, dtype });
    const params = {
      W1: arr(din * dh, 11, [din, dh], 0.2), b1: arr(dh, 12, [dh], 0.1),
      W2: arr(dh * dout, 13, [dh, dout], 0.3), b2: arr(dout, 14, [dout], 0.1),
    };
    const x = arr(batch * din, 15, [batch, din], 1);
    const y = np.oneHot(np.array(Array.from({ length: batch }, (_, i) => (i * 7) % dout), { dtype: 'int32' }), dout, { dtype });
    type P = { [K in keyof typeof params]: import('cotangent').Array };
    const loss = (p: P, xb: typeof x, yb: typeof y) => {
      const h = np.tanh(np.add(np.matmul(xb, p.W1), p.b1));
      const logits = np.add(np.matmul(h, p.W2), p.b2);
      return np.negative(np.mean(np.sum(np.multiply(yb, np.logSoftmax(logits, { axis: 1 })), { axis: 1 })));
    };
    const flat = (g: P) => Object.fromEntries(Object.entries(g).map(([k, v]) => {
      if (v.dtype !== dtype) throw new Error(`the gradient's ${k} is ${v.dtype}, not ${dtype}`);
      return [k, Array.from(v.dataSync() as Float32Array)];
    }));
    out[`mlpGrad_${dtype}`] = flat(grad(loss)(params, x, y));
    out[`mlpGradJit_${dtype}`] = flat(jit(grad(loss))(params, x, y));
  }
}
console.log(JSON.stringify(out));
