// Date arithmetic on std::chrono calendar types, formatted by hand for speed.
#include "generator/calendar.h"

#include <charconv>
#include <cmath>

namespace ch::gen {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::sys_days;
using std::chrono::year;
using std::chrono::year_month_day;

void WriteDigits(char* out, int value, int width) {
  for (int i = width - 1; i >= 0; --i, value /= 10) out[i] = static_cast<char>('0' + value % 10);
}

bool ParseField(std::string_view text, size_t pos, size_t len, int* out) {
  const char* begin = text.data() + pos;
  auto [end, ec] = std::from_chars(begin, begin + len, *out);
  return ec == std::errc() && end == begin + len;
}

}  // namespace

DayInfo MakeDayInfo(sys_days d) {
  const year_month_day ymd{d};
  DayInfo info;
  info.year = static_cast<int>(ymd.year());
  info.month = static_cast<int>(static_cast<unsigned>(ymd.month())) - 1;
  const int dom = static_cast<int>(static_cast<unsigned>(ymd.day()));
  WriteDigits(info.date, info.year, 4);
  info.date[4] = '-';
  WriteDigits(info.date + 5, info.month + 1, 2);
  info.date[7] = '-';
  WriteDigits(info.date + 8, dom, 2);
  info.weekday = static_cast<int>(std::chrono::weekday{d}.iso_encoding()) - 1;
  const std::chrono::year_month_day_last last{ymd.year(), std::chrono::month_day_last{ymd.month()}};
  const unsigned month_days = static_cast<unsigned>(last.day());
  const double position = info.month + (dom - 0.5) / month_days - 0.5;
  if (position < 0) {
    info.m0 = 11;
    info.m1 = 0;
    info.w = position + 1;
  } else {
    info.m0 = static_cast<int>(std::floor(position));
    info.m1 = (info.m0 + 1) % 12;
    info.w = position - info.m0;
  }
  return info;
}

Result<sys_days> ParseIsoDate(std::string_view text) {
  int y = 0, m = 0, dd = 0;
  const bool shaped = text.size() == 10 && text[4] == '-' && text[7] == '-';
  if (!shaped || !ParseField(text, 0, 4, &y) || !ParseField(text, 5, 2, &m) ||
      !ParseField(text, 8, 2, &dd)) {
    return Status::InvalidArgument("'" + std::string(text) +
                                   "' is not a date: expected YYYY-MM-DD");
  }
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(m)},
                           day{static_cast<unsigned>(dd)}};
  if (!ymd.ok() || y < 1900 || y > 2199) {
    return Status::InvalidArgument("'" + std::string(text) +
                                   "' is not a calendar date between 1900 and 2199");
  }
  return sys_days{ymd};
}

std::string FormatIsoDate(sys_days d) {
  const DayInfo info = MakeDayInfo(d);
  return std::string(info.DateText());
}

sys_days AddYears(sys_days start, int years) {
  year_month_day ymd{start};
  ymd += std::chrono::years{years};
  if (!ymd.ok()) ymd = year_month_day{ymd.year(), ymd.month(), day{28}};
  return sys_days{ymd};
}

}  // namespace ch::gen
