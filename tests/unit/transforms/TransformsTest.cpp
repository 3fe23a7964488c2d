// TransformsTest.cpp — the rules table is complete, the builder folds exactly, derived functions have their shapes.
#include "ElabFixture.h"

#include "ir/Verifier.h"
#include "transforms/Builder.h"
#include "transforms/Derived.h"
#include "transforms/Rules.h"
#include "transforms/Simplify.h"

#include <gtest/gtest.h>

using nag::test::Compiled;
using namespace nag;
using namespace nag::ir;
using namespace nag::transforms;

namespace {

TEST(Rules, EveryOpHasARuleWithItsMathematics) {
#define OP(NAME, SPELLING, ARITY)                        \
  EXPECT_EQ(ruleFor(Op::NAME).op, Op::NAME) << SPELLING; \
  EXPECT_NE(std::string(ruleFor(Op::NAME).math), "") << SPELLING;
#include "ir/Ops.def"
}

TEST(Builder, FoldsExactRationals) {
  Graph g;
  Builder b(g, true);
  NodeId third = b.div(b.constant(Rational(1)), b.constant(Rational(3)));
  NodeId sum = b.add(third, b.constant(Rational(1, 6)));  // 1/3 + 1/6 = 1/2
  ASSERT_TRUE(b.splat(sum));
  EXPECT_EQ(*b.splat(sum), Rational(1, 2));
  EXPECT_EQ(*b.splat(b.pow(b.constant(Rational(2, 3)), 3)), Rational(8, 27));
}

TEST(Builder, AppliesIdentitiesAndSharesNodes) {
  Graph g;
  g.params.push_back({"w", {3}, 0, {}});
  Builder b(g, true);
  NodeId w = b.add(Node{Op::Param, {3}, {}, 0});
  EXPECT_EQ(b.mul(w, b.constant(Rational(1))), w);
  EXPECT_EQ(b.add(b.constant(Rational(0)), w), w);
  EXPECT_EQ(b.pow(w, 1), w);
  EXPECT_EQ(b.neg(b.neg(w)), w);
  NodeId zero = b.mul(w, b.constant(Rational(0)));
  ASSERT_TRUE(b.splat(zero));
  EXPECT_EQ(*b.splat(zero), 0);
  EXPECT_EQ(b.shape(zero), (Shape{3}));
  NodeId sq1 = b.mul(w, w);
  NodeId sq2 = b.mul(w, w);
  EXPECT_EQ(sq1, sq2);  // CSE
}

TEST(Builder, WithoutSimplifyingItBuildsWhatItIsTold) {
  Graph g;
  Builder b(g, false);
  NodeId one = b.constant(Rational(1));
  NodeId p = b.mul(one, one);
  EXPECT_NE(p, one);
  EXPECT_EQ(g.nodes.size(), 2u);
}

TEST(Simplify, RemovesDeadAndFoldsConstants) {
  Compiled c("network t() { input x : R[2]; param w : R[2]; let dead = tanh(x); output x * (w * 0 + 2 - 1); }");
  ASSERT_TRUE(c.graph) << c.errors.str();
  Graph s = simplify(*c.graph);
  EXPECT_EQ(verify(s), "");
  // x * (0 + 2 - 1) is x * 1 is x: one input node, nothing else.
  EXPECT_EQ(s.nodes.size(), 1u);
  EXPECT_EQ(s.nodes[s.output].op, Op::Input);
}

TEST(Derived, ShapesLayoutsAndModes) {
  // pmlp (2,3,1), r = 2: P = 9, 2 inputs, 1 output.
  Compiled c(R"(
    import nn;
    network p() { input x : R[2]; output nn.dense(nn.dense(x, 3, bias: false) ^ 2, 1, bias: false); })");
  ASSERT_TRUE(c.graph) << c.errors.str();
  for (const Derived& d : deriveAll(*c.graph)) {
    Graph g = eliminateDeadCode(simplify(d.graph));
    EXPECT_EQ(verify(g), "") << d.name;
    int64_t n = d.wrt == Wrt::Theta ? 9 : 2;
    int64_t expectRow = d.kind == Kind::Jac ? n : d.kind == Kind::Jvp ? 1 : d.kind == Kind::Hess ? n * n : n;
    EXPECT_EQ(g.layout.rowSize, expectRow) << d.name;
  }
  Derived jac = derive(*c.graph, Kind::Jac, Wrt::Theta);
  EXPECT_NE(jac.mode.find("reverse"), std::string::npos);  // 1 output < 9 parameters
  Derived hess = derive(*c.graph, Kind::Hess, Wrt::Theta);
  EXPECT_EQ(hess.graph.layout.seeds, 9);
}

TEST(Derived, ForwardModeWhenOutputsOutnumberVariables) {
  // 2 parameters, 6 outputs: forward mode, one seed per parameter.
  Compiled c("network t() { input x : R[6]; param w : R[2]; output x * w[0] + w[1]; }");
  ASSERT_TRUE(c.graph) << c.errors.str();
  Derived jac = derive(*c.graph, Kind::Jac, Wrt::Theta);
  EXPECT_NE(jac.mode.find("forward"), std::string::npos) << jac.mode;
  EXPECT_EQ(jac.graph.layout.seeds, 2);
  EXPECT_EQ(jac.graph.layout.elemStride, 2);  // column s of the 6 x 2 Jacobian
}

TEST(Derived, CodeStaysLinearInTheNetwork) {
  // Ten layers: the Jacobian's op count is a small multiple of f's.
  Compiled c(R"(
    import nn;
    network p(d: [int] = [4, 8, 8, 8, 8, 8, 8, 8, 8, 8, 1]) {
      input x : R[d[0]];
      let h = x;
      for l in 1 .. len(d) { h = nn.dense(h, d[l], bias: false); if l < len(d) - 1 { h = h ^ 2; } }
      output h;
    })");
  ASSERT_TRUE(c.graph) << c.errors.str();
  size_t f = opCount(*c.graph);
  size_t j = opCount(eliminateDeadCode(simplify(derive(*c.graph, Kind::Jac, Wrt::Theta).graph)));
  size_t h = opCount(eliminateDeadCode(simplify(derive(*c.graph, Kind::Hess, Wrt::Theta).graph)));
  EXPECT_LE(j, 5 * f);
  EXPECT_LE(h, 12 * f);
}

}  // namespace
