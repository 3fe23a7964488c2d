// KernelTest.cpp — the canonical right kernel over F_p: A v = 0, its size, its independence of the row basis.
#include "ModPFixture.h"
#include "Runtime.h"
#include "exact/DenseModP.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

using namespace exacttest;
namespace ex = nagrt::exact;

namespace {

using Basis = std::vector<std::vector<uint64_t>>;

Basis kernelOf(const Dense& m, uint64_t p) { return ex::rightKernel(m.a.data(), m.rows, m.cols, p); }

// A v mod p by plain modular arithmetic (no FFLAS, no FLINT).
bool annihilates(const Dense& m, const std::vector<uint64_t>& v, uint64_t p) {
  for (int64_t i = 0; i < m.rows; ++i) {
    uint64_t s = 0;
    for (int64_t j = 0; j < m.cols; ++j) s = (s + uint64_t(m.at(i, j)) * v[size_t(j)]) % p;
    if (s != 0) return false;
  }
  return true;
}

// The same row space written differently: rows shuffled, scaled by nonzero
// constants, each row plus multiples of two others (an invertible map, done in
// an order that keeps it invertible), then a zero row and a duplicated row.
Dense sameRowSpace(const Dense& m, uint64_t p, std::mt19937_64& rng) {
  std::uniform_int_distribution<uint64_t> nonzero(1, p - 1), any(0, p - 1);
  Dense out = m;
  std::vector<int64_t> order(size_t(m.rows));
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  for (int64_t i = 0; i < m.rows; ++i) {
    uint64_t c = nonzero(rng);
    for (int64_t j = 0; j < m.cols; ++j) out.at(i, j) = double(uint64_t(m.at(order[size_t(i)], j)) * c % p);
  }
  // row i += a * row (i+1) + b * row (i+2), for i increasing: each step is
  // invertible because rows i+1 and i+2 are not yet changed.
  for (int64_t i = 0; i + 2 < m.rows; ++i) {
    uint64_t a = any(rng), b = any(rng);
    for (int64_t j = 0; j < m.cols; ++j)
      out.at(i, j) = double((uint64_t(out.at(i, j)) + a * uint64_t(out.at(i + 1, j)) % p +
                             b * uint64_t(out.at(i + 2, j)) % p) % p);
  }
  out.rows += 2;
  out.a.resize(size_t(out.rows * out.cols), 0.0);
  if (m.rows > 0)
    for (int64_t j = 0; j < m.cols; ++j) out.at(out.rows - 1, j) = out.at(0, j);
  return out;
}

// FLINT's nullspace (nmod_mat_nullspace builds the same canonical basis from
// its RREF: 1 at each free column, minus the RREF's entries at the pivots).
Basis flintKernel(const Dense& m, uint64_t p) {
  nmod_mat_t a, x;
  nmod_mat_init(a, m.rows, m.cols, p);
  nmod_mat_init(x, m.cols, m.cols, p);
  for (int64_t i = 0; i < m.rows; ++i)
    for (int64_t j = 0; j < m.cols; ++j) nmod_mat_entry(a, i, j) = uint64_t(m.at(i, j));
  slong nullity = nmod_mat_nullspace(x, a);
  Basis b(size_t(nullity), std::vector<uint64_t>(size_t(m.cols)));
  for (slong i = 0; i < nullity; ++i)
    for (int64_t j = 0; j < m.cols; ++j) b[size_t(i)][size_t(j)] = nmod_mat_entry(x, j, i);
  nmod_mat_clear(a);
  nmod_mat_clear(x);
  return b;
}

void expectCanonical(const Basis& b, int64_t cols) {
  // Restricted to the free columns (where some vector has its leading 1 past
  // all pivots) the basis is the identity: v_i has 1 at f_i and 0 at f_j.
  std::vector<int64_t> free;
  for (const auto& v : b) {
    // f_i is the last nonzero entry: pivots of the rows it meets come before it
    int64_t last = cols - 1;
    while (last >= 0 && v[size_t(last)] == 0) --last;
    ASSERT_GE(last, 0);
    EXPECT_EQ(v[size_t(last)], 1u);
    free.push_back(last);
  }
  EXPECT_TRUE(std::is_sorted(free.begin(), free.end()));
  for (size_t i = 0; i < b.size(); ++i)
    for (size_t j = 0; j < b.size(); ++j) EXPECT_EQ(b[i][size_t(free[j])], i == j ? 1u : 0u);
}

}  // namespace

