"""benchlib.py — helpers shared by the benchmarks."""
import json
import os
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


def write_report(out, name, data, lines):
    """OUT/NAME.json (the measurements) and OUT/NAME.md (the table in `lines`), printed."""
    with open(os.path.join(out, name + ".json"), "w") as f:
        json.dump(data, f, indent=2)
    text = "\n".join(lines) + "\n"
    with open(os.path.join(out, name + ".md"), "w") as f:
        f.write(text)
    print(text)
