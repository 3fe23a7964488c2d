// Tracker.cpp — one path: RK4 predictor, Newton corrector, step control, then the endgame near t = 1.
//
// The path is tracked in affine coordinates from t = 0 to t = 1 - endgameStart. The endgame then walks the
// distances s = 1 - t down geometrically; at each s it checks the growth of ||x|| (valuation: divergence), tries
// to finish straight to t = 1 while the Jacobian's condition number stays level (regular endpoints), and otherwise
// runs a Cauchy endgame: circles around t = 1 until x comes back (the winding number c), the mean of the samples
// being the endpoint (the trapezoid rule on the circle in s^(1/c)). Two estimates that agree end the path.
#include "numeric/Tracker.h"

#include "numeric/Linear.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace nagrt::numeric {

const char* statusName(PathStatus status) {
  switch (status) {
  case PathStatus::Success: return "success";
  case PathStatus::Diverged: return "diverged";
  case PathStatus::Singular: return "singular";
  case PathStatus::StepTooSmall: return "step too small";
  case PathStatus::MaxSteps: return "max steps";
  case PathStatus::EndgameFailed: return "endgame failed";
  case PathStatus::IllConditioned: return "ill conditioned";
  }
  return "unknown";
}

bool isFailure(PathStatus status) {
  return status == PathStatus::StepTooSmall || status == PathStatus::MaxSteps || status == PathStatus::EndgameFailed ||
         status == PathStatus::IllConditioned;
}

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// A Cauchy circle has closed when x is back this close (relative): far above the corrector's accuracy, far below
// the distance between branches at the radii the endgame uses.
constexpr double kClosure = 1e-6;
// A singular endpoint estimate must make ||H(x, 1)|| this small against ||H(x, 1)|| where the endgame started.
constexpr double kSingularResidual = 1e-6;

// A curve t(u), u in [0, 1], of constant speed |dt/du|: a segment, or an arc of the circle |1 - t| = s.
struct Curve {
  cplx from, delta;            // segment: t = from + u delta
  double radius = 0, angle0 = 0, sweep = 0;  // arc: t = 1 - radius exp(i (angle0 + u sweep))
  bool arc = false;

  static Curve segment(cplx a, cplx b) { return Curve{a, b - a}; }
  static Curve circleArc(double s, double angle0, double sweep) { return Curve{0, 0, s, angle0, sweep, true}; }
  cplx at(double u) const { return arc ? 1.0 - std::polar(radius, angle0 + u * sweep) : from + u * delta; }
  cplx rate(double u) const {
    return arc ? -cplx(0, sweep) * std::polar(radius, angle0 + u * sweep) : delta;
  }
  double speed() const { return arc ? radius * std::abs(sweep) : std::abs(delta); }
};

// How a leg of tracking along a curve ended.
enum class Leg { Done, Diverged, StepTooSmall, MaxSteps, IllConditioned };

// How a path ends when one of its legs stopped short of Done.
PathStatus statusOf(Leg leg) {
  switch (leg) {
  case Leg::Diverged: return PathStatus::Diverged;
  case Leg::MaxSteps: return PathStatus::MaxSteps;
  case Leg::IllConditioned: return PathStatus::IllConditioned;
  case Leg::Done:
  case Leg::StepTooSmall: break;
  }
  return PathStatus::StepTooSmall;
}

class PathTracker {
public:
  PathTracker(const Homotopy& h, const TrackerOptions& options)
      : h_(h), o_(options), n_(h.size()), valueOptional_(h.valueOptional()), lu_(n_), f_(n_), fx_(n_ * n_), ft_(n_),
        dx_(n_), xs_(n_), xm_(n_), k_(4, std::vector<cplx>(n_)) {}

  PathResult run(const cplx* start);

private:
  const Homotopy& h_;
  const TrackerOptions& o_;
  const int64_t n_;
  const bool valueOptional_;  // velocity skips H itself (the pullback's f: the network's values at every point)
  LuSolver lu_;
  std::vector<cplx> f_, fx_, ft_, dx_, xs_, xm_;
  double sigma_ = 0;  // see predict
  double rcond_ = 0;  // LAPACK's 1 / cond_1(Hx) at the start of the last prediction
  std::vector<std::vector<cplx>> k_;  // RK4 stages
  int64_t steps_ = 0;
  double step_ = 0;  // current step length in |t|, carried from leg to leg
  double reached_ = 0;  // real part of t where the last leg stopped
  std::vector<double> rowReference_;  // per row of Hx W, its largest entry where the endgame started (see condition)
  double drift_ = 0;      // ||H(x, 1)|| for x where the endgame started: how far H moves over the endgame zone

