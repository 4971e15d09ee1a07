// The weather model of weather.h.
#include "generator/weather.h"

#include <algorithm>
#include <cmath>

namespace ch::gen {
namespace {

using Monthly = std::array<double, 12>;

// Share of the annual rain falling in each month, by regime (normalised on use).
const Monthly& RainShares(RainRegime regime) {
  static const Monthly kSouthwest = {0.01, 0.01, 0.01, 0.02, 0.03, 0.14,
                                     0.28, 0.26, 0.15, 0.05, 0.02, 0.01};
  static const Monthly kKerala = {0.01, 0.01, 0.02, 0.05, 0.09, 0.22,
                                  0.22, 0.14, 0.08, 0.10, 0.05, 0.01};
  static const Monthly kNortheastMonsoon = {0.03, 0.01, 0.01, 0.03, 0.05, 0.05,
                                            0.07, 0.10, 0.11, 0.18, 0.23, 0.13};
  static const Monthly kNortheast = {0.01, 0.02, 0.05, 0.09, 0.13, 0.19,
                                     0.19, 0.15, 0.11, 0.05, 0.01, 0.01};
  static const Monthly kWesternHimalaya = {0.10, 0.12, 0.14, 0.10, 0.06, 0.05,
                                           0.10, 0.10, 0.06, 0.03, 0.04, 0.10};
  static const Monthly kIslands = {0.03, 0.01, 0.01, 0.03, 0.12, 0.16,
                                   0.13, 0.14, 0.15, 0.12, 0.07, 0.03};
  switch (regime) {
    case RainRegime::kSouthwest:
      return kSouthwest;
    case RainRegime::kKerala:
      return kKerala;
    case RainRegime::kNortheastMonsoon:
      return kNortheastMonsoon;
    case RainRegime::kNortheast:
      return kNortheast;
    case RainRegime::kWesternHimalaya:
      return kWesternHimalaya;
    case RainRegime::kIslands:
      return kIslands;
  }
  return kSouthwest;
}

// PM2.5 relative to the annual base, by air shed: the Indo-Gangetic plain's
// winter inversion and Oct–Nov crop burning, monsoon washout everywhere.
const Monthly& PmProfile(AirShed air) {
  static const Monthly kIndoGangetic = {2.0, 1.5,  1.1, 0.95, 0.9, 0.65,
                                        0.4, 0.38, 0.5, 1.3,  2.4, 2.3};
  static const Monthly kNorthInland = {1.6,  1.3,  1.1, 1.0, 0.95, 0.7,
                                       0.45, 0.45, 0.6, 1.1, 1.6,  1.7};
  static const Monthly kPeninsula = {1.4,  1.3,  1.15, 1.0, 0.85, 0.65,
                                     0.55, 0.55, 0.65, 0.9, 1.2,  1.4};
  static const Monthly kClean = {1.3, 1.3, 1.2, 1.1, 0.9, 0.7, 0.6, 0.6, 0.7, 0.9, 1.1, 1.2};
  switch (air) {
    case AirShed::kIndoGangetic:
      return kIndoGangetic;
    case AirShed::kNorthInland:
      return kNorthInland;
    case AirShed::kPeninsula:
      return kPeninsula;
    case AirShed::kClean:
      return kClean;
  }
  return kClean;
}

// Seasonal temperature shape (-1 coldest … 1 hottest): India peaks in May
// before the monsoon; the western Himalaya, outside the monsoon, in July.
const Monthly& TempShape(RainRegime regime) {
  static const Monthly kMonsoonal = {-1.0, -0.75, -0.2, 0.45, 0.85,  0.9,
                                     0.7,  0.6,   0.5,  0.1,  -0.45, -0.85};
  static const Monthly kHimalayan = {-1.0, -0.85, -0.45, 0.0, 0.4,   0.8,
                                     1.0,  0.95,  0.6,   0.1, -0.45, -0.85};
  return regime == RainRegime::kWesternHimalaya ? kHimalayan : kMonsoonal;
}

constexpr Monthly kWindProfile = {0.8, 0.85, 0.95, 1.1, 1.25, 1.35, 1.3, 1.2, 1.0, 0.8, 0.75, 0.75};
constexpr double kLapseRatePerM = 0.0065;
constexpr double kWetPersistence = 0.45;  // extra chance a wet day follows a wet day

}  // namespace

WeatherModel::WeatherModel(const Location& location, uint64_t seed)
    : seed_(seed),
      location_key_(HashString(location.code)),
      rng_(Key(seed, HashString(location.code), 0xc11)) {
  const StateInfo& state = States()[location.state_index];
  regime_ = state.rain;
  air_ = state.air;
  noise_scale_ = 0.5 + 0.5 * state.continentality;
  BuildClimatology(location, state);
}

void WeatherModel::BuildClimatology(const Location& location, const StateInfo& state) {
  // Districts differ from their state a little in rain and pollution.
  Rng local(Key(seed_, location_key_, 0x10c));
  const double rain_factor = location.district > 0 ? std::exp(0.2 * local.Normal()) : 1.0;
  const double pm_factor = location.district > 0 ? std::exp(0.25 * local.Normal()) : 1.0;
  const Monthly& shares = RainShares(state.rain);
  double share_sum = 0;
  for (double s : shares) share_sum += s;
  const double lat = location.latitude;
  const double annual_temp =
      28.6 - 0.13 * std::max(0.0, lat - 12) - kLapseRatePerM * location.elevation_m;
  const double amplitude = 0.55 * std::max(2.0, lat - 8) * state.continentality;
  const double wind_base = 8 + 6 * (1 - state.continentality);
  for (int m = 0; m < 12; ++m) {
    const double month_mm = state.annual_rain_mm * rain_factor * shares[m] / share_sum;
    const double wetness = std::min(1.0, month_mm / 300);
    rain_[m] = month_mm / 30.44;
    wet_prob_[m] = std::clamp(0.03 + 0.8 * month_mm / (month_mm + 120), 0.02, 0.9);
    humidity_[m] = state.humidity_base + (88 - state.humidity_base) * wetness;
    temp_[m] = annual_temp + amplitude * TempShape(state.rain)[m] - 2.0 * wetness;
    dtr_[m] = 5 + 12 * (1 - humidity_[m] / 100) * std::sqrt(state.continentality);
    wind_[m] = wind_base * kWindProfile[m];
    pm25_[m] = state.pm25_base * pm_factor * PmProfile(state.air)[m];
  }
}

const WeatherModel::YearFactors& WeatherModel::FactorsFor(int year) {
  if (year_.year == year) return year_;
  const uint64_t y = static_cast<uint64_t>(year);
  year_.year = year;
  year_.monsoon = std::exp(0.2 * KeyedNormal(Key(seed_, 0x3a1, y, static_cast<uint64_t>(regime_))) +
                           0.08 * KeyedNormal(Key(seed_, location_key_, y, 0x3a2)));
  year_.temp = 0.5 * KeyedNormal(Key(seed_, 0x7e1, y)) +
               0.3 * KeyedNormal(Key(seed_, location_key_, y, 0x7e2));
  year_.pm = std::exp(0.12 * KeyedNormal(Key(seed_, 0x9a1, y, static_cast<uint64_t>(air_))));
  return year_;
}

double WeatherModel::DailyRain(const DayInfo& day, double strength) {
  const double p = std::min(0.95, At(wet_prob_, day) * std::sqrt(strength));
  const double p_today = wet_yesterday_ ? p + kWetPersistence * (1 - p) : p * (1 - kWetPersistence);
  wet_yesterday_ = rng_.Uniform() < p_today;
  if (!wet_yesterday_) return 0;
  // Mean amount on a wet day keeps the monthly total; one wet day in ten
  // draws from a 3.5x heavier exponential, giving the long tail.
  const double mean_wet = At(rain_, day) * strength / p;
  const double scale = rng_.Uniform() < 0.9 ? 0.8 : 2.8;
  return mean_wet * scale * rng_.Exponential();
}

ClimateDay WeatherModel::Step(const DayInfo& day) {
  const YearFactors& year = FactorsFor(day.year);
  ClimateDay out;
  out.rainfall_mm = DailyRain(day, year.monsoon);
  const bool wet = out.rainfall_mm > 0;

  temp_noise_ = 0.8 * temp_noise_ + 1.0 * noise_scale_ * rng_.Normal();
  const double rain_cooling = std::min(3.0, 0.08 * out.rainfall_mm);
  out.temp_mean_c = At(temp_, day) + year.temp + temp_noise_ - rain_cooling;
  const double dtr = std::max(1.0, At(dtr_, day) * (wet ? 0.7 : 1.0) * (1 + 0.08 * rng_.Normal()));
  out.temp_max_c = out.temp_mean_c + 0.5 * dtr;
  out.temp_min_c = out.temp_mean_c - 0.5 * dtr;

  humidity_noise_ = 0.7 * humidity_noise_ + 4 * rng_.Normal();
  out.humidity_pct = std::clamp(
      At(humidity_, day) + humidity_noise_ + (wet ? 6 : 0) - 0.8 * temp_noise_, 3.0, 100.0);

  wind_noise_ = 0.6 * wind_noise_ + 0.25 * rng_.Normal();
  out.wind_speed_kmh = At(wind_, day) * std::exp(wind_noise_) * (out.rainfall_mm > 20 ? 1.3 : 1);

  pm_noise_ = 0.75 * pm_noise_ + 0.2 * rng_.Normal();
  const double washout = out.rainfall_mm > 2 ? 0.7 : 1.0;
  out.pm25_ugm3 =
      std::max(1.0, At(pm25_, day) * year.pm * std::exp(pm_noise_ - 0.5 * wind_noise_) * washout);
  return out;
}

}  // namespace ch::gen
