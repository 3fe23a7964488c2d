// Monodromy.h — all solutions of a parametric system from a few by monodromy loops, and the trace test of completeness.
#pragma once

#include "numeric/Tracker.h"

#include <array>
#include <functional>
#include <vector>

namespace nagrt::numeric {

/// What identifies a solution: two solutions whose keys agree (relative tolerance) are one. Thread-safe.
using KeyFn = std::function<std::vector<cplx>(const cplx* x)>;
/// Called after every loop with the number of solutions known and the loops run so far (a terminal's progress line).
using ProgressFn = std::function<void(int64_t solutions, int64_t loops)>;

/// Two solutions whose keys are closer than 1000 * tolerance but not within tolerance (relative distance).
struct NearCollision {
  int64_t first = 0, second = 0;  ///< indices into the solutions, first < second
  double distance = 0;            ///< max-norm of the key difference / max(1, ||key||)
};

/// Why monodromySolve stopped.
enum class MonodromyStop {
  Idle,           ///< idleLoops (or quietLoops) consecutive loops found nothing new
  LoopLimit,      ///< maxLoops loops ran: the count is a lower bound
  SolutionLimit,  ///< maxSolutions solutions were found: the count is a lower bound
};

/// The state of a monodromy run, as plain data: the result so far plus what a resumed run needs (the caller writes
/// it to a file; passing it back through MonodromyOptions::resume continues with the same bits as an unbroken run).
struct MonodromyCheckpoint {
  std::vector<std::vector<cplx>> solutions;  ///< in the order found
  int64_t loops = 0;                         ///< loops completed
  int64_t idleLoops = 0;                     ///< consecutive loops without a new solution that moved one (see options)
  int64_t quietLoops = 0;                    ///< consecutive loops without a new solution, all counted
  uint64_t rngState = 0;                     ///< the generator of the loops' parameter points, before the next loop
  int64_t pathsTracked = 0;                  ///< segments tracked (three per solution and loop)
  std::array<int64_t, kPathStatusCount> statusCounts{};  ///< segments by how they ended
  int64_t loopCollisions = 0;                ///< endpoints of one loop that were the same solution (path jumps)
  std::vector<NearCollision> nearCollisions;
};

/// Called after every loop with the state (save it to resume later).
using CheckpointFn = std::function<void(const MonodromyCheckpoint&)>;

/// Stopping rules, tolerances and hooks of monodromySolve.
struct MonodromyOptions {
  uint64_t seed = 1;          ///< fixes every random choice, independently of the thread count
  /// Stop after this many consecutive loops without a new solution, counting only loops that moved some solution
  /// to another: a loop that brings every solution back to itself (it encircles no branch point, often the case
  /// for x^k = q, where a random triangle winds around q = 0 with probability ~1/4) is no evidence of completeness.
  int64_t idleLoops = 5;
  /// Stop also after this many consecutive loops without a new solution, identity loops included (a family with a
  /// single solution, or whose loops all act trivially on the solutions known, ends here).
  int64_t quietLoops = 30;
  int64_t maxLoops = 1000;    ///< stop after this many loops (in all, a resumed run's included)
  int64_t maxSolutions = 0;   ///< stop once this many solutions are known (0: no limit)
  double tolerance = 1e-8;    ///< keys within tolerance * max(1, ||key||) (max-norm) are the same solution
  /// The loops' points have size max(1, ||q0||) 10^(u radiusDecades), u uniform on [0, 1] per point: loops of
  /// several sizes reach solutions whose branch points lie far out (measured: with all points of size ||q0||,
  /// monodromy stalled at 123 of the 128 solutions of 7 random quadrics with moving constant terms).
  double radiusDecades = 1.5;
  TrackerOptions tracker;     ///< for every segment
  ProgressFn progress;        ///< optional
  CheckpointFn checkpoint;    ///< optional
  const MonodromyCheckpoint* resume = nullptr;  ///< continue this run instead of starting from the start solutions
};

/// What monodromySolve found: the checkpoint fields plus why it stopped.
struct MonodromyResult : MonodromyCheckpoint {
  MonodromyStop stop = MonodromyStop::Idle;
  /// Segments that ended otherwise than at a regular solution (they are not counted as solutions).
  int64_t failedPaths() const { return pathsTracked - statusCounts[int(PathStatus::Success)]; }
};

/// Solutions of F(x; q0) = 0 by monodromy: each loop draws two parameter points q1, q2 (complex random, of the scale
/// of q0 and up to radiusDecades decades beyond, from the seed), tracks every solution known at its start along q0 -> q1 -> q2 -> q0, Newton-refines the
/// endpoints and keeps those whose key(x) (default: x) is new, in path order. The start solutions (each
/// system.unknowns() values) must solve F(x; q0) = 0; duplicates among them are merged.
MonodromyResult monodromySolve(const ParametricSystem& system, const std::vector<cplx>& q0,
                               const std::vector<std::vector<cplx>>& start, const MonodromyOptions& options = {},
                               const KeyFn& key = {});

/// The linear function whose sum over a witness set the trace test checks (solution -> C^k). Thread-safe.
using TraceFn = std::function<std::vector<cplx>(const cplx* x)>;

/// Settings of traceTest.
struct TraceTestOptions {
  uint64_t seed = 1;       ///< draws s1 and s2
  TrackerOptions tracker;
};

/// The trace test's numbers.
struct TraceTestResult {
  double residual = 0;      ///< |tr(s2) - tr(0) - (s2/s1)(tr(s1) - tr(0))| / scale; infinity when a path failed
  double scale = 0;         ///< max over s of sum_i ||trace(x_i(s))|| (max-norms)
  cplx s1, s2;              ///< the pencil points used
  std::vector<cplx> trace0, trace1, trace2;  ///< tr(0), tr(s1), tr(s2)
  int64_t pathsTracked = 0;
  int64_t failedPaths = 0;  ///< paths that did not end at a regular solution (after their retries)
  int64_t retriedPaths = 0; ///< paths tracked again (careful steps, then detours) after a failure or a jump
  int64_t jumpedPaths = 0;  ///< pairs of paths of one pencil point that ended at one solution (then retracked)
};

/// The trace test for a family whose parameters are offsets of parallel linear slices: moves q along q0 + s v for
/// s = 0, s1, s2, tracks every solution there and checks that the sum of trace(x) is affine in s. A complete
/// witness set gives a residual near 1e-10, an incomplete one a residual of order one.
TraceTestResult traceTest(const ParametricSystem& system, const std::vector<cplx>& q0,
                          const std::vector<cplx>& direction, const std::vector<std::vector<cplx>>& solutions,
                          const TraceFn& trace, const TraceTestOptions& options = {});

}  // namespace nagrt::numeric
