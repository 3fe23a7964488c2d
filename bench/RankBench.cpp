// RankBench.cpp — exact rank over F_p: FFLAS-FFPACK (nagrt::exact::rank) against FLINT's nmod_mat_rank.
//
// Not part of `make build` or `make test`: `cmake --build build --target RankBench && build/bin/RankBench`.
// Each case is an n x n matrix of rank 0.9 n (a product of random n x 0.9n and 0.9n x n integer
// matrices reduced mod p), the shape of a Jacobian with a defect. One thread for both engines.
#include "exact/DenseModP.h"

#include <benchmark/benchmark.h>
#include <cblas.h>
#include <flint/flint.h>
#include <flint/nmod_mat.h>

#include <cstdint>
#include <random>
#include <vector>

namespace {

constexpr uint64_t kP26 = 67108859;              // largest prime below 2^26
constexpr uint64_t kP62 = 4611686018427387847;   // the prime `dim` uses with FLINT today

// n x n, rank k: integers of size below 2^22 (exact in doubles), not yet reduced.
std::vector<double> matrixOfRank(int64_t n, int64_t k) {
  std::mt19937_64 rng(uint64_t(n) * 1000003 + uint64_t(k));
  std::uniform_int_distribution<int> d(-50, 50);
  std::vector<double> b(size_t(n * k)), c(size_t(k * n)), m(size_t(n * n), 0.0);
  for (double& v : b) v = d(rng);
  for (double& v : c) v = d(rng);
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(n), int(n), int(k), 1.0, b.data(), int(k), c.data(),
              int(n), 0.0, m.data(), int(n));
  return m;
}

uint64_t residue(double v, uint64_t p) {
  int64_t r = int64_t(v) % int64_t(p);
  return uint64_t(r < 0 ? r + int64_t(p) : r);
}

void fflasRank(benchmark::State& state) {
  int64_t n = state.range(0), k = n * 9 / 10;
  std::vector<double> m = matrixOfRank(n, k), work;
  for (double& v : m) v = double(residue(v, kP26));
  for (auto _ : state) {
    state.PauseTiming();
    work = m;
    state.ResumeTiming();
    if (nagrt::exact::rank(work.data(), n, n, kP26) != k) state.SkipWithError("wrong rank");
  }
}

void fflasKernel(benchmark::State& state) {
  int64_t n = state.range(0), k = n * 9 / 10;
  std::vector<double> m = matrixOfRank(n, k);
  for (double& v : m) v = double(residue(v, kP26));
  for (auto _ : state)
    if (int64_t(nagrt::exact::rightKernel(m.data(), n, n, kP26).size()) != n - k) state.SkipWithError("wrong nullity");
}

void flintRank(benchmark::State& state, uint64_t p) {
  int64_t n = state.range(0), k = n * 9 / 10;
  std::vector<double> m = matrixOfRank(n, k);
  flint_set_num_threads(1);
  nmod_mat_t a;
  nmod_mat_init(a, n, n, p);
  for (auto _ : state) {
    state.PauseTiming();
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < n; ++j) nmod_mat_entry(a, i, j) = residue(m[size_t(i * n + j)], p);
    state.ResumeTiming();
    if (int64_t(nmod_mat_rank(a)) != k) state.SkipWithError("wrong rank");
  }
  nmod_mat_clear(a);
}

void flintRank26(benchmark::State& state) { flintRank(state, kP26); }
void flintRank62(benchmark::State& state) { flintRank(state, kP62); }

}  // namespace

BENCHMARK(fflasRank)->Arg(1000)->Arg(2000)->Arg(3000)->Arg(5000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(fflasKernel)->Arg(1000)->Arg(3000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(flintRank26)->Arg(1000)->Arg(2000)->Arg(3000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(flintRank62)->Arg(1000)->Arg(2000)->Arg(3000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_MAIN();
