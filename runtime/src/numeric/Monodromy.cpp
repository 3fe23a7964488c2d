// Monodromy.cpp — monodromySolve: a graph of parameter points whose arcs track every solution once, deduplication by key.
#include "numeric/Monodromy.h"

#include "Runtime.h"
#include "nag_runtime.h"
#include "numeric/KeyIndex.h"
#include "numeric/Linear.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <string>

namespace nagrt::numeric {

namespace {

// One wave's work for the threads: path k starts at solution `source[k]` of node `from[k]` and follows edge
// `edge[k]`; its endpoint and how it ended.
struct Wave {
  const std::vector<std::vector<cplx>>* starts;
  const std::vector<int64_t>* edgeOf;
  const std::vector<SegmentHomotopy>* arcs;
  const TrackerOptions* tracker;
  std::vector<PathResult> results;
};

void runWave(void* ctx, int64_t begin, int64_t end) {
  Wave& wave = *static_cast<Wave*>(ctx);
  for (int64_t k = begin; k < end; ++k)
    wave.results[size_t(k)] = trackPath((*wave.arcs)[size_t((*wave.edgeOf)[size_t(k)])],
                                        (*wave.starts)[size_t(k)].data(), *wave.tracker);
}

// A random parameter point: scale times 10^(u decades), u uniform on [0, 1], times a complex number per parameter
// with parts uniform on [-1, 1).
std::vector<cplx> randomPoint(Random& rng, int64_t p, double scale, double decades) {
  std::vector<cplx> q(p);
  double radius = scale * std::pow(10.0, decades * 0.5 * (rng.uniform() + 1.0));
  for (cplx& v : q) v = radius * randomComplex(rng);
  return q;
}

// The graph of a run: node parameters, solutions and key indices (node 0 is q0 and holds r.solutions).
class Graph {
public:
  Graph(const std::vector<cplx>& q0, MonodromyResult& r, const MonodromyOptions& o, const KeyFn& key)
      : q0_(q0), r_(r), o_(o), key_(key) {}

  std::vector<cplx>& parameters(int64_t node) { return node == 0 ? q0_ : r_.nodes[size_t(node - 1)]; }
  std::vector<std::vector<cplx>>& solutions(int64_t node) {
    return node == 0 ? r_.solutions : r_.nodeSolutions[size_t(node - 1)];
  }
  int64_t nodes() const { return 1 + int64_t(r_.nodes.size()); }

  /// Rebuilds the key indices from the solutions (a fresh or resumed run).
  void index() {
    indices_.clear();
    for (int64_t v = 0; v < nodes(); ++v) {
      indices_.emplace_back(o_.seed + 7919 * uint64_t(v), o_.tolerance);
      for (const std::vector<cplx>& x : solutions(v)) indices_.back().insert(keyOf(x));
    }
  }

  /// Adds x to node v unless its key is known there; records near collisions at q0. The index of the solution x is.
  /// An endpoint of condition number c is accurate to about c·eps only: keys within 10·c·eps (at most 5e-6, inside
  /// KeyIndex's window) are one solution too (measured: at degree 5760, two ill-conditioned points admitted twice
  /// at the fixed 1e-8 made 5762 points and voided every trace test).
  int64_t admit(int64_t v, const std::vector<cplx>& x, double condition = 1.0) {
    std::vector<cplx> k = keyOf(x);
    KeyIndex& index = indices_[size_t(v)];
    KeyIndex::Match m = index.nearest(k);
    const double tol = std::max(o_.tolerance, std::min(5e-6, 10 * 2.2e-16 * condition));
    if (m.index >= 0 && m.distance <= tol) return m.index;
    int64_t added = index.size();
    if (m.index >= 0 && v == 0) r_.nearCollisions.push_back(NearCollision{m.index, added, m.distance});
    index.insert(k);
    solutions(v).push_back(x);
    return added;
  }

