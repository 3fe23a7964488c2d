// Verifier.cpp — one shape rule per op, checked node by node.
#include "ir/Verifier.h"

namespace nag::ir {

namespace {

std::string check(const Graph& g, NodeId id) {
  const Node& n = g.nodes[id];
  if (arity(n.op) >= 0 && n.operands.size() != size_t(arity(n.op)))
    return std::string(spelling(n.op)) + " has " + std::to_string(n.operands.size()) + " operands, expected " +
           std::to_string(arity(n.op));
  for (NodeId o : n.operands)
    if (o >= id) return "operand %" + std::to_string(o) + " is not defined before its use";
  for (int64_t d : n.shape)
    if (d <= 0) return "non-positive dimension in " + toString(n.shape);
  auto shape = [&](size_t k) -> const Shape& { return g.nodes[n.operands[k]].shape; };
  auto expect = [&](const Shape& want) -> std::string {
    return n.shape == want ? "" : "shape " + toString(n.shape) + ", expected " + toString(want);
  };
  switch (n.op) {
    case Op::Param:
      if (n.attr < 0 || size_t(n.attr) >= g.params.size()) return "parameter index out of range";
      return expect(g.params[size_t(n.attr)].shape);
    case Op::Input:
      if (n.attr < 0 || size_t(n.attr) >= g.inputs.size()) return "input index out of range";
      return expect(g.inputs[size_t(n.attr)].shape);
    case Op::Const:
      if (n.values.size() != 1 && int64_t(n.values.size()) != numElements(n.shape))
        return "constant has " + std::to_string(n.values.size()) + " values for shape " + toString(n.shape);
      return "";
    case Op::Aux:
      if (n.attr < 0 || size_t(n.attr) >= g.aux.size()) return "aux index out of range";
      return expect(g.aux[size_t(n.attr)].shape);
    case Op::Seed:
      if (numElements(n.shape) != g.layout.seeds) return "seed of shape " + toString(n.shape) + " for " + std::to_string(g.layout.seeds) + " seeds";
      return "";
    case Op::Step: return expect(shape(0));
    case Op::Slice:
      if (n.attr < 0 || n.attr + numElements(n.shape) > numElements(shape(0))) return "slice out of range";
      return "";
    case Op::Embed:
      if (n.attr < 0 || n.attr + numElements(shape(0)) > numElements(n.shape)) return "embedding out of range";
      return "";
    case Op::Reshape:
      if (numElements(n.shape) != numElements(shape(0))) return "reshape of " + toString(shape(0)) + " to " + toString(n.shape);
      return "";
    case Op::Broadcast:
      if (!shape(0).empty()) return "broadcast of a non-scalar";
      return "";
    case Op::Add:
    case Op::Sub:
    case Op::Mul:
    case Op::Div: {
      const Shape &a = shape(0), &b = shape(1);
      if (!a.empty() && !b.empty() && a != b) return "elementwise operands " + toString(a) + " and " + toString(b);
      return expect(a.empty() ? b : a);
    }
    case Op::Neg:
    case Op::Relu:
    case Op::Tanh:
    case Op::Sigmoid:
    case Op::Exp: return expect(shape(0));
    case Op::Pow:
      if (n.attr < 0) return "negative exponent";
      return expect(shape(0));
    case Op::MatMul: {
      const Shape &a = shape(0), &b = shape(1);
      if (a.size() != 2 || b.empty() || b.size() > 2 || a[1] != b[0])
        return "matmul of " + toString(a) + " and " + toString(b);
      return expect(b.size() == 2 ? Shape{a[0], b[1]} : Shape{a[0]});
    }
    case Op::Transpose:
      if (shape(0).size() != 2) return "transpose of " + toString(shape(0));
      return expect({shape(0)[1], shape(0)[0]});
    case Op::Conv1d: {
      const Shape &w = shape(0), &x = shape(1);
      if (w.size() != 1 || x.size() != 1 || n.shape.size() != 1 || n.attr <= 0 || n.attr2 <= 0 ||
          (n.shape[0] - 1) * n.attr + (w[0] - 1) * n.attr2 >= x[0])
        return "conv1d of " + toString(w) + " and " + toString(x) + " to " + toString(n.shape);
      return "";
    }
    case Op::ConvT: {
      const Shape &w = shape(0), &u = shape(1);
      if (w.size() != 1 || u.size() != 1 || n.shape.size() != 1 || n.attr <= 0 || (u[0] - 1) * n.attr + w[0] > n.shape[0])
        return "conv1d_t of " + toString(w) + " and " + toString(u) + " to " + toString(n.shape);
      return "";
    }
    case Op::Sum: return expect({});
    case Op::Dot:
      if (shape(0).size() != 1 || shape(0) != shape(1)) return "dot of " + toString(shape(0)) + " and " + toString(shape(1));
      return expect({});
    case Op::Outer:
      if (shape(0).size() != 1 || shape(1).size() != 1) return "outer of " + toString(shape(0)) + " and " + toString(shape(1));
      return expect({shape(0)[0], shape(1)[0]});
    case Op::Concat: {
      if (n.operands.size() < 2) return "concat of fewer than two tensors";
      Shape out = shape(0);
      if (out.empty()) return "concat of a scalar";
      for (size_t k = 1; k < n.operands.size(); ++k) {
        const Shape& s = shape(k);
        if (s.size() != out.size() || !std::equal(s.begin() + 1, s.end(), out.begin() + 1))
          return "concat of " + toString(out) + " and " + toString(s);
        out[0] += s[0];
      }
      return expect(out);
    }
    case Op::Index: {
      const Shape& s = shape(0);
      if (n.indices.size() > s.size()) return "too many indices";
      for (size_t k = 0; k < n.indices.size(); ++k)
        if (n.indices[k] < 0 || n.indices[k] >= s[k]) return "index out of range";
      return expect(Shape(s.begin() + long(n.indices.size()), s.end()));
    }
  }
  return "unknown op";
}

}  // namespace

std::string verify(const Graph& g) {
  if (g.nodes.empty()) return "empty graph";
  if (g.output >= g.nodes.size()) return "output %" + std::to_string(g.output) + " does not exist";
  int64_t offset = 0;
  for (const ParamInfo& p : g.params) {
    if (p.offset != offset) return "parameter " + p.path + " at offset " + std::to_string(p.offset) + ", expected " + std::to_string(offset);
    offset += numElements(p.shape);
  }
  offset = 0;
  for (const InputInfo& in : g.inputs) {
    if (in.offset != offset) return "input " + in.name + " at offset " + std::to_string(in.offset);
    offset += numElements(in.shape);
  }
  for (NodeId id = 0; id < g.nodes.size(); ++id)
    if (std::string problem = check(g, id); !problem.empty()) return "%" + std::to_string(id) + ": " + problem;
  return "";
}

}  // namespace nag::ir
