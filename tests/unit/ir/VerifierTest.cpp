// VerifierTest.cpp — the IR verifier accepts elaborated graphs and rejects broken ones.
#include "ElabFixture.h"

#include "ir/Verifier.h"

#include <gtest/gtest.h>

using nag::test::Compiled;
using namespace nag::ir;

namespace {

Graph small() {
  Compiled c("network t() { input x : R[3]; param W : R[2, 3]; output (W @ x) ^ 2; }");
  EXPECT_TRUE(c.graph) << c.errors.str();
  return *c.graph;
}

TEST(Verifier, AcceptsElaboratedGraphs) { EXPECT_EQ(verify(small()), ""); }

TEST(Verifier, RejectsAWrongShape) {
  Graph g = small();
  g.nodes[2].shape = {3};  // matmul [2,3] @ [3] is [2]
  EXPECT_EQ(verify(g), "%2: shape R[3], expected R[2]");
}

TEST(Verifier, RejectsUseBeforeDefinition) {
  Graph g = small();
  g.nodes[2].operands[1] = 3;
  EXPECT_NE(verify(g).find("is not defined before its use"), std::string::npos);
}

TEST(Verifier, RejectsAWrongArity) {
  Graph g = small();
  g.nodes[3].operands.push_back(0);
  EXPECT_EQ(verify(g), "%3: pow has 2 operands, expected 1");
}

TEST(Verifier, RejectsAParameterLayoutWithAGap) {
  Graph g = small();
  g.params[0].offset = 1;
  EXPECT_EQ(verify(g), "parameter W at offset 1, expected 0");
}

TEST(Verifier, RejectsMismatchedMatmul) {
  Graph g = small();
  g.params[0].shape = {2, 4};
  g.nodes[1].shape = {2, 4};
  EXPECT_EQ(verify(g), "%2: matmul of R[2, 4] and R[3]");
}

}  // namespace
