// CriticalCli.cpp — `critical`: the complex critical points of a squared distance (the loss on data, or the
// distance to a target under a chosen metric) on the neurovariety, counted and the real ones classified.
#include "train/Train.h"

#include "CliSupport.h"
#include "Dim.h"
#include "Runtime.h"
#include "exact/Equations.h"
#include "exact/Fibre.h"
#include "numeric/Critical.h"
#include "train/Landscape.h"

#include <lapacke.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <iostream>
#include <sstream>

namespace nagrt {

namespace {

using numeric::CriticalRun;
using numeric::DistanceSetup;

constexpr int64_t kMaxCoordinates = 400;  // the system has dim + n unknowns and dense n x n blocks

std::vector<int64_t> degreeList(const nag_model& m) {
  std::vector<int64_t> out;
  std::string s = m.degree_set ? m.degree_set : "";
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty()) out.push_back(std::stoll(item));
  return out;
}

// Exponent vectors of the monomials in `vars` variables of total degree d.
void monomials(int64_t vars, int64_t d, std::vector<int64_t>& current, std::vector<std::vector<int64_t>>& out) {
  if (int64_t(current.size()) == vars - 1) {
    current.push_back(d);
    out.push_back(current);
    current.pop_back();
    return;
  }
  for (int64_t e = d; e >= 0; --e) {
    current.push_back(e);
    monomials(vars, d - e, current, out);
    current.pop_back();
  }
}

std::vector<double> randomPoints(int64_t K, int64_t inputs, uint64_t seed) {
  Random rng(seed * 0xA0761D6478BD642Full + 0x3D);
  std::vector<double> x(size_t(K * inputs));
  for (double& v : x) v = rng.uniform();
  return x;
}

// The Euclidean metric on the coefficients of f: at K unisolvent points (K = number of monomials), c_o = V^{-1}
// y_o, so |c|^2 = sum_o y_o^T (V V^T)^{-1} y_o.
void coefficientMetric(const nag_model& m, uint64_t seed, DistanceSetup& s) {
  if (std::string(m.algebraic_class) != "polynomial" || degreeList(m).empty())
    throw Error(std::string("critical --metric identity: network '") + m.name + "' is " + m.algebraic_class +
                "; the Euclidean metric on coefficients needs a polynomial network (use --metric random:SEED)");
  const int64_t I = m.input_size, O = std::max<int64_t>(m.output.size, 1);
  std::vector<std::vector<int64_t>> mons;
  for (int64_t d : degreeList(m)) {
    std::vector<int64_t> cur;
    if (I == 0) {
      if (d == 0) mons.push_back({});
    } else {
      monomials(I, d, cur, mons);
    }
  }
  const int64_t K = int64_t(mons.size());
  if (K * O > kMaxCoordinates)
    throw Error("critical --metric identity: f has " + std::to_string(K * O) + " coefficients; at most " +
                std::to_string(kMaxCoordinates) + " are supported (use --metric random:SEED)");
  for (uint64_t attempt = 0; attempt < 4; ++attempt) {
    std::vector<double> x = randomPoints(K, I, seed + 101 * attempt), V(size_t(K * K)), G(size_t(K * K), 0.0);
    for (int64_t p = 0; p < K; ++p)
      for (int64_t a = 0; a < K; ++a) {
        double v = 1;
        for (int64_t i = 0; i < I; ++i) v *= std::pow(x[size_t(p * I + i)], double(mons[size_t(a)][size_t(i)]));
        V[size_t(p * K + a)] = v;
      }
    for (int64_t p = 0; p < K; ++p)
      for (int64_t q = 0; q < K; ++q)
        for (int64_t a = 0; a < K; ++a) G[size_t(p * K + q)] += V[size_t(p * K + a)] * V[size_t(q * K + a)];
    double anorm = 0;
    for (int64_t p = 0; p < K; ++p) {
      double row = 0;
      for (int64_t q = 0; q < K; ++q) row += std::abs(G[size_t(p * K + q)]);
      anorm = std::max(anorm, row);
    }
    double rcond = 0;
    if (LAPACKE_dpotrf(LAPACK_ROW_MAJOR, 'U', lapack_int(K), G.data(), lapack_int(K)) != 0) continue;
    if (LAPACKE_dpocon(LAPACK_ROW_MAJOR, 'U', lapack_int(K), G.data(), lapack_int(K), anorm, &rcond) != 0 ||
        rcond < 1e-13)
      continue;
    if (LAPACKE_dpotri(LAPACK_ROW_MAJOR, 'U', lapack_int(K), G.data(), lapack_int(K)) != 0) continue;
    for (int64_t p = 0; p < K; ++p)
      for (int64_t q = 0; q < p; ++q) G[size_t(p * K + q)] = G[size_t(q * K + p)];
    const int64_t n = K * O;
    s.K = K;
    s.points = x;
    s.metric.assign(size_t(n * n), 0.0);
    for (int64_t p = 0; p < K; ++p)
      for (int64_t q = 0; q < K; ++q)
        for (int64_t o = 0; o < O; ++o) s.metric[size_t((p * O + o) * n + q * O + o)] = G[size_t(p * K + q)];
    s.metricName = "identity (Euclidean on the " + std::to_string(n) + " coefficients of f, through its values at " +
                   std::to_string(K) + " unisolvent points)";
    return;
  }
  throw Error("critical --metric identity: the monomial evaluation matrix stayed ill-conditioned at four random "
              "point sets");
}

void randomMetric(const nag_model& m, int64_t span, uint64_t seed, DistanceSetup& s) {
  const int64_t O = std::max<int64_t>(m.output.size, 1);
  const int64_t K = std::max<int64_t>(1, (span + 2 + O - 1) / O), n = K * O;
  if (n > kMaxCoordinates)
    throw Error("critical: " + std::to_string(n) + " evaluation coordinates (span " + std::to_string(span) +
                "); at most " + std::to_string(kMaxCoordinates) + " are supported");
  s.K = K;
  s.points = randomPoints(K, m.input_size, seed);
  Random rng(seed * 0x9FB21C651E98DF25ull + 0x5);
  std::vector<double> R(size_t(n * n));
  for (double& v : R) v = rng.uniform();
  s.metric.assign(size_t(n * n), 0.0);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double sum = i == j ? 0.1 : 0.0;
      for (int64_t l = 0; l < n; ++l) sum += R[size_t(i * n + l)] * R[size_t(j * n + l)] / double(n);
      s.metric[size_t(i * n + j)] = sum;
    }
  s.metricName = "random:" + std::to_string(seed) + " (a random positive definite metric on the values at " +
                 std::to_string(K) + " random points: the generic ED degree)";
}

