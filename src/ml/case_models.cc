// Feature construction and prediction for the risk and forecast models.
#include "ml/case_models.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ch::ml {
namespace {

std::vector<int64_t> AllRows(const Table& t, const std::vector<int64_t>& rows) {
  if (!rows.empty()) return rows;
  std::vector<int64_t> all(t.num_rows());
  std::iota(all.begin(), all.end(), 0);
  return all;
}

// Location codes and days of the table, for profile lookups.
struct RowKeys {
  const Column* locations = nullptr;
  std::vector<int32_t> days;
};

Result<RowKeys> Keys(const Table& table) {
  RowKeys keys;
  ASSIGN_OR_RETURN(keys.locations, table.GetColumn("location_code"));
  if (keys.locations->type() != DataType::kString) {
    return Status::InvalidArgument("feature table: location_code must be text");
  }
  ASSIGN_OR_RETURN(keys.days, TableDays(table));
  return keys;
}

Result<std::vector<std::string>> StringList(const Json& metadata, const char* key) {
  auto it = metadata.find(key);
  if (it == metadata.end() || !it->is_array()) {
    return Status::Corruption(std::string("model metadata: '") + key + "' missing");
  }
  std::vector<std::string> out;
  for (const Json& v : *it) {
    if (!v.is_string()) return Status::Corruption(std::string("model metadata: bad '") + key + "'");
    out.push_back(v.get<std::string>());
  }
  return out;
}

struct Loaded {
  Booster booster;
  std::vector<std::string> inputs;
  SeasonalProfile profile;
};

Result<Loaded> LoadParts(std::string_view bytes, const Json& metadata, int nthread,
                         std::vector<std::string> (*names)(const std::vector<std::string>&)) {
  if (!metadata.is_object()) return Status::Corruption("model metadata: not an object");
  ASSIGN_OR_RETURN(std::vector<std::string> inputs, StringList(metadata, "input_features"));
  ASSIGN_OR_RETURN(std::vector<std::string> features, StringList(metadata, "features"));
  if (features != names(inputs)) {
    return Status::Corruption("model metadata: 'features' is not input_features + derived");
  }
  ASSIGN_OR_RETURN(Booster booster, Booster::Load(bytes, nthread));
  if (booster.num_features() != static_cast<int>(features.size()) ||
      (!booster.feature_names().empty() && booster.feature_names() != features)) {
    return Status::Corruption("model: its " + std::to_string(booster.num_features()) +
                              " features differ from the metadata's " +
                              std::to_string(features.size()));
  }
  auto profile = SeasonalProfile::FromJson(metadata.value("profile", Json()));
  if (!profile.ok()) return Status::Corruption("model metadata: " + profile.status().message());
  return Loaded{std::move(booster), std::move(inputs), std::move(*profile)};
}

}  // namespace

std::vector<std::string> RiskFeatureNames(const std::vector<std::string>& inputs) {
  std::vector<std::string> names = inputs;
  names.insert(names.end(), kRiskDerived.begin(), kRiskDerived.end());
  return names;
}

std::vector<std::string> ForecastFeatureNames(const std::vector<std::string>& inputs) {
  std::vector<std::string> names = inputs;
  names.insert(names.end(), kForecastDerived.begin(), kForecastDerived.end());
  return names;
}

Result<DenseMatrix> BuildRiskMatrix(const Table& table, const std::vector<std::string>& inputs,
                                    const SeasonalProfile& profile,
                                    const std::vector<int64_t>& rows) {
  ASSIGN_OR_RETURN(RowKeys keys, Keys(table));
  ASSIGN_OR_RETURN(DenseMatrix base, MatrixFromTable(table, inputs));
  std::vector<int64_t> selected = AllRows(table, rows);
  DenseMatrix m;
  m.rows = static_cast<int64_t>(selected.size());
  m.feature_names = RiskFeatureNames(inputs);
  m.cols = static_cast<int>(m.feature_names.size());
  m.values.resize(static_cast<size_t>(m.rows) * m.cols);
  const int n_in = base.cols;
  for (int64_t i = 0; i < m.rows; ++i) {
    const int64_t r = selected[i];
    std::copy_n(base.values.begin() + r * n_in, n_in, m.values.begin() + i * m.cols);
    auto e = profile.At(std::string(keys.locations->String(r)), keys.days[r] + 1);
    float* d = &m.at(i, n_in);
    d[0] = e.mean_daily, d[1] = e.p50, d[2] = e.p80, d[3] = e.p95;
  }
  return m;
}

