"""degree.py NAGC OUTDIR — degree of the neurovariety by monodromy: nagc vs Macaulay2's numericalImageDegree, same run.

For each case nagc compiles the network and times `degree --method monodromy`
(pseudo-witness set, monodromy loops and trace test on compiled complex code;
the command repeats with a second seed, and both runs are in its time).
Macaulay2 gets nagc's own export (`export --format m2`, the same polynomial
map), takes the coefficients of f in x as polynomials in the parameters over
CC, and times `numericalImageDegree(C, ideal 0_S)` of NumericalImplicitization
with its defaults (one run, one thread, seed 1): the numerical route a user
takes by hand. Both count the same thing, #(V ∩ L) for a generic affine L of
complementary dimension (the projective degree when V is a cone).
Macaulay2 is stopped at M2_LIMIT seconds per network and the row says so,
with the points it had found by then. Each degree is checked against the
literature value. Not run by `make test`. Writes OUTDIR/degree.md and .json.
"""
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import ratios, timed, timed_tty, verdict, write_report  # noqa: E402

NAGC, OUT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
M2_LIMIT = 300  # seconds per network (wall time of the M2 process); beyond it the row says so
NAGC_LIMIT = 300  # seconds per nagc command
EX = os.path.join(ROOT, "examples")
CNN3 = os.path.join(ROOT, "tests", "lit", "numeric", "Inputs", "cnn3.nag")
# name, source, -D overrides, literature value of the degree (FRONTIER.md §1, issue 14)
CASES = [
    ("pmlp (2,2,1) r=6", os.path.join(EX, "pmlp.nag"), ["d=[2,2,1]", "r=6"], 10),
    ("linear 3->1->3", os.path.join(EX, "linear.nag"), ["d0=3", "d1=1", "d2=3", "d3=3"], 6),
    ("poly_cnn n=4 (2,3) r=2", os.path.join(EX, "poly_cnn.nag"), ["n=4", "k1=2", "k2=3"], 6),
    ("pmlp (3,5,1) r=4", os.path.join(EX, "pmlp.nag"), ["d=[3,5,1]", "r=4"], 6),
    ("cnn3 n=4 (2,2,2) r=2", CNN3, ["n=4", "k1=2", "k2=2", "k3=2"], 48),
    ("cnn3 n=5 (2,3,2) r=2", CNN3, ["n=5", "k1=2", "k2=3", "k3=2"], 192),
]

M2_TEMPLATE = r'''
%s
n = %d; P = %d;
xs = apply(n, j -> R_(P + j));
S = CC[t_1..t_P];
toS = map(S, R, gens S | apply(n, j -> 0_S));
C = flatten apply(F, f -> apply(flatten entries (coefficients(f, Variables => xs))_1, c -> toS c));
needsPackage "NumericalImplicitization";
setRandomSeed 1;
e = elapsedTiming (d = numericalImageDegree(C, ideal 0_S));
print("M2RESULT degree " | toString d | " seconds " | toString(first e) | " coordinates " | toString(#C));
'''


def run_nagc(exe, work):
    rc, out, err, t = timed([exe, "degree", "--method", "monodromy", "--json"], work, NAGC_LIMIT)
    row = {"nagc_s": t}
    if rc is None:
        row.update(nagc_degree=None, nagc_status="timeout")
        return row
    if rc != 0:
        row.update(nagc_degree=None, nagc_status="error: " + err.strip()[-160:])
        return row
    j = json.loads(out)
    runs = j["evidence"]["monodromy"]["runs"]
    row.update(nagc_degree=j["degree"], nagc_lower_bound=j["lower_bound"], nagc_status="ok",
               nagc_agree=j["evidence"].get("agree"), nagc_cone=j.get("cone"), dimension=j.get("dimension"),
               nagc_runs=[{k: r.get(k) for k in ("seed", "points", "loops", "paths", "failed_paths",
                                                  "trace_residual", "complete", "seconds")} for r in runs])
    return row


