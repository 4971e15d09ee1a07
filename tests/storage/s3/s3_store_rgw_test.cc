// S3Store against a real Ceph RADOS Gateway (started by scripts/test.sh via
// scripts/s3/start-ceph-rgw.sh; endpoint from CH_S3_ENDPOINT, skipped when unset).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <random>

#include "storage/md5.h"
#include "storage/s3/s3_store.h"
#include "storage/s3/s3_test_env.h"
#include "support/temp_dir.h"

namespace ch::s3 {
namespace {

constexpr char kBucket[] = "climahealth-raw";

class RgwStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::optional<std::string> endpoint = testing::EndpointFor(testing::Server::kRgw);
    if (!endpoint) GTEST_SKIP() << "CH_S3_ENDPOINT is unset";
    S3StoreOptions o = testing::OptionsFor(testing::Server::kRgw, *endpoint);
    o.max_attempts = 3;
    store_ = testing::MakeStore(testing::Server::kRgw, o);
    ASSERT_NE(store_, nullptr);
    Result<bool> up = store_->BucketExists(kBucket);
    ASSERT_TRUE(up.ok() && *up) << "no bucket " << kBucket << " at " << *endpoint << ": "
                                << up.status().ToString();
    prefix_ = testing::UniqueBucketName("t") + "/";
  }
  void TearDown() override {
    if (store_ == nullptr) return;
    Status removed = testing::RemoveObjectsUnder(*store_, kBucket, prefix_);
    EXPECT_TRUE(removed.ok()) << removed.ToString();
  }
  ObjectRef Ref(const std::string& key) { return ObjectRef{kBucket, prefix_ + key, ""}; }

  std::unique_ptr<S3Store> store_;
  std::string prefix_;
};

