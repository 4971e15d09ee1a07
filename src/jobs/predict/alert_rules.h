// The alert rules of the prediction job as pure functions: risk level,
// outbreak threshold (CHAP/EWARS), projected bed occupancy, IMD heat waves,
// and the quiet period that keeps an alert from being re-raised every day.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/config.h"
#include "core/status.h"

namespace ch::jobs {

// Terrain class of a location (processed locations column `terrain`).
enum class Terrain { kPlains, kCoastal, kHills };
// "plains" | "coastal" | "hills"; InvalidArgument naming the value otherwise.
Result<Terrain> ParseTerrain(std::string_view text);

// Severity of an alert; kNone means "no alert". Ordered: a larger value escalates.
enum class Severity { kNone = 0, kModerate = 1, kHigh = 2, kSevere = 3 };
std::string_view SeverityName(Severity severity);  // "none", "moderate", ...
Result<Severity> ParseSeverity(std::string_view text);

enum class AlertKind { kRiskLevel, kOutbreakThreshold, kBedOccupancy, kHeatWave };
std::string_view AlertKindName(AlertKind kind);  // "risk_level", "outbreak_threshold", ...
Result<AlertKind> ParseAlertKind(std::string_view text);

// Every threshold of the alert rules. Defaults are the documented ones (README
// "Alerts"); the configuration keys are `alerts.<field name>`.
struct AlertOptions {
  // risk_level: raised when the predicted level is at least this ("high" or "severe").
  Severity risk_min_level = Severity::kHigh;

  // outbreak_threshold: threshold = mean + k * SD of the daily cases on the days within
  // ±window_days of the same day of year in every earlier year of the location's history.
  double outbreak_k = 2.0;
  int outbreak_window_days = 7;
  int outbreak_min_samples = 7;  // fewer past samples: no threshold, no alert
  // The threshold is never below this many cases a day: where the season's
  // baseline is all zeros (heat illness in winter), a fraction of a case is
  // not an outbreak.
  double outbreak_min_cases = 1.0;
  // Raised when P(cases > threshold) on some forecast day exceeds this; high / severe
  // from the other two levels on.
  double outbreak_probability = 0.5;
  double outbreak_high_probability = 0.8;
  double outbreak_severe_probability = 0.95;

  // bed_occupancy: occupancy projected bed_projection_days ahead by a least-squares
  // line through the last bed_trend_days days; raised above bed_occupancy_share.
  double bed_occupancy_share = 0.85;
  double bed_high_share = 0.90;
  double bed_severe_share = 0.95;
  int bed_projection_days = 7;
  int bed_trend_days = 14;

  // heat_wave (India Meteorological Department): temp_max at least the terrain's
  // minimum AND departure from normal in [heat_departure_c, heat_severe_departure_c]
  // = heat wave, above = severe; OR temp_max >= heat_absolute_c = heat wave,
  // >= heat_severe_absolute_c = severe. A heat wave is severity "high".
  double heat_plains_min_c = 40.0;
  double heat_coastal_min_c = 37.0;
  double heat_hills_min_c = 30.0;
  double heat_departure_c = 4.5;
  double heat_severe_departure_c = 6.4;
  double heat_absolute_c = 45.0;
  double heat_severe_absolute_c = 47.0;

