// Cli.cpp — the generated program's command line: info and eval.
#include "Dim.h"

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

std::string jsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
      continue;
    }
    out += c;
  }
  return out + "\"";
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

/// Parsed `--flag value` options of one subcommand.
class Args {
public:
  Args(int argc, char** argv, int first, const std::set<std::string>& valued, const std::set<std::string>& flags) {
    for (int i = first; i < argc; ++i) {
      std::string a = argv[i];
      if (valued.count(a)) {
        if (i + 1 >= argc) throw Error("missing value after '" + a + "'");
        if (values_.count(a)) throw Error("'" + a + "' is given twice");
        values_[a] = argv[++i];
      } else if (flags.count(a)) {
        flags_.insert(a);
      } else {
        throw Error("unknown option '" + a + "' (see 'help')");
      }
    }
  }
  bool has(const std::string& k) const { return values_.count(k) || flags_.count(k); }
  std::string get(const std::string& k, const std::string& fallback = "") const {
    auto it = values_.find(k);
    return it == values_.end() ? fallback : it->second;
  }

private:
  std::map<std::string, std::string> values_;
  std::set<std::string> flags_;
};

int64_t parseCount(const std::string& text, const std::string& flag) {
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno == ERANGE || v < 1 || v > (int64_t(1) << 40))
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
    if (poly) out << ",\n  \"degree\": " << m.degree << ",\n  \"min_degree\": " << m.min_degree;
    out << ",\n  \"ambient_dimension\": " << (poly ? std::string(m.ambient_dimension) : "null")
        << ",\n  \"symmetries\": [";
    for (int32_t i = 0; i < m.num_symmetries; ++i)
      out << (i ? ", " : "") << "{\"description\": " << jsonString(m.symmetries[i].description)
          << ", \"dimension\": " << m.symmetries[i].dimension << "}";
    out << "],\n  \"symmetry_dimension\": " << m.symmetry_dimension << ",\n  \"expected_dimension\": "
        << m.expected_dimension << "\n}\n";
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
    if (poly) {
      out << ", degree " << m.degree << " in x";
      if (m.degree == m.min_degree) out << ", homogeneous";
      else out << " (terms of degree " << m.min_degree << " to " << m.degree << ")";
    }
    out << "\n";
    if (poly) out << "  ambient     " << m.ambient_dimension << "\n";
    out << "  symmetries  " << m.symmetry_dimension << (m.num_symmetries ? "" : "  (none known)") << "\n";
    for (int32_t i = 0; i < m.num_symmetries; ++i)
      out << "    " << m.symmetries[i].dimension << "  " << m.symmetries[i].description << "\n";
    out << "  expected    " << m.expected_dimension << "  = " << (poly ? "min(P - symmetries, ambient)" : "P - symmetries")
        << "\n";
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
    uint64_t seed;
    std::string err;
    bool random = parseRandomSpec(spec, seed, err);
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

const nag_function_info* findFunction(const nag_model& m, const std::string& name) {
  for (int32_t i = 0; i < m.num_functions; ++i)
    if (name == m.functions[i].name) return &m.functions[i];
  return nullptr;
}

