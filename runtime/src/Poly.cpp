// Poly.cpp — `expand` and `export`: the network's IR interpreted over FLINT's exact polynomials.
//
// expand: f_theta as polynomials in x_1..x_n (the values of one sample, in
// the input layout) with rational coefficients, for a theta read exactly.
// export: f as a polynomial map in the parameters t_1..t_P (theta's layout)
// and x_1..x_n, as a Macaulay2 or Singular script that also computes the
// generic rank of its parameter Jacobian, the dimension nagc reports.
#include "Exact.h"
#include "Runtime.h"
#include "nag_runtime.h"

#include <flint/fmpq_mpoly.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <unistd.h>

namespace nagrt {

namespace {

constexpr slong kMaxTerms = 2000000;  // per polynomial: beyond it, a message instead of running out of memory

/// A polynomial owned by RAII.
class Poly {
public:
  explicit Poly(const fmpq_mpoly_ctx_t ctx) : ctx_(ctx) { fmpq_mpoly_init(p_, ctx); }
  Poly(const Poly& o) : ctx_(o.ctx_) {
    fmpq_mpoly_init(p_, ctx_);
    fmpq_mpoly_set(p_, o.p_, ctx_);
  }
  Poly& operator=(const Poly& o) {
    fmpq_mpoly_set(p_, o.p_, ctx_);
    return *this;
  }
  ~Poly() { fmpq_mpoly_clear(p_, ctx_); }
  fmpq_mpoly_struct* get() { return p_; }
  const fmpq_mpoly_struct* get() const { return p_; }

private:
  const fmpq_mpoly_ctx_struct* ctx_;
  fmpq_mpoly_t p_;
};

struct Node {
  std::string op;
  std::vector<int64_t> shape, operands, indices;
  int64_t attr = 0, attr2 = 1;
  std::vector<std::string> values;
};

int64_t size(const std::vector<int64_t>& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

std::vector<Node> parseIR(const char* text, int64_t& output) {
  std::istringstream in(text ? text : "");
  std::string magic;
  int version = 0;
  size_t count = 0;
  in >> magic >> version >> count >> output;
  if (magic != "nag-ir" || version != 1) throw Error("this program carries no IR for exact expansion");
  std::vector<Node> nodes(count);
  for (Node& n : nodes) {
    size_t k;
    in >> n.op >> k;
    n.shape.resize(k);
    for (auto& d : n.shape) in >> d;
    in >> k;
    n.operands.resize(k);
    for (auto& o : n.operands) in >> o;
    in >> n.attr >> n.attr2 >> k;
    n.indices.resize(k);
    for (auto& i : n.indices) in >> i;
    in >> k;
    n.values.resize(k);
    for (auto& v : n.values) in >> v;
  }
  if (!in) throw Error("the program's IR is malformed");
  return nodes;
}

/// Interprets the graph: every node becomes a tensor of polynomials.
class Interpreter {
public:
  Interpreter(const nag_model& m, const fmpq_mpoly_ctx_t ctx, std::function<void(int64_t, Poly&)> param,
              std::function<void(int64_t, Poly&)> input)
      : m_(m), ctx_(ctx), param_(std::move(param)), input_(std::move(input)) {}

  std::vector<Poly> run() {
    int64_t output;
    std::vector<Node> nodes = parseIR(m_.ir, output);
    values_.reserve(nodes.size());
    // On a terminal, a line every second or so of a long expansion: how far, how long.
    bool progress = ::isatty(2) && !quiet_;
    auto start = std::chrono::steady_clock::now(), last = start;
    for (size_t id = 0; id < nodes.size(); ++id) {
      values_.push_back(eval(nodes[id]));
      auto now = std::chrono::steady_clock::now();
      if (progress && std::chrono::duration<double>(now - last).count() > 1.0) {
        last = now;
        std::fprintf(stderr, "expand: op %zu of %zu (%s) after %.0f s\n", id + 1, nodes.size(), nodes[id].op.c_str(),
                     std::chrono::duration<double>(now - start).count());
      }
    }
    return values_.at(size_t(output));
  }

  bool quiet_ = false;

private:
  const nag_model& m_;
  const fmpq_mpoly_ctx_struct* ctx_;
  std::function<void(int64_t, Poly&)> param_, input_;
  std::vector<std::vector<Poly>> values_;

  std::vector<Poly> zeros(int64_t n) { return std::vector<Poly>(size_t(n), Poly(ctx_)); }
  const Poly& at(const Node& n, size_t k, int64_t e) {
    const std::vector<Poly>& v = values_[size_t(n.operands[k])];
    return v.size() == 1 ? v[0] : v[size_t(e)];
  }
  // The size of a result before FLINT allocates it: an upper bound on its
  // terms (la lb for a product; C(l + k - 1, k) for a k-th power; at most
  // the monomials of its degree in the variables) and on its coefficients'
  // bits (|c| <= (sum |c_i|)^k), against the memory this process can use
  // (nagrt::availableMemoryBytes). FLINT aborts the process when an
  // allocation fails, so what cannot fit is refused here, with its size.
  double bitsOf(const Poly& p) {
    const fmpq_mpoly_struct* q = p.get();
    double content = double(fmpz_bits(fmpq_numref(q->content))) + double(fmpz_bits(fmpq_denref(q->content)));
    return double(std::labs(fmpz_mpoly_max_bits(q->zpoly))) + content;
  }
  double monomials(double degree) {
    // C(n + d, n) through lgamma, n the number of variables.
    double n = double(fmpq_mpoly_ctx_nvars(ctx_));
    return std::exp(std::lgamma(n + degree + 1) - std::lgamma(n + 1) - std::lgamma(degree + 1));
  }
  void reserve(double terms, double bits, const char* what) {
    // A term: its coefficient (an fmpz: 8 bytes, plus the limbs beyond 62
    // bits) and its packed exponent vector (at least one word).
    double words = std::max(1.0, std::ceil(double(fmpq_mpoly_ctx_nvars(ctx_)) * 8 / 64));
    double bytes = terms * (8 + (bits > 62 ? std::ceil(bits / 64) * 8 + 16 : 0) + words * 8);
    double avail = double(availableMemoryBytes());
    // The result and FLINT's working copies: half of what may be used.
    if (bytes > avail / 2 || terms > 1e15) {
      char text[256];
      std::snprintf(text, sizeof text,
                    "the expansion stops at a %s whose result may have up to %.3g terms with coefficients of up to "
                    "%.3g bits, about %.3g GiB; this process may use %.3g GiB (physical RAM, RLIMIT_AS, RLIMIT_DATA "
                    "and the cgroup limit)",
                    what, terms, bits, bytes / double(1 << 30), avail / double(1 << 30));
      throw Error(text);
    }
  }
  void beforeMul(const Poly& a, const Poly& b) {
    double la = double(fmpq_mpoly_length(a.get(), ctx_)), lb = double(fmpq_mpoly_length(b.get(), ctx_));
    if (la == 0 || lb == 0) return;
    double deg = double(fmpq_mpoly_total_degree_si(a.get(), ctx_)) + double(fmpq_mpoly_total_degree_si(b.get(), ctx_));
    double terms = std::min(la * lb, monomials(deg));
    reserve(terms, bitsOf(a) + bitsOf(b) + std::log2(std::min(la, lb)) + 1, "product");
  }
  void beforePow(const Poly& a, int64_t k) {
    double la = double(fmpq_mpoly_length(a.get(), ctx_));
    if (la == 0 || k < 2) return;
    double kk = double(k);
    double multisets = std::exp(std::lgamma(la + kk) - std::lgamma(kk + 1) - std::lgamma(la));  // C(la + k - 1, k)
    double terms = std::min(multisets, monomials(kk * double(fmpq_mpoly_total_degree_si(a.get(), ctx_))));
    reserve(terms, kk * (bitsOf(a) + std::log2(la)), "power");
  }
  void check(const Poly& p) {
    if (fmpq_mpoly_length(p.get(), ctx_) > kMaxTerms)
      throw Error("the expansion has more than " + std::to_string(kMaxTerms) + " terms in one polynomial; the limit stops it here");
  }
  void mulAdd(Poly& acc, const Poly& a, const Poly& b) {
    beforeMul(a, b);
    Poly t(ctx_);
    fmpq_mpoly_mul(t.get(), a.get(), b.get(), ctx_);
    fmpq_mpoly_add(acc.get(), acc.get(), t.get(), ctx_);
    check(acc);
  }

  std::vector<Poly> eval(const Node& n) {
    int64_t count = size(n.shape);
    std::vector<Poly> out = zeros(n.op == "const" && n.values.size() == 1 ? 1 : count);
    const std::string& op = n.op;
    if (op == "param" || op == "input") {
      // The leaf's elements in theta's or the sample's flat layout.
      const nag_tensor_info& t = op == "param" ? m_.params[n.attr] : m_.inputs[n.attr];
      for (int64_t e = 0; e < count; ++e) (op == "param" ? param_ : input_)(t.offset + e, out[size_t(e)]);
    } else if (op == "const") {
      fmpq_t q;
      fmpq_init(q);
      for (size_t e = 0; e < n.values.size(); ++e) {
        fmpq_set_str(q, n.values[e].c_str(), 10);
        fmpq_mpoly_set_fmpq(out[e].get(), q, ctx_);
      }
      fmpq_clear(q);
    } else if (op == "add" || op == "sub" || op == "mul") {
      for (int64_t e = 0; e < count; ++e) {
        auto* r = out[size_t(e)].get();
        if (op == "add") fmpq_mpoly_add(r, at(n, 0, e).get(), at(n, 1, e).get(), ctx_);
        else if (op == "sub") fmpq_mpoly_sub(r, at(n, 0, e).get(), at(n, 1, e).get(), ctx_);
        else {
          beforeMul(at(n, 0, e), at(n, 1, e));
          fmpq_mpoly_mul(r, at(n, 0, e).get(), at(n, 1, e).get(), ctx_);
        }
        check(out[size_t(e)]);
      }
    } else if (op == "div") {
      fmpq_t q;
      fmpq_init(q);
      for (int64_t e = 0; e < count; ++e) {
        const Poly& d = at(n, 1, e);
        if (!fmpq_mpoly_is_fmpq(d.get(), ctx_)) {
          fmpq_clear(q);
          throw Error(std::string("network '") + m_.name + "' is rational (a denominator depends on " +
                      "the variables): it has no expansion as polynomials");
        }
        fmpq_mpoly_get_fmpq(q, d.get(), ctx_);
        if (fmpq_is_zero(q)) {
          fmpq_clear(q);
          throw Error("division by zero in the expansion");
        }
        fmpq_mpoly_scalar_div_fmpq(out[size_t(e)].get(), at(n, 0, e).get(), q, ctx_);
      }
      fmpq_clear(q);
    } else if (op == "neg") {
      for (int64_t e = 0; e < count; ++e) fmpq_mpoly_neg(out[size_t(e)].get(), at(n, 0, e).get(), ctx_);
    } else if (op == "pow") {
      for (int64_t e = 0; e < count; ++e) {
        beforePow(at(n, 0, e), n.attr);
        if (!fmpq_mpoly_pow_ui(out[size_t(e)].get(), at(n, 0, e).get(), ulong(n.attr), ctx_))
          throw Error("the expansion's exponents overflow");
        check(out[size_t(e)]);
      }
    } else if (op == "matmul") {
      const auto& sa = values_shape(n, 0);
      const auto& sb = values_shape(n, 1);
      int64_t rows = sa[0], inner = sa[1], cols = sb.size() == 2 ? sb[1] : 1;
      for (int64_t i = 0; i < rows; ++i)
        for (int64_t j = 0; j < cols; ++j)
          for (int64_t l = 0; l < inner; ++l) mulAdd(out[size_t(i * cols + j)], at(n, 0, i * inner + l), at(n, 1, l * cols + j));
    } else if (op == "transpose") {
      const auto& s = values_shape(n, 0);
      for (int64_t i = 0; i < s[0]; ++i)
        for (int64_t j = 0; j < s[1]; ++j) out[size_t(j * s[0] + i)] = at(n, 0, i * s[1] + j);
    } else if (op == "conv1d") {
      int64_t k = values_shape(n, 0)[0];
      for (int64_t i = 0; i < count; ++i)
        for (int64_t t = 0; t < k; ++t) mulAdd(out[size_t(i)], at(n, 0, t), at(n, 1, i * n.attr + t * n.attr2));
    } else if (op == "conv1d_t") {
      int64_t k = values_shape(n, 0)[0], m = values_shape(n, 1)[0];
      for (int64_t i = 0; i < m; ++i)
        for (int64_t t = 0; t < k; ++t) mulAdd(out[size_t(i * n.attr + t * n.attr2)], at(n, 0, t), at(n, 1, i));
    } else if (op == "sum") {
      for (int64_t e = 0; e < size(values_shape(n, 0)); ++e)
        fmpq_mpoly_add(out[0].get(), out[0].get(), at(n, 0, e).get(), ctx_);
    } else if (op == "dot") {
      for (int64_t e = 0; e < values_shape(n, 0)[0]; ++e) mulAdd(out[0], at(n, 0, e), at(n, 1, e));
    } else if (op == "outer") {
      for (int64_t i = 0; i < n.shape[0]; ++i)
        for (int64_t j = 0; j < n.shape[1]; ++j)
        {
          beforeMul(at(n, 0, i), at(n, 1, j));
          fmpq_mpoly_mul(out[size_t(i * n.shape[1] + j)].get(), at(n, 0, i).get(), at(n, 1, j).get(), ctx_);
        }
    } else if (op == "concat") {
      int64_t o = 0;
      for (size_t k = 0; k < n.operands.size(); ++k)
        for (int64_t e = 0; e < size(values_shape(n, k)); ++e) out[size_t(o++)] = at(n, k, e);
    } else if (op == "index" || op == "slice" || op == "reshape" || op == "broadcast") {
      int64_t offset = op == "slice" ? n.attr : 0;
      if (op == "index") {
        const auto& s = values_shape(n, 0);
        int64_t stride = count;
        for (size_t d = n.indices.size(); d-- > 0;) {
          offset += n.indices[d] * stride;
          stride *= s[d];
        }
      }
      for (int64_t e = 0; e < count; ++e) out[size_t(e)] = at(n, 0, op == "broadcast" ? 0 : offset + e);
    } else if (op == "embed") {
      for (int64_t e = 0; e < size(values_shape(n, 0)); ++e) out[size_t(n.attr + e)] = at(n, 0, e);
    } else {
      throw Error(std::string("network '") + m_.name + "' is " + m_.algebraic_class + " (" + op +
                  "): it has no expansion as polynomials");
    }
    return out;
  }

  std::vector<std::vector<int64_t>> shapes_;
  const std::vector<int64_t>& values_shape(const Node& n, size_t k) { return shapes_.at(size_t(n.operands[k])); }

public:
  /// Shapes are recorded as nodes are read (for structural ops).
  void recordShapes() {
    int64_t output;
    for (const Node& n : parseIR(m_.ir, output)) shapes_.push_back(n.shape);
  }
};

std::vector<std::string> names(const char* prefix, int64_t count, bool singular) {
  std::vector<std::string> out;
  for (int64_t i = 1; i <= count; ++i)
    out.push_back(std::string(prefix) + (singular ? "(" + std::to_string(i) + ")" : "_" + std::to_string(i)));
  return out;
}

std::string pretty(const Poly& p, const std::vector<std::string>& vars, const fmpq_mpoly_ctx_t ctx) {
  std::vector<const char*> v;
  for (const std::string& s : vars) v.push_back(s.c_str());
  char* str = fmpq_mpoly_get_str_pretty(p.get(), v.data(), ctx);
  std::string out = str;
  flint_free(str);
  return out;
}

}  // namespace

std::string constantZeroModP(const nag_model& m, uint64_t p) {
  // The constants of each model's IR, parsed once (nonzero ones only).
  static std::mutex lock;
  static std::map<const nag_model*, std::vector<std::string>> cache;
  std::vector<std::string>* constants;
  {
    std::lock_guard<std::mutex> hold(lock);
    auto it = cache.find(&m);
    if (it == cache.end()) {
      std::vector<std::string> list;
      int64_t output;
      if (m.ir && *m.ir)
        for (const Node& n : parseIR(m.ir, output))
          if (n.op == "const")
            for (const std::string& v : n.values)
              if (v != "0") list.push_back(v);
      it = cache.emplace(&m, std::move(list)).first;
    }
    constants = &it->second;
  }
  mpq_t q;
  mpq_init(q);
  std::string hit;
  for (const std::string& v : *constants) {
    if (mpq_set_str(q, v.c_str(), 10) != 0 || mpq_sgn(q) == 0) continue;
    if (mpz_divisible_ui_p(mpq_numref(q), p) || mpz_divisible_ui_p(mpq_denref(q), p)) {
      hit = v;
      break;
    }
  }
  mpq_clear(q);
  return hit;
}

void initModulus(const nag_model& m, nag_modulus* mod, uint64_t p, const std::string& what) {
  std::string c = constantZeroModP(m, p);
  if (!c.empty())
    throw Error(what + ": the constant " + c + " of network '" + m.name + "' is not 0 but is " +
                (c.find('/') != std::string::npos ? "a fraction whose numerator or denominator is" : "") +
                " divisible by the prime " + std::to_string(p) + ", so mod p it is another network" +
                " (choose another --prime, or change the constant)");
  if (p >= modularPrimeLimit(m))
    throw Error(what + ": the prime " + std::to_string(p) + " is 2^31 or more, but the exact kernels of network '" +
                m.name + "' take primes below 2^31 only (compile with --wide-modular for primes up to 2^62)");
  nagrt_modulus_init(mod, p);
}

uint64_t modularPrimeLimit(const nag_model& m) {
  return uint64_t(1) << (m.modular_prime_bits == 31 ? 31 : 62);
}

void evalMod(const nag_model& m, const uint64_t* theta, const uint64_t* x, uint64_t* y, int64_t batch,
             nag_modulus* mod) {
  (mod->p < (uint64_t(1) << 31) && m.eval_mod32 ? m.eval_mod32 : m.eval_mod)(theta, x, y, batch, mod);
}

void jacThetaMod(const nag_model& m, const uint64_t* theta, const uint64_t* x, uint64_t* y, int64_t batch,
                 nag_modulus* mod) {
  (mod->p < (uint64_t(1) << 31) && m.jac_theta_mod32 ? m.jac_theta_mod32 : m.jac_theta_mod)(theta, x, nullptr, nullptr,
                                                                                            y, batch, mod);
}

void expand(const nag_model& m, const std::string& thetaPath, bool json, bool quiet) {
  if (thetaPath.empty()) throw Error("expand needs --theta (a text file of exact numbers: 1/3, 0.5, -2; a .npy file, '-', or random:SEED)");
  int64_t P = m.param_count, I = m.input_size;
  // theta exactly.
  std::vector<std::string> tokens;
  for (const ExactToken& t : readExactTokens(thetaPath, "theta", P)) tokens.push_back(t.text);
  if (int64_t(tokens.size()) != P)
    throw Error("theta: " + thetaPath + ": expected " + std::to_string(P) + " values, found " + std::to_string(tokens.size()));
  std::vector<std::unique_ptr<__mpq_struct, void (*)(__mpq_struct*)>> theta;
  for (const std::string& t : tokens) {
    auto* q = new __mpq_struct;
    mpq_init(q);
    if (!parseExact(t, q)) {
      mpq_clear(q);
      delete q;
      throw Error("theta: " + thetaPath + ": '" + t + "' is not an exact number");
    }
    theta.emplace_back(q, [](__mpq_struct* p) { mpq_clear(p); delete p; });
  }
  fmpq_mpoly_ctx_t ctx;
  fmpq_mpoly_ctx_init(ctx, slong(std::max<int64_t>(I, 1)), ORD_DEGREVLEX);
  std::vector<std::string> vars = names("x", I, false);
  {
    Interpreter interp(
        m, ctx,
        [&](int64_t k, Poly& p) {
          fmpq_t q;
          fmpq_init(q);
          fmpq_set_mpq(q, theta[size_t(k)].get());
          fmpq_mpoly_set_fmpq(p.get(), q, ctx);
          fmpq_clear(q);
        },
        [&](int64_t k, Poly& p) { fmpq_mpoly_gen(p.get(), slong(k), ctx); });
    interp.recordShapes();
    interp.quiet_ = quiet;
    std::vector<Poly> f = interp.run();
    std::ostringstream out;
    if (json) {
      out << "{\"variables\": [";
      for (size_t i = 0; i < vars.size(); ++i) out << (i ? ", " : "") << "\"" << vars[i] << "\"";
      out << "], \"outputs\": [";
      for (size_t i = 0; i < f.size(); ++i) out << (i ? ",\n  " : "\n  ") << "\"" << pretty(f[i], vars, ctx) << "\"";
      out << "\n]}\n";
    } else {
      for (size_t i = 0; i < f.size(); ++i) out << "f_" << (i + 1) << " = " << pretty(f[i], vars, ctx) << "\n";
    }
    std::cout << out.str();
  }
  fmpq_mpoly_ctx_clear(ctx);
}

void exportMap(const nag_model& m, const std::string& format) {
  if (format != "m2" && format != "singular") throw Error("--format expects m2 or singular, got '" + format + "'");
  if (std::strcmp(m.algebraic_class, "polynomial") != 0)
    throw Error(std::string("export writes polynomial maps; network '") + m.name + "' is " + m.algebraic_class +
                (m.algebraic_reason && *m.algebraic_reason ? std::string(" (") + m.algebraic_reason + ")" : ""));
  bool singular = format == "singular";
  int64_t P = m.param_count, I = m.input_size;
  fmpq_mpoly_ctx_t ctx;
  fmpq_mpoly_ctx_init(ctx, slong(P + I), ORD_DEGREVLEX);
  std::vector<std::string> vars = names("t", P, singular), xs = names("x", I, singular);
  vars.insert(vars.end(), xs.begin(), xs.end());
  {
    Interpreter interp(
        m, ctx, [&](int64_t k, Poly& p) { fmpq_mpoly_gen(p.get(), slong(k), ctx); },
        [&](int64_t k, Poly& p) { fmpq_mpoly_gen(p.get(), slong(P + k), ctx); });
    interp.recordShapes();
    std::vector<Poly> f = interp.run();
    int64_t points = P + 8;  // as many sample points as the dimension report uses, at most
    std::ostringstream out;
    std::string args;
    for (int32_t i = 0; i < m.num_args; ++i) args += std::string(i ? ", " : "") + m.args[i].name + " = " + m.args[i].value;
    const char* c = singular ? "//" : "--";
    out << c << " " << m.name << " (" << args << "), exported by nagc from " << m.source << "\n"
        << c << " f_theta(x) with theta = t_1..t_" << P << " (nagc's parameter layout) and x = x_1..x_" << I
        << " (one sample's input values)\n";
    if (!singular) {
      out << "R = QQ[t_1..t_" << P << (I ? ", x_1..x_" + std::to_string(I) : "") << "];\nF = {\n";
      for (size_t i = 0; i < f.size(); ++i) out << "  " << pretty(f[i], vars, ctx) << (i + 1 < f.size() ? ",\n" : "\n");
      out << "};\n"
          << "-- The dimension of the neurovariety: the rank of the parameter Jacobian of F\n"
          << "-- at " << points << " random sample points, at a random theta.\n"
          << "setRandomSeed 1;\n"
          << "ts = apply(" << P << ", i -> R_i);\n"
          << "rows = flatten apply(" << points << ", k -> (\n"
          << "  pt = apply(" << I << ", j -> R_(" << P << " + j) => random(QQ, Height => 100));\n"
          << "  apply(F, f -> sub(f, pt))));\n"
          << "J = transpose jacobian matrix {rows};\n"
          << "J0 = sub(J, apply(ts, t -> t => random(QQ, Height => 100)));\n"
          << "print rank J0;\n";
    } else {
      out << "ring R = 0, (t(1.." << P << ")" << (I ? ", x(1.." + std::to_string(I) + ")" : "") << "), dp;\n";
      for (size_t i = 0; i < f.size(); ++i) out << "poly f" << (i + 1) << " = " << pretty(f[i], vars, ctx) << ";\n";
      out << "ideal F = ";
      for (size_t i = 0; i < f.size(); ++i) out << (i ? ", " : "") << "f" << (i + 1);
      out << ";\n"
          << "// The dimension of the neurovariety: the rank of the parameter Jacobian of F\n"
          << "// at " << points << " random sample points, at a random theta.\n"
          << "system(\"random\", 1);\n"
          << "ideal rows; ideal G; int k; int j;\n"
          << "for (k = 1; k <= " << points << "; k++) {\n"
          << "  G = F;\n"
          << "  for (j = 1; j <= " << I << "; j++) { G = subst(G, x(j), number(random(-1000, 1000)) / random(1, 1000)); }\n"
          << "  rows = rows + G;\n"
          << "}\n"
          << "matrix J = jacob(rows);\n"
          << "for (j = 1; j <= " << P << "; j++) { J = subst(J, t(j), number(random(-1000, 1000)) / random(1, 1000)); }\n"
          << "print(rank(J));\n"
          << "quit;\n";
    }
    std::cout << out.str();
  }
  fmpq_mpoly_ctx_clear(ctx);
}

}  // namespace nagrt
