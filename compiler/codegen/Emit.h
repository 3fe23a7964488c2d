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

/// Emits `nag_NAME_eval` (f64, lanes across samples, threads over blocks).
void emitEval(llvm::Module& m, const ir::Graph& g, const Options& o);

/// Emits the `nag_model` descriptor and `nag_NAME_model`; with `withMain`,
/// also `main`, which hands the descriptor to the runtime's command line.
void emitModel(llvm::Module& m, const ir::Graph& g, const ir::ModelDescription& d, const Options& o, bool withMain);

/// The whole module of a network, verified.
std::unique_ptr<llvm::Module> buildModule(llvm::LLVMContext& ctx, const ir::Graph& g, const ir::ModelDescription& d,
                                          const Options& o, bool withMain);

}  // namespace nag::codegen
