// Diagnostics.cpp — message formatting and printing with the source line and a caret.
#include "support/Diagnostics.h"
#include "support/InternalError.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace nag {

namespace {

struct CatalogueEntry {
  Severity severity;
  const char* text;
};

const CatalogueEntry kCatalogue[] = {
#define DIAG(ID, SEVERITY, TEXT) {Severity::SEVERITY, TEXT},
#include "support/Diagnostics.def"
#undef DIAG
};

const char* severityName(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "error";
}

// Number of code points in the first `bytes` bytes of s (UTF-8 continuation
// bytes do not count), so that carets line up under multi-byte characters.
size_t displayWidth(std::string_view s, size_t bytes) {
  size_t n = 0;
  for (size_t i = 0; i < bytes && i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++n;
  return n;
}

// The source line as printed: control characters and bytes that are not
// valid UTF-8 become '?', so a binary file cannot garble the terminal.
std::string printableLine(std::string_view line) {
  std::string out;
  for (size_t i = 0; i < line.size();) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = len != 0 && i + len <= line.size();
    for (size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(line[i + k]) & 0xC0) == 0x80;
    if (!ok) {
      out += '?';
      ++i;
      continue;
    }
    if (len == 1 && ((c < 0x20 && c != '\t') || c == 0x7f))
      out += '?';
    else
      out.append(line.substr(i, len));
    i += len;
  }
  return out;
}

// Long lines are shown as a window around the column.
constexpr size_t kWindow = 80;

}  // namespace

DiagnosticEngine::DiagnosticEngine(const SourceManager& sources, std::ostream& out)
    : sources_(sources), out_(out) {}

Severity DiagnosticEngine::severityOf(DiagId id) { return kCatalogue[size_t(id)].severity; }

std::string DiagnosticEngine::format(DiagId id, const std::vector<std::string>& args) {
  const char* text = kCatalogue[size_t(id)].text;
  std::string out;
  for (const char* p = text; *p; ++p) {
    if (*p == '%' && p[1] >= '0' && p[1] <= '9') {
      size_t index = size_t(p[1] - '0');
      NAG_ASSERT(index < args.size(), std::string("missing argument for message: ") + text);
      out += args[index];
      ++p;
    } else {
      out += *p;
    }
  }
  return out;
}

void DiagnosticEngine::report(DiagId id, SourceRange range, const std::vector<std::string>& args) {
  Diagnostic d{id, severityOf(id), range, format(id, args)};
  if (d.severity == Severity::Error) {
    if (errors_ == errorLimit_) {
      Diagnostic stop{DiagId::err_too_many_errors, Severity::Error, SourceRange(), format(DiagId::err_too_many_errors, {})};
      print(stop);
      diags_.push_back(stop);
      ++errors_;
      throw CompilationAborted();
    }
    ++errors_;
  }
  print(d);
  diags_.push_back(std::move(d));
}

void DiagnosticEngine::fatal(DiagId id, SourceRange range, const std::vector<std::string>& args) {
  report(id, range, args);
  throw CompilationAborted();
}

void DiagnosticEngine::print(const Diagnostic& d) {
  if (!d.range.valid()) {
    out_ << "nagc: " << severityName(d.severity) << ": " << d.message << "\n";
    return;
  }
  LineCol lc = sources_.lineCol(d.range.begin);
  out_ << sources_.name(d.range.begin.file) << ":" << lc.line << ":" << lc.col << ": "
       << severityName(d.severity) << ": " << d.message << "\n";
  std::string_view line = sources_.lineText(d.range.begin);
  size_t startByte = lc.col - 1;
  size_t endByte = startByte + 1;
  if (d.range.end.file == d.range.begin.file && d.range.end.offset > d.range.begin.offset)
    endByte = startByte + (d.range.end.offset - d.range.begin.offset);
  std::string prefix;
  if (line.size() > 2 * kWindow) {
    // Keep a window of the line around the start; cut on character boundaries.
    size_t from = startByte > kWindow / 2 ? startByte - kWindow / 2 : 0;
    while (from > 0 && (static_cast<unsigned char>(line[from]) & 0xC0) == 0x80) --from;
    size_t to = std::min(line.size(), from + kWindow);
    while (to < line.size() && (static_cast<unsigned char>(line[to]) & 0xC0) == 0x80) ++to;
    prefix = from > 0 ? "..." : "";
    line = line.substr(from, to - from);
    startByte -= from;
    endByte -= from;
  }
  if (endByte > line.size()) endByte = std::max(line.size(), startByte + 1);
  out_ << prefix << printableLine(line) << "\n";
  std::string caret(prefix.size(), ' ');
  for (size_t i = 0; i < startByte && i < line.size(); ++i)
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) caret += line[i] == '\t' ? '\t' : ' ';
  caret += '^';
  size_t width = displayWidth(line.substr(std::min(startByte, line.size())), endByte - startByte);
  for (size_t i = 1; i < width; ++i) caret += '~';
  out_ << caret << "\n";
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }

std::string joinList(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    out += items[i];
  }
  return out;
}

void internalError(const std::string& message, const char* file, int line) {
  std::fflush(stdout);
  std::fprintf(stderr, "nagc: internal error: %s (at %s:%d); please report this as a bug\n",
               message.c_str(), file, line);
  std::exit(kInternalErrorExit);
}

}  // namespace nag
