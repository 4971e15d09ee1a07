// Tests of `climahealth train` as a library, on generated demo data run
// through the real batch job into an in-memory store.
#include "jobs/train/train_job.h"

#include <gtest/gtest.h>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <map>
#include <optional>

#include "core/interrupt.h"
#include "generator/generator.h"
#include "jobs/batch/batch_job.h"
#include "ml/case_models.h"
#include "services/data/data_service.h"
#include "services/models/model_service.h"
#include "storage/memory_store.h"
#include "table/date.h"

namespace ch::train {
namespace {

BucketNames Buckets() { return {"raw-b", "processed-b", "models-b"}; }

// Three years of every state (no districts), generated and batched once.
class TrainJobTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    store_ = new MemoryStore();
    for (const char* b : {"raw-b", "processed-b", "models-b"}) {
      ASSERT_TRUE(store_->CreateBucket(b).ok());
    }
    gen::GeneratorOptions g;
    g.years = 3;
    g.seed = 42;
    g.threads = 2;
    ASSERT_TRUE(gen::GenerateToStore(g, *store_, "raw-b").ok());
    batch::BatchOptions b;
    b.threads = 2;
    auto batched = batch::RunBatch(*store_, Buckets(), b);
    ASSERT_TRUE(batched.ok()) << batched.status().ToString();
  }
  static void TearDownTestSuite() { delete store_; }

  static TrainOptions Fast(std::vector<std::string> diseases) {
    TrainOptions o;
    o.diseases = std::move(diseases);
    return o;
  }

  static MemoryStore* store_;
};

MemoryStore* TrainJobTest::store_ = nullptr;

TEST_F(TrainJobTest, TrainsBacktestsAndBeatsSeasonalNaive) {
  auto summary = RunTrain(*store_, Buckets(), Fast({"dengue", "malaria"}));
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  ASSERT_EQ(summary->diseases.size(), 2u);
  EXPECT_TRUE(summary->switched);
  for (const DiseaseResult& d : summary->diseases) {
    const Json& r = d.risk_metrics;
    const Json& f = d.forecast_metrics;
    std::printf(
        "%s: risk AUC %.3f Brier %.3f | forecast MAE %.2f naive %.2f skill %.3f WIS %.2f "
        "coverage %.3f\n",
        d.disease.c_str(), r["auc_high_plus"].get<double>(), r["brier_high_plus"].get<double>(),
        f["mae"].get<double>(), f["naive_mae"].get<double>(), f["skill_mae"].get<double>(),
        f["wis"].get<double>(), f["coverage"].get<double>());
    EXPECT_GT(r["auc_high_plus"].get<double>(), 0.7) << d.disease;
    EXPECT_LT(r["brier_high_plus"].get<double>(), 0.25) << d.disease;
    EXPECT_GT(f["skill_mae"].get<double>(), 0.0) << d.disease << ": must beat seasonal naive";
    EXPECT_GT(f["coverage"].get<double>(), 0.6) << d.disease;
    EXPECT_LT(f["coverage"].get<double>(), 0.95) << d.disease;
  }
  std::printf("trained in %.1f s\n", summary->seconds);
}

TEST_F(TrainJobTest, SavedModelsLoadAndPredictOnTheFeatureTable) {
  // What is checked here is the saved form, not the models' skill: few rounds do.
  TrainOptions o = Fast({"heat_illness"});
  o.num_rounds = 20;
  o.folds = 1;
  auto summary = RunTrain(*store_, Buckets(), o);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  services::ModelService models(*store_, Buckets());
  services::DataService data(*store_, Buckets());
  auto features = data.LoadFeatures({"KA", {}});
  ASSERT_TRUE(features.ok()) << features.status().ToString();
  Table last = features->Slice(features->num_rows() - 1, 1);

  auto risk_art = models.LoadRiskModel("heat_illness");
  ASSERT_TRUE(risk_art.ok()) << risk_art.status().ToString();
  EXPECT_EQ(risk_art->record.version, summary->diseases[0].risk_version);
  EXPECT_EQ(risk_art->record.metadata["input"]["manifest"], "processed/manifest.json");
  auto risk = ml::RiskModel::Load(risk_art->bytes, risk_art->record.metadata);
  ASSERT_TRUE(risk.ok()) << risk.status().ToString();
  auto out = risk->Predict(last);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->size(), 1u);
  float total = 0;
  for (float p : (*out)[0].probabilities) total += p;
  EXPECT_NEAR(total, 1.0, 1e-4);

  auto fc_art = models.LoadForecastModel("heat_illness");
  ASSERT_TRUE(fc_art.ok());
  auto fc = ml::ForecastModel::Load(fc_art->bytes, fc_art->record.metadata);
  ASSERT_TRUE(fc.ok()) << fc.status().ToString();
  auto days = fc->Predict(last);
  ASSERT_TRUE(days.ok());
  ASSERT_EQ(days->size(), 14u);
  for (const ml::ForecastDay& d : *days) {
    EXPECT_LE(d.lower, d.expected);
    EXPECT_GE(d.upper, d.expected);
  }
  EXPECT_EQ((*days)[13].horizon, 14);
  auto scaler = models.LoadScaler();
  ASSERT_TRUE(scaler.ok());
  EXPECT_EQ(scaler->record.metadata["features"], risk_art->record.metadata["input_features"]);
}

