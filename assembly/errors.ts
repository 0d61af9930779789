// Error codes crossing the ABI. The TS layer turns them into CotangentError subclasses
// (ts/core/errors.ts mirrors the numbers). Validation errors are returned, never trapped;
// only an internal failure deep inside a rule traps, after recording its code here.
export const E_OK: i32 = 0;
export const E_SHAPE: i32 = 1;
export const E_DTYPE: i32 = 2;
export const E_PARAMS: i32 = 3;
export const E_OOM: i32 = 4;
export const E_NO_RULE: i32 = 5;
export const E_NOT_TRANSPOSABLE: i32 = 6;
export const E_BAD_ROW: i32 = 7;
export const E_BAD_OP: i32 = 8;
export const E_ESCAPED: i32 = 9; // a batched (vmap) value used outside its vmap
export const E_NOT_IMPLEMENTED: i32 = 10; // a derivative JAX does not define either (NotImplementedError)

let lastError: i32 = E_OK;

export function setError(code: i32): void { lastError = code; }
export function getError(): i32 { return lastError; }
export function clearError(): void { lastError = E_OK; }

/** Record the code and stop: for failures inside transforms, where no caller can recover. */
export function fail(code: i32): void {
  lastError = code;
  unreachable();
}
