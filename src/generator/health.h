// Daily case counts and hospital load for one location, driven by its weather.
#pragma once

#include <array>
#include <cstdint>

#include "generator/calendar.h"
#include "generator/regions.h"
#include "generator/rng.h"
#include "generator/weather.h"

namespace ch::gen {

struct HealthDay {
  int64_t dengue = 0;
  int64_t malaria = 0;
  int64_t heat_illness = 0;
  int64_t respiratory = 0;
  int64_t diarrhoea = 0;
};

struct HospitalDay {
  int64_t hospitals = 0;
  int64_t beds_total = 0;
  int64_t beds_occupied = 0;  // <= beds_total
  int64_t icu_beds_total = 0;
  int64_t icu_beds_occupied = 0;  // <= icu_beds_total
};

// Running sums of one daily series, for means over lag windows up to
// kMaxLag days back. Before enough days have been pushed, a window covers
// the days there are.
class LagWindow {
 public:
  static constexpr int kMaxLag = 120;

  void Push(double value);
  // Mean of the values pushed `near` to `far` days ago (0 = the last push);
  // 0 <= near <= far <= kMaxLag.
  double Mean(int near, int far) const;

 private:
  static constexpr int kRing = 128;  // > kMaxLag + 1, a power of two
  std::array<double, kRing> cumulative_{};
  int64_t count_ = 0;
};

// Simulates reported cases of five climate-sensitive conditions. Expected
// counts per 100,000 people (then Poisson draws, a weekly reporting cycle and
// a slow AR(1) outbreak factor per disease):
// - dengue: rain 2–6 weeks earlier (saturating), times a temperature band
//   around 28 °C over the previous 1–5 weeks;
// - malaria: rain 2–8 weeks earlier, a band around 26 °C, humidity;
// - heat illness: only above 40 °C temp_max (rising with the excess);
// - respiratory: PM2.5 over the last 4 days, and cold;
// - diarrhoea: rain over the last week, and heat.
// Depends only on (seed, location code) and the weather it is fed.
// Not thread-safe; one per location.
class HealthModel {
 public:
  HealthModel(const Location& location, uint64_t seed);
  // Call once per consecutive day, with that day's weather.
  HealthDay Step(const DayInfo& day, const ClimateDay& climate);

 private:
  double Dengue() const;
  double Malaria() const;

  double per_100k_;
  double dengue_factor_;
  double malaria_factor_;
  Rng rng_;
  std::array<double, 5> outbreak_{};  // log-scale AR(1) factor per disease
  LagWindow rain_, temp_, pm25_, humidity_;
};

// Hospitals, beds and ICU beds (per-state beds per 1,000 people, growing
// ~1.5 %/year) and their occupancy: a base level plus the weighted cases of the
// last seven days per 100,000 people, with AR(1) noise, clamped to capacity.
// Not thread-safe; one per location.
class HospitalModel {
 public:
  HospitalModel(const Location& location, uint64_t seed, int start_year);
  HospitalDay Step(const DayInfo& day, const HealthDay& health);

 private:
  double per_100k_;
  double beds_base_;
  double hospitals_base_;
  double icu_fraction_;
  int start_year_;
  Rng rng_;
  LagWindow load_, severe_load_;
  double occupancy_noise_ = 0, icu_noise_ = 0;
};

}  // namespace ch::gen
