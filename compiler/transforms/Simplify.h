// Simplify.h — cleaning passes for derived (and any) graphs.
#pragma once

#include "ir/IR.h"

namespace nag::transforms {

/// Constant folding over exact rationals, the identities x+0, x*1, x*0,
/// x^1, x^0, -(-x), reshape/slice of the whole, and common-subexpression
/// elimination across the function and its derivatives; the result keeps
/// only what the output needs.
ir::Graph simplify(const ir::Graph& g);

/// Dead-code elimination alone: the nodes the output needs, in order.
ir::Graph eliminateDeadCode(const ir::Graph& g);

}  // namespace nag::transforms
