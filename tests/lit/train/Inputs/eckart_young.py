"""eckart_young.py Y.txt REPORT.json [K] — the critical points of 1/2 |W - T|_F^2 over matrices W of rank <= K
(default 1), with T the target matrix of the data X = I (T[:, j] = Y[j, :]), from numpy's SVD (Eckart-Young): one
per set S of K singular values of T (distinct, generic data), W = the SVD truncation to S, loss
1/2 sum_{i not in S} s_i^2; the K largest give the only local minimum, every other set a saddle. So there are
C(n, K) of them, all real. Checks nagc's `critical --json`: every real point it found is one of these, each at
most once, with the right index."""
import itertools
import json
import sys

import numpy as np

Y = np.loadtxt(sys.argv[1])
report = json.load(open(sys.argv[2]))
K = int(sys.argv[3]) if len(sys.argv) > 3 else 1
s = np.linalg.svd(Y.T, compute_uv=False)  # descending
sets = list(itertools.combinations(range(len(s)), K))
loss = {S: 0.5 * sum(s[i] ** 2 for i in range(len(s)) if i not in S) for S in sets}
best = tuple(range(K))
real = [p for p in report["points"] if p["real"]]
matched, kinds_ok = set(), True
for p in real:
    hits = [S for S in sets if abs(p["loss"] - loss[S]) <= 1e-8 * max(1.0, abs(loss[S]))]
    if len(hits) != 1 or hits[0] in matched:
        matched = None
        break
    matched.add(hits[0])
    kinds_ok = kinds_ok and p["kind"] == ("minimum" if hits[0] == best else "saddle")
print("at most", len(sets), report["count"] <= len(sets), "all real", len(real) == report["count"])
print("each an Eckart-Young point", matched is not None and len(real) > 0, "index right", kinds_ok)
print("complete means all", len(sets), (not report["lower_bound"]) <= (report["count"] == len(sets)))
print("count", report["count"], "lower bound", report["lower_bound"])
