// Tests of the scaler's JSON, the metrics and the seasonal baseline.
#include <gtest/gtest.h>

#include <cmath>

#include "ml/metrics.h"
#include "ml/scaler.h"
#include "ml/seasonal_profile.h"
#include "table/date.h"

namespace ch::ml {
namespace {

TEST(ScalerTest, JsonRoundTripsAndRejectsBadDocuments) {
  DenseMatrix x;
  x.rows = 4;
  x.cols = 2;
  x.feature_names = {"a", "b"};
  x.values = {1, 10, 2, NAN, 3, 30, 4, 40};
  auto s = StandardScaler::Fit(x);
  ASSERT_TRUE(s.ok());
  EXPECT_DOUBLE_EQ(s->mean()[0], 2.5);
  EXPECT_DOUBLE_EQ(s->var()[0], 1.25);
  EXPECT_DOUBLE_EQ(s->mean()[1], 80.0 / 3);  // NaN ignored
  Json doc = s->ToJson();
  for (const char* key : {"mean_", "scale_", "var_", "n_features_in_", "feature_names_in_"}) {
    EXPECT_TRUE(doc.contains(key)) << key;
  }
  auto back = StandardScaler::FromJson(doc);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->mean(), s->mean());
  EXPECT_EQ(back->scale(), s->scale());
  EXPECT_EQ(back->feature_names(), s->feature_names());
  doc["scale_"] = {1.0};
  auto bad = StandardScaler::FromJson(doc);
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("scale_"), std::string::npos);
  DenseMatrix other = x;
  other.feature_names = {"b", "a"};
  EXPECT_FALSE(s->Transform(other).ok());
}

TEST(MetricsTest, AucBrierMaeAndIntervalScores) {
  std::vector<float> scores = {0.1f, 0.4f, 0.35f, 0.8f};
  std::vector<int> labels = {0, 0, 1, 1};
  EXPECT_DOUBLE_EQ(RocAuc(scores, labels), 0.75);
  std::vector<int> one_class = {1, 1, 1, 1};
  EXPECT_TRUE(std::isnan(RocAuc(scores, one_class)));
  std::vector<float> tied = {0.5f, 0.5f};
  std::vector<int> mixed = {0, 1};
  EXPECT_DOUBLE_EQ(RocAuc(tied, mixed), 0.5);
  EXPECT_NEAR(BrierScore(scores, labels), (0.01 + 0.16 + 0.4225 + 0.04) / 4, 1e-6);
  std::vector<float> a = {1, 2, 3}, b = {2, 2, 5};
  EXPECT_DOUBLE_EQ(MeanAbsoluteError(a, b), 1.0);
  EXPECT_DOUBLE_EQ(IntervalScore(1, 3, 2, 0.2), 2);
  EXPECT_DOUBLE_EQ(IntervalScore(1, 3, 4, 0.2), 2 + 10);
  EXPECT_DOUBLE_EQ(WeightedIntervalScore(2, 1, 3, 4, 0.2), (0.5 * 2 + 0.1 * 12) / 1.5);
}

// Two years of one location where cases are 10/day except a yearly burst.
Table BurstTable() {
  std::vector<std::string> codes;
  std::vector<int32_t> days;
  std::vector<int64_t> cases;
  const int32_t start = DaysFromCivil(2020, 1, 1);
  for (int32_t d = start; d < start + 731; ++d) {
    codes.push_back("KA");
    days.push_back(d);
    int doy = d - DaysFromCivil(d >= DaysFromCivil(2021, 1, 1) ? 2021 : 2020, 1, 1);
    cases.push_back(doy >= 180 && doy < 200 ? 40 : 10);
  }
  std::vector<std::string_view> views(codes.begin(), codes.end());
  return *Table::Make(
      Schema({{"location_code", DataType::kString},
              {"date", DataType::kDate},
              {"dengue_cases", DataType::kInt64}}),
      {Column::FromStrings(views), Column::FromDate(days), Column::FromInt64(cases)});
}

