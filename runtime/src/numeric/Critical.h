// Critical.h — critical points of a squared distance on a neurovariety: a witness set of the ED correspondence,
// moved to the target.
#pragma once

#include "numeric/WitnessDegree.h"

#include "nag_runtime.h"

#include <string>
#include <vector>

namespace nagrt::numeric {

/// The squared distance d(y) = ½ (y - u)^T M (y - u) in evaluation coordinates y = μ_X(θ) = (f_θ(x_p))_p,
/// sample-major (index p·outputs + o), all real.
struct DistanceSetup {
  std::vector<double> points;  ///< K x inputs
  int64_t K = 0;
  std::vector<double> metric;  ///< n x n symmetric positive definite, n = K · outputs
  std::vector<double> target;  ///< u, n values
  std::string metricName, targetName;
};

/// Throws with a message unless m has the complex kernels the critical-point equations need (eval, θ-Jacobian,
/// θ-Hessian).
void requireCriticalKernels(const nag_model& m);

/// The ED correspondence E = {(y, u) : y ∈ V, u - y ⊥_M T_y V} (dim n) in unknowns x = (z, v): θ = θ0 + B z on a
/// random real affine slice of parameter space of dimension dim V (transverse to the fibres), y = μ_X(θ),
/// u = y + v; equations J^T M v = 0 (J = dy/dz, n x k) and a generic linear slice S y + U v = b of (y, u) space
/// (S = A_y + A_u, U = A_u, A random complex n x 2n), whose offsets b are the parameters. Its Jacobian in z
/// needs Σ_r (M v)_r ∇²μ_r: the compiled complex θ-Hessian.
///
/// With `targetFamily` the slice is y + v = b (S = U = I): its parameters are the target u itself, and the
/// solutions at b are the critical points of the distance from u = b (the ED degree under M, which can be far
/// below deg E: 6 against more than 1350 for rank-2 4 x 4 matrices in the Frobenius metric). These slices are not
/// generic (all translates of one space), so the trace test does not apply to them.
class CriticalSystem : public ParametricSystem {
public:
  CriticalSystem(const nag_model& m, int64_t dim, const DistanceSetup& setup, uint64_t seed,
                 bool targetFamily = false);
  int64_t unknowns() const override { return k_ + n_; }
  int64_t parameters() const override { return n_; }
  void evaluate(const cplx* x, const cplx* b, cplx* f, cplx* jx, cplx* jq) const override;
  bool valueOptional() const override { return true; }

  int64_t dimension() const { return k_; }
  int64_t coordinates() const { return n_; }
  /// The key of a solution: (y, v).
  std::vector<cplx> image(const cplx* x) const;
  /// θ(z).
  std::vector<cplx> theta(const cplx* x) const;
  /// A start solution (z = 0, v ⊥_M the tangent space) and its parameters; throws when J^T M J is singular at θ0
  /// (the evaluation coordinates do not see all of V).
  void start(std::vector<cplx>& x, std::vector<cplx>& b) const;

  /// What every equation block needs at x: y (n), J (n x k); the normality rows f (k) and, with jx, their
  /// Jacobian in row-major rows of length `stride` (cols 0..k: Hessian part, cols k..k+n: J^T M).
  void normality(const cplx* x, std::vector<cplx>& y, std::vector<cplx>& J, cplx* f, cplx* jx, int64_t stride,
                 bool hessian) const;
  /// The loss Hessian in z at a critical point x for its target (J^T M J - Σ (M v)_r ∇²μ_r), k x k, and J.
  std::vector<cplx> lossHessian(const cplx* x, std::vector<cplx>& J) const;

