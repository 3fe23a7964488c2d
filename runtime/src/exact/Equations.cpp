// Equations.cpp — `equations`: the ideal of the neurovariety in low degree, by interpolation mod p, lifted to Q.
//
// Coefficient coordinates mod p: f_theta at N random points x_j (N = the
// monomials of one output) gives y = V c with V[j, alpha] = x_j^alpha, so
// c = V^-1 y (V inverted once per prime). Coordinates zero at a few random
// theta are identically zero (each is the linear equation c = 0) and dropped.
// For k = 1, 2, ...: the kernel of the matrix of degree-k monomials (all
// degrees <= k when V is not a cone) in the remaining coordinates at
// (#monomials + margin) random image points is I(V)_k; the new generators
// are its part outside the span U of the multiples of lower generators,
// taken canonically: kernel vectors reduced by RREF(U), then put in RREF.
// Every prime gives the same pivots unless it is unlucky; the majority's
// entries are combined by CRT and rational reconstruction until one more
// prime changes nothing, then verified mod a fresh prime at fresh points.
#include "../Exact.h"
#include "Equations.h"

#include "DenseModP.h"
#include "Interpolate.h"

#include <flint/fmpq.h>
#include <flint/fmpz.h>
#include <flint/nmod_mat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <sstream>

namespace nagrt {

namespace {

constexpr int64_t kRowMargin = 16;  // image points beyond the number of monomials
constexpr int kMaxPrimes = 16;
constexpr int64_t kVerifyPoints = 8;

uint64_t mulmod(uint64_t a, uint64_t b, uint64_t p) { return uint64_t((unsigned __int128)a * b % p); }

// Coefficient coordinates of f_theta mod p at random theta.
class CoefficientSampler {
public:
  CoefficientSampler(const nag_model& m, const std::vector<Coordinate>& coords, uint64_t p, uint64_t seed)
      : m_(m), p_(p), draw_(seed, p) {
    initModulus(m, &mod_, p, "equations");
    for (const Coordinate& c : coords)
      if (c.output == 0) alphas_.push_back(c.alpha);
    n_ = int64_t(alphas_.size());
    const int64_t I = m.input_size;
    for (int attempt = 0;; ++attempt) {
      x_.assign(size_t(n_ * I), 0);
      for (auto& v : x_) v = draw_.next();
      nmod_mat_t v;
      nmod_mat_init(v, n_, n_, p);
      for (int64_t j = 0; j < n_; ++j)
        for (int64_t a = 0; a < n_; ++a) {
          uint64_t e = 1;
          for (int64_t i = 0; i < I; ++i)
            for (int t = 0; t < alphas_[size_t(a)][size_t(i)]; ++t) e = mulmod(e, x_[size_t(j * I + i)], p);
          nmod_mat_entry(v, j, a) = e;
        }
      nmod_mat_init(inv_, n_, n_, p);
      int ok = nmod_mat_inv(inv_, v);
      nmod_mat_clear(v);
      if (ok) break;
      nmod_mat_clear(inv_);
      if (attempt > 20) throw Error("equations: the interpolation points keep being singular mod p");
    }
  }
  ~CoefficientSampler() { nmod_mat_clear(inv_); }
  CoefficientSampler(const CoefficientSampler&) = delete;
  CoefficientSampler& operator=(const CoefficientSampler&) = delete;

  /// The O * n coordinates (output-major) at a random theta.
  std::vector<uint64_t> next() {
    std::vector<uint64_t> theta(static_cast<size_t>(m_.param_count)), c;
    for (int attempt = 0;; ++attempt) {
      for (auto& v : theta) v = draw_.next();
      if (at(theta, c)) return c;
      if (attempt > 100) throw Error("equations: a denominator vanished mod p at 100 random points in a row");
    }
  }

