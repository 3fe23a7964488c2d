// Output.cpp — the one way outputs are written: atomic for regular files, through for devices, never over an input.
#include "nagrt_output.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace nagrt {

namespace {

std::string dirName(const std::string& p) {
  size_t slash = p.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : p.substr(0, slash);
}

std::string baseName(const std::string& p) {
  size_t slash = p.find_last_of('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

// Follows symbolic links from `path` to what they finally name (which may not
// exist yet); the rename goes there, so the links themselves are kept.
std::string resolveLinks(const std::string& path) {
  std::string p = path;
  for (int hops = 0; hops < 40; ++hops) {
    struct stat st;
    if (::lstat(p.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) break;
    std::vector<char> buf(size_t(st.st_size > 0 ? st.st_size : 255) + 2);
    ssize_t n = ::readlink(p.c_str(), buf.data(), buf.size() - 1);
    if (n <= 0) break;
    std::string target(buf.data(), size_t(n));
    p = target[0] == '/' ? target : dirName(p) + "/" + target;
  }
  return p;
}

bool kernelName(const std::string& p) { return p.rfind("/dev/", 0) == 0 || p.rfind("/proc/", 0) == 0; }

// Outputs that are written through: anything that exists and is not a
// regular file, and the kernel's names under /dev and /proc, given or reached
// through symlinks (/dev/stdout is a symlink to /proc/self/fd/1, which may
// name a regular file the shell opened: replacing that file would leave the
// shell's descriptor on the old one).
bool writesThrough(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) return true;
  std::string p = path;
  for (int hops = 0; hops < 40; ++hops) {
    if (kernelName(p)) return true;
    if (::lstat(p.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return false;
    std::vector<char> buf(size_t(st.st_size > 0 ? st.st_size : 255) + 2);
    ssize_t n = ::readlink(p.c_str(), buf.data(), buf.size() - 1);
    if (n <= 0) return false;
    std::string target(buf.data(), size_t(n));
    p = target[0] == '/' ? target : dirName(p) + "/" + target;
  }
  return false;
}

unsigned currentUmask() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("Umask:", 0) == 0) return unsigned(std::strtoul(line.c_str() + 6, nullptr, 8));
  return 022;
}

std::string failure(const std::string& path, int err) { return "cannot write '" + path + "': " + std::strerror(err); }

bool writeAll(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += size_t(n);
  }
  return true;
}

std::string writeThrough(const std::string& path, const std::string& bytes) {
  // The standard streams under their /dev or /proc names: write to the
  // descriptor itself, keeping its offset (and an append mode) as they are.
  struct stat target;
  if (::stat(path.c_str(), &target) == 0)
    for (int fd : {1, 2}) {
      struct stat st;
      if (::fstat(fd, &st) == 0 && st.st_dev == target.st_dev && st.st_ino == target.st_ino) {
        std::fflush(fd == 1 ? stdout : stderr);
        return writeAll(fd, bytes) ? "" : failure(path, errno);
      }
    }
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return failure(path, errno);
  bool ok = writeAll(fd, bytes);
  int err = errno;
  ok = ::close(fd) == 0 && ok;
  return ok ? "" : failure(path, err ? err : EIO);
}

std::string readWhole(const std::string& path, bool& ok) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  ok = bool(in) || in.eof();
  return ss.str();
}

// A fresh temporary file next to `target`; "" when none can be made.
std::string makeTemporary(const std::string& dir, const std::string& base, int& fd) {
  std::string pattern = dir + "/." + base + ".tmp.XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  fd = ::mkstemp(buf.data());
  return fd < 0 ? "" : std::string(buf.data());
}

// Makes `tmp` durable with the requested mode and renames it onto `target`;
// removes it on failure.
std::string commit(const std::string& path, const std::string& tmp, const std::string& target, const OutputOptions& o) {
  int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
  bool ok = fd >= 0 && ::fsync(fd) == 0 && ::fchmod(fd, o.mode & ~currentUmask() & 07777) == 0;
  int err = errno;
  if (fd >= 0) ::close(fd);
  if (ok && ::rename(tmp.c_str(), target.c_str()) != 0) {
    ok = false;
    err = errno;
  }
  if (!ok) {
    ::unlink(tmp.c_str());
    return failure(path, err);
  }
  int dir = ::open(dirName(target).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return "";
}

}  // namespace

std::string checkNotAnInput(const std::string& path, const std::vector<std::string>& inputs) {
  struct stat out;
  if (::stat(path.c_str(), &out) != 0) return "";
  for (const std::string& in : inputs) {
    struct stat st;
    if (!in.empty() && in != "-" && ::stat(in.c_str(), &st) == 0 && st.st_dev == out.st_dev && st.st_ino == out.st_ino)
      return "refusing to write '" + path + "': it is the input '" + in + "' (the same file); choose another output";
  }
  return "";
}

std::string writeOutput(const std::string& path, const std::string& bytes, const OutputOptions& o) {
  return writeOutputWith(
      path,
      [&](const std::string& tmp) -> std::string {
        int fd = ::open(tmp.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
        if (fd < 0) return failure(path, errno);
        bool ok = writeAll(fd, bytes);
        int err = errno;
        ok = ::close(fd) == 0 && ok;
        return ok ? "" : failure(path, err ? err : EIO);
      },
      o);
}

std::string writeOutputWith(const std::string& path, const std::function<std::string(const std::string&)>& produce,
                            const OutputOptions& o) {
  if (path.empty()) return "no output file given";
  if (std::string problem = checkNotAnInput(path, o.inputs); !problem.empty()) return problem;
  int fd = -1;
  if (writesThrough(path)) {
    const char* t = std::getenv("TMPDIR");
    std::string tmp = makeTemporary(t && *t ? t : "/tmp", "nagc-out", fd);
    if (tmp.empty()) return failure(path, errno);
    ::close(fd);
    std::string problem = produce(tmp);
    bool ok = true;
    std::string bytes = problem.empty() ? readWhole(tmp, ok) : "";
    ::unlink(tmp.c_str());
    if (!problem.empty()) return problem;
    if (!ok) return failure(path, EIO);
    return writeThrough(path, bytes);
  }
  std::string target = resolveLinks(path);
  std::string tmp = makeTemporary(dirName(target), baseName(target), fd);
  if (tmp.empty()) return failure(path, errno);
  ::close(fd);
  std::string problem;
  try {
    problem = produce(tmp);
  } catch (...) {
    ::unlink(tmp.c_str());
    throw;
  }
  if (!problem.empty()) {
    ::unlink(tmp.c_str());
    return problem;
  }
  return commit(path, tmp, target, o);
}

}  // namespace nagrt
