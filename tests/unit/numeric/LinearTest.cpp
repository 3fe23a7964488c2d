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

}  // namespace
