// Landscape.cpp — the analysis of the point where training ended (README.md: rounding to a rational point, tolerances).
#include "train/Landscape.h"

#include "CliSupport.h"
#include "Dim.h"
#include "Exact.h"
#include "exact/Fibre.h"

#include <lapacke.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <numeric>

namespace nagrt::train {

namespace {

constexpr int64_t kMaxHessian = 2000;  // larger P: no eigenvalues (P^2 doubles, P^3 work)
constexpr double kRelativeZero = 1e-6;  // eigenvalues below this times the largest |eigenvalue| (plus a gradient term) are zero

double norm2(const std::vector<double>& t, const std::vector<int64_t>& idx) {
  double s = 0;
  for (int64_t i : idx) s += t[size_t(i)] * t[size_t(i)];
  return std::sqrt(s);
}

std::string list(const std::vector<int64_t>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? (i + 1 == v.size() ? " and " : ", ") : "") + std::to_string(v[i]);
  return s;
}

// The singular values of a rows x cols row-major matrix.
std::vector<double> singularValues(std::vector<double> a, int64_t rows, int64_t cols) {
  int64_t k = std::min(rows, cols);
  std::vector<double> s(size_t(std::max<int64_t>(k, 0)));
  if (k == 0) return s;
  double u, vt;
  WideBlas wide;
  if (LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'N', lapack_int(cols), lapack_int(rows), a.data(), lapack_int(cols), s.data(),
                     &u, 1, &vt, 1) != 0)
    throw Error("train: an SVD did not converge");
  return s;
}

// The rank of the symmetry generators' values M theta at theta, relative to the largest.
int64_t orbitDimension(const nag_model& m, const std::vector<double>& theta, double rel) {
  const int64_t P = m.param_count, G = m.num_generators;
  if (G == 0) return 0;
  std::vector<double> v(size_t(G * P), 0.0);
  for (int64_t g = 0; g < G; ++g)
    for (int64_t t = 0; t < m.generators[g].num_terms; ++t) {
      const int64_t* term = m.generators[g].terms + 3 * t;
      v[size_t(g * P + term[0])] += double(term[2]) * theta[size_t(term[1])];
    }
  std::vector<double> s = singularValues(v, G, P);
  int64_t r = 0;
  while (r < int64_t(s.size()) && s[size_t(r)] > rel * s[0] && s[size_t(r)] > 0) ++r;
  return r;
}

