// DenseModP.h — dense exact linear algebra over F_p on BLAS (FFLAS-FFPACK behind plain C++).
//
// No FFLAS, givaro or BLAS type appears here: the one translation unit that
// includes them is DenseModP.cpp (see README.md in this folder for why).
#pragma once

#include <cstdint>
#include <cstdlib>
#include <new>
#include <utility>
#include <memory>
#include <string>
#include <vector>

#include <sys/mman.h>

namespace nagrt::exact {

/// Storage for large matrices of residues whose every element is written
/// before it is read (the echelon form, its blocks, dim's blocks of Jacobian
/// rows): growing leaves the elements uninitialized (a zero fill was a tenth
/// of [20,40,40,1]'s rank time), and buffers of megabytes ask the kernel for
/// transparent huge pages (a fault per 2 MiB instead of per 4 KiB; the
/// system's THP mode here is "madvise").
template <class T>
struct UninitializedAllocator {
  using value_type = T;
  UninitializedAllocator() = default;
  template <class U>
  UninitializedAllocator(const UninitializedAllocator<U>&) {}
  static constexpr size_t kHuge = size_t(2) << 20;
  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < 2 * kHuge) return static_cast<T*>(::operator new(bytes));
    void* p = std::aligned_alloc(kHuge, (bytes + kHuge - 1) / kHuge * kHuge);
    if (!p) throw std::bad_alloc();
    madvise(p, bytes, MADV_HUGEPAGE);
    return static_cast<T*>(p);
  }
  void deallocate(T* p, size_t n) {
    if (n * sizeof(T) < 2 * kHuge)
      ::operator delete(p);
    else
      std::free(p);
  }
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... A>
  void construct(U* p, A&&... a) {
    ::new (static_cast<void*>(p)) U(std::forward<A>(a)...);
  }
  template <class U>
  bool operator==(const UninitializedAllocator<U>&) const { return true; }
  template <class U>
  bool operator!=(const UninitializedAllocator<U>&) const { return false; }
};
using Doubles = std::vector<double, UninitializedAllocator<double>>;

/// While alive, freed memory stays in the process's heap instead of going back
/// to the system, and large blocks come from the heap too (glibc: no mmap, no
/// trim): FFLAS allocates and frees temporaries of tens of megabytes in every
/// call, and each fresh mapping is zeroed by the kernel page by page (pmlp
/// [100,100,100,1]: 1.4 million page faults, 0.7 million with this, 57 s
/// against 55 s on average). Restores glibc's defaults when it ends; one at a
/// time (dim's ranks).
class HeapReuse {
public:
  HeapReuse();
  ~HeapReuse();
  HeapReuse(const HeapReuse&) = delete;
  HeapReuse& operator=(const HeapReuse&) = delete;
};


/// Every prime this engine accepts is below 2^26: residues are doubles and
/// FFLAS can then delay modular reductions over several products in a DGEMM.
constexpr uint64_t kPrimeBound = uint64_t(1) << 26;

/// True when p is an odd prime below kPrimeBound (trial division; exact).
bool fflasPrimeOk(uint64_t p);

/// The largest prime p < bound (bound <= kPrimeBound); 0 when there is none
/// above 2 (bound <= 3). largestPrimeBelow(kPrimeBound) = 67108859 and
/// largestPrimeBelow(67108859) = 67108837 are the two default primes.
uint64_t largestPrimeBelow(uint64_t bound);

/// Below this bound a product of two balanced residues is under 2^44 and
/// FFLAS accumulates 512 of them in a double before it reduces; just below
/// kPrimeBound only 8, and the reductions cost as much as the DGEMMs
/// (rank of a 3000 x 3000 matrix: 0.8 s instead of 1.6-2.7 s).
constexpr uint64_t kFastPrimeBound = uint64_t(1) << 23;

/// The `count` largest primes below `bound` (<= kPrimeBound), largest first:
/// independent primes for repeated rank computations (the larger rank is
/// the lower bound).
std::vector<uint64_t> defaultPrimes(int count = 2, uint64_t bound = kPrimeBound);

