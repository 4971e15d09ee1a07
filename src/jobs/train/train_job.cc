// RunTrain: load features, train every disease, save versions, switch pointers.
#include "jobs/train/train_job.h"

#include <algorithm>
#include <chrono>
#include <optional>

#include "codecs/json_codec.h"
#include "ml/case_index.h"
#include "ml/matrix.h"
#include "ml/scaler.h"
#include "services/data/data_service.h"
#include "services/models/model_service.h"
#include "table/date.h"

namespace ch::train {
namespace {

struct Switch {
  std::string name, version;
  std::optional<std::string> previous;
};

// Reads every pointer this run will move, before training, so a trainer that
// finishes first wins and a later one cannot overwrite it unnoticed.
Result<std::vector<Switch>> ReadPointers(services::ModelService& models,
                                         const std::vector<std::string>& names) {
  std::vector<Switch> switches;
  for (const std::string& name : names) {
    ASSIGN_OR_RETURN(std::optional<std::string> current, models.CurrentVersion(name));
    switches.push_back({name, "", current});
  }
  return switches;
}

// All or none: on a lost race, moves back the pointers this run already moved.
Status SwitchAll(services::ModelService& models, const std::vector<Switch>& switches) {
  for (size_t i = 0; i < switches.size(); ++i) {
    Status s = models.SetCurrent(switches[i].name, switches[i].version, switches[i].previous);
    if (s.ok()) continue;
    std::string undo_failures;
    for (size_t j = 0; j < i; ++j) {
      const Switch& done = switches[j];
      Status undo = done.previous ? models.SetCurrent(done.name, *done.previous, done.version)
                                  : models.ClearCurrent(done.name, done.version);
      if (!undo.ok())
        undo_failures += "; could not move back " + done.name + ": " + undo.ToString();
    }
    return s.WithContext(
        "train: another trainer switched the models meanwhile; this run's "
        "versions are saved but not current" +
        undo_failures);
  }
  return Status::Ok();
}

Json InputInfo(const TrainSummary& s) {
  return {{"manifest", s.manifest_key}, {"etag", s.manifest_etag}};
}

Result<std::string> SaveScaler(services::ModelService& models, const Table& features,
                               const TrainSummary& summary) {
  std::vector<std::string> inputs = InputFeatures(features);
  ASSIGN_OR_RETURN(ml::DenseMatrix x, ml::MatrixFromTable(features, inputs));
  ASSIGN_OR_RETURN(ml::StandardScaler scaler, ml::StandardScaler::Fit(x));
  ASSIGN_OR_RETURN(std::string text, FormatJson(scaler.ToJson(), 2));
  Json meta = {
      {"kind", "scaler"},
      {"features", inputs},
      {"input", InputInfo(summary)},
      {"training_window", {{"first_date", summary.first_date}, {"last_date", summary.last_date}}}};
  ASSIGN_OR_RETURN(services::ModelRecord rec, models.SaveModel("scaler", text, "json", meta));
  return rec.version;
}

}  // namespace

Result<TrainSummary> RunTrain(ObjectStore& store, const BucketNames& buckets,
                              const TrainOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  services::DataService data(store, buckets);
  services::ModelService models(store, buckets);
  TrainSummary summary;
  ASSIGN_OR_RETURN(Json manifest, data.LoadManifest(&summary.manifest_etag));
  summary.manifest_key = "processed/manifest.json";
  if (options.progress) options.progress("load", "features of the current batch run");
  ASSIGN_OR_RETURN(Table features, data.LoadFeatures({}));
  ASSIGN_OR_RETURN(std::vector<int32_t> days, ml::TableDays(features));
  if (days.empty()) return Status::InvalidArgument("train: the feature table has no rows");
  summary.rows = features.num_rows();
  summary.first_date = FormatIsoDate(*std::min_element(days.begin(), days.end()));
  summary.last_date = FormatIsoDate(*std::max_element(days.begin(), days.end()));

  std::vector<std::string> names = {"scaler"};
  for (const std::string& d : options.diseases) {
    names.push_back("risk_" + d);
    names.push_back("forecast_" + d);
  }
  ASSIGN_OR_RETURN(std::vector<Switch> switches, ReadPointers(models, names));
  ASSIGN_OR_RETURN(switches[0].version, SaveScaler(models, features, summary));
  summary.scaler_version = switches[0].version;
  for (size_t i = 0; i < options.diseases.size(); ++i) {
    const std::string& disease = options.diseases[i];
    if (options.progress) options.progress("train", disease);
    ASSIGN_OR_RETURN(TrainedDisease t, TrainDisease(features, disease, options));
    t.risk_metadata["input"] = InputInfo(summary);
    t.forecast_metadata["input"] = InputInfo(summary);
    ASSIGN_OR_RETURN(auto risk, models.SaveModel("risk_" + disease, t.risk_model, "ubj",
                                                 std::move(t.risk_metadata)));
    ASSIGN_OR_RETURN(auto forecast, models.SaveModel("forecast_" + disease, t.forecast_model, "ubj",
                                                     std::move(t.forecast_metadata)));
    t.result.risk_version = risk.version;
    t.result.forecast_version = forecast.version;
    switches[1 + 2 * i].version = risk.version;
    switches[2 + 2 * i].version = forecast.version;
    summary.locations = risk.metadata.value("locations", 0);
    summary.diseases.push_back(std::move(t.result));
  }
  if (options.set_current) {
    RETURN_IF_ERROR(SwitchAll(models, switches));
    summary.switched = true;
  }
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace ch::train
