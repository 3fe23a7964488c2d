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
#include "CliSupport.h"
#include "Exact.h"
#include "exact/DenseModP.h"

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
#include <memory>
#include <sstream>
#include <thread>
#include <type_traits>
#include <functional>
#include <sys/resource.h>
#include <unistd.h>

namespace nagrt {

namespace {

constexpr int64_t kMargin = 8;           // extra rows beyond the largest possible rank
constexpr double kTrustedGap = 1e8;      // a float rank with a smaller gap is not trusted


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
    for (const ExactToken& t : readExactTokens(path, "--at", count)) {
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

std::string parameterName(const nag_model& m, int64_t i) {
  for (int32_t t = 0; t < m.num_params; ++t) {
    const nag_tensor_info& p = m.params[t];
    if (i < p.offset || i >= p.offset + p.size) continue;
    std::string name = p.name;
    if (p.rank == 0) return name;
    int64_t rest = i - p.offset, stride = p.size;
    name += "[";
    for (int32_t d = 0; d < p.rank; ++d) {
      stride /= p.shape[d];
      name += (d ? ", " : "") + std::to_string(rest / stride);
      rest %= stride;
    }
    return name + "]";
  }
  return "theta[" + std::to_string(i) + "]";
}

int64_t rankModP(const nmod_mat_t a) {
  const uint64_t p = a->mod.n;
  const int64_t rows = nmod_mat_nrows(a), cols = nmod_mat_ncols(a);
  if (rows == 0 || cols == 0) return 0;
  if (!exact::fflasPrimeOk(p)) {
    flint_set_num_threads(int(threadCount()));
    return int64_t(nmod_mat_rank(a));
  }
  exact::checkDenseFits(rows, cols, "the F_p matrix for FFLAS-FFPACK");
  std::vector<double> d(size_t(rows) * size_t(cols));
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) d[size_t(i * cols + j)] = double(nmod_mat_entry(a, i, j));
  return exact::rank(d.data(), rows, cols, p);
}

std::vector<uint64_t> defaultRankPrimes(int64_t maxRank, int64_t degree) {
  long double need = (long double)std::max<int64_t>(maxRank, 1) * (long double)std::max<int64_t>(degree, 1) * 100;
  // The smallest primes that keep the bound: FFLAS delays the reduction over
  // 2^53 / (p/2)^2 products, 512 below 2^23 and only 8 below 2^26
  // (exact/DenseModP.h), so every factor of p saved is a factor squared in
  // reductions. Below 2^23 the two largest (the reductions are already rare);
  // above, the two primes right above 100 U D, not the next power of two:
  // pmlp [100,100,100,1] (100 U D = 1.99e7) ranks in 62 s with primes near
  // 2.0e7 and in 80 s with those below 2^25.
  if (need < (long double)exact::kFastPrimeBound) return exact::defaultPrimes(2, exact::kFastPrimeBound);
  if (need < (long double)(exact::kPrimeBound - 4096)) {
    uint64_t low = uint64_t(need) + 1;
    while (!exact::fflasPrimeOk(low)) ++low;
    uint64_t high = low + 2;
    while (!exact::fflasPrimeOk(high)) high += 2;
    return {high, low};
  }
  // Beyond: FLINT, below 2^31 where the bound allows (the R = 2^32 kernels
  // build the Jacobian), else below 2^62.
  uint64_t a = need < (long double)(uint64_t(1) << 31) ? (uint64_t(1) << 31) - 1 : (uint64_t(1) << 62) - 1;
  while (!n_is_prime(a)) a -= 2;
  uint64_t b = a - 2;
  while (!n_is_prime(b)) b -= 2;
  return {a, b};
}

std::vector<std::vector<uint64_t>> generatorValues(const nag_model& m, const std::vector<uint64_t>& theta, uint64_t p,
                                                   int32_t sym) {
  std::vector<std::vector<uint64_t>> out;
  for (int64_t g = 0; g < m.num_generators; ++g) {
    const nag_generator& gen = m.generators[g];
    if (sym >= 0 && gen.symmetry != sym) continue;
    std::vector<uint64_t> v(size_t(m.param_count), 0);
    for (int64_t t = 0; t < gen.num_terms; ++t) {
      int64_t row = gen.terms[3 * t], col = gen.terms[3 * t + 1], c = gen.terms[3 * t + 2];
      uint64_t cm = c >= 0 ? uint64_t(c) % p : p - (uint64_t(-c) % p);
      v[size_t(row)] = (v[size_t(row)] + uint64_t((unsigned __int128)(cm % p) * theta[size_t(col)] % p)) % p;
    }
    out.push_back(std::move(v));
  }
  return out;
}

namespace {

uint64_t mulmod(uint64_t a, uint64_t b, uint64_t p) { return uint64_t((unsigned __int128)a * b % p); }

// The largest prime below n.
uint64_t primeBelow(uint64_t n) {
  uint64_t q = n - 1;
  if (q % 2 == 0) --q;
  while (q > 2 && !n_is_prime(q)) q -= 2;
  return q;
}


std::vector<std::vector<double>> floatTangents(const nag_model& m, const std::vector<double>& theta) {
  std::vector<std::vector<double>> out;
  for (int64_t g = 0; g < m.num_generators; ++g) {
    const nag_generator& gen = m.generators[g];
    std::vector<double> v(size_t(m.param_count), 0.0);
    for (int64_t t = 0; t < gen.num_terms; ++t)
      v[size_t(gen.terms[3 * t])] += double(gen.terms[3 * t + 2]) * theta[size_t(gen.terms[3 * t + 1])];
    out.push_back(std::move(v));
  }
  return out;
}

// A matrix over F_p held the way its engine ranks it: dense residues in
// doubles for FFLAS-FFPACK (p < 2^26), assembled in place and factored in
// place, or an nmod_mat for FLINT's larger primes.
class ModMatrix {
public:
  /// Every entry must be set before the matrix is read: FFLAS's storage is
  /// not zeroed first (that pass was 6% of a large `dim`).
  ModMatrix(int64_t rows, int64_t cols, uint64_t p)
      : rows_(rows), cols_(cols), p_(p), dense_(exact::fflasPrimeOk(p)), half_((p - 1) / 2) {
    if (dense_) d_.reset(new double[size_t(rows) * size_t(cols)]);
    else nmod_mat_init(f_, rows, cols, p);
  }
  ~ModMatrix() {
    if (!dense_) nmod_mat_clear(f_);
  }
  ModMatrix(const ModMatrix&) = delete;
  ModMatrix& operator=(const ModMatrix&) = delete;

