// Codegen.cpp — from a graph to LLVM IR, assembly, objects, executables and shared libraries.
#include "codegen/Codegen.h"

#include "codegen/Emit.h"
#include "codegen/Target.h"
#include "nagrt_output.h"
#include "support/Install.h"

#include <llvm/Bitcode/BitcodeReader.h>
#include <llvm/Bitcode/BitcodeWriter.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/Instructions.h>
#include <llvm/Transforms/Utils/Cloning.h>
#include <llvm/Transforms/Utils/SplitModule.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <thread>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sys/wait.h>
#include <unistd.h>

#ifndef NAGC_LINKER
#error "NAGC_LINKER and NAGC_RUNTIME_LIB must be defined by the build"
#endif

namespace nag::codegen {

namespace {

// Runs a program, collecting what it prints; returns its exit status.
int run(const std::vector<std::string>& argv, std::string& output) {
  int pipefd[2];
  if (::pipe(pipefd) != 0) {
    output = std::strerror(errno);
    return -1;
  }
  pid_t pid = ::fork();
  if (pid < 0) {
    output = std::strerror(errno);
    return -1;
  }
  if (pid == 0) {
    ::dup2(pipefd[1], 1);
    ::dup2(pipefd[1], 2);
    ::close(pipefd[0]);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    std::fprintf(stderr, "cannot run %s: %s\n", args[0], std::strerror(errno));
    ::_exit(127);
  }
  ::close(pipefd[1]);
  char buf[4096];
  ssize_t n;
  while ((n = ::read(pipefd[0], buf, sizeof buf)) > 0) output.append(buf, size_t(n));
  ::close(pipefd[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string tempPath(const std::string& suffix) {
  const char* dir = std::getenv("TMPDIR");
  std::string pattern = std::string(dir && *dir ? dir : "/tmp") + "/nagc-XXXXXX" + suffix;
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  int fd = ::mkstemps(buf.data(), int(suffix.size()));
  if (fd < 0) return "";
  ::close(fd);
  return buf.data();
}

std::string replaceExtension(const std::string& path, const std::string& ext) {
  size_t slash = path.find_last_of('/');
  size_t dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return path + ext;
  return path.substr(0, dot) + ext;
}

// Writes text to path (nagrt::writeOutput: atomic, never over an input).
std::string writeText(const std::string& path, const std::string& text, const Options& o) {
  nagrt::OutputOptions w;
  w.inputs = o.inputs;
  return nagrt::writeOutput(path, text, w);
}

std::string emitCachedObjects(std::unique_ptr<llvm::Module> m, const Options& o, std::vector<std::string>& objects);

// Optimizes and emits the module as object files, in parallel when it has several large functions: the module is
// split into partitions (llvm::SplitModule, balanced by size; locals become hidden globals so that the partitions
// link), each written to bitcode and read back into its own context, and each partition optimized and emitted on
// its own thread with its own target machine. The kernels share no helper functions (each is emitted whole), so
// the split loses no inlining; on this 2-core machine it shortens a compile by the smaller partition's share.
// Returns an error, or "" with the object files in `objects` (temporary files the caller removes).
std::string emitObjects(std::unique_ptr<llvm::Module> m, llvm::TargetMachine& tm, const Options& o,
                        std::vector<std::string>& objects) {
  if (o.objectCache) return emitCachedObjects(std::move(m), o, objects);
  size_t large = 0;
  for (const llvm::Function& f : *m)
    if (!f.isDeclaration() && f.getInstructionCount() >= 256) ++large;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const unsigned parts = unsigned(std::min<size_t>({size_t(cores), size_t(4), large}));
  if (parts < 2) {
    optimize(*m, tm, o.optLevel);
    std::string object = tempPath(".o");
    if (object.empty()) return "cannot create a temporary file";
    objects.push_back(object);
    return emitFile(*m, tm, false, object);
  }
  std::vector<llvm::SmallVector<char, 0>> bitcode;
  llvm::SplitModule(*m, parts, [&](std::unique_ptr<llvm::Module> part) {
    bitcode.emplace_back();
    llvm::raw_svector_ostream os(bitcode.back());
    llvm::WriteBitcodeToFile(*part, os);
  });
  m.reset();
  std::vector<std::string> errors(bitcode.size());
  objects.assign(bitcode.size(), "");
  for (std::string& object : objects) {
    object = tempPath(".o");
    if (object.empty()) return "cannot create a temporary file";
  }
  auto work = [&](size_t i) {
    llvm::LLVMContext ctx;
    llvm::StringRef bytes(bitcode[i].data(), bitcode[i].size());
    llvm::Expected<std::unique_ptr<llvm::Module>> part =
        llvm::parseBitcodeFile(llvm::MemoryBufferRef(bytes, "partition"), ctx);
    if (!part) {
      errors[i] = "internal error: a partition of the module does not read back: " + llvm::toString(part.takeError());
      return;
    }
    std::unique_ptr<llvm::TargetMachine> own = makeTargetMachine(o, errors[i]);
    if (!own) return;
    optimize(**part, *own, o.optLevel);
    errors[i] = emitFile(**part, *own, false, objects[i]);
  };
  std::vector<std::thread> threads;
  for (size_t i = 1; i < bitcode.size(); ++i) threads.emplace_back(work, i);
  work(0);
  for (std::thread& t : threads) t.join();
  for (const std::string& e : errors)
    if (!e.empty()) return e;
  return "";
}

// The global values an instruction or constant refers to, through constant expressions and aggregates.
void referencedGlobals(const llvm::Value* v, std::set<const llvm::GlobalValue*>& out) {
  if (auto* g = llvm::dyn_cast<llvm::GlobalValue>(v)) {
    out.insert(g);
    return;
  }
  if (auto* c = llvm::dyn_cast<llvm::Constant>(v))
    for (const llvm::Use& u : c->operands()) referencedGlobals(u.get(), out);
}

// A kernel of the module as its own unit of compilation: an exported function and the internal functions only
// it reaches (the kernel and its _block body). Anything that does not split this cleanly (a definition shared
// between kernels, a global variable, an internal function used from elsewhere) stays in the rest.
struct KernelGroup {
  std::string name;
  std::set<const llvm::GlobalValue*> members;
  size_t instructions = 0;
};

std::vector<KernelGroup> kernelGroups(const llvm::Module& m) {
  std::vector<KernelGroup> groups;
  for (const llvm::Function& root : m) {
    if (root.isDeclaration() || root.hasLocalLinkage()) continue;
    KernelGroup g;
    g.name = root.getName().str();
    std::vector<const llvm::Function*> todo{&root};
    bool clean = true;
    while (!todo.empty() && clean) {
      const llvm::Function* f = todo.back();
      todo.pop_back();
      if (!g.members.insert(f).second) continue;
      g.instructions += f->getInstructionCount();
      std::set<const llvm::GlobalValue*> refs;
      for (const llvm::BasicBlock& b : *f)
        for (const llvm::Instruction& i : b)
          for (const llvm::Use& u : i.operands()) referencedGlobals(u.get(), refs);
      for (const llvm::GlobalValue* r : refs) {
        if (r->isDeclaration()) continue;
        auto* callee = llvm::dyn_cast<llvm::Function>(r);
        if (!callee || !callee->hasLocalLinkage()) {
          clean = false;  // another kernel or a global variable: not a unit of its own
          break;
        }
        todo.push_back(callee);
      }
    }
    for (const llvm::GlobalValue* member : g.members)  // the internal ones are used from inside only
      if (member != &root)
        for (const llvm::User* user : member->users()) {
          auto* inst = llvm::dyn_cast<llvm::Instruction>(user);
          if (!inst || !g.members.count(inst->getFunction())) clean = false;
        }
    if (clean && g.instructions >= 256) groups.push_back(std::move(g));
  }
  return groups;
}

// Bitcode of the part of `m` whose definitions `keep` selects, with the declarations it does not use removed and
// a fixed module name: the same kernel gives the same bytes whatever else the build holds.
llvm::SmallVector<char, 0> partBitcode(const llvm::Module& m, const std::function<bool(const llvm::GlobalValue*)>& keep) {
  llvm::ValueToValueMapTy map;
  std::unique_ptr<llvm::Module> part = llvm::CloneModule(m, map, [&](const llvm::GlobalValue* g) { return keep(g); });
  for (auto it = part->begin(); it != part->end();) {
    llvm::Function& f = *it++;
    if (f.isDeclaration() && f.use_empty()) f.eraseFromParent();
  }
  for (auto it = part->global_begin(); it != part->global_end();) {
    llvm::GlobalVariable& g = *it++;
    if (g.isDeclaration() && g.use_empty()) g.eraseFromParent();
  }
  part->setModuleIdentifier("nagc-part");
  part->setSourceFileName("nagc-part");
  llvm::SmallVector<char, 0> bytes;
  llvm::raw_svector_ostream os(bytes);
  llvm::WriteBitcodeToFile(*part, os);
  return bytes;
}

// emitObjects with the build cache: every kernel group is compiled as its own module and its object kept under a
// hash of its bitcode, the optimization level and the target; the rest (the model's descriptor, small kernels) is
// compiled every time. The parts are compiled largest first on min(cores, 4) threads.
std::string emitCachedObjects(std::unique_ptr<llvm::Module> m, const Options& o, std::vector<std::string>& objects) {
  const ObjectCache& cache = *o.objectCache;
  std::vector<KernelGroup> groups = kernelGroups(*m);
  std::sort(groups.begin(), groups.end(), [](const KernelGroup& a, const KernelGroup& b) {
    return a.instructions != b.instructions ? a.instructions > b.instructions : a.name < b.name;
  });
  std::map<const llvm::GlobalValue*, size_t> owner;
  for (size_t i = 0; i < groups.size(); ++i)
    for (const llvm::GlobalValue* g : groups[i].members) owner[g] = i;
  struct Part {
    std::string name, key;
    llvm::SmallVector<char, 0> bitcode;
  };
  std::vector<Part> parts(groups.size() + 1);
  const std::string target = resolvedTarget(o) + "\nO" + std::to_string(o.optLevel) + "\n";
  for (size_t i = 0; i < groups.size(); ++i) {
    parts[i].name = groups[i].name;
    parts[i].bitcode = partBitcode(*m, [&](const llvm::GlobalValue* g) { return groups[i].members.count(g) > 0; });
    parts[i].key = cache.key("nagc kernel object 1\n" + target +
                             std::string(parts[i].bitcode.data(), parts[i].bitcode.size()));
  }
  parts.back().name = "the rest";
  parts.back().bitcode = partBitcode(*m, [&](const llvm::GlobalValue* g) { return !owner.count(g); });
  m.reset();
  objects.assign(parts.size(), "");
  for (std::string& object : objects) {
    object = tempPath(".o");
    if (object.empty()) return "cannot create a temporary file";
  }
  std::vector<std::string> errors(parts.size());
  std::vector<char> reused(parts.size(), 0);
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next++) < parts.size();) {
      if (!parts[i].key.empty() && cache.fetch(parts[i].key, objects[i])) {
        reused[i] = 1;
        continue;
      }
      llvm::LLVMContext ctx;
      llvm::StringRef bytes(parts[i].bitcode.data(), parts[i].bitcode.size());
      llvm::Expected<std::unique_ptr<llvm::Module>> part = llvm::parseBitcodeFile(llvm::MemoryBufferRef(bytes, "part"), ctx);
      if (!part) {
        errors[i] = "internal error: a part of the module does not read back: " + llvm::toString(part.takeError());
        continue;
      }
      std::unique_ptr<llvm::TargetMachine> own = makeTargetMachine(o, errors[i]);
      if (!own) continue;
      optimize(**part, *own, o.optLevel);
      errors[i] = emitFile(**part, *own, false, objects[i]);
      if (errors[i].empty() && !parts[i].key.empty()) cache.store(parts[i].key, objects[i]);
    }
  };
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < std::min<size_t>({size_t(cores), size_t(4), parts.size()}); ++t) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
  for (const std::string& e : errors)
    if (!e.empty()) return e;
  if (cache.say) {
    std::string hit, built;
    for (size_t i = 0; i + 1 < parts.size(); ++i) (reused[i] ? hit : built) += " " + parts[i].name;
    cache.say(std::to_string(std::count(reused.begin(), reused.end(), 1)) + " of " + std::to_string(groups.size()) +
              " kernel objects from the cache" + (hit.empty() ? "" : " (" + hit.substr(1) + ")") +
              (built.empty() ? "" : "; compiled:" + built));
  }
  return "";
}

}  // namespace

