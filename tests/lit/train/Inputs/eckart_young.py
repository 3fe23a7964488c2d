"""eckart_young.py Y.txt REPORT.json — the critical points of 1/2 |W - T|_F^2 over rank-1 matrices W, with
T the target matrix of the data X = I (T[:, j] = Y[j, :]), from numpy's SVD (Eckart-Young): one per singular
value s_i, loss 1/2 (|T|^2 - s_i^2), the largest s_i the only local minimum, the others saddles. Checks nagc's
`critical --json`: every real point it found is one of these, each at most once, with the right index."""
import json
import sys

import numpy as np

Y = np.loadtxt(sys.argv[1])
report = json.load(open(sys.argv[2]))
s = np.linalg.svd(Y.T, compute_uv=False)
expected = sorted(0.5 * (np.sum(s ** 2) - x ** 2) for x in s)
real = [p for p in report["points"] if p["real"]]
matched, kinds_ok = set(), True
for p in real:
    hits = [i for i, e in enumerate(expected) if abs(p["loss"] - e) <= 1e-8 * max(1.0, abs(e))]
    if len(hits) != 1 or hits[0] in matched:
        matched = None
        break
    matched.add(hits[0])
    kinds_ok = kinds_ok and p["kind"] == ("minimum" if hits[0] == 0 else "saddle")
print("at most", len(expected), report["count"] <= len(expected), "all real", len(real) == report["count"])
print("each an Eckart-Young point", matched is not None and len(real) > 0, "index right", kinds_ok)
print("complete means all three", (not report["lower_bound"]) <= (report["count"] == len(expected)))
