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
  EXPECT_FALSE(parseDecimal("1e"));
  EXPECT_FALSE(parseDecimal("1e+"));
  EXPECT_FALSE(parseDecimal("1e5.0"));
  EXPECT_FALSE(parseDecimal("abc"));
}

// 1e308 was refused: exponent notation is read exactly, as a rational.
TEST(Rational, ExponentNotationIsExact) {
  EXPECT_EQ(toString(*parseDecimal("1e5")), "100000");
  EXPECT_EQ(toString(*parseDecimal("2.5E-3")), "1/400");
  EXPECT_EQ(toString(*parseDecimal("1e-1")), "1/10");
  EXPECT_EQ(toString(*parseDecimal("-12.5e+2")), "-1250");
  mpz_class big;
  mpz_ui_pow_ui(big.get_mpz_t(), 10, 308);
  EXPECT_EQ(*parseDecimal("1e308"), Rational(big));
  EXPECT_EQ(*parseDecimal("0e99999999999999999999"), 0);
}

// The exponent limit bounds the number's size: trailing zeros count in it,
// and an exponent too long for 64 bits does not overflow.
TEST(Rational, ExponentLimit) {
  EXPECT_TRUE(parseDecimal("1e10000"));
  EXPECT_FALSE(parseDecimal("1e10001"));
  EXPECT_FALSE(parseDecimal("1e-10001"));
  EXPECT_FALSE(parseDecimal("10e10000"));
  EXPECT_EQ(toString(*parseDecimal("1000e-10002")), "1/" + std::string("1") + std::string(9999, '0'));
  EXPECT_FALSE(parseDecimal("1e99999999999999999999999"));
  EXPECT_FALSE(parseDecimal("1e-99999999999999999999999"));
}

TEST(Rational, ToInt64OnlyForIntegersInRange) {
  int64_t v = 0;
  EXPECT_TRUE(toInt64(Rational(6, 3), v));
  EXPECT_EQ(v, 2);
  EXPECT_FALSE(toInt64(Rational(1, 2), v));
  EXPECT_FALSE(toInt64(*parseDecimal("99999999999999999999"), v));
}
