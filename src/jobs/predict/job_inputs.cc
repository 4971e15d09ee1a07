// Loading the prediction jobs' inputs and running the cached models over them.
#include "jobs/predict/job_inputs.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <optional>
#include <thread>

#include "codecs/object_io.h"
#include "jobs/predict/documents.h"
#include "services/data/processed_layout.h"
#include "table/date.h"

namespace ch::jobs::internal {
namespace {

// <D> of "processed/features_<YYYYMMDD>.csv", or nullopt.
std::optional<int32_t> FeatureKeyDate(const Json& manifest) {
  auto outputs = manifest.find("outputs");
  if (outputs == manifest.end() || !outputs->is_object()) return std::nullopt;
  auto features = outputs->find("features");
  if (features == outputs->end() || !features->is_object()) return std::nullopt;
  auto key_it = features->find("key");
  if (key_it == features->end() || !key_it->is_string()) return std::nullopt;
  const std::string key = key_it->get<std::string>();
  const std::string prefix = "processed/features_";
  if (!key.starts_with(prefix) || key.size() != prefix.size() + 12) return std::nullopt;
  const std::string tag = key.substr(prefix.size(), 8);
  int32_t days = 0;
  std::string iso = tag.substr(0, 4) + "-" + tag.substr(4, 2) + "-" + tag.substr(6, 2);
  if (!ParseIsoDate(iso, &days)) return std::nullopt;
  return days;
}

Result<Table> LoadShardFeatures(services::DataService& data, const Shard& shard) {
  if (shard.whole()) return data.LoadFeatures({});
  ASSIGN_OR_RETURN(Table locations, data.LoadLocations());
  ASSIGN_OR_RETURN(const Column* codes, locations.GetColumn("location_code"));
  std::vector<Table> parts;
  for (int64_t r = 0; r < codes->size(); ++r) {
    std::string code(codes->String(r));
    if (!InShard(code, shard)) continue;
    auto part = data.LoadFeatures({code, {}});
    if (!part.ok() && part.status().code() == StatusCode::kNotFound) continue;
    if (!part.ok()) return part.status();
    parts.push_back(std::move(*part));
  }
  return Table::Concatenate(std::move(parts));
}

int32_t LastDate(const Column& dates) {
  int32_t last = INT32_MIN;
  for (int64_t r = 0; r < dates.size(); ++r) {
    if (dates.IsValid(r)) last = std::max(last, dates.Date(r));
  }
  return last;
}

Status GroupRows(JobInputs& in) {
  ASSIGN_OR_RETURN(const Column* codes, in.features.GetColumn("location_code"));
  ASSIGN_OR_RETURN(const Column* dates, in.features.GetColumn("date"));
  for (int64_t r = 0; r < codes->size(); ++r) {
    if (dates->IsNull(r) || dates->Date(r) > in.date) continue;
    in.rows[std::string(codes->String(r))].push_back(r);
  }
  std::vector<int64_t> today_rows;
  for (auto& [code, rows] : in.rows) {
    std::stable_sort(rows.begin(), rows.end(),
                     [&](int64_t a, int64_t b) { return dates->Date(a) < dates->Date(b); });
    in.locations.push_back(code);
    if (dates->Date(rows.back()) == in.date) {
      in.present.push_back(code);
      today_rows.push_back(rows.back());
    } else {
      in.missing.push_back(code);
    }
  }
  in.today = in.features.Take(today_rows);
  return Status::Ok();
}

// Only each location's row on `in.date`, read from the tail of its byte range.
Status LoadRunDateRows(services::DataService& data, const Json& manifest, const Shard& shard,
                       JobInputs& in) {
  ASSIGN_OR_RETURN(std::vector<std::string> all, data.FeatureLocations(manifest));
  for (std::string& code : all) {
    if (InShard(code, shard)) in.locations.push_back(std::move(code));
  }
  ASSIGN_OR_RETURN(in.today, data.LoadFeaturesOn(manifest, in.date, in.locations));
  ASSIGN_OR_RETURN(const Column* codes, in.today.GetColumn("location_code"));
  for (int64_t r = 0; r < codes->size(); ++r) {
    std::string code(codes->String(r));
    if (in.rows.contains(code)) {
      return Status::Corruption(
          fmt::format("the feature table has two rows of {} on {}", code, FormatIsoDate(in.date)));
    }
    in.rows[code] = {r};
    in.present.push_back(std::move(code));
  }
  std::set_difference(in.locations.begin(), in.locations.end(), in.present.begin(),
                      in.present.end(), std::back_inserter(in.missing));
  in.features = in.today;
  if (in.present.empty() && !in.locations.empty()) {
    std::optional<int32_t> end = FeatureKeyDate(manifest);
    return Status::InvalidArgument(
        fmt::format("no feature rows on {}{}", FormatIsoDate(in.date),
                    end ? " (the feature table ends " + FormatIsoDate(*end) + ")" : ""));
  }
  return Status::Ok();
}

// load(disease) for every disease, side by side: a cold start spends most of
// its time parsing model metadata and boosters, which one core per model speeds up.
template <typename Load>
auto LoadEach(const std::vector<std::string>& diseases, Load load) {
  using Loaded = decltype(load(std::string()));
  std::vector<std::optional<Loaded>> slots(diseases.size());
  std::vector<std::thread> helpers;
  for (size_t i = 1; i < diseases.size(); ++i) {
    helpers.emplace_back([&, i] { slots[i].emplace(load(diseases[i])); });
  }
  if (!diseases.empty()) slots[0].emplace(load(diseases[0]));
  for (std::thread& t : helpers) t.join();
  std::vector<Loaded> loaded;
  loaded.reserve(slots.size());
  for (auto& slot : slots) loaded.push_back(std::move(*slot));
  return loaded;
}

}  // namespace

Result<int32_t> DefaultRunDate(services::DataService& data) {
  ASSIGN_OR_RETURN(Json manifest, data.LoadManifest());
  if (auto d = FeatureKeyDate(manifest)) return *d;
  ASSIGN_OR_RETURN(Table features, data.LoadFeatures({}));
  ASSIGN_OR_RETURN(const Column* dates, features.GetColumn("date"));
  if (features.num_rows() == 0) return Status::NotFound("the feature table has no rows");
  return LastDate(*dates);
}

Result<JobInputs> LoadJobInputs(services::DataService& data, const PredictOptions& options,
                                FeatureRows which) {
  JobInputs in;
  in.manifest_key = std::string(services::kProcessedManifestKey);
  ASSIGN_OR_RETURN(Json manifest, data.LoadManifest(&in.manifest_etag));
  std::optional<int32_t> date = options.date ? options.date : FeatureKeyDate(manifest);
  if (which == FeatureRows::kRunDate && date) {
    in.date = *date;
    RETURN_IF_ERROR(LoadRunDateRows(data, manifest, options.shard, in));
  } else {
    ASSIGN_OR_RETURN(in.features, LoadShardFeatures(data, options.shard));
    ASSIGN_OR_RETURN(const Column* dates, in.features.GetColumn("date"));
    if (date) {
      in.date = *date;
    } else if (in.features.num_rows() > 0) {
      in.date = LastDate(*dates);
    } else {
      return Status::NotFound("the feature table has no rows for this shard");
    }
    RETURN_IF_ERROR(GroupRows(in));
    if (in.present.empty() && in.locations.size() > 0) {
      return Status::InvalidArgument(
          fmt::format("no feature rows on {} (the feature table ends {})", FormatIsoDate(in.date),
                      FormatIsoDate(LastDate(*dates))));
    }
  }
  if (options.diseases.empty()) {
    for (std::string_view d : services::kDiseases) in.diseases.emplace_back(d);
  } else {
    in.diseases = options.diseases;
  }
  return in;
}

Result<std::vector<RiskRow>> ComputeRisk(ObjectStore& store, const BucketNames& buckets,
                                         ModelCache& cache, const JobInputs& in,
                                         std::map<std::string, std::string>& models) {
  std::vector<RiskRow> rows;
  auto loaded = LoadEach(in.diseases, [&](const std::string& disease) {
    return cache.GetRisk(store, buckets, disease);
  });
  for (size_t d = 0; d < in.diseases.size(); ++d) {
    const std::string& disease = in.diseases[d];
    ASSIGN_OR_RETURN(auto model, std::move(loaded[d]));
    models[model->name] = model->version;
    if (in.today.num_rows() == 0) continue;
    ASSIGN_OR_RETURN(std::vector<ml::RiskOutput> outputs, model->model.Predict(in.today));
    for (size_t i = 0; i < outputs.size(); ++i) {
      rows.push_back({in.present[i], disease, outputs[i]});
    }
  }
  return rows;
}

Result<std::vector<ForecastRow>> ComputeForecasts(ObjectStore& store, const BucketNames& buckets,
                                                  ModelCache& cache, const JobInputs& in,
                                                  std::map<std::string, std::string>& models,
                                                  double* interval, int* horizon) {
  std::vector<ForecastRow> rows;
  auto loaded = LoadEach(in.diseases, [&](const std::string& disease) {
    return cache.GetForecast(store, buckets, disease);
  });
  for (size_t d = 0; d < in.diseases.size(); ++d) {
    const std::string& disease = in.diseases[d];
    ASSIGN_OR_RETURN(auto model, std::move(loaded[d]));
    models[model->name] = model->version;
    *interval = model->model.interval();
    *horizon = model->model.horizon_days();
    if (in.today.num_rows() == 0) continue;
    ASSIGN_OR_RETURN(std::vector<ml::ForecastDay> days, model->model.Predict(in.today));
    const size_t h = static_cast<size_t>(model->model.horizon_days());
    for (size_t i = 0; i < in.present.size(); ++i) {
      rows.push_back({in.present[i], disease, {days.begin() + i * h, days.begin() + (i + 1) * h}});
    }
  }
  return rows;
}

Result<JobResult> SaveDocument(services::DataService& data, services::OutputKind kind,
                               const JobInputs& in, const PredictOptions& options,
                               const std::map<std::string, std::string>& models, Json body,
                               int64_t records) {
  const std::string kind_name(services::OutputKindName(kind));
  Json doc = HeaderJson({kind_name, in.date, models, in.manifest_key, in.manifest_etag});
  for (auto& [k, v] : body.items()) doc[k] = std::move(v);
  JobResult result{kind_name, in.date};
  result.key = services::OutputKey(kind, in.date);
  if (!options.shard.whole()) {
    doc["shard"] = {{"index", options.shard.index}, {"count", options.shard.count}};
    result.key = ShardDocumentKey(result.key, options.shard);
  }
  ObjectRef ref{data.buckets().processed, result.key, ""};
  ASSIGN_OR_RETURN(ObjectInfo info, SaveJson(data.store(), ref, doc));
  result.etag = info.etag;
  result.locations = static_cast<int64_t>(in.present.size());
  result.records = records;
  result.missing_locations = in.missing;
  result.models = models;
  return result;
}

}  // namespace ch::jobs::internal
