// RationalTest.cpp — exact decimals: 0.5 is 1/2, never a binary float.
#include "support/Rational.h"

#include <gtest/gtest.h>

using namespace nag;

TEST(Rational, DecimalsAreExact) {
  EXPECT_EQ(toString(*parseDecimal("0.5")), "1/2");
  EXPECT_EQ(toString(*parseDecimal("0.1")), "1/10");  // not 0.1000000000000000055...
  EXPECT_EQ(toString(*parseDecimal("12.250")), "49/4");
  EXPECT_EQ(toString(*parseDecimal("-3")), "-3");
  EXPECT_EQ(toString(*parseDecimal("123456789012345678901234567890")), "123456789012345678901234567890");
}

TEST(Rational, RejectsMalformedText) {
  EXPECT_FALSE(parseDecimal(""));
  EXPECT_FALSE(parseDecimal("."));
  EXPECT_FALSE(parseDecimal("1."));
  EXPECT_FALSE(parseDecimal("1.2.3"));
  EXPECT_FALSE(parseDecimal("1e5"));
  EXPECT_FALSE(parseDecimal("abc"));
}

TEST(Rational, ToInt64OnlyForIntegersInRange) {
  int64_t v = 0;
  EXPECT_TRUE(toInt64(Rational(6, 3), v));
  EXPECT_EQ(v, 2);
  EXPECT_FALSE(toInt64(Rational(1, 2), v));
  EXPECT_FALSE(toInt64(*parseDecimal("99999999999999999999"), v));
}
