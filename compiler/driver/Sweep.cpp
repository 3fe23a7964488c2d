// Sweep.cpp — `nagc sweep`: the dimension report over every combination of arguments.
#include "driver/Sweep.h"

#include "codegen/Codegen.h"
#include "driver/Cache.h"
#include "driver/Options.h"
#include "driver/Process.h"
#include "driver/Results.h"
#include "driver/SweepColumns.h"
#include "frontend/AST.h"
#include "frontend/Modules.h"
#include "support/Diagnostics.h"
#include "support/Json.h"
#include "nagrt_output.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <chrono>
#include <dirent.h>
#include <fcntl.h>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace nag::driver {

namespace {

// At most this many values in one lo..hi range, and this many combinations
// in a sweep (each is a compilation and a dimension report).
constexpr int64_t kMaxRangeValues = 100000;
constexpr int64_t kMaxCombinations = 1000000;

// An integer of a -D range: all of `text`, in range for int64_t.
bool parseRangeEnd(const std::string& text, int64_t& out) {
  if (text.empty() || std::isspace(static_cast<unsigned char>(text.front()))) return false;
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (*end != '\0' || errno == ERANGE) return false;
  out = v;
  return true;
}

// How deeply brackets nest in a value: 0 for "2", 1 for "[2,1,1]", 2 for "[[2,1,1],[3,1,1]]".
int nesting(const std::string& text) {
  int depth = 0, most = 0;
  for (char c : text) {
    if (c == '[') most = std::max(most, ++depth);
    if (c == ']') --depth;
  }
  return most;
}

// The list depth of each argument of the network ([int]: 1, [[int]]: 2,
// int: 0), from its declaration; empty when the source cannot be read (each
// row's compile then says why).
std::map<std::string, int> argumentDepths(const SweepOptions& o) {
  SourceManager sources;
  std::ostringstream ignored;
  DiagnosticEngine diags(sources, ignored);
  LoadOptions load;
  load.stdlibPaths = o.stdlibPaths;
  load.stdlibPaths.push_back(NAGC_STDLIB_DIR);
  std::unique_ptr<Program> program = loadProgram(o.input, sources, diags, load);
  std::map<std::string, int> depths;
  if (!program) return depths;
  std::vector<const ast::NetworkDecl*> nets = ir::networksOf(*program);
  const ast::NetworkDecl* net = nets.size() == 1 && o.network.empty() ? nets.front() : nullptr;
  for (const ast::NetworkDecl* n : nets)
    if (!o.network.empty() && n->name == o.network) net = n;
  if (!net) return depths;
  for (const ast::Formal& f : net->formals) {
    int depth = 0;
    for (const ast::TypeExpr* t = f.type.get(); t && t->kind == ast::TypeExpr::Kind::List; t = t->elem.get()) ++depth;
    depths[f.name] = depth;
  }
  return depths;
}

// The alternatives of one -D: "[a, b, c]" (top-level elements), "lo..hi"
// (integers, inclusive), or a single value. `argumentDepth` is the argument's list
// depth when known (-1 otherwise): a list nested as deeply as the argument's
// type is one value of it (-D d=[2,1,1] for d: [int]), one level deeper a
// list of alternatives (-D d=[[2,1,1],[3,1,1]]).
std::vector<std::string> alternatives(const std::string& name, const std::string& text, int argumentDepth,
                                      std::string& error) {
  std::vector<std::string> out;
  std::string given = "-D " + name + "=" + text + ": ";
  if (text.empty()) {
    error = given + "no value (give a value, a list of alternatives [a, b, ...] or a range lo..hi)";
    return {};
  }
  size_t dots = text.find("..");
  if (dots != std::string::npos && text.front() != '[') {
    std::string loText = text.substr(0, dots), hiText = text.substr(dots + 2);
    int64_t lo = 0, hi = 0;
    if (!parseRangeEnd(loText, lo) || !parseRangeEnd(hiText, hi)) {
      error = given + "expected lo..hi with integers lo and hi (64-bit), got '" + loText + "' and '" + hiText + "'";
      return {};
    }
    if (hi < lo) {
      error = given + "expected lo..hi with lo <= hi, got lo = " + loText + " > hi = " + hiText;
      return {};
    }
    // hi - lo + 1 in unsigned arithmetic: exact for any int64_t lo <= hi.
    uint64_t count = uint64_t(hi) - uint64_t(lo) + 1;
    if (count == 0 || count > uint64_t(kMaxRangeValues)) {
      error = given + "the range has " + (count == 0 ? std::string("18446744073709551616") : std::to_string(count)) +
              " values; the limit is " + std::to_string(kMaxRangeValues);
      return {};
    }
    for (int64_t v = lo;; ++v) {
      out.push_back(std::to_string(v));
      if (v == hi) break;
    }
    return out;
  }
  if (text.front() != '[') return {text};  // one value: an axis of one alternative
  if (argumentDepth >= 0 && nesting(text) == argumentDepth) return {text};  // one value of a list argument
  if (text.size() < 2 || text.back() != ']') {
    error = given + "a list of alternatives must end with ']'";
    return {};
  }
  int depth = 0;
  std::string current;
  for (size_t i = 1; i + 1 < text.size(); ++i) {
    char c = text[i];
    if (c == '[') ++depth;
    if (c == ']') --depth;
    if (c == ',' && depth == 0) {
      out.push_back(current);
      current.clear();
      continue;
    }
    if (c != ' ' || depth > 0) current += c;
  }
  if (!current.empty()) out.push_back(current);
  if (out.empty()) error = given + "no alternatives";
  // The same alternative twice would be two rows of one combination.
  std::set<std::string> seen;
  for (const std::string& a : out)
    if (!seen.insert(a).second) {
      error = given + "the alternative '" + a + "' is given twice";
      return {};
    }
  return out;
}

// Removes the folder a row ran in (its program and whatever a killed compile left), one level deep.
void removeRunFolder(const std::string& dir) {
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d))
      if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) ::unlink((dir + "/" + e->d_name).c_str());
    ::closedir(d);
  }
  ::rmdir(dir.c_str());
}

