// Optimize.cpp — gradient descent, Adam, L-BFGS and Newton-CG with line searches on HVPs, and gradient flow by Dormand-Prince.
#include "train/Optimize.h"

#include "CliSupport.h"
#include "Dim.h"

#include <algorithm>
#include <cmath>

namespace nagrt::train {

namespace {

constexpr double kExplode = 1e8;         // the loss above kExplode * max(L(theta0), 1) is a divergence
constexpr double kArmijo = 1e-4;         // sufficient decrease of the line searches
constexpr int kHalvings = 60;            // backtracking steps before a line search gives up
constexpr size_t kMemory = 10;           // L-BFGS pairs kept
constexpr double kBeta1 = 0.9, kBeta2 = 0.999, kEpsilon = 1e-8;  // Adam (Kingma and Ba's defaults)
constexpr int64_t kMaxFlowSteps = 10000000;

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

double norm(const std::vector<double>& a) { return std::sqrt(dot(a, a)); }

// The current point: loss and gradient at s.theta.
struct Point {
  double loss = 0;
  std::vector<double> g;
  double gn = 0;
};

class Runner {
public:
  Runner(Objective& f, const TrainOptions& o, const std::vector<Conserved>& q, TrainState& s)
      : f_(f), o_(o), q_(q), s_(s), P_(f.params()) {}

  void run(const StepHook& hook) {
    at(s_.theta);
    if (s_.step == 0 && s_.trajectory.rows == 0) {
      s_.loss0 = p_.loss;
      s_.theta0 = s_.theta;
      s_.drift.assign(q_.size(), 0.0);
      checkFinite();
      record();
    }
    double T = o_.time > 0 ? o_.time : double(o_.steps) * o_.lr;
    for (;;) {
      if (!o_.flow && p_.gn <= o_.tol) return stop("converged");
      if (!o_.flow && s_.step >= o_.steps) return stop("steps");
      if (o_.flow && s_.time >= T) return stop("time");
      bool moved = o_.flow ? flowStep(T)
                   : o_.optimizer == "gd" ? gd()
                   : o_.optimizer == "adam" ? adam()
                   : o_.optimizer == "lbfgs" ? lbfgs()
                                              : newton();
      if (!moved) return stop("no_decrease");
      ++s_.step;
      checkFinite();
      for (size_t k = 0; k < q_.size(); ++k) {
        double scale = q_[k].scale(s_.theta0.data());
        double d = std::fabs(q_[k].value(s_.theta.data()) - q_[k].value(s_.theta0.data())) / (scale > 0 ? scale : 1.0);
        s_.drift[k] = std::max(s_.drift[k], d);
      }
      if (o_.record > 0 && s_.step % o_.record == 0) record();
      if (!hook(s_, p_.loss, p_.gn)) return stop("interrupted");
    }
  }

private:
  Objective& f_;
  const TrainOptions& o_;
  const std::vector<Conserved>& q_;
  TrainState& s_;
  int64_t P_;
  Point p_;

  void stop(const char* why) { s_.stopped = why; }

  void at(const std::vector<double>& theta) {
    p_.g.resize(static_cast<size_t>(P_));
    p_.loss = f_.gradient(theta.data(), p_.g.data());
    p_.gn = norm(p_.g);
  }

  void checkFinite() {
    double limit = kExplode * std::max(s_.loss0, 1.0);
    if (std::isfinite(p_.loss) && std::isfinite(p_.gn) && p_.loss <= limit) return;
    std::string what = std::isfinite(p_.loss) ? "grew to " + jsonShort(p_.loss) + " (above 1e8 x max(initial loss, 1))"
                                              : std::string("is not finite");
    if (std::isfinite(p_.loss) && !std::isfinite(p_.gn)) what = "has a gradient that is not finite";
    std::string advice = o_.flow ? "raise the accuracy (--tol) or shorten --time"
                         : o_.optimizer == "gd" || o_.optimizer == "adam"
                             ? "choose a smaller --lr (now " + jsonShort(o_.lr) + ")"
                             : "start elsewhere (--theta, --seed, --init-scale)";
    throw Error("train: the run diverged at step " + std::to_string(s_.step) + ": the loss " + what +
                "; it was " + jsonShort(s_.loss0) + " at the start; " + advice);
  }

  void record() {
    Matrix& t = s_.trajectory;
    t.cols = 4 + P_ + int64_t(q_.size());
    t.data.push_back(double(s_.step));
    t.data.push_back(s_.time);
    t.data.push_back(p_.loss);
    t.data.push_back(p_.gn);
    t.data.insert(t.data.end(), s_.theta.begin(), s_.theta.end());
    for (const Conserved& c : q_) t.data.push_back(c.value(s_.theta.data()));
    ++t.rows;
  }

