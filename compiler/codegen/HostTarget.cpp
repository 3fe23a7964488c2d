// HostTarget.cpp — the resolved target (triple, CPU, features) that cache keys are made of.
#include "codegen/Codegen.h"

#include <llvm/ADT/StringMap.h>
#include <llvm/TargetParser/Host.h>

#include <map>

namespace nag::codegen {

std::string resolvedTarget(const Options& o) {
  // The same choice as makeTargetMachine: the host's CPU with all its
  // features, or the named CPU with its own.
  std::string id = llvm::sys::getDefaultTargetTriple() + " ";
  if (!o.targetCpu.empty()) return id + o.targetCpu;
  id += llvm::sys::getHostCPUName().str();
  std::map<std::string, bool> sorted;
  for (const auto& f : llvm::sys::getHostCPUFeatures()) sorted[f.first().str()] = f.second;
  for (const auto& [name, on] : sorted) id += (on ? " +" : " -") + name;
  return id;
}

}  // namespace nag::codegen
