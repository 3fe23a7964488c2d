// TraceTest.cpp — traceTest: move parallel slices along a pencil and check that the trace of the witness set is affine.
#include "numeric/KeyIndex.h"
#include "numeric/Monodromy.h"

#include "Runtime.h"
#include "nag_runtime.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace nagrt::numeric {

namespace {

// Paths k = 0..N-1 go to s1, N..2N-1 to s2, all from q0.
struct Pencil {
  const std::vector<std::vector<cplx>>* solutions;
  const SegmentHomotopy* toS1;
  const SegmentHomotopy* toS2;
  const TrackerOptions* tracker;
  std::vector<PathResult> results;
};

void trackPencil(void* ctx, int64_t begin, int64_t end) {
  Pencil& pencil = *static_cast<Pencil*>(ctx);
  const int64_t count = int64_t(pencil.solutions->size());
  for (int64_t k = begin; k < end; ++k) {
    const SegmentHomotopy& h = k < count ? *pencil.toS1 : *pencil.toS2;
    pencil.results[k] = trackPath(h, (*pencil.solutions)[k % count].data(), *pencil.tracker);
  }
}

// Paths k = 0..count-1 from `from[k]` (successes only) along one homotopy.
struct Across {
  const std::vector<PathResult>* from;
  const SegmentHomotopy* h;
  const TrackerOptions* tracker;
  std::vector<PathResult> results;
};

void trackAcross(void* ctx, int64_t begin, int64_t end) {
  Across& a = *static_cast<Across*>(ctx);
  for (int64_t k = begin; k < end; ++k) {
    const PathResult& start = (*a.from)[size_t(k)];
    if (start.status == PathStatus::Success) a.results[size_t(k)] = trackPath(*a.h, start.x.data(), *a.tracker);
    else a.results[size_t(k)].status = PathStatus::StepTooSmall;
  }
}

}  // namespace

cplx pencilPoint(Random& rng) {
  for (;;) {
    cplx s = randomComplex(rng);
    if (std::abs(s) >= 0.25) return s;
  }
}

TrackerOptions carefulOptions(const TrackerOptions& tracker) {
  TrackerOptions careful = tracker;
  careful.maxStep = tracker.maxStep / 5;
  careful.initialStep = std::min(tracker.initialStep, careful.maxStep);
  careful.predictorTarget = tracker.predictorTarget / 10;
  careful.maxSteps = std::max<int64_t>(tracker.maxSteps, 1) * 10;
  return careful;
}

// Endpoints that are one witness point: keys (image points when a key
// function is given, else the solutions) within 10·cond·eps of each other (at
// least 1e-8, at most 5e-6, inside KeyIndex's window), as monodromy's admit
// merges them. Two preimages of one image point in the slice (a random affine
// slice meets a fibre in several points) are one witness point too: a path
// that jumps onto a sibling preimage of another path's image point is a jump.
class SameWitness {
public:
  SameWitness(uint64_t seed, const KeyFn& key) : index_(seed, 1e-8), key_(key) {}
  /// The index of a stored endpoint that is the same witness point as r, or -1.
  int64_t find(const PathResult& r) {
    std::vector<cplx> k = keyOf(r);
    KeyIndex::Match m = index_.nearest(k);
    if (m.index < 0) return -1;
    double cond = std::max(conditions_[size_t(m.index)], std::isfinite(r.condition) ? r.condition : 1e10);
    return m.distance <= std::max(1e-8, std::min(5e-6, 10 * 2.2e-16 * cond)) ? m.index : -1;
  }
  void insert(const PathResult& r) {
    index_.insert(keyOf(r));
    conditions_.push_back(std::isfinite(r.condition) ? r.condition : 1e10);
  }

private:
  KeyIndex index_;
  const KeyFn& key_;
  std::vector<double> conditions_;
  std::vector<cplx> keyOf(const PathResult& r) const { return key_ ? key_(r.x.data()) : r.x; }
};

int64_t failDuplicates(PathResult* side, int64_t count, uint64_t seed, const KeyFn& key) {
  SameWitness check(seed, key);
  int64_t failed = 0;
  for (int64_t i = 0; i < count; ++i) {
    PathResult& res = side[i];
    if (res.status != PathStatus::Success) continue;
    if (check.find(res) >= 0) {
      res.status = PathStatus::StepTooSmall;
      ++failed;
    } else {
      check.insert(res);
    }
  }
  return failed;
}

