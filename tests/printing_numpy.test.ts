// String(x) against numpy 2's str() on a stored corpus (scripts/printing_refs.py): random float32,
// float64, complex64 and complex128 arrays and 0-d arrays over every magnitude, bit patterns
// included, and layouts (wrapping at 75 characters, nesting, summarization, nan and inf columns).
// Each printed string must be numpy's, character for character: the digits shown are the held
// value's (float32 99999992 beside a value needing 8 digits is 9.9999992e+07, never 99999990.), ties
// round to even as dragon4's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { np } from '../ts/index.ts';

interface Case { dtype: string; shape: number[]; re: string[]; im: string[] | null; str: string }
const cases: Case[] = JSON.parse(readFileSync(new URL('./data/printing_refs.json', import.meta.url), 'utf8'));
const num = (s: string) => (s === 'nan' ? NaN : s === 'inf' ? Infinity : s === '-inf' ? -Infinity : Number(s));

test(`String(x) is numpy's str on ${cases.length} stored cases (floats, complex, 0-d, layouts)`, () => {
  let wrong = 0;
  const first: string[] = [];
  for (const c of cases) {
    const part = c.dtype === 'complex64' ? 'float32' : c.dtype === 'complex128' ? 'float64' : c.dtype as 'float32' | 'float64';
    const re = np.array(Float64Array.from(c.re, num), { dtype: 'float64' });
    let x = np.astype(re, part);
    if (c.im !== null) x = np.complex(x, np.astype(np.array(Float64Array.from(c.im, num), { dtype: 'float64' }), part));
    x = np.reshape(x, c.shape);
    const got = String(x);
    if (got !== c.str) { wrong++; if (first.length < 5) first.push(`${c.dtype} [${c.re}]${c.im ? ` + i[${c.im}]` : ''}:\n  got  ${JSON.stringify(got)}\n  want ${JSON.stringify(c.str)}`); }
  }
  assert.equal(wrong, 0, `${wrong} of ${cases.length} differ from numpy, e.g.\n${first.join('\n')}`);
});