TEST(RightKernel, AnnihilatesAndHasSizeColsMinusRank) {
  std::mt19937_64 rng(21);
  struct Case { int64_t rows, cols, k; };
  for (uint64_t p : {kP1, kP2, uint64_t(5)})
    for (Case c : {Case{1, 1, 1}, Case{1, 1, 0}, Case{3, 7, 2}, Case{40, 40, 40}, Case{40, 60, 40}, Case{60, 40, 33},
                   Case{100, 150, 17}, Case{250, 300, 200}}) {
      Dense m = productOfRank(c.rows, c.cols, c.k, p, rng);
      int64_t r = flintRank(m, p);
      Basis b = kernelOf(m, p);
      ASSERT_EQ(int64_t(b.size()), c.cols - r) << c.rows << " x " << c.cols << ", p = " << p;
      for (const auto& v : b) {
        ASSERT_EQ(int64_t(v.size()), c.cols);
        for (uint64_t e : v) ASSERT_LT(e, p);
        EXPECT_TRUE(annihilates(m, v, p)) << c.rows << " x " << c.cols << ", p = " << p;
      }
      expectCanonical(b, c.cols);
    }
}

TEST(RightKernel, DependsOnlyOnTheRowSpace) {
  std::mt19937_64 rng(22);
  for (uint64_t p : {kP1, kP2})
    for (int64_t k : {1, 9, 30}) {
      Dense m = productOfRank(35, 50, k, p, rng);
      Basis b = kernelOf(m, p);
      for (int trial = 0; trial < 3; ++trial) {
        Dense other = sameRowSpace(m, p, rng);
        EXPECT_EQ(kernelOf(other, p), b) << "k = " << k << ", trial " << trial;
      }
    }
}

TEST(RightKernel, SameBasisAsFlintNullspace) {
  std::mt19937_64 rng(23);
  for (uint64_t p : {kP1, kP2, uint64_t(3)})
    for (int64_t k : {0, 1, 12, 45, 80}) {
      Dense m = productOfRank(80, 95, k, p, rng);
      // zero a few columns and duplicate one, so that pivots skip columns
      for (int64_t i = 0; i < m.rows; ++i) m.at(i, 0) = 0, m.at(i, 7) = 0, m.at(i, 8) = m.at(i, 3);
      EXPECT_EQ(kernelOf(m, p), flintKernel(m, p)) << "p = " << p << ", k = " << k;
    }
}

TEST(RightKernel, BalancedResiduesGiveTheSameBasis) {
  std::mt19937_64 rng(31);
  for (uint64_t p : {kP1, kP2, uint64_t(3)})
    for (int64_t k : {0, 7, 50}) {
      Dense m = productOfRank(60, 70, k, p, rng);
      std::vector<double> b = m.a;
      for (double& v : b)
        if (v > double((p - 1) / 2)) v -= double(p);
      EXPECT_EQ(nagrt::exact::rightKernel(b.data(), m.rows, m.cols, p, nagrt::exact::Residues::Balanced), flintKernel(m, p))
          << "p = " << p << ", k = " << k;
    }
}

TEST(RightKernel, EdgeShapes) {
  Basis none = ex::rightKernel(nullptr, 3, 0, kP1);
  EXPECT_TRUE(none.empty());
  Basis all = ex::rightKernel(nullptr, 0, 4, kP1);  // no equations: the identity
  ASSERT_EQ(all.size(), 4u);
  for (size_t i = 0; i < 4; ++i)
    for (size_t j = 0; j < 4; ++j) EXPECT_EQ(all[i][j], i == j ? 1u : 0u);
  Dense id{3, 3, {1, 0, 0, 0, 1, 0, 0, 0, 1}};
  EXPECT_TRUE(kernelOf(id, kP1).empty());
  // x + 2y + 3z = 0 over F_7: free columns y, z; v = (-2, 1, 0), (-3, 0, 1)
  Dense row{1, 3, {1, 2, 3}};
  EXPECT_EQ(kernelOf(row, 7), (Basis{{5, 1, 0}, {4, 0, 1}}));
  // the input is not modified
  Dense big{2, 3, {6, 5, 4, 3, 2, 1}};
  Dense copy = big;
  kernelOf(big, 7);
  EXPECT_EQ(big.a, copy.a);
}
