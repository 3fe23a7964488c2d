"""jac_bench.py NAGC OUTDIR — Jacobian with respect to theta: nagc vs PyTorch and numpy, same run.

For pmlp d=[8,16,16,1] at 1000 points (a 1000 x 400 Jacobian) and
d=[10,20,20,5] at 200 points: nagc's compiled jac_theta (through its shared
library), PyTorch's functorch vmap(jacrev) and torch.autograd.functional.jacobian
(2 threads), and a hand-written numpy reverse mode. Each time is the best of
several runs; every result is compared with nagc's. Writes OUTDIR/jac.md and .json.
"""
import ctypes
import json
import os
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import best, layers, write_report  # noqa: E402

NAGC, OUT = sys.argv[1], sys.argv[2]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES = [([8, 16, 16, 1], 2, 1000), ([10, 20, 20, 5], 2, 200)]






def numpy_jacobian(theta, x, d, r):
    """Reverse mode by hand, vectorized over samples: J[s, o, :] for every output o."""
    Ws = layers(theta, d)
    n, O = x.shape[0], d[-1]
    hs, zs = [x], []
    h = x
    for i, W in enumerate(Ws):
        z = h @ W.T
        zs.append(z)
        h = z ** r if i < len(Ws) - 1 else z
        hs.append(h)
    J = np.zeros((n, O, sum(W.size for W in Ws)))
    for o in range(O):
        g = np.zeros((n, O))
        g[:, o] = 1.0
        offs = np.cumsum([0] + [W.size for W in Ws])
        for i in range(len(Ws) - 1, -1, -1):
            if i < len(Ws) - 1:
                g = g * r * zs[i] ** (r - 1)
            J[:, o, offs[i]:offs[i + 1]] = (g[:, :, None] * hs[i][:, None, :]).reshape(n, -1)
            g = g @ Ws[i]
    return J


TORCH = r'''
import sys, time, json, numpy as np, torch, functorch
torch.set_num_threads(2)
d, r, n, mode = json.loads(sys.argv[1])
rng = np.random.default_rng(1)
P = sum(d[i] * d[i + 1] for i in range(len(d) - 1))
theta = torch.from_numpy(rng.uniform(-1, 1, P)); x = torch.from_numpy(rng.uniform(-1, 1, (n, d[0])))
def f(th, xx):
    h, o = xx, 0
    for i in range(len(d) - 1):
        W = th[o:o + d[i] * d[i + 1]].reshape(d[i + 1], d[i]); o += d[i] * d[i + 1]
        h = W @ h
        if i < len(d) - 2: h = h ** r
    return h
if mode == "functorch":
    g = functorch.vmap(functorch.jacrev(f), in_dims=(None, 0))
    run = lambda: g(theta, x)
else:
    run = lambda: torch.stack([torch.autograd.functional.jacobian(lambda th: f(th, x[s]), theta) for s in range(n)])
J = run(); t = float("inf")
for _ in range(5 if mode == "functorch" else 1):
    s = time.perf_counter(); J = run(); t = min(t, time.perf_counter() - s)
np.save(sys.argv[2], J.numpy())
print(json.dumps({"seconds": t}))
'''


def torch_time(d, r, n, mode, path):
    env = dict(os.environ, GLIBC_TUNABLES="glibc.malloc.hugetlb=1")
    p = subprocess.run([sys.executable, "-c", TORCH, json.dumps([d, r, n, mode]), path], capture_output=True, text=True, env=env)
    if p.returncode != 0:
        return None
    return json.loads(p.stdout)["seconds"]


def main():
    os.makedirs(OUT, exist_ok=True)
    rows = []
    for d, r, n in CASES:
        lib = os.path.join(OUT, "libjac_%s.so" % "_".join(map(str, d)))
        subprocess.run([NAGC, os.path.join(ROOT, "examples/pmlp.nag"), "-D", "d=%s" % d, "-D", "r=%d" % r,
                        "--emit=lib", "-o", lib], check=True)
        so = ctypes.CDLL(lib)
        jac = so.nag_pmlp_jac_theta
        jac.argtypes = [ctypes.c_void_p] * 5 + [ctypes.c_int64]
        rng = np.random.default_rng(1)
        P = sum(d[i] * d[i + 1] for i in range(len(d) - 1))
        theta = rng.uniform(-1, 1, P)
        x = rng.uniform(-1, 1, (n, d[0]))
        J = np.empty((n, d[-1], P))
        t_nagc = best(lambda: jac(theta.ctypes.data, x.ctypes.data, None, None, J.ctypes.data, n))
        t_numpy = best(lambda: numpy_jacobian(theta, x, d, r))
        err_numpy = float(np.max(np.abs(numpy_jacobian(theta, x, d, r) - J)) / np.max(np.abs(J)))
        res = {"network": "pmlp d=%s r=%d" % (d, r), "points": n, "jacobian": "%d x %d x %d" % (n, d[-1], P),
               "nagc_s": t_nagc, "numpy_s": t_numpy, "numpy_max_rel_diff": err_numpy}
        for mode in ["functorch", "autograd"]:
            path = os.path.join(OUT, "torch_%s.npy" % mode)
            t = torch_time(d, r, n, mode, path)
            res[mode + "_s"] = t
            if t is not None:
                Jt = np.load(path).reshape(J.shape)
                res[mode + "_max_rel_diff"] = float(np.max(np.abs(Jt - J)) / np.max(np.abs(J)))
        res["ratio_functorch"] = res["functorch_s"] / t_nagc if res["functorch_s"] else None
        res["ratio_numpy"] = t_numpy / t_nagc
        res["ratio_autograd"] = res["autograd_s"] / t_nagc if res["autograd_s"] else None
        rows.append(res)
    fmt = lambda t: "n/a" if t is None else ("%.3f ms" % (t * 1e3) if t < 1 else "%.2f s" % t)
    lines = ["# Jacobian with respect to theta, float64", "",
             "| network | Jacobian | nagc | functorch vmap(jacrev) | numpy by hand | autograd.functional | vs functorch | vs numpy |",
             "|---|---|---|---|---|---|---|---|"]
    for c in rows:
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %.1fx |" % (
            c["network"], c["jacobian"], fmt(c["nagc_s"]), fmt(c["functorch_s"]), fmt(c["numpy_s"]), fmt(c["autograd_s"]),
            "%.1fx" % c["ratio_functorch"] if c["ratio_functorch"] else "n/a", c["ratio_numpy"]))
    write_report(OUT, "jac", rows, lines)


if __name__ == "__main__":
    main()
