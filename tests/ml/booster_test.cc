// Tests of the XGBoost wrapper: training, prediction, formats and errors.
#include "ml/booster.h"

#include <gtest/gtest.h>

#include <cmath>
#include <csignal>

#include "core/interrupt.h"
#include "ml/matrix.h"
#include "ml_test_util.h"
#include "table/table.h"

namespace ch::ml {
namespace {

using testing::Clean;
using testing::RandomMatrix;

std::vector<float> Labels(const DenseMatrix& x) {
  std::vector<float> y(x.rows);
  for (int64_t r = 0; r < x.rows; ++r) y[r] = 2 * Clean(x.at(r, 0)) - Clean(x.at(r, 1));
  return y;
}

TrainOptions Regression(int rounds = 30) {
  TrainOptions o;
  o.params = {{"objective", "reg:squarederror"}, {"max_depth", "4"}, {"eta", "0.3"}};
  o.num_rounds = rounds;
  return o;
}

TEST(BoosterTest, LearnsASimpleFunction) {
  DenseMatrix x = RandomMatrix(2000, 4, 1);
  std::vector<float> y = Labels(x);
  auto booster = Booster::Train(x, y, Regression());
  ASSERT_TRUE(booster.ok()) << booster.status().ToString();
  EXPECT_EQ(booster->num_features(), 4);
  EXPECT_EQ(booster->boosted_rounds(), 30);
  EXPECT_EQ(booster->feature_names(), x.feature_names);
  auto pred = booster->Predict(x);
  ASSERT_TRUE(pred.ok()) << pred.status().ToString();
  double sse = 0, sst = 0;
  for (int64_t r = 0; r < x.rows; ++r) {
    sse += std::pow(pred->at(r) - y[r], 2);
    sst += y[r] * y[r];
  }
  EXPECT_LT(sse / sst, 0.05);
}

TEST(BoosterTest, AnInterruptStopsTrainingBetweenRounds) {
  DenseMatrix x = RandomMatrix(200, 4, 1);
  std::vector<float> y = Labels(x);
  ClearInterruptForTest();
  RequestInterrupt(SIGINT);
  auto booster = Booster::Train(x, y, Regression());
  ClearInterruptForTest();
  ASSERT_FALSE(booster.ok());
  EXPECT_TRUE(booster.status().IsCancelled()) << booster.status().ToString();
  EXPECT_NE(booster.status().message().find("train round 0: interrupted (SIGINT)"),
            std::string::npos)
      << booster.status().ToString();
}

TEST(BoosterTest, SaveLoadRoundTripsInBothFormatsWithIdenticalPredictions) {
  DenseMatrix x = RandomMatrix(500, 3, 2);
  auto booster = Booster::Train(x, Labels(x), Regression(10));
  ASSERT_TRUE(booster.ok());
  auto before = booster->Predict(x);
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  for (ModelFormat format : {ModelFormat::kUbj, ModelFormat::kJson}) {
    auto bytes = booster->Save(format);
    ASSERT_TRUE(bytes.ok());
    auto detected = DetectModelFormat(*bytes);
    ASSERT_TRUE(detected.ok());
    EXPECT_EQ(*detected, format);
    auto loaded = Booster::Load(*bytes);
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    EXPECT_EQ(loaded->feature_names(), x.feature_names);
    auto after = loaded->Predict(x);
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(after->values, before->values);
  }
}

TEST(BoosterTest, PredictsSmallBatchesLikeTheWholeMatrix) {
  DenseMatrix x = RandomMatrix(100, 3, 3);
  auto booster = Booster::Train(x, Labels(x), Regression(10));
  ASSERT_TRUE(booster.ok());
  auto all = booster->Predict(x);
  ASSERT_TRUE(all.ok());
  for (int64_t r = 0; r < x.rows; r += 17) {
    auto one = booster->Predict(&x.values[r * 3], 1, 3);
    ASSERT_TRUE(one.ok());
    EXPECT_EQ(one->values[0], all->at(r));
  }
}

TEST(BoosterTest, MultiClassPredictsOneProbabilityPerClass) {
  DenseMatrix x = RandomMatrix(1000, 3, 4);
  std::vector<float> y(x.rows);
  for (int64_t r = 0; r < x.rows; ++r) y[r] = Clean(x.at(r, 0)) > 0 ? 2 : (r % 2);
  TrainOptions o;
  o.params = {{"objective", "multi:softprob"}, {"num_class", "3"}};
  o.num_rounds = 10;
  auto booster = Booster::Train(x, y, o);
  ASSERT_TRUE(booster.ok());
  auto pred = booster->Predict(x);
  ASSERT_TRUE(pred.ok()) << pred.status().ToString();
  EXPECT_EQ(pred->outputs, 3);
  EXPECT_NEAR(pred->at(0, 0) + pred->at(0, 1) + pred->at(0, 2), 1.0, 1e-5);
}

TEST(BoosterTest, EarlyStoppingKeepsTheBestRounds) {
  DenseMatrix x = RandomMatrix(600, 3, 5);
  std::vector<float> noise(x.rows);
  for (int64_t r = 0; r < x.rows; ++r) noise[r] = static_cast<float>((r * 7919) % 13) - 6;
  DenseMatrix v = RandomMatrix(300, 3, 6);
  std::vector<float> vy(v.rows, 0.0f);  // unrelated target: validation error rises quickly
  TrainOptions o = Regression(200);
  o.params["eta"] = "0.5";
  o.params["max_depth"] = "6";
  o.early_stopping_rounds = 5;
  auto booster = Booster::Train(x, noise, o, {}, &v, vy);
  ASSERT_TRUE(booster.ok()) << booster.status().ToString();
  EXPECT_GE(booster->best_iteration(), 0);
  EXPECT_LT(booster->best_iteration(), 100);
  EXPECT_EQ(booster->boosted_rounds(), booster->best_iteration() + 1);
}

TEST(BoosterTest, RejectsWrongColumnCountAndMismatchedLabels) {
  DenseMatrix x = RandomMatrix(100, 3, 7);
  auto booster = Booster::Train(x, Labels(x), Regression(2));
  ASSERT_TRUE(booster.ok());
  auto bad = booster->Predict(x.values.data(), 50, 6);
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("model has 3"), std::string::npos);
  std::vector<float> short_labels(10);
  EXPECT_EQ(Booster::Train(x, short_labels, Regression(2)).status().code(),
            StatusCode::kInvalidArgument);
  TrainOptions unknown_objective = Regression(2);
  unknown_objective.params["objective"] = "no:such";
  EXPECT_FALSE(Booster::Train(x, Labels(x), unknown_objective).ok());
}

TEST(BoosterTest, LoadRefusesGarbageAsCorruption) {
  EXPECT_EQ(Booster::Load("not a model").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Booster::Load("{\"learner\": 3}").status().code(), StatusCode::kCorruption);
}

TEST(MatrixTest, ConvertsTableColumnsWithNullsAsNaN) {
  Column a = Column::FromInt64({1, 2, 3}, {1, 0, 1});
  Column b = Column::FromFloat64({0.5, NAN, 2.5});
  auto table = Table::Make(Schema({{"a", DataType::kInt64}, {"b", DataType::kFloat64}}),
                           {std::move(a), std::move(b)});
  ASSERT_TRUE(table.ok());
  auto m = MatrixFromTable(*table, {"b", "a"});
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->cols, 2);
  EXPECT_FLOAT_EQ(m->at(0, 0), 0.5f);
  EXPECT_FLOAT_EQ(m->at(0, 1), 1.0f);
  EXPECT_TRUE(std::isnan(m->at(1, 0)));
  EXPECT_TRUE(std::isnan(m->at(1, 1)));
  auto missing = MatrixFromTable(*table, {"a", "zzz"});
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("zzz"), std::string::npos);
  EXPECT_EQ(NumericColumns(*table, {"a"}), std::vector<std::string>{"b"});
}

}  // namespace
}  // namespace ch::ml
