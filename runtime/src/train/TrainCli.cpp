// TrainCli.cpp — `train`: options, the starting point, progress, checkpoints, outputs and the report (text or JSON).
#include "train/Train.h"

#include "CliSupport.h"
#include "Dim.h"
#include "train/Checkpoint.h"
#include "nagrt_output.h"
#include "train/Landscape.h"

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>

namespace nagrt {

namespace {

using namespace train;

volatile std::sig_atomic_t interrupted = 0;
void onSignal(int) { interrupted = 1; }

const std::set<std::string> kValued{"--x",          "--y",      "--samples",    "--loss",  "--optimizer",
                                    "--lr",         "--steps",  "--time",       "--tol",   "--theta",
                                    "--seed",       "--record", "--out",        "--trajectory",
                                    "--checkpoint", "--checkpoint-every",       "--init-scale", "--zero-tol"};
const std::set<std::string> kFlags{"--json", "--flow", "--resume", "--quiet", "--no-exact"};

double positive(const Args& a, const std::string& k, double fallback) {
  if (!a.has(k)) return fallback;
  std::string t = a.get(k);
  char* end = nullptr;
  double v = std::strtod(t.c_str(), &end);
  if (t.empty() || *end || !std::isfinite(v) || v <= 0) throw Error(k + " expects a positive number, got '" + t + "'");
  return v;
}

int64_t count(const Args& a, const std::string& k, int64_t fallback, int64_t least) {
  if (!a.has(k)) return fallback;
  std::string t = a.get(k);
  bool digits = !t.empty() && t.size() < 16 && t.find_first_not_of("0123456789") == std::string::npos;
  int64_t v = digits ? std::stoll(t) : -1;
  if (v < least) throw Error(k + " expects an integer >= " + std::to_string(least) + ", got '" + t + "'");
  return v;
}


std::string jsonList(const std::vector<int64_t>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + "]";
}

/// One run: options, data, state, result.
struct Run {
  const nag_model& m;
  const Args& a;
  TrainOptions o;
  LandscapeOptions lo;
  RunIdentity id;
  DataSet data;
  ConservedSet q;
  TrainState s;
  Landscape land;
  double seconds = 0, loss = 0, gradNorm = 0;
  int64_t stepsRun = 0;
  std::string trajectoryPath, outPath, checkpointPath;
  bool library = false;  ///< called from the Python module: no progress lines, no signal handlers

  Run(const nag_model& model, const Args& args) : m(model), a(args) {}

  void options() {
    o.optimizer = a.get("--optimizer", "gd");
    if (o.optimizer != "gd" && o.optimizer != "adam" && o.optimizer != "lbfgs" && o.optimizer != "newton")
      throw Error("--optimizer expects gd, adam, lbfgs or newton, got '" + o.optimizer + "'");
    if (a.get("--loss", "mse") != "mse") throw Error("--loss expects mse (the only loss so far), got '" + a.get("--loss") + "'");
    o.flow = a.has("--flow");
    if (o.flow && a.has("--optimizer")) throw Error("--flow integrates gradient flow itself; it takes no --optimizer");
    bool stepsize = o.flow || o.optimizer == "gd" || o.optimizer == "adam";
    if (!stepsize && a.has("--lr"))
      throw Error("--lr is not used by " + o.optimizer + ": its line search chooses every step");
    o.lr = positive(a, "--lr", o.optimizer == "adam" ? 1e-3 : 1e-2);
    if (!stepsize) o.lr = 0;
    o.steps = count(a, "--steps", 1000, 0);
    if (a.has("--time") && !o.flow) throw Error("--time is the length of gradient flow; it needs --flow");
    o.time = positive(a, "--time", 0);
    o.tol = positive(a, "--tol", o.flow ? 1e-10 : 1e-12);
    o.record = count(a, "--record", a.has("--trajectory") ? std::max<int64_t>(1, o.steps / 1000) : 0, 1);
    if (a.has("--record") && !a.has("--trajectory"))
      throw Error("--record K needs --trajectory FILE (.npy, .csv or text) to write the rows to");
    o.checkpointEvery = count(a, "--checkpoint-every", 0, 1);
    trajectoryPath = a.get("--trajectory");
    outPath = a.get("--out");
    checkpointPath = a.get("--checkpoint");
    if (a.has("--resume") && checkpointPath.empty()) throw Error("--resume needs --checkpoint FILE (the run to continue)");
    if (o.checkpointEvery && checkpointPath.empty()) throw Error("--checkpoint-every needs --checkpoint FILE");
    for (const std::string& out : {trajectoryPath, outPath, checkpointPath})  // before the run, not after it
      if (std::string problem = checkNotAnInput(out, {a.get("--x"), a.get("--y"), a.get("--theta")}); !problem.empty())
        throw Error(problem);
    lo.zeroTolerance = positive(a, "--zero-tol", 1e-3);
    lo.exact = !a.has("--no-exact");
    lo.seed = a.has("--seed") ? parseSeed(a.get("--seed")) : 1;
  }

