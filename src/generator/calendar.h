// Calendar facts of one simulated day, and ISO date parsing/formatting.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/status.h"

namespace ch::gen {

// Everything the models and the row writers need to know about a day.
struct DayInfo {
  char date[10];    // "YYYY-MM-DD", not NUL-terminated
  int year = 0;     // calendar year
  int month = 0;    // 0 = January … 11 = December
  int weekday = 0;  // 0 = Monday … 6 = Sunday
  // Monthly climatologies are given at mid-month and interpolated linearly:
  // value = table[m0] * (1 - w) + table[m1] * w.
  int m0 = 0;
  int m1 = 0;
  double w = 0;

  std::string_view DateText() const { return {date, sizeof date}; }
};

DayInfo MakeDayInfo(std::chrono::sys_days day);

// Parses "YYYY-MM-DD" (a real calendar date, years 1900–2199).
// InvalidArgument naming the text otherwise.
Result<std::chrono::sys_days> ParseIsoDate(std::string_view text);

// "YYYY-MM-DD".
std::string FormatIsoDate(std::chrono::sys_days day);

// The day `years` calendar years after `start` (29 February → 28 February).
std::chrono::sys_days AddYears(std::chrono::sys_days start, int years);

}  // namespace ch::gen
