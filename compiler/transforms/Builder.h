// Builder.h — appends ops to a graph with their shapes, optionally folding and sharing them.
#pragma once

#include "ir/IR.h"

#include <optional>
#include <string>
#include <unordered_map>

namespace nag::transforms {

using ir::NodeId;
using ir::Op;
using ir::Shape;

/// Creates nodes in `graph` with the shapes their ops imply. With
/// `simplify`, it also folds constants exactly, applies the identities
/// x+0, x*1, x*0, x^1, x^0, -(-x), x/1, reshape/slice of the whole, and
/// returns an existing identical node instead of a new one (CSE).
class Builder {
public:
  Builder(ir::Graph& graph, bool simplify);

  ir::Graph& graph() { return g_; }
  const ir::Node& node(NodeId n) const { return g_.nodes[n]; }
  const Shape& shape(NodeId n) const { return g_.nodes[n].shape; }

  /// Adds a node as given (after folding and CSE when simplifying).
  NodeId add(ir::Node n);

  NodeId constant(const Rational& q, const Shape& shape = {});
  NodeId zeros(const Shape& shape) { return constant(Rational(0), shape); }
  NodeId add(NodeId a, NodeId b) { return binary(Op::Add, a, b); }
  NodeId sub(NodeId a, NodeId b) { return binary(Op::Sub, a, b); }
  NodeId mul(NodeId a, NodeId b) { return binary(Op::Mul, a, b); }
  NodeId div(NodeId a, NodeId b) { return binary(Op::Div, a, b); }
  NodeId neg(NodeId a) { return unary(Op::Neg, a); }
  NodeId pow(NodeId a, int64_t k);
  NodeId step(NodeId a) { return unary(Op::Step, a); }
  NodeId matmul(NodeId a, NodeId b);
  NodeId transpose(NodeId a);
  NodeId conv1d(NodeId w, NodeId x, int64_t stride, int64_t dilation, int64_t length);
  NodeId convT(NodeId w, NodeId u, int64_t stride, int64_t dilation, int64_t length);
  NodeId sum(NodeId a);
  NodeId dot(NodeId a, NodeId b);
  NodeId outer(NodeId a, NodeId b);
  NodeId concat(const std::vector<NodeId>& parts);
  NodeId slice(NodeId a, int64_t offset, const Shape& shape);
  NodeId embed(NodeId a, int64_t offset, const Shape& shape);
  NodeId reshape(NodeId a, const Shape& shape);
  NodeId broadcast(NodeId scalar, const Shape& shape);
  /// Sums a contribution down to `shape` when the operand it belongs to was a
  /// broadcast scalar.
  NodeId reduceTo(NodeId a, const Shape& shape);

  /// The constant value of a node when it is a splat constant.
  std::optional<Rational> splat(NodeId n) const;

private:
  ir::Graph& g_;
  bool simplify_;
  std::unordered_map<std::string, NodeId> seen_;

  NodeId binary(Op op, NodeId a, NodeId b);
  NodeId unary(Op op, NodeId a);
  std::optional<NodeId> fold(const ir::Node& n);
  static std::string key(const ir::Node& n);
};

}  // namespace nag::transforms
