// fuzz_data.cpp — libFuzzer target over the runtime's data readers.
//
// The first byte of the input chooses the request (values per row 1..8,
// a fixed row count or all rows, flat or row-shaped, the name a .npy, .csv
// or .txt file); the rest are the file's bytes, parsed by parseData as
// `eval` and the derivative commands read theta and x. The same bytes are
// also given to the exact-number parser of `dim --at` and to the
// random:SEED parser. Errors (nagrt::Error) are expected; a crash, a
// sanitizer report, another exception, or a result whose size does not
// match the request is a finding.
#include "Exact.h"
#include "Runtime.h"

#include <cstdio>
#include <cstdlib>
#include <gmp.h>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  uint8_t choice = data[0];
  std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);

  nagrt::DataRequest request;
  request.what = "x";
  request.cols = 1 + (choice & 7);
  request.rows = (choice & 8) ? 1 + ((choice >> 4) & 3) : -1;
  request.flat = (choice & 64) != 0;
  static const char* names[] = {"data.npy", "data.csv", "data.txt", "<stdin>"};
  std::string name = names[(choice >> 4) & 3];
  try {
    nagrt::Matrix m = nagrt::parseData(bytes, name, request);
    if (m.cols != request.cols || int64_t(m.data.size()) != m.rows * m.cols ||
        (request.rows >= 0 && m.rows != request.rows)) {
      std::fprintf(stderr, "parseData returned %lld x %lld (%zu values) for a request of %lld columns\n",
                   (long long)m.rows, (long long)m.cols, m.data.size(), (long long)request.cols);
      std::abort();
    }
  } catch (const nagrt::Error&) {
  }

  mpq_t q;
  mpq_init(q);
  nagrt::parseExact(bytes, q);
  mpq_clear(q);

  if (nagrt::isRandomSpec(bytes)) {
    try {
      nagrt::randomSeed(bytes, "");
    } catch (const nagrt::Error&) {
    }
  }
  return 0;
}
