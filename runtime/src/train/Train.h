// Train.h — the generated program's `train` command and its in-memory entry for the Python module (runtime-internal).
#pragma once

#include "nag_runtime.h"

#include <string>

namespace nagrt {

/// `train --x X --y Y [options]` (train/README.md), options from argv[first]; the exit status.
int trainCommand(const nag_model& m, int argc, char** argv, int first);

/// `critical [--x X --y Y | --metric M --target U] [options]`: the complex critical points of the squared loss
/// (or distance) on the neurovariety, counted by homotopy, the real ones classified (docs/training.md); the exit status.
int criticalCommand(const nag_model& m, int argc, char** argv, int first);
/// The report `critical` prints; `status` 1 when its runs disagree.
std::string criticalReport(const nag_model& m, int argc, char** argv, int first, int& status);

/// The same run on data in memory (x: samples x input_size, y: samples x
/// outputs, row-major; null: read --x/--y from the options): the JSON report,
/// or a message beginning with "error: ".
std::string trainReport(const nag_model& m, const double* x, const double* y, int64_t samples, int argc, char** argv);

}  // namespace nagrt