std::string runtimeLibrary() { return installedOr("lib/libnagrt.a", NAGC_RUNTIME_LIB); }

namespace {
// LAPACKE for the link: its archive in a program (the build found it: see CMakeLists.txt; a program then loads one
// OpenBLAS instead of three, about 5 ms less start-up); a shared library keeps -llapacke, so that it exports no
// LAPACKE symbols of its own into the process that loads it (which pays the start-up once).
std::string lapacke(Output out) {
  std::string archive = NAGC_LAPACKE_STATIC;
  return out == Output::Executable && !archive.empty() ? archive : "-llapacke";
}
}  // namespace

std::string validate(const Options& o) {
  if (o.lanes != 0 && (o.lanes > 64 || (o.lanes & (o.lanes - 1)) != 0))
    return "--lanes must be a power of two from 1 to 64, got " + std::to_string(o.lanes);
  if (o.optLevel > 3) return "optimization level must be 0 to 3";
  std::string error;
  if (!makeTargetMachine(o, error)) return error;
  return "";
}

std::vector<UnrepresentableConstant> unrepresentableConstants(const ir::Graph& g, Precision p) {
  // Round to nearest overflows from (2 - 2^-(m+1)) * 2^emax on, and gives 0
  // at or below half the smallest subnormal, 2^(emin - m): m = 52 or 23
  // fraction bits, emax = 1023 or 127, emin = -1022 or -126.
  bool single = p == Precision::F32;
  int fraction = single ? 23 : 52, emax = single ? 127 : 1023, emin = single ? -126 : -1022;
  auto power = [](long e) {  // 2^e, exactly
    mpz_class z = 1;
    mpz_mul_2exp(z.get_mpz_t(), z.get_mpz_t(), (unsigned long)(e < 0 ? -e : e));
    return e < 0 ? Rational(mpz_class(1), z) : Rational(z);
  };
  Rational overflow = (2 - power(-(fraction + 1))) * power(emax), underflow = power(emin - fraction - 1);
  std::vector<UnrepresentableConstant> out;
  for (const ir::Node& n : g.nodes) {
    if (n.op != ir::Op::Const) continue;
    for (const Rational& q : n.values) {
      Rational a = abs(q);
      if (q == 0 || (a < overflow && a > underflow)) continue;
      mpf_class f(q, 64);
      char buf[64];
      gmp_snprintf(buf, sizeof buf, "%.3Fe", f.get_mpf_t());
      out.push_back({n.loc, buf, a >= overflow ? (q > 0 ? "inf" : "-inf") : "0"});
      break;  // one report per constant node
    }
  }
  return out;
}

