// Randomized estimates of the divergence tr(J), J = ∂f/∂x, for when the exact operator's n
// forward passes are too many (continuous normalizing flows: FFJORD, Grathwohl et al. 2019).
// J is applied only through jvp, vmapped over the probes; it is never formed.
import { NDArray } from '../array.js';
import * as np from '../numpy.js';
import * as random from '../random.js';
import { qr } from '../linalg_decomp.js';
import { stopGradient } from '../stop_gradient.js';
import { scope } from '../../core/trace.js';
import { ValueError, describe } from '../../core/errors.js';
import { readOptions, show } from '../options.js';
import { materialize, requireFunction, maxArgs, transformed } from './trace_args.js';
import { readArgnum, squareMap, SquareMap } from './operators.js';
import type { Fn, Loosen } from './types.js';

export interface HutchinsonOptions {
  /** Matrix-vector products (jvps) to spend: m. Hutch++ needs at least 3. */
  probes: number;
  /** uint32 key data [2] (random.key): the same key gives the same probes. */
  key: NDArray;
  /** The probes' distribution (default 'rademacher': the least variance of the i.i.d. choices). */
  noise?: 'gaussian' | 'rademacher';
  /** 'hutchinson' (default) or 'hutchpp' (Hutch++, Meyer, Musco, Musco and Woodruff 2021). */
  method?: 'hutchinson' | 'hutchpp';
  argnums?: number;
}

function draw(noise: string, key: NDArray, shape: number[], dtype: 'float32' | 'float64'): NDArray {
  return noise === 'gaussian' ? random.normal(key, shape, { dtype }) : random.rademacher(key, shape, { dtype });
}

/** Hutchinson (1989): tr(A) = E[vᵀ A v] for E[v vᵀ] = I; the mean over m probes. */
function hutchinsonEstimate(m: SquareMap, noise: string, key: NDArray, probes: number): NDArray {
  const V = draw(noise, key, [probes, m.fa.total], m.dtype as 'float32' | 'float64');
  return np.divide(np.sum(np.multiply(V, m.push(V))), probes);
}

/**
 * Hutch++ (Meyer, Musco, Musco, Woodruff, "Hutch++: Optimal Stochastic Trace Estimation", SOSA
 * 2021, Algorithm 1): k = ⌊m/3⌋ sketch probes S, Q = qr(A S), and
 *   tr(A) ≈ tr(Qᵀ A Q) + (1/g) Σ_i g_iᵀ (I - QQᵀ) A (I - QQᵀ) g_i   over the g = m - 2k others.
 * tr(A) = tr(Qᵀ A Q) + tr((I - P) A (I - P)) holds for any A (tr((I - P) A P) = 0), so the
 * estimate is unbiased for the non-symmetric J too; the paper's variance bound is for PSD A.
 * Q is held constant for the gradient: the estimate is unbiased for every fixed Q, so its
 * gradient is unbiased for ∇ tr(J) without differentiating the QR (cheaper, and finite where
 * A S is rank deficient). m jvps in all, in two batched passes: A S, then [Q, (I - P) G] together.
 */
function hutchppEstimate(m: SquareMap, noise: string, key: NDArray, probes: number): NDArray {
  const n = m.fa.total, dt = m.dtype as 'float32' | 'float64';
  // (a sketch of n or more probes spans every direction: tr(Qᵀ A Q) is then tr(A) itself and the
  // rest estimate nothing, so k is capped at n and one probe stays for the rest; 30,000 probes on
  // an n = 3,000 input ran for 2 minutes and ran out of wasm memory)
  let k = Math.floor(probes / 3), g = probes - 2 * k;
  if (k >= n) { k = n; g = 1; }
  const [kS, kG] = random.split(key);
  const S = draw(noise, kS, [k, n], dt), G = draw(noise, kG, [g, n], dt);
  const Q = stopGradient(qr(np.transpose(m.push(S)))[0]); // [n, q], q = k <= n
  const Qt = np.transpose(Q);
  const q = Qt.shape[0];
  const Gp = np.subtract(G, np.matmul(np.matmul(G, Q), Qt)); // rows (I - QQᵀ) g_i
  const [AQ, AGp] = np.split(m.push(np.concatenate([Qt, Gp])), [q]);
  return np.add(np.sum(np.multiply(Qt, AQ)), np.divide(np.sum(np.multiply(Gp, AGp)), g));
}

/**
 * hutchinson(f, { probes, key, noise, method, argnums })(...args): an unbiased estimate of
 * divergence(f)(...args) = tr(∂f/∂x), x = args[argnums] (default 0), from `probes` jvps. f as for
 * divergence. The key is an option, so a fresh estimate per step builds the operator inside the
 * step: jit((x, key) => hutchinson(f, { probes, key })(x)) traces the key as an argument.
 */
export function hutchinson<F extends Fn>(f: F, options: HutchinsonOptions): (...args: Loosen<Parameters<F>>) => NDArray {
  const name = 'hutchinson';
  maxArgs(name, arguments.length, 2, 'f, options');
  requireFunction(name, f);
  if (options === undefined) throw new ValueError(`${name}: needs options { probes, key } (key from random.key(seed))`);
  const o = readOptions<HutchinsonOptions>(name, options, { probes: 'any', key: 'any', noise: 'any', method: 'any', argnums: 'any' });
  const argnum = readArgnum(name, { argnums: o.argnums });
  const method = o.method ?? 'hutchinson', noise = o.noise ?? 'rademacher';
  if (method !== 'hutchinson' && method !== 'hutchpp') throw new ValueError(`${name}: method must be 'hutchinson' or 'hutchpp', got ${show(method)}`);
  if (noise !== 'gaussian' && noise !== 'rademacher') throw new ValueError(`${name}: noise must be 'gaussian' or 'rademacher', got ${show(noise)}`);
  const least = method === 'hutchpp' ? 3 : 1;
  if (!Number.isInteger(o.probes) || o.probes < least) {
    throw new ValueError(`${name}: probes must be an integer >= ${least}${method === 'hutchpp' ? " for method 'hutchpp' (a third sketches, a third and the rest estimate)" : ''}, got ${show(o.probes)}`);
  }
  const key = o.key;
  if (!(key instanceof NDArray) || key.dtype !== 'uint32' || key.ndim !== 1 || key.shape[0] !== 2) {
    const got = key === undefined ? 'none' : key instanceof NDArray ? describe(key.shape, key.dtype) : show(key);
    throw new ValueError(`${name}: needs a key, uint32 key data of shape [2] (random.key(seed), or one of random.split(key)), got ${got}`);
  }
  const estimate = method === 'hutchpp' ? hutchppEstimate : hutchinsonEstimate;
  return transformed((...args: unknown[]) => scope(() => {
    const m = squareMap(name, f, args, argnum);
    if (m.fa.total === 0) return np.zeros([], { dtype: m.dtype });
    return estimate(m, noise, key, o.probes);
  }, (out) => materialize(out, name)), name, f) as any;
}
