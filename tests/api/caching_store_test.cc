// CachingStore: hits within the TTL, ETag revalidation after it, fresh bytes
// after a change, and invalidation on writes through it.
#include "api/caching_store.h"

#include <gtest/gtest.h>

#include <thread>

#include "obs/metered_store.h"
#include "storage/memory_store.h"

namespace ch::api {
namespace {

class CachingStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(memory_.CreateBucket("bkt").ok()); }
  double Ops(const char* op) {
    return registry_.GetCounter("ch_storage_operations_total", "", {{"operation", op}}).Value();
  }
  MemoryStore memory_;
  obs::MetricsRegistry registry_;
  obs::MeteredStore metered_{memory_, registry_};
};

TEST_F(CachingStoreTest, ReadsWithinTheTtlComeFromMemory) {
  ASSERT_TRUE(memory_.Put({"bkt", "k"}, "v1").ok());
  CachingStore cache(metered_, {std::chrono::milliseconds(60000)}, &registry_);
  for (int i = 0; i < 5; ++i) {
    auto got = cache.Get({"bkt", "k"});
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(*got, "v1");
  }
  EXPECT_EQ(Ops("get"), 1);
  EXPECT_EQ(Ops("head"), 1);
}

TEST_F(CachingStoreTest, AfterTheTtlAnUnchangedEtagKeepsTheBytes) {
  ASSERT_TRUE(memory_.Put({"bkt", "k"}, "v1").ok());
  CachingStore cache(metered_, {std::chrono::milliseconds(20)}, &registry_);
  ASSERT_TRUE(cache.Get({"bkt", "k"}).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(40));
  auto again = cache.Get({"bkt", "k"});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, "v1");
  EXPECT_EQ(Ops("get"), 1);
  EXPECT_EQ(Ops("head"), 2);
}

TEST_F(CachingStoreTest, AChangedObjectIsFetchedAgainAfterTheTtl) {
  ASSERT_TRUE(memory_.Put({"bkt", "k"}, "v1").ok());
  CachingStore cache(metered_, {std::chrono::milliseconds(20)}, &registry_);
  ASSERT_TRUE(cache.Get({"bkt", "k"}).ok());
  ASSERT_TRUE(memory_.Put({"bkt", "k"}, "v2 longer").ok());  // another writer
  std::this_thread::sleep_for(std::chrono::milliseconds(40));
  auto again = cache.Get({"bkt", "k"});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, "v2 longer");
}

TEST_F(CachingStoreTest, RangesAreCachedSeparatelyAndIfMatchIsHonoured) {
  auto info = memory_.Put({"bkt", "k"}, "0123456789");
  ASSERT_TRUE(info.ok());
  CachingStore cache(metered_, {std::chrono::milliseconds(60000)}, &registry_);
  GetOptions a;
  a.range = ByteRange{0, 3};
  a.if_match = info->etag;
  GetOptions b;
  b.range = ByteRange{5, 6};
  EXPECT_EQ(*cache.Get({"bkt", "k"}, a), "0123");
  EXPECT_EQ(*cache.Get({"bkt", "k"}, b), "56");
  EXPECT_EQ(*cache.Get({"bkt", "k"}, a), "0123");
  GetOptions stale = a;
  stale.if_match = "not-the-etag";
  auto refused = cache.Get({"bkt", "k"}, stale);
  EXPECT_EQ(refused.status().code(), StatusCode::kPreconditionFailed);
}

TEST_F(CachingStoreTest, WritesThroughTheCacheInvalidateAtOnce) {
  CachingStore cache(metered_, {std::chrono::milliseconds(60000)}, &registry_);
  ASSERT_TRUE(cache.Put({"bkt", "k"}, "v1").ok());
  EXPECT_EQ(*cache.Get({"bkt", "k"}), "v1");
  ASSERT_TRUE(cache.Put({"bkt", "k"}, "v2").ok());
  EXPECT_EQ(*cache.Get({"bkt", "k"}), "v2");
  ASSERT_TRUE(cache.Delete({"bkt", "k"}).ok());
  EXPECT_TRUE(cache.Get({"bkt", "k"}).status().IsNotFound());
  EXPECT_EQ(cache.CachedBytes(), 0u);
}

TEST_F(CachingStoreTest, TheByteBudgetEvictsLeastRecentlyUsed) {
  ObjectCacheOptions options;
  options.ttl = std::chrono::milliseconds(60000);
  options.max_total_bytes = 10;
  CachingStore cache(metered_, options, &registry_);
  ASSERT_TRUE(memory_.Put({"bkt", "a"}, "aaaaaa").ok());
  ASSERT_TRUE(memory_.Put({"bkt", "b"}, "bbbbbb").ok());
  ASSERT_TRUE(cache.Get({"bkt", "a"}).ok());
  ASSERT_TRUE(cache.Get({"bkt", "b"}).ok());
  EXPECT_EQ(cache.CachedBytes(), 6u);
}

}  // namespace
}  // namespace ch::api
