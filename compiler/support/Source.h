// Source.h — source buffers, locations and ranges shared by every phase.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace nag {

/// A byte position in one loaded buffer. File 0 is "no location".
struct SourceLoc {
  uint32_t file = 0;
  uint32_t offset = 0;
  bool valid() const { return file != 0; }
};

/// A half-open byte range [begin, end) within one buffer.
struct SourceRange {
  SourceLoc begin;
  SourceLoc end;
  SourceRange() = default;
  SourceRange(SourceLoc b, SourceLoc e) : begin(b), end(e) {}
  explicit SourceRange(SourceLoc at) : begin(at), end{at.file, at.offset + 1} {}
  bool valid() const { return begin.valid(); }
  /// The smallest range covering both (same file assumed).
  static SourceRange cover(SourceRange a, SourceRange b);
};

/// Line and column (1-based, column counts bytes) of a location.
struct LineCol {
  unsigned line = 0;
  unsigned col = 0;
};

/// Owns every loaded source text and answers location queries.
class SourceManager {
public:
  /// Maximum size of a source file in bytes.
  static constexpr size_t kMaxFileBytes = 4u << 20;

  /// Result of loading a file: the buffer id, or an error text.
  struct LoadResult {
    uint32_t file = 0;
    std::string error;      // strerror-like reason when file == 0
    bool isDirectory = false;
    size_t tooLargeBytes = 0;
  };

  /// Reads a file from disk; the path is kept as given for messages.
  LoadResult loadFile(const std::string& path);
  /// Adds an in-memory buffer (used for -D values and unit tests).
  uint32_t addBuffer(std::string name, std::string text);

  std::string_view text(uint32_t file) const;
  /// How many buffers are loaded; their ids are 1 .. fileCount().
  uint32_t fileCount() const { return uint32_t(buffers_.size()); }
  const std::string& name(uint32_t file) const;
  LineCol lineCol(SourceLoc loc) const;
  /// The text of the line containing loc, without its newline.
  std::string_view lineText(SourceLoc loc) const;

private:
  struct Buffer {
    std::string name;
    std::string text;
    std::vector<uint32_t> lineStarts;
  };
  std::vector<std::unique_ptr<Buffer>> buffers_;  // index = file id - 1
  const Buffer& buffer(uint32_t file) const;
};

}  // namespace nag
