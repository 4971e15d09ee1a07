// The bucket policy as data: what each bucket should hold, option checks, rule
// comparison and conversion to the store interface's rules.
#include "ops/bucket_policy.h"

#include <gtest/gtest.h>

namespace ch::ops {
namespace {

BucketNames Names() { return BucketNames{"r-bucket", "p-bucket", "m-bucket"}; }

const PolicyRule* FindRule(const ExpectedBucket& b, const std::string& id) {
  for (const PolicyRule& r : b.rules) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

TEST(BucketPolicyTest, DefaultPolicyVersionsModelsOnlyAndEncryptsAndBlocksEverything) {
  const std::vector<ExpectedBucket> buckets = ExpectedPolicy(Names(), {});
  ASSERT_EQ(buckets.size(), 3u);
  EXPECT_EQ(buckets[0].logical, "raw");
  EXPECT_EQ(buckets[0].name, "r-bucket");
  EXPECT_FALSE(buckets[0].versioning);
  EXPECT_FALSE(buckets[1].versioning);
  EXPECT_EQ(buckets[2].logical, "models");
  EXPECT_TRUE(buckets[2].versioning);
  for (const ExpectedBucket& b : buckets) {
    EXPECT_EQ(b.sse_algorithm, "AES256") << b.name;
    EXPECT_TRUE(b.block_public_access) << b.name;
    const PolicyRule* abort = FindRule(b, "climahealth-abort-incomplete-multipart");
    ASSERT_NE(abort, nullptr) << b.name;
    EXPECT_EQ(abort->abort_multipart_days, 7);
    EXPECT_EQ(abort->prefix, "");
  }
}

TEST(BucketPolicyTest, OutputsArchiveToGlacierWithAnExpirationFallback) {
  BucketPolicyOptions o;
  o.archive_days = 30;
  o.expire_days = 400;
  const ExpectedBucket processed = ExpectedPolicy(Names(), o)[1];
  for (const std::string kind : {"predictions", "forecasts", "alerts"}) {
    const PolicyRule* r = FindRule(processed, "climahealth-archive-" + kind);
    ASSERT_NE(r, nullptr) << kind;
    EXPECT_EQ(r->prefix, kind + "/");
    EXPECT_EQ(r->transition_days, 30);
    EXPECT_EQ(r->transition_storage_class, "GLACIER");
    EXPECT_EQ(r->expiration_days, 0);
    EXPECT_EQ(r->fallback_expiration_days, 400);
    const PolicyRule fallback = WithoutStorageClass(*r);
    EXPECT_EQ(fallback.transition_days, 0);
    EXPECT_EQ(fallback.expiration_days, 400);
    EXPECT_EQ(MatchRule(*r, fallback), RuleMatch::kSameWithoutStorageClass);
  }
  EXPECT_EQ(FindRule(ExpectedPolicy(Names(), o)[0], "climahealth-archive-alerts"), nullptr);
}

TEST(BucketPolicyTest, WithoutStorageClassOptionTheOutputsExpire) {
  BucketPolicyOptions o;
  o.archive_storage_class = "";
  o.expire_days = 200;
  const std::vector<ExpectedBucket> buckets = ExpectedPolicy(Names(), o);
  const PolicyRule* r = FindRule(buckets[1], "climahealth-archive-forecasts");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->transition_days, 0);
  EXPECT_EQ(r->expiration_days, 200);
}

TEST(BucketPolicyTest, NoncurrentModelVersionsExpireAndOptionsVersionTheOthers) {
  BucketPolicyOptions o;
  o.noncurrent_model_days = 14;
  o.version_raw = true;
  o.sse_algorithm = "";
  const std::vector<ExpectedBucket> buckets = ExpectedPolicy(Names(), o);
  EXPECT_TRUE(buckets[0].versioning);
  EXPECT_FALSE(buckets[1].versioning);
  EXPECT_EQ(buckets[0].sse_algorithm, "");
  const PolicyRule* r = FindRule(buckets[2], "climahealth-expire-noncurrent-models");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->prefix, "models/");
  EXPECT_EQ(r->noncurrent_expiration_days, 14);
  EXPECT_EQ(r->Describe(), "expire noncurrent versions after 14 days (prefix 'models/')");
}

TEST(BucketPolicyTest, RejectsOutOfRangeDaysAndUnknownEncryptionNamingTheFlag) {
  BucketPolicyOptions o;
  o.archive_days = 0;
  Status st = ValidatePolicyOptions(o);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("--archive-days"), std::string::npos) << st.message();
  o = {};
  o.sse_algorithm = "DES";
  st = ValidatePolicyOptions(o);
  EXPECT_NE(st.message().find("--sse"), std::string::npos) << st.message();
  o = {};
  o.kms_key_id = "key";
  EXPECT_NE(ValidatePolicyOptions(o).message().find("--kms-key-id"), std::string::npos);
  EXPECT_TRUE(ValidatePolicyOptions({}).ok());
}

