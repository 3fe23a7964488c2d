// Checkpoint.cpp — saving and resuming a training run (format: docs/training.md).
#include "train/Checkpoint.h"

#include "nagrt_output.h"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace nagrt::train {

namespace {

constexpr const char* kMagic = "nagc-train-checkpoint";
constexpr int kVersion = 1;

std::string hex(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%a", v);
  return buf;
}

std::string exact(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

void vec(std::ostringstream& out, const char* key, const std::vector<double>& v) {
  out << key << " " << v.size();
  for (double x : v) out << " " << hex(x);
  out << "\n";
}

// Reads "key value..." records in order, with messages naming the file.
class Reader {
public:
  Reader(const std::string& path, std::istream& in) : path_(path), in_(in) {}
  void expect(const std::string& key) {
    std::string k;
    if (!(in_ >> k) || k != key) fail("expected '" + key + "'" + (k.empty() ? "" : ", found '" + k + "'"));
  }
  std::string word(const std::string& key) {
    expect(key);
    std::string w;
    if (!(in_ >> w)) fail("no value after '" + key + "'");
    return w;
  }
  int64_t integer(const std::string& key) {
    std::string w = word(key);
    char* end = nullptr;
    long long v = std::strtoll(w.c_str(), &end, 10);
    if (*end || v < 0) fail("'" + key + "' is not a count: '" + w + "'");
    return v;
  }
  double number() {
    std::string w;
    if (!(in_ >> w)) fail("truncated");
    char* end = nullptr;
    double v = std::strtod(w.c_str(), &end);
    if (*end) fail("'" + w + "' is not a number");
    return v;
  }
  double real(const std::string& key) {
    expect(key);
    return number();
  }
  std::vector<double> vector(const std::string& key, int64_t want = -1) {
    int64_t n = integer(key);
    if (want >= 0 && n != want) fail("'" + key + "' has " + std::to_string(n) + " values, expected " + std::to_string(want));
    if (n > (int64_t(1) << 32)) fail("'" + key + "' is too long");
    std::vector<double> v(static_cast<size_t>(n));
    for (double& x : v) x = number();
    return v;
  }
  [[noreturn]] void fail(const std::string& what) {
    throw Error("--resume: " + path_ + " is not a usable checkpoint: " + what);
  }

private:
  std::string path_;
  std::istream& in_;
};

}  // namespace

void saveCheckpoint(const std::string& path, const RunIdentity& id, const TrainState& s) {
  std::ostringstream out;
  out << kMagic << " " << kVersion << "\nnetwork " << id.network << "\nP " << id.params << "\noptimizer "
      << id.optimizer << "\nflow " << (id.flow ? 1 : 0) << "\nlr " << hex(id.lr) << "\ntol " << hex(id.tol)
      << "\ndata " << id.data << "\nstep " << s.step << "\ntime " << hex(s.time) << "\nh " << hex(s.h) << "\nloss0 "
      << hex(s.loss0) << "\nrejected " << s.rejected << "\n";
  vec(out, "theta", s.theta);
  vec(out, "theta0", s.theta0);
  vec(out, "m", s.m);
  vec(out, "v", s.v);
  out << "pairs " << s.s.size() << "\n";
  for (size_t k = 0; k < s.s.size(); ++k) {
    vec(out, "s", s.s[k]);
    vec(out, "y", s.y[k]);
  }
  vec(out, "drift", s.drift);
  vec(out, "trajectory", s.trajectory.data);
  out << "columns " << s.trajectory.cols << "\nend\n";
  if (std::string problem = writeOutput(path, out.str()); !problem.empty()) throw Error("--checkpoint: " + problem);
}

TrainState loadCheckpoint(const std::string& path, const RunIdentity& id) {
  std::ifstream file(path);
  if (!file) throw Error("--resume: cannot read the checkpoint '" + path + "'");
  Reader r(path, file);
  if (r.integer(kMagic) != kVersion) r.fail("written by another version of nagc's runtime");
  auto same = [&](const std::string& what, const std::string& had, const std::string& now) {
    if (had != now)
      throw Error("--resume: the checkpoint " + path + " was written for " + what + " " + had + ", not " + now +
                  "; resume with the same network, data and options (only --steps, --time and outputs may change)");
  };
  same("the network", r.word("network"), id.network);
  same("P =", std::to_string(r.integer("P")), std::to_string(id.params));
  same("the optimizer", r.word("optimizer"), id.optimizer);
  same("--flow", std::to_string(r.integer("flow")), std::to_string(id.flow ? 1 : 0));
  same("--lr", exact(r.real("lr")), exact(id.lr));
  same("--tol", exact(r.real("tol")), exact(id.tol));
  same("the data with SHA-256", r.word("data"), id.data);
  TrainState s;
  s.step = r.integer("step");
  s.time = r.real("time");
  s.h = r.real("h");
  s.loss0 = r.real("loss0");
  s.rejected = r.integer("rejected");
  s.theta = r.vector("theta", id.params);
  s.theta0 = r.vector("theta0", id.params);
  s.m = r.vector("m");
  s.v = r.vector("v");
  int64_t pairs = r.integer("pairs");
  for (int64_t k = 0; k < pairs; ++k) {
    s.s.push_back(r.vector("s", id.params));
    s.y.push_back(r.vector("y", id.params));
  }
  s.drift = r.vector("drift");
  s.trajectory.data = r.vector("trajectory");
  s.trajectory.cols = r.integer("columns");
  if (s.trajectory.cols > 0) s.trajectory.rows = int64_t(s.trajectory.data.size()) / s.trajectory.cols;
  r.expect("end");
  return s;
}

}  // namespace nagrt::train
