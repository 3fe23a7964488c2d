// Summary.h — the human-readable summary of a checked network (`--check`).
#pragma once

#include "ir/Analysis.h"
#include "ir/IR.h"
#include "support/Source.h"

#include <iosfwd>

namespace nag::driver {

/// Prints name, arguments, inputs, output shape, parameters with shapes and
/// offsets, and the algebraic class with the degree in x.
void printSummary(const ir::Graph& g, const ir::Classification& c, const SourceManager& sources,
                  const std::string& file, std::ostream& out);

}  // namespace nag::driver