  /// A new node, joined both ways to q0 and to the previous node (if any): at the next of options.firstNodes, or
  /// at a random point once they are used.
  void addNode(Random& rng, double scale) {
    const int64_t p = int64_t(q0_.size());
    const int64_t v = nodes();
    if (r_.loops < int64_t(o_.firstNodes.size())) r_.nodes.push_back(o_.firstNodes[size_t(r_.loops)]);
    else r_.nodes.push_back(randomPoint(rng, p, scale, o_.radiusDecades));
    r_.nodeSolutions.emplace_back();
    indices_.emplace_back(o_.seed + 7919 * uint64_t(v), o_.tolerance);
    // Joined to q0 and to the previous node (a chain of loops through q0); with given first nodes (the trace
    // test's pencil) to one of those in turn instead, so that they keep getting arcs from fresh directions.
    std::vector<int64_t> neighbours{0};
    const int64_t given = int64_t(o_.firstNodes.size());
    if (v >= 2) neighbours.push_back(given >= 2 && v > given ? 1 + (v - given - 1) % given : v - 1);
    for (int64_t u : neighbours) {
      addEdge(u, v, rng);
      addEdge(v, u, rng);
    }
    ++r_.loops;
  }

  /// An arc from node a to node b with random unit gammas (none of its source's solutions tracked yet).
  void addEdge(int64_t a, int64_t b, Random& rng) {
    MonodromyEdge e;
    e.from = a;
    e.to = b;
    e.g0 = randomUnitComplex(rng);
    e.g1 = randomUnitComplex(rng);
    r_.edges.push_back(std::move(e));
  }

  /// At a closure after which q0's count did not grow: a repair edge for each of options.repairNodes whose count
  /// differs from q0's (from q0 when it has fewer, to q0 when it has more), while repairs last. Whether any was added.
  bool repair(Random& rng) {
    bool added = false;
    const int64_t n0 = int64_t(r_.solutions.size());
    // While q0's count still grows, new nodes are the better use of paths: they find q0's missing points, and a
    // repair edge now would be spent before the counts could settle.
    if (n0 != r_.lastCount) return false;
    for (int64_t v : o_.repairNodes) {
      if (v <= 0 || v >= nodes() || r_.repairs >= o_.maxRepairs) continue;
      const int64_t nv = int64_t(solutions(v).size());
      if (nv == n0) continue;
      // A node whose last repair (at this q0 count) gained nothing gets no more: its missing points are not a
      // matter of gammas.
      auto last = repaired_.find(v);
      if (last != repaired_.end() && last->second.first == n0 && last->second.second == nv) continue;
      repaired_[v] = {n0, nv};
      if (nv < n0) addEdge(0, v, rng);
      else addEdge(v, 0, rng);
      ++r_.repairs;
      added = true;
    }
    return added;
  }

  std::vector<cplx> keyOf(const std::vector<cplx>& x) const { return key_ ? key_(x.data()) : x; }

