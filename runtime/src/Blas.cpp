// Blas.cpp — how many threads OpenBLAS runs, in a generated program.
//
// Debian's OpenBLAS is the pthread build: its library constructor starts one
// worker per core, and a worker spins on sched_yield for its thread timeout
// (about 0.1 s of a core here) each time it is started or has finished a
// threaded call, before it sleeps. Most of what the runtime hands to BLAS is
// small (the tracker's zgemm inside our own thread pool) or must run on one
// BLAS thread (FFLAS-FFPACK, fflas-ffpack #23), and every FFLAS call that
// restored OpenBLAS's count afterwards started the workers again: pmlp
// [10,15,15,1] `dim` spent 0.10 s of system time in those spins against 0.12 s
// of wall time. So a program runs OpenBLAS on one thread, and the large dense
// factorizations whose LAPACK does use threads (the float rank's SVD, the
// Hessian's eigenvalues) widen it for their call and shut the workers down
// after it. A shared library loaded into Python leaves OpenBLAS as it finds it
// (numpy may share it).
#include "Runtime.h"

#include <mutex>

// OpenBLAS's own API; blas_thread_shutdown_ is its fork handler (exported by
// Debian's build). Weak, so a program linked against another BLAS still runs.
extern "C" {
void openblas_set_num_threads(int) __attribute__((weak));
int blas_thread_shutdown_(void) __attribute__((weak));
}

namespace nagrt {
namespace {

std::mutex& blasMutex() {
  static std::mutex m;
  return m;
}
bool programMode = false;
int wideDepth = 0;

void narrow() {
  if (openblas_set_num_threads) openblas_set_num_threads(1);
  if (blas_thread_shutdown_) blas_thread_shutdown_();
}

}  // namespace

void blasProgramMode() {
  std::lock_guard<std::mutex> lock(blasMutex());
  programMode = true;
  narrow();
}

WideBlas::WideBlas() {
  std::lock_guard<std::mutex> lock(blasMutex());
  if (programMode && wideDepth++ == 0 && openblas_set_num_threads) openblas_set_num_threads(int(threadCount()));
}

WideBlas::~WideBlas() {
  std::lock_guard<std::mutex> lock(blasMutex());
  if (programMode && --wideDepth == 0) narrow();
}

}  // namespace nagrt
