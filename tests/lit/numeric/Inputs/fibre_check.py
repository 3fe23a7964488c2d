"""fibre_check.py REPORT.json T.txt — checks `singular --json`'s tracked fibre of pmlp (3,2,1) t^2 by hand.

f_theta(x) = sum_j a_j (w_j . x)^2 with theta = (W1 (2 x 3, row-major), a (2)), evaluated here with numpy at
random complex x, independently of nagc. Prints what the test checks.
"""
import json
import sys

import numpy as np

report = json.load(open(sys.argv[1]))
T = np.array([float(v) for v in open(sys.argv[2]).read().split()])


def f(theta, x):
    W, a = theta[:6].reshape(2, 3), theta[6:8]
    return (((x @ W.T) ** 2) * a).sum(axis=1)


rng = np.random.default_rng(7)
x = rng.standard_normal((20, 3)) + 1j * rng.standard_normal((20, 3))
fT = f(T.astype(complex), x)
tr = report["tracked_fibre"]
thetas = [np.array([complex(re, im) for re, im in p]) for p in tr["theta"]]
worst = max(np.max(np.abs(f(t, x) - fT)) / np.max(np.abs(fT)) for t in thetas)
# Points that are no rescaling of T (a_j w_j w_j^T unchanged) and no swap of its neurons: new points of the fibre.
def terms(t):
    W, a = t[:6].reshape(2, 3), t[6:8]
    return [a[j] * np.outer(W[j], W[j]) for j in range(2)]
base = terms(T.astype(complex))
def known(t):
    s = terms(t)
    same = all(np.allclose(s[j], base[j], atol=1e-8) for j in range(2))
    swap = all(np.allclose(s[j], base[1 - j], atol=1e-8) for j in range(2))
    return same or swap
new = sum(0 if known(t) else 1 for t in thetas)
print("verdict", report["verdict"], "structure points", report["fibre_points"]["count"])
print("tracked ran", tr["ran"], "witness complete", tr["witness_complete"], "failed", tr["failed"])
print("all on the fibre", worst < 1e-8, "points", len(thetas), "beyond rescaling and swap", new > 0)
print("numerical tangent rank", tr["numerical_tangent_rank"])
