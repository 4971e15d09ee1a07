// The alert rules: thresholds, probabilities and the quiet period (pure functions).
#include "jobs/predict/alert_rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>

#include "table/date.h"

namespace ch::jobs {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Status BadOption(std::string_view key, std::string_view why) {
  return Status::InvalidArgument(fmt::format("alerts.{}: {}", key, why));
}

Status CheckProbability(std::string_view key, double p) {
  if (!(p > 0 && p < 1)) return BadOption(key, fmt::format("{} is not in (0, 1)", p));
  return Status::Ok();
}

Status CheckOrdered(std::string_view lower_key, double lower, std::string_view upper_key,
                    double upper) {
  if (!(lower <= upper)) {
    return BadOption(upper_key, fmt::format("{} is below alerts.{} ({})", upper, lower_key, lower));
  }
  return Status::Ok();
}

Status ValidateOutbreak(const AlertOptions& o) {
  if (!(o.outbreak_k >= 0)) return BadOption("outbreak_k", "must be >= 0");
  if (o.outbreak_window_days < 0) return BadOption("outbreak_window_days", "must be >= 0");
  if (o.outbreak_min_samples < 2) return BadOption("outbreak_min_samples", "must be >= 2");
  if (!(o.outbreak_min_cases >= 0)) return BadOption("outbreak_min_cases", "must be >= 0");
  RETURN_IF_ERROR(CheckProbability("outbreak_probability", o.outbreak_probability));
  RETURN_IF_ERROR(CheckProbability("outbreak_high_probability", o.outbreak_high_probability));
  RETURN_IF_ERROR(CheckProbability("outbreak_severe_probability", o.outbreak_severe_probability));
  RETURN_IF_ERROR(CheckOrdered("outbreak_probability", o.outbreak_probability,
                               "outbreak_high_probability", o.outbreak_high_probability));
  return CheckOrdered("outbreak_high_probability", o.outbreak_high_probability,
                      "outbreak_severe_probability", o.outbreak_severe_probability);
}

Status ValidateBeds(const AlertOptions& o) {
  if (!(o.bed_occupancy_share > 0)) return BadOption("bed_occupancy_share", "must be > 0");
  RETURN_IF_ERROR(CheckOrdered("bed_occupancy_share", o.bed_occupancy_share, "bed_high_share",
                               o.bed_high_share));
  RETURN_IF_ERROR(
      CheckOrdered("bed_high_share", o.bed_high_share, "bed_severe_share", o.bed_severe_share));
  if (o.bed_projection_days < 0) return BadOption("bed_projection_days", "must be >= 0");
  if (o.bed_trend_days < 2) return BadOption("bed_trend_days", "must be >= 2");
  return Status::Ok();
}

Status ValidateHeat(const AlertOptions& o) {
  RETURN_IF_ERROR(CheckOrdered("heat_departure_c", o.heat_departure_c, "heat_severe_departure_c",
                               o.heat_severe_departure_c));
  return CheckOrdered("heat_absolute_c", o.heat_absolute_c, "heat_severe_absolute_c",
                      o.heat_severe_absolute_c);
}

std::string DiseaseLabel(std::string_view disease) {
  std::string label(disease);
  std::replace(label.begin(), label.end(), '_', ' ');
  return label;
}

// P(Z > z) for a standard normal Z.
double UpperTail(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }

}  // namespace

Result<Terrain> ParseTerrain(std::string_view text) {
  if (text == "plains") return Terrain::kPlains;
  if (text == "coastal") return Terrain::kCoastal;
  if (text == "hills") return Terrain::kHills;
  return Status::InvalidArgument(
      fmt::format("terrain '{}' is not one of plains, coastal, hills", text));
}

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kNone:
      return "none";
    case Severity::kModerate:
      return "moderate";
    case Severity::kHigh:
      return "high";
    case Severity::kSevere:
      return "severe";
  }
  return "none";
}

Result<Severity> ParseSeverity(std::string_view text) {
  for (Severity s : {Severity::kModerate, Severity::kHigh, Severity::kSevere}) {
    if (text == SeverityName(s)) return s;
  }
  return Status::InvalidArgument(
      fmt::format("severity '{}' is not one of moderate, high, severe", text));
}

std::string_view AlertKindName(AlertKind kind) {
  switch (kind) {
    case AlertKind::kRiskLevel:
      return "risk_level";
    case AlertKind::kOutbreakThreshold:
      return "outbreak_threshold";
    case AlertKind::kBedOccupancy:
      return "bed_occupancy";
    case AlertKind::kHeatWave:
      return "heat_wave";
  }
  return "risk_level";
}

