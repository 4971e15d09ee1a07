// The ObjectStore contract, part 2: large streamed objects, conditional
// writes, versioning and concurrent writers and readers.
#include <gmock/gmock.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>

#include "storage/md5.h"
#include "storage/object_store_contract.h"

namespace ch::testing {
namespace {

using ::testing::HasSubstr;

// Yields PatternBytes(size, seed) in pieces, never holding the whole object.
class PatternSource final : public ByteSource {
 public:
  PatternSource(uint64_t size, uint64_t seed) : size_(size), block_(PatternBytes(1 << 20, seed)) {}
  Result<size_t> Read(char* buf, size_t n) override {
    // Odd-sized reads so backends see short, unaligned chunks too.
    n = std::min<uint64_t>({n, size_ - done_, 777'777});
    for (size_t i = 0; i < n;) {
      size_t at = (done_ + i) % block_.size();
      size_t take = std::min(n - i, block_.size() - at);
      std::memcpy(buf + i, block_.data() + at, take);
      i += take;
    }
    done_ += n;
    return static_cast<size_t>(n);
  }
  std::optional<uint64_t> Size() const override { return size_; }

 private:
  uint64_t size_;
  uint64_t done_ = 0;
  std::string block_;
};

// Hashes what it receives and remembers the largest chunk.
class Md5Sink final : public ByteSink {
 public:
  Status Write(std::string_view bytes) override {
    md5_.Update(bytes);
    total_ += bytes.size();
    largest_ = std::max(largest_, bytes.size());
    return Status::Ok();
  }
  std::string Hex() { return md5_.FinishHex(); }
  uint64_t total() const { return total_; }
  size_t largest() const { return largest_; }

 private:
  Md5 md5_;
  uint64_t total_ = 0;
  size_t largest_ = 0;
};

std::string PatternMd5(uint64_t size, uint64_t seed) {
  PatternSource source(size, seed);
  Md5 md5;
  std::string buf(1 << 20, '\0');
  for (;;) {
    size_t got = *source.Read(buf.data(), buf.size());
    if (got == 0) break;
    md5.Update(std::string_view(buf.data(), got));
  }
  return md5.FinishHex();
}

}  // namespace

TEST_P(ObjectStoreContract, LargeObjectStreamsInBothDirections) {
  const uint64_t size = GetParam().large_object_bytes;
  PatternSource source(size, 42);
  std::atomic<uint64_t> sent{0};
  PutOptions options;
  options.progress = [&](uint64_t n) { sent += n; };
  Result<ObjectInfo> put = store().PutStream(Ref("big/blob.bin"), source, options);
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  const std::string md5 = PatternMd5(size, 42);
  EXPECT_EQ(put->size, size);
  EXPECT_EQ(sent.load(), size);
  if (put->etag.find('-') == std::string::npos) {
    EXPECT_EQ(put->etag, md5);  // single-part uploads only
  }

  Md5Sink sink;
  Result<ObjectInfo> got = store().GetStream(Ref("big/blob.bin"), sink);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(sink.total(), size);
  EXPECT_EQ(sink.Hex(), md5);
  EXPECT_LE(sink.largest(), size_t{16} << 20) << "GetStream should hand over bounded chunks";

  Result<std::string> whole = store().Get(Ref("big/blob.bin"));
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();
  EXPECT_EQ(whole->size(), size);
  EXPECT_EQ(Md5Hex(*whole), md5);
}

TEST_P(ObjectStoreContract, IfNoneMatchCreatesOnlyWhenKeyIsAbsent) {
  if (!caps().conditional_put) GTEST_SKIP() << "backend has no conditional puts";
  PutOptions create;
  create.if_none_match_any = true;
  ASSERT_TRUE(store().Put(Ref("lock"), "first", create).ok());
  Status st = store().Put(Ref("lock"), "second", create).status();
  EXPECT_EQ(st.code(), StatusCode::kPreconditionFailed) << st.ToString();
  EXPECT_THAT(st.message(), HasSubstr(Key("lock")));
  EXPECT_EQ(MustGet("lock"), "first");
}

TEST_P(ObjectStoreContract, IfMatchReplacesOnlyTheExpectedVersion) {
  if (!caps().conditional_put) GTEST_SKIP() << "backend has no conditional puts";
  ObjectInfo v1 = MustPut("doc", "v1");
  PutOptions update;
  update.if_match = v1.etag;
  Result<ObjectInfo> v2 = store().Put(Ref("doc"), "v2", update);
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  // A writer still holding v1's ETag loses: its update would be lost otherwise.
  Status st = store().Put(Ref("doc"), "v2-from-a-stale-writer", update).status();
  EXPECT_EQ(st.code(), StatusCode::kPreconditionFailed) << st.ToString();
  EXPECT_EQ(MustGet("doc"), "v2");
  update.if_match = "\"" + v2->etag + "\"";  // quoted ETags are accepted too
  EXPECT_TRUE(store().Put(Ref("doc"), "v3", update).ok());

  PutOptions on_missing;
  on_missing.if_match = Md5Hex("anything");
  st = store().Put(Ref("absent"), "x", on_missing).status();
  EXPECT_TRUE(st.code() == StatusCode::kPreconditionFailed || st.IsNotFound()) << st.ToString();
  EXPECT_TRUE(store().Get(Ref("absent")).status().IsNotFound());
}

TEST_P(ObjectStoreContract, GetIfMatchFailsOnAnotherEtag) {
  ObjectInfo put = MustPut("g", "bytes");
  GetOptions options;
  options.if_match = put.etag;
  EXPECT_TRUE(store().Get(Ref("g"), options).ok());
  options.if_match = Md5Hex("other");
  EXPECT_EQ(store().Get(Ref("g"), options).status().code(), StatusCode::kPreconditionFailed);
}

TEST_P(ObjectStoreContract, ConcurrentIfNoneMatchPutsHaveExactlyOneWinner) {
  if (!caps().conditional_put) GTEST_SKIP() << "backend has no conditional puts";
  const int n = std::min(GetParam().concurrent_writers, 32);
  std::atomic<int> winners{0}, losers{0}, ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      PutOptions create;
      create.if_none_match_any = true;
      ++ready;
      while (ready.load() < n) std::this_thread::yield();
      Status st = store().Put(Ref("leader"), "writer " + std::to_string(i), create).status();
      if (st.ok()) ++winners;
      if (st.code() == StatusCode::kPreconditionFailed) ++losers;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(winners.load(), 1);
  EXPECT_EQ(losers.load(), n - 1);
  EXPECT_THAT(MustGet("leader"), HasSubstr("writer "));
}

TEST_P(ObjectStoreContract, ConcurrentWritersLeaveExactlyOneWholeValue) {
  const int n = GetParam().concurrent_writers;
  std::vector<std::string> values;
  for (int i = 0; i < n; ++i) values.push_back(PatternBytes(64 << 10, 1000 + i));
  std::atomic<int> failures{0}, ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      ++ready;
      while (ready.load() < n) std::this_thread::yield();
      if (!store().Put(Ref("contended"), values[i]).ok()) ++failures;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  // Writers racing on one key interleave their bytes in a backend that writes
  // in place (s3rver), so only an atomic one can promise a whole value.
  if (!GetParam().atomic_overwrite) GTEST_SKIP() << "backend overwrites in place";
  std::string final_value = MustGet("contended");
  EXPECT_NE(std::find(values.begin(), values.end(), final_value), values.end())
      << "the object is not any one writer's whole value";
  EXPECT_EQ(store().Head(Ref("contended"))->etag, Md5Hex(final_value));
}

TEST_P(ObjectStoreContract, ReadersNeverSeeAMixOfTwoWrites) {
  if (!GetParam().atomic_overwrite) GTEST_SKIP() << "backend overwrites in place";
  const size_t size = 256 << 10;
  MustPut("flip", std::string(size, 'a'));
  std::atomic<bool> stop{false};
  std::atomic<int> reads{0}, torn{0}, errors{0}, unavailable{0};
  std::string first_error;  // the reader's own
  std::thread reader([&] {
    while (!stop) {
      Result<std::string> got = store().Get(Ref("flip"));
      // Ceph RGW 16 at times answers a read racing overwrites of its key with
      // 500 UnknownError, and again on every retry while the writes go on: a
      // clear, retryable failure (Unavailable), never a mix of two values.
      if (!got.ok() && got.status().code() == StatusCode::kUnavailable) {
        ++unavailable;
        continue;
      }
      if (!got.ok()) {
        if (errors++ == 0) first_error = got.status().ToString();
        continue;
      }
      ++reads;
      bool uniform = got->size() == size &&
                     std::all_of(got->begin(), got->end(), [&](char c) { return c == (*got)[0]; });
      if (!uniform) ++torn;
    }
  });
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < 25; ++i) {
        char c = static_cast<char>('b' + (w * 25 + i) % 24);
        EXPECT_TRUE(store().Put(Ref("flip"), std::string(size, c)).ok());
      }
    });
  }
  for (std::thread& t : writers) t.join();
  stop = true;
  reader.join();
  EXPECT_GT(reads.load(), unavailable.load());
  EXPECT_EQ(torn.load(), 0);
  EXPECT_EQ(errors.load(), 0) << "first failed read: " << first_error;
}

