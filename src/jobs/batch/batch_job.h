// `climahealth batch` as a library: raw CSVs → validated, cleaned, joined and
// featured processed outputs plus a validation report and a manifest
// (docs/DATA.md, "climahealth's own layout"). The CLI and the API server
// both call RunBatch.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/status.h"
#include "jobs/batch/validate.h"
#include "storage/object_store.h"

namespace ch::batch {

inline constexpr std::string_view kCodeVersion = "climahealth-batch 1";

// Called from the calling thread with a stage ("scan", "features", "write",
// ...) and a short message; must be cheap.
using BatchProgress = std::function<void(std::string_view stage, std::string_view message)>;

struct BatchOptions {
  // --shard i/n: process only locations [i*N/n, (i+1)*N/n) of the sorted
  // valid location codes and write the shard's parts under
  // processed/_shards/<fingerprint>/; shard_count 1 is an ordinary run.
  int shard_index = 0;
  int shard_count = 1;
  bool sharded = false;
  // --merge: assemble the shards written for the current inputs into the
  // final outputs (equal, byte for byte, to an unsharded run).
  bool merge = false;
  int max_gap_days = 3;  // longer gaps are reported, not interpolated
  // Rough bound on the memory the job holds at once; inputs whose estimated
  // working set exceeds it are processed in several location groups, each
  // streaming the raw files once. 0: half of the memory available when the
  // run starts (a container's cgroup limit included), at least 1 GiB.
  uint64_t memory_budget_bytes = 0;
  int threads = 0;     // 0: one per hardware thread
  bool force = false;  // recompute even when the manifest says up to date
  BatchProgress progress;
};

// What a run did (also printed by the CLI).
struct BatchSummary {
  bool up_to_date = false;  // nothing written: the manifest already covers these inputs
  std::string data_date;    // YYYY-MM-DD, the last date in the raw data
  std::string fingerprint;
  std::array<int64_t, kFileCount> rows_in{};
  std::array<int64_t, kFileCount> rows_kept{};          // input rows written
  std::array<int64_t, kFileCount> rows_interpolated{};  // rows added by gap filling
  std::array<std::array<int64_t, kRuleCount>, kFileCount> rule_counts{};
  int groups = 1;  // location groups (passes over the raw files) in this process
  double seconds = 0;
  std::vector<std::string> written;  // keys written, in order (the manifest last)

  int64_t Rejected(int file) const;  // rows removed by a rule (rows_in - rows_kept)
};

// Runs the job (or one shard, or the merge). Inputs are raw/locations.csv,
// raw/climate_data.csv, raw/health_data.csv, raw/hospital_data.csv in
// `buckets.raw`; outputs go to `buckets.processed`. A missing input, an empty
// file, a file that is not CSV or lacks a required column is an error naming
// the key, and nothing is written. Outputs are written first and
// processed/manifest.json last; an error before the manifest switch leaves
// the previous run's manifest (and every output it names under another date)
// intact. Re-running on unchanged inputs writes nothing.
Result<BatchSummary> RunBatch(ObjectStore& store, const BucketNames& buckets,
                              const BatchOptions& options);

}  // namespace ch::batch
