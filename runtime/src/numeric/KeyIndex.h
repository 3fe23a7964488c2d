// KeyIndex.h — finds, among stored keys (complex vectors), the nearest to a new one, without comparing them all.
#pragma once

#include "numeric/Homotopy.h"

#include <map>
#include <vector>

namespace nagrt::numeric {

/// Keys sorted by a random real projection: only keys whose projection lies in a window around the query's can
/// be within 1000 * tolerance of it. Distances are relative: ||a - b|| / max(1, ||a||, ||b||), max-norms.
class KeyIndex {
public:
  /// The projection comes from seed; tolerance must be at most 5e-4 (so that the window argument holds).
  KeyIndex(uint64_t seed, double tolerance);

  /// The stored key nearest to `key` among those within 1000 * tolerance.
  struct Match {
    int64_t index = -1;  ///< -1 when none is that close
    double distance = 0;
  };
  Match nearest(const std::vector<cplx>& key);
  /// Stores key under the next index (0, 1, ...).
  void insert(const std::vector<cplx>& key);
  int64_t size() const { return int64_t(keys_.size()); }

  /// The window factor: near collisions are closer than this times the tolerance.
  static constexpr double kNearFactor = 1000.0;

private:
  uint64_t seed_;
  double tolerance_;
  std::vector<cplx> weights_;  ///< drawn when the first key shows the key length
  double weightSum_ = 0;       ///< sum |w_i|
  std::vector<std::vector<cplx>> keys_;
  std::multimap<double, int64_t> byProjection_;

  double project(const std::vector<cplx>& key);
};

/// ||a - b||_inf / max(1, ||a||_inf, ||b||_inf).
double relativeDistance(const std::vector<cplx>& a, const std::vector<cplx>& b);

}  // namespace nagrt::numeric
