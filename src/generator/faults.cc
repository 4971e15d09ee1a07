// Fault placement and the altered rows. Faulty rows are rare (about 0.5 %),
// so they go through a slow path: format, split into fields, edit, join.
#include "generator/faults.h"

#include <charconv>
#include <cstdlib>
#include <string>

#include "generator/rng.h"

namespace ch::gen {
namespace {

using Fields = std::vector<std::string>;

Fields CleanFields(Dataset dataset, const DayInfo& day, std::string_view code,
                   const DayRecord& record) {
  TextBuffer text;
  AppendRow(dataset, day, code, record, "", text);
  Fields fields;
  std::string_view rest = text.view();
  for (size_t comma; (comma = rest.find(',')) != std::string_view::npos;) {
    fields.emplace_back(rest.substr(0, comma));
    rest.remove_prefix(comma + 1);
  }
  fields.emplace_back(rest);
  return fields;
}

void AppendFields(const Fields& fields, std::string_view eol, TextBuffer& out) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.Append(",");
    out.Append(fields[i]);
  }
  out.Append(eol);
}

std::string Fixed1(double value) {
  char buf[32];
  return std::string(buf, WriteFixed(buf, value, 1));
}

// Picks the column and impossible value of an out-of-range fault.
void MakeOutOfRange(Dataset dataset, Rng& rng, Fields& f, size_t* column) {
  const uint64_t n = rng.Next();
  if (dataset == Dataset::kClimate) {
    static constexpr size_t kColumns[] = {6, 5, 2, 8, 7};
    static const char* const kValues[] = {nullptr, "130.0", "70.0", "-15.0", "-4.0"};
    const size_t pick = n % 5;
    *column = kColumns[pick];
    f[*column] = pick == 0 ? "-" + std::to_string(1 + (n >> 8) % 30) + ".5" : kValues[pick];
  } else if (dataset == Dataset::kHealth) {
    *column = 2 + n % 5;
    f[*column] = "-" + std::to_string(1 + (n >> 8) % 20);
  } else {
    static constexpr size_t kColumns[] = {2, 3, 4, 6};
    *column = kColumns[n % 4];
    f[*column] = "-" + std::to_string(1 + (n >> 8) % 50);
  }
}

// Changes one value so the copy conflicts with the original, staying in range.
void MakeConflict(Dataset dataset, Rng& rng, Fields& f, size_t* column) {
  const uint64_t n = rng.Next();
  if (dataset == Dataset::kClimate) {
    static constexpr size_t kColumns[] = {2, 6, 8};
    static constexpr double kMinDelta[] = {1.5, 2.0, 5.0};
    static constexpr double kSpread[] = {3.0, 18.0, 45.0};
    const size_t pick = n % 3;
    *column = kColumns[pick];
    const double delta = kMinDelta[pick] + kSpread[pick] * ToUnit(Mix64(n));
    f[*column] = Fixed1(std::strtod(f[*column].c_str(), nullptr) + delta);
    return;
  }
  int64_t value = 0;
  if (dataset == Dataset::kHealth) {
    *column = 2 + n % 5;
    std::from_chars(f[*column].data(), f[*column].data() + f[*column].size(), value);
    value += 1 + static_cast<int64_t>((n >> 8) % 10);
  } else {  // beds_occupied, kept within 0..beds_total (which is at least 2)
    *column = 4;
    std::from_chars(f[4].data(), f[4].data() + f[4].size(), value);
    const int64_t k = 1 + static_cast<int64_t>((n >> 8) % 10);
    value = value >= k ? value - k : (value == 0 ? 1 : 0);
  }
  f[*column] = std::to_string(value);
}

std::string MalformedDate(const DayInfo& day, uint64_t n) {
  const std::string d(day.DateText());
  switch (n % 4) {
    case 0:
      return d.substr(0, 4) + "/" + d.substr(5, 2) + "/" + d.substr(8, 2);
    case 1:
      return d.substr(8, 2) + "-" + d.substr(5, 2) + "-" + d.substr(0, 4);
    case 2:
      return d.substr(0, 5) + "13" + d.substr(7);
    default:
      return d.substr(0, 8) + "32";
  }
}

std::string UnknownCode(uint64_t n) {
  if (n % 2 == 0) return "ZZ";
  char buf[8];
  std::snprintf(buf, sizeof buf, "XX-%03d", static_cast<int>((n >> 8) % 1000));
  return buf;
}

}  // namespace

