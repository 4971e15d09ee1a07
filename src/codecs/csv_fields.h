// Internal to the CSV codec: fast text-to-value conversions of single fields.
#pragma once

#include <charconv>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace ch::csv_internal {

// Trims ASCII spaces and tabs at both ends (numbers, dates and bools tolerate them).
inline std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Parses a whole decimal integer (optional sign). False on anything else or overflow.
inline bool StripPlus(std::string_view* s) {
  if (!s->empty() && s->front() == '+') {
    s->remove_prefix(1);
    if (!s->empty() && (s->front() == '+' || s->front() == '-')) return false;
  }
  return !s->empty();
}

inline bool ParseInt64(std::string_view s, int64_t* out) {
  if (!StripPlus(&s)) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

// Powers of ten exactly representable as doubles, for the exact fast path.
inline constexpr double kExactPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                         1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

// A plain decimal as written: (negative ? -1 : 1) * digits / 10^frac_digits.
struct PlainDecimal {
  uint64_t digits = 0;
  int frac_digits = 0;
  bool negative = false;
  double ToDouble() const {
    double v = static_cast<double>(digits) / kExactPow10[frac_digits];
    return negative ? -v : v;
  }
};

// Parses a plain decimal ("-12.5", "3", ".5"; at most 15 digits, no exponent)
// starting at `p`, stopping at the first other character. Returns the end of
// the number, or nullptr if there is no such number there. ToDouble is
// exact: see ParseDouble.
inline const char* ParsePlainDecimal(const char* p, const char* end, PlainDecimal* out) {
  bool negative = false;
  if (p < end && *p == '-') {
    negative = true;
    ++p;
  }
  const char* digits_begin = p;
  uint64_t mantissa = 0;
  while (p < end && static_cast<unsigned>(*p - '0') < 10) mantissa = mantissa * 10 + (*p++ - '0');
  int int_digits = static_cast<int>(p - digits_begin);
  int frac_digits = 0;
  if (p < end && *p == '.') {
    const char* frac_begin = ++p;
    while (p < end && static_cast<unsigned>(*p - '0') < 10) mantissa = mantissa * 10 + (*p++ - '0');
    frac_digits = static_cast<int>(p - frac_begin);
  }
  int total = int_digits + frac_digits;
  if (total == 0 || total > 15) return nullptr;
  *out = PlainDecimal{mantissa, frac_digits, negative};
  return p;
}

// Parses a whole floating-point number, correctly rounded. Plain decimals
// ("23.45", at most 15 digits) take an exact fast path: the digits form an
// integer below 2^53 and 10^k (k <= 15) is exact, so one IEEE division is
// correctly rounded. Everything else (a plus sign, exponents, long
// mantissas, inf, nan) goes to std::from_chars.
inline bool ParseDouble(std::string_view s, double* out) {
  PlainDecimal plain;
  if (ParsePlainDecimal(s.data(), s.data() + s.size(), &plain) == s.data() + s.size()) {
    *out = plain.ToDouble();
    return true;
  }
  if (!StripPlus(&s)) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

inline bool EqualsIgnoreCase(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

// "true"/"false" in any case, or "1"/"0".
inline bool ParseBool(std::string_view s, bool* out) {
  if (s == "1" || EqualsIgnoreCase(s, "true")) {
    *out = true;
    return true;
  }
  if (s == "0" || EqualsIgnoreCase(s, "false")) {
    *out = false;
    return true;
  }
  return false;
}

// Whether `s` is well-formed UTF-8 (no overlongs, surrogates or values above U+10FFFF).
bool IsValidUtf8Slow(std::string_view s);

inline bool IsValidUtf8(std::string_view s) {
  const char* p = s.data();
  size_t n = s.size();
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t word;
    std::memcpy(&word, p + i, 8);
    if (word & 0x8080808080808080ULL) return IsValidUtf8Slow(s);
  }
  for (; i < n; ++i) {
    if (static_cast<unsigned char>(p[i]) >= 0x80) return IsValidUtf8Slow(s);
  }
  return true;
}

}  // namespace ch::csv_internal
