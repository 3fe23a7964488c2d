// Critical.cpp — the ED correspondence as a parametric system, its witness set by monodromy, and the homotopy that
// moves the witness slice to the target's fibre.
#include "numeric/Critical.h"

#include "numeric/KeyIndex.h"
#include "numeric/Linear.h"

#include "Runtime.h"

#include <cblas.h>
#include <lapacke.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>

namespace nagrt::numeric {

namespace {

double realNorm(const std::vector<cplx>& v, double* imaginary) {
  double n = 0, im = 0;
  for (const cplx& c : v) {
    n = std::max(n, std::abs(c));
    im = std::max(im, std::abs(c.imag()));
  }
  if (imaginary) *imaginary = im / std::max(1.0, n);
  return n;
}

// The slice's directions with a gauge for the known symmetries (the compiler's generators): for each symmetry, as
// many random linear conditions L(θ - θ0) = 0 as its generators, supported on one parameter tensor that the
// symmetry acts on with exponents ±1 (a linear layer's GL(k) on either side, a neuron's rescaling on its incoming
// weights: the conditions are then linear in the group element, which they fix once). A generic orbit meets such a
// slice in one point where a random affine slice of the same dimension meets it in deg(orbit) points: linear
// 4 -> 2 -> 4 has 1341 or more witness points on a random slice. The conditions are kept only when they are
// transverse to the orbits at θ0 (their matrix against the generators' tangents has full rank); the remaining
// directions are a random k-dimensional part of their kernel. Empty when there is no gauge (a random slice then).
std::vector<cplx> gaugeBasis(const nag_model& m, const std::vector<cplx>& base, int64_t k, Random& rng) {
  const int64_t P = m.param_count;
  if (m.num_generators <= 0 || !m.generators) return {};
  auto tensorOf = [&](int64_t row) {
    for (int32_t t = 0; t < m.num_params; ++t)
      if (row >= m.params[t].offset && row < m.params[t].offset + m.params[t].size) return t;
    return int32_t(-1);
  };
  std::vector<std::vector<double>> conditions;  // rows of length P
  std::vector<std::vector<double>> tangents;    // the generators' values at θ0
  for (int32_t si = 0; si < m.num_symmetries; ++si) {
    std::vector<const nag_generator*> gens;
    for (int64_t g = 0; g < m.num_generators; ++g)
      if (m.generators[g].symmetry == si) gens.push_back(&m.generators[g]);
    if (gens.empty()) continue;
    // Tensors this symmetry moves, and whether every coefficient on each is ±1.
    std::vector<int> touched(size_t(m.num_params), 0);  // 0 untouched, 1 unit exponents, 2 other
    for (const nag_generator* g : gens)
      for (int64_t t = 0; t < g->num_terms; ++t) {
        const int64_t* term = g->terms + 3 * t;
        int32_t tensor = tensorOf(term[0]);
        if (tensor < 0) return {};
        int mark = term[2] == 1 || term[2] == -1 ? 1 : 2;  // a neuron's rescaling: exponent 1 in, -r out
        touched[size_t(tensor)] = std::max(touched[size_t(tensor)], mark);
      }
    int32_t chosen = -1;
    for (int32_t t = 0; t < m.num_params && chosen < 0; ++t)
      if (touched[size_t(t)] == 1) chosen = t;
    for (const nag_generator* g : gens) {
      std::vector<double> v(size_t(P), 0.0);
      for (int64_t t = 0; t < g->num_terms; ++t) {
        const int64_t* term = g->terms + 3 * t;
        v[size_t(term[0])] += double(term[2]) * base[size_t(term[1])].real();
      }
      tangents.push_back(std::move(v));
      if (chosen < 0) continue;
      std::vector<double> c(size_t(P), 0.0);
      for (int64_t i = m.params[chosen].offset; i < m.params[chosen].offset + m.params[chosen].size; ++i)
        c[size_t(i)] = rng.uniform();
      conditions.push_back(std::move(c));
    }
  }
  const int64_t g = int64_t(conditions.size()), T = int64_t(tangents.size());
  if (g == 0 || P - g < k) return {};
  // Transverse at θ0: the g x T matrix L ξ has rank g (the orbits' tangents are independent mod the gauge's kernel).
  std::vector<double> lxi(static_cast<size_t>(g * T));
  for (int64_t a = 0; a < g; ++a)
    for (int64_t b = 0; b < T; ++b) {
      double sum = 0;
      for (int64_t i = 0; i < P; ++i) sum += conditions[size_t(a)][size_t(i)] * tangents[size_t(b)][size_t(i)];
      lxi[size_t(a * T + b)] = sum;
    }
  std::vector<double> sv(static_cast<size_t>(std::min(g, T))), superb(static_cast<size_t>(std::max<int64_t>(std::min(g, T), 2)));
  if (LAPACKE_dgesvd(LAPACK_ROW_MAJOR, 'N', 'N', lapack_int(g), lapack_int(T), lxi.data(), lapack_int(T), sv.data(),
                     nullptr, 1, nullptr, 1, superb.data()) != 0)
    return {};
  if (T < g || sv.empty() || sv.back() <= 1e-8 * sv.front()) return {};
  // The kernel of the conditions: the last P - g right singular vectors of the g x P matrix.
  std::vector<double> G(static_cast<size_t>(g * P)), gs(static_cast<size_t>(g)), vt(static_cast<size_t>(P * P)),
      sup(static_cast<size_t>(std::max<int64_t>(g, 2)));
  for (int64_t a = 0; a < g; ++a) std::copy(conditions[size_t(a)].begin(), conditions[size_t(a)].end(), G.begin() + a * P);
  if (LAPACKE_dgesvd(LAPACK_ROW_MAJOR, 'N', 'A', lapack_int(g), lapack_int(P), G.data(), lapack_int(P), gs.data(),
                     nullptr, 1, vt.data(), lapack_int(P), sup.data()) != 0)
    return {};
  const int64_t free = P - g;
  std::vector<cplx> basis(static_cast<size_t>(P * k), 0.0);
  if (free == k) {
    for (int64_t i = 0; i < P; ++i)
      for (int64_t j = 0; j < k; ++j) basis[size_t(i * k + j)] = vt[size_t((g + j) * P + i)];
    return basis;
  }
  std::vector<double> C(static_cast<size_t>(free * k));
  for (double& c : C) c = rng.uniform() / std::sqrt(double(free));
  for (int64_t i = 0; i < P; ++i)
    for (int64_t j = 0; j < k; ++j) {
      double sum = 0;
      for (int64_t f = 0; f < free; ++f) sum += vt[size_t((g + f) * P + i)] * C[size_t(f * k + j)];
      basis[size_t(i * k + j)] = sum;
    }
  return basis;
}

}  // namespace

void requireCriticalKernels(const nag_model& m) {
  if (!m.eval_complex || !m.jac_theta_complex || !m.hess_theta_complex)
    throw Error(std::string("network '") + m.name + "' has no complex Hessian kernel for the critical-point " +
                "equations: " +
                (std::strcmp(m.algebraic_class, "non-algebraic") == 0
                     ? std::string("it is non-algebraic")
                     : kernelsLeftOut(m)));
}

CriticalSystem::CriticalSystem(const nag_model& m, int64_t dim, const DistanceSetup& setup, uint64_t seed,
                               bool targetFamily)
    : m_(m), k_(dim), n_(setup.K * std::max<int64_t>(m.output.size, 1)), K_(setup.K),
      O_(std::max<int64_t>(m.output.size, 1)), P_(m.param_count) {
  requireCriticalKernels(m);
  if (int64_t(setup.metric.size()) != n_ * n_ || int64_t(setup.target.size()) != n_ ||
      int64_t(setup.points.size()) != K_ * m.input_size)
    throw Error("internal error: CriticalSystem got a setup of the wrong sizes");
  Random rng(streamState(seed, 0xC1));
  // A real slice: real targets then have real critical points with real parameters on it.
  base_.resize(size_t(P_));
  for (cplx& c : base_) c = rng.uniform();
  basis_ = gaugeBasis(m, base_, k_, rng);
  gauged_ = !basis_.empty();
  if (!gauged_) {
    basis_.resize(size_t(P_ * k_));
    for (cplx& c : basis_) c = rng.uniform() / std::sqrt(double(std::max<int64_t>(P_, 1)));
  }
  target_ = targetFamily;
  x_.assign(setup.points.begin(), setup.points.end());
  M_.assign(setup.metric.begin(), setup.metric.end());
  if (target_) return;  // S = U = I, never stored (sliceRow, sliceJacobianRow)
  S_.resize(size_t(n_ * n_));
  U_.resize(size_t(n_ * n_));
  const double w = 1.0 / std::sqrt(double(2 * n_));
  for (int64_t r = 0; r < n_; ++r)
    for (int64_t c = 0; c < n_; ++c) {
      cplx ay = w * randomComplex(rng), au = w * randomComplex(rng);
      S_[size_t(r * n_ + c)] = ay + au;
      U_[size_t(r * n_ + c)] = au;
    }
}

std::vector<cplx> CriticalSystem::theta(const cplx* x) const {
  std::vector<cplx> t = base_;
  for (int64_t i = 0; i < P_; ++i)
    for (int64_t j = 0; j < k_; ++j) t[size_t(i)] += basis_[size_t(i * k_ + j)] * x[j];
  return t;
}

std::vector<cplx> CriticalSystem::image(const cplx* x) const {
  std::vector<cplx> t = theta(x), key(size_t(2 * n_));
  m_.eval_complex(reinterpret_cast<const double*>(t.data()), reinterpret_cast<const double*>(x_.data()),
                  reinterpret_cast<double*>(key.data()), K_);
  std::copy(x + k_, x + k_ + n_, key.begin() + n_);
  return key;
}

void CriticalSystem::normality(const cplx* x, std::vector<cplx>& y, std::vector<cplx>& J, cplx* f, cplx* jx,
                               int64_t stride, bool hessian) const {
  const int k = int(k_), n = int(n_), P = int(P_);
  const cplx one(1), zero(0);
  thread_local std::vector<cplx> jt, c, H, Ho, HB;
  std::vector<cplx> t = theta(x);
  y.resize(size_t(n));
  J.resize(size_t(n * k));
  m_.eval_complex(reinterpret_cast<const double*>(t.data()), reinterpret_cast<const double*>(x_.data()),
                  reinterpret_cast<double*>(y.data()), K_);
  jt.resize(size_t(n * P));
  m_.jac_theta_complex(reinterpret_cast<const double*>(t.data()), reinterpret_cast<const double*>(x_.data()), nullptr,
                       nullptr, reinterpret_cast<double*>(jt.data()), K_);
  cblas_zgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, k, P, &one, jt.data(), P, basis_.data(), k, &zero,
              J.data(), k);
  // c = M v; f = J^T c.
  const cplx* v = x + k_;
  c.resize(size_t(n));
  cblas_zgemv(CblasRowMajor, CblasNoTrans, n, n, &one, M_.data(), n, v, 1, &zero, c.data(), 1);
  if (f) cblas_zgemv(CblasRowMajor, CblasTrans, n, k, &one, J.data(), k, c.data(), 1, &zero, f, 1);
  if (!jx) return;
  // d/dv: J^T M (k x n), into columns k..k+n.
  cblas_zgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, n, n, &one, J.data(), k, M_.data(), n, &zero, jx + k,
              int(stride));
  for (int i = 0; i < k; ++i)
    for (int j = 0; j < k; ++j) jx[i * stride + j] = 0.0;
  if (!hessian) return;
  // d/dz: B^T (Σ_r c_r ∇²μ_r) B, one output at a time (the kernel's weights are shared by the batch).
  const int O = int(O_);
  H.assign(size_t(P * P), cplx(0));
  Ho.resize(size_t(K_ * P * P));
  std::vector<cplx> weights(size_t(O), cplx(0));
  for (int o = 0; o < O; ++o) {
    std::fill(weights.begin(), weights.end(), cplx(0));
    weights[size_t(o)] = 1.0;
    m_.hess_theta_complex(reinterpret_cast<const double*>(t.data()), reinterpret_cast<const double*>(x_.data()),
                          reinterpret_cast<const double*>(weights.data()), nullptr,
                          reinterpret_cast<double*>(Ho.data()), K_);
    for (int64_t p = 0; p < K_; ++p) {
      cplx w = c[size_t(p * O + o)];
      const cplx* hp = &Ho[size_t(p * P * P)];
      for (int e = 0; e < P * P; ++e) H[size_t(e)] += w * hp[e];
    }
  }
  HB.resize(size_t(P * k));
  cblas_zgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, P, k, P, &one, H.data(), P, basis_.data(), k, &zero,
              HB.data(), k);
  cblas_zgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, k, P, &one, basis_.data(), k, HB.data(), k, &zero, jx,
              int(stride));
}

