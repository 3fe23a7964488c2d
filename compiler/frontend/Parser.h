// Parser.h — turns one source buffer into an AST (the only entry into ANTLR).
#pragma once

#include "frontend/AST.h"
#include "support/Diagnostics.h"

#include <memory>

namespace nag {

/// Limits that keep the parser's recursion bounded on hostile input.
struct ParseLimits {
  unsigned maxBracketDepth = 256;     ///< nested ( [ {
  unsigned maxExprDepth = 1000;       ///< nested operators in one expression
};

/// Parses a whole buffer. Lexical errors, syntax errors and limits are
/// reported through `diags`; the result is null when any error occurred.
std::unique_ptr<ast::Module> parseModule(uint32_t file, const SourceManager& sources,
                                         DiagnosticEngine& diags, const ParseLimits& limits = {});

/// Parses a standalone expression (a -D value); null on error.
ast::ExprPtr parseExpression(uint32_t file, const SourceManager& sources, DiagnosticEngine& diags);

}  // namespace nag
