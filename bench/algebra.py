"""algebra.py NAGC OUTDIR — degree and equations of the neurovariety: nagc vs Macaulay2's ker/degree, same run.

For each case nagc compiles the network and times `degree` and `equations`
(exact: interpolation mod p, lifted to Q). Macaulay2 gets nagc's own export
(`export --format m2`, the same polynomial map), takes the coefficients of
f in x as a ring map from the coefficient coordinates to QQ[t], and times
`ker` (elimination) and `degree` of the kernel: the symbolic route a user
takes by hand. Macaulay2 is stopped at M2_LIMIT seconds and the row says so.
Not run by `make test`. Writes OUTDIR/algebra.md and .json.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import write_report  # noqa: E402

NAGC, OUT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
M2_LIMIT = 300  # seconds per network
NAGC_LIMIT = 300  # seconds per nagc command; beyond it the row says so
EX = os.path.join(ROOT, "examples")
# name, source, -D overrides, literature value of the degree
CASES = [
    ("pmlp (2,1,1) r=4", "pmlp.nag", ["d=[2,1,1]", "r=4"], 4),
    ("pmlp (3,2,1) r=2", "pmlp.nag", ["d=[3,2,1]"], 3),
    ("pmlp (2,2,1) r=6", "pmlp.nag", ["d=[2,2,1]", "r=6"], 10),
    ("poly_cnn n=4 (2,3) r=2", "poly_cnn.nag", ["n=4", "k1=2", "k2=3"], 6),
    ("pmlp (3,2,2) r=2", "pmlp.nag", ["d=[3,2,2]"], None),
    ("pmlp (4,3,1) r=2", "pmlp.nag", ["d=[4,3,1]"], 4),
]

M2_TEMPLATE = r'''
%s
n = %d; P = %d;
xs = apply(n, j -> R_(P + j));
S = QQ[t_1..t_P];
toS = map(S, R, gens S | apply(n, j -> 0_S));
C = flatten apply(F, f -> apply(flatten entries (coefficients(f, Variables => xs))_1, c -> toS c));
Q = QQ[c_1..c_(#C)];
phi = map(S, Q, C);
t0 = cpuTime();
K = ker phi;
t1 = cpuTime();
d = degree(Q / K);
t2 = cpuTime();
print("ker " | toString(t1 - t0) | " degree " | toString d | " seconds " | toString(t2 - t1) |
      " gens " | toString(tally apply(flatten entries mingens K, g -> first degree g)));
'''


def timed(cmd, cwd, limit=None):
    s = time.perf_counter()
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=limit)
    except subprocess.TimeoutExpired:
        return None, time.perf_counter() - s
    return p, time.perf_counter() - s


def main():
    work = os.path.join(OUT, "algebra-work")
    os.makedirs(work, exist_ok=True)
    rows, data = [], []
    have_m2 = shutil.which("M2") is not None
    for name, src, defs, expected in CASES:
        exe = os.path.join(work, re.sub(r"[^A-Za-z0-9]+", "_", name))
        cmd = [NAGC, os.path.join(EX, src)] + sum((["-D", d] for d in defs), []) + ["-o", exe]
        subprocess.run(cmd, check=True)
        info = json.loads(subprocess.run([exe, "info", "--json"], capture_output=True, text=True, check=True).stdout)
        p, t_deg = timed([exe, "degree", "--json"], work, NAGC_LIMIT)
        deg = json.loads(p.stdout)["degree"] if p and p.returncode == 0 else \
            ("timeout" if p is None else p.stderr.strip()[-120:])
        p, t_eq = timed([exe, "equations", "--json"], work, NAGC_LIMIT)
        eqs = json.loads(p.stdout) if p and p.returncode == 0 else {}
        row = {"case": name, "expected_degree": expected, "nagc_degree": deg, "nagc_degree_s": t_deg,
               "nagc_equations": eqs.get("count_by_degree"), "nagc_verified": eqs.get("verified"),
               "nagc_equations_s": t_eq, "m2_limit_s": M2_LIMIT, "nagc_limit_s": NAGC_LIMIT}
        if have_m2:
            export = subprocess.run([exe, "export", "--format", "m2"], capture_output=True, text=True, check=True).stdout
            head = export.split("-- The dimension")[0]
            script = os.path.join(work, os.path.basename(exe) + ".m2")
            with open(script, "w") as f:
                f.write(M2_TEMPLATE % (head, info["input_size"], info["P"]))
            p, t_m2 = timed(["M2", "--script", script], work, M2_LIMIT)
            if p is None:
                row.update(m2="timeout", m2_s=t_m2)
            else:
                m = re.search(r"ker (\S+) degree (\d+) seconds (\S+) gens (.*)", p.stdout)
                row.update(m2=m.group(0) if m else (p.stdout + p.stderr)[-200:], m2_s=t_m2,
                           m2_degree=int(m.group(2)) if m else None)
        else:
            row.update(m2="Macaulay2 not installed")
        data.append(row)
        ratio = ""
        if isinstance(row.get("m2_s"), float) and row.get("m2") != "timeout":
            ratio = "%.1fx" % (row["m2_s"] / max(t_deg + t_eq, 1e-9))
        m2text = ("> %d s (stopped)" % M2_LIMIT) if row.get("m2") == "timeout" else \
            ("%.2f s, degree %s" % (row["m2_s"], row.get("m2_degree")) if "m2_s" in row else row["m2"])
        rows.append("| %s | %s | %s (%.2f s) | %s (%.2f s, verified %s) | %s | %s |" % (
            name, expected, deg, t_deg, eqs.get("count_by_degree"), t_eq, eqs.get("verified"), m2text, ratio))
    lines = ["# degree and equations: nagc vs Macaulay2 (ker, degree) on nagc's export",
             "", "Limits: Macaulay2 %d s per network (wall time, including start-up), nagc %d s per command." % (M2_LIMIT, NAGC_LIMIT), "",
             "| network | degree (literature) | nagc degree | nagc equations by degree | Macaulay2 ker + degree | M2 / nagc |",
             "|---|---|---|---|---|---|"] + rows
    write_report(OUT, "algebra", data, lines)


main()
