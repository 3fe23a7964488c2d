// Rational.cpp — parsing and printing exact rationals.
#include "support/Rational.h"

#include <algorithm>
#include <cctype>

namespace nag {

std::optional<Rational> parseDecimal(const std::string& text, int64_t maxExponent) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  std::string digits;
  size_t fraction = 0;
  bool seenDot = false, seenDigit = false;
  for (; i < text.size() && text[i] != 'e' && text[i] != 'E'; ++i) {
    char c = text[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits += c;
      seenDigit = true;
      if (seenDot) ++fraction;
    } else if (c == '.' && !seenDot) {
      seenDot = true;
    } else {
      return std::nullopt;
    }
  }
  if (!seenDigit || (seenDot && fraction == 0)) return std::nullopt;
  // The exponent, saturated far beyond any limit (so it cannot overflow).
  int64_t exponent = 0;
  if (i < text.size()) {
    bool negativeExponent = false;
    if (++i < text.size() && (text[i] == '-' || text[i] == '+')) negativeExponent = text[i++] == '-';
    if (i == text.size()) return std::nullopt;
    for (; i < text.size(); ++i) {
      if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
      exponent = std::min<int64_t>(exponent * 10 + (text[i] - '0'), int64_t(1) << 40);
    }
    if (negativeExponent) exponent = -exponent;
  }
  // value = digits * 10^(exponent - fraction); trailing zeros of the digits
  // move into the exponent, so that a limit on it is a limit on the size of
  // the number (1000e-3 is 1, not a large exponent).
  exponent -= int64_t(fraction);
  size_t last = digits.find_last_not_of('0');
  if (last == std::string::npos) return Rational(0);
  exponent += int64_t(digits.size() - 1 - last);
  digits.resize(last + 1);
  if (exponent > maxExponent || exponent < -maxExponent) return std::nullopt;
  mpz_class num(digits, 10), scale;
  mpz_ui_pow_ui(scale.get_mpz_t(), 10, (unsigned long)(exponent < 0 ? -exponent : exponent));
  Rational q = exponent < 0 ? Rational(num, scale) : Rational(num * scale);
  q.canonicalize();
  if (negative) q = -q;
  return q;
}

std::string toString(const Rational& q) { return q.get_str(10); }

bool toInt64(const Rational& value, int64_t& out) {
  Rational q = value;
  q.canonicalize();
  if (q.get_den() != 1 || !q.get_num().fits_slong_p()) return false;
  out = q.get_num().get_si();
  return true;
}

}  // namespace nag
