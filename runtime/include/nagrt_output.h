// nagrt_output.h — writing output files safely; C++, shared by libnagrt and nagc (not part of the C ABI).
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace nagrt {

/// How an output is written.
struct OutputOptions {
  /// Files the same command reads: the output is refused when it is one of
  /// them (same device and inode, whatever the names).
  std::vector<std::string> inputs;
  /// Permission bits of a new regular file (the umask applies).
  unsigned mode = 0644;
};

/// Writes `bytes` to `path`, the one way every nagc and runtime writer writes:
///  - a regular file (or a new one) is replaced atomically: a temporary file
///    in the directory of the *resolved* path (symlinks followed, so a
///    symlink to a file stays a symlink), fsync, rename onto that path;
///  - anything else (a character device, a FIFO, a socket, /dev/stdout and
///    any path under /dev or /proc) is opened and written through;
///  - an output that is the same file as one of `o.inputs` is refused.
/// The temporary file is removed on every failure. Returns "" or an error
/// message that names the path.
std::string writeOutput(const std::string& path, const std::string& bytes, const OutputOptions& o = {});

/// The same for writers that need a file name (a linker, LLVM's object
/// emitter): `produce(tmp)` writes the file `tmp` and returns "" or an error.
/// For a regular target `tmp` is the temporary next to it; otherwise a
/// private temporary whose bytes are then written through.
std::string writeOutputWith(const std::string& path, const std::function<std::string(const std::string&)>& produce,
                            const OutputOptions& o = {});

/// "" when `path` is none of `inputs` (by device and inode), else the message
/// refusing it.
std::string checkNotAnInput(const std::string& path, const std::vector<std::string>& inputs);

/// SHA-256 of `bytes`, as 64 lowercase hex digits.
std::string sha256Hex(const std::string& bytes);

}  // namespace nagrt