  bool gd() {
    for (int64_t i = 0; i < P_; ++i) s_.theta[size_t(i)] -= o_.lr * p_.g[size_t(i)];
    s_.time += o_.lr;
    at(s_.theta);
    return true;
  }

  bool adam() {
    if (s_.m.empty()) s_.m.assign(size_t(P_), 0.0), s_.v.assign(size_t(P_), 0.0);
    double t = double(s_.step + 1);
    double c1 = 1 - std::pow(kBeta1, t), c2 = 1 - std::pow(kBeta2, t);
    for (size_t i = 0; i < size_t(P_); ++i) {
      double g = p_.g[i];
      s_.m[i] = kBeta1 * s_.m[i] + (1 - kBeta1) * g;
      s_.v[i] = kBeta2 * s_.v[i] + (1 - kBeta2) * g * g;
      s_.theta[i] -= o_.lr * (s_.m[i] / c1) / (std::sqrt(s_.v[i] / c2) + kEpsilon);
    }
    s_.time += o_.lr;
    at(s_.theta);
    return true;
  }

  // Backtracking from alpha along d (Armijo); moves and returns true on success.
  bool lineSearch(const std::vector<double>& d, double alpha) {
    double slope = dot(p_.g, d);
    std::vector<double> trial(static_cast<size_t>(P_));
    for (int k = 0; k < kHalvings; ++k, alpha *= 0.5) {
      for (size_t i = 0; i < size_t(P_); ++i) trial[i] = s_.theta[i] + alpha * d[i];
      double l = f_.value(trial.data());
      if (std::isfinite(l) && l <= p_.loss + kArmijo * alpha * slope) {
        s_.theta.swap(trial);
        s_.time += alpha;
        return true;
      }
    }
    return false;
  }

  // The first trial step along d: the minimizer of the quadratic model
  // L + alpha g.d + alpha^2/2 d^T H d when its curvature (an HVP) is positive, else 1.
  double newtonStepAlong(const std::vector<double>& d) {
    std::vector<double> hd(static_cast<size_t>(P_));
    f_.hvp(s_.theta.data(), d.data(), hd.data());
    double c = dot(d, hd), slope = dot(p_.g, d);
    return c > 0 && std::isfinite(c) ? -slope / c : 1.0;
  }

  bool lbfgs() {
    std::vector<double> d = p_.g;  // two-loop recursion: d = -H_k g
    size_t k = s_.s.size();
    std::vector<double> a(k);
    for (size_t i = k; i-- > 0;) {
      a[i] = dot(s_.s[i], d) / dot(s_.y[i], s_.s[i]);
      for (size_t j = 0; j < d.size(); ++j) d[j] -= a[i] * s_.y[i][j];
    }
    if (k) {
      double gamma = dot(s_.s[k - 1], s_.y[k - 1]) / dot(s_.y[k - 1], s_.y[k - 1]);
      for (double& v : d) v *= gamma;
    }
    for (size_t i = 0; i < k; ++i) {
      double b = dot(s_.y[i], d) / dot(s_.y[i], s_.s[i]);
      for (size_t j = 0; j < d.size(); ++j) d[j] += (a[i] - b) * s_.s[i][j];
    }
    for (double& v : d) v = -v;
    if (!(dot(d, p_.g) < 0)) {  // not a descent direction: forget the history
      s_.s.clear();
      s_.y.clear();
      d = p_.g;
      for (double& v : d) v = -v;
    }
    std::vector<double> theta = s_.theta, g = p_.g;
    if (!lineSearch(d, newtonStepAlong(d))) return false;
    at(s_.theta);
    std::vector<double> sv(static_cast<size_t>(P_)), yv(static_cast<size_t>(P_));
    for (size_t i = 0; i < size_t(P_); ++i) sv[i] = s_.theta[i] - theta[i], yv[i] = p_.g[i] - g[i];
    if (dot(sv, yv) > 1e-12 * norm(sv) * norm(yv)) {
      s_.s.push_back(std::move(sv));
      s_.y.push_back(std::move(yv));
      if (s_.s.size() > kMemory) s_.s.erase(s_.s.begin()), s_.y.erase(s_.y.begin());
    }
    return true;
  }