std::string compileToFile(const ir::Graph& g, const ir::ModelDescription& d, const Options& o, Output out,
                          const std::string& path) {
  std::string error;
  std::unique_ptr<llvm::TargetMachine> tm = makeTargetMachine(o, error);
  if (!tm) return error;
  llvm::LLVMContext ctx;
  std::unique_ptr<llvm::Module> m = buildModule(ctx, g, d, o, out == Output::Executable);
  if (out != Output::Executable && out != Output::Library) optimize(*m, *tm, o.optLevel);
  switch (out) {
    case Output::LLVM: {
      std::string text;
      llvm::raw_string_ostream os(text);
      m->print(os, nullptr);
      os.flush();
      return writeText(path, text, o);
    }
    case Output::Asm:
    case Output::Object: {
      nagrt::OutputOptions w;
      w.inputs = o.inputs;
      return nagrt::writeOutputWith(path, [&](const std::string& tmp) { return emitFile(*m, *tm, out == Output::Asm, tmp); }, w);
    }
    case Output::Executable:
    case Output::Library: {
      std::vector<std::string> objects;
      error = emitObjects(std::move(m), *tm, o, objects);
      auto removeObjects = [&] {
        for (const std::string& object : objects)
          if (!object.empty()) std::remove(object.c_str());
      };
      if (!error.empty()) {
        removeObjects();
        return error;
      }
      nagrt::OutputOptions w;
      w.inputs = o.inputs;
      w.mode = 0755;
      error = nagrt::writeOutputWith(
          path,
          [&](const std::string& tmp) -> std::string {
            std::vector<std::string> argv{NAGC_LINKER};
            if (std::string flag = NAGC_LINKER_FLAG; !flag.empty()) argv.push_back(flag);
            // A sanitized build's runtime needs the sanitizer's libraries too.
            if (std::string sanitize = NAGC_SANITIZE_FLAGS; !sanitize.empty()) argv.push_back(sanitize);
            if (out == Output::Library) argv.push_back("-shared");
            // A library carries the whole runtime (the dimension report, the
            // command line's pieces) for the programs that load it.
            bool whole = out == Output::Library;
            for (const std::string& a :
                 {std::string("-o"), tmp})
              argv.push_back(a);
            argv.insert(argv.end(), objects.begin(), objects.end());
            for (const std::string& a :
                 {std::string(whole ? "-Wl,--whole-archive" : "-Wl,--as-needed"),
                  runtimeLibrary(), std::string(whole ? "-Wl,--no-whole-archive" : "-Wl,--no-as-needed"),
                  std::string("-lflint"), std::string("-lgivaro"), std::string("-lgmpxx"), std::string("-lgmp"), lapacke(out), std::string("-lopenblas"),
                  std::string("-lm"), std::string("-pthread")})
              argv.push_back(a);
            std::string output;
            if (run(argv, output) != 0) return "linking '" + path + "' failed:\n" + output;
            return "";
          },
          w);
      removeObjects();
      if (!error.empty()) return error;
      if (out == Output::Library) {
        std::string header = replaceExtension(path, ".h");
        return writeText(header, cHeader(g, d, path, o.precision), o);
      }
      return "";
    }
  }
  return "unknown output kind";
}

}  // namespace nag::codegen
