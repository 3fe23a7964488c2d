// Target.h — codegen-internal: target machines, the optimization pipeline, object emission.
#pragma once

#include "codegen/Codegen.h"

#include <llvm/IR/Module.h>
#include <llvm/Target/TargetMachine.h>

#include <memory>

namespace nag::codegen {

/// A target machine for the host (or --target-cpu), PIC, FMA contraction on.
std::unique_ptr<llvm::TargetMachine> makeTargetMachine(const Options& o, std::string& error);

/// Runs LLVM's standard -O0..-O3 pipeline for the target over the module.
void optimize(llvm::Module& m, llvm::TargetMachine& tm, unsigned optLevel);

/// Writes assembly or an object file; returns "" or an error.
std::string emitFile(llvm::Module& m, llvm::TargetMachine& tm, bool assembly, const std::string& path);

}  // namespace nag::codegen
