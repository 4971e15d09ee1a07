// Tests of the prediction jobs on hand-made processed data and models trained
// through the ml API: documents complete and valid, alerts, shards, model cache.
#include "jobs/predict/predict_job.h"

#include <gtest/gtest.h>

#include <set>

#include "codecs/object_io.h"
#include "predict_fixture.h"
#include "storage/memory_store.h"
#include "table/date.h"

namespace ch::jobs {
namespace {

const BucketNames kBuckets{"raw", "processed", "models"};
const int32_t kLast = DaysFromCivil(2024, 5, 31);

class PredictJobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    features_ = ch::testing::MakeFeatureTable(fixture_);
    Status written = ch::testing::WriteProcessedData(store_, kBuckets, features_, fixture_);
    ASSERT_TRUE(written.ok()) << written.ToString();
    auto published = ch::testing::PublishModels(store_, kBuckets, features_);
    ASSERT_TRUE(published.ok()) << published.status().ToString();
    options_.cache = &cache_;
  }

  Json Load(const std::string& key) {
    auto doc = LoadJson(store_, {kBuckets.processed, key, ""});
    EXPECT_TRUE(doc.ok()) << doc.status().ToString();
    return doc.ok() ? *doc : Json();
  }

  void ExpectHeader(const Json& doc, const std::string& kind) {
    EXPECT_EQ(doc["kind"], kind);
    EXPECT_EQ(doc["date"], "2024-05-31");
    EXPECT_TRUE(doc["generated_at"].is_string());
    EXPECT_EQ(doc["input"]["manifest"], "processed/manifest.json");
    EXPECT_FALSE(doc["input"]["etag"].get<std::string>().empty());
  }

  ch::testing::FixtureOptions fixture_;
  Table features_;
  MemoryStore store_;
  ModelCache cache_;
  PredictOptions options_;
};

TEST_F(PredictJobTest, PredictWritesEveryLocationAndDisease) {
  auto result = RunPredict(store_, kBuckets, options_);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->key, "predictions/2024-05-31/risk.json");
  EXPECT_EQ(result->date, kLast);
  EXPECT_EQ(result->locations, 4);
  EXPECT_EQ(result->records, 20);
  Json doc = Load(result->key);
  ExpectHeader(doc, "predictions");
  EXPECT_EQ(doc["models"].size(), 5u);
  EXPECT_TRUE(doc["models"].contains("risk_dengue"));
  std::set<std::pair<std::string, std::string>> seen;
  for (const Json& p : doc["predictions"]) {
    seen.insert({p["location_code"].get<std::string>(), p["disease"].get<std::string>()});
    const double score = p["risk_score"];
    EXPECT_GE(score, 0.0);
    EXPECT_LE(score, 1.0);
    double sum = 0;
    for (const char* level : {"low", "moderate", "high", "severe"})
      sum += p["probabilities"][level].get<double>();
    EXPECT_NEAR(sum, 1.0, 1e-4);
    EXPECT_TRUE(p["probabilities"].contains(p["risk_level"].get<std::string>()));
  }
  EXPECT_EQ(seen.size(), 20u);
}

TEST_F(PredictJobTest, ForecastWritesFourteenDaysWithIntervals) {
  auto result = RunForecast(store_, kBuckets, options_);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->key, "forecasts/2024-05-31/cases.json");
  Json doc = Load(result->key);
  ExpectHeader(doc, "forecasts");
  EXPECT_EQ(doc["horizon_days"], 14);
  EXPECT_DOUBLE_EQ(doc["interval"].get<double>(), 0.8);
  ASSERT_EQ(doc["forecasts"].size(), 20u);
  for (const Json& f : doc["forecasts"]) {
    ASSERT_EQ(f["days"].size(), 14u);
    for (size_t h = 0; h < 14; ++h) {
      const Json& d = f["days"][h];
      EXPECT_EQ(d["date"], FormatIsoDate(kLast + 1 + static_cast<int32_t>(h)));
      EXPECT_LE(d["lower"].get<double>(), d["expected"].get<double>());
      EXPECT_LE(d["expected"].get<double>(), d["upper"].get<double>());
      EXPECT_GE(d["lower"].get<double>(), 0.0);
    }
  }
}

const Json* FindAlert(const Json& doc, const std::string& location, const std::string& kind) {
  for (const Json& a : doc["alerts"]) {
    if (a["location_code"] == location && a["kind"] == kind) return &a;
  }
  return nullptr;
}

TEST_F(PredictJobTest, AlertsRaiseHeatWaveAndBedOccupancy) {
  auto result = RunAlerts(store_, kBuckets, options_);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->key, "alerts/2024-05-31/alerts.json");
  Json doc = Load(result->key);
  ExpectHeader(doc, "alerts");
  EXPECT_EQ(doc["models"].size(), 10u);
  const Json* heat = FindAlert(doc, "AA", "heat_wave");
  ASSERT_NE(heat, nullptr) << doc.dump(1);
  EXPECT_TRUE((*heat)["disease"].is_null());
  EXPECT_EQ((*heat)["severity"], "high");
  EXPECT_DOUBLE_EQ((*heat)["value"].get<double>(), 46.5);
  EXPECT_EQ((*heat)["first_raised"], "2024-05-31");
  const Json* beds = FindAlert(doc, "BB-001", "bed_occupancy");
  ASSERT_NE(beds, nullptr) << doc.dump(1);
  EXPECT_EQ((*beds)["severity"], "severe");
  EXPECT_EQ(FindAlert(doc, "CC", "heat_wave"), nullptr);
  std::set<std::string> ids;
  for (const Json& a : doc["alerts"]) {
    for (const char* key : {"id", "location_code", "disease", "kind", "severity", "message",
                            "value", "threshold", "first_raised"}) {
      EXPECT_TRUE(a.contains(key)) << key;
    }
    EXPECT_TRUE(ids.insert(a["id"]).second) << a["id"];
  }
}

