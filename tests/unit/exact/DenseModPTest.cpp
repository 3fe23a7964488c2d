// DenseModPTest.cpp — exact rank over F_p through FFLAS-FFPACK: known ranks, FLINT agreement, refusals.
#include <cmath>
#include "ModPFixture.h"
#include "Runtime.h"
#include "exact/DenseModP.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <thread>

using namespace exacttest;
namespace ex = nagrt::exact;

namespace {

int64_t rankOf(Dense m, uint64_t p) { return ex::rank(m.a.data(), m.rows, m.cols, p); }

std::string messageOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const nagrt::Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(Primes, AcceptsOnlyOddPrimesBelow2To26) {
  for (uint64_t p : {3ull, 5ull, 7ull, 65537ull, 67108837ull, 67108859ull}) EXPECT_TRUE(ex::fflasPrimeOk(p)) << p;
  // even, not prime, too large (2^26 itself, the next prime above it, 2^31 - 1 and 2^61 - 1 are prime)
  for (uint64_t p : {0ull, 1ull, 2ull, 4ull, 9ull, 15ull, 65535ull, 67108863ull, 67108864ull, 67108879ull,
                     2147483647ull, 2305843009213693951ull})
    EXPECT_FALSE(ex::fflasPrimeOk(p)) << p;
}

TEST(Primes, TwoLargestBelow2To26AreTheDefaults) {
  EXPECT_EQ(ex::largestPrimeBelow(ex::kPrimeBound), kP1);
  EXPECT_EQ(ex::largestPrimeBelow(kP1), kP2);
  EXPECT_EQ(ex::largestPrimeBelow(uint64_t(1) << 40), kP1);  // clamped to the engine's bound
  EXPECT_EQ(ex::largestPrimeBelow(8), 7u);
  EXPECT_EQ(ex::largestPrimeBelow(4), 3u);
  EXPECT_EQ(ex::largestPrimeBelow(3), 0u);
  std::vector<uint64_t> two = ex::defaultPrimes();
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0], kP1);
  EXPECT_EQ(two[1], kP2);
}

TEST(Primes, RankRefusesABadModulus) {
  Dense m{2, 2, {1, 0, 0, 1}};
  for (uint64_t p : {2ull, 4ull, 9ull, 67108864ull, 2147483647ull}) {
    std::string msg = messageOf([&] { rankOf(m, p); });
    EXPECT_NE(msg.find("the modulus " + std::to_string(p) + " is not an odd prime below 2^26"), std::string::npos) << msg;
    msg = messageOf([&] { ex::rightKernel(m.a.data(), 2, 2, p); });
    EXPECT_NE(msg.find("the modulus " + std::to_string(p)), std::string::npos) << msg;
  }
}

TEST(Rank, RefusesEntriesThatAreNotResidues) {
  for (double bad : {-1.0, 7.0, 8.0, 0.5, 1e300}) {
    Dense m{2, 3, {1, 2, 3, 4, bad, 6}};
    std::string msg = messageOf([&] { rankOf(m, 7); });
    EXPECT_NE(msg.find("entry (1, 1)"), std::string::npos) << msg;
    EXPECT_NE(msg.find("is not a residue 0 <= v < 7"), std::string::npos) << msg;
  }
  // A matrix of 7000 entries: the check runs on whole blocks of 4096 entries, then on the rest one by one; a bad
  // entry is found in either part, and a NaN as well.
  for (int64_t at : {int64_t(5), int64_t(4095), int64_t(4096), int64_t(6999)})
    for (double bad : {-1.0, 7.0, 0.5, 3.25, 1e300, std::nan("")}) {
      Dense m{70, 100, std::vector<double>(7000, 3.0)};
      m.a[size_t(at)] = bad;
      std::string msg = messageOf([&] { rankOf(m, 7); });
      EXPECT_NE(msg.find("entry (" + std::to_string(at / 100) + ", " + std::to_string(at % 100) + ")"),
                std::string::npos) << msg;
    }
}

