// The four raw files of spec/DATA.md and the faults the generator can inject.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace ch::gen {

enum class Dataset { kLocations = 0, kClimate = 1, kHealth = 2, kHospital = 3 };

inline constexpr std::array<Dataset, 4> kAllDatasets = {Dataset::kLocations, Dataset::kClimate,
                                                        Dataset::kHealth, Dataset::kHospital};
// The daily files, in the order they are written.
inline constexpr std::array<Dataset, 3> kDailyDatasets = {Dataset::kClimate, Dataset::kHealth,
                                                          Dataset::kHospital};

// "raw/climate_data.csv" etc.: the key in the raw bucket.
std::string_view DatasetKey(Dataset dataset);
// "climate_data.csv" etc.: the file name in a plain directory.
std::string_view DatasetFileName(Dataset dataset);
// The header, exactly as spec/DATA.md orders it.
std::span<const std::string_view> DatasetColumns(Dataset dataset);

// What --dirty injects into the daily files. Each fault touches one row:
// - kExactDuplicate: the row is followed by an identical copy;
// - kConflictingDuplicate: followed by a copy with the same (date, location)
//   and one different value;
// - kOutOfOrder: the row is moved after the same location's row of the next day;
// - kMissingValue: one value field is empty;
// - kUnknownLocation: followed by a copy whose location_code is not in locations.csv;
// - kOutOfRange: one value is physically impossible (negative rain, cases or
//   beds, humidity 130 %, temp_max 70 °C, negative PM2.5 or wind);
// - kMalformedNumber: one value field is "abc";
// - kMalformedDate: the date is not an ISO calendar date ("2021/03/05",
//   "05-03-2021", month 13 or day 32).
// Besides these, the health file uses CRLF line ends in dirty mode.
enum class FaultKind {
  kExactDuplicate = 0,
  kConflictingDuplicate,
  kOutOfOrder,
  kMissingValue,
  kUnknownLocation,
  kOutOfRange,
  kMalformedNumber,
  kMalformedDate,
};
inline constexpr int kFaultKindCount = 8;

// "exact_duplicate", "conflicting_duplicate", "out_of_order", "missing_value",
// "unknown_location", "out_of_range", "malformed_number", "malformed_date".
std::string_view FaultKindName(FaultKind kind);

// One injected fault, as recorded in the manifest.
struct FaultRecord {
  Dataset dataset = Dataset::kClimate;
  FaultKind kind = FaultKind::kExactDuplicate;
  uint64_t line = 0;           // 1-based physical line of the faulty row (the header is line 1)
  std::string date;            // the row's true date
  std::string location_code;   // the row's true location
  std::string column;          // the altered column; empty when no single column is
  std::string value;           // the text written there (the bad date, code or value)
  uint64_t original_line = 0;  // for added rows: the line of the row they copy; else 0
};

}  // namespace ch::gen
