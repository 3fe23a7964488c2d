// Options.h — nagc's command line.
#pragma once

#include "ir/Elaborate.h"
#include "support/Diagnostics.h"

#include <optional>
#include <string>
#include <vector>

namespace nag::driver {

/// Where the pipeline stops and what it prints.
enum class Emit { Summary, AST, IR, Grad, LLVM, Asm, Obj, Exe, Lib };

/// Everything the command line says.
struct Options {
  std::string input;
  std::string output;                  ///< -o
  Emit emit = Emit::Exe;
  std::string network;                 ///< --network
  std::vector<std::string> printAfter; ///< --print-after=PASS
  std::vector<ir::Define> defines;     ///< -D
  std::vector<std::string> stdlibPaths;
  unsigned optLevel = 2;               ///< -O0 .. -O3
  std::string targetCpu;               ///< --target-cpu
  unsigned lanes = 0;                  ///< --lanes (0: codegen::defaultLanes)
  bool single = false;                 ///< --precision f32
  bool derivatives = true;             ///< --no-derivatives: eval only (faster to build)
  bool onlyDimFunctions = false;       ///< --only-dim-functions: what `dim` needs (used by sweeps)
  /// --kernels LIST: the commands whose kernels are compiled (dim, degree, critical, train), sorted and
  /// comma-separated; "" every kernel (the default, or `all` in the list).
  std::string kernels;
  bool kernelsGiven = false;           ///< --kernels appeared (a sweep passes it on, "all" included)
  bool complexKernels = false;         ///< --complex-kernels: keep them under --only-dim-functions (a degree by monodromy)
  bool wideModular = false;           ///< --wide-modular: also the R = 2^64 modular kernels (primes from 2^31 to 2^62)
  bool sweep = false;                  ///< `nagc sweep FILE ...`
  unsigned jobs = 1;                   ///< sweep: --jobs
  double timeout = 0;                  ///< sweep: --timeout seconds
  bool sweepFloat = false;             ///< sweep: --float
  bool sweepDegree = false;            ///< sweep: --degree
  std::string degreeMethod = "auto";   ///< sweep: --degree-method interpolation|monodromy|auto
  bool sweepEquations = false;         ///< sweep: --equations
  int64_t maxDegree = 0;               ///< sweep: --max-degree K (with --equations)
  bool sweepCritical = false;          ///< sweep: --critical
  std::string criticalArgs;            ///< sweep: --critical-args "ARGS" (the program's `critical` options)
  bool sweepTrain = false;             ///< sweep: --train "ARGS" (the program's `train` options: data, optimizer)
  std::string trainArgs;
  std::string notForSweep;             ///< the first option given that a sweep cannot honour (--emit=..., --check, ...)
  std::string cache;                   ///< sweep: --cache DIR
  std::string emitJobs, merge;         ///< sweep: --emit-jobs DIR, --merge DIR
  bool useCache = true;                ///< --no-cache: always compile
  bool verbose = false;                ///< -v: say what was done (e.g. a cached build)
  bool quiet = false;                  ///< --quiet: no progress lines, even on a terminal
  bool report = false;                 ///< `nagc report results.csv ...`
  std::string plot, table = "md", xAxis;  ///< report: --plot, --table, --x
  std::string yAxis = "dimension";     ///< report: --y (dimension, degree, or another numeric column)
  bool cacheCommand = false;           ///< `nagc cache --info|--clear [--cache DIR]`
  bool cacheClear = false;             ///< cache: --clear (else --info)
  bool run = false;                    ///< `nagc run FILE -- args`: JIT and run
  std::vector<std::string> runArgs;    ///< what follows `--`
  bool help = false;
  bool version = false;
  bool internalErrorForTesting = false;  ///< hidden: exercises the internal-error path
};

/// A usage error: a catalogue message and its arguments.
struct OptionError {
  DiagId id;
  std::vector<std::string> args;
};

/// Parses argv; on a usage error returns nullopt and fills `error`.
/// The names of a comma-separated kernel list ("dim,train": {"dim", "train"}; "" gives {""}).
std::vector<std::string> kernelNames(const std::string& list);

std::optional<Options> parseOptions(int argc, char** argv, OptionError& error);

/// The text of `nagc --help`.
const char* helpText();

}  // namespace nag::driver
