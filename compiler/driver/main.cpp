// main.cpp — the nagc executable: options, then the pipeline on a large stack.
#include "driver/Cache.h"
#include "driver/Options.h"
#include "driver/Pipeline.h"
#include "driver/Report.h"
#include "driver/Sweep.h"
#include "support/Diagnostics.h"
#include "support/InternalError.h"

#include <exception>
#include <iostream>
#include <pthread.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace {

struct Job {
  const nag::driver::Options* options;
  int status = nag::kInternalErrorExit;
};

void* runJob(void* arg) {
  auto* job = static_cast<Job*>(arg);
  try {
    job->status = nag::driver::runPipeline(*job->options, std::cout, std::cerr);
  } catch (const std::bad_alloc&) {
    std::cerr << "nagc: error: out of memory\n";
    job->status = 1;
  } catch (const std::exception& e) {
    nag::internalError(std::string("uncaught exception: ") + e.what(), __FILE__, __LINE__);
  }
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  nag::driver::OptionError error{};
  std::optional<nag::driver::Options> options = nag::driver::parseOptions(argc, argv, error);
  if (!options) {
    nag::SourceManager none;
    nag::DiagnosticEngine(none, std::cerr).report(error.id, nag::SourceRange(), error.args);
    return 1;
  }
  if (options->help) {
    std::cout << nag::driver::helpText();
    return 0;
  }
  if (options->cacheCommand) {
    std::string dir = options->cache.empty() ? nag::driver::cacheDirectory() : options->cache;
    return nag::driver::cacheCommand(dir, options->cacheClear, std::cout, std::cerr);
  }
  if (options->report) {
    nag::driver::ReportOptions r{options->input, options->plot, options->table, options->xAxis, options->yAxis};
    return nag::driver::runReport(r, std::cout, std::cerr);
  }
  if (options->sweep) {
    if (!options->notForSweep.empty()) {
      // A sweep compiles programs and runs their reports; it stops at no stage.
      nag::SourceManager none;
      nag::DiagnosticEngine(none, std::cerr).report(nag::DiagId::err_conflicting_emit, nag::SourceRange(),
                                                    {"sweep", options->notForSweep});
      return 1;
    }
    nag::driver::SweepOptions s;
    s.input = options->input;
    s.network = options->network;
    s.defines = options->defines;
    if (!options->output.empty()) s.output = options->output;
    s.jobs = options->jobs;
    s.timeout = options->timeout;
    s.measures.floating = options->sweepFloat;
    s.measures.degree = options->sweepDegree;
    s.measures.degreeMethod = options->degreeMethod;
    s.measures.equations = options->sweepEquations;
    s.measures.maxDegree = options->maxDegree;
    s.measures.critical = options->sweepCritical;
    s.measures.criticalArgs = options->criticalArgs;
    s.measures.train = options->sweepTrain;
    s.measures.trainArgs = options->trainArgs;
    // Every row is compiled with the compile options given to the sweep,
    // spelled out (defaults too), so that they are part of its cache key.
    s.compileArgs = {"-O" + std::to_string(options->optLevel), "--precision", options->single ? "f32" : "f64"};
    if (options->lanes != 0) s.compileArgs.insert(s.compileArgs.end(), {"--lanes", std::to_string(options->lanes)});
    if (!options->targetCpu.empty()) s.compileArgs.insert(s.compileArgs.end(), {"--target-cpu", options->targetCpu});
    if (options->wideModular) s.compileArgs.push_back("--wide-modular");
    // --kernels adds to what the sweep's measures need (Sweep.cpp, rowKernels);
    // --only-dim-functions [--complex-kernels] is --kernels dim (degree).
    if (options->kernelsGiven)
      s.compileArgs.insert(s.compileArgs.end(), {"--kernels", options->kernels.empty() ? "all" : options->kernels});
    if (options->onlyDimFunctions)
      s.compileArgs.insert(s.compileArgs.end(), {"--kernels", options->complexKernels ? "degree" : "dim"});
    s.targetCpu = options->targetCpu;
    s.useCache = options->useCache;
    s.progress = ::isatty(2) && !options->quiet;
    s.emitJobs = options->emitJobs;
    s.merge = options->merge;
    // The build cache's folder ($NAGC_CACHE_DIR, ...) unless --cache says.
    s.cache = !options->cache.empty() ? options->cache : nag::driver::cacheDirectory();
    if (s.cache.empty()) s.cache = "/tmp/nagc-cache-" + std::to_string(::getuid());
    s.stdlibPaths = options->stdlibPaths;
    s.verbose = options->verbose;
    char self[4096];
    ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
      std::cerr << "nagc: error: cannot find the nagc executable for the sweep's compilations\n";
      return 1;
    }
    self[n] = '\0';
    return nag::driver::runSweep(s, self, std::cout, std::cerr);
  }
  if (options->version) {
    std::cout << "nagc " << NAGC_VERSION << "\n";
    return 0;
  }
  // Front-end recursion is bounded by explicit limits; a large stack keeps
  // those limits generous.
  Job job{&*options};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, size_t(512) << 20);
  pthread_t thread;
  if (pthread_create(&thread, &attr, runJob, &job) != 0) {
    runJob(&job);
  } else {
    pthread_join(thread, nullptr);
  }
  pthread_attr_destroy(&attr);
  std::cout.flush();
  return job.status;
}
