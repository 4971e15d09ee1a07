// Shortest doubles without the general algorithm when the value is a short
// decimal: find its digits by scaling, then lay them out as std::to_chars does
// (fixed or scientific, whichever is shorter; fixed on a tie).
#include "codecs/number_format.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>

namespace ch {
namespace {

constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                             1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
constexpr int kMaxFastDecimals = 6;
constexpr double kMaxScaled = 1e15;

constexpr uint64_t kPow10Int[] = {1,
                                  10,
                                  100,
                                  1000,
                                  10000,
                                  100000,
                                  1000000,
                                  10000000,
                                  100000000,
                                  1000000000,
                                  10000000000,
                                  100000000000,
                                  1000000000000,
                                  10000000000000,
                                  100000000000000,
                                  1000000000000000,
                                  10000000000000000,
                                  100000000000000000,
                                  1000000000000000000,
                                  10000000000000000000U};

constexpr char kDigitPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// Number of decimal digits of v (> 0).
int CountDigits(uint64_t v) {
  const int guess = static_cast<int>((std::bit_width(v) * 1233) >> 12);
  return guess + (v >= kPow10Int[guess] ? 1 : 0);
}

// Writes `v` as exactly `width` digits (leading zeros) ending at `end`.
void WritePadded(uint64_t v, int width, char* end) {
  for (int i = 0; i < width; ++i) {
    *--end = static_cast<char>('0' + v % 10);
    v /= 10;
  }
}

char* WriteExponent(int exponent, char* out) {
  *out++ = 'e';
  *out++ = exponent < 0 ? '-' : '+';
  const int magnitude = exponent < 0 ? -exponent : exponent;
  if (magnitude >= 100) *out++ = static_cast<char>('0' + magnitude / 100);
  *out++ = static_cast<char>('0' + magnitude / 10 % 10);
  *out++ = static_cast<char>('0' + magnitude % 10);
  return out;
}

// `digits` (k of them, no trailing zero) times 10^exponent in scientific form.
char* WriteScientific(uint64_t digits, int k, int exponent, char* out) {
  char text[20] = {};
  WritePadded(digits, k, text + k);
  *out++ = text[0];
  if (k > 1) {
    *out++ = '.';
    std::memcpy(out, text + 1, k - 1);
    out += k - 1;
  }
  return WriteExponent(k - 1 + exponent, out);
}

// FormatScaled for any nonzero magnitude: strips the zeros, then weighs the
// fixed form against the scientific one.
char* FormatScaledGeneral(uint64_t digits, int decimals, char* out) {
  int exponent = -decimals;  // value = digits * 10^exponent
  while (digits % 10 == 0) {
    digits /= 10;
    ++exponent;
  }
  const int k = CountDigits(digits);
  const int sci_exponent = k - 1 + exponent;
  const int abs_sci = sci_exponent < 0 ? -sci_exponent : sci_exponent;
  const int sci_length = (k > 1 ? k + 1 : 1) + 2 + (abs_sci >= 100 ? 3 : 2);
  if (exponent >= 0) {  // a whole number: digits and zeros
    if (sci_length < k + exponent) return WriteScientific(digits, k, exponent, out);
    out = std::to_chars(out, out + 20, digits).ptr;
    std::memset(out, '0', exponent);
    return out + exponent;
  }
  const int fraction_digits = -exponent;
  const int fixed_length = sci_exponent >= 0 ? k + 1 : fraction_digits + 2;
  if (sci_length < fixed_length) return WriteScientific(digits, k, exponent, out);
  out = std::to_chars(out, out + 20, digits / kPow10Int[fraction_digits]).ptr;
  *out++ = '.';
  WritePadded(digits % kPow10Int[fraction_digits], fraction_digits, out + fraction_digits);
  return out + fraction_digits;
}

}  // namespace

char* FormatScaled(int64_t scaled, int decimals, char* out) {
  if (scaled == 0) {
    *out++ = '0';
    return out;
  }
  if (scaled < 0) *out++ = '-';
  const uint64_t magnitude = scaled < 0 ? 0 - static_cast<uint64_t>(scaled) : scaled;
  if (magnitude >= kPow10Int[15]) return FormatScaledGeneral(magnitude, decimals, out);
  // The digits, two at a time from the right, padded with zeros to at least
  // one whole digit: [first, last) = whole digits, then `decimals` more.
  // 16 bytes of slack after the digits: they are copied out in fixed-size
  // blocks (a variable-length memcpy is a library call per field).
  char text[48];
  char* const last = text + 32;
  char* first = last;
  uint64_t v = magnitude;
  while (v >= 100) {
    first -= 2;
    std::memcpy(first, kDigitPairs + 2 * (v % 100), 2);
    v /= 100;
  }
  if (v >= 10) {
    first -= 2;
    std::memcpy(first, kDigitPairs + 2 * v, 2);
  } else {
    *--first = static_cast<char>('0' + v);
  }
  while (last - first <= decimals) *--first = '0';
  char* const point = last - decimals;
  char* fraction_end = last;
  while (fraction_end > point && fraction_end[-1] == '0') --fraction_end;
  // Scientific form is shorter only for a whole number ending in at least
  // five zeros or a value below 0.001 (fixed wins ties): the general path.
  if (fraction_end == point) {
    if (point - first > 5 && std::memcmp(point - 5, "00000", 5) == 0) {
      return FormatScaledGeneral(magnitude, decimals, out);
    }
  } else if (point - first == 1 && *first == '0' && fraction_end - point >= 3 &&
             std::memcmp(point, "000", 3) == 0) {
    return FormatScaledGeneral(magnitude, decimals, out);
  }
  // At most 15 digits in all, so the blocks stay within the caller's
  // kShortestDoubleChars: sign + 14 whole digits + '.' + 16 bytes = 32.
  std::memcpy(out, first, 16);
  out += point - first;
  if (fraction_end == point) return out;
  *out++ = '.';
  std::memcpy(out, point, 16);
  return out + (fraction_end - point);
}

char* FormatShortest(double value, char* out) {
  if (std::isfinite(value) && value != 0) {
    for (int d = 0; d <= kMaxFastDecimals; ++d) {
      const double scaled = value * kPow10[d];
      if (std::fabs(scaled) >= kMaxScaled) break;
      // The digits are right only if they name `value` itself.
      if (scaled == std::trunc(scaled) && scaled / kPow10[d] == value) {
        return FormatScaled(static_cast<int64_t>(scaled), d, out);
      }
    }
  }
  return std::to_chars(out, out + kShortestDoubleChars, value).ptr;
}

}  // namespace ch
