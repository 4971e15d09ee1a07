// StreamUploads: several objects stored at once while their bytes are made,
// each by its own PutStream thread reading a BlockPipe that one producer
// fills, so producing and storing overlap and memory stays at a few blocks
// per object. An interrupt (core/interrupt.h) stops the producer at its next
// Push, and no object is committed.
#pragma once

#include <atomic>
#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/status.h"
#include "storage/block_pipe.h"
#include "storage/object_store.h"

namespace ch {

class StreamUploads {
 public:
  // At most `max_blocks` blocks wait for each object's upload. `context`
  // names the work in the errors Finish makes ("batch", "stream the daily
  // files").
  StreamUploads(ObjectStore& store, std::vector<ObjectRef> refs, PutOptions options,
                size_t max_blocks, std::string context);
  // Ends unfinished uploads with an error: nothing is committed short.
  ~StreamUploads();
  StreamUploads(const StreamUploads&) = delete;
  StreamUploads& operator=(const StreamUploads&) = delete;

  // Starts one thread per object; Internal if one cannot be started.
  Status Start();
  // From the one producer thread: appends `block` to object `i`, waiting
  // while its upload is behind. False when the producer should stop: that
  // upload stopped early, or the process was interrupted (the block is
  // dropped; Finish says why).
  bool Push(size_t i, std::string block);
  // Ends every upload and waits. They commit only if `outcome` is OK and no
  // Push returned false; otherwise they fail, so no object is committed
  // short. Returns the error of an upload that failed on its own, else
  // `outcome` if an error, else the interrupt a Push saw, else the first
  // failure.
  Status Finish(const Status& outcome);
  // After Finish returned OK: what each object is now.
  const std::vector<ObjectInfo>& stored() const { return stored_; }

 private:
  void Upload(size_t i);

  ObjectStore& store_;
  std::vector<ObjectRef> refs_;
  PutOptions options_;
  std::string context_;
  std::vector<std::unique_ptr<BlockPipe>> pipes_;
  std::vector<Status> statuses_;
  std::vector<ObjectInfo> stored_;
  std::deque<bool> failed_first_;  // not vector<bool>: written from several threads
  std::atomic<bool> closing_ = false;
  bool interrupted_ = false;    // a Push saw the interrupt (producer thread only)
  bool stopped_early_ = false;  // a Push found its upload stopped (producer thread only)
  std::vector<std::thread> threads_;
};

}  // namespace ch
