// fuzz_results.cpp — libFuzzer target over the sweep's results-file reader.
//
// The first byte of the input chooses how many leading columns are
// arguments (0..3); the rest is the file, read by readResults as `nagc
// sweep` reads a results file to resume. Malformed rows are expected; a
// crash, a sanitizer report, an accepted row whose cell count differs from
// the header's, or an accepted row that does not survive being written with
// csvCell and read again is a finding.
#include "driver/Results.h"

#include <cstdio>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  size_t arguments = data[0] & 3;
  std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  nag::driver::ResultsFile file = nag::driver::readResults(text, arguments);
  for (const nag::driver::ResultsRow& row : file.rows) {
    if (row.cells.size() != file.header.size()) {
      std::fprintf(stderr, "line %zu: %zu cells accepted, the header has %zu\n", row.line, row.cells.size(),
                   file.header.size());
      std::abort();
    }
    std::string line;
    for (size_t k = 0; k < row.cells.size(); ++k) line += (k ? "," : "") + nag::driver::csvCell(row.cells[k]);
    std::vector<std::string> again;
    if (!nag::driver::splitCsvLine(line, again) || again != row.cells) {
      std::fprintf(stderr, "line %zu: the row does not survive csvCell and splitCsvLine\n", row.line);
      std::abort();
    }
  }
  return 0;
}
