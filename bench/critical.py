"""critical.py NAGC OUTDIR — critical points of the squared loss: nagc `critical` vs Macaulay2's MonodromySolver, same run.

For each case nagc compiles the network and times `critical --x X --y Y --json`
(its default --method auto: monodromy in the data, then the ED
correspondence's witness set by monodromy and trace test as the certificate,
capped at 20 times the count, each moved to the data by a homotopy, on
compiled complex code; every method runs two seeds, all in its time). It counts the complex critical
points of L(θ) = ½ Σ_i |f_θ(x_i) − y_i|² in function space (distinct value
vectors μ(θ) = (f_θ(x_1), …, f_θ(x_N))) where dμ has full rank dim V.
Macaulay2 gets nagc's own export (`export --format m2`, the same polynomial
map) and does what a researcher would write by hand with MonodromySolver:
substitute the data inputs into F (μ(t)), restrict to a random complex affine
slice t = t0 + E z of dimension m = dim V, write the critical equations
G(z; y) = Eᵀ J(t)ᵀ (μ(t) − y) = 0 (m equations in z, linear in the data y)
as a GateSystem with parameters (y_0, y), homogenized as Eᵀ Jᵀ (y_0 μ − y) so
that MonodromySolver sees a scale-invariant family and randomizes its edges
(its gamma trick), seed it with a random z0 and y0 = (1, μ(z0) − w) (w random
in the kernel of Eᵀ J(z0)ᵀ), `monodromySolve` with NumberOfNodes => 3 and
otherwise its defaults (one run, seed 1, no target count) for all solutions
at a generic y, track them to the data along the parameter segment to
γ(1, y) (as solveFamily does, with a random γ), keep the finite regular
endpoints where J(t) has numerical rank m and merge those with equal μ
(relative 1e-6). Both count the same thing. (Without the homogenization,
MonodromySolver's default graph of straight segments found 4 of the 28
solutions of (2,1,1) r=3, one critical point of 7; homogenized with its
default 2 nodes, 3 of the 12 of (2,1,1) r=2: bench/README.md.) The generic
solutions are also grouped by their function, as a check that monodromy
found whole fibres (not timed). M2's time is taken inside
M2 from the data's substitution to the count (start-up and package loading
excluded); each M2 run is stopped at M2_LIMIT seconds of wall time. Each
count is checked against the theorem where there is one (Eckart–Young; least
squares when V fills its span), and the two counts against each other. Not
run by `make test`. Writes OUTDIR/critical.md and .json, the data, M2 scripts
and logs under OUTDIR/critical-work/.
"""
import json
import os
import re
import shutil
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import ratios, timed, timed_tty, verdict, write_report  # noqa: E402

NAGC, OUT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
M2_LIMIT = 300  # seconds per case (wall time of the M2 process); beyond it the row says so
NAGC_LIMIT = 300  # seconds per nagc command
EX = os.path.join(ROOT, "examples")
# name, source, -D overrides, data (X = "identity" or a number of random samples), numpy seed of the data,
# expected count (None: no closed form for the data's metric) and where it comes from.
# Every case's data uses numpy seed 1: the data is not chosen for either tool's sake.
CASES = [
    ("linear 3->1->3", os.path.join(EX, "linear.nag"), ["d0=3", "d1=1", "d2=3", "d3=3"], "identity", 1, 3,
     "Eckart–Young: one rank-1 truncation per singular value"),
    ("linear 2->1->2", os.path.join(EX, "linear.nag"), ["d0=2", "d1=1", "d2=2", "d3=2"], "identity", 1, 2,
     "Eckart–Young"),
    ("linear 4->2->4", os.path.join(EX, "linear.nag"), ["d0=4", "d1=2", "d2=4", "d3=4"], "identity", 1, 6,
     "Eckart–Young: C(4,2) rank-2 truncations"),
    ("pmlp (2,1,1) r=2, 5 samples", os.path.join(EX, "pmlp.nag"), ["d=[2,1,1]", "r=2"], 5, 1, None, ""),
    ("pmlp (2,1,1) r=3, 6 samples", os.path.join(EX, "pmlp.nag"), ["d=[2,1,1]", "r=3"], 6, 1, None, ""),
    ("pmlp (2,2,1) r=2, 8 samples", os.path.join(EX, "pmlp.nag"), ["d=[2,2,1]", "r=2"], 8, 1, 1,
     "V fills its span (all binary quadratics, dim 3): linear least squares"),
]

