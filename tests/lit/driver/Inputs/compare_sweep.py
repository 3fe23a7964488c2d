"""compare_sweep.py — checks each row of a sweep CSV against span_ref.py.

usage: compare_sweep.py RESULTS.csv SPAN_REF_COMMAND... (the widths are
appended as --widths d0,d1,...). Compares span, dimension and defect (against
the reference's own least bound) and prints "N rows agree with span_ref".
"""
import csv
import json
import subprocess
import sys


def main():
    path, ref = sys.argv[1], sys.argv[2:]
    rows = list(csv.DictReader(open(path)))
    bad = 0
    for row in rows:
        widths = row["d"].strip("[]").replace(" ", "")
        cmd = " ".join(ref) + " --widths " + widths
        out = json.loads(subprocess.run(cmd, shell=True, check=True, capture_output=True, text=True).stdout)
        mine = (int(row["span"]), int(row["dimension"]), int(row["defect"]))
        theirs = (out["span"], out["dimension"], out["defect"])
        if row["status"] != "ok" or mine != theirs:
            print("MISMATCH", row["d"], "nagc (span, dim, defect)", mine, "span_ref", theirs)
            bad += 1
    if bad == 0:
        print(len(rows), "rows agree with span_ref")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
