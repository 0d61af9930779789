// Helper of scripts/accuracy_sweep.py: reads x values (raw float64 or float32) from a file,
// evaluates cotangent's np[name] on them (the built dist/ bundle) and, where JS's Math has the
// function, Math's float64 value (V8's fdlibm-derived ieee754 routines), rounded to float32 for
// float32 inputs. Writes ours and the candidate as raw float64 next to the input.
// Usage: node scripts/accuracy_sweep_eval.mjs <name> <float64|float32> <in.bin> <ours.bin> <cand.bin>
import { readFileSync, writeFileSync } from 'node:fs';
import { np } from '../dist/index.js';

const MATH = {
  exp: Math.exp, log: Math.log, sin: Math.sin, cos: Math.cos, tan: Math.tan, tanh: Math.tanh,
  exp2: (x) => 2 ** x, expm1: Math.expm1, log1p: Math.log1p, log2: Math.log2, log10: Math.log10,
  cbrt: Math.cbrt, arcsin: Math.asin, arccos: Math.acos, arctan: Math.atan, sinh: Math.sinh,
  cosh: Math.cosh, arcsinh: Math.asinh, arccosh: Math.acosh, arctanh: Math.atanh,
};

const [name, dtype, inPath, oursPath, candPath] = process.argv.slice(2);
const raw = readFileSync(inPath);
const buf = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength);
const x = dtype === 'float64' ? new Float64Array(buf) : new Float32Array(buf);
const ours = new Float64Array(x.length), cand = new Float64Array(x.length).fill(NaN);
const CHUNK = 1 << 16;
for (let i = 0; i < x.length; i += CHUNK) {
  const part = x.subarray(i, Math.min(x.length, i + CHUNK));
  const y = np[name](np.array(dtype === 'float64' ? new Float64Array(part) : new Float32Array(part))).dataSync();
  ours.set(y, i);
}
const f = MATH[name];
if (f) for (let i = 0; i < x.length; i++) cand[i] = dtype === 'float64' ? f(x[i]) : Math.fround(f(x[i]));
writeFileSync(oursPath, new Uint8Array(ours.buffer));
writeFileSync(candPath, new Uint8Array(cand.buffer));
