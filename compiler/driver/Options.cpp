// Options.cpp — parsing nagc's command line.
#include "driver/Options.h"

#include <cstdlib>
#include <cstring>
#include <set>

namespace nag::driver {

const char* helpText() {
  return R"(usage: nagc FILE.nag [options]
       nagc run FILE.nag [options] -- COMMAND [ARGS]   compile in memory (JIT) and
                                                     run the program's COMMAND
                                                     (only the kernels COMMAND
                                                     needs, unless --kernels)
       nagc sweep FILE.nag -D a=[v1,v2,...] -D b=lo..hi ... [--jobs N] [--timeout S]
                  [-o results.csv] [--float] [--cache DIR] [--no-cache]
                  [--degree [--degree-method interpolation|monodromy|auto]]
                  [--equations [--max-degree K]] [--critical [--critical-args "A"]]
                  [--train "A"] [-O.. --lanes N --target-cpu CPU --precision P
                   --kernels LIST --wide-modular]
                            the dimension report of every combination (with
                            --degree its degree, with --equations its lowest
                            equations, with --critical its count of critical
                            points (the program's `critical` with options A),
                            with --train where `train A` ends: loss, gradient,
                            Hessian, rank, subnetwork), one CSV row each (cached, resumable;
                            --timeout bounds each command, the compile too;
                            compile options apply to every row); --emit-jobs
                            DIR writes a job list (Slurm array, GNU parallel)
                            instead, and nagc sweep --merge DIR -o results.csv
                            gathers it
       nagc cache --info|--clear [--cache DIR]
                            what the build cache holds, or empty it
       nagc report results.csv [--table md|latex] [--plot out.svg] [--x ARG|ARG[i]]
                  [--y dimension|degree|COLUMN]
                            a sweep's table, and dimension (or the degree, or
                            another numeric column) against ARG as SVG

Compiles a .nag network. Stages:
  --check               check the program and print its summary (arguments,
                        parameters, shapes, algebraic class)
  --emit=STAGE          stop after STAGE and print it: summary, ast, ir, grad
                        (the derivative functions, their modes and op
                        counts), llvm, asm; or write it: obj, exe (the
                        default), lib (a shared library and its C header)
  --print-after=PASS    print the IR after PASS: elaborate, differentiate,
                        simplify, dce (may be repeated)

Options:
  -D NAME=VALUE         set a compile-time argument of the network, e.g.
                        -D d=[3,5,5,2] -D r=3 (also -DNAME=VALUE)
  --network NAME        the network to build when the file declares several
  --stdlib-path DIR     search DIR for imported modules (before the built-in
                        stdlib; may be repeated)
  -o FILE               output file (default: named after the input: NAME,
                        libNAME.so + NAME.h, NAME.o; llvm and asm print to
                        standard output)
  -O0 .. -O3            optimization level (default -O2)
  --target-cpu CPU      generate code for CPU (default: this machine's CPU)
  --lanes N             samples per SIMD block (power of two; default: two
                        vector registers of the target, 8 doubles on AVX2)
  --precision f64|f32   number type of eval (default f64)
  --no-derivatives      compile eval only, without jac/jvp/vjp/hess/hvp
  --kernels LIST        compile only the kernels these commands need
                        (comma-separated: dim, degree (also fibre and
                        singular), critical, train, all; default all):
                        faster builds; other commands then say what is
                        missing
  --wide-modular        also the exact kernels for primes from 2^31 to 2^62
                        (dim --prime P with such a P; networks whose degree
                        needs them get them without asking)
  --no-cache            compile even when an identical build is cached
                        (programs, libraries and objects are kept under
                        $NAGC_CACHE_DIR or ~/.cache/nagc by content hash)
  -v, --verbose         say what was done
  -q, --quiet           no progress lines (they appear only on a terminal)
  --help                this text
  --version             nagc's version

Exit status: 0 on success, 1 on errors in the input, 70 on an internal error.
)";
}

std::vector<std::string> kernelNames(const std::string& list) {
  std::vector<std::string> names;
  for (size_t start = 0;;) {
    size_t comma = list.find(',', start);
    names.push_back(list.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) return names;
    start = comma + 1;
  }
}

std::optional<Options> parseOptions(int argc, char** argv, OptionError& error) {
  Options o;
  std::string emitFlag;  // the option that set o.emit
  auto setEmit = [&](Emit e, const std::string& flag) -> bool {
    if (!emitFlag.empty() && o.emit != e) {
      error = {DiagId::err_conflicting_emit, {emitFlag, flag}};
      return false;
    }
    o.emit = e;
    emitFlag = flag;
    return true;
  };
  int first = 1;
  if (argc > 1 && std::string(argv[1]) == "run") {
    o.run = true;
    first = 2;
  } else if (argc > 1 && std::string(argv[1]) == "sweep") {
    o.sweep = true;
    first = 2;
  } else if (argc > 1 && std::string(argv[1]) == "cache") {
    o.cacheCommand = true;
    first = 2;
  } else if (argc > 1 && std::string(argv[1]) == "report") {
    o.report = true;
    first = 2;
  }
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--" && o.run) {
      for (int k = i + 1; k < argc; ++k) o.runArgs.push_back(argv[k]);
      break;
    }
    auto value = [&](const char* flag) -> std::optional<std::string> {
      if (i + 1 >= argc) {
        error = {DiagId::err_missing_option_value, {flag}};
        return std::nullopt;
      }
      return std::string(argv[++i]);
    };
    if (a == "--help" || a == "-h") {
      o.help = true;
    } else if (a == "--version") {
      o.version = true;
    } else if (a == "--internal-error-for-testing") {
      o.internalErrorForTesting = true;
    } else if (a == "--check") {
      if (!setEmit(Emit::Summary, a)) return std::nullopt;
      if (o.sweep && o.notForSweep.empty()) o.notForSweep = a;
    } else if (a.rfind("--emit=", 0) == 0) {
      std::string stage = a.substr(7);
      Emit e;
      if (stage == "summary") e = Emit::Summary;
      else if (stage == "ast") e = Emit::AST;
      else if (stage == "ir") e = Emit::IR;
      else if (stage == "grad") e = Emit::Grad;
      else if (stage == "llvm") e = Emit::LLVM;
      else if (stage == "asm") e = Emit::Asm;
      else if (stage == "obj") e = Emit::Obj;
      else if (stage == "exe") e = Emit::Exe;
      else if (stage == "lib") e = Emit::Lib;
      else {
        error = {DiagId::err_unknown_stage, {stage, "summary, ast, ir, grad, llvm, asm, obj, exe, lib"}};
        return std::nullopt;
      }
      if (!setEmit(e, a)) return std::nullopt;
      if (o.sweep && o.notForSweep.empty()) o.notForSweep = a;
    } else if (a == "-D" || (a.size() > 2 && a.rfind("-D", 0) == 0)) {
      std::string def;
      if (a == "-D") {
        auto v = value("-D");
        if (!v) return std::nullopt;
        def = *v;
      } else {
        def = a.substr(2);
      }
      size_t eq = def.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == def.size()) {
        error = {DiagId::err_define_syntax, {def}};
        return std::nullopt;
      }
      o.defines.push_back({def.substr(0, eq), def.substr(eq + 1)});
    } else if (a.size() == 3 && a[0] == '-' && a[1] == 'O' && a[2] >= '0' && a[2] <= '3') {
      o.optLevel = unsigned(a[2] - '0');
    } else if (a == "--target-cpu" || a.rfind("--target-cpu=", 0) == 0) {
      if (a == "--target-cpu") {
        auto v = value("--target-cpu");
        if (!v) return std::nullopt;
        o.targetCpu = *v;
      } else {
        o.targetCpu = a.substr(13);
      }
    } else if (a == "--lanes") {
      auto v = value("--lanes");
      if (!v) return std::nullopt;
      char* end = nullptr;
      long n = std::strtol(v->c_str(), &end, 10);
      if (v->empty() || *end != '\0' || n < 1 || n > 64 || (n & (n - 1)) != 0) {
        error = {DiagId::err_bad_option_value, {"--lanes", *v, "a power of two from 1 to 64"}};
        return std::nullopt;
      }
      o.lanes = unsigned(n);
    } else if (a.rfind("--print-after=", 0) == 0) {
      std::string pass = a.substr(14);
      if (pass != "elaborate" && pass != "differentiate" && pass != "simplify" && pass != "dce") {
        error = {DiagId::err_bad_option_value, {"--print-after", pass, "one of elaborate, differentiate, simplify, dce"}};
        return std::nullopt;
      }
      o.printAfter.push_back(pass);
      if (o.sweep && o.notForSweep.empty()) o.notForSweep = a;
    } else if (a == "--kernels") {
      auto v = value("--kernels");
      if (!v) return std::nullopt;
      std::set<std::string> names;
      bool all = false;
      for (const std::string& name : kernelNames(*v)) {
        if (name != "all" && name != "dim" && name != "degree" && name != "critical" && name != "train") {
          error = {DiagId::err_bad_option_value,
                   {"--kernels", *v, "a comma-separated list of dim, degree, critical, train, all"}};
          return std::nullopt;
        }
        all = all || name == "all";
        names.insert(name);
      }
      o.kernels.clear();
      o.kernelsGiven = true;
      if (!all)
        for (const std::string& n : names) o.kernels += (o.kernels.empty() ? "" : ",") + n;
    } else if (a == "--only-dim-functions") {
      o.onlyDimFunctions = true;
    } else if (a == "--complex-kernels") {
      o.complexKernels = true;
    } else if (a == "--wide-modular") {
      o.wideModular = true;
    } else if (o.sweep && (a == "--degree" || a == "--equations")) {
      (a == "--degree" ? o.sweepDegree : o.sweepEquations) = true;
    } else if (o.sweep && a == "--degree-method") {
      auto v = value("--degree-method");
      if (!v) return std::nullopt;
      if (*v != "interpolation" && *v != "monodromy" && *v != "auto") {
        error = {DiagId::err_bad_option_value, {a, *v, "interpolation, monodromy or auto"}};
        return std::nullopt;
      }
      o.degreeMethod = *v;
      o.sweepDegree = true;  // --degree-method M is --degree with that method
    } else if (o.sweep && a == "--max-degree") {
      auto v = value("--max-degree");
      if (!v) return std::nullopt;
      char* end = nullptr;
      long n = std::strtol(v->c_str(), &end, 10);
      if (v->empty() || *end != '\0' || n < 1 || n > 1000) {
        error = {DiagId::err_bad_option_value, {a, *v, "a whole number from 1 to 1000"}};
        return std::nullopt;
      }
      o.maxDegree = n;
      o.sweepEquations = true;  // --max-degree K is --equations up to K
    } else if (o.sweep && a == "--critical") {
      o.sweepCritical = true;
    } else if (o.sweep && (a == "--critical-args" || a == "--train")) {
      auto v = value(a.c_str());
      if (!v) return std::nullopt;
      if (a == "--train") {
        o.sweepTrain = true;
        o.trainArgs = *v;
      } else {
        o.sweepCritical = true;  // --critical-args A is --critical with those options
        o.criticalArgs = *v;
      }
    } else if (o.cacheCommand && (a == "--info" || a == "--clear")) {
      o.cacheClear = a == "--clear";
    } else if (o.cacheCommand && a == "--cache") {
      auto v = value("--cache");
      if (!v) return std::nullopt;
      o.cache = *v;
    } else if (o.sweep && (a == "--jobs" || a == "--timeout" || a == "--cache")) {
      auto v = value(a.c_str());
      if (!v) return std::nullopt;
      if (a == "--cache") {
        o.cache = *v;
        continue;
      }
      char* end = nullptr;
      double d = std::strtod(v->c_str(), &end);
      if (v->empty() || *end != '\0' || d <= 0 || (a == "--jobs" && (d != double(long(d)) || d > 256))) {
        error = {DiagId::err_bad_option_value, {a, *v, a == "--jobs" ? "a whole number from 1 to 256" : "a positive number of seconds"}};
        return std::nullopt;
      }
      if (a == "--jobs") o.jobs = unsigned(d);
      else o.timeout = d;
    } else if (o.report && a == "--y") {
      auto v = value("--y");
      if (!v) return std::nullopt;
      o.yAxis = *v;
    } else if (o.report && (a == "--plot" || a == "--table" || a == "--x")) {
      auto v = value(a.c_str());
      if (!v) return std::nullopt;
      if (a == "--table" && *v != "md" && *v != "latex") {
        error = {DiagId::err_bad_option_value, {a, *v, "md or latex"}};
        return std::nullopt;
      }
      (a == "--plot" ? o.plot : a == "--table" ? o.table : o.xAxis) = *v;
    } else if (o.sweep && (a == "--emit-jobs" || a == "--merge")) {
      auto v = value(a.c_str());
      if (!v) return std::nullopt;
      (a == "--emit-jobs" ? o.emitJobs : o.merge) = *v;
    } else if (o.sweep && a == "--float") {
      o.sweepFloat = true;
    } else if (a == "--no-cache") {
      o.useCache = false;
    } else if (a == "--quiet" || a == "-q") {
      o.quiet = true;
    } else if (a == "-v" || a == "--verbose") {
      o.verbose = true;
    } else if (a == "--no-derivatives") {
      o.derivatives = false;
      if (o.sweep && o.notForSweep.empty()) o.notForSweep = a;  // every row's dim needs the Jacobian
    } else if (a == "--precision") {
      auto v = value("--precision");
      if (!v) return std::nullopt;
      if (*v != "f32" && *v != "f64") {
        error = {DiagId::err_bad_option_value, {"--precision", *v, "f64 or f32"}};
        return std::nullopt;
      }
      o.single = *v == "f32";
    } else if (a == "--network") {
      auto v = value("--network");
      if (!v) return std::nullopt;
      o.network = *v;
    } else if (a == "--stdlib-path") {
      auto v = value("--stdlib-path");
      if (!v) return std::nullopt;
      o.stdlibPaths.push_back(*v);
    } else if (a == "-o") {
      auto v = value("-o");
      if (!v) return std::nullopt;
      o.output = *v;
    } else if (a.size() > 1 && a[0] == '-') {
      error = {DiagId::err_unknown_option, {a}};
      return std::nullopt;
    } else if (!o.input.empty()) {
      error = {DiagId::err_several_inputs, {o.input, a}};
      return std::nullopt;
    } else {
      o.input = a;
    }
  }
  if (o.sweep && !o.merge.empty() && o.input.empty()) o.input = o.merge;  // `nagc sweep --merge DIR` needs no file
  // `nagc run` compiles in memory the kernels its command needs, unless
  // --kernels says otherwise: a dimension of cnn2d 0.65 s instead of 2.6 s.
  // Commands of the float derivatives (jac, jvp, vjp, hess, hvp) and any other
  // get the whole program.
  if (o.run && !o.kernelsGiven && !o.onlyDimFunctions && !o.runArgs.empty()) {
    const std::string& command = o.runArgs[0];
    if (command == "dim" || command == "equations" || command == "eval" || command == "expand" || command == "export")
      o.kernels = "dim";
    else if (command == "degree" || command == "fibre" || command == "singular")
      o.kernels = "degree";
    else if (command == "critical" || command == "train")
      o.kernels = command;
  }
  if (!o.help && !o.version && !o.cacheCommand && o.input.empty()) {
    error = {DiagId::err_no_input, {}};
    return std::nullopt;
  }
  return o;
}

}  // namespace nag::driver
