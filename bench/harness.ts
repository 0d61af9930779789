// The adapter contract and the timer.
import type { CaseId, Inputs, Typed } from './workloads.js';

/** One library's way of running a workload: returns the outputs as typed arrays. */
export type Runner = () => Typed[];

/** What an adapter gives for a case: a runner built from the inputs, or why it cannot. */
export type Prepared = Runner | { na: string };

export type ExtraKind = 'jit' | 'tidy' | 'jit-tidy';

export interface Adapter {
  name: string;
  /** Loads the library; returns a one-line description (version, backend, SIMD, threads). */
  init(): Promise<string>;
  /** A runner for the case (built once per case), or { na: reason }. */
  prepare(id: CaseId, inp: Inputs): Prepared;
  /**
   * Extra timed variants the library offers, reported in tables of their own: under jit (beside
   * its eager time and jax-js's jit), eager inside tidy() (beside the peers' eager times, which
   * already free what they make: tfjs's tidy, jax-js's consuming ops), or under jit inside tidy()
   * (beside jax-js's jit, whose calls consume their arguments).
   */
  extras?: { id: CaseId; label: string; kind: ExtraKind; prepare: (inp: Inputs) => Prepared }[];
}

export interface Timing {
  median: number; // ms per call
  min: number; // ms per call
  calls: number;
  samples: number;
}

export const now = (): number => performance.now();

/**
 * Warm-up: at least 3 calls and `ms` of wall time. Returns the batch size for `sample`: as many
 * calls as take ~2 ms (one call when a call is slower), so the timer's resolution does not
 * matter for the microsecond cases.
 */
export function warmup(run: Runner, ms: number): number {
  const t0 = now();
  let warm = 0;
  let fastest = Infinity;
  while (warm < 3 || now() - t0 < ms) {
    const s = now();
    run();
    fastest = Math.min(fastest, now() - s);
    warm++;
    if (now() - t0 > 4 * ms && warm >= 2) break;
  }
  return Math.max(1, Math.min(10000, Math.floor(2 / Math.max(fastest, 1e-4))));
}

/** Per-call times (ms) of batches of `batch` calls, until `budgetMs` is spent (>= minSamples batches, <= maxMs). */
export function sample(run: Runner, batch: number, budgetMs: number, minSamples = 3, maxMs = 2000): number[] {
  const per: number[] = [];
  const t0 = now();
  while (per.length < minSamples || now() - t0 < budgetMs) {
    const s = now();
    for (let i = 0; i < batch; i++) run();
    per.push((now() - s) / batch);
    if (now() - t0 > maxMs && per.length >= 2) break;
  }
  return per;
}

export function summarize(per: number[], batch: number): Timing {
  const s = [...per].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], calls: s.length * batch, samples: s.length };
}

export function errorMessage(e: unknown): string {
  const msg = e instanceof Error ? e.message : typeof e === 'object' && e && 'message' in e ? String((e as any).message) : String(e);
  // the first sentence, at most 160 characters
  const first = msg.split('\n')[0].replace(/\s+/g, ' ');
  const dot = first.search(/\.(\s|$)/);
  return (dot > 0 ? first.slice(0, dot + 1) : first).slice(0, 160);
}
