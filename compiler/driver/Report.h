// Report.h — `nagc report`: tables and plots from a sweep's results.
#pragma once

#include <iosfwd>
#include <string>

namespace nag::driver {

/// What `nagc report results.csv [--plot out.svg] [--table md|latex] [--x ARG]` asks.
struct ReportOptions {
  std::string input;
  std::string plot;           ///< an SVG to write; empty: no plot
  std::string table = "md";   ///< md or latex, printed to standard output
  std::string x;              ///< the x axis: an argument, or ARG[i] for an element of a list argument
  std::string y = "dimension";  ///< the y axis: dimension (with expected), degree, or another numeric column
};

/// Prints the table (defects in bold) and draws dimension and expected
/// dimension against the x axis, one series per combination of the other
/// arguments, with defective points marked (class "defective"). 0 on success.
int runReport(const ReportOptions& o, std::ostream& out, std::ostream& err);

}  // namespace nag::driver
