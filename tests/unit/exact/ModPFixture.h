// ModPFixture.h — test matrices over F_p and FLINT as the independent engine (ExactTests).
#pragma once

#include <cblas.h>
#include <flint/nmod_mat.h>

#include <cstdint>
#include <random>
#include <vector>

namespace exacttest {

/// The two default primes of the engine, written out so a wrong prime search
/// is caught: the largest and second-largest primes below 2^26.
constexpr uint64_t kP1 = 67108859;
constexpr uint64_t kP2 = 67108837;

/// A row-major matrix of residues stored as doubles, as the engine takes them.
struct Dense {
  int64_t rows = 0, cols = 0;
  std::vector<double> a;
  double& at(int64_t i, int64_t j) { return a[size_t(i * cols + j)]; }
  double at(int64_t i, int64_t j) const { return a[size_t(i * cols + j)]; }
};

inline uint64_t mod(int64_t v, uint64_t p) {
  int64_t r = v % int64_t(p);
  return uint64_t(r < 0 ? r + int64_t(p) : r);
}

/// A random rows x cols matrix of integers in [-bound, bound] (as doubles, not reduced).
inline Dense randomIntegers(int64_t rows, int64_t cols, int bound, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> d(-bound, bound);
  Dense m{rows, cols, std::vector<double>(size_t(rows * cols))};
  for (double& v : m.a) v = d(rng);
  return m;
}

/// Reduces integer entries mod p in place.
inline void reduce(Dense& m, uint64_t p) {
  for (double& v : m.a) v = double(mod(int64_t(v), p));
}

/// The product of a rows x k and a k x cols random integer matrix (entries in
/// [-50, 50], so DGEMM's sums are exact integers below 2^53), reduced mod p:
/// rank k over Q, and over F_p for all but a vanishing fraction of draws.
inline Dense productOfRank(int64_t rows, int64_t cols, int64_t k, uint64_t p, std::mt19937_64& rng) {
  Dense b = randomIntegers(rows, k, 50, rng), c = randomIntegers(k, cols, 50, rng);
  Dense m{rows, cols, std::vector<double>(size_t(rows * cols), 0.0)};
  if (k > 0 && rows > 0 && cols > 0)
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(rows), int(cols), int(k), 1.0, b.a.data(), int(k),
                c.a.data(), int(cols), 0.0, m.a.data(), int(cols));
  reduce(m, p);
  return m;
}

/// FLINT's rank of the same matrix (nmod_mat_rank, no BLAS): the independent engine.
inline int64_t flintRank(const Dense& m, uint64_t p) {
  nmod_mat_t f;
  nmod_mat_init(f, m.rows, m.cols, p);
  for (int64_t i = 0; i < m.rows; ++i)
    for (int64_t j = 0; j < m.cols; ++j) nmod_mat_entry(f, i, j) = uint64_t(m.at(i, j));
  int64_t r = m.rows == 0 || m.cols == 0 ? 0 : int64_t(nmod_mat_rank(f));
  nmod_mat_clear(f);
  return r;
}

}  // namespace exacttest