// Pencil results: 0..count-1 at q1, count..2count-1 at q2. Fills failed
// slots of each side from the other side's successes (twice round, so that
// a side completed first can complete the other). Returns the slots filled.
int64_t fillAcrossPencil(const ParametricSystem& system, const std::vector<cplx>& q1, const std::vector<cplx>& q2,
                   std::vector<PathResult>& results, int64_t count, const TrackerOptions& careful, Random& rng,
                   int64_t& pathsTracked, const KeyFn& key) {
  int64_t filled = 0;
  for (int round = 0; round < 2; ++round) {
    for (int which = 0; which < 2; ++which) {
      PathResult* side = results.data() + which * count;
      PathResult* other = results.data() + (1 - which) * count;
      std::vector<int64_t> holes;
      for (int64_t i = 0; i < count; ++i)
        if (side[i].status != PathStatus::Success) holes.push_back(i);
      if (holes.empty()) continue;
      SameWitness found(rng.next64(), key);
      for (int64_t i = 0; i < count; ++i)
        if (side[i].status == PathStatus::Success) found.insert(side[i]);
      SegmentHomotopy across(system, which == 0 ? q2 : q1, which == 0 ? q1 : q2, randomComplex(rng),
                             randomComplex(rng));
      for (int64_t i = 0; i < count && !holes.empty(); ++i) {
        if (other[i].status != PathStatus::Success) continue;
        PathResult end = trackPath(across, other[i].x.data(), careful);
        ++pathsTracked;
        if (end.status != PathStatus::Success) continue;
        if (found.find(end) >= 0) continue;  // a point this side has
        found.insert(end);
        side[holes.back()] = std::move(end);
        holes.pop_back();
        ++filled;
      }
    }
  }
  return filled;
}

