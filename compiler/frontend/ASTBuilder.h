// ASTBuilder.h — turns ANTLR's parse tree into nagc's owned AST (ANTLR stays here).
#pragma once

#include "frontend/AST.h"
#include "support/Diagnostics.h"

#include "NagParser.h"

#include <functional>

namespace nag {

/// Builds the AST of one buffer from its parse tree. Every node gets the
/// byte range of the tokens it came from; expression depth is bounded.
class ASTBuilder {
public:
  using OffsetFn = std::function<uint32_t(size_t codePoint)>;
  ASTBuilder(uint32_t file, OffsetFn offset, DiagnosticEngine& diags, unsigned maxDepth);

  /// The whole module; null after an error (already reported).
  std::unique_ptr<ast::Module> buildModule(antlr::NagParser::ModuleContext* ctx);
  /// A standalone expression (a -D value); null after an error.
  ast::ExprPtr buildStandalone(antlr::NagParser::StandaloneExprContext* ctx);

private:
  uint32_t file_;
  OffsetFn offset_;
  DiagnosticEngine& diags_;
  unsigned maxDepth_;
  unsigned depth_ = 0;

  SourceRange range(antlr4::ParserRuleContext* ctx) const;
  SourceRange range(antlr4::Token* tok) const;
  SourceRange range(antlr4::tree::TerminalNode* node) const { return range(node->getSymbol()); }

  ast::DeclPtr decl(antlr::NagParser::DeclContext* ctx);
  void formals(antlr::NagParser::FormalsContext* ctx, std::vector<ast::Formal>& out);
  ast::TypeExprPtr type(antlr::NagParser::TypeContext* ctx);
  void block(antlr::NagParser::BlockContext* ctx, ast::Block& out);
  ast::StmtPtr stmt(antlr::NagParser::StmtContext* ctx);
  ast::StmtPtr ifStmt(antlr::NagParser::IfStmtContext* ctx);
  ast::ExprPtr expr(antlr::NagParser::ExprContext* ctx);
  ast::ExprPtr primary(antlr::NagParser::PrimaryContext* ctx);
  ast::ExprPtr binary(antlr::NagParser::ExprContext* ctx, antlr4::Token* op,
                      antlr::NagParser::ExprContext* lhs, antlr::NagParser::ExprContext* rhs);
};

}  // namespace nag
