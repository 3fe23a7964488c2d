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
  /// True when evaluate also takes h = nullptr (then only the derivatives are computed): the tracker's predictor
  /// needs hx and ht only, four times a step.
  virtual bool valueOptional() const { return false; }
};

/// A square system F(x; q) = 0 with parameters q (the usual case: slices whose offsets move).
struct ParametricSystem {
  virtual ~ParametricSystem() = default;
  virtual int64_t unknowns() const = 0;
  virtual int64_t parameters() const = 0;
  /// f = F(x; q); jx = dF/dx (n x n row-major) and jq = dF/dq (n x parameters(), row-major) when non-null. Thread-safe.
  virtual void evaluate(const cplx* x, const cplx* q, cplx* f, cplx* jx, cplx* jq) const = 0;
  /// True when evaluate also takes f = nullptr.
  virtual bool valueOptional() const { return false; }
};

/// The parameter homotopy F(x; q0 + w(t) (q1 - q0)) = 0 with w(t) = t g1 / (t g1 + (1-t) g0): for g0 = g1 the
/// segment (1-t) q0 + t q1; otherwise an arc of the complex line through q0 and q1 from w = 0 to w = 1, the same
/// ends by another way (two arcs q0 -> q1 -> q0 with different g's are a loop around the branch points between
/// them: the edges of a monodromy graph). With q0, q1 complex and random the path misses the discriminant with
/// probability one (the gamma trick for parameter homotopies). Keeps references: the system must outlive it.
class SegmentHomotopy : public Homotopy {
public:
  /// The path from q0 to q1 (each of system.parameters() values); g0, g1 nonzero.
  SegmentHomotopy(const ParametricSystem& system, std::vector<cplx> q0, std::vector<cplx> q1, cplx g0 = 1.0,
                  cplx g1 = 1.0);
  int64_t size() const override { return system_.unknowns(); }
  void evaluate(const cplx* x, cplx t, cplx* h, cplx* hx, cplx* ht) const override;
  bool valueOptional() const override { return system_.valueOptional(); }

private:
  const ParametricSystem& system_;
  std::vector<cplx> q0_, dq_;  ///< q(t) = q0 + w(t) dq
  cplx g0_, g1_;
  bool straight_;              ///< g0 == g1: w(t) = t
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