  /// (S y + U v)_r, the r-th slice equation without its offset (y + v in the target family).
  cplx sliceRow(const std::vector<cplx>& y, const cplx* v, int64_t r) const;
  /// Its derivative in (z, v): k + n values, (S J)_r then U_r.
  void sliceJacobianRow(const std::vector<cplx>& J, int64_t r, cplx* out) const;
  const std::vector<cplx>& metric() const { return M_; }
  /// The slice fixes a gauge for the known symmetries (one point per generic orbit) rather than being random.
  bool gauged() const { return gauged_; }
  /// The slice is y + v = b (the target family).
  bool targetFamily() const { return target_; }

private:
  const nag_model& m_;
  int64_t k_, n_, K_, O_, P_;
  std::vector<cplx> base_, basis_;  ///< θ0 (P), B (P x k): real values
  std::vector<cplx> x_;             ///< evaluation points, complex (real values)
  std::vector<cplx> M_, S_, U_;     ///< n x n each (S and U empty in the target family)
  bool gauged_ = false;
  bool target_ = false;             ///< S = U = I (the target family)
};

/// Moves the slice S y + U v = b0 to u = y + v = target: H = [J^T M v; γ(1-t)(S y + U v - b0) + t(y + v - u)].
class TargetHomotopy : public Homotopy {
public:
  TargetHomotopy(const CriticalSystem& s, std::vector<cplx> b0, std::vector<cplx> target, cplx gamma);
  int64_t size() const override { return s_.unknowns(); }
  void evaluate(const cplx* x, cplx t, cplx* h, cplx* hx, cplx* ht) const override;

private:
  const CriticalSystem& s_;
  std::vector<cplx> b0_, u_;
  cplx gamma_;
};

/// How the critical points are found.
enum class CriticalMethod {
  /// A witness set of E on a generic slice by monodromy, certified by the trace test, moved to the target: deg E
  /// paths, most of which go to infinity when the metric is special (the data's, the identity).
  Witness,
  /// Monodromy in the target itself (the family y + v = u) until no new point appears, then one parameter
  /// homotopy to the given target: ED-degree paths, no trace test (stagnation and a second seed are the evidence).
  Target,
};

/// A critical point found at the target.
struct CriticalPoint {
  std::vector<cplx> y;       ///< its function's values at the evaluation points
  std::vector<double> theta; ///< real parts of θ (meaningful when realTheta)
  double imaginary = 0;      ///< max |Im y| / max(1, |y|)
  bool real = false;         ///< y real (to 1e-8)
  bool realTheta = false;    ///< and its preimage on the real slice is real
  double loss = 0;           ///< ½ (y - u)^T M (y - u), real part
  std::string kind;          ///< "minimum", "saddle", "maximum", "degenerate" (the index of the distance on V
                             ///< at y, from any preimage); "" when not classified
  int64_t negative = 0, zero = 0, positive = 0;  ///< signs of the loss Hessian's eigenvalues in z
  double condition = 0;      ///< of the endpoint
};

/// One seed: the witness set of E and its paths to the target.
struct CriticalRun {
  WitnessRun witness;
  int64_t finite = 0, atInfinity = 0, singular = 0, failed = 0, merged = 0;
  int64_t byGrowth = 0;  ///< of atInfinity: the step size collapsed near t = 1 while ||x|| grew past 1e3 x its start's
  int64_t retried = 0;   ///< target paths tracked again with careful steps after a failure
  /// Target homotopies run (each with its own γ): a run with a failed or singular path is repeated whole, at most
  /// three times; atInfinity, singular, failed and byGrowth are the last attempt's, `points` the union of all.
  int64_t targetAttempts = 0;
  CriticalMethod method = CriticalMethod::Witness;
  bool gauged = false;                ///< the slice fixed a gauge for the known symmetries (else a random slice)
  std::vector<CriticalPoint> points;  ///< finite regular endpoints, one per function
  /// Witness: the witness set passed the trace test; Target: its monodromy stopped by stagnation (not a
  /// certificate). And one target attempt had no failed or singular path.
  bool complete = false;
  double seconds = 0;                 ///< the whole run: witness set, target homotopies, classification
};

/// The critical points for one seed.
CriticalRun criticalRun(const nag_model& m, int64_t dim, const DistanceSetup& setup, const WitnessOptions& o,
                        CriticalMethod method = CriticalMethod::Witness);

/// Nodes added without a new point before a Target run stops (HomotopyContinuation.jl's default patience).
constexpr int64_t kTargetIdleLoops = 5;

}  // namespace nagrt::numeric
