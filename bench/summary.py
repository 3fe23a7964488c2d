"""summary.py OUTDIR — one table of ratios from the benchmarks' JSON files in OUTDIR.

Each benchmark (bench/README.md) writes OUTDIR/NAME.json; this reads those
that exist and prints one row per measured case: what was timed, nagc's
time, the peer's, the ratio (peer time / nagc time, above 1 when nagc is
faster) and the target the issues set, where there is one. A benchmark that
did not run is listed as missing. Writes OUTDIR/summary.md.
"""
import json
import os
import sys

OUT = sys.argv[1]


def load(name):
    path = os.path.join(OUT, name + ".json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def ms(s):
    return "n/a" if s is None else ("%.3g ms" % (s * 1e3) if s < 1 else "%.3g s" % s)


def ratio(peer, nagc):
    return "n/a" if not peer or not nagc else "%.1fx" % (peer / nagc)


def main():
    rows, missing = [], []
    data = load("eval")
    if data is None:
        missing.append("eval")
    for r in (data or {}).get("cases", []):
        peer = r["fastest_peer"]
        rows.append(("eval f_theta(x)", "%s, %d samples" % (r["network"], r["samples"]), ms(r["nagc_s"]),
                     "%s %s" % (peer, ms(r["%s_s" % ("numpy" if peer == "numpy" else "pytorch")])),
                     "%.1fx" % r["ratio_to_fastest_peer"],
                     "%.0f%% of the DGEMM rate (target 50%%)" % (100 * r["fraction_of_matmul_rate"])))
    data = load("jac")
    if data is None:
        missing.append("jac")
    for r in data or []:
        rows.append(("jac_theta", r["network"], ms(r["nagc_s"]), "functorch %s" % ms(r.get("functorch_s")),
                     ratio(r.get("functorch_s"), r["nagc_s"]), "target 10x"))
        rows.append(("jac_theta", r["network"], ms(r["nagc_s"]), "numpy by hand %s" % ms(r.get("numpy_s")),
                     ratio(r.get("numpy_s"), r["nagc_s"]), "target 3x"))
    data = load("dim")
    if data is None:
        missing.append("dim")
    for r in data or []:
        rows.append(("dim, exact (F_p)", "%s, P = %d" % (r["network"], r["P"]), ms(r["nagc_exact_s"]),
                     "PyTorch float %s" % ms(r.get("pytorch_s")), ratio(r.get("pytorch_s"), r["nagc_exact_s"]),
                     "target 10x (whole run)"))
        if r.get("nagc_exact_inprocess_s"):
            rows.append(("dim, exact (F_p), in-process", "%s, P = %d" % (r["network"], r["P"]),
                         ms(r["nagc_exact_inprocess_s"]), "PyTorch float %s" % ms(r.get("pytorch_s")),
                         ratio(r.get("pytorch_s"), r["nagc_exact_inprocess_s"]), "target 10x (like for like)"))
        if r.get("macaulay2_s"):
            rows.append(("dim", r["network"], ms(r["nagc_exact_s"]), "Macaulay2 %s" % ms(r["macaulay2_s"]),
                         ratio(r["macaulay2_s"], r["nagc_exact_s"]), ""))
    scale = load("dim_scale")
    if scale is None:
        missing.append("dim_scale")
    elif scale.get("largest"):
        big = scale["largest"]
        rows.append(("dim, largest P within %d s" % scale["limit_s"], big["network"], ms(big["seconds"]),
                     "", "", "P = %d, %.1f GiB peak (target P >= 20000)" % (big["P"], big["max_rss_gib"])))
    data = load("algebra")
    if data is None:
        missing.append("algebra")
    for r in data or []:
        t = (r.get("nagc_degree_s") or 0) + (r.get("nagc_equations_s") or 0)
        m2 = r.get("m2_s") if r.get("m2") != "timeout" else None
        rows.append(("degree + equations", r.get("network", r.get("case", "?")), ms(t or None),
                     "Macaulay2 ker/degree %s" % ("> limit" if r.get("m2") == "timeout" else ms(m2)),
                     ratio(m2, t), ""))
    data = load("degree")
    if data is None:
        missing.append("degree")
    for r in data or []:
        rows.append(("degree (monodromy)", r["case"], ms(r.get("nagc_s")),
                     "M2 numericalImageDegree %s" % ms(r.get("m2_s")), r.get("ratio") or "n/a", "target 100x"))
    data = load("critical")
    if data is None:
        missing.append("critical")
    for r in data or []:
        counts = "counts nagc %s%s, M2 %s" % ("≥ " if r.get("nagc_lower_bound") else "", r.get("nagc_count"),
                                        r.get("m2_count") if r.get("m2_count") is not None else r.get("m2_status"))
        rows.append(("critical points", r["case"], ms(r.get("nagc_s")),
                     "M2 MonodromySolver %s" % ms(r.get("m2_s")), r.get("ratio") or "n/a",
                     counts + ("" if r.get("agree", "yes") == "yes" else " (counts DISAGREE)")))
    data = load("train")
    if data is None:
        missing.append("train")
    for r in data or []:
        rows.append(("train steps/s", r["optimizer"], "%.0f/s" % r["nagc_steps_per_second"],
                     "%s %.0f/s" % (r["peer"], r["peer_steps_per_second"]),
                     "%.1fx" % (r["nagc_steps_per_second"] / r["peer_steps_per_second"]), "target 10x"))
    lines = ["# nagc benchmarks: ratios (peer time / nagc time; above 1: nagc is faster)", "",
             "| benchmark | case | nagc | peer | ratio | target / note |", "|---|---|---|---|---|---|"]
    lines += ["| %s |" % " | ".join(row) for row in rows]
    if missing:
        lines += ["", "Not run (no JSON in %s): %s" % (OUT, ", ".join(missing))]
    text = "\n".join(lines) + "\n"
    with open(os.path.join(OUT, "summary.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
