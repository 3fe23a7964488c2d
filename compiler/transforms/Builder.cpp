// Builder.cpp — shape rules for new nodes, exact constant folding, identities and CSE.
#include "transforms/Builder.h"

#include "support/InternalError.h"

namespace nag::transforms {

Builder::Builder(ir::Graph& graph, bool simplify) : g_(graph), simplify_(simplify) {
  if (simplify_)
    for (NodeId id = 0; id < g_.nodes.size(); ++id) seen_.emplace(key(g_.nodes[id]), id);
}

std::string Builder::key(const ir::Node& n) {
  std::string k = std::to_string(int(n.op)) + "|" + ir::toString(n.shape) + "|" + std::to_string(n.attr) + "," +
                  std::to_string(n.attr2) + "|";
  for (NodeId o : n.operands) k += std::to_string(o) + ",";
  k += "|";
  for (int64_t i : n.indices) k += std::to_string(i) + ",";
  k += "|";
  for (const Rational& q : n.values) k += q.get_str() + ",";
  return k;
}

std::optional<Rational> Builder::splat(NodeId n) const {
  const ir::Node& node = g_.nodes[n];
  if (node.op != Op::Const) return std::nullopt;
  for (const Rational& q : node.values)
    if (q != node.values[0]) return std::nullopt;
  return node.values[0];
}

NodeId Builder::add(ir::Node n) {
  if (simplify_) {
    if (std::optional<NodeId> folded = fold(n)) return *folded;
    std::string k = key(n);
    if (auto it = seen_.find(k); it != seen_.end()) return it->second;
    NodeId id = g_.add(std::move(n));
    seen_.emplace(std::move(k), id);
    return id;
  }
  return g_.add(std::move(n));
}

NodeId Builder::constant(const Rational& q, const Shape& shape) {
  ir::Node n{Op::Const, shape, {}};
  n.values.push_back(q);
  return add(std::move(n));
}

// Identities and exact folding; nullopt when the node stays as it is.
std::optional<NodeId> Builder::fold(const ir::Node& n) {
  auto k = [&](size_t i) { return splat(n.operands[i]); };
  auto same = [&](size_t i) -> std::optional<NodeId> {
    // An operand can stand for the node only when it has the node's shape.
    if (g_.nodes[n.operands[i]].shape == n.shape) return n.operands[i];
    return std::nullopt;
  };
  switch (n.op) {
    case Op::Add:
    case Op::Sub:
    case Op::Mul:
    case Op::Div: {
      auto a = k(0), b = k(1);
      if (a && b) {
        if (n.op == Op::Div && *b == 0) return std::nullopt;  // leave x/0 to run time
        Rational r;
        if (n.op == Op::Add) r = *a + *b;
        else if (n.op == Op::Sub) r = *a - *b;
        else if (n.op == Op::Mul) r = *a * *b;
        else r = *a / *b;
        return constant(r, n.shape);
      }
      if (n.op == Op::Add && a && *a == 0) return same(1);
      if ((n.op == Op::Add || n.op == Op::Sub) && b && *b == 0) return same(0);
      if (n.op == Op::Sub && a && *a == 0 && g_.nodes[n.operands[1]].shape == n.shape) return neg(n.operands[1]);
      if (n.op == Op::Mul && ((a && *a == 0) || (b && *b == 0))) return constant(Rational(0), n.shape);
      if (n.op == Op::Mul && a && *a == 1) return same(1);
      if ((n.op == Op::Mul || n.op == Op::Div) && b && *b == 1) return same(0);
      if (n.op == Op::Div && a && *a == 0 && !(b && *b == 0)) return constant(Rational(0), n.shape);
      return std::nullopt;
    }
    case Op::Neg:
      if (auto a = k(0)) return constant(-*a, n.shape);
      if (g_.nodes[n.operands[0]].op == Op::Neg) return g_.nodes[n.operands[0]].operands[0];
      return std::nullopt;
    case Op::Pow: {
      if (n.attr == 0) return constant(Rational(1), n.shape);
      if (n.attr == 1) return n.operands[0];
      if (auto a = k(0)) {
        Rational r(1);
        for (int64_t i = 0; i < n.attr; ++i) r *= *a;
        return constant(r, n.shape);
      }
      return std::nullopt;
    }
    case Op::Step:
      if (auto a = k(0)) return constant(Rational(*a > 0 ? 1 : 0), n.shape);
      return std::nullopt;
    case Op::Reshape:
    case Op::Broadcast:
      if (auto a = k(0)) return constant(*a, n.shape);
      if (n.op == Op::Reshape && g_.nodes[n.operands[0]].shape == n.shape) return n.operands[0];
      if (n.op == Op::Reshape && g_.nodes[n.operands[0]].op == Op::Reshape)
        return reshape(g_.nodes[n.operands[0]].operands[0], n.shape);
      return std::nullopt;
    case Op::Slice:
      if (auto a = k(0)) return constant(*a, n.shape);
      if (n.attr == 0 && g_.nodes[n.operands[0]].shape == n.shape) return n.operands[0];
      return std::nullopt;
    case Op::Transpose:
      if (auto a = k(0)) return constant(*a, n.shape);
      if (g_.nodes[n.operands[0]].op == Op::Transpose) return g_.nodes[n.operands[0]].operands[0];
      return std::nullopt;
    case Op::Embed:
      if (auto a = k(0); a && *a == 0) return constant(Rational(0), n.shape);
      return std::nullopt;
    case Op::Sum: {
      if (auto a = k(0)) return constant(*a * Rational(long(ir::numElements(g_.nodes[n.operands[0]].shape))), n.shape);
      return std::nullopt;
    }
    case Op::MatMul:
    case Op::Dot:
    case Op::Outer:
    case Op::Conv1d:
    case Op::ConvT:
      if ((k(0) && *k(0) == 0) || (k(1) && *k(1) == 0)) return constant(Rational(0), n.shape);
      return std::nullopt;
    default: return std::nullopt;
  }
}

NodeId Builder::binary(Op op, NodeId a, NodeId b) {
  const Shape& sa = shape(a);
  const Shape& sb = shape(b);
  NAG_ASSERT(sa.empty() || sb.empty() || sa == sb, "elementwise operands " + ir::toString(sa) + " and " + ir::toString(sb));
  return add(ir::Node{op, sa.empty() ? sb : sa, {a, b}});
}

NodeId Builder::unary(Op op, NodeId a) { return add(ir::Node{op, shape(a), {a}}); }

NodeId Builder::pow(NodeId a, int64_t k) {
  ir::Node n{Op::Pow, shape(a), {a}, k};
  return add(std::move(n));
}

NodeId Builder::matmul(NodeId a, NodeId b) {
  const Shape& sa = shape(a);
  const Shape& sb = shape(b);
  NAG_ASSERT(sa.size() == 2 && !sb.empty() && sb.size() <= 2 && sa[1] == sb[0], "matmul shapes");
  return add(ir::Node{Op::MatMul, sb.size() == 2 ? Shape{sa[0], sb[1]} : Shape{sa[0]}, {a, b}});
}

NodeId Builder::transpose(NodeId a) {
  const Shape& s = shape(a);
  NAG_ASSERT(s.size() == 2, "transpose of a non-matrix");
  return add(ir::Node{Op::Transpose, {s[1], s[0]}, {a}});
}

NodeId Builder::conv1d(NodeId w, NodeId x, int64_t stride, int64_t dilation, int64_t length) {
  ir::Node n{Op::Conv1d, {length}, {w, x}, stride};
  n.attr2 = dilation;
  return add(std::move(n));
}

NodeId Builder::convT(NodeId w, NodeId u, int64_t stride, int64_t dilation, int64_t length) {
  ir::Node n{Op::ConvT, {length}, {w, u}, stride};
  n.attr2 = dilation;
  return add(std::move(n));
}

NodeId Builder::sum(NodeId a) { return add(ir::Node{Op::Sum, {}, {a}}); }
NodeId Builder::dot(NodeId a, NodeId b) { return add(ir::Node{Op::Dot, {}, {a, b}}); }
NodeId Builder::outer(NodeId a, NodeId b) { return add(ir::Node{Op::Outer, {shape(a)[0], shape(b)[0]}, {a, b}}); }

NodeId Builder::concat(const std::vector<NodeId>& parts) {
  Shape out = shape(parts[0]);
  for (size_t k = 1; k < parts.size(); ++k) out[0] += shape(parts[k])[0];
  return add(ir::Node{Op::Concat, out, parts});
}

NodeId Builder::slice(NodeId a, int64_t offset, const Shape& s) { return add(ir::Node{Op::Slice, s, {a}, offset}); }
NodeId Builder::embed(NodeId a, int64_t offset, const Shape& s) { return add(ir::Node{Op::Embed, s, {a}, offset}); }
NodeId Builder::reshape(NodeId a, const Shape& s) { return add(ir::Node{Op::Reshape, s, {a}}); }
NodeId Builder::broadcast(NodeId scalar, const Shape& s) {
  if (s.empty()) return scalar;
  return add(ir::Node{Op::Broadcast, s, {scalar}});
}

NodeId Builder::reduceTo(NodeId a, const Shape& s) {
  if (shape(a) == s) return a;
  NAG_ASSERT(s.empty(), "only broadcast scalars are reduced: " + ir::toString(shape(a)) + " to " + ir::toString(s) + " at %" + std::to_string(a) + " " + ir::spelling(node(a).op));
  return sum(a);
}

}  // namespace nag::transforms