  double scale(const std::vector<cplx>& x) const { return std::max(1.0, normInf(x.data(), n_)); }

  // v = dx/du = -Hx^{-1} Ht dt/du at (x, t). False when Hx is singular or the result is not finite.
  bool velocity(const cplx* x, cplx t, cplx rate, cplx* v) {
    h_.evaluate(x, t, valueOptional_ ? nullptr : f_.data(), fx_.data(), ft_.data());
    for (int64_t i = 0; i < n_; ++i) v[i] = -ft_[i] * rate;
    if (!lu_.factorSolve(fx_.data(), v)) return false;
    return std::isfinite(normInf(v, n_));
  }

  // Newton at fixed t from x; on success x is corrected and *first is the first update's relative size. The updates
  // after the first reuse its factors of Hx (the chord method): the first update is below maxCorrection, so Hx
  // moves by about that much relative and the chord's linear rate is of that order, against Newton's quadratic
  // one; the contraction test and the tolerance are Newton's. With predictorFactors the first update reuses too:
  // the factors the predictor's last stage left in lu_, of Hx at x + du k3 and the step's end (RK4's third order
  // estimate of the point), and one more update is allowed for the chord's slower rate; the caller falls back to
  // the full correction when it fails. On the cnn3 (2,3,2) pullback (degree 192, seeds 1 and 2, 6923 paths) the
  // two cut the Jacobians a run evaluates from 1 000 000 to 660 000, and its time by a sixth.
  bool correct(std::vector<cplx>& x, cplx t, double* first, bool predictorFactors = false) {
    double previous = kInf;
    const int iterations = o_.maxNewtonIterations + (predictorFactors ? 1 : 0);
    for (int it = 0; it < iterations; ++it) {
      const bool refactor = it == 0 && !predictorFactors;
      h_.evaluate(x.data(), t, f_.data(), refactor ? fx_.data() : nullptr, nullptr);
      for (int64_t i = 0; i < n_; ++i) dx_[i] = -f_[i];
      if (!refactor)
        lu_.solve(dx_.data());
      else if (!lu_.factorSolve(fx_.data(), dx_.data()))
        return false;
      double d = normInf(dx_.data(), n_) / scale(x);
      if (!std::isfinite(d)) return false;
      for (int64_t i = 0; i < n_; ++i) x[i] += dx_[i];
      if (it == 0) {
        *first = d;
        if (d > o_.maxCorrection) return false;
      } else if (d > 0.25 * previous) {
        return atNoiseFloor(previous, d);  // not contracting: too far from the path, near another one, or noise
      }
      if (d <= o_.correctorTolerance) return true;
      previous = d;
    }
    return iterations > 1 && atNoiseFloor(previous, previous);
  }

  // Two successive Newton updates (relative) at the noise floor of double precision: both below
  // max(correctorTolerance, 10 eps cond(Hx)) and noiseFloorCap, cond(Hx) from the last factorization
  // (TrackerOptions::acceptNoiseFloor).
  bool atNoiseFloor(double previous, double d) {
    if (!o_.acceptNoiseFloor) return false;
    const double r = lu_.inverseCondition();
    if (!(r > 0)) return false;
    const double floor = std::min(o_.noiseFloorCap, std::max(o_.correctorTolerance, 10 * 2.2e-16 / r));
    return previous <= floor && d <= floor;
  }

  // The RK4 prediction from (x, u) over du into xs_; sigma_ is set to 1 / ||Hx^{-1}|| at (x, u), an estimate of the
  // Jacobian's smallest singular value there.
  bool predict(const std::vector<cplx>& x, const Curve& c, double u, double du) {
    const double nodes[4] = {0, 0.5, 0.5, 1};
    for (int s = 0; s < 4; ++s) {
      const cplx* base = x.data();
      if (s > 0) {
        for (int64_t i = 0; i < n_; ++i) xm_[i] = x[i] + nodes[s] * du * k_[s - 1][i];
        base = xm_.data();
      }
      double us = u + nodes[s] * du;
      if (!velocity(base, c.at(us), c.rate(us), k_[s].data())) return false;
      if (s == 0) {
        rcond_ = lu_.inverseCondition();
        sigma_ = rcond_ * lu_.norm();
      }
    }
    for (int64_t i = 0; i < n_; ++i)
      xs_[i] = x[i] + du / 6.0 * (k_[0][i] + 2.0 * k_[1][i] + 2.0 * k_[2][i] + k_[3][i]);
    return true;
  }

