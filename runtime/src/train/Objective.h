// Objective.h — the squared loss of a compiled network on a data set: value, gradient, Hessian-vector products, Hessian.
#pragma once

#include "Runtime.h"
#include "nag_runtime.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nagrt::train {

/// L(theta) = 1/(2N) sum_i |f_theta(x_i) - y_i|^2 over the N samples of (X, Y),
/// with its derivatives from the compiled float kernels of the model (eval,
/// vjp_theta, jvp_theta, hvp_theta, jac_theta, hess_theta), which run on all
/// cores. Sums over samples are taken in fixed blocks in a fixed order, so the
/// results are the same bits whatever the number of threads.
class Objective {
public:
  /// Refuses a model without the float kernels training needs, or data whose
  /// shapes do not match the model (x: input_size columns, y: output size, same rows).
  Objective(const nag_model& m, Matrix x, Matrix y);

  int64_t params() const { return P_; }
  int64_t samples() const { return N_; }

  /// The loss at theta.
  double value(const double* theta);
  /// The loss at theta and its gradient (P values) in g, from the compiled loss
  /// gradient (the residual is not kept: hvp and hessian evaluate their own).
  double gradient(const double* theta, double* g);
  /// The loss Hessian at theta times v (P values), in out:
  /// (1/N) [J^T (J v) + sum_i sum_o r_io Hess f_o(x_i) v].
  void hvp(const double* theta, const double* v, double* out);
  /// The P x P loss Hessian at theta (row-major).
  std::vector<double> hessian(const double* theta);

private:
  const nag_model& m_;
  Matrix x_, y_;
  int64_t P_, N_, O_, I_;
  const nag_function_info *vjp_ = nullptr, *jvp_ = nullptr, *hvp_ = nullptr, *jac_ = nullptr, *hess_ = nullptr;
  std::vector<double> residual_;     ///< N x O at residualTheta_
  std::vector<double> residualTheta_;
  std::vector<double> rows_;         ///< scratch: per-sample rows of a kernel's output

  /// Samples per kernel call when each sample yields `width` values (bounds the scratch memory).
  int64_t chunk(int64_t width) const;
  /// Makes residual_ the residual at theta; returns the loss.
  double residualAt(const double* theta);
};

/// The data of `train`: X (samples x inputs) and Y (samples x outputs) read as
/// `eval` reads its data, checked against the model and each other.
struct DataSet {
  Matrix x, y;
  std::string sha256;  ///< of the values of X and Y (a checkpoint records which data it was trained on)
};
DataSet readDataSet(const nag_model& m, const std::string& xSpec, const std::string& ySpec, int64_t samples);
/// Checks a data set given in memory (shapes, finite values) and sets its sha256.
void checkDataSet(const nag_model& m, DataSet& d);

}  // namespace nagrt::train
