// Install.cpp — nagc's files relative to its executable (an installed prefix) or in the build tree.
#include "support/Install.h"

#include <climits>
#include <sys/stat.h>
#include <unistd.h>

namespace nag {

namespace {

// PREFIX of PREFIX/bin/nagc, from /proc/self/exe (symlinks resolved); "" when unknown.
std::string prefix() {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "";
  std::string exe(buf, size_t(n));
  size_t slash = exe.rfind('/');
  if (slash == std::string::npos) return "";
  std::string bin = exe.substr(0, slash);
  slash = bin.rfind('/');
  if (slash == std::string::npos || bin.substr(slash + 1) != "bin") return "";
  return bin.substr(0, slash);
}

}  // namespace

std::string installedOr(const std::string& relative, const std::string& buildPath) {
  static const std::string root = prefix();
  struct stat st;
  // build/bin/nagc has no build/share/nagc or build/lib/libnagrt.a... but
  // only files that an install puts there are asked for.
  if (!root.empty() && ::stat((root + "/" + relative).c_str(), &st) == 0) return root + "/" + relative;
  return buildPath;
}

}  // namespace nag
