// The state table and synthetic districts.
#include "generator/regions.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <string>

namespace ch::gen {
namespace {

TEST(RegionsTest, HoldsTheThirtySixCurrentIsoCodesOnce) {
  // ISO 3166-2:IN after the 2019, 2020 and 2023 changes (OD, DH, LA, CG, TS, UK).
  const std::set<std::string> expected = {"AN", "AP", "AR", "AS", "BR", "CG", "CH", "DH", "DL",
                                          "GA", "GJ", "HP", "HR", "JH", "JK", "KA", "KL", "LA",
                                          "LD", "MH", "ML", "MN", "MP", "MZ", "NL", "OD", "PB",
                                          "PY", "RJ", "SK", "TN", "TR", "TS", "UK", "UP", "WB"};
  std::set<std::string> codes;
  for (const StateInfo& s : States()) {
    EXPECT_TRUE(codes.insert(s.code).second) << "duplicate " << s.code;
  }
  EXPECT_EQ(codes, expected);
}

TEST(RegionsTest, StateFiguresArePlausible) {
  int64_t total = 0;
  for (const StateInfo& s : States()) {
    EXPECT_GT(s.latitude, 6) << s.code;
    EXPECT_LT(s.latitude, 37) << s.code;
    EXPECT_GT(s.longitude, 68) << s.code;
    EXPECT_LT(s.longitude, 98) << s.code;
    EXPECT_GT(s.population, 50000) << s.code;
    total += s.population;
  }
  // India's 2011 census: 1.21 billion.
  EXPECT_NEAR(static_cast<double>(total), 1.2109e9, 0.01e9);
}

TEST(RegionsTest, WithoutDistrictsGivesTheStatesInCodeOrder) {
  const std::vector<Location> locs = BuildLocations(0, 1);
  ASSERT_EQ(locs.size(), 36u);
  for (size_t i = 1; i < locs.size(); ++i) EXPECT_LT(locs[i - 1].code, locs[i].code);
  EXPECT_EQ(locs[0].code, "AN");
  EXPECT_EQ(locs[0].district, 0);
}

TEST(RegionsTest, DistrictsExtendStateCodesSplitPopulationAndStayNearTheState) {
  const std::vector<Location> locs = BuildLocations(12, 5);
  ASSERT_EQ(locs.size(), 36u * 13);
  std::map<std::string, int64_t> district_population;
  std::set<std::string> codes;
  for (size_t i = 0; i < locs.size(); ++i) {
    const Location& loc = locs[i];
    EXPECT_TRUE(codes.insert(loc.code).second) << loc.code;
    if (i > 0) {
      EXPECT_LT(locs[i - 1].code, loc.code);
    }
    const StateInfo& state = States()[loc.state_index];
    if (loc.district == 0) {
      EXPECT_EQ(loc.code, state.code);
      continue;
    }
    char expected[16];
    std::snprintf(expected, sizeof expected, "%s-%03d", state.code, loc.district);
    EXPECT_EQ(loc.code, expected);
    EXPECT_LE(std::fabs(loc.latitude - state.latitude), state.extent_deg + 1e-9);
    EXPECT_LE(std::fabs(loc.longitude - state.longitude), state.extent_deg + 1e-9);
    EXPECT_GT(loc.elevation_m, 0);
    EXPECT_GT(loc.population, 0);
    district_population[state.code] += loc.population;
  }
  for (const StateInfo& s : States()) EXPECT_EQ(district_population[s.code], s.population);
}

TEST(RegionsTest, DistrictNamesIncludeCommasQuotesAndDevanagari) {
  bool comma = false, quote = false, non_ascii = false;
  for (const Location& loc : BuildLocations(4, 1)) {
    comma |= loc.name.find(',') != std::string::npos;
    quote |= loc.name.find('"') != std::string::npos;
    for (unsigned char c : loc.name) non_ascii |= c >= 0x80;
  }
  EXPECT_TRUE(comma);
  EXPECT_TRUE(quote);
  EXPECT_TRUE(non_ascii);
}

TEST(RegionsTest, SameSeedSameDistrictsAndOtherSeedsMoveThem) {
  const std::vector<Location> a = BuildLocations(3, 9), b = BuildLocations(3, 9);
  const std::vector<Location> c = BuildLocations(3, 10);
  ASSERT_EQ(a.size(), c.size());
  int moved = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].latitude, b[i].latitude);
    EXPECT_EQ(a[i].population, b[i].population);
    moved += a[i].latitude != c[i].latitude;
  }
  EXPECT_EQ(moved, 36 * 3);
}

}  // namespace
}  // namespace ch::gen