// A random real point of the span: a random combination of span + 2 functions f_theta at random real theta.
void spanTarget(const nag_model& m, int64_t span, uint64_t seed, DistanceSetup& s) {
  const int64_t n = s.K * std::max<int64_t>(m.output.size, 1);
  Random rng(seed * 0x8CB92BA72F3D8DD7ull + 0x29);
  std::vector<std::complex<double>> theta(static_cast<size_t>(m.param_count)), y(static_cast<size_t>(n)),
      x(s.points.begin(), s.points.end());
  s.target.assign(size_t(n), 0.0);
  for (int64_t j = 0; j < span + 2; ++j) {
    for (auto& t : theta) t = rng.uniform();
    m.eval_complex(reinterpret_cast<const double*>(theta.data()), reinterpret_cast<const double*>(x.data()),
                   reinterpret_cast<double*>(y.data()), s.K);
    double r = rng.uniform();
    for (int64_t i = 0; i < n; ++i) s.target[size_t(i)] += r * y[size_t(i)].real();
  }
  s.targetName = "random:" + std::to_string(seed) + " (a random real point of the span)";
}

// A target function U given by its coefficients (a file of N exact or decimal
// numbers, in the order of the coordinates `equations --json` lists: output by
// output, degrees ascending): its values at the evaluation points.
void fileTarget(const nag_model& m, const std::string& path, DistanceSetup& s) {
  if (std::string(m.algebraic_class) != "polynomial")
    throw Error(std::string("critical --target FILE: network '") + m.name + "' is " + m.algebraic_class +
                "; a target given by coefficients needs a polynomial network (use --target random:SEED)");
  std::vector<Coordinate> coords = coefficientCoordinates(m);
  QPoint c = readPoint(path, int64_t(coords.size()), "--target");
  const int64_t I = m.input_size, O = std::max<int64_t>(m.output.size, 1);
  s.target.assign(size_t(s.K * O), 0.0);
  for (int64_t p = 0; p < s.K; ++p)
    for (size_t j = 0; j < coords.size(); ++j) {
      double v = c[j].get_d();
      for (int64_t i = 0; i < I; ++i) v *= std::pow(s.points[size_t(p * I + i)], double(coords[j].alpha[size_t(i)]));
      s.target[size_t(p * O + coords[j].output)] += v;
    }
  s.targetName = path + " (the " + std::to_string(coords.size()) +
                 " coefficients of U, in the order of the coordinates of `equations --json`)";
}

