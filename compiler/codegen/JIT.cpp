// JIT.cpp — `nagc run`: compile in memory with ORC LLJIT and run the program's command line.
#include "codegen/Codegen.h"

#include "codegen/Emit.h"
#include "codegen/Target.h"
#include "nag_runtime.h"

#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/Support/Error.h>

namespace nag::codegen {

using namespace llvm;
using namespace llvm::orc;

int runJIT(const ir::Graph& g, const ir::ModelDescription& d, const Options& o, std::vector<std::string> args,
           std::string& error) {
  std::unique_ptr<TargetMachine> tm = makeTargetMachine(o, error);
  if (!tm) return 1;
  auto ctx = std::make_unique<LLVMContext>();
  std::unique_ptr<Module> m = buildModule(*ctx, g, d, o, false);
  optimize(*m, *tm, o.optLevel);

  JITTargetMachineBuilder jtmb(tm->getTargetTriple());
  jtmb.setCPU(tm->getTargetCPU().str());
  jtmb.addFeatures(std::vector<std::string>{tm->getTargetFeatureString().str()});
  jtmb.setCodeGenOptLevel(tm->getOptLevel());
  auto jit = LLJITBuilder().setJITTargetMachineBuilder(std::move(jtmb)).create();
  if (!jit) {
    error = toString(jit.takeError());
    return 1;
  }
  // The runtime lives in nagc itself; libm and libc come from the process.
  MangleAndInterner mangle((*jit)->getExecutionSession(), (*jit)->getDataLayout());
  SymbolMap runtime;
  auto add = [&](const char* name, void* addr) {
    runtime[mangle(name)] = {ExecutorAddr::fromPtr(addr), JITSymbolFlags::Exported};
  };
  add("nagrt_parallel_for", reinterpret_cast<void*>(&nagrt_parallel_for));
  add("nagrt_alloc", reinterpret_cast<void*>(&nagrt_alloc));
  add("nagrt_free", reinterpret_cast<void*>(&nagrt_free));
  JITDylib& lib = (*jit)->getMainJITDylib();
  if (Error e = lib.define(absoluteSymbols(std::move(runtime)))) {
    error = toString(std::move(e));
    return 1;
  }
  auto process = DynamicLibrarySearchGenerator::GetForCurrentProcess((*jit)->getDataLayout().getGlobalPrefix());
  if (!process) {
    error = toString(process.takeError());
    return 1;
  }
  lib.addGenerator(std::move(*process));
  if (Error e = (*jit)->addIRModule(ThreadSafeModule(std::move(m), std::move(ctx)))) {
    error = toString(std::move(e));
    return 1;
  }
  auto sym = (*jit)->lookup(modelSymbol(g));
  if (!sym) {
    error = toString(sym.takeError());
    return 1;
  }
  auto getModel = sym->toPtr<const nag_model* (*)()>();
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return nagrt_main(getModel(), int(args.size()), argv.data());
}

}  // namespace nag::codegen
