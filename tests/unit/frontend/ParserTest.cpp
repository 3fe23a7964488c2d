// ParserTest.cpp — the AST the parser builds: precedence, associativity, ranges.
#include "frontend/Parser.h"

#include <gtest/gtest.h>
#include <sstream>

using namespace nag;
using namespace nag::ast;

namespace {

// Parses `text` as the value of a -D and returns the expression.
struct Parsed {
  SourceManager sm;
  std::ostringstream errors;
  DiagnosticEngine diags{sm, errors};
  ExprPtr expr;
  explicit Parsed(const std::string& text) { expr = parseExpression(sm.addBuffer("e", text), sm, diags); }
};

// A compact prefix form of an expression, for comparing trees.
std::string sexpr(const Expr& e) {
  switch (e.kind) {
    case ExprKind::IntLit: return std::to_string(cast<IntLit>(&e)->value);
    case ExprKind::DecimalLit: return toString(cast<DecimalLit>(&e)->value);
    case ExprKind::BoolLit: return cast<BoolLit>(&e)->value ? "true" : "false";
    case ExprKind::NameRef: return cast<NameRef>(&e)->spelled();
    case ExprKind::ListLit: {
      std::string s = "[";
      for (const ExprPtr& x : cast<ListLit>(&e)->elems) s += sexpr(*x) + " ";
      return s + "]";
    }
    case ExprKind::Unary: return std::string("(") + spelling(cast<Unary>(&e)->op) + " " + sexpr(*cast<Unary>(&e)->operand) + ")";
    case ExprKind::Binary: {
      auto& b = *cast<Binary>(&e);
      return std::string("(") + spelling(b.op) + " " + sexpr(*b.lhs) + " " + sexpr(*b.rhs) + ")";
    }
    case ExprKind::Index: {
      std::string s = "(index " + sexpr(*cast<Index>(&e)->base);
      for (const ExprPtr& x : cast<Index>(&e)->indices) s += " " + sexpr(*x);
      return s + ")";
    }
    case ExprKind::Call: {
      std::string s = "(call " + sexpr(*cast<Call>(&e)->callee);
      for (const CallArg& a : cast<Call>(&e)->args) s += " " + (a.name.empty() ? "" : a.name + ":") + sexpr(*a.value);
      return s + ")";
    }
  }
  return "?";
}

std::string tree(const std::string& text) {
  Parsed p(text);
  EXPECT_TRUE(p.expr) << p.errors.str();
  return p.expr ? sexpr(*p.expr) : "<error>";
}

TEST(Parser, PowerBindsTighterThanUnaryMinus) { EXPECT_EQ(tree("-x^2"), "(- (^ x 2))"); }
TEST(Parser, PowerIsRightAssociative) { EXPECT_EQ(tree("a^b^c"), "(^ a (^ b c))"); }
TEST(Parser, PowerTakesASignedExponent) { EXPECT_EQ(tree("x^-1"), "(^ x (- 1))"); }
TEST(Parser, MatmulSitsWithMultiplication) { EXPECT_EQ(tree("A @ B * c + d"), "(+ (* (@ A B) c) d)"); }
TEST(Parser, SubtractionIsLeftAssociative) { EXPECT_EQ(tree("a - b - c"), "(- (- a b) c)"); }
TEST(Parser, ComparisonsBelowArithmeticAndAboveLogic) {
  EXPECT_EQ(tree("a + 1 < b && c == d || !e"), "(|| (&& (< (+ a 1) b) (== c d)) (! e))");
}
TEST(Parser, PostfixBindsTightest) { EXPECT_EQ(tree("-d[0]^2"), "(- (^ (index d 0) 2))"); }
TEST(Parser, CallsWithNamedArguments) {
  EXPECT_EQ(tree("nn.dense(h, d[l], bias: false)"), "(call nn.dense h (index d l) bias:false)");
}
TEST(Parser, DecimalsAreExactRationals) { EXPECT_EQ(tree("0.25 * t"), "(* 1/4 t)"); }
TEST(Parser, ListsAndMultiIndex) { EXPECT_EQ(tree("[A[i, j], [1]]"), "[(index A i j) [1 ] ]"); }
TEST(Parser, ParenthesesGroup) { EXPECT_EQ(tree("(a + b) * c"), "(* (+ a b) c)"); }

TEST(Parser, RangesCoverTheTokens) {
  Parsed p("foo + 12");
  ASSERT_TRUE(p.expr);
  auto* b = dyn_cast<Binary>(p.expr.get());
  ASSERT_TRUE(b);
  EXPECT_EQ(b->range.begin.offset, 0u);
  EXPECT_EQ(b->range.end.offset, 8u);
  EXPECT_EQ(b->rhs->range.begin.offset, 6u);
  EXPECT_EQ(b->opRange.begin.offset, 4u);
}

TEST(Parser, ModuleDeclarations) {
  SourceManager sm;
  std::ostringstream errors;
  DiagnosticEngine diags(sm, errors);
  auto m = parseModule(sm.addBuffer("m.nag", R"(
    import nn;
    const k = 3;
    act s(t) = t^2 + t / 2;
    layer L(x: R[n], m: int, bias: bool = true) { param W : R[m, n]; return W @ x; }
    network N(d: [int] = [2, 3], r: rat = 0.5) {
      input x : R[d[0]];
      let h = x;
      for i in 0 .. 2 { h = h * r; }
      if r > 0 { h = -h; } else if r < 0 { h = h; } else { h = h; }
      output h;
    })"), sm, diags);
  ASSERT_TRUE(m) << errors.str();
  ASSERT_EQ(m->decls.size(), 5u);
  EXPECT_EQ(m->decls[0]->kind, DeclKind::ImportDecl);
  EXPECT_EQ(m->decls[2]->kind, DeclKind::ActDecl);
  auto* layer = dyn_cast<LayerDecl>(m->decls[3].get());
  ASSERT_TRUE(layer);
  ASSERT_EQ(layer->formals.size(), 3u);
  EXPECT_EQ(layer->formals[0].type->kind, TypeExpr::Kind::Tensor);
  EXPECT_TRUE(layer->formals[2].defaultValue);
  auto* net = dyn_cast<NetworkDecl>(m->decls[4].get());
  ASSERT_TRUE(net);
  ASSERT_EQ(net->body.stmts.size(), 5u);
  auto* ifs = dyn_cast<IfStmt>(net->body.stmts[3].get());
  ASSERT_TRUE(ifs);
  ASSERT_EQ(ifs->otherwise.stmts.size(), 1u);  // else-if nests an if
  EXPECT_TRUE(isa<IfStmt>(ifs->otherwise.stmts[0].get()));
}

TEST(Parser, ReportsTheFirstSyntaxErrorOnly) {
  SourceManager sm;
  std::ostringstream errors;
  DiagnosticEngine diags(sm, errors);
  auto m = parseModule(sm.addBuffer("m.nag", "network n() { let = 1; let = 2; }"), sm, diags);
  EXPECT_FALSE(m);
  EXPECT_EQ(diags.errorCount(), 1u);
  EXPECT_NE(errors.str().find("m.nag:1:19: error: syntax error"), std::string::npos) << errors.str();
}

TEST(Parser, DeepNestingIsAnErrorNotACrash) {
  SourceManager sm;
  std::ostringstream errors;
  DiagnosticEngine diags(sm, errors);
  std::string deep = "const k = " + std::string(100000, '(') + "1" + std::string(100000, ')') + ";";
  EXPECT_FALSE(parseModule(sm.addBuffer("m.nag", deep), sm, diags));
  EXPECT_NE(errors.str().find("brackets nested deeper than 256 levels"), std::string::npos) << errors.str();
}

TEST(Parser, LongLeftChainsAreBounded) {
  SourceManager sm;
  std::ostringstream errors;
  DiagnosticEngine diags(sm, errors);
  std::string chain = "const k = 1";
  for (int i = 0; i < 200000; ++i) chain += "+1";
  EXPECT_FALSE(parseModule(sm.addBuffer("m.nag", chain + ";"), sm, diags));
  EXPECT_NE(errors.str().find("expression nested deeper than"), std::string::npos) << errors.str();
}

}  // namespace
