#include "codecs/number_format.h"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>

namespace ch {
namespace {

std::string Reference(double v) {
  char buf[64];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

std::string Shortest(double v) {
  char buf[kShortestDoubleChars];
  return std::string(buf, FormatShortest(v, buf));
}

std::string Scaled(int64_t n, int d) {
  char buf[kShortestDoubleChars];
  return std::string(buf, FormatScaled(n, d, buf));
}

TEST(NumberFormatTest, ShortDecimalsPrintAsToChars) {
  const double cases[] = {
      0.0,   -0.0,    1.0,     -1.0,    31.4,     0.1,       0.0001,
      0.001, 1e-5,    1e-7,    100000,  1e5 + 1,  12345,     123456,
      1e15,  1e16,    2.5e-3,  -0.0125, 999999.5, 1234.5678, 0.30000000000000004,
      1e300, -1e-300, 4.9e-324};
  for (double v : cases) EXPECT_EQ(Shortest(v), Reference(v)) << v;
}

TEST(NumberFormatTest, NonFiniteValuesPrintAsToChars) {
  for (double v :
       {std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
        std::numeric_limits<double>::quiet_NaN()}) {
    EXPECT_EQ(Shortest(v), Reference(v));
  }
}

TEST(NumberFormatTest, ScaledIntegersMatchToCharsOfTheirQuotient) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 2'000'000; ++i) {
    const int digits = 1 + static_cast<int>(rng() % 15);
    const int64_t bound = static_cast<int64_t>(std::pow(10.0, digits));
    int64_t n = static_cast<int64_t>(rng() % static_cast<uint64_t>(bound));
    if (rng() % 2 == 0) n = -n;
    const int d = static_cast<int>(rng() % 16);
    const double quotient = static_cast<double>(n) / std::pow(10.0, d);
    ASSERT_EQ(Scaled(n, d), Reference(quotient == 0 ? 0.0 : quotient)) << n << " / 10^" << d;
  }
}

TEST(NumberFormatTest, RandomDoublesMatchToChars) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> uniform(-2000, 2000);
  for (int i = 0; i < 1'000'000; ++i) {
    const double raw = uniform(rng);
    ASSERT_EQ(Shortest(raw), Reference(raw)) << raw;
    // The same value rounded to 0..6 places: the fast path's usual input.
    const int d = static_cast<int>(rng() % 7);
    const double rounded = std::round(raw * std::pow(10.0, d)) / std::pow(10.0, d);
    ASSERT_EQ(Shortest(rounded), Reference(rounded)) << rounded;
    // Arbitrary bit patterns, subnormals and huge exponents included.
    double any = 0;
    const uint64_t bits = rng();
    std::memcpy(&any, &bits, sizeof any);
    ASSERT_EQ(Shortest(any), Reference(any)) << bits;
  }
}

}  // namespace
}  // namespace ch