TEST(SeasonalProfileTest, LevelsFollowTheLocationsOwnHistory) {
  Table t = BurstTable();
  auto idx = CaseIndex::Build(t, "dengue_cases");
  ASSERT_TRUE(idx.ok()) << idx.status().ToString();
  EXPECT_EQ(idx->CasesAt(0, DaysFromCivil(2020, 1, 1)), 10);
  EXPECT_TRUE(std::isnan(idx->FutureSum(0, DaysFromCivil(2021, 12, 30), 14)));
  SeasonalProfile p = SeasonalProfile::Fit(*idx, DaysFromCivil(2021, 12, 31));
  auto quiet = p.At("KA", DaysFromCivil(2021, 3, 1));
  EXPECT_FLOAT_EQ(quiet.mean_daily, 10);
  EXPECT_FLOAT_EQ(quiet.p50, 140);
  EXPECT_EQ(SeasonalProfile::Level(140, quiet), 0);
  EXPECT_EQ(SeasonalProfile::Level(141, quiet), 1);
  EXPECT_EQ(SeasonalProfile::Level(300, quiet), 3);
  EXPECT_TRUE(std::isnan(p.At("XX", 0).p50));
  auto back = SeasonalProfile::FromJson(p.ToJson());
  ASSERT_TRUE(back.ok());
  EXPECT_FLOAT_EQ(back->At("KA", DaysFromCivil(2021, 7, 1)).p95,
                  p.At("KA", DaysFromCivil(2021, 7, 1)).p95);
}

bool SameFloat(float a, float b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

TEST(SeasonalProfileTest, JsonRoundTripKeepsEveryValueExactly) {
  Table t = BurstTable();
  auto idx = CaseIndex::Build(t, "dengue_cases");
  ASSERT_TRUE(idx.ok());
  SeasonalProfile p = SeasonalProfile::Fit(*idx, DaysFromCivil(2021, 12, 31));
  Json doc = p.ToJson();
  EXPECT_EQ(doc["encoding"], "f32le-base64");
  EXPECT_EQ(doc["fields"], Json({"mean_daily", "p50", "p80", "p95"}));
  ASSERT_TRUE(doc["locations"]["KA"].is_string());
  auto back = SeasonalProfile::FromJson(Json::parse(doc.dump()));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->window_days(), p.window_days());
  for (int32_t day = DaysFromCivil(2021, 1, 1); day < DaysFromCivil(2022, 1, 1); ++day) {
    auto a = p.At("KA", day);
    auto b = back->At("KA", day);
    EXPECT_TRUE(SameFloat(a.mean_daily, b.mean_daily) && SameFloat(a.p50, b.p50) &&
                SameFloat(a.p80, b.p80) && SameFloat(a.p95, b.p95))
        << "day " << day;
  }
}

TEST(SeasonalProfileTest, ReadsTheEarlierFormOfArraysPerField) {
  Json values = Json::array();
  for (int b = 0; b < 52; ++b) values.push_back(b == 3 ? Json(nullptr) : Json(b * 0.5));
  Json doc = {
      {"window_days", 14},
      {"buckets", 52},
      {"locations",
       {{"KA", {{"mean_daily", values}, {"p50", values}, {"p80", values}, {"p95", values}}}}}};
  auto p = SeasonalProfile::FromJson(doc);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  auto first_week = p->At("KA", DaysFromCivil(2021, 1, 1));
  EXPECT_FLOAT_EQ(first_week.p80, 0.0f);
  EXPECT_TRUE(std::isnan(p->At("KA", DaysFromCivil(2021, 1, 22)).p50));  // bucket 3
  doc["locations"]["KA"]["p95"].erase(0);
  auto short_field = SeasonalProfile::FromJson(doc);
  ASSERT_FALSE(short_field.ok());
  EXPECT_NE(short_field.status().message().find("'KA' key 'p95'"), std::string::npos);
}

TEST(SeasonalProfileTest, RefusesBadPackedValuesNamingTheLocation) {
  Json doc = {{"window_days", 14},
              {"buckets", 52},
              {"encoding", "f32le-base64"},
              {"locations", {{"MH", "AAAA"}}}};
  auto p = SeasonalProfile::FromJson(doc);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(p.status().message().find("'MH'"), std::string::npos) << p.status().message();
  doc["encoding"] = "f64be-hex";
  auto unknown = SeasonalProfile::FromJson(doc);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("f64be-hex"), std::string::npos);
}

}  // namespace
}  // namespace ch::ml
