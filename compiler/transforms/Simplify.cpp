// Simplify.cpp — rebuilding a graph through a simplifying Builder; dead-code elimination.
#include "transforms/Simplify.h"

#include "transforms/Builder.h"

namespace nag::transforms {

namespace {

ir::Graph rebuild(const ir::Graph& g, bool simplifying) {
  std::vector<bool> live(g.nodes.size(), false);
  live[g.output] = true;
  for (NodeId id = g.output + 1; id-- > 0;)
    if (live[id])
      for (NodeId o : g.nodes[id].operands) live[o] = true;
  ir::Graph out;
  out.name = g.name;
  out.args = g.args;
  out.params = g.params;
  out.inputs = g.inputs;
  out.aux = g.aux;
  out.layout = g.layout;
  Builder b(out, simplifying);
  std::vector<NodeId> map(g.nodes.size(), NodeId(-1));
  for (NodeId id = 0; id <= g.output; ++id) {
    if (!live[id]) continue;
    ir::Node n = g.nodes[id];
    for (NodeId& o : n.operands) o = map[o];
    map[id] = b.add(std::move(n));
  }
  out.output = map[g.output];
  if (simplifying) return rebuild(out, false);  // folding can leave dead nodes behind
  return out;
}

}  // namespace

ir::Graph simplify(const ir::Graph& g) { return rebuild(g, true); }
ir::Graph eliminateDeadCode(const ir::Graph& g) { return rebuild(g, false); }

}  // namespace nag::transforms
