// The open tidy() scopes (ts/api/tidy.ts): each lists the concrete Arrays made since it opened.
// The Array constructor reads `open.length` on every construction, so this module holds nothing
// else (no import of the Array class: array.ts imports it).

/** Innermost last; empty when no tidy() is running (the common case: one length check per Array). */
export const open: object[][] = [];

/** A concrete Array was made: the innermost open scope releases it when it ends, unless it is returned. */
export function track(a: object): void {
  open[open.length - 1].push(a);
}