  static uint64_t parseSeed(const std::string& t) {
    if (t.empty() || t.size() > 19 || t.find_first_not_of("0123456789") != std::string::npos)
      throw Error("--seed expects a non-negative integer, got '" + t + "'");
    return std::stoull(t);
  }

  void start() {
    id = {m.name, o.flow ? "flow" : o.optimizer, data.sha256, m.param_count, o.flow, o.lr, o.tol};
    if (a.has("--resume")) {
      if (a.has("--theta")) throw Error("--resume continues from the checkpoint's theta; it takes no --theta");
      s = loadCheckpoint(checkpointPath, id);
      if (s.trajectory.rows && s.trajectory.cols != 4 + m.param_count + int64_t(q.kept.size()))
        throw Error("--resume: the checkpoint's trajectory has another number of columns");
      return;
    }
    if (a.has("--theta")) {
      if (a.has("--init-scale")) throw Error("--init-scale scales the random start; it takes no --theta");
      s.theta = readData({a.get("--theta"), "theta", m.param_count, 1, true}).data;
    } else {
      double scale = positive(a, "--init-scale", 1.0);
      Random rng(lo.seed);  // theta0 = scale * random:SEED
      s.theta.resize(size_t(m.param_count));
      for (double& v : s.theta) v = scale * rng.uniform();
    }
  }

  void train() {
    bool progress = ::isatty(2) && !a.has("--quiet") && !library;
    auto t0 = std::chrono::steady_clock::now();
    auto last = t0;
    int64_t first = s.step;
    Objective f(m, data.x, data.y);
    StepHook hook = [&](const TrainState& st, double l, double g) {
      if (o.checkpointEvery && st.step % o.checkpointEvery == 0) saveCheckpoint(checkpointPath, id, st);
      if (progress) {
        auto now = std::chrono::steady_clock::now();
        if (std::chrono::duration<double>(now - last).count() > 0.25) {
          last = now;
          std::fprintf(stderr, "\rtrain: step %lld%s  loss %.4g  |grad| %.3g  (%.1f s)   ", (long long)st.step,
                       o.flow ? (" t " + jsonShort(st.time)).c_str() : (" of " + std::to_string(o.steps)).c_str(), l, g,
                       std::chrono::duration<double>(now - t0).count());
        }
      }
      return interrupted == 0;
    };
    run(f, o, q.kept, s, hook);
    if (progress) std::fprintf(stderr, "\r%*s\r", 70, "");
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    stepsRun = s.step - first;
    std::vector<double> g(size_t(m.param_count));
    loss = f.gradient(s.theta.data(), g.data());
    double gg = 0;
    for (double v : g) gg += v * v;
    gradNorm = std::sqrt(gg);
    if (!checkpointPath.empty()) saveCheckpoint(checkpointPath, id, s);
    writeOutputs();
    land = analyse(m, f, s.theta, gradNorm, lo);
  }

  // The trajectory with the final row (kept out of the state, so that a resumed run records what an uninterrupted one does).
  Matrix trajectory() const {
    Matrix t = s.trajectory;
    if (o.record > 0 && (t.rows == 0 || int64_t(t.data[size_t((t.rows - 1) * t.cols)]) != s.step)) {
      t.cols = 4 + m.param_count + int64_t(q.kept.size());
      t.data.push_back(double(s.step));
      t.data.push_back(s.time);
      t.data.push_back(loss);
      t.data.push_back(gradNorm);
      t.data.insert(t.data.end(), s.theta.begin(), s.theta.end());
      for (const Conserved& c : q.kept) t.data.push_back(c.value(s.theta.data()));
      ++t.rows;
    }
    return t;
  }

