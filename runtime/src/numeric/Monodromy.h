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
  Idle,           ///< the graph closed and idleLoops nodes added since the last news found nothing new
  LoopLimit,      ///< maxLoops nodes were added: the count is a lower bound
  SolutionLimit,  ///< maxSolutions solutions were found at q0: the count is a lower bound
  Complete,       ///< onClosure accepted a closure (e.g. its trace test passed)
  TestLimit,      ///< onClosure gave up (e.g. too many failed trace tests): the count is a lower bound
};

/// What the caller's test at a closure decided (MonodromyOptions::onClosure).
enum class ClosureVerdict { Continue, Complete, Stop };

/// A directed edge of the monodromy graph: the arc from node `from` to node `to` with gammas g0, g1 (see
/// SegmentHomotopy); the solutions of `from` with index below `done` have been tracked along it.
struct MonodromyEdge {
  int64_t from = 0, to = 0;
  cplx g0 = 1.0, g1 = 1.0;
  int64_t done = 0;
  std::vector<char> hit;  ///< hit[j]: some path of this edge ended at solution j of `to` (a second one jumped)
};

/// The state of a monodromy run, as plain data: the result so far plus what a resumed run needs (the caller writes
/// it to a file; passing it back through MonodromyOptions::resume continues with the same bits as an unbroken run).
struct MonodromyCheckpoint {
  std::vector<std::vector<cplx>> solutions;  ///< at q0 (node 0), in the order found
  std::vector<std::vector<cplx>> nodes;      ///< the parameters of nodes 1, 2, ...
  std::vector<std::vector<std::vector<cplx>>> nodeSolutions;  ///< the solutions known at nodes 1, 2, ...
  std::vector<MonodromyEdge> edges;
  int64_t loops = 0;                         ///< nodes besides q0 (each adds loops through q0 and its neighbour)
  bool closed = false;                       ///< every edge has tracked every solution of its source
  int64_t idleLoops = 0;                     ///< nodes added since the last closure that found a new solution at q0
  int64_t lastCount = 0;                     ///< solutions at q0 at the last closure
  int64_t waves = 0;                         ///< rounds of tracking (every pending path of every edge, in parallel)
  uint64_t rngState = 0;                     ///< the generator of nodes and gammas, before the next node
  int64_t pathsTracked = 0;                  ///< paths tracked along edges
  std::array<int64_t, kPathStatusCount> statusCounts{};  ///< paths by how they ended
  int64_t loopCollisions = 0;                ///< two paths of one edge that ended at one solution (path jumps)
  int64_t retriedPaths = 0;                  ///< paths tracked again with careful steps (failed, or two at one point)
  int64_t duplicatesRemoved = 0;             ///< solutions admitted twice at a node (keys beyond the tolerance), removed
  int64_t repairs = 0;                       ///< repair edges added (MonodromyOptions::repairNodes)
  std::vector<NearCollision> nearCollisions; ///< among the solutions at q0
};

struct MonodromyResult;

/// Called after every wave with the state (save it to resume later).
using CheckpointFn = std::function<void(const MonodromyCheckpoint&)>;

/// Stopping rules, tolerances and hooks of monodromySolve.
struct MonodromyOptions {
  uint64_t seed = 1;          ///< fixes every random choice, independently of the thread count
  /// After the graph closes (every solution of every node tracked along every edge out of it), stop once this
  /// many nodes have been added, each followed by a closure, without a new solution at q0 (0: stop at the first
  /// closure; a caller that runs the trace test after each stop resumes with 0 to add one node).
  int64_t idleLoops = 3;
  int64_t maxLoops = 1000;    ///< stop after this many nodes besides q0 (a resumed run's included)
  int64_t maxSolutions = 0;   ///< stop after the wave in which this many solutions became known at q0 (0: no limit)
  double tolerance = 1e-8;    ///< keys within tolerance * max(1, ||key||) (max-norm) are the same solution
  /// The nodes' points have size max(1, ||q0||) 10^(u radiusDecades), u uniform on [0, 1] per point: loops of
  /// several sizes reach solutions whose branch points lie far out (measured: with all points of size ||q0||,
  /// monodromy stalled at 123 of the 128 solutions of 7 random quadrics with moving constant terms).
  double radiusDecades = 1.5;
  TrackerOptions tracker;     ///< for every path
  /// Parameters of nodes 1, 2, ... in place of random ones (e.g. the trace test's pencil points, which makes the
  /// test part of the graph: their solution sets are closed under its arcs like any node's).
  std::vector<std::vector<cplx>> firstNodes;
  /// Nodes whose solution count must equal q0's at a closure: at a closure after which q0's count did not grow,
  /// one that differs (a path of its arcs failed or jumped) gets a repair edge with fresh gammas, from q0 when it
  /// has fewer, to q0 when it has more, at most maxRepairs in all; the graph then runs on before the closure counts.
  std::vector<int64_t> repairNodes;
  int64_t maxRepairs = 8;
  /// Called at every closure (after repairs); when set it replaces the idle rule: Complete stops the run as
  /// complete, Stop as TestLimit, Continue adds a node.
  std::function<ClosureVerdict(const MonodromyResult&)> onClosure;
  ProgressFn progress;        ///< optional, after every wave
  CheckpointFn checkpoint;    ///< optional, after every wave and every new node
  const MonodromyCheckpoint* resume = nullptr;  ///< continue this run instead of starting from the start solutions
};