std::string secondsText(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", s);
  return buf;
}

// An exclusive flock on the results file, held for the whole sweep, so that
// a second sweep on the same file waits and then resumes from what the first
// one wrote.
class ResultsLock {
public:
  ResultsLock() = default;
  ResultsLock(const ResultsLock&) = delete;
  ResultsLock& operator=(const ResultsLock&) = delete;
  ~ResultsLock() { release(); }

  /// Opens (creating) and locks `path`; says so and waits while another
  /// sweep holds it. False with `error` set when it cannot.
  bool acquire(const std::string& path, std::ostream& err, std::string& error) {
    release();
    for (bool told = false;;) {
      int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
      if (fd < 0) {
        error = "cannot open '" + path + "': " + std::strerror(errno);
        return false;
      }
      if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK) {
          error = "cannot lock '" + path + "': " + std::strerror(errno);
          ::close(fd);
          return false;
        }
        if (!told) err << "sweep: another sweep is writing '" << path << "'; waiting for it to finish\n" << std::flush;
        told = true;
        if (::flock(fd, LOCK_EX) != 0) {
          error = "cannot lock '" + path + "': " + std::strerror(errno);
          ::close(fd);
          return false;
        }
      }
      if (names(fd, path)) {
        fd_ = fd;
        return true;
      }
      ::close(fd);  // the file was replaced while we waited: lock the new one
    }
  }

  /// The whole file as it is now.
  std::string contents() const {
    std::string text;
    char buf[65536];
    for (off_t at = 0;;) {
      ssize_t n = ::pread(fd_, buf, sizeof buf, at);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      text.append(buf, size_t(n));
      at += n;
    }
    return text;
  }

  /// Appends and syncs `bytes` (whole rows).
  bool append(const std::string& bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      done += size_t(n);
    }
    return ::fdatasync(fd_) == 0;
  }

  /// Replaces the file atomically with `text` and moves the lock to the new
  /// file. False with `error` empty when another sweep locked the new file
  /// first (the caller acquires and reads again), with `error` set on failure.
  bool replace(const std::string& path, const std::string& text, std::string& error) {
    error = nagrt::writeOutput(path, text);
    if (!error.empty()) return false;
    int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
    if (fd >= 0 && ::flock(fd, LOCK_EX | LOCK_NB) == 0 && names(fd, path)) {
      release();
      fd_ = fd;
      return true;
    }
    if (fd >= 0) ::close(fd);
    release();
    return false;
  }

