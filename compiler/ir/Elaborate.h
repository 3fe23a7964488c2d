// Elaborate.h — runs a network's body at compile time and builds its tensor IR.
#pragma once

#include "frontend/Modules.h"
#include "ir/IR.h"

#include <memory>
#include <string>
#include <vector>

namespace nag::ir {

/// Explicit resource limits: beyond them elaboration stops with a message.
struct ElabLimits {
  int64_t maxDim = int64_t(1) << 24;           ///< one dimension of a tensor
  int64_t maxElements = int64_t(1) << 27;      ///< elements of one tensor
  int64_t maxIterations = 1000000;             ///< for-loop iterations, in total
  size_t maxNodes = 4000000;                   ///< IR nodes
  unsigned maxCallDepth = 64;                  ///< nested layer/activation calls
  int64_t maxExponent = 65536;                 ///< `t ^ k` on tensors
  unsigned maxBits = 4096;                     ///< compile-time numbers
};

/// A `-D name=value` from the command line (value in .nag syntax).
struct Define {
  std::string name;
  std::string value;
};

/// Which network to build and with which arguments.
struct ElabRequest {
  std::string network;            ///< empty: the root module's only network
  std::vector<Define> defines;
  ElabLimits limits;
};

/// Evaluates compile-time arguments (defaults, then -D overrides), unrolls
/// `for` and `if`, inlines layers and activations, binds shape variables and
/// checks every shape, and returns the specialized graph. Reports through
/// `diags` and returns null on error.
std::unique_ptr<Graph> elaborate(const Program& program, const ElabRequest& request, SourceManager& sources,
                                 DiagnosticEngine& diags);

/// The networks declared in the root module, in order.
std::vector<const ast::NetworkDecl*> networksOf(const Program& program);

}  // namespace nag::ir