/// What monodromySolve found: the checkpoint fields plus why it stopped.
struct MonodromyResult : MonodromyCheckpoint {
  MonodromyStop stop = MonodromyStop::Idle;
  /// Paths that ended otherwise than at a regular solution (they are not counted as solutions).
  int64_t failedPaths() const { return pathsTracked - statusCounts[int(PathStatus::Success)]; }
};

/// Solutions of F(x; q0) = 0 by monodromy on a graph of parameter points (after HomotopyContinuation.jl): node 0
/// is q0, nodes 1 and 2 random points (complex, of the scale of q0 and up to radiusDecades decades beyond, from
/// the seed), and each pair joined by two arcs, one each way, with their own gammas: the triangle's six arcs
/// contain many independent loops. Every solution known at a node is tracked once along every edge out of it
/// (Newton-refined endpoints, kept at the target when their key(x), default x, is new there) until nothing is
/// pending: the graph is closed, and each path costs once, not once per loop. Then nodes are added, each joined
/// to q0 and to the previous node both ways, until idleLoops of them found nothing new at q0. The start
/// solutions (each system.unknowns() values) must solve F(x; q0) = 0; duplicates among them are merged.
MonodromyResult monodromySolve(const ParametricSystem& system, const std::vector<cplx>& q0,
                               const std::vector<std::vector<cplx>>& start, const MonodromyOptions& options = {},
                               const KeyFn& key = {});

/// Settings for tracking a failed path again: a fifth of the step, a tenth of the predictor target, ten times the
/// steps.
TrackerOptions carefulOptions(const TrackerOptions& tracker);

/// A random complex number of modulus at least 1/4 (a pencil point: s2 / s1 stays moderate).
cplx pencilPoint(Random& rng);

/// The linear function whose sum over a witness set the trace test checks (solution -> C^k). Thread-safe.
using TraceFn = std::function<std::vector<cplx>(const cplx* x)>;

/// Settings of traceTest.
struct TraceTestOptions {
  uint64_t seed = 1;       ///< draws s1 and s2
  TrackerOptions tracker;
  /// What makes two endpoints one witness point (monodromy's key: the image point); empty: the solution itself.
  KeyFn key;
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
  int64_t filledPaths = 0;  ///< failed paths replaced by points tracked across from the other pencil point
  /// After fills, the set at q0 was rebuilt from the pencil's complete sides (the start set may have held a
  /// near-duplicate in place of a missing point) and tr(0) is the rebuilt set's; `start` holds it, in slots.
  bool rebuiltStart = false;
  std::vector<std::vector<cplx>> start;
};

/// Marks every success of side[0..count) that is the same witness point as an earlier one (keys within
/// 10·cond·eps, at least 1e-8) as failed; returns how many.
int64_t failDuplicates(PathResult* side, int64_t count, uint64_t seed, const KeyFn& key = {});

/// The trace test's last recovery: `results` holds the pencil's paths, 0..count-1 ending at q1 and
/// count..2count-1 at q2. Each failed slot of one side is filled by a point of the other side tracked
/// straight across (a γ-segment q2 -> q1 or q1 -> q2 with `careful` steps) that is none of this side's
/// points, twice round. Returns the slots filled; `pathsTracked` counts the paths.
int64_t fillAcrossPencil(const ParametricSystem& system, const std::vector<cplx>& q1, const std::vector<cplx>& q2,
                         std::vector<PathResult>& results, int64_t count, const TrackerOptions& careful, Random& rng,
                         int64_t& pathsTracked, const KeyFn& key = {});

/// The trace test for a family whose parameters are offsets of parallel linear slices: moves q along q0 + s v for
/// s = 0, s1, s2, tracks every solution there and checks that the sum of trace(x) is affine in s. A complete
/// witness set gives a residual near 1e-10, an incomplete one a residual of order one.
TraceTestResult traceTest(const ParametricSystem& system, const std::vector<cplx>& q0,
                          const std::vector<cplx>& direction, const std::vector<std::vector<cplx>>& solutions,
                          const TraceFn& trace, const TraceTestOptions& options = {});

}  // namespace nagrt::numeric