std::string RandomBytes(size_t n) {
  std::mt19937_64 rng(n);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

TEST_F(RgwStoreTest, PutGetHeadRoundTripKeepsBytesTypeAndMetadata) {
  PutOptions po;
  po.content_type = "text/csv";
  po.metadata = {{"Source", "imd"}};
  std::string data = "date,rain\n2024-01-01,3.5\n";
  Result<ObjectInfo> put = store_->Put(Ref("a b+é.csv"), data, po);
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(put->etag, Md5Hex(data));
  EXPECT_EQ(store_->Get(Ref("a b+é.csv")).value(), data);
  ObjectInfo head = store_->Head(Ref("a b+é.csv")).value();
  EXPECT_EQ(head.size, data.size());
  EXPECT_EQ(head.content_type, "text/csv");
  EXPECT_EQ(head.metadata.at("source"), "imd");
  GetOptions range;
  range.range = ByteRange{5, 8, std::nullopt};
  EXPECT_EQ(store_->Get(Ref("a b+é.csv"), range).value(), "rain");
}

TEST_F(RgwStoreTest, PutWithTheCallersMd5IsStoredAndAWrongOneIsRefusedByTheServer) {
  std::string data = RandomBytes(100000);
  PutOptions po;
  po.content_md5 = Md5Hex(data);
  Result<ObjectInfo> put = store_->Put(Ref("known-md5"), data, po);
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(put->etag, Md5Hex(data));
  EXPECT_EQ(store_->Get(Ref("known-md5")).value(), data);

  po.content_md5 = Md5Hex("other bytes");
  Result<ObjectInfo> wrong = store_->Put(Ref("wrong-md5"), data, po);
  ASSERT_FALSE(wrong.ok()) << "a Content-MD5 that does not match the body was accepted";
  EXPECT_TRUE(store_->Get(Ref("wrong-md5")).status().IsNotFound());

  po.content_md5 = "not a digest";
  Result<ObjectInfo> malformed = store_->Put(Ref("bad-hint"), data, po);
  ASSERT_EQ(malformed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(malformed.status().message().find("bad-hint"), std::string::npos)
      << malformed.status().ToString();
  EXPECT_TRUE(store_->Get(Ref("bad-hint")).status().IsNotFound());
}

TEST_F(RgwStoreTest, MissingObjectIsNotFoundWithRequestId) {
  Result<std::string> r = store_->Get(Ref("missing"));
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("NoSuchKey"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("request id"), std::string::npos);
  EXPECT_TRUE(store_->Delete(Ref("missing")).ok());
  EXPECT_FALSE(store_->Exists(Ref("missing")).value());
}

TEST_F(RgwStoreTest, EmptyObjectRoundTrips) {
  ASSERT_TRUE(store_->Put(Ref("empty"), "").ok());
  Result<std::string> r = store_->Get(Ref("empty"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, "");
}

TEST_F(RgwStoreTest, MultipartUploadAndParallelDownloadAreByteIdentical) {
  std::string data = RandomBytes((12 << 20) + 12345);
  std::atomic<uint64_t> progressed{0};  // the callback may run on several threads at once
  PutOptions po;
  po.progress = [&](uint64_t n) { progressed += n; };
  Result<ObjectInfo> put = store_->Put(Ref("big.bin"), data, po);
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(progressed.load(), data.size());
  EXPECT_TRUE(put->etag.ends_with("-3")) << put->etag;
  Result<std::string> got = store_->Get(Ref("big.bin"));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(*got == data);
  EXPECT_TRUE(store_->ListOpenUploads(kBucket, prefix_).value().empty());
}

// The multipart ETag of `data` in parts of `part_size`: MD5 of the part MD5s, "-", count.
std::string MultipartEtag(const std::string& data, size_t part_size) {
  std::string digests;
  size_t parts = 0;
  for (size_t at = 0; at < data.size(); at += part_size, ++parts) {
    Md5 md5;
    md5.Update(std::string_view(data).substr(at, part_size));
    digests += md5.FinishRaw();
  }
  return Md5Hex(digests) + "-" + std::to_string(parts);
}

TEST_F(RgwStoreTest, LargeFileGoesUpInPartsReadFromTheFileByteIdenticalWithTheMultipartEtag) {
  // 18 parts of 5 MiB (the last shorter): a wave of sixteen hashed at once, then two.
  std::string data = RandomBytes((17 * (5 << 20)) + 12345);
  ch::testing::TempDir dir("s3-putfile");
  ch::testing::WriteFile(dir.path() / "big.bin", data);
  std::atomic<uint64_t> progressed{0};
  PutOptions po;
  po.content_type = "application/x-test";
  po.metadata = {{"origin", "file"}};
  po.progress = [&](uint64_t n) { progressed += n; };
  Result<ObjectInfo> put = store_->PutFile(Ref("big.bin"), dir.path() / "big.bin", po);
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(put->etag, MultipartEtag(data, 5 << 20));
  EXPECT_EQ(put->size, data.size());
  EXPECT_EQ(put->content_type, "application/x-test");
  EXPECT_EQ(put->metadata.at("origin"), "file");
  EXPECT_EQ(progressed.load(), data.size());
  Result<std::string> got = store_->Get(Ref("big.bin"));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(*got == data);
  EXPECT_TRUE(store_->ListOpenUploads(kBucket, prefix_).value().empty());
}

TEST_F(RgwStoreTest, FileThatShrinksDuringItsUploadFailsAndLeavesNoObjectNorParts) {
  ch::testing::TempDir dir("s3-putfile");
  const std::filesystem::path path = dir.path() / "big.bin";
  ch::testing::WriteFile(path, RandomBytes(18 * (5 << 20)));
  std::atomic<bool> truncated{false};
  PutOptions po;
  po.progress = [&](uint64_t) {
    // After the first part: the parts still to send, and the next wave, find less file.
    if (!truncated.exchange(true)) std::filesystem::resize_file(path, 1 << 20);
  };
  Result<ObjectInfo> put = store_->PutFile(Ref("big.bin"), path, po);
  ASSERT_TRUE(truncated.load());
  EXPECT_EQ(put.status().code(), StatusCode::kIOError) << put.status().ToString();
  EXPECT_NE(put.status().message().find(Ref("big.bin").ToString()), std::string::npos)
      << put.status().ToString();
  EXPECT_EQ(store_->Head(Ref("big.bin")).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->ListOpenUploads(kBucket, prefix_).value().empty());
}

TEST_F(RgwStoreTest, SmallFileGoesUpInOneRequestAndAMissingFileOrADirectoryIsRefused) {
  ch::testing::TempDir dir("s3-putfile");
  std::string data = RandomBytes(100000);
  ch::testing::WriteFile(dir.path() / "small.bin", data);
  Result<ObjectInfo> put = store_->PutFile(Ref("small.bin"), dir.path() / "small.bin");
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(put->etag, Md5Hex(data));
  Result<ObjectInfo> missing = store_->PutFile(Ref("none.bin"), dir.path() / "none.bin");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound) << missing.status().ToString();
  Result<ObjectInfo> directory = store_->PutFile(Ref("dir.bin"), dir.path());
  EXPECT_EQ(directory.status().code(), StatusCode::kInvalidArgument)
      << directory.status().ToString();
  EXPECT_NE(directory.status().message().find("not a regular file"), std::string::npos);
  EXPECT_EQ(store_->Head(Ref("dir.bin")).status().code(), StatusCode::kNotFound);
}

TEST_F(RgwStoreTest, MultipartObjectDownloadsToAFileByteIdentical) {
  // Ranges go to their offsets as they arrive; the tail is no whole block.
  std::string data = RandomBytes((17 << 20) + 12345);
  ASSERT_TRUE(store_->Put(Ref("big.bin"), data).ok());
  ch::testing::TempDir dir("s3-getfile");
  std::atomic<uint64_t> progressed{0};  // the callback may run on several threads at once
  GetOptions go;
  go.progress = [&](uint64_t n) { progressed += n; };
  Result<ObjectInfo> got = store_->GetFile(Ref("big.bin"), dir.path() / "out.bin", go);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->size, data.size());
  EXPECT_EQ(progressed.load(), data.size());
  EXPECT_TRUE(ch::testing::ReadFile(dir.path() / "out.bin") == data);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1)
      << "a temporary file was left behind";
}