// A whole number in [lo, hi] for flag, or a message.
uint64_t number(const std::string& text, const std::string& flag, uint64_t lo, uint64_t hi) {
  char* end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || text[0] == '-' || *end || errno == ERANGE || v < lo || v > hi)
    throw Error(flag + " expects a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                ", got '" + text + "'");
  return v;
}

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}


struct Verdict {
  int64_t count = 0;
  bool complete = false, agree = false;
  bool certified = false;  ///< two witness runs of E passed the trace test and found this count
  std::vector<std::string> notes;
};

// The verdict of one method's runs: the largest count, complete when two complete runs found it (any two: the third
// seed runs when the first two differ). For the target family (stagnation) a complete run below it stopped early: its
// points are critical points all the same, so it is a lower bound, noted, not a contradiction. For the witness method
// a complete run is certified by the trace test, and two certified counts that differ disagree.
Verdict decide(const std::vector<CriticalRun>& runs, bool certifying) {
  Verdict v;
  for (const CriticalRun& r : runs) v.count = std::max(v.count, r.finite);
  int64_t reach = 0;
  std::vector<const CriticalRun*> below;
  for (const CriticalRun& r : runs)
    if (r.complete) {
      if (r.finite == v.count) ++reach;
      else below.push_back(&r);
    }
  v.complete = reach >= 2;
  v.agree = !certifying || below.empty();
  if (!certifying && v.complete)
    for (const CriticalRun* r : below)
      v.notes.push_back("monodromy in the target with seed " + std::to_string(r->witness.seed) + " stagnated at " +
                        std::to_string(r->finite) + " critical points (a lower bound); two runs found " +
                        std::to_string(v.count));
  return v;
}

const char* methodName(numeric::CriticalMethod m) {
  return m == numeric::CriticalMethod::Target ? "target" : "witness";
}