// (a) B (n x k) times C (k x n), random integers, has rank k.
TEST(Rank, ProductOfRandomIntegerMatricesHasRankK) {
  std::mt19937_64 rng(20240618);
  struct Case { int64_t n, k; };
  for (Case c : {Case{1, 0}, Case{1, 1}, Case{2, 1}, Case{10, 0}, Case{10, 1}, Case{10, 10}, Case{200, 0},
                 Case{200, 1}, Case{200, 73}, Case{200, 199}, Case{200, 200}, Case{600, 300}, Case{1500, 0},
                 Case{1500, 1}, Case{1500, 700}, Case{1500, 1500}})
    for (uint64_t p : {kP1, kP2}) {
      Dense m = productOfRank(c.n, c.n, c.k, p, rng);
      EXPECT_EQ(rankOf(m, p), c.k) << "n = " << c.n << ", k = " << c.k << ", p = " << p;
    }
}

TEST(Rank, RectangularProductsHaveRankK) {
  std::mt19937_64 rng(7);
  struct Case { int64_t rows, cols, k; };
  for (Case c : {Case{1, 300, 1}, Case{300, 1, 1}, Case{50, 400, 50}, Case{400, 50, 50}, Case{400, 900, 333},
                 Case{900, 400, 120}})
    for (uint64_t p : {kP1, kP2}) {
      Dense m = productOfRank(c.rows, c.cols, c.k, p, rng);
      EXPECT_EQ(rankOf(m, p), c.k) << c.rows << " x " << c.cols << ", k = " << c.k;
    }
}

// Residues::Balanced takes FFLAS's own form, -(p-1)/2..(p-1)/2, as it is: the same
// matrices written balanced have the same ranks (k, and FLINT's for p = 3).
TEST(Rank, BalancedResiduesGiveTheSameRank) {
  std::mt19937_64 rng(29);
  for (uint64_t p : {kP1, kP2, uint64_t(65537), uint64_t(3)})
    for (int64_t k : {0, 1, 40, 90}) {
      Dense m = productOfRank(120, 90, k, p, rng);
      int64_t expected = flintRank(m, p);
      std::vector<double> b = m.a;
      for (double& v : b)
        if (v > double((p - 1) / 2)) v -= double(p);
      EXPECT_EQ(ex::rank(b.data(), m.rows, m.cols, p, ex::Residues::Balanced), expected) << "p = " << p << ", k = " << k;
      if (p > 1000) {
        EXPECT_EQ(expected, k);
      }
    }
}

TEST(Rank, EmptyShapesHaveRankZero) {
  EXPECT_EQ(ex::rank(nullptr, 0, 0, kP1), 0);
  EXPECT_EQ(ex::rank(nullptr, 0, 5, kP1), 0);
  EXPECT_EQ(ex::rank(nullptr, 5, 0, kP1), 0);
}

// (b) rank equals FLINT's nmod_mat_rank on prescribed-rank, sparse and structured matrices.
TEST(Rank, AgreesWithFlintOnPrescribedRank) {
  std::mt19937_64 rng(11);
  for (uint64_t p : {kP1, kP2, uint64_t(65537), uint64_t(3)}) {
    for (int64_t k : {0, 1, 5, 37, 120}) {
      Dense m = productOfRank(150, 130, k, p, rng);
      int64_t expected = flintRank(m, p);
      if (p > 1000) {  // for p = 3 the rank may well drop
        EXPECT_EQ(expected, k);
      }
      EXPECT_EQ(rankOf(m, p), expected) << "p = " << p << ", k = " << k;
    }
  }
}

TEST(Rank, AgreesWithFlintOnSparseMatrices) {
  std::mt19937_64 rng(12);
  for (uint64_t p : {kP1, kP2, uint64_t(7)}) {
    std::uniform_int_distribution<uint64_t> residue(1, p - 1);
    for (double density : {0.001, 0.005, 0.02, 0.1}) {
      Dense m{300, 260, std::vector<double>(300 * 260, 0.0)};
      std::bernoulli_distribution hit(density);
      for (double& v : m.a)
        if (hit(rng)) v = double(residue(rng));
      EXPECT_EQ(rankOf(m, p), flintRank(m, p)) << "p = " << p << ", density = " << density;
    }
  }
}

