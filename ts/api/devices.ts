// Devices: the CPU always; 'gpu' joins once WebGPU offload lands (ROADMAP 6, ts/gpu/).
import { ValueError } from '../core/errors.js';
import { show } from './options.js';

/**
 * The devices available, as jax.devices(backend): all of them, or those of one backend. A backend
 * that is not available is an error, as in JAX (devices('gpu') listed ['cpu'] without a word).
 */
export function devices(backend?: string | null): string[] {
  if (arguments.length > 1) throw new ValueError(`devices: takes at most 1 argument (backend), got ${arguments.length}`);
  const all = ['cpu'];
  if (backend === undefined || backend === null) return all;
  if (typeof backend !== 'string') throw new ValueError(`devices: backend must be a string ('cpu' or 'gpu'), got ${show(backend)}`);
  if (!all.includes(backend)) throw new ValueError(`devices: backend ${show(backend)} is not available; devices() lists ${JSON.stringify(all)}`);
  return [backend];
}

/**
 * API.md's `await initGpu()`: resolves to whether computations can now be placed on a GPU. This
 * build has no GPU kernels (WebGPU offload is roadmap step 10), so it resolves to false whatever
 * the runtime offers, and devices() stays ['cpu']: code written against API.md runs, on the CPU.
 * (Not exporting it made `import { initGpu }` fail at load, before any of the user's code ran.)
 */
export async function initGpu(): Promise<boolean> {
  if (arguments.length > 0) throw new ValueError(`initGpu: takes no arguments, got ${arguments.length}`);
  return false;
}
