// Target.cpp — target machine set-up, optimization pipeline and object/assembly emission.
#include "codegen/Target.h"

#include <llvm/IR/LegacyPassManager.h>
#include <llvm/MC/MCSubtargetInfo.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/TargetParser/Host.h>
#include <llvm/TargetParser/SubtargetFeature.h>
#include <llvm/TargetParser/Triple.h>

#include <mutex>

namespace nag::codegen {

using namespace llvm;

namespace {

void initializeTargets() {
  static std::once_flag once;
  std::call_once(once, [] {
    InitializeNativeTarget();
    InitializeNativeTargetAsmPrinter();
    InitializeNativeTargetAsmParser();
  });
}

CodeGenOptLevel codegenLevel(unsigned o) {
  switch (o) {
    case 0: return CodeGenOptLevel::None;
    case 1: return CodeGenOptLevel::Less;
    case 3: return CodeGenOptLevel::Aggressive;
    default: return CodeGenOptLevel::Default;
  }
}

}  // namespace

std::unique_ptr<TargetMachine> makeTargetMachine(const Options& o, std::string& error) {
  initializeTargets();
  std::string triple = sys::getDefaultTargetTriple();
  const Target* target = TargetRegistry::lookupTarget(triple, error);
  if (!target) return nullptr;
  std::string cpu = o.targetCpu.empty() ? sys::getHostCPUName().str() : o.targetCpu;
  SubtargetFeatures features;
  if (o.targetCpu.empty())
    for (const auto& f : sys::getHostCPUFeatures()) features.AddFeature(f.first(), f.second);
  std::unique_ptr<MCSubtargetInfo> sti(target->createMCSubtargetInfo(triple, cpu, ""));
  if (!sti || !sti->isCPUStringValid(cpu)) {
    error = "unknown target CPU '" + cpu + "' for " + triple + " (try 'x86-64', 'x86-64-v3', 'znver4', 'skylake-avx512')";
    return nullptr;
  }
  // nagc emits 64-bit code only; LLVM aborts (instead of returning an error)
  // when asked for x86-64 code on a CPU without 64-bit mode.
  if (Triple(triple).getArch() == Triple::x86_64 && !sti->checkFeatures("+64bit")) {
    error = "target CPU '" + cpu + "' is a 32-bit CPU; nagc generates 64-bit code for " + triple +
            " (try 'x86-64', 'x86-64-v3', 'znver4', 'skylake-avx512')";
    return nullptr;
  }
  TargetOptions to;
  to.AllowFPOpFusion = FPOpFusion::Fast;
  std::unique_ptr<TargetMachine> tm(target->createTargetMachine(triple, cpu, features.getString(), to, Reloc::PIC_,
                                                                std::nullopt, codegenLevel(o.optLevel)));
  if (!tm) error = "cannot create a target machine for " + triple;
  return tm;
}

void optimize(Module& m, TargetMachine& tm, unsigned optLevel) {
  m.setDataLayout(tm.createDataLayout());
  m.setTargetTriple(tm.getTargetTriple().str());
  LoopAnalysisManager lam;
  FunctionAnalysisManager fam;
  CGSCCAnalysisManager cgam;
  ModuleAnalysisManager mam;
  PassBuilder pb(&tm);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  OptimizationLevel level = optLevel == 0 ? OptimizationLevel::O0
                            : optLevel == 1 ? OptimizationLevel::O1
                            : optLevel == 3 ? OptimizationLevel::O3
                                            : OptimizationLevel::O2;
  ModulePassManager mpm =
      optLevel == 0 ? pb.buildO0DefaultPipeline(level) : pb.buildPerModuleDefaultPipeline(level);
  mpm.run(m, mam);
}

std::string emitFile(Module& m, TargetMachine& tm, bool assembly, const std::string& path) {
  std::error_code ec;
  raw_fd_ostream out(path, ec, sys::fs::OF_None);
  if (ec) return "cannot write '" + path + "': " + ec.message();
  legacy::PassManager pm;
  if (tm.addPassesToEmitFile(pm, out, nullptr, assembly ? CodeGenFileType::AssemblyFile : CodeGenFileType::ObjectFile))
    return "the target cannot emit this file type";
  pm.run(m);
  out.flush();
  if (out.has_error()) return "error writing '" + path + "'";
  return "";
}

}  // namespace nag::codegen
