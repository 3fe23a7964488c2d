// Span.cpp — the linear span of a network's function space, measured over F_p.
//
// The span of {f_theta} is the row space of the evaluation matrix
// E[i, (j, o)] = f_theta_i(x_j)_o for enough generic theta_i and x_j: each row
// is the image of f_theta_i under the evaluation map at x_1..x_n, injective on
// the span once the points are many and generic. Over F_p at random points the
// rank of E is a lower bound on the span (a nonzero minor mod p is nonzero over
// Q, and special points only lower the rank). It is grown by doubling until it
// stops short of the matrix size by a margin (saturation) or meets a proven
// upper bound (the coordinate space).
#include "../Exact.h"
#include "../Dim.h"

#include <flint/nmod_mat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace nagrt {

namespace {
constexpr int64_t kSpanMargin = 8;
}

SpanMeasure measureSpan(const nag_model& m, uint64_t prime, uint64_t seed, int64_t coordinate, int64_t lowerBound,
                        int64_t limit, bool progress) {
  SpanMeasure s;
  s.upper = coordinate;
  if (!m.eval_mod) return s;
  s.attempted = true;
  // A theorem first: dim <= span <= coordinate space, so a dimension that
  // fills the coordinate space gives the span.
  if (coordinate >= 0 && lowerBound >= coordinate) {
    s.known = true;
    s.value = coordinate;
    s.method = "equals the coordinate space (the dimension fills it, and dimension <= span <= coordinate space)";
    return s;
  }
  auto start = std::chrono::steady_clock::now();
  const int64_t P = m.param_count, O = m.output.size, I = m.input_size;
  nag_modulus mod;
  initModulus(m, &mod, prime, "dim (span)");
  int64_t k = std::max<int64_t>(32, lowerBound + kSpanMargin);
  if (coordinate >= 0) k = std::min(k, coordinate + kSpanMargin);
  if (k > limit) {  // not even the first matrix fits: the dimension bounds it from below
    s.value = std::max<int64_t>(lowerBound, 0);
    s.method = "not measured: a " + std::to_string(k) + " x " + std::to_string(k) +
               " evaluation matrix is beyond the budget of " + std::to_string(limit) +
               " functions (--span-limit K raises it); span >= dimension";
    return s;
  }
  for (int round = 0;; ++round) {
    int64_t points = I == 0 ? 1 : (k + O - 1) / O;
    int64_t cols = points * O;
    ResidueStream draw(seed + 0x51ED27ull * uint64_t(round + 1), prime);
    std::vector<uint64_t> x(static_cast<size_t>(points * I)), theta(static_cast<size_t>(P)), y(static_cast<size_t>(cols));
    nmod_mat_t e;
    nmod_mat_init(e, k, cols, prime);
    int redraws = 0;
    for (auto& v : x) v = draw.next();
    for (int64_t i = 0; i < k; ++i) {
      for (;;) {
        for (auto& v : theta) v = draw.next();
        mod.vanished = 0;
        m.eval_mod(theta.data(), x.data(), y.data(), points, &mod);
        if (mod.vanished == 0) break;
        if (++redraws > 20 * (k + 1)) {  // a small prime: say so rather than fail the report
          nmod_mat_clear(e);
          s.value = std::max<int64_t>(lowerBound, 0);
          s.method = "not measured: denominators vanish mod p = " + std::to_string(prime) +
                     " at too many points (use a larger --prime); span >= dimension";
          return s;
        }
      }
      for (int64_t c = 0; c < cols; ++c) nmod_mat_entry(e, i, c) = y[size_t(c)];
    }
    int64_t r = rankModP(e);
    nmod_mat_clear(e);
    s.functions = k;
    s.columns = cols;
    s.value = std::max(s.value, r);
    if (progress) {
      double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::fprintf(stderr, "dim: span: rank %lld of a %lld x %lld evaluation matrix (%.1f s)\n", (long long)r,
                   (long long)k, (long long)cols, t);
    }
    bool covered = I == 0 && k >= O + kSpanMargin;  // without inputs the O outputs are all the columns
    if (coordinate >= 0 && r >= coordinate) {
      s.known = true;
      s.method = "equals the coordinate space (the evaluation matrix reaches it)";
      return s;
    }
    if (r <= std::min(k, cols) - kSpanMargin || covered) {
      s.known = true;
      s.method = "rank of a " + std::to_string(k) + " x " + std::to_string(cols) +
                 " evaluation matrix [f_theta_i(x_j)] over F_p, saturated (" + std::to_string(k - r) +
                 " functions beyond the rank)";
      return s;
    }
    if (k >= limit) {
      s.method = "rank of a " + std::to_string(k) + " x " + std::to_string(cols) +
                 " evaluation matrix over F_p: not saturated within --span-limit " + std::to_string(limit) +
                 (m.algebraic_class[0] == 'r' ? " (a rational network whose denominators vary spans an infinite-dimensional space)"
                                              : "");
      return s;
    }
    k = std::min(2 * k, limit);
    if (coordinate >= 0) k = std::min(k, coordinate + kSpanMargin);
  }
}

}  // namespace nagrt
