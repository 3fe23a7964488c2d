// SweepColumns.h — the columns of a sweep's results and their cells, read from the programs' --json reports.
#pragma once

#include "support/Json.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nag::driver {

/// What each row of a sweep measures beyond the dimension report.
struct SweepMeasures {
  bool floating = false;            ///< dim --float instead of --exact
  bool degree = false;              ///< degree --json --method degreeMethod
  std::string degreeMethod = "auto";
  bool equations = false;           ///< equations --json [--max-degree maxDegree]
  int64_t maxDegree = 0;            ///< 0: up to the first degree with equations
  bool critical = false;            ///< critical --json criticalArgs
  std::string criticalArgs;         ///< options of the program's `critical`, split at white space
  bool train = false;               ///< train --json trainArgs
  std::string trainArgs;            ///< options of the program's `train` (its data among them)
};

/// A sweep option's value split at white space ("--metric random:2 --seed 3").
std::vector<std::string> splitArgs(const std::string& args);

/// The dimension report's columns: P, coordinate, span, expected, bound,
/// dimension, defect, fibre, unexplained, fills, certified.
const std::vector<std::string>& dimColumns();
/// degree, degree_lower_bound, degree_method, degree_evidence.
const std::vector<std::string>& degreeColumns();
/// equations_degree, equations_count, equations_by_degree, equations_vanishing.
const std::vector<std::string>& equationsColumns();

/// critical_count, critical_lower_bound, critical_real, critical_minima, critical_evidence.
const std::vector<std::string>& criticalColumns();
/// train_loss, train_gradient_norm, train_point, train_rank, train_subnetwork, train_stopped.
const std::vector<std::string>& trainColumns();

/// The columns after the arguments: the dimension report's, then the degree's
/// and the equations' when asked, then seconds, status, reason, inputs_hash.
std::vector<std::string> measureColumns(const SweepMeasures& m);

/// Cells of `dimColumns()` from `dim --json`.
std::vector<std::string> dimCells(const JsonValue& report);
/// Cells of `degreeColumns()` from `degree --json`: the degree (empty when
/// undecided), whether it is a lower bound, the method, and a line of evidence.
std::vector<std::string> degreeCells(const JsonValue& report);
/// Cells of `equationsColumns()` from `equations --json`: the lowest degree
/// with equations and their number (empty when none up to the searched
/// degree), the new equations per searched degree ("1:0 2:3"; "none: ..." when
/// V fills its nonzero coordinates and has none), and the number
/// of coordinates that vanish identically (linear equations listed apart).
std::vector<std::string> equationsCells(const JsonValue& report);

/// Cells of `criticalColumns()` from `critical --json`: the count (finite complex critical points), whether it is
/// a lower bound, the real ones and the minima among them, and per seed the witness points and target paths.
std::vector<std::string> criticalCells(const JsonValue& report);
/// Cells of `trainColumns()` from `train --json`: the final loss and gradient norm, the loss Hessian's verdict
/// (minimum, saddle, degenerate; or why it was not computed), the rank of the differential at the end against the
/// dimension, the subnetwork's description, and why training stopped.
std::vector<std::string> trainCells(const JsonValue& report);

/// The degree report's evidence in one line: each interpolation run (prime,
/// seed, degree), each monodromy run (seed, points, complete or not, trace
/// residual), a disagreement, and the notes.
std::string degreeEvidence(const JsonValue& report);

}  // namespace nag::driver
