// Summary.h — the human-readable summary of a checked network (`--check`).
#pragma once

#include "ir/Model.h"
#include "support/Source.h"

#include <iosfwd>

namespace nag::driver {

/// Prints name, arguments, inputs, output shape, parameters with shapes and
/// offsets, the algebraic class with the degree in x, and the known
/// symmetries with the ambient and expected dimensions.
void printSummary(const ir::Graph& g, const ir::ModelDescription& d, const SourceManager& sources,
                  const std::string& file, std::ostream& out);

}  // namespace nag::driver
