# numpy's str() of random float and complex arrays (and 0-d ones), stored for
# tests/printing_numpy.test.ts: regenerate with `python3 scripts/printing_refs.py` (numpy 2.x).
# Values are stored as Python reprs (exact), strings as numpy prints them.
import json, numpy as np

rs = np.random.RandomState(2026)
cases = []

def real_values(n):
    kind = rs.randint(6)
    if kind == 0: return rs.randn(n) * 10.0 ** rs.randint(-12, 12)
    if kind == 1: return np.round(rs.randn(n) * 1000) / 10 ** rs.randint(0, 6)
    if kind == 2: return rs.randint(-10 ** 9, 10 ** 9, n) * 1.0
    if kind == 3: return rs.randn(n) * 10.0 ** rs.randint(-12, 12, n)
    if kind == 4: return np.frombuffer(rs.bytes(4 * n), dtype=np.float32).astype(np.float64)
    return np.frombuffer(rs.bytes(8 * n), dtype=np.float64).copy()

for k in range(600):
    d = ['float32', 'float64'][k % 2]
    n = rs.randint(1, 6)
    with np.errstate(all='ignore'):
        a = real_values(n).astype(d)
    if rs.randint(4) == 0 and n == 1: a = a.reshape(())
    cases.append(dict(dtype=d, shape=list(a.shape), re=[repr(float(x)) for x in a.astype(np.float64).ravel()], im=None, str=str(a)))

specials = [np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0, 1e-10, 1e10, 0.5]
for k in range(300):
    d = ['complex64', 'complex128'][k % 2]
    n = rs.randint(1, 4)
    def part():
        kind = rs.randint(4)
        if kind == 0: return rs.choice(specials, n)
        if kind == 1: return rs.randn(n) * 10.0 ** rs.randint(-8, 8)
        if kind == 2: return np.round(rs.randn(n) * 100) / 10
        return rs.randn(n) * 10.0 ** rs.randint(-8, 8, n)
    a = (part() + 0j).astype(np.complex128); a.imag = part()
    with np.errstate(all='ignore'): a = a.astype(d)
    if rs.randint(3) == 0 and n == 1: a = a.reshape(())
    cases.append(dict(dtype=d, shape=list(a.shape), re=[repr(float(x)) for x in a.real.astype(np.float64).ravel()],
                      im=[repr(float(x)) for x in a.imag.astype(np.float64).ravel()], str=str(a)))

# layouts: wrapping at 75 characters, nesting, summarization, nan/inf columns
for a in [np.arange(30.), np.arange(30.).reshape(2, 15), np.linspace(0, 1, 12), np.arange(2000.),
          rs.randn(3, 4, 5).astype(np.float32), rs.randn(40), np.array([[np.nan, 1], [2, 3]]),
          np.array([-1.5, 2.25, -1e-3, 1000.]), rs.randn(6, 9) * 1000, np.array([99999992, 50000000], np.float32),
          np.array([1e-4, 1e-3], np.float32), np.array([1.001953125, 0.5]), np.array([-np.inf, 1.5, np.nan])]:
    cases.append(dict(dtype=str(a.dtype), shape=list(a.shape), re=[repr(float(x)) for x in a.ravel()], im=None, str=str(a)))

# short values (powers of ten, few digits) beside ones that need 8: their mantissas are padded with
# the held value's own digits, the leading one included (float32 1e-5 prints 9.9999997e-06)
short = [10.0 ** e for e in range(-44, 38)] + [2.5e-6, 0.1, 0.3, 1.5e20, 7e-40]
for k in range(200):
    d = ['float32', 'float64', 'complex64', 'complex128'][k % 4]
    n = rs.randint(2, 5)
    v = np.where(rs.rand(n) < 0.5, rs.choice(short, n) * rs.choice([1, -1], n), rs.randn(n) * 10.0 ** rs.randint(-8, 8, n))
    with np.errstate(all='ignore'):
        a = v.astype(d)
        if k % 4 >= 2: a = a + (rs.choice(short, n) * 1j).astype(d)
    cases.append(dict(dtype=d, shape=list(a.shape), re=[repr(float(x)) for x in a.real.astype(np.float64).ravel()],
                      im=None if k % 4 < 2 else [repr(float(x)) for x in a.imag.astype(np.float64).ravel()], str=str(a)))

json.dump(cases, open('tests/data/printing_refs.json', 'w'), separators=(',', ':'))
print(len(cases), 'cases')
