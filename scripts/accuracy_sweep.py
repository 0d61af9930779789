#!/usr/bin/env python3
"""The accuracy sweep: N points (default 10^6) per elementary function and dtype, drawn from the
hard and ordinary ranges of scripts/elementwise_refs.py (fixed seed), cotangent's kernels (the
built dist/, through scripts/accuracy_sweep_eval.mjs) against references that do not come from
cotangent. Usage: python3 scripts/accuracy_sweep.py [N] [functions,comma,separated]

References, per point:
  1. a candidate from an independent library: V8's Math (fdlibm-derived ieee754 routines) for
     the functions it has, glibc's erf/erfc (Python's math module) for erf and erfc; float32
     candidates are that float64 value rounded to float32 (correct unless the exact value lies
     within ~1 float64 ulp of a float32 rounding boundary: probability ~2^-28 a point);
  2. mpmath (40 digits, rounded once to the dtype) at every point where cotangent and the
     candidate differ, and at a random 0.5% of the points where they agree.
Reported: the largest ulp distance to mpmath's correctly rounded value over the mpmath-checked
points (every disagreement is checked, so a larger error at an unchecked point would need the
candidate itself to be wrong by as much, at the same point, in the same direction), and how
many points were checked."""
import math, os, random, struct, subprocess, sys, tempfile, time
import numpy as np
import mpmath as mp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import elementwise_refs as refs  # noqa: E402  (the generators of hard ranges)

mp.mp.dps = 40
N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
ONLY = sys.argv[2].split(',') if len(sys.argv) > 2 else None
ELEMENTARY = ['exp', 'log', 'sin', 'cos', 'tan', 'tanh', 'exp2', 'expm1', 'log1p', 'log2', 'log10', 'cbrt',
              'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'arcsinh', 'arccosh', 'arctanh', 'erf', 'erfc']
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def ulps(a, b, dtype):
    """|a - b| in ulps (exact for float32; float64 as int64 differences)."""
    if dtype == 'float64':
        ia = a.view(np.int64); ib = b.view(np.int64)
        ka = np.where(ia < 0, -(ia & 0x7FFFFFFFFFFFFFFF), ia)
        kb = np.where(ib < 0, -(ib & 0x7FFFFFFFFFFFFFFF), ib)
        d = np.abs(ka - kb).astype(np.float64)
    else:
        ia = a.astype(np.float32).view(np.int32).astype(np.int64); ib = b.astype(np.float32).view(np.int32).astype(np.int64)
        ka = np.where(ia < 0, -(ia & 0x7FFFFFFF), ia)
        kb = np.where(ib < 0, -(ib & 0x7FFFFFFF), ib)
        d = np.abs(ka - kb).astype(np.float64)
    both_nan = np.isnan(a) & np.isnan(b)
    d[np.isnan(a) ^ np.isnan(b)] = np.inf
    d[both_nan] = 0
    return d


def exact(fn, x, dtype):
    """mpmath's value rounded once to dtype (None where it is not a finite real)."""
    try:
        v = fn(mp.mpf(float(x)))
    except (ValueError, ZeroDivisionError):
        return None
    if isinstance(v, mp.mpc) or not mp.isfinite(v):
        return None
    if dtype == 'float64':
        return float(v)
    if abs(v) < mp.mpf(2) ** -126:  # float32 subnormals: a multiple of 2^-149
        return float(mp.nint(v * mp.mpf(2) ** 149) / mp.mpf(2) ** 149)
    with mp.workprec(24):
        y = float(+v)
    return y if abs(y) < 3.4028235677973366e38 else math.copysign(math.inf, y)


def sweep(name, dtype, tmp):
    fn, gens = refs.FUNCS[name]
    rng = random.Random(hash((name, dtype)) & 0xFFFFFFFF)
    refs.rng.seed(20261201 + ELEMENTARY.index(name) * 2 + (dtype == 'float32'))
    # oversampled: points outside the dtype's range (inputs or values) are dropped, N kept
    xs = np.array([gens[i % len(gens)]() for i in range(N * (3 if dtype == "float32" else 2))], dtype=np.float64)
    if dtype == 'float32':
        with np.errstate(over='ignore'):
            xs = xs.astype(np.float32)
        xs = xs[np.isfinite(xs) & ((xs == 0) | (np.abs(xs) >= 1.2e-38))]
    inp, ours_p, cand_p = (os.path.join(tmp, f) for f in ('x.bin', 'ours.bin', 'cand.bin'))
    xs.tofile(inp)
    subprocess.run(['node', os.path.join(ROOT, 'scripts', 'accuracy_sweep_eval.mjs'), name, dtype, inp, ours_p, cand_p], check=True)
    ours = np.fromfile(ours_p, dtype=np.float64)
    cand = np.fromfile(cand_p, dtype=np.float64)
    if name in ('erf', 'erfc'):
        f = getattr(math, name)
        cand = np.array([f(float(x)) for x in xs], dtype=np.float64)
        if dtype == 'float32':
            cand = cand.astype(np.float32).astype(np.float64)
    if dtype == 'float32':
        ours32, cand32 = ours.astype(np.float32), cand.astype(np.float32)
    # points whose value is a finite number the dtype represents normally (as the committed table)
    keep = np.isfinite(cand) & (np.abs(cand) < (1.7e308 if dtype == 'float64' else 3.4e38))
    if dtype == 'float32':
        keep &= (cand == 0) | (np.abs(cand) >= 1.2e-38)
    idx = np.nonzero(keep)[0][:N]
    a = ours[idx] if dtype == 'float64' else ours32[idx]
    b = cand[idx] if dtype == 'float64' else cand32[idx]
    d = ulps(a, b, dtype)
    disagree = idx[d > 0]
    agree = idx[d == 0]
    sample = agree[rng.sample(range(len(agree)), min(len(agree), max(1, len(agree) // 200)))] if len(agree) else agree
    check = np.concatenate([disagree, sample])
    worst, at, checked = 0.0, None, 0
    for i in check:
        y = exact(fn, xs[i], dtype)
        if y is None:
            continue
        checked += 1
        o = np.array([ours[i]], dtype=np.float64 if dtype == 'float64' else np.float32)
        u = ulps(o, np.array([y], dtype=o.dtype), dtype)[0]
        if u > worst:
            worst, at = u, (float(xs[i]), float(ours[i]), y)
    return {'n': len(idx), 'disagree': len(disagree), 'checked': checked, 'max_ulp': worst, 'at': at,
            'cand_max_ulp_from_ours': float(d.max()) if len(d) else 0.0}


def main():
    names = [n for n in ELEMENTARY if ONLY is None or n in ONLY]
    print(f'| function | dtype | points | differ from the candidate | checked by mpmath | max ulp (mpmath) | worst x |')
    print('|---|---|---|---|---|---|---|')
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            for dtype in ('float64', 'float32'):
                t = time.time()
                r = sweep(name, dtype, tmp)
                at = f'{r["at"][0]!r}' if r['at'] else ''
                print(f'| {name} | {dtype} | {r["n"]} | {r["disagree"]} | {r["checked"]} | {r["max_ulp"]:.0f} | {at} |', flush=True)
                print(f'  ({time.time() - t:.0f} s; worst: {r["at"]})', file=sys.stderr, flush=True)


if __name__ == '__main__':
    main()
