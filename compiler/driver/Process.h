// Process.h — running a sweep's commands: a time limit over the whole process group, both outputs kept.
#pragma once

#include <string>
#include <vector>

namespace nag::driver {

/// What a finished (or stopped) command left.
struct ProcessResult {
  int status = 0;         ///< its exit status; -1 when the time limit stopped it, -2 when it could not run or a signal ended it
  int signal = 0;         ///< the signal that ended it (status -2), 0 otherwise
  std::string out, err;   ///< standard output and standard error
};

/// Runs argv[0] (a path) with argv in a process group of its own, with
/// TMPDIR set to `tmpdir` when it is not empty (so that a compile's
/// temporary objects land where the caller removes them). After `timeout`
/// seconds (0: no limit) the whole group is killed — a compile's linker as
/// well as nagc — and the status is -1.
ProcessResult runProcess(const std::vector<std::string>& argv, double timeout, const std::string& tmpdir = "");

/// While alive, SIGINT, SIGTERM and SIGHUP kill the process groups that
/// runProcess started (they do not share the terminal's group, so they would
/// not see a Ctrl-C) before the signal ends this process as it would have.
class ForwardStopSignals {
public:
  ForwardStopSignals();
  ~ForwardStopSignals();
  ForwardStopSignals(const ForwardStopSignals&) = delete;
  ForwardStopSignals& operator=(const ForwardStopSignals&) = delete;
};

/// The first diagnostic in a command's standard error: the first line that
/// holds "error:" (nagc's "file:line:col: error: message", a program's
/// "model: error: ..."), else the first non-empty line; at most 400 bytes,
/// white space at its ends removed. "" when there is none.
std::string firstDiagnostic(const std::string& err);

}  // namespace nag::driver
