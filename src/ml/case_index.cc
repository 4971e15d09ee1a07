// CaseIndex construction and lookups.
#include "ml/case_index.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "table/date.h"

namespace ch::ml {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

int YearOf(int32_t days) {
  int year = 1970 + static_cast<int>(std::floor(days / 365.2425));
  while (DaysFromCivil(year, 1, 1) > days) --year;
  while (DaysFromCivil(year + 1, 1, 1) <= days) ++year;
  return year;
}

double CaseValue(const Column& col, int64_t r) {
  if (col.IsNull(r)) return kNaN;
  return col.type() == DataType::kInt64 ? static_cast<double>(col.Int64(r)) : col.Float64(r);
}

}  // namespace

int SeasonBucket(int32_t days) {
  int doy = days - DaysFromCivil(YearOf(days), 1, 1);  // 0-based
  return std::min(doy / 7, kSeasonBuckets - 1);
}

Result<std::vector<int32_t>> TableDays(const Table& table, const std::string& column) {
  ASSIGN_OR_RETURN(const Column* col, table.GetColumn(column));
  std::vector<int32_t> days(table.num_rows());
  for (int64_t r = 0; r < table.num_rows(); ++r) {
    if (col->IsNull(r)) {
      return Status::InvalidArgument("column '" + column + "' row " + std::to_string(r + 1) +
                                     ": missing date");
    }
    if (col->type() == DataType::kDate) {
      days[r] = col->Date(r);
    } else if (col->type() != DataType::kString || !ParseIsoDate(col->String(r), &days[r])) {
      return Status::InvalidArgument("column '" + column + "' row " + std::to_string(r + 1) +
                                     ": '" + col->ValueToString(r) + "' is not a date");
    }
  }
  return days;
}

Result<CaseIndex> CaseIndex::Build(const Table& table, const std::string& cases_column) {
  ASSIGN_OR_RETURN(const Column* loc_col, table.GetColumn("location_code"));
  ASSIGN_OR_RETURN(const Column* cases, table.GetColumn(cases_column));
  if (loc_col->type() != DataType::kString ||
      (cases->type() != DataType::kInt64 && cases->type() != DataType::kFloat64)) {
    return Status::InvalidArgument("case index: location_code must be text and " + cases_column +
                                   " numeric");
  }
  CaseIndex idx;
  ASSIGN_OR_RETURN(idx.row_day_, TableDays(table));
  const int64_t n = table.num_rows();
  idx.row_location_.resize(n);
  std::vector<std::pair<int32_t, int32_t>> span;  // per location: min, max day
  for (int64_t r = 0; r < n; ++r) {
    std::string code(loc_col->String(r));
    auto [it, added] = idx.location_ids_.emplace(code, static_cast<int>(idx.locations_.size()));
    if (added) {
      idx.locations_.push_back(code);
      span.emplace_back(idx.row_day_[r], idx.row_day_[r]);
    }
    idx.row_location_[r] = it->second;
    auto& s = span[it->second];
    s.first = std::min(s.first, idx.row_day_[r]);
    s.second = std::max(s.second, idx.row_day_[r]);
  }
  idx.series_.resize(idx.locations_.size());
  for (size_t l = 0; l < span.size(); ++l) {
    idx.series_[l].first_day = span[l].first;
    idx.series_[l].cases.assign(span[l].second - span[l].first + 1, kNaN);
  }
  for (int64_t r = 0; r < n; ++r) {
    Series& s = idx.series_[idx.row_location_[r]];
    s.cases[idx.row_day_[r] - s.first_day] = CaseValue(*cases, r);
  }
  return idx;
}

int CaseIndex::LocationId(const std::string& code) const {
  auto it = location_ids_.find(code);
  return it == location_ids_.end() ? -1 : it->second;
}

double CaseIndex::CasesAt(int loc, int32_t day) const {
  const Series& s = series_[loc];
  int64_t i = static_cast<int64_t>(day) - s.first_day;
  if (i < 0 || i >= static_cast<int64_t>(s.cases.size())) return kNaN;
  return s.cases[i];
}

double CaseIndex::FutureSum(int loc, int32_t day, int n) const {
  double sum = 0;
  for (int k = 1; k <= n; ++k) sum += CasesAt(loc, day + k);  // NaN propagates
  return sum;
}

double CaseIndex::WindowMean(int loc, int32_t day, int half) const {
  double sum = 0;
  int count = 0;
  for (int k = -half; k <= half; ++k) {
    double v = CasesAt(loc, day + k);
    if (!std::isnan(v)) sum += v, ++count;
  }
  return count > 0 ? sum / count : kNaN;
}

}  // namespace ch::ml
