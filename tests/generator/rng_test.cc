// The generator's PRNG and samplers: fixed sequences and correct moments.
#include "generator/rng.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace ch::gen {
namespace {

TEST(RngTest, Mix64MatchesSplitMix64ReferenceValue) {
  // The first output of SplitMix64 seeded with 0.
  EXPECT_EQ(Mix64(0), 0xe220a8397b1dcdafull);
}

TEST(RngTest, SameSeedGivesSameSequenceAndOtherSeedsDiffer) {
  Rng a(42), b(42), c(43);
  int equal_to_c = 0;
  for (int i = 0; i < 1000; ++i) {
    const uint64_t x = a.Next();
    ASSERT_EQ(x, b.Next());
    equal_to_c += x == c.Next();
  }
  EXPECT_EQ(equal_to_c, 0);
}

TEST(RngTest, KeyIsOrderSensitive) {
  EXPECT_NE(Key(1, 2), Key(2, 1));
  EXPECT_NE(Key(1, 2, 3), Key(1, 3, 2));
  EXPECT_EQ(Key(7, 8, 9), Key(7, 8, 9));
}

TEST(RngTest, UniformStaysInRangeWithMeanOneHalf) {
  Rng rng(1);
  double sum = 0;
  for (int i = 0; i < 100000; ++i) {
    const double u = rng.Uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / 100000, 0.5, 0.005);
}

TEST(RngTest, NormalHasZeroMeanAndUnitVariance) {
  Rng rng(2);
  const int n = 200000;
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = rng.Normal();
    sum += x;
    sum2 += x * x;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.01);
  EXPECT_NEAR(sum2 / n, 1.0, 0.02);
}

TEST(RngTest, PoissonHasMeanAndVarianceLambdaAcrossBothAlgorithms) {
  for (double lambda : {0.05, 0.7, 4.0, 9.9, 10.0, 35.0, 1000.0, 25000.0}) {
    Rng rng(static_cast<uint64_t>(lambda * 1000));
    const int n = 100000;
    double sum = 0, sum2 = 0;
    for (int i = 0; i < n; ++i) {
      const int64_t k = rng.Poisson(lambda);
      ASSERT_GE(k, 0);
      sum += static_cast<double>(k);
      sum2 += static_cast<double>(k) * static_cast<double>(k);
    }
    const double mean = sum / n;
    const double variance = sum2 / n - mean * mean;
    const double se = std::sqrt(lambda / n);
    EXPECT_NEAR(mean, lambda, 5 * se) << "lambda " << lambda;
    const double variance_se = std::sqrt((1 / lambda + 2) / n);  // relative
    EXPECT_NEAR(variance / lambda, 1.0, 5 * variance_se) << "lambda " << lambda;
  }
}

TEST(RngTest, PoissonOfLargeLambdaHasTheRightProbabilityOfItsMode) {
  // P(X = 20) for lambda 20 is 0.08884; PTRS must reproduce the pmf, not just moments.
  Rng rng(99);
  const int n = 400000;
  int hits = 0;
  for (int i = 0; i < n; ++i) hits += rng.Poisson(20.0) == 20;
  EXPECT_NEAR(static_cast<double>(hits) / n, 0.08884, 0.0015);
}

TEST(RngTest, PoissonOfZeroNegativeOrNanIsZero) {
  Rng rng(3);
  EXPECT_EQ(rng.Poisson(0), 0);
  EXPECT_EQ(rng.Poisson(-5), 0);
  EXPECT_EQ(rng.Poisson(std::nan("")), 0);
}

TEST(RngTest, LogFactorialMatchesSumOfLogsOnBothSidesOfTheTable) {
  double sum = 0;
  for (int k = 1; k <= 2000; ++k) {
    sum += std::log(static_cast<double>(k));
    if (k == 1 || k == 5 || k == 127 || k == 128 || k == 129 || k == 500 || k == 2000) {
      EXPECT_NEAR(LogFactorial(k), sum, 1e-9 * std::max(1.0, sum)) << k;
    }
  }
  EXPECT_EQ(LogFactorial(0), 0);
}

}  // namespace
}  // namespace ch::gen
