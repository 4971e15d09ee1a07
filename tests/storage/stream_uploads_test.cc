// StreamUploads: every object stored whole, in push order; abandoned,
// failing or interrupted uploads commit nothing short, and the failure that
// caused it is the one reported.
#include "storage/stream_uploads.h"

#include <gtest/gtest.h>

#include <csignal>

#include "storage/md5.h"
#include "storage/memory_store.h"
#include "support/failing_put_store.h"
#include "support/interrupting_store.h"

namespace ch {
namespace {

std::vector<ObjectRef> Refs() {
  std::vector<ObjectRef> refs;
  for (const char* key : {"out/a.csv", "out/b.csv", "out/c.csv"}) {
    refs.push_back({"out-bucket", key, ""});
  }
  return refs;
}

TEST(StreamUploadsTest, EachObjectIsItsBlocksInOrder) {
  MemoryStore store;
  ASSERT_TRUE(store.CreateBucket("out-bucket").ok());
  StreamUploads uploads(store, Refs(), PutOptions{.content_type = "text/csv"}, 2, "test");
  ASSERT_TRUE(uploads.Start().ok());
  for (int block = 0; block < 50; ++block) {
    for (size_t i = 0; i < 3; ++i) {
      ASSERT_TRUE(uploads.Push(i, std::to_string(i) + "," + std::to_string(block) + "\n"));
    }
  }
  ASSERT_TRUE(uploads.Push(1, ""));  // an empty block is nothing
  ASSERT_TRUE(uploads.Finish(Status::Ok()).ok());
  for (size_t i = 0; i < 3; ++i) {
    std::string want;
    for (int block = 0; block < 50; ++block) {
      want += std::to_string(i) + "," + std::to_string(block) + "\n";
    }
    EXPECT_EQ(store.Get(Refs()[i]).value(), want) << i;
    EXPECT_EQ(uploads.stored()[i].etag, Md5Hex(want)) << i;
    EXPECT_EQ(uploads.stored()[i].size, want.size()) << i;
    EXPECT_EQ(store.Head(Refs()[i]).value().content_type, "text/csv");
  }
}

TEST(StreamUploadsTest, AProducerErrorOrAbandonmentStoresNothing) {
  MemoryStore store;
  ASSERT_TRUE(store.CreateBucket("out-bucket").ok());
  {
    StreamUploads uploads(store, Refs(), {}, 4, "test");
    ASSERT_TRUE(uploads.Start().ok());
    ASSERT_TRUE(uploads.Push(0, std::string(1 << 20, 'x')));
    Status finished = uploads.Finish(Status::IOError("the pass failed"));
    EXPECT_EQ(finished.message(), "the pass failed");
  }
  {
    StreamUploads uploads(store, Refs(), {}, 4, "test");
    ASSERT_TRUE(uploads.Start().ok());
    ASSERT_TRUE(uploads.Push(2, "half a row"));
  }  // destroyed unfinished
  for (const ObjectRef& ref : Refs()) {
    EXPECT_TRUE(store.Head(ref).status().IsNotFound()) << ref.key;
  }
}

TEST(StreamUploadsTest, AnUploadThatFailsStopsItsPushesAndItsErrorIsReported) {
  MemoryStore store;
  ASSERT_TRUE(store.CreateBucket("out-bucket").ok());
  testing::FailingPutStore failing(store, "out/b.csv", Status::IOError("no space left on device"),
                                   16);
  StreamUploads uploads(failing, Refs(), {}, 2, "test");
  ASSERT_TRUE(uploads.Start().ok());
  ASSERT_TRUE(uploads.Push(0, "a\n"));
  bool flowing = true;
  // A few blocks wait at most: pushing on must soon meet the stopped upload.
  for (int i = 0; i < 100 && flowing; ++i) flowing = uploads.Push(1, std::string(1 << 16, 'b'));
  ASSERT_FALSE(flowing);
  // The producer needs no reason of its own: a Push that returned false
  // keeps the other objects from committing.
  Status finished = uploads.Finish(Status::Ok());
  EXPECT_EQ(finished.message(), "no space left on device");
  for (const ObjectRef& ref : Refs()) {
    EXPECT_TRUE(store.Head(ref).status().IsNotFound()) << ref.key;
  }
}

TEST(StreamUploadsTest, AnInterruptStopsThePushesAndCommitsNothing) {
  testing::ClearInterruptAtEnd clear;
  MemoryStore store;
  ASSERT_TRUE(store.CreateBucket("out-bucket").ok());
  ASSERT_TRUE(store.Put(Refs()[0], "the previous a\n").ok());
  StreamUploads uploads(store, Refs(), {}, 4, "job");
  ASSERT_TRUE(uploads.Start().ok());
  for (size_t i = 0; i < 3; ++i) ASSERT_TRUE(uploads.Push(i, "row\n"));
  RequestInterrupt(SIGINT);
  EXPECT_FALSE(uploads.Push(0, "row\n"));
  Status finished = uploads.Finish(Status::Ok());
  EXPECT_TRUE(finished.IsCancelled()) << finished.ToString();
  EXPECT_EQ(finished.message(), "job: interrupted (SIGINT)");
  EXPECT_EQ(store.Get(Refs()[0]).value(), "the previous a\n");
  EXPECT_TRUE(store.Head(Refs()[1]).status().IsNotFound());
  EXPECT_TRUE(store.Head(Refs()[2]).status().IsNotFound());
}

}  // namespace
}  // namespace ch
