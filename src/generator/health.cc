// The case and hospital models of health.h.
#include "generator/health.h"

#include <algorithm>
#include <cmath>

namespace ch::gen {
namespace {

// Reported cases by weekday (Monday first): fewer reports on Sunday, catch-up on Monday.
constexpr std::array<double, 7> kWeekdayReporting = {1.15, 1.03, 1.03, 1.03, 1.03, 1.03, 0.70};

enum Disease { kDengue, kMalaria, kHeat, kRespiratory, kDiarrhoea };

// A smooth suitability band: 1 at `best`, falling off over `width` °C.
double Band(double temp, double best, double width) {
  const double z = (temp - best) / width;
  return std::exp(-z * z);
}

}  // namespace

void LagWindow::Push(double value) {
  const double previous = count_ > 0 ? cumulative_[(count_ - 1) & (kRing - 1)] : 0.0;
  cumulative_[count_ & (kRing - 1)] = previous + value;
  ++count_;
}

double LagWindow::Mean(int near, int far) const {
  const int64_t last = count_ - 1;
  if (near > last) return 0;
  far = static_cast<int>(std::min<int64_t>(far, last));
  const double upper = cumulative_[(last - near) & (kRing - 1)];
  const int64_t below = last - far - 1;
  const double lower = below >= 0 ? cumulative_[below & (kRing - 1)] : 0.0;
  return (upper - lower) / (far - near + 1);
}

HealthModel::HealthModel(const Location& location, uint64_t seed)
    : per_100k_(static_cast<double>(location.population) / 1e5),
      dengue_factor_(States()[location.state_index].dengue_factor),
      malaria_factor_(States()[location.state_index].malaria_factor),
      rng_(Key(seed, HashString(location.code), 0x4ea)) {}

double HealthModel::Dengue() const {
  // Aedes breed in water left by rain and transmit best near 28 °C; cases
  // surface 2–6 weeks after the rain.
  const double rain = rain_.Mean(14, 42);
  const double wet = std::pow(rain / (rain + 6), 1.5);
  return 0.35 * dengue_factor_ * (0.02 + wet * Band(temp_.Mean(7, 35), 28, 5));
}

double HealthModel::Malaria() const {
  const double rain = rain_.Mean(14, 56);
  const double humid = 0.4 + humidity_.Mean(0, 13) / 100;
  return 0.12 * malaria_factor_ *
         (0.05 + rain / (rain + 5) * Band(temp_.Mean(7, 28), 26, 6) * humid);
}

HealthDay HealthModel::Step(const DayInfo& day, const ClimateDay& climate) {
  rain_.Push(climate.rainfall_mm);
  temp_.Push(climate.temp_mean_c);
  pm25_.Push(climate.pm25_ugm3);
  humidity_.Push(climate.humidity_pct);
  for (double& f : outbreak_) f = 0.98 * f + 0.04 * rng_.Normal();

  std::array<double, 5> rate;  // expected cases per 100,000 people
  rate[kDengue] = Dengue();
  rate[kMalaria] = Malaria();
  const double heat_excess = std::max(0.0, climate.temp_max_c - 40);
  rate[kHeat] = 0.0001 + 0.04 * std::pow(heat_excess, 1.3);
  rate[kRespiratory] =
      0.3 + 0.005 * pm25_.Mean(0, 3) + 0.03 * std::max(0.0, 18 - climate.temp_mean_c);
  rate[kDiarrhoea] = 0.4 + 0.05 * std::min(rain_.Mean(1, 7), 30.0) +
                     0.05 * std::max(0.0, climate.temp_mean_c - 24);

  std::array<int64_t, 5> cases;
  const double reporting = kWeekdayReporting[day.weekday] * per_100k_;
  for (int d = 0; d < 5; ++d) {
    const double outbreak = d == kHeat ? 0.5 * outbreak_[d] : outbreak_[d];
    cases[d] = rng_.Poisson(rate[d] * reporting * std::exp(outbreak));
  }
  return HealthDay{cases[kDengue], cases[kMalaria], cases[kHeat], cases[kRespiratory],
                   cases[kDiarrhoea]};
}

HospitalModel::HospitalModel(const Location& location, uint64_t seed, int start_year)
    : per_100k_(std::max(1e-3, static_cast<double>(location.population) / 1e5)),
      start_year_(start_year),
      rng_(Key(seed, HashString(location.code), 0x405)) {
  const StateInfo& state = States()[location.state_index];
  beds_base_ = std::max(2.0, static_cast<double>(location.population) * state.beds_per_1000 / 1000 *
                                 std::exp(0.2 * rng_.Normal()));
  hospitals_base_ = std::max(1.0, beds_base_ / (60 + 80 * rng_.Uniform()));
  icu_fraction_ = 0.04 + 0.04 * rng_.Uniform();
}

HospitalDay HospitalModel::Step(const DayInfo& day, const HealthDay& health) {
  const int years = day.year - start_year_;
  HospitalDay out;
  out.hospitals = std::llround(hospitals_base_ * std::pow(1.01, years));
  out.beds_total = std::max<int64_t>(2, std::llround(beds_base_ * std::pow(1.015, years)));
  out.icu_beds_total = std::llround(static_cast<double>(out.beds_total) * icu_fraction_);

  // Admissions weighted by how often each condition needs a bed.
  load_.Push((1.0 * health.dengue + 0.8 * health.malaria + 2.0 * health.heat_illness +
              0.15 * health.respiratory + 0.3 * health.diarrhoea) /
             per_100k_);
  severe_load_.Push(
      (health.dengue + health.malaria + 3.0 * health.heat_illness + 0.1 * health.respiratory) /
      per_100k_);
  occupancy_noise_ = 0.9 * occupancy_noise_ + 0.015 * rng_.Normal();
  icu_noise_ = 0.9 * icu_noise_ + 0.02 * rng_.Normal();
  const double ward = std::clamp(0.42 + 0.08 * 7 * load_.Mean(0, 6) + occupancy_noise_, 0.05, 1.0);
  const double icu = std::clamp(0.35 + 0.12 * 7 * severe_load_.Mean(0, 6) + icu_noise_, 0.0, 1.0);
  out.beds_occupied = std::llround(static_cast<double>(out.beds_total) * ward);
  out.icu_beds_occupied = std::llround(static_cast<double>(out.icu_beds_total) * icu);
  return out;
}

}  // namespace ch::gen
