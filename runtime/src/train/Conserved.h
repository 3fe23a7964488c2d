// Conserved.h — quantities gradient flow conserves, derived from the model's symmetry generators.
#pragma once

#include "nag_runtime.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nagrt::train {

/// Q(theta) = 1/2 theta^T (M + M^T) theta = sum over pairs i <= j of c_ij theta_i theta_j,
/// for a generator xi(theta) = M theta of a known symmetry. dQ/dt = <(M + M^T) theta, theta'>
/// vanishes under gradient flow when (M + M^T) theta lies in ker J for every theta.
struct Conserved {
  std::string name;      ///< "neuron 1 of dense#1.W", "entry (0, 1)"
  std::string symmetry;  ///< the symmetry's description (nag_model.symmetries)
  std::string formula;   ///< "|dense#1.W[1, :]|^2 - 2 |dense#2.W[:, 1]|^2"
  struct Pair {
    int64_t i, j;
    double c;
  };
  std::vector<Pair> pairs;  ///< i <= j, c != 0

  double value(const double* theta) const;
  /// sum |c_ij| |theta_i theta_j|: the size drifts are measured against (|w_in|^2 + r |w_out|^2).
  double scale(const double* theta) const;
};

/// The conserved quantities of the model's generators that pass the check, and
/// those that do not (by name, with the reason).
struct ConservedSet {
  std::vector<Conserved> kept;
  std::vector<std::string> rejected;
  std::string check;  ///< how (M + M^T) theta in ker J was checked
};

/// Derives Q from every generator (identical quantities once) and checks that
/// (M + M^T) theta lies in ker J at a random theta: exactly mod a 61-bit prime
/// for algebraic networks, in floating point (relative 1e-9) otherwise.
ConservedSet conservedQuantities(const nag_model& m, uint64_t seed);

}  // namespace nagrt::train
