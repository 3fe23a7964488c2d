// Emit.h — codegen-internal: building the LLVM module of a network.
#pragma once

#include "codegen/Codegen.h"

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <memory>

namespace nag::codegen {

/// Symbol names of a network's exports.
std::string evalSymbol(const ir::Graph& g);
std::string modelSymbol(const ir::Graph& g);
std::string functionSymbol(const ir::Graph& g, const std::string& function);
std::string suffixedSymbol(const ir::Graph& g, const std::string& function,
                           const std::string& suffix);  ///< nag_NAME_F_mod, nag_NAME_F_complex

/// Emits one function of a network under `symbol`: eval (theta, x, y, batch)
/// or, with `derived`, a derivative (theta, x, a, b, y, batch), whose graph
/// may have extra arguments and a seed loop. Lanes across samples, threads over blocks.
void emitFunction(llvm::Module& m, const ir::Graph& g, const Options& o, const std::string& symbol, bool derived);

/// Emits the `nag_model` descriptor and `nag_NAME_model`; with `withMain`,
/// also `main`, which hands the descriptor to the runtime's command line.
void emitModel(llvm::Module& m, const ir::Graph& g, const ir::ModelDescription& d, const Options& o, bool withMain);

/// The whole module of a network, verified.
std::unique_ptr<llvm::Module> buildModule(llvm::LLVMContext& ctx, const ir::Graph& g, const ir::ModelDescription& d,
                                          const Options& o, bool withMain);

}  // namespace nag::codegen