// Both methods' runs into one verdict. The witness method's complete runs certify their count (the trace test);
// the target family's complete runs (stagnation, two seeds agree) give a count without a certificate. A method's
// complete count below what the other method found, or two certified witness counts that differ, is a
// disagreement: reported, and the command fails.
Verdict combine(const std::vector<CriticalRun>& target, const std::vector<CriticalRun>& witness, int64_t cap) {
  const Verdict t = decide(target, false), w = decide(witness, true);
  const bool tOK = !target.empty() && t.complete, wOK = !witness.empty() && w.complete;
  Verdict v;
  v.count = std::max(t.count, w.count);
  // A complete count below the other method's largest (two complete counts that differ among them) disagrees.
  v.agree = t.agree && w.agree && !(wOK && v.count != w.count) && !(tOK && v.count != t.count);
  if (wOK) v.complete = v.certified = true;
  else if (tOK) v.complete = true;
  v.complete = v.complete && v.agree;
  v.certified = v.certified && v.agree;
  auto counts = [](const std::vector<CriticalRun>& runs) {
    std::string list;
    for (const CriticalRun& r : runs) list += (list.empty() ? "" : ", ") + std::to_string(r.finite);
    return list;
  };
  v.notes = t.notes;
  if (!v.agree) {
    v.notes.push_back("the runs disagree: " +
                      (target.empty() ? std::string() : "monodromy in the target found " + counts(target)) +
                      (target.empty() || witness.empty() ? "" : "; ") +
                      (witness.empty() ? std::string() : "the witness set of E gave " + counts(witness)) +
                      " critical points");
  } else if (v.certified) {
    v.notes.push_back(target.empty() ? "the witness set of the ED correspondence passed the trace test in two runs"
                                     : "both methods ran and agree; the witness set of the ED correspondence passed "
                                       "the trace test in two runs");
  } else if (v.complete) {
    std::string why = "monodromy in the target stopped after " + std::to_string(numeric::kTargetIdleLoops) +
                      " nodes without a new point in two runs that agree: not certified by a trace test";
    if (!witness.empty()) {
      int64_t most = 0;
      for (const CriticalRun& r : witness) most = std::max(most, r.witness.points);
      why += cap > 0 && most >= cap ? "; the witness set of the ED correspondence, which would certify it, has more "
                                      "than the cap of " + std::to_string(cap) + " points"
                                    : "; fewer than two witness runs of the ED correspondence completed (trace "
                                      "test passed and every path to the target finished)";
    }
    v.notes.push_back(why);
  } else {
    v.notes.push_back("fewer than two runs are complete (every path to the target finished, and the witness set "
                      "passed the trace test or the target family's monodromy stagnated): the count is a lower "
                      "bound");
  }
  return v;
}

}  // namespace

