// AlgebraCli.cpp — the `degree` and `equations` commands: options, text and JSON reports.
#include "AlgebraCli.h"
#include "CliSupport.h"

#include "exact/Equations.h"
#include "exact/Interpolate.h"
#include "train/Train.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <new>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

namespace nagrt {

namespace {


int64_t positive(const std::string& text, const std::string& flag) {
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end || errno == ERANGE || v < 1 || v > (int64_t(1) << 40))
    throw Error(flag + " expects a positive integer, got '" + text + "'");
  return v;
}

uint64_t seedOf(const std::string& text) {
  if (text.empty() || text.size() > 20 || text.find_first_not_of("0123456789") != std::string::npos)
    throw Error("--seed expects a non-negative integer, got '" + text + "'");
  errno = 0;
  unsigned long long v = std::strtoull(text.c_str(), nullptr, 10);
  if (errno == ERANGE) throw Error("--seed does not fit in 64 bits: '" + text + "'");
  return v;
}


std::string degreeValue(const DegreeResult& r) {
  if (r.lowerBound) return ">= " + std::to_string(r.degree);
  return r.agree ? std::to_string(r.degree) : "undecided (the runs disagree)";
}

std::string degreeText(const nag_model& m, const DegreeResult& r) {
  std::ostringstream out;
  out << "degree of the neurovariety of " << m.name << "\n";
  out << "  degree      " << degreeValue(r)
      << (r.cone ? "  (of the projective variety P(V): V is a cone)" : "  (of the projective closure: no cone found)")
      << "\n";
  out << "  cone        " << (r.cone ? "yes: " + r.coneWitness : "not found (no parameter block scales f)") << "\n";
  out << "  dimension   " << r.dimension << " (affine, exact rank mod p)\n";
  out << "  span        " << (r.spanKnown ? std::to_string(r.span) : "not measured") << "\n";
  out << "  method      " << r.method;
  if (r.method == "interpolation and monodromy") out << (r.agree ? ": they agree" : ": see the notes");
  out << "\n";
  for (const std::string& note : r.notes) out << "  note        " << note << "\n";
  for (size_t i = 0; i < r.runs.size(); ++i) {
    const DegreeRun& run = r.runs[i];
    out << "  run " << i + 1 << "       prime " << run.prime << ", seed " << run.seed << ", evaluations at "
        << run.evaluationPoints << " points (rank " << run.evaluationRank << " on image points)\n";
    for (const auto& s : run.steps)
      out << "              degree " << s.k << ": " << s.rows << " x " << s.cols << " monomial matrix, kernel "
          << s.kernel << "\n";
  }
  if (!r.monodromy.empty()) {
    out << "  monodromy   V in " << r.witness.coordinates << " evaluation coordinates (" << r.witness.evaluationPoints
        << " points), sliced by " << r.witness.dimension << " random parallel hyperplanes; preimages on a "
        << r.witness.chart << "\n";
    for (const auto& w : r.monodromy) out << "  seed " << w.seed << "      " << numeric::describe(w) << "\n";
  }
  return out.str();
}

std::string witnessRunJson(const numeric::WitnessRun& w, const std::string& indent) {
  std::ostringstream out;
  out << "{\"seed\": " << w.seed << ", \"points\": " << w.points << ", \"loops\": " << w.loops
      << ", \"stop\": " << jsonString(w.stop) << ", \"paths\": " << w.pathsTracked << ", \"failed_paths\": "
      << w.failedPaths << ",\n" << indent << " \"path_endings\": {";
  for (size_t i = 0; i < w.statuses.size(); ++i)
    out << (i ? ", " : "") << jsonString(w.statuses[i].first) << ": " << w.statuses[i].second;
  out << "}, \"trace_residual\": " << (w.traceTests ? jsonShort(w.traceResidual) : "null")
      << ", \"trace_tests\": " << w.traceTests << ", \"retried_paths\": " << w.retriedPaths
      << ", \"repair_edges\": " << w.repairs << ", \"duplicates_removed\": " << w.duplicates << ", \"complete\": " << (w.complete ? "true" : "false")
      << ", \"path_jumps\": " << w.loopCollisions << ", \"near_collisions\": " << w.nearCollisions
      << ", \"seconds\": " << jsonShort(w.seconds);
  if (w.solutions)
    out << ", \"solutions\": " << w.solutions << ", \"per_image_min\": " << w.minGroup
        << ", \"per_image_max\": " << w.maxGroup;
  return out.str() + "}";
}

std::string degreeJson(const DegreeResult& r) {
  std::ostringstream out;
  bool known = r.agree || r.lowerBound;
  out << "{\n  \"degree\": " << (known ? std::to_string(r.degree) : "null")
      << ",\n  \"lower_bound\": " << (r.lowerBound ? "true" : "false") << ",\n  \"method\": " << jsonString(r.method)
      << ",\n  \"cone\": " << (r.cone ? "true" : "false") << ",\n  \"dimension\": " << r.dimension
      << ",\n  \"span\": " << (r.spanKnown ? std::to_string(r.span) : "null") << ",\n  \"evidence\": {\n    \"agree\": "
      << (r.agree ? "true" : "false") << ",\n    \"cone_witness\": " << jsonString(r.coneWitness)
      << ",\n    \"notes\": [";
  for (size_t i = 0; i < r.notes.size(); ++i) out << (i ? ", " : "") << jsonString(r.notes[i]);
  out << "],\n    \"interpolation_degree\": "
      << (r.runs.empty() ? "null" : r.interpolationAgree ? std::to_string(r.interpolationDegree) : "null")
      << ",\n    \"interpolation_lower_bound\": "
      << (r.interpolationLowerBound > 0 ? std::to_string(r.interpolationLowerBound) : "null")
      << ",\n    \"runs\": [";
  for (size_t i = 0; i < r.runs.size(); ++i) {
    const DegreeRun& run = r.runs[i];
    out << (i ? "," : "") << "\n      {\"prime\": " << run.prime << ", \"seed\": " << run.seed
        << ", \"evaluation_points\": " << run.evaluationPoints << ", \"evaluation_rank\": " << run.evaluationRank
        << ", \"degree\": " << run.degree << ", \"matrices\": [";
    for (size_t j = 0; j < run.steps.size(); ++j)
      out << (j ? ", " : "") << "{\"k\": " << run.steps[j].k << ", \"rows\": " << run.steps[j].rows
          << ", \"cols\": " << run.steps[j].cols << ", \"kernel\": " << run.steps[j].kernel << "}";
    out << "]}";
  }
  out << "\n    ],\n    \"monodromy\": ";
  if (r.monodromy.empty()) {
    out << "null";
  } else {
    out << "{\"degree\": " << r.monodromyDegree << ", \"complete\": " << (r.monodromyComplete ? "true" : "false")
        << ", \"evaluation_points\": " << r.witness.evaluationPoints << ", \"coordinates\": " << r.witness.coordinates
        << ", \"chart\": " << jsonString(r.witness.chart) << ",\n      \"runs\": [";
    for (size_t i = 0; i < r.monodromy.size(); ++i)
      out << (i ? "," : "") << "\n        " << witnessRunJson(r.monodromy[i], "        ");
    out << "]}";
  }
  out << "\n  }\n}\n";
  return out.str();
}

// One term's monomial in the support coordinates; `style` m2 writes the
// indexed variables c_(o,a1,..,an), else the names c_o_a1_.._an.
std::string termMonomial(const EquationResult& r, const std::vector<int>& e, const std::string& style) {
  std::string out;
  for (size_t i = 0; i < e.size(); ++i) {
    if (!e[i]) continue;
    const Coordinate& c = r.coordinates[size_t(r.support[i])];
    std::string name = c.name;
    if (style == "m2") {
      name = "c_(" + std::to_string(c.output);
      for (int a : c.alpha) name += "," + std::to_string(a);
      name += ")";
    }
    out += (out.empty() ? "" : "*") + name + (e[i] > 1 ? "^" + std::to_string(e[i]) : "");
  }
  return out.empty() ? "1" : out;
}

std::string polynomial(const EquationResult& r, const Equation& e, const std::string& style) {
  std::string out;
  for (const auto& t : e.terms) {
    std::string c = t.first, mono = termMonomial(r, t.second, style);
    bool negative = c[0] == '-';
    if (negative) c = c.substr(1);
    out += out.empty() ? (negative ? "-" : "") : (negative ? " - " : " + ");
    if (mono == "1") out += c;
    else out += (c == "1" ? "" : c + "*") + mono;
  }
  return out.empty() ? "0" : out;
}

std::string coordinateName(const Coordinate& c, const std::string& style) {
  if (style != "m2") return c.name;
  std::string name = "c_(" + std::to_string(c.output);
  for (int a : c.alpha) name += "," + std::to_string(a);
  return name + ")";
}

// All generators (the vanishing coordinates first) as one ideal.
std::string idealScript(const nag_model& m, const EquationResult& r, const std::string& style) {
  std::ostringstream out;
  std::string comment = style == "m2" ? "-- " : "// ";
  out << comment << "the equations of the neurovariety of " << m.name << " found by nagc `equations` (degrees <= "
      << r.lastDegree << ")\n"
      << comment << "c_(o,a_1..a_n) / c_o_a_1_.._a_n is the coefficient of x_1^a_1*...*x_n^a_n in output o\n";
  std::vector<std::string> gens;
  for (int64_t z : r.zero) gens.push_back(coordinateName(r.coordinates[size_t(z)], style));
  for (const Equation& e : r.equations) gens.push_back(polynomial(r, e, style));
  std::string vars;
  for (const Coordinate& c : r.coordinates) vars += (vars.empty() ? "" : ", ") + coordinateName(c, style);
  std::string list;
  for (const auto& g : gens) list += (list.empty() ? "" : ",\n  ") + g;
  if (style == "m2") {
    out << "R = QQ[" << vars << "];\n";
    out << "I = " << (gens.empty() ? "ideal(0_R)" : "ideal(\n  " + list + ")") << ";\n";
  } else {
    out << "ring R = 0, (" << vars << "), dp;\n";
    out << "ideal I = " << (gens.empty() ? "0" : "\n  " + list) << ";\n";
  }
  return out.str();
}

std::string primesText(const std::vector<uint64_t>& ps) {
  std::string out;
  for (uint64_t p : ps) out += (out.empty() ? "" : ", ") + std::to_string(p);
  return out;
}

std::string equationsText(const nag_model& m, const EquationResult& r) {
  std::ostringstream out;
  out << "equations of the neurovariety of " << m.name << " in the coefficients of f\n";
  out << "  coordinates " << r.coordinates.size() << " (c_o_a_1_.._a_n: the coefficient of x_1^a_1*...*x_n^a_n in output o), "
      << r.support.size() << " not identically zero\n";
  out << "  cone        " << (r.cone ? "yes (" + r.coneWitness + "): homogeneous equations" : "not found: equations of degree <= k")
      << "\n";
  if (!r.zero.empty()) {
    out << "  vanishing   " << r.zero.size() << " coordinates are identically zero:";
    for (int64_t z : r.zero) out << " " << r.coordinates[size_t(z)].name;
    out << "\n";
  }
  std::map<int, int> count;
  for (const Equation& e : r.equations) ++count[e.degree];
  for (const EquationStep& s : r.steps) {
    out << "  degree " << s.k << "    " << s.generators << (s.generators == 1 ? " equation" : " equations")
        << "  (kernel " << s.kernel << " of a " << s.rows << " x " << s.cols << " monomial matrix, " << s.multiples
        << " from lower degrees)\n";
    for (const Equation& e : r.equations)
      if (e.degree == s.k) out << "    " << polynomial(r, e, "text") << " = 0\n";
  }
  if (!r.stopped.empty()) out << "  stopped     " << r.stopped << "\n";
  out << "  lifted      over Q from primes " << primesText(r.primes)
      << (r.discarded.empty() ? "" : " (discarded, pivots off the majority: " + primesText(r.discarded) + ")") << "\n";
  out << "  verified    " << (r.verified ? "yes" : "NO") << ", at " << r.verifyPoints << " fresh image points mod "
      << r.verifyPrime << "\n";
  return out.str();
}

std::string equationsJson(const EquationResult& r) {
  std::ostringstream out;
  out << "{\n  \"equations\": [";
  for (size_t i = 0; i < r.equations.size(); ++i) {
    const Equation& e = r.equations[i];
    out << (i ? "," : "") << "\n    {\"degree\": " << e.degree << ", \"terms\": [";
    for (size_t t = 0; t < e.terms.size(); ++t)
      out << (t ? ", " : "") << "[" << jsonString(e.terms[t].first) << ", " << jsonString(termMonomial(r, e.terms[t].second, "text"))
          << "]";
    out << "]}";
  }
  std::map<int, int> count;
  for (const Equation& e : r.equations) ++count[e.degree];
  out << "\n  ],\n  \"count_by_degree\": {";
  bool firstKey = true;
  for (const EquationStep& s : r.steps) {
    out << (firstKey ? "" : ", ") << jsonString(std::to_string(s.k)) << ": " << s.generators;
    firstKey = false;
  }
  out << "},\n  \"verified\": " << (r.verified ? "true" : "false") << ",\n  \"cone\": " << (r.cone ? "true" : "false")
      << ",\n  \"searched_degree\": " << r.lastDegree << ",\n  \"stopped\": " << jsonString(r.stopped) << ",\n  \"fills\": " << (r.fills ? "true" : "false")
      << ",\n  \"zero_coordinates\": [";
  for (size_t i = 0; i < r.zero.size(); ++i) out << (i ? ", " : "") << jsonString(r.coordinates[size_t(r.zero[i])].name);
  out << "],\n  \"coordinates\": {";
  for (size_t i = 0; i < r.coordinates.size(); ++i)
    out << (i ? ", " : "") << jsonString(r.coordinates[i].name) << ": "
        << jsonString("output " + std::to_string(r.coordinates[i].output) + ", " + r.coordinates[i].monomial);
  out << "},\n  \"evidence\": {\"primes\": [" << primesText(r.primes) << "], \"discarded_primes\": ["
      << primesText(r.discarded) << "], \"verify_prime\": " << r.verifyPrime << ", \"verify_points\": " << r.verifyPoints
      << ", \"matrices\": [";
  for (size_t i = 0; i < r.steps.size(); ++i)
    out << (i ? ", " : "") << "{\"k\": " << r.steps[i].k << ", \"rows\": " << r.steps[i].rows << ", \"cols\": "
        << r.steps[i].cols << ", \"kernel\": " << r.steps[i].kernel << ", \"multiples\": " << r.steps[i].multiples
        << ", \"new\": " << r.steps[i].generators << "}";
  out << "]}\n}\n";
  return out.str();
}

}  // namespace

