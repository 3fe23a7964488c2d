"""dim_bench.py NAGC OUTDIR — dimension of the neurovariety: nagc vs PyTorch (and Macaulay2), same run.

For pmlp [6,10,10,1], [10,15,15,1] and [20,40,40,1] (r = 2): nagc's exact
(F_p, FLINT) and float (SVD) routes; PyTorch's float route as a researcher
writes it (functorch vmap(jacrev) at the same number of random points, then
torch.linalg.svdvals with the default rank tolerance); Macaulay2's
NumericalImplicitization when `M2` is installed (skipped with a note
otherwise, and above its time limit). nagc's and PyTorch's times are each the
median of three runs (one run is noisy at these sizes: the first run after a
compile was 0.23 s against 0.13-0.15 s for the next four). Writes
OUTDIR/dim.md and .json.

Then the scale search: pmlp [w, w, w, 1] r = 2 (P = 2w^2 + w, dimension
P - 2w: the Jacobian has nearly full rank) for growing w, the exact route
only, each run stopped at SCALE_LIMIT seconds; the largest P that finishes,
with its time and peak memory (GNU time's maximum resident set size), goes
to OUTDIR/dim_scale.md and .json.
"""
import json
import os
import signal
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import write_report  # noqa: E402

NAGC, OUT = sys.argv[1], sys.argv[2]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES = [[6, 10, 10, 1], [10, 15, 15, 1], [20, 40, 40, 1]]
M2_LIMIT = 120  # seconds per network; beyond it Macaulay2 is stopped and the row says so
SCALE_LIMIT = 60  # seconds per run of the scale search (issue 18's line)
SCALE_WIDTHS = [40, 60, 70, 75, 80, 90, 100, 110]

# Macaulay2's NumericalImplicitization on the map theta -> coefficients of f in
# x, built from nagc's own export (the same polynomials).
M2_TEMPLATE = r'''
needsPackage "NumericalImplicitization";
%s
xs = apply(%d, j -> R_(%d + j));
S = CC[t_1..t_%d];
toS = map(S, R, gens S | apply(%d, j -> 0_S));
C = flatten apply(F, f -> apply(flatten entries (coefficients(f, Variables => xs))_1, c -> toS c));
t0 = cpuTime();
d = numericalImageDim(C, ideal 0_S);
print("dim " | toString d | " seconds " | toString (cpuTime() - t0));
'''


def m2_time(exe, P, I):
    if not shutil.which("M2"):
        return "not installed", None
    try:
        p = subprocess.run([exe, "export", "--format", "m2"], capture_output=True, text=True, timeout=M2_LIMIT)
    except subprocess.TimeoutExpired:
        return "not run: writing the symbolic map takes over %d s" % M2_LIMIT, None
    if p.returncode != 0:  # the symbolic map itself is too large to write out
        why = p.stderr.strip().split("error: ")[-1] or "export ended with status %d" % p.returncode
        return "not run: " + why, None
    export = p.stdout
    defs = export.split("-- The dimension of the neurovariety")[0]
    path = exe + ".bench.m2"
    with open(path, "w") as f:
        f.write(M2_TEMPLATE % (defs, I, P, P, I))
    t = time.perf_counter()
    try:
        p = subprocess.run(["M2", "--script", path], capture_output=True, text=True, timeout=M2_LIMIT)
    except subprocess.TimeoutExpired:
        return "> %d s (stopped)" % M2_LIMIT, None
    out = [l for l in p.stdout.splitlines() if l.startswith("dim ")]
    if p.returncode in (-11, 139):
        return "crashed (segmentation fault in NumericalImplicitization)", None
    if p.returncode != 0 or not out:
        return "failed (status %d)" % p.returncode, None
    return "%.1f s (dim %s)" % (time.perf_counter() - t, out[-1].split()[1]), time.perf_counter() - t

TORCH = r'''
import sys, time, json, torch, functorch
torch.set_num_threads(2)
d, n = json.loads(sys.argv[1])
torch.manual_seed(1)
P = sum(d[i] * d[i + 1] for i in range(len(d) - 1))
theta = torch.rand(P, dtype=torch.float64) * 2 - 1
x = torch.rand(n, d[0], dtype=torch.float64) * 2 - 1
def f(th, xx):
    h, o = xx, 0
    for i in range(len(d) - 1):
        W = th[o:o + d[i] * d[i + 1]].reshape(d[i + 1], d[i]); o += d[i] * d[i + 1]
        h = W @ h
        if i < len(d) - 2: h = h ** 2
    return h
t = time.perf_counter()
J = functorch.vmap(functorch.jacrev(f), in_dims=(None, 0))(theta, x).reshape(-1, P)
s = torch.linalg.svdvals(J)
rank = int((s > s[0] * max(J.shape) * torch.finfo(torch.float64).eps).sum())
print(json.dumps({"seconds": time.perf_counter() - t, "rank": rank}))
'''


REPEATS = 3  # every timed command (nagc's and PyTorch's) runs this often; the median is reported


