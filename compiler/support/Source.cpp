// Source.cpp — loading source files and mapping offsets to lines and columns.
#include "support/Source.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sys/stat.h>

namespace nag {

SourceRange SourceRange::cover(SourceRange a, SourceRange b) {
  if (!a.valid()) return b;
  if (!b.valid()) return a;
  SourceRange r = a;
  if (b.begin.offset < r.begin.offset) r.begin = b.begin;
  if (b.end.offset > r.end.offset) r.end = b.end;
  return r;
}

SourceManager::LoadResult SourceManager::loadFile(const std::string& path) {
  LoadResult result;
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    result.error = std::strerror(errno);
    return result;
  }
  if (S_ISDIR(st.st_mode)) {
    result.isDirectory = true;
    return result;
  }
  if (S_ISREG(st.st_mode) && size_t(st.st_size) > kMaxFileBytes) {
    result.tooLargeBytes = size_t(st.st_size);
    return result;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    result.error = std::strerror(errno ? errno : EIO);
    return result;
  }
  std::string text;
  char chunk[65536];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    text.append(chunk, size_t(in.gcount()));
    if (text.size() > kMaxFileBytes) {  // a pipe or special file that keeps going
      result.tooLargeBytes = text.size();
      return result;
    }
  }
  result.file = addBuffer(path, std::move(text));
  return result;
}

uint32_t SourceManager::addBuffer(std::string name, std::string text) {
  auto buf = std::make_unique<Buffer>();
  buf->name = std::move(name);
  buf->text = std::move(text);
  buf->lineStarts.push_back(0);
  for (size_t i = 0; i < buf->text.size(); ++i)
    if (buf->text[i] == '\n') buf->lineStarts.push_back(uint32_t(i + 1));
  buffers_.push_back(std::move(buf));
  return uint32_t(buffers_.size());
}

const SourceManager::Buffer& SourceManager::buffer(uint32_t file) const {
  return *buffers_.at(file - 1);
}

std::string_view SourceManager::text(uint32_t file) const { return buffer(file).text; }
const std::string& SourceManager::name(uint32_t file) const { return buffer(file).name; }

LineCol SourceManager::lineCol(SourceLoc loc) const {
  const Buffer& b = buffer(loc.file);
  auto it = std::upper_bound(b.lineStarts.begin(), b.lineStarts.end(), loc.offset);
  unsigned line = unsigned(it - b.lineStarts.begin());
  return LineCol{line, loc.offset - b.lineStarts[line - 1] + 1};
}

std::string_view SourceManager::lineText(SourceLoc loc) const {
  const Buffer& b = buffer(loc.file);
  unsigned line = lineCol(loc).line;
  size_t start = b.lineStarts[line - 1];
  size_t end = b.text.find('\n', start);
  if (end == std::string::npos) end = b.text.size();
  if (end > start && b.text[end - 1] == '\r') --end;
  return std::string_view(b.text).substr(start, end - start);
}

}  // namespace nag
