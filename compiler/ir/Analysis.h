// Analysis.h — algebraic class and degree of a network's output in its inputs.
#pragma once

#include "ir/IR.h"

#include <string>

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
  /// The first op that made the network rational or non-algebraic.
  Op culprit = Op::Const;
  SourceRange culpritLoc;
};

/// Classifies the output of `g` (one pass over the nodes).
Classification classify(const Graph& g);

}  // namespace nag::ir
