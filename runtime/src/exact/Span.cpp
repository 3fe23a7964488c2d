// Span.cpp — the linear span of a network's function space, measured over F_p.
//
// The span S of {f_theta} holds f_theta0 and every tangent space
// im dmu(theta) (a derivative of f_theta along theta is a limit of
// differences of functions in S, and S is a finite-dimensional linear space).
// Conversely, if L = <f_theta0> + im dmu(theta_1) + ... + im dmu(theta_s) and
// im dmu(theta) lies in L for generic theta, it does for every theta (a closed
// condition), so d/dt f_theta(t) stays in L along every path and
// f_theta - f_theta0 is in L for all theta: L = S. So the rank of the stacked
// rows [f_theta0; dmu(theta_1); ...; dmu(theta_s)], each evaluated at points
// x_1..x_n (injective on S once the points are many and generic), grows by
// one tangent space at a time, and S is reached when a new random tangent
// space adds nothing. Over F_p at random points every rank is a lower bound
// (a nonzero minor mod p is nonzero over Q; special points only lower it).
// The columns (points x outputs) are doubled when the rank comes within a
// margin of them; the search also stops when the rank meets a proven upper
// bound (the coordinate space).
//
// The stack is ranked as it grows, one block at a time (exact::RowRank: each
// block reduced against the echelon form of the rows before it, nothing
// ranked twice; pmlp [10,15,15,1]: median 0.062 -> 0.043 s of dim, A/B). Tangent rows go
// straight into the rank's scratch (tiled transpose), 128 at a time, and the
// search stops inside a block once the coordinate space is reached (with the
// vectorized residue check: 0.032 -> 0.021 s in-process).
//
// This takes about span/dim + 2 Jacobians at n points where the evaluation
// matrix [f_theta_i(x_j)] it replaces took n functions at n points: pmlp
// [10,15,15,1] (span 715, dim 255) 0.8 s -> see docs/dimension-report.md.
#include "../Exact.h"
#include "../Dim.h"

#include "Interpolate.h"
#include "DenseModP.h"

#include <flint/nmod_mat.h>
#include <flint/nmod_poly.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>

