// WitnessDegree.cpp — pseudo-witness sets of a neurovariety: monodromy, trace test, fibre groups, checkpoints.
#include "numeric/WitnessDegree.h"

#include "numeric/KeyIndex.h"
#include "numeric/Pullback.h"

#include "Runtime.h"
#include "nagrt_output.h"

#include <lapacke.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

namespace nagrt::numeric {

namespace {

int64_t evaluationPointsFor(const nag_model& m, int64_t span) {
  int64_t O = std::max<int64_t>(m.output.size, 1);
  return std::max<int64_t>(1, (span + 2 + O - 1) / O);
}

// ---- checkpoints: plain text, numbers as C99 hex floats (exact).

std::string checkpointHeader(const nag_model& m, const PullbackSystem& s, uint64_t seed, bool fibre) {
  return std::string("nagc monodromy checkpoint 4 ") + m.name + " P=" + std::to_string(m.param_count) +
         " k=" + std::to_string(s.unknowns()) + " points=" + std::to_string(s.coordinates()) +
         " seed=" + std::to_string(seed) + (fibre ? " fibre" : " degree");
}

// The witness problem of a pullback system: its image points are μ_X(θ(z)).
WitnessProblem pullbackProblem(const nag_model& m, const PullbackSystem& s, uint64_t seed, bool fibre) {
  WitnessProblem p;
  p.system = &s;
  p.q0 = s.startParameters();
  p.start = s.chart().start;
  p.image = [&s](const cplx* z) { return s.image(z); };
  p.coordinates = s.coordinates();
  p.header = checkpointHeader(m, s, seed, fibre);
  p.what = fibre ? "fibre" : "degree";
  return p;
}

void writeVector(std::ostringstream& out, const std::vector<cplx>& x) {
  char buf[64];
  for (const cplx& v : x) {
    std::snprintf(buf, sizeof buf, "%a %a ", v.real(), v.imag());
    out << buf;
  }
  out << "\n";
}

void writeVectors(std::ostringstream& out, const std::vector<std::vector<cplx>>& xs) {
  out << xs.size() << "\n";
  for (const auto& x : xs) writeVector(out, x);
}

// The run's graph: counters, node 0's solutions, then each node's parameters and solutions, then the edges.
void saveCheckpoint(const std::string& path, const std::string& header, const MonodromyCheckpoint& c) {
  std::ostringstream out;
  out << header << "\n" << c.loops << " " << c.closed << " " << c.idleLoops << " " << c.lastCount << " " << c.waves
      << " " << c.rngState << " " << c.pathsTracked << " " << c.loopCollisions << " " << c.retriedPaths << " " << c.repairs << "\n";
  for (int64_t n : c.statusCounts) out << n << " ";
  out << "\n";
  writeVectors(out, c.solutions);
  out << c.nodes.size() << "\n";
  for (size_t v = 0; v < c.nodes.size(); ++v) {
    writeVector(out, c.nodes[v]);
    writeVectors(out, c.nodeSolutions[v]);
  }
  out << c.edges.size() << "\n";
  for (const MonodromyEdge& e : c.edges) {
    std::vector<cplx> g{e.g0, e.g1};
    out << e.from << " " << e.to << " " << e.done << " ";
    writeVector(out, g);
    std::string hit(e.hit.size(), '0');
    for (size_t j = 0; j < e.hit.size(); ++j) hit[j] = e.hit[j] ? '1' : '0';
    out << (hit.empty() ? "-" : hit) << "\n";
  }
  std::string error = writeOutput(path, out.str());
  if (!error.empty()) throw Error("--checkpoint: " + error);
}

class CheckpointReader {
public:
  CheckpointReader(std::ifstream& in, const std::string& path) : in_(in), path_(path) {}
  [[noreturn]] void damaged(const std::string& what) {
    throw Error("--resume: " + path_ + " is damaged (" + what + " does not read)");
  }
  size_t count() {
    size_t n = 0;
    in_ >> n;
    if (!in_ || n > (size_t(1) << 32)) damaged("a count");
    return n;
  }
  std::vector<cplx> vector(size_t k) {
    std::vector<cplx> x(k);
    for (cplx& v : x) {
      std::string re, im;
      in_ >> re >> im;
      char* e1 = nullptr;
      char* e2 = nullptr;
      double r = std::strtod(re.c_str(), &e1), i = std::strtod(im.c_str(), &e2);
      if (!in_ || *e1 || *e2 || !std::isfinite(r) || !std::isfinite(i)) damaged("a number");
      v = cplx(r, i);
    }
    return x;
  }
  std::vector<std::vector<cplx>> vectors(size_t k) {
    std::vector<std::vector<cplx>> xs(count());
    for (auto& x : xs) x = vector(k);
    return xs;
  }

private:
  std::ifstream& in_;
  std::string path_;
};

bool loadCheckpoint(const std::string& path, const std::string& header, int64_t k, int64_t p,
                    MonodromyCheckpoint& c) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  std::getline(in, line);
  if (line != header)
    throw Error("--resume: " + path + " is the checkpoint of another run ('" + line + "'; this run is '" + header +
                "')");
  CheckpointReader read(in, path);
  in >> c.loops >> c.closed >> c.idleLoops >> c.lastCount >> c.waves >> c.rngState >> c.pathsTracked >>
      c.loopCollisions >> c.retriedPaths >> c.repairs;
  for (int64_t& n : c.statusCounts) in >> n;
  if (!in) read.damaged("the counters");
  c.solutions = read.vectors(size_t(k));
  size_t nodes = read.count();
  c.nodes.clear();
  c.nodeSolutions.clear();
  for (size_t v = 0; v < nodes; ++v) {
    c.nodes.push_back(read.vector(size_t(p)));
    c.nodeSolutions.push_back(read.vectors(size_t(k)));
  }
  size_t edges = read.count();
  c.edges.assign(edges, MonodromyEdge{});
  for (MonodromyEdge& e : c.edges) {
    in >> e.from >> e.to >> e.done;
    std::vector<cplx> g = read.vector(2);
    std::string hit;
    in >> hit;
    if (!in || e.from < 0 || e.to < 0 || e.from > int64_t(nodes) || e.to > int64_t(nodes) || e.done < 0 ||
        g[0] == 0.0 || g[1] == 0.0)
      read.damaged("an edge");
    e.g0 = g[0];
    e.g1 = g[1];
    if (hit != "-")
      for (char ch : hit) e.hit.push_back(ch == '1');
  }
  if (int64_t(nodes) != c.loops) read.damaged("the node count");
  return true;
}

const char* stopName(MonodromyStop s) {
  switch (s) {
    case MonodromyStop::Idle: return "idle";
    case MonodromyStop::LoopLimit: return "loop limit";
    case MonodromyStop::SolutionLimit: return "point limit";
    case MonodromyStop::Complete: return "trace test passed";
    case MonodromyStop::TestLimit: return "trace test limit";
  }
  return "?";
}

double norm(const std::vector<cplx>& v) {
  double n = 0;
  for (const cplx& c : v) n = std::max(n, std::abs(c));
  return n;
}

// Groups solutions by image point (relative max-norm tolerance, KeyIndex):
// the index of the group of each.
std::vector<int64_t> groupByImage(const WitnessProblem& s, const std::vector<std::vector<cplx>>& sols, double tol,
                                  int64_t& groups) {
  KeyIndex index(0x5EED, tol);
  std::vector<int64_t> group(sols.size(), -1);
  for (size_t i = 0; i < sols.size(); ++i) {
    std::vector<cplx> y = s.image(sols[i].data());
    KeyIndex::Match m = index.nearest(y);
    if (m.index >= 0 && m.distance <= tol) {
      group[i] = m.index;
    } else {
      group[i] = index.size();
      index.insert(y);
    }
  }
  groups = index.size();
  return group;
}

}  // namespace

