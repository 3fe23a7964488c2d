// Rational.h — exact rationals (GMP's mpq_class) for compile-time numbers and IR constants.
#pragma once

#include <gmpxx.h>
#include <optional>
#include <string>

namespace nag {

using Rational = mpq_class;

/// Parses "12" or "0.125" exactly; nullopt when the text is not such a number.
std::optional<Rational> parseDecimal(const std::string& text);
/// "3", "-1/2": the canonical exact spelling.
std::string toString(const Rational& q);
/// True when q is an integer that fits in int64_t (then stores it).
bool toInt64(const Rational& q, int64_t& out);

}  // namespace nag
