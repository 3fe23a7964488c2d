"""diag-coverage.py DEF TESTDIR: fails when a catalogue id has no lit test naming it."""
import os
import re
import sys

defs, tests = sys.argv[1], sys.argv[2]
ids = re.findall(r"^DIAG\((\w+),", open(defs).read(), re.M)
named = set()
for root, _, files in os.walk(tests):
    for f in files:
        if f.endswith((".nag", ".test")):
            text = open(os.path.join(root, f), encoding="utf-8", errors="replace").read()
            named.update(re.findall(r"DIAG: (\w+)", text))
missing = [i for i in ids if i not in named]
unknown = sorted(n for n in named if n not in ids)
for i in missing:
    print("missing a test for", i)
for n in unknown:
    print("test names an unknown id", n)
print(f"{len(ids) - len(missing)} of {len(ids)} diagnostics have tests")
sys.exit(1 if missing or unknown else 0)
