// Run a transform and survive its trap. Rules report internal failures by recording an error code
// and trapping (errors.ts `fail`); as-pect's host can call a function and catch that trap (the
// same import its toThrow uses), so a test can report which case trapped, and with which code,
// and go on with the next one. Closures cannot capture, so the arguments travel in globals.
import { jvpRange } from '../../assembly/ad/jvp';
import { transposeRange } from '../../assembly/ad/transpose';
import { getError, clearError } from '../../assembly/errors';

// @ts-ignore: decorator
@external("__aspect", "tryCall")
declare function tryCall(func: () => void): bool;

let aStart: i32 = 0, aEnd: i32 = 0, aNIn: i32 = 0, aNOut: i32 = 0;
let aIns: usize = 0, aSeeds: usize = 0, aOuts: usize = 0, aRes: usize = 0;

/** The error code recorded by the last trapping call (0 if the last call completed). */
let trapCode: i32 = 0;
export function lastTrapCode(): i32 { return trapCode; }

/** jvpRange(...) ; false if it trapped (see lastTrapCode). */
export function tryJvp(start: i32, end: i32, nIn: i32, ins: StaticArray<i32>, seeds: StaticArray<i32>,
  nOut: i32, outs: StaticArray<i32>, res: StaticArray<i32>): bool {
  aStart = start; aEnd = end; aNIn = nIn; aNOut = nOut;
  aIns = changetype<usize>(ins); aSeeds = changetype<usize>(seeds);
  aOuts = changetype<usize>(outs); aRes = changetype<usize>(res);
  clearError();
  const ok = tryCall((): void => {
    jvpRange(aStart, aEnd, aNIn, aIns, aSeeds, aNOut, aOuts, aRes);
  });
  trapCode = ok ? 0 : getError();
  return ok;
}

/** transposeRange(...) ; false if it trapped (see lastTrapCode). */
export function tryTranspose(nOut: i32, outs: StaticArray<i32>, cts: StaticArray<i32>, nIn: i32,
  ins: StaticArray<i32>, res: StaticArray<i32>): bool {
  aNOut = nOut; aNIn = nIn;
  aOuts = changetype<usize>(outs); aSeeds = changetype<usize>(cts);
  aIns = changetype<usize>(ins); aRes = changetype<usize>(res);
  clearError();
  const ok = tryCall((): void => {
    transposeRange(aNOut, aOuts, aSeeds, aNIn, aIns, aRes);
  });
  trapCode = ok ? 0 : getError();
  return ok;
}

const CODES: StaticArray<string> = [
  'E_OK', 'E_SHAPE', 'E_DTYPE', 'E_PARAMS', 'E_OOM', 'E_NO_RULE', 'E_NOT_TRANSPOSABLE', 'E_BAD_ROW', 'E_BAD_OP',
];
export function codeName(code: i32): string {
  return code >= 0 && code < CODES.length ? CODES[code] : 'code ' + code.toString();
}

/** 'trapped in <what> (E_...)' for the last trapping call. */
export function trapMessage(what: string): string {
  return 'trapped in ' + what + ' (' + codeName(trapCode) + '); ';
}
