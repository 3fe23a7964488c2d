// ASTPrinter.h — the readable dump of an AST with source locations (`--emit=ast`).
#pragma once

#include "frontend/AST.h"

#include <iosfwd>

namespace nag {

/// Prints one node per line, indented by depth, each with its range as
/// <line:col-line:col>.
void printAST(const ast::Module& m, const SourceManager& sources, std::ostream& out);

}  // namespace nag
