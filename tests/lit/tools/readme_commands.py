"""readme_commands.py SRCROOT BUILDDIR WORK — runs the commands of README.md verbatim.

Every line of every ```sh block and every ```python block of README.md is run
as written, in WORK, where examples/, python/, tests/, scripts/ and the build
tree (as build/) are links to the real ones, so that the README's relative
paths work and its outputs land in WORK. Blocks run in order (the Python block
uses libpmlp.so from the first sh block). Commands that build, install or run
the whole suite (`make demo|test|bench|install`, `bash scripts/install-deps.sh`,
`cmake ...`, the full lit run, the 1000-network property run) are not run:
they are listed as SKIPPED with their reason, and what they name must exist
(the make target, the script, the tool) -- so a renamed target still fails.
A line that exits non-zero fails the test with its output."""
import os
import re
import subprocess
import sys

src, build, work = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(work, exist_ok=True)
for name in ("examples", "python", "tests", "scripts", "stdlib"):
    if not os.path.exists(os.path.join(work, name)):
        os.symlink(os.path.join(src, name), os.path.join(work, name))
if not os.path.exists(os.path.join(work, "build")):
    os.symlink(build, os.path.join(work, "build"))

text = open(os.path.join(src, "README.md")).read()
blocks = re.findall(r"^```(sh|python)\n(.*?)^```", text, re.S | re.M)

# Long or machine-changing commands: (pattern, reason, what must exist).
SKIP = [
    (r"^make (demo|test|bench)\b", "builds and runs everything", None),
    (r"^make test BUILD=", "a sanitized build of everything", None),
    (r"^make install\b", "installs into the user's prefix (tests/lit/driver/make-install.test installs into a temporary one)", None),
    (r"^bash scripts/install-deps.sh", "installs Debian packages", "scripts/install-deps.sh"),
    (r"^cmake ", "configures or builds the tree the test runs in", None),
    (r"lit\.py -sv build/tests/lit\b", "the whole lit suite (this test is part of it)", "/usr/lib/llvm-19/build/utils/lit/lit.py"),
    (r"random_networks\.py .* 1000 1", "the 1000-network property run (~17 minutes)", "tests/lit/tools/random_networks.py"),
    (r"^\(cd build && ctest -L unit\)", "the unit tests (make test runs them)", None),
]

env = dict(os.environ)
env["PATH"] = "/usr/bin:" + env.get("PATH", "")
ran = skipped = 0
failed = []
shell_vars = ""
for kind, body in blocks:
    if kind == "python":
        r = subprocess.run(["/usr/bin/python3", "-c", body], cwd=work, capture_output=True, text=True, env=env)
        ran += 1
        if r.returncode != 0:
            failed.append(("python block", r.stdout + r.stderr))
        continue
    for line in body.splitlines():
        cmd = line.strip()
        if not cmd or cmd.startswith("#"):
            continue
        if re.match(r"^\w+=\S+$", cmd.split("#")[0].strip()):  # nagc=build/bin/nagc
            shell_vars += cmd.split("#")[0].strip() + "\n"
            continue
        skip = next((s for s in SKIP if re.search(s[0], cmd)), None)
        if skip:
            pattern, reason, needed = skip
            m = re.match(r"^make (?:test BUILD=\S+ .*|(\w+))", cmd)
            if m:  # the target must exist in the Makefile
                target = m.group(1) or "test"
                if subprocess.run(["make", "-n", "-C", src, target], capture_output=True).returncode != 0:
                    failed.append((cmd, "make has no target '%s'" % target))
            if needed and not os.path.exists(needed if needed.startswith("/") else os.path.join(src, needed)):
                failed.append((cmd, "'%s' does not exist" % needed))
            print("SKIPPED: %s  (%s)" % (cmd, reason))
            skipped += 1
            continue
        r = subprocess.run(["sh", "-c", shell_vars + cmd], cwd=work, capture_output=True, text=True, env=env, timeout=900)
        ran += 1
        if r.returncode != 0:
            failed.append((cmd, r.stdout[-2000:] + r.stderr[-2000:]))
for cmd, out in failed:
    print("FAILED: %s\n%s" % (cmd, out))
print("readme commands: %d run, %d skipped, %d failed" % (ran, skipped, len(failed)))
sys.exit(1 if failed else 0)
