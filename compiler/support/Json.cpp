// Json.cpp — a strict recursive-descent JSON reader (RFC 8259), for the programs' reports.
#include "support/Json.h"

#include <cstdint>
#include <cstdlib>

namespace nag {

namespace {

constexpr int kMaxDepth = 256;

class Reader {
public:
  explicit Reader(const std::string& s) : s_(s) {}

  bool document(JsonValue& v) {
    space();
    if (!value(v, 0)) return false;
    space();
    return at_ == s_.size() || fail("text after the value");
  }
  std::string error() const { return "offset " + std::to_string(failedAt_) + ": " + error_; }

private:
  bool fail(const std::string& what) {
    if (error_.empty()) {
      error_ = what;
      failedAt_ = at_;
    }
    return false;
  }
  void space() {
    while (at_ < s_.size() && (s_[at_] == ' ' || s_[at_] == '\t' || s_[at_] == '\n' || s_[at_] == '\r')) ++at_;
  }
  bool literal(const char* word) {
    size_t n = std::char_traits<char>::length(word);
    if (s_.compare(at_, n, word) != 0) return fail("expected a value");
    at_ += n;
    return true;
  }
  bool value(JsonValue& v, int depth) {
    if (depth > kMaxDepth) return fail("nested deeper than 256");
    if (at_ >= s_.size()) return fail("expected a value, found the end");
    char c = s_[at_];
    if (c == '{') return object(v, depth);
    if (c == '[') return array(v, depth);
    if (c == '"') {
      v.kind = JsonValue::Kind::String;
      return string(v.text);
    }
    if (c == 't' || c == 'f') {
      v.kind = JsonValue::Kind::Bool;
      v.boolean = c == 't';
      return literal(c == 't' ? "true" : "false");
    }
    if (c == 'n') {
      v.kind = JsonValue::Kind::Null;
      return literal("null");
    }
    return number(v);
  }
  bool digits() {
    size_t start = at_;
    while (at_ < s_.size() && s_[at_] >= '0' && s_[at_] <= '9') ++at_;
    return at_ > start;
  }
  bool number(JsonValue& v) {
    size_t start = at_;
    if (at_ < s_.size() && s_[at_] == '-') ++at_;
    if (at_ < s_.size() && s_[at_] == '0') ++at_;
    else if (!digits()) return fail("expected a value");
    if (at_ < s_.size() && s_[at_] == '.') {
      ++at_;
      if (!digits()) return fail("expected digits after '.'");
    }
    if (at_ < s_.size() && (s_[at_] == 'e' || s_[at_] == 'E')) {
      ++at_;
      if (at_ < s_.size() && (s_[at_] == '+' || s_[at_] == '-')) ++at_;
      if (!digits()) return fail("expected digits in the exponent");
    }
    v.kind = JsonValue::Kind::Number;
    v.text = s_.substr(start, at_ - start);
    return true;
  }
  static void utf8(uint32_t cp, std::string& out) {
    if (cp < 0x80) {
      out += char(cp);
    } else if (cp < 0x800) {
      out += char(0xC0 | (cp >> 6));
      out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += char(0xE0 | (cp >> 12));
      out += char(0x80 | ((cp >> 6) & 0x3F));
      out += char(0x80 | (cp & 0x3F));
    } else {
      out += char(0xF0 | (cp >> 18));
      out += char(0x80 | ((cp >> 12) & 0x3F));
      out += char(0x80 | ((cp >> 6) & 0x3F));
      out += char(0x80 | (cp & 0x3F));
    }
  }
  bool hex4(uint32_t& out) {
    if (at_ + 4 > s_.size()) return fail("a \\u escape needs four hexadecimal digits");
    out = 0;
    for (int k = 0; k < 4; ++k) {
      char c = s_[at_++];
      out <<= 4;
      if (c >= '0' && c <= '9') out |= uint32_t(c - '0');
      else if (c >= 'a' && c <= 'f') out |= uint32_t(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') out |= uint32_t(c - 'A' + 10);
      else return fail("a \\u escape needs four hexadecimal digits");
    }
    return true;
  }
  bool string(std::string& out) {
    ++at_;  // the opening quote
    out.clear();
    while (at_ < s_.size()) {
      unsigned char c = static_cast<unsigned char>(s_[at_]);
      if (c == '"') {
        ++at_;
        return true;
      }
      if (c < 0x20) return fail("a control character inside a string");
      if (c != '\\') {
        out += char(c);
        ++at_;
        continue;
      }
      if (++at_ >= s_.size()) break;
      char e = s_[at_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          uint32_t cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xD800 && cp < 0xDC00 && s_.compare(at_, 2, "\\u") == 0) {
            at_ += 2;
            uint32_t low = 0;
            if (!hex4(low)) return false;
            if (low < 0xDC00 || low >= 0xE000) return fail("an unpaired surrogate in a \\u escape");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xD800 && cp < 0xE000) {
            return fail("an unpaired surrogate in a \\u escape");
          }
          utf8(cp, out);
          break;
        }
        default: return fail(std::string("an unknown escape '\\") + e + "'");
      }
    }
    return fail("a string is not closed");
  }
  bool array(JsonValue& v, int depth) {
    v.kind = JsonValue::Kind::Array;
    ++at_;
    space();
    if (at_ < s_.size() && s_[at_] == ']') {
      ++at_;
      return true;
    }
    for (;;) {
      v.items.emplace_back();
      space();
      if (!value(v.items.back(), depth + 1)) return false;
      space();
      if (at_ < s_.size() && s_[at_] == ',') {
        ++at_;
        continue;
      }
      if (at_ < s_.size() && s_[at_] == ']') {
        ++at_;
        return true;
      }
      return fail("expected ',' or ']'");
    }
  }
  bool object(JsonValue& v, int depth) {
    v.kind = JsonValue::Kind::Object;
    ++at_;
    space();
    if (at_ < s_.size() && s_[at_] == '}') {
      ++at_;
      return true;
    }
    for (;;) {
      space();
      if (at_ >= s_.size() || s_[at_] != '"') return fail("expected a member name in quotes");
      std::string key;
      if (!string(key)) return false;
      space();
      if (at_ >= s_.size() || s_[at_] != ':') return fail("expected ':' after a member name");
      ++at_;
      space();
      v.members.emplace_back(std::move(key), JsonValue());
      if (!value(v.members.back().second, depth + 1)) return false;
      space();
      if (at_ < s_.size() && s_[at_] == ',') {
        ++at_;
        continue;
      }
      if (at_ < s_.size() && s_[at_] == '}') {
        ++at_;
        return true;
      }
      return fail("expected ',' or '}'");
    }
  }

  const std::string& s_;
  size_t at_ = 0, failedAt_ = 0;
  std::string error_;
};

const JsonValue kNull;

}  // namespace

const JsonValue& JsonValue::operator[](const std::string& key) const {
  if (kind != Kind::Object) return kNull;
  for (const auto& [name, value] : members)
    if (name == key) return value;
  return kNull;
}

std::string JsonValue::scalar() const {
  switch (kind) {
    case Kind::Bool: return boolean ? "true" : "false";
    case Kind::Number:
    case Kind::String: return text;
    default: return "";
  }
}

std::unique_ptr<JsonValue> parseJson(const std::string& text, std::string& error) {
  auto v = std::make_unique<JsonValue>();
  Reader r(text);
  if (!r.document(*v)) {
    error = r.error();
    return nullptr;
  }
  return v;
}

}  // namespace nag