TEST(Rank, AgreesWithFlintOnStructuredMatrices) {
  std::mt19937_64 rng(13);
  const uint64_t p = kP1;
  std::vector<std::pair<std::string, Dense>> cases;
  const int64_t n = 120;
  Dense zero{n, n, std::vector<double>(n * n, 0.0)};
  cases.push_back({"zero", zero});
  Dense id = zero, all = zero, half = zero, top = zero, vander = zero, repeated = zero, blocks = zero, column = zero;
  for (int64_t i = 0; i < n; ++i) id.at(i, i) = 1;
  cases.push_back({"identity", id});
  for (double& v : all.a) v = double(p - 1);  // -1 in balanced form: rank 1
  cases.push_back({"all p-1", all});
  // entries on both sides of (p-1)/2, where the balanced representation flips sign
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < n; ++j) half.at(i, j) = double((p - 1) / 2 + uint64_t((i * 7 + j * 3) % 3));
  cases.push_back({"around (p-1)/2", half});
  // upper triangular with a zero diagonal block
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = i; j < n; ++j) top.at(i, j) = (i >= 40 && i < 60) ? 0.0 : double(rng() % p);
  cases.push_back({"triangular with gaps", top});
  // Vandermonde on 50 distinct nodes, repeated: rank 50
  for (int64_t i = 0; i < n; ++i) {
    uint64_t x = uint64_t(i % 50) + 2, pw = 1;
    for (int64_t j = 0; j < n; ++j, pw = pw * x % p) vander.at(i, j) = double(pw);
  }
  cases.push_back({"repeated Vandermonde", vander});
  // a rank-3 matrix: every row a combination of 3 random rows
  Dense base = productOfRank(3, n, 3, p, rng);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < n; ++j)
      repeated.at(i, j) = double((uint64_t(i + 1) * uint64_t(base.at(0, j)) + uint64_t(i % 5) * uint64_t(base.at(2, j))) % p);
  cases.push_back({"rows spanned by two", repeated});
  // block diagonal of random blocks of sizes 1..15, every other block singular
  for (int64_t start = 0, b = 1, parity = 0; start < n; start += b, b = b % 15 + 1, parity ^= 1) {
    int64_t size = std::min(b, n - start);
    Dense blk = productOfRank(size, size, parity ? size - 1 : size, p, rng);
    for (int64_t i = 0; i < size; ++i)
      for (int64_t j = 0; j < size; ++j) blocks.at(start + i, start + j) = blk.at(i, j);
  }
  cases.push_back({"block diagonal", blocks});
  for (int64_t i = 0; i < n; ++i) column.at(i, 17) = double(i % 4);
  cases.push_back({"one nonzero column", column});
  for (auto& [name, m] : cases) EXPECT_EQ(rankOf(m, p), flintRank(m, p)) << name;
  EXPECT_EQ(rankOf(cases[2].second, p), 1);
}

extern "C" int openblas_get_num_threads(void);

TEST(Rank, ConcurrentCallsAgreeAndRestoreOpenBlasThreads) {
  int before = openblas_get_num_threads();
  std::mt19937_64 rng(14);
  Dense a = productOfRank(400, 400, 321, kP1, rng), b = productOfRank(400, 400, 123, kP2, rng);
  int64_t ra = -1, rb = -1;
  std::thread t([&] {
    for (int i = 0; i < 3; ++i) ra = rankOf(a, kP1);
  });
  for (int i = 0; i < 3; ++i) rb = rankOf(b, kP2);
  t.join();
  EXPECT_EQ(ra, 321);
  EXPECT_EQ(rb, 123);
  EXPECT_EQ(openblas_get_num_threads(), before);
}

namespace {

// FLINT's rank of the first `rows` rows of m.
int64_t flintPrefixRank(const Dense& m, int64_t rows, uint64_t p) {
  Dense prefix{rows, m.cols, std::vector<double>(m.a.begin(), m.a.begin() + rows * m.cols)};
  return flintRank(prefix, p);
}

// Feeds m to a RowRank in blocks of the given sizes (cycled) and checks the rank after every block against
// FLINT's rank of the rows so far.
void checkBlocks(const Dense& m, uint64_t p, const std::vector<int64_t>& sizes, const std::string& what) {
  ex::RowRank rr(m.cols, p);
  int64_t done = 0, before = 0;
  for (size_t b = 0; done < m.rows; ++b) {
    int64_t count = std::min(sizes[b % sizes.size()], m.rows - done);
    std::vector<double> block(m.a.begin() + done * m.cols, m.a.begin() + (done + count) * m.cols);
    int64_t gained = rr.add(block.data(), count);
    done += count;
    int64_t expected = flintPrefixRank(m, done, p);
    ASSERT_EQ(rr.rank(), expected) << what << ", after " << done << " rows";
    EXPECT_EQ(gained, expected - before) << what;
    EXPECT_EQ(rr.rowsAdded(), done);
    before = expected;
  }
}

}  // namespace

