// Target.cpp — target machine set-up, optimization pipeline and object/assembly emission.
#include "codegen/Target.h"

#include <llvm/Analysis/TargetTransformInfo.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/PassTimingInfo.h>
#include <llvm/MC/MCSubtargetInfo.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/Timer.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/TargetParser/Host.h>
#include <llvm/TargetParser/SubtargetFeature.h>
#include <llvm/TargetParser/Triple.h>

#include <algorithm>
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
    // The post-register-allocation list scheduler is quadratic in a block's
    // length, and our kernels are long straight-line blocks: on znver3 it
    // took 75% of llc's time for pmlp [6,8,1] (2.3 of 3.1 s) and 12 of 18.6 s
    // for (2,3,4,5,4,6,4,1). Out-of-order cores gain little from it (bench/).
    // LLVM offers no per-module switch; this is the option llc calls
    // -post-RA-scheduler, set as clang's -mllvm would. NAGC_LLVM_OPTIONS
    // adds LLVM's own options for whoever studies the compile (e.g.
    // NAGC_LLVM_OPTIONS=-time-passes).
    const char* argv[] = {"nagc", "-post-RA-scheduler=false"};
    cl::ParseCommandLineOptions(2, argv, "", nullptr, "NAGC_LLVM_OPTIONS");
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

unsigned defaultLanes(const Options& o) {
  std::string error;
  std::unique_ptr<TargetMachine> tm = makeTargetMachine(o, error);
  unsigned bits = 128;
  if (tm) {
    // The width LLVM's cost model uses: it honours a CPU's preference for
    // 256-bit vectors on AVX-512 hardware (skylake-avx512), where 512-bit
    // types are split.
    LLVMContext ctx;
    Module probe("lanes", ctx);
    Function* f = Function::Create(FunctionType::get(Type::getVoidTy(ctx), false), GlobalValue::ExternalLinkage, "f", probe);
    f->addFnAttr("target-cpu", tm->getTargetCPU());
    f->addFnAttr("target-features", tm->getTargetFeatureString());
    bits = std::max<unsigned>(128, unsigned(tm->getTargetTransformInfo(*f)
                                               .getRegisterBitWidth(TargetTransformInfo::RGK_FixedWidthVector)
                                               .getFixedValue()));
  }
  unsigned element = o.precision == Precision::F32 ? 32 : 64;
  return std::clamp(2 * bits / element, 1u, 64u);
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
  if (TimePassesIsEnabled) reportAndResetTimings();  // NAGC_LLVM_OPTIONS=-time-passes
  out.flush();
  if (out.has_error()) return "error writing '" + path + "'";
  return "";
}

}  // namespace nag::codegen
