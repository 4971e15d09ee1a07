// RiskModel and ForecastModel: the models `climahealth train` makes, loaded
// from their artefact + metadata and applied to a feature table.
//
// How to predict (the predict/forecast/alerts jobs, the API, Lambda):
//
//   services::ModelService models(store, buckets);
//   ASSIGN_OR_RETURN(auto art, models.LoadRiskModel("dengue"));      // current version
//   ASSIGN_OR_RETURN(auto risk, ml::RiskModel::Load(art.bytes, art.record.metadata));
//   ASSIGN_OR_RETURN(Table features, data.LoadFeatures({}));          // processed features
//   ASSIGN_OR_RETURN(auto out, risk.Predict(features));               // one per table row
//
//   ASSIGN_OR_RETURN(auto fart, models.LoadForecastModel("dengue"));
//   ASSIGN_OR_RETURN(auto fc, ml::ForecastModel::Load(fart.bytes, fart.record.metadata));
//   ASSIGN_OR_RETURN(auto days, fc.Predict(features));  // rows * horizon_days(), row-major
//
// The table needs `location_code` (text), `date` (date or ISO text) and every
// name in input_features() (metadata "input_features"), in any column order;
// extra columns are ignored. Each row is a forecast origin: its predictions
// are for the `horizon_days` days after its date. Pass only the rows you want
// (e.g. each location's latest date) to save time. The model's own feature
// order is metadata "features" = input_features, then the derived features
// below, computed here from the location's seasonal profile (metadata "profile").
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "codecs/json.h"
#include "core/status.h"
#include "ml/booster.h"
#include "ml/matrix.h"
#include "ml/seasonal_profile.h"
#include "table/table.h"

namespace ch::ml {

// Derived risk features: the profile at the first window day (date + 1).
inline constexpr std::array<const char*, 4> kRiskDerived = {"seasonal_mean_daily", "baseline_p50",
                                                            "baseline_p80", "baseline_p95"};
// Derived forecast features: the horizon (1..H) and the profile's mean daily
// count at the target day (date + horizon).
inline constexpr std::array<const char*, 2> kForecastDerived = {"horizon",
                                                                "seasonal_mean_daily_target"};

std::vector<std::string> RiskFeatureNames(const std::vector<std::string>& inputs);
std::vector<std::string> ForecastFeatureNames(const std::vector<std::string>& inputs);

// The risk matrix of the table rows `rows` (every row when empty).
Result<DenseMatrix> BuildRiskMatrix(const Table& table, const std::vector<std::string>& inputs,
                                    const SeasonalProfile& profile,
                                    const std::vector<int64_t>& rows = {});
// The forecast matrix: for each row in `rows` (every row when empty), one
// matrix row per horizon 1..horizon_days, in that order.
Result<DenseMatrix> BuildForecastMatrix(const Table& table, const std::vector<std::string>& inputs,
                                        const SeasonalProfile& profile, int horizon_days,
                                        const std::vector<int64_t>& rows = {});

struct RiskOutput {
  std::array<float, 4> probabilities{};  // low, moderate, high, severe
  int level = 0;                         // argmax, index into kRiskLevels
  float score = 0;                       // P(high) + P(severe), the "risk_score"
};

struct ForecastDay {
  int32_t date = 0;  // days since 1970-01-01
  int horizon = 0;   // 1..horizon_days
  float expected = 0, lower = 0, upper = 0;
};

// The interval around `expected` from log-ratio residual quantiles:
// lower = max(0, (expected + 1) e^q_lo - 1), upper = (expected + 1) e^q_hi - 1.
ForecastDay MakeForecastDay(float expected, float q_lo, float q_hi);

// Immutable after Load; Predict is thread-safe.
class RiskModel {
 public:
  // Corruption when the booster's feature count or stored feature names
  // differ from metadata "features", or the metadata lacks what it needs.
  static Result<RiskModel> Load(std::string_view bytes, const Json& metadata, int nthread = 2);
  // One output per row of `features`.
  Result<std::vector<RiskOutput>> Predict(const Table& features) const;

  const std::vector<std::string>& input_features() const { return inputs_; }
  const SeasonalProfile& profile() const { return profile_; }
  const Booster& booster() const { return booster_; }

 private:
  RiskModel(Booster b, std::vector<std::string> in, SeasonalProfile p)
      : booster_(std::move(b)), inputs_(std::move(in)), profile_(std::move(p)) {}
  Booster booster_;
  std::vector<std::string> inputs_;
  SeasonalProfile profile_;
};

// Immutable after Load; Predict is thread-safe.
class ForecastModel {
 public:
  static Result<ForecastModel> Load(std::string_view bytes, const Json& metadata, int nthread = 2);
  // horizon_days() entries per row of `features`, row-major by row then horizon.
  Result<std::vector<ForecastDay>> Predict(const Table& features) const;

  int horizon_days() const { return static_cast<int>(q_lo_.size()); }
  double interval() const { return interval_; }  // e.g. 0.8
  const std::vector<std::string>& input_features() const { return inputs_; }

 private:
  ForecastModel(Booster b, std::vector<std::string> in, SeasonalProfile p)
      : booster_(std::move(b)), inputs_(std::move(in)), profile_(std::move(p)) {}
  Booster booster_;
  std::vector<std::string> inputs_;
  SeasonalProfile profile_;
  std::vector<float> q_lo_, q_hi_;  // per horizon
  double interval_ = 0.8;
};

}  // namespace ch::ml
