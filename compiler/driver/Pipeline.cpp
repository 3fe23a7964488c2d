// Pipeline.cpp — the pipeline as one readable list of stages.
#include "support/Install.h"
#include "driver/Pipeline.h"

#include "codegen/Codegen.h"
#include "driver/Cache.h"
#include "driver/Summary.h"
#include "frontend/ASTPrinter.h"
#include "frontend/Sema.h"
#include "ir/Analysis.h"
#include "ir/Printer.h"
#include "ir/Serialize.h"
#include "ir/Verifier.h"
#include "nagrt_output.h"
#include "transforms/Derived.h"
#include "transforms/Simplify.h"
#include "support/InternalError.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <ostream>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

#ifndef NAGC_STDLIB_DIR
#error "NAGC_STDLIB_DIR must be defined by the build"
#endif

namespace nag::driver {

namespace {

// NAME, libNAME.so, NAME.o after the input's stem; "-" (standard output) for text.
std::string defaultOutput(const std::string& input, Emit emit) {
  size_t slash = input.find_last_of('/');
  std::string stem = input.substr(slash == std::string::npos ? 0 : slash + 1);
  if (size_t dot = stem.rfind('.'); dot != std::string::npos && dot > 0) stem = stem.substr(0, dot);
  switch (emit) {
    case Emit::LLVM:
    case Emit::Asm: return "-";
    case Emit::Obj: return stem + ".o";
    case Emit::Lib: return "lib" + stem + ".so";
    default: return stem;
  }
}

std::string tempOutput() {
  const char* dir = std::getenv("TMPDIR");
  return std::string(dir && *dir ? dir : "/tmp") + "/nagc-out-" + std::to_string(::getpid());
}

bool wants(const Options& o, const std::string& pass) {
  return std::find(o.printAfter.begin(), o.printAfter.end(), pass) != o.printAfter.end();
}

void printAfter(const Options& o, const std::string& pass, const std::string& function, const ir::Graph& g,
                std::ostream& out) {
  if (!wants(o, pass)) return;
  out << "// ---- " << function << " after " << pass << " (" << transforms::opCount(g) << " ops)\n";
  ir::print(g, out);
}

// Which kernels a program gets (--kernels, --only-dim-functions): the derived functions by name, the loss gradient,
// the complex kernels. dim and degree rank the θ-Jacobian; critical also needs the θ-Hessian (in complex doubles);
// train the θ-derivatives and the loss gradient.
struct KernelPlan {
  bool all = true;
  std::set<std::string> derived;
  bool complex = true;
  bool wants(const std::string& name) const { return all || derived.count(name) > 0; }
};

// The kernel list as the descriptor records it: --only-dim-functions is --kernels dim (degree with
// --complex-kernels).
std::string kernelList(const Options& o) {
  return o.onlyDimFunctions ? std::string(o.complexKernels ? "degree" : "dim") : o.kernels;
}

KernelPlan kernelPlan(const Options& o) {
  KernelPlan k;
  const std::string list = kernelList(o);
  if (list.empty()) return k;
  k.all = false;
  k.complex = false;
  for (const std::string& name : kernelNames(list)) {
    k.derived.insert("jac_theta");
    if (name == "degree" || name == "critical") k.complex = true;
    if (name == "critical") k.derived.insert("hess_theta");
    if (name == "train")
      for (const char* d : {"jvp_theta", "vjp_theta", "hess_theta", "hvp_theta", "loss_grad_theta"}) k.derived.insert(d);
  }
  return k;
}

std::vector<ir::DerivedFunction> deriveFunctions(const Options& o, const ir::Graph& f, std::ostream& out) {
  const KernelPlan plan = kernelPlan(o);
  std::vector<ir::DerivedFunction> result;
  auto finish = [&](transforms::Derived& d) {
    auto check = [&](const ir::Graph& g, const char* pass) {
      if (std::string problem = ir::verify(g); !problem.empty())
        NAG_UNREACHABLE(std::string(pass) + " produced invalid IR for " + d.name + ": " + problem);
      printAfter(o, pass, d.name, g, out);
    };
    check(d.graph, "differentiate");
    ir::Graph simple = transforms::simplify(d.graph);
    check(simple, "simplify");
    ir::Graph clean = transforms::eliminateDeadCode(simple);
    check(clean, "dce");
    result.push_back({d.name, d.mode, std::move(clean)});
  };
  for (transforms::Derived& d : transforms::deriveAll(f))
    if (plan.wants(d.name)) finish(d);
  // The squared loss's gradient summed over the batch, for `train` (one reverse sweep per sample, no rows).
  if (plan.wants("loss_grad_theta") && f.paramCount() > 0) {
    transforms::Derived d = transforms::derive(f, transforms::Kind::LossGrad, transforms::Wrt::Theta);
    finish(d);
  }
  return result;
}

// Whether `dim`'s default primes reach 2^31 (runtime/src/Dim.cpp, defaultRankPrimes: a prime above
// 100 x the largest rank x the rows' degree, which the total degree bounds), so that the program needs the R = 2^64 modular
// kernels beside the R = 2^32 ones (otherwise only --wide-modular asks for them).
bool dimNeedsWidePrimes(const ir::Graph& g, const ir::ModelDescription& m) {
  long double rank = (long double)g.paramCount();
  if (!m.ambientDimension.empty() && m.ambientDimension.size() < 19)
    rank = std::min(rank, (long double)std::stoll(m.ambientDimension) + 8);
  long double degree = m.cls.cls == ir::AlgebraicClass::Polynomial ? (long double)m.cls.totalDegree : 1;
  return m.cls.cls == ir::AlgebraicClass::Polynomial && m.cls.totalDegree < 0 ? true
         : 100 * std::max<long double>(rank, 1) * std::max<long double>(degree, 1) >= (long double)(uint64_t(1) << 31);
}

void printDerivatives(const ir::Graph& f, const ir::ModelDescription& m, std::ostream& out) {
  out << "// derivatives of " << f.name << ": op counts (f has " << transforms::opCount(f) << ")\n";
  for (const ir::DerivedFunction& d : m.derived)
    out << "//   " << d.name << std::string(12 - std::min<size_t>(d.name.size(), 11), ' ') << transforms::opCount(d.graph)
        << " ops  " << d.mode << "\n";
  for (const ir::DerivedFunction& d : m.derived) {
    out << "\n// ---- " << d.name << ": " << d.mode << "\n";
    ir::print(d.graph, out);
  }
}

}  // namespace

int runPipeline(const Options& options, std::ostream& out, std::ostream& err) {
  SourceManager sources;
  DiagnosticEngine diags(sources, err);
  if (options.internalErrorForTesting) NAG_UNREACHABLE("requested by --internal-error-for-testing");
  try {
    // 1. Load the file and its imports, parsing each.
    LoadOptions load;
    load.stdlibPaths = options.stdlibPaths;
    load.stdlibPaths.push_back(installedOr("share/nagc/stdlib", NAGC_STDLIB_DIR));
    std::unique_ptr<Program> program = loadProgram(options.input, sources, diags, load);
    if (!program) return 1;
    if (options.emit == Emit::AST) {
      printAST(*program->root->module, sources, out);
      return 0;
    }

    // 2. Static checks: names, placement, recursion.
    if (!checkProgram(*program, diags)) return 1;

    // 3. Elaborate the chosen network with its compile-time arguments.
    ir::ElabRequest request;
    request.network = options.network;
    request.defines = options.defines;
    std::unique_ptr<ir::Graph> graph = ir::elaborate(*program, request, sources, diags);
    if (!graph) return 1;
    if (std::string problem = ir::verify(*graph); !problem.empty()) NAG_UNREACHABLE("elaboration produced invalid IR: " + problem);
    printAfter(options, "elaborate", "f", *graph, out);
    if (options.emit == Emit::IR) {
      ir::print(*graph, out);
      return 0;
    }

    // 4. Analyses: class, degree, symmetries, ambient and expected dimension.
    ir::ModelDescription model = ir::describe(*graph, options.input);
    if (model.cls.culpritLoc.valid()) {
      LineCol lc = sources.lineCol(model.cls.culpritLoc.begin);
      model.culpritPlace = sources.name(model.cls.culpritLoc.begin.file) + ":" + std::to_string(lc.line) + ":" +
                           std::to_string(lc.col);
    }
    if (options.emit == Emit::Summary) {
      printSummary(*graph, model, sources, options.input, out);
      return 0;
    }

    // 5. Derivatives: differentiate -> simplify -> dce, for each derived function.
    if (options.derivatives || options.emit == Emit::Grad) model.derived = deriveFunctions(options, *graph, out);
    if (options.emit == Emit::Grad) {
      printDerivatives(*graph, model, out);
      return 0;
    }

    // 6. Native code.
    codegen::Options cg;
    cg.optLevel = options.optLevel;
    cg.targetCpu = options.targetCpu;
    cg.lanes = options.lanes;
    cg.precision = options.single ? codegen::Precision::F32 : codegen::Precision::F64;
    cg.complexKernels = kernelPlan(options).complex;  // sweeps of dim: no tracker
    cg.kernels = kernelList(options);
    cg.wideModular = options.wideModular || dimNeedsWidePrimes(*graph, model);
    if (std::string problem = codegen::validate(cg); !problem.empty()) {
      diags.report(DiagId::err_codegen, SourceRange(), {problem});
      return 1;
    }
    // Constants the float code cannot hold (2^1100 became inf, then NaN).
    for (const codegen::UnrepresentableConstant& c : codegen::unrepresentableConstants(*graph, cg.precision))
      diags.report(DiagId::warn_constant_float_range, c.loc,
                   {c.value, options.single ? "single precision" : "double precision", c.becomes});
    if (options.run) {
      if (options.verbose)
        err << "nagc: run: compiling in memory " << (cg.kernels.empty() ? "the whole program" : "the kernels of " + cg.kernels) << "\n";
      std::vector<std::string> args{graph->name};
      args.insert(args.end(), options.runArgs.begin(), options.runArgs.end());
      std::string problem;
      out.flush();
      int status = codegen::runJIT(*graph, model, cg, args, problem);
      if (!problem.empty()) diags.report(DiagId::err_codegen, SourceRange(), {problem});
      return problem.empty() ? status : 1;
    }
    codegen::Output kind = options.emit == Emit::LLVM ? codegen::Output::LLVM
                           : options.emit == Emit::Asm ? codegen::Output::Asm
                           : options.emit == Emit::Obj ? codegen::Output::Object
                           : options.emit == Emit::Lib ? codegen::Output::Library
                                                       : codegen::Output::Executable;
    std::string path = options.output.empty() ? defaultOutput(options.input, options.emit) : options.output;
    bool toStdout = path == "-" && (kind == codegen::Output::LLVM || kind == codegen::Output::Asm);
    if (toStdout) path = tempOutput();
    // No output replaces a file the compilation read (by device and inode:
    // `-o model.nag`, or a source without .nag and no -o).
    for (uint32_t f = 1; f <= sources.fileCount(); ++f) cg.inputs.push_back(sources.name(f));
    if (std::string problem = nagrt::checkNotAnInput(path, cg.inputs); !problem.empty()) {
      diags.report(DiagId::err_codegen, SourceRange(), {problem});
      return 1;
    }
    // Programs, libraries and objects are cached by a hash of everything that
    // determines them: nagc's identity, every file of the import closure, the
    // specialized IR with its names and arguments, all options, and the
    // resolved target (the host's CPU and features when none is given).
    bool cacheable = !toStdout && options.useCache && kind != codegen::Output::LLVM && kind != codegen::Output::Asm;
    std::string dir, key;
    if (cacheable) dir = cacheDirectory();
    if (!dir.empty()) {
      std::ostringstream material;
      material << buildIdentity() << "\n" << int(kind) << " " << cg.optLevel << " " << cg.lanes << " " << int(cg.precision)
               << " " << options.derivatives << options.onlyDimFunctions << cg.complexKernels << cg.wideModular << " "
               << cg.kernels << "\n"
               << codegen::resolvedTarget(cg) << "\n"
               << options.input << "\n" << ir::serialize(*graph);
      for (const ir::ParamInfo& p : graph->params) material << p.path << "\n";
      for (const ir::InputInfo& in : graph->inputs) material << in.name << "\n";
      for (const ir::ArgInfo& a : graph->args) material << a.name << "=" << a.value << (a.overridden ? "*" : "") << "\n";
      material << sourceContents(sources);
      key = cacheKey(material.str());
    }
    if (!dir.empty()) {
      // Kernel objects, kept apart so that a build sharing kernels with an earlier one compiles only the others.
      auto cache = std::make_shared<codegen::ObjectCache>();
      const std::vector<std::string> inputs = cg.inputs;
      const bool verbose = options.verbose;
      cache->key = [](const std::string& material) { return cacheKey(buildIdentity() + "\n" + material); };
      cache->fetch = [dir, inputs, verbose, &err](const std::string& k, const std::string& dest) {
        std::string note;
        CacheResult r = cacheFetch(dir, k, dest, 0644, inputs, note);
        if (verbose && !note.empty()) err << "nagc: " << note << "\n";
        return r == CacheResult::Hit;
      };
      cache->store = [dir](const std::string& k, const std::string& from) { cacheStore(dir, k, from); };
      if (verbose) cache->say = [&err](const std::string& line) { err << "nagc: " << line << "\n"; };
      cg.objectCache = cache;
    }
    unsigned mode = kind == codegen::Output::Object ? 0644 : 0755;
    if (!key.empty()) {
      std::string note;
      CacheResult r = cacheFetch(dir, key, path, mode, cg.inputs, note);
      if (options.verbose && !note.empty()) err << "nagc: " << note << "\n";
      if (r == CacheResult::Hit) {
        if (kind == codegen::Output::Library) {
          nagrt::OutputOptions w;
          w.inputs = cg.inputs;
          std::string header = path.substr(0, path.find_last_of('.')) + ".h";
          if (std::string problem = nagrt::writeOutput(header, codegen::cHeader(*graph, model, path, cg.precision), w);
              !problem.empty()) {
            diags.report(DiagId::err_codegen, SourceRange(), {problem});
            return 1;
          }
        }
        if (options.verbose) err << "nagc: " << path << ": an identical build was cached (" << dir << "/" << key << ")\n";
        return 0;
      }
    }
    if (std::string problem = codegen::compileToFile(*graph, model, cg, kind, path); !problem.empty()) {
      diags.report(DiagId::err_codegen, SourceRange(), {problem});
      return 1;
    }
    if (!key.empty()) cacheStore(dir, key, path);  // best effort: a full disk only costs the next build
    if (options.verbose) err << "nagc: " << path << ": compiled\n";
    if (toStdout) {
      std::ifstream in(path);
      out << in.rdbuf();
      std::remove(path.c_str());
    }
    return 0;
  } catch (const CompilationAborted&) {
    return 1;
  }
}

}  // namespace nag::driver