  /// Removes solution idx of node v (a duplicate of another): the edges' counts and hits follow, the index is
  /// rebuilt.
  void remove(int64_t v, int64_t idx) {
    std::vector<std::vector<cplx>>& s = solutions(v);
    s.erase(s.begin() + idx);
    for (MonodromyEdge& e : r_.edges) {
      if (e.from == v && idx < e.done) --e.done;
      if (e.to == v && idx < int64_t(e.hit.size())) e.hit.erase(e.hit.begin() + idx);
    }
    KeyIndex fresh(o_.seed + 7919 * uint64_t(v), o_.tolerance);
    for (const std::vector<cplx>& x : s) fresh.insert(keyOf(x));
    indices_[size_t(v)] = std::move(fresh);
  }

private:
  std::vector<cplx> q0_;
  MonodromyResult& r_;
  const MonodromyOptions& o_;
  const KeyFn& key_;
  std::vector<KeyIndex> indices_;
  std::map<int64_t, std::pair<int64_t, int64_t>> repaired_;  ///< node -> (q0's count, its count) at its last repair
};

}  // namespace

MonodromyResult monodromySolve(const ParametricSystem& system, const std::vector<cplx>& q0,
                               const std::vector<std::vector<cplx>>& start, const MonodromyOptions& options,
                               const KeyFn& key) {
  const int64_t n = system.unknowns(), p = system.parameters();
  if (int64_t(q0.size()) != p)
    throw Error("internal error: monodromySolve got " + std::to_string(q0.size()) + " parameters, the system has " +
                std::to_string(p));
  MonodromyResult r;
  Graph graph(q0, r, options, key);
  Random rng(options.seed);
  const double scale = std::max(1.0, normInf(q0.data(), p));
  if (options.resume) {
    static_cast<MonodromyCheckpoint&>(r) = *options.resume;
    rng = Random(r.rngState);
    graph.index();
  } else {
    graph.index();
    for (const std::vector<cplx>& x : start) {
      if (int64_t(x.size()) != n)
        throw Error("internal error: a start solution has " + std::to_string(x.size()) + " values, the system " +
                    std::to_string(n) + " unknowns");
      graph.admit(0, x);
    }
    // The triangle q0, q1, q2 with its six arcs (one node and its two arcs under a loop limit of 1).
    for (int64_t v = 0; v < std::min<int64_t>(2, std::max<int64_t>(options.maxLoops, 1)); ++v) graph.addNode(rng, scale);
    r.rngState = rng.state();
  }
  auto full = [&] { return options.maxSolutions > 0 && int64_t(r.solutions.size()) >= options.maxSolutions; };
  // Which start reached solution j of an edge's target first, for retracking it when a second path lands there
  // (this run only: a resumed run knows the hits, not their starts).
  std::map<std::pair<int64_t, int64_t>, std::vector<cplx>> hitBy;
  for (;;) {
    if (full()) {
      r.stop = MonodromyStop::SolutionLimit;
      break;
    }
    if (r.solutions.empty()) {
      r.stop = MonodromyStop::Idle;
      break;
    }
    if (r.closed) {
      if (r.loops >= options.maxLoops) {
        r.stop = MonodromyStop::LoopLimit;
        break;
      }
      graph.addNode(rng, scale);
      r.rngState = rng.state();
      r.closed = false;
      if (options.checkpoint) options.checkpoint(r);
      continue;
    }
    // One wave: every pending path of every edge, in parallel; endpoints admitted serially in task order, so the
    // result does not depend on the threads.
    std::vector<std::vector<cplx>> starts;  // copies: admitting endpoints appends to the nodes' vectors
    std::vector<int64_t> edgeOf;
    std::vector<SegmentHomotopy> arcs;
    arcs.reserve(r.edges.size());
    for (const MonodromyEdge& e : r.edges)
      arcs.emplace_back(system, graph.parameters(e.from), graph.parameters(e.to), e.g0, e.g1);
    for (size_t i = 0; i < r.edges.size(); ++i) {
      MonodromyEdge& e = r.edges[i];
      const std::vector<std::vector<cplx>>& from = graph.solutions(e.from);
      for (int64_t k = e.done; k < int64_t(from.size()); ++k) {
        starts.push_back(from[size_t(k)]);
        edgeOf.push_back(int64_t(i));
      }
      e.done = int64_t(from.size());
    }
    if (starts.empty()) {
      // Closed. Nodes whose counts differ from q0's get repair edges first; then the caller's test or the idle
      // rule (q0's count since the last closure) decides.
      if (graph.repair(rng)) {
        r.rngState = rng.state();
        continue;
      }
      r.closed = true;
      bool found = int64_t(r.solutions.size()) > r.lastCount;
      r.idleLoops = found ? 0 : r.idleLoops + 1;
      r.lastCount = int64_t(r.solutions.size());
      if (options.checkpoint) options.checkpoint(r);
      if (options.onClosure) {
        ClosureVerdict verdict = options.onClosure(r);
        if (verdict == ClosureVerdict::Complete || verdict == ClosureVerdict::Stop) {
          r.stop = verdict == ClosureVerdict::Complete ? MonodromyStop::Complete : MonodromyStop::TestLimit;
          break;
        }
      } else if (r.idleLoops >= options.idleLoops) {
        r.stop = MonodromyStop::Idle;
        break;
      }
      continue;
    }
    Wave wave{&starts, &edgeOf, &arcs, &options.tracker, std::vector<PathResult>(starts.size())};
    nagrt_parallel_for(int64_t(starts.size()), runWave, &wave);
    // A failed path (a near-singular passage in double precision) is tracked again along its arc with careful
    // steps: its endpoint, if it arrives, is the one the first attempt missed.
    {
      std::vector<int64_t> failed;
      for (size_t k = 0; k < starts.size(); ++k)
        if (wave.results[k].status != PathStatus::Success) failed.push_back(int64_t(k));
      if (!failed.empty()) {
        const TrackerOptions careful = carefulOptions(options.tracker);
        std::vector<std::vector<cplx>> again;
        std::vector<int64_t> againEdge;
        for (int64_t k : failed) {
          again.push_back(starts[size_t(k)]);
          againEdge.push_back(edgeOf[size_t(k)]);
          ++r.statusCounts[int(wave.results[size_t(k)].status)];
          ++r.pathsTracked;
        }
        Wave retry{&again, &againEdge, &arcs, &careful, std::vector<PathResult>(again.size())};
        nagrt_parallel_for(int64_t(again.size()), runWave, &retry);
        for (size_t i = 0; i < failed.size(); ++i) wave.results[size_t(failed[i])] = std::move(retry.results[i]);
        r.retriedPaths += int64_t(failed.size());
      }
    }
    // Endpoints are admitted serially in task order. Two paths of one edge that end at one solution mean that one
    // of them jumped (an edge maps its source's solutions injectively): both are tracked again with careful steps,
    // and their endpoints admitted in turn (the one that jumped now lands where it belongs).
    std::vector<std::vector<cplx>> jumpStarts;
    std::vector<int64_t> jumpEdges;
    std::vector<std::pair<int64_t, std::vector<cplx>>> duplicates;  // (node, solution) found twice at a source
    auto admitEnd = [&](int64_t edge, const std::vector<cplx>& start, const PathResult& res, bool retryJumps) {
      ++r.statusCounts[int(res.status)];
      ++r.pathsTracked;
      if (res.status != PathStatus::Success) return;
      // Every endpoint is admitted, also past maxSolutions: a checkpoint of a run stopped there resumes with
      // nothing lost.
      MonodromyEdge& e = r.edges[size_t(edge)];
      int64_t j = graph.admit(e.to, res.x, std::isfinite(res.condition) ? res.condition : 1e10);
      if (j >= int64_t(e.hit.size())) e.hit.resize(size_t(j + 1), 0);
      auto earlier = hitBy.find({edge, j});
      if (e.hit[size_t(j)]) {
        ++r.loopCollisions;  // two paths of one edge went to one solution: a path jumped
        // Tracked again with careful steps, both still end at j: when their sources' keys agree to 1e-4 (beyond the
        // admission tolerance, which an ill-conditioned key can miss), they are one solution admitted twice at the
        // source, and every edge out of it would make the same collision; the second is removed.
        if (!retryJumps && earlier != hitBy.end()) {
          std::vector<cplx> a = graph.keyOf(start), b = graph.keyOf(earlier->second);
          double gap = 0, size = 1;
          for (size_t i = 0; i < a.size(); ++i) {
            gap = std::max(gap, std::abs(a[i] - b[i]));
            size = std::max(size, std::abs(b[i]));
          }
          if (gap <= 1e-4 * size && start != earlier->second) duplicates.push_back({e.from, start});
        }
        if (retryJumps) {
          jumpStarts.push_back(start);
          jumpEdges.push_back(edge);
          if (earlier != hitBy.end()) {
            jumpStarts.push_back(earlier->second);
            jumpEdges.push_back(edge);
          }
        }
      }
      e.hit[size_t(j)] = 1;
      if (earlier == hitBy.end()) hitBy.emplace(std::make_pair(edge, j), start);
    };
    for (size_t k = 0; k < starts.size(); ++k) admitEnd(edgeOf[k], starts[k], wave.results[k], true);
    if (!jumpStarts.empty()) {
      const TrackerOptions careful = carefulOptions(options.tracker);
      Wave again{&jumpStarts, &jumpEdges, &arcs, &careful, std::vector<PathResult>(jumpStarts.size())};
      nagrt_parallel_for(int64_t(jumpStarts.size()), runWave, &again);
      std::vector<std::vector<cplx>> s2 = jumpStarts;
      std::vector<int64_t> e2 = jumpEdges;
      for (size_t k = 0; k < s2.size(); ++k) admitEnd(e2[k], s2[k], again.results[k], false);
      for (const auto& [node, x] : duplicates) {
        std::vector<std::vector<cplx>>& at = graph.solutions(node);
        auto it = std::find(at.begin(), at.end(), x);
        if (it == at.end()) continue;  // removed already (found on several edges)
        graph.remove(node, int64_t(it - at.begin()));
        ++r.duplicatesRemoved;
        hitBy.clear();  // its indices shifted
      }
      r.retriedPaths += int64_t(s2.size());
    }
    ++r.waves;
    if (options.progress) options.progress(int64_t(r.solutions.size()), r.loops);
    if (options.checkpoint) options.checkpoint(r);
  }
  return r;
}

}  // namespace nagrt::numeric