TEST_P(ObjectStoreContract, VersioningKeepsPriorVersionsAndDeleteMarkers) {
  if (!caps().versioning) GTEST_SKIP() << "backend keeps no versions";
  ASSERT_TRUE(store().SetVersioning(bucket(), true).ok());
  EXPECT_TRUE(store().GetVersioning(bucket()).value_or(false));
  ObjectInfo v1 = MustPut("model.json", "{\"v\":1}");
  ObjectInfo v2 = MustPut("model.json", "{\"v\":2}");
  ASSERT_FALSE(v1.version_id.empty());
  ASSERT_NE(v1.version_id, v2.version_id);
  EXPECT_EQ(MustGet("model.json"), "{\"v\":2}");
  ObjectRef old = Ref("model.json");
  old.version_id = v1.version_id;
  EXPECT_EQ(store().Get(old).value_or(""), "{\"v\":1}");
  EXPECT_EQ(store().Head(old)->etag, v1.etag);

  ASSERT_TRUE(store().Delete(Ref("model.json")).ok());
  EXPECT_TRUE(store().Get(Ref("model.json")).status().IsNotFound());
  EXPECT_EQ(store().Get(old).value_or(""), "{\"v\":1}");
  ListOptions options{Key("model.json"), "", 1000, ""};
  Result<VersionPage> page = store().ListVersions(bucket(), options);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->versions.size(), 3u);
  EXPECT_TRUE(page->versions[0].is_delete_marker);
  EXPECT_TRUE(page->versions[0].is_latest);
  EXPECT_EQ(page->versions[1].info.version_id, v2.version_id);
  EXPECT_EQ(page->versions[2].info.version_id, v1.version_id);
  EXPECT_FALSE(page->versions[1].is_latest);

  // Removing the delete marker brings the newest version back, as in S3.
  ObjectRef marker = Ref("model.json");
  marker.version_id = page->versions[0].info.version_id;
  ASSERT_TRUE(store().Delete(marker).ok());
  EXPECT_EQ(MustGet("model.json"), "{\"v\":2}");
  ASSERT_TRUE(store().Delete(old).ok());  // a version removed for good
  EXPECT_FALSE(store().Get(old).ok());
  page = store().ListVersions(bucket(), options);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->versions.size(), 1u);
  EXPECT_TRUE(page->versions[0].is_latest);
  ASSERT_TRUE(store().SetVersioning(bucket(), false).ok());
}

