// Report.cpp — `nagc report`: a sweep's CSV as a Markdown or LaTeX table and an SVG plot.
#include "driver/Report.h"

#include "driver/Results.h"
#include "nagrt_output.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace nag::driver {

namespace {

std::vector<std::string> splitCsv(const std::string& line) {
  std::vector<std::string> cells;
  if (!splitCsvLine(line, cells)) cells.clear();
  return cells;
}

// Text for XML (SVG): markup characters as entities; control characters and
// bytes that are not UTF-8, which XML cannot hold, as U+FFFD.
std::string escapeXml(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool valid = len > 0 && i + len <= s.size();
    for (size_t k = 1; valid && k < len; ++k) valid = (static_cast<unsigned char>(s[i + k]) >> 6) == 2;
    if (!valid || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
      out += "\xEF\xBF\xBD";
      i += valid ? len : 1;
      continue;
    }
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.append(s, i, len);
    }
    i += len;
  }
  return out;
}

// A Markdown table cell: characters that make markup (emphasis, code, HTML,
// table pipes, escapes) backslash-escaped or as entities; brackets too when
// they could form a link; line breaks as spaces.
std::string escapeMarkdown(const std::string& s) {
  bool link = s.find("](") != std::string::npos || s.find("][") != std::string::npos || s.find("]:") != std::string::npos;
  std::string out;
  for (char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (c == '\n' || c == '\r') out += ' ';
    else if (std::string("\\|*_`~#!").find(c) != std::string::npos || (link && (c == '[' || c == ']'))) out += std::string("\\") + c;
    else out += c;
  }
  return out;
}

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<int> lines;  ///< the line of each row in the file
  int column(const std::string& name) const {
    auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? -1 : int(it - header.begin());
  }
};

// The value of an x-axis spec on a row: "r" or "d[1]" (an element of a list).
bool axisValue(const Table& t, const std::vector<std::string>& row, const std::string& spec, double& out) {
  std::string name = spec;
  int index = -1;
  if (size_t b = spec.find('['); b != std::string::npos && spec.back() == ']') {
    name = spec.substr(0, b);
    index = std::atoi(spec.c_str() + b + 1);
  }
  int c = t.column(name);
  if (c < 0) return false;
  std::string v = row[size_t(c)];
  if (index >= 0) {
    if (v.size() < 2 || v.front() != '[' || v.back() != ']') return false;
    std::string inner = v.substr(1, v.size() - 2);
    std::stringstream ss(inner);
    std::string item;
    for (int k = 0; std::getline(ss, item, ','); ++k)
      if (k == index) return !item.empty() && (out = std::atof(item.c_str()), true);
    return false;
  }
  char* end = nullptr;
  out = std::strtod(v.c_str(), &end);
  return !v.empty() && *end == '\0';
}

// Text for LaTeX: every special character as the command that prints it.
std::string escapeLatex(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '\\': out += "\\textbackslash{}"; break;
      case '~': out += "\\textasciitilde{}"; break;
      case '^': out += "\\textasciicircum{}"; break;
      case '<': out += "\\textless{}"; break;
      case '>': out += "\\textgreater{}"; break;
      case '|': out += "\\textbar{}"; break;
      case '&': case '%': case '$': case '#': case '_': case '{': case '}': out += std::string("\\") + c; break;
      case '\n': case '\r': out += ' '; break;
      default: out += c;
    }
  }
  return out;
}

// A sweep's results file is text of a few hundred bytes a row; beyond this
// it is not one (and /dev/zero would never end).
constexpr size_t kMaxResultsBytes = size_t(256) << 20;

