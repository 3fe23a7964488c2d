// main.cpp — the nagc executable: options, then the pipeline on a large stack.
#include "driver/Options.h"
#include "driver/Pipeline.h"
#include "support/Diagnostics.h"
#include "support/InternalError.h"

#include <exception>
#include <iostream>
#include <pthread.h>

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
