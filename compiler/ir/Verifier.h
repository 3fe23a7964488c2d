// Verifier.h — checks the invariants of a tensor IR graph.
#pragma once

#include "ir/IR.h"

#include <string>

namespace nag::ir {

/// Returns "" when every node is well formed — operands defined before use,
/// arity, shapes consistent with the op, attributes in range, leaves and
/// layout consistent — or a description of the first violation.
std::string verify(const Graph& g);

}  // namespace nag::ir
