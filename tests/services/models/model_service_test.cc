// Tests of ModelService: immutable versions, verified loads, the current
// pointer under races, listing, and the model archive.
#include "services/models/model_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "codecs/compression.h"
#include "codecs/object_io.h"
#include "services/models/model_archive.h"
#include "storage/forwarding_store.h"
#include "storage/memory_store.h"

namespace ch::services {
namespace {

BucketNames Buckets() { return {"raw-b", "proc-b", "models-b"}; }

class ModelServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(store_.CreateBucket("models-b").ok()); }
  Json Meta(const std::string& version) {
    return {{"version", version}, {"features", {"a", "b"}}, {"metrics", {{"mae", 1.5}}}};
  }
  MemoryStore store_;
  ModelService models_{store_, Buckets()};
};

TEST_F(ModelServiceTest, SavesImmutableVersionsWithChecksummedMetadata) {
  auto rec = models_.SaveModel("risk_dengue", "model-bytes", "ubj", Meta("20240101T000000Z-aa"));
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  EXPECT_EQ(rec->metadata["artefact"]["size"], 11);
  EXPECT_EQ(rec->metadata["artefact"]["sha256"], Sha256Hex("model-bytes"));
  EXPECT_EQ(rec->metadata["artefact"]["key"], "models/risk_dengue/20240101T000000Z-aa/model.ubj");
  auto meta =
      LoadJson(store_, {"models-b", ModelService::MetadataKey("risk_dengue", rec->version)});
  ASSERT_TRUE(meta.ok());
  EXPECT_EQ((*meta)["features"], Json({"a", "b"}));
  auto again = models_.SaveModel("risk_dengue", "other", "ubj", Meta("20240101T000000Z-aa"));
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(*store_.Get({"models-b", "models/risk_dengue/20240101T000000Z-aa/model.ubj"}),
            "model-bytes");
}

TEST_F(ModelServiceTest, GeneratedVersionsSortByTime) {
  std::string v = NewModelVersion();
  ASSERT_EQ(v.size(), 25u);
  EXPECT_EQ(v[8], 'T');
  EXPECT_EQ(v[15], 'Z');
  EXPECT_EQ(v[16], '-');
  EXPECT_NE(v, NewModelVersion());
}

