// Linear.h — LU factorisation and solves of small dense complex systems through LAPACK (zgetrf, zgetrs, zgesv,
// zgecon), and small complex products.
#pragma once

#include "numeric/Homotopy.h"

#include <vector>

namespace nagrt::numeric {

/// Factors one n x n complex matrix at a time and solves with it; one per thread (it owns its work space).
class LuSolver {
public:
  explicit LuSolver(int64_t n);
  /// Factors the row-major matrix a (n x n, copied). False when a pivot is exactly zero or an entry is not finite.
  bool factor(const cplx* a);
  /// Overwrites b (n values) with the solution of a x = b for the last matrix factored.
  void solve(cplx* b);
  /// factor(a), then solve(b), in one LAPACK call (zgesv on a transposed copy): Debian's OpenBLAS takes its buffer
  /// allocator's mutex once per call, and the tracker's threads contend for it. inverseCondition and solve work on
  /// these factors as after factor. False as for factor (b is then unspecified).
  bool factorSolve(const cplx* a, cplx* b);
  /// LAPACK's estimate of 1 / cond_inf(a) for the last matrix factored (0 when singular).
  double inverseCondition();
  /// The inf-norm of the last matrix factored.
  double norm() const { return norm_; }

private:
  double setNorm(const cplx* a);  ///< norm_ = the inf-norm of a, returned

  int64_t n_;
  double norm_ = 0;              ///< inf-norm of a
  bool ok_ = false;
  bool ofTranspose_ = true;      ///< lu_ holds the factors of a's transpose (factor) or of a (factorSolve)
  std::vector<cplx> lu_, work_;  ///< lu_: the factors, column-major (of the row-major a as LAPACK sees it: A^T,
                                 ///< after factor; of a itself, after factorSolve)
  std::vector<double> rwork_;
  std::vector<int> pivots_;
};

/// Below this many complex multiply-adds complexProduct is faster than zgemm here (no call, packing or buffer
/// allocation; OpenBLAS's allocator takes a mutex that the tracker's threads contend for).
constexpr int64_t kSmallProduct = int64_t(1) << 14;

/// c = a b for row-major complex a (m x l) and b (l x n), c not overlapping them: a plain loop for small products
/// (kSmallProduct), vectorized by the compiler (Linear.cpp is compiled with -O3).
void complexProduct(const cplx* a, const cplx* b, cplx* c, int64_t m, int64_t l, int64_t n);

/// max_i |v_i|.
double normInf(const cplx* v, int64_t n);

}  // namespace nagrt::numeric
