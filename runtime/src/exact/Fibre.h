// Fibre.h — points of a fibre of mu found from the network's structure, verified exactly mod p (runtime-internal).
//
// docs/fibres-and-singular-points.md explains the moves, the verification and
// the certificates built on them (`fibre`, `singular --at`).
#pragma once

#include "nag_runtime.h"

#include <gmpxx.h>

#include <cstdint>
#include <string>
#include <vector>

namespace nagrt {

/// A rational parameter point (P values).
using QPoint = std::vector<mpq_class>;

/// A hidden neuron, read off a generator of the neuron-rescaling rule: coeff
/// +1 on its incoming weights (a row of W, and its bias), -r on its outgoing
/// weights (a column of the next W).
struct Neuron {
  int32_t symmetry = -1;           ///< the rule (one layer of neurons)
  int64_t index = 0;               ///< its place in that layer
  std::vector<int64_t> weights;    ///< incoming weights (entries of a matrix)
  std::vector<int64_t> bias;       ///< incoming entries of a vector (the bias), usually 0 or 1
  std::vector<int64_t> out;        ///< outgoing weights
  int64_t r = 1;                   ///< the degree of the activation t^r
};

/// A pair of factors that enters f only through sum_a L_a R_a^T (a linear
/// chain A B, stacked heads, attention's K^T Q), read off the k diagonal
/// generators of a GL(k) rule: L_a are the entries with coeff -1 (a column
/// of A), R_a those with coeff +1 (a row of B), each in increasing order.
struct FactorPair {
  int32_t symmetry = -1;
  std::vector<std::vector<int64_t>> left, right;  ///< k vectors each, of equal lengths
};

/// What the structure of the network offers for fibre moves.
struct Structure {
  std::vector<Neuron> neurons;
  std::vector<std::vector<size_t>> layers;  ///< indices into neurons, one list per rescaling rule
  std::vector<FactorPair> pairs;
  std::vector<std::string> ignored;         ///< symmetries no move is built from, by description
};

/// Neurons and factor pairs from the model's symmetry generators.
Structure findStructure(const nag_model& m);

/// A finite symmetry that no continuous rule contains, found by checking candidates exactly: the m neurons between
/// a parameter matrix A (m x n: row i, with entry i of a bias vector, is neuron i's incoming side) and a matrix B
/// (q x m: column i is its outgoing side) permute, and a neuron changes sign (row i of A and b_i negated; with
/// column i of B too for an odd activation). Rescaling layers (Structure::layers) are not searched again.
struct NeuronGroup {
  std::string a, b, bias;  ///< tensor names; bias "" when none takes part
  int64_t neurons = 0;
  bool permute = false;    ///< S_m: the transposition (0 1) and the cycle (0 1 .. m-1) both verified
  int64_t signs = 0;       ///< neurons whose sign change verified (all m once S_m and neuron 0's hold)
  bool odd = false;        ///< the sign change negates B's column as well
};
struct FiniteSearch {
  std::vector<NeuronGroup> groups;
  std::string skipped;     ///< why nothing was searched ("" when it was)
};
/// Candidates on every pair (A, B) of matrices with matching widths, each checked at one random integer theta
/// (entries up to 2^30) against f at `points` random inputs mod each of `primes`; entries that a continuous
/// generator moves are left out (the element may lie in the continuous group: counted there, or not at all).
FiniteSearch findNeuronGroups(const nag_model& m, const Structure& s, const std::vector<uint64_t>& primes,
                              int64_t points, uint64_t seed);

/// A family of candidate fibre points through `base`: base + sum_k t_k d_k
/// (linear in t). A `point` move is the single point base + sum_k d_k.
struct FibreMove {
  std::string how;                                        ///< "neuron 2 of ...: outgoing weights 0, incoming free"
  std::vector<std::vector<std::pair<int64_t, mpq_class>>> directions;  ///< sparse directions d_k
  bool point = false;
};

/// The moves the structure suggests at theta (unverified candidates).
std::vector<FibreMove> fibreMoves(const nag_model& m, const Structure& s, const QPoint& theta);

/// An instance of a move: base + sum t_k d_k with t_k small random nonzero integers (or all 1 for a point move).
QPoint instance(const QPoint& base, const FibreMove& move, uint64_t& state);

/// theta mod p; false when a denominator is divisible by p.
bool reduce(const QPoint& theta, uint64_t p, std::vector<uint64_t>& out);

/// Exact check that f_a = f_b as functions: equal mod p at `points` random x
/// for each prime. False with the reason when they differ somewhere (or a
/// denominator vanished); a polynomial difference of degree D in x survives n
/// random points of one prime with probability at most (D/p)^n.
bool sameFunction(const nag_model& m, const QPoint& a, const QPoint& b, const std::vector<uint64_t>& primes,
                  int64_t points, uint64_t seed, std::string& why);

// The values at theta of the symmetry generators: generatorValues (../Dim.h).

/// Fixed row functionals on the function space: row i is f -> w_i . f(x_i)
/// (or all outputs at one point for a network without inputs).
struct RowFunctionals {
  uint64_t p = 0;
  int64_t rows = 0, points = 0;
  std::vector<uint64_t> x, w;
};
RowFunctionals rowFunctionals(const nag_model& m, uint64_t p, int64_t rows, uint64_t seed);

/// The rows x P matrix (row-major) of the functionals applied to dmu(theta); false when a denominator vanished.
bool jacobianRows(const nag_model& m, const RowFunctionals& f, const std::vector<uint64_t>& theta,
                  std::vector<uint64_t>& out);

/// The span of the columns of several rows x P matrices, kept as an echelon basis mod p.
class ColumnSpan {
public:
  ColumnSpan(int64_t rows, uint64_t p) : rows_(rows), p_(p) {}
  /// Adds the columns of a rows x cols row-major matrix; returns the new rank.
  int64_t add(const std::vector<uint64_t>& matrix, int64_t cols);
  int64_t rank() const { return int64_t(basis_.size()); }

private:
  int64_t rows_;
  uint64_t p_;
  std::vector<std::vector<uint64_t>> basis_;
};

/// The rank mod p of the vectors (each of length n).
int64_t rankOf(const std::vector<std::vector<uint64_t>>& vectors, int64_t n, uint64_t p);

/// A parameter file read exactly (as `dim --at` reads it): P rational values.
QPoint readPoint(const std::string& path, int64_t P, const std::string& flag);

/// SplitMix64: the next value of the stream at `state`.
uint64_t splitmix64(uint64_t& state);

/// `fibre [--at T]` (FibreCli.cpp): the generic fibre, its known symmetries and finite group; at T, the fibre's
/// dimension through T between named bounds.
/// How `fibre` counts the points of a generic fibre (by monodromy in a gauge, numeric/WitnessDegree.h).
struct FibreCountOptions {
  bool count = true;       ///< --no-count: skip it
  int64_t maxLoops = 200;
  int64_t maxPoints = 0;   ///< solutions of the gauge-fixed slice (0: no limit)
  bool progress = false;
};
std::string fibreReport(const nag_model& m, const std::string& at, uint64_t seed, bool json,
                        const FibreCountOptions& count = {});
/// The verdict of the singular-point test at T and the numbers behind it.
struct SingularResult {
  std::string verdict;   ///< "singular", "smooth" or "undecided"
  std::string reason;
  int64_t dimension = -1;  ///< dim V (generic rank, two primes)
  bool certified = false;  ///< dim V meets a proven upper bound
  int64_t rankAt = -1;     ///< rank of dmu at T
  int64_t tangent = -1;    ///< rank of the tangent span over the fibre points found
  int64_t points = 0;      ///< fibre points stacked (T included)
  std::vector<uint64_t> primes;
};
/// How `singular` looks for a smoothness certificate when the tangent span decides nothing: the
/// Jacobian criterion with the equations of V of degree 1, 2, ... (exact/Equations.h).
struct SingularOptions {
  bool equations = true;      ///< --no-equations: skip the criterion
  int64_t maxDegree = 0;      ///< 0: up to the column budget
  int64_t maxColumns = 2000;  ///< monomials of the largest interpolation matrix
  bool track = true;          ///< --no-track: no fibre points from the path tracker
  bool progress = false;      ///< the tracker's progress lines (a terminal, not --quiet)
};
/// The singular-point test at T (FibreCli.cpp), as `singular --at` runs it.
SingularResult singularAt(const nag_model& m, const QPoint& T, uint64_t seed, const SingularOptions& o = {});
/// `singular --at T` (FibreCli.cpp): the tangent span over the fibre through T against the dimension, then
/// the Jacobian criterion.
std::string singularReport(const nag_model& m, const std::string& at, uint64_t seed, bool json,
                           const SingularOptions& o = {});

}  // namespace nagrt
