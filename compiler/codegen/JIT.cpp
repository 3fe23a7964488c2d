// JIT.cpp — `nagc run`: compile in memory with ORC LLJIT and run the program's command line.
#include "codegen/Codegen.h"

#include "codegen/Emit.h"
#include "codegen/Target.h"
#include "nag_runtime.h"
#include "support/InternalError.h"

#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/Support/Error.h>

namespace nag::codegen {

using namespace llvm;
using namespace llvm::orc;

namespace {

// One C entry point of libnagrt, by name and address.
struct RuntimeEntry {
  const char* name;
  void* address;
};

#define NAGRT_ENTRY(fn) RuntimeEntry{#fn, reinterpret_cast<void*>(&fn)}
// Every function declared in nag_runtime.h. Taking their addresses here also
// makes the linker keep them in nagc (from the static libnagrt.a).
const RuntimeEntry kRuntimeEntries[] = {
    NAGRT_ENTRY(nagrt_modulus_init), NAGRT_ENTRY(nagrt_mod_rational), NAGRT_ENTRY(nagrt_mod_inverse),
    NAGRT_ENTRY(nagrt_mod_rational32), NAGRT_ENTRY(nagrt_mod_inverse32),
    NAGRT_ENTRY(nagrt_main),         NAGRT_ENTRY(nagrt_dim_report),   NAGRT_ENTRY(nagrt_free_string),
    NAGRT_ENTRY(nagrt_parallel_for), NAGRT_ENTRY(nagrt_alloc),        NAGRT_ENTRY(nagrt_free),
    NAGRT_ENTRY(nagrt_train_report), NAGRT_ENTRY(nagrt_degree_report), NAGRT_ENTRY(nagrt_equations_report),
    NAGRT_ENTRY(nagrt_fibre_report), NAGRT_ENTRY(nagrt_singular_report), NAGRT_ENTRY(nagrt_critical_report),
};
#undef NAGRT_ENTRY

}  // namespace

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
  // The runtime lives in nagc itself: every C entry point of nag_runtime.h
  // is defined at its address in this process (see README: "The JIT finds
  // the runtime by absolute symbols"); libm and libc come from the process.
  MangleAndInterner mangle((*jit)->getExecutionSession(), (*jit)->getDataLayout());
  SymbolMap runtime;
  for (const RuntimeEntry& e : kRuntimeEntries)
    runtime[mangle(e.name)] = {ExecutorAddr::fromPtr(e.address), JITSymbolFlags::Exported};
  for (const Function& f : *m)
    if (f.isDeclaration() && f.getName().starts_with("nagrt_") && !runtime.count(mangle(f.getName())))
      NAG_UNREACHABLE("the generated code calls the runtime function '" + f.getName().str() +
                      "', which is missing from kRuntimeEntries in JIT.cpp");
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
