// S3Store through a fault-injecting proxy in front of Ceph RGW: every fault either
// succeeds after retries or fails with the right error within its deadline, and
// nothing corrupt is ever stored or returned, and no multipart upload stays open.
#include <gtest/gtest.h>

#include "storage/md5.h"
#include "storage/s3/s3_test_env.h"
#include "support/fault_proxy.h"
#include "support/temp_dir.h"

namespace ch::s3 {
namespace {

using ch::testing::FaultKind;
using ch::testing::FaultProxy;
using ch::testing::FaultRule;
using testing::RandomBytes;
using testing::Server;

constexpr char kBucket[] = "climahealth-raw";

class S3FaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::optional<std::string> endpoint = testing::EndpointFor(Server::kRgw);
    if (!endpoint) GTEST_SKIP() << "CH_S3_ENDPOINT is unset";
    size_t colon = endpoint->rfind(':');
    auto proxy = FaultProxy::Start({"127.0.0.1", std::atoi(endpoint->c_str() + colon + 1)});
    ASSERT_TRUE(proxy.ok()) << proxy.status().ToString();
    proxy_ = std::move(proxy).value();
    direct_ = testing::MakeStore(Server::kRgw, testing::OptionsFor(Server::kRgw, *endpoint));
    ASSERT_NE(direct_, nullptr);
    prefix_ = testing::UniqueBucketName("fault") + "/";
    MakeStore([](S3StoreOptions&) {});
  }
  void TearDown() override {
    if (direct_ == nullptr) return;
    std::vector<std::string> keys;
    ASSERT_TRUE(ForEachObject(*direct_, kBucket, prefix_, [&](const ObjectInfo& i) {
                  keys.push_back(i.key);
                  return Status::Ok();
                }).ok());
    if (!keys.empty()) {
      EXPECT_TRUE(direct_->DeleteMany(kBucket, keys).ok());
    }
    Result<std::vector<std::string>> open = direct_->ListOpenUploads(kBucket, prefix_);
    ASSERT_TRUE(open.ok()) << open.status().ToString();
    EXPECT_TRUE(open->empty()) << "multipart uploads left open under " << prefix_;
  }
  // (Re)makes the store under test, pointed at the proxy, with `adjust` applied.
  void MakeStore(const std::function<void(S3StoreOptions&)>& adjust) {
    S3StoreOptions o = testing::OptionsFor(Server::kRgw, proxy_->Endpoint());
    o.stall_timeout = std::chrono::seconds(10);
    o.timeout = std::chrono::seconds(30);
    o.base_backoff = std::chrono::milliseconds(10);
    adjust(o);
    store_ = testing::MakeStore(Server::kRgw, o);
    ASSERT_NE(store_, nullptr);
  }
  ObjectRef Ref(const std::string& name) const { return {kBucket, prefix_ + name, ""}; }
  void Rule(const std::string& method, const std::string& path, FaultKind kind, int times,
            bool request_body = false, int skip = 0) {
    FaultRule r;
    r.skip = skip;
    r.method = method;
    r.path_contains = path;
    r.kind = kind;
    r.times = times;
    r.request_body = request_body;
    proxy_->AddRule(r);
  }
  // The stored bytes, read past the proxy.
  std::string Stored(const std::string& name) {
    Result<std::string> r = direct_->Get(Ref(name));
    return r.ok() ? *r : "<" + r.status().ToString() + ">";
  }

  std::unique_ptr<FaultProxy> proxy_;
  std::unique_ptr<S3Store> direct_;
  std::unique_ptr<S3Store> store_;
  std::string prefix_;
};

TEST_F(S3FaultTest, InternalErrorsOnPutAreRetriedUntilSuccess) {
  Rule("PUT", prefix_, FaultKind::kStatus500, 2);
  std::string data = RandomBytes(100000, 1);
  Result<ObjectInfo> put = store_->Put(Ref("a"), data);
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(proxy_->FaultsInjected(), 2);
  EXPECT_EQ(Stored("a"), data);
}