Result<AlertKind> ParseAlertKind(std::string_view text) {
  for (AlertKind k : {AlertKind::kRiskLevel, AlertKind::kOutbreakThreshold,
                      AlertKind::kBedOccupancy, AlertKind::kHeatWave}) {
    if (text == AlertKindName(k)) return k;
  }
  return Status::InvalidArgument(fmt::format(
      "alert kind '{}' is not one of risk_level, outbreak_threshold, bed_occupancy, heat_wave",
      text));
}

Status SetAlertOption(std::string_view key, const std::variant<double, std::string>& value,
                      AlertOptions& o) {
  if (key == "risk_min_level") {
    const auto* text = std::get_if<std::string>(&value);
    if (text == nullptr) return BadOption("risk_min_level", "must be \"high\" or \"severe\"");
    ASSIGN_OR_RETURN(o.risk_min_level, ParseSeverity(*text));
    return Status::Ok();
  }
  struct Number {
    std::string_view name;
    double AlertOptions::*real = nullptr;
    int AlertOptions::*whole = nullptr;
  };
  static constexpr Number kNumbers[] = {
      {"outbreak_k", &AlertOptions::outbreak_k},
      {"outbreak_window_days", nullptr, &AlertOptions::outbreak_window_days},
      {"outbreak_min_samples", nullptr, &AlertOptions::outbreak_min_samples},
      {"outbreak_min_cases", &AlertOptions::outbreak_min_cases},
      {"outbreak_probability", &AlertOptions::outbreak_probability},
      {"outbreak_high_probability", &AlertOptions::outbreak_high_probability},
      {"outbreak_severe_probability", &AlertOptions::outbreak_severe_probability},
      {"bed_occupancy_share", &AlertOptions::bed_occupancy_share},
      {"bed_high_share", &AlertOptions::bed_high_share},
      {"bed_severe_share", &AlertOptions::bed_severe_share},
      {"bed_projection_days", nullptr, &AlertOptions::bed_projection_days},
      {"bed_trend_days", nullptr, &AlertOptions::bed_trend_days},
      {"heat_plains_min_c", &AlertOptions::heat_plains_min_c},
      {"heat_coastal_min_c", &AlertOptions::heat_coastal_min_c},
      {"heat_hills_min_c", &AlertOptions::heat_hills_min_c},
      {"heat_departure_c", &AlertOptions::heat_departure_c},
      {"heat_severe_departure_c", &AlertOptions::heat_severe_departure_c},
      {"heat_absolute_c", &AlertOptions::heat_absolute_c},
      {"heat_severe_absolute_c", &AlertOptions::heat_severe_absolute_c},
      {"quiet_days", nullptr, &AlertOptions::quiet_days},
  };
  for (const Number& n : kNumbers) {
    if (n.name != key) continue;
    const auto* number = std::get_if<double>(&value);
    if (number == nullptr) return BadOption(n.name, "must be a number");
    if (n.real != nullptr) {
      o.*n.real = *number;
      return Status::Ok();
    }
    if (*number != std::floor(*number) || std::abs(*number) > 1e9) {
      return BadOption(n.name, "must be a whole number");
    }
    o.*n.whole = static_cast<int>(*number);
    return Status::Ok();
  }
  return Status::InvalidArgument(fmt::format(
      "unknown key 'alerts.{}' (the keys are the fields of AlertOptions; see README \"Alerts\")",
      key));
}

Result<AlertOptions> AlertOptionsFromConfig(const Config& config, AlertOptions options) {
  for (const ConfigSetting& setting : config.alerts) {
    Status s = SetAlertOption(setting.key, setting.value, options);
    if (!s.ok()) return s.WithContext(setting.where);
  }
  Status valid = ValidateAlertOptions(options);
  if (!valid.ok() && !config.source.empty()) {
    return valid.WithContext("configuration " + config.source.string());
  }
  RETURN_IF_ERROR(valid);
  return options;
}

Status ValidateAlertOptions(const AlertOptions& o) {
  if (o.risk_min_level < Severity::kModerate) {
    return BadOption("risk_min_level", "must be moderate, high or severe");
  }
  RETURN_IF_ERROR(ValidateOutbreak(o));
  RETURN_IF_ERROR(ValidateBeds(o));
  RETURN_IF_ERROR(ValidateHeat(o));
  if (o.quiet_days < 0) return BadOption("quiet_days", "must be >= 0");
  return Status::Ok();
}

double DailySeries::At(int32_t date) const {
  int64_t i = static_cast<int64_t>(date) - first_date;
  if (i < 0 || i >= static_cast<int64_t>(values.size())) return kNaN;
  return values[static_cast<size_t>(i)];
}

