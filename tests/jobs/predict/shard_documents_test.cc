// Tests of shard assignment and keys, document records and shard merging.
#include <gtest/gtest.h>

#include "jobs/predict/documents.h"
#include "jobs/predict/shard.h"
#include "table/date.h"

namespace ch::jobs {
namespace {

TEST(ShardTest, ParsesIOfN) {
  auto s = ParseShard("2/5");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->index, 2);
  EXPECT_EQ(s->count, 5);
  for (const char* bad : {"5/5", "-1/2", "1", "a/b", "1/0", "1/2x", ""}) {
    auto r = ParseShard(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("--shard"), std::string::npos);
  }
}

TEST(ShardTest, EveryLocationIsInExactlyOneShard) {
  for (int n : {1, 2, 3, 7}) {
    for (int loc = 0; loc < 200; ++loc) {
      std::string code = "KA-" + std::to_string(loc);
      int owners = 0;
      for (int i = 0; i < n; ++i) owners += InShard(code, {i, n}) ? 1 : 0;
      EXPECT_EQ(owners, 1) << code << " n=" << n;
    }
  }
}

TEST(ShardTest, ShardKeySitsBesideTheFinalDocument) {
  EXPECT_EQ(ShardDocumentKey("alerts/2024-01-02/alerts.json", {1, 12}),
            "alerts/2024-01-02/alerts.shard-0001-of-0012.json");
}

TEST(DocumentTest, AlertRoundTripsThroughJson) {
  Alert a{"KA-001", "",   AlertKind::kHeatWave,      Severity::kSevere,         "hot",
          47.5,     45.0, DaysFromCivil(2024, 5, 2), DaysFromCivil(2024, 4, 30)};
  Json j = AlertToJson(a);
  EXPECT_EQ(j["id"], "2024-05-02/KA-001/-/heat_wave");
  EXPECT_TRUE(j["disease"].is_null());
  auto back = AlertFromJson(j, a.date, "doc");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->severity, Severity::kSevere);
  EXPECT_EQ(back->first_raised, a.first_raised);
  EXPECT_EQ(*back->threshold, 45.0);
  j["first_raised"] = "2024-13-01";
  auto bad = AlertFromJson(j, a.date, "alerts/x.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("alerts/x.json"), std::string::npos);
  EXPECT_NE(bad.status().message().find("first_raised"), std::string::npos);
}

Json ShardDoc(int index, int count, std::vector<std::string> locations, std::string etag = "e") {
  Json items = Json::array();
  for (auto& l : locations) items.push_back({{"location_code", l}, {"disease", "dengue"}});
  return Json{{"kind", "predictions"},
              {"date", "2024-01-01"},
              {"models", {{"risk_dengue", "v1"}}},
              {"input", {{"etag", etag}}},
              {"shard", {{"index", index}, {"count", count}}},
              {"predictions", items}};
}

TEST(DocumentTest, MergeSortsAndRefusesInconsistentShards) {
  auto merged =
      MergeShardDocuments({ShardDoc(1, 2, {"ZZ", "BB"}), ShardDoc(0, 2, {"AA"})}, {"k1", "k0"});
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  ASSERT_EQ((*merged)["predictions"].size(), 3u);
  EXPECT_EQ((*merged)["predictions"][0]["location_code"], "AA");
  EXPECT_EQ((*merged)["predictions"][2]["location_code"], "ZZ");
  EXPECT_FALSE(merged->contains("shard"));

  auto other_input =
      MergeShardDocuments({ShardDoc(0, 2, {"AA"}), ShardDoc(1, 2, {"BB"}, "f")}, {"k0", "k1"});
  ASSERT_FALSE(other_input.ok());
  EXPECT_NE(other_input.status().message().find("k1"), std::string::npos);
  auto repeated =
      MergeShardDocuments({ShardDoc(0, 2, {"AA"}), ShardDoc(0, 2, {"BB"})}, {"k0", "k0b"});
  EXPECT_FALSE(repeated.ok());
  auto too_few = MergeShardDocuments({ShardDoc(0, 3, {"AA"})}, {"k0"});
  EXPECT_FALSE(too_few.ok());
}

}  // namespace
}  // namespace ch::jobs