TraceTestResult traceTest(const ParametricSystem& system, const std::vector<cplx>& q0,
                          const std::vector<cplx>& direction, const std::vector<std::vector<cplx>>& solutions,
                          const TraceFn& trace, const TraceTestOptions& options) {
  const int64_t p = system.parameters(), count = int64_t(solutions.size());
  if (int64_t(q0.size()) != p || int64_t(direction.size()) != p)
    throw Error("internal error: traceTest needs " + std::to_string(p) + " parameters and direction values");
  TraceTestResult r;
  Random rng(options.seed);
  r.s1 = pencilPoint(rng);
  r.s2 = pencilPoint(rng);
  std::vector<cplx> q1(q0), q2(q0);
  for (int64_t j = 0; j < p; ++j) {
    q1[j] += r.s1 * direction[j];
    q2[j] += r.s2 * direction[j];
  }
  SegmentHomotopy toS1(system, q0, q1), toS2(system, q0, q2);
  Pencil pencil{&solutions, &toS1, &toS2, &options.tracker, std::vector<PathResult>(2 * count)};
  nagrt_parallel_for(2 * count, trackPencil, &pencil);
  r.pathsTracked = 2 * count;
  // One failed path makes the test say nothing, and among 2 deg paths a few
  // fail (a near-singular passage in double precision): each failed path is
  // tracked again with careful steps, then around a detour through a random
  // point of the pencil's plane, before it counts as failed.
  const TrackerOptions careful = carefulOptions(options.tracker);
  for (int64_t k = 0; k < 2 * count; ++k) {
    if (pencil.results[k].status == PathStatus::Success) continue;
    const std::vector<cplx>& start = solutions[size_t(k % count)];
    const std::vector<cplx>& target = k < count ? q1 : q2;
    ++r.retriedPaths;
    PathResult again = trackPath(SegmentHomotopy(system, q0, target), start.data(), careful);
    for (int detour = 0; again.status != PathStatus::Success && detour < 2; ++detour) {
      std::vector<cplx> mid(q0);
      cplx s = 0.5 * (k < count ? r.s1 : r.s2) + 0.5 * pencilPoint(rng);
      for (int64_t j = 0; j < p; ++j) mid[j] += s * direction[j] + 0.5 * randomComplex(rng) * direction[j] * cplx(0, 1);
      PathResult half = trackPath(SegmentHomotopy(system, q0, mid), start.data(), careful);
      if (half.status == PathStatus::Success)
        again = trackPath(SegmentHomotopy(system, mid, target), half.x.data(), careful);
    }
    r.pathsTracked += 1;
    if (again.status == PathStatus::Success) pencil.results[k] = std::move(again);
  }
  // Two paths of one pencil point ending at one solution jumped (dense
  // solution sets, large degrees): both are tracked again with careful steps;
  // a jump that remains voids the test.
  for (int which = 0; which < 2; ++which) {
    for (int pass = 0; pass < 2; ++pass) {
      SameWitness seen(options.seed + 17 * uint64_t(which), options.key);
      std::vector<int64_t> owner;
      std::vector<int64_t> jumped;
      for (int64_t i = 0; i < count; ++i) {
        const PathResult& res = pencil.results[size_t(which * count + i)];
        if (res.status != PathStatus::Success) continue;
        int64_t at = seen.find(res);
        if (at >= 0) {
          jumped.push_back(owner[size_t(at)]);
          jumped.push_back(i);
        } else {
          seen.insert(res);
          owner.push_back(i);
        }
      }
      if (jumped.empty()) break;
      r.jumpedPaths += int64_t(jumped.size()) / 2;
      const std::vector<cplx>& target = which == 0 ? q1 : q2;
      for (int64_t i : jumped) {
        PathResult again = trackPath(SegmentHomotopy(system, q0, target), solutions[size_t(i)].data(), careful);
        ++r.retriedPaths;
        ++r.pathsTracked;
        pencil.results[size_t(which * count + i)] = std::move(again);
      }
      if (pass == 1) failDuplicates(pencil.results.data() + which * count, count, options.seed + 29, options.key);
    }
  }

  // What still failed is recovered across the pencil: the trace test needs the
  // whole witness set at s1 and at s2, not which start point each came from.
  // The found points of the other pencil point are tracked straight across
  // (a γ-segment, a route none of the failed paths took); an endpoint that is
  // none of this side's found points fills a failed slot. A complete other
  // side maps onto the whole set, so every gap closes; a wrong point could
  // only make the residual large, never pass the test.
  r.filledPaths = fillAcrossPencil(system, q1, q2, pencil.results, count, careful, rng, r.pathsTracked, options.key);
  // A fill means a pencil side lacked a point that the other side had: the
  // start set itself may hold a near-duplicate of an ill-conditioned point in
  // place of a missing one (monodromy merges keys only within 10·cond·eps),
  // and then the sides are right and tr(0) is wrong by one point. So when the
  // sides are complete after fills, the set at q0 is rebuilt from them: the
  // points of s1 tracked across to q0 (γ-segment), duplicates failed, holes
  // filled from s2 the same way. The test then runs on the rebuilt set, which
  // the caller should adopt (`rebuiltStart`, `start`).
  std::vector<PathResult> startSide;
  bool sidesComplete = std::all_of(pencil.results.begin(), pencil.results.end(),
                                   [](const PathResult& x) { return x.status == PathStatus::Success; });
  if (r.filledPaths > 0 && sidesComplete) {
    std::vector<PathResult> side1(pencil.results.begin(), pencil.results.begin() + count);
    SegmentHomotopy back(system, q1, q0, randomComplex(rng), randomComplex(rng));
    Across a{&side1, &back, &careful, std::vector<PathResult>(size_t(count))};
    nagrt_parallel_for(count, trackAcross, &a);
    r.pathsTracked += count;
    std::vector<PathResult> both(a.results);
    both.insert(both.end(), pencil.results.begin() + count, pencil.results.end());  // s2: the donor side
    failDuplicates(both.data(), count, options.seed + 31, options.key);
    // fillAcrossPencil fills both halves; the donor half is complete, so only q0's holes are filled.
    fillAcrossPencil(system, q0, q2, both, count, careful, rng, r.pathsTracked, options.key);
    both.resize(size_t(count));
    bool whole = std::all_of(both.begin(), both.end(), [](const PathResult& x) { return x.status == PathStatus::Success; });
    if (whole) {
      r.rebuiltStart = true;
      startSide = std::move(both);
      for (const PathResult& x : startSide) r.start.push_back(x.x);
    }
  }
  std::vector<cplx>* sums[3] = {&r.trace0, &r.trace1, &r.trace2};
  double magnitude[3] = {0, 0, 0};
  auto add = [&](int which, const cplx* x) {
    std::vector<cplx> v = trace(x);
    std::vector<cplx>& sum = *sums[which];
    if (sum.empty()) sum.assign(v.size(), 0.0);
    if (v.size() != sum.size()) throw Error("internal error: the trace function returned vectors of different sizes");
    double size = 0;
    for (size_t i = 0; i < v.size(); ++i) {
      sum[i] += v[i];
      size = std::max(size, std::abs(v[i]));
    }
    magnitude[which] += size;
  };
  for (int64_t k = 0; k < count; ++k) add(0, r.rebuiltStart ? r.start[size_t(k)].data() : solutions[k].data());
  for (int64_t k = 0; k < 2 * count; ++k) {
    const PathResult& result = pencil.results[k];
    if (result.status != PathStatus::Success) {
      ++r.failedPaths;
      continue;
    }
    add(k < count ? 1 : 2, result.x.data());
  }
  r.scale = std::max({magnitude[0], magnitude[1], magnitude[2], std::numeric_limits<double>::min()});
  if (r.failedPaths > 0 || count == 0) {
    r.residual = std::numeric_limits<double>::infinity();
    return r;
  }
  double worst = 0;
  const cplx ratio = r.s2 / r.s1;
  for (size_t i = 0; i < r.trace0.size(); ++i)
    worst = std::max(worst, std::abs(r.trace2[i] - r.trace0[i] - ratio * (r.trace1[i] - r.trace0[i])));
  r.residual = worst / r.scale;
  return r;
}

}  // namespace nagrt::numeric
