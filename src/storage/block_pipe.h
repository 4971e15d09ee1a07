// A bounded queue of byte blocks from one producer thread to one consumer
// that reads it as a ByteSource (e.g. inside ObjectStore::PutStream).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>

#include "core/status.h"
#include "storage/object_store.h"

namespace ch {

class BlockPipe final : public ByteSource {
 public:
  // At most `max_blocks` blocks wait in the pipe; Push blocks beyond that,
  // which bounds memory and paces the producer to the slowest consumer.
  explicit BlockPipe(size_t max_blocks) : max_blocks_(max_blocks) {}

  // Producer side. False when the consumer has abandoned the pipe (the block
  // is dropped): the producer should stop.
  bool Push(std::string block);
  // Producer side: no more blocks. A non-ok `status` makes the consumer's
  // next Read fail with it, so an upload in progress is abandoned, not
  // committed short.
  void Close(Status status);

  // Consumer side: stop accepting blocks and release a waiting producer.
  void Abandon();
  Result<size_t> Read(char* buf, size_t n) override;

 private:
  const size_t max_blocks_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<std::string> blocks_;
  size_t offset_ = 0;  // read position in blocks_.front()
  bool closed_ = false;
  bool abandoned_ = false;
  Status close_status_;
};

}  // namespace ch