// The whole of `path` as text, or false with what is wrong in `problem`:
// directories and devices are refused before reading, a stream (a pipe) is
// read up to kMaxResultsBytes, and a NUL byte marks binary data.
bool readResultsText(const std::string& path, std::string& text, std::string& problem) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    problem = "cannot open '" + path + "': " + std::strerror(errno);
    return false;
  }
  if (S_ISDIR(st.st_mode)) {
    problem = "'" + path + "' is a directory, not a sweep's results file";
    return false;
  }
  if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) || S_ISSOCK(st.st_mode)) {
    problem = "'" + path + "' is a " + (S_ISSOCK(st.st_mode) ? "socket" : "device") +
              ", not a sweep's results file (give the CSV that nagc sweep wrote)";
    return false;
  }
  std::string limit = std::to_string(kMaxResultsBytes >> 20) + " MiB";
  if (S_ISREG(st.st_mode) && uint64_t(st.st_size) > kMaxResultsBytes) {
    problem = "'" + path + "' has " + std::to_string(uint64_t(st.st_size)) + " bytes; a sweep's results file of more than " +
              limit + " is not read";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    problem = "cannot open '" + path + "': " + std::strerror(errno ? errno : EIO);
    return false;
  }
  char chunk[65536];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    text.append(chunk, size_t(in.gcount()));
    if (text.size() > kMaxResultsBytes) {
      problem = "'" + path + "' goes on beyond " + limit + "; that is not a sweep's results file";
      return false;
    }
  }
  if (size_t nul = text.find('\0'); nul != std::string::npos) {
    size_t line = size_t(std::count(text.begin(), text.begin() + std::ptrdiff_t(nul), '\n')) + 1;
    problem = path + ":" + std::to_string(line) + ": binary data (a NUL byte); a sweep's results file is CSV text";
    return false;
  }
  return true;
}

// A cell as a finite number; false for text, nan and infinities.
bool finiteNumber(const std::string& s, double& v) {
  if (s.empty()) return false;
  char* end = nullptr;
  v = std::strtod(s.c_str(), &end);
  return *end == '\0' && std::isfinite(v);
}

}  // namespace