cplx CriticalSystem::sliceRow(const std::vector<cplx>& y, const cplx* v, int64_t r) const {
  if (target_) return y[size_t(r)] + v[r];
  cplx s = 0;
  for (int64_t c = 0; c < n_; ++c) s += S_[size_t(r * n_ + c)] * y[size_t(c)] + U_[size_t(r * n_ + c)] * v[c];
  return s;
}

void CriticalSystem::sliceJacobianRow(const std::vector<cplx>& J, int64_t r, cplx* out) const {
  const int64_t k = k_, n = n_;
  if (target_) {
    std::copy(J.begin() + r * k, J.begin() + (r + 1) * k, out);
    for (int64_t c = 0; c < n; ++c) out[k + c] = r == c ? cplx(1) : cplx(0);
    return;
  }
  for (int64_t j = 0; j < k; ++j) {
    cplx s = 0;
    for (int64_t c = 0; c < n; ++c) s += S_[size_t(r * n + c)] * J[size_t(c * k + j)];
    out[j] = s;
  }
  std::copy(U_.begin() + r * n, U_.begin() + (r + 1) * n, out + k);
}

void CriticalSystem::evaluate(const cplx* x, const cplx* b, cplx* f, cplx* jx, cplx* jq) const {
  const int64_t k = k_, n = n_, N = k_ + n_;
  thread_local std::vector<cplx> y, J, rows;
  rows.resize(size_t(k));
  normality(x, y, J, f ? f : rows.data(), jx, N, jx != nullptr);
  const cplx* v = x + k;
  if (f)
    for (int64_t r = 0; r < n; ++r) f[k + r] = sliceRow(y, v, r) - b[r];
  if (jx)
    for (int64_t r = 0; r < n; ++r) sliceJacobianRow(J, r, jx + (k + r) * N);
  if (jq)
    for (int64_t i = 0; i < N; ++i)
      for (int64_t c = 0; c < n; ++c) jq[i * n + c] = (i >= k && i - k == c) ? cplx(-1) : cplx(0);
}

