// TrackPaths.cpp — many paths on all cores, the multiplicities of shared singular endpoints, total-degree solving.
#include "numeric/Tracker.h"

#include "Runtime.h"
#include "nag_runtime.h"
#include "numeric/KeyIndex.h"

#include <algorithm>

namespace nagrt::numeric {

namespace {

// Two singular endpoints this close (relative) are the same point: the Cauchy estimates are good to ~1e-8.
constexpr double kSameSingularPoint = 1e-6;

struct Batch {
  const Homotopy* h;
  const StartFn* start;
  const TrackerOptions* options;
  std::vector<PathResult>* results;
};

void trackRange(void* ctx, int64_t begin, int64_t end) {
  const Batch& b = *static_cast<const Batch*>(ctx);
  std::vector<cplx> x(b.h->size());
  for (int64_t k = begin; k < end; ++k) {
    (*b.start)(k, x.data());
    (*b.results)[k] = trackPath(*b.h, x.data(), *b.options);
  }
}

// Groups the singular endpoints (in path order, so the grouping does not depend on threads) and sets each one's
// multiplicity to the size of its group.
void countMultiplicities(std::vector<PathResult>& results) {
  std::vector<int64_t> singular;
  for (int64_t k = 0; k < int64_t(results.size()); ++k)
    if (results[k].status == PathStatus::Singular) singular.push_back(k);
  std::vector<int64_t> group(singular.size(), -1), sizes;
  for (size_t a = 0; a < singular.size(); ++a) {
    if (group[a] >= 0) continue;
    group[a] = int64_t(sizes.size());
    sizes.push_back(1);
    const std::vector<cplx>& p = results[singular[a]].x;
    for (size_t b = a + 1; b < singular.size(); ++b) {
      if (group[b] >= 0) continue;
      if (relativeDistance(p, results[singular[b]].x) <= kSameSingularPoint) {
        group[b] = group[a];
        ++sizes.back();
      }
    }
  }
  for (size_t a = 0; a < singular.size(); ++a) results[singular[a]].multiplicity = sizes[group[a]];
}

}  // namespace

std::vector<PathResult> trackPaths(const Homotopy& h, int64_t count, const StartFn& start,
                                   const TrackerOptions& options) {
  std::vector<PathResult> results(count);
  Batch batch{&h, &start, &options, &results};
  nagrt_parallel_for(count, trackRange, &batch);
  countMultiplicities(results);
  return results;
}

std::vector<PathResult> trackPaths(const Homotopy& h, const std::vector<std::vector<cplx>>& starts,
                                   const TrackerOptions& options) {
  for (const std::vector<cplx>& s : starts)
    if (int64_t(s.size()) != h.size())
      throw Error("internal error: a start point has " + std::to_string(s.size()) + " values, the homotopy " +
                  std::to_string(h.size()));
  StartFn start = [&](int64_t k, cplx* x) { std::copy(starts[k].begin(), starts[k].end(), x); };
  return trackPaths(h, int64_t(starts.size()), start, options);
}

std::vector<PathResult> solveTotalDegree(const std::vector<int>& degrees, const PolynomialFn& f, uint64_t seed,
                                         const TrackerOptions& options) {
  Random rng(seed);
  TotalDegreeHomotopy h(degrees, f, randomUnitComplex(rng));
  StartFn start = [&](int64_t k, cplx* x) { h.startSolution(k, x); };
  return trackPaths(h, h.pathCount(), start, options);
}

}  // namespace nagrt::numeric
