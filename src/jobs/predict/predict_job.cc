// RunPredict, RunForecast, shard merging and the job dispatcher.
#include "jobs/predict/predict_job.h"

#include <fmt/format.h>

#include <cmath>
#include <set>

#include "codecs/object_io.h"
#include "jobs/predict/documents.h"
#include "jobs/predict/job_inputs.h"
#include "services/data/processed_layout.h"
#include "table/date.h"

namespace ch::jobs {
namespace {

using internal::JobInputs;
using services::DataService;
using services::OutputKind;

ModelCache& CacheOf(const PredictOptions& options) {
  return options.cache != nullptr ? *options.cache : ModelCache::Default();
}

// Rounded so documents stay readable; 1e-6 is far below any decision made on them.
double Round6(double v) { return std::round(v * 1e6) / 1e6; }

Json RiskRecord(const internal::RiskRow& row) {
  const ml::RiskOutput& o = row.output;
  Json probabilities = Json::object();
  for (size_t k = 0; k < ml::kRiskLevels.size(); ++k) {
    probabilities[ml::kRiskLevels[k]] = Round6(o.probabilities[k]);
  }
  return Json{{"location_code", row.location},
              {"disease", row.disease},
              {"risk_score", Round6(std::clamp(o.score, 0.0f, 1.0f))},
              {"risk_level", ml::kRiskLevels[static_cast<size_t>(o.level)]},
              {"probabilities", probabilities}};
}

Json ForecastRecord(const internal::ForecastRow& row) {
  Json days = Json::array();
  for (const ml::ForecastDay& d : row.days) {
    days.push_back({{"date", FormatIsoDate(d.date)},
                    {"expected", Round6(d.expected)},
                    {"lower", Round6(d.lower)},
                    {"upper", Round6(d.upper)}});
  }
  return Json{{"location_code", row.location}, {"disease", row.disease}, {"days", days}};
}

Result<OutputKind> KindFromName(std::string_view kind) {
  if (kind == "predictions" || kind == "predict") return OutputKind::kPredictions;
  if (kind == "forecasts" || kind == "forecast") return OutputKind::kForecasts;
  if (kind == "alerts") return OutputKind::kAlerts;
  return Status::InvalidArgument(
      fmt::format("job kind '{}' is not one of predict, forecast, alerts", kind));
}

}  // namespace

Json JobResult::ToJson() const {
  Json models_json = Json::object();
  for (const auto& [name, version] : models) models_json[name] = version;
  return Json{{"kind", kind},
              {"date", FormatIsoDate(date)},
              {"key", key},
              {"etag", etag},
              {"locations", locations},
              {"records", records},
              {"missing_locations", missing_locations},
              {"models", models_json}};
}

Result<JobResult> RunPredict(ObjectStore& store, const BucketNames& buckets,
                             const PredictOptions& options) {
  DataService data(store, buckets);
  ASSIGN_OR_RETURN(JobInputs in,
                   internal::LoadJobInputs(data, options, internal::FeatureRows::kRunDate));
  std::map<std::string, std::string> models;
  ASSIGN_OR_RETURN(auto rows, internal::ComputeRisk(store, buckets, CacheOf(options), in, models));
  Json records = Json::array();
  for (const auto& row : rows) records.push_back(RiskRecord(row));
  SortDocumentRecords(records);
  const auto n = static_cast<int64_t>(records.size());
  return internal::SaveDocument(data, OutputKind::kPredictions, in, options, models,
                                Json{{"predictions", std::move(records)}}, n);
}

Result<JobResult> RunForecast(ObjectStore& store, const BucketNames& buckets,
                              const PredictOptions& options) {
  DataService data(store, buckets);
  ASSIGN_OR_RETURN(JobInputs in,
                   internal::LoadJobInputs(data, options, internal::FeatureRows::kRunDate));
  std::map<std::string, std::string> models;
  double interval = 0.8;
  int horizon = 14;
  ASSIGN_OR_RETURN(auto rows, internal::ComputeForecasts(store, buckets, CacheOf(options), in,
                                                         models, &interval, &horizon));
  Json records = Json::array();
  for (const auto& row : rows) records.push_back(ForecastRecord(row));
  SortDocumentRecords(records);
  const auto n = static_cast<int64_t>(records.size());
  Json body{{"horizon_days", horizon}, {"interval", interval}, {"forecasts", std::move(records)}};
  return internal::SaveDocument(data, OutputKind::kForecasts, in, options, models, std::move(body),
                                n);
}

Result<JobResult> RunJob(std::string_view kind, ObjectStore& store, const BucketNames& buckets,
                         const PredictOptions& options) {
  ASSIGN_OR_RETURN(OutputKind k, KindFromName(kind));
  switch (k) {
    case OutputKind::kPredictions:
      return RunPredict(store, buckets, options);
    case OutputKind::kForecasts:
      return RunForecast(store, buckets, options);
    case OutputKind::kAlerts:
      return RunAlerts(store, buckets, options);
  }
  return Status::Internal("unreachable job kind");
}

Result<JobResult> MergeShards(ObjectStore& store, const BucketNames& buckets, std::string_view kind,
                              std::optional<int32_t> date, int shard_count) {
  ASSIGN_OR_RETURN(OutputKind k, KindFromName(kind));
  if (shard_count < 1) return Status::InvalidArgument("merge: shard count must be >= 1");
  DataService data(store, buckets);
  if (!date) {
    ASSIGN_OR_RETURN(date, internal::DefaultRunDate(data));
  }
  const std::string final_key = services::OutputKey(k, *date);
  std::vector<Json> docs;
  std::vector<std::string> keys;
  for (int i = 0; i < shard_count; ++i) {
    keys.push_back(ShardDocumentKey(final_key, {i, shard_count}));
    auto doc = LoadJson(store, {buckets.processed, keys.back(), ""});
    if (!doc.ok() && doc.status().code() == StatusCode::kNotFound) {
      return Status::InvalidArgument(fmt::format(
          "merge: shard {}/{} has not been written ({} is missing)", i, shard_count, keys.back()));
    }
    if (!doc.ok()) return doc.status();
    docs.push_back(std::move(*doc));
  }
  ASSIGN_OR_RETURN(Json merged, MergeShardDocuments(docs, keys));
  ASSIGN_OR_RETURN(ObjectInfo info, data.SaveOutput(k, *date, merged));
  JobResult result{std::string(services::OutputKindName(k)), *date, final_key, info.etag};
  const Json& list = merged[std::string(DocumentListKey(result.kind))];
  result.records = static_cast<int64_t>(list.size());
  std::set<std::string> locations;
  for (const Json& item : list) locations.insert(item.value("location_code", std::string()));
  result.locations = static_cast<int64_t>(locations.size());
  for (const auto& [name, version] : merged["models"].items()) result.models[name] = version;
  return result;
}

}  // namespace ch::jobs
