// Pipeline.cpp — the pipeline as one readable list of stages.
#include "driver/Pipeline.h"

#include "codegen/Codegen.h"
#include "driver/Summary.h"
#include "frontend/ASTPrinter.h"
#include "frontend/Sema.h"
#include "ir/Analysis.h"
#include "ir/Printer.h"
#include "ir/Verifier.h"
#include "support/InternalError.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <ostream>
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

}  // namespace

int runPipeline(const Options& options, std::ostream& out, std::ostream& err) {
  SourceManager sources;
  DiagnosticEngine diags(sources, err);
  if (options.internalErrorForTesting) NAG_UNREACHABLE("requested by --internal-error-for-testing");
  try {
    // 1. Load the file and its imports, parsing each.
    LoadOptions load;
    load.stdlibPaths = options.stdlibPaths;
    load.stdlibPaths.push_back(NAGC_STDLIB_DIR);
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
    if (options.emit == Emit::IR) {
      ir::print(*graph, out);
      return 0;
    }

    // 4. Analyses: class, degree, symmetries, ambient and expected dimension.
    ir::ModelDescription model = ir::describe(*graph, options.input);
    if (options.emit == Emit::Summary) {
      printSummary(*graph, model, sources, options.input, out);
      return 0;
    }

    // 5. Native code.
    codegen::Options cg;
    cg.optLevel = options.optLevel;
    cg.targetCpu = options.targetCpu;
    cg.lanes = options.lanes;
    cg.precision = options.single ? codegen::Precision::F32 : codegen::Precision::F64;
    if (std::string problem = codegen::validate(cg); !problem.empty()) {
      diags.report(DiagId::err_codegen, SourceRange(), {problem});
      return 1;
    }
    if (options.run) {
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
    if (std::string problem = codegen::compileToFile(*graph, model, cg, kind, path); !problem.empty()) {
      diags.report(DiagId::err_codegen, SourceRange(), {problem});
      return 1;
    }
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