namespace nagrt {

namespace {
constexpr int64_t kSpanMargin = 8;

// The rank of the stacked rows, grown a block at a time. Over FFLAS's primes
// the blocks go into an exact::RowRank (block LU on BLAS: each block is
// reduced against the echelon form of those before it, nothing is ranked
// twice, and only the echelon form is kept), written by the caller straight
// into its scratch rows as doubles; a FLINT prime (residues up to 2^63, beyond
// a double) keeps the whole stack of integers and ranks it again after each
// block.
class StackRank {
public:
  StackRank(int64_t cols, uint64_t p) : cols_(cols), p_(p) {
    if (exact::fflasPrimeOk(p)) echelon_ = std::make_unique<exact::RowRank>(cols, p, cols);
  }
  /// Whether a rank costs only the new rows (RowRank) rather than the whole stack (FLINT).
  bool incremental() const { return bool(echelon_); }
  /// RowRank only: room for `count` rows (row-major, `cols` each) to be filled with residues 0 <= v < p and given
  /// to addScratch.
  double* scratch(int64_t count) {
    const size_t n = size_t(count) * size_t(cols_);
    if (scratch_.size() < n) {
      exact::checkDenseFits(count, cols_, "the span's rows");
      scratch_.resize(n);
    }
    return scratch_.data();
  }
  /// RowRank only: adds the first `count` scratch rows, kChunk at a time, and stops early once the rank reaches
  /// `enough` (a proven upper bound: the rows left cannot raise it). Returns the rank.
  int64_t addScratch(int64_t count, int64_t enough) {
    constexpr int64_t kChunk = 128;
    for (int64_t first = 0; first < count && echelon_->rank() < enough; first += kChunk)
      echelon_->add(scratch_.data() + size_t(first) * size_t(cols_), std::min(kChunk, count - first),
                    exact::Residues::Standard);
    return echelon_->rank();
  }
  /// Adds `count` rows of residues 0 <= v < p given as integers (f's row; every block for FLINT); returns the rank
  /// of all rows so far. Without `rank` (FLINT only) the rows are stacked and -1 is returned.
  int64_t add(const uint64_t* rows, int64_t count, bool rank = true) {
    if (echelon_) {
      std::copy(rows, rows + size_t(count) * size_t(cols_), scratch(count));
      return addScratch(count, cols_);
    }
    exact::checkDenseFits(int64_t(stack_.size()) / cols_ + count, cols_, "the span's rows");
    stack_.insert(stack_.end(), rows, rows + size_t(count) * size_t(cols_));
    return rank ? rankModP(stack_, int64_t(stack_.size()) / cols_, cols_, p_) : -1;
  }

private:
  int64_t cols_;
  uint64_t p_;
  std::unique_ptr<exact::RowRank> echelon_;
  exact::Doubles scratch_;       // one block as doubles (destroyed by each add)
  std::vector<uint64_t> stack_;  // every row, for a FLINT prime
};

// to[i * ldTo + q] = from[q * P + i] for q < rows, i < P: the Jacobian's (point, output) x parameter block into
// parameter rows, in 32 x 32 tiles (element by element it strides `to` by a whole row per write).
template <typename T>
void transposeInto(const uint64_t* from, int64_t rows, int64_t P, T* to, int64_t ldTo) {
  constexpr int64_t kTile = 32;
  for (int64_t q0 = 0; q0 < rows; q0 += kTile)
    for (int64_t i0 = 0; i0 < P; i0 += kTile) {
      const int64_t q1 = std::min(rows, q0 + kTile), i1 = std::min(P, i0 + kTile);
      for (int64_t i = i0; i < i1; ++i)
        for (int64_t q = q0; q < q1; ++q) to[size_t(i * ldTo + q)] = T(from[size_t(q * P + i)]);
    }
}
// The degrees in x that the compiler says f can have (nag_model.degree_set, else min_degree..degree); empty when
// unknown.
std::vector<int64_t> degreesInX(const nag_model& m) {
  std::vector<int64_t> out;
  if (m.degree_set && *m.degree_set) {
    for (const char* c = m.degree_set; *c;) {
      char* end = nullptr;
      long long k = std::strtoll(c, &end, 10);
      if (end == c || k < 0) return {};
      out.push_back(k);
      c = *end == ',' ? end + 1 : end;
    }
  } else if (m.min_degree >= 0 && m.degree >= m.min_degree && m.degree - m.min_degree <= 1 << 16) {
    for (int64_t k = m.min_degree; k <= m.degree; ++k) out.push_back(k);
  }
  return out;
}

// The span from a theorem, where the compiler found that x enters only as W x
// (nag_model.input_matrix): f_theta(A x) = f_theta'(x) with W A for W, so the
// span S is invariant under x -> A x for every A in GL_n. The scalars A = t I
// split S into its homogeneous parts S_k (a Vandermonde in t), and each S_k is
// a GL_n-submodule of Sym^k (x) C^O, O copies of the irreducible Sym^k (char 0),
// hence Sym^k (x) U_k for a subspace U_k of C^O (Schur's lemma); U_k holds
// the value at every x of the degree-k part of every f_theta. So when, for
// every degree k the coordinate space has, the degree-k parts at random
// (theta, x) take O independent values (a nonzero minor mod p is nonzero over
// Q), U_k = C^O and S is the whole coordinate space: proven. Otherwise (a part
// that vanished, outputs tied) nothing is claimed and the span is measured.
bool spanByInvariance(const nag_model& m, uint64_t prime, uint64_t seed, int64_t coordinate, SpanMeasure& s) {
  if (!m.input_matrix || !*m.input_matrix || coordinate < 0 || m.input_size == 0 || !m.eval_mod) return false;
  if (std::strcmp(m.algebraic_class, "polynomial") != 0) return false;
  const std::vector<int64_t> degrees = degreesInX(m);
  if (degrees.empty()) return false;
  const int64_t D = *std::max_element(degrees.begin(), degrees.end());
  const int64_t O = m.output.size, I = m.input_size, P = m.param_count;
  // (O + 2)(D + 1) evaluations and O x (O + 2) residues per degree: beyond a few million the measurement is used.
  if (uint64_t(D) + 2 >= prime || double(O + 2) * double(D + 1) > 4e6 || double(D + 1) * double(I + O) > 1.6e7 ||
      double(degrees.size()) * double(O) * double(O + 2) > 1.6e7)
    return false;
  nag_modulus mod;
  initModulus(m, &mod, prime, "dim (span)");
  const int64_t samples = O + 2, n = D + 1;
  ResidueStream draw(seed + 0x6A11F0ull, prime);
  std::vector<uint64_t> theta(static_cast<size_t>(P)), x(static_cast<size_t>(I)), xs(static_cast<size_t>(n * I)),
      y(static_cast<size_t>(n * O));
  std::vector<mp_limb_t> t(static_cast<size_t>(n)), v(static_cast<size_t>(n));
  for (int64_t j = 0; j < n; ++j) t[size_t(j)] = mp_limb_t(j + 1);
  std::vector<char> wanted(static_cast<size_t>(D + 1), 0);
  for (int64_t k : degrees) wanted[size_t(k)] = 1;
  // parts[d] is O x samples: the degree-degrees[d] part of output o at sample s.
  std::vector<nmod_mat_struct> parts(degrees.size());
  for (nmod_mat_struct& a : parts) nmod_mat_init(&a, O, samples, prime);
  nmod_poly_t poly;
  nmod_poly_init(poly, prime);
  bool consistent = true;
  for (int64_t smp = 0; smp < samples && consistent; ++smp) {
    for (auto& e : theta) e = draw.next();
    for (auto& e : x) e = draw.next();
    for (int64_t j = 0; j < n; ++j)
      for (int64_t i = 0; i < I; ++i) xs[size_t(j * I + i)] = uint64_t((unsigned __int128)t[size_t(j)] * x[size_t(i)] % prime);
    evalMod(m, theta.data(), xs.data(), y.data(), n, &mod);
    for (int64_t o = 0; o < O && consistent; ++o) {
      for (int64_t j = 0; j < n; ++j) v[size_t(j)] = y[size_t(j * O + o)];
      nmod_poly_interpolate_nmod_vec(poly, t.data(), v.data(), long(n));
      // f(t x) = sum_k t^k f_k(x): a coefficient at a degree outside the set would contradict the compiler.
      for (int64_t k = 0; k <= D; ++k)
        if (!wanted[size_t(k)] && nmod_poly_get_coeff_ui(poly, ulong(k)) != 0) consistent = false;
      for (size_t d = 0; d < degrees.size(); ++d)
        nmod_mat_entry(&parts[d], o, smp) = nmod_poly_get_coeff_ui(poly, ulong(degrees[d]));
    }
  }
  nmod_poly_clear(poly);
  bool full = consistent;
  for (nmod_mat_struct& a : parts) {
    if (full && rankModP(&a) < O) full = false;  // FFLAS on BLAS for the span's primes
    nmod_mat_clear(&a);
  }
  if (!full) return false;
  std::string ks;
  for (int64_t k : degrees) ks += (ks.empty() ? "" : ", ") + std::to_string(k);
  s.known = true;
  s.value = coordinate;
  s.method = std::string("equals the coordinate space (a theorem: x enters only through ") + m.input_matrix +
             " x, so the span is invariant under x -> A x, A in GL_" + std::to_string(I) +
             ", hence a sum over the degrees k of Sym^k (x) U_k, U_k in C^" + std::to_string(O) + "; the parts of f of degree " +
             ks + " at " + std::to_string(samples) + " random points mod p span C^" + std::to_string(O) + " each)";
  return true;
}
}  // namespace

SpanMeasure measureSpan(const nag_model& m, uint64_t prime, uint64_t seed, int64_t coordinate, int64_t lowerBound,
                        int64_t limit, bool progress, bool byTheorem) {
  SpanMeasure s;
  s.upper = coordinate;
  if (!m.eval_mod || !m.jac_theta_mod) return s;
  s.attempted = true;
  // A theorem first: dim <= span <= coordinate space, so a dimension that
  // fills the coordinate space gives the span.
  if (coordinate >= 0 && lowerBound >= coordinate) {
    s.known = true;
    s.value = coordinate;
    s.method = "equals the coordinate space (the dimension fills it, and dimension <= span <= coordinate space)";
    return s;
  }
  if (byTheorem && spanByInvariance(m, prime, seed, coordinate, s)) return s;
  auto start = std::chrono::steady_clock::now();
  const int64_t P = m.param_count, O = m.output.size, I = m.input_size;
  nag_modulus mod;
  initModulus(m, &mod, prime, "dim (span)");
  // The fewest columns that can tell the span from the dimension.
  int64_t k = std::max<int64_t>(32, lowerBound + kSpanMargin);
  if (coordinate >= 0) k = std::min(k, coordinate + kSpanMargin);
  if (k > limit) {  // not even the first matrix fits: the dimension bounds it from below
    s.value = std::max<int64_t>(lowerBound, 0);
    s.method = "not measured: a " + std::to_string(k) + " x " + std::to_string(k) +
               " evaluation matrix is beyond the budget of " + std::to_string(limit) +
               " functions (--span-limit K raises it); span >= dimension";
    return s;
  }
  // Where the search starts (an order of work only; the value is decided by
  // saturation as before): with k columns a span above k - 8 means starting
  // again with 2k, so the first round at k is wasted unless span = dimension.
  // Start at twice that, or at the coordinate space when it is within two
  // doublings (pmlp [6,10,10,1]: one round instead of two; [10,15,15,1]: one
  // of 723 columns instead of 263, 526 and 723).
  {
    int64_t start = std::max(k, 2 * lowerBound + kSpanMargin);
    if (coordinate >= 0 && coordinate + kSpanMargin <= 4 * k) start = coordinate + kSpanMargin;
    if (coordinate >= 0) start = std::min(start, coordinate + kSpanMargin);
    k = std::max(k, std::min(start, limit));
  }
  // Rows of one block: the P tangent functions d f / d theta_i at the points.
  const int64_t kBlock = 256;
  for (int round = 0;; ++round) {
    int64_t points = I == 0 ? 1 : (k + O - 1) / O;
    int64_t cols = points * O;
    ResidueStream draw(seed + 0x51ED27ull * uint64_t(round + 1), prime);
    std::vector<uint64_t> x(static_cast<size_t>(points * I)), theta(static_cast<size_t>(P));
    for (auto& v : x) v = draw.next();
    int redraws = 0;
    // A random theta at which f (or its Jacobian) has no vanishing denominator.
    auto drawTheta = [&](const std::function<void()>& run) {
      for (;;) {
        for (auto& v : theta) v = draw.next();
        mod.vanished = 0;
        run();
        if (mod.vanished == 0) return true;
        if (++redraws > 20 * (k + 1)) return false;
      }
    };
    auto refuse = [&] {
      s.value = std::max<int64_t>(lowerBound, 0);
      s.method = "not measured: denominators vanish mod p = " + std::to_string(prime) +
                 " at too many points (use a larger --prime); span >= dimension";
      return s;
    };
    StackRank stack(cols, prime);
    // f's row, then each tangent space's P rows: doubles in the RowRank's scratch, integers for FLINT.
    std::vector<uint64_t> block(static_cast<size_t>(stack.incremental() ? cols : std::max<int64_t>(P, 1) * cols));
    if (!drawTheta([&] { evalMod(m, theta.data(), x.data(), block.data(), points, &mod); })) return refuse();
    int64_t count = 1, r = stack.add(block.data(), 1), blocks = 0;
    // The rank that ends the search: the coordinate space (a theorem: span <= coordinate space).
    const int64_t enough = coordinate >= 0 ? coordinate : cols;
    std::vector<uint64_t> jac(static_cast<size_t>(std::min(kBlock, points) * O * P));
    bool grow = false, saturated = false, havePrevious = true;
    while (!saturated && !grow) {
      double* rows = stack.incremental() ? stack.scratch(P) : nullptr;
      bool ok = drawTheta([&] {
        for (int64_t first = 0; first < points && mod.vanished == 0; first += kBlock) {
          int64_t n = std::min(kBlock, points - first);
          jacThetaMod(m, theta.data(), x.data() + first * I, jac.data(), n, &mod);
          if (rows) transposeInto(jac.data(), n * O, P, rows + first * O, cols);
          else transposeInto(jac.data(), n * O, P, block.data() + first * O, cols);
        }
      });
      if (!ok) return refuse();
      count += P;
      ++blocks;
      // FLINT ranks the whole stack each time: blocks that cannot reach the target yet (a tangent space adds at
      // most the generic rank of dmu, about lowerBound) are stacked without a rank, and saturation is decided
      // between true ranks only.
      int64_t target = std::min(enough, cols - kSpanMargin);
      if (!stack.incremental() && lowerBound > 0 && 1 + blocks * lowerBound < target) {
        stack.add(block.data(), P, false);
        havePrevious = false;
        continue;
      }
      const int64_t previous = r;
      r = stack.incremental() ? stack.addScratch(P, enough) : stack.add(block.data(), P);
      if (progress) {
        double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::fprintf(stderr, "dim: span: rank %lld of f and %lld tangent spaces at %lld points (%.1f s)\n", (long long)r,
                     (long long)blocks, (long long)points, t);
      }
      if (coordinate >= 0 && r >= coordinate) break;
      if (I > 0 && r > cols - kSpanMargin) grow = true;  // the points may no longer separate the span
      else if (havePrevious && r == previous) saturated = true;
      havePrevious = true;
    }
    s.functions = count;
    s.columns = cols;
    s.value = std::max(s.value, r);
    if (coordinate >= 0 && r >= coordinate) {
      s.known = true;
      s.method = "equals the coordinate space (f and " + std::to_string(blocks) + " tangent spaces reach it)";
      return s;
    }
    if (saturated) {
      s.known = true;
      s.method = "rank over F_p of f and the tangent spaces at " + std::to_string(blocks) + " random points, evaluated at " +
                 std::to_string(points) + " points (" + std::to_string(count) + " x " + std::to_string(cols) +
                 "), saturated: the last tangent space added nothing";
      return s;
    }
    if (k >= limit) {
      s.method = "rank over F_p of f and " + std::to_string(blocks) + " tangent spaces at " + std::to_string(points) +
                 " points: not saturated within --span-limit " + std::to_string(limit) + " evaluation columns" +
                 (m.algebraic_class[0] == 'r' ? " (a rational network whose denominators vary spans an infinite-dimensional space)"
                                              : "");
      return s;
    }
    k = std::min(2 * k, limit);
    if (coordinate >= 0) k = std::min(k, coordinate + kSpanMargin);
  }
}

}  // namespace nagrt