M2_TEMPLATE = r'''
%(head)s
n = %(n)d; P = %(P)d; m = %(m)d;
X = %(X)s;
Y = %(Y)s;
needsPackage "MonodromySolver";
setRandomSeed 1;
-- the value vector mu(t), the slice t = t0 + E z, the critical equations G(z; y) = E^T J^T (mu - y) with parameters y
tSetup = first elapsedTiming (
    S = CC[t_1..t_P];
    mu = flatten apply(#X, i -> (phi := map(S, R, gens S | apply(X#i, v -> v * 1_S)); apply(F, f -> phi f)));
    K = #mu;
    t0 = random(CC^P, CC^1); E = random(CC^P, CC^m);
    T = CC[z_1..z_m];
    toT = map(T, S, flatten entries (promote(t0, T) + promote(E, T) * transpose vars T));
    muZ = apply(mu, f -> toT f);
    JT = jacobian matrix{muZ}; -- m x K: (E^T J^T)
    Rp = CC[y_0..y_K]; Q = Rp[z_1..z_m];
    toQ = map(Q, T, gens Q);
    G = (toQ JT) * (promote(Rp_0, Q) * transpose matrix{apply(muZ, f -> toQ f)}
        - transpose matrix{apply(K, k -> promote(Rp_(k + 1), Q))});
    GS = gateSystem G;
    -- the start pair: z0 random, y0 = mu(z0) - w with w in the kernel of E^T J(z0)^T
    z0 = random(CC^m, CC^1);
    mu0 = sub(transpose matrix{muZ}, transpose z0);
    (sv0, U0, Vt0) = SVD sub(JT, transpose z0);
    w = (conjugate transpose Vt0)_{m..K-1} * random(CC^(K-m), CC^1);
    p0 = point transpose(matrix{{1_CC}} || (mu0 - w)); x0 = point transpose z0;
    );
startResidual = norm evaluate(GS, p0, x0);
-- all solutions at a generic y by monodromy (MonodromySolver's defaults)
tMono = first elapsedTiming ((V, npaths) = monodromySolve(GS, p0, {x0}, NumberOfNodes => 3));
best = V; scan(V.Graph.Vertices, v -> if #(points v.PartialSols) > #(points best.PartialSols) then best = v);
sols = points best.PartialSols;
print("M2MONODROMY solutions " | toString(#sols) | " paths " | toString npaths | " seconds " | toString tMono);
-- (not timed) the generic solutions grouped by their function mu: every group should have the same size
groups = {};
scan(sols, p -> (
    mv := sub(matrix{mu}, transpose(t0 + E * transpose matrix p));
    i := position(groups, g -> norm(mv - first g) <= 1e-6 * max(norm mv, norm first g));
    groups = if i === null then append(groups, {mv, 1}) else replace(i, {first groups#i, last groups#i + 1}, groups)));
print("M2GROUPS " | toString sort apply(groups, last));
-- to the data: the segment from that generic y to the data's y in parameter space (as solveFamily does)
tTrack = first elapsedTiming (
    gam = random CC;
    H01 = specialize(parametricSegmentHomotopy GS, transpose(matrix best.BasePoint | gam * matrix{prepend(1_CC, apply(Y, v -> v + 0*ii))}));
    ends = trackHomotopy(H01, sols);
    );
-- function space: finite regular endpoints, rank of J(t) = m, merged by mu (relative 1e-6)
tCount = first elapsedTiming (
    muM = matrix{mu}; Jt = transpose jacobian muM; -- K x P
    regular = select(ends, p -> status p === Regular and norm matrix p < 1e8);
    reps = {}; ranklow = 0;
    scan(regular, p -> (
        tv = transpose(t0 + E * transpose matrix p);
        mv = sub(muM, tv);
        s = first SVD sub(Jt, tv);
        if #select(s, x -> x > 1e-8 * max s) < m then ranklow = ranklow + 1
        else if not any(reps, q -> norm(mv - q) <= 1e-6 * max(norm mv, norm q)) then reps = append(reps, mv)));
    realCount = #select(reps, q -> norm(q - conjugate q) <= 2e-8 * norm q);
    );
print("M2STATUS " | toString tally apply(ends, p -> toString status p));
print("M2RESULT count " | toString(#reps) | " seconds " | toString(tSetup + tMono + tTrack + tCount)
    | " solutions " | toString(#sols) | " paths " | toString npaths | " regular " | toString(#regular)
    | " ranklow " | toString ranklow | " real " | toString realCount | " setup " | toString tSetup
    | " monodromy " | toString tMono | " track " | toString tTrack | " count_s " | toString tCount
    | " start_residual " | toString startResidual);
'''


