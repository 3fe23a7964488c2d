// Sweep.cpp — `nagc sweep`: the dimension report over every combination of arguments.
#include "driver/Sweep.h"

#include "driver/Cache.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
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

// The alternatives of one -D: "[a, b, c]" (top-level elements), "lo..hi"
// (integers, inclusive), or a single value.
std::vector<std::string> alternatives(const std::string& name, const std::string& text, std::string& error) {
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
  return out;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs argv; kills it after `timeout` seconds (0: no limit). Returns the exit
// status, -1 on a timeout; collects standard output.
int runProcess(const std::vector<std::string>& argv, double timeout, std::string& output) {
  int pipefd[2];
  if (::pipe(pipefd) != 0) return -2;
  pid_t pid = ::fork();
  if (pid < 0) return -2;
  if (pid == 0) {
    ::dup2(pipefd[1], 1);
    int devnull = ::open("/dev/null", O_WRONLY);
    if (devnull >= 0) ::dup2(devnull, 2);
    ::close(pipefd[0]);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(pipefd[1]);
  auto start = std::chrono::steady_clock::now();
  bool killed = false;
  std::thread reader([&] {
    char buf[4096];
    ssize_t n;
    while ((n = ::read(pipefd[0], buf, sizeof buf)) > 0) output.append(buf, size_t(n));
  });
  int status = 0;
  for (;;) {
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (timeout > 0 && elapsed > timeout && !killed) {
      ::kill(pid, SIGKILL);
      killed = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  reader.join();
  ::close(pipefd[0]);
  if (killed) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -2;
}

// The value of "key": in the program's one-level JSON report.
std::string field(const std::string& json, const std::string& key) {
  size_t at = json.find("\"" + key + "\": ");
  if (at == std::string::npos) return "";
  at += key.size() + 4;
  size_t end = json.find_first_of(",\n}", at);
  std::string v = json.substr(at, end - at);
  if (!v.empty() && v.front() == '"') v = v.substr(1, v.size() - 2);
  return v;
}

std::string csvCell(const std::string& s) {
  if (s.find_first_of(",\"") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

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
  std::ofstream jobs(o.emitJobs + "/jobs.txt");
  for (size_t i = 0; i < combos.size(); ++i) {
    char row[32];
    std::snprintf(row, sizeof row, "row-%06zu.csv", i);
    jobs << shellQuote(self) << " sweep " << shellQuote(o.input);
    for (size_t k = 0; k < combos[i].size(); ++k) jobs << " -D " << shellQuote(names[k] + "=[" + combos[i][k] + "]");
    if (!o.network.empty()) jobs << " --network " << shellQuote(o.network);
    if (o.floating) jobs << " --float";
    if (o.timeout > 0) jobs << " --timeout " << o.timeout;
    jobs << " --cache " << shellQuote(o.cache) << " -o " << shellQuote(o.emitJobs + "/rows/" + row) << "\n";
  }
  std::ofstream slurm(o.emitJobs + "/slurm.sh");
  slurm << "#!/bin/bash\n#SBATCH --job-name=nagc-sweep\n#SBATCH --array=0-" << combos.size() - 1 << "\n"
        << "# One dimension report per array task; then: nagc sweep --merge " << o.emitJobs << " -o results.csv\n"
        << "line=$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" " << shellQuote(o.emitJobs + "/jobs.txt") << ")\n"
        << "eval \"$line\"\n";
  std::ofstream parallel(o.emitJobs + "/parallel.sh");
  parallel << "#!/bin/bash\n# All jobs with GNU parallel; then: nagc sweep --merge " << o.emitJobs << " -o results.csv\n"
           << "parallel --jobs " << std::max(1u, o.jobs) << " < " << shellQuote(o.emitJobs + "/jobs.txt") << "\n";
  if (!jobs || !slurm || !parallel) {
    err << "nagc: error: cannot write the job files in '" << o.emitJobs << "'\n";
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
  std::ofstream csv(o.output + ".tmp");
  csv << header << "\n";
  for (const std::string& r : rows) csv << r << "\n";
  csv.close();
  if (!csv || std::rename((o.output + ".tmp").c_str(), o.output.c_str()) != 0) {
    err << "nagc: error: cannot write '" << o.output << "'\n";
    return 1;
  }
  out << "sweep: merged " << rows.size() << " rows from " << files << " jobs into " << o.output;
  if (missing) out << "; " << missing << " jobs have not written their row yet";
  out << "\n";
  return missing ? 1 : 0;
}

}  // namespace

int runSweep(const SweepOptions& o, const std::string& self, std::ostream& out, std::ostream& err) {
  if (!o.merge.empty()) return mergeRows(o, out, err);
  // The combinations, in the order of the -D options.
  std::vector<std::pair<std::string, std::vector<std::string>>> axes;
  for (const ir::Define& d : o.defines) {
    std::string error;
    std::vector<std::string> alts = alternatives(d.name, d.value, error);
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
  std::string source = readFile(o.input);
  if (source.empty()) {
    err << "nagc: error: cannot read '" << o.input << "'\n";
    return 1;
  }
  ::mkdir(o.cache.c_str(), 0755);

  // Resume: rows already in the output file are kept and not run again.
  std::string header;
  for (const auto& axis : axes) header += axis.first + ",";
  header += "P,coordinate,span,expected,bound,dimension,defect,fibre,unexplained,fills,certified,seconds,status";
  std::set<std::string> done;
  {
    std::ifstream in(o.output);
    std::string line;
    bool first = true;
    while (std::getline(in, line)) {
      if (first) {
        first = false;
        if (line != header) {
          err << "nagc: error: '" << o.output << "' holds another sweep (its header differs); choose another --out\n";
          return 1;
        }
        continue;
      }
      if (line.size() > 3 && line.compare(line.size() - 3, 3, ",ok") == 0) done.insert(line);
    }
  }
  std::set<std::string> finishedKeys;
  for (const std::string& row : done) {
    // The key is the argument cells, before P.
    std::string key;
    size_t cells = axes.size(), at = 0;
    for (size_t k = 0; k < cells; ++k) {
      bool quoted = at < row.size() && row[at] == '"';
      size_t end = quoted ? row.find("\",", at + 1) + 1 : row.find(',', at);
      key += row.substr(at, end - at) + ",";
      at = end + 1;
    }
    finishedKeys.insert(key);
  }
  bool fresh = !std::ifstream(o.output).good();
  std::ofstream csv(o.output, std::ios::app);
  if (!csv) {
    err << "nagc: error: cannot write '" << o.output << "'\n";
    return 1;
  }
  if (fresh) csv << header << "\n" << std::flush;

  std::mutex lock;
  std::atomic<size_t> next{0};
  size_t skipped = 0;
  std::atomic<size_t> failures{0};
  size_t finished = 0;  // rows run by this sweep (guarded by lock)
  auto sweepStart = std::chrono::steady_clock::now();
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < combos.size();) {
      const auto& combo = combos[i];
      std::string key, label;
      for (size_t k = 0; k < combo.size(); ++k) {
        key += csvCell(combo[k]) + ",";
        label += (k ? " " : "") + axes[k].first + "=" + combo[k];
      }
      {
        std::lock_guard<std::mutex> g(lock);
        if (finishedKeys.count(key)) {
          ++skipped;
          continue;
        }
      }
      char hash[17];
      std::snprintf(hash, sizeof hash, "%016llx",
                    (unsigned long long)fnv1a(std::string(NAGC_VERSION) + " " + buildIdentity() + "\n" + o.network +
                                             "\n" + label + "\n" + source));
      std::string exe = o.cache + "/" + hash;
      auto start = std::chrono::steady_clock::now();
      std::string status = "ok", report;
      struct stat st;
      if (::stat(exe.c_str(), &st) != 0) {  // compile once; the cache keeps it
        std::vector<std::string> argv{self, o.input, "--only-dim-functions", "-o", exe};
        for (size_t k = 0; k < combo.size(); ++k) argv.push_back("-D" + axes[k].first + "=" + combo[k]);
        if (!o.network.empty()) argv.insert(argv.end(), {"--network", o.network});
        std::string ignored;
        if (runProcess(argv, 0, ignored) != 0) status = "compile error";
      }
      if (status == "ok") {
        std::vector<std::string> argv{exe, "dim", "--json"};
        if (o.floating) argv.push_back("--float");
        int rc = runProcess(argv, o.timeout, report);
        status = rc == -1 ? "timeout" : rc != 0 ? "dim failed" : "ok";
      }
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      char secs[32];
      std::snprintf(secs, sizeof secs, "%.2f", seconds);
      std::string row = key;
      for (const char* f : {"P", "coordinate_dimension", "span", "expected_dimension", "expected_from", "dimension", "defect",
                            "fibre_dimension", "unexplained_fibre_dimension", "fills", "certified"})
        row += (status == "ok" ? csvCell(field(report, f)) : "") + ",";
      row += std::string(secs) + "," + status;
      std::lock_guard<std::mutex> g(lock);
      csv << row << "\n" << std::flush;  // a killed sweep keeps every finished row
      if (status != "ok") ++failures;
      ++finished;
      if (o.progress) {
        // What finished, how far the sweep is, and an estimate of the time left.
        double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - sweepStart).count();
        size_t left = combos.size() - skipped - finished;
        err << "[" << (finished + skipped) << "/" << combos.size() << "] " << label << ": "
            << (status == "ok" ? "dimension " + field(report, "dimension") : status) << " (" << secs << " s)";
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
