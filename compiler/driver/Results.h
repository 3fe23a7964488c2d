// Results.h — a sweep's results file: CSV cells, the strict reader, the types of its columns.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace nag::driver {

/// One cell as CSV writes it: quoted when it holds a comma, a quote, a
/// carriage return or a newline.
std::string csvCell(const std::string& s);

/// Splits one CSV line (quotes doubled inside quoted cells; a trailing
/// carriage return is removed first). False when a quote is left open or a
/// quoted cell is followed by anything but a comma.
bool splitCsvLine(const std::string& line, std::vector<std::string>& cells);

/// A row of a results file and the line it came from (1 = the header).
struct ResultsRow {
  size_t line = 0;
  std::vector<std::string> cells;
};

/// A results file read back.
struct ResultsFile {
  std::vector<std::string> header;
  std::vector<ResultsRow> rows;
  std::vector<std::string> problems;  ///< "LINE: what is wrong", one per malformed row
};

/// "" when `cell` has the type of column `column` in a row whose status is
/// `status`, else what is wrong. Types go by the column's name, so columns
/// added later are accepted as text: the first `arguments` columns are
/// non-empty; P, expected, dimension, defect, fibre, degree,
/// equations_vanishing are integers (ambient may also be null); fills,
/// certified, degree_lower_bound are true or false; these may be empty in
/// rows that are not ok; equations_degree and equations_count are integers or
/// empty; seconds is a non-negative number; status is ok, timeout, compile
/// error, dim failed, degree failed, degree undecided or equations failed;
/// inputs_hash is 64 hex digits.
std::string checkCell(const std::string& column, size_t index, size_t arguments, const std::string& status,
                      const std::string& cell);

/// Reads `text` strictly: the header, then every non-empty line as a row
/// with as many cells as the header, each checked by checkCell (CRLF line
/// ends accepted). Malformed rows are listed in `problems`, not in `rows`.
ResultsFile readResults(const std::string& text, size_t arguments);

}  // namespace nag::driver
