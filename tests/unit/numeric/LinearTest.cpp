// LinearTest.cpp — the small complex product against OpenBLAS's zgemm (an independent implementation of the same
// product), at the tracker's shapes and across the size where the pullback switches between them.
#include "numeric/Linear.h"

#include <gtest/gtest.h>

#include <cblas.h>

#include <cmath>
#include <random>
#include <vector>

using nagrt::numeric::cplx;

namespace {

std::vector<cplx> randomMatrix(int64_t rows, int64_t cols, std::mt19937_64& rng) {
  std::normal_distribution<double> d;
  std::vector<cplx> m(size_t(rows * cols));
  for (cplx& v : m) v = cplx(d(rng), d(rng));
  return m;
}

TEST(ComplexProduct, EqualsZgemm) {
  std::mt19937_64 rng(77);
  struct Shape { int64_t m, l, n; };
  for (Shape s : {Shape{1, 1, 1}, Shape{5, 37, 7}, Shape{5, 7, 5}, Shape{3, 1, 9}, Shape{8, 64, 32}, Shape{13, 50, 29},
                  Shape{1, 200, 1}})
    for (int repeat = 0; repeat < 3; ++repeat) {
      std::vector<cplx> a = randomMatrix(s.m, s.l, rng), b = randomMatrix(s.l, s.n, rng);
      std::vector<cplx> got(size_t(s.m * s.n), cplx(99, 99)), want(size_t(s.m * s.n));
      nagrt::numeric::complexProduct(a.data(), b.data(), got.data(), s.m, s.l, s.n);
      const cplx one(1), zero(0);
      cblas_zgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(s.m), int(s.n), int(s.l), &one, a.data(), int(s.l),
                  b.data(), int(s.n), &zero, want.data(), int(s.n));
      for (size_t i = 0; i < got.size(); ++i)
        EXPECT_LT(std::abs(got[i] - want[i]), 1e-12 * std::sqrt(double(s.l)) * 10)
            << s.m << " x " << s.l << " x " << s.n << " entry " << i << ": " << got[i] << " vs " << want[i];
    }
}

// A hand example: [[i, 1]] [[1], [2 + i]] = i + 2 + i = 2 + 2i; and the imaginary unit squared.
TEST(ComplexProduct, HandExamples) {
  std::vector<cplx> a{cplx(0, 1), cplx(1, 0)}, b{cplx(1, 0), cplx(2, 1)}, c(1);
  nagrt::numeric::complexProduct(a.data(), b.data(), c.data(), 1, 2, 1);
  EXPECT_EQ(c[0], cplx(2, 2));
  std::vector<cplx> i{cplx(0, 1)}, ii(1);
  nagrt::numeric::complexProduct(i.data(), i.data(), ii.data(), 1, 1, 1);
  EXPECT_EQ(ii[0], cplx(-1, 0));
}

// factorSolve (zgesv on a's own column-major copy) solves what factor + solve (zgetrf/zgetrs on the transpose) do,
// checked by the residual a x - b itself, and its condition estimate is the same quantity (1 / cond_inf(a)): on a
// diagonal matrix, where LAPACK's estimator is exact, both give min |d| / max |d|.
TEST(LuSolver, FactorSolveSolvesAndEstimatesTheCondition) {
  std::mt19937_64 rng(5);
  for (int64_t n : {1, 2, 5, 12}) {
    std::vector<cplx> a = randomMatrix(n, n, rng), b = randomMatrix(n, 1, rng);
    nagrt::numeric::LuSolver one(n), two(n);
    std::vector<cplx> x1 = b, x2 = b;
    ASSERT_TRUE(one.factor(a.data()));
    one.solve(x1.data());
    ASSERT_TRUE(two.factorSolve(a.data(), x2.data()));
    for (int64_t i = 0; i < n; ++i) {
      cplx r = -b[size_t(i)];
      for (int64_t j = 0; j < n; ++j) r += a[size_t(i * n + j)] * x2[size_t(j)];
      EXPECT_LT(std::abs(r), 1e-10) << "n = " << n << ", row " << i;
      EXPECT_LT(std::abs(x1[size_t(i)] - x2[size_t(i)]), 1e-9 * (1 + std::abs(x1[size_t(i)])));
    }
    // solve after factorSolve uses the same factors: a second right-hand side.
    std::vector<cplx> c = randomMatrix(n, 1, rng), y1 = c, y2 = c;
    one.solve(y1.data());
    two.solve(y2.data());
    for (int64_t i = 0; i < n; ++i) EXPECT_LT(std::abs(y1[size_t(i)] - y2[size_t(i)]), 1e-9 * (1 + std::abs(y1[size_t(i)])));
    EXPECT_EQ(one.norm(), two.norm());
  }
  const std::vector<cplx> d{cplx(4, 0), cplx(0, -0.5), cplx(2, 0)};
  std::vector<cplx> diag(9, cplx(0)), rhs(3, cplx(1));
  for (int i = 0; i < 3; ++i) diag[size_t(4 * i)] = d[size_t(i)];
  nagrt::numeric::LuSolver one(3), two(3);
  ASSERT_TRUE(one.factor(diag.data()));
  ASSERT_TRUE(two.factorSolve(diag.data(), rhs.data()));
  EXPECT_NEAR(one.inverseCondition(), 0.5 / 4.0, 1e-15);
  EXPECT_NEAR(two.inverseCondition(), 0.5 / 4.0, 1e-15);
  EXPECT_EQ(rhs[1], cplx(0, 2));  // 1 / (-0.5 i) = 2 i
  // A singular matrix is refused, as by factor.
  std::vector<cplx> singular{cplx(1), cplx(2), cplx(2), cplx(4)}, r2(2, cplx(1));
  nagrt::numeric::LuSolver s(2);
  EXPECT_FALSE(s.factorSolve(singular.data(), r2.data()));
  EXPECT_EQ(s.inverseCondition(), 0.0);
}

}  // namespace
