// Results.cpp — reading and writing the cells of a sweep's results file, strictly.
#include "driver/Results.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace nag::driver {

namespace {

bool isInteger(const std::string& s) {
  size_t i = s.size() > 1 && s[0] == '-' ? 1 : 0;
  if (i == s.size() || s.size() > 20) return false;
  return std::all_of(s.begin() + long(i), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

bool isNumber(const std::string& s) {
  if (s.empty() || std::isspace(static_cast<unsigned char>(s[0]))) return false;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  return *end == '\0' && std::isfinite(v);
}

bool among(const std::string& s, std::initializer_list<const char*> names) {
  for (const char* n : names)
    if (s == n) return true;
  return false;
}

}  // namespace

std::string csvCell(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

bool splitCsvLine(const std::string& text, std::vector<std::string>& cells) {
  std::string line = text;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  cells.clear();
  std::string cur;
  bool quoted = false, wasQuoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cur += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
        wasQuoted = true;
      } else {
        cur += c;
      }
    } else if (c == ',') {
      cells.push_back(cur);
      cur.clear();
      wasQuoted = false;
    } else if (wasQuoted) {
      return false;  // text after a closing quote
    } else if (c == '"') {
      if (!cur.empty()) return false;  // a quote inside an unquoted cell
      quoted = true;
    } else {
      cur += c;
    }
  }
  if (quoted) return false;
  cells.push_back(cur);
  return true;
}

std::string checkCell(const std::string& column, size_t index, size_t arguments, const std::string& status,
                      const std::string& cell) {
  auto bad = [&](const std::string& expected) { return column + " is '" + cell + "', expected " + expected; };
  if (index < arguments) return cell.empty() ? "argument " + column + " is empty" : "";
  bool ok = status == "ok";
  if (among(column, {"P", "expected", "dimension", "defect", "fibre", "unexplained"})) {
    if (ok ? isInteger(cell) : cell.empty() || isInteger(cell)) return "";
    return bad(ok ? "an integer" : "an integer or nothing");
  }
  // degree is empty when undecided (status degree undecided) and in rows
  // that did not get that far; the equations' degree and count are empty
  // when no equation was found up to the searched degree.
  if (column == "degree") {
    if (ok ? isInteger(cell) : cell.empty() || isInteger(cell)) return "";
    return bad(ok ? "an integer" : "an integer or nothing");
  }
  if (among(column, {"equations_degree", "equations_count"}))
    return cell.empty() || isInteger(cell) ? "" : bad("an integer or nothing");
  if (column == "equations_vanishing") {
    if (ok ? isInteger(cell) : cell.empty() || isInteger(cell)) return "";
    return bad(ok ? "an integer" : "an integer or nothing");
  }
  if (column == "degree_lower_bound") {
    if (cell == "true" || cell == "false" || (!ok && cell.empty())) return "";
    return bad("true or false");
  }
  if (among(column, {"ambient", "coordinate", "span"})) {
    if (ok ? isInteger(cell) || cell == "null" : cell.empty() || isInteger(cell) || cell == "null") return "";
    return bad("an integer or null");
  }
  if (among(column, {"fills", "certified"})) {
    // fills is null when the span was not measured
    if (cell == "true" || cell == "false" || (!ok && cell.empty()) || (column == "fills" && cell == "null")) return "";
    return bad(column == "fills" ? "true, false or null" : "true or false");
  }
  if (column == "seconds") return isNumber(cell) && std::strtod(cell.c_str(), nullptr) >= 0 ? "" : bad("a number of seconds");
  if (column == "status")
    return among(cell, {"ok", "timeout", "compile error", "dim failed", "degree failed", "degree undecided",
                        "equations failed"})
               ? ""
               : bad("ok, timeout, compile error, dim failed, degree failed, degree undecided or equations failed");
  if (column == "inputs_hash") {
    bool hex = cell.size() == 64 && std::all_of(cell.begin(), cell.end(), [](char c) {
                 return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
               });
    return hex ? "" : bad("64 hexadecimal digits");
  }
  return "";  // a column this reader does not know: any text
}

ResultsFile readResults(const std::string& text, size_t arguments) {
  ResultsFile r;
  size_t at = 0, lineNo = 0;
  while (at < text.size()) {
    size_t eol = text.find('\n', at);
    std::string line = text.substr(at, eol == std::string::npos ? std::string::npos : eol - at);
    at = eol == std::string::npos ? text.size() : eol + 1;
    ++lineNo;
    std::string bare = line;
    if (!bare.empty() && bare.back() == '\r') bare.pop_back();
    std::vector<std::string> cells;
    if (lineNo == 1) {
      if (!splitCsvLine(line, cells)) r.problems.push_back("1: the header is not a CSV line");
      r.header = cells;
      continue;
    }
    if (bare.empty()) continue;
    std::string where = std::to_string(lineNo) + ": ";
    if (!splitCsvLine(line, cells)) {
      r.problems.push_back(where + "not a CSV line (an unbalanced quote)");
      continue;
    }
    if (cells.size() != r.header.size()) {
      r.problems.push_back(where + std::to_string(cells.size()) + " cells, the header has " +
                           std::to_string(r.header.size()));
      continue;
    }
    auto statusAt = std::find(r.header.begin(), r.header.end(), "status");
    std::string status = statusAt == r.header.end() ? "" : cells[size_t(statusAt - r.header.begin())];
    std::string problem;
    for (size_t k = 0; k < cells.size() && problem.empty(); ++k)
      problem = checkCell(r.header[k], k, arguments, status, cells[k]);
    if (!problem.empty()) {
      r.problems.push_back(where + problem);
      continue;
    }
    r.rows.push_back({lineNo, cells});
  }
  return r;
}

}  // namespace nag::driver
