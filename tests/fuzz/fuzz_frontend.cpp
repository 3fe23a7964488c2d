// fuzz_frontend.cpp — libFuzzer target over the whole front end.
//
// The input is a .nag source file. It goes through everything nagc does
// before code generation: loading (with the stdlib for imports), parsing,
// the AST, Sema, elaboration with its compile-time interpreter, the IR
// verifier, the analyses (class, degree, symmetries, dimensions) and the
// derivative passes (differentiate, simplify, dce, each verified). User
// errors are expected and fine; a crash, a sanitizer report, an internal
// error (nagc exits 70, which libFuzzer reports as "fuzz target exited") or
// invalid IR is a finding.
#include "frontend/Modules.h"
#include "frontend/Sema.h"
#include "ir/Analysis.h"
#include "ir/Model.h"
#include "ir/Elaborate.h"
#include "ir/Verifier.h"
#include "transforms/Derived.h"
#include "transforms/Simplify.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace {

const std::string& inputPath() {
  static const std::string path = [] {
    const char* dir = std::getenv("TMPDIR");
    return std::string(dir && *dir ? dir : "/tmp") + "/nagc-fuzz-" + std::to_string(::getpid()) + ".nag";
  }();
  return path;
}

void mustVerify(const nag::ir::Graph& g, const char* after) {
  std::string problem = nag::ir::verify(g);
  if (problem.empty()) return;
  std::fprintf(stderr, "invalid IR after %s: %s\n", after, problem.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nag;
  const std::string& path = inputPath();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), std::streamsize(size));
  }
  SourceManager sources;
  std::ostringstream messages;
  DiagnosticEngine diags(sources, messages);
  try {
    LoadOptions load;
    load.stdlibPaths.push_back(NAGC_STDLIB_DIR);
    std::unique_ptr<Program> program = loadProgram(path, sources, diags, load);
    if (!program || !checkProgram(*program, diags)) return 0;
    ir::ElabRequest request;
    std::unique_ptr<ir::Graph> graph = ir::elaborate(*program, request, sources, diags);
    if (!graph) return 0;
    mustVerify(*graph, "elaborate");
    ir::ModelDescription model = ir::describe(*graph, path);
    (void)model;
    for (transforms::Derived& d : transforms::deriveAll(*graph)) {
      mustVerify(d.graph, "differentiate");
      ir::Graph simple = transforms::simplify(d.graph);
      mustVerify(simple, "simplify");
      mustVerify(transforms::eliminateDeadCode(simple), "dce");
    }
  } catch (const CompilationAborted&) {
  }
  return 0;
}
