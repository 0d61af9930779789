// jit's optimizer pass over a frozen program (assembly/ad/optimize.ts does the work in wasm).
import { abi } from '../../core/abi.js';
import { KeptTape } from '../../core/kept_tapes.js';
import { errorFromCode } from '../../core/errors.js';

/** The optimized program (the unoptimized one is released). */
export function optimizeTape(raw: KeptTape, name: string): KeptTape {
  const h = abi().optimize_tape(raw.handle(`jit(${name})`));
  if (h === 0) {
    const code = abi().last_error();
    abi().clear_error();
    raw.dispose();
    throw errorFromCode(code, `jit(${name}): optimizing the traced program`);
  }
  raw.dispose();
  return new KeptTape(h);
}
