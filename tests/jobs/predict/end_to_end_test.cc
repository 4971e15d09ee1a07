// End to end on a LocalStore: generate -> batch -> train -> predict, forecast and
// alerts; every document is complete (every location x disease) and valid.
#include <gtest/gtest.h>

#include <set>

#include "codecs/object_io.h"
#include "generator/generator.h"
#include "jobs/batch/batch_job.h"
#include "jobs/predict/predict_job.h"
#include "jobs/train/train_job.h"
#include "services/data/data_service.h"
#include "storage/local_store.h"
#include "support/temp_dir.h"

namespace ch::jobs {
namespace {

const BucketNames kBuckets{"raw-bucket", "processed-bucket", "models-bucket"};
const std::set<std::string> kDiseaseSet = {"dengue", "malaria", "heat_illness", "respiratory",
                                           "diarrhoea"};

class EndToEndTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = LocalStore::Make({dir_.path() / "store"});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    for (const std::string& b : {kBuckets.raw, kBuckets.processed, kBuckets.models}) {
      ASSERT_TRUE(store_->CreateBucket(b).ok());
    }
    gen::GeneratorOptions g;
    g.years = 2;
    g.districts_per_state = 1;
    g.threads = 2;
    auto generated = gen::GenerateToStore(g, *store_, kBuckets.raw, {});
    ASSERT_TRUE(generated.ok()) << generated.status().ToString();
    batch::BatchOptions b;
    b.threads = 2;
    auto batched = batch::RunBatch(*store_, kBuckets, b);
    ASSERT_TRUE(batched.ok()) << batched.status().ToString();
    train::TrainOptions t;
    t.num_rounds = 20;
    t.folds = 1;
    auto trained = train::RunTrain(*store_, kBuckets, t);
    ASSERT_TRUE(trained.ok()) << trained.status().ToString();
    services::DataService data(*store_, kBuckets);
    auto locations = data.LoadLocations();
    ASSERT_TRUE(locations.ok());
    const Column& codes = locations->column(locations->ColumnIndex("location_code"));
    for (int64_t r = 0; r < codes.size(); ++r) locations_.insert(std::string(codes.String(r)));
    options_.cache = &cache_;
  }

  Json Load(const std::string& key) {
    auto doc = LoadJson(*store_, {kBuckets.processed, key, ""});
    EXPECT_TRUE(doc.ok()) << doc.status().ToString();
    return doc.ok() ? *doc : Json();
  }

  void ExpectComplete(const Json& list) {
    std::set<std::pair<std::string, std::string>> seen;
    for (const Json& item : list) {
      seen.insert({item["location_code"].get<std::string>(), item["disease"].get<std::string>()});
    }
    EXPECT_EQ(seen.size(), locations_.size() * kDiseaseSet.size());
    for (const auto& [loc, disease] : seen) {
      EXPECT_TRUE(locations_.count(loc)) << loc;
      EXPECT_TRUE(kDiseaseSet.count(disease)) << disease;
    }
  }

  ch::testing::TempDir dir_;
  std::unique_ptr<LocalStore> store_;
  std::set<std::string> locations_;
  ModelCache cache_;
  PredictOptions options_;
};

TEST_F(EndToEndTest, PredictForecastAndAlertsCoverEveryLocationAndDisease) {
  ASSERT_GT(locations_.size(), 36u);
  auto risk = RunPredict(*store_, kBuckets, options_);
  ASSERT_TRUE(risk.ok()) << risk.status().ToString();
  EXPECT_TRUE(risk->missing_locations.empty());
  Json risk_doc = Load(risk->key);
  EXPECT_EQ(risk_doc["kind"], "predictions");
  EXPECT_EQ(risk_doc["date"], "2016-12-31");
  EXPECT_EQ(risk_doc["models"].size(), 5u);
  ExpectComplete(risk_doc["predictions"]);
  for (const Json& p : risk_doc["predictions"]) {
    EXPECT_GE(p["risk_score"].get<double>(), 0.0);
    EXPECT_LE(p["risk_score"].get<double>(), 1.0);
  }

  auto forecast = RunForecast(*store_, kBuckets, options_);
  ASSERT_TRUE(forecast.ok()) << forecast.status().ToString();
  Json fc_doc = Load(forecast->key);
  ExpectComplete(fc_doc["forecasts"]);
  for (const Json& f : fc_doc["forecasts"]) {
    ASSERT_EQ(f["days"].size(), 14u);
    for (const Json& d : f["days"]) {
      EXPECT_LE(d["lower"].get<double>(), d["expected"].get<double>());
      EXPECT_LE(d["expected"].get<double>(), d["upper"].get<double>());
    }
  }

  auto alerts = RunAlerts(*store_, kBuckets, options_);
  ASSERT_TRUE(alerts.ok()) << alerts.status().ToString();
  Json alert_doc = Load(alerts->key);
  EXPECT_EQ(alert_doc["input"], risk_doc["input"]);
  const std::set<std::string> kinds = {"risk_level", "outbreak_threshold", "bed_occupancy",
                                       "heat_wave"};
  const std::set<std::string> severities = {"moderate", "high", "severe"};
  for (const Json& a : alert_doc["alerts"]) {
    EXPECT_TRUE(locations_.count(a["location_code"].get<std::string>()));
    EXPECT_TRUE(kinds.count(a["kind"].get<std::string>()));
    EXPECT_TRUE(severities.count(a["severity"].get<std::string>()));
    EXPECT_EQ(a["disease"].is_null(), a["kind"] == "heat_wave" || a["kind"] == "bed_occupancy");
  }
  // The models were loaded once and reused by forecast and alerts.
  EXPECT_EQ(cache_.stats().loads, 10);
}

TEST_F(EndToEndTest, ShardedRunsMergeToTheUnshardedDocument) {
  auto whole = RunForecast(*store_, kBuckets, options_);
  ASSERT_TRUE(whole.ok());
  Json expected = Load(whole->key)["forecasts"];
  for (int i = 0; i < 2; ++i) {
    PredictOptions o = options_;
    o.shard = {i, 2};
    ASSERT_TRUE(RunForecast(*store_, kBuckets, o).ok());
  }
  auto merged = MergeShards(*store_, kBuckets, "forecasts", std::nullopt, 2);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ(Load(merged->key)["forecasts"], expected);
}

}  // namespace
}  // namespace ch::jobs
