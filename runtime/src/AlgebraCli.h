// AlgebraCli.h — the generated program's `degree`, `equations`, `fibre` and `singular` reports (runtime-internal).
#pragma once

#include "nag_runtime.h"

#include <string>

namespace nagrt {

/// `degree [--method M] [--seed S] [--max-columns N] [--json]`, options from argv[first]; the exit status.
int degreeCommand(const nag_model& m, int argc, char** argv, int first);

/// The report `degree` prints; `status` receives its exit status (1: undecided).
std::string degreeReport(const nag_model& m, int argc, char** argv, int first, int& status);

/// The report `equations` prints; `status` receives its exit status (1: not verified).
std::string equationsReport(const nag_model& m, int argc, char** argv, int first, int& status);

/// The report `fibre` (fibre true) or `singular` prints, from its options in argv[first..].
std::string fibreCommandReport(const nag_model& m, bool fibre, int argc, char** argv, int first);

/// `equations [--max-degree K] [--max-columns N] [--seed S] [--json] [--format text|m2|singular]`.
int equationsCommand(const nag_model& m, int argc, char** argv, int first);

}  // namespace nagrt
