// Dim.h — the dimension report's measurements (runtime-internal).
#pragma once

#include "Runtime.h"
#include "nag_runtime.h"

#include <flint/nmod_mat.h>

#include <cstdint>
#include <string>
#include <vector>

namespace nagrt {

/// What `dim` was asked.
struct DimOptions {
  bool exact = true;
  bool floating = false;
  uint64_t seed = 1;
  uint64_t prime = 0;     ///< 0: the largest prime below 2^62 (the second run takes the next one down)
  int64_t points = 0;     ///< 0: enough for the largest possible rank plus a margin
  std::string at;         ///< a parameter file: the rank of the differential there, beside the generic one
  bool kernel = false;    ///< a basis of the unexplained fibre directions
  bool measureSpan = false;  ///< --measure-span: measure the span even where a theorem gives it
  int64_t spanLimit = 0;  ///< the largest evaluation matrix (functions) tried for the span; 0: a budget by P
  bool progress = false;  ///< phase lines with elapsed time on standard error (a terminal, not --quiet)
  std::vector<double> floatAt;  ///< float: the Jacobian at this theta instead of a random one (same inputs)
  int64_t minimumRank = 0;  ///< internal: rows for at least this rank (a repeat after the compiler's bound was reached)
};

/// One exact rank measurement: a prime, a seed, a rank.
struct RankRun {
  uint64_t prime = 0, seed = 0;
  int64_t rank = -1;
  int resampled = 0;  ///< points redrawn where a denominator vanished mod p
  int64_t rowsRanked = -1;  ///< rows built and ranked when the rank stopped growing before the last (-1: all)
};

/// The linear span of the function space {f_theta}: the rank of the
/// evaluation matrix [f_theta_i(x_j)] over F_p, grown until it saturates.
struct SpanMeasure {
  bool attempted = false;
  bool known = false;        ///< value is the span (saturated, or a theorem)
  int64_t value = -1;        ///< the span when known; else the largest rank seen (a lower bound)
  int64_t upper = -1;        ///< a proven upper bound (the coordinate space), -1 none
  int64_t functions = 0;     ///< rows of the last evaluation matrix
  int64_t columns = 0;       ///< its columns (points x outputs)
  std::string method;        ///< how it was found
};

/// The measurements behind a dimension report.
struct DimReport {
  int64_t params = 0;
  int64_t points = 0, rows = 0;     ///< sample points; Jacobian rows
  std::vector<RankRun> runs;        ///< two primes and seeds (exact)
  int64_t exactRank = -1;           ///< the larger of the runs: a lower bound on the generic rank; -1 not measured
  int64_t rankAt = -1;              ///< --at: the rank of the differential at that theta (first prime)
  // Known symmetries, checked at the random theta of the first run.
  int64_t tangentRank = -1;         ///< rank of the generators' values (-1: no exact run)
  int64_t unverifiedSymmetry = 0;   ///< dimensions claimed by rules whose generators were not emitted
  std::vector<std::string> brokenSymmetries;  ///< generators that left the kernel of the Jacobian
  SpanMeasure span;
  // --kernel: directions of ker J beyond the symmetries' tangents.
  std::vector<std::vector<uint64_t>> kernelMod;
  std::vector<std::vector<double>> kernelFloat;
  int64_t floatTangentRank = -1;
  // Float.
  int64_t floatRank = -1;
  double gap = 0;                   ///< sigma_rank / sigma_rank+1
  bool floatTrusted = false;
  std::vector<double> singular;
};

/// Builds the Jacobian(s) at random points and ranks them; measures the span
/// and checks the known symmetries.
DimReport measureDimension(const nag_model& m, const DimOptions& o);

/// Why a program has no exact rank kernel (m.jac_theta_mod is null), as the
/// message says it: a non-algebraic network (the op and place), no
/// parameters, a constant of 64 bits or more (which one), or --no-derivatives.
std::string noExactRoute(const nag_model& m);

/// The degree of the exact Jacobian's entries in the values drawn at random
/// (theta, the points, the outputs' weights) of a polynomial network of total
/// degree D in theta and x: D - 1 for a row that is one output's gradient (one
/// output, or a network without inputs), D for a random combination of O > 1
/// outputs' gradients (the weights add one); -1 when D is unknown. A rank-r
/// minor has degree <= r times it (the Schwartz-Zippel bound's D).
int64_t rowDegree(const nag_model& m);

/// Uniform residues mod p from the documented generator (rejection sampling).
class ResidueStream {
public:
  ResidueStream(uint64_t seed, uint64_t p) : rng_(seed), p_(p), limit_(~uint64_t(0) - (~uint64_t(0) % p)) {}
  uint64_t next() {
    for (;;) {
      uint64_t v = rng_.next64();
      if (v < limit_) return v % p_;
    }
  }

private:
  Random rng_;
  uint64_t p_, limit_;
};

/// The span of the function space (exact/Span.cpp). `lowerBound` (the
/// dimension measured) lets it stop at once when it meets `coordinate`;
/// `byTheorem`: decided without measuring where the input enters only as W x
/// and the parts of f of each degree span every output (else measured).
SpanMeasure measureSpan(const nag_model& m, uint64_t prime, uint64_t seed, int64_t coordinate, int64_t lowerBound,
                        int64_t limit, bool progress, bool byTheorem = true);

/// The report of `dim` (DimReport.cpp): text, or JSON when `json`.
std::string dimReport(const nag_model& m, const DimOptions& o, bool json);

/// The rank of a matrix over F_p: FFLAS-FFPACK on BLAS for p < 2^26
/// (exact/DenseModP.h), FLINT for larger primes.
int64_t rankModP(const nmod_mat_t a);

/// The default pair of primes (larger first) for a rank up to `maxRank` of
/// entries of degree <= `degree`, each keeping the Schwartz-Zippel bound
/// maxRank * degree / p below 1/100: the two largest below 2^23 when they do,
/// else the two smallest above 100 * maxRank * degree while that is below
/// 2^26 (FFLAS), else FLINT's: the two largest below 2^31 or 2^62.
std::vector<uint64_t> defaultRankPrimes(int64_t maxRank, int64_t degree);

/// The values at theta of the known symmetries' generators (of symmetry `sym`,
/// or of all when sym < 0), mod p: tangent directions of their orbits.
std::vector<std::vector<uint64_t>> generatorValues(const nag_model& m, const std::vector<uint64_t>& theta, uint64_t p,
                                                   int32_t sym = -1);

/// The name of parameter index i: "W1[0, 2]".
std::string parameterName(const nag_model& m, int64_t i);

}  // namespace nagrt
