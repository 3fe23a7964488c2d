// Codegen.h — native code for networks: LLVM IR, assembly, objects, programs, libraries, JIT.
// (No LLVM types here: the rest of nagc includes this header.)
#pragma once

#include "ir/IR.h"
#include "ir/Model.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace nag::codegen {

/// What to produce.
enum class Output { LLVM, Asm, Object, Executable, Library };

/// The number type of evaluation.
enum class Precision { F64, F32 };

/// The numbers a function computes in: IEEE floats (of the precision),
/// integers mod p (exact: the dimension report; Montgomery with R = 2^64 for
/// p < 2^62, or R = 2^32 for p < 2^31, whose products are vector 32x32->64
/// multiplications), or complex doubles (the path tracker).
enum class NumberDomain { Real, Modular, Modular32, Complex };

/// Code generation settings.
/// Kernel objects kept between builds (the driver's build cache). Each kernel
/// of an executable or library is compiled as its own module, and its object
/// is found by a hash of what determines it: that module's bitcode, the
/// optimization level and the resolved target. A build that shares kernels
/// with an earlier one (`--kernels dim`, then the whole program; a sweep's rows
/// that differ in one kernel) compiles only the others.
struct ObjectCache {
  std::function<std::string(const std::string& material)> key;                 ///< an entry's name for the material
  std::function<bool(const std::string& key, const std::string& dest)> fetch;  ///< copies an entry to dest; false: none
  std::function<void(const std::string& key, const std::string& from)> store;  ///< keeps a file (best effort)
  std::function<void(const std::string& line)> say;                            ///< -v: what was reused, what compiled
};

struct Options {
  unsigned optLevel = 2;     ///< -O0 .. -O3
  std::string targetCpu;     ///< empty: the host CPU with all its features
  unsigned lanes = 0;        ///< samples per SIMD block (a power of two, 1..64); 0: defaultLanes
  Precision precision = Precision::F64;  ///< f32: eval takes and returns floats
  NumberDomain domain = NumberDomain::Real;  ///< internal: set per function by buildModule
  bool complexKernels = true;  ///< algebraic networks also get eval/jac_theta in complex doubles (the tracker)
  bool wideModular = true;     ///< and the R = 2^64 modular kernels (primes up to 2^62) beside the R = 2^32 ones
  std::string kernels;         ///< --kernels as the descriptor records it ("" every kernel)
  std::vector<std::string> inputs;  ///< files read by the compilation, which an output must not replace
  std::shared_ptr<const ObjectCache> objectCache;  ///< null: no kernel objects are kept
};

/// Compiles the network and writes `path` (for a library, also `path` with
/// its extension replaced by ".h", the C header). Returns "" or an error.
std::string compileToFile(const ir::Graph& g, const ir::ModelDescription& d, const Options& o, Output out,
                          const std::string& path);

/// Compiles in memory with the ORC JIT and runs the program's command line
/// (`info`, `eval`, ...) with `args` (args[0] is the program name). Returns
/// its exit status; sets `error` when compilation itself failed.
int runJIT(const ir::Graph& g, const ir::ModelDescription& d, const Options& o, std::vector<std::string> args,
           std::string& error);

/// The C header of `--emit=lib`: sizes, parameter layout, function prototypes.
std::string cHeader(const ir::Graph& g, const ir::ModelDescription& d, const std::string& libraryName,
                    Precision precision);

/// The runtime library programs and libraries are linked with.
std::string runtimeLibrary();

/// The target code is generated for, resolved: the triple, the CPU (the
/// host's when none is given) and its features, as one line for cache keys.
std::string resolvedTarget(const Options& o);

/// The samples per block when --lanes is not given: two of the target's
/// vector registers of the number type (8 doubles with AVX2, 16 with
/// AVX-512 used at full width). Wider blocks spill: on znver3 eval at 32
/// lanes took three times as long as at 8 (bench/README.md).
unsigned defaultLanes(const Options& o);

/// Checks the options (lanes, CPU name); returns "" or an error.
std::string validate(const Options& o);

/// A constant of the IR that the float code cannot represent.
struct UnrepresentableConstant {
  SourceRange loc;     ///< the constant's place in the source
  std::string value;   ///< its value, to 4 significant digits ("1.358e+331")
  std::string becomes; ///< what the float code computes with: "inf", "-inf" or "0"
};

/// The constants of `g` beyond the range of `p` (rounded to nearest they
/// become infinite, and inf - inf or 0 * inf then give NaN) or nonzero but
/// rounded to 0, in node order. The exact (mod p) code is not affected.
std::vector<UnrepresentableConstant> unrepresentableConstants(const ir::Graph& g, Precision p);

}  // namespace nag::codegen