// Monodromy rounds ended by trace tests, from the problem's start point.
WitnessRun witnessRun(const WitnessProblem& s, const WitnessOptions& o, bool fibre,
                      std::vector<std::vector<cplx>>* points) {
  auto t0 = std::chrono::steady_clock::now();
  WitnessRun w;
  w.seed = o.seed;
  const std::vector<cplx>& q0 = s.q0;
  const std::string& header = s.header;
  const ParametricSystem& system = *s.system;
  MonodromyOptions mo;
  mo.seed = o.seed;
  mo.idleLoops = o.idleLoops;
  mo.maxLoops = o.maxLoops;
  mo.maxSolutions = o.maxPoints;
  mo.tracker.maxSteps = o.maxSteps;
  const char* what = s.what.c_str();
  if (o.progress)
    mo.progress = [&](int64_t n, int64_t loops) {
      std::fprintf(stderr, "\r%s: monodromy (seed %llu): %lld %s, %lld nodes   ", what,
                   (unsigned long long)o.seed, (long long)n, fibre ? "solutions" : "points", (long long)loops);
    };
  if (!o.checkpoint.empty()) mo.checkpoint = [&](const MonodromyCheckpoint& c) { saveCheckpoint(o.checkpoint, header, c); };
  KeyFn key;
  if (!fibre) key = s.image;
  MonodromyCheckpoint resumed;
  if (o.resume && !o.checkpoint.empty() && loadCheckpoint(o.checkpoint, header, system.unknowns(), system.parameters(), resumed)) mo.resume = &resumed;
  // The trace: two random linear functions of the image point.
  Random rng(o.seed * 0x2545F4914F6CDD1Dull + 0x11);
  int64_t n = s.coordinates;
  std::vector<cplx> c(size_t(2 * n)), v(q0.size());
  for (cplx& x : c) x = randomComplex(rng);
  double qscale = std::max(1.0, norm(q0));
  for (cplx& x : v) x = qscale * randomComplex(rng);
  TraceFn trace = [&](const cplx* z) {
    std::vector<cplx> y = s.image(z), t(2, cplx(0));
    for (int64_t r = 0; r < 2; ++r)
      for (int64_t j = 0; j < n; ++j) t[size_t(r)] += c[size_t(r * n + j)] * y[size_t(j)];
    return t;
  };
  // The trace test is part of the graph: nodes 1..kPencil are pencil points q0 + s_i v (the triangle's two, then
  // one more after each of the first failed closures), so their witness sets are closed under the graph's arcs
  // like any node's (a path that fails or jumps on one arc is made up by another, and a count that still differs
  // from q0's gets a repair edge), and each closure tests the trace at no cost in paths: tr(s) must be affine in s
  // on every pencil point whose count is q0's (at least two of them). A complete set gives a residual near 1e-10, a
  // set that lacks one of d points about 1/d. More than two pencil points: one whose set stays short (a point its
  // arcs keep missing) does not hold up the test.
  const int kPencil = o.traceTest ? 4 : 0;
  Random pencil(o.seed + 1000003);
  std::vector<cplx> ss;
  for (int i = 0; i < kPencil; ++i) {
    ss.push_back(pencilPoint(pencil));
    std::vector<cplx> q(q0);
    for (size_t j = 0; j < q0.size(); ++j) q[j] += ss.back() * v[j];
    mo.firstNodes.push_back(std::move(q));
    mo.repairNodes.push_back(i + 1);
  }
  mo.maxRepairs = 4 * int64_t(o.traceRounds);
  // One point per image point at each node (degree runs keep one already; fibre runs group theirs).
  auto representatives = [&](const std::vector<std::vector<cplx>>& sols, int64_t* groupsOut, int64_t* minOut,
                             int64_t* maxOut) {
    if (!fibre) return sols;
    int64_t groups = 0;
    std::vector<int64_t> g = groupByImage(s, sols, 1e-8, groups);
    std::vector<std::vector<cplx>> one(static_cast<size_t>(groups));
    std::vector<int64_t> size(size_t(groups), 0);
    for (size_t i = 0; i < g.size(); ++i)
      if (size[size_t(g[i])]++ == 0) one[size_t(g[i])] = sols[i];
    if (groupsOut) *groupsOut = groups;
    if (minOut) *minOut = groups ? *std::min_element(size.begin(), size.end()) : 0;
    if (maxOut) *maxOut = groups ? *std::max_element(size.begin(), size.end()) : 0;
    return one;
  };
  if (o.traceTest) mo.onClosure = [&](const MonodromyResult& g) {
    if (g.idleLoops < o.idleLoops) return ClosureVerdict::Continue;  // the caller's patience before testing
    if (g.nodeSolutions.size() < 2) return ClosureVerdict::Continue;  // --max-loops 1: no second pencil point
    // Traces at q0 and at each pencil point present: sum and size.
    auto traceOf = [&](const std::vector<std::vector<cplx>>& sols, std::vector<cplx>& sum, double& magnitude) {
      std::vector<std::vector<cplx>> reps = representatives(sols, nullptr, nullptr, nullptr);
      sum.assign(2, 0.0);
      magnitude = 0;
      for (const std::vector<cplx>& x : reps) {
        std::vector<cplx> t = trace(x.data());
        sum[0] += t[0];
        sum[1] += t[1];
        magnitude += std::max(std::abs(t[0]), std::abs(t[1]));
      }
      return int64_t(reps.size());
    };
    std::vector<cplx> tr0;
    double scale = std::numeric_limits<double>::min(), magnitude = 0;
    const int64_t n0 = traceOf(g.solutions, tr0, magnitude);
    scale = std::max(scale, magnitude);
    std::vector<int64_t> counts;
    std::vector<std::vector<cplx>> trs;
    std::vector<cplx> sAt;
    const size_t present = std::min<size_t>(size_t(kPencil), g.nodeSolutions.size());
    for (size_t i = 0; i < present; ++i) {
      std::vector<cplx> t;
      int64_t n = traceOf(g.nodeSolutions[i], t, magnitude);
      counts.push_back(n);
      if (n != n0) continue;
      scale = std::max(scale, magnitude);
      trs.push_back(t);
      sAt.push_back(ss[i]);
    }
    double worst = 0;
    for (size_t b = 1; b < trs.size(); ++b) {
      const cplx ratio = sAt[b] / sAt[0];
      for (int i = 0; i < 2; ++i) worst = std::max(worst, std::abs(trs[b][i] - tr0[i] - ratio * (trs[0][i] - tr0[i])));
    }
    const bool tested = trs.size() >= 2 && n0 > 0;
    w.traceResidual = tested ? worst / scale : std::numeric_limits<double>::infinity();
    ++w.traceTests;
    if (o.progress) {
      std::string list;
      for (int64_t n : counts) list += (list.empty() ? "" : ", ") + std::to_string(n);
      std::fprintf(stderr, "\n%s: trace test (seed %llu): %lld points at q0, %s on the pencil, residual %.1e\n", what,
                   (unsigned long long)o.seed, (long long)n0, list.c_str(), w.traceResidual);
    }
    if (tested && w.traceResidual < o.traceTolerance) return ClosureVerdict::Complete;
    return w.traceTests >= o.traceRounds ? ClosureVerdict::Stop : ClosureVerdict::Continue;
  };
  MonodromyResult r = monodromySolve(system, q0, {s.start}, mo, key);
  if (o.progress) std::fprintf(stderr, "\n");
  std::vector<std::vector<cplx>> reps = representatives(r.solutions, nullptr, &w.minGroup, &w.maxGroup);
  if (fibre) w.solutions = int64_t(r.solutions.size());
  w.points = int64_t(reps.size());
  w.retriedPaths = r.retriedPaths;
  w.repairs = r.repairs;
  w.duplicates = r.duplicatesRemoved;
  w.complete = r.stop == MonodromyStop::Complete;
  w.stagnated = !o.traceTest && r.stop == MonodromyStop::Idle;
  if (points) *points = fibre ? r.solutions : reps;
  w.loops = r.loops;
  w.stop = stopName(r.stop);
  w.pathsTracked = r.pathsTracked;
  w.failedPaths = r.failedPaths();
  w.loopCollisions = r.loopCollisions;
  w.nearCollisions = int64_t(r.nearCollisions.size());
  for (int k = 0; k < kPathStatusCount; ++k)
    if (r.statusCounts[size_t(k)]) w.statuses.push_back({statusName(PathStatus(k)), r.statusCounts[size_t(k)]});
  w.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return w;
}

