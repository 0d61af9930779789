# Independent float64 reference for examples/sinkhorn_hessians.ts (numpy 2.4, scipy 1.17):
#   python3 examples/reference/sinkhorn_divergence.py
# The data are the example's float32 sample (JAX's threefry bits, printed to 9 digits, exact in
# float32); epsilon is 0.05 * mean(C), the mean as the example computes it in float32.
# Another algorithm than the example's: Newton's method on the dual (from 300 Sinkhorn steps)
#   max_{f, g} <a, f> + <b, g> - eps sum_ij a_i b_j (exp((f_i + g_j - C_ij) / eps) - 1)
# (g_0 = 0 fixes the gauge, so the Hessian is definite), to machine precision, and the cost is
# scored by the primal <P, C> + eps KL(P | a b^T) (scipy.special.rel_entr), not by the dual.
import numpy as np
from scipy.special import logsumexp, rel_entr

f32 = lambda v: np.array(v, dtype=np.float32).astype(np.float64)
x = f32([0.509479642, 0.267200470, 0.543441653, 0.276929617, 0.521229029, 0.327279210, 0.160941005, 0.248275757,
         0.986850023, 0.294259787, 0.230579376, 0.462519050, 0.990290523, 0.0633237362, 0.0394816399, 0.629505873]).reshape(8, 2)
y = f32([0.923224092, 0.188616395, 0.814359546, 0.804597735, 0.989135861, 0.995700479, 0.0822659731, 0.508744717,
         0.885581732, 0.484394908, 0.313954949, 0.706578374, 0.665344000, 0.290620685, 0.342474580, 0.258417130,
         0.241894007, 0.989114165, 0.759831548, 0.518654943]).reshape(10, 2)
a = f32([0.144690603, 0.115477592, 0.125714466, 0.0347917005, 0.178072423, 0.177002907, 0.136029348, 0.0882210284])
b = f32([0.0456814170, 0.0865570381, 0.157107711, 0.0987233892, 0.0913055539, 0.115817204, 0.0888251439, 0.0398973674,
         0.152849942, 0.123235278])
a, b = a / a.sum(), b / b.sum()  # renormalized in float64, as the example's float64 part does
eps = 0.05 * float(np.float32(0.3812393546104431))


def ot(a, x, b, y):
    n, m = len(a), len(b)
    C = ((x[:, None, :] - y[None, :, :]) ** 2).sum(-1)
    f, g = np.zeros(n), np.zeros(m)
    for _ in range(300):  # a start close enough for Newton: log-domain Sinkhorn
        g = -eps * logsumexp(np.log(a)[:, None] + (f[:, None] - C) / eps, axis=0)
        f = -eps * logsumexp(np.log(b)[None, :] + (g[None, :] - C) / eps, axis=1)
    z = np.concatenate([f + g[0], g[1:] - g[0]])  # f, then g_1..g_{m-1}; g_0 = 0
    plan = lambda z: np.outer(a, b) * np.exp((z[:n, None] + np.concatenate([[0.0], z[n:]])[None, :] - C) / eps)
    for _ in range(200):
        P = plan(z)
        grad = np.concatenate([a - P.sum(1), (b - P.sum(0))[1:]])  # ascent direction of the dual
        H = np.block([[np.diag(P.sum(1)), P[:, 1:]], [P[:, 1:].T, np.diag(P.sum(0)[1:])]]) / eps
        step, t = np.linalg.solve(H, grad), 1.0
        dual = lambda z: a @ z[:n] + b[1:] @ z[n:] - eps * (plan(z).sum() - 1)
        while not dual(z + t * step) >= dual(z) - 1e-15 and t > 1e-8:  # damped: never descend (nor overflow)
            t /= 2
        z = z + t * step
        if np.abs(grad).max() < 1e-15:
            break
    P = plan(z)
    return float((P * C).sum() + eps * (rel_entr(P, np.outer(a, b)).sum() - P.sum() + a.sum() * b.sum()))


print(f"epsilon {eps!r}")
print(f"OT(a, b) {ot(a, x, b, y)!r}  OT(a, a) {ot(a, x, a, x)!r}  OT(b, b) {ot(b, y, b, y)!r}")
print(f"divergence {ot(a, x, b, y) - 0.5 * (ot(a, x, a, x) + ot(b, y, b, y))!r}")