TEST_F(TrainJobTest, ALosingTrainerLeavesTheWinnersPointers) {
  services::ModelService models(*store_, Buckets());
  TrainOptions o = Fast({"respiratory"});
  o.num_rounds = 10;
  o.folds = 1;
  o.progress = [&](std::string_view stage, std::string_view) {
    // Another trainer switches risk_respiratory while this run trains.
    if (stage != "train") return;
    auto rec = models.SaveModel("risk_respiratory", "other", "ubj", Json::object());
    ASSERT_TRUE(rec.ok());
    auto current = models.CurrentVersion("risk_respiratory");
    ASSERT_TRUE(current.ok());
    ASSERT_TRUE(models.SetCurrent("risk_respiratory", rec->version, *current).ok());
  };
  auto before_scaler = models.CurrentVersion("scaler");
  ASSERT_TRUE(before_scaler.ok());
  auto summary = RunTrain(*store_, Buckets(), o);
  EXPECT_EQ(summary.status().code(), StatusCode::kPreconditionFailed);
  EXPECT_EQ(*models.CurrentVersion("scaler"), *before_scaler);  // rolled back
  EXPECT_EQ(models.LoadRiskModel("respiratory")->bytes, "other");
}

TEST_F(TrainJobTest, AnInterruptWhileTrainingLeavesEveryCurrentModelAsItWas) {
  services::ModelService models(*store_, Buckets());
  TrainOptions o = Fast({"dengue"});
  o.num_rounds = 5;
  o.folds = 1;
  ASSERT_TRUE(RunTrain(*store_, Buckets(), o).ok());
  std::map<std::string, std::optional<std::string>> before;
  for (const char* name : {"scaler", "risk_dengue", "forecast_dengue"}) {
    before[name] = models.CurrentVersion(name).value();
    ASSERT_TRUE(before[name].has_value()) << name;
  }
  ClearInterruptForTest();
  o.progress = [](std::string_view stage, std::string_view) {
    if (stage == "train") RequestInterrupt(SIGINT);  // as the disease's training starts
  };
  auto summary = RunTrain(*store_, Buckets(), o);
  ClearInterruptForTest();
  ASSERT_FALSE(summary.ok());
  EXPECT_TRUE(summary.status().IsCancelled()) << summary.status().ToString();
  for (const auto& [name, version] : before) {
    EXPECT_EQ(models.CurrentVersion(name).value(), version) << name;
  }
}

TEST(TrainDiseaseTest, RefusesTooShortHistoryNamingTheDaysNeeded) {
  auto table =
      Table::Make(Schema({{"location_code", DataType::kString},
                          {"date", DataType::kDate},
                          {"dengue_cases", DataType::kFloat64}}),
                  {Column::FromStrings({"KA", "KA"}),
                   Column::FromDate({DaysFromCivil(2024, 1, 1), DaysFromCivil(2024, 1, 2)}),
                   Column::FromFloat64({1, 2})});
  ASSERT_TRUE(table.ok());
  auto r = TrainDisease(*table, "dengue", TrainOptions{});
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("needs at least"), std::string::npos);
}

}  // namespace
}  // namespace ch::train
