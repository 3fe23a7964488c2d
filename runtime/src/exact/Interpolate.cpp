// Interpolate.cpp — `degree`: a generic projection of the neurovariety to C^{m+1}, its hypersurface interpolated mod p.
//
// V (dimension m, spanning an s-dimensional space) is sampled at image points
// mod p: evaluations (f_theta(x_1), ..., f_theta(x_M)) at random theta, an
// injective linear image of the span once their rank on image points is s
// (checked). A random (m+1) x (evaluation coordinates) matrix A projects them
// to C^{m+1}; a generic projection is birational onto its image (classical),
// a hypersurface of degree d = deg V. The least k at which the monomials of
// degree k (homogeneous for a cone; all degrees <= k otherwise) at random
// image points have a kernel is d, and that kernel must be 1-dimensional (the
// hypersurface's equation). Two primes and seeds; ranks mod p err only low,
// i.e. towards a too-small degree, so a disagreement is reported, not hidden.
#include "../Exact.h"
#include "Interpolate.h"
#include "DenseModP.h"

#include <flint/nmod_mat.h>
#include <flint/ulong_extras.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>

namespace nagrt {

namespace {

constexpr int64_t kRowMargin = 8;  // image points beyond the number of monomials

uint64_t mulmod(uint64_t a, uint64_t b, uint64_t p) { return uint64_t((unsigned __int128)a * b % p); }

uint64_t powmod(uint64_t a, int64_t e, uint64_t p) {
  uint64_t r = 1 % p;
  for (; e > 0; e >>= 1, a = mulmod(a, a, p))
    if (e & 1) r = mulmod(r, a, p);
  return r;
}

// Copies a row-major matrix into FLINT's type (and frees the vector).
void toNmod(nmod_mat_t out, std::vector<uint64_t>& a, int64_t rows, int64_t cols, uint64_t p) {
  nmod_mat_init(out, rows, cols, p);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) nmod_mat_entry(out, i, j) = a[size_t(i * cols + j)] % p;
  std::vector<uint64_t>().swap(a);
}

}  // namespace

// Below 2^26 both go to FFLAS-FFPACK on BLAS (DenseModP.h: the same
// canonical kernel basis as the FLINT code below, which serves larger primes).
static std::vector<double> toDense(std::vector<uint64_t>& a, uint64_t p) {
  std::vector<double> d(a.size());
  for (size_t i = 0; i < a.size(); ++i) d[i] = double(a[i] % p);
  std::vector<uint64_t>().swap(a);
  return d;
}

std::vector<std::vector<uint64_t>> kernelModP(std::vector<uint64_t> a, int64_t rows, int64_t cols, uint64_t p) {
  if (exact::fflasPrimeOk(p) && rows > 0 && cols > 0) {
    std::vector<double> d = toDense(a, p);
    return exact::rightKernel(d.data(), rows, cols, p);
  }
  nmod_mat_t m;
  toNmod(m, a, rows, cols, p);
  int64_t rank = rows == 0 ? 0 : int64_t(nmod_mat_rref(m));
  std::vector<int64_t> pivot;
  std::vector<char> isPivot(size_t(cols), 0);
  for (int64_t i = 0, c = 0; i < rank; ++i) {
    while (nmod_mat_entry(m, i, c) == 0) ++c;
    pivot.push_back(c);
    isPivot[size_t(c)] = 1;
  }
  std::vector<std::vector<uint64_t>> out;
  for (int64_t f = 0; f < cols; ++f) {
    if (isPivot[size_t(f)]) continue;
    std::vector<uint64_t> v(size_t(cols), 0);
    v[size_t(f)] = 1;
    for (int64_t i = 0; i < rank; ++i) {
      uint64_t e = nmod_mat_entry(m, i, f);
      v[size_t(pivot[size_t(i)])] = e ? p - e : 0;
    }
    out.push_back(std::move(v));
  }
  nmod_mat_clear(m);
  return out;
}

int64_t rankModP(std::vector<uint64_t> a, int64_t rows, int64_t cols, uint64_t p) {
  if (rows == 0 || cols == 0) return 0;
  if (exact::fflasPrimeOk(p)) {
    std::vector<double> d = toDense(a, p);
    return exact::rank(d.data(), rows, cols, p);
  }
  nmod_mat_t m;
  toNmod(m, a, rows, cols, p);
  std::vector<slong> perm(static_cast<size_t>(rows));
  for (int64_t i = 0; i < rows; ++i) perm[size_t(i)] = slong(i);
  int64_t rank = int64_t(nmod_mat_lu(perm.data(), m, 0));  // in place: no second copy
  nmod_mat_clear(m);
  return rank;
}

