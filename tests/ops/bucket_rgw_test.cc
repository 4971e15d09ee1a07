// `buckets init` / `buckets check` against a real S3 server (Ceph RGW, started
// by scripts/s3/start-ceph-rgw.sh; endpoint from CH_S3_ENDPOINT — skipped when
// unset). Each test works on three fresh buckets.
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

#include "ops/bucket_policy.h"
#include "storage/forwarding_store.h"
#include "storage/s3/s3_store.h"

namespace ch::ops {
namespace {

class RgwBucketsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* endpoint = std::getenv("CH_S3_ENDPOINT");
    if (endpoint == nullptr || *endpoint == '\0') GTEST_SKIP() << "CH_S3_ENDPOINT is not set";
    s3::S3StoreOptions o;
    o.endpoint = endpoint;
    o.path_style = true;
    o.max_attempts = 3;
    auto creds = std::make_shared<s3::StaticCredentialsProvider>(s3::Credentials{
        "CLIMAHEALTHACCESSKEY", "climahealthSecretKey0123456789abcdefABCD", "", std::nullopt});
    auto store = s3::S3Store::Make(o, creds);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    Result<bool> up = store_->BucketExists("climahealth-raw");
    if (!up.ok()) GTEST_SKIP() << "no S3 server at " << endpoint << ": " << up.status().ToString();
    const std::string tag = "ops-" + std::to_string(std::random_device{}() % 1000000000);
    names_ = BucketNames{tag + "-raw", tag + "-processed", tag + "-models"};
    expected_ = ExpectedPolicy(names_, {});
  }

  static const InitAction* Action(const InitReport& r, const std::string& bucket,
                                  const std::string& item) {
    for (const InitAction& a : r.actions) {
      if (a.bucket == bucket && a.item == item) return &a;
    }
    return nullptr;
  }
  static const CheckItem* Item(const CheckReport& r, const std::string& bucket,
                               const std::string& item) {
    for (const CheckItem& i : r.items) {
      if (i.bucket == bucket && i.item == item) return &i;
    }
    return nullptr;
  }
  std::vector<LifecycleRule> Rules(const std::string& bucket) {
    Result<std::vector<LifecycleRule>> rules = store_->GetLifecycle(bucket);
    EXPECT_TRUE(rules.ok()) << rules.status().ToString();
    return rules.ok() ? *rules : std::vector<LifecycleRule>{};
  }
  static std::string Dump(const CheckReport& r) {
    std::string text;
    for (const CheckItem& i : r.items) {
      text += i.bucket + " | " + i.item + " | " + std::string(ItemStateName(i.state)) + " | " +
              i.expected + " | " + i.actual + "\n";
    }
    return text;
  }

  std::unique_ptr<s3::S3Store> store_;
  BucketNames names_;
  std::vector<ExpectedBucket> expected_;
};

TEST_F(RgwBucketsTest, InitCreatesBucketsAppliesThePolicyAndASecondRunChangesNothing) {
  Result<InitReport> first = InitBuckets(*store_, expected_);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->Changed());
  for (const std::string& b : {names_.raw, names_.processed, names_.models}) {
    EXPECT_EQ(Action(*first, b, "bucket")->kind, ActionKind::kCreated) << b;
    EXPECT_TRUE(store_->BucketExists(b).value()) << b;
  }
  EXPECT_EQ(Action(*first, names_.models, "versioning")->kind, ActionKind::kChanged);
  EXPECT_TRUE(store_->GetVersioning(names_.models).value());
  EXPECT_FALSE(store_->GetVersioning(names_.raw).value());
  // RGW implements lifecycle: the archive rules are on the server as asked.
  const InitAction* archive = Action(*first, names_.processed, "rule climahealth-archive-alerts");
  ASSERT_NE(archive, nullptr);
  EXPECT_EQ(archive->kind, ActionKind::kChanged) << archive->detail;
  bool found = false;
  for (const LifecycleRule& r : Rules(names_.processed)) {
    if (r.id != "climahealth-archive-alerts") continue;
    found = true;
    EXPECT_EQ(r.prefix, "alerts/");
    EXPECT_EQ(r.transition_days, 90);
    EXPECT_EQ(r.transition_storage_class, "GLACIER");
  }
  EXPECT_TRUE(found);

  Result<CheckReport> check = CheckBuckets(*store_, expected_);
  ASSERT_TRUE(check.ok()) << check.status().ToString();
  EXPECT_TRUE(check->Verdict().ok()) << check->Verdict().ToString() << "\n" << Dump(*check);

  Result<InitReport> second = InitBuckets(*store_, expected_);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_FALSE(second->Changed());
  for (const InitAction& a : second->actions) {
    EXPECT_NE(a.kind, ActionKind::kCreated) << a.bucket << " " << a.item;
    EXPECT_NE(a.kind, ActionKind::kChanged) << a.bucket << " " << a.item << ": " << a.detail;
  }
}

