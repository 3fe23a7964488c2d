// Rules.h — the derivative of every IR op, forward (JVP) and reverse (VJP), as a table.
#pragma once

#include "transforms/Builder.h"

#include <optional>
#include <vector>

namespace nag::transforms {

/// A tangent or cotangent; nullopt is an exact zero (never materialized).
using Maybe = std::optional<NodeId>;

/// Tangent of node `self` (= n) from the tangents of its operands.
using JvpRule = Maybe (*)(Builder& b, NodeId self, const ir::Node& n, const std::vector<Maybe>& d);
/// Cotangent contribution to operand k of node `self` (= n) from its cotangent u.
using VjpRule = Maybe (*)(Builder& b, NodeId self, const ir::Node& n, size_t k, NodeId u);

/// One op's derivative: the mathematics, then the two rules.
struct Rule {
  Op op;
  const char* math;
  JvpRule jvp;
  VjpRule vjp;
};

/// The rule of an op (every op has one).
const Rule& ruleFor(Op op);

}  // namespace nag::transforms