std::vector<std::vector<uint64_t>> rrefRows(const std::vector<std::vector<uint64_t>>& a, int64_t cols, uint64_t p,
                                            std::vector<int64_t>& pivots) {
  pivots.clear();
  if (a.empty()) return {};
  nmod_mat_t m;
  nmod_mat_init(m, slong(a.size()), cols, p);
  for (size_t i = 0; i < a.size(); ++i)
    for (int64_t j = 0; j < cols; ++j) nmod_mat_entry(m, i, j) = a[i][size_t(j)] % p;
  int64_t rank = int64_t(nmod_mat_rref(m));
  std::vector<std::vector<uint64_t>> out;
  for (int64_t i = 0, c = 0; i < rank; ++i) {
    while (nmod_mat_entry(m, i, c) == 0) ++c;
    pivots.push_back(c);
    std::vector<uint64_t> row(static_cast<size_t>(cols));
    for (int64_t j = 0; j < cols; ++j) row[size_t(j)] = nmod_mat_entry(m, i, j);
    out.push_back(std::move(row));
  }
  nmod_mat_clear(m);
  return out;
}

Monomials::Monomials(int n, int k, bool upTo) {
  // The full table: all monomials of degrees 0..k, degree by degree, lex
  // descending; each entry is its parent times var_ (the first variable
  // with a positive exponent). The requested degrees are exposed.
  std::vector<std::vector<int>> all;
  std::vector<int> allDeg;
  std::vector<int> e(size_t(n), 0);
  std::function<void(int, int, int)> rec = [&](int var, int left, int d) {
    if (n == 0 || var == n - 1) {
      if (n) e[size_t(var)] = left;
      else if (left) return;
      all.push_back(e);
      allDeg.push_back(d);
      return;
    }
    for (int a = left; a >= 0; --a) {
      e[size_t(var)] = a;
      rec(var + 1, left - a, d);
    }
    e[size_t(var)] = 0;
  };
  for (int d = 0; d <= k; ++d) rec(0, d, d);
  std::map<std::vector<int>, int64_t> where;
  for (size_t i = 0; i < all.size(); ++i) where[all[i]] = int64_t(i);
  for (size_t i = 0; i < all.size(); ++i) {
    int64_t par = -1;
    int v = -1;
    for (int j = 0; j < n && v < 0; ++j)
      if (all[i][size_t(j)] > 0) {
        std::vector<int> q = all[i];
        --q[size_t(j)];
        par = where[q];
        v = j;
      }
    parent_.push_back(par);
    var_.push_back(v);
    if (upTo || allDeg[i] == k) {
      index_[all[i]] = int64_t(exps_.size());
      exposed_.push_back(int64_t(i));
      exps_.push_back(all[i]);
      degs_.push_back(allDeg[i]);
    }
  }
}

int64_t Monomials::index(const std::vector<int>& e) const {
  auto it = index_.find(e);
  return it == index_.end() ? -1 : it->second;
}

void Monomials::evaluate(const uint64_t* y, uint64_t p, uint64_t* out) const {
  std::vector<uint64_t> val(parent_.size());
  for (size_t i = 0; i < parent_.size(); ++i)
    val[i] = parent_[i] < 0 ? 1 % p : mulmod(val[size_t(parent_[i])], y[var_[i]] % p, p);
  for (size_t i = 0; i < exposed_.size(); ++i) out[i] = val[size_t(exposed_[i])];
}

int64_t binomialCapped(int64_t n, int64_t k) {
  if (k < 0 || k > n) return 0;
  k = std::min(k, n - k);
  __int128 r = 1;
  for (int64_t i = 1; i <= k; ++i) {
    r = r * (n - k + i) / i;
    if (r > (__int128(1) << 62)) return int64_t(1) << 62;
  }
  return int64_t(r);
}

uint64_t primeBelowN(uint64_t n) {
  uint64_t q = n - 1;
  if (q % 2 == 0) --q;
  while (q > 2 && !n_is_prime(q)) q -= 2;
  return q;
}

