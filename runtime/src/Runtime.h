// Runtime.h — libnagrt's internal C++ interface: errors, data, random numbers.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

struct nag_model;

namespace nagrt {

/// A user-facing error; the message says what and where.
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Threads the runtime uses: NAG_THREADS (1..1024), else the hardware's (Parallel.cpp).
unsigned threadCount();

/// OpenBLAS's threads (Blas.cpp). blasProgramMode (a generated program's
/// start) runs OpenBLAS on one thread and stops its idle workers; a WideBlas
/// in scope gives a large LAPACK call threadCount() threads and stops them
/// after it. Outside program mode (a shared library) both leave OpenBLAS as it is.
void blasProgramMode();
class WideBlas {
public:
  WideBlas();
  ~WideBlas();
  WideBlas(const WideBlas&) = delete;
  WideBlas& operator=(const WideBlas&) = delete;
};

/// A row-major table of doubles.
struct Matrix {
  int64_t rows = 0;
  int64_t cols = 0;
  std::vector<double> data;
};

/// The documented generator behind `random:SEED`: SplitMix64 started at SEED;
/// the k-th value drawn is ((z_k >> 11) * 2^-53) * 2 - 1, uniform on [-1, 1)
/// with 53 random bits, the same on every machine.
class Random {
public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t next64();
  double uniform();  ///< in [-1, 1)
  /// The whole generator state: Random(state()) continues the same sequence (checkpoints).
  uint64_t state() const { return state_; }

private:
  uint64_t state_;
};

/// The starting state of stream `salt` of `seed`: SplitMix64's output function applied twice, so that streams of
/// different seeds or salts start at unrelated points of SplitMix64's sequence. (Random(seed * 0x9E3779B97F4A7C15 +
/// salt), the old recipe, made the streams of seeds s and s + 1 one sequence, one draw apart: that constant is
/// SplitMix64's increment, and the "independent" second seed of `degree` and `critical` drew the first seed's
/// values shifted by one.)
uint64_t streamState(uint64_t seed, uint64_t salt);

/// What to read: `what` names the data in messages ("theta", "x").
struct DataRequest {
  std::string spec;        ///< "random:SEED", "-" (stdin), or a path
  std::string what;
  int64_t cols = 0;        ///< values per row
  int64_t rows = -1;       ///< rows wanted; -1 = all rows of a file (random needs a count)
  bool flat = false;       ///< any row layout, as long as the total is rows * cols
};

/// Reads text/CSV (comma or blank separated, '#' comments), .npy (f8, f4,
/// i8, i4; C or Fortran order), standard input, or random:SEED. Rejects
/// non-numbers, NaN, Inf, wrong counts, truncated files, with file:row:col.
Matrix readData(const DataRequest& request);

/// The part of readData after the bytes are read: parses `bytes` (named
/// `file` in messages; .npy by name or magic, else text) and checks the
/// counts against the request. Used by readData and by the data fuzzer.
Matrix parseData(const std::string& bytes, const std::string& file, const DataRequest& request);

/// The bytes of a data file as readData reads them: "-" is standard input,
/// a directory or a file beyond 4 GiB is refused, a stream stops at its
/// first NUL block unless it is a .npy file.
std::string readInputBytes(const std::string& spec, const std::string& what);

/// A .npy file, by its name or its magic bytes.
bool isNpy(const std::string& file, const std::string& bytes);

/// Whether spec has the form "random:..." (its seed is checked by randomSeed, where it is read).
bool isRandomSpec(const std::string& spec);
/// The seed of a "random:SEED" spec; an Error "<prefix>'random:...': ..." when SEED is not a whole number below 2^64.
uint64_t randomSeed(const std::string& spec, const std::string& prefix);

enum class Format { Text, CSV, NPY, JSON };

/// The format implied by a path's extension (.npy, .csv, .json, else text).
Format formatFor(const std::string& path);

/// Writes a matrix to `path` ("" = standard output) atomically: a failed
/// write leaves no partial file. `name` is the JSON key. Each row may be a
/// matrix of shape `rowShape` (2 entries): text then prints its rows on
/// separate lines with a blank line between samples, .npy writes a 3-D
/// array and JSON nests the lists (NaN and infinities as null). An output that
/// is one of `inputs` is refused (nagrt::writeOutput).
void writeMatrix(const Matrix& m, const std::string& path, Format format, const std::string& name,
                 const std::vector<int64_t>& rowShape = {}, const std::vector<std::string>& inputs = {});

/// The memory this process can really use, in bytes: the least of physical
/// RAM, RLIMIT_AS and RLIMIT_DATA (soft limits, less what the process already
/// maps) and the memory limit of its cgroup or any ancestor (v2 memory.max,
/// v1 memory.limit_in_bytes). An upper bound, for refusing what can never
/// fit: other processes may take some of it first. Memory.cpp.
uint64_t availableMemoryBytes();

/// How a program that lacks a command's kernels was built, and what to do, for messages: "it was compiled with
/// --kernels dim (only what those commands need, ...); compile it without --kernels or add this command ...",
/// or the --no-derivatives case. Cli.cpp.
std::string kernelsLeftOut(const ::nag_model& m);

}  // namespace nagrt

struct nag_model;

namespace nagrt {

/// `expand`: f_theta as exact polynomials in x (Poly.cpp).
void expand(const nag_model& m, const std::string& thetaPath, bool json, bool quiet);
/// `export`: the polynomial map as a Macaulay2 or Singular script (Poly.cpp).
void exportMap(const nag_model& m, const std::string& format);

}  // namespace nagrt
