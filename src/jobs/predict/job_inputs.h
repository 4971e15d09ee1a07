// Inputs shared by the prediction jobs (internal to jobs/predict): the feature
// rows of a shard's locations, the run date, and the models' outputs.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "jobs/predict/predict_job.h"
#include "ml/case_models.h"
#include "services/data/data_service.h"
#include "table/table.h"

namespace ch::jobs::internal {

// Which feature rows a job needs: only those on the run date (risk and
// forecasts), or every row up to it (alerts look at each location's past).
enum class FeatureRows { kRunDate, kHistory };

struct JobInputs {
  int32_t date = 0;
  std::string manifest_key;
  std::string manifest_etag;
  Table features;  // the shard's rows dated on or before `date` (kRunDate: only on it)
  std::vector<std::string> locations;                // the shard's locations, sorted
  std::map<std::string, std::vector<int64_t>> rows;  // location -> its rows, by date
  std::vector<std::string> present;                  // locations with a row on `date`
  Table today;                                       // their rows on `date`, same order
  std::vector<std::string> missing;                  // the others
  std::vector<std::string> diseases;
};

// Loads the current manifest and the shard's feature rows and picks the run
// date. kHistory reads the whole table (one ranged read per location when
// sharded); kRunDate reads only the tail of each location's rows, unless the
// run date is unknown until the table is read (a manifest without a dated
// features key).
Result<JobInputs> LoadJobInputs(services::DataService& data, const PredictOptions& options,
                                FeatureRows which);
// The default run date: <D> of the manifest's features key, else the table's last date.
Result<int32_t> DefaultRunDate(services::DataService& data);

struct RiskRow {
  std::string location;
  std::string disease;
  ml::RiskOutput output;
};
struct ForecastRow {
  std::string location;
  std::string disease;
  std::vector<ml::ForecastDay> days;
};

// Risk of every present location for every disease; fills `models`.
Result<std::vector<RiskRow>> ComputeRisk(ObjectStore& store, const BucketNames& buckets,
                                         ModelCache& cache, const JobInputs& in,
                                         std::map<std::string, std::string>& models);
// Forecasts likewise; `interval` receives the models' interval (e.g. 0.8) and
// `horizon` their horizon in days.
Result<std::vector<ForecastRow>> ComputeForecasts(ObjectStore& store, const BucketNames& buckets,
                                                  ModelCache& cache, const JobInputs& in,
                                                  std::map<std::string, std::string>& models,
                                                  double* interval, int* horizon);

// Header + records, written to the final or the shard key; fills result fields.
Result<JobResult> SaveDocument(services::DataService& data, services::OutputKind kind,
                               const JobInputs& in, const PredictOptions& options,
                               const std::map<std::string, std::string>& models, Json body,
                               int64_t records);

}  // namespace ch::jobs::internal
