// TrackerTest.cpp — the path tracker on systems whose solutions are known: Bezout counts, solutions at infinity,
// singular endpoints, a path through a near-singular region, and results independent of the thread count.
#include "TestSystems.h"
#include "numeric/Monodromy.h"
#include "numeric/Tracker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include <unistd.h>

namespace nagrt::numeric {
namespace {

using testing::DenseSystem;
using testing::LambdaHomotopy;
using testing::LambdaSystem;

double maxAbs(const std::vector<cplx>& v) {
  double m = 0;
  for (cplx z : v) m = std::max(m, std::abs(z));
  return m;
}

// Every path succeeds, F vanishes at every endpoint and the endpoints are pairwise distinct.
void expectAllRegularSolutions(const DenseSystem& system, const std::vector<PathResult>& results) {
  const int64_t n = int64_t(system.degrees.size());
  std::vector<cplx> f(n);
  for (const PathResult& r : results) {
    ASSERT_EQ(r.status, PathStatus::Success) << statusName(r.status) << " at t = " << r.t;
    EXPECT_EQ(r.t, 1.0);
    system.function()(r.x.data(), f.data(), nullptr);
    int maxDegree = *std::max_element(system.degrees.begin(), system.degrees.end());
    EXPECT_LE(maxAbs(f), 1e-10 * std::pow(std::max(1.0, maxAbs(r.x)), maxDegree));
    EXPECT_LT(r.condition, 1e10);
  }
  for (size_t a = 0; a < results.size(); ++a)
    for (size_t b = a + 1; b < results.size(); ++b) {
      std::vector<cplx> d(n);
      for (int64_t i = 0; i < n; ++i) d[i] = results[a].x[i] - results[b].x[i];
      EXPECT_GT(maxAbs(d), 1e-6) << "paths " << a << " and " << b << " end at the same point";
    }
}

TEST(TotalDegree, TwoRandomQuadricsHaveFourSolutions) {
  DenseSystem system({2, 2}, 11);
  std::vector<PathResult> results = solveTotalDegree(system.degrees, system.function(), 5);
  ASSERT_EQ(results.size(), 4u);  // Bezout 2 * 2
  expectAllRegularSolutions(system, results);
}

TEST(TotalDegree, RandomDegreesTwoTwoThreeHaveTwelveSolutions) {
  DenseSystem system({2, 2, 3}, 12);
  std::vector<PathResult> results = solveTotalDegree(system.degrees, system.function(), 6);
  ASSERT_EQ(results.size(), 12u);
  expectAllRegularSolutions(system, results);
}

// x y = 1, x y + x = 2: subtracting gives x = 1, then y = 1. One finite solution out of Bezout's 4; the other
// three paths go to the points at infinity [1:0:0] and [0:1:0].
TEST(TotalDegree, HyperbolaSystemHasOneFiniteSolutionAndThreeAtInfinity) {
  PolynomialFn f = [](const cplx* x, cplx* v, cplx* j) {
    v[0] = x[0] * x[1] - 1.0;
    v[1] = x[0] * x[1] + x[0] - 2.0;
    if (j) {
      j[0] = x[1], j[1] = x[0];
      j[2] = x[1] + 1.0, j[3] = x[0];
    }
  };
  std::vector<PathResult> results = solveTotalDegree({2, 2}, f, 7);
  ASSERT_EQ(results.size(), 4u);
  int success = 0, diverged = 0;
  for (const PathResult& r : results) {
    if (r.status == PathStatus::Success) {
      ++success;
      EXPECT_NEAR(std::abs(r.x[0] - 1.0), 0.0, 1e-12);
      EXPECT_NEAR(std::abs(r.x[1] - 1.0), 0.0, 1e-12);
    } else {
      EXPECT_EQ(r.status, PathStatus::Diverged) << statusName(r.status);
      diverged += r.status == PathStatus::Diverged;
    }
  }
  EXPECT_EQ(success, 1);
  EXPECT_EQ(diverged, 3);
}

// Two circles x^2 + y^2 = 4 and (x-1)^2 + y^2 = 4 meet at x = 1/2, y = +-sqrt(15)/2; the other two Bezout
// solutions are the circular points [1 : +-i : 0] at infinity.
TEST(TotalDegree, TwoCirclesMeetTwiceAndTwicePathsDiverge) {
  PolynomialFn f = [](const cplx* x, cplx* v, cplx* j) {
    v[0] = x[0] * x[0] + x[1] * x[1] - 4.0;
    v[1] = (x[0] - 1.0) * (x[0] - 1.0) + x[1] * x[1] - 4.0;
    if (j) {
      j[0] = 2.0 * x[0], j[1] = 2.0 * x[1];
      j[2] = 2.0 * (x[0] - 1.0), j[3] = 2.0 * x[1];
    }
  };
  std::vector<PathResult> results = solveTotalDegree({2, 2}, f, 8);
  int diverged = 0;
  std::vector<double> ys;
  for (const PathResult& r : results) {
    if (r.status == PathStatus::Diverged) {
      ++diverged;
      continue;
    }
    ASSERT_EQ(r.status, PathStatus::Success) << statusName(r.status);
    EXPECT_NEAR(std::abs(r.x[0] - 0.5), 0.0, 1e-12);
    EXPECT_NEAR(r.x[1].imag(), 0.0, 1e-12);
    ys.push_back(r.x[1].real());
  }
  EXPECT_EQ(diverged, 2);
  ASSERT_EQ(ys.size(), 2u);
  std::sort(ys.begin(), ys.end());
  EXPECT_NEAR(ys[0], -std::sqrt(15.0) / 2, 1e-12);
  EXPECT_NEAR(ys[1], std::sqrt(15.0) / 2, 1e-12);
}

// (x - 1)^2 = 0 from x^2 - 1: x = 1 solves H for every t, and the path from x = -1 ends there too, so both
// paths end at the double root, each with winding number 1.
TEST(Endgame, DoubleRootIsSingularWithMultiplicityTwo) {
  PolynomialFn f = [](const cplx* x, cplx* v, cplx* j) {
    v[0] = (x[0] - 1.0) * (x[0] - 1.0);
    if (j) j[0] = 2.0 * (x[0] - 1.0);
  };
  std::vector<PathResult> results = solveTotalDegree({2}, f, 9);
  ASSERT_EQ(results.size(), 2u);
  for (const PathResult& r : results) {
    EXPECT_EQ(r.status, PathStatus::Singular) << statusName(r.status);
    EXPECT_NEAR(std::abs(r.x[0] - 1.0), 0.0, 1e-6);
    EXPECT_EQ(r.multiplicity, 2);
    EXPECT_GT(r.condition, 1e10);
  }
}

// x^2 = 1 - t: x = +-sqrt(1 - t) meet at 0 with a branch point, so the Cauchy endgame circles twice.
TEST(Endgame, BranchPointEndpointHasWindingTwo) {
  LambdaHomotopy h(1, [](const cplx* x, cplx t, cplx* v, cplx* hx, cplx* ht) {
    v[0] = x[0] * x[0] - (1.0 - t);
    if (hx) hx[0] = 2.0 * x[0];
    if (ht) ht[0] = 1.0;
  });
  std::vector<PathResult> results = trackPaths(h, {{1.0}, {-1.0}}, TrackerOptions{});
  for (const PathResult& r : results) {
    EXPECT_EQ(r.status, PathStatus::Singular) << statusName(r.status);
    EXPECT_EQ(r.winding, 2);
    EXPECT_EQ(r.multiplicity, 2);
    EXPECT_NEAR(std::abs(r.x[0]), 0.0, 1e-6);
  }
}

// (x - c)^2 = (t - 1/2)^2 + eps^2: the two paths pass within 2 eps of each other at t = 1/2 (branch points at
// t = 1/2 +- i eps) but never meet on the real segment, so the root above c stays above c. Every tangent there
// points straight at the other path: a tracker that steps across t = 1/2 swaps them.
TEST(Tracker, PathsThroughNearSingularRegionDoNotJump) {
  for (double centre : {0.0, 1.0})
    for (double eps : {1e-2, 1e-4, 1e-6, 1e-8}) {
      LambdaHomotopy h(1, [eps, centre](const cplx* x, cplx t, cplx* v, cplx* hx, cplx* ht) {
        v[0] = (x[0] - centre) * (x[0] - centre) - ((t - 0.5) * (t - 0.5) + eps * eps);
        if (hx) hx[0] = 2.0 * (x[0] - centre);
        if (ht) ht[0] = -2.0 * (t - 0.5);
      });
      double end = std::sqrt(0.25 + eps * eps);
      std::vector<PathResult> results = trackPaths(h, {{centre + end}, {centre - end}}, TrackerOptions{});
      for (int k = 0; k < 2; ++k) {
        ASSERT_EQ(results[k].status, PathStatus::Success) << "eps " << eps << ": " << statusName(results[k].status);
        EXPECT_NEAR(std::abs(results[k].x[0] - (centre + (k == 0 ? end : -end))), 0.0, 1e-12) << "eps " << eps;
      }
    }
}

// (x0 - (1 + t), eps (x1 - (2 - t))): Newton is exact on a diagonal system, so the path is easy to follow at any eps,
// but its Jacobian's condition is 1 / eps. Above TrackerOptions::illConditioned (1e14) the path ends as
// IllConditioned within illConditionedSteps steps, a failure, before the endgame; below it, or with the guard
// off, it reaches (2, 1), a regular endpoint: the endpoint's condition is measured in the problem's scales, where
// an equation's factor eps is no singularity (the raw condition 1 / eps = 1e16 once called it Singular).
TEST(Tracker, IllConditionedPathsEndEarlyAndAreReported) {
  auto homotopy = [](double eps) {
    return LambdaHomotopy(2, [eps](const cplx* x, cplx t, cplx* v, cplx* hx, cplx* ht) {
      v[0] = x[0] - (1.0 + t);
      v[1] = eps * (x[1] - (2.0 - t));
      if (hx) {
        hx[0] = 1.0, hx[1] = 0.0;
        hx[2] = 0.0, hx[3] = eps;
      }
      if (ht) ht[0] = -1.0, ht[1] = eps;
    });
  };
  const std::vector<cplx> start = {1.0, 2.0};
  TrackerOptions o;
  o.maxStep = 0.01;  // 90 steps before the endgame: more than illConditionedSteps
  PathResult ill = trackPath(homotopy(1e-16), start.data(), o);
  EXPECT_EQ(ill.status, PathStatus::IllConditioned) << statusName(ill.status);
  EXPECT_TRUE(isFailure(ill.status));
  EXPECT_STREQ(statusName(ill.status), "ill conditioned");
  EXPECT_LT(ill.t, 1.0 - o.endgameStart);
  EXPECT_LE(ill.steps, o.illConditionedSteps + 1);
  for (double eps : {1e-6, 1e-9}) {
    PathResult fine = trackPath(homotopy(eps), start.data(), o);
    ASSERT_EQ(fine.status, PathStatus::Success) << "eps " << eps << ": " << statusName(fine.status);
    EXPECT_NEAR(std::abs(fine.x[0] - 2.0) + std::abs(fine.x[1] - 1.0), 0.0, 1e-9) << "eps " << eps;
  }
  TrackerOptions off = o;
  off.illConditioned = std::numeric_limits<double>::infinity();
  PathResult unguarded = trackPath(homotopy(1e-16), start.data(), off);
  ASSERT_EQ(unguarded.status, PathStatus::Success) << statusName(unguarded.status);
  EXPECT_LT(unguarded.condition, 10.0);  // B = D Hx W is the identity here
  EXPECT_EQ(unguarded.t, 1.0);
  EXPECT_NEAR(std::abs(unguarded.x[0] - 2.0) + std::abs(unguarded.x[1] - 1.0), 0.0, 1e-9);
}

// The same system with eps = 10^(-16 b(t)), b rising from 0 to 1 over 0.93 <= Re t <= 0.94 and back over 0.96..0.97,
// inside the endgame zone (t > 1 - endgameStart = 0.9): the path is as easy to follow there (Newton is exact), but
// nothing about it is resolved in double precision, and the guard ends it as IllConditioned on the endgame's segment
// where the condition 1 / eps is above 1e14 (0.93875 < t < 0.96125). Elsewhere the system is well conditioned, so
// with the guard off the path ends at (2, 1). (A jump of eps instead of the ramps ends the path at the jump: the
// approach guard sees the smallest singular value fall by 16 decades in one step.)
TEST(Tracker, IllConditionedPathsInTheEndgameZoneEndEarlyToo) {
  auto b = [](double t) { return std::clamp(std::min(t - 0.93, 0.97 - t) / 0.01, 0.0, 1.0); };
  LambdaHomotopy h(2, [b](const cplx* x, cplx t, cplx* v, cplx* hx, cplx* ht) {
    const double r = t.real(), e = std::pow(10.0, -16.0 * b(r));
    const double slope = r > 0.93 && r < 0.94 ? 100.0 : r > 0.96 && r < 0.97 ? -100.0 : 0.0;  // b'(t)
    const double de = -16.0 * std::log(10.0) * slope * e;
    v[0] = x[0] - (1.0 + t);
    v[1] = e * (x[1] - (2.0 - t));
    if (hx) {
      hx[0] = 1.0, hx[1] = 0.0;
      hx[2] = 0.0, hx[3] = e;
    }
    if (ht) ht[0] = -1.0, ht[1] = de * (x[1] - (2.0 - t)) + e;
  });
  const std::vector<cplx> start = {1.0, 2.0};
  TrackerOptions o;
  o.maxStep = 0.0005;  // 45 steps above 1e14: more than illConditionedSteps
  PathResult ill = trackPath(h, start.data(), o);
  ASSERT_EQ(ill.status, PathStatus::IllConditioned) << statusName(ill.status) << " at t = " << ill.t;
  EXPECT_GT(ill.t, 0.93875);
  EXPECT_LT(ill.t, 0.96125);
  TrackerOptions off = o;
  off.illConditioned = std::numeric_limits<double>::infinity();
  PathResult unguarded = trackPath(h, start.data(), off);
  ASSERT_EQ(unguarded.status, PathStatus::Success) << statusName(unguarded.status) << " at t = " << unguarded.t;
  EXPECT_NEAR(std::abs(unguarded.x[0] - 2.0) + std::abs(unguarded.x[1] - 1.0), 0.0, 1e-9);
}

// x^2 = t - t* with a branch point t* = 1 + 0.01 i just off the end: the endpoint x(1) = +-sqrt(1 - t*) is regular,
// but |x| (the Jacobian 2x) still shrinks by a factor ~2 between 1 - t = 0.1 and 0.025, and a Cauchy circle of
// radius 0.025 around t = 1 encloses t*. The endpoint is found by the straight track the endgame tries once
// without a level condition, not after Cauchy circles around t = 1 and t* together.
// x0 = 1e5 (1 + t), x1 x0^2 = 4e10: from (1e5, 4) to (2e5, 1), a regular endpoint of large norm. By hand, at the
// end Hx = [[1, 0], [2 x1 x0, x0^2]] = [[1, 0], [4e5, 4e10]] and Hx^-1 = [[1, 0], [-1e-5, 2.5e-11]]: the raw
// condition ||Hx|| ||Hx^-1|| is 4.00004e10, above singularCondition (1e10), and a tracker that judged endpoints by
// it called this one Singular. In the problem's scales (each unknown relative to its size, each equation to its
// largest term) it is [[1, 0], [0.5, 1]]: condition below 10.
TEST(Endgame, RegularEndpointOfLargeNormIsRegular) {
  LambdaHomotopy h(2, [](const cplx* x, cplx t, cplx* v, cplx* hx, cplx* ht) {
    v[0] = x[0] - 1e5 * (1.0 + t);
    v[1] = x[1] * x[0] * x[0] - 4e10;
    if (hx) hx[0] = 1.0, hx[1] = 0.0, hx[2] = 2.0 * x[1] * x[0], hx[3] = x[0] * x[0];
    if (ht) ht[0] = -1e5, ht[1] = 0.0;
  });
  const double raw = (4e5 + 4e10) * 1.0;  // ||Hx||_inf ||Hx^-1||_inf at (2e5, 1), from the inverse above
  ASSERT_GT(raw, TrackerOptions{}.singularCondition);
  const std::vector<cplx> start = {1e5, 4.0};
  PathResult r = trackPath(h, start.data(), TrackerOptions{});
  ASSERT_EQ(r.status, PathStatus::Success) << statusName(r.status);
  EXPECT_EQ(r.t, 1.0);
  EXPECT_NEAR(std::abs(r.x[0] - 2e5), 0.0, 1e-6);
  EXPECT_NEAR(std::abs(r.x[1] - 1.0), 0.0, 1e-9);
  EXPECT_LT(r.condition, 10.0);
}

// Equations evaluated with cancellation carry errors far above eps times their size. A deterministic stand-in:
// noise(x) of relative size `amount`, fixed by the bits of x (the same x always gives the same value), so that
// Newton's updates stall at about `amount` times the condition.
cplx noise(const cplx* x, int64_t n, double amount) {
  uint64_t bits = 0x9E3779B97F4A7C15ull;
  for (int64_t i = 0; i < n; ++i) {
    uint64_t re, im;
    double a = x[i].real(), b = x[i].imag();
    std::memcpy(&re, &a, 8);
    std::memcpy(&im, &b, 8);
    bits = (bits ^ re) * 0xBF58476D1CE4E5B9ull;
    bits = (bits ^ im) * 0x94D049BB133111EBull;
  }
  bits ^= bits >> 31;
  return amount * (double(bits >> 11) / double(1ull << 53) - 0.5);
}

// [[1, 1], [1, 1 + 1e-7]] x = (2 + t, 2 + t + 1e-7 (1 + t)): x = (1, 1 + t), condition 4e7, every value of H
// carrying noise of 1e-16 (the roundoff of terms of size 1). Newton's updates stall at about 1e-9 against the
// tolerance of 1e-10: the default tracker halves its step to minStep; with acceptNoiseFloor (updates below
// 10 eps cond, two in a row) it reaches (1, 2), to about 1e-8.
TEST(Tracker, NewtonAtTheNoiseFloorIsAcceptedWhenAsked) {
  const double delta = 1e-7;
  LambdaHomotopy h(2, [delta](const cplx* x, cplx t, cplx* v, cplx* hx, cplx* ht) {
    v[0] = x[0] + x[1] - (2.0 + t) + noise(x, 2, 1e-16);
    v[1] = x[0] + (1.0 + delta) * x[1] - (2.0 + t + delta * (1.0 + t)) + noise(x, 2, 2e-16);
    if (hx) hx[0] = 1.0, hx[1] = 1.0, hx[2] = 1.0, hx[3] = 1.0 + delta;
    if (ht) ht[0] = -1.0, ht[1] = -(1.0 + delta);
  });
  const std::vector<cplx> start = {1.0, 1.0};
  PathResult plain = trackPath(h, start.data(), TrackerOptions{});
  EXPECT_TRUE(isFailure(plain.status)) << statusName(plain.status);
  TrackerOptions o;
  o.acceptNoiseFloor = true;
  PathResult floor = trackPath(h, start.data(), o);
  ASSERT_EQ(floor.status, PathStatus::Success) << statusName(floor.status);
  EXPECT_NEAR(std::abs(floor.x[0] - 1.0), 0.0, 1e-7);
  EXPECT_NEAR(std::abs(floor.x[1] - 2.0), 0.0, 1e-7);
}

// (1 - t)^3 x = 1 with noise of relative size 2.5e-11 (|x| / 2e7)^4 (cancellation growing with ||x||, as in the ED
// system near its points at infinity): x = (1 - t)^-3 grows without bound, from 1e3 at t = 0.9 (valuation -3, 64-fold
// per round of the endgame), and Newton stalls against its tolerance of 1e-10 at |x| ~ 3e7, inside the endgame's
// third segment, from 1 - t = 0.00625 to 0.0015625 (|x| from 4.1e6 to 2.6e8). Two rounds had negative valuations,
// and ||x|| has grown past divergenceGrowth (1e3) times its size at t = 0.9: the path diverged, not failed (the
// growth test ran only where a segment ended, after three such rounds). A path to a finite point under the same
// noise is unaffected.
TEST(Endgame, PathGoingToInfinityWhereNewtonGivesOutDiverged) {
  auto amount = [](double size) { return 2.5e-11 * std::pow(size / 2e7, 4); };
  LambdaHomotopy h(1, [amount](const cplx* x, cplx t, cplx* v, cplx* hx, cplx* ht) {
    const double size = std::abs(x[0]);
    const cplx s = 1.0 - t;
    v[0] = s * s * s * x[0] - 1.0 + size * noise(x, 1, amount(size)) * s * s * s;
    if (hx) hx[0] = s * s * s;
    if (ht) ht[0] = -3.0 * s * s * x[0];
  });
  const std::vector<cplx> start = {1.0};
  TrackerOptions o;
  o.maxNorm = 1e300;  // not the norm bound: the growth where tracking gives out
  PathResult r = trackPath(h, start.data(), o);
  EXPECT_EQ(r.status, PathStatus::Diverged) << statusName(r.status) << " at t = " << r.t << ", |x| = " << std::abs(r.x[0]);
  EXPECT_GT(std::abs(r.x[0]), 4.1e6);
  EXPECT_LT(std::abs(r.x[0]), 2.6e8);  // it stopped inside the segment, where Newton gave out
  LambdaHomotopy bounded(1, [amount](const cplx* x, cplx t, cplx* v, cplx* hx, cplx* ht) {
    const double size = std::abs(x[0]);
    v[0] = x[0] - (1.0 + 2.0 * t) + size * noise(x, 1, amount(size));
    if (hx) hx[0] = 1.0;
    if (ht) ht[0] = -2.0;
  });
  PathResult fine = trackPath(bounded, start.data(), o);
  ASSERT_EQ(fine.status, PathStatus::Success) << statusName(fine.status);
  EXPECT_NEAR(std::abs(fine.x[0] - 3.0), 0.0, 1e-12);
}

TEST(Endgame, RegularEndpointNextToABranchPointIsFound) {
  const cplx tStar(1.0, 0.01);
  LambdaHomotopy h(1, [tStar](const cplx* x, cplx t, cplx* v, cplx* hx, cplx* ht) {
    v[0] = x[0] * x[0] - (t - tStar);
    if (hx) hx[0] = 2.0 * x[0];
    if (ht) ht[0] = -1.0;
  });
  const cplx root = std::sqrt(-tStar);
  std::vector<PathResult> results = trackPaths(h, {{root}, {-root}}, TrackerOptions{});
  for (const PathResult& r : results) {
    ASSERT_EQ(r.status, PathStatus::Success) << statusName(r.status);
    EXPECT_NEAR(std::abs(r.x[0] * r.x[0] - (1.0 - tStar)), 0.0, 1e-12);
    // The straight track: 15 steps; the circles first (two of them around t* before the radius shrinks past it): 52.
    EXPECT_LT(r.steps, 30);
  }
  EXPECT_GT(std::abs(results[0].x[0] - results[1].x[0]), 0.1);  // the two branches end apart
}

// dH/dt of the parameter segment is dF/dq (q1 - q0): compare with a central difference.
TEST(SegmentHomotopy, TimeDerivativeMatchesFiniteDifference) {
  LambdaSystem system(1, 2, [](const cplx* x, const cplx* q, cplx* f, cplx* jx, cplx* jq) {
    f[0] = q[0] * x[0] * x[0] + q[1] * q[1];
    if (jx) jx[0] = 2.0 * q[0] * x[0];
    if (jq) jq[0] = x[0] * x[0], jq[1] = 2.0 * q[1];
  });
  SegmentHomotopy h(system, {cplx(1, 2), cplx(-1, 0.5)}, {cplx(0.3, -1), cplx(2, 1)});
  cplx x = {0.7, -0.2}, t = {0.4, 0.1}, ht, hx, value, plus, minus;
  h.evaluate(&x, t, &value, &hx, &ht);
  const double d = 1e-6;
  h.evaluate(&x, t + d, &plus, nullptr, nullptr);
  h.evaluate(&x, t - d, &minus, nullptr, nullptr);
  EXPECT_NEAR(std::abs(ht - (plus - minus) / (2 * d)), 0.0, 1e-8);
  h.evaluate(&x, 0.0, &value, nullptr, nullptr);
  EXPECT_NEAR(std::abs(value - (cplx(1, 2) * x * x + cplx(-1, 0.5) * cplx(-1, 0.5))), 0.0, 1e-15);
}

// An arc (gammas g0 != g1) has the segment's ends, passes through q0 + w (q1 - q0) with w = t g1 / (t g1 +
// (1 - t) g0) off the real segment, and its dH/dt matches a central difference.
TEST(SegmentHomotopy, ArcKeepsTheEndsAndItsTimeDerivativeMatchesFiniteDifference) {
  LambdaSystem system(1, 1, [](const cplx* x, const cplx* q, cplx* f, cplx* jx, cplx* jq) {
    f[0] = x[0] * x[0] * x[0] - q[0];
    if (jx) jx[0] = 3.0 * x[0] * x[0];
    if (jq) jq[0] = -1.0;
  });
  const cplx q0{1, 2}, q1{0.3, -1}, g0 = std::polar(1.0, 0.7), g1 = std::polar(1.0, -2.1);
  SegmentHomotopy h(system, {q0}, {q1}, g0, g1);
  const cplx x{0.7, -0.2};
  cplx value, ht, hx, plus, minus;
  h.evaluate(&x, 0.0, &value, nullptr, nullptr);
  EXPECT_NEAR(std::abs(value - (x * x * x - q0)), 0.0, 1e-15);
  h.evaluate(&x, 1.0, &value, nullptr, nullptr);
  EXPECT_NEAR(std::abs(value - (x * x * x - q1)), 0.0, 1e-15);
  const cplx t{0.4, 0.1};
  h.evaluate(&x, t, &value, &hx, &ht);
  const cplx w = t * g1 / (t * g1 + (1.0 - t) * g0);
  EXPECT_NEAR(std::abs(value - (x * x * x - (q0 + w * (q1 - q0)))), 0.0, 1e-15);
  EXPECT_GT(std::abs(w - t), 0.05);  // not the segment
  const double d = 1e-6;
  h.evaluate(&x, t + d, &plus, nullptr, nullptr);
  h.evaluate(&x, t - d, &minus, nullptr, nullptr);
  EXPECT_NEAR(std::abs(ht - (plus - minus) / (2 * d)), 0.0, 1e-8);
}

// The start solutions of the total-degree homotopy are roots of unity, all prod d_i of them, distinct.
TEST(TotalDegree, StartSolutionsAreDistinctRootsOfUnity) {
  TotalDegreeHomotopy h({3, 2}, [](const cplx*, cplx* f, cplx*) { f[0] = f[1] = 0; }, 1.0);
  ASSERT_EQ(h.pathCount(), 6);
  std::vector<std::vector<cplx>> starts;
  for (int64_t k = 0; k < 6; ++k) {
    std::vector<cplx> x(2);
    h.startSolution(k, x.data());
    EXPECT_NEAR(std::abs(std::pow(x[0], 3) - 1.0), 0.0, 1e-14);
    EXPECT_NEAR(std::abs(x[1] * x[1] - 1.0), 0.0, 1e-14);
    for (const std::vector<cplx>& s : starts) EXPECT_GT(std::abs(s[0] - x[0]) + std::abs(s[1] - x[1]), 0.5);
    starts.push_back(x);
  }
}

// Writes the endpoints of a total-degree solve and of a monodromy run, in hexadecimal floating point, to the file
// named by NAGRT_NUMERIC_REPRO_OUT; skipped when it is not set (ThreadCountDoesNotChangeResults runs it).
TEST(Reproducibility, WriteResultsForThreadComparison) {
  const char* out = std::getenv("NAGRT_NUMERIC_REPRO_OUT");
  if (!out) GTEST_SKIP() << "run by ThreadCountDoesNotChangeResults";
  std::FILE* file = std::fopen(out, "w");
  ASSERT_NE(file, nullptr);
  DenseSystem system({2, 2, 3}, 21);
  for (const PathResult& r : solveTotalDegree(system.degrees, system.function(), 22)) {
    std::fprintf(file, "%s %lld", statusName(r.status), (long long)r.steps);
    for (cplx z : r.x) std::fprintf(file, " %a %a", z.real(), z.imag());
    std::fprintf(file, "\n");
  }
  // Monodromy for x^2 + y^2 = q1, x y = q2: its four solutions in the order found.
  LambdaSystem family(2, 2, [](const cplx* x, const cplx* q, cplx* f, cplx* jx, cplx* jq) {
    f[0] = x[0] * x[0] + x[1] * x[1] - q[0];
    f[1] = x[0] * x[1] - q[1];
    if (jx) jx[0] = 2.0 * x[0], jx[1] = 2.0 * x[1], jx[2] = x[1], jx[3] = x[0];
    if (jq) jq[0] = -1.0, jq[1] = 0.0, jq[2] = 0.0, jq[3] = -1.0;
  });
  const cplx x{0.3, -0.8}, y{1.1, 0.4};
  MonodromyOptions options;
  options.seed = 23;
  MonodromyResult m = monodromySolve(family, {x * x + y * y, x * y}, {{x, y}}, options);
  std::fprintf(file, "monodromy %lld loops %lld paths\n", (long long)m.loops, (long long)m.pathsTracked);
  for (const std::vector<cplx>& solution : m.solutions) {
    for (cplx z : solution) std::fprintf(file, " %a %a", z.real(), z.imag());
    std::fprintf(file, "\n");
  }
  std::fclose(file);
}

// The same seed gives the same bits, in the same order, with NAG_THREADS=1 and NAG_THREADS=2 (the pool reads
// NAG_THREADS once per process, so each count runs in a child process).
TEST(Reproducibility, ThreadCountDoesNotChangeResults) {
  char self[4096];
  ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1);
  ASSERT_GT(length, 0);
  self[length] = '\0';
  std::string contents[2];
  for (int threads = 1; threads <= 2; ++threads) {
    std::string path = ::testing::TempDir() + "numeric_repro_" + std::to_string(threads) + ".txt";
    std::string command = "NAG_THREADS=" + std::to_string(threads) + " NAGRT_NUMERIC_REPRO_OUT=" + path + " " + std::string(self) +
                          " --gtest_filter=Reproducibility.WriteResultsForThreadComparison >/dev/null";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
    std::ifstream in(path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    contents[threads - 1] = buffer.str();
    std::remove(path.c_str());
  }
  EXPECT_EQ(std::count(contents[0].begin(), contents[0].end(), '\n'), 12 + 1 + 4);  // 12 paths, 4 solutions
  EXPECT_EQ(contents[0], contents[1]);
}

// A homotopy that says it takes h = nullptr (valueOptional) and counts the calls that pass it: the tracker's
// predictor then asks for the derivatives only, and every path must end exactly as with the value computed.
class ValueOptional : public Homotopy {
public:
  explicit ValueOptional(const Homotopy& h) : h_(h) {}
  int64_t size() const override { return h_.size(); }
  void evaluate(const cplx* x, cplx t, cplx* h, cplx* hx, cplx* ht) const override {
    std::vector<cplx> scratch(static_cast<size_t>(h_.size()));
    if (!h) ++withoutValue;
    h_.evaluate(x, t, h ? h : scratch.data(), hx, ht);
  }
  bool valueOptional() const override { return true; }
  mutable int64_t withoutValue = 0;

private:
  const Homotopy& h_;
};

TEST(Tracker, PredictorWithoutTheValueTracksTheSamePaths) {
  DenseSystem system({2, 3}, 21);
  TotalDegreeHomotopy plain(system.degrees, system.function(), std::polar(1.0, 0.7));
  ValueOptional optional(plain);
  TrackerOptions options;
  for (int64_t k = 0; k < plain.pathCount(); ++k) {
    std::vector<cplx> start(2);
    plain.startSolution(k, start.data());
    PathResult a = trackPath(plain, start.data(), options), b = trackPath(optional, start.data(), options);
    EXPECT_EQ(a.status, b.status) << "path " << k;
    EXPECT_EQ(a.steps, b.steps) << "path " << k;
    ASSERT_EQ(a.x.size(), b.x.size());
    for (size_t i = 0; i < a.x.size(); ++i) EXPECT_EQ(a.x[i], b.x[i]) << "path " << k;
  }
  EXPECT_GT(optional.withoutValue, 0);  // the predictor did skip the value
}

}  // namespace
}  // namespace nagrt::numeric
