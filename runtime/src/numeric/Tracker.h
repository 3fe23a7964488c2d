// Tracker.h — the predictor–corrector path tracker with an endgame at t = 1, for one path or many on all cores.
#pragma once

#include "numeric/Homotopy.h"

#include <functional>
#include <vector>

namespace nagrt::numeric {

/// How a path ended. Every path tracked gets one; none is dropped.
enum class PathStatus {
  Success,        ///< reached t = 1 at a regular solution (Newton-refined, condition below singularCondition)
  Diverged,       ///< ||x|| grew without bound: a solution at infinity (or ||x|| > maxNorm before t = 1)
  Singular,       ///< ended at t = 1 at an ill-conditioned point, found by the Cauchy endgame (winding reported)
  StepTooSmall,   ///< the step size fell below minStep before t = 1 (failure)
  MaxSteps,       ///< maxSteps steps taken before t = 1 (failure)
  EndgameFailed,  ///< the endgame reached endgameMinDistance without a converged estimate or a divergence (failure)
  IllConditioned, ///< before t = 1, the Jacobian's condition stayed above illConditioned (failure; see TrackerOptions)
};
/// The number of PathStatus values (for tables of counts indexed by status).
constexpr int kPathStatusCount = 7;
/// "success", "diverged", "singular", "step too small", "max steps", "endgame failed", "ill conditioned".
const char* statusName(PathStatus status);

/// Step control, tolerances and endgame settings; the defaults suit well-scaled systems (solutions of size ~1).
/// Norms are max-norms, relative to max(1, ||x||).
struct TrackerOptions {
  double initialStep = 0.05;          ///< first step in t
  double maxStep = 0.2;               ///< largest step in t
  double minStep = 1e-14;             ///< a smaller step in |t| is a failure
  int64_t maxSteps = 20000;           ///< steps (accepted and rejected) per path, endgame included
  /// Step sizes aim at this first Newton correction (RK4 error ~ step^5). 3e-5 against 1e-5: on the cnn3 (2,3,2)
  /// pullback 12% fewer steps (144 000 -> 126 000 for the 6923 paths of degree 192, seeds 1 and 2), the same
  /// paths and failures; 1e-4 took more steps (25 000 rejected at maxCorrection, against 6500).
  double predictorTarget = 3e-5;
  double maxCorrection = 1e-4;        ///< a larger first Newton correction rejects the step (path-jumping guard)
  /// While the Jacobian's smallest singular value (estimated as 1 / ||Hx^{-1}||) decreases along the path, a step
  /// covers at most this fraction of the distance at which its linear extrapolation reaches zero: the guard that
  /// keeps paths from stepping across a near-singular region, where the tangent leads onto another path.
  double approachGuard = 0.5;
  int maxNewtonIterations = 3;        ///< corrector iterations per step
  double correctorTolerance = 1e-10;  ///< a Newton update below this ends the correction
  /// Also accept a correction whose updates stall at the noise floor of double precision (each later update at most
  /// max(correctorTolerance, 10 eps cond(Hx)), capped at noiseFloorCap): where H's values cancel (the ED system at
  /// ||x|| ~ 1e2-1e3, raw condition 1e7) Newton's updates bounce at 1e-10-4e-10 against a tolerance of 1e-10 and
  /// the step halves to minStep. Off by default: rescued paths crawl through badly scaled regions (pmlp (3,5,1) t^4:
  /// 30% longer runs for 8 paths of ~100 that monodromy finds along other arcs anyway; in monodromy's careful
  /// retries too, 0.36 -> 0.65 s). The critical command's careful retries of its target paths turn it on.
  bool acceptNoiseFloor = false;
  double noiseFloorCap = 1e-7;
  double maxNorm = 1e12;              ///< a larger ||x|| is a divergence
  double endgameStart = 0.1;          ///< the endgame starts at t = 1 - endgameStart
  double endgameRatio = 0.25;         ///< the endgame's distances 1 - t shrink geometrically by this factor
  double endgameMinDistance = 1e-13;  ///< the endgame gives up below this distance 1 - t
  double endgameTolerance = 1e-8;     ///< two Cauchy estimates this close (relative) are accepted
  double divergenceGrowth = 1e3;      ///< in the endgame, growth beyond this factor with a negative valuation diverges
  int cauchySamples = 8;              ///< samples per circle of the Cauchy endgame
  int maxWinding = 16;                ///< circles tried before a Cauchy estimate is abandoned
  /// Steps per arc of a Cauchy circle (an eighth of a circle takes a few when nothing is near it): an arc that needs
  /// more abandons the circles at this radius and the endgame goes on to the next, smaller one. Without it, circles
  /// that enclosed another branch point spent every step the path had left.
  int64_t cauchyArcSteps = 100;
  double singularCondition = 1e10;    ///< an endpoint whose Jacobian has a larger condition number is singular
  /// A path whose Jacobian's condition estimate exceeds this at illConditionedSteps steps in a row, before the
  /// endgame or on one of its segments 1 - s -> 1 - s endgameRatio, ends as IllConditioned: double precision
  /// resolves nothing there (Newton's updates carry errors of about condition x 1e-16), and such paths crawled at
  /// steps of 1e-7 until maxSteps (cnn3 (2,3,2): 16 paths at condition 1e15 took 160 000 of a run's 400 000 steps;
  /// linear 4->2->4->4: two paths at 1e15 near t = 0.9934, 22 000 of seed 1's steps and 1.0 of its 1.7 s). A path
  /// toward a singular endpoint stays below it on those segments: x^c ~ s has a Jacobian ~ s^((c-1)/c), a condition
  /// below 1 / s <= 1 / endgameMinDistance = 1e13. The Cauchy circles and the straight track to t = 1 are exempt.
  double illConditioned = 1e14;
  int64_t illConditionedSteps = 20;
};

/// The outcome of one path.
struct PathResult {
  PathStatus status = PathStatus::StepTooSmall;
  std::vector<cplx> x;    ///< the endpoint (for failures: where tracking stopped)
  double t = 0;           ///< t reached (1 for success and singular; where it stopped otherwise)
  int64_t steps = 0;      ///< steps taken, accepted and rejected, endgame included
  double residual = 0;    ///< ||H(x,t)|| / (||Hx|| max(1, ||x||)) (divided by 1 when Hx = 0)
  double condition = 0;   ///< estimate of cond_inf(Hx) at (x, t); infinity when Hx is exactly singular
  int winding = 1;        ///< cycle number from the Cauchy endgame (1 when it did not run)
  int64_t multiplicity = 1;  ///< trackPaths: how many singular paths of the batch end at this point (1 otherwise)
};

/// True for StepTooSmall, MaxSteps, EndgameFailed and IllConditioned: the path says nothing about a solution.
bool isFailure(PathStatus status);

/// Tracks one path from x(0) = start (h.size() values) to t = 1. Deterministic: the same input gives the same bits.
PathResult trackPath(const Homotopy& h, const cplx* start, const TrackerOptions& options);

/// The k-th start point into x (h.size() values); called concurrently from several threads.
using StartFn = std::function<void(int64_t k, cplx* x)>;

/// Tracks paths 0..count-1 on all cores (nagrt_parallel_for, NAG_THREADS); results[k] belongs to start k whatever
/// the thread count. Singular endpoints shared by several paths get their multiplicity.
std::vector<PathResult> trackPaths(const Homotopy& h, int64_t count, const StartFn& start,
                                   const TrackerOptions& options);

/// trackPaths over explicit start points.
std::vector<PathResult> trackPaths(const Homotopy& h, const std::vector<std::vector<cplx>>& starts,
                                   const TrackerOptions& options);

/// Solves the polynomial system f (equation i of degree degrees[i]) by the total-degree homotopy with gamma drawn
/// from seed: all prod d_i paths, in the order of TotalDegreeHomotopy::startSolution.
std::vector<PathResult> solveTotalDegree(const std::vector<int>& degrees, const PolynomialFn& f, uint64_t seed,
                                         const TrackerOptions& options = {});

}  // namespace nagrt::numeric
