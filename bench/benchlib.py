"""benchlib.py — helpers shared by the benchmarks."""
import time


def best(f, reps=7):
    """The best wall time of `reps` calls of f."""
    t = float("inf")
    for _ in range(reps):
        s = time.perf_counter()
        f()
        t = min(t, time.perf_counter() - s)
    return t


def layers(theta, d):
    """The weight matrices of pmlp with widths d, from theta's row-major layout."""
    Ws, o = [], 0
    for i in range(len(d) - 1):
        Ws.append(theta[o:o + d[i] * d[i + 1]].reshape(d[i + 1], d[i]))
        o += d[i] * d[i + 1]
    return Ws
