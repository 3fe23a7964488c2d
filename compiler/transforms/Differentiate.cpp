// Differentiate.cpp — sweeps over the graph applying one rule per node.
#include "transforms/Differentiate.h"

#include "support/InternalError.h"

namespace nag::transforms {

Maybe jvp(Builder& b, NodeId target, const std::function<Maybe(NodeId)>& leafTangent) {
  std::vector<Maybe> tangent(target + 1);
  for (NodeId id = 0; id <= target; ++id) {
    ir::Node n = b.node(id);  // a copy: the rules append to the graph
    if (n.operands.empty()) {
      tangent[id] = leafTangent(id);
      continue;
    }
    std::vector<Maybe> d;
    bool any = false;
    for (NodeId o : n.operands) {
      d.push_back(tangent[o]);
      any = any || tangent[o];
    }
    if (any) tangent[id] = ruleFor(n.op).jvp(b, id, n, d);
  }
  return tangent[target];
}

std::vector<Maybe> vjp(Builder& b, NodeId target, NodeId cotangent, const std::vector<NodeId>& wrt) {
  // Only nodes that depend on a wrt leaf need cotangents.
  std::vector<bool> depends(target + 1, false);
  for (NodeId leaf : wrt)
    if (leaf <= target) depends[leaf] = true;
  for (NodeId id = 0; id <= target; ++id)
    for (NodeId o : b.node(id).operands) depends[id] = depends[id] || depends[o];
  std::vector<Maybe> cot(target + 1);
  cot[target] = cotangent;
  for (NodeId id = target + 1; id-- > 0;) {
    if (!cot[id] || !depends[id]) continue;
    ir::Node n = b.node(id);
    for (size_t k = 0; k < n.operands.size(); ++k) {
      NodeId o = n.operands[k];
      if (!depends[o]) continue;
      Maybe share = ruleFor(n.op).vjp(b, id, n, k, *cot[id]);
      if (!share) continue;
      NAG_ASSERT(b.shape(*share) == b.shape(o), std::string("cotangent shape of ") + ir::spelling(n.op) + " operand");
      cot[o] = cot[o] ? b.add(*cot[o], *share) : *share;
    }
  }
  std::vector<Maybe> out;
  for (NodeId leaf : wrt) out.push_back(leaf <= target ? cot[leaf] : std::nullopt);
  return out;
}

}  // namespace nag::transforms