// fibre: P - rank of the differential at theta when that rank is the generic
// one (then the fibre {f_theta' = f_theta}, on which L is constant, is a
// manifold of that dimension through theta), else -1.
Curvature curvature(const nag_model& m, Objective& f, const std::vector<double>& theta, double gn, double zeroTol,
                    int64_t fibre) {
  Curvature c;
  const int64_t P = m.param_count;
  if (P > kMaxHessian) {
    c.skipped = "P = " + std::to_string(P) + " > " + std::to_string(kMaxHessian) + ": the Hessian is not formed";
    return c;
  }
  std::vector<double> h = f.hessian(theta.data()), w(static_cast<size_t>(P));
  for (double v : h)
    if (!std::isfinite(v)) {
      c.skipped = "the loss Hessian has entries that are not finite";
      return c;
    }
  WideBlas wide;
  if (LAPACKE_dsyevd(LAPACK_ROW_MAJOR, 'N', 'U', lapack_int(P), h.data(), lapack_int(P), w.data()) != 0) {
    c.skipped = "LAPACK dsyevd did not converge";
    return c;
  }
  c.computed = true;
  c.minEigenvalue = w.front();
  c.maxEigenvalue = w.back();
  // Away from an exact critical point the eigenvalues of flat directions
  // move by about the gradient's size: the gradient norm is added.
  c.tolerance = kRelativeZero * std::max(std::fabs(w.front()), std::fabs(w.back())) + gn;
  for (double v : w) (v < -c.tolerance ? c.negative : v > c.tolerance ? c.positive : c.zero) += 1;
  c.orbitDimension = orbitDimension(m, theta, zeroTol);
  if (c.negative > 0) {
    c.classification = "saddle";
    c.why = std::to_string(c.negative) + " negative eigenvalue" + (c.negative > 1 ? "s" : "") + " (the least " +
            jsonShort(c.minEigenvalue) + "): the loss decreases to second order along " +
            (c.negative > 1 ? "those directions" : "that direction");
  } else if (c.zero == 0) {
    c.classification = "minimum";
    c.why = "the Hessian is positive definite: a strict local minimum";
  } else if (c.zero <= std::max(c.orbitDimension, fibre)) {
    // Morse-Bott: L is constant on a manifold through theta of that dimension
    // and the Hessian is positive definite across it.
    c.classification = "minimum";
    c.why = "the " + std::to_string(c.zero) + " zero eigenvalues are the directions of " +
            (c.zero <= c.orbitDimension ? "the symmetry orbit through theta (dimension " + std::to_string(c.orbitDimension)
                                        : "the fibre through theta (dimension P - rank = " + std::to_string(fibre)) +
            "), on which the loss is constant, and the Hessian is positive definite across it: a local minimum "
            "along a manifold of minima";
  } else {
    c.classification = "degenerate";
    c.why = "no negative eigenvalue, but " + std::to_string(c.zero) + " zero eigenvalues where the symmetry orbit " +
            "explains " + std::to_string(c.orbitDimension) +
            (fibre >= 0 ? " and the fibre " + std::to_string(fibre) : std::string(" (theta is a critical point of the parameterization)")) +
            ": the second-order test does not decide";
  }
  return c;
}

