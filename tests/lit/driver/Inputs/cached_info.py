"""Prints the sorted values of one field of `info --json` (default
precision_bits) for every program in a nagc cache folder.

An entry is a header line (nagc-cache-entry 1 SHA256 SIZE) and the program;
each is copied out and asked `info --json`.
usage: cached_info.py CACHE_DIR [FIELD]
"""
import glob
import json
import os
import subprocess
import sys

field = sys.argv[2] if len(sys.argv) > 2 else "precision_bits"
bits = []
for entry in glob.glob(os.path.join(sys.argv[1], "*.entry")):
    with open(entry, "rb") as f:
        program = f.read().split(b"\n", 1)[1]
    with open("program", "wb") as f:
        f.write(program)
    os.chmod("program", 0o755)
    info = subprocess.run(["./program", "info", "--json"], capture_output=True, text=True, check=True)
    bits.append(json.loads(info.stdout)[field])
    os.remove("program")
print(sorted(bits))
