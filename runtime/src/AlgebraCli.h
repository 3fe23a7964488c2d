// AlgebraCli.h — the generated program's `degree` and `equations` commands (runtime-internal).
#pragma once

#include "nag_runtime.h"

namespace nagrt {

/// `degree [--method M] [--seed S] [--max-columns N] [--json]`, options from argv[first]; the exit status.
int degreeCommand(const nag_model& m, int argc, char** argv, int first);

/// `equations [--max-degree K] [--max-columns N] [--seed S] [--json] [--format text|m2|singular]`.
int equationsCommand(const nag_model& m, int argc, char** argv, int first);

}  // namespace nagrt
