// Tests that MeteredStore counts operations, errors and bytes while forwarding unchanged.
#include "obs/metered_store.h"

#include <gtest/gtest.h>

#include "storage/memory_store.h"

namespace ch::obs {
namespace {

class UnavailableHeads : public ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  Result<ObjectInfo> Head(const ObjectRef& ref) override {
    return Status::Unavailable("head " + ref.ToString() + ": injected");
  }
};

class MeteredStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(memory_.CreateBucket("bkt").ok()); }
  double Value(const std::string& name, const Labels& labels) {
    return registry_.GetCounter(name, "", labels).Value();
  }
  MemoryStore memory_;
  MetricsRegistry registry_;
};

TEST_F(MeteredStoreTest, CountsOperationsAndBytesAndForwardsResults) {
  MeteredStore store(memory_, registry_);
  ASSERT_TRUE(store.Put({"bkt", "k"}, "hello").ok());
  auto got = store.Get({"bkt", "k"});
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, "hello");
  ASSERT_TRUE(store.Head({"bkt", "k"}).ok());
  EXPECT_EQ(Value("ch_storage_operations_total", {{"operation", "put"}}), 1);
  EXPECT_EQ(Value("ch_storage_operations_total", {{"operation", "get"}}), 1);
  EXPECT_EQ(Value("ch_storage_operations_total", {{"operation", "head"}}), 1);
  EXPECT_EQ(Value("ch_storage_bytes_written_total", {}), 5);
  EXPECT_EQ(Value("ch_storage_bytes_read_total", {}), 5);
  EXPECT_EQ(
      registry_.GetHistogram("ch_storage_operation_duration_seconds", "", {{"operation", "get"}})
          .Count(),
      1u);
}

TEST_F(MeteredStoreTest, ErrorsAreCountedByOperationAndCode) {
  MeteredStore store(memory_, registry_);
  auto missing = store.Get({"bkt", "nope"});
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().IsNotFound());
  UnavailableHeads failing(memory_);
  MeteredStore metered_failing(failing, registry_);
  auto head = metered_failing.Head({"bkt", "k"});
  EXPECT_EQ(head.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(Value("ch_storage_errors_total", {{"operation", "get"}, {"code", "NotFound"}}), 1);
  EXPECT_EQ(Value("ch_storage_errors_total", {{"operation", "head"}, {"code", "Unavailable"}}), 1);
  std::string text = registry_.Expose();
  EXPECT_NE(text.find("ch_storage_errors_total{code=\"Unavailable\",operation=\"head\"} 1"),
            std::string::npos)
      << text;
}

TEST_F(MeteredStoreTest, StreamedReadsCountTheBytesDelivered) {
  MeteredStore store(memory_, registry_);
  ASSERT_TRUE(store.Put({"bkt", "k"}, "0123456789").ok());
  struct Collect : ByteSink {
    std::string data;
    Status Write(std::string_view b) override {
      data.append(b);
      return Status::Ok();
    }
  } sink;
  GetOptions options;
  options.range = ByteRange{2, 5};
  ASSERT_TRUE(store.GetStream({"bkt", "k"}, sink, options).ok());
  EXPECT_EQ(sink.data, "2345");
  EXPECT_EQ(Value("ch_storage_bytes_read_total", {}), 4);
  EXPECT_EQ(Value("ch_storage_operations_total", {{"operation", "get_stream"}}), 1);
}

TEST_F(MeteredStoreTest, ListDeleteAndSizeAreCounted) {
  MeteredStore store(memory_, registry_);
  ASSERT_TRUE(store.Put({"bkt", "a/1"}, "x").ok());
  ASSERT_TRUE(store.List("bkt", ListOptions{.prefix = "a/"}).ok());
  ASSERT_TRUE(store.Size("bkt").ok());
  ASSERT_TRUE(store.Delete({"bkt", "a/1"}).ok());
  EXPECT_EQ(Value("ch_storage_operations_total", {{"operation", "list"}}), 1);
  EXPECT_EQ(Value("ch_storage_operations_total", {{"operation", "size"}}), 1);
  EXPECT_EQ(Value("ch_storage_operations_total", {{"operation", "delete"}}), 1);
}

}  // namespace
}  // namespace ch::obs
