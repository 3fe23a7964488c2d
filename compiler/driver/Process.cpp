// Process.cpp — fork/exec with a process group, a time limit, and both outputs collected.
#include "driver/Process.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace nag::driver {

namespace {

// The process groups runProcess has started and not yet reaped (0: a free
// slot), for the signal handler; lock-free so that it is async-signal-safe.
constexpr size_t kSlots = 1024;
std::atomic<pid_t> groups[kSlots];

void remember(pid_t pid) {
  for (auto& g : groups) {
    pid_t none = 0;
    if (g.compare_exchange_strong(none, pid)) return;
  }
}

void forget(pid_t pid) {
  for (auto& g : groups) {
    pid_t mine = pid;
    if (g.compare_exchange_strong(mine, 0)) return;
  }
}

struct sigaction previous[3];
const int kStopSignals[3] = {SIGINT, SIGTERM, SIGHUP};

extern "C" void stopGroups(int sig) {
  for (auto& g : groups)
    if (pid_t pid = g.load(); pid > 0) ::kill(-pid, SIGKILL);
  for (int k = 0; k < 3; ++k)
    if (kStopSignals[k] == sig) ::sigaction(sig, &previous[k], nullptr);
  ::raise(sig);
}

void drain(int& fd, std::string& into) {
  char buf[65536];
  ssize_t n = ::read(fd, buf, sizeof buf);
  if (n > 0) {
    into.append(buf, size_t(n));
  } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
    ::close(fd);
    fd = -1;
  }
}

}  // namespace

ForwardStopSignals::ForwardStopSignals() {
  struct sigaction sa {};
  sa.sa_handler = stopGroups;
  sigemptyset(&sa.sa_mask);
  for (int k = 0; k < 3; ++k) ::sigaction(kStopSignals[k], &sa, &previous[k]);
}

ForwardStopSignals::~ForwardStopSignals() {
  for (int k = 0; k < 3; ++k) ::sigaction(kStopSignals[k], &previous[k], nullptr);
}

ProcessResult runProcess(const std::vector<std::string>& argv, double timeout, const std::string& tmpdir) {
  ProcessResult r;
  // Everything the child needs is built before fork: after it, in a
  // threaded process, the child may only make async-signal-safe calls.
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::string tmpEnv = "TMPDIR=" + tmpdir;
  std::vector<char*> env;
  for (char** e = environ; *e; ++e)
    if (tmpdir.empty() || std::strncmp(*e, "TMPDIR=", 7) != 0) env.push_back(*e);
  if (!tmpdir.empty()) env.push_back(const_cast<char*>(tmpEnv.c_str()));
  env.push_back(nullptr);
  int outPipe[2], errPipe[2];
  if (::pipe2(outPipe, O_CLOEXEC) != 0) {
    r.status = -2;
    r.err = std::string("cannot make a pipe: ") + std::strerror(errno);
    return r;
  }
  if (::pipe2(errPipe, O_CLOEXEC) != 0) {
    ::close(outPipe[0]);
    ::close(outPipe[1]);
    r.status = -2;
    r.err = std::string("cannot make a pipe: ") + std::strerror(errno);
    return r;
  }
  pid_t pid = ::fork();
  if (pid < 0) {
    for (int fd : {outPipe[0], outPipe[1], errPipe[0], errPipe[1]}) ::close(fd);
    r.status = -2;
    r.err = std::string("cannot start '") + argv[0] + "': " + std::strerror(errno);
    return r;
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    ::dup2(outPipe[1], 1);
    ::dup2(errPipe[1], 2);
    ::execve(args[0], args.data(), env.data());
    const char* what = "cannot run the command: ";
    (void)!::write(2, what, std::strlen(what));
    (void)!::write(2, std::strerror(errno), std::strlen(std::strerror(errno)));
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // also here, so that the group exists before we might kill it
  remember(pid);
  ::close(outPipe[1]);
  ::close(errPipe[1]);
  int fds[2] = {outPipe[0], errPipe[0]};
  auto start = std::chrono::steady_clock::now();
  bool killed = false, reaped = false;
  int status = 0;
  double drainStart = -1;
  for (;;) {
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!reaped && ::waitpid(pid, &status, WNOHANG) == pid) {
      reaped = true;
      drainStart = elapsed;
    }
    if (timeout > 0 && elapsed > timeout && !killed && !reaped) {
      ::kill(-pid, SIGKILL);
      killed = true;
    }
    // A descendant that outlives the command and keeps its pipes open is
    // given a second, then its group is ended.
    if (reaped && (fds[0] >= 0 || fds[1] >= 0) && elapsed - drainStart > 1.0) {
      ::kill(-pid, SIGKILL);
      for (int& fd : fds)
        if (fd >= 0) ::close(fd), fd = -1;
    }
    if (reaped && fds[0] < 0 && fds[1] < 0) break;
    pollfd p[2];
    int which[2];
    nfds_t n = 0;
    for (int k = 0; k < 2; ++k)
      if (fds[k] >= 0) {
        which[n] = k;
        p[n++] = {fds[k], POLLIN, 0};
      }
    if (n == 0) {  // both pipes closed, the command still running: wait for it (and the limit)
      ::poll(nullptr, 0, 5);
      continue;
    }
    if (::poll(p, n, 5) > 0)
      for (nfds_t k = 0; k < n; ++k)
        if (p[k].revents & (POLLIN | POLLHUP | POLLERR)) drain(fds[which[k]], which[k] == 0 ? r.out : r.err);
  }
  forget(pid);
  if (killed) r.status = -1;
  else if (WIFEXITED(status)) r.status = WEXITSTATUS(status);
  else {
    r.status = -2;
    r.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  }
  return r;
}

std::string firstDiagnostic(const std::string& err) {
  std::string first, chosen;
  for (size_t at = 0; at < err.size() && chosen.empty();) {
    size_t eol = err.find('\n', at);
    std::string line = err.substr(at, eol == std::string::npos ? std::string::npos : eol - at);
    at = eol == std::string::npos ? err.size() : eol + 1;
    size_t b = line.find_first_not_of(" \t\r"), e = line.find_last_not_of(" \t\r");
    if (b == std::string::npos) continue;
    line = line.substr(b, e - b + 1);
    if (first.empty()) first = line;
    if (line.find("error:") != std::string::npos) chosen = line;
  }
  std::string d = chosen.empty() ? first : chosen;
  if (d.size() > 400) d = d.substr(0, 397) + "...";
  return d;
}

}  // namespace nag::driver