std::vector<WitnessRun> runSeeds(uint64_t seed, bool pointLimit, const std::function<WitnessRun(uint64_t)>& run) {
  std::vector<WitnessRun> runs;
  int complete = 0;
  for (uint64_t k = 0; k < kMaxWitnessRuns && complete < 2; ++k) {
    if (k >= 2 && pointLimit) break;
    runs.push_back(run(seed + k));
    complete += runs.back().complete ? 1 : 0;
  }
  return runs;
}

std::string describe(const WitnessRun& w) {
  char buf[64];
  std::ostringstream out;
  if (w.solutions)
    out << w.solutions << " solutions over " << w.points << " image points (" << w.minGroup
        << (w.minGroup == w.maxGroup ? "" : ".." + std::to_string(w.maxGroup)) << " each)";
  else
    out << w.points << " points";
  out << ", " << w.loops << " loops (stopped " << w.stop << "), " << w.pathsTracked << " paths";
  if (w.retriedPaths) out << " (" << w.retriedPaths << " of them failed or jumped ones tracked again with careful steps)";
  out << ", " << w.failedPaths << " failed";
  for (const auto& [name, count] : w.statuses)
    if (name != std::string("success")) out << " (" << count << " " << name << ")";
  std::snprintf(buf, sizeof buf, "%.1e", w.traceResidual);
  out << ", trace residual " << (w.traceTests ? buf : "not run");
  if (w.repairs) out << " (" << w.repairs << " repair edges into the pencil)";
  if (w.duplicates) out << "; " << w.duplicates << " solutions admitted twice and removed";
  out << ": "
      << (w.complete    ? "complete"
          : w.stagnated ? "no new point in the last loops (stagnation; no trace test for this family)"
                        : "INCOMPLETE (lower bound)");
  if (w.loopCollisions || w.nearCollisions)
    out << "; " << w.loopCollisions << " path jumps, " << w.nearCollisions << " near collisions";
  std::snprintf(buf, sizeof buf, " (%.2f s)", w.seconds);
  return out.str() + buf;
}