void CriticalSystem::start(std::vector<cplx>& x, std::vector<cplx>& b) const {
  const int64_t k = k_, n = n_;
  x.assign(size_t(k + n), cplx(0));
  std::vector<cplx> y, J;
  normality(x.data(), y, J, nullptr, nullptr, 0, false);
  // v = r - J (J^T M J)^{-1} J^T M r for a random r: J^T M v = 0.
  Random rng(0x5EEDC1ull ^ uint64_t(n * 131 + k));
  double scale = std::max(1.0, normInf(y.data(), n));
  std::vector<cplx> r(static_cast<size_t>(n)), Mr(size_t(n), 0.0), MJ(size_t(n * k), 0.0), G(size_t(k * k), 0.0),
      g(size_t(k), 0.0);
  for (cplx& c : r) c = scale * randomComplex(rng);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < n; ++j) Mr[size_t(i)] += M_[size_t(i * n + j)] * r[size_t(j)];
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < k; ++j)
      for (int64_t s = 0; s < n; ++s) MJ[size_t(i * k + j)] += M_[size_t(i * n + s)] * J[size_t(s * k + j)];
  for (int64_t a = 0; a < k; ++a) {
    for (int64_t c = 0; c < k; ++c)
      for (int64_t i = 0; i < n; ++i) G[size_t(a * k + c)] += J[size_t(i * k + a)] * MJ[size_t(i * k + c)];
    for (int64_t i = 0; i < n; ++i) g[size_t(a)] += J[size_t(i * k + a)] * Mr[size_t(i)];
  }
  LuSolver lu(k);
  if (k > 0 && (!lu.factor(G.data()) || lu.inverseCondition() < 1e-12))
    throw Error("critical: the evaluation coordinates (" + std::to_string(n) +
                " values) do not see all of the neurovariety: J^T M J is singular at a random point of the slice "
                "(too few samples for the dimension " + std::to_string(k) + "?)");
  if (k > 0) lu.solve(g.data());
  x.assign(size_t(k), cplx(0));
  for (int64_t i = 0; i < n; ++i) {
    cplx s = r[size_t(i)];
    for (int64_t j = 0; j < k; ++j) s -= J[size_t(i * k + j)] * g[size_t(j)];
    x.push_back(s);
  }
  b.resize(size_t(n));
  for (int64_t i = 0; i < n; ++i) b[size_t(i)] = sliceRow(y, x.data() + k, i);
}

