// Dim.cpp — `dim`: the dimension of the neurovariety from the rank of the parameter Jacobian.
//
// Exact: the Jacobian of (f(x_1), ..., f(x_N)) in theta at random points over
// F_p (compiled modular code), ranked by FLINT. Its rank is a lower bound on
// the generic rank over Q (a nonzero minor mod p is nonzero over Q, and a
// point can only lower the rank); it is certified when it meets a proven
// upper bound: P minus the dimension of the known symmetries (which act with
// finite generic stabilizers), or the ambient dimension.
// Float: the same Jacobian at random real points, ranked by LAPACK's SVD,
// reported with the singular values around the gap that decided it.
#include "Dim.h"
#include "Exact.h"

#include <flint/flint.h>
#include <flint/nmod_mat.h>
#include <flint/ulong_extras.h>
#include <gmp.h>
#include <lapacke.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cerrno>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <thread>
#include <type_traits>
#include <unistd.h>

namespace nagrt {

namespace {

constexpr int64_t kMargin = 8;           // extra rows beyond the largest possible rank
constexpr double kTrustedGap = 1e8;      // a float rank with a smaller gap is not trusted

bool fitsInt64(const char* decimal, int64_t& out) {
  if (!decimal || !*decimal) return false;
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(decimal, &end, 10);
  if (*end || errno == ERANGE) return false;
  out = v;
  return true;
}

// The numbers of a text file (blank- or comma-separated, '#' comments),
// exactly, as residues mod p (p != 0) or as the nearest doubles (p == 0).
template <typename T>
std::vector<T> readExact(const std::string& path, int64_t count, uint64_t p) {
  std::vector<T> out;
  mpq_t q;
  mpz_t r, mod;
  mpq_init(q);
  mpz_inits(r, mod, nullptr);
  mpz_set_ui(mod, p);
  try {
    for (const ExactToken& t : readExactTokens(path, "--at")) {
      std::string where = "--at: " + path + ":" + std::to_string(t.line) + ": '" + t.text + "'";
      if (!parseExact(t.text, q)) throw Error(where + " is not an exact number");
      if constexpr (std::is_same_v<T, double>) {
        out.push_back(mpq_get_d(q));
      } else {
        mpz_mod(r, mpq_denref(q), mod);
        if (mpz_sgn(r) == 0) throw Error(where + " has a denominator divisible by p");
        mpz_invert(r, r, mod);
        mpz_mul(r, r, mpq_numref(q));
        mpz_mod(r, r, mod);
        out.push_back(mpz_get_ui(r));
      }
    }
  } catch (...) {
    mpq_clear(q);
    mpz_clears(r, mod, nullptr);
    throw;
  }
  mpq_clear(q);
  mpz_clears(r, mod, nullptr);
  if (int64_t(out.size()) != count)
    throw Error("--at: " + path + ": expected " + std::to_string(count) + " values, found " + std::to_string(out.size()));
  return out;
}

}  // namespace

DimReport measureDimension(const nag_model& m, const DimOptions& o) {
  DimReport r;
  auto start = std::chrono::steady_clock::now();
  auto say = [&](const std::string& what) {
    if (!o.progress) return;
    double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "dim: %s (%.1f s)\n", what.c_str(), t);
  };
  const int64_t P = m.param_count, O = m.output.size, I = m.input_size;
  r.params = P;
  bool poly = std::strcmp(m.algebraic_class, "polynomial") == 0;
  int64_t ambient = -1;
  if (poly && !fitsInt64(m.ambient_dimension, ambient)) ambient = -1;  // too large to matter
  // One row per point: a random combination of the outputs' gradients
  // (w^T J at x_i), so that N generic points are injective on a tangent space
  // of dimension <= N whatever the outputs share. Default N: the largest
  // possible rank plus a margin.
  int64_t bound = ambient >= 0 ? std::min(P, ambient) : P;
  r.points = o.points > 0 ? o.points : bound + kMargin;
  if (I == 0) r.points = 1;
  r.rows = r.points;

  // Memory: the F_p matrix (rows x P), and for --float the per-point
  // Jacobians (points x O x P), the combined matrix and LAPACK's SVD copies.
  // Refused with the numbers when it cannot fit, instead of running out.
  __int128 cells = __int128(r.rows) * P;
  __int128 bytes = (o.exact ? cells * 8 : 0) +
                   (o.floating ? (__int128(r.points) * O * P + 3 * cells) * 8 : 0);
  long pages = ::sysconf(_SC_PHYS_PAGES), pageSize = ::sysconf(_SC_PAGESIZE);
  __int128 physical = pages > 0 && pageSize > 0 ? __int128(pages) * pageSize : __int128(1) << 40;
  if (bytes > physical * 3 / 4) {
    auto gib = [](__int128 b) {
      char text[32];
      std::snprintf(text, sizeof text, "%.1f", double(b) / double(1 << 30));
      return std::string(text);
    };
    throw Error("dim: a " + std::to_string(r.rows) + " x " + std::to_string(P) + " Jacobian needs about " +
                gib(bytes) + " GiB; this machine has " + gib(physical) +
                " GiB (--points N samples fewer points, for a lower bound on the rank)");
  }

