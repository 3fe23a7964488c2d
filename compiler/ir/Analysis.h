// Analysis.h — algebraic class and degree of a network's output in its inputs.
#pragma once

#include "ir/IR.h"

#include <string>
#include <vector>

namespace nag::ir {

/// Polynomial ⊂ rational ⊂ non-algebraic, in θ and x jointly.
enum class AlgebraicClass { Polynomial, Rational, NonAlgebraic };

const char* toString(AlgebraicClass c);

/// Degrees are counted exactly up to 2^62; a larger degree is -1 ("more than
/// 2^62": ten layers of t^1000 have degree 10^30), never a wrapped or
/// saturated number that would pass for a degree.
constexpr int64_t kMaxTrackedDegree = int64_t(1) << 62;

/// What the structure of the graph says about its output.
struct Classification {
  AlgebraicClass cls = AlgebraicClass::Polynomial;
  /// Polynomial only: largest and smallest total degree in x over all output
  /// entries, read off the structure (exact unless terms cancel); -1 when
  /// more than kMaxTrackedDegree.
  int64_t degree = 0;
  int64_t minDegree = 0;
  bool homogeneous() const { return degree == minDegree && degree >= 0; }
  /// Polynomial only: the total degrees in x that can occur in some output
  /// entry (a subset of minDegree..degree: t^3 + t gives {1, 3}); empty when
  /// the degrees are too large to track, and then minDegree..degree is used.
  std::vector<int64_t> degreeSet;
  /// Polynomial only: largest total degree in θ, and in θ and x jointly
  /// (for the Schwartz–Zippel bound of the dimension report); -1 when more
  /// than kMaxTrackedDegree.
  int64_t thetaDegree = -1;
  int64_t totalDegree = -1;
  /// The first op that made the network rational or non-algebraic.
  Op culprit = Op::Const;
  SourceRange culpritLoc;
};

/// Classifies the output of `g` (one pass over the nodes per degree).
Classification classify(const Graph& g);

/// An upper bound, valid at every θ and x, on the rank of the Jacobian of
/// the output with respect to the inputs: rank(d(g∘h)) <= rank(dh), a
/// product with an x-free matrix keeps the rank of the other factor, a sum
/// adds ranks. For a linear network f = A(θ) x it bounds rank A(θ): the
/// narrowest width a chain of linear layers passes through.
int64_t inputRankBound(const Graph& g);

}  // namespace nag::ir