TEST_F(ModelServiceTest, LoadsTheCurrentVersionAndVerifiesIt) {
  ASSERT_TRUE(models_.SaveModel("scaler", "v1", "json", Meta("20240101T000000Z-01")).ok());
  ASSERT_TRUE(models_.SaveModel("scaler", "v2", "json", Meta("20240102T000000Z-02")).ok());
  EXPECT_EQ(models_.LoadScaler().status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(*models_.ModelExists("scaler"));
  ASSERT_TRUE(models_.SetCurrent("scaler", "20240101T000000Z-01", std::nullopt).ok());
  auto art = models_.LoadScaler();
  ASSERT_TRUE(art.ok()) << art.status().ToString();
  EXPECT_EQ(art->bytes, "v1");
  EXPECT_TRUE(art->record.current);
  EXPECT_FALSE(art->etag.empty());
  auto older = models_.LoadModel("scaler", "20240102T000000Z-02");
  ASSERT_TRUE(older.ok());
  EXPECT_EQ(older->bytes, "v2");
  EXPECT_FALSE(older->record.current);
  EXPECT_TRUE(*models_.ModelExists("scaler", "20240102T000000Z-02"));
  EXPECT_FALSE(*models_.ModelExists("scaler", "20990101T000000Z-ff"));
}

TEST_F(ModelServiceTest, RefusesTamperedArtefactsAndFeatureListsNamingTheKey) {
  ASSERT_TRUE(models_.SaveModel("forecast_malaria", "abcdef", "ubj", Meta("V1")).ok());
  const std::string key = "models/forecast_malaria/V1/model.ubj";
  ASSERT_TRUE(store_.Put({"models-b", key}, "abcdeX").ok());
  auto bad_sum = models_.LoadModel("forecast_malaria", "V1");
  EXPECT_EQ(bad_sum.status().code(), StatusCode::kCorruption);
  EXPECT_NE(bad_sum.status().message().find(key), std::string::npos);
  ASSERT_TRUE(store_.Put({"models-b", key}, "abc").ok());
  EXPECT_EQ(models_.LoadModel("forecast_malaria", "V1").status().code(), StatusCode::kCorruption);
  ASSERT_TRUE(store_.Put({"models-b", key}, "abcdef").ok());
  ASSERT_TRUE(models_.LoadModel("forecast_malaria", "V1").ok());
  const ObjectRef meta_ref{"models-b", ModelService::MetadataKey("forecast_malaria", "V1")};
  Json meta = *LoadJson(store_, meta_ref);
  meta["features"] = {"b", "a"};
  ASSERT_TRUE(SaveJson(store_, meta_ref, meta).ok());
  auto bad_features = models_.LoadModel("forecast_malaria", "V1");
  EXPECT_EQ(bad_features.status().code(), StatusCode::kCorruption);
  EXPECT_NE(bad_features.status().message().find("feature"), std::string::npos);
}

TEST_F(ModelServiceTest, SetCurrentIsConditional) {
  for (const char* v : {"V1", "V2", "V3"}) {
    ASSERT_TRUE(models_.SaveModel("risk_malaria", v, "ubj", Meta(v)).ok());
  }
  EXPECT_EQ(models_.SetCurrent("risk_malaria", "V9", std::nullopt).code(), StatusCode::kNotFound);
  ASSERT_TRUE(models_.SetCurrent("risk_malaria", "V1", std::nullopt).ok());
  EXPECT_EQ(models_.SetCurrent("risk_malaria", "V2", std::nullopt).code(),
            StatusCode::kPreconditionFailed);
  EXPECT_EQ(models_.SetCurrent("risk_malaria", "V2", "V3").code(), StatusCode::kPreconditionFailed);
  ASSERT_TRUE(models_.SetCurrent("risk_malaria", "V2", "V1").ok());
  EXPECT_EQ(models_.LoadModel("risk_malaria")->bytes, "V2");
}

// Switches the pointer behind the caller's back between its read and write.
class RacingStore : public ForwardingStore {
 public:
  RacingStore(ObjectStore& target, ModelService& other) : ForwardingStore(target), other_(other) {}
  Result<ObjectInfo> Put(const ObjectRef& ref, std::string_view bytes,
                         const PutOptions& options) override {
    if (ref.key.ends_with("current.json") && !raced_.exchange(true)) {
      Status s = other_.SetCurrent("risk_heat_illness", "B", "A");
      if (!s.ok()) return s;
    }
    return ForwardingStore::Put(ref, bytes, options);
  }

 private:
  ModelService& other_;
  std::atomic<bool> raced_{false};
};

TEST_F(ModelServiceTest, RacingTrainersCannotBothSwitchThePointer) {
  for (const char* v : {"A", "B", "C"}) {
    ASSERT_TRUE(models_.SaveModel("risk_heat_illness", v, "ubj", Meta(v)).ok());
  }
  ASSERT_TRUE(models_.SetCurrent("risk_heat_illness", "A", std::nullopt).ok());
  RacingStore racing(store_, models_);
  ModelService slow(racing, Buckets());
  Status s = slow.SetCurrent("risk_heat_illness", "C", "A");
  EXPECT_EQ(s.code(), StatusCode::kPreconditionFailed) << s.ToString();
  EXPECT_EQ(models_.LoadModel("risk_heat_illness")->bytes, "B");
}

TEST_F(ModelServiceTest, ConcurrentSwitchesLeaveExactlyOneWinner) {
  ASSERT_TRUE(models_.SaveModel("risk_respiratory", "base", "ubj", Meta("V0")).ok());
  ASSERT_TRUE(models_.SetCurrent("risk_respiratory", "V0", std::nullopt).ok());
  std::vector<std::string> versions;
  for (int i = 1; i <= 8; ++i) {
    versions.push_back("V" + std::to_string(i));
    ASSERT_TRUE(
        models_.SaveModel("risk_respiratory", versions.back(), "ubj", Meta(versions.back())).ok());
  }
  std::atomic<int> wins{0};
  std::vector<std::thread> threads;
  for (const std::string& v : versions) {
    threads.emplace_back([&, v] {
      if (models_.SetCurrent("risk_respiratory", v, "V0").ok()) ++wins;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), 1);
}

TEST_F(ModelServiceTest, ListsEveryVersionNewestFirstWithTheCurrentMarked) {
  ASSERT_TRUE(models_.SaveModel("risk_dengue", "x", "ubj", Meta("20240101T000000Z-01")).ok());
  ASSERT_TRUE(models_.SaveModel("risk_dengue", "y", "ubj", Meta("20240301T000000Z-02")).ok());
  ASSERT_TRUE(models_.SaveModel("scaler", "z", "json", Meta("20240201T000000Z-03")).ok());
  ASSERT_TRUE(models_.SetCurrent("risk_dengue", "20240101T000000Z-01", std::nullopt).ok());
  auto all = models_.ListModels();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].version, "20240301T000000Z-02");
  EXPECT_FALSE((*all)[0].current);
  EXPECT_TRUE((*all)[1].current);
  EXPECT_EQ((*all)[2].name, "scaler");
  EXPECT_EQ(models_.ListModels("scaler")->size(), 1u);
  EXPECT_EQ(models_.LoadModel("../x").status().code(), StatusCode::kInvalidArgument);
}

TEST(ModelArchiveTest, WritesAGzippedUstarWithTheFileAtTheRoot) {
  auto tgz = MakeTarGz({{kSageMakerModelFile, "{\"learner\": {}}"}});
  ASSERT_TRUE(tgz.ok());
  auto tar = DecompressBytes(*tgz, Compression::kGzip);
  ASSERT_TRUE(tar.ok());
  ASSERT_EQ(tar->size() % 512, 0u);
  EXPECT_EQ(tar->substr(0, 13), "xgboost-model");
  EXPECT_EQ(tar->substr(257, 5), "ustar");
  EXPECT_EQ(tar->substr(512, 15), "{\"learner\": {}}");
  EXPECT_EQ(MakeTarGz({{"../evil", "x"}}).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ch::services
