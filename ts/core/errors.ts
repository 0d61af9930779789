// Every misuse throws a CotangentError subclass whose message names the function, the
// argument and the shapes/dtypes involved. Codes from the wasm (assembly/errors.ts) map here.
export class CotangentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
export class ShapeError extends CotangentError {}
export class DTypeError extends CotangentError {}
export class TracerError extends CotangentError {}
export class NonHolomorphicError extends CotangentError {}
export class ValueError extends CotangentError {}
/** An axis argument out of range, repeated or not an integer (a ValueError, as numpy's AxisError). */
export class AxisError extends ValueError {}
/** A static (JS number) index out of range, as numpy's IndexError. */
export class IndexError extends CotangentError {}
export class OutOfMemoryError extends CotangentError {}
/** An Array read after it was deleted (donated to a jitted call: `jit(f, { donateArgnums })`), as JAX's "Array has been deleted". */
export class DeletedArrayError extends CotangentError {}
export class InternalError extends CotangentError {}
/** A documented option or feature that this release does not implement yet. */
export class NotImplementedError extends CotangentError {}

/** assembly/errors.ts numbering. */
export const E_SHAPE = 1, E_DTYPE = 2, E_PARAMS = 3, E_OOM = 4, E_NO_RULE = 5,
  E_NOT_TRANSPOSABLE = 6, E_BAD_ROW = 7, E_BAD_OP = 8, E_ESCAPED = 9, E_NOT_IMPLEMENTED = 10;

export function errorFromCode(code: number, where: string): CotangentError {
  switch (code) {
    case E_SHAPE: return new ShapeError(`${where}: incompatible shapes`);
    case E_DTYPE: return new DTypeError(`${where}: unsupported or mismatched dtypes`);
    case E_PARAMS: return new ValueError(`${where}: invalid parameters`);
    case E_OOM: return new OutOfMemoryError(`${where}: out of memory (wasm32 addresses at most 4 GiB in all, one array at most 1 GiB)`);
    case E_NO_RULE: return new InternalError(`${where}: a primitive has no JVP rule`);
    case E_ESCAPED: return new TracerError(`${where}: a value batched by vmap was used after its vmap returned ` +
      '(an escaped tracer: return it from the vmapped function instead of storing it)');
    case E_NOT_TRANSPOSABLE: return new InternalError(`${where}: a linear primitive has no transpose rule, or a nonlinear value reached a linear program`);
    case E_NOT_IMPLEMENTED: return new NotImplementedError(`${where}: this derivative is not implemented (as in JAX: wide or complete QR, full-matrices SVD of a non-square matrix)`);
    default: return new InternalError(`${where}: internal error (code ${code})`);
  }
}

/** "float32[2,3]" for messages. */
export function describe(shape: readonly number[], dtype: string): string {
  return `${dtype}[${shape.join(',')}]`;
}
