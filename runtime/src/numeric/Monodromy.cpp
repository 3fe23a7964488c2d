// Monodromy.cpp — monodromySolve: triangle loops in parameter space, deduplication by key after Newton refinement.
#include "numeric/Monodromy.h"

#include "Runtime.h"
#include "nag_runtime.h"
#include "numeric/KeyIndex.h"
#include "numeric/Linear.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

namespace nagrt::numeric {

namespace {

// One loop's work for the threads: solution k goes around the three legs; its endpoint and how each leg ended.
struct Loop {
  const std::vector<std::vector<cplx>>* solutions;
  const SegmentHomotopy* legs[3];
  const TrackerOptions* tracker;
  std::vector<std::vector<cplx>> endpoints;
  std::vector<std::array<PathStatus, 3>> statuses;
  std::vector<int> legsRun;  // legs tracked: up to the first that failed
  std::vector<char> back;    // all three legs succeeded: the endpoint is a solution at q0
};

void runLoop(void* ctx, int64_t begin, int64_t end) {
  Loop& loop = *static_cast<Loop*>(ctx);
  for (int64_t k = begin; k < end; ++k) {
    std::vector<cplx> x = (*loop.solutions)[k];
    int leg = 0;
    for (; leg < 3; ++leg) {
      PathResult r = trackPath(*loop.legs[leg], x.data(), *loop.tracker);
      loop.statuses[k][leg] = r.status;
      if (r.status != PathStatus::Success) break;
      x = std::move(r.x);
    }
    loop.legsRun[k] = std::min(leg + 1, 3);
    loop.back[k] = leg == 3;
    if (leg == 3) loop.endpoints[k] = std::move(x);
  }
}

// Adds x unless its key is known; records near collisions. Returns the index of the solution x is (new or old).
int64_t admit(const std::vector<cplx>& x, const KeyFn& key, KeyIndex& index, double tolerance, MonodromyResult& r) {
  std::vector<cplx> k = key ? key(x.data()) : x;
  KeyIndex::Match m = index.nearest(k);
  if (m.index >= 0 && m.distance <= tolerance) return m.index;
  int64_t added = index.size();
  if (m.index >= 0) r.nearCollisions.push_back(NearCollision{m.index, added, m.distance});
  index.insert(k);
  r.solutions.push_back(x);
  return added;
}

// A random parameter point: scale times 10^(u decades), u uniform on [0, 1], times a complex number per parameter
// with parts uniform on [-1, 1).
std::vector<cplx> randomPoint(Random& rng, int64_t p, double scale, double decades) {
  std::vector<cplx> q(p);
  double radius = scale * std::pow(10.0, decades * 0.5 * (rng.uniform() + 1.0));
  for (cplx& v : q) v = radius * randomComplex(rng);
  return q;
}

}  // namespace

MonodromyResult monodromySolve(const ParametricSystem& system, const std::vector<cplx>& q0,
                               const std::vector<std::vector<cplx>>& start, const MonodromyOptions& options,
                               const KeyFn& key) {
  const int64_t n = system.unknowns(), p = system.parameters();
  if (int64_t(q0.size()) != p)
    throw Error("internal error: monodromySolve got " + std::to_string(q0.size()) + " parameters, the system has " +
                std::to_string(p));
  MonodromyResult r;
  KeyIndex index(options.seed, options.tolerance);
  Random rng(options.seed);
  if (options.resume) {
    static_cast<MonodromyCheckpoint&>(r) = *options.resume;
    rng = Random(r.rngState);
    for (const std::vector<cplx>& x : r.solutions) index.insert(key ? key(x.data()) : x);
  } else {
    for (const std::vector<cplx>& x : start) {
      if (int64_t(x.size()) != n)
        throw Error("internal error: a start solution has " + std::to_string(x.size()) + " values, the system " +
                    std::to_string(n) + " unknowns");
      admit(x, key, index, options.tolerance, r);
    }
    r.rngState = rng.state();
  }
  const double scale = std::max(1.0, normInf(q0.data(), p));
  auto full = [&] { return options.maxSolutions > 0 && int64_t(r.solutions.size()) >= options.maxSolutions; };
  for (;;) {
    if (full()) {
      r.stop = MonodromyStop::SolutionLimit;
      break;
    }
    if (r.idleLoops >= options.idleLoops || r.quietLoops >= options.quietLoops || r.solutions.empty()) {
      r.stop = MonodromyStop::Idle;
      break;
    }
    if (r.loops >= options.maxLoops) {
      r.stop = MonodromyStop::LoopLimit;
      break;
    }
    std::vector<cplx> q1 = randomPoint(rng, p, scale, options.radiusDecades),
                      q2 = randomPoint(rng, p, scale, options.radiusDecades);
    SegmentHomotopy a(system, q0, q1), b(system, q1, q2), c(system, q2, q0);
    const int64_t count = int64_t(r.solutions.size());
    Loop loop{&r.solutions, {&a, &b, &c}, &options.tracker, std::vector<std::vector<cplx>>(count),
              std::vector<std::array<PathStatus, 3>>(count), std::vector<int>(count, 0), std::vector<char>(count, 0)};
    nagrt_parallel_for(count, runLoop, &loop);
    // Serially, in path order: the same result whatever the threads did.
    std::vector<char> hit(count, 0);
    bool moved = false;  // some solution came back as another: the loop acted as a non-identity permutation
    for (int64_t k = 0; k < count; ++k) {
      for (int leg = 0; leg < loop.legsRun[k]; ++leg) ++r.statusCounts[int(loop.statuses[k][leg])];
      r.pathsTracked += loop.legsRun[k];
      if (!loop.back[k] || full()) continue;
      int64_t j = admit(loop.endpoints[k], key, index, options.tolerance, r);
      moved = moved || j != k;
      if (j >= int64_t(hit.size())) hit.resize(j + 1, 0);
      if (hit[j]) ++r.loopCollisions;  // two solutions went to one: a path jumped
      hit[j] = 1;
    }
    ++r.loops;
    bool found = int64_t(r.solutions.size()) > count;
    r.idleLoops = found ? 0 : r.idleLoops + (moved ? 1 : 0);
    r.quietLoops = found ? 0 : r.quietLoops + 1;
    r.rngState = rng.state();
    if (options.progress) options.progress(int64_t(r.solutions.size()), r.loops);
    if (options.checkpoint) options.checkpoint(r);
  }
  return r;
}

}  // namespace nagrt::numeric
