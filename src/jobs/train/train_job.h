// `climahealth train` as a library: per disease, a risk classifier and a
// 14-day case forecaster trained on the processed feature table, backtested
// with rolling origins, saved as versioned models (docs/DATA.md "Models bucket").
//
// Risk levels (README "Models: how risk levels are defined"): for an origin
// day t at a location, S = cases on days t+1..t+14; the level compares S with
// the percentiles of that location's own 14-day sums starting in the same
// weeks of the year (ml/seasonal_profile.h gives the exact rule).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "codecs/json.h"
#include "config/config.h"
#include "core/status.h"
#include "storage/object_store.h"
#include "table/table.h"

namespace ch::train {

// Called from the calling thread with a stage and a short message.
using TrainProgress = std::function<void(std::string_view stage, std::string_view message)>;

struct TrainOptions {
  std::vector<std::string> diseases = {"dengue", "malaria", "heat_illness", "respiratory",
                                       "diarrhoea"};
  int horizon_days = 14;  // risk window and forecast horizon
  double interval = 0.8;  // central prediction interval of the forecast
  // XGBoost (hist trees) settings, shared by both models.
  int num_rounds = 120;
  int early_stopping_rounds = 15;
  int max_depth = 5;
  double eta = 0.15;
  int nthread = 2;
  // Training rows: every risk_stride-th origin day for the classifier, every
  // forecast_stride-th for the forecaster (times horizon_days rows each).
  int risk_stride = 2;
  int forecast_stride = 5;
  // The last validation_days of training origins (after a horizon-long gap)
  // drive early stopping and calibrate the forecast interval.
  int validation_days = 90;
  // Rolling-origin backtest: `folds` consecutive test periods of
  // `fold_days` origin days at the end of the data; each fold trains only on
  // data whose targets end before its first origin.
  int folds = 2;
  int fold_days = 90;
  bool set_current = true;  // switch the current pointers to the new versions
  TrainProgress progress;
};

struct DiseaseResult {
  std::string disease;
  std::string risk_version, forecast_version;
  Json risk_metrics;      // {"auc_high_plus", "brier_high_plus", "brier_multiclass", "rows", ...}
  Json forecast_metrics;  // {"mae", "wis", "coverage", "naive_mae", "skill_mae", ...}
};

struct TrainSummary {
  std::vector<DiseaseResult> diseases;
  std::string scaler_version;
  int64_t rows = 0;
  int locations = 0;
  std::string first_date, last_date;
  std::string manifest_key, manifest_etag;
  bool switched = false;  // current pointers moved to the new versions
  double seconds = 0;
};

// Loads the current feature table (DataService::LoadFeatures), trains and
// backtests every disease, saves risk_<d>, forecast_<d> and scaler, then
// switches their current pointers (all or none: if another trainer switched
// any of them since this run began, ours are rolled back and the result is
// PreconditionFailed; the new versions stay saved).
Result<TrainSummary> RunTrain(ObjectStore& store, const BucketNames& buckets,
                              const TrainOptions& options);

// One disease's models, trained and backtested in memory.
struct TrainedDisease {
  DiseaseResult result;
  std::string risk_model, forecast_model;  // UBJSON bytes
  Json risk_metadata, forecast_metadata;   // without the ModelService fields
};

// The pure part of RunTrain for one disease: needs columns location_code,
// date, <disease>_cases and numeric features. InvalidArgument when the table
// is too short for the backtest (names the days needed).
Result<TrainedDisease> TrainDisease(const Table& features, const std::string& disease,
                                    const TrainOptions& options);

// The numeric feature columns the models use as inputs, in table order.
std::vector<std::string> InputFeatures(const Table& features);

}  // namespace ch::train
