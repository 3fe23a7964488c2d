// Homotopy.h — the systems the numerical engine tracks: homotopies H(x, t), parametric systems F(x; q), and adapters.
#pragma once

#include <complex>
#include <cstdint>
#include <functional>
#include <vector>

namespace nagrt {
class Random;
}

namespace nagrt::numeric {

using cplx = std::complex<double>;

/// H(x, t) = 0, n equations in n unknowns, t from 0 to 1.
struct Homotopy {
  virtual ~Homotopy() = default;
  virtual int64_t size() const = 0;
  /// h = H(x,t) (n values); hx = dH/dx (n x n, row-major) and ht = dH/dt (n) when non-null. Must be thread-safe (const).
  /// t is complex: the endgame tracks circles around t = 1. May call nagrt_parallel_for: inside a tracker job it runs serially.
  virtual void evaluate(const cplx* x, cplx t, cplx* h, cplx* hx, cplx* ht) const = 0;
};

/// A square system F(x; q) = 0 with parameters q (the usual case: slices whose offsets move).
struct ParametricSystem {
  virtual ~ParametricSystem() = default;
  virtual int64_t unknowns() const = 0;
  virtual int64_t parameters() const = 0;
  /// f = F(x; q); jx = dF/dx (n x n row-major) and jq = dF/dq (n x parameters(), row-major) when non-null. Thread-safe.
  virtual void evaluate(const cplx* x, const cplx* q, cplx* f, cplx* jx, cplx* jq) const = 0;
};

/// The parameter homotopy F(x; (1-t) q0 + t q1) = 0. With q0, q1 complex and random the segment misses the
/// discriminant with probability one (the gamma trick for parameter homotopies). Keeps references: the system
/// must outlive it.
class SegmentHomotopy : public Homotopy {
public:
  /// The segment from q0 to q1 (each of system.parameters() values).
  SegmentHomotopy(const ParametricSystem& system, std::vector<cplx> q0, std::vector<cplx> q1);
  int64_t size() const override { return system_.unknowns(); }
  void evaluate(const cplx* x, cplx t, cplx* h, cplx* hx, cplx* ht) const override;

private:
  const ParametricSystem& system_;
  std::vector<cplx> q0_, dq_;  ///< q(t) = q0 + t dq
};

/// f = F(x) (n values) and, when jx is non-null, jx = dF/dx (n x n, row-major). Thread-safe.
using PolynomialFn = std::function<void(const cplx* x, cplx* f, cplx* jx)>;

/// The total-degree homotopy H = (1-t) gamma G(x) + t F(x), G_i = x_i^{d_i} - 1, for a polynomial system F whose
/// i-th equation has degree d_i. Its prod d_i start solutions are the tuples of roots of unity; with gamma random
/// every isolated solution of F is the end of some path (Bezout), the others diverge or end singular.
class TotalDegreeHomotopy : public Homotopy {
public:
  /// degrees[i] >= 1 is the degree of F's i-th equation; gamma a random complex number of modulus one.
  TotalDegreeHomotopy(std::vector<int> degrees, PolynomialFn f, cplx gamma);
  int64_t size() const override { return int64_t(degrees_.size()); }
  void evaluate(const cplx* x, cplx t, cplx* h, cplx* hx, cplx* ht) const override;
  /// prod d_i, the number of paths (throws nagrt::Error beyond 2^62).
  int64_t pathCount() const;
  /// The k-th start solution (0 <= k < pathCount()), in mixed radix over the degrees: x_i = exp(2 pi i k_i / d_i).
  void startSolution(int64_t k, cplx* x) const;

private:
  std::vector<int> degrees_;
  PolynomialFn f_;
  cplx gamma_;
};

/// A complex number with real and imaginary parts uniform on [-1, 1).
cplx randomComplex(Random& rng);
/// A complex number of modulus one with a uniform angle: the gamma of the gamma trick.
cplx randomUnitComplex(Random& rng);

}  // namespace nagrt::numeric
