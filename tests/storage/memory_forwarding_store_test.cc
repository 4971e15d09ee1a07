// MemoryStore specifics (S3-like key freedom, isolation) and ForwardingStore
// as the fault-injection seam.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>

#include "storage/forwarding_store.h"
#include "storage/memory_store.h"

namespace ch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kForwardedBucket[] = "processed-bucket";

std::vector<std::string> Keys(ObjectStore& store) {
  std::vector<std::string> keys;
  EXPECT_TRUE(ForEachObject(store, kForwardedBucket, "", [&](const ObjectInfo& info) {
                keys.push_back(info.key);
                return Status::Ok();
              }).ok());
  return keys;
}

TEST(MemoryStoreTest, HoldsAnObjectAndKeysBelowItAsS3Does) {
  MemoryStore store;
  ASSERT_TRUE(store.CreateBucket(kForwardedBucket).ok());
  ASSERT_TRUE(store.Put({kForwardedBucket, "a", ""}, "1").ok());
  ASSERT_TRUE(store.Put({kForwardedBucket, "a/b", ""}, "2").ok());
  ASSERT_TRUE(store.Put({kForwardedBucket, "a//c/", ""}, "3").ok());
  EXPECT_THAT(Keys(store), ElementsAre("a", "a//c/", "a/b"));
}

TEST(MemoryStoreTest, StoresAreIndependentAndDescribeThemselves) {
  MemoryStore one("one"), two("two");
  ASSERT_TRUE(one.CreateBucket(kForwardedBucket).ok());
  ASSERT_TRUE(one.Put({kForwardedBucket, "k", ""}, "v").ok());
  EXPECT_FALSE(two.BucketExists(kForwardedBucket).value_or(true));
  EXPECT_EQ(one.Describe(), "memory:one");
  EXPECT_TRUE(one.CreateBucket(kForwardedBucket).ok()) << "creating an existing bucket succeeds";
  EXPECT_EQ(one.Get({kForwardedBucket, "k", ""}).value_or(""), "v");
}

TEST(MemoryStoreTest, GetCopiesBytesSoLaterWritesDoNotChangeThem) {
  MemoryStore store;
  ASSERT_TRUE(store.CreateBucket(kForwardedBucket).ok());
  ASSERT_TRUE(store.Put({kForwardedBucket, "k", ""}, "before").ok());
  std::string got = store.Get({kForwardedBucket, "k", ""}).value();
  ASSERT_TRUE(store.Put({kForwardedBucket, "k", ""}, "after!").ok());
  EXPECT_EQ(got, "before");
}

// Overrides one method to fail, as a service test would.
class FailingPuts final : public ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  Result<ObjectInfo> Put(const ObjectRef& ref, std::string_view, const PutOptions& = {}) override {
    ++attempts;
    return Status::Unavailable("put " + ref.ToString() + ": injected outage");
  }
  std::atomic<int> attempts{0};
};

TEST(ForwardingStoreTest, OverridingOneMethodInjectsAFailureAndForwardsTheRest) {
  MemoryStore target;
  ASSERT_TRUE(target.CreateBucket(kForwardedBucket).ok());
  ASSERT_TRUE(target.Put({kForwardedBucket, "existing.csv", ""}, "a,b\n").ok());
  FailingPuts store(target);

  Status st = store.Put({kForwardedBucket, "new.csv", ""}, "x").status();
  EXPECT_TRUE(st.IsRetryable());
  EXPECT_THAT(st.message(), HasSubstr("injected outage"));
  EXPECT_EQ(store.attempts.load(), 1);
  EXPECT_FALSE(target.Exists({kForwardedBucket, "new.csv", ""}).value_or(true));

  EXPECT_EQ(store.Get({kForwardedBucket, "existing.csv", ""}).value_or(""), "a,b\n");
  EXPECT_EQ(store.Head({kForwardedBucket, "existing.csv", ""})->size, 4u);
  EXPECT_THAT(Keys(store), ElementsAre("existing.csv"));
  EXPECT_TRUE(
      store.Copy({kForwardedBucket, "existing.csv", ""}, {kForwardedBucket, "copy.csv", ""}).ok());
  EXPECT_EQ(store.Size(kForwardedBucket)->objects, 2u);
  EXPECT_TRUE(store.Delete({kForwardedBucket, "copy.csv", ""}).ok());
  EXPECT_TRUE(store.SetVersioning(kForwardedBucket, true).ok());
  EXPECT_TRUE(target.GetVersioning(kForwardedBucket).value_or(false));
  EXPECT_EQ(store.Describe(), target.Describe());
  EXPECT_TRUE(store.Capabilities().conditional_put);
}

}  // namespace
}  // namespace ch
