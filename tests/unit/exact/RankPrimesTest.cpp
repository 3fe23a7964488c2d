// RankPrimesTest.cpp — dim's default primes (defaultRankPrimes) against trial division: each keeps the
// Schwartz-Zippel bound U D / p below 1/100, and none is larger than it needs to be.
#include "Dim.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace {

bool isPrime(uint64_t n) {
  if (n < 2) return false;
  for (uint64_t d = 2; d * d <= n; ++d)
    if (n % d == 0) return false;
  return true;
}

uint64_t nextPrimeAbove(uint64_t n) {
  for (++n;; ++n)
    if (isPrime(n)) return n;
}

uint64_t largestPrimeBelowBound(uint64_t bound) {
  for (uint64_t n = bound - 1;; --n)
    if (isPrime(n)) return n;
}

}  // namespace

TEST(RankPrimes, SmallBoundsTakeTheLargestPrimesBelow2To23) {
  // 100 U D = 2.36e6 (pmlp [20,40,40,1]) is below 2^23 = 8388608.
  std::vector<uint64_t> p = nagrt::defaultRankPrimes(2360, 10);
  ASSERT_EQ(p.size(), 2u);
  const uint64_t a = largestPrimeBelowBound(uint64_t(1) << 23);
  EXPECT_EQ(p[0], a);
  EXPECT_EQ(p[1], largestPrimeBelowBound(a));
}

TEST(RankPrimes, LargerBoundsTakeTheSmallestPrimesAboveTheNeed) {
  // pmlp [100,100,100,1]: U = 19900, D = 10, 100 U D = 19 900 000, between 2^24 and 2^25.
  for (auto [U, D] : {std::pair<int64_t, int64_t>{19900, 10}, {9520, 10}, {4000, 100}, {60000, 11}}) {
    const uint64_t need = uint64_t(100 * U * D);
    std::vector<uint64_t> p = nagrt::defaultRankPrimes(U, D);
    ASSERT_EQ(p.size(), 2u);
    const uint64_t low = nextPrimeAbove(need), high = nextPrimeAbove(low);
    EXPECT_EQ(p[0], high) << "U = " << U << ", D = " << D;
    EXPECT_EQ(p[1], low) << "U = " << U << ", D = " << D;
    EXPECT_LT(double(U * D) / double(p[1]), 0.01);
    EXPECT_LT(p[0], uint64_t(1) << 26);  // still FFLAS's
  }
}

TEST(RankPrimes, BeyondFflasTheLargestPrimesBelow2To31) {
  // 100 U D = 1e8 > 2^26: FLINT, with primes below 2^31 (the R = 2^32 kernels).
  std::vector<uint64_t> p = nagrt::defaultRankPrimes(100000, 10);
  ASSERT_EQ(p.size(), 2u);
  const uint64_t a = largestPrimeBelowBound(uint64_t(1) << 31);
  EXPECT_EQ(p[0], a);
  EXPECT_EQ(p[1], largestPrimeBelowBound(a));
}