TEST(BucketPolicyTest, MatchRuleNoticesEveryDifferenceButNotTheId) {
  PolicyRule want;
  want.id = "a";
  want.prefix = "alerts/";
  want.transition_days = 90;
  want.transition_storage_class = "GLACIER";
  PolicyRule got = want;
  got.id = "b";
  EXPECT_EQ(MatchRule(want, got), RuleMatch::kSame);
  got.transition_days = 91;
  EXPECT_EQ(MatchRule(want, got), RuleMatch::kDifferent);
  got = want;
  got.enabled = false;
  EXPECT_EQ(MatchRule(want, got), RuleMatch::kDifferent);
  got = want;
  got.prefix = "alert/";
  EXPECT_EQ(MatchRule(want, got), RuleMatch::kDifferent);
  got = want;
  got.transition_storage_class = "STANDARD_IA";
  EXPECT_EQ(MatchRule(want, got), RuleMatch::kDifferent);
}

TEST(BucketPolicyTest, StoreRuleRoundTripKeepsEveryAction) {
  int noncurrent = 0, abort_uploads = 0;
  for (const ExpectedBucket& b : ExpectedPolicy(Names(), {})) {
    for (const PolicyRule& rule : b.rules) {
      Result<LifecycleRule> converted = ToStoreRule(rule);
      ASSERT_TRUE(converted.ok()) << converted.status().ToString();
      EXPECT_EQ(converted->id, rule.id);
      EXPECT_EQ(MatchRule(rule, FromStoreRule(*converted)), RuleMatch::kSame) << rule.Describe();
      noncurrent += converted->noncurrent_expiration_days > 0;
      abort_uploads += converted->abort_incomplete_multipart_days > 0;
    }
  }
  EXPECT_EQ(noncurrent, 1);     // the models bucket's old versions
  EXPECT_EQ(abort_uploads, 3);  // every bucket
}

TEST(BucketPolicyTest, CheckVerdictNamesMissingBeforeDifferent) {
  CheckReport report;
  report.items.push_back({"m", "models", "versioning", "enabled", "off", ItemState::kMissing});
  report.items.push_back(
      {"p", "processed", "encryption", "AES256", "aws:kms", ItemState::kDifferent});
  report.items.push_back({"r", "raw", "rule x", "", "", ItemState::kUnsupported});
  Status st = report.Verdict();
  EXPECT_EQ(st.code(), StatusCode::kNotFound);
  EXPECT_NE(st.message().find("m: versioning"), std::string::npos) << st.message();
  report.items.erase(report.items.begin());
  st = report.Verdict();
  EXPECT_EQ(st.code(), StatusCode::kPreconditionFailed);
  EXPECT_NE(st.message().find("p: encryption"), std::string::npos) << st.message();
  report.items.erase(report.items.begin());
  EXPECT_TRUE(report.Verdict().ok());  // unsupported is said, not failed
}

}  // namespace
}  // namespace ch::ops