def run_m2(exe, info, work, base):
    export = subprocess.run([exe, "export", "--format", "m2"], capture_output=True, text=True, check=True).stdout
    head = export.split("-- The dimension")[0]
    script = os.path.join(work, base + ".m2")
    with open(script, "w") as f:
        f.write(M2_TEMPLATE % (head, info["input_size"], info["P"]))
    rc, out, t = timed_tty(["M2", "--script", script], work, M2_LIMIT)
    with open(os.path.join(work, base + ".m2.log"), "w") as f:
        f.write(out)
    found = [int(k) for k in re.findall(r"Points found: (\d+)", out)]
    row = {"m2_wall_s": t, "m2_points_found": found[-1] if found else None,
           "m2_failed_trace_tests": len(re.findall(r"Failed trace test", out)),
           "m2_paths_lost": sum(int(k) for k in re.findall(r"Paths going to infinity: (\d+)", out)),
           "m2_incomplete": "Degree of image should be at least" in out}
    m = re.search(r"M2RESULT degree (\d+) seconds (\S+)", out)
    if rc is None:
        row.update(m2_status="timeout", m2_degree=None, m2_s=None)
    elif m:
        row.update(m2_status="ok", m2_degree=int(m.group(1)), m2_s=float(m.group(2)))
    else:
        why = "signal %d" % -rc if rc < 0 else "exit %d" % rc
        row.update(m2_status="failed (%s): %s" % (why, out.strip()[-200:]), m2_degree=None, m2_s=None)
    return row


def table_row(row, have_m2):
    if row["nagc_status"] == "ok":
        runs = ", ".join("%s in %.2f s" % (r["points"], r["seconds"]) for r in row["nagc_runs"])
        ntext = "%s%s, %s (%.2f s; runs: %s)" % ("≥ " if row["nagc_lower_bound"] else "", row["nagc_degree"],
                                                row["nagc_right"], row["nagc_s"], runs)
        lost = sum(r["failed_paths"] or 0 for r in row["nagc_runs"])
        if lost:
            ntext += "; failed paths %d of %d" % (lost, sum(r["paths"] or 0 for r in row["nagc_runs"]))
    else:
        ntext = "%s (%.2f s)" % (row["nagc_status"], row["nagc_s"])
    if row.get("m2_status") == "ok":
        mtext = "%d, %s (%.2f s)" % (row["m2_degree"], row["m2_right"], row["m2_s"])
    elif row.get("m2_status") == "timeout":
        mtext = "> %d s (stopped; %s points found)" % (M2_LIMIT, row.get("m2_points_found") or "no")
    else:
        mtext = row["m2_status"]
    if have_m2 and (row["m2_failed_trace_tests"] or row["m2_paths_lost"]):
        mtext += "; failed trace tests %d, paths lost %d" % (row["m2_failed_trace_tests"], row["m2_paths_lost"])
    return "| %s | %s | %s | %s | %s | %s |" % ((row["case"], row["expected_degree"], ntext, mtext) + ratios(row, M2_LIMIT))


def main():
    work = os.path.join(OUT, "degree-work")
    os.makedirs(work, exist_ok=True)
    data = []
    have_m2 = shutil.which("M2") is not None
    for name, src, defs, expected in CASES:
        base = re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_")
        exe = os.path.join(work, base)
        cmd = [NAGC, src] + sum((["-D", d] for d in defs), []) + ["-o", exe]
        subprocess.run(cmd, check=True)
        info = json.loads(subprocess.run([exe, "info", "--json"], capture_output=True, text=True, check=True).stdout)
        row = {"case": name, "source": os.path.relpath(src, ROOT), "defines": defs, "expected_degree": expected,
               "P": info["P"], "m2_limit_s": M2_LIMIT, "nagc_limit_s": NAGC_LIMIT}
        row.update(run_nagc(exe, work))
        row["nagc_right"] = verdict(row["nagc_degree"], expected, row.get("nagc_lower_bound", False))
        if have_m2:
            row.update(run_m2(exe, info, work, base))
            row["m2_right"] = verdict(row["m2_degree"], expected, row["m2_incomplete"])
        else:
            row.update(m2_status="Macaulay2 not installed", m2_degree=None, m2_s=None)
        row["ratio"], row["ratio_seed1"] = ratios(row, M2_LIMIT)
        data.append(row)
        print(table_row(row, have_m2), flush=True)
    load = os.getloadavg()
    lines = ["# degree by monodromy: nagc vs Macaulay2 numericalImageDegree on nagc's export",
             "", "nagc: `degree --method monodromy` (two seeds, whole command timed, default threads). "
             "Macaulay2: `numericalImageDegree` with its defaults (one run, one thread), timed inside M2 "
             "(start-up excluded); stopped at %d s per network (wall time). %d cores, load average at the end %.2f." % (
                 M2_LIMIT, os.cpu_count(), load[0]), "",
             "| network | degree (literature) | nagc degree (seconds) | Macaulay2 degree (seconds) | M2 / nagc | M2 / nagc seed-1 run |",
             "|---|---|---|---|---|---|"] + [table_row(r, have_m2) for r in data]
    write_report(OUT, "degree", data, lines)


main()