std::optional<Alert> RiskLevelAlert(std::string_view location, std::string_view disease,
                                    Severity level, double risk_score, int32_t date,
                                    const AlertOptions& options) {
  if (level < options.risk_min_level || level == Severity::kNone) return std::nullopt;
  Alert a{std::string(location), std::string(disease), AlertKind::kRiskLevel, level};
  a.message = fmt::format("{} risk at {} is {} (risk score {:.2f})", DiseaseLabel(disease),
                          location, SeverityName(level), risk_score);
  a.value = risk_score;
  a.date = date;
  a.first_raised = date;
  return a;
}

std::optional<double> SeasonalThreshold(const DailySeries& history, int32_t target,
                                        const AlertOptions& options) {
  double sum = 0, sum_sq = 0;
  int64_t n = 0;
  for (int year = 1;; ++year) {
    auto center = static_cast<int32_t>(target - std::lround(365.25 * year));
    if (center + options.outbreak_window_days < history.first_date) break;
    for (int d = -options.outbreak_window_days; d <= options.outbreak_window_days; ++d) {
      double v = history.At(center + d);
      if (std::isnan(v)) continue;
      sum += v;
      sum_sq += v * v;
      ++n;
    }
  }
  if (n < options.outbreak_min_samples || n < 2) return std::nullopt;
  double mean = sum / static_cast<double>(n);
  double var = (sum_sq - static_cast<double>(n) * mean * mean) / static_cast<double>(n - 1);
  return std::max(options.outbreak_min_cases,
                  mean + options.outbreak_k * std::sqrt(std::max(0.0, var)));
}

