// InternalError.h — compiler bugs: "internal error", a distinct exit status.
#pragma once

#include <string>

namespace nag {

/// Exit status for compiler bugs (user errors exit 1).
constexpr int kInternalErrorExit = 70;

/// Prints "nagc: internal error: ..." with the place in nagc's source and exits 70.
[[noreturn]] void internalError(const std::string& message, const char* file, int line);

}  // namespace nag

/// Checks an invariant of nagc itself; a failure is a bug, never a user error.
#define NAG_ASSERT(cond, msg) \
  do { if (!(cond)) ::nag::internalError(std::string(msg) + " [" #cond "]", __FILE__, __LINE__); } while (0)
#define NAG_UNREACHABLE(msg) ::nag::internalError(msg, __FILE__, __LINE__)
