// One pass of the batch job over the raw daily files for a group of
// locations: scan and validate, clean, build features, format the outputs.
#pragma once

#include <array>
#include <functional>

#include "jobs/batch/batch_job.h"
#include "jobs/batch/shard_result.h"
#include "jobs/batch/validate.h"
#include "storage/object_store.h"

namespace ch::batch {

// Where a pass stores its outputs: in `bucket`, under the keys `keys` gives
// once the scan has found the data date (the latest date of the pass's
// rows); with each output's header first when `whole_outputs`.
struct PassTarget {
  std::string bucket;
  std::function<Result<std::array<std::string, kOutputCount>>(int32_t data_date)> keys;
  bool whole_outputs = false;
};

// Streams the three raw daily files (`daily`: climate, health, hospital) at
// once, keeps the rows of `scope`, cleans them and builds the features
// location by location, storing each output as its rows are made; appends
// one stored Part per output plus the issues and counts to `shard`. On
// failure nothing is stored under the target's keys.
Status RunPass(ObjectStore& store, const std::array<DailyFile, 3>& daily,
               const LocationIndex& locations, const PassScope& scope, const BatchOptions& options,
               const PassTarget& target, ShardResult* shard);

}  // namespace ch::batch
