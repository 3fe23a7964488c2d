// Dim.h — the dimension report's measurements (runtime-internal).
#pragma once

#include "Runtime.h"
#include "nag_runtime.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nagrt {

/// What `dim` was asked.
struct DimOptions {
  bool exact = true;
  bool floating = false;
  uint64_t seed = 1;
  uint64_t prime = 0;     ///< 0: the largest prime below 2^62
  int64_t points = 0;     ///< 0: enough for the largest possible rank plus a margin
  std::string at;         ///< a parameter file instead of a random theta
  bool progress = false;  ///< phase lines with elapsed time on standard error (a terminal, not --quiet)
};

/// The measurements behind a dimension report.
struct DimReport {
  int64_t params = 0;
  int64_t points = 0, rows = 0;     ///< sample points; Jacobian rows (points x outputs)
  uint64_t prime = 0;
  int64_t exactRank = -1;           ///< -1: not measured
  int resampled = 0;                ///< exact: points redrawn where a denominator vanished
  int64_t floatRank = -1;
  double gap = 0;                   ///< sigma_rank / sigma_rank+1
  bool floatTrusted = false;
  std::vector<double> singular;
};

/// Builds the Jacobian(s) at random points and ranks them.
DimReport measureDimension(const nag_model& m, const DimOptions& o);

}  // namespace nagrt
