// Landscape.h — where training ended: curvature, the differential's rank, the singular-point verdict, the subnetwork.
#pragma once

#include "train/Objective.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nagrt::train {

/// The loss Hessian's spectrum at theta (LAPACK dsyevd) and what it says.
struct Curvature {
  bool computed = false;
  std::string skipped;            ///< why not, when not computed
  double minEigenvalue = 0, maxEigenvalue = 0;
  double tolerance = 0;           ///< eigenvalues within +-tolerance count as zero
  int64_t negative = 0, zero = 0, positive = 0;
  int64_t orbitDimension = 0;     ///< rank of the symmetry generators' values at theta (zero eigenvalues they force)
  std::string classification;     ///< "minimum", "saddle" or "degenerate"
  std::string why;
};

/// A layer of hidden neurons (one neuron-rescaling symmetry) at theta.
struct NeuronLayer {
  std::string name;                          ///< the tensor of the incoming weights, "dense#1.W"
  int64_t width = 0, effectiveWidth = 0;     ///< neurons; those left once zero ones are dropped and copies merged
  std::vector<int64_t> zeroIncoming, zeroOutgoing;
  std::vector<std::vector<int64_t>> copies;  ///< groups of rescaled copies (first: the largest)
  std::vector<double> copyFactors;           ///< per group member after the first: w_k = c w_first
};

/// The subnetwork theta sits on, if any.
struct Subnetwork {
  double tolerance = 0;
  std::vector<NeuronLayer> layers;
  bool on = false;          ///< some layer has effective width below its width
  std::string description;  ///< one sentence naming the neurons
};

/// The rank of the differential of theta -> f_theta.
struct Differential {
  int64_t floatRank = -1, floatGenericRank = -1;  ///< SVD at theta and at a random theta, same inputs
  double floatGap = 0;                            ///< sigma_rank / sigma_rank+1 at theta
  int64_t floatRankRounded = -1;                  ///< SVD at the rounded point theta~
  int64_t exactRank = -1, dimension = -1;         ///< at the rounded point theta~, over F_p; dim V (-1: not computed)
  bool dimensionCertified = false;
  bool critical = false;                          ///< rank below the generic rank: a critical point of the parameterization
};

/// The singular-point verdict of `singular --at` at the rounded point.
struct SingularVerdict {
  bool computed = false;
  std::string skipped;
  std::string verdict, reason;
  int64_t tangent = -1, points = 0;
};

/// Everything the report says about where training ended.
struct Landscape {
  Curvature curvature;
  Subnetwork subnetwork;
  Differential differential;
  SingularVerdict singular;
  std::vector<std::string> exactPoint;  ///< theta~ as exact rationals ("" when not made)
  std::string rounding;                 ///< how theta~ was made from theta
};

/// What the analysis may do.
struct LandscapeOptions {
  double zeroTolerance = 1e-3;  ///< relative: zero neurons and rescaled copies (docs/training.md)
  bool exact = true;            ///< the exact rank and singular test (algebraic networks)
  uint64_t seed = 1;
};

/// The subnetwork theta sits on (zero neurons and rescaled copies, relative tolerance tol).
Subnetwork subnetworkAt(const nag_model& m, const std::vector<double>& theta, double tol);

/// The analysis at theta (with its loss gradient norm gradNorm).
Landscape analyse(const nag_model& m, Objective& f, const std::vector<double>& theta, double gradNorm,
                  const LandscapeOptions& o);

}  // namespace nagrt::train
