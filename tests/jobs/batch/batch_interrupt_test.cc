// The batch job stopped by an interrupt (a first Ctrl-C): it returns
// Cancelled, whether the interrupt came while it read its inputs or while it
// wrote its outputs, and the processed bucket stays exactly as it was.
#include <gtest/gtest.h>

#include "batch_test_util.h"
#include "core/interrupt.h"
#include "jobs/batch/batch_job.h"
#include "support/interrupting_store.h"

namespace ch::batch {
namespace {

using testing::kBuckets;

TEST(BatchInterruptTest, AnInterruptBeforeTheScanStopsTheRunAndWritesNothing) {
  ch::testing::ClearInterruptAtEnd clear;
  auto store = testing::MakeStore();
  testing::Generate(*store, 1, 1, 5, false);
  RequestInterrupt(SIGINT);
  Result<BatchSummary> s = RunBatch(*store, kBuckets, BatchOptions{});
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.status().IsCancelled()) << s.status().ToString();
  EXPECT_NE(s.status().message().find("interrupted (SIGINT)"), std::string::npos)
      << s.status().ToString();
  EXPECT_TRUE(testing::Objects(*store, kBuckets.processed).empty());
}

TEST(BatchInterruptTest, AnInterruptWhileOutputsGoUpKeepsThePreviousOutputsWhole) {
  ch::testing::ClearInterruptAtEnd clear;
  auto store = testing::MakeStore();
  testing::Generate(*store, 1, 1, 6, false);
  testing::MustRun(*store);
  const auto before = testing::Digests(*store, kBuckets.processed);
  testing::Generate(*store, 2, 1, 6, false);  // new inputs: every output would change
  // The interrupt arrives as the features upload starts reading, while most
  // locations are still to be handed over.
  ch::testing::InterruptingStore interrupting(*store, "features_");
  BatchOptions one_group;
  one_group.threads = 2;
  Result<BatchSummary> s = RunBatch(interrupting, kBuckets, one_group);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.status().IsCancelled()) << s.status().ToString();
  EXPECT_EQ(testing::Digests(*store, kBuckets.processed), before);
}

TEST(BatchInterruptTest, AnInterruptInALocationGroupRunLeavesNoPartsBehind) {
  ch::testing::ClearInterruptAtEnd clear;
  auto store = testing::MakeStore();
  testing::Generate(*store, 1, 1, 7, false);
  BatchOptions tight;
  tight.memory_budget_bytes = 2 << 20;  // several location groups, parts under a prefix
  // In the second group: the first group's parts are stored by then.
  ch::testing::InterruptingStore interrupting(*store, "/features/0-1.csv");
  Result<BatchSummary> s = RunBatch(interrupting, kBuckets, tight);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.status().IsCancelled()) << s.status().ToString();
  EXPECT_TRUE(testing::Objects(*store, kBuckets.processed).empty());
}

TEST(BatchInterruptTest, AnInterruptWhileLocationGroupsAreJoinedKeepsThePreviousOutputsWhole) {
  ch::testing::ClearInterruptAtEnd clear;
  auto store = testing::MakeStore();
  testing::Generate(*store, 1, 1, 8, false);
  testing::MustRun(*store);
  const auto before = testing::Digests(*store, kBuckets.processed);
  testing::Generate(*store, 2, 1, 8, false);
  BatchOptions tight;
  tight.memory_budget_bytes = 2 << 20;
  // Only the joined output's key has "features_" (the groups' parts sit under
  // ".../features/"): the interrupt comes after every group is stored.
  ch::testing::InterruptingStore interrupting(*store, "features_");
  Result<BatchSummary> s = RunBatch(interrupting, kBuckets, tight);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.status().IsCancelled()) << s.status().ToString();
  EXPECT_EQ(testing::Digests(*store, kBuckets.processed), before);
}

}  // namespace
}  // namespace ch::batch
