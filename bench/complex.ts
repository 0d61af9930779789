// Complex throughput (issue 11): complex64 / complex128 matmul in GFLOP/s (8 n^3 real flops per
// n x n product: 4 multiplies and 4 adds per complex multiply-add), end to end through np
// (upload, kernel, read back), each checked against a float64 JS reference first; and the
// elementwise complex kernels in elements per second (all f64x2 SIMD, two values a step).
type CT = typeof import('cotangent');
type C = { re: number; im: number };

function timeIt(fn: () => unknown, budgetMs: number): number {
  fn();
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < budgetMs || n < 3) { fn(); n++; t = performance.now(); }
  return (t - t0) / n / 1000; // seconds per call
}

export async function complexThroughput(budgetMs = 300): Promise<void> {
  const { np }: CT = await import('cotangent');
  console.log('\n## Complex (issue 11): matmul GFLOP/s and elementwise throughput, one thread\n');
  const data = (n: number, seed: number) => {
    const a = new Float64Array(2 * n);
    for (let i = 0; i < 2 * n; i++) a[i] = (((i + seed) * 2654435761) % 1000003) / 1000003 - 0.5;
    return a;
  };
  for (const dt of ['complex64', 'complex128'] as const) {
    for (const n of [64, 128, 256, 512]) {
      const av = data(n * n, 1), bv = data(n * n, 7);
      const mk = (v: Float64Array) => np.array(dt === 'complex64' ? new Float32Array(v) : v, { dtype: dt, shape: [n, n] });
      const a = mk(av), b = mk(bv);
      // check a few entries against a float64 reference of the stored (rounded) values
      const out = np.matmul(a, b).dataSync();
      const A = a.dataSync(), B = b.dataSync();
      let err = 0, scale = 0;
      for (const [i, j] of [[0, 0], [n - 1, n - 1], [n >> 1, 3]]) {
        let re = 0, im = 0;
        for (let k = 0; k < n; k++) {
          const ar = A[2 * (i * n + k)], ai = A[2 * (i * n + k) + 1], br = B[2 * (k * n + j)], bi = B[2 * (k * n + j) + 1];
          re += ar * br - ai * bi; im += ar * bi + ai * br;
        }
        err = Math.max(err, Math.abs(out[2 * (i * n + j)] - re), Math.abs(out[2 * (i * n + j) + 1] - im));
        scale = Math.max(scale, Math.abs(re), Math.abs(im));
      }
      const ok = err / scale < (dt === 'complex64' ? 1e-5 : 1e-13);
      const s = timeIt(() => np.matmul(a, b).dataSync(), budgetMs);
      console.log(`matmul ${dt} ${n}x${n}: ${(8 * n ** 3 / s / 1e9).toFixed(2)} GFLOP/s (${(s * 1e3).toFixed(2)} ms)${ok ? '' : `  WRONG: rel err ${err / scale}`}`);
    }
  }
  const N = 1 << 18;
  for (const dt of ['complex64', 'complex128'] as const) {
    const v = data(N, 3);
    const x = np.array(dt === 'complex64' ? new Float32Array(v) : v, { dtype: dt, shape: [N] });
    const y = np.add(np.multiply(x, 0.5), { re: 1, im: 0.25 });
    const unary = ['exp', 'log', 'sin', 'cos', 'tan', 'sinh', 'cosh', 'tanh', 'sqrt', 'abs', 'arcsin', 'arccos', 'arctan', 'arcsinh', 'arccosh', 'arctanh'] as const;
    for (const [name, f] of [['mul', () => np.multiply(x, y)], ['div', () => np.divide(x, y)], ['power', () => np.power(x, y)],
      ...unary.map((u) => [u, () => np[u](x)]), ['sum', () => np.sum(x)]] as [string, () => { dataSync(): unknown }][]) {
      const s = timeIt(() => f().dataSync(), budgetMs);
      console.log(`${name} ${dt} [${N}]: ${(N / s / 1e6).toFixed(1)} M elements/s`);
    }
  }
}
