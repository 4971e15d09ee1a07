// The batch job on a real Ceph RGW (CH_S3_ENDPOINT; skipped without): an
// interrupt in a location-group run aborts its uploads and still deletes the
// parts it had staged, though the interrupt stops every other request.
#include <gtest/gtest.h>

#include <csignal>

#include "batch_test_util.h"
#include "core/interrupt.h"
#include "generator/generator.h"
#include "jobs/batch/batch_job.h"
#include "storage/s3/s3_test_env.h"
#include "support/interrupting_store.h"

namespace ch::batch {
namespace {

namespace s3t = s3::testing;

class BatchRgwTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::optional<std::string> endpoint = s3t::EndpointFor(s3t::Server::kRgw);
    if (!endpoint) GTEST_SKIP() << "CH_S3_ENDPOINT is not set (no Ceph RGW)";
    store_ = s3t::MakeStore(s3t::Server::kRgw, s3t::OptionsFor(s3t::Server::kRgw, *endpoint));
    ASSERT_NE(store_, nullptr);
    buckets_ = {s3t::UniqueBucketName("batch-raw"), s3t::UniqueBucketName("batch-processed"),
                s3t::UniqueBucketName("batch-models")};
    for (const std::string* b : {&buckets_.raw, &buckets_.processed}) {
      ASSERT_TRUE(store_->CreateBucket(*b).ok()) << *b;
    }
  }
  void TearDown() override {
    ClearInterruptForTest();
    if (store_ == nullptr) return;
    for (const std::string* b : {&buckets_.raw, &buckets_.processed}) {
      EXPECT_TRUE(s3t::RemoveBucketAndContents(*store_, *b).ok()) << *b;
    }
  }

  void Generate(int years) {
    gen::GeneratorOptions o;
    o.years = years;
    o.districts_per_state = 1;
    o.seed = 9;
    o.threads = 2;
    Result<gen::GenerationReport> report = gen::GenerateToStore(o, *store_, buckets_.raw);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
  }

  std::unique_ptr<s3::S3Store> store_;
  BucketNames buckets_;
};

TEST_F(BatchRgwTest, AnInterruptInALocationGroupRunLeavesNoStagedPartsOnTheServer) {
  Generate(1);
  ASSERT_TRUE(RunBatch(*store_, buckets_, BatchOptions{.threads = 2}).ok());
  const auto before = testing::Digests(*store_, buckets_.processed);
  Generate(2);
  BatchOptions tight;
  tight.threads = 2;
  tight.memory_budget_bytes = 2 << 20;  // several location groups, parts under _work/
  // The interrupt comes as the second group's features part starts: the first
  // group's four parts are on the server by then.
  ch::testing::InterruptingStore interrupting(*store_, "/features/0-1.csv");
  Result<BatchSummary> s = RunBatch(interrupting, buckets_, tight);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.status().IsCancelled()) << s.status().ToString();
  ClearInterruptForTest();  // the checks below are requests too
  EXPECT_EQ(testing::Digests(*store_, buckets_.processed), before);
}

}  // namespace
}  // namespace ch::batch
