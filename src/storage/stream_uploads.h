// StreamUploads: several objects stored at once while their bytes are made,
// each by its own PutStream thread reading a BlockPipe that one producer
// fills, so producing and storing overlap and memory stays at a few blocks
// per object.
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
  // At most `max_blocks` blocks wait for each object's upload.
  StreamUploads(ObjectStore& store, std::vector<ObjectRef> refs, PutOptions options,
                size_t max_blocks);
  // Ends unfinished uploads with an error: nothing is committed short.
  ~StreamUploads();
  StreamUploads(const StreamUploads&) = delete;
  StreamUploads& operator=(const StreamUploads&) = delete;

  // Starts one thread per object; Internal if one cannot be started.
  Status Start();
  // Appends `block` to object `i`, waiting while its upload is behind. False
  // once that upload has stopped early (its error comes from Finish).
  bool Push(size_t i, std::string block);
  // Ends every upload with `outcome` (an error makes them fail, so no object
  // is committed short) and waits. Returns the error of an upload that
  // failed on its own, else `outcome` if an error, else the first failure.
  Status Finish(const Status& outcome);
  // After Finish returned OK: what each object is now.
  const std::vector<ObjectInfo>& stored() const { return stored_; }

 private:
  void Upload(size_t i);

  ObjectStore& store_;
  std::vector<ObjectRef> refs_;
  PutOptions options_;
  std::vector<std::unique_ptr<BlockPipe>> pipes_;
  std::vector<Status> statuses_;
  std::vector<ObjectInfo> stored_;
  std::deque<bool> failed_first_;  // not vector<bool>: written from several threads
  std::atomic<bool> closing_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace ch
