// ObjectBodyStream: pieces add up to the object; a replaced object stops the
// stream with PreconditionFailed instead of mixing versions.
#include "api/object_body_stream.h"

#include <gtest/gtest.h>

#include "storage/memory_store.h"

namespace ch::api {
namespace {

class ObjectBodyStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.CreateBucket("bucket").ok());
    auto info = store_.Put(ref_, "0123456789abcdefghij");
    ASSERT_TRUE(info.ok());
    info_ = *info;
  }
  MemoryStore store_;
  ObjectRef ref_{"bucket", "k", ""};
  ObjectInfo info_;
};

TEST_F(ObjectBodyStreamTest, PiecesAddUpToTheObjectThenEnd) {
  ObjectBodyStream stream(store_, ref_, info_.etag, info_.size, 7);
  EXPECT_EQ(stream.Size(), 20u);
  std::vector<std::string> pieces;
  while (true) {
    auto piece = stream.Next();
    ASSERT_TRUE(piece.ok()) << piece.status().ToString();
    if (piece->empty()) break;
    pieces.push_back(*piece);
  }
  EXPECT_EQ(pieces, (std::vector<std::string>{"0123456", "789abcd", "efghij"}));
  EXPECT_TRUE(stream.Next()->empty());
}

TEST_F(ObjectBodyStreamTest, ReplacedObjectStopsTheStream) {
  ObjectBodyStream stream(store_, ref_, info_.etag, info_.size, 8);
  ASSERT_EQ(*stream.Next(), "01234567");
  ASSERT_TRUE(store_.Put(ref_, "ZZZZZZZZZZZZZZZZZZZZ").ok());
  auto piece = stream.Next();
  ASSERT_FALSE(piece.ok());
  EXPECT_EQ(piece.status().code(), StatusCode::kPreconditionFailed) << piece.status().ToString();
}

TEST_F(ObjectBodyStreamTest, DeletedObjectStopsTheStream) {
  ObjectBodyStream stream(store_, ref_, info_.etag, info_.size, 8);
  ASSERT_TRUE(stream.Next().ok());
  ASSERT_TRUE(store_.Delete(ref_).ok());
  auto piece = stream.Next();
  ASSERT_FALSE(piece.ok());
  EXPECT_TRUE(piece.status().IsNotFound()) << piece.status().ToString();
}

}  // namespace
}  // namespace ch::api
