// Optimize.h — the optimizers of `train` (gd, adam, lbfgs, newton) and gradient flow, stepping a resumable state.
#pragma once

#include "train/Conserved.h"
#include "train/Objective.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace nagrt::train {

/// What `train` was asked (README.md and docs/training.md define each).
struct TrainOptions {
  std::string optimizer = "gd";  ///< gd | adam | lbfgs | newton
  bool flow = false;             ///< integrate gradient flow (Dormand-Prince 5(4)) instead
  double lr = 0;                 ///< step size (gd, adam); flow: sets the default time
  int64_t steps = 1000;          ///< optimizer steps (flow: the default time is steps x lr)
  double time = 0;               ///< flow: the time to integrate to (0: steps x lr)
  double tol = 0;                ///< optimizers: stop when |grad L| <= tol; flow: the integrator's error tolerance
  int64_t record = 0;            ///< a trajectory row every `record` steps (0: none)
  int64_t checkpointEvery = 0;   ///< a checkpoint every so many steps (0: only at the end)
};

/// Everything a run needs to continue bit for bit (what a checkpoint holds).
struct TrainState {
  int64_t step = 0;
  double time = 0;                          ///< flow time, or the sum of the steps taken (docs/training.md)
  double h = 0;                             ///< flow: the next step size to try
  double loss0 = 0;                         ///< the loss at theta0
  std::vector<double> theta, theta0;
  std::vector<double> m, v;                 ///< adam's moments
  std::vector<std::vector<double>> s, y;    ///< L-BFGS pairs, oldest first
  std::vector<double> drift;                ///< per conserved quantity: max_t |Q(t) - Q(0)| / scale(theta0)
  Matrix trajectory;                        ///< the rows recorded so far
  std::string stopped;                      ///< why the run ended ("" while running)
  int64_t rejected = 0;                     ///< flow: rejected steps
};

/// Called after every step with the state and the current loss and gradient norm; returns false to stop.
using StepHook = std::function<bool(const TrainState&, double loss, double gradNorm)>;

/// Runs the optimizer (or the flow) from `s` until the steps, the time or the
/// tolerance say stop, or the hook does, updating s (theta, moments, drift,
/// trajectory rows) in place. Throws Error when the loss diverges.
void run(Objective& f, const TrainOptions& o, const std::vector<Conserved>& q, TrainState& s, const StepHook& hook);

/// The trajectory's columns: step, time, loss, grad_norm, theta[0..P), Q[0..K).
std::vector<std::string> trajectoryColumns(const nag_model& m, const std::vector<Conserved>& q);

}  // namespace nagrt::train