std::vector<cplx> CriticalSystem::lossHessian(const cplx* x, std::vector<cplx>& J) const {
  const int64_t k = k_, n = n_, N = k_ + n_;
  std::vector<cplx> y, jx(size_t(k * N));
  normality(x, y, J, nullptr, jx.data(), N, true);
  std::vector<cplx> h(size_t(k * k));
  for (int64_t a = 0; a < k; ++a)
    for (int64_t c = 0; c < k; ++c) {
      cplx s = -jx[size_t(a * N + c)];
      for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < n; ++j)
          s += J[size_t(i * k + a)] * M_[size_t(i * n + j)] * J[size_t(j * k + c)];
      h[size_t(a * k + c)] = s;
    }
  return h;
}

namespace {

// The index of a real critical point y of the distance on V from the loss Hessian Hz in the slice's coordinates z
// (complex when the preimage is), with J = dy/dz: the tangent space col(J) is real at a real smooth point, so
// J = T C for a real orthonormal basis T (SVD of [Re J, Im J]) and a complex C = T^T J, and at a critical point
// Hz = C^T H C with H the real Hessian in T's coordinates. Its eigenvalue signs, or false when H is not real.
bool realIndex(const std::vector<cplx>& Hz, const std::vector<cplx>& J, int64_t n, int64_t k, CriticalPoint& c) {
  std::vector<double> A(static_cast<size_t>(n * 2 * k)), s(static_cast<size_t>(2 * k)), U(size_t(n * n)), VT(size_t(4 * k * k)),
      super(size_t(2 * k));
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < k; ++j) {
      A[size_t(i * 2 * k + j)] = J[size_t(i * k + j)].real();
      A[size_t(i * 2 * k + k + j)] = J[size_t(i * k + j)].imag();
    }
  if (LAPACKE_dgesvd(LAPACK_ROW_MAJOR, 'A', 'N', lapack_int(n), lapack_int(2 * k), A.data(), lapack_int(2 * k),
                     s.data(), U.data(), lapack_int(n), VT.data(), lapack_int(2 * k), super.data()) != 0)
    return false;
  // col(J) is real (y a real smooth point) when [Re J, Im J] has rank k.
  if (k < std::min(n, 2 * k) && s[size_t(k)] > 1e-8 * s[0]) return false;
  // C = T^T J, T = the first k columns of U.
  std::vector<cplx> C(size_t(k * k), 0.0);
  for (int64_t a = 0; a < k; ++a)
    for (int64_t j = 0; j < k; ++j)
      for (int64_t i = 0; i < n; ++i) C[size_t(a * k + j)] += U[size_t(i * n + a)] * J[size_t(i * k + j)];
  // H = C^{-T} Hz C^{-1}: X = C^{-T} Hz (solve C^T X = Hz), H = X C^{-1} (solve C^T H^T = X^T; H symmetric).
  std::vector<cplx> Ct(size_t(k * k));
  for (int64_t a = 0; a < k; ++a)
    for (int64_t b = 0; b < k; ++b) Ct[size_t(a * k + b)] = C[size_t(b * k + a)];
  LuSolver lu(k);
  if (!lu.factor(Ct.data())) return false;
  std::vector<cplx> X(static_cast<size_t>(k * k)), col(static_cast<size_t>(k));
  for (int64_t j = 0; j < k; ++j) {
    for (int64_t i = 0; i < k; ++i) col[size_t(i)] = Hz[size_t(i * k + j)];
    lu.solve(col.data());
    for (int64_t i = 0; i < k; ++i) X[size_t(i * k + j)] = col[size_t(i)];
  }
  std::vector<cplx> H(size_t(k * k));
  for (int64_t j = 0; j < k; ++j) {  // column j of H^T = row j of H: solve C^T h = (row j of X)^T
    for (int64_t i = 0; i < k; ++i) col[size_t(i)] = X[size_t(j * k + i)];
    lu.solve(col.data());
    for (int64_t i = 0; i < k; ++i) H[size_t(j * k + i)] = col[size_t(i)];
  }
  double big = 0, imag = 0;
  for (const cplx& h : H) {
    big = std::max(big, std::abs(h));
    imag = std::max(imag, std::abs(h.imag()));
  }
  if (imag > 1e-6 * std::max(big, 1e-300)) return false;
  std::vector<double> R(size_t(k * k)), eig(static_cast<size_t>(k));
  for (int64_t a = 0; a < k; ++a)
    for (int64_t b = 0; b < k; ++b) R[size_t(a * k + b)] = 0.5 * (H[size_t(a * k + b)].real() + H[size_t(b * k + a)].real());
  if (LAPACKE_dsyev(LAPACK_ROW_MAJOR, 'N', 'U', lapack_int(k), R.data(), lapack_int(k), eig.data()) != 0) return false;
  double top = 0;
  for (double l : eig) top = std::max(top, std::abs(l));
  double tol = 1e-8 * std::max(top, 1e-300);
  for (double l : eig) (l > tol ? c.positive : l < -tol ? c.negative : c.zero) += 1;
  c.kind = c.zero ? "degenerate" : c.negative == 0 ? "minimum" : c.positive == 0 ? "maximum" : "saddle";
  return true;
}

}  // namespace

