// The prediction jobs as library functions: `climahealth predict|forecast|alerts`,
// the API server and the Lambda runtime all call these in-process.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codecs/json.h"
#include "config/config.h"
#include "core/status.h"
#include "jobs/predict/alert_rules.h"
#include "jobs/predict/model_cache.h"
#include "jobs/predict/shard.h"
#include "storage/object_store.h"

namespace ch::jobs {

struct PredictOptions {
  // The run date; unset: the last date of the current feature table (the <D> of
  // processed/features_<D>.csv, the same for every shard).
  std::optional<int32_t> date;
  // A shard writes <kind>/<date>/<name>.shard-<i>-of-<n>.json with only its
  // locations; MergeShards joins them into <name>.json. {0, 1} writes the final one.
  Shard shard;
  AlertOptions alerts;
  // Loaded models; null: ModelCache::Default(). Borrowed, must outlive the call.
  ModelCache* cache = nullptr;
  // Diseases to compute; empty: all five (docs/DATA.md).
  std::vector<std::string> diseases;
};

// What a run wrote.
struct JobResult {
  std::string kind;  // predictions | forecasts | alerts
  int32_t date = 0;
  std::string key;  // the document written (processed bucket)
  std::string etag;
  int64_t locations = 0;                       // locations with a feature row on the date
  int64_t records = 0;                         // predictions, forecasts or alerts in the document
  std::vector<std::string> missing_locations;  // of the shard, without a row on the date
  std::map<std::string, std::string> models;   // name -> version used

  // {"kind", "date", "key", "etag", "locations", "records", "missing_locations", "models"}.
  Json ToJson() const;
};

// Risk level per location and disease -> predictions/<date>/risk.json.
// NotFound before the first batch run or when a model has no current version;
// InvalidArgument when `date` has no feature rows.
Result<JobResult> RunPredict(ObjectStore& store, const BucketNames& buckets,
                             const PredictOptions& options);
// 14-day case forecasts with 80% intervals -> forecasts/<date>/cases.json.
Result<JobResult> RunForecast(ObjectStore& store, const BucketNames& buckets,
                              const PredictOptions& options);
// Alerts (README "Alerts") -> alerts/<date>/alerts.json. Risk and forecasts are
// computed in-process with the same (cached) models; earlier alerts documents
// supply the quiet period.
Result<JobResult> RunAlerts(ObjectStore& store, const BucketNames& buckets,
                            const PredictOptions& options);

// "predictions" | "forecasts" | "alerts" -> the job. InvalidArgument otherwise.
Result<JobResult> RunJob(std::string_view kind, ObjectStore& store, const BucketNames& buckets,
                         const PredictOptions& options);

// Joins the `shard_count` shard documents of `kind` for `date` (unset: as for the
// jobs) into the final document. InvalidArgument naming the missing or
// inconsistent shard; the shard documents are left in place.
Result<JobResult> MergeShards(ObjectStore& store, const BucketNames& buckets, std::string_view kind,
                              std::optional<int32_t> date, int shard_count);

}  // namespace ch::jobs
