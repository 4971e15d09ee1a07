// S3Store features beyond the common contract, on Ceph RGW and s3rver: versioning,
// lifecycle, bucket encryption and public-access blocks, SSE headers, presigned
// URLs, and 'not supported by this server' errors where a server lacks a feature.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <thread>

#include "storage/s3/s3_test_env.h"

namespace ch::s3 {
namespace {

using testing::Server;

// Runs `cmd` and returns its standard output.
std::string Shell(const std::string& cmd) {
  std::string out;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  pclose(pipe);
  return out;
}

// A fresh bucket on `server`, removed with all its versions afterwards.
class FeatureTest : public ::testing::Test {
 protected:
  void Open(Server server) {
    std::optional<std::string> endpoint = testing::EndpointFor(server);
    if (!endpoint) GTEST_SKIP() << "server endpoint variable is unset";
    store_ = testing::MakeStore(server, testing::OptionsFor(server, *endpoint));
    ASSERT_NE(store_, nullptr);
    bucket_ = testing::UniqueBucketName("feat");
    ASSERT_TRUE(store_->CreateBucket(bucket_).ok());
  }
  void TearDown() override {
    if (store_ == nullptr || bucket_.empty()) return;
    Status st = testing::RemoveBucketAndContents(*store_, bucket_);
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  ObjectRef Ref(const std::string& key, const std::string& version = "") {
    return ObjectRef{bucket_, key, version};
  }

  std::unique_ptr<S3Store> store_;
  std::string bucket_;
};

class RgwFeatureTest : public FeatureTest {
 protected:
  void SetUp() override { Open(Server::kRgw); }
};

class S3rverFeatureTest : public FeatureTest {
 protected:
  void SetUp() override { Open(Server::kS3rver); }
};

TEST_F(RgwFeatureTest, VersioningKeepsOldVersionsReadableByVersionId) {
  EXPECT_FALSE(store_->GetVersioning(bucket_).value());
  ASSERT_TRUE(store_->SetVersioning(bucket_, true).ok());
  EXPECT_TRUE(store_->GetVersioning(bucket_).value());
  ObjectInfo v1 = store_->Put(Ref("k"), "one").value();
  ObjectInfo v2 = store_->Put(Ref("k"), "two").value();
  ASSERT_FALSE(v1.version_id.empty());
  ASSERT_NE(v1.version_id, v2.version_id);
  VersionPage page = store_->ListVersions(bucket_, {}).value();
  ASSERT_EQ(page.versions.size(), 2u);
  EXPECT_EQ(page.versions[0].info.version_id, v2.version_id);
  EXPECT_TRUE(page.versions[0].is_latest);
  EXPECT_EQ(store_->Get(Ref("k", v1.version_id)).value(), "one");
  EXPECT_EQ(store_->Get(Ref("k")).value(), "two");
  EXPECT_EQ(store_->Head(Ref("k", v1.version_id))->size, 3u);
}

TEST_F(RgwFeatureTest, LifecycleRulesRoundTripAndCanBeRemoved) {
  EXPECT_TRUE(store_->GetLifecycle(bucket_).value().empty());
  std::vector<LifecycleRule> rules = {{"expire-tmp", "tmp/", true, 30, 0, ""},
                                      {"archive-raw", "raw/", true, 365, 90, "GLACIER"},
                                      {"old-models", "models/", true, 0, 0, "", 30, 0},
                                      {"uploads", "", true, 0, 0, "", 0, 7}};
  Status put = store_->PutLifecycle(bucket_, rules);
  ASSERT_TRUE(put.ok()) << put.ToString();
  std::vector<LifecycleRule> got = store_->GetLifecycle(bucket_).value();
  ASSERT_EQ(got.size(), rules.size());
  // Servers may answer in another order (RGW sorts by ID).
  auto by_id = [](const LifecycleRule& a, const LifecycleRule& b) { return a.id < b.id; };
  std::sort(got.begin(), got.end(), by_id);
  std::sort(rules.begin(), rules.end(), by_id);
  for (size_t i = 0; i < rules.size(); ++i) {
    EXPECT_EQ(got[i].id, rules[i].id);
    EXPECT_EQ(got[i].noncurrent_expiration_days, rules[i].noncurrent_expiration_days);
    EXPECT_EQ(got[i].abort_incomplete_multipart_days, rules[i].abort_incomplete_multipart_days);
    EXPECT_EQ(got[i].prefix, rules[i].prefix);
    EXPECT_EQ(got[i].expiration_days, rules[i].expiration_days);
    EXPECT_EQ(got[i].transition_days, rules[i].transition_days);
    EXPECT_EQ(got[i].transition_storage_class, rules[i].transition_storage_class);
  }
  ASSERT_TRUE(store_->PutLifecycle(bucket_, {}).ok());
  EXPECT_TRUE(store_->GetLifecycle(bucket_).value().empty());
}

TEST_F(RgwFeatureTest, LifecycleRuleWithoutActionIsRefusedBeforeSending) {
  Status st = store_->PutLifecycle(bucket_, {{"nothing", "x/", true, 0, 0, ""}});
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("nothing"), std::string::npos);
}

TEST_F(RgwFeatureTest, PublicAccessBlockRoundTrips) {
  // Unset: S3 answers NoSuchPublicAccessBlockConfiguration, RGW 16 all four flags off.
  std::optional<PublicAccessBlock> before = store_->GetPublicAccessBlock(bucket_).value();
  EXPECT_TRUE(!before || !(before->block_public_acls || before->ignore_public_acls ||
                           before->block_public_policy || before->restrict_public_buckets));
  PublicAccessBlock block;
  block.block_public_policy = false;
  ASSERT_TRUE(store_->PutPublicAccessBlock(bucket_, block).ok());
  std::optional<PublicAccessBlock> got = store_->GetPublicAccessBlock(bucket_).value();
  ASSERT_TRUE(got.has_value());
  EXPECT_TRUE(got->block_public_acls);
  EXPECT_FALSE(got->block_public_policy);
  EXPECT_TRUE(got->restrict_public_buckets);
}

// RGW 16 without an encryption backend: PutBucketEncryption is refused and
// GetBucketEncryption ignores the sub-resource; both must be clear errors.
TEST_F(RgwFeatureTest, BucketEncryptionWithoutServerSupportIsAClearError) {
  Status put = store_->PutBucketEncryption(bucket_, {"AES256", ""});
  Result<std::optional<BucketEncryption>> got = store_->GetBucketEncryption(bucket_);
  if (put.ok()) {  // a server configured for SSE: the setting must read back
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ((*got)->algorithm, "AES256");
    return;
  }
  EXPECT_NE(put.message().find("put encryption of " + bucket_), std::string::npos);
  EXPECT_NE(put.message().find("InvalidArgument"), std::string::npos) << put.ToString();
  EXPECT_EQ(got.status().code(), StatusCode::kNotSupported) << got.status().ToString();
  EXPECT_NE(got.status().message().find("not supported by this server"), std::string::npos);
  EXPECT_EQ(store_->PutBucketEncryption(bucket_, {"DES", ""}).code(), StatusCode::kInvalidArgument);
}

TEST_F(RgwFeatureTest, SseS3PutIsSentAndRefusalIsAClearErrorNotASilentPlainWrite) {
  S3StoreOptions o = testing::OptionsFor(Server::kRgw, *testing::EndpointFor(Server::kRgw));
  o.sse = "AES256";
  std::unique_ptr<S3Store> sse = testing::MakeStore(Server::kRgw, o);
  Result<ObjectInfo> put = sse->Put(Ref("secret"), "payload");
  if (put.ok()) {
    EXPECT_EQ(store_->Get(Ref("secret")).value(), "payload");
    return;
  }
  // RGW without an encryption backend (or over plain http) refuses SSE-S3: a clear
  // client error naming the object and the requested encryption, and nothing stored.
  EXPECT_TRUE(put.status().code() == StatusCode::kInvalidArgument ||
              put.status().code() == StatusCode::kPermissionDenied)
      << put.status().ToString();
  EXPECT_NE(put.status().message().find("put " + bucket_ + "/secret"), std::string::npos);
  EXPECT_NE(put.status().message().find("server-side encryption AES256 was requested"),
            std::string::npos)
      << put.status().ToString();
  EXPECT_FALSE(store_->Exists(Ref("secret")).value());
}

TEST_F(RgwFeatureTest, PresignedGetWorksWithCurlAndExpires) {
  ASSERT_TRUE(store_->Put(Ref("p q.txt"), "presigned!").ok());
  std::string url = store_->PresignGet(Ref("p q.txt"), std::chrono::seconds(2)).value();
  EXPECT_EQ(Shell("curl -s '" + url + "'"), "presigned!");
  std::this_thread::sleep_for(std::chrono::milliseconds(3200));
  std::string after = Shell("curl -s -o /dev/null -w '%{http_code}' '" + url + "'");
  EXPECT_EQ(after, "403");
  EXPECT_EQ(store_->PresignGet(Ref("x"), std::chrono::hours(24 * 8)).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(RgwFeatureTest, MissingBucketIsNotFoundForBucketConfiguration) {
  EXPECT_EQ(store_->GetLifecycle("no-such-bucket-4242").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->GetPublicAccessBlock("no-such-bucket-4242").status().code(),
            StatusCode::kNotFound);
}

TEST_F(S3rverFeatureTest, MissingFeaturesAreNotSupportedByThisServer) {
  auto expect_unsupported = [](const Status& st) {
    EXPECT_EQ(st.code(), StatusCode::kNotSupported) << st.ToString();
    EXPECT_NE(st.message().find("not supported by"), std::string::npos) << st.ToString();
  };
  expect_unsupported(store_->GetVersioning(bucket_).status());
  expect_unsupported(store_->SetVersioning(bucket_, true));
  expect_unsupported(store_->ListVersions(bucket_, {}).status());
  expect_unsupported(store_->GetLifecycle(bucket_).status());
  expect_unsupported(store_->PutLifecycle(bucket_, {{"a", "b/", true, 1, 0, ""}}));
  expect_unsupported(store_->GetBucketEncryption(bucket_).status());
  expect_unsupported(store_->PutPublicAccessBlock(bucket_, {}));
  PutOptions create;
  create.if_none_match_any = true;
  expect_unsupported(store_->Put(Ref("c"), "x", create).status());
  GetOptions suffix;
  suffix.range = ByteRange{0, std::nullopt, 3};
  ASSERT_TRUE(store_->Put(Ref("r"), "abcdef").ok());
  expect_unsupported(store_->Get(Ref("r"), suffix).status());
  EXPECT_FALSE(store_->Exists(Ref("c")).value()) << "a refused conditional put wrote";
}

TEST_F(S3rverFeatureTest, PlainOperationsWork) {
  ASSERT_TRUE(store_->Put(Ref("a"), "hello").ok());
  EXPECT_EQ(store_->Get(Ref("a")).value(), "hello");
  std::string big = testing::RandomBytes(12 << 20, 3);
  ASSERT_TRUE(store_->Put(Ref("big"), big).ok());
  EXPECT_TRUE(store_->Get(Ref("big")).value() == big);
}

}  // namespace
}  // namespace ch::s3
