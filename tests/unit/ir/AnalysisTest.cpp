// AnalysisTest.cpp — algebraic class and degree in x, checked against hand computation.
#include "ElabFixture.h"

#include "ir/Analysis.h"

#include <gtest/gtest.h>

using nag::test::Compiled;
using namespace nag::ir;

namespace {

Classification classOf(const std::string& source) {
  Compiled c(source);
  EXPECT_TRUE(c.graph) << c.errors.str();
  return c.graph ? classify(*c.graph) : Classification{};
}

TEST(Analysis, DeepPolynomialDegreeMultiplies) {
  // Two activations t^3: degree 3 * 3 = 9, homogeneous.
  Classification c = classOf(R"(
    network t() { input x : R[2]; param A : R[3, 2]; param B : R[3, 3]; param C : R[1, 3];
                  output C @ (B @ (A @ x)^3)^3; })");
  EXPECT_EQ(c.cls, AlgebraicClass::Polynomial);
  EXPECT_EQ(c.degree, 9);
  EXPECT_TRUE(c.homogeneous());
}

TEST(Analysis, BiasesMakeItInhomogeneous) {
  // sigma(t) = t^2 + t/2 of (W x + b): terms of degree 0, 1, 2.
  Classification c = classOf(R"(
    act s(t) = t^2 + t / 2;
    network t() { input x : R[2]; param W : R[3, 2]; param b : R[3]; output s(W @ x + b); })");
  EXPECT_EQ(c.degree, 2);
  EXPECT_EQ(c.minDegree, 0);
  EXPECT_FALSE(c.homogeneous());
}

TEST(Analysis, AttentionIsCubic) {
  Classification c = classOf(R"(
    network t() { input X : R[2, 3]; param Q : R[1, 2]; param K : R[1, 2]; param V : R[2, 2];
                  output (V @ X) @ transpose(K @ X) @ (Q @ X); })");
  EXPECT_EQ(c.degree, 3);
  EXPECT_TRUE(c.homogeneous());
}

TEST(Analysis, DivisionByAConstantStaysPolynomial) {
  EXPECT_EQ(classOf("network t() { input x : R[2]; output x / 3; }").cls, AlgebraicClass::Polynomial);
}

TEST(Analysis, DivisionByAParameterIsRational) {
  Classification c = classOf("network t() { input x : R[2]; param w : R[2]; output x / w; }");
  EXPECT_EQ(c.cls, AlgebraicClass::Rational);
  EXPECT_EQ(c.culprit, Op::Div);
}

TEST(Analysis, ReluIsNonAlgebraicAndNamed) {
  Classification c = classOf("network t() { input x : R[2]; param w : R[2]; output relu(x * w) / w; }");
  EXPECT_EQ(c.cls, AlgebraicClass::NonAlgebraic);
  EXPECT_EQ(c.culprit, Op::Relu);
}

TEST(Analysis, DeadNonAlgebraicCodeDoesNotCount) {
  Classification c = classOf("network t() { input x : R[2]; let unused = tanh(x); output x ^ 2; }");
  EXPECT_EQ(c.cls, AlgebraicClass::Polynomial);
  EXPECT_EQ(c.degree, 2);
}

TEST(Analysis, ZeroPowerIsDegreeZero) {
  Classification c = classOf("network t() { input x : R[2]; output x ^ 0 + x; }");
  EXPECT_EQ(c.degree, 1);
  EXPECT_EQ(c.minDegree, 0);
}

}  // namespace