def make_data(kind, seed, n, outputs):
    """X (samples x inputs) and Y (samples x outputs) from numpy's default_rng(seed), uniform on [-1, 1)."""
    rng = np.random.default_rng(seed)
    X = np.eye(n) if kind == "identity" else rng.uniform(-1, 1, (kind, n))
    Y = rng.uniform(-1, 1, (X.shape[0], outputs))
    return X, Y


def m2_list(a):
    return "{" + ", ".join("{" + ", ".join(repr(float(v)) for v in row) + "}" for row in a) + "}"


def run_nagc(exe, work, xf, yf):
    rc, out, err, t = timed([exe, "critical", "--x", xf, "--y", yf, "--json"], work, NAGC_LIMIT)
    row = {"nagc_s": t}
    if rc is None:
        row.update(nagc_count=None, nagc_status="timeout")
        return row
    if rc != 0:
        row.update(nagc_count=None, nagc_status="error: " + err.strip()[-160:])
        return row
    j = json.loads(out)
    runs = j["evidence"]["runs"]
    row.update(nagc_count=j["count"], nagc_lower_bound=j["lower_bound"], nagc_status="ok",
               nagc_agree=j.get("agree"), nagc_real=j["real"]["count"], nagc_minima=j["real"]["minima"],
               nagc_notes=j["evidence"].get("notes"), coordinates=j.get("coordinates"),
               nagc_runs=[{k: r.get(k) for k in ("seed", "witness_points", "loops", "paths", "failed_paths",
                                                  "trace_residual", "witness_complete", "finite", "at_infinity",
                                                  "singular", "failed", "merged", "target_attempts", "complete",
                                                  "seconds")} for r in runs])
    return row


