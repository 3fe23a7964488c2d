"""doc_examples.py NAGC WORKDIR FILE.md... — every ```nag block of the documentation is a test.

For each fenced `nag` block: when it has a line `// error: TEXT`, nagc must
refuse it (exit 1) with TEXT in its message. Otherwise every network in it
is compiled into a library and checked by fdcheck.py (Jacobians and
Hessians in theta and x against finite differences of the library's eval);
a line `// dimension: N` means the exact dimension report of the block's
network must be N, and certified. Prints one line per block and a summary;
exits 1 when a block fails.
"""
import os
import re
import subprocess
import sys

import numpy as np

import fdcheck


def blocks(path):
    """(line number, text) of every ```nag block."""
    out, current, start = [], None, 0
    for number, line in enumerate(open(path, encoding="utf-8"), 1):
        if current is None and line.strip() == "```nag":
            current, start = [], number + 1
        elif current is not None and line.strip() == "```":
            out.append((start, "".join(current)))
            current = None
        elif current is not None:
            current.append(line)
    return out


def run_block(nagc_bin, work, name, text):
    path = os.path.join(work, name + ".nag")
    with open(path, "w") as f:
        f.write(text)
    error = re.search(r"^// error: (.*)$", text, re.M)
    if error:
        r = subprocess.run([nagc_bin, path, "--check"], capture_output=True, text=True)
        if r.returncode != 1 or error.group(1) not in r.stderr:
            return f"expected exit 1 and '{error.group(1)}', got exit {r.returncode}:\n{r.stderr}"
        return None
    networks = re.findall(r"^network (\w+)", text, re.M)
    if not networks:
        return "no network in the block"
    dimension = re.search(r"^// dimension: (\d+)", text, re.M)
    for net in networks:
        lib = os.path.join(work, f"lib{name}_{net}.so")
        r = subprocess.run([nagc_bin, path, "--network", net, "--emit=lib", "-o", lib], capture_output=True, text=True)
        if r.returncode != 0:
            return f"network {net} does not compile:\n{r.stderr}"
        problem, _ = fdcheck.check(lib, np.random.default_rng(1))
        if problem:
            return f"network {net}: {problem}"
        if dimension:
            report = fdcheck.nagc.Model(lib).dim(exact=True)
            if report["dimension"] != int(dimension.group(1)) or not report["certified"]:
                return f"network {net}: dimension {report['dimension']} ({report['status']}), the text says {dimension.group(1)}"
    return None


def main():
    nagc_bin, work, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(work, exist_ok=True)
    ok = failed = 0
    for path in files:
        for line, text in blocks(path):
            name = re.sub(r"\W", "_", os.path.basename(path)) + f"_{line}"
            problem = run_block(nagc_bin, work, name, text)
            where = f"{os.path.basename(path)}:{line}"
            if problem:
                failed += 1
                print(f"{where}: FAILED: {problem}")
            else:
                ok += 1
                print(f"{where}: ok")
    print(f"doc examples: {ok} ok, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
