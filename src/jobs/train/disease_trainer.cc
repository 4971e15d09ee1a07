// TrainDisease: labels, rolling-origin backtest and the final fit for one disease.
#include <algorithm>
#include <cmath>
#include <optional>

#include "jobs/train/train_job.h"
#include "ml/booster.h"
#include "ml/case_index.h"
#include "ml/case_models.h"
#include "ml/matrix.h"
#include "ml/metrics.h"
#include "ml/seasonal_profile.h"
#include "table/date.h"

namespace ch::train {
namespace {

struct Context {
  const Table& table;
  const ml::CaseIndex& idx;
  const TrainOptions& o;
  std::vector<std::string> inputs;
  std::vector<double> sums;  // per row: cases over the next horizon_days (NaN if incomplete)
  int32_t first_day = 0, last_day = 0;
};

struct Fit {
  std::optional<ml::Booster> risk, forecast;
  ml::SeasonalProfile profile;
  std::vector<float> q_lo, q_hi;
  int64_t risk_rows = 0, forecast_rows = 0;
};

// Out-of-sample predictions gathered over backtest folds.
struct Backtest {
  std::vector<float> high_score, brier_terms;
  std::vector<int> high_label;
  std::vector<int64_t> level_counts = std::vector<int64_t>(4, 0);
  std::vector<float> expected, lower, upper, actual, naive;
};

std::vector<int64_t> OriginRows(const Context& c, int32_t lo, int32_t hi, int stride,
                                bool need_sum) {
  std::vector<int64_t> rows;
  for (int64_t r = 0; r < c.idx.rows(); ++r) {
    int32_t d = c.idx.row_day(r);
    if (d < lo || d > hi || (d - lo) % stride != 0) continue;
    if (need_sum && std::isnan(c.sums[r])) continue;
    rows.push_back(r);
  }
  return rows;
}

// Risk labels of `rows` against `profile`; rows without a label are dropped.
std::vector<float> RiskLabels(const Context& c, const ml::SeasonalProfile& profile,
                              std::vector<int64_t>& rows) {
  std::vector<float> labels;
  std::vector<int64_t> kept;
  for (int64_t r : rows) {
    const auto e = profile.At(c.idx.locations()[c.idx.row_location(r)], c.idx.row_day(r) + 1);
    int level = ml::SeasonalProfile::Level(c.sums[r], e);
    if (level < 0) continue;
    kept.push_back(r);
    labels.push_back(static_cast<float>(level));
  }
  rows = std::move(kept);
  return labels;
}

// The forecast matrix of `rows` with its daily targets; rows without a target are dropped.
Result<std::pair<ml::DenseMatrix, std::vector<float>>> ForecastSet(
    const Context& c, const ml::SeasonalProfile& profile, const std::vector<int64_t>& rows) {
  const int h_days = c.o.horizon_days;
  ASSIGN_OR_RETURN(ml::DenseMatrix m,
                   ml::BuildForecastMatrix(c.table, c.inputs, profile, h_days, rows));
  std::vector<int64_t> keep;
  std::vector<float> y;
  for (size_t i = 0; i < rows.size(); ++i) {
    for (int h = 1; h <= h_days; ++h) {
      double v = c.idx.CasesAt(c.idx.row_location(rows[i]), c.idx.row_day(rows[i]) + h);
      if (std::isnan(v)) continue;
      keep.push_back(static_cast<int64_t>(i) * h_days + h - 1);
      y.push_back(static_cast<float>(v));
    }
  }
  return std::make_pair(ml::TakeRows(m, keep), std::move(y));
}

ml::TrainOptions BoosterOptions(const TrainOptions& o, const char* objective) {
  ml::TrainOptions t;
  t.params = {{"objective", objective},
              {"max_depth", std::to_string(o.max_depth)},
              {"eta", std::to_string(o.eta)},
              {"nthread", std::to_string(o.nthread)},
              {"max_bin", "64"},
              {"subsample", "0.8"},
              {"colsample_bytree", "0.8"},
              {"seed", "1"}};
  t.num_rounds = o.num_rounds;
  t.early_stopping_rounds = o.early_stopping_rounds;
  return t;
}

Result<ml::Booster> FitRisk(const Context& c, Fit& fit, int32_t train_hi, int32_t val_lo,
                            int32_t val_hi) {
  std::vector<int64_t> train = OriginRows(c, c.first_day, train_hi, c.o.risk_stride, true);
  std::vector<int64_t> valid = OriginRows(c, val_lo, val_hi, c.o.risk_stride, true);
  std::vector<float> y = RiskLabels(c, fit.profile, train);
  std::vector<float> vy = RiskLabels(c, fit.profile, valid);
  if (train.empty() || valid.empty()) {
    return Status::InvalidArgument("train: too little history for the risk model");
  }
  ASSIGN_OR_RETURN(ml::DenseMatrix x, ml::BuildRiskMatrix(c.table, c.inputs, fit.profile, train));
  ASSIGN_OR_RETURN(ml::DenseMatrix vx, ml::BuildRiskMatrix(c.table, c.inputs, fit.profile, valid));
  ml::TrainOptions t = BoosterOptions(c.o, "multi:softprob");
  t.params["num_class"] = "4";
  t.params["eval_metric"] = "mlogloss";
  fit.risk_rows = x.rows;
  return ml::Booster::Train(x, y, t, {}, &vx, vy);
}

// Log-ratio residual quantiles per horizon, from the validation predictions.
void CalibrateInterval(const Context& c, const ml::Prediction& p, const std::vector<float>& y,
                       const ml::DenseMatrix& x, Fit& fit) {
  const int horizon_col = x.cols - 2;  // "horizon", see ml::kForecastDerived
  std::vector<std::vector<double>> by_h(c.o.horizon_days);
  for (int64_t i = 0; i < p.rows; ++i) {
    int h = static_cast<int>(x.at(i, horizon_col)) - 1;
    by_h[h].push_back(std::log((y[i] + 1.0) / (std::max(0.0f, p.at(i)) + 1.0)));
  }
  const double alpha = 1 - c.o.interval;
  for (auto& v : by_h) {
    std::sort(v.begin(), v.end());
    auto q = [&](double f) {
      return v.empty() ? 0.0f : static_cast<float>(v[static_cast<size_t>(f * (v.size() - 1))]);
    };
    fit.q_lo.push_back(q(alpha / 2));
    fit.q_hi.push_back(q(1 - alpha / 2));
  }
}

Result<ml::Booster> FitForecast(const Context& c, Fit& fit, int32_t train_hi, int32_t val_lo,
                                int32_t val_hi) {
  auto train = OriginRows(c, c.first_day, train_hi, c.o.forecast_stride, false);
  auto valid = OriginRows(c, val_lo, val_hi, c.o.forecast_stride, false);
  ASSIGN_OR_RETURN(auto train_set, ForecastSet(c, fit.profile, train));
  ASSIGN_OR_RETURN(auto valid_set, ForecastSet(c, fit.profile, valid));
  if (train_set.second.empty() || valid_set.second.empty()) {
    return Status::InvalidArgument("train: too little history for the forecast model");
  }
  ml::TrainOptions t = BoosterOptions(c.o, "count:poisson");
  t.params["eval_metric"] = "mae";
  fit.forecast_rows = train_set.first.rows;
  ASSIGN_OR_RETURN(ml::Booster b, ml::Booster::Train(train_set.first, train_set.second, t, {},
                                                     &valid_set.first, valid_set.second));
  ASSIGN_OR_RETURN(ml::Prediction p, b.Predict(valid_set.first));
  CalibrateInterval(c, p, valid_set.second, valid_set.first, fit);
  return b;
}

// Trains both models on history before day `cutoff` (no target after cutoff - 1).
Result<Fit> FitBefore(const Context& c, int32_t cutoff) {
  const int h = c.o.horizon_days;
  const int32_t val_hi = cutoff - 1 - h;
  const int32_t val_lo = val_hi - c.o.validation_days + 1;
  const int32_t train_hi = val_lo - 1 - h;
  Fit fit;
  fit.profile = ml::SeasonalProfile::Fit(c.idx, cutoff - 1, h);
  ASSIGN_OR_RETURN(fit.risk, FitRisk(c, fit, train_hi, val_lo, val_hi));
  ASSIGN_OR_RETURN(fit.forecast, FitForecast(c, fit, train_hi, val_lo, val_hi));
  return fit;
}

Status EvaluateRisk(const Context& c, const Fit& fit, int32_t lo, int32_t hi, Backtest& bt) {
  std::vector<int64_t> rows = OriginRows(c, lo, hi, 1, true);
  std::vector<float> levels = RiskLabels(c, fit.profile, rows);
  if (rows.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(ml::DenseMatrix x, ml::BuildRiskMatrix(c.table, c.inputs, fit.profile, rows));
  ASSIGN_OR_RETURN(ml::Prediction p, fit.risk->Predict(x));
  for (int64_t i = 0; i < p.rows; ++i) {
    const int level = static_cast<int>(levels[i]);
    bt.high_score.push_back(p.at(i, 2) + p.at(i, 3));
    bt.high_label.push_back(level >= 2 ? 1 : 0);
    double brier = 0;
    for (int k = 0; k < 4; ++k) brier += std::pow(p.at(i, k) - (k == level ? 1.0 : 0.0), 2);
    bt.brier_terms.push_back(static_cast<float>(brier));
    ++bt.level_counts[level];
  }
  return Status::Ok();
}

Status EvaluateForecast(const Context& c, const Fit& fit, int32_t lo, int32_t hi, Backtest& bt) {
  std::vector<int64_t> rows = OriginRows(c, lo, hi, 1, false);
  if (rows.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(ml::DenseMatrix x,
                   ml::BuildForecastMatrix(c.table, c.inputs, fit.profile, c.o.horizon_days, rows));
  ASSIGN_OR_RETURN(ml::Prediction p, fit.forecast->Predict(x));
  for (int64_t i = 0; i < p.rows; ++i) {
    const int64_t r = rows[i / c.o.horizon_days];
    const int h = static_cast<int>(i % c.o.horizon_days) + 1;
    const int loc = c.idx.row_location(r);
    const int32_t target = c.idx.row_day(r) + h;
    double y = c.idx.CasesAt(loc, target);
    // Seasonal naive: the mean of the same 7 days one year (365 days) earlier.
    double naive = c.idx.WindowMean(loc, target - 365, 3);
    if (std::isnan(y) || std::isnan(naive)) continue;
    ml::ForecastDay d = ml::MakeForecastDay(p.at(i), fit.q_lo[h - 1], fit.q_hi[h - 1]);
    bt.expected.push_back(d.expected);
    bt.lower.push_back(d.lower);
    bt.upper.push_back(d.upper);
    bt.actual.push_back(static_cast<float>(y));
    bt.naive.push_back(static_cast<float>(naive));
  }
  return Status::Ok();
}

Json Number(double v) { return std::isnan(v) ? Json(nullptr) : Json(v); }

Json RiskMetrics(const Backtest& bt) {
  double brier = 0;
  for (float b : bt.brier_terms) brier += b;
  return {
      {"auc_high_plus", Number(ml::RocAuc(bt.high_score, bt.high_label))},
      {"brier_high_plus", Number(ml::BrierScore(bt.high_score, bt.high_label))},
      {"brier_multiclass", Number(bt.brier_terms.empty() ? NAN : brier / bt.brier_terms.size())},
      {"rows", bt.high_score.size()},
      {"level_counts", bt.level_counts}};
}

Json ForecastMetrics(const Backtest& bt, double interval) {
  const double alpha = 1 - interval;
  double wis = 0;
  int64_t covered = 0;
  for (size_t i = 0; i < bt.actual.size(); ++i) {
    wis += ml::WeightedIntervalScore(bt.expected[i], bt.lower[i], bt.upper[i], bt.actual[i], alpha);
    covered += bt.lower[i] <= bt.actual[i] && bt.actual[i] <= bt.upper[i];
  }
  const double n = static_cast<double>(bt.actual.size());
  const double mae = ml::MeanAbsoluteError(bt.expected, bt.actual);
  const double naive_mae = ml::MeanAbsoluteError(bt.naive, bt.actual);
  return {{"mae", Number(mae)},
          {"naive_mae", Number(naive_mae)},
          {"skill_mae", Number(1 - mae / naive_mae)},
          {"wis", Number(n > 0 ? wis / n : NAN)},
          {"coverage", Number(n > 0 ? covered / n : NAN)},
          {"interval", interval},
          {"rows", bt.actual.size()}};
}

}  // namespace

std::vector<std::string> InputFeatures(const Table& features) {
  return ml::NumericColumns(features);
}

namespace {

Json CommonMetadata(const Context& c, const std::string& disease, const char* kind) {
  return {{"kind", kind},
          {"disease", disease},
          {"cases_column", disease + "_cases"},
          {"horizon_days", c.o.horizon_days},
          {"training_window",
           {{"first_date", FormatIsoDate(c.first_day)}, {"last_date", FormatIsoDate(c.last_day)}}},
          {"locations", c.idx.locations().size()},
          {"params",
           {{"max_depth", c.o.max_depth},
            {"eta", c.o.eta},
            {"num_rounds", c.o.num_rounds},
            {"early_stopping_rounds", c.o.early_stopping_rounds},
            {"tree_method", "hist"}}}};
}

Json BacktestInfo(const Context& c) {
  return {{"method", "rolling origin"},
          {"folds", c.o.folds},
          {"fold_days", c.o.fold_days},
          {"note",
           "each fold trains on origins whose targets end before the fold's first origin; "
           "baselines (seasonal profile) use only that history"}};
}

}  // namespace

Status RunFold(const Context& c, int fold, Backtest& pooled, Json& fold_metrics) {
  const int32_t last_origin = c.last_day - c.o.horizon_days;
  const int32_t lo = last_origin - (c.o.folds - fold) * c.o.fold_days + 1;
  const int32_t hi = lo + c.o.fold_days - 1;
  if (c.o.progress) {
    c.o.progress("backtest", "fold " + std::to_string(fold + 1) + "/" + std::to_string(c.o.folds) +
                                 ": origins " + FormatIsoDate(lo) + ".." + FormatIsoDate(hi));
  }
  ASSIGN_OR_RETURN(Fit fit, FitBefore(c, lo));
  Backtest bt;
  RETURN_IF_ERROR(EvaluateRisk(c, fit, lo, hi, bt));
  RETURN_IF_ERROR(EvaluateForecast(c, fit, lo, hi, bt));
  fold_metrics.push_back({{"first_origin", FormatIsoDate(lo)},
                          {"last_origin", FormatIsoDate(hi)},
                          {"risk", RiskMetrics(bt)},
                          {"forecast", ForecastMetrics(bt, c.o.interval)}});
  auto append = [](auto& to, const auto& from) { to.insert(to.end(), from.begin(), from.end()); };
  append(pooled.high_score, bt.high_score);
  append(pooled.high_label, bt.high_label);
  append(pooled.brier_terms, bt.brier_terms);
  for (int k = 0; k < 4; ++k) pooled.level_counts[k] += bt.level_counts[k];
  append(pooled.expected, bt.expected);
  append(pooled.lower, bt.lower);
  append(pooled.upper, bt.upper);
  append(pooled.actual, bt.actual);
  append(pooled.naive, bt.naive);
  return Status::Ok();
}

Status CheckHistory(const Context& c) {
  // The first fold needs a year before it (seasonal naive) plus validation and gaps.
  const int64_t needed = 365 + int64_t{c.o.folds} * c.o.fold_days + c.o.validation_days +
                         3 * int64_t{c.o.horizon_days};
  const int64_t have = int64_t{c.last_day} - c.first_day + 1;
  if (c.o.folds < 1 || c.o.fold_days < 1 || c.o.horizon_days < 1 || c.o.risk_stride < 1 ||
      c.o.forecast_stride < 1 || c.o.interval <= 0 || c.o.interval >= 1) {
    return Status::InvalidArgument(
        "train: folds, fold_days, horizon_days and strides must be "
        ">= 1 and interval in (0, 1)");
  }
  if (have < needed) {
    return Status::InvalidArgument("train: the feature table covers " + std::to_string(have) +
                                   " days; the backtest needs at least " + std::to_string(needed));
  }
  return Status::Ok();
}

Result<TrainedDisease> TrainDisease(const Table& features, const std::string& disease,
                                    const TrainOptions& o) {
  ASSIGN_OR_RETURN(ml::CaseIndex idx, ml::CaseIndex::Build(features, disease + "_cases"));
  if (idx.rows() == 0) return Status::InvalidArgument("train: the feature table is empty");
  Context c{features, idx, o, InputFeatures(features), {}, 0, 0};
  c.first_day = c.last_day = idx.row_day(0);
  c.sums.resize(idx.rows());
  for (int64_t r = 0; r < idx.rows(); ++r) {
    c.first_day = std::min(c.first_day, idx.row_day(r));
    c.last_day = std::max(c.last_day, idx.row_day(r));
    c.sums[r] = idx.FutureSum(idx.row_location(r), idx.row_day(r), o.horizon_days);
  }
  RETURN_IF_ERROR(CheckHistory(c));
  Backtest pooled;
  Json folds = Json::array();
  for (int fold = 0; fold < o.folds; ++fold) RETURN_IF_ERROR(RunFold(c, fold, pooled, folds));
  if (o.progress) o.progress("fit", disease + ": final models on all data");
  ASSIGN_OR_RETURN(Fit fit, FitBefore(c, c.last_day + 1));

  TrainedDisease out;
  out.result.disease = disease;
  out.result.risk_metrics = RiskMetrics(pooled);
  out.result.forecast_metrics = ForecastMetrics(pooled, o.interval);
  ASSIGN_OR_RETURN(out.risk_model, fit.risk->Save(ml::ModelFormat::kUbj));
  ASSIGN_OR_RETURN(out.forecast_model, fit.forecast->Save(ml::ModelFormat::kUbj));
  Json profile = fit.profile.ToJson();
  Json backtest = BacktestInfo(c);
  backtest["folds_detail"] = folds;

  out.risk_metadata = CommonMetadata(c, disease, "risk");
  out.risk_metadata["input_features"] = c.inputs;
  out.risk_metadata["features"] = ml::RiskFeatureNames(c.inputs);
  out.risk_metadata["levels"] = ml::kRiskLevels;
  out.risk_metadata["label_definition"] =
      "S = cases on days t+1..t+" + std::to_string(o.horizon_days) +
      "; thresholds = percentiles p50/p80/p95 of the location's own S in the same weeks of the "
      "year (+-1 week, all years of the training history); low if S<=p50, moderate if "
      "S<=max(p80,p50+1), high if S<=max(p95,that+1), else severe";
  out.risk_metadata["score"] = "P(high) + P(severe)";
  out.risk_metadata["profile"] = profile;
  out.risk_metadata["metrics"] = {{"backtest", out.result.risk_metrics}};
  out.risk_metadata["backtest"] = backtest;
  out.risk_metadata["best_iteration"] = fit.risk->best_iteration();
  out.risk_metadata["training_rows"] = fit.risk_rows;

  out.forecast_metadata = CommonMetadata(c, disease, "forecast");
  out.forecast_metadata["input_features"] = c.inputs;
  out.forecast_metadata["features"] = ml::ForecastFeatureNames(c.inputs);
  out.forecast_metadata["interval"] = o.interval;
  out.forecast_metadata["objective"] = "count:poisson";
  out.forecast_metadata["residual_log_quantiles"] = {{"lower", fit.q_lo}, {"upper", fit.q_hi}};
  out.forecast_metadata["interval_method"] =
      "per-horizon quantiles of log((y+1)/(expected+1)) on the validation origins";
  out.forecast_metadata["seasonal_naive"] =
      "mean of the same 7 days (target-365-3 .. target-365+3) one year earlier";
  out.forecast_metadata["profile"] = profile;
  out.forecast_metadata["metrics"] = {{"backtest", out.result.forecast_metrics}};
  out.forecast_metadata["backtest"] = backtest;
  out.forecast_metadata["best_iteration"] = fit.forecast->best_iteration();
  out.forecast_metadata["training_rows"] = fit.forecast_rows;
  return out;
}

}  // namespace ch::train
