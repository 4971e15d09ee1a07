// The samplers of rng.h: normal, exponential, Poisson, and a log-factorial.
#include "generator/rng.h"

#include <array>
#include <cmath>

namespace ch::gen {
namespace {

constexpr int kFactorialTableSize = 128;

std::array<double, kFactorialTableSize> MakeLogFactorialTable() {
  std::array<double, kFactorialTableSize> table{};
  double sum = 0;
  for (int k = 1; k < kFactorialTableSize; ++k) {
    sum += std::log(static_cast<double>(k));
    table[k] = sum;
  }
  return table;
}

// Multiplication of uniforms (Knuth): expected lambda + 1 draws, exact.
int64_t PoissonSmall(Rng& rng, double lambda) {
  const double limit = std::exp(-lambda);
  int64_t k = 0;
  double product = rng.Uniform();
  while (product > limit) {
    ++k;
    product *= rng.Uniform();
  }
  return k;
}

// Hörmann's transformed rejection with squeeze (PTRS), exact for lambda >= 10
// and O(1) expected draws.
int64_t PoissonLarge(Rng& rng, double lambda) {
  const double slam = std::sqrt(lambda);
  const double loglam = std::log(lambda);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const double u = rng.Uniform() - 0.5;
    const double v = rng.Uniform();
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2 * a / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return static_cast<int64_t>(k);
    if (k < 0 || (us < 0.013 && v > us)) continue;
    const double lhs = std::log(v * inv_alpha / (a / (us * us) + b));
    const double rhs = -lambda + k * loglam - LogFactorial(static_cast<int64_t>(k));
    if (lhs <= rhs) return static_cast<int64_t>(k);
  }
}

}  // namespace

Rng::Rng(uint64_t seed) {
  uint64_t x = seed;
  for (uint64_t& word : s_) {
    word = Mix64(x);
    x += 0x9e3779b97f4a7c15ull;
  }
}

double Rng::Normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u, v, s;
  do {
    u = 2 * Uniform() - 1;
    v = 2 * Uniform() - 1;
    s = u * u + v * v;
  } while (s >= 1 || s == 0);
  const double factor = std::sqrt(-2 * std::log(s) / s);
  spare_ = v * factor;
  has_spare_ = true;
  return u * factor;
}

double Rng::Exponential() { return -std::log(UniformPositive()); }

int64_t Rng::Poisson(double lambda) {
  if (!(lambda > 0) || !std::isfinite(lambda)) return 0;
  return lambda < 10 ? PoissonSmall(*this, lambda) : PoissonLarge(*this, lambda);
}

double KeyedNormal(uint64_t key) {
  Rng rng(key);
  return rng.Normal();
}

double LogFactorial(int64_t k) {
  static const std::array<double, kFactorialTableSize> kTable = MakeLogFactorialTable();
  if (k < 2) return 0;
  if (k < kFactorialTableSize) return kTable[k];
  // Stirling's series; at k >= 128 the next term is below 1e-17.
  const double n = static_cast<double>(k);
  const double inv = 1 / n;
  const double inv2 = inv * inv;
  return n * std::log(n) - n + 0.5 * std::log(2 * M_PI * n) +
         inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 / 1260));
}

}  // namespace ch::gen