private:
  static bool names(int fd, const std::string& path) {
    struct stat a, b;
    return ::fstat(fd, &a) == 0 && ::stat(path.c_str(), &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
  }
  void release() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int fd_ = -1;
};

std::string shellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Writes the job files of --emit-jobs.
int emitJobs(const SweepOptions& o, const std::string& self, const std::vector<std::string>& names,
             const std::vector<std::vector<std::string>>& combos, std::ostream& out, std::ostream& err) {
  ::mkdir(o.emitJobs.c_str(), 0755);
  ::mkdir((o.emitJobs + "/rows").c_str(), 0755);
  std::ostringstream jobs, slurm, parallel;
  for (size_t i = 0; i < combos.size(); ++i) {
    char row[32];
    std::snprintf(row, sizeof row, "row-%06zu.csv", i);
    jobs << shellQuote(self) << " sweep " << shellQuote(o.input);
    for (size_t k = 0; k < combos[i].size(); ++k) jobs << " -D " << shellQuote(names[k] + "=[" + combos[i][k] + "]");
    if (!o.network.empty()) jobs << " --network " << shellQuote(o.network);
    if (o.measures.floating) jobs << " --float";
    if (o.measures.degree) jobs << " --degree --degree-method " << shellQuote(o.measures.degreeMethod);
    if (o.measures.equations) jobs << " --equations";
    if (o.measures.maxDegree > 0) jobs << " --max-degree " << o.measures.maxDegree;
    if (o.measures.critical) jobs << " --critical --critical-args " << shellQuote(o.measures.criticalArgs);
    if (o.measures.train) jobs << " --train " << shellQuote(o.measures.trainArgs);
    if (o.timeout > 0) jobs << " --timeout " << o.timeout;
    for (const std::string& a : o.compileArgs) jobs << " " << shellQuote(a);
    for (const std::string& dir : o.stdlibPaths) jobs << " --stdlib-path " << shellQuote(dir);
    if (!o.useCache) jobs << " --no-cache";
    jobs << " --cache " << shellQuote(o.cache) << " -o " << shellQuote(o.emitJobs + "/rows/" + row) << "\n";
  }
  slurm << "#!/bin/bash\n#SBATCH --job-name=nagc-sweep\n#SBATCH --array=0-" << combos.size() - 1 << "\n"
        << "# One dimension report per array task; then: nagc sweep --merge " << o.emitJobs << " -o results.csv\n"
        << "line=$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" " << shellQuote(o.emitJobs + "/jobs.txt") << ")\n"
        << "eval \"$line\"\n";
  parallel << "#!/bin/bash\n# All jobs with GNU parallel; then: nagc sweep --merge " << o.emitJobs << " -o results.csv\n"
           << "parallel --jobs " << std::max(1u, o.jobs) << " < " << shellQuote(o.emitJobs + "/jobs.txt") << "\n";
  for (const auto& [name, text] : {std::pair<std::string, std::string>{"/jobs.txt", jobs.str()}, {"/slurm.sh", slurm.str()},
                                   {"/parallel.sh", parallel.str()}})
    if (std::string problem = nagrt::writeOutput(o.emitJobs + name, text); !problem.empty()) {
      err << "nagc: error: cannot write the job files in '" << o.emitJobs << "': " << problem << "\n";
      return 1;
    }
  out << "sweep: " << combos.size() << " jobs in " << o.emitJobs << "/jobs.txt (slurm.sh, parallel.sh)\n";
  return 0;
}

