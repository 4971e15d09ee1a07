// The batch job end to end on generator output: clean and dirty data, the
// counts, idempotence, shards and location groups, and failure midway.
#include "jobs/batch/batch_job.h"

#include <gtest/gtest.h>

#include <set>

#include "batch_test_util.h"
#include "codecs/object_io.h"
#include "services/data/data_service.h"
#include "services/data/processed_layout.h"
#include "support/failing_put_store.h"

namespace ch::batch {
namespace {

using testing::kBuckets;

// Every file: rows in = rows written from the input + rows rejected by a
// rule, and the report's per-rule counts match its issue list.
void ExpectCountsAddUp(const Json& report) {
  std::map<std::pair<std::string, std::string>, int64_t> listed;
  for (const Json& issue : report["issues"]) ++listed[{issue["file"], issue["rule"]}];
  for (const auto& [file, f] : report["files"].items()) {
    int64_t removed = 0;
    for (const auto& [rule, count] : f["rules"].items()) {
      EXPECT_EQ(count.get<int64_t>(), (listed[{file, rule}])) << file << " " << rule;
      if (rule != "out_of_order" && rule != "gap_interpolated" && rule != "gap_left") {
        removed += count.get<int64_t>();
      }
    }
    EXPECT_EQ(f["rows_in"].get<int64_t>(), f["rows_kept"].get<int64_t>() + removed) << file;
    EXPECT_EQ(f["rows_rejected"].get<int64_t>(), removed) << file;
    EXPECT_EQ(f["rows_out"].get<int64_t>(),
              f["rows_kept"].get<int64_t>() + f["rows_interpolated"].get<int64_t>());
  }
}

TEST(BatchJobTest, CleanGeneratorDataPassesWithoutIssues) {
  auto store = testing::MakeStore();
  const Json gen = testing::Generate(*store, 1, 1, 7, false);
  BatchSummary s = testing::MustRun(*store);
  EXPECT_FALSE(s.up_to_date);
  EXPECT_EQ(s.data_date, gen["end_date"]);
  const Json report = testing::LoadReport(*store);
  EXPECT_TRUE(report["issues"].empty()) << report["issues"].dump().substr(0, 500);
  ExpectCountsAddUp(report);
  for (int f = 0; f < kFileCount; ++f) EXPECT_EQ(s.Rejected(f), 0) << f;
  EXPECT_EQ(s.rows_in[kClimateFile], gen["files"]["raw/climate_data.csv"]["rows"].get<int64_t>());
  EXPECT_EQ(s.written.back(), "processed/manifest.json");
}

TEST(BatchJobTest, EveryInjectedFaultIsReportedByItsRule) {
  auto store = testing::MakeStore();
  const Json gen = testing::Generate(*store, 1, 2, 11, true);
  ASSERT_GT(gen["faults"].size(), 50u);
  testing::MustRun(*store);
  const Json report = testing::LoadReport(*store);
  std::set<std::tuple<std::string, int64_t, std::string>> reported;
  for (const Json& i : report["issues"]) {
    if (i.contains("line")) reported.insert({i["file"], i["line"].get<int64_t>(), i["rule"]});
  }
  std::set<std::string> kinds;
  for (const Json& fault : gen["faults"]) {
    const std::string kind = fault["kind"];
    kinds.insert(kind);
    EXPECT_TRUE(reported.count({fault["file"], fault["line"].get<int64_t>(), kind}))
        << "fault not reported: " << fault.dump();
  }
  EXPECT_EQ(kinds.size(), 8u);
  ExpectCountsAddUp(report);
}

TEST(BatchJobTest, DataServiceReadsWhatTheBatchWrote) {
  auto store = testing::MakeStore();
  testing::Generate(*store, 1, 1, 3, true);
  testing::MustRun(*store);
  services::DataService service(*store, kBuckets);
  Result<Table> all = service.LoadHealthData({});
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  Result<Table> ka = service.LoadHealthData({"KA-001", {}});
  ASSERT_TRUE(ka.ok()) << ka.status().ToString();
  const Table expected =
      all->FilterRows([&](int64_t r) { return all->column(1).String(r) == "KA-001"; });
  EXPECT_GT(ka->num_rows(), 300);
  EXPECT_TRUE(ka->Equals(expected));
  Result<Table> features = service.LoadFeatures({"KA-001", {}});
  ASSERT_TRUE(features.ok()) << features.status().ToString();
  EXPECT_EQ(features->num_rows(), ka->num_rows());
  Result<Table> locations = service.LoadLocations();
  ASSERT_TRUE(locations.ok()) << locations.status().ToString();
  EXPECT_EQ(locations->FindColumn("state_code")->String(0), "AN");
}

TEST(BatchJobTest, RerunOnUnchangedInputWritesNothingAndForceWritesSameBytes) {
  auto store = testing::MakeStore();
  testing::Generate(*store, 1, 1, 5, true);
  testing::MustRun(*store);
  const auto first = testing::Objects(*store, kBuckets.processed);
  std::map<std::string, TimePoint> modified;
  for (const auto& [key, bytes] : first)
    modified[key] = store->Head({kBuckets.processed, key, ""})->last_modified;
  BatchSummary again = testing::MustRun(*store);
  EXPECT_TRUE(again.up_to_date);
  EXPECT_TRUE(again.written.empty());
  for (const auto& [key, t] : modified) {
    EXPECT_EQ(store->Head({kBuckets.processed, key, ""})->last_modified, t) << key;
  }
  BatchOptions force;
  force.force = true;
  testing::MustRun(*store, force);
  EXPECT_EQ(testing::Objects(*store, kBuckets.processed), first);
}

TEST(BatchJobTest, ShardsMergedEqualOneUnshardedRunByteForByte) {
  auto whole = testing::MakeStore();
  auto sharded = testing::MakeStore();
  testing::Generate(*whole, 1, 2, 9, true);
  testing::Generate(*sharded, 1, 2, 9, true);
  testing::MustRun(*whole);
  for (int i = 0; i < 3; ++i) {
    BatchOptions o;
    o.sharded = true;
    o.shard_index = i;
    o.shard_count = 3;
    testing::MustRun(*sharded, o);
  }
  BatchOptions merge;
  merge.merge = true;
  testing::MustRun(*sharded, merge);
  const auto a = testing::Objects(*whole, kBuckets.processed);
  const auto b = testing::Objects(*sharded, kBuckets.processed);
  ASSERT_EQ(a.size(), b.size());
  for (const auto& [key, bytes] : a) {
    ASSERT_TRUE(b.count(key)) << key;
    EXPECT_TRUE(b.at(key) == bytes) << key << " differs";
  }
}

TEST(BatchJobTest, MergeWithAMissingShardFailsAndWritesNothing) {
  auto store = testing::MakeStore();
  testing::Generate(*store, 1, 1, 9, false);
  BatchOptions o;
  o.sharded = true;
  o.shard_count = 2;
  testing::MustRun(*store, o);
  BatchOptions merge;
  merge.merge = true;
  Result<BatchSummary> s = RunBatch(*store, kBuckets, merge);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kPreconditionFailed) << s.status().ToString();
  EXPECT_FALSE(store->Exists({kBuckets.processed, "processed/manifest.json", ""}).value());
}

TEST(BatchJobTest, LocationGroupsUnderATightMemoryBudgetGiveTheSameBytes) {
  auto one = testing::MakeStore();
  auto many = testing::MakeStore();
  testing::Generate(*one, 1, 1, 4, true);
  testing::Generate(*many, 1, 1, 4, true);
  testing::MustRun(*one);
  BatchOptions tight;
  tight.memory_budget_bytes = 2 << 20;
  std::vector<std::string> plan;
  tight.progress = [&](std::string_view stage, std::string_view message) {
    if (stage == "plan") plan.emplace_back(message);
  };
  BatchSummary s = testing::MustRun(*many, tight);
  EXPECT_GT(s.groups, 3);
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_NE(plan[0].find(std::to_string(s.groups) + " location group(s)"), std::string::npos)
      << plan[0];
  EXPECT_NE(plan[0].find("budget 2 MiB (given)"), std::string::npos) << plan[0];
  EXPECT_EQ(testing::Objects(*one, kBuckets.processed),
            testing::Objects(*many, kBuckets.processed));
}

TEST(BatchJobTest, FailureMidwayKeepsThePreviousManifestAndItsOutputs) {
  auto store = testing::MakeStore();
  testing::Generate(*store, 1, 1, 6, false);
  testing::MustRun(*store);
  const std::string manifest_before =
      store->Get({kBuckets.processed, "processed/manifest.json", ""}).value();
  testing::Generate(*store, 2, 1, 6, false);  // new inputs, a later data date
  ch::testing::FailingPutStore failing(*store, "features_", Status::IOError("disk full"));
  Result<BatchSummary> s = RunBatch(failing, kBuckets, BatchOptions{});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("disk full"), std::string::npos);
  EXPECT_EQ(store->Get({kBuckets.processed, "processed/manifest.json", ""}).value(),
            manifest_before);
  services::DataService service(*store, kBuckets);
  Result<Table> climate = service.LoadClimateData({"KA", {}});
  ASSERT_TRUE(climate.ok()) << climate.status().ToString();
  EXPECT_EQ(climate->num_rows(), 365);
}

TEST(BatchJobTest, AnOutputFailingWhileLocationGroupsAreJoinedKeepsTheOthersUncommitted) {
  auto store = testing::MakeStore();
  testing::Generate(*store, 1, 1, 6, false);
  testing::MustRun(*store);
  const auto before = testing::Digests(*store, kBuckets.processed);
  testing::Generate(*store, 2, 1, 6, false);
  BatchOptions tight;
  tight.memory_budget_bytes = 2 << 20;
  // The joined features output fails after its first bytes; the three other
  // outputs, written beside it, are smaller and would be done first.
  ch::testing::FailingPutStore failing(*store, "features_", Status::IOError("disk full"), 16);
  Result<BatchSummary> s = RunBatch(failing, kBuckets, tight);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), "disk full");
  EXPECT_EQ(testing::Digests(*store, kBuckets.processed), before);
}

}  // namespace
}  // namespace ch::batch
