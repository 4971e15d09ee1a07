// Features, repairs and terrain on a small hand-made fixture, checked against
// values computed by hand.
#include "jobs/batch/features.h"

#include <gtest/gtest.h>

#include <cmath>

#include "batch_test_util.h"
#include "jobs/batch/locations.h"
#include "services/data/data_service.h"
#include "table/date.h"

namespace ch::batch {
namespace {

using testing::kBuckets;

int32_t Day(const char* iso) {
  int32_t d = 0;
  EXPECT_TRUE(ParseIsoDate(iso, &d));
  return d;
}

// 30 days from 2024-01-01 for location KA: rainfall = day number (1..30),
// temp_max 30 except 40 on day 15, humidity 70, cases = 2 × day; day 10 of
// climate is missing (a 1-day gap); beds 50 of 200, ICU 3 of 12.
void WriteFixture(ObjectStore& store, bool long_gap = false) {
  std::string climate =
      "location_code,date,temp_max_c,temp_min_c,temp_mean_c,humidity_pct,rainfall_mm,"
      "wind_speed_kmh,pm25_ugm3,extra\n";
  std::string health =
      "date,location_code,dengue_cases,malaria_cases,heat_illness_cases,respiratory_cases,"
      "diarrhoea_cases\r\n";
  std::string hospital =
      "date,location_code,hospitals,beds_total,beds_occupied,icu_beds_total,icu_beds_occupied\n";
  for (int d = 1; d <= 30; ++d) {
    const std::string date = FormatIsoDate(Day("2024-01-01") + d - 1);
    const bool missing = long_gap ? (d >= 10 && d <= 14) : d == 10;
    if (!missing) {
      climate += "KA," + date + "," + (d == 15 ? "40" : "30") + ",20,25,70," + std::to_string(d) +
                 ",5,30,x\n";
    }
    health += date + ",KA," + std::to_string(2 * d) + ",0,1,0,0\r\n";
    hospital += date + ",KA,4,200,50,12,3\n";
  }
  const std::string locations =
      "location_code,name,latitude,longitude,population,elevation_m\n"
      "KA,\"Karnataka, India\",12.9,77.6,1000,900\n"
      "HP-001,Shimla,31.1,77.2,10,2200\n"
      "UP,Uttar Pradesh,26.8,80.9,10,120\n";
  ASSERT_TRUE(store.Put({kBuckets.raw, "raw/climate_data.csv", ""}, climate).ok());
  ASSERT_TRUE(store.Put({kBuckets.raw, "raw/health_data.csv", ""}, health).ok());
  ASSERT_TRUE(store.Put({kBuckets.raw, "raw/hospital_data.csv", ""}, hospital).ok());
  ASSERT_TRUE(store.Put({kBuckets.raw, "raw/locations.csv", ""}, locations).ok());
}

double Value(const Table& t, const std::string& column, int row) {
  const Column* c = t.FindColumn(column);
  EXPECT_NE(c, nullptr) << column;
  if (c == nullptr || c->IsNull(row)) return NAN;
  return c->Float64(row);
}

TEST(FeaturesTest, RollingLagsAnomalyOccupancyAndSeasonalityMatchHandValues) {
  auto store = testing::MakeStore();
  WriteFixture(*store);
  testing::MustRun(*store);
  services::DataService service(*store, kBuckets);
  Result<Table> f = service.LoadFeatures({"KA", {}});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_EQ(f->num_rows(), 30);
  // Day 10 was interpolated between rainfall 9 and 11 and flagged.
  EXPECT_DOUBLE_EQ(Value(*f, "rainfall_mm", 9), 10);
  EXPECT_TRUE(f->FindColumn("repaired")->Bool(9));
  EXPECT_FALSE(f->FindColumn("repaired")->Bool(8));
  // Rolling windows need all w days: none before day 7.
  EXPECT_TRUE(std::isnan(Value(*f, "rainfall_mm_sum7", 5)));
  EXPECT_DOUBLE_EQ(Value(*f, "rainfall_mm_sum7", 6), 28);  // 1+...+7
  EXPECT_DOUBLE_EQ(Value(*f, "rainfall_mm_mean7", 6), 4);
  EXPECT_DOUBLE_EQ(Value(*f, "rainfall_mm_sum14", 19), 189);  // 7+...+20
  EXPECT_DOUBLE_EQ(Value(*f, "rainfall_mm_mean28", 27), 14.5);
  EXPECT_DOUBLE_EQ(Value(*f, "dengue_cases_sum7", 6), 56);
  EXPECT_DOUBLE_EQ(Value(*f, "temp_mean_c_mean14", 29), 25);
  EXPECT_DOUBLE_EQ(Value(*f, "humidity_pct_mean7", 29), 70);
  // Lags: the value L days earlier, empty before the series starts.
  EXPECT_TRUE(std::isnan(Value(*f, "rainfall_mm_lag7", 6)));
  EXPECT_DOUBLE_EQ(Value(*f, "rainfall_mm_lag7", 7), 1);
  EXPECT_DOUBLE_EQ(Value(*f, "dengue_cases_lag21", 29), 18);
  EXPECT_DOUBLE_EQ(Value(*f, "rainfall_mm_lag28", 28), 1);
  // temp_max normal on day 15: (14 × 30 + 40) / 15 over the ±7-day window.
  EXPECT_NEAR(Value(*f, "temp_max_anomaly_c", 14), 40 - 460.0 / 15, 1e-4);
  EXPECT_NEAR(Value(*f, "temp_max_anomaly_c", 0), 0, 1e-9);  // days 1..8, all 30
  EXPECT_DOUBLE_EQ(Value(*f, "bed_occupancy", 3), 0.25);
  EXPECT_DOUBLE_EQ(Value(*f, "icu_occupancy", 3), 0.25);
  EXPECT_NEAR(Value(*f, "doy_sin", 0), std::round(std::sin(2 * M_PI / 365.25) * 1e4) / 1e4, 1e-12);
  EXPECT_NEAR(Value(*f, "doy_cos", 0), 0.9999, 1e-12);
  EXPECT_NEAR(Value(*f, "heat_index_c", 0), HeatIndexC(30, 70), 1e-4);
}

TEST(FeaturesTest, HeatIndexFollowsNoaaTable) {
  // NOAA's table: 86 °F at 70 % RH feels like 95 °F; 96 °F at 50 % → 108 °F.
  EXPECT_NEAR(HeatIndexC(30, 70), (95 - 32) / 1.8, 0.6);
  EXPECT_NEAR(HeatIndexC((96 - 32) / 1.8, 50), (108 - 32) / 1.8, 0.6);
  // Below 80 °F the simple formula: 0.5 × (68 + 61 + 0 + 50 × 0.094) °F.
  EXPECT_NEAR(HeatIndexC(20, 50), (0.5 * (68 + 61 + 4.7) - 32) / 1.8, 1e-9);
}

TEST(FeaturesTest, LongGapIsReportedNotFilledAndBreaksWindows) {
  auto store = testing::MakeStore();
  WriteFixture(*store, /*long_gap=*/true);
  testing::MustRun(*store);
  const Json report = testing::LoadReport(*store);
  ASSERT_EQ(report["issues"].size(), 1u) << report["issues"].dump();
  EXPECT_EQ(report["issues"][0]["rule"], "gap_left");
  EXPECT_EQ(report["issues"][0]["date"], "2024-01-10");
  services::DataService service(*store, kBuckets);
  Result<Table> climate = service.LoadClimateData({"KA", {}});
  ASSERT_TRUE(climate.ok());
  EXPECT_EQ(climate->num_rows(), 25);
  Result<Table> f = service.LoadFeatures({"KA", {}});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->num_rows(), 30);  // health and hospital rows still join
  EXPECT_TRUE(std::isnan(Value(*f, "rainfall_mm_sum7", 19)));  // window 14..20 has day 14
  EXPECT_DOUBLE_EQ(Value(*f, "rainfall_mm_sum7", 20), 15 + 16 + 17 + 18 + 19 + 20 + 21);
}

TEST(FeaturesTest, LocationsGetStateCodeAndTerrain) {
  auto store = testing::MakeStore();
  WriteFixture(*store);
  testing::MustRun(*store);
  services::DataService service(*store, kBuckets);
  Result<Table> t = service.LoadLocations();
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->num_rows(), 3);
  EXPECT_EQ(t->column(0).String(0), "HP-001");
  EXPECT_EQ(t->FindColumn("state_code")->String(0), "HP");
  EXPECT_EQ(t->FindColumn("terrain")->String(0), "hills");
  EXPECT_EQ(t->FindColumn("terrain")->String(1), "coastal");  // KA
  EXPECT_EQ(t->FindColumn("terrain")->String(2), "plains");   // UP
  EXPECT_EQ(t->FindColumn("name")->String(1), "Karnataka, India");
  EXPECT_EQ(Terrain("UP", 1200), "hills");
}

}  // namespace
}  // namespace ch::batch
