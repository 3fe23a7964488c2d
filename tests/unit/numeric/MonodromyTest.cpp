// MonodromyTest.cpp — monodromy on families with hand-counted solutions, keys that merge, limits, checkpoints,
// and the trace test on complete and incomplete witness sets.
#include "TestSystems.h"
#include "numeric/Monodromy.h"

#include <gtest/gtest.h>

#include <cmath>

namespace nagrt::numeric {
namespace {

using testing::DensePolynomial;
using testing::LambdaSystem;

// x^k = q.
LambdaSystem rootFamily(int k) {
  return LambdaSystem(1, 1, [k](const cplx* x, const cplx* q, cplx* f, cplx* jx, cplx* jq) {
    cplx power = 1;
    for (int i = 0; i < k - 1; ++i) power *= x[0];
    f[0] = power * x[0] - q[0];
    if (jx) jx[0] = double(k) * power;
    if (jq) jq[0] = -1.0;
  });
}

// True when some solution is within tol of the point.
bool contains(const std::vector<std::vector<cplx>>& solutions, const std::vector<cplx>& point, double tol) {
  for (const std::vector<cplx>& s : solutions) {
    double gap = 0;
    for (size_t i = 0; i < s.size(); ++i) gap = std::max(gap, std::abs(s[i] - point[i]));
    if (gap <= tol) return true;
  }
  return false;
}

// HomotopyContinuation.jl #611 finds nothing new from x = 2 for x^3 = 8; the cube roots are 2, 2w, 2w^2.
TEST(Monodromy, CubeRootsOfEightFromOne) {
  LambdaSystem system = rootFamily(3);
  MonodromyResult r = monodromySolve(system, {8.0}, {{2.0}});
  ASSERT_EQ(r.solutions.size(), 3u);
  for (int k = 0; k < 3; ++k)
    EXPECT_TRUE(contains(r.solutions, {std::polar(2.0, 2 * M_PI * k / 3)}, 1e-12)) << "root " << k;
  EXPECT_EQ(r.stop, MonodromyStop::Idle);
  EXPECT_GE(r.loops, 5);  // the triangle's two nodes and at least three idle ones
  EXPECT_EQ(r.failedPaths(), 0);
  EXPECT_EQ(r.loopCollisions, 0);
  EXPECT_EQ(r.pathsTracked, r.statusCounts[int(PathStatus::Success)]);
}

// A loop of two arcs winds around the one branch point q = 0 only sometimes, so nodes whose loops move nothing
// are common; the triangle's loops and the idle nodes must still find every root. Twenty seeds, all three each.
TEST(Monodromy, CubeRootsForManySeeds) {
  LambdaSystem system = rootFamily(3);
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    MonodromyOptions options;
    options.seed = seed;
    MonodromyResult r = monodromySolve(system, {8.0}, {{2.0}}, options);
    EXPECT_EQ(r.solutions.size(), 3u) << "seed " << seed;
  }
}

// x^2 + y^2 = q1, x y = q2: (x + y)^2 = q1 + 2 q2 and (x - y)^2 = q1 - 2 q2, two signs each: 4 solutions,
// (x, y), (-x, -y), (y, x), (-y, -x).
TEST(Monodromy, SumOfSquaresAndProductHasFourSolutions) {
  LambdaSystem system(2, 2, [](const cplx* x, const cplx* q, cplx* f, cplx* jx, cplx* jq) {
    f[0] = x[0] * x[0] + x[1] * x[1] - q[0];
    f[1] = x[0] * x[1] - q[1];
    if (jx) jx[0] = 2.0 * x[0], jx[1] = 2.0 * x[1], jx[2] = x[1], jx[3] = x[0];
    if (jq) jq[0] = -1.0, jq[1] = 0.0, jq[2] = 0.0, jq[3] = -1.0;
  });
  const cplx x{0.3, -0.8}, y{1.1, 0.4};
  MonodromyResult r = monodromySolve(system, {x * x + y * y, x * y}, {{x, y}});
  ASSERT_EQ(r.solutions.size(), 4u);
  for (const std::vector<cplx>& p : std::vector<std::vector<cplx>>{{x, y}, {-x, -y}, {y, x}, {-y, -x}})
    EXPECT_TRUE(contains(r.solutions, p, 1e-12));
  EXPECT_EQ(r.stop, MonodromyStop::Idle);
  EXPECT_TRUE(r.nearCollisions.empty());
}

// x^4 = q has 4 roots; keyed by x^2 they fall in 2 classes (x^2 = +-sqrt(q)).
TEST(Monodromy, KeyFunctionMergesSolutions) {
  LambdaSystem system = rootFamily(4);
  const cplx q{16.0, 0.0};
  KeyFn square = [](const cplx* x) { return std::vector<cplx>{x[0] * x[0]}; };
  MonodromyResult merged = monodromySolve(system, {q}, {{2.0}}, MonodromyOptions{}, square);
  ASSERT_EQ(merged.solutions.size(), 2u);
  cplx a = merged.solutions[0][0] * merged.solutions[0][0], b = merged.solutions[1][0] * merged.solutions[1][0];
  EXPECT_NEAR(std::abs(a + b), 0.0, 1e-10);  // the two classes are x^2 = 4 and x^2 = -4
  EXPECT_NEAR(std::abs(a * b + 16.0), 0.0, 1e-10);
  MonodromyResult all = monodromySolve(system, {q}, {{2.0}});
  EXPECT_EQ(all.solutions.size(), 4u);
}

// x^5 = 1 from x = 1: the run stops after the wave in which a second root appeared (it keeps that wave's other
// endpoints: at most 1 + the wave's paths, far below 5 in the first waves).
TEST(Monodromy, StopsAtTheSolutionLimit) {
  LambdaSystem system = rootFamily(5);
  MonodromyOptions options;
  options.maxSolutions = 2;
  MonodromyResult r = monodromySolve(system, {1.0}, {{1.0}}, options);
  EXPECT_EQ(r.stop, MonodromyStop::SolutionLimit);
  EXPECT_GE(r.solutions.size(), 2u);
  EXPECT_LT(r.solutions.size(), 5u);
}

TEST(Monodromy, StopsAtTheLoopLimitWhenIdleLoopsNeverEnd) {
  LambdaSystem system = rootFamily(3);
  MonodromyOptions options;
  options.maxLoops = 7;
  options.idleLoops = 100;
  MonodromyResult r = monodromySolve(system, {8.0}, {{2.0}}, options);
  EXPECT_EQ(r.stop, MonodromyStop::LoopLimit);
  EXPECT_EQ(r.loops, 7);
  EXPECT_EQ(r.solutions.size(), 3u);
}

// Each solution is tracked once along each arc out of its node: a closed graph of V nodes (V - 1 = loops, each
// node joined both ways to q0 and to the previous node) tracks at most deg * (number of arcs) paths, all of them
// successful for x^7 = q (no path meets the branch point q = 0 with probability one).
TEST(Monodromy, ClosedGraphTracksEachSolutionOncePerArc) {
  LambdaSystem system = rootFamily(7);
  MonodromyResult r = monodromySolve(system, {cplx(0.6, -0.9)}, {{std::pow(cplx(0.6, -0.9), 1.0 / 7)}});
  ASSERT_EQ(r.solutions.size(), 7u);
  ASSERT_EQ(r.stop, MonodromyStop::Idle);
  const int64_t arcs = 2 + 4 * (r.loops - 1);
  EXPECT_EQ(int64_t(r.edges.size()), arcs);
  EXPECT_LE(r.pathsTracked, 7 * arcs);
  for (const MonodromyEdge& e : r.edges) EXPECT_EQ(e.done, 7) << e.from << " -> " << e.to;
  for (const auto& node : r.nodeSolutions) EXPECT_EQ(node.size(), 7u);
  EXPECT_EQ(r.failedPaths(), 0);
}

// A run stopped at a closure, or in the middle of a wave, and resumed from the checkpoint ends with the same bits
// as an unbroken run; the progress callback sees every wave.
TEST(Monodromy, ResumedRunMatchesUnbrokenRun) {
  LambdaSystem system = rootFamily(7);
  const std::vector<cplx> q0{cplx(0.6, -0.9)};
  const std::vector<std::vector<cplx>> start{{std::pow(cplx(0.6, -0.9), 1.0 / 7)}};
  MonodromyOptions options;
  options.seed = 42;
  int64_t progressCalls = 0;
  MonodromyCheckpoint atClosure, midWave;
  options.progress = [&](int64_t, int64_t) { ++progressCalls; };
  options.checkpoint = [&](const MonodromyCheckpoint& c) {
    if (c.loops == 2 && c.closed) atClosure = c;
    if (c.waves == 1) midWave = c;
  };
  MonodromyResult unbroken = monodromySolve(system, q0, start, options);
  ASSERT_EQ(unbroken.solutions.size(), 7u);
  EXPECT_EQ(progressCalls, unbroken.waves);
  ASSERT_TRUE(atClosure.closed);
  ASSERT_EQ(midWave.waves, 1);
  ASSERT_FALSE(midWave.closed);

  for (const MonodromyCheckpoint* saved : {&atClosure, &midWave}) {
    MonodromyOptions again;
    again.seed = 42;
    again.resume = saved;
    MonodromyResult resumed = monodromySolve(system, q0, {}, again);
    EXPECT_EQ(resumed.loops, unbroken.loops);
    EXPECT_EQ(resumed.waves, unbroken.waves);
    EXPECT_EQ(resumed.pathsTracked, unbroken.pathsTracked);
    ASSERT_EQ(resumed.solutions.size(), unbroken.solutions.size());
    for (size_t k = 0; k < resumed.solutions.size(); ++k) EXPECT_EQ(resumed.solutions[k], unbroken.solutions[k]);
  }
}

// Given first nodes are the triangle's (the trace test's pencil points in degree runs), and a closure test
// replaces the idle rule: Complete stops the run as complete, Stop as a test limit. x^5 = q: five solutions at
// every node of a closed graph.
TEST(Monodromy, FirstNodesAndTheClosureTestDecide) {
  LambdaSystem system = rootFamily(5);
  const std::vector<cplx> q0{cplx(1.5, 0.5)}, a{cplx(2.0, -1.0)}, b{cplx(-1.0, 1.5)};
  const std::vector<std::vector<cplx>> start{{std::pow(q0[0], 1.0 / 5)}};
  MonodromyOptions options;
  options.firstNodes = {a, b};
  int closures = 0;
  options.onClosure = [&](const MonodromyResult& g) {
    ++closures;
    bool full = g.solutions.size() == 5 && g.nodeSolutions[0].size() == 5 && g.nodeSolutions[1].size() == 5;
    return full ? ClosureVerdict::Complete : ClosureVerdict::Continue;
  };
  MonodromyResult r = monodromySolve(system, q0, start, options);
  EXPECT_EQ(r.stop, MonodromyStop::Complete);
  ASSERT_GE(r.nodes.size(), 2u);
  EXPECT_EQ(r.nodes[0], a);
  EXPECT_EQ(r.nodes[1], b);
  EXPECT_EQ(r.solutions.size(), 5u);
  EXPECT_GE(closures, 1);
  for (const std::vector<cplx>& x : r.nodeSolutions[0]) EXPECT_LT(std::abs(std::pow(x[0], 5) - a[0]), 1e-10);

  MonodromyOptions refuse = options;
  closures = 0;
  refuse.onClosure = [&](const MonodromyResult&) { return ++closures == 3 ? ClosureVerdict::Stop : ClosureVerdict::Continue; };
  MonodromyResult stopped = monodromySolve(system, q0, start, refuse);
  EXPECT_EQ(stopped.stop, MonodromyStop::TestLimit);
  EXPECT_EQ(closures, 3);
  EXPECT_EQ(stopped.loops, 4);  // the triangle, then one node after each of the first two closures
}

// A closed graph in which node 1 lacks one of its three solutions (as after a failed or jumped path): a repair
// edge from q0 tracks q0's three there and completes it, once; without repairNodes the closure stands as it is.
TEST(Monodromy, ARepairEdgeCompletesANodeWhoseCountDiffers) {
  LambdaSystem system = rootFamily(3);
  const cplx q = 8.0, a(1.0, 2.0), b(-3.0, 0.5);
  auto roots = [](cplx v) {
    std::vector<std::vector<cplx>> out;
    for (int k = 0; k < 3; ++k) out.push_back({std::pow(v, 1.0 / 3) * std::polar(1.0, 2 * M_PI * k / 3)});
    return out;
  };
  MonodromyCheckpoint c;
  c.solutions = roots(q);
  c.nodes = {{a}, {b}};
  c.nodeSolutions = {roots(a), roots(b)};
  c.nodeSolutions[0].pop_back();  // node 1 has two of its three
  for (auto [from, to] : std::vector<std::pair<int64_t, int64_t>>{{0, 1}, {1, 0}, {0, 2}, {2, 0}, {1, 2}, {2, 1}}) {
    MonodromyEdge e;
    e.from = from;
    e.to = to;
    e.g0 = cplx(0.6, 0.8);
    e.g1 = cplx(-0.8, 0.6);
    e.done = int64_t(from == 1 ? 2 : 3);
    c.edges.push_back(e);
  }
  c.loops = 2;
  c.lastCount = 3;  // q0 had its three at the last closure: its count is settled
  c.rngState = 99;
  MonodromyOptions options;
  options.resume = &c;
  options.repairNodes = {1, 2};
  options.onClosure = [](const MonodromyResult&) { return ClosureVerdict::Complete; };
  MonodromyResult r = monodromySolve(system, {q}, {}, options);
  EXPECT_EQ(r.stop, MonodromyStop::Complete);
  EXPECT_EQ(r.repairs, 1);
  ASSERT_EQ(r.nodeSolutions[0].size(), 3u);
  for (const std::vector<cplx>& root : roots(a)) EXPECT_TRUE(contains(r.nodeSolutions[0], root, 1e-10));
  EXPECT_EQ(r.edges.size(), 7u);
  EXPECT_EQ(r.edges.back().from, 0);
  EXPECT_EQ(r.edges.back().to, 1);

  for (int variant = 0; variant < 2; ++variant) {
    MonodromyCheckpoint d = c;
    MonodromyOptions plain = options;
    plain.resume = &d;
    if (variant == 0) plain.repairNodes.clear();
    else d.lastCount = 2;  // q0's count grew since the last closure: a node, not a repair, comes next
    MonodromyResult unrepaired = monodromySolve(system, {q}, {}, plain);
    EXPECT_EQ(unrepaired.repairs, 0) << variant;
    EXPECT_EQ(unrepaired.nodeSolutions[0].size(), 2u) << variant;
    EXPECT_EQ(unrepaired.edges.size(), 6u) << variant;
  }
}

// Near collisions: the roots of x^2 = q at q = 1e-4 are +-0.01, closer than 1000 * tol (tol 1e-4) but not
// within tol, so the second found is kept and reported. The branch point q = 0 lies inside the endgame's first
// circles around q0: their agreeing estimate x = 0 is no solution and must not end the paths as singular.
TEST(Monodromy, ReportsNearCollisions) {
  LambdaSystem system = rootFamily(2);
  MonodromyOptions options;
  options.tolerance = 1e-4;
  MonodromyResult r = monodromySolve(system, {1e-4}, {{0.01}}, options);
  ASSERT_EQ(r.solutions.size(), 2u);
  EXPECT_NEAR(std::abs(r.solutions[1][0] + 0.01), 0.0, 1e-12);
  EXPECT_EQ(r.failedPaths(), 0);
  ASSERT_EQ(r.nearCollisions.size(), 1u);
  EXPECT_EQ(r.nearCollisions[0].first, 0);
  EXPECT_EQ(r.nearCollisions[0].second, 1);
  EXPECT_NEAR(r.nearCollisions[0].distance, 0.02, 1e-12);
}

// A plane cubic C(x, y) = C(x0, y0) cut by the lines a x + b y = q: 3 points (Bezout 3 x 1), whose coordinate
// sums are affine in q (the trace of a witness set of a curve).
struct CubicWitness {
  DensePolynomial cubic;
  cplx a{0.7, 0.2}, b{-0.4, 0.9}, x0{0.2, 0.5}, y0{-0.6, 0.3}, level;
  LambdaSystem system;

