#!/usr/bin/env python3
"""Writes tests/data/erf32_refs.json: erf and erfc correctly rounded to float32 (mpmath at 50
digits, rounded once to 24 bits: the nearest of three float32 neighbours, no double rounding
through float64) on a dense grid, x = float32(-6.5 + 17 i / 4096), i = 0..4095, which crosses
every range the float32 kernels switch at (1, 6, 6.125) and the underflow of erfc near 10.
Stored as the float32 bit patterns (hex) of the outputs; the test rebuilds x itself.
Usage: python3 scripts/erf32_refs.py [out.json]"""
import json, struct, sys
import mpmath as mp
import numpy as np

mp.mp.dps = 50
N = 4096

def nearest_f32(v):
    if mp.isnan(v): return np.float32('nan')
    r = np.float32(float(v))
    cands = [np.nextafter(r, np.float32(-np.inf)), r, np.nextafter(r, np.float32(np.inf))]
    best = min(cands, key=lambda c: (abs(mp.mpf(float(c)) - v), int(struct.unpack('<I', struct.pack('<f', c))[0]) & 1))
    return best  # ties to even: the candidate with an even significand

xs = [np.float32(-6.5 + 17 * i / N) for i in range(N)]
out = {'grid': 'float32(-6.5 + 17 * i / 4096), i = 0..4095'}
for name, fn in (('erf', mp.erf), ('erfc', mp.erfc)):
    out[name] = ''.join('%08x' % struct.unpack('<I', struct.pack('<f', nearest_f32(fn(mp.mpf(float(x))))))[0] for x in xs)
path = sys.argv[1] if len(sys.argv) > 1 else 'tests/data/erf32_refs.json'
with open(path, 'w') as f:
    json.dump(out, f)
