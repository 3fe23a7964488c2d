// Cache.cpp — content hashes, the cache folder, atomic copies.
#include "driver/Cache.h"

#include "codegen/Codegen.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace nag::driver {

uint64_t fnv1a(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

std::string cacheDirectory() {
  std::string dir;
  if (const char* d = std::getenv("NAGC_CACHE_DIR"); d && *d) {
    dir = d;
  } else if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) {
    dir = std::string(x) + "/nagc";
  } else if (const char* h = std::getenv("HOME"); h && *h) {
    ::mkdir((std::string(h) + "/.cache").c_str(), 0755);
    dir = std::string(h) + "/.cache/nagc";
  } else {
    return "";
  }
  ::mkdir(dir.c_str(), 0755);
  struct stat st;
  return ::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && ::access(dir.c_str(), W_OK) == 0 ? dir : "";
}

std::string buildIdentity() {
  std::string id;
  for (const std::string& file : {std::string("/proc/self/exe"), codegen::runtimeLibrary()}) {
    struct stat st;
    if (::stat(file.c_str(), &st) == 0)
      id += std::to_string(st.st_size) + "." + std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) + " ";
  }
  return id;
}

bool copyAtomically(const std::string& from, const std::string& to) {
  struct stat st;
  if (::stat(from.c_str(), &st) != 0) return false;
  std::string tmp = to + ".tmp." + std::to_string(::getpid());
  {
    std::ifstream in(from, std::ios::binary);
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << in.rdbuf();
    if (!in || !out) {
      std::remove(tmp.c_str());
      return false;
    }
  }
  ::chmod(tmp.c_str(), st.st_mode & 07777);
  if (std::rename(tmp.c_str(), to.c_str()) != 0) {
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

}  // namespace nag::driver