def run_m2(exe, info, dim, X, Y, work, base):
    export = subprocess.run([exe, "export", "--format", "m2"], capture_output=True, text=True, check=True).stdout
    head = export.split("-- The dimension")[0]
    script = os.path.join(work, base + ".m2")
    with open(script, "w") as f:
        f.write(M2_TEMPLATE % {"head": head, "n": info["input_size"], "P": info["P"], "m": dim,
                               "X": m2_list(X), "Y": "{" + ", ".join(repr(float(v)) for v in Y.ravel()) + "}"})
    rc, out, t = timed_tty(["M2", "--script", script], work, M2_LIMIT)
    with open(os.path.join(work, base + ".m2.log"), "w") as f:
        f.write(out)
    row = {"m2_wall_s": t}
    mono = re.search(r"M2MONODROMY solutions (\d+) paths (\S+) seconds (\S+)", out)
    if mono:
        row.update(m2_solutions=int(mono.group(1)), m2_paths=mono.group(2), m2_monodromy_s=float(mono.group(3)))
    gr = re.search(r"M2GROUPS \{(.*)\}", out)
    if gr:
        row["m2_group_sizes"] = [int(k) for k in gr.group(1).split(",") if k.strip()]
    st = re.search(r"M2STATUS (.*)", out)
    if st:
        row["m2_endpoint_status"] = st.group(1).strip()
    m = re.search(r"M2RESULT count (\d+) seconds (\S+) solutions (\d+) paths (\S+) regular (\d+) ranklow (\d+) "
                  r"real (\d+) setup (\S+) monodromy (\S+) track (\S+) count_s (\S+) start_residual (\S+)", out)
    if rc is None:
        row.update(m2_status="timeout", m2_count=None, m2_s=None)
    elif m:
        row.update(m2_status="ok", m2_count=int(m.group(1)), m2_s=float(m.group(2)), m2_solutions=int(m.group(3)),
                   m2_paths=m.group(4), m2_regular=int(m.group(5)), m2_rank_deficient=int(m.group(6)),
                   m2_real=int(m.group(7)), m2_setup_s=float(m.group(8)), m2_monodromy_s=float(m.group(9)),
                   m2_track_s=float(m.group(10)), m2_count_s=float(m.group(11)),
                   m2_start_residual=float(m.group(12)))
    else:
        why = "signal %d" % -rc if rc < 0 else "exit %d" % rc
        row.update(m2_status="failed (%s): %s" % (why, out.strip()[-300:]), m2_count=None, m2_s=None)
    return row


def nonregular(row):
    """(status, number) of M2's endpoints at the data that are not Regular, from its tally."""
    return [(k, int(v)) for k, v in re.findall(r"(\w+) => (\d+)", row.get("m2_endpoint_status", "")) if k != "Regular"]


def table_row(row):
    if row["nagc_status"] == "ok":
        ncount = "%s%d" % ("≥ " if row["nagc_lower_bound"] else "", row["nagc_count"])
        if row["expected"] is not None:
            ncount += ", " + row["nagc_right"]
        ncount += " (real %d)" % row["nagc_real"]
        runs = row["nagc_runs"]
        nsec = "%.2f s (seed 1: %.2f s)" % (row["nagc_s"], runs[0]["seconds"])
        failed = sum(r["failed_paths"] or 0 for r in runs)
        if failed:
            nsec += "; failed paths %d of %d" % (failed, sum(r["paths"] or 0 for r in runs))
    else:
        ncount, nsec = row["nagc_status"], "%.2f s" % row["nagc_s"]
    if row.get("m2_status") == "ok":
        mcount = "%d" % row["m2_count"]
        if row["expected"] is not None:
            mcount += ", " + row["m2_right"]
        groups = row.get("m2_group_sizes") or []
        mcount += " (real %d; %d solutions at a generic y%s, %s paths; at the data %d regular%s%s)" % (
            row["m2_real"], row["m2_solutions"], " in groups " + "+".join(map(str, groups)) if groups else "",
            row["m2_paths"], row["m2_regular"], "".join(", %s %s" % (v, k) for k, v in nonregular(row)),
            ", %d rank-deficient" % row["m2_rank_deficient"] if row["m2_rank_deficient"] else "")
        msec = "%.2f s (monodromy %.2f s, to the data %.2f s)" % (row["m2_s"], row["m2_monodromy_s"],
                                                                  row["m2_track_s"])
    elif row.get("m2_status") == "timeout":
        mcount = "> %d s (stopped%s)" % (M2_LIMIT, "; %d solutions at a generic y after monodromy" % row[
            "m2_solutions"] if row.get("m2_solutions") is not None else "; in monodromy")
        msec = ""
    else:
        mcount, msec = row.get("m2_status", ""), ""
    agree = row.get("agree", "-")
    return "| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
        (row["case"], "-" if row["expected"] is None else row["expected"], ncount, nsec, mcount, msec)
        + ratios(row, M2_LIMIT) + (agree,))