  explicit CubicWitness(Random rng)
      : cubic(2, 3, rng), system(2, 1, [this](const cplx* x, const cplx* q, cplx* f, cplx* jx, cplx* jq) {
          f[0] = cubic.evaluate(x, jx) - level;
          f[1] = a * x[0] + b * x[1] - q[0];
          if (jx) jx[2] = a, jx[3] = b;
          if (jq) jq[0] = 0.0, jq[1] = -1.0;
        }) {
    const cplx p[2] = {x0, y0};
    level = cubic.evaluate(p, nullptr);
  }
  std::vector<cplx> q0() const { return {a * x0 + b * y0}; }
};

TEST(TraceTest, CompleteWitnessSetPassesIncompleteFails) {
  CubicWitness w(Random(3));
  MonodromyResult r = monodromySolve(w.system, w.q0(), {{w.x0, w.y0}});
  ASSERT_EQ(r.solutions.size(), 3u);
  TraceFn coordinates = [](const cplx* x) { return std::vector<cplx>{x[0], x[1]}; };
  TraceTestResult complete = traceTest(w.system, w.q0(), {1.0}, r.solutions, coordinates);
  EXPECT_EQ(complete.failedPaths, 0);
  EXPECT_EQ(complete.pathsTracked, 6);
  EXPECT_LT(complete.residual, 1e-10);
  std::vector<std::vector<cplx>> two(r.solutions.begin(), r.solutions.begin() + 2);
  TraceTestResult incomplete = traceTest(w.system, w.q0(), {1.0}, two, coordinates);
  EXPECT_EQ(incomplete.failedPaths, 0);
  EXPECT_GT(incomplete.residual, 1e-3);
  // A second seed draws other pencil points and agrees.
  TraceTestOptions other;
  other.seed = 2;
  TraceTestResult second = traceTest(w.system, w.q0(), {1.0}, r.solutions, coordinates, other);
  EXPECT_NE(second.s1, complete.s1);
  EXPECT_LT(second.residual, 1e-10);
}

// The trace test's recovery across the pencil: slots whose paths failed are
// filled with the other pencil point's points tracked straight across, so
// each side ends with the whole witness set (compared with the paths that
// did succeed, before the failures were made up).
TEST(TraceTest, FailedPencilPathsAreFilledAcrossThePencil) {
  CubicWitness w(Random(3));
  MonodromyResult r = monodromySolve(w.system, w.q0(), {{w.x0, w.y0}});
  ASSERT_EQ(r.solutions.size(), 3u);
  const int64_t count = 3;
  std::vector<cplx> q1 = w.q0(), q2 = w.q0();
  q1[0] += cplx(0.8, -0.3);
  q2[0] += cplx(-0.5, 0.6);
  SegmentHomotopy toS1(w.system, w.q0(), q1), toS2(w.system, w.q0(), q2);
  std::vector<PathResult> truth;
  for (int side = 0; side < 2; ++side)
    for (const auto& x : r.solutions) truth.push_back(trackPath(side == 0 ? toS1 : toS2, x.data(), TrackerOptions{}));
  for (const PathResult& t : truth) ASSERT_EQ(t.status, PathStatus::Success);
  auto sameSet = [&](const std::vector<PathResult>& got, int side) {
    for (int64_t i = 0; i < count; ++i) {
      const PathResult& want = truth[size_t(side * count + i)];
      int hits = 0;
      for (int64_t j = 0; j < count; ++j) {
        const PathResult& g = got[size_t(side * count + j)];
        if (g.status == PathStatus::Success && std::abs(g.x[0] - want.x[0]) + std::abs(g.x[1] - want.x[1]) < 1e-8) ++hits;
      }
      if (hits != 1) return false;
    }
    return true;
  };
  Random rng(5);
  TrackerOptions careful;
  // One failure at s1, one at s2 from another start point, both refilled.
  std::vector<PathResult> results = truth;
  results[1].status = PathStatus::StepTooSmall;
  results[size_t(count + 2)].status = PathStatus::StepTooSmall;
  int64_t tracked = 0;
  EXPECT_EQ(fillAcrossPencil(w.system, q1, q2, results, count, careful, rng, tracked), 2);
  EXPECT_GT(tracked, 0);
  EXPECT_TRUE(sameSet(results, 0));
  EXPECT_TRUE(sameSet(results, 1));
  // The same start point failed on both sides. The map across is a
  // bijection of the whole sets but not the correspondence of the routes
  // from q0, so the two known points of one side may or may not reach the
  // other's missing one: whatever is filled must be right, and a side with
  // no hole left must be the whole set.
  for (uint64_t seed = 1; seed <= 8; ++seed) {
    results = truth;
    results[0].status = PathStatus::StepTooSmall;
    results[size_t(count)].status = PathStatus::StepTooSmall;
    Random draw(seed);
    tracked = 0;
    int64_t filled = fillAcrossPencil(w.system, q1, q2, results, count, careful, draw, tracked);
    EXPECT_LE(filled, 2);
    for (int side = 0; side < 2; ++side) {
      bool full = true;
      for (int64_t i = 0; i < count; ++i) full = full && results[size_t(side * count + i)].status == PathStatus::Success;
      if (full) {
        EXPECT_TRUE(sameSet(results, side)) << "seed " << seed << " side " << side;
      }
    }
  }
}

// A start set holding a near-duplicate of one point in place of another (what
// monodromy's merge window can admit for an ill-conditioned point): the two
// paths of the duplicate meet at every pencil point, the fill across supplies
// the missing point, and the test must rebuild the start set from the pencil
// and pass on it, not fail by one point's trace. A start set that is missing a
// point no pencil side can supply must still fail.
TEST(TraceTest, ANearDuplicateStartPointIsRebuiltFromThePencil) {
  CubicWitness w(Random(3));
  MonodromyResult r = monodromySolve(w.system, w.q0(), {{w.x0, w.y0}});
  ASSERT_EQ(r.solutions.size(), 3u);
  TraceFn coordinates = [](const cplx* x) { return std::vector<cplx>{x[0], x[1]}; };
  std::vector<std::vector<cplx>> dup = {r.solutions[0], r.solutions[0], r.solutions[2]};
  dup[1][0] += cplx(3e-8, -2e-8);
  TraceTestResult t = traceTest(w.system, w.q0(), {1.0}, dup, coordinates);
  EXPECT_EQ(t.failedPaths, 0);
  EXPECT_GE(t.filledPaths, 1);
  ASSERT_TRUE(t.rebuiltStart);
  EXPECT_LT(t.residual, 1e-10);
  ASSERT_EQ(t.start.size(), 3u);
  for (const auto& want : r.solutions) {
    int hits = 0;
    for (const auto& got : t.start)
      if (std::abs(got[0] - want[0]) + std::abs(got[1] - want[1]) < 1e-8) ++hits;
    EXPECT_EQ(hits, 1);
  }
  // Two points, one of them twice. The fill across the pencil runs on a
  // γ-segment, a route the paths from q0 did not take, so it may find the third
  // point (then the rebuilt set is the whole witness set and passes) or not
  // (then the test must fail): whatever it says must be right, on 8 seeds.
  std::vector<std::vector<cplx>> short2 = {r.solutions[0], r.solutions[0], r.solutions[1]};
  short2[1][1] += cplx(-2e-8, 1e-8);
  for (uint64_t seed = 1; seed <= 8; ++seed) {
    TraceTestOptions o;
    o.seed = seed;
    TraceTestResult u = traceTest(w.system, w.q0(), {1.0}, short2, coordinates, o);
    if (u.rebuiltStart) {
      EXPECT_LT(u.residual, 1e-10) << "seed " << seed;
      int found = 0;
      for (const auto& want : r.solutions)
        for (const auto& got : u.start)
          if (std::abs(got[0] - want[0]) + std::abs(got[1] - want[1]) < 1e-8) ++found;
      EXPECT_EQ(found, 3) << "seed " << seed;
    } else {
      EXPECT_FALSE(u.residual < 1e-6) << "seed " << seed;
    }
  }
}

}  // namespace
}  // namespace nagrt::numeric
