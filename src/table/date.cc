// Date conversions over std::chrono's civil calendar, with a fixed-format fast parser.
#include "table/date.h"

#include <chrono>
#include <cstdio>

namespace ch {
namespace {

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2) {
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[month - 1];
}

inline bool Digits(const char* p, int n, int* value) {
  int v = 0;
  for (int i = 0; i < n; ++i) {
    unsigned d = static_cast<unsigned char>(p[i]) - '0';
    if (d > 9) return false;
    v = v * 10 + static_cast<int>(d);
  }
  *value = v;
  return true;
}

}  // namespace

int32_t DaysFromCivil(int year, int month, int day) {
  std::chrono::year_month_day ymd{std::chrono::year{year},
                                  std::chrono::month{static_cast<unsigned>(month)},
                                  std::chrono::day{static_cast<unsigned>(day)}};
  return static_cast<int32_t>(std::chrono::sys_days{ymd}.time_since_epoch().count());
}

bool IsValidDate(int year, int month, int day) {
  return month >= 1 && month <= 12 && day >= 1 && day <= DaysInMonth(year, month);
}

bool ParseIsoDate(std::string_view text, int32_t* days) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  int y, m, d;
  if (!Digits(text.data(), 4, &y) || !Digits(text.data() + 5, 2, &m) ||
      !Digits(text.data() + 8, 2, &d)) {
    return false;
  }
  if (!IsValidDate(y, m, d)) return false;
  *days = DaysFromCivil(y, m, d);
  return true;
}

std::string DescribeBadDate(std::string_view text) {
  std::string quoted = "'" + std::string(text) + "'";
  int y, m, d;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !Digits(text.data(), 4, &y) ||
      !Digits(text.data() + 5, 2, &m) || !Digits(text.data() + 8, 2, &d)) {
    return quoted + " is not a date in the form YYYY-MM-DD";
  }
  if (m < 1 || m > 12) {
    return quoted + " is not a valid date (month " + std::to_string(m) + " is out of range)";
  }
  return quoted + " is not a valid date (day " + std::to_string(d) + " is out of range for " +
         std::string(text.substr(0, 7)) + ")";
}

void AppendIsoDate(int32_t days, std::string* out) {
  std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  int y = static_cast<int>(ymd.year());
  unsigned m = static_cast<unsigned>(ymd.month());
  unsigned d = static_cast<unsigned>(ymd.day());
  if (y < 0 || y > 9999) {
    char buf[32];
    int n = std::snprintf(buf, sizeof(buf), "%d-%02u-%02u", y, m, d);
    out->append(buf, static_cast<size_t>(n));
    return;
  }
  char buf[10] = {static_cast<char>('0' + y / 1000),
                  static_cast<char>('0' + y / 100 % 10),
                  static_cast<char>('0' + y / 10 % 10),
                  static_cast<char>('0' + y % 10),
                  '-',
                  static_cast<char>('0' + m / 10),
                  static_cast<char>('0' + m % 10),
                  '-',
                  static_cast<char>('0' + d / 10),
                  static_cast<char>('0' + d % 10)};
  out->append(buf, sizeof(buf));
}

std::string FormatIsoDate(int32_t days) {
  std::string out;
  AppendIsoDate(days, &out);
  return out;
}

}  // namespace ch
