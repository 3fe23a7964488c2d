// DenseModP.cpp — rank and canonical kernels over F_p through FFLAS-FFPACK; the only file that includes it.
#include "exact/DenseModP.h"

#include "Runtime.h"

#include <fflas-ffpack/ffpack/ffpack.h>
#include <givaro/modular-balanced.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <mutex>
#include <numeric>

#include <malloc.h>


// Debian's OpenBLAS (the pthread build) exports these; FFLAS's own BLAS
// declarations (config-blas.h) do not include them.
extern "C" {
void openblas_set_num_threads(int);
int openblas_get_num_threads(void);
}

namespace nagrt::exact {
namespace {

using Field = Givaro::ModularBalanced<double>;


// FFLAS-FFPACK wants one BLAS thread underneath (fflas-ffpack #23); the rest
// of libnagrt (LAPACK's SVD in Dim.cpp) keeps OpenBLAS's own threads. The
// first of any concurrent engine calls drops OpenBLAS to one thread, the last
// one out restores the previous count.
class OneBlasThread {
public:
  OneBlasThread() {
    std::lock_guard<std::mutex> lock(mutex());
    if (depth()++ == 0) {
      saved() = openblas_get_num_threads();
      if (saved() != 1) openblas_set_num_threads(1);
    }
  }
  ~OneBlasThread() {
    std::lock_guard<std::mutex> lock(mutex());
    if (--depth() == 0 && saved() != 1) openblas_set_num_threads(saved());
  }
  OneBlasThread(const OneBlasThread&) = delete;
  OneBlasThread& operator=(const OneBlasThread&) = delete;

private:
  static std::mutex& mutex() {
    static std::mutex m;
    return m;
  }
  static int& depth() {
    static int d = 0;
    return d;
  }
  static int& saved() {
    static int s = 1;
    return s;
  }
};

void requirePrime(uint64_t p, const char* what) {
  if (!fflasPrimeOk(p))
    throw Error(std::string(what) + ": the modulus " + std::to_string(p) +
                " is not an odd prime below 2^26 = " + std::to_string(kPrimeBound) +
                " (FFLAS-FFPACK's ModularBalanced<double> engine; use FLINT for larger primes)");
}

void requireShape(int64_t rows, int64_t cols, const char* what) {
  if (rows < 0 || cols < 0)
    throw Error(std::string(what) + ": negative matrix shape " + std::to_string(rows) + " x " + std::to_string(cols));
}

// Checks one entry is a residue 0 <= v < p and returns it in FFLAS's balanced
// representation, -(p-1)/2 .. (p-1)/2.
inline double balanced(double v, double p, double half, int64_t index, int64_t cols, const char* what) {
  if (!(v >= 0.0 && v < p) || v != std::trunc(v)) {
    char value[64];
    std::snprintf(value, sizeof value, "%.17g", v);
    throw Error(std::string(what) + ": entry (" + std::to_string(index / cols) + ", " +
                std::to_string(index % cols) + ") = " + value + " is not a residue 0 <= v < " +
                std::to_string(uint64_t(p)));
  }
  return v > half ? v - p : v;
}

// One whole block of toBalanced: whether every entry is a residue 0 <= v < p (v is an integer iff
// (v + 2^52) - 2^52 == v for 0 <= v < 2^52: the sum rounds to an integer), then the entries in place in the balanced
// representation (v - p when that is >= -half). Written so that GCC's -O2 vectorizes both loops: a fixed trip count
// (no epilogue) and no trunc call or branch (a scalar pass with a call to trunc per entry was 9% of a small `dim`).
constexpr int64_t kBalanceBlock = 4096;
bool residuesOk(const double* v, double pd) {
  constexpr double kRound = 4503599627370496.0;  // 2^52
  int ok = 1;
  for (int64_t i = 0; i < kBalanceBlock; ++i)
    ok &= int(v[i] >= 0.0) & int(v[i] < pd) & int((v[i] + kRound) - kRound == v[i]);
  return ok;
}
void balanceInPlace(double* a, double pd, double half) {
  for (int64_t i = 0; i < kBalanceBlock; ++i) {
    double v = a[i], w = v - pd;
    a[i] = w < -half ? v : w;
  }
}

void toBalanced(const double* from, double* to, int64_t n, int64_t cols, uint64_t p, const char* what) {
  double pd = double(p), half = double((p - 1) / 2);
  int64_t start = 0;
  for (; start + kBalanceBlock <= n; start += kBalanceBlock) {
    if (!residuesOk(from + start, pd))  // `from` may be `to`: checked before it is overwritten; names the entry
      for (int64_t i = start; i < start + kBalanceBlock; ++i) balanced(from[i], pd, half, i, cols, what);
    if (to != from) std::copy(from + start, from + start + kBalanceBlock, to + start);
    balanceInPlace(to + start, pd, half);
  }
  for (int64_t i = start; i < n; ++i) to[i] = balanced(from[i], pd, half, i, cols, what);  // the rest, one by one
}

inline uint64_t toResidue(double e, uint64_t p) {
  int64_t v = int64_t(e);
  return uint64_t(v < 0 ? v + int64_t(p) : v);
}

std::string humanBytes(int64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double v = double(bytes);
  int u = 0;
  while (v >= 1024.0 && u < 6) v /= 1024.0, ++u;
  char text[32];
  std::snprintf(text, sizeof text, "%.1f %s", v, units[u]);
  return text;
}

}  // namespace

bool fflasPrimeOk(uint64_t p) {
  if (p < 3 || p >= kPrimeBound || p % 2 == 0) return false;
  for (uint64_t d = 3; d * d <= p; d += 2)
    if (p % d == 0) return false;
  return true;
}

uint64_t largestPrimeBelow(uint64_t bound) {
  for (uint64_t p = std::min(bound, kPrimeBound); p-- > 3;)
    if (fflasPrimeOk(p)) return p;
  return 0;
}

std::vector<uint64_t> defaultPrimes(int count, uint64_t below) {
  std::vector<uint64_t> primes;
  for (uint64_t bound = std::min(below, kPrimeBound); int(primes.size()) < count;) {
    uint64_t p = largestPrimeBelow(bound);
    if (p == 0) break;
    primes.push_back(p);
    bound = p;
  }
  return primes;
}

int64_t denseBytes(int64_t rows, int64_t cols) {
  requireShape(rows, cols, "denseBytes");
  const int64_t max = std::numeric_limits<int64_t>::max();
  if (rows != 0 && cols > max / int64_t(sizeof(double)) / rows) return max;
  return rows * cols * int64_t(sizeof(double));
}

void checkFits(int64_t bytes, const std::string& what) {
  uint64_t available = availableMemoryBytes();
  if (bytes >= 0 && uint64_t(bytes) <= available) return;
  std::string need = bytes == std::numeric_limits<int64_t>::max() ? "more than 2^63 bytes"
                                                                  : std::to_string(bytes) + " bytes (" + humanBytes(bytes) + ")";
  throw Error(what + " needs " + need + " but only " + std::to_string(available) + " bytes (" +
              humanBytes(int64_t(std::min<uint64_t>(available, uint64_t(std::numeric_limits<int64_t>::max())))) +
              ") are available to this process (the least of physical RAM, RLIMIT_AS, RLIMIT_DATA and the cgroup limit)");
}

void checkDenseFits(int64_t rows, int64_t cols, const std::string& what) {
  checkFits(denseBytes(rows, cols), what + " (a " + std::to_string(rows) + " x " + std::to_string(cols) +
                                        " matrix of doubles)");
}

int64_t rank(double* a, int64_t rows, int64_t cols, uint64_t p, Residues form) {
  requirePrime(p, "exact rank");
  requireShape(rows, cols, "exact rank");
  if (rows == 0 || cols == 0) return 0;
  if (form == Residues::Standard) toBalanced(a, a, rows * cols, cols, p, "exact rank");
  OneBlasThread oneThread;
  Field F(p);
  return int64_t(FFPACK::Rank(F, size_t(rows), size_t(cols), a, size_t(cols)));
}

std::vector<std::vector<uint64_t>> rightKernel(const double* a, int64_t rows, int64_t cols, uint64_t p, Residues form) {
  requirePrime(p, "right kernel");
  requireShape(rows, cols, "right kernel");
  std::vector<std::vector<uint64_t>> basis;
  if (cols == 0) return basis;
  std::vector<int64_t> pivots;   // pivot column of each nonzero row of the RREF, increasing
  std::vector<double> r;         // the RREF, row-major, rows x cols (balanced residues)
  if (rows > 0) {
    checkDenseFits(rows, cols, "the right kernel's working copy");
    r.resize(size_t(rows * cols));
    if (form == Residues::Standard) toBalanced(a, r.data(), rows * cols, cols, p, "right kernel");
    else std::copy(a, a + rows * cols, r.data());
    OneBlasThread oneThread;
    Field F(p);
    std::vector<size_t> P(static_cast<size_t>(rows)), Qt(static_cast<size_t>(cols));
    // LUdivine (slab recursive) finds the column rank profile, i.e. the pivots
    // of the reduced row echelon form in the natural column order.
    size_t rk = FFPACK::ReducedRowEchelonForm(F, size_t(rows), size_t(cols), r.data(), size_t(cols), P.data(), Qt.data(),
                                              false, FFPACK::FfpackSlabRecursive);
    FFPACK::getReducedEchelonForm(F, FFLAS::FflasUpper, size_t(rows), size_t(cols), rk, Qt.data(), r.data(),
                                  size_t(cols), FFPACK::FfpackSlabRecursive);
    // Read the pivots off the form itself and check it is the reduced row
    // echelon form: a wrong reading of FFLAS's storage must not pass silently.
    for (size_t t = 0; t < rk; ++t) {
      const double* row = r.data() + t * size_t(cols);
      int64_t j = 0;
      while (j < cols && row[j] == 0.0) ++j;
      bool ok = j < cols && row[j] == 1.0 && (pivots.empty() || j > pivots.back());
      if (!ok)
        throw std::logic_error("internal error: FFLAS-FFPACK's reduced echelon form, row " + std::to_string(t) +
                               ", is not in reduced row echelon form");
      pivots.push_back(j);
    }
    for (size_t t = 0; t < rk; ++t)
      for (size_t s = 0; s < rk; ++s)
        if (s != t && r[s * size_t(cols) + size_t(pivots[t])] != 0.0)
          throw std::logic_error("internal error: FFLAS-FFPACK's reduced echelon form has a nonzero above or below "
                                 "pivot " + std::to_string(t));
  }
  int64_t k = cols - int64_t(pivots.size());
  checkFits(k == 0 ? 0 : std::max<int64_t>(denseBytes(k, cols), 0), "the right kernel's basis (" + std::to_string(k) +
                                                                       " vectors of " + std::to_string(cols) + " residues)");
  basis.reserve(size_t(k));
  size_t t = 0;
  for (int64_t f = 0; f < cols; ++f) {
    if (t < pivots.size() && pivots[t] == f) {
      ++t;
      continue;
    }
    std::vector<uint64_t> v(size_t(cols), 0);
    v[size_t(f)] = 1;
    for (size_t s = 0; s < pivots.size(); ++s) {
      double e = r[s * size_t(cols) + size_t(f)];
      if (e != 0.0) v[size_t(pivots[s])] = toResidue(-e, p);
    }
    basis.push_back(std::move(v));
  }
  return basis;
}

namespace {

// U in bands, one per block that raised the rank: band k holds U's rows [first, first + rows) from physical column
// `first` on (lda n - first), its leading rows x rows block upper triangular with a nonzero diagonal and zeros below.
// U's lower triangle is never stored: at full rank it is half of U (pmlp [100,100,100,1]: 1.6 GiB per prime that the
// kernel would clear page by page on first touch).
struct Band {
  int64_t first = 0, rows = 0;
  Doubles a;
};

// Bytes of an echelon form of `rows` rows of `cols` columns held by bands of one row (the least the bands can take).
int64_t echelonBytes(int64_t rows, int64_t cols) {
  __int128 entries = __int128(rows) * cols - __int128(rows) * (rows - 1) / 2;
  __int128 bytes = entries * __int128(sizeof(double));
  return bytes > __int128(std::numeric_limits<int64_t>::max()) ? std::numeric_limits<int64_t>::max() : int64_t(bytes);
}

}  // namespace

struct RowRank::State {
  Field F;
  int64_t n = 0, r = 0, added = 0, maxRows = 0;
  std::vector<size_t> order;  // physical column j of U holds original column order[j]
  std::vector<Band> U;        // the echelon form [U11 U12] (r x n) by bands
  Doubles T;                  // the block's last n - r columns (count x (n - r), lda n - r) in the physical order
  Doubles Y;                  // its first r columns transposed (r x count), solved against U11^T
  std::vector<size_t> P, Q;   // PLUQ's permutations of the reduced block
  std::vector<size_t> sigma;  // Q as an explicit permutation
  std::vector<std::pair<size_t, size_t>> swaps;  // Q's transpositions that move a column, in order
  State(int64_t cols, uint64_t p) : F(double(p)), n(cols), order(size_t(cols)) {
    std::iota(order.begin(), order.end(), size_t(0));
  }
};

HeapReuse::HeapReuse() {
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, int(std::numeric_limits<int>::max()));
}

