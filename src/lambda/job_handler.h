// The Lambda function body: an event selects predict / forecast / alerts (or a
// shard merge) and its parameters; the store and the model cache stay warm
// across invocations.
#pragma once

#include <string>

#include "config/config.h"
#include "core/status.h"
#include "jobs/predict/predict_job.h"
#include "lambda/runtime.h"
#include "storage/object_store.h"

namespace ch::lambda {

// Event (JSON object):
//   {"job": "predict" | "forecast" | "alerts" | ["predict", "forecast", "alerts"],
//    "date": "YYYY-MM-DD"        (optional; default: the feature table's last date),
//    "shard": "i/n"              (optional),
//    "diseases": ["dengue", ...] (optional; default all)}
//   {"job": "merge", "kind": "predictions" | "forecasts" | "alerts", "shards": n,
//    "date": "YYYY-MM-DD" (optional)}
// Response: {"results": [JobResult::ToJson(), ...]}.
struct JobEvent {
  std::vector<std::string> jobs;
  jobs::PredictOptions options;
  std::string merge_kind;  // set for "merge"
  int merge_shards = 0;
};

// InvalidArgument naming the key (event.job, event.date, ...) for a malformed event.
Result<JobEvent> ParseJobEvent(std::string_view payload);

// Thread-compatible. Borrows `store` and `cache`; both must outlive the handler.
class JobHandler {
 public:
  JobHandler(ObjectStore& store, BucketNames buckets, jobs::ModelCache& cache,
             jobs::AlertOptions alert_defaults = {});

  Result<std::string> Handle(const Invocation& invocation);
  // For Handler: [&h](const Invocation& i) { return h.Handle(i); }.
  Handler AsHandler();

 private:
  ObjectStore& store_;
  BucketNames buckets_;
  jobs::ModelCache& cache_;
  jobs::AlertOptions alert_defaults_;
};

}  // namespace ch::lambda