TEST_F(RgwBucketsTest, CheckReportsChangedRulesAndInitRestoresThemKeepingTheOperatorsOwn) {
  ASSERT_TRUE(InitBuckets(*store_, expected_).ok());
  std::vector<LifecycleRule> rules = Rules(names_.processed);
  for (LifecycleRule& r : rules) {
    if (r.id == "climahealth-archive-alerts") r.transition_days = 10;
  }
  LifecycleRule own;
  own.id = "operator-tmp";
  own.prefix = "tmp/";
  own.expiration_days = 3;
  rules.push_back(own);
  ASSERT_TRUE(store_->PutLifecycle(names_.processed, rules).ok());

  Result<CheckReport> check = CheckBuckets(*store_, expected_);
  ASSERT_TRUE(check.ok()) << check.status().ToString();
  const CheckItem* alerts = Item(*check, names_.processed, "rule climahealth-archive-alerts");
  ASSERT_NE(alerts, nullptr) << Dump(*check);
  EXPECT_EQ(alerts->state, ItemState::kDifferent);
  EXPECT_NE(alerts->actual.find("after 10 days"), std::string::npos) << alerts->actual;
  EXPECT_EQ(Item(*check, names_.processed, "rule operator-tmp")->state, ItemState::kExtra);
  EXPECT_EQ(check->Verdict().code(), StatusCode::kPreconditionFailed);

  Result<InitReport> fixed = InitBuckets(*store_, expected_);
  ASSERT_TRUE(fixed.ok()) << fixed.status().ToString();
  EXPECT_TRUE(fixed->Changed());
  EXPECT_EQ(Action(*fixed, names_.processed, "rule climahealth-archive-alerts")->kind,
            ActionKind::kChanged);
  bool kept = false;
  for (const LifecycleRule& r : Rules(names_.processed)) {
    kept |= r.id == "operator-tmp" && r.expiration_days == 3 && r.prefix == "tmp/";
  }
  EXPECT_TRUE(kept);
  EXPECT_TRUE(CheckBuckets(*store_, expected_)->Verdict().ok());
}

// A server without storage classes: refuses any transition, as MinIO does
// without a configured tier (fault injection over the real server).
class NoStorageClassStore : public ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  Status PutLifecycle(std::string_view bucket, const std::vector<LifecycleRule>& rules) override {
    for (const LifecycleRule& r : rules) {
      if (r.transition_days > 0) {
        return Status::InvalidArgument("put lifecycle of " + std::string(bucket) +
                                       ": InvalidStorageClass: " + r.transition_storage_class);
      }
    }
    return ForwardingStore::PutLifecycle(bucket, rules);
  }
};

TEST_F(RgwBucketsTest, WithoutStorageClassesOutputsExpireInsteadAndCheckAcceptsIt) {
  NoStorageClassStore store(*store_);
  Result<InitReport> report = InitBuckets(store, expected_);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  const InitAction* alerts = Action(*report, names_.processed, "rule climahealth-archive-alerts");
  ASSERT_NE(alerts, nullptr);
  EXPECT_EQ(alerts->kind, ActionKind::kChanged);
  EXPECT_NE(alerts->detail.find("refused storage class GLACIER"), std::string::npos)
      << alerts->detail;
  for (const LifecycleRule& r : Rules(names_.processed)) {
    if (r.id == "climahealth-archive-alerts") {
      EXPECT_EQ(r.transition_days, 0);
      EXPECT_EQ(r.expiration_days, 365);
    }
  }
  Result<CheckReport> check = CheckBuckets(store, expected_);
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->Verdict().ok()) << Dump(*check);
  EXPECT_NE(Item(*check, names_.processed, "rule climahealth-archive-alerts")
                ->actual.find("no storage classes"),
            std::string::npos);
  EXPECT_FALSE(InitBuckets(store, expected_)->Changed());
}

}  // namespace
}  // namespace ch::ops
