// jit's passes over a frozen program: the optimizer (assembly/ad/optimize.ts) and fusion
// (assembly/ad/fuse.ts), both in wasm.
import { abi } from '../../core/abi.js';
import { KeptTape } from '../../core/kept_tapes.js';
import { errorFromCode } from '../../core/errors.js';

/** The optimized program (the unoptimized one is released). */
export function optimizeTape(raw: KeptTape, name: string): KeptTape {
  return pass(raw, name, abi().optimize_tape, 'optimizing', false);
}

/** The optimized program with its elementwise chains fused (assembly/ad/fuse.ts); `tape` is kept. */
export function fuseTape(tape: KeptTape, name: string): KeptTape {
  return pass(tape, name, abi().fuse_tape, 'fusing', false);
}

function pass(src: KeptTape, name: string, run: (t: number) => number, what: string, release: boolean): KeptTape {
  const h = run(src.handle(`jit(${name})`));
  if (release) src.dispose();
  if (h === 0) {
    const code = abi().last_error();
    abi().clear_error();
    throw errorFromCode(code, `jit(${name}): ${what} the traced program`);
  }
  return new KeptTape(h);
}