// Block by block, the rank is FLINT's rank of the rows so far: random products of rank k, with zero,
// repeated and dependent columns (pivots that skip columns, so the column order is permuted at every block).
TEST(RowRank, RankAfterEveryBlockIsFlintsRankOfTheRowsSoFar) {
  std::mt19937_64 rng(41);
  for (uint64_t p : {kP1, uint64_t(8388593), uint64_t(65537), uint64_t(3)})
    for (int64_t k : {0, 1, 17, 60, 90}) {
      Dense m = productOfRank(130, 90, k, p, rng);
      for (int64_t i = 0; i < m.rows; ++i) m.at(i, 0) = 0, m.at(i, 5) = m.at(i, 2), m.at(i, 40) = 0;
      for (const std::vector<int64_t>& sizes :
           {std::vector<int64_t>{1}, std::vector<int64_t>{7}, std::vector<int64_t>{32, 3}, std::vector<int64_t>{200}})
        checkBlocks(m, p, sizes, "p = " + std::to_string(p) + ", k = " + std::to_string(k) + ", block " +
                                     std::to_string(sizes[0]));
    }
}

// Rows whose rank stops growing: the rank of a stack of generic rows is min(rows, k), so the first block that
// adds fewer rows than it has shows the rank. Wide and tall shapes, and a rank that reaches every column.
TEST(RowRank, SaturatesAtTheRankOfGenericRows) {
  std::mt19937_64 rng(43);
  struct Case { int64_t rows, cols, k, block; };
  for (Case c : {Case{400, 300, 210, 64}, Case{300, 700, 250, 100}, Case{260, 200, 200, 50}, Case{90, 600, 90, 30}}) {
    Dense m = productOfRank(c.rows, c.cols, c.k, kP1, rng);
    ex::RowRank rr(c.cols, kP1);
    int64_t done = 0;
    for (; done < c.rows;) {
      int64_t count = std::min(c.block, c.rows - done);
      std::vector<double> block(m.a.begin() + done * c.cols, m.a.begin() + (done + count) * c.cols);
      int64_t gained = rr.add(block.data(), count);
      done += count;
      if (gained < count) break;
    }
    EXPECT_EQ(rr.rank(), c.k) << c.rows << " x " << c.cols;
    EXPECT_LE(done, (c.k / c.block + 1) * c.block);
  }
}

// annihilates(v) is A v == 0 for the rows added: vectors of the right kernel (FLINT's nullspace) and others.
TEST(RowRank, AnnihilatesExactlyTheKernel) {
  std::mt19937_64 rng(47);
  for (uint64_t p : {kP1, uint64_t(65537)}) {
    Dense m = productOfRank(50, 70, 30, p, rng);
    ex::RowRank rr(m.cols, p);
    std::vector<double> copy = m.a;
    rr.add(copy.data(), 20);
    std::vector<double> rest(m.a.begin() + 20 * m.cols, m.a.end());
    rr.add(rest.data(), 30);
    nmod_mat_t a, x;
    nmod_mat_init(a, m.rows, m.cols, p);
    for (int64_t i = 0; i < m.rows; ++i)
      for (int64_t j = 0; j < m.cols; ++j) nmod_mat_entry(a, i, j) = uint64_t(m.at(i, j));
    nmod_mat_init(x, m.cols, m.cols, p);
    slong nullity = nmod_mat_nullspace(x, a);
    ASSERT_EQ(nullity, 40);
    for (slong c = 0; c < nullity; ++c) {
      std::vector<uint64_t> v(size_t(m.cols));
      for (int64_t i = 0; i < m.cols; ++i) v[size_t(i)] = nmod_mat_entry(x, i, c);
      EXPECT_TRUE(rr.annihilates(v)) << "kernel vector " << c;
      v[size_t(c % m.cols)] = (v[size_t(c % m.cols)] + 1) % p;  // off the kernel (a unit vector is not in it)
      bool inKernel = true;
      for (int64_t i = 0; i < m.rows && inKernel; ++i) {
        uint64_t acc = 0;
        for (int64_t j = 0; j < m.cols; ++j) acc = (acc + uint64_t((unsigned __int128)uint64_t(m.at(i, j)) * v[size_t(j)] % p)) % p;
        inKernel = acc == 0;
      }
      EXPECT_EQ(rr.annihilates(v), inKernel) << "perturbed vector " << c;
    }
    nmod_mat_clear(x);
    nmod_mat_clear(a);
  }
}