// Gathers the rows of --emit-jobs's jobs into one CSV.
int mergeRows(const SweepOptions& o, std::ostream& out, std::ostream& err) {
  std::string header;
  std::vector<std::string> rows;
  size_t files = 0, missing = 0;
  for (size_t i = 0;; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "/rows/row-%06zu.csv", i);
    std::ifstream in(o.merge + name);
    if (!in) {
      // Rows are numbered densely; the job list says how many there are.
      std::ifstream jobs(o.merge + "/jobs.txt");
      size_t total = 0;
      std::string line;
      while (std::getline(jobs, line)) ++total;
      if (i >= total) break;
      ++missing;
      continue;
    }
    ++files;
    std::string line;
    for (bool first = true; std::getline(in, line); first = false) {
      if (first) {
        if (!header.empty() && line != header) {
          err << "nagc: error: " << o.merge << name << " has another header\n";
          return 1;
        }
        header = line;
      } else if (!line.empty()) {
        rows.push_back(line);
      }
    }
  }
  if (header.empty() && missing == 0) {
    err << "nagc: error: no jobs in '" << o.merge << "' (see --emit-jobs)\n";
    return 1;
  }
  if (header.empty()) {
    out << "sweep: merged 0 rows from 0 jobs into " << o.output << "; " << missing << " jobs have not written their row yet\n";
    return 1;
  }
  std::string merged = header + "\n";
  for (const std::string& r : rows) merged += r + "\n";
  if (std::string problem = nagrt::writeOutput(o.output, merged); !problem.empty()) {
    err << "nagc: error: " << problem << "\n";
    return 1;
  }
  out << "sweep: merged " << rows.size() << " rows from " << files << " jobs into " << o.output;
  if (missing) out << "; " << missing << " jobs have not written their row yet";
  out << "\n";
  return missing ? 1 : 0;
}

// The kernels every row's program gets (nagc --kernels): what the sweep's
// measures run — dim; the complex kernels for a degree by monodromy
// (interpolation needs only eval_mod); critical; train — and whatever
// --kernels added to them. Empty: the whole program (--kernels all).
// `compileArgs` gets the sweep's other compile options.
std::string rowKernels(const SweepOptions& o, std::vector<std::string>& compileArgs) {
  std::set<std::string> names{"dim"};
  if (o.measures.degree && o.measures.degreeMethod != "interpolation") names.insert("degree");
  if (o.measures.critical) names.insert("critical");
  if (o.measures.train) names.insert("train");
  bool all = false;
  compileArgs.clear();
  for (size_t i = 0; i < o.compileArgs.size(); ++i) {
    if (o.compileArgs[i] != "--kernels" || i + 1 == o.compileArgs.size()) {
      compileArgs.push_back(o.compileArgs[i]);
      continue;
    }
    for (const std::string& name : kernelNames(o.compileArgs[++i])) {
      if (name == "all") all = true;
      else if (!name.empty()) names.insert(name);
    }
  }
  if (all) return "";
  std::string joined;
  for (const std::string& n : names) joined += (joined.empty() ? "" : ",") + n;
  return joined;
}

}  // namespace