/// Bytes of a rows x cols matrix of doubles; INT64_MAX when that overflows.
/// Throws nagrt::Error for a negative dimension.
int64_t denseBytes(int64_t rows, int64_t cols);

/// Throws nagrt::Error when `bytes` more bytes cannot fit in the memory
/// available to this process (nagrt::availableMemoryBytes()); the message
/// names `what`, the size needed and the size available.
void checkFits(int64_t bytes, const std::string& what);

/// checkFits(denseBytes(rows, cols), ...) with a message naming the shape.
void checkDenseFits(int64_t rows, int64_t cols, const std::string& what);

/// How a matrix's residues are stored as doubles (exact integers): Standard,
/// 0 <= v < p, each checked; Balanced, -(p-1)/2 <= v <= (p-1)/2, FFLAS's own
/// form, taken as it is (for callers that wrote them so, which saves a pass
/// over the matrix: 10% of pmlp [20,40,40,1]'s `dim`).
enum class Residues { Standard, Balanced };

/// The rank of the rows x cols matrix `a` over F_p: row-major, lda = cols,
/// entries residues in the given form. The matrix is destroyed (factored in
/// place). p must satisfy fflasPrimeOk. Throws nagrt::Error for a bad prime or
/// (Standard) an entry that is not a residue. Runs on one BLAS thread;
/// concurrent calls on different matrices are safe.
int64_t rank(double* a, int64_t rows, int64_t cols, uint64_t p, Residues form = Residues::Standard);

/// A basis of the right kernel {v in F_p^cols : A v = 0} of the rows x cols
/// matrix `a` (layout and entries as for rank; `a` is not modified), in
/// canonical form: with R the reduced row echelon form of A (pivots chosen in
/// the natural column order) and f_1 < ... < f_k its free (non-pivot)
/// columns, the i-th vector v_i has v_i[f_i] = 1, v_i[f_j] = 0 for j != i,
/// and v_i[pivot of row t] = -R[t][f_i] mod p. It depends only on the row
/// space of A, so any matrix with the same row space gives the same basis.
/// k = cols - rank(A) vectors of `cols` residues each. Memory is checked
/// before the working copy of A and the basis are allocated.
std::vector<std::vector<uint64_t>> rightKernel(const double* a, int64_t rows, int64_t cols, uint64_t p,
                                               Residues form = Residues::Standard);

/// The rank of a matrix whose rows arrive a block at a time (block LU): each
/// block is reduced against the echelon form U of the rows before it
/// (X = T_a U11^-1, S = T_b - X U12: one triangular solve and one DGEMM),
/// the rest S factored by PLUQ, and its rows appended to U. The rank after
/// each block is the rank of the rows added so far, at the cost of one PLUQ
/// of them all; a caller whose rows are generic (the span of N generic rows has
/// dimension min(N, rank)) stops as soon as a block adds fewer rows than it
/// has, and the rows it never built cost nothing. U (rank x cols, its upper
/// triangle only) is the only matrix kept; memory is checked before it grows.
class RowRank {
public:
  /// Rows of `cols` residues mod p (fflasPrimeOk(p)); at most maxRows of
  /// them (0: unknown): the echelon form they can make is checked against the
  /// memory up front, and the solve's storage reserved once (reserved pages
  /// cost no memory until they are written).
  RowRank(int64_t cols, uint64_t p, int64_t maxRows = 0);
  ~RowRank();
  RowRank(const RowRank&) = delete;
  RowRank& operator=(const RowRank&) = delete;
  /// Adds `count` rows (row-major, lda = cols, in the given form; the
  /// buffer is used as scratch and destroyed). Returns how many of them
  /// raised the rank.
  int64_t add(double* rows, int64_t count, Residues form = Residues::Standard);
  int64_t rank() const;
  int64_t rowsAdded() const;
  /// Whether every row added so far is orthogonal to v (cols residues
  /// 0 <= v < p, in the rows' column order): A v = 0 iff U v = 0.
  bool annihilates(const std::vector<uint64_t>& v) const;

private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace nagrt::exact
