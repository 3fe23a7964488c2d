// Homotopy.cpp — the parameter-segment and total-degree homotopies, and the random complex numbers they start from.
#include "numeric/Homotopy.h"

#include "Runtime.h"

#include <cmath>
#include <string>

namespace nagrt::numeric {

namespace {

// z^k by repeated squaring (std::pow goes through exp and log).
cplx integerPower(cplx z, int k) {
  cplx result = 1.0;
  for (; k > 0; k >>= 1, z *= z)
    if (k & 1) result *= z;
  return result;
}

}  // namespace

SegmentHomotopy::SegmentHomotopy(const ParametricSystem& system, std::vector<cplx> q0, std::vector<cplx> q1, cplx g0,
                                 cplx g1)
    : system_(system), q0_(std::move(q0)), dq_(std::move(q1)), g0_(g0), g1_(g1), straight_(g0 == g1) {
  int64_t p = system_.parameters();
  if (int64_t(q0_.size()) != p || int64_t(dq_.size()) != p)
    throw Error("internal error: SegmentHomotopy needs " + std::to_string(p) + " parameters at each end, got " +
                std::to_string(q0_.size()) + " and " + std::to_string(dq_.size()));
  if (g0 == 0.0 || g1 == 0.0) throw Error("internal error: SegmentHomotopy needs nonzero gammas");
  for (int64_t j = 0; j < p; ++j) dq_[j] -= q0_[j];
}

void SegmentHomotopy::evaluate(const cplx* x, cplx t, cplx* h, cplx* hx, cplx* ht) const {
  const int64_t n = system_.unknowns(), p = system_.parameters();
  // w(t) = t g1 / d, d = t g1 + (1-t) g0, w'(t) = g0 g1 / d^2.
  cplx w = t, dw = 1.0;
  if (!straight_) {
    const cplx d = t * g1_ + (1.0 - t) * g0_;
    w = t * g1_ / d;
    dw = g0_ * g1_ / (d * d);
  }
  thread_local std::vector<cplx> q, jq;  // reused: the tracker calls this millions of times
  q.resize(size_t(p));
  if (ht) jq.resize(size_t(n * p));
  for (int64_t j = 0; j < p; ++j) q[j] = q0_[j] + w * dq_[j];
  system_.evaluate(x, q.data(), h, hx, ht ? jq.data() : nullptr);
  if (!ht) return;
  // dH/dt = dF/dq . dq/dw . dw/dt
  for (int64_t i = 0; i < n; ++i) {
    cplx s = 0;
    for (int64_t j = 0; j < p; ++j) s += jq[i * p + j] * dq_[j];
    ht[i] = s * dw;
  }
}

TotalDegreeHomotopy::TotalDegreeHomotopy(std::vector<int> degrees, PolynomialFn f, cplx gamma)
    : degrees_(std::move(degrees)), f_(std::move(f)), gamma_(gamma) {
  for (int d : degrees_)
    if (d < 1) throw Error("internal error: TotalDegreeHomotopy needs degrees >= 1, got " + std::to_string(d));
}

int64_t TotalDegreeHomotopy::pathCount() const {
  int64_t count = 1;
  for (int d : degrees_) {
    if (count > (int64_t(1) << 62) / d)
      throw Error("the Bezout number of this system exceeds 2^62 paths; use another start system");
    count *= d;
  }
  return count;
}

void TotalDegreeHomotopy::startSolution(int64_t k, cplx* x) const {
  for (size_t i = 0; i < degrees_.size(); ++i) {
    int64_t d = degrees_[i], digit = k % d;
    k /= d;
    x[i] = std::polar(1.0, 2.0 * M_PI * double(digit) / double(d));
  }
}

void TotalDegreeHomotopy::evaluate(const cplx* x, cplx t, cplx* h, cplx* hx, cplx* ht) const {
  const int64_t n = size();
  std::vector<cplx> f(n), g(n), dg(n);
  f_(x, f.data(), hx);  // hx holds dF/dx for now
  for (int64_t i = 0; i < n; ++i) {
    cplx power = integerPower(x[i], degrees_[i] - 1);
    g[i] = power * x[i] - 1.0;
    dg[i] = double(degrees_[i]) * power;
  }
  const cplx a = (1.0 - t) * gamma_;
  for (int64_t i = 0; i < n; ++i) {
    h[i] = a * g[i] + t * f[i];
    if (ht) ht[i] = f[i] - gamma_ * g[i];
  }
  if (hx) {
    for (int64_t k = 0; k < n * n; ++k) hx[k] *= t;
    for (int64_t i = 0; i < n; ++i) hx[i * n + i] += a * dg[i];
  }
}

cplx randomComplex(Random& rng) {
  double re = rng.uniform();
  return {re, rng.uniform()};
}

cplx randomUnitComplex(Random& rng) { return std::polar(1.0, M_PI * rng.uniform()); }

}  // namespace nagrt::numeric
