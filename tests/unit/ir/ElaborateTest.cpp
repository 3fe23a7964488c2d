// ElaborateTest.cpp — the compile-time evaluator: exact arithmetic, lists, shapes, unrolling.
#include "ElabFixture.h"

#include <gtest/gtest.h>

using nag::test::Compiled;
using namespace nag::ir;

namespace {

// Each default is computed by hand in the comment beside it.
TEST(Elaborate, CompileTimeArithmeticIsExact) {
  Compiled c(R"(
    network t(a: rat = 7 / 2,            // 7/2: division of ints is exact
              b: int = -7 % 3,           // 2: floored modulo, as in Python
              c: [int] = [1, 2] + [3],   // list concatenation
              d: int = [4, 5, 6][-1],    // 6: negative indices count from the end
              e: int = 2 ^ 10,           // 1024
              f: rat = 2 ^ -2,           // 1/4
              g: bool = 3 < 4 && !(1 == 2),
              h: int = len([1, 2, 3]),
              i: int = min(3, 4) * max(3, 4),  // 12
              j: rat = 0.1 + 0.2,        // 3/10 exactly
              k: int = 6 / 2) {          // 3: an integral rational is an int
      input x : R[1];
      output x;
    })");
  ASSERT_TRUE(c.graph) << c.errors.str();
  EXPECT_EQ(c.arg("a"), "7/2");
  EXPECT_EQ(c.arg("b"), "2");
  EXPECT_EQ(c.arg("c"), "[1, 2, 3]");
  EXPECT_EQ(c.arg("d"), "6");
  EXPECT_EQ(c.arg("e"), "1024");
  EXPECT_EQ(c.arg("f"), "1/4");
  EXPECT_EQ(c.arg("g"), "true");
  EXPECT_EQ(c.arg("h"), "3");
  EXPECT_EQ(c.arg("i"), "12");
  EXPECT_EQ(c.arg("j"), "3/10");
  EXPECT_EQ(c.arg("k"), "3");
}

TEST(Elaborate, DefinesOverrideDefaults) {
  Compiled c("network t(n: int = 2, d: [int] = [1]) { input x : R[n, d[0]]; output x; }",
             {{"n", "5"}, {"d", "[3, 4]"}});
  ASSERT_TRUE(c.graph) << c.errors.str();
  EXPECT_EQ(c.graph->inputs[0].shape, (Shape{5, 3}));
  EXPECT_TRUE(c.graph->args[0].overridden);
}

TEST(Elaborate, ConstantsMayUseEachOtherInAnyOrder) {
  Compiled c("const b = a * 2; const a = 3; network t(n: int = b) { input x : R[n]; output x; }");
  ASSERT_TRUE(c.graph) << c.errors.str();
  EXPECT_EQ(c.arg("n"), "6");
}

TEST(Elaborate, LoopsUnrollAndLayersNumberTheirParameters) {
  // pmlp with d = [3, 5, 5, 2]: P = 5*3 + 5*5 + 2*5 = 50.
  Compiled c(R"(
    import nn;
    network p(d: [int] = [3, 5, 5, 2], r: int = 3) {
      input x : R[d[0]];
      let h = x;
      for l in 1 .. len(d) {
        h = nn.dense(h, d[l], bias: false);
        if l < len(d) - 1 { h = h ^ r; }
      }
      output h;
    })");
  ASSERT_TRUE(c.graph) << c.errors.str();
  EXPECT_EQ(c.graph->paramCount(), 50);
  ASSERT_EQ(c.graph->params.size(), 3u);
  EXPECT_EQ(c.graph->params[0].path, "dense#1.W");
  EXPECT_EQ(c.graph->params[2].path, "dense#3.W");
  EXPECT_EQ(c.graph->params[2].shape, (Shape{2, 5}));
  EXPECT_EQ(c.graph->params[1].offset, 15);
  EXPECT_EQ(c.graph->params[2].offset, 40);
  EXPECT_EQ(c.graph->node(c.graph->output).shape, (Shape{2}));
}

TEST(Elaborate, ShapeVariablesBindFromArguments) {
  Compiled c(R"(
    layer sq(A: R[n, n]) { return A @ A; }
    network t() { param M : R[4, 4]; input x : R[4]; output sq(M) @ x; })");
  ASSERT_TRUE(c.graph) << c.errors.str();
  EXPECT_EQ(c.graph->node(c.graph->output).shape, (Shape{4}));

  Compiled bad(R"(
    layer sq(A: R[n, n]) { return A @ A; }
    network t() { param M : R[4, 3]; output sq(M); })");
  EXPECT_FALSE(bad.graph);
  EXPECT_NE(bad.errors.str().find("argument 'A' of 'sq' must have shape R[n, n], got R[4, 3]"), std::string::npos)
      << bad.errors.str();
}

TEST(Elaborate, Conv1dLengthFollowsTheFormula) {
  // (n - k) / s + 1 with n = 10, k = 3, s = 2: floor(7 / 2) + 1 = 4.
  Compiled c("network t() { input x : R[10]; param w : R[3]; output conv1d(w, x, stride: 2); }");
  ASSERT_TRUE(c.graph) << c.errors.str();
  EXPECT_EQ(c.graph->node(c.graph->output).shape, (Shape{4}));
}

TEST(Elaborate, StructuralOpsHaveTheirShapes) {
  Compiled c(R"(
    network t() {
      input x : R[3];
      param A : R[2, 3];
      let o = outer(x, x);              // R[3, 3]
      let c = concat(transpose(A), o);  // R[3, 2] and R[3, 3]: trailing sizes differ
      output x;
    })");
  EXPECT_FALSE(c.graph);
  EXPECT_NE(c.errors.str().find("shape mismatch in 'concat': R[3, 2] and R[3, 3]"), std::string::npos) << c.errors.str();

  // outer(x, x): R[3, 3]; concat(A, A): R[4, 3]; A[1]: R[3]; dot: scalar.
  Compiled ok(R"(
    network t() {
      input x : R[3];
      param A : R[2, 3];
      let o = outer(x, x) @ concat(A, A)[1];
      output o * dot(x, A[0]) + sum(transpose(A));
    })");
  ASSERT_TRUE(ok.graph) << ok.errors.str();
  EXPECT_EQ(ok.graph->node(ok.graph->output).shape, (Shape{3}));
}

TEST(Elaborate, IfConditionMustBeKnownAtCompileTime) {
  Compiled c("network t() { input x : R[2]; if sum(x) > 0 { output x; } else { output -x; } }");
  EXPECT_FALSE(c.graph);
  EXPECT_NE(c.errors.str().find("the operands of '>' must be known at compile time, but it depends on input 'x'"),
            std::string::npos)
      << c.errors.str();
}

}  // namespace