double NormalQuantile(double p) {
  // Bisection on the upper tail: 200 halvings of [-40, 40] reach double precision.
  double lo = -40, hi = 40;
  for (int i = 0; i < 200 && hi - lo > 1e-15; ++i) {
    double mid = 0.5 * (lo + hi);
    if (1.0 - UpperTail(mid) < p) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return 0.5 * (lo + hi);
}

double ExceedanceProbability(double expected, double lower, double upper, double interval,
                             double threshold) {
  double z = NormalQuantile(0.5 + interval / 2);
  double sigma = (upper - lower) / (2 * z);
  if (!(sigma > 0)) return expected > threshold ? 1.0 : 0.0;
  return UpperTail((threshold - expected) / sigma);
}

Severity OutbreakSeverity(double probability, const AlertOptions& o) {
  if (probability >= o.outbreak_severe_probability) return Severity::kSevere;
  if (probability >= o.outbreak_high_probability) return Severity::kHigh;
  if (probability > o.outbreak_probability) return Severity::kModerate;
  return Severity::kNone;
}

std::optional<Alert> OutbreakAlert(std::string_view location, std::string_view disease,
                                   const DailySeries& case_history,
                                   const std::vector<ForecastDay>& forecast, double interval,
                                   int32_t date, const AlertOptions& options) {
  double best_p = -1, best_threshold = 0;
  const ForecastDay* best_day = nullptr;
  for (const ForecastDay& day : forecast) {
    std::optional<double> threshold = SeasonalThreshold(case_history, day.date, options);
    if (!threshold) continue;
    double p = ExceedanceProbability(day.expected, day.lower, day.upper, interval, *threshold);
    if (p > best_p) {
      best_p = p;
      best_threshold = *threshold;
      best_day = &day;
    }
  }
  if (best_day == nullptr) return std::nullopt;
  Severity severity = OutbreakSeverity(best_p, options);
  if (severity == Severity::kNone) return std::nullopt;
  Alert a{std::string(location), std::string(disease), AlertKind::kOutbreakThreshold, severity};
  a.message = fmt::format(
      "{} cases at {} forecast to exceed the outbreak threshold of {:.1f}/day on {} "
      "(expected {:.1f}) with probability {:.2f} (alert level {:.2f})",
      DiseaseLabel(disease), location, best_threshold, FormatIsoDate(best_day->date),
      best_day->expected, best_p, options.outbreak_probability);
  a.value = best_p;
  a.threshold = options.outbreak_probability;
  a.date = date;
  a.first_raised = date;
  return a;
}

std::optional<double> ProjectBedOccupancy(const DailySeries& occupancy, int32_t date,
                                          const AlertOptions& options) {
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  int n = 0;
  for (int d = options.bed_trend_days - 1; d >= 0; --d) {
    double y = occupancy.At(date - d);
    if (std::isnan(y)) continue;
    double x = -d;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
    ++n;
  }
  if (n < 2) return std::nullopt;
  double denom = n * sxx - sx * sx;
  double slope = denom > 0 ? (n * sxy - sx * sy) / denom : 0.0;
  double intercept = (sy - slope * sx) / n;  // value of the line at x = 0 (`date`)
  return std::max(0.0, intercept + slope * options.bed_projection_days);
}

Severity BedSeverity(double share, const AlertOptions& o) {
  if (share > o.bed_severe_share) return Severity::kSevere;
  if (share > o.bed_high_share) return Severity::kHigh;
  if (share > o.bed_occupancy_share) return Severity::kModerate;
  return Severity::kNone;
}

std::optional<Alert> BedOccupancyAlert(std::string_view location, const DailySeries& occupancy,
                                       int32_t date, const AlertOptions& options) {
  std::optional<double> projected = ProjectBedOccupancy(occupancy, date, options);
  if (!projected) return std::nullopt;
  Severity severity = BedSeverity(*projected, options);
  if (severity == Severity::kNone) return std::nullopt;
  Alert a{std::string(location), "", AlertKind::kBedOccupancy, severity};
  a.message =
      fmt::format("bed occupancy at {} projected to reach {:.0f}% by {} (threshold {:.0f}%)",
                  location, *projected * 100, FormatIsoDate(date + options.bed_projection_days),
                  options.bed_occupancy_share * 100);
  a.value = *projected;
  a.threshold = options.bed_occupancy_share;
  a.date = date;
  a.first_raised = date;
  return a;
}

Severity ClassifyHeatWave(double temp_max_c, std::optional<double> departure_c, Terrain terrain,
                          const AlertOptions& o) {
  Severity by_absolute = Severity::kNone;
  if (temp_max_c >= o.heat_severe_absolute_c) {
    by_absolute = Severity::kSevere;
  } else if (temp_max_c >= o.heat_absolute_c) {
    by_absolute = Severity::kHigh;
  }
  double minimum = terrain == Terrain::kHills     ? o.heat_hills_min_c
                   : terrain == Terrain::kCoastal ? o.heat_coastal_min_c
                                                  : o.heat_plains_min_c;
  Severity by_departure = Severity::kNone;
  if (departure_c && !std::isnan(*departure_c) && temp_max_c >= minimum) {
    if (*departure_c > o.heat_severe_departure_c) {
      by_departure = Severity::kSevere;
    } else if (*departure_c >= o.heat_departure_c) {
      by_departure = Severity::kHigh;
    }
  }
  return std::max(by_absolute, by_departure);
}

std::optional<Alert> HeatWaveAlert(std::string_view location, double temp_max_c,
                                   std::optional<double> departure_c, Terrain terrain, int32_t date,
                                   const AlertOptions& options) {
  Severity severity = ClassifyHeatWave(temp_max_c, departure_c, terrain, options);
  if (severity == Severity::kNone) return std::nullopt;
  Alert a{std::string(location), "", AlertKind::kHeatWave, severity};
  bool by_absolute = temp_max_c >= options.heat_absolute_c;
  std::string departure =
      departure_c ? fmt::format("{:+.1f} °C from normal", *departure_c) : "normal unknown";
  a.message = fmt::format("{} at {}: maximum temperature {:.1f} °C ({})",
                          severity == Severity::kSevere ? "severe heat wave" : "heat wave",
                          location, temp_max_c, departure);
  a.value = temp_max_c;
  double minimum = terrain == Terrain::kHills     ? options.heat_hills_min_c
                   : terrain == Terrain::kCoastal ? options.heat_coastal_min_c
                                                  : options.heat_plains_min_c;
  a.threshold = by_absolute ? options.heat_absolute_c : minimum;
  a.date = date;
  a.first_raised = date;
  return a;
}

std::vector<Alert> ApplyQuietPeriod(std::vector<Alert> candidates,
                                    const std::vector<Alert>& previous, int32_t date,
                                    const AlertOptions& options) {
  using Key = std::tuple<std::string, std::string, AlertKind>;
  struct Last {
    int32_t date;
    Severity max_severity;
    int32_t first_raised;
  };
  std::map<Key, Last> recent;
  for (const Alert& p : previous) {
    if (p.date >= date || date - p.date >= options.quiet_days) continue;
    Key key{p.location_code, p.disease, p.kind};
    auto [it, inserted] = recent.try_emplace(key, Last{p.date, p.severity, p.first_raised});
    if (inserted) continue;
    it->second.max_severity = std::max(it->second.max_severity, p.severity);
    if (p.date > it->second.date) {
      it->second.date = p.date;
      it->second.first_raised = p.first_raised;
    }
  }
  std::vector<Alert> kept;
  for (Alert& a : candidates) {
    auto it = recent.find(Key{a.location_code, a.disease, a.kind});
    if (it == recent.end()) {
      a.first_raised = date;
    } else if (a.severity > it->second.max_severity) {
      a.first_raised = it->second.first_raised;
    } else {
      continue;
    }
    kept.push_back(std::move(a));
  }
  return kept;
}

}  // namespace ch::jobs
