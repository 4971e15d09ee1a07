// Calendar dates as days since 1970-01-01, and their ISO YYYY-MM-DD text form.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ch {

// Days since 1970-01-01 of a proleptic Gregorian date. Precondition: the date is valid.
int32_t DaysFromCivil(int year, int month, int day);

// Whether `year`-`month`-`day` exists (month 1..12, day within the month, leap years).
bool IsValidDate(int year, int month, int day);

// Parses exactly "YYYY-MM-DD" (years 0000..9999) into days since the epoch.
// Returns false for any other text or an impossible date (2023-02-29).
bool ParseIsoDate(std::string_view text, int32_t* days);

// Why ParseIsoDate rejected `text`, for error messages:
// "'2023-02-30' is not a valid date (day 30 is out of range for 2023-02)".
std::string DescribeBadDate(std::string_view text);

// Appends the ISO form of `days` ("2024-03-01") to `out`. Years outside
// 0..9999 are written with as many digits as needed and a sign if negative.
void AppendIsoDate(int32_t days, std::string* out);
std::string FormatIsoDate(int32_t days);

}  // namespace ch
