// Printer.h — the textual form of the tensor IR (`nagc --emit=ir`).
#pragma once

#include "ir/IR.h"

#include <iosfwd>

namespace nag::ir {

/// Prints the graph: header with arguments, the parameter and input layout,
/// then one line per node `%k = op operands attrs : shape`, then the output.
void print(const Graph& g, std::ostream& out);

}  // namespace nag::ir
