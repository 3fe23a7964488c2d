// KeyIndex.cpp — nearest stored key by a sorted random projection and a window of guaranteed width.
#include "numeric/KeyIndex.h"

#include "Runtime.h"
#include "numeric/Linear.h"

#include <algorithm>

namespace nagrt::numeric {

KeyIndex::KeyIndex(uint64_t seed, double tolerance) : seed_(seed), tolerance_(tolerance) {
  if (!(tolerance > 0 && tolerance <= 5e-4))
    throw Error("the deduplication tolerance must be in (0, 5e-4], got " + std::to_string(tolerance));
}

double KeyIndex::project(const std::vector<cplx>& key) {
  if (weights_.empty() && !key.empty()) {
    Random rng(seed_ ^ 0x6b657973ull);  // "keys": a stream apart from the loops'
    for (size_t i = 0; i < key.size(); ++i) {
      weights_.push_back(randomComplex(rng));
      weightSum_ += std::abs(weights_.back());
    }
  }
  if (key.size() != weights_.size())
    throw Error("internal error: keys of " + std::to_string(key.size()) + " and " + std::to_string(weights_.size()) +
                " values");
  cplx p = 0;
  for (size_t i = 0; i < key.size(); ++i) p += weights_[i] * key[i];
  return p.real();
}

KeyIndex::Match KeyIndex::nearest(const std::vector<cplx>& key) {
  // |Re w.(a - b)| <= sum|w_i| ||a - b||, and ||a - b|| <= 1000 tol max(1, ||a||, ||b||) with 1000 tol <= 1/2
  // forces max(1, ||b||) <= 2 max(1, ||a||): keys that close project within the window below.
  double p = project(key);
  double window = weightSum_ * kNearFactor * tolerance_ * 2.0 * std::max(1.0, normInf(key.data(), int64_t(key.size())));
  Match best;
  for (auto it = byProjection_.lower_bound(p - window); it != byProjection_.end() && it->first <= p + window; ++it) {
    double d = relativeDistance(key, keys_[it->second]);
    if (d <= kNearFactor * tolerance_ && (best.index < 0 || d < best.distance || (d == best.distance && it->second < best.index)))
      best = Match{it->second, d};
  }
  return best;
}

void KeyIndex::insert(const std::vector<cplx>& key) {
  byProjection_.emplace(project(key), int64_t(keys_.size()));
  keys_.push_back(key);
}

double relativeDistance(const std::vector<cplx>& a, const std::vector<cplx>& b) {
  double gap = 0, size = 1;
  for (size_t i = 0; i < a.size(); ++i) {
    gap = std::max(gap, std::abs(a[i] - b[i]));
    size = std::max({size, std::abs(a[i]), std::abs(b[i])});
  }
  return gap / size;
}

}  // namespace nagrt::numeric
