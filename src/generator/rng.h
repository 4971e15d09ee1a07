// A fixed, portable pseudo-random generator (xoshiro256**) and the samplers
// the data generator needs, so the same seed gives the same bytes everywhere.
#pragma once

#include <cstdint>
#include <string_view>

namespace ch::gen {

// The SplitMix64 output function: a strong 64-bit mixer. Pure.
constexpr uint64_t Mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// Combines a key with more values, order-sensitive: Key(a, b) != Key(b, a).
constexpr uint64_t Key(uint64_t a) { return Mix64(a); }
template <typename... Rest>
constexpr uint64_t Key(uint64_t a, uint64_t b, Rest... rest) {
  return Key(Mix64(a) ^ (b * 0xd6e8feb86659fd93ull + 0x2545f4914f6cdd1dull), rest...);
}

// FNV-1a of a string: names location streams by code, so a location's numbers
// do not depend on which other locations exist or in what order they run.
constexpr uint64_t HashString(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
  return h;
}

// A uniform double in [0, 1) from the top 53 bits of `bits`.
constexpr double ToUnit(uint64_t bits) { return static_cast<double>(bits >> 11) * 0x1.0p-53; }

// xoshiro256** seeded through SplitMix64. Not thread-safe; one per stream.
// Only our own samplers are used (std:: distributions differ between
// standard libraries); they need only IEEE arithmetic and log/sqrt/exp.
class Rng {
 public:
  explicit Rng(uint64_t seed);

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1).
  double Uniform() { return ToUnit(Next()); }
  // Uniform in (0, 1]: safe to take the logarithm of.
  double UniformPositive() { return static_cast<double>((Next() >> 11) + 1) * 0x1.0p-53; }
  // Uniform integer in [0, n); n > 0. The tiny modulo bias is irrelevant here.
  uint64_t Below(uint64_t n) { return Next() % n; }
  // Standard normal (Marsaglia's polar method; the spare value is kept).
  double Normal();
  // Exponential with mean 1.
  double Exponential();
  // Poisson with mean `lambda` (>= 0; non-finite or negative gives 0).
  int64_t Poisson(double lambda);

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  uint64_t s_[4];
  double spare_ = 0;
  bool has_spare_ = false;
};

// A standard normal value fixed by `key` alone (for per-year factors that
// many independent streams must agree on).
double KeyedNormal(uint64_t key);

// ln(k!) without the global state that std::lgamma writes in glibc.
double LogFactorial(int64_t k);

}  // namespace ch::gen
