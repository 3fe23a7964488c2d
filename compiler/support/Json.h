// Json.h — a strict reader of JSON text into a tree (the generated programs' --json reports).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace nag {

/// One JSON value. Numbers keep their text (integers stay exact); objects
/// keep their members in order.
struct JsonValue {
  enum class Kind { Null, Bool, Number, String, Array, Object };
  Kind kind = Kind::Null;
  bool boolean = false;
  std::string text;  ///< a number's digits as written, or a string's value (escapes decoded)
  std::vector<JsonValue> items;                              ///< an array's elements
  std::vector<std::pair<std::string, JsonValue>> members;    ///< an object's members

  bool isNull() const { return kind == Kind::Null; }
  /// The member `key` of an object; null when this is not an object or has no such member.
  const JsonValue& operator[](const std::string& key) const;
  /// The value as written for numbers, strings and booleans ("true", "false"); "" for null, arrays, objects.
  std::string scalar() const;
};

/// Parses all of `text` (one value, surrounded by white space only). Returns
/// null and sets `error` ("offset N: what") when it is not JSON; nesting
/// deeper than 256 is refused.
std::unique_ptr<JsonValue> parseJson(const std::string& text, std::string& error);

}  // namespace nag
