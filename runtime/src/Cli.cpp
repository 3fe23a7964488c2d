// Cli.cpp — the generated program's command line: info and eval.
#include "AlgebraCli.h"
#include "CliSupport.h"
#include "Dim.h"
#include "exact/Fibre.h"
#include "train/Train.h"

#include <unistd.h>
#include "Runtime.h"
#include "nag_runtime.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

namespace nagrt {

namespace {

std::string shapeText(const nag_tensor_info& t) {
  if (t.rank == 0) return "R";
  std::string s = "R[";
  for (int32_t i = 0; i < t.rank; ++i) s += (i ? ", " : "") + std::to_string(t.shape[i]);
  return s + "]";
}


std::string jsonShape(const nag_tensor_info& t) {
  std::string s = "[";
  for (int32_t i = 0; i < t.rank; ++i) s += (i ? ", " : "") + std::to_string(t.shape[i]);
  return s + "]";
}

std::string jsonTensor(const nag_tensor_info& t) {
  return "{\"name\": " + jsonString(t.name) + ", \"shape\": " + jsonShape(t) + ", \"offset\": " +
         std::to_string(t.offset) + ", \"size\": " + std::to_string(t.size) + "}";
}


int64_t parseCount(const std::string& text, const std::string& flag) {
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(text.c_str(), &end, 10);
  constexpr int64_t kMaxCount = int64_t(1) << 40;
  bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  if (digits && (errno == ERANGE || v > kMaxCount))
    throw Error(flag + " " + text + " is too large; the limit is " + std::to_string(kMaxCount) + " (2^40)");
  if (text.empty() || *end != '\0' || errno == ERANGE || v < 1)
    throw Error(flag + " expects a positive integer, got '" + text + "'");
  return v;
}

void info(const nag_model& m, const Args& args) {
  std::ostringstream out;
  if (args.has("--json")) {
    out << "{\n  \"network\": " << jsonString(m.name) << ",\n  \"source\": " << jsonString(m.source)
        << ",\n  \"precision_bits\": " << m.precision_bits << ",\n  \"arguments\": {";
    for (int32_t i = 0; i < m.num_args; ++i)
      out << (i ? ", " : "") << jsonString(m.args[i].name) << ": " << jsonString(m.args[i].value);
    out << "},\n  \"inputs\": [";
    for (int32_t i = 0; i < m.num_inputs; ++i) out << (i ? ", " : "") << jsonTensor(m.inputs[i]);
    out << "],\n  \"input_size\": " << m.input_size << ",\n  \"output\": " << jsonTensor(m.output)
        << ",\n  \"parameters\": [";
    for (int32_t i = 0; i < m.num_params; ++i) out << (i ? ",\n    " : "\n    ") << jsonTensor(m.params[i]);
    out << "],\n  \"P\": " << m.param_count << ",\n  \"class\": " << jsonString(m.algebraic_class);
    bool poly = std::strcmp(m.algebraic_class, "polynomial") == 0;
    // A degree beyond 2^62 is null, with "degree_more_than" saying so.
    auto degree = [](int64_t d) { return d < 0 ? std::string("null") : std::to_string(d); };
    if (poly) out << ",\n  \"degree\": " << degree(m.degree) << ",\n  \"min_degree\": " << degree(m.min_degree);
    if (poly && m.degree < 0) out << ",\n  \"degree_more_than\": " << (uint64_t(1) << 62);
    out << ",\n  \"coordinate_dimension\": " << (poly && *m.ambient_dimension ? std::string(m.ambient_dimension) : "null")
        << ",\n  \"degree_set\": " << (poly && *m.degree_set ? "[" + std::string(m.degree_set) + "]" : "null")
        << ",\n  \"linear_rank_bound\": " << (*m.linear_rank_bound ? std::string(m.linear_rank_bound) : "null")
        << ",\n  \"input_matrix\": " << (m.input_matrix && *m.input_matrix ? jsonString(m.input_matrix) : std::string("null"))
        << ",\n  \"symmetries\": [";
    for (int32_t i = 0; i < m.num_symmetries; ++i)
      out << (i ? ", " : "") << "{\"description\": " << jsonString(m.symmetries[i].description)
          << ", \"dimension\": " << m.symmetries[i].dimension << "}";
    out << "],\n  \"symmetry_dimension\": " << m.symmetry_dimension << ",\n  \"expected_dimension\": "
        << m.expected_dimension << ",\n  \"kernels\": " << jsonString(m.kernels ? m.kernels : "")
        << ",\n  \"modular_prime_bits\": " << (m.eval_mod ? std::to_string(m.modular_prime_bits) : "null") << "\n}\n";
  } else {
    out << "network " << m.name << "  (" << m.source << ")\n  arguments   ";
    if (m.num_args == 0) out << "none";
    for (int32_t i = 0; i < m.num_args; ++i)
      out << (i ? ", " : "") << m.args[i].name << " = " << m.args[i].value << (m.args[i].overridden ? " (-D)" : "");
    out << "\n";
    for (int32_t i = 0; i < m.num_inputs; ++i)
      out << "  input       " << m.inputs[i].name << " : " << shapeText(m.inputs[i]) << "\n";
    out << "  output      " << shapeText(m.output) << "\n  parameters  P = " << m.param_count << "\n";
    size_t width = 0;
    for (int32_t i = 0; i < m.num_params; ++i) width = std::max(width, std::strlen(m.params[i].name));
    for (int32_t i = 0; i < m.num_params; ++i) {
      std::string shape = shapeText(m.params[i]);
      out << "    " << m.params[i].name << std::string(width - std::strlen(m.params[i].name) + 2, ' ') << shape
          << std::string(shape.size() < 12 ? 12 - shape.size() : 1, ' ') << "offset " << m.params[i].offset << "\n";
    }
    bool poly = std::strcmp(m.algebraic_class, "polynomial") == 0;
    out << "  class       " << m.algebraic_class;
    if (poly && m.degree < 0) {
      out << ", degree > 2^62 in x (too large to count exactly; "
          << (m.min_degree < 0 ? std::string("every term of degree > 2^62") : "terms of degree " + std::to_string(m.min_degree) + " and up")
          << ")";
    } else if (poly) {
      out << ", degree " << m.degree << " in x";
      if (m.degree == m.min_degree) out << ", homogeneous";
      else out << " (terms of degrees " << (*m.degree_set ? std::string(m.degree_set) : std::to_string(m.min_degree) + " to " + std::to_string(m.degree)) << ")";
    }
    out << "\n";
    if (poly)
      out << "  coordinates "
          << (*m.ambient_dimension ? std::string(m.ambient_dimension) + "  (polynomial maps of these degrees; `dim` measures the span)"
                                   : std::string("unknown  (a degree beyond 2^62 is not counted)"))
          << "\n";
    if (m.input_matrix && *m.input_matrix)
      out << "  invariance  x enters only through " << m.input_matrix
          << " x: the function space is invariant under x -> A x (A invertible)\n";
    if (*m.linear_rank_bound)
      out << "  rank bound  " << m.linear_rank_bound << "  (linear in x through width " << m.linear_rank
          << ": matrices of rank <= " << m.linear_rank << ")\n";
    out << "  symmetries  " << m.symmetry_dimension << (m.num_symmetries ? "" : "  (none known)") << "\n";
    for (int32_t i = 0; i < m.num_symmetries; ++i)
      out << "    " << m.symmetries[i].dimension << "  " << m.symmetries[i].description << "\n";
    out << "  expected    " << m.expected_dimension << "  (least of P - symmetries"
        << (poly ? ", the coordinate space" : "") << (*m.linear_rank_bound ? ", the rank bound" : "")
        << "; `dim` adds the measured span)\n";
    if (m.kernels && *m.kernels) out << "  kernels     for " << m.kernels << " only (nagc --kernels)\n";
  }
  std::cout << out.str();
}

// theta and x as every data command reads them.
struct Data {
  Matrix theta, x;
};

Data readThetaAndX(const nag_model& m, const Args& args, const std::string& command) {
  if (!args.has("--theta") && m.param_count > 0)
    throw Error(command + " needs --theta (a file, '-', or random:SEED)");
  if (m.input_size > 0 && !args.has("--x")) throw Error(command + " needs --x (a file, '-', or random:SEED)");
  int stdinUsers = 0;
  for (const char* k : {"--theta", "--x", "--dir", "--cot"}) stdinUsers += args.get(k) == "-";
  if (stdinUsers > 1) throw Error("only one of --theta, --x, --dir, --cot can read standard input");
  int64_t samples = args.has("--samples") ? parseCount(args.get("--samples"), "--samples") : -1;
  Data d;
  if (args.has("--theta") || m.param_count > 0)  // a network without parameters needs no theta
    d.theta = readData({args.get("--theta"), "theta", m.param_count, 1, true});
  else
    d.theta.rows = 1;
  if (m.input_size > 0) {
    std::string spec = args.get("--x");
    bool random = isRandomSpec(spec);
    d.x = readData({spec, "x", m.input_size, random && samples < 0 ? 10 : samples, false});
  } else {
    d.x.rows = samples < 0 ? 1 : samples;
  }
  return d;
}

// Calls a compiled function in the model's precision.
template <typename F64, typename F32>
void call(const nag_model& m, F64 f64, F32 f32, std::vector<const Matrix*> in, Matrix& y) {
  if (m.precision_bits != 32) {
    f64(in, y);
    return;
  }
  std::vector<std::vector<float>> store;
  for (const Matrix* k : in) store.emplace_back(k ? std::vector<float>(k->data.begin(), k->data.end()) : std::vector<float>());
  std::vector<float> ys(y.data.size());
  f32(store, ys);
  y.data.assign(ys.begin(), ys.end());
}

void output(const Matrix& y, const Args& args, const std::string& name, const std::vector<int64_t>& rowShape = {}) {
  std::string out = args.get("--out");
  Format format = args.has("--json") ? Format::JSON : out.empty() ? Format::Text : formatFor(out);
  std::vector<std::string> inputs;
  for (const char* k : {"--theta", "--x", "--dir", "--cot"})
    if (args.has(k)) inputs.push_back(args.get(k));
  writeMatrix(y, out, format, name, rowShape, inputs);
}

void eval(const nag_model& m, const Args& args) {
  Data d = readThetaAndX(m, args, "eval");
  Matrix y;
  y.rows = d.x.rows;
  y.cols = m.output.size;
  y.data.resize(size_t(y.rows * y.cols));
  call(
      m, [&](auto& in, Matrix& out) { m.eval(in[0]->data.data(), in[1]->data.data(), out.data.data(), out.rows); },
      [&](auto& in, std::vector<float>& out) {
        reinterpret_cast<nag_eval_f32_fn>(reinterpret_cast<void*>(m.eval))(in[0].data(), in[1].data(), out.data(), y.rows);
      },
      {&d.theta, &d.x}, y);
  output(y, args, "outputs");
}

}  // namespace

std::string kernelsLeftOut(const nag_model& m) {
  if (m.kernels && *m.kernels)
    return std::string("it was compiled with --kernels ") + m.kernels +
           " (only what those commands need, as sweeps build their programs); compile it without --kernels or add "
           "this command to the list";
  return "it was compiled with --no-derivatives; compile it without";
}

namespace {

const nag_function_info* findFunction(const nag_model& m, const std::string& name) {
  for (int32_t i = 0; i < m.num_functions; ++i)
    if (name == m.functions[i].name) return &m.functions[i];
  return nullptr;
}

// An extra argument: one row for the batch, or one row per sample (a single
// row is used for every sample).
Matrix readAux(const std::string& spec, const std::string& what, int64_t size, bool perSample, int64_t samples) {
  if (!perSample) return readData({spec, what, size, 1, true});
  bool random = isRandomSpec(spec);
  Matrix a = readData({spec, what, size, random ? samples : -1, false});
  if (a.rows == 1 && samples > 1) {
    Matrix all;
    all.rows = samples;
    all.cols = size;
    for (int64_t s = 0; s < samples; ++s) all.data.insert(all.data.end(), a.data.begin(), a.data.end());
    return all;
  }
  if (a.rows < samples)
    throw Error(what + ": " + std::to_string(a.rows) + " rows for " + std::to_string(samples) + " samples");
  a.rows = samples;
  a.data.resize(size_t(samples * size));
  return a;
}

// jac, jvp, vjp, hess, hvp: --wrt theta|x picks the compiled function.
void derivative(const nag_model& m, const Args& args, const std::string& command) {
  std::string wrt = args.get("--wrt", "theta");
  if (wrt != "theta" && wrt != "x") throw Error("--wrt expects theta or x, got '" + wrt + "'");
  const nag_function_info* f = findFunction(m, command + "_" + wrt);
  if (!f && (wrt == "x" ? m.input_size : m.param_count) > 0)
    throw Error(command + " --wrt " + wrt + ": this program has no such kernel: " + kernelsLeftOut(m));
  if (!f) throw Error(command + " --wrt " + wrt + ": this network has no " + (wrt == "x" ? "inputs" : "parameters"));
  Data d = readThetaAndX(m, args, command);
  int64_t n = wrt == "theta" ? m.param_count : m.input_size, outs = m.output.size;
  Matrix a, b;
  if (command == "jvp" || command == "hvp") {
    if (!args.has("--dir")) throw Error(command + " needs --dir (the direction: " + std::to_string(n) + " values)");
    Matrix dir = readAux(args.get("--dir"), "dir", n, wrt == "x", d.x.rows);
    (command == "jvp" ? a : b) = dir;
  }
  if (command == "vjp") {
    if (!args.has("--cot")) throw Error("vjp needs --cot (the cotangent: " + std::to_string(outs) + " values per sample)");
    a = readAux(args.get("--cot"), "cot", outs, true, d.x.rows);
  }
  if (command == "hess" || command == "hvp") {
    std::string text = args.get("--output", "0");
    bool digits = !text.empty() && text.size() < 18 && text.find_first_not_of("0123456789") == std::string::npos;
    int64_t k = digits ? std::stoll(text) : -1;
    if (k < 0 || k >= outs)
      throw Error("--output expects an output index from 0 to " + std::to_string(outs - 1) + ", got '" + text + "'");
    a.rows = 1;
    a.cols = outs;
    a.data.assign(size_t(outs), 0.0);
    a.data[size_t(k)] = 1.0;
  }
  Matrix y;
  y.rows = d.x.rows;
  y.cols = f->row_size;
  y.data.resize(size_t(y.rows * y.cols));
  auto ptr = [](const Matrix& mat) { return mat.data.empty() ? nullptr : mat.data.data(); };
  call(
      m,
      [&](auto&, Matrix& out) { f->fn(d.theta.data.data(), d.x.data.data(), ptr(a), ptr(b), out.data.data(), out.rows); },
      [&](auto& in, std::vector<float>& out) {
        using F32 = void (*)(const float*, const float*, const float*, const float*, float*, int64_t);
        auto fp = reinterpret_cast<F32>(reinterpret_cast<void*>(f->fn));
        fp(in[0].data(), in[1].data(), in[2].empty() ? nullptr : in[2].data(), in[3].empty() ? nullptr : in[3].data(),
           out.data(), y.rows);
      },
      {&d.theta, &d.x, &a, &b}, y);
  std::vector<int64_t> shape;
  if (command == "jac") shape = {outs, n};
  if (command == "hess") shape = {n, n};
  const char* names[] = {"jacobian", "jvp", "vjp", "hessian", "hvp"};
  const char* commands[] = {"jac", "jvp", "vjp", "hess", "hvp"};
  std::string name = "values";
  for (int i = 0; i < 5; ++i)
    if (command == commands[i]) name = names[i];
  output(y, args, name, shape);
}

uint64_t parseU64(const std::string& text, const std::string& flag) {
  if (text.empty() || text.size() > 20 || text.find_first_not_of("0123456789") != std::string::npos)
    throw Error(flag + " expects a non-negative integer, got '" + text + "'");
  errno = 0;
  unsigned long long v = std::strtoull(text.c_str(), nullptr, 10);
  if (errno == ERANGE) throw Error(flag + " does not fit in 64 bits: '" + text + "'");
  return v;
}

// The dimension report's options, as `dim` and nagrt_dim_report take them.
std::string dimReportFor(const nag_model& m, const Args& args) {
  DimOptions o;
  int modes = args.has("--exact") + args.has("--float") + args.has("--both");
  if (modes > 1) throw Error("--exact, --float and --both exclude each other");
  o.exact = !args.has("--float");
  o.floating = args.has("--float") || args.has("--both");
  if (args.has("--seed")) o.seed = parseU64(args.get("--seed"), "--seed");
  if (args.has("--prime")) o.prime = parseU64(args.get("--prime"), "--prime");
  if (args.has("--points")) o.points = parseCount(args.get("--points"), "--points");
  if (args.has("--span-limit")) o.spanLimit = parseCount(args.get("--span-limit"), "--span-limit");
  o.measureSpan = args.has("--measure-span");
  o.kernel = args.has("--kernel");
  if (o.kernel && m.precision_bits == 64) o.floating = true;  // the basis is given mod p and in floating point
  o.at = args.get("--at");
  o.progress = ::isatty(2) && !args.has("--quiet") && m.param_count >= 500;  // long runs only
  // Without exact kernels (a non-algebraic network, constants beyond 2^63)
  // the default is the functional dimension in floating point; without
  // derivatives or parameters neither route applies and dim says why.
  bool noModular = std::strcmp(m.algebraic_class, "non-algebraic") == 0 || !m.eval_mod;
  if (o.exact && !m.jac_theta_mod && noModular && m.param_count > 0 && !args.has("--exact") && !args.has("--both")) {
    o.exact = false;  // the default for a non-algebraic network is its functional dimension
    o.floating = true;
  }
  if (!o.at.empty() && !o.exact) throw Error("dim --at: the rank at a point is measured exactly; it needs --exact or --both");
  return nagrt::dimReport(m, o, args.has("--json"));
}

void dim(const nag_model& m, const Args& args) { std::cout << dimReportFor(m, args); }

}  // namespace

std::string fibreCommandReport(const nag_model& m, bool fibre, int argc, char** argv, int first) {
  Args a(argc, argv, first,
         fibre ? std::set<std::string>{"--at", "--seed", "--max-loops", "--max-points"}
               : std::set<std::string>{"--at", "--seed", "--max-degree", "--max-columns"},
         fibre ? std::set<std::string>{"--json", "--no-count", "--quiet"} : std::set<std::string>{"--json", "--no-equations", "--no-track", "--quiet"});
  uint64_t seed = a.has("--seed") ? parseU64(a.get("--seed"), "--seed") : 1;
  FibreCountOptions count;
  count.count = !a.has("--no-count");
  if (a.has("--max-loops")) count.maxLoops = parseCount(a.get("--max-loops"), "--max-loops");
  if (a.has("--max-points")) count.maxPoints = parseCount(a.get("--max-points"), "--max-points");
  count.progress = ::isatty(2) && !a.has("--quiet");
  SingularOptions singular;
  singular.equations = !a.has("--no-equations");
  singular.track = !a.has("--no-track");
  singular.progress = ::isatty(2) && !a.has("--quiet");
  if (a.has("--max-degree")) singular.maxDegree = parseCount(a.get("--max-degree"), "--max-degree");
  if (a.has("--max-columns")) singular.maxColumns = parseCount(a.get("--max-columns"), "--max-columns");
  return fibre ? fibreReport(m, a.get("--at"), seed, a.has("--json"), count)
               : singularReport(m, a.get("--at"), seed, a.has("--json"), singular);
}

namespace {

void usage(const char* prog) {
  std::printf(
      "usage: %s <command> [options]\n\n"
      "commands:\n"
      "  info [--json]        architecture, parameter layout, degree, ambient and expected dimension\n"
      "  eval --theta T --x X [--samples N] [--out FILE] [--json]\n"
      "                       f_theta(x) for every sample (row) of X\n"
      "  jac  --wrt theta|x ...             per sample, the outputs x n Jacobian (n = P or inputs)\n"
      "  jvp  --wrt theta|x --dir V ...     J v\n"
      "  vjp  --wrt theta|x --cot U ...     u^T J (U: one row of outputs per sample)\n"
      "  hess --wrt theta|x [--output K]    the n x n Hessian of output K (default 0)\n"
      "  hvp  --wrt theta|x --dir V [--output K]\n"
      "                       (all with the data options of eval; --wrt defaults to theta;\n"
      "                       V: n values for theta, one row per sample (or one row) for x)\n"
      "  dim [--exact|--float|--both] [--seed S] [--prime P] [--points N] [--at T] [--kernel]\n"
      "      [--span-limit K] [--measure-span] [--json]\n"
      "                       dimension of the neurovariety: rank of the parameter Jacobian\n"
      "                       at random points, exactly over F_p (two primes; default) and/or by\n"
      "                       SVD; the span of the function space; every upper bound named;\n"
      "                       --at T: the rank of the differential at T beside it; --kernel:\n"
      "                       the fibre directions beyond the known symmetries; --measure-span:\n"
      "                       measure the span even where a theorem gives it\n"
      "  degree [--method interpolation|monodromy|auto] [--seed S] [--max-columns N] [--json]\n"
      "                       degree of the neurovariety (of its projectivization for a cone; 1\n"
      "                       when it fills its span): a generic projection to dim + 1\n"
      "                       coordinates, its hypersurface interpolated mod p, two primes\n"
      "  equations [--max-degree K] [--max-columns N] [--seed S] [--json] [--format text|m2|singular]\n"
      "                       the lowest-degree equations (all up to degree K with --max-degree)\n"
      "                       in the coefficients c_o_a of f, exact over Q (CRT + rational\n"
      "                       reconstruction) and verified at fresh points mod a fresh prime\n"
      "  fibre [--at T] [--seed S] [--json]\n"
      "                       the generic fibre of theta -> f_theta: its dimension, the known\n"
      "                       symmetries and what they explain, the known finite group; --at T:\n"
      "                       the rank at T and the fibre's dimension through T between bounds\n"
      "  singular --at T [--seed S] [--max-degree K] [--max-columns N] [--no-equations] [--no-track] [--json]\n"
      "                       is f_T a singular point of the neurovariety? the rank of the\n"
      "                       differentials over verified points of the fibre through T\n"
      "                       against the dimension (verdict singular, smooth or undecided)\n"
      "  train --x X --y Y [--optimizer gd|adam|lbfgs|newton] [--flow] [--lr R] [--steps N]\n"
      "        [--time T] [--tol E] [--theta T | --seed S --init-scale C] [--samples N]\n"
      "        [--record K --trajectory FILE] [--out FILE] [--checkpoint FILE [--resume]\n"
      "        [--checkpoint-every N]] [--zero-tol E] [--no-exact] [--quiet] [--json]\n"
      "                       fit theta to (X, Y) by the squared loss with the compiled gradient;\n"
      "                       --flow integrates gradient flow with an adaptive step; then where\n"
      "                       it ended: loss, gradient, Hessian eigenvalues (minimum, saddle,\n"
      "                       degenerate), rank of the differential, singular-point verdict,\n"
      "                       the subnetwork, and the quantities the symmetries conserve\n"
      "  critical [--x X --y Y | --metric identity|random:SEED [--target random:SEED|FILE]] [--seed S]\n"
      "           [--max-loops N] [--quiet] [--json]\n"
      "                       all complex critical points of the squared loss on (X, Y), or of the\n"
      "                       squared distance to a target (default: random:1 in the span, metric\n"
      "                       random:1, the generic ED degree), counted by a witness set of the ED\n"
      "                       correspondence and its trace test; the real ones classified"
      "  expand --theta T [--json]\n"
      "                       f_theta as exact polynomials in x_1..x_n (T read exactly: 1/3, 0.5)\n"
      "  export [--format m2|singular]\n"
      "                       the parameterization as a polynomial map in t_1..t_P, x_1..x_n:\n"
      "                       a Macaulay2 or Singular script that prints its dimension\n"
      "  help                 this text\n\n"
      "T and X are text or CSV files (one sample per row), .npy files, '-' for\n"
      "standard input, or random:SEED (SplitMix64 from SEED, uniform on [-1, 1)).\n"
      "Outputs go to standard output, or to --out FILE (.npy, .csv, .json, text).\n",
      prog);
}

}  // namespace

}  // namespace nagrt