std::string degreeReport(const nag_model& m, int argc, char** argv, int first, int& status) {
  Args a(argc, argv, first, {"--method", "--seed", "--max-columns", "--max-loops", "--max-points", "--checkpoint"},
         {"--json", "--quiet", "--resume"});
  DegreeOptions o;
  o.method = a.get("--method", "auto");
  if (a.has("--seed")) o.seed = seedOf(a.get("--seed"));
  if (a.has("--max-columns")) o.maxColumns = positive(a.get("--max-columns"), "--max-columns");
  if (a.has("--max-loops")) o.witness.maxLoops = positive(a.get("--max-loops"), "--max-loops");
  if (a.has("--max-points")) o.witness.maxPoints = positive(a.get("--max-points"), "--max-points");
  o.witness.checkpoint = a.get("--checkpoint", "");
  struct stat st {};
  if (!o.witness.checkpoint.empty() && ::stat(o.witness.checkpoint.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    throw Error("--checkpoint: " + o.witness.checkpoint + " is a directory; give a file name (each seed's run writes "
                "FILE.1, FILE.2, ...)");
  o.witness.resume = a.has("--resume");
  if (o.witness.resume && o.witness.checkpoint.empty()) throw Error("--resume needs --checkpoint FILE");
  o.progress = ::isatty(2) && !a.has("--quiet");
  DegreeResult r = measureDegree(m, o);
  status = r.agree || r.lowerBound ? 0 : 1;
  return a.has("--json") ? degreeJson(r) : degreeText(m, r);
}

int degreeCommand(const nag_model& m, int argc, char** argv, int first) {
  int status = 0;
  std::cout << degreeReport(m, argc, argv, first, status);
  return status;
}

}  // namespace nagrt

namespace nagrt {

std::string equationsReport(const nag_model& m, int argc, char** argv, int first, int& status) {
  Args a(argc, argv, first, {"--max-degree", "--max-columns", "--seed", "--format"}, {"--json", "--quiet"});
  EquationOptions o;
  if (a.has("--max-degree")) o.maxDegree = positive(a.get("--max-degree"), "--max-degree");
  if (a.has("--max-columns")) o.maxColumns = positive(a.get("--max-columns"), "--max-columns");
  if (a.has("--seed")) o.seed = seedOf(a.get("--seed"));
  std::string format = a.get("--format", "text");
  if (format != "text" && format != "m2" && format != "singular")
    throw Error("--format expects text, m2 or singular, got '" + format + "'");
  if (a.has("--json") && format != "text") throw Error("--json and --format " + format + " exclude each other");
  o.progress = ::isatty(2) && !a.has("--quiet");
  EquationResult r = findEquations(m, o);
  status = r.verified ? 0 : 1;
  if (a.has("--json")) return equationsJson(r);
  return format == "text" ? equationsText(m, r) : idealScript(m, r, format);
}

int equationsCommand(const nag_model& m, int argc, char** argv, int first) {
  int status = 0;
  std::cout << equationsReport(m, argc, argv, first, status);
  if (status) std::fprintf(stderr, "equations: error: the lifted equations failed verification at fresh points\n");
  return status;
}

}  // namespace nagrt

namespace {

// A report of the library entry points: a string to release with
// nagrt_free_string; errors begin with "error: ".
char* reportString(const std::function<std::string()>& make) {
  try {
    return strdup(make().c_str());
  } catch (const nagrt::Error& e) {
    return strdup((std::string("error: ") + e.what()).c_str());
  } catch (const std::bad_alloc&) {
    return strdup("error: out of memory");
  }
}

}  // namespace

extern "C" char* nagrt_degree_report(const nag_model* model, int argc, char** argv) {
  int status = 0;
  return reportString([&] { return nagrt::degreeReport(*model, argc, argv, 0, status); });
}

extern "C" char* nagrt_equations_report(const nag_model* model, int argc, char** argv) {
  int status = 0;
  return reportString([&] { return nagrt::equationsReport(*model, argc, argv, 0, status); });
}

extern "C" char* nagrt_fibre_report(const nag_model* model, int argc, char** argv) {
  return reportString([&] { return nagrt::fibreCommandReport(*model, true, argc, argv, 0); });
}

extern "C" char* nagrt_critical_report(const nag_model* model, int argc, char** argv) {
  int status = 0;
  return reportString([&] { return nagrt::criticalReport(*model, argc, argv, 0, status); });
}

extern "C" char* nagrt_singular_report(const nag_model* model, int argc, char** argv) {
  return reportString([&] { return nagrt::fibreCommandReport(*model, false, argc, argv, 0); });
}