FibreThrough fibreThrough(const nag_model& m, int64_t dim, int64_t span, const std::vector<cplx>& T,
                          const WitnessOptions& o) {
  FibreThrough f;
  const int64_t P = m.param_count, K = evaluationPointsFor(m, span);
  ParameterChart chart = randomSlice(P, dim, o.seed);
  chart.base = T;
  Random rng(o.seed * 0xA24BAED4963EE407ull + 0x3D);
  for (cplx& z : chart.start) z = randomComplex(rng);  // θ(z*) = T + E z*: a generic point of the slice
  chart.description = "random affine slice of parameter space of dimension " + std::to_string(dim) + " through T";
  PullbackSystem s(m, chart, K, o.seed);
  f.setup = {dim, span, K, s.coordinates(), s.chart().description};
  WitnessProblem problem = pullbackProblem(m, s, o.seed, true);
  problem.header += " through T";
  std::vector<std::vector<cplx>> solutions;
  f.witness = witnessRun(problem, o, true, &solutions);
  // From b* to b_T on a γ-arc (random gammas: the arc avoids the branch points of the segment).
  const std::vector<cplx> zero(size_t(dim), cplx(0));
  SegmentHomotopy h(s, s.startParameters(), s.offsets(zero.data()), randomUnitComplex(rng), randomUnitComplex(rng));
  TrackerOptions to;
  to.maxSteps = std::max<int64_t>(o.maxSteps, 1) * 2;
  std::vector<PathResult> ends = trackPaths(h, solutions, to);
  f.paths = int64_t(ends.size());
  const std::vector<cplx> yT = s.image(zero.data());
  const double scale = std::max(1.0, norm(yT));
  KeyIndex seen(o.seed + 11, 1e-8);
  f.points.push_back(T);
  seen.insert(T);
  for (const PathResult& e : ends) {
    if (e.status != PathStatus::Success && e.status != PathStatus::Singular) {
      ++f.failed;
      continue;
    }
    std::vector<cplx> y = s.image(e.x.data());
    double gap = 0;
    for (size_t i = 0; i < y.size(); ++i) gap = std::max(gap, std::abs(y[i] - yT[i]));
    const double tolerance = e.status == PathStatus::Success ? 1e-8 : 1e-5;
    if (gap > tolerance * scale) {
      ++f.elsewhere;
      continue;
    }
    if (e.status == PathStatus::Singular) {
      ++f.singularEnds;  // on the fibre, but the slice meets it non-transversally there (e.g. a positive-dimensional
      continue;          // component beyond the symmetries): its point is an estimate, left out of the span
    }
    ++f.regular;
    std::vector<cplx> theta = s.theta(e.x.data());
    KeyIndex::Match hit = seen.nearest(theta);
    if (hit.index >= 0 && hit.distance <= 1e-8) continue;
    seen.insert(theta);
    f.points.push_back(std::move(theta));
  }
  // The numerical tangent span: [dμ_X(θ_1) | ... ] (K·O x P per point), its singular values.
  const int64_t rows = s.coordinates(), cols = P * int64_t(f.points.size());
  std::vector<cplx> stacked(size_t(rows * cols));
  for (size_t p = 0; p < f.points.size(); ++p) {
    std::vector<cplx> J = s.jacobian(f.points[p]);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < P; ++c) stacked[size_t(r * cols + int64_t(p) * P + c)] = J[size_t(r * P + c)];
  }
  std::vector<double> sv(size_t(std::min(rows, cols)));
  std::vector<double> superb(sv.size() + 1);
  std::vector<cplx> none(1);
  if (LAPACKE_zgesvd(LAPACK_ROW_MAJOR, 'N', 'N', lapack_int(rows), lapack_int(cols),
                     reinterpret_cast<lapack_complex_double*>(stacked.data()), lapack_int(cols), sv.data(),
                     reinterpret_cast<lapack_complex_double*>(none.data()), 1,
                     reinterpret_cast<lapack_complex_double*>(none.data()), 1, superb.data()) != 0 ||
      sv.empty() || !(sv[0] > 0))
    return f;
  f.tangentRank = 0;
  for (double v : sv) {
    f.sigma.push_back(v / sv[0]);
    if (v > 1e-8 * sv[0]) ++f.tangentRank;
  }
  f.gap = f.tangentRank < int64_t(sv.size()) ? sv[size_t(f.tangentRank)] / sv[size_t(f.tangentRank - 1)] : 0;
  return f;
}

