// TestSystems.h — polynomial and parametric systems with known solutions for the numeric engine's tests.
#pragma once

#include "Runtime.h"
#include "numeric/Homotopy.h"

#include <functional>
#include <vector>

namespace nagrt::numeric::testing {

/// A dense polynomial in n variables of total degree d with random complex coefficients (every monomial present).
struct DensePolynomial {
  std::vector<std::vector<int>> exponents;
  std::vector<cplx> coefficients;

  DensePolynomial(int n, int degree, Random& rng) {
    std::vector<int> e(n, 0);
    std::function<void(int, int)> fill = [&](int var, int left) {
      if (var == n) {
        exponents.push_back(e);
        coefficients.push_back(randomComplex(rng));
        return;
      }
      for (int k = 0; k <= left; ++k) {
        e[var] = k;
        fill(var + 1, left - k);
      }
      e[var] = 0;
    };
    fill(0, degree);
  }

  /// The value at x; the gradient into grad (n values) when non-null.
  cplx evaluate(const cplx* x, cplx* grad) const {
    const int n = int(exponents[0].size());
    cplx value = 0;
    if (grad) std::fill(grad, grad + n, cplx(0));
    for (size_t m = 0; m < exponents.size(); ++m) {
      cplx term = coefficients[m];
      for (int v = 0; v < n; ++v)
        for (int k = 0; k < exponents[m][v]; ++k) term *= x[v];
      value += term;
      if (!grad) continue;
      for (int v = 0; v < n; ++v) {
        if (exponents[m][v] == 0) continue;
        cplx d = coefficients[m] * double(exponents[m][v]);
        for (int w = 0; w < n; ++w)
          for (int k = 0; k < exponents[m][w] - (w == v ? 1 : 0); ++k) d *= x[w];
        grad[v] += d;
      }
    }
    return value;
  }
};

/// n dense random equations of the given degrees in n unknowns: generically prod d_i isolated solutions (Bezout).
struct DenseSystem {
  std::vector<int> degrees;
  std::vector<DensePolynomial> equations;

  DenseSystem(std::vector<int> ds, uint64_t seed) : degrees(std::move(ds)) {
    Random rng(seed);
    for (int d : degrees) equations.emplace_back(int(degrees.size()), d, rng);
  }
  PolynomialFn function() const {
    return [this](const cplx* x, cplx* f, cplx* jx) {
      const int64_t n = int64_t(equations.size());
      for (int64_t i = 0; i < n; ++i) f[i] = equations[i].evaluate(x, jx ? jx + i * n : nullptr);
    };
  }
};

/// A ParametricSystem from a lambda (x, q, f, jx, jq), for small hand-written families.
class LambdaSystem : public ParametricSystem {
public:
  using Fn = std::function<void(const cplx* x, const cplx* q, cplx* f, cplx* jx, cplx* jq)>;
  LambdaSystem(int64_t n, int64_t p, Fn fn) : n_(n), p_(p), fn_(std::move(fn)) {}
  int64_t unknowns() const override { return n_; }
  int64_t parameters() const override { return p_; }
  void evaluate(const cplx* x, const cplx* q, cplx* f, cplx* jx, cplx* jq) const override { fn_(x, q, f, jx, jq); }

private:
  int64_t n_, p_;
  Fn fn_;
};

/// A Homotopy from a lambda (x, t, h, hx, ht).
class LambdaHomotopy : public Homotopy {
public:
  using Fn = std::function<void(const cplx* x, cplx t, cplx* h, cplx* hx, cplx* ht)>;
  LambdaHomotopy(int64_t n, Fn fn) : n_(n), fn_(std::move(fn)) {}
  int64_t size() const override { return n_; }
  void evaluate(const cplx* x, cplx t, cplx* h, cplx* hx, cplx* ht) const override { fn_(x, t, h, hx, ht); }

private:
  int64_t n_;
  Fn fn_;
};

}  // namespace nagrt::numeric::testing