FaultPlanner::FaultPlanner(bool dirty, uint64_t seed, double rate, int64_t total_days,
                           int locations, int days_per_block)
    : dirty_(dirty),
      seed_(seed),
      rate_(rate),
      total_days_(total_days),
      locations_(locations),
      days_per_block_(days_per_block) {}

std::optional<FaultKind> FaultPlanner::At(Dataset dataset, int64_t day, int location) const {
  if (!dirty_ || locations_ == 0) return std::nullopt;
  std::optional<FaultKind> kind;
  if (total_days_ >= 10 && day >= 1 && day <= kFaultKindCount &&
      location == static_cast<int>((5 * (day - 1) + 1) % locations_)) {
    kind = static_cast<FaultKind>(day - 1);
  } else {
    const uint64_t bits = Key(seed_, 0xfa17, static_cast<uint64_t>(dataset),
                              static_cast<uint64_t>(day), static_cast<uint64_t>(location));
    if (ToUnit(bits) >= rate_) return std::nullopt;
    kind = static_cast<FaultKind>(Mix64(bits) % kFaultKindCount);
  }
  if (*kind == FaultKind::kOutOfOrder) {
    const bool next_in_block =
        day + 1 < total_days_ && (day + 1) / days_per_block_ == day / days_per_block_;
    if (!next_in_block || location == 0) kind = FaultKind::kExactDuplicate;
  }
  return kind;
}

uint64_t FaultPlanner::Detail(Dataset dataset, int64_t day, int location) const {
  return Key(seed_, 0xde7a, static_cast<uint64_t>(dataset), static_cast<uint64_t>(day),
             static_cast<uint64_t>(location));
}

namespace {

// A faulty slot's rows: `row` replaces the clean row, or follows it if `added`.
struct Alteration {
  Fields row;
  size_t column = 0;  // the altered column; 0 when none
  bool added = true;
};

Alteration Alter(Dataset dataset, FaultKind kind, Rng& rng, const DayInfo& day, Fields row) {
  Alteration a{std::move(row)};
  Fields& f = a.row;
  switch (kind) {
    case FaultKind::kExactDuplicate:
    case FaultKind::kOutOfOrder:
      break;
    case FaultKind::kConflictingDuplicate:
      MakeConflict(dataset, rng, f, &a.column);
      break;
    case FaultKind::kUnknownLocation:
      a.column = 1;
      f[1] = UnknownCode(rng.Next());
      break;
    case FaultKind::kMissingValue:
      a.added = false;
      a.column = 2 + rng.Below(f.size() - 2);
      f[a.column].clear();
      break;
    case FaultKind::kOutOfRange:
      a.added = false;
      MakeOutOfRange(dataset, rng, f, &a.column);
      break;
    case FaultKind::kMalformedNumber:
      a.added = false;
      a.column = 2 + rng.Below(f.size() - 2);
      f[a.column] = "abc";
      break;
    case FaultKind::kMalformedDate:
      a.added = false;
      f[0] = MalformedDate(day, rng.Next());
      break;
  }
  return a;
}

}  // namespace

int WriteFaultyRows(Dataset dataset, FaultKind kind, uint64_t detail, const DayInfo& day,
                    std::string_view code, const DayRecord& record, std::string_view eol,
                    uint64_t first_row, TextBuffer& out, std::vector<PendingFault>& faults) {
  if (kind == FaultKind::kOutOfOrder) return 0;  // moved by the caller
  Rng rng(detail);
  const Fields clean = CleanFields(dataset, day, code, record);
  const Alteration a = Alter(dataset, kind, rng, day, clean);
  if (a.added) AppendFields(clean, eol, out);
  AppendFields(a.row, eol, out);
  PendingFault pending;
  FaultRecord& r = pending.record;
  r.dataset = dataset;
  r.kind = kind;
  r.date = day.DateText();
  r.location_code = code;
  if (kind == FaultKind::kMalformedDate) {
    r.column = "date";
    r.value = a.row[0];
  } else if (a.column > 0) {
    r.column = DatasetColumns(dataset)[a.column];
    r.value = a.row[a.column];
  }
  pending.row = first_row + (a.added ? 1 : 0);
  pending.has_original = a.added;
  faults.push_back(std::move(pending));
  return a.added ? 2 : 1;
}

}  // namespace ch::gen
