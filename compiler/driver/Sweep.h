// Sweep.h — `nagc sweep`: dimension reports over a grid of compile-time arguments.
#pragma once

#include "driver/SweepColumns.h"
#include "ir/Elaborate.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace nag::driver {

/// What `nagc sweep FILE -D a=[..] -D b=lo..hi ...` asks.
struct SweepOptions {
  std::string input;
  std::string network;
  std::vector<ir::Define> defines;  ///< alternatives: "[v1, v2, ...]" or "lo..hi" (inclusive)
  std::string output = "sweep.csv";
  std::string cache;                ///< compiled programs, by hash of nagc, the import closure, arguments, target
  std::vector<std::string> stdlibPaths;  ///< --stdlib-path folders, for the imports
  bool verbose = false;             ///< -v: report corrupt cache entries
  unsigned jobs = 1;
  double timeout = 0;               ///< seconds for each command of a row (the compile, dim, degree, equations); 0: none
  SweepMeasures measures;           ///< --float, --degree [--degree-method M], --equations [--max-degree K]
  std::vector<std::string> compileArgs;  ///< -O, --lanes, --precision, --target-cpu, --wide-modular, --kernels LIST (added to what the measures need): every row's compile gets them
  std::string targetCpu;            ///< --target-cpu (for the cache key's resolved target)
  bool useCache = true;             ///< --no-cache: compile every row, store nothing
  bool progress = false;            ///< a line per finished row on standard error
  std::string emitJobs;             ///< write a job list for an external engine into this folder instead
  std::string merge;                ///< gather the rows the jobs of --emit-jobs wrote in this folder
};

/// Compiles each combination once (cached; `self` is the nagc executable,
/// given the compile options of `compileArgs`), runs its dimension report
/// (and with `measures` its degree and equations), and appends one CSV row
/// per combination as it finishes: arguments, P, coordinate space, span,
/// expected and the bound it comes from, dimension, defect, fibre and
/// unexplained fibre dimensions, fills, certified, [degree, degree_lower_bound,
/// degree_method, degree_evidence], [equations_degree, equations_count,
/// equations_by_degree, equations_vanishing], seconds, status (ok, timeout,
/// compile error, dim failed, degree failed, degree undecided, equations
/// failed), reason (the first diagnostic of what failed), inputs_hash (what
/// the row was made from). `timeout` bounds each command of a row, the
/// compile included. The results file is locked (flock) for the whole sweep:
/// a second sweep on it waits. Rows already in it are read strictly
/// (malformed rows are refused with their line number); those with status ok
/// and this sweep's inputs hash are not run again, the others of this
/// sweep's combinations are replaced; a file with other columns is refused.
/// Returns 0 when every row is ok.
/// With `emitJobs`, writes FOLDER/jobs.txt (one single-row sweep per line),
/// FOLDER/slurm.sh (a Slurm job array over it) and FOLDER/parallel.sh (a GNU
/// parallel command line), each job writing FOLDER/rows/row-K.csv; with
/// `merge`, gathers those rows into the output.
int runSweep(const SweepOptions& o, const std::string& self, std::ostream& out, std::ostream& err);

}  // namespace nag::driver