bool testCone(const nag_model& m, uint64_t seed, std::string& witness) {
  if (!m.eval_mod) return false;
  const int64_t P = m.param_count, O = m.output.size, I = m.input_size;
  const uint64_t p = primeBelowN(std::min(uint64_t(1) << 61, modularPrimeLimit(m)));
  nag_modulus mod;
  initModulus(m, &mod, p, "degree");
  // Candidate blocks: each tensor, each consecutive pair (a layer's W, b), all.
  std::vector<std::pair<int64_t, int64_t>> blocks;
  std::vector<std::string> names;
  for (int32_t t = 0; t < m.num_params; ++t) {
    blocks.push_back({m.params[t].offset, m.params[t].offset + m.params[t].size});
    names.push_back(m.params[t].name);
  }
  for (int32_t t = 0; t + 1 < m.num_params; ++t) {
    blocks.push_back({m.params[t].offset, m.params[t + 1].offset + m.params[t + 1].size});
    names.push_back(std::string(m.params[t].name) + " and " + m.params[t + 1].name);
  }
  if (P > 0) {
    blocks.push_back({0, P});
    names.push_back("all parameters");
  }
  const int64_t points = I == 0 ? 1 : 3;
  int64_t maxE = m.theta_degree > 0 ? m.theta_degree : 32;
  ResidueStream draw(seed ^ 0xC0DEull, p);
  for (size_t b = 0; b < blocks.size(); ++b) {
    bool ok = true;
    int64_t found = -1;
    for (int trial = 0; trial < 2 && ok; ++trial) {
      std::vector<uint64_t> theta(static_cast<size_t>(P)), x(static_cast<size_t>(points * I)), y0(static_cast<size_t>(points * O)), y1(y0.size());
      for (auto& v : theta) v = draw.next();
      for (auto& v : x) v = draw.next();
      uint64_t lambda = draw.next();
      mod.vanished = 0;
      evalMod(m, theta.data(), x.data(), y0.data(), points, &mod);
      for (int64_t i = blocks[b].first; i < blocks[b].second; ++i) theta[size_t(i)] = mulmod(theta[size_t(i)], lambda, p);
      evalMod(m, theta.data(), x.data(), y1.data(), points, &mod);
      if (mod.vanished || std::all_of(y0.begin(), y0.end(), [](uint64_t v) { return v == 0; })) {
        ok = false;
        break;
      }
      int64_t e = -1;
      for (int64_t c = 1; c <= maxE && e < 0; ++c) {
        uint64_t l = powmod(lambda, c, p);
        bool all = true;
        for (size_t i = 0; i < y0.size() && all; ++i) all = mulmod(l, y0[i], p) == y1[i];
        if (all) e = c;
      }
      if (e < 0 || (found >= 0 && e != found)) ok = false;
      found = e;
    }
    if (ok) {
      witness = "scaling " + names[b] + " by lambda scales f by lambda^" + std::to_string(found);
      return true;
    }
  }
  return false;
}

EvaluationSampler::EvaluationSampler(const nag_model& m, uint64_t p, uint64_t seed, int64_t points)
    : m_(m), p_(p), draw_(seed, p), points_(m.input_size == 0 ? 1 : points) {
  cols_ = points_ * m.output.size;
  x_.resize(size_t(points_ * m.input_size));
  for (auto& v : x_) v = draw_.next();
  initModulus(m, &mod_, p, "degree");
}

std::vector<uint64_t> EvaluationSampler::next() {
  std::vector<uint64_t> theta(static_cast<size_t>(m_.param_count)), y(static_cast<size_t>(cols_));
  for (int attempt = 0;; ++attempt) {
    for (auto& v : theta) v = draw_.next();
    mod_.vanished = 0;
    evalMod(m_, theta.data(), x_.data(), y.data(), points_, &mod_);
    if (mod_.vanished == 0) return y;
    if (attempt > 100) throw Error("a denominator vanished mod p at 100 random parameter points in a row");
  }
}

