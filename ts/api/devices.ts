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
