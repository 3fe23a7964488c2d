// Serialize.h — the tensor IR as text, for the runtime's exact interpreter.
#pragma once

#include "ir/IR.h"

#include <string>

namespace nag::ir {

/// One line "nag-ir 1 NODES OUTPUT", then one line per node:
/// "OP RANK DIMS... NOPS OPERANDS... ATTR ATTR2 NIDX INDICES... NVALS VALUES..."
/// with OP the op's spelling and VALUES exact rationals "a/b". Parameters
/// and inputs are numbered by their leaf index (attr), as in nag_model.
std::string serialize(const Graph& g);

}  // namespace nag::ir
