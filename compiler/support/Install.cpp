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
  // A prefix is an install when it has nagc's stdlib: build/bin/nagc's
  // build/ has a lib/libnagrt.a too, but the one with debug information,
  // not the copy generated programs link.
  static const std::string root = [] {
    std::string p = prefix();
    struct stat st;
    return !p.empty() && ::stat((p + "/share/nagc/stdlib").c_str(), &st) == 0 && S_ISDIR(st.st_mode) ? p
                                                                                                    : std::string();
  }();
  struct stat st;
  if (!root.empty() && ::stat((root + "/" + relative).c_str(), &st) == 0) return root + "/" + relative;
  return buildPath;
}

}  // namespace nag
