// Derived.h — the derived functions of a network: Jacobians, JVPs, VJPs, Hessians, HVPs.
#pragma once

#include "ir/IR.h"

#include <string>
#include <vector>

namespace nag::transforms {

/// What a derived function computes, per sample.
enum class Kind { Jac, Jvp, Vjp, Hess, Hvp, LossGrad };
/// With respect to the parameters or to the inputs.
enum class Wrt { Theta, X };

/// A derived function, built by the `differentiate` pass (not yet simplified).
struct Derived {
  Kind kind;
  Wrt wrt;
  std::string name;   ///< "jac_theta": also the exported symbol's suffix
  std::string mode;   ///< which mode was chosen and why, for --emit=grad
  ir::Graph graph;
};

/// Builds one derived function of `f` by the rules of Rules.cpp:
///  jac   outputs x n Jacobian per sample, reverse mode (one seed per output)
///        when outputs <= n, else forward mode (one seed per variable);
///  jvp   J v, v a batch-wide direction (theta) or one per sample (x);
///  vjp   u^T J, u one cotangent per sample;
///  hess  the Hessian of w . f for batch-wide output weights w (forward over
///        reverse: one seed per variable);
///  hvp   (Hessian of w . f) v;
///  loss_grad (theta only) the squared loss's gradient and value summed over the
///        batch: one row sum_i [J_i^T r_i, |r_i|^2], r_i = f(x_i) - y_i, the targets
///        y_i one per sample (the reverse sweep seeded with the residual).
/// n is P (theta) or the number of input values (x).
Derived derive(const ir::Graph& f, Kind kind, Wrt wrt);

/// Every per-sample derived function of f (the x ones only when f has inputs);
/// loss_grad is asked for on its own.
std::vector<Derived> deriveAll(const ir::Graph& f);

/// Number of operations (non-leaf nodes) of a graph.
size_t opCount(const ir::Graph& g);

}  // namespace nag::transforms
