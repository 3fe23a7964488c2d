// Pullback.h — a compiled network's image, sliced, as a parametric system for the tracker: A μ_X(θ(z)) = b.
#pragma once

#include "numeric/Homotopy.h"

#include "nag_runtime.h"

#include <string>
#include <vector>

namespace nagrt::numeric {

/// Coordinates on parameter space: θ(z) = base + E z, z in C^k. Either a
/// random affine slice through a point (E random: transverse to the fibres)
/// or a gauge (E selects the free coordinates, base holds the fixed ones).
struct ParameterChart {
  std::vector<cplx> base;    ///< P values
  std::vector<cplx> basis;   ///< P x k, row-major (E)
  int64_t k = 0;
  std::vector<cplx> start;   ///< z of the start point (k values)
  std::string description;   ///< "random affine slice of dimension 5", "gauge: ..."
};

/// The random affine slice θ0 + B z of dimension k through a random complex θ0 (z0 = 0).
ParameterChart randomSlice(int64_t P, int64_t k, uint64_t seed);

/// A gauge for the known symmetries when their generators are all diagonal
/// (rescalings: ξ(θ)_i = a_i θ_i): one coordinate per generator is fixed to 1,
/// chosen so that the exponent matrix (a_ij, generator i at fixed coordinate j)
/// is triangular with ±1 on its diagonal where possible. A generic fibre then
/// meets the gauge in (number of orbits) · |det a| points; `stabilizer` is |det a|.
struct Gauge {
  bool ok = false;
  std::string reason;                ///< why there is none (non-diagonal generators, ...)
  std::vector<int64_t> fixed;        ///< parameter indices set to 1
  int64_t stabilizer = 1;            ///< |det a|: points of one orbit in the gauge
};
Gauge diagonalGauge(const nag_model& m);

/// The chart of a gauge with a random complex start point (free coordinates random).
ParameterChart gaugeChart(const nag_model& m, const Gauge& g, uint64_t seed);

/// F(z; b) = A μ_X(θ(z)) − b, where μ_X(θ) = (f_θ(x_1), ..., f_θ(x_K)) are
/// evaluation coordinates at K random complex points (K·O at least the span,
/// so that evaluation is injective on it and μ_X(V) is V, linearly embedded)
/// and A is a random complex m x K·O matrix: m = k equations in the k
/// unknowns of the chart, with parameters b (the offsets of parallel slices).
/// Evaluates the network's complex kernels (eval_complex, jac_theta_complex).
class PullbackSystem : public ParametricSystem {
public:
  /// points = K; the chart's k is the number of equations (the dimension of V).
  PullbackSystem(const nag_model& m, ParameterChart chart, int64_t points, uint64_t seed);
  int64_t unknowns() const override { return chart_.k; }
  int64_t parameters() const override { return chart_.k; }
  void evaluate(const cplx* z, const cplx* b, cplx* f, cplx* jx, cplx* jq) const override;
  bool valueOptional() const override { return true; }

  /// μ_X(θ(z)): K·O values.
  std::vector<cplx> image(const cplx* z) const;
  /// θ(z): P values.
  std::vector<cplx> theta(const cplx* z) const;
  /// The offsets b0 = A μ_X(θ(z0)) that make the chart's start point a solution.
  std::vector<cplx> startParameters() const;
  /// The offsets A μ_X(θ(z)) for which z is a solution.
  std::vector<cplx> offsets(const cplx* z) const;
  /// dμ_X/dθ at θ: K·O x P, row-major.
  std::vector<cplx> jacobian(const std::vector<cplx>& theta) const;
  const ParameterChart& chart() const { return chart_; }
  int64_t coordinates() const { return points_ * outputs_; }

private:
  const nag_model& m_;
  ParameterChart chart_;
  int64_t points_, outputs_, P_;
  std::vector<cplx> x_;  ///< K x input_size
  std::vector<cplx> a_;  ///< k x K·O
};

}  // namespace nagrt::numeric
