// Exact.cpp — numbers read exactly from text: tokens, and their rational values.
#include "Exact.h"

#include "Runtime.h"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace nagrt {

std::vector<ExactToken> readExactTokens(const std::string& spec, const std::string& what, int64_t count) {
  // random:SEED and .npy hold doubles, each an exact dyadic rational: read
  // by the data reader and written out exactly (random:SEED gives the values
  // every other command takes from it).
  auto exactly = [&](const Matrix& data) {
    std::vector<ExactToken> out;
    mpq_t q;
    mpq_init(q);
    for (double v : data.data) {
      mpq_set_d(q, v);
      char* s = mpq_get_str(nullptr, 10, q);
      out.push_back({s, 1});
      void (*release)(void*, size_t);
      mp_get_memory_functions(nullptr, nullptr, &release);
      release(s, std::strlen(s) + 1);
    }
    mpq_clear(q);
    return out;
  };
  if (isRandomSpec(spec)) return exactly(readData({spec, what, count, 1, true}));
  std::string text = readInputBytes(spec, what);
  std::string file = spec == "-" ? "<stdin>" : spec;
  if (isNpy(file, text)) return exactly(parseData(text, file, {spec, what, count, 1, true}));
  std::vector<ExactToken> out;
  int64_t line = 1;
  for (size_t i = 0; i < text.size();) {
    char c = text[i];
    if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    if (std::strchr(" \t,\r\n", c)) {
      line += c == '\n';
      ++i;
      continue;
    }
    size_t start = i;
    while (i < text.size() && !std::strchr(" \t,\r\n#", text[i])) ++i;
    out.push_back({text.substr(start, i - start), line});
  }
  return out;
}

// One number written as text, exactly: "-3", "0.125", "1/3", "2.5e-3" (the
// text's value, not the nearest double). False when it is not such a number.
bool parseExact(const std::string& tok, mpq_t out) {
  size_t k = 0;
  bool neg = false;
  if (k < tok.size() && (tok[k] == '-' || tok[k] == '+')) neg = tok[k++] == '-';
  auto digitsAt = [&](std::string& into) {
    while (k < tok.size() && std::isdigit(static_cast<unsigned char>(tok[k]))) into += tok[k++];
  };
  std::string whole, frac, over, exp;
  digitsAt(whole);
  if (k < tok.size() && tok[k] == '.') {
    ++k;
    digitsAt(frac);
  }
  if (k < tok.size() && tok[k] == '/') {
    ++k;
    digitsAt(over);
    if (over.empty()) return false;
  } else if (k < tok.size() && (tok[k] == 'e' || tok[k] == 'E')) {
    ++k;
    if (k < tok.size() && (tok[k] == '-' || tok[k] == '+')) exp += tok[k++];
    size_t before = exp.size();
    digitsAt(exp);
    if (exp.size() == before || exp.size() > 6) return false;
  }
  if (k != tok.size() || (whole.empty() && frac.empty())) return false;
  mpz_t num, den, t;
  mpz_inits(num, den, t, nullptr);
  mpz_set_str(num, (whole + frac).c_str(), 10);
  mpz_ui_pow_ui(den, 10, frac.size());
  if (!over.empty()) {
    mpz_set_str(t, over.c_str(), 10);
    mpz_mul(den, den, t);
  }
  long e = exp.empty() ? 0 : std::stol(exp);
  mpz_ui_pow_ui(t, 10, (unsigned long)(e < 0 ? -e : e));
  mpz_mul(e < 0 ? den : num, e < 0 ? den : num, t);
  if (neg) mpz_neg(num, num);
  bool ok = mpz_sgn(den) != 0;
  if (ok) {
    mpq_set_num(out, num);
    mpq_set_den(out, den);
    mpq_canonicalize(out);
  }
  mpz_clears(num, den, t, nullptr);
  return ok;
}


}  // namespace nagrt