Result<DenseMatrix> BuildForecastMatrix(const Table& table, const std::vector<std::string>& inputs,
                                        const SeasonalProfile& profile, int horizon_days,
                                        const std::vector<int64_t>& rows) {
  ASSIGN_OR_RETURN(RowKeys keys, Keys(table));
  ASSIGN_OR_RETURN(DenseMatrix base, MatrixFromTable(table, inputs));
  std::vector<int64_t> selected = AllRows(table, rows);
  DenseMatrix m;
  m.rows = static_cast<int64_t>(selected.size()) * horizon_days;
  m.feature_names = ForecastFeatureNames(inputs);
  m.cols = static_cast<int>(m.feature_names.size());
  m.values.resize(static_cast<size_t>(m.rows) * m.cols);
  const int n_in = base.cols;
  int64_t out = 0;
  for (int64_t r : selected) {
    std::string location(keys.locations->String(r));
    for (int h = 1; h <= horizon_days; ++h, ++out) {
      std::copy_n(base.values.begin() + r * n_in, n_in, m.values.begin() + out * m.cols);
      m.at(out, n_in) = static_cast<float>(h);
      m.at(out, n_in + 1) = profile.At(location, keys.days[r] + h).mean_daily;
    }
  }
  return m;
}

ForecastDay MakeForecastDay(float expected, float q_lo, float q_hi) {
  ForecastDay d;
  d.expected = std::max(0.0f, expected);
  d.lower = std::max(0.0f, (d.expected + 1) * std::exp(q_lo) - 1);
  d.upper = std::max(d.expected, (d.expected + 1) * std::exp(q_hi) - 1);
  d.lower = std::min(d.lower, d.expected);
  return d;
}

Result<RiskModel> RiskModel::Load(std::string_view bytes, const Json& metadata, int nthread) {
  ASSIGN_OR_RETURN(Loaded parts, LoadParts(bytes, metadata, nthread, &RiskFeatureNames));
  return RiskModel(std::move(parts.booster), std::move(parts.inputs), std::move(parts.profile));
}

Result<std::vector<RiskOutput>> RiskModel::Predict(const Table& features) const {
  ASSIGN_OR_RETURN(DenseMatrix m, BuildRiskMatrix(features, inputs_, profile_));
  ASSIGN_OR_RETURN(Prediction p, booster_.Predict(m));
  if (p.outputs != 4) {
    return Status::Corruption("risk model: " + std::to_string(p.outputs) + " classes, not 4");
  }
  std::vector<RiskOutput> out(p.rows);
  for (int64_t r = 0; r < p.rows; ++r) {
    for (int k = 0; k < 4; ++k) out[r].probabilities[k] = p.at(r, k);
    const auto& pr = out[r].probabilities;
    out[r].level = static_cast<int>(std::max_element(pr.begin(), pr.end()) - pr.begin());
    out[r].score = std::min(1.0f, pr[2] + pr[3]);
  }
  return out;
}

Result<ForecastModel> ForecastModel::Load(std::string_view bytes, const Json& metadata,
                                          int nthread) {
  ASSIGN_OR_RETURN(Loaded parts, LoadParts(bytes, metadata, nthread, &ForecastFeatureNames));
  ForecastModel model(std::move(parts.booster), std::move(parts.inputs), std::move(parts.profile));
  const Json q = metadata.value("residual_log_quantiles", Json());
  if (!q.is_object() || !q.contains("lower") || !q.contains("upper") || !q["lower"].is_array() ||
      q["lower"].size() != q["upper"].size() || q["lower"].empty()) {
    return Status::Corruption("forecast metadata: 'residual_log_quantiles' missing or uneven");
  }
  for (size_t h = 0; h < q["lower"].size(); ++h) {
    if (!q["lower"][h].is_number() || !q["upper"][h].is_number()) {
      return Status::Corruption("forecast metadata: non-numeric residual quantile");
    }
    model.q_lo_.push_back(q["lower"][h].get<float>());
    model.q_hi_.push_back(q["upper"][h].get<float>());
  }
  model.interval_ = metadata.value("interval", 0.8);
  return model;
}

Result<std::vector<ForecastDay>> ForecastModel::Predict(const Table& features) const {
  const int horizon = horizon_days();
  ASSIGN_OR_RETURN(DenseMatrix m, BuildForecastMatrix(features, inputs_, profile_, horizon));
  ASSIGN_OR_RETURN(Prediction p, booster_.Predict(m));
  ASSIGN_OR_RETURN(std::vector<int32_t> days, TableDays(features));
  std::vector<ForecastDay> out(p.rows);
  for (int64_t i = 0; i < p.rows; ++i) {
    const int h = static_cast<int>(i % horizon);
    out[i] = MakeForecastDay(p.at(i), q_lo_[h], q_hi_[h]);
    out[i].horizon = h + 1;
    out[i].date = days[i / horizon] + h + 1;
  }
  return out;
}

}  // namespace ch::ml