int runReport(const ReportOptions& o, std::ostream& out, std::ostream& err) {
  std::string text, problem;
  if (!readResultsText(o.input, text, problem)) {
    err << "nagc: error: " << problem << "\n";
    return 1;
  }
  std::istringstream in(text);
  Table t;
  std::string line;
  if (!std::getline(in, line)) {
    err << "nagc: error: '" << o.input << "' is empty\n";
    return 1;
  }
  t.header = splitCsv(line);
  int dimCol = t.column("dimension"), expCol = t.column("expected"), defCol = t.column("defect"),
      statusCol = t.column("status"), pCol = t.column("P");
  if (dimCol < 0 || expCol < 0 || defCol < 0 || statusCol < 0 || pCol < 0) {
    err << "nagc: error: '" << o.input << "' is not a sweep's output (no dimension/expected/defect/status columns)\n";
    return 1;
  }
  int argCount = pCol;  // the argument columns come first
  for (int lineNo = 2; std::getline(in, line); ++lineNo) {
    if (line.empty()) continue;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> row = splitCsv(line);
    if (row.empty()) {
      err << "nagc: error: " << o.input << ":" << lineNo << ": not a CSV line (an unbalanced quote)\n";
      return 1;
    }
    if (row.size() != t.header.size()) {
      err << "nagc: error: " << o.input << ":" << lineNo << ": " << row.size() << " cells, the header has "
          << t.header.size() << "\n";
      return 1;
    }
    t.rows.push_back(row);
    t.lines.push_back(lineNo);
  }

  // The table.
  bool latex = o.table == "latex";
  std::vector<int> cols;
  for (int c = 0; c < argCount; ++c) cols.push_back(c);
  // The measurements a sweep made (degree, equations, critical points and
  // training only when it was asked for them), then the status, and the reason when a row has one.
  bool anyReason = false;
  if (int c = t.column("reason"); c >= 0)
    for (const auto& row : t.rows) anyReason = anyReason || !row[size_t(c)].empty();
  for (const char* name : {"P", "ambient", "span", "expected", "bound", "dimension", "defect", "unexplained", "certified",
                           "degree", "equations_degree", "equations_count", "critical_count", "critical_real",
                           "train_loss", "train_point", "train_subnetwork", "status", "reason"})
    if (int c = t.column(name); c >= 0 && (std::string(name) != "reason" || anyReason)) cols.push_back(c);
  int degreeCol = t.column("degree"), lowerCol = t.column("degree_lower_bound");
  int criticalCol = t.column("critical_count"), criticalLowerCol = t.column("critical_lower_bound");
  std::ostringstream table;
  if (latex) {
    table << "\\begin{tabular}{" << std::string(cols.size(), 'r') << "}\n\\hline\n";
    for (size_t k = 0; k < cols.size(); ++k) table << (k ? " & " : "") << escapeLatex(t.header[size_t(cols[k])]);
    table << " \\\\\n\\hline\n";
  } else {
    table << "|";
    for (int c : cols) table << " " << escapeMarkdown(t.header[size_t(c)]) << " |";
    table << "\n|";
    for (size_t k = 0; k < cols.size(); ++k) table << "---|";
    table << "\n";
  }
  for (const auto& row : t.rows) {
    bool defective = row[size_t(statusCol)] == "ok" && std::atoi(row[size_t(defCol)].c_str()) > 0;
    for (size_t k = 0; k < cols.size(); ++k) {
      std::string cell = row[size_t(cols[k])];
      bool bold = defective && cols[k] == defCol;
      // An unfinished numerical degree is a lower bound: "≥ d".
      bool atLeast = !cell.empty() &&
                     ((cols[k] == degreeCol && lowerCol >= 0 && row[size_t(lowerCol)] == "true") ||
                      (cols[k] == criticalCol && criticalLowerCol >= 0 && row[size_t(criticalLowerCol)] == "true"));
      std::string text = latex ? escapeLatex(cell) : escapeMarkdown(cell);
      if (atLeast) text = (latex ? "$\\geq$ " : "\xE2\x89\xA5 ") + text;
      if (latex) table << (k ? " & " : "") << (bold ? "\\textbf{" + text + "}" : text);
      else table << (k ? " " : "| ") << (bold ? "**" + text + "**" : text) << " |";
    }
    table << (latex ? " \\\\\n" : "\n");
  }
  if (latex) table << "\\hline\n\\end{tabular}\n";
  out << table.str();

  if (o.plot.empty()) return 0;
  // The plot: dimension (solid) and expected (dashed) against the x axis, one
  // series per combination of the other arguments; defective points marked.
  std::string xSpec = o.x;
  if (xSpec.empty())
    for (int c = argCount - 1; c >= 0 && xSpec.empty(); --c) {
      double v;
      if (!t.rows.empty() && axisValue(t, t.rows[0], t.header[size_t(c)], v)) xSpec = t.header[size_t(c)];
    }
  if (xSpec.empty()) {
    err << "nagc: error: no numeric argument to plot against; choose one with --x NAME or --x NAME[i]\n";
    return 1;
  }
  // y: the dimension with the expected dimension (dashed) and defects
  // marked, or one other numeric column (the degree: lower bounds marked).
  bool dimensionPlot = o.y == "dimension";
  int yCol = dimensionPlot ? dimCol : t.column(o.y);
  if (yCol < 0 || yCol < argCount || o.y == "status" || o.y == "reason" || o.y == "inputs_hash") {
    err << "nagc: error: --y " << o.y << ": '" << o.input << "' has no such measured column"
        << (o.y == "degree" ? " (sweep with --degree)" : o.y.rfind("equations", 0) == 0 ? " (sweep with --equations)" : "")
        << "\n";
    return 1;
  }
  struct Point {
    double x, dim, expected;
    bool defective, lowerBound;
  };
  std::map<std::string, std::vector<Point>> series;
  size_t omitted = 0;  // rows whose numbers are not finite: left out, and said so
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const auto& row = t.rows[r];
    if (row[size_t(statusCol)] != "ok") continue;
    double x;
    if (!axisValue(t, row, xSpec, x)) {
      err << "nagc: error: --x " << xSpec << " has no numeric value in some rows\n";
      return 1;
    }
    double dim, exp = 0, defect = 0;
    if (!std::isfinite(x) || !finiteNumber(row[size_t(yCol)], dim) ||
        (dimensionPlot && (!finiteNumber(row[size_t(expCol)], exp) || !finiteNumber(row[size_t(defCol)], defect)))) {
      err << "nagc: warning: " << o.input << ":" << t.lines[r]
          << ": a value to plot is not a finite number; the row is left out of the plot\n";
      ++omitted;
      continue;
    }
    // The series: the other arguments; for ARG[i], ARG with element i left out.
    std::string key;
    std::string base = xSpec.substr(0, xSpec.find('['));
    int element = xSpec.find('[') == std::string::npos ? -1 : std::atoi(xSpec.c_str() + xSpec.find('[') + 1);
    for (int c = 0; c < argCount; ++c) {
      std::string v = row[size_t(c)];
      if (t.header[size_t(c)] == base) {
        if (element < 0 || v.size() < 2) continue;
        std::string inner = v.substr(1, v.size() - 2), item, masked;
        std::stringstream ss(inner);
        for (int k = 0; std::getline(ss, item, ','); ++k) masked += (k ? "," : "") + (k == element ? std::string("_") : item);
        v = "[" + masked + "]";
      }
      key += (key.empty() ? "" : " ") + t.header[size_t(c)] + "=" + v;
    }
    bool lower = o.y == "degree" && t.column("degree_lower_bound") >= 0 &&
                 row[size_t(t.column("degree_lower_bound"))] == "true";
    series[key].push_back({x, dim, exp, defect > 0, lower});
  }
  double xmin = 1e300, xmax = -1e300, ymax = 1;
  for (auto& [k, pts] : series) {
    std::sort(pts.begin(), pts.end(), [](const Point& a, const Point& b) { return a.x < b.x; });
    for (const Point& p : pts) {
      xmin = std::min(xmin, p.x);
      xmax = std::max(xmax, p.x);
      ymax = std::max({ymax, p.dim, dimensionPlot ? p.expected : 0.0});
    }
  }
  if (xmax <= xmin) xmax = xmin + 1;
  const double W = 720, H = 440, L = 60, R = 220, T = 30, B = 50;
  auto sx = [&](double x) { return L + (x - xmin) / (xmax - xmin) * (W - L - R); };
  auto sy = [&](double y) { return H - B - y / (ymax * 1.05) * (H - T - B); };
  const char* colors[] = {"#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << W << "\" height=\"" << H << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<title>" << escapeXml(o.y) << " against " << escapeXml(xSpec) << " (" << escapeXml(o.input) << ")</title>\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<line x1=\"" << L << "\" y1=\"" << H - B << "\" x2=\"" << W - R << "\" y2=\"" << H - B << "\" stroke=\"black\"/>\n"
      << "<line x1=\"" << L << "\" y1=\"" << T << "\" x2=\"" << L << "\" y2=\"" << H - B << "\" stroke=\"black\"/>\n"
      << "<text x=\"" << (L + W - R) / 2 << "\" y=\"" << H - 12 << "\" text-anchor=\"middle\">" << escapeXml(xSpec) << "</text>\n"
      << "<text x=\"14\" y=\"" << (T + H - B) / 2 << "\" transform=\"rotate(-90 14 " << (T + H - B) / 2
      << ")\" text-anchor=\"middle\">"
      << (dimensionPlot ? std::string("dimension (solid) and expected (dashed)")
                        : escapeXml(o.y) + (o.y == "degree" ? " (triangles: lower bounds)" : ""))
      << "</text>\n";
  for (int k = 0; k <= 4; ++k) {
    double y = ymax * k / 4;
    svg << "<text x=\"" << L - 6 << "\" y=\"" << sy(y) + 4 << "\" text-anchor=\"end\">" << std::lround(y) << "</text>\n";
  }
  std::set<double> xs;
  for (auto& [k, pts] : series)
    for (const Point& p : pts) xs.insert(p.x);
  for (double x : xs)
    svg << "<text x=\"" << sx(x) << "\" y=\"" << H - B + 16 << "\" text-anchor=\"middle\">" << x << "</text>\n";
  size_t s = 0;
  for (auto& [key, pts] : series) {
    const char* color = colors[s % 8];
    std::ostringstream solid, dashed;
    for (const Point& p : pts) {
      solid << sx(p.x) << "," << sy(p.dim) << " ";
      dashed << sx(p.x) << "," << sy(p.expected) << " ";
    }
    svg << "<g class=\"series\" data-series=\"" << escapeXml(key) << "\">\n"
        << "<polyline class=\"" << escapeXml(o.y) << "\" fill=\"none\" stroke=\"" << color << "\" stroke-width=\"2\" points=\"" << solid.str() << "\"/>\n"
        << (dimensionPlot ? "<polyline class=\"expected\" fill=\"none\" stroke=\"" + std::string(color) +
                                "\" stroke-dasharray=\"5,4\" points=\"" + dashed.str() + "\"/>\n"
                          : std::string());
    for (const Point& p : pts) {
      if (p.lowerBound)
        svg << "<path class=\"lower-bound\" data-x=\"" << p.x << "\" data-" << escapeXml(o.y) << "=\"" << p.dim
            << "\" d=\"M" << sx(p.x) - 5 << "," << sy(p.dim) + 4 << " l10,0 l-5,-9 z\" fill=\"none\" stroke=\"" << color
            << "\" stroke-width=\"2\"/>\n";
      else if (!dimensionPlot)
        svg << "<circle class=\"point\" data-x=\"" << p.x << "\" data-" << escapeXml(o.y) << "=\"" << p.dim << "\" cx=\""
            << sx(p.x) << "\" cy=\"" << sy(p.dim) << "\" r=\"3\" fill=\"" << color << "\"/>\n";
      else if (p.defective)
        svg << "<path class=\"defective\" data-x=\"" << p.x << "\" data-dimension=\"" << p.dim << "\" data-expected=\""
            << p.expected << "\" d=\"M" << sx(p.x) - 5 << "," << sy(p.dim) - 5 << " l10,10 m0,-10 l-10,10\" stroke=\"red\" stroke-width=\"2.5\"/>\n";
      else
        svg << "<circle class=\"point\" data-x=\"" << p.x << "\" data-dimension=\"" << p.dim << "\" cx=\"" << sx(p.x) << "\" cy=\""
            << sy(p.dim) << "\" r=\"3\" fill=\"" << color << "\"/>\n";
    }
    svg << "<text x=\"" << W - R + 12 << "\" y=\"" << T + 16 * double(s) + 10 << "\" fill=\"" << color << "\">" << escapeXml(key) << "</text>\n</g>\n";
    ++s;
  }
  if (dimensionPlot)
    svg << "<text x=\"" << W - R + 12 << "\" y=\"" << T + 16 * double(s) + 20 << "\" fill=\"red\">x: defective</text>\n";
  if (omitted)
    svg << "<text class=\"omitted\" x=\"" << L << "\" y=\"" << T - 10 << "\" fill=\"red\">" << omitted
        << " rows left out: not finite numbers</text>\n";
  svg << "</svg>\n";
  nagrt::OutputOptions w;
  w.inputs = {o.input};
  if (std::string problem = nagrt::writeOutput(o.plot, svg.str(), w); !problem.empty()) {
    err << "nagc: error: " << problem << "\n";
    return 1;
  }
  return 0;
}

}  // namespace nag::driver