def main():
    work = os.path.join(OUT, "critical-work")
    os.makedirs(work, exist_ok=True)
    data = []
    have_m2 = shutil.which("M2") is not None
    for name, src, defs, kind, seed, expected, why in CASES:
        base = re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_")
        exe = os.path.join(work, base)
        cmd = [NAGC, src] + sum((["-D", d] for d in defs), []) + ["-o", exe]
        subprocess.run(cmd, check=True)
        info = json.loads(subprocess.run([exe, "info", "--json"], capture_output=True, text=True, check=True).stdout)
        dim = json.loads(subprocess.run([exe, "dim", "--json"], capture_output=True, text=True,
                                        check=True).stdout)["dimension"]
        X, Y = make_data(kind, seed, info["input_size"], info["output"]["size"])
        xf, yf = os.path.join(work, base + ".X.txt"), os.path.join(work, base + ".Y.txt")
        np.savetxt(xf, X, fmt="%.17g")
        np.savetxt(yf, Y, fmt="%.17g")
        row = {"case": name, "source": os.path.relpath(src, ROOT), "defines": defs, "expected": expected,
               "expected_from": why, "samples": int(X.shape[0]), "data": "X = identity" if kind == "identity" else
               "X, Y uniform on [-1, 1)", "data_seed": seed, "P": info["P"], "dimension": dim,
               "m2_limit_s": M2_LIMIT, "nagc_limit_s": NAGC_LIMIT}
        row.update(run_nagc(exe, work, xf, yf))
        row["nagc_right"] = verdict(row["nagc_count"], expected, row.get("nagc_lower_bound", False))
        if have_m2:
            row.update(run_m2(exe, info, dim, X, Y, work, base))
            row["m2_right"] = verdict(row["m2_count"], expected)
        else:
            row.update(m2_status="Macaulay2 not installed", m2_count=None, m2_s=None)
        if row["nagc_count"] is not None and row["m2_count"] is not None:
            row["agree"] = "yes" if row["nagc_count"] == row["m2_count"] else "NO"
            if row["agree"] == "yes" and row.get("m2_real") is not None and row["m2_real"] != row["nagc_real"]:
                row["agree"] = "count yes, real NO"
        row["ratio"], row["ratio_seed1"] = ratios(row, M2_LIMIT)
        data.append(row)
        print(table_row(row), flush=True)
    load = os.getloadavg()
    lines = ["# critical points of the squared loss: nagc `critical` vs Macaulay2 MonodromySolver on nagc's export",
             "", "Counts in function space (distinct f, full-rank differential), complex, with the real ones in "
             "brackets. nagc: `critical --x X --y Y --json` (two seeds, whole command timed, default threads; "
             "the seed-1 run's own time beside it). Macaulay2: `monodromySolve` on the critical equations of a "
             "random slice of dimension dim V, with the data homogenized (y_0, y) so that its edges get the "
             "gamma trick (NumberOfNodes => 3, otherwise defaults: one run, one thread, seed 1, no target "
             "count), then a parameter homotopy to the data; the solutions at the generic y are grouped by "
             "their function (equal groups: whole fibres). Timed inside M2 from the data's substitution to "
             "the count (start-up excluded); "
             "stopped at %d s per case (wall time). %d cores, load average at the end %.2f." % (
                 M2_LIMIT, os.cpu_count(), load[0]), "",
             "| case | expected | nagc count | nagc seconds | M2 count | M2 seconds | M2 / nagc | "
             "M2 / nagc seed-1 run | counts agree |",
             "|---|---|---|---|---|---|---|---|---|"] + [table_row(r) for r in data]
    write_report(OUT, "critical", data, lines)


main()
