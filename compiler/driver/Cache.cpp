// Cache.cpp — cache keys, checked cache entries, the cache folder and `nagc cache`.
#include "support/Install.h"
#include "driver/Cache.h"

#include "codegen/Codegen.h"
#include "frontend/Modules.h"
#include "nagrt_output.h"
#include "support/Source.h"

#include <cstdio>
#include <cstdlib>
#include <dirent.h>
#include <fstream>
#include <ostream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

#ifndef NAGC_STDLIB_DIR
#error "NAGC_STDLIB_DIR must be defined by the build"
#endif

namespace nag::driver {

namespace {

constexpr const char* kMagic = "nagc-cache-entry 1";
constexpr const char* kSuffix = ".entry";

bool readFile(const std::string& path, std::string& bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  bytes = ss.str();
  return !in.bad();
}

bool endsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

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
  std::string id = std::string(NAGC_VERSION) + " ";
  for (const std::string& file : {std::string("/proc/self/exe"), codegen::runtimeLibrary()}) {
    struct stat st;
    if (::stat(file.c_str(), &st) == 0)
      id += std::to_string(st.st_size) + "." + std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) +
            "." + std::to_string(st.st_ino) + " ";
  }
  return id;
}

std::string sourceContents(const SourceManager& sources) {
  std::string out;
  for (uint32_t f = 1; f <= sources.fileCount(); ++f) {
    std::string_view text = sources.text(f);
    out += sources.name(f) + "\n" + std::to_string(text.size()) + "\n";
    out.append(text.data(), text.size());
    out += "\n";
  }
  return out;
}

std::string sourceClosure(const std::string& input, const std::vector<std::string>& stdlibPaths, std::string& error) {
  SourceManager sources;
  std::ostringstream messages;
  DiagnosticEngine diags(sources, messages);
  LoadOptions load;
  load.stdlibPaths = stdlibPaths;
  load.stdlibPaths.push_back(installedOr("share/nagc/stdlib", NAGC_STDLIB_DIR));
  try {
    if (!loadProgram(input, sources, diags, load)) {
      error = messages.str();
      return "";
    }
  } catch (const CompilationAborted&) {
    error = messages.str();
    return "";
  }
  return sourceContents(sources);
}

std::string cacheKey(const std::string& material) { return nagrt::sha256Hex(material); }

CacheResult cacheFetch(const std::string& dir, const std::string& key, const std::string& dest, unsigned mode,
                       const std::vector<std::string>& inputs, std::string& note) {
  std::string path = dir + "/" + key + kSuffix, bytes;
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return CacheResult::Miss;
  auto corrupt = [&](const std::string& why) {
    note = "cache entry " + path + " " + why + "; removed, building again";
    ::unlink(path.c_str());
    return CacheResult::Corrupt;
  };
  if (!S_ISREG(st.st_mode)) return corrupt("is not a regular file");
  if (!readFile(path, bytes)) return corrupt("cannot be read");
  // "nagc-cache-entry 1 SHA256 SIZE\n" then SIZE bytes.
  size_t eol = bytes.find('\n');
  std::istringstream header(bytes.substr(0, eol == std::string::npos ? 0 : eol));
  std::string magic1, magic2, hash;
  size_t size = 0;
  if (eol == std::string::npos || !(header >> magic1 >> magic2 >> hash >> size) || magic1 + " " + magic2 != kMagic ||
      hash.size() != 64)
    return corrupt("has no valid header");
  std::string payload = bytes.substr(eol + 1);
  if (payload.size() != size)
    return corrupt("is truncated or extended (" + std::to_string(payload.size()) + " bytes, the header says " +
                   std::to_string(size) + ")");
  if (nagrt::sha256Hex(payload) != hash) return corrupt("does not match its content hash (modified after it was stored)");
  nagrt::OutputOptions o;
  o.mode = mode;
  o.inputs = inputs;
  if (std::string problem = nagrt::writeOutput(dest, payload, o); !problem.empty()) {
    note = problem;
    return CacheResult::Miss;
  }
  return CacheResult::Hit;
}

bool cacheStore(const std::string& dir, const std::string& key, const std::string& from) {
  std::string payload;
  if (dir.empty() || !readFile(from, payload)) return false;
  std::string entry =
      std::string(kMagic) + " " + nagrt::sha256Hex(payload) + " " + std::to_string(payload.size()) + "\n" + payload;
  nagrt::OutputOptions o;
  o.mode = 0644;
  return nagrt::writeOutput(dir + "/" + key + kSuffix, entry, o).empty();
}

int cacheCommand(const std::string& dir, bool clear, std::ostream& out, std::ostream& err) {
  if (dir.empty()) {
    err << "nagc: error: no cache folder can be used (set NAGC_CACHE_DIR)\n";
    return 1;
  }
  DIR* d = ::opendir(dir.c_str());
  if (!d) {
    out << "cache: " << dir << ": empty\n";
    return 0;
  }
  size_t entries = 0, removed = 0, temporaries = 0;
  unsigned long long bytes = 0;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    bool entry = endsWith(name, kSuffix), temporary = name.size() > 1 && name[0] == '.' && name.find(".tmp.") != std::string::npos;
    if (!entry && !temporary) continue;
    struct stat st;
    std::string path = dir + "/" + name;
    if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    (entry ? entries : temporaries) += 1;
    bytes += (unsigned long long)st.st_size;
    if (clear && ::unlink(path.c_str()) == 0) ++removed;
  }
  ::closedir(d);
  if (clear)
    out << "cache: " << dir << ": removed " << removed << " files (" << bytes << " bytes)\n";
  else
    out << "cache: " << dir << "\nentries: " << entries << "\nbytes: " << bytes << "\ntemporary files: " << temporaries
        << "\n";
  return 0;
}

}  // namespace nag::driver
