// The row rules of docs/DATA.md applied while streaming a raw daily CSV.
#include "jobs/batch/validate.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "jobs/batch/row_scanner.h"
#include "services/data/processed_layout.h"
#include "table/date.h"

namespace ch::batch {
namespace {

using services::Dataset;

struct Bounds {
  double lo;
  double hi;
};

// Physical ranges (inclusive). Temperatures beyond the world records, relative
// humidity outside 0-100 %, negative amounts: impossible, so rejected.
Bounds ValueBounds(std::string_view column) {
  if (column.starts_with("temp_")) return {-60, 60};
  if (column == "humidity_pct") return {0, 100};
  if (column == "rainfall_mm") return {0, 1500};
  if (column == "wind_speed_kmh") return {0, 400};
  if (column == "pm25_ugm3") return {0, 2000};
  return {0, 1e9};  // counts: cases, hospitals, beds
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Plain decimals (at most 15 digits, no exponent) exactly and fast; the rest
// through from_chars. False for anything that is not a whole finite number.
bool ParseNumber(std::string_view s, bool integer, double* out) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return false;
  if (integer) {
    int64_t v = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return false;
    *out = static_cast<double>(v);
    return true;
  }
  static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  const char* p = s.data();
  const char* end = p + s.size();
  const bool negative = *p == '-';
  if (negative) ++p;
  uint64_t mantissa = 0;
  int digits = 0;
  int frac = 0;
  bool dot = false;
  for (; p < end; ++p) {
    if (*p >= '0' && *p <= '9') {
      mantissa = mantissa * 10 + (*p - '0');
      ++digits;
      frac += dot ? 1 : 0;
    } else if (*p == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  if (p == end && digits > 0 && digits <= 15) {
    const double v = static_cast<double>(mantissa) / kPow10[frac];
    *out = negative ? -v : v;
    return true;
  }
  auto r = std::from_chars(s.data(), end, *out);
  return r.ec == std::errc() && r.ptr == end && std::isfinite(*out);
}

// Column positions of one raw daily file, found by header name.
struct Layout {
  int date = -1;
  int location = -1;
  std::vector<int> values;
  size_t fields = 0;
};

Result<Layout> MakeLayout(const std::vector<std::string_view>& header, Dataset dataset,
                          const std::string& key) {
  Layout layout;
  layout.fields = header.size();
  auto find = [&](std::string_view name) -> int {
    for (size_t i = 0; i < header.size(); ++i) {
      if (Trim(header[i]) == name) return static_cast<int>(i);
    }
    return -1;
  };
  std::vector<std::string_view> wanted = {"date", "location_code"};
  for (const services::ValueColumn& c : services::DatasetValueColumns(dataset)) {
    wanted.push_back(c.name);
  }
  for (std::string_view name : wanted) {
    const int at = find(name);
    if (at < 0) {
      return Status::InvalidArgument(key + ": line 1: missing required column '" +
                                     std::string(name) + "'");
    }
    if (name == "date") {
      layout.date = at;
    } else if (name == "location_code") {
      layout.location = at;
    } else {
      layout.values.push_back(at);
    }
  }
  return layout;
}

// Validates one row; on success appends it to its location's series.
class RowChecker {
 public:
  RowChecker(Dataset dataset, const LocationIndex& locations, const PassScope& scope,
             DatasetScan* out)
      : columns_(services::DatasetValueColumns(dataset)),
        file_(FileOf(dataset)),
        locations_(locations),
        scope_(scope),
        out_(out) {
    for (const services::ValueColumn& c : columns_) bounds_.push_back(ValueBounds(c.name));
    values_.resize(columns_.size());
    follower_.assign(locations.codes.size(), -1);
    seen_.assign(locations.codes.size(), 0);
  }

  // The size of the file being scanned (0: unknown).
  uint64_t file_size = 0;

  Layout layout;

  void Check(const RawRow& row) {
    const std::vector<std::string_view>& f = row.fields;
    const bool complete = row.malformed.empty() && f.size() == layout.fields;
    std::string_view code;
    int loc = -1;
    if (static_cast<size_t>(layout.location) < f.size()) {
      code = Trim(f[layout.location]);
      loc = FindLocation(code);
    }
    const bool owned =
        loc >= 0 ? (loc >= scope_.first && loc < scope_.last) : scope_.owns_unlocated;
    int32_t date = INT32_MIN;
    const bool date_ok =
        static_cast<size_t>(layout.date) < f.size() && ParseDate(Trim(f[layout.date]), &date);
    const int32_t previous = previous_date_;
    if (date_ok && loc >= 0) {
      if (date > out_->max_date) out_->max_date = date;
      NoteOrder(date, loc);
    }
    if (loc >= 0) NoteRow(f, loc);
    if (!owned) return;
    ++out_->rows_in;
    if (!complete) {
      std::string why = !row.malformed.empty() ? std::string(row.malformed)
                                               : "expected " + std::to_string(layout.fields) +
                                                     " fields, found " + std::to_string(f.size());
      return Add(Rule::kMalformedRow, row.line, date, code, "", why);
    }
    const std::string_view date_text = Trim(f[layout.date]);
    if (date_text.empty()) return Add(Rule::kMissingValue, row.line, date, code, "date", "");
    if (!date_ok) {
      return Add(Rule::kMalformedDate, row.line, date, code, "date", std::string(date_text));
    }
    if (code.empty()) return Add(Rule::kMissingValue, row.line, date, code, "location_code", "");
    if (loc < 0) {
      return Add(Rule::kUnknownLocation, row.line, date, code, "location_code", std::string(code));
    }
    for (size_t i = 0; i < columns_.size(); ++i) {
      if (!CheckValue(Trim(f[layout.values[i]]), i, row.line, date, code)) return;
    }
    Series& s = out_->series[loc - scope_.first];
    const bool file_disorder = date_major_ && previous != INT32_MIN && date < previous;
    if ((!s.dates.empty() && date < lastmax_[loc - scope_.first]) || file_disorder) {
      Add(Rule::kOutOfOrder, row.line, date, code, "date", std::string(date_text));
    }
    if (lastmax_[loc - scope_.first] < date) lastmax_[loc - scope_.first] = date;
    s.dates.push_back(date);
    s.lines.push_back(row.line);
    s.values.insert(s.values.end(), values_.begin(), values_.end());
    if (s.dates.size() == kSizeSeriesAt) SizeSeries(s);
  }

  std::vector<int32_t> lastmax_;

 private:
  // Feeds list the locations in the same order day after day: the location
  // that followed this row's one last time is tried before the hash table.
  int FindLocation(std::string_view code) {
    const int guess = last_loc_ >= 0 ? follower_[last_loc_] : -1;
    const int loc = guess >= 0 && locations_.codes[guess] == code ? guess : locations_.Find(code);
    if (last_loc_ >= 0 && loc >= 0) follower_[last_loc_] = loc;
    last_loc_ = loc;
    return loc;
  }

  // Rows come a day at a time: a date repeated from the row above is not parsed again.
  bool ParseDate(std::string_view text, int32_t* date) {
    if (last_date_size_ > 0 && text == std::string_view(last_date_chars_, last_date_size_)) {
      *date = last_date_;
      return true;
    }
    if (!ParseIsoDate(text, date)) return false;
    if (text.size() <= sizeof last_date_chars_) {
      std::copy(text.begin(), text.end(), last_date_chars_);
      last_date_size_ = text.size();
      last_date_ = *date;
    }
    return true;
  }

  // A series is sized once it holds this many rows: late enough for the bytes
  // per row and the number of locations to be known, early enough to save the
  // growth steps that copy the most.
  static constexpr size_t kSizeSeriesAt = 4096;

  // Counts a row of a known location (in or out of scope) and its bytes,
  // taken from its fields (a quoted field may lie elsewhere: then the sum of
  // the field sizes stands in).
  void NoteRow(const std::vector<std::string_view>& f, int loc) {
    ++located_rows_;
    const std::string_view first = f.front(), last = f.back();
    const ptrdiff_t span = last.data() + last.size() - first.data();
    if (span > 0 && span < (ptrdiff_t{1} << 20)) {
      located_bytes_ += static_cast<uint64_t>(span) + 1;
    } else {
      for (std::string_view field : f) located_bytes_ += field.size() + 1;
    }
    if (!seen_[loc]) {
      seen_[loc] = 1;
      ++locations_seen_;
    }
  }

  // Reserves `s` for the rows its location is expected to have in the whole
  // file (with a little slack): the file's rows estimated from its size and
  // the bytes per row so far, shared by the locations seen so far.
  void SizeSeries(Series& s) const {
    if (file_size == 0 || located_bytes_ == 0 || locations_seen_ == 0) return;
    const double rows = static_cast<double>(located_rows_) * static_cast<double>(file_size) /
                        static_cast<double>(located_bytes_);
    const auto expected = static_cast<size_t>(rows / locations_seen_ * 1.03) + 64;
    if (expected <= s.dates.capacity()) return;
    s.dates.reserve(expected);
    s.lines.reserve(expected);
    s.values.reserve(expected * values_.size());
  }

  std::vector<char> seen_;  // by location: has a row of it been seen
  int locations_seen_ = 0;
  int64_t located_rows_ = 0;
  uint64_t located_bytes_ = 0;

  std::vector<int> follower_;  // by location: the one seen after it last
  int last_loc_ = -1;
  char last_date_chars_[16] = {};  // the text of the last date that parsed,
  size_t last_date_size_ = 0;      // its length (0: none yet)
  int32_t last_date_ = 0;          // and its value

  // The file's order is decided by its first two valid rows: the same date
  // at two locations means date-major (as delivered by the feeds), where a
  // row dated before the valid row above it is out of order even if its
  // location's neighbouring row was rejected.
  void NoteOrder(int32_t date, int loc) {
    if (valid_rows_ == 0) {
      first_date_ = date;
      first_loc_ = loc;
    } else if (valid_rows_ == 1) {
      date_major_ = date == first_date_ && loc != first_loc_;
    }
    ++valid_rows_;
    previous_date_ = date;
  }

  int64_t valid_rows_ = 0;
  int32_t first_date_ = 0;
  int first_loc_ = -1;
  bool date_major_ = false;
  int32_t previous_date_ = INT32_MIN;

  bool CheckValue(std::string_view text, size_t i, int64_t line, int32_t date,
                  std::string_view code) {
    const services::ValueColumn& c = columns_[i];
    if (text.empty()) {
      Add(Rule::kMissingValue, line, date, code, c.name, "");
      return false;
    }
    double v = 0;
    if (!ParseNumber(text, c.integer, &v)) {
      Add(Rule::kMalformedNumber, line, date, code, c.name,
          "'" + std::string(text.substr(0, 40)) + "' is not " +
              (c.integer ? "an integer" : "a number"));
      return false;
    }
    if (v < bounds_[i].lo || v > bounds_[i].hi) {
      Add(Rule::kOutOfRange, line, date, code, c.name,
          std::string(text) + " outside [" + FormatBound(bounds_[i].lo) + ", " +
              FormatBound(bounds_[i].hi) + "]");
      return false;
    }
    values_[i] = v;
    return true;
  }

  static std::string FormatBound(double v) {
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
  }

  void Add(Rule rule, int64_t line, int32_t date, std::string_view code, std::string_view column,
           std::string detail) {
    out_->issues.push_back(Issue{file_, rule, line, date, std::string(code.substr(0, 64)),
                                 std::string(column), std::move(detail)});
  }

  const std::vector<services::ValueColumn>& columns_;
  int file_;
  const LocationIndex& locations_;
  PassScope scope_;
  DatasetScan* out_;
  std::vector<Bounds> bounds_;
  std::vector<double> values_;
};

}  // namespace

std::string_view RuleName(Rule rule) {
  static constexpr std::string_view kNames[kRuleCount] = {
      "malformed_row",         "missing_value", "malformed_date",     "malformed_number",
      "unknown_location",      "out_of_range",  "duplicate_location", "exact_duplicate",
      "conflicting_duplicate", "out_of_order",  "gap_interpolated",   "gap_left"};
  return kNames[static_cast<int>(rule)];
}

std::string_view RuleAction(Rule rule) {
  switch (rule) {
    case Rule::kExactDuplicate:
      return "dropped";
    case Rule::kOutOfOrder:
      return "reordered";
    case Rule::kGapInterpolated:
      return "interpolated";
    case Rule::kGapLeft:
      return "reported";
    default:
      return "rejected";
  }
}

bool RuleRemovesRow(Rule rule) {
  return rule != Rule::kOutOfOrder && rule != Rule::kGapInterpolated && rule != Rule::kGapLeft;
}

std::string_view FileKey(int file) {
  static constexpr std::string_view kKeys[kFileCount] = {
      "raw/locations.csv", "raw/climate_data.csv", "raw/health_data.csv", "raw/hospital_data.csv"};
  return kKeys[file];
}

int FileOf(services::Dataset dataset) {
  switch (dataset) {
    case Dataset::kClimate:
      return kClimateFile;
    case Dataset::kHealth:
      return kHealthFile;
    case Dataset::kHospital:
      return kHospitalFile;
  }
  return kClimateFile;
}

bool Issue::operator<(const Issue& o) const {
  if (file != o.file) return file < o.file;
  if (line != o.line) return line < o.line;
  if (location != o.location) return location < o.location;
  if (date != o.date) return date < o.date;
  return rule < o.rule;
}

int LocationIndex::Find(std::string_view code) const {
  if (code.empty()) return -1;
  auto it = index.find(std::string(code));
  return it == index.end() ? -1 : it->second;
}

Status ScanDataset(ObjectStore& store, const DailyFile& file, services::Dataset dataset,
                   const LocationIndex& locations, const PassScope& scope, DatasetScan* out) {
  const ObjectRef& ref = file.ref;
  out->series.assign(scope.last - scope.first, Series{});
  RowChecker checker(dataset, locations, scope, out);
  checker.file_size = file.size;
  checker.lastmax_.assign(scope.last - scope.first, INT32_MIN);
  RowScanner scanner(
      ref.key,
      [&](const std::vector<std::string_view>& header) -> Status {
        ASSIGN_OR_RETURN(checker.layout, MakeLayout(header, dataset, ref.key));
        return Status::Ok();
      },
      [&](const RawRow& row) {
        checker.Check(row);
        return Status::Ok();
      });
  ASSIGN_OR_RETURN(out->info, store.GetStream(ref, scanner));
  return scanner.Finish();
}

}  // namespace ch::batch
