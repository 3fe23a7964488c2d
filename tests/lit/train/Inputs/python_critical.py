"""python_critical.py SRCROOT/python LIBCONIC LIBRANK1 OUTDIR — Model.critical through nagrt_critical_report.

The cone over a conic ((2,1,1) t^2) has generic ED degree 4 (Draisma et al.'s
polar degrees, FRONTIER.md section 5): the count for a random metric and
target. On the rank-1 network 3 -> 1 -> 3 with the data X = I and the
targets Y, the report is written to OUTDIR/ey.json for eckart_young.py (every
real point one of numpy's SVD truncations). Shapes that do not fit refuse."""
import json
import os
import sys

import numpy as np

sys.path.insert(0, sys.argv[1])
import nagc  # noqa: E402

conic = nagc.Model(sys.argv[2])
r = conic.critical(metric="random:2", target="random:5")
runs = r["evidence"]["runs"]
print("conic count", r["count"], "lower_bound", r["lower_bound"], "certified", r["certified"], "complete runs",
      sum(x["complete"] for x in runs))
w = conic.critical(metric="random:2", target="random:5", method="witness")
print("conic witness only", w["count"], w["certified"], [x["method"] for x in w["evidence"]["runs"]])

rank1 = nagc.Model(sys.argv[3])
Y = np.loadtxt(os.path.join(sys.argv[4], "y.txt"))
report = rank1.critical(np.eye(3), Y)
json.dump(report, open(os.path.join(sys.argv[4], "ey.json"), "w"))
print("rank1 points", len(report["points"]) >= 1, "metric", report["metric"].split(" (")[0])

for bad in (lambda: rank1.critical(np.eye(3), Y[:2]), lambda: rank1.critical(np.eye(3), np.ones((3, 2))),
            lambda: rank1.critical(np.eye(3))):
    try:
        bad()
        print("accepted a bad shape")
    except ValueError as e:
        print("refused:", str(e).split(";")[0])
try:
    conic.critical(metric="bogus")
    print("accepted a bad metric")
except RuntimeError as e:
    print("runtime error:", e)