int runSweep(const SweepOptions& o, const std::string& self, std::ostream& out, std::ostream& err) {
  if (!o.merge.empty()) return mergeRows(o, out, err);
  // Every row runs `critical` and `train` with these options: the sweep gives --json and --quiet itself, and an
  // option that writes or reads one file per run would have every row share it.
  for (const auto& [flag, args] : {std::pair<std::string, std::string>{"--critical-args", o.measures.criticalArgs},
                                   std::pair<std::string, std::string>{"--train", o.measures.trainArgs}})
    for (const std::string& a : splitArgs(args))
      if (a == "--json" || a == "--quiet" || a == "--out" || a == "--trajectory" || a == "--checkpoint" ||
          a == "--resume" || a == "--checkpoint-every" || a == "--record") {
        err << "nagc: error: " << flag << " '" << args << "': " << a
            << (a == "--json" || a == "--quiet" ? " is given by the sweep itself"
                                                : " would have every row write or read the same file")
            << "; leave it out\n";
        return 1;
      }
  // The combinations, in the order of the -D options.
  std::vector<std::pair<std::string, std::vector<std::string>>> axes;
  std::map<std::string, int> depths = argumentDepths(o);
  for (const ir::Define& d : o.defines) {
    std::string error;
    auto depth = depths.find(d.name);
    std::vector<std::string> alts = alternatives(d.name, d.value, depth == depths.end() ? -1 : depth->second, error);
    if (!error.empty()) {
      err << "nagc: error: " << error << "\n";
      return 1;
    }
    axes.push_back({d.name, alts});
  }
  // The grid's size before it is built: the product of the axes' lengths.
  {
    unsigned __int128 size = 1;
    std::string sizes;
    for (const auto& [name, alts] : axes) {
      sizes += (sizes.empty() ? "" : " x ") + std::to_string(alts.size()) + " (" + name + ")";
      size = std::min<unsigned __int128>(size * alts.size(), ~uint64_t(0));  // saturates at 2^64 - 1
    }
    if (size > kMaxCombinations) {
      err << "nagc: error: the sweep has " << sizes << " = "
          << (size == ~uint64_t(0) ? "more than " + std::to_string(~uint64_t(0)) : std::to_string(uint64_t(size)))
          << " combinations; the limit is " << kMaxCombinations << " (narrow the ranges or split the sweep)\n";
      return 1;
    }
  }
  std::vector<std::vector<std::string>> combos{{}};
  for (const auto& [name, alts] : axes) {
    std::vector<std::vector<std::string>> next;
    for (const auto& c : combos)
      for (const std::string& a : alts) {
        auto k = c;
        k.push_back(a);
        next.push_back(k);
      }
    combos.swap(next);
  }
  if (!o.emitJobs.empty()) {
    std::vector<std::string> names;
    for (const auto& axis : axes) names.push_back(axis.first);
    return emitJobs(o, self, names, combos, out, err);
  }
  ::mkdir(o.cache.c_str(), 0755);
  if (std::string problem = nagrt::checkNotAnInput(o.output, {o.input}); !problem.empty()) {
    err << "nagc: error: " << problem << "\n";
    return 1;
  }
  // What determines every row: nagc, the whole import closure, the network,
  // the target; each row adds its arguments (and the report's options).
  std::string loadError;
  std::string closure = sourceClosure(o.input, o.stdlibPaths, loadError);
  if (closure.empty()) {
    err << (loadError.empty() ? "nagc: error: cannot read '" + o.input + "'\n" : loadError);
    return 1;
  }
  codegen::Options target;
  target.targetCpu = o.targetCpu;
  std::vector<std::string> compileArgs;
  const std::string kernels = rowKernels(o, compileArgs);
  std::string compileFlags;
  for (const std::string& a : compileArgs) compileFlags += " " + a;
  compileFlags += kernels.empty() ? " (the whole program)" : " --kernels " + kernels;
  std::string base = buildIdentity() + "\n" + codegen::resolvedTarget(target) + "\nnetwork " + o.network +
                     "\ncompile" + compileFlags + "\n" + closure;
  std::string measured = std::string("\ndim ") + (o.measures.floating ? "--float" : "--exact");
  if (o.measures.degree) measured += "\ndegree --method " + o.measures.degreeMethod;
  if (o.measures.equations) measured += "\nequations --max-degree " + std::to_string(o.measures.maxDegree);
  if (o.measures.critical) measured += "\ncritical " + o.measures.criticalArgs;
  if (o.measures.train) measured += "\ntrain " + o.measures.trainArgs;
  std::vector<std::string> keys(combos.size()), labels(combos.size()), programKeys(combos.size()), rowHashes(combos.size());
  std::map<std::string, std::string> hashOf;  // argument cells -> the inputs hash of this sweep's row
  for (size_t i = 0; i < combos.size(); ++i) {
    for (size_t k = 0; k < combos[i].size(); ++k) {
      keys[i] += csvCell(combos[i][k]) + ",";
      labels[i] += (k ? " " : "") + axes[k].first + "=" + combos[i][k];
    }
    std::string material = base + "\narguments " + labels[i];
    programKeys[i] = cacheKey(material);
    rowHashes[i] = cacheKey(material + measured);
    hashOf[keys[i]] = rowHashes[i];
  }

  // Resume under an exclusive lock on the results file: rows already there
  // (status ok, made from the same inputs) are kept and not run again.
  std::vector<std::string> headerCells;
  for (const auto& axis : axes) headerCells.push_back(axis.first);
  for (const std::string& c : measureColumns(o.measures)) headerCells.push_back(c);
  std::string header;
  for (size_t k = 0; k < headerCells.size(); ++k) header += (k ? "," : "") + csvCell(headerCells[k]);
  ResultsLock results;
  std::set<std::string> finishedKeys;
  for (;;) {
    std::string problem;
    if (!results.acquire(o.output, err, problem)) {
      err << "nagc: error: " << problem << "\n";
      return 1;
    }
    std::string text = results.contents();
    finishedKeys.clear();
    if (text.empty()) {
      if (!results.append(header + "\n")) {
        err << "nagc: error: cannot write '" << o.output << "'\n";
        return 1;
      }
      break;
    }
    ResultsFile file = readResults(text, axes.size());
    if (file.header != headerCells) {
      bool sameArguments = file.header.size() >= axes.size() &&
                           std::equal(axes.begin(), axes.end(), file.header.begin(),
                                      [](const auto& axis, const std::string& c) { return axis.first == c; });
      if (!sameArguments) {
        err << "nagc: error: '" << o.output << "' holds another sweep (its header differs); choose another --out\n";
        return 1;
      }
      // The same grid with other columns (another set of measurements, or an
      // older nagc): its rows cannot be resumed into this one's columns.
      std::string lacks, extra;
      for (const std::string& c : headerCells)
        if (std::find(file.header.begin(), file.header.end(), c) == file.header.end()) lacks += (lacks.empty() ? "" : ", ") + c;
      for (const std::string& c : file.header)
        if (std::find(headerCells.begin(), headerCells.end(), c) == headerCells.end()) extra += (extra.empty() ? "" : ", ") + c;
      err << "nagc: error: '" << o.output << "' was written with other columns than this sweep's ("
          << (lacks.empty() ? "" : "it lacks " + lacks) << (lacks.empty() || extra.empty() ? "" : "; ")
          << (extra.empty() ? "" : "it has " + extra + ", which this sweep does not measure")
          << (lacks.empty() && extra.empty() ? "they are in another order" : "")
          << "); a sweep resumes only into a file with its own columns: choose another --out, or remove the file "
             "to run every row again\n";
      return 1;
    }
    if (!file.problems.empty()) {
      for (const std::string& p : file.problems) err << "nagc: error: " << o.output << ":" << p << "\n";
      err << "nagc: error: '" << o.output << "' has " << file.problems.size()
          << " malformed rows; correct or delete them (nothing was run)\n";
      return 1;
    }
    std::string kept = header + "\n";
    size_t dropped = 0;
    size_t statusCol = size_t(std::find(headerCells.begin(), headerCells.end(), "status") - headerCells.begin());
    size_t hashCol = size_t(std::find(headerCells.begin(), headerCells.end(), "inputs_hash") - headerCells.begin());
    for (const ResultsRow& row : file.rows) {
      std::string key, line;
      for (size_t k = 0; k < row.cells.size(); ++k) {
        if (k < axes.size()) key += csvCell(row.cells[k]) + ",";
        line += (k ? "," : "") + csvCell(row.cells[k]);
      }
      auto mine = hashOf.find(key);
      bool current = mine != hashOf.end() && row.cells[statusCol] == "ok" && row.cells[hashCol] == mine->second &&
                     !finishedKeys.count(key);
      if (mine != hashOf.end() && !current) {
        ++dropped;  // not ok, made from other inputs, or a duplicate: run again
        continue;
      }
      if (mine != hashOf.end()) finishedKeys.insert(key);
      kept += line + "\n";
    }
    if (dropped == 0 && text.back() == '\n') break;
    if (dropped)
      out << "sweep: " << dropped << " rows of " << o.output
          << " will be run again (not ok, a duplicate, or made by another version of the program, of nagc or of "
             "the options)\n";
    if (!results.replace(o.output, kept, problem)) {
      if (!problem.empty()) {
        err << "nagc: error: " << problem << "\n";
        return 1;
      }
      continue;  // another sweep took the rewritten file first: read it again
    }
    break;
  }

  std::mutex lock;
  std::atomic<size_t> next{0};
  size_t skipped = 0;
  std::atomic<size_t> failures{0};
  size_t finished = 0;  // rows run by this sweep (guarded by lock)
  auto sweepStart = std::chrono::steady_clock::now();
  ForwardStopSignals forward;  // Ctrl-C ends the rows' process groups too
  std::string limit = "--timeout " + secondsText(o.timeout) + " s";
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < combos.size();) {
      const auto& combo = combos[i];
      const std::string& key = keys[i];
      const std::string& label = labels[i];
      {
        std::lock_guard<std::mutex> g(lock);
        if (finishedKeys.count(key)) {
          ++skipped;
          continue;
        }
      }
      // Each row runs in a private folder: its program (from the cache when
      // an entry with a matching content hash is there, else compiled and
      // stored) and the compile's temporaries (TMPDIR), removed afterwards
      // even when a time limit killed the compile.
      std::string folder = o.cache + "/.run-" + std::to_string(::getpid()) + "-" + std::to_string(i);
      ::mkdir(folder.c_str(), 0700);
      std::string exe = folder + "/model";
      auto start = std::chrono::steady_clock::now();
      std::string status = "ok", reason, diagnostics, note;
      std::vector<std::string> dimC(dimColumns().size()), degreeC(degreeColumns().size()),
          equationsC(equationsColumns().size()), criticalC(criticalColumns().size()), trainC(trainColumns().size());
      CacheResult cached = o.useCache ? cacheFetch(o.cache, programKeys[i], exe, 0755, {}, note) : CacheResult::Miss;
      if (cached != CacheResult::Hit) {
        if (!note.empty() && o.verbose) {
          std::lock_guard<std::mutex> g(lock);
          err << "nagc: " << note << "\n";
        }
        std::vector<std::string> argv{self, o.input};
        if (!kernels.empty()) argv.insert(argv.end(), {"--kernels", kernels});
        argv.insert(argv.end(), compileArgs.begin(), compileArgs.end());
        argv.insert(argv.end(), {"--no-cache", "-o", exe});
        for (size_t k = 0; k < combo.size(); ++k) argv.push_back("-D" + axes[k].first + "=" + combo[k]);
        if (!o.network.empty()) argv.insert(argv.end(), {"--network", o.network});
        for (const std::string& dir : o.stdlibPaths) argv.insert(argv.end(), {"--stdlib-path", dir});
        ProcessResult p = runProcess(argv, o.timeout, folder);
        if (p.status == -1) {
          status = "timeout";
          reason = "the compile took longer than " + limit;
        } else if (p.status != 0) {
          status = "compile error";
          reason = firstDiagnostic(p.err);
          if (reason.empty()) reason = "nagc " + std::string(p.status == -2 ? "was ended by a signal" : "failed") + " and said nothing";
          diagnostics = p.err;
        } else if (o.useCache) {
          cacheStore(o.cache, programKeys[i], exe);  // best effort
        }
      }
      // One of the program's commands, its --json report parsed; false (and
      // the row's status and reason set) when it did not give one with exit
      // status 0. A report that came with exit status 1 (degree undecided,
      // equations not verified) is still returned, for its cells.
      auto command = [&](const std::string& name, std::vector<std::string> argv, const char* failed,
                         std::unique_ptr<JsonValue>& report) {
        ProcessResult p = runProcess(argv, o.timeout, folder);
        if (p.status == -1) {
          status = "timeout";
          reason = name + " took longer than " + limit;
          return false;
        }
        std::string problem;
        if (p.status == 0 || p.status == 1) report = parseJson(p.out, problem);
        if (p.status == 0 && report) return true;
        status = failed;
        diagnostics = p.err;
        reason = firstDiagnostic(p.err);
        if (reason.empty())
          reason = p.status == 0   ? name + " printed no JSON report (" + problem + ")"
                   : p.status == -2 ? name + (p.signal ? " was ended by signal " + std::to_string(p.signal) + " (" + strsignal(p.signal) + ")"
                                                       : " could not be run")
                                    : name + " exited with status " + std::to_string(p.status);
        return false;
      };
      std::unique_ptr<JsonValue> report;
      if (status == "ok") {
        std::vector<std::string> argv{exe, "dim", "--json", "--quiet"};
        if (o.measures.floating) argv.push_back("--float");
        if (command("dim", argv, "dim failed", report)) dimC = dimCells(*report);
      }
      if (status == "ok" && o.measures.degree) {
        std::unique_ptr<JsonValue> degree;
        bool ok = command("degree", {exe, "degree", "--json", "--quiet", "--method", o.measures.degreeMethod},
                          "degree failed", degree);
        if (degree) degreeC = degreeCells(*degree);
        if (!ok && degree && (*degree)["degree"].isNull()) {
          status = "degree undecided";  // the report came, and its runs disagree: say how
          if (!degreeC[3].empty()) reason = degreeC[3];
        }
      }
      if (status == "ok" && o.measures.equations) {
        std::vector<std::string> argv{exe, "equations", "--json", "--quiet"};
        if (o.measures.maxDegree > 0) argv.insert(argv.end(), {"--max-degree", std::to_string(o.measures.maxDegree)});
        std::unique_ptr<JsonValue> equations;
        command("equations", argv, "equations failed", equations);
        if (equations) equationsC = equationsCells(*equations);
      }
      if (status == "ok" && o.measures.critical) {
        std::vector<std::string> argv{exe, "critical", "--json", "--quiet"};
        for (const std::string& a : splitArgs(o.measures.criticalArgs)) argv.push_back(a);
        std::unique_ptr<JsonValue> critical;
        bool ok = command("critical", argv, "critical failed", critical);
        if (critical) criticalC = criticalCells(*critical);
        if (!ok && critical && (*critical)["count"].isNull()) status = "critical undecided";
      }
      if (status == "ok" && o.measures.train) {
        std::vector<std::string> argv{exe, "train", "--json", "--quiet"};
        for (const std::string& a : splitArgs(o.measures.trainArgs)) argv.push_back(a);
        std::unique_ptr<JsonValue> trained;
        if (command("train", argv, "train failed", trained)) trainC = trainCells(*trained);
      }
      removeRunFolder(folder);
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      char secs[32];
      std::snprintf(secs, sizeof secs, "%.2f", seconds);
      std::string row = key;
      for (const std::string& c : dimC) row += csvCell(c) + ",";
      if (o.measures.degree)
        for (const std::string& c : degreeC) row += csvCell(c) + ",";
      if (o.measures.equations)
        for (const std::string& c : equationsC) row += csvCell(c) + ",";
      if (o.measures.critical)
        for (const std::string& c : criticalC) row += csvCell(c) + ",";
      if (o.measures.train)
        for (const std::string& c : trainC) row += csvCell(c) + ",";
      row += std::string(secs) + "," + status + "," + csvCell(reason) + "," + rowHashes[i];
      std::lock_guard<std::mutex> g(lock);
      if (!results.append(row + "\n")) {  // a killed sweep keeps every finished row
        err << "nagc: error: cannot write '" << o.output << "'\n";
        ++failures;
      }
      if (status != "ok") ++failures;
      ++finished;
      if (o.verbose && status != "ok") {
        // The reason, then (-v) the whole diagnostic of the command that failed.
        err << "sweep: " << label << ": " << status << ": " << reason << "\n";
        std::istringstream lines(diagnostics);
        int shown = 0;
        for (std::string l; std::getline(lines, l) && shown < 20; ++shown) err << "  " << l << "\n";
      }
      if (o.progress) {
        // What finished, how far the sweep is, and an estimate of the time left.
        double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - sweepStart).count();
        size_t left = combos.size() - skipped - finished;
        std::string what = status == "ok" ? "dimension " + dimC[5] : status;
        if (status == "ok" && o.measures.degree) what += ", degree " + std::string(degreeC[1] == "true" ? ">= " : "") + degreeC[0];
        if (status == "ok" && o.measures.equations)
          what += equationsC[0].empty() ? ", no equations up to the searched degree"
                                        : ", " + equationsC[1] + " equations of degree " + equationsC[0];
        if (status == "ok" && o.measures.critical)
          what += ", " + std::string(criticalC[1] == "true" ? ">= " : "") + criticalC[0] + " critical points";
        if (status == "ok" && o.measures.train) what += ", trained to loss " + trainC[0] + " (" + trainC[2] + ")";
        err << "[" << (finished + skipped) << "/" << combos.size() << "] " << label << ": " << what << " (" << secs
            << " s)";
        if (left) err << ", about " << std::lround(elapsed / double(finished) * double(left)) << " s left";
        err << "\n";
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned k = 1; k < o.jobs; ++k) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  out << "sweep: " << combos.size() << " combinations, " << skipped << " already done, " << failures
      << " failed or timed out; results in " << o.output << "\n";
  return failures ? 1 : 0;
}

}  // namespace nag::driver
