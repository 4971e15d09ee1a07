// CaseIndex: one disease's daily case series per location, addressable by day.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "table/table.h"

namespace ch::ml {

// The (0-based) week-of-year bucket of a day: days 1-7 of the year are 0, ...,
// days 358-366 are 51; 52 buckets in all.
inline constexpr int kSeasonBuckets = 52;
int SeasonBucket(int32_t days);

// The days (since 1970-01-01) of column `date` of `table`: a date column, or
// ISO text. InvalidArgument naming the row of a bad value.
Result<std::vector<int32_t>> TableDays(const Table& table, const std::string& column = "date");

// Daily cases of one disease from a feature table (columns location_code,
// date and `cases_column`), indexed by location and day. Missing days and
// null counts read as NaN. Immutable once built; thread-safe to read.
class CaseIndex {
 public:
  static Result<CaseIndex> Build(const Table& table, const std::string& cases_column);

  int64_t rows() const { return static_cast<int64_t>(row_day_.size()); }
  // Per table row: its day and its location id (index into locations()).
  int32_t row_day(int64_t r) const { return row_day_[r]; }
  int row_location(int64_t r) const { return row_location_[r]; }
  const std::vector<std::string>& locations() const { return locations_; }
  int32_t first_day(int loc) const { return series_[loc].first_day; }
  int32_t last_day(int loc) const {
    return series_[loc].first_day + static_cast<int32_t>(series_[loc].cases.size()) - 1;
  }
  // The location id of a code, or -1.
  int LocationId(const std::string& code) const;

  // Cases at `loc` on `day`; NaN when absent.
  double CasesAt(int loc, int32_t day) const;
  // Sum of cases on days day+1 .. day+n; NaN when any of them is absent.
  double FutureSum(int loc, int32_t day, int n) const;
  // Mean of cases on days day-half .. day+half that are present; NaN if none.
  double WindowMean(int loc, int32_t day, int half) const;

 private:
  struct Series {
    int32_t first_day = 0;
    std::vector<double> cases;
  };
  std::vector<int32_t> row_day_;
  std::vector<int> row_location_;
  std::vector<std::string> locations_;
  std::unordered_map<std::string, int> location_ids_;
  std::vector<Series> series_;
};

}  // namespace ch::ml
