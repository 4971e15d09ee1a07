// The processed bucket's keys and column lists (docs/DATA.md, "climahealth's
// own layout"), shared by the batch job that writes them and DataService.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "table/schema.h"

namespace ch::services {

enum class Dataset;
enum class OutputKind;

inline constexpr std::string_view kProcessedManifestKey = "processed/manifest.json";
// Bumped when the manifest's shape changes.
inline constexpr int kManifestFormatVersion = 1;

inline constexpr std::string_view kDiseases[] = {"dengue", "malaria", "heat_illness", "respiratory",
                                                 "diarrhoea"};

// "climate", "health", "hospital": the name in keys and in the manifest.
std::string_view DatasetName(Dataset dataset);
// "raw/climate_data.csv" etc.
std::string_view RawDatasetKey(Dataset dataset);
// The value columns of a raw daily file (after date, location_code), and
// whether each is an integer column.
struct ValueColumn {
  std::string_view name;
  bool integer = false;
};
const std::vector<ValueColumn>& DatasetValueColumns(Dataset dataset);

// "20241231" for a day number.
std::string DateTag(int32_t days);
// processed/<name>_<YYYYMMDD>.csv, e.g. processed/climate_20241231.csv.
std::string ProcessedCsvKey(std::string_view name, int32_t days);
// processed/validation_<YYYYMMDD>.json.
std::string ValidationKey(int32_t days);

// Schemas of the processed CSVs: date, location_code, the value columns,
// then `repaired` (bool).
Schema CleanedSchema(Dataset dataset);
// location_code, name, latitude, longitude, population, elevation_m,
// state_code, terrain.
Schema ProcessedLocationsSchema();
// The feature table's column names in file order (docs/DATA.md).
const std::vector<std::string>& FeatureColumnNames();
// location_code (string), date (date), repaired (bool), the rest float64.
Schema FeatureSchema();

// "predictions" / "forecasts" / "alerts", and the document name in each
// ("risk", "cases", "alerts").
std::string_view OutputKindName(OutputKind kind);
std::string_view OutputDocumentName(OutputKind kind);
// <kind>/<YYYY-MM-DD>/<name>.json.
std::string OutputKey(OutputKind kind, int32_t days);

}  // namespace ch::services
