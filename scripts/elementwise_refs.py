#!/usr/bin/env python3
"""Writes tests/data/elementwise_refs.json: inputs and correctly rounded outputs (mpmath at 80
digits, rounded once to float64 / to float32's 24 bits) for the accuracy test
(tests/accuracy.test.ts). Points: the hard ranges of each function plus uniform random ones
(fixed seed). Usage: python3 scripts/elementwise_refs.py [points per function and dtype] [out.json]
The committed table has 120 points
(polygammaN is np.polygamma(N, x)); a sweep (e.g. 1000000 points, hours of mpmath) goes to
another file, checked with ELEMENTWISE_REFS=/path/to/it node --import tsx --test tests/accuracy.test.ts."""
import json, math, random, struct, sys
import mpmath as mp

mp.mp.dps = 80
rng = random.Random(20261201)

def f32(x):
    return struct.unpack('f', struct.pack('f', x))[0]

def logu(lo, hi):  # log-uniform magnitude in [lo, hi]
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))

def sym(g):
    return lambda: g() * rng.choice([-1, 1])

FUNCS = {
    # name: (mpmath function, [generators of hard and ordinary inputs])
    'exp': (mp.exp, [lambda: rng.uniform(-700, 700), lambda: rng.uniform(-87, 88), sym(lambda: logu(1e-300, 1))]),
    'log': (mp.log, [lambda: 1 + rng.uniform(-1e-6, 1e-6), lambda: logu(1e-300, 1e300), lambda: rng.uniform(0.5, 2)]),
    'sin': (mp.sin, [sym(lambda: logu(1e-8, 10)), sym(lambda: logu(10, 1e6)), sym(lambda: logu(1e6, 1e300))]),
    'cos': (mp.cos, [sym(lambda: logu(1e-8, 10)), sym(lambda: logu(10, 1e6)), sym(lambda: logu(1e6, 1e300))]),
    'tanh': (mp.tanh, [sym(lambda: logu(1e-10, 20)), lambda: rng.uniform(-3, 3)]),
    'tan': (mp.tan, [sym(lambda: logu(1e-8, 10)), sym(lambda: logu(10, 1e6)), sym(lambda: logu(1e6, 1e300))]),
    'exp2': (lambda x: mp.power(2, x), [lambda: rng.uniform(-1000, 1000), lambda: rng.uniform(-126, 127), lambda: rng.uniform(-2, 2)]),
    'expm1': (mp.expm1, [sym(lambda: logu(1e-300, 1e-5)), lambda: rng.uniform(-1, 1), lambda: rng.uniform(-40, 80)]),
    'log1p': (mp.log1p, [sym(lambda: logu(1e-300, 1e-5)), lambda: -1 + logu(1e-12, 0.5), lambda: logu(1e-5, 1e300)]),
    'log2': (mp.log2 if hasattr(mp, 'log2') else (lambda x: mp.log(x, 2)), [lambda: 1 + rng.uniform(-1e-6, 1e-6), lambda: logu(1e-300, 1e300)]),
    'log10': (mp.log10, [lambda: 1 + rng.uniform(-1e-6, 1e-6), lambda: logu(1e-300, 1e300)]),
    'cbrt': (mp.cbrt, [sym(lambda: logu(1e-300, 1e300)), lambda: rng.uniform(-8, 8)]),
    'arcsin': (mp.asin, [sym(lambda: 1 - logu(1e-15, 0.5)), sym(lambda: logu(1e-10, 1))]),
    'arccos': (mp.acos, [sym(lambda: 1 - logu(1e-15, 0.5)), sym(lambda: logu(1e-10, 1))]),
    'arctan': (mp.atan, [sym(lambda: logu(1e-10, 1e10)), lambda: rng.uniform(-3, 3)]),
    'sinh': (mp.sinh, [sym(lambda: logu(1e-10, 700)), lambda: rng.uniform(-3, 3)]),
    'cosh': (mp.cosh, [sym(lambda: logu(1e-10, 700)), lambda: rng.uniform(-3, 3)]),
    'arcsinh': (mp.asinh, [sym(lambda: logu(1e-10, 1e300)), lambda: rng.uniform(-3, 3)]),
    'arccosh': (mp.acosh, [lambda: 1 + logu(1e-14, 1), lambda: logu(1, 1e300)]),
    'arctanh': (mp.atanh, [sym(lambda: 1 - logu(1e-15, 0.5)), sym(lambda: logu(1e-10, 1))]),
    'erf': (mp.erf, [sym(lambda: logu(1e-10, 6)), lambda: rng.uniform(-3, 3)]),
    'erfc': (mp.erfc, [lambda: rng.uniform(-6, 27), lambda: rng.uniform(0.3, 6), sym(lambda: logu(1e-10, 1))]),
    'erfinv': (mp.erfinv, [sym(lambda: 1 - logu(1e-15, 0.5)), lambda: rng.uniform(-1, 1), sym(lambda: logu(1e-10, 1e-2))]),
    'lgamma': (lambda x: mp.log(abs(mp.gamma(x))), [lambda: logu(1e-10, 1e10), lambda: rng.uniform(0.5, 3), lambda: -logu(0.01, 100)]),
    'digamma': (mp.digamma, [lambda: logu(1e-6, 1e10), lambda: rng.uniform(1.2, 1.7), lambda: -logu(0.01, 100)]),
    # polygamma(n, x), n >= 2, x > 0 (NaN below): tiny x (the 1/x^(n+1) pole), the recurrence's
    # range below 15 and where it hands over to the asymptotic series, large x
    **{f'polygamma{n}': ((lambda n: lambda x: mp.polygamma(n, x))(n),
                         [lambda: logu(1e-30, 1e-2), lambda: rng.uniform(0, 16), lambda: rng.uniform(14, 16), lambda: logu(1, 1e30)])
       for n in (2, 3, 5)},
}

def draw(gens, k):
    xs = []
    for i in range(k):
        xs.append(gens[i % len(gens)]())
    return xs

def ok(v, lim):
    return v == v and abs(v) < lim

def main():
    N = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    out = {}
    for name, (fn, gens) in FUNCS.items():
        entry = {}
        for dt, lim, rnd in (('float64', 1.7e308, lambda v: float(v)), ('float32', 3.4e38, None)):
            xs, ys = [], []
            while len(xs) < N:
                x = draw(gens, 1)[0]
                if dt == 'float32':
                    x = f32(x)
                    if x != 0 and abs(x) < 1.2e-38:
                        continue
                try:
                    v = fn(mp.mpf(x))
                except (ValueError, ZeroDivisionError):
                    continue
                if isinstance(v, mp.mpc) or not mp.isfinite(v):
                    continue
                if dt == 'float32':
                    with mp.workprec(24):
                        y = float(+v)
                    if not ok(y, lim) or (y != 0 and abs(y) < 1.2e-38):
                        continue
                else:
                    y = float(v)
                    if not ok(y, lim):
                        continue
                xs.append(x)
                ys.append(y)
            entry[dt] = {'x': xs, 'y': ys}
        out[name] = entry
    json.dump(out, open(sys.argv[2] if len(sys.argv) > 2 else 'tests/data/elementwise_refs.json', 'w'), separators=(',', ':'))
    print('wrote', sum(len(e[d]['x']) for e in out.values() for d in e), 'points')

if __name__ == '__main__':
    main()
