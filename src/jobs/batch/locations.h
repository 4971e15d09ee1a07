// raw/locations.csv: validation, and the derived state_code and terrain.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "jobs/batch/validate.h"
#include "storage/object_store.h"

namespace ch::batch {

// "KA" for "KA-017": the part before the first '-'.
std::string_view StateCode(std::string_view location_code);

// hills: elevation >= 1000 m, or a Himalayan / north-eastern hill state
// (JK LA HP UK SK AR NL MN MZ ML TR); coastal: a state or UT on the sea
// (GJ MH GA KA KL TN AP OD WB PY DH AN LD); plains otherwise. Hills wins.
std::string_view Terrain(std::string_view state_code, double elevation_m);

struct LocationsResult {
  LocationIndex index;
  std::string csv;  // processed locations CSV (header included), sorted by code
  std::vector<Issue> issues;
  int64_t rows_in = 0;
  int64_t rows_out = 0;
  ObjectInfo info;
};

// Reads and validates raw/locations.csv (`ref`). Rows with a missing or
// malformed required value, out-of-range coordinates, or a code listed
// before are rejected and reported. InvalidArgument naming the key for an
// empty or non-CSV file or a missing column; NotFound if missing.
Result<LocationsResult> LoadLocations(ObjectStore& store, const ObjectRef& ref);

}  // namespace ch::batch
