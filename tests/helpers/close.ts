// Elementwise closeness of nested number lists (tolist() output) to references, relative where
// the reference is large: |got - want| <= tol * max(1, |want|), each index named on failure.
import assert from 'node:assert/strict';

export const close = (got: unknown, want: unknown, tol = 1e-12): void => {
  const g = [got].flat(3) as number[], w = [want].flat(3) as number[];
  assert.equal(g.length, w.length);
  g.forEach((v, i) => assert.ok(Math.abs(v - w[i]) <= tol * Math.max(1, Math.abs(w[i])), `[${i}] got ${v}, want ${w[i]}`));
};
