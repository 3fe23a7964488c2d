// Model.h — what a compiled network tells its users besides its code (nag_model's contents).
#pragma once

#include "ir/Analysis.h"
#include "ir/IR.h"

#include <string>
#include <vector>

namespace nag::ir {

/// A symmetry of the parameterization, with the dimension of its generic orbits.
struct Symmetry {
  std::string description;
  int64_t dimension = 0;
};

/// A function compiled beside eval: a derivative of the network.
struct DerivedFunction {
  std::string name;   ///< "jac_theta": the symbol is nag_NETWORK_jac_theta
  std::string mode;   ///< how it was derived ("reverse mode: ...")
  Graph graph;        ///< with its extra arguments and output layout
};

/// The facts about a network that `info` prints and the C header declares.
struct ModelDescription {
  std::string source;                ///< the .nag path as given
  Classification cls;
  std::string ambientDimension;      ///< decimal, or "" when not polynomial
  std::vector<Symmetry> symmetries;
  int64_t symmetryDimension = 0;
  std::string expectedDimension;     ///< decimal: min(P - symmetries, ambient)
  std::vector<DerivedFunction> derived;  ///< filled by the driver from transforms/
  /// Exact arithmetic mod p can be generated: the network is polynomial or
  /// rational and its constants' numerators and denominators fit in 64 bits.
  bool modularOk = false;
  std::string culpritPlace;          ///< "file:line:col" of cls.culprit
};

/// Classifies the network, finds its known symmetries and computes the
/// ambient and expected dimensions.
ModelDescription describe(const Graph& g, const std::string& source);

/// Dimension of the space of maps R^n -> R^m whose entries are polynomials
/// with terms of total degree lo..hi: m * sum_{k=lo}^{hi} C(n+k-1, k).
std::string ambientDimension(int64_t inputs, int64_t outputs, int64_t lo, int64_t hi);

}  // namespace nag::ir
