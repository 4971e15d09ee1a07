// BlockPipe: bytes arrive whole and in order across threads, a producer
// error reaches the reader, and an abandoned pipe releases the producer.
#include "storage/block_pipe.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>

namespace ch {
namespace {

std::string ReadAll(BlockPipe& pipe, size_t chunk, Status* error) {
  std::string out;
  std::string buf(chunk, '\0');
  for (;;) {
    Result<size_t> got = pipe.Read(buf.data(), buf.size());
    if (!got.ok()) {
      *error = got.status();
      return out;
    }
    if (*got == 0) return out;
    out.append(buf.data(), *got);
  }
}

TEST(BlockPipeTest, ReaderGetsEveryBlockInOrderWhateverItsBufferSize) {
  BlockPipe pipe(2);
  std::string expected;
  std::thread producer([&] {
    for (int i = 0; i < 500; ++i) {
      std::string block(static_cast<size_t>(i % 37) + 1, static_cast<char>('a' + i % 26));
      ASSERT_TRUE(pipe.Push(block));
    }
    pipe.Close(Status::Ok());
  });
  for (int i = 0; i < 500; ++i) {
    expected.append(static_cast<size_t>(i % 37) + 1, static_cast<char>('a' + i % 26));
  }
  Status error;
  EXPECT_EQ(ReadAll(pipe, 7, &error), expected);
  EXPECT_TRUE(error.ok());
  producer.join();
}

TEST(BlockPipeTest, ProducerErrorFailsTheReaderInsteadOfEndingTheStream) {
  BlockPipe pipe(4);
  ASSERT_TRUE(pipe.Push("partial data"));
  pipe.Close(Status::Internal("generation stopped"));
  Status error;
  ReadAll(pipe, 64, &error);
  EXPECT_EQ(error.code(), StatusCode::kInternal);
}

TEST(BlockPipeTest, AbandonedPipeReleasesABlockedProducer) {
  BlockPipe pipe(1);
  ASSERT_TRUE(pipe.Push("first"));
  bool second = true;
  std::thread producer([&] { second = pipe.Push("second"); });  // blocks: the pipe is full
  pipe.Abandon();
  producer.join();
  EXPECT_FALSE(second);
}

}  // namespace
}  // namespace ch
