// Cli.cpp — the generated program's command line: info and eval.
#include "Runtime.h"
#include "nag_runtime.h"

#include <cstdio>
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
    if (poly)
      out << "  ambient     " << m.ambient_dimension << "  (" << m.output.size << " output"
          << (m.output.size == 1 ? "" : "s") << " x polynomials of degree " << m.min_degree
          << (m.degree == m.min_degree ? "" : ".." + std::to_string(m.degree)) << " in " << m.input_size
          << " variables)\n";
    out << "  symmetries  " << m.symmetry_dimension << (m.num_symmetries ? "" : "  (none known)") << "\n";
    for (int32_t i = 0; i < m.num_symmetries; ++i)
      out << "    " << m.symmetries[i].dimension << "  " << m.symmetries[i].description << "\n";
    out << "  expected    " << m.expected_dimension << "  = " << (poly ? "min(P - symmetries, ambient)" : "P - symmetries")
        << "\n";
  }
  std::cout << out.str();
}

void eval(const nag_model& m, const Args& args) {
  if (!args.has("--theta")) throw Error("eval needs --theta (a file, '-', or random:SEED)");
  if (m.input_size > 0 && !args.has("--x")) throw Error("eval needs --x (a file, '-', or random:SEED)");
  if (args.get("--theta") == "-" && args.get("--x") == "-") throw Error("--theta and --x cannot both read standard input");
  int64_t samples = args.has("--samples") ? parseCount(args.get("--samples"), "--samples") : -1;

  Matrix theta = readData({args.get("--theta"), "theta", m.param_count, 1, true});
  Matrix x;
  if (m.input_size > 0) {
    std::string spec = args.get("--x");
    uint64_t seed;
    std::string err;
    bool random = parseRandomSpec(spec, seed, err);
    x = readData({spec, "x", m.input_size, random && samples < 0 ? 10 : samples, false});
  } else {
    x.rows = samples < 0 ? 1 : samples;
  }
  Matrix y;
  y.rows = x.rows;
  y.cols = m.output.size;
  y.data.resize(size_t(y.rows * y.cols));
  if (m.precision_bits == 32) {
    std::vector<float> t(theta.data.begin(), theta.data.end()), xs(x.data.begin(), x.data.end()), ys(y.data.size());
    reinterpret_cast<nag_eval_f32_fn>(reinterpret_cast<void*>(m.eval))(t.data(), xs.data(), ys.data(), y.rows);
    y.data.assign(ys.begin(), ys.end());
  } else {
    m.eval(theta.data.data(), x.data.data(), y.data.data(), y.rows);
  }
  std::string out = args.get("--out");
  Format format = args.has("--json") ? Format::JSON : out.empty() ? Format::Text : formatFor(out);
  writeMatrix(y, out, format, "outputs");
}

void usage(const char* prog) {
  std::printf(
      "usage: %s <command> [options]\n\n"
      "commands:\n"
      "  info [--json]        architecture, parameter layout, degree, ambient and expected dimension\n"
      "  eval --theta T --x X [--samples N] [--out FILE] [--json]\n"
      "                       f_theta(x) for every sample (row) of X\n"
      "  help                 this text\n\n"
      "T and X are text or CSV files (one sample per row), .npy files, '-' for\n"
      "standard input, or random:SEED (SplitMix64 from SEED, uniform on [-1, 1)).\n"
      "Outputs go to standard output, or to --out FILE (.npy, .csv, .json, text).\n",
      prog);
}

}  // namespace

}  // namespace nagrt

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
    } else {
      throw nagrt::Error("unknown command '" + command + "' (commands: info, eval, help)");
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