  // Random points from the documented generator (theta first, then x).
  if (o.exact) {
    if (!m.jac_theta_mod)
      throw Error(std::string("dim --exact: network '") + m.name + "' is " + m.algebraic_class +
                  (m.algebraic_reason && *m.algebraic_reason ? std::string(" (") + m.algebraic_reason + ")" : "") +
                  "; exact ranks need a polynomial or rational network (use --float for its functional dimension)");
    r.prime = o.prime;
    if (!r.prime)  // the default: the largest prime below 2^62
      for (r.prime = (uint64_t(1) << 62) - 1; !n_is_prime(r.prime);) r.prime -= 2;
    if (!n_is_prime(r.prime) || r.prime >= (uint64_t(1) << 62) || r.prime < 3)
      throw Error("--prime must be an odd prime below 2^62, got " + std::to_string(r.prime));
    nag_modulus mod;
    nagrt_modulus_init(&mod, r.prime);
    std::vector<uint64_t> theta;
    for (int attempt = 0;; ++attempt) {
      Random rng(o.seed + uint64_t(attempt) * 0x9E3779B97F4A7C15ull);
      auto draw = [&]() {
        uint64_t limit = ~uint64_t(0) - (~uint64_t(0) % r.prime);  // rejection: uniform residues
        for (;;) {
          uint64_t v = rng.next64();
          if (v < limit) return v % r.prime;
        }
      };
      theta.resize(size_t(P));
      if (!o.at.empty() && attempt == 0)
        theta = readExact<uint64_t>(o.at, P, r.prime);
      else if (o.at.empty())
        for (auto& v : theta) v = draw();
      std::vector<uint64_t> x(size_t(r.points * I));
      for (auto& v : x) v = draw();
      std::vector<uint64_t> w(size_t(r.points * O));
      for (auto& v : w) v = draw();
      // The Jacobian is computed in blocks of points straight into the
      // matrix FLINT ranks, so memory beyond the matrix itself stays bounded.
      nmod_mat_t J;
      nmod_mat_init(J, r.rows, P, r.prime);
      mod.vanished = 0;
      constexpr int64_t kBlock = 256;
      std::vector<uint64_t> y(size_t(std::min(kBlock, r.points) * O * P));
      for (int64_t first = 0; first < r.points && mod.vanished == 0; first += kBlock) {
        int64_t count = std::min(kBlock, r.points - first);
        m.jac_theta_mod(theta.data(), x.data() + first * I, nullptr, nullptr, y.data(), count, &mod);
        if (r.points > kBlock)
          say("exact Jacobian: " + std::to_string(first + count) + " of " + std::to_string(r.points) + " points");
        for (int64_t i = 0; i < count; ++i)
          for (int64_t j = 0; j < P; ++j) {
            unsigned __int128 acc = 0;  // sum_o w_o J[o, j] mod p
            for (int64_t k = 0; k < O; ++k)
              acc = (acc + (unsigned __int128)w[size_t((first + i) * O + k)] * y[size_t((i * O + k) * P + j)]) % r.prime;
            nmod_mat_entry(J, first + i, j) = uint64_t(acc);
          }
      }
      if (mod.vanished > 0) {
        nmod_mat_clear(J);
        ++r.resampled;
        if (r.resampled > 20) throw Error("dim --exact: a denominator vanished mod p at 20 random points in a row");
        continue;
      }
      say("ranking the " + std::to_string(r.rows) + " x " + std::to_string(P) + " Jacobian over F_p (FLINT)");
      flint_set_num_threads(int(std::max(1u, std::thread::hardware_concurrency())));
      r.exactRank = int64_t(nmod_mat_rank(J));
      nmod_mat_clear(J);
      break;
    }
  }
  if (o.floating) {
    const nag_function_info* jacFn = nullptr;
    for (int32_t i = 0; i < m.num_functions; ++i)
      if (std::strcmp(m.functions[i].name, "jac_theta") == 0) jacFn = &m.functions[i];
    if (!jacFn) throw Error("dim --float: this program was compiled without derivatives");
    if (m.precision_bits != 64) throw Error("dim --float: needs a program compiled with --precision f64");
    Random rng(o.seed);
    std::vector<double> theta(static_cast<size_t>(P));
    std::vector<double> x(static_cast<size_t>(r.points * I));
    std::vector<double> jac(static_cast<size_t>(r.points * O * P));
    std::vector<double> y(static_cast<size_t>(r.rows * P), 0.0);
    if (!o.at.empty()) {
      theta = readExact<double>(o.at, P, 0);
    } else {
      for (auto& v : theta) v = rng.uniform();
    }
    for (auto& v : x) v = rng.uniform();
    jacFn->fn(theta.data(), x.data(), nullptr, nullptr, jac.data(), r.points);
    for (int64_t i = 0; i < r.points; ++i)
      for (int64_t k = 0; k < O; ++k) {
        double wk = O == 1 ? 1.0 : rng.uniform();
        for (int64_t j = 0; j < P; ++j) y[size_t(i * P + j)] += wk * jac[size_t((i * O + k) * P + j)];
      }
    int64_t k = std::min(r.rows, P);
    say("singular values of the " + std::to_string(r.rows) + " x " + std::to_string(P) + " float Jacobian (LAPACK)");
    std::vector<double> s(static_cast<size_t>(k));
    // The row-major rows x P Jacobian is the column-major P x rows transpose:
    // same singular values, no copy.
    lapack_int info = LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'N', lapack_int(P), lapack_int(r.rows), y.data(), lapack_int(P),
                                     s.data(), nullptr, 1, nullptr, 1);
    if (info != 0) throw Error("dim --float: the SVD did not converge (LAPACK dgesdd info " + std::to_string(info) + ")");
    r.singular = s;
    double tol = (s.empty() ? 0 : s[0]) * double(std::max(r.rows, P)) * DBL_EPSILON;
    int64_t rank = 0;
    while (rank < k && s[size_t(rank)] > tol) ++rank;
    r.floatRank = rank;
    r.gap = rank == 0 ? 0 : rank == k ? INFINITY : s[size_t(rank - 1)] / std::max(s[size_t(rank)], DBL_MIN);
    r.floatTrusted = rank > 0 && r.gap >= kTrustedGap;
  }
  return r;
}

}  // namespace nagrt
