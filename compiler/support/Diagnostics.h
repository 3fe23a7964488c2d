// Diagnostics.h — the one diagnostics engine: catalogue ids, reporting, source carets.
#pragma once

#include "support/Source.h"

#include <iosfwd>
#include <stdexcept>
#include <string>
#include <vector>

namespace nag {

/// Every message nagc can print, listed once in Diagnostics.def.
enum class DiagId {
#define DIAG(ID, SEVERITY, TEXT) ID,
#include "support/Diagnostics.def"
#undef DIAG
};

enum class Severity { Error, Warning, Note };

/// Thrown by a phase that has reported an error and cannot go on.
struct CompilationAborted : std::exception {
  const char* what() const noexcept override { return "compilation aborted"; }
};

/// One reported diagnostic, kept for tests and for --json drivers.
struct Diagnostic {
  DiagId id;
  Severity severity;
  SourceRange range;
  std::string message;
};

/// Formats catalogue messages, prints them with the source line and a caret,
/// and counts errors. Stops compilation after `errorLimit` errors.
class DiagnosticEngine {
public:
  DiagnosticEngine(const SourceManager& sources, std::ostream& out);

  /// Reports a catalogue message at a range; %0.. are replaced by args.
  void report(DiagId id, SourceRange range, const std::vector<std::string>& args = {});
  /// Reports and throws CompilationAborted.
  [[noreturn]] void fatal(DiagId id, SourceRange range, const std::vector<std::string>& args = {});

  unsigned errorCount() const { return errors_; }
  bool hasErrors() const { return errors_ != 0; }
  const std::vector<Diagnostic>& diagnostics() const { return diags_; }
  void setErrorLimit(unsigned n) { errorLimit_ = n; }

  /// The catalogue text with arguments substituted (exposed for unit tests).
  static std::string format(DiagId id, const std::vector<std::string>& args);
  static Severity severityOf(DiagId id);

private:
  const SourceManager& sources_;
  std::ostream& out_;
  std::vector<Diagnostic> diags_;
  unsigned errors_ = 0;
  unsigned errorLimit_ = 20;
  void print(const Diagnostic& d);
};

/// Quotes a name for a message: 'x'.
std::string quoted(const std::string& s);
/// Joins strings with ", ".
std::string joinList(const std::vector<std::string>& items);

}  // namespace nag
