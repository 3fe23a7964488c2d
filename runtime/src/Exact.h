// Exact.h — numbers read exactly from text (runtime-internal).
#pragma once

#include <gmp.h>

#include <string>

namespace nagrt {

/// One number written as text, exactly: "-3", "0.125", "1/3", "2.5e-3" (the
/// text's value, not the nearest double). False when it is not such a number.
bool parseExact(const std::string& tok, mpq_t out);

}  // namespace nagrt