  // The same (location, disease, kind) is not raised again within this many days
  // of its last raise unless its severity is higher than then.
  int quiet_days = 7;
};

// InvalidArgument naming the offending key (`alerts.<field>`) when a value is out
// of range or the levels are not ordered.
Status ValidateAlertOptions(const AlertOptions& options);

// Sets the AlertOptions field named `key` (configuration `alerts.<key>`):
// numbers for the thresholds, "moderate" / "high" / "severe" for
// risk_min_level. InvalidArgument for an unknown key, a wrong type or a
// fractional value of a whole-number field. Call ValidateAlertOptions after.
Status SetAlertOption(std::string_view key, const std::variant<double, std::string>& value,
                      AlertOptions& options);
// The [alerts] table of the configuration applied over `options` (the
// defaults), then validated. Errors name the file, line and key.
Result<AlertOptions> AlertOptionsFromConfig(const Config& config, AlertOptions options = {});

struct Alert {
  std::string location_code;
  std::string disease;  // empty for heat_wave and bed_occupancy
  AlertKind kind = AlertKind::kRiskLevel;
  Severity severity = Severity::kNone;
  std::string message;
  double value = 0;
  std::optional<double> threshold;  // null for risk_level (the level itself crossed)
  int32_t date = 0;                 // days since epoch: the run date
  int32_t first_raised = 0;         // date this alert's episode was first raised
};

// A daily series starting at `first_date`; NaN marks a missing day.
struct DailySeries {
  int32_t first_date = 0;
  std::vector<double> values;
  // The value on `date`, or NaN outside the series.
  double At(int32_t date) const;
};

// --- risk level ---
// An alert when `level` >= options.risk_min_level; value = risk_score.
std::optional<Alert> RiskLevelAlert(std::string_view location, std::string_view disease,
                                    Severity level, double risk_score, int32_t date,
                                    const AlertOptions& options);

// --- outbreak threshold ---
// mean + k * SD (sample SD) of the history's values on the days within ±window of
// `target`'s day of year in each earlier year (target − round(365.25 n), n = 1, 2, …,
// while inside the series). nullopt when fewer than outbreak_min_samples.
std::optional<double> SeasonalThreshold(const DailySeries& history, int32_t target,
                                        const AlertOptions& options);
// P(X > threshold) for X ~ Normal(expected, sigma) with sigma from the central
// `interval` (e.g. 0.8) prediction interval [lower, upper]. A zero-width interval
// gives 0 or 1.
double ExceedanceProbability(double expected, double lower, double upper, double interval,
                             double threshold);
// The standard normal quantile (inverse CDF), p in (0, 1).
double NormalQuantile(double p);
Severity OutbreakSeverity(double probability, const AlertOptions& options);

// One forecast day of one (location, disease).
struct ForecastDay {
  int32_t date = 0;
  double expected = 0, lower = 0, upper = 0;
};
// Evaluates every forecast day against its seasonal threshold and returns an alert
// for the day with the highest exceedance probability, if that crosses the level.
std::optional<Alert> OutbreakAlert(std::string_view location, std::string_view disease,
                                   const DailySeries& case_history,
                                   const std::vector<ForecastDay>& forecast, double interval,
                                   int32_t date, const AlertOptions& options);

// --- bed occupancy ---
// Occupancy projected options.bed_projection_days after `date` from the least-squares
// line through the last options.bed_trend_days days up to `date` (missing days
// skipped); nullopt when fewer than 2 points. Never below 0.
std::optional<double> ProjectBedOccupancy(const DailySeries& occupancy, int32_t date,
                                          const AlertOptions& options);
Severity BedSeverity(double projected_share, const AlertOptions& options);
std::optional<Alert> BedOccupancyAlert(std::string_view location, const DailySeries& occupancy,
                                       int32_t date, const AlertOptions& options);

// --- heat wave (IMD) ---
// kNone, kHigh (heat wave) or kSevere (severe heat wave). `departure_c` (temp_max
// minus the normal for the day) may be absent: then only the absolute rule applies.
Severity ClassifyHeatWave(double temp_max_c, std::optional<double> departure_c, Terrain terrain,
                          const AlertOptions& options);
std::optional<Alert> HeatWaveAlert(std::string_view location, double temp_max_c,
                                   std::optional<double> departure_c, Terrain terrain, int32_t date,
                                   const AlertOptions& options);

// --- quiet period ---
// Drops candidates whose (location, disease, kind) was raised in `previous` (alerts of
// earlier runs, any order) less than quiet_days before `date` at the same or a higher
// severity; sets first_raised from the latest such earlier alert (its first_raised)
// for the ones kept, else to `date`. Previous alerts dated on or after `date` are ignored.
std::vector<Alert> ApplyQuietPeriod(std::vector<Alert> candidates,
                                    const std::vector<Alert>& previous, int32_t date,
                                    const AlertOptions& options);

}  // namespace ch::jobs
