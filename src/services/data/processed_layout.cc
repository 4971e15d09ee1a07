// Keys and column lists of the processed bucket (docs/DATA.md).
#include "services/data/processed_layout.h"

#include "services/data/data_service.h"
#include "table/date.h"

namespace ch::services {
namespace {

std::vector<std::string> BuildFeatureColumns() {
  std::vector<std::string> names = {"location_code", "date"};
  for (Dataset d : {Dataset::kClimate, Dataset::kHealth, Dataset::kHospital}) {
    for (const ValueColumn& c : DatasetValueColumns(d)) names.emplace_back(c.name);
  }
  names.emplace_back("repaired");
  std::vector<std::pair<std::string, bool>> rolling = {
      {"rainfall_mm", true}, {"temp_mean_c", false}, {"humidity_pct", false}};
  for (std::string_view d : kDiseases) rolling.emplace_back(std::string(d) + "_cases", true);
  for (const auto& [x, summable] : rolling) {
    for (int w : {7, 14, 28}) names.push_back(x + "_mean" + std::to_string(w));
    if (!summable) continue;
    for (int w : {7, 14, 28}) names.push_back(x + "_sum" + std::to_string(w));
  }
  std::vector<std::string> lagged = {"rainfall_mm", "temp_mean_c"};
  for (std::string_view d : kDiseases) lagged.push_back(std::string(d) + "_cases");
  for (const std::string& x : lagged) {
    for (int lag : {7, 14, 21, 28}) names.push_back(x + "_lag" + std::to_string(lag));
  }
  for (const char* name : {"heat_index_c", "temp_max_anomaly_c", "bed_occupancy", "icu_occupancy",
                           "doy_sin", "doy_cos"}) {
    names.emplace_back(name);
  }
  return names;
}

}  // namespace

std::string_view DatasetName(Dataset dataset) {
  switch (dataset) {
    case Dataset::kClimate:
      return "climate";
    case Dataset::kHealth:
      return "health";
    case Dataset::kHospital:
      return "hospital";
  }
  return "unknown";
}

std::string_view RawDatasetKey(Dataset dataset) {
  switch (dataset) {
    case Dataset::kClimate:
      return "raw/climate_data.csv";
    case Dataset::kHealth:
      return "raw/health_data.csv";
    case Dataset::kHospital:
      return "raw/hospital_data.csv";
  }
  return "";
}

const std::vector<ValueColumn>& DatasetValueColumns(Dataset dataset) {
  static const std::vector<ValueColumn> kClimate = {
      {"temp_max_c"},  {"temp_min_c"},     {"temp_mean_c"}, {"humidity_pct"},
      {"rainfall_mm"}, {"wind_speed_kmh"}, {"pm25_ugm3"}};
  static const std::vector<ValueColumn> kHealth = {{"dengue_cases", true},
                                                   {"malaria_cases", true},
                                                   {"heat_illness_cases", true},
                                                   {"respiratory_cases", true},
                                                   {"diarrhoea_cases", true}};
  static const std::vector<ValueColumn> kHospital = {{"hospitals", true},
                                                     {"beds_total", true},
                                                     {"beds_occupied", true},
                                                     {"icu_beds_total", true},
                                                     {"icu_beds_occupied", true}};
  switch (dataset) {
    case Dataset::kClimate:
      return kClimate;
    case Dataset::kHealth:
      return kHealth;
    case Dataset::kHospital:
      return kHospital;
  }
  return kClimate;
}

std::string DateTag(int32_t days) {
  std::string iso = FormatIsoDate(days);
  std::string tag;
  for (char c : iso) {
    if (c != '-') tag.push_back(c);
  }
  return tag;
}

std::string ProcessedCsvKey(std::string_view name, int32_t days) {
  return "processed/" + std::string(name) + "_" + DateTag(days) + ".csv";
}

std::string ValidationKey(int32_t days) {
  return "processed/validation_" + DateTag(days) + ".json";
}

Schema CleanedSchema(Dataset dataset) {
  std::vector<Field> fields = {{"date", DataType::kDate, true, false},
                               {"location_code", DataType::kString, true, false}};
  for (const ValueColumn& c : DatasetValueColumns(dataset)) {
    fields.push_back({std::string(c.name), c.integer ? DataType::kInt64 : DataType::kFloat64});
  }
  fields.push_back({"repaired", DataType::kBool, true, false});
  return Schema(std::move(fields));
}

Schema ProcessedLocationsSchema() {
  return Schema({{"location_code", DataType::kString, true, false},
                 {"name", DataType::kString},
                 {"latitude", DataType::kFloat64},
                 {"longitude", DataType::kFloat64},
                 {"population", DataType::kInt64},
                 {"elevation_m", DataType::kFloat64},
                 {"state_code", DataType::kString, true, false},
                 {"terrain", DataType::kString, true, false}});
}

const std::vector<std::string>& FeatureColumnNames() {
  static const std::vector<std::string> kNames = BuildFeatureColumns();
  return kNames;
}

Schema FeatureSchema() {
  std::vector<Field> fields;
  for (const std::string& name : FeatureColumnNames()) {
    DataType type = DataType::kFloat64;
    if (name == "location_code") type = DataType::kString;
    if (name == "date") type = DataType::kDate;
    if (name == "repaired") type = DataType::kBool;
    const bool key = type != DataType::kFloat64;
    fields.push_back({name, type, true, !key});
  }
  return Schema(std::move(fields));
}

std::string_view OutputKindName(OutputKind kind) {
  switch (kind) {
    case OutputKind::kPredictions:
      return "predictions";
    case OutputKind::kForecasts:
      return "forecasts";
    case OutputKind::kAlerts:
      return "alerts";
  }
  return "unknown";
}

std::string_view OutputDocumentName(OutputKind kind) {
  switch (kind) {
    case OutputKind::kPredictions:
      return "risk";
    case OutputKind::kForecasts:
      return "cases";
    case OutputKind::kAlerts:
      return "alerts";
  }
  return "unknown";
}

std::string OutputKey(OutputKind kind, int32_t days) {
  return std::string(OutputKindName(kind)) + "/" + FormatIsoDate(days) + "/" +
         std::string(OutputDocumentName(kind)) + ".json";
}

}  // namespace ch::services
