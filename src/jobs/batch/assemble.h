// The batch job's final step: shard (or pass) parts concatenated into the
// processed outputs, the validation report, and the manifest switched last.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "codecs/json.h"
#include "config/config.h"
#include "jobs/batch/batch_job.h"
#include "jobs/batch/locations.h"
#include "jobs/batch/shard_result.h"

namespace ch::batch {

// The four raw inputs as read at the start of the run.
struct RunInputs {
  std::array<ObjectInfo, kFileCount> info;  // by FileIndex
  std::string fingerprint;                  // of the inputs, the code version and options
  Json ToJson() const;
};

// The error of a run whose daily files hold no usable row.
Status NoValidRows();

// Writes processed/{climate,health,hospital,features,locations}_<D>.csv,
// processed/validation_<D>.json and then processed/manifest.json. `shards`
// in shard order; stored parts are read back one at a time (an output a
// single pass already wrote whole is kept as it is). Fills the summary's
// counts and `written`.
Status Assemble(ObjectStore& store, const BucketNames& buckets,
                const std::vector<ShardResult>& shards, const LocationsResult& locations,
                const RunInputs& inputs, const BatchOptions& options, BatchSummary* summary);

}  // namespace ch::batch