std::string criticalReport(const nag_model& m, int argc, char** argv, int first, int& status) {
  Args a(argc, argv, first, {"--x", "--y", "--metric", "--target", "--seed", "--max-loops", "--method"},
         {"--json", "--quiet"});
  const std::string method = a.get("--method", "auto");
  if (method != "auto" && method != "target" && method != "witness")
    throw Error("critical --method expects auto, target or witness, got '" + method + "'");
  if (!m.eval_mod)
    throw Error(std::string("critical: network '") + m.name + "' is " + m.algebraic_class +
                (m.algebraic_reason && *m.algebraic_reason ? std::string(" (") + m.algebraic_reason + ")" : "") +
                "; critical points by homotopy need a polynomial or rational network");
  numeric::requireCriticalKernels(m);
  uint64_t seed = a.has("--seed") ? number(a.get("--seed"), "--seed", 0, UINT64_MAX) : 1;
  bool data = a.has("--x") || a.has("--y");
  std::string metric = a.get("--metric", data ? "data" : "random:1");
  if (data && metric != "data")
    throw Error("critical: --x/--y give the data's metric (the loss itself); --metric " + metric +
                " goes with --target instead");
  if (!data && metric == "data") throw Error("critical --metric data needs the data: --x X --y Y");
  if (data && a.has("--target")) throw Error("critical: --target and --y both give the target; use one");
  DimOptions d;
  d.seed = seed;
  DimReport dr = measureDimension(m, d);
  const int64_t dim = dr.exactRank;
  if (dim <= 0) throw Error("critical: the neurovariety has dimension 0");
  DistanceSetup s;
  const int64_t O = std::max<int64_t>(m.output.size, 1);
  if (data) {
    if (m.input_size > 0 && !a.has("--x")) throw Error("critical needs --x with --y (the inputs of the data)");
    if (!a.has("--y")) throw Error("critical needs --y with --x (the targets of the data)");
    Matrix y = readData({a.get("--y"), "y", O, -1, false});
    Matrix x;
    if (m.input_size > 0) x = readData({a.get("--x"), "x", m.input_size, y.rows, false});
    s.K = y.rows;
    s.points = x.data;
    const int64_t n = s.K * O;
    if (n > kMaxCoordinates)
      throw Error("critical: " + std::to_string(n) + " data values; at most " + std::to_string(kMaxCoordinates) +
                  " are supported");
    if (n < dim)
      throw Error("critical: " + std::to_string(s.K) + " samples give " + std::to_string(n) +
                  " values, fewer than the dimension " + std::to_string(dim) +
                  " of the neurovariety: the loss has positive-dimensional critical sets");
    s.metric.assign(size_t(n * n), 0.0);
    for (int64_t i = 0; i < n; ++i) s.metric[size_t(i * n + i)] = 1.0;
    s.target = y.data;
    s.metricName = "data (the squared loss on " + std::to_string(s.K) + " samples: ½ Σ |f(x_i) - y_i|²)";
    s.targetName = "the data's targets";
  } else {
    if (!dr.span.known)
      throw Error("critical: the span of the function space is not known (" + dr.span.method +
                  "); a target in it and evaluation coordinates need it");
    const int64_t span = dr.span.value;
    if (metric == "identity") coefficientMetric(m, seed, s);
    else if (isRandomSpec(metric)) randomMetric(m, span, randomSeed(metric, "--metric "), s);
    else throw Error("--metric expects data, identity or random:SEED, got '" + metric + "'");
    std::string target = a.get("--target", "random:1");
    if (isRandomSpec(target)) spanTarget(m, span, randomSeed(target, "--target "), s);
    else fileTarget(m, target, s);
  }
  numeric::WitnessOptions w;
  if (a.has("--max-loops")) w.maxLoops = int64_t(number(a.get("--max-loops"), "--max-loops", 1, 100000));
  w.progress = ::isatty(2) && !a.has("--quiet");
  // Per method two seeds, a third when their counts differ or one of them is incomplete (a path to the target failed
  // in every attempt, or its monodromy stopped short): two complete runs that agree are what the verdict needs.
  // auto: the target family (ED-degree paths), then the witness set of E as its certificate, capped at 20 times
  // the count found (deg E can exceed the ED degree by orders of magnitude: more than 1350 against 6 for rank-2
  // 4 x 4 matrices in the Frobenius metric).
  using numeric::CriticalMethod;
  std::vector<CriticalRun> targetRuns, witnessRuns;
  int64_t cap = 0;
  auto runMethod = [&](CriticalMethod cm, std::vector<CriticalRun>& runs, int64_t maxPoints) {
    for (uint64_t k = 0; k < 3; ++k) {
      if (k == 2 && runs[0].finite == runs[1].finite && runs[0].complete && runs[1].complete) break;
      numeric::WitnessOptions wo = w;
      wo.seed = seed + k;
      wo.maxPoints = maxPoints;
      runs.push_back(numeric::criticalRun(m, dim, s, wo, cm));
      if (maxPoints > 0 && runs.back().witness.points >= maxPoints) break;  // another seed would reach it too
    }
  };
  if (method != "witness") runMethod(CriticalMethod::Target, targetRuns, 0);
  if (method == "witness") {
    runMethod(CriticalMethod::Witness, witnessRuns, 0);
  } else if (method == "auto") {
    cap = std::max<int64_t>(64, 20 * decide(targetRuns, false).count);
    runMethod(CriticalMethod::Witness, witnessRuns, cap);
  }
  Verdict v = combine(targetRuns, witnessRuns, cap);
  std::vector<CriticalRun> runs = targetRuns;
  runs.insert(runs.end(), witnessRuns.begin(), witnessRuns.end());
  const CriticalRun& best = *std::max_element(runs.begin(), runs.end(), [](const CriticalRun& x, const CriticalRun& y) {
    return x.finite < y.finite;
  });
  int64_t real = 0, minima = 0, saddles = 0, maxima = 0, degenerate = 0, unclassified = 0;
  for (const auto& c : best.points) {
    if (!c.real) continue;
    ++real;
    if (c.kind == "minimum") ++minima;
    else if (c.kind == "saddle") ++saddles;
    else if (c.kind == "maximum") ++maxima;
    else if (c.kind == "degenerate") ++degenerate;
    else ++unclassified;
  }
  auto subnet = [&](const numeric::CriticalPoint& c) {
    if (!c.realTheta) return std::string();
    train::Subnetwork sub = train::subnetworkAt(m, c.theta, 1e-6);
    return sub.on ? sub.description : std::string();
  };
  std::ostringstream out;
  if (a.has("--json")) {
    out << "{\"count\": " << v.count << ", \"lower_bound\": " << (v.complete ? "false" : "true")
        << ", \"complete\": " << (v.complete ? "true" : "false") << ", \"certified\": "
        << (v.certified ? "true" : "false") << ", \"agree\": " << (v.agree ? "true" : "false")
        << ", \"method\": " << jsonString(method) << ", \"witness_cap\": " << cap
        << ", \"dimension\": " << dim << ", \"metric\": " << jsonString(s.metricName)
        << ", \"target\": " << jsonString(s.targetName) << ", \"coordinates\": " << s.K * O
        << ",\n \"real\": {\"count\": " << real << ", \"minima\": " << minima << ", \"saddles\": " << saddles
        << ", \"maxima\": " << maxima << ", \"degenerate\": " << degenerate << ", \"unclassified\": " << unclassified
        << "},\n \"points\": [";
    for (size_t i = 0; i < best.points.size(); ++i) {
      const auto& c = best.points[i];
      out << (i ? ",\n  " : "\n  ") << "{\"real\": " << (c.real ? "true" : "false") << ", \"loss\": " << jsonFull(c.loss)
          << ", \"imaginary\": " << jsonFull(c.imaginary) << ", \"kind\": " << jsonString(c.kind)
          << ", \"pure\": true, \"hessian\": {\"negative\": " << c.negative << ", \"zero\": " << c.zero
          << ", \"positive\": " << c.positive << "}, \"subnetwork\": " << jsonString(subnet(c)) << ", \"theta\": ";
      if (c.realTheta) {
        out << "[";
        for (size_t j = 0; j < c.theta.size(); ++j) out << (j ? ", " : "") << jsonFull(c.theta[j]);
        out << "]";
      } else {
        out << "null";
      }
      out << "}";
    }
    out << "],\n \"evidence\": {\"notes\": [";
    for (size_t i = 0; i < v.notes.size(); ++i) out << (i ? ", " : "") << jsonString(v.notes[i]);
    out << "], \"runs\": [";
    for (size_t i = 0; i < runs.size(); ++i) {
      const CriticalRun& r = runs[i];
      out << (i ? ",\n  " : "\n  ") << "{\"method\": \"" << methodName(r.method) << "\", \"seed\": " << r.witness.seed
          << ", \"stop\": " << jsonString(r.witness.stop) << ", \"witness_points\": " << r.witness.points
          << ", \"loops\": " << r.witness.loops << ", \"paths\": " << r.witness.pathsTracked
          << ", \"failed_paths\": " << r.witness.failedPaths << ", \"path_endings\": {";
      for (size_t j = 0; j < r.witness.statuses.size(); ++j)
        out << (j ? ", " : "") << jsonString(r.witness.statuses[j].first) << ": " << r.witness.statuses[j].second;
      out << "}, \"trace_residual\": "
          << (r.witness.traceTests ? jsonFull(r.witness.traceResidual) : "null")
          << ", \"witness_complete\": " << (r.witness.complete ? "true" : "false") << ", \"finite\": " << r.finite
          << ", \"at_infinity\": " << r.atInfinity << ", \"singular\": " << r.singular << ", \"failed\": " << r.failed
          << ", \"merged\": " << r.merged << ", \"target_attempts\": " << r.targetAttempts << ", \"slice\": \"" << (r.gauged ? "gauge" : "random") << "\", \"complete\": " << (r.complete ? "true" : "false")
          << ", \"witness_seconds\": " << jsonFull(r.witness.seconds) << ", \"seconds\": " << jsonFull(r.seconds)
          << "}";
    }
    out << "]}}\n";
  } else {
    out << "critical points of the squared distance on the neurovariety of " << m.name << "\n"
        << "  count       " << (v.complete ? "" : ">= ") << v.count
        << (!v.complete    ? "  (lower bound)"
            : v.certified ? "  (complex, finite; certified by the trace test on the ED correspondence)"
                          : "  (complex, finite; two runs agree, not certified: see the note)")
        << "\n"
        << "  metric      " << s.metricName << "\n"
        << "  target      " << s.targetName << "\n"
        << "  dimension   " << dim << " (exact rank mod p); the slice: "
        << (best.gauged ? "a real affine slice of parameter space of that dimension fixing a gauge for the known "
                          "symmetries"
                        : "a random real affine slice of parameter space of that dimension")
        << "\n";
    if (!targetRuns.empty())
      out << "  method      monodromy in the target u (the critical points of the distance from u, u moving), then "
             "one parameter homotopy to u = target\n";
    if (!witnessRuns.empty())
      out << "  method      " << (targetRuns.empty() ? "" : "and ")
          << "a witness set of the ED correspondence E = {(y, u): y in V, u - y normal to V at y} by monodromy and "
             "the trace test, moved to u = target"
          << (cap ? " (at most " + std::to_string(cap) + " witness points)" : std::string()) << "\n";
    for (const CriticalRun& r : runs) {
      char res[32];
      std::snprintf(res, sizeof res, "%.1e", r.witness.traceResidual);
      out << "  " << methodName(r.method) << " " << r.witness.seed << (r.method == CriticalMethod::Target ? "  " : " ")
          << "  ";
      if (r.method == CriticalMethod::Target)
        out << r.witness.points << " critical points at a generic target (" << r.witness.loops << " loops, "
            << r.witness.pathsTracked << " paths, " << r.witness.failedPaths << " failed, stopped "
            << r.witness.stop << ")";
      else
        out << r.witness.points << " witness points (" << r.witness.loops << " loops, " << r.witness.pathsTracked
            << " paths, trace residual " << (r.witness.traceTests ? res : "-")
            << (r.witness.complete ? ", complete" : ", INCOMPLETE: stopped " + r.witness.stop) << ")";
      if (r.targetAttempts == 0) {
        out << "; not moved to the target\n";
        continue;
      }
      out << "; at the target: " << r.finite << " finite, " << r.atInfinity << " at infinity, " << r.singular
          << " singular, " << r.failed << " failed"
          << (r.targetAttempts > 1 ? " (the last of " + std::to_string(r.targetAttempts) +
                                         " target homotopies with fresh gammas; finite: all of them)"
                                   : "")
          << (r.complete ? "" : " (lower bound)") << "\n";
    }
    for (const std::string& note : v.notes) out << "  note        " << note << "\n";
    out << "  real        " << real << ": " << minima << " minima, " << saddles << " saddles, " << maxima
        << " maxima, " << degenerate << " degenerate" << (unclassified ? ", " + std::to_string(unclassified) +
                                                                            " without a real preimage on the slice"
                                                                      : std::string())
        << " (all pure: the differential has full rank there)\n";
    int shown = 0;
    for (const auto& c : best.points) {
      if (!c.real) continue;
      ++shown;
      out << "  point " << shown << (shown < 10 ? "     " : "    ") << "loss " << fmt(c.loss) << ", "
          << (c.kind.empty() ? "not classified" : c.kind);
      std::string sub = subnet(c);
      if (!sub.empty()) out << "; " << sub;
      out << "\n";
      if (shown >= 20) break;
    }
  }
  status = v.agree ? 0 : 1;
  return out.str();
}

int criticalCommand(const nag_model& m, int argc, char** argv, int first) {
  int status = 0;
  std::string report = criticalReport(m, argc, argv, first, status);
  std::cout << report;
  return status;
}

}  // namespace nagrt
