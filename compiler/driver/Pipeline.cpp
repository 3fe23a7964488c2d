// Pipeline.cpp — the pipeline as one readable list of stages.
#include "driver/Pipeline.h"

#include "driver/Summary.h"
#include "frontend/ASTPrinter.h"
#include "frontend/Sema.h"
#include "ir/Analysis.h"
#include "ir/Printer.h"
#include "support/InternalError.h"

#include <ostream>

#ifndef NAGC_STDLIB_DIR
#error "NAGC_STDLIB_DIR must be defined by the build"
#endif

namespace nag::driver {

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
    if (options.emit == Emit::IR) {
      ir::print(*graph, out);
      return 0;
    }

    // 4. Analyses.
    ir::Classification cls = ir::classify(*graph);
    if (options.emit == Emit::Summary) {
      printSummary(*graph, cls, sources, options.input, out);
      return 0;
    }

    // 5. Code generation comes with the native-code stage.
    diags.report(DiagId::err_not_implemented, SourceRange(), {"native code generation (--emit=exe)"});
    return 1;
  } catch (const CompilationAborted&) {
    return 1;
  }
}

}  // namespace nag::driver
