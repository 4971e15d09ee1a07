// DataService: the domain's view of the three buckets. Callers speak of
// locations, date ranges and run dates; keys and formats stay in here
// (docs/DATA.md, "climahealth's own layout").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codecs/json.h"
#include "config/config.h"
#include "core/status.h"
#include "storage/object_store.h"
#include "table/table.h"

namespace ch::services {

enum class Dataset { kClimate, kHealth, kHospital };

// Inclusive range of days since 1970-01-01; an unset end is open.
struct DateRange {
  std::optional<int32_t> start;
  std::optional<int32_t> end;
};

// Which rows to load: one location (empty: all) within a date range.
struct RowFilter {
  std::string location_code;
  DateRange dates;
};

// The three output documents of a prediction run.
enum class OutputKind { kPredictions, kForecasts, kAlerts };

struct BucketStats {
  std::string logical;  // raw, processed, models
  std::string name;     // the real bucket
  uint64_t objects = 0;
  uint64_t bytes = 0;
  std::string newest_key;
  int64_t newest_modified_unix = 0;  // 0 when empty
};

struct StorageStats {
  std::vector<BucketStats> buckets;
  std::optional<int32_t> newest_prediction_date;
};

// Thread-safe: one instance serves every request of the API server.
class DataService {
 public:
  DataService(ObjectStore& store, BucketNames buckets);

  // Cleaned data from the current batch run (processed/manifest.json); reads
  // only the byte ranges of the requested location. NotFound (naming the
  // manifest key) before the first batch run.
  Result<Table> LoadData(Dataset dataset, const RowFilter& filter);
  Result<Table> LoadClimateData(const RowFilter& f) { return LoadData(Dataset::kClimate, f); }
  Result<Table> LoadHealthData(const RowFilter& f) { return LoadData(Dataset::kHealth, f); }
  Result<Table> LoadHospitalData(const RowFilter& f) { return LoadData(Dataset::kHospital, f); }
  Result<Table> LoadLocations();
  // The feature table of the current run (same filtering).
  Result<Table> LoadFeatures(const RowFilter& filter);
  // The current processed manifest, and its ETag (for traceability).
  Result<Json> LoadManifest(std::string* etag = nullptr);
  // The locations the feature table of `manifest`'s run has rows for, sorted.
  Result<std::vector<std::string>> FeatureLocations(const Json& manifest);
  // The feature rows dated `date` of `locations` (sorted, each in the table)
  // from `manifest`'s run. Reads only the tail of each location's byte range,
  // widened until it reaches `date` — a few KiB per location for a recent
  // date instead of the whole table — several locations at a time. Rows come
  // in the order of `locations`; a location without a row on `date` has none.
  Result<Table> LoadFeaturesOn(const Json& manifest, int32_t date,
                               const std::vector<std::string>& locations);

  // Output documents under <kind>/<YYYY-MM-DD>/<name>.json.
  Result<ObjectInfo> SaveOutput(OutputKind kind, int32_t date, const Json& document);
  Result<ObjectInfo> SavePredictions(int32_t date, const Json& d) {
    return SaveOutput(OutputKind::kPredictions, date, d);
  }
  Result<ObjectInfo> SaveForecasts(int32_t date, const Json& d) {
    return SaveOutput(OutputKind::kForecasts, date, d);
  }
  Result<ObjectInfo> SaveAlerts(int32_t date, const Json& d) {
    return SaveOutput(OutputKind::kAlerts, date, d);
  }
  // A given date, or the newest when `date` is unset. NotFound when none.
  // `info` (optional) receives the object's ETag for HTTP caching.
  Result<Json> LoadOutput(OutputKind kind, std::optional<int32_t> date, ObjectInfo* info = nullptr);
  // Dates that have a document of `kind`, ascending.
  Result<std::vector<int32_t>> ListOutputDates(OutputKind kind);

  Result<StorageStats> GetStorageStats();

  ObjectStore& store() { return store_; }
  const BucketNames& buckets() const { return buckets_; }

 private:
  // The manifest's output `name` ("climate", "features") read with `schema`,
  // only the requested location's byte range when one is named.
  Result<Table> LoadOutputTable(std::string_view name, const Schema& schema,
                                const RowFilter& filter);

  ObjectStore& store_;
  BucketNames buckets_;
};

}  // namespace ch::services
