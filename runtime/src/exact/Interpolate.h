// Interpolate.h — image points mod p, monomial evaluation kernels, and the degree by projection + interpolation.
#pragma once

#include "../Dim.h"
#include "nag_runtime.h"
#include "numeric/WitnessDegree.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace nagrt {

/// The kernel engine: a basis of the right kernel of the rows x cols matrix
/// `a` (row-major residues mod p), in the canonical form fixed by the kernel
/// alone: one vector per free column f of RREF(a), 1 at f, 0 at the other
/// free columns. FLINT's nmod_mat_rref today; the one place to swap in a
/// faster dense engine (FFLAS-FFPACK for p < 2^26).
std::vector<std::vector<uint64_t>> kernelModP(std::vector<uint64_t> a, int64_t rows, int64_t cols, uint64_t p);

/// The rank of `a` (rows x cols, row-major) mod p, with the same engine.
int64_t rankModP(std::vector<uint64_t> a, int64_t rows, int64_t cols, uint64_t p);

/// The RREF of the rows of `a` (each `cols` long) mod p: the nonzero rows,
/// each with 1 at its pivot; `pivots` receives the pivot columns.
std::vector<std::vector<uint64_t>> rrefRows(const std::vector<std::vector<uint64_t>>& a, int64_t cols, uint64_t p,
                                            std::vector<int64_t>& pivots);

/// Monomials in n variables, of degree exactly k (homogeneous) or at most k,
/// listed degree by degree (ascending) and lexicographically descending within
/// a degree (x0^k first); each is its parent (one variable fewer) times one
/// variable, so evaluating all of them costs one product each.
class Monomials {
public:
  Monomials(int n, int k, bool upTo);
  int64_t size() const { return int64_t(exps_.size()); }
  const std::vector<int>& exponent(int64_t i) const { return exps_[size_t(i)]; }
  int degree(int64_t i) const { return degs_[size_t(i)]; }
  /// The index of an exponent vector, -1 when it is not in the list.
  int64_t index(const std::vector<int>& e) const;
  /// Values of every monomial at y (n residues) mod p, appended to out.
  void evaluate(const uint64_t* y, uint64_t p, uint64_t* out) const;

private:
  std::vector<std::vector<int>> exps_;  // the exposed monomials
  std::vector<int> degs_;
  std::map<std::vector<int>, int64_t> index_;
  std::vector<int64_t> parent_, exposed_;  // the full table of degrees 0..k
  std::vector<int> var_;
};

/// C(n, k), saturating at 2^62.
int64_t binomialCapped(int64_t n, int64_t k);

/// The largest prime below n.
uint64_t primeBelowN(uint64_t n);

/// Whether the neurovariety is a cone, tested (never inferred from the
/// absence of biases): f_theta with one parameter block (a tensor, a
/// consecutive pair such as W and b, or all parameters) scaled by lambda is
/// lambda^e f_theta at random theta, x mod p. `witness` names the block and e.
bool testCone(const nag_model& m, uint64_t seed, std::string& witness);

/// Random points of the image mod p in evaluation coordinates:
/// (f_theta(x_1), ..., f_theta(x_M)) at fixed random x_j, for random theta
/// (redrawn where a denominator vanishes).
class EvaluationSampler {
public:
  EvaluationSampler(const nag_model& m, uint64_t p, uint64_t seed, int64_t points);
  int64_t size() const { return cols_; }
  /// One image point (size() residues).
  std::vector<uint64_t> next();

private:
  const nag_model& m_;
  uint64_t p_;
  ResidueStream draw_;
  int64_t points_, cols_;
  std::vector<uint64_t> x_;
  nag_modulus mod_;
};

/// What `degree` was asked.
struct DegreeOptions {
  std::string method = "auto";  ///< interpolation, monodromy, auto
  uint64_t seed = 1;
  int64_t maxColumns = 20000;
  bool progress = false;
  numeric::WitnessOptions witness;  ///< the numerical route's limits and checkpoint (seed and progress from above)
};

/// auto cross-checks monodromy by interpolation when the monomial matrix at the
/// degree found has at most this many columns (seconds of FFLAS rank).
constexpr int64_t kAutoCheckColumns = 3000;

/// One interpolation run: a prime, a seed, the matrices tried.
struct DegreeRun {
  uint64_t prime = 0, seed = 0;
  int64_t evaluationPoints = 0, evaluationRank = -1;  ///< the evaluation map's rank on image points (= span: injective)
  struct Step {
    int64_t k = 0, rows = 0, cols = 0, kernel = 0;
  };
  std::vector<Step> steps;
  int64_t degree = -1;  ///< the least k with a kernel; -1 none within the limit
  int64_t stoppedAt = 0;  ///< the degree whose matrix exceeded --max-columns (every lower one had no kernel)
  std::string stopped;    ///< what that means, with the sizes
};

/// The degree of the neurovariety and its evidence.
struct DegreeResult {
  int64_t degree = -1;
  std::string method;  ///< "linear space", "projection + interpolation", "monodromy (pseudo-witness set)",
                       ///< "interpolation and monodromy"
  bool cone = false;
  std::string coneWitness;
  int64_t dimension = -1, span = -1;
  bool spanKnown = false;
  bool agree = true;       ///< the routes that ran settle the degree (runs agree, monodromy complete)
  bool lowerBound = false; ///< degree is a lower bound (monodromy incomplete, or interpolation stopped at its budget)
  std::vector<std::string> notes;
  // Interpolation (two primes).
  std::vector<DegreeRun> runs;
  int64_t interpolationDegree = -1;
  bool interpolationAgree = false;
  int64_t interpolationLowerBound = 0;  ///< > 0: interpolation stopped at --max-columns, deg V >= this
  // Monodromy (two seeds).
  std::vector<numeric::WitnessRun> monodromy;
  numeric::WitnessSetup witness;
  int64_t monodromyDegree = -1;
  bool monodromyComplete = false;
};

/// The degree by generic projection to C^{m+1} and interpolation of the
/// image hypersurface, two primes and seeds. A matrix beyond o.maxColumns
/// stops it with a lower bound (deg V >= that degree), said with the sizes.
DegreeResult measureDegree(const nag_model& m, const DegreeOptions& o);

}  // namespace nagrt
