// Validation of the raw CSVs against docs/DATA.md: the rules, the issues they
// raise, and the streaming scan that sorts valid rows into per-location series.
#pragma once

#include <array>
#include <climits>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "services/data/data_service.h"
#include "storage/object_store.h"

namespace ch::batch {

// Every rule the batch job applies, in report order.
enum class Rule {
  kMalformedRow = 0,      // not CSV, or the wrong number of fields: rejected
  kMissingValue,          // an empty required field: rejected
  kMalformedDate,         // date is not ISO YYYY-MM-DD: rejected
  kMalformedNumber,       // a value is not a number (or not an integer): rejected
  kUnknownLocation,       // location_code not in locations.csv: rejected
  kOutOfRange,            // a value outside its physical range: rejected
  kDuplicateLocation,     // locations.csv: a code listed twice: rejected
  kExactDuplicate,        // an identical copy of an earlier row: dropped
  kConflictingDuplicate,  // same (date, location), different values: all copies rejected
  kOutOfOrder,            // earlier date after a later one of that location: reordered
  kGapInterpolated,       // a missing day in a gap of <= 3 days: row interpolated, flagged
  kGapLeft,               // a gap longer than 3 days: left as is, reported
};
inline constexpr int kRuleCount = 12;

// "malformed_row", ... (the names used in the report).
std::string_view RuleName(Rule rule);
// "rejected", "dropped", "reordered", "interpolated", "reported".
std::string_view RuleAction(Rule rule);
// Whether the rule removes the row from the output.
bool RuleRemovesRow(Rule rule);

// The files, as indexed in issues and counts.
enum FileIndex { kLocationsFile = 0, kClimateFile = 1, kHealthFile = 2, kHospitalFile = 3 };
inline constexpr int kFileCount = 4;
std::string_view FileKey(int file);  // "raw/locations.csv", ...
int FileOf(services::Dataset dataset);

// One row rejected or repaired (or one day filled or left missing).
struct Issue {
  int file = 0;
  Rule rule = Rule::kMalformedRow;
  int64_t line = 0;          // 1-based physical line; 0 for a day with no row (gaps)
  int32_t date = INT32_MIN;  // the row's date when known
  std::string location;      // the row's location_code as written
  std::string column;        // the offending column, if one
  std::string detail;        // the value or the reason

  bool operator<(const Issue& o) const;
};

// Valid locations: codes in ascending order, and their index.
struct LocationIndex {
  std::vector<std::string> codes;
  std::unordered_map<std::string, int> index;
  int Find(std::string_view code) const;
};

// The valid rows of one dataset for one location, in file order: dates,
// physical lines and `width` values per row.
struct Series {
  std::vector<int32_t> dates;
  std::vector<int64_t> lines;
  std::vector<double> values;
};

// Which rows one pass keeps: those of locations [first, last) of the index,
// plus (when `owns_unlocated`) the rows that belong to no valid location.
struct PassScope {
  int first = 0;
  int last = 0;
  bool owns_unlocated = false;
};

// A raw daily file and its size when the run began (0: unknown), from which
// each location's series is sized once the bytes per row are known, instead
// of being copied each time it outgrows its memory.
struct DailyFile {
  ObjectRef ref;
  uint64_t size = 0;
};

struct DatasetScan {
  std::vector<Series> series;    // one per location of the scope
  std::vector<Issue> issues;     // row-level issues of the scope, in file order
  int64_t rows_in = 0;           // data rows of the scope
  int32_t max_date = INT32_MIN;  // latest valid date of a known location, whole file
  ObjectInfo info;
};

// Streams `ref` (a raw daily CSV of `dataset`) once, validating every row.
// InvalidArgument naming the key for an empty or non-CSV file or a missing
// required column; NotFound for a missing object.
Status ScanDataset(ObjectStore& store, const DailyFile& file, services::Dataset dataset,
                   const LocationIndex& locations, const PassScope& scope, DatasetScan* out);

}  // namespace ch::batch