def median(runs):
    """The median by seconds of runs [(seconds, result), ...]."""
    return sorted(runs, key=lambda r: r[0])[len(runs) // 2]


def timed(cmd):
    """Median wall time of REPEATS runs of cmd, with the JSON of the median run (its `seconds` too)."""
    def once():
        t = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        return time.perf_counter() - t, json.loads(out)
    return median([once() for _ in range(REPEATS)])


def main():
    os.makedirs(OUT, exist_ok=True)
    rows = []
    for d in CASES:
        exe = os.path.join(OUT, "dim_%s" % "_".join(map(str, d)))
        subprocess.run([NAGC, os.path.join(ROOT, "examples/pmlp.nag"), "-D", "d=%s" % d, "-o", exe], check=True)
        t_exact, exact = timed([exe, "dim", "--exact", "--json"])
        t_float, flt = timed([exe, "dim", "--float", "--json"])
        row = {"network": "pmlp %s r=2" % d, "P": exact["P"], "dimension": exact["dimension"],
               "certified": exact["certified"], "nagc_exact_s": t_exact, "nagc_float_s": t_float,
               "nagc_exact_inprocess_s": exact.get("seconds"),
               "nagc_float_rank": flt["dimension"], "points": exact["points"]}
        env = dict(os.environ, GLIBC_TUNABLES="glibc.malloc.hugetlb=1")
        def torch_once():
            p = subprocess.run([sys.executable, "-c", TORCH, json.dumps([d, exact["points"]])], capture_output=True,
                               text=True, env=env)
            res = json.loads(p.stdout) if p.returncode == 0 else None
            return (res["seconds"] if res else float("inf")), res
        torch_runs = [torch_once() for _ in range(REPEATS)]
        if all(res for _, res in torch_runs):  # a failed run leaves PyTorch out of the row, as before
            _, res = median(torch_runs)
            row["pytorch_s"], row["pytorch_rank"] = res["seconds"], res["rank"]
        row["macaulay2"], row["macaulay2_s"] = m2_time(exe, exact["P"], d[0])
        rows.append(row)
    lines = ["# Dimension of the neurovariety", "",
             "nagc exact: the whole run of `dim --exact --json` (process start-up, about 15 ms here, included), and in "
             "brackets the command's own `seconds` (the dimension and the span, in-process, as PyTorch's time is: its "
             "import and start-up are outside its timer). Every time is the median of %d runs." % REPEATS, "",
             "| network | P | dimension | nagc exact (F_p) | nagc float | PyTorch float (rank) | exact vs PyTorch "
             "(in-process) | Macaulay2 |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        pt = "%.2f s (%d)" % (r["pytorch_s"], r["pytorch_rank"]) if "pytorch_s" in r else "n/a"
        inproc = r.get("nagc_exact_inprocess_s")
        ratio = "n/a"
        if "pytorch_s" in r:
            ratio = "%.1fx" % (r["pytorch_s"] / r["nagc_exact_s"])
            if inproc:
                ratio += " (%.1fx)" % (r["pytorch_s"] / inproc)
        if r.get("macaulay2_s"):
            r["macaulay2"] += ", %.0fx nagc" % (r["macaulay2_s"] / r["nagc_exact_s"])
        lines.append("| %s | %d | %d%s | %.3f s%s | %.2f s | %s | %s | %s |" % (
            r["network"], r["P"], r["dimension"], " (certified)" if r["certified"] else "", r["nagc_exact_s"],
            " (%.3f s)" % inproc if inproc else "", r["nagc_float_s"], pt, ratio, r["macaulay2"]))
    write_report(OUT, "dim", rows, lines)


def scale_search():
    runs, largest = [], None
    for w in SCALE_WIDTHS:
        d = [w, w, w, 1]
        exe = os.path.join(OUT, "dimscale_%d" % w)
        subprocess.run([NAGC, os.path.join(ROOT, "examples/pmlp.nag"), "-D", "d=%s" % d, "--only-dim-functions",
                        "-o", exe], check=True)
        stats = exe + ".time"
        t = time.perf_counter()
        # In a session of its own: on the time limit the whole group goes (killing /usr/bin/time alone left the
        # program running, and loading the machine, through the rest of the benchmarks).
        proc = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", stats, exe, "dim", "--exact", "--json"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            out, err = proc.communicate(timeout=SCALE_LIMIT)
            p = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            runs.append({"network": "pmlp %s r=2" % d, "P": 2 * w * w + w, "status": "> %d s (stopped)" % SCALE_LIMIT})
            break
        seconds = time.perf_counter() - t
        if p.returncode != 0:
            runs.append({"network": "pmlp %s r=2" % d, "P": 2 * w * w + w,
                         "status": "failed: " + (p.stderr.strip().splitlines() or ["status %d" % p.returncode])[-1]})
            break
        res = json.loads(p.stdout)
        with open(stats) as f:
            rss_kib = int(f.read().split()[-1])
        run = {"network": "pmlp %s r=2" % d, "P": res["P"], "dimension": res["dimension"], "seconds": seconds,
               "max_rss_gib": rss_kib / 2**20, "primes": [r["prime"] for r in res["ranks"]], "status": "ok"}
        runs.append(run)
        largest = run
    lines = ["# Largest exact dimension within %d s: pmlp [w, w, w, 1] r=2 (`dim --exact`, whole run)" % SCALE_LIMIT, "",
             "| network | P | dimension | time | peak memory | primes |", "|---|---|---|---|---|---|"]
    for r in runs:
        if r["status"] == "ok":
            lines.append("| %s | %d | %d | %.1f s | %.2f GiB | %s |" % (r["network"], r["P"], r["dimension"], r["seconds"],
                                                                     r["max_rss_gib"], ", ".join(map(str, r["primes"]))))
        else:
            lines.append("| %s | %d | | %s | | |" % (r["network"], r["P"], r["status"]))
    write_report(OUT, "dim_scale", {"limit_s": SCALE_LIMIT, "runs": runs, "largest": largest}, lines)


if __name__ == "__main__":
    main()
    scale_search()
