// Conserved.cpp — conserved quantities of gradient flow from the symmetry generators, checked, named and written out.
#include "train/Conserved.h"

#include "CliSupport.h"
#include "Exact.h"
#include "Runtime.h"
#include "exact/Fibre.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <sstream>

namespace nagrt::train {

namespace {

constexpr uint64_t kPrime = (uint64_t(1) << 31) - 1;  // a Mersenne prime, within every program's modular kernels
constexpr double kFloatTolerance = 1e-9;

const nag_tensor_info* tensorOf(const nag_model& m, int64_t i) {
  for (int32_t t = 0; t < m.num_params; ++t)
    if (i >= m.params[t].offset && i < m.params[t].offset + m.params[t].size) return &m.params[t];
  return nullptr;
}

// The pairs of Q = theta^T M theta from M's terms (row, col, coeff): c_{min,max} += coeff.
std::vector<Conserved::Pair> pairsOf(const nag_generator& g) {
  std::map<std::pair<int64_t, int64_t>, double> acc;
  for (int64_t t = 0; t < g.num_terms; ++t) {
    int64_t r = g.terms[3 * t], c = g.terms[3 * t + 1];
    acc[{std::min(r, c), std::max(r, c)}] += double(g.terms[3 * t + 2]);
  }
  std::vector<Conserved::Pair> out;
  for (const auto& [ij, c] : acc)
    if (c != 0) out.push_back({ij.first, ij.second, c});
  return out;
}

std::string number(double c) {
  std::ostringstream s;
  s << c;
  return s.str();
}

// One group of pairs (one tensor, one coefficient) as text: a row or column
// Gram entry, a squared norm, or a count.
std::string groupText(const nag_tensor_info& t, const std::vector<Conserved::Pair>& ps) {
  if (t.rank == 2) {
    int64_t cols = t.shape[1];
    auto rc = [&](int64_t i) { return std::make_pair((i - t.offset) / cols, (i - t.offset) % cols); };
    bool rowsMode = true, colsMode = true;
    auto [ri0, ci0] = rc(ps[0].i);
    auto [rj0, cj0] = rc(ps[0].j);
    for (const auto& p : ps) {
      auto [ri, ci] = rc(p.i);
      auto [rj, cj] = rc(p.j);
      rowsMode &= ci == cj && ri == ri0 && rj == rj0;
      colsMode &= ri == rj && ci == ci0 && cj == cj0;
    }
    std::string name = t.name;
    if (rowsMode && int64_t(ps.size()) == cols)
      return ri0 == rj0 ? "|" + name + "[" + std::to_string(ri0) + ", :]|^2"
                        : "(" + name + " " + name + "^T)[" + std::to_string(ri0) + ", " + std::to_string(rj0) + "]";
    if (colsMode && int64_t(ps.size()) == t.shape[0])
      return ci0 == cj0 ? "|" + name + "[:, " + std::to_string(ci0) + "]|^2"
                        : "(" + name + "^T " + name + ")[" + std::to_string(ci0) + ", " + std::to_string(cj0) + "]";
  }
  bool diagonal = true;
  for (const auto& p : ps) diagonal &= p.i == p.j;
  if (diagonal && int64_t(ps.size()) == t.size) return "|" + std::string(t.name) + "|^2";
  if (diagonal && ps.size() == 1)
    return std::string(t.name) + (t.rank ? "[" + std::to_string(ps[0].i - t.offset) + "]" : "") + "^2";
  return "(a sum of " + std::to_string(ps.size()) + " products of entries of " + std::string(t.name) + ")";
}

std::string formulaOf(const nag_model& m, const std::vector<Conserved::Pair>& pairs) {
  // Groups by (tensor, coefficient), positive coefficients first.
  std::map<std::pair<double, int64_t>, std::vector<Conserved::Pair>> groups;
  for (const auto& p : pairs) {
    const nag_tensor_info* t = tensorOf(m, p.i);
    groups[{-p.c, t ? t->offset : 0}].push_back(p);
  }
  std::string out;
  for (const auto& [key, ps] : groups) {
    double c = -key.first;
    const nag_tensor_info* t = tensorOf(m, ps[0].i);
    std::string term = t ? groupText(*t, ps) : "theta terms";
    std::string mag = std::fabs(c) == 1 ? "" : number(std::fabs(c)) + " ";
    if (out.empty()) out = (c < 0 ? "-" : "") + mag + term;
    else out += (c < 0 ? " - " : " + ") + mag + term;
  }
  return out;
}

// The name of generator k of its symmetry.
std::string generatorName(const nag_model& m, const nag_generator& g, int64_t k, int64_t count) {
  std::string what = m.symmetries[g.symmetry].description;
  if (what.rfind("rescaling of the", 0) == 0) {
    for (int64_t t = 0; t < g.num_terms; ++t)
      if (g.terms[3 * t + 2] == 1)
        if (const nag_tensor_info* ti = tensorOf(m, g.terms[3 * t]); ti && ti->rank == 2)
          return "neuron " + std::to_string(k) + " of " + ti->name;
    return "neuron " + std::to_string(k);
  }
  int64_t n = int64_t(std::llround(std::sqrt(double(count))));
  if (what.rfind("GL(", 0) == 0 && n * n == count)
    return "entry (" + std::to_string(k / n) + ", " + std::to_string(k % n) + ") of " + what;
  return "generator " + std::to_string(k);
}

// v = (M + M^T) theta, i.e. the gradient of Q, for integer or residue arithmetic.
template <typename T, typename Mul, typename Add>
std::vector<T> gradientOf(const nag_generator& g, const std::vector<T>& theta, Mul mul, Add add, T coeff(int64_t)) {
  std::vector<T> v(theta.size(), T(0));
  for (int64_t t = 0; t < g.num_terms; ++t) {
    int64_t r = g.terms[3 * t], c = g.terms[3 * t + 1];
    T k = coeff(g.terms[3 * t + 2]);
    v[size_t(r)] = add(v[size_t(r)], mul(k, theta[size_t(c)]));
    v[size_t(c)] = add(v[size_t(c)], mul(k, theta[size_t(r)]));
  }
  return v;
}

uint64_t mulmod(uint64_t a, uint64_t b) { return uint64_t((unsigned __int128)a * b % kPrime); }
uint64_t addmod(uint64_t a, uint64_t b) { return (a + b) % kPrime; }
uint64_t residue(int64_t c) { return c >= 0 ? uint64_t(c) % kPrime : kPrime - uint64_t(-c) % kPrime; }
double times(double a, double b) { return a * b; }
double plus(double a, double b) { return a + b; }
double asDouble(int64_t c) { return double(c); }

// Checks (M + M^T) theta in ker J; "" when it is, else why not.
class KernelCheck {
public:
  KernelCheck(const nag_model& m, uint64_t seed) : m_(m), P_(m.param_count) {
    exact_ = m.jac_theta_mod && m.eval_mod;
    int64_t rows = P_ + 8;
    if (exact_) {
      uint64_t state = streamState(seed, 5);
      thetaMod_.resize(size_t(P_));
      for (auto& v : thetaMod_) v = splitmix64(state) % kPrime;
      f_ = rowFunctionals(m, kPrime, rows, seed);
      if (!jacobianRows(m, f_, thetaMod_, jacMod_)) exact_ = false;  // a denominator vanished: float instead
    }
    if (!exact_) {
      const nag_function_info* jac = nullptr;
      for (int32_t i = 0; i < m.num_functions; ++i)
        if (std::strcmp(m.functions[i].name, "jac_theta") == 0) jac = &m.functions[i];
      if (!jac) throw Error("train: the program has no jac_theta kernel");
      Random rng(seed ^ 0x51DEull);
      thetaF_.resize(size_t(P_));
      for (auto& v : thetaF_) v = rng.uniform();
      std::vector<double> x(size_t(rows * m.input_size));
      for (auto& v : x) v = rng.uniform();
      jacF_.resize(size_t(rows * m.output.size * P_));
      jac->fn(thetaF_.data(), x.data(), nullptr, nullptr, jacF_.data(), rows);
      for (double v : jacF_) norm_ += v * v;
      norm_ = std::sqrt(norm_);
    }
    rows_ = exact_ ? rows : rows * m.output.size;
  }
  std::string how() const {
    return exact_ ? "exactly: J (M + M^T) theta = 0 mod 2^31 - 1 at a random theta, " + std::to_string(rows_) +
                        " random row functionals of the Jacobian"
                  : "in floating point: |J (M + M^T) theta| <= 1e-9 |J| |(M + M^T) theta| at a random theta and " +
                        std::to_string(rows_ / m_.output.size) + " random inputs";
  }
  std::string check(const nag_generator& g) const {
    if (exact_) {
      std::vector<uint64_t> v = gradientOf<uint64_t>(g, thetaMod_, mulmod, addmod, residue);
      for (int64_t r = 0; r < rows_; ++r) {
        unsigned __int128 acc = 0;
        for (int64_t j = 0; j < P_; ++j) acc = (acc + (unsigned __int128)jacMod_[size_t(r * P_ + j)] * v[size_t(j)]) % kPrime;
        if (acc != 0) return "(M + M^T) theta is not in ker J (checked exactly mod 2^31 - 1)";
      }
      return "";
    }
    std::vector<double> v = gradientOf<double>(g, thetaF_, times, plus, asDouble);
    double vn = 0, worst = 0;
    for (double e : v) vn += e * e;
    vn = std::sqrt(vn);
    for (int64_t r = 0; r < rows_; ++r) {
      double acc = 0;
      for (int64_t j = 0; j < P_; ++j) acc += jacF_[size_t(r * P_ + j)] * v[size_t(j)];
      worst = std::max(worst, std::fabs(acc));
    }
    if (worst > kFloatTolerance * norm_ * vn)
      return "(M + M^T) theta is not in ker J: |J v| = " + jsonShort(worst) + " at a random theta";
    return "";
  }

private:
  const nag_model& m_;
  int64_t P_;
  bool exact_ = false;
  int64_t rows_ = 0;
  RowFunctionals f_;
  std::vector<uint64_t> thetaMod_, jacMod_;
  std::vector<double> thetaF_, jacF_;
  double norm_ = 0;
};

}  // namespace

double Conserved::value(const double* theta) const {
  double q = 0;
  for (const Pair& p : pairs) q += p.c * theta[p.i] * theta[p.j];
  return q;
}

double Conserved::scale(const double* theta) const {
  double s = 0;
  for (const Pair& p : pairs) s += std::fabs(p.c * theta[p.i] * theta[p.j]);
  return s;
}

ConservedSet conservedQuantities(const nag_model& m, uint64_t seed) {
  ConservedSet out;
  if (m.num_generators == 0) return out;
  KernelCheck check(m, seed);
  out.check = check.how();
  std::vector<int64_t> count(size_t(m.num_symmetries), 0), index(size_t(m.num_generators));
  for (int64_t g = 0; g < m.num_generators; ++g) index[size_t(g)] = count[size_t(m.generators[g].symmetry)]++;
  for (int64_t g = 0; g < m.num_generators; ++g) {
    const nag_generator& gen = m.generators[g];
    Conserved q;
    q.symmetry = m.symmetries[gen.symmetry].description;
    q.name = generatorName(m, gen, index[size_t(g)], count[size_t(gen.symmetry)]);
    q.pairs = pairsOf(gen);
    if (q.pairs.empty()) continue;  // antisymmetric M (a rotation): Q = 0
    bool seen = false;
    for (const Conserved& k : out.kept) {
      if (k.pairs.size() != q.pairs.size()) continue;
      bool same = true;
      for (size_t t = 0; t < k.pairs.size() && same; ++t)
        same = k.pairs[t].i == q.pairs[t].i && k.pairs[t].j == q.pairs[t].j && k.pairs[t].c == q.pairs[t].c;
      seen |= same;
    }
    if (seen) continue;  // GL(k): entries (a, b) and (b, a) give the same quantity
    if (std::string why = check.check(gen); !why.empty()) {
      out.rejected.push_back(q.name + " (" + q.symmetry + "): " + why);
      continue;
    }
    q.formula = formulaOf(m, q.pairs);
    out.kept.push_back(std::move(q));
  }
  return out;
}

}  // namespace nagrt::train
