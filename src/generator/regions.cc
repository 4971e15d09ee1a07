// The state table and the synthetic districts derived from it.
#include "generator/regions.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "generator/rng.h"

namespace ch::gen {
namespace {

using R = RainRegime;
using A = AirShed;

// ISO 3166-2:IN as of the ISO newsletter of 2023-11-23 (OR→OD in 2019; CT→CG,
// TG→TS, UT→UK in 2023; DD+DN→DH in 2020; LA added 2019). Populations: census
// 2011 (JK and LA split by their districts; DH is DN+DD). Coordinates are the
// approximate centroid of where people live, not of the territory.
// clang-format off
constexpr std::array<StateInfo, 36> kStates = {{
  // code name                                    lat    lon    population elev  ext  rain regime            rain  cont  rh  air shed         pm25 deng  mal  beds
  {"AN", "Andaman and Nicobar Islands",            11.67, 92.74,    380581,   30, 1.0, R::kIslands,          3000, 0.30, 72, A::kClean,        18, 1.0, 1.5, 2.0},
  {"AP", "Andhra Pradesh",                         15.91, 79.74,  49577103,  250, 2.0, R::kSouthwest,         950, 0.80, 50, A::kPeninsula,    40, 1.0, 0.6, 1.0},
  {"AR", "Arunachal Pradesh",                      27.60, 94.20,   1383727,  900, 1.5, R::kNortheast,        2800, 0.70, 62, A::kClean,        18, 0.5, 1.8, 1.5},
  {"AS", "Assam",                                  26.20, 92.94,  31205576,   80, 1.5, R::kNortheast,        2600, 0.65, 65, A::kClean,        35, 0.8, 2.0, 0.7},
  {"BR", "Bihar",                                  25.60, 85.60, 104099452,   60, 1.5, R::kSouthwest,        1100, 1.00, 45, A::kIndoGangetic, 85, 1.0, 0.6, 0.3},
  {"CG", "Chhattisgarh",                           21.30, 81.90,  25545198,  300, 1.8, R::kSouthwest,        1300, 0.95, 40, A::kNorthInland,  50, 0.7, 3.0, 0.8},
  {"CH", "Chandigarh",                             30.73, 76.78,   1055450,  350, 0.05, R::kSouthwest,       1100, 1.00, 40, A::kIndoGangetic, 70, 1.2, 0.2, 3.5},
  {"DH", "Dadra and Nagar Haveli and Daman and Diu", 20.40, 72.95,  586956,   30, 0.25, R::kSouthwest,       2200, 0.55, 55, A::kPeninsula,    40, 1.0, 1.0, 1.2},
  {"DL", "Delhi",                                  28.65, 77.22,  16787941,  215, 0.15, R::kSouthwest,        750, 1.00, 30, A::kIndoGangetic, 100, 2.0, 0.2, 2.7},
  {"GA", "Goa",                                    15.40, 74.00,   1458545,   50, 0.3, R::kSouthwest,        3000, 0.55, 65, A::kPeninsula,    30, 1.5, 0.4, 2.5},
  {"GJ", "Gujarat",                                22.70, 71.60,  60439692,  120, 2.0, R::kSouthwest,         800, 0.85, 40, A::kNorthInland,  60, 1.2, 0.8, 1.0},
  {"HP", "Himachal Pradesh",                       31.90, 77.10,   6864602, 1400, 1.0, R::kSouthwest,        1250, 0.90, 50, A::kClean,        30, 0.4, 0.2, 1.8},
  {"HR", "Haryana",                                29.20, 76.30,  25351462,  220, 1.0, R::kSouthwest,         600, 1.00, 35, A::kIndoGangetic, 85, 1.3, 0.3, 1.0},
  {"JH", "Jharkhand",                              23.60, 85.30,  32988134,  400, 1.5, R::kSouthwest,        1300, 0.95, 42, A::kNorthInland,  60, 0.8, 2.5, 0.6},
  {"JK", "Jammu and Kashmir",                      33.50, 75.00,  12267032, 1200, 1.0, R::kWesternHimalaya,  1000, 0.90, 50, A::kClean,        35, 0.3, 0.2, 1.2},
  {"KA", "Karnataka",                              15.30, 75.70,  61095297,  600, 2.0, R::kSouthwest,        1150, 0.70, 50, A::kPeninsula,    35, 1.5, 0.4, 1.4},
  {"KL", "Kerala",                                 10.50, 76.30,  33406061,   60, 1.0, R::kKerala,           3000, 0.60, 70, A::kPeninsula,    28, 2.0, 0.2, 2.8},
  {"LA", "Ladakh",                                 34.20, 77.60,    274289, 3500, 1.5, R::kWesternHimalaya,   100, 1.00, 35, A::kClean,        15, 0.05, 0.05, 1.5},
  {"LD", "Lakshadweep",                            10.57, 72.64,     64473,    2, 0.5, R::kKerala,           1600, 0.30, 75, A::kClean,        15, 0.5, 0.3, 2.0},
  {"MH", "Maharashtra",                            19.60, 75.60, 112374333,  450, 2.0, R::kSouthwest,        1200, 0.85, 45, A::kNorthInland,  55, 1.4, 0.6, 1.3},
  {"ML", "Meghalaya",                              25.50, 91.30,   2966889, 1000, 0.8, R::kNortheast,        3500, 0.70, 65, A::kClean,        20, 0.5, 2.5, 1.2},
  {"MN", "Manipur",                                24.70, 93.90,   2855794,  800, 0.6, R::kNortheast,        1700, 0.75, 62, A::kClean,        25, 0.6, 1.5, 1.3},
  {"MP", "Madhya Pradesh",                         23.50, 78.50,  72626809,  450, 2.0, R::kSouthwest,        1100, 1.00, 38, A::kNorthInland,  55, 0.9, 1.5, 0.8},
  {"MZ", "Mizoram",                                23.30, 92.80,   1097206,  900, 0.6, R::kNortheast,        2500, 0.70, 65, A::kClean,        18, 0.5, 3.0, 1.5},
  {"NL", "Nagaland",                               26.10, 94.50,   1978502,  700, 0.5, R::kNortheast,        1900, 0.70, 62, A::kClean,        22, 0.5, 1.5, 1.0},
  {"OD", "Odisha",                                 20.50, 84.40,  41974218,  200, 1.8, R::kSouthwest,        1450, 0.85, 50, A::kPeninsula,    45, 1.0, 3.5, 0.9},
  {"PB", "Punjab",                                 30.90, 75.40,  27743338,  250, 1.0, R::kSouthwest,         650, 1.00, 38, A::kIndoGangetic, 80, 1.2, 0.3, 1.3},
  {"PY", "Puducherry",                             11.94, 79.81,   1247953,   10, 0.2, R::kNortheastMonsoon, 1300, 0.55, 65, A::kPeninsula,    32, 1.4, 0.3, 3.0},
  {"RJ", "Rajasthan",                              26.60, 73.80,  68548437,  350, 2.0, R::kSouthwest,         550, 1.05, 28, A::kNorthInland,  70, 1.0, 0.6, 0.8},
  {"SK", "Sikkim",                                 27.50, 88.50,    610577, 1600, 0.3, R::kNortheast,        2700, 0.70, 65, A::kClean,        18, 0.2, 0.3, 2.2},
  {"TN", "Tamil Nadu",                             11.10, 78.70,  72147030,  200, 1.5, R::kNortheastMonsoon,  950, 0.80, 58, A::kPeninsula,    35, 1.6, 0.3, 1.6},
  {"TR", "Tripura",                                23.80, 91.70,   3673917,   50, 0.5, R::kNortheast,        2200, 0.70, 65, A::kClean,        35, 0.6, 2.5, 1.1},
  {"TS", "Telangana",                              17.90, 79.00,  35003674,  500, 1.5, R::kSouthwest,         900, 0.90, 42, A::kPeninsula,    45, 1.2, 0.8, 1.1},
  {"UK", "Uttarakhand",                            30.10, 79.20,  10086292,  900, 1.0, R::kSouthwest,        1550, 0.90, 50, A::kNorthInland,  40, 0.8, 0.4, 1.3},
  {"UP", "Uttar Pradesh",                          26.90, 80.90, 199812341,  130, 2.0, R::kSouthwest,         950, 1.00, 40, A::kIndoGangetic, 95, 1.2, 0.7, 0.5},
  {"WB", "West Bengal",                            23.00, 87.90,  91276115,   50, 1.5, R::kSouthwest,        1750, 0.80, 58, A::kNorthInland,  65, 1.6, 1.0, 0.9},
}};
// clang-format on

// A quarter of district names carry a comma, a quarter Devanagari letters
// ("जिला" is Hindi for district) and a quarter double quotes.
std::string DistrictName(const StateInfo& state, int district) {
  char number[16];
  std::snprintf(number, sizeof number, "%03d", district);
  const std::string name = state.name;
  switch (district % 4) {
    case 1:
      return "District " + std::string(number) + ", " + name;
    case 2:
      return name + " जिला " + number;
    case 3:
      return name + " \"New\" District " + number;
    default:
      return name + " District " + number;
  }
}

// Splits `total` by random weights; the parts sum to `total`.
std::vector<int64_t> SplitPopulation(int64_t total, int parts, Rng& rng) {
  std::vector<double> weights(parts);
  double sum = 0;
  for (double& w : weights) sum += (w = std::exp(0.6 * rng.Normal()));
  std::vector<int64_t> shares(parts);
  int64_t assigned = 0;
  for (int i = 0; i < parts; ++i) {
    shares[i] = static_cast<int64_t>(std::floor(static_cast<double>(total) * weights[i] / sum));
    assigned += shares[i];
  }
  for (int64_t i = 0; assigned < total; ++i, ++assigned) ++shares[i % parts];
  return shares;
}

void AddDistricts(const StateInfo& state, int state_index, int count, uint64_t seed,
                  std::vector<Location>& out) {
  Rng rng(Key(seed, HashString(state.code), 0xd157));
  const std::vector<int64_t> populations = SplitPopulation(state.population, count, rng);
  for (int d = 1; d <= count; ++d) {
    char code[32];
    std::snprintf(code, sizeof code, "%s-%03d", state.code, d);
    Location loc;
    loc.code = code;
    loc.name = DistrictName(state, d);
    loc.latitude = state.latitude + state.extent_deg * (2 * rng.Uniform() - 1);
    loc.longitude = state.longitude + state.extent_deg * (2 * rng.Uniform() - 1);
    loc.population = populations[d - 1];
    loc.elevation_m = std::max(1.0, state.elevation_m * std::exp(0.35 * rng.Normal()));
    loc.state_index = state_index;
    loc.district = d;
    out.push_back(std::move(loc));
  }
}

}  // namespace

std::span<const StateInfo> States() { return kStates; }

std::vector<Location> BuildLocations(int districts_per_state, uint64_t seed) {
  std::vector<Location> out;
  out.reserve(kStates.size() * (1 + std::max(0, districts_per_state)));
  for (size_t i = 0; i < kStates.size(); ++i) {
    const StateInfo& state = kStates[i];
    out.push_back(Location{state.code, state.name, state.latitude, state.longitude,
                           state.population, state.elevation_m, static_cast<int>(i), 0});
    if (districts_per_state > 0) {
      AddDistricts(state, static_cast<int>(i), districts_per_state, seed, out);
    }
  }
  std::sort(out.begin(), out.end(),
            [](const Location& a, const Location& b) { return a.code < b.code; });
  return out;
}

}  // namespace ch::gen
