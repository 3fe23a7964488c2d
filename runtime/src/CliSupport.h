// CliSupport.h — what every command of the generated program shares: options, JSON text, decimal numbers.
#pragma once

#include "Runtime.h"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>

namespace nagrt {

/// Parsed `--flag value` and `--flag` options of one subcommand.
class Args {
public:
  Args(int argc, char** argv, int first, const std::set<std::string>& valued, const std::set<std::string>& flags) {
    for (int i = first; i < argc; ++i) {
      std::string a = argv[i];
      if (valued.count(a)) {
        if (i + 1 >= argc) throw Error("missing value after '" + a + "'");
        if (values_.count(a)) throw Error("'" + a + "' is given twice");
        values_[a] = argv[++i];
      } else if (flags.count(a)) {
        flags_.insert(a);
      } else {
        throw Error("unknown option '" + a + "' (see 'help')");
      }
    }
  }
  bool has(const std::string& k) const { return values_.count(k) || flags_.count(k); }
  std::string get(const std::string& k, const std::string& fallback = "") const {
    auto it = values_.find(k);
    return it == values_.end() ? fallback : it->second;
  }

private:
  std::map<std::string, std::string> values_;
  std::set<std::string> flags_;
};

/// A JSON string literal (quotes, backslashes and control characters escaped).
inline std::string jsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
      continue;
    }
    out += c;
  }
  return out + "\"";
}

/// A number with 3 significant digits; null when it is not finite (JSON has no NaN).
inline std::string jsonShort(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

/// A number with every digit (%.17g: it reads back exactly); null when it is not finite.
inline std::string jsonFull(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

/// A decimal that fits in int64 (the model's dimension strings); false otherwise.
inline bool decimalInt64(const char* decimal, int64_t& out) {
  if (!decimal || !*decimal) return false;
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(decimal, &end, 10);
  if (*end || errno == ERANGE) return false;
  out = v;
  return true;
}

}  // namespace nagrt
