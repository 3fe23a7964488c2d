// Rational.h — exact rationals (GMP's mpq_class) for compile-time numbers and IR constants.
#pragma once

#include <cstdint>
#include <gmpxx.h>
#include <optional>
#include <string>

namespace nag {

using Rational = mpq_class;

/// The largest decimal exponent of a number literal: 10^10000 needs 33 220
/// bits, far beyond the compile-time limit, which elaboration reports.
constexpr int64_t kMaxDecimalExponent = 10000;

/// Parses "12", "0.125", "1e308" or "2.5E-3" exactly; nullopt when the text
/// is not such a number or its decimal exponent (with the digits' trailing
/// zeros counted in it) exceeds maxExponent in magnitude.
std::optional<Rational> parseDecimal(const std::string& text, int64_t maxExponent = kMaxDecimalExponent);
/// "3", "-1/2": the canonical exact spelling.
std::string toString(const Rational& q);
/// True when q is an integer that fits in int64_t (then stores it).
bool toInt64(const Rational& q, int64_t& out);

}  // namespace nag
