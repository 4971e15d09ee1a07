// Deterministic incompressible test content.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace ch::testing {

// `n` pseudo-random bytes (xorshift) that depend only on `seed`.
inline std::string PatternBytes(size_t n, unsigned seed) {
  std::string s(n, '\0');
  uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  for (char& c : s) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    c = static_cast<char>(x);
  }
  return s;
}

}  // namespace ch::testing