// Neurons of each rescaling layer at theta: zero incoming or outgoing weights, rescaled copies.
Subnetwork subnetwork(const nag_model& m, const std::vector<double>& theta, double tol) {
  Subnetwork sub;
  sub.tolerance = tol;
  Structure st = findStructure(m);
  std::vector<std::string> parts;
  for (const auto& layer : st.layers) {
    NeuronLayer L;
    const Neuron& first = st.neurons[layer[0]];
    for (int32_t t = 0; t < m.num_params; ++t)
      if (first.weights[0] >= m.params[t].offset && first.weights[0] < m.params[t].offset + m.params[t].size)
        L.name = m.params[t].name;
    bool relu = std::strstr(m.symmetries[first.symmetry].description, "relu") != nullptr;
    L.width = int64_t(layer.size());
    std::vector<std::vector<int64_t>> in(layer.size());
    double inScale = 0, outScale = 0;
    for (size_t k = 0; k < layer.size(); ++k) {
      const Neuron& n = st.neurons[layer[k]];
      in[k] = n.weights;
      in[k].insert(in[k].end(), n.bias.begin(), n.bias.end());
      inScale = std::max(inScale, norm2(theta, in[k]));
      outScale = std::max(outScale, norm2(theta, n.out));
    }
    std::vector<bool> dead(layer.size(), false);
    for (size_t k = 0; k < layer.size(); ++k) {
      const Neuron& n = st.neurons[layer[k]];
      bool zin = norm2(theta, n.weights) <= tol * inScale, zout = norm2(theta, n.out) <= tol * outScale;
      if (zin) L.zeroIncoming.push_back(int64_t(k));
      if (zout) L.zeroOutgoing.push_back(int64_t(k));
      dead[k] = zout || (zin && norm2(theta, n.bias) <= tol * inScale);
    }
    // Copies: incoming vectors (weights and bias) at an angle with sin <= tol
    // (relu: the same direction, since only positive factors commute with it).
    std::vector<int64_t> group(layer.size());
    std::iota(group.begin(), group.end(), 0);
    for (size_t j = 0; j < layer.size(); ++j) {
      if (dead[j] || group[j] != int64_t(j)) continue;
      for (size_t k = j + 1; k < layer.size(); ++k) {
        if (dead[k] || group[k] != int64_t(k)) continue;
        double dot = 0, a = norm2(theta, in[j]), b = norm2(theta, in[k]);
        for (size_t e = 0; e < in[j].size(); ++e) dot += theta[size_t(in[j][e])] * theta[size_t(in[k][e])];
        double cos = dot / (a * b), sin = std::sqrt(std::max(0.0, 1 - cos * cos));
        if (a > 0 && b > 0 && sin <= tol && (!relu || cos > 0)) group[k] = int64_t(j);
      }
    }
    int64_t alive = 0;
    for (size_t j = 0; j < layer.size(); ++j) {
      if (dead[j] || group[j] != int64_t(j)) continue;
      ++alive;
      std::vector<int64_t> g{int64_t(j)};
      for (size_t k = j + 1; k < layer.size(); ++k)
        if (group[k] == int64_t(j)) g.push_back(int64_t(k));
      if (g.size() < 2) continue;
      // The largest first, so that the others are multiples of it.
      std::sort(g.begin(), g.end(), [&](int64_t a, int64_t b) {
        double na = norm2(theta, in[size_t(a)]), nb = norm2(theta, in[size_t(b)]);
        return na != nb ? na > nb : a < b;
      });
      const auto& base = in[size_t(g[0])];
      double bb = norm2(theta, base);
      for (size_t t = 1; t < g.size(); ++t) {
        double dot = 0;
        for (size_t e = 0; e < base.size(); ++e) dot += theta[size_t(base[e])] * theta[size_t(in[size_t(g[t])][e])];
        L.copyFactors.push_back(dot / (bb * bb));
      }
      L.copies.push_back(std::move(g));
    }
    L.effectiveWidth = alive;
    if (alive < L.width) {
      sub.on = true;
      std::string p = L.name + ":";
      if (!L.zeroOutgoing.empty())
        p += " neuron" + std::string(L.zeroOutgoing.size() > 1 ? "s " : " ") + list(L.zeroOutgoing) + " with zero outgoing weights;";
      std::vector<int64_t> zi;
      for (int64_t k : L.zeroIncoming)
        if (dead[size_t(k)] && std::find(L.zeroOutgoing.begin(), L.zeroOutgoing.end(), k) == L.zeroOutgoing.end())
          zi.push_back(k);
      if (!zi.empty()) p += " neuron" + std::string(zi.size() > 1 ? "s " : " ") + list(zi) + " with zero incoming weights;";
      for (const auto& g : L.copies)
        p += " neuron" + std::string(g.size() > 2 ? "s " : " ") + list(std::vector<int64_t>(g.begin() + 1, g.end())) +
             (g.size() > 2 ? " are" : " is a") + " rescaled cop" + (g.size() > 2 ? "ies" : "y") + " of neuron " +
             std::to_string(g[0]) + ";";
      p += " effective width " + std::to_string(alive) + " of " + std::to_string(L.width);
      parts.push_back(p);
    }
    sub.layers.push_back(std::move(L));
  }
  for (size_t i = 0; i < parts.size(); ++i) sub.description += (i ? "; " : "") + parts[i];
  if (!sub.on) sub.description = st.layers.empty() ? "no layer of rescalable neurons to examine" : "none: every neuron is in use";
  return sub;
}

// theta as an exact decimal with 10 significant digits.
mpq_class decimal(double v) {
  if (v == 0) return mpq_class(0);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.9e", v);
  mpq_t q;
  mpq_init(q);
  parseExact(buf, q);
  mpq_class out(q);
  mpq_clear(q);
  return out;
}