TEST_F(PredictJobTest, AlertsStayQuietWithinSevenDaysUnlessTheyEscalate) {
  const std::string earlier = "alerts/2024-05-29/alerts.json";
  Json previous{{"kind", "alerts"},
                {"date", "2024-05-29"},
                {"alerts",
                 {{{"id", "x"},
                   {"location_code", "AA"},
                   {"disease", nullptr},
                   {"kind", "heat_wave"},
                   {"severity", "high"},
                   {"message", ""},
                   {"value", 45.1},
                   {"threshold", 45},
                   {"first_raised", "2024-05-27"}},
                  {{"id", "y"},
                   {"location_code", "BB-001"},
                   {"disease", nullptr},
                   {"kind", "bed_occupancy"},
                   {"severity", "moderate"},
                   {"message", ""},
                   {"value", 0.87},
                   {"threshold", 0.85},
                   {"first_raised", "2024-05-28"}}}}};
  ASSERT_TRUE(SaveJson(store_, {kBuckets.processed, earlier, ""}, previous).ok());
  auto result = RunAlerts(store_, kBuckets, options_);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  Json doc = Load(result->key);
  EXPECT_EQ(FindAlert(doc, "AA", "heat_wave"), nullptr);
  const Json* beds = FindAlert(doc, "BB-001", "bed_occupancy");
  ASSERT_NE(beds, nullptr);
  EXPECT_EQ((*beds)["first_raised"], "2024-05-28");
}

TEST_F(PredictJobTest, MalformedPreviousAlertsDocumentIsNamed) {
  Json previous{{"alerts", {{{"location_code", "AA"}, {"kind", "heat_wave"}}}}};
  ASSERT_TRUE(
      SaveJson(store_, {kBuckets.processed, "alerts/2024-05-30/alerts.json", ""}, previous).ok());
  auto result = RunAlerts(store_, kBuckets, options_);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("alerts/2024-05-30/alerts.json"), std::string::npos)
      << result.status().ToString();
}

TEST_F(PredictJobTest, ShardsMergeIntoTheWholeDocument) {
  auto whole = RunPredict(store_, kBuckets, options_);
  ASSERT_TRUE(whole.ok());
  Json expected = Load(whole->key)["predictions"];
  ASSERT_TRUE(store_.Delete({kBuckets.processed, whole->key, ""}).ok());
  int64_t total = 0;
  for (int i = 0; i < 3; ++i) {
    PredictOptions o = options_;
    o.shard = {i, 3};
    auto part = RunPredict(store_, kBuckets, o);
    ASSERT_TRUE(part.ok()) << part.status().ToString();
    EXPECT_EQ(part->key,
              "predictions/2024-05-31/risk.shard-000" + std::to_string(i) + "-of-0003.json");
    total += part->locations;
  }
  EXPECT_EQ(total, 4);
  auto merged = MergeShards(store_, kBuckets, "predictions", std::nullopt, 3);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ(merged->key, "predictions/2024-05-31/risk.json");
  Json doc = Load(merged->key);
  EXPECT_FALSE(doc.contains("shard"));
  EXPECT_EQ(doc["predictions"], expected);

  auto missing = MergeShards(store_, kBuckets, "predictions", kLast, 4);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("risk.shard-0000-of-0004.json"), std::string::npos)
      << missing.status().ToString();
}

TEST_F(PredictJobTest, ModelCacheRevalidatesByEtag) {
  ASSERT_TRUE(RunPredict(store_, kBuckets, options_).ok());
  EXPECT_EQ(cache_.stats().loads, 5);
  ASSERT_TRUE(RunPredict(store_, kBuckets, options_).ok());
  EXPECT_EQ(cache_.stats().loads, 5);
  EXPECT_EQ(cache_.stats().hits, 5);
  auto republished = ch::testing::PublishModels(store_, kBuckets, features_);
  ASSERT_TRUE(republished.ok());
  auto result = RunPredict(store_, kBuckets, options_);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(cache_.stats().loads, 10);
  Json doc = Load(result->key);
  EXPECT_EQ(doc["models"]["risk_dengue"], result->models["risk_dengue"]);
}

TEST_F(PredictJobTest, ExplicitDateWithoutRowsIsAnError) {
  options_.date = kLast + 30;
  auto result = RunPredict(store_, kBuckets, options_);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("2024-06-30"), std::string::npos);
}

TEST_F(PredictJobTest, EarlierDateUsesOnlyTheHistoryUpToIt) {
  options_.date = kLast - 10;
  auto result = RunForecast(store_, kBuckets, options_);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->key, "forecasts/" + FormatIsoDate(kLast - 10) + "/cases.json");
  EXPECT_EQ(result->records, 20);
}

TEST(PredictJobErrorsTest, MissingModelSaysToTrain) {
  MemoryStore store;
  ch::testing::FixtureOptions fixture;
  Table features = ch::testing::MakeFeatureTable(fixture);
  ASSERT_TRUE(ch::testing::WriteProcessedData(store, kBuckets, features, fixture).ok());
  ModelCache cache;
  PredictOptions options;
  options.cache = &cache;
  auto result = RunPredict(store, kBuckets, options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kNotFound);
  EXPECT_NE(result.status().message().find("climahealth train"), std::string::npos);
}

TEST(PredictJobErrorsTest, UnknownJobKindIsRefused) {
  MemoryStore store;
  auto result = RunJob("train", store, kBuckets, {});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("'train'"), std::string::npos);
}

}  // namespace
}  // namespace ch::jobs
