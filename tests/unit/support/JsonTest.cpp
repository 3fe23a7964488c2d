// JsonTest.cpp — the JSON reader the sweep uses on the programs' --json reports.
#include "support/Json.h"

#include <gtest/gtest.h>

using namespace nag;

TEST(Json, ReadsNestedReports) {
  std::string error;
  auto v = parseJson(R"J({"degree": 10, "lower_bound": false, "method": "monodromy (pseudo-witness set)",
    "evidence": {"notes": ["a \"b\"\n"], "runs": [{"seed": 1}, {"seed": 2}], "x": null, "big": 123456789012345678901}})J",
                     error);
  ASSERT_TRUE(v) << error;
  EXPECT_EQ((*v)["degree"].scalar(), "10");
  EXPECT_EQ((*v)["lower_bound"].scalar(), "false");
  EXPECT_EQ((*v)["method"].scalar(), "monodromy (pseudo-witness set)");
  EXPECT_EQ((*v)["evidence"]["notes"].items.at(0).text, "a \"b\"\n");
  EXPECT_EQ((*v)["evidence"]["runs"].items.at(1)["seed"].scalar(), "2");
  EXPECT_TRUE((*v)["evidence"]["x"].isNull());
  EXPECT_TRUE((*v)["missing"]["deeper"].isNull());
  EXPECT_EQ((*v)["evidence"]["big"].scalar(), "123456789012345678901");  // exact, not a double
}

TEST(Json, DecodesEscapes) {
  std::string error;
  auto v = parseJson(R"(["\u00e9\u20ac\ud83d\ude00\/\t"])", error);
  ASSERT_TRUE(v) << error;
  EXPECT_EQ(v->items.at(0).text, "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80/\t");
}

TEST(Json, RefusesMalformedText) {
  for (const char* bad : {"", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "\"open", "nul", "[1] x", "\"\\x\"",
                          "\"\\ud800\"", "{\"a\": 1,}", "\"tab\there\""}) {
    std::string error;
    EXPECT_FALSE(parseJson(bad, error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
  std::string deep(300, '['), error;
  EXPECT_FALSE(parseJson(deep + std::string(300, ']'), error));
  EXPECT_NE(error.find("nested deeper than 256"), std::string::npos);
}
