// Differentiate.h — forward and reverse differentiation of a graph, in place, by the rules table.
#pragma once

#include "transforms/Rules.h"

#include <functional>

namespace nag::transforms {

/// Forward mode: appends to the builder's graph the tangent of every node up
/// to `target` and returns `target`'s (nullopt: identically zero). Leaves get
/// their tangents from `leafTangent` (nullopt: zero).
Maybe jvp(Builder& b, NodeId target, const std::function<Maybe(NodeId leaf)>& leafTangent);

/// Reverse mode: appends the cotangents of all nodes that lie between the
/// `wrt` leaves and `target`, starting from `cotangent` (shaped like
/// `target`), and returns the cotangent of each `wrt` leaf (nullopt: zero).
std::vector<Maybe> vjp(Builder& b, NodeId target, NodeId cotangent, const std::vector<NodeId>& wrt);

}  // namespace nag::transforms
