// Names and headers of the raw files, and names of the fault kinds.
#include "generator/dataset.h"

namespace ch::gen {
namespace {

constexpr std::string_view kLocationColumns[] = {"location_code", "name",       "latitude",
                                                 "longitude",     "population", "elevation_m"};
constexpr std::string_view kClimateColumns[] = {"date",        "location_code",  "temp_max_c",
                                                "temp_min_c",  "temp_mean_c",    "humidity_pct",
                                                "rainfall_mm", "wind_speed_kmh", "pm25_ugm3"};
constexpr std::string_view kHealthColumns[] = {
    "date",           "location_code",      "dengue_cases",
    "malaria_cases",  "heat_illness_cases", "respiratory_cases",
    "diarrhoea_cases"};
constexpr std::string_view kHospitalColumns[] = {
    "date",          "location_code",  "hospitals",        "beds_total",
    "beds_occupied", "icu_beds_total", "icu_beds_occupied"};

}  // namespace

std::string_view DatasetKey(Dataset dataset) {
  switch (dataset) {
    case Dataset::kLocations:
      return "raw/locations.csv";
    case Dataset::kClimate:
      return "raw/climate_data.csv";
    case Dataset::kHealth:
      return "raw/health_data.csv";
    case Dataset::kHospital:
      return "raw/hospital_data.csv";
  }
  return "";
}

std::string_view DatasetFileName(Dataset dataset) { return DatasetKey(dataset).substr(4); }

std::span<const std::string_view> DatasetColumns(Dataset dataset) {
  switch (dataset) {
    case Dataset::kLocations:
      return kLocationColumns;
    case Dataset::kClimate:
      return kClimateColumns;
    case Dataset::kHealth:
      return kHealthColumns;
    case Dataset::kHospital:
      return kHospitalColumns;
  }
  return {};
}

std::string_view FaultKindName(FaultKind kind) {
  switch (kind) {
    case FaultKind::kExactDuplicate:
      return "exact_duplicate";
    case FaultKind::kConflictingDuplicate:
      return "conflicting_duplicate";
    case FaultKind::kOutOfOrder:
      return "out_of_order";
    case FaultKind::kMissingValue:
      return "missing_value";
    case FaultKind::kUnknownLocation:
      return "unknown_location";
    case FaultKind::kOutOfRange:
      return "out_of_range";
    case FaultKind::kMalformedNumber:
      return "malformed_number";
    case FaultKind::kMalformedDate:
      return "malformed_date";
  }
  return "unknown";
}

}  // namespace ch::gen