  /// The coordinates of f_theta for a given theta mod p; false when a
  /// denominator vanished there.
  bool at(const std::vector<uint64_t>& theta, std::vector<uint64_t>& c) {
    const int64_t O = m_.output.size;
    std::vector<uint64_t> y(static_cast<size_t>(n_ * O));
    c.assign(static_cast<size_t>(n_ * O), 0);
    mod_.vanished = 0;
    evalMod(m_, theta.data(), x_.data(), y.data(), n_, &mod_);
    if (mod_.vanished != 0) return false;
    for (int64_t o = 0; o < O; ++o)
      for (int64_t a = 0; a < n_; ++a) {
        unsigned __int128 acc = 0;
        for (int64_t j = 0; j < n_; ++j) acc = (acc + (unsigned __int128)nmod_mat_entry(inv_, a, j) * y[size_t(j * O + o)]) % p_;
        c[size_t(o * n_ + a)] = uint64_t(acc);
      }
    return true;
  }

private:
  const nag_model& m_;
  uint64_t p_;
  ResidueStream draw_;
  nag_modulus mod_;
  std::vector<std::vector<int>> alphas_;
  int64_t n_ = 0;
  std::vector<uint64_t> x_;
  nmod_mat_t inv_;
};

// A generator mod p: exponents over the support and coefficients.
struct ModGenerator {
  int degree = 0;
  std::vector<std::pair<std::vector<int>, uint64_t>> terms;
};

// One prime's echelon forms, degree by degree.
struct PrimeRun {
  uint64_t prime = 0;
  std::vector<EquationStep> steps;
  std::vector<std::vector<int64_t>> pivots;          // per degree: pivots of the new generators
  std::vector<std::vector<std::vector<uint64_t>>> gens;  // per degree: the RREF rows
  std::string stopped;
  int64_t lastDegree = 0;
};

PrimeRun runPrime(const nag_model& m, const std::vector<Coordinate>& coords, const std::vector<int64_t>& support,
                  bool cone, uint64_t p, uint64_t seed, int64_t maxDegree, bool untilFirst, int64_t maxColumns,
                  const std::function<void(const std::string&)>& say) {
  PrimeRun run;
  run.prime = p;
  CoefficientSampler sampler(m, coords, p, seed);
  const int n = int(support.size());
  std::vector<std::vector<uint64_t>> pool;
  std::vector<ModGenerator> lower;
  for (int64_t k = 1; k <= maxDegree; ++k) {
    Monomials basis(n, int(k), !cone);
    int64_t cols = basis.size();
    if (cols > maxColumns) {
      run.stopped = "degree " + std::to_string(k) + " needs " + std::to_string(cols) + " monomials in " +
                    std::to_string(n) + " coordinates, beyond --max-columns " + std::to_string(maxColumns);
      break;
    }
    int64_t rows = cols + kRowMargin;
    say("degree " + std::to_string(k) + ": kernel of a " + std::to_string(rows) + " x " + std::to_string(cols) +
        " monomial matrix mod " + std::to_string(p));
    while (int64_t(pool.size()) < rows) {
      std::vector<uint64_t> c = sampler.next(), y(static_cast<size_t>(n));
      for (int i = 0; i < n; ++i) y[size_t(i)] = c[size_t(support[size_t(i)])];
      pool.push_back(std::move(y));
    }
    // The matrix and the engine's working copy, refused before they are allocated.
    exact::checkDenseFits(2 * rows, cols, "equations: the degree-" + std::to_string(k) + " monomial matrix");
    std::vector<uint64_t> mat(static_cast<size_t>(rows * cols));
    for (int64_t i = 0; i < rows; ++i) basis.evaluate(pool[size_t(i)].data(), p, mat.data() + i * cols);
    std::vector<std::vector<uint64_t>> kernel = kernelModP(std::move(mat), rows, cols, p);
    // The multiples of the lower generators, in this degree's basis.
    std::vector<std::vector<uint64_t>> multiples;
    for (const ModGenerator& g : lower) {
      Monomials shift(n, int(k - g.degree), !cone);
      for (int64_t u = 0; u < shift.size(); ++u) {
        std::vector<uint64_t> v(size_t(cols), 0);
        for (const auto& t : g.terms) {
          std::vector<int> e = t.first;
          for (int i = 0; i < n; ++i) e[size_t(i)] += shift.exponent(u)[size_t(i)];
          int64_t at = basis.index(e);
          if (at < 0) throw Error("internal error: equations: a multiple left the monomial basis");
          v[size_t(at)] = (v[size_t(at)] + t.second) % p;
        }
        multiples.push_back(std::move(v));
      }
    }
    std::vector<int64_t> upiv;
    std::vector<std::vector<uint64_t>> u = rrefRows(multiples, cols, p, upiv);
    for (auto& v : kernel)
      for (size_t r = 0; r < u.size(); ++r) {
        uint64_t c = v[size_t(upiv[r])];
        if (!c)
          continue;
        for (int64_t j = 0; j < cols; ++j) v[size_t(j)] = (v[size_t(j)] + mulmod(p - c, u[r][size_t(j)], p)) % p;
      }
    std::vector<int64_t> piv;
    std::vector<std::vector<uint64_t>> fresh = rrefRows(kernel, cols, p, piv);
    run.steps.push_back({k, rows, cols, int64_t(kernel.size()), int64_t(u.size()), int64_t(fresh.size())});
    run.pivots.push_back(piv);
    for (const auto& row : fresh) {
      ModGenerator g;
      for (int64_t j = 0; j < cols; ++j)
        if (row[size_t(j)]) {
          g.terms.push_back({basis.exponent(j), row[size_t(j)]});
          g.degree = std::max(g.degree, basis.degree(j));
        }
      lower.push_back(std::move(g));
    }
    run.gens.push_back(std::move(fresh));
    run.lastDegree = k;
    if (untilFirst && !lower.empty()) break;
  }
  return run;
}

std::string signature(const PrimeRun& r) {
  std::ostringstream s;
  for (size_t i = 0; i < r.steps.size(); ++i) {
    s << r.steps[i].k << ":" << r.steps[i].cols << ":";
    for (int64_t c : r.pivots[i]) s << c << ",";
    s << ";";
  }
  return s.str();
}

// Rational reconstruction of every entry from the runs' residues; false when
// some entry has no reconstruction yet.
bool lift(const std::vector<const PrimeRun*>& runs, std::vector<std::vector<std::vector<std::string>>>& out) {
  const PrimeRun& first = *runs[0];
  out.assign(first.gens.size(), {});
  fmpz_t acc, mod, tmp;
  fmpq_t q;
  fmpz_init(acc);
  fmpz_init(mod);
  fmpz_init(tmp);
  fmpq_init(q);
  bool ok = true;
  for (size_t d = 0; d < first.gens.size() && ok; ++d) {
    out[d].assign(first.gens[d].size(), {});
    for (size_t g = 0; g < first.gens[d].size() && ok; ++g)
      for (size_t j = 0; j < first.gens[d][g].size() && ok; ++j) {
        fmpz_set_ui(acc, first.gens[d][g][j]);
        fmpz_set_ui(mod, first.prime);
        for (size_t r = 1; r < runs.size(); ++r) {
          fmpz_CRT_ui(tmp, acc, mod, runs[r]->gens[d][g][j], runs[r]->prime, 0);
          fmpz_swap(acc, tmp);
          fmpz_mul_ui(mod, mod, runs[r]->prime);
        }
        if (!fmpq_reconstruct_fmpz(q, acc, mod)) {
          ok = false;
          break;
        }
        char* text = fmpq_get_str(nullptr, 10, q);
        out[d][g].push_back(text);
        flint_free(text);
      }
  }
  fmpz_clear(acc);
  fmpz_clear(mod);
  fmpz_clear(tmp);
  fmpq_clear(q);
  return ok;
}

// Integer coefficients: times the lcm of the denominators, over the content.
std::vector<std::string> primitive(const std::vector<std::string>& entries) {
  std::vector<fmpq*> qs;
  fmpz_t l, c, t;
  fmpz_init_set_ui(l, 1);
  fmpz_init(c);
  fmpz_init(t);
  for (const auto& e : entries) {
    fmpq* q = reinterpret_cast<fmpq*>(flint_malloc(sizeof(fmpq)));
    fmpq_init(q);
    fmpq_set_str(q, e.c_str(), 10);
    fmpz_lcm(l, l, fmpq_denref(q));
    qs.push_back(q);
  }
  std::vector<fmpz*> zs;
  for (fmpq* q : qs) {
    fmpz* z = reinterpret_cast<fmpz*>(flint_malloc(sizeof(fmpz)));
    fmpz_init(z);
    fmpz_divexact(t, l, fmpq_denref(q));
    fmpz_mul(z, t, fmpq_numref(q));
    fmpz_gcd(c, c, z);
    zs.push_back(z);
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < zs.size(); ++i) {
    if (!fmpz_is_zero(c)) fmpz_divexact(zs[i], zs[i], c);
    char* text = fmpz_get_str(nullptr, 10, zs[i]);
    out.push_back(text);
    flint_free(text);
    fmpz_clear(zs[i]);
    flint_free(zs[i]);
    fmpq_clear(qs[i]);
    flint_free(qs[i]);
  }
  fmpz_clear(l);
  fmpz_clear(c);
  fmpz_clear(t);
  return out;
}

uint64_t residue(const std::string& integer, uint64_t p) {
  fmpz_t z;
  fmpz_init(z);
  fmpz_set_str(z, integer.c_str(), 10);
  uint64_t r = fmpz_fdiv_ui(z, p);
  fmpz_clear(z);
  return r;
}

}  // namespace

std::vector<Coordinate> coefficientCoordinates(const nag_model& m) {
  std::vector<int> degrees;
  std::string set = m.degree_set ? m.degree_set : "";
  if (set.empty())
    for (int64_t d = m.min_degree; d <= m.degree; ++d) degrees.push_back(int(d));
  std::stringstream in(set);
  for (std::string tok; std::getline(in, tok, ',');)
    if (!tok.empty()) degrees.push_back(std::stoi(tok));
  std::sort(degrees.begin(), degrees.end());
  const int I = int(m.input_size);
  if (I == 0) degrees = {0};
  std::vector<Coordinate> out;
  for (int64_t o = 0; o < m.output.size; ++o)
    for (int d : degrees) {
      Monomials mono(I, d, false);
      for (int64_t i = 0; i < mono.size(); ++i) {
        Coordinate c;
        c.output = o;
        c.alpha = mono.exponent(i);
        c.name = "c_" + std::to_string(o);
        std::string text;
        for (int v = 0; v < I; ++v) {
          c.name += "_" + std::to_string(c.alpha[size_t(v)]);
          if (c.alpha[size_t(v)] == 0) continue;
          text += (text.empty() ? "" : "*") + std::string("x_") + std::to_string(v + 1);
          if (c.alpha[size_t(v)] > 1) text += "^" + std::to_string(c.alpha[size_t(v)]);
        }
        c.monomial = text.empty() ? "1" : text;
        out.push_back(std::move(c));
      }
    }
  return out;
}

EquationResult findEquations(const nag_model& m, const EquationOptions& o) {
  if (std::strcmp(m.algebraic_class, "polynomial") != 0 || !m.eval_mod)
    throw Error(std::string("equations: network '") + m.name + "' is " + m.algebraic_class +
                (m.algebraic_reason && *m.algebraic_reason ? std::string(" (") + m.algebraic_reason + ")" : "") +
                "; equations in coefficient coordinates need a polynomial network");
  auto start = std::chrono::steady_clock::now();
  auto say = [&](const std::string& what) {
    if (!o.progress) return;
    double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "equations: %s (%.1f s)\n", what.c_str(), t);
  };
  if (m.degree < 0 || !*m.ambient_dimension)
    throw Error(std::string("equations: network '") + m.name +
                "' has degree more than 2^62 in x; its coefficient coordinates cannot be listed");
  EquationResult r;
  r.coordinates = coefficientCoordinates(m);
  if (std::to_string(r.coordinates.size()) != std::string(m.ambient_dimension))
    throw Error("internal error: equations: " + std::to_string(r.coordinates.size()) +
                " coefficient coordinates from the degree set, but the coordinate space is " + m.ambient_dimension);
  r.cone = testCone(m, o.seed, r.coneWitness);
  // The support: coordinates nonzero at some of a few random theta.
  uint64_t p = primeBelowN(uint64_t(1) << 26);
  {
    CoefficientSampler s(m, r.coordinates, primeBelowN(std::min(uint64_t(1) << 61, modularPrimeLimit(m))), o.seed ^ 0x5EEDull);
    std::vector<char> nonzero(r.coordinates.size(), 0);
    for (int t = 0; t < 4; ++t) {
      std::vector<uint64_t> c = s.next();
      for (size_t i = 0; i < c.size(); ++i) nonzero[i] |= c[i] != 0;
    }
    for (size_t i = 0; i < nonzero.size(); ++i) (nonzero[i] ? r.support : r.zero).push_back(int64_t(i));
  }
  const bool untilFirst = o.maxDegree == 0;
  int64_t maxDegree = untilFirst ? 1000 : o.maxDegree;
  // A neurovariety dense in the space of its nonzero coordinates has no
  // equations but the vanishing coordinates: the exact rank (a lower bound on
  // the dimension) reaching their number proves it, and the search by degree
  // would otherwise run on to --max-columns, minutes of ranks that find nothing.
  {
    DimOptions d;
    d.seed = o.seed;
    say("measuring the dimension");
    int64_t rank = measureDimension(m, d).exactRank;
    if (rank >= int64_t(r.support.size())) {
      maxDegree = 0;
      r.fills = true;
      r.stopped = "the neurovariety fills the space of its " + std::to_string(r.support.size()) +
                  " nonzero coordinates (exact rank " + std::to_string(rank) +
                  " mod p): it has no equations but the vanishing coordinates";
    }
  }
  std::vector<PrimeRun> runs;
  std::vector<std::vector<std::vector<std::string>>> previous, current;
  bool havePrevious = false;
  const PrimeRun* chosen = nullptr;
  std::vector<const PrimeRun*> group;
  runs.reserve(kMaxPrimes);
  for (int i = 0; i < kMaxPrimes; ++i, p = primeBelowN(p)) {
    int64_t limit = runs.empty() ? maxDegree : runs[0].lastDegree;
    runs.push_back(runPrime(m, r.coordinates, r.support, r.cone, p, o.seed + uint64_t(i), limit,
                            runs.empty() && untilFirst, o.maxColumns, say));
    // The majority's echelon shape.
    std::map<std::string, std::vector<const PrimeRun*>> bySig;
    for (const PrimeRun& run : runs) bySig[signature(run)].push_back(&run);
    group.clear();
    for (auto& kv : bySig)
      if (kv.second.size() > group.size()) group = kv.second;
    chosen = group[0];
    bool anything = false;
    for (const auto& g : chosen->gens) anything |= !g.empty();
    if (!anything) break;  // no equations: nothing to lift
    bool ok = lift(group, current);
    if (ok && havePrevious && current == previous && group.size() >= 2) break;
    if (ok) {
      previous = current;
      havePrevious = true;
    } else {
      havePrevious = false;
    }
  }
  r.steps = chosen->steps;
  r.lastDegree = chosen->lastDegree;
  if (!r.fills) r.stopped = runs[0].stopped;
  for (const PrimeRun& run : runs) {
    bool in = std::find(group.begin(), group.end(), &run) != group.end();
    (in ? r.primes : r.discarded).push_back(run.prime);
  }
  // The equations, with integer coefficients.
  bool anything = false;
  for (const auto& g : chosen->gens) anything |= !g.empty();
  if (anything && !havePrevious)
    throw Error("equations: rational reconstruction did not stabilize over " + std::to_string(kMaxPrimes) +
                " primes (coefficients too large); nothing is printed rather than a guess");
  const int n = int(r.support.size());
  for (size_t d = 0; d < current.size() && anything; ++d) {
    Monomials basis(n, int(chosen->steps[d].k), !r.cone);
    for (const auto& entries : current[d]) {
      std::vector<std::string> ints = primitive(entries);
      Equation e;
      for (int64_t j = 0; j < basis.size(); ++j)
        if (ints[size_t(j)] != "0") {
          e.terms.push_back({ints[size_t(j)], basis.exponent(j)});
          e.degree = std::max(e.degree, basis.degree(j));
        }
      // Highest degree first (the basis lists degrees ascending).
      std::stable_sort(e.terms.begin(), e.terms.end(), [](const auto& a, const auto& b) {
        int da = 0, db = 0;
        for (int v : a.second) da += v;
        for (int v : b.second) db += v;
        return da > db;
      });
      r.equations.push_back(std::move(e));
    }
  }
  // Verification at fresh image points mod a fresh prime.
  r.verifyPrime = primeBelowN(std::min(uint64_t(1) << 40, modularPrimeLimit(m)));
  r.verifyPoints = kVerifyPoints;
  CoefficientSampler fresh(m, r.coordinates, r.verifyPrime, o.seed ^ 0xF2E5ull);
  r.verified = true;
  for (int64_t t = 0; t < kVerifyPoints && r.verified; ++t) {
    std::vector<uint64_t> c = fresh.next();
    for (int64_t z : r.zero) r.verified &= c[size_t(z)] == 0;
    for (const Equation& e : r.equations) {
      unsigned __int128 acc = 0;
      for (const auto& term : e.terms) {
        uint64_t v = residue(term.first, r.verifyPrime);
        for (int i = 0; i < n; ++i)
          for (int a = 0; a < term.second[size_t(i)]; ++a) v = mulmod(v, c[size_t(r.support[size_t(i)])], r.verifyPrime);
        acc = (acc + v) % r.verifyPrime;
      }
      r.verified &= acc == 0;
    }
  }
  return r;
}

