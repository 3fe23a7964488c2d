// Serialize.cpp — writes a graph in the line format the runtime's interpreter reads.
#include "ir/Serialize.h"

#include <sstream>

namespace nag::ir {

std::string serialize(const Graph& g) {
  std::ostringstream out;
  out << "nag-ir 1 " << g.nodes.size() << " " << g.output << "\n";
  for (const Node& n : g.nodes) {
    out << spelling(n.op) << " " << n.shape.size();
    for (int64_t d : n.shape) out << " " << d;
    out << " " << n.operands.size();
    for (NodeId o : n.operands) out << " " << o;
    out << " " << n.attr << " " << n.attr2 << " " << n.indices.size();
    for (int64_t i : n.indices) out << " " << i;
    out << " " << n.values.size();
    for (const Rational& q : n.values) out << " " << q.get_str();
    out << "\n";
  }
  return out.str();
}

}  // namespace nag::ir
