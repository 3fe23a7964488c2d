// WitnessDegree.h — the degree of a neurovariety and the points of its fibres by monodromy on compiled complex code.
#pragma once

#include "numeric/Monodromy.h"

#include "nag_runtime.h"

#include <functional>
#include <string>
#include <vector>

namespace nagrt::numeric {

/// Settings of a numerical run.
struct WitnessOptions {
  uint64_t seed = 1;
  /// Nodes added after the monodromy graph closes, each without news, before a trace test: 0 tests at the first
  /// closure (the trace test, not idle loops, decides completeness); one more after each round without news.
  int64_t idleLoops = 0;
  int64_t maxLoops = 200;      ///< nodes of the monodromy graph besides q0, in all
  int64_t maxPoints = 0;       ///< stop at this many points (0: none): then a lower bound
  double traceTolerance = 1e-6;  ///< a complete witness set's trace residual is below this
  int traceRounds = 12;        ///< monodromy rounds, each ended by a trace test
  int64_t maxSteps = 2000;     ///< per path: a path that needs more is near a singularity; the loop drops it
                               ///< (regular paths of these systems take 30-100 steps)
  std::string checkpoint;      ///< file to save the state to after every loop ("" none)
  bool resume = false;         ///< start from `checkpoint` when it exists
  bool progress = false;       ///< a line on stderr per loop
  /// false: a family whose slices are not generic (e.g. the fibres of the target map u = y + v, whose trace is
  /// not affine in the pencil): no pencil nodes and no trace test; the run stops after idleLoops nodes without a
  /// new point (stagnation), which is evidence, not a certificate.
  bool traceTest = true;
};

/// One monodromy run (one seed): what it found and its evidence.
struct WitnessRun {
  uint64_t seed = 0;
  int64_t points = 0;          ///< witness points (distinct image points) found
  int64_t loops = 0;
  std::string stop;            ///< "idle", "loop limit", "point limit"
  int64_t pathsTracked = 0, failedPaths = 0, loopCollisions = 0, nearCollisions = 0;
  std::vector<std::pair<std::string, int64_t>> statuses;  ///< path endings by kind
  double traceResidual = -1;   ///< of the last trace test (-1: not run)
  int traceTests = 0;
  int64_t retriedPaths = 0;    ///< paths tracked again with careful steps (failed, or two of one arc at one point)
  int64_t duplicates = 0;      ///< solutions found admitted twice at a node (same key to 1e-4) and removed
  int64_t repairs = 0;         ///< repair edges into or out of the pencil nodes (their counts differed from q0's)
  bool complete = false;       ///< stopped idle and passed the trace test
  bool stagnated = false;      ///< (traceTest off) stopped after idleLoops nodes without a new point
  double seconds = 0;
  // Fibre runs (no deduplication by image): solutions per image point.
  int64_t solutions = 0, minGroup = 0, maxGroup = 0;
};

/// A parametric system whose solutions are counted by their image points (the degree's pullback system, the
/// critical-point system): what witnessRun needs.
struct WitnessProblem {
  const ParametricSystem* system = nullptr;
  std::vector<cplx> q0;     ///< the start parameters
  std::vector<cplx> start;  ///< a solution at q0
  std::function<std::vector<cplx>(const cplx*)> image;  ///< a solution's image point (thread-safe)
  int64_t coordinates = 0;  ///< values of an image point
  std::string header;       ///< identifies the run in checkpoints
  std::string what;         ///< "degree", "fibre", "critical": progress lines
};

/// Monodromy on a graph whose first two nodes are the trace test's pencil points; at every closure the trace of
/// the image points at q0 and at the pencil points is tested, until a test passes (complete) or a limit stops the
/// run (a lower bound). Without `byFibre`, one solution per image point is kept (a pseudo-witness set); with it, all
/// solutions, grouped by image point for the test. `points` (optional) gets the solutions kept.
WitnessRun witnessRun(const WitnessProblem& problem, const WitnessOptions& o, bool byFibre,
                      std::vector<std::vector<cplx>>* points = nullptr);

/// Runs seeds until two runs are complete (an incomplete run, from a path
/// failure near a bad slice or a failed trace test, is kept and the next seed
/// runs): run(seed) for seed, seed + 1, ..., at most kMaxWitnessRuns, and only
/// two with a point limit (every run is then a lower bound). All runs, in order.
constexpr uint64_t kMaxWitnessRuns = 4;
std::vector<WitnessRun> runSeeds(uint64_t seed, bool pointLimit, const std::function<WitnessRun(uint64_t)>& run);

/// One line for a report: points (fibre runs: solutions per image point), loops, paths and how the failed ones
/// ended, the trace residual, complete or a lower bound, near collisions, seconds.
std::string describe(const WitnessRun& w);

/// The chart and embedding a run used, for the report.
struct WitnessSetup {
  int64_t dimension = 0, span = 0, evaluationPoints = 0, coordinates = 0;
  std::string chart;
};

/// deg V by a pseudo-witness set: V ∩ {A y = b} in evaluation coordinates
/// μ_X (injective on the span), one preimage per image point, on a random
/// affine slice of parameter space of dimension dim V; monodromy in b, then
/// the trace test along a pencil of parallel slices. `span` bounds the span's
/// dimension from above (K·O ≥ span + 2 evaluation coordinates).
WitnessRun witnessDegree(const nag_model& m, int64_t dim, int64_t span, const WitnessOptions& o, WitnessSetup& setup);

/// The points of a generic fibre in a gauge (gauge-fixed coordinates, as many
/// as dim V): monodromy without deduplication by image finds all deg V · δ
/// solutions of the gauge-fixed slice; grouped by image point, each group is
/// one fibre's points in the gauge (δ of them). `stabilizer` of the gauge:
/// points of one orbit in it (divide δ by it for points modulo the symmetries).
WitnessRun fibrePoints(const nag_model& m, int64_t dim, int64_t span, const WitnessOptions& o, WitnessSetup& setup);

/// The fibre of f_T found by the tracker (`singular --at T`): points the structure of the network does not give.
struct FibreThrough {
  WitnessRun witness;  ///< monodromy (fibre mode) at a generic image point b* of the slice through T
  int64_t paths = 0;   ///< witness solutions tracked from b* to b_T = A μ_X(T)
  int64_t regular = 0, singularEnds = 0, failed = 0, elsewhere = 0;  ///< endpoints: in the fibre (regular,
                                                                     ///< singular), failed, other points of V ∩ L_T
  std::vector<std::vector<cplx>> points;  ///< θ of the regular endpoints whose image is f_T (T itself among them)
  /// The numerical rank of [dμ_X(θ) : θ = T and the points] by SVD: singular values σ_1 ≥ ... (relative to σ_1),
  /// the rank (σ_i > 1e-8 σ_1) and the gap σ_{rank+1} / σ_rank (0 at full rank).
  int64_t tangentRank = -1;
  std::vector<double> sigma;
  double gap = 0;
  WitnessSetup setup;
};

/// Fibre points of f_T on a random affine slice of parameter space through T of dimension dim V (a slice meets a
/// generic fibre's orbits in finitely many points): every solution of A μ_X(θ(z)) = b* at a generic b* (monodromy
/// without deduplication, complete when its trace test passes), tracked to b_T along a γ-arc; the regular
/// endpoints whose whole image μ_X equals f_T's are fibre points. The numerical tangent span over them follows.
FibreThrough fibreThrough(const nag_model& m, int64_t dim, int64_t span, const std::vector<cplx>& T,
                          const WitnessOptions& o);

}  // namespace nagrt::numeric
