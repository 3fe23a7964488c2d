// Rational.cpp — parsing and printing exact rationals.
#include "support/Rational.h"

#include <cctype>

namespace nag {

std::optional<Rational> parseDecimal(const std::string& text) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  std::string digits;
  size_t fraction = 0;
  bool seenDot = false, seenDigit = false;
  for (; i < text.size(); ++i) {
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
  mpz_class num(digits, 10);
  mpz_class den;
  mpz_ui_pow_ui(den.get_mpz_t(), 10, fraction);
  Rational q(num, den);
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