  // Tracks x along c from u = 0 to u = 1, at most `budget` steps; reached_ is set to Re t where it stopped.
  // guardCondition: stop as IllConditioned after illConditionedSteps predictions in a row above illConditioned.
  Leg track(const Curve& c, std::vector<cplx>& x, int64_t budget, bool guardCondition = false) {
    const double speed = c.speed();
    double u = 0;
    int64_t illSteps = 0;
    reached_ = c.at(0).real();
    double lastSigma = -1, lastU = 0;  // sigma_ at the previous accepted point of this leg
    for (int64_t taken = 0; u < 1; ++taken) {
      if (steps_ >= o_.maxSteps || taken >= budget) return Leg::MaxSteps;
      ++steps_;
      double du = std::min(1.0 - u, std::min(step_, o_.maxStep) / speed);
      double first = kInf;
      bool ok = predict(x, c, u, du);
      if (guardCondition && ok) {
        illSteps = rcond_ * o_.illConditioned < 1.0 ? illSteps + 1 : 0;
        if (illSteps >= o_.illConditionedSteps) return Leg::IllConditioned;
      }
      if (ok && lastSigma > 0 && sigma_ < lastSigma) {
        // sigma falls toward zero at u + sigma / slope (linearly extrapolated): stay well short of it.
        double reach = o_.approachGuard * sigma_ * (u - lastU) / (lastSigma - sigma_);
        if (du > reach * 1.01) {
          step_ = std::max(reach * speed, 0.0);
          if (step_ < o_.minStep) return Leg::StepTooSmall;
          continue;
        }
      }
      if (ok) {
        // The chord on the predictor's factors first; from the prediction again with fresh factors when it fails.
        xm_ = xs_;
        ok = correct(xs_, c.at(u + du), &first, true);
        if (!ok) {
          xs_.swap(xm_);
          ok = correct(xs_, c.at(u + du), &first);
        }
        if (ok) x.swap(xs_);
      }
      if (!ok) {
        step_ *= 0.5;
        if (step_ < o_.minStep) return Leg::StepTooSmall;
        continue;
      }
      lastSigma = sigma_;
      lastU = u;
      u = (du >= 1.0 - u) ? 1.0 : u + du;
      reached_ = c.at(u).real();
      if (normInf(x.data(), n_) > o_.maxNorm) return Leg::Diverged;
      // RK4's local error grows like step^5: aim the next first correction at predictorTarget.
      double factor = first > 0 ? 0.8 * std::pow(o_.predictorTarget / first, 0.2) : 2.0;
      step_ = std::min(o_.maxStep, step_ * std::clamp(factor, 0.5, 2.0));
    }
    return Leg::Done;
  }

  // The condition number of Hx at (x, t) in the problem's own scales, infinity when Hx is singular: that of
  // B = D Hx W with W = diag(max(1, |x_j|)) (each unknown relative to its size) and D = diag(1 / max(r_i, ref_i)),
  // r_i the largest entry of row i of Hx W (each equation relative to its size) and ref_i that of the same row
  // where the endgame started (rowReference_; none before the endgame): ||B^{-1}|| max(||B||, 1). A row that grows
  // is scaled to 1; a row that shrinks below its size at the start of the endgame is not, so that a Jacobian that
  // shrinks toward a singular endpoint counts (always the case in one unknown: x^2 = s has Hx = 2x). The raw
  // ||Hx^{-1}|| ||Hx|| called regular endpoints of large norm singular: a critical point of the Frobenius distance
  // on the rank-one 2 x 2 x 2 tensors, ||x|| ~ 1e4, has raw condition 1e10-1e12 and 3e2-5e3 in these scales, and
  // monodromy admits only regular endpoints.
  double condition(const std::vector<cplx>& x, cplx t, bool setReference = false) {
    h_.evaluate(x.data(), t, f_.data(), fx_.data(), nullptr);
    if (setReference) rowReference_.assign(size_t(n_), 0.0);
    for (int64_t i = 0; i < n_; ++i) {
      cplx* row = fx_.data() + i * n_;
      double r = 0;
      for (int64_t j = 0; j < n_; ++j) {
        row[j] *= std::max(1.0, std::abs(x[size_t(j)]));
        r = std::max(r, std::abs(row[j]));
      }
      if (setReference) rowReference_[size_t(i)] = r;
      if (!rowReference_.empty()) r = std::max(r, rowReference_[size_t(i)]);
      if (!(r > 0) || !std::isfinite(r)) continue;  // a zero row: B is singular; not finite: factor refuses
      for (int64_t j = 0; j < n_; ++j) row[j] /= r;
    }
    if (!lu_.factor(fx_.data())) return kInf;
    double r = lu_.inverseCondition();
    return r > 0 ? std::max(lu_.norm(), 1.0) / (r * lu_.norm()) : kInf;
  }

