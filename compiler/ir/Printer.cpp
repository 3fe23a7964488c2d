// Printer.cpp — prints tensor IR graphs in a stable, readable form.
#include "ir/Printer.h"

#include <ostream>

namespace nag::ir {

void print(const Graph& g, std::ostream& out) {
  out << "network " << g.name << "(";
  for (size_t i = 0; i < g.args.size(); ++i) out << (i ? ", " : "") << g.args[i].name << " = " << g.args[i].value;
  out << ")\n";
  for (const InputInfo& in : g.inputs)
    out << "  input " << in.name << " : " << toString(in.shape) << " at " << in.offset << "\n";
  for (const ParamInfo& p : g.params)
    out << "  param " << p.path << " : " << toString(p.shape) << " at " << p.offset << "\n";
  for (const AuxInfo& a : g.aux)
    out << "  aux " << a.name << " : " << toString(a.shape) << (a.perSample ? " per sample" : " per batch") << "\n";
  if (g.layout.seeds > 1)
    out << "  seeds " << g.layout.seeds << " : " << toString(g.layout.seedShape) << ", result of seed s, element e at s * "
        << g.layout.seedStride << " + e * " << g.layout.elemStride << "\n";
  if (g.layout.sumSamples) out << "  result summed over the samples\n";
  for (NodeId id = 0; id < g.nodes.size(); ++id) {
    const Node& n = g.nodes[id];
    out << "  %" << id << " = " << spelling(n.op);
    switch (n.op) {
      case Op::Param: out << " " << g.params[size_t(n.attr)].path; break;
      case Op::Input: out << " " << g.inputs[size_t(n.attr)].name; break;
      case Op::Aux: out << " " << g.aux[size_t(n.attr)].name; break;
      case Op::Seed: break;
      case Op::Const:
        for (size_t i = 0; i < n.values.size(); ++i) out << (i ? ", " : " ") << toString(n.values[i]);
        break;
      default:
        for (size_t i = 0; i < n.operands.size(); ++i) out << (i ? ", %" : " %") << n.operands[i];
        break;
    }
    if (n.op == Op::Pow) out << ", " << n.attr;
    if (n.op == Op::Conv1d || n.op == Op::ConvT) out << ", stride " << n.attr;
    if (n.op == Op::Conv1d && n.attr2 != 1) out << ", dilation " << n.attr2;
    if (n.op == Op::Slice || n.op == Op::Embed) out << ", at " << n.attr;
    if (n.op == Op::Index) {
      out << " [";
      for (size_t i = 0; i < n.indices.size(); ++i) out << (i ? ", " : "") << n.indices[i];
      out << "]";
    }
    out << " : " << toString(n.shape) << "\n";
  }
  out << "  output %" << g.output << " : " << toString(g.node(g.output).shape) << "\n";
}

}  // namespace nag::ir