// theta~: the subnetwork made exact (zero neurons' weights 0, copies exact
// multiples of the first of their group), every other value rounded to 10 digits.
QPoint rounded(const nag_model& m, const std::vector<double>& theta, const Subnetwork& sub, std::string& how) {
  QPoint q(theta.size());
  for (size_t i = 0; i < theta.size(); ++i) q[i] = decimal(theta[i]);
  Structure st = findStructure(m);
  for (size_t li = 0; li < st.layers.size() && li < sub.layers.size(); ++li) {
    const auto& layer = st.layers[li];
    const NeuronLayer& L = sub.layers[li];
    for (int64_t k : L.zeroOutgoing)
      for (int64_t i : st.neurons[layer[size_t(k)]].out) q[size_t(i)] = 0;
    for (int64_t k : L.zeroIncoming)
      for (int64_t i : st.neurons[layer[size_t(k)]].weights) q[size_t(i)] = 0;
    size_t f = 0;
    for (const auto& g : L.copies) {
      const Neuron& base = st.neurons[layer[size_t(g[0])]];
      for (size_t t = 1; t < g.size(); ++t, ++f) {
        const Neuron& n = st.neurons[layer[size_t(g[t])]];
        mpq_class c = decimal(L.copyFactors[f]);
        for (size_t e = 0; e < n.weights.size(); ++e) q[size_t(n.weights[e])] = c * q[size_t(base.weights[e])];
        for (size_t e = 0; e < n.bias.size(); ++e) q[size_t(n.bias[e])] = c * q[size_t(base.bias[e])];
      }
    }
  }
  how = "theta rounded to 10 significant decimal digits, with the subnetwork made exact: the weights of zero neurons "
        "set to 0 and each rescaled copy's incoming weights set to the rounded factor times those of the first neuron "
        "of its group";
  return q;
}

}  // namespace

Subnetwork subnetworkAt(const nag_model& m, const std::vector<double>& theta, double tol) {
  return subnetwork(m, theta, tol);
}

Landscape analyse(const nag_model& m, Objective& f, const std::vector<double>& theta, double gradNorm,
                  const LandscapeOptions& o) {
  Landscape l;
  l.subnetwork = subnetwork(m, theta, o.zeroTolerance);
  QPoint q = rounded(m, theta, l.subnetwork, l.rounding);
  std::vector<double> qd(q.size());
  for (size_t i = 0; i < q.size(); ++i) {
    qd[i] = q[i].get_d();
    l.exactPoint.push_back(q[i].get_str());
  }
  // Float ranks at a random theta, at theta and at theta~, with the same random inputs.
  DimOptions d;
  d.exact = false;
  d.floating = true;
  d.seed = o.seed;
  Differential& df = l.differential;
  df.floatGenericRank = measureDimension(m, d).floatRank;
  d.floatAt = theta;
  DimReport at = measureDimension(m, d);
  df.floatRank = at.floatRank;
  df.floatGap = at.gap;
  d.floatAt = qd;
  df.floatRankRounded = measureDimension(m, d).floatRank;
  df.critical = df.floatRankRounded < df.floatGenericRank;
  int64_t fibre = df.floatRank == df.floatGenericRank ? m.param_count - df.floatRank : -1;
  l.curvature = curvature(m, f, theta, gradNorm, o.zeroTolerance, fibre);
  if (!o.exact) {
    l.singular.skipped = "not asked (--no-exact)";
  } else if (!m.jac_theta_mod || !m.eval_mod) {
    l.singular.skipped = std::string("the network is ") + m.algebraic_class + ": exact tools need an algebraic network";
  } else {
    try {
      SingularResult r = singularAt(m, q, o.seed);
      l.singular.computed = true;
      l.singular.verdict = r.verdict;
      l.singular.reason = r.reason;
      l.singular.tangent = r.tangent;
      l.singular.points = r.points;
      df.exactRank = r.rankAt;
      df.dimension = r.dimension;
      df.dimensionCertified = r.certified;
      df.critical = r.rankAt < r.dimension;
    } catch (const Error& e) {
      l.singular.skipped = e.what();
    }
  }
  return l;
}

}  // namespace nagrt::train
