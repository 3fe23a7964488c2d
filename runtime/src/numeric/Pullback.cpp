// Pullback.cpp — the sliced image of a compiled network as a parametric system, and the charts it is written in.
#include "numeric/Pullback.h"
#include "numeric/Linear.h"

#include "Runtime.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>

namespace nagrt::numeric {

namespace {

std::vector<cplx> randomVector(Random& rng, int64_t n, double scale = 1.0) {
  std::vector<cplx> v(static_cast<size_t>(n));
  for (cplx& c : v) c = scale * randomComplex(rng);
  return v;
}

// |det| of a small integer matrix (Bareiss: exact in 128-bit integers for
// the entries of symmetry generators, which are small exponents).
int64_t absDeterminant(std::vector<std::vector<__int128>> a) {
  size_t n = a.size();
  __int128 prev = 1;
  int sign = 1;
  for (size_t k = 0; k < n; ++k) {
    size_t pivot = k;
    while (pivot < n && a[pivot][k] == 0) ++pivot;
    if (pivot == n) return 0;
    if (pivot != k) {
      std::swap(a[pivot], a[k]);
      sign = -sign;
    }
    for (size_t i = k + 1; i < n; ++i)
      for (size_t j = k + 1; j < n; ++j) a[i][j] = (a[i][j] * a[k][k] - a[i][k] * a[k][j]) / prev;
    prev = a[k][k];
  }
  __int128 d = a[n - 1][n - 1] * sign;
  if (d < 0) d = -d;
  return d > __int128(INT64_MAX) ? INT64_MAX : int64_t(d);
}

}  // namespace

ParameterChart randomSlice(int64_t P, int64_t k, uint64_t seed) {
  Random rng(streamState(seed, 0x51));
  ParameterChart c;
  c.k = k;
  c.base = randomVector(rng, P);
  // Columns of size ~1, so that z of size ~1 moves θ by ~1.
  c.basis = randomVector(rng, P * k, 1.0 / std::sqrt(double(std::max<int64_t>(P, 1))));
  c.start.assign(size_t(k), cplx(0));
  c.description = "random affine slice of parameter space of dimension " + std::to_string(k);
  return c;
}

Gauge diagonalGauge(const nag_model& m) {
  Gauge g;
  int64_t s = 0;
  for (int32_t i = 0; i < m.num_symmetries; ++i) s += m.symmetries[i].dimension;
  if (s == 0) {
    g.ok = true;
    return g;
  }
  // Generators of each symmetry, as exponent vectors a_i (ξ_i(θ)_j = a_ij θ_j).
  std::vector<std::map<int64_t, int64_t>> exps;
  std::vector<int64_t> perSymmetry(size_t(m.num_symmetries), 0);
  for (int64_t k = 0; k < m.num_generators; ++k) {
    const nag_generator& gen = m.generators[k];
    std::map<int64_t, int64_t> a;
    for (int64_t t = 0; t < gen.num_terms; ++t) {
      int64_t row = gen.terms[3 * t], col = gen.terms[3 * t + 1], coeff = gen.terms[3 * t + 2];
      if (row != col) {
        g.reason = std::string("the symmetry '") + m.symmetries[gen.symmetry].description +
                   "' is not a rescaling of coordinates (its generators are not diagonal); a gauge for it is not "
                   "implemented";
        return g;
      }
      a[row] += coeff;
    }
    exps.push_back(a);
    ++perSymmetry[size_t(gen.symmetry)];
  }
  for (int32_t i = 0; i < m.num_symmetries; ++i)
    if (perSymmetry[size_t(i)] != m.symmetries[i].dimension) {
      g.reason = std::string("the symmetry '") + m.symmetries[i].description + "' has " +
                 std::to_string(perSymmetry[size_t(i)]) + " generators for dimension " +
                 std::to_string(m.symmetries[i].dimension) + " (its list was too long to emit)";
      return g;
    }
  // For generator i a coordinate with exponent ±1 there that no later
  // generator moves: the exponent matrix is then triangular with ±1 on the diagonal.
  std::vector<bool> taken(size_t(m.param_count), false);
  for (size_t i = 0; i < exps.size(); ++i) {
    int64_t best = -1;
    for (auto [j, a] : exps[i]) {
      if (a == 0 || taken[size_t(j)]) continue;
      bool later = false;
      for (size_t l = i + 1; l < exps.size() && !later; ++l) later = exps[l].count(j) && exps[l].at(j) != 0;
      if (!later && std::llabs(a) == 1) {
        best = j;
        break;
      }
      if (best < 0) best = j;
    }
    if (best < 0) {
      g.reason = "no coordinate is left to fix for generator " + std::to_string(i + 1);
      return g;
    }
    taken[size_t(best)] = true;
    g.fixed.push_back(best);
  }
  std::vector<std::vector<__int128>> a(exps.size(), std::vector<__int128>(exps.size(), 0));
  for (size_t i = 0; i < exps.size(); ++i)
    for (size_t j = 0; j < exps.size(); ++j) {
      auto it = exps[i].find(g.fixed[j]);
      a[i][j] = it == exps[i].end() ? 0 : it->second;
    }
  g.stabilizer = absDeterminant(a);
  if (g.stabilizer == 0) {
    g.reason = "the fixed coordinates do not cut the orbits transversally (exponent determinant 0)";
    return g;
  }
  g.ok = true;
  return g;
}

ParameterChart gaugeChart(const nag_model& m, const Gauge& g, uint64_t seed) {
  Random rng(streamState(seed, 0x6A));
  int64_t P = m.param_count;
  std::vector<bool> fixed(size_t(P), false);
  for (int64_t j : g.fixed) fixed[size_t(j)] = true;
  ParameterChart c;
  c.base.assign(size_t(P), cplx(0));
  c.k = P - int64_t(g.fixed.size());
  c.basis.assign(size_t(P * c.k), cplx(0));
  int64_t col = 0;
  for (int64_t j = 0; j < P; ++j) {
    if (fixed[size_t(j)]) {
      c.base[size_t(j)] = 1;
      continue;
    }
    c.basis[size_t(j * c.k + col)] = 1;
    ++col;
  }
  c.start = randomVector(rng, c.k);
  c.description = g.fixed.empty() ? std::string("all parameters (no continuous symmetry)")
                                  : "gauge: " + std::to_string(g.fixed.size()) + " coordinates fixed to 1";
  return c;
}

PullbackSystem::PullbackSystem(const nag_model& m, ParameterChart chart, int64_t points, uint64_t seed)
    : m_(m), chart_(std::move(chart)), points_(points), outputs_(m.output.size), P_(m.param_count) {
  if (!m.eval_complex || !m.jac_theta_complex)
    throw Error(std::string("network '") + m.name + "' has no complex kernels for the path tracker: " +
                (std::strcmp(m.algebraic_class, "non-algebraic") == 0
                     ? std::string("it is non-algebraic")
                     : kernelsLeftOut(m)));
  Random rng(streamState(seed, 0x7B));
  x_ = randomVector(rng, points_ * m.input_size);
  int64_t n = coordinates();
  // Rows of norm ~1: each equation is an average of the coordinates.
  a_ = randomVector(rng, chart_.k * n, 1.0 / std::sqrt(double(std::max<int64_t>(n, 1))));
}

std::vector<cplx> PullbackSystem::theta(const cplx* z) const {
  std::vector<cplx> t = chart_.base;
  for (int64_t i = 0; i < P_; ++i) {
    const cplx* row = &chart_.basis[size_t(i * chart_.k)];
    cplx s = 0;
    for (int64_t j = 0; j < chart_.k; ++j) s += row[j] * z[j];
    t[size_t(i)] += s;
  }
  return t;
}

std::vector<cplx> PullbackSystem::image(const cplx* z) const {
  std::vector<cplx> t = theta(z), y(static_cast<size_t>(coordinates()));
  m_.eval_complex(reinterpret_cast<const double*>(t.data()), reinterpret_cast<const double*>(x_.data()),
                  reinterpret_cast<double*>(y.data()), points_);
  return y;
}

std::vector<cplx> PullbackSystem::startParameters() const { return offsets(chart_.start.data()); }

std::vector<cplx> PullbackSystem::jacobian(const std::vector<cplx>& theta) const {
  std::vector<cplx> J(size_t(coordinates() * P_));
  m_.jac_theta_complex(reinterpret_cast<const double*>(theta.data()), reinterpret_cast<const double*>(x_.data()),
                       nullptr, nullptr, reinterpret_cast<double*>(J.data()), points_);
  return J;
}

std::vector<cplx> PullbackSystem::offsets(const cplx* z) const {
  std::vector<cplx> y = image(z), b(size_t(chart_.k), cplx(0));
  int64_t n = coordinates();
  for (int64_t i = 0; i < chart_.k; ++i)
    for (int64_t j = 0; j < n; ++j) b[size_t(i)] += a_[size_t(i * n + j)] * y[size_t(j)];
  return b;
}

void PullbackSystem::evaluate(const cplx* z, const cplx* b, cplx* f, cplx* jx, cplx* jq) const {
  const int k = int(chart_.k), n = int(coordinates()), P = int(P_);
  const cplx one(1), zero(0);
  // Work space per thread, reused across calls: the tracker evaluates millions of times, and allocating these
  // vectors each time was a fifth of a run.
  thread_local std::vector<cplx> t, y, J, AJ;
  t.assign(chart_.base.begin(), chart_.base.end());
  for (int64_t i = 0; i < P_; ++i) {
    const cplx* row = &chart_.basis[size_t(i * chart_.k)];
    cplx s = 0;
    for (int64_t j = 0; j < chart_.k; ++j) s += row[j] * z[j];
    t[size_t(i)] += s;
  }
  if (f) {
    // f = A y - b, y = μ_X(θ).
    y.resize(size_t(n));
    m_.eval_complex(reinterpret_cast<const double*>(t.data()), reinterpret_cast<const double*>(x_.data()),
                    reinterpret_cast<double*>(y.data()), points_);
    for (int i = 0; i < k; ++i) f[i] = -b[i];
    cblas_zgemv(CblasRowMajor, CblasNoTrans, k, n, &one, a_.data(), n, y.data(), 1, &one, f, 1);
  }
  if (jx) {
    // J: n x P (sample-major rows of O x P), then A J (k x P), then (A J) E (k x k), on BLAS.
    J.resize(static_cast<size_t>(n) * size_t(P));
    AJ.resize(static_cast<size_t>(k) * size_t(P));
    m_.jac_theta_complex(reinterpret_cast<const double*>(t.data()), reinterpret_cast<const double*>(x_.data()),
                         nullptr, nullptr, reinterpret_cast<double*>(J.data()), points_);
    // At the tracker's usual sizes (5 x 37 by 37 x 7 for the cnn3 (2,3,2) pullback) zgemm spent more in its buffer
    // allocator's mutex, contended by the tracker's threads, and in packing than in the product.
    if (int64_t(k) * n * P <= kSmallProduct) {
      complexProduct(a_.data(), J.data(), AJ.data(), k, n, P);
      complexProduct(AJ.data(), chart_.basis.data(), jx, k, P, k);
    } else {
      cblas_zgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, k, P, n, &one, a_.data(), n, J.data(), P, &zero, AJ.data(),
                  P);
      cblas_zgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, k, k, P, &one, AJ.data(), P, chart_.basis.data(), k, &zero,
                  jx, k);
    }
  }
  if (jq)
    for (int i = 0; i < k; ++i)
      for (int c = 0; c < k; ++c) jq[i * k + c] = i == c ? cplx(-1) : cplx(0);
}

}  // namespace nagrt::numeric
