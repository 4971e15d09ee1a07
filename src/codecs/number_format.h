// Shortest round-trip text of doubles, byte for byte what std::to_chars(double)
// writes, with a fast path for the values CSV files mostly hold: decimals of
// at most 15 significant digits and a few places (31.4, 0.0125, 1250).
#pragma once

#include <cstdint>

namespace ch {

// Room FormatShortest and FormatScaled need at `out`: they may write past
// the end they return (never past out + kShortestDoubleChars).
inline constexpr int kShortestDoubleChars = 32;

// Writes `value` as std::to_chars(out, out + kShortestDoubleChars, value)
// does (including "-0", "inf" and "nan") and returns the end.
char* FormatShortest(double value, char* out);

// Writes the shortest text of the double nearest to scaled / 10^decimals, as
// std::to_chars would for that double, and returns the end. Exact when
// |scaled| < 10^15 and 0 <= decimals <= 15 (the caller's contract): every
// decimal of at most 15 significant digits names its own double, so its
// digits are the shortest text.
char* FormatScaled(int64_t scaled, int decimals, char* out);

}  // namespace ch