HeapReuse::~HeapReuse() {
  mallopt(M_MMAP_MAX, 65536);                // glibc's DEFAULT_MMAP_MAX
  mallopt(M_TRIM_THRESHOLD, 128 * 1024);     // DEFAULT_TRIM_THRESHOLD
  malloc_trim(0);
}

RowRank::RowRank(int64_t cols, uint64_t p, int64_t maxRows) {
  requirePrime(p, "exact rank");
  requireShape(1, cols, "exact rank");
  s_ = std::make_unique<State>(cols, p);
  s_->maxRows = maxRows;
  if (maxRows > 0) {
    int64_t most = std::min(maxRows, cols);
    checkFits(echelonBytes(most, cols), "the rank's echelon form (up to " + std::to_string(most) + " rows of " +
                                            std::to_string(cols) + " residues, upper triangular)");
  }
}

RowRank::~RowRank() = default;

int64_t RowRank::rank() const { return s_->r; }
int64_t RowRank::rowsAdded() const { return s_->added; }

int64_t RowRank::add(double* rows, int64_t count, Residues form) {
  State& s = *s_;
  requireShape(count, s.n, "exact rank");
  if (count == 0 || s.n == 0) return 0;
  const uint64_t p = uint64_t(s.F.characteristic());
  const int64_t n = s.n, r = s.r;
  if (form == Residues::Standard) toBalanced(rows, rows, count * n, n, p, "exact rank");
  s.added += count;
  if (r == n) return 0;  // U spans everything
  // Memory is checked before it grows (reading the limits is not free: once per block was 2% of a rank).
  if (size_t(count * n) > s.T.capacity() + s.Y.capacity()) checkDenseFits(count, n, "a block of the rank's rows");
  const int64_t m = n - r;
  // Gathered into the physical column order: the first r columns transposed into Y, the rest into T.
  s.T.resize(size_t(count * m));
  if (size_t(r * count) > s.Y.capacity()) {
    // Y holds r x count and r only grows: room for the largest it can become (no copy of the old contents, which
    // the gather overwrites, and no new pages at every block).
    const int64_t most = std::min(s.n, s.maxRows > 0 ? s.maxRows : s.n);
    s.Y.clear();
    s.Y.shrink_to_fit();
    checkDenseFits(most, count, "the rank's solve");
    s.Y.reserve(size_t(most * count));
  }
  s.Y.resize(size_t(r * count));
  constexpr int64_t tile = 32;
  for (int64_t i0 = 0; i0 < count; i0 += tile) {
    const int64_t i1 = std::min(count, i0 + tile);
    for (int64_t j0 = 0; j0 < r; j0 += tile)
      for (int64_t i = i0; i < i1; ++i) {
        const double* src = rows + i * n;
        for (int64_t j = j0; j < std::min(r, j0 + tile); ++j) s.Y[size_t(j * count + i)] = src[s.order[size_t(j)]];
      }
    for (int64_t i = i0; i < i1; ++i) {
      const double* src = rows + i * n;
      double* dst = s.T.data() + i * m;
      for (int64_t j = 0; j < m; ++j) dst[j] = src[s.order[size_t(r + j)]];
    }
  }
  OneBlasThread oneThread;
  double* Tb = s.T.data();
  if (r > 0) {
    // X = T_a U11^-1, then S = T_b - X U12. X is solved transposed, Y = X^T from U11^T Y = T_a^T: FFLAS's
    // triangular solve works in base cases of as many of B's columns as its bound on p allows (two for a
    // 23-bit prime), each reduced and scaled by itself; as rows of Y they are contiguous, as columns of
    // T_a they were a strided walk over the block (a third of [20,40,40,1]'s rank time). U11^T is block lower
    // triangular by bands: each band's rows of Y are solved against its diagonal block, then taken off the rows
    // of Y below it (one DGEMM per band), and each band's part of U12 taken off S (one more).
    double* Y = s.Y.data();
    for (const Band& b : s.U) {
      const size_t lda = size_t(n - b.first);
      double* Yb = Y + b.first * count;
      FFLAS::ftrsm(s.F, FFLAS::FflasLeft, FFLAS::FflasUpper, FFLAS::FflasTrans, FFLAS::FflasNonUnit, size_t(b.rows),
                   size_t(count), s.F.one, b.a.data(), lda, Yb, size_t(count));
      const int64_t below = r - b.first - b.rows;
      if (below > 0)
        FFLAS::fgemm(s.F, FFLAS::FflasTrans, FFLAS::FflasNoTrans, size_t(below), size_t(count), size_t(b.rows),
                     s.F.mOne, b.a.data() + b.rows, lda, Yb, size_t(count), s.F.one, Yb + b.rows * count,
                     size_t(count));
      FFLAS::fgemm(s.F, FFLAS::FflasTrans, FFLAS::FflasNoTrans, size_t(count), size_t(m), size_t(b.rows), s.F.mOne,
                   Yb, size_t(count), b.a.data() + (r - b.first), lda, s.F.one, Tb, size_t(m));
    }
  }
  s.P.assign(size_t(count), 0);
  s.Q.assign(size_t(m), 0);
  // PLUQ's level-2 base case takes blocks narrower than the threshold (FFLAS's default 256): on wide rows 128
  // leaves more of the work to DGEMM (pmlp [20,40,40,1], n = 2440: dim 0.198 -> 0.183 s, medians of four
  // alternating runs; [70] unchanged), where on narrow ones (the span's blocks of [10,15,15,1], [6,10,10,1]) the
  // default was as fast or faster.
  const size_t threshold = n >= 1024 ? 128 : 256;
  const int64_t r2 = int64_t(FFPACK::PLUQ(s.F, FFLAS::FflasNonUnit, size_t(count), size_t(m), Tb, size_t(m), s.P.data(),
                                          s.Q.data(), FFLAS::ParSeqHelper::Sequential(), threshold));
  if (r2 == 0) return 0;
  // PLUQ's Q in LAPACK's convention (transpositions i <-> Q[i] in turn) as an explicit order of the block's
  // columns: its U's column j is the reduced block's column sigma[j].
  s.sigma.resize(size_t(m));
  std::iota(s.sigma.begin(), s.sigma.end(), size_t(0));
  for (int64_t i = 0; i < m; ++i) std::swap(s.sigma[size_t(i)], s.sigma[s.Q[size_t(i)]]);
  std::vector<size_t> tail(static_cast<size_t>(m));
  for (int64_t j = 0; j < m; ++j) tail[size_t(j)] = s.order[size_t(r + int64_t(s.sigma[size_t(j)]))];
  std::copy(tail.begin(), tail.end(), s.order.begin() + r);
  checkDenseFits(r2, m, "a band of the rank's echelon form");
  // U12's columns in the new order: PLUQ's transpositions applied to each row in turn (the same permutation as
  // sigma; a gather of every column per row was 5% of [20,40,40,1]'s rank, the swaps are about r2 per row).
  s.swaps.clear();
  for (int64_t i = 0; i < m; ++i)
    if (int64_t(s.Q[size_t(i)]) != i) s.swaps.push_back({size_t(i), s.Q[size_t(i)]});
  for (Band& b : s.U) {
    const int64_t lda = n - b.first;
    for (int64_t i = 0; i < b.rows; ++i) {
      double* u = b.a.data() + i * lda + (r - b.first);
      for (const auto& [x, y] : s.swaps) std::swap(u[x], u[y]);
    }
  }
  // The new band: the upper part of PLUQ's first r2 rows, L's multipliers below the diagonal zeroed.
  Band band;
  band.first = r;
  band.rows = r2;
  band.a.assign(Tb, Tb + r2 * m);
  for (int64_t i = 1; i < r2; ++i) std::fill(band.a.data() + i * m, band.a.data() + i * m + i, 0.0);
  s.U.push_back(std::move(band));
  s.r = r + r2;
  return r2;
}

bool RowRank::annihilates(const std::vector<uint64_t>& v) const {
  const State& s = *s_;
  if (int64_t(v.size()) != s.n) throw Error("exact rank: a vector of " + std::to_string(v.size()) + " residues for " + std::to_string(s.n) + " columns");
  const int64_t q = int64_t(s.F.characteristic());
  for (const Band& b : s.U)
    for (int64_t i = 0; i < b.rows; ++i) {
      // Balanced entries |e| < 2^25 times residues below 2^26: 2^11 products between reductions. Row first + i
      // of U is zero before its diagonal, physical column first + i.
      const int64_t lda = s.n - b.first;
      const double* u = b.a.data() + i * lda;
      int64_t acc = 0;
      for (int64_t j = i; j < lda; ++j) {
        acc += int64_t(u[j]) * int64_t(v[s.order[size_t(b.first + j)]]);
        if ((j & 2047) == 2047) acc %= q;
      }
      if (acc % q != 0) return false;
    }
  return true;
}

}  // namespace nagrt::exact