TargetHomotopy::TargetHomotopy(const CriticalSystem& s, std::vector<cplx> b0, std::vector<cplx> target, cplx gamma)
    : s_(s), b0_(std::move(b0)), u_(std::move(target)), gamma_(gamma) {}

void TargetHomotopy::evaluate(const cplx* x, cplx t, cplx* h, cplx* hx, cplx* ht) const {
  const int64_t k = s_.dimension(), n = s_.coordinates(), N = k + n;
  thread_local std::vector<cplx> y, J;
  s_.normality(x, y, J, h, hx, N, hx != nullptr);
  const cplx* v = x + k;
  const cplx a = gamma_ * (1.0 - t);
  for (int64_t r = 0; r < n; ++r) {
    cplx slice = s_.sliceRow(y, v, r) - b0_[size_t(r)];
    cplx goal = y[size_t(r)] + v[r] - u_[size_t(r)];
    h[k + r] = a * slice + t * goal;
    if (ht) ht[k + r] = -gamma_ * slice + goal;
  }
  if (ht)
    for (int64_t i = 0; i < k; ++i) ht[i] = 0.0;
  if (!hx) return;
  thread_local std::vector<cplx> row;
  row.resize(size_t(N));
  for (int64_t r = 0; r < n; ++r) {
    s_.sliceJacobianRow(J, r, row.data());
    for (int64_t j = 0; j < k; ++j) hx[(k + r) * N + j] = a * row[size_t(j)] + t * J[size_t(r * k + j)];
    for (int64_t c = 0; c < n; ++c) hx[(k + r) * N + k + c] = a * row[size_t(k + c)] + (r == c ? t : cplx(0));
  }
}