namespace {

// The least k <= maxK (from `first`) whose monomials have a kernel at image
// points, one run; `only` restricts to those k (the second run's check).
void interpolate(const nag_model& m, const DegreeOptions& o, int64_t dim, int64_t span, bool cone, DegreeRun& run,
                 const std::vector<int64_t>& only, const std::function<void(const std::string&)>& say) {
  const uint64_t p = run.prime;
  // Evaluation coordinates injective on the span: their rank on s + margin
  // image points must be s.
  const int64_t O = m.output.size;
  int64_t points = m.input_size == 0 ? 1 : (span + kRowMargin + O - 1) / O;
  std::unique_ptr<EvaluationSampler> sampler;
  for (int attempt = 0;; ++attempt) {
    sampler = std::make_unique<EvaluationSampler>(m, p, streamState(run.seed, uint64_t(attempt)), points);
    int64_t rows = span + kRowMargin, cols = sampler->size();
    std::vector<uint64_t> e;
    e.reserve(size_t(rows * cols));
    for (int64_t i = 0; i < rows; ++i) {
      std::vector<uint64_t> y = sampler->next();
      e.insert(e.end(), y.begin(), y.end());
    }
    run.evaluationPoints = points;
    run.evaluationRank = rankModP(std::move(e), rows, cols, p);
    if (run.evaluationRank >= span) break;
    if (attempt >= 3 || m.input_size == 0)
      throw Error("degree: the evaluations at " + std::to_string(points) + " random points have rank " +
                  std::to_string(run.evaluationRank) + " on image points, below the span " + std::to_string(span) +
                  "; they do not give injective coordinates");
    points *= 2;
  }
  // The random projection to C^{m+1}.
  const int64_t n = dim + 1, cols = sampler->size();
  ResidueStream draw(run.seed ^ 0xA11CEull, p);
  std::vector<uint64_t> a(static_cast<size_t>(n * cols));
  for (auto& v : a) v = draw.next();
  std::vector<std::vector<uint64_t>> pool;
  auto image = [&](size_t want) {
    while (pool.size() < want) {
      std::vector<uint64_t> e = sampler->next(), y(static_cast<size_t>(n));
      for (int64_t r = 0; r < n; ++r) {
        unsigned __int128 acc = 0;
        for (int64_t c = 0; c < cols; ++c) acc = (acc + (unsigned __int128)a[size_t(r * cols + c)] * e[size_t(c)]) % p;
        y[size_t(r)] = uint64_t(acc);
      }
      pool.push_back(std::move(y));
    }
  };
  for (int64_t k = only.empty() ? 1 : only.front();; ++k) {
    if (!only.empty() && std::find(only.begin(), only.end(), k) == only.end()) {
      if (k > only.back()) return;
      continue;
    }
    int64_t monos = cone ? binomialCapped(dim + k, k) : binomialCapped(dim + 1 + k, k);
    if (monos > o.maxColumns) {
      double gib = double(monos + kRowMargin) * double(monos) * 8 * 2 / double(1 << 30);
      char size[64];
      std::snprintf(size, sizeof size, "%.1f", gib);
      // Every degree below k was ranked with a zero kernel: the projection's
      // hypersurface, of degree at most deg V, has no equation below k.
      run.stoppedAt = k;
      run.stopped = "no equation of degree below " + std::to_string(k) + " on the projection to C^" +
                    std::to_string(n) + ", so deg V >= " + std::to_string(k) + "; degree " + std::to_string(k) +
                    " needs a " + std::to_string(monos + kRowMargin) + " x " + std::to_string(monos) + " matrix of " +
                    (cone ? "homogeneous " : "") + "monomials in " + std::to_string(n) + " coordinates (about " + size +
                    " GiB), beyond --max-columns " + std::to_string(o.maxColumns) +
                    "; raise --max-columns, or use the numerical route (--method monodromy)";
      return;
    }
    int64_t rows = monos + kRowMargin;
    say("degree " + std::to_string(k) + ": ranking a " + std::to_string(rows) + " x " + std::to_string(monos) +
        " monomial matrix mod " + std::to_string(p));
    image(size_t(rows));
    Monomials basis(int(n), int(k), !cone);
    // The matrix and the engine's working copy, refused before they are allocated.
    exact::checkDenseFits(2 * rows, monos, "degree: the degree-" + std::to_string(k) + " monomial matrix");
    std::vector<uint64_t> mat(static_cast<size_t>(rows * monos));
    for (int64_t i = 0; i < rows; ++i) basis.evaluate(pool[size_t(i)].data(), p, mat.data() + i * monos);
    int64_t rank = rankModP(std::move(mat), rows, monos, p);
    run.steps.push_back({k, rows, monos, monos - rank});
    if (monos - rank > 0) {
      run.degree = k;
      return;
    }
  }
}


// The exact route: two primes and seeds; `r` gets the runs and the verdict.
void interpolationRoute(const nag_model& m, const DegreeOptions& o, DegreeResult& r,
                        const std::function<void(const std::string&)>& say) {
  const uint64_t p1 = primeBelowN(uint64_t(1) << 26), p2 = primeBelowN(p1);
  DegreeRun first;
  first.prime = p1;
  first.seed = o.seed;
  interpolate(m, o, r.dimension, r.span, r.cone, first, {}, say);
  r.runs.push_back(first);
  if (first.degree < 0) {  // stopped at the column budget: a lower bound, no second run to compare
    r.interpolationLowerBound = first.stoppedAt;
    r.notes.push_back("interpolation: " + first.stopped);
    return;
  }
  DegreeRun second;
  second.prime = p2;
  second.seed = o.seed + 1;
  std::vector<int64_t> check;
  if (first.degree > 1) check.push_back(first.degree - 1);
  check.push_back(first.degree);
  interpolate(m, o, r.dimension, r.span, r.cone, second, check, say);
  second.degree = -1;
  for (const auto& s : second.steps)
    if (s.kernel > 0 && second.degree < 0) second.degree = s.k;
  r.runs.push_back(second);
  r.interpolationAgree = second.degree == first.degree && first.steps.back().kernel == 1 && second.steps.back().kernel == 1;
  r.interpolationDegree = first.degree;
  if (!r.interpolationAgree)
    r.notes.push_back("the interpolation runs disagree (degree " + std::to_string(first.degree) +
                      " with kernel dimension " + std::to_string(first.steps.back().kernel) + " mod " +
                      std::to_string(p1) + "; " +
                      (second.degree < 0 ? std::string("no kernel at degree ") + std::to_string(first.degree)
                                         : "degree " + std::to_string(second.degree)) +
                      " mod " + std::to_string(p2) + "); a generic projection has a 1-dimensional kernel at its degree");
}

// The numerical route: seeds until two runs are complete (numeric::runSeeds);
// `r` gets every run and the verdict.
void monodromyRoute(const nag_model& m, const DegreeOptions& o, int64_t spanBound, DegreeResult& r) {
  r.monodromy = numeric::runSeeds(o.seed, o.witness.maxPoints > 0, [&](uint64_t seed) {
    numeric::WitnessOptions w = o.witness;
    w.seed = seed;
    w.progress = o.progress;
    if (!w.checkpoint.empty()) w.checkpoint += "." + std::to_string(seed);
    return numeric::witnessDegree(m, r.dimension, spanBound, w, r.witness);
  });
  std::vector<int64_t> complete;
  int64_t most = 0;
  for (const numeric::WitnessRun& run : r.monodromy) {
    if (run.complete) complete.push_back(run.points);
    most = std::max(most, run.points);
  }
  r.monodromyDegree = most;
  r.monodromyComplete = complete.size() == 2 && complete[0] == complete[1] && most == complete[0];
  if (complete.size() == 2 && !r.monodromyComplete)
    r.notes.push_back("the monodromy runs disagree (" + std::to_string(complete[0]) + " and " +
                      std::to_string(complete[1]) + " points passing the trace test, " + std::to_string(most) +
                      " at most)");
  else if (!r.monodromyComplete)
    r.notes.push_back("monodromy is incomplete (fewer than two runs passed the trace test): the degree is at least " +
                      std::to_string(most));
  else if (r.monodromy.size() > 2)
    r.notes.push_back("a run was incomplete (listed) and further seeds ran; two complete runs agree");
}

}  // namespace