  int64_t rows() const { return rows_; }
  int64_t cols() const { return cols_; }
  bool dense() const { return dense_; }
  /// Row i of the dense storage (balanced residues).
  const double* row(int64_t i) const { return d_.get() + size_t(i) * size_t(cols_); }
  uint64_t get(int64_t i, int64_t j) const {
    if (!dense_) return nmod_mat_entry(f_, i, j);
    double e = d_[size_t(i * cols_ + j)];
    return uint64_t(e < 0 ? e + double(p_) : e);
  }
  /// v is a residue 0 <= v < p; the dense storage holds FFLAS's balanced form.
  void set(int64_t i, int64_t j, uint64_t v) {
    if (v >= p_) throw std::logic_error("internal error: a Jacobian entry " + std::to_string(v) + " is not reduced mod " + std::to_string(p_));
    if (dense_) d_[size_t(i * cols_ + j)] = double(int64_t(v) - int64_t(p_) * int64_t(v > half_));
    else nmod_mat_entry(f_, i, j) = v;
  }
  /// The rank; the contents are lost (FFLAS factors in place).
  int64_t destructiveRank() {
    if (rows_ == 0 || cols_ == 0) return 0;
    if (dense_) return exact::rank(d_.get(), rows_, cols_, p_, exact::Residues::Balanced);
    flint_set_num_threads(int(threadCount()));
    return int64_t(nmod_mat_rank(f_));
  }
  /// A basis of the right kernel (FFLAS and FLINT give the same canonical one).
  std::vector<std::vector<uint64_t>> rightKernel() const {
    if (dense_) return exact::rightKernel(d_.get(), rows_, cols_, p_, exact::Residues::Balanced);
    nmod_mat_t x;
    nmod_mat_init(x, cols_, cols_, p_);
    slong nullity = nmod_mat_nullspace(x, f_);
    std::vector<std::vector<uint64_t>> basis(static_cast<size_t>(nullity), std::vector<uint64_t>(static_cast<size_t>(cols_)));
    for (slong c = 0; c < nullity; ++c)
      for (int64_t i = 0; i < cols_; ++i) basis[size_t(c)][size_t(i)] = nmod_mat_entry(x, i, c);
    nmod_mat_clear(x);
    return basis;
  }

private:
  int64_t rows_, cols_;
  uint64_t p_;
  bool dense_;
  uint64_t half_;
  std::unique_ptr<double[]> d_;
  nmod_mat_t f_;
};

// J v == 0 mod p for the rows x P matrix J.
bool inKernel(const ModMatrix& j, const std::vector<uint64_t>& v, uint64_t p) {
  if (j.dense()) {
    // Balanced entries |e| < 2^25 times residues v < 2^26: products below
    // 2^51 in magnitude, so 2^11 of them add up in an int64 between reductions.
    const int64_t q = int64_t(p);
    for (int64_t r = 0; r < j.rows(); ++r) {
      const double* row = j.row(r);
      int64_t acc = 0;
      for (int64_t c = 0; c < j.cols(); ++c) {
        acc += int64_t(row[c]) * int64_t(v[size_t(c)]);
        if ((c & 2047) == 2047) acc %= q;
      }
      if (acc % q != 0) return false;
    }
    return true;
  }
  for (int64_t r = 0; r < j.rows(); ++r) {
    unsigned __int128 acc = 0;  // products < 2^124: 16 of them fit between reductions
    for (int64_t c = 0; c < j.cols(); ++c) {
      acc += (unsigned __int128)j.get(r, c) * v[size_t(c)];
      if (c % 16 == 15) acc %= p;
    }
    if (acc % p != 0) return false;
  }
  return true;
}

int64_t rankOfRows(const std::vector<std::vector<uint64_t>>& rows, int64_t cols, uint64_t p) {
  if (rows.empty()) return 0;
  ModMatrix a(int64_t(rows.size()), cols, p);
  for (size_t i = 0; i < rows.size(); ++i)
    for (int64_t c = 0; c < cols; ++c) a.set(int64_t(i), c, rows[i][size_t(c)]);
  return a.destructiveRank();
}

// One exact Jacobian: rows x P at theta (random unless given) and random
// points; one row per point, a random combination of the outputs' gradients
// (w^T J at x_i), or all O rows of the single point of a network without
// inputs. Redrawn where a denominator vanishes mod p.
struct ExactJacobian {
  std::vector<uint64_t> theta;
  int resampled = 0;
};

// One attempt's random draws: theta (unless given), the points, the weights
// of the outputs per point.
struct Draws {
  std::vector<uint64_t> x, w;
};

Draws drawJacobianInputs(const nag_model& m, uint64_t p, uint64_t seed, int attempt, int64_t points,
                         const std::vector<uint64_t>* fixedTheta, ExactJacobian& info) {
  const int64_t P = m.param_count, O = m.output.size, I = m.input_size;
  ResidueStream draw(streamState(seed, uint64_t(attempt)), p);
  info.theta.resize(size_t(P));
  if (fixedTheta) info.theta = *fixedTheta;
  else
    for (auto& v : info.theta) v = draw.next();
  Draws d;
  d.x.resize(size_t(points * I));
  for (auto& v : d.x) v = draw.next();
  d.w.resize(size_t(points * O));
  for (auto& v : d.w) v = draw.next();
  return d;
}

// Rows [first, first + count) of the Jacobian (points first.., or all O rows
// of a network without inputs), each entry given to set(row - first, j, v):
// with one output the row is the gradient itself (a nonzero multiple changes
// neither the rank nor the kernel), else sum_o w_o J[o, :]. False when a
// denominator vanished mod p.
constexpr int64_t kJacobianBlock = 256;

template <class Set>
bool jacobianRows(const nag_model& m, const std::vector<uint64_t>& theta, const Draws& d, int64_t first, int64_t count,
                  nag_modulus& mod, std::vector<uint64_t>& y, Set set) {
  const int64_t P = m.param_count, O = m.output.size, I = m.input_size;
  const bool allOutputs = I == 0;
  const uint64_t p = mod.p;
  y.resize(size_t(std::min(kJacobianBlock, allOutputs ? 1 : count) * O * P));
  mod.vanished = 0;
  for (int64_t at = first; at < first + (allOutputs ? 1 : count) && mod.vanished == 0; at += kJacobianBlock) {
    int64_t n = allOutputs ? 1 : std::min(kJacobianBlock, first + count - at);
    jacThetaMod(m, theta.data(), d.x.data() + at * I, y.data(), n, &mod);
    if (mod.vanished) break;
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < P; ++j) {
        if (allOutputs) {
          for (int64_t k = 0; k < O; ++k) set(k, j, y[size_t(k * P + j)]);
          continue;
        }
        if (O == 1) {
          set(at - first + i, j, y[size_t(i * P + j)]);
          continue;
        }
        // sum_o w_o J[o, j] mod p; eight products (< 2^124 each) fit in
        // 128 bits between reductions.
        unsigned __int128 acc = 0;
        for (int64_t k = 0; k < O; ++k) {
          acc += (unsigned __int128)d.w[size_t(at * O + i * O + k)] * y[size_t((i * O + k) * P + j)];
          if (k % 8 == 7) acc %= p;
        }
        set(at - first + i, j, uint64_t(acc % p));
      }
  }
  return mod.vanished == 0;
}

// The whole Jacobian, rows x P at theta (random unless given) and random
// points, assembled block by block directly into the engine's storage;
// redrawn where a denominator vanishes mod p.
std::unique_ptr<ModMatrix> exactJacobian(const nag_model& m, uint64_t p, uint64_t seed, int64_t points,
                                         const std::vector<uint64_t>* fixedTheta, ExactJacobian& info,
                                         const std::function<void(const std::string&)>& say) {
  const int64_t P = m.param_count, O = m.output.size, I = m.input_size;
  const int64_t rows = I == 0 ? O : points;
  nag_modulus mod;
  initModulus(m, &mod, p, "dim --exact");
  std::vector<uint64_t> y;
  for (int attempt = 0;; ++attempt) {
    Draws d = drawJacobianInputs(m, p, seed, attempt, points, fixedTheta, info);
    auto out = std::make_unique<ModMatrix>(rows, P, p);
    bool ok = true;
    for (int64_t first = 0; first < (I == 0 ? 1 : points) && ok; first += kJacobianBlock) {
      int64_t count = I == 0 ? O : std::min(kJacobianBlock, points - first);
      ok = jacobianRows(m, info.theta, d, first, count, mod, y,
                        [&](int64_t i, int64_t j, uint64_t v) { out->set(first + i, j, v); });
      if (points > kJacobianBlock && I > 0)
        say("exact Jacobian: " + std::to_string(first + count) + " of " + std::to_string(points) + " points");
    }
    if (ok) return out;
    if (fixedTheta) throw Error("dim --at: a denominator vanishes mod p at that theta");
    if (++info.resampled > 20) throw Error("dim --exact: a denominator vanished mod p at 20 random points in a row");
  }
}

// The rank of the Jacobian (the same draws as exactJacobian) built and ranked
// a block of rows at a time (exact::RowRank), stopping at the first block
// that adds fewer rows than it has: N generic rows span min(N, rank)
// dimensions, so the rank has stopped growing, and the rows after it are
// never built. A network with a defect ranks far fewer rows than the bound:
// pmlp [20,40,40,1] 1792 of 2368 (rank 1580). For primes FFLAS takes.
std::unique_ptr<exact::RowRank> blockRank(const nag_model& m, uint64_t p, uint64_t seed, int64_t points,
                                          ExactJacobian& info, int64_t& rowsRanked,
                                          const std::function<void(const std::string&)>& say) {
  const int64_t P = m.param_count, O = m.output.size, I = m.input_size;
  const int64_t rows = I == 0 ? O : points;
  // Blocks of rows/16 (a multiple of 64, at least 64) keep the triangular solve and the DGEMM at BLAS speed; the
  // last block costs at most that many rows beyond the rank. FFLAS factors each block's remainder with its
  // level-2 base case, whose cost grows with the block: on a small Jacobian a single block of 256 was most of the
  // rank (pmlp [6,10,10,1], 150 rows: dim in-process 4.0 -> 3.3 ms with blocks of 64).
  constexpr int64_t kRankBlockStep = 64;
  const int64_t block = std::max<int64_t>(kRankBlockStep, (rows / 16 + kRankBlockStep - 1) / kRankBlockStep * kRankBlockStep);
  const uint64_t half = (p - 1) / 2;
  nag_modulus mod;
  initModulus(m, &mod, p, "dim --exact");
  std::vector<uint64_t> y;
  exact::Doubles buffer;  // every entry is written by jacobianRows: no zero fill
  for (int attempt = 0;; ++attempt) {
    Draws d = drawJacobianInputs(m, p, seed, attempt, points, nullptr, info);
    auto rr = std::make_unique<exact::RowRank>(P, p, rows);
    bool ok = true;
    for (int64_t first = 0; first < rows && ok;) {
      int64_t count = I == 0 ? rows : std::min(block, rows - first);
      if (size_t(count * P) > buffer.size()) exact::checkDenseFits(count, P, "a block of the Jacobian's rows");
      buffer.resize(size_t(count * P));
      ok = jacobianRows(m, info.theta, d, I == 0 ? 0 : first, count, mod, y, [&](int64_t i, int64_t j, uint64_t v) {
        buffer[size_t(i * P + j)] = double(int64_t(v) - int64_t(p) * int64_t(v > half));
      });
      if (!ok) break;
      int64_t gained = rr->add(buffer.data(), count, exact::Residues::Balanced);
      first += count;
      if (rows > block)
        say("exact rank: " + std::to_string(rr->rank()) + " after " + std::to_string(first) + " of " +
            std::to_string(rows) + " rows (p = " + std::to_string(p) + ")");
      if (gained < count) break;
    }
    if (ok) {
      rowsRanked = rr->rowsAdded();
      return rr;
    }
    if (++info.resampled > 20) throw Error("dim --exact: a denominator vanished mod p at 20 random points in a row");
  }
}

// Orthonormal basis (columns of a P x n column-major matrix) of the span of
// the columns of `a` (P x n), by SVD; singular values below rel * the largest
// count as zero.
std::vector<double> orthonormalSpan(std::vector<double> a, int64_t P, int64_t n, double rel, int64_t& rank) {
  rank = 0;
  if (n == 0) return {};
  int64_t k = std::min(P, n);
  std::vector<double> s(static_cast<size_t>(k)), u(static_cast<size_t>(P * k)), vt(static_cast<size_t>(k * n));
  WideBlas wide;
  if (LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'S', lapack_int(P), lapack_int(n), a.data(), lapack_int(P), s.data(), u.data(),
                     lapack_int(P), vt.data(), lapack_int(k)) != 0)
    throw Error("dim --kernel: an SVD did not converge");
  while (rank < k && s[size_t(rank)] > rel * s[0]) ++rank;
  u.resize(size_t(P * rank));
  return u;
}

// The float fibre directions beyond the symmetries: ker J (the last P - rank
// left singular vectors of J^T, `u` P x P) projected off the span of the
// tangents at theta, and the `want` strongest directions of what remains.
std::vector<std::vector<double>> floatKernel(const nag_model& m, const std::vector<double>& theta,
                                             const std::vector<double>& u, int64_t rank, int64_t& tangentRank,
                                             int64_t want) {
  const int64_t P = m.param_count, n0 = P - rank;
  std::vector<std::vector<double>> t = floatTangents(m, theta);
  std::vector<double> tm(size_t(P) * t.size());
  for (size_t g = 0; g < t.size(); ++g) std::copy(t[g].begin(), t[g].end(), tm.begin() + long(g * size_t(P)));
  std::vector<double> q = orthonormalSpan(tm, P, int64_t(t.size()), 1e-10, tangentRank);
  std::vector<double> rest(size_t(P * n0));
  for (int64_t c = 0; c < n0; ++c) {
    double* v = rest.data() + c * P;
    std::copy(u.begin() + (rank + c) * P, u.begin() + (rank + c + 1) * P, v);
    for (int64_t b = 0; b < tangentRank; ++b) {
      const double* e = q.data() + b * P;
      double dot = 0;
      for (int64_t i = 0; i < P; ++i) dot += e[i] * v[i];
      for (int64_t i = 0; i < P; ++i) v[i] -= dot * e[i];
    }
  }
  int64_t found = 0;
  std::vector<double> dirs = orthonormalSpan(rest, P, n0, 1e-6, found);
  std::vector<std::vector<double>> out;
  for (int64_t c = 0; c < std::min(found, want); ++c) out.emplace_back(dirs.begin() + c * P, dirs.begin() + (c + 1) * P);
  return out;
}

// A constant of the network's IR whose numerator or denominator needs more
// than 63 bits (exact arithmetic mod p is generated only without them), or "".
// Shapes, operands and attributes in the IR are all below 2^63, so any number
// token beyond is such a constant.
std::string wideConstant(const nag_model& m) {
  std::istringstream in(m.ir ? m.ir : "");
  for (std::string tok; in >> tok;) {
    if (tok.find_first_not_of("-0123456789/") != std::string::npos) continue;
    mpq_t q;
    mpq_init(q);
    bool wide = mpq_set_str(q, tok.c_str(), 10) == 0 &&
                (mpz_sizeinbase(mpq_numref(q), 2) > 63 || mpz_sizeinbase(mpq_denref(q), 2) > 63);
    mpq_clear(q);
    if (wide) return tok;
  }
  return "";
}

}  // namespace

