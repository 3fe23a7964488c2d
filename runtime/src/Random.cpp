// Random.cpp — SplitMix64, the documented generator behind random:SEED.
#include "Runtime.h"

namespace nagrt {

uint64_t Random::next64() {
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

uint64_t streamState(uint64_t seed, uint64_t salt) {
  Random first(seed);
  Random second(first.next64() ^ salt);
  return second.next64();
}

double Random::uniform() { return double(next64() >> 11) * 0x1.0p-53 * 2.0 - 1.0; }

}  // namespace nagrt
