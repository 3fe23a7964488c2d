// Analysis.h — algebraic class and degree of a network's output in its inputs.
#pragma once

#include "ir/IR.h"

#include <string>
#include <vector>

namespace nag::ir {

/// Polynomial ⊂ rational ⊂ non-algebraic, in θ and x jointly.
enum class AlgebraicClass { Polynomial, Rational, NonAlgebraic };

const char* toString(AlgebraicClass c);

/// What the structure of the graph says about its output.
struct Classification {
  AlgebraicClass cls = AlgebraicClass::Polynomial;
  /// Polynomial only: largest and smallest total degree in x over all output
  /// entries, read off the structure (exact unless terms cancel).
  int64_t degree = 0;
  int64_t minDegree = 0;
  bool homogeneous() const { return degree == minDegree; }
  /// Polynomial only: the total degrees in x that can occur in some output
  /// entry (a subset of minDegree..degree: t^3 + t gives {1, 3}); empty when
  /// the degrees are too large to track, and then minDegree..degree is used.
  std::vector<int64_t> degreeSet;
  /// Polynomial only: largest total degree in θ, and in θ and x jointly
  /// (for the Schwartz–Zippel bound of the dimension report); -1 unknown.
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
