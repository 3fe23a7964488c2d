// Memory.cpp — how much memory this process can really use (RAM, rlimits, cgroup).
#include "Runtime.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

namespace nagrt {
namespace {

constexpr uint64_t kUnlimited = std::numeric_limits<uint64_t>::max();

// The number in a one-line cgroup file; kUnlimited for "max", a missing file
// or cgroup v1's "no limit" (a value near 2^63).
uint64_t readLimitFile(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text) || text == "max") return kUnlimited;
  try {
    unsigned long long v = std::stoull(text);
    return v >= (uint64_t(1) << 62) ? kUnlimited : uint64_t(v);
  } catch (...) {
    return kUnlimited;
  }
}

// The least limit on `file` in `root`/`path` and each of its ancestors up to
// `root` itself (a parent's limit binds its children too). Inside a cgroup
// namespace the path may not exist under the mount; the root's file still does.
uint64_t cgroupLimit(const std::string& root, std::string path, const std::string& file) {
  uint64_t least = kUnlimited;
  for (;;) {
    least = std::min(least, readLimitFile(root + path + "/" + file));
    if (path.empty() || path == "/") break;
    size_t slash = path.rfind('/');
    path = slash == std::string::npos ? "" : path.substr(0, slash);
  }
  return least;
}

// The memory limit of this process's cgroups, v2 ("0::PATH") and v1
// ("N:...memory...:PATH").
uint64_t cgroupMemoryLimit() {
  uint64_t least = kUnlimited;
  std::ifstream in("/proc/self/cgroup");
  std::string line;
  bool sawV2 = false;
  while (std::getline(in, line)) {
    size_t a = line.find(':'), b = a == std::string::npos ? a : line.find(':', a + 1);
    if (b == std::string::npos) continue;
    std::string controllers = line.substr(a + 1, b - a - 1), path = line.substr(b + 1);
    if (line.compare(0, a, "0") == 0 && controllers.empty()) {
      sawV2 = true;
      least = std::min(least, cgroupLimit("/sys/fs/cgroup", path, "memory.max"));
      least = std::min(least, cgroupLimit("/sys/fs/cgroup/unified", path, "memory.max"));
    }
    std::stringstream list(controllers);
    for (std::string c; std::getline(list, c, ',');)
      if (c == "memory") least = std::min(least, cgroupLimit("/sys/fs/cgroup/memory", path, "memory.limit_in_bytes"));
  }
  if (!sawV2) least = std::min(least, readLimitFile("/sys/fs/cgroup/memory.max"));
  return least;
}

// A soft resource limit less `used` bytes; kUnlimited when there is none.
uint64_t rlimitLeft(int resource, uint64_t used) {
  struct rlimit rl {};
  if (getrlimit(resource, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return kUnlimited;
  return uint64_t(rl.rlim_cur) > used ? uint64_t(rl.rlim_cur) - used : 0;
}

}  // namespace

uint64_t availableMemoryBytes() {
  uint64_t page = uint64_t(sysconf(_SC_PAGESIZE));
  long pages = sysconf(_SC_PHYS_PAGES);
  uint64_t least = pages > 0 ? uint64_t(pages) * page : kUnlimited;
  // /proc/self/statm: total program size and data + stack, in pages.
  uint64_t size = 0, resident = 0, shared = 0, text = 0, lib = 0, data = 0;
  std::ifstream statm("/proc/self/statm");
  statm >> size >> resident >> shared >> text >> lib >> data;
  least = std::min(least, rlimitLeft(RLIMIT_AS, size * page));
  least = std::min(least, rlimitLeft(RLIMIT_DATA, data * page));
  // The cgroup's limit is read once per process (five files here; a `dim` asks 13 times, and the reads were 5% of a
  // small one); the rlimits and this process's size are current.
  static const uint64_t cgroup = cgroupMemoryLimit();
  least = std::min(least, cgroup);
  return least;
}

}  // namespace nagrt