  void writeOutputs() {
    std::vector<std::string> inputs{a.get("--x"), a.get("--y"), a.get("--theta")};
    if (!trajectoryPath.empty()) writeMatrix(trajectory(), trajectoryPath, formatFor(trajectoryPath), "trajectory", {}, inputs);
    if (!outPath.empty()) {
      Matrix t;
      t.rows = m.param_count;
      t.cols = 1;
      t.data = s.theta;
      writeMatrix(t, outPath, formatFor(outPath), "theta", {}, inputs);
    }
  }

  std::string methodText() const {
    if (o.flow) return "gradient flow (Dormand-Prince 5(4), tolerance " + jsonShort(o.tol) + ") to time " + jsonShort(endTime());
    std::string t = o.optimizer;
    if (o.lr > 0) t += ", lr " + jsonShort(o.lr);
    return t;
  }
  double endTime() const { return o.time > 0 ? o.time : double(o.steps) * o.lr; }

  std::string json() const {
    std::ostringstream out;
    const Curvature& c = land.curvature;
    const Differential& d = land.differential;
    const Subnetwork& sub = land.subnetwork;
    out << "{\n  \"network\": " << jsonString(m.name) << ",\n  \"loss_function\": \"mse\",\n  \"optimizer\": "
        << jsonString(o.flow ? "flow" : o.optimizer) << ",\n  \"lr\": " << (o.lr > 0 ? jsonFull(o.lr) : "null")
        << ",\n  \"tol\": " << jsonFull(o.tol) << ",\n  \"samples\": " << data.x.rows << ",\n  \"P\": " << m.param_count
        << ",\n  \"steps\": " << s.step << ",\n  \"steps_this_run\": " << stepsRun << ",\n  \"time\": " << jsonFull(s.time)
        << ",\n  \"rejected_steps\": " << s.rejected << ",\n  \"stopped\": " << jsonString(s.stopped)
        << ",\n  \"seconds\": " << jsonFull(seconds) << ",\n  \"steps_per_second\": "
        << (seconds > 0 ? jsonFull(double(stepsRun) / seconds) : "null") << ",\n  \"loss_initial\": " << jsonFull(s.loss0)
        << ",\n  \"loss\": " << jsonFull(loss) << ",\n  \"gradient_norm\": " << jsonFull(gradNorm) << ",\n  \"theta\": [";
    for (size_t i = 0; i < s.theta.size(); ++i) out << (i ? ", " : "") << jsonFull(s.theta[i]);
    out << "],\n  \"hessian\": ";
    if (!c.computed) {
      out << "{\"computed\": false, \"skipped\": " << jsonString(c.skipped) << "}";
    } else {
      out << "{\"computed\": true, \"min_eigenvalue\": " << jsonFull(c.minEigenvalue) << ", \"max_eigenvalue\": "
          << jsonFull(c.maxEigenvalue) << ", \"tolerance\": " << jsonFull(c.tolerance) << ", \"negative\": " << c.negative
          << ", \"zero\": " << c.zero << ", \"positive\": " << c.positive << ", \"orbit_dimension\": "
          << c.orbitDimension << ", \"classification\": " << jsonString(c.classification)
          << ", \"why\": " << jsonString(c.why) << "}";
    }
    auto opt = [&](int64_t v) { return v >= 0 ? std::to_string(v) : std::string("null"); };
    out << ",\n  \"differential\": {\"float_rank\": " << opt(d.floatRank) << ", \"float_gap\": " << jsonFull(d.floatGap)
        << ", \"float_rank_rounded\": " << opt(d.floatRankRounded) << ", \"float_generic_rank\": "
        << opt(d.floatGenericRank) << ", \"exact_rank_rounded\": " << opt(d.exactRank) << ", \"dimension\": "
        << opt(d.dimension) << ", \"dimension_certified\": " << (d.dimensionCertified ? "true" : "false")
        << ", \"critical_point_of_parameterization\": " << (d.critical ? "true" : "false") << "}";
    out << ",\n  \"singular\": ";
    if (land.singular.computed)
      out << "{\"verdict\": " << jsonString(land.singular.verdict) << ", \"reason\": " << jsonString(land.singular.reason)
          << ", \"tangent_span_rank\": " << land.singular.tangent << ", \"fibre_points\": " << land.singular.points << "}";
    else
      out << "{\"verdict\": null, \"skipped\": " << jsonString(land.singular.skipped) << "}";
    out << ",\n  \"rounded_theta\": [";
    for (size_t i = 0; i < land.exactPoint.size(); ++i) out << (i ? ", " : "") << jsonString(land.exactPoint[i]);
    out << "],\n  \"rounding\": " << jsonString(land.rounding) << ",\n  \"subnetwork\": {\"on_subnetwork\": "
        << (sub.on ? "true" : "false") << ", \"tolerance\": " << jsonFull(sub.tolerance)
        << ", \"description\": " << jsonString(sub.description) << ", \"layers\": [";
    for (size_t i = 0; i < sub.layers.size(); ++i) {
      const NeuronLayer& L = sub.layers[i];
      out << (i ? ",\n    " : "\n    ") << "{\"name\": " << jsonString(L.name) << ", \"width\": " << L.width
          << ", \"effective_width\": " << L.effectiveWidth << ", \"zero_incoming\": " << jsonList(L.zeroIncoming)
          << ", \"zero_outgoing\": " << jsonList(L.zeroOutgoing) << ", \"copies\": [";
      for (size_t g = 0; g < L.copies.size(); ++g) out << (g ? ", " : "") << jsonList(L.copies[g]);
      out << "]}";
    }
    out << "]},\n  \"conserved_check\": " << jsonString(q.check) << ",\n  \"conserved\": [";
    for (size_t k = 0; k < q.kept.size(); ++k) {
      const Conserved& c2 = q.kept[k];
      out << (k ? ",\n    " : "\n    ") << "{\"name\": " << jsonString(c2.name) << ", \"symmetry\": "
          << jsonString(c2.symmetry) << ", \"formula\": " << jsonString(c2.formula) << ", \"initial\": "
          << jsonFull(c2.value(s.theta0.data())) << ", \"final\": " << jsonFull(c2.value(s.theta.data()))
          << ", \"scale\": " << jsonFull(c2.scale(s.theta0.data())) << ", \"drift\": " << jsonFull(s.drift[k]) << "}";
    }
    out << "],\n  \"not_conserved\": [";
    for (size_t k = 0; k < q.rejected.size(); ++k) out << (k ? ", " : "") << jsonString(q.rejected[k]);
    out << "],\n  \"trajectory\": ";
    if (o.record > 0) {
      out << "{\"file\": " << (trajectoryPath.empty() ? "null" : jsonString(trajectoryPath)) << ", \"rows\": "
          << trajectory().rows << ", \"every\": " << o.record << ", \"columns\": [";
      std::vector<std::string> cols = trajectoryColumns(m, q.kept);
      for (size_t i = 0; i < cols.size(); ++i) out << (i ? ", " : "") << jsonString(cols[i]);
      out << "]}";
    } else {
      out << "null";
    }
    out << ",\n  \"checkpoint\": " << (checkpointPath.empty() ? "null" : jsonString(checkpointPath)) << "\n}\n";
    return out.str();
  }

