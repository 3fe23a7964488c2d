# lit.cfg.py — the lit configuration of nagc's regression tests.
import os

import lit.formats

config.name = "nagc"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".nag", ".test"]
config.excludes = ["Inputs", "tools", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.nagc_obj_root, "tests", "lit")

config.substitutions.append(("%nagc", os.path.join(config.nagc_bin_dir, "nagc")))
config.substitutions.append(("%examples", os.path.join(config.nagc_src_root, "examples")))
config.substitutions.append(("%srcroot", config.nagc_src_root))
# The build tree (for `cmake --install %builddir`).
config.substitutions.append(("%builddir", config.nagc_obj_root))
config.substitutions.append(("%stdlib", os.path.join(config.nagc_src_root, "stdlib")))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%ref", config.python_executable + " " + os.path.join(os.path.dirname(__file__), "tools", "reference.py")))
# span_ref.py: the independent exact span/dimension reference (tools/span_ref.py).
config.substitutions.append(("%spanref", config.python_executable + " " + os.path.join(os.path.dirname(__file__), "tools", "span_ref.py")))
config.substitutions.append(("%runtime_include", os.path.join(config.nagc_src_root, "runtime", "include")))
config.substitutions.append(("%cc", config.c_compiler))
# `%err1 CMD` runs CMD and requires exit status 1 (a user error, not a crash
# or an internal error).
config.substitutions.append(("%err1", "sh " + os.path.join(os.path.dirname(__file__), "tools", "expect-exit") + " 1"))

# FileCheck, not, split-file and count come from LLVM 19, never from the
# machine's default LLVM.
config.environment["PATH"] = os.pathsep.join(
    [config.llvm_tools_dir, config.nagc_bin_dir, config.environment.get("PATH", "")]
)
# A sanitized build (-DNAGC_SANITIZE=...): its libraries cannot be loaded by
# hosts that are not sanitized (C programs built here, Python), and LLVM's
# and ANTLR's global state is not freed at exit, so leak checks are off.
if config.nagc_sanitize:
    config.available_features.add("sanitizer")
    config.environment["ASAN_OPTIONS"] = "detect_leaks=0"

# Builds cached by tests stay in the build tree, never in the user's cache.
config.environment["NAGC_CACHE_DIR"] = os.path.join(config.nagc_obj_root, "tests", "nagc-cache")
os.makedirs(config.environment["NAGC_CACHE_DIR"], exist_ok=True)
for var in ["HOME", "LANG", "TMPDIR"]:
    if var in os.environ:
        config.environment[var] = os.environ[var]

# NAGC_LONG_TESTS=1 runs the tests that take minutes (`REQUIRES: long`).
if os.environ.get("NAGC_LONG_TESTS"):
    config.available_features.add("long")