TEST_F(S3FaultTest, SlowDownOnGetIsRetriedUntilSuccess) {
  std::string data = RandomBytes(5000, 2);
  ASSERT_TRUE(direct_->Put(Ref("b"), data).ok());
  Rule("GET", prefix_, FaultKind::kSlowDown503, 3);
  Result<std::string> got = store_->Get(Ref("b"));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, data);
  EXPECT_EQ(proxy_->FaultsInjected(), 3);
}

TEST_F(S3FaultTest, PersistentServerErrorsGiveUpAsUnavailableAndStoreNothing) {
  Rule("PUT", prefix_, FaultKind::kStatus500, -1);
  Result<ObjectInfo> put = store_->Put(Ref("c"), "bytes");
  EXPECT_EQ(put.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(put.status().message().find("gave up after 4 attempts"), std::string::npos)
      << put.status().message();
  EXPECT_NE(put.status().message().find("InternalError"), std::string::npos);
  EXPECT_EQ(proxy_->Requests(), 4);
  EXPECT_FALSE(direct_->Exists(Ref("c")).value());
}

TEST_F(S3FaultTest, ClientErrorsAreNeverRetried) {
  Result<std::string> got = store_->Get(Ref("missing"));
  EXPECT_EQ(got.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(proxy_->Requests(), 1);
  PutOptions cond;
  cond.if_match = "00000000000000000000000000000000";
  ASSERT_TRUE(direct_->Put(Ref("d"), "x").ok());
  Result<ObjectInfo> put = store_->Put(Ref("d"), "y", cond);
  EXPECT_EQ(put.status().code(), StatusCode::kPreconditionFailed);
  EXPECT_EQ(proxy_->Requests(), 2);
}

TEST_F(S3FaultTest, ResetInTheMiddleOfADownloadIsRetried) {
  std::string data = RandomBytes(3 << 20, 3);
  ASSERT_TRUE(direct_->Put(Ref("e"), data).ok());
  Rule("GET", prefix_, FaultKind::kResetMidBody, 2);
  Result<std::string> got = store_->Get(Ref("e"));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(*got == data);
  EXPECT_EQ(proxy_->FaultsInjected(), 2);
}

TEST_F(S3FaultTest, TruncatedDownloadIsRetried) {
  std::string data = RandomBytes(1 << 20, 4);
  ASSERT_TRUE(direct_->Put(Ref("f"), data).ok());
  Rule("GET", prefix_, FaultKind::kTruncateBody, 1);
  Result<std::string> got = store_->Get(Ref("f"));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(*got == data);
}

TEST_F(S3FaultTest, CorruptedDownloadIsDetectedByEtagAndRetriedBeforeDelivery) {
  std::string data = RandomBytes(1 << 20, 5);
  ASSERT_TRUE(direct_->Put(Ref("g"), data).ok());
  Rule("GET", prefix_, FaultKind::kCorruptByte, 1);
  struct Collect : ByteSink {
    std::string all;
    Status Write(std::string_view b) override {
      all.append(b);
      return Status::Ok();
    }
  } sink;
  Result<ObjectInfo> got = store_->GetStream(Ref("g"), sink);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(sink.all == data) << "the sink saw corrupt bytes";
  EXPECT_EQ(proxy_->FaultsInjected(), 1);
  EXPECT_EQ(proxy_->Requests(), 2);
}

TEST_F(S3FaultTest, AlwaysCorruptDownloadFailsAndReturnsNoBytes) {
  ASSERT_TRUE(direct_->Put(Ref("h"), RandomBytes(4096, 6)).ok());
  Rule("GET", prefix_, FaultKind::kCorruptByte, -1);
  Result<std::string> got = store_->Get(Ref("h"));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(got.status().message().find("does not match"), std::string::npos)
      << got.status().message();
}

TEST_F(S3FaultTest, CorruptedUploadIsRejectedByContentMd5AndRetried) {
  Rule("PUT", prefix_, FaultKind::kCorruptByte, 1, /*request_body=*/true);
  std::string data = RandomBytes(200000, 7);
  Result<ObjectInfo> put = store_->Put(Ref("i"), data);
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(proxy_->FaultsInjected(), 1);
  EXPECT_EQ(proxy_->Requests(), 2);
  EXPECT_EQ(Stored("i"), data);
  EXPECT_EQ(direct_->Head(Ref("i"))->etag, Md5Hex(data));
}

TEST_F(S3FaultTest, ResetDuringUploadIsRetried) {
  Rule("PUT", prefix_, FaultKind::kResetMidBody, 1, /*request_body=*/true);
  std::string data = RandomBytes(300000, 8);
  Result<ObjectInfo> put = store_->Put(Ref("j"), data);
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(Stored("j"), data);
}

TEST_F(S3FaultTest, StalledDownloadIsCutAndRetried) {
  MakeStore([](S3StoreOptions& o) { o.stall_timeout = std::chrono::seconds(1); });
  std::string data = RandomBytes(1 << 20, 9);
  ASSERT_TRUE(direct_->Put(Ref("k"), data).ok());
  FaultRule r;
  r.method = "GET";
  r.path_contains = prefix_;
  r.kind = FaultKind::kStall;
  r.stall = std::chrono::seconds(20);
  proxy_->AddRule(r);
  auto t0 = std::chrono::steady_clock::now();
  Result<std::string> got = store_->Get(Ref("k"));
  auto took = std::chrono::steady_clock::now() - t0;
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(*got == data);
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST_F(S3FaultTest, EndlessStallFailsWithinTheOperationDeadline) {
  MakeStore([](S3StoreOptions& o) {
    o.timeout = std::chrono::seconds(4);
    o.stall_timeout = std::chrono::seconds(1);
  });
  ASSERT_TRUE(direct_->Put(Ref("l"), RandomBytes(1 << 20, 10)).ok());
  FaultRule r;
  r.method = "GET";
  r.path_contains = prefix_;
  r.kind = FaultKind::kStall;
  r.times = -1;
  r.stall = std::chrono::seconds(30);
  proxy_->AddRule(r);
  auto t0 = std::chrono::steady_clock::now();
  Result<std::string> got = store_->Get(Ref("l"));
  auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(got.status().code(), StatusCode::kUnavailable) << got.status().ToString();
  EXPECT_LT(took, std::chrono::seconds(7));
}

TEST_F(S3FaultTest, MultipartPartFailuresAreRetriedAndTheObjectIsWhole) {
  Rule("PUT", "partNumber=2", FaultKind::kStatus500, 1);
  Rule("PUT", "partNumber=1", FaultKind::kResetMidBody, 1, /*request_body=*/true);
  std::string data = RandomBytes(13 << 20, 11);
  Result<ObjectInfo> put = store_->Put(Ref("m"), data);
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(proxy_->FaultsInjected(), 2);
  EXPECT_TRUE(Stored("m") == data);
  EXPECT_TRUE(put->etag.ends_with("-3")) << put->etag;
}

TEST_F(S3FaultTest, MultipartThatCannotCompleteIsAbortedLeavingNoParts) {
  Rule("PUT", "partNumber=2", FaultKind::kStatus500, -1);
  Result<ObjectInfo> put = store_->Put(Ref("n"), RandomBytes(13 << 20, 12));
  EXPECT_EQ(put.status().code(), StatusCode::kUnavailable) << put.status().ToString();
  EXPECT_FALSE(direct_->Exists(Ref("n")).value());
  Result<std::vector<std::string>> open = direct_->ListOpenUploads(kBucket, prefix_);
  ASSERT_TRUE(open.ok());
  EXPECT_TRUE(open->empty());
}

TEST_F(S3FaultTest, ParallelRangedDownloadSurvivesResetsAndTruncation) {
  std::string data = RandomBytes(13 << 20, 13);
  ASSERT_TRUE(direct_->Put(Ref("o"), data).ok());
  // The first request passes, so the faults hit the parallel ranges.
  Rule("GET", prefix_, FaultKind::kResetMidBody, 2, false, 1);
  Rule("GET", prefix_, FaultKind::kTruncateBody, 1, false, 1);
  Result<std::string> got = store_->Get(Ref("o"));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(*got == data);
  EXPECT_EQ(proxy_->FaultsInjected(), 3);
}

TEST_F(S3FaultTest, ParallelRangedDownloadToAFileSurvivesResetsAndTruncation) {
  std::string data = RandomBytes(23 << 20, 17);
  ASSERT_TRUE(direct_->Put(Ref("o"), data).ok());  // multipart: the ranges go to their offsets
  // The first request (the first part, which tells the size) passes; the
  // faults hit the ranges written to the file side by side.
  Rule("GET", prefix_, FaultKind::kResetMidBody, 2, false, 1);
  Rule("GET", prefix_, FaultKind::kTruncateBody, 1, false, 1);
  ch::testing::TempDir dir("s3-fault");
  Result<ObjectInfo> got = store_->GetFile(Ref("o"), dir.path() / "o.bin");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  std::string file = ch::testing::ReadFile(dir.path() / "o.bin");
  size_t diff = 0;
  while (diff < std::min(file.size(), data.size()) && file[diff] == data[diff]) ++diff;
  EXPECT_TRUE(file == data) << "size " << file.size() << " first difference at " << diff;
  EXPECT_EQ(proxy_->FaultsInjected(), 3);
}

TEST_F(S3FaultTest, FirstAnswerStreamedIntoAFileIsFetchedAgainWhenCorruptOrCut) {
  // Both first answers pass the 2 MiB staging buffer into the file as they arrive:
  // the whole 4 MiB single-part object (its MD5 taken on the way), and the first
  // 5 MiB part of a multipart object. A retry writes them again from byte 0.
  std::string single = RandomBytes(4 << 20, 21);
  std::string multi = RandomBytes(23 << 20, 22);
  ASSERT_TRUE(direct_->Put(Ref("single"), single).ok());
  ASSERT_TRUE(direct_->Put(Ref("multi"), multi).ok());
  Rule("GET", prefix_ + "single", FaultKind::kCorruptByte, 1);
  Rule("GET", prefix_ + "multi", FaultKind::kResetMidBody, 1);
  ch::testing::TempDir dir("s3-fault");
  Result<ObjectInfo> got = store_->GetFile(Ref("single"), dir.path() / "single.bin");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(ch::testing::ReadFile(dir.path() / "single.bin") == single);
  got = store_->GetFile(Ref("multi"), dir.path() / "multi.bin");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(ch::testing::ReadFile(dir.path() / "multi.bin") == multi);
  EXPECT_EQ(proxy_->FaultsInjected(), 2);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 2);
}

TEST_F(S3FaultTest, FirstAnswerCorruptEveryTimeFailsAndLeavesNoFile) {
  ASSERT_TRUE(direct_->Put(Ref("single"), RandomBytes(4 << 20, 23)).ok());
  Rule("GET", prefix_ + "single", FaultKind::kCorruptByte, 100);
  ch::testing::TempDir dir("s3-fault");
  Result<ObjectInfo> got = store_->GetFile(Ref("single"), dir.path() / "single.bin");
  EXPECT_EQ(got.status().code(), StatusCode::kUnavailable) << got.status().ToString();
  EXPECT_NE(got.status().message().find("does not match"), std::string::npos)
      << got.status().ToString();
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 0);
}

}  // namespace
}  // namespace ch::s3
