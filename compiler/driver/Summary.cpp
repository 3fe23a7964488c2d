// Summary.cpp — prints the summary of a network.
#include "driver/Summary.h"

#include <algorithm>
#include <ostream>

namespace nag::driver {

void printSummary(const ir::Graph& g, const ir::ModelDescription& d, const SourceManager& sources,
                  const std::string& file, std::ostream& out) {
  const ir::Classification& c = d.cls;
  out << "network " << g.name << "  (" << file << ")\n";
  out << "  arguments   ";
  if (g.args.empty()) out << "none";
  for (size_t i = 0; i < g.args.size(); ++i)
    out << (i ? ", " : "") << g.args[i].name << " = " << g.args[i].value << (g.args[i].overridden ? " (-D)" : "");
  out << "\n";
  for (const ir::InputInfo& in : g.inputs) out << "  input       " << in.name << " : " << ir::toString(in.shape) << "\n";
  out << "  output      " << ir::toString(g.node(g.output).shape) << "\n";
  out << "  parameters  " << g.paramCount() << " in " << g.params.size() << " tensor" << (g.params.size() == 1 ? "" : "s")
      << "\n";
  size_t width = 0;
  for (const ir::ParamInfo& p : g.params) width = std::max(width, p.path.size());
  for (const ir::ParamInfo& p : g.params)
    out << "    " << p.path << std::string(width - p.path.size() + 2, ' ') << ir::toString(p.shape) << "  offset "
        << p.offset << "\n";
  out << "  class       " << ir::toString(c.cls);
  if (c.cls == ir::AlgebraicClass::Polynomial) {
    if (c.degree < 0) {
      out << ", degree > 2^62 in x (too large to count exactly; "
          << (c.minDegree < 0 ? std::string("every term of degree > 2^62") : "terms of degree " + std::to_string(c.minDegree) + " and up")
          << ")";
    } else {
      out << ", degree " << c.degree << " in x";
    }
    if (c.degree < 0) {
    } else if (c.homogeneous()) {
      out << ", homogeneous";
    } else if (!c.degreeSet.empty() && int64_t(c.degreeSet.size()) < c.degree - c.minDegree + 1) {
      out << " (terms of degrees";
      for (size_t i = 0; i < c.degreeSet.size(); ++i) out << (i ? ", " : " ") << c.degreeSet[i];
      out << " only)";
    } else {
      out << " (terms of degree " << c.minDegree << " to " << c.degree << ")";
    }
  } else if (c.culpritLoc.valid()) {
    LineCol lc = sources.lineCol(c.culpritLoc.begin);
    out << " (" << ir::spelling(c.culprit) << " at " << sources.name(c.culpritLoc.begin.file) << ":" << lc.line << ":"
        << lc.col << ")";
  }
  out << "\n";
  if (c.cls == ir::AlgebraicClass::Polynomial)
    out << "  coordinates " << (d.ambientDimension.empty() ? "unknown  (a degree beyond 2^62 is not counted)" : d.ambientDimension + "  (polynomial maps of these degrees; the span is measured by dim)") << "\n";
  if (!d.linearRankBound.empty())
    out << "  rank bound  " << d.linearRankBound << "  (linear in x through width " << d.linearRank
        << ": matrices of rank <= " << d.linearRank << ")\n";
  out << "  symmetries  " << d.symmetryDimension << (d.symmetries.empty() ? "  (none known)" : "") << "\n";
  for (const ir::Symmetry& s : d.symmetries) out << "    " << s.dimension << "  " << s.description << "\n";
  out << "  expected    " << d.expectedDimension << "  (least of the bounds known before measuring; dim adds the span)\n";
}

}  // namespace nag::driver
