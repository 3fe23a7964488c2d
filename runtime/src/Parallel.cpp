// Parallel.cpp — a small persistent thread pool behind nagrt_parallel_for.
#include "nag_runtime.h"
#include "Runtime.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace nagrt {

// Number of worker threads: NAG_THREADS, else the hardware's.
unsigned threadCount() {
  if (const char* env = std::getenv("NAG_THREADS")) {
    char* end = nullptr;
    long n = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && n >= 1 && n <= 1024) return unsigned(n);
  }
  unsigned hw = std::thread::hardware_concurrency();
  return hw ? hw : 1;
}

}  // namespace nagrt

namespace {
using nagrt::threadCount;

// Whether this thread is running a chunk of a job. A parallel_for called from
// inside one (a path tracker's path evaluating a compiled kernel, which is
// itself parallel) runs serially in the calling thread: the pool runs one
// job at a time, and waiting for it from one of its own chunks would never end.
thread_local bool insideJob = false;

// Workers wait for a job; each job is split into chunks taken by an atomic
// counter, so uneven chunks balance themselves.
class Pool {
public:
  explicit Pool(unsigned n) {
    for (unsigned i = 1; i < n; ++i) workers_.emplace_back([this] { loop(); });
  }
  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    for (std::thread& t : workers_) t.join();
  }
  unsigned size() const { return unsigned(workers_.size()) + 1; }

  void run(int64_t chunks, const std::function<void(int64_t)>& body) {
    std::unique_lock<std::mutex> serial(runMutex_);  // one job at a time
    {
      std::lock_guard<std::mutex> lock(mutex_);
      body_ = &body;
      chunks_ = chunks;
      next_.store(0);
      pending_ = unsigned(workers_.size());
      ++generation_;
    }
    wake_.notify_all();
    work();
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return pending_ == 0; });
    body_ = nullptr;
  }

private:
  std::vector<std::thread> workers_;
  std::mutex mutex_, runMutex_;
  std::condition_variable wake_, done_;
  const std::function<void(int64_t)>* body_ = nullptr;
  int64_t chunks_ = 0;
  std::atomic<int64_t> next_{0};
  unsigned pending_ = 0;
  uint64_t generation_ = 0;
  bool stop_ = false;

  void work() {
    insideJob = true;
    for (int64_t c; (c = next_.fetch_add(1)) < chunks_;) (*body_)(c);
    insideJob = false;
  }
  void loop() {
    uint64_t seen = 0;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
        if (stop_) return;
        seen = generation_;
      }
      work();
      std::lock_guard<std::mutex> lock(mutex_);
      if (--pending_ == 0) done_.notify_one();
    }
  }
};

Pool& pool() {
  static Pool p(threadCount());
  return p;
}

}  // namespace

extern "C" void nagrt_parallel_for(int64_t n, void (*fn)(void*, int64_t, int64_t), void* ctx) {
  if (n <= 0) return;
  Pool& p = pool();
  if (p.size() == 1 || n == 1 || insideJob) {
    fn(ctx, 0, n);
    return;
  }
  // A few chunks per thread, so that a slow thread does not hold up the rest.
  int64_t chunks = std::min<int64_t>(n, int64_t(p.size()) * 4);
  std::function<void(int64_t)> body = [&](int64_t c) {
    int64_t begin = n * c / chunks, end = n * (c + 1) / chunks;
    if (begin < end) fn(ctx, begin, end);
  };
  p.run(chunks, body);
}

namespace {

// Scratch blocks of the compiled kernels, kept per thread for reuse. A kernel allocates the same few sizes on every
// call (its work space per block of samples, its uniform values), and the path tracker calls the complex kernels
// millions of times on a handful of samples: aligned_alloc and free were 10-15% of a monodromy run. Each block has a
// 64-byte header holding its size, so nagrt_free knows it; a freed block of at most kCachedBytes waits in its
// thread's cache (kCachedBlocks of them, the oldest freed when full) for an allocation of the same size.
constexpr size_t kHeader = 64, kCachedBlocks = 8, kCachedBytes = size_t(1) << 20;

struct ScratchCache {
  void* block[kCachedBlocks] = {};
  size_t size[kCachedBlocks] = {};
  size_t next = 0;
  ~ScratchCache() {
    for (void* b : block) std::free(b);
  }
};
thread_local ScratchCache scratch;

}  // namespace

extern "C" void* nagrt_alloc(int64_t bytes) {
  size_t size = size_t(std::max<int64_t>(bytes, 64) + 63) / 64 * 64;
  for (size_t i = 0; i < kCachedBlocks; ++i)
    if (scratch.block[i] && scratch.size[i] == size) {
      void* b = scratch.block[i];
      scratch.block[i] = nullptr;
      return static_cast<char*>(b) + kHeader;
    }
  void* b = std::aligned_alloc(64, size + kHeader);
  if (!b) {
    std::fprintf(stderr, "error: out of memory allocating %lld bytes of scratch space\n", (long long)bytes);
    std::exit(1);
  }
  *static_cast<size_t*>(b) = size;
  return static_cast<char*>(b) + kHeader;
}

extern "C" void nagrt_free(void* p) {
  if (!p) return;
  void* b = static_cast<char*>(p) - kHeader;
  size_t size = *static_cast<size_t*>(b);
  if (size > kCachedBytes) {
    std::free(b);
    return;
  }
  for (size_t i = 0; i < kCachedBlocks; ++i)
    if (!scratch.block[i]) {
      scratch.block[i] = b;
      scratch.size[i] = size;
      return;
    }
  size_t i = scratch.next++ % kCachedBlocks;  // full: the slot after the last one replaced
  std::free(scratch.block[i]);
  scratch.block[i] = b;
  scratch.size[i] = size;
}
