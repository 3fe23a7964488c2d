// Model.h — what a compiled network tells its users besides its code (nag_model's contents).
#pragma once

#include "ir/Analysis.h"
#include "ir/IR.h"

#include <string>
#include <vector>

namespace nag::ir {

/// One term of a symmetry generator: ξ[row] += coeff · θ[col].
struct GeneratorTerm {
  int64_t row = 0, col = 0, coeff = 0;
};

/// An infinitesimal generator of a one-parameter group of symmetries: a
/// vector field linear in θ, ξ(θ) = M θ (every symmetry nagc knows — neuron,
/// channel and tensor scalings, GL(k) between linear factors — is linear in
/// θ). Its value at θ is a tangent direction of the orbit, so it lies in the
/// kernel of the Jacobian; the runtime checks that and ranks the directions.
using Generator = std::vector<GeneratorTerm>;

/// A symmetry of the parameterization, with the dimension of its generic orbits.
struct Symmetry {
  std::string description;
  int64_t dimension = 0;
  /// Its generators (they span its Lie algebra); empty when there were too
  /// many terms to emit (the dimension is then the rule's word alone).
  std::vector<Generator> generators;
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
  std::string ambientDimension;      ///< the coordinate space: decimal, or "" when not polynomial or of degree > 2^62
  /// Polynomial networks linear in x (f = A(θ) x, or A(θ) x + b(θ)): an upper
  /// bound k on rank A(θ) below min(inputs, outputs), so f lies in the matrices
  /// of rank <= k; 0 otherwise.
  int64_t linearRank = 0;
  bool affine = false;               ///< with linearRank: f = A x + b
  std::string linearRankBound;       ///< k (d_in + d_out - k) (+ d_out if affine), or "".
  /// Polynomial networks whose input enters only as W x, W a whole parameter
  /// matrix used nowhere else: W's path ("dense#1.W"), else "". Then
  /// f_theta(A x) = f_theta'(x) (W A for W): the function space is
  /// GL(inputs)-invariant, which decides its span (runtime exact/Span.cpp).
  std::string inputMatrix;
  std::vector<Symmetry> symmetries;
  int64_t symmetryDimension = 0;
  std::string expectedDimension;     ///< decimal: min(P - symmetries, coordinate space, linear rank bound)
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
/// with terms of total degree lo..hi: m * sum_{k=lo}^{hi} C(n+k-1, k), in
/// closed form; "" when a degree is -1 (more than 2^62).
std::string ambientDimension(int64_t inputs, int64_t outputs, int64_t lo, int64_t hi);

/// The same with terms of the given degrees only: m * sum_k C(n+k-1, k).
std::string ambientDimension(int64_t inputs, int64_t outputs, const std::vector<int64_t>& degrees);

}  // namespace nag::ir
