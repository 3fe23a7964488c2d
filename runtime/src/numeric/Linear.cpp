// Linear.cpp — LuSolver on LAPACKE's zgetrf/zgetrs/zgesv/zgecon, column-major; the small complex product.
#include "numeric/Linear.h"

#include <lapacke.h>

#include <algorithm>
#include <cmath>

namespace nagrt::numeric {

namespace {

// std::complex<double> and LAPACK's complex double share their layout (two doubles, real part first).
lapack_complex_double* lapackData(std::vector<cplx>& v) { return reinterpret_cast<lapack_complex_double*>(v.data()); }

// |z| without hypot's overflow guard (entries here are far below 1e150).
double modulus(cplx z) { return std::sqrt(z.real() * z.real() + z.imag() * z.imag()); }

}  // namespace

static_assert(sizeof(lapack_int) == sizeof(int), "LuSolver keeps pivots as int (LP64 LAPACK)");

LuSolver::LuSolver(int64_t n) : n_(n), lu_(n * n), work_(2 * n), rwork_(2 * n), pivots_(n) {}

double LuSolver::setNorm(const cplx* a) {
  norm_ = 0;
  for (int64_t i = 0; i < n_; ++i) {
    double row = 0;
    for (int64_t j = 0; j < n_; ++j) row += modulus(a[i * n_ + j]);
    norm_ = std::max(norm_, row);
  }
  return norm_;
}

bool LuSolver::factor(const cplx* a) {
  // Read column-major, the row-major a is its transpose A^T; the inf-norm of a is the 1-norm of A^T.
  ofTranspose_ = true;
  std::copy(a, a + n_ * n_, lu_.begin());
  if (!std::isfinite(setNorm(a))) return ok_ = false;
  lapack_int info =
      LAPACKE_zgetrf_work(LAPACK_COL_MAJOR, lapack_int(n_), lapack_int(n_), lapackData(lu_), lapack_int(n_), pivots_.data());
  return ok_ = (info == 0);
}

bool LuSolver::factorSolve(const cplx* a, cplx* b) {
  // The column-major copy of a itself, so that zgesv (which has no transposed form) solves a x = b.
  ofTranspose_ = false;
  for (int64_t i = 0; i < n_; ++i)
    for (int64_t j = 0; j < n_; ++j) lu_[size_t(j * n_ + i)] = a[i * n_ + j];
  if (!std::isfinite(setNorm(a))) return ok_ = false;
  lapack_int info = LAPACKE_zgesv_work(LAPACK_COL_MAJOR, lapack_int(n_), 1, lapackData(lu_), lapack_int(n_),
                                       pivots_.data(), reinterpret_cast<lapack_complex_double*>(b), lapack_int(n_));
  return ok_ = (info == 0);
}

void LuSolver::solve(cplx* b) {
  // After factor, a x = b is (A^T)^T x = b: zgetrs with 'T' on the factors of A^T.
  LAPACKE_zgetrs_work(LAPACK_COL_MAJOR, ofTranspose_ ? 'T' : 'N', lapack_int(n_), 1, lapackData(lu_), lapack_int(n_),
                      pivots_.data(),
                      reinterpret_cast<lapack_complex_double*>(b),
                      lapack_int(n_));
}

double LuSolver::inverseCondition() {
  if (!ok_ || norm_ == 0) return 0;
  double rcond = 0;
  // The inf-norm of a is the 1-norm of the A^T that factor holds.
  LAPACKE_zgecon_work(LAPACK_COL_MAJOR, ofTranspose_ ? '1' : 'I', lapack_int(n_), lapackData(lu_), lapack_int(n_), norm_,
                      &rcond, lapackData(work_),
                      rwork_.data());
  return rcond;
}

double normInf(const cplx* v, int64_t n) {
  // The largest |v_i|^2, one square root: std::abs (hypot, guarded against overflow) was 7% of a run.
  double m = 0;
  for (int64_t i = 0; i < n; ++i) m = std::max(m, v[i].real() * v[i].real() + v[i].imag() * v[i].imag());
  return std::sqrt(m);
}

void complexProduct(const cplx* a, const cplx* b, cplx* c, int64_t m, int64_t l, int64_t n) {
  const double* A = reinterpret_cast<const double*>(a);
  const double* B = reinterpret_cast<const double*>(b);
  double* C = reinterpret_cast<double*>(c);
  std::fill(C, C + 2 * m * n, 0.0);
  for (int64_t i = 0; i < m; ++i) {
    double* out = C + 2 * i * n;
    for (int64_t q = 0; q < l; ++q) {
      const double ar = A[2 * (i * l + q)], ai = A[2 * (i * l + q) + 1];
      const double* row = B + 2 * q * n;
      for (int64_t p = 0; p < n; ++p) {
        const double re = row[2 * p], im = row[2 * p + 1];
        out[2 * p] += ar * re - ai * im;
        out[2 * p + 1] += ar * im + ai * re;
      }
    }
  }
}

}  // namespace nagrt::numeric
