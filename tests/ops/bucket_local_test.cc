// `buckets init` / `buckets check` on the local store, which keeps versions
// itself and has no lifecycle, encryption or public-access settings.
#include <gtest/gtest.h>

#include "ops/bucket_policy.h"
#include "storage/local_store.h"
#include "support/temp_dir.h"

namespace ch::ops {
namespace {

class LocalBucketsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    LocalStoreOptions o;
    o.root = dir_.path() / "store";
    auto store = LocalStore::Make(o);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    expected_ = ExpectedPolicy(BucketNames{"raw-bucket", "processed-bucket", "models-bucket"}, {});
  }

  const InitAction* Action(const InitReport& r, const std::string& bucket,
                           const std::string& item) {
    for (const InitAction& a : r.actions) {
      if (a.bucket == bucket && a.item == item) return &a;
    }
    return nullptr;
  }
  const CheckItem* Item(const CheckReport& r, const std::string& bucket, const std::string& item) {
    for (const CheckItem& i : r.items) {
      if (i.bucket == bucket && i.item == item) return &i;
    }
    return nullptr;
  }

  testing::TempDir dir_{"ops-local"};
  std::unique_ptr<LocalStore> store_;
  std::vector<ExpectedBucket> expected_;
};

TEST_F(LocalBucketsTest, CheckOnAnEmptyStoreReportsEveryBucketMissing) {
  Result<CheckReport> report = CheckBuckets(*store_, expected_);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->Count(ItemState::kMissing), 3u);
  Status verdict = report->Verdict();
  EXPECT_EQ(verdict.code(), StatusCode::kNotFound);
  EXPECT_NE(verdict.message().find("models-bucket: bucket"), std::string::npos)
      << verdict.message();
}

TEST_F(LocalBucketsTest, InitCreatesBucketsAndVersionsModelsAndSaysWhatTheStoreCannotDo) {
  Result<InitReport> report = InitBuckets(*store_, expected_);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->Changed());
  for (const char* bucket : {"raw-bucket", "processed-bucket", "models-bucket"}) {
    const InitAction* created = Action(*report, bucket, "bucket");
    ASSERT_NE(created, nullptr) << bucket;
    EXPECT_EQ(created->kind, ActionKind::kCreated);
    EXPECT_TRUE(store_->BucketExists(bucket).value());
    const InitAction* lifecycle = Action(*report, bucket, "lifecycle");
    ASSERT_NE(lifecycle, nullptr) << bucket;
    EXPECT_EQ(lifecycle->kind, ActionKind::kUnsupported);
    EXPECT_NE(lifecycle->detail.find("not supported by local:"), std::string::npos)
        << lifecycle->detail;
    EXPECT_EQ(Action(*report, bucket, "encryption")->kind, ActionKind::kUnsupported);
    EXPECT_EQ(Action(*report, bucket, "public access")->kind, ActionKind::kUnsupported);
  }
  EXPECT_EQ(Action(*report, "models-bucket", "versioning")->kind, ActionKind::kChanged);
  EXPECT_TRUE(store_->GetVersioning("models-bucket").value());
  EXPECT_EQ(Action(*report, "raw-bucket", "versioning"), nullptr);  // not asked for
  EXPECT_FALSE(store_->GetVersioning("raw-bucket").value());
}

TEST_F(LocalBucketsTest, SecondInitChangesNothing) {
  ASSERT_TRUE(InitBuckets(*store_, expected_).ok());
  Result<InitReport> again = InitBuckets(*store_, expected_);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_FALSE(again->Changed());
  for (const InitAction& a : again->actions) {
    EXPECT_TRUE(a.kind == ActionKind::kUnchanged || a.kind == ActionKind::kUnsupported)
        << a.bucket << " " << a.item << ": " << ActionKindName(a.kind);
  }
}

TEST_F(LocalBucketsTest, CheckAfterInitPassesAndListsUnsupportedSettings) {
  ASSERT_TRUE(InitBuckets(*store_, expected_).ok());
  Result<CheckReport> report = CheckBuckets(*store_, expected_);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->Verdict().ok()) << report->Verdict().ToString();
  EXPECT_EQ(report->Count(ItemState::kMissing), 0u);
  EXPECT_GT(report->Count(ItemState::kUnsupported), 0u);
  const CheckItem* versioning = Item(*report, "models-bucket", "versioning");
  ASSERT_NE(versioning, nullptr);
  EXPECT_EQ(versioning->state, ItemState::kOk);
  const CheckItem* rule =
      Item(*report, "models-bucket", "rule climahealth-expire-noncurrent-models");
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(rule->state, ItemState::kUnsupported);
  EXPECT_NE(rule->actual.find("lifecycle rules are not supported"), std::string::npos)
      << rule->actual;
}

TEST_F(LocalBucketsTest, CheckFailsWhenModelVersioningIsSwitchedOff) {
  ASSERT_TRUE(InitBuckets(*store_, expected_).ok());
  ASSERT_TRUE(store_->SetVersioning("models-bucket", false).ok());
  Result<CheckReport> report = CheckBuckets(*store_, expected_);
  ASSERT_TRUE(report.ok());
  const CheckItem* versioning = Item(*report, "models-bucket", "versioning");
  ASSERT_NE(versioning, nullptr);
  EXPECT_EQ(versioning->state, ItemState::kMissing);
  EXPECT_EQ(versioning->actual, "off");
  EXPECT_EQ(report->Verdict().code(), StatusCode::kNotFound);
  // init puts it back, and says it did.
  Result<InitReport> fixed = InitBuckets(*store_, expected_);
  ASSERT_TRUE(fixed.ok());
  EXPECT_TRUE(fixed->Changed());
  EXPECT_EQ(Action(*fixed, "models-bucket", "versioning")->kind, ActionKind::kChanged);
  EXPECT_TRUE(CheckBuckets(*store_, expected_)->Verdict().ok());
}

}  // namespace
}  // namespace ch::ops
