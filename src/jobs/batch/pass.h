// One pass of the batch job over the raw daily files for a group of
// locations: scan and validate, clean, build features, format the outputs.
#pragma once

#include <array>

#include "jobs/batch/batch_job.h"
#include "jobs/batch/shard_result.h"
#include "jobs/batch/validate.h"
#include "storage/object_store.h"

namespace ch::batch {

// Streams the three raw daily files (`daily`: climate, health, hospital) at
// once, keeps the rows of `scope`, and appends one Part per output (bodies
// in memory) plus the issues and counts to `shard`.
Status RunPass(ObjectStore& store, const std::array<ObjectRef, 3>& daily,
               const LocationIndex& locations, const PassScope& scope, const BatchOptions& options,
               ShardResult* shard);

}  // namespace ch::batch