namespace {
constexpr int kTargetAttempts = 3;
}  // namespace

CriticalRun criticalRun(const nag_model& m, int64_t dim, const DistanceSetup& setup, const WitnessOptions& options,
                        CriticalMethod method) {
  const auto t0 = std::chrono::steady_clock::now();
  const bool target = method == CriticalMethod::Target;
  WitnessOptions o = options;
  if (target) {
    o.traceTest = false;
    o.idleLoops = std::max(o.idleLoops, kTargetIdleLoops);
  }
  CriticalSystem s(m, dim, setup, o.seed, target);
  WitnessProblem p;
  p.system = &s;
  s.start(p.start, p.q0);
  p.image = [&s](const cplx* x) { return s.image(x); };
  p.coordinates = 2 * s.coordinates();
  p.header = std::string("nagc monodromy checkpoint 4 ") + m.name + " P=" + std::to_string(m.param_count) +
             " critical k=" + std::to_string(dim) + " n=" + std::to_string(s.coordinates()) + " metric=" +
             setup.metricName + " seed=" + std::to_string(o.seed) + (target ? " family=target" : "");
  p.what = "critical";
  CriticalRun run;
  run.method = method;
  run.gauged = s.gauged();
  std::vector<std::vector<cplx>> witness;
  run.witness = witnessRun(p, o, false, &witness);
  if (o.maxPoints > 0 && run.witness.points >= o.maxPoints) {  // a lower bound of deg E: not worth the paths
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return run;
  }
  // The witness points, tracked from their slice to u = target along a γ-segment. For one γ the paths map the
  // witness set onto the finite critical points and the points at infinity; a path that fails leaves its endpoint
  // unknown, and tracking it alone along another γ would land on some endpoint, not necessarily the missing one.
  // So a run with a failure is repeated whole with a fresh γ (at most kTargetAttempts): the finite endpoints of
  // all attempts are one set (merged by function), complete once one attempt had no failure.
  Random rng(o.seed * 0xD1B54A32D192ED03ull + 0x77);
  std::vector<cplx> u(setup.target.begin(), setup.target.end());
  TrackerOptions to;
  to.maxSteps = std::max<int64_t>(o.maxSteps * 2, 4000);
  // A failed path is tracked again, the same path with careful steps (its endpoint is the same point). Most paths
  // go to infinity (deg E exceeds the count): one whose step size collapses near t = 1 while ||x|| grew past 1e3
  // times its start's is counted as going to infinity, by growth, and reported apart.
  TrackerOptions careful = to;
  careful.maxStep = to.maxStep / 5;
  careful.initialStep = std::min(to.initialStep, careful.maxStep);
  careful.predictorTarget = to.predictorTarget / 10;
  careful.maxSteps = to.maxSteps * 2;
  careful.approachGuard = 1e9;  // paths toward infinity shrink sigma all along: the guard would stall them
  careful.acceptNoiseFloor = true;
  KeyIndex seen(o.seed + 3, 1e-6);
  const int64_t k = s.dimension(), n = s.coordinates();
  for (int attempt = 0; attempt < kTargetAttempts; ++attempt) {
    TargetHomotopy h(s, p.q0, u, randomUnitComplex(rng));
    std::vector<PathResult> ends = trackPaths(h, witness, to);
    for (size_t i = 0; i < ends.size(); ++i) {
      if (!isFailure(ends[i].status)) continue;
      ++run.retried;
      PathResult again = trackPath(h, witness[i].data(), careful);
      if (!isFailure(again.status) || again.t > ends[i].t) ends[i] = std::move(again);
    }
    ++run.targetAttempts;
    run.atInfinity = run.singular = run.failed = run.byGrowth = 0;  // this attempt's
    for (const PathResult& e : ends) {
      if (e.status == PathStatus::Diverged) {
        ++run.atInfinity;
        continue;
      }
      if (e.status == PathStatus::Singular) {
        ++run.singular;
        continue;
      }
      const double startNorm = std::max(1.0, normInf(witness[size_t(&e - ends.data())].data(), int64_t(e.x.size())));
      if (e.status == PathStatus::StepTooSmall && e.t > 1.0 - 1e-3 &&
          normInf(e.x.data(), int64_t(e.x.size())) > 1e3 * startNorm) {
        ++run.atInfinity;
        ++run.byGrowth;
        continue;
      }
      if (e.status != PathStatus::Success) {
        ++run.failed;
        continue;
      }
      std::vector<cplx> key = s.image(e.x.data());
      key.resize(size_t(n));  // the function: y
      KeyIndex::Match hit = seen.nearest(key);
      if (hit.index >= 0 && hit.distance <= 1e-6) {
        if (attempt == 0) ++run.merged;  // two paths of one γ at one function (later attempts repeat the first's)
        continue;
      }
      seen.insert(key);
      CriticalPoint c;
      c.y = key;
      c.condition = e.condition;
      realNorm(c.y, &c.imaginary);
      c.real = c.imaginary <= 1e-8;
      std::vector<cplx> zv(e.x.begin(), e.x.begin() + k), th = s.theta(e.x.data());
      double zIm = 0;
      realNorm(zv, &zIm);
      c.realTheta = c.real && zIm <= 1e-8;
      for (const cplx& t : th) c.theta.push_back(t.real());
      cplx loss = 0;
      const std::vector<cplx>& M = s.metric();
      for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < n; ++j) loss += e.x[size_t(k + i)] * M[size_t(i * n + j)] * e.x[size_t(k + j)];
      c.loss = 0.5 * loss.real();
      if (c.real && k > 0) {
        std::vector<cplx> J, Hz = s.lossHessian(e.x.data(), J);
        realIndex(Hz, J, n, k, c);
      }
      run.points.push_back(std::move(c));
    }
    if (run.failed == 0 && run.singular == 0) break;
  }
  run.finite = int64_t(run.points.size());
  std::sort(run.points.begin(), run.points.end(),
            [](const CriticalPoint& a, const CriticalPoint& b) { return a.loss < b.loss; });
  run.complete = (target ? run.witness.stagnated : run.witness.complete) && run.failed == 0 && run.singular == 0;
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return run;
}

}  // namespace nagrt::numeric