extern "C" char* nagrt_dim_report(const nag_model* model, int argc, char** argv) {
  try {
    std::string report = nagrt::dimReportFor(
        *model, nagrt::Args(argc, argv, 0, {"--seed", "--prime", "--points", "--at", "--span-limit"},
                                 {"--exact", "--float", "--both", "--json", "--quiet", "--kernel", "--measure-span"}));
    return strdup(report.c_str());
  } catch (const nagrt::Error& e) {
    return strdup((std::string("error: ") + e.what()).c_str());
  }
}

extern "C" void nagrt_free_string(char* s) { std::free(s); }

extern "C" int nagrt_main(const nag_model* model, int argc, char** argv) {
  nagrt::blasProgramMode();
  const char* prog = argc > 0 ? argv[0] : "model";
  if (const char* slash = std::strrchr(prog, '/')) prog = slash + 1;
  if (!model || model->abi_version != NAG_ABI_VERSION) {
    std::fprintf(stderr, "%s: error: model built for a different runtime ABI\n", prog);
    return 1;
  }
  if (argc < 2) {
    nagrt::usage(prog);
    return 1;
  }
  std::string command = argv[1];
  try {
    if (command == "help" || command == "--help" || command == "-h") {
      nagrt::usage(prog);
    } else if (command == "info") {
      nagrt::info(*model, nagrt::Args(argc, argv, 2, {}, {"--json"}));
    } else if (command == "eval") {
      nagrt::eval(*model, nagrt::Args(argc, argv, 2, {"--theta", "--x", "--samples", "--out"}, {"--json"}));
    } else if (command == "jac" || command == "jvp" || command == "vjp" || command == "hess" || command == "hvp") {
      std::set<std::string> valued{"--theta", "--x", "--samples", "--out", "--wrt"};
      if (command == "jvp" || command == "hvp") valued.insert("--dir");
      if (command == "vjp") valued.insert("--cot");
      if (command == "hess" || command == "hvp") valued.insert("--output");
      nagrt::derivative(*model, nagrt::Args(argc, argv, 2, valued, {"--json"}), command);
    } else if (command == "expand") {
      nagrt::Args a(argc, argv, 2, {"--theta"}, {"--json", "--quiet"});
      nagrt::expand(*model, a.get("--theta"), a.has("--json"), a.has("--quiet"));
    } else if (command == "export") {
      nagrt::Args a(argc, argv, 2, {"--format"}, {});
      nagrt::exportMap(*model, a.get("--format", "m2"));
    } else if (command == "degree") {
      return nagrt::degreeCommand(*model, argc, argv, 2);
    } else if (command == "equations") {
      return nagrt::equationsCommand(*model, argc, argv, 2);
    } else if (command == "train") {
      return nagrt::trainCommand(*model, argc, argv, 2);
    } else if (command == "critical") {
      return nagrt::criticalCommand(*model, argc, argv, 2);
    } else if (command == "dim") {
      nagrt::dim(*model, nagrt::Args(argc, argv, 2, {"--seed", "--prime", "--points", "--at", "--span-limit"},
                                     {"--exact", "--float", "--both", "--json", "--quiet", "--kernel", "--measure-span"}));
    } else if (command == "fibre" || command == "singular") {
      std::cout << nagrt::fibreCommandReport(*model, command == "fibre", argc, argv, 2);
    } else {
      throw nagrt::Error("unknown command '" + command + "' (commands: info, eval, jac, jvp, vjp, hess, hvp, dim, degree, equations, fibre, singular, train, critical, expand, export, help)");
    }
  } catch (const nagrt::Error& e) {
    std::fprintf(stderr, "%s: error: %s\n", prog, e.what());
    return 1;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "%s: error: out of memory\n", prog);
    return 1;
  }
  return 0;
}