WitnessRun witnessDegree(const nag_model& m, int64_t dim, int64_t span, const WitnessOptions& o, WitnessSetup& setup) {
  int64_t K = evaluationPointsFor(m, span);
  PullbackSystem s(m, randomSlice(m.param_count, dim, o.seed), K, o.seed);
  setup = {dim, span, K, s.coordinates(), s.chart().description};
  return witnessRun(pullbackProblem(m, s, o.seed, false), o, false);
}

WitnessRun fibrePoints(const nag_model& m, int64_t dim, int64_t span, const WitnessOptions& o, WitnessSetup& setup) {
  Gauge g = diagonalGauge(m);
  if (!g.ok) throw Error("fibre points: " + g.reason);
  int64_t K = evaluationPointsFor(m, span);
  ParameterChart chart = gaugeChart(m, g, o.seed);
  if (chart.k != dim)
    throw Error("fibre points: the gauge leaves " + std::to_string(chart.k) + " coordinates for a variety of dimension " +
                std::to_string(dim) + "; the fibre is positive-dimensional beyond the known symmetries");
  PullbackSystem s(m, chart, K, o.seed);
  setup = {dim, span, K, s.coordinates(), s.chart().description};
  return witnessRun(pullbackProblem(m, s, o.seed, true), o, true);
}

}  // namespace nagrt::numeric