int64_t equationJacobianRank(const nag_model& m, const EquationResult& r, const std::vector<uint64_t>& theta, uint64_t p,
                             uint64_t seed) {
  CoefficientSampler sampler(m, r.coordinates, p, seed);
  std::vector<uint64_t> c;
  if (!sampler.at(theta, c)) return -1;
  const int64_t N = int64_t(r.coordinates.size());
  const int n = int(r.support.size());
  std::vector<uint64_t> rows;
  int64_t count = 0;
  auto row = [&]() -> uint64_t* {
    rows.resize(size_t((count + 1) * N), 0);
    return rows.data() + (count++) * N;
  };
  for (int64_t z : r.zero) row()[z] = 1;  // d(c_z) = e_z
  for (const Equation& e : r.equations) {
    uint64_t* g = row();
    for (const auto& term : e.terms) {
      uint64_t coeff = residue(term.first, p);
      for (int i = 0; i < n; ++i) {
        int a = term.second[size_t(i)];
        if (a == 0) continue;
        // d/dc_i of coeff * prod c^alpha = coeff * a * c_i^(a-1) * prod_{j != i} c_j^alpha_j
        uint64_t v = mulmod(coeff, uint64_t(a) % p, p);
        for (int j = 0; j < n; ++j)
          for (int t = 0; t < term.second[size_t(j)] - (j == i ? 1 : 0); ++t)
            v = mulmod(v, c[size_t(r.support[size_t(j)])], p);
        uint64_t& at = g[r.support[size_t(i)]];
        at = (at + v) % p;
      }
    }
  }
  if (count == 0) return 0;
  return rankModP(std::move(rows), count, N, p);
}

}  // namespace nagrt
