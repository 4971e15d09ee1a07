// RunAlerts: applies the alert rules to one run's risk, forecasts and features.
#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "jobs/predict/documents.h"
#include "jobs/predict/job_inputs.h"
#include "jobs/predict/predict_job.h"
#include "services/data/processed_layout.h"

namespace ch::jobs {
namespace {

using internal::JobInputs;
using services::DataService;
using services::OutputKind;

constexpr double kMissingDay = std::numeric_limits<double>::quiet_NaN();

// The location's daily values of `column` (NaN where absent), through the run date.
Result<DailySeries> SeriesOf(const JobInputs& in, const std::string& location,
                             const std::string& column) {
  ASSIGN_OR_RETURN(const Column* values, in.features.GetColumn(column));
  ASSIGN_OR_RETURN(const Column* dates, in.features.GetColumn("date"));
  const std::vector<int64_t>& rows = in.rows.at(location);
  DailySeries s;
  if (rows.empty()) return s;
  s.first_date = dates->Date(rows.front());
  s.values.assign(static_cast<size_t>(dates->Date(rows.back()) - s.first_date) + 1, kMissingDay);
  for (int64_t r : rows) {
    if (values->IsNull(r)) continue;
    double v = values->type() == DataType::kInt64 ? static_cast<double>(values->Int64(r))
                                                  : values->Float64(r);
    s.values[static_cast<size_t>(dates->Date(r) - s.first_date)] = v;
  }
  return s;
}

Result<std::map<std::string, Terrain>> LoadTerrains(DataService& data) {
  ASSIGN_OR_RETURN(Table locations, data.LoadLocations());
  ASSIGN_OR_RETURN(const Column* codes, locations.GetColumn("location_code"));
  ASSIGN_OR_RETURN(const Column* terrain, locations.GetColumn("terrain"));
  std::map<std::string, Terrain> out;
  for (int64_t r = 0; r < codes->size(); ++r) {
    if (terrain->IsNull(r)) continue;
    auto t = ParseTerrain(terrain->String(r));
    if (!t.ok()) {
      return t.status().WithContext(
          fmt::format("processed locations, location {}", codes->String(r)));
    }
    out[std::string(codes->String(r))] = *t;
  }
  return out;
}

// Alerts of earlier runs within the quiet window.
Result<std::vector<Alert>> LoadPreviousAlerts(DataService& data, int32_t date, int quiet_days) {
  ASSIGN_OR_RETURN(std::vector<int32_t> dates, data.ListOutputDates(OutputKind::kAlerts));
  std::vector<Alert> previous;
  for (int32_t d : dates) {
    if (d >= date || date - d >= quiet_days) continue;
    ASSIGN_OR_RETURN(Json doc, data.LoadOutput(OutputKind::kAlerts, d));
    const std::string where = services::OutputKey(OutputKind::kAlerts, d);
    for (const Json& record : doc.value("alerts", Json::array())) {
      ASSIGN_OR_RETURN(Alert a, AlertFromJson(record, d, where));
      previous.push_back(std::move(a));
    }
  }
  return previous;
}

Status AddLocationAlerts(const JobInputs& in, const std::map<std::string, Terrain>& terrains,
                         const AlertOptions& o, std::vector<Alert>& out) {
  ASSIGN_OR_RETURN(const Column* tmax, in.today.GetColumn("temp_max_c"));
  ASSIGN_OR_RETURN(const Column* anomaly, in.today.GetColumn("temp_max_anomaly_c"));
  for (size_t i = 0; i < in.present.size(); ++i) {
    const std::string& loc = in.present[i];
    ASSIGN_OR_RETURN(DailySeries beds, SeriesOf(in, loc, "bed_occupancy"));
    if (auto a = BedOccupancyAlert(loc, beds, in.date, o)) out.push_back(std::move(*a));
    const auto r = static_cast<int64_t>(i);
    if (tmax->IsNull(r)) continue;
    auto terrain = terrains.find(loc);
    if (terrain == terrains.end()) {
      return Status::InvalidArgument(
          fmt::format("processed locations: location {} has no terrain", loc));
    }
    std::optional<double> departure;
    if (anomaly->IsValid(r)) departure = anomaly->Float64(r);
    if (auto a = HeatWaveAlert(loc, tmax->Float64(r), departure, terrain->second, in.date, o)) {
      out.push_back(std::move(*a));
    }
  }
  return Status::Ok();
}

Status AddOutbreakAlerts(const JobInputs& in, const std::vector<internal::ForecastRow>& rows,
                         double interval, const AlertOptions& o, std::vector<Alert>& out) {
  for (const auto& row : rows) {
    ASSIGN_OR_RETURN(DailySeries history, SeriesOf(in, row.location, row.disease + "_cases"));
    std::vector<ForecastDay> days;
    for (const ml::ForecastDay& d : row.days)
      days.push_back({d.date, d.expected, d.lower, d.upper});
    if (auto a = OutbreakAlert(row.location, row.disease, history, days, interval, in.date, o)) {
      out.push_back(std::move(*a));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<JobResult> RunAlerts(ObjectStore& store, const BucketNames& buckets,
                            const PredictOptions& options) {
  const AlertOptions& o = options.alerts;
  RETURN_IF_ERROR(ValidateAlertOptions(o));
  ModelCache& cache = options.cache != nullptr ? *options.cache : ModelCache::Default();
  DataService data(store, buckets);
  ASSIGN_OR_RETURN(JobInputs in,
                   internal::LoadJobInputs(data, options, internal::FeatureRows::kHistory));
  std::map<std::string, std::string> models;
  ASSIGN_OR_RETURN(auto risk, internal::ComputeRisk(store, buckets, cache, in, models));
  double interval = 0.8;
  int horizon = 14;
  ASSIGN_OR_RETURN(auto forecasts, internal::ComputeForecasts(store, buckets, cache, in, models,
                                                              &interval, &horizon));
  ASSIGN_OR_RETURN(auto terrains, LoadTerrains(data));
  std::vector<Alert> candidates;
  for (const auto& row : risk) {
    auto level = static_cast<Severity>(row.output.level);  // low..severe = 0..3
    if (auto a = RiskLevelAlert(row.location, row.disease, level, row.output.score, in.date, o)) {
      candidates.push_back(std::move(*a));
    }
  }
  RETURN_IF_ERROR(AddOutbreakAlerts(in, forecasts, interval, o, candidates));
  RETURN_IF_ERROR(AddLocationAlerts(in, terrains, o, candidates));
  ASSIGN_OR_RETURN(std::vector<Alert> previous, LoadPreviousAlerts(data, in.date, o.quiet_days));
  std::vector<Alert> kept = ApplyQuietPeriod(std::move(candidates), previous, in.date, o);
  Json records = Json::array();
  for (const Alert& a : kept) records.push_back(AlertToJson(a));
  SortDocumentRecords(records);
  const auto n = static_cast<int64_t>(records.size());
  return internal::SaveDocument(data, OutputKind::kAlerts, in, options, models,
                                Json{{"alerts", std::move(records)}}, n);
}

}  // namespace ch::jobs
