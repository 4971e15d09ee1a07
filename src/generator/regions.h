// The 36 states and union territories of India with the climate and health
// traits the generator's models use, and the synthetic districts built from them.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace ch::gen {

// Which months bring the rain.
enum class RainRegime {
  kSouthwest,         // June–September monsoon (most of India)
  kKerala,            // early, long southwest monsoon plus October–November showers
  kNortheastMonsoon,  // Tamil Nadu, Puducherry: October–December
  kNortheast,         // pre-monsoon showers from April, long monsoon (Assam, Meghalaya…)
  kWesternHimalaya,   // winter and spring western disturbances (J&K, Ladakh)
  kIslands,           // May–December (Andaman and Nicobar)
};

// How fine-particle pollution varies over the year.
enum class AirShed {
  kIndoGangetic,  // Punjab to Bihar: severe winter smog, crop-burning in Oct–Nov
  kNorthInland,   // central/north-west India: winter high, monsoon low
  kPeninsula,     // south and east: milder seasonality
  kClean,         // hills, the north-east and islands
};

// One state or union territory. Figures are approximate: centroid of the
// populated area, 2011-census population, typical elevation of where people
// live (used for the temperature lapse rate), long-term annual rainfall.
struct StateInfo {
  const char* code;  // ISO 3166-2:IN without "IN-"
  const char* name;
  double latitude;
  double longitude;
  int64_t population;
  double elevation_m;
  double extent_deg;  // half-width of the box synthetic districts scatter in
  RainRegime rain;
  double annual_rain_mm;
  double continentality;  // scales the seasonal temperature swing; coast < 1
  double humidity_base;   // relative humidity (%) of the dry season
  AirShed air;
  double pm25_base;      // µg/m³, annual typical level
  double dengue_factor;  // endemicity multipliers (1 = national typical)
  double malaria_factor;
  double beds_per_1000;
};

// All 36, ordered by code. Codes are unique.
std::span<const StateInfo> States();

// A location that gets one row per day in the climate, health and hospital
// files: a state (code "KA") or a synthetic district ("KA-017").
struct Location {
  std::string code;
  std::string name;  // may contain a comma, quotes or non-ASCII letters
  double latitude = 0;
  double longitude = 0;
  int64_t population = 0;
  double elevation_m = 0;
  int state_index = 0;  // into States()
  int district = 0;     // 0 for the state itself, 1..K for its districts
};

// The 36 states followed, within each state, by `districts_per_state`
// synthetic districts (0..999), all ordered by code. District coordinates are
// jittered within the state's extent, elevations around the state's, and the
// state's population is split among its districts (they sum to it; the state
// row keeps the whole, as a separate state-level reporting series). Some
// district names contain a comma, double quotes or Devanagari letters, so
// downstream CSV parsers are exercised. Depends only on the seed.
std::vector<Location> BuildLocations(int districts_per_state, uint64_t seed);

}  // namespace ch::gen