// An extra argument: one row for the batch, or one row per sample (a single
// row is used for every sample).
Matrix readAux(const std::string& spec, const std::string& what, int64_t size, bool perSample, int64_t samples) {
  if (!perSample) return readData({spec, what, size, 1, true});
  uint64_t seed;
  std::string err;
  bool random = parseRandomSpec(spec, seed, err);
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

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

// fmt for JSON, which has no NaN or infinity: those are null.
std::string jsonNumber(double v) { return std::isfinite(v) ? fmt(v) : "null"; }

// The dimension report as text or JSON.
std::string dimReport(const nag_model& m, const Args& args) {
  DimOptions o;
  int modes = args.has("--exact") + args.has("--float") + args.has("--both");
  if (modes > 1) throw Error("--exact, --float and --both exclude each other");
  o.exact = !args.has("--float");
  o.floating = args.has("--float") || args.has("--both");
  if (args.has("--seed")) o.seed = parseU64(args.get("--seed"), "--seed");
  if (args.has("--prime")) o.prime = parseU64(args.get("--prime"), "--prime");
  if (args.has("--points")) o.points = parseCount(args.get("--points"), "--points");
  o.at = args.get("--at");
  o.progress = ::isatty(2) && !args.has("--quiet") && m.param_count >= 500;  // long runs only
  if (o.exact && !m.jac_theta_mod && !args.has("--exact") && !args.has("--both")) {
    o.exact = false;  // the default for a non-algebraic network is its functional dimension
    o.floating = true;
  }
  DimReport r = measureDimension(m, o);

  bool poly = std::strcmp(m.algebraic_class, "polynomial") == 0;
  int64_t ambient = -1;
  if (poly) {
    errno = 0;
    char* end = nullptr;
    long long a = std::strtoll(m.ambient_dimension, &end, 10);
    if (!*end && errno != ERANGE) ambient = a;
  }
  int64_t expected = std::strtoll(m.expected_dimension, nullptr, 10);
  int64_t upper = m.param_count - m.symmetry_dimension;
  if (ambient >= 0) upper = std::min(upper, ambient);
  int64_t dimension = r.exactRank >= 0 ? r.exactRank : r.floatRank;
  bool certified = r.exactRank >= 0 && r.exactRank == upper;
  std::string status = certified ? (ambient >= 0 && r.exactRank == ambient ? "certified: equals the ambient dimension"
                                                                            : "certified: equals P - symmetries")
                       : r.exactRank >= 0 && !o.at.empty() ? "rank at the point of --at: a lower bound on the dimension"
                       : r.exactRank >= 0 ? "lower bound, probabilistic equality"
                       : r.floatTrusted   ? "floating point, not certified"
                                          : "floating point, NOT TRUSTED: the singular-value gap is small";
  // Singular values around the gap.
  std::vector<std::pair<int64_t, double>> around;
  if (r.floatRank >= 0)
    for (int64_t i = std::max<int64_t>(0, r.floatRank - 2);
         i < std::min<int64_t>(int64_t(r.singular.size()), r.floatRank + 2); ++i)
      around.push_back({i + 1, r.singular[size_t(i)]});

  std::ostringstream out;
  if (args.has("--json")) {
    out << "{\n  \"network\": " << jsonString(m.name) << ",\n  \"P\": " << m.param_count
        << ",\n  \"ambient_dimension\": " << (poly ? std::string(m.ambient_dimension) : "null")
        << ",\n  \"symmetry_dimension\": " << m.symmetry_dimension << ",\n  \"expected_dimension\": " << expected
        << ",\n  \"dimension\": " << dimension << ",\n  \"defect\": " << (expected - dimension)
        << ",\n  \"fibre_dimension\": " << (m.param_count - dimension)
        << ",\n  \"fills\": " << (ambient >= 0 && dimension == ambient ? "true" : "false")
        << ",\n  \"certified\": " << (certified ? "true" : "false") << ",\n  \"status\": " << jsonString(status)
        << ",\n  \"points\": " << r.points << ",\n  \"seed\": " << o.seed;
    if (r.exactRank >= 0)
      out << ",\n  \"exact_rank\": " << r.exactRank << ",\n  \"prime\": " << r.prime << ",\n  \"resampled\": " << r.resampled;
    if (r.floatRank >= 0) {
      out << ",\n  \"float_rank\": " << r.floatRank
          << ",\n  \"float_gap\": " << jsonNumber(r.gap)
          << ",\n  \"float_trusted\": " << (r.floatTrusted ? "true" : "false") << ",\n  \"singular_values_near_gap\": [";
      for (size_t i = 0; i < around.size(); ++i) out << (i ? ", " : "") << jsonNumber(around[i].second);
      out << "]";
    }
    out << "\n}\n";
  } else {
    out << "dimension of the neurovariety of " << m.name << " (";
    for (int32_t i = 0; i < m.num_args; ++i) out << (i ? ", " : "") << m.args[i].name << " = " << m.args[i].value;
    out << ")\n";
    out << "  parameters        P = " << m.param_count << "\n";
    out << "  ambient           " << (poly ? std::string(m.ambient_dimension) : "- (not polynomial)") << "\n";
    out << "  symmetries        " << m.symmetry_dimension << "\n";
    for (int32_t i = 0; i < m.num_symmetries; ++i)
      out << "                      " << m.symmetries[i].dimension << "  " << m.symmetries[i].description << "\n";
    out << "  expected          " << expected << "\n";
    out << "  points            " << r.points << " (a " << r.rows << " x " << m.param_count << " Jacobian"
        << (m.output.size > 1 ? ": a random combination of the outputs per point" : "") << "), seed " << o.seed << "\n";
    if (r.exactRank >= 0) {
      out << "  exact rank        " << r.exactRank << " over F_p, p = " << r.prime;
      if (r.resampled)
        out << " (points redrawn " << r.resampled << (r.resampled == 1 ? " time" : " times")
            << " where a denominator vanished mod p)";
      out << "\n";
    }
    if (r.floatRank >= 0) {
      out << "  float rank        " << r.floatRank << " (LAPACK SVD; gap sigma_" << r.floatRank << " / sigma_"
          << (r.floatRank + 1) << " = " << (std::isinf(r.gap) ? std::string("full rank") : fmt(r.gap)) << ")\n"
          << "                   ";
      for (auto& [i, v] : around) out << " sigma_" << i << " = " << fmt(v);
      out << "\n";
      if (!r.floatTrusted) out << "  warning           the float gap is below 1e8: the float rank may be wrong\n";
      if (r.exactRank >= 0 && r.floatRank != r.exactRank)
        out << "  warning           exact and float ranks disagree (" << r.exactRank << " vs " << r.floatRank << ")\n";
    }
    out << "  dimension         " << dimension << "  (" << status << ")\n";
    out << "  defect            " << (expected - dimension) << "  (expected - dimension)\n";
    out << "  fibre dimension   " << (m.param_count - dimension) << "  (P - dimension)\n";
    if (poly) out << "  fills ambient     " << (ambient >= 0 && dimension == ambient ? "yes" : "no") << "\n";
  }
  return out.str();
}

void dim(const nag_model& m, const Args& args) { std::cout << dimReport(m, args); }

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
      "  dim [--exact|--float|--both] [--seed S] [--prime P] [--points N] [--at T] [--json]\n"
      "                       dimension of the neurovariety: rank of the parameter Jacobian\n"
      "                       at random points, exactly over F_p (default) and/or by SVD\n"
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
    std::string report = nagrt::dimReport(
        *model, nagrt::Args(argc, argv, 0, {"--seed", "--prime", "--points", "--at"}, {"--exact", "--float", "--both", "--json", "--quiet"}));
    return strdup(report.c_str());
  } catch (const nagrt::Error& e) {
    return strdup((std::string("error: ") + e.what()).c_str());
  }
}

extern "C" void nagrt_free_string(char* s) { std::free(s); }

extern "C" int nagrt_main(const nag_model* model, int argc, char** argv) {
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
    } else if (command == "dim") {
      nagrt::dim(*model, nagrt::Args(argc, argv, 2, {"--seed", "--prime", "--points", "--at"},
                                     {"--exact", "--float", "--both", "--json", "--quiet"}));
    } else {
      throw nagrt::Error("unknown command '" + command + "' (commands: info, eval, jac, jvp, vjp, hess, hvp, dim, expand, export, help)");
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