DegreeResult measureDegree(const nag_model& m, const DegreeOptions& o) {
  if (o.method != "auto" && o.method != "interpolation" && o.method != "monodromy")
    throw Error("--method expects interpolation, monodromy or auto, got '" + o.method + "'");
  if (!m.eval_mod)
    throw Error(std::string("degree: network '") + m.name + "' is " + m.algebraic_class +
                (m.algebraic_reason && *m.algebraic_reason ? std::string(" (") + m.algebraic_reason + ")" : "") +
                "; the degree of a neurovariety needs a polynomial or rational network");
  auto start = std::chrono::steady_clock::now();
  auto say = [&](const std::string& what) {
    if (!o.progress) return;
    double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "degree: %s (%.1f s)\n", what.c_str(), t);
  };
  DegreeResult r;
  say("measuring the dimension and the span");
  DimOptions d;
  d.seed = o.seed;
  DimReport dr = measureDimension(m, d);
  r.dimension = dr.exactRank;
  r.span = dr.span.value;
  r.spanKnown = dr.span.known;
  r.cone = testCone(m, o.seed, r.coneWitness);
  if (r.spanKnown && r.dimension >= r.span) {
    r.degree = 1;
    r.method = "linear space";
    r.notes.push_back("the dimension equals the span: V is its span, a linear space");
    return r;
  }
  // Interpolation needs the span itself (injective coordinates of that
  // rank); monodromy only needs enough coordinates: an upper bound will do.
  int64_t spanBound = r.spanKnown ? r.span : -1;
  if (!r.spanKnown && m.ambient_dimension && *m.ambient_dimension) {
    char* end = nullptr;
    long long c = std::strtoll(m.ambient_dimension, &end, 10);
    if (*end == '\0' && c > 0 && c <= 100000) spanBound = c;
  }
  bool numeric = o.method != "interpolation";
  if (numeric) {
    if (spanBound < 0)
      throw Error("degree: the span of the function space is not known (" + dr.span.method +
                  ") and the coordinate space gives no usable bound; evaluation coordinates need one");
    say("monodromy: pseudo-witness sets for two seeds");
    monodromyRoute(m, o, spanBound, r);
  }
  // Interpolation: when asked, or (auto) as the exact cross-check when its
  // matrix at the degree found is small, or when monodromy did not settle.
  bool exact = o.method == "interpolation";
  if (o.method == "auto" && r.spanKnown) {
    int64_t d0 = std::max<int64_t>(r.monodromyDegree, 1);
    int64_t monos = r.cone ? binomialCapped(r.dimension + d0, d0) : binomialCapped(r.dimension + 1 + d0, d0);
    exact = monos <= std::min<int64_t>(o.maxColumns, kAutoCheckColumns) || (!r.monodromyComplete && monos <= o.maxColumns);
  }
  if (exact) {
    if (!r.spanKnown)
      throw Error("degree: the span of the function space is not known (" + dr.span.method +
                  "); the projection needs injective coordinates on it (--method monodromy needs only a bound)");
    interpolationRoute(m, o, r, say);
  }
  bool both = numeric && exact;
  r.method = both ? "interpolation and monodromy" : exact ? "projection + interpolation" : "monodromy (pseudo-witness set)";
  if (both) {
    r.degree = r.interpolationDegree;
    r.agree = r.interpolationAgree && r.monodromyComplete && r.monodromyDegree == r.interpolationDegree;
    if (r.interpolationAgree && r.monodromyComplete && r.monodromyDegree != r.interpolationDegree)
      r.notes.push_back("interpolation gives " + std::to_string(r.interpolationDegree) + " and monodromy " +
                        std::to_string(r.monodromyDegree) + " points");
    if (r.interpolationAgree && !r.monodromyComplete && r.monodromyDegree <= r.interpolationDegree) r.agree = true;
    if (r.interpolationLowerBound > 0) {  // interpolation stopped short: monodromy decides, or the larger bound
      r.degree = r.monodromyComplete ? r.monodromyDegree : std::max(r.monodromyDegree, r.interpolationLowerBound);
      r.agree = r.monodromyComplete && r.monodromyDegree >= r.interpolationLowerBound;
      r.lowerBound = !r.monodromyComplete;
      if (r.monodromyComplete && r.monodromyDegree < r.interpolationLowerBound)
        r.notes.push_back("monodromy's " + std::to_string(r.monodromyDegree) + " points contradict interpolation's deg V >= " +
                          std::to_string(r.interpolationLowerBound));
    }
  } else if (exact && r.interpolationLowerBound > 0) {
    r.degree = r.interpolationLowerBound;
    r.agree = false;
    r.lowerBound = true;
  } else if (exact) {
    r.degree = r.interpolationDegree;
    r.agree = r.interpolationAgree;
  } else {
    r.degree = r.monodromyDegree;
    r.agree = r.monodromyComplete;
    r.lowerBound = !r.monodromyComplete;
  }
  return r;
}

}  // namespace nagrt