  // Newton at t = 1 until the update stops shrinking; true when it ends below correctorTolerance.
  bool refine(std::vector<cplx>& x) {
    double previous = kInf;
    for (int it = 0; it < 8; ++it) {
      h_.evaluate(x.data(), 1.0, f_.data(), fx_.data(), nullptr);
      for (int64_t i = 0; i < n_; ++i) dx_[i] = -f_[i];
      if (!lu_.factorSolve(fx_.data(), dx_.data())) return false;
      double d = normInf(dx_.data(), n_) / scale(x);
      if (!std::isfinite(d)) return previous <= o_.correctorTolerance;
      if (d > 0.5 * previous) return previous <= o_.correctorTolerance || atNoiseFloor(previous, d);
      for (int64_t i = 0; i < n_; ++i) x[i] += dx_[i];
      if (d < 1e-15) return true;
      previous = d;
    }
    return previous <= o_.correctorTolerance || atNoiseFloor(previous, previous);
  }

  // Circles of radius s around t = 1 from x(1 - s) until x comes back: the mean of the samples into p and the
  // number of circles into winding. False when tracking fails or x does not come back within maxWinding circles.
  bool cauchy(const std::vector<cplx>& x0, double s, std::vector<cplx>& p, int& winding) {
    std::vector<cplx> x(x0), sum(n_, 0.0);
    const int m = o_.cauchySamples;
    const double sweep = 2.0 * M_PI / m;
    step_ = std::min(step_, s * sweep);
    for (int loop = 1; loop <= o_.maxWinding; ++loop) {
      for (int j = 0; j < m; ++j) {
        for (int64_t i = 0; i < n_; ++i) sum[i] += x[i];
        if (track(Curve::circleArc(s, j * sweep, sweep), x, o_.cauchyArcSteps) != Leg::Done) return false;
      }
      double gap = 0;
      for (int64_t i = 0; i < n_; ++i) gap = std::max(gap, std::abs(x[i] - x0[i]));
      if (gap <= kClosure * scale(x0)) {
        winding = loop;
        p.resize(n_);
        for (int64_t i = 0; i < n_; ++i) p[i] = sum[i] / double(loop * m);
        return true;
      }
    }
    return false;
  }

  PathResult finish(PathStatus status, std::vector<cplx>& x, double t, int winding);
  PathResult endgame(std::vector<cplx>& x);
};

PathResult PathTracker::finish(PathStatus status, std::vector<cplx>& x, double t, int winding) {
  PathResult r;
  r.status = status;
  r.t = t;
  r.steps = steps_;
  r.winding = winding;
  h_.evaluate(x.data(), t, f_.data(), fx_.data(), nullptr);
  double jac = 0;
  for (int64_t i = 0; i < n_; ++i) {
    double row = 0;
    for (int64_t j = 0; j < n_; ++j) row += std::abs(fx_[i * n_ + j]);
    jac = std::max(jac, row);
  }
  double denominator = jac * scale(x);
  r.residual = normInf(f_.data(), n_) / (denominator > 0 ? denominator : 1.0);
  r.x = std::move(x);
  r.condition = condition(r.x, t);
  return r;
}