TEST_P(ObjectStoreContract, VersionListingPagesAcrossKeys) {
  if (!caps().versioning) GTEST_SKIP() << "backend keeps no versions";
  ASSERT_TRUE(store().SetVersioning(bucket(), true).ok());
  std::map<std::string, int> expected;
  for (const char* k : {"v/a", "v/b", "v/c"}) {
    for (int i = 0; i < 3; ++i) MustPut(k, std::string(k) + std::to_string(i));
    expected[Key(k)] = 3;
  }
  ASSERT_TRUE(store().Delete(Ref("v/b")).ok());
  expected[Key("v/b")] = 4;
  ListOptions options{Key("v/"), "", 2, ""};
  std::map<std::string, int> seen;
  std::vector<std::string> order;
  for (int pages = 0; pages < 20; ++pages) {
    Result<VersionPage> page = store().ListVersions(bucket(), options);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    EXPECT_LE(page->versions.size(), 2u);
    for (const ObjectVersion& v : page->versions) {
      ++seen[v.info.key];
      order.push_back(v.info.key);
    }
    if (page->next_token.empty()) break;
    options.continuation_token = page->next_token;
  }
  EXPECT_EQ(seen, expected);
  EXPECT_TRUE(std::is_sorted(order.begin(), order.end()));
  ASSERT_TRUE(store().SetVersioning(bucket(), false).ok());
}

}  // namespace ch::testing
