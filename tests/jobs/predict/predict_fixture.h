// Hand-made processed data (feature table, locations, manifest) and small
// models trained through the ml API, for the prediction job tests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/status.h"
#include "storage/object_store.h"
#include "table/table.h"

namespace ch::testing {

struct FixtureLocation {
  std::string code;
  std::string terrain;  // plains | coastal | hills
};

struct FixtureOptions {
  std::vector<FixtureLocation> locations = {
      {"AA", "plains"}, {"BB-001", "coastal"}, {"CC", "hills"}, {"DD", "plains"}};
  int32_t first_date = 0;  // default: last_date - 3 years
  int32_t last_date = 0;   // default: 2024-05-31
  // On the last day: AA has 46.5 °C (+5 °C, a heat wave) and BB-001's bed
  // occupancy climbs to 0.95 over the last two weeks.
  bool extremes_at_end = true;
};

// A feature table with every column of the processed schema; cases follow a
// seasonal cycle per location, with deterministic noise.
Table MakeFeatureTable(const FixtureOptions& options);

// Writes the features and locations CSVs and processed/manifest.json (with per-
// location byte ranges) as `climahealth batch` lays them out.
Status WriteProcessedData(ObjectStore& store, const BucketNames& buckets, const Table& features,
                          const FixtureOptions& options);

// Trains risk_<d> and forecast_<d> for every disease on `features` (few rounds)
// and publishes them as current through ModelService. Returns the versions.
Result<std::vector<std::string>> PublishModels(ObjectStore& store, const BucketNames& buckets,
                                               const Table& features, int rounds = 5);

}  // namespace ch::testing
