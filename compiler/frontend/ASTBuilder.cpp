// ASTBuilder.cpp — one function per grammar rule, from parse tree to owned AST.
#include "frontend/ASTBuilder.h"

#include "support/InternalError.h"

#include <limits>

namespace nag {

using P = antlr::NagParser;
using namespace ast;

namespace {

// Keeps the builder's recursion depth, reporting when the bound is passed.
class DepthGuard {
public:
  DepthGuard(unsigned& depth, unsigned max, SourceRange at, DiagnosticEngine& diags) : depth_(depth) {
    if (++depth_ > max) diags.fatal(DiagId::err_expr_too_deep, at, {std::to_string(max)});
  }
  ~DepthGuard() { --depth_; }

private:
  unsigned& depth_;
};

BinaryOp binaryOp(const std::string& text) {
  static const std::pair<const char*, BinaryOp> table[] = {
      {"+", BinaryOp::Add}, {"-", BinaryOp::Sub}, {"*", BinaryOp::Mul},  {"/", BinaryOp::Div},
      {"%", BinaryOp::Mod}, {"@", BinaryOp::MatMul}, {"^", BinaryOp::Pow}, {"<", BinaryOp::Lt},
      {"<=", BinaryOp::Le}, {">", BinaryOp::Gt}, {">=", BinaryOp::Ge}, {"==", BinaryOp::Eq},
      {"!=", BinaryOp::Ne}, {"&&", BinaryOp::And}, {"||", BinaryOp::Or}};
  for (const auto& [spelled, op] : table)
    if (text == spelled) return op;
  NAG_UNREACHABLE("unknown binary operator '" + text + "'");
}

}  // namespace

ASTBuilder::ASTBuilder(uint32_t file, OffsetFn offset, DiagnosticEngine& diags, unsigned maxDepth)
    : file_(file), offset_(std::move(offset)), diags_(diags), maxDepth_(maxDepth) {}

SourceRange ASTBuilder::range(antlr4::Token* tok) const {
  return SourceRange(SourceLoc{file_, offset_(tok->getStartIndex())}, SourceLoc{file_, offset_(tok->getStopIndex() + 1)});
}

SourceRange ASTBuilder::range(antlr4::ParserRuleContext* ctx) const {
  antlr4::Token* stop = ctx->getStop() ? ctx->getStop() : ctx->getStart();
  return SourceRange(SourceLoc{file_, offset_(ctx->getStart()->getStartIndex())},
                     SourceLoc{file_, offset_(stop->getStopIndex() + 1)});
}

std::unique_ptr<Module> ASTBuilder::buildModule(P::ModuleContext* ctx) {
  auto module = std::make_unique<Module>();
  module->file = file_;
  try {
    for (P::DeclContext* d : ctx->decl()) module->decls.push_back(decl(d));
  } catch (const CompilationAborted&) {
    return nullptr;
  }
  return module;
}

ExprPtr ASTBuilder::buildStandalone(P::StandaloneExprContext* ctx) {
  try {
    return expr(ctx->expr());
  } catch (const CompilationAborted&) {
    return nullptr;
  }
}

// ------------------------------------------------------------ declarations

DeclPtr ASTBuilder::decl(P::DeclContext* ctx) {
  if (auto* c = dynamic_cast<P::ImportDeclContext*>(ctx)) {
    auto d = std::make_unique<ImportDecl>(range(c));
    d->name = c->IDENT()->getText();
    d->nameRange = range(c->IDENT());
    return d;
  }
  if (auto* c = dynamic_cast<P::ConstDeclContext*>(ctx)) {
    auto d = std::make_unique<ConstDecl>(range(c));
    d->name = c->IDENT()->getText();
    d->nameRange = range(c->IDENT());
    d->value = expr(c->expr());
    return d;
  }
  if (auto* c = dynamic_cast<P::ActDeclContext*>(ctx)) {
    auto d = std::make_unique<ActDecl>(range(c));
    d->name = c->IDENT(0)->getText();
    d->nameRange = range(c->IDENT(0));
    d->var = c->IDENT(1)->getText();
    d->varRange = range(c->IDENT(1));
    d->body = expr(c->expr());
    return d;
  }
  if (auto* c = dynamic_cast<P::LayerDeclContext*>(ctx)) {
    auto d = std::make_unique<LayerDecl>(range(c));
    d->name = c->IDENT()->getText();
    d->nameRange = range(c->IDENT());
    if (c->formals()) formals(c->formals(), d->formals);
    block(c->block(), d->body);
    return d;
  }
  if (auto* c = dynamic_cast<P::NetworkDeclContext*>(ctx)) {
    auto d = std::make_unique<NetworkDecl>(range(c));
    d->name = c->IDENT()->getText();
    d->nameRange = range(c->IDENT());
    if (c->formals()) formals(c->formals(), d->formals);
    block(c->block(), d->body);
    return d;
  }
  NAG_UNREACHABLE("unhandled declaration alternative");
}

void ASTBuilder::formals(P::FormalsContext* ctx, std::vector<Formal>& out) {
  for (P::FormalContext* f : ctx->formal()) {
    Formal formal;
    formal.name = f->IDENT()->getText();
    formal.range = range(f);
    formal.nameRange = range(f->IDENT());
    formal.type = type(f->type());
    if (f->expr()) formal.defaultValue = expr(f->expr());
    out.push_back(std::move(formal));
  }
}

TypeExprPtr ASTBuilder::type(P::TypeContext* ctx) {
  auto t = std::make_unique<TypeExpr>();
  t->range = range(ctx);
  if (dynamic_cast<P::IntTypeContext*>(ctx)) {
    t->kind = TypeExpr::Kind::Int;
  } else if (dynamic_cast<P::BoolTypeContext*>(ctx)) {
    t->kind = TypeExpr::Kind::Bool;
  } else if (dynamic_cast<P::RatTypeContext*>(ctx)) {
    t->kind = TypeExpr::Kind::Rat;
  } else if (auto* c = dynamic_cast<P::ListTypeContext*>(ctx)) {
    DepthGuard guard(depth_, maxDepth_, t->range, diags_);
    t->kind = TypeExpr::Kind::List;
    t->elem = type(c->type());
  } else if (auto* c = dynamic_cast<P::TensorTypeContext*>(ctx)) {
    t->kind = TypeExpr::Kind::Tensor;
    for (P::ExprContext* e : c->expr()) t->dims.push_back(expr(e));
  } else {
    NAG_UNREACHABLE("unhandled type alternative");
  }
  return t;
}

// -------------------------------------------------------------- statements

void ASTBuilder::block(P::BlockContext* ctx, Block& out) {
  out.range = range(ctx);
  for (P::StmtContext* s : ctx->stmt()) out.stmts.push_back(stmt(s));
}

StmtPtr ASTBuilder::stmt(P::StmtContext* ctx) {
  SourceRange r = range(ctx);
  if (auto* c = dynamic_cast<P::InputStmtContext*>(ctx)) {
    auto s = std::make_unique<InputStmt>(r);
    s->name = c->IDENT()->getText();
    s->nameRange = range(c->IDENT());
    s->type = type(c->type());
    return s;
  }
  if (auto* c = dynamic_cast<P::ParamStmtContext*>(ctx)) {
    auto s = std::make_unique<ParamStmt>(r);
    s->name = c->IDENT()->getText();
    s->nameRange = range(c->IDENT());
    s->type = type(c->type());
    return s;
  }
  if (auto* c = dynamic_cast<P::LetStmtContext*>(ctx)) {
    auto s = std::make_unique<LetStmt>(r);
    s->name = c->IDENT()->getText();
    s->nameRange = range(c->IDENT());
    s->value = expr(c->expr());
    return s;
  }
  if (auto* c = dynamic_cast<P::AssignStmtContext*>(ctx)) {
    auto s = std::make_unique<AssignStmt>(r);
    s->name = c->IDENT()->getText();
    s->nameRange = range(c->IDENT());
    s->value = expr(c->expr());
    return s;
  }
  if (auto* c = dynamic_cast<P::ForStmtContext*>(ctx)) {
    DepthGuard guard(depth_, maxDepth_, r, diags_);
    auto s = std::make_unique<ForStmt>(r);
    s->var = c->IDENT()->getText();
    s->varRange = range(c->IDENT());
    s->lo = expr(c->expr(0));
    s->hi = expr(c->expr(1));
    block(c->block(), s->body);
    return s;
  }
  if (auto* c = dynamic_cast<P::IfStmtAltContext*>(ctx)) return ifStmt(c->ifStmt());
  if (auto* c = dynamic_cast<P::OutputStmtContext*>(ctx)) {
    auto s = std::make_unique<OutputStmt>(r);
    s->value = expr(c->expr());
    return s;
  }
  if (auto* c = dynamic_cast<P::ReturnStmtContext*>(ctx)) {
    auto s = std::make_unique<ReturnStmt>(r);
    s->value = expr(c->expr());
    return s;
  }
  if (auto* c = dynamic_cast<P::AssertStmtContext*>(ctx)) {
    auto s = std::make_unique<AssertStmt>(r);
    s->cond = expr(c->expr());
    if (c->STRING()) {
      std::string quoted = c->STRING()->getText();
      s->message = quoted.substr(1, quoted.size() - 2);
    }
    return s;
  }
  NAG_UNREACHABLE("unhandled statement alternative");
}

StmtPtr ASTBuilder::ifStmt(P::IfStmtContext* ctx) {
  DepthGuard guard(depth_, maxDepth_, range(ctx), diags_);
  auto s = std::make_unique<IfStmt>(range(ctx));
  s->cond = expr(ctx->expr());
  block(ctx->block(0), s->then);
  if (ctx->block().size() > 1) {
    s->hasElse = true;
    block(ctx->block(1), s->otherwise);
  } else if (ctx->ifStmt()) {
    s->hasElse = true;
    s->otherwise.range = range(ctx->ifStmt());
    s->otherwise.stmts.push_back(ifStmt(ctx->ifStmt()));
  }
  return s;
}

// ------------------------------------------------------------- expressions

ExprPtr ASTBuilder::binary(P::ExprContext* ctx, antlr4::Token* op, P::ExprContext* lhs, P::ExprContext* rhs) {
  ExprPtr a = expr(lhs);
  ExprPtr b = expr(rhs);
  return std::make_unique<Binary>(range(ctx), binaryOp(op->getText()), std::move(a), std::move(b), range(op));
}

ExprPtr ASTBuilder::expr(P::ExprContext* ctx) {
  SourceRange r = range(ctx);
  DepthGuard guard(depth_, maxDepth_, r, diags_);
  if (auto* c = dynamic_cast<P::PrimaryExprContext*>(ctx)) return primary(c->primary());
  if (auto* c = dynamic_cast<P::CallExprContext*>(ctx)) {
    auto call = std::make_unique<Call>(r, expr(c->expr()));
    if (c->args()) {
      for (P::ArgContext* a : c->args()->arg()) {
        CallArg arg;
        if (a->IDENT()) {
          arg.name = a->IDENT()->getText();
          arg.nameRange = range(a->IDENT());
        }
        arg.value = expr(a->expr());
        call->args.push_back(std::move(arg));
      }
    }
    return call;
  }
  if (auto* c = dynamic_cast<P::IndexExprContext*>(ctx)) {
    auto index = std::make_unique<Index>(r, expr(c->expr(0)));
    for (size_t i = 1; i < c->expr().size(); ++i) index->indices.push_back(expr(c->expr(i)));
    return index;
  }
  if (auto* c = dynamic_cast<P::PowExprContext*>(ctx)) {
    auto* op = dynamic_cast<antlr4::tree::TerminalNode*>(c->children.at(1));
    return binary(c, op->getSymbol(), c->expr(0), c->expr(1));
  }
  if (auto* c = dynamic_cast<P::UnaryExprContext*>(ctx)) {
    std::string op = c->op->getText();
    UnaryOp u = op == "-" ? UnaryOp::Neg : op == "+" ? UnaryOp::Plus : UnaryOp::Not;
    return std::make_unique<Unary>(r, u, expr(c->expr()));
  }
  if (auto* c = dynamic_cast<P::MulExprContext*>(ctx)) return binary(c, c->op, c->expr(0), c->expr(1));
  if (auto* c = dynamic_cast<P::AddExprContext*>(ctx)) return binary(c, c->op, c->expr(0), c->expr(1));
  if (auto* c = dynamic_cast<P::RelExprContext*>(ctx)) return binary(c, c->op, c->expr(0), c->expr(1));
  if (auto* c = dynamic_cast<P::EqExprContext*>(ctx)) return binary(c, c->op, c->expr(0), c->expr(1));
  if (auto* c = dynamic_cast<P::AndExprContext*>(ctx)) {
    auto* op = dynamic_cast<antlr4::tree::TerminalNode*>(c->children.at(1));
    return binary(c, op->getSymbol(), c->expr(0), c->expr(1));
  }
  if (auto* c = dynamic_cast<P::OrExprContext*>(ctx)) {
    auto* op = dynamic_cast<antlr4::tree::TerminalNode*>(c->children.at(1));
    return binary(c, op->getSymbol(), c->expr(0), c->expr(1));
  }
  NAG_UNREACHABLE("unhandled expression alternative");
}

ExprPtr ASTBuilder::primary(P::PrimaryContext* ctx) {
  SourceRange r = range(ctx);
  if (auto* c = dynamic_cast<P::IntLitContext*>(ctx)) {
    std::string text = c->INT()->getText();
    mpz_class value(text, 10);
    if (!value.fits_slong_p())
      diags_.fatal(DiagId::err_int_literal_too_large, r, {text, std::to_string(std::numeric_limits<long>::max())});
    return std::make_unique<IntLit>(r, value.get_si());
  }
  if (auto* c = dynamic_cast<P::DecimalLitContext*>(ctx)) {
    std::string text = c->DECIMAL()->getText();
    auto value = parseDecimal(text);
    // The lexer guarantees the syntax; what is left is the exponent's limit.
    if (!value)
      diags_.fatal(DiagId::err_number_literal_exponent, r, {text, std::to_string(kMaxDecimalExponent)});
    return std::make_unique<DecimalLit>(r, *value, text);
  }
  if (dynamic_cast<P::BoolLitContext*>(ctx)) return std::make_unique<BoolLit>(r, ctx->getText() == "true");
  if (auto* c = dynamic_cast<P::NameRefContext*>(ctx)) {
    if (c->IDENT().size() == 2) return std::make_unique<NameRef>(r, c->IDENT(0)->getText(), c->IDENT(1)->getText());
    return std::make_unique<NameRef>(r, "", c->IDENT(0)->getText());
  }
  if (auto* c = dynamic_cast<P::ParenExprContext*>(ctx)) {
    ExprPtr inner = expr(c->expr());
    inner->range = r;  // the parentheses belong to the expression's extent
    return inner;
  }
  if (auto* c = dynamic_cast<P::ListLitContext*>(ctx)) {
    auto list = std::make_unique<ListLit>(r);
    for (P::ExprContext* e : c->expr()) list->elems.push_back(expr(e));
    return list;
  }
  NAG_UNREACHABLE("unhandled primary alternative");
}

}  // namespace nag
