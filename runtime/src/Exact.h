// Exact.h — numbers read exactly from text (runtime-internal).
#pragma once

#include <gmp.h>

#include <cstdint>
#include <string>
#include <vector>

namespace nagrt {

/// A number's text and its line in the file.
struct ExactToken {
  std::string text;
  int64_t line;
};

/// The blank- or comma-separated tokens of a text file ('#' starts a comment).
std::vector<ExactToken> readExactTokens(const std::string& path, const std::string& what);

/// One number written as text, exactly: "-3", "0.125", "1/3", "2.5e-3" (the
/// text's value, not the nearest double). False when it is not such a number.
bool parseExact(const std::string& tok, mpq_t out);

}  // namespace nagrt
