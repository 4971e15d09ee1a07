// Validation of raw/locations.csv and the terrain classification.
#include "jobs/batch/locations.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "codecs/csv_writer.h"
#include "jobs/batch/row_scanner.h"
#include "services/data/processed_layout.h"

namespace ch::batch {
namespace {

constexpr std::string_view kColumns[] = {"location_code", "name",       "latitude",
                                         "longitude",     "population", "elevation_m"};
constexpr std::string_view kHillStates[] = {"JK", "LA", "HP", "UK", "SK", "AR",
                                            "NL", "MN", "MZ", "ML", "TR"};
constexpr std::string_view kCoastalStates[] = {"GJ", "MH", "GA", "KA", "KL", "TN", "AP",
                                               "OD", "WB", "PY", "DH", "AN", "LD"};

struct Place {
  std::string code;
  std::string name;
  double latitude = 0;
  double longitude = 0;
  int64_t population = 0;
  double elevation = 0;
};

bool ParseDoubleField(std::string_view s, double* out) {
  if (s.empty()) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite(*out);
}

class LocationChecker {
 public:
  explicit LocationChecker(LocationsResult* out) : out_(out) {}

  Status Header(const std::vector<std::string_view>& header, const std::string& key) {
    for (size_t c = 0; c < std::size(kColumns); ++c) {
      auto it = std::find(header.begin(), header.end(), kColumns[c]);
      if (it == header.end()) {
        return Status::InvalidArgument(key + ": line 1: missing required column '" +
                                       std::string(kColumns[c]) + "'");
      }
      at_[c] = static_cast<int>(it - header.begin());
    }
    fields_ = header.size();
    return Status::Ok();
  }

  void Row(const RawRow& row) {
    ++out_->rows_in;
    const auto& f = row.fields;
    std::string code = f.size() > static_cast<size_t>(at_[0]) ? std::string(f[at_[0]]) : "";
    if (!row.malformed.empty() || f.size() != fields_) {
      return Add(row.line, code, "",
                 row.malformed.empty() ? "wrong number of fields" : std::string(row.malformed),
                 Rule::kMalformedRow);
    }
    if (code.empty()) return Add(row.line, code, "location_code", "", Rule::kMissingValue);
    Place p{code, std::string(f[at_[1]])};
    double population = 0;
    const std::pair<double*, int> numbers[] = {
        {&p.latitude, 2}, {&p.longitude, 3}, {&population, 4}, {&p.elevation, 5}};
    for (const auto& [target, c] : numbers) {
      const std::string_view text = f[at_[c]];
      if (text.empty()) return Add(row.line, code, kColumns[c], "", Rule::kMissingValue);
      if (!ParseDoubleField(text, target)) {
        return Add(row.line, code, kColumns[c], "'" + std::string(text) + "' is not a number",
                   Rule::kMalformedNumber);
      }
    }
    if (std::abs(p.latitude) > 90 || std::abs(p.longitude) > 180 || population < 0 ||
        population != std::floor(population) || p.elevation < -500 || p.elevation > 9000) {
      return Add(row.line, code, "", "coordinates, population or elevation out of range",
                 Rule::kOutOfRange);
    }
    p.population = static_cast<int64_t>(population);
    if (places_.count(code) != 0) {
      return Add(row.line, code, "location_code", "listed before", Rule::kDuplicateLocation);
    }
    places_.emplace(code, std::move(p));
  }

  void Finish() {
    Table table(services::ProcessedLocationsSchema());
    for (auto& [code, p] : places_) {
      out_->index.index.emplace(code, static_cast<int>(out_->index.codes.size()));
      out_->index.codes.push_back(code);
      table.mutable_column(0).AppendString(code);
      table.mutable_column(1).AppendString(p.name);
      table.mutable_column(2).AppendFloat64(p.latitude);
      table.mutable_column(3).AppendFloat64(p.longitude);
      table.mutable_column(4).AppendInt64(p.population);
      table.mutable_column(5).AppendFloat64(p.elevation);
      const std::string_view state = StateCode(code);
      table.mutable_column(6).AppendString(state);
      table.mutable_column(7).AppendString(Terrain(state, p.elevation));
    }
    out_->rows_out = table.num_rows();
    out_->csv = FormatCsv(table);
  }

 private:
  void Add(int64_t line, std::string code, std::string_view column, std::string detail, Rule rule) {
    out_->issues.push_back(Issue{kLocationsFile, rule, line, INT32_MIN, std::move(code),
                                 std::string(column), std::move(detail)});
  }

  LocationsResult* out_;
  int at_[6] = {};
  size_t fields_ = 0;
  std::map<std::string, Place> places_;  // sorted by code: the output order
};

}  // namespace

std::string_view StateCode(std::string_view location_code) {
  return location_code.substr(0, location_code.find('-'));
}

std::string_view Terrain(std::string_view state_code, double elevation_m) {
  auto in = [&](const auto& list) {
    return std::find(std::begin(list), std::end(list), state_code) != std::end(list);
  };
  if (elevation_m >= 1000 || in(kHillStates)) return "hills";
  if (in(kCoastalStates)) return "coastal";
  return "plains";
}

Result<LocationsResult> LoadLocations(ObjectStore& store, const ObjectRef& ref) {
  LocationsResult out;
  LocationChecker checker(&out);
  RowScanner scanner(
      ref.key,
      [&](const std::vector<std::string_view>& header) { return checker.Header(header, ref.key); },
      [&](const RawRow& row) {
        checker.Row(row);
        return Status::Ok();
      });
  ASSIGN_OR_RETURN(out.info, store.GetStream(ref, scanner));
  RETURN_IF_ERROR(scanner.Finish());
  checker.Finish();
  return out;
}

}  // namespace ch::batch
