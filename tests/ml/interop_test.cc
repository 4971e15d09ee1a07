// Interop with Python's xgboost 1.7 (python3-xgboost): models and scalers
// cross in both directions and predict identically (|diff| < 1e-6).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>

#include "codecs/json_codec.h"
#include "ml/booster.h"
#include "ml/scaler.h"
#include "ml_test_util.h"
#include "support/temp_dir.h"

namespace ch::ml {
namespace {

using ch::testing::ReadFile;
using testing::ReadFloats;
using testing::WriteFloats;

const std::string kPython = "/usr/bin/python3";
const std::string kScript = std::string(CH_SOURCE_DIR) + "/tests/ml/xgb_interop.py";

bool PythonXgboostAvailable() {
  static const bool available =
      std::system((kPython + " -c 'import xgboost, numpy' >/dev/null 2>&1").c_str()) == 0;
  return available;
}

int RunScript(const std::string& verb, const std::filesystem::path& dir) {
  return std::system((kPython + " " + kScript + " " + verb + " " + dir.string()).c_str());
}

#define SKIP_WITHOUT_PYTHON_XGBOOST()                                                \
  if (!PythonXgboostAvailable())                                                     \
  GTEST_SKIP() << "python3-xgboost (and numpy) not importable by /usr/bin/python3; " \
                  "install python3-xgboost to run the interop tests"

void WriteMeta(const std::filesystem::path& dir, const DenseMatrix& x,
               const std::vector<std::string>& models) {
  Json meta = {
      {"rows", x.rows}, {"cols", x.cols}, {"models", models}, {"features", x.feature_names}};
  std::ofstream(dir / "meta.json") << meta.dump();
  WriteFloats(dir / "x.f32", x.values);
}

TEST(InteropTest, PythonTrainedModelsPredictIdenticallyHere) {
  SKIP_WITHOUT_PYTHON_XGBOOST();
  ch::testing::TempDir dir("py-xgb");
  ASSERT_EQ(RunScript("train", dir.path()), 0);
  auto meta = ParseJson(ReadFile(dir.path() / "meta.json"));
  ASSERT_TRUE(meta.ok());
  const int64_t rows = (*meta)["rows"];
  const int cols = (*meta)["cols"];
  std::vector<float> x = ReadFloats(dir.path() / "x.f32");
  ASSERT_EQ(x.size(), static_cast<size_t>(rows * cols));
  for (const std::string name : {"poisson", "softprob"}) {
    std::vector<float> expected = ReadFloats(dir.path() / (name + ".pred.f32"));
    for (const std::string ext : {"json", "ubj"}) {
      auto booster = Booster::Load(ReadFile(dir.path() / (name + "." + ext)));
      ASSERT_TRUE(booster.ok()) << booster.status().ToString();
      EXPECT_EQ(booster->feature_names(), (*meta)["features"].get<std::vector<std::string>>());
      auto pred = booster->Predict(x.data(), rows, cols);
      ASSERT_TRUE(pred.ok());
      ASSERT_EQ(pred->values.size(), expected.size()) << name << "." << ext;
      double worst = 0;
      for (size_t i = 0; i < expected.size(); ++i) {
        worst = std::max(worst, std::fabs(static_cast<double>(pred->values[i]) - expected[i]));
      }
      EXPECT_LT(worst, 1e-6) << name << "." << ext;
    }
  }
}

TEST(InteropTest, ModelsTrainedHerePredictIdenticallyInPython) {
  SKIP_WITHOUT_PYTHON_XGBOOST();
  ch::testing::TempDir dir("cc-xgb");
  DenseMatrix x = testing::RandomMatrix(1500, 5, 11);
  std::vector<float> counts(x.rows), classes(x.rows);
  for (int64_t r = 0; r < x.rows; ++r) {
    counts[r] = std::round(std::exp(testing::Clean(x.at(r, 0))));
    classes[r] = static_cast<float>(r % 4 == 0 ? 3 : (testing::Clean(x.at(r, 1)) > 0 ? 1 : 0));
  }
  struct Spec {
    std::string name, objective;
    const std::vector<float>* y;
  };
  for (const Spec& spec :
       {Spec{"poisson", "count:poisson", &counts}, Spec{"softprob", "multi:softprob", &classes}}) {
    TrainOptions o;
    o.params = {{"objective", spec.objective}, {"max_depth", "5"}};
    if (spec.objective == "multi:softprob") o.params["num_class"] = "4";
    o.num_rounds = 25;
    auto booster = Booster::Train(x, *spec.y, o);
    ASSERT_TRUE(booster.ok()) << booster.status().ToString();
    auto pred = booster->Predict(x);
    ASSERT_TRUE(pred.ok());
    WriteFloats(dir.path() / (spec.name + ".pred.f32"), pred->values);
    for (ModelFormat f : {ModelFormat::kJson, ModelFormat::kUbj}) {
      auto bytes = booster->Save(f);
      ASSERT_TRUE(bytes.ok());
      std::ofstream(dir.path() / (spec.name + "." + std::string(ModelFormatExtension(f))),
                    std::ios::binary)
          << *bytes;
    }
  }
  WriteMeta(dir.path(), x, {"poisson", "softprob"});
  EXPECT_EQ(RunScript("check", dir.path()), 0);
}

TEST(InteropTest, ScalerJsonHoldsScikitLearnFieldsAndValues) {
  SKIP_WITHOUT_PYTHON_XGBOOST();
  ch::testing::TempDir dir("scaler");
  DenseMatrix x = testing::RandomMatrix(400, 4, 12);
  for (int64_t r = 0; r < x.rows; ++r) x.at(r, 3) = 5.0f;  // constant: scale_ 1
  auto scaler = StandardScaler::Fit(x);
  ASSERT_TRUE(scaler.ok());
  EXPECT_EQ(scaler->scale()[3], 1.0);
  std::ofstream(dir.path() / "scaler.json") << scaler->ToJson().dump();
  DenseMatrix z = x;
  ASSERT_TRUE(scaler->Transform(z).ok());
  WriteFloats(dir.path() / "z.f32", z.values);
  WriteMeta(dir.path(), x, {});
  EXPECT_EQ(RunScript("scaler", dir.path()), 0);
}

}  // namespace
}  // namespace ch::ml