  std::string text() const {
    std::ostringstream out;
    const Curvature& c = land.curvature;
    const Differential& d = land.differential;
    out << "train " << m.name << ": " << methodText() << ", " << s.step << " steps (stopped: " << s.stopped << ")";
    if (stepsRun > 0 && seconds > 0) out << ", " << jsonShort(double(stepsRun) / seconds) << " steps/s";
    out << "\n  samples          " << data.x.rows << "\n  loss             " << jsonFull(loss) << "  (from " << jsonFull(s.loss0)
        << "; L = 1/(2N) sum_i |f(x_i) - y_i|^2)\n  gradient norm    " << jsonFull(gradNorm) << "\n  Hessian          ";
    if (!c.computed) out << "not computed: " << c.skipped << "\n";
    else
      out << c.classification << ": " << c.why << "\n                   eigenvalues " << jsonShort(c.minEigenvalue)
          << " to " << jsonShort(c.maxEigenvalue) << "; " << c.negative << " negative, " << c.zero << " zero (|l| <= "
          << jsonShort(c.tolerance) << "), " << c.positive << " positive; symmetry orbit dimension " << c.orbitDimension
          << "\n";
    out << "  differential     ";
    if (d.exactRank >= 0)
      out << "rank " << d.exactRank << " at the rounded point over F_p, dimension " << d.dimension
          << (d.dimensionCertified ? " (certified)" : "") << "\n                   ";
    out << "float rank " << d.floatRank << " at theta (gap " << jsonShort(d.floatGap) << "), " << d.floatRankRounded
        << " at the rounded point, " << d.floatGenericRank << " at a random theta\n                   "
        << (d.critical ? "a critical point of the parameterization" : "not a critical point of the parameterization")
        << "\n  singular point   "
        << (land.singular.computed ? land.singular.verdict + ": " + land.singular.reason : "not tested: " + land.singular.skipped)
        << "\n  subnetwork       " << land.subnetwork.description << "  (tolerance " << jsonShort(land.subnetwork.tolerance)
        << ")\n  conserved        ";
    if (q.kept.empty()) out << "none (no symmetry generator passes)\n";
    else out << q.kept.size() << " quantities; drift = max_t |Q(t) - Q(0)| / scale\n";
    for (size_t k = 0; k < q.kept.size(); ++k)
      out << "    " << q.kept[k].name << ": " << q.kept[k].formula << "  Q(0) " << jsonShort(q.kept[k].value(s.theta0.data()))
          << ", now " << jsonShort(q.kept[k].value(s.theta.data())) << ", drift " << jsonShort(s.drift[k]) << "\n";
    for (const std::string& r : q.rejected) out << "    not conserved: " << r << "\n";
    if (!trajectoryPath.empty()) out << "  trajectory       " << trajectoryPath << " (" << trajectory().rows << " rows)\n";
    if (!outPath.empty()) out << "  theta            " << outPath << "\n";
    if (!checkpointPath.empty()) out << "  checkpoint       " << checkpointPath << "\n";
    return out.str();
  }
};

}  // namespace

int trainCommand(const nag_model& m, int argc, char** argv, int first) {
  Args a(argc, argv, first, kValued, kFlags);
  Run r(m, a);
  r.options();
  int64_t samples = a.has("--samples") ? count(a, "--samples", 0, 1) : -1;
  r.data = readDataSet(m, a.get("--x"), a.get("--y"), samples);
  r.q = conservedQuantities(m, r.lo.seed);
  r.start();
  interrupted = 0;
  auto oldInt = std::signal(SIGINT, onSignal);
  auto oldTerm = std::signal(SIGTERM, onSignal);
  try {
    r.train();
  } catch (...) {
    std::signal(SIGINT, oldInt);
    std::signal(SIGTERM, oldTerm);
    throw;
  }
  std::signal(SIGINT, oldInt);
  std::signal(SIGTERM, oldTerm);
  std::cout << (a.has("--json") ? r.json() : r.text());
  std::cout.flush();
  return r.s.stopped == "interrupted" ? 130 : 0;
}

std::string trainReport(const nag_model& m, const double* x, const double* y, int64_t samples, int argc, char** argv) {
  try {
    Args a(argc, argv, 0, kValued, kFlags);
    Run r(m, a);
    r.library = true;
    r.options();
    if (y) {
      if (!x && m.input_size > 0) throw Error("train: the targets were given without the inputs");
      r.data.x.rows = r.data.y.rows = samples;
      r.data.x.cols = m.input_size;
      r.data.y.cols = m.output.size;
      if (x) r.data.x.data.assign(x, x + samples * m.input_size);
      r.data.y.data.assign(y, y + samples * m.output.size);
      checkDataSet(m, r.data);
    } else {
      r.data = readDataSet(m, a.get("--x"), a.get("--y"), a.has("--samples") ? count(a, "--samples", 0, 1) : -1);
    }
    r.q = conservedQuantities(m, r.lo.seed);
    r.start();
    r.train();
    return r.json();
  } catch (const Error& e) {
    return std::string("error: ") + e.what();
  }
}

}  // namespace nagrt

extern "C" char* nagrt_train_report(const nag_model* model, const double* x, const double* y, int64_t samples, int argc,
                                    char** argv) {
  return strdup(nagrt::trainReport(*model, x, y, samples, argc, argv).c_str());
}