PathResult PathTracker::endgame(std::vector<cplx>& x) {
  const double ratio = o_.endgameRatio;
  double s = o_.endgameStart;
  const double startNorm = scale(x);
  rowReference_.clear();
  condition(x, 1.0 - s, true);
  h_.evaluate(x.data(), 1.0, f_.data(), nullptr, nullptr);
  drift_ = normInf(f_.data(), n_);
  double lastNorm = normInf(x.data(), n_), lastCondition = condition(x, 1.0 - s);
  int growing = 0;        // consecutive steps of s with a negative valuation estimate
  std::vector<cplx> estimate, previousEstimate;
  int previousWinding = 0;
  bool triedStraight = false;  // the straight track to t = 1 without a level condition (below)
  while (s * ratio >= o_.endgameMinDistance) {
    // The condition guard holds on these segments too (TrackerOptions::illConditioned), not on the circles or the
    // straight track to t = 1, and not while ||x|| grows: the raw condition of a path going to infinity grows like
    // a power of ||x|| (the ED system's: 1e14 at ||x|| ~ 1e5, 1000-fold growth not yet reached).
    Leg leg = track(Curve::segment(1.0 - s, 1.0 - s * ratio), x, o_.maxSteps, growing == 0);
    if (leg != Leg::Done) {
      // A path that was going to infinity (the last two rounds' valuations negative, still growing on this
      // segment, and beyond divergenceGrowth) stops where double precision gives out (the raw condition grows
      // like a power of ||x||): it diverged. The ED system's paths to its points at infinity end so at ||x|| ~ 1e5.
      const double norm = normInf(x.data(), n_);
      if (growing >= 2 && norm > lastNorm && norm > o_.divergenceGrowth * startNorm)
        return finish(PathStatus::Diverged, x, reached_, 1);
      return finish(statusOf(leg), x, reached_, 1);
    }
    s *= ratio;
    // ||x|| ~ s^v near t = 1: v < 0 is a path going to infinity.
    double norm = normInf(x.data(), n_);
    double valuation = (norm > 0 && lastNorm > 0) ? std::log(norm / lastNorm) / std::log(ratio) : 0.0;
    growing = valuation < -0.05 ? growing + 1 : 0;
    lastNorm = norm;
    if (growing >= 3 && norm > o_.divergenceGrowth * startNorm) return finish(PathStatus::Diverged, x, 1.0 - s, 1);
    if (growing > 0) continue;
    double cond = condition(x, 1.0 - s);
    bool level = cond <= 1.5 * lastCondition;
    lastCondition = cond;
    // A level condition says the endpoint is regular: go straight to t = 1 and refine there. Once per path the
    // straight track is tried without it too: a regular endpoint whose condition still grows at 1 - s was sent
    // to the Cauchy endgame, whose circles then spent every step left when they enclosed another branch point
    // (pmlp (3,5,1) t^4: condition 3e3 -> 1e4 at s = 0.025, 20 000 steps of circles that never closed).
    // The acceptance is the same either way (Newton converges at t = 1 and the condition is below
    // singularCondition), and a singular endpoint fails it and goes on to the circles.
    if (level || !triedStraight) {
      if (!level) triedStraight = true;
      std::vector<cplx> y(x);
      double saved = step_;
      Leg straight = track(Curve::segment(1.0 - s, 1.0), y, 200);
      if (straight == Leg::Diverged) return finish(PathStatus::Diverged, y, reached_, 1);
      if (straight == Leg::Done && refine(y) && condition(y, 1.0) < o_.singularCondition)
        return finish(PathStatus::Success, y, 1.0, 1);
      step_ = saved;  // not regular after all: on to the Cauchy endgame
    }
    int winding = 0;
    double saved = step_;
    if (!cauchy(x, s, estimate, winding)) {
      previousWinding = 0;
      step_ = saved;
      continue;
    }
    step_ = saved;
    if (winding == previousWinding) {
      double gap = 0;
      for (int64_t i = 0; i < n_; ++i) gap = std::max(gap, std::abs(estimate[i] - previousEstimate[i]));
      if (gap <= o_.endgameTolerance * scale(estimate)) {
        if (winding == 1) {
          std::vector<cplx> y(estimate);
          if (refine(y) && condition(y, 1.0) < o_.singularCondition) return finish(PathStatus::Success, y, 1.0, 1);
        }
        // Circles that enclose a branch point other than t = 1 give estimates that agree (Cauchy's theorem on
        // the cover) but are no solution: accept only an estimate where H(., 1) is small against its drift.
        h_.evaluate(estimate.data(), 1.0, f_.data(), nullptr, nullptr);
        if (normInf(f_.data(), n_) <= kSingularResidual * drift_)
          return finish(PathStatus::Singular, estimate, 1.0, winding);
      }
    }
    previousEstimate.swap(estimate);
    previousWinding = winding;
  }
  return finish(PathStatus::EndgameFailed, x, 1.0 - s, 1);
}

PathResult PathTracker::run(const cplx* start) {
  std::vector<cplx> x(start, start + n_);
  step_ = o_.initialStep;
  rowReference_.clear();
  double tEnd = 1.0 - o_.endgameStart;
  Leg leg = track(Curve::segment(0.0, tEnd), x, o_.maxSteps, true);
  return leg == Leg::Done ? endgame(x) : finish(statusOf(leg), x, reached_, 1);
}

}  // namespace

PathResult trackPath(const Homotopy& h, const cplx* start, const TrackerOptions& options) {
  return PathTracker(h, options).run(start);
}

}  // namespace nagrt::numeric