TEST_F(RgwStoreTest, ObjectReplacedDuringAFileDownloadFailsAndLeavesNoFile) {
  ASSERT_TRUE(store_->Put(Ref("big.bin"), RandomBytes(13 << 20)).ok());
  ch::testing::TempDir dir("s3-getfile");
  bool replaced = false;
  GetOptions go;
  go.progress = [&](uint64_t) {
    // After the first range: the other ranges ask If-Match the old ETag.
    if (!replaced) replaced = store_->Put(Ref("big.bin"), RandomBytes(14 << 20)).ok();
  };
  Result<ObjectInfo> got = store_->GetFile(Ref("big.bin"), dir.path() / "out.bin", go);
  ASSERT_TRUE(replaced);
  EXPECT_EQ(got.status().code(), StatusCode::kPreconditionFailed) << got.status().ToString();
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 0);
}

TEST_F(RgwStoreTest, ConditionalPutsFailWithPreconditionFailed) {
  PutOptions create;
  create.if_none_match_any = true;
  ASSERT_TRUE(store_->Put(Ref("c"), "1", create).ok());
  EXPECT_EQ(store_->Put(Ref("c"), "2", create).status().code(), StatusCode::kPreconditionFailed);
  PutOptions update;
  update.if_match = Md5Hex("1");
  ASSERT_TRUE(store_->Put(Ref("c"), "3", update).ok());
  EXPECT_EQ(store_->Put(Ref("c"), "4", update).status().code(), StatusCode::kPreconditionFailed);
  EXPECT_EQ(store_->Get(Ref("c")).value(), "3");
}

TEST_F(RgwStoreTest, ListPagesPrefixesAndDeleteManyInBatches) {
  std::vector<std::string> keys;
  for (int i = 0; i < 25; ++i) {
    std::string key = prefix_ + (i % 2 ? "d/" : "") + "k" + std::to_string(100 + i);
    ASSERT_TRUE(store_->Put(ObjectRef{kBucket, key, ""}, "x").ok());
    keys.push_back(key);
  }
  ListOptions lo;
  lo.prefix = prefix_;
  lo.delimiter = "/";
  lo.max_keys = 5;
  size_t objects = 0, prefixes = 0, pages = 0;
  for (;;) {
    ListPage page = store_->List(kBucket, lo).value();
    objects += page.objects.size();
    prefixes += page.common_prefixes.size();
    ++pages;
    if (page.next_token.empty()) break;
    lo.continuation_token = page.next_token;
  }
  EXPECT_EQ(objects, 13u);
  EXPECT_EQ(prefixes, 1u);
  EXPECT_GE(pages, 3u);
  EXPECT_EQ(store_->Size(kBucket, prefix_).value().objects, 25u);
  EXPECT_TRUE(store_->DeleteMany(kBucket, keys).value().empty());
  EXPECT_EQ(store_->Size(kBucket, prefix_).value().objects, 0u);
}

TEST_F(RgwStoreTest, CopyKeepsOrReplacesMetadata) {
  PutOptions po;
  po.metadata = {{"a", "1"}};
  ASSERT_TRUE(store_->Put(Ref("src"), "payload", po).ok());
  Result<ObjectInfo> copy = store_->Copy(Ref("src"), Ref("dst"));
  ASSERT_TRUE(copy.ok()) << copy.status().ToString();
  EXPECT_EQ(copy->metadata.at("a"), "1");
  EXPECT_EQ(store_->Get(Ref("dst")).value(), "payload");
  EXPECT_EQ(store_->Copy(Ref("nope"), Ref("dst2")).status().code(), StatusCode::kNotFound);
}

TEST_F(RgwStoreTest, PresignedGetWorksWithPlainCurl) {
  ASSERT_TRUE(store_->Put(Ref("p"), "presigned!").ok());
  std::string url = store_->Presign("GET", Ref("p"), std::chrono::seconds(60)).value();
  std::string cmd = "curl -sf '" + url + "'";
  FILE* pipe = popen(cmd.c_str(), "r");
  char buf[64] = {};
  size_t n = fread(buf, 1, sizeof buf, pipe);
  pclose(pipe);
  EXPECT_EQ(std::string(buf, n), "presigned!");
}

}  // namespace
}  // namespace ch::s3