std::string noExactRoute(const nag_model& m) {
  std::string net = std::string("network '") + m.name + "'";
  if (std::strcmp(m.algebraic_class, "non-algebraic") == 0)
    return net + " is " + m.algebraic_class +
           (m.algebraic_reason && *m.algebraic_reason ? std::string(" (") + m.algebraic_reason + ")" : "") +
           "; exact ranks need a polynomial or rational network (use --float for its functional dimension)";
  if (m.param_count == 0)
    return net + " has no parameters (P = 0): its neurovariety is a single point, of dimension 0, and there is no Jacobian to rank";
  if (!m.eval_mod) {
    std::string c = wideConstant(m);
    return net + " has " + (c.empty() ? std::string("a constant") : "the constant " + c) +
           " whose numerator or denominator is 2^63 or more; exact arithmetic mod p is generated only for constants "
           "below 2^63 (use --float, or write the constant as a product of smaller factors of a parameter)";
  }
  return "this program was compiled with --no-derivatives, which leaves out the parameter Jacobian that ranks are "
         "taken of (compile without --no-derivatives)";
}

int64_t rowDegree(const nag_model& m) {
  if (std::strcmp(m.algebraic_class, "polynomial") != 0 || m.total_degree < 0) return -1;
  const bool gradientRows = m.output.size == 1 || m.input_size == 0;
  return std::max<int64_t>(gradientRows ? m.total_degree - 1 : m.total_degree, 0);
}

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
  int64_t coordinate = -1;
  if (poly && !decimalInt64(m.ambient_dimension, coordinate)) coordinate = -1;  // too large to matter
  // Default number of points: the largest possible rank plus a margin. The
  // compiler's bound (P - the claimed symmetries, the linear rank bound) is
  // tried first: N generic rows span min(N, rank) dimensions, so a rank at
  // least kMargin below N is the generic rank whatever the bound. A rank that
  // comes within the margin (a claimed symmetry did not hold) is measured
  // again with rows for the largest rank possible (below, at the end).
  // pmlp [20,40,40,1]: 2368 rows (P - 80 rescalings + 8) instead of 2448.
  int64_t bound = coordinate >= 0 ? std::min(P, coordinate) : P;
  int64_t claimed = bound;
  if (int64_t e = -1; decimalInt64(m.expected_dimension, e) && e >= 0 && e < bound) claimed = e;
  r.points = o.points > 0 ? o.points : std::min(bound, std::max(claimed, o.minimumRank)) + kMargin;
  if (I == 0) r.points = 1;  // no inputs: one point, every output a row
  r.rows = I == 0 ? O : r.points;

  // Memory: the F_p matrices (the Jacobian, its copy for the kernel), and for
  // --float the per-point Jacobians (points x O x P), the combined matrix and
  // LAPACK's SVD copies (with --kernel its P x P right factor). Refused with
  // the numbers when it cannot fit, instead of running out.
  __int128 cells = __int128(r.rows) * P;
  __int128 bytes = (o.exact ? cells * 8 * (o.kernel ? 3 : 2) : 0) +  // the Jacobian and the copy its rank factors
                   (o.floating ? (__int128(r.points) * O * P + 3 * cells + (o.kernel ? __int128(P) * P : 0)) * 8 : 0);
  __int128 avail = __int128(availableMemoryBytes());
  if (bytes > avail * 3 / 4) {
    auto gib = [](__int128 b) {
      char text[32];
      std::snprintf(text, sizeof text, "%.1f", double(b) / double(1 << 30));
      return std::string(text);
    };
    throw Error("dim: a " + std::to_string(r.rows) + " x " + std::to_string(P) + " Jacobian needs about " +
                gib(bytes) + " GiB; this process may use " + gib(avail) +
                " GiB (--points N samples fewer points, for a lower bound on the rank)");
  }

  if (o.exact && poly && m.total_degree < 0)
    throw Error(std::string("dim --exact: the total degree of network '") + m.name +
                "' in theta and x is more than 2^62; the Schwartz-Zippel bound U D / p on a low rank needs a prime "
                "p > 100 U D, and the exact route's primes are below 2^62 (use --float for its functional dimension)");
  if (o.exact) {
    if (!m.jac_theta_mod) throw Error("dim --exact: " + noExactRoute(m));
    uint64_t p0 = o.prime;
    const int64_t D = poly ? rowDegree(m) : 1;
    std::vector<uint64_t> defaults = defaultRankPrimes(std::min(P, r.rows), D);
    if (!p0) p0 = defaults[0];
    if (!n_is_prime(p0) || p0 >= (uint64_t(1) << 62) || p0 < 3)
      throw Error("--prime must be an odd prime below 2^62, got " + std::to_string(p0));
    // Schwartz-Zippel: a rank-r minor has degree <= r * D in the random
    // values; a prime with r * D >= p / 100 leaves the rank untrustworthy
    // (mod 3, t^3 = t on every point).
    if (poly && D > 0) {
      long double need = (long double)std::min(P, r.rows) * (long double)D * 100;
      if ((long double)p0 < need)
        throw Error("--prime " + std::to_string(p0) + " is too small for this network: a rank up to " +
                    std::to_string(std::min(P, r.rows)) + " of entries of degree " + std::to_string(D) +
                    " needs p > 100 x " + std::to_string(std::min(P, r.rows)) + " x " + std::to_string(D) +
                    " for a meaningful rank (Schwartz-Zippel)");
    }
    // A default prime that divides a nonzero constant is passed over (the
    // report names the primes used); a --prime that does is refused.
    auto clean = [&](uint64_t p) {
      while (!o.prime && !constantZeroModP(m, p).empty()) p = primeBelow(p);
      return p;
    };
    p0 = clean(p0);
    uint64_t second = o.prime ? primeBelow(p0) : defaults[1];
    if (!o.prime && second >= p0) second = primeBelow(p0);
    uint64_t primes[2] = {p0, clean(second)};
    if (primes[1] == primes[0]) primes[1] = clean(primeBelow(primes[0]));
    if (o.prime && !constantZeroModP(m, p0).empty()) initModulus(m, nullptr, p0, "dim --exact: --prime " + std::to_string(p0));
    // The second prime's Jacobian is assembled and ranked on a thread of its
    // own while this one assembles the first, checks the symmetries and the
    // kernel on it and ranks it: FFLAS runs on one BLAS thread, so two primes
    // take two cores (FLINT threads itself instead, and its primes run one
    // after the other). A prime FFLAS takes is ranked a block of rows at a
    // time, stopping where the rank stops growing (blockRank); --kernel needs
    // the first prime's whole matrix.
    std::unique_ptr<ModMatrix> jacobians[2];
    std::unique_ptr<exact::RowRank> blocks[2];
    ExactJacobian infos[2];
    for (int run = 0; run < 2; ++run) {
      RankRun rr;
      rr.prime = primes[run];
      rr.seed = o.seed + uint64_t(run);
      r.runs.push_back(rr);
    }
    auto inBlocks = [&](int run) { return exact::fflasPrimeOk(primes[run]) && !(o.kernel && run == 0); };
    auto assemble = [&](int run, const std::function<void(const std::string&)>& tell) {
      RankRun& rr = r.runs[size_t(run)];
      if (inBlocks(run)) {
        int64_t used = 0;
        blocks[run] = blockRank(m, primes[run], rr.seed, r.points, infos[run], used, tell);
        rr.rank = blocks[run]->rank();
        if (used < r.rows) rr.rowsRanked = used;
      } else {
        jacobians[run] = exactJacobian(m, primes[run], rr.seed, r.points, nullptr, infos[run], tell);
      }
      rr.resampled = infos[run].resampled;
    };
    auto rankOf = [&](int run) {
      if (!jacobians[run]) return;  // ranked as it was built
      r.runs[size_t(run)].rank = jacobians[run]->destructiveRank();
      jacobians[run].reset();
    };
    const bool parallel = exact::fflasPrimeOk(primes[0]) && exact::fflasPrimeOk(primes[1]) && threadCount() > 1;
    const uint64_t p = primes[0];
    exact::HeapReuse heap;  // FFLAS's temporaries reused instead of mapped and zeroed again
    std::exception_ptr failed;
    std::thread other;
    if (parallel)
      other = std::thread([&] {
        try {
          assemble(1, [](const std::string&) {});
          blocks[1].reset();
          rankOf(1);
        } catch (...) {
          failed = std::current_exception();
        }
      });
    try {
      assemble(0, say);
      if (!parallel) assemble(1, say);
      const ExactJacobian& firstInfo = infos[0];
      auto kills = [&](const std::vector<uint64_t>& v) {
        return blocks[0] ? blocks[0]->annihilates(v) : inKernel(*jacobians[0], v, p);
      };
      // The known symmetries at theta: each symmetry's generators must lie in
      // ker J (checked with a random combination); the rank of the values of
      // those that do is the dimension of the orbits they span.
      std::vector<std::vector<uint64_t>> tangent;
      std::vector<int64_t> claimedWithGenerators(size_t(m.num_symmetries), 0);
      for (int64_t g = 0; g < m.num_generators; ++g) claimedWithGenerators[size_t(m.generators[g].symmetry)] = 1;
      ResidueStream coeffs(o.seed ^ 0xC0FFEEull, p);
      for (int32_t s = 0; s < m.num_symmetries; ++s) {
        if (!claimedWithGenerators[size_t(s)]) {
          r.unverifiedSymmetry += m.symmetries[s].dimension;
          continue;
        }
        std::vector<std::vector<uint64_t>> vs = generatorValues(m, firstInfo.theta, p, s);
        std::vector<uint64_t> combo(size_t(P), 0);
        for (const auto& v : vs) {
          uint64_t c = coeffs.next();
          for (int64_t i = 0; i < P; ++i) combo[size_t(i)] = (combo[size_t(i)] + mulmod(c, v[size_t(i)], p)) % p;
        }
        if (!kills(combo)) {
          r.brokenSymmetries.push_back(m.symmetries[s].description);
          continue;
        }
        for (auto& v : vs) tangent.push_back(std::move(v));
      }
      r.tangentRank = rankOfRows(tangent, P, p);
      // --kernel: ker J mod p, and a basis of it modulo the tangents.
      if (o.kernel) {
        std::vector<std::vector<uint64_t>> basis = tangent;
        int64_t rank = r.tangentRank;
        for (std::vector<uint64_t>& v : jacobians[0]->rightKernel()) {
          basis.push_back(v);
          int64_t next = rankOfRows(basis, P, p);
          if (next > rank) {
            rank = next;
            r.kernelMod.push_back(std::move(v));
          } else {
            basis.pop_back();
          }
        }
      }
      blocks[0].reset();
      if (jacobians[0] || jacobians[1])
        say("ranking the " + std::to_string(r.rows) + " x " + std::to_string(P) + " Jacobians over F_p (" +
            (parallel ? "FFLAS-FFPACK, the two primes on two threads" : exact::fflasPrimeOk(p) ? "FFLAS-FFPACK" : "FLINT") + ")");
      rankOf(0);
      if (!parallel) rankOf(1);
    } catch (...) {
      if (other.joinable()) other.join();
      throw;
    }
    if (other.joinable()) other.join();
    if (failed) std::rethrow_exception(failed);
    for (const RankRun& rr : r.runs) r.exactRank = std::max(r.exactRank, rr.rank);
    // --at: the rank of the differential at that theta, with the first
    // prime's points.
    if (!o.at.empty()) {
      std::vector<uint64_t> at = readExact<uint64_t>(o.at, P, p);
      ExactJacobian info;
      r.rankAt = exactJacobian(m, p, o.seed, r.points, &at, info, say)->destructiveRank();
    }
    // The span of the function space.
    if (m.eval_mod) {
      // The budget: K evaluation columns, where the span's rows (f and a few
      // tangent spaces of P rows each, exact/Span.cpp) cost about K^2 (K + P)
      // per rank; within ~1e10 (a second on BLAS), unless --span-limit says otherwise.
      int64_t limit = o.spanLimit;
      if (limit <= 0)
        for (limit = 4096; limit > 32 && double(limit) * double(limit) * double(limit + P) > 1e10;) limit -= 32;
      // A rational network's span is infinite-dimensional as soon as its
      // denominators vary: its rank never saturates, so it is not chased far.
      if (o.spanLimit <= 0 && !poly) limit = std::min<int64_t>(limit, 512);
      say("measuring the span of the function space");
      r.span = measureSpan(m, p, o.seed, coordinate, r.exactRank, limit, o.progress, !o.measureSpan);
    }
  }
  if (o.floating) {
    const nag_function_info* jacFn = nullptr;
    for (int32_t i = 0; i < m.num_functions; ++i)
      if (std::strcmp(m.functions[i].name, "jac_theta") == 0) jacFn = &m.functions[i];
    if (!jacFn && m.param_count == 0)
      throw Error(std::string("dim --float: network '") + m.name +
                  "' has no parameters (P = 0): its neurovariety is a single point, of dimension 0, and there is no Jacobian to rank");
    if (!jacFn) throw Error("dim --float: this program was compiled with --no-derivatives, which leaves out the parameter Jacobian (compile without --no-derivatives)");
    if (m.precision_bits != 64) throw Error("dim --float: needs a program compiled with --precision f64");
    Random rng(o.seed);
    std::vector<double> theta(static_cast<size_t>(P));
    std::vector<double> x(static_cast<size_t>(r.points * I));
    std::vector<double> jac(static_cast<size_t>(r.points * O * P));
    std::vector<double> y(static_cast<size_t>(r.rows * P), 0.0);
    for (auto& v : theta) v = rng.uniform();  // theta = random:SEED, as the data commands read it
    if (!o.floatAt.empty()) theta = o.floatAt;  // the same inputs, at the given theta
    for (auto& v : x) v = rng.uniform();
    jacFn->fn(theta.data(), x.data(), nullptr, nullptr, jac.data(), r.points);
    for (int64_t i = 0; i < r.points; ++i)
      for (int64_t k = 0; k < O; ++k) {
        if (I == 0) {
          for (int64_t j = 0; j < P; ++j) y[size_t(k * P + j)] = jac[size_t(k * P + j)];
          continue;
        }
        double wk = O == 1 ? 1.0 : rng.uniform();
        for (int64_t j = 0; j < P; ++j) y[size_t(i * P + j)] += wk * jac[size_t((i * O + k) * P + j)];
      }
    int64_t k = std::min(r.rows, P);
    say("singular values of the " + std::to_string(r.rows) + " x " + std::to_string(P) + " float Jacobian (LAPACK)");
    std::vector<double> s(static_cast<size_t>(k));
    // The row-major rows x P Jacobian is the column-major P x rows transpose:
    // same singular values; its left singular vectors (P x P, column-major)
    // are the right singular vectors of the Jacobian.
    std::vector<double> u(o.kernel ? size_t(P * P) : 1), vt(o.kernel ? size_t(r.rows * r.rows) : 1);
    WideBlas wide;
    lapack_int info = LAPACKE_dgesdd(LAPACK_COL_MAJOR, o.kernel ? 'A' : 'N', lapack_int(P), lapack_int(r.rows), y.data(),
                                     lapack_int(P), s.data(), u.data(), lapack_int(o.kernel ? P : 1), vt.data(),
                                     lapack_int(o.kernel ? r.rows : 1));
    if (info != 0) throw Error("dim --float: the SVD did not converge (LAPACK dgesdd info " + std::to_string(info) + ")");
    r.singular = s;
    double tol = (s.empty() ? 0 : s[0]) * double(std::max(r.rows, P)) * DBL_EPSILON;
    int64_t rank = 0;
    while (rank < k && s[size_t(rank)] > tol) ++rank;
    r.floatRank = rank;
    r.gap = rank == 0 ? 0 : rank == k ? INFINITY : s[size_t(rank - 1)] / std::max(s[size_t(rank)], DBL_MIN);
    r.floatTrusted = rank > 0 && r.gap >= kTrustedGap;
    if (o.kernel) r.kernelFloat = floatKernel(m, theta, u, rank, r.floatTangentRank, o.exact ? int64_t(r.kernelMod.size()) : P);
  }
  if (o.points == 0 && I > 0 && r.points < bound + kMargin &&
      std::max(r.exactRank, r.floatRank) > r.points - kMargin) {
    DimOptions again = o;
    again.minimumRank = bound;
    say("the rank reached the compiler's bound; measuring again with rows for rank " + std::to_string(bound));
    return measureDimension(m, again);
  }
  return r;
}

}  // namespace nagrt