  // Newton-CG (Nocedal and Wright, Algorithm 7.1): CG on H p = -g with HVPs,
  // to the relative residual min(1/100, |g|) (quadratic convergence near a
  // nondegenerate minimum), stopped at negative curvature.
  bool newton() {
    std::vector<double> z(size_t(P_), 0.0), r = p_.g, d(static_cast<size_t>(P_)), hd(static_cast<size_t>(P_));
    for (size_t i = 0; i < d.size(); ++i) d[i] = -r[i];
    double eps = std::min(1e-2, p_.gn) * p_.gn;
    for (int64_t j = 0; j < 2 * P_ + 1; ++j) {
      f_.hvp(s_.theta.data(), d.data(), hd.data());
      double c = dot(d, hd);
      if (!(c > 0)) {
        if (j == 0) z = d;  // negative curvature at once: steepest descent
        break;
      }
      double rr = dot(r, r), alpha = rr / c;
      for (size_t i = 0; i < z.size(); ++i) z[i] += alpha * d[i], r[i] += alpha * hd[i];
      if (norm(r) <= eps) break;
      double beta = dot(r, r) / rr;
      for (size_t i = 0; i < d.size(); ++i) d[i] = -r[i] + beta * d[i];
    }
    if (!lineSearch(z, 1.0)) return false;
    at(s_.theta);
    return true;
  }

  // One accepted Dormand-Prince 5(4) step of theta' = -grad L (FSAL: the last
  // stage is the gradient at the new point), error per component against
  // tol (1 + |theta_i|), rejected steps retried with a smaller h.
  bool flowStep(double T) {
    static const double a[7][6] = {{0},
                                   {1.0 / 5},
                                   {3.0 / 40, 9.0 / 40},
                                   {44.0 / 45, -56.0 / 15, 32.0 / 9},
                                   {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
                                   {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
                                   {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84}};
    static const double e[7] = {35.0 / 384 - 5179.0 / 57600, 0, 500.0 / 1113 - 7571.0 / 16695,
                                125.0 / 192 - 393.0 / 640, -2187.0 / 6784 + 92097.0 / 339200,
                                11.0 / 84 - 187.0 / 2100, -1.0 / 40};
    if (s_.step >= kMaxFlowSteps)
      throw Error("train --flow: " + std::to_string(kMaxFlowSteps) + " steps did not reach time " + jsonShort(T) +
                  " (the flow is stiff here); raise --tol or shorten --time");
    if (s_.h <= 0) s_.h = std::min(T, o_.lr > 0 ? o_.lr : 1e-3);
    std::vector<std::vector<double>> k(7, std::vector<double>(size_t(P_)));
    for (size_t i = 0; i < size_t(P_); ++i) k[0][i] = -p_.g[i];
    std::vector<double> y(static_cast<size_t>(P_)), g(static_cast<size_t>(P_));
    for (;;) {
      double h = std::min(s_.h, T - s_.time);
      for (int st = 1; st < 7; ++st) {
        for (size_t i = 0; i < size_t(P_); ++i) {
          double acc = 0;
          for (int j = 0; j < st; ++j) acc += a[st][j] * k[size_t(j)][i];
          y[i] = s_.theta[i] + h * acc;
        }
        double l = f_.gradient(y.data(), g.data());
        for (size_t i = 0; i < size_t(P_); ++i) k[size_t(st)][i] = -g[i];
        if (st == 6) p_.loss = l;
      }
      double err = 0;
      for (size_t i = 0; i < size_t(P_); ++i) {
        double ei = 0;
        for (int j = 0; j < 7; ++j) ei += e[j] * k[size_t(j)][i];
        double w = o_.tol * (1 + std::max(std::fabs(s_.theta[i]), std::fabs(y[i])));
        err = std::max(err, std::fabs(h * ei) / w);
      }
      double factor = err > 0 ? std::min(5.0, std::max(0.2, 0.9 * std::pow(err, -0.2))) : 5.0;
      if (!std::isfinite(err)) factor = 0.2;
      if (err <= 1) {
        s_.theta = y;
        s_.time = h == T - s_.time ? T : s_.time + h;
        s_.h = h * factor;
        p_.g = g;
        p_.gn = norm(g);
        return true;
      }
      ++s_.rejected;
      s_.h = h * factor;
      if (s_.h < 1e-14 * std::max(1.0, s_.time))
        throw Error("train --flow: the step size fell below 1e-14 at time " + jsonShort(s_.time) +
                    " (the flow blows up or the tolerance is below rounding); raise --tol");
    }
  }
};

}  // namespace

void run(Objective& f, const TrainOptions& o, const std::vector<Conserved>& q, TrainState& s, const StepHook& hook) {
  Runner(f, o, q, s).run(hook);
}

std::vector<std::string> trajectoryColumns(const nag_model& m, const std::vector<Conserved>& q) {
  std::vector<std::string> c{"step", "time", "loss", "grad_norm"};
  for (int64_t i = 0; i < m.param_count; ++i) c.push_back(parameterName(m, i));
  for (const Conserved& k : q) c.push_back("Q: " + k.name);
  return c;
}

}  // namespace nagrt::train
