"""eval_bench.py NAGC OUTDIR — f_theta(x) throughput: nagc vs numpy vs PyTorch, same run.

Every peer evaluates the same network on the same float64 data already in
memory; nagc is called through its shared library (ctypes), numpy and
PyTorch (eager, torch.no_grad, 2 threads) run the same layers. Each time is
the best of several repetitions. Also measured: this machine's float64
matmul rate (numpy dgemm 2000x2000), to report the fraction nagc reaches.
Results go to OUTDIR/eval.md and OUTDIR/eval.json.
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
CASES = [([8, 16, 16, 1], 2, 10**6), ([32, 64, 64, 8], 2, 10**5)]
REPS = 7


def flops(d, n):
    return 2.0 * n * sum(d[i] * d[i + 1] for i in range(len(d) - 1))


def matmul_rate():
    # 3000 x 3000 on all cores, best of 7: a 2000 x 2000 best of 5 varied
    # between 43 and 71 GFLOP/s from run to run here. Measured before and
    # after nagc's timings; the higher is the rate reported.
    a = np.random.default_rng(0).standard_normal((3000, 3000))
    a @ a
    t = best(lambda: a @ a, 7)
    return 2 * 3000**3 / t


TORCH = r'''
import sys, time, json, numpy as np, torch
torch.set_num_threads(2)
d, r, n = json.loads(sys.argv[1])
rng = np.random.default_rng(1)
P = sum(d[i] * d[i + 1] for i in range(len(d) - 1))
theta = rng.uniform(-1, 1, P); x = torch.from_numpy(rng.uniform(-1, 1, (n, d[0])))
Ws, o = [], 0
for i in range(len(d) - 1):
    Ws.append(torch.from_numpy(theta[o:o + d[i] * d[i + 1]].reshape(d[i + 1], d[i]).copy())); o += d[i] * d[i + 1]
def f():
    h = x
    for i, W in enumerate(Ws):
        h = h @ W.T
        if i < len(Ws) - 1: h = h ** r
    return h
with torch.no_grad():
    f(); t = float("inf")
    for _ in range(7):
        s = time.perf_counter(); f(); t = min(t, time.perf_counter() - s)
print(json.dumps({"seconds": t, "torch": torch.__version__}))
'''


def torch_time(d, r, n):
    env = dict(os.environ, GLIBC_TUNABLES="glibc.malloc.hugetlb=1")
    p = subprocess.run([sys.executable, "-c", TORCH, json.dumps([d, r, n])], capture_output=True, text=True, env=env)
    if p.returncode != 0:
        return None, p.stderr.strip().splitlines()[-1] if p.stderr.strip() else "failed"
    res = json.loads(p.stdout)
    return res["seconds"], "torch " + res["torch"]


def main():
    os.makedirs(OUT, exist_ok=True)
    rate = matmul_rate()
    rows = []
    for d, r, n in CASES:
        lib = os.path.join(OUT, "libbench_%s.so" % "_".join(map(str, d)))
        subprocess.run([NAGC, os.path.join(ROOT, "examples/pmlp.nag"), "-D", "d=%s" % d, "-D", "r=%d" % r,
                        "--emit=lib", "-o", lib], check=True)
        so = ctypes.CDLL(lib)
        so.nag_pmlp_eval.argtypes = [ctypes.c_void_p] * 3 + [ctypes.c_int64]
        rng = np.random.default_rng(1)
        P = sum(d[i] * d[i + 1] for i in range(len(d) - 1))
        theta = rng.uniform(-1, 1, P)
        x = rng.uniform(-1, 1, (n, d[0]))
        y = np.empty((n, d[-1]))
        t_nagc = best(lambda: so.nag_pmlp_eval(theta.ctypes.data, x.ctypes.data, y.ctypes.data, n))

        Ws = layers(theta, d)

        def numpy_f():
            h = x
            for i, W in enumerate(Ws):
                h = h @ W.T
                if i < len(Ws) - 1:
                    h = h ** r
            return h

        t_numpy = best(numpy_f)
        err = float(np.max(np.abs(numpy_f() - y)) / np.max(np.abs(y)))
        t_torch, torch_note = torch_time(d, r, n)
        peers = {"numpy": t_numpy}
        if t_torch is not None:
            peers["pytorch"] = t_torch
        fastest = min(peers, key=peers.get)
        rows.append({
            "network": "pmlp d=%s r=%d" % (d, r), "samples": n,
            "nagc_s": t_nagc, "numpy_s": t_numpy, "pytorch_s": t_torch, "pytorch": torch_note,
            "nagc_samples_per_s": n / t_nagc, "nagc_gflops": flops(d, n) / t_nagc / 1e9,
            "fraction_of_matmul_rate": flops(d, n) / t_nagc / rate,
            "fastest_peer": fastest, "ratio_to_fastest_peer": peers[fastest] / t_nagc,
            "ratio_to_numpy": t_numpy / t_nagc,
            "ratio_to_pytorch": (t_torch / t_nagc) if t_torch else None,
            "max_relative_difference_to_numpy": err,
        })
    rate = max(rate, matmul_rate())
    for c, (d, r, n) in zip(rows, CASES):
        c["fraction_of_matmul_rate"] = flops(d, n) / c["nagc_s"] / rate
    lines = ["# f_theta(x) throughput, float64 (best of %d)" % REPS, "",
             "Machine float64 matmul rate (numpy dgemm 3000x3000, all cores, best of 7 before and after): %.1f GFLOP/s" % (rate / 1e9), "",
             "| network | samples | nagc | numpy | PyTorch | nagc samples/s | nagc GFLOP/s | of matmul rate | vs fastest peer |",
             "|---|---|---|---|---|---|---|---|---|"]
    for c in rows:
        torch_cell = "%.1f ms" % (c["pytorch_s"] * 1e3) if c["pytorch_s"] else c["pytorch"]
        lines.append("| %s | %d | %.2f ms | %.1f ms | %s | %.3g | %.1f | %.0f%% | %.1fx (%s) |" % (
            c["network"], c["samples"], c["nagc_s"] * 1e3, c["numpy_s"] * 1e3, torch_cell, c["nagc_samples_per_s"],
            c["nagc_gflops"], 100 * c["fraction_of_matmul_rate"], c["ratio_to_fastest_peer"], c["fastest_peer"]))
    write_report(OUT, "eval", {"matmul_gflops": rate / 1e9, "cases": rows}, lines)


if __name__ == "__main__":
    main()
