// Throughput of the elementwise set (issue 7): elements per second for each function on 1M
// float32 and float64 elements, one thread, end to end through np (upload, kernel, read back),
// with the kernel kind: SIMD (f32x4 / f64x2 / i32x4 body with a scalar tail) or scalar (one
// libm-style call per element: the special functions and the rest of the transcendentals).
type CT = typeof import('cotangent');

const N = 1 << 20;
const SIMD = new Set(['abs', 'floor', 'ceil', 'round', 'trunc', 'sign', 'maximum', 'negative', 'add', 'exp', 'log', 'sin', 'tanh',
  'int32 add', 'int32 multiply', 'int32 bitwiseAnd', 'int32 maximum', 'astype int32', 'less int32']);
/** SIMD in float32 (f64x2 halves of each f32x4, or two elements per f64x2 through the float64 ports). */
const SIMD32 = new Set(['expm1', 'log1p', 'exp2', 'log2', 'log10', 'tan', 'sinh', 'cosh', 'arcsinh', 'arccosh', 'arctanh',
  'cbrt', 'arctan', 'erf', 'erfc', 'arctan2', 'hypot', 'erfinv', 'lgamma', 'digamma']);
/** SIMD in float64 (kernels/vmath64*.ts: f64x2 ports of the scalar routines, bit-identical; erf and
 *  erfc keep their Maclaurin range, |x| < 1/2 and < 0.375, scalar, and so does erfinv's erf). */
const SIMD64 = new Set(['expm1', 'log1p', 'exp2', 'log10', 'tan', 'sinh', 'arcsin', 'arccos', 'arctan', 'cbrt', 'erf', 'erfc',
  'log2', 'cosh', 'arcsinh', 'arccosh', 'arctanh', 'arctan2', 'erfinv', 'lgamma', 'digamma']);
const kind = (name: string): string => {
  if (SIMD.has(name)) return 'SIMD';
  const a = SIMD32.has(name), b = SIMD64.has(name);
  return a && b ? 'SIMD' : a ? 'SIMD f32, scalar f64' : b ? 'scalar f32, SIMD f64' : 'scalar';
};

export async function elementwiseThroughput(budgetMs = 300): Promise<void> {
  const api: CT = await import('cotangent');
  const { np } = api;
  const rnd = (lo: number, hi: number, d: 'float32' | 'float64') => {
    const a = d === 'float32' ? new Float32Array(N) : new Float64Array(N);
    for (let i = 0; i < N; i++) a[i] = lo + (hi - lo) * ((i * 2654435761) % 1000003) / 1000003;
    return np.array(a);
  };
  const cases: [string, (d: 'float32' | 'float64') => () => unknown][] = [];
  const un = (name: string, lo = -2, hi = 2) => cases.push([name, (d) => { const x = rnd(lo, hi, d); return () => (np as any)[name](x).dataSync(); }]);
  for (const n of ['negative', 'exp', 'log', 'sin', 'tanh', 'abs', 'floor', 'ceil', 'round', 'trunc', 'sign', 'expm1', 'exp2', 'tan',
    'arctan', 'sinh', 'cosh', 'arcsinh', 'erf', 'erfc', 'cbrt']) un(n, n === 'log' ? 0.1 : -2, 2);
  for (const n of ['log1p', 'log2', 'log10', 'lgamma', 'digamma']) un(n, 0.1, 4);
  for (const n of ['arcsin', 'arccos', 'arctanh', 'erfinv']) un(n, -0.9, 0.9);
  un('arccosh', 1.1, 4);
  cases.push(['add', (d) => { const x = rnd(-2, 2, d), y = rnd(-1, 3, d); return () => np.add(x, y).dataSync(); }]);
  cases.push(['maximum', (d) => { const x = rnd(-2, 2, d), y = rnd(-1, 3, d); return () => np.maximum(x, y).dataSync(); }]);
  cases.push(['arctan2', (d) => { const x = rnd(-2, 2, d), y = rnd(-1, 3, d); return () => np.arctan2(x, y).dataSync(); }]);
  cases.push(['hypot', (d) => { const x = rnd(-2, 2, d), y = rnd(-1, 3, d); return () => np.hypot(x, y).dataSync(); }]);

  const ints = (lo: number, hi: number) => np.astype(rnd(lo, hi, 'float64'), 'int32');
  const intCases: [string, () => () => unknown][] = [
    ['int32 add', () => { const x = ints(-1e6, 1e6), y = ints(-5, 5); return () => np.add(x, y).dataSync(); }],
    ['int32 multiply', () => { const x = ints(-1e6, 1e6), y = ints(-5, 5); return () => np.multiply(x, y).dataSync(); }],
    ['int32 bitwiseAnd', () => { const x = ints(-1e6, 1e6), y = ints(0, 255); return () => np.bitwiseAnd(x, y).dataSync(); }],
    ['int32 maximum', () => { const x = ints(-1e6, 1e6), y = ints(-5, 5); return () => np.maximum(x, y).dataSync(); }],
    ['int32 floorDivide', () => { const x = ints(-1e6, 1e6), y = ints(1, 9); return () => np.floorDivide(x, y).dataSync(); }],
    ['int32 leftShift', () => { const x = ints(-1e6, 1e6), y = ints(0, 40); return () => np.leftShift(x, y).dataSync(); }],
    ['less int32', () => { const x = ints(-1e6, 1e6), y = ints(-5, 5); return () => np.less(x, y).dataSync(); }],
    ['astype int32', () => { const x = rnd(-1e6, 1e6, 'float32'); return () => np.astype(x, 'int32').dataSync(); }],
  ];

  const time = (run: () => unknown): number => {
    run();
    const ts: number[] = [];
    const end = performance.now() + budgetMs;
    while (performance.now() < end || ts.length < 3) { const t0 = performance.now(); run(); ts.push(performance.now() - t0); }
    ts.sort((a, b) => a - b);
    return ts[ts.length >> 1];
  };
  const rate = (ms: number) => `${(N / (ms / 1000) / 1e6).toFixed(0).padStart(6)} M/s`;
  console.log(`\nElementwise set: elements/s on ${N} elements, end to end (upload + kernel + read back), median over ~${budgetMs} ms`);
  console.log(`${'function'.padEnd(18)} ${'float32'.padStart(10)} ${'float64'.padStart(10)}  kernel`);
  for (const [name, make] of cases) {
    const a = time(make('float32')), b = time(make('float64'));
    console.log(`${name.padEnd(18)} ${rate(a)} ${rate(b)}  ${kind(name)}`);
  }
  for (const [name, make] of intCases) {
    console.log(`${name.padEnd(18)} ${rate(time(make()))} ${''.padStart(10)}  ${SIMD.has(name) ? 'SIMD' : 'scalar'}`);
  }
}
