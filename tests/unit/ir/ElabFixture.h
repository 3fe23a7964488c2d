// ElabFixture.h — compiles .nag text through load, Sema and elaboration for unit tests.
#pragma once

#include "frontend/Sema.h"
#include "ir/Elaborate.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace nag::test {

/// Writes `source` to a temporary file and elaborates it.
struct Compiled {
  SourceManager sm;
  std::ostringstream errors;
  DiagnosticEngine diags{sm, errors};
  std::unique_ptr<Program> program;
  std::unique_ptr<ir::Graph> graph;

  explicit Compiled(const std::string& source, std::vector<ir::Define> defines = {}) {
    char path[] = "/tmp/nagc-unit-XXXXXX.nag";
    int fd = mkstemps(path, 4);
    if (fd < 0) return;
    ::close(fd);
    std::ofstream(path) << source;
    LoadOptions load;
    load.stdlibPaths.push_back(NAGC_STDLIB_DIR);
    program = loadProgram(path, sm, diags, load);
    if (program && checkProgram(*program, diags)) {
      ir::ElabRequest request;
      request.defines = std::move(defines);
      graph = ir::elaborate(*program, request, sm, diags);
    }
    std::remove(path);
  }

  /// The spelled value of a network argument after elaboration.
  std::string arg(const std::string& name) const {
    for (const ir::ArgInfo& a : graph->args)
      if (a.name == name) return a.value;
    return "<none>";
  }
};

}  // namespace nag::test
