// Daily weather and air quality for one location: seasonal climatology by
// latitude, elevation and rain regime, plus autocorrelated day-to-day noise.
#pragma once

#include <array>
#include <cstdint>

#include "generator/calendar.h"
#include "generator/regions.h"
#include "generator/rng.h"

namespace ch::gen {

// One day of raw climate values, unrounded.
struct ClimateDay {
  double temp_max_c = 0;
  double temp_min_c = 0;
  double temp_mean_c = 0;
  double humidity_pct = 0;  // 1–100
  double rainfall_mm = 0;   // >= 0; most days 0, a few heavy
  double wind_speed_kmh = 0;
  double pm25_ugm3 = 0;  // >= 1
};

// Simulates one location's weather day after day. The sequence depends only
// on (seed, location code) and the dates stepped through, never on other
// locations. Not thread-safe; one per location.
//
// The model: monthly climatologies interpolated to the day (temperature from
// latitude, continentality and a 6.5 °C/km lapse rate, monsoon cooling; rain
// by regime and annual total; humidity following the rain; PM2.5 by air shed),
// then an AR(1) temperature anomaly, a two-state Markov chain for wet days
// with a heavy-tailed amount (mixture of exponentials), rain washing out
// PM2.5, and per-year factors shared by all locations (monsoon strength per
// rain regime, a national temperature anomaly, a pollution factor per air shed).
class WeatherModel {
 public:
  WeatherModel(const Location& location, uint64_t seed);

  // The next day's values; call once per consecutive day.
  ClimateDay Step(const DayInfo& day);

 private:
  using Monthly = std::array<double, 12>;
  struct YearFactors {
    int year = -1;
    double monsoon = 1;  // multiplies rainfall
    double temp = 0;     // added to temperatures, °C
    double pm = 1;       // multiplies PM2.5
  };

  void BuildClimatology(const Location& location, const StateInfo& state);
  const YearFactors& FactorsFor(int year);
  double DailyRain(const DayInfo& day, double strength);

  static double At(const Monthly& table, const DayInfo& day) {
    return table[day.m0] * (1 - day.w) + table[day.m1] * day.w;
  }

  uint64_t seed_;
  uint64_t location_key_;
  RainRegime regime_;
  AirShed air_;
  double noise_scale_;
  Monthly temp_{}, dtr_{}, rain_{}, wet_prob_{}, humidity_{}, wind_{}, pm25_{};
  YearFactors year_;
  Rng rng_;
  double temp_noise_ = 0, humidity_noise_ = 0, wind_noise_ = 0, pm_noise_ = 0;
  bool wet_yesterday_ = false;
};

}  // namespace ch::gen
