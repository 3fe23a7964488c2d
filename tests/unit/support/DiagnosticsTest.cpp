// DiagnosticsTest.cpp — the diagnostics engine: formatting, carets, limits.
#include "support/Diagnostics.h"

#include <gtest/gtest.h>
#include <sstream>

using namespace nag;

namespace {

SourceRange rangeOf(uint32_t file, uint32_t begin, uint32_t end) {
  return SourceRange(SourceLoc{file, begin}, SourceLoc{file, end});
}

TEST(Diagnostics, FormatsArgumentsInOrder) {
  EXPECT_EQ(DiagnosticEngine::format(DiagId::err_shape_mismatch, {"+", "R[3]", "R[4]"}),
            "shape mismatch in '+': R[3] and R[4]");
  EXPECT_EQ(DiagnosticEngine::format(DiagId::err_unknown_name, {"foo"}), "unknown name 'foo'");
}

TEST(Diagnostics, SeverityComesFromTheCatalogue) {
  EXPECT_EQ(DiagnosticEngine::severityOf(DiagId::err_syntax), Severity::Error);
  EXPECT_EQ(DiagnosticEngine::severityOf(DiagId::note_previous_definition), Severity::Note);
}

TEST(Diagnostics, PrintsFileLineColumnLineAndCaret) {
  SourceManager sm;
  uint32_t f = sm.addBuffer("m.nag", "network n() {\n  let y = x + 1;\n}\n");
  std::ostringstream out;
  DiagnosticEngine diags(sm, out);
  // "x" is at byte 24: line 2, column 11.
  diags.report(DiagId::err_unknown_name, rangeOf(f, 24, 25), {"x"});
  EXPECT_EQ(out.str(), "m.nag:2:11: error: unknown name 'x'\n  let y = x + 1;\n          ^\n");
  EXPECT_EQ(diags.errorCount(), 1u);
}

TEST(Diagnostics, UnderlinesTheWholeRange) {
  SourceManager sm;
  uint32_t f = sm.addBuffer("m.nag", "abc + defg\n");
  std::ostringstream out;
  DiagnosticEngine diags(sm, out);
  diags.report(DiagId::err_unknown_name, rangeOf(f, 6, 10), {"defg"});
  EXPECT_NE(out.str().find("\nabc + defg\n      ^~~~\n"), std::string::npos) << out.str();
}

TEST(Diagnostics, CaretCountsCodePointsNotBytes) {
  SourceManager sm;
  // "é" is two bytes; the caret under "x" must be one column after it.
  uint32_t f = sm.addBuffer("m.nag", "// é\né x\n");
  std::ostringstream out;
  DiagnosticEngine diags(sm, out);
  diags.report(DiagId::err_unknown_name, rangeOf(f, 9, 10), {"x"});
  EXPECT_NE(out.str().find("m.nag:2:4:"), std::string::npos) << out.str();  // byte column
  EXPECT_NE(out.str().find("\né x\n  ^\n"), std::string::npos) << out.str();
}

TEST(Diagnostics, NotesDoNotCountAsErrors) {
  SourceManager sm;
  uint32_t f = sm.addBuffer("m.nag", "x\n");
  std::ostringstream out;
  DiagnosticEngine diags(sm, out);
  diags.report(DiagId::note_previous_definition, rangeOf(f, 0, 1));
  EXPECT_FALSE(diags.hasErrors());
  EXPECT_NE(out.str().find("m.nag:1:1: note: previous definition is here"), std::string::npos);
}

TEST(Diagnostics, StopsAfterTheErrorLimit) {
  SourceManager sm;
  uint32_t f = sm.addBuffer("m.nag", "x\n");
  std::ostringstream out;
  DiagnosticEngine diags(sm, out);
  diags.setErrorLimit(3);
  for (int i = 0; i < 3; ++i) diags.report(DiagId::err_unknown_name, rangeOf(f, 0, 1), {"x"});
  EXPECT_THROW(diags.report(DiagId::err_unknown_name, rangeOf(f, 0, 1), {"x"}), CompilationAborted);
  EXPECT_NE(out.str().find("too many errors; stopping"), std::string::npos);
}

TEST(Diagnostics, MessagesWithoutLocationNameTheTool) {
  SourceManager sm;
  std::ostringstream out;
  DiagnosticEngine diags(sm, out);
  diags.report(DiagId::err_no_network, SourceRange(), {"a.nag"});
  EXPECT_EQ(out.str(), "nagc: error: 'a.nag' declares no network\n");
}

TEST(Diagnostics, FatalReportsThenThrows) {
  SourceManager sm;
  std::ostringstream out;
  DiagnosticEngine diags(sm, out);
  EXPECT_THROW(diags.fatal(DiagId::err_no_network, SourceRange(), {"a.nag"}), CompilationAborted);
  EXPECT_EQ(diags.errorCount(), 1u);
}

TEST(SourceManager, LineAndColumnAtLineStartsAndEnds) {
  SourceManager sm;
  uint32_t f = sm.addBuffer("m", "ab\ncd\r\n\nz");
  EXPECT_EQ(sm.lineCol(SourceLoc{f, 0}).line, 1u);
  EXPECT_EQ(sm.lineCol(SourceLoc{f, 2}).col, 3u);  // the newline itself
  EXPECT_EQ(sm.lineCol(SourceLoc{f, 3}).line, 2u);
  EXPECT_EQ(sm.lineCol(SourceLoc{f, 8}).line, 4u);
  EXPECT_EQ(sm.lineText(SourceLoc{f, 4}), "cd");  // '\r' dropped
  EXPECT_EQ(sm.lineText(SourceLoc{f, 7}), "");
}

}  // namespace
